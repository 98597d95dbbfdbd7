//! # microcos-cloudflare
//!
//! microcos on Cloudflare: the Worker is the HTTP edge, one SQLite-backed
//! Durable Object per user is the state machine, Workers AI streams Llama 3.3.
//! Together they run the shared pure edge ([`microcos_host::edge`]) and host
//! protocol, so the Worker answers exactly like the local service: same
//! routes, errors and statuses. The Worker authenticates; the object trusts
//! the user the Worker names (it is reachable only through the Worker's
//! binding) and routes and validates the request.
//!
//! # Layout
//!
//! - this file: the Worker's fetch handler (authenticate once, refuse what
//!   needs no body, forward the request with its body unread to the user's
//!   object by `id_from_name(user)`), and shared helpers;
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

use std::rc::Rc;

use microcos_core::{uuid::Uuid, Clock, Config, RequestId, Timestamp};
use microcos_host::auth::Keys;
use microcos_host::edge::{self, HttpRequest, Response as EdgeResponse};
use worker::{event, Context, Date, Env, Headers, Request, RequestInit, Response, Result};

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

/// Keys, with the current and previous secrets they were built from.
type CachedKeys = (String, Option<String>, Rc<Keys>);

thread_local! {
    /// The keys, built once per isolate (not per request: building hashes the secrets).
    static KEYS: std::cell::RefCell<Option<CachedKeys>> = const { std::cell::RefCell::new(None) };
}

/// The token keys: `MICROCOS_SECRET`, and during a rotation
/// `MICROCOS_PREVIOUS_SECRET` (verifies only). With a current secret missing
/// or shorter than 32 bytes, every authenticated request is answered 503 by
/// the shared edge, and this logs why.
pub(crate) fn keys(env: &Env) -> Rc<Keys> {
    let current = secret_named(env, "MICROCOS_SECRET").unwrap_or_default();
    let previous = secret_named(env, "MICROCOS_PREVIOUS_SECRET");
    KEYS.with_borrow_mut(|cached| {
        if let Some((c, p, keys)) = cached.as_ref() {
            if *c == current && *p == previous {
                return keys.clone();
            }
        }
        let mut keys = Keys::new(current.as_bytes());
        if !keys.usable() {
            worker::console_error!(
                "MICROCOS_SECRET is missing or shorter than {} bytes: requests are refused with 503; \
                 set it with `wrangler secret put MICROCOS_SECRET`",
                microcos_host::auth::MIN_SECRET_BYTES
            );
        }
        if let Some(previous) = &previous {
            keys = keys.with_previous(previous.as_bytes());
        }
        let keys = Rc::new(keys);
        *cached = Some((current, previous, keys.clone()));
        keys
    })
}

/// The kernel's configuration: the defaults, except the per-user request
/// rate, which the variables `MICROCOS_RATE_PER_S` and `MICROCOS_RATE_BURST`
/// may set (0: no limit; the e2e load figures use it).
pub(crate) fn config(env: &Env) -> Config {
    let var = |name: &str| env.var(name).ok().and_then(|v| v.to_string().parse().ok());
    let default = Config::default();
    Config {
        rate_per_s: var("MICROCOS_RATE_PER_S").unwrap_or(default.rate_per_s),
        rate_burst: var("MICROCOS_RATE_BURST").unwrap_or(default.rate_burst),
        ..default
    }
}

/// A request's method, path and query, and the headers the edge reads.
pub(crate) struct Head {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: String,
    authorization: Option<String>,
    content_type: Option<String>,
    protocol: Option<String>,
    content_length: Option<u64>,
}

impl Head {
    /// Reads what the edge needs of `req`, and no more: each header read
    /// crosses into JavaScript. The body's headers only for a POST, the
    /// stream's protocol only for a GET, the token only if `authorization`
    /// (the object trusts the user the Worker names).
    pub(crate) fn read(req: &Request, authorization: bool) -> Head {
        let method = req.method();
        let post = method == worker::Method::Post;
        // The path as the URL serialises it; the query after its `?` (the
        // fragment never reaches a server): no URL parse.
        let url = req.inner().url();
        let query = url.split_once('?').map_or("", |(_, q)| q.split('#').next().unwrap_or(""));
        Head {
            method: method.to_string(),
            path: req.path(),
            query: query.to_string(),
            authorization: if authorization { header(req, "authorization") } else { None },
            content_type: if post { header(req, "content-type") } else { None },
            protocol: if post { None } else { header(req, "sec-websocket-protocol") },
            content_length: if post {
                header(req, "content-length").and_then(|v| v.trim().parse::<u64>().ok())
            } else {
                None
            },
        }
    }

    /// The request as the edge sees it, with `body`.
    pub(crate) fn http<'a>(&'a self, body: &'a [u8]) -> HttpRequest<'a> {
        HttpRequest {
            method: &self.method,
            path: &self.path,
            query: &self.query,
            authorization: self.authorization.as_deref(),
            content_type: self.content_type.as_deref(),
            body,
            websocket_protocol: self.protocol.as_deref(),
        }
    }

