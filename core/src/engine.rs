//! The synchronous engine: a [`Machine`] wired to a [`Store`] and a [`Push`].
//!
//! It runs one input to completion: validate → dedupe → append → reduce →
//! release effects. Effects (pushes, snapshots, LLM starts) are released only
//! after the store acknowledged the events that caused them. After any storage
//! failure the engine refuses further work ([`EngineError::Poisoned`]): the
//! host must [`Engine::open`] a fresh one, which restores from the store, the
//! way a Durable Object restarts.

use alloc::format;
use alloc::string::ToString;
use alloc::vec::Vec;

use crate::domain::Domain;
use crate::error::{ErrorCode, Rejection};
use crate::event::{Catalogue, Envelope};
use crate::frame::{Cursor, Frame};
use crate::ids::{EventId, OperationId, RequestId, Seq, Timestamp, UserId};
use crate::llm::LlmRequest;
use crate::machine::{Config, Effect, Machine, RequestMeta, TokenStep};
use crate::ports::{Appended, LlmError, Push, Row, Store, StoreError};
use crate::snapshot;
use crate::validate::ClientRequest;

/// Rows read per page when restoring or serving history.
pub const PAGE: usize = 512;

/// Why an engine call did not succeed.
#[derive(Debug, thiserror::Error)]
#[non_exhaustive]
pub enum EngineError {
    /// The input was refused (bad or conflicting); nothing was stored.
    #[error(transparent)]
    Rejected(#[from] Rejection),
    /// The store failed; the engine is now poisoned.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// A stored event does not decode.
    #[error("corrupt log at seq {seq}: {message}")]
    Corrupt {
        /// Where.
        seq: Seq,
        /// What.
        message: alloc::string::String,
    },
    /// An earlier storage failure left the engine behind its store: reopen it.
    #[error("the engine must be reopened from its store after a storage failure")]
    Poisoned,
}

/// The answer to an accepted client request.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Accepted {
    /// The event recorded (the original one for a duplicate).
    pub event_id: EventId,
    /// This request's id.
    pub request_id: RequestId,
    /// The event's seq.
    pub seq: Seq,
    /// True when nothing new was stored (a repeated event or client action).
    pub duplicate: bool,
    /// The operation the event started, if any.
    pub operation_id: Option<OperationId>,
}

/// How an engine was restored.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Restored {
    /// Seq of the snapshot used, if one was.
    pub snapshot_seq: Option<Seq>,
    /// True when a snapshot existed but was of another version or corrupt.
    pub snapshot_discarded: bool,
    /// Events replayed from the log on top of the snapshot.
    pub replayed: u64,
}

/// One user's engine.
pub struct Engine<D: Domain, S: Store, P: Push<D::Event>> {
    machine: Machine<D>,
    store: S,
    push: P,
    poisoned: bool,
    work: Vec<OperationId>,
    snapshot_failures: u64,
}

/// Decodes a stored row, checking that it holds the seq it is stored at.
pub fn decode<E: Catalogue>(row: &Row) -> Result<Envelope<E>, EngineError> {
    let env = Envelope::<E>::from_json(&row.body)
        .map_err(|e| EngineError::Corrupt { seq: row.seq, message: e.to_string() })?;
    if env.seq != row.seq {
        return Err(EngineError::Corrupt { seq: row.seq, message: format!("row holds seq {}", env.seq) });
    }
    Ok(env)
}

impl<D: Domain, S: Store, P: Push<D::Event>> Engine<D, S, P> {
    /// Restores a user's engine from its store (latest usable snapshot plus the
    /// log tail), records operations interrupted by the previous stop, and
    /// queues the work that is due at `now`.
    pub fn open(
        user: UserId,
        config: Config,
        domain: D,
        store: S,
        push: P,
        now: Timestamp,
    ) -> Result<(Self, Restored), EngineError> {
        let mut restored = Restored::default();
        let state = match store.load_snapshot()? {
            Some(rec) => match snapshot::decode::<D>(&rec) {
                Ok(state) => {
                    restored.snapshot_seq = Some(state.seq);
                    Some(state)
                }
                Err(_) => {
                    restored.snapshot_discarded = true;
                    None
                }
            },
            None => None,
        };
        let mut machine = match state {
            Some(s) => Machine::from_state(user, config, domain, s),
            None => Machine::new(user, config, domain),
        };
        loop {
            let rows = store.read_after(machine.state().seq, PAGE)?;
            if rows.is_empty() {
                break;
            }
            for row in &rows {
                let env = decode(row)?;
                machine.apply(&env);
                restored.replayed += 1;
            }
        }
        let mut engine = Engine { machine, store, push, poisoned: false, work: Vec::new(), snapshot_failures: 0 };
        let recovered = engine.machine.recover(now);
        engine.commit_system(recovered)?;
        engine.tick(now)?;
        Ok((engine, restored))
    }

