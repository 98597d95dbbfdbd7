//! One actor per user: a dedicated thread running a single-threaded runtime,
//! like a Durable Object. It owns the user's engine (SQLite store, push
//! fan-out) and model driver; generations stream as local tasks while the
//! actor keeps serving commands, and events are still processed one at a
//! time. After a storage failure the actor exits ("crash-only"); the next
//! command respawns it, restoring from the store.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use crate::clock::SystemClock;
use microcos_assistant::{Assistant, AssistantEvent};
use microcos_core::edge::{self, Response};
use microcos_core::validate::ClientRequest;
use microcos_core::{
    Clock, Config, Cursor, Driver, Engine, EngineError, ErrorCode, Rejection, RequestMeta, Seq, UserId,
};
use tokio::sync::{mpsc, oneshot, Notify};

use crate::llm::Model;
use crate::push::{LocalPush, Subscriber};
use crate::store::{Durability, SqliteStore};

/// What every actor shares.
pub struct Services {
    /// The data folder (`users/<user>.sqlite` inside).
    pub data_dir: PathBuf,
    /// Engine configuration.
    pub config: Config,
    /// The domain.
    pub domain: Assistant,
    /// The model.
    pub model: Model,
    /// SQLite durability.
    pub durability: Durability,
}

/// A request to a user's actor.
pub enum Command {
    /// Record a client request.
    Submit {
        /// The validated request.
        request: ClientRequest<AssistantEvent>,
        /// Its ids and time.
        meta: RequestMeta,
        /// The answer.
        reply: oneshot::Sender<Response>,
    },
    /// The client view.
    Snapshot {
        /// `If-None-Match`.
        if_none_match: Option<String>,
        /// The answer.
        reply: oneshot::Sender<Response>,
    },
    /// A page of the log.
    Events {
        /// After this seq.
        after: Seq,
        /// At most this many.
        limit: usize,
        /// The answer.
        reply: oneshot::Sender<Response>,
    },
    /// A new WebSocket subscriber.
    Subscribe {
        /// Where it resumes.
        cursor: Cursor,
        /// Its frame queue.
        sender: Subscriber,
        /// Its id, or the error response.
        reply: oneshot::Sender<Result<u64, Response>>,
    },
    /// A subscriber left.
    Unsubscribe {
        /// Its id.
        id: u64,
    },
}

/// The running actors, by user.
pub struct Users {
    services: Arc<Services>,
    actors: Mutex<BTreeMap<UserId, mpsc::Sender<Command>>>,
}

/// The response when the actor could not answer (it failed and is restarting).
pub fn unavailable() -> Response {
    edge::respond_rejection(&Rejection::new(ErrorCode::Unavailable, "the user's state is restarting; retry"))
}

impl Users {
    /// No actors yet.
    pub fn new(services: Arc<Services>) -> Arc<Users> {
        Arc::new(Users { services, actors: Mutex::new(BTreeMap::new()) })
    }

    /// The services.
    pub fn services(&self) -> &Services {
        &self.services
    }

    /// Starts the actors of every user with stored data, so that their
    /// interrupted generations resume and their jobs fire.
    pub fn start_existing(&self) -> usize {
        let dir = self.services.data_dir.join("users");
        let Ok(entries) = std::fs::read_dir(dir) else { return 0 };
        let users: Vec<UserId> = entries
            .filter_map(|e| e.ok())
            .filter_map(|e| e.file_name().to_str()?.strip_suffix(".sqlite").and_then(UserId::parse))
            .collect();
        for user in &users {
            self.sender(user);
        }
        users.len()
    }

    fn sender(&self, user: &UserId) -> mpsc::Sender<Command> {
        let mut actors = self.actors.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(tx) = actors.get(user).filter(|tx| !tx.is_closed()) {
            return tx.clone();
        }
        let tx = spawn(user.clone(), self.services.clone());
        actors.insert(user.clone(), tx.clone());
        tx
    }

    /// Sends a command, respawning the actor once if it had stopped.
    pub async fn send(&self, user: &UserId, command: Command) -> bool {
        match self.sender(user).send(command).await {
            Ok(()) => true,
            Err(mpsc::error::SendError(command)) => self.sender(user).send(command).await.is_ok(),
        }
    }

    /// Sends a command built around a reply channel and awaits the reply.
    pub async fn call(&self, user: &UserId, make: impl FnOnce(oneshot::Sender<Response>) -> Command) -> Response {
        let (tx, rx) = oneshot::channel();
        if !self.send(user, make(tx)).await {
            return unavailable();
        }
        rx.await.unwrap_or_else(|_| unavailable())
    }
}

fn spawn(user: UserId, services: Arc<Services>) -> mpsc::Sender<Command> {
    let (tx, rx) = mpsc::channel(1024);
    let name = format!("user-{user}");
    let started = std::thread::Builder::new().name(name).spawn(move || {
        let rt = match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(rt) => rt,
            Err(e) => return tracing::error!(%user, error = %e, "cannot start the user's runtime"),
        };
        let local = tokio::task::LocalSet::new();
        local.block_on(&rt, run(user, services, rx));
    });
    if let Err(e) = started {
        tracing::error!(error = %e, "cannot spawn a user thread");
    }
    tx
}

