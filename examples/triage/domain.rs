//! Support-ticket triage: a second domain on the microcos kernel, to show
//! what an embedder writes. A customer opens a ticket; a model operation
//! triages it into structured JSON (priority, category, summary); an urgent
//! or high-priority ticket still open past its deadline is escalated by a
//! job. Everything else (the log, dedupe, retries, streaming, resume,
//! snapshots, jobs firing once) is the kernel's.

use std::collections::BTreeMap;

use microcos_core::structured::Structured;
use microcos_core::validate::check_text;
use microcos_core::{Domain, LlmRequest, Operation, OperationInput, Timestamp};
use microcos_core::{DomainCode, ErrorCode, Rejection};
use microcos_core::{EventMeta, Job, Reply, Scheduled};
use microcos_core::{Prompt, PromptMessage, PromptRole};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

microcos_core::uuid_id!(
    /// A ticket: the id of the event that opened it.
    pub TicketId
);

microcos_core::payload!(
    /// `ticket.opened`: a customer asks for help.
    TicketOpened {
        /// One line.
        subject: String,
        /// The message.
        body: String,
    }
);

/// How urgent a ticket is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Priority {
    /// Whenever.
    Low,
    /// Today.
    Normal,
    /// Within 4 hours.
    High,
    /// Within the hour.
    Urgent,
}

/// `ticket.triaged`: the model's structured answer.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketTriaged {
    /// The ticket.
    pub ticket_id: TicketId,
    /// How urgent.
    pub priority: Priority,
    /// `billing`, `bug`, `account` or `other`.
    pub category: String,
    /// One sentence.
    pub summary: String,
}

microcos_core::payload!(
    /// `ticket.closed`: an agent closes a ticket.
    TicketClosed {
        /// The ticket.
        ticket_id: TicketId,
    }
);

/// `ticket.escalated`: the deadline of an open ticket passed (a job).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TicketEscalated {
    /// The ticket.
    pub ticket_id: TicketId,
}

microcos_core::catalogue! {
    /// The triage events.
    pub enum TriageEvent / TriageEventType {
        /// A customer opened a ticket (starts the triage operation).
        Opened(TicketOpened) = "ticket.opened", Client;
        /// The triage result.
        Triaged(TicketTriaged) = "ticket.triaged", System;
        /// A ticket was closed.
        Closed(TicketClosed) = "ticket.closed", Client;
        /// A ticket passed its deadline.
        Escalated(TicketEscalated) = "ticket.escalated", System;
    }
}

/// One ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Ticket {
    /// One line.
    pub subject: String,
    /// The message.
    pub body: String,
    /// Open until closed.
    pub open: bool,
    /// When it was opened.
    pub opened_at: Timestamp,
    /// The triage, once done.
    pub triage: Option<TicketTriaged>,
    /// When it was triaged.
    pub triaged_at: Option<Timestamp>,
    /// Whether it was escalated.
    pub escalated: bool,
}

/// The triage state: tickets by id (an ordered map: it is snapshotted).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Desk {
    /// Tickets.
    pub tickets: BTreeMap<TicketId, Ticket>,
}

/// The one operation: triage a ticket.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Triage {
    /// The ticket.
    pub ticket_id: TicketId,
}

impl OperationInput for Triage {
    fn kind(&self) -> &'static str {
        "triage"
    }
}

/// `404 ticket_not_found`.
pub const TICKET_NOT_FOUND: ErrorCode = DomainCode::code("ticket_not_found", 404);
/// `409 ticket_closed`.
pub const TICKET_CLOSED: ErrorCode = DomainCode::code("ticket_closed", 409);

/// The triage domain. Its deadlines are configuration (the same for every
/// replay of a log, as the kernel's `Config` is): how long an urgent or a
/// high-priority ticket may stay open before the job escalates it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TicketTriage {
    /// An urgent ticket's deadline, in ms (an hour by default).
    pub urgent_ms: u64,
    /// A high-priority ticket's deadline, in ms (4 hours by default).
    pub high_ms: u64,
}

