//! JSON Schema of the client-sent wire types (feature `schema`), so frontend
//! teams can generate validators. The workspace keeps the output checked in
//! at `schema/client-events.schema.json`, pinned by a test.

use std::string::{String, ToString};

use microcos_core::schema::{client_request_branch, client_request_document, llm_cancel_branch};
use microcos_core::validate::Limits;
use microcos_core::Catalogue;
use microcos_core::{EventKind, Origin};
use schemars::SchemaGenerator;
use serde_json::{json, Value};

use crate::event::*;
use crate::validate::{AssistantLimits, Bound, BOUNDS};

// TaskId, ReminderId and ActionId: `uuid_id!` gives each its schema.

/// The JSON Schema (draft 2020-12) of a client request body
/// `{"type", "payload", "client_action_id"?, "event_id"?}`, one branch per
/// client-sendable type, with the default [`Limits`].
pub fn client_request_schema() -> Value {
    let body_limits = Limits::default();
    let limits = AssistantLimits::default();
    let mut generator = SchemaGenerator::default();
    let mut branches = std::vec::Vec::new();
    // Each client type's payload definition, by the name its branch refers to.
    let mut def_of = std::collections::BTreeMap::new();
    for ty in AssistantEventType::ALL.iter().copied().filter(|t| t.origin() == Origin::Client) {
        let Some(payload) = AssistantEvent::client_schema(ty, &mut generator) else { continue };
        if let Some(name) = payload.get("$ref").and_then(Value::as_str).and_then(|r| r.strip_prefix("#/$defs/")) {
            def_of.insert(ty, name.to_string());
        }
        branches.push(client_request_branch(ty.as_str(), payload));
    }
    branches.push(llm_cancel_branch(&mut generator));
    let mut defs: serde_json::Map<String, Value> = generator.take_definitions(true);
    // The bounds the assistant checks, stated in the schema too (one table).
    for b in BOUNDS {
        let Some(def) = def_of.get(&b.ty) else { continue };
        let Some(Value::Object(p)) =
            defs.get_mut(def).and_then(|d| d.pointer_mut(&std::format!("/properties/{}", b.field)))
        else {
            continue;
        };
        match (b.bound)(&limits) {
            Bound::Chars { max, .. } => {
                p.insert("maxLength".to_string(), json!(max));
            }
            Bound::Range { min, max } => {
                p.insert("minimum".to_string(), json!(min));
                p.insert("maximum".to_string(), json!(max));
            }
        }
    }
    client_request_document("microcos client request", &body_limits, branches, defs)
}
