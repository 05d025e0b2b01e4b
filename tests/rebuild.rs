//! A build after a build: unchanged files carried over from the last output, page keys
//! that never keep a stale page, unchanged cards from the card cache, and the handbook's
//! unchanged chapters copied, each ending as a fresh build would.

mod common;
use common::*;

use std::path::Path;

/// A rebuild carries unchanged files over from the previous output (hard links, not
/// new writes), writes the changed ones, and ends byte-identical to a fresh build.
#[test]
fn rebuild_carries_unchanged_files_over() {
    let dir = site("good");
    let root = dir.path();
    let o = mingbai(root, &["build"]);
    common::assert_ok(&o);
    let entry = root.join("content/jinrong/xudai.md");
    let text = std::fs::read_to_string(&entry).unwrap();
    std::fs::write(&entry, format!("{text}\n第二版加的一段话。\n")).unwrap();
    #[cfg(unix)]
    let inode = |rel: &str| {
        use std::os::unix::fs::MetadataExt;
        std::fs::metadata(root.join("public").join(rel))
            .unwrap()
            .ino()
    };
    #[cfg(unix)]
    let before = (
        inode("jiaoyu/index.html"),
        inode("jinrong/xudai/index.html"),
    );
    let o = mingbai(root, &["build"]);
    common::assert_ok(&o);
    assert!(read(root, "public/jinrong/xudai/index.html").contains("第二版加的一段话"));
    #[cfg(unix)]
    if !common::windows_exe() {
        assert_eq!(
            inode("jiaoyu/index.html"),
            before.0,
            "an unchanged page was written again"
        );
        assert_ne!(
            inode("jinrong/xudai/index.html"),
            before.1,
            "the changed page was linked"
        );
    }
    // The same as building from nothing (the manifest aside, which lists what was built).
    let o = mingbai(root, &["build", "--output", "fresh"]);
    common::assert_ok(&o);
    if let Err(e) = common::same_output(&root.join("public"), &root.join("fresh")) {
        panic!("a carried-over build differs from a fresh one: {e}");
    }
}

