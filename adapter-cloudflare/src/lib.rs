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
//! # Any domain
//!
//! The adapter serves any [`Domain`](microcos_core::Domain) that is
//! `Default`: [`worker!`] declares a Worker's whole entry, the edge
//! ([`edge()`]) and the Durable Object class ([`user_object!`], delegating to
//! [`object::Object`]). An embedder's Worker crate (`crate-type =
//! ["cdylib", "rlib"]`, depending on this crate with `default-features =
//! false`, and on `worker` and `wasm-bindgen`, whose names the
//! `#[durable_object]` and `#[event]` macros expand to) is:
//!
//! ```ignore
//! mod domain; // your Domain, Default
//! microcos_cloudflare::worker!(UserObject, domain::Habits);
//! ```
//!
//! with the `wrangler.toml` of this crate's README (the class named in
//! `[[durable_objects.bindings]]` is the first argument). The feature
//! `assistant` (on by default) is this crate's own Worker: the assistant,
//! the one `wrangler deploy` of this crate serves.
//!
//! # Layout
//!
//! - this file: the Worker's fetch handler, [`edge()`] (authenticate once,
//!   refuse what needs no body, forward the request with its body unread to
//!   the user's object by `id_from_name(user)`), the macros, and shared
//!   helpers;
//! - [`object`]: the Durable Object (restore, serve, stream, alarms);
//! - [`store`], [`push`], [`ai`]: the `Store`, `Push` and `Llm` ports on the
//!   platform (SQLite storage, hibernatable WebSockets, the AI binding).
//!
//! Bindings (see `wrangler.toml`): `USERS` (Durable Object namespace of
//! the object class, SQLite storage), `AI` (Workers AI), secret `MICROCOS_SECRET`
//! (and, while rotating keys, `MICROCOS_PREVIOUS_SECRET`).
//!
//! Token policy ([`microcos_host::auth::Policy`]), from plain variables:
//! `MICROCOS_TOKEN_MAX_LIFETIME_HOURS` (720 by default; 0: no bound),
//! `MICROCOS_TOKEN_AUDIENCE` and `MICROCOS_TOKEN_ISSUER` (checked when set).
//!
//! Revocation: `POST /v1/admin/revoke?user=<id>`, authenticated
//! by `Authorization: Bearer <MICROCOS_ADMIN_SECRET>` (a secret of its own,
//! not the token secret; without it the route does not exist), refuses the
//! user's tokens issued until now. The Worker forwards it to the user's
//! object, which stores the time durably in its own storage and closes the
//! user's open streams (4001); every request the Worker forwards carries its
//! token's `iat` ([`ISSUED_HEADER`]), which the object checks against that
//! time ([`object_revocation`]): no extra round trip.

#![deny(missing_docs)]

pub mod ai;
pub mod object;
pub mod push;
pub mod store;

#[cfg(feature = "assistant")]
#[allow(missing_docs)] // the #[durable_object] macro generates undocumented exports
mod assistant {
    crate::worker!(UserObject, microcos_assistant::Assistant);
}
#[cfg(feature = "assistant")]
pub use assistant::UserObject;

/// Declares the Durable Object class `$name` that is one user's state
/// machine for the domain type `$domain`: a `#[durable_object]` struct
/// delegating every entry point to [`object::Object`]. The domain is built
/// with `Default`, or by `$make`, a `fn(&worker::Env) -> $domain` (a domain
/// configured by the Worker's variables). The crate that expands it depends
/// on `worker` and `wasm-bindgen` (the macro's expansion names them).
#[macro_export]
macro_rules! user_object {
    ($name:ident, $domain:ty) => {
        $crate::user_object!($name, $domain, |_: &::worker::Env| <$domain as ::core::default::Default>::default());
    };
    ($name:ident, $domain:ty, $make:expr) => {
        /// One user's state machine (a Durable Object with SQLite storage).
        #[::worker::durable_object]
        pub struct $name {
            inner: $crate::object::Object<$domain>,
        }

        impl ::worker::DurableObject for $name {
            fn new(state: ::worker::State, env: ::worker::Env) -> Self {
                let make: fn(&::worker::Env) -> $domain = $make;
                let domain = make(&env);
                $name { inner: $crate::object::Object::new(state, env, domain) }
            }

            async fn fetch(&self, req: ::worker::Request) -> ::worker::Result<::worker::Response> {
                self.inner.fetch(req).await
            }

            async fn alarm(&self) -> ::worker::Result<::worker::Response> {
                self.inner.alarm().await
            }

            async fn websocket_message(
                &self,
                ws: ::worker::WebSocket,
                message: ::worker::WebSocketIncomingMessage,
            ) -> ::worker::Result<()> {
                self.inner.websocket_message(ws, message).await
            }

            async fn websocket_close(
                &self,
                ws: ::worker::WebSocket,
                code: usize,
                reason: ::std::string::String,
                was_clean: bool,
            ) -> ::worker::Result<()> {
                self.inner.websocket_close(ws, code, reason, was_clean).await
            }
        }
    };
}

