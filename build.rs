//! Embeds the web app: writes `$OUT_DIR/web_files.rs`, one
//! `(name, include_bytes!(…))` per file of `web/dist` (what
//! `web/build.mjs` wrote: content-hashed names and their `.br` and `.gz`),
//! so that no list of the app's files is kept by hand. `src/lib.rs`
//! includes it as `WEB_FILES`.

// Cargo reads a build script's instructions from its stdout.
#![allow(clippy::print_stdout)]

use std::fmt::Write as _;
use std::path::Path;

fn main() {
    let root = std::env::var("CARGO_MANIFEST_DIR").expect("CARGO_MANIFEST_DIR");
    let dist = Path::new(&root).join("web").join("dist");
    println!("cargo:rerun-if-changed=web/dist");
    let mut names: Vec<String> = std::fs::read_dir(&dist)
        .unwrap_or_else(|e| panic!("{}: {e} (run scripts/web-build)", dist.display()))
        .map(|entry| entry.expect("a web/dist entry"))
        .filter(|entry| entry.file_type().is_ok_and(|t| t.is_file()))
        .filter_map(|entry| entry.file_name().into_string().ok())
        .filter(|name| !name.starts_with('.'))
        .collect();
    names.sort();
    let mut out = String::from("&[\n");
    for name in &names {
        assert!(!name.contains(['"', '\\']), "web/dist/{name}: a name the list cannot hold");
        writeln!(out, "    (\"{name}\", include_bytes!(concat!(env!(\"CARGO_MANIFEST_DIR\"), \"/web/dist/{name}\"))),")
            .expect("writes");
    }
    out.push(']');
    let target = Path::new(&std::env::var("OUT_DIR").expect("OUT_DIR")).join("web_files.rs");
    std::fs::write(&target, out).unwrap_or_else(|e| panic!("{}: {e}", target.display()));
}
