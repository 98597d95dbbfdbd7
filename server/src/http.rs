//! The HTTP and WebSocket transport: every request goes through the shared
//! pure edge ([`microcos_host::edge::route`]) and the user's host protocol,
//! exactly like the Worker. Between authentication and routing, the token is
//! checked against the revocations ([`crate::revocations`]).

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::clock::SystemClock;
use axum::body::Body;
use axum::extract::ws::{Message, WebSocket, WebSocketUpgrade};
use axum::extract::{FromRequestParts, Request, State};
use axum::http::{HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::Router;
use futures_util::{SinkExt, StreamExt};
use microcos_core::{uuid::Uuid, Clock, Cursor, ErrorCode, EventId, Rejection, RequestId, Timestamp, UserId};
use microcos_host::auth::{check_revocation, Keys};
use microcos_host::edge::close;
use microcos_host::edge::{self, Action, HttpRequest};
use microcos_host::log::{AccessLog, ANONYMOUS};
use microcos_host::{RequestIds, Subscribed};

use crate::actor::{unavailable, Command, ServedDomain, Users};
use crate::metrics;
use crate::push::subscription;
use crate::revocations::{Revocations, STREAM_RECHECK};

/// Shared state of the HTTP layer.
#[derive(Clone)]
pub struct App<D: ServedDomain> {
    /// The user actors.
    pub users: Arc<Users<D>>,
    /// The token keys.
    pub keys: Arc<Keys>,
    /// The tokens revoked per user.
    pub revocations: Arc<Revocations>,
    /// Time to send a request's body.
    pub body_timeout: Duration,
    /// The per-request lines' budgets, per user ([`microcos_host::log`]).
    pub access: Arc<std::sync::Mutex<AccessLog>>,
    /// The web app at `/`, if the service has one.
    pub web: Option<Arc<crate::web::WebFiles>>,
    /// False while the service drains after a stop signal: `/readyz` answers 503.
    pub ready: Arc<std::sync::atomic::AtomicBool>,
}

/// The router: one fallback handler in front of the shared edge.
pub fn router<D: ServedDomain>(app: App<D>) -> Router {
    Router::new().fallback(handle).with_state(app)
}

fn header<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers.get(name).and_then(|v| v.to_str().ok())
}

fn to_http(r: edge::Response, request_id: RequestId) -> Response {
    let mut builder = axum::http::Response::builder()
        .status(StatusCode::from_u16(r.status).unwrap_or(StatusCode::SERVICE_UNAVAILABLE))
        .header("x-request-id", request_id.to_string());
    if r.status != 304 {
        builder = builder.header("content-type", "application/json");
    }
    for (k, v) in edge::API_HEADERS {
        builder = builder.header(*k, *v);
    }
    for (k, v) in &r.headers {
        if let Ok(v) = HeaderValue::from_str(v) {
            builder = builder.header(k.as_str(), v);
        }
    }
    builder.body(Body::from(r.body)).unwrap_or_else(|_| StatusCode::SERVICE_UNAVAILABLE.into_response())
}

/// Serves a request and counts it ([`crate::metrics`]): by method, route
/// (the API's paths, the web app's files as one, any other path as
/// `other`) and status, with the time from its arrival to its answer.
async fn handle<D: ServedDomain>(State(app): State<App<D>>, request: Request) -> Response {
    let started = Instant::now();
    let metrics = app.users.services().metrics.clone();
    let method = metrics::method(request.method().as_str());
    let path = request.uri().path();
    let route = metrics::route(path, app.web.as_ref().is_some_and(|web| web.holds(path)));
    let response = serve(app, request).await;
    metrics.request(method, route, response.status().as_u16(), started.elapsed());
    response
}

