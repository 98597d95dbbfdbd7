//! Property-testing kit of the assistant (feature `testing`): proptest
//! strategies of client traffic and of every event type. The replay
//! checkers are the kernel's ([`microcos_core::testing`]), re-exported here.
//!
//! ```
//! use microcos_assistant::testing::{check_replay, check_snapshot_prefixes};
//! use microcos_assistant::{Assistant, Envelope, State};
//! use microcos_core::Bounds;
//! let log: Vec<Envelope> = Vec::new();
//! let live = State::default();
//! check_replay(&live, &log, &Assistant::default(), &Bounds::default()).unwrap();
//! check_snapshot_prefixes(&log, &Assistant::default(), &Bounds::default(), 1).unwrap();
//! ```

use std::format;
use std::string::{String, ToString};
#[allow(unused_imports)] // proptest's macros expand to `vec!`
use std::vec;
use std::vec::Vec;

use microcos_core::time::{LocalDate, LocalTime};
use microcos_core::Seq;
use proptest::prelude::*;

pub use microcos_core::testing::*;

use crate::event::*;

/// A small pool of task ids, so generated updates hit generated tasks.
pub fn task_id_pool(i: u8) -> TaskId {
    TaskId(microcos_core::uuid::Uuid::from_u128(0x7a5c_0000_0000_4000_8000_0000_0000_0000 | u128::from(i % 8)))
}

/// One of 8 fixed action ids.
pub fn action_id_pool(i: u8) -> ActionId {
    ActionId(microcos_core::uuid::Uuid::from_u128(0xac5c_0000_0000_4000_8000_0000_0000_0000 | u128::from(i % 8)))
}

/// One of 8 fixed reminder ids (so generated traffic snoozes and cancels
/// reminders that exist).
pub fn reminder_id_pool(i: u8) -> ReminderId {
    ReminderId(microcos_core::uuid::Uuid::from_u128(0x7e5c_0000_0000_4000_8000_0000_0000_0000 | u128::from(i % 8)))
}

fn arb_text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[a-zA-Z0-9 ,.!?éü😀-]{{1,{max}}}")).expect("valid regex").prop_map(|s| {
        if s.trim().is_empty() {
            "x".to_string()
        } else {
            s
        }
    })
}

fn arb_date() -> impl Strategy<Value = LocalDate> {
    (2025u16..2028, 1u8..=12, 1u8..=28)
        .prop_map(|(y, m, d)| LocalDate::new(y, m, d).unwrap_or(LocalDate { year: 2026, month: 1, day: 1 }))
}

/// Zones the strategies set: four with daylight-saving time or a half-hour
/// offset, UTC, a fixed offset, and one the database does not have.
pub const ZONES: &[&str] =
    &["Europe/Berlin", "America/New_York", "Australia/Sydney", "Asia/Kolkata", "UTC", "-03:30", "Mars/Olympus_Mons"];

fn arb_time() -> impl Strategy<Value = LocalTime> {
    (0u8..24, 0u8..60).prop_map(|(h, m)| LocalTime { hour: h, minute: m })
}

