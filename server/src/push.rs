//! [`LocalPush`]: fans frames out to a user's WebSocket connections.
//!
//! Each subscriber has one bound, in bytes, on the frames waiting for its
//! socket: its backlog and its live frames together
//! ([`microcos_host::HostConfig::subscriber_bytes`]). One that falls that far
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
use crate::metrics::Metrics;

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

/// Why a frame was not queued.
#[derive(Debug, PartialEq, Eq)]
enum Refused {
    /// The subscriber's socket is gone.
    Left,
    /// It would take the subscriber past its bound.
    Behind,
}

impl Subscriber {
    /// Queues a frame once `gate` lets it go, unless that would take the
    /// subscriber past `bound` bytes waiting or it left.
    fn send(&self, frame: String, bound: usize, gate: &Gate) -> Result<(), Refused> {
        if self.tx.is_closed() {
            return Err(Refused::Left);
        }
        if self.queued.load(Ordering::Relaxed) + frame.len() > bound {
            return Err(Refused::Behind);
        }
        self.queued.fetch_add(frame.len(), Ordering::Relaxed);
        let tx = self.tx.clone();
        gate.after_durable(move || {
            let _ = tx.send(frame);
        });
        Ok(())
    }
}

/// The live subscribers of one user.
pub struct LocalPush {
    subscribers: BTreeMap<u64, Subscriber>,
    next_id: u64,
    /// Bytes of frames one subscriber may have waiting.
    bound: usize,
    gate: Rc<Gate>,
    /// Counts the subscribers and those dropped.
    metrics: Arc<Metrics>,
}

impl LocalPush {
    /// No subscribers yet; each may have `bound` bytes of frames waiting;
    /// frames leave through `gate`; they are counted in `metrics`.
    pub fn new(bound: usize, gate: Rc<Gate>, metrics: Arc<Metrics>) -> Self {
        LocalPush { subscribers: BTreeMap::new(), next_id: 0, bound, gate, metrics }
    }

    /// Queues `backlog` (at most one bound: see `Host::subscribe`), then
    /// registers the subscriber for live frames. Returns its id, or `None`
    /// if it already left.
    pub fn subscribe(&mut self, subscriber: Subscriber, backlog: Vec<String>) -> Option<u64> {
        for frame in backlog {
            // The host cut the backlog to the bound: never refused for size.
            if subscriber.send(frame, usize::MAX, &self.gate).is_err() {
                return None;
            }
        }
        self.next_id += 1;
        self.subscribers.insert(self.next_id, subscriber);
        self.metrics.subscribers(1);
        Some(self.next_id)
    }

    /// Removes a subscriber.
    pub fn unsubscribe(&mut self, id: u64) {
        if self.subscribers.remove(&id).is_some() {
            self.metrics.subscribers(-1);
        }
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

impl Drop for LocalPush {
    fn drop(&mut self) {
        // Its subscribers' sockets close with it.
        self.metrics.subscribers(-(self.subscribers.len() as i64));
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
        let (bound, gate, metrics) = (self.bound, &self.gate, &self.metrics);
        self.subscribers.retain(|id, s| {
            let sent = s.send(json.clone(), bound, gate);
            if let Err(why) = &sent {
                metrics.subscribers(-1);
                if *why == Refused::Behind {
                    metrics.subscriber_dropped();
                }
                tracing::info!(
                    subscriber = id,
                    "dropped a subscriber that fell behind or left; it resumes from its cursor"
                );
            }
            sent.is_ok()
        });
    }

    fn subscribers(&self) -> usize {
        self.subscribers.len()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use microcos_assistant::AssistantEvent;
    use microcos_core::{OperationId, Seq};

    fn token() -> Frame<AssistantEvent> {
        let operation_id = OperationId(microcos_core::uuid::Uuid::nil());
        Frame::Token { after: Seq(0), operation_id, attempt: 1, index: 0, text: "x".repeat(40) }
    }

    #[test]
    fn subscribers_are_counted_and_one_that_falls_behind_is_counted_as_dropped() {
        let metrics = Arc::new(Metrics::new());
        let value = |series: &str| metrics.sample(series).unwrap_or(0.0);
        let len = token().to_json().len();
        // Room for two frames and a half.
        let mut push = LocalPush::new(2 * len + len / 2, Gate::new(None), metrics.clone());
        let (reader, mut reads) = subscription();
        let (stuck, _never_read) = subscription();
        let (gone, closed) = subscription();
        for s in [reader, stuck, gone] {
            push.subscribe(s, Vec::new()).unwrap();
        }
        assert_eq!(value("microcos_subscribers"), 3.0);
        drop(closed);
        Push::push(&mut push, &token());
        assert!(reads.try_recv().is_some());
        Push::push(&mut push, &token());
        Push::push(&mut push, &token()); // the third frame waiting: past the bound of the one that never reads
        assert_eq!(<LocalPush as Push<AssistantEvent>>::subscribers(&push), 1, "the reader stays");
        assert_eq!(value("microcos_subscribers"), 1.0);
        assert_eq!(value("microcos_subscribers_dropped_total"), 1.0, "the one that left is not counted as dropped");
        drop(push);
        assert_eq!(value("microcos_subscribers"), 0.0, "its subscribers close with it");
    }
}
