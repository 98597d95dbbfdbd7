//! [`Object`]: the Durable Object that is one user's state machine, for
//! any domain ([`crate::user_object!`] declares the concrete
//! `#[durable_object]` a Worker exports; the assistant's is `UserObject`).
//!
//! Transport code around the shared host protocol ([`microcos_host::Host`]):
//! the host restores the user from its latest snapshot plus the log tail on
//! first use, serves the routes the Worker forwards, streams generations as
//! background tasks while it keeps serving, and keeps the object's single
//! alarm on the earliest pending job — or, while a generation runs, on a
//! watchdog that resumes it if the object is evicted. This file supplies
//! `wait_until`, console logs, the alarm, and the WebSocket upgrade.

use microcos_host::log::{Level, Line};
use std::cell::RefCell;
use std::rc::Rc;

use microcos_core::{
    uuid::Uuid, Clock, Domain, EngineError, ErrorCode, EventId, Rejection, RequestId, StoreError, Timestamp, UserId,
};
use microcos_host::auth::Verified;
use microcos_host::edge::{self, close, Action};
use microcos_host::{Host, HostConfig, HostParts, Report, RequestIds, Served, Subscribed, Task, Transport};
use worker::{Env, Method, Request, Response, Result, State, WebSocket, WebSocketIncomingMessage, WebSocketPair};

use crate::ai::WorkersAi;
use crate::push::DoPush;
use crate::store::DoStore;
use crate::{header, read_capped, to_response, Head, PlatformClock, EXPIRES_HEADER, USER_HEADER};

/// How long a generation may go silent before the watchdog alarm resumes it.
const WATCHDOG_MS: u64 = 60_000;
/// Idle timeout of a model stream.
const IDLE_MS: u64 = 30_000;

type UserHost<D> = Host<D, DoStore, WorkersAi, PlatformClock, DoPush, DoTransport>;

/// One user's state machine for the domain `D`: what a `#[durable_object]`
/// delegates to ([`crate::user_object!`] writes that struct and its
/// `DurableObject` impl).
pub struct Object<D: Domain> {
    state: Rc<State>,
    env: Env,
    domain: D,
    host: RefCell<Option<Rc<UserHost<D>>>>,
    /// The open streams' counts of refused events, where not zero.
    refusals: RefCell<Vec<(WebSocket, edge::StreamRefusals)>>,
    /// The budget of this user's per-request lines.
    access: RefCell<microcos_host::log::LogBudget>,
}

fn storage_error(e: impl std::fmt::Display) -> worker::Error {
    worker::Error::RustError(e.to_string())
}

fn backend(e: impl std::fmt::Display) -> EngineError {
    EngineError::Store(StoreError::Backend(e.to_string()))
}

/// The object's side of the host protocol: `wait_until` tasks, console
/// logs, and the object's single alarm, which also closes streams whose
/// token expired (each socket carries its token's expiry as its attachment).
pub struct DoTransport {
    state: Rc<State>,
    /// The object's user (every line names it).
    user: UserId,
    /// The host's alarm, as it last asked.
    host_alarm: Rc<std::cell::Cell<Option<Timestamp>>>,
}

/// When the object's alarm should ring: the host's alarm or the first
/// stream expiry still to come, whichever is earlier, and never before
/// `now + 1` ms. An expiry at or before `now` is a stream the alarm has
/// already closed (a closing socket stays listed until its close completes):
/// counting it would re-arm at once, again and again.
fn alarm_at(host: Option<Timestamp>, expiries: impl IntoIterator<Item = u64>, now: Timestamp) -> Option<Timestamp> {
    let first_expiry = expiries.into_iter().filter(|&at| at > now.0).min().map(Timestamp);
    [host, first_expiry].into_iter().flatten().min().map(|at| Timestamp(at.0.max(now.0 + 1)))
}

impl DoTransport {
    /// Sets the object's alarm ([`alarm_at`]).
    fn set_alarm(&self) {
        let now = PlatformClock.now();
        let expiries = self.state.get_websockets().iter().filter_map(expiry).collect::<Vec<_>>();
        let at = alarm_at(self.host_alarm.get(), expiries, now);
        let state = self.state.clone();
        self.state.wait_until(async move {
            let storage = state.storage();
            let result = match at {
                Some(at) => {
                    // An absolute time (an integer would be read as an offset from now).
                    let when = worker::js_sys::Date::new(&worker::js_sys::Number::from(at.0 as f64).into());
                    storage.set_alarm(worker::ScheduledTime::new(when)).await
                }
                None => storage.delete_alarm().await,
            };
            if let Err(e) = result {
                crate::log_line(&Line::new(Level::Error, "cannot set the alarm").field("error", e.to_string()));
            }
        });
    }

