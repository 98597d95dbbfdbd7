//! [`MemoryPush`]: subscribers in memory, resume after a cursor, dropped
//! frames on demand, and an audit that every stored-event frame was pushed
//! only after the store had it.

use std::cell::RefCell;
use std::collections::{BTreeMap, BTreeSet};
use std::rc::Rc;

use microcos_core::{Catalogue, Frame, Push};

use crate::store::MemoryStore;

#[derive(Debug)]
struct Inner<E> {
    subscribers: BTreeMap<u64, Vec<Frame<E>>>,
    next_id: u64,
    pushed: Vec<Frame<E>>,
    calls: u64,
    drop_calls: BTreeSet<u64>,
    audit: Option<MemoryStore>,
    violations: Vec<String>,
}

/// Live subscribers of one user, in memory. Clones share the same subscribers.
#[derive(Debug)]
pub struct MemoryPush<E> {
    inner: Rc<RefCell<Inner<E>>>,
}

impl<E> Clone for MemoryPush<E> {
    fn clone(&self) -> Self {
        MemoryPush { inner: self.inner.clone() }
    }
}

impl<E: Catalogue> Default for MemoryPush<E> {
    fn default() -> Self {
        Self::new()
    }
}

impl<E: Catalogue> MemoryPush<E> {
    /// No subscribers.
    pub fn new() -> Self {
        let inner = Inner {
            subscribers: BTreeMap::new(),
            next_id: 0,
            pushed: Vec::new(),
            calls: 0,
            drop_calls: BTreeSet::new(),
            audit: None,
            violations: Vec::new(),
        };
        MemoryPush { inner: Rc::new(RefCell::new(inner)) }
    }
    /// Checks every pushed `event`/`progress` frame against `store`: the row
    /// must already be stored with that seq and event id ([`MemoryPush::violations`]).
    pub fn audit_against(&self, store: MemoryStore) {
        self.inner.borrow_mut().audit = Some(store);
    }
    /// Drops these pushes (1-based call numbers) for every subscriber.
    pub fn drop_pushes(&self, calls: BTreeSet<u64>) {
        self.inner.borrow_mut().drop_calls = calls;
    }
    /// Adds a subscriber that first receives `backlog` (from `Engine::subscribe`).
    pub fn subscribe(&self, backlog: Vec<Frame<E>>) -> u64 {
        let mut inner = self.inner.borrow_mut();
        inner.next_id += 1;
        let id = inner.next_id;
        inner.subscribers.insert(id, backlog);
        id
    }
    /// Removes a subscriber, returning what it received.
    pub fn unsubscribe(&self, id: u64) -> Vec<Frame<E>> {
        self.inner.borrow_mut().subscribers.remove(&id).unwrap_or_default()
    }
    /// What a subscriber received so far.
    pub fn received(&self, id: u64) -> Vec<Frame<E>> {
        self.inner.borrow().subscribers.get(&id).cloned().unwrap_or_default()
    }
    /// Every frame pushed (delivered or dropped), in order.
    pub fn pushed(&self) -> Vec<Frame<E>> {
        self.inner.borrow().pushed.clone()
    }
    /// Frames pushed for events the store did not hold at that moment.
    pub fn violations(&self) -> Vec<String> {
        self.inner.borrow().violations.clone()
    }
}

impl<E: Catalogue> Push<E> for MemoryPush<E> {
    fn push(&mut self, frame: &Frame<E>) {
        let mut inner = self.inner.borrow_mut();
        inner.calls += 1;
        let call = inner.calls;
        if let (Some(store), Some(seq)) = (&inner.audit, frame.seq()) {
            let event_id = match frame {
                Frame::Event { event, .. } => Some(event.event_id),
                Frame::Progress { event_id, .. } => Some(*event_id),
                Frame::Token { .. } => None,
            };
            let stored = store.row(seq).map(|r| r.event_id);
            if stored.is_none() || stored != event_id {
                let v = format!("frame for seq {seq} pushed before the store acknowledged it");
                inner.violations.push(v);
            }
        }
        inner.pushed.push(frame.clone());
        if inner.drop_calls.contains(&call) {
            return;
        }
        for frames in inner.subscribers.values_mut() {
            frames.push(frame.clone());
        }
    }

    fn subscribers(&self) -> usize {
        self.inner.borrow().subscribers.len()
    }
}