    /// The pure machine (state, partial texts, configuration).
    pub fn machine(&self) -> &Machine<D> {
        &self.machine
    }
    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }
    /// The push port (to register subscribers after [`Engine::subscribe`]).
    pub fn push_mut(&mut self) -> &mut P {
        &mut self.push
    }
    /// Snapshots that failed to save (the log stays the truth; counted for operators).
    pub fn snapshot_failures(&self) -> u64 {
        self.snapshot_failures
    }
    /// Takes the operations whose next attempt should start now.
    pub fn take_work(&mut self) -> Vec<OperationId> {
        core::mem::take(&mut self.work)
    }
    /// When the host should next call [`Engine::tick`].
    pub fn next_wake(&self, now: Timestamp) -> Option<Timestamp> {
        self.machine.next_wake(now)
    }

    fn check(&self) -> Result<(), EngineError> {
        if self.poisoned {
            Err(EngineError::Poisoned)
        } else {
            Ok(())
        }
    }

    /// Appends a batch, then applies it and releases its effects.
    fn append(&mut self, mut envs: Vec<Envelope<D::Event>>) -> Result<Appended, EngineError> {
        let mut seq = self.machine.state().seq;
        let rows: Vec<Row> = envs
            .iter_mut()
            .map(|e| {
                seq = seq.next();
                e.seq = seq;
                Row {
                    seq,
                    event_id: e.event_id,
                    event_type: e.event_type().as_str().into(),
                    timestamp: e.timestamp,
                    request_id: e.request_id,
                    operation_id: e.operation_id,
                    body: e.to_json(),
                }
            })
            .collect();
        let outcome = self.store.append(&rows).inspect_err(|_| self.poisoned = true)?;
        if outcome == Appended::Written {
            for env in &envs {
                self.release(env);
            }
            // Follow-ups are decided once the whole batch is applied.
            if let Some(last) = envs.last() {
                let follow = self.machine.follow_ups(last);
                self.commit_system(follow)?;
            }
        }
        Ok(outcome)
    }

    fn release(&mut self, env: &Envelope<D::Event>) {
        for effect in self.machine.apply(env) {
            match effect {
                Effect::Push(frame) => self.push.push(&frame),
                Effect::StartLlm(op) => self.work.push(op),
                Effect::Snapshot => {
                    let rec = snapshot::encode(self.machine.state(), self.machine.config().snapshot_piece_bytes);
                    if self.store.save_snapshot(&rec).is_err() {
                        self.snapshot_failures += 1;
                    }
                }
            }
        }
    }

    /// Stores system events; ones already stored (a job firing twice) are dropped.
    fn commit_system(&mut self, mut envs: Vec<Envelope<D::Event>>) -> Result<(), EngineError> {
        while !envs.is_empty() {
            match self.append(envs.clone())? {
                Appended::Written => return Ok(()),
                Appended::Duplicate { index, .. } => {
                    envs.remove(index);
                }
            }
        }
        Ok(())
    }

    fn original(&self, seq: Seq) -> Result<Envelope<D::Event>, EngineError> {
        let row = self.store.read_at(seq)?.ok_or(EngineError::Corrupt { seq, message: "missing row".to_string() })?;
        decode(&row)
    }

    fn replay_answer(
        &self,
        env: &Envelope<D::Event>,
        seq: Seq,
        code: ErrorCode,
        what: &str,
    ) -> Result<Accepted, EngineError> {
        let original = self.original(seq)?;
        if original.event != env.event {
            return Err(Rejection::field(code, what, format!("{what} was already used for a different event")).into());
        }
        Ok(Accepted {
            event_id: original.event_id,
            request_id: env.request_id,
            seq,
            duplicate: true,
            operation_id: original.operation_id,
        })
    }

    /// Records a validated client request: the whole input path.
    pub fn submit(&mut self, req: ClientRequest<D::Event>, meta: RequestMeta) -> Result<Accepted, EngineError> {
        self.check()?;
        let env = self.machine.envelope(req, meta);
        // The exact event id first: it is permanent (a unique index), while
        // client action ids are remembered only within their retention.
        if let Some(seq) = self.store.find_event(env.event_id)? {
            return self.replay_answer(&env, seq, ErrorCode::EventIdConflict, "event_id");
        }
        if let Some(ca) = &env.client_action_id {
            if let Some(rec) = self.machine.known_action(ca) {
                let seq = rec.seq;
                return self.replay_answer(&env, seq, ErrorCode::ClientActionConflict, "client_action_id");
            }
        }
        self.machine.decide(&env)?;
        let (event_id, operation_id) = (env.event_id, env.operation_id);
        // The client event is the first of its batch; follow-ups come after it.
        let seq = self.machine.state().seq.next();
        match self.append(alloc::vec![env.clone()])? {
            Appended::Written => {
                Ok(Accepted { event_id, request_id: meta.request_id, seq, duplicate: false, operation_id })
            }
            Appended::Duplicate { existing, .. } => {
                self.replay_answer(&env, existing, ErrorCode::EventIdConflict, "event_id")
            }
        }
    }

    /// Fires the jobs due at `now` (daily plan, retries) and queues their work.
    pub fn tick(&mut self, now: Timestamp) -> Result<(), EngineError> {
        self.check()?;
        let due = self.machine.due(now);
        // Operations the committed job events open are queued by `apply`.
        self.commit_system(due.events)?;
        for op in due.start {
            if !self.work.contains(&op) {
                self.work.push(op);
            }
        }
        Ok(())
    }

    /// Starts the next attempt of `op`: stores `llm.started` and returns the prompt.
    /// `None` when the operation is not ready (finished, cancelled, not due).
    pub fn begin_attempt(&mut self, op: OperationId, now: Timestamp) -> Result<Option<LlmRequest>, EngineError> {
        self.check()?;
        let Some(started) = self.machine.begin_attempt(op, now) else { return Ok(None) };
        self.commit_system(alloc::vec![started])?;
        Ok(self.machine.request_for(op))
    }

    /// Records a token: pushes it at once, stores a checkpoint when due.
    /// Returns `false` when the generation should stop (cancelled).
    pub fn on_token(
        &mut self,
        op: OperationId,
        attempt: u32,
        text: alloc::string::String,
        now: Timestamp,
    ) -> Result<bool, EngineError> {
        self.check()?;
        match self.machine.on_token(op, attempt, text, now) {
            TokenStep::Stop => Ok(false),
            TokenStep::Accept { frame, checkpoint } => {
                self.push.push(&frame);
                if let Some(cp) = checkpoint {
                    self.commit_system(alloc::vec![cp])?;
                }
                Ok(true)
            }
        }
    }

    /// Records the end of a stream: completion and result, or a recorded failure.
    pub fn on_complete(&mut self, op: OperationId, attempt: u32, now: Timestamp) -> Result<(), EngineError> {
        self.check()?;
        let events = self.machine.on_complete(op, attempt, now);
        self.commit_system(events)
    }

    /// Records a failed attempt and schedules a retry when allowed.
    pub fn on_error(
        &mut self,
        op: OperationId,
        attempt: u32,
        err: &LlmError,
        now: Timestamp,
    ) -> Result<(), EngineError> {
        self.check()?;
        let events = self.machine.on_error(op, attempt, err, now);
        self.commit_system(events)
    }

    /// Stored events after `after`, at most `limit`, decoded.
    pub fn read_events(&self, after: Seq, limit: usize) -> Result<Vec<Envelope<D::Event>>, EngineError> {
        self.store.read_after(after, limit)?.iter().map(decode).collect()
    }

    /// The frames a subscriber resuming at `cursor` must receive before live
    /// frames. Register the subscriber with the push port before the next
    /// engine call, so that no frame falls in between.
    pub fn subscribe(&self, cursor: &Cursor) -> Result<Vec<Frame<D::Event>>, EngineError> {
        let mut stored = Vec::new();
        let mut after = cursor.after;
        loop {
            let page = self.read_events(after, PAGE)?;
            match page.last() {
                Some(last) => after = last.seq,
                None => break,
            }
            stored.extend(page);
        }
        Ok(self.machine.backlog(&stored, cursor))
    }
}
