//! [`MemoryStore`]: the `Store` port in memory, with deterministic faults.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use microcos_core::{Appended, Row, SnapshotRecord, Store, StoreError};
use microcos_core::{EventId, Seq};

/// Deterministic storage faults, by 1-based call number of `append`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct StoreFaults {
    /// These appends fail and write nothing.
    pub fail_appends: BTreeSet<u64>,
    /// These appends write, then report a failure (a crash between the write
    /// and its acknowledgement).
    pub crash_after_appends: BTreeSet<u64>,
    /// Every snapshot save fails.
    pub fail_snapshots: bool,
}

#[derive(Debug, Default)]
struct Inner {
    rows: Vec<Row>,
    by_id: BTreeMap<EventId, Seq>,
    snapshot: Option<SnapshotRecord>,
    appends: u64,
    faults: StoreFaults,
}

/// An in-memory event log. Clones share the same log, so a test can "restart"
/// an engine on the same data by opening a new one on a clone.
#[derive(Clone, Debug, Default)]
pub struct MemoryStore {
    inner: Rc<RefCell<Inner>>,
}

impl MemoryStore {
    /// An empty store.
    pub fn new() -> Self {
        Self::default()
    }
    /// Replaces the fault plan (append numbering continues).
    pub fn set_faults(&self, faults: StoreFaults) {
        self.inner.borrow_mut().faults = faults;
    }
    /// Appends attempted so far.
    pub fn append_calls(&self) -> u64 {
        self.inner.borrow().appends
    }
    /// Every stored row, in order.
    pub fn rows(&self) -> Vec<Row> {
        self.inner.borrow().rows.clone()
    }
    /// The stored row at `seq`.
    pub fn row(&self, seq: Seq) -> Option<Row> {
        let inner = self.inner.borrow();
        let i = usize::try_from(seq.0).ok()?.checked_sub(1)?;
        inner.rows.get(i).cloned()
    }
    /// Number of stored rows.
    pub fn len(&self) -> usize {
        self.inner.borrow().rows.len()
    }
    /// True when nothing is stored.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }
    /// The stored snapshot.
    pub fn snapshot(&self) -> Option<SnapshotRecord> {
        self.inner.borrow().snapshot.clone()
    }
    /// Overwrites the stored snapshot (tests of version mismatch and corruption).
    pub fn put_snapshot(&self, snapshot: Option<SnapshotRecord>) {
        self.inner.borrow_mut().snapshot = snapshot;
    }
}

impl Store for MemoryStore {
    fn append(&mut self, rows: &[Row]) -> Result<Appended, StoreError> {
        let mut inner = self.inner.borrow_mut();
        inner.appends += 1;
        let call = inner.appends;
        if inner.faults.fail_appends.contains(&call) {
            return Err(StoreError::Backend(format!("injected failure of append #{call}")));
        }
        let last = Seq(inner.rows.len() as u64);
        if let Some(first) = rows.first() {
            if first.seq != last.next() {
                return Err(StoreError::SeqConflict { expected: first.seq, found: last });
            }
        }
        let mut batch_ids = BTreeSet::new();
        for (index, row) in rows.iter().enumerate() {
            if let Some(&existing) = inner.by_id.get(&row.event_id) {
                return Ok(Appended::Duplicate { index, existing });
            }
            if !batch_ids.insert(row.event_id) {
                return Err(StoreError::Backend(format!("event id {} twice in one batch", row.event_id)));
            }
        }
        for row in rows {
            inner.by_id.insert(row.event_id, row.seq);
            inner.rows.push(row.clone());
        }
        if inner.faults.crash_after_appends.contains(&call) {
            return Err(StoreError::Backend(format!("injected crash after append #{call}")));
        }
        Ok(Appended::Written)
    }

    fn read_after(&self, after: Seq, limit: usize) -> Result<Vec<Row>, StoreError> {
        let inner = self.inner.borrow();
        let start = usize::try_from(after.0).unwrap_or(usize::MAX).min(inner.rows.len());
        Ok(inner.rows[start..].iter().take(limit).cloned().collect())
    }

    fn find_event(&self, event_id: EventId) -> Result<Option<Seq>, StoreError> {
        Ok(self.inner.borrow().by_id.get(&event_id).copied())
    }

    fn last_seq(&self) -> Result<Seq, StoreError> {
        Ok(Seq(self.inner.borrow().rows.len() as u64))
    }

    fn save_snapshot(&mut self, snapshot: &SnapshotRecord) -> Result<(), StoreError> {
        let mut inner = self.inner.borrow_mut();
        if inner.faults.fail_snapshots {
            return Err(StoreError::Backend("injected snapshot failure".into()));
        }
        inner.snapshot = Some(snapshot.clone());
        Ok(())
    }

    fn load_snapshot(&self) -> Result<Option<SnapshotRecord>, StoreError> {
        Ok(self.inner.borrow().snapshot.clone())
    }
}
