//! [`LocalPush`]: fans frames out to a user's WebSocket connections.
//!
//! Each subscriber has one bound, in bytes, on the frames waiting for its
//! socket: its backlog and its live frames together
//! ([`microcos_core::Config::subscriber_bytes`]). One that falls that far
//! behind is dropped: its socket gets what was queued, then closes with
//! `close::RESUME`, and the client resumes from its cursor. So a slow client
//! never slows the user's actor or grows memory without bound.
//!
//! Frames go out through the shard's [`Gate`]: none reaches a socket before
//! the events it follows are durable. A held frame counts against its
//! subscriber's bound already.

use std::collections::BTreeMap;
use std::rc::Rc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use microcos_core::{Catalogue, Frame, Push};
use tokio::sync::mpsc;

use crate::group::Gate;

/// The receiving end of a subscription, held by the WebSocket task.
pub struct Subscription {
    rx: mpsc::UnboundedReceiver<String>,
    queued: Arc<AtomicUsize>,
}

impl Subscription {
    /// The next frame, `None` once the subscriber was dropped.
    pub async fn recv(&mut self) -> Option<String> {
        let frame = self.rx.recv().await?;
        self.queued.fetch_sub(frame.len(), Ordering::Relaxed);
        Some(frame)
    }

    /// The next frame if one is queued now.
    pub fn try_recv(&mut self) -> Option<String> {
        let frame = self.rx.try_recv().ok()?;
        self.queued.fetch_sub(frame.len(), Ordering::Relaxed);
        Some(frame)
    }
}

/// The sending end, registered with the user's [`LocalPush`].
pub struct Subscriber {
    tx: mpsc::UnboundedSender<String>,
    queued: Arc<AtomicUsize>,
}

/// A connected pair.
pub fn subscription() -> (Subscriber, Subscription) {
    let (tx, rx) = mpsc::unbounded_channel();
    let queued = Arc::new(AtomicUsize::new(0));
    (Subscriber { tx, queued: queued.clone() }, Subscription { rx, queued })
}

impl Subscriber {
    /// Queues a frame once `gate` lets it go, unless that would take the
    /// subscriber past `bound` bytes waiting or it left.
    fn send(&self, frame: String, bound: usize, gate: &Gate) -> bool {
        if self.tx.is_closed() || self.queued.load(Ordering::Relaxed) + frame.len() > bound {
            return false;
        }
        self.queued.fetch_add(frame.len(), Ordering::Relaxed);
        let tx = self.tx.clone();
        gate.after_durable(move || {
            let _ = tx.send(frame);
        });
        true
    }
}

/// The live subscribers of one user.
pub struct LocalPush {
    subscribers: BTreeMap<u64, Subscriber>,
    next_id: u64,
    /// Bytes of frames one subscriber may have waiting.
    bound: usize,
    gate: Rc<Gate>,
}

impl LocalPush {
    /// No subscribers yet; each may have `bound` bytes of frames waiting;
    /// frames leave through `gate`.
    pub fn new(bound: usize, gate: Rc<Gate>) -> Self {
        LocalPush { subscribers: BTreeMap::new(), next_id: 0, bound, gate }
    }

    /// Queues `backlog` (at most one bound: see `Host::subscribe`), then
    /// registers the subscriber for live frames. Returns its id, or `None`
    /// if it already left.
    pub fn subscribe(&mut self, subscriber: Subscriber, backlog: Vec<String>) -> Option<u64> {
        for frame in backlog {
            // The host cut the backlog to the bound: never refused for size.
            if !subscriber.send(frame, usize::MAX, &self.gate) {
                return None;
            }
        }
        self.next_id += 1;
        self.subscribers.insert(self.next_id, subscriber);
        Some(self.next_id)
    }

    /// Removes a subscriber.
    pub fn unsubscribe(&mut self, id: u64) {
        self.subscribers.remove(&id);
    }

    /// Number of live subscribers.
    pub fn len(&self) -> usize {
        self.subscribers.len()
    }

    /// True when nobody listens.
    pub fn is_empty(&self) -> bool {
        self.subscribers.is_empty()
    }
}

impl<E: Catalogue> Push<E> for LocalPush {
    fn push(&mut self, frame: &Frame<E>) {
        match frame {
            Frame::Event { seq, event } => tracing::debug!(
                event_id = %event.event_id,
                request_id = %event.request_id,
                operation_id = event.operation_id.map(|o| o.to_string()),
                seq = seq.0,
                subscribers = self.subscribers.len(),
                "pushed"
            ),
            Frame::Progress { seq, event_id, operation_id, .. } => {
                tracing::debug!(%event_id, %operation_id, seq = seq.0, "pushed progress")
            }
            Frame::Token { .. } => {}
        }
        if self.subscribers.is_empty() {
            return;
        }
        let json = frame.to_json();
        let (bound, gate) = (self.bound, &self.gate);
        self.subscribers.retain(|id, s| {
            let keep = s.send(json.clone(), bound, gate);
            if !keep {
                tracing::info!(
                    subscriber = id,
                    "dropped a subscriber that fell behind or left; it resumes from its cursor"
                );
            }
            keep
        });
    }

    fn subscribers(&self) -> usize {
        self.subscribers.len()
    }
}
