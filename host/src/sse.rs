//! Server-sent-events decoding for model streams, shared by the local
//! service (OpenAI-compatible servers, Workers AI over REST) and the Worker
//! (the Workers AI binding streams the same format).
//!
//! [`SseDecoder`] turns arbitrary byte chunks (a frame may be split anywhere,
//! even inside a UTF-8 character) into `data` payloads; [`openai_chunk`] and
//! [`workers_ai_chunk`] read one payload each.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use serde::Deserialize;

use microcos_core::ports::{LlmError, LlmErrorKind};

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
}

/// Reads one payload of an OpenAI-compatible chat-completions stream.
pub fn openai_chunk(data: &str) -> Result<Chunk, LlmError> {
    if data.trim() == "[DONE]" {
        return Ok(Chunk::Done);
    }
    let frame: OpenAiFrame =
        serde_json::from_str(data).map_err(|e| provider(format!("malformed stream frame: {e}")))?;
    if let Some(err) = frame.error {
        return Err(provider(format!("provider error: {err}")));
    }
    let text = frame.choices.into_iter().filter_map(|c| c.delta.and_then(|d| d.content)).collect::<String>();
    Ok(Chunk::Token(text))
}

#[derive(Deserialize)]
struct WorkersAiFrame {
    #[serde(default)]
    response: Option<String>,
    #[serde(default)]
    errors: Option<serde_json::Value>,
    #[serde(default)]
    error: Option<serde_json::Value>,
}

/// Reads one payload of a Workers AI text-generation stream
/// (`data: {"response":"tok"}` … `data: [DONE]`).
pub fn workers_ai_chunk(data: &str) -> Result<Chunk, LlmError> {
    if data.trim() == "[DONE]" {
        return Ok(Chunk::Done);
    }
    let frame: WorkersAiFrame =
        serde_json::from_str(data).map_err(|e| provider(format!("malformed stream frame: {e}")))?;
    if let Some(err) = frame.errors.filter(|e| !e.as_array().is_some_and(|a| a.is_empty())).or(frame.error) {
        return Err(provider(format!("provider error: {err}")));
    }
    Ok(Chunk::Token(frame.response.unwrap_or_default()))
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
        }
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
            let chunk = match self.dialect {
                Dialect::OpenAi => openai_chunk(&data),
                Dialect::WorkersAi => workers_ai_chunk(&data),
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
}
