//! The browser replica against a simulated server: optimistic updates show
//! at once, and once the stored events arrive (or the server refuses) the
//! replica is the server's state, byte for byte.

#![allow(clippy::unwrap_used)] // helpers of tests: a failed unwrap is a failed test

use microcos_assistant::{stand_in, Assistant};
use microcos_core::{Config, Cursor};
use microcos_memory::{Sim, StandIn};
use microcos_web::Core;
use serde_json::Value;

struct Client {
    core: Core,
    sub: u64,
    fed: usize,
}

fn sim() -> Sim<Assistant> {
    let sim = Sim::new("alice", Config::default(), Assistant::default());
    sim.llm.set_stand_in(StandIn::new(stand_in::reply));
    sim
}

fn connect(sim: &mut Sim<Assistant>, core: Core) -> Client {
    // The query the browser connects with, read as the edge reads it.
    let query = core.cursor_query();
    let (after, tokens) = query.split_once("&tokens=").unwrap();
    let after = microcos_core::Seq(after.strip_prefix("after=").unwrap().parse().unwrap());
    let cursor = Cursor { after, tokens: Cursor::parse_tokens(tokens).unwrap() };
    let sub = sim.subscribe(&cursor).unwrap();
    Client { core, sub, fed: 0 }
}

impl Client {
    /// Feeds what arrived since last time, through its JSON; the client
    /// action ids it confirmed.
    fn feed(&mut self, sim: &Sim<Assistant>) -> Vec<String> {
        let frames = sim.push.received(self.sub);
        let mut confirmed = Vec::new();
        for frame in &frames[self.fed..] {
            let out: Value = serde_json::from_str(&self.core.frame(&frame.to_json()).unwrap()).unwrap();
            assert_eq!(out["gap"], false, "no frame is lost here");
            confirmed.extend(out["confirmed"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()));
        }
        self.fed = frames.len();
        confirmed
    }

    fn view(&self) -> Value {
        serde_json::from_str(&self.core.view_json(0.0)).unwrap()
    }
}

/// The server's `GET /v1/snapshot` body at time 0.
fn server_view(sim: &Sim<Assistant>) -> Value {
    let host = sim.host().unwrap();
    let engine = host.engine();
    serde_json::to_value(engine.view(microcos_core::Timestamp(0))).unwrap()
}

fn caught_up(client: &Client, sim: &Sim<Assistant>) {
    let server = sim.state().unwrap();
    assert_eq!(client.core.cache_json().as_bytes(), server.to_bytes(), "the replica is the server's state");
    let mut view = client.view();
    assert_eq!(view["pending"], serde_json::json!([]));
    view.as_object_mut().unwrap().remove("pending");
    assert_eq!(view, server_view(sim), "and shows what the server shows");
}

const TASK: &str = r#"{"type":"task.created","payload":{"title":"Call Ann"},"client_action_id":"ca-1","event_id":"6f1c2a3e-0b1d-4c5e-8f90-1a2b3c4d5e6f"}"#;

