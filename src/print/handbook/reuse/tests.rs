//! Tests of the reuse of the last build's handbook: its glyph table, the windows'
//! hashes, and a chapter rejoining the last layout.

use super::*;

pub(super) fn book() -> Book {
    Book {
        file: Digest::of(b"handbook"),
        setup: 10,
        whole: 11,
        pages: 2,
        fresh: 3,
        glyphs: vec![vec![(5, '政'), (9, '策')], vec![]],
        chapters: vec![Chapter {
            key: 7,
            sum: 8,
            pages: vec![
                Stored {
                    markers: vec![(
                        Marker {
                            level: 1,
                            title: "教育".into(),
                            key: "jiaoyu".into(),
                        },
                        12.5,
                    )],
                    shows: true,
                    deflated: true,
                    at: 100,
                    len: 20,
                },
                Stored {
                    markers: vec![],
                    shows: false,
                    deflated: false,
                    at: 130,
                    len: 0,
                },
            ],
            windows: vec![Resume {
                chain: 3,
                suffix: 5,
                pages: 1,
                from: 0,
                skip: 4,
                pending: 6.5,
            }],
            text: Some(Text {
                key: 21,
                windows: vec![(22, vec![0, 3]), (23, vec![])],
            }),
        }],
        markup: Some((13, "<handbook>政策</handbook>".into())),
    }
}

#[test]
fn a_window_s_suffix_hashes_the_windows_from_it_to_the_chapter_s_end() {
    let a = Reuse::suffixes(&[1, 2, 3]);
    assert_eq!(a[1..], Reuse::suffixes(&[9, 2, 3])[1..]);
    assert_eq!(a[1..], Reuse::suffixes(&[2, 3])[..]);
    assert_ne!(a[0], Reuse::suffixes(&[9, 2, 3])[0]);
    let later = Reuse::suffixes(&[1, 2, 4]);
    assert!(a.iter().zip(&later).all(|(x, y)| x != y));
    assert_ne!(Reuse::suffixes(&[2, 3])[0], Reuse::suffixes(&[3, 2])[0]);
}

/// The last build's chapter of three windows, two pages each (nothing waiting after
/// a window), its page streams in a file; and a Reuse of it with a glyph table.
fn last_chapter(dir: &std::path::Path) -> (Reuse, Vec<Key>) {
    let windows: Vec<Key> = vec![1, 2, 3];
    let (chain, suffix) = (Reuse::chain(&windows), Reuse::suffixes(&windows));
    let (mut bytes, mut pages, mut sum) = (Vec::new(), Vec::new(), stream_sum());
    for p in 0..6 {
        let s = format!("page {p}");
        pages.push(Stored {
            markers: vec![],
            shows: true,
            deflated: false,
            at: bytes.len() as u64,
            len: s.len() as u64,
        });
        sum.add(s.as_bytes());
        bytes.extend_from_slice(s.as_bytes());
        bytes.push(b'\n');
    }
    let file = dir.join("handbook.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let record: Vec<Resume> = (0..3)
        .map(|j| Resume {
            chain: chain[j],
            suffix: suffix[j],
            pages: 2 * (j as u32 + 1),
            from: j as u32 + 1,
            skip: 0,
            pending: 1.5,
        })
        .collect();
    let key = 77;
    let chapter = Chapter {
        key,
        sum: sum.finish(),
        pages,
        windows: record.clone(),
        text: None,
    };
    let mut reuse = Reuse {
        old: Some((HashMap::from([(key, chapter)]), File::open(&file).unwrap())),
        seed: Some((Vec::new(), 0)),
        ..Reuse::new(0, None, &crate::output::NullSink::default(), "x")
    };
    for (j, w) in record.iter().enumerate() {
        reuse.chains.insert(w.chain, (key, j));
        reuse.suffixes.insert(w.suffix, (key, j));
    }
    (reuse, suffix)
}

/// A chapter whose first window changed and made a page more: once its layout
/// stands after a window as the last one stood (a page later), the rest is the last
/// chapter's pages, and its record of the later windows counts that page; any other
/// standing (space pending, chunks waiting, windows to come) is not rejoined, and
/// does not spend the last chapter.
#[test]
fn a_rejoined_chapter_takes_the_rest_of_the_last_one_its_pages_moved() {
    let dir = tempfile::tempdir().unwrap();
    let (mut reuse, suffix) = last_chapter(dir.path());
    let at = Resume {
        chain: 0,
        suffix: 0,
        pages: 3,
        from: 1,
        skip: 0,
        pending: 1.5,
    };
    assert!(
        reuse
            .rejoin(0, 3, suffix[1], Resume { pending: 2.0, ..at })
            .is_none()
    );
    assert!(
        reuse
            .rejoin(0, 3, suffix[1], Resume { skip: 1, ..at })
            .is_none()
    );
    assert!(reuse.rejoin(0, 3, suffix[0], at).is_none());
    assert!(reuse.rejoin(0, 4, suffix[1], at).is_none());
    let rest = reuse.rejoin(0, 3, suffix[1], at).expect("rejoined");
    let texts: Vec<&[u8]> = rest.pages.iter().map(|(_, d)| &d[..]).collect();
    assert_eq!(texts, [&b"page 2"[..], b"page 3", b"page 4", b"page 5"]);
    let counts: Vec<u32> = rest.windows.iter().map(|w| w.pages).collect();
    assert_eq!(counts, [5, 7]);
    assert_eq!(reuse.rejoined, 1);
    // Without the last build's glyph ids the copied streams would be wrong.
    let (mut unseeded, suffix) = last_chapter(dir.path());
    unseeded.seed = None;
    assert!(unseeded.rejoin(0, 3, suffix[1], at).is_none());
}

#[test]
fn the_glyph_table_grows_only_so_far_before_a_fresh_start() {
    let table = |n: u16| vec![(0..n).map(|g| (g, '字')).collect::<Vec<_>>()];
    let reuse = |fresh: u32| Reuse {
        setup: 0,
        old: None,
        chains: HashMap::new(),
        texts: HashMap::new(),
        suffixes: HashMap::new(),
        held: None,
        seed: Some((Vec::new(), fresh)),
        old_whole: None,
        whole: 0,
        chapters: vec![book().chapters.remove(0)],
        reused: 0,
        resumed: 0,
        rejoined: 0,
        markup: None,
    };
    let file = Digest::of(b"x");
    assert!(reuse(1000).finish(table(1400), file, 1).is_some());
    assert!(reuse(1000).finish(table(1600), file, 1).is_none());
    // A fresh start records its own size.
    let first = Reuse {
        seed: None,
        ..reuse(0)
    };
    assert_eq!(first.finish(table(3000), file, 1).unwrap().fresh, 3000);
}