/// Pages whose inputs did not change are carried over without rendering them (page
/// keys in `.mingbai-cache/pages.bin`); whatever changes — an entry, another entry's
/// title that lists show, a template, a site setting — every page ends as a fresh build
/// of the same source makes it. So does the search index kept between builds
/// (`.mingbai-cache/search.bin`), which indexes only the entries that changed.
#[test]
fn page_keys_never_keep_a_stale_page() {
    let dir = site("good");
    let root = dir.path();
    // Each build's output against one made without the cache (set aside meanwhile):
    // pages and search index alike. Returns what the build said.
    let build = |what: &str| {
        let o = mingbai(root, &["build", "--no-print"]);
        assert!(o.status.success(), "{what}: {}", stderr(&o));
        let _ = std::fs::remove_dir_all(root.join("fresh"));
        let (cache, aside) = (root.join(".mingbai-cache"), root.join("cache-aside"));
        std::fs::rename(&cache, &aside).unwrap();
        let fresh = mingbai(root, &["build", "--no-print", "--output", "fresh"]);
        std::fs::remove_dir_all(&cache).unwrap();
        std::fs::rename(&aside, &cache).unwrap();
        assert!(fresh.status.success(), "{what}: {}", stderr(&fresh));
        if let Err(e) = common::same_output(&root.join("public"), &root.join("fresh")) {
            panic!("after {what}, a page differs from a fresh build: {e}");
        }
        stderr(&o)
    };
    build("the first build");
    assert!(root.join(".mingbai-cache/pages.bin").is_file());
    assert!(root.join(".mingbai-cache/search.bin").is_file());
    let edit = |rel: &str, from: &str, to: &str| {
        let path = root.join(rel);
        let text = std::fs::read_to_string(&path).unwrap();
        assert!(text.contains(from), "{rel} has no {from:?}");
        std::fs::write(&path, text.replacen(from, to, 1)).unwrap();
    };
    edit(
        "content/jinrong/xudai.md",
        "本政策已被新规定替代",
        "本政策已被新规定替代（二版）",
    );
    let said = build("an entry's body changed");
    assert!(read(root, "public/jinrong/xudai/index.html").contains("（二版）"));
    // Only that entry was indexed again.
    assert!(said.contains("改动过的 1 条"), "{said}");
    // The title shows on the section's page, the tag's page and the home page.
    edit(
        "content/jinrong/xudai.md",
        "小额信贷续贷和展期",
        "小额信贷续贷、展期",
    );
    build("an entry's title changed");
    assert!(read(root, "public/jinrong/index.html").contains("小额信贷续贷、展期"));
    // A site-wide list of every policy, named only by a partial that one page's
    // template includes: after a phone changes, that page shows the new number (and
    // every page is as a fresh build makes it, though the entry pages' templates name
    // no such list and their keys leave it out).
    // The theme's template `name`, with `more` at the end of its content, as the site's.
    let add_to_template = |name: &str, more: &str| {
        let theme =
            std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("themes/default/templates");
        let text = std::fs::read_to_string(theme.join(name)).unwrap();
        let end = "{% endblock content %}";
        assert!(text.contains(end), "{name}");
        let text = text.replace(end, &format!("{more}{end}"));
        std::fs::write(root.join("templates").join(name), text).unwrap();
    };
    add_to_template("tags.html", "{% include \"partials/phones.html\" %}");
    std::fs::write(
        root.join("templates/partials/phones.html"),
        "<ul class=\"phones\">{% for s in policies_by_section %}{% for p in s.policies %}<li>{{ p.phone }}</li>{% endfor %}{% endfor %}</ul>",
    )
    .unwrap();
    build("a page lists every policy's phone");
    edit("content/jinrong/xudai.md", "0718-6620608", "0718-6620699");
    build("an entry's phone changed");
    assert!(read(root, "public/tags/index.html").contains("<li>0718-6620699</li>"));
    // A policy page is given its chapter's summary, which the theme's policy page
    // never names (its markup's <section> is not the value): its key leaves it out.
    // A policy page that does name it shows another entry's new title.
    add_to_template(
        "policy.html",
        "<ul class=\"siblings\">{% for e in section.entries %}<li>{{ e.title }}</li>{% endfor %}</ul>",
    );
    build("a policy page lists its chapter's entries");
    edit(
        "content/jinrong/xudai.md",
        "小额信贷续贷、展期",
        "小额信贷续贷与展期",
    );
    build("another entry's title changed, shown on its chapter's policy pages");
    assert!(read(root, "public/jinrong/xiaoe/index.html").contains("<li>小额信贷续贷与展期</li>"));
    std::fs::remove_file(root.join("templates/policy.html")).unwrap();
    edit(
        "site.toml",
        "测试县惠民政策明白手册",
        "测试县惠民政策明白手册（修订）",
    );
    build("the site's title changed");
    assert!(read(root, "public/jiaoyu/yulu/index.html").contains("（修订）"));
    let partials = root.join("templates/partials");
    let partial = std::fs::read_dir(&partials)
        .unwrap()
        .next()
        .unwrap()
        .unwrap()
        .path();
    let text = std::fs::read_to_string(&partial).unwrap();
    std::fs::write(&partial, format!("{text}\n<!-- 模板已改 -->\n")).unwrap();
    build("a template changed");
    // A damaged key file is ignored.
    std::fs::write(root.join(".mingbai-cache/pages.bin"), b"damaged").unwrap();
    build("the page keys were damaged");
    // So is a damaged search index: every entry is indexed.
    edit("content/jinrong/xudai.md", "（二版）", "（三版）");
    let saved = root.join(".mingbai-cache/search.bin");
    let mut bytes = std::fs::read(&saved).unwrap();
    let at = bytes.len() / 2;
    bytes[at] ^= 1;
    std::fs::write(&saved, bytes).unwrap();
    let said = build("the search index was damaged");
    assert!(!said.contains("改动过的"), "{said}");
}

