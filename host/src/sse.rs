//! Server-sent-events decoding for model streams, shared by the local
//! service (OpenAI-compatible servers, Workers AI over REST) and the Worker
//! (the Workers AI binding streams the same format).
//!
//! [`SseDecoder`] turns arbitrary byte chunks (a frame may be split anywhere,
//! even inside a UTF-8 character) into `data` payloads; [`openai_chunk`] and
//! [`workers_ai_chunk`] read one payload each.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use serde::Deserialize;

use microcos_core::ToolCall;
use microcos_core::{LlmError, LlmErrorKind};

/// The longest line, and the most `data` of one event, an [`SseDecoder`]
/// holds, in bytes. A stream that goes past it (a provider that never sends
/// a newline, or never ends an event) fails instead of growing memory.
pub const MAX_LINE_BYTES: usize = 1 << 20;

/// The largest answer a provider may send in one piece (not streamed), in
/// bytes: a transport reads no more of such a body.
pub const MAX_WHOLE_ANSWER_BYTES: usize = 4 << 20;

/// Incremental SSE decoder: yields the `data` of each complete event.
#[derive(Clone, Debug, Default)]
pub struct SseDecoder {
    line: Vec<u8>,
    data: Option<String>,
    overflowed: bool,
}

impl SseDecoder {
    /// A decoder with nothing buffered.
    pub fn new() -> Self {
        Self::default()
    }

    /// Feeds a chunk; returns the data of every event it completed. Past
    /// [`MAX_LINE_BYTES`] in one line or one event, it stops decoding
    /// ([`SseDecoder::overflowed`]) and drops what it held.
    pub fn push(&mut self, chunk: &[u8]) -> Vec<String> {
        let mut out = Vec::new();
        for &b in chunk {
            if self.overflowed {
                break;
            }
            if b == b'\n' {
                let line = core::mem::take(&mut self.line);
                self.line_done(&line, &mut out);
            } else if self.line.len() >= MAX_LINE_BYTES {
                self.overflow();
            } else {
                self.line.push(b);
            }
        }
        out
    }

    /// Whether the stream went past [`MAX_LINE_BYTES`] (nothing more is decoded).
    pub fn overflowed(&self) -> bool {
        self.overflowed
    }

    fn overflow(&mut self) {
        self.overflowed = true;
        self.line = Vec::new();
        self.data = None;
    }

    /// Ends the stream: the data of a last event that lacked its blank line.
    pub fn finish(mut self) -> Option<String> {
        let mut out = Vec::new();
        if !self.line.is_empty() {
            let line = core::mem::take(&mut self.line);
            self.line_done(&line, &mut out);
        }
        out.pop().or(self.data.take())
    }

    fn line_done(&mut self, line: &[u8], out: &mut Vec<String>) {
        let line = line.strip_suffix(b"\r").unwrap_or(line);
        if line.is_empty() {
            if let Some(d) = self.data.take() {
                out.push(d);
            }
            return;
        }
        if line.starts_with(b":") {
            return; // comment / keep-alive
        }
        let (field, value) = match line.iter().position(|&b| b == b':') {
            Some(i) => (&line[..i], &line[i + 1..]),
            None => (line, &b""[..]),
        };
        if field != b"data" {
            return; // event:, id:, retry: carry nothing we use
        }
        let value = value.strip_prefix(b" ").unwrap_or(value);
        if self.data.as_ref().map_or(0, String::len) + value.len() >= MAX_LINE_BYTES {
            return self.overflow();
        }
        let value = String::from_utf8_lossy(value);
        match &mut self.data {
            Some(d) => {
                d.push('\n');
                d.push_str(&value);
            }
            None => self.data = Some(value.into_owned()),
        }
    }
}

/// One decoded model-stream payload.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Chunk {
    /// Generated text (may be empty for bookkeeping frames).
    Token(String),
    /// The end marker.
    Done,
}

fn provider(message: String) -> LlmError {
    LlmError::new(LlmErrorKind::Provider, message)
}

#[derive(Deserialize)]
struct OpenAiFrame {
    #[serde(default)]
    choices: Vec<OpenAiChoice>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}
