//! [`GroupCommit`]: many users' appends made durable by one flush.
//!
//! Each user has a database of its own, so SQLite's per-commit fsync cannot
//! be shared between users. With group commit, a user's store commits with
//! `synchronous=NORMAL` (the transaction is written to its WAL, not yet
//! flushed), then waits in [`GroupCommit::wait`]: the first waiter to find no
//! flush running flushes the whole file system once (`syncfs`), and every
//! commit written before that flush began is durable when it returns. A
//! commit that arrives during a flush waits for the next one. The store
//! returns only then, so nothing is acknowledged, pushed or generated before
//! its event is on disk: the same guarantee as an fsync per commit, at one
//! flush per group instead of one per append.
//!
//! The cost: `syncfs` also waits for whatever else is writing to that file
//! system (measured: a browser writing its profile on the same disk held
//! commits up to 60 ms). Keep the data folder on a file system of its own,
//! or set `MICROCOS_GROUP_COMMIT=off` for an fsync per commit. Flushing each
//! waiting WAL with `fdatasync` instead was tried: done one after another by
//! the round's leader it fell to 0.4x of an fsync per commit at 50 users.

use std::fs::File;
use std::path::Path;
use std::sync::{Condvar, Mutex};

/// Flushes shared by every store on one file system.
pub struct GroupCommit {
    /// Any file on the file system (the data folder): `syncfs` flushes all of it.
    anchor: File,
    state: Mutex<State>,
    done: Condvar,
}

#[derive(Default)]
struct State {
    /// Tickets handed out: one per commit waiting to be durable.
    issued: u64,
    /// Every ticket up to this one is durable.
    durable: u64,
    /// A flush is running.
    flushing: bool,
    /// Flushes so far (for figures and tests).
    flushes: u64,
}

impl GroupCommit {
    /// Group commit for the stores under `dir`.
    pub fn new(dir: &Path) -> std::io::Result<GroupCommit> {
        Ok(GroupCommit { anchor: File::open(dir)?, state: Mutex::default(), done: Condvar::new() })
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Returns once everything this thread wrote before the call is on disk.
    pub fn wait(&self) -> std::io::Result<()> {
        let mut state = self.lock();
        state.issued += 1;
        let ticket = state.issued;
        loop {
            if state.durable >= ticket {
                return Ok(());
            }
            if state.flushing {
                state = self.done.wait(state).unwrap_or_else(|p| p.into_inner());
                continue;
            }
            // Lead a flush for every ticket issued so far: their writes were
            // all made before they took their ticket, so before this flush.
            state.flushing = true;
            let upto = state.issued;
            drop(state);
            let flushed = rustix::fs::syncfs(&self.anchor).map_err(std::io::Error::from);
            state = self.lock();
            state.flushing = false;
            if flushed.is_ok() {
                state.durable = state.durable.max(upto);
                state.flushes += 1;
            }
            self.done.notify_all();
            flushed?;
        }
    }

    /// Flushes so far.
    pub fn flushes(&self) -> u64 {
        self.lock().flushes
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn concurrent_waiters_share_flushes_and_each_returns_after_one() {
        let dir = std::env::temp_dir();
        let group = Arc::new(GroupCommit::new(&dir).unwrap());
        group.wait().unwrap();
        assert_eq!(group.flushes(), 1, "alone, a waiter flushes for itself");
        let threads: Vec<_> = (0..16)
            .map(|_| {
                let group = group.clone();
                std::thread::spawn(move || {
                    for _ in 0..10 {
                        group.wait().unwrap();
                    }
                })
            })
            .collect();
        for t in threads {
            t.join().unwrap();
        }
        let state = group.lock();
        assert_eq!(state.issued, 161);
        assert_eq!(state.durable, 161, "every ticket was made durable");
        assert!(state.flushes >= 2, "{} flushes", state.flushes);
    }
}
