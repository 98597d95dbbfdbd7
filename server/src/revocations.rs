//! Token revocations: per user, a time before which that user's tokens are
//! refused (401 `unauthorized`, "token revoked"), kept in
//! `<data>/revocations.sqlite` (mode 0600, WAL) beside the users' databases.
//!
//! `microcos token --revoke USER` writes it ([`revoke`]); it takes effect on
//! a running service at its next request, without a restart: the service
//! keeps the table in memory and, on each authentication, asks SQLite
//! whether another connection changed the file since (`PRAGMA
//! data_version`, a read of a counter, no table read), and reads it again
//! only then. An open stream rechecks its token every
//! [`STREAM_RECHECK`] and closes with code 4001 once it is revoked.
//!
//! A revocation takes effect at the next whole second
//! ([`microcos_host::auth::revocation_time`]): tokens issued before it are
//! refused, tokens issued from then on are accepted. Revoking again moves
//! the time forward, never back.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::Mutex;
use std::time::Duration;

use microcos_core::{Rejection, Timestamp, UserId};
use microcos_host::auth::{check_revocation, revocation_time, Authenticated};
use rusqlite::{params, Connection};

/// How often an open stream rechecks whether its token was revoked.
pub const STREAM_RECHECK: Duration = Duration::from_secs(5);

const SCHEMA: &str = "CREATE TABLE IF NOT EXISTS revoked (user TEXT PRIMARY KEY, before_ms INTEGER NOT NULL)";

/// The file, in the data folder.
pub fn path(data_dir: &Path) -> PathBuf {
    data_dir.join("revocations.sqlite")
}

fn io(e: rusqlite::Error) -> std::io::Error {
    std::io::Error::other(e)
}

fn open_connection(data_dir: &Path) -> std::io::Result<Connection> {
    crate::secret::create_private_dir(data_dir)?;
    let path = path(data_dir);
    // Private from the start, as the users' databases.
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(false);
    #[cfg(unix)]
    std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
    options.open(&path)?;
    let conn = Connection::open(&path).map_err(io)?;
    conn.execute_batch(&format!("PRAGMA busy_timeout=5000; PRAGMA journal_mode=WAL; {SCHEMA};")).map_err(io)?;
    Ok(conn)
}

/// Revokes `user`'s tokens issued before the next whole second after `now`
/// (or keeps a later revocation). Returns the time in effect.
pub fn revoke(data_dir: &Path, user: &UserId, now: Timestamp) -> std::io::Result<Timestamp> {
    let conn = open_connection(data_dir)?;
    let before = revocation_time(now);
    conn.execute(
        "INSERT INTO revoked (user, before_ms) VALUES (?1, ?2) \
         ON CONFLICT (user) DO UPDATE SET before_ms = MAX(before_ms, excluded.before_ms)",
        params![user.as_str(), before.0 as i64],
    )
    .map_err(io)?;
    let at: i64 =
        conn.query_row("SELECT before_ms FROM revoked WHERE user = ?1", [user.as_str()], |r| r.get(0)).map_err(io)?;
    Ok(Timestamp(at as u64))
}

struct Cache {
    conn: Connection,
    /// `PRAGMA data_version` when `revoked` was read.
    version: i64,
    revoked: BTreeMap<UserId, Timestamp>,
}

impl Cache {
    fn refresh(&mut self) -> rusqlite::Result<()> {
        let version: i64 = self.conn.prepare_cached("PRAGMA data_version")?.query_row([], |r| r.get(0))?;
        if version == self.version {
            return Ok(());
        }
        let mut stmt = self.conn.prepare_cached("SELECT user, before_ms FROM revoked")?;
        let rows = stmt.query_map([], |r| Ok((r.get::<_, String>(0)?, r.get::<_, i64>(1)?)))?;
        let mut revoked = BTreeMap::new();
        for row in rows {
            let (user, before) = row?;
            if let Some(user) = UserId::parse(&user) {
                revoked.insert(user, Timestamp(before.max(0) as u64));
            }
        }
        self.revoked = revoked;
        self.version = version;
        Ok(())
    }
}

/// The service's view of the revocations, current at each check.
pub struct Revocations {
    cache: Mutex<Cache>,
}

impl Revocations {
    /// Opens (creating if needed) `<data>/revocations.sqlite`.
    pub fn open(data_dir: &Path) -> std::io::Result<Revocations> {
        let mut cache = Cache { conn: open_connection(data_dir)?, version: -1, revoked: BTreeMap::new() };
        cache.refresh().map_err(io)?;
        Ok(Revocations { cache: Mutex::new(cache) })
    }

    /// Since when `user`'s tokens are accepted again, if they were revoked.
    pub fn revoked_before(&self, user: &UserId) -> Option<Timestamp> {
        let mut cache = self.cache.lock().unwrap_or_else(|p| p.into_inner());
        if let Err(e) = cache.refresh() {
            // Keep what was read last (revocations only grow).
            tracing::warn!(error = %e, "cannot read the revocations; using the last ones read");
        }
        cache.revoked.get(user).copied()
    }

    /// Refuses a token revoked since it was issued.
    pub fn check(&self, token: &Authenticated) -> Result<(), Rejection> {
        check_revocation(token.issued, self.revoked_before(&token.verified.user))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use microcos_host::auth::Keys;

    #[test]
    fn a_revocation_reaches_an_open_service_and_only_moves_forward() {
        let dir = std::env::temp_dir().join(format!("microcos-revoke-{}", uuid::Uuid::new_v4().simple()));
        let keys = Keys::new(b"revocation-test-secret-0123456789abcdef");
        let (alice, bob) = (UserId::parse("alice").unwrap(), UserId::parse("bob").unwrap());
        let t0 = Timestamp(1_700_000_000_000);
        let token =
            |user: &UserId, at: Timestamp| keys.authenticate(&keys.sign(user, at, at.plus_ms(60_000)), at).unwrap();
        let service = Revocations::open(&dir).unwrap();
        assert!(service.check(&token(&alice, t0)).is_ok());
        // Another process (the command line) revokes: the open service sees it.
        assert_eq!(revoke(&dir, &alice, t0.plus_ms(500)).unwrap(), t0.plus_ms(1_000));
        assert!(service.check(&token(&alice, t0)).unwrap_err().message.starts_with("token revoked"));
        assert!(service.check(&token(&alice, t0.plus_ms(1_000))).is_ok(), "a token issued after it");
        assert!(service.check(&token(&bob, t0)).is_ok(), "other users are not affected");
        // An earlier revocation does not undo a later one.
        assert_eq!(revoke(&dir, &alice, Timestamp(t0.0 - 60_000)).unwrap(), t0.plus_ms(1_000));
        assert_eq!(revoke(&dir, &alice, t0.plus_ms(5_000)).unwrap(), t0.plus_ms(6_000));
        assert!(service.check(&token(&alice, t0.plus_ms(1_000))).is_err());
        // Durable: a service started afterwards sees it too.
        drop(service);
        assert_eq!(Revocations::open(&dir).unwrap().revoked_before(&alice), Some(t0.plus_ms(6_000)));
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            assert_eq!(std::fs::metadata(path(&dir)).unwrap().permissions().mode() & 0o777, 0o600);
        }
        let _ = std::fs::remove_dir_all(dir);
    }
}
