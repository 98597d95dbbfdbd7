//! The user's state and the reducer that folds events into it.
//!
//! Applying an event has no business logic and cannot fail: decisions were
//! taken before the event was stored ([`crate::machine`]). The state is a
//! bounded working set (recent messages, tasks, recent plans, operations in
//! flight, the idempotency window); full history stays in the log.
//!
//! Everything here uses ordered maps, so serialising a state gives the same
//! bytes on every target, and the state is part of snapshots.

use alloc::collections::{BTreeMap, VecDeque};
use alloc::string::String;
use alloc::vec::Vec;

use serde::{Deserialize, Serialize};

use crate::event::{Envelope, Event, FailureCode, OperationKind, PlanItem, Tokens};
use crate::ids::{ClientActionId, EventId, OperationId, RequestId, Seq, TaskId, Timestamp};
use crate::time::{LocalDate, LocalTime};

/// Version of the state layout. A snapshot of another version is discarded and
/// the state rebuilt from the log.
pub const STATE_VERSION: u32 = 1;

/// Bounds of the working set. Part of the replay contract: the same log with
/// the same `Bounds` gives the same state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Messages kept verbatim in the recent window.
    pub chat_window: usize,
    /// Messages evicted from the window and awaiting a summary, at most.
    pub max_unsummarized: usize,
    /// Completed tasks kept (oldest completions dropped first).
    pub max_done_tasks: usize,
    /// Open tasks allowed; creating more is refused.
    pub max_open_tasks: usize,
    /// Plans kept (oldest dates dropped first).
    pub max_plans: usize,
    /// Finished operations kept for status queries.
    pub max_finished_operations: usize,
    /// Client action ids remembered, at most.
    pub idempotency_entries: usize,
    /// How long a client action id is remembered, in milliseconds (event time).
    pub idempotency_retention_ms: u64,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            chat_window: 40,
            max_unsummarized: 200,
            max_done_tasks: 100,
            max_open_tasks: 1_000,
            max_plans: 14,
            max_finished_operations: 32,
            idempotency_entries: 1_024,
            idempotency_retention_ms: 24 * 60 * 60 * 1000,
        }
    }
}

/// Who wrote a chat message.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// The user.
    User,
    /// The assistant.
    Assistant,
}

/// One chat message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Message {
    /// Seq of the event that recorded it.
    pub seq: Seq,
    /// Author.
    pub role: Role,
    /// Text.
    pub text: String,
    /// Event time.
    pub timestamp: Timestamp,
}

/// The rolling summary of chat context older than the window.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    /// Summary text.
    pub text: String,
    /// Last message it covers.
    pub through_seq: Seq,
}

/// Chat memory.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Chat {
    /// Recent messages, oldest first.
    pub messages: VecDeque<Message>,
    /// Messages evicted from the window, not yet folded into the summary.
    pub unsummarized: VecDeque<Message>,
    /// The rolling summary.
    pub summary: Option<Summary>,
    /// Messages ever recorded.
    pub total_messages: u64,
    /// The summary operation in flight, if any.
    pub summary_in_flight: Option<OperationId>,
}

/// Task status.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum TaskStatus {
    /// To do.
    Open,
    /// Completed.
    Done,
}

/// A task.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Task {
    /// Id.
    pub task_id: TaskId,
    /// Title.
    pub title: String,
    /// Notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub notes: Option<String>,
    /// Due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<LocalDate>,
    /// Open or done.
    pub status: TaskStatus,
    /// Seq of the event that created it.
    pub created_seq: Seq,
    /// Seq of the last event that changed it.
    pub updated_seq: Seq,
}

/// Tasks: all open ones and the most recently completed ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Tasks {
    /// Tasks by id.
    pub items: BTreeMap<TaskId, Task>,
    /// Completed tasks by completion seq (eviction order).
    pub done_order: BTreeMap<Seq, TaskId>,
}

impl Tasks {
    /// Number of open tasks.
    pub fn open_count(&self) -> usize {
        self.items.len() - self.done_order.len()
    }
}

/// The user's settings.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// Minutes east of UTC.
    pub tz_offset_minutes: i32,
    /// Local time of the daily plan, if enabled.
    pub daily_plan_time: Option<LocalTime>,
}

/// A generated plan for one day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Plan {
    /// The day.
    pub date: LocalDate,
    /// Items.
    pub items: Vec<PlanItem>,
    /// Seq of `plan.generated`.
    pub seq: Seq,
}

