//! The assistant's state and its reducer: chat memory with a rolling
//! summary, tasks, and the planner.
//!
//! Applying an event has no business logic and cannot fail: decisions were
//! taken before the event was stored ([`crate::Assistant`]'s `decide`). The
//! state is a bounded working set (recent messages, tasks, recent plans);
//! full history stays in the log. Ordered maps only.

use alloc::collections::{BTreeMap, VecDeque};
use alloc::string::String;
use alloc::vec::Vec;

use microcos_core::domain::{Apply, EventMeta};
use microcos_core::ids::{OperationId, Seq, Timestamp};
use microcos_core::time::{LocalDate, LocalTime};
use microcos_core::tz::{TzRule, Zone};
use microcos_core::{Operation, OperationStatus};
use serde::{Deserialize, Serialize};

use crate::event::{ActionId, AssistantEvent, OperationKind, PlanItem, ReminderId, TaskId};

/// Version of the state layout (kernel and assistant parts). A snapshot of
/// another version is discarded and the state rebuilt from the log.
///
/// 2: a cancelled chat reply is kept as a stopped message.
/// 3: reminders, and the assistant's actions (tool calls).
/// 4: settings hold a time zone (its name and recorded rule), not an offset.
pub const STATE_VERSION: u32 = 4;

/// Bounds of the assistant's working set. Part of the replay contract: the
/// same log with the same bounds gives the same state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AssistantBounds {
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
    /// Reminders waiting to fire; setting more is refused.
    pub max_reminders: usize,
    /// Fired reminders kept (oldest dropped first).
    pub max_fired_reminders: usize,
    /// Actions waiting for the user's approval; a reply's actions past it
    /// are rejected (`too_many_actions`).
    pub max_awaiting_actions: usize,
    /// Decided actions kept (oldest dropped first).
    pub max_decided_actions: usize,
}

impl Default for AssistantBounds {
    fn default() -> Self {
        AssistantBounds {
            chat_window: 40,
            max_unsummarized: 200,
            max_done_tasks: 100,
            max_open_tasks: 1_000,
            max_plans: 14,
            max_reminders: 200,
            max_fired_reminders: 50,
            max_awaiting_actions: 20,
            max_decided_actions: 50,
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
    /// A reply the user stopped: the text generated until then.
    #[serde(default, skip_serializing_if = "is_false")]
    pub stopped: bool,
}

fn is_false(b: &bool) -> bool {
    !*b
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
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Settings {
    /// The user's time zone, with the rule it was resolved with when they
    /// chose it (`None`: never chosen; local times are UTC until then).
    pub time_zone: Option<Zone>,
    /// Local time of the daily plan, if enabled.
    pub daily_plan_time: Option<LocalTime>,
    /// The assistant's actions that complete or destroy something wait for
    /// the user's approval.
    #[serde(default = "yes")]
    pub confirm_actions: bool,
}

fn yes() -> bool {
    true
}

impl Default for Settings {
    fn default() -> Self {
        Settings { time_zone: None, daily_plan_time: None, confirm_actions: true }
    }
}

impl Settings {
    /// The rule of the user's local time (UTC until they choose a zone).
    pub fn rule(&self) -> TzRule {
        self.time_zone.as_ref().map_or(TzRule::UTC, |z| *z.rule())
    }

    /// The user's local date at instant `t`.
    pub fn today(&self, t: Timestamp) -> LocalDate {
        self.rule().date_at(t)
    }
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

/// Whether a reminder is still to fire.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ReminderStatus {
    /// Waiting for its due time.
    Scheduled,
    /// It fired (`reminder.fired`); snoozing schedules it again.
    Fired,
}

/// A reminder.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminder {
    /// Id.
    pub reminder_id: ReminderId,
    /// What to remind of.
    pub text: String,
    /// When it fires (or fired).
    pub due: Timestamp,
    /// The task it is about.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<TaskId>,
    /// Scheduled or fired.
    pub status: ReminderStatus,
    /// Seq of the event that set it.
    pub set_seq: Seq,
}

/// Reminders: every scheduled one and the most recently fired ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Reminders {
    /// Reminders by id.
    pub items: BTreeMap<ReminderId, Reminder>,
    /// Fired reminders by the seq of `reminder.fired` (eviction order).
    pub fired_order: BTreeMap<Seq, ReminderId>,
}

impl Reminders {
    /// Reminders waiting to fire.
    pub fn scheduled(&self) -> impl Iterator<Item = &Reminder> {
        self.items.values().filter(|r| r.status == ReminderStatus::Scheduled)
    }

    /// How many wait to fire.
    pub fn scheduled_count(&self) -> usize {
        self.items.len() - self.fired_order.len()
    }

