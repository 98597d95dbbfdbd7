//! The command line of a service: `serve`, `token`, `load` (see `--help`
//! of each), for any [`Site`]: [`run`] is an embedder's whole `main`, and
//! the `microcos` binary is [`run`] of the assistant.
//!
//! Logs go to stderr; `MICROCOS_LOG` sets the level (`info` by default, e.g.
//! `MICROCOS_LOG=debug` or `MICROCOS_LOG=microcos_server=debug`).
//!
//! Secrets are never flags: a command line is visible to every user of the
//! machine (`ps`). They come from the environment or a file; a secret given
//! as a flag is refused with a usage error naming the alternative
//! ([`SECRET_FLAGS`]).

#![allow(clippy::print_stdout, clippy::print_stderr)]

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::Duration;

use clap::parser::ValueSource;
use clap::{ArgMatches, Args, CommandFactory, FromArgMatches, Parser, Subcommand, ValueEnum};
use microcos_core::{Clock, Config, Timestamp, UserId};
use microcos_host::auth::{secret_problem, Keys, Policy, DEFAULT_MAX_LIFETIME_S};
use microcos_host::HostConfig;

use crate::actor::{Lifecycle, ServedDomain};
use crate::clock::SystemClock;
use crate::llm::{Backend, StructuredOutput};
use crate::load::LoadOptions;
use crate::logs::LogFormat;
use crate::service::{start, ListenerLimits, ServeOptions, Site};
use crate::store::Durability;

/// A microcos service: `serve`, `token`, `load` (named and described by [`run`]).
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
    #[command(after_help = SERVE_ENVIRONMENT)]
    Serve(Box<ServeArgs>),
    /// Print a bearer token for a user, signed with the service's secret.
    Token(TokenArgs),
    /// Measure a server: events/s and latency for 1 and 50 users, then time
    /// to first token. Starts its own server unless --url is given.
    Load(LoadArgs),
    /// List the model operations in flight across every user of a data
    /// folder, oldest first (reads the databases, writes nothing: safe
    /// beside a running service).
    Operations(OperationsArgs),
}

#[derive(Debug, Args)]
struct OperationsArgs {
    /// The service's data folder.
    #[arg(long, env = "MICROCOS_DATA", default_value = "microcos-data")]
    data: PathBuf,
    /// One JSON object per operation instead of a table.
    #[arg(long)]
    json: bool,
}

/// The environment `serve` reads besides its flags' variables (`--help`).
const SERVE_ENVIRONMENT: &str = "\
Environment (every flag above also reads the variable in its [env: …]):
  MICROCOS_SECRET        the token secret, at least 32 bytes (else one is generated into the data folder, 0600)
  MICROCOS_LOG           log level or filter: info (default), warn, debug, microcos_server=debug
  MICROCOS_GROUP_COMMIT  off: an fsync per commit instead of one per group of waiting writers

Exit status: 0 after a clean shutdown (SIGTERM, SIGINT), 1 when the service fails, 2 for a usage error.";

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
    #[arg(long, env = "MICROCOS_ADDR", default_value = "127.0.0.1:8787")]
    addr: SocketAddr,
    /// Data folder (one SQLite database per user, and the token secret).
    #[arg(long, env = "MICROCOS_DATA", default_value = "microcos-data")]
    data: PathBuf,
    /// Delay before each token of the offline stand-in model, in milliseconds.
    #[arg(long, env = "MICROCOS_TOKEN_DELAY_MS", default_value_t = 20)]
    token_delay_ms: u64,
    /// SQLite durability.
    #[arg(long, env = "MICROCOS_DURABILITY", value_enum, default_value = "full")]
    durability: DurabilityArg,
    #[command(flatten)]
    limits: LimitArgs,
    #[command(flatten)]
    service: ServiceArgs,
    #[command(flatten)]
    tokens: TokenPolicyArgs,
    #[command(flatten)]
    model: ModelArgs,
    /// How log lines are written: text (colours only on a terminal) or json (one flat object per line).
    #[arg(long, env = "MICROCOS_LOG_FORMAT", value_enum, default_value = "text")]
    log_format: LogFormat,
    /// Serve GET /metrics (Prometheus text) on this address, apart from the API (off when unset).
    #[arg(long, env = "MICROCOS_METRICS_ADDR", value_name = "ADDR")]
    metrics_addr: Option<SocketAddr>,
}

