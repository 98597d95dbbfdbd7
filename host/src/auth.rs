//! Bearer tokens: standard JSON Web Tokens signed with HS256 (RFC 7519), so
//! that any stack can mint them.
//!
//! - Header: `{"alg":"HS256","typ":"JWT","kid":"<key id>"}`. `kid` is
//!   optional; microcos sets it to a fingerprint of the signing key
//!   ([`Keys::key_id`]), and a verifier with two keys picks the key by it.
//! - Claims: `sub` (the user id), `exp` and `iat` (seconds since the Unix
//!   epoch), and `aud` / `iss` when the service is configured with them.
//!   `exp` is required; `nbf`, when present, is honoured; other claims are
//!   ignored.
//!
//! The token policy ([`Policy`], checked after the signature, each refusal
//! a 401 `unauthorized` saying why):
//!
//! - a lifetime bound: `exp - iat` at most [`Policy::max_lifetime_s`]
//!   (default [`DEFAULT_MAX_LIFETIME_S`], 30 days). While a bound is set, a
//!   token without `iat` is refused: its lifetime cannot be told, and
//!   neither can whether it was issued before a revocation;
//! - `iat` at most [`Policy::leeway_s`] (default [`IAT_LEEWAY_S`], 60 s)
//!   ahead of the service's clock;
//! - `aud` must name [`Policy::audience`] and `iss` must equal
//!   [`Policy::issuer`], when those are set (then [`Keys::sign`] sets them);
//! - revocation ([`check_revocation`]): a transport keeps, per user, a time
//!   before which that user's tokens are refused, and checks `iat` against
//!   it.
//!
//! Rotation: a service verifies with its current key and, optionally, its
//! previous one ([`Keys::with_previous`]), and signs with the current one.
//! Deploy the new key as current and the old as previous, wait for the old
//! tokens to expire, then drop the previous key.
//!
//! Pure: the caller supplies the keys and "now". Signatures are compared in
//! constant time; `alg` must be `HS256` (never `none`); a key shorter than
//! [`MIN_SECRET_BYTES`], or trivially guessable ([`secret_problem`]), signs
//! and verifies nothing.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use microcos_core::{ErrorCode, Rejection};
use microcos_core::{Timestamp, UserId};

const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

/// The longest token accepted, in bytes.
pub const MAX_TOKEN_BYTES: usize = 2_048;

/// Base64url without padding.
pub fn b64_encode(data: &[u8]) -> String {
    let mut out = String::with_capacity(data.len().div_ceil(3) * 4);
    for chunk in data.chunks(3) {
        let n = chunk.iter().enumerate().fold(0u32, |acc, (i, &b)| acc | (u32::from(b) << (16 - 8 * i)));
        for i in 0..=chunk.len() {
            out.push(B64[(n >> (18 - 6 * i) & 63) as usize] as char);
        }
    }
    out
}

/// Decodes base64url without padding; `None` on any other character.
pub fn b64_decode(s: &str) -> Option<Vec<u8>> {
    let mut out = Vec::with_capacity(s.len() * 3 / 4);
    let (mut acc, mut bits) = (0u32, 0u32);
    for c in s.bytes() {
        let v = B64.iter().position(|&b| b == c)? as u32;
        acc = (acc << 6) | v;
        bits += 6;
        if bits >= 8 {
            bits -= 8;
            out.push((acc >> bits) as u8);
        }
    }
    // The bits left over must be zero: otherwise several spellings would
    // decode to the same bytes (a signature would not be one exact string).
    (bits < 6 && acc & ((1 << bits) - 1) == 0).then_some(out)
}

/// The shortest secret a service accepts, in bytes. With a shorter one it
/// refuses to start (locally) or answers every authenticated request with
/// 503 (the Worker), and no token verifies.
pub const MIN_SECRET_BYTES: usize = 32;

/// Whether `secret` is long enough to sign and verify tokens (see also
/// [`secret_problem`], which also refuses a trivially guessable one).
pub fn usable_secret(secret: &[u8]) -> bool {
    secret.len() >= MIN_SECRET_BYTES
}

