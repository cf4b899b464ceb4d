//! The engine's Dutch step texts made readable on the pages: thousands separators in the
//! numbers ("1977651 stemmen" → "1.977.651 stemmen") and the list's name after its number
//! ("lijst 6" → "lijst 6 (SP)"). The engine's own texts (CLI, JSON) stay as they are.

use std::fmt::Write;

/// Inserts `sep` every three digits in runs of four or more digits that stand alone: not
/// part of a fraction (`2/3`), a decimal (`0,25`) or a code (`P 15` is not touched either,
/// being short).
pub fn group_digits(s: &str, sep: char) -> String {
    let chars: Vec<char> = s.chars().collect();
    let mut out = String::with_capacity(s.len() + 8);
    let mut i = 0;
    while i < chars.len() {
        if !chars[i].is_ascii_digit() {
            out.push(chars[i]);
            i += 1;
            continue;
        }
        let start = i;
        while i < chars.len() && chars[i].is_ascii_digit() {
            i += 1;
        }
        let run: String = chars[start..i].iter().collect();
        let before = start.checked_sub(1).map(|k| chars[k]);
        let after = chars.get(i).copied();
        let after2 = chars.get(i + 1).copied();
        let glued = matches!(before, Some('/' | ',' | '.' | '_' | '-' | ':'))
            || before.is_some_and(char::is_alphabetic)
            || matches!(after, Some('/' | '_' | ':'))
            || after.is_some_and(char::is_alphabetic)
            || (matches!(after, Some(',' | '.')) && after2.is_some_and(|c| c.is_ascii_digit()));
        if run.len() < 4 || glued {
            out.push_str(&run);
            continue;
        }
        for (k, c) in run.chars().enumerate() {
            if k > 0 && (run.len() - k).is_multiple_of(3) {
                out.push(sep);
            }
            out.push(c);
        }
    }
    out
}

/// Adds the list's name after "lijst N" / "Lijst N" (unless a name or bracket follows).
pub fn name_lists(s: &str, name_of: impl Fn(u32) -> Option<String>) -> String {
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(pos) = rest.find("ijst ") {
        let (head, tail) = rest.split_at(pos + "ijst ".len());
        out.push_str(head);
        let is_word = pos >= 1
            && matches!(&rest[pos - 1..pos], "l" | "L")
            && (pos < 2 || !rest[..pos - 1].ends_with(char::is_alphanumeric));
        let digits: String = tail.chars().take_while(char::is_ascii_digit).collect();
        rest = &tail[digits.len()..];
        out.push_str(&digits);
        if is_word
            && !digits.is_empty()
            && !rest.starts_with(" (")
            && !rest.starts_with(|c: char| c.is_ascii_digit())
            && let Some(n) = digits.parse().ok().and_then(&name_of)
        {
            let _ = write!(out, " ({n})");
        }
    }
    out.push_str(rest);
    out
}

/// "1 zetel(s)" → "1 zetel", "3 restzetel(s)" → "3 restzetels"; a "(s)" without a number
/// before its word stays.
pub fn plurals(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(pos) = rest.find("(s)") {
        let head = &rest[..pos];
        let word_start = head
            .char_indices()
            .rev()
            .take_while(|(_, c)| c.is_alphabetic())
            .last()
            .map_or(pos, |(k, _)| k);
        let before = head[..word_start].strip_suffix(' ');
        let number: Option<u64> = before.and_then(|b| {
            let digits: String = b
                .chars()
                .rev()
                .take_while(char::is_ascii_digit)
                .collect::<Vec<_>>()
                .into_iter()
                .rev()
                .collect();
            let prefix_ok = b[..b.len() - digits.len()]
                .chars()
                .last()
                .is_none_or(|c| !c.is_alphanumeric());
            if prefix_ok { digits.parse().ok() } else { None }
        });
        out.push_str(head);
        match number {
            Some(1) => {}
            Some(_) => out.push('s'),
            None => out.push_str("(s)"),
        }
        rest = &rest[pos + 3..];
    }
    out.push_str(rest);
    out
}

/// All three, for a Dutch text of the engine about election `l`.
pub fn readable(l: &crate::model::Loaded, s: &str) -> String {
    let s = &plurals(s);
    let named = name_lists(s, |n| {
        let name = l.party_name(n);
        (!name.trim().is_empty() && name != "?").then(|| name.to_string())
    });
    group_digits(&named, '.')
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn digits_grouped_only_where_they_are_counts() {
        assert_eq!(group_digits("1977651 stemmen", '.'), "1.977.651 stemmen");
        assert_eq!(
            group_digits("kiesdeler 70310 2/3", '.'),
            "kiesdeler 70.310 2/3"
        );
        assert_eq!(group_digits("12345/150 = 82,30", '.'), "12345/150 = 82,30");
        assert_eq!(group_digits("0,12345 en 999", '.'), "0,12345 en 999");
        assert_eq!(
            group_digits("artikel P 15, lijst 6", '.'),
            "artikel P 15, lijst 6"
        );
        assert_eq!(
            group_digits("code W-KIESGERECHTIGDEN-0001", '.'),
            "code W-KIESGERECHTIGDEN-0001"
        );
        assert_eq!(group_digits("1234.5678", '.'), "1234.5678");
    }

    #[test]
    fn plurals_follow_the_number() {
        assert_eq!(
            plurals("voor 1 restzetel(s) (art. P 7)"),
            "voor 1 restzetel (art. P 7)"
        );
        assert_eq!(plurals("heeft 3 zetel(s), maar"), "heeft 3 zetels, maar");
        assert_eq!(plurals("de zetel(s) gaan"), "de zetel(s) gaan");
        assert_eq!(plurals("P15 zetel(s)"), "P15 zetel(s)");
    }

    #[test]
    fn list_numbers_get_their_names() {
        let name = |n: u32| (n == 6).then(|| "SP".to_string());
        assert_eq!(
            name_lists("lijst 6 krijgt een zetel", name),
            "lijst 6 (SP) krijgt een zetel"
        );
        assert_eq!(
            name_lists("Lijst 6: 3 zetels", name),
            "Lijst 6 (SP): 3 zetels"
        );
        assert_eq!(name_lists("lijst 6 (SP) al", name), "lijst 6 (SP) al");
        assert_eq!(
            name_lists("lijst 7 en lijst 6.", name),
            "lijst 7 en lijst 6 (SP)."
        );
        assert_eq!(name_lists("kandidatenlijst 6", name), "kandidatenlijst 6");
        assert_eq!(name_lists("lijsten 6", name), "lijsten 6");
    }
}