/// What a token must satisfy (the same flags for `serve`, which checks, and
/// `token`, which issues).
#[derive(Debug, Args)]
struct TokenPolicyArgs {
    /// Longest token lifetime accepted (exp - iat), in hours; 0: no bound (then a token without iat is accepted too).
    #[arg(long, env = "MICROCOS_TOKEN_MAX_LIFETIME_HOURS", default_value_t = DEFAULT_MAX_LIFETIME_S / 3600)]
    token_max_lifetime_hours: u64,
    /// The audience (aud) every token must name; `microcos token` sets it.
    #[arg(long, env = "MICROCOS_TOKEN_AUDIENCE")]
    token_audience: Option<String>,
    /// The issuer (iss) every token must carry; `microcos token` sets it.
    #[arg(long, env = "MICROCOS_TOKEN_ISSUER")]
    token_issuer: Option<String>,
}

impl TokenPolicyArgs {
    fn policy(&self) -> Result<Policy, String> {
        let max_lifetime_s = match self.token_max_lifetime_hours {
            0 => None,
            hours => Some(hours.checked_mul(3600).ok_or_else(|| {
                format!("--token-max-lifetime-hours {hours} is too large (at most {})", u64::MAX / 3600)
            })?),
        };
        let some = |v: &Option<String>| v.clone().filter(|v| !v.is_empty());
        Ok(Policy {
            max_lifetime_s,
            audience: some(&self.token_audience),
            issuer: some(&self.token_issuer),
            ..Policy::default()
        })
    }
}

/// Per-user limits (the defaults are the kernel's).
#[derive(Debug, Args)]
struct LimitArgs {
    /// Model operations streaming at once per user; more wait, pending.
    #[arg(long, env = "MICROCOS_MAX_STREAMING", default_value_t = Config::default().max_streaming)]
    max_streaming: usize,
    /// Largest reply of one operation, in bytes (past it: `output_too_large`).
    #[arg(long, env = "MICROCOS_MAX_REPLY_BYTES", default_value_t = Config::default().max_reply_bytes)]
    max_reply_bytes: usize,
    /// Client requests per second per user (0: no limit); past it, 429.
    #[arg(long, env = "MICROCOS_RATE_PER_S", default_value_t = Config::default().rate_per_s)]
    rate_per_s: u32,
    /// Client requests a user may send at once before the rate applies.
    #[arg(long, env = "MICROCOS_RATE_BURST", default_value_t = Config::default().rate_burst)]
    rate_burst: u32,
    /// Open streams per user; past it a stream closes with code 4029.
    #[arg(long, env = "MICROCOS_MAX_SUBSCRIBERS", default_value_t = HostConfig::default().max_subscribers)]
    max_subscribers: usize,
    /// Bytes of frames one stream may have waiting (backlog and live); past it, close code 4000 (resume).
    #[arg(long, env = "MICROCOS_SUBSCRIBER_BYTES", default_value_t = HostConfig::default().subscriber_bytes)]
    subscriber_bytes: usize,
}

