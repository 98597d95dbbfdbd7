//! Decoding a client payload whose shape [`super::check_shape`] passed,
//! with an error that names the field when a number does not fit its type.
//!
//! The field specs know a field is an integer, not which one: `minutes: u32`
//! and `level: u8` are both [`super::FieldKind::Int`]. So an integer that
//! passes the shape check can still fail to decode, and serde's error for
//! it ("invalid value: integer `300`, expected u8") names no field. When
//! the payload fails to decode, it is walked again through [`Tracked`], a
//! deserializer over the same JSON value that knows the path it is at and
//! checks each integer against the range of the type that asks for it; if
//! that is what failed, the answer is `out_of_range` on that field
//! (`payload.minutes`). Any other failure keeps serde's message, on
//! `payload`, as before.
//!
//! The walk runs only after a failure, and only to find out why: what
//! decodes, and what is refused, is serde_json's decision alone.

use alloc::format;
use alloc::string::String;
use core::cell::RefCell;
use core::fmt;

use serde::de::{self, DeserializeSeed, Deserializer, MapAccess, SeqAccess, Visitor};
use serde::forward_to_deserialize_any;
use serde_json::{Error, Map, Value};

use crate::error::{ErrorCode, Rejection};
use crate::event::{Catalogue, Event, EventType};

/// Decodes the payload of an event of type `ty`.
pub(super) fn payload<E: Catalogue>(ty: EventType<E::Type>, payload: &Value) -> Result<Event<E>, Rejection> {
    Event::deserialize_payload(ty, payload).map_err(|e| {
        let found = RefCell::new(None);
        // Fails again, the same way; `found` says whether it was a range.
        let _ = Event::<E>::deserialize_payload(ty, Tracked { value: payload, path: &Path::Payload, found: &found });
        found.into_inner().unwrap_or_else(|| Rejection::field(ErrorCode::InvalidValue, "payload", format!("{e}")))
    })
}

/// Where a value is in the payload: `payload`, `payload.minutes`,
/// `payload.items[2].time`. Built on the stack as the walk goes down.
enum Path<'a> {
    Payload,
    Field(&'a Path<'a>, &'a str),
    Index(&'a Path<'a>, usize),
}

impl fmt::Display for Path<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Path::Payload => f.write_str("payload"),
            Path::Field(parent, name) => write!(f, "{parent}.{name}"),
            Path::Index(parent, i) => write!(f, "{parent}[{i}]"),
        }
    }
}

/// A JSON value that knows where it is. It deserializes as the value does
/// (each method hands the value to serde_json's own), except that objects
/// and arrays hand out their members as `Tracked` too, and an integer asked
/// for as a type it does not fit records an `out_of_range` rejection for
/// its path in `found` (and fails, as serde_json would).
struct Tracked<'a, 'de> {
    value: &'de Value,
    path: &'a Path<'a>,
    found: &'a RefCell<Option<Rejection>>,
}

impl<'de> Tracked<'_, 'de> {
    /// Fails, recording the rejection, if the value is an integer outside `min..=max`.
    fn fits(&self, min: i128, max: i128) -> Result<(), Error> {
        let Value::Number(n) = self.value else { return Ok(()) };
        match n.as_i64().map(i128::from).or_else(|| n.as_u64().map(i128::from)) {
            Some(v) if v < min || v > max => {
                let message = format!("must be an integer within {min}..={max}");
                let path = format!("{}", self.path);
                self.found.replace(Some(Rejection::field(ErrorCode::OutOfRange, path, message)));
                Err(de::Error::custom(format!("integer `{v}` out of range {min}..={max}")))
            }
            _ => Ok(()),
        }
    }

    fn map<V: Visitor<'de>>(self, map: &'de Map<String, Value>, visitor: V) -> Result<V::Value, Error> {
        let mut access = Members { iter: map.iter(), value: None, path: self.path, found: self.found };
        let out = visitor.visit_map(&mut access)?;
        match access.iter.len() {
            0 => Ok(out),
            _ => Err(de::Error::invalid_length(map.len(), &"fewer elements in map")),
        }
    }

    fn seq<V: Visitor<'de>>(self, items: &'de [Value], visitor: V) -> Result<V::Value, Error> {
        let mut access = Items { iter: items.iter().enumerate(), path: self.path, found: self.found };
        let out = visitor.visit_seq(&mut access)?;
        match access.iter.len() {
            0 => Ok(out),
            _ => Err(de::Error::invalid_length(items.len(), &"fewer elements in array")),
        }
    }
}

/// The integer methods: the range of the type, then serde_json's method.
macro_rules! integers {
    ($($method:ident: $ty:ty,)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            let (min, max) = (i128::try_from(<$ty>::MIN), i128::try_from(<$ty>::MAX));
            self.fits(min.unwrap_or(i128::MIN), max.unwrap_or(i128::MAX))?;
            self.value.$method(visitor)
        }
    )*};
}

/// Methods that go to serde_json's as they are (no member to track).
macro_rules! as_the_value_does {
    ($($method:ident,)*) => {$(
        fn $method<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
            self.value.$method(visitor)
        }
    )*};
}

