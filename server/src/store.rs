//! [`SqliteStore`]: the `Store` port on SQLite, one database file per user,
//! with exactly the schema and SQL text the Durable Object uses
//! ([`microcos_host::sql`]).
//!
//! # File names
//!
//! A user's database is `<data>/users/<name>.sqlite`, where `<name>` is
//! [`user_file_stem`] of the user id: the id itself when it is lower case
//! and not a Windows device name, otherwise escaped so that no two ids share
//! a file on a case-insensitive file system (macOS, Windows) and no file is
//! a device (`CON`, `NUL`, `COM1`, …): each upper-case letter becomes `^`
//! and the letter in lower case (`Alice` → `^alice`), and a name whose part
//! before its first dot is a device name gets a leading `=` (`con` →
//! `=con`, `nul.x` → `=nul.x`). Neither `^` nor `=` is allowed in a user
//! id, so the mapping is one to one and every old name is told apart.
//!
//! A data folder written before these names ([`user_database`] and
//! [`stored_users`] see to it, once per folder): each database under the
//! old name (the id verbatim) that is not already its new name is renamed,
//! with its `-wal`, `-shm` and `-journal` files, before any database is
//! opened; a marker (`users/.file-names`) records that it was done. On a
//! case-insensitive file system, ids that differed only in case shared one
//! file before: it goes to the id whose spelling the file system kept (the
//! first of them to be created).

use std::collections::BTreeSet;
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use microcos_core::{Appended, Row, SnapshotRecord, Store, StoreError};
use microcos_core::{EventId, OperationId, RequestId, Seq, Timestamp, UserId};
use microcos_host::sql;
use rusqlite::{params, Connection, OptionalExtension};
use std::rc::Rc;

use crate::group::Gate;
use crate::metrics::Metrics;

/// How hard SQLite works to make an acknowledged append survive.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Durability {
    /// On disk before anything that follows the append (an answer, a frame,
    /// a model call): survives power loss. (The service shares one flush
    /// among every user's commits: [`crate::group`].)
    Full,
    /// WAL without fsync per commit: survives a process crash, not power loss.
    Normal,
}

/// Names a file system takes for a device when they are a file name's part
/// before its first dot (Windows, in any case).
const DEVICE_NAMES: &[&str] = &[
    "con", "prn", "aux", "nul", "com0", "com1", "com2", "com3", "com4", "com5", "com6", "com7", "com8", "com9", "lpt0",
    "lpt1", "lpt2", "lpt3", "lpt4", "lpt5", "lpt6", "lpt7", "lpt8", "lpt9",
];

fn is_device_name(name: &str) -> bool {
    let base = name.split('.').next().unwrap_or(name);
    DEVICE_NAMES.iter().any(|d| d.eq_ignore_ascii_case(base))
}

/// The name of `user`'s database file, without `.sqlite` (see the module's
/// documentation): never two that differ only in case, never a device name.
pub fn user_file_stem(user: &UserId) -> String {
    let id = user.as_str();
    let mut stem = String::with_capacity(id.len() + 4);
    for c in id.chars() {
        if c.is_ascii_uppercase() {
            stem.push('^');
            stem.push(c.to_ascii_lowercase());
        } else {
            stem.push(c);
        }
    }
    if is_device_name(&stem) {
        stem.insert(0, '=');
    }
    stem
}

/// The user whose database file [`user_file_stem`] names `stem`, if any.
pub fn user_of_file_stem(stem: &str) -> Option<UserId> {
    let body = stem.strip_prefix('=').unwrap_or(stem);
    let mut id = String::with_capacity(body.len());
    let mut chars = body.chars();
    while let Some(c) = chars.next() {
        match c {
            '^' => id.push(chars.next().filter(char::is_ascii_lowercase)?.to_ascii_uppercase()),
            c => id.push(c),
        }
    }
    UserId::parse(&id).filter(|user| user_file_stem(user) == stem)
}