/// How long actors live, how many at once, and the listener's limits.
#[derive(Debug, Args)]
struct ServiceArgs {
    /// Seconds an actor with nothing in flight lives without a request.
    #[arg(long, env = "MICROCOS_IDLE_SECS", default_value_t = Lifecycle::default().idle.as_secs())]
    idle_secs: u64,
    /// Most users served at once (one open database each).
    #[arg(long, env = "MICROCOS_MAX_ACTORS", default_value_t = Lifecycle::default().max_actors)]
    max_actors: usize,
    /// Threads serving the users (a user always on the same one); 0: one per core.
    #[arg(long, env = "MICROCOS_SHARDS", default_value_t = Lifecycle::default().shards)]
    shards: usize,
    /// Most open HTTP connections; more wait to be accepted.
    #[arg(long, env = "MICROCOS_MAX_CONNECTIONS", default_value_t = ListenerLimits::default().max_connections)]
    max_connections: usize,
    /// Seconds a client has to send a request's headers.
    #[arg(long, env = "MICROCOS_HEADER_TIMEOUT_SECS", default_value_t = ListenerLimits::default().header_timeout.as_secs())]
    header_timeout_secs: u64,
    /// Seconds a client has to send a request's body (then 408).
    #[arg(long, env = "MICROCOS_BODY_TIMEOUT_SECS", default_value_t = ListenerLimits::default().body_timeout.as_secs())]
    body_timeout_secs: u64,
    /// Open connections from one address (an IPv6 /64); past it, 429 and closed; 0: no cap (behind a proxy).
    #[arg(long, env = "MICROCOS_MAX_CONNECTIONS_PER_ADDRESS", default_value_t = ListenerLimits::default().max_connections_per_address)]
    max_connections_per_address: usize,
    /// Connections from one address that have not sent a complete request yet; past it, 429 and closed; 0: no cap.
    #[arg(long, env = "MICROCOS_MAX_UNREAD_PER_ADDRESS", default_value_t = ListenerLimits::default().max_unread_per_address)]
    max_unread_per_address: usize,
    /// Seconds /readyz answers 503 after SIGTERM while requests are still served, before the listener closes.
    #[arg(long, env = "MICROCOS_DRAIN_SECS", default_value_t = 0)]
    drain_secs: u64,
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
            max_connections_per_address: self.max_connections_per_address,
            max_unread_per_address: self.max_unread_per_address,
            drain_delay: Duration::from_secs(self.drain_secs),
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
            ..Config::default()
        }
    }

    fn host(&self) -> HostConfig {
        HostConfig {
            max_subscribers: self.max_subscribers,
            subscriber_bytes: self.subscriber_bytes,
            ..HostConfig::default()
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
    /// The bearer key of that server, if it wants one (from the environment only).
    #[arg(long, env = "MICROCOS_OPENAI_API_KEY", hide_env_values = true)]
    openai_api_key: Option<String>,
    /// How that server takes the JSON Schema of a structured answer (task extraction, the daily
    /// plan): json-schema (OpenAI, vLLM, llama.cpp's llama-server), json-object-schema
    /// (llama-cpp-python's server), json-object (no schema: any JSON). Ollama's /v1 takes json-schema.
    #[arg(long, env = "MICROCOS_OPENAI_STRUCTURED", value_enum, default_value = "json-schema")]
    openai_structured: StructuredOutput,
    /// Sampling temperature sent to that server (its default when unset); 0 for repeatable answers.
    #[arg(long, env = "MICROCOS_OPENAI_TEMPERATURE", value_parser = temperature)]
    openai_temperature: Option<f32>,
    /// Sampling seed sent to that server (for repeatable answers where it honours one).
    #[arg(long, env = "MICROCOS_OPENAI_SEED")]
    openai_seed: Option<u64>,
    /// Cloudflare account id, for Workers AI over REST (with --cf-api-token).
    #[arg(long, env = "MICROCOS_CF_ACCOUNT_ID", requires = "cf_api_token")]
    cf_account_id: Option<String>,
    /// Cloudflare API token, for Workers AI over REST (from the environment only).
    #[arg(long, env = "MICROCOS_CF_API_TOKEN", hide_env_values = true, requires = "cf_account_id")]
    cf_api_token: Option<String>,
    /// The Cloudflare API base.
    #[arg(long, env = "MICROCOS_CF_API_BASE", default_value = "https://api.cloudflare.com/client/v4")]
    cf_api_base: String,
}

/// A sampling temperature: a number in 0..=2.
fn temperature(s: &str) -> Result<f32, String> {
    match s.parse::<f32>() {
        Ok(t) if (0.0..=2.0).contains(&t) => Ok(t),
        _ => Err(format!("{s:?} is not a temperature in 0..=2")),
    }
}

impl ModelArgs {
    /// The configured model, if any (Workers AI first, then OpenAI-compatible).
    fn backend(&self) -> Option<Backend> {
        let some = |v: &Option<String>| v.clone().filter(|v| !v.is_empty());
        if let (Some(account_id), Some(api_token)) = (some(&self.cf_account_id), some(&self.cf_api_token)) {
            return Some(Backend::WorkersAi { base_url: self.cf_api_base.clone(), account_id, api_token });
        }
        let base_url = some(&self.openai_base_url)?;
        Some(Backend::OpenAi {
            base_url,
            model: self.openai_model.clone(),
            api_key: some(&self.openai_api_key),
            structured: self.openai_structured,
            temperature: self.openai_temperature,
            seed: self.openai_seed,
        })
    }
}

#[derive(Debug, Args)]
#[command(group = clap::ArgGroup::new("what").required(true).args(["user", "revoke"]))]
struct TokenArgs {
    /// The user: 1 to 64 characters of [A-Za-z0-9_.@-].
    user: Option<String>,
    /// Instead of a token: refuse every token of this user issued until now, also on the running service.
    #[arg(long, value_name = "USER")]
    revoke: Option<String>,
    /// Data folder holding the secret (ignored when MICROCOS_SECRET is set) and the revocations.
    #[arg(long, env = "MICROCOS_DATA", default_value = "microcos-data")]
    data: PathBuf,
    /// Hours until the token expires (at most the service's --token-max-lifetime-hours).
    #[arg(long, env = "MICROCOS_TOKEN_TTL_HOURS", default_value_t = 24, value_parser = clap::value_parser!(u64).range(1..))]
    ttl_hours: u64,
    #[command(flatten)]
    policy: TokenPolicyArgs,
}

#[derive(Debug, Args)]
struct LoadArgs {
    /// The server to measure, e.g. http://127.0.0.1:8787 (default: start one in-process).
    #[arg(long, requires = "secret_source")]
    url: Option<String>,
    /// That server's token secret (from the environment only).
    #[arg(long, env = "MICROCOS_SECRET", hide_env_values = true, group = "secret_source")]
    secret: Option<String>,
    /// A file holding that server's token secret.
    #[arg(long, value_name = "PATH", group = "secret_source")]
    secret_file: Option<PathBuf>,
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

/// The secrets a flag would show in the process list: (subcommand, argument,
/// flag, environment variable, file alternative).
pub const SECRET_FLAGS: &[(&str, &str, &str, &str, Option<&str>)] = &[
    ("serve", "openai_api_key", "--openai-api-key", "MICROCOS_OPENAI_API_KEY", None),
    ("serve", "cf_api_token", "--cf-api-token", "MICROCOS_CF_API_TOKEN", None),
    ("load", "secret", "--secret", "MICROCOS_SECRET", Some("--secret-file PATH")),
];

/// Refuses a secret given on the command line (not from its environment variable).
fn refuse_secret_flags(matches: &ArgMatches) -> Result<(), clap::Error> {
    for (sub, id, flag, env, file) in SECRET_FLAGS {
        let Some(m) = matches.subcommand_matches(sub) else { continue };
        if m.value_source(id) == Some(ValueSource::CommandLine) {
            let or_file = file.map(|f| format!(", or pass {f}")).unwrap_or_default();
            let msg = format!(
                "{flag} is refused: a command line is visible to every user of this machine (ps); \
                 set {env} in the environment instead{or_file}"
            );
            return Err(Cli::command().error(clap::error::ErrorKind::ArgumentConflict, msg));
        }
    }
    Ok(())
}

#[cfg(test)]
fn parse_from<I, T>(args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    parse_named(Cli::command(), args)
}

fn parse_named<I, T>(command: clap::Command, args: I) -> Result<Cli, clap::Error>
where
    I: IntoIterator<Item = T>,
    T: Into<std::ffi::OsString> + Clone,
{
    let matches = command.try_get_matches_from(args)?;
    refuse_secret_flags(&matches)?;
    Cli::from_arg_matches(&matches)
}

fn read_secret_file(path: &std::path::Path) -> Result<String, String> {
    let secret = std::fs::read_to_string(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    Ok(secret.trim().to_string())
}

/// The command line of `site`, named `name` (in usage, help and what
/// `serve` prints) and described by `about` (the first line of `--help`);
/// returns the process exit code:
///
/// ```no_run
/// # fn main_of<D: microcos_server::actor::ServedDomain + Default>() {
/// use microcos_server::service::Site;
/// std::process::exit(microcos_server::cli::run(Site::new(D::default()), "habits", "My habit tracker"));
/// # }
/// ```
pub fn run<D: ServedDomain>(site: Site<D>, name: &'static str, about: &'static str) -> i32 {
    let command = Cli::command().name(name).bin_name(name).about(about);
    let cli = match parse_named(command, std::env::args_os()) {
        Ok(cli) => cli,
        Err(e) => {
            let code = if e.use_stderr() { 2 } else { 0 };
            let _ = e.print();
            return code;
        }
    };
    let result = match cli.command {
        Command::Serve(args) => serve(*args, site, name),
        Command::Token(args) => token(args),
        Command::Operations(args) => operations(&args, &site),
        Command::Load(args) => match args.secret_file.as_deref().map(read_secret_file).transpose() {
            Err(e) => Err(Failure::Runtime(e)),
            Ok(from_file) => crate::load::main(
                LoadOptions {
                    url: args.url,
                    secret: from_file.or(args.secret),
                    seconds: args.seconds,
                    durability: args.durability.into(),
                    writes_only: args.writes_only,
                },
                site,
            )
            .map_err(Failure::Runtime),
        },
    };
    match result {
        Ok(()) => 0,
        Err(Failure::Usage(e)) => {
            eprintln!("{name}: {e}");
            2
        }
        Err(Failure::Runtime(e)) => {
            eprintln!("{name}: {e}");
            1
        }
    }
}

fn runtime() -> Result<tokio::runtime::Runtime, String> {
    tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())
}

/// Why a command failed: how it was called (exit status 2) or while it ran (1).
enum Failure {
    Usage(String),
    Runtime(String),
}

impl std::fmt::Display for Failure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Failure::Usage(m) | Failure::Runtime(m) => f.write_str(m),
        }
    }
}

