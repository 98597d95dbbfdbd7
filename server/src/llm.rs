//! Model backends of the local service, all behind the core's `Llm` port:
//!
//! - the offline stand-in (default): deterministic, named as such in every
//!   reply, streaming with a configurable per-token delay;
//! - any OpenAI-compatible chat-completions server with streaming (Ollama,
//!   llama.cpp server, vLLM): `MICROCOS_OPENAI_BASE_URL`, `MICROCOS_OPENAI_MODEL`,
//!   optional `MICROCOS_OPENAI_API_KEY`;
//! - Workers AI over its REST API: `MICROCOS_CF_ACCOUNT_ID`, `MICROCOS_CF_API_TOKEN`
//!   (model `@cf/meta/llama-3.3-70b-instruct-fp8-fast`).
//!
//! Both HTTP backends decode SSE with the core's shared parser; a stream that
//! goes quiet for the idle timeout fails as `Stalled` (retryable).

use std::collections::BTreeSet;
use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use futures_util::{Stream, StreamExt};
use microcos_core::{Llm, LlmError, LlmErrorKind, TokenStream};
use microcos_core::{LlmRequest, PromptRole};
use microcos_host::sse::{request_tools, whole_tool_calls, Dialect, Next, TokenDecoder, MAX_WHOLE_ANSWER_BYTES};
use microcos_host::StandIn;

/// The Workers AI model microcos uses.
pub const WORKERS_AI_MODEL: &str = "@cf/meta/llama-3.3-70b-instruct-fp8-fast";

/// Which model answers.
#[derive(Clone, Debug)]
pub enum Backend {
    /// The offline stand-in.
    StandIn {
        /// The domain's stand-in replies.
        model: StandIn,
        /// Delay before each token.
        token_delay: Duration,
    },
    /// An OpenAI-compatible server.
    OpenAi {
        /// Base URL, e.g. `http://127.0.0.1:11434/v1`.
        base_url: String,
        /// Model name.
        model: String,
        /// Bearer key, if the server wants one.
        api_key: Option<String>,
        /// How the server takes an operation's JSON Schema.
        structured: StructuredOutput,
        /// Sampling temperature, if set (the server's default otherwise).
        temperature: Option<f32>,
        /// Sampling seed, if set (for reproducible answers, where the server honours it).
        seed: Option<u64>,
    },
    /// Workers AI over REST.
    WorkersAi {
        /// API base, normally `https://api.cloudflare.com/client/v4`.
        base_url: String,
        /// Account id.
        account_id: String,
        /// API token.
        api_token: String,
    },
}

/// How an OpenAI-compatible server takes the JSON Schema a structured
/// operation's answer must follow (`--openai-structured`). There is no single
/// form: a server ignores the forms it does not know and answers free text
/// (llama-cpp-python's answers `json_schema` with a 500).
///
/// Ollama's own field, a top-level `format`, belongs to its native
/// `/api/chat`; its OpenAI-compatible `/v1/chat/completions`, which this
/// backend speaks, maps `json_schema` to it, so Ollama takes [`JsonSchema`](StructuredOutput::JsonSchema).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, clap::ValueEnum)]
pub enum StructuredOutput {
    /// `response_format: {"type":"json_schema","json_schema":{"name","strict":true,"schema"}}`:
    /// OpenAI, vLLM, llama.cpp's C++ `llama-server`, Ollama's `/v1`. The schema
    /// is made strict (every property required, optional ones nullable, no others).
    #[default]
    JsonSchema,
    /// `response_format: {"type":"json_object","schema":…}`: llama-cpp-python's server.
    JsonObjectSchema,
    /// `response_format: {"type":"json_object"}` with no schema: any JSON, for a
    /// server that takes none of the above.
    JsonObject,
}