/// The folders whose file names are current, in this process.
static CURRENT_NAMES: Mutex<BTreeSet<PathBuf>> = Mutex::new(BTreeSet::new());
/// The marker of a users folder whose file names are current.
const NAMES_MARKER: &str = ".file-names";

/// Renames the databases of `users_dir` still under their old names (the id
/// verbatim) to [`user_file_stem`], once per folder (see the module's
/// documentation). Returns how many it renamed.
pub fn migrate_file_names(users_dir: &Path) -> std::io::Result<usize> {
    let mut current = CURRENT_NAMES.lock().unwrap_or_else(|p| p.into_inner());
    if current.contains(users_dir) {
        return Ok(0);
    }
    let marker = users_dir.join(NAMES_MARKER);
    let mut renamed = 0;
    if !marker.exists() {
        let entries = match std::fs::read_dir(users_dir) {
            Ok(entries) => entries.collect::<Result<Vec<_>, _>>()?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Vec::new(),
            Err(e) => return Err(e),
        };
        for entry in entries {
            let name = entry.file_name();
            let Some(stem) = name.to_str().and_then(|n| n.strip_suffix(".sqlite")) else { continue };
            if user_of_file_stem(stem).is_some() {
                continue; // already its own name (every lower-case id that is not a device)
            }
            let Some(user) = UserId::parse(stem) else { continue };
            let new = user_file_stem(&user);
            let target = users_dir.join(format!("{new}.sqlite"));
            if target.exists() {
                tracing::warn!(%user, old = stem, new, "both the old and the new database file exist: keeping the new");
                continue;
            }
            // Its WAL first: if this stops midway, the next start renames
            // the database to where its WAL already is.
            for companion in ["-wal", "-shm", "-journal"] {
                let old = users_dir.join(format!("{stem}.sqlite{companion}"));
                if old.exists() {
                    std::fs::rename(old, users_dir.join(format!("{new}.sqlite{companion}")))?;
                }
            }
            std::fs::rename(entry.path(), target)?;
            tracing::info!(%user, old = stem, new, "database renamed to its case- and device-safe name");
            renamed += 1;
        }
        if users_dir.exists() {
            std::fs::write(&marker, "2\n")?;
        }
    }
    current.insert(users_dir.to_path_buf());
    Ok(renamed)
}

/// The path of `user`'s database in `users_dir` (`<name>.sqlite`), after
/// renaming an old folder's files ([`migrate_file_names`]).
pub fn user_database(users_dir: &Path, user: &UserId) -> Result<PathBuf, StoreError> {
    migrate_file_names(users_dir)
        .map_err(|e| StoreError::Backend(format!("cannot rename the databases in {}: {e}", users_dir.display())))?;
    Ok(users_dir.join(format!("{}.sqlite", user_file_stem(user))))
}

/// The users with a database in `users_dir`, after renaming an old
/// folder's files ([`migrate_file_names`]).
pub fn stored_users(users_dir: &Path) -> Vec<UserId> {
    if let Err(e) = migrate_file_names(users_dir) {
        tracing::error!(error = %e, dir = %users_dir.display(), "cannot rename the databases to their new names");
    }
    std::fs::read_dir(users_dir)
        .into_iter()
        .flatten()
        .filter_map(|e| e.ok())
        .filter_map(|e| e.file_name().to_str()?.strip_suffix(".sqlite").and_then(user_of_file_stem))
        .collect()
}

/// A row as SQLite returns it: seq, event_id, type, ts, request_id, operation_id, body.
type RawRow = (i64, String, String, i64, String, Option<String>, String);

/// One user's log in a SQLite file.
pub struct SqliteStore {
    conn: Connection,
    /// Commits are flushed by the shard's shared flush, which holds the
    /// effects that follow them, instead of an fsync each.
    gate: Option<Rc<Gate>>,
    /// Test only: fail the row at this index of the first batch longer than it.
    fault: Option<usize>,
    /// Where the rows written are counted (`microcos_events_appended_total`).
    metrics: Option<Arc<Metrics>>,
}

