//! Replays a JSON-lines event log and prints the state's canonical bytes.
//!
//! `cargo run -p microcos-assistant --example replay_log -- tests/fixtures/session.jsonl`
//!
//! The test command builds this for wasm32 too and checks both print the same
//! bytes (the "same log in, same state out on every target" invariant).
//!
//! `--time R` replays the log R times in the same process and prints the
//! best `replay_events_per_s` on stderr (no start-up, no file reading in
//! it): scripts/wasm-figures compares native with wasm32 that way.

#![allow(clippy::print_stdout)]

use std::io::{Read, Write};

use microcos_assistant::Assistant;
use microcos_core::replay::Replayer;
use microcos_core::Bounds;

fn replay(lines: &[&str]) -> Result<Replayer<Assistant>, String> {
    let mut replayer = Replayer::new(Assistant::default(), Bounds::default());
    for (i, line) in lines.iter().enumerate() {
        replayer.apply_json(line).map_err(|e| format!("event {}: {e}", i + 1))?;
    }
    Ok(replayer)
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let rounds: usize = match args.iter().position(|a| a == "--time") {
        Some(i) => args.get(i + 1).and_then(|r| r.parse().ok()).ok_or("--time needs a number of rounds")?,
        None => 0,
    };
    let path = args.iter().enumerate().find(|(i, a)| !a.starts_with("--") && (*i == 0 || args[i - 1] != "--time"));
    let mut text = String::new();
    match path {
        Some((_, path)) => text = std::fs::read_to_string(path)?,
        None => {
            std::io::stdin().read_to_string(&mut text)?;
        }
    }
    let lines: Vec<&str> = text.lines().filter(|l| !l.trim().is_empty()).collect();
    let mut best = f64::INFINITY;
    for _ in 0..rounds {
        let started = std::time::Instant::now();
        std::hint::black_box(replay(&lines)?.state());
        best = best.min(started.elapsed().as_secs_f64());
    }
    if rounds > 0 {
        eprintln!("replay_events_per_s: {:.0}", lines.len() as f64 / best);
    }
    let mut out = std::io::stdout().lock();
    out.write_all(&replay(&lines)?.finish().to_bytes())?;
    out.write_all(b"\n")?;
    Ok(())
}
