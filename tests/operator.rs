//! What an operator of the local service relies on (issue 19): JSON log
//! lines that name their user, request and operation; every flag from the
//! environment, listed in `--help`; distinct exit codes; `/readyz`; a
//! shutdown that does not wait on idle keep-alive connections.

mod common;

use std::time::{Duration, Instant};

use common::service::{Service, SECRET};
use microcos_core::UserId;
use serde_json::{json, Value};

#[tokio::test]
async fn json_log_lines_name_their_user_request_and_operation_and_a_failed_call_warns_with_its_reason() {
    let service = Service::start(&["--log-format", "json"], &[("MICROCOS_LOG", "info")]).await;
    let user = UserId::parse(&format!("ops-{}", &uuid::Uuid::new_v4().simple().to_string()[..8])).unwrap();
    let http = reqwest::Client::new();
    let token = service.token(&user);
    // The stand-in breaks a stream whose prompt says [[fail]] once: a failure, then a retry.
    let posted: Value = http
        .post(format!("{}/v1/events", service.base))
        .bearer_auth(&token)
        .header("content-type", "application/json")
        .body(json!({"type":"user.message","payload":{"text":"[[fail]] then answer"}}).to_string())
        .send()
        .await
        .unwrap()
        .text()
        .await
        .map(|t| serde_json::from_str(&t).unwrap())
        .unwrap();
    let op = posted["operation_id"].as_str().unwrap().to_string();
    let deadline = Instant::now() + Duration::from_secs(20);
    loop {
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
        if s["state"]["messages"].as_array().is_some_and(|m| m.len() >= 2) {
            break;
        }
        assert!(Instant::now() < deadline, "no reply: {s}");
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    let (stderr, _) = service.stop().await;
    assert!(!stderr.contains('\u{1b}'), "no ANSI codes when stderr is not a terminal");
    let lines: Vec<Value> = stderr
        .lines()
        .map(|l| serde_json::from_str(l).unwrap_or_else(|e| panic!("not a JSON line ({e}): {l}")))
        .collect();
    let named = |msg: &str| lines.iter().filter(|l| l["msg"] == msg).cloned().collect::<Vec<_>>();
    let failed = named("llm.failed");
    assert_eq!(failed.len(), 1, "{stderr}");
    let f = &failed[0];
    assert_eq!((&f["level"], &f["code"], &f["terminal"]), (&json!("warn"), &json!("provider"), &json!(false)));
    assert!(f["reason"].as_str().is_some_and(|r| !r.is_empty()), "{f}");
    assert_eq!((&f["user"], &f["operation_id"]), (&json!(user.as_str()), &json!(op)), "from the spans: {f}");
    let finished = named("generation finished");
    let done = finished.iter().find(|l| l["status"] == "completed").unwrap_or_else(|| panic!("{finished:?}"));
    assert_eq!(
        (&done["user"], &done["operation_id"], &done["attempt"]),
        (&json!(user.as_str()), &json!(op), &json!(2))
    );
    assert!(done["tokens"].as_u64().unwrap() > 0 && done["first_token_ms"].is_u64(), "{done}");
    let accepted = named("accepted");
    assert!(accepted.iter().any(|l| l["user"] == user.as_str() && l["request_id"].is_string()), "{accepted:?}");
    let requests = named("request");
    assert!(requests.iter().all(|l| l["request_id"].is_string() && l["status"].is_u64()), "{requests:?}");
}

#[tokio::test]
async fn every_flag_reads_the_environment_and_help_lists_the_rest() {
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_microcos")).args(["serve", "--help"]).output().await;
    let help = String::from_utf8(out.unwrap().stdout).unwrap();
    // Each option's text runs from its `--flag` line to the next one.
    let options: Vec<&str> = help.split("\n      --").skip(1).collect();
    assert!(options.len() > 20, "{help}");
    for option in &options {
        let flag = option.split_whitespace().next().unwrap();
        if flag == "help" || flag == "version" {
            continue;
        }
        assert!(option.contains("[env: MICROCOS_"), "--{flag} has no environment variable:\n{option}");
    }
    for var in [
        "MICROCOS_ADDR",
        "MICROCOS_DATA",
        "MICROCOS_SECRET",
        "MICROCOS_LOG ",
        "MICROCOS_LOG_FORMAT",
        "MICROCOS_GROUP_COMMIT",
    ] {
        assert!(help.contains(var), "{var} is not in --help");
    }
    // `microcos token` finds the data folder the service was given the same way.
    let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_microcos")).args(["token", "--help"]).output().await;
    let token_help = String::from_utf8(out.unwrap().stdout).unwrap();
    assert!(token_help.contains("[env: MICROCOS_DATA=]"), "{token_help}");
    assert!(token_help.contains("[env: MICROCOS_TOKEN_TTL_HOURS="), "{token_help}");
}

#[tokio::test]
async fn a_usage_error_exits_2_and_a_failure_while_running_exits_1() {
    let run = |args: Vec<String>| async move {
        let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_microcos"))
            .args(&args)
            .env("MICROCOS_SECRET", SECRET)
            .output()
            .await
            .unwrap();
        (out.status.code(), String::from_utf8_lossy(&out.stderr).into_owned())
    };
    let (code, err) = run(vec!["serve".into(), "--no-such-flag".into()]).await;
    assert_eq!(code, Some(2), "{err}");
    let (code, err) = run(vec!["token".into(), "not a user!".into()]).await;
    assert_eq!(code, Some(2), "{err}");
    // The address is taken: the service cannot start.
    let taken = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let data = std::env::temp_dir().join(format!("microcos-operator-{}", uuid::Uuid::new_v4().simple()));
    let addr = taken.local_addr().unwrap().to_string();
    let (code, err) =
        run(vec!["serve".into(), "--addr".into(), addr, "--data".into(), data.display().to_string()]).await;
    assert_eq!(code, Some(1), "{err}");
    assert!(err.contains("cannot start"), "{err}");
    let _ = std::fs::remove_dir_all(data);
}

#[tokio::test]
async fn readyz_turns_503_on_sigterm_and_an_idle_keep_alive_connection_does_not_hold_the_shutdown() {
    let service = Service::start(&["--drain-secs", "1"], &[]).await;
    let base = service.base.clone();
    // One client, one keep-alive connection, idle after its answer.
    let http = reqwest::Client::builder().pool_idle_timeout(Duration::from_secs(60)).build().unwrap();
    let ready = http.get(format!("{base}/readyz")).send().await.unwrap();
    assert_eq!(ready.status(), 200);
    assert_eq!(serde_json::from_str::<Value>(&ready.text().await.unwrap()).unwrap(), json!({"status":"ready"}));
    let pid = service.child.id().unwrap().to_string();
    let stopping = tokio::spawn(service.stop());
    // While it drains, it still answers, and says it is not ready.
    let deadline = Instant::now() + Duration::from_millis(900);
    let mut draining = false;
    while Instant::now() < deadline && !draining {
        tokio::time::sleep(Duration::from_millis(50)).await;
        if let Ok(r) = http.get(format!("{base}/readyz")).send().await {
            draining = r.status() == 503;
        }
    }
    assert!(draining, "/readyz says 503 while draining (pid {pid})");
    let (_, took) = stopping.await.unwrap();
    // The drain delay (1 s), then at once: the idle connection is closed, not waited for (5 s).
    assert!(took < Duration::from_millis(3_500), "shutdown took {took:?}");
}

#[tokio::test]
async fn operations_lists_what_is_in_flight_across_users_oldest_first_and_writes_nothing() {
    let mut service = Service::start(&["--token-delay-ms", "300"], &[]).await;
    let http = reqwest::Client::new();
    let mut users = Vec::new();
    for name in ["first", "second"] {
        let user = UserId::parse(&format!("{name}-{}", &uuid::Uuid::new_v4().simple().to_string()[..8])).unwrap();
        let r = http
            .post(format!("{}/v1/events", service.base))
            .bearer_auth(service.token(&user))
            .header("content-type", "application/json")
            .body(json!({"type":"user.message","payload":{"text":"Tell me a long story"}}).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202);
        users.push(user);
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    // Stopped mid-reply (nothing graceful): both operations stay in flight on disk.
    tokio::time::sleep(Duration::from_millis(400)).await;
    service.child.kill().await.unwrap();
    let survey = |json: bool| {
        let data = service.data.clone();
        async move {
            let mut args = vec!["operations".to_string(), "--data".into(), data.display().to_string()];
            if json {
                args.push("--json".into());
            }
            let out = tokio::process::Command::new(env!("CARGO_BIN_EXE_microcos")).args(&args).output().await.unwrap();
            assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));
            String::from_utf8(out.stdout).unwrap()
        }
    };
    let table = survey(false).await;
    assert!(table.contains("2 in flight across 2 users"), "{table}");
    let rows: Vec<&str> = table.lines().skip(1).take(2).collect();
    assert!(rows[0].contains(users[0].as_str()) && rows[1].contains(users[1].as_str()), "oldest first:\n{table}");
    assert!(rows.iter().all(|r| r.contains("chat") && r.contains("streaming")), "{table}");
    let lines: Vec<Value> = survey(true).await.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
    assert_eq!(lines.len(), 2);
    assert_eq!(
        (&lines[0]["user"], &lines[0]["kind"], &lines[0]["status"]),
        (&json!(users[0].as_str()), &json!("chat"), &json!("streaming"))
    );
    // Read only: the interrupted operations are not failed by reading them.
    assert!(survey(false).await.contains("streaming"), "still in flight");
    let _ = std::fs::remove_dir_all(&service.data);
}
