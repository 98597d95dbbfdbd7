//! [`ManualClock`] (virtual time) and a minimal [`block_on`] executor.

use std::cell::Cell;
use std::future::Future;
use std::pin::pin;
use std::rc::Rc;
use std::sync::Arc;
use std::task::{Context, Poll, Wake, Waker};
use std::thread::{self, Thread};

use microcos_core::{Clock, Timestamp};

/// Virtual time: moves only when told. Clones share the same time.
#[derive(Clone, Debug, Default)]
pub struct ManualClock {
    now: Rc<Cell<u64>>,
}

impl ManualClock {
    /// A clock at `ms` since the epoch.
    pub fn at(ms: u64) -> Self {
        ManualClock { now: Rc::new(Cell::new(ms)) }
    }
    /// Moves time forward.
    pub fn advance(&self, ms: u64) {
        self.now.set(self.now.get().saturating_add(ms));
    }
    /// Moves time to `t` (never backwards).
    pub fn set(&self, t: Timestamp) {
        self.now.set(self.now.get().max(t.0));
    }
}

impl Clock for ManualClock {
    fn now(&self) -> Timestamp {
        Timestamp(self.now.get())
    }
}

struct ThreadWaker(Thread);
impl Wake for ThreadWaker {
    fn wake(self: Arc<Self>) {
        self.0.unpark();
    }
}

/// Runs a future to completion on the current thread (enough for the memory
/// ports, whose futures are always ready; a real host brings its own executor).
pub fn block_on<F: Future>(future: F) -> F::Output {
    let waker = Waker::from(Arc::new(ThreadWaker(thread::current())));
    let mut cx = Context::from_waker(&waker);
    let mut future = pin!(future);
    loop {
        match future.as_mut().poll(&mut cx) {
            Poll::Ready(v) => return v,
            Poll::Pending => thread::park(),
        }
    }
}
