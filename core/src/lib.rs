//! # microcos-core
//!
//! An event-sourcing kernel for Rust with LLM operations as a first-class
//! primitive: exact dedupe, a client-action window, effects released only
//! after durability, snapshots in pieces, model operations that stream,
//! checkpoint, retry, cancel and resume without a duplicate token, jobs as
//! data with derived ids, and byte-identical replay on native and wasm32.
//!
//! The kernel knows no domain. An application implements [`Domain`]: its
//! event catalogue ([`catalogue!`]), state and reducer, rules, which events
//! start a model operation and how its output becomes events, and its jobs.
//! The assistant of microcos (`microcos-assistant`) is one such domain.
//!
//! The crate is `no_std` + `alloc` and sans-IO: it does no I/O, reads no
//! clock and draws no random numbers. Time and ids come in with the inputs;
//! events, state changes and effects come out. Adapters implement the ports
//! ([`Store`], [`Llm`], [`Push`], [`Clock`]) and move bytes; the host
//! protocol that serves the HTTP edge over them lives in `microcos-host`.
//!
//! # Quick start
//!
//! An embedder supplies a domain, a [`Store`] and a model, and drives the
//! [`Engine`] with one rule: after every input, drain [`Engine::poll_output`]
//! until [`Output::Wait`]. Here the domain keeps notes that a model answers,
//! the store is a log in a `Vec`, and the model's tokens are fed by hand
//! (any [`Llm`] streams them). Add `microcos-core` and `serde` (with
//! `derive`) to your dependencies; this runs as it is:
//!
//! ```
//! use microcos_core::{EventMeta, Reply};
//! use microcos_core::{Input, Output};
//! use microcos_core::{Prompt, PromptMessage, PromptRole};
//! use microcos_core::{Appended, Row, SnapshotRecord};
//! use microcos_core::validate::{check_text, parse_client_request, Limits};
//! use microcos_core::{uuid::Uuid, Config, Domain, Engine, EventId, Operation, OperationInput, Rejection};
//! use microcos_core::{RequestId, RequestMeta, Seq, Store, StoreError, Timestamp, UserId};
//! use serde::{Deserialize, Serialize};
//!
//! // 1. The events: payloads (their field tables, which client payloads are
//! //    checked against field by field, come from the declaration), then the
//! //    catalogue (wire names, and who may send each).
//! microcos_core::payload!(
//!     /// A note to answer.
//!     NoteAdded { text: String }
//! );
//! microcos_core::payload!(
//!     /// The model's answer.
//!     NoteAnswered { text: String }
//! );
//!
//! microcos_core::catalogue! {
//!     /// What happens to the notes.
//!     pub enum NoteEvent / NoteEventType {
//!         /// A client added a note.
//!         Added(NoteAdded) = "note.added", Client;
//!         /// The model answered it.
//!         Answered(NoteAnswered) = "note.answered", System;
//!     }
//! }
//!
//! // 2. The state (ordered collections only: it is snapshotted), and what
//! //    one model operation works on.
//! #[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
//! pub struct Notes {
//!     pub notes: Vec<String>,
//!     pub answers: Vec<String>,
//! }
//!
//! #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
//! pub struct AnswerNote {
//!     pub note: usize,
//! }
//!
//! impl OperationInput for AnswerNote {
//!     fn kind(&self) -> &'static str {
//!         "answer"
//!     }
//! }
//!
//! // 3. The domain: content bounds, rules, which events open an operation,
//! //    the reducer, the prompt, and how the reply becomes an event.
//! #[derive(Clone, Debug, Default)]
//! pub struct Notebook;
//!
//! impl Domain for Notebook {
//!     type Event = NoteEvent;
//!     type State = Notes;
//!     type Operation = AnswerNote;
//!     type View<'a> = &'a Notes;
//!     const STATE_VERSION: u32 = 1;
//!
//!     fn prepare(&self, event: NoteEvent) -> Result<NoteEvent, Rejection> {
//!         if let NoteEvent::Added(p) = &event {
//!             check_text("payload.text", &p.text, 500, false)?;
//!         }
//!         Ok(event)
//!     }
//!     fn decide(&self, _: &Notes, _: &NoteEvent, _: &EventMeta) -> Result<(), Rejection> {
//!         Ok(()) // every note is welcome
//!     }
//!     fn opens(&self, state: &Notes, event: &NoteEvent, _: &EventMeta) -> Option<AnswerNote> {
//!         matches!(event, NoteEvent::Added(_)).then(|| AnswerNote { note: state.notes.len() })
//!     }
//!     fn apply(&self, state: &mut Notes, event: NoteEvent, _: &EventMeta) {
//!         match event {
//!             NoteEvent::Added(p) => state.notes.push(p.text),
//!             NoteEvent::Answered(p) => state.answers.push(p.text),
//!         }
//!     }
//!     fn prompt(&self, state: &Notes, op: &Operation<AnswerNote>, _: Timestamp) -> Prompt {
//!         let content = state.notes[op.input.note].clone();
//!         Prompt::new(vec![PromptMessage { role: PromptRole::User, content }], 64)
//!     }
//!     fn complete(&self, _: &Notes, _: &Operation<AnswerNote>, reply: &Reply) -> Result<NoteEvent, String> {
//!         Ok(NoteEvent::Answered(NoteAnswered { text: reply.text.to_string() }))
//!     }
//!     fn view<'a>(&'a self, state: &'a Notes, _: Timestamp) -> &'a Notes {
//!         state
//!     }
//! }
//!
//! // 4. A store: append with exact duplicate detection, pages, a snapshot.
//! #[derive(Clone, Default)]
//! pub struct VecStore {
//!     rows: Vec<Row>,
//!     snapshot: Option<SnapshotRecord>,
//! }
//!
//! impl Store for VecStore {
//!     fn append(&mut self, rows: &[Row]) -> Result<Appended, StoreError> {
//!         for (index, row) in rows.iter().enumerate() {
//!             if let Some(existing) = self.rows.iter().find(|r| r.event_id == row.event_id) {
//!                 return Ok(Appended::Duplicate { index, existing: existing.seq });
//!             }
//!         }
//!         self.rows.extend_from_slice(rows);
//!         Ok(Appended::Written)
//!     }
//!     fn read_after(&self, after: Seq, limit: usize) -> Result<Vec<Row>, StoreError> {
//!         Ok(self.rows.iter().filter(|r| r.seq > after).take(limit).cloned().collect())
//!     }
//!     fn find_event(&self, event_id: EventId) -> Result<Option<Seq>, StoreError> {
//!         Ok(self.rows.iter().find(|r| r.event_id == event_id).map(|r| r.seq))
//!     }
//!     fn last_seq(&self) -> Result<Seq, StoreError> {
//!         Ok(self.rows.last().map_or(Seq::ZERO, |r| r.seq))
//!     }
//!     fn save_snapshot(&mut self, snapshot: &SnapshotRecord) -> Result<(), StoreError> {
//!         self.snapshot = Some(snapshot.clone());
//!         Ok(())
//!     }
//!     fn load_snapshot(&self) -> Result<Option<SnapshotRecord>, StoreError> {
//!         Ok(self.snapshot.clone())
//!     }
//! }
//!
//! // 5. Drive it. The transport supplies fresh ids and the time: the kernel
//! //    draws no randomness and reads no clock.
//! fn main() -> Result<(), Box<dyn std::error::Error>> {
//!     let user = UserId::parse("alice").ok_or("bad user id")?;
//!     let now = Timestamp(1_764_300_000_000);
//!     let (mut engine, _) = Engine::open(user.clone(), Config::default(), Notebook, VecStore::default(), now)?;
//!
//!     let body = br#"{"type":"note.added","payload":{"text":"Water the ferns"},"client_action_id":"n-1"}"#;
//!     let request = parse_client_request(body, &Notebook, &Limits::default())?;
//!     let meta = RequestMeta {
//!         request_id: RequestId(Uuid::from_u128(1)),
//!         event_id: EventId(Uuid::from_u128(2)),
//!         timestamp: now,
//!     };
//!     let accepted = engine.submit(request, meta)?;
//!     assert_eq!(accepted.seq, Seq(1));
//!
//!     // The drain rule: after every input, poll outputs until `Wait`.
//!     while let Output::Push(_) | Output::Start(_) = engine.poll_output() {} // (a real host pushes and starts them)
//!     let op = accepted.operation_id.ok_or("a note starts an answer")?;
//!     let req = engine.begin(op, now)?.ok_or("nothing to start")?;
//!     assert_eq!(req.messages[0].content, "Water the ferns"); // the domain's prompt
//!     for text in ["Once a week", ", with rain water."] {
//!         // the model's tokens: each is checkpointed and pushed as it comes
//!         engine.handle_input(Input::Token { operation_id: op, attempt: req.attempt, text: text.into(), now })?;
//!         while let Output::Push(_) = engine.poll_output() {}
//!     }
//!     let tool_calls = Vec::new(); // a model that called tools says so at the end
//!     engine.handle_input(Input::StreamEnd { operation_id: op, attempt: req.attempt, tool_calls, now })?;
//!     while let Output::Push(_) | Output::Start(_) = engine.poll_output() {}
//!     assert_eq!(engine.state().domain.answers, ["Once a week, with rain water."]);
//!
//!     // The log is the truth: an engine opened again from the store has the same state.
//!     let (reopened, _) = Engine::open(user, Config::default(), Notebook, engine.store().clone(), now)?;
//!     assert_eq!(reopened.state(), engine.state());
//!     Ok(())
//! }
//! ```
//!
//! Swap `VecStore` for a durable [`Store`] and the hand-fed tokens for an
//! [`Llm`]. `microcos-host`'s `Host` is this loop with background model
//! streams, alarms, retries and failure recovery, written once for every
//! transport; `microcos-memory` has an in-memory store, a scripted model
//! and a simulation harness for tests.
//!
//! # Layout
//!
//! Every item has one path. The kernel's vocabulary is named at the crate
//! root, from private files; the toolkits that have items of their own are
//! modules.
//!
//! - `domain.rs`: the [`Domain`] trait and what it is given and gives back ([`EventMeta`], [`Reply`], [`Job`], [`Scheduled`]).
//! - `event.rs` (and `event/`): the envelope and its wire format; the [`Catalogue`] trait, [`catalogue!`] and [`payload!`].
//! - `operation.rs`: model operations and their `llm.*` events.
//! - `ids.rs`: identifiers (deterministic UUID v5 for system events), sequence numbers, timestamps.
//! - `error.rs`: stable error codes and rejections.
//! - `state.rs`: the state and the kernel's reducer (no logic, cannot fail).
//! - `machine.rs`: decisions, effects, token checkpoints, retries, jobs, resume; the engine drives it, and [`Engine`] reads it ([`Engine::state`], [`Engine::view`], [`Engine::partial_text`]).
//! - `llm.rs`: the request the kernel sends a model.
//! - `frame.rs`: realtime frames and the resume cursor.
//! - `ports.rs`: [`Store`], [`Llm`], [`Push`], [`Clock`].
//! - `view.rs`: what clients see: the snapshot body, the operations in flight.
//! - `engine.rs`: the one way to drive the kernel: [`Engine::submit`], [`Engine::begin`], [`Engine::subscribe`], [`Engine::handle_input`], then drain [`Engine::poll_output`].
//! - `replica.rs`: a client's copy of one user's state, for optimistic updates.
//! - [`validate`]: bounded, field-precise validation of client bodies; payload field tables.
//! - [`time`], [`tz`]: civil dates and times; time-zone rules (POSIX TZ strings), local time to instant and back, and the rule of each zone of the database today.
//! - [`snapshot`], [`replay`]: pieces under 2 MB; exact-dedupe replay ([`ExactSet`]).
//! - `testing` (feature `testing`): replay checkers for any domain.
//! - `schema` (feature `schema`): JSON Schema of the kernel's wire types and of a client request.
//! - `structured` (feature `structured`): a model's structured answer: its schema and its parse from one type.
//!
//! # Features
//!
//! - `std` (default): `std::error::Error` impls.
//! - `testing`: public checkers for property-based replay.
//! - `schema`: JSON Schema derives on the kernel's wire types (schemars).
//! - `structured`: [`structured::Structured`], a model's structured answer declared once as a type (its schema and its parse; schemars, no std needed).

