//! The floor for writing a site: reads every file of a built site into memory, then
//! writes the same tree into an empty folder with two threads, as fast as std allows,
//! and prints the seconds the writing took. `bench/full.sh` compares mingbai's
//! HTML-only build with it in the same run. Standard library only: `rustc -O`.
//!
//!     treewrite SRC DST

use std::path::{Path, PathBuf};
use std::time::Instant;

fn files(dir: &Path, base: &Path, out: &mut Vec<(PathBuf, Vec<u8>)>) {
    for e in std::fs::read_dir(dir).expect("read folder").flatten() {
        let p = e.path();
        if e.file_type().expect("file type").is_dir() {
            files(&p, base, out);
        } else {
            let rel = p.strip_prefix(base).expect("under base").to_path_buf();
            out.push((rel, std::fs::read(&p).expect("read file")));
        }
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let (src, dst) = (PathBuf::from(&args[1]), PathBuf::from(&args[2]));
    let mut all = Vec::new();
    files(&src, &src, &mut all);
    // Folders in the order a site writer meets them: parents first.
    all.sort_by(|a, b| a.0.cmp(&b.0));
    let start = Instant::now();
    std::fs::create_dir_all(&dst).expect("create output");
    let threads = 2;
    std::thread::scope(|s| {
        for t in 0..threads {
            let all = &all;
            let dst = &dst;
            s.spawn(move || {
                for (rel, bytes) in all.iter().skip(t).step_by(threads) {
                    let path = dst.join(rel);
                    if let Some(parent) = path.parent() {
                        std::fs::create_dir_all(parent).expect("create folder");
                    }
                    std::fs::write(&path, bytes).expect("write file");
                }
            });
        }
    });
    println!("{:.3}", start.elapsed().as_secs_f64());
}
