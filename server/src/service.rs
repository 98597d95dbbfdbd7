//! The local service as a library: [`start`] binds and serves API v1 for a
//! [`Site`] (a domain, its offline stand-in model, optionally a web app and
//! a load workload) on SQLite; [`Running`] is what it returns.
//!
//! ```no_run
//! use microcos_server::actor::ServedDomain;
//! use microcos_server::service::{start, ServeOptions, Site};
//!
//! async fn serve<D: ServedDomain>(domain: D) -> std::io::Result<()> {
//!     let running = start(&ServeOptions::default(), Site::new(domain)).await?;
//!     println!("listening on http://{}", running.addr);
//!     running.task.await??;
//!     Ok(())
//! }
//! ```
//!
//! Connection slots ([`ListenerLimits`]): at most `max_connections` open at
//! once (more wait to be accepted), of which at most
//! `max_connections_per_address` from one address and, of those, at most
//! `max_unread_per_address` that have not yet sent a complete request
//! (their headers). A connection past a per-address cap is answered at once
//! with 429 `rate_limited` and closed, so that one address holding idle
//! sockets cannot take the slots everyone else needs. An IPv6 address
//! counts by its /64 (what one host usually has); an IPv4-mapped one as
//! its IPv4 address. Behind a reverse proxy every client has the proxy's
//! address: raise or lift (0) the per-address caps there, and let the proxy
//! limit its clients.

use std::collections::BTreeMap;
use std::net::{IpAddr, Ipv6Addr, SocketAddr};
use std::path::PathBuf;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use microcos_core::{Config, ErrorCode, Rejection};
use microcos_host::auth::{secret_problem, Policy};
use microcos_host::{HostConfig, StandIn};

use crate::actor::{Lifecycle, ServedDomain, Services, Users};
use crate::http::{router, App};
use crate::llm::{Backend, Model};
use crate::load::Workload;
use crate::metrics::Metrics;
use crate::store::Durability;
use crate::web::WebFiles;

/// What a service serves, besides its options: the domain, the model it
/// answers with when none is configured (its offline stand-in), the web
/// app at `/` (none by default), and the events `load` sends (none by
/// default: `load` then says so).
#[derive(Clone, Debug)]
pub struct Site<D> {
    /// The domain.
    pub domain: D,
    /// The offline model: [`StandIn::default`] echoes; a domain supplies
    /// the replies its operations parse.
    pub stand_in: StandIn,
    /// The web app at `/`.
    pub web: Option<Arc<WebFiles>>,
    /// What `load` sends.
    pub workload: Option<Workload>,
}

impl<D> Site<D> {
    /// `domain`, with the echoing stand-in, no web app and no workload.
    pub fn new(domain: D) -> Self {
        Site { domain, stand_in: StandIn::default(), web: None, workload: None }
    }

    /// With this offline model.
    pub fn with_stand_in(self, stand_in: StandIn) -> Self {
        Site { stand_in, ..self }
    }

    /// With this web app at `/`.
    pub fn with_web(self, web: WebFiles) -> Self {
        Site { web: Some(Arc::new(web)), ..self }
    }

    /// With this workload for `load`.
    pub fn with_workload(self, workload: Workload) -> Self {
        Site { workload: Some(workload), ..self }
    }
}

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
    /// The model; `None`: the site's offline stand-in at `token_delay`.
    pub backend: Option<Backend>,
    /// The kernel's configuration (checkpoints, retries, rates, bounds).
    pub config: Config,
    /// Bounds on request bodies and subscribers.
    pub host: HostConfig,
    /// How long actors live, and how many at once.
    pub lifecycle: Lifecycle,
    /// The listener's limits.
    pub listener: ListenerLimits,
    /// What a token must satisfy besides its signature ([`Policy`]:
    /// lifetime, `iat` leeway, `aud`, `iss`).
    pub token_policy: Policy,
    /// Where `GET /metrics` is served ([`crate::metrics`]): a listener of
    /// its own, apart from the API's; `None`: not served (the metrics are
    /// still counted, in [`Services::metrics`]).
    pub metrics_addr: Option<SocketAddr>,
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
    /// Open connections from one address (0: no cap); past it, 429 and closed.
    pub max_connections_per_address: usize,
    /// Connections from one address that have not yet sent a complete
    /// request (0: no cap); past it, 429 and closed.
    pub max_unread_per_address: usize,
    /// After a stop signal, how long `/readyz` answers 503 while requests
    /// are still taken (for a load balancer to stop sending any), before
    /// the listener closes.
    pub drain_delay: Duration,
}

