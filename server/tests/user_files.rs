//! Each user's database file: ids that differ only in case get files that
//! differ in more than case (so a case-insensitive file system keeps them
//! apart), and a data folder written under the old names keeps its users.

#![allow(clippy::unwrap_used)] // helpers of a test crate: a panic is a failed test

use microcos_core::{Timestamp, UserId};
use microcos_host::auth::sign_token;
use microcos_server::service::{start, Running, ServeOptions};
use serde_json::{json, Value};

mod common;
use common::assistant;

struct Service {
    running: Running<microcos_assistant::Assistant>,
    client: reqwest::Client,
}

impl Service {
    async fn start(data: &std::path::Path) -> Self {
        let opts =
            ServeOptions { addr: "127.0.0.1:0".parse().unwrap(), data: data.to_path_buf(), ..ServeOptions::default() };
        Service { running: start(&opts, assistant()).await.unwrap(), client: reqwest::Client::new() }
    }

    fn token(&self, user: &str) -> String {
        let now = microcos_core::Clock::now(&microcos_server::SystemClock);
        sign_token(&self.running.secret, &UserId::parse(user).unwrap(), now, Timestamp(now.0 + 3_600_000))
    }

    async fn create_task(&self, user: &str, title: &str) {
        let r = self
            .client
            .post(format!("http://{}/v1/events", self.running.addr))
            .bearer_auth(self.token(user))
            .header("content-type", "application/json")
            .body(json!({"type": "task.created", "payload": {"title": title}}).to_string())
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 202, "{}", r.text().await.unwrap());
    }

    async fn titles(&self, user: &str) -> Vec<String> {
        let r = self
            .client
            .get(format!("http://{}/v1/snapshot", self.running.addr))
            .bearer_auth(self.token(user))
            .send()
            .await
            .unwrap();
        assert_eq!(r.status(), 200);
        let s: Value = serde_json::from_str(&r.text().await.unwrap()).unwrap();
        s["state"]["tasks"].as_array().unwrap().iter().map(|t| t["title"].as_str().unwrap().to_owned()).collect()
    }

    fn stop(self) {
        self.running.task.abort();
    }
}

fn files(dir: &std::path::Path) -> Vec<String> {
    let mut names: Vec<String> = std::fs::read_dir(dir)
        .unwrap()
        .filter_map(|e| e.ok()?.file_name().into_string().ok())
        .filter(|n| n.ends_with(".sqlite"))
        .collect();
    names.sort();
    names
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn ids_differing_only_in_case_or_naming_a_device_get_their_own_safe_files_and_old_folders_keep_working() {
    let data = std::env::temp_dir().join(format!("microcos-files-{}", uuid::Uuid::new_v4().simple()));
    let service = Service::start(&data).await;
    service.create_task("Alice", "upper").await;
    service.create_task("alice", "lower").await;
    service.create_task("CON", "upper device").await;
    service.create_task("nul", "device").await;
    assert_eq!(service.titles("Alice").await, ["upper"]);
    assert_eq!(service.titles("alice").await, ["lower"]);
    assert_eq!(service.titles("CON").await, ["upper device"]);
    assert_eq!(service.titles("nul").await, ["device"]);
    // No two names equal ignoring case, and none is a device.
    assert_eq!(files(&data.join("users")), ["=nul.sqlite", "^alice.sqlite", "^c^o^n.sqlite", "alice.sqlite"]);
    service.stop();

    // A folder from before: the same database under the id verbatim.
    let old = std::env::temp_dir().join(format!("microcos-files-old-{}", uuid::Uuid::new_v4().simple()));
    std::fs::create_dir_all(old.join("users")).unwrap();
    for companion in ["", "-wal"] {
        let from = data.join(format!("users/^alice.sqlite{companion}"));
        if from.exists() {
            std::fs::copy(from, old.join(format!("users/Alice.sqlite{companion}"))).unwrap();
        }
    }
    let service = Service::start(&old).await;
    assert_eq!(service.titles("Alice").await, ["upper"], "the old file's user keeps its data");
    assert_eq!(files(&old.join("users")), ["^alice.sqlite"]);
    service.stop();
    for dir in [data, old] {
        let _ = std::fs::remove_dir_all(dir);
    }
}
