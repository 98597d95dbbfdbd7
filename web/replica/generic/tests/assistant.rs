//! `Core<Assistant>` answers exactly as the assistant's own replica
//! (`microcos_web::Core`, what the web app ships) does: the same strings
//! for every proposal, frame, refusal, cache and view, through a session
//! with a refused event, a streamed reply, a stopped one and a reload.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use microcos_assistant::{stand_in, Assistant};
use microcos_core::{Config, Cursor};
use microcos_memory::{Script, Sim, StandIn};

type Generic = microcos_web_replica::Core<Assistant>;
type Shipped = microcos_web::Core;

/// The two replicas side by side; every call must answer the same.
struct Pair {
    generic: Generic,
    shipped: Shipped,
    sub: u64,
    fed: usize,
}

impl Pair {
    fn new(sim: &mut Sim<Assistant>, cache: Option<&str>) -> Pair {
        let (generic, shipped) = match cache {
            None => (Generic::new("alice", Assistant::default()).unwrap(), Shipped::new("alice").unwrap()),
            Some(c) => {
                (Generic::restore("alice", c, Assistant::default()).unwrap(), Shipped::restore("alice", c).unwrap())
            }
        };
        let query = same(generic.cursor_query(), shipped.cursor_query());
        let (after, tokens) = query.split_once("&tokens=").unwrap();
        let after = microcos_core::Seq(after.strip_prefix("after=").unwrap().parse().unwrap());
        let sub = sim.subscribe(&Cursor { after, tokens: Cursor::parse_tokens(tokens).unwrap() }).unwrap();
        Pair { generic, shipped, sub, fed: 0 }
    }

    fn propose(&mut self, body: &str) -> String {
        same(self.generic.propose(body, 5.0), self.shipped.propose(body, 5.0))
    }

    fn feed(&mut self, sim: &Sim<Assistant>) {
        let frames = sim.push.received(self.sub);
        for frame in &frames[self.fed..] {
            let json = frame.to_json();
            // Twice: the second time it is a duplicate.
            for _ in 0..2 {
                same(self.generic.frame(&json).unwrap(), self.shipped.frame(&json).unwrap());
            }
        }
        self.fed = frames.len();
        self.agree();
    }

    fn agree(&self) {
        same(self.generic.cache_json(), self.shipped.cache_json());
        same(self.generic.view_json(7.0), self.shipped.view_json(7.0));
        same(self.generic.cursor_query(), self.shipped.cursor_query());
        same(self.generic.seq(), self.shipped.seq());
    }
}

fn same<T: PartialEq + std::fmt::Debug>(generic: T, shipped: T) -> T {
    assert_eq!(generic, shipped, "Core<Assistant> and microcos_web::Core disagree");
    generic
}

const TASK: &str = r#"{"type":"task.created","payload":{"title":"Call Ann"},"client_action_id":"ca-1","event_id":"6f1c2a3e-0b1d-4c5e-8f90-1a2b3c4d5e6f"}"#;

