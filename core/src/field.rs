//! The shapes of payload fields, as the edge checks them before decoding
//! (so that an error names the field). [`payload!`](crate::payload) derives
//! each payload's table from its declaration ([`Payload::FIELDS`]), from
//! the [`FieldType`] of each field's Rust type; the catalogue hands the
//! tables of client-sendable types to the edge
//! ([`crate::Catalogue::fields`]).

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;

use crate::ids::{Seq, Timestamp};
use crate::time::{LocalDate, LocalTime};

/// The JSON shape of a payload field.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum FieldKind {
    /// A string.
    Str,
    /// A UUID string.
    Uuid,
    /// A date, `YYYY-MM-DD`.
    Date,
    /// A time, `HH:MM`, or `null`.
    NullableTime,
    /// An integer.
    Int,
    /// A number (integer or not).
    Float,
    /// `true` or `false`.
    Bool,
    /// One of these strings (a unit enum as serde writes it).
    Enum(&'static [&'static str]),
    /// A JSON array (its items are checked when the payload is decoded).
    Array,
    /// A JSON object (its members are checked when the payload is decoded).
    Object,
    /// Any JSON value.
    Any,
}

/// One field of a client payload, checked before the payload is decoded so
/// that an error names it. [`payload!`](crate::payload) derives them; by
/// hand, build lists of them in a `const`:
///
/// ```
/// use microcos_core::validate::{FieldKind, FieldSpec};
/// const OPENED: &[FieldSpec] = &[FieldSpec::required("subject", FieldKind::Str)];
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct FieldSpec {
    /// The field's name.
    pub name: &'static str,
    /// Its JSON shape.
    pub kind: FieldKind,
    /// Whether it must be present.
    pub required: bool,
}

impl FieldSpec {
    /// A required field.
    pub const fn required(name: &'static str, kind: FieldKind) -> Self {
        FieldSpec { name, kind, required: true }
    }
    /// An optional field (absent or `null`).
    pub const fn optional(name: &'static str, kind: FieldKind) -> Self {
        FieldSpec { name, kind, required: false }
    }
    /// The field `name` of Rust type `T`: its kind, and required unless `T`
    /// is an `Option`.
    pub const fn of<T: FieldType + ?Sized>(name: &'static str) -> Self {
        FieldSpec { name, kind: T::KIND, required: T::REQUIRED }
    }
}

/// The JSON shape of a Rust type used as a payload field. The kernel's
/// types, strings, numbers, `bool`, `Option`, `Vec`, maps and every
/// [`uuid_id!`](crate::uuid_id) have it, and so does every
/// [`payload!`](crate::payload) (as an object). A field of a type of your
/// own says its shape:
///
/// ```
/// use microcos_core::validate::{FieldKind, FieldType};
/// #[derive(serde::Serialize, serde::Deserialize)]
/// #[serde(rename_all = "snake_case")]
/// pub enum Priority { Low, High }
/// impl FieldType for Priority {
///     const KIND: FieldKind = FieldKind::Enum(&["low", "high"]);
/// }
/// ```
pub trait FieldType {
    /// Its JSON shape.
    const KIND: FieldKind;
    /// Whether a payload must hold it (only an `Option` need not).
    const REQUIRED: bool = true;
}

/// A payload whose field table is known: [`payload!`](crate::payload)
/// implements it from the declaration, so the table is never written by
/// hand. Each client-sendable payload of a catalogue has it.
pub trait Payload {
    /// Its fields, in declaration order.
    const FIELDS: &'static [FieldSpec];
}

macro_rules! kind {
    ($kind:ident: $($ty:ty),*) => {
        $(impl FieldType for $ty {
            const KIND: FieldKind = FieldKind::$kind;
        })*
    };
}

kind!(Str: String, str);
kind!(Int: u8, u16, u32, u64, usize, i8, i16, i32, i64, isize, Seq, Timestamp);
kind!(Float: f32, f64);
kind!(Bool: bool);
kind!(Date: LocalDate);
kind!(NullableTime: LocalTime);

impl<T: FieldType> FieldType for Option<T> {
    const KIND: FieldKind = T::KIND;
    const REQUIRED: bool = false;
}

impl<T> FieldType for Vec<T> {
    const KIND: FieldKind = FieldKind::Array;
}

impl FieldType for serde_json::Value {
    const KIND: FieldKind = FieldKind::Any;
}

impl<K, V> FieldType for BTreeMap<K, V> {
    const KIND: FieldKind = FieldKind::Object;
}