#[test]
fn a_proposed_task_shows_at_once_and_the_stored_one_takes_its_place() {
    let mut sim = sim();
    let mut client = connect(&mut sim, Core::new("alice", Assistant::default()).unwrap());
    assert_eq!(client.core.propose(TASK, 1.0), r#"{"ok":true}"#);
    let view = client.view();
    assert_eq!(view["pending"], serde_json::json!(["ca-1"]));
    assert_eq!(view["state"]["tasks"][0]["title"], "Call Ann", "shown before the server answers: {view}");
    assert_eq!(view["seq"], 1);
    assert_eq!(client.core.seq(), 0, "nothing confirmed yet");
    assert_eq!(client.core.propose(TASK, 2.0), r#"{"ok":true}"#, "proposing it again changes nothing");
    assert_eq!(client.view()["state"]["tasks"].as_array().unwrap().len(), 1);

    sim.send(TASK).unwrap();
    assert_eq!(client.feed(&sim), ["ca-1"]);
    caught_up(&client, &sim);
}

#[test]
fn local_rules_refuse_at_once_and_a_server_refusal_rolls_back() {
    let mut sim = sim();
    let mut client = connect(&mut sim, Core::new("alice", Assistant::default()).unwrap());
    let missing = r#"{"type":"task.completed","payload":{"task_id":"00000000-0000-4000-8000-000000000001"},"client_action_id":"ca-x","event_id":"6f1c2a3e-0b1d-4c5e-8f90-1a2b3c4d5e70"}"#;
    let refused: Value = serde_json::from_str(&client.core.propose(missing, 1.0)).unwrap();
    assert_eq!(refused["error"]["code"], "task_not_found", "the server's own rule, run locally");
    let long = TASK.replace("Call Ann", &"x".repeat(1000));
    let refused: Value = serde_json::from_str(&client.core.propose(&long, 1.0)).unwrap();
    assert_eq!(refused["error"]["field"], "payload.title");
    let no_id = r#"{"type":"task.created","payload":{"title":"a"}}"#;
    let refused: Value = serde_json::from_str(&client.core.propose(no_id, 1.0)).unwrap();
    assert_eq!(refused["error"]["field"], "event_id");

    // The task exists; this client completes it while another deletes it.
    let task = sim.send(TASK).unwrap();
    client.feed(&sim);
    let id = task.event_id; // a task's id is its creating event's id
    let complete = format!(
        r#"{{"type":"task.completed","payload":{{"task_id":"{id}"}},"client_action_id":"ca-2","event_id":"6f1c2a3e-0b1d-4c5e-8f90-1a2b3c4d5e71"}}"#
    );
    assert_eq!(client.core.propose(&complete, 1.0), r#"{"ok":true}"#);
    assert_eq!(client.view()["state"]["tasks"][0]["status"], "done", "{}", client.view());
    sim.send(&format!(r#"{{"type":"task.deleted","payload":{{"task_id":"{id}"}}}}"#)).unwrap();
    let refused = sim.send(&complete).unwrap_err().to_string();
    assert!(refused.contains("task"), "{refused}");
    client.feed(&sim);
    assert!(client.core.reject("ca-2"), "the refused event was pending");
    assert!(!client.core.reject("ca-2"));
    caught_up(&client, &sim);
}

#[test]
fn a_streamed_reply_rebuilds_every_checkpoint_and_a_reload_resumes_from_the_cache() {
    let mut sim = sim();
    let mut client = connect(&mut sim, Core::new("alice", Assistant::default()).unwrap());
    let chat = r#"{"type":"user.message","payload":{"text":"Plan my afternoon, in detail please"},"client_action_id":"ca-3","event_id":"6f1c2a3e-0b1d-4c5e-8f90-1a2b3c4d5e72"}"#;
    assert_eq!(client.core.propose(chat, 1.0), r#"{"ok":true}"#);
    sim.send(chat).unwrap();
    sim.run().unwrap();
    assert_eq!(client.feed(&sim), ["ca-3"]);
    caught_up(&client, &sim);
    let messages = client.view()["state"]["messages"].as_array().unwrap().len();
    assert_eq!(messages, 2, "the question and its reply");

    // A reload: the cached state paints at once, then the stream resumes
    // from its seq and delivers exactly what came since.
    let cache = client.core.cache_json();
    sim.send(TASK).unwrap();
    let mut reloaded = connect(&mut sim, Core::restore("alice", &cache, Assistant::default()).unwrap());
    assert_eq!(reloaded.view()["state"]["messages"].as_array().unwrap().len(), 2, "painted from the cache");
    reloaded.feed(&sim);
    caught_up(&reloaded, &sim);
    assert!(Core::restore("alice", r#"{"version":1}"#, Assistant::default()).is_err(), "an unusable cache is refused");
}

#[test]
fn a_stopped_reply_shows_as_stored_before_and_after_a_reload() {
    let mut sim = sim();
    let mut client = connect(&mut sim, Core::new("alice", Assistant::default()).unwrap());
    let cache_before = client.core.cache_json();
    sim.llm.queue(microcos_memory::Script::tokens(["one ", "two ", "three "]));
    let a = sim.send(r#"{"type":"user.message","payload":{"text":"Count"}}"#).unwrap();
    let op = a.operation_id.unwrap();
    let mut run = sim.by_hand(op).unwrap();
    assert!(run.step(&mut sim).unwrap());
    assert!(run.step(&mut sim).unwrap());
    client.feed(&sim);
    sim.send(&format!(r#"{{"type":"llm.cancel","payload":{{"operation_id":"{op}"}}}}"#)).unwrap();
    client.feed(&sim);
    caught_up(&client, &sim);
    let stopped = |c: &Client| {
        let view = c.view();
        let last = view["state"]["messages"].as_array().unwrap().last().unwrap().clone();
        (last["text"].as_str().unwrap().to_string(), last["stopped"].clone())
    };
    assert_eq!(stopped(&client), ("one two ".to_string(), Value::Bool(true)));
    // A reload from the cache taken after, and from one taken before it all.
    let after = connect(&mut sim, Core::restore("alice", &client.core.cache_json(), Assistant::default()).unwrap());
    assert_eq!(stopped(&after), ("one two ".to_string(), Value::Bool(true)));
    let mut before = connect(&mut sim, Core::restore("alice", &cache_before, Assistant::default()).unwrap());
    before.feed(&sim);
    caught_up(&before, &sim);
    assert_eq!(stopped(&before), ("one two ".to_string(), Value::Bool(true)));
}
