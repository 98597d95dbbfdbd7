//! A toy domain for the kernel's own unit tests: notes that the model echoes.

// `payload!` declares public structs, here in a private module.
#![allow(unreachable_pub)]

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::domain::{Domain, EventMeta, Job, Reply, Scheduled};
use crate::error::Rejection;
use crate::ids::{EventId, Seq};
use crate::llm::{Prompt, PromptMessage, PromptRole};
use crate::operation::{Operation, OperationInput};
use crate::ports::{Appended, Row, SnapshotRecord, Store, StoreError};
use crate::validate::check_text;

crate::payload!(
    /// A note.
    NoteAdded { text: String }
);
crate::payload!(
    /// The model's echo.
    NoteEchoed { text: String }
);

crate::catalogue! {
    /// Toy events.
    pub(crate) enum ToyEvent / ToyEventType {
        /// A note.
        Added(NoteAdded) = "note.added", Client;
        /// The model's echo.
        Echoed(NoteEchoed) = "note.echoed", System;
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct ToyState {
    pub(crate) notes: Vec<String>,
    /// Integer map keys, as domains often have: they must survive snapshots.
    pub(crate) by_seq: BTreeMap<Seq, String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub(crate) struct Echo;

impl OperationInput for Echo {
    fn kind(&self) -> &'static str {
        "echo"
    }
}

#[derive(Clone, Debug, Default)]
pub(crate) struct Toy;

#[derive(Serialize)]
pub(crate) struct ToyView<'a> {
    notes: &'a [String],
}

impl Domain for Toy {
    type Event = ToyEvent;
    type State = ToyState;
    type Operation = Echo;
    type View<'a> = ToyView<'a>;
    const STATE_VERSION: u32 = 1;

    /// A note `tz:<zone>` is recorded with the zone's rule (`tz:<zone>=<rule>`).
    fn prepare(&self, event: ToyEvent) -> Result<ToyEvent, Rejection> {
        if let ToyEvent::Added(p) = &event {
            check_text("payload.text", &p.text, 100, false)?;
        }
        match event {
            ToyEvent::Added(NoteAdded { text }) if text.starts_with("tz:") && !text.contains('=') => {
                let zone = &text[3..];
                let rule = crate::tz::zone_rule(zone).ok_or_else(|| {
                    Rejection::field(
                        crate::error::ErrorCode::InvalidValue,
                        "payload.text",
                        "a time zone the database does not have",
                    )
                })?;
                Ok(ToyEvent::Added(NoteAdded { text: alloc::format!("tz:{zone}={rule}") }))
            }
            other => Ok(other),
        }
    }
    fn decide(&self, _: &ToyState, _: &ToyEvent, _: &EventMeta) -> Result<(), Rejection> {
        Ok(())
    }
    fn opens(&self, _: &ToyState, event: &ToyEvent, _: &EventMeta) -> Option<Echo> {
        matches!(event, ToyEvent::Added(_)).then_some(Echo)
    }
    fn apply(&self, state: &mut ToyState, event: ToyEvent, meta: &EventMeta) {
        match event {
            ToyEvent::Added(p) => {
                state.by_seq.insert(meta.seq, p.text.clone());
                state.notes.push(p.text);
            }
            ToyEvent::Echoed(p) => state.notes.push(p.text),
        }
    }
    fn prompt(&self, state: &ToyState, _: &Operation<Echo>, _: crate::ids::Timestamp) -> Prompt {
        let content = state.notes.last().cloned().unwrap_or_default();
        Prompt::new(alloc::vec![PromptMessage { role: PromptRole::User, content }], 16)
    }
    fn complete(&self, _: &ToyState, _: &Operation<Echo>, reply: &Reply<'_>) -> Result<ToyEvent, String> {
        Ok(ToyEvent::Echoed(NoteEchoed { text: String::from(reply.text) }))
    }
    /// A note `jobs@<at>x<k>` calls `k` jobs due from time `at` on, and
    /// never stops calling them: a domain whose job keys do not name the
    /// occurrence (each adds a note, which opens an operation).
    fn jobs(&self, state: &ToyState, _: crate::ids::Timestamp) -> Vec<Scheduled<ToyEvent>> {
        let mut jobs = Vec::new();
        for (at, k) in state.notes.iter().filter_map(|n| toy_jobs(n)) {
            for i in 0..k {
                let event = ToyEvent::Added(NoteAdded { text: String::from("job") });
                let job = Job { name: "toy", key: alloc::format!("{at}/{i}"), event };
                jobs.push(Scheduled { at: crate::ids::Timestamp(at), job });
            }
        }
        jobs
    }
    fn view<'a>(&'a self, state: &'a ToyState, _: crate::ids::Timestamp) -> ToyView<'a> {
        ToyView { notes: &state.notes }
    }
}

/// `jobs@<at>x<k>`: `k` jobs due from `at` (see `Toy::due`).
fn toy_jobs(note: &str) -> Option<(u64, u32)> {
    let (at, k) = note.strip_prefix("jobs@")?.split_once('x')?;
    Some((at.parse().ok()?, k.parse().ok()?))
}

/// A log in a vector, for the kernel's own tests.
#[derive(Default)]
pub(crate) struct VecStore {
    pub(crate) rows: Vec<Row>,
    pub(crate) snapshot: Option<SnapshotRecord>,
}

impl Store for VecStore {
    fn append(&mut self, rows: &[Row]) -> Result<Appended, StoreError> {
        for (index, row) in rows.iter().enumerate() {
            if let Some(existing) = self.rows.iter().find(|r| r.event_id == row.event_id) {
                return Ok(Appended::Duplicate { index, existing: existing.seq });
            }
        }
        self.rows.extend_from_slice(rows);
        Ok(Appended::Written)
    }
    fn read_after(&self, after: Seq, limit: usize) -> Result<Vec<Row>, StoreError> {
        Ok(self.rows.iter().filter(|r| r.seq > after).take(limit).cloned().collect())
    }
    fn find_event(&self, event_id: EventId) -> Result<Option<Seq>, StoreError> {
        Ok(self.rows.iter().find(|r| r.event_id == event_id).map(|r| r.seq))
    }
    fn last_seq(&self) -> Result<Seq, StoreError> {
        Ok(self.rows.last().map_or(Seq::ZERO, |r| r.seq))
    }
    fn save_snapshot(&mut self, snapshot: &SnapshotRecord) -> Result<(), StoreError> {
        self.snapshot = Some(snapshot.clone());
        Ok(())
    }
    fn load_snapshot(&self) -> Result<Option<SnapshotRecord>, StoreError> {
        Ok(self.snapshot.clone())
    }
}