impl Default for ListenerLimits {
    fn default() -> Self {
        ListenerLimits {
            max_connections: 512,
            header_timeout: Duration::from_secs(10),
            body_timeout: Duration::from_secs(10),
            max_connections_per_address: 64,
            max_unread_per_address: 16,
            drain_delay: Duration::ZERO,
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
            host: HostConfig::default(),
            lifecycle: Lifecycle::default(),
            listener: ListenerLimits::default(),
            token_policy: Policy::default(),
            metrics_addr: None,
        }
    }
}

/// A running server.
pub struct Running<D: ServedDomain> {
    /// The bound address.
    pub addr: SocketAddr,
    /// The bound address of `GET /metrics`, if served.
    pub metrics_addr: Option<SocketAddr>,
    /// The user actors.
    pub users: Arc<Users<D>>,
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

/// Binds and starts serving `site` (returns once listening).
pub async fn start<D: ServedDomain>(opts: &ServeOptions, site: Site<D>) -> std::io::Result<Running<D>> {
    let (mut lifecycle, mut listener_limits) = (opts.lifecycle, opts.listener);
    fit_to_file_limit(&mut lifecycle, &mut listener_limits, open_file_limit());
    let secret = Arc::new(crate::secret::load(&opts.data)?);
    if let Some(problem) = secret_problem(&secret) {
        let msg = format!(
            "the token secret (MICROCOS_SECRET, or {}) is unusable: {problem}",
            opts.data.join("secret").display()
        );
        return Err(std::io::Error::new(std::io::ErrorKind::InvalidData, msg));
    }
    let keys = Arc::new(crate::secret::keys(&opts.data)?.with_policy(opts.token_policy.clone()));
    crate::secret::create_private_dir(&opts.data)?;
    let revocations = Arc::new(crate::revocations::Revocations::open(&opts.data)?);
    let index = opts.data.join("wakes.sqlite");
    let index_is_new = !index.exists();
    let wakes = crate::wakes::Wakes::open(&index)?;
    let stand_in = || Backend::StandIn { model: site.stand_in, token_delay: opts.token_delay };
    let backend = opts.backend.clone().unwrap_or_else(stand_in);
    tracing::info!(model = %backend.describe(), "model");
    let metrics = Arc::new(Metrics::new());
    let services = Services {
        data_dir: opts.data.clone(),
        config: opts.config.clone(),
        host: opts.host.clone(),
        domain: site.domain,
        model: Model::new(backend, Duration::from_secs(30)),
        durability: opts.durability,
        broken: std::sync::Mutex::default(),
        // Feature `test-hooks` only (the tests'): a shipped binary reads no test variable.
        fault: std::env::var("MICROCOS_TEST_FAIL_BATCH_AT")
            .ok()
            .filter(|_| cfg!(feature = "test-hooks"))
            .and_then(|v| v.parse().ok()),
        lifecycle,
        wakes,
        // MICROCOS_GROUP_COMMIT=off: an fsync per commit instead (to compare).
        group: match opts.durability {
            Durability::Full if std::env::var("MICROCOS_GROUP_COMMIT").as_deref() != Ok("off") => {
                Some(Arc::new(crate::group::GroupCommit::new(&opts.data, metrics.clone())?))
            }
            _ => None,
        },
        metrics: metrics.clone(),
    };
    let users = Users::new(Arc::new(services))?;
    tokio::spawn(users.clone().schedule(index_is_new));
    let listener = tokio::net::TcpListener::bind(opts.addr).await?;
    let addr = listener.local_addr()?;
    let metrics_addr = match opts.metrics_addr {
        Some(at) => Some(serve_metrics(at, metrics).await?),
        None => None,
    };
    let app = App {
        users: users.clone(),
        keys,
        revocations,
        body_timeout: listener_limits.body_timeout,
        access: Arc::default(),
        web: site.web,
        ready: Arc::new(std::sync::atomic::AtomicBool::new(true)),
    };
    let ready = app.ready.clone();
    let task = tokio::spawn(accept(listener, router(app), listener_limits, ready));
    Ok(Running { addr, metrics_addr, users, secret, task })
}

/// Binds `at` and serves `GET /metrics` there (anything else: 404), in the
/// Prometheus text format, or OpenMetrics text when the scraper's `Accept`
/// names it. Returns the bound address. A listener of its own keeps the
/// metrics off the public API (see [`crate::metrics`]); it runs until the
/// process ends, so a scrape still answers while the API drains.
async fn serve_metrics(at: SocketAddr, metrics: Arc<Metrics>) -> std::io::Result<SocketAddr> {
    use axum::http::{header, HeaderMap};
    let listener = tokio::net::TcpListener::bind(at).await?;
    let bound = listener.local_addr()?;
    let scrape = move |headers: HeaderMap| async move {
        let accept = headers.get(header::ACCEPT).and_then(|v| v.to_str().ok()).unwrap_or("");
        let (content_type, body) = metrics.render(accept.contains("application/openmetrics-text"));
        ([(header::CONTENT_TYPE, content_type), (header::CACHE_CONTROL, "no-store")], body)
    };
    let app = axum::Router::new().route("/metrics", axum::routing::get(scrape));
    tokio::spawn(async move {
        if let Err(e) = axum::serve(listener, app).await {
            tracing::error!(error = %e, "the metrics listener failed");
        }
    });
    Ok(bound)
}

/// Connections open and without a complete request, from one address.
#[derive(Default)]
struct Counts {
    open: usize,
    unread: usize,
}

/// The per-address connection slots (see the module's documentation).
struct Slots {
    limits: ListenerLimits,
    by_address: Mutex<BTreeMap<IpAddr, Counts>>,
    /// Connections refused since the last warning, and when it was.
    refused: Mutex<(u64, Option<Instant>)>,
}

/// One connection's slot: given back when it is dropped.
struct Slot {
    slots: Arc<Slots>,
    address: IpAddr,
    unread: AtomicBool,
}

/// What one address is counted as: an IPv4 address, or an IPv6 /64.
fn address_key(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V4(_) => ip,
        IpAddr::V6(v6) => match v6.to_ipv4_mapped() {
            Some(v4) => IpAddr::V4(v4),
            None => {
                let s = v6.segments();
                IpAddr::V6(Ipv6Addr::new(s[0], s[1], s[2], s[3], 0, 0, 0, 0))
            }
        },
    }
}

