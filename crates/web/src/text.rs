//! The engine's texts (Dutch or English) made readable on the pages: thousands separators in
//! the numbers ("1977651 stemmen" → "1.977.651 stemmen", "10000 seats" → "10,000 seats") and
//! the list's name after its number ("lijst 6" → "lijst 6 (SP)", "list 6" → "list 6 (SP)").
//! The engine writes its plurals itself ("1 zetel", "2 seats"). The engine's own texts (CLI,
//! JSON) stay as they are.

use std::fmt::Write;

use webkit::Lang;

/// The engine's language for a page's language.
pub fn engine_lang(lang: Lang) -> kieswet::Lang {
    match lang {
        Lang::Nl => kieswet::Lang::Nl,
        Lang::En => kieswet::Lang::En,
    }
}

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

/// Adds the list's name after "lijst N" / "Lijst N" (for `word` "lijst"; "list N" / "List N"
/// for "list"), unless a name or bracket follows.
pub fn name_lists(s: &str, word: &str, name_of: impl Fn(u32) -> Option<String>) -> String {
    let Some(rest_of_word) = word.get(1..) else {
        return s.to_string();
    };
    let tail_of_word = format!("{rest_of_word} ");
    let first = word.chars().next().unwrap_or(' ');
    let mut out = String::with_capacity(s.len() + 16);
    let mut rest = s;
    while let Some(pos) = rest.find(&tail_of_word) {
        let (head, tail) = rest.split_at(pos + tail_of_word.len());
        out.push_str(head);
        let before = rest[..pos].chars().next_back();
        let is_word = before.is_some_and(|c| c.eq_ignore_ascii_case(&first))
            && !rest[..pos - before.map_or(0, char::len_utf8)].ends_with(char::is_alphanumeric);
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

/// Both, for a text of the engine in `lang` about election `l`.
pub fn readable(lang: Lang, l: &crate::model::Loaded, s: &str) -> String {
    let (word, sep) = match lang {
        Lang::Nl => ("lijst", '.'),
        Lang::En => ("list", ','),
    };
    let named = name_lists(s, word, |n| {
        let name = l.party_name(n);
        (!name.trim().is_empty() && name != "?").then(|| name.to_string())
    });
    group_digits(&named, sep)
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
    fn list_numbers_get_their_names() {
        let name = |n: u32| (n == 6).then(|| "SP".to_string());
        assert_eq!(
            name_lists("lijst 6 krijgt een zetel", "lijst", name),
            "lijst 6 (SP) krijgt een zetel"
        );
        assert_eq!(
            name_lists("Lijst 6: 3 zetels", "lijst", name),
            "Lijst 6 (SP): 3 zetels"
        );
        assert_eq!(
            name_lists("lijst 6 (SP) al", "lijst", name),
            "lijst 6 (SP) al"
        );
        assert_eq!(
            name_lists("lijst 7 en lijst 6.", "lijst", name),
            "lijst 7 en lijst 6 (SP)."
        );
        assert_eq!(
            name_lists("kandidatenlijst 6", "lijst", name),
            "kandidatenlijst 6"
        );
        assert_eq!(name_lists("lijsten 6", "lijst", name), "lijsten 6");
        assert_eq!(
            name_lists("equal votes on list 6 and List 7", "list", name),
            "equal votes on list 6 (SP) and List 7"
        );
        assert_eq!(name_lists("checklist 6", "list", name), "checklist 6");
    }
}
