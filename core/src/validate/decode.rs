//! Decoding a client payload whose shape [`super::check_shape`] passed,
//! with an error that names the field when a number does not fit its type.
//!
//! The field specs know a field is an integer, not which one: `minutes: u32`
//! and `level: u8` are both [`super::FieldKind::Int`]. So an integer that
//! passes the shape check can still fail to decode, and serde's error for
//! it ("invalid value: integer `300`, expected u8") names no field. That
//! error names the integer and the type, though: the field is where that
//! integer stands in the payload (the first place, in the order serde read
//! the payload's keys), and the answer is `out_of_range` on it
//! (`payload.minutes`, `payload.steps[1].at`) with the type's range. Any
//! other failure keeps serde's message, on `payload`, as before.
//!
//! Reading the message, not decoding again through a deserializer of our
//! own, keeps this small: a second deserializer would instantiate every
//! payload's `Deserialize` once more, about 100 KB of wasm in the replica
//! and the Worker. What decodes, and what is refused, is serde_json's
//! decision alone.

use alloc::format;
use alloc::string::String;
use core::fmt::{self, Write};

use serde_json::Value;

use crate::error::{ErrorCode, Rejection};
use crate::event::{Catalogue, Event, EventType};

/// Decodes the payload of an event of type `ty`. It decodes from an owned
/// value, as every other path does (a borrowed one would instantiate each
/// payload's `Deserialize` a second time: about 59 KB of wasm), so it keeps
/// a copy to find the field in should it fail.
pub(super) fn payload<E: Catalogue>(ty: EventType<E::Type>, payload: Value) -> Result<Event<E>, Rejection> {
    let copy = payload.clone();
    Event::deserialize_payload(ty, payload).map_err(|e| {
        let message = format!("{e}");
        out_of_range(&message, &copy).unwrap_or_else(|| Rejection::field(ErrorCode::InvalidValue, "payload", message))
    })
}

/// `out_of_range` on the field holding the integer serde's `message` says
/// does not fit its type, if that is what the message says.
fn out_of_range(message: &str, payload: &Value) -> Option<Rejection> {
    let rest = message.strip_prefix("invalid value: integer `")?;
    let (number, rest) = rest.split_once('`')?;
    let ty = rest.strip_prefix(", expected ")?;
    let (min, max) = range(ty)?;
    // Parsed by hand: serde_json's Number::from_str would bring a second
    // copy of its parser (one over &str) into the wasm builds.
    let number: i128 = number.parse().ok()?;
    let mut path = String::from("payload");
    find(payload, &number, &mut path)
        .then(|| Rejection::field(ErrorCode::OutOfRange, path, format!("must be an integer within {min}..={max}")))
}

/// The range of the integer type serde names.
fn range(ty: &str) -> Option<(i128, i128)> {
    Some(match ty {
        "u8" => (0, u8::MAX.into()),
        "u16" => (0, u16::MAX.into()),
        "u32" => (0, u32::MAX.into()),
        "u64" => (0, u64::MAX.into()),
        "usize" => (0, usize::MAX as i128),
        "i8" => (i8::MIN.into(), i8::MAX.into()),
        "i16" => (i16::MIN.into(), i16::MAX.into()),
        "i32" => (i32::MIN.into(), i32::MAX.into()),
        "i64" => (i64::MIN.into(), i64::MAX.into()),
        "isize" => (isize::MIN as i128, isize::MAX as i128),
        _ => return None,
    })
}

/// Whether `number` stands in `value`; `path` is then where (the first
/// place, in key order: the order serde reads a parsed object in).
fn find(value: &Value, number: &i128, path: &mut String) -> bool {
    // Goes into `v` at `step`; `path` keeps the step only if it is found there.
    let within = |step: &dyn fmt::Display, v: &Value, path: &mut String| {
        let len = path.len();
        let _ = write!(path, "{step}");
        let found = find(v, number, path);
        if !found {
            path.truncate(len);
        }
        found
    };
    match value {
        Value::Number(n) => n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from)) == Some(*number),
        Value::Object(map) => map.iter().any(|(key, v)| within(&format_args!(".{key}"), v, path)),
        Value::Array(items) => items.iter().enumerate().any(|(i, v)| within(&format_args!("[{i}]"), v, path)),
        _ => false,
    }
}

