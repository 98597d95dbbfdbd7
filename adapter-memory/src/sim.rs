//! [`Sim`]: one user's whole system in memory, on virtual time, with
//! deterministic ids, behind the same host protocol as the real transports
//! ([`microcos_host::Host`]). The harness behind the workspace's scenario
//! and property tests, public so that testers can drive their own domain.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::rc::Rc;

use microcos_core::validate::parse_client_request;
use microcos_core::{
    uuid::Uuid, Accepted, Clock, Config, Cursor, Domain, EngineError, EventId, Frame, Llm, OperationId, Rejection,
    RequestId, RequestMeta, State, Timestamp, TokenStream, UserId,
};
use microcos_core::{Answer, Input, Restored};
use microcos_host::{Host, HostParts, Report, Task, Transport};

use crate::clock::{block_on, ManualClock};
use crate::llm::{Script, ScriptStream, ScriptedLlm};
use crate::push::MemoryPush;
use crate::store::MemoryStore;

/// The host type of a [`Sim`].
pub type SimHost<D> = Host<D, MemoryStore, ScriptedLlm, ManualClock, MemoryPush<<D as Domain>::Event>, SimTransport>;

/// The simulation's transport: background tasks wait in a queue until
/// [`Sim::run`]; the alarm is a value [`Sim::settle`] reads.
#[derive(Clone, Default)]
pub struct SimTransport {
    tasks: Rc<RefCell<VecDeque<Task>>>,
    alarm: Rc<Cell<Option<Timestamp>>>,
    rearms: Rc<Cell<u64>>,
    failures: Rc<Cell<u64>>,
}

impl SimTransport {
    /// The next background task, if any.
    fn next_task(&self) -> Option<Task> {
        self.tasks.borrow_mut().pop_front()
    }
    /// Storage failures the host reported (and recovered from).
    pub fn failures(&self) -> u64 {
        self.failures.get()
    }
    /// How many times the host asked for a new alarm.
    pub fn rearms(&self) -> u64 {
        self.rearms.get()
    }
}

impl Transport for SimTransport {
    fn spawn(&self, task: Task) {
        self.tasks.borrow_mut().push_back(task);
    }
    fn report(&self, report: Report<'_>) {
        if matches!(report, Report::RecordFailed { .. }) {
            self.failures.set(self.failures.get() + 1);
        }
    }
    fn rearm(&self, at: Option<Timestamp>) {
        self.alarm.set(at);
        self.rearms.set(self.rearms.get() + 1);
    }
}

/// A simulated user: store, push, model and clock in memory.
pub struct Sim<D: Domain> {
    /// The shared log (survives [`Sim::restart`]).
    pub store: MemoryStore,
    /// The subscribers.
    pub push: MemoryPush<D::Event>,
    /// The model.
    pub llm: ScriptedLlm,
    /// Virtual time.
    pub clock: ManualClock,
    transport: SimTransport,
    user: UserId,
    config: Config,
    domain: D,
    host: Option<Rc<SimHost<D>>>,
    next_id: u128,
}

/// Start of virtual time in a new [`Sim`]: 2026-11-28T08:00:00Z.
pub const SIM_EPOCH_MS: u64 = 1_795_852_800_000;

