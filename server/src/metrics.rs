//! The service's metrics, served at `GET /metrics` on an address of their
//! own (`--metrics-addr`, `MICROCOS_METRICS_ADDR`; off when unset) in the
//! Prometheus text format (0.0.4), or in OpenMetrics text when the scraper
//! asks for it (`Accept: application/openmetrics-text`).
//!
//! Why an address of its own: the API's listener faces clients, possibly
//! the internet, and every path on it goes through the shared edge (the
//! Worker answers the same paths). Metrics are for the operator: they tell
//! how many users are active, how often the model fails and why, and they
//! take no token, as scrapers expect. On a listener of their own they can
//! be bound to loopback or a private interface and firewalled apart, a
//! scrape never competes with clients for the API's connection slots and
//! per-address caps, and the API keeps exactly the Worker's paths.
//!
//! Every label takes a bounded set of values: routes are the API's known
//! paths (`/v1/events`, `/v1/snapshot`, `/v1/stream`, `/healthz`,
//! `/readyz`), `web` for the web app's files and `other` for any other
//! path; methods are the standard ones or `other`; operation kinds are the
//! domain's names (`chat`, `daily_plan`, `summary`, …); statuses and
//! failure codes are the kernel's enums. No label names a user.
//!
//! The metrics, all prefixed `microcos_`. Seconds are wall-clock time.
//!
//! | name | type | labels | what it counts |
//! | --- | --- | --- | --- |
//! | `microcos_http_requests_total` | counter | `method`, `route`, `status` | HTTP requests answered on the API's listener (a stream's upgrade counts once, as 101) |
//! | `microcos_http_request_duration_seconds` | histogram | `method`, `route` | from a request's arrival to its answer (for a stream: to its upgrade) |
//! | `microcos_events_appended_total` | counter | | events written to users' stores (rows of committed appends; a duplicate writes none) |
//! | `microcos_group_commit_flush_duration_seconds` | histogram | | each group-commit flush (`syncfs`); its count is the flushes (`--durability full`) |
//! | `microcos_group_commit_commits_total` | counter | | commits made durable by those flushes (commits per flush: this over the flushes) |
//! | `microcos_actors_live` | gauge | | users served now (actors in the registry, at most `--max-actors`) |
//! | `microcos_actor_stops_total` | counter | `reason` | actors stopped: `idle` (after `--idle-secs`), `evicted` (the least recently used idle one, to make room under `--max-actors`) |
//! | `microcos_subscribers` | gauge | | live streams registered with their users' actors |
//! | `microcos_subscribers_dropped_total` | counter | | streams dropped for falling behind their bound (`--subscriber-bytes`; closed 4000, to resume) |
//! | `microcos_operation_attempts_total` | counter | `kind` | model attempts started (`generation starting`) |
//! | `microcos_operation_retries_total` | counter | `kind` | of those, retries (attempt 2 and later) |
//! | `microcos_operation_failures_total` | counter | `code` | attempts that failed (`llm.failed` stored), by failure code (`provider`, `rate_limited`, `stalled`, `malformed_output`, `interrupted`, …) |
//! | `microcos_operation_attempts_ended_total` | counter | `kind`, `status` | attempts whose stream ended, by where the operation stood after it (`completed`, `retry_scheduled`, `failed`, `cancelled`, …; `unknown` if it was gone) |
//! | `microcos_operations_streaming` | gauge | | model streams running now |
//! | `microcos_operation_first_token_seconds` | histogram | `kind` | from the model call to its first token (attempts with a token) |
//! | `microcos_operation_model_duration_seconds` | histogram | `kind` | from the model call to the end of its stream |
//! | `microcos_operation_tokens_total` | counter | `kind` | tokens the model streamed |
//!
//! The operation metrics come from the host protocol's reports
//! ([`Report`]), seen by the actor's transport
//! ([`microcos_host::Transport::observe`]) before the user's log budget
//! decides whether their line is written, so no fact is lost to it. The
//! Worker writes the same reports as JSON lines (`generation finished`
//! with `kind`, `status`, `tokens`, `first_token_ms`, `duration_ms`;
//! `llm.failed` with `code`), from which the same figures can be derived.

use std::time::Duration;

use microcos_host::Report;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::Histogram;
use prometheus_client::registry::Registry;

