//! Black-box suite of API v1: talks HTTP and WebSocket to a running service.
//!
//! By default each test starts the real `microcos` binary on an ephemeral
//! port with a fresh data folder. To run the same suite against another
//! deployment (the Worker in a local workerd), set
//! `MICROCOS_BLACKBOX_URL`, `MICROCOS_BLACKBOX_SECRET` and
//! `MICROCOS_BLACKBOX_RESTART` (a shell command that restarts the target and
//! returns once it serves again), and, for the revocation test,
//! `MICROCOS_BLACKBOX_ADMIN_SECRET` (the Worker's `MICROCOS_ADMIN_SECRET`;
//! without it that test checks the local service only).

use std::process::Stdio;
use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use microcos_assistant::Frame;
use microcos_core::time::{LocalDate, LocalTime};
use microcos_core::tz::Zone;
use microcos_core::{Cursor, Delivery, Seq, Timestamp, UserId};
use microcos_host::auth::{sign_token, Keys, Policy};
use serde_json::{json, Value};
use tokio::io::{AsyncBufReadExt, BufReader};
use tokio_tungstenite::tungstenite::Message;

const SECRET: &str = "blackbox-secret-0123456789-abcdefghij";

/// A service under test.
struct Target {
    base: String,
    secret: Vec<u8>,
    child: Option<tokio::process::Child>,
    data: Option<std::path::PathBuf>,
    restart_cmd: Option<String>,
    /// Test only: the service fails its first batch of several rows midway.
    faulty: bool,
    /// The local service's extra environment.
    env: Vec<(String, String)>,
}

impl Target {
    async fn start() -> Target {
        Target::launch(false).await
    }

    /// A service that fails the second row of its first batch of two or
    /// more rows (`MICROCOS_TEST_FAIL_BATCH_AT=1`). Against a URL, the
    /// instance at `MICROCOS_BLACKBOX_FAULT_URL`.
    async fn faulty() -> Target {
        Target::launch(true).await
    }

    async fn launch(faulty: bool) -> Target {
        let url = if faulty { "MICROCOS_BLACKBOX_FAULT_URL" } else { "MICROCOS_BLACKBOX_URL" };
        if std::env::var_os("MICROCOS_BLACKBOX_URL").is_some() && std::env::var_os(url).is_none() {
            panic!("against a URL, set {url} to an instance started with MICROCOS_TEST_FAIL_BATCH_AT=1");
        }
        if let Ok(base) = std::env::var(url) {
            let secret = std::env::var("MICROCOS_BLACKBOX_SECRET").expect("MICROCOS_BLACKBOX_SECRET");
            return Target {
                base: base.trim_end_matches('/').to_string(),
                secret: secret.into_bytes(),
                child: None,
                data: None,
                restart_cmd: std::env::var("MICROCOS_BLACKBOX_RESTART").ok(),
                faulty,
                env: Vec::new(),
            };
        }
        let data = std::env::temp_dir().join(format!("microcos-blackbox-{}", uuid::Uuid::new_v4().simple()));
        let mut t = Target {
            base: String::new(),
            secret: SECRET.as_bytes().to_vec(),
            child: None,
            data: Some(data),
            restart_cmd: None,
            faulty,
            env: Vec::new(),
        };
        t.spawn(0).await;
        t
    }

    /// A local service with `env` set, or `None` against a URL.
    async fn local_with(env: &[(&str, &str)]) -> Option<Target> {
        if std::env::var_os("MICROCOS_BLACKBOX_URL").is_some() {
            return None;
        }
        let mut t = Target::start().await;
        t.env = env.iter().map(|(k, v)| (k.to_string(), v.to_string())).collect();
        t.restart().await;
        Some(t)
    }

    async fn spawn(&mut self, port: u16) {
        let data = self.data.clone().expect("local target");
        let mut command = tokio::process::Command::new(env!("CARGO_BIN_EXE_microcos"));
        if self.faulty {
            command.env("MICROCOS_TEST_FAIL_BATCH_AT", "1");
        }
        let mut child = command
            .args(["serve", "--addr", &format!("127.0.0.1:{port}"), "--data"])
            .arg(&data)
            .args(["--token-delay-ms", "25", "--durability", "normal"])
            .env("MICROCOS_SECRET", SECRET)
            .env("MICROCOS_LOG", "warn")
            .envs(self.env.iter().map(|(k, v)| (k.as_str(), v.as_str())))
            .stdout(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start microcos");
        let stdout = child.stdout.take().expect("stdout");
        let mut lines = BufReader::new(stdout).lines();
        let line =
            tokio::time::timeout(Duration::from_secs(20), lines.next_line()).await.expect("starts").unwrap().unwrap();
        self.base = line.strip_prefix("microcos listening on ").expect("first line names the URL").to_string();
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        self.child = Some(child);
    }

    /// Stops the service (SIGKILL: nothing graceful) and starts it again on the same data.
    async fn restart(&mut self) {
        if let Some(cmd) = &self.restart_cmd {
            let status = tokio::process::Command::new("sh").args(["-c", cmd]).status().await.expect("restart command");
            assert!(status.success(), "restart command failed");
            return;
        }
        let port: u16 = self.base.rsplit(':').next().unwrap().parse().unwrap();
        let mut child = self.child.take().expect("running");
        child.kill().await.unwrap();
        child.wait().await.unwrap();
        self.spawn(port).await;
    }

    fn user(&self, name: &str) -> User {
        let id = format!("{name}-{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
        let user = UserId::parse(&id).unwrap();
        let token = sign_token(&self.secret, &user, Timestamp(now_ms()), Timestamp(now_ms() + 3_600_000));
        User { base: self.base.clone(), token, http: reqwest::Client::new(), id: user }
    }

    /// Refuses `user`'s tokens issued until now: `microcos token --revoke`
    /// on the local data folder, or the Worker's operator route. `false`
    /// when the target offers neither.
    async fn revoke(&self, user: &UserId) -> bool {
        if let Some(data) = &self.data {
            let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_microcos"))
                .args(["token", "--revoke", user.as_str(), "--data"])
                .arg(data)
                .env("MICROCOS_SECRET", SECRET)
                .output()
                .await
                .unwrap();
            assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
            assert!(String::from_utf8_lossy(&out.stdout).starts_with("revoked: "));
            return true;
        }
        let Ok(admin) = std::env::var("MICROCOS_BLACKBOX_ADMIN_SECRET") else { return false };
        let r = reqwest::Client::new()
            .post(format!("{}/v1/admin/revoke?user={}", self.base, user.as_str()))
            .bearer_auth(admin)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{}", r.text().await.unwrap());
        // In effect from the next whole second.
        tokio::time::sleep(Duration::from_millis(1_000 - now_ms() % 1_000 + 10)).await;
        true
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(data) = &self.data {
            let _ = std::fs::remove_dir_all(data);
        }
    }
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64
}

struct User {
    base: String,
    token: String,
    http: reqwest::Client,
    id: UserId,
}

struct Reply {
    status: u16,
    headers: reqwest::header::HeaderMap,
    body: Value,
}

impl User {
    async fn request(
        &self,
        method: &str,
        path: &str,
        content_type: Option<&str>,
        body: Vec<u8>,
        token: Option<&str>,
    ) -> Reply {
        let method = reqwest::Method::from_bytes(method.as_bytes()).unwrap();
        let mut req = self.http.request(method, format!("{}{path}", self.base)).body(body);
        if let Some(ct) = content_type {
            req = req.header("content-type", ct);
        }
        if let Some(t) = token {
            req = req.header("authorization", format!("Bearer {t}"));
        }
        let resp = req.send().await.expect("request");
        let status = resp.status().as_u16();
        let headers = resp.headers().clone();
        let text = resp.text().await.unwrap();
        let body =
            if text.is_empty() { Value::Null } else { serde_json::from_str(&text).unwrap_or(Value::String(text)) };
        Reply { status, headers, body }
    }

    async fn post(&self, body: Value) -> Reply {
        self.request("POST", "/v1/events", Some("application/json"), body.to_string().into_bytes(), Some(&self.token))
            .await
    }

    async fn get(&self, path: &str) -> Reply {
        self.request("GET", path, None, Vec::new(), Some(&self.token)).await
    }

    async fn snapshot(&self) -> Value {
        let r = self.get("/v1/snapshot").await;
        assert_eq!(r.status, 200, "{:?}", r.body);
        r.body
    }

    async fn events(&self) -> Vec<Value> {
        let mut out = Vec::new();
        let mut after = 0;
        loop {
            let r = self.get(&format!("/v1/events?after={after}&limit=50")).await;
            assert_eq!(r.status, 200);
            out.extend(r.body["events"].as_array().unwrap().iter().cloned());
            after = r.body["next_after"].as_u64().unwrap();
            if !r.body["more"].as_bool().unwrap() {
                return out;
            }
        }
    }

    /// Polls the snapshot until `done` holds (the service works in the background).
    async fn wait_for(&self, what: &str, done: impl Fn(&Value) -> bool) -> Value {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let s = self.snapshot().await;
            if done(&s) {
                return s;
            }
            assert!(Instant::now() < deadline, "timed out waiting for {what}: {s}");
            tokio::time::sleep(Duration::from_millis(50)).await;
        }
    }

    /// Opens a stream at `cursor`, with the token as a subprotocol (as a browser sends it).
    async fn stream(&self, cursor: &Cursor) -> Ws {
        self.stream_with(&self.token, cursor).await
    }

    async fn stream_with(&self, token: &str, cursor: &Cursor) -> Ws {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let url = format!("{}/v1/stream?{}", self.base.replacen("http", "ws", 1), cursor.to_query());
        let mut request = url.into_client_request().unwrap();
        let offered = format!("microcos, bearer.{token}");
        request.headers_mut().insert("sec-websocket-protocol", offered.parse().unwrap());
        let (ws, response) = tokio_tungstenite::connect_async(request).await.expect("websocket");
        let chosen = response.headers().get("sec-websocket-protocol").map(|v| v.to_str().unwrap().to_string());
        assert_eq!(chosen.as_deref(), Some("microcos"), "the server answers the subprotocol it was offered");
        Ws { ws }
    }
}

struct Ws {
    ws: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
}

/// What a client keeps while it reads a stream.
#[derive(Default)]
struct Seen {
    cursor: Cursor,
    tokens: Vec<(String, u32, u32, String)>,
    events: Vec<Value>,
}

impl Ws {
    /// Reads frames into `seen` until `stop` says so (or 20 s pass).
    async fn read_until(&mut self, seen: &mut Seen, stop: impl Fn(&Seen) -> bool) {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !stop(seen) {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = tokio::time::timeout(left, self.ws.next()).await.expect("frames in time").expect("open").unwrap();
            let Message::Text(text) = msg else { continue };
            let v: Value = serde_json::from_str(&text).unwrap();
            let frame = frame_of(&v);
            assert_eq!(seen.cursor.accept(&frame), Ok(Delivery::New), "never a duplicate or a gap: {v}");
            match v["frame"].as_str().unwrap() {
                "token" => seen.tokens.push((
                    v["operation_id"].as_str().unwrap().to_string(),
                    v["attempt"].as_u64().unwrap() as u32,
                    v["index"].as_u64().unwrap() as u32,
                    v["text"].as_str().unwrap().to_string(),
                )),
                "event" => seen.events.push(v["event"].clone()),
                _ => {}
            }
        }
    }

