//! One actor per user, like a Durable Object: a task that owns the user's
//! [`Host`] (the shared host protocol over the SQLite store, the push
//! fan-out and the model) and processes its events one at a time, while its
//! model streams run as tasks beside it. Everything but the channel and the
//! timer is the host protocol's, shared with the Worker.
//!
//! Shards: the actors live on a few threads (one per core by default), each
//! a single-threaded runtime; a user always lands on the same one. A shard
//! thread never waits for the disk on one user's behalf: its stores write
//! without flushing, and the shard's [`Gate`] holds every answer, frame and
//! model stream until one shared flush has made the writes before it
//! durable (with `--durability full`). So one flush serves every user's
//! commits of a round, and a thread switch is not paid per request.
//!
//! Lifecycle ([`Lifecycle`]): an actor with nothing in flight stops after an
//! idle time; its next alarm is kept in the wake index ([`Wakes`]), and the
//! scheduler ([`Users::schedule`]) starts it again when that comes. At most
//! `max_actors` live at once: a new user takes the place of the least
//! recently used idle one. Boot starts only users with work due.

use std::cell::Cell;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use microcos_core::{Config, Cursor, Domain, EngineError, Timestamp, UserId};
use microcos_host::edge::{Action, Response};
use microcos_host::{Host, HostParts, Report, RequestIds, Served, Subscribed, Task, Transport};
use tokio::sync::{mpsc, oneshot, Notify};
use tracing::Instrument;

use crate::clock::SystemClock;
use crate::group::{Gate, GroupCommit};
use crate::llm::Model;
use crate::metrics::{Metrics, Stop};
use crate::push::{LocalPush, Subscriber};
use crate::store::{Durability, SqliteStore};
use crate::wakes::Wakes;

/// While a model stream runs, the actor wakes at least this often.
const WATCHDOG_MS: u64 = 60_000;

/// A domain the service can serve: each user's engine lives on one shard
/// thread, while the domain value is shared by every thread and its events
/// arrive from the HTTP tasks. Every `Domain` that is `Send + Sync` with
/// `Send` events is one (the assistant, the triage example, yours).
pub trait ServedDomain: Domain<Event: Send> + Send + Sync {}

impl<D: Domain<Event: Send> + Send + Sync> ServedDomain for D {}

/// What every actor shares.
pub struct Services<D> {
    /// The data folder (`users/<name>.sqlite` inside: [`crate::store::user_database`]).
    pub data_dir: PathBuf,
    /// Engine configuration.
    pub config: Config,
    /// Bounds on bodies and subscribers.
    pub host: microcos_host::HostConfig,
    /// The domain.
    pub domain: D,
    /// The model.
    pub model: Model,
    /// SQLite durability.
    pub durability: Durability,
    /// Users whose database is unreadable, with why (until a restart).
    pub broken: Mutex<BTreeMap<UserId, String>>,
    /// Test only (feature `test-hooks`): `MICROCOS_TEST_FAIL_BATCH_AT` ([`SqliteStore::fail_batches_at`]).
    pub fault: Option<usize>,
    /// How long actors live, and how many at once.
    pub lifecycle: Lifecycle,
    /// When each user must next be awake.
    pub wakes: Wakes,
    /// Shared flushes for every user's commits (with `Durability::Full`).
    pub group: Option<Arc<GroupCommit>>,
    /// The service's metrics (`GET /metrics` on `--metrics-addr`).
    pub metrics: Arc<Metrics>,
}

/// A request to a user's actor.
pub enum Command<D: Domain> {
    /// Serve a routed edge action (submit, snapshot, events).
    Serve {
        /// The action.
        action: Action<D::Event>,
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
    /// Stop if idle (to make room under the cap); `done` is answered once
    /// the actor left the registry, dropped if it stays.
    Stop {
        /// Answered when stopped.
        done: oneshot::Sender<()>,
    },
}

/// How long actors live, and how many at once.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Lifecycle {
    /// An actor with nothing in flight (no model stream, no subscriber)
    /// stops after this long without a command. Its alarm stays in the
    /// wake index, which starts it again when work is due.
    pub idle: Duration,
    /// Most actors (open databases) alive at once. A user beyond
    /// it takes the place of the least recently used idle actor; with none
    /// idle, the request is answered 503 `unavailable`, to retry.
    pub max_actors: usize,
    /// Threads the actors are spread over (a user always on the same
    /// one); 0: one per core.
    pub shards: usize,
}