impl StructuredOutput {
    /// Adds the structured-output request for `schema` (an operation of kind
    /// `name`) to a chat-completions `body`.
    pub fn apply(self, body: &mut serde_json::Value, name: &str, schema: &serde_json::Value) {
        match self {
            StructuredOutput::JsonSchema => {
                let name: String =
                    name.chars().map(|c| if c.is_ascii_alphanumeric() || c == '-' { c } else { '_' }).collect();
                body["response_format"] = serde_json::json!({
                    "type": "json_schema",
                    "json_schema": {"name": name, "strict": true, "schema": strict(schema.clone())},
                });
            }
            StructuredOutput::JsonObjectSchema => {
                body["response_format"] = serde_json::json!({"type": "json_object", "schema": schema});
            }
            StructuredOutput::JsonObject => body["response_format"] = serde_json::json!({"type": "json_object"}),
        }
    }
}

/// `schema` as strict structured output wants it: in every object, every
/// property required (one that was optional may be null instead) and no
/// other property allowed.
fn strict(mut schema: serde_json::Value) -> serde_json::Value {
    use serde_json::Value;
    if let Value::Object(o) = &mut schema {
        let required: Vec<String> = match o.get("required") {
            Some(Value::Array(r)) => r.iter().filter_map(|v| v.as_str().map(String::from)).collect(),
            _ => Vec::new(),
        };
        if let Some(Value::Object(props)) = o.get_mut("properties") {
            for (key, prop) in props.iter_mut() {
                *prop = strict(prop.take());
                if !required.contains(key) {
                    match prop.get("type").cloned() {
                        Some(Value::String(t)) if t != "null" => prop["type"] = serde_json::json!([t, "null"]),
                        Some(Value::Array(mut types)) if !types.iter().any(|t| t == "null") => {
                            types.push("null".into());
                            prop["type"] = Value::Array(types);
                        }
                        _ => {}
                    }
                }
            }
            let mut all: Vec<Value> = props.keys().cloned().map(Value::String).collect();
            all.sort_by(|a, b| a.as_str().cmp(&b.as_str()));
            o.insert("required".into(), Value::Array(all));
            o.insert("additionalProperties".into(), Value::Bool(false));
        }
        if let Some(items) = o.get_mut("items") {
            *items = strict(items.take());
        }
    }
    schema
}

impl Backend {
    /// A human description (never includes secrets).
    pub fn describe(&self) -> String {
        match self {
            Backend::StandIn { token_delay, .. } => {
                format!("offline stand-in model ({} ms per token)", token_delay.as_millis())
            }
            Backend::OpenAi { base_url, model, structured, .. } => {
                format!("OpenAI-compatible {model} at {base_url} (structured output: {structured:?})")
            }
            Backend::WorkersAi { .. } => format!("Workers AI {WORKERS_AI_MODEL} (REST)"),
        }
    }
}

/// A model client: a backend plus an HTTP client and the idle timeout.
#[derive(Clone)]
pub struct Model {
    backend: Backend,
    http: reqwest::Client,
    idle: Duration,
    failed_once: Arc<Mutex<BTreeSet<String>>>,
}

impl Model {
    /// A client for `backend`; a stream silent for `idle` fails as stalled.
    pub fn new(backend: Backend, idle: Duration) -> Model {
        let http = reqwest::Client::builder().connect_timeout(Duration::from_secs(10)).build().unwrap_or_default();
        Model { backend, http, idle, failed_once: Arc::default() }
    }

    /// The stand-in's fault injection, identical to the Worker's AI stand-in
    /// (feature `test-hooks` only: a shipped binary has none): a last user
    /// message containing `[[fail]]` breaks the stream after three tokens,
    /// once per distinct prompt (so the retry succeeds).
    fn inject_failure(&self, request: &LlmRequest) -> bool {
        if !cfg!(feature = "test-hooks") {
            return false;
        }
        let last_user = request.messages.iter().rev().find(|m| m.role == PromptRole::User);
        if !last_user.is_some_and(|m| m.content.contains("[[fail]]")) {
            return false;
        }
        // The conversation, not the system prompt: that names the attempt's
        // time, so a retry in the next minute would look like another prompt.
        let conversation: Vec<_> = request.messages.iter().filter(|m| m.role != PromptRole::System).collect();
        let key = serde_json::to_string(&conversation).unwrap_or_default();
        self.failed_once.lock().unwrap_or_else(|p| p.into_inner()).insert(key)
    }
}

