//! The local service as a library: [`start`] binds and serves API v1 with
//! the assistant on SQLite; [`Running`] is what it returns.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use microcos_assistant::stand_in;
use microcos_assistant::Assistant;
use microcos_core::Config;
use microcos_memory::StandIn;

use crate::actor::{Lifecycle, Services, Users};
use crate::http::{router, App};
use crate::llm::{Backend, Model};
use crate::store::Durability;

/// Options of `serve` (also used by `load` and the tests).
#[derive(Clone, Debug)]
pub struct ServeOptions {
    /// Where to listen.
    pub addr: SocketAddr,
    /// The data folder.
    pub data: PathBuf,
    /// The stand-in's delay per token.
    pub token_delay: Duration,
    /// SQLite durability.
    pub durability: Durability,
    /// The model; `None`: the assistant's offline stand-in at `token_delay`.
    pub backend: Option<Backend>,
    /// The kernel's configuration (limits, checkpoints, retries).
    pub config: Config,
    /// How long actors live, and how many at once.
    pub lifecycle: Lifecycle,
    /// The listener's limits.
    pub listener: ListenerLimits,
}

/// What the listener allows one connection.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct ListenerLimits {
    /// Open HTTP connections at once; more wait to be accepted. (A
    /// WebSocket leaves this count once upgraded; subscribers have their
    /// own cap per user.)
    pub max_connections: usize,
    /// Time to send a request's headers; past it the connection is closed.
    pub header_timeout: Duration,
    /// Time to send a request's body; past it, 408 `request_timeout`.
    pub body_timeout: Duration,
}

impl Default for ListenerLimits {
    fn default() -> Self {
        ListenerLimits {
            max_connections: 512,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
        }
    }
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 8787)),
            data: PathBuf::from("microcos-data"),
            token_delay: Duration::from_millis(20),
            durability: Durability::Full,
            backend: None,
            config: Config::default(),
            lifecycle: Lifecycle::default(),
            listener: ListenerLimits::default(),
        }
    }
}

