//! The pure state machine for one user: decisions, reduction, effects.
//!
//! [`Machine`] never performs I/O. Its step methods are the engine's
//! ([`crate::Engine`]), which follows one contract:
//!
//! 1. build the envelope and decide it;
//! 2. append the envelope to the store;
//! 3. only once the store acknowledged it, apply it and carry out the
//!    returned effects, then append the domain's follow-ups.
//!
//! Model streams report back as token, completion and error steps, each of
//! which returns the events to store (never stores or pushes itself).
//! Hosts read the machine (state, partial texts, next wake) and drive it
//! only through the engine's inputs.

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use crate::domain::{Domain, EventMeta, Job, Reply};
use crate::error::{ErrorCode, Rejection};
use crate::event::{Envelope, Event, SCHEMA_VERSION};
use crate::frame::{Cursor, Frame};
use crate::ids::{ClientActionId, EventId, OperationId, RequestId, Seq, Timestamp, UserId};
use crate::llm::LlmRequest;
use crate::operation::ToolCall;
use crate::operation::{
    LlmCancel, LlmCheckpoint, LlmCompleted, LlmEvent, LlmEventType, LlmFailed, LlmRetryScheduled, LlmStarted,
    OperationInput, OperationKind, OperationStatus, Tokens,
};
use crate::ports::{LlmError, LlmErrorKind};
use crate::state::{ActionRecord, Bounds, State};
use crate::validate::ClientRequest;

/// The kernel's settings (what a transport's own settings are, body size and
/// subscribers, is `microcos_host::HostConfig`). `Config::default()` is
/// what the services run with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Working-set bounds (part of the replay contract).
    pub bounds: Bounds,
    /// Store a checkpoint after this many tokens…
    pub checkpoint_tokens: u32,
    /// …or when this many milliseconds passed since the last one.
    pub checkpoint_ms: u64,
    /// Attempts per operation, retries included.
    pub max_attempts: u32,
    /// First retry delay; doubles per attempt.
    pub retry_base_ms: u64,
    /// Largest retry delay.
    pub retry_max_ms: u64,
    /// Save a snapshot every this many events (0: never).
    pub snapshot_every: u64,
    /// Largest snapshot piece, in bytes (must stay under the 2 MB row limit).
    pub snapshot_piece_bytes: usize,
    /// Longest token, in bytes: a longer piece (a reply that arrives in one
    /// piece) is split into tokens of at most this size, never truncated.
    pub max_token_bytes: usize,
    /// Operations streaming at once per user. More wait, pending (durably),
    /// and start in request order as slots free.
    pub max_streaming: usize,
    /// Client requests per second a user may sustain (0: no limit). Over it
    /// a request is refused with 429 `rate_limited` and a retry time.
    pub rate_per_s: u32,
    /// Requests a user may send at once before the rate applies.
    pub rate_burst: u32,
    /// Largest reply of one operation, in bytes. Past it the operation ends
    /// with a recorded `output_too_large` failure (not retried) and keeps
    /// its partial text.
    pub max_reply_bytes: usize,
    /// Tool calls in one reply, at most; the arguments of one, in bytes, at
    /// most. A reply past either fails as `malformed_output` (retried).
    pub max_tool_calls: usize,
    /// See [`Config::max_tool_calls`].
    pub max_tool_call_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bounds: Bounds::default(),
            checkpoint_tokens: 32,
            checkpoint_ms: 1_000,
            max_attempts: 3,
            retry_base_ms: 1_000,
            retry_max_ms: 60_000,
            snapshot_every: 256,
            snapshot_piece_bytes: 1024 * 1024,
            max_token_bytes: 1024,
            max_streaming: 4,
            rate_per_s: 20,
            rate_burst: 120,
            max_reply_bytes: 64 * 1024,
            max_tool_calls: 8,
            max_tool_call_bytes: 8 * 1024,
        }
    }
}

/// Ids and time of one inbound request, supplied by the transport.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestMeta {
    /// Fresh id of this request.
    pub request_id: RequestId,
    /// Fresh id for the event, used when the client gave none.
    pub event_id: EventId,
    /// Now.
    pub timestamp: Timestamp,
}

/// Something to do once the events that caused it are durable.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // short-lived and moved once; boxing would cost an allocation per event
pub(crate) enum Effect<E> {
    /// Push a frame to the user's subscribers.
    Push(Frame<E>),
    /// Start (the next attempt of) an LLM operation.
    StartLlm(OperationId),
    /// Save a snapshot of the state.
    Snapshot,
}

