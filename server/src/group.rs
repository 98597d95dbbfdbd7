//! Group commit: many users' appends made durable by one flush, and the
//! [`Gate`] that holds every effect until then.
//!
//! Each user has a database of its own, so SQLite's per-commit fsync cannot
//! be shared between users. With group commit, a user's store commits with
//! `synchronous=NORMAL` (the transaction is written to its WAL, not yet
//! flushed) and numbers the commit ([`GroupCommit::written`]). One flusher
//! thread flushes the whole file system (`syncfs`) whenever commits are
//! waiting, again and again: every commit numbered before a flush began is
//! durable when it ends ([`GroupCommit::durable`]).
//!
//! The shard threads ([`crate::actor`]) never wait for the disk themselves.
//! A shard's [`Gate`] holds every effect (answers, pushed frames, model
//! streams to start) until the commits made on the shard before it are
//! durable, while the shard goes on serving its other users; their commits
//! join the next flush. So nothing is acknowledged, pushed or generated
//! before the events it follows are on disk: the same guarantee as an fsync
//! per commit, at one flush per round instead of one per append.
//!
//! The cost: `syncfs` also waits for whatever else is writing to that file
//! system (measured: a browser writing its profile on the same disk held
//! commits up to 60 ms). Keep the data folder on a file system of its own,
//! or set `MICROCOS_GROUP_COMMIT=off` for an fsync per commit. Flushing each
//! waiting WAL with `fdatasync` instead was tried: done one after another by
//! the round's leader it fell to 0.4x of an fsync per commit at 50 users.
//!
//! A failed flush leaves what is on disk unknown: the process stops (as
//! PostgreSQL does) rather than acknowledge what may be lost; a restart
//! recovers from the databases.

use std::cell::{Cell, RefCell};
use std::collections::VecDeque;
use std::fs::File;
use std::path::Path;
use std::rc::Rc;
use std::sync::{Arc, Condvar, Mutex};
use std::time::Instant;

use tokio::sync::{watch, Notify};

use crate::metrics::Metrics;

/// Flushes shared by every store on one file system, by a thread of its own.
pub struct GroupCommit {
    inner: Arc<Inner>,
    durable: watch::Receiver<u64>,
}

struct Inner {
    /// Any file on the file system (the data folder): `syncfs` flushes all of it.
    anchor: File,
    state: Mutex<State>,
    /// Signals the flusher: commits are waiting, or it must stop.
    work: Condvar,
    /// Each flush, its time and the commits it covered, is counted here.
    metrics: Arc<Metrics>,
}

#[derive(Default)]
struct State {
    /// Commits numbered so far.
    written: u64,
    /// Every commit up to this number is durable.
    durable: u64,
    /// Flushes so far (for figures and tests).
    flushes: u64,
    /// The [`GroupCommit`] was dropped.
    stopped: bool,
}

impl Inner {
    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The flusher: while commits wait, flushes once for all of them.
    fn flush_forever(&self, durable: &watch::Sender<u64>) {
        loop {
            let upto = {
                let mut state = self.lock();
                while state.written == state.durable && !state.stopped {
                    state = self.work.wait(state).unwrap_or_else(|p| p.into_inner());
                }
                if state.stopped {
                    return;
                }
                state.written
            };
            // Every commit numbered up to `upto` was written before this call.
            let started = Instant::now();
            if let Err(e) = rustix::fs::syncfs(&self.anchor) {
                tracing::error!(error = %e, "flushing the data folder failed: stopping, since what is on disk is unknown; restart to recover from the databases");
                std::process::abort();
            }
            {
                let mut state = self.lock();
                self.metrics.flushed(started.elapsed(), upto - state.durable);
                state.durable = upto;
                state.flushes += 1;
            }
            durable.send_replace(upto);
        }
    }
}

impl GroupCommit {
    /// Group commit for the stores under `dir`; starts the flusher thread,
    /// which stops when this is dropped. Its flushes are counted in `metrics`.
    pub fn new(dir: &Path, metrics: Arc<Metrics>) -> std::io::Result<GroupCommit> {
        let inner =
            Arc::new(Inner { anchor: File::open(dir)?, state: Mutex::default(), work: Condvar::new(), metrics });
        let (tx, durable) = watch::channel(0);
        let flusher = inner.clone();
        std::thread::Builder::new().name("flusher".into()).spawn(move || flusher.flush_forever(&tx))?;
        Ok(GroupCommit { inner, durable })
    }

    /// Numbers a commit just written (not yet flushed) and has it flushed:
    /// it is durable once [`GroupCommit::durable`] reaches the number.
    pub fn written(&self) -> u64 {
        let mut state = self.inner.lock();
        state.written += 1;
        self.inner.work.notify_one();
        state.written
    }

    /// Follows the number of the last durable commit.
    pub fn durable(&self) -> watch::Receiver<u64> {
        self.durable.clone()
    }

    /// Flushes so far.
    pub fn flushes(&self) -> u64 {
        self.inner.lock().flushes
    }
}

impl Drop for GroupCommit {
    fn drop(&mut self) {
        self.inner.lock().stopped = true;
        self.inner.work.notify_one();
    }
}

/// An effect held until the commits before it are durable.
type Effect = Box<dyn FnOnce()>;

