//! The `microcos` command line.
//!
//! ```text
//! microcos serve [--addr 127.0.0.1:8787] [--data ./microcos-data] [--token-delay-ms 20] [--durability full|normal]
//! microcos token <user> [--data ./microcos-data] [--ttl-hours 24]
//! microcos load [--url http://127.0.0.1:8787] [--secret S] [--seconds 5] [--durability full|normal]
//! ```
//!
//! Logs go to stderr; `MICROCOS_LOG` sets the level (`info` by default, e.g.
//! `MICROCOS_LOG=debug` or `MICROCOS_LOG=microcos_server=debug`).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Duration;

use crate::clock::SystemClock;
use microcos_assistant::Assistant;
use microcos_core::{Clock, Config, Timestamp, UserId};
use microcos_host::auth::sign_token;
use microcos_memory::StandIn;

use crate::actor::{Services, Users};
use crate::http::{router, App};
use crate::llm::{Backend, Model};
use crate::store::Durability;

const USAGE: &str = "usage:
  microcos serve [--addr 127.0.0.1:8787] [--data ./microcos-data] [--token-delay-ms 20] [--durability full|normal]
  microcos token <user> [--data ./microcos-data] [--ttl-hours 24]
  microcos load [--url http://HOST:PORT --secret S] [--seconds 5] [--durability full|normal]

Model: the offline stand-in unless MICROCOS_OPENAI_BASE_URL (+ MICROCOS_OPENAI_MODEL,
MICROCOS_OPENAI_API_KEY) or MICROCOS_CF_ACCOUNT_ID + MICROCOS_CF_API_TOKEN are set.
Secret: MICROCOS_SECRET, else <data>/secret (created with mode 0600). Logs: MICROCOS_LOG=info|debug|…";

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
}

impl Default for ServeOptions {
    fn default() -> Self {
        ServeOptions {
            addr: SocketAddr::from(([127, 0, 0, 1], 8787)),
            data: PathBuf::from("microcos-data"),
            token_delay: Duration::from_millis(20),
            durability: Durability::Full,
        }
    }
}

/// A running server.
pub struct Running {
    /// The bound address.
    pub addr: SocketAddr,
    /// The user actors.
    pub users: Arc<Users>,
    /// The token secret.
    pub secret: Arc<Vec<u8>>,
    /// The serving task.
    pub task: tokio::task::JoinHandle<std::io::Result<()>>,
}

/// Binds and starts serving (returns once listening).
pub async fn start(opts: &ServeOptions) -> std::io::Result<Running> {
    let secret = Arc::new(crate::secret::load(&opts.data)?);
    let backend = Backend::from_env(StandIn::new(microcos_assistant::stand_in::reply), opts.token_delay);
    tracing::info!(model = %backend.describe(), "model");
    let services = Services {
        data_dir: opts.data.clone(),
        config: Config::default(),
        domain: Assistant::default(),
        model: Model::new(backend, Duration::from_secs(30)),
        durability: opts.durability,
    };
    let users = Users::new(Arc::new(services));
    let resumed = users.start_existing();
    tracing::info!(users = resumed, data = %opts.data.display(), "restored users");
    let listener = tokio::net::TcpListener::bind(opts.addr).await?;
    let addr = listener.local_addr()?;
    let app = App { users: users.clone(), secret: secret.clone() };
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

fn init_logs() {
    let filter = tracing_subscriber::EnvFilter::try_from_env("MICROCOS_LOG")
        .unwrap_or_else(|_| tracing_subscriber::EnvFilter::new("info"));
    let _ = tracing_subscriber::fmt().with_env_filter(filter).with_writer(std::io::stderr).try_init();
}

struct Args(Vec<String>);

impl Args {
    fn flag(&mut self, name: &str) -> Result<Option<String>, String> {
        match self.0.iter().position(|a| a == name) {
            None => Ok(None),
            Some(i) if i + 1 < self.0.len() => {
                let v = self.0.remove(i + 1);
                self.0.remove(i);
                Ok(Some(v))
            }
            Some(_) => Err(format!("{name} needs a value")),
        }
    }
    fn parsed<T: std::str::FromStr>(&mut self, name: &str) -> Result<Option<T>, String> {
        self.flag(name)?.map(|v| v.parse().map_err(|_| format!("{name}: invalid value {v:?}"))).transpose()
    }
    fn durability(&mut self) -> Result<Durability, String> {
        match self.flag("--durability")?.as_deref() {
            None | Some("full") => Ok(Durability::Full),
            Some("normal") => Ok(Durability::Normal),
            Some(other) => Err(format!("--durability: expected full or normal, got {other:?}")),
        }
    }
    fn done(self) -> Result<(), String> {
        match self.0.first() {
            None => Ok(()),
            Some(extra) => Err(format!("unexpected argument {extra:?}")),
        }
    }
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let mut argv: Vec<String> = std::env::args().skip(1).collect();
    if argv.is_empty() || argv.iter().any(|a| a == "-h" || a == "--help") {
        println!("{USAGE}");
        return i32::from(argv.is_empty()) * 2;
    }
    let command = argv.remove(0);
    let result = match command.as_str() {
        "serve" => serve(Args(argv)),
        "token" => token(Args(argv)),
        "load" => crate::load::main(Args(argv).into_load()),
        other => Err(format!("unknown command {other:?}\n{USAGE}")),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("microcos: {e}");
            2
        }
    }
}

impl Args {
    fn into_load(mut self) -> Result<crate::load::LoadOptions, String> {
        let opts = crate::load::LoadOptions {
            url: self.flag("--url")?,
            secret: self.flag("--secret")?.or_else(|| std::env::var("MICROCOS_SECRET").ok()),
            seconds: self.parsed("--seconds")?.unwrap_or(5),
            durability: self.durability()?,
        };
        self.done()?;
        Ok(opts)
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())
}

fn serve(mut args: Args) -> Result<(), String> {
    let defaults = ServeOptions::default();
    let opts = ServeOptions {
        addr: args.parsed("--addr")?.unwrap_or(defaults.addr),
        data: args.flag("--data")?.map_or(defaults.data, PathBuf::from),
        token_delay: args.parsed::<u64>("--token-delay-ms")?.map_or(defaults.token_delay, Duration::from_millis),
        durability: args.durability()?,
    };
    args.done()?;
    init_logs();
    runtime()?.block_on(async {
        let running = start(&opts).await.map_err(|e| format!("cannot start: {e}"))?;
        println!("microcos listening on http://{}", running.addr);
        println!("get a token:  microcos token <user> --data {}", opts.data.display());
        println!("then:         curl -H \"Authorization: Bearer $TOKEN\" http://{}/v1/snapshot", running.addr);
        running.task.await.map_err(|e| e.to_string())?.map_err(|e| e.to_string())
    })
}

fn token(mut args: Args) -> Result<(), String> {
    let data = args.flag("--data")?.map_or_else(|| ServeOptions::default().data, PathBuf::from);
    let ttl_hours: u64 = args.parsed("--ttl-hours")?.unwrap_or(24);
    let user = if args.0.is_empty() { return Err(format!("token needs a user\n{USAGE}")) } else { args.0.remove(0) };
    args.done()?;
    let user = UserId::parse(&user).ok_or("a user id is 1 to 64 characters of [A-Za-z0-9_.@-]")?;
    let secret = crate::secret::load(&data).map_err(|e| format!("cannot read the secret: {e}"))?;
    let expires = Timestamp(SystemClock.now().0 + ttl_hours * 3_600_000);
    println!("{}", sign_token(&secret, &user, expires));
    Ok(())
}