impl Slots {
    fn new(limits: ListenerLimits) -> Arc<Slots> {
        Arc::new(Slots { limits, by_address: Mutex::default(), refused: Mutex::default() })
    }

    /// A slot for a new connection from `ip`, or why there is none.
    fn take(self: &Arc<Self>, ip: IpAddr) -> Result<Slot, &'static str> {
        let address = address_key(ip);
        let mut by_address = self.by_address.lock().unwrap_or_else(|p| p.into_inner());
        let counts = by_address.entry(address).or_default();
        let cap = |n: usize| if n == 0 { usize::MAX } else { n };
        let refused = if counts.open >= cap(self.limits.max_connections_per_address) {
            Some("too many open connections from this address")
        } else if counts.unread >= cap(self.limits.max_unread_per_address) {
            Some("too many connections without a complete request from this address")
        } else {
            None
        };
        if let Some(why) = refused {
            if counts.open == 0 {
                by_address.remove(&address);
            }
            drop(by_address);
            self.count_refusal(address, why);
            return Err(why);
        }
        counts.open += 1;
        counts.unread += 1;
        Ok(Slot { slots: self.clone(), address, unread: AtomicBool::new(true) })
    }

    /// Refusals are counted, and logged at most once a minute.
    fn count_refusal(&self, address: IpAddr, why: &str) {
        let mut refused = self.refused.lock().unwrap_or_else(|p| p.into_inner());
        refused.0 += 1;
        if refused.1.is_none_or(|at| at.elapsed() >= Duration::from_secs(60)) {
            tracing::warn!(%address, refused = refused.0, why, "connections refused at the per-address caps");
            *refused = (0, Some(Instant::now()));
        }
    }

    #[cfg(test)]
    fn counts(&self, ip: IpAddr) -> (usize, usize) {
        let by_address = self.by_address.lock().unwrap_or_else(|p| p.into_inner());
        by_address.get(&address_key(ip)).map_or((0, 0), |c| (c.open, c.unread))
    }
}

