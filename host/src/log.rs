//! Log budgets: how many lines a user (or an address, or anyone not yet
//! authenticated) may put in the log, so that no client can flood it.
//!
//! A [`LogBudget`] is a token bucket of lines, fed by the time that comes in
//! with each line (no clock, no floating point): [`LOG_LINES_PER_S`]
//! sustained, [`LOG_BURST`] at once. A line over it is not written but
//! counted, and the count is handed back with a line that fits, at most once
//! per [`SUMMARY_MS`], so the log says how much it left out without a
//! summary line for every line it keeps. [`Host`](crate::Host) keeps one per
//! user for its reports; [`AccessLog`] keeps one per key (a user, or
//! [`ANONYMOUS`]) for the per-request lines a transport writes.
//!
//! With lines of at most a few hundred bytes, one key costs a few KiB of log
//! per second, however fast its client sends.

use alloc::collections::BTreeMap;
use alloc::string::String;

use microcos_core::Timestamp;

/// Lines one key may write per second, sustained.
pub const LOG_LINES_PER_S: u64 = 10;
/// Lines one key may write at once before [`LOG_LINES_PER_S`] applies.
pub const LOG_BURST: u64 = 50;
/// How often, at most, a budget hands back the count of lines it left out.
pub const SUMMARY_MS: u64 = 10_000;
/// The most keys an [`AccessLog`] tracks. Past it, the keys whose budget is
/// whole again are forgotten (they have been quiet for
/// `LOG_BURST / LOG_LINES_PER_S` seconds); if none is, new keys share one
/// budget until some are.
pub const ACCESS_LOG_KEYS: usize = 4096;
/// The key of requests that name no user (refused before authentication).
pub const ANONYMOUS: &str = "-";

/// A token bucket of log lines (see the module's documentation).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct LogBudget {
    /// Thousandths of a line.
    milli: u64,
    at: Option<Timestamp>,
    suppressed: u64,
    /// When the count of left-out lines was last handed back.
    summarised: Option<Timestamp>,
}

impl LogBudget {
    /// A whole budget.
    pub const fn new() -> Self {
        LogBudget { milli: 0, at: None, suppressed: 0, summarised: None }
    }

    /// Whether one more line fits at `now`: `Some(n)` when it does, where
    /// `n` lines were left out and not yet said (say so first: `n` is
    /// non-zero at most once per [`SUMMARY_MS`]); `None` when it does not
    /// (it is counted).
    pub fn admit(&mut self, now: Timestamp) -> Option<u64> {
        let cap = LOG_BURST * 1000;
        let elapsed = self.at.map_or(u64::MAX, |at| now.0.saturating_sub(at.0));
        self.milli = self.milli.saturating_add(elapsed.saturating_mul(LOG_LINES_PER_S)).min(cap);
        self.at = Some(self.at.map_or(now, |at| at.max(now)));
        if self.milli < 1000 {
            self.suppressed += 1;
            return None;
        }
        self.milli -= 1000;
        let due = self.summarised.is_none_or(|at| now.0.saturating_sub(at.0) >= SUMMARY_MS);
        if self.suppressed == 0 || !due {
            return Some(0);
        }
        self.summarised = Some(now);
        Some(core::mem::take(&mut self.suppressed))
    }

    /// Whether the budget is whole again at `now`, with nothing left
    /// unsaid: forgetting it changes nothing.
    fn is_idle(&self, now: Timestamp) -> bool {
        let elapsed = self.at.map_or(u64::MAX, |at| now.0.saturating_sub(at.0));
        self.suppressed == 0 && self.milli.saturating_add(elapsed.saturating_mul(LOG_LINES_PER_S)) >= LOG_BURST * 1000
    }
}

/// Budgets for per-request log lines, one per key (see the module's
/// documentation), at most [`ACCESS_LOG_KEYS`] of them.
#[derive(Clone, Debug, Default)]
pub struct AccessLog {
    budgets: BTreeMap<String, LogBudget>,
    /// The budget new keys share while `budgets` is full.
    overflow: LogBudget,
}

impl AccessLog {
    /// An empty log.
    pub const fn new() -> Self {
        AccessLog { budgets: BTreeMap::new(), overflow: LogBudget::new() }
    }

    /// Whether one more line for `key` fits at `now` ([`LogBudget::admit`]).
    pub fn admit(&mut self, key: &str, now: Timestamp) -> Option<u64> {
        if let Some(budget) = self.budgets.get_mut(key) {
            return budget.admit(now);
        }
        if self.budgets.len() >= ACCESS_LOG_KEYS {
            self.budgets.retain(|_, b| !b.is_idle(now));
        }
        if self.budgets.len() >= ACCESS_LOG_KEYS {
            return self.overflow.admit(now);
        }
        self.budgets.entry(String::from(key)).or_default().admit(now)
    }

