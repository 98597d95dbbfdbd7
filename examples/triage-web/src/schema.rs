//! The JSON Schema of triage's client requests (feature `schema`), the
//! input of its TypeScript client (`node web/client/gen.mjs --out
//! examples/triage/client/schemas.ts
//! examples/triage/schema/client-events.schema.json`). The workspace keeps
//! it at `examples/triage/schema/client-events.schema.json`, pinned by
//! `tests/schema.rs`.
//!
//! `domain.rs` stays as an embedder wrote it (the examples that serve it
//! include it too), so the payloads' schemas are declared here, field for
//! field, and `same_fields!` stops the build when a payload and its schema
//! disagree on a field's name or type. The string bounds are the ones
//! `TicketTriage::validate` checks, and the tests hold them to it.

use microcos_core::schema::{client_request_branch, client_request_document, llm_cancel_branch};
use microcos_core::validate::Limits;
use microcos_core::{EventKind, Origin};
use schemars::{Schema, SchemaGenerator};
use serde_json::Value;

use crate::domain::{self, TriageEventType};

// TicketId: `uuid_id!` gives it its schema (with the kernel's `schema` feature).

/// The payloads of the client-sendable types, as their JSON Schema states
/// them (named as the domain's types are).
mod payload {
    use schemars::JsonSchema;

    use crate::domain::TicketId;

    /// `ticket.opened`: a customer asks for help.
    #[derive(JsonSchema)]
    #[schemars(rename = "TicketOpened", deny_unknown_fields)]
    pub(super) struct TicketOpened {
        /// One line.
        #[schemars(length(max = 200))]
        pub(super) subject: String,
        /// The message.
        #[schemars(length(max = 4000))]
        pub(super) body: String,
    }

    /// `ticket.closed`: an agent closes a ticket.
    #[derive(JsonSchema)]
    #[schemars(rename = "TicketClosed", deny_unknown_fields)]
    pub(super) struct TicketClosed {
        /// The ticket.
        pub(super) ticket_id: TicketId,
    }
}

/// Does not compile unless `domain::$ty` and `payload::$ty` have exactly
/// the fields listed, of the same types.
macro_rules! same_fields {
    ($($ty:ident { $($field:ident),* })*) => {
        $(
            const _: fn(domain::$ty) -> domain::$ty = |value| {
                let domain::$ty { $($field),* } = value;
                let payload::$ty { $($field),* } = payload::$ty { $($field),* };
                domain::$ty { $($field),* }
            };
        )*
    };
}

same_fields! {
    TicketOpened { subject, body }
    TicketClosed { ticket_id }
}

/// The JSON Schema (draft 2020-12) of a triage client request body
/// `{"type", "payload", "client_action_id"?, "event_id"?}`, one branch per
/// client-sendable type, with the default [`Limits`].
pub fn client_request_schema() -> Value {
    let mut generator = SchemaGenerator::default();
    let mut branches = Vec::new();
    for ty in TriageEventType::ALL.iter().copied().filter(|t| t.origin() == Origin::Client) {
        let payload: Schema = match ty {
            TriageEventType::Opened => generator.subschema_for::<payload::TicketOpened>(),
            TriageEventType::Closed => generator.subschema_for::<payload::TicketClosed>(),
            // Not client-sendable (the filter above); a new client type
            // fails to compile here until its payload has a schema.
            TriageEventType::Triaged | TriageEventType::Escalated => continue,
        };
        branches.push(client_request_branch(ty.as_str(), payload));
    }
    branches.push(llm_cancel_branch(&mut generator));
    client_request_document("triage client request", &Limits::default(), branches, generator.take_definitions(true))
}
