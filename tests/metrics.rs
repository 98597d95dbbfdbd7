//! `GET /metrics` of the local service (issue 19, part 4), from outside: the
//! `microcos` binary started with `--metrics-addr`, driven over HTTP and a
//! WebSocket, and its counters, gauges and histograms read back, each moved
//! by exactly what was done. More events than the user's log budget holds
//! are posted first, so the operation metrics are shown exact while some of
//! their log lines are left out.

mod common;

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use common::service::Service;
use microcos_core::UserId;
use serde_json::{json, Value};

/// One scrape: every sample, by its series (`name{labels}` as written).
struct Scrape(BTreeMap<String, f64>);

impl Scrape {
    fn parse(text: &str) -> Scrape {
        let samples = text
            .lines()
            .filter(|l| !l.starts_with('#') && !l.is_empty())
            .map(|l| {
                let (series, value) = l.rsplit_once(' ').unwrap_or_else(|| panic!("not a sample: {l}"));
                (series.to_string(), value.parse().unwrap_or_else(|_| panic!("not a number: {l}")))
            })
            .collect();
        Scrape(samples)
    }

    /// The value of a series; 0 when absent (a labelled series appears on first use).
    fn get(&self, series: &str) -> f64 {
        self.0.get(series).copied().unwrap_or(0.0)
    }

    /// The sum over the series of `name` whose labels include every one of `labels`.
    fn sum(&self, name: &str, labels: &[&str]) -> f64 {
        self.0
            .iter()
            .filter(|(series, _)| {
                series.strip_prefix(name).is_some_and(|rest| rest.starts_with('{') || rest.is_empty())
                    && labels.iter().all(|l| series.contains(l))
            })
            .map(|(_, v)| v)
            .sum()
    }
}

async fn scrape(http: &reqwest::Client, service: &Service) -> Scrape {
    let response = http.get(service.metrics.as_deref().unwrap()).send().await.unwrap();
    assert_eq!(response.status(), 200);
    assert_eq!(response.headers()["content-type"], "text/plain; version=0.0.4; charset=utf-8");
    Scrape::parse(&response.text().await.unwrap())
}

/// Scrapes until `done` holds (20 s at most).
async fn scrape_until(http: &reqwest::Client, service: &Service, what: &str, done: impl Fn(&Scrape) -> bool) -> Scrape {
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
        let s = scrape(http, service).await;
        if done(&s) {
            return s;
        }
        assert!(Instant::now() < deadline, "timed out waiting for {what}: {:?}", s.0);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
}

