//! The asynchronous driver: an [`Engine`] plus a model ([`Llm`]) and a clock.
//!
//! The engine sits in a `RefCell` and is borrowed only between `.await`s, so
//! on a single-threaded host (a Durable Object, a `LocalSet`) other requests —
//! a cancel, a new message, a subscriber — are served while a generation
//! streams, and events are still processed strictly one at a time.
//!
//! ```text
//! submit ──► Engine (validate, dedupe, append, reduce, push) ──► work queue
//! run_pending ──► begin_attempt (store llm.started) ──► Llm::generate
//!     └─ per token: push token frame, store a checkpoint every N tokens / T ms
//!     └─ end: llm.completed + result | error: llm.failed (+ llm.retry_scheduled)
//! tick(now) ──► due jobs (retries, daily plan) ──► work queue
//! ```

use core::cell::{Ref, RefCell, RefMut};

use crate::domain::Domain;
use crate::engine::{Accepted, Engine, EngineError};
use crate::ids::OperationId;
use crate::machine::RequestMeta;
use crate::ports::{Clock, Llm, Push, Store, TokenStream};
use crate::validate::ClientRequest;

/// Drives one user's engine with a model and a clock.
pub struct Driver<D: Domain, S: Store, P: Push<D::Event>, L: Llm, C: Clock> {
    engine: RefCell<Engine<D, S, P>>,
    llm: L,
    clock: C,
}

/// One attempt of one operation, streaming. Advance it with [`Run::step`].
pub struct Run<T> {
    op: OperationId,
    attempt: u32,
    stream: T,
}

impl<T> Run<T> {
    /// The operation.
    pub fn operation_id(&self) -> OperationId {
        self.op
    }
    /// The attempt.
    pub fn attempt(&self) -> u32 {
        self.attempt
    }
}

impl<T: TokenStream> Run<T> {
    /// Pulls one token (or the end, or an error) and records it. Returns
    /// `Ok(true)` while the attempt goes on.
    pub async fn step<D: Domain, S: Store, P: Push<D::Event>, L: Llm, C: Clock>(
        &mut self,
        driver: &Driver<D, S, P, L, C>,
    ) -> Result<bool, EngineError> {
        let next = self.stream.next_token().await; // no borrow held while waiting
        let now = driver.clock.now();
        let mut engine = driver.engine.borrow_mut();
        match next {
            Some(Ok(token)) => engine.on_token(self.op, self.attempt, token, now),
            Some(Err(err)) => engine.on_error(self.op, self.attempt, &err, now).map(|()| false),
            None => engine.on_complete(self.op, self.attempt, now).map(|()| false),
        }
    }
}

impl<D: Domain, S: Store, P: Push<D::Event>, L: Llm, C: Clock> Driver<D, S, P, L, C> {
    /// Wraps an opened engine.
    pub fn new(engine: Engine<D, S, P>, llm: L, clock: C) -> Self {
        Driver { engine: RefCell::new(engine), llm, clock }
    }

    /// Borrows the engine (do not hold across an `.await`).
    pub fn engine(&self) -> Ref<'_, Engine<D, S, P>> {
        self.engine.borrow()
    }
    /// Borrows the engine mutably (do not hold across an `.await`).
    pub fn engine_mut(&self) -> RefMut<'_, Engine<D, S, P>> {
        self.engine.borrow_mut()
    }
    /// The clock.
    pub fn clock(&self) -> &C {
        &self.clock
    }
    /// The model.
    pub fn llm(&self) -> &L {
        &self.llm
    }
    /// Unwraps the engine.
    pub fn into_engine(self) -> Engine<D, S, P> {
        self.engine.into_inner()
    }

    /// Records a validated client request (see [`Engine::submit`]).
    pub fn submit(&self, req: ClientRequest<D::Event>, meta: RequestMeta) -> Result<Accepted, EngineError> {
        self.engine.borrow_mut().submit(req, meta)
    }

    /// Fires the jobs due now.
    pub fn tick(&self) -> Result<(), EngineError> {
        let now = self.clock.now();
        self.engine.borrow_mut().tick(now)
    }

    /// Starts the next attempt of `op`, if it is ready: stores `llm.started`
    /// and calls the model. A model that refuses to start is recorded as a
    /// failed attempt and `None` is returned.
    pub async fn start(&self, op: OperationId) -> Result<Option<Run<L::Stream>>, EngineError> {
        let request = {
            let now = self.clock.now();
            self.engine.borrow_mut().begin_attempt(op, now)?
        };
        let Some(request) = request else { return Ok(None) };
        let attempt = request.attempt;
        match self.llm.generate(&request).await {
            Ok(stream) => Ok(Some(Run { op, attempt, stream })),
            Err(err) => {
                let now = self.clock.now();
                self.engine.borrow_mut().on_error(op, attempt, &err, now)?;
                Ok(None)
            }
        }
    }

    /// Runs one attempt of `op` to its end.
    pub async fn run_operation(&self, op: OperationId) -> Result<(), EngineError> {
        if let Some(mut run) = self.start(op).await? {
            while run.step(self).await? {}
        }
        Ok(())
    }

    /// Runs every queued attempt (and the ones they queue) to its end.
    pub async fn run_pending(&self) -> Result<(), EngineError> {
        loop {
            let work = self.engine.borrow_mut().take_work();
            if work.is_empty() {
                return Ok(());
            }
            for op in work {
                self.run_operation(op).await?;
            }
        }
    }
}
