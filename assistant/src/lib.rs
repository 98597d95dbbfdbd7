//! # microcos-assistant
//!
//! The first domain on the microcos kernel ([`microcos_core`]): a personal
//! assistant, a "micro chief of staff". Chat with memory and a rolling
//! summary, tasks, the daily plan, and task extraction, each an LLM
//! operation the kernel streams, checkpoints, retries and resumes.
//!
//! Its rules and reducer run wherever the kernel runs: in an
//! [`Engine`](microcos_core::Engine) over any store (the local service and
//! the Worker), or, as here, in a client's
//! [`Replica`](microcos_core::Replica), which applies what the client
//! proposes at once (optimistic updates) under the same rules:
//!
//! ```
//! use microcos_assistant::{Assistant, TASK_NOT_FOUND};
//! use microcos_core::validate::{parse_client_request, Limits};
//! use microcos_core::{uuid::Uuid, Config, EventId, Replica, RequestId, RequestMeta, Timestamp, UserId};
//!
//! let assistant = Assistant::default();
//! let mut replica = Replica::new(UserId::parse("alice").unwrap(), Config::default(), assistant.clone());
//! let now = Timestamp(1_764_300_000_000);
//! let meta = |n: u128| RequestMeta {
//!     request_id: RequestId(Uuid::from_u128(n)),
//!     event_id: EventId(Uuid::from_u128(n + 1)),
//!     timestamp: now,
//! };
//! let body = br#"{"type":"task.created","payload":{"title":"Book flights"}}"#;
//! let request = parse_client_request(body, &assistant, &Limits::default()).unwrap();
//! replica.propose(request, meta(1)).unwrap();
//! let view = serde_json::to_value(replica.view(now)).unwrap();
//! assert_eq!(view["state"]["tasks"][0]["title"], "Book flights");
//!
//! // A rule of the assistant: only a task that exists can be completed.
//! let body = br#"{"type":"task.completed","payload":{"task_id":"00000000-0000-4000-8000-000000000000"}}"#;
//! let request = parse_client_request(body, &assistant, &Limits::default()).unwrap();
//! assert_eq!(replica.propose(request, meta(3)).unwrap_err().code, TASK_NOT_FOUND);
//! ```
//!
//! `microcos-memory` simulates it in memory (virtual time, scripted models,
//! storage faults); `microcos-server` serves it over HTTP and WebSockets.
//!
//! # Layout
//!
//! - [`event`]: the catalogue (API v1 event types and payloads), [`TaskId`].
//! - [`state`]: chat memory, tasks, planner, and their reducer.
//! - [`validate`]: content bounds of client events (their shapes come from the payloads' declarations).
//! - [`actions`]: the assistant's tools, and how a proposed action is decided.
//! - [`guard`]: what the assistant must not act on (pasted text, risky arguments) and data defanged in prompts.
//! - [`prompt`]: the context builder and the structured answers (tasks, plans) it asks for.
//! - [`stand_in`]: the offline stand-in model's replies.
//! - [`view`]: what `GET /v1/snapshot` shows.
//! - [`zone`]: the user's time zone, and the local-time rules of reminders.
//! - this page: [`Assistant`], its rules, jobs and error codes.
//! - `testing` (feature `testing`): proptest strategies of assistant traffic.
//! - `schema` (feature `schema`): JSON Schema of client requests.

#![no_std]
#![deny(missing_docs)]
#![forbid(unsafe_code)]
#![cfg_attr(docsrs, feature(doc_cfg))]

/// The README's examples, run as doctests so that they stay true.
#[cfg(doctest)]
#[doc = include_str!("../README.md")]
struct ReadmeDoctests;

extern crate alloc;
#[cfg(feature = "std")]
extern crate std;

pub mod actions;
pub mod event;
pub mod guard;
pub mod prompt;
pub mod stand_in;
pub mod state;
pub mod validate;
pub mod view;
pub mod zone;

#[cfg(feature = "schema")]
pub mod schema;
#[cfg(feature = "testing")]
pub mod testing;

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use microcos_core::time::LocalDate;
use microcos_core::Prompt;
use microcos_core::{Domain, Operation, Timestamp};
use microcos_core::{DomainCode, ErrorCode, Rejection};
use microcos_core::{EventMeta, Job, Reply, Scheduled};

