//! The bit tricks of the envelope fast path ([`super::canonical`]): SWAR,
//! "SIMD within a register", eight bytes of the input read as one
//! little-endian `u64` and tested all at once with plain integer
//! arithmetic (no `unsafe`, no target features, the same on x86_64 and
//! wasm32).
//!
//! Every function here answers exactly what a byte-by-byte loop would (the
//! tests below compare them with one); they are only faster. The one trick
//! underneath is [`zeros`]: it marks each zero byte of a word, without a
//! carry from one byte reaching the next, so that a test of "is this byte
//! `c`" becomes `zeros(word ^ splat(c))`.

/// `0x01` in every byte. `ONES * b` repeats byte `b` eight times.
const ONES: u64 = u64::MAX / 255;

/// The word of eight bytes starting at `b[at]`, little-endian (the first
/// byte is the lowest), or `None` if fewer than eight bytes remain.
#[inline]
fn word_at(b: &[u8], at: usize) -> Option<u64> {
    b.get(at..at + 8).and_then(|w| w.try_into().ok()).map(u64::from_le_bytes)
}

/// `0x80` in each byte of `x` that is zero, `0` elsewhere.
///
/// Exact, unlike the shorter `(x - ONES) & !x & (ONES * 0x80)`, which may
/// also mark a `0x01` byte above a zero one (its borrow crosses bytes):
/// here the low seven bits of each byte are added to `0x7f` on their own,
/// which sets bit 7 exactly when one of them is set, and cannot carry out
/// of the byte; or-ing `x` in adds the byte's own bit 7. What is still
/// clear is a zero byte.
#[inline]
fn zeros(x: u64) -> u64 {
    !(((x & (ONES * 0x7f)) + ONES * 0x7f) | x) & (ONES * 0x80)
}

/// `0x80` in each byte of `w` (little-endian) that ends a plain JSON
/// string: `"`, `\` or a control character (below `0x20`: the bits `0xe0`
/// all clear).
#[inline]
fn special(w: u64) -> u64 {
    zeros(w ^ (ONES * u64::from(b'"'))) | zeros(w ^ (ONES * u64::from(b'\\'))) | zeros(w & (ONES * 0xe0))
}

/// Skips the bytes of a plain string from `b[from]` on, eight at a time:
/// the index of the first `"`, `\` or control character in a whole word,
/// or, if there is none, where fewer than eight bytes remain. Every byte in
/// `from..` the answer is plain; the caller reads on one byte at a time.
#[inline]
pub(super) fn plain_words(b: &[u8], from: usize) -> usize {
    let mut end = from;
    while let Some(w) = word_at(b, end) {
        let hits = special(w);
        if hits != 0 {
            // The lowest marked byte is the first in the input.
            return end + hits.trailing_zeros() as usize / 8;
        }
        end += 8;
    }
    end
}

/// `a == b`, eight bytes at a time. The fast path compares the input with
/// literals: a literal's words become constants, and there is no call to
/// `memcmp` (slow on wasm32, where it is a loop over bytes).
#[inline]
pub(super) fn same(a: &[u8], b: &[u8]) -> bool {
    let (mut a8, mut b8) = (a.chunks_exact(8), b.chunks_exact(8));
    let word = |c: &[u8]| c.try_into().map_or(0, u64::from_le_bytes);
    a.len() == b.len()
        && a8.by_ref().zip(b8.by_ref()).all(|(x, y)| word(x) == word(y))
        && a8.remainder().iter().zip(b8.remainder()).all(|(x, y)| x == y)
}

/// How many bytes of `p` are `[` or `{`, strings included. `[` (`0x5b`) is
/// `{` (`0x7b`) with bit 5 clear, and no other byte is either, so setting
/// bit 5 of every byte leaves one byte value to look for.
#[inline]
pub(super) fn opening_brackets(p: &[u8]) -> u32 {
    let mut chunks = p.chunks_exact(8);
    let mut n = 0u32;
    for c in chunks.by_ref() {
        let x = (c.try_into().map_or(0, u64::from_le_bytes) | (ONES * 0x20)) ^ (ONES * u64::from(b'{'));
        n += zeros(x).count_ones();
    }
    n + chunks.remainder().iter().map(|&b| u32::from(b | 0x20 == b'{')).sum::<u32>()
}

#[cfg(test)]
mod tests {
    use alloc::vec::Vec;

    use super::*;

    fn words() -> Vec<u64> {
        // Every byte value in every position, beside zeros, ones and 0x80s
        // (the neighbours a carry or a borrow would reach).
        let mut w = Vec::new();
        for b in 0..=255u64 {
            for at in 0..8 {
                for fill in [0u64, ONES, ONES * 0x80, ONES * 0xff, 0x0100_0100_0100_0100] {
                    w.push((fill & !(0xff << (8 * at))) | (b << (8 * at)));
                }
            }
        }
        w
    }

    fn bytes(w: u64) -> [u8; 8] {
        w.to_le_bytes()
    }

    fn marks(w: u64, hit: impl Fn(u8) -> bool) -> u64 {
        bytes(w).iter().enumerate().map(|(i, &b)| if hit(b) { 0x80 << (8 * i) } else { 0 }).sum()
    }

    #[test]
    fn zeros_marks_exactly_the_zero_bytes() {
        for w in words() {
            assert_eq!(zeros(w), marks(w, |b| b == 0), "{w:#018x}");
        }
    }

    #[test]
    fn special_marks_what_ends_a_plain_string() {
        for w in words() {
            assert_eq!(special(w), marks(w, |b| b == b'"' || b == b'\\' || b < 0x20), "{w:#018x}");
        }
    }

    #[test]
    fn plain_words_stops_where_a_byte_loop_would() {
        let text = b"plain text, then \"a quote\\ and a\ttab, then plain to the end.....";
        for from in 0..text.len() {
            for len in from..=text.len() {
                let b = &text[..len];
                let end = plain_words(b, from);
                assert!(b[from..end].iter().all(|&c| c != b'"' && c != b'\\' && c >= 0x20));
                let first = b[from..].iter().position(|&c| c == b'"' || c == b'\\' || c < 0x20).map(|i| from + i);
                // At the first special byte, or short of it (or of the end) by under eight bytes.
                assert!(
                    first == Some(end) || (first.unwrap_or(len) - end < 8 && len - end < 8),
                    "{from}..{len}: {end}"
                );
            }
        }
    }

    #[test]
    fn same_is_byte_equality() {
        let a = b"{\"v\":1,\"seq\":12345678";
        for i in 0..=a.len() {
            for j in 0..=a.len() {
                assert_eq!(same(&a[..i], &a[..j]), i == j);
            }
            let mut b = a[..i].to_vec();
            if let Some(last) = b.last_mut() {
                *last ^= 1;
                assert!(!same(&a[..i], &b));
            }
        }
    }

    #[test]
    fn opening_brackets_counts_both_kinds() {
        let p: Vec<u8> = (0..=255u8).chain(*b"[{[{\"[\"}]]{").cycle().take(700).collect();
        for len in 0..p.len() {
            let naive = p[..len].iter().filter(|&&b| b == b'[' || b == b'{').count() as u32;
            assert_eq!(opening_brackets(&p[..len]), naive, "{len}");
        }
    }
}
