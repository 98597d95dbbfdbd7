//! The fast path of [`Envelope::from_json`](super::Envelope::from_json):
//! the envelope's members in the canonical layout
//! [`Envelope::to_json`](super::Envelope::to_json) writes, read by hand; the
//! payload by serde_json (and the tokens of `llm.checkpoint` and
//! `llm.completed`, most of a log's bytes, by hand too).
//!
//! It answers `None` for anything it does not read exactly as serde_json
//! would (escapes, control characters, whitespace, other member orders or
//! duplicates, `null` for an optional member, numbers other than plain
//! non-negative integers of at most 19 digits, an unknown type, a payload
//! that does not decode), and the caller then decodes the line with
//! serde_json from the start: the result is the same either way, which the
//! tests below check edit by edit. Its bit tricks (eight bytes at a time)
//! are in [`super::swar`].

use alloc::string::String;
use alloc::vec::Vec;

use uuid::Uuid;

use super::{swar, Catalogue, Envelope, Event, EventType, SCHEMA_VERSION};
use crate::ids::{ClientActionId, EventId, OperationId, RequestId, Seq, Timestamp, UserId};
use crate::operation::{LlmCheckpoint, LlmCompleted, LlmEvent, LlmEventType, Tokens};

struct Cursor<'a> {
    s: &'a str,
    i: usize,
}

impl<'a> Cursor<'a> {
    #[inline]
    fn rest(&self) -> &'a [u8] {
        &self.s.as_bytes()[self.i..]
    }

    /// Skips `lit` if the input continues with it.
    #[inline]
    fn eat(&mut self, lit: &[u8]) -> bool {
        let hit = self.rest().get(..lit.len()).is_some_and(|r| swar::same(r, lit));
        if hit {
            self.i += lit.len();
        }
        hit
    }

    /// A string without escapes or control characters (serde_json
    /// rejects raw control characters; escapes are left to it).
    #[inline]
    fn string(&mut self) -> Option<&'a str> {
        let b = self.s.as_bytes();
        if b.get(self.i) != Some(&b'"') {
            return None;
        }
        let start = self.i + 1;
        // Eight bytes at a time, then one by one.
        let mut end = swar::plain_words(b, start);
        while b.get(end).is_some_and(|&c| c != b'"' && c != b'\\' && c >= 0x20) {
            end += 1;
        }
        if b.get(end) != Some(&b'"') {
            return None;
        }
        self.i = end + 1;
        self.s.get(start..end)
    }

    /// `0` or a run of at most 19 digits not starting with 0 (no overflow,
    /// no sign, fraction or exponent: the next byte is checked by the caller).
    #[inline]
    fn uint(&mut self) -> Option<u64> {
        let rest = self.rest();
        let n = rest.iter().take(20).take_while(|b| b.is_ascii_digit()).count();
        if n == 0 || n > 19 || (n > 1 && rest[0] == b'0') {
            return None;
        }
        self.i += n;
        Some(rest[..n].iter().fold(0u64, |acc, &d| acc * 10 + u64::from(d - b'0')))
    }

    /// A hyphenated UUID, `"xxxxxxxx-xxxx-xxxx-xxxx-xxxxxxxxxxxx"` in hex
    /// digits of either case: what [`Uuid::parse_str`] reads from 36
    /// bytes (its other forms are left to serde_json).
    #[inline]
    fn uuid(&mut self) -> Option<Uuid> {
        /// Where each byte's two digits are, after the opening quote.
        const AT: [usize; 16] = [1, 3, 5, 7, 10, 12, 15, 17, 20, 22, 25, 27, 29, 31, 33, 35];
        let s: &[u8; 38] = self.rest().get(..38)?.try_into().ok()?;
        if s[0] != b'"' || s[37] != b'"' || s[9] != b'-' || s[14] != b'-' || s[19] != b'-' || s[24] != b'-' {
            return None;
        }
        let mut bytes = [0u8; 16];
        let mut bad = 0u8;
        for (b, &at) in bytes.iter_mut().zip(&AT) {
            let (hi, lo) = (HEX[usize::from(s[at])], HEX[usize::from(s[at + 1])]);
            bad |= hi | lo;
            *b = (hi << 4) | (lo & 0x0f);
        }
        if bad & 0xf0 != 0 {
            return None;
        }
        self.i += 38;
        Some(Uuid::from_bytes(bytes))
    }
}

