//! What microcos adds to a real model's first token (issue 19): the time from
//! POSTing a chat message to its first token frame on the stream, against the
//! bare model stream of the same request, and what the difference is made of.
//!
//! It runs the local service in-process against an OpenAI-compatible server
//! through a recording proxy (which notes when each model request arrives and
//! when its first content token comes back), and after each turn sends the
//! request the service made, byte for byte, straight to the model server
//! (paired, so both see the same load), `--turns` times.
//! Before each request of either path an unrelated one clears the model
//! server's prompt cache, so neither starts with the other's prompt cached.
//!
//! ```text
//! scripts/real-model serve 8080 &       # SmolLM2-135M on llama.cpp's Python server
//! cargo run --release --example first_token -- --model http://127.0.0.1:8080/v1 --model-name smollm2 [--turns 10] [--durability full]
//! ```
//!
//! Figures, medians in milliseconds:
//! - `through_microcos_first_token_ms`: POST sent → first token frame.
//! - `bare_model_first_token_ms`: the same request straight to the model → first content token.
//! - `overhead_ms`: their difference, made of
//!   - `post_answered_ms`: POST sent → its 202 (the event durable);
//!   - `to_model_request_ms`: POST sent → the model request arrives at the proxy
//!     (the event durable, `llm.started` durable, the prompt built, the request sent);
//!   - `model_first_token_via_proxy_ms`: model request → first content token, as the proxy saw it;
//!   - `first_token_to_frame_ms`: that token at the proxy → its frame at the client.

#![allow(clippy::unwrap_used, clippy::print_stdout)] // a measuring tool: a failed step is a failed run

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::body::{Body, Bytes};
use axum::extract::State;
use axum::routing::post;
use futures_util::StreamExt;
use microcos_core::{Timestamp, UserId};
use microcos_host::auth::sign_token;
use microcos_server::llm::{Backend, StructuredOutput};
use microcos_server::service::{start, ServeOptions};
use microcos_server::store::Durability;
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

fn median(mut v: Vec<f64>) -> f64 {
    v.sort_by(f64::total_cmp);
    v[v.len() / 2]
}

fn ms(from: Instant, to: Instant) -> f64 {
    to.saturating_duration_since(from).as_secs_f64() * 1000.0
}

/// Whether an SSE chunk of an OpenAI-compatible stream holds a token of text.
fn has_content(chunk: &[u8]) -> bool {
    let text = String::from_utf8_lossy(chunk);
    text.match_indices("\"content\":").any(|(i, m)| {
        let value = text[i + m.len()..].trim_start();
        value.starts_with('"') && !value[1..].starts_with('"')
    })
}

/// One model request the proxy forwarded.
struct Seen {
    body: Bytes,
    arrived: Instant,
    first_token: Option<Instant>,
}

#[derive(Clone)]
struct Proxy {
    upstream: String,
    http: reqwest::Client,
    seen: Arc<Mutex<Vec<Seen>>>,
}

async fn forward(State(p): State<Proxy>, body: Bytes) -> axum::response::Response {
    let arrived = Instant::now();
    let index = {
        let mut seen = p.seen.lock().unwrap();
        seen.push(Seen { body: body.clone(), arrived, first_token: None });
        seen.len() - 1
    };
    let upstream = p
        .http
        .post(format!("{}/chat/completions", p.upstream))
        .header("content-type", "application/json")
        .body(body)
        .send()
        .await
        .unwrap();
    let status = upstream.status().as_u16();
    let seen = p.seen.clone();
    let stream = upstream.bytes_stream().map(move |chunk| {
        if let Ok(bytes) = &chunk {
            let mut seen = seen.lock().unwrap();
            if seen[index].first_token.is_none() && has_content(bytes) {
                seen[index].first_token = Some(Instant::now());
            }
        }
        chunk
    });
    axum::response::Response::builder()
        .status(status)
        .header("content-type", "text/event-stream")
        .body(Body::from_stream(stream))
        .unwrap()
}

/// Evicts the model server's prompt cache (llama.cpp reuses the longest
/// prefix it holds): a short unrelated request, so that neither path starts
/// with the other's prompt in the cache.
async fn flush(http: &reqwest::Client, upstream: &str, model: &str, turn: usize) {
    let body = json!({"model": model, "stream": false, "max_tokens": 1,
        "messages": [{"role": "user", "content": format!("{turn} Unrelated words to clear the cache.")}]});
    let r = http.post(format!("{upstream}/chat/completions")).header("content-type", "application/json");
    let _ = r.body(body.to_string()).send().await.unwrap().bytes().await;
}

/// The bare model: POST `body`, time to the first content token.
async fn bare(http: &reqwest::Client, upstream: &str, body: &Bytes) -> f64 {
    let started = Instant::now();
    let r = http
        .post(format!("{upstream}/chat/completions"))
        .header("content-type", "application/json")
        .body(body.clone())
        .send()
        .await
        .unwrap();
    let mut stream = r.bytes_stream();
    while let Some(chunk) = stream.next().await {
        if has_content(&chunk.unwrap()) {
            return ms(started, Instant::now());
        }
    }
    panic!("the model sent no token");
}