impl Default for Lifecycle {
    fn default() -> Self {
        Lifecycle { idle: Duration::from_secs(60), max_actors: 128, shards: 0 }
    }
}

impl Lifecycle {
    /// The number of shard threads: `shards`, or one per core.
    pub fn shard_threads(&self) -> usize {
        match self.shards {
            0 => std::thread::available_parallelism().map_or(1, |n| n.get()),
            n => n,
        }
    }
}

/// Work for a shard thread: starts a task there.
type Job = Box<dyn FnOnce(&Rc<Gate>) + Send>;

/// The running actors, by user, and the scheduler that wakes stopped ones.
pub struct Users<D: Domain> {
    services: Arc<Services<D>>,
    /// The shard threads' queues; a user's actor runs on
    /// `shards[hash(user) % len]`.
    shards: Vec<mpsc::UnboundedSender<Job>>,
    registry: Mutex<Registry<D>>,
    /// Wakes the scheduler: an alarm moved earlier than it knew.
    schedule: tokio::sync::Notify,
}

struct Registry<D: Domain> {
    actors: BTreeMap<UserId, Handle<D>>,
    /// Use counter, for least-recently-used eviction.
    clock: u64,
    next_id: u64,
}

impl<D: Domain> Default for Registry<D> {
    fn default() -> Self {
        Registry { actors: BTreeMap::new(), clock: 0, next_id: 0 }
    }
}

struct Handle<D: Domain> {
    id: u64,
    tx: mpsc::Sender<Command<D>>,
    used: u64,
    /// Set by the actor: nothing in flight, no subscriber.
    idle: Arc<AtomicBool>,
}

/// The response when the actor could not answer (it failed and is restarting).
pub fn unavailable() -> Response {
    microcos_host::host::unavailable()
}

fn busy() -> Response {
    let mut r = microcos_core::Rejection::new(
        microcos_core::ErrorCode::Unavailable,
        "the service has as many active users as it may hold; retry shortly",
    );
    r.retry_after_ms = Some(1_000);
    microcos_host::edge::respond_rejection(&r)
}

impl<D: ServedDomain> Users<D> {
    /// No actors yet; starts the shard threads.
    pub fn new(services: Arc<Services<D>>) -> std::io::Result<Arc<Users<D>>> {
        let shards = (0..services.lifecycle.shard_threads().max(1))
            .map(|i| start_shard(i, services.group.clone()))
            .collect::<std::io::Result<_>>()?;
        Ok(Arc::new(Users { services, shards, registry: Mutex::default(), schedule: tokio::sync::Notify::new() }))
    }

    /// The queue of the shard serving `user` (the same one every time).
    fn shard(&self, user: &UserId) -> &mpsc::UnboundedSender<Job> {
        // FNV-1a: stable across runs and builds, unlike the std hasher.
        let hash = user
            .as_str()
            .bytes()
            .fold(0xcbf2_9ce4_8422_2325_u64, |h, b| (h ^ u64::from(b)).wrapping_mul(0x100_0000_01b3));
        &self.shards[(hash % self.shards.len() as u64) as usize]
    }

    /// The services.
    pub fn services(&self) -> &Services<D> {
        &self.services
    }

