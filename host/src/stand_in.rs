//! The offline stand-in model: deterministic, a reply function of the
//! request alone, streamed in tokens. It is the default model of a service
//! with no model configured (`microcos serve` without a provider), and what
//! simulations fall back to; a domain supplies the reply function that
//! suits its operations (valid JSON where it asks for structured output).

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use microcos_core::{Llm, LlmError, TokenStream};
use microcos_core::{LlmRequest, PromptRole};

/// What the default stand-in puts in every reply, so nobody mistakes it for a real model.
pub const STAND_IN_NAME: &str = "[offline stand-in model]";

/// A deterministic offline model: a reply function of the request alone,
/// streamed in tokens. Same request, same tokens. A domain supplies the
/// reply function that suits its operations (valid JSON where it asks for
/// structured output); [`StandIn::default`] echoes the last user message.
#[derive(Clone, Copy)]
pub struct StandIn {
    reply: fn(&LlmRequest) -> String,
    calls: fn(&LlmRequest) -> Vec<microcos_core::ToolCall>,
}

fn no_calls(_: &LlmRequest) -> Vec<microcos_core::ToolCall> {
    Vec::new()
}

impl core::fmt::Debug for StandIn {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        f.write_str("StandIn")
    }
}

impl Default for StandIn {
    fn default() -> Self {
        StandIn { reply: echo, calls: no_calls }
    }
}

fn echo(req: &LlmRequest) -> String {
    let last = req.messages.iter().rev().find(|m| m.role == PromptRole::User).map_or("", |m| m.content.as_str());
    if req.json {
        return serde_json::json!({ "echo": last, "model": STAND_IN_NAME }).to_string();
    }
    format!("{STAND_IN_NAME} You said: \"{last}\".")
}

impl StandIn {
    /// A stand-in answering with `reply`.
    pub const fn new(reply: fn(&LlmRequest) -> String) -> Self {
        StandIn { reply, calls: no_calls }
    }

    /// A stand-in answering with `reply` that also calls the tools `calls`
    /// names (deterministic function calling, offline).
    pub const fn with_tools(
        reply: fn(&LlmRequest) -> String,
        calls: fn(&LlmRequest) -> Vec<microcos_core::ToolCall>,
    ) -> Self {
        StandIn { reply, calls }
    }

    /// The tool calls of the reply to `req` (none unless `req` offers tools).
    pub fn tool_calls(&self, req: &LlmRequest) -> Vec<microcos_core::ToolCall> {
        if req.tools.is_empty() {
            return Vec::new();
        }
        (self.calls)(req)
    }

    /// The full reply text for a request.
    pub fn reply(&self, req: &LlmRequest) -> String {
        (self.reply)(req)
    }

    /// The reply split into tokens: words with their following space; JSON in 8-byte pieces.
    pub fn tokens(&self, req: &LlmRequest) -> Vec<String> {
        let text = self.reply(req);
        if req.json {
            let chars: Vec<char> = text.chars().collect();
            return chars.chunks(8).map(|c| c.iter().collect()).collect();
        }
        let mut out = Vec::new();
        let mut cur = String::new();
        for c in text.chars() {
            cur.push(c);
            if c == ' ' {
                out.push(core::mem::take(&mut cur));
            }
        }
        if !cur.is_empty() {
            out.push(cur);
        }
        out
    }
}

/// The token stream of a [`StandIn`] reply.
#[derive(Debug)]
pub struct StandInStream(alloc::vec::IntoIter<String>, Vec<microcos_core::ToolCall>);

impl TokenStream for StandInStream {
    async fn next_token(&mut self) -> Option<Result<String, LlmError>> {
        self.0.next().map(Ok)
    }

    fn tool_calls(&mut self) -> Vec<microcos_core::ToolCall> {
        core::mem::take(&mut self.1)
    }
}

impl Llm for StandIn {
    type Stream = StandInStream;

    async fn generate(&self, request: &LlmRequest) -> Result<StandInStream, LlmError> {
        Ok(StandInStream(self.tokens(request).into_iter(), self.tool_calls(request)))
    }
}