/// What to do with one generated token.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // short-lived and moved once; boxing would cost an allocation per token
pub(crate) enum TokenStep<E> {
    /// Push this frame; store the checkpoint if there is one.
    Accept {
        /// The token frame (pushed at once; tokens are not stored one by one).
        frame: Frame<E>,
        /// A checkpoint to store, when one is due.
        checkpoint: Option<Envelope<E>>,
    },
    /// The operation is no longer streaming this attempt (cancelled): stop.
    Stop,
    /// The token would take the reply past its cap: store the checkpoint of
    /// what came before (if any), then fail the attempt as `output_too_large`.
    TooLarge {
        /// The tokens not yet stored.
        checkpoint: Option<Envelope<E>>,
    },
}

/// `text` with every URL (`scheme://…` up to the next space or quote)
/// replaced by `<url>`: a provider's error names its endpoint, which is the
/// operator's business, not the client's.
pub(crate) fn redact_urls(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    let mut rest = text;
    while let Some(i) = rest.find("://") {
        let start = rest[..i]
            .rfind(|c: char| !c.is_ascii_alphanumeric() && c != '+' && c != '-' && c != '.')
            .map_or(0, |j| j + 1);
        out.push_str(&rest[..start]);
        out.push_str("<url>");
        let after = &rest[i + 3..];
        let end =
            after.find(|c: char| c.is_whitespace() || matches!(c, '"' | '\'' | ')' | '>' | ',')).unwrap_or(after.len());
        rest = &after[end..];
    }
    out.push_str(rest);
    out
}

/// Jobs that are due at a given time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Due<E> {
    /// Events to store (the domain's jobs).
    pub(crate) events: Vec<Envelope<E>>,
    /// The jobs' names, in the order of `events`.
    pub(crate) names: Vec<&'static str>,
    /// Operations whose next attempt should start.
    pub(crate) start: Vec<OperationId>,
}

#[derive(Clone, Debug)]
struct Tail {
    attempt: u32,
    /// Index of the first token not yet stored.
    from_index: u32,
    tokens: Tokens,
    last_store_at: Timestamp,
}

impl Tail {
    fn next_index(&self) -> u32 {
        self.from_index + self.tokens.len() as u32
    }
}

/// The state machine of one user, over domain `D`.
#[derive(Clone, Debug)]
pub(crate) struct Machine<D: Domain> {
    user: UserId,
    config: Config,
    domain: D,
    state: State<D>,
    tails: BTreeMap<OperationId, Tail>,
}

impl<D: Domain> Machine<D> {
    /// A machine with empty state.
    pub(crate) fn new(user: UserId, config: Config, domain: D) -> Self {
        Machine::from_state(user, config, domain, State::default())
    }

    /// A machine resuming from a state (a snapshot or a replay).
    pub(crate) fn from_state(user: UserId, config: Config, domain: D, state: State<D>) -> Self {
        Machine { user, config, domain, state, tails: BTreeMap::new() }
    }

    /// The user.
    pub(crate) fn user(&self) -> &UserId {
        &self.user
    }
    /// The configuration.
    pub(crate) fn config(&self) -> &Config {
        &self.config
    }
    /// The domain.
    pub(crate) fn domain(&self) -> &D {
        &self.domain
    }
    /// The durable state (what replay reproduces).
    pub(crate) fn state(&self) -> &State<D> {
        &self.state
    }
    /// The durable state, by value.
    pub(crate) fn into_state(self) -> State<D> {
        self.state
    }
    /// Starts over from `state` (a restore), forgetting live tokens.
    pub(crate) fn reset(&mut self, state: State<D>) {
        self.state = state;
        self.tails.clear();
    }

    /// When the next retry or domain job falls due (it may be in the past:
    /// hosts wake at [`crate::Engine::next_wake`], which never spins),
    /// leaving out the retries `queued` says are already waiting for a slot
    /// (a tick would not start them sooner).
    pub(crate) fn next_wake_except(&self, now: Timestamp, queued: impl Fn(&OperationId) -> bool) -> Option<Timestamp> {
        let retries = self
            .state
            .operations_in_flight()
            .filter(|o| o.status == OperationStatus::RetryScheduled && !queued(&o.operation_id))
            .filter_map(|o| o.retry_at);
        retries.chain(self.domain.jobs(&self.state.domain, now).into_iter().map(|s| s.at)).min()
    }

