//! The `microcos` command line: `serve`, `token`, `load` (see `--help` of each).
//!
//! Logs go to stderr; `MICROCOS_LOG` sets the level (`info` by default, e.g.
//! `MICROCOS_LOG=debug` or `MICROCOS_LOG=microcos_server=debug`).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::{Args, Parser, Subcommand, ValueEnum};
use microcos_core::{Clock, Config, Timestamp, UserId};
use microcos_host::auth::sign_token;

use crate::actor::Lifecycle;
use crate::clock::SystemClock;
use crate::llm::Backend;
use crate::load::LoadOptions;
use crate::service::{init_logs, start, ListenerLimits, ServeOptions};
use crate::store::Durability;

/// microcos: an event-sourced personal-assistant backend (chat, tasks, a daily
/// plan) with the same HTTP and WebSocket API locally and on Cloudflare.
#[derive(Debug, Parser)]
#[command(name = "microcos", version, propagate_version = true)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Serve API v1 on this machine (SQLite in the data folder; the offline
    /// stand-in model unless an OpenAI-compatible or Workers AI model is set).
    Serve(Box<ServeArgs>),
    /// Print a bearer token for a user, signed with the service's secret.
    Token(TokenArgs),
    /// Measure a server: events/s and latency for 1 and 50 users, then time
    /// to first token. Starts its own server unless --url is given.
    Load(LoadArgs),
}

/// How SQLite syncs.
#[derive(Clone, Copy, Debug, ValueEnum)]
enum DurabilityArg {
    /// fsync every commit (survives a power loss).
    Full,
    /// fsync at checkpoints (survives a process crash).
    Normal,
}

impl From<DurabilityArg> for Durability {
    fn from(d: DurabilityArg) -> Durability {
        match d {
            DurabilityArg::Full => Durability::Full,
            DurabilityArg::Normal => Durability::Normal,
        }
    }
}

#[derive(Debug, Args)]
struct ServeArgs {
    /// Address to listen on.
    #[arg(long, default_value = "127.0.0.1:8787")]
    addr: SocketAddr,
    /// Data folder (one SQLite database per user, and the token secret).
    #[arg(long, default_value = "microcos-data")]
    data: PathBuf,
    /// Delay before each token of the offline stand-in model, in milliseconds.
    #[arg(long, default_value_t = 20)]
    token_delay_ms: u64,
    /// SQLite durability.
    #[arg(long, value_enum, default_value = "full")]
    durability: DurabilityArg,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    service: ServiceArgs,
    #[command(flatten)]
    model: ModelArgs,
}

/// Per-user limits (the defaults are the kernel's).
#[derive(Debug, Args)]
struct LimitArgs {
    /// Model operations streaming at once per user; more wait, pending.
    #[arg(long, default_value_t = Config::default().max_streaming)]
    max_streaming: usize,
    /// Largest reply of one operation, in bytes (past it: `output_too_large`).
    #[arg(long, default_value_t = Config::default().max_reply_bytes)]
    max_reply_bytes: usize,
    /// Client requests per second per user (0: no limit); past it, 429.
    #[arg(long, default_value_t = Config::default().rate_per_s)]
    rate_per_s: u32,
    /// Client requests a user may send at once before the rate applies.
    #[arg(long, default_value_t = Config::default().rate_burst)]
    rate_burst: u32,
    /// Open streams per user; past it a stream closes with code 4029.
    #[arg(long, default_value_t = Config::default().max_subscribers)]
    max_subscribers: usize,
    /// Bytes of frames one stream may have waiting (backlog and live); past it, close code 4000 (resume).
    #[arg(long, default_value_t = Config::default().subscriber_bytes)]
    subscriber_bytes: usize,
}

