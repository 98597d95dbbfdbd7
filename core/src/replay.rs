//! Replaying a log: parse, dedupe exactly, reduce.
//!
//! Replay never calls a model and never reads a clock: LLM output is in the
//! log as events. The same log gives byte-identical state ([`State::to_bytes`])
//! on every target.

use alloc::string::ToString;

use crate::dedupe::ExactSet;
use crate::domain::Domain;
use crate::engine::EngineError;
use crate::event::Envelope;
use crate::ids::Seq;
use crate::state::{Bounds, State};

/// Folds envelopes into a state, dropping repeated event ids (exact 128-bit
/// keys, never hashes: see [`ExactSet`]).
#[derive(Clone, Debug)]
pub struct Replayer<D: Domain> {
    state: State<D>,
    domain: D,
    bounds: Bounds,
    seen: ExactSet,
    duplicates: u64,
}

impl<D: Domain> Replayer<D> {
    /// A replayer from empty state.
    pub fn new(domain: D, bounds: Bounds) -> Self {
        Replayer { state: State::default(), domain, bounds, seen: ExactSet::new(), duplicates: 0 }
    }

    /// Applies one envelope unless its id was seen; returns whether it applied.
    pub fn apply(&mut self, env: &Envelope<D::Event>) -> bool {
        self.apply_owned(env.clone())
    }

    /// [`Replayer::apply`] for an envelope the caller no longer needs.
    pub fn apply_owned(&mut self, env: Envelope<D::Event>) -> bool {
        if !self.seen.insert(env.event_id.as_u128()) {
            self.duplicates += 1;
            return false;
        }
        self.state.apply_owned(env, &self.domain, &self.bounds);
        true
    }

    /// Parses and applies one JSON envelope.
    pub fn apply_json(&mut self, line: &str) -> Result<bool, EngineError> {
        let env = Envelope::<D::Event>::from_json_to_apply(line)
            .map_err(|e| EngineError::Corrupt { seq: self.state.seq.next(), message: e.to_string() })?;
        Ok(self.apply_owned(env))
    }

    /// Duplicates dropped so far.
    pub fn duplicates(&self) -> u64 {
        self.duplicates
    }
    /// The state so far.
    pub fn state(&self) -> &State<D> {
        &self.state
    }
    /// The final state.
    pub fn finish(self) -> State<D> {
        self.state
    }
}

/// Replays envelopes from empty state.
pub fn replay<'a, D: Domain>(
    events: impl IntoIterator<Item = &'a Envelope<D::Event>>,
    domain: &D,
    bounds: &Bounds,
) -> State<D> {
    let mut r = Replayer::new(domain.clone(), bounds.clone());
    events.into_iter().for_each(|e| {
        r.apply(e);
    });
    r.finish()
}

/// Replays `events` on top of a snapshot state (events at or before its seq are skipped).
pub fn replay_from<'a, D: Domain>(
    snapshot: State<D>,
    events: impl IntoIterator<Item = &'a Envelope<D::Event>>,
    domain: &D,
    bounds: &Bounds,
) -> State<D> {
    let from: Seq = snapshot.seq;
    let mut state = snapshot;
    for e in events.into_iter().filter(|e| e.seq > from) {
        state.apply(e, domain, bounds);
    }
    state
}
