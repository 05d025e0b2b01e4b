//! The output's tests: what a failed build leaves, the staged tree swapped into place,
//! leftovers swept, write errors named, a reused trash folder emptied of the old files.

use super::*;

#[test]
fn failed_build_leaves_target_untouched() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("public");
    write_file(&target.join("index.html"), b"old").unwrap();
    {
        let s = Staging::new(&target).unwrap();
        s.write("index.html", b"new").unwrap();
        // dropped without commit
    }
    assert_eq!(std::fs::read(target.join("index.html")).unwrap(), b"old");
    let leftovers: Vec<_> = std::fs::read_dir(tmp.path()).unwrap().collect();
    assert_eq!(leftovers.len(), 1, "staging folder removed");
}

#[test]
#[cfg(target_os = "linux")]
fn leftovers_of_dead_builds_are_swept() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("public");
    // No process has this pid (above Linux's pid_max of 2^22).
    let dead = tmp.path().join(".public.tmp-build-4999999");
    let old = tmp.path().join(".public.old-4999998");
    let other = tmp.path().join(".other.tmp-build-4999999");
    // A folder of a build that is still running: this test's parent process.
    let live = tmp.path().join(format!(
        ".public.old-{}",
        std::os::unix::process::parent_id()
    ));
    for d in [&dead, &old, &other, &live] {
        write_file(&d.join("index.html"), b"x").unwrap();
    }
    let s = Staging::new(&target).unwrap();
    s.commit().unwrap();
    finish_background();
    assert!(
        !dead.exists() && !old.exists(),
        "leftovers of dead builds removed"
    );
    assert!(other.exists(), "another output's folders are not ours");
    assert!(live.exists(), "a running build's folder is left alone");
}

#[test]
#[cfg(target_os = "linux")]
fn folders_are_exchanged_in_one_step() {
    // The swap that leaves no moment without a site: both names exist throughout.
    let tmp = tempfile::tempdir().unwrap();
    let (a, b) = (tmp.path().join("a"), tmp.path().join("b"));
    write_file(&a.join("f"), b"new").unwrap();
    write_file(&b.join("f"), b"old").unwrap();
    assert!(
        exchange(&a, &b).unwrap(),
        "tmpfs and ext4 support RENAME_EXCHANGE"
    );
    assert_eq!(std::fs::read(b.join("f")).unwrap(), b"new");
    assert_eq!(std::fs::read(a.join("f")).unwrap(), b"old");
}

#[test]
fn staged_output_is_marked_as_ours() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("public");
    Staging::new(&target).unwrap().commit().unwrap();
    assert!(target.join(crate::guard::MARKER).is_file());
    // A second build replaces it and leaves nothing beside it but the replaced site,
    // under a trash name the next build deletes.
    Staging::new(&target).unwrap().commit().unwrap();
    let mut names: Vec<String> = std::fs::read_dir(tmp.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().to_string())
        .collect();
    names.sort();
    assert_eq!(names.len(), 2, "{names:?}");
    assert!(names[0].starts_with(".public.trash-"), "{names:?}");
    assert_eq!(names[1], "public");
}

#[test]
fn write_errors_name_the_file() {
    let tmp = tempfile::tempdir().unwrap();
    let s = Staging::new(&tmp.path().join("public")).unwrap();
    s.write("atom.xml/index.html", b"page").unwrap();
    let e = s.write("atom.xml", b"feed").unwrap_err();
    assert!(e.to_string().starts_with("atom.xml: "), "{e}");
}

/// Every file under `dir`, with its bytes (paths with `/`).
fn tree(dir: &Path) -> std::collections::BTreeMap<String, Vec<u8>> {
    walkdir::WalkDir::new(dir)
        .into_iter()
        .map(|e| e.unwrap())
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            let rel = e
                .path()
                .strip_prefix(dir)
                .unwrap()
                .to_string_lossy()
                .replace('\\', "/");
            (rel, std::fs::read(e.path()).unwrap())
        })
        .collect()
}

