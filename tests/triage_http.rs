//! The triage domain (`examples/triage/domain.rs`, an embedder's domain) over
//! HTTP and the WebSocket, with no transport code of its own: served
//! in-process by the local service library (`microcos_server::service`,
//! what `cargo run --example triage-serve -- serve` runs), or, with
//! `MICROCOS_TRIAGE_URL` and `MICROCOS_TRIAGE_SECRET`, a deployment of it
//! (the triage Worker in a local workerd, from `scripts/e2e-workerd`).
//!
//! Its own checks: a ticket opened is triaged by a streamed model operation
//! whose tokens and finished answer arrive on the stream, its view is the
//! snapshot, the escalation job fires once an urgent ticket's deadline
//! passes, and its own error codes come back as 4xx with their fields. (A
//! deployment under test escalates urgent tickets after [`URGENT_MS`]: the
//! Worker's `TRIAGE_URGENT_AFTER_MS`.)

#![allow(clippy::unwrap_used)] // a test: a failed step is a failed test

#[allow(dead_code)] // the domain's whole API, of which these tests use a part
#[path = "../examples/triage/domain.rs"]
mod domain;

use std::time::{Duration, Instant};

use futures_util::StreamExt;
use microcos_core::{Timestamp, UserId};
use microcos_host::auth::sign_token;
use serde_json::{json, Value};
use tokio_tungstenite::tungstenite::Message;

/// The urgent deadline of the service under test.
const URGENT_MS: u64 = 1_500;

struct Target {
    base: String,
    secret: Vec<u8>,
    _running: Option<microcos_server::service::Running<domain::TicketTriage>>,
    data: Option<std::path::PathBuf>,
}

impl Target {
    async fn start() -> Target {
        if let Ok(base) = std::env::var("MICROCOS_TRIAGE_URL") {
            let secret = std::env::var("MICROCOS_TRIAGE_SECRET").expect("MICROCOS_TRIAGE_SECRET");
            return Target { base, secret: secret.into_bytes(), _running: None, data: None };
        }
        use microcos_server::service::{start, ServeOptions, Site};
        let data = std::env::temp_dir().join(format!("microcos-triage-{}", uuid::Uuid::new_v4().simple()));
        let opts = ServeOptions { addr: "127.0.0.1:0".parse().unwrap(), data: data.clone(), ..Default::default() };
        // Urgent tickets escalate after 1.5 s here (an hour by default), so the job fires within a test.
        let triage = domain::TicketTriage { urgent_ms: URGENT_MS, ..Default::default() };
        let site = Site::new(triage).with_stand_in(microcos_host::StandIn::new(domain::stand_in_reply));
        let running = start(&opts, site).await.unwrap();
        let base = format!("http://{}", running.addr);
        Target { base, secret: running.secret.to_vec(), _running: Some(running), data: Some(data) }
    }

    fn token(&self, user: &str) -> String {
        let now = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64;
        sign_token(&self.secret, &UserId::parse(user).unwrap(), Timestamp(now), Timestamp(now + 3_600_000))
    }

    async fn post(&self, user: &str, body: Value) -> (u16, Value) {
        let r = reqwest::Client::new()
            .post(format!("{}/v1/events", self.base))
            .bearer_auth(self.token(user))
            .header("content-type", "application/json")
            .body(body.to_string())
            .send()
            .await
            .unwrap();
        let status = r.status().as_u16();
        (status, serde_json::from_str(&r.text().await.unwrap()).unwrap())
    }

    /// `GET path` as `user`, which must answer 200 with JSON.
    async fn get(&self, user: &str, path: &str) -> Value {
        let r = reqwest::Client::new()
            .get(format!("{}{path}", self.base))
            .bearer_auth(self.token(user))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status().as_u16(), 200, "{path}");
        serde_json::from_str(&r.text().await.unwrap()).unwrap()
    }

    async fn events(&self, user: &str) -> Vec<Value> {
        self.get(user, "/v1/events?after=0&limit=100").await["events"].as_array().unwrap().clone()
    }

    async fn snapshot(&self, user: &str) -> Value {
        self.get(user, "/v1/snapshot").await
    }
}

impl Drop for Target {
    fn drop(&mut self) {
        if let Some(running) = &self._running {
            running.task.abort();
        }
        if let Some(data) = &self.data {
            let _ = std::fs::remove_dir_all(data);
        }
    }
}

fn user(name: &str) -> String {
    format!("{name}-{}", &uuid::Uuid::new_v4().simple().to_string()[..8])
}

