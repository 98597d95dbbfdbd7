//! Triage's browser replica (the `Core` that `replica!` exports) against a
//! simulated server: a ticket shows at once, the triage streams in, the
//! domain's own rules refuse locally, a server refusal rolls back, and once
//! the stored events arrive the replica is the server's state, byte for
//! byte.

#![allow(clippy::unwrap_used)] // a failed unwrap is a failed test

use microcos_core::{Config, Cursor};
use microcos_memory::{Sim, StandIn};
use microcos_triage_web::domain::{stand_in_reply, TicketTriage};
use microcos_web_replica::Core;
use serde_json::Value;

struct Client {
    core: Core<TicketTriage>,
    sub: u64,
    fed: usize,
}

fn sim() -> Sim<TicketTriage> {
    let sim = Sim::new("acme", Config::default(), TicketTriage::default());
    sim.llm.set_stand_in(StandIn::new(stand_in_reply));
    sim
}

fn connect(sim: &mut Sim<TicketTriage>, core: Core<TicketTriage>) -> Client {
    let query = core.cursor_query();
    let (after, tokens) = query.split_once("&tokens=").unwrap();
    let after = microcos_core::Seq(after.strip_prefix("after=").unwrap().parse().unwrap());
    let sub = sim.subscribe(&Cursor { after, tokens: Cursor::parse_tokens(tokens).unwrap() }).unwrap();
    Client { core, sub, fed: 0 }
}

impl Client {
    /// Feeds what arrived since last time, through its JSON; the client
    /// action ids it confirmed.
    fn feed(&mut self, sim: &Sim<TicketTriage>) -> Vec<String> {
        let frames = sim.push.received(self.sub);
        let mut confirmed = Vec::new();
        for frame in &frames[self.fed..] {
            let out: Value = serde_json::from_str(&self.core.frame(&frame.to_json()).unwrap()).unwrap();
            assert_eq!(out["gap"], false);
            confirmed.extend(out["confirmed"].as_array().unwrap().iter().map(|c| c.as_str().unwrap().to_string()));
        }
        self.fed = frames.len();
        confirmed
    }

    fn view(&self) -> Value {
        serde_json::from_str(&self.core.view_json(0.0)).unwrap()
    }
}

fn caught_up(client: &Client, sim: &Sim<TicketTriage>) {
    let server = sim.state().unwrap();
    assert_eq!(client.core.cache_json().as_bytes(), server.to_bytes(), "the replica is the server's state");
    let mut view = client.view();
    assert_eq!(view["pending"], serde_json::json!([]));
    view.as_object_mut().unwrap().remove("pending");
    let host = sim.host().unwrap();
    let server_view = serde_json::to_value(host.engine().view(microcos_core::Timestamp(0))).unwrap();
    assert_eq!(view, server_view, "and shows what the server shows");
}

const OPEN: &str = r#"{"type":"ticket.opened","payload":{"subject":"Site is down","body":"Nothing loads since 9:00."},"client_action_id":"ca-1","event_id":"6f1c2a3e-0b1d-4c5e-8f90-1a2b3c4d5e6f"}"#;
const TICKET: &str = "6f1c2a3e-0b1d-4c5e-8f90-1a2b3c4d5e6f"; // a ticket's id is its opening event's

fn close(ca: &str, event: &str) -> String {
    format!(
        r#"{{"type":"ticket.closed","payload":{{"ticket_id":"{TICKET}"}},"client_action_id":"{ca}","event_id":"{event}"}}"#
    )
}

#[test]
fn a_ticket_shows_at_once_and_the_stored_one_with_its_triage_takes_its_place() {
    let mut sim = sim();
    let mut client = connect(&mut sim, Core::new("acme", TicketTriage::default()).unwrap());
    assert_eq!(client.core.propose(OPEN, 1.0), r#"{"ok":true}"#);
    let view = client.view();
    assert_eq!(view["pending"], serde_json::json!(["ca-1"]));
    assert_eq!(view["state"]["open"][0][0], TICKET, "{view}");
    assert_eq!(view["state"]["open"][0][1]["subject"], "Site is down", "shown before the server answers");
    assert_eq!(view["state"]["operations"][0]["kind"], "triage", "and its triage, pending: {view}");

    sim.send(OPEN).unwrap();
    sim.run().unwrap();
    assert_eq!(client.feed(&sim), ["ca-1"]);
    caught_up(&client, &sim);
    let triage = &client.view()["state"]["open"][0][1]["triage"];
    assert_eq!(triage["priority"], "urgent", "the stand-in's triage, streamed in: {triage}");
}

#[test]
fn the_domains_rules_refuse_at_once_and_a_server_refusal_rolls_back() {
    let mut sim = sim();
    let mut client = connect(&mut sim, Core::new("acme", TicketTriage::default()).unwrap());
    let refused: Value =
        serde_json::from_str(&client.core.propose(&close("ca-0", "6f1c2a3e-0b1d-4c5e-8f90-1a2b3c4d5e70"), 1.0))
            .unwrap();
    assert_eq!(refused["error"]["code"], "ticket_not_found", "triage's own rule, run locally");
    let long = OPEN.replace("Site is down", &"x".repeat(201));
    let refused: Value = serde_json::from_str(&client.core.propose(&long, 1.0)).unwrap();
    assert_eq!(
        (&refused["error"]["code"], &refused["error"]["field"]),
        (&"too_long".into(), &"payload.subject".into())
    );

    sim.send(OPEN).unwrap();
    sim.run().unwrap();
    client.feed(&sim);
    // This client closes the ticket while another already has.
    let mine = close("ca-2", "6f1c2a3e-0b1d-4c5e-8f90-1a2b3c4d5e71");
    assert_eq!(client.core.propose(&mine, 2.0), r#"{"ok":true}"#);
    assert_eq!(client.view()["state"]["open"], serde_json::json!([]), "closed at once");
    sim.send(&close("ca-other", "6f1c2a3e-0b1d-4c5e-8f90-1a2b3c4d5e72")).unwrap();
    let refused = sim.send(&mine).unwrap_err().to_string();
    assert!(refused.contains("closed"), "{refused}");
    client.feed(&sim);
    assert!(client.core.reject("ca-2"), "the refused close was pending");
    caught_up(&client, &sim);

    // A reload from the cache resumes where it was.
    let cache = client.core.cache_json();
    let reloaded = connect(&mut sim, Core::restore("acme", &cache, TicketTriage::default()).unwrap());
    caught_up(&reloaded, &sim);
    assert!(Core::restore("acme", r#"{"version":99}"#, TicketTriage::default()).is_err());
}
