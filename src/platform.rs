//! What differs on the computers county offices have. On Windows the console is
//! switched to UTF-8 (code page 65001), so Chinese messages read right in a Chinese
//! Windows console (GBK by default) and in whatever a cadre redirects them to; Rust
//! already writes to a real console in UTF-16, but redirected output and child
//! programs follow the code page.

/// A handbook-relative path with `/` separators, as the docs and every message write
/// it (`content/jiaoyu/yulu.md`) on every system; Windows opens it just the same.
pub fn portable(p: &std::path::Path) -> std::path::PathBuf {
    if cfg!(windows) && !p.is_absolute() {
        std::path::PathBuf::from(p.to_string_lossy().replace('\\', "/"))
    } else {
        p.to_path_buf()
    }
}

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

/// Whether mingbai was double-clicked in Explorer (its console window is its own and
/// closes when it exits), rather than run from a command prompt.
pub fn started_from_explorer() -> bool {
    #[cfg(windows)]
    {
        let mut ids = [0u32; 4];
        // SAFETY: the buffer and its length agree.
        let n = unsafe { GetConsoleProcessList(ids.as_mut_ptr(), ids.len() as u32) };
        n == 1
    }
    #[cfg(not(windows))]
    false
}

/// Gives memory freed by a finished stage back to the system before the next one
/// (print after the web pages and search index): mimalloc otherwise keeps free pages
/// for a while for reuse. A no-op with musl's allocator (the ARM64 binary).
pub(crate) fn release_free_memory() {
    #[cfg(not(target_env = "musl"))]
    {
        unsafe extern "C" {
            fn mi_collect(force: bool);
        }
        // SAFETY: mi_collect only frees what mimalloc's heaps hold unused.
        unsafe { mi_collect(true) };
    }
}

/// Keeps a double-clicked console open until the reader presses Enter.
pub fn wait_for_enter() {
    eprintln!(
        "\n在这个窗口里按回车键关闭。要使用 mingbai，请打开「命令提示符」或 PowerShell，进入手册文件夹后输入上面的命令，例如 mingbai init 我的手册"
    );
    let mut line = String::new();
    let _ = std::io::stdin().read_line(&mut line);
}

#[cfg(windows)]
#[link(name = "kernel32")]
unsafe extern "system" {
    fn SetConsoleOutputCP(code_page: u32) -> i32;
    fn SetConsoleCP(code_page: u32) -> i32;
    fn GetConsoleProcessList(ids: *mut u32, count: u32) -> u32;
}
