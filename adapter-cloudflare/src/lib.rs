//! # microcos-cloudflare
//!
//! microcos on Cloudflare: the Worker is the HTTP edge, one SQLite-backed
//! Durable Object per user is the state machine, Workers AI streams Llama 3.3.
//! Both run the shared pure edge ([`microcos_host::edge`]) and host protocol, so the Worker
//! answers exactly like the local service: same routes, errors and statuses.
//!
//! # Layout
//!
//! - this file: the Worker's fetch handler (authenticate, validate, route to
//!   the user's object by `id_from_name(user)`), and shared helpers;
//! - [`object`]: the Durable Object (restore, serve, stream, alarms);
//! - [`store`], [`push`], [`ai`]: the `Store`, `Push` and `Llm` ports on the
//!   platform (SQLite storage, hibernatable WebSockets, the AI binding).
//!
//! Bindings (see `wrangler.toml`): `USERS` (Durable Object namespace of
//! [`UserObject`], SQLite storage), `AI` (Workers AI), secret `MICROCOS_SECRET`
//! (and, while rotating keys, `MICROCOS_PREVIOUS_SECRET`).

#![deny(missing_docs)]

pub mod ai;
#[allow(missing_docs)] // the #[durable_object] macro generates undocumented exports
pub mod object;
pub mod push;
pub mod store;

pub use object::UserObject;

use microcos_assistant::{Assistant, AssistantEvent};
use microcos_core::{uuid::Uuid, Clock, Config, RequestId, Timestamp};
use microcos_host::auth::Keys;
use microcos_host::edge::{self, Action, HttpRequest, Response as EdgeResponse};
use worker::{event, Context, Date, Env, Headers, Method, Request, RequestInit, Response, Result};

/// Header carrying the verified user from the Worker to the object.
pub const USER_HEADER: &str = "x-microcos-user";

/// The platform clock.
#[derive(Clone, Copy, Debug, Default)]
pub struct PlatformClock;

impl Clock for PlatformClock {
    fn now(&self) -> Timestamp {
        Timestamp(Date::now().as_millis())
    }
}

pub(crate) fn header(req: &Request, name: &str) -> Option<String> {
    req.headers().get(name).ok().flatten()
}

fn secret_named(env: &Env, name: &str) -> Option<String> {
    env.secret(name).map(|s| s.to_string()).or_else(|_| env.var(name).map(|v| v.to_string())).ok()
}

/// The token keys: `MICROCOS_SECRET`, and during a rotation
/// `MICROCOS_PREVIOUS_SECRET` (verifies only). With a current secret missing
/// or shorter than 32 bytes, every authenticated request is answered 503 by
/// the shared edge, and this logs why.
pub(crate) fn keys(env: &Env) -> Keys {
    let current = secret_named(env, "MICROCOS_SECRET").unwrap_or_default();
    let keys = Keys::new(current.as_bytes());
    if !keys.usable() {
        worker::console_error!(
            "MICROCOS_SECRET is missing or shorter than {} bytes: requests are refused with 503; \
             set it with `wrangler secret put MICROCOS_SECRET`",
            microcos_host::auth::MIN_SECRET_BYTES
        );
    }
    match secret_named(env, "MICROCOS_PREVIOUS_SECRET") {
        Some(previous) => keys.with_previous(previous.as_bytes()),
        None => keys,
    }
}

/// A request's parts, read once.
pub(crate) struct Parts {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) body: Vec<u8>,
    keys: Keys,
}

impl Parts {
    /// Reads method, path and query, answers what the edge can refuse
    /// without the body (`Err`: a bad route or token, an announced body
    /// over the limit), and only then reads the body, at most one byte past
    /// the limit.
    pub(crate) async fn read(
        req: &mut Request,
        env: &Env,
        now: Timestamp,
    ) -> Result<std::result::Result<Parts, EdgeResponse>> {
        let url = req.url()?;
        let method = req.method().to_string();
        let (path, query) = (url.path().to_string(), url.query().unwrap_or("").to_string());
        let keys = keys(env);
        let limits = Config::default().limits;
        let authorization = header(req, "authorization");
        let content_type = header(req, "content-type");
        let protocol = header(req, "sec-websocket-protocol");
        let content_length = header(req, "content-length").and_then(|v| v.trim().parse::<u64>().ok());
        let head = HttpRequest {
            method: &method,
            path: &path,
            query: &query,
            authorization: authorization.as_deref(),
            content_type: content_type.as_deref(),
            body: &[],
            websocket_protocol: protocol.as_deref(),
        };
        if let Some(refused) = edge::before_body(&head, content_length, &keys, &limits, now) {
            return Ok(Err(refused));
        }
        let body =
            if req.method() == Method::Post { read_capped(req, limits.max_body_bytes + 1).await? } else { Vec::new() };
        Ok(Ok(Parts { method, path, query, body, keys }))
    }