/// The content type of the Prometheus text format (0.0.4).
pub const PROMETHEUS_TEXT: &str = prometheus_client::encoding::prometheus_text::CONTENT_TYPE;
/// The content type of OpenMetrics text (1.0.0).
pub const OPENMETRICS_TEXT: &str = "application/openmetrics-text; version=1.0.0; charset=utf-8";

/// The route label of a request path: one of the API's paths, `web` for
/// one of the web app's files (`web_file`), `other` for any other.
pub fn route(path: &str, web_file: bool) -> &'static str {
    match path {
        "/v1/events" => "/v1/events",
        "/v1/snapshot" => "/v1/snapshot",
        "/v1/stream" => "/v1/stream",
        "/healthz" => "/healthz",
        "/readyz" => "/readyz",
        _ if web_file => "web",
        _ => "other",
    }
}

/// The method label: a standard method, or `other`.
pub fn method(method: &str) -> &'static str {
    const METHODS: [&str; 9] = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS", "CONNECT", "TRACE"];
    METHODS.into_iter().find(|m| *m == method).unwrap_or("other")
}

/// Why an actor stopped.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Stop {
    /// Nothing in flight for `--idle-secs`.
    Idle,
    /// The least recently used idle actor, stopped to make room under `--max-actors`.
    Evicted,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RequestLabels {
    method: &'static str,
    route: &'static str,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    method: &'static str,
    route: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReasonLabels {
    reason: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct KindLabels {
    kind: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct CodeLabels {
    code: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct EndLabels {
    kind: String,
    status: &'static str,
}

/// A histogram family whose members share their buckets.
type Histograms<L> = Family<L, Histogram, fn() -> Histogram>;

/// Buckets, in seconds, of an HTTP request's answer.
const REQUEST_BUCKETS: [f64; 13] = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0];
/// Buckets, in seconds, of a flush.
const FLUSH_BUCKETS: [f64; 11] = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0];
/// Buckets, in seconds, of a model's first token.
const FIRST_TOKEN_BUCKETS: [f64; 11] = [0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0];
/// Buckets, in seconds, of a model's whole stream.
const MODEL_BUCKETS: [f64; 11] = [0.1, 0.25, 0.5, 1.0, 2.5, 5.0, 10.0, 30.0, 60.0, 120.0, 300.0];

fn request_histogram() -> Histogram {
    Histogram::new(REQUEST_BUCKETS)
}
fn first_token_histogram() -> Histogram {
    Histogram::new(FIRST_TOKEN_BUCKETS)
}
fn model_histogram() -> Histogram {
    Histogram::new(MODEL_BUCKETS)
}

/// The service's metrics (see the module's documentation): one registry,
/// no global state. The service holds it as an `Arc` in
/// [`crate::actor::Services`]; every part records into it, and
/// [`Metrics::render`] writes it out.
#[derive(Debug)]
pub struct Metrics {
    registry: Registry,
    http_requests: Family<RequestLabels, Counter>,
    http_duration: Histograms<RouteLabels>,
    events_appended: Counter,
    flush_duration: Histogram,
    flushed_commits: Counter,
    actors_live: Gauge,
    actor_stops: Family<ReasonLabels, Counter>,
    subscribers: Gauge,
    subscribers_dropped: Counter,
    attempts: Family<KindLabels, Counter>,
    retries: Family<KindLabels, Counter>,
    failures: Family<CodeLabels, Counter>,
    attempts_ended: Family<EndLabels, Counter>,
    streaming: Gauge,
    first_token: Histograms<KindLabels>,
    model_duration: Histograms<KindLabels>,
    tokens: Family<KindLabels, Counter>,
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    /// Every metric at zero, registered under the prefix `microcos`.
    pub fn new() -> Metrics {
        let mut m = Metrics {
            registry: Registry::with_prefix("microcos"),
            http_requests: Family::default(),
            http_duration: Family::new_with_constructor(request_histogram),
            events_appended: Counter::default(),
            flush_duration: Histogram::new(FLUSH_BUCKETS),
            flushed_commits: Counter::default(),
            actors_live: Gauge::default(),
            actor_stops: Family::default(),
            subscribers: Gauge::default(),
            subscribers_dropped: Counter::default(),
            attempts: Family::default(),
            retries: Family::default(),
            failures: Family::default(),
            attempts_ended: Family::default(),
            streaming: Gauge::default(),
            first_token: Family::new_with_constructor(first_token_histogram),
            model_duration: Family::new_with_constructor(model_histogram),
            tokens: Family::default(),
        };
        let r = &mut m.registry;
        r.register("http_requests", "HTTP requests answered on the API's listener", m.http_requests.clone());
        r.register(
            "http_request_duration_seconds",
            "From a request's arrival to its answer (a stream: to its upgrade)",
            m.http_duration.clone(),
        );
        r.register("events_appended", "Events written to users' stores", m.events_appended.clone());
        r.register(
            "group_commit_flush_duration_seconds",
            "Group-commit flushes (syncfs) and how long each took",
            m.flush_duration.clone(),
        );
        r.register("group_commit_commits", "Commits made durable by group-commit flushes", m.flushed_commits.clone());
        r.register("actors_live", "Users served now (live actors)", m.actors_live.clone());
        r.register("actor_stops", "Actors stopped: idle, or evicted to make room", m.actor_stops.clone());
        r.register("subscribers", "Live streams registered with their users", m.subscribers.clone());
        r.register(
            "subscribers_dropped",
            "Streams dropped for falling behind their bound (closed to resume)",
            m.subscribers_dropped.clone(),
        );
        r.register("operation_attempts", "Model attempts started", m.attempts.clone());
        r.register("operation_retries", "Model attempts after the first (retries)", m.retries.clone());
        r.register("operation_failures", "Attempts that failed (llm.failed), by code", m.failures.clone());
        r.register(
            "operation_attempts_ended",
            "Attempts whose stream ended, by where the operation stood after it",
            m.attempts_ended.clone(),
        );
        r.register("operations_streaming", "Model streams running now", m.streaming.clone());
        r.register("operation_first_token_seconds", "From the model call to its first token", m.first_token.clone());
        r.register(
            "operation_model_duration_seconds",
            "From the model call to the end of its stream",
            m.model_duration.clone(),
        );
        r.register("operation_tokens", "Tokens the model streamed", m.tokens.clone());
        m
    }

    /// The metrics as text: OpenMetrics when `openmetrics`, else the
    /// Prometheus text format; with the content type to answer with.
    pub fn render(&self, openmetrics: bool) -> (&'static str, String) {
        let mut text = String::new();
        // Writing to a String cannot fail.
        if openmetrics {
            let _ = prometheus_client::encoding::text::encode(&mut text, &self.registry);
            (OPENMETRICS_TEXT, text)
        } else {
            let _ = prometheus_client::encoding::prometheus_text::encode(&mut text, &self.registry);
            (PROMETHEUS_TEXT, text)
        }
    }

    /// The value of one series, as rendered in the Prometheus text:
    /// `microcos_events_appended_total`, or with its labels as written,
    /// `microcos_actor_stops_total{reason="idle"}` (for tests and debugging).
    pub fn sample(&self, series: &str) -> Option<f64> {
        find(&self.render(false).1, series)
    }

    /// An HTTP request was answered `status` after `took`
    /// (`method` and `route`: [`method`] and [`route`]).
    pub fn request(&self, method: &'static str, route: &'static str, status: u16, took: Duration) {
        self.http_requests.get_or_create(&RequestLabels { method, route, status }).inc();
        self.http_duration.get_or_create(&RouteLabels { method, route }).observe(took.as_secs_f64());
    }

    /// `rows` events were written to a user's store.
    pub fn appended(&self, rows: usize) {
        self.events_appended.inc_by(rows as u64);
    }

    /// A group-commit flush took `took` and made `commits` commits durable.
    pub fn flushed(&self, took: Duration, commits: u64) {
        self.flush_duration.observe(took.as_secs_f64());
        self.flushed_commits.inc_by(commits);
    }

    /// `live` actors are in the registry now.
    pub fn actors(&self, live: usize) {
        self.actors_live.set(live as i64);
    }

    /// An actor stopped.
    pub fn actor_stopped(&self, why: Stop) {
        let reason = match why {
            Stop::Idle => "idle",
            Stop::Evicted => "evicted",
        };
        self.actor_stops.get_or_create(&ReasonLabels { reason }).inc();
    }

    /// `n` subscribers were registered (negative: `-n` left).
    pub fn subscribers(&self, n: i64) {
        self.subscribers.inc_by(n);
    }

    /// A subscriber fell behind its bound and was dropped.
    pub fn subscriber_dropped(&self) {
        self.subscribers_dropped.inc();
    }

    /// Counts what a host reported of its operations (the other reports
    /// count nothing).
    pub fn report(&self, report: &Report<'_>) {
        match report {
            Report::GenerationStarted { attempt, kind, .. } => {
                let labels = KindLabels { kind: (*kind).to_owned() };
                self.attempts.get_or_create(&labels).inc();
                if *attempt > 1 {
                    self.retries.get_or_create(&labels).inc();
                }
                self.streaming.inc();
            }
            Report::GenerationEnded { kind, tokens, first_token_ms, duration_ms, status, .. } => {
                self.streaming.dec();
                let labels = KindLabels { kind: (*kind).to_owned() };
                let status = status.map_or("unknown", |s| s.as_str());
                self.attempts_ended.get_or_create(&EndLabels { kind: labels.kind.clone(), status }).inc();
                self.tokens.get_or_create(&labels).inc_by(u64::from(*tokens));
                if let Some(ms) = first_token_ms {
                    self.first_token.get_or_create(&labels).observe(seconds(*ms));
                }
                self.model_duration.get_or_create(&labels).observe(seconds(*duration_ms));
            }
            Report::LlmFailed { code, .. } => {
                self.failures.get_or_create(&CodeLabels { code: code.as_str() }).inc();
            }
            _ => {}
        }
    }
}

fn seconds(ms: u64) -> f64 {
    ms as f64 / 1000.0
}

/// The value of `series` (name and labels, as written) in Prometheus text.
fn find(text: &str, series: &str) -> Option<f64> {
    text.lines().find_map(|l| l.strip_prefix(series)?.strip_prefix(' ')?.parse().ok())
}

#[cfg(test)]
mod tests {
    use super::*;
    use microcos_core::{FailureCode, OperationId, OperationStatus};

    /// The value of the sample `name{labels}` in Prometheus text (`labels`
    /// as written, in order; empty for none).
    fn sample(text: &str, name: &str, labels: &str) -> Option<f64> {
        let key = if labels.is_empty() { name.to_owned() } else { format!("{name}{{{labels}}}") };
        find(text, &key)
    }

    #[test]
    fn labels_are_bounded() {
        assert_eq!(route("/v1/events", false), "/v1/events");
        assert_eq!(route("/v1/stream", true), "/v1/stream");
        assert_eq!(route("/app.js", true), "web");
        assert_eq!(route("/app.js", false), "other");
        assert_eq!(route("/v1/events/1", false), "other");
        assert_eq!(route("/wp-login.php", false), "other");
        assert_eq!(method("POST"), "POST");
        assert_eq!(method("BREW"), "other");
    }

    #[test]
    fn every_metric_renders_with_its_type_and_labels() {
        let m = Metrics::new();
        m.request("POST", "/v1/events", 202, Duration::from_millis(3));
        m.request("POST", "/v1/events", 202, Duration::from_millis(30));
        m.request("GET", "other", 404, Duration::from_micros(100));
        m.appended(3);
        m.flushed(Duration::from_millis(2), 5);
        m.actors(2);
        m.actor_stopped(Stop::Idle);
        m.actor_stopped(Stop::Evicted);
        m.subscribers(2);
        m.subscribers(-1);
        m.subscriber_dropped();
        let op = OperationId(microcos_core::uuid::Uuid::nil());
        m.report(&Report::GenerationStarted { operation_id: op, attempt: 1, kind: "chat" });
        m.report(&Report::LlmFailed {
            operation_id: op,
            attempt: 1,
            code: FailureCode::Provider,
            message: "broke",
            terminal: false,
        });
        m.report(&Report::GenerationEnded {
            operation_id: op,
            attempt: 1,
            kind: "chat",
            tokens: 3,
            first_token_ms: Some(40),
            duration_ms: 700,
            status: Some(OperationStatus::RetryScheduled),
        });
        m.report(&Report::GenerationStarted { operation_id: op, attempt: 2, kind: "chat" });
        let (content_type, text) = m.render(false);
        assert_eq!(content_type, "text/plain; version=0.0.4; charset=utf-8");
        let at = |name: &str, labels: &str| {
            sample(&text, name, labels).unwrap_or_else(|| panic!("{name}{{{labels}}} in\n{text}"))
        };
        assert!(text.contains("# TYPE microcos_http_requests_total counter\n"), "{text}");
        assert!(text.contains("# TYPE microcos_http_request_duration_seconds histogram\n"), "{text}");
        assert!(text.contains("# TYPE microcos_actors_live gauge\n"), "{text}");
        assert_eq!(at("microcos_http_requests_total", r#"method="POST",route="/v1/events",status="202""#), 2.0);
        assert_eq!(at("microcos_http_requests_total", r#"method="GET",route="other",status="404""#), 1.0);
        let duration = "microcos_http_request_duration_seconds";
        assert_eq!(at(&format!("{duration}_bucket"), r#"method="POST",route="/v1/events",le="0.005""#), 1.0);
        assert_eq!(at(&format!("{duration}_bucket"), r#"method="POST",route="/v1/events",le="+Inf""#), 2.0);
        assert_eq!(at(&format!("{duration}_count"), r#"method="POST",route="/v1/events""#), 2.0);
        assert!((at(&format!("{duration}_sum"), r#"method="POST",route="/v1/events""#) - 0.033).abs() < 1e-9);
        assert_eq!(at("microcos_events_appended_total", ""), 3.0);
        assert_eq!(at("microcos_group_commit_flush_duration_seconds_count", ""), 1.0);
        assert_eq!(at("microcos_group_commit_commits_total", ""), 5.0);
        assert_eq!(at("microcos_actors_live", ""), 2.0);
        assert_eq!(at("microcos_actor_stops_total", r#"reason="idle""#), 1.0);
        assert_eq!(at("microcos_actor_stops_total", r#"reason="evicted""#), 1.0);
        assert_eq!(at("microcos_subscribers", ""), 1.0);
        assert_eq!(at("microcos_subscribers_dropped_total", ""), 1.0);
        assert_eq!(at("microcos_operation_attempts_total", r#"kind="chat""#), 2.0);
        assert_eq!(at("microcos_operation_retries_total", r#"kind="chat""#), 1.0);
        assert_eq!(at("microcos_operation_failures_total", r#"code="provider""#), 1.0);
        assert_eq!(at("microcos_operation_attempts_ended_total", r#"kind="chat",status="retry_scheduled""#), 1.0);
        assert_eq!(at("microcos_operations_streaming", ""), 1.0, "the second attempt still streams");
        assert_eq!(at("microcos_operation_tokens_total", r#"kind="chat""#), 3.0);
        assert_eq!(at("microcos_operation_first_token_seconds_bucket", r#"kind="chat",le="0.025""#), 0.0);
        assert_eq!(at("microcos_operation_first_token_seconds_bucket", r#"kind="chat",le="0.05""#), 1.0);
        assert_eq!(at("microcos_operation_first_token_seconds_sum", r#"kind="chat""#), 0.04);
        assert_eq!(at("microcos_operation_model_duration_seconds_bucket", r#"kind="chat",le="1""#), 1.0);
        assert_eq!(at("microcos_operation_model_duration_seconds_count", r#"kind="chat""#), 1.0);
        // Every sample line is `name{labels} value` or `name value`, after its HELP and TYPE.
        for line in text.lines().filter(|l| !l.starts_with('#')) {
            let (series, value) = line.rsplit_once(' ').unwrap();
            assert!(series.starts_with("microcos_") && value.parse::<f64>().is_ok(), "{line}");
        }
        let (content_type, open) = m.render(true);
        assert_eq!(content_type, OPENMETRICS_TEXT);
        assert!(open.ends_with("# EOF\n"), "{open}");
        assert!(
            open.contains("# TYPE microcos_http_requests counter\n"),
            "OpenMetrics names the family without _total"
        );
        assert_eq!(sample(&open, "microcos_events_appended_total", ""), Some(3.0));
        assert_eq!(m.sample(r#"microcos_actor_stops_total{reason="idle"}"#), Some(1.0));
        assert_eq!(m.sample("microcos_actor"), None, "a whole series name only");
    }
}
