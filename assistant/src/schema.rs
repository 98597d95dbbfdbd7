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
use crate::validate::AssistantLimits;

// TaskId, ReminderId and ActionId: `uuid_id!` gives each its schema.

/// The JSON Schema (draft 2020-12) of a client request body
/// `{"type", "payload", "client_action_id"?, "event_id"?}`, one branch per
/// client-sendable type, with the default [`Limits`].
pub fn client_request_schema() -> Value {
    let body_limits = Limits::default();
    let limits = AssistantLimits::default();
    let mut generator = SchemaGenerator::default();
    let mut branches = std::vec::Vec::new();
    for ty in AssistantEventType::ALL.iter().copied().filter(|t| t.origin() == Origin::Client) {
        let Some(payload) = AssistantEvent::client_schema(ty, &mut generator) else { continue };
        branches.push(client_request_branch(ty.as_str(), payload));
    }
    branches.push(llm_cancel_branch(&mut generator));
    let mut defs: serde_json::Map<String, Value> = generator.take_definitions(true);
    // String bounds enforced by validation, stated in the schema too.
    let bounds = [
        ("UserMessage", "text", limits.max_message_chars),
        ("TaskExtract", "text", limits.max_extract_chars),
        ("TaskCreated", "title", limits.max_title_chars),
        ("TaskCreated", "notes", limits.max_notes_chars),
        ("TaskUpdated", "title", limits.max_title_chars),
        ("TaskUpdated", "notes", limits.max_notes_chars),
        ("ReminderSet", "text", limits.max_reminder_chars),
        ("SettingsUpdated", "time_zone", crate::validate::MAX_ZONE_CHARS),
    ];
    for (def, field, max) in bounds {
        if let Some(Value::Object(p)) =
            defs.get_mut(def).and_then(|d| d.pointer_mut(&std::format!("/properties/{field}")))
        {
            p.insert("maxLength".to_string(), json!(max));
        }
    }
    if let Some(Value::Object(p)) =
        defs.get_mut("SettingsUpdated").and_then(|d| d.pointer_mut("/properties/tz_offset_minutes"))
    {
        p.insert("minimum".to_string(), json!(-720));
        p.insert("maximum".to_string(), json!(840));
    }
    if let Some(Value::Object(p)) = defs.get_mut("ReminderSnoozed").and_then(|d| d.pointer_mut("/properties/minutes")) {
        p.insert("minimum".to_string(), json!(1));
        p.insert("maximum".to_string(), json!(limits.max_snooze_minutes));
    }
    client_request_document("microcos client request", &body_limits, branches, defs)
}
