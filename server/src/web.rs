//! A web app at `/`, as the embedder hands it to the service ([`WebFiles`]):
//! files held in memory (typically `include_bytes!` of a built app), each
//! with its ETag, and the host's headers ([`microcos_host::web`]: a strict
//! content security policy; names with a content hash cached for good, the
//! rest revalidated each load), the same as the Worker gives its static
//! assets. A file's precompressed `<name>.br` and `<name>.gz`, when given,
//! are served in its place to a client that accepts them
//! ([`web::negotiate`]). `microcos serve` serves the assistant's app this way.

use axum::body::Body;
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use microcos_host::web::{self, Encoding};

/// One file's bytes in one content coding, with their ETag.
#[derive(Clone, Debug)]
struct Variant {
    encoding: Encoding,
    bytes: &'static [u8],
    etag: String,
}

impl Variant {
    fn new(encoding: Encoding, bytes: &'static [u8]) -> Self {
        Variant { encoding, bytes, etag: web::etag(bytes) }
    }
}

/// One file: its identity bytes first, then its compressed variants.
#[derive(Clone, Debug)]
struct File {
    name: &'static str,
    content_type: &'static str,
    cache_control: &'static str,
    variants: Vec<Variant>,
}

impl File {
    fn variant(&self, accept_encoding: Option<&str>) -> &Variant {
        let has = |e| self.variants.iter().any(|v| v.encoding == e);
        let chosen = web::negotiate(accept_encoding, has);
        self.variants.iter().find(|v| v.encoding == chosen).unwrap_or(&self.variants[0])
    }
}

/// The files of a web app, served at `/<name>` (and `index.html` at `/`).
#[derive(Clone, Debug, Default)]
pub struct WebFiles {
    files: Vec<File>,
}

