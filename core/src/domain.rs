//! The [`Domain`] trait: what an application supplies to the kernel.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::Rejection;
use crate::event::{Catalogue, Envelope};
use crate::ids::{EventId, OperationId, RequestId, Seq, Timestamp};
use crate::llm::Prompt;
use crate::operation::ToolCall;
use crate::operation::{Operation, OperationInput};

/// The type enum of a domain's catalogue.
pub type TypeOf<D> = <<D as Domain>::Event as Catalogue>::Type;

/// An application built on the kernel.
///
/// The kernel owns the mechanisms (the log, exact dedupe, the client-action
/// window, snapshots, operations and their retries, jobs, realtime frames
/// and resume). A domain owns the meaning, each fact said once:
///
/// | the domain supplies | trait item |
/// | --- | --- |
/// | its event catalogue (names, client-sendable types, payloads) | [`Domain::Event`], declared with [`catalogue!`](crate::catalogue) |
/// | payload shapes of client events | its payloads' declarations ([`payload!`](crate::payload)) |
/// | content bounds of a client event, and what the service records for it | [`Domain::prepare`] |
/// | its rules | [`Domain::decide`] |
/// | which events open a model operation, and on what | [`Domain::opens`] |
/// | its state and reducer | [`Domain::State`], [`Domain::apply`], [`Domain::operation_finished`] |
/// | the prompt, with its schema and tools | [`Domain::prompt`] |
/// | how a finished operation's reply becomes an event | [`Domain::complete`] |
/// | its jobs: scheduled ones with their times, and follow-ups | [`Domain::jobs`], [`Domain::follow_ups`] |
/// | what clients see | [`Domain::view`] (the kernel adds the operations in flight) |
///
/// Every method sees the domain's own state, [`Domain::State`], never the
/// kernel's: time and ids arrive in [`EventMeta`] and in the `now`
/// arguments, and what the domain wants to know of its operations it
/// records itself (in [`Domain::apply`] of the event that opened one, and
/// in [`Domain::operation_finished`]).
///
/// Deciding is pure and may refuse; applying cannot fail and has no rules.
/// Neither sees a clock, a store or a model.
///
/// Six methods are required ([`decide`](Domain::decide), [`opens`](Domain::opens),
/// [`apply`](Domain::apply), [`prompt`](Domain::prompt),
/// [`complete`](Domain::complete) and [`view`](Domain::view)), and four
/// have defaults.
///
/// A domain value carries the domain's own configuration (its bounds and
/// prompt budget); like the kernel's [`crate::Config`], it is part of the
/// replay contract: the same log with the same domain gives the same state.
pub trait Domain: Clone + fmt::Debug + 'static {
    /// The domain's events.
    type Event: Catalogue;
    /// The domain's state. Use ordered maps only: its JSON is part of
    /// snapshots and of the replay contract.
    type State: Clone + fmt::Debug + Default + PartialEq + Eq + Serialize + DeserializeOwned + 'static;
    /// What one operation works on (enough to rebuild its prompt on a retry).
    type Operation: OperationInput;
    /// What `GET /v1/snapshot` shows (the `state` member), less the
    /// operations in flight, which the kernel adds as its `operations`
    /// member. It must serialise as a JSON object.
    type View<'a>: Serialize
    where
        Self: 'a;

    /// Version of [`Domain::State`]'s layout. Bump it on any change: a
    /// snapshot of another version is discarded and the state rebuilt.
    const STATE_VERSION: u32;

    /// Checks a decoded client event's content (lengths, ranges) and
    /// completes it with what the service resolves on the user's behalf and
    /// must record, so that replay never resolves it again (for example the
    /// rule a time zone's name has today: [`crate::tz::zone_rule`]). It runs
    /// where a request is parsed ([`crate::validate::parse_client_request`]),
    /// for the service and a client's replica alike, never at replay, and it
    /// must be a function of the event alone (a retry of the same request is
    /// then the same event). The default takes the event as it is.
    fn prepare(&self, event: Self::Event) -> Result<Self::Event, Rejection> {
        Ok(event)
    }

    /// The domain's rules for a client event against the current state.
    fn decide(&self, state: &Self::State, event: &Self::Event, meta: &EventMeta) -> Result<(), Rejection>;

    /// Whether `event` opens a model operation, and what it works on. The
    /// kernel asks before [`Domain::apply`] folds the event in (so `state`
    /// is the state before it), gives the operation an id derived from the
    /// event's ([`EventMeta::opened_operation`]) and starts it once the
    /// event is stored. Whether it opens one must follow from the event
    /// alone (the event's id is assigned by that answer before it is
    /// decided); what it works on may read the state and `meta`.
    fn opens(&self, state: &Self::State, event: &Self::Event, meta: &EventMeta) -> Option<Self::Operation>;

    /// Folds a stored event into the domain's state. Cannot fail; has no
    /// rules. For an event that opened an operation, `meta.operation_id`
    /// is that operation's id.
    fn apply(&self, state: &mut Self::State, event: Self::Event, meta: &EventMeta);

    /// An operation finished (completed, failed for good, or cancelled by
    /// the event `meta` describes). A cancelled operation keeps the text
    /// its clients saw (the kernel stores it before the cancel).
    fn operation_finished(&self, _state: &mut Self::State, _operation: &Operation<Self::Operation>, _meta: &EventMeta) {
    }

    /// The prompt for the next attempt of `operation`, built from the
    /// state, with the answer's schema ([`Prompt::schema`]) and the tools
    /// the model may call ([`Prompt::tools`]) if any. `now` is when the
    /// attempt starts (the time of its `llm.started`), for a prompt that
    /// tells the model the date and time.
    fn prompt(&self, state: &Self::State, operation: &Operation<Self::Operation>, now: Timestamp) -> Prompt;

    /// The event that records a finished operation's reply, or why the
    /// reply is unusable (recorded as a retryable `malformed_output`
    /// failure). A reply carries tool calls only where the operation's
    /// prompt offered tools: the kernel refuses the others before asking.
    fn complete(
        &self,
        state: &Self::State,
        operation: &Operation<Self::Operation>,
        reply: &Reply<'_>,
    ) -> Result<Self::Event, String>;

    /// Events the state calls for after a batch was applied at `now` (work
    /// that a growing collection makes due). Each is recorded as caused by
    /// the batch's last event; its id is derived from its type and key, so
    /// it is recorded once.
    fn follow_ups(&self, _state: &Self::State, _now: Timestamp) -> Vec<Job<Self::Event>> {
        Vec::new()
    }

    /// The domain's scheduled jobs as of `now`, each with its time: the
    /// kernel records those whose time has come and wakes the host at the
    /// earliest of the rest. List each job's next occurrence (one already
    /// due stays listed until its event is applied). Ids are derived from
    /// the job's name and key: a job that fires twice (at-least-once
    /// alarms) is recorded once.
    fn jobs(&self, _state: &Self::State, _now: Timestamp) -> Vec<Scheduled<Self::Event>> {
        Vec::new()
    }

    /// What clients see (the kernel adds the operations in flight, with
    /// their partial text).
    fn view<'a>(&'a self, state: &'a Self::State, now: Timestamp) -> Self::View<'a>;
}

