//! `load`: drives a server over loopback with `POST /v1/events` (the
//! domain's [`Workload`]: for the assistant, a task created, then completed)
//! from 1 and then 50 concurrent users, and prints `events_per_s`,
//! `p50_ms`, `p99_ms` and `errors` for each; then, when the workload names
//! one, the time from posting an event to its operation's first streamed
//! token (`ttft_p50_ms`, `ttft_p99_ms`, 50 turns). Without `--url` it starts
//! its own server on a fresh data folder, with the stand-in model at full
//! speed.

#![allow(clippy::print_stdout)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::clock::SystemClock;
use microcos_core::{Clock, Timestamp, UserId};
use microcos_host::auth::sign_token;

use crate::actor::ServedDomain;
use crate::service::{start, ServeOptions, Site};
use crate::store::Durability;

/// Options of a load run.
#[derive(Clone, Debug)]
pub struct LoadOptions {
    /// Target; `None` starts a server in-process.
    pub url: Option<String>,
    /// The target's token secret.
    pub secret: Option<String>,
    /// Seconds per phase.
    pub seconds: u64,
    /// Durability of the in-process server.
    pub durability: Durability,
    /// Skip the time-to-first-token phase.
    pub writes_only: bool,
}

/// The client events a load run sends, in the domain's words.
#[derive(Clone, Copy, Debug)]
pub struct Workload {
    /// One round of the write phases: the JSON bodies, sent in order, each
    /// expected to be answered 202, from the round's number and a fresh id.
    pub round: fn(u64, uuid::Uuid) -> Vec<String>,
    /// For the time to first token, if the domain has an event whose
    /// operation streams a reply.
    pub first_token: Option<FirstToken>,
}

/// The event of the time-to-first-token phase.
#[derive(Clone, Copy, Debug)]
pub struct FirstToken {
    /// The JSON body of an event whose operation streams a reply, from the
    /// turn's number.
    pub event: fn(u64) -> String,
    /// The event type that records the finished reply.
    pub done: &'static str,
}

/// Figures of one phase.
#[derive(Clone, Debug)]
pub struct Figures {
    /// Concurrent users.
    pub users: usize,
    /// Accepted events per second.
    pub events_per_s: f64,
    /// Median latency.
    pub p50_ms: f64,
    /// 99th percentile latency.
    pub p99_ms: f64,
    /// Failed requests.
    pub errors: u64,
}

/// Runs the load phases against `base` (tokens signed with `secret`).
pub async fn run(base: &str, secret: &[u8], seconds: u64, users: usize, workload: Workload) -> Figures {
    let client = reqwest::Client::builder().pool_max_idle_per_host(users.max(1)).build().unwrap_or_default();
    let deadline = Instant::now() + Duration::from_secs(seconds);
    let run_id = uuid::Uuid::new_v4().simple().to_string();
    let mut tasks = Vec::new();
    for u in 0..users {
        let client = client.clone();
        let url = format!("{base}/v1/events");
        let user = UserId::parse(&format!("load-{}-{u}", &run_id[..8])).unwrap_or_else(|| UserId("load".into()));
        let token = sign_token(secret, &user, SystemClock.now(), Timestamp(SystemClock.now().0 + 3_600_000));
        tasks.push(tokio::spawn(async move {
            let (mut latencies, mut errors, mut n) = (Vec::new(), 0u64, 0u64);
            while Instant::now() < deadline {
                n += 1;
                for body in (workload.round)(n, uuid::Uuid::new_v4()) {
                    let t = Instant::now();
                    let ok = client
                        .post(&url)
                        .bearer_auth(&token)
                        .header("content-type", "application/json")
                        .body(body)
                        .send()
                        .await
                        .is_ok_and(|r| r.status().as_u16() == 202);
                    latencies.push(t.elapsed().as_secs_f64() * 1000.0);
                    errors += u64::from(!ok);
                }
            }
            (latencies, errors)
        }));
    }
    let started = Instant::now();
    let (mut all, mut errors) = (Vec::new(), 0u64);
    for t in tasks {
        if let Ok((l, e)) = t.await {
            all.extend(l);
            errors += e;
        }
    }
    let elapsed = started.elapsed().as_secs_f64().max(seconds as f64);
    all.sort_by(f64::total_cmp);
    let pct =
        |p: f64| all.get(((all.len() as f64 * p) as usize).min(all.len().saturating_sub(1))).copied().unwrap_or(0.0);
    Figures {
        users,
        events_per_s: (all.len() as u64 - errors) as f64 / elapsed,
        p50_ms: pct(0.50),
        p99_ms: pct(0.99),
        errors,
    }
}

