//! A web app at `/`, as the embedder hands it to the service ([`WebFiles`]):
//! files held in memory (typically `include_bytes!` of a built app), each
//! with its ETag, and the host's headers ([`microcos_host::web::HEADERS`]:
//! revalidate each load, a strict content security policy), the same as
//! the Worker gives its static assets. `microcos serve` serves the
//! assistant's app this way.

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use microcos_host::web;

/// One file.
#[derive(Clone, Debug)]
struct File {
    name: &'static str,
    content_type: &'static str,
    bytes: &'static [u8],
    etag: String,
}

/// The files of a web app, served at `/<name>` (and `index.html` at `/`).
#[derive(Clone, Debug, Default)]
pub struct WebFiles {
    files: Vec<File>,
}

impl WebFiles {
    /// The app of `files`: a name (no `/`) and its bytes each, the content
    /// type from the name's extension ([`web::content_type`]). A name with
    /// a `/` is left out: the app is one folder.
    pub fn new(files: &[(&'static str, &'static [u8])]) -> Self {
        let files = files
            .iter()
            .filter(|(name, _)| !name.is_empty() && !name.contains('/'))
            .map(|&(name, bytes)| File { name, content_type: web::content_type(name), bytes, etag: web::etag(bytes) })
            .collect();
        WebFiles { files }
    }

    /// The names of the files, in the order given.
    pub fn names(&self) -> impl Iterator<Item = &'static str> + '_ {
        self.files.iter().map(|f| f.name)
    }

    /// The file served at `path` (`/` is `index.html`).
    fn file(&self, path: &str) -> Option<&File> {
        let name = if path == "/" { "index.html" } else { path.strip_prefix('/')? };
        self.files.iter().find(|f| f.name == name)
    }

    /// Whether `path` is one of the app's files.
    pub fn holds(&self, path: &str) -> bool {
        self.file(path).is_some()
    }

    /// The answer to a `GET` (or `HEAD`) of `path`, if it is one of the
    /// app's files: the file, or 304 when `if_none_match` names its ETag.
    pub fn serve(&self, method: &str, path: &str, if_none_match: Option<&str>) -> Option<Response> {
        if method != "GET" && method != "HEAD" {
            return None;
        }
        let file = self.file(path)?;
        let (status, body) = if web::not_modified(if_none_match, &file.etag) {
            (StatusCode::NOT_MODIFIED, Body::empty())
        } else if method == "HEAD" {
            (StatusCode::OK, Body::empty())
        } else {
            (StatusCode::OK, Body::from(file.bytes))
        };
        let mut builder = axum::http::Response::builder().status(status).header("etag", file.etag.as_str());
        if status == StatusCode::OK {
            builder = builder.header("content-type", file.content_type);
        }
        for (k, v) in web::HEADERS {
            builder = builder.header(*k, *v);
        }
        Some(builder.body(body).unwrap_or_else(|_| StatusCode::INTERNAL_SERVER_ERROR.into_response()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const INDEX: &[u8] = b"<!doctype html><script src=app.js></script>";

    #[test]
    fn the_app_is_served_at_the_root_with_its_etag_and_nothing_else_is() {
        let app = WebFiles::new(&[("index.html", INDEX), ("app.js", b"1"), ("a/b.js", b"2")]);
        assert_eq!(app.names().collect::<Vec<_>>(), ["index.html", "app.js"]);
        let first = app.serve("GET", "/", None).unwrap();
        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(first.headers()["content-type"], "text/html; charset=utf-8");
        assert!(first.headers()["content-security-policy"].to_str().unwrap().contains("'wasm-unsafe-eval'"));
        let etag = first.headers()["etag"].to_str().unwrap().to_string();
        assert_eq!(app.serve("GET", "/", Some(&etag)).unwrap().status(), StatusCode::NOT_MODIFIED);
        assert_eq!(
            app.serve("GET", "/app.js", None).unwrap().headers()["content-type"],
            "text/javascript; charset=utf-8"
        );
        assert!(app.serve("POST", "/", None).is_none());
        assert!(app.holds("/") && app.holds("/app.js") && !app.holds("/a/b.js") && !app.holds("/v1/snapshot"));
        for other in ["/v1/snapshot", "/a/b.js", "/index.htm", "app.js", "/../index.html"] {
            assert!(app.serve("GET", other, None).is_none(), "{other}");
        }
        assert!(WebFiles::default().serve("GET", "/", None).is_none(), "no app: nothing at /");
    }
}