    /// Text generated so far by an operation's current attempt: the durable part
    /// plus the tokens not yet checkpointed.
    pub(crate) fn partial_text(&self, op: OperationId) -> Option<String> {
        let o = self.state.operations.get(&op)?;
        let mut text = o.text.clone();
        if let Some(t) = self.tails.get(&op).filter(|t| t.attempt == o.attempt) {
            text.push_str(t.tokens.as_text());
        }
        Some(text)
    }

    /// Tokens generated but not yet stored, across operations: with the seq,
    /// it identifies a version of what clients see (the snapshot's ETag).
    pub(crate) fn live_tokens(&self) -> usize {
        self.tails.values().map(|t| t.tokens.len()).sum()
    }

    /// Builds the envelope for a validated client request (the edge's job).
    /// `seq` is assigned at append.
    pub(crate) fn envelope(&self, req: ClientRequest<D::Event>, meta: RequestMeta) -> Envelope<D::Event> {
        let event_id = req.event_id.unwrap_or(meta.event_id);
        let mut env = Envelope {
            v: SCHEMA_VERSION,
            seq: Seq::ZERO,
            event_id,
            timestamp: meta.timestamp,
            user_id: self.user.clone(),
            request_id: meta.request_id,
            client_action_id: req.client_action_id,
            operation_id: None,
            causation_id: None,
            event: req.event,
        };
        self.assign_operation(&mut env);
        env
    }

    /// Gives an event that opens an operation the operation's id.
    fn assign_operation(&self, env: &mut Envelope<D::Event>) {
        if let Event::Domain(e) = &env.event {
            let meta = EventMeta::of(env);
            if self.domain.opens(&self.state.domain, e, &meta).is_some() {
                env.operation_id = Some(meta.opened_operation());
            }
        }
    }

    /// The remembered answer for a client action id, if within retention.
    pub(crate) fn known_action(&self, id: &ClientActionId) -> Option<&ActionRecord> {
        self.state.idempotency.actions.get(id)
    }

    /// Rules for a client event against the current state: the kernel's for
    /// `llm.cancel`, the domain's for its own events.
    pub(crate) fn decide(&self, env: &Envelope<D::Event>) -> Result<(), Rejection> {
        match &env.event {
            Event::Llm(LlmEvent::Cancel(LlmCancel { operation_id })) => match self.state.operations.get(operation_id) {
                None => {
                    Err(Rejection::field(ErrorCode::OperationNotFound, "payload.operation_id", "no such operation"))
                }
                Some(o) if o.status.is_finished() => Err(Rejection::field(
                    ErrorCode::OperationFinished,
                    "payload.operation_id",
                    "the operation already finished",
                )),
                Some(_) => Ok(()),
            },
            Event::Llm(_) => Ok(()),
            Event::Domain(e) => {
                let meta = EventMeta::of(env);
                if self.state.operations_full(&self.config.bounds)
                    && self.domain.opens(&self.state.domain, e, &meta).is_some()
                {
                    let max = self.config.bounds.max_operations;
                    return Err(Rejection::new(
                        ErrorCode::TooManyOperations,
                        format!("at most {max} model operations may be pending or streaming at once; retry once one finished"),
                    ));
                }
                self.domain.decide(&self.state.domain, e, &meta)
            }
        }
    }

    /// Folds a stored event into the state and returns the effects it releases.
    /// Call only after the store acknowledged `env`.
    pub(crate) fn apply(&mut self, env: &Envelope<D::Event>) -> Vec<Effect<D::Event>> {
        self.state.apply(env, &self.domain, &self.config.bounds);
        let mut effects = alloc::vec![Effect::Push(Frame::for_stored(env))];
        if let (Event::Domain(_), Some(op)) = (&env.event, env.operation_id) {
            if self.state.operations.get(&op).is_some_and(|o| o.status == OperationStatus::Pending) {
                effects.push(Effect::StartLlm(op));
            }
        }
        if let Event::Llm(LlmEvent::Cancel(p)) = &env.event {
            self.tails.remove(&p.operation_id);
        }
        let every = self.config.snapshot_every;
        if every > 0 && env.seq.0 % every == 0 {
            effects.push(Effect::Snapshot);
        }
        effects
    }

