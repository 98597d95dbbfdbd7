//! The `microcos` binary: `serve`, `token`, `load`. See `microcos --help`.

fn main() {
    std::process::exit(microcos_server::cli::main());
}
