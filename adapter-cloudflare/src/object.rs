//! [`UserObject`]: the Durable Object that is one user's state machine.
//!
//! It restores from its latest snapshot plus the log tail on first use,
//! serves the routes the Worker forwards with the shared pure edge, streams
//! generations as background tasks (`wait_until`) while it keeps serving,
//! and keeps its single alarm on the earliest pending job — or, while a
//! generation runs, on a watchdog that resumes it if the object is evicted.

use std::cell::RefCell;
use std::rc::Rc;

use microcos_assistant::Assistant;
use microcos_core::edge::{self, Action};
use microcos_core::{
    uuid::Uuid, Clock, Config, Driver, Engine, EngineError, ErrorCode, EventId, Rejection, RequestId, RequestMeta,
    Store, UserId,
};
use worker::{
    durable_object, DurableObject, Env, Request, Response, Result, State, WebSocket, WebSocketIncomingMessage,
    WebSocketPair,
};

use crate::ai::WorkersAi;
use crate::push::DoPush;
use crate::store::DoStore;
use crate::{header, to_response, Parts, PlatformClock, USER_HEADER};

/// How long a generation may go silent before the watchdog alarm resumes it.
const WATCHDOG_MS: u64 = 60_000;
/// Idle timeout of a model stream.
const IDLE_MS: u64 = 30_000;

type UserDriver = Driver<Assistant, DoStore, DoPush, WorkersAi, PlatformClock>;

/// One user's state machine.
#[durable_object]
pub struct UserObject {
    state: Rc<State>,
    env: Env,
    driver: RefCell<Option<Rc<UserDriver>>>,
}

fn storage_error(e: impl std::fmt::Display) -> worker::Error {
    worker::Error::RustError(e.to_string())
}

impl UserObject {
    /// The driver, opening the engine from storage on first use. `user` is
    /// the verified user of the request; an alarm passes `None` and the id
    /// stored at first use is read back.
    fn open(&self, user: Option<&UserId>) -> Result<Rc<UserDriver>> {
        if let Some(d) = self.driver.borrow().as_ref() {
            return Ok(d.clone());
        }
        let store = DoStore::open(self.state.storage().sql()).map_err(storage_error)?;
        let user = match user {
            Some(u) => {
                if store.meta("user_id").map_err(storage_error)?.is_none() {
                    store.set_meta("user_id", u.as_str()).map_err(storage_error)?;
                }
                u.clone()
            }
            None => match store.meta("user_id").map_err(storage_error)?.as_deref().and_then(UserId::parse) {
                Some(u) => u,
                None => return Err(storage_error("this object has no user yet")),
            },
        };
        // Read with Reflect so that a local stand-in bound as `AI` works too.
        let ai = worker::js_sys::Reflect::get(&self.env, &worker::wasm_bindgen::JsValue::from_str("AI"))
            .map_err(|_| storage_error("no AI binding"))?;
        let (engine, restored) = Engine::open(
            user.clone(),
            Config::default(),
            Assistant::default(),
            store,
            DoPush::new(self.state.clone()),
            PlatformClock.now(),
        )
        .map_err(storage_error)?;
        worker::console_log!(
            "user restored user={} seq={} snapshot_seq={:?} replayed={}",
            user,
            engine.machine().state().seq,
            restored.snapshot_seq.map(|s| s.0),
            restored.replayed
        );
        let driver = Rc::new(Driver::new(engine, WorkersAi::new(ai, IDLE_MS), PlatformClock));
        *self.driver.borrow_mut() = Some(driver.clone());
        Ok(driver)
    }

    /// Drops the engine after a storage failure: the next call reopens it.
    fn fail(&self, e: &EngineError) {
        if !matches!(e, EngineError::Rejected(_)) {
            worker::console_error!("storage failed, reopening on next use: {e}");
            self.driver.borrow_mut().take();
        }
    }

    /// Starts queued generations in the background and re-arms the alarm.
    fn kick(&self, driver: &Rc<UserDriver>) {
        let work = driver.engine_mut().take_work();
        for op in work {
            let (d, state) = (driver.clone(), self.state.clone());
            self.state.wait_until(async move {
                worker::console_log!("generation starting operation_id={op}");
                match d.run_operation(op).await {
                    Ok(()) => worker::console_log!("generation finished operation_id={op}"),
                    Err(e) => worker::console_error!("generation failed to record operation_id={op}: {e}"),
                }
                // Follow-up work (a summary) and the alarm.
                let more = d.engine_mut().take_work();
                for op in more {
                    let _ = d.run_operation(op).await;
                }
                arm(&state, &d).await;
            });
        }
        let (d, state) = (driver.clone(), self.state.clone());
        self.state.wait_until(async move { arm(&state, &d).await });
    }
}

