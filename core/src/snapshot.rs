//! Snapshots: the state's canonical JSON, split into pieces that each stay
//! under the storage row limit (2 MB on Durable Objects).
//!
//! A snapshot of another [`crate::Domain::STATE_VERSION`], or one that does not decode, is
//! ignored: the state is rebuilt from the log (which is always the truth).

use alloc::string::String;
use alloc::vec::Vec;

use crate::domain::Domain;
use crate::ports::SnapshotRecord;
use crate::state::State;

/// Splits a state into pieces of at most `piece_bytes` bytes (at char boundaries).
pub fn encode<D: Domain>(state: &State<D>, piece_bytes: usize) -> SnapshotRecord {
    let json = serde_json::to_string(state).unwrap_or_default();
    SnapshotRecord { seq: state.seq, state_version: D::STATE_VERSION, pieces: split(&json, piece_bytes.max(4)) }
}

fn split(s: &str, max: usize) -> Vec<String> {
    let mut out = Vec::new();
    let mut rest = s;
    while !rest.is_empty() {
        let mut cut = max.min(rest.len());
        while !rest.is_char_boundary(cut) {
            cut -= 1;
        }
        if cut == 0 {
            // A single character wider than `max`: take it whole.
            cut = rest.chars().next().map_or(rest.len(), char::len_utf8);
        }
        out.push(String::from(&rest[..cut]));
        rest = &rest[cut..];
    }
    out
}

/// Why a stored snapshot was not used.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Unusable {
    /// It was written by another state version.
    Version(u32),
    /// Its bytes do not decode, or disagree with its seq.
    Corrupt,
}

/// Rebuilds the state from a snapshot, if the snapshot is usable.
pub fn decode<D: Domain>(record: &SnapshotRecord) -> Result<State<D>, Unusable> {
    if record.state_version != D::STATE_VERSION {
        return Err(Unusable::Version(record.state_version));
    }
    let json: String = record.pieces.concat();
    let state: State<D> = serde_json::from_str(&json).map_err(|_| Unusable::Corrupt)?;
    if state.seq != record.seq || state.version != D::STATE_VERSION {
        return Err(Unusable::Corrupt);
    }
    Ok(state)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pieces_respect_the_limit_and_char_boundaries() {
        let pieces = split("aé€😀bc", 3);
        assert!(pieces.iter().all(|p| (p.len() <= 3 || p == "😀") && !p.is_empty()));
        assert_eq!(pieces.concat(), "aé€😀bc");
    }
}
