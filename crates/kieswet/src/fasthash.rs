//! A fast hash for the engine's own sets: the list numbers and positions of one election.
//!
//! The keys come from the election being computed, so resistance against hash flooding (what
//! the standard library's SipHash buys) is not needed; a collision costs time, never a wrong
//! answer, because the tables still compare the keys themselves. A number is mixed with one
//! folded 64×64→128-bit multiplication.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashSet` with [`FastHasher`].
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

const K: u64 = 0x94d0_49bb_1331_11eb;

/// The hasher behind [`FastSet`].
#[derive(Default, Clone, Copy)]
pub(crate) struct FastHasher(u64);

/// Multiplies `a` by `b` to 128 bits and folds the halves together: every input bit reaches
/// both the low bits (the bucket) and the high bits (the tag) of a hash table.
#[allow(clippy::cast_possible_truncation)] // the low and the high half, on purpose
fn fold(a: u64, b: u64) -> u64 {
    let p = u128::from(a) * u128::from(b);
    (p as u64) ^ ((p >> 64) as u64)
}

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    /// The engine hashes only numbers; bytes are folded in eight at a time, then their length.
    fn write(&mut self, bytes: &[u8]) {
        for chunk in bytes.chunks(8) {
            let mut word = [0u8; 8];
            word[..chunk.len()].copy_from_slice(chunk);
            self.write_u64(u64::from_le_bytes(word));
        }
        self.write_usize(bytes.len());
    }

    #[inline]
    fn write_u8(&mut self, n: u8) {
        self.write_u64(u64::from(n));
    }

    #[inline]
    fn write_u32(&mut self, n: u32) {
        self.write_u64(u64::from(n));
    }

    #[inline]
    fn write_u64(&mut self, n: u64) {
        self.0 = fold(self.0 ^ n, K);
    }

    #[inline]
    fn write_usize(&mut self, n: usize) {
        self.write_u64(n as u64);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::hash::BuildHasher;

    #[test]
    fn different_short_and_long_keys_hash_differently() {
        let build = BuildHasherDefault::<FastHasher>::default();
        let keys = [
            "",
            "a",
            "ab",
            "abc",
            "abcd",
            "Kandidaat 1.1",
            "Kandidaat 1.2",
            "Kandidaat 2.1",
            "Kandidaat 12.34",
            "Jansen, A. (Anna) uit Amsterdam",
            "Jansen, A. (Anne) uit Amsterdam",
        ];
        let hashes: FastSet<u64> = keys.iter().map(|k| build.hash_one(k)).collect();
        assert_eq!(hashes.len(), keys.len());
        let mut set: FastSet<&str> = FastSet::default();
        for k in keys {
            assert!(set.insert(k));
            assert!(!set.insert(k));
        }
        let numbers: FastSet<u32> = (0..10_000).collect();
        assert_eq!(numbers.len(), 10_000);
    }
}