    /// Events the state now calls for (the domain's follow-ups), caused by `cause`.
    pub(crate) fn follow_ups(&self, cause: &Envelope<D::Event>) -> Vec<Envelope<D::Event>> {
        self.domain
            .follow_ups(&self.state.domain, self.state.last_timestamp)
            .into_iter()
            .map(|job| {
                self.system(
                    Event::Domain(job.event),
                    None,
                    cause.request_id,
                    Some(cause.event_id),
                    &job.key,
                    cause.timestamp,
                )
            })
            .collect()
    }

    /// An event the machine records on its own, with an id derived from its
    /// type and `key` (so that recording it twice is a duplicate).
    fn system(
        &self,
        event: Event<D::Event>,
        op: Option<OperationId>,
        request_id: RequestId,
        causation_id: Option<EventId>,
        key: &str,
        now: Timestamp,
    ) -> Envelope<D::Event> {
        let event_id = EventId::derive(&self.user, event.event_type().as_str(), key);
        let mut env = Envelope {
            v: SCHEMA_VERSION,
            seq: Seq::ZERO,
            event_id,
            timestamp: now,
            user_id: self.user.clone(),
            request_id,
            client_action_id: None,
            operation_id: op,
            causation_id,
            event,
        };
        if op.is_none() {
            self.assign_operation(&mut env);
        }
        env
    }

    fn op_event(
        &self,
        op: OperationId,
        event: Event<D::Event>,
        key: &str,
        now: Timestamp,
    ) -> Option<Envelope<D::Event>> {
        let o = self.state.operations.get(&op)?;
        Some(self.system(event, Some(op), o.request_id, Some(o.request_event), &format!("{op}/{key}"), now))
    }

    /// The `llm.started` event for the next attempt of `op`, if it may start now.
    pub(crate) fn begin_attempt(&self, op: OperationId, now: Timestamp) -> Option<Envelope<D::Event>> {
        let o = self.state.operations.get(&op).filter(|o| o.ready(now))?;
        let attempt = o.attempt + 1;
        let event = LlmEvent::Started(LlmStarted { kind: OperationKind::new(o.input.kind()), attempt });
        self.op_event(op, Event::Llm(event), &format!("{attempt}"), now)
    }

    /// The request for the current attempt of a streaming operation.
    pub(crate) fn request_for(&self, op: OperationId, now: Timestamp) -> Option<LlmRequest> {
        let o = self.state.operations.get(&op).filter(|o| o.status == OperationStatus::Streaming)?;
        let prompt = self.domain.prompt(&self.state.domain, o, now);
        Some(LlmRequest {
            operation_id: op,
            attempt: o.attempt,
            kind: OperationKind::new(o.input.kind()),
            messages: prompt.messages,
            json: prompt.schema.is_some(),
            schema: prompt.schema,
            max_tokens: prompt.max_tokens,
            tools: prompt.tools,
        })
    }

    fn streaming_attempt(&self, op: OperationId, attempt: u32) -> bool {
        self.state.operations.get(&op).is_some_and(|o| o.status == OperationStatus::Streaming && o.attempt == attempt)
    }

    /// Records one generated token of `op`'s attempt `attempt` (at most
    /// `max_token_bytes`: the engine splits longer pieces).
    pub(crate) fn on_token(
        &mut self,
        op: OperationId,
        attempt: u32,
        text: String,
        now: Timestamp,
    ) -> TokenStep<D::Event> {
        if !self.streaming_attempt(op, attempt) {
            return TokenStep::Stop;
        }
        debug_assert!(text.len() <= self.config.max_token_bytes.max(4));
        let (durable, durable_bytes) = self.state.operations.get(&op).map_or((0, 0), |o| (o.tokens, o.text.len()));
        let tail = self.tails.entry(op).or_insert_with(|| Tail {
            attempt,
            from_index: durable,
            tokens: Tokens::new(),
            last_store_at: now,
        });
        if tail.attempt != attempt {
            *tail = Tail { attempt, from_index: durable, tokens: Tokens::new(), last_store_at: now };
        }
        if durable_bytes + tail.tokens.as_text().len() + text.len() > self.config.max_reply_bytes {
            return TokenStep::TooLarge { checkpoint: self.flush(op, attempt, now) };
        }
        let index = tail.next_index();
        tail.tokens.push(&text);
        let frame = Frame::Token { after: self.state.seq, operation_id: op, attempt, index, text };
        let due = tail.tokens.len() as u32 >= self.config.checkpoint_tokens
            || now.0.saturating_sub(tail.last_store_at.0) >= self.config.checkpoint_ms;
        let checkpoint = if due { self.flush(op, attempt, now) } else { None };
        TokenStep::Accept { frame, checkpoint }
    }

