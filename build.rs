// The default theme is compiled into the binary (src/theme.rs); rebuild when it changes.
//
// Its fonts are hashed here, once, for the print cache's key (`print::cache::setup_key`):
// hashing their 33 MB at every build was 5 ms of each one-edit build, and touched every
// page of them.
use std::hash::Hasher;

fn main() {
    println!("cargo:rerun-if-changed=themes/default");
    let dir = std::path::Path::new("themes/default/fonts");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .map(|d| d.flatten().map(|e| e.path()).collect())
        .unwrap_or_default();
    files.sort();
    let mut h = std::collections::hash_map::DefaultHasher::new();
    for f in files {
        let bytes = std::fs::read(&f).unwrap_or_default();
        h.write(f.to_string_lossy().as_bytes());
        h.write_usize(bytes.len());
        h.write(&bytes);
    }
    println!(
        "cargo:rustc-env=MINGBAI_THEME_FONTS_SUM={:016x}",
        h.finish()
    );
}