/// The fewest distinct byte values a secret must hold: fewer, and it is
/// trivially guessable (32 times the same character, `abababab…`), whatever
/// its length. A generated secret (64 hex digits) has about 16.
pub const MIN_DISTINCT_SECRET_BYTES: usize = 8;

/// Why `secret` may not sign or verify tokens, or `None` when it may: it is
/// shorter than [`MIN_SECRET_BYTES`], or it has fewer than
/// [`MIN_DISTINCT_SECRET_BYTES`] distinct bytes. (Static text: the Worker's
/// wasm carries no formatting for it.)
pub fn secret_problem(secret: &[u8]) -> Option<&'static str> {
    if !usable_secret(secret) {
        return Some("it is shorter than 32 bytes");
    }
    let mut seen = [false; 256];
    let distinct = secret.iter().filter(|&&b| !core::mem::replace(&mut seen[usize::from(b)], true)).count();
    (distinct < MIN_DISTINCT_SECRET_BYTES).then_some(
        "it has fewer than 8 distinct bytes, so it is trivially guessable; use a random one (e.g. 32 random bytes, \
         hex-encoded)",
    )
}

/// The longest token lifetime (`exp - iat`) accepted by default: 30 days.
pub const DEFAULT_MAX_LIFETIME_S: u64 = 30 * 24 * 3600;
/// How far ahead of the service's clock `iat` may be by default (clock skew).
pub const IAT_LEEWAY_S: u64 = 60;

/// What a service requires of a token beyond its signature, `exp` and `nbf`
/// (see the module's documentation).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Policy {
    /// The longest `exp - iat` accepted, in seconds; `None`: no bound (then a
    /// token without `iat` is accepted, though never after a revocation).
    pub max_lifetime_s: Option<u64>,
    /// How far ahead of "now" `iat` may be, in seconds.
    pub leeway_s: u64,
    /// When set: the `aud` a token must name (a string, or one of an array).
    pub audience: Option<String>,
    /// When set: the `iss` a token must carry.
    pub issuer: Option<String>,
}

impl Default for Policy {
    fn default() -> Self {
        Policy { max_lifetime_s: Some(DEFAULT_MAX_LIFETIME_S), leeway_s: IAT_LEEWAY_S, audience: None, issuer: None }
    }
}

#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    typ: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kid: Option<String>,
}

/// `aud`: one string, or an array of them (RFC 7519, 4.1.3). Read by hand
/// rather than as an untagged enum, whose buffering costs the Worker's wasm
/// several kilobytes.
struct Audience(Vec<String>);

impl Audience {
    fn names(&self, audience: &str) -> bool {
        self.0.iter().any(|a| a == audience)
    }
}

impl Serialize for Audience {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        match self.0.as_slice() {
            [one] => s.serialize_str(one),
            all => all.serialize(s),
        }
    }
}

impl<'de> Deserialize<'de> for Audience {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Names;
        impl<'de> serde::de::Visitor<'de> for Names {
            type Value = Audience;
            fn expecting(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
                f.write_str("a string or an array of strings")
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<Audience, E> {
                Ok(Audience(alloc::vec![String::from(v)]))
            }
            fn visit_seq<A: serde::de::SeqAccess<'de>>(self, mut seq: A) -> Result<Audience, A::Error> {
                let mut all = Vec::new();
                while let Some(name) = seq.next_element::<String>()? {
                    all.push(name);
                }
                Ok(Audience(all))
            }
        }
        d.deserialize_any(Names)
    }
}

#[derive(Serialize, Deserialize)]
struct Claims {
    sub: String,
    exp: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    iat: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nbf: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    iss: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    aud: Option<Audience>,
}

#[derive(Clone)]
struct Key {
    id: String,
    secret: Vec<u8>,
}

impl Key {
    fn new(secret: &[u8]) -> Key {
        let digest = Sha256::new().chain_update(b"microcos key id\0").chain_update(secret).finalize();
        let id = digest[..6].iter().map(|b| format!("{b:02x}")).collect();
        Key { id, secret: Vec::from(secret) }
    }

    fn mac(&self) -> Hmac<Sha256> {
        // HMAC accepts keys of any length.
        <Hmac<Sha256> as Mac>::new_from_slice(&self.secret)
            .unwrap_or_else(|_| unreachable!("HMAC takes any key length"))
    }
}

