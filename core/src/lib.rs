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
//! # Layout
//!
//! - [`domain`]: the [`Domain`] trait and what it is given ([`domain::Apply`], [`domain::EventMeta`]).
//! - [`event`]: the envelope and its wire format; the [`event::Catalogue`] trait and [`catalogue!`].
//! - [`operation`]: model operations and their `llm.*` events.
//! - [`ids`], [`time`]: identifiers (deterministic UUID v5 for system events),
//!   sequence numbers, timestamps, civil dates.
//! - [`validate`], [`error`]: bounded, field-precise validation; stable error codes.
//! - [`state`]: the state and the kernel's reducer (no logic, cannot fail).
//! - [`machine`]: decisions, effects, token checkpoints, retries, jobs, resume.
//! - [`llm`]: the request the kernel sends a model.
//! - [`frame`]: realtime frames and the resume cursor.
//! - [`snapshot`], [`replay`], [`dedupe`]: pieces under 2 MB; exact-dedupe replay.
//! - [`ports`]: `Store`, `Llm`, `Push`, `Clock`.
//! - [`view`]: what clients see of operations in flight, and the snapshot body.
//! - [`engine`]: the one way to drive the kernel: `handle_input`, then drain `poll_output`.
//! - `testing` (feature `testing`): replay checkers for any domain.
//! - `schema` (feature `schema`): JSON Schema of the kernel's wire types and of a client request.
//!
//! # Features
//!
//! - `std` (default): `std::error::Error` impls.
//! - `testing`: public checkers for property-based replay.
//! - `schema`: JSON Schema derives on the kernel's wire types (schemars).

#![no_std]
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

extern crate alloc;
// Lets the exported macros name this crate the same way inside and outside it.
extern crate self as microcos_core;
#[cfg(feature = "std")]
extern crate std;

pub mod dedupe;
pub mod domain;
pub mod engine;
pub mod error;
pub mod event;
pub mod frame;
pub mod ids;
pub mod llm;
pub mod machine;
pub mod operation;
pub mod ports;
pub mod replay;
pub mod replica;
pub mod snapshot;
pub mod state;
pub mod time;
pub mod validate;
pub mod view;

#[cfg(feature = "schema")]
pub mod schema;
#[cfg(feature = "testing")]
pub mod testing;
#[cfg(test)]
mod toy;

#[doc(hidden)]
pub mod __private {
    pub use serde;
}

pub use domain::{Domain, EventMeta, Job, OpeningMismatch};
pub use engine::{Accepted, Answer, Backlog, Engine, EngineError, Input, Output, Restored};
pub use error::{DomainCode, ErrorCode, Rejection};
pub use event::{Catalogue, Envelope, Event, EventKind, EventType, Origin, SCHEMA_VERSION};
pub use frame::{Cursor, Delivery, Frame, Gap};
pub use ids::{ClientActionId, EventId, OperationId, RequestId, Seq, Timestamp, UserId};
pub use llm::{LlmRequest, Prompt, PromptMessage, PromptRole, Tool, ToolCall};
pub use machine::{Config, Machine, RequestMeta};
pub use operation::{FailureCode, LlmEvent, Operation, OperationInput, OperationKind, OperationStatus};
pub use ports::{Clock, Llm, LlmError, LlmErrorKind, Push, Store, StoreError, TokenStream};
pub use replica::{Received, Replica};
pub use state::State;
pub use uuid;
