//! The assistant's actions: the tools a chat reply may call, and how a
//! call takes effect.
//!
//! A call is recorded as a proposed action in the reply (`assistant.message`,
//! its `actions`). Each one is then decided by the same validation and rules
//! as its equivalent client event, against the state at that point:
//! `action.applied` followed by the equivalent event (`task.created`,
//! `task.completed`, `reminder.set`, `plan.requested`), or `action.rejected`
//! with the error that client event would have got. The next prompt shows
//! the model what became of its recent actions. An action that completes or
//! destroys something waits for the user's `action.approved` (or
//! `action.declined`) when the user's settings ask for it (the default).
//! Replay never calls the model: the calls are in the log.
//!
//! Text the user did not write as an instruction must not make the
//! assistant act on its own. So, whatever the settings, an action also waits
//! for approval when the message it answers holds quoted or pasted text
//! ([`crate::guard::pasted`]), or when its arguments name money, a phone number or a link
//! ([`crate::guard::risky`]). An action waiting for approval that its equivalent client
//! event's rules would refuse (its task was completed or deleted) or whose
//! task changed since it was proposed is rejected at once (`action_stale`
//! for the latter), so Approve is never offered for an action that can only
//! fail, nor for one that would do something other than what it says.

use alloc::format;
use alloc::string::{String, ToString};
use alloc::vec::Vec;

use microcos_core::validate::{parse_client_request, Limits};
use microcos_core::{Domain, Event, EventId, RequestId, Seq, Timestamp, Tool};
use microcos_core::{ErrorCode, Rejection};
use microcos_core::{EventMeta, Job};
use serde_json::Value;

use crate::event::{ActionApplied, ActionRejected, AssistantEvent, ReminderId, TaskId};
use crate::state::{Action, ActionStatus};
use crate::Assistant;
use crate::AssistantState as State;

/// The tools a chat reply may call: name, the client event it stands for,
/// and the id field the action's id fills (so that what it creates has a
/// deterministic id).
const TOOLS: &[(&str, &str, Option<&str>)] = &[
    ("create_task", "task.created", Some("task_id")),
    ("complete_task", "task.completed", None),
    ("set_reminder", "reminder.set", Some("reminder_id")),
    ("plan_day", "plan.requested", None),
];

/// The tools, as the model is told about them (one static text: a `json!`
/// per schema would cost the Worker's wasm several kilobytes).
const TOOLS_JSON: &str = r#"[
{"name":"create_task","description":"Add a task to the user's list.",
 "parameters":{"type":"object","properties":{"title":{"type":"string"},"due_date":{"type":"string","description":"a date, YYYY-MM-DD"}},"required":["title"],"additionalProperties":false}},
{"name":"complete_task","description":"Mark one of the user's open tasks done (the user may have to approve it).",
 "parameters":{"type":"object","properties":{"task_id":{"type":"string","description":"the task's id, as listed"}},"required":["task_id"],"additionalProperties":false}},
{"name":"set_reminder","description":"Remind the user of something at a time: `time` (HH:MM, the user's time zone) with an optional `date`, or `at` (ms since the epoch).",
 "parameters":{"type":"object","properties":{"text":{"type":"string"},"time":{"type":"string","description":"HH:MM"},"date":{"type":"string","description":"a date, YYYY-MM-DD"},"at":{"type":"integer"},"task_id":{"type":"string"}},"required":["text"],"additionalProperties":false}},
{"name":"plan_day","description":"Plan a day from the user's open tasks and reminders (default: today).",
 "parameters":{"type":"object","properties":{"date":{"type":"string","description":"a date, YYYY-MM-DD"}},"additionalProperties":false}}
]"#;

/// The tools, as the model is told about them.
pub fn tools() -> Vec<Tool> {
    serde_json::from_str(TOOLS_JSON).unwrap_or_default()
}