pub use event::{
    ActionId, AssistantEvent, AssistantEventType, Envelope, Event, EventType, OperationKind, ReminderId, TaskId,
};
pub use prompt::PromptBudget;
pub use state::{ActionStatus, AssistantBounds, AssistantOperation, AssistantState, ReminderStatus, STATE_VERSION};
pub use validate::AssistantLimits;

use event::*;

/// A user's state under the assistant.
pub type State = microcos_core::State<Assistant>;
/// A frame pushed to the assistant's subscribers.
pub type Frame = microcos_core::Frame<AssistantEvent>;

/// `404 task_not_found`: the task does not exist (or was deleted).
pub const TASK_NOT_FOUND: ErrorCode = DomainCode::code("task_not_found", 404);
/// `409 too_many_tasks`: the user has reached the limit of open tasks.
pub const TOO_MANY_TASKS: ErrorCode = DomainCode::code("too_many_tasks", 409);
/// `404 reminder_not_found`: the reminder does not exist (or was cancelled).
pub const REMINDER_NOT_FOUND: ErrorCode = DomainCode::code("reminder_not_found", 404);
/// `409 too_many_reminders`: the user has reached the limit of scheduled reminders.
pub const TOO_MANY_REMINDERS: ErrorCode = DomainCode::code("too_many_reminders", 409);
/// `404 action_not_found`: no such action of the assistant (or it is long decided).
pub const ACTION_NOT_FOUND: ErrorCode = DomainCode::code("action_not_found", 404);
/// `409 action_not_awaiting`: the action does not wait for approval (it needs
/// none, or it is decided).
pub const ACTION_NOT_AWAITING: ErrorCode = DomainCode::code("action_not_awaiting", 409);
/// `409 action_stale`: the action's task changed since the action was
/// proposed, so approving it might do something other than what it says.
pub const ACTION_STALE: ErrorCode = DomainCode::code("action_stale", 409);
/// `422 reminder_in_past`: a reminder's date and time have already passed
/// in the user's time zone (one given a time and no date rolls to tomorrow
/// instead: [`zone`]).
pub const REMINDER_IN_PAST: ErrorCode = DomainCode::code("reminder_in_past", 422);

/// `409 nothing_to_regenerate`: `chat.regenerate` needs a message of the
/// user's in the conversation to answer again.
pub const NOTHING_TO_REGENERATE: ErrorCode = DomainCode::code("nothing_to_regenerate", 409);
/// `409 chat_busy`: a reply (or a summary of the conversation) is being
/// written; stop it (`llm.cancel`) or wait before regenerating or clearing.
pub const CHAT_BUSY: ErrorCode = DomainCode::code("chat_busy", 409);

/// Every error code of API v1 (the kernel's and the assistant's), in the
/// order the API documents them.
pub const API_ERROR_CODES: &[ErrorCode] = &[
    ErrorCode::MalformedJson,
    ErrorCode::TooDeep,
    ErrorCode::BadRequest,
    ErrorCode::Unauthorized,
    ErrorCode::NotFound,
    ErrorCode::MethodNotAllowed,
    ErrorCode::RequestTimeout,
    TASK_NOT_FOUND,
    REMINDER_NOT_FOUND,
    ACTION_NOT_FOUND,
    ErrorCode::OperationNotFound,
    ErrorCode::OperationFinished,
    ErrorCode::ClientActionConflict,
    ErrorCode::EventIdConflict,
    TOO_MANY_TASKS,
    TOO_MANY_REMINDERS,
    ACTION_NOT_AWAITING,
    ACTION_STALE,
    NOTHING_TO_REGENERATE,
    CHAT_BUSY,
    ErrorCode::BodyTooLarge,
    ErrorCode::UnsupportedMediaType,
    ErrorCode::UnknownField,
    ErrorCode::MissingField,
    ErrorCode::InvalidType,
    ErrorCode::InvalidValue,
    ErrorCode::TooLong,
    ErrorCode::Empty,
    ErrorCode::OutOfRange,
    REMINDER_IN_PAST,
    ErrorCode::UnknownEventType,
    ErrorCode::EventTypeNotAllowed,
    ErrorCode::UpgradeRequired,
    ErrorCode::RateLimited,
    ErrorCode::TooManyOperations,
    ErrorCode::Unavailable,
    ErrorCode::StorageCorrupt,
];

/// The assistant domain and its configuration. `Assistant::default()` is
/// what the services run with. Its bounds are part of the replay contract.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Assistant {
    /// Working-set bounds.
    pub bounds: AssistantBounds,
    /// Content bounds of client events.
    pub limits: AssistantLimits,
    /// Prompt budget.
    pub prompt: PromptBudget,
    /// Summarise once this many messages left the chat window.
    pub summary_trigger: usize,
}

