//! Structured answers declared once (feature `structured`): the type a
//! model's answer is parsed into also gives the JSON Schema the prompt asks
//! for, so the two cannot disagree.
//!
//! ```
//! use microcos_core::{Prompt, PromptMessage, PromptRole};
//! use microcos_core::structured::Structured;
//!
//! #[derive(Debug, serde::Deserialize, schemars::JsonSchema)]
//! struct Verdict {
//!     spam: bool,
//!     #[serde(default)]
//!     reason: Option<String>,
//! }
//!
//! let ask = PromptMessage { role: PromptRole::User, content: "Is this spam? ...".into() };
//! let prompt = Prompt::new(vec![ask], 64).with_schema(Structured::<Verdict>::schema());
//! assert_eq!(prompt.schema.as_ref().unwrap()["required"], serde_json::json!(["spam"]));
//!
//! // Models wrap JSON in prose or fences; the answer is the object inside.
//! let v: Verdict = Structured::parse("Sure:\n```json\n{\"spam\": true}\n```").unwrap();
//! assert!(v.spam && v.reason.is_none());
//! let refused = Structured::<Verdict>::parse("no idea").unwrap_err();
//! assert_eq!(refused.to_string(), "no JSON object in the output");
//! ```

use alloc::format;
use alloc::string::{String, ToString};
use core::marker::PhantomData;

use schemars::generate::SchemaSettings;
use schemars::JsonSchema;
use serde::de::DeserializeOwned;

/// The answer type `T` of a structured operation: its schema, for
/// [`crate::llm::Prompt::with_schema`], and the parse of a reply into it,
/// for [`crate::Domain::complete`] (whose `Err` becomes a retried
/// `malformed_output` failure).
pub struct Structured<T>(PhantomData<T>);

impl<T: DeserializeOwned + JsonSchema> Structured<T> {
    /// `T`'s JSON Schema, every subschema inline (no `$defs` or `$ref`, which
    /// some providers' grammars do not follow), with no `$schema` or
    /// `title` member.
    pub fn schema() -> serde_json::Value {
        let mut settings = SchemaSettings::draft2020_12();
        settings.inline_subschemas = true;
        settings.meta_schema = None;
        let mut value = settings.into_generator().into_root_schema_for::<T>().to_value();
        if let Some(map) = value.as_object_mut() {
            map.remove("title");
        }
        value
    }

    /// Parses a model's reply into `T`: the JSON object in it (from its
    /// first `{` to its last `}`, so prose or a code fence around it does
    /// not matter).
    pub fn parse(reply: &str) -> Result<T, AnswerError> {
        let start = reply.find('{').ok_or(AnswerError::NoObject)?;
        let end = reply.rfind('}').filter(|end| *end > start).ok_or(AnswerError::Unterminated)?;
        serde_json::from_str(&reply[start..=end]).map_err(|e| AnswerError::Invalid(e.to_string()))
    }
}

/// Why a reply is not a structured answer ([`Structured::parse`]); a
/// domain records it as the `malformed_output` failure's message.
#[derive(Clone, Debug, PartialEq, Eq)]
#[non_exhaustive]
pub enum AnswerError {
    /// The reply holds no `{`.
    NoObject,
    /// The reply holds no `}` after its first `{`.
    Unterminated,
    /// The object does not follow the answer's type (serde's message).
    Invalid(String),
}

impl AnswerError {
    /// The message, naming `what` for an object that does not follow its
    /// type (`"verdict JSON: missing field `spam`…"`).
    pub fn describe(&self, what: &str) -> String {
        match self {
            AnswerError::Invalid(message) => format!("{what} JSON: {message}"),
            other => other.to_string(),
        }
    }
}

impl core::fmt::Display for AnswerError {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        match self {
            AnswerError::NoObject => f.write_str("no JSON object in the output"),
            AnswerError::Unterminated => f.write_str("unterminated JSON object"),
            AnswerError::Invalid(message) => write!(f, "the answer does not follow its schema: {message}"),
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for AnswerError {}