#[cfg(test)]
#[allow(unreachable_pub)] // payload! declares `pub` structs
mod tests {
    use alloc::string::ToString;
    use alloc::vec::Vec;

    use super::*;
    use crate::event::EventKind;

    crate::payload!(/// A toy payload with integers of several types.
    Snoozed {
        /// A u32.
        minutes: u32,
        /// A u8, optional.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        level: Option<u8>,
        /// An i16 in a newtype.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        offset: Option<Offset>,
        /// Integers in a list of objects.
        #[serde(default, skip_serializing_if = "Vec::is_empty")]
        steps: Vec<Step>,
    });
    crate::payload!(/// One step.
    Step { /// A u16.
    at: u16 });

    /// A domain's own type in a payload: it has a schema when the payloads do.
    #[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    pub struct Offset(i16);

    impl crate::validate::FieldType for Offset {
        const KIND: crate::validate::FieldKind = crate::validate::FieldKind::Int;
    }

    crate::catalogue! {
        enum Toy / ToyType {
            Snoozed(Snoozed) = "toy.snoozed", Client;
        }
    }

    fn decode(json: &str) -> Result<Event<Toy>, Rejection> {
        let ty = EventType::Domain(ToyType::parse("toy.snoozed").unwrap());
        payload::<Toy>(ty, serde_json::from_str(json).unwrap())
    }

    fn refused(json: &str) -> (ErrorCode, String, String) {
        let r = decode(json).unwrap_err();
        (r.code, r.field.unwrap_or_default(), r.message)
    }

    #[test]
    fn an_integer_outside_its_type_names_the_field_and_the_range() {
        let cases: &[(&str, &str, &str)] = &[
            (r#"{"minutes":99999999999}"#, "payload.minutes", "must be an integer within 0..=4294967295"),
            (r#"{"minutes":-1}"#, "payload.minutes", "must be an integer within 0..=4294967295"),
            (r#"{"minutes":1,"level":256}"#, "payload.level", "must be an integer within 0..=255"),
            (r#"{"minutes":1,"level":-3}"#, "payload.level", "must be an integer within 0..=255"),
            (r#"{"minutes":1,"offset":40000}"#, "payload.offset", "must be an integer within -32768..=32767"),
            (r#"{"minutes":1,"offset":-32769}"#, "payload.offset", "must be an integer within -32768..=32767"),
            (
                r#"{"minutes":1,"steps":[{"at":1},{"at":65536}]}"#,
                "payload.steps[1].at",
                "must be an integer within 0..=65535",
            ),
            (r#"{"minutes":18446744073709551615}"#, "payload.minutes", "must be an integer within 0..=4294967295"),
        ];
        for &(json, field, message) in cases {
            assert_eq!(refused(json), (ErrorCode::OutOfRange, field.into(), message.into()), "{json}");
        }
    }

    #[test]
    fn integers_at_the_ends_of_their_range_decode() {
        let ok = decode(r#"{"minutes":4294967295,"level":255,"offset":-32768,"steps":[{"at":0},{"at":65535}]}"#);
        let Ok(Event::Domain(Toy::Snoozed(p))) = ok else { panic!("{ok:?}") };
        assert_eq!((p.minutes, p.level, p.offset, p.steps.len()), (u32::MAX, Some(255), Some(Offset(-32768)), 2));
        assert!(decode(r#"{"minutes":0,"level":null}"#).is_ok());
    }

    #[test]
    fn other_failures_keep_serde_message_on_the_payload() {
        // The first failure decides (in the order of the keys): here a
        // float before an integer out of range.
        for json in [
            r#"{"level":1.5,"minutes":99999999999}"#,
            r#"{"minutes":"1"}"#,
            r#"{"minutes":1,"steps":[{"at":1,"x":2}]}"#,
            r#"{"minutes":1,"steps":{"at":1}}"#,
            r#"{"level":1}"#,
        ] {
            let expected = serde_json::from_str::<Snoozed>(json).unwrap_err().to_string();
            let (code, field, message) = refused(json);
            assert_eq!((code, field.as_str()), (ErrorCode::InvalidValue, "payload"), "{json}");
            // serde_json's message, less the position a string has and a value has not.
            assert!(expected.starts_with(&message), "{json}: {message} / {expected}");
        }
    }
}
