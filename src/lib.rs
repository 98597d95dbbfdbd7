#![doc = include_str!("../README.md")]
//!
//! This root package hosts the `microcos` binary, the workspace-level
//! tests, examples and benchmarks; its documentation is the README, whose
//! Rust examples run as doctests so that the quick start keeps working when
//! pasted.

#![forbid(unsafe_code)]

use microcos_assistant::{stand_in, Assistant};
use microcos_core::uuid::Uuid;
use microcos_host::StandIn;
use microcos_server::load::{FirstToken, Workload};
use microcos_server::service::Site;
use microcos_server::web::WebFiles;

/// The first line of `microcos --help`.
pub const ABOUT: &str = "microcos: an event-sourced personal-assistant backend (chat, tasks, a daily plan) with the \
                         same HTTP and WebSocket API locally and on Cloudflare";

/// The web app (`web/dist`, built by `scripts/web-build` and committed),
/// embedded so that `microcos serve` serves it with nothing else installed.
pub const WEB_FILES: &[(&str, &[u8])] = &[
    ("index.html", include_bytes!("../web/dist/index.html")),
    ("app.js", include_bytes!("../web/dist/app.js")),
    ("app.css", include_bytes!("../web/dist/app.css")),
    ("microcos_web_bg.wasm", include_bytes!("../web/dist/microcos_web_bg.wasm")),
];

/// What `microcos load` sends: a task created, then completed; and a chat
/// message, whose reply streams, for the time to first token.
pub const WORKLOAD: Workload = Workload {
    round: |n, task_id: Uuid| {
        vec![
            format!(r#"{{"type":"task.created","payload":{{"task_id":"{task_id}","title":"load task {n}"}}}}"#),
            format!(r#"{{"type":"task.completed","payload":{{"task_id":"{task_id}"}}}}"#),
        ]
    },
    first_token: Some(FirstToken {
        event: |i| format!(r#"{{"type":"user.message","payload":{{"text":"turn {i}"}}}}"#),
        done: "assistant.message",
    }),
};

/// The assistant as the `microcos` binary serves it: its offline stand-in
/// model, the web app at `/`, and the load workload.
pub fn assistant() -> Site<Assistant> {
    Site::new(Assistant::default())
        .with_stand_in(StandIn::with_tools(stand_in::reply, stand_in::tool_calls))
        .with_web(WebFiles::new(WEB_FILES))
        .with_workload(WORKLOAD)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_the_host_names_is_embedded_and_the_index_loads_the_app() {
        let names: Vec<&str> = WEB_FILES.iter().map(|(name, _)| *name).collect();
        for (name, _) in microcos_host::web::FILES {
            assert!(names.contains(name), "{name} is embedded");
        }
        for (name, bytes) in WEB_FILES {
            assert!(!bytes.is_empty(), "{name} is empty: run scripts/web-build");
        }
        let index = std::str::from_utf8(WEB_FILES[0].1).unwrap();
        assert!(index.contains("app.js") && index.contains("app.css"), "index.html loads the app");
    }
}
