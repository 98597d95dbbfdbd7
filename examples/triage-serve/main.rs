//! The triage domain (`examples/triage/domain.rs`) served by the local
//! service: the same `serve`, `token` and `load` commands, flags, HTTP and
//! WebSocket API, SQLite storage, group commit, wake index and limits as
//! `microcos`, for an embedder's domain. This file is all an embedder writes
//! besides the domain.
//!
//! ```text
//! cargo run --example triage-serve -- serve --data /tmp/triage
//! cargo run --example triage-serve -- token acme --data /tmp/triage
//! ```
//!
//! `TRIAGE_URGENT_AFTER_MS` and `TRIAGE_HIGH_AFTER_MS` set the escalation
//! deadlines (an hour and four hours by default).

#[allow(dead_code)] // the domain's whole API, of which this binary uses a part
#[path = "../triage/domain.rs"]
mod domain;

use microcos_host::StandIn;
use microcos_server::load::{FirstToken, Workload};
use microcos_server::service::Site;

/// What `triage-serve load` sends: a ticket opened (its id chosen by the
/// client) and closed; a ticket's triage streams, for the time to first token.
const WORKLOAD: Workload = Workload {
    round: |n, id| {
        vec![
            format!(r#"{{"type":"ticket.opened","event_id":"{id}","payload":{{"subject":"Load {n}","body":"."}}}}"#),
            format!(r#"{{"type":"ticket.closed","payload":{{"ticket_id":"{id}"}}}}"#),
        ]
    },
    first_token: Some(FirstToken {
        event: |n| format!(r#"{{"type":"ticket.opened","payload":{{"subject":"Site down {n}","body":"."}}}}"#),
        done: "ticket.triaged",
    }),
};

fn main() {
    // Deadlines from the environment (an hour and four hours when unset).
    let triage = domain::TicketTriage::from_vars(|name| std::env::var(name).ok());
    let site = Site::new(triage).with_stand_in(StandIn::new(domain::stand_in_reply)).with_workload(WORKLOAD);
    std::process::exit(microcos_server::cli::run(site, "triage", "Support-ticket triage on the microcos kernel"));
}
