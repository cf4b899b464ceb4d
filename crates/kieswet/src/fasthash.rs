//! A fast hash for the engine's own sets: the list numbers and positions of one election.
//!
//! The keys come from the election being computed, so resistance against hash flooding (what
//! the standard library's SipHash buys) is not needed; a collision costs time, never a wrong
//! answer, because the tables still compare the keys themselves. A number is mixed with one
//! folded 64×64→128-bit multiplication; bytes (which the engine does not hash, but a `Hasher`
//! must take) are mixed 16 at a time.

use std::collections::HashSet;
use std::hash::{BuildHasherDefault, Hasher};

/// A `HashSet` with [`FastHasher`].
pub(crate) type FastSet<K> = HashSet<K, BuildHasherDefault<FastHasher>>;

const K0: u64 = 0x9e37_79b9_7f4a_7c15;
const K1: u64 = 0xbf58_476d_1ce4_e5b9;
const K2: u64 = 0x94d0_49bb_1331_11eb;

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

fn word(bytes: &[u8]) -> u64 {
    let mut w = [0u8; 8];
    w.copy_from_slice(&bytes[..8]);
    u64::from_le_bytes(w)
}

fn half_word(bytes: &[u8]) -> u64 {
    let mut w = [0u8; 4];
    w.copy_from_slice(&bytes[..4]);
    u64::from(u32::from_le_bytes(w))
}

/// Mixes `bytes` into the hash state `seed`.
#[inline]
fn mix_bytes(seed: u64, bytes: &[u8]) -> u64 {
    let n = bytes.len();
    let mut h = seed ^ (n as u64).wrapping_mul(K0);
    if n <= 16 {
        // Two (possibly overlapping) reads cover every byte.
        let (a, b) = if n >= 8 {
            (word(bytes), word(&bytes[n - 8..]))
        } else if n >= 4 {
            (half_word(bytes), half_word(&bytes[n - 4..]))
        } else if n > 0 {
            let a = u64::from(bytes[0])
                | (u64::from(bytes[n / 2]) << 8)
                | (u64::from(bytes[n - 1]) << 16);
            (a, 0)
        } else {
            (0, 0)
        };
        h = fold(h ^ a, b ^ K1);
    } else {
        let mut rest = bytes;
        while rest.len() > 16 {
            h = fold(h ^ word(rest), word(&rest[8..]) ^ K1);
            rest = &rest[16..];
        }
        // The last 16 bytes, overlapping what came before.
        h = fold(h ^ word(&bytes[n - 16..]), word(&bytes[n - 8..]) ^ K1);
    }
    h
}

impl Hasher for FastHasher {
    fn finish(&self) -> u64 {
        self.0
    }

    #[inline]
    fn write(&mut self, bytes: &[u8]) {
        self.0 = mix_bytes(self.0, bytes);
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
        self.0 = fold(self.0 ^ n, K2);
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
