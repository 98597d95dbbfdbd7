//! One actor per user: a dedicated thread running a single-threaded runtime,
//! like a Durable Object. It owns the user's [`Host`] (the shared host
//! protocol over the SQLite store, the push fan-out and the model); model
//! streams run as local tasks while the actor keeps serving commands, and
//! events are still processed one at a time. Everything but the channel and
//! the timer is the host protocol's, shared with the Worker.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use microcos_assistant::{Assistant, AssistantEvent};
use microcos_core::{Config, Cursor, EngineError, Timestamp, UserId};
use microcos_host::edge::{Action, Response};
use microcos_host::{Host, HostParts, Report, RequestIds, Served, Subscribed, Task, Transport};
use tokio::sync::{mpsc, oneshot, Notify};

use crate::clock::SystemClock;
use crate::llm::Model;
use crate::push::{LocalPush, Subscriber};
use crate::store::{Durability, SqliteStore};

/// While a model stream runs, the actor wakes at least this often.
const WATCHDOG_MS: u64 = 60_000;

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
    /// Users whose database is unreadable, with why (until a restart).
    pub broken: Mutex<BTreeMap<UserId, String>>,
    /// Test only: `MICROCOS_TEST_FAIL_BATCH_AT` ([`SqliteStore::fail_batches_at`]).
    pub fault: Option<usize>,
}