/// Whether the test fault fired already (once per process).
static FAULT_FIRED: std::sync::atomic::AtomicBool = std::sync::atomic::AtomicBool::new(false);

fn backend(e: rusqlite::Error) -> StoreError {
    if let rusqlite::Error::SqliteFailure(f, _) = &e {
        if matches!(f.code, rusqlite::ErrorCode::NotADatabase | rusqlite::ErrorCode::DatabaseCorrupt) {
            return StoreError::Corrupt(e.to_string());
        }
    }
    StoreError::Backend(e.to_string())
}

fn uuid_col(s: &str) -> Result<uuid::Uuid, StoreError> {
    uuid::Uuid::try_parse(s).map_err(|e| StoreError::Backend(format!("bad id in storage: {e}")))
}

impl SqliteStore {
    /// Opens (creating if needed, with mode 0600) the database at `path`.
    pub fn open(path: &Path, durability: Durability) -> Result<Self, StoreError> {
        Self::open_with(path, durability, None)
    }

    /// [`SqliteStore::open`] on a shard: with [`Durability::Full`] and a
    /// `gate` that defers (group commit), commits are made durable by the
    /// shard's shared flush, the effects that follow them held until it,
    /// instead of an fsync each: as durable, and far cheaper with many users.
    /// That holds from the start: creating a new user's tables costs no
    /// fsync either (the flush before their first answer covers them).
    pub fn open_gated(path: &Path, durability: Durability, gate: Rc<Gate>) -> Result<Self, StoreError> {
        Self::open_with(path, durability, Some(gate))
    }

    fn open_with(path: &Path, durability: Durability, gate: Option<Rc<Gate>>) -> Result<Self, StoreError> {
        let gate = gate.filter(|g| durability == Durability::Full && g.defers());
        // Create the file ourselves so that it is private from the start
        // (SQLite gives its -wal and -shm files the database's mode).
        let mut options = std::fs::OpenOptions::new();
        options.write(true).create(true).truncate(false);
        #[cfg(unix)]
        std::os::unix::fs::OpenOptionsExt::mode(&mut options, 0o600);
        options.open(path).map_err(|e| StoreError::Backend(format!("cannot open {}: {e}", path.display())))?;
        let conn = Connection::open(path).map_err(backend)?;
        let sync = match (durability, &gate) {
            (Durability::Full, None) => "FULL",
            _ => "NORMAL",
        };
        // One actor owns a user's database at a time: exclusive locking takes
        // SQLite's file locks once instead of on every transaction (and keeps
        // the WAL index in memory). A stopping actor's successor waits for
        // it with the busy timeout.
        conn.execute_batch(&format!(
            "PRAGMA busy_timeout=5000; PRAGMA locking_mode=EXCLUSIVE; PRAGMA journal_mode=WAL; PRAGMA synchronous={sync};"
        ))
            .map_err(backend)?;
        let tx = conn.unchecked_transaction().map_err(backend)?;
        for stmt in sql::schema_statements() {
            tx.execute(stmt, []).map_err(backend)?;
        }
        tx.commit().map_err(backend)?;
        Ok(SqliteStore { conn, gate, fault: None, metrics: None })
    }

    fn row(r: &rusqlite::Row<'_>) -> rusqlite::Result<RawRow> {
        Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?, r.get(6)?))
    }
}

impl SqliteStore {
    /// For the failure-injection test only (`MICROCOS_TEST_FAIL_BATCH_AT`):
    /// the first batch of more than `index` rows in this process fails at
    /// row `index`, after the rows before it were written.
    pub fn fail_batches_at(mut self, index: Option<usize>) -> SqliteStore {
        self.fault = index;
        self
    }

    /// Counts the rows it writes into `metrics`.
    pub fn counted(mut self, metrics: Arc<Metrics>) -> SqliteStore {
        self.metrics = Some(metrics);
        self
    }
}

