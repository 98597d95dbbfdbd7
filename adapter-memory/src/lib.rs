//! # microcos-memory
//!
//! In-memory implementations of the microcos ports, for any domain, for
//! tests, simulations and embedding, with deterministic fault injection:
//!
//! - [`MemoryStore`]: the event log and snapshots; fail the Nth append, or
//!   crash after it was written ([`StoreFaults`]).
//! - [`ScriptedLlm`]: token scripts with errors and stalls at chosen points,
//!   falling back to a deterministic offline [`StandIn`] model (a domain
//!   supplies the reply function that suits its operations).
//! - [`MemoryPush`]: subscribers that resume after a cursor, dropped pushes,
//!   and an audit that nothing is pushed before it is stored.
//! - [`ManualClock`] (virtual time) and [`block_on`].
//! - [`Sim`]: all of the above around one user's host ([`microcos_host::Host`]), for any domain.
//! - `check` (feature `testing`): the kernel's guarantees as checks any domain can run.
//!
//! ```
//! use microcos_assistant::{stand_in, Assistant};
//! use microcos_core::Config;
//! use microcos_memory::{Sim, StandIn};
//!
//! let mut sim = Sim::new("alice", Config::default(), Assistant::default());
//! sim.llm.set_stand_in(StandIn::new(stand_in::reply));
//! sim.send(r#"{"type":"user.message","payload":{"text":"Hello"}}"#).unwrap();
//! sim.run().unwrap();
//! let state = sim.state().unwrap();
//! assert_eq!(state.domain.chat.messages.len(), 2); // the message and the reply
//! ```
//!
//! Each double is also a port on its own. The scripted model, on a virtual
//! clock:
//!
//! ```
//! use microcos_core::LlmRequest;
//! use microcos_core::{uuid::Uuid, Clock, Llm, LlmErrorKind, OperationId, OperationKind, Timestamp, TokenStream};
//! use microcos_memory::{block_on, ManualClock, Script, ScriptedLlm, Step};
//!
//! let clock = ManualClock::at(1_000);
//! // Each token takes 25 ms; a model that goes silent is given up after 30 s.
//! let model = ScriptedLlm::new(clock.clone(), 25, 30_000);
//! model.queue(Script::Reply(vec![Step::Token("Hel".into()), Step::Token("lo".into()), Step::Stall]));
//! let request = LlmRequest {
//!     operation_id: OperationId(Uuid::from_u128(1)),
//!     attempt: 1,
//!     kind: OperationKind::new("reply"),
//!     messages: Vec::new(),
//!     json: false,
//!     schema: None,
//!     max_tokens: 64,
//!     tools: Vec::new(),
//! };
//! let mut stream = block_on(model.generate(&request)).unwrap();
//! assert_eq!(block_on(stream.next_token()), Some(Ok("Hel".to_string())));
//! assert_eq!(block_on(stream.next_token()), Some(Ok("lo".to_string())));
//! let stalled = block_on(stream.next_token()).unwrap().unwrap_err();
//! assert_eq!(stalled.kind, LlmErrorKind::Stalled);
//! assert_eq!(clock.now(), Timestamp(1_000 + 2 * 25 + 30_000)); // virtual time only
//! assert_eq!(model.calls(), [request]);
//! ```
//!
//! A [`Sim`] runs any domain: [`Sim::send`] client bodies, [`Sim::run`] the
//! model streams they start, [`Sim::settle`] through retries and jobs on
//! virtual time, then read [`Sim::state`], the log ([`Sim::store`]) and the
//! frames pushed ([`Sim::push`]).

#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The README's examples, run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

#[cfg(feature = "testing")]
pub mod check;
mod clock;
mod llm;
mod push;
mod sim;
mod store;

pub use clock::{block_on, ManualClock};
pub use llm::{Script, ScriptStream, ScriptedLlm, Step};
/// The offline stand-in model, re-exported from `microcos-host` (where it lives).
pub use microcos_host::{StandIn, StandInStream, STAND_IN_NAME};
pub use push::MemoryPush;
pub use sim::{ByHand, SendError, Sim, SimHost, SimTransport, SIM_EPOCH_MS};
pub use store::{MemoryStore, StoreFaults};