impl Slot {
    /// The connection sent a complete request (its headers).
    fn request_read(&self) {
        if self.unread.swap(false, Ordering::Relaxed) {
            let mut by_address = self.slots.by_address.lock().unwrap_or_else(|p| p.into_inner());
            if let Some(c) = by_address.get_mut(&self.address) {
                c.unread = c.unread.saturating_sub(1);
            }
        }
    }
}

impl Drop for Slot {
    fn drop(&mut self) {
        let mut by_address = self.slots.by_address.lock().unwrap_or_else(|p| p.into_inner());
        if let Some(c) = by_address.get_mut(&self.address) {
            c.open = c.open.saturating_sub(1);
            if *self.unread.get_mut() {
                c.unread = c.unread.saturating_sub(1);
            }
            if c.open == 0 {
                by_address.remove(&self.address);
            }
        }
    }
}

/// The answer to a connection past a per-address cap: written whole if the
/// socket takes it at once (it is small), never waited for.
fn refusal(why: &str) -> Vec<u8> {
    let mut r = Rejection::new(ErrorCode::RateLimited, format!("{why}; retry later"));
    r.retry_after_ms = Some(1_000);
    let body = r.to_json();
    format!(
        "HTTP/1.1 429 Too Many Requests\r\ncontent-type: application/json\r\ncache-control: no-store\r\n\
         retry-after: 1\r\nconnection: close\r\ncontent-length: {}\r\n\r\n{body}",
        body.len()
    )
    .into_bytes()
}

