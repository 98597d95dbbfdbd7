//! The example domain (`examples/triage`) under the kernel's checks: the
//! same replay, retry, crash and resume properties the assistant passes.

#[path = "../examples/triage/domain.rs"]
#[allow(dead_code, missing_docs)]
mod domain;

use domain::{TicketTriage, TICKET_CLOSED};
use microcos_core::testing::arb_client_ops_with;
use microcos_core::Config;
use microcos_memory::check::{
    arb_fault, arb_hostile_fault, arb_resume, check_crash_at_every_append, check_live_run, check_resume_exactly_once,
    check_retries_change_nothing,
};
use microcos_memory::{SendError, Sim, StandIn};
use proptest::prelude::*;

fn config() -> Config {
    Config {
        checkpoint_tokens: 4,
        checkpoint_ms: 50,
        snapshot_every: 5,
        max_reply_bytes: 512,
        max_token_bytes: 256,
        max_streaming: 2,
        ..Config::default()
    }
}

fn sim() -> Sim<TicketTriage> {
    let sim = Sim::new("desk", config(), TicketTriage::default());
    sim.llm.set_stand_in(StandIn::new(domain::stand_in_reply));
    sim
}

/// A pool of ticket ids: clients open tickets with chosen event ids, so
/// that closes hit opened tickets (and sometimes closed or unknown ones).
fn ticket(i: u8) -> String {
    microcos_core::uuid::Uuid::from_u128(0x71c4_0000_0000_4000_8000_0000_0000_0000 | u128::from(i % 6)).to_string()
}

fn arb_body() -> impl Strategy<Value = String> {
    let words = "(site down|refund|crash|login|idea|invoice|error)( [a-z]{1,8}){0,6}";
    let opened = (any::<u8>(), words, words).prop_map(|(i, subject, body)| {
        serde_json::json!({"type": "ticket.opened", "event_id": ticket(i), "payload": {"subject": subject, "body": body}})
    });
    let closed =
        any::<u8>().prop_map(|i| serde_json::json!({"type": "ticket.closed", "payload": {"ticket_id": ticket(i)}}));
    let action = proptest::option::of((0u16..32).prop_map(|n| format!("ca-{n}")));
    (prop_oneof![3 => opened, 2 => closed], action).prop_map(|(mut body, action)| {
        if let Some(a) = action {
            body["client_action_id"] = serde_json::json!(a);
        }
        body.to_string()
    })
}

#[test]
fn a_ticket_is_triaged_escalated_once_and_closed_once() {
    let mut sim = sim();
    let body = r#"{"type":"ticket.opened","payload":{"subject":"Site is down","body":"Nothing loads."}}"#;
    let opened = sim.send(body).unwrap();
    sim.run().unwrap();
    let state = sim.state().unwrap();
    let ticket = &state.domain.tickets[&domain::TicketId(opened.event_id.0)];
    assert_eq!(ticket.triage.as_ref().map(|t| t.priority), Some(domain::Priority::Urgent));
    // The deadline is the next alarm; at that time the job escalates once.
    let at = sim.next_alarm().unwrap();
    assert_eq!(at.0, ticket.opened_at.0 + 3_600_000);
    sim.clock.set(at);
    sim.tick().unwrap();
    sim.tick().unwrap();
    let escalations = sim.store.rows().iter().filter(|r| r.event_type == "ticket.escalated").count();
    assert_eq!(escalations, 1);
    assert_eq!(sim.next_alarm(), None);
    let close = format!(r#"{{"type":"ticket.closed","payload":{{"ticket_id":"{}"}}}}"#, opened.event_id);
    sim.send(&close).unwrap();
    match sim.send(&close) {
        Err(SendError::Engine(microcos_core::EngineError::Rejected(r))) => assert_eq!(r.code, TICKET_CLOSED),
        other => panic!("a second close must be refused: {other:?}"),
    }
}

#[test]
fn malformed_triage_output_is_a_recorded_retryable_failure() {
    let mut sim = sim();
    sim.llm.queue(microcos_memory::Script::tokens(["not ", "json"]));
    let body = r#"{"type":"ticket.opened","payload":{"subject":"Help","body":"My login fails."}}"#;
    let opened = sim.send(body).unwrap();
    sim.settle(60_000).unwrap();
    let state = sim.state().unwrap();
    let op = &state.operations[&opened.operation_id.unwrap()];
    assert_eq!((op.status, op.attempt), (microcos_core::OperationStatus::Completed, 2));
    assert!(sim.store.rows().iter().any(|r| r.body.contains("malformed_output")));
}

proptest! {
    #[test]
    fn live_state_equals_replay_and_snapshots_compose(
        ops in arb_client_ops_with(arb_body(), 30),
        faults in proptest::collection::vec(arb_hostile_fault(), 1..5),
    ) {
        check_live_run(sim, &ops, &faults)?;
    }

    #[test]
    fn exact_retries_change_nothing(
        ops in arb_client_ops_with(arb_body(), 24),
        faults in proptest::collection::vec(arb_hostile_fault(), 1..4),
        picks in proptest::collection::vec((any::<prop::sample::Index>(), any::<prop::sample::Index>()), 0..6),
    ) {
        check_retries_change_nothing(sim, &ops, &faults, &picks)?;
    }

    #[test]
    fn a_crash_at_every_append_loses_nothing_acknowledged(
        ops in arb_client_ops_with(arb_body(), 12),
        faults in proptest::collection::vec(arb_fault(), 1..3),
    ) {
        check_crash_at_every_append(sim, &ops, &faults)?;
    }

    #[test]
    fn a_resuming_client_gets_every_token_exactly_once(case in arb_resume()) {
        let start = r#"{"type":"ticket.opened","payload":{"subject":"Stream","body":"A long answer."}}"#;
        let other = r#"{"type":"ticket.opened","payload":{"subject":"Other","body":"Meanwhile."}}"#;
        let answer = r#"{"priority":"high","category":"bug","summary":"The customer reports a crash on start."}"#;
        check_resume_exactly_once(sim, start, other, answer, &case)?;
    }
}

/// How often the escalation job fires in 200 generated runs (a fixed
/// seed), with the traffic of earlier versions (fixed steps of at most a
/// day) and with the default traffic (which also jumps to the next wake).
#[test]
fn the_escalation_job_fires_in_most_generated_runs() {
    use microcos_core::testing::{arb_client_ops_timed, ClientOp, TimeSteps};
    use proptest::strategy::ValueTree;
    use proptest::test_runner::{RngAlgorithm, TestRng, TestRunner};
    let runs = |ops: BoxedStrategy<Vec<ClientOp>>| {
        let mut runner = TestRunner::new_with_rng(
            proptest::test_runner::Config::default(),
            TestRng::deterministic_rng(RngAlgorithm::ChaCha),
        );
        (0..200)
            .filter(|_| {
                let ops = ops.new_tree(&mut runner).expect("generates").current();
                let mut sim = sim();
                microcos_memory::check::play(&mut sim, &ops, &[microcos_memory::check::Fault::None], None, &[]);
                sim.store.rows().iter().any(|r| r.event_type == "ticket.escalated")
            })
            .count()
    };
    let old_steps = TimeSteps::fixed(&[1_000, 60_000, 3_600_000, 86_400_000]);
    let before = runs(arb_client_ops_timed(arb_body(), 30, old_steps).boxed());
    let after = runs(arb_client_ops_with(arb_body(), 30).boxed());
    eprintln!("ticket.escalated in 200 runs: {before} with steps of a day at most, {after} now");
    assert!(after > 100 && after > before, "{before} -> {after}");
}
