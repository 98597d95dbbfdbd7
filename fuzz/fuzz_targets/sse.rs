//! Model-stream decoding: the same bytes split at any points give the same
//! events (`SseDecoder`) and the same tokens and ending (`TokenDecoder`, both
//! dialects) as the bytes in one piece.
#![no_main]

use arbitrary::Arbitrary;
use libfuzzer_sys::fuzz_target;
use microcos_host::sse::{Dialect, Next, SseDecoder, TokenDecoder};

#[derive(Arbitrary, Debug)]
struct Input<'a> {
    /// Chunk lengths (cycled; 0 feeds an empty chunk).
    cuts: Vec<u8>,
    body: &'a [u8],
}

fn chunks<'a>(body: &'a [u8], cuts: &[u8]) -> Vec<&'a [u8]> {
    let (mut out, mut rest, mut k) = (Vec::new(), body, 0);
    while !rest.is_empty() {
        let n = if cuts.is_empty() { rest.len() } else { usize::from(cuts[k % cuts.len()]).min(rest.len()) };
        let (a, b) = rest.split_at(n);
        out.push(a);
        rest = b;
        k += 1;
        if k > 4 * body.len() + 4 {
            out.push(rest); // only empty chunks left in `cuts`: finish
            break;
        }
    }
    out
}

fn events(chunks: &[&[u8]]) -> Vec<String> {
    let mut d = SseDecoder::new();
    let mut out: Vec<String> = chunks.iter().flat_map(|c| d.push(c)).collect();
    out.extend(d.finish());
    out
}

/// Tokens up to the first ending, then the ending (`Done` or `Failed`).
fn tokens(dialect: Dialect, chunks: &[&[u8]]) -> Vec<Next> {
    let mut d = TokenDecoder::new(dialect);
    let mut out = Vec::new();
    let drain = |d: &mut TokenDecoder, out: &mut Vec<Next>| loop {
        match d.poll_token() {
            Next::NeedBytes => return false,
            t @ Next::Token(_) => out.push(t),
            end => {
                out.push(end);
                return true;
            }
        }
    };
    for c in chunks {
        d.feed(c);
        if drain(&mut d, &mut out) {
            return out;
        }
    }
    d.end_of_body();
    assert!(drain(&mut d, &mut out), "no ending after the end of the body");
    out
}

fuzz_target!(|i: Input<'_>| {
    let whole = [i.body];
    let split = chunks(i.body, &i.cuts);
    assert_eq!(split.concat(), i.body);
    assert_eq!(events(&split), events(&whole));
    for dialect in [Dialect::OpenAi, Dialect::WorkersAi] {
        let t = tokens(dialect, &whole);
        assert!(t.iter().all(|n| !matches!(n, Next::Token(s) if s.is_empty())), "an empty token");
        assert_eq!(tokens(dialect, &split), t);
    }
});