/// How long actors live, how many at once, and the listener's limits.
#[derive(Debug, Args)]
struct ServiceArgs {
    /// Seconds an actor with nothing in flight lives without a request.
    #[arg(long, default_value_t = Lifecycle::default().idle.as_secs())]
    idle_secs: u64,
    /// Most users served at once (one open database each).
    #[arg(long, default_value_t = Lifecycle::default().max_actors)]
    max_actors: usize,
    /// Threads serving the users (a user always on the same one); 0: one per core.
    #[arg(long, default_value_t = Lifecycle::default().shards)]
    shards: usize,
    /// Most open HTTP connections; more wait to be accepted.
    #[arg(long, default_value_t = ListenerLimits::default().max_connections)]
    max_connections: usize,
    /// Seconds a client has to send a request's headers.
    #[arg(long, default_value_t = ListenerLimits::default().header_timeout.as_secs())]
    header_timeout_secs: u64,
    /// Seconds a client has to send a request's body (then 408).
    #[arg(long, default_value_t = ListenerLimits::default().body_timeout.as_secs())]
    body_timeout_secs: u64,
}

impl ServiceArgs {
    fn lifecycle(&self) -> Lifecycle {
        Lifecycle { idle: Duration::from_secs(self.idle_secs), max_actors: self.max_actors, shards: self.shards }
    }

    fn listener(&self) -> ListenerLimits {
        ListenerLimits {
            max_connections: self.max_connections,
            header_timeout: Duration::from_secs(self.header_timeout_secs),
            body_timeout: Duration::from_secs(self.body_timeout_secs),
        }
    }
}

impl LimitArgs {
    fn config(&self) -> Config {
        Config {
            max_streaming: self.max_streaming,
            max_reply_bytes: self.max_reply_bytes,
            rate_per_s: self.rate_per_s,
            rate_burst: self.rate_burst,
            max_subscribers: self.max_subscribers,
            subscriber_bytes: self.subscriber_bytes,
            ..Config::default()
        }
    }
}

/// Which model answers (the offline stand-in when none is set).
#[derive(Debug, Args)]
struct ModelArgs {
    /// An OpenAI-compatible server's base URL (Ollama, llama.cpp, vLLM), e.g. http://127.0.0.1:11434/v1.
    #[arg(long, env = "MICROCOS_OPENAI_BASE_URL")]
    openai_base_url: Option<String>,
    /// The model name on that server.
    #[arg(long, env = "MICROCOS_OPENAI_MODEL", default_value = "llama3.3")]
    openai_model: String,
    /// The bearer key of that server, if it wants one.
    #[arg(long, env = "MICROCOS_OPENAI_API_KEY", hide_env_values = true)]
    openai_api_key: Option<String>,
    /// Cloudflare account id, for Workers AI over REST (with --cf-api-token).
    #[arg(long, env = "MICROCOS_CF_ACCOUNT_ID", requires = "cf_api_token")]
    cf_account_id: Option<String>,
    /// Cloudflare API token, for Workers AI over REST.
    #[arg(long, env = "MICROCOS_CF_API_TOKEN", hide_env_values = true, requires = "cf_account_id")]
    cf_api_token: Option<String>,
    /// The Cloudflare API base.
    #[arg(long, env = "MICROCOS_CF_API_BASE", default_value = "https://api.cloudflare.com/client/v4")]
    cf_api_base: String,
}

impl ModelArgs {
    /// The configured model, if any (Workers AI first, then OpenAI-compatible).
    fn backend(&self) -> Option<Backend> {
        let some = |v: &Option<String>| v.clone().filter(|v| !v.is_empty());
        if let (Some(account_id), Some(api_token)) = (some(&self.cf_account_id), some(&self.cf_api_token)) {
            return Some(Backend::WorkersAi { base_url: self.cf_api_base.clone(), account_id, api_token });
        }
        let base_url = some(&self.openai_base_url)?;
        Some(Backend::OpenAi { base_url, model: self.openai_model.clone(), api_key: some(&self.openai_api_key) })
    }
}

