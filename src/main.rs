//! The `mingbai` executable: the command line in [`mingbai::cli`].

fn main() {
    mingbai::platform::init_console();
    std::process::exit(mingbai::cli::main());
}
