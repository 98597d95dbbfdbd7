//! The web app's files (`web/dist`, built by `scripts/web-build`): the
//! paths they are served at and the headers they carry, the same on every
//! transport. The local service embeds the files; the Worker serves them
//! as static assets.

/// The app's files: name, content type.
pub const FILES: &[(&str, &str)] = &[
    ("index.html", "text/html; charset=utf-8"),
    ("app.js", "text/javascript; charset=utf-8"),
    ("app.css", "text/css; charset=utf-8"),
    ("microcos_web_bg.wasm", "application/wasm"),
];

/// Headers of every file: revalidate each load (the ETag makes that a
/// 304), and a policy that lets the page load only its own files, run its
/// own wasm and connect only to its own origin.
pub const HEADERS: &[(&str, &str)] = &[
    ("cache-control", "no-cache"),
    (
        "content-security-policy",
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; img-src 'self' data:; \
         style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
];

/// The file a `GET` of `path` serves, with its content type: `/` is
/// `index.html`. `None` for every other path (the API's, or unknown).
pub fn file_for(path: &str) -> Option<(&'static str, &'static str)> {
    let name = if path == "/" { "index.html" } else { path.strip_prefix('/')? };
    FILES.iter().find(|(file, _)| *file == name).copied()
}

/// The content type of a web file, from its name's extension (the
/// assistant's files, and what a domain's own app is likely to hold);
/// `application/octet-stream` for any other.
pub fn content_type(name: &str) -> &'static str {
    match name.rsplit_once('.').map_or("", |(_, ext)| ext) {
        "html" => "text/html; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "wasm" => "application/wasm",
        "json" => "application/json",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// A strong ETag for a file's bytes (FNV-1a, 64 bits): computed once per
/// file by the transport.
pub fn etag(bytes: &[u8]) -> alloc::string::String {
    let hash = bytes.iter().fold(0xcbf2_9ce4_8422_2325u64, |h, b| (h ^ u64::from(*b)).wrapping_mul(0x0100_0000_01b3));
    alloc::format!("\"{hash:016x}-{}\"", bytes.len())
}

/// True when `if_none_match` names `etag` (the client's copy is current).
pub fn not_modified(if_none_match: Option<&str>, etag: &str) -> bool {
    if_none_match.is_some_and(|v| v.split(',').any(|t| t.trim().trim_start_matches("W/") == etag || t.trim() == "*"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_file_of_the_app_has_the_content_type_its_name_says() {
        for (name, content_type) in FILES {
            assert_eq!(super::content_type(name), *content_type, "{name}");
        }
        assert_eq!(super::content_type("favicon.ico"), "image/x-icon");
        assert_eq!(super::content_type("noext"), "application/octet-stream");
    }

    #[test]
    fn paths_map_to_files_and_nothing_else() {
        assert_eq!(file_for("/"), Some(("index.html", "text/html; charset=utf-8")));
        assert_eq!(file_for("/microcos_web_bg.wasm").map(|f| f.1), Some("application/wasm"));
        for other in ["/v1/events", "/index.htm", "", "app.js", "/../secret", "/app.js/", "/healthz"] {
            assert_eq!(file_for(other), None, "{other}");
        }
    }

    #[test]
    fn etags_follow_the_bytes() {
        assert_eq!(etag(b"abc"), etag(b"abc"));
        assert_ne!(etag(b"abc"), etag(b"abd"));
        assert!(not_modified(Some("W/\"x\", "), "\"x\""));
        assert!(!not_modified(Some("\"y\""), "\"x\""));
        assert!(!not_modified(None, "\"x\""));
    }
}