/// A finished attempt's reply, as [`Domain::complete`] receives it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Reply<'a> {
    /// The text generated (stored and live tokens).
    pub text: &'a str,
    /// The tools the model called (empty unless the prompt offered tools).
    pub tool_calls: &'a [ToolCall],
}

/// A scheduled job and the time it falls due ([`Domain::jobs`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Scheduled<E> {
    /// When it falls due.
    pub at: Timestamp,
    /// The job.
    pub job: Job<E>,
}

/// An event a domain asks the kernel to record: a job due, or a follow-up.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Job<E> {
    /// The job's name: a due job's request id is derived from `job.<name>`
    /// and `key` (a follow-up carries its cause's request id).
    pub name: &'static str,
    /// What makes this occurrence unique (a date, a seq).
    pub key: String,
    /// The event.
    pub event: E,
}

/// The metadata of a stored event, as the reducer and the rules see it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct EventMeta {
    /// Its seq (0 while deciding: not yet assigned).
    pub seq: Seq,
    /// Its time.
    pub timestamp: Timestamp,
    /// Its id.
    pub event_id: EventId,
    /// The request that caused it.
    pub request_id: RequestId,
    /// The operation it belongs to or opens.
    pub operation_id: Option<OperationId>,
}

impl EventMeta {
    /// The metadata of an envelope.
    pub fn of<E>(env: &Envelope<E>) -> EventMeta {
        EventMeta {
            seq: env.seq,
            timestamp: env.timestamp,
            event_id: env.event_id,
            request_id: env.request_id,
            operation_id: env.operation_id,
        }
    }

    /// The operation this event opens: the id the envelope carries, or the
    /// one derived from the event id (the one rule, in one place).
    pub fn opened_operation(&self) -> OperationId {
        self.operation_id.unwrap_or_else(|| OperationId::for_request(self.event_id))
    }
}