/// The value of a hex digit, 0xff for any other byte.
const HEX: [u8; 256] = {
    let mut t = [0xffu8; 256];
    let mut i = 0;
    while i < 10 {
        t[b'0' as usize + i] = i as u8;
        i += 1;
    }
    let mut i = 0;
    while i < 6 {
        t[b'a' as usize + i] = 10 + i as u8;
        t[b'A' as usize + i] = 10 + i as u8;
        i += 1;
    }
    t
};

/// Whether `p` holds fewer than 127 opening brackets (`[` or `{`,
/// strings included): then it nests less than 127 deep.
fn shallow(p: &[u8]) -> bool {
    // A value 127 deep is at least 254 bytes long.
    if p.len() < 254 {
        return true;
    }
    swar::opening_brackets(p) < 127
}

/// The payload of `llm.checkpoint`, or of `llm.completed` without tool
/// calls, in its canonical layout (`{"attempt":1,"from_index":0,
/// "tokens":["…",…]}`): most of a log's bytes. Anything else is left to
/// serde_json.
fn tokens(p: &str, completed: bool) -> Option<LlmEvent> {
    let mut c = Cursor { s: p, i: 0 };
    if !c.eat(br#"{"attempt":"#) {
        return None;
    }
    let attempt = u32::try_from(c.uint()?).ok()?;
    if !c.eat(br#","from_index":"#) {
        return None;
    }
    let from_index = u32::try_from(c.uint()?).ok()?;
    if !c.eat(br#","tokens":["#) {
        return None;
    }
    let mut tokens = Tokens::with_capacity(256, 32);
    if !c.eat(b"]") {
        loop {
            tokens.push(c.string()?);
            if c.eat(b"]") {
                break;
            }
            if !c.eat(b",") {
                return None;
            }
        }
    }
    if c.i + 1 != p.len() || !c.eat(b"}") {
        return None;
    }
    Some(match completed {
        false => LlmEvent::Checkpoint(LlmCheckpoint { attempt, from_index, tokens }),
        true => LlmEvent::Completed(LlmCompleted { attempt, from_index, tokens, tool_calls: Vec::new() }),
    })
}

/// The envelope, or `None` for serde_json to decode. Without
/// `user`, its `user_id` is left empty (checked, not copied): for the
/// replayer, whose reducer never reads it.
pub(super) fn parse<E: Catalogue>(s: &str, user: bool) -> Option<Envelope<E>> {
    let mut c = Cursor { s, i: 0 };
    if !c.eat(br#"{"v":1,"seq":"#) {
        return None;
    }
    let seq = Seq(c.uint()?);
    if !c.eat(br#","event_id":"#) {
        return None;
    }
    let event_id = EventId(c.uuid()?);
    if !c.eat(br#","type":"#) {
        return None;
    }
    let ty = EventType::<E::Type>::parse(c.string()?)?;
    if !c.eat(br#","timestamp":"#) {
        return None;
    }
    let timestamp = Timestamp(c.uint()?);
    if !c.eat(br#","user_id":"#) {
        return None;
    }
    let user_id = c.string()?;
    if !c.eat(br#","request_id":"#) {
        return None;
    }
    let request_id = RequestId(c.uuid()?);
    let mut client_action_id = None;
    if c.eat(br#","client_action_id":"#) {
        client_action_id = Some(ClientActionId(String::from(c.string()?)));
    }
    let mut operation_id = None;
    if c.eat(br#","operation_id":"#) {
        operation_id = Some(OperationId(c.uuid()?));
    }
    let mut causation_id = None;
    if c.eat(br#","causation_id":"#) {
        causation_id = Some(EventId(c.uuid()?));
    }
    if !c.eat(br#","payload":"#) {
        return None;
    }
    // The payload runs to the closing brace, before any trailing JSON whitespace.
    let body = s.trim_end_matches([' ', '\n', '\t', '\r']);
    let payload = body.strip_suffix('}')?.get(c.i..)?;
    // serde_json refuses nesting past 128 levels, the envelope being one
    // of them: with fewer than 127 brackets in all, neither way reaches
    // it. The kernel's own payloads, when they decode, nest at most 3 deep.
    if matches!(ty, EventType::Domain(_)) && !shallow(payload.as_bytes()) {
        return None;
    }
    let event = match ty {
        EventType::Llm(LlmEventType::Checkpoint) => tokens(payload, false),
        EventType::Llm(LlmEventType::Completed) => tokens(payload, true),
        _ => None,
    };
    let event = match event {
        Some(event) => Event::Llm(event),
        None => {
            let mut de = serde_json::Deserializer::from_str(payload);
            let event = Event::<E>::deserialize_payload(ty, &mut de).ok()?;
            de.end().ok()?;
            event
        }
    };
    Some(Envelope {
        v: SCHEMA_VERSION,
        seq,
        event_id,
        timestamp,
        user_id: UserId(if user { String::from(user_id) } else { String::new() }),
        request_id,
        client_action_id,
        operation_id,
        causation_id,
        event,
    })
}