#[test]
fn a_reused_trash_folder_ends_holding_only_what_the_build_made() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("public");
    let build = |files: &[(&str, &[u8])], check: &dyn Fn(&Staging)| {
        let s = Staging::new(&target).unwrap();
        for (rel, bytes) in files {
            s.write(rel, bytes).unwrap_or_else(|e| panic!("{rel}: {e}"));
        }
        check(&s);
        s.commit().unwrap();
        sweep::finish_background();
        let mut got = tree(&target);
        got.remove(crate::guard::MARKER);
        got.remove(carry::MANIFEST);
        let want: std::collections::BTreeMap<String, Vec<u8>> = files
            .iter()
            .map(|(r, b)| (r.to_string(), b.to_vec()))
            .collect();
        assert_eq!(got, want);
        // No folder left empty.
        for e in walkdir::WalkDir::new(&target)
            .into_iter()
            .map(|e| e.unwrap())
        {
            if e.file_type().is_dir() {
                assert!(
                    std::fs::read_dir(e.path()).unwrap().next().is_some(),
                    "{:?}",
                    e.path()
                );
            }
        }
    };
    let first: &[(&str, &[u8])] = &[
        ("a/index.html", b"a1"),
        ("b/index.html", b"b1"),
        ("c", b"c1"),
        ("d/x/index.html", b"d1"),
    ];
    build(first, &|s| assert!(s.recycled.is_none()));
    // Carried over whole: the first build's folder is now trash.
    build(first, &|_| {});
    // The first build's folder reused: a page kept (the same file), one changed, a
    // file that becomes a folder, a folder gone, a page new.
    let third: &[(&str, &[u8])] = &[
        ("a/index.html", b"a1"),
        ("b/index.html", b"b3"),
        ("c/index.html", b"c3"),
        ("e/index.html", b"e3"),
    ];
    build(third, &|s| {
        assert!(s.recycled.is_some());
        // The output being replaced stays whole until the swap.
        assert_eq!(std::fs::read(target.join("b/index.html")).unwrap(), b"b1");
        assert_eq!(std::fs::read(target.join("c")).unwrap(), b"c1");
    });
    // The second build's folder reused: a folder that becomes a file again.
    let fourth: &[(&str, &[u8])] = &[("a/index.html", b"a4"), ("c", b"c4"), ("d", b"d4")];
    build(fourth, &|s| assert!(s.recycled.is_some()));
    // A large site: nothing deletes the reused folder while the build writes into
    // it (a sweep of leftovers once started on it before it was taken).
    let pages: Vec<(String, Vec<u8>)> = (0..1000)
        .map(|i| (format!("p{i}/index.html"), format!("页{i}").into_bytes()))
        .collect();
    let pages: Vec<(&str, &[u8])> = pages.iter().map(|(r, b)| (r.as_str(), &b[..])).collect();
    for _ in 0..3 {
        build(&pages, &|_| {});
    }
    // Files put into the output by hand do not come back from a reused folder: in
    // the folder itself, in a page's folder, in a folder of their own.
    std::fs::write(target.join("by-hand.html"), b"x").unwrap();
    std::fs::write(target.join("p7/by-hand.txt"), b"x").unwrap();
    std::fs::create_dir_all(target.join("new/deep")).unwrap();
    std::fs::write(target.join("new/deep/x.html"), b"x").unwrap();
    std::fs::create_dir_all(target.join("p8/empty/inner")).unwrap();
    // Read from the manifest and the folders changed since, the listing is what
    // reading every folder finds.
    let sorted = |(f, d): (Vec<String>, Vec<String>)| {
        let own = [crate::guard::MARKER, carry::MANIFEST];
        let mut f: Vec<String> = f
            .into_iter()
            .filter(|f| !own.contains(&f.as_str()))
            .collect();
        let mut d = d;
        f.sort();
        d.sort();
        (f, d)
    };
    let listed = sorted(recycle::from_manifest(&target).expect("a manifest"));
    assert_eq!(listed, sorted(recycle::walk(&target).unwrap()));
    assert!(listed.0.contains(&"new/deep/x.html".to_string()));
    build(&pages, &|_| {});
    build(fourth, &|_| {});
    build(fourth, &|_| {});
    build(fourth, &|_| {});
}

#[test]
fn commit_replaces_target() {
    let tmp = tempfile::tempdir().unwrap();
    let target = tmp.path().join("public");
    write_file(&target.join("stale.html"), b"old").unwrap();
    let s = Staging::new(&target).unwrap();
    s.write("a/index.html", b"new").unwrap();
    s.commit().unwrap();
    assert_eq!(std::fs::read(target.join("a/index.html")).unwrap(), b"new");
    assert!(!target.join("stale.html").exists());
    // The replaced site waits under a trash name; the next build deletes it beside
    // its own work, and it is gone once that build's command has finished.
    let trash = || {
        let mut t: Vec<_> = std::fs::read_dir(tmp.path())
            .unwrap()
            .map(|e| e.unwrap().path())
            .filter(|p| p.to_string_lossy().contains(".public.trash-"))
            .collect();
        assert_eq!(t.len(), 1, "one trash folder: {t:?}");
        t.pop().unwrap()
    };
    assert_eq!(std::fs::read(trash().join("stale.html")).unwrap(), b"old");
    let s = Staging::new(&target).unwrap();
    s.write("a/index.html", b"newer").unwrap();
    s.commit().unwrap();
    finish_background();
    // Only this commit's own trash: the first one was swept.
    assert_eq!(std::fs::read(trash().join("a/index.html")).unwrap(), b"new");
}

#[test]
fn a_rename_refused_while_the_file_is_read_is_tried_again_and_other_errors_are_not() {
    use std::io::{Error, ErrorKind};
    // The result of retrying an operation whose `n`th try gives `outcome(n)`, and the
    // tries made.
    let retried = |outcome: &dyn Fn(usize) -> io::Result<()>| {
        let mut tries = 0;
        let r = super::retry_while_in_use(
            || {
                tries += 1;
                outcome(tries)
            },
            |e| e.kind() == ErrorKind::PermissionDenied,
        );
        (r, tries)
    };
    let denied = || Err(Error::from(ErrorKind::PermissionDenied));
    let (r, tries) = retried(&|n| if n < 3 { denied() } else { Ok(()) });
    assert!(r.is_ok());
    assert_eq!(tries, 3);
    // Another error at once; a file held for good, after the last try.
    let (r, tries) = retried(&|_| Err(Error::from(ErrorKind::NotFound)));
    assert_eq!(r.unwrap_err().kind(), ErrorKind::NotFound);
    assert_eq!(tries, 1);
    let (r, tries) = retried(&|_| denied());
    assert_eq!(r.unwrap_err().kind(), ErrorKind::PermissionDenied);
    assert_eq!(tries, 9);
    // Elsewhere than Windows a refusal is final: no wait.
    assert!(!super::in_use(&Error::from(ErrorKind::PermissionDenied)) || cfg!(windows));
}