/// The accept loop: at most `max_connections` connections at once, and the
/// per-address caps (see the module's documentation), each with a header
/// timeout; WebSocket upgrades allowed. On SIGINT or SIGTERM `/readyz` turns
/// 503; after the drain delay it stops accepting, closes idle keep-alive
/// connections at once and lets the requests in flight finish (5 s at most).
async fn accept(
    listener: tokio::net::TcpListener,
    app: axum::Router,
    limits: ListenerLimits,
    ready: Arc<std::sync::atomic::AtomicBool>,
) -> std::io::Result<()> {
    use hyper::service::Service as _;
    use hyper_util::rt::{TokioIo, TokioTimer};
    let slots = Slots::new(limits);
    let max = limits.max_connections.clamp(1, tokio::sync::Semaphore::MAX_PERMITS) as u32;
    let permits = Arc::new(tokio::sync::Semaphore::new(max as usize));
    // On a stop signal: accept no more, and give the requests in flight up
    // to 5 seconds to finish (every permit back).
    // Every connection is told to finish: one waiting for its next request
    // closes at once, one answering closes after its answer.
    let (finish, finishing) = tokio::sync::watch::channel(false);
    let drained = |permits: Arc<tokio::sync::Semaphore>| async move {
        let _ = finish.send(true);
        let _ = tokio::time::timeout(Duration::from_secs(5), permits.acquire_many_owned(max)).await;
        Ok(())
    };
    let stop = async {
        shutdown().await;
        ready.store(false, std::sync::atomic::Ordering::Relaxed);
        tokio::time::sleep(limits.drain_delay).await;
    };
    tokio::pin!(stop);
    loop {
        let permit = tokio::select! {
            permit = permits.clone().acquire_owned() => permit.map_err(std::io::Error::other)?,
            () = &mut stop => return drained(permits).await,
        };
        let (stream, peer) = tokio::select! {
            accepted = listener.accept() => match accepted {
                Ok(accepted) => accepted,
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
        let slot = match slots.take(peer.ip()) {
            Ok(slot) => Arc::new(slot),
            Err(why) => {
                let _ = stream.try_write(&refusal(why));
                continue; // the socket closes as it drops, and the permit comes back
            }
        };
        let _ = stream.set_nodelay(true);
        let inner = hyper_util::service::TowerToHyperService::new(app.clone());
        let service = hyper::service::service_fn(move |request| {
            slot.request_read();
            inner.call(request)
        });
        let mut finishing = finishing.clone();
        tokio::spawn(async move {
            let connection = hyper::server::conn::http1::Builder::new()
                .timer(TokioTimer::new())
                .header_read_timeout(limits.header_timeout)
                .serve_connection(TokioIo::new(stream), service)
                .with_upgrades();
            tokio::pin!(connection);
            let ended = tokio::select! {
                ended = connection.as_mut() => ended,
                () = async { drop(finishing.wait_for(|finish| *finish).await) } => {
                    connection.as_mut().graceful_shutdown();
                    connection.await
                }
            };
            if let Err(e) = ended {
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

/// Logs to stderr as text at the level `MICROCOS_LOG` names (`info` by default): [`crate::logs`].
pub fn init_logs() {
    crate::logs::init(crate::logs::LogFormat::Text);
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

    #[test]
    fn one_address_holds_at_most_its_share_of_the_slots() {
        let limits = ListenerLimits { max_connections_per_address: 4, max_unread_per_address: 2, ..Default::default() };
        let slots = Slots::new(limits);
        let a: IpAddr = "192.0.2.1".parse().unwrap();
        let b: IpAddr = "192.0.2.2".parse().unwrap();
        // Two idle connections from `a`: the third that sends nothing is refused.
        let idle: Vec<Slot> = (0..2).map(|_| slots.take(a).unwrap()).collect();
        assert_eq!(slots.take(a).err(), Some("too many connections without a complete request from this address"));
        // Another address is not affected.
        let other = slots.take(b).unwrap();
        // Connections that sent a request leave the unread count, not the open one.
        idle[0].request_read();
        idle[0].request_read(); // once only
        let busy = slots.take(a).unwrap();
        busy.request_read();
        assert_eq!(slots.counts(a), (3, 1));
        let fourth = slots.take(a).unwrap();
        assert_eq!(slots.take(a).err(), Some("too many open connections from this address"));
        drop((idle, busy, fourth));
        assert_eq!(slots.counts(a), (0, 0), "every slot given back");
        assert!(slots.by_address.lock().unwrap().keys().eq([&b]), "no entry left for a gone address");
        drop(other);
        // 0 lifts a cap.
        let free = Slots::new(ListenerLimits { max_connections_per_address: 0, max_unread_per_address: 0, ..limits });
        let many: Vec<Slot> = (0..100).map(|_| free.take(a).unwrap()).collect();
        assert_eq!(free.counts(a), (100, 100));
        drop(many);
    }

    #[test]
    fn an_ipv6_host_counts_by_its_64_and_a_mapped_ipv4_as_itself() {
        let key = |s: &str| address_key(s.parse().unwrap());
        assert_eq!(key("2001:db8:1:2:aaaa::1"), key("2001:db8:1:2:bbbb::2"));
        assert_ne!(key("2001:db8:1:2::1"), key("2001:db8:1:3::1"));
        assert_eq!(key("::ffff:192.0.2.7"), key("192.0.2.7"));
        let refused = String::from_utf8(refusal("too many")).unwrap();
        assert!(refused.starts_with("HTTP/1.1 429 "), "{refused}");
        let (head, body) = refused.split_once("\r\n\r\n").unwrap();
        assert!(head.contains(&format!("content-length: {}", body.len())));
        let body: serde_json::Value = serde_json::from_str(body).unwrap();
        assert_eq!(body["error"]["code"], "rate_limited");
    }
}
