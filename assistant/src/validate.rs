//! Content bounds of the assistant's client events. Their shapes come from
//! the payloads' declarations (`microcos_core::payload!`); their bounds are
//! stated once, in [`BOUNDS`], which [`check_event`] checks and the client
//! schema states.

use microcos_core::tz::OFFSET_MINUTES;
use microcos_core::validate::check_text;
use microcos_core::{ErrorCode, Rejection};

use crate::event::{AssistantEvent, AssistantEventType};

/// Content bounds of client events. `AssistantLimits::default()` is what the
/// services use.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssistantLimits {
    /// Longest chat message, in characters.
    pub max_message_chars: usize,
    /// Longest task title, in characters.
    pub max_title_chars: usize,
    /// Longest task notes, in characters.
    pub max_notes_chars: usize,
    /// Longest text given to task extraction, in characters.
    pub max_extract_chars: usize,
    /// Longest reminder text, in characters.
    pub max_reminder_chars: usize,
    /// Longest snooze, in minutes.
    pub max_snooze_minutes: u32,
}

impl Default for AssistantLimits {
    fn default() -> Self {
        AssistantLimits {
            max_message_chars: 8_000,
            max_title_chars: 200,
            max_notes_chars: 4_000,
            max_extract_chars: 16_000,
            max_reminder_chars: 500,
            max_snooze_minutes: 7 * 24 * 60,
        }
    }
}

/// The longest zone name a client may send (the database's longest is 30).
pub const MAX_ZONE_CHARS: usize = 64;

/// A bound on one field of a client payload.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Bound {
    /// A string of at most `max` characters; `empty`: it may be `""`.
    Chars {
        /// The longest, in characters.
        max: usize,
        /// Whether `""` is allowed.
        empty: bool,
    },
    /// An integer within `min..=max`.
    Range {
        /// The least.
        min: i64,
        /// The greatest.
        max: i64,
    },
}

/// One bounded field: its type, its name, its bound under the limits, and
/// how to read it from the event (`None`: absent).
pub struct Bounded {
    /// The client type.
    pub ty: AssistantEventType,
    /// The field, as the payload declares it.
    pub field: &'static str,
    /// Its bound under `limits`.
    pub bound: fn(&AssistantLimits) -> Bound,
    read: fn(&AssistantEvent) -> Option<Value<'_>>,
}

/// A bounded field's value.
enum Value<'a> {
    Text(&'a str),
    Int(i64),
}

const fn chars(max: usize, empty: bool) -> Bound {
    Bound::Chars { max, empty }
}

/// The reader of a bounded field: the payload of variant `$variant`, or
/// `None` for any other event.
macro_rules! read {
    ($variant:ident, |$p:ident| $value:expr) => {
        |e| match e {
            AssistantEvent::$variant($p) => $value,
            _ => None,
        }
    };
}

/// Every bound on the fields of client payloads, each stated once: the
/// assistant checks them ([`check_event`]) and the client schema states them
/// (`maxLength`, `minimum`, `maximum`).
pub const BOUNDS: &[Bounded] = {
    use AssistantEventType as T;
    use Value::{Int, Text};
    &[
        Bounded {
            ty: T::UserMessage,
            field: "text",
            bound: |l| chars(l.max_message_chars, true),
            read: read!(UserMessage, |p| Some(Text(&p.text))),
        },
        Bounded {
            ty: T::TaskExtract,
            field: "text",
            bound: |l| chars(l.max_extract_chars, true),
            read: read!(TaskExtract, |p| Some(Text(&p.text))),
        },
        Bounded {
            ty: T::TaskCreated,
            field: "title",
            bound: |l| chars(l.max_title_chars, false),
            read: read!(TaskCreated, |p| Some(Text(&p.title))),
        },
        Bounded {
            ty: T::TaskCreated,
            field: "notes",
            bound: |l| chars(l.max_notes_chars, true),
            read: read!(TaskCreated, |p| p.notes.as_deref().map(Text)),
        },
        Bounded {
            ty: T::TaskUpdated,
            field: "title",
            bound: |l| chars(l.max_title_chars, false),
            read: read!(TaskUpdated, |p| p.title.as_deref().map(Text)),
        },
        Bounded {
            ty: T::TaskUpdated,
            field: "notes",
            bound: |l| chars(l.max_notes_chars, true),
            read: read!(TaskUpdated, |p| p.notes.as_deref().map(Text)),
        },
        Bounded {
            ty: T::ReminderSet,
            field: "text",
            bound: |l| chars(l.max_reminder_chars, false),
            read: read!(ReminderSet, |p| Some(Text(&p.text))),
        },
        Bounded {
            ty: T::ReminderSnoozed,
            field: "minutes",
            bound: |l| Bound::Range { min: 1, max: i64::from(l.max_snooze_minutes) },
            read: read!(ReminderSnoozed, |p| Some(Int(i64::from(p.minutes)))),
        },
        Bounded {
            ty: T::SettingsUpdated,
            field: "time_zone",
            bound: |_| chars(MAX_ZONE_CHARS, false),
            read: read!(SettingsUpdated, |p| p.time_zone.as_deref().map(Text)),
        },
        Bounded {
            ty: T::SettingsUpdated,
            field: "tz_offset_minutes",
            bound: |_| Bound::Range { min: *OFFSET_MINUTES.start() as i64, max: *OFFSET_MINUTES.end() as i64 },
            read: read!(SettingsUpdated, |p| p.tz_offset_minutes.map(|m| Int(i64::from(m)))),
        },
    ]
};