    /// Before a cancel takes effect: the checkpoint of the tokens of the
    /// cancelled attempt that were pushed but not yet stored, so that the
    /// text a client saw is kept (and shown again after a reload).
    pub(crate) fn checkpoint_before_cancel(&mut self, env: &Envelope<D::Event>) -> Option<Envelope<D::Event>> {
        let Event::Llm(LlmEvent::Cancel(LlmCancel { operation_id })) = &env.event else { return None };
        let op = self.state.operations.get(operation_id).filter(|o| o.status == OperationStatus::Streaming)?;
        let attempt = op.attempt;
        self.flush(*operation_id, attempt, env.timestamp)
    }

    /// A replica's side of a `token` frame: the token joins the tail, as on
    /// the server (a tail that does not continue starts over at `index`).
    pub(crate) fn receive_token(&mut self, op: OperationId, attempt: u32, index: u32, text: &str) {
        let fresh = || Tail { attempt, from_index: index, tokens: Tokens::new(), last_store_at: Timestamp(0) };
        let tail = self.tails.entry(op).or_insert_with(fresh);
        if tail.attempt != attempt || tail.next_index() != index {
            *tail = fresh();
        }
        tail.tokens.push(text);
    }

    /// A replica's side of a `progress` frame: the stored `llm.checkpoint` or
    /// `llm.completed` it stands for, rebuilt from the tail's tokens exactly as
    /// the server built it (same id, same tokens), and taken out of the tail.
    /// `None` when the tokens it covers did not all arrive, or `event_id`
    /// differs from the rebuilt one.
    pub(crate) fn rebuild_progress(&mut self, frame: &Frame<D::Event>) -> Option<Envelope<D::Event>> {
        let Frame::Progress { seq, event_id, event_type, timestamp, operation_id: op, attempt, through_index } = *frame
        else {
            return None;
        };
        let from_index = self.state.operations.get(&op).filter(|o| o.attempt == attempt)?.tokens;
        let tail = self.tails.get(&op).filter(|t| t.attempt == attempt)?;
        if from_index < tail.from_index || through_index < from_index || through_index > tail.next_index() {
            return None;
        }
        let skip = (from_index - tail.from_index) as usize;
        let tokens: Tokens = tail.tokens.iter().skip(skip).take((through_index - from_index) as usize).collect();
        let (event, key) = match event_type {
            LlmEventType::Checkpoint => {
                (LlmEvent::Checkpoint(LlmCheckpoint { attempt, from_index, tokens }), format!("{attempt}/{from_index}"))
            }
            LlmEventType::Completed => {
                // Its tool calls do not travel in the frame; the state does
                // not hold them (the domain's result event does).
                let tool_calls = Vec::new();
                (LlmEvent::Completed(LlmCompleted { attempt, from_index, tokens, tool_calls }), format!("{attempt}"))
            }
            _ => return None,
        };
        let mut env = self.op_event(op, Event::Llm(event), &key, timestamp)?;
        if env.event_id != event_id {
            return None;
        }
        env.seq = seq;
        if event_type == LlmEventType::Completed {
            self.tails.remove(&op);
        } else if let Some(tail) = self.tails.get_mut(&op) {
            let rest: Tokens = tail.tokens.iter().skip((through_index - tail.from_index) as usize).collect();
            tail.tokens = rest;
            tail.from_index = through_index;
        }
        Some(env)
    }

    /// The checkpoint of the tokens of `op` not yet stored, if there are any.
    fn flush(&mut self, op: OperationId, attempt: u32, now: Timestamp) -> Option<Envelope<D::Event>> {
        let tail = self.tails.get_mut(&op).filter(|t| t.attempt == attempt && !t.tokens.is_empty())?;
        let tokens = core::mem::take(&mut tail.tokens);
        let from_index = tail.from_index;
        tail.from_index += tokens.len() as u32;
        tail.last_store_at = now;
        let event = LlmEvent::Checkpoint(LlmCheckpoint { attempt, from_index, tokens });
        self.op_event(op, Event::Llm(event), &format!("{attempt}/{from_index}"), now)
    }

