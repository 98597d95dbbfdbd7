//! The local actors' lifecycle: idle actors stop, at most `max_actors` live
//! at once, a stopped user wakes for its own work from the wake index, and
//! boot starts only the users with work due.

#![allow(clippy::unwrap_used)] // a test: a failed step is a failed test

use std::time::Duration;

use microcos_core::{Config, Timestamp, UserId};
use microcos_host::auth::sign_token;
use microcos_server::actor::Lifecycle;
use microcos_server::service::{start, Running, ServeOptions};
use serde_json::{json, Value};

mod common;
use common::assistant;

struct Service {
    running: Running<microcos_assistant::Assistant>,
    base: String,
    http: reqwest::Client,
}

async fn serve(data: &std::path::Path, lifecycle: Lifecycle) -> Service {
    let config = Config { retry_base_ms: 2_000, ..Config::default() };
    let opts = ServeOptions {
        addr: "127.0.0.1:0".parse().unwrap(),
        data: data.to_path_buf(),
        token_delay: Duration::from_millis(1),
        config,
        lifecycle,
        ..ServeOptions::default()
    };
    let running = start(&opts, assistant()).await.unwrap();
    let base = format!("http://{}", running.addr);
    Service { running, base, http: reqwest::Client::new() }
}

impl Service {
    fn token(&self, user: &str) -> String {
        // The service bounds lifetimes (30 days by default): an hour from now.
        let now = microcos_core::Clock::now(&microcos_server::SystemClock);
        sign_token(&self.running.secret, &UserId::parse(user).unwrap(), now, Timestamp(now.0 + 3_600_000))
    }

    async fn post(&self, user: &str, body: Value) -> u16 {
        let r = self.http.post(format!("{}/v1/events", self.base)).bearer_auth(self.token(user));
        let r = r.header("content-type", "application/json").body(body.to_string());
        r.send().await.unwrap().status().as_u16()
    }

    async fn events(&self, user: &str) -> Vec<Value> {
        let r = self.http.get(format!("{}/v1/events?limit=1000", self.base)).bearer_auth(self.token(user));
        let body: Value = serde_json::from_str(&r.send().await.unwrap().text().await.unwrap()).unwrap();
        body["events"].as_array().unwrap().clone()
    }

    /// Waits until at most `n` actors live (they stop in the background).
    async fn settle_to(&self, n: usize) {
        for _ in 0..200 {
            if self.running.users.live() <= n {
                return;
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
        panic!("{} actors still live, expected at most {n}", self.running.users.live());
    }
}

fn data_dir(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("microcos-{name}-{}", uuid::Uuid::new_v4().simple()))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn idle_actors_stop_and_the_cap_holds() {
    let data = data_dir("lifecycle");
    let s = serve(&data, Lifecycle { idle: Duration::from_millis(200), max_actors: 3, ..Lifecycle::default() }).await;
    for i in 0..10 {
        let user = format!("u{i}");
        assert_eq!(s.post(&user, json!({"type":"task.created","payload":{"title":"t"}})).await, 202, "{user}");
        assert!(s.running.users.live() <= 3, "{} actors live", s.running.users.live());
    }
    // Everyone is still there after their actor stopped.
    for i in 0..10 {
        assert_eq!(s.events(&format!("u{i}")).await.len(), 1);
    }
    s.settle_to(0).await;
    assert_eq!(s.post("u0", json!({"type":"task.created","payload":{"title":"again"}})).await, 202);
    assert_eq!(s.events("u0").await.len(), 2);
    s.running.task.abort();
    let _ = std::fs::remove_dir_all(data);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_stopped_user_wakes_for_its_retry_and_boot_starts_only_due_users() {
    let data = data_dir("wakes");
    let s = serve(&data, Lifecycle { idle: Duration::from_millis(100), max_actors: 8, ..Lifecycle::default() }).await;
    // A reply that fails mid-stream once: its retry is scheduled 2 s on.
    assert_eq!(s.post("ann", json!({"type":"user.message","payload":{"text":"hi [[fail]]"}})).await, 202);
    assert_eq!(s.post("bob", json!({"type":"task.created","payload":{"title":"nothing due"}})).await, 202);
    // No request reaches ann now: her actor stops while the retry waits, and
    // the wake index starts it again for the retry.
    let posted = std::time::Instant::now();
    s.settle_to(0).await; // both stop while nothing is in flight
    assert!(posted.elapsed() < Duration::from_millis(1_500), "stopped before the retry was due");
    tokio::time::sleep(Duration::from_millis(4_000)).await;
    let asked = microcos_core::Clock::now(&microcos_server::clock::SystemClock);
    let events = s.events("ann").await;
    let done = events.iter().find(|e| e["type"] == "assistant.message").expect("the retried reply is stored");
    assert!(done["timestamp"].as_u64().unwrap() < asked.0, "completed before anyone asked");
    assert!(events.iter().any(|e| e["type"] == "llm.failed"), "the failure is recorded");
    s.settle_to(0).await;
    s.running.task.abort();
    drop(s);

    // A restart: nobody has work due, so no actor starts.
    let s = serve(&data, Lifecycle { idle: Duration::from_secs(60), max_actors: 8, ..Lifecycle::default() }).await;
    tokio::time::sleep(Duration::from_millis(300)).await;
    assert_eq!(s.running.users.live(), 0, "boot opens no database without work due");
    assert_eq!(s.events("bob").await.len(), 1);
    assert_eq!(s.running.users.live(), 1);
    s.running.task.abort();
    let _ = std::fs::remove_dir_all(data);
}

/// With `--durability full` (the default) every user's appends go through
/// the shared group commit: each POST is answered after a shared flush.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn appends_are_made_durable_by_the_shared_group_commit() {
    let data = data_dir("group");
    let s = serve(&data, Lifecycle::default()).await;
    let group = s.running.users.services().group.clone().expect("group commit is on with durability full");
    let before = group.flushes();
    for user in ["gc-a", "gc-b", "gc-c"] {
        assert_eq!(s.post(user, json!({"type": "task.created", "payload": {"title": "t"}})).await, 202);
    }
    assert!(group.flushes() > before, "the appends were flushed by the group commit");
    let _ = std::fs::remove_dir_all(&data);
}