/// Why a [`Sim::send`] did not record the event.
#[derive(Debug, thiserror::Error)]
pub enum SendError {
    /// The body was invalid.
    #[error(transparent)]
    Invalid(#[from] Rejection),
    /// The engine refused or failed.
    #[error(transparent)]
    Engine(#[from] EngineError),
}

impl<D: Domain> Sim<D> {
    /// A fresh user `user` with `config` and `domain`; tokens take 10 ms,
    /// stalls 30 s; the model answers with [`crate::StandIn::default`] until
    /// you set a domain's stand-in on [`Sim::llm`] or queue scripts.
    pub fn new(user: &str, config: Config, domain: D) -> Self {
        let clock = ManualClock::at(SIM_EPOCH_MS);
        let store = MemoryStore::new();
        let push = MemoryPush::new();
        let llm = ScriptedLlm::new(clock.clone(), 10, 30_000);
        push.audit_against(store.clone());
        llm.audit_against(store.clone());
        let user = UserId::parse(user).unwrap_or_else(|| UserId("sim".into()));
        let transport = SimTransport::default();
        let mut sim = Sim { store, push, llm, clock, transport, user, config, domain, host: None, next_id: 0 };
        // Opening an empty store cannot fail without injected faults.
        let _ = sim.restart();
        sim
    }

    /// The running host, if it is up.
    pub fn host(&self) -> Option<&Rc<SimHost<D>>> {
        self.host.as_ref()
    }

    /// The transport (task queue, alarm, reported failures).
    pub fn transport(&self) -> &SimTransport {
        &self.transport
    }

    /// The domain this user runs (what the checkers replay with).
    pub fn domain(&self) -> &D {
        &self.domain
    }

    /// The configuration this user runs with (its bounds are part of the
    /// replay contract).
    pub fn config(&self) -> &Config {
        &self.config
    }

    fn live(&mut self) -> Result<Rc<SimHost<D>>, EngineError> {
        if self.host.is_none() {
            self.restart()?;
        }
        self.host.clone().ok_or(EngineError::Poisoned)
    }

    /// Stops the user (its background tasks die) and restores it from the
    /// store, like a process or Durable Object restart.
    pub fn restart(&mut self) -> Result<Restored, EngineError> {
        self.host = None;
        self.transport.tasks.borrow_mut().clear();
        let parts = HostParts {
            user: self.user.clone(),
            config: self.config.clone(),
            host: microcos_host::HostConfig::default(),
            domain: self.domain.clone(),
            store: self.store.clone(),
            llm: self.llm.clone(),
            clock: self.clock.clone(),
            push: self.push.clone(),
            transport: self.transport.clone(),
            watchdog_ms: 60_000,
        };
        let (host, restored) = Host::open(parts)?;
        self.host = Some(host);
        Ok(restored)
    }

    /// Fresh, deterministic ids and the current time for a request.
    pub fn next_meta(&mut self) -> RequestMeta {
        self.next_id += 1;
        let n = self.next_id;
        RequestMeta {
            request_id: RequestId(Uuid::from_u128(0x5151_0000_0000_0000_0000_0000_0000_0000 | n)),
            event_id: EventId(Uuid::from_u128(0xe7e7_0000_0000_4000_8000_0000_0000_0000 | n)),
            timestamp: self.clock.now(),
        }
    }

    /// Validates and submits a client body with fresh ids.
    pub fn send(&mut self, body: &str) -> Result<Accepted, SendError> {
        let meta = self.next_meta();
        self.send_as(body, meta)
    }

    /// Validates and submits a client body with the given ids (for exact retries).
    pub fn send_as(&mut self, body: &str, meta: RequestMeta) -> Result<Accepted, SendError> {
        let request =
            parse_client_request(body.as_bytes(), &self.domain, &microcos_host::HostConfig::default().limits)?;
        Ok(self.live()?.accept(request, meta)?)
    }

    /// Feeds an input through the host (drain rule and recovery included).
    pub fn handle(&mut self, input: Input) -> Result<Answer, EngineError> {
        self.live()?.handle(input)
    }

    /// The whole backlog of a subscriber resuming at `cursor`, read part by
    /// part as a transport reads it ([`microcos_host::Host::backlog`]).
    pub fn backlog(&mut self, cursor: &Cursor) -> Result<Vec<Frame<D::Event>>, EngineError> {
        let (mut frames, mut cursor) = (Vec::new(), cursor.clone());
        loop {
            let part = self.live()?.backlog(&cursor)?;
            frames.extend(part.frames);
            match part.more {
                Some(next) => cursor = next,
                None => return Ok(frames),
            }
        }
    }

    /// Connects a subscriber at `cursor`: its whole backlog, then live frames.
    pub fn subscribe(&mut self, cursor: &Cursor) -> Result<u64, EngineError> {
        let frames = self.backlog(cursor)?;
        Ok(self.push.subscribe(frames))
    }

    /// Runs every background task (model streams, and the ones they start) to its end.
    pub fn run(&mut self) -> Result<(), EngineError> {
        self.live()?;
        while let Some(task) = self.transport.next_task() {
            block_on(task.future);
        }
        Ok(())
    }

    /// Whether a task of `op` waits in the queue.
    pub fn has_task(&self, op: OperationId) -> bool {
        self.transport.tasks.borrow().iter().any(|t| t.operation_id == op)
    }

    /// Runs every queued task but those of `keep` (and the ones they start),
    /// to free the slots they hold while `keep` is streamed by hand.
    pub fn run_except(&mut self, keep: OperationId) -> Result<(), EngineError> {
        self.live()?;
        loop {
            let task = {
                let mut tasks = self.transport.tasks.borrow_mut();
                let Some(at) = tasks.iter().position(|t| t.operation_id != keep) else { return Ok(()) };
                tasks.remove(at)
            };
            if let Some(task) = task {
                block_on(task.future);
            }
        }
    }

    /// Takes the queued model task of `op` and begins its attempt by hand
    /// on [`Sim::llm`], to advance it one token at a time ([`ByHand::step`])
    /// while the test does other things in between. `None` when no task of
    /// `op` is queued or there is nothing to begin.
    pub fn by_hand(&mut self, op: OperationId) -> Option<ByHand> {
        self.by_hand_scripted(op, None)
    }

    /// [`Sim::by_hand`], the model answering with `script` (queued only once
    /// the attempt has begun, so that no other operation takes it).
    pub fn by_hand_scripted(&mut self, op: OperationId, script: Option<Script>) -> Option<ByHand> {
        let mut tasks = self.transport.tasks.borrow_mut();
        let at = tasks.iter().position(|t| t.operation_id == op)?;
        drop(tasks.remove(at));
        drop(tasks);
        let now = self.clock.now();
        let Ok(Some(request)) = self.live().ok()?.begin(op, now) else { return None };
        if let Some(script) = script {
            self.llm.queue_next(script);
        }
        let stream = block_on(self.llm.generate(&request));
        Some(ByHand { operation_id: op, attempt: request.attempt, stream: Some(stream) })
    }

    /// Fires due jobs at the current virtual time, then runs what they started.
    pub fn tick(&mut self) -> Result<(), EngineError> {
        self.live()?.tick();
        self.run()
    }

    /// When the host wants its next tick.
    pub fn next_alarm(&self) -> Option<Timestamp> {
        self.host.as_ref().and_then(|h| h.next_alarm())
    }

    /// The engine's next wake: the earliest retry or domain job
    /// ([`microcos_core::Engine::next_wake`]; never the host's watchdog).
    pub fn next_wake(&self) -> Option<Timestamp> {
        self.host.as_ref().and_then(|h| h.engine().next_wake())
    }

    /// Runs, then follows the alarm (retries, jobs) until nothing is due
    /// within `horizon_ms` of virtual time.
    pub fn settle(&mut self, horizon_ms: u64) -> Result<(), EngineError> {
        let limit = Timestamp(self.clock.now().0 + horizon_ms);
        for _ in 0..1_000 {
            self.run()?;
            match self.next_alarm() {
                Some(at) if at <= limit => {
                    self.clock.set(at);
                    self.tick()?;
                }
                _ => return Ok(()),
            }
        }
        Ok(())
    }

    /// A client's replica of this user, empty (it subscribes from seq 0).
    pub fn replica(&self) -> microcos_core::Replica<D> {
        microcos_core::Replica::new(self.user.clone(), self.config.clone(), self.domain.clone())
    }

    /// The live state.
    pub fn state(&self) -> Option<State<D>> {
        self.host.as_ref().map(|h| h.engine().state().clone())
    }
}

/// A model stream advanced by hand (see [`Sim::by_hand`]).
pub struct ByHand {
    operation_id: OperationId,
    attempt: u32,
    stream: Option<Result<ScriptStream, microcos_core::LlmError>>,
}

impl ByHand {
    /// The attempt being streamed.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }

    /// Feeds the stream's next token (or its end, or its error) to the host.
    /// Returns `Ok(true)` while the stream goes on.
    pub fn step<D: Domain>(&mut self, sim: &mut Sim<D>) -> Result<bool, EngineError> {
        let (operation_id, attempt) = (self.operation_id, self.attempt);
        let (next, tool_calls) = match self.stream.as_mut() {
            None => return Ok(false),
            Some(Err(error)) => (Some(Err(error.clone())), Vec::new()),
            Some(Ok(stream)) => {
                let next = block_on(stream.next_token());
                let calls = if next.is_none() { microcos_core::TokenStream::tool_calls(stream) } else { Vec::new() };
                (next, calls)
            }
        };
        let now = sim.clock.now();
        let (input, last) = match next {
            Some(Ok(text)) => (Input::Token { operation_id, attempt, text, now }, false),
            Some(Err(error)) => (Input::StreamError { operation_id, attempt, error, now }, true),
            None => (Input::StreamEnd { operation_id, attempt, tool_calls, now }, true),
        };
        let answer = sim.handle(input)?;
        if last || answer == Answer::Stop {
            self.stream = None;
            return Ok(false);
        }
        Ok(true)
    }
}