/// The keys a service signs and verifies tokens with: the current key, and
/// optionally the previous one during a rotation (verify only).
#[derive(Clone)]
pub struct Keys {
    current: Key,
    previous: Option<Key>,
    policy: Policy,
}

impl core::fmt::Debug for Keys {
    fn fmt(&self, f: &mut core::fmt::Formatter<'_>) -> core::fmt::Result {
        // Never the secrets.
        f.debug_struct("Keys")
            .field("current", &self.current.id)
            .field("previous", &self.previous.as_ref().map(|k| &k.id))
            .finish()
    }
}

/// A verified token.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Verified {
    /// Its user (`sub`).
    pub user: UserId,
    /// When it expires (`exp`, in milliseconds): a stream opened with it closes then.
    pub expires: Timestamp,
}

/// A verified token, with its issue time (for [`check_revocation`]).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Authenticated {
    /// The user and expiry.
    pub verified: Verified,
    /// `iat`, in milliseconds, when the token has one.
    pub issued: Option<Timestamp>,
}

/// When a revocation made at `now` takes effect: the next whole second.
/// Tokens issued before it (`iat` counts whole seconds) are refused, so a
/// token issued in the same second as the revocation is refused too, and
/// one issued from this time on is accepted.
pub fn revocation_time(now: Timestamp) -> Timestamp {
    Timestamp((now.0 / 1000).saturating_add(1).saturating_mul(1000))
}

/// Refuses a token issued before `revoked_before` (the user's revocation,
/// if any): 401 `unauthorized`. A token without `iat` cannot show that it
/// was issued after, so it is refused too.
pub fn check_revocation(issued: Option<Timestamp>, revoked_before: Option<Timestamp>) -> Result<(), Rejection> {
    match (revoked_before, issued) {
        (Some(before), Some(issued)) if issued < before => Err(unauthorized(
            "token revoked: this user's tokens issued before the revocation are refused; get a new one",
        )),
        (Some(_), None) => {
            Err(unauthorized("token revoked: it has no iat, and this user's earlier tokens are refused"))
        }
        _ => Ok(()),
    }
}

/// Whether `given` (an `Authorization: Bearer` value) is the operator's
/// `secret`, compared in constant time. An unusable secret
/// ([`secret_problem`]) matches nothing.
pub fn operator_secret_matches(given: &str, secret: &[u8]) -> bool {
    if secret_problem(secret).is_some() {
        return false;
    }
    // Compare two MACs of a fixed message (fixed length, constant time).
    let tag = |key: &[u8]| {
        let mut m = <Hmac<Sha256> as Mac>::new_from_slice(key).unwrap_or_else(|_| unreachable!("HMAC takes any key"));
        m.update(b"microcos operator");
        m
    };
    tag(given.as_bytes()).verify_slice(&tag(secret).finalize().into_bytes()).is_ok()
}

impl Keys {
    /// Signs and verifies with `current`.
    pub fn new(current: &[u8]) -> Keys {
        Keys { current: Key::new(current), previous: None, policy: Policy::default() }
    }

    /// Also verifies tokens signed with `previous` (a rotation). An unusable
    /// previous key (short or trivially guessable) is ignored.
    pub fn with_previous(mut self, previous: &[u8]) -> Keys {
        if secret_problem(previous).is_none() {
            self.previous = Some(Key::new(previous));
        }
        self
    }

    /// Verifies (and signs) under `policy` instead of [`Policy::default`].
    pub fn with_policy(mut self, policy: Policy) -> Keys {
        self.policy = policy;
        self
    }

    /// The token policy.
    pub fn policy(&self) -> &Policy {
        &self.policy
    }

    /// Whether the current key may sign and verify ([`secret_problem`]).
    pub fn usable(&self) -> bool {
        secret_problem(&self.current.secret).is_none()
    }

    /// The current key's id (`kid`): a fingerprint that reveals nothing of it.
    pub fn key_id(&self) -> &str {
        &self.current.id
    }

