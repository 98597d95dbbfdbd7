//! Validation of everything that comes from outside: bodies, client requests
//! and event contents. Every check names the failing field and a stable
//! [`ErrorCode`]; nothing here panics on any input.
//!
//! Order of checks for a client body ([`parse_client_request`]):
//! size → nesting depth → JSON syntax → top-level fields → event type and
//! whether clients may send it → payload shape (unknown/missing fields, JSON
//! types, formats) → content bounds ([`check_event`]).

use alloc::format;
use alloc::string::String;

use serde_json::{Map, Value};

use crate::error::{ErrorCode, Rejection};
use crate::event::{Event, EventType, Origin};
use crate::ids::{ClientActionId, EventId};
use crate::time::{LocalDate, LocalTime};

/// Bounds on every input. `Limits::default()` is what the services use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Largest accepted request body, in bytes.
    pub max_body_bytes: usize,
    /// Deepest accepted JSON nesting.
    pub max_depth: usize,
    /// Longest chat message, in characters.
    pub max_message_chars: usize,
    /// Longest task title, in characters.
    pub max_title_chars: usize,
    /// Longest task notes, in characters.
    pub max_notes_chars: usize,
    /// Longest text given to task extraction, in characters.
    pub max_extract_chars: usize,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_body_bytes: 64 * 1024,
            max_depth: 16,
            max_message_chars: 8_000,
            max_title_chars: 200,
            max_notes_chars: 4_000,
            max_extract_chars: 16_000,
        }
    }
}

/// A validated client request: the typed event plus the optional ids the client chose.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ClientRequest {
    /// The event the client wants recorded.
    pub event: Event,
    /// Idempotency key.
    pub client_action_id: Option<ClientActionId>,
    /// Client-chosen event id (for clients that generate ids offline).
    pub event_id: Option<EventId>,
}

#[derive(Clone, Copy)]
enum Kind {
    Str,
    Uuid,
    Date,
    NullableTime,
    Int,
}

struct FieldSpec {
    name: &'static str,
    kind: Kind,
    required: bool,
}

macro_rules! req {
    ($name:literal, $kind:ident) => {
        FieldSpec { name: $name, kind: Kind::$kind, required: true }
    };
}
macro_rules! opt {
    ($name:literal, $kind:ident) => {
        FieldSpec { name: $name, kind: Kind::$kind, required: false }
    };
}

/// The payload shape of each client-sendable type (all client payloads are flat).
fn client_fields(ty: EventType) -> &'static [FieldSpec] {
    match ty {
        EventType::UserMessage => &[req!("text", Str)],
        EventType::SettingsUpdated => &[req!("tz_offset_minutes", Int), opt!("daily_plan_time", NullableTime)],
        EventType::TaskCreated => {
            &[opt!("task_id", Uuid), req!("title", Str), opt!("notes", Str), opt!("due_date", Date)]
        }
        EventType::TaskUpdated => {
            &[req!("task_id", Uuid), opt!("title", Str), opt!("notes", Str), opt!("due_date", Date)]
        }
        EventType::TaskCompleted | EventType::TaskDeleted => &[req!("task_id", Uuid)],
        EventType::PlanRequested => &[opt!("date", Date)],
        EventType::SummaryRequested => &[],
        EventType::TaskExtract => &[req!("text", Str)],
        EventType::LlmCancel => &[req!("operation_id", Uuid)],
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

fn check_kind(path: &str, kind: Kind, v: &Value) -> Result<(), Rejection> {
    let s = match (kind, v) {
        (Kind::Int, Value::Number(n)) => {
            return if n.is_i64() {
                Ok(())
            } else {
                Err(Rejection::field(ErrorCode::InvalidType, path, "expected an integer"))
            };
        }
        (Kind::Int, other) => return Err(invalid_type(path, "an integer", other)),
        (Kind::NullableTime, Value::Null) => return Ok(()),
        (_, Value::String(s)) => s,
        (_, other) => return Err(invalid_type(path, "a string", other)),
    };
    let ok = match kind {
        Kind::Str | Kind::Int => true,
        Kind::Uuid => uuid::Uuid::try_parse(s).is_ok(),
        Kind::Date => LocalDate::parse(s).is_some(),
        Kind::NullableTime => LocalTime::parse(s).is_some(),
    };
    if ok {
        Ok(())
    } else {
        let what = match kind {
            Kind::Uuid => "a UUID",
            Kind::Date => "a date as YYYY-MM-DD",
            _ => "a time as HH:MM",
        };
        Err(Rejection::field(ErrorCode::InvalidValue, path, format!("expected {what}")))
    }
}

fn check_shape(fields: &[FieldSpec], payload: &Map<String, Value>) -> Result<(), Rejection> {
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
            Some(Value::Null) if !matches!(f.kind, Kind::NullableTime) && !f.required => {}
            Some(v) => check_kind(&format!("payload.{}", f.name), f.kind, v)?,
        }
    }
    Ok(())
}

