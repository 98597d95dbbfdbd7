//! [`DoStore`]: the `Store` port on the Durable Object's SQLite storage,
//! with the same schema and SQL text as the local service
//! ([`microcos_host::sql`]).
//!
//! A Durable Object commits every write made without an intervening `await`
//! atomically (write coalescing), and `Store::append` is synchronous, so a
//! batch of rows is committed together or not at all.

use microcos_core::ports::{Appended, Row, SnapshotRecord, Store, StoreError};
use microcos_core::{EventId, OperationId, RequestId, Seq, Timestamp};
use microcos_host::sql;
use serde::Deserialize;
use worker::{SqlStorage, SqlStorageValue};

/// One user's log in the object's SQLite storage.
pub struct DoStore {
    sql: SqlStorage,
}

fn backend(e: impl std::fmt::Display) -> StoreError {
    StoreError::Backend(e.to_string())
}

fn uuid(s: &str) -> Result<uuid::Uuid, StoreError> {
    uuid::Uuid::try_parse(s).map_err(backend)
}

fn int(v: u64) -> SqlStorageValue {
    SqlStorageValue::Integer(v as i64)
}

#[derive(Deserialize)]
struct SeqRow {
    seq: i64,
}

#[derive(Deserialize)]
struct EventRow {
    seq: i64,
    event_id: String,
    #[serde(rename = "type")]
    event_type: String,
    ts: i64,
    request_id: String,
    operation_id: Option<String>,
    body: String,
}

#[derive(Deserialize)]
struct PieceRow {
    seq: i64,
    state_version: i64,
    body: String,
}

#[derive(Deserialize)]
struct ValueRow {
    value: String,
}

impl DoStore {
    /// Opens the storage, creating the tables if needed.
    pub fn open(sql: SqlStorage) -> Result<DoStore, StoreError> {
        for stmt in sql::schema_statements() {
            sql.exec(stmt, None).map_err(backend)?;
        }
        Ok(DoStore { sql })
    }

    /// A metadata value.
    pub fn meta(&self, key: &str) -> Result<Option<String>, StoreError> {
        let rows: Vec<ValueRow> =
            self.sql.exec(sql::GET_META, vec![key.into()]).and_then(|c| c.to_array()).map_err(backend)?;
        Ok(rows.into_iter().next().map(|r| r.value))
    }

    /// Sets a metadata value.
    pub fn set_meta(&self, key: &str, value: &str) -> Result<(), StoreError> {
        self.sql.exec(sql::PUT_META, vec![key.into(), value.into()]).map(|_| ()).map_err(backend)
    }
}

impl Store for DoStore {
    fn append(&mut self, rows: &[Row]) -> Result<Appended, StoreError> {
        let last = self.last_seq()?;
        if let Some(first) = rows.first() {
            if first.seq != last.next() {
                return Err(StoreError::SeqConflict { expected: first.seq, found: last });
            }
        }
        // Check every id before writing anything: nothing is written on a duplicate.
        for (index, row) in rows.iter().enumerate() {
            if let Some(existing) = self.find_event(row.event_id)? {
                return Ok(Appended::Duplicate { index, existing });
            }
        }
        for row in rows {
            let op = row.operation_id.map_or(SqlStorageValue::Null, |o| o.to_string().into());
            self.sql
                .exec(
                    sql::INSERT_EVENT,
                    vec![
                        int(row.seq.0),
                        row.event_id.to_string().into(),
                        row.event_type.as_str().into(),
                        int(row.timestamp.0),
                        row.request_id.to_string().into(),
                        op,
                        row.body.clone().into(),
                    ],
                )
                .map_err(backend)?;
            worker::console_log!(
                "appended seq={} type={} event_id={} request_id={} operation_id={}",
                row.seq,
                row.event_type,
                row.event_id,
                row.request_id,
                row.operation_id.map(|o| o.to_string()).unwrap_or_default()
            );
        }
        Ok(Appended::Written)
    }

    fn read_after(&self, after: Seq, limit: usize) -> Result<Vec<Row>, StoreError> {
        let rows: Vec<EventRow> = self
            .sql
            .exec(sql::READ_AFTER, vec![int(after.0), int(limit as u64)])
            .and_then(|c| c.to_array())
            .map_err(backend)?;
        rows.into_iter()
            .map(|r| {
                Ok(Row {
                    seq: Seq(r.seq as u64),
                    event_id: EventId(uuid(&r.event_id)?),
                    event_type: r.event_type,
                    timestamp: Timestamp(r.ts as u64),
                    request_id: RequestId(uuid(&r.request_id)?),
                    operation_id: r.operation_id.as_deref().map(uuid).transpose()?.map(OperationId),
                    body: r.body,
                })
            })
            .collect()
    }

    fn find_event(&self, event_id: EventId) -> Result<Option<Seq>, StoreError> {
        let rows: Vec<SeqRow> = self
            .sql
            .exec(sql::FIND_EVENT, vec![event_id.to_string().into()])
            .and_then(|c| c.to_array())
            .map_err(backend)?;
        Ok(rows.into_iter().next().map(|r| Seq(r.seq as u64)))
    }

    fn last_seq(&self) -> Result<Seq, StoreError> {
        let rows: Vec<SeqRow> = self.sql.exec(sql::LAST_SEQ, None).and_then(|c| c.to_array()).map_err(backend)?;
        Ok(Seq(rows.into_iter().next().map_or(0, |r| r.seq) as u64))
    }

    fn save_snapshot(&mut self, snapshot: &SnapshotRecord) -> Result<(), StoreError> {
        self.sql.exec(sql::DELETE_SNAPSHOT, None).map_err(backend)?;
        for (i, piece) in snapshot.pieces.iter().enumerate() {
            self.sql
                .exec(
                    sql::INSERT_SNAPSHOT_PIECE,
                    vec![
                        int(i as u64),
                        int(snapshot.seq.0),
                        int(u64::from(snapshot.state_version)),
                        piece.clone().into(),
                    ],
                )
                .map_err(backend)?;
        }
        Ok(())
    }

    fn load_snapshot(&self) -> Result<Option<SnapshotRecord>, StoreError> {
        let rows: Vec<PieceRow> =
            self.sql.exec(sql::SELECT_SNAPSHOT, None).and_then(|c| c.to_array()).map_err(backend)?;
        let Some(first) = rows.first() else { return Ok(None) };
        let (seq, state_version) = (Seq(first.seq as u64), first.state_version as u32);
        Ok(Some(SnapshotRecord { seq, state_version, pieces: rows.into_iter().map(|r| r.body).collect() }))
    }
}
