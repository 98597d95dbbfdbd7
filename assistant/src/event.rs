//! The assistant's event catalogue: chat, settings, tasks, plans, summaries,
//! task extraction, reminders, and the assistant's own actions (tool calls). Wire names and payloads are API v1: never change one.

use alloc::string::String;
use alloc::vec::Vec;

use microcos_core::time::{LocalDate, LocalTime};
use microcos_core::{Seq, Timestamp};
use serde::{Deserialize, Serialize};

microcos_core::uuid_id!(
    /// Id of a task.
    pub TaskId
);

/// The id derived from operation `op`, an index in its output and `kind`
/// (the name: the operation's 16 bytes, the index's 8 big-endian bytes, then
/// `kind`), so that ids of different kinds never meet.
fn derived_from(op: microcos_core::OperationId, index: usize, kind: &[u8]) -> microcos_core::uuid::Uuid {
    let mut name = [0u8; 25];
    name[..16].copy_from_slice(op.0.as_bytes());
    name[16..24].copy_from_slice(&(index as u64).to_be_bytes());
    name[24..24 + kind.len()].copy_from_slice(kind);
    microcos_core::derive_uuid(&name[..24 + kind.len()])
}

impl TaskId {
    /// Deterministic id of the `index`-th task extracted by operation `op`.
    pub fn extracted(op: microcos_core::OperationId, index: usize) -> Self {
        TaskId(derived_from(op, index, b""))
    }
}

microcos_core::uuid_id!(
    /// Id of a reminder.
    pub ReminderId
);

microcos_core::uuid_id!(
    /// Id of an action the assistant proposed (one tool call of a reply).
    pub ActionId
);

impl ActionId {
    /// Deterministic id of the `index`-th tool call of operation `op`'s reply.
    pub fn of_call(op: microcos_core::OperationId, index: usize) -> Self {
        // `a`: not a task id of the same operation and index.
        ActionId(derived_from(op, index, b"a"))
    }
}

microcos_core::__schema_derive! {
/// One tool call of the assistant's reply: what it proposes to do. It takes
/// effect (`action.applied` and the equivalent event) only once the same
/// rules as for the equivalent client event pass; otherwise it is recorded
/// as `action.rejected`, with the reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ProposedAction {
    /// Its id ([`ActionId::of_call`]).
    pub action_id: ActionId,
    /// The tool called: `create_task`, `complete_task`, `set_reminder` or `plan_day`.
    pub tool: String,
    /// The call's arguments, the text of a JSON object as the model wrote it.
    pub arguments: String,
}
}

pub(crate) fn is_false(b: &bool) -> bool {
    !*b
}

microcos_core::__schema_derive! {
/// One item of a daily plan.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PlanItem {
    /// Local start time, if the plan gives one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time: Option<LocalTime>,
    /// What to do.
    pub title: String,
    /// The task this item works on, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub task_id: Option<TaskId>,
}
}

microcos_core::__schema_derive! {
/// One task found by task extraction.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExtractedTask {
    /// Deterministic id ([`TaskId::extracted`]).
    pub task_id: TaskId,
    /// Title of the task.
    pub title: String,
    /// Due date, if one was found.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub due_date: Option<LocalDate>,
}
}