    /// Signs a token for `user`, issued at `issued`, valid until `expires`
    /// (both rounded down to whole seconds, as JWT counts time), with the
    /// policy's `aud` and `iss` when it has them.
    pub fn sign(&self, user: &UserId, issued: Timestamp, expires: Timestamp) -> String {
        let header =
            Header { alg: String::from("HS256"), typ: Some(String::from("JWT")), kid: Some(self.current.id.clone()) };
        let claims = Claims {
            sub: String::from(user.as_str()),
            exp: expires.0 / 1000,
            iat: Some(issued.0 / 1000),
            nbf: None,
            iss: self.policy.issuer.clone(),
            aud: self.policy.audience.clone().map(|a| Audience(alloc::vec![a])),
        };
        let signed = format!(
            "{}.{}",
            b64_encode(&serde_json::to_vec(&header).unwrap_or_default()),
            b64_encode(&serde_json::to_vec(&claims).unwrap_or_default())
        );
        let mut m = self.current.mac();
        m.update(signed.as_bytes());
        let sig = b64_encode(&m.finalize().into_bytes());
        format!("{signed}.{sig}")
    }

    /// Verifies a token: its signature under one of the keys (the one its
    /// `kid` names, or each in turn without one), `alg`, `exp`, `nbf`, and
    /// the [`Policy`].
    pub fn verify(&self, token: &str, now: Timestamp) -> Result<Verified, Rejection> {
        self.authenticate(token, now).map(|a| a.verified)
    }

    /// [`Keys::verify`], also returning the token's issue time (for
    /// [`check_revocation`]).
    pub fn authenticate(&self, token: &str, now: Timestamp) -> Result<Authenticated, Rejection> {
        if !self.usable() {
            return Err(unauthorized("the service has no usable token secret"));
        }
        if token.len() > MAX_TOKEN_BYTES {
            return Err(unauthorized("token too long"));
        }
        let malformed = || unauthorized("malformed token");
        let (signed, sig) = token.rsplit_once('.').ok_or_else(malformed)?;
        let (header, payload) = signed.split_once('.').ok_or_else(malformed)?;
        let header: Header = b64_decode(header).and_then(|h| serde_json::from_slice(&h).ok()).ok_or_else(malformed)?;
        if header.alg != "HS256" {
            return Err(unauthorized("unsupported token algorithm: only HS256 is accepted"));
        }
        let sig = b64_decode(sig).ok_or_else(malformed)?;
        let keys = [Some(&self.current), self.previous.as_ref()];
        let mut candidates =
            keys.into_iter().flatten().filter(|k| header.kid.as_ref().is_none_or(|id| *id == k.id)).peekable();
        if candidates.peek().is_none() {
            return Err(unauthorized("token signed with an unknown key"));
        }
        let valid = candidates.any(|k| {
            let mut m = k.mac();
            m.update(signed.as_bytes());
            m.verify_slice(&sig).is_ok()
        });
        if !valid {
            return Err(unauthorized("invalid token signature"));
        }
        let claims: Claims = b64_decode(payload).and_then(|p| serde_json::from_slice(&p).ok()).ok_or_else(malformed)?;
        let expires = Timestamp(claims.exp.saturating_mul(1000));
        if expires <= now {
            return Err(unauthorized("token expired"));
        }
        if claims.nbf.is_some_and(|nbf| nbf.saturating_mul(1000) > now.0) {
            return Err(unauthorized("token not valid yet"));
        }
        self.check_policy(&claims, now)?;
        let user = UserId::parse(&claims.sub).ok_or_else(|| unauthorized("the token's sub is not a valid user id"))?;
        Ok(Authenticated {
            verified: Verified { user, expires },
            issued: claims.iat.map(|s| Timestamp(s.saturating_mul(1000))),
        })
    }

