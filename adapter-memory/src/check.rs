//! The kernel's guarantees as checks any domain can run (feature
//! `testing`): play client traffic against a [`Sim`] with model faults,
//! then check replay equality, snapshot prefixes, exact retries, a crash at
//! every append, and resume without a duplicate token.
//!
//! The four checks have one signature style: each takes a `make` function
//! that builds a fresh simulation of your domain (with its stand-in model
//! and configuration; the domain and its bounds come from the [`Sim`]),
//! then the case: traffic drawn from your domain's strategies
//! ([`microcos_core::testing::arb_client_ops_with`]) and model faults
//! ([`arb_fault`]), or a [`Resume`] scenario. Each returns
//! `Err(CheckFailed)` with a readable reason, which `?` turns into
//! proptest's failure:
//!
//! ```
//! use microcos_assistant::{stand_in, Assistant};
//! use microcos_core::testing::arb_client_ops_with;
//! use microcos_core::Config;
//! use microcos_memory::check::{arb_fault, check_crash_at_every_append, check_live_run};
//! use microcos_memory::{Sim, StandIn};
//! use proptest::prelude::*;
//!
//! // Your domain, its configuration and its stand-in model.
//! fn sim() -> Sim<Assistant> {
//!     let sim = Sim::new("alice", Config { snapshot_every: 5, ..Config::default() }, Assistant::default());
//!     sim.llm.set_stand_in(StandIn::new(stand_in::reply));
//!     sim
//! }
//!
//! // Your client bodies.
//! fn body() -> impl Strategy<Value = String> {
//!     prop_oneof![
//!         "[a-z ]{1,20}".prop_map(|text| format!(r#"{{"type":"user.message","payload":{{"text":"{text}x"}}}}"#)),
//!         Just(r#"{"type":"task.created","payload":{"title":"a task"}}"#.to_string()),
//!     ]
//! }
//!
//! proptest! {
//!     #![proptest_config(ProptestConfig::with_cases(2))]
//!     // (with `#[test]` in your test suite)
//!     fn the_kernel_holds(ops in arb_client_ops_with(body(), 12), faults in prop::collection::vec(arb_fault(), 1..3)) {
//!         check_live_run(sim, &ops, &faults)?;
//!         check_crash_at_every_append(sim, &ops, &faults)?;
//!     }
//! }
//! the_kernel_holds();
//! ```
//!
//! What the checks catch besides the kernel's own bugs, in your domain:
//! state that does not survive a snapshot (states are compared by value,
//! the domain's `PartialEq`, as well as by bytes: a `#[serde(skip)]` field
//! fails), an event recorded without the operation [`Domain::opens`] says
//! it opens (an answer that read the state; a panic in a run is a
//! [`CheckFailed`] too), events that do not read
//! back, operations left stuck, and (with the default
//! [`microcos_core::testing::TimeSteps`], which jump to your domain's next
//! wake) jobs of any period that misbehave when they fire.

use std::collections::{BTreeMap, BTreeSet};

use microcos_core::testing::{
    check_replay, check_round_trip, check_snapshot_prefixes, check_tokens_concatenate, compare_states, replay_checked,
    CheckFailed, ClientOp,
};
use microcos_core::Clock;
use microcos_core::LlmEvent;
use microcos_core::{
    Accepted, Catalogue, Cursor, Delivery, Domain, Envelope, Event, EventId, Frame, LlmError, LlmErrorKind,
    OperationId, OperationStatus, RequestMeta, Seq,
};
use proptest::prelude::*;

use crate::llm::{Script, Step};
use crate::sim::Sim;
use crate::store::{MemoryStore, StoreFaults};

/// What the model does on its next call.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Fault {
    /// Answers with the stand-in.
    None,
    /// Fails after this many tokens.
    FailAt(usize),
    /// Goes silent after this many tokens.
    StallAt(usize),
    /// Refuses to start (retryably or not).
    Refuse(bool),
    /// Never stops (ignores its token limit): only the reply cap ends it.
    Endless,
    /// Answers in one piece of this many bytes (a non-streamed reply).
    OnePiece(usize),
}

