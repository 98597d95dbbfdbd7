//! The web app's files (`web/dist`, built by `scripts/web-build`): the
//! paths they are served at, the headers they carry and the content coding
//! a request gets, the same on every transport. The local service embeds
//! the files (with their precompressed `.br` and `.gz` beside them); the
//! Worker serves them as static assets (identity: Cloudflare compresses at
//! its edge).
//!
//! The app's JavaScript, CSS and wasm are named after their content
//! (`app.3f2a9c1b.js`, [`content_hashed`]) and cached for good
//! ([`CACHE_IMMUTABLE`]); `index.html`, which names them, revalidates
//! each load ([`CACHE_REVALIDATE`]).

/// Headers of every file: a policy that lets the page load only its own
/// files, run its own wasm and connect only to its own origin. Each file
/// also gets its [`cache_control`].
pub const HEADERS: &[(&str, &str)] = &[
    (
        "content-security-policy",
        "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; connect-src 'self'; img-src 'self' data:; \
         style-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
    ),
    ("x-content-type-options", "nosniff"),
    ("referrer-policy", "no-referrer"),
];

/// `cache-control` of a file whose name carries its content's hash: its
/// bytes never change under that name, so a browser keeps it a year and
/// never asks again.
pub const CACHE_IMMUTABLE: &str = "public, max-age=31536000, immutable";

/// `cache-control` of every other file (`index.html`, which names the
/// hashed ones): revalidate each load, which the ETag makes a 304.
pub const CACHE_REVALIDATE: &str = "no-cache";

/// The `cache-control` of the file `name`: [`CACHE_IMMUTABLE`] when the
/// name is [`content_hashed`], else [`CACHE_REVALIDATE`].
pub fn cache_control(name: &str) -> &'static str {
    if content_hashed(name) {
        CACHE_IMMUTABLE
    } else {
        CACHE_REVALIDATE
    }
}

/// True when `name` carries a content hash, as `web/build.mjs` names the
/// app's files: `<stem>.<hash>.<ext>`, the hash at least 8 lowercase hex
/// digits, the stem and the extension not empty (`app.3f2a9c1b.js`,
/// `microcos_web_bg.0c1d2e3f.wasm`; not `app.js`, nor `app.3f2a9c1b.js.gz`).
pub fn content_hashed(name: &str) -> bool {
    let mut parts = name.rsplitn(3, '.');
    let (Some(ext), Some(hash), Some(stem)) = (parts.next(), parts.next(), parts.next()) else {
        return false;
    };
    !stem.is_empty()
        && !name.contains('/')
        && !ext.is_empty()
        && ext.bytes().all(|b| b.is_ascii_alphanumeric())
        && hash.len() >= 8
        && hash.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

/// The name of the web file a `GET` of `path` may serve, by the path alone
/// (the transport then looks it up): `/` and `/index.html` are
/// `index.html`, `/<name>` a [`content_hashed`] name. `None` for every other
/// path (the API's, or unknown). The Worker routes with it: its app is
/// `web/dist`, whose files are the index and hashed names.
pub fn file_name(path: &str) -> Option<&str> {
    match path {
        "/" | "/index.html" => Some("index.html"),
        _ => path.strip_prefix('/').filter(|name| content_hashed(name)),
    }
}

/// A content coding a web file may be served in (`content-encoding`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// Brotli (`br`): the file's `<name>.br`.
    Br,
    /// Gzip (`gzip`): the file's `<name>.gz`.
    Gzip,
    /// The bytes as they are (no `content-encoding`).
    Identity,
}

impl Encoding {
    /// The compressed ones, in the service's order of preference.
    pub const COMPRESSED: [Encoding; 2] = [Encoding::Br, Encoding::Gzip];

    /// Its token in `accept-encoding` and `content-encoding`.
    pub fn token(self) -> &'static str {
        match self {
            Encoding::Br => "br",
            Encoding::Gzip => "gzip",
            Encoding::Identity => "identity",
        }
    }

    /// The suffix of its precompressed file beside the original
    /// (`app.3f2a9c1b.js.br`); empty for identity.
    pub fn suffix(self) -> &'static str {
        match self {
            Encoding::Br => ".br",
            Encoding::Gzip => ".gz",
            Encoding::Identity => "",
        }
    }
}

/// The weight (`q`, in thousandths: 0..=1000) `accept_encoding` gives the
/// coding `token` (RFC 9110, 12.5.3): its own entry, else `*`'s, else 0;
/// `x-gzip` counts as `gzip`, names are case-insensitive, and a `q` that
/// does not parse counts as 0. No header: 0 (send identity).
pub fn weight(accept_encoding: Option<&str>, token: &str) -> u16 {
    let Some(header) = accept_encoding else { return 0 };
    let (mut own, mut any) = (None, None);
    for entry in header.split(',') {
        let mut params = entry.split(';');
        let coding = params.next().unwrap_or("").trim();
        if coding.is_empty() {
            continue;
        }
        let q = params
            .find_map(|p| {
                let (k, v) = p.split_once('=')?;
                k.trim().eq_ignore_ascii_case("q").then(|| v.trim())
            })
            .map_or(1000, parse_q);
        let coding = if coding.eq_ignore_ascii_case("x-gzip") { "gzip" } else { coding };
        if coding.eq_ignore_ascii_case(token) {
            own = Some(own.map_or(q, |o: u16| o.max(q)));
        } else if coding == "*" {
            any = Some(q);
        }
    }
    own.or(any).unwrap_or(0)
}

