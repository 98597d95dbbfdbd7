//! [`Sim`]: one user's whole system in memory, on virtual time, with
//! deterministic ids. The harness behind the workspace's scenario and
//! property tests, public so that testers can drive their own.

use microcos_core::engine::Restored;
use microcos_core::validate::{parse_client_request, Limits};
use microcos_core::{
    uuid::Uuid, Accepted, Clock, Config, Domain, Driver, Engine, EngineError, EventId, Rejection, RequestId,
    RequestMeta, State, Timestamp, UserId,
};

use crate::clock::{block_on, ManualClock};
use crate::llm::ScriptedLlm;
use crate::push::MemoryPush;
use crate::store::MemoryStore;

/// The driver type of a [`Sim`].
pub type SimDriver<D> = Driver<D, MemoryStore, MemoryPush<<D as Domain>::Event>, ScriptedLlm, ManualClock>;

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
    user: UserId,
    config: Config,
    domain: D,
    driver: Option<SimDriver<D>>,
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
    /// A fresh user `user` with `config`; tokens take 10 ms, stalls 30 s.
    pub fn new(user: &str, config: Config, domain: D) -> Self {
        let clock = ManualClock::at(SIM_EPOCH_MS);
        let store = MemoryStore::new();
        let push = MemoryPush::new();
        let llm = ScriptedLlm::new(clock.clone(), 10, 30_000);
        push.audit_against(store.clone());
        llm.audit_against(store.clone());
        let user = UserId::parse(user).unwrap_or_else(|| UserId("sim".into()));
        let mut sim = Sim { store, push, llm, clock, user, config, domain, driver: None, next_id: 0 };
        // Opening an empty store cannot fail without injected faults.
        let _ = sim.restart();
        sim
    }

    /// The driver (`None` after a failure, until [`Sim::restart`]).
    pub fn driver(&self) -> Option<&SimDriver<D>> {
        self.driver.as_ref()
    }

    /// The driver, reopening it from the store if a failure dropped it.
    fn live(&mut self) -> Result<&SimDriver<D>, EngineError> {
        if self.driver.is_none() {
            self.restart()?;
        }
        self.driver.as_ref().ok_or(EngineError::Poisoned)
    }

    /// Drops the engine (losing everything in memory) and reopens it from the store.
    pub fn restart(&mut self) -> Result<Restored, EngineError> {
        self.driver = None;
        let now = self.clock.now();
        let (engine, restored) = Engine::open(
            self.user.clone(),
            self.config.clone(),
            self.domain.clone(),
            self.store.clone(),
            self.push.clone(),
            now,
        )?;
        self.driver = Some(Driver::new(engine, self.llm.clone(), self.clock.clone()));
        Ok(restored)
    }

    /// Deterministic ids for the next request.
    pub fn next_meta(&mut self) -> RequestMeta {
        self.next_id += 1;
        let n = self.next_id;
        RequestMeta {
            request_id: RequestId(Uuid::from_u128(0x5151_0000_0000_0000_0000_0000_0000_0000 | n)),
            event_id: EventId(Uuid::from_u128(0xe7e7_0000_0000_4000_8000_0000_0000_0000 | n)),
            timestamp: self.clock.now(),
        }
    }

    /// Sends a client body as the edge would; on an engine failure the
    /// engine is dropped (the next call reopens it).
    pub fn send(&mut self, body: &str) -> Result<Accepted, SendError> {
        let meta = self.next_meta();
        self.send_as(body, meta)
    }

    /// Sends a client body with given ids: sending the same body with the
    /// same `meta` again is an exact retry of the same request.
    pub fn send_as(&mut self, body: &str, meta: RequestMeta) -> Result<Accepted, SendError> {
        let limits: &Limits = &self.config.limits;
        let req = parse_client_request(body.as_bytes(), &self.domain, limits)?;
        let result = self.live()?.submit(req, meta);
        self.after(result).map_err(SendError::from)
    }

    fn after<T>(&mut self, result: Result<T, EngineError>) -> Result<T, EngineError> {
        if let Err(e) = &result {
            if !matches!(e, EngineError::Rejected(_)) {
                self.driver = None;
            }
        }
        result
    }

    /// Runs queued generations to their end.
    pub fn run(&mut self) -> Result<(), EngineError> {
        let result = block_on(self.live()?.run_pending());
        self.after(result)
    }

    /// Fires due jobs and runs generations.
    pub fn tick(&mut self) -> Result<(), EngineError> {
        let result = self.live()?.tick();
        self.after(result)?;
        self.run()
    }

    /// Runs until nothing is pending within `horizon_ms` of virtual time,
    /// jumping the clock to each wake-up (retries, daily plans).
    pub fn settle(&mut self, horizon_ms: u64) -> Result<(), EngineError> {
        let limit = Timestamp(self.clock.now().0 + horizon_ms);
        for _ in 0..1_000 {
            self.run()?;
            let now = self.clock.now();
            let wake = self.live()?.engine().next_wake(now);
            match wake {
                Some(at) if at <= limit => {
                    self.clock.set(at);
                    self.tick()?;
                }
                _ => return Ok(()),
            }
        }
        Ok(())
    }

    /// The current durable state (`None` when the engine is down).
    pub fn state(&self) -> Option<State<D>> {
        self.driver.as_ref().map(|d| d.engine().machine().state().clone())
    }
}