/// A running server.
pub struct Running {
    /// The bound address.
    pub addr: SocketAddr,
    /// The user actors.
    pub users: Arc<Users>,
    /// The token secret (the current one: it signs).
    pub secret: Arc<Vec<u8>>,
    /// The serving task.
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// File descriptors an actor holds: its database and WAL files, and some
/// room (its shard's runtime is shared).
const FDS_PER_ACTOR: u64 = 4;
/// File descriptors kept for everything else (logs, the wake index, the
/// listener, the model's connections).
const FDS_RESERVED: u64 = 64;

/// The soft limit on open files (`ulimit -n`), where the system tells.
fn open_file_limit() -> Option<u64> {
    let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
    let line = limits.lines().find(|l| l.starts_with("Max open files"))?;
    line.split_whitespace().nth(3)?.parse().ok()
}

/// Lowers the connection and actor caps to what the open-file limit can
/// hold (half of it for connections, the rest for actors), so that the
/// service never runs out of descriptors; says so when it does.
fn fit_to_file_limit(lifecycle: &mut Lifecycle, listener: &mut ListenerLimits, limit: Option<u64>) {
    let Some(limit) = limit else { return };
    let connections = (limit / 2).max(1) as usize;
    if listener.max_connections > connections {
        tracing::warn!(limit, max_connections = connections, "fewer connections, to fit the open-file limit");
        listener.max_connections = connections;
    }
    let actors = (limit.saturating_sub(listener.max_connections as u64 + FDS_RESERVED) / FDS_PER_ACTOR).max(1) as usize;
    if lifecycle.max_actors > actors {
        tracing::warn!(limit, max_actors = actors, "fewer live users at once, to fit the open-file limit");
        lifecycle.max_actors = actors;
    }
}

/// Binds and starts serving (returns once listening).
pub async fn start(opts: &ServeOptions) -> std::io::Result<Running> {
    let (mut lifecycle, mut listener_limits) = (opts.lifecycle, opts.listener);
    fit_to_file_limit(&mut lifecycle, &mut listener_limits, open_file_limit());
    let secret = Arc::new(crate::secret::load(&opts.data)?);
    let keys = Arc::new(crate::secret::keys(&opts.data)?);
    crate::secret::create_private_dir(&opts.data)?;
    let index = opts.data.join("wakes.sqlite");
    let index_is_new = !index.exists();
    let wakes = crate::wakes::Wakes::open(&index)?;
    let stand_in = || Backend::StandIn {
        model: StandIn::with_tools(stand_in::reply, stand_in::tool_calls),
        token_delay: opts.token_delay,
    };
    let backend = opts.backend.clone().unwrap_or_else(stand_in);
    tracing::info!(model = %backend.describe(), "model");
    let services = Services {
        data_dir: opts.data.clone(),
        config: opts.config.clone(),
        domain: Assistant::default(),
        model: Model::new(backend, Duration::from_secs(30)),
        durability: opts.durability,
        broken: std::sync::Mutex::default(),
        fault: std::env::var("MICROCOS_TEST_FAIL_BATCH_AT").ok().and_then(|v| v.parse().ok()),
        lifecycle,
        wakes,
        // MICROCOS_GROUP_COMMIT=off: an fsync per commit instead (to compare).
        group: match opts.durability {
            Durability::Full if std::env::var("MICROCOS_GROUP_COMMIT").as_deref() != Ok("off") => {
                Some(Arc::new(crate::group::GroupCommit::new(&opts.data)?))
            }
            _ => None,
        },
    };
    let users = Users::new(Arc::new(services))?;
    tokio::spawn(users.clone().schedule(index_is_new));
    let listener = tokio::net::TcpListener::bind(opts.addr).await?;
    let addr = listener.local_addr()?;
    let app = App { users: users.clone(), keys, body_timeout: listener_limits.body_timeout };
    let task = tokio::spawn(accept(listener, router(app), listener_limits));
    Ok(Running { addr, users, secret, task })
}

/// The accept loop: at most `max_connections` connections at once, each
/// with a header timeout; WebSocket upgrades allowed. On SIGINT or SIGTERM
/// it stops accepting and lets the requests in flight finish (5 s at most).
async fn accept(listener: tokio::net::TcpListener, app: axum::Router, limits: ListenerLimits) -> std::io::Result<()> {
    use hyper_util::rt::{TokioIo, TokioTimer};
    let max = limits.max_connections.clamp(1, tokio::sync::Semaphore::MAX_PERMITS) as u32;
    let permits = Arc::new(tokio::sync::Semaphore::new(max as usize));
    // On a stop signal: accept no more, and give the requests in flight up
    // to 5 seconds to finish (every permit back).
    let drained = |permits: Arc<tokio::sync::Semaphore>| async move {
        let _ = tokio::time::timeout(Duration::from_secs(5), permits.acquire_many_owned(max)).await;
        Ok(())
    };
    let stop = shutdown();
    tokio::pin!(stop);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.map_err(std::io::Error::other)?,
            () = &mut stop => return drained(permits).await,
        };
        let stream = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok((stream, _)) => stream,
                Err(e) => {
                    // Out of file descriptors, say: back off instead of spinning.
                    tracing::warn!(error = %e, "accept failed");
                    tokio::time::sleep(Duration::from_millis(50)).await;
                    continue;
                }
            },
            () = &mut stop => {
                drop(permit);
                return drained(permits).await;
            }
        };
        let _ = stream.set_nodelay(true);
        let service = hyper_util::service::TowerToHyperService::new(app.clone());
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            if let Err(e) = connection.await {
                tracing::debug!(error = %e, "connection ended");
            }
            drop(permit);
        });
    }
}

async fn shutdown() {
    let ctrl_c = tokio::signal::ctrl_c();
    #[cfg(unix)]
    {
        let mut term = match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(s) => s,
            Err(_) => return std::future::pending().await,
        };
        tokio::select! {
            _ = ctrl_c => {}
            _ = term.recv() => {}
        }
    }
    #[cfg(not(unix))]
    let _ = ctrl_c.await;
    tracing::info!("shutting down");
}

/// Logs to stderr at the level `MICROCOS_LOG` names (`info` by default).
pub fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MICROCOS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_caps_fit_the_open_file_limit() {
        let (mut lifecycle, mut listener) = (Lifecycle::default(), ListenerLimits::default());
        fit_to_file_limit(&mut lifecycle, &mut listener, Some(1024));
        assert_eq!(listener.max_connections, 512);
        assert_eq!(lifecycle.max_actors, ((1024 - 512 - FDS_RESERVED) / FDS_PER_ACTOR) as usize);
        let (mut lifecycle, mut listener) = (Lifecycle::default(), ListenerLimits::default());
        fit_to_file_limit(&mut lifecycle, &mut listener, Some(1 << 20));
        assert_eq!(
            (lifecycle, listener),
            (Lifecycle::default(), ListenerLimits::default()),
            "a high limit changes nothing"
        );
        assert!(open_file_limit().is_none_or(|n| n > 0));
    }
}