impl WebFiles {
    /// The app of `files`: a name (no `/`) and its bytes each, the content
    /// type from the name's extension ([`web::content_type`]), the caching
    /// from the name ([`web::cache_control`]). A name with a `/` is left
    /// out: the app is one folder. `<name>.br` and `<name>.gz` beside a
    /// `<name>` are its brotli and gzip encodings, not files of their own
    /// (and left out where they are no smaller than the file).
    pub fn new(files: &[(&'static str, &'static [u8])]) -> Self {
        let listed = |name: &str| files.iter().any(|(n, _)| *n == name);
        let base_of = |name: &'static str| {
            Encoding::COMPRESSED.into_iter().find_map(|e| {
                let base = name.strip_suffix(e.suffix())?;
                listed(base).then_some((base, e))
            })
        };
        let mut out: Vec<File> = files
            .iter()
            .filter(|(name, _)| !name.is_empty() && !name.contains('/') && base_of(name).is_none())
            .map(|&(name, bytes)| File {
                name,
                content_type: web::content_type(name),
                cache_control: web::cache_control(name),
                variants: vec![Variant::new(Encoding::Identity, bytes)],
            })
            .collect();
        for &(name, bytes) in files {
            let Some((base, encoding)) = base_of(name) else { continue };
            if let Some(file) = out.iter_mut().find(|f| f.name == base) {
                if bytes.len() < file.variants[0].bytes.len() {
                    file.variants.push(Variant::new(encoding, bytes));
                }
            }
        }
        WebFiles { files: out }
    }

    /// The names of the files, in the order given (their encodings aside).
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
    /// app's files: the file in the coding `accept_encoding` prefers of
    /// those it has (`content-encoding`, `vary: accept-encoding`), or 304
    /// when `if_none_match` names that variant's ETag. A `HEAD` gets the
    /// same headers, `content-length` included, and no body.
    pub fn serve(
        &self,
        method: &str,
        path: &str,
        if_none_match: Option<&str>,
        accept_encoding: Option<&str>,
    ) -> Option<Response> {
        if method != "GET" && method != "HEAD" {
            return None;
        }
        let file = self.file(path)?;
        let variant = file.variant(accept_encoding);
        let (status, body) = if web::not_modified(if_none_match, &variant.etag) {
            (StatusCode::NOT_MODIFIED, Body::empty())
        } else if method == "HEAD" {
            (StatusCode::OK, Body::empty())
        } else {
            (StatusCode::OK, Body::from(variant.bytes))
        };
        let mut builder = axum::http::Response::builder()
            .status(status)
            .header("etag", variant.etag.as_str())
            .header("cache-control", file.cache_control);
        if file.variants.len() > 1 {
            builder = builder.header("vary", "accept-encoding");
        }
        if status == StatusCode::OK {
            builder = builder.header("content-type", file.content_type).header("content-length", variant.bytes.len());
            if variant.encoding != Encoding::Identity {
                builder = builder.header("content-encoding", variant.encoding.token());
            }
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

    const INDEX: &[u8] = b"<!doctype html><script src=app.3f2a9c1b.js></script>";
    const JS: &[u8] = b"console.log('the app, long enough to be worth compressing')";

    fn app() -> WebFiles {
        WebFiles::new(&[
            ("index.html", INDEX),
            ("index.html.gz", b"a gzip copy that came out larger than the page it compresses: left out"),
            ("app.3f2a9c1b.js", JS),
            ("app.3f2a9c1b.js.br", b"br-js"),
            ("app.3f2a9c1b.js.gz", b"gz-js"),
            ("a/b.js", b"2"),
            ("report.tar.gz", b"a file of its own"),
        ])
    }

    fn header<'a>(r: &'a Response, name: &str) -> Option<&'a str> {
        r.headers().get(name).map(|v| v.to_str().unwrap())
    }

    async fn body(r: Response) -> Vec<u8> {
        axum::body::to_bytes(r.into_body(), usize::MAX).await.unwrap().to_vec()
    }

    #[test]
    fn the_app_is_served_at_the_root_with_its_etag_and_nothing_else_is() {
        let app = app();
        assert_eq!(app.names().collect::<Vec<_>>(), ["index.html", "app.3f2a9c1b.js", "report.tar.gz"]);
        let first = app.serve("GET", "/", None, None).unwrap();
        assert_eq!(first.status(), StatusCode::OK);
        assert_eq!(header(&first, "content-type"), Some("text/html; charset=utf-8"));
        assert!(header(&first, "content-security-policy").unwrap().contains("'wasm-unsafe-eval'"));
        let etag = header(&first, "etag").unwrap().to_string();
        assert_eq!(app.serve("GET", "/", Some(&etag), None).unwrap().status(), StatusCode::NOT_MODIFIED);
        let js = app.serve("GET", "/app.3f2a9c1b.js", None, None).unwrap();
        assert_eq!(header(&js, "content-type"), Some("text/javascript; charset=utf-8"));
        assert!(app.serve("POST", "/", None, None).is_none());
        assert!(app.holds("/") && app.holds("/app.3f2a9c1b.js") && !app.holds("/a/b.js") && !app.holds("/v1/snapshot"));
        for other in [
            "/v1/snapshot",
            "/a/b.js",
            "/index.htm",
            "app.3f2a9c1b.js",
            "/../index.html",
            "/app.3f2a9c1b.js.br",
            "/index.html.gz",
        ] {
            assert!(app.serve("GET", other, None, Some("br, gzip")).is_none(), "{other}");
        }
        assert!(app.serve("GET", "/report.tar.gz", None, None).is_some(), "a .gz with no file beside it is a file");
        assert!(WebFiles::default().serve("GET", "/", None, None).is_none(), "no app: nothing at /");
    }

    #[tokio::test]
    async fn each_request_gets_the_coding_it_accepts_brotli_first_with_vary_and_its_own_etag() {
        let app = app();
        let mut etags = Vec::new();
        for (accept, encoding, bytes) in [
            (Some("gzip, deflate, br, zstd"), Some("br"), &b"br-js"[..]),
            (Some("br;q=0, gzip"), Some("gzip"), b"gz-js"),
            (Some("gzip;q=1, br;q=0.5"), Some("gzip"), b"gz-js"),
            (Some("br;q=0, gzip;q=0"), None, JS),
            (Some("*;q=0"), None, JS),
            (Some("identity"), None, JS),
            (None, None, JS),
        ] {
            let r = app.serve("GET", "/app.3f2a9c1b.js", None, accept).unwrap();
            assert_eq!(r.status(), StatusCode::OK, "{accept:?}");
            assert_eq!(header(&r, "content-encoding"), encoding, "{accept:?}");
            assert_eq!(header(&r, "vary"), Some("accept-encoding"), "{accept:?}");
            assert_eq!(header(&r, "content-length"), Some(bytes.len().to_string().as_str()), "{accept:?}");
            etags.push(header(&r, "etag").unwrap().to_string());
            assert_eq!(body(r).await, bytes, "{accept:?}");
        }
        etags.dedup();
        assert_eq!(etags.len(), 3, "each coding (br, gzip, identity) has its own etag: {etags:?}");
        // index.html's gzip is no smaller than the file: left out, so no vary either.
        let index = app.serve("GET", "/", None, Some("gzip")).unwrap();
        assert_eq!((header(&index, "content-encoding"), header(&index, "vary")), (None, None));
        assert_eq!(body(index).await, INDEX);
    }

    #[tokio::test]
    async fn head_and_304_carry_the_variant_s_headers_and_no_body() {
        let app = app();
        let head = app.serve("HEAD", "/app.3f2a9c1b.js", None, Some("br")).unwrap();
        assert_eq!(head.status(), StatusCode::OK);
        assert_eq!(header(&head, "content-encoding"), Some("br"));
        assert_eq!(header(&head, "content-length"), Some("5"));
        assert_eq!(header(&head, "content-type"), Some("text/javascript; charset=utf-8"));
        let br_etag = header(&head, "etag").unwrap().to_string();
        assert!(body(head).await.is_empty());

        let current = app.serve("GET", "/app.3f2a9c1b.js", Some(&br_etag), Some("br")).unwrap();
        assert_eq!(current.status(), StatusCode::NOT_MODIFIED);
        assert_eq!(header(&current, "etag"), Some(br_etag.as_str()));
        assert_eq!(header(&current, "vary"), Some("accept-encoding"));
        assert_eq!(header(&current, "cache-control"), Some(web::CACHE_IMMUTABLE));
        assert_eq!(header(&current, "content-encoding"), None);
        assert!(body(current).await.is_empty());
        let head_current = app.serve("HEAD", "/app.3f2a9c1b.js", Some(&br_etag), Some("br")).unwrap();
        assert_eq!(head_current.status(), StatusCode::NOT_MODIFIED);

        // The brotli copy's ETag does not stand for the gzip one.
        let other = app.serve("GET", "/app.3f2a9c1b.js", Some(&br_etag), Some("gzip")).unwrap();
        assert_eq!((other.status(), header(&other, "content-encoding")), (StatusCode::OK, Some("gzip")));
        assert_eq!(body(other).await, b"gz-js");
    }

    #[test]
    fn hashed_names_are_cached_for_good_and_the_index_revalidates() {
        let app = app();
        for accept in [None, Some("br")] {
            let js = app.serve("GET", "/app.3f2a9c1b.js", None, accept).unwrap();
            assert_eq!(header(&js, "cache-control"), Some("public, max-age=31536000, immutable"));
            for path in ["/", "/index.html"] {
                let index = app.serve("GET", path, None, accept).unwrap();
                assert_eq!(header(&index, "cache-control"), Some("no-cache"), "{path}");
                let etag = header(&index, "etag").unwrap().to_string();
                let again = app.serve("GET", path, Some(&etag), accept).unwrap();
                assert_eq!(header(&again, "cache-control"), Some("no-cache"), "{path}");
            }
        }
    }
}
