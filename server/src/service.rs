//! The local service as a library: [`start`] binds and serves API v1 with
//! the assistant on SQLite; [`Running`] is what it returns.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use microcos_assistant::Assistant;
use microcos_core::Config;
use microcos_memory::StandIn;

use crate::actor::{Services, Users};
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

/// Binds and starts serving (returns once listening).
pub async fn start(opts: &ServeOptions) -> std::io::Result<Running> {
    let secret = Arc::new(crate::secret::load(&opts.data)?);
    let keys = Arc::new(crate::secret::keys(&opts.data)?);
    let stand_in =
        || Backend::StandIn { model: StandIn::new(microcos_assistant::stand_in::reply), token_delay: opts.token_delay };
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
    };
    let users = Users::new(Arc::new(services));
    let resumed = users.start_existing();
    tracing::info!(users = resumed, data = %opts.data.display(), "restored users");
    let listener = tokio::net::TcpListener::bind(opts.addr).await?;
    let addr = listener.local_addr()?;
    let app = App { users: users.clone(), keys };
    let task = tokio::spawn(async move { axum::serve(listener, router(app)).with_graceful_shutdown(shutdown()).await });
    Ok(Running { addr, users, secret, task })
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
