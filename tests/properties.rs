//! Property-based replay suite. Case counts come from `PROPTEST_CASES`
//! (the test command sets at least 256); failures are persisted under
//! `tests/properties.proptest-regressions` and committed.

mod common;

use std::collections::BTreeSet;

use common::log;
use microcos_assistant::testing::{
    arb_client_ops, arb_envelope, check_replay, check_round_trip, check_snapshot_prefixes, check_tokens_concatenate,
    ClientOp,
};
use microcos_assistant::{Assistant, AssistantBounds, Event};
use microcos_core::operation::LlmEvent;
use microcos_core::replay::replay;
use microcos_core::state::Bounds;
use microcos_core::{Accepted, Config, EventId, LlmError, LlmErrorKind, OperationStatus, RequestMeta};
use microcos_memory::{Script, Sim, Step, StoreFaults};
use proptest::prelude::*;

fn config() -> Config {
    let bounds = Bounds { idempotency_entries: 16, ..Bounds::default() };
    Config { bounds, checkpoint_tokens: 4, checkpoint_ms: 50, snapshot_every: 7, ..Config::default() }
}

fn assistant() -> Assistant {
    let bounds = AssistantBounds { chat_window: 6, max_done_tasks: 3, ..AssistantBounds::default() };
    Assistant { bounds, summary_trigger: 4, ..Assistant::default() }
}

fn new_sim() -> Sim<Assistant> {
    common::sim_with("prop", config(), assistant())
}

/// What the model does on its next call.
#[derive(Clone, Debug)]
enum Model {
    StandIn,
    FailAt(usize),
    StallAt(usize),
    Refuse(bool),
}

fn arb_model() -> impl Strategy<Value = Model> {
    prop_oneof![
        4 => Just(Model::StandIn),
        1 => (0usize..6).prop_map(Model::FailAt),
        1 => (0usize..6).prop_map(Model::StallAt),
        1 => any::<bool>().prop_map(Model::Refuse),
    ]
}

fn queue(sim: &Sim<Assistant>, model: &Model) {
    let tokens = |n: usize| (0..n).map(|i| Step::Token(format!("t{i} "))).collect::<Vec<_>>();
    let script = match model {
        Model::StandIn => return,
        Model::FailAt(n) => {
            let mut s = tokens(*n);
            s.push(Step::Fail(LlmError::new(LlmErrorKind::Provider, "boom")));
            Script::Reply(s)
        }
        Model::StallAt(n) => {
            let mut s = tokens(*n);
            s.push(Step::Stall);
            Script::Reply(s)
        }
        Model::Refuse(retryable) => {
            let kind = if *retryable { LlmErrorKind::RateLimited } else { LlmErrorKind::Rejected };
            Script::StartError(LlmError::new(kind, "no"))
        }
    };
    sim.llm.queue(script);
}

/// Plays client traffic; returns what each send answered (by position).
struct Played {
    /// Accepted sends: (index among sends, answer).
    accepted: Vec<(usize, Accepted)>,
    /// Op position of each send.
    positions: Vec<usize>,
    metas: Vec<RequestMeta>,
}

/// The ids of the next request: fresh, or those of the same request in an earlier run.
fn take_meta(sim: &mut Sim<Assistant>, metas: Option<&[RequestMeta]>, played: &mut Played) -> RequestMeta {
    let meta = match metas {
        Some(m) => m[played.metas.len()],
        None => sim.next_meta(),
    };
    played.metas.push(meta);
    meta
}

