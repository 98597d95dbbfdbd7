//! The triage domain (`examples/triage/domain.rs`) as a Cloudflare Worker:
//! the edge and one SQLite-backed Durable Object per user, with the same
//! HTTP and WebSocket API as the local service. This file is all an
//! embedder's Worker crate holds besides its domain; `wrangler.toml` beside
//! it names the bindings.

#[path = "../../triage/domain.rs"]
pub mod domain;

#[allow(missing_docs)] // the #[durable_object] macro generates undocumented exports
mod worker_entry {
    microcos_cloudflare::worker!(TriageObject, super::domain::TicketTriage);
}
