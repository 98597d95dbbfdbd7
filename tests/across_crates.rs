//! Tests that need two of the library crates at once, kept in the
//! workspace's own package (which may depend on everything) so that the
//! libraries' dev-dependencies form no cycle and each of them publishes:
//!
//! - `microcos-host`'s edge routed through a real domain, the assistant
//!   (from `host/src/edge.rs`);
//! - the example that opened `microcos-assistant`'s crate docs, an engine
//!   over `microcos-memory`'s store, as it was (the assistant cannot
//!   dev-depend on `microcos-memory`, which dev-depends on the assistant).

use microcos_assistant::Assistant;
use microcos_core::validate::Limits;
use microcos_core::{Seq, Timestamp, UserId};
use microcos_host::auth::{sign_token, Keys};
use microcos_host::edge::{
    answer_frame, before_body, binary_frame_answer, route, route_message, Action, HttpRequest, Response,
};

const SECRET: &[u8] = b"edge-test-secret-of-32-bytes-or-more";

fn keys() -> Keys {
    Keys::new(SECRET)
}

fn req<'a>(method: &'a str, path: &'a str, auth: Option<&'a str>) -> HttpRequest<'a> {
    HttpRequest { method, path, authorization: auth, content_type: Some("application/json"), ..Default::default() }
}

fn status<E>(a: &Action<E>) -> u16 {
    match a {
        Action::Respond(r) => r.status,
        _ => 0,
    }
}

#[test]
fn edge_routing_auth_and_methods() {
    let token = sign_token(SECRET, &UserId::parse("alice").unwrap(), Timestamp(0), Timestamp(10_000));
    let auth = format!("Bearer {token}");
    let l = Limits::default();
    let d = Assistant::default();
    let now = Timestamp(5_000);
    assert_eq!(status(&route(&req("GET", "/healthz", None), &keys(), &d, &l, now)), 200);
    assert_eq!(status(&route(&req("GET", "/nope", None), &keys(), &d, &l, now)), 404);
    assert_eq!(status(&route(&req("DELETE", "/v1/events", Some(&auth)), &keys(), &d, &l, now)), 405);
    assert_eq!(status(&route(&req("GET", "/v1/snapshot", None), &keys(), &d, &l, now)), 401);
    assert_eq!(status(&route(&req("GET", "/v1/snapshot", Some("Bearer x")), &keys(), &d, &l, now)), 401);
    assert_eq!(status(&route(&req("GET", "/v1/snapshot", Some(&auth)), &keys(), &d, &l, Timestamp(10_000))), 401);
    assert!(matches!(route(&req("GET", "/v1/snapshot", Some(&auth)), &keys(), &d, &l, now), Action::Snapshot { .. }));
    let mut post = req("POST", "/v1/events", Some(&auth));
    post.body = br#"{"type":"user.message","payload":{"text":"hi"}}"#;
    assert!(matches!(route(&post, &keys(), &d, &l, now), Action::Submit { .. }));
    post.content_type = Some("text/plain");
    assert_eq!(status(&route(&post, &keys(), &d, &l, now)), 415);
    let mut events = req("GET", "/v1/events", Some(&auth));
    events.query = "after=3&limit=2";
    assert_eq!(
        route(&events, &keys(), &d, &l, now),
        Action::Events { user: UserId::parse("alice").unwrap(), after: Seq(3), limit: 2 }
    );
    events.query = "limit=0";
    assert_eq!(status(&route(&events, &keys(), &d, &l, now)), 400);
    // A seq past what a store holds is refused, naming the parameter (it
    // would wrap to a negative number in SQL, and page from seq 1).
    for (path, query) in [("/v1/events", "after=9223372036854775808"), ("/v1/stream", "after=18446744073709551615")] {
        let r = HttpRequest { query, ..req("GET", path, Some(&auth)) };
        let Action::Respond(refused) = route(&r, &keys(), &d, &l, now) else { panic!("{path}?{query} accepted") };
        assert_eq!(refused.status, 400, "{path}?{query}");
        let body: serde_json::Value = serde_json::from_str(&refused.body).unwrap();
        assert_eq!(
            (body["error"]["code"].as_str(), body["error"]["field"].as_str()),
            (Some("bad_request"), Some("after"))
        );
    }
    events.query = "after=9223372036854775807";
    assert!(matches!(
        route(&events, &keys(), &d, &l, now),
        Action::Events { after: Seq(9_223_372_036_854_775_807), .. }
    ));
    // Refusals that need no body are answered before it is read.
    let mut big = req("POST", "/v1/events", Some(&auth));
    assert_eq!(before_body(&big, Some(64 * 1024 + 1), &keys(), &l, now).map(|r| r.status), Some(413));
    assert_eq!(before_body(&big, Some(10), &keys(), &l, now), None);
    big.authorization = Some("Bearer forged");
    assert_eq!(before_body(&big, Some(64 * 1024 + 1), &keys(), &l, now).map(|r| r.status), Some(401));
    assert_eq!(before_body(&req("GET", "/v1/snapshot", Some(&auth)), None, &keys(), &l, now), None);
    // A service with a short secret refuses every authenticated request.
    assert_eq!(status(&route(&req("GET", "/v1/snapshot", Some(&auth)), &Keys::new(b"short"), &d, &l, now)), 503);
    assert_eq!(status(&route(&req("GET", "/healthz", None), &Keys::new(b""), &d, &l, now)), 200);
    let q = format!("after=7&access_token={token}");
    let stream = HttpRequest { query: &q, ..req("GET", "/v1/stream", None) };
    assert!(matches!(route(&stream, &keys(), &d, &l, now), Action::Stream { cursor, .. } if cursor.after == Seq(7)));
}