/// Model faults, mostly none: failures, stalls, refusals, and replies in
/// one piece.
pub fn arb_fault() -> impl Strategy<Value = Fault> {
    prop_oneof![
        4 => Just(Fault::None),
        1 => (0usize..6).prop_map(Fault::FailAt),
        1 => (0usize..6).prop_map(Fault::StallAt),
        1 => any::<bool>().prop_map(Fault::Refuse),
        1 => (1usize..5_000).prop_map(Fault::OnePiece),
    ]
}

/// [`arb_fault`] plus models that never stop (only the reply cap ends
/// them: keep `max_reply_bytes` small in the configuration under test).
pub fn arb_hostile_fault() -> impl Strategy<Value = Fault> {
    prop_oneof![6 => arb_fault(), 1 => Just(Fault::Endless)]
}

fn queue<D: Domain>(sim: &Sim<D>, fault: &Fault) {
    let tokens = |n: usize| (0..n).map(|i| Step::Token(format!("t{i} "))).collect::<Vec<_>>();
    let script = match fault {
        Fault::None => return,
        Fault::FailAt(n) => {
            let mut s = tokens(*n);
            s.push(Step::Fail(LlmError::new(LlmErrorKind::Provider, "boom")));
            Script::Reply(s)
        }
        Fault::StallAt(n) => {
            let mut s = tokens(*n);
            s.push(Step::Stall);
            Script::Reply(s)
        }
        Fault::Refuse(retryable) => {
            let kind = if *retryable { LlmErrorKind::RateLimited } else { LlmErrorKind::Rejected };
            Script::StartError(LlmError::new(kind, "no"))
        }
        Fault::Endless => Script::Reply(vec![Step::Endless("more ".into())]),
        Fault::OnePiece(n) => Script::tokens(["é".repeat(n / 2) + &"x".repeat(n % 2)]),
    };
    sim.llm.queue(script);
}

/// What [`play`] observed.
#[derive(Clone, Debug, Default)]
pub struct Played {
    /// Accepted sends: (index among sends, answer).
    pub accepted: Vec<(usize, Accepted)>,
    /// Op position of each send.
    pub positions: Vec<usize>,
    /// The ids each send used, in order (replay them for exact retries).
    pub metas: Vec<RequestMeta>,
}

/// The ids of the next request: fresh, or those of the same request in an earlier run.
fn take_meta<D: Domain>(sim: &mut Sim<D>, metas: Option<&[RequestMeta]>, played: &mut Played) -> RequestMeta {
    let meta = match metas {
        Some(m) => m[played.metas.len()],
        None => sim.next_meta(),
    };
    played.metas.push(meta);
    meta
}

