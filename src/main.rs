fn main() {
    mingbai::platform::init_console();
    std::process::exit(mingbai::cli::main());
}
