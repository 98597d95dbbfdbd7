//! Validation of everything that comes from outside: bodies, client requests
//! and event contents. Every check names the failing field and a stable
//! [`ErrorCode`]; nothing here panics on any input.
//!
//! Order of checks for a client body ([`parse_client_request`]):
//! size → nesting depth → JSON syntax → top-level fields → event type and
//! whether clients may send it → payload shape (unknown/missing fields, JSON
//! types, formats) → payload decoding (an integer that does not fit its
//! field's type is `out_of_range` on that field) → content bounds, and what
//! the service records for the event ([`crate::Domain::prepare`]).

use alloc::format;
use alloc::string::String;

use serde_json::{Map, Value};

use crate::domain::Domain;
use crate::error::{ErrorCode, Rejection};
use crate::event::{Event, EventType, Origin};
use crate::ids::{ClientActionId, EventId};
use crate::operation::LlmEventType;
use crate::time::{LocalDate, LocalTime};

mod decode;

/// Bounds on every request body. `Limits::default()` is what the services
/// use; content bounds (text lengths) are the domain's.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Deepest accepted JSON nesting.
    pub max_depth: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits { max_body_bytes: 64 * 1024, max_depth: 16 }
    }
}

/// A validated client request: the typed event plus the optional ids the client chose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientRequest<E> {
    /// The event the client wants recorded.
    pub event: Event<E>,
    /// Idempotency key.
    pub client_action_id: Option<ClientActionId>,
    /// Client-chosen event id (for clients that generate ids offline).
    pub event_id: Option<EventId>,
}

pub use crate::field::{FieldKind, FieldSpec, FieldType, Payload};

/// The payload shapes of the kernel's client-sendable types.
fn llm_fields(ty: LlmEventType) -> &'static [FieldSpec] {
    const CANCEL: &[FieldSpec] = &[FieldSpec::required("operation_id", FieldKind::Uuid)];
    match ty {
        LlmEventType::Cancel => CANCEL,
        _ => &[],
    }
}

/// Rejects JSON nested deeper than `max` without parsing it (a linear scan).
pub fn check_depth(body: &[u8], max: usize) -> Result<(), Rejection> {
    let (mut depth, mut in_str, mut escaped) = (0usize, false, false);
    for &b in body {
        if in_str {
            match (escaped, b) {
                (true, _) => escaped = false,
                (false, b'\\') => escaped = true,
                (false, b'"') => in_str = false,
                _ => {}
            }
            continue;
        }
        match b {
            b'"' => in_str = true,
            b'{' | b'[' => {
                depth += 1;
                if depth > max {
                    return Err(Rejection::new(ErrorCode::TooDeep, format!("JSON nests deeper than {max} levels")));
                }
            }
            b'}' | b']' => depth = depth.saturating_sub(1),
            _ => {}
        }
    }
    Ok(())
}

fn type_name(v: &Value) -> &'static str {
    match v {
        Value::Null => "null",
        Value::Bool(_) => "a boolean",
        Value::Number(_) => "a number",
        Value::String(_) => "a string",
        Value::Array(_) => "an array",
        Value::Object(_) => "an object",
    }
}

fn invalid_type(field: &str, expected: &str, got: &Value) -> Rejection {
    Rejection::field(ErrorCode::InvalidType, field, format!("expected {expected}, got {}", type_name(got)))
}

fn check_kind(path: &str, kind: FieldKind, v: &Value) -> Result<(), Rejection> {
    let s = match (kind, v) {
        (FieldKind::Float, Value::Number(_)) | (FieldKind::Array, Value::Array(_)) => return Ok(()),
        (FieldKind::Object, Value::Object(_)) | (FieldKind::Any, _) => return Ok(()),
        (FieldKind::Float, other) => return Err(invalid_type(path, "a number", other)),
        (FieldKind::Array, other) => return Err(invalid_type(path, "an array", other)),
        (FieldKind::Object, other) => return Err(invalid_type(path, "an object", other)),
        (FieldKind::Int, Value::Number(n)) => {
            return if n.is_i64() {
                Ok(())
            } else {
                Err(Rejection::field(ErrorCode::InvalidType, path, "expected an integer"))
            };
        }
        (FieldKind::Int, other) => return Err(invalid_type(path, "an integer", other)),
        (FieldKind::Bool, Value::Bool(_)) => return Ok(()),
        (FieldKind::Bool, other) => return Err(invalid_type(path, "a boolean", other)),
        (FieldKind::NullableTime, Value::Null) => return Ok(()),
        (_, Value::String(s)) => s,
        (_, other) => return Err(invalid_type(path, "a string", other)),
    };
    let ok = match kind {
        FieldKind::Uuid => uuid::Uuid::try_parse(s).is_ok(),
        FieldKind::Date => LocalDate::parse(s).is_some(),
        FieldKind::NullableTime => LocalTime::parse(s).is_some(),
        FieldKind::Enum(names) => names.contains(&s.as_str()),
        _ => true,
    };
    if ok {
        Ok(())
    } else {
        let what = match kind {
            FieldKind::Uuid => String::from("a UUID"),
            FieldKind::Date => String::from("a date as YYYY-MM-DD"),
            FieldKind::Enum(names) => format!("one of {}", names.join(", ")),
            _ => String::from("a time as HH:MM"),
        };
        Err(Rejection::field(ErrorCode::InvalidValue, path, format!("expected {what}")))
    }
}

