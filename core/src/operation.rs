//! Operations: the lifecycle of one model call, owned by the kernel.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::{self, DeserializeSeed, Visitor};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::ids::{EventId, OperationId, RequestId, Seq, Timestamp};

/// A call of a [`Tool`](crate::llm::Tool) the model made in its reply. Stored in
/// `llm.completed`, so replay never asks the model again; the domain turns
/// it into events ([`crate::domain::Domain::complete`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
pub struct ToolCall {
    /// The provider's id of the call (may be empty).
    pub id: String,
    /// The tool's name.
    pub name: String,
    /// Its arguments: the text of a JSON object, as the model wrote it.
    pub arguments: String,
}

/// What an operation produces, as the domain names it (`"reply"`, `"triage"`).
/// Recorded in `llm.started` and shown to clients.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(transparent)]
pub struct OperationKind(pub String);

impl OperationKind {
    /// A kind by name.
    pub fn new(name: &str) -> Self {
        OperationKind(String::from(name))
    }
    /// The name.
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for OperationKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What an operation works on: the domain's description of one model call,
/// stored in the state so that a retry can rebuild its prompt.
pub trait OperationInput:
    Clone + fmt::Debug + PartialEq + Eq + Serialize + for<'de> Deserialize<'de> + 'static
{
    /// The kind recorded in `llm.started` and shown to clients.
    fn kind(&self) -> &'static str;
}

/// Why an LLM attempt failed. Stable, snake_case on the wire; also the kind
/// of a model port error ([`crate::ports::LlmErrorKind`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum FailureCode {
    /// The provider failed (5xx, network, a broken stream). Retryable.
    Provider,
    /// The provider throttled us. Retryable.
    RateLimited,
    /// No token arrived within the idle timeout. Retryable.
    Stalled,
    /// The output could not be parsed into the expected structure. Retryable
    /// (models are stochastic).
    MalformedOutput,
    /// The process stopped mid-generation (found on restore). Retried at once.
    Interrupted,
    /// The provider refused the request (4xx, bad model). Not retryable.
    Rejected,
    /// The reply passed its size cap ([`crate::machine::Config::max_reply_bytes`]);
    /// the partial text is kept. Not retryable.
    OutputTooLarge,
    /// The operation was opened (by a job or a tool call) while the user
    /// already had [`crate::state::Bounds::max_operations`] in flight: it never
    /// ran. Not retryable.
    TooManyOperations,
}

/// A run of generated tokens, on the wire a JSON array of strings.
///
/// Stored as one text buffer plus token boundaries, so decoding a checkpoint
/// allocates twice instead of once per token (replay speed).
#[derive(Clone, Default, PartialEq, Eq)]
pub struct Tokens {
    text: String,
    ends: Vec<u32>,
}

impl Tokens {
    /// No tokens.
    pub const fn new() -> Self {
        Tokens { text: String::new(), ends: Vec::new() }
    }
    /// No tokens, with room for `bytes` of text in `tokens` tokens.
    pub(crate) fn with_capacity(bytes: usize, tokens: usize) -> Self {
        Tokens { text: String::with_capacity(bytes), ends: Vec::with_capacity(tokens) }
    }
    /// Appends a token.
    pub fn push(&mut self, token: &str) {
        self.text.push_str(token);
        self.ends.push(self.text.len() as u32);
    }
    /// Number of tokens.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    /// True when there are none.
    pub fn is_empty(&self) -> bool {
        self.ends.is_empty()
    }
    /// The tokens concatenated.
    pub fn as_text(&self) -> &str {
        &self.text
    }
    /// Each token.
    pub fn iter(&self) -> impl Iterator<Item = &str> + '_ {
        let mut start = 0usize;
        self.ends.iter().map(move |&end| {
            let s = &self.text[start..end as usize];
            start = end as usize;
            s
        })
    }
}

impl<S: AsRef<str>> FromIterator<S> for Tokens {
    fn from_iter<I: IntoIterator<Item = S>>(iter: I) -> Self {
        let mut t = Tokens::new();
        iter.into_iter().for_each(|s| t.push(s.as_ref()));
        t
    }
}

impl fmt::Debug for Tokens {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list().entries(self.iter()).finish()
    }
}

impl Serialize for Tokens {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_seq(self.iter())
    }
}

