//! Rejections: the stable, machine-readable answer to bad input or a refused
//! command. Technical failures (a store that is down) are separate: see
//! [`crate::engine::EngineError`].

use alloc::string::{String, ToString};
use core::fmt;

use serde::ser::SerializeMap;
use serde::{Serialize, Serializer};

macro_rules! codes {
    ($($variant:ident = $name:literal, $status:literal, $doc:literal;)*) => {
        /// A stable error code. The string form never changes once released.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
        #[non_exhaustive]
        pub enum ErrorCode {
            $(#[doc = $doc] $variant,)*
            /// A code of the domain's own ([`DomainCode`]).
            Domain(DomainCode),
        }

        impl ErrorCode {
            /// Every code of the kernel (a domain lists its own).
            pub const ALL: &'static [ErrorCode] = &[$(ErrorCode::$variant,)*];
            /// The stable snake_case name.
            pub const fn as_str(self) -> &'static str {
                match self { $(ErrorCode::$variant => $name,)* ErrorCode::Domain(d) => d.name }
            }
            /// The HTTP status a transport answers with: 4xx for anything the
            /// client can fix, 503 for [`ErrorCode::Unavailable`] (retry), 500
            /// for [`ErrorCode::StorageCorrupt`] (an operator must act).
            pub const fn http_status(self) -> u16 {
                match self { $(ErrorCode::$variant => $status,)* ErrorCode::Domain(d) => d.status }
            }
        }
    };
}

codes! {
    MalformedJson = "malformed_json", 400, "The body is not JSON.";
    TooDeep = "too_deep", 400, "The JSON nests deeper than allowed.";
    BadRequest = "bad_request", 400, "A query parameter or header is invalid.";
    Unauthorized = "unauthorized", 401, "Missing, malformed, forged or expired credentials.";
    NotFound = "not_found", 404, "No such route.";
    MethodNotAllowed = "method_not_allowed", 405, "The route exists but not for this method.";
    OperationNotFound = "operation_not_found", 404, "The operation does not exist.";
    OperationFinished = "operation_finished", 409, "The operation already finished.";
    ClientActionConflict = "client_action_conflict", 409, "The client_action_id was used for a different action.";
    EventIdConflict = "event_id_conflict", 409, "The event_id was used for a different event.";
    BodyTooLarge = "body_too_large", 413, "The body exceeds the size limit.";
    UnsupportedMediaType = "unsupported_media_type", 415, "The body is not application/json.";
    UnknownField = "unknown_field", 422, "A field is not part of the schema.";
    MissingField = "missing_field", 422, "A required field is absent.";
    InvalidType = "invalid_type", 422, "A field has the wrong JSON type.";
    InvalidValue = "invalid_value", 422, "A field's value is malformed (a date, a time, an id).";
    TooLong = "too_long", 422, "A string or list is longer than allowed.";
    Empty = "empty", 422, "A string or list must not be empty.";
    OutOfRange = "out_of_range", 422, "A number is outside its range.";
    UnknownEventType = "unknown_event_type", 422, "The event type does not exist.";
    EventTypeNotAllowed = "event_type_not_allowed", 422, "Clients may not send this event type.";
    UpgradeRequired = "upgrade_required", 426, "The stream route needs a WebSocket upgrade.";
    RequestTimeout = "request_timeout", 408, "The request's body did not arrive in time; send it again.";
    RateLimited = "rate_limited", 429, "Too many requests from this user; retry after the time in Retry-After.";
    TooManyOperations = "too_many_operations", 429, "The user has as many model operations pending or streaming as allowed; retry once one finished.";
    Unavailable = "unavailable", 503, "A technical failure (storage); nothing was lost, retry later.";
    StorageCorrupt = "storage_corrupt", 500, "The user's stored data is unreadable; retrying will not help (an operator must restore it).";
}

/// An error code a domain defines for its own rules (`task_not_found`).
/// Its status is always a 4xx: a domain rejection is something the client
/// can fix.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DomainCode {
    name: &'static str,
    status: u16,
}

impl DomainCode {
    /// A code with a stable snake_case `name` and a 4xx `status`. Used in a
    /// `const`, a status outside 400..=499 fails the build.
    pub const fn code(name: &'static str, status: u16) -> ErrorCode {
        assert!(status >= 400 && status <= 499, "a domain error code must have a 4xx status");
        ErrorCode::Domain(DomainCode { name, status })
    }
}

impl fmt::Display for ErrorCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Bad input or a refused command: a stable code, the failing field (a dotted
/// path such as `payload.title`) and a message for humans.
///
/// Serialises as `{"error":{"code":…,"message":…,"field":…}}`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{code}: {message}")]
pub struct Rejection {
    /// Stable machine-readable code.
    pub code: ErrorCode,
    /// The failing field, when one is to blame.
    pub field: Option<String>,
    /// Human-readable explanation.
    pub message: String,
    /// When the client may retry, in milliseconds (`Retry-After` on HTTP).
    pub retry_after_ms: Option<u64>,
}

impl Rejection {
    /// A rejection not tied to a field.
    pub fn new(code: ErrorCode, message: impl Into<String>) -> Self {
        Rejection { code, field: None, message: message.into(), retry_after_ms: None }
    }
    /// A rejection blaming `field`.
    pub fn field(code: ErrorCode, field: impl Into<String>, message: impl Into<String>) -> Self {
        Rejection { code, field: Some(field.into()), message: message.into(), retry_after_ms: None }
    }
    /// The HTTP status for this rejection.
    pub fn http_status(&self) -> u16 {
        self.code.http_status()
    }
    /// The JSON body `{"error":{…}}`.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_else(|_| self.code.as_str().to_string())
    }
}

impl Serialize for Rejection {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        struct Inner<'a>(&'a Rejection);
        impl Serialize for Inner<'_> {
            fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
                let r = self.0;
                let mut m = s.serialize_map(None)?;
                m.serialize_entry("code", r.code.as_str())?;
                m.serialize_entry("message", &r.message)?;
                if let Some(f) = &r.field {
                    m.serialize_entry("field", f)?;
                }
                if let Some(ms) = r.retry_after_ms {
                    m.serialize_entry("retry_after_ms", &ms)?;
                }
                m.end()
            }
        }
        let mut m = s.serialize_map(Some(1))?;
        m.serialize_entry("error", &Inner(self))?;
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_code_but_unavailable_is_a_4xx_and_names_are_unique() {
        let mut names: alloc::vec::Vec<_> = ErrorCode::ALL.iter().map(|c| c.as_str()).collect();
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), ErrorCode::ALL.len());
        let technical = ErrorCode::ALL.iter().filter(|c| !(400..500).contains(&c.http_status()));
        assert!(technical.eq([ErrorCode::Unavailable, ErrorCode::StorageCorrupt].iter()));
    }

    #[test]
    fn rejection_json_shape() {
        let r = Rejection::field(ErrorCode::TooLong, "payload.title", "at most 200 characters");
        assert_eq!(
            r.to_json(),
            r#"{"error":{"code":"too_long","message":"at most 200 characters","field":"payload.title"}}"#
        );
    }
}