    /// Closes the streams whose token expired by `now`.
    fn close_expired(&self, now: Timestamp) {
        for ws in self.state.get_websockets() {
            if expiry(&ws).is_some_and(|at| at <= now.0) {
                let _ = ws.close(Some(close::TOKEN_EXPIRED), Some("token expired: reconnect with a fresh token"));
            }
        }
    }
}

impl Transport for DoTransport {
    fn spawn(&self, task: Task) {
        self.state.wait_until(task.future);
    }

    fn report(&self, report: Report<'_>) {
        // JSON lines, which Workers Logs indexes: the local service's messages and fields.
        crate::log_line(&report.line().field("user", self.user.as_str()));
    }

    fn rearm(&self, at: Option<Timestamp>) {
        self.host_alarm.set(at);
        self.set_alarm();
    }
}

/// When a stream's token expires (ms): the socket's attachment.
fn expiry(ws: &WebSocket) -> Option<u64> {
    ws.deserialize_attachment::<u64>().ok().flatten()
}

impl<D: Domain> Object<D> {
    /// The object of `domain`, as the runtime constructs it.
    pub fn new(state: State, env: Env, domain: D) -> Self {
        // The stream's heartbeat, answered by the runtime without waking the
        // object (nor keeping it from hibernating); `websocket_message`
        // answers it too, should the runtime not.
        if let Ok(pair) = worker::worker_sys::WebSocketRequestResponsePair::new(edge::PING, edge::PONG) {
            state.set_websocket_auto_response(&pair);
        }
        Object {
            state: Rc::new(state),
            env,
            domain,
            host: RefCell::new(None),
            refusals: RefCell::default(),
            access: RefCell::default(),
        }
    }

    /// A stream's count of refused events ([`edge::StreamRefusals`]).
    fn refusals(&self, ws: &WebSocket) -> edge::StreamRefusals {
        let counts = self.refusals.borrow();
        counts.iter().find(|(w, _)| w == ws).map_or_else(Default::default, |(_, r)| *r)
    }

    /// Keeps a stream's count: only non-zero counts are kept, so at most one
    /// per open stream (a hibernated object, which no flooding client lets
    /// hibernate, starts again from zero).
    fn set_refusals(&self, ws: &WebSocket, refusals: edge::StreamRefusals) {
        let mut counts = self.refusals.borrow_mut();
        counts.retain(|(w, _)| w != ws);
        if refusals.0 > 0 {
            counts.push((ws.clone(), refusals));
        }
    }

    /// The host, opening the engine from storage on first use. `user` is
    /// the verified user of the request; an alarm passes `None` and the id
    /// stored at first use is read back.
    fn open(&self, user: Option<&UserId>) -> std::result::Result<Rc<UserHost<D>>, EngineError> {
        if let Some(h) = self.host.borrow().as_ref() {
            return Ok(h.clone());
        }
        // Feature `test-hooks` only (the e2e build's): a deployed Worker reads no test variable.
        let fault = if cfg!(feature = "test-hooks") {
            self.env.var("MICROCOS_TEST_FAIL_BATCH_AT").ok().and_then(|v| v.to_string().parse().ok())
        } else {
            None
        };
        let store = DoStore::open(self.state.storage())?.fail_batches_at(fault);
        let user = match user {
            Some(u) => {
                if store.meta("user_id")?.is_none() {
                    store.set_meta("user_id", u.as_str())?;
                }
                u.clone()
            }
            None => match store.meta("user_id")?.as_deref().and_then(UserId::parse) {
                Some(u) => u,
                None => return Err(backend("this object has no user yet")),
            },
        };
        // Read with Reflect so that a local stand-in bound as `AI` works too.
        let ai = worker::js_sys::Reflect::get(&self.env, &worker::wasm_bindgen::JsValue::from_str("AI"))
            .map_err(|_| backend("no AI binding"))?;
        let transport = DoTransport { state: self.state.clone(), user: user.clone(), host_alarm: Rc::default() };
        let parts = HostParts {
            user,
            config: crate::config(&self.env),
            host: HostConfig::default(),
            domain: self.domain.clone(),
            store,
            llm: WorkersAi::new(ai, IDLE_MS),
            clock: PlatformClock,
            push: DoPush::new(self.state.clone()),
            transport,
            watchdog_ms: WATCHDOG_MS,
        };
        let (host, _) = Host::open(parts)?;
        *self.host.borrow_mut() = Some(host.clone());
        Ok(host)
    }
}