impl Default for Assistant {
    fn default() -> Self {
        Assistant {
            bounds: AssistantBounds::default(),
            limits: AssistantLimits::default(),
            prompt: PromptBudget::default(),
            summary_trigger: 20,
        }
    }
}

/// The next daily plan, at `now`: its instant and local date. Today's, if
/// none of today (or later) was made; tomorrow's otherwise. The plan time is
/// local, so the instant moves with the zone's changes of offset.
fn daily_plan_next(p: &state::Planner, now: Timestamp) -> Option<(Timestamp, LocalDate)> {
    let time = p.settings.daily_plan_time?;
    let rule = p.settings.rule();
    let today = rule.date_at(now);
    let fired = p.last_daily_plan.is_some_and(|d| d >= today);
    let day = if fired { today.succ() } else { today };
    Some((rule.at(day, time), day))
}

pub(crate) fn reminder_not_found(id: ReminderId) -> Rejection {
    Rejection::field(REMINDER_NOT_FOUND, "payload.reminder_id", format!("no reminder {id}"))
}

impl Assistant {
    fn too_many_reminders(&self) -> Rejection {
        let message = format!("at most {} scheduled reminders", self.bounds.max_reminders);
        Rejection::field(TOO_MANY_REMINDERS, "payload", message)
    }
}

impl Domain for Assistant {
    type Event = AssistantEvent;
    type State = AssistantState;
    type Operation = AssistantOperation;
    type View<'a> = view::StateView<'a>;
    const STATE_VERSION: u32 = STATE_VERSION;

    /// Checks a client event's content bounds ([`AssistantLimits`]), and
    /// records the rule of the zone a `settings.updated` names ([`zone`]).
    /// That rule is the service's to record: a client that sends one is
    /// refused as if the field did not exist.
    fn prepare(&self, event: AssistantEvent) -> Result<AssistantEvent, Rejection> {
        if let AssistantEvent::SettingsUpdated(SettingsUpdated { time_zone_rule: Some(_), .. }) = &event {
            let message = "unknown field: the service records the zone's rule";
            return Err(Rejection::field(ErrorCode::UnknownField, "payload.time_zone_rule", message));
        }
        validate::check_event(&event, &self.limits)?;
        match event {
            AssistantEvent::SettingsUpdated(p) => zone::prepare(p).map(AssistantEvent::SettingsUpdated),
            other => Ok(other),
        }
    }

