//! JSON Schema support (feature `schema`): schemas of the kernel's wire
//! types, and the envelope of a client request, for domains that publish
//! the schema of their client events (frontend teams generate validators
//! from it).

use std::string::String;
use std::vec::Vec;

use schemars::{Schema, SchemaGenerator};
use serde_json::{json, Value};

use crate::ids::{Seq, Timestamp};
use crate::operation::{LlmCancel, Tokens};
use crate::time::{LocalDate, LocalTime};
use crate::validate::Limits;

/// Implements `JsonSchema` for a type that serialises as a string or number.
#[macro_export]
macro_rules! string_schema {
    ($ty:ty, $name:literal, $schema:tt) => {
        impl ::schemars::JsonSchema for $ty {
            fn schema_name() -> ::std::borrow::Cow<'static, str> {
                ::std::borrow::Cow::Borrowed($name)
            }
            fn json_schema(_: &mut ::schemars::SchemaGenerator) -> ::schemars::Schema {
                ::schemars::json_schema!($schema)
            }
        }
    };
}

string_schema!(LocalDate, "LocalDate", {"type": "string", "format": "date", "pattern": "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"});
string_schema!(LocalTime, "LocalTime", {"type": "string", "pattern": "^([01][0-9]|2[0-3]):[0-5][0-9]$"});
// OperationId and EventId: `uuid_id!` gives every id its schema.
string_schema!(Seq, "Seq", {"type": "integer", "minimum": 0});
string_schema!(Tokens, "Tokens", {"type": "array", "items": {"type": "string"}});
string_schema!(Timestamp, "Timestamp", {"type": "integer", "minimum": 0, "description": "milliseconds since the Unix epoch"});

/// One branch of a client request schema: the body for event type `name`.
pub fn client_request_branch(name: &str, payload: Schema) -> Value {
    json!({
        "type": "object",
        "additionalProperties": false,
        "required": ["type", "payload"],
        "properties": {
            "type": {"const": name},
            "payload": payload.to_value(),
            "client_action_id": {"type": "string", "pattern": "^[A-Za-z0-9_.:-]{1,128}$"},
            "event_id": {"type": "string", "format": "uuid"}
        }
    })
}

/// The branch of the kernel's client-sendable type, `llm.cancel`.
pub fn llm_cancel_branch(generator: &mut SchemaGenerator) -> Value {
    client_request_branch("llm.cancel", generator.subschema_for::<LlmCancel>())
}

/// The JSON Schema (draft 2020-12) document of a client request body
/// `{"type", "payload", "client_action_id"?, "event_id"?}`: one branch per
/// client-sendable type, with the body limits stated.
pub fn client_request_document(
    title: &str,
    limits: &Limits,
    branches: Vec<Value>,
    defs: serde_json::Map<String, Value>,
) -> Value {
    json!({
        "$schema": "https://json-schema.org/draft/2020-12/schema",
        "title": title,
        "description": std::format!("Body of POST /v1/events. At most {} bytes, nesting at most {} levels.", limits.max_body_bytes, limits.max_depth),
        "oneOf": branches,
        "$defs": defs,
    })
}
