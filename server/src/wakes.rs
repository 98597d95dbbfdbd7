//! [`Wakes`]: the index of when each user's actor must next be awake, so
//! that stopped actors wake for their jobs and retries, and boot starts only
//! the users with work due, without opening every user's database.
//!
//! One SQLite table, `wakes(user, at)`, in `<data>/wakes.sqlite`: an actor
//! writes its alarm whenever it changes (the host asks only on a change: once
//! or twice per operation, never per token) and removes it when it has none.
//! Written with `synchronous=NORMAL`: a process crash loses nothing; a power
//! loss may lose the latest changes, and such a user's work then waits for
//! their next request.

use std::path::Path;
use std::sync::Mutex;

use microcos_core::{Timestamp, UserId};
use rusqlite::{params, Connection, OptionalExtension};

/// The wake-up index.
pub struct Wakes {
    conn: Mutex<Connection>,
}

fn io(e: rusqlite::Error) -> std::io::Error {
    std::io::Error::other(e.to_string())
}

impl Wakes {
    /// Opens (or creates, with mode 0600) the index at `path`.
    pub fn open(path: &Path) -> std::io::Result<Wakes> {
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(path)?;
        let conn = Connection::open(path).map_err(io)?;
        conn.execute_batch(
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;
             CREATE TABLE IF NOT EXISTS wakes (user TEXT PRIMARY KEY, at INTEGER NOT NULL) WITHOUT ROWID;
             CREATE INDEX IF NOT EXISTS wakes_at ON wakes (at);",
        )
        .map_err(io)?;
        Ok(Wakes { conn: Mutex::new(conn) })
    }

    fn conn(&self) -> std::sync::MutexGuard<'_, Connection> {
        self.conn.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Records `user`'s next alarm (`None`: nothing scheduled).
    pub fn set(&self, user: &UserId, at: Option<Timestamp>) -> std::io::Result<()> {
        let conn = self.conn();
        match at {
            Some(at) => conn
                .prepare_cached("INSERT INTO wakes (user, at) VALUES (?1, ?2) ON CONFLICT (user) DO UPDATE SET at = ?2")
                .and_then(|mut s| s.execute(params![user.as_str(), at.0 as i64])),
            None => {
                conn.prepare_cached("DELETE FROM wakes WHERE user = ?1").and_then(|mut s| s.execute([user.as_str()]))
            }
        }
        .map(|_| ())
        .map_err(io)
    }

    /// The users whose alarm is at or before `by`, earliest first.
    pub fn due(&self, by: Timestamp) -> std::io::Result<Vec<UserId>> {
        let conn = self.conn();
        let mut stmt = conn.prepare_cached("SELECT user FROM wakes WHERE at <= ?1 ORDER BY at").map_err(io)?;
        let users = stmt.query_map([by.0 as i64], |r| r.get::<_, String>(0)).map_err(io)?;
        Ok(users.filter_map(Result::ok).filter_map(|u| UserId::parse(&u)).collect())
    }

    /// The earliest alarm after `now`, if any.
    pub fn next_after(&self, now: Timestamp) -> std::io::Result<Option<Timestamp>> {
        let conn = self.conn();
        let at: Option<Option<i64>> = conn
            .query_row("SELECT MIN(at) FROM wakes WHERE at > ?1", [now.0 as i64], |r| r.get(0))
            .optional()
            .map_err(io)?;
        Ok(at.flatten().map(|at| Timestamp(at as u64)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_index_keeps_one_alarm_per_user_and_answers_what_is_due() {
        let dir = std::env::temp_dir().join(format!("microcos-wakes-{}", uuid::Uuid::new_v4().simple()));
        std::fs::create_dir_all(&dir).unwrap();
        let wakes = Wakes::open(&dir.join("wakes.sqlite")).unwrap();
        let (a, b, c) = (UserId::parse("a").unwrap(), UserId::parse("b").unwrap(), UserId::parse("c").unwrap());
        wakes.set(&a, Some(Timestamp(30))).unwrap();
        wakes.set(&b, Some(Timestamp(10))).unwrap();
        wakes.set(&c, Some(Timestamp(50))).unwrap();
        wakes.set(&a, Some(Timestamp(20))).unwrap(); // moved
        wakes.set(&c, None).unwrap(); // nothing scheduled any more
        assert_eq!(wakes.due(Timestamp(25)).unwrap(), [b.clone(), a.clone()]);
        assert_eq!(wakes.due(Timestamp(5)).unwrap(), Vec::<UserId>::new());
        assert_eq!(wakes.next_after(Timestamp(10)).unwrap(), Some(Timestamp(20)));
        assert_eq!(wakes.next_after(Timestamp(20)).unwrap(), None);
        drop(wakes);
        // Durable across a reopen.
        let wakes = Wakes::open(&dir.join("wakes.sqlite")).unwrap();
        assert_eq!(wakes.due(Timestamp(100)).unwrap(), [b, a]);
        let _ = std::fs::remove_dir_all(dir);
    }
}
