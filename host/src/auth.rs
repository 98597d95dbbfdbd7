//! Bearer tokens: standard JSON Web Tokens signed with HS256 (RFC 7519), so
//! that any stack can mint them.
//!
//! - Header: `{"alg":"HS256","typ":"JWT","kid":"<key id>"}`. `kid` is
//!   optional; microcos sets it to a fingerprint of the signing key
//!   ([`Keys::key_id`]), and a verifier with two keys picks the key by it.
//! - Claims: `sub` (the user id), `exp` and `iat` (seconds since the Unix
//!   epoch). `exp` is required; `nbf`, when present, is honoured; other
//!   claims are ignored.
//!
//! Rotation: a service verifies with its current key and, optionally, its
//! previous one ([`Keys::with_previous`]), and signs with the current one.
//! Deploy the new key as current and the old as previous, wait for the old
//! tokens to expire, then drop the previous key.
//!
//! Pure: the caller supplies the keys and "now". Signatures are compared in
//! constant time; `alg` must be `HS256` (never `none`); a key shorter than
//! [`MIN_SECRET_BYTES`] signs and verifies nothing.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use microcos_core::error::{ErrorCode, Rejection};
use microcos_core::ids::{Timestamp, UserId};

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

/// Whether `secret` may sign and verify tokens.
pub fn usable_secret(secret: &[u8]) -> bool {
    secret.len() >= MIN_SECRET_BYTES
}

#[derive(Serialize, Deserialize)]
struct Header {
    alg: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    typ: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kid: Option<String>,
}

#[derive(Serialize, Deserialize)]
struct Claims {
    sub: String,
    exp: u64,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    iat: Option<u64>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    nbf: Option<u64>,
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

impl Keys {
    /// Signs and verifies with `current`.
    pub fn new(current: &[u8]) -> Keys {
        Keys { current: Key::new(current), previous: None }
    }

    /// Also verifies tokens signed with `previous` (a rotation). An unusable
    /// (short) previous key is ignored.
    pub fn with_previous(mut self, previous: &[u8]) -> Keys {
        if usable_secret(previous) {
            self.previous = Some(Key::new(previous));
        }
        self
    }

    /// Whether the current key may sign and verify ([`usable_secret`]).
    pub fn usable(&self) -> bool {
        usable_secret(&self.current.secret)
    }

    /// The current key's id (`kid`): a fingerprint that reveals nothing of it.
    pub fn key_id(&self) -> &str {
        &self.current.id
    }

    /// Signs a token for `user`, issued at `issued`, valid until `expires`
    /// (both rounded down to whole seconds, as JWT counts time).
    pub fn sign(&self, user: &UserId, issued: Timestamp, expires: Timestamp) -> String {
        let header =
            Header { alg: String::from("HS256"), typ: Some(String::from("JWT")), kid: Some(self.current.id.clone()) };
        let claims =
            Claims { sub: String::from(user.as_str()), exp: expires.0 / 1000, iat: Some(issued.0 / 1000), nbf: None };
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
    /// `kid` names, or each in turn without one), `alg`, `exp` and `nbf`.
    pub fn verify(&self, token: &str, now: Timestamp) -> Result<Verified, Rejection> {
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
        let user = UserId::parse(&claims.sub).ok_or_else(|| unauthorized("the token's sub is not a valid user id"))?;
        Ok(Verified { user, expires })
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
        // hand here: any stack's token verifies.
        let foreign =
            hs256(SECRET, &unsigned(r#"{"typ":"JWT","alg":"HS256"}"#, r#"{"sub":"bob","exp":1700000100,"iss":"x"}"#));
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
        let no_kid = hs256(OTHER, &unsigned(r#"{"alg":"HS256"}"#, r#"{"sub":"alice","exp":9999999999}"#));
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
}
