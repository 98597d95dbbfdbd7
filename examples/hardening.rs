//! The hardening figures: what one user, client or model can do to the
//! local service, measured from outside against `microcos serve` processes
//! this program starts (memory, threads and file descriptors read from
//! `/proc/<pid>`). Linux only.
//!
//! ```text
//! cargo build --release --bin microcos --example hardening
//! target/release/examples/hardening            # every figure
//! target/release/examples/hardening users      # one: operations | endless | subscribers | users | tokens
//! ```
//!
//! Prints `name: value` lines.

#![allow(clippy::unwrap_used, clippy::print_stdout)] // a measuring tool: a failed step is a failed run

use std::path::{Path, PathBuf};
use std::process::Stdio;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

use futures_util::StreamExt;
use microcos_core::{Timestamp, UserId};
use microcos_host::auth::sign_token;
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, AsyncReadExt, AsyncWriteExt, BufReader};

const SECRET: &str = "hardening-figures-secret-0123456789abcdef";

struct Server {
    child: tokio::process::Child,
    base: String,
    data: PathBuf,
    http: reqwest::Client,
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64
}

fn token(user: &str) -> String {
    let now = now_ms();
    sign_token(SECRET.as_bytes(), &UserId::parse(user).unwrap(), Timestamp(now), Timestamp(now + 3_600_000))
}

fn binary() -> PathBuf {
    let exe = std::env::current_exe().unwrap();
    exe.parent().unwrap().parent().unwrap().join("microcos")
}

/// Starts `microcos serve` with `flags`, under `ulimit -n` when given.
async fn serve(flags: &[&str], fds: Option<u32>) -> Server {
    let data = std::env::temp_dir().join(format!("microcos-hardening-{}", uuid::Uuid::new_v4().simple()));
    let mut cmd = format!("exec '{}' serve --addr 127.0.0.1:0 --data '{}'", binary().display(), data.display());
    for f in flags {
        cmd.push_str(&format!(" '{f}'"));
    }
    if let Some(n) = fds {
        cmd = format!("ulimit -n {n} && {cmd}");
    }
    let mut child = tokio::process::Command::new("sh")
        .args(["-c", &cmd])
        .env("MICROCOS_SECRET", SECRET)
        .env("MICROCOS_LOG", "error")
        .stdout(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines.next_line().await.unwrap().expect("the server prints its address");
    let base = line.strip_prefix("microcos listening on ").unwrap().to_string();
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let http = reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap();
    Server { child, base, data, http }
}

impl Server {
    fn pid(&self) -> u32 {
        self.child.id().unwrap()
    }

    /// A field of `/proc/<pid>/status`, e.g. `VmRSS` (kB) or `Threads`.
    fn status(&self, field: &str) -> u64 {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).unwrap();
        let line = status.lines().find(|l| l.starts_with(&format!("{field}:"))).unwrap();
        line.split_whitespace().nth(1).unwrap().parse().unwrap()
    }

    fn rss_mb(&self) -> f64 {
        self.status("VmRSS") as f64 / 1024.0
    }

    fn fds(&self) -> usize {
        std::fs::read_dir(format!("/proc/{}/fd", self.pid())).unwrap().count()
    }

    async fn post(&self, user: &str, body: &Value) -> u16 {
        let r = self
            .http
            .post(format!("{}/v1/events", self.base))
            .bearer_auth(token(user))
            .header("content-type", "application/json")
            .body(body.to_string());
        match r.send().await {
            Ok(r) => r.status().as_u16(),
            Err(_) => 0,
        }
    }

    async fn get(&self, user: &str, path: &str) -> Value {
        let r = self.http.get(format!("{}{path}", self.base)).bearer_auth(token(user)).send().await.unwrap();
        serde_json::from_str(&r.text().await.unwrap()).unwrap()
    }

    async fn events(&self, user: &str) -> Vec<Value> {
        let (mut out, mut after) = (Vec::new(), 0);
        loop {
            let page = self.get(user, &format!("/v1/events?after={after}&limit=1000")).await;
            out.extend(page["events"].as_array().unwrap().iter().cloned());
            after = page["next_after"].as_u64().unwrap();
            if !page["more"].as_bool().unwrap() {
                return out;
            }
        }
    }

    async fn stop(mut self) {
        let _ = self.child.kill().await;
        let _ = std::fs::remove_dir_all(&self.data);
    }
}

