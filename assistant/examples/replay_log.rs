//! Replays a JSON-lines event log and prints the state's canonical bytes.
//!
//! `cargo run -p microcos-assistant --example replay_log -- tests/fixtures/session.jsonl`
//!
//! The test command builds this for wasm32 too and checks both print the same
//! bytes (the "same log in, same state out on every target" invariant).

#![allow(clippy::print_stdout)]

use std::io::{Read, Write};

use microcos_assistant::Assistant;
use microcos_core::replay::Replayer;
use microcos_core::state::Bounds;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut text = String::new();
    match std::env::args().nth(1) {
        Some(path) => text = std::fs::read_to_string(path)?,
        None => {
            std::io::stdin().read_to_string(&mut text)?;
        }
    }
    let mut replayer = Replayer::new(Assistant::default(), Bounds::default());
    for (i, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
        replayer.apply_json(line).map_err(|e| format!("line {}: {e}", i + 1))?;
    }
    let mut out = std::io::stdout().lock();
    out.write_all(&replayer.finish().to_bytes())?;
    out.write_all(b"\n")?;
    Ok(())
}
