//! [`DoStore`]: the `Store` port on the Durable Object's SQLite storage,
//! with the same schema and SQL text as the local service
//! ([`microcos_host::sql`]).
//!
//! A batch of rows, and a snapshot replacement, are each one transaction
//! (`transactionSync`): a statement that fails in the middle rolls back the
//! ones before it, so nothing of a failed batch is ever visible, even after
//! the output gate commits the object's other writes. (Write coalescing alone
//! would commit the rows before the failure.)

use std::cell::RefCell;
use std::rc::Rc;
use std::sync::atomic::{AtomicBool, Ordering};

use microcos_core::{Appended, Row, SnapshotRecord, Store, StoreError};
use microcos_core::{EventId, OperationId, RequestId, Seq, Timestamp};
use microcos_host::sql;
use serde::Deserialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use worker::{SqlStorage, SqlStorageValue, Storage};

/// One user's log in the object's SQLite storage.
pub struct DoStore {
    storage: Storage,
    sql: Rc<SqlStorage>,
    /// The last stored seq, as this store last wrote or read it (`None`:
    /// read it again): the object is the only writer of its storage.
    last: std::cell::Cell<Option<Seq>>,
    /// Test only: fail the statement at this index of the first batch of
    /// several statements (see [`DoStore::fail_batches_at`]).
    fault: Option<usize>,
}

/// Whether the test fault fired already (once per isolate).
static FAULT_FIRED: AtomicBool = AtomicBool::new(false);

/// SQL statements with their bindings, run as one transaction.
type Batch = Vec<(&'static str, Vec<SqlStorageValue>)>;

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
    pub fn open(storage: Storage) -> Result<DoStore, StoreError> {
        let sql = storage.sql();
        for stmt in sql::schema_statements() {
            sql.exec(stmt, None).map_err(backend)?;
        }
        Ok(DoStore { storage, sql: Rc::new(sql), last: std::cell::Cell::new(None), fault: None })
    }

    /// For the failure-injection test only (`MICROCOS_TEST_FAIL_BATCH_AT` in
    /// the test configuration): the first batch of more than `index`
    /// statements in this isolate fails at statement `index`.
    pub fn fail_batches_at(mut self, index: Option<usize>) -> DoStore {
        self.fault = index;
        self
    }

    /// Runs `batch` as one transaction: all of it, or (on an error) none.
    fn atomically(&self, batch: Batch) -> Result<(), StoreError> {
        let fail_at = self.fault.filter(|i| *i < batch.len() && !FAULT_FIRED.swap(true, Ordering::Relaxed));
        if batch.len() == 1 && fail_at.is_none() {
            // One statement is atomic by itself.
            let Some((stmt, bindings)) = batch.into_iter().next() else { return Ok(()) };
            return self.sql.exec(stmt, bindings).map(|_| ()).map_err(backend);
        }
        let sql = self.sql.clone();
        let error: Rc<RefCell<Option<StoreError>>> = Rc::default();
        let failed = error.clone();
        let body = Closure::once(move || -> Result<(), JsValue> {
            for (i, (stmt, bindings)) in batch.into_iter().enumerate() {
                let stmt =
                    if fail_at == Some(i) { "INSERT INTO injected_fault_no_such_table VALUES (1)" } else { stmt };
                if let Err(e) = sql.exec(stmt, bindings) {
                    *failed.borrow_mut() = Some(backend(&e));
                    // Thrown: transactionSync rolls back every statement before it.
                    return Err(JsValue::from_str(&e.to_string()));
                }
            }
            Ok(())
        });
        let raw: &JsValue = self.storage.as_raw();
        let transaction = worker::js_sys::Reflect::get(raw, &JsValue::from_str("transactionSync"))
            .ok()
            .and_then(|f| f.dyn_into::<worker::js_sys::Function>().ok())
            .ok_or_else(|| backend("this runtime has no storage.transactionSync"))?;
        match transaction.call1(raw, body.as_ref().unchecked_ref()) {
            Ok(_) => Ok(()),
            Err(e) => Err(error.borrow_mut().take().unwrap_or_else(|| backend(format!("{e:?}")))),
        }
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
        let last = match self.last.get() {
            Some(last) => last,
            None => self.last_seq()?,
        };
        if let Some(first) = rows.first() {
            if first.seq != last.next() {
                return Err(StoreError::SeqConflict { expected: first.seq, found: last });
            }
        }
        // No lookups first: the unique index on event ids (and the primary
        // key on seq) refuse a conflicting row, and the batch, one
        // transaction, then writes nothing. Only then is the conflict read.
        let batch = rows
            .iter()
            .map(|row| {
                let op = row.operation_id.map_or(SqlStorageValue::Null, |o| o.to_string().into());
                let bindings = vec![
                    int(row.seq.0),
                    row.event_id.to_string().into(),
                    row.event_type.as_str().into(),
                    int(row.timestamp.0),
                    row.request_id.to_string().into(),
                    op,
                    row.body.clone().into(),
                ];
                (sql::INSERT_EVENT, bindings)
            })
            .collect();
        let written = self.atomically(batch);
        self.last.set(match written {
            Ok(()) => rows.last().map(|r| r.seq).or(Some(last)),
            Err(_) => None,
        });
        match written {
            Ok(()) => Ok(Appended::Written),
            Err(e) if e.to_string().contains("UNIQUE constraint failed") || e.to_string().contains("PRIMARY KEY") => {
                for (index, row) in rows.iter().enumerate() {
                    if let Some(existing) = self.find_event(row.event_id)? {
                        return Ok(Appended::Duplicate { index, existing });
                    }
                }
                let found = self.last_seq()?;
                let expected = rows.first().map_or(found.next(), |r| r.seq);
                Err(StoreError::SeqConflict { expected, found })
            }
            Err(e) => Err(e),
        }
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
        let last = Seq(rows.into_iter().next().map_or(0, |r| r.seq) as u64);
        self.last.set(Some(last));
        Ok(last)
    }

    fn save_snapshot(&mut self, snapshot: &SnapshotRecord) -> Result<(), StoreError> {
        let mut batch: Batch = vec![(sql::DELETE_SNAPSHOT, Vec::new())];
        for (i, piece) in snapshot.pieces.iter().enumerate() {
            let bindings =
                vec![int(i as u64), int(snapshot.seq.0), int(u64::from(snapshot.state_version)), piece.clone().into()];
            batch.push((sql::INSERT_SNAPSHOT_PIECE, bindings));
        }
        self.atomically(batch)
    }

    fn load_snapshot(&self) -> Result<Option<SnapshotRecord>, StoreError> {
        let rows: Vec<PieceRow> =
            self.sql.exec(sql::SELECT_SNAPSHOT, None).and_then(|c| c.to_array()).map_err(backend)?;
        let Some(first) = rows.first() else { return Ok(None) };
        let (seq, state_version) = (Seq(first.seq as u64), first.state_version as u32);
        Ok(Some(SnapshotRecord { seq, state_version, pieces: rows.into_iter().map(|r| r.body).collect() }))
    }
}