/// Plays client traffic, then lets the simulation settle (an hour of
/// virtual time). `metas` replays the ids of an earlier run; `dup_after`
/// sends again, after op `i`, the accepted send `k` with its original ids
/// (it must be answered as a duplicate).
pub fn play<D: Domain>(
    sim: &mut Sim<D>,
    ops: &[ClientOp],
    faults: &[Fault],
    metas: Option<&[RequestMeta]>,
    dup_after: &[(usize, usize)],
) -> Played {
    let mut sent: Vec<(String, RequestMeta)> = Vec::new();
    let mut played = Played::default();
    let mut fault = faults.iter().cycle();
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
                if let Some(f) = fault.next() {
                    queue(sim, f);
                }
                let _ = sim.run();
            }
            ClientOp::Advance(ms) => {
                sim.clock.advance(*ms);
                let _ = sim.tick();
            }
            ClientOp::AdvanceToWake => {
                if let Some(at) = sim.next_wake() {
                    if at > sim.clock.now() {
                        sim.clock.set(at);
                    }
                }
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

/// The stored log, decoded; a row that does not decode fails the check.
pub fn log<E: Catalogue>(store: &MemoryStore) -> Result<Vec<Envelope<E>>, CheckFailed> {
    store
        .rows()
        .iter()
        .map(|r| Envelope::from_json(&r.body).map_err(|e| fail(format!("stored row {} does not decode: {e}", r.seq))))
        .collect()
}

fn fail(what: impl Into<String>) -> CheckFailed {
    CheckFailed(what.into())
}

fn ensure(ok: bool, what: impl FnOnce() -> String) -> Result<(), CheckFailed> {
    if ok {
        Ok(())
    } else {
        Err(fail(what()))
    }
}

/// Runs a check; a panic inside it (the kernel's debug checks of the
/// domain's contract, or the domain's own) is a failed check too.
fn guarded(what: &str, check: impl FnOnce() -> Result<(), CheckFailed>) -> Result<(), CheckFailed> {
    match std::panic::catch_unwind(std::panic::AssertUnwindSafe(check)) {
        Ok(result) => result,
        Err(panic) => {
            let message = panic
                .downcast_ref::<&str>()
                .map(|s| (*s).to_string())
                .or_else(|| panic.downcast_ref::<String>().cloned())
                .unwrap_or_else(|| "(no message)".into());
            Err(fail(format!("{what} panicked: {message}")))
        }
    }
}

/// A run of traffic: replaying its log gives the live state, byte for
/// byte and by value; the state restored from the store (its latest
/// snapshot plus the tail) is the live state; a snapshot after any event
/// restores the state it was taken of, and plus the tail equals the full
/// replay; every event opened an operation exactly if the domain said so;
/// every stored event round-trips; pushed tokens concatenate to the stored
/// text; nothing was pushed or generated before it was durable; and once
/// time passed, no operation is stuck.
pub fn check_live_run<D: Domain>(
    make: impl Fn() -> Sim<D>,
    ops: &[ClientOp],
    faults: &[Fault],
) -> Result<(), CheckFailed> {
    guarded("the live run", || {
        let mut sim = make();
        let (domain, bounds) = (sim.domain().clone(), sim.config().bounds.clone());
        play(&mut sim, ops, faults, None, &[]);
        let log = log::<D::Event>(&sim.store)?;
        let live = sim.state().ok_or_else(|| fail("the engine is down"))?;
        check_replay(&live, &log, &domain, &bounds)?;
        check_snapshot_prefixes(&log, &domain, &bounds, 1)?;
        log.iter().try_for_each(check_round_trip)?;
        check_tokens_concatenate(&sim.push.pushed(), &log, &live)?;
        ensure(sim.push.violations().is_empty(), || format!("{:?}", sim.push.violations()))?;
        ensure(sim.llm.violations().is_empty(), || format!("{:?}", sim.llm.violations()))?;
        let settled = live.operations_in_flight().next().is_none();
        ensure(settled, || format!("stuck: {:?}", live.operations_in_flight().collect::<Vec<_>>()))?;
        // Restart: the engine restores from the store's snapshot and tail.
        sim.restart().map_err(|e| fail(format!("restore failed: {e}")))?;
        let restored = sim.state().ok_or_else(|| fail("the engine is down after a restart"))?;
        if sim.store.len() == log.len() {
            compare_states("the state restored from the store differs from the live state", &restored, &live)
        } else {
            // The restore recorded due work: compare with the replay of the longer log.
            check_replay(&restored, &self::log::<D::Event>(&sim.store)?, &domain, &bounds)
        }
    })
}

/// Exact retries of accepted requests (`picks`: which one, and how much
/// later), at any later point, change neither the log nor the state.
pub fn check_retries_change_nothing<D: Domain>(
    make: impl Fn() -> Sim<D>,
    ops: &[ClientOp],
    faults: &[Fault],
    picks: &[(prop::sample::Index, prop::sample::Index)],
) -> Result<(), CheckFailed> {
    guarded("the run with retries", || retries_change_nothing(make, ops, faults, picks))
}

fn retries_change_nothing<D: Domain>(
    make: impl Fn() -> Sim<D>,
    ops: &[ClientOp],
    faults: &[Fault],
    picks: &[(prop::sample::Index, prop::sample::Index)],
) -> Result<(), CheckFailed> {
    let mut once = make();
    let first = play(&mut once, ops, faults, None, &[]);
    // Requests that stored an event: their event id is known forever (a
    // repeat answered from the bounded client-action window is not).
    let fresh: Vec<usize> = first.accepted.iter().filter(|(_, a)| !a.duplicate).map(|(i, _)| *i).collect();
    if fresh.is_empty() {
        return Ok(());
    }
    let dups: Vec<(usize, usize)> = picks
        .iter()
        .map(|(a, at)| {
            let idx = fresh[a.index(fresh.len())];
            // Retry at an op position at or after the original send.
            let pos = first.positions[idx];
            (pos + at.index(ops.len() - pos), idx)
        })
        .collect();
    let mut twice = make();
    play(&mut twice, ops, faults, Some(&first.metas), &dups);
    let bodies = |sim: &Sim<D>| sim.store.rows().into_iter().map(|r| r.body).collect::<Vec<_>>();
    ensure(bodies(&once) == bodies(&twice), || "retries changed the log".into())?;
    match (once.state(), twice.state()) {
        (Some(a), Some(b)) => compare_states("retries changed the state", &a, &b),
        (a, b) => ensure(a.is_none() && b.is_none(), || "retries took the engine down, or up".into()),
    }
}

/// A storage failure or a crash at every append of a run, then a restore:
/// no acknowledged event is lost, nothing is pushed or generated for an
/// unacknowledged one, the partial text right after the crash equals the
/// last checkpoint, and the restored state equals the replay of the log.
pub fn check_crash_at_every_append<D: Domain>(
    make: impl Fn() -> Sim<D>,
    ops: &[ClientOp],
    faults: &[Fault],
) -> Result<(), CheckFailed> {
    guarded("the run with crashes", || crash_at_every_append(make, ops, faults))
}

fn crash_at_every_append<D: Domain>(
    make: impl Fn() -> Sim<D>,
    ops: &[ClientOp],
    faults: &[Fault],
) -> Result<(), CheckFailed> {
    let mut clean = make();
    let (domain, bounds) = (&clean.domain().clone(), &clean.config().bounds.clone());
    play(&mut clean, ops, faults, None, &[]);
    let appends = clean.store.append_calls();
    for point in 1..=appends {
        let mut sim = make();
        let store_faults = if point % 2 == 0 {
            StoreFaults { crash_after_appends: [point].into(), ..StoreFaults::default() }
        } else {
            StoreFaults { fail_appends: [point].into(), ..StoreFaults::default() }
        };
        sim.store.set_faults(store_faults);
        let played = play(&mut sim, ops, faults, None, &[]);

        // Partial texts right after the crash equal the last checkpoint.
        let persisted = log::<D::Event>(&sim.store)?;
        let replayed =
            replay_checked(&persisted, domain, bounds).map_err(|e| fail(format!("crash at {point}: {}", e.0)))?;
        for op in replayed.operations.values().filter(|o| o.status == OperationStatus::Streaming) {
            let checkpointed: String = persisted
                .iter()
                .filter(|e| e.operation_id == Some(op.operation_id))
                .filter_map(|e| match &e.event {
                    Event::Llm(LlmEvent::Checkpoint(c)) if c.attempt == op.attempt => Some(c.tokens.as_text()),
                    _ => None,
                })
                .collect();
            ensure(op.text == checkpointed, || format!("crash at {point}: partial text is not the last checkpoint"))?;
        }

        sim.restart().map_err(|e| fail(format!("crash at {point}: restore failed: {e}")))?;
        let _ = sim.settle(3_600_000);
        let persisted = log::<D::Event>(&sim.store)?;
        let stored: BTreeSet<EventId> = persisted.iter().map(|e| e.event_id).collect();
        for (_, a) in &played.accepted {
            ensure(stored.contains(&a.event_id), || {
                format!("acknowledged event {} lost (crash at append {point})", a.event_id)
            })?;
        }
        ensure(sim.push.violations().is_empty(), || format!("crash at {point}: {:?}", sim.push.violations()))?;
        ensure(sim.llm.violations().is_empty(), || format!("crash at {point}: {:?}", sim.llm.violations()))?;
        let live = sim.state().ok_or_else(|| fail(format!("crash at {point}: the engine is down")))?;
        check_replay(&live, &persisted, domain, bounds).map_err(|e| fail(format!("crash at {point}: {}", e.0)))?;
        ensure(live.operations_in_flight().next().is_none(), || format!("crash at {point}: an operation is stuck"))?;
    }
    Ok(())
}

/// A resume scenario: a model stream of `tokens` tokens (failing once after
/// `fail_at` of them, then retried), pushes `drops` lost, the client
/// reconnecting with its cursor at the steps in `reconnects`, and another
/// client event sent at the steps in `others_at`.
#[derive(Clone, Debug, Default)]
pub struct Resume {
    /// Tokens of the answer (at most the answer's characters).
    pub tokens: usize,
    /// The first attempt fails after this many tokens.
    pub fail_at: Option<usize>,
    /// Pushes lost (1-based push call numbers).
    pub drops: BTreeSet<u64>,
    /// Steps at which the client drops its connection and resumes.
    pub reconnects: BTreeSet<usize>,
    /// Steps at which another client event is recorded.
    pub others_at: BTreeSet<usize>,
}

/// A well-behaved client: applies frames through its cursor, reconnects on a gap.
struct Client<D: Domain> {
    cursor: Cursor,
    sub: u64,
    tokens: BTreeMap<(OperationId, u32), BTreeMap<u32, String>>,
    duplicates: usize,
    /// Fed every frame through its JSON, as a browser would.
    replica: microcos_core::Replica<D>,
}

fn subscribe<D: Domain>(sim: &mut Sim<D>, cursor: &Cursor) -> Result<u64, CheckFailed> {
    sim.subscribe(cursor).map_err(|e| fail(format!("subscribe failed: {e}")))
}

impl<D: Domain> Client<D> {
    /// Reads what arrived on the connection, then drops it and reconnects.
    fn reconnect(&mut self, sim: &mut Sim<D>) -> Result<(), CheckFailed> {
        for frame in sim.push.unsubscribe(self.sub) {
            let json = frame.to_json();
            let read =
                Frame::<D::Event>::from_json(&json).map_err(|e| fail(format!("frame {json} reads back: {e}")))?;
            ensure(read == frame, || format!("frame {json} reads back as {read:?}"))?;
            let replica = self.replica.receive(&read);
            match self.cursor.accept(&frame) {
                Ok(delivery) => {
                    let new = delivery == Delivery::New;
                    ensure(replica.as_ref().is_ok_and(|r| r.new == new), || {
                        format!("the replica took {json} as {replica:?}, the cursor as {delivery:?}")
                    })?;
                    if !new {
                        self.duplicates += 1;
                    } else if let Frame::Token { operation_id, attempt, index, text, .. } = frame {
                        self.tokens.entry((operation_id, attempt)).or_default().insert(index, text);
                    }
                }
                Err(_) => {
                    ensure(replica.is_err(), || format!("the replica took {json} after a gap"))?;
                    break; // everything after a gap is discarded; the resume resends it
                }
            }
            ensure(self.replica.cursor() == &self.cursor, || "the replica's cursor left the client's".into())?;
        }
        self.sub = subscribe(sim, &self.cursor)?;
        Ok(())
    }
}

/// Splits `answer` into `n` tokens (fewer if it has fewer characters).
pub fn split_tokens(answer: &str, n: usize) -> Vec<String> {
    let chars: Vec<char> = answer.chars().collect();
    let n = n.clamp(1, chars.len().max(1));
    let size = chars.len().div_ceil(n).max(1);
    chars.chunks(size).map(|c| c.iter().collect()).collect()
}

/// A client that resumes with its cursor gets every token exactly once and
/// ends caught up with the log, whatever is lost or interleaved; a
/// [`microcos_core::Replica`] fed the same frames (through their JSON, as a
/// browser reads them) ends with the server's state, byte for byte.
/// `start_body` is a client event that starts an operation, `other_body`
/// any other client event, and `answer` a model output the domain accepts
/// (it is streamed in `case.tokens` pieces).
pub fn check_resume_exactly_once<D: Domain>(
    make: impl Fn() -> Sim<D>,
    start_body: &str,
    other_body: &str,
    answer: &str,
    case: &Resume,
) -> Result<(), CheckFailed> {
    guarded("the resume run", || resume_exactly_once(make(), start_body, other_body, answer, case))
}

fn resume_exactly_once<D: Domain>(
    mut sim: Sim<D>,
    start_body: &str,
    other_body: &str,
    answer: &str,
    case: &Resume,
) -> Result<(), CheckFailed> {
    let sub = subscribe(&mut sim, &Cursor::default())?;
    let replica = sim.replica();
    let mut client = Client { cursor: Cursor::default(), sub, tokens: BTreeMap::new(), duplicates: 0, replica };
    sim.push.drop_pushes(case.drops.clone());
    let final_tokens = split_tokens(answer, case.tokens);
    let n = final_tokens.len();
    let mut steps: Vec<Step> = final_tokens.iter().cloned().map(Step::Token).collect();
    if let Some(k) = case.fail_at.filter(|k| *k < n) {
        steps.truncate(k);
        steps.push(Step::Fail(LlmError::new(LlmErrorKind::Provider, "reset")));
    }
    // The first attempt may fail; the next one answers in full. Other
    // operations (started meanwhile) get the stand-in.
    let mut scripts = vec![Script::Reply(steps), Script::tokens(final_tokens.clone())].into_iter();

    let accepted = sim.send(start_body).map_err(|e| fail(format!("start: {e}")))?;
    let op = accepted.operation_id.ok_or_else(|| fail("the start body opens no operation"))?;
    let mut step = 0usize;
    for round in 0.. {
        if round > 10_000 {
            return Err(fail("the operation never started"));
        }
        let queued = sim.has_task(op);
        let Some(mut run) = queued.then(|| sim.by_hand_scripted(op, scripts.next())).flatten() else {
            // Not started: other operations hold the slots, or a retry is
            // scheduled later.
            let before = sim.store.len();
            sim.run_except(op).map_err(|e| fail(e.to_string()))?;
            if sim.store.len() != before {
                continue;
            }
            let done = sim.state().and_then(|s| s.operations.get(&op).map(|o| o.status.is_finished()));
            match sim.next_alarm() {
                Some(at) if done != Some(true) => {
                    sim.clock.set(at);
                    if let Some(host) = sim.host() {
                        host.tick();
                    }
                    continue;
                }
                _ => break,
            }
        };
        loop {
            if case.reconnects.contains(&step) {
                client.reconnect(&mut sim)?;
            }
            if case.others_at.contains(&step) {
                sim.send(other_body).map_err(|e| fail(format!("other: {e}")))?;
            }
            step += 1;
            if !run.step(&mut sim).map_err(|e| fail(e.to_string()))? {
                break;
            }
        }
    }
    client.reconnect(&mut sim)?; // read the tail of the connection
    client.reconnect(&mut sim)?; // and heal whatever it lost

    ensure(client.duplicates == 0, || "the server sent a frame twice".into())?;
    ensure(client.cursor.after == Seq(sim.store.len() as u64), || "the client is not caught up".into())?;
    let log = log::<D::Event>(&sim.store)?;
    let attempt = log
        .iter()
        .find_map(|e| match &e.event {
            Event::Llm(LlmEvent::Completed(p)) if e.operation_id == Some(op) => Some(p.attempt),
            _ => None,
        })
        .ok_or_else(|| fail("the operation did not complete"))?;
    let got = client.tokens.get(&(op, attempt)).cloned().unwrap_or_default();
    let indices: BTreeSet<u32> = got.keys().copied().collect();
    ensure(indices == (0..n as u32).collect(), || format!("token indices {indices:?} of {n}"))?;
    let text: String = got.values().cloned().collect();
    ensure(text == final_tokens.concat(), || format!("tokens {text:?}"))?;
    // The replica, fed the same frames, holds the server's state, byte for
    // byte and by value.
    let server = sim.state().ok_or_else(|| fail("the engine is down"))?;
    compare_states("the replica's state differs from the server's", client.replica.state(), &server)
}

/// Resume scenarios.
pub fn arb_resume() -> impl Strategy<Value = Resume> {
    (
        1usize..40,
        proptest::option::of(0usize..40),
        proptest::collection::btree_set(1u64..80, 0..6),
        proptest::collection::btree_set(0usize..45, 0..6),
        proptest::collection::btree_set(0usize..45, 0..3),
    )
        .prop_map(|(tokens, fail_at, drops, reconnects, others_at)| Resume {
            tokens,
            fail_at,
            drops,
            reconnects,
            others_at,
        })
}
