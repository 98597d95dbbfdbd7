//! The triage domain (`examples/triage/domain.rs`) in the browser: its
//! replica, exported to JavaScript by `replica!` (build this crate for
//! `wasm32-unknown-unknown`, then `wasm-bindgen --target web`), and with
//! feature `schema` the JSON Schema of its client events, from which
//! `web/client/gen.mjs` generates its Zod client
//! (`examples/triage/client/schemas.ts`).

#[path = "../../triage/domain.rs"]
pub mod domain;

#[cfg(feature = "schema")]
pub mod schema;

microcos_web_replica::replica!(Replica, domain::TicketTriage);