    /// Runs the shared edge: routing, authentication, validation.
    pub(crate) fn route(&self, req: &Request, now: Timestamp) -> Action<AssistantEvent> {
        let authorization = header(req, "authorization");
        let content_type = header(req, "content-type");
        let protocol = header(req, "sec-websocket-protocol");
        let http = HttpRequest {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            authorization: authorization.as_deref(),
            content_type: content_type.as_deref(),
            body: &self.body,
            websocket_protocol: protocol.as_deref(),
        };
        edge::route(&http, &self.keys, &Assistant::default(), &Config::default().limits, now)
    }
}

/// Reads at most `cap` bytes of the body (a longer body is refused by the
/// edge from its length alone, without reading the rest).
async fn read_capped(req: &mut Request, cap: usize) -> Result<Vec<u8>> {
    use futures_util::StreamExt;
    let mut stream = req.stream()?;
    let mut body = Vec::new();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk?;
        let room = cap.saturating_sub(body.len());
        body.extend_from_slice(&chunk[..chunk.len().min(room)]);
        if body.len() >= cap {
            break;
        }
    }
    Ok(body)
}

pub(crate) fn to_response(r: EdgeResponse, request_id: RequestId) -> Result<Response> {
    let headers = Headers::new();
    headers.set("x-request-id", &request_id.to_string())?;
    if r.status != 304 {
        headers.set("content-type", "application/json")?;
    }
    for (k, v) in &r.headers {
        headers.set(k, v)?;
    }
    let body = if r.status == 304 { Vec::new() } else { r.body.into_bytes() };
    Ok(Response::from_bytes(body)?.with_status(r.status).with_headers(headers))
}

/// The Worker: the edge. Answers bad requests itself; forwards the rest to
/// the user's Durable Object.
#[event(fetch)]
async fn fetch(mut req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let request_id = RequestId(Uuid::new_v4());
    let now = PlatformClock.now();
    let parts = match Parts::read(&mut req, &env, now).await? {
        Ok(parts) => parts,
        Err(refused) => {
            let path = req.path();
            worker::console_log!(
                "request request_id={request_id} path={path} status={} (before the body)",
                refused.status
            );
            return to_response(refused, request_id);
        }
    };
    let action = parts.route(&req, now);
    let (method, path, body) = (&parts.method, &parts.path, &parts.body);
    let user = match action {
        Action::Respond(r) => {
            worker::console_log!("request request_id={request_id} method={method} path={path} status={}", r.status);
            return to_response(r, request_id);
        }
        Action::Submit { user, .. }
        | Action::Snapshot { user }
        | Action::Events { user, .. }
        | Action::Stream { user, .. } => user,
    };
    // Forward the request as received, plus the request id and the verified user.
    let headers = Headers::new();
    for (k, v) in req.headers().entries() {
        headers.set(&k, &v)?;
    }
    headers.set("x-request-id", &request_id.to_string())?;
    headers.set(USER_HEADER, user.as_str())?;
    let mut init = RequestInit::new();
    init.with_method(req.method()).with_headers(headers);
    if !body.is_empty() {
        init.with_body(Some(worker::js_sys::Uint8Array::from(body.as_slice()).into()));
    }
    let forwarded = Request::new_with_init(req.url()?.as_str(), &init)?;
    let stub = env.durable_object("USERS")?.id_from_name(user.as_str())?.get_stub()?;
    let response = stub.fetch_with_request(forwarded).await?;
    worker::console_log!(
        "request request_id={request_id} method={method} path={path} user={user} status={}",
        response.status_code()
    );
    Ok(response)
}
