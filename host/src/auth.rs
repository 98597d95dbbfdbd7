//! Bearer tokens: `mcs1.<payload>.<signature>`, both parts base64url without
//! padding. The payload is `{"sub":"<user>","exp":<ms since epoch>}`; the
//! signature is HMAC-SHA-256 over `mcs1.<payload>` with the service secret.
//!
//! Pure: the caller supplies the secret and "now". Verification is constant
//! time in the signature.

use alloc::format;
use alloc::string::String;
use alloc::vec::Vec;

use hmac::{Hmac, Mac};
use serde::{Deserialize, Serialize};
use sha2::Sha256;

use microcos_core::error::{ErrorCode, Rejection};
use microcos_core::ids::{Timestamp, UserId};

const PREFIX: &str = "mcs1.";
const B64: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

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
    (bits < 6).then_some(out)
}

#[derive(Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
struct Claims {
    sub: String,
    exp: u64,
}

/// The shortest secret a service accepts, in bytes. With a shorter one it
/// refuses to start (locally) or answers every authenticated request with
/// 503 (the Worker), and no token verifies.
pub const MIN_SECRET_BYTES: usize = 32;

/// Whether `secret` may sign and verify tokens.
pub fn usable_secret(secret: &[u8]) -> bool {
    secret.len() >= MIN_SECRET_BYTES
}

fn mac(secret: &[u8]) -> Hmac<Sha256> {
    // HMAC accepts keys of any length.
    <Hmac<Sha256> as Mac>::new_from_slice(secret).unwrap_or_else(|_| unreachable!("HMAC takes any key length"))
}

/// Signs a token for `user`, valid until `expires`.
pub fn sign_token(secret: &[u8], user: &UserId, expires: Timestamp) -> String {
    let claims = Claims { sub: String::from(user.as_str()), exp: expires.0 };
    let payload = b64_encode(&serde_json::to_vec(&claims).unwrap_or_default());
    let signed = format!("{PREFIX}{payload}");
    let mut m = mac(secret);
    m.update(signed.as_bytes());
    let sig = b64_encode(&m.finalize().into_bytes());
    format!("{signed}.{sig}")
}

fn unauthorized(message: &str) -> Rejection {
    Rejection::new(ErrorCode::Unauthorized, message)
}

/// Verifies a token and returns its user. Nothing verifies under a secret
/// shorter than [`MIN_SECRET_BYTES`] (an empty key would let anyone forge).
pub fn verify_token(secret: &[u8], token: &str, now: Timestamp) -> Result<UserId, Rejection> {
    if !usable_secret(secret) {
        return Err(unauthorized("the service has no usable token secret"));
    }
    let rest = token.strip_prefix(PREFIX).ok_or_else(|| unauthorized("malformed token"))?;
    let (payload, sig) = rest.split_once('.').ok_or_else(|| unauthorized("malformed token"))?;
    let sig = b64_decode(sig).ok_or_else(|| unauthorized("malformed token"))?;
    let mut m = mac(secret);
    m.update(PREFIX.as_bytes());
    m.update(payload.as_bytes());
    m.verify_slice(&sig).map_err(|_| unauthorized("invalid token signature"))?;
    let claims: Claims = b64_decode(payload)
        .and_then(|p| serde_json::from_slice(&p).ok())
        .ok_or_else(|| unauthorized("malformed token"))?;
    if claims.exp <= now.0 {
        return Err(unauthorized("token expired"));
    }
    UserId::parse(&claims.sub).ok_or_else(|| unauthorized("malformed token"))
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
    }

    const SECRET: &[u8] = b"a-test-secret-of-at-least-32-bytes";
    const OTHER: &[u8] = b"another-secret-of-at-least-32-bytes";

    #[test]
    fn tokens_verify_expire_and_resist_forgery() {
        let alice = UserId::parse("alice").unwrap();
        let t = sign_token(SECRET, &alice, Timestamp(1_000));
        assert_eq!(verify_token(SECRET, &t, Timestamp(999)).unwrap(), alice);
        assert_eq!(verify_token(SECRET, &t, Timestamp(1_000)).unwrap_err().message, "token expired");
        assert!(verify_token(OTHER, &t, Timestamp(0)).is_err());
        // Swap in another user's payload: the signature no longer matches.
        let bob = sign_token(SECRET, &UserId::parse("bob").unwrap(), Timestamp(1_000));
        let forged = format!("{}.{}", bob.rsplit_once('.').unwrap().0, t.rsplit_once('.').unwrap().1);
        assert!(verify_token(SECRET, &forged, Timestamp(0)).is_err());
        for bad in ["", "mcs1.", "mcs1.a.b", "Bearer x", "mcs1.!!.??"] {
            assert_eq!(verify_token(SECRET, bad, Timestamp(0)).unwrap_err().code, ErrorCode::Unauthorized);
        }
    }

    #[test]
    fn no_token_verifies_under_an_empty_or_short_secret() {
        let alice = UserId::parse("alice").unwrap();
        for weak in [&b""[..], b"s3cret", &[b'x'; MIN_SECRET_BYTES - 1]] {
            // A token forged with the weak key itself.
            let forged = sign_token(weak, &alice, Timestamp(1_000));
            assert_eq!(verify_token(weak, &forged, Timestamp(0)).unwrap_err().code, ErrorCode::Unauthorized);
        }
        assert!(usable_secret(&[b'x'; MIN_SECRET_BYTES]));
    }
}
