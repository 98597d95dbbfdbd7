//! A toy domain for the kernel's own unit tests: notes that the model echoes.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::domain::{Apply, Domain, EventMeta, Job, TypeOf};
use crate::error::Rejection;
use crate::ids::{EventId, Seq};
use crate::llm::{Prompt, PromptMessage, PromptRole};
use crate::operation::{Operation, OperationInput};
use crate::ports::{Appended, Row, SnapshotRecord, Store, StoreError};
use crate::state::State;
use crate::validate::{check_text, FieldKind, FieldSpec};
use crate::view::OperationView;

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoteAdded {
    pub(crate) text: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct NoteEchoed {
    pub(crate) text: String,
}

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
    operations: Vec<OperationView>,
}

impl Domain for Toy {
    type Event = ToyEvent;
    type State = ToyState;
    type Operation = Echo;
    type View<'a> = ToyView<'a>;
    const STATE_VERSION: u32 = 1;

    fn payload_fields(&self, ty: TypeOf<Self>) -> &'static [FieldSpec] {
        const ADDED: &[FieldSpec] = &[FieldSpec::required("text", FieldKind::Str)];
        match ty {
            ToyEventType::Added => ADDED,
            ToyEventType::Echoed => &[],
        }
    }
    fn validate(&self, event: &ToyEvent) -> Result<(), Rejection> {
        match event {
            ToyEvent::Added(p) => check_text("payload.text", &p.text, 100, false),
            ToyEvent::Echoed(_) => Ok(()),
        }
    }
    /// A note `tz:<zone>` is recorded with the zone's rule (`tz:<zone>=<rule>`).
    fn prepare(&self, event: ToyEvent) -> Result<ToyEvent, Rejection> {
        match event {
            ToyEvent::Added(NoteAdded { text }) if text.starts_with("tz:") && !text.contains('=') => {
                let zone = &text[3..];
                let rule = crate::tz::zone_rule(zone).ok_or_else(|| {
                    Rejection::field(
                        crate::ErrorCode::InvalidValue,
                        "payload.text",
                        "a time zone the database does not have",
                    )
                })?;
                Ok(ToyEvent::Added(NoteAdded { text: alloc::format!("tz:{zone}={rule}") }))
            }
            other => Ok(other),
        }
    }
    fn decide(&self, _: &State<Self>, _: &ToyEvent, _: &EventMeta) -> Result<(), Rejection> {
        Ok(())
    }
    fn starts_operation(&self, event: &ToyEvent) -> bool {
        matches!(event, ToyEvent::Added(_))
    }
    fn apply(&self, state: &mut ToyState, event: ToyEvent, cx: &mut Apply<'_, Echo>) {
        match event {
            ToyEvent::Added(p) => {
                state.by_seq.insert(cx.meta().seq, p.text.clone());
                state.notes.push(p.text);
                cx.open_operation(Echo);
            }
            ToyEvent::Echoed(p) => state.notes.push(p.text),
        }
    }
    fn prompt(&self, state: &State<Self>, _: &Operation<Echo>, _: crate::Timestamp) -> Prompt {
        let content = state.domain.notes.last().cloned().unwrap_or_default();
        Prompt {
            messages: alloc::vec![PromptMessage { role: PromptRole::User, content }],
            schema: None,
            max_tokens: 16,
        }
    }
    fn complete(&self, _: &State<Self>, _: &Operation<Echo>, output: &str) -> Result<ToyEvent, String> {
        Ok(ToyEvent::Echoed(NoteEchoed { text: String::from(output) }))
    }
    /// A note `jobs@<at>x<k>` calls `k` jobs due from time `at` on, and
    /// never stops calling them: a domain whose job keys do not name the
    /// occurrence (each adds a note, which opens an operation).
    fn due(&self, state: &State<Self>, now: crate::Timestamp) -> Vec<Job<ToyEvent>> {
        let mut jobs = Vec::new();
        for note in &state.domain.notes {
            if let Some((at, k)) = toy_jobs(note).filter(|(at, _)| *at <= now.0) {
                for i in 0..k {
                    let event = ToyEvent::Added(NoteAdded { text: String::from("job") });
                    jobs.push(Job { name: "toy", key: alloc::format!("{at}/{i}"), event });
                }
            }
        }
        jobs
    }
    fn next_wake(&self, state: &State<Self>, _: crate::Timestamp) -> Option<crate::Timestamp> {
        state.domain.notes.iter().filter_map(|n| toy_jobs(n)).map(|(at, _)| crate::Timestamp(at)).min()
    }
    fn view<'a>(&'a self, state: &'a State<Self>, operations: Vec<OperationView>, _: crate::Timestamp) -> ToyView<'a> {
        ToyView { notes: &state.domain.notes, operations }
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
