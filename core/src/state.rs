//! The state of one user and the kernel's reducer.

use alloc::collections::BTreeMap;
use alloc::string::String;
use alloc::vec::Vec;
use core::fmt;

use serde::{de, Deserialize, Deserializer, Serialize};

use crate::domain::{Domain, EventMeta};
use crate::event::{Envelope, Event};
use crate::ids::{ClientActionId, EventId, OperationId, Seq, Timestamp};
use crate::operation::{LlmEvent, Operation, OperationInput, OperationStatus};

/// Bounds of the kernel's working set. Part of the replay contract: the same
/// log with the same `Bounds` (and the same domain) gives the same state.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Bounds {
    /// Finished operations kept for status queries.
    pub max_finished_operations: usize,
    /// Client action ids remembered, at most.
    pub idempotency_entries: usize,
    /// How long a client action id is remembered, in milliseconds (event time).
    pub idempotency_retention_ms: u64,
    /// Operations in flight per user (pending, streaming or waiting for a
    /// retry), however they were opened: a client event, a job or a tool
    /// call. A client event that would open one more is refused (429
    /// `too_many_operations`); an operation a job or a tool call opens past
    /// it is recorded as failed at once (`too_many_operations`, not
    /// retried) and never calls the model. Part of the replay contract.
    pub max_operations: usize,
}

impl Default for Bounds {
    fn default() -> Self {
        Bounds {
            max_finished_operations: 32,
            idempotency_entries: 1_024,
            idempotency_retention_ms: 24 * 60 * 60 * 1000,
            max_operations: 16,
        }
    }
}

/// What a remembered client action answered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ActionRecord {
    /// The event it recorded.
    pub event_id: EventId,
    /// Its seq.
    pub seq: Seq,
    /// Its time (retention is measured in event time).
    pub timestamp: Timestamp,
}

/// The idempotency window of client action ids.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Idempotency {
    /// Records by client action id.
    pub actions: BTreeMap<ClientActionId, ActionRecord>,
    /// Client action ids by seq, with their time (eviction order).
    pub order: BTreeMap<Seq, (Timestamp, ClientActionId)>,
}

/// Everything the state machine knows about one user, derived from the log.
///
/// Serialised, the domain's fields sit between `last_timestamp` and
/// `operations` (flattened): that is the snapshot layout.
///
/// Applying an event has no business logic and cannot fail: decisions were
/// taken before the event was stored. The kernel folds what it owns (the
/// seq, the client-action window, operations) and hands domain events to
/// [`Domain::apply`]. The state is a bounded working set; full history
/// stays in the log.
///
/// Everything here uses ordered maps, so serialising a state gives the same
/// bytes on every target, and the state is part of snapshots.
#[derive(Serialize)]
#[serde(bound = "")]
pub struct State<D: Domain> {
    /// [`Domain::STATE_VERSION`].
    pub version: u32,
    /// Seq of the last applied event.
    pub seq: Seq,
    /// Latest event time seen.
    pub last_timestamp: Timestamp,
    /// The domain's state.
    #[serde(flatten)]
    pub domain: D::State,
    /// Operations in flight and recently finished.
    pub operations: BTreeMap<OperationId, Operation<D::Operation>>,
    /// Finished operations by request seq (eviction order).
    pub finished_operations: BTreeMap<Seq, OperationId>,
    /// Idempotency window.
    pub idempotency: Idempotency,
}

impl<'de, D: Domain> Deserialize<'de> for State<D> {
    /// Reads the kernel's fields itself and hands every other field to the
    /// domain's state, streaming (no buffering: serde's flattening would
    /// buffer, cost code size, and cannot read integer map keys).
    fn deserialize<De: Deserializer<'de>>(d: De) -> Result<Self, De::Error> {
        struct V<D>(core::marker::PhantomData<D>);
        impl<'de, D: Domain> de::Visitor<'de> for V<D> {
            type Value = State<D>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("a state")
            }
            fn visit_map<A: de::MapAccess<'de>>(self, map: A) -> Result<State<D>, A::Error> {
                let mut kernel = KernelFields::<D::Operation>::default();
                let domain = {
                    let filter = KernelFilter { map, kernel: &mut kernel, _de: core::marker::PhantomData };
                    D::State::deserialize(de::value::MapAccessDeserializer::new(filter))?
                };
                Ok(State {
                    version: kernel.version.ok_or_else(|| de::Error::missing_field("version"))?,
                    seq: kernel.seq.ok_or_else(|| de::Error::missing_field("seq"))?,
                    last_timestamp: kernel.last_timestamp.ok_or_else(|| de::Error::missing_field("last_timestamp"))?,
                    domain,
                    operations: kernel.operations.ok_or_else(|| de::Error::missing_field("operations"))?,
                    finished_operations: kernel
                        .finished_operations
                        .ok_or_else(|| de::Error::missing_field("finished_operations"))?,
                    idempotency: kernel.idempotency.ok_or_else(|| de::Error::missing_field("idempotency"))?,
                })
            }
        }
        d.deserialize_map(V(core::marker::PhantomData))
    }
}

