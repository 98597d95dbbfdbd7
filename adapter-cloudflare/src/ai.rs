//! [`WorkersAi`]: the `Llm` port on the Workers AI binding, streaming
//! `@cf/meta/llama-3.3-70b-instruct-fp8-fast` and decoding its SSE frames
//! with the core's shared decoder.

use futures_util::future::{select, Either};
use futures_util::StreamExt;
use microcos_core::{Llm, LlmError, LlmErrorKind, TokenStream};
use microcos_core::{LlmRequest, PromptMessage};
use microcos_host::sse::{request_tools, whole_tool_calls, Dialect, Next, TokenDecoder};
use serde::Serialize;
use worker::js_sys::{Function, Promise, Reflect, JSON};
use worker::wasm_bindgen::{JsCast, JsValue};
use worker::wasm_bindgen_futures::JsFuture;
use worker::{ByteStream, Delay};

/// The model microcos runs on Workers AI.
pub const MODEL: &str = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";

/// A Workers AI binding.
pub struct WorkersAi {
    binding: JsValue,
    idle_ms: u64,
}

impl WorkersAi {
    /// Wraps the `AI` binding object (read with `Reflect`, so that a local
    /// stand-in bound under the same name works too); a stream silent for
    /// `idle_ms` fails as stalled.
    pub fn new(binding: JsValue, idle_ms: u64) -> WorkersAi {
        WorkersAi { binding, idle_ms }
    }
}

#[derive(Serialize)]
struct Input<'a> {
    messages: &'a [PromptMessage],
    stream: bool,
    max_tokens: u32,
    #[serde(skip_serializing_if = "Option::is_none")]
    response_format: Option<serde_json::Value>,
    /// The tools the model may call, in Workers AI's form.
    #[serde(skip_serializing_if = "Option::is_none")]
    tools: Option<serde_json::Value>,
}

fn provider(e: impl std::fmt::Debug) -> LlmError {
    LlmError::new(LlmErrorKind::Provider, format!("{e:?}"))
}

enum Inner {
    Sse { bytes: ByteStream, decoder: TokenDecoder },
    Whole(Option<String>, Vec<microcos_core::ToolCall>),
}

/// Tokens handed out between two yields to the event loop.
const YIELD_EVERY: u32 = 8;

/// A streaming Workers AI reply.
pub struct AiStream {
    inner: Inner,
    idle_ms: u64,
    /// Tokens since the last yield to the event loop.
    since_yield: u32,
}

impl TokenStream for AiStream {
    fn tool_calls(&mut self) -> Vec<microcos_core::ToolCall> {
        match &mut self.inner {
            Inner::Whole(_, calls) => std::mem::take(calls),
            Inner::Sse { decoder, .. } => decoder.tool_calls(),
        }
    }

    async fn next_token(&mut self) -> Option<Result<String, LlmError>> {
        // Tokens that are already buffered resolve without ever leaving the
        // isolate's microtask queue, so a fast model would hold the object
        // (and the requests waiting for it) until the reply ends. A timer of
        // 0 ms every few tokens lets them in.
        self.since_yield += 1;
        if self.since_yield >= YIELD_EVERY {
            self.since_yield = 0;
            Delay::from(std::time::Duration::ZERO).await;
        }
        let idle_ms = self.idle_ms;
        match &mut self.inner {
            Inner::Whole(text, _) => text.take().filter(|t| !t.is_empty()).map(Ok),
            Inner::Sse { bytes, decoder } => loop {
                match decoder.poll_token() {
                    Next::Token(t) => return Some(Ok(t)),
                    Next::Done => return None,
                    Next::Failed(e) => return Some(Err(e)),
                    Next::NeedBytes => {}
                }
                let timeout = Delay::from(std::time::Duration::from_millis(idle_ms));
                match select(bytes.next(), timeout).await {
                    Either::Right(_) => {
                        decoder.end_of_body();
                        return Some(Err(LlmError::new(LlmErrorKind::Stalled, "no token within the idle timeout")));
                    }
                    Either::Left((Some(Ok(chunk)), _)) => decoder.feed(&chunk),
                    Either::Left((Some(Err(e)), _)) => {
                        decoder.end_of_body();
                        return Some(Err(provider(e)));
                    }
                    Either::Left((None, _)) => decoder.end_of_body(),
                }
            },
        }
    }
}

impl Llm for WorkersAi {
    type Stream = AiStream;

    async fn generate(&self, request: &LlmRequest) -> Result<AiStream, LlmError> {
        let response_format =
            request.schema.as_ref().map(|schema| serde_json::json!({"type": "json_schema", "json_schema": schema}));
        let tools = (!request.tools.is_empty()).then(|| request_tools(Dialect::WorkersAi, &request.tools));
        let input =
            Input { messages: &request.messages, stream: true, max_tokens: request.max_tokens, response_format, tools };
        // Through JSON.parse, not serde-wasm-bindgen: nested objects must be plain JS objects.
        let text = serde_json::to_string(&input).map_err(provider)?;
        let input = JSON::parse(&text).map_err(provider)?;
        let run: Function = Reflect::get(&self.binding, &JsValue::from_str("run"))
            .map_err(provider)?
            .dyn_into()
            .map_err(|_| LlmError::new(LlmErrorKind::Rejected, "the AI binding has no run()"))?;
        let promise: Promise = run
            .call2(&self.binding, &JsValue::from_str(MODEL), &input)
            .map_err(provider)?
            .dyn_into()
            .map_err(provider)?;
        let output = JsFuture::from(promise).await.map_err(|e| {
            let message = e.as_string().or_else(|| JSON::stringify(&e).ok().and_then(|s| s.as_string()));
            let message = message.unwrap_or_else(|| "Workers AI failed".into());
            let kind = if message.contains("429") || message.contains("3040") {
                LlmErrorKind::RateLimited
            } else {
                LlmErrorKind::Provider
            };
            LlmError::new(kind, message)
        })?;
        if let Ok(stream) = output.clone().dyn_into::<worker::web_sys::ReadableStream>() {
            let inner = Inner::Sse { bytes: ByteStream::from(stream), decoder: TokenDecoder::new(Dialect::WorkersAi) };
            return Ok(AiStream { inner, idle_ms: self.idle_ms, since_yield: 0 });
        }
        // JSON mode (or a reply that only calls tools) may answer in one
        // piece: {"response": …, "tool_calls": […]}.
        let whole: serde_json::Value = JSON::stringify(&output)
            .ok()
            .and_then(|s| s.as_string())
            .and_then(|s| serde_json::from_str(&s).ok())
            .unwrap_or_default();
        let calls = whole_tool_calls(&whole);
        let text = match whole.get("response") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(serde_json::Value::Null) | None => String::new(),
            Some(other) => other.to_string(),
        };
        Ok(AiStream { inner: Inner::Whole(Some(text), calls), idle_ms: self.idle_ms, since_yield: 0 })
    }
}
