//! What clients see: the JSON view of a user's state served by
//! `GET /v1/snapshot` (messages, tasks, the current plan, settings, the
//! summary, reminders; the kernel adds the operations in flight with their partial text).

use alloc::vec::Vec;

use microcos_core::time::{LocalDate, LocalTime};
use microcos_core::{Seq, Timestamp};
use serde::Serialize;

use alloc::string::String;

use crate::event::{ActionId, PlanItem, ReminderId, TaskId};
use crate::state::{ActionStatus, ReminderStatus, Role, TaskStatus};
use crate::AssistantState;

/// The client view of the state.
#[derive(Serialize)]
pub struct StateView<'a> {
    /// Recent messages, oldest first.
    pub messages: Vec<MessageView<'a>>,
    /// Open tasks by due date (undated last), then creation; below them the
    /// recently completed ones, the last completed first.
    pub tasks: Vec<TaskView<'a>>,
    /// Today's plan in the user's time zone, else the latest one.
    pub plan: Option<PlanView<'a>>,
    /// Settings.
    pub settings: SettingsView<'a>,
    /// The rolling summary of older conversation.
    pub summary: Option<&'a str>,
    /// Scheduled and recently fired reminders, by due time.
    pub reminders: Vec<ReminderView<'a>>,
    /// The assistant's actions: those waiting for approval and the recently
    /// decided ones, in the order they were proposed.
    pub actions: Vec<ActionView<'a>>,
}

/// A message.
#[derive(Serialize)]
pub struct MessageView<'a> {
    /// Seq.
    pub seq: Seq,
    /// `user` or `assistant`.
    pub role: Role,
    /// Text.
    pub text: &'a str,
    /// A reply the user stopped (its text is what was generated until then).
    #[serde(skip_serializing_if = "core::ops::Not::not")]
    pub stopped: bool,
}

/// A task.
#[derive(Serialize)]
pub struct TaskView<'a> {
    /// Id.
    pub task_id: TaskId,
    /// Title.
    pub title: &'a str,
    /// `open` or `done`.
    pub status: TaskStatus,
    /// Notes.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub notes: Option<&'a str>,
    /// Due date.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub due_date: Option<LocalDate>,
}

/// A reminder.
#[derive(Serialize)]
pub struct ReminderView<'a> {
    /// Id.
    pub reminder_id: ReminderId,
    /// What to remind of.
    pub text: &'a str,
    /// When it fires (or fired), ms since the epoch.
    pub due: Timestamp,
    /// `scheduled` or `fired`.
    pub status: ReminderStatus,
    /// The task it is about.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub task_id: Option<TaskId>,
}

/// An action of the assistant (a tool call of a reply).
#[derive(Serialize)]
pub struct ActionView<'a> {
    /// Id (approve or decline it by this id).
    pub action_id: ActionId,
    /// The tool.
    pub tool: &'a str,
    /// Its arguments, the text of a JSON object.
    pub arguments: &'a str,
    /// What it does, in the user's words, resolved from the state:
    /// `Complete “Book flights”` ([`crate::actions::describe`]).
    pub description: String,
    /// `proposed`, `awaiting_approval`, `applied`, `rejected` or `declined`.
    pub status: &'static str,
    /// The seq of the reply (`assistant.message`) that proposed it: a client
    /// shows the action under that message.
    pub proposed_seq: Seq,
    /// Why it was rejected.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub error: Option<ActionError<'a>>,
}

/// Why an action was rejected: the error its equivalent client event got.
#[derive(Serialize)]
pub struct ActionError<'a> {
    /// The code.
    pub code: &'a str,
    /// The message.
    pub message: &'a str,
    /// The failing field.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub field: Option<&'a str>,
}

/// A plan.
#[derive(Serialize)]
pub struct PlanView<'a> {
    /// The day.
    pub date: LocalDate,
    /// Items.
    pub items: &'a [PlanItem],
}

/// Settings.
#[derive(Serialize)]
pub struct SettingsView<'a> {
    /// The user's time zone (`"Europe/Berlin"`, `"+05:30"`); null until
    /// they choose one, and local times are UTC until then.
    pub time_zone: Option<&'a str>,
    /// The zone's offset from UTC at the time of the view, in minutes east.
    pub utc_offset_minutes: i32,
    /// The user's local date at the time of the view.
    pub today: LocalDate,
    /// Daily plan time, if enabled.
    pub daily_plan_time: Option<LocalTime>,
    /// The assistant's actions that complete or destroy something wait for approval.
    pub confirm_actions: bool,
}

/// The client view of an assistant state at `now` (the plan shown is today's,
/// in the user's time zone, or the latest one).
pub fn view<'a>(s: &'a AssistantState, now: Timestamp) -> StateView<'a> {
    let settings = &s.planner.settings;
    let today = settings.today(now);
    let plan = s.planner.plans.get(&today).or_else(|| s.planner.plans.values().next_back());
    StateView {
        messages: s
            .chat
            .messages
            .iter()
            .map(|m| MessageView { seq: m.seq, role: m.role, text: &m.text, stopped: m.stopped })
            .collect(),
        tasks: {
            let mut tasks: Vec<&crate::state::Task> = s.tasks.items.values().collect();
            tasks.sort_by_key(|t| match t.status {
                // Open first: by due date (undated last), then creation.
                TaskStatus::Open => (0, t.due_date.is_none(), t.due_date, t.created_seq, Seq(0)),
                // Then done: the last completed first.
                TaskStatus::Done => (1, false, None, Seq(0), Seq(u64::MAX - t.updated_seq.0)),
            });
            tasks
                .into_iter()
                .map(|t| TaskView {
                    task_id: t.task_id,
                    title: &t.title,
                    status: t.status,
                    notes: t.notes.as_deref(),
                    due_date: t.due_date,
                })
                .collect()
        },
        plan: plan.map(|p| PlanView { date: p.date, items: &p.items }),
        settings: SettingsView {
            time_zone: settings.time_zone.as_ref().map(|z| z.name()),
            utc_offset_minutes: settings.rule().offset_minutes_at(now),
            today,
            daily_plan_time: s.planner.settings.daily_plan_time,
            confirm_actions: s.planner.settings.confirm_actions,
        },
        summary: s.chat.summary.as_ref().map(|x| x.text.as_str()),
        reminders: {
            let mut r: Vec<ReminderView<'a>> = s
                .reminders
                .items
                .values()
                .map(|r| ReminderView {
                    reminder_id: r.reminder_id,
                    text: &r.text,
                    due: r.due,
                    status: r.status,
                    task_id: r.task_id,
                })
                .collect();
            r.sort_by_key(|r| (r.due, r.reminder_id));
            r
        },
        actions: {
            let mut a: Vec<_> = s.actions.items.values().collect();
            a.sort_by_key(|a| a.order());
            a.into_iter()
                .map(|a| {
                    let (status, error) = match &a.status {
                        ActionStatus::Proposed => ("proposed", None),
                        ActionStatus::AwaitingApproval => ("awaiting_approval", None),
                        ActionStatus::Applied => ("applied", None),
                        ActionStatus::Declined => ("declined", None),
                        ActionStatus::Rejected { code, message, field } => {
                            ("rejected", Some(ActionError { code, message, field: field.as_deref() }))
                        }
                    };
                    let description = crate::actions::describe(s, a);
                    ActionView {
                        action_id: a.action_id,
                        tool: &a.tool,
                        arguments: &a.arguments,
                        description,
                        status,
                        proposed_seq: a.proposed_seq,
                        error,
                    }
                })
                .collect()
        },
    }
}
