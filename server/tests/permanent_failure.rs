//! A user whose database is unreadable gets its own error, at once and
//! every time, while everyone else is served and /healthz says so.

use std::time::Duration;

use microcos_core::{Timestamp, UserId};
use microcos_host::auth::sign_token;
use microcos_server::service::{start, ServeOptions};

mod common;
use common::assistant;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_corrupt_user_database_answers_storage_corrupt_and_health_reports_it() {
    let data = std::env::temp_dir().join(format!("microcos-corrupt-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(data.join("users")).unwrap();
    std::fs::write(data.join("users/bob.sqlite"), vec![0x42u8; 8192]).unwrap();
    let opts = ServeOptions { addr: "127.0.0.1:0".parse().unwrap(), data: data.clone(), ..ServeOptions::default() };
    let running = start(&opts, assistant()).await.unwrap();
    let base = format!("http://{}", running.addr);
    let client = reqwest::Client::new();
    let token = |user: &str| {
        // The service bounds lifetimes (30 days by default): an hour from now.
        let now = microcos_core::Clock::now(&microcos_server::SystemClock);
        sign_token(&running.secret, &UserId::parse(user).unwrap(), now, Timestamp(now.0 + 3_600_000))
    };
    let snapshot = |user: &'static str| {
        let request = client.get(format!("{base}/v1/snapshot")).bearer_auth(token(user));
        async move { request.send().await.unwrap() }
    };

    // The failure is found when bob's actor opens his database (at boot).
    let mut answer = None;
    for _ in 0..100 {
        let r = snapshot("bob").await;
        if r.status() == 500 {
            answer = Some(serde_json::from_str::<serde_json::Value>(&r.text().await.unwrap()).unwrap());
            break;
        }
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
    let answer = answer.expect("bob's requests answer 500");
    assert_eq!(answer["error"]["code"], "storage_corrupt");
    // Every time, not a retry that fails again.
    assert_eq!(snapshot("bob").await.status(), 500);
    // Everyone else is served.
    assert_eq!(snapshot("alice").await.status(), 200);
    let health = client.get(format!("{base}/healthz")).send().await.unwrap().text().await.unwrap();
    let health: serde_json::Value = serde_json::from_str(&health).unwrap();
    assert_eq!(health, serde_json::json!({"status": "degraded", "storage_corrupt_users": 1}));
    // The data is left as it was, for the operator.
    assert_eq!(std::fs::read(data.join("users/bob.sqlite")).unwrap(), vec![0x42u8; 8192]);
    running.task.abort();
    let _ = std::fs::remove_dir_all(data);
}
