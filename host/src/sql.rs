//! The storage schema and every SQL statement, shared by the local service
//! (SQLite) and the Cloudflare Durable Object (its SQLite storage API), so
//! both store exactly the same rows.
//!
//! One database per user (a Durable Object is one user). Appends run inside
//! one transaction per batch: check [`LAST_SEQ`], check each id with
//! [`FIND_EVENT`], then [`INSERT_EVENT`] each row.

/// Creates the tables (idempotent). Statements are separated by `;`.
pub const SCHEMA: &str = "\
CREATE TABLE IF NOT EXISTS events (\
 seq INTEGER PRIMARY KEY,\
 event_id TEXT NOT NULL UNIQUE,\
 type TEXT NOT NULL,\
 ts INTEGER NOT NULL,\
 request_id TEXT NOT NULL,\
 operation_id TEXT,\
 body TEXT NOT NULL);\
CREATE TABLE IF NOT EXISTS snapshot_pieces (\
 idx INTEGER PRIMARY KEY,\
 seq INTEGER NOT NULL,\
 state_version INTEGER NOT NULL,\
 body TEXT NOT NULL);\
CREATE TABLE IF NOT EXISTS meta (\
 key TEXT PRIMARY KEY,\
 value TEXT NOT NULL)";

/// The schema as separate statements.
pub fn schema_statements() -> impl Iterator<Item = &'static str> {
    SCHEMA.split(';').map(str::trim).filter(|s| !s.is_empty())
}

/// Appends one row: `seq, event_id, type, ts, request_id, operation_id, body`.
pub const INSERT_EVENT: &str =
    "INSERT INTO events (seq, event_id, type, ts, request_id, operation_id, body) VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)";
/// The seq of an event id (exact; backed by the unique index).
pub const FIND_EVENT: &str = "SELECT seq FROM events WHERE event_id = ?1";
/// Rows after a seq, in order, at most `?2`.
pub const READ_AFTER: &str =
    "SELECT seq, event_id, type, ts, request_id, operation_id, body FROM events WHERE seq > ?1 ORDER BY seq LIMIT ?2";
/// The last seq, 0 when empty.
pub const LAST_SEQ: &str = "SELECT COALESCE(MAX(seq), 0) AS seq FROM events";
/// Removes the stored snapshot.
pub const DELETE_SNAPSHOT: &str = "DELETE FROM snapshot_pieces";
/// Stores one snapshot piece: `idx, seq, state_version, body`.
pub const INSERT_SNAPSHOT_PIECE: &str =
    "INSERT INTO snapshot_pieces (idx, seq, state_version, body) VALUES (?1, ?2, ?3, ?4)";
/// Reads a metadata value (`?1` = key), e.g. `user_id`.
pub const GET_META: &str = "SELECT value FROM meta WHERE key = ?1";
/// Writes a metadata value: `key, value`.
pub const PUT_META: &str = "INSERT OR REPLACE INTO meta (key, value) VALUES (?1, ?2)";
/// The snapshot pieces in order.
pub const SELECT_SNAPSHOT: &str = "SELECT idx, seq, state_version, body FROM snapshot_pieces ORDER BY idx";
