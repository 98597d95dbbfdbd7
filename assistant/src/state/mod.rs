//! The assistant's state and its reducer: chat memory with a rolling
//! summary, tasks, the planner, reminders and the assistant's actions, each
//! a sub-state in a module of its own with the events it folds.
//!
//! Applying an event has no business logic and cannot fail: decisions were
//! taken before the event was stored ([`crate::Assistant`]'s `decide`). The
//! state is a bounded working set (recent messages, tasks, recent plans);
//! full history stays in the log. Ordered maps only.
//!
//! # Layout
//!
//! - this file: the bounds, [`AssistantState`], [`AssistantOperation`] and
//!   the dispatch of each event to the sub-state it concerns;
//! - `chat.rs`: [`Chat`] (messages, the rolling summary);
//! - `tasks.rs`: [`Tasks`];
//! - `planner.rs`: [`Planner`] (settings, plans);
//! - `reminders.rs`: [`Reminders`];
//! - `actions.rs`: [`Actions`] (the assistant's tool calls).

use alloc::collections::BTreeMap;
use alloc::string::String;

use microcos_core::time::LocalDate;
use microcos_core::EventMeta;
use microcos_core::Operation;
use microcos_core::Seq;
use serde::{Deserialize, Serialize};

use crate::event::{AssistantEvent, OperationKind};

mod actions;
mod chat;
mod planner;
mod reminders;
mod tasks;

pub use actions::{Action, ActionStatus, Actions, TOOLS_NEEDING_APPROVAL};
pub use chat::{Chat, Message, Role, Summary};
pub use planner::{Plan, Planner, Settings};
pub use reminders::{Reminder, ReminderStatus, Reminders};
pub use tasks::{Task, TaskStatus, Tasks};

/// Version of the state layout (kernel and assistant parts). A snapshot of
/// another version is discarded and the state rebuilt from the log.
///
/// 2: a cancelled chat reply is kept as a stopped message.
/// 3: reminders, and the assistant's actions (tool calls).
/// 4: settings hold a time zone (its name and recorded rule), not an offset;
///    since, the chat also knows the replies being written
///    (`Chat::replies_in_flight`, absent when empty, so the golden state's
///    bytes stay as they were: a version-4 snapshot taken by an earlier
///    build while a reply streamed lacks it, and lets a regenerate or clear
///    through while that one reply ends).
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
    /// Actions waiting for the user's approval; past it, the newest are
    /// rejected by a recorded follow-up (`too_many_actions`).
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
    /// The operation an assistant event opens, if it opens one (the event's
    /// type says whether: [`crate::AssistantEventType::starts_operation`]),
    /// with what it works on, read from the state before the event.
    pub fn opens(&self, event: &AssistantEvent, m: &EventMeta) -> Option<AssistantOperation> {
        use AssistantEvent as E;
        Some(match event {
            E::UserMessage(_) | E::ChatRegenerate(_) => AssistantOperation::Chat,
            E::SummaryRequested(_) => {
                AssistantOperation::Summary { through_seq: self.chat.messages.back().map_or(m.seq, |m| m.seq) }
            }
            E::WorkflowGenerateSummary(p) => AssistantOperation::Summary { through_seq: p.through_seq },
            E::PlanRequested(p) => AssistantOperation::DailyPlan {
                date: p.date.unwrap_or_else(|| self.planner.settings.today(m.timestamp)),
            },
            E::WorkflowDailyPlan(p) => AssistantOperation::DailyPlan { date: p.date },
            E::TaskExtract(p) => AssistantOperation::ExtractTasks { text: p.text.clone() },
            _ => return None,
        })
    }

    /// Folds one stored assistant event into the sub-state it concerns.
    /// Never fails: events that no longer apply (an update of a deleted
    /// task) change nothing.
    pub fn apply(&mut self, event: AssistantEvent, bounds: &AssistantBounds, m: &EventMeta) {
        let m = *m;
        use AssistantEvent as E;
        match event {
            E::UserMessage(p) => {
                self.chat.user_message(p, &m, bounds);
                self.chat.reply_opened(m.opened_operation());
            }
            E::AssistantMessage(p) => {
                self.chat.assistant_message(&p.text, p.actions.is_empty(), &m, bounds);
                self.actions.proposed(p, self.planner.settings.confirm_actions, &m);
            }
            E::ChatRegenerate(_) => {
                self.chat.regenerate();
                self.chat.reply_opened(m.opened_operation());
            }
            E::ChatCleared(_) => self.chat.clear(),
            E::SummaryRequested(_) | E::WorkflowGenerateSummary(_) => {
                self.chat.summary_in_flight = Some(m.opened_operation());
            }
            E::SummaryGenerated(p) => self.chat.summary_generated(p),
            E::SettingsUpdated(p) => self.planner.settings_updated(&p),
            E::PlanRequested(_) => {}
            E::WorkflowDailyPlan(p) => self.planner.daily_plan_fired(p.date),
            E::PlanGenerated(p) => self.planner.plan_generated(p, &m, bounds),
            E::TaskCreated(p) => self.tasks.created(p, &m, bounds),
            E::TaskUpdated(p) => self.tasks.updated(p, &m),
            E::TaskCompleted(p) => self.tasks.completed(p.task_id, &m, bounds),
            E::TaskReopened(p) => self.tasks.reopened(p.task_id, &m, bounds),
            E::TaskDeleted(p) => self.tasks.deleted(p.task_id),
            E::TaskExtract(_) => {}
            E::TasksExtracted(p) => self.tasks.extracted(p, &m, bounds),
            E::ReminderSet(p) => self.reminders.set(p, &self.planner.settings, &m, bounds),
            E::ReminderSnoozed(p) => self.reminders.snoozed(p, &m),
            E::ReminderCancelled(p) => self.reminders.cancelled(p.reminder_id),
            E::ReminderFired(p) => self.reminders.fired(p, &m, bounds),
            E::ActionApplied(p) => self.actions.decide(p.action_id, ActionStatus::Applied, m.seq, bounds),
            E::ActionRejected(p) => {
                let status = ActionStatus::Rejected { code: p.code, message: p.message, field: p.field };
                self.actions.decide(p.action_id, status, m.seq, bounds);
            }
            E::ActionApproved(p) => self.actions.approved(p.action_id),
            E::ActionDeclined(p) => self.actions.declined(p.action_id, &m, bounds),
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
        self.chat.operation_finished(operation, m, bounds);
    }
}

/// Keeps a map of decided (done, fired…) items bounded: the oldest by the
/// seq that decided them leaves `order`, and `items` with it.
fn evict_oldest<K: Ord, V>(order: &mut BTreeMap<Seq, K>, items: &mut BTreeMap<K, V>, max: usize) {
    while order.len() > max {
        if let Some((_, old)) = order.pop_first() {
            items.remove(&old);
        }
    }
}