#[derive(Deserialize)]
struct OpenAiChoice {
    #[serde(default)]
    delta: Option<OpenAiDelta>,
}
#[derive(Deserialize)]
struct OpenAiDelta {
    #[serde(default)]
    content: Option<String>,
    #[serde(default)]
    tool_calls: Vec<OpenAiCallDelta>,
}
#[derive(Deserialize)]
struct OpenAiCallDelta {
    #[serde(default)]
    index: Option<usize>,
    #[serde(default)]
    id: Option<String>,
    #[serde(default)]
    function: Option<OpenAiFunctionDelta>,
}
#[derive(Deserialize)]
struct OpenAiFunctionDelta {
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    arguments: Option<String>,
}

/// A piece of a tool call in a model stream: OpenAI-compatible servers
/// stream a call as deltas merged by `index` (the id and name come first,
/// the arguments' text in pieces); Workers AI sends each call whole.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CallDelta {
    /// Which call it continues (`None`: a new, whole call).
    pub index: Option<usize>,
    /// The call's id, when given.
    pub id: Option<String>,
    /// The tool's name, when given.
    pub name: Option<String>,
    /// More of the arguments' text.
    pub arguments: String,
}

/// Reads one payload of an OpenAI-compatible chat-completions stream.
pub fn openai_chunk(data: &str) -> Result<Chunk, LlmError> {
    openai_frame(data).map(|(chunk, _)| chunk)
}

/// [`openai_chunk`] with the frame's tool-call deltas.
pub fn openai_frame(data: &str) -> Result<(Chunk, Vec<CallDelta>), LlmError> {
    if data.trim() == "[DONE]" {
        return Ok((Chunk::Done, Vec::new()));
    }
    let frame: OpenAiFrame =
        serde_json::from_str(data).map_err(|e| provider(format!("malformed stream frame: {e}")))?;
    if let Some(err) = frame.error {
        return Err(provider(format!("provider error: {err}")));
    }
    let mut text = String::new();
    let mut calls = Vec::new();
    for delta in frame.choices.into_iter().filter_map(|c| c.delta) {
        text.push_str(delta.content.as_deref().unwrap_or(""));
        calls.extend(delta.tool_calls.into_iter().map(|c| {
            let f = c.function.unwrap_or(OpenAiFunctionDelta { name: None, arguments: None });
            // Without an index (some servers send whole calls): a call of its own.
            CallDelta { index: c.index, id: c.id, name: f.name, arguments: f.arguments.unwrap_or_default() }
        }));
    }
    Ok((Chunk::Token(text), calls))
}