/// The events that decide `action`: `action.applied` and the equivalent
/// event, or `action.rejected` with the reason. Job keys are the action's
/// id, so each is recorded once.
pub(crate) fn decide(
    assistant: &Assistant,
    state: &State,
    action: &Action,
    now: Timestamp,
) -> Vec<Job<AssistantEvent>> {
    let key = action.action_id.to_string();
    match equivalent(assistant, state, action, now) {
        Ok(event) => alloc::vec![
            Job {
                name: "action",
                key: key.clone(),
                event: AssistantEvent::ActionApplied(ActionApplied { action_id: action.action_id })
            },
            Job { name: "action", key, event },
        ],
        Err(r) => alloc::vec![rejection(action, r.code.as_str(), r.message, r.field)],
    }
}

/// The `action.rejected` job of `action`. Its key names the action (as the
/// `action.applied` job's does): an action is decided once.
fn rejection(action: &Action, code: &str, message: String, field: Option<String>) -> Job<AssistantEvent> {
    let rejected = ActionRejected { action_id: action.action_id, code: code.to_string(), message, field };
    Job { name: "action", key: action.action_id.to_string(), event: AssistantEvent::ActionRejected(rejected) }
}

/// The client event `action` stands for, checked by that event's validation
/// and rules at `now`.
fn equivalent(
    assistant: &Assistant,
    state: &State,
    action: &Action,
    now: Timestamp,
) -> Result<AssistantEvent, Rejection> {
    let Some((_, event_type, id_field)) = TOOLS.iter().find(|(name, _, _)| *name == action.tool) else {
        let message = format!("no tool named {:?}", action.tool);
        return Err(Rejection::field(ErrorCode::UnknownEventType, "tool", message));
    };
    let mut payload: Value = serde_json::from_str(&action.arguments).map_err(|e| {
        Rejection::field(ErrorCode::MalformedJson, "arguments", format!("the arguments are not JSON: {e}"))
    })?;
    let Some(fields) = payload.as_object_mut() else {
        return Err(Rejection::field(ErrorCode::InvalidType, "arguments", "the arguments must be a JSON object"));
    };
    if let Some(field) = id_field {
        let id = match *field {
            "task_id" => TaskId(action.action_id.0).to_string(),
            _ => ReminderId(action.action_id.0).to_string(),
        };
        fields.insert((*field).to_string(), Value::String(id));
    }
    let body = alloc::format!(r#"{{"type":"{event_type}","payload":{payload}}}"#);
    let request = parse_client_request(body.as_bytes(), assistant, &Limits::default())?;
    let Event::Domain(event) = request.event else {
        return Err(Rejection::field(ErrorCode::EventTypeNotAllowed, "tool", "not a tool of the assistant"));
    };
    let meta = EventMeta {
        seq: Seq::ZERO,
        timestamp: now,
        event_id: EventId(action.action_id.0),
        request_id: RequestId(action.action_id.0),
        operation_id: None,
    };
    assistant.decide(state, &event, &meta)?;
    Ok(event)
}

/// The rejections of the actions waiting for approval past
/// [`crate::AssistantBounds::max_awaiting_actions`] (the newest): the
/// approval cap, decided here and recorded, never in the reducer. The key
/// names the action, so each is rejected once.
pub(crate) fn reject_over_cap<'a>(
    assistant: &'a Assistant,
    state: &'a State,
) -> impl Iterator<Item = Job<AssistantEvent>> + 'a {
    let max = assistant.bounds.max_awaiting_actions;
    let over = state.actions.awaiting_in_order().skip(max);
    over.map(move |action| {
        rejection(action, "too_many_actions", format!("at most {max} actions may wait for approval"), None)
    })
}

/// The rejection of the first action waiting for approval that can no
/// longer be approved ([`stale`]), if any: Approve is never offered for it.
pub(crate) fn reject_stale(assistant: &Assistant, state: &State, now: Timestamp) -> Option<Job<AssistantEvent>> {
    state.actions.awaiting_in_order().find_map(|action| {
        let r = stale(assistant, state, action, now)?;
        Some(rejection(action, r.code.as_str(), r.message, r.field))
    })
}

