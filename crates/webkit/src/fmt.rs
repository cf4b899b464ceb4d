//! Number formatting in Dutch (12.345,6) and English (12,345.6).

use crate::Lang;

/// Groups thousands: `12.345` (nl) or `12,345` (en).
pub fn int(lang: Lang, n: impl Into<i128>) -> String {
    let n: i128 = n.into();
    let digits = n.unsigned_abs().to_string();
    let sep = match lang {
        Lang::Nl => '.',
        Lang::En => ',',
    };
    let mut out = String::new();
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i).is_multiple_of(3) {
            out.push(sep);
        }
        out.push(c);
    }
    if n < 0 { format!("-{out}") } else { out }
}

/// A decimal with `places` places and the language's separators.
pub fn decimal(lang: Lang, x: f64, places: usize) -> String {
    let s = format!("{:.*}", places, x.abs());
    let (whole, frac) = s.split_once('.').unwrap_or((&s, ""));
    let whole: i128 = whole.parse().unwrap_or(0);
    let mut out = int(lang, whole);
    if !frac.is_empty() {
        out.push(match lang {
            Lang::Nl => ',',
            Lang::En => '.',
        });
        out.push_str(frac);
    }
    if x < 0.0 && out.chars().any(|c| c.is_ascii_digit() && c != '0') {
        out.insert(0, '-');
    }
    out
}

/// `part / whole` as a percentage with `places` decimals, e.g. `12,34%`.
#[allow(clippy::cast_precision_loss)]
pub fn pct(lang: Lang, part: u64, whole: u64, places: usize) -> String {
    if whole == 0 {
        return "–".into();
    }
    format!(
        "{}%",
        decimal(lang, part as f64 * 100.0 / whole as f64, places)
    )
}

/// Civil date (year, month, day) of a day counted from 1970-01-01, proleptic Gregorian
/// (Howard Hinnant's `civil_from_days`).
pub fn civil_from_days(days: i64) -> (i64, u32, u32) {
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = u32::try_from(doy - (153 * mp + 2) / 5 + 1).unwrap_or(1);
    let m = u32::try_from(if mp < 10 { mp + 3 } else { mp - 9 }).unwrap_or(1);
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn civil_dates() {
        assert_eq!(civil_from_days(0), (1970, 1, 1));
        assert_eq!(civil_from_days(-1), (1969, 12, 31));
        assert_eq!(civil_from_days(11_016), (2000, 2, 29));
        assert_eq!(civil_from_days(20_791), (2026, 12, 4));
    }

    #[test]
    fn formats() {
        assert_eq!(int(Lang::Nl, 1_234_567u64), "1.234.567");
        assert_eq!(int(Lang::En, 1_234_567u64), "1,234,567");
        assert_eq!(int(Lang::Nl, 12u64), "12");
        assert_eq!(int(Lang::Nl, -1234i64), "-1.234");
        assert_eq!(decimal(Lang::Nl, 1234.5678, 2), "1.234,57");
        assert_eq!(decimal(Lang::En, 0.5, 1), "0.5");
        assert_eq!(pct(Lang::Nl, 1, 3, 1), "33,3%");
        assert_eq!(pct(Lang::Nl, 1, 0, 1), "–");
    }
}