/// Cards whose inputs did not change come from the card cache: not laid out or written
/// again (their PDFs are carried over), and the output is the same as building from
/// nothing. A changed card, a changed print setting or a damaged cache is laid out
/// again; `check` never writes the cache. So with the kept font subsets.
#[test]
fn unchanged_cards_come_from_the_card_cache() {
    let dir = site("good");
    let root = dir.path();
    let build = english_build;
    let reused = |log: &str| -> usize {
        log.lines()
            .find_map(|l| l.strip_suffix(" of them unchanged since the last build, reused from the card cache (.mingbai-cache, safe to delete)"))
            .map_or(0, |n| n.trim().parse().unwrap())
    };
    let cards = |root: &Path| common::pdf::pdfs_under(&root.join("public/print/cards"));
    let same_as_fresh = |root: &Path, what: &str| {
        let fresh = fresh_build(root);
        assert_eq!(reused(&fresh.1), 0);
        if let Err(e) = common::same_output(&root.join("public"), &fresh.0.path().join("public")) {
            panic!("{what}: differs from a fresh build: {e}");
        }
    };

    assert_eq!(reused(&build(root)), 0);
    let n = cards(root).len();
    assert!(n >= 3, "{n} cards");
    let ignore = read(root, ".mingbai-cache/.gitignore");
    assert!(ignore.lines().any(|l| l == "*"), "{ignore}");

    // Nothing changed: every card from the cache, every PDF carried over.
    #[cfg(unix)]
    let inodes = |root: &Path| -> Vec<u64> {
        use std::os::unix::fs::MetadataExt;
        let mut files = cards(root);
        files.push(root.join("public/print/cards.pdf"));
        files
            .iter()
            .map(|p| std::fs::metadata(p).unwrap().ino())
            .collect()
    };
    #[cfg(unix)]
    let before = inodes(root);
    assert_eq!(reused(&build(root)), n);
    #[cfg(unix)]
    if !common::windows_exe() {
        assert_eq!(inodes(root), before, "an unchanged card was written again");
    }

    // One card's summary changed: that card alone is laid out again.
    let entry = root.join("content/jinrong/xudai.md");
    let text = std::fs::read_to_string(&entry).unwrap();
    std::fs::write(
        &entry,
        text.replace(
            "可申请续贷或展期一次。",
            "可申请续贷或展期一次，请提前一个月申请。",
        ),
    )
    .unwrap();
    assert_eq!(reused(&build(root)), n - 1);
    let card = common::pdf::tool(
        "pdftotext",
        &[
            root.join("public/print/cards/jinrong/xudai.pdf")
                .to_str()
                .unwrap(),
            "-",
        ],
    );
    assert!(
        common::sheets::squash(&card).contains("请提前一个月申请"),
        "the changed card is stale:\n{card}"
    );
    same_as_fresh(root, "after one card changed");

    // No previous output: the cached faces are written again, the same bytes.
    std::fs::remove_dir_all(root.join("public")).unwrap();
    assert_eq!(reused(&build(root)), n);
    same_as_fresh(root, "from the cache alone");

    // The handbook's and the sheets' font subsets are kept and taken again (the same
    // bytes, above); damaged, they are cut afresh.
    let subsets = root.join(".mingbai-cache/subsets.bin");
    let mut bytes = std::fs::read(&subsets).unwrap();
    assert!(bytes.len() > 1000, "{} bytes of subsets", bytes.len());
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&subsets, &bytes).unwrap();
    std::fs::remove_dir_all(root.join("public")).unwrap();
    build(root);
    same_as_fresh(root, "after damaged font subsets");
    assert_ne!(std::fs::read(&subsets).unwrap(), bytes, "not written again");
    // A build that copies the handbook and the sheets whole cuts no subset and keeps
    // those it would have cut, for the next edit.
    let kept = std::fs::read(&subsets).unwrap();
    build(root);
    assert_eq!(std::fs::read(&subsets).unwrap(), kept, "unchanged build");

    // A damaged cache is ignored.
    let bin = root.join(".mingbai-cache/cards.bin");
    let mut bytes = std::fs::read(&bin).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&bin, &bytes).unwrap();
    std::fs::remove_dir_all(root.join("public")).unwrap();
    assert_eq!(reused(&build(root)), 0);
    same_as_fresh(root, "after a damaged cache");

    // A print setting every card depends on: all laid out again.
    let toml = read(root, "site.toml") + "\n[print]\npunctuation = \"kaiming\"\n";
    std::fs::write(root.join("site.toml"), toml).unwrap();
    assert_eq!(reused(&build(root)), 0);
    same_as_fresh(root, "after a print setting changed");

    // `check` reads the cache but never writes one.
    let copy = tempfile::tempdir().unwrap();
    copy_tree(root, copy.path());
    std::fs::remove_dir_all(copy.path().join(".mingbai-cache")).unwrap();
    let o = mingbai(copy.path(), &["check"]);
    common::assert_ok(&o);
    assert!(!copy.path().join(".mingbai-cache").exists());
}