microcos_core::payload!(/// `user.message`: the user says something to the assistant.
UserMessage { /// The message text.
text: String });
microcos_core::payload!(/// `settings.updated`: replaces the user's settings.
///
/// The zone is `time_zone`, a name of the time-zone database or a fixed
/// offset `±HH:MM`; the service records the rule it resolves the name with
/// in `time_zone_rule`, so replay never looks the name up. An older client's
/// `tz_offset_minutes` is read as the fixed-offset zone of that offset.
SettingsUpdated {
    /// The user's time zone: `"Europe/Berlin"`, `"UTC"`, `"+05:30"`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time_zone: Option<String>,
    /// The POSIX TZ rule `time_zone` was resolved with, recorded by the
    /// service when it accepts the event ([`microcos_core::Domain::prepare`]);
    /// not sent by clients.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    #[cfg_attr(feature = "schema", schemars(skip))]
    time_zone_rule: Option<String>,
    /// Older form of the zone: minutes east of UTC, -720..=840, read as the
    /// fixed-offset zone `±HH:MM`. Give `time_zone` or this, not both.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tz_offset_minutes: Option<i32>,
    /// Local time of the daily plan; absent or null turns it off.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    daily_plan_time: Option<LocalTime>,
    /// Whether the assistant's actions that complete or destroy something
    /// wait for the user's approval (absent: true).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    confirm_actions: Option<bool>,
});
microcos_core::payload!(/// `assistant.message`: the assistant's final reply (envelope carries the operation).
AssistantMessage {
    /// The whole reply.
    text: String,
    /// The tools it called, in order (absent: none).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    actions: Vec<ProposedAction>,
    /// The message it answers holds text the user did not write as an
    /// instruction (quoted or pasted: an email, a forwarded thread), so
    /// every action of the reply waits for approval. Decided when the reply
    /// is recorded ([`crate::actions::pasted`]); absent: false.
    #[serde(default, skip_serializing_if = "crate::event::is_false")]
    untrusted_input: bool,
});
microcos_core::payload!(/// `task.created`.
TaskCreated {
    /// Client-chosen id; when absent the task's id is the event's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    task_id: Option<TaskId>,
    /// Title.
    title: String,
    /// Free-form notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
    /// Due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    due_date: Option<LocalDate>,
});
microcos_core::payload!(/// `task.updated`: changes the given fields, leaves the others.
TaskUpdated {
    /// The task.
    task_id: TaskId,
    /// New title.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    title: Option<String>,
    /// New notes.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    notes: Option<String>,
    /// New due date.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    due_date: Option<LocalDate>,
});
microcos_core::payload!(/// `task.completed`.
TaskCompleted { /// The task.
task_id: TaskId });
microcos_core::payload!(/// `task.reopened`: a done task is open again (an undo of `task.completed`).
TaskReopened { /// The task.
task_id: TaskId });
microcos_core::payload!(/// `task.deleted`.
TaskDeleted { /// The task.
task_id: TaskId });
microcos_core::payload!(/// `plan.requested`: plan a day now (default: the user's local today).
PlanRequested {
    /// The day to plan.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date: Option<LocalDate>,
});
microcos_core::payload!(/// `workflow.daily_plan`: the daily-plan job fired for `date`.
WorkflowDailyPlan { /// The local date planned.
date: LocalDate });
microcos_core::payload!(/// `plan.generated`: the result of a daily-plan operation.
PlanGenerated {
    /// The local date planned.
    date: LocalDate,
    /// The plan.
    items: Vec<PlanItem>,
});
microcos_core::payload!(/// `summary.requested`: summarise old chat context now.
SummaryRequested {});
microcos_core::payload!(/// `workflow.generate_summary`: summarise messages up to `through_seq`.
WorkflowGenerateSummary { /// Last message covered.
through_seq: Seq });
microcos_core::payload!(/// `summary.generated`: the new rolling summary.
SummaryGenerated {
    /// Summary text (replaces the previous one, which it folds in).
    text: String,
    /// Last message covered.
    through_seq: Seq,
});
microcos_core::payload!(/// `chat.regenerate`: answer the user's last message again. The reply
/// after it (if any) leaves the conversation and a new one is written.
ChatRegenerate {});
microcos_core::payload!(/// `chat.cleared`: the conversation starts afresh: its messages and its
/// summary leave the assistant's memory (the log keeps them).
ChatCleared {});
microcos_core::payload!(/// `task.extract`: find tasks in a text.
TaskExtract { /// The text to read.
text: String });
microcos_core::payload!(/// `tasks.extracted`: tasks found by an extraction operation; each is created.
TasksExtracted { /// The tasks.
tasks: Vec<ExtractedTask> });

