//! The [`Domain`] trait: what an application supplies to the kernel.
//!
//! The kernel owns the mechanisms (the log, exact dedupe, the client-action
//! window, snapshots, operations and their retries, jobs, realtime frames
//! and resume). A domain owns the meaning:
//!
//! | the domain supplies | trait item |
//! | --- | --- |
//! | its event catalogue (names, client-sendable types, payloads) | [`Domain::Event`], declared with [`catalogue!`](crate::catalogue) |
//! | payload shapes and content bounds of client events | [`Domain::payload_fields`], [`Domain::validate`] |
//! | its rules | [`Domain::decide`] |
//! | its state and reducer (which may open operations) | [`Domain::State`], [`Domain::apply`] |
//! | which events start an operation, and the prompt | [`Domain::starts_operation`], [`Domain::prompt`] |
//! | how an operation's output becomes an event | [`Domain::complete`] |
//! | its jobs (events due at a time, follow-ups) | [`Domain::due`], [`Domain::next_wake`], [`Domain::follow_ups`] |
//! | what clients see | [`Domain::view`] |
//!
//! Deciding is pure and may refuse; applying cannot fail and has no rules.
//! Neither sees a clock, a store or a model: time and ids arrive in
//! [`EventMeta`] and in the `now` arguments.

use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::error::Rejection;
use crate::event::EventKind;
use crate::event::{Catalogue, Envelope};
use crate::ids::{EventId, OperationId, RequestId, Seq, Timestamp};
use crate::llm::{Prompt, Tool};
use crate::operation::ToolCall;
use crate::operation::{Operation, OperationInput};
use crate::state::State;
use crate::validate::FieldSpec;
use crate::view::OperationView;

/// The type enum of a domain's catalogue.
pub type TypeOf<D> = <<D as Domain>::Event as Catalogue>::Type;

/// An application built on the kernel. See the [module docs](self).
///
/// A domain value carries the domain's own configuration (its bounds and
/// prompt budget); like the kernel's [`crate::Config`], it is part of the
/// replay contract: the same log with the same domain gives the same state.
pub trait Domain: Clone + fmt::Debug + 'static {
    /// The domain's events.
    type Event: Catalogue;
    /// The domain's part of the state. Use ordered maps only: its JSON is
    /// part of snapshots and of the replay contract.
    type State: Clone + fmt::Debug + Default + PartialEq + Eq + Serialize + DeserializeOwned + 'static;
    /// What one operation works on (enough to rebuild its prompt on a retry).
    type Operation: OperationInput;
    /// What `GET /v1/snapshot` shows (the `state` member).
    type View<'a>: Serialize
    where
        Self: 'a;

    /// Version of [`Domain::State`]'s layout. Bump it on any change: a
    /// snapshot of another version is discarded and the state rebuilt.
    const STATE_VERSION: u32;

    /// The payload fields of a client-sendable type, checked before the
    /// payload is decoded so that errors name the failing field. A payload
    /// with no required field may be omitted.
    fn payload_fields(&self, ty: TypeOf<Self>) -> &'static [FieldSpec];

    /// Content bounds of a client event (lengths, ranges), once decoded.
    fn validate(&self, event: &Self::Event) -> Result<(), Rejection>;

    /// Completes a valid client event before it is decided and stored,
    /// with what the service resolves on the user's behalf and must record
    /// so that replay never resolves it again (for example the rule a time
    /// zone's name has today: [`crate::tz::zone_rule`]). It runs where a
    /// request is parsed ([`crate::validate::parse_client_request`]), for the
    /// service and a client's replica alike, never at replay, and it must be
    /// a function of the event alone (a retry of the same request is then
    /// the same event). The default keeps the event as it is.
    fn prepare(&self, event: Self::Event) -> Result<Self::Event, Rejection> {
        Ok(event)
    }

    /// The domain's rules for a client event against the current state.
    fn decide(&self, state: &State<Self>, event: &Self::Event, meta: &EventMeta) -> Result<(), Rejection>;

    /// Whether `event` opens an operation. Its id is then derived from the
    /// event's id ([`OperationId::for_request`]), and [`Domain::apply`] must
    /// call [`Apply::open_operation`] for it; for every other event it must
    /// not. Debug builds check both ways as each event is applied (and panic
    /// with an [`OpeningMismatch`]); the checkers of `microcos-memory` and
    /// [`crate::State::apply_checked`] check them in every build.
    fn starts_operation(&self, event: &Self::Event) -> bool;

    /// Folds a stored event into the domain's state. Cannot fail; has no
    /// rules. Calls [`Apply::open_operation`] exactly for the events
    /// [`Domain::starts_operation`] names.
    fn apply(&self, state: &mut Self::State, event: Self::Event, cx: &mut Apply<'_, Self::Operation>);

    /// An operation finished (completed, failed for good, or cancelled by
    /// the event `meta` describes). A cancelled operation keeps the text
    /// its clients saw (the kernel stores it before the cancel).
    fn operation_finished(&self, _state: &mut Self::State, _operation: &Operation<Self::Operation>, _meta: &EventMeta) {
    }

    /// The prompt for the next attempt of `operation`, built from the state.
    /// `now` is when the attempt starts (the time of its `llm.started`),
    /// for a prompt that tells the model the date and time.
    fn prompt(&self, state: &State<Self>, operation: &Operation<Self::Operation>, now: Timestamp) -> Prompt;

    /// The event that records a finished operation's output, or why the
    /// output is unusable (recorded as a retryable `malformed_output` failure).
    fn complete(
        &self,
        state: &State<Self>,
        operation: &Operation<Self::Operation>,
        output: &str,
    ) -> Result<Self::Event, String>;

    /// The tools the model may call in `operation` (function calling).
    /// Default: none.
    fn tools(&self, _state: &State<Self>, _operation: &Operation<Self::Operation>) -> Vec<Tool> {
        Vec::new()
    }

    /// [`Domain::complete`] for a reply that may carry tool calls (stored
    /// with `llm.completed`; replay never asks the model again). A domain
    /// that declares tools overrides this and turns the calls into its own
    /// events. Default: a reply with calls is unusable, else [`Domain::complete`].
    fn complete_with_tools(
        &self,
        state: &State<Self>,
        operation: &Operation<Self::Operation>,
        output: &str,
        tool_calls: &[ToolCall],
    ) -> Result<Self::Event, String> {
        if tool_calls.is_empty() {
            self.complete(state, operation, output)
        } else {
            Err(String::from("the model called tools this operation does not declare"))
        }
    }

    /// Events the state calls for after a batch was applied (work that a
    /// growing collection makes due). Each is recorded as caused by the batch's last
    /// event; its id is derived from its type and key, so it is recorded once.
    fn follow_ups(&self, _state: &State<Self>) -> Vec<Job<Self::Event>> {
        Vec::new()
    }

    /// Jobs due at `now` (a reminder at a chosen time). Ids are derived from type and key:
    /// a job that fires twice (at-least-once alarms) is recorded once.
    fn due(&self, _state: &State<Self>, _now: Timestamp) -> Vec<Job<Self::Event>> {
        Vec::new()
    }

    /// When the next of the domain's jobs falls due, if any.
    fn next_wake(&self, _state: &State<Self>, _now: Timestamp) -> Option<Timestamp> {
        None
    }

    /// What clients see. `operations` are the operations in flight, with
    /// their partial text, as the kernel shows them.
    fn view<'a>(&'a self, state: &'a State<Self>, operations: Vec<OperationView>, now: Timestamp) -> Self::View<'a>;
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

/// What [`Domain::apply`] may do besides changing the domain state.
pub struct Apply<'a, I> {
    meta: &'a EventMeta,
    /// The operation opened, with its id (derived once: a SHA-1 when the
    /// envelope carries none).
    opened: Option<(OperationId, I)>,
}

