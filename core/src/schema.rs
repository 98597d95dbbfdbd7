//! JSON Schema of the client-sent wire types (feature `schema`), so frontend
//! teams can generate validators. The workspace keeps the output checked in
//! at `schema/client-events.schema.json`, pinned by a test.

use std::borrow::Cow;
use std::string::{String, ToString};

use schemars::{json_schema, JsonSchema, Schema, SchemaGenerator};
use serde_json::{json, Value};

use crate::event::*;
use crate::ids::{OperationId, Seq, TaskId, Timestamp};
use crate::time::{LocalDate, LocalTime};
use crate::validate::Limits;

macro_rules! string_schema {
    ($ty:ty, $name:literal, $schema:tt) => {
        impl JsonSchema for $ty {
            fn schema_name() -> Cow<'static, str> {
                Cow::Borrowed($name)
            }
            fn json_schema(_: &mut SchemaGenerator) -> Schema {
                json_schema!($schema)
            }
        }
    };
}

string_schema!(LocalDate, "LocalDate", {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"});
string_schema!(LocalTime, "LocalTime", {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"});
string_schema!(TaskId, "TaskId", {"type": "string", "format": "uuid"});
string_schema!(OperationId, "OperationId", {"type": "string", "format": "uuid"});
string_schema!(Seq, "Seq", {"type": "integer", "minimum": 0});
string_schema!(Tokens, "Tokens", {"type": "array", "items": {"type": "string"}});
string_schema!(Timestamp, "Timestamp", {"type": "integer", "minimum": 0, "description": "milliseconds since the Unix epoch"});

/// The JSON Schema (draft 2020-12) of a client request body
/// `{"type", "payload", "client_action_id"?, "event_id"?}`, one branch per
/// client-sendable type, with the default [`Limits`].
pub fn client_request_schema() -> Value {
    let limits = Limits::default();
    let mut generator = SchemaGenerator::default();
    let mut branches = std::vec::Vec::new();
    for ty in EventType::ALL.iter().copied().filter(|t| t.origin() == Origin::Client) {
        let payload: Schema = match ty {
            EventType::UserMessage => generator.subschema_for::<UserMessage>(),
            EventType::SettingsUpdated => generator.subschema_for::<SettingsUpdated>(),
            EventType::TaskCreated => generator.subschema_for::<TaskCreated>(),
            EventType::TaskUpdated => generator.subschema_for::<TaskUpdated>(),
            EventType::TaskCompleted => generator.subschema_for::<TaskCompleted>(),
            EventType::TaskDeleted => generator.subschema_for::<TaskDeleted>(),
            EventType::PlanRequested => generator.subschema_for::<PlanRequested>(),
            EventType::SummaryRequested => generator.subschema_for::<SummaryRequested>(),
            EventType::TaskExtract => generator.subschema_for::<TaskExtract>(),
            EventType::LlmCancel => generator.subschema_for::<LlmCancel>(),
            _ => continue,
        };
        branches.push(json!({
            "type": "object",
            "additionalProperties": false,
            "required": ["type", "payload"],
            "properties": {
                "type": {"const": ty.as_str()},
                "payload": payload.to_value(),
                "client_action_id": {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{1,128}$"},
                "event_id": {"type": "string", "format": "uuid"}
            }
        }));
    }
    let mut defs: serde_json::Map<String, Value> = generator.take_definitions(true);
    // String bounds enforced by validation, stated in the schema too.
    let bounds = [
        ("UserMessage", "text", limits.max_message_chars),
        ("TaskExtract", "text", limits.max_extract_chars),
        ("TaskCreated", "title", limits.max_title_chars),
        ("TaskCreated", "notes", limits.max_notes_chars),
        ("TaskUpdated", "title", limits.max_title_chars),
        ("TaskUpdated", "notes", limits.max_notes_chars),
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
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": "microcos client request",
        "description": std::format!("Body of POST /v1/events. At most {} bytes, nesting at most {} levels.", limits.max_body_bytes, limits.max_depth),
        "oneOf": branches,
        "$defs": defs,
    })
}
