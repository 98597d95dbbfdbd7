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

/// A tool the model may call (function calling): a name, what it does, and
/// the JSON Schema of its arguments. A domain offers tools per attempt,
/// in its prompt ([`Prompt::tools`]).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tool {
    /// The name the model calls it by.
    pub name: String,
    /// What it does, for the model.
    pub description: String,
    /// The JSON Schema of its arguments (an object).
    pub parameters: serde_json::Value,
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
    /// The tools the model may call (function calling); none: a plain
    /// reply. A reply that calls tools where none were offered is refused
    /// as `malformed_output` before [`crate::Domain::complete`] sees it.
    pub tools: Vec<Tool>,
}

impl Prompt {
    /// A prompt for a plain reply: no schema, no tools.
    pub fn new(messages: Vec<PromptMessage>, max_tokens: u32) -> Prompt {
        Prompt { messages, schema: None, max_tokens, tools: Vec::new() }
    }

    /// Asks for structured output following `schema`.
    pub fn with_schema(mut self, schema: serde_json::Value) -> Prompt {
        self.schema = Some(schema);
        self
    }

    /// Offers the model `tools`.
    pub fn with_tools(mut self, tools: Vec<Tool>) -> Prompt {
        self.tools = tools;
        self
    }
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
    /// The tools the model may call (none: a plain reply).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub tools: Vec<Tool>,
}
