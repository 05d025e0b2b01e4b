//! The `mingbai` executable: the command line in [`mingbai::cli`].

fn main() {
    mingbai::platform::init_console();
    mingbai::platform::exit(mingbai::cli::main());
}