impl<'de> Deserialize<'de> for Tokens {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Append<'a>(&'a mut Tokens);
        impl<'de> DeserializeSeed<'de> for Append<'_> {
            type Value = ();
            fn deserialize<D: Deserializer<'de>>(self, d: D) -> Result<(), D::Error> {
                d.deserialize_str(self)
            }
        }
        impl Visitor<'_> for Append<'_> {
            type Value = ();
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a token string")
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<(), E> {
                self.0.push(v);
                Ok(())
            }
        }
        struct V;
        impl<'de> Visitor<'de> for V {
            type Value = Tokens;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("an array of token strings")
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Tokens, A::Error> {
                // Checkpoints hold up to a few dozen short tokens: size for that once.
                let mut t = Tokens::with_capacity(256, 32);
                while seq.next_element_seed(Append(&mut t))?.is_some() {}
                Ok(t)
            }
        }
        d.deserialize_seq(V)
    }
}

crate::payload!(/// `llm.started`: attempt `attempt` of an operation began.
LlmStarted {
    /// What the operation produces.
    kind: OperationKind,
    /// 1 for the first attempt.
    attempt: u32,
});
crate::payload!(/// `llm.token`: one generated token. Pushed at once, never stored as a row.
LlmToken {
    /// Attempt the token belongs to.
    attempt: u32,
    /// Index of the token within the attempt, from 0.
    index: u32,
    /// Token text.
    text: String,
});
crate::payload!(/// `llm.checkpoint`: tokens `from_index..from_index + tokens.len()`, stored together.
LlmCheckpoint {
    /// Attempt the tokens belong to.
    attempt: u32,
    /// Index of the first token.
    from_index: u32,
    /// The tokens.
    tokens: Tokens,
});
crate::payload!(/// `llm.completed`: the attempt finished; carries the tokens since the last checkpoint.
LlmCompleted {
    /// The attempt.
    attempt: u32,
    /// Index of the first token in `tokens`.
    from_index: u32,
    /// The last tokens.
    tokens: Tokens,
    /// The tools the model called in its reply, in order.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    tool_calls: Vec<ToolCall>,
});
crate::payload!(/// `llm.failed`: the attempt failed.
LlmFailed {
    /// The attempt.
    attempt: u32,
    /// Why.
    code: FailureCode,
    /// Human-readable detail (bounded).
    message: String,
    /// True when no retry follows: the operation is over.
    terminal: bool,
});
crate::payload!(/// `llm.retry_scheduled`: attempt `attempt` will start at `at`.
LlmRetryScheduled {
    /// The attempt that will run.
    attempt: u32,
    /// When.
    at: Timestamp,
});
crate::payload!(/// `llm.cancel`: the user cancels a generation.
LlmCancel { /// The operation to stop.
operation_id: OperationId });

crate::catalogue! {
    /// The kernel's operation events (`llm.*`), part of every domain's log.
    pub enum LlmEvent / LlmEventType {
        /// `llm.started`.
        Started(LlmStarted) = "llm.started", System;
        /// `llm.token` (pushed, never stored).
        Token(LlmToken) = "llm.token", System;
        /// `llm.checkpoint`.
        Checkpoint(LlmCheckpoint) = "llm.checkpoint", System;
        /// `llm.completed`.
        Completed(LlmCompleted) = "llm.completed", System;
        /// `llm.failed`.
        Failed(LlmFailed) = "llm.failed", System;
        /// `llm.retry_scheduled`.
        RetryScheduled(LlmRetryScheduled) = "llm.retry_scheduled", System;
        /// `llm.cancel` (clients may send it).
        Cancel(LlmCancel) = "llm.cancel", Client;
    }
}

/// Lifecycle of an operation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum OperationStatus {
    /// Requested, no attempt started yet.
    Pending,
    /// An attempt is generating.
    Streaming,
    /// The last attempt failed; another one is scheduled.
    RetryScheduled,
    /// Finished with a result.
    Completed,
    /// Finished without a result.
    Failed,
    /// Stopped by the user.
    Cancelled,
}

