//! What differs on the computers county offices have. On Windows the console is
//! switched to UTF-8 (code page 65001), so Chinese messages read right in a Chinese
//! Windows console (GBK by default) and in whatever a cadre redirects them to; Rust
//! already writes to a real console in UTF-16, but redirected output and child
//! programs follow the code page.

/// Sets up the console; call once at start.
pub fn init_console() {
    #[cfg(windows)]
    // SAFETY: plain Win32 calls with a constant argument; failure (no console) is
    // harmless and ignored.
    unsafe {
        SetConsoleOutputCP(65001);
        SetConsoleCP(65001);
    }
}

#[cfg(windows)]
#[link(name = "kernel32")]
unsafe extern "system" {
    fn SetConsoleOutputCP(code_page: u32) -> i32;
    fn SetConsoleCP(code_page: u32) -> i32;
}
