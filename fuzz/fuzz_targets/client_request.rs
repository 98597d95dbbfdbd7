//! The edge on an arbitrary request: `before_body` and `route` never panic,
//! refuse with a 4xx (never a 5xx: the secret is usable), agree with each
//! other, and let only a validly signed request through.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use microcos_assistant::Assistant;
use microcos_assistant::AssistantEventType;
use microcos_core::{EventType, Origin};
use microcos_core::{Timestamp, UserId};
use microcos_core::validate::Limits;
use microcos_host::auth::Keys;
use microcos_host::edge::{before_body, route, Action, HttpRequest, MAX_PAGE};

const SECRET: &[u8] = b"fuzz-secret-of-at-least-32-bytes-long";
const NOW: Timestamp = Timestamp(1_764_300_000_000);
/// Token lifetime; JWT counts whole seconds.
const HOUR: u64 = 3_600_000;

#[derive(Arbitrary, Debug)]
enum Method<'a> {
    Get,
    Post,
    Delete,
    Other(&'a str),
}

#[derive(Arbitrary, Debug)]
enum Path<'a> {
    Healthz,
    Events,
    Snapshot,
    Stream,
    Other(&'a str),
}

#[derive(Arbitrary, Debug)]
enum Auth<'a> {
    None,
    /// `Bearer <a token signed for the user, still valid>`.
    Valid,
    /// The same token, expired.
    Expired,
    /// The valid token as `?access_token=` (only the stream route reads it).
    InQuery,
    /// The valid token as `Sec-WebSocket-Protocol: microcos, bearer.<token>` (the stream).
    InProtocol,
    /// Any header value.
    Raw(&'a str),
}