impl From<String> for Failure {
    fn from(message: String) -> Failure {
        Failure::Runtime(message)
    }
}

fn usage(message: impl Into<String>) -> Failure {
    Failure::Usage(message.into())
}

fn serve<D: ServedDomain>(args: ServeArgs, site: Site<D>, name: &str) -> Result<(), Failure> {
    let opts = ServeOptions {
        addr: args.addr,
        data: args.data,
        token_delay: Duration::from_millis(args.token_delay_ms),
        durability: args.durability.into(),
        backend: args.model.backend(),
        config: args.limits.config(),
        host: args.limits.host(),
        lifecycle: args.service.lifecycle(),
        listener: args.service.listener(),
        token_policy: args.tokens.policy().map_err(usage)?,
        metrics_addr: args.metrics_addr,
    };
    crate::logs::init(args.log_format);
    runtime()?
        .block_on(async {
            let running = start(&opts, site).await.map_err(|e| format!("cannot start: {e}"))?;
            println!("{name} listening on http://{}", running.addr);
            if let Some(at) = running.metrics_addr {
                println!("metrics on http://{at}/metrics");
            }
            println!("get a token:  {name} token <user> --data {}", opts.data.display());
            println!("then:         curl -H \"Authorization: Bearer $TOKEN\" http://{}/v1/snapshot", running.addr);
            running.task.await.map_err(|e| e.to_string())?.map_err(|e| e.to_string())
        })
        .map_err(Failure::Runtime)
}

