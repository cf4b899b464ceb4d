//! [`CandidateName`]: a candidate's name in a step or among the elected, stored inline when it
//! is short.
//!
//! The candidate steps and the elected of a Tweede Kamer election name hundreds of candidates. A `String` per
//! name would cost an allocation each on every run; most names fit in [`INLINE`] bytes and
//! then need none.

use std::borrow::Borrow;
use std::fmt;
use std::hash::{Hash, Hasher};
use std::ops::Deref;

/// Names up to this many bytes are stored without an allocation.
const INLINE: usize = 22;

/// A candidate's name: behaves as a `&str` (through `Deref`), converts into a `String`, and
/// prints, compares and serialises exactly as the name itself.
#[derive(Clone)]
pub struct CandidateName(Repr);

#[derive(Clone)]
enum Repr {
    Inline { len: u8, bytes: [u8; INLINE] },
    Heap(Box<str>),
}

impl CandidateName {
    /// The name as a string slice.
    pub fn as_str(&self) -> &str {
        match &self.0 {
            Repr::Inline { len, bytes } => std::str::from_utf8(&bytes[..usize::from(*len)])
                .expect("an inline name is a whole string, copied byte for byte"),
            Repr::Heap(s) => s,
        }
    }
}

impl From<&str> for CandidateName {
    fn from(s: &str) -> Self {
        match u8::try_from(s.len()) {
            Ok(len) if s.len() <= INLINE => {
                let mut bytes = [0u8; INLINE];
                bytes[..s.len()].copy_from_slice(s.as_bytes());
                CandidateName(Repr::Inline { len, bytes })
            }
            _ => CandidateName(Repr::Heap(s.into())),
        }
    }
}

impl From<String> for CandidateName {
    fn from(s: String) -> Self {
        if s.len() <= INLINE {
            CandidateName::from(s.as_str())
        } else {
            CandidateName(Repr::Heap(s.into_boxed_str()))
        }
    }
}

impl From<CandidateName> for String {
    fn from(n: CandidateName) -> Self {
        match n.0 {
            Repr::Heap(s) => s.into_string(),
            Repr::Inline { .. } => n.as_str().to_string(),
        }
    }
}

impl Deref for CandidateName {
    type Target = str;

    fn deref(&self) -> &str {
        self.as_str()
    }
}

impl AsRef<str> for CandidateName {
    fn as_ref(&self) -> &str {
        self.as_str()
    }
}

impl Borrow<str> for CandidateName {
    fn borrow(&self) -> &str {
        self.as_str()
    }
}

impl PartialEq for CandidateName {
    fn eq(&self, other: &Self) -> bool {
        self.as_str() == other.as_str()
    }
}

impl Eq for CandidateName {}

impl PartialOrd for CandidateName {
    fn partial_cmp(&self, other: &Self) -> Option<std::cmp::Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for CandidateName {
    fn cmp(&self, other: &Self) -> std::cmp::Ordering {
        self.as_str().cmp(other.as_str())
    }
}

impl Hash for CandidateName {
    fn hash<H: Hasher>(&self, state: &mut H) {
        self.as_str().hash(state);
    }
}

impl PartialEq<str> for CandidateName {
    fn eq(&self, other: &str) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<&str> for CandidateName {
    fn eq(&self, other: &&str) -> bool {
        self.as_str() == *other
    }
}

impl PartialEq<String> for CandidateName {
    fn eq(&self, other: &String) -> bool {
        self.as_str() == other
    }
}

impl PartialEq<CandidateName> for String {
    fn eq(&self, other: &CandidateName) -> bool {
        self == other.as_str()
    }
}

impl PartialEq<CandidateName> for &str {
    fn eq(&self, other: &CandidateName) -> bool {
        *self == other.as_str()
    }
}

impl fmt::Debug for CandidateName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        fmt::Debug::fmt(self.as_str(), f)
    }
}

impl fmt::Display for CandidateName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for CandidateName {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn short_and_long_names_round_trip() {
        for s in [
            "",
            "B",
            "Kandidaat 12.34",
            "twenty-one bytes long",
            "twenty-two bytes long.",
            "twenty-three bytes lon.",
            "Jansen, A.B.C. (Anna) van der Berg-Émile",
        ] {
            let n = CandidateName::from(s);
            assert_eq!(n.as_str(), s);
            assert_eq!(n, s);
            assert_eq!(String::from(n.clone()), s);
            assert_eq!(CandidateName::from(s.to_string()), n);
            assert_eq!(format!("{n:?}"), format!("{s:?}"));
            assert_eq!(n.to_string(), s);
        }
        assert_eq!(std::mem::size_of::<CandidateName>(), 24);
    }
}