/// A client body of any client-sendable type, valid or refused by domain
/// rules (an update of a task that does not exist), with a client action id
/// drawn from a small pool so that repeats and conflicts happen.
pub fn arb_client_body() -> impl Strategy<Value = String> {
    let action = proptest::option::of((0u16..64).prop_map(|n| format!("ca-{n}")));
    let event_id = proptest::option::of((0u16..64).prop_map(|n| {
        format!("{}", microcos_core::uuid::Uuid::from_u128(0xc11e_0000_0000_4000_8000_0000_0000_0000 | u128::from(n)))
    }));
    let body = prop_oneof![
        4 => arb_text(80).prop_map(|t| serde_json::json!({"type":"user.message","payload":{"text":t}})),
        3 => (any::<u8>(), arb_text(40), proptest::option::of(arb_date())).prop_map(|(i, t, d)| {
            let mut p = serde_json::json!({"task_id": task_id_pool(i).to_string(), "title": t});
            if let Some(d) = d { p["due_date"] = serde_json::json!(d.to_string()); }
            serde_json::json!({"type":"task.created","payload":p})
        }),
        2 => (any::<u8>(), arb_text(40)).prop_map(|(i, t)| serde_json::json!({"type":"task.updated","payload":{"task_id":task_id_pool(i).to_string(),"title":t}})),
        2 => any::<u8>().prop_map(|i| serde_json::json!({"type":"task.completed","payload":{"task_id":task_id_pool(i).to_string()}})),
        1 => any::<u8>().prop_map(|i| serde_json::json!({"type":"task.reopened","payload":{"task_id":task_id_pool(i).to_string()}})),
        1 => any::<u8>().prop_map(|i| serde_json::json!({"type":"task.deleted","payload":{"task_id":task_id_pool(i).to_string()}})),
        1 => ((-720i32..=840), proptest::option::of(arb_time())).prop_map(|(tz, t)| {
            serde_json::json!({"type":"settings.updated","payload":{"tz_offset_minutes":tz,"daily_plan_time":t.map(|t| t.to_string())}})
        }),
        2 => (proptest::sample::select(ZONES), proptest::option::of(arb_time())).prop_map(|(zone, t)| {
            serde_json::json!({"type":"settings.updated","payload":{"time_zone":zone,"daily_plan_time":t.map(|t| t.to_string())}})
        }),
        1 => Just(serde_json::json!({"type":"plan.requested","payload":{}})),
        1 => Just(serde_json::json!({"type":"summary.requested","payload":{}})),
        1 => Just(serde_json::json!({"type":"chat.regenerate","payload":{}})),
        1 => Just(serde_json::json!({"type":"chat.cleared","payload":{}})),
        1 => arb_text(120).prop_map(|t| serde_json::json!({"type":"task.extract","payload":{"text":t}})),
        // Reminders: due around the simulation's start (some at once, some
        // later, some by local time), snoozed and cancelled.
        2 => (any::<u8>(), arb_text(40), 0u64..7_200_000, any::<bool>(), arb_time(), proptest::option::of(0i64..3)).prop_map(|(i, t, later, local, time, day)| {
            let mut p = serde_json::json!({"reminder_id": reminder_id_pool(i).to_string(), "text": t});
            if local { p["time"] = serde_json::json!(time.to_string()); } else { p["at"] = serde_json::json!(1_795_852_800_000u64 + later); }
            // Yesterday (refused when past), today or tomorrow of the simulation's start.
            if let (true, Some(day)) = (local, day) { p["date"] = serde_json::json!(format!("2026-11-{}", 27 + day)); }
            serde_json::json!({"type":"reminder.set","payload":p})
        }),
        1 => (any::<u8>(), 1u32..120).prop_map(|(i, minutes)| serde_json::json!({"type":"reminder.snoozed","payload":{"reminder_id":reminder_id_pool(i).to_string(),"minutes":minutes}})),
        1 => any::<u8>().prop_map(|i| serde_json::json!({"type":"reminder.cancelled","payload":{"reminder_id":reminder_id_pool(i).to_string()}})),
        // Messages the stand-in answers with tool calls (actions, some
        // waiting for approval, some breaking a rule), and approvals.
        2 => proptest::sample::select(&[
            "add a task to call Ann",
            "remind me at 17:00 to call Ann",
            "complete task call Ann",
            "plan my day",
            "add a task to pay rent; complete task pay rent; complete task nothing",
        ][..]).prop_map(|t| serde_json::json!({"type":"user.message","payload":{"text":t}})),
        1 => (any::<u8>(), any::<bool>()).prop_map(|(i, yes)| {
            let ty = if yes { "action.approved" } else { "action.declined" };
            serde_json::json!({"type":ty,"payload":{"action_id":action_id_pool(i).to_string()}})
        }),
    ];
    (body, action, event_id).prop_map(|(mut b, a, e)| {
        if let Some(a) = a {
            b["client_action_id"] = serde_json::json!(a);
        }
        if let Some(e) = e {
            b["event_id"] = serde_json::json!(e);
        }
        b.to_string()
    })
}

/// Client traffic of the assistant ([`arb_client_ops_with`] over [`arb_client_body`]).
pub fn arb_client_ops(max_len: usize) -> impl Strategy<Value = Vec<ClientOp>> {
    arb_client_ops_with(arb_client_body(), max_len)
}