/// A `q` value (`0`, `0.5`, `1.000`) in thousandths; 0 when malformed.
fn parse_q(v: &str) -> u16 {
    let (int, frac) = v.split_once('.').unwrap_or((v, ""));
    if frac.len() > 3 || !frac.bytes().all(|b| b.is_ascii_digit()) {
        return 0;
    }
    let thousandths =
        frac.bytes().chain(core::iter::repeat(b'0')).take(3).fold(0u16, |n, b| n * 10 + u16::from(b - b'0'));
    match int {
        "0" => thousandths,
        "1" if thousandths == 0 => 1000,
        _ => 0,
    }
}

/// The coding to serve a file in, of those it has (`available`, e.g. the
/// precompressed files beside it): the one `accept_encoding` weighs most,
/// ties going to brotli, then gzip; identity when none is acceptable (or
/// there is no header). Identity is always served rather than nothing,
/// even where the client ruled it out (`identity;q=0`): the service never
/// answers 406 for a file it has.
pub fn negotiate(accept_encoding: Option<&str>, available: impl Fn(Encoding) -> bool) -> Encoding {
    let mut best = (0, Encoding::Identity);
    for encoding in Encoding::COMPRESSED {
        let q = weight(accept_encoding, encoding.token());
        if q > best.0 && available(encoding) {
            best = (q, encoding);
        }
    }
    best.1
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
    fn content_types_follow_the_extension() {
        for (name, content_type) in [
            ("index.html", "text/html; charset=utf-8"),
            ("app.3f2a9c1b.js", "text/javascript; charset=utf-8"),
            ("app.3f2a9c1b.css", "text/css; charset=utf-8"),
            ("microcos_web_bg.3f2a9c1b.wasm", "application/wasm"),
            ("favicon.ico", "image/x-icon"),
            ("noext", "application/octet-stream"),
        ] {
            assert_eq!(super::content_type(name), content_type, "{name}");
        }
    }

    #[test]
    fn hashed_names_are_immutable_and_the_index_revalidates() {
        for name in ["app.3f2a9c1b.js", "microcos_web_bg.0123456789abcdef.wasm", "a.b.3f2a9c1b.css"] {
            assert!(content_hashed(name), "{name}");
            assert_eq!(cache_control(name), CACHE_IMMUTABLE, "{name}");
        }
        for name in [
            "index.html",
            "app.js",
            "app.3f2a9c1.js",
            "app.3F2A9C1B.js",
            ".3f2a9c1b.js",
            "app.3f2a9c1b.",
            "app.3f2a9c1b.js.gz",
            "x/app.3f2a9c1b.js",
        ] {
            assert!(!content_hashed(name), "{name}");
            assert_eq!(cache_control(name), CACHE_REVALIDATE, "{name}");
        }
    }

    #[test]
    fn paths_map_to_the_index_and_hashed_names_and_nothing_else() {
        assert_eq!(file_name("/"), Some("index.html"));
        assert_eq!(file_name("/index.html"), Some("index.html"));
        assert_eq!(file_name("/microcos_web_bg.3f2a9c1b.wasm"), Some("microcos_web_bg.3f2a9c1b.wasm"));
        for other in [
            "/v1/events",
            "/index.htm",
            "",
            "app.3f2a9c1b.js",
            "/../secret",
            "/app.js",
            "/app.3f2a9c1b.js.br",
            "/healthz",
            "/a/app.3f2a9c1b.js",
        ] {
            assert_eq!(file_name(other), None, "{other}");
        }
    }

    #[test]
    fn the_coding_is_the_most_wanted_of_those_at_hand_brotli_first() {
        let all = |_| true;
        let gzip_only = |e| e == Encoding::Gzip;
        for (header, expected) in [
            (None, Encoding::Identity),
            (Some(""), Encoding::Identity),
            (Some("gzip, deflate, br, zstd"), Encoding::Br),
            (Some("gzip"), Encoding::Gzip),
            (Some("x-gzip"), Encoding::Gzip),
            (Some("GZIP, BR"), Encoding::Br),
            (Some("identity"), Encoding::Identity),
            (Some("br;q=0, gzip"), Encoding::Gzip),
            (Some("br;q=0.0, gzip;q=0.000"), Encoding::Identity),
            (Some("br; q=0.5, gzip; q=0.8"), Encoding::Gzip),
            (Some("br;q=1, gzip;q=1.0"), Encoding::Br),
            (Some("*"), Encoding::Br),
            (Some("*;q=0"), Encoding::Identity),
            (Some("gzip, *;q=0"), Encoding::Gzip),
            (Some("br;q=0, *"), Encoding::Gzip),
            (Some("br;q=2"), Encoding::Identity),
            (Some("br;q=0.5x"), Encoding::Identity),
            (Some("br;q=1.5"), Encoding::Identity),
            (Some(" , br ,"), Encoding::Br),
            (Some("identity;q=0"), Encoding::Identity),
        ] {
            assert_eq!(negotiate(header, all), expected, "{header:?}");
        }
        assert_eq!(negotiate(Some("gzip, br"), gzip_only), Encoding::Gzip, "brotli is not at hand");
        assert_eq!(negotiate(Some("br"), gzip_only), Encoding::Identity);
        assert_eq!(negotiate(Some("gzip, br"), |_| false), Encoding::Identity);
        assert_eq!(weight(Some("br;q=0.25"), "br"), 250);
        assert_eq!(weight(Some("gzip;q=0.5, gzip"), "gzip"), 1000);
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
