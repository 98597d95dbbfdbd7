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

#![deny(missing_docs)]
#![forbid(unsafe_code)]

#[cfg(feature = "testing")]
pub mod check;
mod clock;
mod llm;
mod push;
mod sim;
mod store;

pub use clock::{block_on, ManualClock};
pub use llm::{Script, ScriptStream, ScriptedLlm, StandIn, StandInStream, Step, STAND_IN_NAME};
pub use push::MemoryPush;
pub use sim::{ByHand, SendError, Sim, SimHost, SimTransport, SIM_EPOCH_MS};
pub use store::{MemoryStore, StoreFaults};