/// Checks a payload object against its field specs: no unknown field, every
/// required one present, each of the right JSON shape.
pub fn check_shape(fields: &[FieldSpec], payload: &Map<String, Value>) -> Result<(), Rejection> {
    for key in payload.keys() {
        if !fields.iter().any(|f| f.name == key.as_str()) {
            return Err(Rejection::field(ErrorCode::UnknownField, format!("payload.{key}"), "unknown field"));
        }
    }
    for f in fields {
        match payload.get(f.name) {
            None if f.required => {
                return Err(Rejection::field(ErrorCode::MissingField, format!("payload.{}", f.name), "required field"))
            }
            None => {}
            Some(Value::Null) if !matches!(f.kind, FieldKind::NullableTime) && !f.required => {}
            Some(v) => check_kind(&format!("payload.{}", f.name), f.kind, v)?,
        }
    }
    Ok(())
}

/// Parses and validates a client body `{"type", "payload", "client_action_id"?, "event_id"?}`
/// for `domain`.
pub fn parse_client_request<D: Domain>(
    body: &[u8],
    domain: &D,
    limits: &Limits,
) -> Result<ClientRequest<D::Event>, Rejection> {
    if body.len() > limits.max_body_bytes {
        return Err(Rejection::new(
            ErrorCode::BodyTooLarge,
            format!("body is {} bytes; the limit is {}", body.len(), limits.max_body_bytes),
        ));
    }
    check_depth(body, limits.max_depth)?;
    let value: Value = serde_json::from_slice(body)
        .map_err(|e| Rejection::new(ErrorCode::MalformedJson, format!("malformed JSON: {e}")))?;
    let Value::Object(mut top) = value else {
        return Err(Rejection::new(
            ErrorCode::InvalidType,
            format!("expected a JSON object, got {}", type_name(&value)),
        ));
    };
    for key in top.keys() {
        if !matches!(key.as_str(), "type" | "payload" | "client_action_id" | "event_id") {
            return Err(Rejection::field(ErrorCode::UnknownField, key.as_str(), "unknown field"));
        }
    }
    let ty = match top.get("type") {
        None => return Err(Rejection::field(ErrorCode::MissingField, "type", "required field")),
        Some(Value::String(s)) => EventType::<crate::domain::TypeOf<D>>::parse(s).ok_or_else(|| {
            Rejection::field(ErrorCode::UnknownEventType, "type", format!("unknown event type `{}`", truncate(s)))
        })?,
        Some(other) => return Err(invalid_type("type", "a string", other)),
    };
    if ty.origin() != Origin::Client {
        return Err(Rejection::field(ErrorCode::EventTypeNotAllowed, "type", format!("clients may not send `{ty}`")));
    }
    let client_action_id = match top.get("client_action_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => Some(ClientActionId::parse(s).ok_or_else(|| {
            Rejection::field(
                ErrorCode::InvalidValue,
                "client_action_id",
                format!("expected 1 to {} characters of [A-Za-z0-9_.:-]", ClientActionId::MAX_LEN),
            )
        })?),
        Some(other) => return Err(invalid_type("client_action_id", "a string", other)),
    };
    let event_id = match top.get("event_id") {
        None | Some(Value::Null) => None,
        Some(Value::String(s)) => {
            let id = EventId::parse(s)
                .ok_or_else(|| Rejection::field(ErrorCode::InvalidValue, "event_id", "expected a UUID"))?;
            // The service derives its own events' ids as UUID v5 (jobs,
            // checkpoints, `llm.started`…): a client taking one could block
            // an operation. Clients choose random (v4) or time-ordered (v7) ids.
            if id.0.get_version_num() == 5 {
                return Err(Rejection::field(
                    ErrorCode::InvalidValue,
                    "event_id",
                    "UUID v5 ids are reserved for events the service derives; use a v4 or v7 UUID",
                ));
            }
            Some(id)
        }
        Some(other) => return Err(invalid_type("event_id", "a string", other)),
    };
    let fields = match ty {
        EventType::Llm(t) => llm_fields(t),
        EventType::Domain(t) => <D::Event as crate::event::Catalogue>::fields(t),
    };
    let payload = match top.remove("payload") {
        // A payload with no required field may be left out.
        None | Some(Value::Null) if fields.iter().all(|f| !f.required) => Map::new(),
        None => return Err(Rejection::field(ErrorCode::MissingField, "payload", "required field")),
        Some(Value::Object(m)) => m,
        Some(other) => return Err(invalid_type("payload", "an object", &other)),
    };
    check_shape(fields, &payload)?;
    // An integer the shape check let through may not fit its field's type:
    // that error names the field too (`out_of_range`).
    let event = decode::payload(ty, Value::Object(payload))?;
    let event = match event {
        Event::Domain(e) => Event::Domain(domain.prepare(e)?),
        other => other,
    };
    Ok(ClientRequest { event, client_action_id, event_id })
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(64) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