/// Declares a Worker's whole entry for the domain type `$domain`: the
/// Durable Object class `$object` ([`user_object!`], the domain from its
/// `Default` or `$make`) and the fetch handler,
/// [`edge()`]. Expand it once, in the crate `wrangler deploy` builds.
#[macro_export]
macro_rules! worker {
    ($object:ident, $domain:ty) => {
        $crate::worker!($object, $domain, |_: &::worker::Env| <$domain as ::core::default::Default>::default());
    };
    ($object:ident, $domain:ty, $make:expr) => {
        $crate::user_object!($object, $domain, $make);

        /// The Worker's fetch handler: the shared edge (`microcos_cloudflare::edge`).
        #[::worker::event(fetch)]
        async fn fetch(
            req: ::worker::Request,
            env: ::worker::Env,
            ctx: ::worker::Context,
        ) -> ::worker::Result<::worker::Response> {
            $crate::edge(req, env, ctx).await
        }
    };
}

use microcos_host::log::{Level, Line};
use std::rc::Rc;

use microcos_core::{uuid::Uuid, Clock, Config, ErrorCode, Rejection, RequestId, Timestamp, UserId};
use microcos_host::auth::{check_revocation, operator_secret_matches, revocation_time, secret_problem, Keys, Policy};
use microcos_host::edge::{self, HttpRequest, Response as EdgeResponse};
use worker::{Context, Date, Env, Headers, Request, RequestInit, Response, Result};

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

thread_local! {
    /// The budget of this isolate's per-request lines that name no user
    /// (refused before authentication: [`microcos_host::log::ANONYMOUS`]).
    static ANONYMOUS_LINES: std::cell::RefCell<microcos_host::log::LogBudget> =
        const { std::cell::RefCell::new(microcos_host::log::LogBudget::new()) };
}

/// Writes a structured line as JSON ([`microcos_host::log::Line`]), at its
/// level: Workers Logs and `wrangler tail` index its fields.
pub(crate) fn log_line(line: &microcos_host::log::Line) {
    match line.level {
        Level::Info => worker::console_log!("{}", line.to_json()),
        Level::Warn => worker::console_warn!("{}", line.to_json()),
        Level::Error => worker::console_error!("{}", line.to_json()),
    }
}

/// The per-request line: the local service's `request` line.
pub(crate) fn request_line(
    request_id: RequestId,
    method: &str,
    path: &str,
    user: Option<&str>,
    status: u16,
) -> microcos_host::log::Line {
    Line::new(Level::Info, "request")
        .field("request_id", request_id.to_string())
        .field("user", user)
        .field("method", method)
        .field("path", path)
        .field("status", status)
}

/// Whether one more per-request line for `key` fits `budget` (a user's
/// object keeps its user's; [`microcos_host::log`]); says first how many
/// were left out.
pub(crate) fn access_line(budget: &std::cell::RefCell<microcos_host::log::LogBudget>, key: &str) -> bool {
    let admitted = budget.borrow_mut().admit(PlatformClock.now());
    if let Some(left_out @ 1..) = admitted {
        log_line(
            &Line::new(Level::Warn, "request lines left out: this user's log budget was spent")
                .field("user", key)
                .field("lines", left_out),
        );
    }
    admitted.is_some()
}

/// Keys, with the current and previous secrets they were built from.
type CachedKeys = (String, Option<String>, Rc<Keys>);

thread_local! {
    /// The keys, built once per isolate (not per request: building hashes the secrets).
    static KEYS: std::cell::RefCell<Option<CachedKeys>> = const { std::cell::RefCell::new(None) };
}

/// The token policy from the variables `MICROCOS_TOKEN_MAX_LIFETIME_HOURS`
/// (0: no bound), `MICROCOS_TOKEN_AUDIENCE` and `MICROCOS_TOKEN_ISSUER`,
/// read once per isolate (variables change only with a deployment, which
/// starts new isolates).
fn policy(env: &Env) -> Policy {
    let var = |name: &str| env.var(name).ok().map(|v| v.to_string()).filter(|v| !v.is_empty());
    let default = Policy::default();
    // Not a number of hours: the default.
    let max_lifetime_s = match var("MICROCOS_TOKEN_MAX_LIFETIME_HOURS").and_then(|h| h.trim().parse::<u64>().ok()) {
        None => default.max_lifetime_s,
        Some(0) => None,
        Some(hours) => Some(hours.saturating_mul(3600)),
    };
    Policy { max_lifetime_s, audience: var("MICROCOS_TOKEN_AUDIENCE"), issuer: var("MICROCOS_TOKEN_ISSUER"), ..default }
}

