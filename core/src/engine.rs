//! The engine: one user's kernel, driven by one input/output API ([`Engine`]).

use alloc::collections::{BTreeSet, VecDeque};
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::domain::Domain;
use crate::error::{ErrorCode, Rejection};
use crate::event::{Catalogue, Envelope, Event};
use crate::frame::{Cursor, Frame};
use crate::ids::{EventId, OperationId, RequestId, Seq, Timestamp, UserId};
use crate::llm::LlmRequest;
use crate::machine::{Config, Effect, Machine, RequestMeta, TokenStep};
use crate::operation::OperationStatus;
use crate::ports::{Appended, LlmError, Row, Store, StoreError};
use crate::snapshot;
use crate::state::State;
use crate::validate::ClientRequest;
use crate::view::SnapshotView;

/// Rows read per page when restoring or serving history.
pub(crate) const PAGE: usize = 512;

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

impl EngineError {
    /// True when retrying cannot help: the stored data itself is unreadable.
    pub fn is_permanent(&self) -> bool {
        matches!(self, EngineError::Corrupt { .. } | EngineError::Store(StoreError::Corrupt(_)))
    }
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

/// A token bucket of client requests, in thousandths of a request (time
/// comes in with the requests: no clock, no floating point). Exact retries
/// are answered before it and cost nothing.
#[derive(Clone, Copy, Debug, Default)]
struct TokenBucket {
    milli: u64,
    at: Option<Timestamp>,
}

impl TokenBucket {
    fn take(&mut self, per_s: u32, burst: u32, now: Timestamp) -> Result<(), Rejection> {
        if per_s == 0 {
            return Ok(());
        }
        let cap = u64::from(burst.max(1)) * 1000;
        let elapsed = self.at.map_or(u64::MAX, |at| now.0.saturating_sub(at.0));
        self.milli = self.milli.saturating_add(elapsed.saturating_mul(u64::from(per_s))).min(cap);
        self.at = Some(self.at.map_or(now, |at| at.max(now)));
        if self.milli >= 1000 {
            self.milli -= 1000;
            return Ok(());
        }
        let wait_ms = (1000 - self.milli).div_ceil(u64::from(per_s));
        let mut r = Rejection::new(
            ErrorCode::RateLimited,
            format!("more than {per_s} requests per second (burst {burst}); retry in {wait_ms} ms"),
        );
        r.retry_after_ms = Some(wait_ms);
        Err(r)
    }
}

/// What happens to the engine that no request asked for: time passes, and
/// a model streams (each token, then its end or its failure).
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Input {
    /// Time passed: fire the jobs and retries due at `now`.
    Tick {
        /// Now.
        now: Timestamp,
    },
    /// A token of a model stream begun with [`Engine::begin`].
    Token {
        /// The operation.
        operation_id: OperationId,
        /// The attempt of the request.
        attempt: u32,
        /// The token.
        text: String,
        /// Now.
        now: Timestamp,
    },
    /// The model stream ended.
    StreamEnd {
        /// The operation.
        operation_id: OperationId,
        /// The attempt.
        attempt: u32,
        /// The tool calls of the reply ([`crate::TokenStream::tool_calls`]).
        tool_calls: Vec<crate::operation::ToolCall>,
        /// Now.
        now: Timestamp,
    },
    /// The model stream failed, or the model refused to start it.
    StreamError {
        /// The operation.
        operation_id: OperationId,
        /// The attempt.
        attempt: u32,
        /// What went wrong.
        error: LlmError,
        /// Now.
        now: Timestamp,
    },
}

/// The engine's answer to an [`Input`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Answer {
    /// The input was taken (a token pushed and checkpointed as due, a
    /// stream's end or failure recorded, a tick's jobs fired).
    Recorded,
    /// To [`Input::Token`]: the attempt no longer streams (it was cancelled,
    /// superseded or passed its size cap); stop the model stream.
    Stop,
}

/// One part of a subscriber's backlog ([`Engine::subscribe`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Backlog<E> {
    /// Send these frames to the subscriber, in order.
    pub frames: Vec<Frame<E>>,
    /// `None`: that was all of it; register the subscriber for live frames
    /// before the next input. `Some(cursor)`: more stored events follow;
    /// the subscriber's cursor after these frames, to subscribe again with
    /// (it is not registered for live frames).
    pub more: Option<Cursor>,
}

/// What the engine asks the host to do (see the drain rule of [`Engine`]).
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // drained at once; boxing would cost an allocation per frame
pub enum Output<E> {
    /// Send this frame to every live subscriber.
    Push(Frame<E>),
    /// An operation is ready for its next attempt: call [`Engine::begin`] for it.
    Start(OperationId),
    /// Nothing more for now: feed [`Input::Tick`] at this time, if any.
    Wait(Option<Timestamp>),
}

/// A tick that recorded nothing while the next wake stayed in the past: a
/// job the domain calls due whose event is already stored (its key does not
/// name this occurrence), or a job listed at a past time whose event does
/// not take it off the list. The engine
/// then backs off instead of asking to be woken at once again: the kernel's
/// guard against an actor (or a Durable Object's alarm) that spins.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Stall {
    /// The names of the jobs that were due and recorded nothing (empty:
    /// a retry's time was in the past with nothing to start).
    pub jobs: Vec<&'static str>,
    /// Ticks in a row that stalled (1 for a new stall: log it then).
    pub count: u32,
    /// The current delay: 1 s, doubling up to 5 minutes.
    pub delay_ms: u64,
    /// When [`Engine::next_wake`] asks for the next tick.
    pub retry_at: Timestamp,
}

/// The first delay after a stalled tick, and the largest.
const STALL_FIRST_MS: u64 = 1_000;
const STALL_MAX_MS: u64 = 5 * 60_000;