type Body = Pin<Box<dyn Stream<Item = reqwest::Result<axum::body::Bytes>> + Send>>;

enum Inner {
    StandIn {
        tokens: std::vec::IntoIter<String>,
        delay: Duration,
        fail_after: Option<usize>,
        calls: Vec<microcos_core::ToolCall>,
    },
    Sse {
        body: Body,
        decoder: TokenDecoder,
        idle: Duration,
    },
    Whole {
        text: Option<String>,
        calls: Vec<microcos_core::ToolCall>,
    },
}

/// A streaming reply.
pub struct ModelStream(Inner);

fn status_error(status: reqwest::StatusCode, body: &str) -> LlmError {
    let detail: String = body.chars().take(300).collect();
    let kind = if status.as_u16() == 429 {
        LlmErrorKind::RateLimited
    } else if status.is_server_error() || status.as_u16() == 408 {
        LlmErrorKind::Provider
    } else {
        LlmErrorKind::Rejected
    };
    LlmError::new(kind, format!("HTTP {status}: {detail}"))
}

/// Reads at most `cap` bytes of a body. A longer one is an error, given
/// with the first `cap` bytes (for an error message).
async fn read_capped(resp: reqwest::Response, cap: usize) -> Result<Vec<u8>, (LlmError, Vec<u8>)> {
    let mut body = Vec::new();
    let mut stream = resp.bytes_stream();
    while let Some(chunk) = stream.next().await {
        let chunk = chunk.map_err(|e| (transport(&e), Vec::new()))?;
        if body.len() + chunk.len() > cap {
            let room = cap - body.len();
            body.extend_from_slice(&chunk[..room]);
            let message = format!("the answer is over {cap} bytes");
            return Err((LlmError::new(LlmErrorKind::Provider, message), body));
        }
        body.extend_from_slice(&chunk);
    }
    Ok(body)
}

fn transport(e: &reqwest::Error) -> LlmError {
    LlmError::new(LlmErrorKind::Provider, format!("transport: {e}"))
}

impl TokenStream for ModelStream {
    fn tool_calls(&mut self) -> Vec<microcos_core::ToolCall> {
        match &mut self.0 {
            Inner::StandIn { calls, .. } | Inner::Whole { calls, .. } => std::mem::take(calls),
            Inner::Sse { decoder, .. } => decoder.tool_calls(),
        }
    }

    async fn next_token(&mut self) -> Option<Result<String, LlmError>> {
        match &mut self.0 {
            Inner::StandIn { tokens, delay, fail_after, .. } => {
                if let Some(n) = fail_after {
                    if *n == 0 {
                        *fail_after = None;
                        tokens.by_ref().for_each(drop);
                        return Some(Err(LlmError::new(LlmErrorKind::Provider, "stand-in: injected failure")));
                    }
                    *n -= 1;
                }
                let t = tokens.next()?;
                tokio::time::sleep(*delay).await;
                Some(Ok(t))
            }
            Inner::Whole { text, .. } => text.take().filter(|t| !t.is_empty()).map(Ok),
            Inner::Sse { body, decoder, idle } => loop {
                match decoder.poll_token() {
                    Next::Token(t) => return Some(Ok(t)),
                    Next::Done => return None,
                    Next::Failed(e) => return Some(Err(e)),
                    Next::NeedBytes => {}
                }
                match tokio::time::timeout(*idle, body.next()).await {
                    Err(_) => {
                        decoder.end_of_body();
                        return Some(Err(LlmError::new(LlmErrorKind::Stalled, "no token within the idle timeout")));
                    }
                    Ok(Some(Ok(bytes))) => decoder.feed(&bytes),
                    Ok(Some(Err(e))) => {
                        decoder.end_of_body();
                        return Some(Err(transport(&e)));
                    }
                    Ok(None) => decoder.end_of_body(),
                }
            },
        }
    }
}

impl Llm for Model {
    type Stream = ModelStream;

