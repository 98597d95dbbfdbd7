//! Streaming figures against a running service (the Worker in workerd, with
//! the e2e Workers AI stand-in, which answers `[[tokens:N]] [[delay:D]]` with
//! N tokens D ms apart): per chat turn, the time from the POST to the first
//! and the last token frame, tokens per second, and how long a second POST
//! (`task.created`, sent as soon as the chat message is accepted) waits for
//! its answer while the reply streams, against the same POST with nothing
//! streaming.
//!
//! ```text
//! scripts/e2e-workerd figures        # runs this against the Worker
//! cargo run --release --example stream_figures -- --url http://127.0.0.1:8788 --secret <s> [--tokens 200] [--delay 0] [--turns 10] [--over-socket]
//! ```

#![allow(clippy::unwrap_used, clippy::print_stdout)] // a measuring tool: a failed step is a failed run

use std::time::{Duration, Instant};

use futures_util::{SinkExt, StreamExt};
use microcos_core::{Timestamp, UserId};
use microcos_host::auth::sign_token;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::client::IntoClientRequest;
use tokio_tungstenite::tungstenite::Message;

fn arg(name: &str) -> Option<String> {
    let args: Vec<String> = std::env::args().collect();
    args.iter().position(|a| a == name).and_then(|i| args.get(i + 1).cloned())
}

fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64
}

fn percentile(values: &mut [f64], p: f64) -> f64 {
    values.sort_by(f64::total_cmp);
    values[((values.len() - 1) as f64 * p).round() as usize]
}

async fn post(http: &reqwest::Client, base: &str, token: &str, body: Value) -> (u16, Value, f64) {
    let started = Instant::now();
    let r = http
        .post(format!("{base}/v1/events"))
        .bearer_auth(token)
        .header("content-type", "application/json")
        .body(body.to_string())
        .send()
        .await
        .unwrap();
    let status = r.status().as_u16();
    let body: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap_or(Value::Null);
    (status, body, started.elapsed().as_secs_f64() * 1000.0)
}

#[tokio::main]
async fn main() {
    let base = arg("--url").expect("--url").trim_end_matches('/').to_string();
    let secret = arg("--secret").expect("--secret");
    let tokens: usize = arg("--tokens").map_or(200, |n| n.parse().unwrap());
    let delay: u64 = arg("--delay").map_or(0, |n| n.parse().unwrap());
    let turns: usize = arg("--turns").map_or(10, |n| n.parse().unwrap());
    let over_socket = std::env::args().any(|a| a == "--over-socket");
    let user = UserId::parse(&format!("figures-{}", now_ms() % 1_000_000)).unwrap();
    let token = sign_token(secret.as_bytes(), &user, Timestamp(now_ms()), Timestamp(now_ms() + 3_600_000));
    let http = reqwest::Client::new();

    let url = format!("{}/v1/stream?after=0", base.replacen("http", "ws", 1));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert("sec-websocket-protocol", format!("microcos, bearer.{token}").parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();

    let (mut first, mut last, mut per_s, mut during, mut idle) = (vec![], vec![], vec![], vec![], vec![]);
    for turn in 0..=turns {
        // A POST with nothing streaming, for comparison.
        let (status, _, ms) =
            post(&http, &base, &token, json!({"type":"task.created","payload":{"title":"idle"}})).await;
        assert_eq!(status, 202);
        let text = format!("[[tokens:{tokens}]] [[delay:{delay}]] turn {turn}");
        let message = json!({"type":"user.message","payload":{"text":text}});
        let started = Instant::now();
        let accepted = if over_socket {
            // Sent on the open stream: no HTTP round trip; the ack frame carries what the 202 does.
            ws.send(Message::Text(message.to_string().into())).await.unwrap();
            loop {
                let msg = tokio::time::timeout(Duration::from_secs(30), ws.next()).await.unwrap().unwrap().unwrap();
                let Message::Text(frame) = msg else { continue };
                let v: Value = serde_json::from_str(&frame).unwrap();
                if v["frame"] == "ack" {
                    break v;
                }
                assert_ne!(v["frame"], "error", "{v}");
            }
        } else {
            let (status, accepted, _) = post(&http, &base, &token, message).await;
            assert_eq!(status, 202, "{accepted}");
            accepted
        };
        // While the reply streams: how long does another request wait?
        let side = {
            let (http, base, token) = (http.clone(), base.clone(), token.clone());
            tokio::spawn(async move {
                post(&http, &base, &token, json!({"type":"task.created","payload":{"title":"meanwhile"}})).await
            })
        };
        let (mut first_ms, mut seen) = (None, 0usize);
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(30), ws.next()).await.unwrap().unwrap().unwrap();
            let Message::Text(frame) = msg else { continue };
            let v: Value = serde_json::from_str(&frame).unwrap();
            if v["frame"] == "token" && v["operation_id"] == accepted["operation_id"] {
                seen += 1;
                if first_ms.is_none() {
                    first_ms = Some(started.elapsed().as_secs_f64() * 1000.0);
                }
                if seen == tokens {
                    break;
                }
            }
        }
        let last_ms = started.elapsed().as_secs_f64() * 1000.0;
        let (status, _, during_ms) = side.await.unwrap();
        assert_eq!(status, 202);
        if turn == 0 {
            continue; // warm-up
        }
        idle.push(ms);
        first.push(first_ms.unwrap());
        last.push(last_ms);
        per_s.push(tokens as f64 * 1000.0 / last_ms);
        during.push(during_ms);
    }
    println!("stream_turns: {turns}");
    println!("stream_tokens_per_turn: {tokens}");
    println!("stream_delay_ms: {delay}");
    println!("chat_message_sent_over: {}", if over_socket { "the stream" } else { "HTTP POST" });
    println!("first_token_p50_ms: {:.1}", percentile(&mut first, 0.5));
    println!("last_token_p50_ms: {:.1}", percentile(&mut last, 0.5));
    println!("tokens_per_s_p50: {:.0}", percentile(&mut per_s, 0.5));
    println!("post_while_streaming_p50_ms: {:.1}", percentile(&mut during, 0.5));
    println!("post_while_streaming_max_ms: {:.1}", percentile(&mut during, 1.0));
    println!("post_idle_p50_ms: {:.1}", percentile(&mut idle, 0.5));
}