impl Default for TicketTriage {
    fn default() -> Self {
        TicketTriage { urgent_ms: 3_600_000, high_ms: 4 * 3_600_000 }
    }
}

/// What clients see.
#[derive(Serialize)]
pub struct DeskView<'a> {
    /// Open tickets, by id.
    pub open: Vec<(&'a TicketId, &'a Ticket)>,
}

// What the model answers: the type gives the prompt's schema and parses
// the reply (`Structured`). (A doc comment would be its schema's
// description.)
#[derive(Deserialize, JsonSchema)]
struct Answer {
    priority: Priority,
    category: Category,
    summary: String,
}

// A ticket's category, as the model answers it; any other word is `other`.
#[derive(Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
enum Category {
    Billing,
    Bug,
    Account,
    #[serde(other)]
    Other,
}

impl Category {
    fn as_str(&self) -> &'static str {
        match self {
            Category::Billing => "billing",
            Category::Bug => "bug",
            Category::Account => "account",
            Category::Other => "other",
        }
    }
}

impl TicketTriage {
    /// The deadlines from variables `TRIAGE_URGENT_AFTER_MS` and
    /// `TRIAGE_HIGH_AFTER_MS`, as `var` reads them (a process's environment,
    /// a Worker's bindings); the default for one unset or not a number.
    pub fn from_vars(var: impl Fn(&str) -> Option<String>) -> Self {
        let ms = |name: &str| var(name).and_then(|v| v.trim().parse().ok());
        let default = TicketTriage::default();
        TicketTriage {
            urgent_ms: ms("TRIAGE_URGENT_AFTER_MS").unwrap_or(default.urgent_ms),
            high_ms: ms("TRIAGE_HIGH_AFTER_MS").unwrap_or(default.high_ms),
        }
    }

    /// How long a ticket of `priority` may stay open before it is escalated.
    pub fn deadline_ms(&self, priority: Priority) -> Option<u64> {
        match priority {
            Priority::Urgent => Some(self.urgent_ms),
            Priority::High => Some(self.high_ms),
            Priority::Low | Priority::Normal => None,
        }
    }

    fn deadlines<'a>(&'a self, state: &'a Desk) -> impl Iterator<Item = (TicketId, Timestamp)> + 'a {
        state.tickets.iter().filter(|(_, t)| t.open && !t.escalated).filter_map(|(id, t)| {
            let deadline = self.deadline_ms(t.triage.as_ref()?.priority)?;
            Some((*id, t.opened_at.plus_ms(deadline)))
        })
    }
}

impl Domain for TicketTriage {
    type Event = TriageEvent;
    type State = Desk;
    type Operation = Triage;
    type View<'a> = DeskView<'a>;
    const STATE_VERSION: u32 = 1;

    fn prepare(&self, event: TriageEvent) -> Result<TriageEvent, Rejection> {
        if let TriageEvent::Opened(p) = &event {
            check_text("payload.subject", &p.subject, 200, false)?;
            check_text("payload.body", &p.body, 4_000, true)?;
        }
        Ok(event)
    }

    fn decide(&self, state: &Desk, event: &TriageEvent, _: &EventMeta) -> Result<(), Rejection> {
        if let TriageEvent::Closed(p) = event {
            match state.tickets.get(&p.ticket_id) {
                None => return Err(Rejection::field(TICKET_NOT_FOUND, "payload.ticket_id", "no such ticket")),
                Some(t) if !t.open => {
                    return Err(Rejection::field(TICKET_CLOSED, "payload.ticket_id", "the ticket is closed"))
                }
                Some(_) => {}
            }
        }
        Ok(())
    }

    fn opens(&self, _: &Desk, event: &TriageEvent, meta: &EventMeta) -> Option<Triage> {
        matches!(event, TriageEvent::Opened(_)).then_some(Triage { ticket_id: TicketId(meta.event_id.0) })
    }

