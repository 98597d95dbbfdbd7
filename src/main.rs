//! The `microcos` binary: `serve`, `token`, `load` of the assistant. See `microcos --help`.

fn main() {
    std::process::exit(microcos_server::cli::run(microcos::assistant(), "microcos", microcos::ABOUT));
}