/// One shard thread's effects, held until the commits made on the thread
/// before them are durable. Stores on the thread call [`Gate::written`]
/// after each commit; hosts hand every effect to [`Gate::after_durable`];
/// [`Gate::run`] (a task on the thread) releases them as flushes end, in
/// the order they were handed over.
pub struct Gate {
    group: Option<Arc<GroupCommit>>,
    /// The number of the last commit written on this thread.
    last: Cell<u64>,
    /// Every commit up to this number is durable (as last seen).
    durable: Cell<u64>,
    /// Effects, each with the number of the last commit before it.
    held: RefCell<VecDeque<(u64, Effect)>>,
    wake: Notify,
}

impl Gate {
    /// A gate waiting for `group`'s flushes; with `None` nothing is held
    /// (SQLite makes each commit durable itself, or durability is `normal`).
    pub fn new(group: Option<Arc<GroupCommit>>) -> Rc<Gate> {
        Rc::new(Gate {
            group,
            last: Cell::new(0),
            durable: Cell::new(0),
            held: RefCell::default(),
            wake: Notify::new(),
        })
    }

    /// Whether commits on this thread wait for the shared flush.
    pub fn defers(&self) -> bool {
        self.group.is_some()
    }

    /// A commit was written, not yet flushed: effects wait from now on.
    pub fn written(&self) {
        if let Some(group) = &self.group {
            self.last.set(group.written());
        }
    }

    /// Runs `effect` now if every commit written on this thread is durable
    /// and nothing is held before it; otherwise once they are, in order.
    pub fn after_durable(&self, effect: impl FnOnce() + 'static) {
        let last = self.last.get();
        if last <= self.durable.get() && self.held.borrow().is_empty() {
            return effect();
        }
        self.held.borrow_mut().push_back((last, Box::new(effect)));
        self.wake.notify_one();
    }

    /// Effects held now (for tests).
    pub fn held(&self) -> usize {
        self.held.borrow().len()
    }

    /// The gate's task: waits for the flushes the held effects need and
    /// releases each effect once its commits are durable.
    pub async fn run(self: Rc<Self>) {
        let Some(group) = &self.group else { return };
        let mut durable = group.durable();
        loop {
            let Some(need) = self.held.borrow().front().map(|(last, _)| *last) else {
                self.wake.notified().await;
                continue;
            };
            let Ok(now) = durable.wait_for(|d| *d >= need).await.map(|d| *d) else {
                return; // the flusher stopped: so does the service
            };
            self.durable.set(now);
            self.release();
        }
    }

    /// Runs the held effects whose commits are durable.
    fn release(&self) {
        let durable = self.durable.get();
        loop {
            let next = {
                let mut held = self.held.borrow_mut();
                match held.front() {
                    Some((last, _)) if *last <= durable => held.pop_front(),
                    _ => None,
                }
            };
            match next {
                Some((_, effect)) => effect(),
                None => return,
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::time::Duration;

    #[test]
    fn commits_from_many_threads_share_flushes_and_each_becomes_durable() {
        let metrics = Arc::new(Metrics::new());
        let group = Arc::new(GroupCommit::new(&std::env::temp_dir(), metrics.clone()).unwrap());
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let group = group.clone();
                std::thread::spawn(move || {
                    let rt = tokio::runtime::Builder::new_current_thread().build().unwrap();
                    for _ in 0..10 {
                        let n = group.written();
                        let mut durable = group.durable();
                        rt.block_on(durable.wait_for(|d| *d >= n)).unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let state = group.inner.lock();
        assert_eq!(state.written, 160);
        assert_eq!(state.durable, 160, "every commit was made durable");
        assert!((1..=160).contains(&state.flushes), "{} flushes", state.flushes);
        assert_eq!(metrics.sample("microcos_group_commit_commits_total"), Some(160.0), "each commit counted once");
        let flushes = metrics.sample("microcos_group_commit_flush_duration_seconds_count");
        assert_eq!(flushes, Some(state.flushes as f64), "each flush counted");
    }

    #[test]
    fn a_gate_holds_effects_until_a_flush_covers_the_commits_before_them() {
        let rt = tokio::runtime::Builder::new_current_thread().enable_all().build().unwrap();
        let local = tokio::task::LocalSet::new();
        local.block_on(&rt, async {
            let group = Arc::new(GroupCommit::new(&std::env::temp_dir(), Arc::default()).unwrap());
            let gate = Gate::new(Some(group.clone()));
            let log = Rc::new(RefCell::new(Vec::new()));
            let effect = |n: u32| {
                let log = log.clone();
                move || log.borrow_mut().push(n)
            };
            gate.after_durable(effect(1));
            assert_eq!(*log.borrow(), [1], "nothing written: at once");
            gate.written();
            gate.after_durable(effect(2));
            gate.written();
            gate.after_durable(effect(3));
            assert_eq!(*log.borrow(), [1], "held: the gate's task has not run, so no flush was seen");
            assert_eq!(gate.held(), 2);
            tokio::task::spawn_local(gate.clone().run());
            for _ in 0..200 {
                if gate.held() == 0 {
                    break;
                }
                tokio::time::sleep(Duration::from_millis(5)).await;
            }
            assert_eq!(*log.borrow(), [1, 2, 3], "released in order");
            assert!(group.flushes() >= 1);
            gate.after_durable(effect(4));
            assert_eq!(*log.borrow(), [1, 2, 3, 4], "flushed and nothing held: at once");
        });
    }

    #[test]
    fn without_group_commit_a_gate_holds_nothing() {
        let gate = Gate::new(None);
        gate.written();
        let ran = Rc::new(Cell::new(false));
        let r = ran.clone();
        gate.after_durable(move || r.set(true));
        assert!(ran.get());
        assert!(!gate.defers());
    }
}