/// The sources of `root` built from nothing in a copy: the copy, and the build's log
/// (in English).
fn fresh_build(root: &Path) -> (tempfile::TempDir, String) {
    let copy = tempfile::tempdir().unwrap();
    copy_tree(root, copy.path());
    for gone in ["public", ".mingbai-cache"] {
        let _ = std::fs::remove_dir_all(copy.path().join(gone));
    }
    let log = english_build(copy.path());
    (copy, log)
}

/// `n` policies `content/jinrong/gen000.md`, … in the 金融 chapter, policy `i` with
/// `paragraphs(i)` paragraphs of its own text.
fn long_chapter(root: &Path, n: usize, paragraphs: impl Fn(usize) -> usize) {
    for i in 0..n {
        let body: String = (0..paragraphs(i))
            .map(|p| format!("第{p}段：本条政策第{i}号的说明文字，符合条件的农户可以向村委会提出申请，经审核后按规定享受扶持。\n\n"))
            .collect();
        std::fs::write(
            root.join(format!("content/jinrong/gen{i:03}.md")),
            format!(
                "+++\ntitle = \"测试政策第{i}号\"\nsummary = \"第{i}号政策的摘要。\"\nphone = \"0718-6620608\"\nweight = {}\n+++\n\n{body}",
                10 + i
            ),
        )
        .unwrap();
    }
}

