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

/// Ends the process with `code` once stdout and stderr are flushed. On Linux with
/// mimalloc, without the C library's exit handlers: mimalloc's would give every free
/// page back to the system one `madvise` at a time (50 ms after a one-edit build at
/// 10,000 entries, `perf`), which the system does anyway as the process ends. Nothing
/// of mingbai's runs at exit: files are written and threads joined before.
pub fn exit(code: i32) -> ! {
    #[cfg(all(target_os = "linux", not(target_env = "musl")))]
    {
        use std::io::Write;
        let _ = std::io::stdout().flush();
        let _ = std::io::stderr().flush();
        // SAFETY: `_exit` ends the process; no destructor or handler is needed.
        unsafe { libc::_exit(code) }
    }
    #[cfg(not(all(target_os = "linux", not(target_env = "musl"))))]
    std::process::exit(code)
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
        // Not forced: a forced collect on the main thread reclaims every abandoned
        // segment, which mimalloc means for the program's end; beside running threads
        // it is where mimalloc's open issue #828 crashes (a CI build once died with no
        // message). Forced or not, the peaks are the same (30,000 entries: 1,528 MB).
        // SAFETY: mi_collect only frees what mimalloc's heaps hold unused.
        unsafe { mi_collect(false) };
    }
}

/// A pool of threads of its own, as many as the global one, for work that runs beside
/// other parallel work: the pages and the search index beside print, the handbook
/// beside the cards. On one pool the parallel steps of a thread from outside it queue
/// behind all the pool's own work (rayon takes outside work last) and that thread,
/// the build's longest path, stands waiting: at 1,000 entries the handbook's values
/// were made 30 ms after print asked for them behind the pages, and 25 ms after behind
/// the cards. Two pools share the cores as the system shares threads. The stack is the
/// main thread's, whose work it takes. `None` when the system gives no threads.
pub(crate) fn own_pool(name: &'static str) -> Option<rayon::ThreadPool> {
    rayon::ThreadPoolBuilder::new()
        .num_threads(rayon::current_num_threads())
        .thread_name(move |i| format!("mingbai-{name}-{i}"))
        .stack_size(8 << 20)
        .build()
        .ok()
}

/// Lets the calling thread run only when a core would otherwise be idle (Linux's
/// SCHED_IDLE; elsewhere nothing changes, and musl's `sched_setscheduler` only says
/// ENOSYS). For deleting a replaced site in the
/// background: 6 % of a rebuild's CPU, which on a two-core machine it took from the
/// build beside it (one entry changed at 10,000 entries: 4.54 s → 4.35 s, medians of 8
/// alternating runs). Once the build is done the cores are idle and it runs at full speed.
pub(crate) fn idle_priority() {
    #[cfg(all(target_os = "linux", target_env = "gnu"))]
    {
        let param = libc::sched_param { sched_priority: 0 };
        // SAFETY: `param` is a valid sched_param and pid 0 names the calling thread. A
        // refusal (an old kernel, a sandbox) leaves the thread as it was.
        unsafe {
            libc::sched_setscheduler(0, libc::SCHED_IDLE, &param);
        }
    }
}

/// Asks the system to start reading `paths` into memory, in the background, and
/// returns at once. A build's threads then find its sources read (or on their way)
/// instead of waiting for one file at a time each: on a cold cache the 10,000 sources
/// of the benchmark corpus read in 0.4 s instead of 0.95 s. Where the hint does not
/// exist it does nothing.
pub(crate) fn prefetch(paths: Vec<std::path::PathBuf>) {
    #[cfg(target_os = "linux")]
    std::thread::spawn(move || {
        use std::os::fd::AsRawFd;
        for p in paths {
            if let Ok(f) = std::fs::File::open(&p) {
                // SAFETY: a valid open descriptor; the hint only starts reading ahead,
                // and a refusal changes nothing.
                unsafe {
                    libc::posix_fadvise(f.as_raw_fd(), 0, 0, libc::POSIX_FADV_WILLNEED);
                }
            }
        }
    });
    #[cfg(not(target_os = "linux"))]
    drop(paths);
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

#[cfg(all(test, target_os = "linux", target_env = "gnu"))]
mod tests {
    #[test]
    fn idle_priority_changes_only_the_calling_thread() {
        let policy = || unsafe { libc::sched_getscheduler(0) };
        let before = policy();
        let inside = std::thread::spawn(move || {
            super::idle_priority();
            policy()
        })
        .join()
        .unwrap();
        assert_eq!(inside, libc::SCHED_IDLE);
        assert_eq!(policy(), before);
    }
}