    fn registry(&self) -> std::sync::MutexGuard<'_, Registry<D>> {
        self.registry.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Actors alive now.
    pub fn live(&self) -> usize {
        self.registry().actors.len()
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

    /// Runs the scheduler: at boot, starts the users with work due (or a
    /// generation that was streaming: its watchdog is at most
    /// a minute away), then starts each stopped user when its alarm
    /// comes. A data folder from before the index existed is indexed once,
    /// by opening each user in turn.
    pub async fn schedule(self: Arc<Self>, index_is_new: bool) {
        if index_is_new {
            let users = crate::store::stored_users(&self.services.data_dir.join("users"));
            tracing::info!(users = users.len(), "indexing the wake-up times of a data folder from an older version");
            for user in users {
                let _ = self.sender(&user).await;
            }
        }
        let boot = microcos_core::Clock::now(&SystemClock);
        let mut horizon = boot.plus_ms(WATCHDOG_MS);
        loop {
            match self.services.wakes.due(horizon) {
                Ok(due) => {
                    for user in due {
                        if !self.registry().actors.contains_key(&user) {
                            let _ = self.sender(&user).await;
                        }
                    }
                }
                Err(e) => tracing::error!(error = %e, "cannot read the wake index"),
            }
            let now = microcos_core::Clock::now(&SystemClock);
            let next = self.services.wakes.next_after(now).ok().flatten();
            let sleep_ms = next.map_or(60_000, |at| at.0.saturating_sub(now.0).min(60_000));
            tokio::select! {
                () = tokio::time::sleep(Duration::from_millis(sleep_ms)) => {}
                () = self.schedule.notified() => {}
            }
            horizon = microcos_core::Clock::now(&SystemClock);
        }
    }

    /// The user's actor, started if needed. At the cap, the least recently
    /// used idle actor is stopped first (and awaited, so the cap holds).
    async fn sender(self: &Arc<Self>, user: &UserId) -> Result<mpsc::Sender<Command<D>>, Response> {
        loop {
            let stopped = {
                let mut registry = self.registry();
                registry.clock += 1;
                let now = registry.clock;
                if let Some(handle) = registry.actors.get_mut(user).filter(|h| !h.tx.is_closed()) {
                    handle.used = now;
                    return Ok(handle.tx.clone());
                }
                if registry.actors.len() < self.services.lifecycle.max_actors.max(1) {
                    registry.next_id += 1;
                    let id = registry.next_id;
                    let idle = Arc::new(AtomicBool::new(false));
                    let tx = spawn(user.clone(), id, idle.clone(), self.clone());
                    registry.actors.insert(user.clone(), Handle { id, tx: tx.clone(), used: now, idle });
                    self.services.metrics.actors(registry.actors.len());
                    return Ok(tx);
                }
                let victim = registry
                    .actors
                    .values()
                    .filter(|h| h.idle.load(Ordering::Relaxed))
                    .min_by_key(|h| h.used)
                    .map(|h| h.tx.clone());
                let Some(victim) = victim else {
                    tracing::warn!(live = registry.actors.len(), "every actor is busy: refusing a new user for now");
                    return Err(busy());
                };
                let (done, stopped) = oneshot::channel();
                if victim.try_send(Command::Stop { done }).is_err() {
                    // Its queue is full: it is not idle after all.
                    return Err(busy());
                }
                stopped
            };
            // Stopped (it left the registry), or it refused (busy again): look again.
            let _ = stopped.await;
        }
    }

    /// Removes actor `id` of `user` from the registry (an actor leaving).
    fn remove(&self, user: &UserId, id: u64) {
        let mut registry = self.registry();
        if registry.actors.get(user).is_some_and(|h| h.id == id) {
            registry.actors.remove(user);
            self.services.metrics.actors(registry.actors.len());
        }
    }

    /// Sends a command, starting the actor if needed (again, if it had just
    /// stopped). `Err`: the answer to give instead (503).
    pub async fn send(self: &Arc<Self>, user: &UserId, command: Command<D>) -> Result<(), Response> {
        let mut command = command;
        for _ in 0..3 {
            match self.sender(user).await?.send(command).await {
                Ok(()) => return Ok(()),
                Err(mpsc::error::SendError(back)) => command = back,
            }
        }
        Err(unavailable())
    }

    /// Sends a command built around a reply channel and awaits the reply.
    pub async fn call(
        self: &Arc<Self>,
        user: &UserId,
        make: impl FnOnce(oneshot::Sender<Response>) -> Command<D>,
    ) -> Response {
        let (tx, rx) = oneshot::channel();
        if let Err(refused) = self.send(user, make(tx)).await {
            return refused;
        }
        rx.await.unwrap_or_else(|_| unavailable())
    }
}

/// Starts shard thread `index`: a single-threaded runtime running the
/// actors it is handed, and its [`Gate`] task.
fn start_shard(index: usize, group: Option<Arc<GroupCommit>>) -> std::io::Result<mpsc::UnboundedSender<Job>> {
    let (tx, mut rx) = mpsc::unbounded_channel::<Job>();
    let rt = tokio::runtime::Builder::new_current_thread().enable_all().build()?;
    std::thread::Builder::new().name(format!("shard-{index}")).spawn(move || {
        let local = tokio::task::LocalSet::new();
        local.block_on(&rt, async move {
            let gate = Gate::new(group);
            tokio::task::spawn_local(gate.clone().run());
            while let Some(job) = rx.recv().await {
                job(&gate);
            }
        });
    })?;
    Ok(tx)
}

fn spawn<D: ServedDomain>(
    user: UserId,
    id: u64,
    idle: Arc<AtomicBool>,
    users: Arc<Users<D>>,
) -> mpsc::Sender<Command<D>> {
    let (tx, rx) = mpsc::channel(1024);
    let shard = users.shard(&user).clone();
    let job_users = users.clone();
    let job: Job = Box::new(move |gate: &Rc<Gate>| {
        let gate = gate.clone();
        // Every line the actor logs names its user ([`crate::logs`]).
        let span = tracing::info_span!("user", user = %user);
        tokio::task::spawn_local(
            async move {
                // However the actor ends, it leaves the registry (a new one may start).
                let _leave = Leave { users: job_users.clone(), user: user.clone(), id };
                run(Actor { user, id, idle, users: job_users }, gate, rx).await;
            }
            .instrument(span),
        );
    });
    if shard.send(job).is_err() {
        tracing::error!("a shard thread has stopped");
    }
    tx
}

struct Leave<D: ServedDomain> {
    users: Arc<Users<D>>,
    user: UserId,
    id: u64,
}

impl<D: ServedDomain> Drop for Leave<D> {
    fn drop(&mut self) {
        self.users.remove(&self.user, self.id);
    }
}

/// What an actor knows of itself.
struct Actor<D: ServedDomain> {
    user: UserId,
    id: u64,
    idle: Arc<AtomicBool>,
    users: Arc<Users<D>>,
}

/// The actor's side of the host protocol: local tasks, tracing, a timer
/// (and its entry in the wake index).
#[derive(Clone)]
pub struct ActorTransport<D: ServedDomain> {
    user: UserId,
    alarm: Rc<Cell<Option<Timestamp>>>,
    rearmed: Rc<Notify>,
    /// Background tasks alive.
    tasks: Rc<Cell<usize>>,
    users: Arc<Users<D>>,
    /// The shard's gate: tasks start once what came before is durable.
    gate: Rc<Gate>,
}

impl<D: ServedDomain> Transport for ActorTransport<D> {
    fn spawn(&self, task: Task) {
        let tasks = self.tasks.clone();
        tasks.set(tasks.get() + 1);
        let rearmed = self.rearmed.clone();
        // Every line of the stream names its operation (and, from the actor's span, its user).
        let span = tracing::info_span!("operation", operation_id = %task.operation_id);
        // A model stream is an effect: it starts once its event is durable.
        self.gate.after_durable(move || {
            tokio::task::spawn_local(
                async move {
                    task.future.await;
                    tasks.set(tasks.get() - 1);
                    rearmed.notify_one(); // the actor may be idle now
                }
                .instrument(span),
            );
        });
    }