impl FailureCode {
    /// The stable snake_case name (as on the wire).
    pub const fn as_str(self) -> &'static str {
        match self {
            FailureCode::Provider => "provider",
            FailureCode::RateLimited => "rate_limited",
            FailureCode::Stalled => "stalled",
            FailureCode::MalformedOutput => "malformed_output",
            FailureCode::Interrupted => "interrupted",
            FailureCode::Rejected => "rejected",
            FailureCode::OutputTooLarge => "output_too_large",
            FailureCode::TooManyOperations => "too_many_operations",
        }
    }
}

impl OperationStatus {
    /// The stable snake_case name (as on the wire).
    pub const fn as_str(self) -> &'static str {
        match self {
            OperationStatus::Pending => "pending",
            OperationStatus::Streaming => "streaming",
            OperationStatus::RetryScheduled => "retry_scheduled",
            OperationStatus::Completed => "completed",
            OperationStatus::Failed => "failed",
            OperationStatus::Cancelled => "cancelled",
        }
    }

    /// True once nothing more will happen to the operation.
    pub fn is_finished(self) -> bool {
        matches!(self, OperationStatus::Completed | OperationStatus::Failed | OperationStatus::Cancelled)
    }
    /// True while an attempt is due or running (the host keeps a watchdog).
    pub fn is_active(self) -> bool {
        matches!(self, OperationStatus::Pending | OperationStatus::Streaming)
    }
}

/// One model operation, as the state records it.
///
/// A domain event may open an operation ([`crate::Domain::apply`]); the
/// kernel then records its attempts as `llm.*` events:
///
/// ```text
/// llm.started ─► (tokens pushed live; llm.checkpoint every N tokens / T ms)
///             ─► llm.completed + the domain's result event
///             ─► llm.failed (terminal) | llm.failed + llm.retry_scheduled ─► llm.started …
/// llm.cancel (a client) stops it at any point.
/// ```
///
/// Tokens are pushed one by one but stored in checkpoints, so a restart
/// loses at most one checkpoint interval and replay restores the partial text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation<I> {
    /// Id.
    pub operation_id: OperationId,
    /// What it works on (the domain's).
    pub input: I,
    /// The event that requested it.
    pub request_event: EventId,
    /// The request that asked for it (carried by every event of the operation).
    pub request_id: RequestId,
    /// Seq of that event.
    pub request_seq: Seq,
    /// Lifecycle.
    pub status: OperationStatus,
    /// Current (or last) attempt; 0 before the first.
    pub attempt: u32,
    /// Durable partial text of the current attempt (up to its last checkpoint).
    pub text: String,
    /// Tokens in `text`.
    pub tokens: u32,
    /// When the next attempt starts, if one is scheduled.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub retry_at: Option<Timestamp>,
    /// Why the last attempt failed.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub last_failure: Option<FailureCode>,
}

impl<I> Operation<I> {
    /// Whether its next attempt may start at `now`.
    pub fn ready(&self, now: Timestamp) -> bool {
        match self.status {
            OperationStatus::Pending => true,
            OperationStatus::RetryScheduled => self.retry_at.is_none_or(|at| at <= now),
            _ => false,
        }
    }

    pub(crate) fn absorb(&mut self, attempt: u32, from_index: u32, tokens: &Tokens) {
        if attempt != self.attempt || from_index != self.tokens || self.status != OperationStatus::Streaming {
            return;
        }
        if self.text.capacity() == 0 {
            // A reply arrives in several checkpoints: size for a typical one at once.
            self.text.reserve(1024);
        }
        self.text.push_str(tokens.as_text());
        self.tokens += tokens.len() as u32;
    }
}

impl crate::field::FieldType for OperationKind {
    const KIND: crate::field::FieldKind = crate::field::FieldKind::Str;
}

impl crate::field::FieldType for FailureCode {
    const KIND: crate::field::FieldKind = crate::field::FieldKind::Str;
}

impl crate::field::FieldType for Tokens {
    const KIND: crate::field::FieldKind = crate::field::FieldKind::Array;
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_the_wire_names() {
        use FailureCode::*;
        for code in
            [Provider, RateLimited, Stalled, MalformedOutput, Interrupted, Rejected, OutputTooLarge, TooManyOperations]
        {
            assert_eq!(serde_json::to_value(code).unwrap(), code.as_str());
        }
        use OperationStatus::*;
        for status in [Pending, Streaming, RetryScheduled, Completed, Failed, Cancelled] {
            assert_eq!(serde_json::to_value(status).unwrap(), status.as_str());
        }
    }
}
