//! Property-testing kit for any domain (feature `testing`): client traffic
//! as data, strategies for the kernel's envelopes, and checkers for the
//! replay invariants. Use them on your own domain and logs:
//!
//! ```ignore
//! use microcos_core::testing::{check_replay, check_snapshot_prefixes};
//! check_replay(&live_state, &log, &my_domain, &Bounds::default())?;
//! check_snapshot_prefixes(&log, &my_domain, &Bounds::default(), 1)?;
//! ```
//!
//! States are compared by value (the domain's `PartialEq`) as well as by
//! bytes, so a field the state does not serialise (`#[serde(skip)]`) fails
//! the snapshot checks; and an event that opens an operation must have been
//! recorded with its id ([`Domain::opens`] answering from the event alone,
//! not from the state). A [`CheckFailed`] converts
//! into proptest's failure, so `?` works inside `proptest!`.
//!
//! A domain's own crate supplies strategies of its client bodies and events
//! (as the assistant crate does in its `testing` module); the simulation harness of
//! `microcos-memory` runs traffic against the kernel with crashes and faults.

use std::format;
use std::string::{String, ToString};
use std::vec::Vec;

use proptest::prelude::*;

use crate::domain::Domain;
use crate::event::{Catalogue, Envelope, Event, SCHEMA_VERSION};
use crate::frame::Frame;
use crate::ids::*;
use crate::operation::{
    FailureCode, LlmCancel, LlmCheckpoint, LlmCompleted, LlmEvent, LlmFailed, LlmRetryScheduled, LlmStarted, LlmToken,
    OperationKind, OperationStatus, Tokens,
};
use crate::replay::replay_from;
use crate::snapshot;
use crate::state::{Bounds, State};

fn arb_text(max: usize) -> impl Strategy<Value = String> {
    proptest::string::string_regex(&format!("[a-zA-Z0-9 ,.!?éü😀-]{{1,{max}}}")).expect("valid regex").prop_map(|s| {
        if s.trim().is_empty() {
            "x".to_string()
        } else {
            s
        }
    })
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
    /// Let virtual time pass until the next wake the engine asks for (the
    /// earliest retry or job, from [`crate::Domain::jobs`]), then fire what
    /// is due: a job fires whatever its period (an hour, a week, a month).
    AdvanceToWake,
    /// Cancel the most recent operation, if it is still running.
    CancelLatest,
}

/// How generated client traffic lets virtual time pass
/// ([`arb_client_ops_timed`]). The weights are relative to the other steps
/// of traffic: 8 sends, 2 repeats, 3 model runs and 1 cancel.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimeSteps {
    /// The steps, in milliseconds, that an [`ClientOp::Advance`] picks from
    /// (add your domain's periods: a week, a month).
    pub fixed: Vec<u64>,
    /// Weight of [`ClientOp::Advance`] (0: never).
    pub advance: u32,
    /// Weight of [`ClientOp::AdvanceToWake`], the step that takes its
    /// length from the domain (0: never).
    pub to_wake: u32,
}

/// A second, a minute, an hour, a day, a week.
pub const DEFAULT_STEPS_MS: [u64; 5] = [1_000, 60_000, 3_600_000, 86_400_000, 7 * 86_400_000];

impl Default for TimeSteps {
    /// [`DEFAULT_STEPS_MS`] (weight 1) and the next wake (weight 3): in
    /// traffic of 30 steps, a job due a week or a month after any send
    /// fires in most runs.
    fn default() -> Self {
        TimeSteps { fixed: DEFAULT_STEPS_MS.to_vec(), advance: 1, to_wake: 3 }
    }
}

impl TimeSteps {
    /// Only these fixed steps (weight 1), never the next wake: the traffic
    /// of earlier versions was `TimeSteps::fixed(&[1_000, 60_000, 3_600_000, 86_400_000])`.
    pub fn fixed(steps: &[u64]) -> Self {
        TimeSteps { fixed: steps.to_vec(), advance: 1, to_wake: 0 }
    }

    /// These steps as well (your domain's periods).
    #[must_use]
    pub fn with_periods(mut self, periods: &[u64]) -> Self {
        self.fixed.extend_from_slice(periods);
        self
    }
}

/// Client traffic from a strategy of client bodies: sends (with duplicates
/// and conflicting reuses of ids), verbatim repeats, model runs, time
/// passing (fixed steps up to a week, and jumps to the domain's next wake:
/// [`TimeSteps::default`]) and cancels, in any order.
pub fn arb_client_ops_with(
    body: impl Strategy<Value = String> + 'static,
    max_len: usize,
) -> impl Strategy<Value = Vec<ClientOp>> {
    arb_client_ops_timed(body, max_len, TimeSteps::default())
}