    fn decide(&self, state: &AssistantState, event: &AssistantEvent, meta: &EventMeta) -> Result<(), Rejection> {
        let tasks = &state.tasks;
        let need_task = |id: &TaskId| {
            if tasks.items.contains_key(id) {
                Ok(())
            } else {
                Err(Rejection::field(TASK_NOT_FOUND, "payload.task_id", format!("no task {id}")))
            }
        };
        match event {
            AssistantEvent::TaskCreated(p) => {
                if tasks.open_count() >= self.bounds.max_open_tasks {
                    return Err(Rejection::new(
                        TOO_MANY_TASKS,
                        format!("at most {} open tasks", self.bounds.max_open_tasks),
                    ));
                }
                let id = p.task_id.unwrap_or(TaskId(meta.event_id.0));
                if tasks.items.contains_key(&id) {
                    return Err(Rejection::field(
                        ErrorCode::EventIdConflict,
                        "payload.task_id",
                        format!("task {id} exists"),
                    ));
                }
                Ok(())
            }
            AssistantEvent::TaskUpdated(p) => need_task(&p.task_id),
            AssistantEvent::TaskCompleted(p) => need_task(&p.task_id),
            AssistantEvent::TaskDeleted(p) => need_task(&p.task_id),
            AssistantEvent::TaskReopened(p) => {
                need_task(&p.task_id)?;
                if tasks.open_count() >= self.bounds.max_open_tasks {
                    return Err(Rejection::new(
                        TOO_MANY_TASKS,
                        format!("at most {} open tasks", self.bounds.max_open_tasks),
                    ));
                }
                Ok(())
            }
            AssistantEvent::ReminderSet(p) => {
                let reminders = &state.reminders;
                if reminders.scheduled_count() >= self.bounds.max_reminders {
                    return Err(self.too_many_reminders());
                }
                let id = ReminderId(p.reminder_id.map_or(meta.event_id.0, |r| r.0));
                if reminders.items.contains_key(&id) {
                    let message = format!("reminder {id} exists");
                    return Err(Rejection::field(ErrorCode::EventIdConflict, "payload.reminder_id", message));
                }
                p.task_id.as_ref().map_or(Ok(()), need_task)?;
                zone::check_reminder(p, &state.planner.settings, meta.timestamp)
            }
            AssistantEvent::ReminderSnoozed(p) => match state.reminders.items.get(&p.reminder_id) {
                None => Err(reminder_not_found(p.reminder_id)),
                Some(r)
                    if r.status == ReminderStatus::Fired
                        && state.reminders.scheduled_count() >= self.bounds.max_reminders =>
                {
                    Err(self.too_many_reminders())
                }
                Some(_) => Ok(()),
            },
            AssistantEvent::ReminderCancelled(p) => match state.reminders.items.contains_key(&p.reminder_id) {
                true => Ok(()),
                false => Err(reminder_not_found(p.reminder_id)),
            },
            AssistantEvent::ChatRegenerate(_) | AssistantEvent::ChatCleared(_) => {
                let chat = &state.chat;
                let reply = chat.replies_in_flight.first().map(|id| ("a reply", *id));
                if let Some((what, id)) = reply.or(chat.summary_in_flight.map(|id| ("a summary", id))) {
                    let message = format!("{what} is being written (operation {id}): stop it or wait");
                    return Err(Rejection::new(CHAT_BUSY, message));
                }
                let asked = chat.messages.iter().any(|m| m.role == state::Role::User);
                if matches!(event, AssistantEvent::ChatRegenerate(_)) && !asked {
                    let message = "the conversation holds no message of yours to answer again";
                    return Err(Rejection::new(NOTHING_TO_REGENERATE, message));
                }
                Ok(())
            }
            AssistantEvent::ActionApproved(ActionApproved { action_id })
            | AssistantEvent::ActionDeclined(ActionDeclined { action_id }) => {
                match state.actions.items.get(action_id) {
                    None => {
                        Err(Rejection::field(ACTION_NOT_FOUND, "payload.action_id", format!("no action {action_id}")))
                    }
                    Some(a) if a.status != ActionStatus::AwaitingApproval => Err(Rejection::field(
                        ACTION_NOT_AWAITING,
                        "payload.action_id",
                        format!("action {action_id} does not wait for approval"),
                    )),
                    Some(a) if matches!(event, AssistantEvent::ActionApproved(_)) => {
                        actions::stale(self, state, a, meta.timestamp).map_or(Ok(()), Err)
                    }
                    Some(_) => Ok(()),
                }
            }
            _ => Ok(()),
        }
    }

    fn opens(&self, state: &AssistantState, event: &AssistantEvent, meta: &EventMeta) -> Option<AssistantOperation> {
        state.opens(event, meta)
    }

    fn apply(&self, state: &mut AssistantState, event: AssistantEvent, meta: &EventMeta) {
        state.apply(event, &self.bounds, meta);
    }

    fn operation_finished(&self, state: &mut AssistantState, operation: &Operation<AssistantOperation>, m: &EventMeta) {
        state.operation_finished(operation, m, &self.bounds);
    }

    /// The prompt; a chat reply's offers the assistant's tools ([`actions::tools`]).
    fn prompt(&self, state: &AssistantState, operation: &Operation<AssistantOperation>, now: Timestamp) -> Prompt {
        prompt::build_prompt(state, operation, &self.prompt, now)
    }