/// One user's engine over domain `D` and store `S`, driven by one
/// input/output API.
///
/// Requests get typed answers: [`Engine::submit`] records a client request
/// and answers [`Accepted`], [`Engine::begin`] starts an operation's next
/// attempt and answers its model request, [`Engine::subscribe`] answers a
/// subscriber's backlog. What happens to the engine on its own, time
/// passing and a model's stream, is fed as an [`Input`] with
/// [`Engine::handle_input`]. After each of these, the host drains
/// [`Engine::poll_output`] until it returns [`Output::Wait`]:
///
/// ```text
/// host ── submit(request) ──► Accepted          ── begin(operation) ──► Option<LlmRequest>
///      ── subscribe(cursor) ──► Backlog
///      ── handle_input(Tick / Token / StreamEnd / StreamError) ──► Answer (Recorded, Stop)
///      ◄── Output::Push(frame)* , Output::Start(operation)* , Output::Wait(at)
/// ```
///
/// # The drain rule
///
/// After [`Engine::open`] and after every call that feeds the engine
/// ([`Engine::submit`], [`Engine::begin`], [`Engine::subscribe`],
/// [`Engine::handle_input`]), call [`Engine::poll_output`] until it returns
/// [`Output::Wait`], and carry out each output in order before the next:
///
/// - [`Output::Push`]: send the frame to every live subscriber;
/// - [`Output::Start`]: an operation is ready for its next attempt. In a
///   concurrent job of its own, call [`Engine::begin`]: it stores
///   `llm.started` and answers the model request (or `None` when there is
///   nothing to start any more). Then stream the model and feed what it
///   yields as [`Input::Token`], then [`Input::StreamEnd`] or
///   [`Input::StreamError`] (also when the model refuses to start); stop
///   the stream when a token answers [`Answer::Stop`];
/// - [`Output::Wait`]: nothing else is due; feed [`Input::Tick`] at that time
///   (never, for `None`).
///
/// Inputs are processed one at a time and each runs to completion:
/// validate → dedupe → append → reduce → release outputs. Outputs are
/// released only after the store acknowledged the events that caused them
/// (the one synchronous port, [`Store`], is called inside the engine: both
/// real backends are synchronous, and exact dedupe needs a lookup before a
/// request is decided). After a storage failure the engine refuses further
/// work ([`EngineError::Poisoned`]): restore it with [`Engine::restore`], which
/// restores from the store the way a Durable Object restarts.
pub struct Engine<D: Domain, S: Store> {
    machine: Machine<D>,
    store: S,
    poisoned: bool,
    /// Operations whose next attempt should start once the input is done.
    ready: Vec<OperationId>,
    /// Ready operations waiting for a slot, in request order.
    waiting: BTreeSet<(Seq, OperationId)>,
    /// Operations announced with `Output::Start`, not begun yet.
    announced: BTreeSet<OperationId>,
    /// Operations begun and (as far as the engine last looked) streaming.
    streaming: BTreeSet<OperationId>,
    outputs: VecDeque<Output<D::Event>>,
    /// The latest time an input carried (for the next wake).
    now: Timestamp,
    /// The user's request allowance.
    bucket: TokenBucket,
    snapshot_failures: u64,
    /// Set by a tick that recorded nothing with the wake in the past.
    stall: Option<Stall>,
}

/// Decodes a stored row, checking that it holds the seq it is stored at.
pub fn decode_row<E: Catalogue>(row: &Row) -> Result<Envelope<E>, EngineError> {
    let env = Envelope::<E>::from_json(&row.body)
        .map_err(|e| EngineError::Corrupt { seq: row.seq, message: e.to_string() })?;
    if env.seq != row.seq {
        return Err(EngineError::Corrupt { seq: row.seq, message: format!("row holds seq {}", env.seq) });
    }
    Ok(env)
}

/// Loads `machine` from `store`: the latest usable snapshot, then the log tail.
fn load<D: Domain, S: Store>(machine: &mut Machine<D>, store: &S) -> Result<Restored, EngineError> {
    let mut restored = Restored::default();
    let state = match store.load_snapshot()? {
        Some(rec) => match snapshot::decode::<D>(&rec) {
            Ok(state) => {
                restored.snapshot_seq = Some(state.seq);
                state
            }
            Err(_) => {
                restored.snapshot_discarded = true;
                State::default()
            }
        },
        None => State::default(),
    };
    machine.reset(state);
    loop {
        let rows = store.read_after(machine.state().seq, PAGE)?;
        if rows.is_empty() {
            break;
        }
        for row in &rows {
            let env = decode_row(row)?;
            machine.apply(&env);
            restored.replayed += 1;
        }
    }
    Ok(restored)
}

/// A user's state as `store` holds it (the latest usable snapshot, then the
/// log tail), and nothing else: unlike [`Engine::open`] it records nothing
/// (no interrupted operation is failed, no job fired), so an operator's
/// tool may read a user the service is serving.
pub fn read_state<D: Domain, S: Store>(
    user: UserId,
    config: Config,
    domain: D,
    store: &S,
) -> Result<State<D>, EngineError> {
    let mut machine = Machine::new(user, config, domain);
    load(&mut machine, store)?;
    Ok(machine.into_state())
}

impl<D: Domain, S: Store> Engine<D, S> {
    /// Restores a user's engine from its store (latest usable snapshot plus the
    /// log tail), records operations interrupted by the previous stop, and
    /// queues the work that is due at `now`. Drain [`Engine::poll_output`] next.
    pub fn open(
        user: UserId,
        config: Config,
        domain: D,
        store: S,
        now: Timestamp,
    ) -> Result<(Self, Restored), EngineError> {
        let mut engine = Engine {
            machine: Machine::new(user, config, domain),
            store,
            poisoned: true,
            ready: Vec::new(),
            waiting: BTreeSet::new(),
            announced: BTreeSet::new(),
            streaming: BTreeSet::new(),
            outputs: VecDeque::new(),
            now,
            bucket: TokenBucket::default(),
            snapshot_failures: 0,
            stall: None,
        };
        let restored = engine.restore(now)?;
        Ok((engine, restored))
    }

    /// Rebuilds the engine from its store, as [`Engine::open`] does: the way
    /// back after a storage failure poisoned it. Outputs not yet drained are
    /// dropped (they are re-derived from the store; subscribers resume).
    pub fn restore(&mut self, now: Timestamp) -> Result<Restored, EngineError> {
        self.poisoned = true;
        self.ready.clear();
        self.waiting.clear();
        self.announced.clear();
        self.streaming.clear();
        self.outputs.clear();
        self.now = self.now.max(now);
        let restored = load(&mut self.machine, &self.store)?;
        self.poisoned = false;
        let recovered = self.machine.recover(now);
        self.commit_system(recovered)?;
        self.tick(now)?;
        self.announce_ready();
        Ok(restored)
    }