/// Checks a text field: not blank, at most `max` characters, no control
/// characters (but newlines and tabs when `multiline`).
pub fn check_text(field: &str, s: &str, max: usize, multiline: bool) -> Result<(), Rejection> {
    if s.trim().is_empty() {
        return Err(Rejection::field(ErrorCode::Empty, field, "must not be empty or blank"));
    }
    let mut n = 0usize;
    for c in s.chars() {
        n += 1;
        if n > max {
            return Err(Rejection::field(ErrorCode::TooLong, field, format!("at most {max} characters")));
        }
        if c.is_control() && !(multiline && matches!(c, '\n' | '\t' | '\r')) {
            return Err(Rejection::field(ErrorCode::InvalidValue, field, "control characters are not allowed"));
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn depth_scan_ignores_brackets_in_strings() {
        assert!(check_depth(br#"{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[["}"#, 2).is_ok());
        assert!(check_depth(br#"{"a":"\"[[[[[[[","b":[[1]]}"#, 2).is_err());
    }

    #[test]
    fn clients_cannot_take_an_id_the_service_derives() {
        // The id of the first `llm.started` of some operation: a client that
        // took it would leave that operation pending forever.
        let user = crate::ids::UserId::parse("toy").unwrap();
        let op = crate::ids::OperationId::for_request(EventId::derive(&user, "note.added", "1"));
        let taken = EventId::derive(&user, "llm.started", &format!("{op}/1"));
        let body = format!(r#"{{"type":"note.added","payload":{{"text":"hi"}},"event_id":"{taken}"}}"#);
        let r = parse_client_request(body.as_bytes(), &crate::toy::Toy, &Limits::default()).unwrap_err();
        assert_eq!((r.code, r.field.as_deref()), (ErrorCode::InvalidValue, Some("event_id")));
        let v4 = r#"{"type":"note.added","payload":{"text":"hi"},"event_id":"0e4c6f0e-55b1-4c8e-9a57-1f3ae1c9b001"}"#;
        assert!(parse_client_request(v4.as_bytes(), &crate::toy::Toy, &Limits::default()).is_ok());
    }

    #[test]
    fn a_domain_completes_a_client_event_when_it_is_parsed() {
        let parse = |text: &str| {
            let body = alloc::format!(r#"{{"type":"note.added","payload":{{"text":"{text}"}}}}"#);
            parse_client_request(body.as_bytes(), &crate::toy::Toy, &Limits::default())
        };
        // The toy resolves `tz:<zone>` to the zone's rule (what it records).
        let resolved = parse("tz:Europe/Berlin").unwrap();
        let expected = crate::toy::ToyEvent::Added(crate::toy::NoteAdded {
            text: String::from("tz:Europe/Berlin=CET-1CEST,M3.5.0,M10.5.0/3"),
        });
        assert_eq!(resolved.event, Event::Domain(expected));
        // The same request twice is the same event (a retry is a duplicate, not a conflict).
        assert_eq!(parse("tz:Europe/Berlin").unwrap(), resolved);
        let unknown = parse("tz:Europe/Atlantis").unwrap_err();
        assert_eq!((unknown.code, unknown.field.as_deref()), (ErrorCode::InvalidValue, Some("payload.text")));
        // Other notes are kept as they are.
        assert!(
            matches!(parse("hello").unwrap().event, Event::Domain(crate::toy::ToyEvent::Added(n)) if n.text == "hello")
        );
    }

    #[test]
    fn text_checks_name_the_field() {
        assert_eq!(check_text("payload.t", "  ", 5, false).unwrap_err().code, ErrorCode::Empty);
        assert_eq!(check_text("payload.t", "abcdef", 5, false).unwrap_err().code, ErrorCode::TooLong);
        assert_eq!(check_text("payload.t", "a\u{7}", 5, false).unwrap_err().code, ErrorCode::InvalidValue);
        assert!(check_text("payload.t", "a\nb", 5, true).is_ok());
    }
}