/// The runtime's entry points, each delegated to by the `#[durable_object]`.
impl<D: Domain> Object<D> {
    /// A request the Worker forwarded ([`crate::edge()`]).
    pub async fn fetch(&self, mut req: Request) -> Result<Response> {
        let request_id =
            header(&req, "x-request-id").and_then(|s| RequestId::parse(&s)).unwrap_or(RequestId(Uuid::new_v4()));
        let now = PlatformClock.now();
        // The Worker authenticated the request (the object is reachable only
        // through it) and names the user; the object routes and validates.
        let verified = header(&req, USER_HEADER).and_then(|u| UserId::parse(&u)).map(|user| {
            let expires = header(&req, EXPIRES_HEADER).and_then(|e| e.parse().ok()).map_or(now, Timestamp);
            Verified { user, expires }
        });
        let Some(verified) = verified else {
            let r = Rejection::new(ErrorCode::Unauthorized, "requests reach a user's object through the Worker");
            return to_response(edge::respond_rejection(&r), request_id);
        };
        if let Some(answer) = crate::object_revocation(&req, &self.state, &verified.user, request_id) {
            return answer;
        }
        let head = Head::read(&req, false);
        let limits = HostConfig::default().limits;
        if let Some(refused) = head.check(&limits) {
            return to_response(refused, request_id);
        }
        let body = if req.method() == Method::Post {
            read_capped(&mut req, head.content_length, limits.max_body_bytes + 1).await?
        } else {
            Vec::new()
        };
        let verified_user = verified.user.clone();
        let action = edge::route_as(&head.http(&body), verified, &self.domain, &limits);
        let user = match &action {
            Action::Respond(r) => {
                if crate::access_line(&self.access, verified_user.as_str()) {
                    let (method, path) = (&head.method, &head.path);
                    crate::log_line(&crate::request_line(
                        request_id,
                        method,
                        path,
                        Some(verified_user.as_str()),
                        r.status,
                    ));
                }
                return to_response(r.clone(), request_id);
            }
            Action::Submit { user, .. }
            | Action::Snapshot { user }
            | Action::Events { user, .. }
            | Action::Stream { user, .. } => user.clone(),
        };
        let host = match self.open(Some(&user)) {
            Ok(h) => h,
            Err(e) if e.is_permanent() => {
                let msg = "the user's stored data is unreadable: restore the object's storage from a point in time \
                           before the damage (or delete the object to start the user afresh); until then this \
                           user's requests answer 500 storage_corrupt";
                crate::log_line(
                    &Line::new(Level::Error, msg).field("user", user.as_str()).field("error", e.to_string()),
                );
                return to_response(edge::respond_error(&e), request_id);
            }
            Err(e) => {
                let line = Line::new(Level::Error, "cannot open the user's store").field("user", user.as_str());
                crate::log_line(&line.field("error", e.to_string()));
                return to_response(microcos_host::host::unavailable(), request_id);
            }
        };
        let ids = RequestIds { request_id, event_id: EventId(Uuid::new_v4()) };
        let if_none_match = if head.method == "GET" { header(&req, "if-none-match") } else { None };
        // A submit's line is the host's report (`accepted` or `refused`).
        let submit = matches!(action, Action::Submit { .. });
        let (cursor, expires) = match host.serve(action, ids, if_none_match.as_deref()) {
            Served::Response(r) => {
                if !submit && crate::access_line(&self.access, user.as_str()) {
                    let (method, path) = (&head.method, &head.path);
                    crate::log_line(&crate::request_line(request_id, method, path, Some(user.as_str()), r.status));
                }
                return to_response(r, request_id);
            }
            Served::Stream { cursor, expires } => (cursor, expires),
        };
        if !header(&req, "upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket")) {
            let r = Rejection::new(ErrorCode::UpgradeRequired, "connect with a WebSocket to stream events");
            return to_response(edge::respond_rejection(&r), request_id);
        }
        let pair = WebSocketPair::new()?;
        // Accept, then send the backlog, inside the host's registration: no
        // live frame can fall between the two.
        let registered = host.subscribe(cursor, |_push, backlog| {
            self.state.accept_web_socket(&pair.server);
            pair.server.serialize_attachment(expires.0)?;
            backlog.iter().try_for_each(|frame| pair.server.send_with_str(frame))
        });
        match registered {
            Ok(Subscribed::Live(sent)) => {
                sent?;
                host.transport().set_alarm(); // the stream closes when its token expires
            }
            Ok(Subscribed::Part(part)) => {
                // Not registered: this part, then the client resumes from its cursor.
                pair.server.accept()?;
                part.iter().try_for_each(|frame| pair.server.send_with_str(frame))?;
                pair.server.close(Some(close::RESUME), Some("the backlog continues: resume from your cursor"))?;
            }
            Ok(Subscribed::Full) => {
                pair.server.accept()?;
                pair.server.close(Some(close::TOO_MANY_SUBSCRIBERS), Some("too many subscribers for this user"))?;
            }
            Err(r) => return to_response(r, request_id),
        }
        let response = Response::from_websocket(pair.client)?;
        if !edge::offers_stream_protocol(header(&req, "sec-websocket-protocol").as_deref()) {
            return Ok(response);
        }
        // A browser fails the connection unless the server picks a protocol it offered.
        let headers = worker::Headers::new();
        headers.set("sec-websocket-protocol", edge::STREAM_PROTOCOL)?;
        Ok(response.with_headers(headers))
    }

    /// The object's alarm: jobs, retries, the watchdog, expired streams.
    pub async fn alarm(&self) -> Result<Response> {
        // Opening recovers interrupted generations; the tick fires due jobs
        // and sets the next alarm (after the expired streams are closed).
        let host = self.open(None).map_err(storage_error)?;
        host.transport().close_expired(PlatformClock.now());
        host.tick();
        Response::ok("")
    }

    /// A client event sent on the stream: recorded as `POST /v1/events`
    /// would, answered on the same socket with an `ack` or `error` frame
    /// (after the frames the event produced, its own first).
    pub async fn websocket_message(&self, ws: WebSocket, message: WebSocketIncomingMessage) -> Result<()> {
        let now = PlatformClock.now();
        if expiry(&ws).is_none_or(|at| at <= now.0) {
            // The token expired before the alarm closed the stream.
            return ws.close(Some(close::TOKEN_EXPIRED), Some("token expired: reconnect with a fresh token"));
        }
        if matches!(&message, WebSocketIncomingMessage::String(text) if text == edge::PING) {
            return ws.send_with_str(edge::PONG); // the heartbeat, had the auto-response not answered it
        }
        let mut refusals = self.refusals(&ws);
        if refusals.0 >= edge::STREAM_REFUSALS_BEFORE_CLOSE {
            return Ok(()); // closing (close::RATE_LIMITED): what the client sent before it knew is not served
        }
        let message = match message {
            WebSocketIncomingMessage::String(text) => text.into_bytes(),
            WebSocketIncomingMessage::Binary(_) => return ws.send_with_str(edge::binary_frame_answer()),
        };
        let host = self.open(None).map_err(storage_error)?;
        let user = host.engine().user().clone();
        let action = edge::route_message(&message, user.clone(), &self.domain, &HostConfig::default().limits);
        let ids = RequestIds { request_id: RequestId(Uuid::new_v4()), event_id: EventId(Uuid::new_v4()) };
        let response = match host.serve(action, ids, None) {
            Served::Response(r) => r,
            Served::Stream { .. } => microcos_host::host::unavailable(),
        };
        ws.send_with_str(edge::answer_frame(&response))?;
        let close_now = refusals.count(&response);
        self.set_refusals(&ws, refusals);
        if close_now {
            if crate::access_line(&self.access, user.as_str()) {
                let line = Line::new(Level::Info, "stream closed: its client kept sending while refused");
                crate::log_line(&line.field("user", user.as_str()).field("refused", refusals.0));
            }
            ws.close(Some(close::RATE_LIMITED), Some("too many refused events: wait, then resume from your cursor"))?;
        }
        Ok(())
    }

    /// A stream closed by its client.
    pub async fn websocket_close(&self, ws: WebSocket, code: usize, _reason: String, _was_clean: bool) -> Result<()> {
        self.set_refusals(&ws, edge::StreamRefusals::default());
        let _ = ws.close(Some(code.clamp(1000, 4999) as u16), Some("closing"));
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_alarm_never_rings_for_a_stream_it_already_closed_nor_in_the_past() {
        let now = Timestamp(10_000);
        // The stream that expired at 9,000 is closing: not a reason to ring at once.
        assert_eq!(alarm_at(None, [9_000, 10_000], now), None);
        assert_eq!(alarm_at(None, [9_000, 50_000], now), Some(Timestamp(50_000)));
        assert_eq!(alarm_at(Some(Timestamp(20_000)), [9_000, 50_000], now), Some(Timestamp(20_000)));
        // A host alarm already due rings as soon as it can (the kernel backs off one that stays due).
        assert_eq!(alarm_at(Some(Timestamp(3)), [], now), Some(Timestamp(10_001)));
    }
}