/// Time to first token: from posting `event(i)` to receiving its first
/// `token` frame on an open stream (then waiting for the event of type
/// `done`), median and 99th percentile over `n` turns.
pub async fn time_to_first_token(
    base: &str,
    secret: &[u8],
    n: usize,
    FirstToken { event, done }: FirstToken,
) -> Result<(f64, f64), String> {
    use futures_util::StreamExt;
    let user = UserId::parse(&format!("ttft-{}", &uuid::Uuid::new_v4().simple().to_string()[..8]))
        .ok_or("bad generated user id")?;
    let token = sign_token(secret, &user, SystemClock.now(), Timestamp(SystemClock.now().0 + 3_600_000));
    let ws_url = format!("{}/v1/stream?after=0&access_token={token}", base.replacen("http", "ws", 1));
    let (mut ws, _) = tokio_tungstenite::connect_async(ws_url).await.map_err(|e| format!("stream: {e}"))?;
    let client = reqwest::Client::new();
    let mut samples = Vec::with_capacity(n);
    for i in 0..n {
        let body = event(i as u64);
        let started = Instant::now();
        let sent = client
            .post(format!("{base}/v1/events"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .map_err(|e| e.to_string())?;
        if sent.status().as_u16() != 202 {
            return Err(format!("POST answered {}", sent.status()));
        }
        let mut first = None;
        while let Some(msg) = ws.next().await {
            let text = msg.map_err(|e| e.to_string())?.into_text().map_err(|e| e.to_string())?;
            if first.is_none() && text.contains("\"frame\":\"token\"") {
                first = Some(started.elapsed());
            }
            if text.contains(&format!("\"type\":\"{done}\"")) {
                break;
            }
        }
        samples.push(first.ok_or("no token arrived")?.as_secs_f64() * 1000.0);
    }
    samples.sort_by(f64::total_cmp);
    let pct = |p: f64| samples[((samples.len() as f64 * p) as usize).min(samples.len() - 1)];
    Ok((pct(0.5), pct(0.99)))
}

/// Prints the figures as `name: value` lines.
pub fn print(f: &Figures) {
    println!("users: {}", f.users);
    println!("events_per_s: {:.0}", f.events_per_s);
    println!("p50_ms: {:.2}", f.p50_ms);
    println!("p99_ms: {:.2}", f.p99_ms);
    println!("errors: {}", f.errors);
}

/// `load`: against `opts.url`, or an in-process server of `site`.
pub fn main<D: ServedDomain>(opts: LoadOptions, site: Site<D>) -> Result<(), String> {
    let workload = site.workload.ok_or("this service names no load workload (Site::with_workload)")?;
    let rt = tokio::runtime::Builder::new_multi_thread().enable_all().build().map_err(|e| e.to_string())?;
    rt.block_on(async {
        let (base, secret, _dir) = match &opts.url {
            Some(url) => {
                let secret = opts.secret.clone().ok_or("--url needs --secret (or MICROCOS_SECRET)")?;
                (url.trim_end_matches('/').to_string(), secret.into_bytes(), None)
            }
            None => {
                let dir = std::env::temp_dir().join(format!("microcos-load-{}", uuid::Uuid::new_v4().simple()));
                let serve = ServeOptions {
                    addr: "127.0.0.1:0".parse().map_err(|e| format!("{e}"))?,
                    data: dir.clone(),
                    durability: opts.durability,
                    // No artificial model pace: time to first token is then pure overhead.
                    token_delay: Duration::ZERO,
                    backend: None,
                    // The load is one client per user, on purpose as fast as it can.
                    config: microcos_core::Config { rate_per_s: 0, ..microcos_core::Config::default() },
                    // Every client is this process, on one address: no per-address caps.
                    listener: crate::service::ListenerLimits {
                        max_connections_per_address: 0,
                        max_unread_per_address: 0,
                        ..crate::service::ListenerLimits::default()
                    },
                    ..ServeOptions::default()
                };
                let running = start(&serve, site).await.map_err(|e| format!("cannot start a server: {e}"))?;
                let secret = Arc::try_unwrap(running.secret.clone()).unwrap_or_else(|a| (*a).clone());
                println!("target: in-process server at http://{} (durability {:?})", running.addr, opts.durability);
                (format!("http://{}", running.addr), secret, Some(TempDir(dir)))
            }
        };
        for users in [1, 50] {
            let figures = run(&base, &secret, opts.seconds, users, workload).await;
            print(&figures);
        }
        let Some(first_token) = workload.first_token.filter(|_| !opts.writes_only) else { return Ok(()) };
        let (p50, p99) = time_to_first_token(&base, &secret, 50, first_token).await?;
        println!("ttft_p50_ms: {p50:.2}");
        println!("ttft_p99_ms: {p99:.2}");
        Ok(())
    })
}

struct TempDir(std::path::PathBuf);
impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}