/// A chapter with a changed entry is laid out again only from the window of entries
/// the change is in (the layout records where it stood after each window); its pages
/// before are copied from the last handbook, and so are its pages after the layout
/// stands again where the last one stood. The handbook looks as a fresh one does.
#[test]
fn a_changed_chapter_is_laid_out_again_only_from_its_change_on() {
    let dir = site("good");
    let root = dir.path();
    // A chapter of 100 policies, a page or so each: several windows of entries.
    long_chapter(root, 100, |_| 4);
    let said = |log: &str, what: &str| -> usize {
        log.lines()
            .find_map(|l| l.strip_suffix(what))
            .map_or(0, |n| n.trim().parse().unwrap())
    };
    let resumed = |log: &str| {
        said(
            log,
            " handbook chapters laid out again only from the first changed entries on, their pages before those copied from the last handbook",
        )
    };
    let reused = |log: &str| {
        said(
            log,
            " handbook chapters unchanged since the last build, their pages copied from the last handbook",
        )
    };
    let rejoined = |log: &str| {
        said(
            log,
            " handbook chapters laid out again only until their pages were the last handbook's again, the rest copied from it",
        )
    };
    let handbook = root.join("public/print/handbook.pdf");
    let looks_fresh = |what: &str| {
        let (fresh, _) = fresh_build(root);
        assert!(
            common::pdf::look_the_same(&handbook, &fresh.path().join("public/print/handbook.pdf")),
            "{what}: the handbook differs from a fresh one"
        );
    };
    english_build(root);
    let edit = |i: usize, add: &str| {
        let path = root.join(format!("content/jinrong/gen{i:03}.md"));
        let text = std::fs::read_to_string(&path).unwrap();
        std::fs::write(&path, format!("{text}\n{add}\n")).unwrap();
    };
    // Late in the chapter: laid out from there on; the other chapters copied whole.
    edit(90, "补充说明：鑫淼犇骉四字为测试新加。");
    let log = english_build(root);
    assert_eq!(resumed(&log), 1, "{log}");
    assert!(reused(&log) >= 2, "{log}");
    let text = common::pdf::tool("pdftotext", &[handbook.to_str().unwrap(), "-"]);
    assert!(common::sheets::squash(&text).contains("鑫淼犇骉四字为测试新加"));
    looks_fresh("after an entry late in the chapter changed");
    // In its first window: the chapter is laid out from its start, until the pages
    // are the last build's again (a change of the same length: at once).
    let first = root.join("content/jinrong/gen000.md");
    let text = std::fs::read_to_string(&first).unwrap();
    std::fs::write(&first, text.replacen("说明文字", "解释文字", 1)).unwrap();
    let log = english_build(root);
    assert_eq!((resumed(&log), rejoined(&log)), (0, 1), "{log}");
    let text = common::pdf::tool("pdftotext", &[handbook.to_str().unwrap(), "-"]);
    assert!(common::sheets::squash(&text).contains("第0号的解释文字"));
    looks_fresh("after the chapter's first entry changed, as long as it was");
    edit(0, "补充说明：第一条也改了。");
    let log = english_build(root);
    assert_eq!(resumed(&log), 0, "{log}");
    looks_fresh("after the chapter's first entry grew");
    // Grown by a page and a half: the page breaks after it all move, and the layout
    // goes on until they stand as before, if they do.
    let long: String = (0..40)
        .map(|k| format!("新增第{k}段：补充的说明文字，让后面的页面都往后移动。\n\n"))
        .collect();
    edit(0, &long);
    english_build(root);
    looks_fresh("after the chapter's first entry grew by pages");
    // Twice in a row, in the middle: each build resumes from the record the last made.
    for (i, add) in [
        (50, "再补充：第五十条。"),
        (
            60,
            "再补充：第六十条，一段更长的文字，让后面的页面都往后移动一些位置。",
        ),
    ] {
        edit(i, add);
        let log = english_build(root);
        assert_eq!(resumed(&log), 1, "{log}");
    }
    looks_fresh("after two more changes");
    // A block too tall for a page in the changed window stops the build, though the
    // layout after it stands again where the last one stood.
    let cell = "很长的说明文字，".repeat(900);
    edit(0, &format!("| 项目 | 说明 |\n|---|---|\n| 补充 | {cell} |"));
    let o = common::english_build_output(root);
    assert!(!o.status.success());
    assert!(stderr(&o).contains("taller than a page"), "{}", stderr(&o));
}

/// Random edits, one build after another, each entry of a long chapter growing by a
/// line or by pages, losing a paragraph, or changing as many characters as it had:
/// every handbook looks as a fresh build's does, whether the changed chapter was laid
/// out whole, from its change on, or until it met the last layout again (each of
/// which the edits reach).
#[test]
fn random_edits_leave_the_handbook_as_a_fresh_build_makes_it() {
    let dir = site("good");
    let root = dir.path();
    long_chapter(root, 120, |i| 2 + i % 5);
    english_build(root);
    let handbook = root.join("public/print/handbook.pdf");
    let mut rng = Rng(0x6d69_6e67_6261_6931);
    let (mut resumed, mut rejoined) = (0, 0);
    for step in 0..8 {
        let path = root.join(format!("content/jinrong/gen{:03}.md", rng.below(120)));
        let mut text = std::fs::read_to_string(&path).unwrap();
        match rng.below(4) {
            0 => text.push_str(&format!("\n补充{step}：新增一段说明文字。\n")),
            1 => {
                for k in 0..5 + rng.below(30) {
                    text.push_str(&format!(
                        "\n新增第{k}段：很长的补充说明文字，让后面的页面都往后移动。\n"
                    ));
                }
            }
            2 => {
                let mut parts: Vec<&str> = text.split("\n\n").collect();
                if parts.len() > 3 {
                    parts.remove(parts.len() - 2);
                }
                text = parts.join("\n\n");
            }
            _ => {
                text = if text.contains("说明文字") {
                    text.replacen("说明文字", "解释文字", 1)
                } else {
                    text.replacen("解释文字", "说明文字", 1)
                }
            }
        }
        std::fs::write(&path, text).unwrap();
        let log = english_build(root);
        resumed += usize::from(log.contains("laid out again only from the first changed"));
        rejoined += usize::from(log.contains("laid out again only until their pages"));
        let (fresh, _) = fresh_build(root);
        assert!(
            common::pdf::look_the_same(&handbook, &fresh.path().join("public/print/handbook.pdf")),
            "edit {step}: the handbook differs from a fresh one"
        );
    }
    assert!(
        resumed > 0 && rejoined > 0,
        "{resumed} resumed, {rejoined} rejoined"
    );
}