/// [`arb_client_ops_with`], time passing as `steps` says.
pub fn arb_client_ops_timed(
    body: impl Strategy<Value = String> + 'static,
    max_len: usize,
    steps: TimeSteps,
) -> impl Strategy<Value = Vec<ClientOp>> {
    let mut arms: Vec<(u32, BoxedStrategy<ClientOp>)> = alloc::vec![
        (8, body.prop_map(ClientOp::Send).boxed()),
        (2, (1usize..6).prop_map(ClientOp::Repeat).boxed()),
        (3, Just(ClientOp::RunModel).boxed()),
    ];
    if steps.advance > 0 && !steps.fixed.is_empty() {
        arms.push((steps.advance, proptest::sample::select(steps.fixed).prop_map(ClientOp::Advance).boxed()));
    }
    if steps.to_wake > 0 {
        arms.push((steps.to_wake, Just(ClientOp::AdvanceToWake).boxed()));
    }
    arms.push((1, Just(ClientOp::CancelLatest).boxed()));
    proptest::collection::vec(proptest::strategy::Union::new_weighted(arms), 1..max_len)
}

/// Ids for an arbitrary envelope: event, request, client action, operation, causation.
pub fn arb_ids(
) -> impl Strategy<Value = (EventId, RequestId, Option<ClientActionId>, Option<OperationId>, Option<EventId>)> {
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

/// Any kernel (`llm.*`) event with arbitrary (bounded) values; `kinds` are
/// the domain's operation kinds.
pub fn arb_llm_event(kinds: &'static [&'static str]) -> impl Strategy<Value = LlmEvent> {
    let tokens = || proptest::collection::vec(arb_text(8), 0..5).prop_map(|v| v.into_iter().collect::<Tokens>());
    let code = prop_oneof![
        Just(FailureCode::Provider),
        Just(FailureCode::RateLimited),
        Just(FailureCode::Stalled),
        Just(FailureCode::MalformedOutput),
        Just(FailureCode::Interrupted),
        Just(FailureCode::Rejected),
        Just(FailureCode::OutputTooLarge),
    ];
    let kind = proptest::sample::select(kinds).prop_map(OperationKind::new);
    prop_oneof![
        (kind, 1u32..5).prop_map(|(kind, attempt)| LlmEvent::Started(LlmStarted { kind, attempt })),
        (1u32..5, any::<u32>(), arb_text(8)).prop_map(|(attempt, index, text)| LlmEvent::Token(LlmToken {
            attempt,
            index,
            text
        })),
        (1u32..5, any::<u16>(), tokens()).prop_map(|(attempt, f, tokens)| LlmEvent::Checkpoint(LlmCheckpoint {
            attempt,
            from_index: u32::from(f),
            tokens
        })),
        (1u32..5, any::<u16>(), tokens(), proptest::collection::vec((arb_text(8), arb_text(20), arb_text(40)), 0..3))
            .prop_map(|(attempt, f, tokens, calls)| LlmEvent::Completed(LlmCompleted {
                attempt,
                from_index: u32::from(f),
                tokens,
                tool_calls: calls
                    .into_iter()
                    .map(|(id, name, arguments)| crate::operation::ToolCall { id, name, arguments })
                    .collect(),
            })),
        (1u32..5, code, arb_text(60), any::<bool>()).prop_map(|(attempt, code, message, terminal)| LlmEvent::Failed(
            LlmFailed { attempt, code, message, terminal }
        )),
        (1u32..5, any::<u32>()).prop_map(|(attempt, at)| LlmEvent::RetryScheduled(LlmRetryScheduled {
            attempt,
            at: Timestamp(u64::from(at))
        })),
        any::<u128>().prop_map(|o| LlmEvent::Cancel(LlmCancel { operation_id: OperationId(uuid::Uuid::from_u128(o)) })),
    ]
}