/// Planner state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Planner {
    /// Settings.
    pub settings: Settings,
    /// Recent plans by date.
    pub plans: BTreeMap<LocalDate, Plan>,
    /// The latest date the daily-plan job fired for.
    pub last_daily_plan: Option<LocalDate>,
}

/// What an operation works on (enough to rebuild its prompt on a retry).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum OperationInput {
    /// Reply to the chat; the prompt is built from chat memory.
    Chat,
    /// Extract tasks from this text.
    ExtractTasks {
        /// The text.
        text: String,
    },
    /// Plan this day.
    DailyPlan {
        /// The day.
        date: LocalDate,
    },
    /// Summarise messages up to this seq.
    Summary {
        /// Last message covered.
        through_seq: Seq,
    },
}

impl OperationInput {
    /// The operation kind.
    pub fn kind(&self) -> OperationKind {
        match self {
            OperationInput::Chat => OperationKind::Chat,
            OperationInput::ExtractTasks { .. } => OperationKind::ExtractTasks,
            OperationInput::DailyPlan { .. } => OperationKind::DailyPlan,
            OperationInput::Summary { .. } => OperationKind::Summary,
        }
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

impl OperationStatus {
    /// True once nothing more will happen to the operation.
    pub fn is_finished(self) -> bool {
        matches!(self, OperationStatus::Completed | OperationStatus::Failed | OperationStatus::Cancelled)
    }
}

/// One LLM operation.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Operation {
    /// Id.
    pub operation_id: OperationId,
    /// What it works on.
    pub input: OperationInput,
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

/// What a remembered client action answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRecord {
    /// The event it recorded.
    pub event_id: EventId,
    /// Its seq.
    pub seq: Seq,
    /// Its time (retention is measured in event time).
    pub timestamp: Timestamp,
}

/// The idempotency window of client action ids.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Idempotency {
    /// Records by client action id.
    pub actions: BTreeMap<ClientActionId, ActionRecord>,
    /// Client action ids by seq, with their time (eviction order).
    pub order: BTreeMap<Seq, (Timestamp, ClientActionId)>,
}

/// The metadata of an envelope the reducer needs (all `Copy`).
#[derive(Clone, Copy)]
struct Meta {
    seq: Seq,
    timestamp: Timestamp,
    event_id: EventId,
    request_id: RequestId,
    operation_id: Option<OperationId>,
}

impl Meta {
    fn of(env: &Envelope) -> Meta {
        Meta {
            seq: env.seq,
            timestamp: env.timestamp,
            event_id: env.event_id,
            request_id: env.request_id,
            operation_id: env.operation_id,
        }
    }
}

/// Everything the state machine knows about one user, derived from the log.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct State {
    /// [`STATE_VERSION`].
    pub version: u32,
    /// Seq of the last applied event.
    pub seq: Seq,
    /// Latest event time seen.
    pub last_timestamp: Timestamp,
    /// Chat memory.
    pub chat: Chat,
    /// Tasks.
    pub tasks: Tasks,
    /// Planner.
    pub planner: Planner,
    /// Operations in flight and recently finished.
    pub operations: BTreeMap<OperationId, Operation>,
    /// Finished operations by request seq (eviction order).
    pub finished_operations: BTreeMap<Seq, OperationId>,
    /// Idempotency window.
    pub idempotency: Idempotency,
}

impl Default for State {
    fn default() -> Self {
        State {
            version: STATE_VERSION,
            seq: Seq::ZERO,
            last_timestamp: Timestamp(0),
            chat: Chat::default(),
            tasks: Tasks::default(),
            planner: Planner::default(),
            operations: BTreeMap::new(),
            finished_operations: BTreeMap::new(),
            idempotency: Idempotency::default(),
        }
    }
}

impl State {
    /// Canonical bytes of the state (compact JSON, ordered maps): what
    /// snapshots store and what replay equality compares.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Operations not yet finished, in id order.
    pub fn operations_in_flight(&self) -> impl Iterator<Item = &Operation> {
        self.operations.values().filter(|o| !o.status.is_finished())
    }

    /// Folds one stored event into the state. Never fails: events that no
    /// longer apply (an update of a deleted task) change nothing.
    pub fn apply(&mut self, env: &Envelope, bounds: &Bounds) {
        self.apply_owned(env.clone(), bounds);
    }