impl<'a, I> Apply<'a, I> {
    pub(crate) fn new(meta: &'a EventMeta) -> Self {
        Apply { meta, opened: None }
    }
    pub(crate) fn into_opened(self) -> Option<(OperationId, I)> {
        self.opened
    }
    /// The event being applied.
    pub fn meta(&self) -> &EventMeta {
        self.meta
    }
    /// Opens the operation this event starts; returns its id.
    pub fn open_operation(&mut self, input: I) -> OperationId {
        let id = match &self.opened {
            Some((id, _)) => *id,
            None => self.meta.opened_operation(),
        };
        self.opened = Some((id, input));
        id
    }
}

/// An event that broke the contract between [`Domain::starts_operation`]
/// and [`Domain::apply`]: one opens an operation and the other does not
/// say so. Either way the operation does not run as it should: an event
/// that claims an operation which `apply` never opens is given an
/// operation id that nothing ever starts, and an operation `apply` opens
/// undeclared gets no id on its event, is not started when the event is
/// recorded, and bypasses [`crate::state::Bounds::max_operations`] at the
/// door.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OpeningMismatch {
    /// The event's seq.
    pub seq: Seq,
    /// The event's wire type.
    pub event_type: &'static str,
    /// What [`Domain::starts_operation`] said (`apply` did the opposite).
    pub starts_operation: bool,
}

impl OpeningMismatch {
    /// Compares what [`Domain::starts_operation`] said of an event with
    /// whether [`Domain::apply`] opened an operation for it.
    pub fn check<T: EventKind>(seq: Seq, ty: T, starts: bool, opened: bool) -> Result<(), OpeningMismatch> {
        if starts == opened {
            return Ok(());
        }
        Err(OpeningMismatch { seq, event_type: ty.name(), starts_operation: starts })
    }
}

impl fmt::Display for OpeningMismatch {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (seq, ty) = (self.seq.0, self.event_type);
        if self.starts_operation {
            write!(
                f,
                "event {seq} ({ty}): Domain::starts_operation is true for it, but Domain::apply did not call \
                 Apply::open_operation: its operation never runs"
            )
        } else {
            write!(
                f,
                "event {seq} ({ty}): Domain::apply called Apply::open_operation, but Domain::starts_operation is \
                 false for it: the kernel gives the event no operation id and does not start the operation"
            )
        }
    }
}

#[cfg(feature = "std")]
impl std::error::Error for OpeningMismatch {}