/// Checks the content bounds of a client-originated event: each bounded
/// field ([`BOUNDS`]) first, in declaration order, then the rules between
/// fields.
pub fn check_event(event: &AssistantEvent, limits: &AssistantLimits) -> Result<(), Rejection> {
    let ty = microcos_core::Catalogue::event_type(event);
    for b in BOUNDS.iter().filter(|b| b.ty == ty) {
        let path = alloc::format!("payload.{}", b.field);
        match ((b.bound)(limits), (b.read)(event)) {
            (Bound::Chars { max, empty }, Some(Value::Text(text))) => check_text(&path, text, max, empty)?,
            (Bound::Range { min, max }, Some(Value::Int(n))) if !(min..=max).contains(&n) => {
                return Err(Rejection::field(
                    ErrorCode::OutOfRange,
                    path,
                    alloc::format!("must be within {min}..={max}"),
                ));
            }
            _ => {}
        }
    }
    match event {
        AssistantEvent::TaskUpdated(p) if p.title.is_none() && p.notes.is_none() && p.due_date.is_none() => {
            Err(Rejection::field(ErrorCode::MissingField, "payload", "give at least one of title, notes, due_date"))
        }
        AssistantEvent::ReminderSet(p) => match (p.at, p.time) {
            (Some(_), Some(_)) => {
                Err(Rejection::field(ErrorCode::InvalidValue, "payload.time", "give either at or time, not both"))
            }
            (None, None) => Err(Rejection::field(
                ErrorCode::MissingField,
                "payload.at",
                "give at (ms since the epoch) or time (HH:MM, in your time zone)",
            )),
            (Some(_), None) if p.date.is_some() => {
                Err(Rejection::field(ErrorCode::InvalidValue, "payload.date", "date goes with time, not with at"))
            }
            _ => Ok(()),
        },
        AssistantEvent::SettingsUpdated(p) => match (&p.time_zone, p.tz_offset_minutes) {
            (Some(_), Some(_)) => Err(Rejection::field(
                ErrorCode::InvalidValue,
                "payload.tz_offset_minutes",
                "give time_zone or tz_offset_minutes, not both",
            )),
            // A zone is resolved against the database when the event is prepared.
            (None, None) => Err(Rejection::field(
                ErrorCode::MissingField,
                "payload.time_zone",
                "give time_zone: a zone such as Europe/Berlin, or an offset such as +05:30",
            )),
            _ => Ok(()),
        },
        _ => Ok(()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::string::String;
    use microcos_core::validate::{parse_client_request, Limits};
    use microcos_core::{ClientActionId, Event};

    use crate::Assistant;

    fn err(body: &str) -> (ErrorCode, Option<String>) {
        let r = parse_client_request(body.as_bytes(), &Assistant::default(), &Limits::default()).unwrap_err();
        (r.code, r.field)
    }

    #[test]
    fn accepts_a_well_formed_request() {
        let r = parse_client_request(
            br#"{"type":"task.created","payload":{"title":"Buy milk","due_date":"2026-12-01"},"client_action_id":"a1"}"#,
            &Assistant::default(),
            &Limits::default(),
        )
        .unwrap();
        assert!(matches!(r.event, Event::Domain(AssistantEvent::TaskCreated(ref t)) if t.title == "Buy milk"));
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
        let r = parse_client_request(&[b'x'; 11], &Assistant::default(), &limits).unwrap_err();
        assert_eq!(r.code, ErrorCode::BodyTooLarge);
    }

    /// The field tables `payload!` derives are the ones the edge checked
    /// when they were written by hand (API v1: what a client may send).
    #[test]
    fn derived_field_tables_are_the_hand_written_ones() {
        use crate::event::{AssistantEvent, AssistantEventType as T};
        use microcos_core::validate::{FieldKind::*, FieldSpec};
        use microcos_core::Catalogue;
        const TEXT: &[FieldSpec] = &[FieldSpec::required("text", Str)];
        const SETTINGS: &[FieldSpec] = &[
            FieldSpec::optional("time_zone", Str),
            // Declared, and refused from a client by `Assistant::prepare` (the
            // service records it): the same unknown_field as before.
            FieldSpec::optional("time_zone_rule", Str),
            FieldSpec::optional("tz_offset_minutes", Int),
            FieldSpec::optional("daily_plan_time", NullableTime),
            FieldSpec::optional("confirm_actions", Bool),
        ];
        const ACTION_ID: &[FieldSpec] = &[FieldSpec::required("action_id", Uuid)];
        const TASK_CREATED: &[FieldSpec] = &[
            FieldSpec::optional("task_id", Uuid),
            FieldSpec::required("title", Str),
            FieldSpec::optional("notes", Str),
            FieldSpec::optional("due_date", Date),
        ];
        const TASK_UPDATED: &[FieldSpec] = &[
            FieldSpec::required("task_id", Uuid),
            FieldSpec::optional("title", Str),
            FieldSpec::optional("notes", Str),
            FieldSpec::optional("due_date", Date),
        ];
        const TASK_ID: &[FieldSpec] = &[FieldSpec::required("task_id", Uuid)];
        const PLAN_REQUESTED: &[FieldSpec] = &[FieldSpec::optional("date", Date)];
        const REMINDER_SET: &[FieldSpec] = &[
            FieldSpec::optional("reminder_id", Uuid),
            FieldSpec::required("text", Str),
            FieldSpec::optional("at", Int),
            FieldSpec::optional("date", Date),
            FieldSpec::optional("time", NullableTime),
            FieldSpec::optional("task_id", Uuid),
        ];
        const REMINDER_SNOOZED: &[FieldSpec] =
            &[FieldSpec::required("reminder_id", Uuid), FieldSpec::required("minutes", Int)];
        const REMINDER_ID: &[FieldSpec] = &[FieldSpec::required("reminder_id", Uuid)];
        let expected = |ty: T| -> &'static [FieldSpec] {
            match ty {
                T::UserMessage | T::TaskExtract => TEXT,
                T::SettingsUpdated => SETTINGS,
                T::TaskCreated => TASK_CREATED,
                T::TaskUpdated => TASK_UPDATED,
                T::TaskCompleted | T::TaskDeleted | T::TaskReopened => TASK_ID,
                T::PlanRequested => PLAN_REQUESTED,
                T::ReminderSet => REMINDER_SET,
                T::ReminderSnoozed => REMINDER_SNOOZED,
                T::ReminderCancelled => REMINDER_ID,
                T::ActionApproved | T::ActionDeclined => ACTION_ID,
                _ => &[],
            }
        };
        for ty in <T as microcos_core::EventKind>::ALL.iter().copied() {
            if microcos_core::EventKind::origin(ty) == microcos_core::Origin::Client {
                assert_eq!(AssistantEvent::fields(ty), expected(ty), "{ty}");
            }
        }
    }

    /// Every bound names a field its type's payload declares (a bound on a
    /// field that does not exist would be checked and stated for nothing).
    #[test]
    fn every_bound_names_a_declared_field() {
        use microcos_core::Catalogue;
        for b in super::BOUNDS {
            let declared = AssistantEvent::fields(b.ty);
            assert!(declared.iter().any(|f| f.name == b.field), "{}: no field {}", b.ty, b.field);
        }
    }
}
