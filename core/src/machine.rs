//! The pure state machine for one user: decisions, reduction, effects.
//!
//! [`Machine`] never performs I/O. Its callers (the [`crate::Engine`]) follow
//! one contract:
//!
//! 1. build the envelope ([`Machine::envelope`]) and ask [`Machine::decide`];
//! 2. append the envelope to the store;
//! 3. only once the store acknowledged it, [`Machine::apply`] it and carry out
//!    the returned [`Effect`]s, then append any [`Machine::follow_ups`].
//!
//! The LLM side reports back through [`Machine::begin_attempt`],
//! [`Machine::on_token`], [`Machine::on_complete`] and [`Machine::on_error`],
//! each of which returns the events to store (never stores or pushes itself).

use alloc::collections::BTreeMap;
use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use crate::error::{ErrorCode, Rejection};
use crate::event::*;
use crate::frame::{Cursor, Frame};
use crate::ids::{EventId, OperationId, RequestId, Seq, TaskId, Timestamp, UserId};
use crate::llm::{build_request, parse_extracted_tasks, parse_plan, LlmRequest, PromptBudget};
use crate::ports::{LlmError, LlmErrorKind};
use crate::state::{ActionRecord, Bounds, OperationInput, OperationStatus, State};
use crate::time::LocalDate;
use crate::validate::{ClientRequest, Limits};

/// Everything tunable. `Config::default()` is what the services run with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Config {
    /// Working-set bounds (part of the replay contract).
    pub bounds: Bounds,
    /// Input bounds.
    pub limits: Limits,
    /// Prompt budget.
    pub prompt: PromptBudget,
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
    /// Summarise once this many messages left the window.
    pub summary_trigger: usize,
    /// Longest token text kept (longer tokens are truncated).
    pub max_token_bytes: usize,
}

impl Default for Config {
    fn default() -> Self {
        Config {
            bounds: Bounds::default(),
            limits: Limits::default(),
            prompt: PromptBudget::default(),
            checkpoint_tokens: 32,
            checkpoint_ms: 1_000,
            max_attempts: 3,
            retry_base_ms: 1_000,
            retry_max_ms: 60_000,
            snapshot_every: 256,
            snapshot_piece_bytes: 1024 * 1024,
            summary_trigger: 20,
            max_token_bytes: 1024,
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
pub enum Effect {
    /// Push a frame to the user's subscribers.
    Push(Frame),
    /// Start (the next attempt of) an LLM operation.
    StartLlm(OperationId),
    /// Save a snapshot of the state.
    Snapshot,
}

/// What to do with one generated token.
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)] // short-lived and moved once; boxing would cost an allocation per token
pub enum TokenStep {
    /// Push this frame; store the checkpoint if there is one.
    Accept {
        /// The token frame (pushed at once; tokens are not stored one by one).
        frame: Frame,
        /// A checkpoint to store, when one is due.
        checkpoint: Option<Envelope>,
    },
    /// The operation is no longer streaming this attempt (cancelled): stop.
    Stop,
}

/// Jobs that are due at a given time.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Due {
    /// Events to store (the daily-plan job).
    pub events: Vec<Envelope>,
    /// Operations whose next attempt should start.
    pub start: Vec<OperationId>,
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

/// The state machine of one user.
#[derive(Clone, Debug)]
pub struct Machine {
    user: UserId,
    config: Config,
    state: State,
    tails: BTreeMap<OperationId, Tail>,
}

impl Machine {
    /// A machine with empty state.
    pub fn new(user: UserId, config: Config) -> Self {
        Machine::from_state(user, config, State::default())
    }

    /// A machine resuming from a state (a snapshot or a replay).
    pub fn from_state(user: UserId, config: Config, state: State) -> Self {
        Machine { user, config, state, tails: BTreeMap::new() }
    }

    /// The user.
    pub fn user(&self) -> &UserId {
        &self.user
    }
    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }
    /// The durable state (what replay reproduces).
    pub fn state(&self) -> &State {
        &self.state
    }
    /// Text generated so far by an operation's current attempt: the durable part
    /// plus the tokens not yet checkpointed.
    pub fn partial_text(&self, op: OperationId) -> Option<String> {
        let o = self.state.operations.get(&op)?;
        let mut text = o.text.clone();
        if let Some(t) = self.tails.get(&op).filter(|t| t.attempt == o.attempt) {
            text.push_str(t.tokens.as_text());
        }
        Some(text)
    }

    /// Tokens generated but not yet stored, across operations: with the seq,
    /// it identifies a version of what clients see (the snapshot's ETag).
    pub fn live_tokens(&self) -> usize {
        self.tails.values().map(|t| t.tokens.len()).sum()
    }