impl<'de> Deserializer<'de> for Tracked<'_, 'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(m) => self.map(m, visitor),
            Value::Array(a) => self.seq(a, visitor),
            other => other.deserialize_any(visitor),
        }
    }

    integers! {
        deserialize_i8: i8, deserialize_i16: i16, deserialize_i32: i32, deserialize_i64: i64, deserialize_i128: i128,
        deserialize_u8: u8, deserialize_u16: u16, deserialize_u32: u32, deserialize_u64: u64, deserialize_u128: u128,
    }

    as_the_value_does! {
        deserialize_bool, deserialize_f32, deserialize_f64, deserialize_char, deserialize_str, deserialize_string,
        deserialize_bytes, deserialize_byte_buf, deserialize_unit, deserialize_identifier, deserialize_ignored_any,
    }

    fn deserialize_option<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Null => visitor.visit_none(),
            _ => visitor.visit_some(self),
        }
    }

    fn deserialize_unit_struct<V: Visitor<'de>>(self, name: &'static str, visitor: V) -> Result<V::Value, Error> {
        self.value.deserialize_unit_struct(name, visitor)
    }

    fn deserialize_newtype_struct<V: Visitor<'de>>(self, _: &'static str, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_newtype_struct(self)
    }

    fn deserialize_seq<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Array(a) => self.seq(a, visitor),
            other => other.deserialize_seq(visitor),
        }
    }

    fn deserialize_tuple<V: Visitor<'de>>(self, _: usize, visitor: V) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_tuple_struct<V: Visitor<'de>>(
        self,
        _: &'static str,
        _: usize,
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.deserialize_seq(visitor)
    }

    fn deserialize_map<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(m) => self.map(m, visitor),
            other => other.deserialize_map(visitor),
        }
    }

    fn deserialize_struct<V: Visitor<'de>>(
        self,
        name: &'static str,
        fields: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        match self.value {
            Value::Object(m) => self.map(m, visitor),
            Value::Array(a) => self.seq(a, visitor),
            other => other.deserialize_struct(name, fields, visitor),
        }
    }

    fn deserialize_enum<V: Visitor<'de>>(
        self,
        name: &'static str,
        variants: &'static [&'static str],
        visitor: V,
    ) -> Result<V::Value, Error> {
        self.value.deserialize_enum(name, variants, visitor)
    }
}

/// An object's members, each value [`Tracked`] at its field.
struct Members<'a, 'de> {
    iter: serde_json::map::Iter<'de>,
    value: Option<(&'de str, &'de Value)>,
    path: &'a Path<'a>,
    found: &'a RefCell<Option<Rejection>>,
}

impl<'de> MapAccess<'de> for Members<'_, 'de> {
    type Error = Error;

    fn next_key_seed<K: DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, Error> {
        let Some((key, value)) = self.iter.next() else { return Ok(None) };
        self.value = Some((key, value));
        seed.deserialize(Key(key)).map(Some)
    }

    fn next_value_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<T::Value, Error> {
        let (key, value) = self.value.take().ok_or_else(|| de::Error::custom("value is missing"))?;
        seed.deserialize(Tracked { value, path: &Path::Field(self.path, key), found: self.found })
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// An array's items, each [`Tracked`] at its index.
struct Items<'a, 'de> {
    iter: core::iter::Enumerate<core::slice::Iter<'de, Value>>,
    path: &'a Path<'a>,
    found: &'a RefCell<Option<Rejection>>,
}

impl<'de> SeqAccess<'de> for Items<'_, 'de> {
    type Error = Error;

    fn next_element_seed<T: DeserializeSeed<'de>>(&mut self, seed: T) -> Result<Option<T::Value>, Error> {
        let Some((i, value)) = self.iter.next() else { return Ok(None) };
        seed.deserialize(Tracked { value, path: &Path::Index(self.path, i), found: self.found }).map(Some)
    }

    fn size_hint(&self) -> Option<usize> {
        Some(self.iter.len())
    }
}

/// An object's key, as a borrowed string (serde_json's own key
/// deserializer, which also reads keys as numbers, is private: a payload
/// with integer map keys that fails is reported with serde's message).
struct Key<'de>(&'de str);

impl<'de> Deserializer<'de> for Key<'de> {
    type Error = Error;

    fn deserialize_any<V: Visitor<'de>>(self, visitor: V) -> Result<V::Value, Error> {
        visitor.visit_borrowed_str(self.0)
    }

    forward_to_deserialize_any! {
        bool i8 i16 i32 i64 i128 u8 u16 u32 u64 u128 f32 f64 char str string
        bytes byte_buf option unit unit_struct newtype_struct seq tuple
        tuple_struct map struct enum identifier ignored_any
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

    crate::catalogue! {
        enum Toy / ToyType {
            Snoozed(Snoozed) = "toy.snoozed", Client;
        }
    }

    fn decode(json: &str) -> Result<Event<Toy>, Rejection> {
        let ty = EventType::Domain(ToyType::parse("toy.snoozed").unwrap());
        payload::<Toy>(ty, &serde_json::from_str(json).unwrap())
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