    async fn generate(&self, request: &LlmRequest) -> Result<ModelStream, LlmError> {
        let (url, body, key, dialect) = match &self.backend {
            Backend::StandIn { model, token_delay } => {
                let tokens = model.tokens(request).into_iter();
                let fail_after = self.inject_failure(request).then_some(3);
                let calls = model.tool_calls(request);
                return Ok(ModelStream(Inner::StandIn { tokens, delay: *token_delay, fail_after, calls }));
            }
            Backend::OpenAi { base_url, model, api_key, structured, temperature, seed } => {
                let mut body = serde_json::json!({
                    "model": model,
                    "messages": request.messages,
                    "stream": true,
                    "max_tokens": request.max_tokens,
                });
                match &request.schema {
                    Some(schema) => structured.apply(&mut body, request.kind.as_str(), schema),
                    None if request.json => StructuredOutput::JsonObject.apply(&mut body, "", &serde_json::Value::Null),
                    None => {}
                }
                if let Some(t) = temperature {
                    body["temperature"] = serde_json::json!(t);
                }
                if let Some(s) = seed {
                    body["seed"] = serde_json::json!(s);
                }
                if !request.tools.is_empty() {
                    body["tools"] = request_tools(Dialect::OpenAi, &request.tools);
                }
                let url = format!("{}/chat/completions", base_url.trim_end_matches('/'));
                (url, body, api_key.clone(), Dialect::OpenAi)
            }
            Backend::WorkersAi { base_url, account_id, api_token } => {
                let mut body = serde_json::json!({
                    "messages": request.messages,
                    "stream": true,
                    "max_tokens": request.max_tokens,
                });
                if let Some(schema) = &request.schema {
                    body["response_format"] = serde_json::json!({"type": "json_schema", "json_schema": schema});
                }
                if !request.tools.is_empty() {
                    body["tools"] = request_tools(Dialect::WorkersAi, &request.tools);
                }
                let url = format!("{}/accounts/{account_id}/ai/run/{WORKERS_AI_MODEL}", base_url.trim_end_matches('/'));
                (url, body, Some(api_token.clone()), Dialect::WorkersAi)
            }
        };
        let mut req = self
            .http
            .post(&url)
            .header("content-type", "application/json")
            .header("accept", "text/event-stream")
            .body(body.to_string());
        if let Some(key) = key {
            req = req.bearer_auth(key);
        }
        let resp = tokio::time::timeout(self.idle, req.send())
            .await
            .map_err(|_| LlmError::new(LlmErrorKind::Stalled, "no response within the idle timeout"))?
            .map_err(|e| transport(&e))?;
        let status = resp.status();
        if !status.is_success() {
            // Only the start of an error body is worth reading.
            let text = read_capped(resp, 4096).await.unwrap_or_else(|(_, start)| start);
            return Err(status_error(status, &String::from_utf8_lossy(&text)));
        }
        let is_sse = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|ct| ct.starts_with("text/event-stream"));
        if !is_sse {
            // Some providers answer JSON mode without streaming: one whole
            // reply, read up to its bound.
            let text = read_capped(resp, MAX_WHOLE_ANSWER_BYTES).await.map_err(|(e, _)| e)?;
            let v: serde_json::Value = serde_json::from_slice(&text)
                .map_err(|e| LlmError::new(LlmErrorKind::Provider, format!("malformed reply: {e}")))?;
            let calls = whole_tool_calls(&v);
            let answer = v
                .pointer("/result/response")
                .or_else(|| v.pointer("/choices/0/message/content"))
                .filter(|r| !r.is_null())
                .map(|r| if let Some(s) = r.as_str() { s.to_string() } else { r.to_string() });
            let answer = match answer {
                Some(text) => text,
                None if !calls.is_empty() => String::new(),
                None => return Err(LlmError::new(LlmErrorKind::Provider, "reply without a response")),
            };
            return Ok(ModelStream(Inner::Whole { text: Some(answer), calls }));
        }
        Ok(ModelStream(Inner::Sse {
            body: Box::pin(resp.bytes_stream()),
            decoder: TokenDecoder::new(dialect),
            idle: self.idle,
        }))
    }
}
