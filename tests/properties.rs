//! Property-based replay suite of the assistant, with the kernel's checks
//! ([`microcos_memory::check`]). Case counts come from `PROPTEST_CASES`
//! (the test command sets at least 256); failures are persisted under
//! `tests/properties.proptest-regressions` and committed.

mod common;

use microcos_assistant::testing::{arb_client_ops, arb_envelope, check_round_trip};
use microcos_assistant::{Assistant, AssistantBounds};
use microcos_core::Bounds;
use microcos_core::Config;
use microcos_memory::check::{
    arb_hostile_fault, arb_resume, check_crash_at_every_append, check_live_run, check_resume_exactly_once,
    check_retries_change_nothing,
};
use microcos_memory::Sim;
use proptest::prelude::*;

fn config() -> Config {
    let bounds = Bounds { idempotency_entries: 16, ..Bounds::default() };
    // Small caps, so that hostile models (endless, one piece) hit them fast.
    Config {
        bounds,
        checkpoint_tokens: 4,
        checkpoint_ms: 50,
        snapshot_every: 7,
        max_reply_bytes: 512,
        max_token_bytes: 256,
        max_streaming: 2,
        ..Config::default()
    }
}

fn assistant() -> Assistant {
    let bounds = AssistantBounds { chat_window: 6, max_done_tasks: 3, ..AssistantBounds::default() };
    Assistant { bounds, summary_trigger: 4, ..Assistant::default() }
}

fn new_sim() -> Sim<Assistant> {
    common::sim_with("prop", config(), assistant())
}

proptest! {
    /// (a) replaying the log gives byte-identical state to the live run,
    /// (c) a snapshot after any event plus the tail equals the full replay,
    /// (d) every stored event round-trips, (f) pushed tokens concatenate to the stored text.
    #[test]
    fn live_state_equals_replay_and_snapshots_compose(
        ops in arb_client_ops(40),
        faults in proptest::collection::vec(arb_hostile_fault(), 1..6),
    ) {
        check_live_run(new_sim, &ops, &faults)?;
    }

    /// (b) exact retries of any subset of accepted requests, at any later
    /// point, change neither the log nor the state.
    #[test]
    fn duplicating_inputs_changes_nothing(
        ops in arb_client_ops(30),
        faults in proptest::collection::vec(arb_hostile_fault(), 1..4),
        picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..8),
    ) {
        check_retries_change_nothing(new_sim, &ops, &faults, &picks)?;
    }

    /// (e) a storage failure or crash at every append of a run (a batch
    /// that fails midway stores none of its rows), with hostile models
    /// (failures, stalls, refusals, one-piece and endless replies), then a
    /// restore: no acknowledged event lost, no effect for an unacknowledged
    /// event, every operation ends within its attempts, state equals the
    /// replay of what was persisted, and (f) the restored partial text
    /// equals the last checkpoint.
    #[test]
    fn crash_at_every_step_loses_nothing_acknowledged(
        ops in arb_client_ops(16),
        faults in proptest::collection::vec(arb_hostile_fault(), 1..4),
    ) {
        check_crash_at_every_append(new_sim, &ops, &faults)?;
    }

    /// (d) every envelope of every type round-trips through its wire format.
    #[test]
    fn every_envelope_round_trips(env in arb_envelope()) {
        check_round_trip(&env)?;
    }

    /// A client that resumes with its cursor gets every token exactly once,
    /// whatever is lost, retried or recorded in between.
    #[test]
    fn a_resuming_client_gets_every_token_exactly_once(
        case in arb_resume(),
        checkpoint_tokens in 1u32..8,
        checkpoint_ms in 5u64..100,
    ) {
        let sim = || common::sim("resume", Config { checkpoint_tokens, checkpoint_ms, ..Config::default() });
        let start = r#"{"type":"user.message","payload":{"text":"stream"}}"#;
        let other = r#"{"type":"task.created","payload":{"title":"a task"}}"#;
        let answer = "Here is a streamed answer · with many pieces, to resume in the middle of it.";
        check_resume_exactly_once(sim, start, other, answer, &case)?;
    }
}

