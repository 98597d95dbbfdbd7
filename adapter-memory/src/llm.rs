//! Models for tests: the [`ScriptedLlm`] that plays token scripts with
//! errors and stalls at chosen points (falling back to a [`StandIn`], the
//! offline model of `microcos-host`, when no script is queued).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use microcos_core::LlmRequest;
use microcos_core::{Llm, LlmError, LlmErrorKind, TokenStream};
use microcos_host::StandIn;

use crate::clock::ManualClock;
use crate::store::MemoryStore;

/// One step of a scripted reply.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Step {
    /// Yield a token.
    Token(String),
    /// Yield an error (the stream ends after it).
    Fail(LlmError),
    /// Go silent: the clock moves by the idle timeout and the stream yields `Stalled`.
    Stall,
    /// Let this many milliseconds pass.
    Advance(u64),
    /// Yield this token forever (a model that ignores its token limit).
    Endless(String),
    /// Call a tool (reported with [`TokenStream::tool_calls`] once the
    /// reply ends, as an adapter assembles a provider's streamed call).
    Call(microcos_core::ToolCall),
}

/// What the next `generate` call does.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Script {
    /// Stream these steps; the reply ends after the last one.
    Reply(Vec<Step>),
    /// Refuse to start.
    StartError(LlmError),
}

impl Script {
    /// A reply of these tokens.
    pub fn tokens<I: IntoIterator<Item = S>, S: Into<String>>(tokens: I) -> Script {
        Script::Reply(tokens.into_iter().map(|t| Step::Token(t.into())).collect())
    }
}

#[derive(Debug)]
struct Inner {
    queue: VecDeque<Script>,
    calls: Vec<LlmRequest>,
    clock: ManualClock,
    token_delay_ms: u64,
    idle_timeout_ms: u64,
    audit: Option<MemoryStore>,
    violations: Vec<String>,
    stand_in: StandIn,
}

/// A model that plays queued [`Script`]s, then answers like its [`StandIn`].
/// Clones share the queue and the call log.
#[derive(Clone, Debug)]
pub struct ScriptedLlm {
    inner: Rc<RefCell<Inner>>,
}

impl ScriptedLlm {
    /// A model on `clock`: each token takes `token_delay_ms`; a stall takes `idle_timeout_ms`.
    pub fn new(clock: ManualClock, token_delay_ms: u64, idle_timeout_ms: u64) -> Self {
        let inner = Inner {
            queue: VecDeque::new(),
            calls: Vec::new(),
            clock,
            token_delay_ms,
            idle_timeout_ms,
            audit: None,
            violations: Vec::new(),
            stand_in: StandIn::default(),
        };
        ScriptedLlm { inner: Rc::new(RefCell::new(inner)) }
    }
    /// The model that answers when no script is queued.
    pub fn set_stand_in(&self, stand_in: StandIn) {
        self.inner.borrow_mut().stand_in = stand_in;
    }
    /// Makes `script` the very next call's, ahead of the queue.
    pub fn queue_next(&self, script: Script) {
        self.inner.borrow_mut().queue.push_front(script);
    }
    /// Queues the script of the next call.
    pub fn queue(&self, script: Script) {
        self.inner.borrow_mut().queue.push_back(script);
    }
    /// Every request received, in order.
    pub fn calls(&self) -> Vec<LlmRequest> {
        self.inner.borrow().calls.clone()
    }
    /// Checks at every call that `llm.started` for that attempt is stored.
    pub fn audit_against(&self, store: MemoryStore) {
        self.inner.borrow_mut().audit = Some(store);
    }
    /// Calls made for attempts the store did not hold.
    pub fn violations(&self) -> Vec<String> {
        self.inner.borrow().violations.clone()
    }
}

fn started_is_stored(store: &MemoryStore, req: &LlmRequest) -> bool {
    store.rows().iter().rev().any(|row| {
        // Only the envelope's type and operation matter here: decode the
        // `llm.*` events and skip any domain's.
        serde_json::from_str::<serde_json::Value>(&row.body).is_ok_and(|v| {
            v["type"] == "llm.started"
                && v["operation_id"].as_str() == Some(req.operation_id.to_string().as_str())
                && v["payload"]["attempt"].as_u64() == Some(u64::from(req.attempt))
        })
    })
}

/// The token stream of a [`ScriptedLlm`] call.
#[derive(Debug)]
pub struct ScriptStream {
    steps: VecDeque<Step>,
    clock: ManualClock,
    token_delay_ms: u64,
    idle_timeout_ms: u64,
    calls: Vec<microcos_core::ToolCall>,
}

impl TokenStream for ScriptStream {
    fn tool_calls(&mut self) -> Vec<microcos_core::ToolCall> {
        core::mem::take(&mut self.calls)
    }

    async fn next_token(&mut self) -> Option<Result<String, LlmError>> {
        loop {
            match self.steps.pop_front()? {
                Step::Token(t) => {
                    self.clock.advance(self.token_delay_ms);
                    return Some(Ok(t));
                }
                Step::Fail(e) => {
                    self.steps.clear();
                    return Some(Err(e));
                }
                Step::Stall => {
                    self.steps.clear();
                    self.clock.advance(self.idle_timeout_ms);
                    return Some(Err(LlmError::new(LlmErrorKind::Stalled, "no token within the idle timeout")));
                }
                Step::Advance(ms) => self.clock.advance(ms),
                Step::Call(call) => self.calls.push(call),
                Step::Endless(t) => {
                    self.steps.push_front(Step::Endless(t.clone()));
                    self.clock.advance(self.token_delay_ms);
                    return Some(Ok(t));
                }
            }
        }
    }
}

impl Llm for ScriptedLlm {
    type Stream = ScriptStream;

    async fn generate(&self, request: &LlmRequest) -> Result<ScriptStream, LlmError> {
        let mut inner = self.inner.borrow_mut();
        inner.calls.push(request.clone());
        if let Some(store) = &inner.audit {
            if !started_is_stored(store, request) {
                let v = format!(
                    "model called for {} attempt {} before llm.started was stored",
                    request.operation_id, request.attempt
                );
                inner.violations.push(v);
            }
        }
        let steps = match inner.queue.pop_front() {
            Some(Script::StartError(e)) => return Err(e),
            Some(Script::Reply(steps)) => steps,
            None => {
                let tokens = inner.stand_in.tokens(request).into_iter().map(Step::Token);
                tokens.chain(inner.stand_in.tool_calls(request).into_iter().map(Step::Call)).collect()
            }
        };
        Ok(ScriptStream {
            steps: steps.into(),
            clock: inner.clock.clone(),
            token_delay_ms: inner.token_delay_ms,
            idle_timeout_ms: inner.idle_timeout_ms,
            calls: Vec::new(),
        })
    }
}
