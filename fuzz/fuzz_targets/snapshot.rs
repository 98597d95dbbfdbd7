//! Snapshots: `snapshot::decode` never panics on a stored record, and a
//! state it accepts encodes (in pieces of any size) and decodes back to the
//! same state and the same bytes.
//!
//! Records are built around a real state (the replay of the test fixture
//! `tests/fixtures/session.jsonl`) with a spliced edit, or from raw text.
#![no_main]

use std::sync::OnceLock;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use microcos_assistant::Assistant;
use microcos_core::Seq;
use microcos_core::SnapshotRecord;
use microcos_core::replay::Replayer;
use microcos_core::snapshot::{decode, encode};
use microcos_core::Bounds;
use microcos_core::Domain;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    piece: u8,
    other_version: Option<u32>,
    /// `None`: the seq the JSON itself states (so that the record can decode).
    seq: Option<u64>,
    /// `None`: `text` is the whole JSON; else replace `.1` bytes at `.0` of the real state by `text`.
    splice: Option<(u16, u16)>,
    text: &'a str,
}

fn real_state() -> &'static str {
    static STATE: OnceLock<String> = OnceLock::new();
    STATE.get_or_init(|| {
        let mut r = Replayer::new(Assistant::default(), Bounds::default());
        for line in include_str!("../../tests/fixtures/session.jsonl").lines().filter(|l| !l.trim().is_empty()) {
            r.apply_json(line).expect("the fixture replays");
        }
        String::from_utf8(r.finish().to_bytes()).expect("a state is UTF-8 JSON")
    })
}

fn floor_char(s: &str, mut i: usize) -> usize {
    i = i.min(s.len());
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

fuzz_target!(|i: Input<'_>| {
    let json = match i.splice {
        None => i.text.to_string(),
        Some((at, len)) => {
            let real = real_state();
            let at = floor_char(real, usize::from(at));
            let end = floor_char(real, at + usize::from(len));
            format!("{}{}{}", &real[..at], i.text, &real[end..])
        }
    };
    let own_seq = || serde_json::from_str::<serde_json::Value>(&json).ok()?.get("seq")?.as_u64();
    let seq = Seq(i.seq.or_else(own_seq).unwrap_or(0));
    let state_version = i.other_version.unwrap_or(Assistant::STATE_VERSION);
    let piece = usize::from(i.piece) + 1;
    let pieces = json.split_inclusive(|c| c == ',').map(String::from).collect();
    let record = SnapshotRecord { seq, state_version, pieces };

    let Ok(state) = decode::<Assistant>(&record) else { return };
    assert_eq!((state.seq, state.version), (seq, Assistant::STATE_VERSION));
    let bytes = state.to_bytes();
    let again = encode(&state, piece);
    assert_eq!(again.pieces.concat().as_bytes(), bytes.as_slice());
    assert!(again.pieces.iter().all(|p| p.len() <= piece.max(4) || p.chars().count() == 1));
    let decoded = decode::<Assistant>(&again).unwrap_or_else(|e| panic!("{e:?}: {}", again.pieces.concat()));
    assert!(decoded == state, "decode(encode(state)) differs");
    assert_eq!(decoded.to_bytes(), bytes);
});