#[derive(Deserialize)]
struct WorkersAiFrame {
    #[serde(default)]
    response: Option<String>,
    #[serde(default)]
    tool_calls: Vec<WorkersAiCall>,
    #[serde(default)]
    errors: Option<serde_json::Value>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

/// A whole tool call of Workers AI: `{"name", "arguments"}`, the arguments
/// an object (or, from some models, its text).
#[derive(Deserialize)]
struct WorkersAiCall {
    #[serde(default)]
    id: Option<String>,
    name: String,
    #[serde(default)]
    arguments: Option<serde_json::Value>,
}

/// Reads one payload of a Workers AI text-generation stream
/// (`data: {"response":"tok"}` … `data: [DONE]`).
pub fn workers_ai_chunk(data: &str) -> Result<Chunk, LlmError> {
    workers_ai_frame(data).map(|(chunk, _)| chunk)
}

/// [`workers_ai_chunk`] with the frame's tool calls
/// (`{"response":"","tool_calls":[{"name":"…","arguments":{…}}]}`).
pub fn workers_ai_frame(data: &str) -> Result<(Chunk, Vec<CallDelta>), LlmError> {
    if data.trim() == "[DONE]" {
        return Ok((Chunk::Done, Vec::new()));
    }
    let frame: WorkersAiFrame =
        serde_json::from_str(data).map_err(|e| provider(format!("malformed stream frame: {e}")))?;
    if let Some(err) = frame.errors.filter(|e| !e.as_array().is_some_and(|a| a.is_empty())).or(frame.error) {
        return Err(provider(format!("provider error: {err}")));
    }
    let calls = frame
        .tool_calls
        .into_iter()
        .map(|c| CallDelta {
            index: None,
            id: c.id,
            name: Some(c.name),
            arguments: match c.arguments {
                Some(serde_json::Value::String(s)) => s,
                Some(v) => v.to_string(),
                None => String::from("{}"),
            },
        })
        .collect();
    Ok((Chunk::Token(frame.response.unwrap_or_default()), calls))
}

/// The `tools` of a request, as each dialect takes them: OpenAI-compatible
/// servers `[{"type":"function","function":{name, description, parameters}}]`,
/// Workers AI `[{name, description, parameters}]`.
pub fn request_tools(dialect: Dialect, tools: &[microcos_core::Tool]) -> serde_json::Value {
    let spec = |t: &microcos_core::Tool| serde_json::json!({"name": t.name, "description": t.description, "parameters": t.parameters});
    serde_json::Value::Array(
        tools
            .iter()
            .map(|t| match dialect {
                Dialect::OpenAi => serde_json::json!({"type": "function", "function": spec(t)}),
                Dialect::WorkersAi => spec(t),
            })
            .collect(),
    )
}

/// The tool calls of a whole (non-streamed) answer: `result.tool_calls` or
/// `tool_calls` (Workers AI), `choices[0].message.tool_calls` (OpenAI).
pub fn whole_tool_calls(answer: &serde_json::Value) -> Vec<ToolCall> {
    let workers = answer.pointer("/result/tool_calls").or_else(|| answer.get("tool_calls"));
    let openai = answer.pointer("/choices/0/message/tool_calls");
    let mut calls = ToolCalls::default();
    for (i, c) in workers.or(openai).and_then(|v| v.as_array()).into_iter().flatten().enumerate() {
        let f = c.get("function").unwrap_or(c);
        let arguments = match f.get("arguments") {
            Some(serde_json::Value::String(s)) => s.clone(),
            Some(v) => v.to_string(),
            None => String::from("{}"),
        };
        let name = f.get("name").and_then(|n| n.as_str()).map(String::from);
        let id = c.get("id").and_then(|n| n.as_str()).map(String::from);
        if !calls.add(CallDelta { index: Some(i), id, name, arguments }) {
            break;
        }
    }
    calls.take()
}

/// Most bytes of tool calls one reply may stream (names, ids and arguments
/// together); past it the attempt fails instead of growing. The kernel's
/// own bound ([`microcos_core::Config::max_tool_calls`]) is far smaller.
pub const MAX_TOOL_CALL_BYTES: usize = 256 * 1024;

/// Tool calls assembled from a stream's [`CallDelta`]s.
#[derive(Clone, Debug, Default)]
pub struct ToolCalls {
    calls: Vec<(Option<usize>, ToolCall)>,
    bytes: usize,
}

impl ToolCalls {
    /// Adds a piece; `false` when the calls grew past [`MAX_TOOL_CALL_BYTES`].
    pub fn add(&mut self, delta: CallDelta) -> bool {
        self.bytes += delta.arguments.len()
            + delta.name.as_ref().map_or(0, String::len)
            + delta.id.as_ref().map_or(0, String::len);
        if self.bytes > MAX_TOOL_CALL_BYTES {
            return false;
        }
        let existing = delta.index.and_then(|i| self.calls.iter_mut().find(|(at, _)| *at == Some(i)));
        match existing {
            Some((_, call)) => {
                if let Some(id) = delta.id {
                    call.id = id;
                }
                if let Some(name) = delta.name {
                    call.name.push_str(&name);
                }
                call.arguments.push_str(&delta.arguments);
            }
            None => {
                let call = ToolCall {
                    id: delta.id.unwrap_or_default(),
                    name: delta.name.unwrap_or_default(),
                    arguments: delta.arguments,
                };
                self.calls.push((delta.index, call));
            }
        }
        true
    }

    /// The calls, in the order they began.
    pub fn take(&mut self) -> Vec<ToolCall> {
        self.bytes = 0;
        core::mem::take(&mut self.calls).into_iter().map(|(_, c)| c).collect()
    }
}

/// Which provider's frames a stream carries.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Dialect {
    /// OpenAI-compatible chat completions.
    OpenAi,
    /// Workers AI text generation.
    WorkersAi,
}

/// What a [`TokenDecoder`] has next.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Next {
    /// A token.
    Token(String),
    /// The reply is complete.
    Done,
    /// The reply failed (an error frame, or the body ended without its end marker).
    Failed(LlmError),
    /// Feed more bytes ([`TokenDecoder::feed`]) or report the end of the body.
    NeedBytes,
}