    /// [`State::apply`] for an envelope the caller no longer needs: its
    /// strings move into the state instead of being copied (replay speed).
    pub fn apply_owned(&mut self, env: Envelope, bounds: &Bounds) {
        let m = Meta::of(&env);
        self.seq = m.seq;
        if m.timestamp > self.last_timestamp {
            self.last_timestamp = m.timestamp;
        }
        if let Some(ca) = env.client_action_id {
            self.remember_action(ca, &m, bounds);
        }
        match env.event {
            Event::UserMessage(p) => {
                self.push_message(Role::User, p.text, &m, bounds);
                self.open_operation(&m, OperationInput::Chat);
            }
            Event::AssistantMessage(p) => self.push_message(Role::Assistant, p.text, &m, bounds),
            Event::SettingsUpdated(p) => {
                self.planner.settings =
                    Settings { tz_offset_minutes: p.tz_offset_minutes, daily_plan_time: p.daily_plan_time };
            }
            Event::TaskCreated(p) => {
                let id = p.task_id.unwrap_or(TaskId(m.event_id.0));
                self.create_task(id, p.title, p.notes, p.due_date, m.seq, bounds);
            }
            Event::TaskUpdated(p) => {
                if let Some(t) = self.tasks.items.get_mut(&p.task_id) {
                    if let Some(title) = p.title {
                        t.title = title;
                    }
                    if let Some(n) = p.notes {
                        t.notes = (!n.is_empty()).then_some(n);
                    }
                    if p.due_date.is_some() {
                        t.due_date = p.due_date;
                    }
                    t.updated_seq = m.seq;
                }
            }
            Event::TaskCompleted(p) => {
                if let Some(t) = self.tasks.items.get_mut(&p.task_id) {
                    if t.status == TaskStatus::Open {
                        t.status = TaskStatus::Done;
                        t.updated_seq = m.seq;
                        self.tasks.done_order.insert(m.seq, p.task_id);
                        while self.tasks.done_order.len() > bounds.max_done_tasks {
                            if let Some((_, old)) = self.tasks.done_order.pop_first() {
                                self.tasks.items.remove(&old);
                            }
                        }
                    }
                }
            }
            Event::TaskDeleted(p) => {
                if let Some(t) = self.tasks.items.remove(&p.task_id) {
                    if t.status == TaskStatus::Done {
                        self.tasks.done_order.retain(|_, id| *id != p.task_id);
                    }
                }
            }
            Event::PlanRequested(p) => {
                let date =
                    p.date.unwrap_or_else(|| LocalDate::at(m.timestamp, self.planner.settings.tz_offset_minutes));
                self.open_operation(&m, OperationInput::DailyPlan { date });
            }
            Event::WorkflowDailyPlan(p) => {
                if self.planner.last_daily_plan.is_none_or(|d| d < p.date) {
                    self.planner.last_daily_plan = Some(p.date);
                }
                self.open_operation(&m, OperationInput::DailyPlan { date: p.date });
            }
            Event::PlanGenerated(p) => {
                self.planner.plans.insert(p.date, Plan { date: p.date, items: p.items, seq: m.seq });
                while self.planner.plans.len() > bounds.max_plans {
                    self.planner.plans.pop_first();
                }
            }
            Event::SummaryRequested(_) => {
                let through_seq = self.chat.messages.back().map_or(self.seq, |m| m.seq);
                self.open_operation(&m, OperationInput::Summary { through_seq });
            }
            Event::WorkflowGenerateSummary(p) => {
                self.open_operation(&m, OperationInput::Summary { through_seq: p.through_seq });
            }
            Event::SummaryGenerated(p) => {
                self.chat.summary = Some(Summary { text: p.text, through_seq: p.through_seq });
                self.chat.unsummarized.retain(|m| m.seq > p.through_seq);
            }
            Event::TaskExtract(p) => {
                self.open_operation(&m, OperationInput::ExtractTasks { text: p.text });
            }
            Event::TasksExtracted(p) => {
                for t in p.tasks {
                    self.create_task(t.task_id, t.title, None, t.due_date, m.seq, bounds);
                }
            }
            Event::LlmStarted(p) => {
                if let Some(op) = self.op_mut(&m) {
                    op.status = OperationStatus::Streaming;
                    op.attempt = p.attempt;
                    op.text.clear();
                    op.tokens = 0;
                    op.retry_at = None;
                }
            }
            Event::LlmToken(_) => {} // tokens live in the machine's tail, not in durable state
            Event::LlmCheckpoint(p) => {
                if let Some(op) = self.op_mut(&m) {
                    op.absorb(p.attempt, p.from_index, &p.tokens);
                }
            }
            Event::LlmCompleted(p) => {
                if let Some(op) = self.op_mut(&m) {
                    op.absorb(p.attempt, p.from_index, &p.tokens);
                    op.status = OperationStatus::Completed;
                }
                self.finish_operation(&m, bounds);
            }
            Event::LlmFailed(p) => {
                if let Some(op) = self.op_mut(&m) {
                    op.last_failure = Some(p.code);
                    if p.terminal {
                        op.status = OperationStatus::Failed;
                    }
                }
                if p.terminal {
                    self.finish_operation(&m, bounds);
                }
            }
            Event::LlmRetryScheduled(p) => {
                if let Some(op) = self.op_mut(&m) {
                    op.status = OperationStatus::RetryScheduled;
                    op.retry_at = Some(p.at);
                }
            }
            Event::LlmCancel(p) => {
                if let Some(op) = self.operations.get_mut(&p.operation_id) {
                    if !op.status.is_finished() {
                        op.status = OperationStatus::Cancelled;
                        op.retry_at = None;
                        let op_id = op.operation_id;
                        self.finish(op_id, bounds);
                    }
                }
            }
        }
    }