    /// Records a validated client request, with the ids and time the
    /// transport assigned: the request is accepted (or was a duplicate, and
    /// gets the original answer), or refused with a [`Rejection`] that
    /// stores nothing. Then drain the outputs (see the drain rule of
    /// [`Engine`]).
    pub fn submit(&mut self, request: ClientRequest<D::Event>, meta: RequestMeta) -> Result<Accepted, EngineError> {
        self.feed(Some(meta.timestamp), |e| e.accept(request, meta))
    }

    /// Begins the next attempt of an operation announced by
    /// [`Output::Start`]: stores `llm.started`, then answers the model
    /// request to stream (the model is called only once that is durable).
    /// `None`: nothing to start (the operation finished, was cancelled,
    /// already runs, or every streaming slot is taken: it is announced
    /// again when one frees). Then drain the outputs.
    pub fn begin(&mut self, operation_id: OperationId, now: Timestamp) -> Result<Option<LlmRequest>, EngineError> {
        self.feed(Some(now), |e| e.begin_attempt(operation_id, now))
    }

    /// One part of the backlog of a subscriber that connects and resumes at
    /// `cursor`: at most one page of stored events; when it is the last
    /// part, the frames end with the tokens of generations in flight (then
    /// register the subscriber for live frames before anything else).
    pub fn subscribe(&mut self, cursor: &Cursor) -> Result<Backlog<D::Event>, EngineError> {
        self.feed(None, |e| e.backlog(cursor))
    }

    /// Feeds what happened to the engine: time passed, or a model stream
    /// moved. See the drain rule of [`Engine`].
    pub fn handle_input(&mut self, input: Input) -> Result<Answer, EngineError> {
        let now = match &input {
            Input::Tick { now }
            | Input::Token { now, .. }
            | Input::StreamEnd { now, .. }
            | Input::StreamError { now, .. } => *now,
        };
        self.feed(Some(now), |e| e.step(input))
    }

    /// What every call that feeds the engine shares: refused once poisoned,
    /// the engine's time moved to `now` (never back), then `run`, then the
    /// operations it made ready announced as slots free.
    fn feed<A>(
        &mut self,
        now: Option<Timestamp>,
        run: impl FnOnce(&mut Self) -> Result<A, EngineError>,
    ) -> Result<A, EngineError> {
        self.check()?;
        if let Some(now) = now {
            self.now = self.now.max(now);
        }
        let answer = run(self)?;
        self.announce_ready();
        Ok(answer)
    }

    fn step(&mut self, input: Input) -> Result<Answer, EngineError> {
        Ok(match input {
            Input::Tick { now } => {
                self.tick(now)?;
                Answer::Recorded
            }
            Input::Token { operation_id, attempt, text, now } => self.on_token(operation_id, attempt, text, now)?,
            Input::StreamEnd { operation_id, attempt, tool_calls, now } => {
                let events = self.machine.on_complete(operation_id, attempt, tool_calls, now);
                self.commit_system(events)?;
                Answer::Recorded
            }
            Input::StreamError { operation_id, attempt, error, now } => {
                let events = self.machine.on_error(operation_id, attempt, &error, now);
                self.commit_system(events)?;
                Answer::Recorded
            }
        })
    }

    /// The next output; [`Output::Wait`] once none is left (see the drain rule).
    pub fn poll_output(&mut self) -> Output<D::Event> {
        match self.outputs.pop_front() {
            Some(o) => o,
            None => Output::Wait(self.next_wake()),
        }
    }

    /// When the host should next feed [`Input::Tick`]: the earliest retry
    /// not already waiting for a slot, or domain job. Never in the past
    /// twice in a row: after a tick that recorded nothing while the wake
    /// stayed in the past, it is the stall's backoff ([`Engine::stalled`]).
    pub fn next_wake(&self) -> Option<Timestamp> {
        let wake = self.raw_wake(self.now);
        match (&self.stall, wake) {
            (Some(stall), Some(at)) if at <= self.now => Some(stall.retry_at.max(at)),
            _ => wake,
        }
    }

    /// The current stall, if the last tick recorded nothing while a job
    /// stayed due (see [`Stall`]). A host logs it once, when `count` is 1.
    pub fn stalled(&self) -> Option<&Stall> {
        self.stall.as_ref()
    }

    fn raw_wake(&self, now: Timestamp) -> Option<Timestamp> {
        let queued = |op: &OperationId| {
            self.announced.contains(op) || self.ready.contains(op) || self.waiting.iter().any(|(_, o)| o == op)
        };
        self.machine.next_wake_except(now, queued)
    }