#[test]
fn edge_events_sent_over_a_stream_get_the_answers_of_a_post() {
    let (d, l) = (Assistant::default(), Limits::default());
    let alice = UserId::parse("alice").unwrap();
    let ok = route_message(br#"{"type":"task.created","payload":{"title":"x"}}"#, alice.clone(), &d, &l);
    assert!(matches!(ok, Action::Submit { ref user, .. } if *user == alice));
    let Action::Respond(bad) = route_message(br#"{"type":"task.created","payload":{}}"#, alice, &d, &l) else {
        panic!("accepted")
    };
    let frame: serde_json::Value = serde_json::from_str(&answer_frame(&bad)).unwrap();
    assert_eq!(frame["frame"], "error");
    assert_eq!(frame["status"], 422);
    assert_eq!(frame["error"]["field"], "payload.title");
    let binary: serde_json::Value = serde_json::from_str(&binary_frame_answer()).unwrap();
    assert_eq!((binary["frame"].as_str(), binary["status"].as_u64()), (Some("error"), Some(415)));
    assert_eq!(binary["error"]["code"], "unsupported_media_type");
    // (`Response::json` is private to the crate: the same value, spelt out.)
    let body = String::from(r#"{"event_id":"e","seq":3,"duplicate":false}"#);
    let accepted = Response { status: 202, headers: Vec::new(), body };
    let frame: serde_json::Value = serde_json::from_str(&answer_frame(&accepted)).unwrap();
    assert_eq!(frame, serde_json::json!({"frame":"ack","event_id":"e","seq":3,"duplicate":false}));
}

/// Was the example of `microcos-assistant`'s crate docs.
#[test]
fn assistant_engine_over_the_memory_store() {
    use microcos_assistant::Assistant;
    use microcos_core::validate::{parse_client_request, Limits};
    use microcos_core::{Config, EventId, RequestId, RequestMeta, Timestamp, UserId};
    use microcos_memory::MemoryStore;

    let user = UserId::parse("alice").unwrap();
    let now = Timestamp(1_764_300_000_000);
    let (mut engine, _) =
        microcos_core::Engine::open(user, Config::default(), Assistant::default(), MemoryStore::new(), now).unwrap();
    let body = br#"{"type":"task.created","payload":{"title":"Book flights"}}"#;
    let request = parse_client_request(body, &Assistant::default(), &Limits::default()).unwrap();
    let meta = RequestMeta {
        request_id: RequestId(microcos_core::uuid::Uuid::from_u128(1)),
        event_id: EventId(microcos_core::uuid::Uuid::from_u128(2)),
        timestamp: now,
    };
    let accepted = engine.submit(request, meta).unwrap();
    assert_eq!(accepted.seq.0, 1);
    assert_eq!(engine.state().domain.tasks.open_count(), 1);
}
