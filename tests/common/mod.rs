//! Helpers shared by the workspace tests.
#![allow(dead_code)]

pub mod service;

use microcos_assistant::{stand_in, Assistant, Envelope, Frame, State};
use microcos_core::{Config, Cursor};
use microcos_memory::{MemoryStore, Sim, StandIn};

/// A simulated assistant user, answered by the assistant's stand-in model
/// when no script is queued.
pub fn sim(user: &str, config: Config) -> Sim<Assistant> {
    sim_with(user, config, Assistant::default())
}

/// [`sim`] with a configured assistant.
pub fn sim_with(user: &str, config: Config, assistant: Assistant) -> Sim<Assistant> {
    let sim = Sim::new(user, config, assistant);
    sim.llm.set_stand_in(StandIn::with_tools(stand_in::reply, stand_in::tool_calls));
    sim
}

/// The stored log, decoded.
pub fn log(store: &MemoryStore) -> Vec<Envelope> {
    microcos_memory::check::log(store).expect("stored rows decode")
}

/// One line per stored event: `seq type [op] payload`, ids shortened.
pub fn transcript(store: &MemoryStore) -> String {
    let mut out = String::new();
    for env in log(store) {
        let v: serde_json::Value = serde_json::from_str(&env.to_json()).unwrap();
        let op = env.operation_id.map(|o| format!(" op={}", &o.to_string()[..8])).unwrap_or_default();
        let ca = env.client_action_id.as_ref().map(|c| format!(" ca={}", c.0)).unwrap_or_default();
        out.push_str(&format!("{:>3} {}{}{} {}\n", env.seq.0, env.event_type(), op, ca, v["payload"]));
    }
    out
}

/// One line per frame a subscriber received.
pub fn frames(frames: &[Frame]) -> String {
    frames
        .iter()
        .map(|f| match f {
            Frame::Event { seq, event } => format!("event {} {}", seq.0, event.event_type()),
            Frame::Progress { seq, event_type, attempt, through_index, .. } => {
                format!("progress {} {event_type} attempt={attempt} through={through_index}", seq.0)
            }
            Frame::Token { attempt, index, text, .. } => format!("token attempt={attempt} #{index} {text:?}"),
        })
        .collect::<Vec<_>>()
        .join("\n")
}

/// The live state, which must exist.
pub fn state(sim: &Sim<Assistant>) -> State {
    sim.state().expect("engine is up")
}

/// The frames a client resuming at `cursor` gets first.
pub fn backlog(sim: &mut Sim<Assistant>, cursor: &Cursor) -> Vec<Frame> {
    sim.backlog(cursor).expect("subscribes")
}

/// Connects a subscriber at `cursor` (its backlog first, then live frames).
pub fn subscribe(sim: &mut Sim<Assistant>, cursor: &Cursor) -> u64 {
    sim.subscribe(cursor).expect("subscribes")
}
