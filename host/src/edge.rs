//! The HTTP edge, as pure functions shared by every transport (the local
//! server and the Cloudflare Worker), so that they route, authenticate,
//! validate and shape answers identically.
//!
//! A transport turns its request into an [`HttpRequest`], calls [`route`],
//! and carries out the [`Action`]: answer at once, or run the action against
//! the user's engine and answer with [`respond_accepted`],
//! [`respond_snapshot`], [`respond_events`] or [`respond_error`].
//!
//! API v1:
//!
//! | route | answer |
//! | --- | --- |
//! | `GET /healthz` | 200, no auth |
//! | `GET /readyz` | 200 while the service takes requests, 503 while it starts or drains; no auth |
//! | `POST /v1/events` | 202 new / 200 duplicate: `{"event_id","request_id","seq","duplicate"}` |
//! | `GET /v1/snapshot` | 200 `{"seq","state"}` with an `ETag`; 304 on `If-None-Match` |
//! | `GET /v1/events?after=N&limit=M` | 200 `{"events":[…],"next_after":N,"more":bool}` |
//! | `GET /v1/stream?after=N&tokens=…` | WebSocket of frames ([`microcos_core::Frame`], resumed at a [`microcos_core::Cursor`]) |
//!
//! Authentication: `Authorization: Bearer <token>` ([`crate::auth`]). A
//! browser cannot set that header on a WebSocket, so the stream also takes
//! the token as a subprotocol, `Sec-WebSocket-Protocol: microcos,
//! bearer.<token>` (the server answers `microcos`, see [`STREAM_PROTOCOL`]),
//! and, for compatibility, `?access_token=<token>`. Prefer the subprotocol:
//! a token in a URL ends up in request logs and proxies' logs, where anyone
//! who reads them can use it until it expires.
//!
//! A stream closes with a code from [`close`]: when its token expires (or
//! is revoked), when its client falls behind, or when the user has too many
//! subscribers. A client may send its events on the stream
//! ([`route_message`]), as text frames; each is answered with an `ack` or
//! `error` frame ([`answer_frame`]); a binary frame is answered with
//! [`binary_frame_answer`]. The text frame [`PING`] is the heartbeat: it is
//! answered with [`PONG`] at once, stores nothing and counts for nothing.
//!
//! Errors: `{"error":{"code","message","field"?,"retry_after_ms"?}}`. Every API answer carries
//! [`API_HEADERS`] (`cache-control: no-store`: an answer is one user's data).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec;
use alloc::vec::Vec;

use crate::auth::{Authenticated, Keys, Verified, MIN_SECRET_BYTES};
use microcos_core::validate::{parse_client_request, ClientRequest, Limits};
use microcos_core::Cursor;
use microcos_core::Domain;
use microcos_core::Row;
use microcos_core::{Accepted, EngineError};
use microcos_core::{ErrorCode, Rejection};
use microcos_core::{Seq, Timestamp, UserId};

/// Headers of every API answer (not of the web app's files, which have
/// their own, [`crate::web::HEADERS`]): nothing of a user's data is kept by
/// a browser's or a proxy's cache.
pub const API_HEADERS: &[(&str, &str)] = &[("cache-control", "no-store")];

/// Most events returned by one `GET /v1/events` page.
pub const MAX_PAGE: usize = 1_000;
/// Events per page when `limit` is not given.
pub const DEFAULT_PAGE: usize = 100;

/// The parts of an HTTP request the edge looks at.
#[derive(Clone, Copy, Debug, Default)]
pub struct HttpRequest<'a> {
    /// `GET`, `POST`, …
    pub method: &'a str,
    /// Path without the query, e.g. `/v1/events`.
    pub path: &'a str,
    /// Raw query string without `?`.
    pub query: &'a str,
    /// The `Authorization` header.
    pub authorization: Option<&'a str>,
    /// The `Content-Type` header.
    pub content_type: Option<&'a str>,
    /// The body (a transport reads at most `max_body_bytes + 1` bytes).
    pub body: &'a [u8],
    /// The `Sec-WebSocket-Protocol` header (the stream's token may be in it).
    pub websocket_protocol: Option<&'a str>,
}

