fn main() {
    std::process::exit(mingbai::cli::main());
}