/// The token keys: `MICROCOS_SECRET`, and during a rotation
/// `MICROCOS_PREVIOUS_SECRET` (verifies only), under the [`policy`]. With a
/// current secret missing, shorter than 32 bytes or trivially guessable,
/// every authenticated request is answered 503 by the shared edge, and this
/// logs why.
pub(crate) fn keys(env: &Env) -> Rc<Keys> {
    let current = secret_named(env, "MICROCOS_SECRET").unwrap_or_default();
    let previous = secret_named(env, "MICROCOS_PREVIOUS_SECRET");
    KEYS.with_borrow_mut(|cached| {
        if let Some((c, p, keys)) = cached.as_ref() {
            if *c == current && *p == previous {
                return keys.clone();
            }
        }
        let mut keys = Keys::new(current.as_bytes()).with_policy(policy(env));
        if let Some(problem) = secret_problem(current.as_bytes()) {
            let msg = "MICROCOS_SECRET is missing or unusable: requests are refused with 503; \
                       set it with `wrangler secret put MICROCOS_SECRET`";
            log_line(&Line::new(Level::Error, msg).field("problem", problem));
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

/// A request URL's origin (`https://host:port`), path (`/` at least) and
/// query (after its `?`; the fragment never reaches a server), as the
/// runtime serialised the URL: string slices, no URL parser (the `url`
/// crate and its IDNA tables cost the Worker about 40 KB of code).
fn url_parts(url: &str) -> (&str, &str, &str) {
    let after_scheme = url.find("://").map_or(0, |i| i + 3);
    let rest_at = url[after_scheme..].find(['/', '?', '#']).map_or(url.len(), |i| after_scheme + i);
    let (origin, rest) = url.split_at(rest_at);
    let rest = rest.split('#').next().unwrap_or("");
    let (path, query) = rest.split_once('?').unwrap_or((rest, ""));
    (origin, if path.is_empty() { "/" } else { path }, query)
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
        let url = req.inner().url();
        let (_, path, query) = url_parts(&url);
        Head {
            method: method.to_string(),
            path: path.to_string(),
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
    for (k, v) in edge::API_HEADERS {
        headers.set(k, v)?;
    }
    for (k, v) in &r.headers {
        headers.set(k, v)?;
    }
    let body = if r.status == 304 { Vec::new() } else { r.body.into_bytes() };
    Ok(worker::ResponseBuilder::new().with_status(r.status).with_headers(headers).fixed(body))
}

/// Header carrying the verified token's expiry (ms) from the Worker to the object.
pub const EXPIRES_HEADER: &str = "x-microcos-expires";
/// Header carrying the verified token's `iat` (ms; absent without one) from
/// the Worker to the object, which checks it against the user's revocation.
pub const ISSUED_HEADER: &str = "x-microcos-issued";
/// The operator's route that revokes a user's tokens.
pub const REVOKE_PATH: &str = "/v1/admin/revoke";
/// Header carrying the revocation time (ms) from the Worker to the object.
pub const REVOKE_HEADER: &str = "x-microcos-revoke-before";
/// The object's metadata key of the revocation time (ms).
const REVOKED_META: &str = "tokens_revoked_before";

thread_local! {
    /// The revocation of the users whose objects this isolate served, as
    /// each object last read or wrote it (at most 64: then read again). A
    /// user's object is the one writer of its revocation, so this is current.
    static REVOKED: std::cell::RefCell<Vec<(UserId, Option<Timestamp>)>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// `POST /v1/admin/revoke?user=<id>`: checks the operator's secret and
/// names the user and the revocation time (the next whole second: tokens
/// issued before it are refused), for [`forward`] to hand to the user's
/// object; `Err` is the refusal. The user is in the query, not a JSON body:
/// nothing to parse but the id.
fn admin_revoke(env: &Env, head: &Head) -> std::result::Result<(UserId, Timestamp), EdgeResponse> {
    let refuse = |r: Rejection| edge::respond_rejection(&r);
    let secret = secret_named(env, "MICROCOS_ADMIN_SECRET").filter(|s| secret_problem(s.as_bytes()).is_none());
    let Some(secret) = secret else {
        // No operator secret: the route does not exist.
        return Err(refuse(Rejection::new(ErrorCode::NotFound, "no route /v1/admin/revoke")));
    };
    let given = edge::bearer_token(head.authorization.as_deref());
    if !given.is_some_and(|g| operator_secret_matches(g, secret.as_bytes())) {
        return Err(refuse(Rejection::new(ErrorCode::Unauthorized, "this route needs the operator's secret")));
    }
    let user = edge::query_param(&head.query, "user").as_deref().and_then(UserId::parse);
    let Some(user) = user.filter(|_| head.method == "POST") else {
        let msg = "POST /v1/admin/revoke?user=<id>, an id of 1 to 64 characters of [A-Za-z0-9_.@-]";
        return Err(refuse(Rejection::field(ErrorCode::BadRequest, "user", msg)));
    };
    Ok((user, revocation_time(PlatformClock.now())))
}

/// The object's half of revocations, called by its fetch with the user the
/// Worker named, before it routes: a revocation forwarded by
/// the Worker's `POST /v1/admin/revoke` route is stored (durably, in the object's own storage, the
/// `meta` table), the user's open streams are closed (4001) and it is
/// answered; any other request whose token was issued before the user's
/// revocation is answered 401. `None`: route the request as usual.
pub fn object_revocation(
    req: &Request,
    state: &worker::State,
    user: &UserId,
    request_id: RequestId,
) -> Option<Result<Response>> {
    let answer = |r: EdgeResponse| Some(to_response(r, request_id));
    let failed = |e: microcos_core::StoreError| {
        let line = Line::new(Level::Error, "cannot read or write the revocation");
        log_line(&line.field("user", user.as_str()).field("error", e.to_string()));
        answer(microcos_host::host::unavailable())
    };
    let cached = REVOKED.with_borrow(|r| r.iter().find(|(u, _)| u == user).map(|(_, t)| *t));
    let revoke = url_parts(&req.inner().url()).1 == REVOKE_PATH;
    let revoked = match cached {
        Some(known) if !revoke => known,
        _ => {
            let stored = store::DoStore::open(state.storage())
                .and_then(|s| s.meta(REVOKED_META).map(|v| v.and_then(|v| v.parse().ok()).map(Timestamp)));
            let mut revoked = match stored {
                Ok(revoked) => revoked,
                Err(e) => return failed(e),
            };
            if revoke {
                let Some(before) = header(req, REVOKE_HEADER).and_then(|v| v.parse().ok()).map(Timestamp) else {
                    return answer(edge::respond_rejection(&Rejection::new(
                        ErrorCode::BadRequest,
                        "no revocation time",
                    )));
                };
                let before = revoked.map_or(before, |r| r.max(before));
                let put =
                    store::DoStore::open(state.storage()).and_then(|s| s.set_meta(REVOKED_META, &before.0.to_string()));
                if let Err(e) = put {
                    return failed(e);
                }
                revoked = Some(before);
            }
            REVOKED.with_borrow_mut(|r| {
                if r.len() >= 64 {
                    r.clear();
                }
                r.retain(|(u, _)| u != user);
                r.push((user.clone(), revoked));
            });
            revoked
        }
    };
    if revoke {
        for ws in state.get_websockets() {
            let _ = ws.close(Some(edge::close::TOKEN_EXPIRED), Some("token revoked: reconnect with a new token"));
        }
        let before = revoked.map_or(0, |t| t.0 / 1000);
        let line = Line::new(Level::Info, "revoked").field("request_id", request_id.to_string());
        log_line(&line.field("user", user.as_str()).field("before_s", before));
        let body = format!(r#"{{"user":"{user}","revoked_before":{before}}}"#);
        return answer(EdgeResponse { status: 200, headers: Vec::new(), body });
    }
    let issued = header(req, ISSUED_HEADER).and_then(|v| v.parse().ok()).map(Timestamp);
    check_revocation(issued, revoked).err().and_then(|r| answer(edge::respond_rejection(&r)))
}

/// The Worker: the edge, for any domain (the domain is the object's). It
/// authenticates (the one token check of a request), answers what it can
/// refuse without the body, and forwards the request, its body unread, to
/// the user's Durable Object (binding `USERS`), which routes and validates
/// it as the verified user. [`worker!`] makes it a Worker's fetch handler.
pub async fn edge(req: Request, env: Env, _ctx: Context) -> Result<Response> {
    let request_id = RequestId(Uuid::new_v4());
    let now = PlatformClock.now();
    let head = Head::read(&req, true);
    let (method, path) = (&head.method, &head.path);
    if let (Some(name), "GET" | "HEAD") = (microcos_host::web::file_name(path), method.as_str()) {
        return web_file(&req, &env, name, request_id).await;
    }
    let refused = if path == REVOKE_PATH {
        match admin_revoke(&env, &head) {
            Ok((user, before)) => {
                // The operator's secret stays here; the object logs the revocation.
                let headers = [(REVOKE_HEADER, Some(before.0.to_string())), ("authorization", None)];
                return forward(req, &env, &user, request_id, &headers).await;
            }
            Err(refused) => refused,
        }
    } else {
        match edge::authenticate_token(&head.http(&[]), &keys(&env), now) {
            Ok(token) => match head.check(&microcos_host::HostConfig::default().limits) {
                Some(refused) => refused,
                None => {
                    let user = token.verified.user;
                    let headers = [
                        (EXPIRES_HEADER, Some(token.verified.expires.0.to_string())),
                        (ISSUED_HEADER, token.issued.map(|t| t.0.to_string())),
                    ];
                    return forward(req, &env, &user, request_id, &headers).await;
                }
            },
            Err(refused) => refused,
        }
    };
    if ANONYMOUS_LINES.with(|budget| access_line(budget, microcos_host::log::ANONYMOUS)) {
        log_line(&request_line(request_id, method, path, None, refused.status));
    }
    to_response(refused, request_id)
}

/// One of the web app's files, read from the static assets binding `ASSETS`
/// (`[assets]` in wrangler.toml: `web/dist`), with the same ETag and headers
/// as the local service gives it ([`microcos_host::web`]): a hashed name
/// cached for good, `index.html` revalidated. Identity bytes only:
/// Cloudflare compresses at its edge (the `.br` and `.gz` beside each file
/// are for the local service; `web/dist/.assetsignore` keeps them out of
/// the upload).
async fn web_file(req: &Request, env: &Env, name: &str, request_id: RequestId) -> Result<Response> {
    let Ok(assets) = env.assets("ASSETS") else {
        let r = microcos_core::Rejection::new(
            microcos_core::ErrorCode::NotFound,
            "this Worker is deployed without the web app: add [assets] to wrangler.toml (see the README)",
        );
        return to_response(edge::respond_rejection(&r), request_id);
    };
    let url = req.inner().url();
    let mut upstream = assets.fetch(format!("{}/{name}", url_parts(&url).0), None).await?;
    if upstream.status_code() != 200 {
        let r = microcos_core::Rejection::new(microcos_core::ErrorCode::NotFound, format!("no file {name}"));
        return to_response(edge::respond_rejection(&r), request_id);
    }
    let bytes = upstream.bytes().await?;
    let etag = microcos_host::web::etag(&bytes);
    let headers = Headers::new();
    headers.set("etag", &etag)?;
    headers.set("cache-control", microcos_host::web::cache_control(name))?;
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
        headers.set("content-type", microcos_host::web::content_type(name))?;
    }
    Ok(Response::from_bytes(body)?.with_status(status).with_headers(headers))
}

/// Forwards a request to its user's object: the same method, headers and
/// body (a stream, never read here), plus the request id, the user and
/// `extra` headers (a token's expiry and issue time; a revocation's time),
/// each set, or removed where `None`. A client cannot set those: they are
/// overwritten (or removed).
async fn forward(
    req: Request,
    env: &Env,
    user: &UserId,
    request_id: RequestId,
    extra: &[(&str, Option<String>)],
) -> Result<Response> {
    let headers = req.headers().clone();
    headers.set("x-request-id", &request_id.to_string())?;
    headers.set(USER_HEADER, user.as_str())?;
    for (name, value) in extra {
        match value {
            Some(value) => headers.set(name, value)?,
            None => headers.delete(name)?,
        }
    }
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

#[cfg(test)]
mod tests {
    use super::url_parts;

    #[test]
    fn a_url_splits_into_origin_path_and_query_as_the_runtime_serialised_it() {
        let cases = [
            ("https://a.example/v1/events?after=3&limit=2", ("https://a.example", "/v1/events", "after=3&limit=2")),
            ("http://127.0.0.1:8788/", ("http://127.0.0.1:8788", "/", "")),
            ("http://127.0.0.1:8788", ("http://127.0.0.1:8788", "/", "")),
            ("http://h/v1/stream?after=0#frag", ("http://h", "/v1/stream", "after=0")),
            ("http://h?x=1", ("http://h", "/", "x=1")),
            ("http://h/a%20b/?q=%3F?", ("http://h", "/a%20b/", "q=%3F?")),
        ];
        for (url, parts) in cases {
            assert_eq!(url_parts(url), parts, "{url}");
        }
    }
}