    /// Builds the envelope for a validated client request (the edge's job).
    /// `seq` is assigned at append.
    pub fn envelope(&self, req: ClientRequest, meta: RequestMeta) -> Envelope {
        let event_id = req.event_id.unwrap_or(meta.event_id);
        let operation_id = req.event.event_type().starts_operation().map(|_| OperationId::for_request(event_id));
        Envelope {
            v: SCHEMA_VERSION,
            seq: Seq::ZERO,
            event_id,
            timestamp: meta.timestamp,
            user_id: self.user.clone(),
            request_id: meta.request_id,
            client_action_id: req.client_action_id,
            operation_id,
            causation_id: None,
            event: req.event,
        }
    }

    /// The remembered answer for a client action id, if within retention.
    pub fn known_action(&self, id: &crate::ids::ClientActionId) -> Option<&ActionRecord> {
        self.state.idempotency.actions.get(id)
    }

    /// Domain checks for a client event against the current state.
    pub fn decide(&self, env: &Envelope) -> Result<(), Rejection> {
        let tasks = &self.state.tasks.items;
        let need_task = |id: &TaskId| {
            if tasks.contains_key(id) {
                Ok(())
            } else {
                Err(Rejection::field(ErrorCode::TaskNotFound, "payload.task_id", format!("no task {id}")))
            }
        };
        match &env.event {
            Event::TaskCreated(p) => {
                if self.state.tasks.open_count() >= self.config.bounds.max_open_tasks {
                    return Err(Rejection::new(
                        ErrorCode::TooManyTasks,
                        format!("at most {} open tasks", self.config.bounds.max_open_tasks),
                    ));
                }
                let id = p.task_id.unwrap_or(TaskId(env.event_id.0));
                if tasks.contains_key(&id) {
                    return Err(Rejection::field(
                        ErrorCode::EventIdConflict,
                        "payload.task_id",
                        format!("task {id} exists"),
                    ));
                }
                Ok(())
            }
            Event::TaskUpdated(p) => need_task(&p.task_id),
            Event::TaskCompleted(p) => need_task(&p.task_id),
            Event::TaskDeleted(p) => need_task(&p.task_id),
            Event::LlmCancel(p) => match self.state.operations.get(&p.operation_id) {
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
            _ => Ok(()),
        }
    }

    /// Folds a stored event into the state and returns the effects it releases.
    /// Call only after the store acknowledged `env`.
    pub fn apply(&mut self, env: &Envelope) -> Vec<Effect> {
        self.state.apply(env, &self.config.bounds);
        let mut effects = alloc::vec![Effect::Push(Frame::for_stored(env))];
        if let (Some(_), Some(op)) = (env.event_type().starts_operation(), env.operation_id) {
            if self.state.operations.get(&op).is_some_and(|o| o.status == OperationStatus::Pending) {
                effects.push(Effect::StartLlm(op));
            }
        }
        if let Event::LlmCancel(p) = &env.event {
            self.tails.remove(&p.operation_id);
        }
        let every = self.config.snapshot_every;
        if every > 0 && env.seq.0 % every == 0 {
            effects.push(Effect::Snapshot);
        }
        effects
    }

    /// Events the state now calls for (the summary job when the window overflowed).
    pub fn follow_ups(&self, cause: &Envelope) -> Vec<Envelope> {
        let chat = &self.state.chat;
        if chat.summary_in_flight.is_some() || chat.unsummarized.len() < self.config.summary_trigger {
            return Vec::new();
        }
        let Some(through_seq) = chat.unsummarized.back().map(|m| m.seq) else { return Vec::new() };
        let event = Event::WorkflowGenerateSummary(WorkflowGenerateSummary { through_seq });
        let key = format!("{}", through_seq.0);
        let mut env = self.system(event, None, cause.request_id, Some(cause.event_id), &key, cause.timestamp);
        env.operation_id = Some(OperationId::for_request(env.event_id));
        alloc::vec![env]
    }

    fn system(
        &self,
        event: Event,
        op: Option<OperationId>,
        request_id: RequestId,
        causation_id: Option<EventId>,
        key: &str,
        now: Timestamp,
    ) -> Envelope {
        let event_id = EventId::derive(&self.user, event.event_type().as_str(), key);
        Envelope {
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
        }
    }

    fn op_event(&self, op: OperationId, event: Event, key: &str, now: Timestamp) -> Option<Envelope> {
        let o = self.state.operations.get(&op)?;
        Some(self.system(event, Some(op), o.request_id, Some(o.request_event), &format!("{op}/{key}"), now))
    }

    /// The `llm.started` event for the next attempt of `op`, if it may start now.
    pub fn begin_attempt(&self, op: OperationId, now: Timestamp) -> Option<Envelope> {
        let o = self.state.operations.get(&op)?;
        let ready = match o.status {
            OperationStatus::Pending => true,
            OperationStatus::RetryScheduled => o.retry_at.is_none_or(|at| at <= now),
            _ => false,
        };
        if !ready {
            return None;
        }
        let attempt = o.attempt + 1;
        let event = Event::LlmStarted(LlmStarted { kind: o.input.kind(), attempt });
        self.op_event(op, event, &format!("{attempt}"), now)
    }

    /// The prompt for the current attempt of a streaming operation.
    pub fn request_for(&self, op: OperationId) -> Option<LlmRequest> {
        let o = self.state.operations.get(&op).filter(|o| o.status == OperationStatus::Streaming)?;
        Some(build_request(&self.state, o, o.attempt, &self.config.prompt))
    }

    fn streaming_attempt(&self, op: OperationId, attempt: u32) -> bool {
        self.state.operations.get(&op).is_some_and(|o| o.status == OperationStatus::Streaming && o.attempt == attempt)
    }

    /// Records one generated token of `op`'s attempt `attempt`.
    pub fn on_token(&mut self, op: OperationId, attempt: u32, mut text: String, now: Timestamp) -> TokenStep {
        if !self.streaming_attempt(op, attempt) {
            return TokenStep::Stop;
        }
        if text.len() > self.config.max_token_bytes {
            let mut cut = self.config.max_token_bytes;
            while !text.is_char_boundary(cut) {
                cut -= 1;
            }
            text.truncate(cut);
        }
        let durable = self.state.operations.get(&op).map_or(0, |o| o.tokens);
        let tail = self.tails.entry(op).or_insert_with(|| Tail {
            attempt,
            from_index: durable,
            tokens: Tokens::new(),
            last_store_at: now,
        });
        if tail.attempt != attempt {
            *tail = Tail { attempt, from_index: durable, tokens: Tokens::new(), last_store_at: now };
        }
        let index = tail.next_index();
        tail.tokens.push(&text);
        let frame = Frame::Token { after: self.state.seq, operation_id: op, attempt, index, text };
        let due = tail.tokens.len() as u32 >= self.config.checkpoint_tokens
            || now.0.saturating_sub(tail.last_store_at.0) >= self.config.checkpoint_ms;
        let checkpoint = if due {
            let tokens = core::mem::take(&mut tail.tokens);
            let from_index = tail.from_index;
            tail.from_index = index + 1;
            tail.last_store_at = now;
            let event = Event::LlmCheckpoint(LlmCheckpoint { attempt, from_index, tokens });
            self.op_event(op, event, &format!("{attempt}/{from_index}"), now)
        } else {
            None
        };
        TokenStep::Accept { frame, checkpoint }
    }

    /// The events that close attempt `attempt` of `op` after its stream ended.
    pub fn on_complete(&mut self, op: OperationId, attempt: u32, now: Timestamp) -> Vec<Envelope> {
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
        let result = match &o.input {
            OperationInput::Chat if text.trim().is_empty() => Err("the model returned an empty reply".to_string()),
            OperationInput::Chat => Ok(Event::AssistantMessage(AssistantMessage { text })),
            OperationInput::ExtractTasks { .. } => {
                parse_extracted_tasks(&text, op).map(|tasks| Event::TasksExtracted(TasksExtracted { tasks }))
            }
            OperationInput::DailyPlan { date } => {
                let date = *date;
                parse_plan(&text, &self.state).map(|items| Event::PlanGenerated(PlanGenerated { date, items }))
            }
            OperationInput::Summary { .. } if text.trim().is_empty() => {
                Err("the model returned an empty summary".to_string())
            }
            OperationInput::Summary { through_seq } => Ok(Event::SummaryGenerated(SummaryGenerated {
                text: text.trim().to_string(),
                through_seq: *through_seq,
            })),
        };
        match result {
            Ok(event) => {
                let done = Event::LlmCompleted(LlmCompleted { attempt, from_index, tokens });
                let mut out: Vec<Envelope> = self.op_event(op, done, &format!("{attempt}"), now).into_iter().collect();
                out.extend(self.op_event(op, event, &format!("{attempt}/result"), now));
                out
            }
            Err(message) => {
                let err = LlmError::new(LlmErrorKind::MalformedOutput, message);
                self.failure_events(op, attempt, &err, now)
            }
        }
    }

    /// The events that record a failed attempt (and schedule a retry if allowed).
    pub fn on_error(&mut self, op: OperationId, attempt: u32, err: &LlmError, now: Timestamp) -> Vec<Envelope> {
        if !self.streaming_attempt(op, attempt) {
            return Vec::new();
        }
        self.tails.remove(&op);
        self.failure_events(op, attempt, err, now)
    }

    fn failure_events(&self, op: OperationId, attempt: u32, err: &LlmError, now: Timestamp) -> Vec<Envelope> {
        let retry = err.retryable() && attempt < self.config.max_attempts;
        let message: String = err.message.chars().take(500).collect();
        let failed = Event::LlmFailed(LlmFailed { attempt, code: err.kind, message, terminal: !retry });
        let mut out: Vec<Envelope> = self.op_event(op, failed, &format!("{attempt}"), now).into_iter().collect();
        if retry {
            let delay = if err.kind == LlmErrorKind::Interrupted { 0 } else { self.backoff(op, attempt) };
            let event = Event::LlmRetryScheduled(LlmRetryScheduled { attempt: attempt + 1, at: now.plus_ms(delay) });
            out.extend(self.op_event(op, event, &format!("{}", attempt + 1), now));
        }
        out
    }

    /// Delay before attempt `attempt + 1`: exponential, capped, with a jitter
    /// derived from the operation id (deterministic, no randomness).
    pub fn backoff(&self, op: OperationId, attempt: u32) -> u64 {
        let base = self.config.retry_base_ms;
        let exp = base.saturating_mul(1u64 << attempt.saturating_sub(1).min(20));
        let jitter = if base >= 4 { (op.as_u128() % u128::from(base / 4)) as u64 } else { 0 };
        exp.saturating_add(jitter).min(self.config.retry_max_ms)
    }

    /// Operations interrupted by a restart: their failure (retryable, immediate)
    /// events. Call once after restoring a state.
    pub fn recover(&mut self, now: Timestamp) -> Vec<Envelope> {
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

    /// Jobs due at `now`: the daily plan and operations waiting to (re)start.
    pub fn due(&self, now: Timestamp) -> Due {
        let mut due = Due::default();
        if let Some(date) = self.daily_plan_due(now) {
            let event = Event::WorkflowDailyPlan(WorkflowDailyPlan { date });
            let key = format!("{date}");
            let request_id = RequestId(EventId::derive(&self.user, "job.daily_plan", &key).0);
            let mut env = self.system(event, None, request_id, None, &key, now);
            env.operation_id = Some(OperationId::for_request(env.event_id));
            due.events.push(env);
        }
        for o in self.state.operations_in_flight() {
            let ready = match o.status {
                OperationStatus::Pending => true,
                OperationStatus::RetryScheduled => o.retry_at.is_none_or(|at| at <= now),
                _ => false,
            };
            if ready {
                due.start.push(o.operation_id);
            }
        }
        due
    }

    fn daily_plan_due(&self, now: Timestamp) -> Option<LocalDate> {
        let s = &self.state.planner.settings;
        let time = s.daily_plan_time?;
        let today = LocalDate::at(now, s.tz_offset_minutes);
        let fired = self.state.planner.last_daily_plan.is_some_and(|d| d >= today);
        (!fired && now >= today.instant(time, s.tz_offset_minutes)).then_some(today)
    }

    /// When the host should next call [`Machine::due`]: the earliest retry or daily plan.
    pub fn next_wake(&self, now: Timestamp) -> Option<Timestamp> {
        let retries = self
            .state
            .operations_in_flight()
            .filter(|o| o.status == OperationStatus::RetryScheduled)
            .filter_map(|o| o.retry_at);
        let s = &self.state.planner.settings;
        let plan = s.daily_plan_time.map(|time| {
            let today = LocalDate::at(now, s.tz_offset_minutes);
            let fired = self.state.planner.last_daily_plan.is_some_and(|d| d >= today);
            let day = if fired { today.succ() } else { today };
            day.instant(time, s.tz_offset_minutes)
        });
        retries.chain(plan).min()
    }

    /// Frames for a subscriber resuming at `cursor`: `stored` must be every
    /// stored event after `cursor.after`, in order. Ends with the tokens of
    /// generations in flight that are not stored yet. Register the subscriber
    /// for live frames before anything else is applied.
    pub fn backlog(&self, stored: &[Envelope], cursor: &Cursor) -> Vec<Frame> {
        let mut progress = cursor.tokens.clone();
        let mut frames = Vec::new();
        for env in stored.iter().filter(|e| e.seq > cursor.after) {
            let (attempt, from, tokens) = match (&env.event, env.operation_id) {
                (Event::LlmCheckpoint(p), Some(_)) => (p.attempt, p.from_index, &p.tokens),
                (Event::LlmCompleted(p), Some(_)) => (p.attempt, p.from_index, &p.tokens),
                (Event::LlmStarted(p), Some(op)) => {
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
        frames
    }
}