#[tokio::test]
async fn a_ticket_is_triaged_by_a_streamed_operation_seen_live_on_the_stream() {
    let t = Target::start().await;
    let desk = user("desk");
    use tokio_tungstenite::tungstenite::client::IntoClientRequest;
    let url = format!("{}/v1/stream?after=0", t.base.replacen("http", "ws", 1));
    let mut request = url.into_client_request().unwrap();
    request
        .headers_mut()
        .insert("sec-websocket-protocol", format!("microcos, bearer.{}", t.token(&desk)).parse().unwrap());
    let (mut ws, _) = tokio_tungstenite::connect_async(request).await.unwrap();

    let opened =
        json!({"type":"ticket.opened","payload":{"subject":"Site is down","body":"Nothing loads since 9:00."}});
    let (status, ack) = t.post(&desk, opened).await;
    assert_eq!(status, 202, "{ack}");
    let operation = ack["operation_id"].as_str().expect("ticket.opened starts the triage operation").to_string();

    // The stream: the event, the operation's tokens in order, then its answer as an event.
    let (mut types, mut tokens) = (Vec::new(), String::new());
    let deadline = Instant::now() + Duration::from_secs(20);
    while !types.contains(&"ticket.triaged".to_string()) {
        let left = deadline.saturating_duration_since(Instant::now());
        let Message::Text(text) = tokio::time::timeout(left, ws.next()).await.expect("in time").unwrap().unwrap()
        else {
            continue;
        };
        let frame: Value = serde_json::from_str(&text).unwrap();
        match frame["frame"].as_str().unwrap() {
            "event" => types.push(frame["event"]["type"].as_str().unwrap().to_string()),
            "token" => {
                assert_eq!(frame["operation_id"], operation.as_str());
                tokens.push_str(frame["text"].as_str().unwrap());
            }
            _ => {}
        }
    }
    assert_eq!(types.first().map(String::as_str), Some("ticket.opened"));
    let answer: Value = serde_json::from_str(&tokens).expect("the streamed tokens are the model's JSON answer");
    assert_eq!((answer["priority"].as_str(), answer["category"].as_str()), (Some("urgent"), Some("bug")));

    // The domain's view is the snapshot.
    let snapshot = t.snapshot(&desk).await;
    let open = snapshot["state"]["open"].as_array().unwrap();
    assert_eq!(open.len(), 1);
    assert_eq!(open[0][1]["triage"]["priority"], "urgent");
    assert_eq!(open[0][1]["escalated"], false);

    // Still open past its deadline: the job escalates it, once, on the service's own alarm.
    let deadline = Instant::now() + Duration::from_millis(URGENT_MS + 20_000);
    loop {
        let left = deadline.saturating_duration_since(Instant::now());
        let Message::Text(text) =
            tokio::time::timeout(left, ws.next()).await.expect("escalated in time").unwrap().unwrap()
        else {
            continue;
        };
        let frame: Value = serde_json::from_str(&text).unwrap();
        if frame["frame"] == "event" && frame["event"]["type"] == "ticket.escalated" {
            assert_eq!(frame["event"]["payload"]["ticket_id"], ack["event_id"]);
            break;
        }
    }
    tokio::time::sleep(Duration::from_millis(300)).await;
    let snapshot = t.snapshot(&desk).await;
    assert_eq!(snapshot["state"]["open"][0][1]["escalated"], true);
    let events = t.events(&desk).await;
    let escalations = events.iter().filter(|e| e["type"] == "ticket.escalated").count();
    assert_eq!(escalations, 1, "the job fired once");
}

#[tokio::test]
async fn the_domains_own_error_codes_come_back_with_their_fields() {
    let t = Target::start().await;
    let desk = user("errors");
    let unknown = json!({"type":"ticket.closed","payload":{"ticket_id":uuid::Uuid::new_v4().to_string()}});
    let (status, body) = t.post(&desk, unknown).await;
    assert_eq!((status, body["error"]["code"].as_str()), (404, Some("ticket_not_found")), "{body}");
    assert_eq!(body["error"]["field"], "payload.ticket_id");

    let (status, ack) =
        t.post(&desk, json!({"type":"ticket.opened","payload":{"subject":"Refund","body":"Twice."}})).await;
    assert_eq!(status, 202);
    let close = json!({"type":"ticket.closed","payload":{"ticket_id":ack["event_id"]}});
    assert_eq!(t.post(&desk, close.clone()).await.0, 202);
    let (status, body) = t.post(&desk, close).await;
    assert_eq!((status, body["error"]["code"].as_str()), (409, Some("ticket_closed")), "{body}");

    // The kernel's validation, through the domain's field tables.
    let (status, body) = t.post(&desk, json!({"type":"ticket.opened","payload":{"subject":"No body"}})).await;
    assert_eq!(
        (status, body["error"]["code"].as_str(), body["error"]["field"].as_str()),
        (422, Some("missing_field"), Some("payload.body"))
    );
    let (status, body) = t.post(&desk, json!({"type":"ticket.triaged","payload":{}})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (422, Some("event_type_not_allowed")), "{body}");
    let (status, body) = t.post(&desk, json!({"type":"task.created","payload":{"title":"not this domain"}})).await;
    assert_eq!((status, body["error"]["code"].as_str()), (422, Some("unknown_event_type")), "{body}");
}