    /// The events that close attempt `attempt` of `op` after its stream ended:
    /// `llm.completed` and the domain's result, or a recorded failure.
    pub(crate) fn on_complete(
        &mut self,
        op: OperationId,
        attempt: u32,
        tool_calls: Vec<ToolCall>,
        now: Timestamp,
    ) -> Vec<Envelope<D::Event>> {
        if !self.streaming_attempt(op, attempt) {
            return Vec::new();
        }
        let Some(o) = self.state.operations.get(&op) else { return Vec::new() };
        let tail = self.tails.remove(&op).filter(|t| t.attempt == attempt);
        let (from_index, tokens) = match tail {
            Some(t) => (t.from_index, t.tokens),
            None => (o.tokens, Tokens::new()),
        };
        let mut text = o.text.clone();
        text.push_str(tokens.as_text());
        let undeclared = || !tool_calls.is_empty() && self.domain.prompt(&self.state.domain, o, now).tools.is_empty();
        let too_many = tool_calls.len() > self.config.max_tool_calls
            || tool_calls
                .iter()
                .any(|c| c.arguments.len() + c.name.len() + c.id.len() > self.config.max_tool_call_bytes);
        let outcome = if too_many {
            Err(format!(
                "more than {} tool calls, or one over {} bytes",
                self.config.max_tool_calls, self.config.max_tool_call_bytes
            ))
        } else if undeclared() {
            Err(String::from("the model called tools this operation does not declare (its prompt offered none)"))
        } else {
            self.domain.complete(&self.state.domain, o, &Reply { text: &text, tool_calls: &tool_calls })
        };
        match outcome {
            Ok(event) => {
                let completed = LlmCompleted { attempt, from_index, tokens, tool_calls };
                let done = Event::Llm(LlmEvent::Completed(completed));
                let mut out: Vec<_> = self.op_event(op, done, &format!("{attempt}"), now).into_iter().collect();
                out.extend(self.op_event(op, Event::Domain(event), &format!("{attempt}/result"), now));
                out
            }
            Err(message) => {
                let err = LlmError::new(LlmErrorKind::MalformedOutput, message);
                self.failure_events(op, attempt, &err, now)
            }
        }
    }

    /// The events that record a failed attempt (and schedule a retry if allowed).
    pub(crate) fn on_error(
        &mut self,
        op: OperationId,
        attempt: u32,
        err: &LlmError,
        now: Timestamp,
    ) -> Vec<Envelope<D::Event>> {
        if !self.streaming_attempt(op, attempt) {
            return Vec::new();
        }
        self.tails.remove(&op);
        self.failure_events(op, attempt, err, now)
    }

    fn failure_events(&self, op: OperationId, attempt: u32, err: &LlmError, now: Timestamp) -> Vec<Envelope<D::Event>> {
        let retry = err.retryable() && attempt < self.config.max_attempts;
        // Clients see this message: no provider's URL in it, and bounded.
        let message: String = redact_urls(&err.message).chars().take(500).collect();
        let failed = LlmEvent::Failed(LlmFailed { attempt, code: err.kind, message, terminal: !retry });
        let mut out: Vec<_> = self.op_event(op, Event::Llm(failed), &format!("{attempt}"), now).into_iter().collect();
        if retry {
            let delay = if err.kind == LlmErrorKind::Interrupted { 0 } else { self.backoff(op, attempt) };
            let event = LlmEvent::RetryScheduled(LlmRetryScheduled { attempt: attempt + 1, at: now.plus_ms(delay) });
            out.extend(self.op_event(op, Event::Llm(event), &format!("{}", attempt + 1), now));
        }
        out
    }

    /// Delay before attempt `attempt + 1`: exponential, capped, with a jitter
    /// derived from the operation id (deterministic, no randomness).
    pub(crate) fn backoff(&self, op: OperationId, attempt: u32) -> u64 {
        let base = self.config.retry_base_ms;
        let exp = base.saturating_mul(1u64 << attempt.saturating_sub(1).min(20));
        let jitter = if base >= 4 { (op.as_u128() % u128::from(base / 4)) as u64 } else { 0 };
        exp.saturating_add(jitter).min(self.config.retry_max_ms)
    }

