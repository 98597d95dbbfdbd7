//! Realtime resume, property-based: whatever frames are dropped and whenever
//! the client reconnects (mid-generation included), a client that resumes
//! from its cursor ends with every token exactly once and never receives a
//! frame twice.

mod common;

use std::collections::{BTreeMap, BTreeSet};

use microcos_assistant::{Assistant, Event, Frame};
use microcos_core::operation::LlmEvent;
use microcos_core::{Config, Cursor, Delivery, LlmError, LlmErrorKind, OperationId, Seq};
use microcos_memory::{Script, Sim, Step};
use proptest::prelude::*;

/// A well-behaved client: applies frames through its cursor, reconnects on a gap.
struct Client {
    cursor: Cursor,
    sub: u64,
    tokens: BTreeMap<(OperationId, u32), BTreeMap<u32, String>>,
    duplicates: usize,
    gaps: usize,
}

impl Client {
    fn connect(sim: &mut Sim<Assistant>) -> Client {
        let cursor = Cursor::default();
        let sub = common::subscribe(sim, &cursor);
        Client { cursor, sub, tokens: BTreeMap::new(), duplicates: 0, gaps: 0 }
    }

    /// Reads what arrived on the connection, then drops it and reconnects.
    fn reconnect(&mut self, sim: &mut Sim<Assistant>) {
        for frame in sim.push.unsubscribe(self.sub) {
            match self.cursor.accept(&frame) {
                Ok(Delivery::New) => {
                    if let Frame::Token { operation_id, attempt, index, text, .. } = frame {
                        self.tokens.entry((operation_id, attempt)).or_default().insert(index, text);
                    }
                }
                Ok(Delivery::Duplicate) => self.duplicates += 1,
                Err(_) => {
                    self.gaps += 1;
                    break; // everything after a gap is discarded; the resume resends it
                }
            }
        }
        self.sub = common::subscribe(sim, &self.cursor);
    }
}

proptest! {
    #[test]
    fn a_resuming_client_gets_every_token_exactly_once(
        n in 1usize..40,
        fail_at in proptest::option::of(0usize..40),
        checkpoint_tokens in 1u32..8,
        checkpoint_ms in 5u64..100,
        drops in proptest::collection::btree_set(1u64..80, 0..6),
        reconnects in proptest::collection::btree_set(0usize..45, 0..6),
        task_at in proptest::collection::btree_set(0usize..45, 0..3),
    ) {
        let config = Config { checkpoint_tokens, checkpoint_ms, ..Config::default() };
        let mut sim = common::sim("resume", config);
        let mut client = Client::connect(&mut sim);
        sim.push.drop_pushes(drops);
        let mut steps: Vec<Step> = (0..n).map(|i| Step::Token(format!("t{i}·"))).collect();
        if let Some(k) = fail_at.filter(|k| *k < n) {
            steps.truncate(k);
            steps.push(Step::Fail(LlmError::new(LlmErrorKind::Provider, "reset")));
        }
        sim.llm.queue(Script::Reply(steps));
        let final_tokens: Vec<String> = (0..n).map(|i| format!("t{i}·")).collect();
        sim.llm.queue(Script::tokens(final_tokens.clone()));

        let op = sim.send(r#"{"type":"user.message","payload":{"text":"stream"}}"#).unwrap().operation_id.unwrap();
        let mut step = 0usize;
        loop {
            let Some(mut run) = sim.by_hand(op) else {
                // Not started: a retry is scheduled later.
                match sim.next_alarm() {
                    Some(at) => { sim.clock.set(at); sim.host().unwrap().tick(); continue; }
                    None => break,
                }
            };
            loop {
                if reconnects.contains(&step) {
                    client.reconnect(&mut sim);
                }
                if task_at.contains(&step) {
                    sim.send(&format!(r#"{{"type":"task.created","payload":{{"title":"task {step}"}}}}"#)).unwrap();
                }
                step += 1;
                if !run.step(&mut sim).unwrap() {
                    break;
                }
            }
        }
        client.reconnect(&mut sim); // read the tail of the connection
        client.reconnect(&mut sim); // and heal whatever it lost

        prop_assert_eq!(client.duplicates, 0, "the server never sends a frame twice");
        prop_assert_eq!(client.cursor.after, Seq(sim.store.len() as u64));
        let log = common::log(&sim.store);
        let done = log.iter().find_map(|e| match &e.event {
            Event::Llm(LlmEvent::Completed(p)) => Some(p.attempt),
            _ => None,
        });
        let attempt = done.expect("the operation completed");
        let got = client.tokens.get(&(op, attempt)).cloned().unwrap_or_default();
        let indices: BTreeSet<u32> = got.keys().copied().collect();
        prop_assert_eq!(indices, (0..n as u32).collect::<BTreeSet<_>>());
        prop_assert_eq!(got.values().cloned().collect::<String>(), final_tokens.concat());
    }
}
