//! [`ExactSet`]: a set of 128-bit ids for deduplicating a replayed log.
//!
//! Membership is decided by comparing the full 128-bit key, never a hash or
//! a prefix, so two different event ids can never be mistaken for one
//! another (the invariant "dedupe compares exact keys"). The key's bits only
//! choose where to start looking (open addressing, linear probing), which
//! affects speed, never the answer. The set is never iterated, so its layout
//! cannot leak into state. It exists because replaying a million events
//! through a `BTreeSet<u128>` spent a fifth of the time on cache misses.

use alloc::vec;
use alloc::vec::Vec;

/// A set of `u128` keys with exact membership.
#[derive(Clone, Debug, Default)]
pub struct ExactSet {
    /// 0 marks an empty slot; the key 0 itself is tracked by `has_zero`.
    slots: Vec<u128>,
    len: usize,
    has_zero: bool,
    /// 64 minus log2 of the number of slots: a key starts looking at the top
    /// bits of its hash.
    shift: u32,
}

/// Mixes both halves of `key` into the top bits (64-bit multiplies only:
/// cheap on wasm32 too).
fn hash(key: u128) -> u64 {
    let lo = (key as u64).wrapping_mul(0x9E37_79B9_7F4A_7C15);
    (lo ^ (key >> 64) as u64).wrapping_mul(0xC2B2_AE3D_27D4_EB4F)
}

impl ExactSet {
    /// An empty set.
    pub fn new() -> Self {
        Self::default()
    }

    /// Number of keys.
    pub fn len(&self) -> usize {
        self.len + usize::from(self.has_zero)
    }

    /// True when empty.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Where `key` starts looking. The top bits of the hash, so that slot
    /// order follows hash order and growing copies the slots in one pass.
    fn start(&self, key: u128) -> usize {
        (hash(key) >> self.shift) as usize
    }

    /// Whether `key` is present.
    pub fn contains(&self, key: u128) -> bool {
        if key == 0 {
            return self.has_zero;
        }
        if self.slots.is_empty() {
            return false;
        }
        let mask = self.slots.len() - 1;
        let mut i = self.start(key);
        loop {
            match self.slots[i] {
                0 => return false,
                k if k == key => return true,
                _ => i = (i + 1) & mask,
            }
        }
    }

    /// Adds `key`; returns `false` if it was already present.
    pub fn insert(&mut self, key: u128) -> bool {
        if key == 0 {
            return !core::mem::replace(&mut self.has_zero, true);
        }
        if (self.len + 1) * 2 > self.slots.len() {
            self.grow();
        }
        let mask = self.slots.len() - 1;
        let mut i = self.start(key);
        loop {
            match self.slots[i] {
                0 => {
                    self.slots[i] = key;
                    self.len += 1;
                    return true;
                }
                k if k == key => return false,
                _ => i = (i + 1) & mask,
            }
        }
    }

    fn grow(&mut self) {
        let cap = (self.slots.len() * 2).max(64);
        let old = core::mem::replace(&mut self.slots, vec![0; cap]);
        self.shift = 64 - cap.trailing_zeros();
        let mask = cap - 1;
        // Keys come in slot order, which is hash order (but for a run that
        // wrapped around the end): they land in the new slots in order too,
        // so the copy streams through memory instead of jumping about.
        for key in old.into_iter().filter(|&k| k != 0) {
            let mut i = self.start(key);
            while self.slots[i] != 0 {
                i = (i + 1) & mask;
            }
            self.slots[i] = key;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn membership_is_exact_for_sequential_random_and_colliding_keys() {
        let mut s = ExactSet::new();
        let mut reference = alloc::collections::BTreeSet::new();
        let mut x: u128 = 0x1234_5678_9abc_def0_0fed_cba9_8765_4321;
        for i in 0..20_000u128 {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            // sequential, random, and keys sharing both halves' xor (same start slot)
            for key in [i, x, (i << 64) | i, 0] {
                assert_eq!(s.insert(key), reference.insert(key), "key {key:#x}");
            }
        }
        assert_eq!(s.len(), reference.len());
        assert!(reference.iter().all(|&k| s.contains(k)));
        assert!(!s.contains(0xdead_beef_u128 << 70));
    }
}
