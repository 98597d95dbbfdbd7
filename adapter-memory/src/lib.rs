//! # microcos-memory
//!
//! In-memory implementations of the microcos ports, for tests, simulations
//! and embedding, with deterministic fault injection:
//!
//! - [`MemoryStore`]: the event log and snapshots; fail the Nth append, or
//!   crash after it was written ([`StoreFaults`]).
//! - [`ScriptedLlm`]: token scripts with errors and stalls at chosen points,
//!   falling back to the deterministic offline [`StandIn`] model.
//! - [`MemoryPush`]: subscribers that resume after a cursor, dropped pushes,
//!   and an audit that nothing is pushed before it is stored.
//! - [`ManualClock`] (virtual time), [`SystemClock`] and [`block_on`].
//! - [`Sim`]: all of the above around one user's driver.
//!
//! ```
//! use microcos_memory::Sim;
//! use microcos_core::Config;
//!
//! let mut sim = Sim::new("alice", Config::default());
//! sim.send(r#"{"type":"user.message","payload":{"text":"Hello"}}"#).unwrap();
//! sim.run().unwrap();
//! let state = sim.state().unwrap();
//! assert_eq!(state.chat.messages.len(), 2); // the message and the reply
//! ```

#![deny(missing_docs)]
#![forbid(unsafe_code)]

mod clock;
mod llm;
mod push;
mod sim;
mod store;

pub use clock::{block_on, ManualClock, SystemClock};
pub use llm::{Script, ScriptStream, ScriptedLlm, StandIn, StandInStream, Step, STAND_IN_NAME};
pub use push::MemoryPush;
pub use sim::{SendError, Sim, SimDriver, SIM_EPOCH_MS};
pub use store::{MemoryStore, StoreFaults};
