//! The `microcos` binary as a test's own service: started on free ports with
//! a fresh data folder, stopped with SIGTERM (what an operator sends).

use std::process::Stdio;
use std::time::{Duration, Instant};

use microcos_core::{Timestamp, UserId};
use microcos_host::auth::sign_token;
use tokio::io::{AsyncBufReadExt, AsyncReadExt, BufReader};

/// The secret every such service signs with.
pub const SECRET: &str = "service-secret-0123456789-abcdefghijklmn";

/// Milliseconds since the epoch.
pub fn now_ms() -> u64 {
    std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).unwrap().as_millis() as u64
}

/// A running `microcos serve`.
pub struct Service {
    pub child: tokio::process::Child,
    /// `http://ADDR`.
    pub base: String,
    /// `http://ADDR/metrics`, when started with `--metrics-addr`.
    pub metrics: Option<String>,
    pub data: std::path::PathBuf,
}

impl Service {
    /// `microcos serve --addr 127.0.0.1:0 --durability normal --data <fresh>` plus `args`, with `env`.
    pub async fn start(args: &[&str], env: &[(&str, &str)]) -> Service {
        let data = std::env::temp_dir().join(format!("microcos-test-{}", uuid::Uuid::new_v4().simple()));
        let mut child = tokio::process::Command::new(env!("CARGO_BIN_EXE_microcos"))
            .args(["serve", "--addr", "127.0.0.1:0", "--durability", "normal", "--data"])
            .arg(&data)
            .args(args)
            .env("MICROCOS_SECRET", SECRET)
            .envs(env.iter().copied())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .kill_on_drop(true)
            .spawn()
            .expect("start microcos");
        let mut lines = BufReader::new(child.stdout.take().unwrap()).lines();
        let mut next =
            async || tokio::time::timeout(Duration::from_secs(20), lines.next_line()).await.unwrap().unwrap().unwrap();
        let first = next().await;
        let base = first.strip_prefix("microcos listening on ").expect("the first line names the URL").to_string();
        let metrics = match args.contains(&"--metrics-addr") {
            true => {
                let second = next().await;
                Some(second.strip_prefix("metrics on ").expect("the second line names the metrics").to_string())
            }
            false => None,
        };
        tokio::spawn(async move { while let Ok(Some(_)) = lines.next_line().await {} });
        Service { child, base, metrics, data }
    }

    /// A token for `user`, valid for an hour.
    pub fn token(&self, user: &UserId) -> String {
        sign_token(SECRET.as_bytes(), user, Timestamp(now_ms()), Timestamp(now_ms() + 3_600_000))
    }

    /// Stops it with SIGTERM: what it wrote to stderr, and how long it took to exit (cleanly: 0).
    pub async fn stop(mut self) -> (String, Duration) {
        let pid = self.child.id().expect("running").to_string();
        let mut stderr = self.child.stderr.take().unwrap();
        let read = tokio::spawn(async move {
            let mut text = String::new();
            let _ = stderr.read_to_string(&mut text).await;
            text
        });
        let asked = Instant::now();
        let killed = tokio::process::Command::new("kill").args(["-TERM", &pid]).status().await.unwrap();
        assert!(killed.success());
        let status = tokio::time::timeout(Duration::from_secs(20), self.child.wait()).await.expect("exits").unwrap();
        let took = asked.elapsed();
        assert_eq!(status.code(), Some(0), "a clean shutdown exits 0");
        let _ = std::fs::remove_dir_all(&self.data);
        (read.await.unwrap(), took)
    }
}