fn chat(series: &str) -> String {
    format!(r#"{series}{{kind="chat"}}"#)
}

#[tokio::test]
async fn metrics_count_requests_events_operations_streams_and_actors_exactly() {
    // No rate limit: the burst below outruns the user's log budget, not its request rate.
    let service = Service::start(
        &["--metrics-addr", "127.0.0.1:0", "--rate-per-s", "0", "--token-delay-ms", "1"],
        &[("MICROCOS_LOG", "info")],
    )
    .await;
    let http = reqwest::Client::new();
    let user = UserId::parse(&format!("metrics-{}", &uuid::Uuid::new_v4().simple().to_string()[..8])).unwrap();
    let token = service.token(&user);

    let before = scrape(&http, &service).await;
    assert_eq!(before.get("microcos_events_appended_total"), 0.0);
    assert_eq!(before.get("microcos_actors_live"), 0.0);
    assert_eq!(before.sum("microcos_http_requests_total", &[]), 0.0, "scrapes are not API requests");
    // The metrics listener serves /metrics only.
    let elsewhere =
        http.get(service.metrics.as_deref().unwrap().replace("/metrics", "/v1/snapshot")).send().await.unwrap();
    assert_eq!(elsewhere.status(), 404);
    // OpenMetrics for a scraper that asks for it.
    let open = http
        .get(service.metrics.as_deref().unwrap())
        .header("accept", "application/openmetrics-text; version=1.0.0")
        .send();
    let open = open.await.unwrap();
    assert!(open.headers()["content-type"].to_str().unwrap().starts_with("application/openmetrics-text"));
    assert!(open.text().await.unwrap().ends_with("# EOF\n"));

    // More client events than the log budget's burst (50 lines): their
    // `accepted` lines spend it, so lines of the operation below are left out.
    const TASKS: usize = 80;
    for i in 0..TASKS {
        let body = json!({"type":"task.created","payload":{"title":format!("task {i}")}}).to_string();
        let posted = http
            .post(format!("{}/v1/events", service.base))
            .bearer_auth(&token)
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .unwrap();
        assert_eq!(posted.status(), 202);
    }
    // The stand-in breaks the first stream of a message saying [[fail]]: a
    // failure (provider), then a retry that completes.
    let posted = http
        .post(format!("{}/v1/events", service.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(json!({"type":"user.message","payload":{"text":"[[fail]] then answer"}}).to_string())
        .send()
        .await
        .unwrap();
    assert_eq!(posted.status(), 202);
    let mut snapshots = 0;
    let deadline = Instant::now() + Duration::from_secs(20);
    let snapshot = loop {
        let s: Value = http
            .get(format!("{}/v1/snapshot", service.base))
            .bearer_auth(&token)
            .send()
            .await
            .unwrap()
            .text()
            .await
            .map(|t| serde_json::from_str(&t).unwrap())
            .unwrap();
        snapshots += 1;
        if s["state"]["messages"].as_array().is_some_and(|m| m.len() >= 2) {
            break s;
        }
        assert!(Instant::now() < deadline, "no reply: {s}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    };
    let reply = snapshot["state"]["messages"][1]["text"].as_str().unwrap().to_string();

    // Operations: two attempts of the chat, one a retry; one failure, code provider.
    let m = scrape_until(&http, &service, "both attempts to end", |s| {
        s.sum("microcos_operation_attempts_ended_total", &[r#"kind="chat""#]) == 2.0
    })
    .await;
    assert_eq!(m.get(&chat("microcos_operation_attempts_total")), 2.0);
    assert_eq!(m.get(&chat("microcos_operation_retries_total")), 1.0);
    assert_eq!(m.get(r#"microcos_operation_failures_total{code="provider"}"#), 1.0);
    assert_eq!(m.sum("microcos_operation_failures_total", &[]), 1.0, "no other failure");
    assert_eq!(m.get(r#"microcos_operation_attempts_ended_total{kind="chat",status="retry_scheduled"}"#), 1.0);
    assert_eq!(m.get(r#"microcos_operation_attempts_ended_total{kind="chat",status="completed"}"#), 1.0);
    // Both attempts streamed tokens: the first broke after three, the second is the reply.
    assert_eq!(m.get(&chat("microcos_operation_first_token_seconds_count")), 2.0);
    assert_eq!(m.get(r#"microcos_operation_first_token_seconds_bucket{kind="chat",le="+Inf"}"#), 2.0);
    assert!(m.get(&chat("microcos_operation_first_token_seconds_sum")) > 0.0);
    assert_eq!(m.get(&chat("microcos_operation_model_duration_seconds_count")), 2.0);
    let tokens = m.get(&chat("microcos_operation_tokens_total"));
    assert!(tokens > 3.0 && tokens <= 3.0 + reply.len() as f64, "{tokens} tokens for a reply of {reply:?}");
    // Every attempt was counted, though the log budget left lines out.
    let attempts_streaming = m.get("microcos_operations_streaming");
    assert_eq!(
        attempts_streaming,
        m.sum("microcos_operation_attempts_total", &[]) - m.sum("microcos_operation_attempts_ended_total", &[])
    );

    // Events: every row the user's store holds, counted once (its last seq;
    // read again until no follow-up job is still writing).
    let deadline = Instant::now() + Duration::from_secs(20);
    let (seq, m) = loop {
        let seq = |s: Value| s["seq"].as_u64().unwrap();
        let get = || async {
            let r = http.get(format!("{}/v1/snapshot", service.base)).bearer_auth(&token).send().await.unwrap();
            serde_json::from_str::<Value>(&r.text().await.unwrap()).unwrap()
        };
        let first = seq(get().await);
        let m = scrape(&http, &service).await;
        let again = seq(get().await);
        snapshots += 2;
        if first == again {
            break (first, m);
        }
        assert!(Instant::now() < deadline, "the log kept growing");
    };
    assert!(seq as usize > TASKS + 1, "tasks, the message, and the operation's events: {seq}");
    assert_eq!(m.get("microcos_events_appended_total"), seq as f64);

    // Requests, by route and status.
    let events_202 = r#"microcos_http_requests_total{method="POST",route="/v1/events",status="202"}"#;
    assert_eq!(m.get(events_202), (TASKS + 1) as f64);
    let snapshot_200 = r#"microcos_http_requests_total{method="GET",route="/v1/snapshot",status="200"}"#;
    // All but the last snapshot, read after that scrape.
    assert_eq!(m.get(snapshot_200), f64::from(snapshots - 1));
    let duration = r#"microcos_http_request_duration_seconds_count{method="POST",route="/v1/events"}"#;
    assert_eq!(m.get(duration), (TASKS + 1) as f64);
    let inf = r#"microcos_http_request_duration_seconds_bucket{method="POST",route="/v1/events",le="+Inf"}"#;
    assert_eq!(m.get(inf), (TASKS + 1) as f64);
    assert_eq!(m.get("microcos_actors_live"), 1.0, "one user served");

    // Other routes: each path maps to a known route or `other`, the web app's files to `web`.
    let script = microcos::WEB_FILES.iter().map(|(name, _)| format!("/{name}")).find(|n| n.ends_with(".js")).unwrap();
    for (path, status) in [("/healthz", 200), ("/readyz", 200), ("/", 200), (&*script, 200), ("/no/such/path", 404)] {
        let r = http.get(format!("{}{path}", service.base)).send().await.unwrap();
        assert_eq!(r.status(), status, "{path}");
    }
    let unauthorized = http.get(format!("{}/v1/snapshot", service.base)).send().await.unwrap();
    assert_eq!(unauthorized.status(), 401);
    let m = scrape(&http, &service).await;
    for (route, status, n) in [("/healthz", 200, 1.0), ("/readyz", 200, 1.0), ("web", 200, 2.0), ("other", 404, 1.0)] {
        let series = format!(r#"microcos_http_requests_total{{method="GET",route="{route}",status="{status}"}}"#);
        assert_eq!(m.get(&series), n, "{series}");
    }
    assert_eq!(m.get(r#"microcos_http_requests_total{method="GET",route="/v1/snapshot",status="401"}"#), 1.0);
    assert!(!m.0.keys().any(|k| k.contains("no/such")), "paths do not become labels");

    // A stream: a subscriber while it is open, none once it closed.
    let ws = {
        use tokio_tungstenite::tungstenite::client::IntoClientRequest;
        let url = format!("{}/v1/stream?after={seq}", service.base.replacen("http", "ws", 1));
        let mut request = url.into_client_request().unwrap();
        let offered = format!("microcos, bearer.{token}");
        request.headers_mut().insert("sec-websocket-protocol", offered.parse().unwrap());
        tokio_tungstenite::connect_async(request).await.expect("websocket").0
    };
    let m = scrape_until(&http, &service, "the subscriber", |s| s.get("microcos_subscribers") == 1.0).await;
    assert_eq!(m.get(r#"microcos_http_requests_total{method="GET",route="/v1/stream",status="101"}"#), 1.0);
    drop(ws);
    scrape_until(&http, &service, "the subscriber to leave", |s| s.get("microcos_subscribers") == 0.0).await;
    let m = scrape(&http, &service).await;
    assert_eq!(m.get("microcos_subscribers_dropped_total"), 0.0, "it left; it was not dropped for falling behind");

    let (stderr, _) = service.stop().await;
    assert!(stderr.contains("log lines suppressed"), "the log budget was spent: {stderr}");
}

#[tokio::test]
async fn actors_are_counted_live_evicted_and_stopped_when_idle() {
    // One live user at a time: a second one takes the first one's place.
    let service = Service::start(
        &["--metrics-addr", "127.0.0.1:0", "--max-actors", "1", "--idle-secs", "1"],
        &[("MICROCOS_LOG", "info")],
    )
    .await;
    let http = reqwest::Client::new();
    let snapshot = |user: &str| {
        let token = service.token(&UserId::parse(user).unwrap());
        http.get(format!("{}/v1/snapshot", service.base)).bearer_auth(token).send()
    };
    assert_eq!(snapshot("metrics-a").await.unwrap().status(), 200);
    let m = scrape(&http, &service).await;
    assert_eq!(m.get("microcos_actors_live"), 1.0);
    assert_eq!(snapshot("metrics-b").await.unwrap().status(), 200);
    let m = scrape(&http, &service).await;
    assert_eq!(m.get("microcos_actors_live"), 1.0, "at most --max-actors");
    assert_eq!(m.get(r#"microcos_actor_stops_total{reason="evicted"}"#), 1.0);
    assert_eq!(m.get(r#"microcos_actor_stops_total{reason="idle"}"#), 0.0);
    let m = scrape_until(&http, &service, "the idle stop", |s| s.get("microcos_actors_live") == 0.0).await;
    assert_eq!(m.get(r#"microcos_actor_stops_total{reason="idle"}"#), 1.0);
    assert_eq!(m.get(r#"microcos_actor_stops_total{reason="evicted"}"#), 1.0);
    service.stop().await;
}