/// One step of reminder traffic: set (a used id, a due time from a small
/// set, so that ids and due times repeat), cancel, or let time pass.
#[derive(Clone, Debug)]
enum ReminderStep {
    Set { id: u8, due_min: u8 },
    Cancel { id: u8 },
    Pass { minutes: u8 },
    Restart,
}

fn arb_reminder_steps() -> impl Strategy<Value = Vec<ReminderStep>> {
    let step = prop_oneof![
        3 => (0u8..3, 1u8..6).prop_map(|(id, due_min)| ReminderStep::Set { id, due_min }),
        2 => (0u8..3).prop_map(|id| ReminderStep::Cancel { id }),
        2 => (0u8..4).prop_map(|minutes| ReminderStep::Pass { minutes }),
        1 => Just(ReminderStep::Restart),
    ];
    proptest::collection::vec(step, 1..40)
}

proptest! {
    /// Reminders set, cancelled and set again with the same ids and due
    /// times (after a cancel, or after the kept fired ones pushed them out):
    /// every occurrence that comes due fires exactly once, before anything
    /// else happens to it, and afterwards the user is idle (no wake in the past).
    #[test]
    fn every_reminder_set_fires_exactly_once_and_the_user_goes_idle(steps in arb_reminder_steps()) {
        use microcos_assistant::{AssistantEvent, ReminderId};
        use microcos_core::{Clock, Event, Timestamp};
        let bounds = AssistantBounds { max_fired_reminders: 1, ..AssistantBounds::default() };
        let assistant = Assistant { bounds, ..Assistant::default() };
        let mut sim = common::sim_with("rem", Config { rate_per_s: 0, ..Config::default() }, assistant);
        let base = microcos_memory::SIM_EPOCH_MS;
        let rid = |id: u8| format!("00000000-0000-4000-8000-0000000000{id:02x}");
        for step in &steps {
            match step {
                ReminderStep::Set { id, due_min } => {
                    let at = base + u64::from(*due_min) * 60_000;
                    let body = format!(
                        r#"{{"type":"reminder.set","payload":{{"text":"r","reminder_id":"{}","at":{at}}}}}"#,
                        rid(*id)
                    );
                    let _ = sim.send(&body); // refused while it exists
                }
                ReminderStep::Cancel { id } => {
                    let body = format!(r#"{{"type":"reminder.cancelled","payload":{{"reminder_id":"{}"}}}}"#, rid(*id));
                    let _ = sim.send(&body);
                }
                ReminderStep::Pass { minutes } => {
                    sim.clock.set(Timestamp(sim.clock.now().0 + u64::from(*minutes) * 60_000));
                }
                ReminderStep::Restart => {
                    sim.restart().unwrap();
                }
            }
            sim.settle(0).unwrap();
        }
        let now = sim.clock.now();
        // Walk the log: each id is absent, scheduled at a due time, or fired.
        let mut scheduled: std::collections::BTreeMap<ReminderId, u64> = Default::default();
        for env in common::log(&sim.store) {
            let Event::Domain(event) = env.event else { continue };
            match event {
                AssistantEvent::ReminderSet(p) => {
                    let id = p.reminder_id.unwrap();
                    prop_assert!(!scheduled.contains_key(&id));
                    scheduled.insert(id, p.at.unwrap().0);
                }
                AssistantEvent::ReminderFired(p) => {
                    let due = scheduled.remove(&p.reminder_id);
                    prop_assert_eq!(due, Some(p.due.0), "a fire of a reminder not scheduled at that time");
                }
                AssistantEvent::ReminderCancelled(p) => {
                    if let Some(due) = scheduled.remove(&p.reminder_id) {
                        prop_assert!(due > env.timestamp.0, "a reminder due at {} was cancelled at {} unfired", due, env.timestamp.0);
                    }
                }
                _ => {}
            }
        }
        for due in scheduled.values() {
            prop_assert!(*due > now.0, "a reminder due at {} has not fired at {}", due, now.0);
        }
        prop_assert!(sim.next_alarm().is_none_or(|at| at > now), "a wake in the past: the user would spin");
        let rows = sim.store.len();
        sim.tick().unwrap();
        prop_assert_eq!(sim.store.len(), rows, "a tick when idle records nothing");
    }
}