/// `operations`: the survey of [`crate::admin`], as a table or JSON lines.
fn operations<D: ServedDomain>(args: &OperationsArgs, site: &Site<D>) -> Result<(), Failure> {
    if !args.data.join("users").is_dir() {
        return Err(usage(format!("{} is not a data folder (it has no users folder)", args.data.display())));
    }
    let survey = crate::admin::operations_in_flight(&args.data, &site.domain, &Config::default());
    if args.json {
        for o in &survey.operations {
            println!("{}", serde_json::to_string(o).map_err(|e| e.to_string())?);
        }
    } else {
        print!("{}", crate::admin::table(&survey, SystemClock.now()));
    }
    if survey.unreadable.is_empty() {
        Ok(())
    } else {
        Err(Failure::Runtime(format!("{} users could not be read", survey.unreadable.len())))
    }
}

const BAD_USER: &str = "a user id is 1 to 64 characters of [A-Za-z0-9_.@-]";

fn token(args: TokenArgs) -> Result<(), Failure> {
    if let Some(revoke) = &args.revoke {
        return revoke_tokens(revoke, &args.data);
    }
    let user = UserId::parse(args.user.as_deref().unwrap_or_default()).ok_or_else(|| usage(BAD_USER))?;
    let policy = args.policy.policy().map_err(usage)?;
    let too_long = || usage(format!("--ttl-hours {} is too large", args.ttl_hours));
    let ttl_ms = args.ttl_hours.checked_mul(3_600_000).ok_or_else(too_long)?;
    if let Some(max) = policy.max_lifetime_s.filter(|max| ttl_ms / 1000 > *max) {
        return Err(usage(format!(
            "--ttl-hours {} is longer than the service accepts: at most {} hours (--token-max-lifetime-hours, \
             MICROCOS_TOKEN_MAX_LIFETIME_HOURS)",
            args.ttl_hours,
            max / 3600
        )));
    }
    let secret = crate::secret::load(&args.data).map_err(|e| format!("cannot read the secret: {e}"))?;
    if let Some(problem) = secret_problem(&secret) {
        return Err(format!("the token secret is unusable: {problem}").into());
    }
    let now = SystemClock.now();
    let expires = Timestamp(now.0.checked_add(ttl_ms).ok_or_else(too_long)?);
    println!("{}", Keys::new(&secret).with_policy(policy).sign(&user, now, expires));
    Ok(())
}

