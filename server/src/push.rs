//! [`LocalPush`]: fans frames out to a user's WebSocket connections.
//!
//! Each subscriber has a queue bounded in live frames: one that falls more
//! than [`QUEUE`] frames behind is dropped (its socket closes) and resumes
//! from its cursor on reconnect, so a slow client never slows the user's
//! actor or grows memory without bound. The backlog sent on subscribe does
//! not count against the bound.

use std::collections::BTreeMap;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::Arc;

use microcos_core::{Catalogue, Frame, Push};
use tokio::sync::mpsc;

/// Live frames a subscriber may have queued before it is dropped.
pub const QUEUE: usize = 4096;

/// The receiving end of a subscription, held by the WebSocket task.
pub struct Subscription {
    rx: mpsc::UnboundedReceiver<String>,
    queued: Arc<AtomicUsize>,
}

impl Subscription {
    /// The next frame, `None` once the subscriber was dropped.
    pub async fn recv(&mut self) -> Option<String> {
        let frame = self.rx.recv().await?;
        self.queued.fetch_sub(1, Ordering::Relaxed);
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
    fn send(&self, frame: String) -> bool {
        self.queued.fetch_add(1, Ordering::Relaxed);
        self.tx.send(frame).is_ok()
    }
}

/// The live subscribers of one user.
#[derive(Default)]
pub struct LocalPush {
    subscribers: BTreeMap<u64, Subscriber>,
    next_id: u64,
}

impl LocalPush {
    /// Sends `backlog`, then registers the subscriber for live frames.
    /// Returns its id, or `None` if it already left.
    pub fn subscribe<E: Catalogue>(&mut self, subscriber: Subscriber, backlog: &[Frame<E>]) -> Option<u64> {
        for frame in backlog {
            if !subscriber.send(frame.to_json()) {
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
        self.subscribers.retain(|id, s| {
            let keep = s.queued.load(Ordering::Relaxed) < QUEUE && s.send(json.clone());
            if !keep {
                tracing::info!(subscriber = id, "dropped a subscriber that fell behind or left");
            }
            keep
        });
    }
}
