//! Measures how long a service takes to restore a user with many events:
//! seeds one user with `--events` events, restarts the service with
//! `--restart-cmd`, then times the first snapshot (a cold restore: latest
//! snapshot plus the log tail) against a warm one. Then restarts it again
//! and first sends a request that restores no user (`/healthz`), so that
//! the next snapshot times the user's restore alone, without the service's
//! own start (on workerd: the isolate and its wasm).
//!
//! `cargo run --release --example restore_figure -- --url URL --secret S --events 10000 --restart-cmd CMD`
//! (`scripts/e2e-workerd figures` runs it against the Worker in workerd).

#![allow(clippy::print_stdout, clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, Instant};

use microcos_core::{Timestamp, UserId};
use microcos_host::auth::sign_token;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    let url = arg("--url").expect("--url");
    let secret = arg("--secret").expect("--secret");
    let events: usize = arg("--events").map_or(10_000, |n| n.parse().expect("--events N"));
    let restart = arg("--restart-cmd").expect("--restart-cmd");
    let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
    let user = UserId::parse(&format!("restore-{}", now % 1_000_000)).unwrap();
    let token = sign_token(secret.as_bytes(), &user, Timestamp(now), Timestamp(now + 3_600_000));
    let http = reqwest::Client::new();
    let started = Instant::now();
    for i in 0..events {
        // A realistic mix that keeps the open-task count bounded.
        let task = format!("7a5c0000-0000-4000-8000-{:012x}", i / 3);
        let body = match i % 3 {
            0 => format!(r#"{{"type":"task.created","payload":{{"task_id":"{task}","title":"seed {i}"}}}}"#),
            1 => format!(r#"{{"type":"task.completed","payload":{{"task_id":"{task}"}}}}"#),
            _ => {
                format!(r#"{{"type":"settings.updated","payload":{{"tz_offset_minutes":{}}}}}"#, (i % 600) as i32 - 300)
            }
        };
        let r = http
            .post(format!("{url}/v1/events"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 202, "seeding event {i}");
        if i % 1000 == 999 {
            let per_s = (i + 1) as f64 / started.elapsed().as_secs_f64();
            println!("seeded {} events ({per_s:.0}/s)", i + 1);
        }
    }
    let snapshot = || async {
        let t = Instant::now();
        let r = http.get(format!("{url}/v1/snapshot")).bearer_auth(&token).send().await.unwrap();
        assert_eq!(r.status().as_u16(), 200);
        let body: serde_json::Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        (t.elapsed(), body["seq"].as_u64().unwrap())
    };
    let (warm, seq) = snapshot().await;
    let restart_now = || {
        let status = std::process::Command::new("sh").args(["-c", &restart]).status().unwrap();
        assert!(status.success(), "restart command");
    };
    restart_now();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let (cold, seq_after) = snapshot().await;
    assert_eq!(seq, seq_after, "everything persisted");
    // Again, with the service's own start paid first by a request that
    // restores no user (/healthz): what is left is the user's restore.
    restart_now();
    tokio::time::sleep(Duration::from_millis(200)).await;
    let t = Instant::now();
    let r = http.get(format!("{url}/healthz")).send().await.unwrap();
    assert_eq!(r.status().as_u16(), 200);
    let first = t.elapsed();
    let (restore, seq_after) = snapshot().await;
    assert_eq!(seq, seq_after, "everything persisted");
    println!("events: {seq}");
    println!("warm_snapshot_ms: {:.1}", warm.as_secs_f64() * 1000.0);
    println!("cold_restore_snapshot_ms: {:.1}", cold.as_secs_f64() * 1000.0);
    println!("cold_first_request_healthz_ms: {:.1}", first.as_secs_f64() * 1000.0);
    println!("restore_after_start_snapshot_ms: {:.1}", restore.as_secs_f64() * 1000.0);
}