#![no_std]
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The README's examples, run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

extern crate alloc;
// Lets the exported macros name this crate the same way inside and outside it.
extern crate self as microcos_core;
#[cfg(feature = "std")]
extern crate std;

// The kernel's vocabulary lives in private modules, each item named once,
// at the crate root (below). The toolkits with items of their own stay
// modules: validate, replay, snapshot, time, tz, and the feature kits.
mod dedupe;
mod domain;
mod engine;
mod error;
mod event;
mod field;
mod frame;
mod ids;
mod llm;
mod machine;
mod operation;
mod ports;
pub mod replay;
mod replica;
pub mod snapshot;
mod state;
#[cfg(feature = "structured")]
#[cfg_attr(docsrs, doc(cfg(feature = "structured")))]
pub mod structured;
pub mod time;
pub mod tz;
pub mod validate;
mod view;

#[cfg(feature = "schema")]
pub mod schema;
#[cfg(feature = "testing")]
pub mod testing;
#[cfg(test)]
mod toy;

#[doc(hidden)]
pub mod __private {
    #[cfg(feature = "schema")]
    pub use alloc::borrow::Cow;
    #[cfg(feature = "schema")]
    pub use schemars;
    pub use serde;
}

pub use dedupe::ExactSet;
pub use domain::{Domain, EventMeta, Job, Reply, Scheduled, TypeOf};
pub use engine::{
    decode_row, read_state, Accepted, Answer, Backlog, Engine, EngineError, Input, Output, Restored, Stall,
};
pub use error::{DomainCode, ErrorCode, Rejection};
pub use event::{Catalogue, Envelope, Event, EventKind, EventType, Origin, SCHEMA_VERSION};
pub use frame::{Cursor, Delivery, Frame, Gap};
pub use ids::{derive_uuid, ClientActionId, EventId, OperationId, RequestId, Seq, Timestamp, UserId, ID_NAMESPACE};
pub use llm::{LlmRequest, Prompt, PromptMessage, PromptRole, Tool};
pub use machine::{Config, RequestMeta};
pub use operation::{
    FailureCode, LlmCancel, LlmCheckpoint, LlmCompleted, LlmEvent, LlmEventType, LlmFailed, LlmRetryScheduled,
    LlmStarted, LlmToken, Operation, OperationInput, OperationKind, OperationStatus, Tokens, ToolCall,
};
pub use ports::{
    Appended, Clock, Llm, LlmError, LlmErrorKind, Push, Row, SnapshotRecord, Store, StoreError, TokenStream,
};
pub use replica::{Received, Replica};
pub use state::{ActionRecord, Bounds, Idempotency, State};
pub use uuid;
pub use view::{OperationView, SnapshotView, StateView};
