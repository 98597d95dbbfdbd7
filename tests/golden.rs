//! Golden log: a scripted session covering every kind of event, kept as a
//! JSON-lines fixture, and the state its replay must produce, pinned.
//! `MICROCOS_BLESS=1` rewrites the fixture after a deliberate change.

mod common;

use microcos_assistant::Assistant;
use microcos_core::replay::{replay, Replayer};
use microcos_core::Bounds;
use microcos_core::{Config, LlmError, LlmErrorKind};
use microcos_memory::{Script, Sim, Step};

fn session() -> Sim<Assistant> {
    let mut sim = common::sim("golden", Config { checkpoint_tokens: 4, ..Config::default() });
    let send = |sim: &mut Sim<Assistant>, body: &str| {
        sim.send(body).expect("accepted");
    };
    send(&mut sim, r#"{"type":"settings.updated","payload":{"tz_offset_minutes":60,"daily_plan_time":"07:00"}}"#);
    send(
        &mut sim,
        r#"{"type":"task.created","payload":{"title":"Book flights","due_date":"2026-12-01"},"client_action_id":"t1"}"#,
    );
    send(&mut sim, r#"{"type":"task.created","payload":{"title":"Pay rent"},"client_action_id":"t2"}"#);
    sim.llm.queue(Script::Reply(vec![
        Step::Token("Let".into()),
        Step::Fail(LlmError::new(LlmErrorKind::Provider, "503")),
    ]));
    send(&mut sim, r#"{"type":"user.message","payload":{"text":"What is first? Ünïcødé ✓ \"quoted\""}}"#);
    sim.settle(60_000).expect("settles");
    send(&mut sim, r#"{"type":"task.extract","payload":{"text":"Call Ann. Renew passport; buy milk"}}"#);
    sim.run().expect("runs");
    send(&mut sim, r#"{"type":"plan.requested","payload":{}}"#);
    sim.run().expect("runs");
    sim.clock.advance(86_400_000);
    sim.tick().expect("daily plan");
    send(&mut sim, r#"{"type":"summary.requested","payload":{}}"#);
    sim.run().expect("runs");
    // A zone in place of the older offset, with its rule recorded, and
    // reminders by local time on either side of Berlin's spring-forward.
    send(&mut sim, r#"{"type":"settings.updated","payload":{"time_zone":"Europe/Berlin","daily_plan_time":"07:00"}}"#);
    send(&mut sim, r#"{"type":"reminder.set","payload":{"text":"Call Ann","date":"2027-03-27","time":"17:00"}}"#);
    send(&mut sim, r#"{"type":"reminder.set","payload":{"text":"Call Bob","date":"2027-03-28","time":"17:00"}}"#);
    sim
}

#[test]
fn golden_log_replays_to_the_pinned_state() {
    let sim = session();
    let log: String = sim.store.rows().iter().map(|r| r.body.clone() + "\n").collect();
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/session.jsonl");
    if std::env::var_os("MICROCOS_BLESS").is_some() {
        std::fs::write(path, &log).unwrap();
    }
    let fixture = std::fs::read_to_string(path).unwrap_or_default();
    assert!(fixture == log, "tests/fixtures/session.jsonl is stale: rerun with MICROCOS_BLESS=1 and commit it");

    let mut replayer = Replayer::new(Assistant::default(), Bounds::default());
    for line in fixture.lines() {
        replayer.apply_json(line).unwrap();
    }
    let state = replayer.finish();
    assert_eq!(state.to_bytes(), sim.state().unwrap().to_bytes(), "replay equals the live state");
    assert_eq!(state, replay(&common::log(&sim.store), &Assistant::default(), &Bounds::default()));
    let pretty: serde_json::Value = serde_json::from_slice(&state.to_bytes()).unwrap();
    insta::assert_json_snapshot!("golden_state", pretty);
}