async fn serve<D: ServedDomain>(app: App<D>, request: Request) -> Response {
    let request_id = RequestId(Uuid::new_v4());
    let (mut parts, body) = request.into_parts();
    let method = parts.method.as_str().to_owned();
    let path = parts.uri.path().to_owned();
    let query = parts.uri.query().unwrap_or("").to_owned();
    let web = app.web.as_ref().and_then(|web| {
        let accept_encoding = header(&parts.headers, "accept-encoding");
        web.serve(&method, &path, header(&parts.headers, "if-none-match"), accept_encoding)
    });
    if let Some(file) = web {
        return file;
    }
    let limits = &app.users.services().host.limits;
    let body = if method == "POST" {
        let read = axum::body::to_bytes(Body::new(body), limits.max_body_bytes + 1);
        match tokio::time::timeout(app.body_timeout, read).await {
            Ok(Ok(b)) => b,
            Err(_) => {
                let r = Rejection::new(ErrorCode::RequestTimeout, "the body did not arrive in time");
                return finish(&app, None, (&method, &path), request_id, edge::respond_rejection(&r));
            }
            Ok(Err(_)) => {
                let r =
                    Rejection::new(ErrorCode::BodyTooLarge, format!("body exceeds {} bytes", limits.max_body_bytes));
                return finish(&app, None, (&method, &path), request_id, edge::respond_rejection(&r));
            }
        }
    } else {
        Default::default()
    };
    let now = SystemClock.now();
    let http = HttpRequest {
        method: &method,
        path: &path,
        query: &query,
        authorization: header(&parts.headers, "authorization"),
        content_type: header(&parts.headers, "content-type"),
        body: &body,
        websocket_protocol: header(&parts.headers, "sec-websocket-protocol"),
    };
    let mut issued = None;
    let action = match edge::authenticate_token(&http, &app.keys, now) {
        Err(response) => Action::Respond(response),
        Ok(token) => match app.revocations.check(&token) {
            Err(revoked) => Action::Respond(edge::respond_rejection(&revoked)),
            Ok(()) => {
                issued = token.issued;
                edge::route_as(&http, token.verified, &app.users.services().domain, limits)
            }
        },
    };
    let user = match &action {
        Action::Respond(_) => None,
        Action::Submit { user, .. }
        | Action::Snapshot { user }
        | Action::Events { user, .. }
        | Action::Stream { user, .. } => Some(user.clone()),
    };
    if let Some(broken) = user.as_ref().and_then(|u| app.users.broken(u)) {
        return finish(&app, user.as_ref(), (&method, &path), request_id, broken);
    }
    let response = match action {
        Action::Respond(mut r) => {
            let broken = app.users.broken_count();
            if path == "/healthz" && broken > 0 {
                // Still up for everyone else; an operator has work to do.
                r.body = format!(r#"{{"status":"degraded","storage_corrupt_users":{broken}}}"#);
            }
            if path == "/readyz" && r.status == 200 && !app.ready.load(std::sync::atomic::Ordering::Relaxed) {
                r.status = 503;
                r.body = String::from(r#"{"status":"draining"}"#);
            }
            r
        }
        Action::Stream { user, cursor, expires } => match WebSocketUpgrade::from_request_parts(&mut parts, &()).await {
            Ok(ws) => {
                if access_line(&app, user.as_str()) {
                    tracing::info!(%request_id, %user, after = cursor.after.0, "stream upgrade");
                }
                // Answer the subprotocol a browser offered (with its token beside it).
                // A client event sent on the stream is at most a POST body.
                let max = limits.max_body_bytes;
                let ws = ws.protocols([edge::STREAM_PROTOCOL]).max_message_size(max).max_frame_size(max);
                let token = StreamToken { expires, issued };
                return ws.on_upgrade(move |socket| stream(app, user, cursor, token, socket)).into_response();
            }
            Err(_) => edge::respond_rejection(&Rejection::new(
                ErrorCode::UpgradeRequired,
                "connect with a WebSocket to stream events",
            )),
        },
        Action::Submit { ref user, .. } | Action::Snapshot { ref user } | Action::Events { ref user, .. } => {
            let user = user.clone();
            let ids = RequestIds { request_id, event_id: EventId(Uuid::new_v4()) };
            let if_none_match = header(&parts.headers, "if-none-match").map(str::to_owned);
            app.users.call(&user, |reply| Command::Serve { action, ids, if_none_match, reply }).await
        }
    };
    finish(&app, user.as_ref(), (&method, &path), request_id, response)
}

/// Logs the request's line within its user's budget (or that of requests
/// naming no user: [`ANONYMOUS`]), then answers it.
fn finish(
    app: &App<impl ServedDomain>,
    user: Option<&UserId>,
    (method, path): (&str, &str),
    request_id: RequestId,
    response: edge::Response,
) -> Response {
    let key = user.map_or(ANONYMOUS, UserId::as_str);
    if access_line(app, key) {
        tracing::info!(%request_id, user = key, method, path, status = response.status, "request");
    }
    to_http(response, request_id)
}

/// Whether one more per-request line for `key` fits its budget; says first
/// how many were left out since the last one that did.
fn access_line(app: &App<impl ServedDomain>, key: &str) -> bool {
    let admitted = app.access.lock().unwrap_or_else(|p| p.into_inner()).admit(key, SystemClock.now());
    if let Some(left_out @ 1..) = admitted {
        tracing::warn!(user = key, lines = left_out, "request lines left out: this user's log budget was spent");
    }
    admitted.is_some()
}

/// What a stream knows of the token it was opened with.
struct StreamToken {
    /// When it expires: the stream closes then (4001).
    expires: Timestamp,
    /// When it was issued: the stream closes (4001) once it is revoked.
    issued: Option<Timestamp>,
}

async fn stream<D: ServedDomain>(app: App<D>, user: UserId, cursor: Cursor, token: StreamToken, socket: WebSocket) {
    let StreamToken { expires, issued } = token;
    let (subscriber, mut frames) = subscription();
    let (tx, rx) = tokio::sync::oneshot::channel();
    let sent = app.users.send(&user, Command::Subscribe { cursor, sender: subscriber, reply: tx }).await.is_ok();
    let (mut sink, mut incoming) = socket.split();
    let id = match (sent, rx.await) {
        (true, Ok(Ok(Subscribed::Live(Some(id))))) => id,
        (_, Ok(Ok(Subscribed::Part(part)))) => {
            for frame in part {
                if sink.send(Message::Text(frame.into())).await.is_err() {
                    return;
                }
            }
            return close_with(sink, close::RESUME, "the backlog continues: resume from your cursor").await;
        }
        (_, Ok(Ok(Subscribed::Full))) => {
            return close_with(sink, close::TOO_MANY_SUBSCRIBERS, "too many subscribers for this user").await;
        }
        (_, Ok(Err(r))) => {
            let _ = sink.send(Message::Text(r.body.into())).await;
            let _ = sink.close().await;
            return;
        }
        _ => {
            let _ = sink.send(Message::Text(unavailable().body.into())).await;
            let _ = sink.close().await;
            return;
        }
    };
    let expiry = tokio::time::sleep(Duration::from_millis(expires.0.saturating_sub(SystemClock.now().0)));
    tokio::pin!(expiry);
    let mut recheck = tokio::time::interval_at(tokio::time::Instant::now() + STREAM_RECHECK, STREAM_RECHECK);
    let mut refusals = edge::StreamRefusals::default();
    let (code, reason) = loop {
        tokio::select! {
            frame = frames.recv() => match frame {
                Some(text) => {
                    if sink.send(Message::Text(text.into())).await.is_err() {
                        break (None, "");
                    }
                }
                // Dropped by the actor: it fell behind its bound (or the actor stopped).
                None => break (Some(close::RESUME), "fell behind: resume from your cursor"),
            },
            message = incoming.next() => match message {
                Some(Ok(Message::Close(_))) | None | Some(Err(_)) => break (None, ""),
                Some(Ok(Message::Text(text))) if text.as_str() == edge::PING => {
                    // The heartbeat: answered at once, between the frames, and nothing else.
                    if sink.send(Message::Text(edge::PONG.into())).await.is_err() {
                        break (None, "");
                    }
                }
                Some(Ok(Message::Text(text))) => {
                    let response = submit_message(&app, &user, issued, text.as_bytes()).await;
                    let close_after = refusals.count(&response);
                    let answer = edge::answer_frame(&response);
                    // The frames the event produced (its own first) go before its answer.
                    let mut sent = true;
                    while let Some(frame) = frames.try_recv() {
                        sent &= sink.send(Message::Text(frame.into())).await.is_ok();
                    }
                    if !sent || sink.send(Message::Text(answer.into())).await.is_err() {
                        break (None, "");
                    }
                    if close_after {
                        if access_line(&app, user.as_str()) {
                            tracing::info!(%user, refused = refusals.0, "stream closed: its client kept sending while refused");
                        }
                        break (Some(close::RATE_LIMITED), "too many refused events: wait, then resume from your cursor");
                    }
                }
                Some(Ok(Message::Binary(_))) => {
                    // Events are JSON in text frames: the same answer as on the Worker.
                    if sink.send(Message::Text(edge::binary_frame_answer().into())).await.is_err() {
                        break (None, "");
                    }
                }
                Some(Ok(_)) => {}
            },
            () = &mut expiry => break (Some(close::TOKEN_EXPIRED), "token expired: reconnect with a fresh token"),
            _ = recheck.tick() => {
                if check_revocation(issued, app.revocations.revoked_before(&user)).is_err() {
                    break (Some(close::TOKEN_EXPIRED), "token revoked: reconnect with a new token");
                }
            }
        }
    };
    let _ = app.users.send(&user, Command::Unsubscribe { id }).await;
    match code {
        Some(code) => close_with(sink, code, reason).await,
        None => {
            let _ = sink.close().await;
        }
    }
}

/// Records a client event sent on the stream, as `POST /v1/events` would,
/// and returns its answer (sent as an `ack` or `error` frame).
async fn submit_message<D: ServedDomain>(
    app: &App<D>,
    user: &UserId,
    issued: Option<Timestamp>,
    message: &[u8],
) -> edge::Response {
    let services = app.users.services();
    if let Err(revoked) = check_revocation(issued, app.revocations.revoked_before(user)) {
        return edge::respond_rejection(&revoked);
    }
    match edge::route_message(message, user.clone(), &services.domain, &services.host.limits) {
        Action::Respond(refused) => refused,
        action => {
            let ids = RequestIds { request_id: RequestId(Uuid::new_v4()), event_id: EventId(Uuid::new_v4()) };
            app.users.call(user, |reply| Command::Serve { action, ids, if_none_match: None, reply }).await
        }
    }
}

/// Closes a stream with one of the documented codes ([`close`]).
async fn close_with(mut sink: futures_util::stream::SplitSink<WebSocket, Message>, code: u16, reason: &'static str) {
    let frame = axum::extract::ws::CloseFrame { code, reason: reason.into() };
    let _ = sink.send(Message::Close(Some(frame))).await;
    let _ = sink.close().await;
}