#[tokio::main]
async fn main() {
    let upstream = arg("--model").expect("--model http://HOST:PORT/v1").trim_end_matches('/').to_string();
    let model = arg("--model-name").unwrap_or_else(|| "smollm2".into());
    let turns: usize = arg("--turns").map_or(10, |n| n.parse().unwrap());
    let durability = match arg("--durability").as_deref() {
        Some("normal") => Durability::Normal,
        _ => Durability::Full,
    };
    let http = reqwest::Client::new();
    let proxy = Proxy { upstream: upstream.clone(), http: http.clone(), seen: Arc::default() };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let proxy_url = format!("http://{}/v1", listener.local_addr().unwrap());
    let app = axum::Router::new().route("/v1/chat/completions", post(forward)).with_state(proxy.clone());
    tokio::spawn(async move { axum::serve(listener, app).await });

    let data = std::env::temp_dir().join(format!("microcos-first-token-{}", now_ms()));
    let opts = ServeOptions {
        addr: "127.0.0.1:0".parse().unwrap(),
        data: data.clone(),
        durability,
        backend: Some(Backend::OpenAi {
            base_url: proxy_url,
            model: model.clone(),
            api_key: None,
            structured: StructuredOutput::default(),
            temperature: Some(0.0),
            seed: Some(42),
        }),
        config: microcos_core::Config { rate_per_s: 0, ..microcos_core::Config::default() },
        ..ServeOptions::default()
    };
    let running = start(&opts, microcos::assistant()).await.unwrap();
    let base = format!("http://{}", running.addr);
    let user = UserId::parse("first-token").unwrap();
    let token = sign_token(&running.secret, &user, Timestamp(now_ms()), Timestamp(now_ms() + 3_600_000));
    let url = format!("{}/v1/stream?after=0", base.replacen("http", "ws", 1));
    let mut request = url.into_client_request().unwrap();
    request.headers_mut().insert("sec-websocket-protocol", format!("microcos, bearer.{token}").parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();

    let (mut through, mut answered, mut to_model, mut model_first, mut to_frame, mut direct) =
        (vec![], vec![], vec![], vec![], vec![], vec![]);
    for turn in 0..=turns {
        flush(&http, &upstream, &model, turn).await;
        let requests_before = proxy.seen.lock().unwrap().len();
        let body =
            json!({"type":"user.message","payload":{"text":format!("Say hello to Ann in five words ({turn}).")}});
        let sent = Instant::now();
        let r = http
            .post(format!("{base}/v1/events"))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let accepted_at = Instant::now();
        let accepted: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        let (mut first_frame, mut done) = (None, false);
        while !done {
            let msg = tokio::time::timeout(Duration::from_secs(120), ws.next()).await.unwrap().unwrap().unwrap();
            let Message::Text(frame) = msg else { continue };
            let v: Value = serde_json::from_str(&frame).unwrap();
            if v["frame"] == "token" && v["operation_id"] == accepted["operation_id"] && first_frame.is_none() {
                first_frame = Some(Instant::now());
            }
            done = v["frame"] == "event"
                && v["event"]["type"] == "assistant.message"
                && v["event"]["operation_id"] == accepted["operation_id"];
        }
        let (body, arrived, first_token) = {
            let seen = proxy.seen.lock().unwrap();
            let call = &seen[requests_before];
            (call.body.clone(), call.arrived, call.first_token.unwrap())
        };
        let first_frame = first_frame.unwrap();
        // The same request, byte for byte, straight to the model, right after (paired: the same load).
        flush(&http, &upstream, &model, turn).await;
        let direct_ms = bare(&http, &upstream, &body).await;
        if turn == 0 {
            continue; // warm-up: the model loads its caches
        }
        direct.push(direct_ms);
        through.push(ms(sent, first_frame));
        answered.push(ms(sent, accepted_at));
        to_model.push(ms(sent, arrived));
        model_first.push(ms(arrived, first_token));
        to_frame.push(ms(first_token, first_frame));
    }
    let (through, direct) = (median(through), median(direct));
    println!("turns: {turns}");
    println!("durability: {durability:?}");
    println!("through_microcos_first_token_ms: {through:.1}");
    println!("bare_model_first_token_ms: {direct:.1}");
    println!("overhead_ms: {:.1}", through - direct);
    println!("post_answered_ms: {:.1}", median(answered));
    println!("to_model_request_ms: {:.1}", median(to_model));
    println!("model_first_token_via_proxy_ms: {:.1}", median(model_first));
    println!("first_token_to_frame_ms: {:.1}", median(to_frame));
    let _ = std::fs::remove_dir_all(data);
}