impl Store for SqliteStore {
    fn append(&mut self, rows: &[Row]) -> Result<Appended, StoreError> {
        let tx = self.conn.transaction().map_err(backend)?;
        let last: i64 =
            tx.prepare_cached(sql::LAST_SEQ).and_then(|mut q| q.query_row([], |r| r.get(0))).map_err(backend)?;
        if let Some(first) = rows.first() {
            if first.seq.0 != last as u64 + 1 {
                return Err(StoreError::SeqConflict { expected: first.seq, found: Seq(last as u64) });
            }
        }
        {
            let mut find = tx.prepare_cached(sql::FIND_EVENT).map_err(backend)?;
            let mut insert = tx.prepare_cached(sql::INSERT_EVENT).map_err(backend)?;
            let fail_at =
                self.fault.filter(|i| *i < rows.len() && !FAULT_FIRED.swap(true, std::sync::atomic::Ordering::Relaxed));
            for (index, row) in rows.iter().enumerate() {
                if fail_at == Some(index) {
                    // Dropping the transaction rolls back the rows before this one.
                    return Err(StoreError::Backend(format!("injected failure at row {index} of the batch")));
                }
                let id = row.event_id.to_string();
                let existing: Option<i64> = find.query_row([&id], |r| r.get(0)).optional().map_err(backend)?;
                if let Some(existing) = existing {
                    return Ok(Appended::Duplicate { index, existing: Seq(existing as u64) });
                }
                insert
                    .execute(params![
                        row.seq.0 as i64,
                        id,
                        row.event_type.as_str(),
                        row.timestamp.0 as i64,
                        row.request_id.to_string(),
                        row.operation_id.map(|o| o.to_string()),
                        row.body,
                    ])
                    .map_err(backend)?;
            }
        }
        tx.commit().map_err(backend)?;
        // Effects follow durability: with a gate, they are held from now
        // until its flush.
        if let Some(gate) = &self.gate {
            gate.written();
        }
        if let Some(metrics) = &self.metrics {
            metrics.appended(rows.len());
        }
        // The host's `accepted` report names each client event (within the
        // user's log budget); each row is for debugging.
        for row in rows {
            tracing::debug!(
                event_id = %row.event_id,
                request_id = %row.request_id,
                operation_id = row.operation_id.map(|o| o.to_string()),
                seq = row.seq.0,
                r#type = row.event_type.as_str(),
                "appended"
            );
        }
        Ok(Appended::Written)
    }