    fn unfire(&mut self, id: ReminderId) {
        self.fired_order.retain(|_, r| *r != id);
    }
}

/// Where a proposed action stands.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ActionStatus {
    /// To be checked against the rules (the next follow-up decides).
    Proposed,
    /// Waits for the user's `action.approved` or `action.declined`.
    AwaitingApproval,
    /// Passed the rules; the equivalent event was recorded.
    Applied,
    /// Broke a rule, or its arguments were unusable.
    Rejected {
        /// The error code.
        code: String,
        /// Why.
        message: String,
        /// The failing field.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        field: Option<String>,
    },
    /// The user declined it.
    Declined,
}

impl ActionStatus {
    /// True once nothing more will happen to the action.
    pub fn is_decided(&self) -> bool {
        !matches!(self, ActionStatus::Proposed | ActionStatus::AwaitingApproval)
    }
}

/// An action the assistant proposed (a tool call of its reply).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Action {
    /// Id.
    pub action_id: ActionId,
    /// The tool.
    pub tool: String,
    /// Its arguments (JSON text).
    pub arguments: String,
    /// Where it stands.
    pub status: ActionStatus,
    /// Seq of the reply that proposed it.
    pub proposed_seq: Seq,
    /// Its place among that reply's calls.
    #[serde(default)]
    pub index: u32,
}

impl Action {
    /// The order actions were proposed in.
    pub fn order(&self) -> (Seq, u32) {
        (self.proposed_seq, self.index)
    }
}

/// The assistant's actions: the undecided ones and the recently decided ones.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Actions {
    /// Actions by id.
    pub items: BTreeMap<ActionId, Action>,
    /// Decided actions by the seq that decided them (eviction order).
    pub decided_order: BTreeMap<Seq, ActionId>,
}

impl Actions {
    /// The next action to check against the rules, if any (in proposal order).
    pub fn next_proposed(&self) -> Option<&Action> {
        self.items.values().filter(|a| a.status == ActionStatus::Proposed).min_by_key(|a| a.order())
    }

    /// How many wait for the user's approval.
    pub fn awaiting(&self) -> usize {
        self.items.values().filter(|a| a.status == ActionStatus::AwaitingApproval).count()
    }

    fn decide(&mut self, id: ActionId, status: ActionStatus, seq: Seq, bounds: &AssistantBounds) {
        let Some(a) = self.items.get_mut(&id) else { return };
        if a.status.is_decided() {
            return;
        }
        a.status = status;
        self.decided_order.insert(seq, id);
        while self.decided_order.len() > bounds.max_decided_actions {
            if let Some((_, old)) = self.decided_order.pop_first() {
                self.items.remove(&old);
            }
        }
    }
}

/// Tools whose action completes or destroys something: they wait for the
/// user's approval when the user's settings ask for it.
pub const TOOLS_NEEDING_APPROVAL: &[&str] = &["complete_task"];

/// The assistant's part of a user's state.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct AssistantState {
    /// Chat memory.
    pub chat: Chat,
    /// Tasks.
    pub tasks: Tasks,
    /// Planner.
    pub planner: Planner,
    /// Reminders.
    pub reminders: Reminders,
    /// The assistant's actions.
    pub actions: Actions,
}

/// What an operation works on (enough to rebuild its prompt on a retry).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum AssistantOperation {
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

impl AssistantOperation {
    /// The operation kind.
    pub fn kind(&self) -> OperationKind {
        match self {
            AssistantOperation::Chat => OperationKind::Chat,
            AssistantOperation::ExtractTasks { .. } => OperationKind::ExtractTasks,
            AssistantOperation::DailyPlan { .. } => OperationKind::DailyPlan,
            AssistantOperation::Summary { .. } => OperationKind::Summary,
        }
    }
}

impl microcos_core::OperationInput for AssistantOperation {
    fn kind(&self) -> &'static str {
        AssistantOperation::kind(self).as_str()
    }
}

