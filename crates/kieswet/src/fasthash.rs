//! A fast hash for the engine's own sets and maps: list numbers, positions and person keys
//! (names or ids) of one election.
//!
//! The keys come from the election being computed, so resistance against hash flooding (what
//! the standard library's SipHash buys) is not needed; a collision costs time, never a wrong
//! answer, because the tables still compare the keys themselves. Each word of input is mixed
//! with one folded 64×64→128-bit multiplication, so a typical name of up to 16 bytes costs two
//! multiplications.

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

/// Whether two keys are equal; for keys of up to 16 bytes without a call to `memcmp`, which
/// costs more than the comparison itself for names.
#[inline]
pub(crate) fn same_key(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    let n = a.len();
    if n != b.len() {
        return false;
    }
    if (8..=16).contains(&n) {
        word(a) == word(b) && word(&a[n - 8..]) == word(&b[n - 8..])
    } else {
        a == b
    }
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

/// The hashes of the keys of one list, to show quickly that no key occurs on it twice: equal
/// keys have equal hashes, so a list whose hashes all differ has every key once. Only when two
/// hashes are equal must the keys themselves be compared ([`KeySet`]). Open addressing over
/// the hashes alone, emptied and reused from list to list.
#[derive(Default)]
pub(crate) struct HashSeen {
    /// 0: free; otherwise a hash with its lowest bit set. The length is a power of two, at
    /// least twice the number of keys.
    slots: Vec<u64>,
}

impl HashSeen {
    /// Whether all `keys` have different hashes.
    pub(crate) fn all_different<'k>(
        &mut self,
        keys: impl ExactSizeIterator<Item = &'k str>,
    ) -> bool {
        let size = (2 * keys.len()).next_power_of_two().max(16);
        self.slots.clear();
        self.slots.resize(size, 0);
        let mask = size - 1;
        for key in keys {
            let h = mix_bytes(0, key.as_bytes()) | 1;
            #[allow(clippy::cast_possible_truncation)] // the low bits pick the slot
            let mut i = (h as usize) & mask;
            loop {
                match self.slots[i] {
                    0 => {
                        self.slots[i] = h;
                        break;
                    }
                    other if other == h => return false,
                    _ => i = (i + 1) & mask,
                }
            }
        }
        true
    }
}

/// A set of person keys to find one that occurs twice on a list: open addressing over the
/// keys' hashes, emptied and reused from list to list. For this one job it is cheaper than a
/// general hash set: one hash per key, usually one probe, and a comparison of keys only when
/// two hashes are equal.
#[derive(Default)]
pub(crate) struct KeySet<'k> {
    /// 0: free; otherwise 1 + an index into `keys`. The length is a power of two, at least
    /// twice the number of keys.
    slots: Vec<u32>,
    keys: Vec<(u64, &'k str)>,
}

impl<'k> KeySet<'k> {
    /// Empties the set, with room for `n` keys.
    pub(crate) fn reset(&mut self, n: usize) {
        self.keys.clear();
        self.keys.reserve(n);
        self.slots.clear();
        self.slots.resize((2 * n).next_power_of_two().max(16), 0);
    }

    /// Adds `key`; `false` when it is in the set already.
    pub(crate) fn insert(&mut self, key: &'k str) -> bool {
        self.intern(key).1
    }

    /// The number of `key` (the keys are numbered 0, 1, … in the order they were first
    /// added), and whether it is new.
    pub(crate) fn intern(&mut self, key: &'k str) -> (u32, bool) {
        if 2 * (self.keys.len() + 1) > self.slots.len() {
            self.grow();
        }
        let h = mix_bytes(0, key.as_bytes());
        let mut i = self.home(h);
        while let Some(k) = self.slots[i].checked_sub(1) {
            let (other_hash, other) = self.keys[k as usize];
            if other_hash == h && same_key(other, key) {
                return (k, false);
            }
            i = (i + 1) & (self.slots.len() - 1);
        }
        let number = u32::try_from(self.keys.len()).expect("at most u32::MAX keys");
        self.keys.push((h, key));
        self.slots[i] = number + 1;
        (number, true)
    }

    /// The first slot to try for hash `h`.
    fn home(&self, h: u64) -> usize {
        let mask = self.slots.len() as u64 - 1;
        usize::try_from(h & mask).expect("the mask fits in usize")
    }

    /// Doubles the slots and puts every key back.
    fn grow(&mut self) {
        let size = (2 * self.slots.len()).max(16);
        self.slots.clear();
        self.slots.resize(size, 0);
        for (k, &(h, _)) in self.keys.iter().enumerate() {
            let mut i = self.home(h);
            while self.slots[i] != 0 {
                i = (i + 1) & (size - 1);
            }
            self.slots[i] = u32::try_from(k + 1).expect("at most u32::MAX keys");
        }
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
        // The key set, also past the room it was reset for.
        let mut keyset = KeySet::default();
        keyset.reset(2);
        for k in keys {
            assert!(keyset.insert(k), "{k}");
            assert!(!keyset.insert(k), "{k}");
        }
        for (i, a) in keys.iter().enumerate() {
            for (j, b) in keys.iter().enumerate() {
                assert_eq!(same_key(a, b), i == j, "{a} {b}");
            }
        }
        let many: Vec<String> = (0..1000).map(|i| format!("Kandidaat {i}")).collect();
        keyset.reset(10);
        assert!(many.iter().all(|k| keyset.insert(k)));
        assert!(many.iter().all(|k| !keyset.insert(k)));
        // The hashes of a list: all different, until a key comes back.
        let mut seen = HashSeen::default();
        assert!(seen.all_different(keys.iter().copied()));
        assert!(seen.all_different(many.iter().map(String::as_str)));
        let twice = ["Kandidaat 1.1", "Kandidaat 1.2", "Kandidaat 1.1"];
        assert!(!seen.all_different(twice.iter().copied()));
        assert!(seen.all_different(std::iter::empty()));
    }
}