/// Sans-IO token decoder for a model's SSE body: feed it bytes as they
/// arrive, pull tokens with [`TokenDecoder::poll_token`]. Transports only read the
/// body (and enforce an idle timeout).
#[derive(Clone, Debug)]
pub struct TokenDecoder {
    sse: SseDecoder,
    pending: alloc::collections::VecDeque<String>,
    dialect: Dialect,
    finished: bool,
    body_ended: bool,
    /// How it failed, answered again on every later poll.
    failed: Option<LlmError>,
    calls: ToolCalls,
}

impl TokenDecoder {
    /// A decoder for `dialect`.
    pub fn new(dialect: Dialect) -> Self {
        TokenDecoder {
            sse: SseDecoder::new(),
            pending: alloc::collections::VecDeque::new(),
            dialect,
            finished: false,
            body_ended: false,
            failed: None,
            calls: ToolCalls::default(),
        }
    }

    /// The tool calls of the reply, assembled (ask once it is done).
    pub fn tool_calls(&mut self) -> Vec<ToolCall> {
        self.calls.take()
    }

    /// Feeds a chunk of the body.
    pub fn feed(&mut self, bytes: &[u8]) {
        let events = self.sse.push(bytes);
        self.pending.extend(events);
    }

    fn fail(&mut self, error: LlmError) -> Next {
        self.finished = true;
        self.failed = Some(error.clone());
        Next::Failed(error)
    }

    /// Reports that the body ended.
    pub fn end_of_body(&mut self) {
        let last = core::mem::take(&mut self.sse).finish();
        self.pending.extend(last);
        self.body_ended = true;
    }

    /// The next token, or what the transport must do.
    pub fn poll_token(&mut self) -> Next {
        if let Some(error) = &self.failed {
            return Next::Failed(error.clone());
        }
        while !self.finished {
            let Some(data) = self.pending.pop_front() else {
                if self.sse.overflowed() {
                    let message = format!("the stream sent a line or event over {MAX_LINE_BYTES} bytes");
                    return self.fail(provider(message));
                }
                if self.body_ended {
                    return self.fail(truncated());
                }
                return Next::NeedBytes;
            };
            let frame = match self.dialect {
                Dialect::OpenAi => openai_frame(&data),
                Dialect::WorkersAi => workers_ai_frame(&data),
            };
            let chunk = match frame {
                Ok((chunk, deltas)) => {
                    for delta in deltas {
                        if !self.calls.add(delta) {
                            let message = format!("the stream's tool calls passed {MAX_TOOL_CALL_BYTES} bytes");
                            return self.fail(provider(message));
                        }
                    }
                    Ok(chunk)
                }
                Err(e) => Err(e),
            };
            match chunk {
                Ok(Chunk::Token(t)) if t.is_empty() => {}
                Ok(Chunk::Token(t)) => return Next::Token(t),
                Ok(Chunk::Done) => self.finished = true,
                Err(e) => return self.fail(e),
            }
        }
        Next::Done
    }
}

