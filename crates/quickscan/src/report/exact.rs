//! Exact figures: every mean and share in the report is a fraction of whole numbers, rounded
//! only when it is written out, half away from zero, on the exact value. So 17/4 = 4,25 shows
//! as "4,3" (a binary `f64` holds 4.25 exactly but many such values it does not, and
//! `format!("{:.1}")` rounds half to even).

use std::cmp::Ordering;

/// An exact non-negative fraction `num / den` (`den > 0`).
///
/// Kept unreduced where that carries meaning: a mean is `sum of the answers / number of
/// answers used`, so its `den` is its n. Compare with [`Exact::cmp_value`] (by value), not
/// with `==` (which compares the two numbers as stored).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
#[must_use]
pub struct Exact {
    pub num: u128,
    pub den: u128,
}

impl Exact {
    /// `num / den`; `None` when `den` is 0.
    pub fn new(num: u128, den: u128) -> Option<Self> {
        (den > 0).then_some(Self { num, den })
    }

    /// A whole number.
    pub fn int(v: u128) -> Self {
        Self { num: v, den: 1 }
    }

    /// `count / of` as a percentage (0–100); `None` when `of` is 0.
    pub fn percent(count: u64, of: u64) -> Option<Self> {
        Self::new(u128::from(count) * 100, u128::from(of))
    }

    /// The value rounded to `decimals` places, half away from zero, as a whole number of
    /// units of 10^-decimals (4,25 with 1 decimal → 43).
    pub fn scaled(self, decimals: u32) -> u128 {
        let p = 10u128.pow(decimals);
        // floor(v·p + 1/2) = floor((2·num·p + den) / (2·den)); for v ≥ 0 this is half away
        // from zero.
        (2 * self.num * p + self.den) / (2 * self.den)
    }

    fn written(self, decimals: u32, point: char) -> String {
        let s = self.scaled(decimals);
        if decimals == 0 {
            return s.to_string();
        }
        let p = 10u128.pow(decimals);
        format!(
            "{}{point}{:0width$}",
            s / p,
            s % p,
            width = decimals as usize
        )
    }

    /// Dutch notation: decimal comma ("4,3").
    pub fn nl(self, decimals: u32) -> String {
        self.written(decimals, ',')
    }

    /// Machine notation: decimal point ("4.3").
    pub fn dot(self, decimals: u32) -> String {
        self.written(decimals, '.')
    }

    /// Only for drawing (bar lengths); never for a figure that is written out.
    #[allow(clippy::cast_precision_loss)]
    pub fn approx(self) -> f64 {
        self.num as f64 / self.den as f64
    }

    /// Compares by value (cross-multiplied, exact).
    pub fn cmp_value(self, other: Self) -> Ordering {
        (self.num * other.den).cmp(&(other.num * self.den))
    }

    /// `|self − other|` and whether `self` is below `other`.
    pub fn diff(self, other: Self) -> (Self, bool) {
        let a = self.num * other.den;
        let b = other.num * self.den;
        let den = self.den * other.den;
        if a >= b {
            (Self { num: a - b, den }, false)
        } else {
            (Self { num: b - a, den }, true)
        }
    }

    /// `self × k` for a whole `k`.
    pub fn times(self, k: u128) -> Self {
        Self {
            num: self.num * k,
            den: self.den,
        }
    }

    /// Is the value at least `num / den`?
    pub fn at_least(self, num: u128, den: u128) -> bool {
        self.num * den >= num * self.den
    }

    /// Is the value at most `num / den`?
    pub fn at_most(self, num: u128, den: u128) -> bool {
        self.num * den <= num * self.den
    }
}

/// A signed change (`new − old`) written with its sign: "+0,5", "−1,3", "0,0".
pub fn change_nl(new: Exact, old: Exact, decimals: u32) -> String {
    let (d, below) = new.diff(old);
    let s = d.nl(decimals);
    if d.scaled(decimals) == 0 {
        s
    } else if below {
        format!("−{s}")
    } else {
        format!("+{s}")
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn the_issue_case() {
        // a mean of 17 over 4 answers is 4,25 and shows as 4,3 (it showed 4,2)
        let m = Exact::new(17, 4).unwrap();
        assert_eq!(m.nl(1), "4,3");
        assert_eq!(m.dot(1), "4.3");
        assert_eq!(m.dot(2), "4.25");
        assert_eq!(Exact::new(1, 8).unwrap().nl(2), "0,13");
        assert_eq!(Exact::new(5, 2).unwrap().nl(0), "3");
        assert_eq!(Exact::percent(1, 8).unwrap().nl(0), "13"); // 12,5 %
        assert_eq!(Exact::new(0, 3).unwrap().nl(1), "0,0");
        assert_eq!(Exact::new(1, 0), None);
        assert_eq!(
            change_nl(Exact::int(2), Exact::new(9, 4).unwrap(), 1),
            "−0,3"
        );
        assert_eq!(change_nl(Exact::int(4), Exact::int(2), 1), "+2,0");
        // −0,05 is a tie: away from zero
        assert_eq!(
            change_nl(Exact::int(2), Exact::new(41, 20).unwrap(), 1),
            "−0,1"
        );
        assert_eq!(
            change_nl(Exact::int(2), Exact::new(81, 40).unwrap(), 1),
            "0,0"
        );
    }

    /// Reference: long division to `decimals` digits, then round up when the remainder is at
    /// least half the divisor.
    fn reference(num: u64, den: u64, decimals: u32) -> String {
        let p = 10u128.pow(decimals);
        let n = u128::from(num) * p;
        let d = u128::from(den);
        let mut q = n / d;
        if 2 * (n % d) >= d {
            q += 1;
        }
        let int = q / p;
        let frac = q % p;
        if decimals == 0 {
            int.to_string()
        } else {
            format!("{int},{frac:0w$}", w = decimals as usize)
        }
    }

    proptest! {
        #[test]
        fn rounds_like_integer_long_division(num in 0u64..10_000_000, den in 1u64..100_000, decimals in 0u32..4) {
            let e = Exact::new(u128::from(num), u128::from(den)).unwrap();
            prop_assert_eq!(e.nl(decimals), reference(num, den, decimals));
        }

        #[test]
        fn exact_ties_round_up(int in 0u64..100, tenth in 0u64..10) {
            // x,y5 exactly → x,(y+1)
            let e = Exact::new(u128::from(int * 100 + tenth * 10 + 5), 100).unwrap();
            let up = int * 10 + tenth + 1;
            prop_assert_eq!(e.nl(1), format!("{},{}", up / 10, up % 10));
        }

        #[test]
        fn comparison_matches_cross_products(a in 0u64..1000, b in 1u64..1000, c in 0u64..1000, d in 1u64..1000) {
            let x = Exact::new(u128::from(a), u128::from(b)).unwrap();
            let y = Exact::new(u128::from(c), u128::from(d)).unwrap();
            prop_assert_eq!(x.cmp_value(y), (a * d).cmp(&(c * b)));
            let (diff, below) = x.diff(y);
            prop_assert_eq!(below, a * d < c * b);
            prop_assert_eq!(diff.num * u128::from(b * d), u128::from((a * d).abs_diff(c * b)) * diff.den);
        }
    }
}