fn play(
    sim: &mut Sim<Assistant>,
    ops: &[ClientOp],
    models: &[Model],
    metas: Option<&[RequestMeta]>,
    dup_after: &[(usize, usize)],
) -> Played {
    let mut sent: Vec<(String, RequestMeta)> = Vec::new();
    let mut played = Played { accepted: Vec::new(), positions: Vec::new(), metas: Vec::new() };
    let mut model = models.iter().cycle();
    for (i, op) in ops.iter().enumerate() {
        match op {
            ClientOp::Send(_) | ClientOp::Repeat(_) => {
                let body = match op {
                    ClientOp::Send(body) => Some(body.clone()),
                    ClientOp::Repeat(back) => sent.len().checked_sub(*back).map(|k| sent[k].0.clone()),
                    _ => None,
                };
                if let Some(body) = body {
                    let meta = take_meta(sim, metas, &mut played);
                    if let Ok(a) = sim.send_as(&body, meta) {
                        played.accepted.push((sent.len(), a));
                    }
                    played.positions.push(i);
                    sent.push((body, meta));
                }
            }
            ClientOp::RunModel => {
                if let Some(m) = model.next() {
                    queue(sim, m);
                }
                let _ = sim.run();
            }
            ClientOp::Advance(ms) => {
                sim.clock.advance(*ms);
                let _ = sim.tick();
            }
            ClientOp::CancelLatest => {
                let latest = sim
                    .state()
                    .and_then(|s| s.operations_in_flight().max_by_key(|o| o.request_seq).map(|o| o.operation_id));
                if let Some(op) = latest {
                    let meta = take_meta(sim, metas, &mut played);
                    let _ =
                        sim.send_as(&format!(r#"{{"type":"llm.cancel","payload":{{"operation_id":"{op}"}}}}"#), meta);
                }
            }
        }
        // Exact retries of earlier accepted requests, injected after step i.
        for (after, idx) in dup_after {
            if *after == i {
                if let Some((body, meta)) = sent.get(*idx).cloned() {
                    let again = sim.send_as(&body, meta);
                    assert!(
                        again.as_ref().is_ok_and(|a| a.duplicate),
                        "retry of send #{idx} was not a duplicate: {again:?}"
                    );
                }
            }
        }
    }
    let _ = sim.settle(3_600_000);
    played
}

fn bodies(sim: &Sim<Assistant>) -> Vec<String> {
    sim.store.rows().into_iter().map(|r| r.body).collect()
}

proptest! {
    /// (a) replaying the log gives byte-identical state to the live run,
    /// (c) a snapshot after any event plus the tail equals the full replay,
    /// (d) every stored event round-trips, (f) pushed tokens concatenate to the stored text.
    #[test]
    fn live_state_equals_replay_and_snapshots_compose(
        ops in arb_client_ops(40),
        models in proptest::collection::vec(arb_model(), 1..6),
    ) {
        let mut sim = new_sim();
        play(&mut sim, &ops, &models, None, &[]);
        let log = log(&sim.store);
        let live = sim.state().expect("engine up");
        check_replay(&live, &log, &assistant(), &config().bounds).map_err(|e| TestCaseError::fail(e.0))?;
        check_snapshot_prefixes(&log, &assistant(), &config().bounds, 1).map_err(|e| TestCaseError::fail(e.0))?;
        for env in &log {
            check_round_trip(env).map_err(|e| TestCaseError::fail(e.0))?;
        }
        check_tokens_concatenate(&sim.push.pushed(), &log, &live).map_err(|e| TestCaseError::fail(e.0))?;
        prop_assert!(sim.push.violations().is_empty(), "{:?}", sim.push.violations());
        prop_assert!(sim.llm.violations().is_empty(), "{:?}", sim.llm.violations());
        // Nothing is left stuck: every operation finished once time passed.
        prop_assert!(live.operations_in_flight().next().is_none(), "stuck: {:?}", live.operations_in_flight().collect::<Vec<_>>());
    }

    /// (b) exact retries of any subset of accepted requests, at any later
    /// point, change neither the log nor the state.
    #[test]
    fn duplicating_inputs_changes_nothing(
        ops in arb_client_ops(30),
        models in proptest::collection::vec(arb_model(), 1..4),
        picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..8),
    ) {
        let mut once = new_sim();
        let first = play(&mut once, &ops, &models, None, &[]);
        // Requests that stored an event: their event id is known forever (a
        // repeat answered from the bounded client-action window is not).
        let fresh: Vec<usize> = first.accepted.iter().filter(|(_, a)| !a.duplicate).map(|(i, _)| *i).collect();
        prop_assume!(!fresh.is_empty());
        let dups: Vec<(usize, usize)> = picks
            .iter()
            .map(|(a, at)| {
                let idx = fresh[a.index(fresh.len())];
                // Retry at an op position at or after the original send.
                let pos = first.positions[idx];
                (pos + at.index(ops.len() - pos), idx)
            })
            .collect();
        let mut twice = new_sim();
        play(&mut twice, &ops, &models, Some(&first.metas), &dups);
        prop_assert_eq!(bodies(&once), bodies(&twice));
        prop_assert_eq!(once.state().unwrap().to_bytes(), twice.state().unwrap().to_bytes());
    }

    /// (e) a storage failure or crash at every append of a run, then a
    /// restore: no acknowledged event lost, no effect for an unacknowledged
    /// event, state equals the replay of what was persisted, and (f) the
    /// restored partial text equals the last checkpoint.
    #[test]
    fn crash_at_every_step_loses_nothing_acknowledged(
        ops in arb_client_ops(16),
        models in proptest::collection::vec(arb_model(), 1..4),
    ) {
        let mut clean = new_sim();
        play(&mut clean, &ops, &models, None, &[]);
        let appends = clean.store.append_calls();
        for point in 1..=appends {
            let mut sim = new_sim();
            let faults = if point % 2 == 0 {
                StoreFaults { crash_after_appends: [point].into(), ..StoreFaults::default() }
            } else {
                StoreFaults { fail_appends: [point].into(), ..StoreFaults::default() }
            };
            sim.store.set_faults(faults);
            let played = play(&mut sim, &ops, &models, None, &[]);

            // Partial texts right after the crash equal the last checkpoint.
            let persisted = log(&sim.store);
            let replayed = replay(&persisted, &assistant(), &config().bounds);
            for op in replayed.operations.values().filter(|o| o.status == OperationStatus::Streaming) {
                let checkpointed: String = persisted.iter().filter(|e| e.operation_id == Some(op.operation_id)).flat_map(|e| match &e.event {
                    Event::Llm(LlmEvent::Checkpoint(c)) if c.attempt == op.attempt => Some(c.tokens.as_text().to_string()),
                    _ => None,
                }).collect();
                prop_assert_eq!(&op.text, &checkpointed);
            }

            sim.restart().map_err(|e| TestCaseError::fail(e.to_string()))?;
            let _ = sim.settle(3_600_000);
            let persisted = log(&sim.store);
            let stored: BTreeSet<EventId> = persisted.iter().map(|e| e.event_id).collect();
            for (_, a) in &played.accepted {
                prop_assert!(stored.contains(&a.event_id), "acknowledged event {} lost (crash at append {point})", a.event_id);
            }
            prop_assert!(sim.push.violations().is_empty(), "crash at {point}: {:?}", sim.push.violations());
            prop_assert!(sim.llm.violations().is_empty(), "crash at {point}: {:?}", sim.llm.violations());
            let live = sim.state().expect("engine up");
            check_replay(&live, &persisted, &assistant(), &config().bounds).map_err(|e| TestCaseError::fail(format!("crash at {point}: {}", e.0)))?;
            prop_assert!(live.operations_in_flight().next().is_none(), "crash at {point}: an operation is stuck");
        }
    }

    /// (d) every envelope of every type round-trips through its wire format.
    #[test]
    fn every_envelope_round_trips(env in arb_envelope()) {
        check_round_trip(&env).map_err(|e| TestCaseError::fail(e.0))?;
    }
}