microcos_core::payload!(/// `reminder.set`: remind the user of `text` at a time: `at` (ms since the
/// epoch), or `time` (`HH:MM`) on `date` (default: the user's local today) in
/// the user's time zone.
ReminderSet {
    /// Client-chosen id; when absent the reminder's id is the event's id.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    reminder_id: Option<ReminderId>,
    /// What to remind of.
    text: String,
    /// When, in ms since the epoch (or give `time`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    at: Option<Timestamp>,
    /// The local day of `time` (default: today in the user's time zone).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    date: Option<LocalDate>,
    /// When, as a local time in the user's time zone (or give `at`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    time: Option<LocalTime>,
    /// The task it is about, if any.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    task_id: Option<TaskId>,
});
microcos_core::payload!(/// `reminder.snoozed`: the reminder fires again `minutes` from now.
ReminderSnoozed {
    /// The reminder.
    reminder_id: ReminderId,
    /// Minutes from now, 1..=10080 (a week).
    minutes: u32,
});
microcos_core::payload!(/// `reminder.cancelled`: the reminder is dropped.
ReminderCancelled { /// The reminder.
reminder_id: ReminderId });
microcos_core::payload!(/// `reminder.fired`: a reminder came due (a job with an id derived from the
/// reminder and its due time: it fires once per due time).
ReminderFired {
    /// The reminder.
    reminder_id: ReminderId,
    /// The due time that fired.
    due: Timestamp,
});

microcos_core::payload!(/// `action.applied`: a proposed action passed the rules; the equivalent event follows it.
ActionApplied { /// The action.
action_id: ActionId });
microcos_core::payload!(/// `action.rejected`: a proposed action broke a rule (or its arguments were unusable).
ActionRejected {
    /// The action.
    action_id: ActionId,
    /// The error code the equivalent client event would have got.
    code: String,
    /// Why.
    message: String,
    /// The failing field, if one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    field: Option<String>,
});
microcos_core::payload!(/// `action.approved`: the user lets an action that waits for approval go ahead.
ActionApproved { /// The action.
action_id: ActionId });
microcos_core::payload!(/// `action.declined`: the user refuses an action that waits for approval.
ActionDeclined { /// The action.
action_id: ActionId });

microcos_core::catalogue! {
    /// Every event type of the assistant, with its typed payload.
    pub enum AssistantEvent / AssistantEventType {
        /// `user.message`.
        UserMessage(UserMessage) = "user.message", Client;
        /// `assistant.message`.
        AssistantMessage(AssistantMessage) = "assistant.message", System;
        /// `settings.updated`.
        SettingsUpdated(SettingsUpdated) = "settings.updated", Client;
        /// `task.created`.
        TaskCreated(TaskCreated) = "task.created", Client;
        /// `task.updated`.
        TaskUpdated(TaskUpdated) = "task.updated", Client;
        /// `task.completed`.
        TaskCompleted(TaskCompleted) = "task.completed", Client;
        /// `task.deleted`.
        TaskDeleted(TaskDeleted) = "task.deleted", Client;
        /// `task.reopened`.
        TaskReopened(TaskReopened) = "task.reopened", Client;
        /// `plan.requested`.
        PlanRequested(PlanRequested) = "plan.requested", Client;
        /// `workflow.daily_plan`.
        WorkflowDailyPlan(WorkflowDailyPlan) = "workflow.daily_plan", System;
        /// `plan.generated`.
        PlanGenerated(PlanGenerated) = "plan.generated", System;
        /// `summary.requested`.
        SummaryRequested(SummaryRequested) = "summary.requested", Client;
        /// `workflow.generate_summary`.
        WorkflowGenerateSummary(WorkflowGenerateSummary) = "workflow.generate_summary", System;
        /// `summary.generated`.
        SummaryGenerated(SummaryGenerated) = "summary.generated", System;
        /// `task.extract`.
        TaskExtract(TaskExtract) = "task.extract", Client;
        /// `chat.regenerate`.
        ChatRegenerate(ChatRegenerate) = "chat.regenerate", Client;
        /// `chat.cleared`.
        ChatCleared(ChatCleared) = "chat.cleared", Client;
        /// `tasks.extracted`.
        TasksExtracted(TasksExtracted) = "tasks.extracted", System;
        /// `reminder.set`.
        ReminderSet(ReminderSet) = "reminder.set", Client;
        /// `reminder.snoozed`.
        ReminderSnoozed(ReminderSnoozed) = "reminder.snoozed", Client;
        /// `reminder.cancelled`.
        ReminderCancelled(ReminderCancelled) = "reminder.cancelled", Client;
        /// `reminder.fired`.
        ReminderFired(ReminderFired) = "reminder.fired", System;
        /// `action.applied`.
        ActionApplied(ActionApplied) = "action.applied", System;
        /// `action.rejected`.
        ActionRejected(ActionRejected) = "action.rejected", System;
        /// `action.approved`.
        ActionApproved(ActionApproved) = "action.approved", Client;
        /// `action.declined`.
        ActionDeclined(ActionDeclined) = "action.declined", Client;
    }
}

