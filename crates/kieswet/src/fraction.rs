//! Exact non-negative fractions for the kiesdeler, averages, remainders and thresholds.
//!
//! The Kieswet divides and compares (P 5 "deelt", P 7 "grootste gemiddelde", P 15 "groter dan
//! 25% van de kiesdeler"); a float could make two equal averages unequal and so hide a lot.
//! A [`Fraction`] keeps its numerator and denominator as given (not reduced), so the kiesdeler
//! prints the way the Kiesraad writes it (`69.485 102/150`), and compares by cross-multiplication.
//!
//! Magnitudes: the engine rejects counts above [`crate::MAX_VOTES`] (10^12), so numerators stay
//! below about 10^15 and denominators below 10^6; every product in this file fits in `u128`.

use std::cmp::Ordering;
use std::fmt;

/// An exact, non-negative rational number `num / den` with `den > 0`.
#[derive(Clone, Copy, Debug)]
pub struct Fraction {
    num: u128,
    den: u128,
}

impl Fraction {
    /// `num / den`. Panics if `den` is zero: a zero denominator is a bug in the engine,
    /// never a property of the input (the engine checks `seats > 0` before dividing).
    pub fn new(num: u128, den: u128) -> Self {
        assert!(den > 0, "fraction with zero denominator");
        Self { num, den }
    }

    pub fn from_int(n: u128) -> Self {
        Self { num: n, den: 1 }
    }

    pub const ZERO: Fraction = Fraction { num: 0, den: 1 };

    pub fn numerator(self) -> u128 {
        self.num
    }

    pub fn denominator(self) -> u128 {
        self.den
    }

    /// The largest integer not above this value.
    pub fn floor(self) -> u128 {
        self.num / self.den
    }

    /// `self * (p / q)`, unreduced.
    #[must_use]
    pub fn scale(self, p: u128, q: u128) -> Self {
        Self::new(self.num * p, self.den * q)
    }

    /// `self / n` for a positive integer `n`.
    #[must_use]
    pub fn div_int(self, n: u128) -> Self {
        Self::new(self.num, self.den * n)
    }

    /// `self * n` for an integer `n`.
    #[must_use]
    pub fn mul_int(self, n: u128) -> Self {
        Self::new(self.num * n, self.den)
    }

    /// `self - other`, or `None` when that would be negative.
    pub fn checked_sub(self, other: Self) -> Option<Self> {
        let a = self.num * other.den;
        let b = other.num * self.den;
        a.checked_sub(b).map(|n| Self::new(n, self.den * other.den))
    }

    /// The value reduced to lowest terms.
    #[must_use]
    pub fn reduced(self) -> Self {
        let g = gcd(self.num, self.den);
        if g <= 1 {
            self
        } else {
            Self::new(self.num / g, self.den / g)
        }
    }

    /// `"num/den"` as stored (unreduced), also when `den` is 1: the JSON notation.
    pub fn to_ratio_string(self) -> String {
        format!("{}/{}", self.num, self.den)
    }

    /// The smallest integer `n` with `n > self` (used for "groter dan" thresholds).
    pub fn smallest_integer_above(self) -> u128 {
        self.floor() + 1
    }

    /// The smallest integer `n` with `n >= self`.
    pub fn ceil(self) -> u128 {
        self.num.div_ceil(self.den)
    }

    /// Decimal notation with `places` digits after the point, rounded half up, computed with
    /// integers only. Uses a point as decimal separator; see [`Fraction::to_dutch_decimal`].
    pub fn to_decimal(self, places: u32) -> String {
        let scale = 10u128.pow(places);
        let scaled = (self.num * scale * 2 + self.den) / (self.den * 2);
        let int = scaled / scale;
        if places == 0 {
            return int.to_string();
        }
        let frac = scaled % scale;
        format!("{int}.{frac:0width$}", width = places as usize)
    }

    /// Dutch notation: thousands with a point, decimals with a comma (`69.485,68`).
    pub fn to_dutch_decimal(self, places: u32) -> String {
        let plain = self.to_decimal(places);
        let (int, frac) = plain.split_once('.').unwrap_or((&plain, ""));
        let grouped = group_thousands(int, '.');
        if frac.is_empty() {
            grouped
        } else {
            format!("{grouped},{frac}")
        }
    }