/// The subprotocol a stream's server answers with when the client offered
/// it (`Sec-WebSocket-Protocol: microcos, bearer.<token>`).
pub const STREAM_PROTOCOL: &str = "microcos";

/// The heartbeat a client sends on `/v1/stream`, as a text frame: the
/// server answers [`PONG`] (the same on every transport; the Worker's
/// Durable Object answers it without waking, through the runtime's
/// WebSocket auto-response). A client that gets no answer to it, nor any
/// other message, within its timeout treats the link as dead and
/// reconnects from its cursor. It is not JSON, so it can never be an event.
pub const PING: &str = "ping";

/// The answer to [`PING`], as a text frame (not JSON, so never a frame).
pub const PONG: &str = "pong";

/// The close codes of `/v1/stream`, the same on every transport.
pub mod close {
    /// Reconnect from your cursor: the backlog was longer than one
    /// subscriber's bound (the next connection gets the next part), or the
    /// client fell that far behind live frames.
    pub const RESUME: u16 = 4000;
    /// The stream's token expired: reconnect with a fresh token.
    pub const TOKEN_EXPIRED: u16 = 4001;
    /// The user already has the most subscribers allowed
    /// ([`crate::HostConfig::max_subscribers`]); close another first.
    pub const TOO_MANY_SUBSCRIBERS: u16 = 4029;
    /// The client kept sending events while they were refused with 429
    /// (`rate_limited`, `too_many_operations`): [`super::STREAM_REFUSALS_BEFORE_CLOSE`]
    /// more refused than answered otherwise. Wait for the `retry_after_ms`
    /// of the last answer, then reconnect from your cursor.
    pub const RATE_LIMITED: u16 = 4008;
}

/// How far the events refused with 429 on one stream may outnumber those
/// answered otherwise before the stream is closed with
/// [`close::RATE_LIMITED`]. A client that honours `retry_after_ms` gets at
/// most one refusal per accepted event and never gets near it; one that
/// sends faster than its rate allows is closed after a bounded amount of
/// work and log.
pub const STREAM_REFUSALS_BEFORE_CLOSE: u32 = 20;

/// One stream's count of events refused with 429, less those answered
/// otherwise: the same rule on every transport.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct StreamRefusals(pub u32);

impl StreamRefusals {
    /// Counts the answer to one event sent on the stream: a 429 adds one,
    /// any other answer takes one away. `true`: send the answer, then close
    /// the stream with [`close::RATE_LIMITED`].
    pub fn count(&mut self, response: &Response) -> bool {
        self.0 = if response.status == 429 { self.0.saturating_add(1) } else { self.0.saturating_sub(1) };
        self.0 >= STREAM_REFUSALS_BEFORE_CLOSE
    }
}

/// Whether the client offered [`STREAM_PROTOCOL`] (then the server must
/// answer with it, or a browser fails the connection).
pub fn offers_stream_protocol(websocket_protocol: Option<&str>) -> bool {
    websocket_protocol.is_some_and(|h| h.split(',').any(|p| p.trim() == STREAM_PROTOCOL))
}

/// What the transport must do next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action<E> {
    /// Answer with this response.
    Respond(Response),
    /// Submit the validated request to `user`'s engine.
    Submit {
        /// The authenticated user.
        user: UserId,
        /// The validated request.
        request: ClientRequest<E>,
    },
    /// Answer with the user's snapshot ([`respond_snapshot`]).
    Snapshot {
        /// The authenticated user.
        user: UserId,
    },
    /// Answer with a page of the user's log ([`respond_events`]).
    Events {
        /// The authenticated user.
        user: UserId,
        /// Events after this seq.
        after: Seq,
        /// At most this many.
        limit: usize,
    },
    /// Upgrade to a WebSocket and stream frames from `cursor`.
    Stream {
        /// The authenticated user.
        user: UserId,
        /// Where the client resumes.
        cursor: Cursor,
        /// When the token expires: close the stream then, with [`close::TOKEN_EXPIRED`].
        expires: Timestamp,
    },
}