impl AssistantState {
    /// Folds one stored assistant event. Never fails: events that no longer
    /// apply (an update of a deleted task) change nothing.
    pub fn apply(&mut self, event: AssistantEvent, bounds: &AssistantBounds, cx: &mut Apply<'_, AssistantOperation>) {
        let m = *cx.meta();
        match event {
            AssistantEvent::UserMessage(p) => {
                self.push_message(Role::User, p.text, &m, bounds);
                cx.open_operation(AssistantOperation::Chat);
            }
            AssistantEvent::AssistantMessage(p) => {
                if !p.text.trim().is_empty() || p.actions.is_empty() {
                    self.push_message(Role::Assistant, p.text, &m, bounds);
                }
                let confirm = self.planner.settings.confirm_actions;
                for (index, a) in p.actions.into_iter().enumerate() {
                    if self.actions.items.contains_key(&a.action_id) {
                        continue;
                    }
                    // Guarded tools wait when the settings ask; what pasted
                    // text or risky arguments propose waits whatever they say.
                    let guarded = confirm && TOOLS_NEEDING_APPROVAL.contains(&a.tool.as_str());
                    let status = if guarded || p.untrusted_input || crate::actions::risky(&a.arguments) {
                        ActionStatus::AwaitingApproval
                    } else {
                        ActionStatus::Proposed
                    };
                    let id = a.action_id;
                    let over = status == ActionStatus::AwaitingApproval
                        && self.actions.awaiting() >= bounds.max_awaiting_actions;
                    let action = Action {
                        action_id: id,
                        tool: a.tool,
                        arguments: a.arguments,
                        status,
                        proposed_seq: m.seq,
                        index: index as u32,
                    };
                    self.actions.items.insert(id, action);
                    if over {
                        let message =
                            alloc::format!("at most {} actions may wait for approval", bounds.max_awaiting_actions);
                        let status = ActionStatus::Rejected { code: "too_many_actions".into(), message, field: None };
                        self.actions.decide(id, status, m.seq, bounds);
                    }
                }
            }
            AssistantEvent::SettingsUpdated(p) => {
                self.planner.settings = Settings {
                    time_zone: crate::zone::recorded(&p).or_else(|| self.planner.settings.time_zone.take()),
                    daily_plan_time: p.daily_plan_time,
                    confirm_actions: p.confirm_actions.unwrap_or(true),
                };
            }
            AssistantEvent::ActionApplied(p) => self.actions.decide(p.action_id, ActionStatus::Applied, m.seq, bounds),
            AssistantEvent::ActionRejected(p) => {
                let status = ActionStatus::Rejected { code: p.code, message: p.message, field: p.field };
                self.actions.decide(p.action_id, status, m.seq, bounds);
            }
            AssistantEvent::ActionApproved(p) => {
                if let Some(a) = self.actions.items.get_mut(&p.action_id) {
                    if a.status == ActionStatus::AwaitingApproval {
                        a.status = ActionStatus::Proposed;
                    }
                }
            }
            AssistantEvent::ActionDeclined(p) => {
                let awaiting =
                    self.actions.items.get(&p.action_id).is_some_and(|a| a.status == ActionStatus::AwaitingApproval);
                if awaiting {
                    self.actions.decide(p.action_id, ActionStatus::Declined, m.seq, bounds);
                }
            }
            AssistantEvent::TaskCreated(p) => {
                let id = p.task_id.unwrap_or(TaskId(m.event_id.0));
                self.create_task(id, p.title, p.notes, p.due_date, m.seq, bounds);
            }
            AssistantEvent::TaskUpdated(p) => {
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
            AssistantEvent::TaskCompleted(p) => {
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
            AssistantEvent::TaskReopened(p) => {
                let open = self.tasks.open_count();
                if let Some(t) = self.tasks.items.get_mut(&p.task_id) {
                    if t.status == TaskStatus::Done && open < bounds.max_open_tasks {
                        t.status = TaskStatus::Open;
                        t.updated_seq = m.seq;
                        self.tasks.done_order.retain(|_, id| *id != p.task_id);
                    }
                }
            }
            AssistantEvent::TaskDeleted(p) => {
                if let Some(t) = self.tasks.items.remove(&p.task_id) {
                    if t.status == TaskStatus::Done {
                        self.tasks.done_order.retain(|_, id| *id != p.task_id);
                    }
                }
            }
            AssistantEvent::PlanRequested(p) => {
                let date = p.date.unwrap_or_else(|| self.planner.settings.today(m.timestamp));
                cx.open_operation(AssistantOperation::DailyPlan { date });
            }
            AssistantEvent::WorkflowDailyPlan(p) => {
                if self.planner.last_daily_plan.is_none_or(|d| d < p.date) {
                    self.planner.last_daily_plan = Some(p.date);
                }
                cx.open_operation(AssistantOperation::DailyPlan { date: p.date });
            }
            AssistantEvent::PlanGenerated(p) => {
                self.planner.plans.insert(p.date, Plan { date: p.date, items: p.items, seq: m.seq });
                while self.planner.plans.len() > bounds.max_plans {
                    self.planner.plans.pop_first();
                }
            }
            AssistantEvent::SummaryRequested(_) => {
                let through_seq = self.chat.messages.back().map_or(m.seq, |m| m.seq);
                let id = cx.open_operation(AssistantOperation::Summary { through_seq });
                self.chat.summary_in_flight = Some(id);
            }
            AssistantEvent::WorkflowGenerateSummary(p) => {
                let id = cx.open_operation(AssistantOperation::Summary { through_seq: p.through_seq });
                self.chat.summary_in_flight = Some(id);
            }
            AssistantEvent::SummaryGenerated(p) => {
                self.chat.summary = Some(Summary { text: p.text, through_seq: p.through_seq });
                self.chat.unsummarized.retain(|m| m.seq > p.through_seq);
            }
            AssistantEvent::ChatRegenerate(_) => {
                // The reply being replaced: every message after the last of
                // the user's (the decision made sure there is one).
                while self.chat.messages.back().is_some_and(|m| m.role == Role::Assistant) {
                    self.chat.messages.pop_back();
                }
                cx.open_operation(AssistantOperation::Chat);
            }
            AssistantEvent::ChatCleared(_) => {
                let chat = &mut self.chat;
                chat.messages.clear();
                chat.unsummarized.clear();
                chat.summary = None;
            }
            AssistantEvent::TaskExtract(p) => {
                cx.open_operation(AssistantOperation::ExtractTasks { text: p.text });
            }
            AssistantEvent::TasksExtracted(p) => {
                for t in p.tasks {
                    self.create_task(t.task_id, t.title, None, t.due_date, m.seq, bounds);
                }
            }
            AssistantEvent::ReminderSet(p) => {
                let id = p.reminder_id.unwrap_or(ReminderId(m.event_id.0));
                let reminders = &mut self.reminders;
                if reminders.items.contains_key(&id) || reminders.scheduled_count() >= bounds.max_reminders {
                    return;
                }
                let due = crate::zone::reminder_due(&p, &self.planner.settings, m.timestamp);
                let reminder = Reminder {
                    reminder_id: id,
                    text: p.text,
                    due,
                    task_id: p.task_id,
                    status: ReminderStatus::Scheduled,
                    set_seq: m.seq,
                };
                reminders.items.insert(id, reminder);
            }
            AssistantEvent::ReminderSnoozed(p) => {
                if let Some(r) = self.reminders.items.get_mut(&p.reminder_id) {
                    r.due = m.timestamp.plus_ms(u64::from(p.minutes) * 60_000);
                    if r.status == ReminderStatus::Fired {
                        r.status = ReminderStatus::Scheduled;
                        self.reminders.unfire(p.reminder_id);
                    }
                }
            }
            AssistantEvent::ReminderCancelled(p) => {
                if self.reminders.items.remove(&p.reminder_id).is_some_and(|r| r.status == ReminderStatus::Fired) {
                    self.reminders.unfire(p.reminder_id);
                }
            }
            AssistantEvent::ReminderFired(p) => {
                let reminders = &mut self.reminders;
                if let Some(r) = reminders.items.get_mut(&p.reminder_id) {
                    if r.status == ReminderStatus::Scheduled && r.due == p.due {
                        r.status = ReminderStatus::Fired;
                        reminders.fired_order.insert(m.seq, p.reminder_id);
                        while reminders.fired_order.len() > bounds.max_fired_reminders {
                            if let Some((_, old)) = reminders.fired_order.pop_first() {
                                reminders.items.remove(&old);
                            }
                        }
                    }
                }
            }
        }
    }

    /// An operation finished: a summary may be asked for again, and a chat
    /// reply the user stopped stays in the chat, marked stopped, with the
    /// text shown until then (the kernel stores it before the cancel).
    pub fn operation_finished(
        &mut self,
        operation: &Operation<AssistantOperation>,
        m: &EventMeta,
        bounds: &AssistantBounds,
    ) {
        if self.chat.summary_in_flight == Some(operation.operation_id) {
            self.chat.summary_in_flight = None;
        }
        let stopped = operation.status == OperationStatus::Cancelled && !operation.text.is_empty();
        if stopped && operation.input == AssistantOperation::Chat {
            self.push_message(Role::Assistant, operation.text.clone(), m, bounds);
            if let Some(last) = self.chat.messages.back_mut() {
                last.stopped = true;
            }
        }
    }

    fn push_message(&mut self, role: Role, text: String, m: &EventMeta, bounds: &AssistantBounds) {
        let chat = &mut self.chat;
        chat.total_messages += 1;
        chat.messages.push_back(Message { seq: m.seq, role, text, timestamp: m.timestamp, stopped: false });
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
        bounds: &AssistantBounds,
    ) {
        if self.tasks.items.contains_key(&id) || self.tasks.open_count() >= bounds.max_open_tasks {
            return;
        }
        let notes = notes.filter(|n| !n.is_empty());
        let task =
            Task { task_id: id, title, notes, due_date, status: TaskStatus::Open, created_seq: seq, updated_seq: seq };
        self.tasks.items.insert(id, task);
    }
}