    /// How many keys it tracks.
    pub fn len(&self) -> usize {
        self.budgets.len()
    }

    /// Whether it tracks none.
    pub fn is_empty(&self) -> bool {
        self.budgets.is_empty()
    }
}

/// How much a [`Line`] matters.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Level {
    /// What happened.
    Info,
    /// Something an operator may want to look at (a failed model call).
    Warn,
    /// Something an operator must act on.
    Error,
}

impl Level {
    /// `info`, `warn`, `error`.
    pub const fn as_str(self) -> &'static str {
        match self {
            Level::Info => "info",
            Level::Warn => "warn",
            Level::Error => "error",
        }
    }
}

/// One structured log line, for a transport that writes JSON lines itself
/// (the Worker: Workers Logs indexes their fields). `{"level","msg",…}`
/// with the same messages and field names as the local service's lines.
#[derive(Clone, Debug, PartialEq)]
pub struct Line {
    /// Its level.
    pub level: Level,
    fields: serde_json::Map<String, serde_json::Value>,
}

impl Line {
    /// A line saying `msg`.
    pub fn new(level: Level, msg: &str) -> Line {
        let mut fields = serde_json::Map::new();
        fields.insert("level".into(), level.as_str().into());
        fields.insert("msg".into(), msg.into());
        Line { level, fields }
    }

    /// With one more field (a `None` is left out).
    pub fn field(mut self, name: &str, value: impl Into<serde_json::Value>) -> Line {
        let value = value.into();
        if !value.is_null() {
            self.fields.insert(name.into(), value);
        }
        self
    }

    /// A field's value.
    pub fn get(&self, name: &str) -> Option<&serde_json::Value> {
        self.fields.get(name)
    }

    /// The line as one JSON object.
    pub fn to_json(&self) -> String {
        serde_json::to_string(&self.fields).unwrap_or_default()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use alloc::format;

    #[test]
    fn a_failed_model_call_is_a_warning_line_with_its_code_and_reason() {
        use microcos_core::{uuid::Uuid, FailureCode, OperationId};
        let operation_id = OperationId(Uuid::from_u128(7));
        let report = crate::host::Report::LlmFailed {
            operation_id,
            attempt: 2,
            code: FailureCode::MalformedOutput,
            message: "expected value at line 1",
            terminal: false,
        };
        let line = report.line().field("user", "alice").field("absent", None::<u64>);
        assert_eq!(line.level, Level::Warn);
        let json: serde_json::Value = serde_json::from_str(&line.to_json()).unwrap();
        assert_eq!(
            json,
            serde_json::json!({"level":"warn","msg":"llm.failed","operation_id":format!("{operation_id}"),"attempt":2,
                "code":"malformed_output","reason":"expected value at line 1","terminal":false,"user":"alice"})
        );
    }

    #[test]
    fn a_flood_writes_its_burst_then_the_sustained_rate_and_says_how_much_it_left_out() {
        let mut budget = LogBudget::default();
        let (mut written, mut said_left_out, mut summaries) = (0, 0, 0);
        // 1,000 lines a second for 30 s.
        for ms in 0..30_000u64 {
            if let Some(left_out) = budget.admit(Timestamp(1_000_000 + ms)) {
                written += 1;
                said_left_out += left_out;
                summaries += u64::from(left_out > 0);
            }
        }
        let sustained = LOG_LINES_PER_S * 30;
        assert!((LOG_BURST + sustained - 1..=LOG_BURST + sustained).contains(&written), "{written}");
        assert_eq!(said_left_out + written + budget.suppressed, 30_000);
        assert!((2..=3).contains(&summaries), "one summary per {SUMMARY_MS} ms, not one per line: {summaries}");
        // Quiet for a while: the next line says how many were left out.
        assert_eq!(budget.admit(Timestamp(1_000_000 + 60_000)), Some(30_000 - written - said_left_out));
        assert_eq!(budget.admit(Timestamp(1_000_000 + 60_001)), Some(0));
    }

    #[test]
    fn each_key_has_its_own_budget_and_the_keys_are_bounded() {
        let mut log = AccessLog::new();
        let now = Timestamp(5_000);
        for _ in 0..LOG_BURST {
            assert_eq!(log.admit("mallory", now), Some(0));
        }
        assert_eq!(log.admit("mallory", now), None);
        assert_eq!(log.admit("alice", now), Some(0), "another user is not silenced by mallory's flood");
        for i in 0..2 * ACCESS_LOG_KEYS {
            log.admit(&format!("u{i}"), now);
        }
        assert!(log.len() <= ACCESS_LOG_KEYS, "{}", log.len());
        // Once every budget is whole again, new keys get their own.
        let later = Timestamp(now.0 + 1_000 * LOG_BURST / LOG_LINES_PER_S);
        assert_eq!(log.admit("newcomer", later), Some(0));
        assert!(log.budgets.contains_key("newcomer"));
    }
}