    /// Operations interrupted by a restart: their failure (retryable, immediate)
    /// events. Call once after restoring a state.
    pub(crate) fn recover(&mut self, now: Timestamp) -> Vec<Envelope<D::Event>> {
        let streaming: Vec<(OperationId, u32)> = self
            .state
            .operations
            .values()
            .filter(|o| o.status == OperationStatus::Streaming)
            .map(|o| (o.operation_id, o.attempt))
            .collect();
        let err = LlmError::new(LlmErrorKind::Interrupted, "the service stopped during generation");
        streaming.into_iter().flat_map(|(op, attempt)| self.on_error(op, attempt, &err, now)).collect()
    }

    /// Jobs due at `now`: the domain's, and operations waiting to (re)start.
    pub(crate) fn due(&self, now: Timestamp) -> Due<D::Event> {
        let jobs: Vec<Job<D::Event>> =
            self.domain.jobs(&self.state.domain, now).into_iter().filter(|s| s.at <= now).map(|s| s.job).collect();
        let names = jobs.iter().map(|j| j.name).collect();
        let events = jobs.into_iter().map(|job| self.job(job, now)).collect();
        let start = self.state.operations_in_flight().filter(|o| o.ready(now)).map(|o| o.operation_id).collect();
        Due { events, names, start }
    }

    fn job(&self, job: Job<D::Event>, now: Timestamp) -> Envelope<D::Event> {
        let request_id = RequestId(EventId::derive(&self.user, &format!("job.{}", job.name), &job.key).0);
        self.system(Event::Domain(job.event), None, request_id, None, &job.key, now)
    }

    /// Frames for a subscriber resuming at `cursor`: `stored` must be the
    /// stored events after `cursor.after`, in order: all of them when `last`
    /// (then the frames end with the tokens of generations in flight that
    /// are not stored yet; register the subscriber for live frames before
    /// anything else is applied), or a first part. Also returns the cursor
    /// the subscriber has after these frames.
    pub(crate) fn backlog(
        &self,
        stored: &[Envelope<D::Event>],
        cursor: &Cursor,
        last: bool,
    ) -> (Vec<Frame<D::Event>>, Cursor) {
        let mut progress = cursor.tokens.clone();
        let mut frames = Vec::new();
        for env in stored.iter().filter(|e| e.seq > cursor.after) {
            let (attempt, from, tokens) = match (&env.event, env.operation_id) {
                (Event::Llm(LlmEvent::Checkpoint(p)), Some(_)) => (p.attempt, p.from_index, &p.tokens),
                (Event::Llm(LlmEvent::Completed(p)), Some(_)) => (p.attempt, p.from_index, &p.tokens),
                (Event::Llm(LlmEvent::Started(p)), Some(op)) => {
                    if progress.get(&op).is_none_or(|(a, _)| *a != p.attempt) {
                        progress.insert(op, (p.attempt, 0));
                    }
                    frames.push(Frame::for_stored(env));
                    continue;
                }
                _ => {
                    frames.push(Frame::for_stored(env));
                    continue;
                }
            };
            let op = env.operation_id.unwrap_or(OperationId(uuid::Uuid::nil()));
            let next = match progress.get(&op) {
                Some((a, n)) if *a == attempt => *n,
                _ => from,
            };
            for (i, t) in tokens.iter().enumerate() {
                let index = from + i as u32;
                if index >= next {
                    let after = Seq(env.seq.0 - 1);
                    frames.push(Frame::Token { after, operation_id: op, attempt, index, text: String::from(t) });
                }
            }
            progress.insert(op, (attempt, next.max(from + tokens.len() as u32)));
            frames.push(Frame::for_stored(env));
        }
        // The next part starts at the seq after this one. Its checkpoints
        // continue where this part's stopped, so only what the client said
        // it had received live still matters.
        let after = stored.iter().map(|e| e.seq).filter(|s| *s > cursor.after).max().unwrap_or(cursor.after);
        progress.retain(|op, _| cursor.tokens.contains_key(op));
        let next = Cursor { after, tokens: progress.clone() };
        if !last {
            return (frames, next);
        }
        for (op, tail) in &self.tails {
            if !self.streaming_attempt(*op, tail.attempt) {
                continue;
            }
            let next = match progress.get(op) {
                Some((a, n)) if *a == tail.attempt => *n,
                _ => tail.from_index,
            };
            for (i, t) in tail.tokens.iter().enumerate() {
                let index = tail.from_index + i as u32;
                if index >= next {
                    frames.push(Frame::Token {
                        after: self.state.seq,
                        operation_id: *op,
                        attempt: tail.attempt,
                        index,
                        text: String::from(t),
                    });
                }
            }
        }
        (frames, next)
    }
}