#[derive(Debug, Args)]
struct TokenArgs {
    /// The user: 1 to 64 characters of [A-Za-z0-9_.@-].
    user: String,
    /// Data folder holding the secret (ignored when MICROCOS_SECRET is set).
    #[arg(long, default_value = "microcos-data")]
    data: PathBuf,
    /// Hours until the token expires.
    #[arg(long, default_value_t = 24)]
    ttl_hours: u64,
}

#[derive(Debug, Args)]
struct LoadArgs {
    /// The server to measure, e.g. http://127.0.0.1:8787 (default: start one in-process).
    #[arg(long, requires = "secret")]
    url: Option<String>,
    /// That server's token secret.
    #[arg(long, env = "MICROCOS_SECRET", hide_env_values = true)]
    secret: Option<String>,
    /// Seconds per phase.
    #[arg(long, default_value_t = 5)]
    seconds: u64,
    /// SQLite durability of the in-process server.
    #[arg(long, value_enum, default_value = "full")]
    durability: DurabilityArg,
    /// Only the write load: skip the time-to-first-token phase (for a target without a model or stream).
    #[arg(long)]
    writes_only: bool,
}

/// Runs the command line; returns the process exit code.
pub fn main() -> i32 {
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Serve(args) => serve(*args),
        Command::Token(args) => token(args),
        Command::Load(args) => crate::load::main(LoadOptions {
            url: args.url,
            secret: args.secret,
            seconds: args.seconds,
            durability: args.durability.into(),
            writes_only: args.writes_only,
        }),
    };
    match result {
        Ok(()) => 0,
        Err(e) => {
            eprintln!("microcos: {e}");
            2
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())
}

fn serve(args: ServeArgs) -> Result<(), String> {
    let opts = ServeOptions {
        addr: args.addr,
        data: args.data,
        token_delay: Duration::from_millis(args.token_delay_ms),
        durability: args.durability.into(),
        backend: args.model.backend(),
        config: args.limits.config(),
        lifecycle: args.service.lifecycle(),
        listener: args.service.listener(),
    };
    init_logs();
    runtime()?.block_on(async {
        let running = start(&opts).await.map_err(|e| format!("cannot start: {e}"))?;
        println!("microcos listening on http://{}", running.addr);
        println!("get a token:  microcos token <user> --data {}", opts.data.display());
        println!("then:         curl -H \"Authorization: Bearer $TOKEN\" http://{}/v1/snapshot", running.addr);
        running.task.await.map_err(|e| e.to_string())?.map_err(|e| e.to_string())
    })
}

fn token(args: TokenArgs) -> Result<(), String> {
    let user = UserId::parse(&args.user).ok_or("a user id is 1 to 64 characters of [A-Za-z0-9_.@-]")?;
    let secret = crate::secret::load(&args.data).map_err(|e| format!("cannot read the secret: {e}"))?;
    let expires = Timestamp(SystemClock.now().0 + args.ttl_hours * 3_600_000);
    println!("{}", sign_token(&secret, &user, SystemClock.now(), expires));
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use clap::CommandFactory;

    #[test]
    fn the_command_line_is_well_formed_and_every_subcommand_has_help() {
        Cli::command().debug_assert();
        for sub in ["serve", "token", "load"] {
            let err = Cli::try_parse_from(["microcos", sub, "--help"]).unwrap_err();
            assert_eq!(err.kind(), clap::error::ErrorKind::DisplayHelp, "{sub} --help");
        }
        let cli =
            Cli::try_parse_from(["microcos", "serve", "--addr", "127.0.0.1:9", "--durability", "normal"]).unwrap();
        assert!(matches!(cli.command, Command::Serve(args) if args.addr.port() == 9));
        assert!(Cli::try_parse_from(["microcos", "serve", "--durability", "sometimes"]).is_err());
        assert!(Cli::try_parse_from(["microcos", "load", "--url", "http://x"]).is_err(), "--url needs a secret");
    }
}
