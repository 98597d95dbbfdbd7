//! Bearer tokens (JWT, HS256): a token signed for any valid user verifies to
//! that user until it expires; no other string verifies (an edit, another
//! key, junk).
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use microcos_core::{Timestamp, UserId};
use microcos_host::auth::{verify_token, Keys};

const SECRET: &[u8] = b"fuzz-secret-of-at-least-32-bytes-long";
const OTHER: &[u8] = b"another-fuzz-secret-at-least-32-bytes";
const NOW: Timestamp = Timestamp(1_764_300_000_000);

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    user: &'a str,
    ttl_s: u32,
    /// Where to edit the signed token, and the byte to put there.
    edit_at: u16,
    edit_to: u8,
    junk: &'a str,
}

fuzz_target!(|i: Input<'_>| {
    let verify = |key: &[u8], token: &str, now| verify_token(&Keys::new(key), token, now).map(|v| v.user); // AUTH-API
    let sign = |key: &[u8], user: &UserId, exp| Keys::new(key).sign(user, NOW, exp); // AUTH-API

    let Some(user) = UserId::parse(i.user) else {
        assert!(verify(SECRET, i.junk, NOW).is_err(), "junk verified: {:?}", i.junk);
        return;
    };
    let ttl_s = 1 + u64::from(i.ttl_s) % (microcos_host::auth::DEFAULT_MAX_LIFETIME_S - 1); // within the lifetime bound
    let exp = Timestamp(NOW.0 + 1_000 * ttl_s); // JWT counts seconds
    let token = sign(SECRET, &user, exp);
    assert_eq!(verify(SECRET, &token, NOW).ok(), Some(user.clone()));
    assert!(verify(SECRET, &token, exp).is_err(), "verified at its expiry");
    assert!(verify(OTHER, &token, NOW).is_err(), "verified under another key");
    assert!(verify(SECRET, &sign(OTHER, &user, exp), NOW).is_err(), "foreign token verified");
    // A token is one exact string: nothing else verifies.
    assert!(i.junk == token || verify(SECRET, i.junk, NOW).is_err(), "junk verified: {:?}", i.junk);

    // Any one-byte edit of the token must fail verification.
    let mut edited = token.clone().into_bytes();
    let at = usize::from(i.edit_at) % edited.len();
    if edited[at] != i.edit_to {
        edited[at] = i.edit_to;
        if let Ok(edited) = String::from_utf8(edited) {
            assert!(verify(SECRET, &edited, NOW).is_err(), "edited token verified: {edited}");
        }
    }
});