    fn report(&self, report: Report<'_>) {
        // The actor's span names the user.
        match report {
            Report::Restored { seq, restored, .. } => tracing::info!(
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
            Report::Refusals { counts, window_ms, .. } => {
                let counts: Vec<String> = counts.iter().map(|(code, n)| format!("{code}={n}")).collect();
                tracing::info!(window_ms, counts = counts.join(" "), "refusals")
            }
            Report::Suppressed { lines, .. } => {
                tracing::warn!(lines, "log lines suppressed: this user's log budget was spent")
            }
            Report::Stalled { jobs, retry_in_ms, .. } => tracing::warn!(
                jobs = jobs.join(","),
                retry_in_ms,
                "a tick recorded nothing while a job stayed due: backing off"
            ),
            Report::GenerationStarted { operation_id, attempt, kind } => {
                tracing::info!(%operation_id, attempt, kind, "generation starting")
            }
            Report::GenerationEnded { operation_id, attempt, kind, tokens, first_token_ms, duration_ms, status } => {
                tracing::info!(
                    %operation_id,
                    attempt,
                    kind,
                    tokens,
                    first_token_ms,
                    duration_ms,
                    status = status.map(|s| s.as_str()),
                    "generation finished"
                )
            }
            Report::LlmFailed { operation_id, attempt, code, message, terminal } => tracing::warn!(
                %operation_id,
                attempt,
                code = code.as_str(),
                reason = message,
                terminal,
                "llm.failed"
            ),
            Report::RecordFailed { operation_id, error } => tracing::error!(
                operation_id = operation_id.map(|o| o.to_string()),
                %error,
                "recording failed: restoring the user from its store"
            ),
            Report::Subscribed { after } => tracing::info!(after = after.0, "subscribed"),
            _ => {}
        }
    }

    fn observe(&self, report: &Report<'_>) {
        // Every report, also those the log budget leaves out.
        self.users.services.metrics.report(report);
    }

    fn rearm(&self, at: Option<Timestamp>) {
        self.alarm.set(at);
        self.rearmed.notify_one();
        match self.users.services.wakes.set(&self.user, at) {
            Ok(()) => self.users.schedule.notify_one(),
            Err(e) => tracing::error!(user = %self.user, error = %e, "cannot record the next wake-up"),
        }
    }
}

type UserHost<D> = Host<D, SqliteStore, Model, SystemClock, LocalPush, ActorTransport<D>>;

fn open<D: ServedDomain>(
    user: &UserId,
    services: &Services<D>,
    transport: ActorTransport<D>,
) -> Result<Rc<UserHost<D>>, EngineError> {
    let dir = services.data_dir.join("users");
    crate::secret::create_private_dir(&dir)
        .map_err(|e| EngineError::Store(microcos_core::StoreError::Backend(e.to_string())))?;
    let gate = transport.gate.clone();
    let path = crate::store::user_database(&dir, user)?;
    let store = SqliteStore::open_gated(&path, services.durability, gate.clone())?
        .fail_batches_at(services.fault)
        .counted(services.metrics.clone());
    let parts = HostParts {
        user: user.clone(),
        config: services.config.clone(),
        host: services.host.clone(),
        domain: services.domain.clone(),
        store,
        llm: services.model.clone(),
        clock: SystemClock,
        push: LocalPush::new(services.host.subscriber_bytes, gate, services.metrics.clone()),
        transport,
        watchdog_ms: WATCHDOG_MS,
    };
    Ok(Host::open(parts)?.0)
}

async fn run<D: ServedDomain>(actor: Actor<D>, gate: Rc<Gate>, mut rx: mpsc::Receiver<Command<D>>) {
    let (user, services) = (actor.user.clone(), actor.users.services.clone());
    let transport = ActorTransport {
        user: user.clone(),
        alarm: Rc::default(),
        rearmed: Rc::new(Notify::new()),
        tasks: Rc::default(),
        users: actor.users.clone(),
        gate: gate.clone(),
    };
    let host = match open(&user, &services, transport.clone()) {
        Ok(h) => h,
        Err(e) if e.is_permanent() => {
            let users = services.data_dir.join("users");
            let path =
                crate::store::user_database(&users, &user).unwrap_or_else(|_| users.join(format!("{user}.sqlite")));
            tracing::error!(
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
            tracing::error!(error = %e, "cannot open the user's store");
            return; // dropping rx fails pending commands with 503
        }
    };
    let idle_for = services.lifecycle.idle;
    let mut last_command = tokio::time::Instant::now();
    loop {
        let idle = transport.tasks.get() == 0 && host.push().is_empty();
        actor.idle.store(idle, Ordering::Relaxed);
        let now = microcos_core::Clock::now(&SystemClock);
        let sleep_ms = transport.alarm.get().map_or(3_600_000, |at| at.0.saturating_sub(now.0).min(3_600_000));
        tokio::select! {
            command = rx.recv() => match command {
                None => return,
                Some(Command::Stop { done }) => {
                    if idle && stop(&actor, &mut rx) {
                        services.metrics.actor_stopped(Stop::Evicted);
                        let _ = done.send(());
                        break;
                    }
                }
                Some(command) => {
                    last_command = tokio::time::Instant::now();
                    handle(&host, &gate, command);
                }
            },
            () = tokio::time::sleep(Duration::from_millis(sleep_ms)) => host.tick(),
            () = transport.rearmed.notified() => {}
            () = tokio::time::sleep_until(last_command + idle_for), if idle => {
                if stop(&actor, &mut rx) {
                    host.flush_reports();
                    services.metrics.actor_stopped(Stop::Idle);
                    tracing::debug!("idle: stopped");
                    break;
                }
                last_command = tokio::time::Instant::now();
            }
        }
    }
    // Close the database first: the user's next actor, on this same thread,
    // opens it when it receives the forwarded commands.
    drop(host);
    forward(&actor, rx).await
}

/// Leaves the registry if no command waits: from then on, commands go to a
/// new actor. Its alarm stays in the wake index.
fn stop<D: ServedDomain>(actor: &Actor<D>, rx: &mut mpsc::Receiver<Command<D>>) -> bool {
    let mut registry = actor.users.registry();
    if !rx.is_empty() {
        return false;
    }
    if registry.actors.get(&actor.user).is_some_and(|h| h.id == actor.id) {
        registry.actors.remove(&actor.user);
        actor.users.services.metrics.actors(registry.actors.len());
    }
    rx.close();
    true
}

/// Hands the commands that arrived while stopping to the user's next actor.
async fn forward<D: ServedDomain>(actor: &Actor<D>, mut rx: mpsc::Receiver<Command<D>>) {
    while let Some(command) = rx.recv().await {
        match command {
            Command::Stop { done } => drop(done),
            command => {
                let _ = actor.users.send(&actor.user, command).await;
            }
        }
    }
}

/// Serves one command. Answers leave through the gate, after the frames
/// the command produced and once what they acknowledge is durable.
fn handle<D: ServedDomain>(host: &Rc<UserHost<D>>, gate: &Gate, command: Command<D>) {
    match command {
        Command::Serve { action, ids, if_none_match, reply } => {
            let _request = tracing::info_span!("request", request_id = %ids.request_id).entered();
            let response = match host.serve(action, ids, if_none_match.as_deref()) {
                Served::Response(r) => r,
                // The HTTP layer upgrades streams itself and sends `Subscribe`.
                Served::Stream { .. } => unavailable(),
            };
            gate.after_durable(move || {
                let _ = reply.send(response);
            });
        }
        Command::Subscribe { cursor, sender, reply } => {
            let result = host.subscribe(cursor, |push, backlog| push.subscribe(sender, backlog));
            gate.after_durable(move || {
                let _ = reply.send(result);
            });
        }
        Command::Unsubscribe { id } => host.push().unsubscribe(id),
        Command::Stop { done } => drop(done), // handled by the loop
    }
}
