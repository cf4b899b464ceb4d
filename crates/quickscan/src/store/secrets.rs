//! Secrets: random tokens, typeable codes, hashes, time stamps.

use super::{Day, Digest, Sha256};

pub(super) const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// Random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("operating system randomness");
    b
}

/// A 128-bit random token for links (lowercase hex).
pub fn new_token() -> String {
    hex::encode(random_bytes::<16>())
}

/// A human-typeable code of 12 characters (60 bits), shown as `XXXX-XXXX-XXXX`.
pub fn new_code() -> String {
    let b = random_bytes::<12>();
    let s: String = b
        .iter()
        .map(|x| char::from(CODE_ALPHABET[usize::from(x % 32)]))
        .collect();
    format!("{}-{}-{}", &s[0..4], &s[4..8], &s[8..12])
}

/// Normalises a typed code: upper case, no spaces or dashes, confusable characters mapped.
pub fn normalize_code(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' => '1',
            c => c,
        })
        .collect()
}

pub(super) fn hash(domain: &str, secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(domain.as_bytes());
    h.update(b":");
    h.update(secret.as_bytes());
    hex::encode(h.finalize())
}

/// Unbiased random index below `n` (n > 0).
pub fn random_below(n: usize) -> usize {
    let n64 = n as u64;
    let zone = u64::MAX - (u64::MAX % n64);
    loop {
        let v = u64::from_le_bytes(random_bytes::<8>());
        if v < zone {
            return usize::try_from(v % n64).unwrap_or(0);
        }
    }
}

/// Fisher–Yates shuffle with OS randomness (used for open answers).
pub fn shuffle<T>(v: &mut [T]) {
    for i in (1..v.len()).rev() {
        v.swap(i, random_below(i + 1));
    }
}

/// Time stamp for the audit log (UTC, seconds).
pub fn now_stamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let day = Day(i64::try_from(secs / 86_400).unwrap_or(0));
    let s = secs % 86_400;
    format!(
        "{day}T{:02}:{:02}:{:02}Z",
        s / 3600,
        (s % 3600) / 60,
        s % 60
    )
}