    fn check_policy(&self, claims: &Claims, now: Timestamp) -> Result<(), Rejection> {
        let policy = &self.policy;
        let now_s = now.0 / 1000;
        // Static messages but the lifetime's: each formatted one costs the
        // Worker's wasm about 100 bytes.
        if claims.iat.is_some_and(|iat| iat > now_s.saturating_add(policy.leeway_s)) {
            return Err(unauthorized("token issued in the future: its iat is ahead of this service's clock"));
        }
        if let Some(max) = policy.max_lifetime_s {
            let Some(iat) = claims.iat else {
                return Err(unauthorized(
                    "token has no iat: this service bounds token lifetimes, so a token must say when it was issued",
                ));
            };
            let lifetime = claims.exp.saturating_sub(iat);
            if lifetime > max {
                return Err(unauthorized(&format!(
                    "token lifetime (exp - iat) is {lifetime} s; this service accepts at most {max} s"
                )));
            }
        }
        if policy.issuer.is_some() && claims.iss != policy.issuer {
            return Err(unauthorized("token issuer (iss) missing or not this service's"));
        }
        if let Some(audience) = &policy.audience {
            if !claims.aud.as_ref().is_some_and(|a| a.names(audience)) {
                return Err(unauthorized("token audience (aud) missing or not naming this service"));
            }
        }
        Ok(())
    }
}

/// Signs a token for `user` with `secret` ([`Keys::sign`]).
pub fn sign_token(secret: &[u8], user: &UserId, issued: Timestamp, expires: Timestamp) -> String {
    Keys::new(secret).sign(user, issued, expires)
}

fn unauthorized(message: &str) -> Rejection {
    Rejection::new(ErrorCode::Unauthorized, message)
}