/// The kernel's fields of a state, read aside while the domain reads its own.
struct KernelFields<I> {
    version: Option<u32>,
    seq: Option<Seq>,
    last_timestamp: Option<Timestamp>,
    operations: Option<BTreeMap<OperationId, Operation<I>>>,
    finished_operations: Option<BTreeMap<Seq, OperationId>>,
    idempotency: Option<Idempotency>,
}

impl<I> Default for KernelFields<I> {
    fn default() -> Self {
        KernelFields {
            version: None,
            seq: None,
            last_timestamp: None,
            operations: None,
            finished_operations: None,
            idempotency: None,
        }
    }
}

/// A map that takes the kernel's keys out as they pass and shows the rest.
struct KernelFilter<'k, 'de, A, I> {
    map: A,
    kernel: &'k mut KernelFields<I>,
    _de: core::marker::PhantomData<&'de ()>,
}

impl<'de, A: de::MapAccess<'de>, I: OperationInput> de::MapAccess<'de> for KernelFilter<'_, 'de, A, I> {
    type Error = A::Error;

    fn next_key_seed<K: de::DeserializeSeed<'de>>(&mut self, seed: K) -> Result<Option<K::Value>, A::Error> {
        loop {
            let Some(key) = self.map.next_key::<String>()? else { return Ok(None) };
            let k = &mut self.kernel;
            match key.as_str() {
                "version" => k.version = Some(self.map.next_value()?),
                "seq" => k.seq = Some(self.map.next_value()?),
                "last_timestamp" => k.last_timestamp = Some(self.map.next_value()?),
                "operations" => k.operations = Some(self.map.next_value()?),
                "finished_operations" => k.finished_operations = Some(self.map.next_value()?),
                "idempotency" => k.idempotency = Some(self.map.next_value()?),
                _ => return seed.deserialize(de::value::StringDeserializer::new(key)).map(Some),
            }
        }
    }

    fn next_value_seed<V: de::DeserializeSeed<'de>>(&mut self, seed: V) -> Result<V::Value, A::Error> {
        self.map.next_value_seed(seed)
    }
}

impl<D: Domain> Clone for State<D> {
    fn clone(&self) -> Self {
        State {
            version: self.version,
            seq: self.seq,
            last_timestamp: self.last_timestamp,
            domain: self.domain.clone(),
            operations: self.operations.clone(),
            finished_operations: self.finished_operations.clone(),
            idempotency: self.idempotency.clone(),
        }
    }
}

impl<D: Domain> fmt::Debug for State<D> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("State")
            .field("version", &self.version)
            .field("seq", &self.seq)
            .field("last_timestamp", &self.last_timestamp)
            .field("domain", &self.domain)
            .field("operations", &self.operations)
            .field("finished_operations", &self.finished_operations)
            .field("idempotency", &self.idempotency)
            .finish()
    }
}

impl<D: Domain> PartialEq for State<D> {
    fn eq(&self, o: &Self) -> bool {
        self.version == o.version
            && self.seq == o.seq
            && self.last_timestamp == o.last_timestamp
            && self.domain == o.domain
            && self.operations == o.operations
            && self.finished_operations == o.finished_operations
            && self.idempotency == o.idempotency
    }
}
impl<D: Domain> Eq for State<D> {}

impl<D: Domain> Default for State<D> {
    fn default() -> Self {
        State {
            version: D::STATE_VERSION,
            seq: Seq::ZERO,
            last_timestamp: Timestamp(0),
            domain: D::State::default(),
            operations: BTreeMap::new(),
            finished_operations: BTreeMap::new(),
            idempotency: Idempotency::default(),
        }
    }
}