/// A JSON value for a payload field (or anything).
#[derive(Arbitrary, Debug)]
enum Value<'a> {
    Str(&'a str),
    Int(i64),
    Bool(bool),
    Null,
    Date(u16, u8, u8),
    Time(u8, u8),
    Id(u128),
    List(Vec<Value<'a>>),
    Object(Vec<(u8, Value<'a>)>),
}

/// The payload fields of the assistant's catalogue.
const FIELDS: &[&str] = &[
    "text",
    "tz_offset_minutes",
    "daily_plan_time",
    "task_id",
    "title",
    "notes",
    "due_date",
    "date",
    "items",
    "time",
    "through_seq",
    "tasks",
];

impl Value<'_> {
    fn json(&self) -> serde_json::Value {
        use serde_json::json;
        match self {
            Value::Str(s) => json!(s),
            Value::Int(n) => json!(n),
            Value::Bool(b) => json!(b),
            Value::Null => json!(null),
            Value::Date(y, m, d) => json!(format!("{y:04}-{m:02}-{d:02}")),
            Value::Time(h, m) => json!(format!("{h:02}:{m:02}")),
            Value::Id(n) => json!(microcos_core::uuid::Uuid::from_u128(*n)),
            Value::List(items) => items.iter().map(Value::json).collect(),
            Value::Object(fields) => object(fields),
        }
    }
}

fn object(fields: &[(u8, Value<'_>)]) -> serde_json::Value {
    fields.iter().map(|(k, v)| (FIELDS[usize::from(*k) % FIELDS.len()].to_string(), v.json())).collect()
}

#[derive(Arbitrary, Debug)]
enum Body<'a> {
    /// `{"type":<any type of the catalogue>,"payload":{…},"client_action_id"?,"event_id"?}`.
    Event {
        ty: u8,
        payload: Vec<(u8, Value<'a>)>,
        client_action_id: Option<&'a str>,
        event_id: Option<Value<'a>>,
    },
    Raw(&'a [u8]),
}

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    method: Method<'a>,
    path: Path<'a>,
    user: &'a str,
    auth: Auth<'a>,
    query: &'a str,
    json: bool,
    content_type: Option<&'a str>,
    websocket_protocol: Option<&'a str>,
    content_length: Option<u64>,
    body: Body<'a>,
}

fuzz_target!(|input: Input<'_>| {
    let keys = Keys::new(SECRET); // AUTH-API
    let user = UserId::parse(input.user).unwrap_or_else(|| UserId("fuzz".into()));
    let expires = Timestamp(NOW.0 + HOUR);
    let token = |exp| keys.sign(&user, Timestamp(NOW.0 - HOUR), exp); // AUTH-API
    let (mut authorization, mut query, mut protocol) =
        (None, input.query.to_string(), input.websocket_protocol.map(String::from));
    match input.auth {
        Auth::None => {}
        Auth::Valid => authorization = Some(format!("Bearer {}", token(expires))),
        Auth::Expired => authorization = Some(format!("Bearer {}", token(NOW))),
        Auth::InQuery => query = format!("access_token={}&{}", token(expires), input.query),
        Auth::InProtocol => protocol = Some(format!("microcos, bearer.{}", token(expires))),
        Auth::Raw(h) => authorization = Some(h.to_string()),
    }
    let path = match input.path {
        Path::Healthz => "/healthz",
        Path::Events => "/v1/events",
        Path::Snapshot => "/v1/snapshot",
        Path::Stream => "/v1/stream",
        Path::Other(p) => p,
    };
    let method = match input.method {
        Method::Get => "GET",
        Method::Post => "POST",
        Method::Delete => "DELETE",
        Method::Other(m) => m,
    };
    let body = match &input.body {
        Body::Raw(b) => b.to_vec(),
        Body::Event { ty, payload, client_action_id, event_id } => {
            let types: Vec<_> = EventType::<AssistantEventType>::all().collect();
            let mut body = serde_json::Map::new();
            body.insert("type".into(), types[usize::from(*ty) % types.len()].as_str().into());
            body.insert("payload".into(), object(payload));
            if let Some(c) = client_action_id {
                body.insert("client_action_id".into(), (*c).into());
            }
            if let Some(id) = event_id {
                body.insert("event_id".into(), id.json());
            }
            serde_json::to_vec(&body).expect("JSON")
        }
    };
    let req = HttpRequest {
        method,
        path,
        query: &query,
        authorization: authorization.as_deref(),
        content_type: if input.json { Some("application/json; charset=utf-8") } else { input.content_type },
        body: &body,
        websocket_protocol: protocol.as_deref(),
    };
    let (domain, limits) = (Assistant::default(), Limits::default());

    let early = before_body(&req, input.content_length, &keys, &limits, NOW);
    let action = route(&req, &keys, &domain, &limits, NOW);

    if let Some(r) = &early {
        assert!(r.status < 500, "before_body answered {}: {}", r.status, r.body);
        // Every early refusal but the announced length is also route's answer.
        if r.status != 413 {
            assert_eq!(action, Action::Respond(r.clone()));
        }
    }
    if matches!(input.auth, Auth::Valid) && path == "/v1/snapshot" && method == "GET" {
        assert_eq!(action, Action::Snapshot { user: user.clone() });
    }
    let authenticated = match input.auth {
        Auth::Valid => true,
        // The stream alone reads a token from elsewhere, and the header first.
        Auth::InQuery | Auth::InProtocol => path == "/v1/stream" && req.authorization.is_none(),
        _ => false,
    };
    match &action {
        Action::Respond(r) => {
            assert!(r.status < 500, "route answered {}: {}", r.status, r.body);
            // Only the probes answer 200 here (/readyz since issue 19: the
            // transport answers 503 itself while it starts or drains).
            let probe = matches!(path, "/healthz" | "/readyz");
            assert!(r.status >= 400 || (r.status == 200 && probe), "{} on {path}", r.status);
        }
        Action::Submit { user: u, request } => {
            assert!(authenticated && *u == user && path == "/v1/events" && method == "POST");
            assert_eq!(request.event.event_type().origin(), Origin::Client, "a client sent a system event");
        }
        Action::Events { user: u, limit, .. } => {
            assert!(authenticated && *u == user && path == "/v1/events");
            assert!((1..=MAX_PAGE).contains(limit));
        }
        Action::Snapshot { user: u } => assert!(authenticated && *u == user && path == "/v1/snapshot"),
        Action::Stream { user: u, cursor, expires: e } => {
            assert!(authenticated && *u == user && path == "/v1/stream" && *e == expires);
            assert!(cursor.tokens.len() <= 16);
        }
    }
});