/// Why an action waiting for approval can no longer be approved: its
/// equivalent client event would be refused now, or (for `complete_task`)
/// its task changed since the action was proposed. `None`: it may be.
pub(crate) fn stale(assistant: &Assistant, state: &State, action: &Action, now: Timestamp) -> Option<Rejection> {
    if let Err(r) = equivalent(assistant, state, action, now) {
        return Some(r);
    }
    let task = argument(&action.arguments, "task_id").and_then(|id| id.parse().ok().map(TaskId));
    let changed = task.and_then(|id| state.tasks.items.get(&id)).is_some_and(|t| t.updated_seq > action.proposed_seq);
    changed.then(|| {
        Rejection::field(crate::ACTION_STALE, "payload.action_id", "the task changed since the action was proposed")
    })
}

/// A string argument of a call, if its arguments are a JSON object holding one.
pub(crate) fn argument(arguments: &str, name: &str) -> Option<String> {
    let value: Value = serde_json::from_str(arguments).ok()?;
    value.get(name)?.as_str().map(str::to_string)
}

/// An action in the user's words, resolved from the state: `Complete
/// “Book flights”`, `Add the task “Call Ann” (due 2027-03-02)`,
/// `Remind you “Pay rent” at 17:00`, `Plan 2027-03-02`.
pub fn describe(state: &crate::AssistantState, action: &Action) -> String {
    let arg = |name| argument(&action.arguments, name);
    match action.tool.as_str() {
        "complete_task" => {
            let task = arg("task_id").and_then(|id| id.parse().ok()).and_then(|id| state.tasks.items.get(&TaskId(id)));
            match task {
                Some(t) => format!("Complete “{}”", t.title),
                None => "Complete a task that no longer exists".to_string(),
            }
        }
        "create_task" => {
            let mut out = format!("Add the task “{}”", arg("title").unwrap_or_default());
            if let Some(d) = arg("due_date") {
                out.push_str(&format!(" (due {d})"));
            }
            out
        }
        "set_reminder" => {
            let mut out = format!("Remind you “{}”", arg("text").unwrap_or_default());
            match (arg("date"), arg("time")) {
                (Some(d), Some(t)) => out.push_str(&format!(" on {d} at {t}")),
                (None, Some(t)) => out.push_str(&format!(" at {t}")),
                (Some(d), None) => out.push_str(&format!(" on {d}")),
                (None, None) => {}
            }
            out
        }
        "plan_day" => format!("Plan {}", arg("date").unwrap_or_else(|| "today".to_string())),
        other => format!("Call the tool {other:?}"),
    }
}

/// What the model is told about its recent actions (newest last, at most `max`).
pub(crate) fn recent_lines(state: &crate::AssistantState, max: usize) -> String {
    let mut recent: Vec<&Action> = state.actions.items.values().collect();
    recent.sort_by_key(|a| a.order());
    let mut out = String::new();
    for a in recent.iter().rev().take(max).rev() {
        let outcome = match &a.status {
            ActionStatus::Proposed => "being checked".to_string(),
            ActionStatus::AwaitingApproval => "waiting for the user's approval".to_string(),
            ActionStatus::Applied => "done".to_string(),
            ActionStatus::Rejected { code, message, .. } => format!("refused ({code}: {message})"),
            ActionStatus::Declined => "declined by the user".to_string(),
        };
        // Arguments are the model's own earlier words: data, and bounded.
        let arguments: String = a.arguments.chars().take(300).collect();
        out.push_str(&format!("- {} {}: {outcome}\n", a.tool, crate::guard::neutralize(&arguments)));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tools_parse_and_each_stands_for_a_client_event() {
        let tools = tools();
        let names: Vec<&str> = tools.iter().map(|t| t.name.as_str()).collect();
        assert_eq!(names, ["create_task", "complete_task", "set_reminder", "plan_day"]);
        for (tool, (name, _, _)) in tools.iter().zip(TOOLS) {
            assert_eq!(tool.name, *name);
            assert_eq!(tool.parameters["type"], "object");
        }
    }
}