/// Any envelope around events drawn from `events`.
pub fn arb_envelope_of<E: Catalogue>(events: impl Strategy<Value = Event<E>>) -> impl Strategy<Value = Envelope<E>> {
    (events, arb_ids(), 1u64..1_000_000, any::<u64>(), "[a-z0-9]{1,12}").prop_map(
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

/// Why a checker failed. It is an error (`std::error::Error`), so it
/// converts into proptest's failure (`TestCaseError::Fail` with its
/// message, through proptest's `From` for every error): `check_…(…)?`
/// inside `proptest!`.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct CheckFailed(pub String);

/// Compares two states by value (the domain's `PartialEq`) and by bytes
/// ([`State::to_bytes`]); `Ok` only when both agree.
pub fn compare_states<D: Domain>(what: &str, left: &State<D>, right: &State<D>) -> Result<(), CheckFailed> {
    let (a, b) = (left.to_bytes(), right.to_bytes());
    if a != b {
        return Err(CheckFailed(format!(
            "{what}\n  left:  {}\n  right: {}",
            String::from_utf8_lossy(&a),
            String::from_utf8_lossy(&b)
        )));
    }
    if left != right {
        // Same bytes, different values: a field the state does not
        // serialise (`#[serde(skip)]`) or does not read back as it was.
        return Err(CheckFailed(format!(
            "{what} (same bytes, different values: a state field that is not serialised, such as \
             #[serde(skip)], is lost on every restore from a snapshot)\n  left:  {:?}\n  right: {:?}",
            left.domain, right.domain
        )));
    }
    Ok(())
}

/// Replays `log` from empty state (dropping repeated event ids, as
/// [`crate::replay::replay`] does), checking that each event that opens an
/// operation ([`Domain::opens`] at the time it is applied) was recorded with
/// that operation's id. An event recorded without one was not seen to open
/// an operation when it was decided, so its operation is not started when
/// it is stored: the domain's answer depended on the state.
pub fn replay_checked<D: Domain>(
    log: &[Envelope<D::Event>],
    domain: &D,
    bounds: &Bounds,
) -> Result<State<D>, CheckFailed> {
    let mut seen = crate::dedupe::ExactSet::new();
    let mut state = State::<D>::default();
    for env in log {
        if !seen.insert(env.event_id.as_u128()) {
            continue;
        }
        if let (Event::Domain(event), None) = (&env.event, env.operation_id) {
            if domain.opens(&state.domain, event, &crate::domain::EventMeta::of(env)).is_some() {
                return Err(CheckFailed(format!(
                    "event {} ({}): Domain::opens opens an operation for it, but it was recorded without one, \
                     so its operation was not started when it was stored: whether an event opens an operation \
                     must follow from the event alone, not from the state",
                    env.seq.0,
                    env.event.event_type().as_str()
                )));
            }
        }
        state.apply(env, domain, bounds);
    }
    Ok(state)
}

/// (a) Replaying `log` from empty state gives `live`, byte for byte and by
/// value, and every event that opens an operation was recorded with its id.
pub fn check_replay<D: Domain>(
    live: &State<D>,
    log: &[Envelope<D::Event>],
    domain: &D,
    bounds: &Bounds,
) -> Result<(), CheckFailed> {
    let replayed = replay_checked(log, domain, bounds)?;
    compare_states("replay differs from the live state", live, &replayed)
}

/// (c) For every `k` (stepping by `step`), a snapshot after event `k`
/// (encoded in small pieces and decoded) restores the state it was taken
/// of, and plus the tail equals the full replay: by bytes and by value.
pub fn check_snapshot_prefixes<D: Domain>(
    log: &[Envelope<D::Event>],
    domain: &D,
    bounds: &Bounds,
    step: usize,
) -> Result<(), CheckFailed> {
    let full = replay_checked(log, domain, bounds)?;
    let mut state = State::<D>::default();
    for (k, env) in log.iter().enumerate() {
        state.apply(env, domain, bounds);
        if k % step.max(1) != 0 {
            continue;
        }
        let rec = snapshot::encode(&state, 64);
        if rec.pieces.iter().any(|p| p.len() > 64 + 3) {
            return Err(CheckFailed(format!("snapshot piece over the limit after event {k}")));
        }
        let restored = snapshot::decode::<D>(&rec)
            .map_err(|e| CheckFailed(format!("snapshot after {k} does not decode: {e:?}")))?;
        compare_states(&format!("the snapshot after event {k} restores another state"), &state, &restored)?;
        let resumed = replay_from(restored, &log[k + 1..], domain, bounds);
        compare_states(&format!("snapshot after event {k} + tail differs from the full replay"), &resumed, &full)?;
    }
    Ok(())
}

/// (d) An envelope survives its wire format unchanged, and re-encodes to the same bytes.
pub fn check_round_trip<E: Catalogue>(env: &Envelope<E>) -> Result<(), CheckFailed> {
    let json = env.to_json();
    let back = Envelope::<E>::from_json(&json).map_err(|e| CheckFailed(format!("{json} does not decode: {e}")))?;
    if &back != env || back.to_json() != json {
        return Err(CheckFailed(format!("round trip changed the envelope: {json}")));
    }
    Ok(())
}

/// (f) For every completed operation in `log`, the token frames pushed for its
/// final attempt concatenate to the text it completed with, each index once.
pub fn check_tokens_concatenate<D: Domain>(
    pushed: &[Frame<D::Event>],
    log: &[Envelope<D::Event>],
    state: &State<D>,
) -> Result<(), CheckFailed> {
    for env in log {
        let (Event::Llm(LlmEvent::Completed(p)), Some(op)) = (&env.event, env.operation_id) else { continue };
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
                Event::Llm(LlmEvent::Checkpoint(c)) if c.attempt == p.attempt => Some(c.tokens.as_text().to_string()),
                Event::Llm(LlmEvent::Completed(c)) if c.attempt == p.attempt => Some(c.tokens.as_text().to_string()),
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
