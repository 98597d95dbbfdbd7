//! [`Host`]: one user's engine served over any transport, written once.
//!
//! A transport (the local service's actor, the Durable Object, the memory
//! simulation) owns one `Host` per user and does only transport work:
//! it routes a request with [`crate::edge::route`], hands the [`Action`] to
//! [`Host::serve`], upgrades a stream to a WebSocket and registers it with
//! [`Host::subscribe`], calls [`Host::tick`] when its alarm fires, and
//! implements [`Transport`]: spawning a background task, logging a
//! [`Report`], and re-arming its alarm.
//!
//! The host follows the engine's drain rule after every input: frames go to
//! the [`Push`] port, each [`Output::Start`] becomes a background task
//! that begins the attempt, streams the model and feeds its tokens back, and follow-up work of
//! any depth (a summary after a reply) starts the same way. A storage
//! failure is reported with its operation and recovered the same way on
//! every transport: the engine is restored from its store in place.

use alloc::boxed::Box;
use alloc::rc::Rc;
use alloc::string::String;
use alloc::vec::Vec;
use core::cell::{Cell, Ref, RefCell, RefMut};
use core::future::Future;
use core::pin::Pin;

use crate::log::LogBudget;
use microcos_core::validate::Limits;
use microcos_core::Domain;
use microcos_core::Event;
use microcos_core::{Accepted, Answer, Backlog, Engine, EngineError, Input, Output, Restored};
use microcos_core::{Clock, Llm, Push, Store, TokenStream};
use microcos_core::{Config, RequestMeta};
use microcos_core::{Cursor, Frame};
use microcos_core::{ErrorCode, Rejection};
use microcos_core::{EventId, OperationId, RequestId, Seq, Timestamp, UserId};
use microcos_core::{FailureCode, LlmEvent, OperationStatus};

use crate::edge::{self, Action, Response};

/// A background task: the next attempt of one operation, streamed to its end.
pub struct Task {
    /// The operation.
    pub operation_id: OperationId,
    /// The work. Not `Send`: run it on the user's own thread or isolate.
    pub future: Pin<Box<dyn Future<Output = ()>>>,
}

/// Something a transport logs. Every line names the ids that tie it to the
/// log: `request_id`, `event_id`, `operation_id`.
#[derive(Debug)]
#[non_exhaustive]
pub enum Report<'a> {
    /// The user's engine was restored from its store (opened, or after a failure).
    Restored {
        /// The user.
        user: &'a UserId,
        /// The last seq.
        seq: Seq,
        /// How.
        restored: &'a Restored,
    },
    /// A client request was accepted.
    Accepted {
        /// The answer.
        accepted: &'a Accepted,
        /// The event type.
        event_type: &'static str,
    },
    /// A client request was refused or failed.
    Refused {
        /// The request.
        request_id: RequestId,
        /// Why.
        error: &'a EngineError,
    },
    /// A model stream starts.
    GenerationStarted {
        /// The operation.
        operation_id: OperationId,
        /// The attempt.
        attempt: u32,
        /// The operation's kind (`chat`, `daily_plan`: the domain's names).
        kind: &'a str,
    },
    /// A model stream ended (completed, failed, or stopped).
    GenerationEnded {
        /// The operation.
        operation_id: OperationId,
        /// The attempt.
        attempt: u32,
        /// The operation's kind.
        kind: &'a str,
        /// Tokens the model streamed in this attempt.
        tokens: u32,
        /// From the model call to its first token, if one came.
        first_token_ms: Option<u64>,
        /// From the model call to the end of its stream.
        duration_ms: u64,
        /// Where the operation stands after it: `completed`, `retry_scheduled`,
        /// `failed`, `cancelled`, … ([`microcos_core::OperationStatus`]).
        status: Option<OperationStatus>,
    },
    /// An attempt of an operation failed (`llm.failed` is stored): a model
    /// error, output that did not parse, an interrupted stream found on
    /// restore. Transports log it as a warning, with its code and reason.
    LlmFailed {
        /// The operation.
        operation_id: OperationId,
        /// The attempt.
        attempt: u32,
        /// Why, as stored.
        code: FailureCode,
        /// The reason, as stored.
        message: &'a str,
        /// No further attempt follows.
        terminal: bool,
    },
    /// Recording failed (storage); the engine is restored from its store.
    RecordFailed {
        /// The operation being recorded, if any.
        operation_id: Option<OperationId>,
        /// The failure.
        error: &'a EngineError,
    },
    /// A subscriber connected.
    Subscribed {
        /// Where it resumed.
        after: Seq,
    },
    /// Refusals since the last report of one ([`Report::Refused`] is the
    /// first of a window; the rest are counted, not logged one by one).
    Refusals {
        /// The user.
        user: &'a UserId,
        /// Refusals by stable error code, in the order first seen.
        counts: &'a [(&'static str, u64)],
        /// How long the window ran, in milliseconds.
        window_ms: u64,
    },
    /// Lines left out because the user's log budget
    /// ([`LOG_LINES_PER_S`], burst [`LOG_BURST`]) was spent; reported
    /// before the next line that fits.
    Suppressed {
        /// The user.
        user: &'a UserId,
        /// How many.
        lines: u64,
    },
    /// A tick recorded nothing while a job stayed due: the engine backs off
    /// (see [`microcos_core::Stall`]). Reported once per stall.
    Stalled {
        /// The user.
        user: &'a UserId,
        /// The jobs that were due.
        jobs: &'a [&'static str],
        /// When the engine asks to be woken again, from now.
        retry_in_ms: u64,
    },
}

