//! Models for tests and offline use: the deterministic [`StandIn`] model and
//! the [`ScriptedLlm`] that plays token scripts with errors and stalls at
//! chosen points (falling back to the stand-in when no script is queued).

use std::cell::RefCell;
use std::collections::VecDeque;
use std::rc::Rc;

use microcos_core::event::{Event, OperationKind};
use microcos_core::llm::{LlmRequest, PromptRole};
use microcos_core::{Envelope, Llm, LlmError, LlmErrorKind, TokenStream};

use crate::clock::ManualClock;
use crate::store::MemoryStore;

/// Name the stand-in puts in every reply, so nobody mistakes it for a real model.
pub const STAND_IN_NAME: &str = "[offline stand-in model]";

/// A deterministic offline model: answers from the prompt alone, with valid
/// JSON for task extraction and plans. Same request, same tokens.
#[derive(Clone, Copy, Debug, Default)]
pub struct StandIn;

fn last_user(req: &LlmRequest) -> &str {
    req.messages.iter().rev().find(|m| m.role == PromptRole::User).map_or("", |m| m.content.as_str())
}

fn clip(s: &str, n: usize) -> String {
    let mut out: String = s.chars().filter(|c| !c.is_control() || *c == ' ').take(n).collect();
    if s.chars().count() > n {
        out.push('…');
    }
    out
}

/// Open tasks listed in the system prompt as `- title … [id X]`.
fn prompt_tasks(req: &LlmRequest) -> Vec<(String, String)> {
    let system = req.messages.first().map_or("", |m| m.content.as_str());
    system
        .lines()
        .filter_map(|l| {
            let l = l.strip_prefix("- ")?;
            let (title, id) = l.rsplit_once(" [id ")?;
            let title = title.split(" (due ").next().unwrap_or(title);
            Some((title.to_string(), id.trim_end_matches(']').to_string()))
        })
        .collect()
}

impl StandIn {
    /// The full reply text for a request.
    pub fn reply(req: &LlmRequest) -> String {
        match req.kind {
            OperationKind::Chat => {
                let tasks = prompt_tasks(req).len();
                format!(
                    "{STAND_IN_NAME} You said: \"{}\". You have {tasks} open task{}. Configure a real model to get real answers.",
                    clip(last_user(req), 160),
                    if tasks == 1 { "" } else { "s" }
                )
            }
            OperationKind::ExtractTasks => {
                let text = last_user(req).split("Text:\n").nth(1).unwrap_or("");
                let tasks: Vec<serde_json::Value> = text
                    .split(['\n', '.', ';'])
                    .map(str::trim)
                    .filter(|s| s.chars().count() >= 3)
                    .take(10)
                    .map(|s| serde_json::json!({ "title": clip(s, 120), "due_date": null }))
                    .collect();
                serde_json::json!({ "tasks": tasks }).to_string()
            }
            OperationKind::DailyPlan => {
                let mut items: Vec<serde_json::Value> = prompt_tasks(req)
                    .into_iter()
                    .take(8)
                    .enumerate()
                    .map(|(i, (title, id))| serde_json::json!({ "time": format!("{:02}:00", 9 + i), "title": title, "task_id": id }))
                    .collect();
                if items.is_empty() {
                    items.push(serde_json::json!({ "time": "09:00", "title": "Review your goals for the day", "task_id": null }));
                }
                serde_json::json!({ "items": items, "model": STAND_IN_NAME }).to_string()
            }
            OperationKind::Summary => {
                let words: Vec<&str> =
                    last_user(req).lines().skip(1).flat_map(str::split_whitespace).take(40).collect();
                format!("{STAND_IN_NAME} Summary: {}", words.join(" "))
            }
        }
    }

    /// The reply split into tokens: words with their following space; JSON in 8-byte pieces.
    pub fn tokens(req: &LlmRequest) -> Vec<String> {
        let text = Self::reply(req);
        if req.json {
            let chars: Vec<char> = text.chars().collect();
            return chars.chunks(8).map(|c| c.iter().collect()).collect();
        }
        let mut out = Vec::new();
        let mut cur = String::new();
        for c in text.chars() {
            cur.push(c);
            if c == ' ' {
                out.push(std::mem::take(&mut cur));
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
pub struct StandInStream(std::vec::IntoIter<String>);

impl TokenStream for StandInStream {
    async fn next_token(&mut self) -> Option<Result<String, LlmError>> {
        self.0.next().map(Ok)
    }
}

impl Llm for StandIn {
    type Stream = StandInStream;

    async fn generate(&self, request: &LlmRequest) -> Result<StandInStream, LlmError> {
        Ok(StandInStream(StandIn::tokens(request).into_iter()))
    }
}

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
}

/// A model that plays queued [`Script`]s, then answers like [`StandIn`].
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
        };
        ScriptedLlm { inner: Rc::new(RefCell::new(inner)) }
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
        Envelope::from_json(&row.body).is_ok_and(|env| {
            env.operation_id == Some(req.operation_id)
                && matches!(env.event, Event::LlmStarted(ref p) if p.attempt == req.attempt)
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
}

impl TokenStream for ScriptStream {
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
            None => StandIn::tokens(request).into_iter().map(Step::Token).collect(),
        };
        Ok(ScriptStream {
            steps: steps.into(),
            clock: inner.clock.clone(),
            token_delay_ms: inner.token_delay_ms,
            idle_timeout_ms: inner.idle_timeout_ms,
        })
    }
}