/// Handbook chapters whose entries did not change are copied from the last build's
/// handbook, not laid out again; the handbook then looks exactly like a fresh one (its
/// text and every page's pixels). A chapter with a changed entry is laid out again, and
/// a handbook file changed since, or a damaged record, makes every chapter laid out.
#[test]
fn unchanged_chapters_are_copied_from_the_last_handbook() {
    let dir = site("good");
    let root = dir.path();
    let reused = |log: &str| -> usize {
        log.lines()
            .find_map(|l| l.strip_suffix(" handbook chapters unchanged since the last build, their pages copied from the last handbook"))
            .map_or(0, |n| n.trim().parse().unwrap())
    };
    let handbook = root.join("public/print/handbook.pdf");
    let looks_fresh = |what: &str| {
        let (fresh, log) = fresh_build(root);
        assert_eq!(reused(&log), 0);
        assert!(
            common::pdf::look_the_same(&handbook, &fresh.path().join("public/print/handbook.pdf")),
            "{what}: the handbook differs from a fresh one"
        );
    };
    assert_eq!(reused(&english_build(root)), 0);
    let chapters = reused(&english_build(root));
    assert!(
        chapters >= 2,
        "{chapters} chapters reused of an unchanged handbook"
    );
    looks_fresh("nothing changed");

    // A new paragraph in one entry: its chapter alone is laid out again, with glyphs
    // the last handbook never used.
    let entry = root.join("content/jinrong/xudai.md");
    let text = std::fs::read_to_string(&entry).unwrap();
    std::fs::write(
        &entry,
        format!("{text}\n续贷须知：鑫淼犇骉四字为测试新加。\n"),
    )
    .unwrap();
    assert_eq!(reused(&english_build(root)), chapters - 1);
    let pages = common::pdf::tool("pdftotext", &[handbook.to_str().unwrap(), "-"]);
    assert!(common::sheets::squash(&pages).contains("鑫淼犇骉四字为测试新加"));
    looks_fresh("after one entry changed");

    // Its title changed: the contents list the new one (they are copied from the last
    // handbook only while their titles and pages are the same).
    let text = std::fs::read_to_string(&entry).unwrap();
    std::fs::write(
        &entry,
        text.replacen("小额信贷续贷和展期", "小额信贷续贷展期办法", 1),
    )
    .unwrap();
    english_build(root);
    let pages = common::pdf::tool(
        "pdftotext",
        &["-f", "1", "-l", "4", handbook.to_str().unwrap(), "-"],
    );
    assert!(
        common::sheets::squash(&pages).contains("小额信贷续贷展期办法"),
        "the contents miss the new title:\n{pages}"
    );
    looks_fresh("after a title changed");

    // The last handbook changed by hand: nothing is copied out of it.
    let mut bytes = std::fs::read(&handbook).unwrap();
    let at = bytes.len() / 3;
    bytes[at] ^= 0x01;
    std::fs::remove_file(&handbook).unwrap();
    std::fs::write(&handbook, &bytes).unwrap();
    assert_eq!(reused(&english_build(root)), 0);
    looks_fresh("after the last handbook was changed");

    // A damaged record: every chapter laid out again.
    let bin = root.join(".mingbai-cache/handbook.bin");
    let mut bytes = std::fs::read(&bin).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0xff;
    std::fs::write(&bin, &bytes).unwrap();
    assert_eq!(reused(&english_build(root)), 0);
    assert_eq!(reused(&english_build(root)), chapters);
    looks_fresh("after a damaged record");
}