impl Report<'_> {
    /// The report as one structured line: the same message and field names
    /// as the local service's log lines (the Worker writes these as JSON).
    pub fn line(&self) -> crate::log::Line {
        use crate::log::{Level, Line};
        use alloc::string::ToString;
        let id = |o: &Option<OperationId>| o.map(|o| o.to_string());
        match self {
            Report::Restored { user, seq, restored } => Line::new(Level::Info, "user restored")
                .field("user", user.as_str())
                .field("seq", seq.0)
                .field("snapshot_seq", restored.snapshot_seq.map(|s| s.0))
                .field("replayed", restored.replayed),
            Report::Accepted { accepted: a, event_type } => Line::new(Level::Info, "accepted")
                .field("request_id", a.request_id.to_string())
                .field("event_id", a.event_id.to_string())
                .field("operation_id", id(&a.operation_id))
                .field("seq", a.seq.0)
                .field("duplicate", a.duplicate)
                .field("type", *event_type),
            Report::Refused { request_id, error } => Line::new(Level::Info, "refused")
                .field("request_id", request_id.to_string())
                .field("error", error.to_string()),
            Report::GenerationStarted { operation_id, attempt, kind } => Line::new(Level::Info, "generation starting")
                .field("operation_id", operation_id.to_string())
                .field("attempt", *attempt)
                .field("kind", *kind),
            Report::GenerationEnded { operation_id, attempt, kind, tokens, first_token_ms, duration_ms, status } => {
                Line::new(Level::Info, "generation finished")
                    .field("operation_id", operation_id.to_string())
                    .field("attempt", *attempt)
                    .field("kind", *kind)
                    .field("tokens", *tokens)
                    .field("first_token_ms", *first_token_ms)
                    .field("duration_ms", *duration_ms)
                    .field("status", status.map(|s| s.as_str()))
            }
            Report::LlmFailed { operation_id, attempt, code, message, terminal } => {
                Line::new(Level::Warn, "llm.failed")
                    .field("operation_id", operation_id.to_string())
                    .field("attempt", *attempt)
                    .field("code", code.as_str())
                    .field("reason", *message)
                    .field("terminal", *terminal)
            }
            Report::RecordFailed { operation_id, error } => {
                Line::new(Level::Error, "recording failed: restoring the user from its store")
                    .field("operation_id", id(operation_id))
                    .field("error", error.to_string())
            }
            Report::Subscribed { after } => Line::new(Level::Info, "subscribed").field("after", after.0),
            Report::Refusals { user, counts, window_ms } => {
                let counts: Vec<String> = counts.iter().map(|(code, n)| alloc::format!("{code}={n}")).collect();
                Line::new(Level::Info, "refusals")
                    .field("user", user.as_str())
                    .field("window_ms", *window_ms)
                    .field("counts", counts.join(" "))
            }
            Report::Suppressed { user, lines } => {
                Line::new(Level::Warn, "log lines suppressed: this user's log budget was spent")
                    .field("user", user.as_str())
                    .field("lines", *lines)
            }
            Report::Stalled { user, jobs, retry_in_ms } => {
                Line::new(Level::Warn, "a tick recorded nothing while a job stayed due: backing off")
                    .field("user", user.as_str())
                    .field("jobs", jobs.join(","))
                    .field("retry_in_ms", *retry_in_ms)
            }
        }
    }
}