type UserDriver = Driver<Assistant, SqliteStore, LocalPush, Model, SystemClock>;

async fn run(user: UserId, services: Arc<Services>, mut rx: mpsc::Receiver<Command>) {
    let dir = services.data_dir.join("users");
    let opened = std::fs::create_dir_all(&dir)
        .map_err(|e| EngineError::Store(microcos_core::StoreError::Backend(e.to_string())))
        .and_then(|()| Ok(SqliteStore::open(&dir.join(format!("{user}.sqlite")), services.durability)?))
        .and_then(|store| {
            Engine::open(
                user.clone(),
                services.config.clone(),
                services.domain.clone(),
                store,
                LocalPush::default(),
                SystemClock.now(),
            )
        });
    let (engine, restored) = match opened {
        Ok(x) => x,
        Err(e) => {
            tracing::error!(%user, error = %e, "cannot open the user's store");
            return; // dropping rx fails pending commands with 503
        }
    };
    tracing::info!(
        %user,
        seq = engine.machine().state().seq.0,
        snapshot_seq = restored.snapshot_seq.map(|s| s.0),
        replayed = restored.replayed,
        "user restored"
    );
    let driver = Rc::new(Driver::new(engine, services.model.clone(), SystemClock));
    let failed = Rc::new(Cell::new(false));
    let wake = Rc::new(Notify::new());
    loop {
        spawn_work(&driver, &failed, &wake);
        if failed.get() {
            tracing::warn!(%user, "storage failed: the actor stops and restarts from the store on the next request");
            return;
        }
        let now = SystemClock.now();
        let sleep_ms = driver.engine().next_wake(now).map_or(3_600_000, |at| at.0.saturating_sub(now.0).min(3_600_000));
        tokio::select! {
            command = rx.recv() => match command {
                None => return,
                Some(command) => handle(&driver, &failed, command),
            },
            () = tokio::time::sleep(Duration::from_millis(sleep_ms)) => {
                if let Err(e) = driver.tick() {
                    tracing::error!(%user, error = %e, "tick failed");
                    failed.set(true);
                }
            }
            () = wake.notified() => {}
        }
    }
}

fn spawn_work(driver: &Rc<UserDriver>, failed: &Rc<Cell<bool>>, wake: &Rc<Notify>) {
    let work = driver.engine_mut().take_work();
    for op in work {
        let (driver, failed, wake) = (driver.clone(), failed.clone(), wake.clone());
        tokio::task::spawn_local(async move {
            tracing::info!(operation_id = %op, "generation starting");
            match driver.run_operation(op).await {
                Ok(()) => tracing::info!(operation_id = %op, "generation finished"),
                Err(e) => {
                    tracing::error!(operation_id = %op, error = %e, "generation failed to record");
                    failed.set(true);
                }
            }
            wake.notify_one(); // new work or a new wake time may follow
        });
    }
}

fn handle(driver: &Rc<UserDriver>, failed: &Rc<Cell<bool>>, command: Command) {
    match command {
        Command::Submit { request, meta, reply } => {
            let ty = request.event.event_type();
            let response = match driver.submit(request, meta) {
                Ok(a) => {
                    tracing::info!(
                        request_id = %a.request_id,
                        event_id = %a.event_id,
                        operation_id = a.operation_id.map(|o| o.to_string()),
                        seq = a.seq.0,
                        duplicate = a.duplicate,
                        r#type = %ty,
                        "accepted"
                    );
                    edge::respond_accepted(&a)
                }
                Err(e) => {
                    if !matches!(e, EngineError::Rejected(_)) {
                        failed.set(true);
                    }
                    tracing::info!(request_id = %meta.request_id, error = %e, "refused");
                    edge::respond_error(&e)
                }
            };
            let _ = reply.send(response);
        }
        Command::Snapshot { if_none_match, reply } => {
            let engine = driver.engine();
            let _ = reply.send(edge::respond_snapshot(engine.machine(), SystemClock.now(), if_none_match.as_deref()));
        }
        Command::Events { after, limit, reply } => {
            let engine = driver.engine();
            let response = match microcos_core::Store::read_after(engine.store(), after, limit + 1) {
                Ok(rows) => edge::respond_events(&rows, after, limit),
                Err(e) => edge::respond_error(&EngineError::Store(e)),
            };
            let _ = reply.send(response);
        }
        Command::Subscribe { cursor, sender, reply } => {
            let mut engine = driver.engine_mut();
            let result = match engine.subscribe(&cursor) {
                Ok(backlog) => engine.push_mut().subscribe(sender, &backlog).ok_or_else(unavailable),
                Err(e) => Err(edge::respond_error(&e)),
            };
            if let Ok(id) = &result {
                tracing::info!(subscriber = id, after = cursor.after.0, "subscribed");
            }
            let _ = reply.send(result);
        }
        Command::Unsubscribe { id } => driver.engine_mut().push_mut().unsubscribe(id),
    }
}