    async fn close(mut self) {
        let _ = self.ws.close(None).await;
    }

    /// Reads frames into `seen` until the server closes the stream (or 20 s
    /// pass), and returns the close code.
    async fn read_to_close(&mut self, seen: &mut Seen) -> u16 {
        let deadline = Instant::now() + Duration::from_secs(20);
        loop {
            let left = deadline.saturating_duration_since(Instant::now());
            let msg = tokio::time::timeout(left, self.ws.next()).await.expect("closed in time").expect("open").unwrap();
            match msg {
                Message::Text(text) => {
                    let v: Value = serde_json::from_str(&text).unwrap();
                    assert_eq!(seen.cursor.accept(&frame_of(&v)), Ok(Delivery::New), "never a duplicate or a gap: {v}");
                    if v["frame"] == "event" {
                        seen.events.push(v["event"].clone());
                    }
                }
                Message::Close(frame) => return frame.map_or(1005, |f| u16::from(f.code)),
                _ => {}
            }
        }
    }
}

/// The core frame a stream message carries, read as a client reads it.
fn frame_of(v: &Value) -> Frame {
    Frame::from_json(&v.to_string()).unwrap_or_else(|e| panic!("not a frame ({e}): {v}"))
}

fn has_reply(seen: &Seen) -> bool {
    seen.events.iter().any(|e| e["type"] == "assistant.message")
}

fn reply_text(seen: &Seen) -> String {
    seen.events.iter().find(|e| e["type"] == "assistant.message").unwrap()["payload"]["text"]
        .as_str()
        .unwrap()
        .to_string()
}

fn final_tokens(seen: &Seen, op: &str) -> String {
    let attempt = seen.tokens.iter().filter(|t| t.0 == op).map(|t| t.1).max().unwrap();
    let mut toks: Vec<_> = seen.tokens.iter().filter(|t| t.0 == op && t.1 == attempt).collect();
    toks.sort_by_key(|t| t.2);
    assert!(toks.iter().enumerate().all(|(i, t)| t.2 == i as u32), "token indices 0..n, each once");
    toks.iter().map(|t| t.3.as_str()).collect()
}

#[tokio::test]
async fn health_needs_no_token() {
    let t = Target::start().await;
    let u = t.user("h");
    let r = u.request("GET", "/healthz", None, Vec::new(), None).await;
    assert_eq!(r.status, 200);
}

#[tokio::test]
async fn chat_turn_streams_tokens_that_concatenate_to_the_reply() {
    let t = Target::start().await;
    let u = t.user("chat");
    let mut ws = u.stream(&Cursor::default()).await;
    let r = u.post(json!({"type":"user.message","payload":{"text":"Hello, microcos"}})).await;
    assert_eq!(r.status, 202, "{:?}", r.body);
    assert_eq!(r.body["duplicate"], false);
    assert!(r.headers.contains_key("x-request-id"));
    let op = r.body["operation_id"].as_str().unwrap().to_string();
    let mut seen = Seen::default();
    ws.read_until(&mut seen, has_reply).await;
    let reply = reply_text(&seen);
    assert!(reply.contains("Hello, microcos"), "{reply}");
    assert_eq!(final_tokens(&seen, &op), reply);
    let s = u.snapshot().await;
    let roles: Vec<&str> =
        s["state"]["messages"].as_array().unwrap().iter().map(|m| m["role"].as_str().unwrap()).collect();
    assert_eq!(roles, ["user", "assistant"]);
    ws.close().await;
}

#[tokio::test]
async fn a_repeated_client_action_gets_the_original_answer() {
    let t = Target::start().await;
    let u = t.user("dup");
    let body = json!({"type":"task.created","payload":{"title":"Pay rent"},"client_action_id":"rent-1"});
    let a = u.post(body.clone()).await;
    let b = u.post(body).await;
    assert_eq!((a.status, b.status), (202, 200));
    assert_eq!(b.body["duplicate"], true);
    assert_eq!((&a.body["event_id"], &a.body["seq"]), (&b.body["event_id"], &b.body["seq"]));
    let c = u.post(json!({"type":"task.created","payload":{"title":"Other"},"client_action_id":"rent-1"})).await;
    assert_eq!(c.status, 409);
    assert_eq!(c.body["error"]["code"], "client_action_conflict");
    let id = "0e4c6f0e-55b1-4c8e-9a57-1f3ae1c9b001";
    let d = u.post(json!({"type":"task.created","payload":{"title":"By id"},"event_id":id})).await;
    let e = u.post(json!({"type":"task.created","payload":{"title":"By id"},"event_id":id})).await;
    assert_eq!((d.status, e.status), (202, 200));
    assert_eq!(u.snapshot().await["state"]["tasks"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn reconnecting_mid_generation_misses_nothing_and_repeats_nothing() {
    let t = Target::start().await;
    let u = t.user("resume");
    let mut ws = u.stream(&Cursor::default()).await;
    let r =
        u.post(json!({"type":"user.message","payload":{"text":"Tell me about my day in some detail please"}})).await;
    let op = r.body["operation_id"].as_str().unwrap().to_string();
    let mut seen = Seen::default();
    ws.read_until(&mut seen, |s| s.tokens.len() >= 3).await;
    ws.close().await; // the client drops mid-generation…
    tokio::time::sleep(Duration::from_millis(120)).await; // …while tokens keep coming
    let mut ws = u.stream(&seen.cursor).await; // and resumes from its cursor
    ws.read_until(&mut seen, has_reply).await;
    assert_eq!(final_tokens(&seen, &op), reply_text(&seen));
    ws.close().await;
}

#[tokio::test]
async fn snapshot_and_history_survive_a_restart_including_an_interrupted_generation() {
    let mut t = Target::start().await;
    let u = t.user("persist");
    u.post(json!({"type":"task.created","payload":{"title":"Survive restarts"}})).await;
    u.post(json!({"type":"user.message","payload":{"text":"first"}})).await;
    u.wait_for("the first reply", |s| s["state"]["messages"].as_array().unwrap().len() == 2).await;
    let before = u.snapshot().await;
    // Interrupt a generation mid-stream.
    u.post(json!({"type":"user.message","payload":{"text":"a second message that gets a long reply"}})).await;
    u.wait_for("a generation in flight", |s| {
        s["state"]["operations"].as_array().unwrap().iter().any(|o| !o["text"].as_str().unwrap().is_empty())
    })
    .await;
    t.restart().await;
    let after = u
        .wait_for("the interrupted reply to complete", |s| {
            s["state"]["messages"].as_array().unwrap().len() == 4
                && s["state"]["operations"].as_array().unwrap().is_empty()
        })
        .await;
    assert_eq!(after["state"]["tasks"], before["state"]["tasks"]);
    assert_eq!(after["state"]["messages"][0], before["state"]["messages"][0]);
    assert_eq!(after["state"]["messages"][1], before["state"]["messages"][1]);
    let events = u.events().await;
    assert!(
        events.iter().any(|e| e["type"] == "llm.failed" && e["payload"]["code"] == "interrupted"),
        "the interruption is recorded"
    );
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "no gap in the log");
}

#[tokio::test]
async fn task_lifecycle() {
    let t = Target::start().await;
    let u = t.user("tasks");
    let id = "7a5c0000-0000-4000-8000-0000000000aa";
    assert_eq!(
        u.post(json!({"type":"task.created","payload":{"task_id":id,"title":"Book flights","due_date":"2026-12-01"}}))
            .await
            .status,
        202
    );
    assert_eq!(
        u.post(json!({"type":"task.updated","payload":{"task_id":id,"title":"Book flights to Oslo"}})).await.status,
        202
    );
    let s = u.snapshot().await;
    assert_eq!(
        s["state"]["tasks"][0],
        json!({"task_id":id,"title":"Book flights to Oslo","status":"open","due_date":"2026-12-01"})
    );
    assert_eq!(u.post(json!({"type":"task.completed","payload":{"task_id":id}})).await.status, 202);
    assert_eq!(u.snapshot().await["state"]["tasks"][0]["status"], "done");
    assert_eq!(u.post(json!({"type":"task.deleted","payload":{"task_id":id}})).await.status, 202);
    assert!(u.snapshot().await["state"]["tasks"].as_array().unwrap().is_empty());
    let gone = u.post(json!({"type":"task.completed","payload":{"task_id":id}})).await;
    assert_eq!((gone.status, gone.body["error"]["code"].as_str()), (404, Some("task_not_found")));
}

#[tokio::test]
async fn daily_plan_fires_at_the_local_time_once() {
    let mut t = Target::start().await;
    let u = t.user("plan");
    u.post(json!({"type":"task.created","payload":{"title":"Write the report"}})).await;
    // Local time = UTC + 2 h; the plan time is one minute ago, local (or
    // midnight, in the first minute of a local day, so it is always today).
    let minute_of_day = (now_ms() / 60_000 + 120) % 1440;
    let plan = minute_of_day.saturating_sub(1);
    let time = format!("{:02}:{:02}", plan / 60, plan % 60);
    let r = u.post(json!({"type":"settings.updated","payload":{"tz_offset_minutes":120,"daily_plan_time":time}})).await;
    assert_eq!(r.status, 202);
    let s = u.wait_for("the daily plan", |s| !s["state"]["plan"].is_null()).await;
    assert_eq!(s["state"]["plan"]["items"][0]["title"], "Write the report");
    t.restart().await;
    u.post(json!({"type":"task.created","payload":{"title":"after restart"}})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let jobs = u.events().await.iter().filter(|e| e["type"] == "workflow.daily_plan").count();
    assert_eq!(jobs, 1, "firing again (after a restart) makes no second plan");
}

/// The last Sunday of `month` in `year` (the day Europe changes its clocks).
fn last_sunday(year: u16, month: u8) -> LocalDate {
    let mut day = LocalDate::new(year, month, 31).unwrap();
    while day.weekday() != 7 {
        day = LocalDate::new(year, month, day.day - 1).unwrap();
    }
    day
}

fn utc_ms(date: LocalDate, hhmm: &str) -> u64 {
    Zone::utc().rule().at(date, LocalTime::parse(hhmm).unwrap()).0
}

#[tokio::test]
async fn settings_take_a_zone_and_local_times_hold_across_its_changes() {
    let t = Target::start().await;
    let u = t.user("zone");
    assert!(u.snapshot().await["state"]["settings"]["time_zone"].is_null(), "none chosen yet");
    let r = u.post(json!({"type":"settings.updated","payload":{"time_zone":"Europe/Berlin"}})).await;
    assert_eq!(r.status, 202, "{:?}", r.body);
    let berlin = Zone::named("Europe/Berlin").unwrap();
    let (before, s, after) = (now_ms(), u.snapshot().await, now_ms());
    let settings = &s["state"]["settings"];
    assert_eq!(settings["time_zone"], "Europe/Berlin");
    assert_eq!(settings["utc_offset_minutes"], berlin.rule().offset_minutes_at(Timestamp(before)));
    let days = [before, after].map(|t| berlin.rule().date_at(Timestamp(t)).to_string());
    assert!(days.contains(&settings["today"].as_str().unwrap().to_string()), "{settings}");
    let stored = u.events().await.pop().unwrap();
    assert_eq!(stored["payload"]["time_zone_rule"], "CET-1CEST,M3.5.0,M10.5.0/3", "the rule is recorded");

    // "At 17:00" on either side of next year's spring-forward: 17:00 CET, then 17:00 CEST.
    let year = berlin.rule().date_at(Timestamp(before)).year + 1;
    let spring = last_sunday(year, 3);
    let eve = LocalDate::new(year, 3, spring.day - 1).unwrap();
    for (text, day, due) in [("Call Ann", eve, utc_ms(eve, "16:00")), ("Call Bob", spring, utc_ms(spring, "15:00"))] {
        let r =
            u.post(json!({"type":"reminder.set","payload":{"text":text,"date":day.to_string(),"time":"17:00"}})).await;
        assert_eq!(r.status, 202, "{:?}", r.body);
        let s = u.snapshot().await;
        let reminder = s["state"]["reminders"].as_array().unwrap().iter().find(|r| r["text"] == text).unwrap().clone();
        assert_eq!(reminder["due"], due, "{text} on {day}");
    }
    // 02:30 does not exist that morning: 03:30 CEST.
    let r =
        u.post(json!({"type":"reminder.set","payload":{"text":"gap","date":spring.to_string(),"time":"02:30"}})).await;
    assert_eq!(r.status, 202);
    let s = u.snapshot().await;
    let gap = s["state"]["reminders"].as_array().unwrap().iter().find(|r| r["text"] == "gap").unwrap().clone();
    assert_eq!(gap["due"], utc_ms(spring, "01:30"));

    // A time already past today, with no date, is tomorrow; with today's date
    // it is refused (in the first hour of a Berlin day no whole hour is past).
    let (today, now) = berlin.rule().local_at(Timestamp(now_ms()));
    if now.hour > 0 {
        let past = format!("{:02}:00", now.hour - 1);
        let r = u.post(json!({"type":"reminder.set","payload":{"text":"rolls","time":past}})).await;
        assert_eq!(r.status, 202);
        let s = u.snapshot().await;
        let rolls = s["state"]["reminders"].as_array().unwrap().iter().find(|r| r["text"] == "rolls").unwrap().clone();
        let tomorrow = berlin.rule().at(today.succ(), LocalTime::parse(&past).unwrap());
        assert_eq!(rolls["due"], tomorrow.0, "tomorrow at {past}");
        let r =
            u.post(json!({"type":"reminder.set","payload":{"text":"x","date":today.to_string(),"time":past}})).await;
        assert_eq!(
            (r.status, &r.body["error"]["code"], &r.body["error"]["field"]),
            (422, &json!("reminder_in_past"), &json!("payload.date"))
        );
    }

    // Unknown zones and a client's own rule are refused, naming the field.
    for (payload, code, field) in [
        (json!({"time_zone":"Europe/Atlantis"}), "invalid_value", "payload.time_zone"),
        (json!({"time_zone":"UTC","time_zone_rule":"CET-1"}), "unknown_field", "payload.time_zone_rule"),
        (json!({"daily_plan_time":"07:00"}), "missing_field", "payload.time_zone"),
    ] {
        let r = u.post(json!({"type":"settings.updated","payload":payload})).await;
        assert_eq!(
            (r.status, r.body["error"]["code"].as_str(), r.body["error"]["field"].as_str()),
            (422, Some(code), Some(field)),
            "{payload}"
        );
    }
    assert_eq!(u.snapshot().await["state"]["settings"]["time_zone"], "Europe/Berlin", "nothing changed");

    // The model is told the user's local date, time and zone (the stand-in repeats it).
    let r = u.post(json!({"type":"settings.updated","payload":{"time_zone":"Asia/Kolkata"}})).await;
    assert_eq!(r.status, 202);
    let before = now_ms();
    u.post(json!({"type":"user.message","payload":{"text":"What day is it?"}})).await;
    let s = u.wait_for("the reply", |s| s["state"]["messages"].as_array().unwrap().len() >= 2).await;
    let reply = s["state"]["messages"].as_array().unwrap().last().unwrap()["text"].as_str().unwrap().to_string();
    let kolkata = Zone::named("Asia/Kolkata").unwrap();
    let said = |t: u64| {
        let (date, time) = kolkata.rule().local_at(Timestamp(t));
        format!("{date}, {time} in Asia/Kolkata (UTC+05:30).")
    };
    assert!([before, now_ms()].iter().any(|t| reply.ends_with(&said(*t))), "{reply}");
}

#[tokio::test]
async fn a_daily_plan_in_a_named_zone_fires_at_its_local_time() {
    let t = Target::start().await;
    let u = t.user("plan-zone");
    u.post(json!({"type":"task.created","payload":{"title":"Write the report"}})).await;
    // A minute ago in New York (or midnight, in the first minute of a local day).
    let ny = Zone::named("America/New_York").unwrap();
    let (_, now) = ny.rule().local_at(Timestamp(now_ms()));
    let minute = (u32::from(now.hour) * 60 + u32::from(now.minute)).saturating_sub(1);
    let time = format!("{:02}:{:02}", minute / 60, minute % 60);
    let r = u
        .post(json!({"type":"settings.updated","payload":{"time_zone":"America/New_York","daily_plan_time":time}}))
        .await;
    assert_eq!(r.status, 202);
    let s = u.wait_for("the daily plan", |s| !s["state"]["plan"].is_null()).await;
    assert_eq!(s["state"]["plan"]["date"], s["state"]["settings"]["today"], "today's, in New York");
}

#[tokio::test]
async fn a_reminder_fires_once_in_realtime_across_a_restart_and_again_when_snoozed() {
    let mut t = Target::start().await;
    let u = t.user("remind");
    // Due in a moment; it fires on the service's own alarm, pushed to the stream.
    let mut stream = u.stream(&Cursor::default()).await;
    let set = u.post(json!({"type":"reminder.set","payload":{"text":"Call Ann","at":now_ms() + 1_500}})).await;
    assert_eq!(set.status, 202);
    let id = set.body["event_id"].as_str().unwrap().to_string();
    let s = u.snapshot().await;
    assert_eq!(s["state"]["reminders"][0]["status"], "scheduled");
    let mut seen = Seen::default();
    stream.read_until(&mut seen, |seen| seen.events.iter().any(|e| e["type"] == "reminder.fired")).await;
    let fired = seen.events.iter().find(|e| e["type"] == "reminder.fired").unwrap().clone();
    assert_eq!(fired["payload"]["reminder_id"], id.as_str());
    stream.close().await;
    t.restart().await;
    u.post(json!({"type":"task.created","payload":{"title":"after restart"}})).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    let count = |events: &[Value]| events.iter().filter(|e| e["type"] == "reminder.fired").count();
    assert_eq!(count(&u.events().await), 1, "fired once, restart or not");
    assert_eq!(u.snapshot().await["state"]["reminders"][0]["status"], "fired");

    // Snoozed, it is scheduled again (a minute on); cancelled, it is gone,
    // and cancelling it again is a 404.
    let snooze = u.post(json!({"type":"reminder.snoozed","payload":{"reminder_id":id,"minutes":1}})).await;
    assert_eq!(snooze.status, 202);
    let s = u.snapshot().await;
    assert_eq!(s["state"]["reminders"][0]["status"], "scheduled");
    assert!(s["state"]["reminders"][0]["due"].as_u64().unwrap() >= now_ms() + 50_000);
    assert_eq!(u.post(json!({"type":"reminder.cancelled","payload":{"reminder_id":id}})).await.status, 202);
    assert!(u.snapshot().await["state"]["reminders"].as_array().unwrap().is_empty());
    let again = u.post(json!({"type":"reminder.cancelled","payload":{"reminder_id":id}})).await;
    assert_eq!((again.status, again.body["error"]["code"].as_str()), (404, Some("reminder_not_found")));
    let both = u.post(json!({"type":"reminder.set","payload":{"text":"x","at":1,"time":"09:00"}})).await;
    assert_eq!((both.status, both.body["error"]["field"].as_str()), (422, Some("payload.time")));
}

#[tokio::test]
async fn the_assistant_acts_through_tool_calls_and_a_completion_waits_for_approval() {
    let t = Target::start().await;
    let u = t.user("acts");
    u.post(json!({"type":"task.created","payload":{"title":"Water the plants"}})).await;
    let asked = "remind me at 23:59 to water the plants; complete task Water the plants";
    assert_eq!(u.post(json!({"type":"user.message","payload":{"text":asked}})).await.status, 202);
    let s = u
        .wait_for("the reply's two actions", |s| {
            let actions = s["state"]["actions"].as_array().unwrap();
            actions.len() == 2 && actions.iter().all(|a| a["status"] != "proposed")
        })
        .await;
    let actions = s["state"]["actions"].as_array().unwrap();
    assert_eq!((actions[0]["tool"].as_str(), actions[0]["status"].as_str()), (Some("set_reminder"), Some("applied")));
    assert_eq!(
        (actions[1]["tool"].as_str(), actions[1]["status"].as_str()),
        (Some("complete_task"), Some("awaiting_approval")),
        "a completion waits for the user"
    );
    assert_eq!(s["state"]["reminders"][0]["text"], "water the plants", "the reminder is set at once");
    assert_eq!(s["state"]["tasks"][0]["status"], "open");
    let id = actions[1]["action_id"].as_str().unwrap().to_string();
    assert_eq!(u.post(json!({"type":"action.approved","payload":{"action_id":id}})).await.status, 202);
    let s = u.wait_for("the approved completion", |s| s["state"]["tasks"][0]["status"] == "done").await;
    assert_eq!(s["state"]["actions"][1]["status"], "applied");
    let again = u.post(json!({"type":"action.approved","payload":{"action_id":id}})).await;
    assert_eq!((again.status, again.body["error"]["code"].as_str()), (409, Some("action_not_awaiting")));
}

#[tokio::test]
async fn authentication_and_isolation() {
    let t = Target::start().await;
    let a = t.user("alice");
    let b = t.user("bob");
    a.post(json!({"type":"task.created","payload":{"title":"alice's secret task"}})).await;
    let code = |r: &Reply| (r.status, r.body["error"]["code"].as_str().map(String::from));
    let unauthorized = (401, Some("unauthorized".to_string()));
    assert_eq!(code(&a.request("GET", "/v1/snapshot", None, Vec::new(), None).await), unauthorized);
    let forged = sign_token(
        b"not-the-secret-but-32-bytes-or-more",
        &UserId::parse("alice").unwrap(),
        Timestamp(now_ms()),
        Timestamp(now_ms() + 60_000),
    );
    assert_eq!(code(&a.request("GET", "/v1/snapshot", None, Vec::new(), Some(&forged)).await), unauthorized);
    let expired = sign_token(
        &t.secret,
        &UserId::parse("alice").unwrap(),
        Timestamp(now_ms() - 5_000),
        Timestamp(now_ms() - 2_000),
    );
    assert_eq!(code(&a.request("GET", "/v1/snapshot", None, Vec::new(), Some(&expired)).await), unauthorized);
    assert_eq!(code(&a.request("GET", "/v1/snapshot", None, Vec::new(), Some("garbage")).await), unauthorized);
    let bs = b.snapshot().await;
    assert!(bs["state"]["tasks"].as_array().unwrap().is_empty(), "bob never sees alice's data");
    assert!(b.events().await.is_empty());
    let ws = format!("{}/v1/stream?access_token={forged}", t.base.replacen("http", "ws", 1));
    assert!(tokio_tungstenite::connect_async(ws).await.is_err(), "a forged token cannot stream");
    let plain = a.request("GET", "/v1/stream", None, Vec::new(), Some(&a.token)).await;
    assert_eq!(plain.status, 426, "the stream needs a WebSocket upgrade");
}

#[tokio::test]
async fn bad_input_gets_its_documented_4xx_and_stored_data_stays_intact() {
    let t = Target::start().await;
    let u = t.user("bad");
    u.post(json!({"type":"task.created","payload":{"title":"keep me"}})).await;
    let before_events = u.events().await;
    let before = u.snapshot().await;
    let huge = "x".repeat(9_000);
    // (case, method, content type, body, status, code, field)
    type Case<'a> = (&'a str, &'a str, Option<&'a str>, Vec<u8>, u16, &'a str, Option<&'a str>);
    let cases: Vec<Case<'_>> = vec![
        ("malformed JSON", "POST", Some("application/json"), b"{\"type\":".to_vec(), 400, "malformed_json", None),
        ("not an object", "POST", Some("application/json"), b"[1,2]".to_vec(), 422, "invalid_type", None),
        ("too deep", "POST", Some("application/json"), "[".repeat(100).into_bytes(), 400, "too_deep", None),
        (
            "wrong type",
            "POST",
            Some("application/json"),
            br#"{"type":"user.message","payload":{"text":42}}"#.to_vec(),
            422,
            "invalid_type",
            Some("payload.text"),
        ),
        (
            "unknown type",
            "POST",
            Some("application/json"),
            br#"{"type":"user.shout","payload":{}}"#.to_vec(),
            422,
            "unknown_event_type",
            Some("type"),
        ),
        (
            "system type",
            "POST",
            Some("application/json"),
            br#"{"type":"assistant.message","payload":{"text":"x"}}"#.to_vec(),
            422,
            "event_type_not_allowed",
            Some("type"),
        ),
        (
            "unknown field",
            "POST",
            Some("application/json"),
            br#"{"type":"user.message","payload":{"text":"a","x":1}}"#.to_vec(),
            422,
            "unknown_field",
            Some("payload.x"),
        ),
        (
            "unknown top field",
            "POST",
            Some("application/json"),
            br#"{"type":"user.message","payload":{"text":"a"},"user_id":"bob"}"#.to_vec(),
            422,
            "unknown_field",
            Some("user_id"),
        ),
        (
            "huge string",
            "POST",
            Some("application/json"),
            format!(r#"{{"type":"user.message","payload":{{"text":"{huge}"}}}}"#).into_bytes(),
            422,
            "too_long",
            Some("payload.text"),
        ),
        (
            "oversized body",
            "POST",
            Some("application/json"),
            format!(r#"{{"type":"user.message","payload":{{"text":"{}"}}}}"#, "y".repeat(70_000)).into_bytes(),
            413,
            "body_too_large",
            None,
        ),
        (
            "invalid id",
            "POST",
            Some("application/json"),
            br#"{"type":"task.completed","payload":{"task_id":"nope"}}"#.to_vec(),
            422,
            "invalid_value",
            Some("payload.task_id"),
        ),
        (
            "invalid event id",
            "POST",
            Some("application/json"),
            br#"{"type":"user.message","payload":{"text":"a"},"event_id":"123"}"#.to_vec(),
            422,
            "invalid_value",
            Some("event_id"),
        ),
        (
            "invalid date",
            "POST",
            Some("application/json"),
            br#"{"type":"plan.requested","payload":{"date":"2026-13-01"}}"#.to_vec(),
            422,
            "invalid_value",
            Some("payload.date"),
        ),
        (
            "out of range",
            "POST",
            Some("application/json"),
            br#"{"type":"settings.updated","payload":{"tz_offset_minutes":5000}}"#.to_vec(),
            422,
            "out_of_range",
            Some("payload.tz_offset_minutes"),
        ),
        (
            "wrong content type",
            "POST",
            Some("text/plain"),
            br#"{"type":"user.message","payload":{"text":"a"}}"#.to_vec(),
            415,
            "unsupported_media_type",
            None,
        ),
        (
            "no content type",
            "POST",
            None,
            br#"{"type":"user.message","payload":{"text":"a"}}"#.to_vec(),
            415,
            "unsupported_media_type",
            None,
        ),
        ("wrong method", "PUT", Some("application/json"), b"{}".to_vec(), 405, "method_not_allowed", None),
        (
            "cancel unknown operation",
            "POST",
            Some("application/json"),
            br#"{"type":"llm.cancel","payload":{"operation_id":"0e4c6f0e-55b1-4c8e-9a57-1f3ae1c9b001"}}"#.to_vec(),
            404,
            "operation_not_found",
            Some("payload.operation_id"),
        ),
    ];
    for (name, method, ct, body, status, code, field) in cases {
        let r = u.request(method, "/v1/events", ct, body, Some(&u.token)).await;
        assert_eq!(r.status, status, "{name}: {:?}", r.body);
        assert_eq!(r.body["error"]["code"], code, "{name}");
        assert_eq!(r.body["error"]["field"].as_str(), field, "{name}");
        assert!(r.body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()), "{name}");
    }
    let nf = u.get("/v2/nothing").await;
    assert_eq!((nf.status, nf.body["error"]["code"].as_str()), (404, Some("not_found")));
    let bad_limit = u.get("/v1/events?limit=100000").await;
    assert_eq!((bad_limit.status, bad_limit.body["error"]["field"].as_str()), (400, Some("limit")));
    assert_eq!(u.events().await, before_events, "nothing stored changed");
    assert_eq!(u.snapshot().await, before);
}

#[tokio::test]
async fn snapshot_etag_and_event_paging() {
    let t = Target::start().await;
    let u = t.user("etag");
    for i in 0..5 {
        u.post(json!({"type":"task.created","payload":{"title":format!("t{i}")}})).await;
    }
    let r = u.get("/v1/snapshot").await;
    let etag = r.headers["etag"].to_str().unwrap().to_string();
    let conditional = |etag: String| {
        let req = u.http.get(format!("{}/v1/snapshot", u.base)).bearer_auth(&u.token).header("if-none-match", etag);
        async move { req.send().await.unwrap().status().as_u16() }
    };
    assert_eq!(conditional(etag.clone()).await, 304);
    u.post(json!({"type":"task.created","payload":{"title":"changes the tag"}})).await;
    assert_eq!(conditional(etag).await, 200);
    let page = u.get("/v1/events?after=2&limit=2").await;
    let seqs: Vec<u64> = page.body["events"].as_array().unwrap().iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, [3, 4]);
    assert_eq!((page.body["next_after"].as_u64(), page.body["more"].as_bool()), (Some(4), Some(true)));
}

#[tokio::test]
async fn a_model_failure_mid_stream_is_recorded_then_retried_with_backoff() {
    let t = Target::start().await;
    let u = t.user("retry");
    let mut ws = u.stream(&Cursor::default()).await;
    // Both stand-ins break a stream whose prompt says [[fail]], once.
    let r = u.post(json!({"type":"user.message","payload":{"text":"[[fail]] then answer"}})).await;
    let op = r.body["operation_id"].as_str().unwrap().to_string();
    let mut seen = Seen::default();
    ws.read_until(&mut seen, has_reply).await;
    assert_eq!(final_tokens(&seen, &op), reply_text(&seen), "the client keeps the final attempt's tokens");
    let events = u.events().await;
    let kinds: Vec<String> = events
        .iter()
        .filter(|e| e["type"].as_str().unwrap().starts_with("llm.") && e["type"] != "llm.checkpoint")
        .map(|e| format!("{} {}", e["type"].as_str().unwrap(), e["payload"]["attempt"]))
        .collect();
    assert_eq!(
        kinds,
        ["llm.started 1", "llm.failed 1", "llm.retry_scheduled 2", "llm.started 2", "llm.completed 2"],
        "{events:?}"
    );
    let failed = events.iter().find(|e| e["type"] == "llm.failed").unwrap();
    assert_eq!(
        (failed["payload"]["code"].as_str(), failed["payload"]["terminal"].as_bool()),
        (Some("provider"), Some(false))
    );
    let retry_at =
        events.iter().find(|e| e["type"] == "llm.retry_scheduled").unwrap()["payload"]["at"].as_u64().unwrap();
    let started = events.iter().filter(|e| e["type"] == "llm.started").nth(1).unwrap()["timestamp"].as_u64().unwrap();
    assert!(started >= retry_at, "the retry waits for its backoff");
    ws.close().await;
}

#[tokio::test]
async fn a_long_backlog_comes_in_parts_and_the_client_resumes_for_each() {
    let t = Target::start().await;
    let u = t.user("backlog");
    // 80 tasks of about 4 KB: more than one subscriber's bound (256 KiB).
    let notes = "n".repeat(4_000);
    for i in 0..80 {
        let r = u.post(json!({"type":"task.created","payload":{"title":format!("task {i}"),"notes":notes}})).await;
        assert_eq!(r.status, 202, "{:?}", r.body);
    }
    let mut seen = Seen::default();
    let mut parts = 0;
    while seen.cursor.after < Seq(80) {
        let mut ws = u.stream(&seen.cursor).await;
        parts += 1;
        let before = seen.cursor.after;
        if parts == 1 {
            assert_eq!(ws.read_to_close(&mut seen).await, 4000, "the first part ends with 'resume from your cursor'");
        } else {
            ws.read_until(&mut seen, |s| s.cursor.after >= Seq(80)).await;
            ws.close().await;
        }
        assert!(seen.cursor.after > before, "every part moves the client on");
    }
    assert!(parts >= 2, "{parts} parts");
    let created = seen.events.iter().filter(|e| e["type"] == "task.created").count();
    assert_eq!(created, 80, "every event exactly once over {parts} connections");
}

#[tokio::test]
async fn streams_close_with_documented_codes() {
    let t = Target::start().await;
    let u = t.user("codes");
    // A token that expires in about a second: the open stream is closed then.
    let user = UserId::parse(&format!("codes-{}", &uuid::Uuid::new_v4().simple().to_string()[..10])).unwrap();
    let short = sign_token(&t.secret, &user, Timestamp(now_ms()), Timestamp(now_ms() + 1_500));
    let mut ws = u.stream_with(&short, &Cursor::default()).await;
    let started = Instant::now();
    assert_eq!(ws.read_to_close(&mut Seen::default()).await, 4001, "token expired");
    assert!(started.elapsed() < Duration::from_secs(5));
    // At most 16 subscribers per user: the 17th is closed at once.
    let mut open = Vec::new();
    for _ in 0..16 {
        open.push(u.stream(&Cursor::default()).await);
    }
    // Every one of them is registered once it received a live event (a
    // handshake completes before the service registers the subscriber).
    u.post(json!({"type":"task.created","payload":{"title":"w"}})).await;
    for ws in &mut open {
        ws.read_until(&mut Seen::default(), |s| s.cursor.after == Seq(1)).await;
    }
    let mut extra = u.stream(&Cursor::default()).await;
    assert_eq!(extra.read_to_close(&mut Seen::default()).await, 4029, "too many subscribers");
    // Another user is not affected; and closing one makes room again.
    let other = t.user("codes-other");
    let mut fine = other.stream(&Cursor::default()).await;
    other.post(json!({"type":"task.created","payload":{"title":"x"}})).await;
    fine.read_until(&mut Seen::default(), |s| s.cursor.after == Seq(1)).await;
    open.pop().unwrap().close().await;
    tokio::time::sleep(Duration::from_millis(200)).await;
    let mut again = u.stream(&Cursor::default()).await;
    u.post(json!({"type":"task.created","payload":{"title":"y"}})).await;
    again.read_until(&mut Seen::default(), |s| s.cursor.after == Seq(2)).await;
}

#[tokio::test]
async fn a_batch_that_fails_midway_leaves_nothing_of_it() {
    let mut t = Target::faulty().await;
    let u = t.user("atomic");
    // The reply is completed by a batch of two rows (llm.completed and the
    // reply): its second row fails once. Atomic, neither is stored; the
    // service restores from storage and the reply completes on a new attempt.
    assert_eq!(u.post(json!({"type":"user.message","payload":{"text":"hello"}})).await.status, 202);
    u.wait_for("the reply", |s| {
        s["state"]["messages"].as_array().unwrap().len() == 2 && s["state"]["operations"].as_array().unwrap().is_empty()
    })
    .await;
    t.restart().await;
    let events = u.events().await;
    let types: Vec<&str> = events.iter().map(|e| e["type"].as_str().unwrap()).collect();
    assert_eq!(types.iter().filter(|t| **t == "llm.completed").count(), 1, "{types:?}");
    assert_eq!(types.iter().filter(|t| **t == "llm.started").count(), 2, "the failed batch was retried: {types:?}");
    for (i, e) in events.iter().enumerate() {
        if e["type"] == "llm.completed" {
            let next = &events[i + 1];
            assert_eq!(next["type"], "assistant.message", "a completion is stored with its reply: {types:?}");
            assert_eq!(next["operation_id"], e["operation_id"]);
        }
    }
    let seqs: Vec<u64> = events.iter().map(|e| e["seq"].as_u64().unwrap()).collect();
    assert_eq!(seqs, (1..=seqs.len() as u64).collect::<Vec<_>>(), "no gap in the log");
    assert_eq!(u.snapshot().await["state"]["messages"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn events_sent_over_the_stream_are_acknowledged_like_posts() {
    let t = Target::start().await;
    let u = t.user("socket");
    let mut ws = u.stream(&Cursor::default()).await;
    // Reads until an answer frame, checking every other frame on the way.
    async fn answer(ws: &mut Ws, seen: &mut Seen) -> Value {
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(20), ws.ws.next()).await.unwrap().unwrap().unwrap();
            let Message::Text(text) = msg else { continue };
            let v: Value = serde_json::from_str(&text).unwrap();
            match v["frame"].as_str().unwrap() {
                "ack" | "error" => return v,
                _ => {
                    assert_eq!(seen.cursor.accept(&frame_of(&v)), Ok(Delivery::New), "{v}");
                    if v["frame"] == "event" {
                        seen.events.push(v["event"].clone());
                    }
                }
            }
        }
    }
    let mut seen = Seen::default();
    let send = |body: Value| Message::Text(body.to_string().into());
    let task = json!({"type":"task.created","payload":{"title":"by socket"},"client_action_id":"sock-1"});
    ws.ws.send(send(task.clone())).await.unwrap();
    let ack = answer(&mut ws, &mut seen).await;
    assert_eq!(
        (ack["frame"].as_str(), ack["seq"].as_u64(), ack["duplicate"].as_bool()),
        (Some("ack"), Some(1), Some(false))
    );
    assert_eq!(seen.events.len(), 1, "the event's own frame came first");
    assert_eq!(seen.events[0]["event_id"], ack["event_id"]);
    // The same client action again: the original answer, marked duplicate.
    ws.ws.send(send(task)).await.unwrap();
    let again = answer(&mut ws, &mut seen).await;
    assert_eq!((again["event_id"].clone(), again["duplicate"].as_bool()), (ack["event_id"].clone(), Some(true)));
    // Bad input: the error a POST would get, with its status and field.
    ws.ws.send(send(json!({"type":"task.created","payload":{"title":""}}))).await.unwrap();
    let refused = answer(&mut ws, &mut seen).await;
    assert_eq!((refused["frame"].as_str(), refused["status"].as_u64()), (Some("error"), Some(422)));
    assert_eq!(refused["error"]["field"], "payload.title");
    ws.ws.send(Message::Text("{not json".into())).await.unwrap();
    assert_eq!(answer(&mut ws, &mut seen).await["error"]["code"], "malformed_json");
    // A chat message over the socket starts its reply, streamed on the same socket.
    ws.ws.send(send(json!({"type":"user.message","payload":{"text":"hello over the socket"}}))).await.unwrap();
    let chat = answer(&mut ws, &mut seen).await;
    assert!(chat["operation_id"].is_string(), "{chat}");
    ws.read_until(&mut seen, has_reply).await;
    // The socket and HTTP agree.
    let snapshot = u.snapshot().await;
    assert_eq!(snapshot["state"]["tasks"][0]["title"], "by socket");
    assert_eq!(snapshot["state"]["messages"].as_array().unwrap().len(), 2);
    ws.close().await;
}

/// A token signed with the target's secret under `policy` (any lifetime).
fn token_with(t: &Target, user: &UserId, policy: Policy, issued: u64, expires: u64) -> String {
    Keys::new(&t.secret).with_policy(policy).sign(user, Timestamp(issued), Timestamp(expires))
}

fn unbounded() -> Policy {
    Policy { max_lifetime_s: None, ..Policy::default() }
}

#[tokio::test]
async fn a_token_lives_at_most_30_days_and_is_never_issued_in_the_future() {
    let t = Target::start().await;
    let u = t.user("lifetime");
    let now = now_ms();
    let day = 86_400_000;
    let refusal =
        |r: Reply| (r.status, r.body["error"]["code"].as_str().map(String::from), r.body["error"]["message"].clone());
    let forever = token_with(&t, &u.id, unbounded(), now, now + 31 * day);
    let (status, code, message) = refusal(u.request("GET", "/v1/snapshot", None, Vec::new(), Some(&forever)).await);
    assert_eq!((status, code.as_deref()), (401, Some("unauthorized")));
    assert!(message.as_str().unwrap().contains("lifetime"), "{message}");
    let future = token_with(&t, &u.id, unbounded(), now + 10 * 60_000, now + day);
    let (status, _, message) = refusal(u.request("GET", "/v1/snapshot", None, Vec::new(), Some(&future)).await);
    assert_eq!(status, 401);
    assert!(message.as_str().unwrap().contains("future"), "{message}");
    // 30 days exactly is fine, and so is a few seconds of clock skew.
    let month = token_with(&t, &u.id, unbounded(), now, now + 30 * day);
    assert_eq!(u.request("GET", "/v1/snapshot", None, Vec::new(), Some(&month)).await.status, 200);
    let skewed = token_with(&t, &u.id, unbounded(), now + 5_000, now + day);
    assert_eq!(u.request("GET", "/v1/snapshot", None, Vec::new(), Some(&skewed)).await.status, 200);
}

#[tokio::test]
async fn a_configured_audience_and_issuer_are_required_and_issued() {
    let env = [("MICROCOS_TOKEN_AUDIENCE", "blackbox.example"), ("MICROCOS_TOKEN_ISSUER", "blackbox")];
    let Some(t) = Target::local_with(&env).await else { return };
    let u = t.user("audience");
    assert_eq!(u.get("/v1/snapshot").await.status, 401, "a token without aud and iss");
    let mut token = tokio::process::Command::new(env!("CARGO_BIN_EXE_microcos"));
    let out = token
        .args(["token", u.id.as_str(), "--data"])
        .arg(t.data.as_ref().unwrap())
        .env("MICROCOS_SECRET", SECRET)
        .envs(env)
        .output()
        .await
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let issued = String::from_utf8(out.stdout).unwrap();
    let r = u.request("GET", "/v1/snapshot", None, Vec::new(), Some(issued.trim())).await;
    assert_eq!(r.status, 200, "microcos token issues what the service requires: {:?}", r.body);
    let other = Policy { audience: Some("elsewhere".into()), issuer: Some("blackbox".into()), ..Policy::default() };
    let elsewhere = token_with(&t, &u.id, other, now_ms(), now_ms() + 60_000);
    let r = u.request("GET", "/v1/snapshot", None, Vec::new(), Some(&elsewhere)).await;
    assert_eq!(r.status, 401);
    assert!(r.body["error"]["message"].as_str().unwrap().contains("aud"), "{:?}", r.body);
}

#[tokio::test]
async fn a_revoked_token_is_refused_and_its_stream_closed() {
    let t = Target::start().await;
    let u = t.user("revoked");
    assert_eq!(u.post(json!({"type":"task.created","payload":{"title":"before"}})).await.status, 202);
    let mut ws = u.stream(&Cursor::default()).await;
    let mut seen = Seen::default();
    ws.read_until(&mut seen, |s| s.cursor.after == Seq(1)).await;
    let other = t.user("not-revoked");
    if !t.revoke(&u.id).await {
        return; // a URL without MICROCOS_BLACKBOX_ADMIN_SECRET
    }
    let r = u.get("/v1/snapshot").await;
    assert_eq!((r.status, r.body["error"]["code"].as_str()), (401, Some("unauthorized")));
    assert!(r.body["error"]["message"].as_str().unwrap().starts_with("token revoked"), "{:?}", r.body);
    assert_eq!(u.post(json!({"type":"task.created","payload":{"title":"after"}})).await.status, 401);
    // The open stream closes (the local service rechecks every 5 s).
    let started = Instant::now();
    assert_eq!(ws.read_to_close(&mut seen).await, 4001, "token revoked");
    assert!(started.elapsed() < Duration::from_secs(10));
    // Another user is not affected, and a new token works: nothing was lost.
    assert_eq!(other.get("/v1/snapshot").await.status, 200);
    let fresh = sign_token(&t.secret, &u.id, Timestamp(now_ms()), Timestamp(now_ms() + 60_000));
    let r = u.request("GET", "/v1/snapshot", None, Vec::new(), Some(&fresh)).await;
    assert_eq!(r.status, 200, "{:?}", r.body);
    assert_eq!(r.body["state"]["tasks"][0]["title"], "before");
}

#[tokio::test]
async fn api_answers_are_never_cached_and_the_app_keeps_its_etag() {
    let t = Target::start().await;
    let u = t.user("cache");
    let no_store = |r: &Reply| r.headers.get("cache-control").map(|v| v.to_str().unwrap().to_string());
    for path in ["/v1/snapshot", "/v1/events", "/healthz"] {
        let r = u.get(path).await;
        assert_eq!((r.status, no_store(&r).as_deref()), (200, Some("no-store")), "{path}");
    }
    let refused = u.request("GET", "/v1/snapshot", None, Vec::new(), None).await;
    assert_eq!((refused.status, no_store(&refused).as_deref()), (401, Some("no-store")));
    let posted = u.post(json!({"type":"task.created","payload":{"title":"x"}})).await;
    assert_eq!(no_store(&posted).as_deref(), Some("no-store"));
    let app = u.request("GET", "/", None, Vec::new(), None).await;
    if app.status == 200 {
        assert!(app.headers.get("etag").is_some());
        assert_ne!(no_store(&app).as_deref(), Some("no-store"), "the web app's files have their own caching");
    }
}

/// The web app's files, on both transports: the index revalidates and names
/// content-hashed files, which are cached for good; each comes in a coding
/// the request accepts (the local service sends its precompressed brotli or
/// gzip, with `vary`; the Worker identity, Cloudflare compressing at its
/// edge); a `HEAD` and a 304 still work.
#[tokio::test]
async fn the_app_s_hashed_files_are_cached_for_good_in_a_coding_the_browser_takes() {
    let t = Target::start().await;
    let local = t.data.is_some();
    let http = reqwest::Client::new();
    let fetch = |method: reqwest::Method, path: &str, headers: &[(&str, &str)]| {
        let mut req = http.request(method, format!("{}{path}", t.base));
        for (k, v) in headers {
            req = req.header(*k, *v);
        }
        async move {
            let r = req.send().await.expect("request");
            let headers = r.headers().clone();
            (r.status().as_u16(), headers, r.bytes().await.unwrap().to_vec())
        }
    };
    let value = |h: &reqwest::header::HeaderMap, name: &str| h.get(name).map(|v| v.to_str().unwrap().to_string());
    let embedded = |name: &str| microcos::WEB_FILES.iter().find(|(n, _)| *n == name).map(|(_, b)| b.to_vec());

    let (status, headers, index) = fetch(reqwest::Method::GET, "/", &[("accept-encoding", "identity")]).await;
    assert_eq!(status, 200);
    assert_eq!(value(&headers, "cache-control").as_deref(), Some("no-cache"));
    assert_eq!(index, embedded("index.html").unwrap());
    let etag = value(&headers, "etag").unwrap();
    let (status, headers, body) =
        fetch(reqwest::Method::GET, "/", &[("accept-encoding", "identity"), ("if-none-match", &etag)]).await;
    assert_eq!((status, body.len()), (304, 0));
    assert_eq!(value(&headers, "cache-control").as_deref(), Some("no-cache"));

    let index = String::from_utf8(index).unwrap();
    let mut names: Vec<String> = index
        .split(['"', '\'', ' ', '>', '='])
        .filter(|w| microcos_host::web::content_hashed(w))
        .map(str::to_string)
        .collect();
    assert_eq!(names.len(), 2, "index.html names the script and the style sheet: {names:?}");
    let wasm = microcos::WEB_FILES.iter().map(|(n, _)| *n).find(|n| n.ends_with(".wasm")).unwrap();
    names.push(wasm.to_string());
    for name in &names {
        let path = format!("/{name}");
        let identity = embedded(name).unwrap();
        for (accept, coding) in [
            ("gzip, deflate, br, zstd", "br"),
            ("br;q=0, gzip", "gzip"),
            ("br;q=0, gzip;q=0", "identity"),
            ("", "identity"),
        ] {
            let asked: &[(&str, &str)] = if accept.is_empty() { &[] } else { &[("accept-encoding", accept)] };
            let (status, headers, body) = fetch(reqwest::Method::GET, &path, asked).await;
            assert_eq!(status, 200, "{name} {accept}");
            assert_eq!(
                value(&headers, "cache-control").as_deref(),
                Some("public, max-age=31536000, immutable"),
                "{name} {accept}"
            );
            let sent = value(&headers, "content-encoding").unwrap_or("identity".into());
            if local {
                assert_eq!(sent, coding, "{name} {accept}");
                assert_eq!(value(&headers, "vary").as_deref(), Some("accept-encoding"), "{name}");
                let suffix = microcos_host::web::Encoding::COMPRESSED
                    .into_iter()
                    .find(|e| e.token() == coding)
                    .map_or("", |e| e.suffix());
                assert_eq!(body, embedded(&format!("{name}{suffix}")).unwrap(), "{name} {accept}");
            } else {
                assert!(sent == "identity" || accept.contains(&sent), "{name} {accept}: {sent}");
                if sent == "identity" {
                    assert_eq!(body, identity, "{name} {accept}");
                }
            }
            let etag = value(&headers, "etag").unwrap();
            let mut conditional = asked.to_vec();
            conditional.push(("if-none-match", &etag));
            let (status, headers, body) = fetch(reqwest::Method::GET, &path, &conditional).await;
            assert_eq!((status, body.len()), (304, 0), "{name} {accept}");
            assert_eq!(value(&headers, "etag").as_deref(), Some(etag.as_str()), "{name} {accept}");
        }
        let (status, headers, body) = fetch(reqwest::Method::HEAD, &path, &[("accept-encoding", "identity")]).await;
        assert_eq!((status, body.len()), (200, 0), "HEAD {name}");
        assert!(value(&headers, "content-type").is_some(), "HEAD {name}");
        if local {
            assert_eq!(value(&headers, "content-length"), Some(identity.len().to_string()), "HEAD {name}");
        }
    }
    let (status, _, _) = fetch(reqwest::Method::GET, "/app.0123abcd.js", &[]).await;
    assert_eq!(status, 404, "a hashed name the app does not hold");
}

#[tokio::test]
async fn a_seq_past_the_largest_a_store_holds_is_refused_naming_after() {
    let t = Target::start().await;
    let u = t.user("after");
    u.post(json!({"type":"task.created","payload":{"title":"x"}})).await;
    for after in ["9223372036854775808", "18446744073709551615"] {
        let r = u.get(&format!("/v1/events?after={after}")).await;
        assert_eq!(
            (r.status, r.body["error"]["code"].as_str(), r.body["error"]["field"].as_str()),
            (400, Some("bad_request"), Some("after")),
            "after={after}: {:?}",
            r.body
        );
    }
    let last = u.get("/v1/events?after=9223372036854775807").await;
    assert_eq!((last.status, last.body["events"].as_array().map(Vec::len)), (200, Some(0)));
}

#[tokio::test]
async fn a_binary_frame_is_answered_with_an_error_frame_and_the_stream_stays_open() {
    let t = Target::start().await;
    let u = t.user("binary");
    let mut ws = u.stream(&Cursor::default()).await;
    ws.ws.send(Message::Binary(br#"{"type":"task.created","payload":{"title":"bin"}}"#.to_vec().into())).await.unwrap();
    let answer = loop {
        let msg =
            tokio::time::timeout(Duration::from_secs(10), ws.ws.next()).await.expect("an answer").unwrap().unwrap();
        if let Message::Text(text) = msg {
            break serde_json::from_str::<Value>(&text).unwrap();
        }
    };
    assert_eq!(
        (answer["frame"].as_str(), answer["status"].as_u64(), answer["error"]["code"].as_str()),
        (Some("error"), Some(415), Some("unsupported_media_type")),
        "{answer}"
    );
    assert!(u.snapshot().await["state"]["tasks"].as_array().unwrap().is_empty(), "nothing was recorded");
    // Still open: a text frame is accepted.
    ws.ws
        .send(Message::Text(json!({"type":"task.created","payload":{"title":"text"}}).to_string().into()))
        .await
        .unwrap();
    let mut seen = Seen::default();
    ws.read_until(&mut seen, |s| s.cursor.after == Seq(1)).await;
    ws.close().await;
}

/// The heartbeat, on both transports: the text frame `ping` is answered
/// `pong` at once (the Worker's object through the runtime's auto-response),
/// in order with the other answers; it stores nothing, is never refused nor
/// counted against the stream, which stays open.
#[tokio::test]
async fn a_ping_on_the_stream_is_answered_pong_and_nothing_else() {
    let t = Target::start().await;
    let u = t.user("heartbeat");
    let mut ws = u.stream(&Cursor::default()).await;
    async fn next_text(ws: &mut Ws) -> String {
        match tokio::time::timeout(Duration::from_secs(10), ws.ws.next()).await.expect("an answer").unwrap().unwrap() {
            Message::Text(text) => text.to_string(),
            other => panic!("only text frames on the stream: {other:?}"),
        }
    }
    // More pings than the refusals that close a stream: none is one.
    for _ in 0..30 {
        ws.ws.send(Message::Text("ping".into())).await.unwrap();
        assert_eq!(next_text(&mut ws).await, "pong");
    }
    ws.ws
        .send(Message::Text(json!({"type":"task.created","payload":{"title":"after the pings"}}).to_string().into()))
        .await
        .unwrap();
    ws.ws.send(Message::Text("ping".into())).await.unwrap();
    let mut answers = Vec::new();
    while answers.last().map(String::as_str) != Some("pong") {
        answers.push(next_text(&mut ws).await);
    }
    let frames: Vec<Value> = answers[..answers.len() - 1].iter().map(|a| serde_json::from_str(a).unwrap()).collect();
    assert_eq!(
        frames.iter().map(|f| f["frame"].as_str().unwrap()).collect::<Vec<_>>(),
        ["event", "ack"],
        "the event's frame and its ack, then the pong: {answers:?}"
    );
    let tasks = u.snapshot().await["state"]["tasks"].clone();
    assert_eq!(tasks.as_array().unwrap().len(), 1, "only the event was stored: {tasks}");
    // A ping is exact: anything else is an event, refused as one.
    ws.ws.send(Message::Text("ping ".into())).await.unwrap();
    let refused: Value = serde_json::from_str(&next_text(&mut ws).await).unwrap();
    assert_eq!((refused["frame"].as_str(), refused["status"].as_u64()), (Some("error"), Some(400)), "{refused}");
    ws.close().await;
}

#[tokio::test]
async fn a_stream_that_keeps_sending_while_rate_limited_is_closed_with_its_code() {
    let t = Target::start().await;
    let u = t.user("flood");
    let mut ws = u.stream(&Cursor::default()).await;
    // Past the burst (120) faster than the rate (20/s) refills it.
    let sent = 240;
    for i in 0..sent {
        let event = json!({"type":"task.created","payload":{"title":format!("flood {i}")}});
        ws.ws.send(Message::Text(event.to_string().into())).await.unwrap();
    }
    let (mut acks, mut refused) = (0u32, 0u32);
    let code = loop {
        let msg = tokio::time::timeout(Duration::from_secs(20), ws.ws.next()).await.expect("in time").expect("open");
        match msg.unwrap() {
            Message::Text(text) => {
                let v: Value = serde_json::from_str(&text).unwrap();
                match v["frame"].as_str() {
                    Some("ack") => acks += 1,
                    Some("error") => {
                        assert_eq!(
                            (v["status"].as_u64(), v["error"]["code"].as_str()),
                            (Some(429), Some("rate_limited"))
                        );
                        assert!(v["error"]["retry_after_ms"].as_u64().is_some(), "{v}");
                        refused += 1;
                    }
                    _ => {}
                }
            }
            Message::Close(frame) => break frame.map_or(1005, |f| u16::from(f.code)),
            _ => {}
        }
    };
    assert_eq!(code, microcos_host::edge::close::RATE_LIMITED);
    assert!(acks >= 120, "the burst was accepted: {acks}");
    // Each refusal counts one up, each later ack one down (never below zero).
    assert!(refused >= microcos_host::edge::STREAM_REFUSALS_BEFORE_CLOSE, "closed after enough refusals: {refused}");
    assert!(acks + refused < sent, "closed before all {sent} were answered");
    // What was accepted is stored; the user reconnects and is served.
    let tasks = u.snapshot().await["state"]["tasks"].as_array().unwrap().len();
    assert_eq!(tasks as u32, acks, "every ack is a stored task, and nothing after the close was recorded");
    let mut ws = u.stream(&Cursor::default()).await;
    let mut seen = Seen::default();
    ws.read_until(&mut seen, |s| s.cursor.after == Seq(u64::from(acks))).await;
    ws.close().await;
}

/// Runs the local binary with `args` and `env`: (exit code, stderr).
async fn microcos(args: &[&str], env: &[(&str, &str)]) -> (i32, String) {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_microcos"))
        .args(args)
        .env_remove("MICROCOS_SECRET")
        .envs(env.iter().copied())
        .output()
        .await
        .unwrap();
    (out.status.code().unwrap_or(-1), String::from_utf8_lossy(&out.stderr).into_owned())
}

#[tokio::test]
async fn secrets_are_refused_on_the_command_line_and_when_trivially_guessable() {
    if std::env::var_os("MICROCOS_BLACKBOX_URL").is_some() {
        return; // the local command line only
    }
    let dir = std::env::temp_dir().join(format!("microcos-cli-{}", uuid::Uuid::new_v4().simple()));
    let data = dir.to_str().unwrap();
    let (code, err) = microcos(&["load", "--url", "http://127.0.0.1:9", "--secret", SECRET], &[]).await;
    assert_eq!(code, 2, "{err}");
    assert!(
        err.contains("--secret is refused") && err.contains("MICROCOS_SECRET") && err.contains("--secret-file"),
        "{err}"
    );
    let (code, err) =
        microcos(&["serve", "--data", data, "--openai-base-url", "http://m", "--openai-api-key", "k"], &[]).await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("MICROCOS_OPENAI_API_KEY"), "{err}");
    // 32 times one character: long enough, and guessable.
    let weak = "x".repeat(32);
    let (code, err) =
        microcos(&["serve", "--data", data, "--addr", "127.0.0.1:0"], &[("MICROCOS_SECRET", weak.as_str())]).await;
    assert_ne!(code, 0);
    assert!(err.contains("trivially guessable"), "{err}");
    let (code, err) = microcos(&["token", "alice", "--data", data], &[("MICROCOS_SECRET", weak.as_str())]).await;
    assert_ne!(code, 0);
    assert!(err.contains("trivially guessable"), "{err}");
    // A lifetime that would overflow is a clear error, not a wrapped expiry.
    let (code, err) = microcos(&["token", "alice", "--data", data, "--ttl-hours", "18446744073709551615"], &[]).await;
    assert_eq!(code, 2, "{err}");
    assert!(err.contains("--ttl-hours") && err.contains("too large"), "{err}");
    let _ = std::fs::remove_dir_all(dir);
}

#[tokio::test]
async fn a_reply_regenerates_the_conversation_clears_and_a_done_task_reopens() {
    let t = Target::start().await;
    let u = t.user("regen");
    let mut ws = u.stream(&Cursor::default()).await;
    // The stand-in answers "show markdown" with Markdown (and HTML a client must not run).
    let r = u.post(json!({"type":"user.message","payload":{"text":"show markdown please"}})).await;
    assert_eq!(r.status, 202, "{:?}", r.body);
    let mut seen = Seen::default();
    ws.read_until(&mut seen, has_reply).await;
    let expected =
        format!("{} {}", microcos_assistant::stand_in::STAND_IN_NAME, microcos_assistant::stand_in::MARKDOWN_SAMPLE);
    assert_eq!(reply_text(&seen), expected, "both stand-ins give the same Markdown");

    let again = u.post(json!({"type":"chat.regenerate","payload":{}})).await;
    assert_eq!(again.status, 202, "{:?}", again.body);
    let op = again.body["operation_id"].as_str().unwrap().to_string();
    let busy = u.post(json!({"type":"chat.cleared","payload":{}})).await;
    assert_eq!((busy.status, busy.body["error"]["code"].as_str()), (409, Some("chat_busy")));
    let replaced = u.snapshot().await;
    assert_eq!(replaced["state"]["messages"].as_array().unwrap().len(), 1, "the old reply left: {replaced}");
    u.wait_for("the regenerated reply", |s| s["state"]["messages"].as_array().unwrap().len() == 2).await;
    let events = u.events().await;
    let by_op = events.iter().filter(|e| e["type"] == "assistant.message" && e["operation_id"] == op.as_str());
    assert_eq!(by_op.count(), 1, "the regenerated reply is the new operation's");
    let s = u.snapshot().await;
    let messages = s["state"]["messages"].as_array().unwrap();
    assert_eq!(messages[0]["text"], "show markdown please");
    assert_eq!(messages[1]["text"].as_str(), Some(expected.as_str()), "one reply, the new one");

    assert_eq!(u.post(json!({"type":"chat.cleared","payload":{}})).await.status, 202);
    assert!(u.snapshot().await["state"]["messages"].as_array().unwrap().is_empty());
    let none = u.post(json!({"type":"chat.regenerate","payload":{}})).await;
    assert_eq!((none.status, none.body["error"]["code"].as_str()), (409, Some("nothing_to_regenerate")));

    let id = "7a5c0000-0000-4000-8000-0000000000ab";
    assert_eq!(u.post(json!({"type":"task.created","payload":{"task_id":id,"title":"Undo me"}})).await.status, 202);
    assert_eq!(u.post(json!({"type":"task.completed","payload":{"task_id":id}})).await.status, 202);
    assert_eq!(u.post(json!({"type":"task.reopened","payload":{"task_id":id}})).await.status, 202);
    assert_eq!(u.snapshot().await["state"]["tasks"][0]["status"], "open");
    ws.close().await;
}