pub use crate::log::{LOG_BURST, LOG_LINES_PER_S};
/// Refusals are summarised once per this many milliseconds ([`Report::Refusals`]).
pub const REFUSAL_WINDOW_MS: u64 = 10_000;

/// The user's log budget and the refusals counted in the current window.
#[derive(Default)]
struct Reporting {
    budget: LogBudget,
    window_start: Option<Timestamp>,
    /// Refusals by code, in the order first seen (a handful of codes).
    refusals: Vec<(&'static str, u64)>,
}

/// What a transport provides to a [`Host`].
pub trait Transport {
    /// Runs a task in the background, on the user's thread or isolate.
    fn spawn(&self, task: Task);
    /// Logs a report.
    fn report(&self, report: Report<'_>);
    /// Sees every report, also one whose line the user's log budget leaves
    /// out (and so never reaches [`Transport::report`]): for counters, which
    /// must not lose a fact to the budget. By default, nothing.
    fn observe(&self, report: &Report<'_>) {
        let _ = report;
    }
    /// The host's next alarm changed: call [`Host::tick`] at `at` (never for `None`).
    fn rearm(&self, at: Option<Timestamp>);
}

/// What [`Host::serve`] leaves for the transport to do.
#[derive(Debug, PartialEq, Eq)]
pub enum Served {
    /// Answer with this response.
    Response(Response),
    /// Upgrade to a WebSocket and call [`Host::subscribe`] with this cursor;
    /// close it with [`crate::edge::close::TOKEN_EXPIRED`] at `expires`.
    Stream {
        /// Where the client resumes.
        cursor: Cursor,
        /// When its token expires.
        expires: Timestamp,
    },
}

/// How [`Host::subscribe`] went.
#[derive(Debug, PartialEq, Eq)]
pub enum Subscribed<R> {
    /// The subscriber got its whole backlog and is registered for live
    /// frames; `register` returned this.
    Live(R),
    /// The backlog is longer than one subscriber's bound: send these frames,
    /// then close with [`crate::edge::close::RESUME`].
    Part(Vec<String>),
    /// The user has [`HostConfig::max_subscribers`] already: close at once with
    /// [`crate::edge::close::TOO_MANY_SUBSCRIBERS`].
    ///
    Full,
}

/// The fresh ids a transport draws for one request (the kernel draws none).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RequestIds {
    /// The request's id.
    pub request_id: RequestId,
    /// The event id to use when the client gave none.
    pub event_id: EventId,
}

/// One user's engine, model, clock and subscribers, behind one protocol.
pub struct Host<D: Domain, S: Store, L: Llm, C: Clock, P: Push<D::Event>, T: Transport> {
    engine: RefCell<Engine<D, S>>,
    config: HostConfig,
    llm: L,
    clock: C,
    push: RefCell<P>,
    transport: T,
    /// Model streams running now.
    generating: Cell<usize>,
    /// While a stream runs, the alarm is at most this far away, so that a
    /// host evicted mid-stream wakes up and resumes the work.
    watchdog_ms: u64,
    /// The watchdog's time while streams run (set when the first starts,
    /// pushed out when it fires, cleared when the last ends).
    watchdog_at: Cell<Option<Timestamp>>,
    /// The alarm the transport was last asked for (`None`: never asked).
    armed: Cell<Option<Option<Timestamp>>>,
    /// The log budget and the refusal window.
    reporting: RefCell<Reporting>,
}

/// What a transport decides besides the kernel's [`Config`]: the bounds on
/// a request body and on subscribers. `HostConfig::default()` is what the
/// services run with.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct HostConfig {
    /// Bounds on every request body (size, nesting).
    pub limits: Limits,
    /// Subscribers (open streams) per user. Past it a stream is closed
    /// at once with the documented "too many subscribers" code.
    pub max_subscribers: usize,
    /// One bound, in bytes of frames, on what one subscriber may have
    /// waiting: its backlog and its live frames together. A longer backlog is
    /// sent in parts (the client resumes from its cursor for the next), and
    /// a client that falls this far behind live frames is told to resume.
    pub subscriber_bytes: usize,
}