/// `microcos token --revoke USER`: records the revocation in the data
/// folder, then waits until it is in effect (the next whole second), so
/// that a token minted after this returns is accepted.
fn revoke_tokens(user: &str, data: &std::path::Path) -> Result<(), Failure> {
    let user = UserId::parse(user).ok_or_else(|| usage(BAD_USER))?;
    let at = crate::revocations::revoke(data, &user, SystemClock.now())
        .map_err(|e| format!("cannot record the revocation in {}: {e}", data.display()))?;
    std::thread::sleep(Duration::from_millis(at.0.saturating_sub(SystemClock.now().0)));
    println!(
        "revoked: {user}'s tokens issued before {} (Unix seconds) are refused, by a running service too; \
         new tokens work",
        at.0 / 1000
    );
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
        if std::env::var_os("MICROCOS_SECRET").is_none() {
            assert!(parse_from(["microcos", "load", "--url", "http://x"]).is_err(), "--url needs a secret");
        }
        assert!(parse_from(["microcos", "load", "--url", "http://x", "--secret-file", "/s"]).is_ok());
        assert!(parse_from(["microcos", "token"]).is_err(), "a user, or --revoke USER");
        let revoke = parse_from(["microcos", "token", "--revoke", "alice"]).unwrap();
        assert!(matches!(revoke.command, Command::Token(t) if t.revoke.as_deref() == Some("alice")));
        assert!(parse_from(["microcos", "token", "alice", "--revoke", "bob"]).is_err());
        assert!(parse_from(["microcos", "token", "alice", "--ttl-hours", "0"]).is_err());
    }

    #[test]
    fn a_secret_given_as_a_flag_is_refused_naming_the_alternative() {
        let cases = [
            (vec!["microcos", "load", "--url", "http://x", "--secret", "s3cret"], "MICROCOS_SECRET"),
            (
                vec!["microcos", "serve", "--openai-base-url", "http://m", "--openai-api-key", "k"],
                "MICROCOS_OPENAI_API_KEY",
            ),
            (vec!["microcos", "serve", "--cf-account-id", "a", "--cf-api-token", "t"], "MICROCOS_CF_API_TOKEN"),
        ];
        for (args, env) in cases {
            let err = parse_from(args.clone()).unwrap_err();
            assert_eq!(err.kind(), clap::error::ErrorKind::ArgumentConflict, "{args:?}");
            assert!(err.use_stderr(), "a usage error (exit code 2)");
            let text = err.to_string();
            assert!(text.contains("is refused") && text.contains(env), "{args:?}: {text}");
        }
        let text = parse_from(["microcos", "load", "--secret", "s"]).unwrap_err().to_string();
        assert!(text.contains("--secret-file PATH"), "{text}");
    }

    fn token_args(args: &[&str]) -> TokenArgs {
        let mut all = vec!["microcos", "token"];
        all.extend_from_slice(args);
        match parse_from(all).unwrap().command {
            Command::Token(t) => t,
            _ => unreachable!(),
        }
    }

    #[test]
    fn a_token_lifetime_that_overflows_or_exceeds_the_bound_is_a_clear_error() {
        let dir = std::env::temp_dir().join(format!("microcos-cli-{}", uuid::Uuid::new_v4().simple()));
        let data = dir.to_str().unwrap();
        let huge = (u64::MAX / 1000).to_string();
        let err = token(token_args(&["alice", "--data", data, "--ttl-hours", &huge])).unwrap_err();
        assert!(matches!(&err, Failure::Usage(m) if m.contains("is too large")), "{err}");
        let err = token(token_args(&["alice", "--data", data, "--ttl-hours", "721"])).unwrap_err();
        assert!(matches!(&err, Failure::Usage(m) if m.contains("at most 720 hours")), "{err}");
        // Without a bound, an overflowing expiry is still refused, never wrapped.
        let max = (u64::MAX / 3_600_000).to_string();
        let unbounded = ["alice", "--data", data, "--ttl-hours", &max, "--token-max-lifetime-hours", "0"];
        assert!(token(token_args(&unbounded)).unwrap_err().to_string().contains("is too large"));
        let _ = std::fs::remove_dir_all(dir);
    }
}
