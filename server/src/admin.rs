//! `microcos operations`: the model operations in flight across every user of
//! a data folder, oldest first, for an operator looking for a stuck one
//! without knowing whose it is. It reads each user's database (the latest
//! snapshot and the log tail, [`microcos_core::read_state`]) and
//! writes nothing, so it may run beside the service.

use std::path::Path;

use microcos_core::{decode_row, read_state};
use microcos_core::{Config, Domain, FailureCode, OperationId, OperationStatus, Store, Timestamp, UserId};
use serde::Serialize;

use crate::store::{stored_users, user_database, Durability, SqliteStore};

/// One operation not finished.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InFlight {
    /// Whose.
    pub user: UserId,
    /// Its id.
    pub operation_id: OperationId,
    /// The domain's kind (`chat`, `daily_plan`).
    pub kind: &'static str,
    /// Pending, streaming or waiting for a retry.
    pub status: OperationStatus,
    /// The current (or last) attempt.
    pub attempt: u32,
    /// Tokens of the current attempt stored so far.
    pub tokens: u32,
    /// When the event that asked for it was stored.
    pub requested_at: Timestamp,
    /// When the next attempt starts, if one is scheduled.
    pub retry_at: Option<Timestamp>,
    /// Why the last attempt failed.
    pub last_failure: Option<FailureCode>,
}

/// What [`operations_in_flight`] found.
#[derive(Debug, Default)]
pub struct Survey {
    /// Every operation in flight, oldest request first.
    pub operations: Vec<InFlight>,
    /// Users read.
    pub users: usize,
    /// Users whose database could not be read, with why.
    pub unreadable: Vec<(UserId, String)>,
}

/// The operations in flight of every user stored in `data` (the service's
/// data folder), read with `domain` and `config`.
pub fn operations_in_flight<D: Domain>(data: &Path, domain: &D, config: &Config) -> Survey {
    let users_dir = data.join("users");
    let mut survey = Survey::default();
    for user in stored_users(&users_dir) {
        survey.users += 1;
        match user_operations(&users_dir, &user, domain, config) {
            Ok(ops) => survey.operations.extend(ops),
            Err(e) => survey.unreadable.push((user, e)),
        }
    }
    survey.operations.sort_by_key(|o| (o.requested_at, o.user.clone(), o.operation_id));
    survey
}

fn user_operations<D: Domain>(
    users_dir: &Path,
    user: &UserId,
    domain: &D,
    config: &Config,
) -> Result<Vec<InFlight>, String> {
    let path = user_database(users_dir, user).map_err(|e| e.to_string())?;
    let store = SqliteStore::open(&path, Durability::Normal).map_err(|e| e.to_string())?;
    let state = read_state(user.clone(), config.clone(), domain.clone(), &store).map_err(|e| e.to_string())?;
    let mut out = Vec::new();
    for o in state.operations_in_flight() {
        let requested_at = match store.read_at(o.request_seq).map_err(|e| e.to_string())? {
            Some(row) => decode_row::<D::Event>(&row).map_err(|e| e.to_string())?.timestamp,
            None => Timestamp(0),
        };
        out.push(InFlight {
            user: user.clone(),
            operation_id: o.operation_id,
            kind: microcos_core::OperationInput::kind(&o.input),
            status: o.status,
            attempt: o.attempt,
            tokens: o.tokens,
            requested_at,
            retry_at: o.retry_at,
            last_failure: o.last_failure,
        });
    }
    Ok(out)
}

/// `3d4h`, `2h05m`, `12m30s`, `45s`: how long ago `then` was at `now`.
pub fn age(then: Timestamp, now: Timestamp) -> String {
    let s = now.0.saturating_sub(then.0) / 1000;
    match s {
        0..60 => format!("{s}s"),
        60..3_600 => format!("{}m{:02}s", s / 60, s % 60),
        3_600..86_400 => format!("{}h{:02}m", s / 3_600, s / 60 % 60),
        _ => format!("{}d{}h", s / 86_400, s / 3_600 % 24),
    }
}

/// The survey as a table, one operation a line, oldest first.
pub fn table(survey: &Survey, now: Timestamp) -> String {
    let mut out = format!(
        "{:<8} {:<24} {:<36} {:<14} {:<15} {:>7} {:>6}  {}\n",
        "AGE", "USER", "OPERATION", "KIND", "STATUS", "ATTEMPT", "TOKENS", "LAST FAILURE"
    );
    for o in &survey.operations {
        out.push_str(&format!(
            "{:<8} {:<24} {:<36} {:<14} {:<15} {:>7} {:>6}  {}\n",
            age(o.requested_at, now),
            o.user.as_str(),
            o.operation_id.to_string(),
            o.kind,
            o.status.as_str(),
            o.attempt,
            o.tokens,
            o.last_failure.map_or("-", FailureCode::as_str),
        ));
    }
    out.push_str(&format!("{} in flight across {} users", survey.operations.len(), survey.users));
    if !survey.unreadable.is_empty() {
        out.push_str(&format!("; {} unreadable:", survey.unreadable.len()));
        for (user, why) in &survey.unreadable {
            out.push_str(&format!("\n  {}: {why}", user.as_str()));
        }
    }
    out.push('\n');
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ages_read_at_a_glance() {
        let t = |s: u64| age(Timestamp(1_000_000), Timestamp(1_000_000 + s * 1000));
        assert_eq!(
            [t(0), t(59), t(61), t(3_599), t(3_600 + 300), t(86_400 * 3 + 3_600 * 4)],
            ["0s", "59s", "1m01s", "59m59s", "1h05m", "3d4h"]
        );
        assert_eq!(age(Timestamp(5), Timestamp(1)), "0s", "a clock behind is no age");
    }
}
