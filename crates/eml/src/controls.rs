//! Control characters.
//!
//! The text of the files we read may not hold them: XML 1.0 allows no C0 control character
//! other than tab, line feed and carriage return (not even as a character reference), and we
//! refuse DEL and the C1 range (U+0080–U+009F) as well, in XML and CSV alike. A name read
//! from a file therefore never carries an escape sequence or a NUL byte into a terminal, a
//! web page, a CSV or an EML file. Names we did not read from a file's text — file names and
//! zip entry names — cannot be refused (they are how the user finds the file), so they are
//! escaped wherever they are shown ([`escape_controls`]).

use std::borrow::Cow;
use std::fmt::Write as _;

/// Whether text may not carry `c`: every control character except tab, LF and CR.
pub fn is_forbidden(c: char) -> bool {
    c.is_control() && !matches!(c, '\t' | '\n' | '\r')
}

/// `s` with every control character (tab and line breaks included) written as `\u{1b}`, so
/// that it shows as one line of plain text on a terminal.
pub fn escape_controls(s: &str) -> Cow<'_, str> {
    if !s.chars().any(char::is_control) {
        return Cow::Borrowed(s);
    }
    let mut out = String::with_capacity(s.len() + 8);
    for c in s.chars() {
        if c.is_control() {
            let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
        } else {
            out.push(c);
        }
    }
    Cow::Owned(out)
}

/// Byte offset and value of the first forbidden control character in `b` (UTF-8). Scans 64
/// bytes at a time without branches (the compiler vectorises it) and looks closer only at a
/// block that has a byte below 0x20, DEL or 0xC2 (the lead byte of U+0080–U+00BF).
// Bitwise `|` on purpose: no branch per byte, so the block test vectorises.
#[allow(clippy::needless_bitwise_bool)]
pub(crate) fn find_forbidden(b: &[u8]) -> Option<(usize, char)> {
    for (n, block) in b.chunks(64).enumerate() {
        let suspect = block.iter().fold(false, |acc, &c| {
            acc | (c < 0x20) | (c == 0x7F) | (c == 0xC2)
        });
        if !suspect {
            continue;
        }
        let start = n * 64;
        for (i, &c) in block.iter().enumerate() {
            let at = start + i;
            let found = match c {
                b'\t' | b'\n' | b'\r' => None,
                0..0x20 | 0x7F => Some(char::from(c)),
                0xC2 => match b.get(at + 1) {
                    Some(&next @ 0x80..0xA0) => char::from_u32(u32::from(next)),
                    _ => None,
                },
                _ => None,
            };
            if let Some(ch) = found {
                return Some((at, ch));
            }
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_c0_del_and_c1_but_not_whitespace_or_letters() {
        assert_eq!(find_forbidden(b"a\tb\r\nc"), None);
        assert_eq!(find_forbidden("Één · «x» \u{a0}".as_bytes()), None);
        assert_eq!(find_forbidden(b"ab\x1b[2J"), Some((2, '\u{1b}')));
        assert_eq!(find_forbidden(b"ab\0"), Some((2, '\0')));
        assert_eq!(find_forbidden(b"\x7f"), Some((0, '\u{7f}')));
        let long = format!("{}\u{9b}", "x".repeat(130));
        assert_eq!(find_forbidden(long.as_bytes()), Some((130, '\u{9b}')));
        // A C1 character split over two 64-byte blocks.
        let split = format!("{}\u{85}", "x".repeat(63));
        assert_eq!(find_forbidden(split.as_bytes()), Some((63, '\u{85}')));
    }

    #[test]
    fn escapes_every_control_character() {
        assert_eq!(escape_controls("gewoon"), "gewoon");
        assert_eq!(
            escape_controls("a\u{1b}[2J\nOK\u{9b}"),
            "a\\u{1b}[2J\\u{a}OK\\u{9b}"
        );
    }
}