/// An assistant envelope.
pub type Envelope = microcos_core::Envelope<AssistantEvent>;
/// An assistant event: the kernel's `llm.*` or the assistant's own.
pub type Event = microcos_core::Event<AssistantEvent>;
/// An assistant event type.
pub type EventType = microcos_core::EventType<AssistantEventType>;

impl AssistantEventType {
    /// What operation an event of this type opens, if any.
    pub const fn starts_operation(self) -> Option<OperationKind> {
        match self {
            AssistantEventType::UserMessage | AssistantEventType::ChatRegenerate => Some(OperationKind::Chat),
            AssistantEventType::TaskExtract => Some(OperationKind::ExtractTasks),
            AssistantEventType::PlanRequested | AssistantEventType::WorkflowDailyPlan => Some(OperationKind::DailyPlan),
            AssistantEventType::SummaryRequested | AssistantEventType::WorkflowGenerateSummary => {
                Some(OperationKind::Summary)
            }
            _ => None,
        }
    }
}

/// What an assistant operation produces.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
#[serde(rename_all = "snake_case")]
pub enum OperationKind {
    /// The assistant's reply to a `user.message`.
    Chat,
    /// Tasks extracted from text (`task.extract`).
    ExtractTasks,
    /// A daily plan (`plan.requested` or the `workflow.daily_plan` job).
    DailyPlan,
    /// A rolling summary of old chat context.
    Summary,
}

impl OperationKind {
    /// The snake_case name (what `llm.started` records).
    pub const fn as_str(self) -> &'static str {
        match self {
            OperationKind::Chat => "chat",
            OperationKind::ExtractTasks => "extract_tasks",
            OperationKind::DailyPlan => "daily_plan",
            OperationKind::Summary => "summary",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use microcos_core::derive_uuid;
    use microcos_core::OperationId;

    #[test]
    fn derived_ids_keep_their_names() {
        let op = OperationId(microcos_core::uuid::Uuid::from_u128(0x0123_4567_89ab_cdef_0011_2233_4455_6677));
        let mut name = [0u8; 25];
        name[..16].copy_from_slice(op.0.as_bytes());
        name[16..24].copy_from_slice(&7u64.to_be_bytes());
        assert_eq!(TaskId::extracted(op, 7).0, derive_uuid(&name[..24]));
        name[24] = b'a';
        assert_eq!(ActionId::of_call(op, 7).0, derive_uuid(&name));
        assert_ne!(TaskId::extracted(op, 7).0, ActionId::of_call(op, 7).0);
    }
}
