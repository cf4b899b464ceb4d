//! Drafts sealed with a key only the respondent holds (issue 11, THREATS.md "drafts").
//!
//! Encrypt-then-MAC from primitives already in the build: ChaCha20 as a stream cipher (the
//! `chacha20` crate's keystream) and HMAC-SHA256 (`sha2`). The key material comes from the
//! respondent's secret (the personal link, letter code or resume code) via HMAC-SHA256; every
//! write draws a fresh random 128-bit salt, from which the encryption and MAC keys of that
//! write are derived, so a key and keystream are never used twice. The server keeps no key:
//! without the secret a sealed draft is noise, and a changed byte is detected.

use chacha20::ChaCha20Rng;
use rand_core::{Rng, SeedableRng};
use sha2::{Digest, Sha256};

const PREFIX: &str = "s1:";

/// HMAC-SHA256 of the concatenated `parts` (RFC 2104).
pub fn hmac(key: &[u8], parts: &[&[u8]]) -> [u8; 32] {
    let mut k = [0u8; 64];
    if key.len() > 64 {
        k[..32].copy_from_slice(&Sha256::digest(key));
    } else {
        k[..key.len()].copy_from_slice(key);
    }
    let mut inner = Sha256::new();
    inner.update(k.map(|b| b ^ 0x36));
    for p in parts {
        inner.update(p);
    }
    let mut outer = Sha256::new();
    outer.update(k.map(|b| b ^ 0x5c));
    outer.update(inner.finalize());
    outer.finalize().into()
}

fn keys(secret: &str, salt: &[u8]) -> ([u8; 32], [u8; 32]) {
    let prk = hmac(b"stembus quickscan draft v1", &[secret.as_bytes()]);
    (hmac(&prk, &[b"enc", salt]), hmac(&prk, &[b"mac", salt]))
}

fn xor_keystream(key: [u8; 32], data: &mut [u8]) {
    let mut ks = vec![0u8; data.len()];
    ChaCha20Rng::from_seed(key).fill_bytes(&mut ks);
    for (d, k) in data.iter_mut().zip(ks) {
        *d ^= k;
    }
}

/// Seals `plain` with a key derived from `secret`: `s1:` + hex(salt ‖ tag ‖ ciphertext).
pub fn seal(secret: &str, plain: &[u8]) -> String {
    let salt = crate::store::random_bytes::<16>();
    let (enc, mac) = keys(secret, &salt);
    let mut ct = plain.to_vec();
    xor_keystream(enc, &mut ct);
    let tag = hmac(&mac, &[&salt, &ct]);
    let mut out = Vec::with_capacity(48 + ct.len());
    out.extend_from_slice(&salt);
    out.extend_from_slice(&tag);
    out.extend_from_slice(&ct);
    format!("{PREFIX}{}", hex::encode(out))
}

/// Opens a sealed value; `None` for a wrong secret, a changed byte or something not sealed.
pub fn open(secret: &str, sealed: &str) -> Option<Vec<u8>> {
    let raw = hex::decode(sealed.strip_prefix(PREFIX)?).ok()?;
    if raw.len() < 48 {
        return None;
    }
    let (salt, rest) = raw.split_at(16);
    let (tag, ct) = rest.split_at(32);
    let (enc, mac) = keys(secret, salt);
    let want = hmac(&mac, &[salt, ct]);
    // constant-time comparison
    if want.iter().zip(tag).fold(0u8, |a, (x, y)| a | (x ^ y)) != 0 {
        return None;
    }
    let mut plain = ct.to_vec();
    xor_keystream(enc, &mut plain);
    Some(plain)
}

/// True for a sealed value (drafts written before sealing existed are not).
pub fn is_sealed(s: &str) -> bool {
    s.starts_with(PREFIX)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hmac_matches_rfc_4231_case_2() {
        let t = hmac(b"Jefe", &[b"what do ya want ", b"for nothing?"]);
        assert_eq!(
            hex::encode(t),
            "5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843"
        );
    }

    #[test]
    fn seal_round_trip_and_tamper() {
        let s = seal("geheim", b"{\"part_weten\":3}");
        assert!(!s.contains("part_weten"));
        assert_eq!(open("geheim", &s).unwrap(), b"{\"part_weten\":3}");
        assert!(open("anders", &s).is_none());
        let mut t = s.clone().into_bytes();
        let last = t.len() - 1;
        t[last] = if t[last] == b'0' { b'1' } else { b'0' };
        assert!(open("geheim", &String::from_utf8(t).unwrap()).is_none());
        assert_ne!(
            seal("geheim", b"x"),
            seal("geheim", b"x"),
            "fresh salt every time"
        );
    }
}