#[test]
fn the_generic_core_answers_as_the_assistants_replica() {
    let mut sim = Sim::new("alice", Config::default(), Assistant::default());
    sim.llm.set_stand_in(StandIn::new(stand_in::reply));
    let mut pair = Pair::new(&mut sim, None);

    // Proposals: accepted, refused by a rule, by a bound, for a missing id.
    assert_eq!(pair.propose(TASK), r#"{"ok":true}"#);
    pair.propose(r#"{"type":"task.completed","payload":{"task_id":"00000000-0000-4000-8000-000000000001"},"client_action_id":"ca-x","event_id":"6f1c2a3e-0b1d-4c5e-8f90-1a2b3c4d5e70"}"#);
    pair.propose(&TASK.replace("Call Ann", &"x".repeat(1000)));
    pair.propose(r#"{"type":"task.created","payload":{"title":"a"}}"#);
    pair.propose("not json");
    pair.agree();
    sim.send(TASK).unwrap();
    pair.feed(&sim);

    // A pending completion the server refuses, rolled back on both.
    let id = sim.state().unwrap().domain.tasks.items.keys().next().copied().unwrap();
    let complete = format!(
        r#"{{"type":"task.completed","payload":{{"task_id":"{id}"}},"client_action_id":"ca-2","event_id":"6f1c2a3e-0b1d-4c5e-8f90-1a2b3c4d5e71"}}"#
    );
    pair.propose(&complete);
    sim.send(&format!(r#"{{"type":"task.deleted","payload":{{"task_id":"{id}"}}}}"#)).unwrap();
    assert!(sim.send(&complete).is_err());
    pair.feed(&sim);
    same(pair.generic.reject("ca-2"), pair.shipped.reject("ca-2"));
    same(pair.generic.reject("ca-2"), pair.shipped.reject("ca-2"));
    pair.agree();

    // A streamed reply, then a stopped one: event, token and progress frames.
    let chat = r#"{"type":"user.message","payload":{"text":"Plan my afternoon, in detail please"},"client_action_id":"ca-3","event_id":"6f1c2a3e-0b1d-4c5e-8f90-1a2b3c4d5e72"}"#;
    pair.propose(chat);
    sim.send(chat).unwrap();
    sim.run().unwrap();
    pair.feed(&sim);
    sim.llm.queue(Script::tokens(["one ", "two ", "three "]));
    let op = sim.send(r#"{"type":"user.message","payload":{"text":"Count"}}"#).unwrap().operation_id.unwrap();
    let mut run = sim.by_hand(op).unwrap();
    assert!(run.step(&mut sim).unwrap());
    assert!(run.step(&mut sim).unwrap());
    pair.feed(&sim);
    sim.send(&format!(r#"{{"type":"llm.cancel","payload":{{"operation_id":"{op}"}}}}"#)).unwrap();
    pair.feed(&sim);
    same(pair.generic.frame("{}").unwrap_err(), pair.shipped.frame("{}").unwrap_err());
    // A frame past a gap (one after the next expected): both ask to reconnect.
    let frames = sim.push.received(pair.sub);
    let mut fresh = Pair::new(&mut sim, None);
    let late = frames.last().unwrap().to_json();
    assert!(fresh.generic.frame(&late).unwrap().contains(r#""gap":true"#));
    same(fresh.generic.frame(&late).unwrap(), fresh.shipped.frame(&late).unwrap());

    // A reload from the cache, and a cache that is refused.
    let cache = pair.generic.cache_json();
    sim.send(TASK.replace("ca-1", "ca-4").replace("5e6f", "5e7f").as_str()).unwrap();
    let mut reloaded = Pair::new(&mut sim, Some(&cache));
    reloaded.agree();
    reloaded.feed(&sim);
    for cache in [r#"{"version":1}"#, "[]"] {
        same(Generic::restore("alice", cache, Assistant::default()).err(), Shipped::restore("alice", cache).err());
    }
    same(Generic::new("not a user", Assistant::default()).err(), Shipped::new("not a user").err());
}

// The assistant's replica through `replica!`: what `microcos-web` becomes
// once `web/dist` may change (see the crate docs).
microcos_web_replica::replica!(AssistantReplica, Assistant);

#[test]
fn the_assistants_class_from_replica_answers_as_the_shipped_one() {
    let Ok(mut class) = AssistantReplica::new("alice") else { panic!("a replica for alice") };
    let mut shipped = Shipped::new("alice").unwrap();
    assert_eq!(class.propose(TASK, 5.0), shipped.propose(TASK, 5.0));
    assert_eq!(class.view_json(7.0), shipped.view_json(7.0));
    assert_eq!(class.cache_json(), shipped.cache_json());
    assert_eq!(class.cursor_query(), shipped.cursor_query());
    assert!(class.reject("ca-1") && shipped.reject("ca-1"));
    assert_eq!(class.view_json(7.0), shipped.view_json(7.0));
}