    fn op_mut(&mut self, m: &Meta) -> Option<&mut Operation> {
        m.operation_id.and_then(|id| self.operations.get_mut(&id))
    }

    fn remember_action(&mut self, ca: ClientActionId, m: &Meta, bounds: &Bounds) {
        let idem = &mut self.idempotency;
        let record = ActionRecord { event_id: m.event_id, seq: m.seq, timestamp: m.timestamp };
        if let Some(old) = idem.actions.insert(ca.clone(), record) {
            idem.order.remove(&old.seq);
        }
        idem.order.insert(m.seq, (m.timestamp, ca));
        let horizon = m.timestamp.0.saturating_sub(bounds.idempotency_retention_ms);
        while let Some((_, (at, _))) = idem.order.first_key_value() {
            if idem.order.len() <= bounds.idempotency_entries && at.0 >= horizon {
                break;
            }
            if let Some((_, (_, id))) = idem.order.pop_first() {
                idem.actions.remove(&id);
            }
        }
    }

    fn push_message(&mut self, role: Role, text: String, m: &Meta, bounds: &Bounds) {
        let chat = &mut self.chat;
        chat.total_messages += 1;
        chat.messages.push_back(Message { seq: m.seq, role, text, timestamp: m.timestamp });
        while chat.messages.len() > bounds.chat_window {
            if let Some(old) = chat.messages.pop_front() {
                chat.unsummarized.push_back(old);
            }
        }
        while chat.unsummarized.len() > bounds.max_unsummarized {
            chat.unsummarized.pop_front();
        }
    }

    fn create_task(
        &mut self,
        id: TaskId,
        title: String,
        notes: Option<String>,
        due_date: Option<LocalDate>,
        seq: Seq,
        bounds: &Bounds,
    ) {
        if self.tasks.items.contains_key(&id) || self.tasks.open_count() >= bounds.max_open_tasks {
            return;
        }
        let notes = notes.filter(|n| !n.is_empty());
        let task =
            Task { task_id: id, title, notes, due_date, status: TaskStatus::Open, created_seq: seq, updated_seq: seq };
        self.tasks.items.insert(id, task);
    }

    fn open_operation(&mut self, m: &Meta, input: OperationInput) {
        let id = m.operation_id.unwrap_or_else(|| OperationId::for_request(m.event_id));
        if matches!(input, OperationInput::Summary { .. }) {
            self.chat.summary_in_flight = Some(id);
        }
        let op = Operation {
            operation_id: id,
            input,
            request_event: m.event_id,
            request_id: m.request_id,
            request_seq: m.seq,
            status: OperationStatus::Pending,
            attempt: 0,
            text: String::new(),
            tokens: 0,
            retry_at: None,
            last_failure: None,
        };
        self.operations.insert(id, op);
    }

    fn finish_operation(&mut self, m: &Meta, bounds: &Bounds) {
        if let Some(id) = m.operation_id {
            self.finish(id, bounds);
        }
    }

    fn finish(&mut self, id: OperationId, bounds: &Bounds) {
        let Some(op) = self.operations.get(&id) else { return };
        self.finished_operations.insert(op.request_seq, id);
        if self.chat.summary_in_flight == Some(id) {
            self.chat.summary_in_flight = None;
        }
        while self.finished_operations.len() > bounds.max_finished_operations {
            if let Some((_, old)) = self.finished_operations.pop_first() {
                self.operations.remove(&old);
            }
        }
    }
}

impl Operation {
    fn absorb(&mut self, attempt: u32, from_index: u32, tokens: &Tokens) {
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