#[cfg(test)]
mod tests {
    use alloc::format;
    use alloc::string::{String, ToString};
    use alloc::vec::Vec;

    use serde::{Deserialize, Serialize};
    use uuid::Uuid;

    use super::*;

    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[cfg_attr(feature = "schema", derive(schemars::JsonSchema))]
    #[serde(deny_unknown_fields)]
    struct Said {
        text: String,
    }

    impl crate::validate::Payload for Said {
        const FIELDS: &'static [crate::validate::FieldSpec] =
            &[crate::validate::FieldSpec::required("text", crate::validate::FieldKind::Str)];
    }

    #[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
    #[serde(deny_unknown_fields)]
    struct Anything {
        value: serde_json::Value,
    }

    crate::catalogue! {
        enum TestEvent / TestEventType {
            Said(Said) = "t.said", Client;
            Anything(Anything) = "t.any", System;
        }
    }

    /// `from_json` gives what serde_json gives, value or error message, and
    /// the fast path, when it answers, answers the same.
    fn same(line: &str) -> bool {
        let slow = serde_json::from_str::<Envelope<TestEvent>>(line);
        let fast = Envelope::<TestEvent>::from_json(line);
        match (&slow, &fast) {
            (Ok(a), Ok(b)) => assert_eq!(a, b, "{line}"),
            (Err(a), Err(b)) => assert_eq!(a.to_string(), b.to_string(), "{line}"),
            _ => panic!("{line}: serde_json {slow:?}, from_json {fast:?}"),
        }
        let took = parse::<TestEvent>(line, true);
        let blank = parse::<TestEvent>(line, false);
        assert_eq!(took.is_some(), blank.is_some());
        if let Some(env) = &took {
            assert_eq!(Some(env), slow.as_ref().ok(), "the fast path took {line}");
        }
        took.is_some()
    }

    fn envelope(event: TestEvent, optional: bool) -> Envelope<TestEvent> {
        Envelope {
            v: SCHEMA_VERSION,
            seq: Seq(7),
            event_id: EventId(Uuid::from_u128(0x0123_4567_89ab_cdef_fedc_ba98_7654_3210)),
            timestamp: Timestamp(1_764_300_000_000),
            user_id: UserId("alice".into()),
            request_id: RequestId(Uuid::from_u128(2)),
            client_action_id: optional.then(|| ClientActionId("ca-1".into())),
            operation_id: optional.then(|| OperationId(Uuid::from_u128(3))),
            causation_id: optional.then(|| EventId(Uuid::from_u128(u128::MAX))),
            event: Event::Domain(event),
        }
    }