impl<D: Domain> State<D> {
    /// Canonical bytes of the state (compact JSON, ordered maps): what
    /// snapshots store and what replay equality compares.
    pub fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).unwrap_or_default()
    }

    /// Operations not yet finished, in id order.
    pub fn operations_in_flight(&self) -> impl Iterator<Item = &Operation<D::Operation>> {
        self.operations.values().filter(|o| !o.status.is_finished())
    }

    /// Whether one more operation would pass [`Bounds::max_operations`].
    pub fn operations_full(&self, bounds: &Bounds) -> bool {
        // Finished operations kept are bounded too, so this count is cheap.
        self.operations_in_flight().count() >= bounds.max_operations
    }

    /// Folds one stored event into the state. Never fails: events that no
    /// longer apply (an update of a deleted item) change nothing.
    pub fn apply(&mut self, env: &Envelope<D::Event>, domain: &D, bounds: &Bounds) {
        self.apply_owned(env.clone(), domain, bounds);
    }

    /// [`State::apply`] for an envelope the caller no longer needs: its
    /// strings move into the state instead of being copied (replay speed).
    pub fn apply_owned(&mut self, env: Envelope<D::Event>, domain: &D, bounds: &Bounds) {
        let mut m = EventMeta::of(&env);
        self.seq = m.seq;
        if m.timestamp > self.last_timestamp {
            self.last_timestamp = m.timestamp;
        }
        if let Some(ca) = env.client_action_id {
            self.remember_action(ca, &m, bounds);
        }
        match env.event {
            Event::Domain(event) => {
                let opened = domain.opens(&self.domain, &event, &m).map(|input| (m.opened_operation(), input));
                if let Some((id, _)) = &opened {
                    m.operation_id = Some(*id);
                }
                domain.apply(&mut self.domain, event, &m);
                if let Some((id, input)) = opened {
                    let full = self.operations_full(bounds);
                    self.open_operation(id, &m, input);
                    if full {
                        // Opened by a job or a tool call past the bound (a
                        // client event was refused before it was stored).
                        if let Some(op) = self.operations.get_mut(&id) {
                            op.status = OperationStatus::Failed;
                            op.last_failure = Some(crate::operation::FailureCode::TooManyOperations);
                        }
                        self.finish(id, &m, domain, bounds);
                    }
                }
            }
            Event::Llm(event) => self.apply_llm(event, &m, domain, bounds),
        }
    }

    fn apply_llm(&mut self, event: LlmEvent, m: &EventMeta, domain: &D, bounds: &Bounds) {
        match event {
            LlmEvent::Started(p) => {
                if let Some(op) = self.op_mut(m) {
                    op.status = OperationStatus::Streaming;
                    op.attempt = p.attempt;
                    op.text.clear();
                    op.tokens = 0;
                    op.retry_at = None;
                }
            }
            LlmEvent::Token(_) => {} // tokens live in the machine's tail, not in durable state
            LlmEvent::Checkpoint(p) => {
                if let Some(op) = self.op_mut(m) {
                    op.absorb(p.attempt, p.from_index, &p.tokens);
                }
            }
            LlmEvent::Completed(p) => {
                if let Some(op) = self.op_mut(m) {
                    op.absorb(p.attempt, p.from_index, &p.tokens);
                    op.status = OperationStatus::Completed;
                }
                self.finish_operation(m, domain, bounds);
            }
            LlmEvent::Failed(p) => {
                if let Some(op) = self.op_mut(m) {
                    op.last_failure = Some(p.code);
                    if p.terminal {
                        op.status = OperationStatus::Failed;
                    }
                }
                if p.terminal {
                    self.finish_operation(m, domain, bounds);
                }
            }
            LlmEvent::RetryScheduled(p) => {
                if let Some(op) = self.op_mut(m) {
                    op.status = OperationStatus::RetryScheduled;
                    op.retry_at = Some(p.at);
                }
            }
            LlmEvent::Cancel(p) => {
                if let Some(op) = self.operations.get_mut(&p.operation_id) {
                    if !op.status.is_finished() {
                        op.status = OperationStatus::Cancelled;
                        op.retry_at = None;
                        let op_id = op.operation_id;
                        self.finish(op_id, m, domain, bounds);
                    }
                }
            }
        }
    }

    fn op_mut(&mut self, m: &EventMeta) -> Option<&mut Operation<D::Operation>> {
        m.operation_id.and_then(|id| self.operations.get_mut(&id))
    }

    fn remember_action(&mut self, ca: ClientActionId, m: &EventMeta, bounds: &Bounds) {
        let idem = &mut self.idempotency;
        let record = ActionRecord { event_id: m.event_id, seq: m.seq, timestamp: m.timestamp };
        if let Some(old) = idem.actions.insert(ca.clone(), record) {
            idem.order.remove(&old.seq);
        }
        idem.order.insert(m.seq, (m.timestamp, ca));
        let horizon = m.timestamp.0.saturating_sub(bounds.idempotency_retention_ms);
        while let Some((_, (at, _))) = idem.order.first_key_value() {
            if idem.order.len() <= bounds.idempotency_entries && at.0 >= horizon {
                break;
            }
            if let Some((_, (_, id))) = idem.order.pop_first() {
                idem.actions.remove(&id);
            }
        }
    }

    fn open_operation(&mut self, id: OperationId, m: &EventMeta, input: D::Operation) {
        let op = Operation {
            operation_id: id,
            input,
            request_event: m.event_id,
            request_id: m.request_id,
            request_seq: m.seq,
            status: OperationStatus::Pending,
            attempt: 0,
            text: String::new(),
            tokens: 0,
            retry_at: None,
            last_failure: None,
        };
        self.operations.insert(id, op);
    }

    fn finish_operation(&mut self, m: &EventMeta, domain: &D, bounds: &Bounds) {
        if let Some(id) = m.operation_id {
            self.finish(id, m, domain, bounds);
        }
    }

    fn finish(&mut self, id: OperationId, m: &EventMeta, domain: &D, bounds: &Bounds) {
        let Some(op) = self.operations.get(&id) else { return };
        self.finished_operations.insert(op.request_seq, id);
        domain.operation_finished(&mut self.domain, op, m);
        while self.finished_operations.len() > bounds.max_finished_operations {
            if let Some((_, old)) = self.finished_operations.pop_first() {
                self.operations.remove(&old);
            }
        }
    }
}
