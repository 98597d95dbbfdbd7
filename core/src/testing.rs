//! Property-testing kit (feature `testing`): proptest strategies for client
//! traffic and for every envelope type, and checkers for the replay
//! invariants. Use them on your own logs:
//!
//! ```
//! use microcos_core::testing::{check_replay, check_snapshot_prefixes};
//! use microcos_core::state::Bounds;
//! # let log: Vec<microcos_core::Envelope> = Vec::new();
//! # let live = microcos_core::State::default();
//! check_replay(&live, &log, &Bounds::default()).unwrap();
//! check_snapshot_prefixes(&log, &Bounds::default(), 1).unwrap();
//! ```

use std::format;
use std::string::{String, ToString};
#[allow(unused_imports)]
use std::vec;
use std::vec::Vec;

use proptest::prelude::*;

use crate::event::*;
use crate::frame::Frame;
use crate::ids::*;
use crate::replay::{replay, replay_from};
use crate::snapshot;
use crate::state::{Bounds, OperationStatus, State};
use crate::time::{LocalDate, LocalTime};

/// A small pool of task ids, so generated updates hit generated tasks.
pub fn task_id_pool(i: u8) -> TaskId {
    TaskId(uuid::Uuid::from_u128(0x7a5c_0000_0000_4000_8000_0000_0000_0000 | u128::from(i % 8)))
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

fn arb_time() -> impl Strategy<Value = LocalTime> {
    (0u8..24, 0u8..60).prop_map(|(h, m)| LocalTime { hour: h, minute: m })
}

/// One step of client traffic against one user.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum ClientOp {
    /// Send this body (a JSON client request).
    Send(String),
    /// Send again the body sent `back` sends ago (same ids: a duplicate).
    Repeat(usize),
    /// Let the model run every queued generation to its end.
    RunModel,
    /// Let this many milliseconds of virtual time pass, then fire due jobs.
    Advance(u64),
    /// Cancel the most recent operation, if it is still running.
    CancelLatest,
}

