//! # microcos-core
//!
//! The portable, deterministic heart of microcos, a personal-assistant backend
//! (chat with an LLM, tasks, a daily plan, summaries) built on event sourcing.
//!
//! The crate is `no_std` + `alloc` and sans-IO: it does no I/O, reads no
//! clock and draws no random numbers. Time and ids come in with the inputs;
//! events, state changes and effects come out. Adapters implement the ports
//! ([`Store`], [`Llm`], [`Push`], [`Clock`]) and move bytes.
//!
//! ```
//! use microcos_core::{Config, Machine, RequestMeta, UserId, EventId, RequestId, Timestamp};
//! use microcos_core::validate::{parse_client_request, Limits};
//!
//! let user = UserId::parse("alice").unwrap();
//! let machine = Machine::new(user, Config::default());
//! let body = br#"{"type":"task.created","payload":{"title":"Book flights"}}"#;
//! let req = parse_client_request(body, &Limits::default()).unwrap();
//! let meta = RequestMeta {
//!     request_id: RequestId(uuid::Uuid::from_u128(1)),
//!     event_id: EventId(uuid::Uuid::from_u128(2)),
//!     timestamp: Timestamp(1_764_300_000_000),
//! };
//! let env = machine.envelope(req, meta);
//! machine.decide(&env).unwrap();
//! assert_eq!(env.event_type().as_str(), "task.created");
//! ```
//!
//! # Layout
//!
//! - [`ids`], [`time`]: identifiers (deterministic UUID v5 for system events),
//!   sequence numbers, timestamps, civil dates.
//! - [`event`]: the event catalogue and the envelope wire format.
//! - [`validate`], [`error`]: bounded, field-precise validation; stable error codes.
//! - [`state`]: the state and the reducer (no logic, cannot fail).
//! - [`machine`]: decisions, effects, token checkpoints, retries, jobs, resume.
//! - [`llm`]: the context builder and structured-output parsing.
//! - [`frame`]: realtime frames and the resume cursor.
//! - [`snapshot`], [`replay`], [`dedupe`]: pieces under 2 MB; exact-dedupe replay.
//! - [`ports`]: `Store`, `Llm`, `Push`, `Clock`.
//! - [`edge`], [`auth`], [`view`]: the HTTP edge shared by every transport (routing,
//!   signed bearer tokens, validation, response shaping, the client view).
//! - [`sql`], [`sse`]: the storage schema and SQL text, and model-stream decoding,
//!   shared by the local service and the Worker.
//! - [`engine`] (sync: machine + store + push) and [`driver`] (async: + model + clock).
//! - `testing` (feature `testing`): proptest strategies and replay checkers.
//! - `schema` (feature `schema`): JSON Schema of client-sent types.
//!
//! # Features
//!
//! - `std` (default): `std::error::Error` impls.
//! - `testing`: public strategies and checkers for property-based replay.
//! - `schema`: JSON Schema export (schemars).

#![no_std]
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_auto_cfg))]

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod auth;
pub mod dedupe;
pub mod driver;
pub mod edge;
pub mod engine;
pub mod error;
pub mod event;
pub mod frame;
pub mod ids;
pub mod llm;
pub mod machine;
pub mod ports;
pub mod replay;
pub mod snapshot;
pub mod sql;
pub mod sse;
pub mod state;
pub mod time;
pub mod validate;
pub mod view;

#[cfg(feature = "schema")]
pub mod schema;
#[cfg(feature = "testing")]
pub mod testing;

pub use driver::{Driver, Run};
pub use engine::{Accepted, Engine, EngineError, Restored};
pub use error::{ErrorCode, Rejection};
pub use event::{Envelope, Event, EventType, OperationKind, SCHEMA_VERSION};
pub use frame::{Cursor, Delivery, Frame, Gap};
pub use ids::{ClientActionId, EventId, OperationId, RequestId, Seq, TaskId, Timestamp, UserId};
pub use machine::{Config, Effect, Machine, RequestMeta};
pub use ports::{Clock, Llm, LlmError, LlmErrorKind, Push, Store, StoreError, TokenStream};
pub use state::{State, STATE_VERSION};
pub use uuid;
