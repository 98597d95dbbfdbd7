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
/// embedded so that `microcos serve` serves it with nothing else installed:
/// every file of the folder (listed by `build.rs`, not by hand), the
/// content-hashed JavaScript, CSS and wasm with their precompressed `.br`
/// and `.gz`, which [`WebFiles`] sends to a browser that accepts them.
pub const WEB_FILES: &[(&str, &[u8])] = include!(concat!(env!("OUT_DIR"), "/web_files.rs"));

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
    fn the_index_names_hashed_files_that_are_embedded_and_the_app_names_its_wasm() {
        let file = |name: &str| WEB_FILES.iter().find(|(n, _)| *n == name).map(|(_, bytes)| *bytes);
        for (name, bytes) in WEB_FILES {
            assert!(!bytes.is_empty(), "{name} is empty: run scripts/web-build");
        }
        let index = std::str::from_utf8(file("index.html").expect("index.html is embedded")).unwrap();
        let named = |ext: &str| -> Vec<&str> {
            index
                .split(['"', '\'', ' ', '>', '='])
                .filter(|w| w.ends_with(ext) && microcos_host::web::content_hashed(w))
                .collect()
        };
        let (js, css) = (named(".js"), named(".css"));
        assert_eq!((js.len(), css.len()), (1, 1), "index.html loads one script and one style sheet: {js:?} {css:?}");
        let app = std::str::from_utf8(file(js[0]).expect("the script is embedded")).unwrap();
        assert!(file(css[0]).is_some(), "{} is embedded", css[0]);
        let wasm: Vec<&str> = WEB_FILES
            .iter()
            .map(|(n, _)| *n)
            .filter(|n| n.ends_with(".wasm") && microcos_host::web::content_hashed(n))
            .collect();
        assert_eq!(wasm.len(), 1, "one replica: {wasm:?}");
        assert!(app.contains(wasm[0]), "the app loads {}", wasm[0]);
        for name in ["index.html", js[0], css[0], wasm[0]] {
            for suffix in [".br", ".gz"] {
                assert!(file(&format!("{name}{suffix}")).is_some(), "{name}{suffix} is embedded");
            }
        }
        let web = WebFiles::new(WEB_FILES);
        assert_eq!(
            web.names().count(),
            4,
            "the four files, their encodings aside: {:?}",
            web.names().collect::<Vec<_>>()
        );
    }
}
