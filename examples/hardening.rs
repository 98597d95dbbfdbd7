//! The hardening figures: what one user, client or model can do to the
//! local service, measured from outside against `microcos serve` processes
//! this program starts (memory, threads and file descriptors read from
//! `/proc/<pid>`). Linux only.
//!
//! ```text
//! cargo build --release --bin microcos --example hardening
//! target/release/examples/hardening            # every figure
//! target/release/examples/hardening users      # one: operations | endless | subscribers | users | tokens
//!                                               #      | pending | reminders | logflood
//! MICROCOS_FIGURE_SECONDS=90 target/release/examples/hardening pending   # the issue's 90 s (default 30)
//! MICROCOS_FIGURE_LOG=/tmp/log target/release/examples/hardening logflood  # keep the server's log
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
    /// Bytes the server wrote to its log (stderr).
    log_bytes: Arc<AtomicUsize>,
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

/// Starts `microcos serve` with `flags`, under `ulimit -n` when given,
/// logging errors only.
async fn serve(flags: &[&str], fds: Option<u32>) -> Server {
    serve_logging(flags, fds, "error").await
}

/// [`serve`], logging at `level` (`MICROCOS_LOG`), its log counted.
async fn serve_logging(flags: &[&str], fds: Option<u32>, level: &str) -> Server {
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
        .env("MICROCOS_LOG", level)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .kill_on_drop(true)
        .spawn()
        .unwrap();
    let log_bytes = Arc::new(AtomicUsize::new(0));
    let mut stderr = child.stderr.take().unwrap();
    let counted = log_bytes.clone();
    // MICROCOS_FIGURE_LOG=<file>: keep the server's log there too.
    let mut keep = match std::env::var_os("MICROCOS_FIGURE_LOG") {
        Some(path) => Some(tokio::fs::File::create(path).await.unwrap()),
        None => None,
    };
    tokio::spawn(async move {
        let mut buf = vec![0u8; 64 * 1024];
        while let Ok(n @ 1..) = stderr.read(&mut buf).await {
            counted.fetch_add(n, Ordering::Relaxed);
            if let Some(file) = keep.as_mut() {
                let _ = file.write_all(&buf[..n]).await;
            }
        }
    });
    let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
    let line = lines.next_line().await.unwrap().expect("the server prints its address");
    let base = line.strip_prefix("microcos listening on ").unwrap().to_string();
    tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
    let http = reqwest::Client::builder().pool_max_idle_per_host(64).build().unwrap();
    Server { child, base, data, http, log_bytes }
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

    /// CPU time the process used so far (user + system), in seconds.
    fn cpu_s(&self) -> f64 {
        let stat = std::fs::read_to_string(format!("/proc/{}/stat", self.pid())).unwrap();
        // Fields after the command's closing parenthesis; utime and stime are the 14th and 15th.
        let rest = &stat[stat.rfind(')').unwrap() + 2..];
        let fields: Vec<&str> = rest.split_whitespace().collect();
        let ticks: u64 = fields[11].parse::<u64>().unwrap() + fields[12].parse::<u64>().unwrap();
        ticks as f64 / 100.0 // USER_HZ
    }

    /// Bytes the process caused to be written to storage so far.
    fn write_bytes(&self) -> u64 {
        let io = std::fs::read_to_string(format!("/proc/{}/io", self.pid())).unwrap_or_default();
        io.lines().find_map(|l| l.strip_prefix("write_bytes: ")).and_then(|v| v.parse().ok()).unwrap_or(0)
    }

    /// Bytes in the data folder.
    fn data_bytes(&self) -> u64 {
        fn walk(p: &Path) -> u64 {
            std::fs::read_dir(p)
                .into_iter()
                .flatten()
                .filter_map(|e| e.ok())
                .map(|e| {
                    let m = e.metadata().unwrap();
                    if m.is_dir() {
                        walk(&e.path())
                    } else {
                        m.len()
                    }
                })
                .sum()
        }
        walk(&self.data)
    }

    async fn socket(
        &self,
        user: &str,
    ) -> tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>> {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let url = format!("{}/v1/stream?after=0", self.base.replacen("http", "ws", 1));
        let mut request = url.into_client_request().unwrap();
        let offered = format!("microcos, bearer.{}", token(user));
        request.headers_mut().insert("sec-websocket-protocol", offered.parse().unwrap());
        tokio_tungstenite::connect_async(request).await.unwrap().0
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

fn figure_seconds(default: u64) -> u64 {
    std::env::var("MICROCOS_FIGURE_SECONDS").ok().and_then(|v| v.parse().ok()).unwrap_or(default)
}

/// One user posting `task.extract` at the allowed rate (the defaults: 20/s,
/// burst 120) for `MICROCOS_FIGURE_SECONDS` (30 by default; the review's
/// figure is 90), with a model that takes a while (50 ms a token): how
/// many operations wait, and what that costs the server.
async fn pending() {
    let seconds = figure_seconds(30);
    let s = serve(&["--token-delay-ms", "50"], None).await;
    let base_mb = s.rss_mb();
    let started = Instant::now();
    let mut statuses = std::collections::BTreeMap::<u16, u64>::new();
    let mut i = 0u64;
    while started.elapsed() < Duration::from_secs(seconds) {
        let body = json!({"type":"task.extract","payload":{"text":format!("call Ann about report {i}; book flights")}});
        *statuses.entry(s.post("pending", &body).await).or_default() += 1;
        i += 1;
        // 20 a second: the allowed rate.
        let due = Duration::from_millis(50 * i);
        if let Some(wait) = due.checked_sub(started.elapsed()) {
            tokio::time::sleep(wait).await;
        }
    }
    let snap = s.get("pending", "/v1/snapshot").await;
    let ops = snap["state"]["operations"].as_array().unwrap();
    println!("pending_seconds: {seconds}");
    println!("pending_posted: {i}");
    for (status, n) in &statuses {
        println!("pending_answers_{status}: {n}");
    }
    println!("pending_operations_at_end: {}", ops.len());
    println!("pending_operations_streaming_at_end: {}", ops.iter().filter(|o| o["status"] == "streaming").count());
    println!("pending_rss_mb_before: {base_mb:.1}");
    println!("pending_rss_mb_after: {:.1}", s.rss_mb());
    println!("pending_data_mb: {:.1}", s.data_bytes() as f64 / 1e6);
    s.stop().await;
}

/// 150 reminders that fired, each cancelled and set again with the same id
/// and the same (now past) due time, then no traffic: the server's CPU and
/// disk writes over `MICROCOS_FIGURE_SECONDS` (10 by default).
async fn reminders() {
    let seconds = figure_seconds(10);
    let s = serve(&["--rate-per-s", "0"], None).await;
    let due = now_ms() + 2_000;
    let ids: Vec<String> = (0..150).map(|_| uuid::Uuid::new_v4().to_string()).collect();
    let set = |id: &str| json!({"type":"reminder.set","payload":{"reminder_id":id,"text":"call Ann","at":due}});
    for id in &ids {
        assert_eq!(s.post("reminders", &set(id)).await, 202);
    }
    tokio::time::sleep(Duration::from_millis(due.saturating_sub(now_ms()) + 1_500)).await;
    let mut cancel = std::collections::BTreeMap::<u16, u64>::new();
    let mut again = std::collections::BTreeMap::<u16, u64>::new();
    for id in &ids {
        let cancelled = json!({"type":"reminder.cancelled","payload":{"reminder_id":id}});
        *cancel.entry(s.post("reminders", &cancelled).await).or_default() += 1;
        *again.entry(s.post("reminders", &set(id)).await).or_default() += 1;
    }
    // Let them fire, then measure the quiet.
    tokio::time::sleep(Duration::from_secs(2)).await;
    let (cpu, writes) = (s.cpu_s(), s.write_bytes());
    tokio::time::sleep(Duration::from_secs(seconds)).await;
    let cpu_share = (s.cpu_s() - cpu) / seconds as f64;
    let write_rate = (s.write_bytes() - writes) as f64 / seconds as f64;
    let events = s.events("reminders").await;
    let fired = events.iter().filter(|e| e["type"] == "reminder.fired").count();
    for (status, n) in &cancel {
        println!("reminders_cancel_fired_answers_{status}: {n}");
    }
    for (status, n) in &again {
        println!("reminders_set_again_answers_{status}: {n}");
    }
    println!("reminders_fired: {fired}");
    println!("reminders_expected_fired: {}", 2 * ids.len());
    println!("reminders_idle_cpu_percent_of_a_core: {:.1}", 100.0 * cpu_share);
    println!("reminders_idle_disk_write_bytes_per_s: {write_rate:.0}");
    s.stop().await;
}

/// One client sending events on a stream as fast as it can, for
/// `MICROCOS_FIGURE_SECONDS` (10 by default), reconnecting at once each
/// time the stream is closed, against the default limits and the default
/// log level (info): the log bytes per second that costs.
async fn logflood() {
    use futures_util::SinkExt;
    use tokio_tungstenite::tungstenite::Message;
    let seconds = figure_seconds(10);
    let s = serve_logging(&[], None, "info").await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let start_log = s.log_bytes.load(Ordering::Relaxed);
    let started = Instant::now();
    let (mut sent, mut refused, mut closes) = (0u64, 0u64, std::collections::BTreeMap::<u16, u64>::new());
    let mut halfway_log = None;
    while started.elapsed() < Duration::from_secs(seconds) {
        let mut ws = s.socket("flood").await;
        loop {
            if halfway_log.is_none() && started.elapsed() >= Duration::from_secs(seconds / 2) {
                halfway_log = Some((started.elapsed(), s.log_bytes.load(Ordering::Relaxed)));
            }
            if started.elapsed() >= Duration::from_secs(seconds) {
                break;
            }
            let event = json!({"type":"task.created","payload":{"title":format!("flood {sent}")}});
            if ws.send(Message::Text(event.to_string().into())).await.is_err() {
                break;
            }
            sent += 1;
            // Read what is there without waiting for the answer.
            let mut closed = false;
            while let Ok(Some(msg)) = tokio::time::timeout(Duration::ZERO, ws.next()).await {
                match msg {
                    Ok(Message::Text(t)) if t.contains("\"rate_limited\"") => refused += 1,
                    Ok(Message::Close(f)) => {
                        *closes.entry(f.map_or(1005, |f| u16::from(f.code))).or_default() += 1;
                        closed = true;
                        break;
                    }
                    Err(_) => {
                        closed = true;
                        break;
                    }
                    _ => {}
                }
            }
            if closed {
                break;
            }
        }
    }
    let elapsed = started.elapsed().as_secs_f64();
    let log = s.log_bytes.load(Ordering::Relaxed) - start_log;
    println!("logflood_seconds: {elapsed:.1}");
    println!("logflood_events_sent: {sent}");
    println!("logflood_refusals_read: {refused}");
    for (code, n) in &closes {
        println!("logflood_closes_{code}: {n}");
    }
    println!("logflood_log_bytes: {log}");
    println!("logflood_log_bytes_per_s: {:.0}", log as f64 / elapsed);
    if let Some((at, bytes)) = halfway_log {
        let second_half = (s.log_bytes.load(Ordering::Relaxed) - bytes) as f64 / (elapsed - at.as_secs_f64());
        println!("logflood_log_bytes_per_s_second_half: {second_half:.0}");
    }
    s.stop().await;
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
    if run("pending") {
        pending().await;
    }
    if run("reminders") {
        reminders().await;
    }
    if run("logflood") {
        logflood().await;
    }
}