    fn apply(&self, state: &mut Desk, event: TriageEvent, meta: &EventMeta) {
        match event {
            TriageEvent::Opened(p) => {
                let ticket_id = TicketId(meta.event_id.0);
                let ticket = Ticket {
                    subject: p.subject,
                    body: p.body,
                    open: true,
                    opened_at: meta.timestamp,
                    triage: None,
                    triaged_at: None,
                    escalated: false,
                };
                state.tickets.insert(ticket_id, ticket);
            }
            TriageEvent::Triaged(p) => {
                if let Some(t) = state.tickets.get_mut(&p.ticket_id) {
                    t.triaged_at = Some(meta.timestamp);
                    t.triage = Some(p);
                }
            }
            TriageEvent::Closed(p) => {
                if let Some(t) = state.tickets.get_mut(&p.ticket_id) {
                    t.open = false;
                }
            }
            TriageEvent::Escalated(p) => {
                if let Some(t) = state.tickets.get_mut(&p.ticket_id) {
                    t.escalated = true;
                }
            }
        }
    }

    fn prompt(&self, state: &Desk, op: &Operation<Triage>, _: Timestamp) -> Prompt {
        let ticket = state.tickets.get(&op.input.ticket_id);
        let (subject, body) = ticket.map_or(("", ""), |t| (t.subject.as_str(), t.body.as_str()));
        let system = "You triage customer support tickets. Answer only with JSON of the form \
                      {\"priority\":\"low|normal|high|urgent\",\"category\":\"billing|bug|account|other\",\
                      \"summary\":\"one sentence\"}.";
        let messages = vec![
            PromptMessage { role: PromptRole::System, content: system.into() },
            PromptMessage { role: PromptRole::User, content: format!("Subject: {subject}\n\n{body}") },
        ];
        Prompt::new(messages, 256).with_schema(Structured::<Answer>::schema())
    }

    fn complete(&self, _: &Desk, op: &Operation<Triage>, reply: &Reply<'_>) -> Result<TriageEvent, String> {
        let a = Structured::<Answer>::parse(reply.text).map_err(|e| e.describe("triage"))?;
        let category = a.category.as_str().to_string();
        let summary: String = a.summary.chars().filter(|c| !c.is_control()).take(200).collect();
        Ok(TriageEvent::Triaged(TicketTriaged {
            ticket_id: op.input.ticket_id,
            priority: a.priority,
            category,
            summary,
        }))
    }

    /// Escalates every open urgent or high ticket at its deadline, once.
    fn jobs(&self, state: &Desk, _: Timestamp) -> Vec<Scheduled<TriageEvent>> {
        let escalate = |ticket_id| TriageEvent::Escalated(TicketEscalated { ticket_id });
        let job =
            |ticket_id: TicketId| Job { name: "escalate", key: ticket_id.to_string(), event: escalate(ticket_id) };
        self.deadlines(state).map(|(ticket_id, at)| Scheduled { at, job: job(ticket_id) }).collect()
    }

    fn view<'a>(&'a self, state: &'a Desk, _: Timestamp) -> DeskView<'a> {
        DeskView { open: state.tickets.iter().filter(|(_, t)| t.open).collect() }
    }
}

/// The offline stand-in model's triage: keywords, deterministically.
pub fn stand_in_reply(req: &LlmRequest) -> String {
    let text = req.messages.last().map_or(String::new(), |m| m.content.to_lowercase());
    let has = |words: &[&str]| words.iter().any(|w| text.contains(w));
    let priority = if has(&["down", "outage", "urgent"]) {
        "urgent"
    } else if has(&["crash", "error", "broken"]) {
        "high"
    } else if has(&["refund", "invoice", "charge"]) {
        "normal"
    } else {
        "low"
    };
    let category = if has(&["refund", "invoice", "charge"]) {
        "billing"
    } else if has(&["crash", "error", "broken", "down"]) {
        "bug"
    } else if has(&["password", "login", "account"]) {
        "account"
    } else {
        "other"
    };
    let subject = text.lines().next().unwrap_or("").trim_start_matches("subject: ");
    serde_json::json!({ "priority": priority, "category": category, "summary": format!("Customer writes: {subject}") })
        .to_string()
}