    /// The pure state machine inside (the kernel's own tests).
    #[cfg(test)]
    pub(crate) fn machine(&self) -> &Machine<D> {
        &self.machine
    }
    /// The user whose engine this is.
    pub fn user(&self) -> &UserId {
        self.machine.user()
    }
    /// The kernel's configuration.
    pub fn config(&self) -> &Config {
        self.machine.config()
    }
    /// The domain (its configuration).
    pub fn domain(&self) -> &D {
        self.machine.domain()
    }
    /// The durable state (what replay reproduces).
    pub fn state(&self) -> &State<D> {
        self.machine.state()
    }
    /// What clients see at `now` (the body of `GET /v1/snapshot`): the
    /// domain's view with the operations in flight and their partial text.
    pub fn view(&self, now: Timestamp) -> SnapshotView<'_, D> {
        crate::view::snapshot(&self.machine, now)
    }
    /// Text generated so far by an operation's current attempt: the durable
    /// part plus the tokens not yet checkpointed.
    pub fn partial_text(&self, op: OperationId) -> Option<String> {
        self.machine.partial_text(op)
    }
    /// Tokens generated but not yet stored: with the seq, it identifies a
    /// version of what clients see (the snapshot's ETag).
    pub fn live_tokens(&self) -> usize {
        self.machine.live_tokens()
    }
    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }
    /// Snapshots that failed to save (the log stays the truth; counted for operators).
    pub fn snapshot_failures(&self) -> u64 {
        self.snapshot_failures
    }
    /// Whether a storage failure left the engine behind its store ([`Engine::restore`] it).
    pub fn is_poisoned(&self) -> bool {
        self.poisoned
    }

    /// Stored events after `after`, at most `limit`, decoded.
    pub fn read_events(&self, after: Seq, limit: usize) -> Result<Vec<Envelope<D::Event>>, EngineError> {
        self.store.read_after(after, limit)?.iter().map(decode_row).collect()
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
            if let Some(stall) = &mut self.stall {
                // The domain's state changed: a job may be due now. Tick once
                // soon (a stall that persists keeps its backoff).
                if envs.iter().any(|e| matches!(e.event, Event::Domain(_))) {
                    stall.retry_at = stall.retry_at.min(self.now);
                }
            }
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
                Effect::Push(frame) => self.outputs.push_back(Output::Push(frame)),
                Effect::StartLlm(op) => self.ready.push(op),
                Effect::Snapshot => {
                    let rec = snapshot::encode(self.machine.state(), self.machine.config().snapshot_piece_bytes);
                    if self.store.save_snapshot(&rec).is_err() {
                        self.snapshot_failures += 1;
                    }
                }
            }
        }
    }

    /// Stores system events; ones already stored (a job firing twice) are
    /// dropped. Returns how many were stored.
    fn commit_system(&mut self, mut envs: Vec<Envelope<D::Event>>) -> Result<usize, EngineError> {
        while !envs.is_empty() {
            match self.append(envs.clone())? {
                Appended::Written => return Ok(envs.len()),
                Appended::Duplicate { index, .. } => {
                    envs.remove(index);
                }
            }
        }
        Ok(0)
    }

    fn original(&self, seq: Seq) -> Result<Envelope<D::Event>, EngineError> {
        let row = self.store.read_at(seq)?.ok_or(EngineError::Corrupt { seq, message: "missing row".to_string() })?;
        decode_row(&row)
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

    fn accept(&mut self, req: ClientRequest<D::Event>, meta: RequestMeta) -> Result<Accepted, EngineError> {
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
        let config = self.machine.config();
        self.bucket.take(config.rate_per_s, config.rate_burst, meta.timestamp)?;
        self.machine.decide(&env)?;
        let (event_id, operation_id) = (env.event_id, env.operation_id);
        // A cancel first stores the tokens its clients already saw.
        let mut batch: Vec<Envelope<D::Event>> = self.machine.checkpoint_before_cancel(&env).into_iter().collect();
        // The client event comes next in its batch; follow-ups come after it.
        let seq = Seq(self.machine.state().seq.0 + batch.len() as u64 + 1);
        batch.push(env.clone());
        match self.append(batch)? {
            Appended::Written => {
                Ok(Accepted { event_id, request_id: meta.request_id, seq, duplicate: false, operation_id })
            }
            Appended::Duplicate { existing, .. } => {
                self.replay_answer(&env, existing, ErrorCode::EventIdConflict, "event_id")
            }
        }
    }

    /// Fires the jobs due at `now` and queues the operations ready to (re)start.
    fn tick(&mut self, now: Timestamp) -> Result<(), EngineError> {
        let due = self.machine.due(now);
        // Operations the committed job events open are queued by `release`.
        let recorded = self.commit_system(due.events)?;
        self.ready.extend(due.start);
        let stuck = recorded == 0 && self.raw_wake(now).is_some_and(|at| at <= now);
        self.stall = stuck.then(|| {
            let (count, delay_ms) = match &self.stall {
                Some(s) => (s.count.saturating_add(1), s.delay_ms.saturating_mul(2).min(STALL_MAX_MS)),
                None => (1, STALL_FIRST_MS),
            };
            Stall { jobs: due.names, count, delay_ms, retry_at: now.plus_ms(delay_ms) }
        });
        Ok(())
    }

    /// Announces ready operations while slots are free (at most
    /// `max_streaming` begun or announced at once), in request order.
    fn announce_ready(&mut self) {
        let state = self.machine.state();
        for op in core::mem::take(&mut self.ready) {
            if let Some(o) = state.operations.get(&op) {
                self.waiting.insert((o.request_seq, op));
            }
        }
        if self.waiting.is_empty() {
            return;
        }
        self.forget_finished_streams();
        let state = self.machine.state();
        let cap = self.machine.config().max_streaming.max(1);
        while self.streaming.len() + self.announced.len() < cap {
            let Some((_, op)) = self.waiting.pop_first() else { break };
            let ready = state.operations.get(&op).is_some_and(|o| o.ready(self.now));
            if ready && !self.streaming.contains(&op) && self.announced.insert(op) {
                self.outputs.push_back(Output::Start(op));
            }
        }
    }

    /// Drops from the slot count the operations no longer streaming.
    fn forget_finished_streams(&mut self) {
        let state = self.machine.state();
        self.streaming.retain(|op| state.operations.get(op).is_some_and(|o| o.status == OperationStatus::Streaming));
    }

    /// Begins the next attempt of `op`: stores `llm.started`, then hands
    /// back the model request (the model is called only once it is durable).
    fn begin_attempt(&mut self, op: OperationId, now: Timestamp) -> Result<Option<LlmRequest>, EngineError> {
        self.announced.remove(&op);
        let Some(started) = self.machine.begin_attempt(op, now) else { return Ok(None) };
        self.forget_finished_streams();
        let state = self.machine.state();
        if self.streaming.len() >= self.machine.config().max_streaming.max(1) {
            // Every slot is taken (the host began more than it was offered): wait.
            if let Some(o) = state.operations.get(&op) {
                self.waiting.insert((o.request_seq, op));
            }
            return Ok(None);
        }
        self.commit_system(alloc::vec![started])?;
        self.streaming.insert(op);
        Ok(self.machine.request_for(op, now))
    }

    fn on_token(
        &mut self,
        op: OperationId,
        attempt: u32,
        mut text: String,
        now: Timestamp,
    ) -> Result<Answer, EngineError> {
        // A piece longer than a token (a reply that came in one piece) is
        // split into tokens, never truncated.
        let max = self.machine.config().max_token_bytes.max(4);
        loop {
            let rest = if text.len() > max {
                let mut cut = max;
                while !text.is_char_boundary(cut) {
                    cut -= 1;
                }
                Some(text.split_off(cut))
            } else {
                None
            };
            match self.machine.on_token(op, attempt, text, now) {
                TokenStep::Stop => return Ok(Answer::Stop),
                TokenStep::TooLarge { checkpoint } => {
                    if let Some(cp) = checkpoint {
                        self.commit_system(alloc::vec![cp])?;
                    }
                    let cap = self.machine.config().max_reply_bytes;
                    let error = LlmError::new(
                        crate::ports::LlmErrorKind::OutputTooLarge,
                        format!("the reply passed its cap of {cap} bytes"),
                    );
                    let events = self.machine.on_error(op, attempt, &error, now);
                    self.commit_system(events)?;
                    return Ok(Answer::Stop);
                }
                TokenStep::Accept { frame, checkpoint } => {
                    self.outputs.push_back(Output::Push(frame));
                    if let Some(cp) = checkpoint {
                        self.commit_system(alloc::vec![cp])?;
                    }
                }
            }
            match rest {
                Some(r) => text = r,
                None => return Ok(Answer::Recorded),
            }
        }
    }

    /// The next part of the backlog of a subscriber resuming at `cursor`:
    /// at most one page of stored events.
    fn backlog(&self, cursor: &Cursor) -> Result<Backlog<D::Event>, EngineError> {
        let page = self.read_events(cursor.after, PAGE)?;
        let last = page.len() < PAGE;
        let (frames, next) = self.machine.backlog(&page, cursor, last);
        Ok(Backlog { frames, more: (!last).then_some(next) })
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::{Event, EventKind};
    use crate::operation::{LlmCancel, LlmEvent};
    use crate::toy::{NoteAdded, Toy, ToyEvent, VecStore};

    fn engine() -> Engine<Toy, VecStore> {
        let user = UserId::parse("toy").unwrap();
        Engine::open(user, Config { checkpoint_tokens: 2, ..Config::default() }, Toy, VecStore::default(), Timestamp(1))
            .unwrap()
            .0
    }

    fn drain(e: &mut Engine<Toy, VecStore>) -> Vec<Output<ToyEvent>> {
        let mut out = Vec::new();
        loop {
            match e.poll_output() {
                Output::Wait(at) => {
                    out.push(Output::Wait(at));
                    return out;
                }
                o => out.push(o),
            }
        }
    }

    fn meta(n: u128) -> RequestMeta {
        RequestMeta {
            request_id: RequestId(uuid::Uuid::from_u128(n)),
            event_id: EventId(uuid::Uuid::from_u128(n << 64)),
            timestamp: Timestamp(10),
        }
    }

    /// A client request and its ids and time, for [`Engine::submit`].
    type Submission = (ClientRequest<ToyEvent>, RequestMeta);

    fn sub(e: &mut Engine<Toy, VecStore>, (request, meta): Submission) -> Result<Accepted, EngineError> {
        e.submit(request, meta)
    }

    fn note(text: &str) -> Submission {
        let event = Event::Domain(ToyEvent::Added(NoteAdded { text: text.into() }));
        (ClientRequest { event, client_action_id: None, event_id: None }, meta(1))
    }

    fn types(store: &VecStore) -> Vec<String> {
        store.rows.iter().map(|r| r.event_type.clone()).collect()
    }

    #[test]
    fn a_request_is_stored_then_pushed_then_generated_in_that_order() {
        let mut e = engine();
        let a = sub(&mut e, note("hi")).unwrap();
        assert_eq!((a.seq, a.duplicate), (Seq(1), false));
        let op = a.operation_id.unwrap();
        let out = drain(&mut e);
        assert!(matches!(&out[0], Output::Push(Frame::Event { seq: Seq(1), .. })));
        assert_eq!(out[1..], [Output::Start(op), Output::Wait(None)]);
        // llm.started is durable before the host gets the request to send.
        let req = e.begin(op, Timestamp(11)).unwrap().expect("a request");
        assert_eq!(types(e.store()), ["note.added", "llm.started"]);
        assert_eq!((req.kind.as_str(), req.attempt, req.operation_id), ("echo", 1, op));
        assert!(matches!(drain(&mut e)[0], Output::Push(Frame::Event { seq: Seq(2), .. })));
        // Beginning twice starts nothing.
        assert_eq!(e.begin(op, Timestamp(12)).unwrap(), None);
        // The same request again is a duplicate with the original answer, and nothing is output.
        let again = sub(&mut e, note("hi")).unwrap();
        assert!(again.duplicate && again.seq == Seq(1));
        assert_eq!(drain(&mut e), [Output::Wait(None)]);
    }

    /// Streams `tokens` for a new note's operation; completes it when `end`.
    fn generate(e: &mut Engine<Toy, VecStore>, n: u128, tokens: &[&str], end: bool) -> OperationId {
        let event = Event::Domain(ToyEvent::Added(NoteAdded { text: alloc::format!("note {n}") }));
        let request = ClientRequest { event, client_action_id: None, event_id: None };
        let a = e.submit(request, meta(n)).unwrap();
        let op = a.operation_id.unwrap();
        e.begin(op, Timestamp(11)).unwrap();
        for t in tokens {
            e.handle_input(Input::Token { operation_id: op, attempt: 1, text: (*t).into(), now: Timestamp(12) })
                .unwrap();
        }
        if end {
            e.handle_input(Input::StreamEnd {
                operation_id: op,
                attempt: 1,
                tool_calls: Vec::new(),
                now: Timestamp(13),
            })
            .unwrap();
        }
        drain(e);
        op
    }

    /// Ends the stream of `op` (attempt `attempt`) with `calls`.
    fn end_with(e: &mut Engine<Toy, VecStore>, op: OperationId, attempt: u32, calls: Vec<crate::operation::ToolCall>) {
        e.handle_input(Input::StreamEnd { operation_id: op, attempt, tool_calls: calls, now: Timestamp(13) }).unwrap();
        drain(e);
    }

    #[test]
    fn tool_calls_a_domain_does_not_declare_or_too_many_fail_the_attempt() {
        let call = |n: usize| crate::operation::ToolCall {
            id: alloc::format!("c{n}"),
            name: "x".into(),
            arguments: "{}".into(),
        };
        let mut e = engine();
        let op = generate(&mut e, 1, &["a"], false);
        // The toy domain declares no tools: a reply that calls one is unusable (retried).
        end_with(&mut e, op, 1, alloc::vec![call(0)]);
        let failed = e.read_events(Seq(0), 100).unwrap().into_iter().find_map(|env| match env.event {
            Event::Llm(LlmEvent::Failed(f)) => Some(f),
            _ => None,
        });
        let failed = failed.expect("the attempt failed");
        assert_eq!(failed.code, crate::operation::FailureCode::MalformedOutput);
        assert!(failed.message.contains("does not declare"), "{}", failed.message);
        assert!(!failed.terminal, "retried");
        // More calls than the bound fail before the domain sees them.
        let mut e = engine();
        let op = generate(&mut e, 2, &["a"], false);
        end_with(&mut e, op, 1, (0..9).map(call).collect());
        let failed = e.read_events(Seq(0), 100).unwrap().into_iter().any(|env| {
            matches!(env.event, Event::Llm(LlmEvent::Failed(ref f)) if f.message.contains("more than 8 tool calls"))
        });
        assert!(failed);
        // None: the reply completes as before, with no calls stored.
        let mut e = engine();
        let op = generate(&mut e, 3, &["a"], false);
        end_with(&mut e, op, 1, Vec::new());
        assert_eq!(types(e.store()).last().map(String::as_str), Some("note.echoed"));
    }

    #[test]
    fn a_backlog_in_parts_is_the_backlog_in_one() {
        let mut e = engine();
        generate(&mut e, 1, &["a", "b", "c", "d", "e"], true);
        let live = generate(&mut e, 2, &["f", "g", "h"], false); // a checkpoint stored, "h" in flight
        generate(&mut e, 3, &["i"], true);
        let stored = e.read_events(Seq::ZERO, PAGE).unwrap();
        for cursor in [
            Cursor::default(),
            Cursor::after(Seq(2)),
            // The client had the first two tokens of the live one, pushed live.
            Cursor { after: Seq(5), tokens: [(live, (1, 2))].into_iter().collect() },
        ] {
            let tail: Vec<_> = stored.iter().filter(|env| env.seq > cursor.after).cloned().collect();
            let (whole, _) = e.machine().backlog(&tail, &cursor, true);
            let mut client = cursor.clone();
            for f in &whole {
                assert_eq!(client.accept(f), Ok(crate::frame::Delivery::New), "{f:?}");
            }
            for k in 0..=tail.len() {
                let (mut parts, next) = e.machine().backlog(&tail[..k], &cursor, false);
                assert_eq!(next.after, tail[..k].last().map_or(cursor.after, |env| env.seq));
                parts.extend(e.machine().backlog(&tail[k..], &next, true).0);
                assert_eq!(parts, whole, "split after {k} events, from {cursor:?}");
            }
        }
        // Through the engine: parts of at most one page each, until the last.
        let first = e.subscribe(&Cursor::default()).unwrap();
        assert_eq!(first.more, None, "a short log is one part");
    }

    #[test]
    fn a_long_backlog_comes_in_pages() {
        let bounds = crate::state::Bounds { max_operations: usize::MAX, ..Default::default() };
        let mut e = engine_with(Config { rate_per_s: 0, bounds, ..Config::default() });
        for n in 0..(PAGE as u128 + 10) {
            let event = Event::Domain(ToyEvent::Added(NoteAdded { text: alloc::format!("n{n}") }));
            let request = ClientRequest { event, client_action_id: None, event_id: None };
            e.submit(request, meta(100 + n)).unwrap();
            drain(&mut e);
        }
        let last = e.state().seq;
        let (mut cursor, mut parts, mut seqs) = (Cursor::default(), 0, Vec::new());
        loop {
            let part = e.subscribe(&cursor.clone()).unwrap();
            parts += 1;
            assert!(part.frames.iter().filter(|f| f.seq().is_some()).count() <= PAGE);
            seqs.extend(part.frames.iter().filter_map(Frame::seq));
            match part.more {
                Some(next) => cursor = next,
                None => break,
            }
        }
        assert!(parts >= 2, "{} events in {parts} parts", last.0);
        assert_eq!(seqs, (1..=last.0).map(Seq).collect::<Vec<_>>());
    }

    #[test]
    fn tokens_are_pushed_checkpointed_and_completed_into_a_domain_event() {
        let mut e = engine();
        let a = sub(&mut e, note("hi")).unwrap();
        let op = a.operation_id.unwrap();
        e.begin(op, Timestamp(11)).unwrap();
        drain(&mut e);
        for (i, t) in ["ec", "ho", "!"].iter().enumerate() {
            let input = Input::Token { operation_id: op, attempt: 1, text: (*t).into(), now: Timestamp(20 + i as u64) };
            assert_eq!(e.handle_input(input).unwrap(), Answer::Recorded);
        }
        let pushed = drain(&mut e);
        let tokens = pushed.iter().filter(|o| matches!(o, Output::Push(Frame::Token { .. }))).count();
        assert_eq!(tokens, 3, "every token is pushed at once");
        assert_eq!(types(e.store()), ["note.added", "llm.started", "llm.checkpoint"], "2 tokens per checkpoint");
        e.handle_input(Input::StreamEnd { operation_id: op, attempt: 1, tool_calls: Vec::new(), now: Timestamp(30) })
            .unwrap();
        assert_eq!(types(e.store())[3..], ["llm.completed", "note.echoed"]);
        assert_eq!(e.state().domain.notes, ["hi", "echo!"]);
        assert!(e.state().operations_in_flight().next().is_none());
    }

    #[test]
    fn a_cancelled_stream_is_told_to_stop_and_a_failure_schedules_a_retry() {
        let mut e = engine();
        let a = sub(&mut e, note("hi")).unwrap();
        let op = a.operation_id.unwrap();
        e.begin(op, Timestamp(11)).unwrap();
        drain(&mut e);
        let cancel = Event::Llm(LlmEvent::Cancel(LlmCancel { operation_id: op }));
        let request = ClientRequest { event: cancel, client_action_id: None, event_id: None };
        e.submit(request, meta(2)).unwrap();
        let token = Input::Token { operation_id: op, attempt: 1, text: "x".into(), now: Timestamp(40) };
        assert_eq!(e.handle_input(token).unwrap(), Answer::Stop);

        let again = Event::Domain(ToyEvent::Added(NoteAdded { text: "again".into() }));
        let b = e.submit(ClientRequest { event: again, client_action_id: None, event_id: None }, meta(3)).unwrap();
        let op = b.operation_id.unwrap();
        e.begin(op, Timestamp(41)).unwrap();
        drain(&mut e);
        let error = LlmError::new(crate::ports::LlmErrorKind::Provider, "503");
        e.handle_input(Input::StreamError { operation_id: op, attempt: 1, error, now: Timestamp(50) }).unwrap();
        let out = drain(&mut e);
        let Some(Output::Wait(Some(at))) = out.last().cloned() else { panic!("a retry is due later: {out:?}") };
        assert!(at > Timestamp(50));
        e.handle_input(Input::Tick { now: at }).unwrap();
        assert_eq!(drain(&mut e)[0], Output::Start(op));
        let begun = e.begin(op, at).unwrap();
        assert!(matches!(begun, Some(ref r) if r.attempt == 2));
    }

    fn engine_with(config: Config) -> Engine<Toy, VecStore> {
        let user = UserId::parse("toy").unwrap();
        Engine::open(user, config, Toy, VecStore::default(), Timestamp(1)).unwrap().0
    }

    fn note_n(n: u128) -> Submission {
        let event = Event::Domain(ToyEvent::Added(NoteAdded { text: alloc::format!("note {n}") }));
        (ClientRequest { event, client_action_id: None, event_id: None }, meta(n))
    }

    fn submit_note(e: &mut Engine<Toy, VecStore>, n: u128) -> OperationId {
        sub(e, note_n(n)).unwrap().operation_id.unwrap()
    }

    fn starts(out: &[Output<ToyEvent>]) -> Vec<OperationId> {
        out.iter().filter_map(|o| if let Output::Start(op) = o { Some(*op) } else { None }).collect()
    }

    #[test]
    fn operations_beyond_the_cap_wait_pending_and_start_in_order_as_slots_free() {
        let mut e = engine_with(Config { max_streaming: 2, ..Config::default() });
        let ops: Vec<OperationId> = (1..=4).map(|n| submit_note(&mut e, n)).collect();
        assert_eq!(starts(&drain(&mut e)), ops[..2], "two slots");
        for op in &ops[..2] {
            assert!(e.begin(*op, Timestamp(11)).unwrap().is_some());
        }
        assert!(starts(&drain(&mut e)).is_empty(), "no slot is free");
        let pending = e.state().operations_in_flight().filter(|o| o.status == OperationStatus::Pending).count();
        assert_eq!(pending, 2, "the others wait durably as pending");
        e.handle_input(Input::StreamEnd {
            operation_id: ops[0],
            attempt: 1,
            tool_calls: Vec::new(),
            now: Timestamp(12),
        })
        .unwrap();
        assert_eq!(starts(&drain(&mut e)), ops[2..3], "a freed slot starts the next in request order");
        // After a restart the interrupted stream is retried first, in request
        // order, and the last one still waits, pending.
        let config = Config { max_streaming: 2, ..Config::default() };
        let store = core::mem::take(&mut e.store);
        let mut e = Engine::open(UserId::parse("toy").unwrap(), config, Toy, store, Timestamp(20)).unwrap().0;
        assert_eq!(starts(&drain(&mut e)), ops[1..3]);
        assert_eq!(e.state().operations[&ops[3]].status, OperationStatus::Pending);
    }

    fn note_at(text: &str, n: u128, at: u64) -> Submission {
        let event = Event::Domain(ToyEvent::Added(NoteAdded { text: text.into() }));
        let meta = RequestMeta { timestamp: Timestamp(at), ..meta(n) };
        (ClientRequest { event, client_action_id: None, event_id: None }, meta)
    }

    #[test]
    fn operations_in_flight_are_bounded_however_they_are_opened() {
        let bounds = crate::state::Bounds { max_operations: 2, ..Default::default() };
        let mut e = engine_with(Config { bounds, max_streaming: 1, ..Config::default() });
        // A client event opens one; its note calls three jobs, each opening one more.
        sub(&mut e, note_at("jobs@10x3", 1, 10)).unwrap();
        e.handle_input(Input::Tick { now: Timestamp(10) }).unwrap();
        let ops: Vec<_> = e.state().operations.values().cloned().collect();
        assert_eq!(ops.len(), 4);
        assert_eq!(e.state().operations_in_flight().count(), 2, "pending, streaming or retrying: at most the bound");
        let refused: Vec<_> =
            ops.iter().filter(|o| o.last_failure == Some(crate::operation::FailureCode::TooManyOperations)).collect();
        assert_eq!(refused.len(), 2, "the jobs past the bound are recorded as failed");
        assert!(refused.iter().all(|o| o.status == OperationStatus::Failed && o.attempt == 0), "and never ran");
        let refused: Vec<OperationId> = refused.iter().map(|o| o.operation_id).collect();
        let started = starts(&drain(&mut e));
        assert!(!started.is_empty() && started.iter().all(|op| !refused.contains(op)));
        // A client event past the bound is refused before anything is stored.
        let rows = e.store().rows.len();
        let Err(EngineError::Rejected(r)) = sub(&mut e, note_at("one more", 2, 11)) else { panic!("accepted") };
        assert_eq!((r.code, r.code.http_status()), (ErrorCode::TooManyOperations, 429));
        assert_eq!(e.store().rows.len(), rows);
        // Once one finishes there is room again.
        let op = e.state().operations_in_flight().next().unwrap().operation_id;
        e.begin(op, Timestamp(12)).unwrap();
        let end = Input::StreamEnd { operation_id: op, attempt: 1, tool_calls: Vec::new(), now: Timestamp(13) };
        e.handle_input(end).unwrap();
        assert!(sub(&mut e, note_at("room", 3, 14)).is_ok());
    }

    #[test]
    fn a_failure_shown_to_clients_names_no_url() {
        let mut e = engine();
        let a = sub(&mut e, note("hi")).unwrap();
        let op = a.operation_id.unwrap();
        e.begin(op, Timestamp(11)).unwrap();
        let error = LlmError::new(
            crate::ports::LlmErrorKind::Provider,
            "POST http://10.0.0.7:8080/v1/generate failed: 503 (see https://internal.example/runbook)",
        );
        e.handle_input(Input::StreamError { operation_id: op, attempt: 1, error, now: Timestamp(12) }).unwrap();
        let body = &e.store().rows.iter().find(|r| r.event_type == "llm.failed").unwrap().body;
        assert!(body.contains(r#""message":"POST <url> failed: 503 (see <url>)""#), "{body}");
    }

    #[test]
    fn a_tick_that_records_nothing_backs_off_instead_of_waking_at_once() {
        let mut e = engine_with(Config::default());
        sub(&mut e, note_at("jobs@5x1", 1, 10)).unwrap();
        e.handle_input(Input::Tick { now: Timestamp(10) }).unwrap();
        assert!(e.stalled().is_none(), "the first tick recorded the job");
        // The domain still calls it due (its key does not name the occurrence).
        let mut now = Timestamp(10);
        let mut delays = Vec::new();
        for _ in 0..12 {
            e.handle_input(Input::Tick { now }).unwrap();
            let stall = e.stalled().expect("a stall").clone();
            assert_eq!(stall.jobs, ["toy"]);
            let Output::Wait(Some(at)) = drain(&mut e).pop().unwrap() else { panic!("no wake") };
            assert!(at > now, "never a wake in the past after a tick that recorded nothing");
            delays.push(at.0 - now.0);
            now = at;
        }
        assert_eq!(delays[..4], [1_000, 2_000, 4_000, 8_000]);
        assert_eq!(*delays.last().unwrap(), 300_000, "the backoff is capped");
        assert_eq!(e.stalled().unwrap().count, 12);
        // New domain state may make a job due: one tick soon, same backoff after.
        sub(&mut e, note_at("another", 2, now.0)).unwrap();
        assert_eq!(e.next_wake(), Some(now));
        e.handle_input(Input::Tick { now }).unwrap();
        assert_eq!(e.stalled().unwrap().delay_ms, 300_000);
    }

    #[test]
    fn a_reply_past_its_cap_fails_for_good_and_keeps_its_partial_text() {
        let mut e = engine_with(Config { max_reply_bytes: 5, checkpoint_tokens: 100, ..Config::default() });
        let op = submit_note(&mut e, 1);
        e.begin(op, Timestamp(11)).unwrap();
        let token = |text: &str| Input::Token { operation_id: op, attempt: 1, text: text.into(), now: Timestamp(12) };
        assert_eq!(e.handle_input(token("abc")).unwrap(), Answer::Recorded);
        assert_eq!(e.handle_input(token("def")).unwrap(), Answer::Stop, "the cap stops the stream");
        assert_eq!(types(e.store())[2..], ["llm.checkpoint", "llm.failed"]);
        let o = &e.state().operations[&op];
        assert_eq!(
            (o.status, o.text.as_str(), o.last_failure),
            (OperationStatus::Failed, "abc", Some(crate::operation::FailureCode::OutputTooLarge))
        );
    }

    #[test]
    fn a_reply_in_one_piece_is_split_into_tokens_not_truncated() {
        let mut e = engine_with(Config { max_token_bytes: 4, checkpoint_tokens: 100, ..Config::default() });
        let op = submit_note(&mut e, 1);
        e.begin(op, Timestamp(11)).unwrap();
        drain(&mut e);
        let whole = "ab\u{e9}cdefghij"; // é is two bytes: no piece splits it
        e.handle_input(Input::Token { operation_id: op, attempt: 1, text: whole.into(), now: Timestamp(12) }).unwrap();
        let pieces: Vec<String> = drain(&mut e)
            .into_iter()
            .filter_map(|o| if let Output::Push(Frame::Token { text, .. }) = o { Some(text) } else { None })
            .collect();
        assert!(pieces.len() >= 3 && pieces.iter().all(|p| p.len() <= 4), "{pieces:?}");
        assert_eq!(pieces.concat(), whole);
        e.handle_input(Input::StreamEnd { operation_id: op, attempt: 1, tool_calls: Vec::new(), now: Timestamp(13) })
            .unwrap();
        assert_eq!(e.state().domain.notes[1], whole);
    }

    #[test]
    fn requests_over_the_rate_are_refused_with_a_retry_time_and_refill_with_time() {
        let mut e = engine_with(Config { rate_per_s: 2, rate_burst: 3, ..Config::default() });
        for n in 1..=3 {
            submit_note(&mut e, n);
        }
        let event = Event::Domain(ToyEvent::Added(NoteAdded { text: "one too many".into() }));
        let request = ClientRequest { event, client_action_id: None, event_id: None };
        let err = e.submit(request.clone(), meta(4)).unwrap_err();
        let EngineError::Rejected(r) = err else { panic!("{err:?}") };
        assert_eq!((r.code, r.retry_after_ms), (ErrorCode::RateLimited, Some(500)));
        assert_eq!(e.state().seq, Seq(3), "nothing stored");
        // An exact retry of an accepted request is answered, not limited.
        let a = sub(&mut e, note_n(2)).unwrap();
        assert!(a.duplicate && a.seq == Seq(2));
        // Half a second later, one more fits.
        let later = RequestMeta { timestamp: Timestamp(510), ..meta(4) };
        assert!(e.submit(request, later).is_ok());
    }

    #[test]
    fn a_snapshot_with_integer_map_keys_restores_the_same_state() {
        let mut e = engine();
        sub(&mut e, note("hi")).unwrap();
        let rec = snapshot::encode(e.state(), 16);
        let back = snapshot::decode::<Toy>(&rec).unwrap();
        assert_eq!(&back, e.state());
        assert_eq!(back.domain.by_seq.get(&Seq(1)).map(String::as_str), Some("hi"));
        assert_eq!(crate::toy::ToyEventType::Added.name(), "note.added");
    }
}