    #[test]
    fn the_fast_path_reads_what_serde_json_reads() {
        let said = TestEvent::Said(Said { text: "hi \"there\"\n".into() });
        let plain = envelope(said.clone(), false).to_json();
        let full = envelope(said, true).to_json();
        let llm = Envelope {
            event: Event::Llm(LlmEvent::Token(crate::operation::LlmToken { attempt: 1, index: 0, text: "x".into() })),
            ..envelope(TestEvent::Said(Said { text: String::new() }), true)
        }
        .to_json();
        let base = envelope(TestEvent::Said(Said { text: String::new() }), true);
        let tokens: crate::operation::Tokens = ["Hello", " wor", "ld", "", "\u{e9}"].into_iter().collect();
        let checkpoint = Envelope {
            event: Event::Llm(LlmEvent::Checkpoint(crate::operation::LlmCheckpoint {
                attempt: 2,
                from_index: 4_294_967_295,
                tokens: tokens.clone(),
            })),
            ..base.clone()
        }
        .to_json();
        let completed = |tokens: crate::operation::Tokens, tool_calls: Vec<crate::ToolCall>| {
            Envelope {
                event: Event::Llm(LlmEvent::Completed(crate::operation::LlmCompleted {
                    attempt: 0,
                    from_index: 10,
                    tokens,
                    tool_calls,
                })),
                ..base.clone()
            }
            .to_json()
        };
        let call = crate::ToolCall { id: "c1".into(), name: "f".into(), arguments: "{}".into() };
        let completed_lines = [
            completed(tokens.clone(), Vec::new()),
            completed(crate::operation::Tokens::new(), Vec::new()),
            completed(tokens, alloc::vec![call]),
        ];
        for line in [&plain, &full, &llm, &checkpoint].into_iter().chain(&completed_lines) {
            assert!(same(line), "canonical lines take the fast path: {line}");
        }
        let token_edits: &[(&str, &str)] = &[
            (r#""attempt":2"#, r#""attempt":4294967296"#),
            (r#""attempt":2"#, r#""attempt":02"#),
            (r#""attempt":2"#, r#""attempt":2.5"#),
            (r#""attempt":2,"#, r#""attempt":2,"attempt":3,"#),
            (r#""attempt":2,"#, ""),
            ("4294967295", "4294967296"),
            (r#""from_index""#, r#""index""#),
            (r#""tokens":["#, r#""tokens": ["#),
            (r#""tokens":["#, r#""tokens":["x" ,"#),
            (r#""tokens":["#, r#""tokens":[null,"#),
            (r#""tokens":["#, r#""tokens":["a\nb","#),
            (r#""tokens":["#, "\"tokens\":[\"a\tb\","),
            (r#""Hello""#, r#""Hello",]"#),
            (r#""Hello""#, r#""Hello",,"x""#),
            ("\"\u{e9}\"]", "\"\u{e9}\"],\"more\":1"),
            ("\"\u{e9}\"]", "\"\u{e9}\"],\"tool_calls\":[]"),
            ("\"\u{e9}\"]", "\"\u{e9}\"] "),
            ("\"\u{e9}\"]", "\"\u{e9}\"]}"),
            ("\"\u{e9}\"]", "\"\u{e9}\""),
            (r#""tokens":[]"#, r#""tokens":[ ]"#),
            (r#""tokens":[]"#, r#""tokens":{}"#),
        ];
        let mut took = 0;
        for (from, to) in token_edits {
            for line in [&checkpoint].into_iter().chain(&completed_lines) {
                if line.contains(from) {
                    took += usize::from(same(&line.replacen(from, to, 1)));
                }
            }
        }
        assert!(took > 0, "some token edits stay canonical");
        let edits: &[(&str, &str)] = &[
            ("\"seq\":7", "\"seq\":0"),
            ("\"seq\":7", "\"seq\":07"),
            ("\"seq\":7", "\"seq\":-7"),
            ("\"seq\":7", "\"seq\":7.0"),
            ("\"seq\":7", "\"seq\":7e0"),
            ("\"seq\":7", "\"seq\":9999999999999999999"),
            ("\"seq\":7", "\"seq\":18446744073709551615"),
            ("\"seq\":7", "\"seq\":18446744073709551616"),
            ("\"seq\":7", "\"seq\":\"7\""),
            ("\"v\":1", "\"v\":2"),
            ("\"v\":1", "\"v\":0"),
            ("\"v\":1", "\"v\":1.0"),
            ("{\"v\":1", " {\"v\":1"),
            ("{\"v\":1", "{ \"v\":1"),
            ("\"seq\":7,", "\"seq\":7 ,"),
            ("\"seq\":7,", "\"seq\":7,\"seq\":8,"),
            ("01234567-89ab", "01234567-89AB"),
            ("01234567-89ab", "01234567-89ag"),
            ("01234567-89ab-cdef-fedc-ba9876543210", "0123456789abcdeffedcba9876543210"),
            ("01234567-89ab-cdef-fedc-ba9876543210", "{01234567-89ab-cdef-fedc-ba9876543210}"),
            ("01234567-89ab", "01234567+89ab"),
            ("01234567-89ab", "01234567\\u002d89ab"),
            ("\"alice\"", "\"al\\u0069ce\""),
            ("\"alice\"", "\"al\\\"ice\""),
            ("\"alice\"", "\"al\tice\""),
            ("\"alice\"", "\"al\u{7f}ice\u{e9}\""),
            ("\"alice\"", "null"),
            ("\"alice\"", "7"),
            ("\"ca-1\"", "null"),
            ("\"ca-1\"", "\"ca\\/1\""),
            ("\"t.said\"", "\"t.nope\""),
            ("\"t.said\"", "\"t.any\""),
            ("\"t.said\"", "\"t.sa\\u0069d\""),
            ("\"timestamp\"", "\"time\""),
            ("\"request_id\"", "\"request\""),
            ("\"payload\":{", "\"payload\": {"),
            ("\"payload\":{", "\"payload\":{\"extra\":1,"),
            ("\"payload\":{\"text\"", "\"payload\":{ \"text\""),
        ];
        let mut fast = 0;
        for (from, to) in edits {
            for line in [&plain, &full, &llm] {
                if line.contains(from) {
                    fast += usize::from(same(&line.replacen(from, to, 1)));
                }
            }
        }
        assert!(fast > 10, "some edits stay canonical");
        for line in [&plain, &full] {
            for tail in [" ", "\n", "\r\n\t ", "x", "}", ",", " }"] {
                same(&format!("{line}{tail}"));
            }
            let open = line.strip_suffix('}').unwrap_or(line);
            for tail in [" }", "\n}", ",\"seq\":8}", ",\"payload\":{\"text\":\"\"}}", "", "}}", "]"] {
                same(&format!("{open}{tail}"));
            }
            for cut in 0..line.len() {
                if line.is_char_boundary(cut) {
                    assert!(!same(&line[..cut]));
                }
            }
        }
        // Payload before type: serde_json's way only.
        let moved = full.replacen("\"type\":\"t.said\",", "", 1).replacen('}', "},\"type\":\"t.said\"}", 1);
        assert!(!same(&moved));
    }

    #[test]
    fn the_fast_path_keeps_serde_json_nesting_limit() {
        let mut took = Vec::new();
        for depth in 118..132 {
            let value = format!("{}{}", "[".repeat(depth), "]".repeat(depth));
            let mut line = envelope(TestEvent::Anything(Anything { value: serde_json::Value::Null }), false).to_json();
            line = line.replacen("null", &value, 1);
            took.push((depth, same(&line), serde_json::from_str::<Envelope<TestEvent>>(&line).is_ok()));
        }
        // Both ways refuse the deepest; the fast path leaves the edge to serde_json.
        assert!(took.iter().any(|&(_, fast, ok)| fast && ok));
        assert!(took.iter().any(|&(_, _, ok)| !ok));
        assert!(took.iter().all(|&(_, fast, ok)| !fast || ok));
    }
}