/// Verifies a token ([`Keys::verify`]). Nothing verifies under a key shorter
/// than [`MIN_SECRET_BYTES`] (an empty key would let anyone forge).
pub fn verify_token(keys: &Keys, token: &str, now: Timestamp) -> Result<Verified, Rejection> {
    keys.verify(token, now)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64url_round_trips() {
        for data in [&b""[..], b"f", b"fo", b"foo", b"foob", b"fooba", b"foobar", &[255, 254, 0, 1]] {
            assert_eq!(b64_decode(&b64_encode(data)).unwrap(), data);
        }
        assert_eq!(b64_encode(b"foobar"), "Zm9vYmFy");
        assert!(b64_decode("a=").is_none());
        // One spelling per byte string: unused low bits must be zero.
        assert_eq!(b64_decode("Zg").unwrap(), b"f");
        assert!(b64_decode("Zh").is_none());
        assert_eq!(b64_decode("Zm8").unwrap(), b"fo");
        assert!(b64_decode("Zm9").is_none());
    }

    const SECRET: &[u8] = b"a-test-secret-of-at-least-32-bytes";
    const OTHER: &[u8] = b"another-secret-of-at-least-32-bytes";
    const T0: Timestamp = Timestamp(1_700_000_000_000);

    fn alice() -> UserId {
        UserId::parse("alice").unwrap()
    }

    fn unsigned(header: &str, claims: &str) -> String {
        format!("{}.{}", b64_encode(header.as_bytes()), b64_encode(claims.as_bytes()))
    }

    fn hs256(secret: &[u8], signed: &str) -> String {
        let mut m = Key::new(secret).mac();
        m.update(signed.as_bytes());
        format!("{signed}.{}", b64_encode(&m.finalize().into_bytes()))
    }

    #[test]
    fn tokens_are_standard_jwts() {
        let t = sign_token(SECRET, &alice(), T0, T0.plus_ms(60_000));
        let parts: Vec<&str> = t.split('.').collect();
        assert_eq!(parts.len(), 3);
        let header: serde_json::Value = serde_json::from_slice(&b64_decode(parts[0]).unwrap()).unwrap();
        assert_eq!(header["alg"], "HS256");
        assert_eq!(header["typ"], "JWT");
        assert_eq!(header["kid"], Keys::new(SECRET).key_id());
        let claims: serde_json::Value = serde_json::from_slice(&b64_decode(parts[1]).unwrap()).unwrap();
        assert_eq!(claims, serde_json::json!({"sub": "alice", "iat": 1_700_000_000, "exp": 1_700_000_060}));
        // The well-known example token of RFC 7519's HS256 shape, minted by
        // hand here: any stack's token verifies (with an `iat`: the default
        // policy bounds lifetimes).
        let foreign = hs256(
            SECRET,
            &unsigned(r#"{"typ":"JWT","alg":"HS256"}"#, r#"{"sub":"bob","iat":1700000000,"exp":1700000100,"iss":"x"}"#),
        );
        let v = Keys::new(SECRET).verify(&foreign, T0).unwrap();
        assert_eq!(v, Verified { user: UserId::parse("bob").unwrap(), expires: Timestamp(1_700_000_100_000) });
    }

    #[test]
    fn tokens_verify_expire_and_resist_forgery() {
        let keys = Keys::new(SECRET);
        let t = keys.sign(&alice(), T0, T0.plus_ms(1_000));
        assert_eq!(keys.verify(&t, T0).unwrap().user, alice());
        assert_eq!(keys.verify(&t, T0.plus_ms(1_000)).unwrap_err().message, "token expired");
        assert!(Keys::new(OTHER).verify(&t, T0).is_err());
        // Swap in another user's claims: the signature no longer matches.
        let bob = keys.sign(&UserId::parse("bob").unwrap(), T0, T0.plus_ms(1_000));
        let forged = format!("{}.{}", bob.rsplit_once('.').unwrap().0, t.rsplit_once('.').unwrap().1);
        assert_eq!(keys.verify(&forged, T0).unwrap_err().message, "invalid token signature");
        // alg=none, or another algorithm, is refused whatever the signature.
        let none = format!("{}.", unsigned(r#"{"alg":"none"}"#, r#"{"sub":"alice","exp":9999999999}"#));
        assert!(keys.verify(&none, T0).unwrap_err().message.contains("HS256"));
        let hs512 = hs256(SECRET, &unsigned(r#"{"alg":"HS512"}"#, r#"{"sub":"alice","exp":9999999999}"#));
        assert!(keys.verify(&hs512, T0).is_err());
        // nbf in the future, a bad sub, a missing exp.
        let early =
            hs256(SECRET, &unsigned(r#"{"alg":"HS256"}"#, r#"{"sub":"alice","exp":9999999999,"nbf":9999999998}"#));
        assert_eq!(keys.verify(&early, T0).unwrap_err().message, "token not valid yet");
        let bad_sub = hs256(SECRET, &unsigned(r#"{"alg":"HS256"}"#, r#"{"sub":"a/b","exp":9999999999}"#));
        assert!(keys.verify(&bad_sub, T0).is_err());
        let no_exp = hs256(SECRET, &unsigned(r#"{"alg":"HS256"}"#, r#"{"sub":"alice"}"#));
        assert_eq!(keys.verify(&no_exp, T0).unwrap_err().message, "malformed token");
        let long = "a".repeat(MAX_TOKEN_BYTES + 1);
        for bad in ["", ".", "a.b", "a.b.c", "Bearer x", "!!.??.**", long.as_str()] {
            assert_eq!(keys.verify(bad, T0).unwrap_err().code, ErrorCode::Unauthorized);
        }
    }

    #[test]
    fn two_keys_verify_during_a_rotation() {
        let old = Keys::new(OTHER).sign(&alice(), T0, T0.plus_ms(60_000));
        let rotated = Keys::new(SECRET).with_previous(OTHER);
        assert_eq!(rotated.verify(&old, T0).unwrap().user, alice());
        assert_eq!(rotated.verify(&rotated.sign(&alice(), T0, T0.plus_ms(60_000)), T0).unwrap().user, alice());
        // Without a kid, each key is tried.
        let no_kid =
            hs256(OTHER, &unsigned(r#"{"alg":"HS256"}"#, r#"{"sub":"alice","iat":1700000000,"exp":1700000100}"#));
        assert!(rotated.verify(&no_kid, T0).is_ok());
        // After the rotation ends, the old key's tokens fail.
        assert_eq!(Keys::new(SECRET).verify(&old, T0).unwrap_err().message, "token signed with an unknown key");
        // A short previous key is ignored.
        let weak = Keys::new(SECRET).with_previous(b"short");
        let forged = hs256(b"short", &unsigned(r#"{"alg":"HS256"}"#, r#"{"sub":"alice","exp":9999999999}"#));
        assert!(weak.verify(&forged, T0).is_err());
        let shown = format!("{rotated:?}");
        assert_eq!(
            shown,
            format!("Keys {{ current: {:?}, previous: Some({:?}) }}", rotated.key_id(), Keys::new(OTHER).key_id())
        );
    }

    #[test]
    fn no_token_verifies_under_an_empty_or_short_secret() {
        for weak in [&b""[..], b"s3cret", &[b'x'; MIN_SECRET_BYTES - 1]] {
            // A token forged with the weak key itself.
            let forged = sign_token(weak, &alice(), T0, T0.plus_ms(1_000));
            assert_eq!(Keys::new(weak).verify(&forged, T0).unwrap_err().code, ErrorCode::Unauthorized);
        }
        assert!(usable_secret(&[b'x'; MIN_SECRET_BYTES]));
    }

    #[test]
    fn a_trivially_guessable_secret_signs_and_verifies_nothing() {
        let repeated = [b'x'; 64];
        let few = b"abababababababababababababababab1234"; // 6 distinct bytes
        for weak in [&repeated[..], &few[..]] {
            assert!(secret_problem(weak).unwrap().contains("trivially guessable"), "{weak:?}");
            let forged = sign_token(weak, &alice(), T0, T0.plus_ms(1_000));
            let keys = Keys::new(weak);
            assert!(!keys.usable());
            assert_eq!(keys.verify(&forged, T0).unwrap_err().message, "the service has no usable token secret");
            // Nor as the previous key of a rotation.
            assert!(Keys::new(SECRET).with_previous(weak).verify(&forged, T0).is_err());
        }
        assert!(secret_problem(b"short").unwrap().contains("shorter than 32"));
        assert_eq!((MIN_SECRET_BYTES, MIN_DISTINCT_SECRET_BYTES), (32, 8), "as the messages say");
        assert_eq!(secret_problem(SECRET), None);
        assert_eq!(secret_problem(b"0123456789abcdef0123456789abcdef"), None);
    }

    fn claims(json: &str) -> String {
        hs256(SECRET, &unsigned(r#"{"alg":"HS256"}"#, json))
    }

    #[test]
    fn the_lifetime_is_bounded_and_iat_may_not_be_in_the_future() {
        let keys = Keys::new(SECRET);
        let t0 = T0.0 / 1000;
        // Exactly the default bound: accepted; one second more: refused.
        let longest = keys.sign(&alice(), T0, T0.plus_ms(DEFAULT_MAX_LIFETIME_S * 1000));
        assert!(keys.verify(&longest, T0).is_ok());
        let too_long = keys.sign(&alice(), T0, T0.plus_ms((DEFAULT_MAX_LIFETIME_S + 1) * 1000));
        let refused = keys.verify(&too_long, T0).unwrap_err();
        assert_eq!(refused.code, ErrorCode::Unauthorized);
        assert_eq!(refused.message, "token lifetime (exp - iat) is 2592001 s; this service accepts at most 2592000 s");
        // exp near u64::MAX: no overflow, refused.
        let forever = claims(&format!(r#"{{"sub":"alice","iat":{t0},"exp":{}}}"#, u64::MAX));
        assert!(keys.verify(&forever, T0).unwrap_err().message.starts_with("token lifetime"));
        // No iat while a bound is set: refused, saying why.
        let no_iat = claims(&format!(r#"{{"sub":"alice","exp":{}}}"#, t0 + 60));
        assert!(keys.verify(&no_iat, T0).unwrap_err().message.starts_with("token has no iat"));
        // iat within the leeway: accepted; past it: refused.
        let skewed = keys.sign(&alice(), T0.plus_ms(IAT_LEEWAY_S * 1000), T0.plus_ms(3_600_000));
        assert!(keys.verify(&skewed, T0).is_ok());
        let future = keys.sign(&alice(), T0.plus_ms((IAT_LEEWAY_S + 1) * 1000), T0.plus_ms(3_600_000));
        assert_eq!(
            keys.verify(&future, T0).unwrap_err().message,
            "token issued in the future: its iat is ahead of this service's clock"
        );
        // Without a bound: no iat is fine, any lifetime too; a future iat is still refused.
        let unbounded = Keys::new(SECRET).with_policy(Policy { max_lifetime_s: None, ..Policy::default() });
        assert!(unbounded.verify(&no_iat, T0).is_ok());
        assert!(unbounded.verify(&forever, T0).is_ok());
        assert!(unbounded.verify(&future, T0).is_err());
        let auth = keys.authenticate(&longest, T0).unwrap();
        assert_eq!(auth.issued, Some(T0));
    }

    #[test]
    fn audience_and_issuer_are_checked_when_configured() {
        let policy =
            Policy { audience: Some("api.example".into()), issuer: Some("microcos".into()), ..Policy::default() };
        let keys = Keys::new(SECRET).with_policy(policy);
        let t0 = T0.0 / 1000;
        let exp = t0 + 60;
        // Its own tokens carry both.
        let own = keys.sign(&alice(), T0, T0.plus_ms(60_000));
        let body: serde_json::Value =
            serde_json::from_slice(&b64_decode(own.split('.').nth(1).unwrap()).unwrap()).unwrap();
        assert_eq!((body["aud"].as_str(), body["iss"].as_str()), (Some("api.example"), Some("microcos")));
        assert!(keys.verify(&own, T0).is_ok());
        // aud as an array naming it: accepted.
        let array = claims(&format!(
            r#"{{"sub":"alice","iat":{t0},"exp":{exp},"iss":"microcos","aud":["other","api.example"]}}"#
        ));
        assert!(keys.verify(&array, T0).is_ok());
        let cases = [
            (format!(r#"{{"sub":"alice","iat":{t0},"exp":{exp},"iss":"microcos"}}"#), "audience"),
            (format!(r#"{{"sub":"alice","iat":{t0},"exp":{exp},"iss":"microcos","aud":"elsewhere"}}"#), "audience"),
            (format!(r#"{{"sub":"alice","iat":{t0},"exp":{exp},"iss":"microcos","aud":["a","b"]}}"#), "audience"),
            (format!(r#"{{"sub":"alice","iat":{t0},"exp":{exp},"aud":"api.example"}}"#), "issuer"),
            (format!(r#"{{"sub":"alice","iat":{t0},"exp":{exp},"iss":"evil","aud":"api.example"}}"#), "issuer"),
        ];
        for (json, what) in cases {
            let err = keys.verify(&claims(&json), T0).unwrap_err();
            assert_eq!(err.code, ErrorCode::Unauthorized);
            assert!(err.message.contains(what), "{json}: {}", err.message);
        }
        // A token for another deployment (same secret, no aud) fails here,
        // and this deployment's token works where nothing is configured.
        assert!(keys.verify(&sign_token(SECRET, &alice(), T0, T0.plus_ms(60_000)), T0).is_err());
        assert!(Keys::new(SECRET).verify(&own, T0).is_ok());
    }

    #[test]
    fn a_revocation_refuses_the_tokens_issued_before_it() {
        let keys = Keys::new(SECRET);
        let at = revocation_time(T0.plus_ms(400));
        assert_eq!(at, T0.plus_ms(1_000), "the next whole second");
        let before = keys.authenticate(&keys.sign(&alice(), T0, T0.plus_ms(60_000)), T0).unwrap();
        let same_second = keys.authenticate(&keys.sign(&alice(), T0.plus_ms(900), T0.plus_ms(60_000)), T0).unwrap();
        let after = keys.authenticate(&keys.sign(&alice(), at, T0.plus_ms(60_000)), T0).unwrap();
        let err = check_revocation(before.issued, Some(at)).unwrap_err();
        assert_eq!(err.code, ErrorCode::Unauthorized);
        assert!(err.message.starts_with("token revoked"), "{}", err.message);
        assert!(check_revocation(same_second.issued, Some(at)).is_err());
        assert!(check_revocation(after.issued, Some(at)).is_ok());
        assert!(check_revocation(before.issued, None).is_ok(), "no revocation");
        assert!(check_revocation(None, Some(at)).is_err(), "no iat: cannot show it is newer");
        assert!(check_revocation(None, None).is_ok());
    }

    #[test]
    fn the_operator_secret_is_compared_whole() {
        assert!(operator_secret_matches(core::str::from_utf8(OTHER).unwrap(), OTHER));
        assert!(!operator_secret_matches("another-secret-of-at-least-32-byteS", OTHER));
        assert!(!operator_secret_matches("", OTHER));
        assert!(!operator_secret_matches("another", OTHER));
        // A weak operator secret opens nothing, not even to itself.
        assert!(!operator_secret_matches("x", b"x"));
        assert!(!operator_secret_matches(&"x".repeat(40), &[b'x'; 40]));
    }
}