/// Parses and validates a client body `{"type", "payload", "client_action_id"?, "event_id"?}`.
pub fn parse_client_request(body: &[u8], limits: &Limits) -> Result<ClientRequest, Rejection> {
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
        Some(Value::String(s)) => EventType::parse(s).ok_or_else(|| {
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
        Some(Value::String(s)) => Some(
            EventId::parse(s)
                .ok_or_else(|| Rejection::field(ErrorCode::InvalidValue, "event_id", "expected a UUID"))?,
        ),
        Some(other) => return Err(invalid_type("event_id", "a string", other)),
    };
    let payload = match top.remove("payload") {
        None | Some(Value::Null) if ty == EventType::SummaryRequested || ty == EventType::PlanRequested => Map::new(),
        None => return Err(Rejection::field(ErrorCode::MissingField, "payload", "required field")),
        Some(Value::Object(m)) => m,
        Some(other) => return Err(invalid_type("payload", "an object", &other)),
    };
    check_shape(client_fields(ty), &payload)?;
    let event = Event::deserialize_payload(ty, Value::Object(payload))
        .map_err(|e| Rejection::field(ErrorCode::InvalidValue, "payload", format!("{e}")))?;
    check_event(&event, limits)?;
    Ok(ClientRequest { event, client_action_id, event_id })
}

fn truncate(s: &str) -> &str {
    match s.char_indices().nth(64) {
        Some((i, _)) => &s[..i],
        None => s,
    }
}

fn check_text(field: &str, s: &str, max: usize, multiline: bool) -> Result<(), Rejection> {
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

/// Checks the content bounds of a client-originated event.
pub fn check_event(event: &Event, limits: &Limits) -> Result<(), Rejection> {
    match event {
        Event::UserMessage(p) => check_text("payload.text", &p.text, limits.max_message_chars, true),
        Event::TaskExtract(p) => check_text("payload.text", &p.text, limits.max_extract_chars, true),
        Event::TaskCreated(p) => {
            check_text("payload.title", &p.title, limits.max_title_chars, false)?;
            match &p.notes {
                Some(n) if !n.is_empty() => check_text("payload.notes", n, limits.max_notes_chars, true),
                _ => Ok(()),
            }
        }
        Event::TaskUpdated(p) => {
            if p.title.is_none() && p.notes.is_none() && p.due_date.is_none() {
                return Err(Rejection::field(
                    ErrorCode::MissingField,
                    "payload",
                    "give at least one of title, notes, due_date",
                ));
            }
            if let Some(t) = &p.title {
                check_text("payload.title", t, limits.max_title_chars, false)?;
            }
            match &p.notes {
                Some(n) if !n.is_empty() => check_text("payload.notes", n, limits.max_notes_chars, true),
                _ => Ok(()),
            }
        }
        Event::SettingsUpdated(p) => {
            if (-720..=840).contains(&p.tz_offset_minutes) {
                Ok(())
            } else {
                Err(Rejection::field(ErrorCode::OutOfRange, "payload.tz_offset_minutes", "must be within -720..=840"))
            }
        }
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn err(body: &str) -> (ErrorCode, Option<String>) {
        let r = parse_client_request(body.as_bytes(), &Limits::default()).unwrap_err();
        (r.code, r.field)
    }

    #[test]
    fn accepts_a_well_formed_request() {
        let r = parse_client_request(
            br#"{"type":"task.created","payload":{"title":"Buy milk","due_date":"2026-12-01"},"client_action_id":"a1"}"#,
            &Limits::default(),
        )
        .unwrap();
        assert!(matches!(r.event, Event::TaskCreated(ref t) if t.title == "Buy milk"));
        assert_eq!(r.client_action_id, ClientActionId::parse("a1"));
    }

    #[test]
    fn rejections_name_code_and_field() {
        use ErrorCode::*;
        let long = alloc::format!(r#"{{"type":"task.created","payload":{{"title":"{}"}}}}"#, "x".repeat(201));
        let cases: &[(&str, ErrorCode, Option<&str>)] = &[
            ("{", MalformedJson, None),
            ("[1]", InvalidType, None),
            (r#"{"payload":{}}"#, MissingField, Some("type")),
            (r#"{"type":5,"payload":{}}"#, InvalidType, Some("type")),
            (r#"{"type":"nope","payload":{}}"#, UnknownEventType, Some("type")),
            (r#"{"type":"llm.token","payload":{}}"#, EventTypeNotAllowed, Some("type")),
            (r#"{"type":"user.message","payload":{"text":"hi"},"extra":1}"#, UnknownField, Some("extra")),
            (r#"{"type":"user.message","payload":{"text":"hi","x":1}}"#, UnknownField, Some("payload.x")),
            (r#"{"type":"user.message","payload":{}}"#, MissingField, Some("payload.text")),
            (r#"{"type":"user.message","payload":{"text":7}}"#, InvalidType, Some("payload.text")),
            (r#"{"type":"user.message","payload":{"text":"  "}}"#, Empty, Some("payload.text")),
            (r#"{"type":"task.completed","payload":{"task_id":"not-a-uuid"}}"#, InvalidValue, Some("payload.task_id")),
            (r#"{"type":"plan.requested","payload":{"date":"2026-02-30"}}"#, InvalidValue, Some("payload.date")),
            (
                r#"{"type":"settings.updated","payload":{"tz_offset_minutes":9000}}"#,
                OutOfRange,
                Some("payload.tz_offset_minutes"),
            ),
            (
                r#"{"type":"settings.updated","payload":{"tz_offset_minutes":1.5}}"#,
                InvalidType,
                Some("payload.tz_offset_minutes"),
            ),
            (r#"{"type":"user.message","payload":{"text":"a"},"event_id":"x"}"#, InvalidValue, Some("event_id")),
            (
                r#"{"type":"user.message","payload":{"text":"a"},"client_action_id":"a b"}"#,
                InvalidValue,
                Some("client_action_id"),
            ),
            (&long, TooLong, Some("payload.title")),
            (&"[".repeat(100), TooDeep, None),
        ];
        for (body, code, field) in cases {
            assert_eq!(err(body), (*code, field.map(String::from)), "body: {body}");
        }
    }

    #[test]
    fn body_size_is_checked_first() {
        let limits = Limits { max_body_bytes: 10, ..Limits::default() };
        let r = parse_client_request(&[b'x'; 11], &limits).unwrap_err();
        assert_eq!(r.code, ErrorCode::BodyTooLarge);
    }

    #[test]
    fn depth_scan_ignores_brackets_in_strings() {
        assert!(check_depth(br#"{"a":"[[[[[[[[[[[[[[[[[[[[[[[[[[["}"#, 2).is_ok());
        assert!(check_depth(br#"{"a":"\"[[[[[[[","b":[[1]]}"#, 2).is_err());
    }
}
