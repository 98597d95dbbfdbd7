//! What the kernel asks of a language model: one [`LlmRequest`] per attempt.
//!
//! The domain builds the [`Prompt`] from its state ([`crate::Domain::prompt`]);
//! the kernel adds the operation, the attempt and the kind.

use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::ids::OperationId;
use crate::operation::OperationKind;

/// Role of a prompt message, as model APIs name them.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PromptRole {
    /// Instructions.
    System,
    /// The user.
    User,
    /// The assistant.
    Assistant,
}

/// One prompt message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PromptMessage {
    /// Role.
    pub role: PromptRole,
    /// Content.
    pub content: String,
}

/// What the domain asks the model for one attempt.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Prompt {
    /// The messages.
    pub messages: Vec<PromptMessage>,
    /// For structured output: the JSON Schema the answer must follow
    /// (providers with a JSON mode are asked for it).
    pub schema: Option<serde_json::Value>,
    /// Upper bound on generated tokens.
    pub max_tokens: u32,
}

/// A request to the model for one attempt of one operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LlmRequest {
    /// The operation.
    pub operation_id: OperationId,
    /// The attempt (from 1).
    pub attempt: u32,
    /// What is being produced.
    pub kind: OperationKind,
    /// The prompt.
    pub messages: Vec<PromptMessage>,
    /// Ask for a JSON object (structured output).
    pub json: bool,
    /// The JSON Schema of the answer, for structured output.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub schema: Option<serde_json::Value>,
    /// Upper bound on generated tokens.
    pub max_tokens: u32,
}