/// A request to a user's actor.
pub enum Command {
    /// Serve a routed edge action (submit, snapshot, events).
    Serve {
        /// The action.
        action: Action<AssistantEvent>,
        /// The request's fresh ids.
        ids: RequestIds,
        /// `If-None-Match`.
        if_none_match: Option<String>,
        /// The answer.
        reply: oneshot::Sender<Response>,
    },
    /// A new WebSocket subscriber.
    Subscribe {
        /// Where it resumes.
        cursor: Cursor,
        /// Its frame queue.
        sender: Subscriber,
        /// How it went (its id, if registered), or the error response.
        reply: oneshot::Sender<Result<Subscribed<Option<u64>>, Response>>,
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
    microcos_host::host::unavailable()
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

    /// The answer for a user whose database is unreadable: `500
    /// storage_corrupt` at once, not a respawn that fails again.
    pub fn broken(&self, user: &UserId) -> Option<Response> {
        let broken = self.services.broken.lock().unwrap_or_else(|p| p.into_inner());
        broken.get(user).map(|why| {
            let message = format!("this user's stored data is unreadable ({why}); an operator must restore it");
            microcos_host::edge::respond_rejection(&microcos_core::Rejection::new(
                microcos_core::ErrorCode::StorageCorrupt,
                message,
            ))
        })
    }

    /// How many users have an unreadable database.
    pub fn broken_count(&self) -> usize {
        self.services.broken.lock().unwrap_or_else(|p| p.into_inner()).len()
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

/// The actor's side of the host protocol: local tasks, tracing, a timer.
#[derive(Clone)]
pub struct ActorTransport {
    user: UserId,
    alarm: Rc<Cell<Option<Timestamp>>>,
    rearmed: Rc<Notify>,
}

impl Transport for ActorTransport {
    fn spawn(&self, task: Task) {
        tokio::task::spawn_local(task.future);
    }

    fn report(&self, report: Report<'_>) {
        let user = &self.user;
        match report {
            Report::Restored { seq, restored, .. } => tracing::info!(
                %user,
                seq = seq.0,
                snapshot_seq = restored.snapshot_seq.map(|s| s.0),
                replayed = restored.replayed,
                "user restored"
            ),
            Report::Accepted { accepted: a, event_type } => tracing::info!(
                request_id = %a.request_id,
                event_id = %a.event_id,
                operation_id = a.operation_id.map(|o| o.to_string()),
                seq = a.seq.0,
                duplicate = a.duplicate,
                r#type = event_type,
                "accepted"
            ),
            Report::Refused { request_id, error } => tracing::info!(%request_id, %error, "refused"),
            Report::GenerationStarted { operation_id, attempt } => {
                tracing::info!(%operation_id, attempt, "generation starting")
            }
            Report::GenerationEnded { operation_id, attempt } => {
                tracing::info!(%operation_id, attempt, "generation finished")
            }
            Report::RecordFailed { operation_id, error } => tracing::error!(
                %user,
                operation_id = operation_id.map(|o| o.to_string()),
                %error,
                "recording failed: restoring the user from its store"
            ),
            Report::Subscribed { after } => tracing::info!(%user, after = after.0, "subscribed"),
            _ => {}
        }
    }

    fn rearm(&self, at: Option<Timestamp>) {
        self.alarm.set(at);
        self.rearmed.notify_one();
    }
}

type UserHost = Host<Assistant, SqliteStore, Model, SystemClock, LocalPush, ActorTransport>;

fn open(user: &UserId, services: &Services, transport: ActorTransport) -> Result<Rc<UserHost>, EngineError> {
    let dir = services.data_dir.join("users");
    crate::secret::create_private_dir(&dir)
        .map_err(|e| EngineError::Store(microcos_core::StoreError::Backend(e.to_string())))?;
    let store =
        SqliteStore::open(&dir.join(format!("{user}.sqlite")), services.durability)?.fail_batches_at(services.fault);
    let parts = HostParts {
        user: user.clone(),
        config: services.config.clone(),
        domain: services.domain.clone(),
        store,
        llm: services.model.clone(),
        clock: SystemClock,
        push: LocalPush::new(services.config.subscriber_bytes),
        transport,
        watchdog_ms: WATCHDOG_MS,
    };
    Ok(Host::open(parts)?.0)
}

async fn run(user: UserId, services: Arc<Services>, mut rx: mpsc::Receiver<Command>) {
    let transport = ActorTransport { user: user.clone(), alarm: Rc::default(), rearmed: Rc::new(Notify::new()) };
    let host = match open(&user, &services, transport.clone()) {
        Ok(h) => h,
        Err(e) if e.is_permanent() => {
            let path = services.data_dir.join("users").join(format!("{user}.sqlite"));
            tracing::error!(
                %user,
                error = %e,
                path = %path.display(),
                "the user's database is unreadable: restore it from a backup, or move it aside to start the user \
                 afresh, then restart; until then this user's requests answer 500 storage_corrupt"
            );
            services.broken.lock().unwrap_or_else(|p| p.into_inner()).insert(user, e.to_string());
            // Pending commands are answered 503 as rx drops; new ones get the
            // permanent answer without a respawn.
            return;
        }
        Err(e) => {
            tracing::error!(%user, error = %e, "cannot open the user's store");
            return; // dropping rx fails pending commands with 503
        }
    };
    loop {
        let now = microcos_core::Clock::now(&SystemClock);
        let sleep_ms = transport.alarm.get().map_or(3_600_000, |at| at.0.saturating_sub(now.0).min(3_600_000));
        tokio::select! {
            command = rx.recv() => match command {
                None => return,
                Some(command) => handle(&host, command),
            },
            () = tokio::time::sleep(Duration::from_millis(sleep_ms)) => host.tick(),
            () = transport.rearmed.notified() => {}
        }
    }
}

fn handle(host: &Rc<UserHost>, command: Command) {
    match command {
        Command::Serve { action, ids, if_none_match, reply } => {
            let response = match host.serve(action, ids, if_none_match.as_deref()) {
                Served::Response(r) => r,
                // The HTTP layer upgrades streams itself and sends `Subscribe`.
                Served::Stream { .. } => unavailable(),
            };
            let _ = reply.send(response);
        }
        Command::Subscribe { cursor, sender, reply } => {
            let result = host.subscribe(cursor, |push, backlog| push.subscribe(sender, backlog));
            let _ = reply.send(result);
        }
        Command::Unsubscribe { id } => host.push().unsubscribe(id),
    }
}
