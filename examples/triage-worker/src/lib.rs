//! The triage domain (`examples/triage/domain.rs`) as a Cloudflare Worker:
//! the edge and one SQLite-backed Durable Object per user, with the same
//! HTTP and WebSocket API as the local service. This file is all an
//! embedder's Worker crate holds besides its domain; `wrangler.toml` beside
//! it names the bindings.

#[path = "../../triage/domain.rs"]
pub mod domain;

/// The domain, its deadlines from the Worker's variables
/// `TRIAGE_URGENT_AFTER_MS` and `TRIAGE_HIGH_AFTER_MS` (an hour and four
/// hours when unset).
pub fn triage(env: &worker::Env) -> domain::TicketTriage {
    domain::TicketTriage::from_vars(|name| env.var(name).ok().map(|v| v.to_string()))
}

#[allow(missing_docs)] // the #[durable_object] macro generates undocumented exports
mod worker_entry {
    microcos_cloudflare::worker!(TriageObject, super::domain::TicketTriage, super::triage);
}