    /// The refusals that need no body (415, 413 from `Content-Length`).
    pub(crate) fn check(&self, limits: &microcos_core::validate::Limits) -> Option<EdgeResponse> {
        edge::check_head(&self.http(&[]), self.content_length, limits)
    }
}

/// Reads at most `cap` bytes of the body (a longer body is refused by the
/// edge from its length alone, without reading the rest). A body whose
/// announced length fits is read in one call; one without a length is read
/// a chunk at a time, up to the cap.
pub(crate) async fn read_capped(req: &mut Request, length: Option<u64>, cap: usize) -> Result<Vec<u8>> {
    use futures_util::StreamExt;
    if length.is_some_and(|n| n <= cap as u64) {
        let mut body = req.bytes().await?;
        body.truncate(cap);
        return Ok(body);
    }
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
    Ok(worker::ResponseBuilder::new().with_status(r.status).with_headers(headers).fixed(body))
}

/// Header carrying the verified token's expiry (ms) from the Worker to the object.
pub const EXPIRES_HEADER: &str = "x-microcos-expires";

/// The Worker: the edge. It authenticates (the one token check of a
/// request), answers what it can refuse without the body, and forwards the
/// request, its body unread, to the user's Durable Object, which routes and
/// validates it as the verified user.
#[event(fetch)]
async fn fetch(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let request_id = RequestId(Uuid::new_v4());
    let now = PlatformClock.now();
    let head = Head::read(&req, true);
    let (method, path) = (&head.method, &head.path);
    if let (Some(file), "GET" | "HEAD") = (microcos_host::web::file_for(path), method.as_str()) {
        return web_file(&req, &env, file, request_id).await;
    }
    let refused = match edge::authenticate(&head.http(&[]), &keys(&env), now) {
        Ok(verified) => match head.check(&Config::default().limits) {
            Some(refused) => refused,
            None => return forward(req, &env, verified, request_id).await,
        },
        Err(refused) => refused,
    };
    worker::console_log!("request request_id={request_id} method={method} path={path} status={}", refused.status);
    to_response(refused, request_id)
}

/// One of the web app's files, read from the static assets binding `ASSETS`
/// (`[assets]` in wrangler.toml: `web/dist`), with the same ETag and headers
/// as the local service gives it ([`microcos_host::web`]).
async fn web_file(req: &Request, env: &Env, file: (&str, &str), request_id: RequestId) -> Result<Response> {
    let (name, content_type) = file;
    let Ok(assets) = env.assets("ASSETS") else {
        let r = microcos_core::Rejection::new(
            microcos_core::ErrorCode::NotFound,
            "this Worker is deployed without the web app: add [assets] to wrangler.toml (see the README)",
        );
        return to_response(edge::respond_rejection(&r), request_id);
    };
    let mut url = req.url()?;
    url.set_path(&format!("/{name}"));
    url.set_query(None);
    let mut upstream = assets.fetch(url.to_string(), None).await?;
    if upstream.status_code() != 200 {
        let r = microcos_core::Rejection::new(microcos_core::ErrorCode::NotFound, format!("no file {name}"));
        return to_response(edge::respond_rejection(&r), request_id);
    }
    let bytes = upstream.bytes().await?;
    let etag = microcos_host::web::etag(&bytes);
    let headers = Headers::new();
    headers.set("etag", &etag)?;
    for (k, v) in microcos_host::web::HEADERS {
        headers.set(k, v)?;
    }
    let current = microcos_host::web::not_modified(header(req, "if-none-match").as_deref(), &etag);
    let (status, body) = match (current, req.method() == worker::Method::Head) {
        (true, _) => (304, Vec::new()),
        (false, true) => (200, Vec::new()),
        (false, false) => (200, bytes),
    };
    if status == 200 {
        headers.set("content-type", content_type)?;
    }
    Ok(Response::from_bytes(body)?.with_status(status).with_headers(headers))
}

/// Forwards a request to its user's object: the same method, headers and
/// body (a stream, never read here), plus the request id, the user and the
/// token's expiry. A client cannot set those: they are overwritten.
async fn forward(
    req: Request,
    env: &Env,
    verified: microcos_host::auth::Verified,
    request_id: RequestId,
) -> Result<Response> {
    let user = verified.user;
    let headers = req.headers().clone();
    headers.set("x-request-id", &request_id.to_string())?;
    headers.set(USER_HEADER, user.as_str())?;
    headers.set(EXPIRES_HEADER, &verified.expires.0.to_string())?;
    let mut init = RequestInit::new();
    init.with_method(req.method()).with_headers(headers);
    if let Some(body) = req.inner().body() {
        init.with_body(Some(body.into()));
    }
    let forwarded = Request::new_with_init(&req.inner().url(), &init)?;
    let stub = env.durable_object("USERS")?.id_from_name(user.as_str())?.get_stub()?;
    // The object logs the request (with what it stored), not the Worker too:
    // a log line costs as much as a tenth of the request.
    stub.fetch_with_request(forwarded).await
}