/// An HTTP response: status, headers, JSON body.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Response {
    /// Status code.
    pub status: u16,
    /// Headers besides `content-type: application/json`.
    pub headers: Vec<(String, String)>,
    /// Body (JSON; empty for 304).
    pub body: String,
}

impl Response {
    fn json(status: u16, body: String) -> Response {
        Response { status, headers: Vec::new(), body }
    }
}

/// Parses `a=1&b=2`, percent-decoding values. Repeated keys: the first wins.
pub fn query_param(query: &str, key: &str) -> Option<String> {
    query.split('&').filter_map(|kv| kv.split_once('=').or(Some((kv, "")))).find(|(k, _)| *k == key).map(|(_, v)| {
        let mut out = Vec::with_capacity(v.len());
        let b = v.as_bytes();
        let mut i = 0;
        while i < b.len() {
            match b[i] {
                b'%' if i + 2 < b.len() => {
                    let digits = &b[i + 1..i + 3];
                    // Two hex digits exactly (from_str_radix alone would take "+E").
                    let hex = digits
                        .iter()
                        .all(u8::is_ascii_hexdigit)
                        .then(|| core::str::from_utf8(digits).ok().and_then(|h| u8::from_str_radix(h, 16).ok()))
                        .flatten();
                    match hex {
                        Some(byte) => {
                            out.push(byte);
                            i += 3;
                        }
                        None => {
                            out.push(b'%');
                            i += 1;
                        }
                    }
                }
                b'+' => {
                    out.push(b' ');
                    i += 1;
                }
                c => {
                    out.push(c);
                    i += 1;
                }
            }
        }
        String::from_utf8_lossy(&out).into_owned()
    })
}

/// The `bearer.<token>` entry of a `Sec-WebSocket-Protocol` list.
fn protocol_token(websocket_protocol: Option<&str>) -> Option<&str> {
    websocket_protocol?.split(',').find_map(|p| p.trim().strip_prefix("bearer."))
}

/// The token of an `Authorization: Bearer <token>` header.
pub fn bearer_token(authorization: Option<&str>) -> Option<&str> {
    let h = authorization?.trim();
    let (scheme, token) = h.split_once(' ')?;
    scheme.eq_ignore_ascii_case("bearer").then(|| token.trim())
}

fn reject<E>(r: Rejection) -> Action<E> {
    Action::Respond(respond_rejection(&r))
}

/// A seq from the query: 0 when absent; at most `i64::MAX`, the largest
/// seq a store holds (a larger one would wrap to a negative number there).
fn seq_param(query: &str, key: &str) -> Result<Seq, Rejection> {
    match query_param(query, key) {
        None => Ok(Seq::ZERO),
        Some(v) => v.parse::<u64>().ok().filter(|n| i64::try_from(*n).is_ok()).map(Seq).ok_or_else(|| {
            let msg = format!("expected a non-negative integer of at most {}", i64::MAX);
            Rejection::field(ErrorCode::BadRequest, key, msg)
        }),
    }
}

/// Routing and authentication: everything the edge decides from the
/// request line and headers (404, 405, 503 without a usable key, 401), and
/// the user it is made for. `Err` is the answer (also `/healthz`). A
/// transport that forwards the request to where the user's engine lives
/// (the Worker to its Durable Object) authenticates once, here, and the
/// receiver routes it with [`route_as`].
pub fn authenticate(req: &HttpRequest<'_>, keys: &Keys, now: Timestamp) -> Result<Verified, Response> {
    authenticate_token(req, keys, now).map(|a| a.verified)
}

/// [`authenticate`], with the token's issue time: a transport that keeps
/// revocations checks it ([`crate::auth::check_revocation`]) before
/// [`route_as`].
pub fn authenticate_token(req: &HttpRequest<'_>, keys: &Keys, now: Timestamp) -> Result<Authenticated, Response> {
    authenticated(req, keys, now).map(|(authenticated, _)| authenticated)
}