    /// A reply becomes its event; a chat reply's tool calls become its
    /// proposed actions (only a chat reply's prompt offers tools).
    fn complete(
        &self,
        state: &AssistantState,
        operation: &Operation<AssistantOperation>,
        reply: &Reply<'_>,
    ) -> Result<AssistantEvent, String> {
        let text = reply.text;
        match (&operation.input, reply.tool_calls) {
            (AssistantOperation::Chat, calls) if !calls.is_empty() => {
                let actions = calls
                    .iter()
                    .enumerate()
                    .map(|(i, c)| ProposedAction {
                        action_id: ActionId::of_call(operation.operation_id, i),
                        tool: c.name.clone(),
                        arguments: c.arguments.clone(),
                    })
                    .collect();
                // The message this reply answers (the `user.message` that asked, or
                // the last of the user's before a `chat.regenerate`); one no longer
                // in the window counts as pasted. The window drops the oldest first,
                // so an evicted message never lets an older one stand in for it.
                let asked = state
                    .chat
                    .messages
                    .iter()
                    .rev()
                    .find(|m| m.seq <= operation.request_seq && m.role == state::Role::User);
                let untrusted_input = asked.is_none_or(|m| guard::pasted(&m.text));
                Ok(AssistantEvent::AssistantMessage(AssistantMessage {
                    text: text.to_string(),
                    actions,
                    untrusted_input,
                }))
            }
            (AssistantOperation::Chat, _) if text.trim().is_empty() => {
                Err("the model returned an empty reply".to_string())
            }
            (AssistantOperation::Chat, _) => Ok(AssistantEvent::AssistantMessage(AssistantMessage {
                text: text.to_string(),
                actions: Vec::new(),
                untrusted_input: false,
            })),
            (AssistantOperation::ExtractTasks { .. }, _) => prompt::parse_extracted_tasks(text, operation.operation_id)
                .map(|tasks| AssistantEvent::TasksExtracted(TasksExtracted { tasks })),
            (AssistantOperation::DailyPlan { date }, _) => prompt::parse_plan(text, state)
                .map(|items| AssistantEvent::PlanGenerated(PlanGenerated { date: *date, items })),
            (AssistantOperation::Summary { .. }, _) if text.trim().is_empty() => {
                Err("the model returned an empty summary".to_string())
            }
            (AssistantOperation::Summary { through_seq }, _) => {
                Ok(AssistantEvent::SummaryGenerated(SummaryGenerated {
                    text: text.trim().to_string(),
                    through_seq: *through_seq,
                }))
            }
        }
    }

    /// First the approval cap: the actions waiting for approval past
    /// `max_awaiting_actions`, the newest, rejected (`too_many_actions`).
    /// Then the next proposed action, decided by the rules of its equivalent
    /// client event (one per batch, so each is checked against the state the
    /// ones before it left); then an action waiting for approval that can no
    /// longer be approved, rejected; then the summary job, once enough
    /// messages left the window and none is in flight.
    fn follow_ups(&self, state: &AssistantState, now: Timestamp) -> Vec<Job<AssistantEvent>> {
        let over: Vec<Job<AssistantEvent>> = actions::reject_over_cap(self, state).collect();
        if !over.is_empty() {
            return over;
        }
        if let Some(action) = state.actions.next_proposed() {
            return actions::decide(self, state, action, now);
        }
        if let Some(job) = actions::reject_stale(self, state, now) {
            return alloc::vec![job];
        }
        let chat = &state.chat;
        if chat.summary_in_flight.is_some() || chat.unsummarized.len() < self.summary_trigger {
            return Vec::new();
        }
        let Some(through_seq) = chat.unsummarized.back().map(|m| m.seq) else { return Vec::new() };
        let event = AssistantEvent::WorkflowGenerateSummary(WorkflowGenerateSummary { through_seq });
        alloc::vec![Job { name: "generate_summary", key: format!("{}", through_seq.0), event }]
    }

    /// The next daily plan, at the user's chosen local time (today's if
    /// none of today was made, else tomorrow's), and each scheduled
    /// reminder at its due time. A reminder's job key names this
    /// occurrence: its id, its due time and the seq of the event that set
    /// it. An alarm that fires twice records it once, a snoozed one fires
    /// again, and so does one set again with a used id and the same due
    /// time (after a cancel, or after the fired reminders kept pushed it out).
    fn jobs(&self, state: &AssistantState, now: Timestamp) -> Vec<Scheduled<AssistantEvent>> {
        let mut jobs = Vec::new();
        if let Some((at, date)) = daily_plan_next(&state.planner, now) {
            let event = AssistantEvent::WorkflowDailyPlan(WorkflowDailyPlan { date });
            jobs.push(Scheduled { at, job: Job { name: "daily_plan", key: format!("{date}"), event } });
        }
        for r in state.reminders.scheduled() {
            let event = AssistantEvent::ReminderFired(ReminderFired { reminder_id: r.reminder_id, due: r.due });
            let key = format!("{}/{}/{}", r.reminder_id, r.due.0, r.set_seq.0);
            jobs.push(Scheduled { at: r.due, job: Job { name: "reminder", key, event } });
        }
        jobs
    }

    fn view<'a>(&'a self, state: &'a AssistantState, now: Timestamp) -> view::StateView<'a> {
        view::view(state, now)
    }
}