    /// The Kiesraad's mixed notation: whole part with thousands points, then the remaining
    /// fraction over the original denominator (`69.485 102/150`). Whole numbers print bare.
    pub fn to_mixed(self) -> String {
        let whole = group_thousands(&self.floor().to_string(), '.');
        let rest = self.num % self.den;
        if rest == 0 {
            whole
        } else {
            format!("{whole} {rest}/{}", self.den)
        }
    }
}

fn group_thousands(digits: &str, sep: char) -> String {
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    out
}

fn gcd(mut a: u128, mut b: u128) -> u128 {
    while b != 0 {
        (a, b) = (b, a % b);
    }
    a
}

impl PartialEq for Fraction {
    fn eq(&self, other: &Self) -> bool {
        self.cmp(other) == Ordering::Equal
    }
}

impl Eq for Fraction {}

impl PartialOrd for Fraction {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for Fraction {
    fn cmp(&self, other: &Self) -> Ordering {
        // The engine's values fit in 64 bits: then the cross products are single widening
        // multiplications that cannot overflow, so they need no check.
        let small = (self.num | self.den | other.num | other.den) >> 64 == 0;
        if small {
            #[allow(clippy::cast_possible_truncation)] // all four fit in 64 bits
            let [a, b, c, d] = [self.num, self.den, other.num, other.den].map(|x| x as u64);
            return (u128::from(a) * u128::from(d)).cmp(&(u128::from(c) * u128::from(b)));
        }
        (self.num * other.den).cmp(&(other.num * self.den))
    }
}

impl fmt::Display for Fraction {
    /// `num/den` as stored (unreduced), e.g. `10422852/150`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.den == 1 {
            write!(f, "{}", self.num)
        } else {
            write!(f, "{}/{}", self.num, self.den)
        }
    }
}

#[cfg(feature = "serde")]
impl serde::Serialize for Fraction {
    /// Serialised as the string `"num/den"` (unreduced), so no precision is lost in JSON.
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.to_ratio_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn compares_by_value_not_by_representation() {
        assert_eq!(Fraction::new(10_422_852, 150), Fraction::new(1_737_142, 25));
        assert!(Fraction::new(623_371, 9) > Fraction::new(759_710, 11));
        // Past 64 bits (the slower path) and across the two paths.
        let big = 1u128 << 70;
        assert_eq!(Fraction::new(3 * big, 6), Fraction::new(big, 2));
        assert!(Fraction::new(big + 1, 2) > Fraction::new(big, 2));
        assert!(Fraction::new(big, 1 << 60) > Fraction::new(1000, 1));
        assert!(Fraction::new(u128::from(u64::MAX), 1) > Fraction::new(u128::from(u64::MAX), 2));
        assert!(Fraction::new(u128::from(u64::MAX), u128::from(u64::MAX)) == Fraction::from_int(1));
    }

    #[test]
    fn tk2021_kiesdeler_prints_like_the_kiesraad() {
        let q = Fraction::new(10_422_852, 150);
        assert_eq!(q.to_mixed(), "69.485 102/150");
        assert_eq!(q.to_dutch_decimal(2), "69.485,68");
        assert_eq!(q.to_string(), "10422852/150");
        assert_eq!(q.reduced().to_string(), "1737142/25");
    }

    #[test]
    fn thresholds_use_integers() {
        // TK2021 preference threshold: 25% of the kiesdeler = 17.371,42; 17.372 votes suffice.
        let t = Fraction::new(10_422_852, 150).scale(25, 100);
        assert_eq!(t.smallest_integer_above(), 17_372);
        assert_eq!(Fraction::new(36, 1).smallest_integer_above(), 37);
        assert_eq!(Fraction::new(36, 1).ceil(), 36);
        assert_eq!(Fraction::new(1, 3).to_decimal(2), "0.33");
        assert_eq!(Fraction::new(2, 3).to_decimal(2), "0.67");
        assert_eq!(Fraction::new(5, 1).to_decimal(0), "5");
    }

    #[test]
    fn subtraction_never_goes_negative() {
        let a = Fraction::new(7, 2);
        assert_eq!(
            a.checked_sub(Fraction::from_int(3)),
            Some(Fraction::new(1, 2))
        );
        assert_eq!(Fraction::from_int(3).checked_sub(a), None);
    }
}
