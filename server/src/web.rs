//! The web app at `/`: the files of `web/dist` (built by `scripts/web-build`
//! and committed), embedded in the binary, so `microcos serve` serves the
//! app with nothing else installed. Paths and headers are the host's
//! ([`microcos_host::web`]), the same as the Worker's.

use std::sync::OnceLock;

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use microcos_host::web;

/// One embedded file.
struct File {
    name: &'static str,
    bytes: &'static [u8],
}

const FILES: &[File] = &[
    File { name: "index.html", bytes: include_bytes!("../../web/dist/index.html") },
    File { name: "app.js", bytes: include_bytes!("../../web/dist/app.js") },
    File { name: "app.css", bytes: include_bytes!("../../web/dist/app.css") },
    File { name: "microcos_web_bg.wasm", bytes: include_bytes!("../../web/dist/microcos_web_bg.wasm") },
];

fn etags() -> &'static Vec<String> {
    static ETAGS: OnceLock<Vec<String>> = OnceLock::new();
    ETAGS.get_or_init(|| FILES.iter().map(|f| web::etag(f.bytes)).collect())
}

/// The answer to a `GET` (or `HEAD`) of `path`, if it is one of the app's
/// files: the file, or 304 when `if_none_match` names its ETag.
pub fn serve(method: &str, path: &str, if_none_match: Option<&str>) -> Option<Response> {
    if method != "GET" && method != "HEAD" {
        return None;
    }
    let (name, content_type) = web::file_for(path)?;
    let i = FILES.iter().position(|f| f.name == name)?;
    let etag = &etags()[i];
    let (status, body) = if web::not_modified(if_none_match, etag) {
        (StatusCode::NOT_MODIFIED, Body::empty())
    } else if method == "HEAD" {
        (StatusCode::OK, Body::empty())
    } else {
        (StatusCode::OK, Body::from(FILES[i].bytes))
    };
    let mut builder = axum::http::Response::builder().status(status).header("etag", etag.as_str());
    if status == StatusCode::OK {
        builder = builder.header("content-type", content_type);
    }
    for (k, v) in web::HEADERS {
        builder = builder.header(*k, *v);
    }
    Some(builder.body(body).unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_the_host_names_is_embedded() {
        for (name, _) in web::FILES {
            let file = FILES.iter().find(|f| f.name == *name).expect("embedded");
            assert!(!file.bytes.is_empty(), "{name} is empty: run scripts/web-build");
        }
        let index = std::str::from_utf8(FILES[0].bytes).unwrap();
        assert!(index.contains("app.js") && index.contains("app.css"), "index.html loads the app");
    }

    #[test]
    fn the_app_is_served_at_the_root_with_its_etag() {
        let first = serve("GET", "/", None).unwrap();
        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(first.headers()["content-type"], "text/html; charset=utf-8");
        assert!(first.headers()["content-security-policy"].to_str().unwrap().contains("'wasm-unsafe-eval'"));
        let etag = first.headers()["etag"].to_str().unwrap().to_string();
        assert_eq!(serve("GET", "/", Some(&etag)).unwrap().status(), StatusCode::NOT_MODIFIED);
        let wasm = serve("GET", "/microcos_web_bg.wasm", None).unwrap();
        assert_eq!(wasm.headers()["content-type"], "application/wasm");
        assert!(serve("POST", "/", None).is_none());
        assert!(serve("GET", "/v1/snapshot", None).is_none());
    }
}
