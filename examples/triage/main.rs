//! A second domain on the same kernel: support-ticket triage, in memory.
//!
//! Run: `cargo run --example triage`

#![allow(clippy::print_stdout, missing_docs)]

#[allow(dead_code)] // the domain's whole API, of which this example uses a part
mod domain;

use domain::TicketTriage;
use microcos_core::Config;
use microcos_memory::{Sim, StandIn};

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut sim = Sim::new("acme-support", Config::default(), TicketTriage::default());
    sim.llm.set_stand_in(StandIn::new(domain::stand_in_reply)); // any `Llm` in production
    for (subject, body) in [
        ("Site is down", "Nothing loads since 9:00, all our users are blocked."),
        ("Refund please", "I was charged twice for my invoice of November."),
        ("Feature idea", "It would be nice to export reports as CSV."),
    ] {
        let body = serde_json::json!({"type": "ticket.opened", "payload": {"subject": subject, "body": body}});
        sim.send(&body.to_string())?;
    }
    sim.run()?; // the model triages each ticket (structured output), streamed and checkpointed

    // Two hours later the urgent ticket is still open: the job escalates it, once.
    sim.clock.advance(2 * 3_600_000);
    sim.tick()?;
    sim.tick()?; // a job firing twice records one event (derived ids, exact dedupe)

    let state = sim.state().ok_or("the engine is down")?;
    for (id, t) in &state.domain.tickets {
        let triage = t
            .triage
            .as_ref()
            .map_or("untriaged".to_string(), |x| format!("{:?} {} — {}", x.priority, x.category, x.summary));
        println!("{id} {:<14} {triage}{}", t.subject, if t.escalated { "  [escalated]" } else { "" });
    }
    let escalations = sim.store.rows().iter().filter(|r| r.event_type == "ticket.escalated").count();
    println!("events stored: {}, escalations: {escalations}", sim.store.len());
    let first = state.domain.tickets.keys().next().ok_or("no tickets")?;
    let close = serde_json::json!({"type": "ticket.closed", "payload": {"ticket_id": first.to_string()}});
    sim.send(&close.to_string())?;
    let again = sim.send(&close.to_string());
    println!("closing twice: {}", again.map_or_else(|e| e.to_string(), |_| "accepted".into()));
    Ok(())
}
