//! A domain's [`Replica`](microcos_core::Replica) for the browser.
//!
//! A web app keeps one replica per signed-in user, fed with every frame of
//! its stream. Events the user makes go through `propose`: the same
//! validation and rules as on the server, applied at once (the optimistic
//! update); the view is always the confirmed state plus what is still
//! pending, so when the stored events arrive it is the server's state by
//! construction. Strings in, strings out (JSON), so the JavaScript side
//! needs no glue beyond `JSON.parse`.
//!
//! [`Core`] is that replica in plain Rust, for any [`Domain`] (native tests
//! drive it); [`replica!`] exports it to JavaScript as a wasm-bindgen class
//! for one domain. A domain's browser replica is a `cdylib` crate of a few
//! lines (`examples/triage-web` is the triage domain's):
//!
//! ```ignore
//! #[path = "../../triage/domain.rs"]
//! pub mod domain;
//!
//! microcos_web_replica::replica!(Replica, domain::TicketTriage);
//! ```
//!
//! built with `cargo build --target wasm32-unknown-unknown` and
//! `wasm-bindgen --target web` (`scripts/web-build` does this for the
//! assistant's, `web/replica`), then used as the web app uses the
//! assistant's:
//!
//! ```js
//! import init, { Replica } from "./pkg/microcos_triage_web.js";
//! await init();
//! const replica = new Replica("alice");
//! socket.onmessage = (m) => JSON.parse(replica.frame(m.data)).gap && reconnect(replica.cursorQuery());
//! replica.propose(JSON.stringify({ type: "ticket.opened", payload: { subject: "Site down", body: "…" },
//!   client_action_id: id, event_id: crypto.randomUUID() }), Date.now());
//! render(JSON.parse(replica.viewJson(Date.now())));
//! ```
//!
//! The assistant's replica (`microcos-web`, what `web/dist` ships) is still
//! its own copy of this code, for the assistant only: built through
//! `replica!` its wasm has the same size, exports and glue but its functions
//! in another order, so `web/dist` would change. It moves onto `replica!`
//! with the next deliberate rebuild of `web/dist`; until then
//! `tests/assistant.rs` holds the two to the same answers, string for
//! string.

#![no_std]

extern crate alloc;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use microcos_core::validate::{parse_client_request, Limits};
use microcos_core::{
    ClientActionId, Config, Domain, EventId, Frame, Rejection, RequestId, RequestMeta, State, Timestamp, UserId,
};
use serde_json::json;

/// The replica of domain `D`, in plain Rust (what [`replica!`] wraps).
pub struct Core<D: Domain> {
    inner: microcos_core::Replica<D>,
    limits: Limits,
}

fn user(id: &str) -> Result<UserId, String> {
    UserId::parse(id).ok_or_else(|| format!("not a user id: {id:?}"))
}

fn now(ms: f64) -> Timestamp {
    Timestamp(if ms.is_finite() && ms > 0.0 { ms as u64 } else { 0 })
}

impl<D: Domain> Core<D> {
    /// An empty replica of `domain` for `user_id`.
    pub fn new(user_id: &str, domain: D) -> Result<Self, String> {
        let inner = microcos_core::Replica::new(user(user_id)?, Config::default(), domain);
        Ok(Core { inner, limits: Limits::default() })
    }

    /// A replica from [`Core::cache_json`]. Fails on a cache of another
    /// state version (start afresh: the stream replays the log).
    pub fn restore(user_id: &str, cache: &str, domain: D) -> Result<Self, String> {
        let state: State<D> = serde_json::from_str(cache).map_err(|e| format!("unusable cache: {e}"))?;
        if state.version != D::STATE_VERSION {
            return Err(format!("a cache of state version {}, this is {}", state.version, D::STATE_VERSION));
        }
        let inner = microcos_core::Replica::from_state(user(user_id)?, Config::default(), domain, state);
        Ok(Core { inner, limits: Limits::default() })
    }

    /// The confirmed state's JSON (its snapshot form), to keep for a reload.
    pub fn cache_json(&self) -> String {
        String::from_utf8(self.inner.state().to_bytes()).unwrap_or_default()
    }

    /// The last confirmed seq.
    pub fn seq(&self) -> u64 {
        self.inner.state().seq.0
    }

    /// `after=N&tokens=…`: where to (re)connect the stream.
    pub fn cursor_query(&self) -> String {
        self.inner.cursor().to_query()
    }

    /// Folds in one frame: `{"gap","new","confirmed":[client_action_id…]}`.
    pub fn frame(&mut self, frame: &str) -> Result<String, String> {
        let frame = Frame::<D::Event>::from_json(frame).map_err(|e| format!("not a frame: {e}"))?;
        let actions: Vec<(EventId, Option<ClientActionId>)> =
            self.inner.pending().iter().map(|p| (p.event_id, p.client_action_id.clone())).collect();
        Ok(match self.inner.receive(&frame) {
            Err(_) => json!({ "gap": true, "new": false, "confirmed": [] }),
            Ok(received) => {
                let confirmed: Vec<String> = actions
                    .into_iter()
                    .filter(|(id, _)| received.confirmed.contains(id))
                    .map(|(id, ca)| ca.map_or_else(|| id.to_string(), |ca| ca.0))
                    .collect();
                json!({ "gap": false, "new": received.new, "confirmed": confirmed })
            }
        }
        .to_string())
    }