/// 1,000 `task.extract` in about 3 s from one user (rate limit off, so that
/// every one is accepted): the governor keeps 4 streaming at once.
async fn operations() {
    let s = serve(&["--rate-per-s", "0", "--token-delay-ms", "2"], None).await;
    let base_mb = s.rss_mb();
    let started = Instant::now();
    let mut accepted = 0;
    for i in 0..1_000 {
        let body =
            json!({"type":"task.extract","payload":{"text":format!("call Ann about the {i} report; book flights")}});
        if s.post("ops", &body).await == 202 {
            accepted += 1;
        }
        // About 3 s in all.
        let due = Duration::from_millis(3 * i as u64);
        if let Some(wait) = due.checked_sub(started.elapsed()) {
            tokio::time::sleep(wait).await;
        }
    }
    println!("operations_accepted: {accepted}");
    println!("operations_send_s: {:.1}", started.elapsed().as_secs_f64());
    let (mut max_streaming, mut peak_mb) = (0, s.rss_mb());
    loop {
        let snap = s.get("ops", "/v1/snapshot").await;
        let ops = snap["state"]["operations"].as_array().unwrap();
        let streaming = ops.iter().filter(|o| o["status"] == "streaming").count();
        max_streaming = max_streaming.max(streaming);
        peak_mb = f64::max(peak_mb, s.rss_mb());
        if ops.is_empty() {
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let events = s.events("ops").await;
    let count = |t: &str| events.iter().filter(|e| e["type"] == t).count();
    println!("operations_max_streaming_seen: {max_streaming}");
    println!("operations_completed: {}", count("llm.completed"));
    println!(
        "operations_failed_final: {}",
        events.iter().filter(|e| e["type"] == "llm.failed" && e["payload"]["terminal"] == true).count()
    );
    println!("operations_finish_s: {:.1}", started.elapsed().as_secs_f64());
    println!("operations_rss_mb_before: {base_mb:.1}");
    println!("operations_rss_mb_peak: {peak_mb:.1}");
    println!("operations_peak_hwm_mb: {:.1}", s.status("VmHWM") as f64 / 1024.0);
    // With the default rate limit, most of such a burst is refused at once.
    let limited = serve(&[], None).await;
    let mut refused = 0;
    for i in 0..200 {
        let body = json!({"type":"task.extract","payload":{"text":format!("item {i}")}});
        if limited.post("burst", &body).await == 429 {
            refused += 1;
        }
    }
    println!("operations_429_of_200_at_default_rate: {refused}");
    limited.stop().await;
    s.stop().await;
}

/// A fake OpenAI-compatible server whose stream never ends.
async fn endless_model() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let addr = listener.local_addr().unwrap();
    tokio::spawn(async move {
        loop {
            let (mut socket, _) = listener.accept().await.unwrap();
            tokio::spawn(async move {
                let mut buf = vec![0u8; 64 * 1024];
                let _ = socket.read(&mut buf).await; // the request (its content does not matter)
                let head = "HTTP/1.1 200 OK\r\ncontent-type: text/event-stream\r\nconnection: close\r\n\r\n";
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = "data: {\"choices\":[{\"delta\":{\"content\":\"and on \"}}]}\n\n".repeat(16);
                while socket.write_all(chunk.as_bytes()).await.is_ok() {
                    tokio::time::sleep(Duration::from_millis(1)).await;
                }
            });
        }
    });
    format!("http://{addr}/v1")
}

/// A model that never stops: the reply ends at the cap, recorded as `output_too_large`.
async fn endless() {
    let url = endless_model().await;
    let s = serve(&["--openai-base-url", &url], None).await;
    let started = Instant::now();
    assert_eq!(s.post("endless", &json!({"type":"user.message","payload":{"text":"go on"}})).await, 202);
    let failed = loop {
        let events = s.events("endless").await;
        if let Some(f) = events.iter().find(|e| e["type"] == "llm.failed").cloned() {
            break (f, events);
        }
        assert!(started.elapsed() < Duration::from_secs(60), "the endless reply was never cut");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let (failure, events) = failed;
    let kept: usize = events
        .iter()
        .filter(|e| e["type"] == "llm.checkpoint" || e["type"] == "llm.completed")
        .flat_map(|e| e["payload"]["tokens"].as_array().cloned().unwrap_or_default())
        .map(|t| t.as_str().map_or(0, str::len))
        .sum();
    println!("endless_failure_code: {}", failure["payload"]["code"].as_str().unwrap());
    println!("endless_failure_terminal: {}", failure["payload"]["terminal"]);
    println!("endless_kept_reply_bytes: {kept}");
    println!("endless_attempts: {}", events.iter().filter(|e| e["type"] == "llm.started").count());
    println!("endless_cut_after_s: {:.2}", started.elapsed().as_secs_f64());
    s.stop().await;
}

/// 100 subscribers that never read, on a 4 MB log.
async fn subscribers() {
    let s = serve(&["--rate-per-s", "0", "--max-subscribers", "100"], None).await;
    let notes = "n".repeat(4_000);
    for i in 0..1_000 {
        let body = json!({"type":"task.created","payload":{"title":format!("task {i}"),"notes":notes}});
        assert_eq!(s.post("subs", &body).await, 202);
    }
    let log_bytes: usize = s.events("subs").await.iter().map(|e| e.to_string().len()).sum();
    tokio::time::sleep(Duration::from_millis(500)).await;
    let before = s.rss_mb();
    let mut sockets = Vec::new();
    let url = format!("{}/v1/stream?after=0", s.base.replacen("http", "ws", 1));
    for _ in 0..100 {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let mut request = url.clone().into_client_request().unwrap();
        let offered = format!("microcos, bearer.{}", token("subs"));
        request.headers_mut().insert("sec-websocket-protocol", offered.parse().unwrap());
        let (ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();
        sockets.push(ws); // held, never read
    }
    tokio::time::sleep(Duration::from_secs(2)).await;
    let after = s.rss_mb();
    println!("subscribers_log_mb: {:.1}", log_bytes as f64 / 1e6);
    println!("subscribers_open: {}", sockets.len());
    println!("subscribers_rss_mb_before: {before:.1}");
    println!("subscribers_rss_mb_after: {after:.1}");
    println!("subscribers_added_mb: {:.1}", after - before);
    // Reading one of them gets a bounded first part, then close 4000 (resume).
    let (mut frames, mut code) = (0, 0);
    while let Some(Ok(msg)) = sockets[0].next().await {
        match msg {
            tokio_tungstenite::tungstenite::Message::Text(_) => frames += 1,
            tokio_tungstenite::tungstenite::Message::Close(f) => {
                code = f.map_or(0, |f| u16::from(f.code));
                break;
            }
            _ => {}
        }
    }
    println!("subscribers_first_part_frames: {frames}");
    println!("subscribers_first_part_close_code: {code}");
    drop(sockets);
    s.stop().await;
}

/// 10,000 distinct users posting one event each under `ulimit -n 1024`.
async fn users() {
    let s = serve(&["--idle-secs", "3"], Some(1024)).await;
    let errors = Arc::new(AtomicUsize::new(0));
    let next = Arc::new(AtomicUsize::new(0));
    let started = Instant::now();
    let peak_threads = Arc::new(AtomicUsize::new(0));
    let mut workers = Vec::new();
    let server = Arc::new(s);
    for _ in 0..32 {
        let (s, errors, next, peak) = (server.clone(), errors.clone(), next.clone(), peak_threads.clone());
        workers.push(tokio::spawn(async move {
            loop {
                let i = next.fetch_add(1, Ordering::Relaxed);
                if i >= 10_000 {
                    return;
                }
                let status =
                    s.post(&format!("user-{i}"), &json!({"type":"task.created","payload":{"title":"one"}})).await;
                if status != 202 {
                    errors.fetch_add(1, Ordering::Relaxed);
                }
                if i % 500 == 0 {
                    peak.fetch_max(s.status("Threads") as usize, Ordering::Relaxed);
                }
            }
        }));
    }
    for w in workers {
        w.await.unwrap();
    }
    let s = Arc::try_unwrap(server).ok().unwrap();
    println!("users_posted: 10000");
    println!("users_errors: {}", errors.load(Ordering::Relaxed));
    println!("users_seconds: {:.1}", started.elapsed().as_secs_f64());
    println!("users_peak_threads_sampled: {}", peak_threads.load(Ordering::Relaxed));
    println!("users_threads_right_after: {}", s.status("Threads"));
    println!("users_fds_right_after: {}", s.fds());
    tokio::time::sleep(Duration::from_secs(5)).await;
    println!("users_threads_after_idle: {}", s.status("Threads"));
    println!("users_fds_after_idle: {}", s.fds());
    println!("users_rss_mb_after_idle: {:.1}", s.rss_mb());
    s.stop().await;
}

/// Forged tokens, in every configuration.
async fn tokens() {
    let s = serve(&[], None).await;
    let alice = UserId::parse("alice").unwrap();
    let now = now_ms();
    let forged = [
        (
            "other_key",
            sign_token(b"another-secret-that-is-32-bytes-or-more", &alice, Timestamp(now), Timestamp(now + 60_000)),
        ),
        ("empty_key", sign_token(b"", &alice, Timestamp(now), Timestamp(now + 60_000))),
        ("alg_none", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJhbGljZSIsImV4cCI6OTk5OTk5OTk5OX0.".to_string()),
        ("garbage", "not-a-token".to_string()),
    ];
    for (name, t) in forged {
        let r = s.http.get(format!("{}/v1/snapshot", s.base)).bearer_auth(&t).send().await.unwrap();
        println!("tokens_forged_{name}_status: {}", r.status().as_u16());
    }
    s.stop().await;
    // An empty or short secret: the service refuses to start.
    for (name, secret) in [("empty", ""), ("short", "s3cret")] {
        let out = tokio::process::Command::new(binary())
            .args(["serve", "--addr", "127.0.0.1:0", "--data"])
            .arg(std::env::temp_dir().join(format!("microcos-hardening-{}", uuid::Uuid::new_v4().simple())))
            .env("MICROCOS_SECRET", secret)
            .output()
            .await
            .unwrap();
        println!("tokens_{name}_secret_serve_exit_code: {}", out.status.code().unwrap_or(-1));
    }
}

#[tokio::main]
async fn main() {
    assert!(Path::new(&binary()).exists(), "build it first: cargo build --release --bin microcos --example hardening");
    let which = std::env::args().nth(1);
    let run = |name: &str| which.as_deref().is_none_or(|w| w == name);
    if run("operations") {
        operations().await;
    }
    if run("endless") {
        endless().await;
    }
    if run("subscribers") {
        subscribers().await;
    }
    if run("users") {
        users().await;
    }
    if run("tokens") {
        tokens().await;
    }
}