fn authenticated<'a>(req: &HttpRequest<'a>, keys: &Keys, now: Timestamp) -> Result<(Authenticated, &'a str), Response> {
    let fail = |r: Rejection| respond_rejection(&r);
    let (allow, method) = match req.path {
        "/healthz" | "/readyz" => ("GET", req.method),
        "/v1/events" => ("GET, POST", req.method),
        "/v1/snapshot" | "/v1/stream" => ("GET", req.method),
        _ => return Err(fail(Rejection::new(ErrorCode::NotFound, format!("no route {}", truncate(req.path))))),
    };
    if !allow.split(", ").any(|m| m == method) {
        let mut resp = fail(Rejection::new(ErrorCode::MethodNotAllowed, "method not allowed on this route"));
        resp.headers.push(("allow".to_string(), allow.to_string()));
        return Err(resp);
    }
    if req.path == "/healthz" {
        return Err(Response::json(200, String::from(r#"{"status":"ok"}"#)));
    }
    if req.path == "/readyz" {
        // A transport that starts or drains answers 503 itself.
        return Err(Response::json(200, String::from(r#"{"status":"ready"}"#)));
    }
    if !keys.usable() {
        let msg = format!(
            "the service's token secret is missing, shorter than {MIN_SECRET_BYTES} bytes or trivially guessable"
        );
        return Err(fail(Rejection::new(ErrorCode::Unavailable, msg)));
    }
    let token = match bearer_token(req.authorization) {
        Some(t) => Some(String::from(t)),
        None if req.path == "/v1/stream" => {
            protocol_token(req.websocket_protocol).map(String::from).or_else(|| query_param(req.query, "access_token"))
        }
        None => None,
    };
    let Some(token) = token else {
        return Err(fail(Rejection::new(ErrorCode::Unauthorized, "missing bearer token")));
    };
    let authenticated = keys.authenticate(&token, now).map_err(fail)?;
    Ok((authenticated, method))
}

fn json_body(req: &HttpRequest<'_>) -> Result<(), Rejection> {
    let json = req.content_type.is_some_and(|ct| {
        let mime = ct.split(';').next().unwrap_or("").trim();
        mime.eq_ignore_ascii_case("application/json")
    });
    if json {
        Ok(())
    } else {
        Err(Rejection::new(ErrorCode::UnsupportedMediaType, "send the body as application/json"))
    }
}

/// What the edge can answer before a transport reads the body: any refusal
/// that does not depend on it (404, 405, 503, 401, 415), and 413 when the
/// announced `Content-Length` is over the limit. `None`: read the body (at
/// most `limits.max_body_bytes + 1` bytes), then [`route`].
pub fn before_body(
    req: &HttpRequest<'_>,
    content_length: Option<u64>,
    keys: &Keys,
    limits: &Limits,
    now: Timestamp,
) -> Option<Response> {
    match authenticate(req, keys, now) {
        Err(response) => Some(response),
        Ok(_) => check_head(req, content_length, limits),
    }
}

/// The refusals of an authenticated request that need no body: 415 for a
/// POST that is not JSON, 413 when its announced `Content-Length` is over
/// the limit.
pub fn check_head(req: &HttpRequest<'_>, content_length: Option<u64>, limits: &Limits) -> Option<Response> {
    if req.method != "POST" {
        return None;
    }
    if let Err(r) = json_body(req) {
        return Some(respond_rejection(&r));
    }
    let max = limits.max_body_bytes as u64;
    content_length.filter(|n| *n > max).map(|n| {
        let msg = format!("body is {n} bytes; the limit is {max}");
        respond_rejection(&Rejection::new(ErrorCode::BodyTooLarge, msg))
    })
}

/// Routes, authenticates and validates one request.
pub fn route<D: Domain>(
    req: &HttpRequest<'_>,
    keys: &Keys,
    domain: &D,
    limits: &Limits,
    now: Timestamp,
) -> Action<D::Event> {
    match authenticate(req, keys, now) {
        Ok(verified) => route_as(req, verified, domain, limits),
        Err(response) => Action::Respond(response),
    }
}

/// Routes and validates a request already authenticated (by
/// [`authenticate`], where it entered) as `verified`'s user.
pub fn route_as<D: Domain>(req: &HttpRequest<'_>, verified: Verified, domain: &D, limits: &Limits) -> Action<D::Event> {
    let Verified { user, expires } = verified;
    let method = req.method;
    match (req.path, method) {
        ("/v1/events", "POST") => {
            if let Err(r) = json_body(req) {
                return reject(r);
            }
            match parse_client_request(req.body, domain, limits) {
                Ok(request) => Action::Submit { user, request },
                Err(r) => reject(r),
            }
        }
        ("/v1/events", _) => {
            let after = match seq_param(req.query, "after") {
                Ok(a) => a,
                Err(r) => return reject(r),
            };
            let limit = match query_param(req.query, "limit") {
                None => DEFAULT_PAGE,
                Some(v) => match v.parse::<usize>() {
                    Ok(n) if (1..=MAX_PAGE).contains(&n) => n,
                    _ => {
                        let msg = format!("expected an integer from 1 to {MAX_PAGE}");
                        return reject(Rejection::field(ErrorCode::BadRequest, "limit", msg));
                    }
                },
            };
            Action::Events { user, after, limit }
        }
        ("/v1/snapshot", _) => Action::Snapshot { user },
        ("/v1/stream", _) => {
            let after = match seq_param(req.query, "after") {
                Ok(a) => a,
                Err(r) => return reject(r),
            };
            let tokens = match Cursor::parse_tokens(&query_param(req.query, "tokens").unwrap_or_default()) {
                Some(t) => t,
                None => {
                    let msg = "expected operation_id:attempt:next_index items separated by commas";
                    return reject(Rejection::field(ErrorCode::BadRequest, "tokens", msg));
                }
            };
            Action::Stream { user, cursor: Cursor { after, tokens }, expires }
        }
        _ => reject(Rejection::new(ErrorCode::NotFound, format!("no route {}", truncate(req.path)))),
    }
}

/// A client event sent over an open stream: the same body, validation and
/// errors as `POST /v1/events`, for the stream's user. A client that
/// already streams skips a round trip. Answer it with [`answer_frame`].
pub fn route_message<D: Domain>(message: &[u8], user: UserId, domain: &D, limits: &Limits) -> Action<D::Event> {
    match parse_client_request(message, domain, limits) {
        Ok(request) => Action::Submit { user, request },
        Err(r) => reject(r),
    }
}

/// The frame that answers a client event sent over a stream: `ack` with
/// what the 202 (or 200 for a duplicate) of `POST /v1/events` carries, or
/// `error` with the status and the error body it would have had:
///
/// ```json
/// {"frame":"ack","event_id":"…","request_id":"…","seq":7,"duplicate":false,"operation_id":"…"}
/// {"frame":"error","status":422,"error":{"code":"too_long","message":"…","field":"payload.title"}}
/// ```
pub fn answer_frame(response: &Response) -> String {
    // Both bodies are JSON objects this module wrote: `{"event_id"…}` or `{"error"…}`.
    let fields = response.body.strip_prefix('{').unwrap_or("}");
    let separator = if fields.starts_with('}') { "" } else { "," };
    match response.status {
        200 | 202 => format!("{{\"frame\":\"ack\"{separator}{fields}"),
        status => format!("{{\"frame\":\"error\",\"status\":{status}{separator}{fields}"),
    }
}

/// The frame that answers a binary frame on a stream, the same on every
/// transport: events are JSON in text frames, so it is refused, and the
/// stream stays open:
///
/// ```json
/// {"frame":"error","status":415,"error":{"code":"unsupported_media_type","message":"…"}}
/// ```
pub fn binary_frame_answer() -> String {
    let r = Rejection::new(
        ErrorCode::UnsupportedMediaType,
        "send events as text frames of JSON; binary frames are not accepted",
    );
    answer_frame(&respond_rejection(&r))
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(100) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// The answer to a bad request.
pub fn respond_rejection(r: &Rejection) -> Response {
    let mut response = Response::json(r.http_status(), r.to_json());
    if let Some(ms) = r.retry_after_ms {
        response.headers.push(("retry-after".to_string(), format!("{}", ms.div_ceil(1000).max(1))));
    }
    response
}

/// The answer to a failed engine call: the rejection's 4xx, or 503 for a
/// technical failure (nothing stored was lost; the client may retry).
pub fn respond_error(e: &EngineError) -> Response {
    match e {
        EngineError::Rejected(r) => respond_rejection(r),
        permanent if permanent.is_permanent() => {
            respond_rejection(&Rejection::new(ErrorCode::StorageCorrupt, permanent.to_string()))
        }
        other => respond_rejection(&Rejection::new(ErrorCode::Unavailable, other.to_string())),
    }
}

/// 202 for a new event, 200 for a duplicate.
pub fn respond_accepted(a: &Accepted) -> Response {
    let mut body = serde_json::json!({
        "event_id": a.event_id,
        "request_id": a.request_id,
        "seq": a.seq,
        "duplicate": a.duplicate,
    });
    if let Some(op) = a.operation_id {
        body["operation_id"] = serde_json::json!(op);
    }
    Response::json(if a.duplicate { 200 } else { 202 }, body.to_string())
}

/// The snapshot with its ETag, or 304 when `if_none_match` names it.
pub fn respond_snapshot<D: Domain, S: microcos_core::Store>(
    engine: &microcos_core::Engine<D, S>,
    now: Timestamp,
    if_none_match: Option<&str>,
) -> Response {
    let etag = format!("\"{}.{}\"", engine.state().seq.0, engine.live_tokens());
    let headers = vec![("etag".to_string(), etag.clone())];
    if crate::web::not_modified(if_none_match, &etag) {
        return Response { status: 304, headers, body: String::new() };
    }
    let body = serde_json::to_string(&engine.view(now)).unwrap_or_default();
    Response { status: 200, headers, body }
}

/// A page of the log. `rows` are what the store returned for `limit + 1`
/// (one extra row tells whether there are more).
pub fn respond_events(rows: &[Row], after: Seq, limit: usize) -> Response {
    let page = &rows[..rows.len().min(limit)];
    let mut body = String::with_capacity(page.iter().map(|r| r.body.len() + 1).sum::<usize>() + 64);
    body.push_str("{\"events\":[");
    for (i, row) in page.iter().enumerate() {
        if i > 0 {
            body.push(',');
        }
        body.push_str(&row.body); // stored envelopes are already canonical JSON
    }
    let next = page.last().map_or(after, |r| r.seq);
    body.push_str(&format!("],\"next_after\":{},\"more\":{}}}", next.0, rows.len() > limit));
    Response::json(200, body)
}

#[cfg(test)]
mod tests {
    use super::*;

    // Routing and stream answers through a real domain are tested in the
    // workspace's tests/across_crates.rs (this crate's dev-dependencies stay
    // free of the crates above it, so that it publishes).

    #[test]
    fn a_stream_closes_once_refusals_outnumber_other_answers_by_the_bound() {
        let refused = respond_rejection(&Rejection::new(ErrorCode::RateLimited, "slow down"));
        let accepted = Response::json(202, String::from("{}"));
        // Honouring retry_after: one refusal per accepted event, for ever.
        let mut polite = StreamRefusals::default();
        for _ in 0..1_000 {
            assert!(!polite.count(&refused));
            assert!(!polite.count(&accepted));
        }
        // Three times the rate: two refusals per accepted event.
        let mut flood = StreamRefusals::default();
        let mut answers = 0;
        while !flood.count(if answers % 3 == 0 { &accepted } else { &refused }) {
            answers += 1;
        }
        assert!(answers < 3 * STREAM_REFUSALS_BEFORE_CLOSE as usize + 3, "{answers}");
        assert_eq!(flood.0, STREAM_REFUSALS_BEFORE_CLOSE);
    }

    #[test]
    fn query_decoding() {
        assert_eq!(query_param("a=1&b=x%20y+z", "b").as_deref(), Some("x y z"));
        assert_eq!(query_param("a=%zz%", "a").as_deref(), Some("%zz%"));
        assert_eq!(query_param("a=%+E", "a").as_deref(), Some("% E"), "a sign is not a hex digit");
        assert_eq!(query_param("a", "a").as_deref(), Some(""));
        assert_eq!(query_param("", "a"), None);
    }
}