impl Default for HostConfig {
    fn default() -> Self {
        HostConfig { limits: Limits::default(), max_subscribers: 16, subscriber_bytes: 256 * 1024 }
    }
}

/// Parts of a [`Host`] (see [`Host::open`]).
pub struct HostParts<D, S, L, C, P, T> {
    /// The user.
    pub user: UserId,
    /// The kernel's configuration.
    pub config: Config,
    /// The transport's bounds on bodies and subscribers.
    pub host: HostConfig,
    /// The domain.
    pub domain: D,
    /// The user's store.
    pub store: S,
    /// The model.
    pub llm: L,
    /// The clock.
    pub clock: C,
    /// The subscribers.
    pub push: P,
    /// The transport.
    pub transport: T,
    /// The watchdog delay while generating, in milliseconds.
    pub watchdog_ms: u64,
}

impl<D, S, L, C, P, T> Host<D, S, L, C, P, T>
where
    D: Domain,
    S: Store + 'static,
    L: Llm + 'static,
    C: Clock + 'static,
    P: Push<D::Event> + 'static,
    T: Transport + 'static,
{
    /// Opens the user's engine from its store and starts the work it finds
    /// (interrupted generations, due jobs).
    pub fn open(parts: HostParts<D, S, L, C, P, T>) -> Result<(Rc<Self>, Restored), EngineError> {
        let HostParts { user, config, host: host_config, domain, store, llm, clock, push, transport, watchdog_ms } =
            parts;
        let (engine, restored) = Engine::open(user.clone(), config, domain, store, clock.now())?;
        tell(&transport, Report::Restored { user: &user, seq: engine.state().seq, restored: &restored });
        let host = Rc::new(Host {
            engine: RefCell::new(engine),
            config: host_config,
            llm,
            clock,
            push: RefCell::new(push),
            transport,
            generating: Cell::new(0),
            watchdog_ms,
            watchdog_at: Cell::new(None),
            armed: Cell::new(None),
            reporting: RefCell::new(Reporting::default()),
        });
        host.drain();
        host.report_stall();
        Ok((host, restored))
    }

    /// The transport's bounds on bodies and subscribers.
    pub fn config(&self) -> &HostConfig {
        &self.config
    }

    /// Reads the engine (state, store). Do not hold across an `.await`.
    pub fn engine(&self) -> Ref<'_, Engine<D, S>> {
        self.engine.borrow()
    }
    /// The subscribers (to remove one). Do not hold across an `.await`.
    pub fn push(&self) -> RefMut<'_, P> {
        self.push.borrow_mut()
    }
    /// The clock.
    pub fn clock(&self) -> &C {
        &self.clock
    }
    /// The transport.
    pub fn transport(&self) -> &T {
        &self.transport
    }
    /// Model streams running now.
    pub fn generating(&self) -> usize {
        self.generating.get()
    }

    /// When the transport should call [`Host::tick`]: the engine's next wake,
    /// or the watchdog while a model stream runs.
    pub fn next_alarm(&self) -> Option<Timestamp> {
        let wake = self.engine.borrow().next_wake();
        self.alarm(wake)
    }

    /// Hands a report to the transport within the user's log budget
    /// ([`LOG_LINES_PER_S`]); lines over it are counted and reported as
    /// [`Report::Suppressed`] before the next one that fits.
    fn report(&self, report: Report<'_>) {
        self.transport.observe(&report);
        let now = self.clock.now();
        let Some(suppressed) = self.reporting.borrow_mut().budget.admit(now) else { return };
        if suppressed > 0 {
            let engine = self.engine.borrow();
            tell(&self.transport, Report::Suppressed { user: engine.user(), lines: suppressed });
        }
        self.transport.report(report);
    }

    /// A refused request: the first of a window is reported whole, the
    /// rest are counted into the window's [`Report::Refusals`].
    fn refused(&self, request_id: RequestId, error: &EngineError) {
        let now = self.clock.now();
        let first = {
            let mut r = self.reporting.borrow_mut();
            let open = r.window_start.is_some_and(|s| now.0.saturating_sub(s.0) < REFUSAL_WINDOW_MS);
            if open {
                let code = match error {
                    EngineError::Rejected(rejection) => rejection.code.as_str(),
                    _ => "unavailable",
                };
                match r.refusals.iter_mut().find(|(c, _)| *c == code) {
                    Some((_, n)) => *n += 1,
                    None => r.refusals.push((code, 1)),
                }
            }
            !open
        };
        if first {
            self.flush_reports();
            self.reporting.borrow_mut().window_start = Some(now);
            self.report(Report::Refused { request_id, error });
        }
    }

    /// Reports the refusals counted so far ([`Report::Refusals`]) and starts
    /// a new window. Hosts call it themselves when a window has passed; a
    /// transport calls it before it drops an idle host.
    pub fn flush_reports(&self) {
        let now = self.clock.now();
        let (counts, start) = {
            let mut r = self.reporting.borrow_mut();
            let counts = core::mem::take(&mut r.refusals);
            (counts, r.window_start.take())
        };
        if let (false, Some(start)) = (counts.is_empty(), start) {
            let engine = self.engine.borrow();
            let window_ms = now.0.saturating_sub(start.0);
            self.report(Report::Refusals { user: engine.user(), counts: &counts, window_ms });
        }
    }

    /// Reports a new stall of the engine (once: when its count is 1).
    fn report_stall(&self) {
        let engine = self.engine.borrow();
        if let Some(stall) = engine.stalled().filter(|s| s.count == 1) {
            let retry_in_ms = stall.retry_at.0.saturating_sub(self.clock.now().0);
            self.report(Report::Stalled { user: engine.user(), jobs: &stall.jobs, retry_in_ms });
        }
    }

    fn alarm(&self, wake: Option<Timestamp>) -> Option<Timestamp> {
        [wake, self.watchdog_at.get()].into_iter().flatten().min()
    }

    /// Asks the transport for `at`, unless that is the alarm it already has
    /// (a Durable Object's alarm is a storage write: not one per token).
    fn rearm(&self, at: Option<Timestamp>) {
        if self.armed.get() != Some(at) {
            self.armed.set(Some(at));
            self.transport.rearm(at);
        }
    }

    /// Serves one routed edge action of this host's user.
    pub fn serve(self: &Rc<Self>, action: Action<D::Event>, ids: RequestIds, if_none_match: Option<&str>) -> Served {
        let response = match action {
            Action::Respond(r) => r,
            Action::Submit { request, .. } => {
                let meta =
                    RequestMeta { request_id: ids.request_id, event_id: ids.event_id, timestamp: self.clock.now() };
                self.submit(request, meta)
            }
            Action::Snapshot { .. } => self.snapshot(if_none_match),
            Action::Events { after, limit, .. } => self.events(after, limit),
            Action::Stream { cursor, expires, .. } => return Served::Stream { cursor, expires },
        };
        Served::Response(response)
    }

    /// Records a validated client request: 202, 200 for a duplicate, or its error.
    pub fn submit(
        self: &Rc<Self>,
        request: microcos_core::validate::ClientRequest<D::Event>,
        meta: RequestMeta,
    ) -> Response {
        let event_type = request.event.event_type().as_str();
        match self.accept(request, meta) {
            Ok(a) => {
                self.report(Report::Accepted { accepted: &a, event_type });
                edge::respond_accepted(&a)
            }
            Err(e) => {
                self.refused(meta.request_id, &e);
                edge::respond_error(&e)
            }
        }
    }

    /// The client view with its ETag, or 304.
    pub fn snapshot(&self, if_none_match: Option<&str>) -> Response {
        edge::respond_snapshot(&self.engine.borrow(), self.clock.now(), if_none_match)
    }

    /// A page of the log.
    pub fn events(&self, after: Seq, limit: usize) -> Response {
        let engine = self.engine.borrow();
        match engine.store().read_after(after, limit.saturating_add(1)) {
            Ok(rows) => edge::respond_events(&rows, after, limit),
            Err(e) => edge::respond_error(&EngineError::Store(e)),
        }
    }

    /// Connects a subscriber at `cursor`. Its backlog is read a page at a
    /// time and serialised, up to [`HostConfig::subscriber_bytes`]: when all of
    /// it fits, `register` receives the push port and the backlog's frames,
    /// registers the subscriber for live frames, and no frame can fall in
    /// between ([`Subscribed::Live`]). When it does not, the transport sends
    /// the first part and closes the stream with [`close::RESUME`]; the client
    /// reconnects from its cursor for the next ([`Subscribed::Part`]). Never
    /// more than one bound of a log is in memory for a subscriber.
    ///
    /// [`close::RESUME`]: crate::edge::close::RESUME
    pub fn subscribe<R>(
        self: &Rc<Self>,
        cursor: Cursor,
        register: impl FnOnce(&mut P, Vec<String>) -> R,
    ) -> Result<Subscribed<R>, Response> {
        let (max_subscribers, bound) = (self.config.max_subscribers, self.config.subscriber_bytes);
        if self.push.borrow().subscribers() >= max_subscribers {
            return Ok(Subscribed::Full);
        }
        let after = cursor.after;
        let (mut frames, mut bytes, mut cursor) = (Vec::new(), 0, cursor);
        loop {
            let part = match self.backlog(&cursor) {
                Ok(part) => part,
                Err(e) => return Err(edge::respond_error(&e)),
            };
            for frame in &part.frames {
                let json = frame.to_json();
                if bytes + json.len() > bound && !frames.is_empty() {
                    // Any prefix of the frames continues the client's cursor.
                    return Ok(Subscribed::Part(frames));
                }
                bytes += json.len();
                frames.push(json);
            }
            match part.more {
                Some(next) => cursor = next,
                None => {
                    self.report(Report::Subscribed { after });
                    return Ok(Subscribed::Live(register(&mut self.push.borrow_mut(), frames)));
                }
            }
        }
    }

    /// Fires the jobs and retries due now (the transport's alarm).
    pub fn tick(self: &Rc<Self>) {
        let now = self.clock.now();
        // The alarm fired: the transport holds none now.
        self.armed.set(None);
        if self.generating.get() > 0 {
            // Streams still run here: push the watchdog out.
            self.watchdog_at.set(Some(now.plus_ms(self.watchdog_ms)));
        }
        // A failure is reported and recovered inside; the alarm is re-armed either way.
        let _recorded = self.call(None, |engine| engine.handle_input(Input::Tick { now }));
        self.report_stall();
        let window_over =
            self.reporting.borrow().window_start.is_some_and(|s| now.0.saturating_sub(s.0) >= REFUSAL_WINDOW_MS);
        if window_over {
            self.flush_reports();
        }
    }

    /// [`Engine::submit`] the way the transports call it: drains the outputs
    /// after it and recovers from a storage failure. For embedders and
    /// tests that drive the kernel by hand ([`Host::submit`] answers HTTP).
    pub fn accept(
        self: &Rc<Self>,
        request: microcos_core::validate::ClientRequest<D::Event>,
        meta: RequestMeta,
    ) -> Result<Accepted, EngineError> {
        self.call(None, |engine| engine.submit(request, meta))
    }

    /// [`Engine::begin`], draining and recovering as [`Host::accept`] does.
    pub fn begin(
        self: &Rc<Self>,
        operation_id: OperationId,
        now: Timestamp,
    ) -> Result<Option<microcos_core::LlmRequest>, EngineError> {
        self.call(Some(operation_id), |engine| engine.begin(operation_id, now))
    }

    /// [`Engine::subscribe`] (one part of a backlog), draining and
    /// recovering as [`Host::accept`] does.
    pub fn backlog(self: &Rc<Self>, cursor: &Cursor) -> Result<Backlog<D::Event>, EngineError> {
        self.call(None, |engine| engine.subscribe(cursor))
    }

    /// Feeds an input the way the transports do: drains the outputs after it
    /// and recovers from a storage failure. For embedders and tests that
    /// drive the kernel by hand (the edge entry points above call it).
    pub fn handle(self: &Rc<Self>, input: Input) -> Result<Answer, EngineError> {
        let op = match &input {
            Input::Token { operation_id, .. }
            | Input::StreamEnd { operation_id, .. }
            | Input::StreamError { operation_id, .. } => Some(*operation_id),
            Input::Tick { .. } => None,
        };
        self.call(op, |engine| engine.handle_input(input))
    }

    /// Feeds the engine through `feed` (a request or an input), drains the
    /// outputs, and recovers from a storage failure (reported with `op`,
    /// the operation concerned, if any).
    fn call<A>(
        self: &Rc<Self>,
        op: Option<OperationId>,
        feed: impl FnOnce(&mut Engine<D, S>) -> Result<A, EngineError>,
    ) -> Result<A, EngineError> {
        if self.engine.borrow().is_poisoned() {
            // An earlier restore failed: try again (a failure is reported, and
            // the input below is refused as `Poisoned`).
            self.recover();
        }
        let result = feed(&mut self.engine.borrow_mut());
        if let Err(e) = &result {
            if !matches!(e, EngineError::Rejected(_)) {
                self.report(Report::RecordFailed { operation_id: op, error: e });
                self.recover();
            }
        }
        self.drain();
        result
    }

    /// Restores the engine from its store after a failure.
    fn recover(&self) {
        let mut engine = self.engine.borrow_mut();
        let now = self.clock.now();
        match engine.restore(now) {
            Ok(restored) => {
                let user = engine.user().clone();
                tell(&self.transport, Report::Restored { user: &user, seq: engine.state().seq, restored: &restored });
            }
            // Still failing: the next input tries again.
            Err(e) => tell(&self.transport, Report::RecordFailed { operation_id: None, error: &e }),
        }
    }

    /// The drain rule: push frames, start generations, re-arm the alarm.
    fn drain(self: &Rc<Self>) {
        loop {
            let output = self.engine.borrow_mut().poll_output();
            match output {
                Output::Push(frame) => {
                    if let Frame::Event { event, .. } = &frame {
                        if let (Event::Llm(LlmEvent::Failed(f)), Some(operation_id)) =
                            (&event.event, event.operation_id)
                        {
                            self.report(Report::LlmFailed {
                                operation_id,
                                attempt: f.attempt,
                                code: f.code,
                                message: &f.message,
                                terminal: f.terminal,
                            });
                        }
                    }
                    self.push.borrow_mut().push(&frame)
                }
                Output::Start(operation_id) => {
                    let future = Box::pin(self.clone().generate(operation_id));
                    self.transport.spawn(Task { operation_id, future });
                }
                Output::Wait(at) => {
                    self.rearm(self.alarm(at));
                    return;
                }
            }
        }
    }

    /// Begins the next attempt of an operation and streams it to its end,
    /// feeding each token back as an input.
    async fn generate(self: Rc<Self>, operation_id: OperationId) {
        let now = self.clock.now();
        let request = match self.begin(operation_id, now) {
            Ok(Some(request)) => request,
            _ => return, // nothing to start any more (or a failure, reported and recovered)
        };
        let attempt = request.attempt;
        // Counted while the task lives (also if the transport drops it).
        let running = Running::start(&self.generating, &self.watchdog_at);
        if self.watchdog_at.get().is_none() {
            self.watchdog_at.set(Some(self.clock.now().plus_ms(self.watchdog_ms)));
        }
        self.rearm(self.next_alarm()); // with the watchdog
        let kind = request.kind.as_str();
        self.report(Report::GenerationStarted { operation_id, attempt, kind });
        let started = self.clock.now();
        let (mut tokens, mut first_token) = (0u32, None);
        match self.llm.generate(&request).await {
            Err(error) => {
                let now = self.clock.now();
                let _ = self.handle(Input::StreamError { operation_id, attempt, error, now });
            }
            Ok(mut stream) => loop {
                let next = stream.next_token().await; // no borrow is held while waiting
                let now = self.clock.now();
                let (input, last) = match next {
                    Some(Ok(text)) => {
                        tokens += 1;
                        first_token.get_or_insert(now);
                        (Input::Token { operation_id, attempt, text, now }, false)
                    }
                    Some(Err(error)) => (Input::StreamError { operation_id, attempt, error, now }, true),
                    None => (Input::StreamEnd { operation_id, attempt, tool_calls: stream.tool_calls(), now }, true),
                };
                match self.handle(input) {
                    Ok(Answer::Stop) | Err(_) => break,
                    Ok(_) if last => break,
                    Ok(_) => {}
                }
            },
        }
        drop(running);
        let since = |t: Timestamp| t.0.saturating_sub(started.0);
        let status = self.engine.borrow().state().operations.get(&operation_id).map(|o| o.status);
        self.report(Report::GenerationEnded {
            operation_id,
            attempt,
            kind,
            tokens,
            first_token_ms: first_token.map(since),
            duration_ms: since(self.clock.now()),
            status,
        });
        // The watchdog may no longer be needed.
        self.rearm(self.next_alarm());
    }
}

/// Hands a report outside the log budget to the transport: seen, then logged.
fn tell(transport: &impl Transport, report: Report<'_>) {
    transport.observe(&report);
    transport.report(report);
}

/// Counts a running model stream for as long as it lives; the last one
/// clears the watchdog.
struct Running<'a>(&'a Cell<usize>, &'a Cell<Option<Timestamp>>);

impl<'a> Running<'a> {
    fn start(count: &'a Cell<usize>, watchdog: &'a Cell<Option<Timestamp>>) -> Self {
        count.set(count.get() + 1);
        Running(count, watchdog)
    }
}

impl Drop for Running<'_> {
    fn drop(&mut self) {
        self.0.set(self.0.get().saturating_sub(1));
        if self.0.get() == 0 {
            self.1.set(None);
        }
    }
}

/// The error message a transport answers with while a user's host cannot open.
pub fn unavailable() -> Response {
    edge::respond_rejection(&Rejection::new(ErrorCode::Unavailable, String::from("storage unavailable; retry")))
}