/// Any event of any type with arbitrary (bounded) payload values.
pub fn arb_event() -> impl Strategy<Value = Event> {
    let text = || arb_text(60);
    let task = || any::<u8>().prop_map(task_id_pool);
    prop_oneof![
        text().prop_map(|text| dom(AssistantEvent::UserMessage)(UserMessage { text })),
        Just(dom(AssistantEvent::ChatRegenerate)(ChatRegenerate {})),
        Just(dom(AssistantEvent::ChatCleared)(ChatCleared {})),
        (text(), proptest::collection::vec((any::<u8>(), 0usize..5, text()), 0..3)).prop_map(|(text, calls)| {
            let tools = ["create_task", "complete_task", "set_reminder", "plan_day", "no_such_tool"];
            let actions = calls
                .into_iter()
                .map(|(i, t, arguments)| ProposedAction {
                    action_id: action_id_pool(i),
                    tool: tools[t].to_string(),
                    arguments,
                })
                .collect();
            dom(AssistantEvent::AssistantMessage)(AssistantMessage { text, actions, untrusted_input: false })
        }),
        any::<u8>().prop_map(|i| dom(AssistantEvent::ActionApplied)(ActionApplied { action_id: action_id_pool(i) })),
        (any::<u8>(), text(), text(), proptest::option::of(text())).prop_map(|(i, code, message, field)| {
            dom(AssistantEvent::ActionRejected)(ActionRejected { action_id: action_id_pool(i), code, message, field })
        }),
        any::<u8>().prop_map(|i| dom(AssistantEvent::ActionApproved)(ActionApproved { action_id: action_id_pool(i) })),
        any::<u8>().prop_map(|i| dom(AssistantEvent::ActionDeclined)(ActionDeclined { action_id: action_id_pool(i) })),
        (
            proptest::option::of(-720i32..=840),
            proptest::option::of((proptest::sample::select(ZONES), any::<bool>())),
            proptest::option::of(arb_time()),
            proptest::option::of(any::<bool>())
        )
            .prop_map(|(tz_offset_minutes, zone, daily_plan_time, confirm_actions)| {
                // A zone with its rule, or without (stored by something
                // other than the service), or with a rule that is not one.
                let (time_zone, time_zone_rule) = match zone {
                    Some((name, true)) => {
                        (Some(name.to_string()), microcos_core::tz::zone_rule(name).map(String::from))
                    }
                    Some((name, false)) => (Some(name.to_string()), Some("not a rule".to_string())),
                    None => (None, None),
                };
                dom(AssistantEvent::SettingsUpdated)(SettingsUpdated {
                    time_zone,
                    time_zone_rule,
                    tz_offset_minutes,
                    daily_plan_time,
                    confirm_actions,
                })
            }),
        (proptest::option::of(task()), text(), proptest::option::of(text()), proptest::option::of(arb_date()))
            .prop_map(|(task_id, title, notes, due_date)| dom(AssistantEvent::TaskCreated)(TaskCreated {
                task_id,
                title,
                notes,
                due_date
            })),
        (task(), proptest::option::of(text()), proptest::option::of(text()), proptest::option::of(arb_date()))
            .prop_map(|(task_id, title, notes, due_date)| dom(AssistantEvent::TaskUpdated)(TaskUpdated {
                task_id,
                title,
                notes,
                due_date
            })),
        task().prop_map(|task_id| dom(AssistantEvent::TaskCompleted)(TaskCompleted { task_id })),
        task().prop_map(|task_id| dom(AssistantEvent::TaskReopened)(TaskReopened { task_id })),
        task().prop_map(|task_id| dom(AssistantEvent::TaskDeleted)(TaskDeleted { task_id })),
        proptest::option::of(arb_date()).prop_map(|date| dom(AssistantEvent::PlanRequested)(PlanRequested { date })),
        arb_date().prop_map(|date| dom(AssistantEvent::WorkflowDailyPlan)(WorkflowDailyPlan { date })),
        (
            arb_date(),
            proptest::collection::vec((proptest::option::of(arb_time()), text(), proptest::option::of(task())), 0..4)
        )
            .prop_map(|(date, items)| dom(AssistantEvent::PlanGenerated)(PlanGenerated {
                date,
                items: items.into_iter().map(|(time, title, task_id)| PlanItem { time, title, task_id }).collect(),
            })),
        Just(dom(AssistantEvent::SummaryRequested)(SummaryRequested {})),
        any::<u32>().prop_map(|s| dom(AssistantEvent::WorkflowGenerateSummary)(WorkflowGenerateSummary {
            through_seq: Seq(u64::from(s))
        })),
        (text(), any::<u32>()).prop_map(|(text, s)| dom(AssistantEvent::SummaryGenerated)(SummaryGenerated {
            text,
            through_seq: Seq(u64::from(s))
        })),
        text().prop_map(|text| dom(AssistantEvent::TaskExtract)(TaskExtract { text })),
        proptest::collection::vec((task(), text(), proptest::option::of(arb_date())), 0..4).prop_map(|ts| {
            dom(AssistantEvent::TasksExtracted)(TasksExtracted {
                tasks: ts
                    .into_iter()
                    .map(|(task_id, title, due_date)| ExtractedTask { task_id, title, due_date })
                    .collect(),
            })
        }),
        (
            proptest::option::of(any::<u8>().prop_map(reminder_id_pool)),
            text(),
            proptest::option::of(any::<u64>().prop_map(microcos_core::Timestamp)),
            proptest::option::of(arb_date()),
            proptest::option::of(arb_time()),
            proptest::option::of(task()),
        )
            .prop_map(|(reminder_id, text, at, date, time, task_id)| dom(AssistantEvent::ReminderSet)(
                ReminderSet { reminder_id, text, at, date, time, task_id }
            )),
        (any::<u8>().prop_map(reminder_id_pool), any::<u32>()).prop_map(|(reminder_id, minutes)| dom(
            AssistantEvent::ReminderSnoozed
        )(
            ReminderSnoozed { reminder_id, minutes }
        )),
        any::<u8>().prop_map(|i| dom(AssistantEvent::ReminderCancelled)(ReminderCancelled {
            reminder_id: reminder_id_pool(i)
        })),
        (any::<u8>().prop_map(reminder_id_pool), any::<u64>().prop_map(microcos_core::Timestamp))
            .prop_map(|(reminder_id, due)| dom(AssistantEvent::ReminderFired)(ReminderFired { reminder_id, due })),
        arb_llm_event(&["chat", "extract_tasks", "daily_plan", "summary"]).prop_map(Event::Llm),
    ]
}

/// Wraps a payload constructor of the catalogue into one of [`Event`].
fn dom<P>(variant: fn(P) -> AssistantEvent) -> impl Fn(P) -> Event {
    move |p| Event::Domain(variant(p))
}

/// Any assistant envelope.
pub fn arb_envelope() -> impl Strategy<Value = Envelope> {
    arb_envelope_of(arb_event())
}
