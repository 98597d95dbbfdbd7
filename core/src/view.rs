//! What clients see: `GET /v1/snapshot` answers `{"seq", "state"}`, where
//! `state` is the domain's view ([`crate::Domain::view`]) with the
//! operations in flight and their partial text added by the kernel
//! ([`OperationView`]) as its last member, `operations`.

use alloc::string::String;
use alloc::vec::Vec;

use serde::Serialize;

use crate::domain::Domain;
use crate::ids::{OperationId, Seq, Timestamp};
use crate::machine::Machine;
use crate::operation::{OperationKind, OperationStatus};

/// The body of `GET /v1/snapshot`.
#[derive(Serialize)]
#[serde(bound = "")]
pub struct SnapshotView<'a, D: Domain> {
    /// Seq of the last event folded in.
    pub seq: Seq,
    /// The domain's view, and the operations in flight.
    pub state: StateView<D::View<'a>>,
}

/// A domain's view with the operations in flight: the view's members, then
/// `operations`.
#[derive(Serialize)]
pub struct StateView<V> {
    /// The domain's view (a JSON object: its members come first).
    #[serde(flatten)]
    pub domain: V,
    /// The operations in flight, in id order, with their partial text.
    pub operations: Vec<OperationView>,
}

/// An operation in flight, as clients see it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OperationView {
    /// Id.
    pub operation_id: OperationId,
    /// What it produces.
    pub kind: OperationKind,
    /// Lifecycle.
    pub status: OperationStatus,
    /// Current attempt.
    pub attempt: u32,
    /// Text so far (stored and live tokens).
    pub text: String,
}

/// The operations in flight, in id order, with their partial text.
pub(crate) fn operations<D: Domain>(machine: &Machine<D>) -> Vec<OperationView> {
    machine
        .state()
        .operations_in_flight()
        .map(|o| OperationView {
            operation_id: o.operation_id,
            kind: OperationKind::new(crate::operation::OperationInput::kind(&o.input)),
            status: o.status,
            attempt: o.attempt,
            text: machine.partial_text(o.operation_id).unwrap_or_default(),
        })
        .collect()
}

/// The client view of a machine's state at `now` ([`crate::Engine::view`],
/// [`crate::Replica::view`]).
pub(crate) fn snapshot<D: Domain>(machine: &Machine<D>, now: Timestamp) -> SnapshotView<'_, D> {
    let state = machine.state();
    let domain = machine.domain().view(&state.domain, now);
    SnapshotView { seq: state.seq, state: StateView { domain, operations: operations(machine) } }
}