    fn read_after(&self, after: Seq, limit: usize) -> Result<Vec<Row>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql::READ_AFTER).map_err(backend)?;
        let raw = stmt
            .query_map(params![after.0 as i64, limit as i64], Self::row)
            .map_err(backend)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(backend)?;
        raw.into_iter()
            .map(|(seq, id, ty, ts, req, op, body)| {
                Ok(Row {
                    seq: Seq(seq as u64),
                    event_id: EventId(uuid_col(&id)?),
                    event_type: ty,
                    timestamp: Timestamp(ts as u64),
                    request_id: RequestId(uuid_col(&req)?),
                    operation_id: op.as_deref().map(uuid_col).transpose()?.map(OperationId),
                    body,
                })
            })
            .collect()
    }

    fn find_event(&self, event_id: EventId) -> Result<Option<Seq>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql::FIND_EVENT).map_err(backend)?;
        let seq: Option<i64> = stmt.query_row([event_id.to_string()], |r| r.get(0)).optional().map_err(backend)?;
        Ok(seq.map(|s| Seq(s as u64)))
    }

    fn last_seq(&self) -> Result<Seq, StoreError> {
        let last: i64 = self.conn.query_row(sql::LAST_SEQ, [], |r| r.get(0)).map_err(backend)?;
        Ok(Seq(last as u64))
    }

    fn save_snapshot(&mut self, snapshot: &SnapshotRecord) -> Result<(), StoreError> {
        let tx = self.conn.transaction().map_err(backend)?;
        tx.execute(sql::DELETE_SNAPSHOT, []).map_err(backend)?;
        for (i, piece) in snapshot.pieces.iter().enumerate() {
            tx.execute(
                sql::INSERT_SNAPSHOT_PIECE,
                params![i as i64, snapshot.seq.0 as i64, i64::from(snapshot.state_version), piece],
            )
            .map_err(backend)?;
        }
        tx.commit().map_err(backend)
    }

    fn load_snapshot(&self) -> Result<Option<SnapshotRecord>, StoreError> {
        let mut stmt = self.conn.prepare_cached(sql::SELECT_SNAPSHOT).map_err(backend)?;
        let pieces = stmt
            .query_map([], |r| Ok((r.get::<_, i64>(1)?, r.get::<_, i64>(2)?, r.get::<_, String>(3)?)))
            .map_err(backend)?
            .collect::<Result<Vec<_>, _>>()
            .map_err(backend)?;
        let Some(&(seq, version, _)) = pieces.first() else { return Ok(None) };
        Ok(Some(SnapshotRecord {
            seq: Seq(seq as u64),
            state_version: version as u32,
            pieces: pieces.into_iter().map(|p| p.2).collect(),
        }))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn row(seq: u64, id: u128) -> Row {
        Row {
            seq: Seq(seq),
            event_id: EventId(uuid::Uuid::from_u128(id)),
            event_type: "user.message".into(),
            timestamp: Timestamp(7),
            request_id: RequestId(uuid::Uuid::from_u128(99)),
            operation_id: Some(OperationId(uuid::Uuid::from_u128(5))),
            body: format!("{{\"seq\":{seq}}}"),
        }
    }

    #[test]
    fn appends_are_atomic_exact_and_ordered() {
        let dir = std::env::temp_dir().join(format!("microcos-store-test-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("u.sqlite");
        let _ = std::fs::remove_file(&path);
        let mut s = SqliteStore::open(&path, Durability::Normal).unwrap();
        assert_eq!(s.append(&[row(1, 1), row(2, 2)]).unwrap(), Appended::Written);
        // A batch with a known id writes nothing.
        assert_eq!(s.append(&[row(3, 3), row(4, 1)]).unwrap(), Appended::Duplicate { index: 1, existing: Seq(1) });
        assert_eq!(s.last_seq().unwrap(), Seq(2));
        assert!(matches!(s.append(&[row(5, 5)]), Err(StoreError::SeqConflict { .. })));
        assert_eq!(s.read_after(Seq(0), 10).unwrap(), vec![row(1, 1), row(2, 2)]);
        assert_eq!(s.find_event(EventId(uuid::Uuid::from_u128(2))).unwrap(), Some(Seq(2)));
        let snap = SnapshotRecord { seq: Seq(2), state_version: 1, pieces: vec!["{\"a\":".into(), "1}".into()] };
        s.save_snapshot(&snap).unwrap();
        drop(s);
        let s = SqliteStore::open(&path, Durability::Normal).unwrap();
        assert_eq!(s.load_snapshot().unwrap(), Some(snap));
        assert_eq!(s.read_at(Seq(2)).unwrap(), Some(row(2, 2)));
        std::fs::remove_dir_all(&dir).unwrap();
    }

    fn user(id: &str) -> UserId {
        UserId::parse(id).unwrap()
    }

    #[test]
    fn file_names_never_collide_in_any_case_and_are_never_devices() {
        assert_eq!(user_file_stem(&user("alice")), "alice", "a lower-case id keeps its old name");
        assert_eq!(user_file_stem(&user("Alice")), "^alice");
        assert_eq!(user_file_stem(&user("ALICE")), "^a^l^i^c^e");
        assert_eq!(user_file_stem(&user("con")), "=con");
        assert_eq!(user_file_stem(&user("CON")), "^c^o^n", "escaped: no longer a device");
        assert_eq!(user_file_stem(&user("nul.txt")), "=nul.txt");
        assert_eq!(user_file_stem(&user("console")), "console", "only the whole part before a dot");
        // Every spelling in case of a few ids, and every device name in
        // every case, with and without a dot after it.
        let mut ids: Vec<String> = Vec::new();
        for base in ["alice", "bob_x", "a.b-c@d", "x"] {
            for mask in 0u32..(1 << base.len().min(6)) {
                let spelled: String = base
                    .chars()
                    .enumerate()
                    .map(|(i, c)| if mask & (1 << i) != 0 { c.to_ascii_uppercase() } else { c })
                    .collect();
                ids.push(spelled);
            }
        }
        for device in DEVICE_NAMES {
            for spelled in
                [device.to_string(), device.to_uppercase(), format!("{device}.sqlite"), format!("{device}.a.b")]
            {
                ids.push(spelled);
            }
        }
        ids.sort();
        ids.dedup();
        let mut folded = BTreeSet::new();
        for id in &ids {
            let u = user(id);
            let stem = user_file_stem(&u);
            assert!(!is_device_name(&stem), "{id} -> {stem} is a device");
            assert!(!stem.chars().any(|c| c.is_ascii_uppercase()), "{id} -> {stem}");
            assert!(folded.insert(stem.to_lowercase()), "{id} -> {stem} collides in some case");
            assert_eq!(user_of_file_stem(&stem), Some(u), "{stem} names {id}");
        }
        // Names that are nobody's: not canonical, or not an id.
        for stem in ["Alice", "con", "^", "^A", "^1", "==con", "=alice", "a/b", ""] {
            assert_eq!(user_of_file_stem(stem), None, "{stem:?}");
        }
    }

    #[test]
    fn an_old_data_folder_keeps_its_users() {
        let dir = std::env::temp_dir().join(format!("microcos-names-{}", uuid::Uuid::new_v4().simple()));
        let users = dir.join("users");
        std::fs::create_dir_all(&users).unwrap();
        // Databases under the old names (the id verbatim), one still with its WAL.
        let old = ["Alice", "bob", "con", "Mixed_Case.x"];
        for (i, id) in old.iter().enumerate() {
            let scratch = dir.join("scratch.sqlite");
            let mut s = SqliteStore::open(&scratch, Durability::Normal).unwrap();
            assert_eq!(s.append(&[row(1, 1 + i as u128)]).unwrap(), Appended::Written);
            // Copied while open: as a crash leaves it, the commit still in the WAL.
            for companion in ["", "-wal"] {
                std::fs::copy(
                    dir.join(format!("scratch.sqlite{companion}")),
                    users.join(format!("{id}.sqlite{companion}")),
                )
                .unwrap();
            }
            drop(s);
            std::fs::remove_file(&scratch).unwrap();
        }
        assert!(users.join("Alice.sqlite-wal").exists());
        let found: BTreeSet<UserId> = stored_users(&users).into_iter().collect();
        assert_eq!(found, old.iter().map(|id| user(id)).collect());
        let names: BTreeSet<String> = std::fs::read_dir(&users)
            .unwrap()
            .map(|e| e.unwrap().file_name().into_string().unwrap())
            .filter(|n| n.ends_with(".sqlite"))
            .collect();
        let expected: BTreeSet<String> =
            ["^alice.sqlite", "bob.sqlite", "=con.sqlite", "^mixed_^case.x.sqlite"].map(String::from).into();
        assert_eq!(names, expected);
        assert!(users.join("^alice.sqlite-wal").exists(), "the WAL moved with its database");
        for (i, id) in old.iter().enumerate() {
            let path = user_database(&users, &user(id)).unwrap();
            let s = SqliteStore::open(&path, Durability::Normal).unwrap();
            assert_eq!(s.read_after(Seq(0), 10).unwrap(), vec![row(1, 1 + i as u128)], "{id}'s events");
        }
        // Done once: a file under an old name afterwards is left alone.
        assert!(users.join(NAMES_MARKER).exists());
        assert_eq!(migrate_file_names(&users).unwrap(), 0);
        let _ = std::fs::remove_dir_all(&dir);
    }
}