/// A client body of any client-sendable type, valid or refused by domain
/// rules (an update of a task that does not exist), with a client action id
/// drawn from a small pool so that repeats and conflicts happen.
pub fn arb_client_body() -> impl Strategy<Value = String> {
    let action = proptest::option::of((0u16..64).prop_map(|n| format!("ca-{n}")));
    let event_id =
        proptest::option::of((0u16..64).prop_map(|n| {
            format!("{}", uuid::Uuid::from_u128(0xc11e_0000_0000_4000_8000_0000_0000_0000 | u128::from(n)))
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
        1 => any::<u8>().prop_map(|i| serde_json::json!({"type":"task.deleted","payload":{"task_id":task_id_pool(i).to_string()}})),
        1 => ((-720i32..=840), proptest::option::of(arb_time())).prop_map(|(tz, t)| {
            serde_json::json!({"type":"settings.updated","payload":{"tz_offset_minutes":tz,"daily_plan_time":t.map(|t| t.to_string())}})
        }),
        1 => Just(serde_json::json!({"type":"plan.requested","payload":{}})),
        1 => Just(serde_json::json!({"type":"summary.requested","payload":{}})),
        1 => arb_text(120).prop_map(|t| serde_json::json!({"type":"task.extract","payload":{"text":t}})),
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

/// Client traffic: sends (with duplicates and conflicting reuses of ids),
/// verbatim repeats, model runs, time passing and cancels, in any order.
pub fn arb_client_ops(max_len: usize) -> impl Strategy<Value = Vec<ClientOp>> {
    let op = prop_oneof![
        8 => arb_client_body().prop_map(ClientOp::Send),
        2 => (1usize..6).prop_map(ClientOp::Repeat),
        3 => Just(ClientOp::RunModel),
        1 => prop_oneof![Just(1_000u64), Just(60_000), Just(3_600_000), Just(86_400_000)].prop_map(ClientOp::Advance),
        1 => Just(ClientOp::CancelLatest),
    ];
    proptest::collection::vec(op, 1..max_len)
}

fn arb_ids() -> impl Strategy<Value = (EventId, RequestId, Option<ClientActionId>, Option<OperationId>, Option<EventId>)>
{
    (
        any::<u128>(),
        any::<u128>(),
        proptest::option::of("[a-z0-9:_.-]{1,20}"),
        proptest::option::of(any::<u128>()),
        proptest::option::of(any::<u128>()),
    )
        .prop_map(|(e, r, ca, op, c)| {
            (
                EventId(uuid::Uuid::from_u128(e)),
                RequestId(uuid::Uuid::from_u128(r)),
                ca.and_then(|s| ClientActionId::parse(&s)),
                op.map(|o| OperationId(uuid::Uuid::from_u128(o))),
                c.map(|c| EventId(uuid::Uuid::from_u128(c))),
            )
        })
}

/// Any event of any type with arbitrary (bounded) payload values.
pub fn arb_event() -> impl Strategy<Value = Event> {
    let text = || arb_text(60);
    let task = || any::<u8>().prop_map(task_id_pool);
    let tokens = || proptest::collection::vec(arb_text(8), 0..5).prop_map(|v| v.into_iter().collect::<Tokens>());
    let code = prop_oneof![
        Just(FailureCode::Provider),
        Just(FailureCode::RateLimited),
        Just(FailureCode::Stalled),
        Just(FailureCode::MalformedOutput),
        Just(FailureCode::Interrupted),
        Just(FailureCode::Rejected),
    ];
    let kind = prop_oneof![
        Just(OperationKind::Chat),
        Just(OperationKind::ExtractTasks),
        Just(OperationKind::DailyPlan),
        Just(OperationKind::Summary),
    ];
    prop_oneof![
        text().prop_map(|text| Event::UserMessage(UserMessage { text })),
        text().prop_map(|text| Event::AssistantMessage(AssistantMessage { text })),
        ((-720i32..=840), proptest::option::of(arb_time())).prop_map(|(tz_offset_minutes, daily_plan_time)| {
            Event::SettingsUpdated(SettingsUpdated { tz_offset_minutes, daily_plan_time })
        }),
        (proptest::option::of(task()), text(), proptest::option::of(text()), proptest::option::of(arb_date()))
            .prop_map(|(task_id, title, notes, due_date)| Event::TaskCreated(TaskCreated {
                task_id,
                title,
                notes,
                due_date
            })),
        (task(), proptest::option::of(text()), proptest::option::of(text()), proptest::option::of(arb_date()))
            .prop_map(|(task_id, title, notes, due_date)| Event::TaskUpdated(TaskUpdated {
                task_id,
                title,
                notes,
                due_date
            })),
        task().prop_map(|task_id| Event::TaskCompleted(TaskCompleted { task_id })),
        task().prop_map(|task_id| Event::TaskDeleted(TaskDeleted { task_id })),
        proptest::option::of(arb_date()).prop_map(|date| Event::PlanRequested(PlanRequested { date })),
        arb_date().prop_map(|date| Event::WorkflowDailyPlan(WorkflowDailyPlan { date })),
        (
            arb_date(),
            proptest::collection::vec((proptest::option::of(arb_time()), text(), proptest::option::of(task())), 0..4)
        )
            .prop_map(|(date, items)| Event::PlanGenerated(PlanGenerated {
                date,
                items: items.into_iter().map(|(time, title, task_id)| PlanItem { time, title, task_id }).collect(),
            })),
        Just(Event::SummaryRequested(SummaryRequested {})),
        any::<u32>()
            .prop_map(|s| Event::WorkflowGenerateSummary(WorkflowGenerateSummary { through_seq: Seq(u64::from(s)) })),
        (text(), any::<u32>())
            .prop_map(|(text, s)| Event::SummaryGenerated(SummaryGenerated { text, through_seq: Seq(u64::from(s)) })),
        text().prop_map(|text| Event::TaskExtract(TaskExtract { text })),
        proptest::collection::vec((task(), text(), proptest::option::of(arb_date())), 0..4).prop_map(|ts| {
            Event::TasksExtracted(TasksExtracted {
                tasks: ts
                    .into_iter()
                    .map(|(task_id, title, due_date)| ExtractedTask { task_id, title, due_date })
                    .collect(),
            })
        }),
        (kind, 1u32..5).prop_map(|(kind, attempt)| Event::LlmStarted(LlmStarted { kind, attempt })),
        (1u32..5, any::<u32>(), arb_text(8)).prop_map(|(attempt, index, text)| Event::LlmToken(LlmToken {
            attempt,
            index,
            text
        })),
        (1u32..5, any::<u16>(), tokens()).prop_map(|(attempt, f, tokens)| Event::LlmCheckpoint(LlmCheckpoint {
            attempt,
            from_index: u32::from(f),
            tokens
        })),
        (1u32..5, any::<u16>(), tokens()).prop_map(|(attempt, f, tokens)| Event::LlmCompleted(LlmCompleted {
            attempt,
            from_index: u32::from(f),
            tokens
        })),
        (1u32..5, code, text(), any::<bool>()).prop_map(|(attempt, code, message, terminal)| Event::LlmFailed(
            LlmFailed { attempt, code, message, terminal }
        )),
        (1u32..5, any::<u32>()).prop_map(|(attempt, at)| Event::LlmRetryScheduled(LlmRetryScheduled {
            attempt,
            at: Timestamp(u64::from(at))
        })),
        any::<u128>().prop_map(|o| Event::LlmCancel(LlmCancel { operation_id: OperationId(uuid::Uuid::from_u128(o)) })),
    ]
}

/// Any envelope.
pub fn arb_envelope() -> impl Strategy<Value = Envelope> {
    (arb_event(), arb_ids(), 1u64..1_000_000, any::<u64>(), "[a-z0-9]{1,12}").prop_map(
        |(event, (event_id, request_id, client_action_id, operation_id, causation_id), seq, ts, user)| Envelope {
            v: SCHEMA_VERSION,
            seq: Seq(seq),
            event_id,
            timestamp: Timestamp(ts >> 1),
            user_id: UserId(user),
            request_id,
            client_action_id,
            operation_id,
            causation_id,
            event,
        },
    )
}

/// Why a checker failed.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CheckFailed(pub String);

fn diff(what: &str, a: &State, b: &State) -> CheckFailed {
    CheckFailed(format!(
        "{what}\n  left:  {}\n  right: {}",
        String::from_utf8_lossy(&a.to_bytes()),
        String::from_utf8_lossy(&b.to_bytes())
    ))
}

/// (a) Replaying `log` from empty state gives `live` byte for byte.
pub fn check_replay(live: &State, log: &[Envelope], bounds: &Bounds) -> Result<(), CheckFailed> {
    let replayed = replay(log, bounds);
    if replayed.to_bytes() != live.to_bytes() {
        return Err(diff("replay differs from the live state", live, &replayed));
    }
    Ok(())
}

/// (c) For every `k` (stepping by `step`), a snapshot after event `k`
/// (encoded in small pieces and decoded) plus the tail equals the full replay.
pub fn check_snapshot_prefixes(log: &[Envelope], bounds: &Bounds, step: usize) -> Result<(), CheckFailed> {
    let full = replay(log, bounds).to_bytes();
    let mut state = State::default();
    for (k, env) in log.iter().enumerate() {
        state.apply(env, bounds);
        if k % step.max(1) != 0 {
            continue;
        }
        let rec = snapshot::encode(&state, 64);
        if rec.pieces.iter().any(|p| p.len() > 64 + 3) {
            return Err(CheckFailed(format!("snapshot piece over the limit after event {k}")));
        }
        let restored =
            snapshot::decode(&rec).map_err(|e| CheckFailed(format!("snapshot after {k} does not decode: {e:?}")))?;
        let resumed = replay_from(restored, &log[k + 1..], bounds);
        if resumed.to_bytes() != full {
            return Err(diff(
                &format!("snapshot after event {k} + tail differs from the full replay"),
                &resumed,
                &replay(log, bounds),
            ));
        }
    }
    Ok(())
}

/// (d) An envelope survives its wire format unchanged, and re-encodes to the same bytes.
pub fn check_round_trip(env: &Envelope) -> Result<(), CheckFailed> {
    let json = env.to_json();
    let back = Envelope::from_json(&json).map_err(|e| CheckFailed(format!("{json} does not decode: {e}")))?;
    if &back != env || back.to_json() != json {
        return Err(CheckFailed(format!("round trip changed the envelope: {json}")));
    }
    Ok(())
}

/// (f) For every completed operation in `log`, the token frames pushed for its
/// final attempt concatenate to the text it completed with, each index once.
pub fn check_tokens_concatenate(pushed: &[Frame], log: &[Envelope], state: &State) -> Result<(), CheckFailed> {
    for env in log {
        let (Event::LlmCompleted(p), Some(op)) = (&env.event, env.operation_id) else { continue };
        let mut tokens: Vec<(u32, &str)> = pushed
            .iter()
            .filter_map(|f| match f {
                Frame::Token { operation_id, attempt, index, text, .. }
                    if *operation_id == op && *attempt == p.attempt =>
                {
                    Some((*index, text.as_str()))
                }
                _ => None,
            })
            .collect();
        tokens.sort_by_key(|t| t.0);
        if tokens.iter().enumerate().any(|(i, t)| t.0 != i as u32) {
            return Err(CheckFailed(format!("operation {op}: token indices have gaps or repeats")));
        }
        let pushed_text: String = tokens.iter().map(|t| t.1).collect();
        let stored: String = log
            .iter()
            .filter(|e| e.operation_id == Some(op))
            .flat_map(|e| match &e.event {
                Event::LlmCheckpoint(c) if c.attempt == p.attempt => Some(c.tokens.as_text().to_string()),
                Event::LlmCompleted(c) if c.attempt == p.attempt => Some(c.tokens.as_text().to_string()),
                _ => None,
            })
            .collect();
        if pushed_text != stored {
            return Err(CheckFailed(format!(
                "operation {op}: pushed tokens {pushed_text:?} != stored text {stored:?}"
            )));
        }
        if let Some(o) = state.operations.get(&op) {
            if o.status == OperationStatus::Completed && o.text != stored {
                return Err(CheckFailed(format!("operation {op}: state text {:?} != stored text {stored:?}", o.text)));
            }
        }
    }
    Ok(())
}