/// Sets the alarm to the earliest job, or to the watchdog while generating.
async fn arm(state: &State, driver: &Rc<UserDriver>) {
    let now = PlatformClock.now();
    let (wake, generating) = {
        let engine = driver.engine();
        let generating = engine.machine().state().operations_in_flight().any(|o| o.status.is_active());
        (engine.next_wake(now), generating)
    };
    let watchdog = generating.then(|| now.plus_ms(WATCHDOG_MS));
    let at = [wake, watchdog].into_iter().flatten().min();
    let storage = state.storage();
    let result = match at {
        Some(at) => {
            // An absolute time (an integer would be read as an offset from now).
            let when = worker::js_sys::Date::new(&worker::js_sys::Number::from(at.0.max(now.0 + 1) as f64).into());
            storage.set_alarm(worker::ScheduledTime::new(when)).await
        }
        None => storage.delete_alarm().await,
    };
    if let Err(e) = result {
        worker::console_error!("cannot set the alarm: {e}");
    }
}

impl DurableObject for UserObject {
    fn new(state: State, env: Env) -> Self {
        UserObject { state: Rc::new(state), env, driver: RefCell::new(None) }
    }

    async fn fetch(&self, mut req: Request) -> Result<Response> {
        let request_id =
            header(&req, "x-request-id").and_then(|s| RequestId::parse(&s)).unwrap_or(RequestId(Uuid::new_v4()));
        let forwarded_user = header(&req, USER_HEADER).and_then(|u| UserId::parse(&u));
        let now = PlatformClock.now();
        // The object re-runs the pure edge: it trusts no header for the user.
        let action = Parts::read(&mut req).await?.route(&req, &self.env, now)?;
        let user = match &action {
            Action::Respond(r) => return to_response(r.clone(), request_id),
            Action::Submit { user, .. }
            | Action::Snapshot { user }
            | Action::Events { user, .. }
            | Action::Stream { user, .. } => user.clone(),
        };
        if forwarded_user.as_ref().is_some_and(|f| *f != user) {
            let r = Rejection::new(ErrorCode::Unauthorized, "token and object disagree");
            return to_response(edge::respond_rejection(&r), request_id);
        }
        let driver = match self.open(Some(&user)) {
            Ok(d) => d,
            Err(e) => {
                worker::console_error!("cannot open user={user}: {e}");
                let r = Rejection::new(ErrorCode::Unavailable, "storage unavailable; retry");
                return to_response(edge::respond_rejection(&r), request_id);
            }
        };
        let response = match action {
            Action::Submit { request, .. } => {
                let ty = request.event.event_type();
                let meta = RequestMeta { request_id, event_id: EventId(Uuid::new_v4()), timestamp: now };
                let result = driver.submit(request, meta);
                match &result {
                    Ok(a) => worker::console_log!(
                        "accepted request_id={} event_id={} seq={} duplicate={} type={} operation_id={}",
                        a.request_id,
                        a.event_id,
                        a.seq,
                        a.duplicate,
                        ty,
                        a.operation_id.map(|o| o.to_string()).unwrap_or_default()
                    ),
                    Err(e) => {
                        worker::console_log!("refused request_id={request_id}: {e}");
                        self.fail(e);
                    }
                }
                match result {
                    Ok(a) => edge::respond_accepted(&a),
                    Err(e) => edge::respond_error(&e),
                }
            }
            Action::Snapshot { .. } => {
                let inm = header(&req, "if-none-match");
                let engine = driver.engine();
                edge::respond_snapshot(engine.machine(), now, inm.as_deref())
            }
            Action::Events { after, limit, .. } => {
                let engine = driver.engine();
                match engine.store().read_after(after, limit + 1) {
                    Ok(rows) => edge::respond_events(&rows, after, limit),
                    Err(e) => edge::respond_error(&EngineError::Store(e)),
                }
            }
            Action::Stream { cursor, .. } => {
                if !header(&req, "upgrade").is_some_and(|u| u.eq_ignore_ascii_case("websocket")) {
                    let r = Rejection::new(ErrorCode::UpgradeRequired, "connect with a WebSocket to stream events");
                    return to_response(edge::respond_rejection(&r), request_id);
                }
                let backlog = match driver.engine().subscribe(&cursor) {
                    Ok(b) => b,
                    Err(e) => return to_response(edge::respond_error(&e), request_id),
                };
                let pair = WebSocketPair::new()?;
                // Accept, then send the backlog, with no await in between:
                // no live frame can fall between the two.
                self.state.accept_web_socket(&pair.server);
                for frame in &backlog {
                    pair.server.send_with_str(frame.to_json())?;
                }
                worker::console_log!("subscribed user={user} after={}", cursor.after);
                self.kick(&driver);
                return Response::from_websocket(pair.client);
            }
            Action::Respond(r) => r,
        };
        // Start queued work: the new operation, or work recovered on open.
        self.kick(&driver);
        to_response(response, request_id)
    }

    async fn alarm(&self) -> Result<Response> {
        let driver = self.open(None)?;
        if let Err(e) = driver.tick() {
            self.fail(&e);
            return Err(storage_error(e));
        }
        self.kick(&driver);
        Response::ok("")
    }

    async fn websocket_message(&self, _ws: WebSocket, _message: WebSocketIncomingMessage) -> Result<()> {
        Ok(()) // clients only listen; resuming is a new connection with a cursor
    }

    async fn websocket_close(&self, ws: WebSocket, code: usize, _reason: String, _was_clean: bool) -> Result<()> {
        let _ = ws.close(Some(code.clamp(1000, 4999) as u16), Some("closing"));
        Ok(())
    }
}
