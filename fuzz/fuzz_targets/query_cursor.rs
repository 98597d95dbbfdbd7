//! The small text parsers of the edge: query strings, the resume cursor's
//! `tokens`, ids, dates and times. Where a formatter exists, parse → format
//! → parse gives the same value (and, for the strict formats, the same text).
#![no_main]

use std::collections::BTreeMap;

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use microcos_core::Cursor;
use microcos_core::{ClientActionId, OperationId, Seq, UserId};
use microcos_core::time::{LocalDate, LocalTime};
use microcos_core::uuid::Uuid;
use microcos_host::edge::query_param;

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    key: &'a str,
    value: &'a str,
    rest: &'a str,
    after: u64,
    tokens: Vec<(u128, u32, u32)>,
    date: (u16, u8, u8),
    time: (u8, u8),
    offset: i16,
    text: &'a str,
}

/// Percent-encodes every byte but the unreserved ones.
fn encode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The reference decoding of a query value: `%XX` (two hex digits) is a byte,
/// `+` a space, anything else itself.
fn decode(s: &str) -> String {
    let (b, mut out, mut i) = (s.as_bytes(), Vec::new(), 0);
    while i < b.len() {
        let hex = |c: u8| (c as char).to_digit(16);
        match b[i] {
            b'%' if i + 2 < b.len() && hex(b[i + 1]).is_some() && hex(b[i + 2]).is_some() => {
                out.push((hex(b[i + 1]).unwrap() * 16 + hex(b[i + 2]).unwrap()) as u8);
                i += 3;
                continue;
            }
            b'+' => out.push(b' '),
            c => out.push(c),
        }
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fuzz_target!(|i: Input<'_>| {
    // Query strings: an encoded value comes back; the first of a repeated key wins.
    let _ = query_param(i.text, i.key);
    if !i.key.contains(['&', '=']) {
        let q = format!("{}={}&{}={}&{}", i.key, encode(i.value), i.key, encode(i.rest), i.rest);
        assert_eq!(query_param(&q, i.key).as_deref(), Some(i.value), "{q}");
        if !i.text.contains('&') {
            let got = query_param(&format!("{}={}", i.key, i.text), i.key);
            assert_eq!(got.as_deref(), Some(decode(i.text).as_str()), "{:?}", i.text);
        }
    }

    // The resume cursor: `Cursor::to_query` is read back by the edge's parsers.
    let read_back = |c: &Cursor| {
        let q = c.to_query();
        let after = query_param(&q, "after").and_then(|a| a.parse().ok()).map(Seq);
        let tokens = Cursor::parse_tokens(&query_param(&q, "tokens").unwrap_or_default());
        (after, tokens)
    };
    if let Some(tokens) = Cursor::parse_tokens(i.text) {
        assert!(tokens.len() <= 16);
        let c = Cursor { after: Seq(i.after), tokens };
        assert_eq!(read_back(&c), (Some(c.after), Some(c.tokens.clone())));
    }
    let tokens: BTreeMap<OperationId, (u32, u32)> =
        i.tokens.iter().take(16).map(|&(op, a, n)| (OperationId(Uuid::from_u128(op)), (a, n))).collect();
    let c = Cursor { after: Seq(i.after), tokens };
    assert_eq!(read_back(&c), (Some(c.after), Some(c.tokens.clone())));

    // Ids.
    if let Some(op) = OperationId::parse(i.text) {
        assert_eq!(OperationId::parse(&op.to_string()), Some(op));
    }
    if let Some(u) = UserId::parse(i.text) {
        assert_eq!((u.as_str(), UserId::parse(&u.to_string())), (i.text, Some(u.clone())));
    }
    if let Some(c) = ClientActionId::parse(i.text) {
        assert_eq!(c.0, i.text);
    }

    // Dates and times: the wire text is exact, days and instants agree.
    if let Some(d) = LocalDate::parse(i.text) {
        assert_eq!(d.to_string(), i.text);
    }
    if let Some(t) = LocalTime::parse(i.text) {
        assert_eq!(t.to_string(), i.text);
    }
    let (y, m, day) = i.date;
    if let Some(d) = LocalDate::new(y, m, day) {
        assert_eq!(LocalDate::parse(&d.to_string()), Some(d));
        let midnight = LocalTime::new(0, 0).unwrap();
        assert_eq!(LocalDate::at(d.instant(midnight, 0), 0), d);
        if d != LocalDate::new(9999, 12, 31).unwrap() {
            assert!(d.succ() > d && d.succ().days() == d.days() + 1, "{d} -> {}", d.succ());
        }
        if let Some(t) = LocalTime::new(i.time.0, i.time.1) {
            assert_eq!(LocalTime::parse(&t.to_string()), Some(t));
            // Any offset users may set (-12:00..=+14:00) finds the same local date back.
            let offset = i32::from(i.offset).rem_euclid(1561) - 720;
            assert_eq!(LocalDate::at(d.instant(t, offset), offset), d, "{d} {t} {offset}");
        }
    }
});
