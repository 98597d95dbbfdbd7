//! The ports adapters implement: [`Store`], [`Llm`], [`Push`] and [`Clock`].

use alloc::string::String;
use alloc::vec::Vec;

use crate::event::Catalogue;
use crate::frame::Frame;
use crate::ids::{EventId, OperationId, RequestId, Seq, Timestamp};
use crate::llm::LlmRequest;
use crate::operation::FailureCode;

/// One stored event: the unit a [`Store`] persists. `body` is the envelope's
/// JSON ([`crate::event::Envelope::to_json`]); the other columns are for indexing.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Row {
    /// Position in the log.
    pub seq: Seq,
    /// Unique event id (the store keeps a unique index on it).
    pub event_id: EventId,
    /// Event type (its dotted wire name).
    pub event_type: String,
    /// Event time.
    pub timestamp: Timestamp,
    /// The request that caused it.
    pub request_id: RequestId,
    /// The operation it belongs to, if any.
    pub operation_id: Option<OperationId>,
    /// Envelope JSON.
    pub body: String,
}

/// What an append did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Appended {
    /// Every row was written, atomically.
    Written,
    /// Row `index` of the batch has an event id already stored at `existing`;
    /// nothing was written.
    Duplicate {
        /// Index in the batch.
        index: usize,
        /// Seq of the stored event with that id.
        existing: Seq,
    },
}

/// A stored snapshot: the state's canonical bytes in pieces.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SnapshotRecord {
    /// Seq of the last event folded in.
    pub seq: Seq,
    /// [`crate::domain::Domain::STATE_VERSION`] of the state inside.
    pub state_version: u32,
    /// The state's JSON, split into pieces no larger than the configured size.
    pub pieces: Vec<String>,
}

/// A technical storage failure (never a domain rejection).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[non_exhaustive]
pub enum StoreError {
    /// The batch did not start right after the last stored seq (another writer).
    #[error("append expected seq {expected}, but the log ends at {found}")]
    SeqConflict {
        /// The first seq of the batch.
        expected: Seq,
        /// The store's last seq.
        found: Seq,
    },
    /// The backend failed; the operation may or may not have been written.
    #[error("storage failed: {0}")]
    Backend(String),
    /// The stored data is unreadable (not a database, corrupt): retrying
    /// will not help; an operator must restore or remove it.
    #[error("storage is corrupt: {0}")]
    Corrupt(String),
}

/// Durable, append-only event log of one user, plus its latest snapshot.
///
/// They are deliberately small and carry no `Send` bound and no executor:
/// futures on Cloudflare Workers are not `Send`, and a single-threaded host
/// interleaves requests only at `.await` points. `Store` and `Push` are
/// synchronous because both real backends are (Durable Object SQLite and
/// SQLite itself; a WebSocket send), which also makes "one event at a time"
/// trivially true. Only the model is asynchronous.
pub trait Store {
    /// Appends `rows` atomically. Their seqs are consecutive and must start
    /// right after the last stored seq. If any row's event id is already
    /// stored, nothing is written and the existing seq is returned (checked
    /// exactly, by a unique index, never by hash).
    fn append(&mut self, rows: &[Row]) -> Result<Appended, StoreError>;
    /// Up to `limit` rows with seq greater than `after`, in order.
    fn read_after(&self, after: Seq, limit: usize) -> Result<Vec<Row>, StoreError>;
    /// The row at `seq`.
    fn read_at(&self, seq: Seq) -> Result<Option<Row>, StoreError> {
        let rows = self.read_after(Seq(seq.0.saturating_sub(1)), 1)?;
        Ok(rows.into_iter().next().filter(|r| r.seq == seq))
    }
    /// The seq of the stored event with this id, if any (exact lookup).
    fn find_event(&self, event_id: EventId) -> Result<Option<Seq>, StoreError>;
    /// The last stored seq (0 when empty).
    fn last_seq(&self) -> Result<Seq, StoreError>;
    /// Replaces the stored snapshot.
    fn save_snapshot(&mut self, snapshot: &SnapshotRecord) -> Result<(), StoreError>;
    /// The latest snapshot, if any.
    fn load_snapshot(&self) -> Result<Option<SnapshotRecord>, StoreError>;
}

/// Delivers frames to the user's live subscribers. Best effort: a client that
/// misses a frame notices the gap (seq / token index) and resumes.
pub trait Push<E: Catalogue> {
    /// Sends a frame to every live subscriber.
    fn push(&mut self, frame: &Frame<E>);
    /// How many subscribers are registered (the host caps them).
    fn subscribers(&self) -> usize;
}

/// The host's clock: the only source of "now" for events the core generates
/// (tokens, checkpoints, retries).
pub trait Clock {
    /// Milliseconds since the Unix epoch.
    fn now(&self) -> Timestamp;
}

/// What went wrong with a model call: the same codes `llm.failed` records.
/// Everything but [`FailureCode::Rejected`] and [`FailureCode::OutputTooLarge`] is retryable.
pub type LlmErrorKind = FailureCode;

/// A failed model call.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
#[error("{kind:?}: {message}")]
pub struct LlmError {
    /// What kind of failure.
    pub kind: LlmErrorKind,
    /// Detail.
    pub message: String,
}

impl LlmError {
    /// A new error.
    pub fn new(kind: LlmErrorKind, message: impl Into<String>) -> Self {
        LlmError { kind, message: message.into() }
    }
    /// Whether another attempt may succeed.
    pub fn retryable(&self) -> bool {
        !matches!(self.kind, LlmErrorKind::Rejected | LlmErrorKind::OutputTooLarge | LlmErrorKind::TooManyOperations)
    }
}

/// A stream of generated tokens.
///
/// Implementations enforce their own idle timeout and yield
/// `Some(Err(LlmErrorKind::Stalled))` rather than hang forever.
#[allow(async_fn_in_trait)] // no Send bound on purpose: see the docs of `Store`
pub trait TokenStream {
    /// The next token; `None` when the reply is complete.
    async fn next_token(&mut self) -> Option<Result<String, LlmError>>;

    /// The tool calls of the reply, once [`TokenStream::next_token`] returned
    /// `None` (providers stream a call's arguments in pieces: the adapter
    /// assembles them). Default: none.
    fn tool_calls(&mut self) -> Vec<crate::operation::ToolCall> {
        Vec::new()
    }
}

/// A language model.
#[allow(async_fn_in_trait)] // no Send bound on purpose: see the docs of `Store`
pub trait Llm {
    /// The token stream of one call.
    type Stream: TokenStream;
    /// Starts generating for `request`.
    async fn generate(&self, request: &LlmRequest) -> Result<Self::Stream, LlmError>;
}