/// The error for a stream that ended without its end marker.
pub fn truncated() -> LlmError {
    provider(String::from("the stream ended without its end marker"))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn decode_all(chunks: &[&[u8]]) -> Vec<String> {
        let mut d = SseDecoder::new();
        let mut out: Vec<String> = chunks.iter().flat_map(|c| d.push(c)).collect();
        out.extend(d.finish());
        out
    }

    const WORKERS_AI: &str = "data: {\"response\":\"Hel\"}\n\ndata: {\"response\":\"lo \\u00e9\"}\n\n: keep-alive\n\ndata: {\"response\":\"\",\"usage\":{\"prompt_tokens\":3}}\n\ndata: [DONE]\n\n";

    #[test]
    fn a_stream_without_newlines_or_without_an_event_end_fails_instead_of_growing() {
        for endless in [&b"x"[..], b"data: x\n"] {
            let mut d = TokenDecoder::new(Dialect::OpenAi);
            let chunk = endless.repeat(64 * 1024);
            let mut fed = 0;
            while !d.sse.overflowed() {
                d.feed(&chunk);
                fed += chunk.len();
                let held = d.sse.line.len() + d.sse.data.as_ref().map_or(0, String::len);
                assert!(held <= 2 * MAX_LINE_BYTES, "holds at most one line and one event");
                assert!(fed <= 8 * MAX_LINE_BYTES, "never stops");
            }
            assert!(d.sse.line.capacity() == 0 && d.sse.data.is_none(), "what it held is dropped");
            let Next::Failed(e) = d.poll_token() else { panic!("not failed") };
            assert!(e.message.contains("over"), "{e:?}");
            d.feed(&chunk);
            assert_eq!(d.poll_token(), Next::Failed(e), "failed for good");
        }
    }

    #[test]
    fn frames_split_anywhere_decode_the_same() {
        let whole = decode_all(&[WORKERS_AI.as_bytes()]);
        assert_eq!(whole.len(), 4);
        let bytes = WORKERS_AI.as_bytes();
        for cut in 1..bytes.len() {
            assert_eq!(decode_all(&[&bytes[..cut], &bytes[cut..]]), whole, "cut at {cut}");
        }
        let singles: Vec<&[u8]> = bytes.chunks(1).collect();
        assert_eq!(decode_all(&singles), whole);
        let text: String = whole
            .iter()
            .map(|d| workers_ai_chunk(d).unwrap())
            .filter_map(|c| if let Chunk::Token(t) = c { Some(t) } else { None })
            .collect();
        assert_eq!(text, "Hello é");
        assert_eq!(workers_ai_chunk(&whole[3]).unwrap(), Chunk::Done);
    }

    #[test]
    fn token_decoder_yields_tokens_then_done_or_a_typed_failure() {
        let drain = |d: &mut TokenDecoder| {
            let mut out = Vec::new();
            loop {
                match d.poll_token() {
                    Next::Token(t) => out.push(t),
                    other => return (out, other),
                }
            }
        };
        let mut d = TokenDecoder::new(Dialect::WorkersAi);
        let bytes = WORKERS_AI.as_bytes();
        d.feed(&bytes[..17]);
        assert_eq!(drain(&mut d), (Vec::new(), Next::NeedBytes));
        d.feed(&bytes[17..]);
        assert_eq!(drain(&mut d), (alloc::vec![String::from("Hel"), String::from("lo é")], Next::Done));
        assert_eq!(d.poll_token(), Next::Done);
        let mut cut = TokenDecoder::new(Dialect::OpenAi);
        cut.feed(b"data: {\"choices\":[{\"delta\":{\"content\":\"Hi\"}}]}\n\n");
        cut.end_of_body();
        let (tokens, end) = drain(&mut cut);
        assert_eq!(tokens, [String::from("Hi")]);
        assert!(matches!(end, Next::Failed(e) if e.message.contains("end marker")));
    }

    #[test]
    fn crlf_multiline_and_missing_final_blank_line() {
        let d = decode_all(&[b"data: a\r\ndata: b\r\n\r\ndata: [DONE]"]);
        assert_eq!(d, ["a\nb", "[DONE]"]);
    }

    #[test]
    fn openai_frames_errors_and_done() {
        let ok =
            r#"{"id":"x","choices":[{"index":0,"delta":{"role":"assistant","content":"Hi"},"finish_reason":null}]}"#;
        assert_eq!(openai_chunk(ok).unwrap(), Chunk::Token("Hi".into()));
        let end = r#"{"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}"#;
        assert_eq!(openai_chunk(end).unwrap(), Chunk::Token(String::new()));
        assert_eq!(openai_chunk("[DONE]").unwrap(), Chunk::Done);
        assert!(openai_chunk(r#"{"error":{"message":"overloaded"}}"#).is_err());
        assert!(openai_chunk("{not json").is_err());
        assert!(workers_ai_chunk(r#"{"errors":[{"code":3040,"message":"capacity"}]}"#).is_err());
        assert!(workers_ai_chunk(r#"{"response":"x","errors":[]}"#).is_ok());
        assert!(truncated().retryable());
    }

    /// Every token and every assembled tool call of `body`, fed in the given pieces.
    fn decode_with_calls(dialect: Dialect, pieces: &[&[u8]]) -> (String, Vec<ToolCall>) {
        let mut d = TokenDecoder::new(dialect);
        let mut text = String::new();
        let mut pieces = pieces.iter();
        loop {
            match d.poll_token() {
                Next::Token(t) => text.push_str(&t),
                Next::Done => return (text, d.tool_calls()),
                Next::Failed(e) => panic!("failed: {e:?}"),
                Next::NeedBytes => match pieces.next() {
                    Some(p) => d.feed(p),
                    None => d.end_of_body(),
                },
            }
        }
    }

    /// An OpenAI-compatible stream (as vLLM, llama.cpp server and OpenAI send
    /// it): text, then two calls whose id and name come first and whose
    /// arguments arrive in pieces, interleaved by index.
    const OPENAI_TOOLS: &str = concat!(
        "data: {\"choices\":[{\"delta\":{\"content\":\"On it.\"}}]}\n\n",
        "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"id\":\"call_a\",\"type\":\"function\",\"function\":{\"name\":\"create_task\",\"arguments\":\"\"}}]}}]}\n\n",
        "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"{\\\"title\\\":\"}}]}}]}\n\n",
        "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":1,\"id\":\"call_b\",\"function\":{\"name\":\"plan_day\",\"arguments\":\"{}\"}}]}}]}\n\n",
        "data: {\"choices\":[{\"delta\":{\"tool_calls\":[{\"index\":0,\"function\":{\"arguments\":\"\\\"Call Ann é\\\"}\"}}]}}]}\n\n",
        "data: {\"choices\":[{\"delta\":{},\"finish_reason\":\"tool_calls\"}]}\n\n",
        "data: [DONE]\n\n",
    );

    /// Workers AI (the binding and REST): text, then the calls whole, their
    /// arguments an object.
    const WORKERS_AI_TOOLS: &str = concat!(
        "data: {\"response\":\"On it.\"}\n\n",
        "data: {\"response\":\"\",\"tool_calls\":[{\"name\":\"set_reminder\",\"arguments\":{\"text\":\"Call Ann é\",\"time\":\"17:00\"}},{\"name\":\"plan_day\",\"arguments\":{}}]}\n\n",
        "data: [DONE]\n\n",
    );

    #[test]
    fn tool_calls_in_both_dialects_assemble_the_same_however_the_stream_is_cut() {
        let cases = [
            (
                Dialect::OpenAi,
                OPENAI_TOOLS,
                alloc::vec![
                    ToolCall {
                        id: "call_a".into(),
                        name: "create_task".into(),
                        arguments: r#"{"title":"Call Ann é"}"#.into()
                    },
                    ToolCall { id: "call_b".into(), name: "plan_day".into(), arguments: "{}".into() },
                ],
            ),
            (
                Dialect::WorkersAi,
                WORKERS_AI_TOOLS,
                alloc::vec![
                    ToolCall {
                        id: String::new(),
                        name: "set_reminder".into(),
                        arguments: r#"{"text":"Call Ann é","time":"17:00"}"#.into(),
                    },
                    ToolCall { id: String::new(), name: "plan_day".into(), arguments: "{}".into() },
                ],
            ),
        ];
        for (dialect, body, calls) in cases {
            let bytes = body.as_bytes();
            let whole = decode_with_calls(dialect, &[bytes]);
            assert_eq!(whole, ("On it.".to_string(), calls), "{dialect:?}");
            for cut in 1..bytes.len() {
                assert_eq!(
                    decode_with_calls(dialect, &[&bytes[..cut], &bytes[cut..]]),
                    whole,
                    "{dialect:?} cut at {cut}"
                );
            }
            let singles: Vec<&[u8]> = bytes.chunks(1).collect();
            assert_eq!(decode_with_calls(dialect, &singles), whole, "{dialect:?} byte by byte");
        }
    }

    #[test]
    fn tool_calls_that_grow_without_bound_fail_the_stream() {
        let piece = alloc::format!(
            "data: {{\"choices\":[{{\"delta\":{{\"tool_calls\":[{{\"index\":0,\"function\":{{\"arguments\":\"{}\"}}}}]}}}}]}}\n\n",
            "x".repeat(64 * 1024)
        );
        let mut d = TokenDecoder::new(Dialect::OpenAi);
        for _ in 0..5 {
            d.feed(piece.as_bytes());
        }
        assert!(matches!(d.poll_token(), Next::Failed(e) if e.message.contains("tool calls passed")));
    }
}