    /// Proposes a client event body (as `POST /v1/events` takes it, with its
    /// `event_id`): `{"ok":true}` once applied, or `{"error":{…}}` as the
    /// server would answer it.
    pub fn propose(&mut self, body: &str, now_ms: f64) -> String {
        let refused = |r: &Rejection| r.to_json();
        let request = match parse_client_request(body.as_bytes(), self.inner.domain(), &self.limits) {
            Ok(r) => r,
            Err(r) => return refused(&r),
        };
        let Some(event_id) = request.event_id else {
            let r = Rejection::field(
                microcos_core::ErrorCode::MissingField,
                "event_id",
                "a proposed event needs its event_id, sent with it, so that the stored event confirms it",
            );
            return refused(&r);
        };
        let meta = RequestMeta { request_id: RequestId(event_id.0), event_id, timestamp: now(now_ms) };
        match self.inner.propose(request, meta) {
            Ok(_) => json!({ "ok": true }).to_string(),
            Err(r) => refused(&r),
        }
    }

    /// The server refused a pending event (by its client action id, or its
    /// event id): roll it back. False if it was not pending.
    pub fn reject(&mut self, id: &str) -> bool {
        if let Some(event_id) = EventId::parse(id) {
            if self.inner.reject(event_id) {
                return true;
            }
        }
        ClientActionId::parse(id).is_some_and(|ca| self.inner.reject_action(&ca))
    }

    /// `{"seq","state","pending":[client_action_id…]}`: what to show.
    pub fn view_json(&self, now_ms: f64) -> String {
        let pending: Vec<String> = self
            .inner
            .pending()
            .iter()
            .map(|p| p.client_action_id.as_ref().map_or_else(|| p.event_id.to_string(), |ca| ca.0.clone()))
            .collect();
        let view = self.inner.view(now(now_ms));
        json!({ "seq": view.seq, "state": view.state, "pending": pending }).to_string()
    }
}

/// Exports [`Core`] for the domain type `$domain` to JavaScript as the
/// wasm-bindgen class `$name`, the domain from its `Default` or from
/// `$make` (a `fn() -> $domain`, called for each new or restored replica).
/// Expand it once, in the `cdylib` crate that is built for the browser. The
/// class has the assistant's replica's methods: `new $name(userId)`,
/// `$name.restore(userId, cache)`, `cacheJson()`, `seq()`, `cursorQuery()`,
/// `frame(json)`, `propose(body, nowMs)`, `reject(id)` and `viewJson(nowMs)`.
/// The crate depends on `wasm-bindgen` too: the code wasm-bindgen's macros
/// generate names it.
#[macro_export]
macro_rules! replica {
    ($name:ident, $domain:ty) => {
        $crate::replica!($name, $domain, <$domain as ::core::default::Default>::default);
    };
    ($name:ident, $domain:ty, $make:expr) => {
        /// The replica, for JavaScript (see the crate docs).
        #[::wasm_bindgen::prelude::wasm_bindgen]
        pub struct $name($crate::Core<$domain>);

        #[::wasm_bindgen::prelude::wasm_bindgen]
        impl $name {
            /// An empty replica for the token's user (its `sub`).
            #[wasm_bindgen(constructor)]
            pub fn new(user_id: &str) -> ::core::result::Result<$name, $crate::__private::JsError> {
                let make: fn() -> $domain = $make;
                $crate::Core::new(user_id, make()).map($name).map_err($crate::__private::js)
            }

            /// A replica from `cacheJson()`; throws when the cache is unusable.
            pub fn restore(user_id: &str, cache: &str) -> ::core::result::Result<$name, $crate::__private::JsError> {
                let make: fn() -> $domain = $make;
                $crate::Core::restore(user_id, cache, make()).map($name).map_err($crate::__private::js)
            }

            /// The confirmed state, to keep for a fast reload.
            #[wasm_bindgen(js_name = cacheJson)]
            pub fn cache_json(&self) -> $crate::__private::String {
                self.0.cache_json()
            }

            /// The last confirmed seq.
            pub fn seq(&self) -> f64 {
                self.0.seq() as f64
            }

            /// `after=N&tokens=…` for `/v1/stream`.
            #[wasm_bindgen(js_name = cursorQuery)]
            pub fn cursor_query(&self) -> $crate::__private::String {
                self.0.cursor_query()
            }

            /// Feeds one frame; `{"gap","new","confirmed"}`. Throws on a malformed frame.
            pub fn frame(
                &mut self,
                frame: &str,
            ) -> ::core::result::Result<$crate::__private::String, $crate::__private::JsError> {
                self.0.frame(frame).map_err($crate::__private::js)
            }

            /// Proposes a client event body; `{"ok":true}` or `{"error":{…}}`.
            pub fn propose(&mut self, body: &str, now_ms: f64) -> $crate::__private::String {
                self.0.propose(body, now_ms)
            }

            /// Rolls back a pending event the server refused.
            pub fn reject(&mut self, id: &str) -> bool {
                self.0.reject(id)
            }

            /// What to show: `{"seq","state","pending"}`.
            #[wasm_bindgen(js_name = viewJson)]
            pub fn view_json(&self, now_ms: f64) -> $crate::__private::String {
                self.0.view_json(now_ms)
            }
        }
    };
}

/// What [`replica!`] expands to.
#[doc(hidden)]
pub mod __private {
    pub use alloc::string::String;
    pub use wasm_bindgen::prelude::JsError;

    /// A replica's error, thrown in JavaScript.
    pub fn js(e: String) -> JsError {
        JsError::new(&e)
    }
}
