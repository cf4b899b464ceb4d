//! Text for the standard 14 fonts: Unicode → WinAnsiEncoding (with a readable fallback for
//! characters outside it), measured widths from the Helvetica font metrics, line wrapping,
//! and the two kinds of PDF strings (content-stream bytes and Unicode text strings).

use super::metrics;
use std::fmt::Write as _;

/// The two faces the report uses (both standard 14 fonts, WinAnsiEncoding).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Font {
    Regular,
    Bold,
}

impl Font {
    /// The resource name in every page's font dictionary.
    pub fn resource(self) -> &'static str {
        match self {
            Font::Regular => "F1",
            Font::Bold => "F2",
        }
    }
    pub fn base_font(self) -> &'static str {
        match self {
            Font::Regular => "Helvetica",
            Font::Bold => "Helvetica-Bold",
        }
    }
}

/// The WinAnsiEncoding code of a character, if it has one (PDF 32000-1, annex D.2).
pub fn winansi(c: char) -> Option<u8> {
    let code = match c {
        '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => return u8::try_from(u32::from(c)).ok(),
        '€' => 0x80,
        '‚' => 0x82,
        'ƒ' => 0x83,
        '„' => 0x84,
        '…' => 0x85,
        '†' => 0x86,
        '‡' => 0x87,
        'ˆ' => 0x88,
        '‰' => 0x89,
        'Š' => 0x8a,
        '‹' => 0x8b,
        'Œ' => 0x8c,
        'Ž' => 0x8e,
        '‘' => 0x91,
        '’' => 0x92,
        '“' => 0x93,
        '”' => 0x94,
        '•' => 0x95,
        '–' => 0x96,
        '—' => 0x97,
        '˜' => 0x98,
        '™' => 0x99,
        'š' => 0x9a,
        '›' => 0x9b,
        'œ' => 0x9c,
        'ž' => 0x9e,
        'Ÿ' => 0x9f,
        _ => return None,
    };
    Some(code)
}

/// What a character outside WinAnsiEncoding is written as: a readable equivalent where there is
/// one, else "?" (never silently dropped).
fn fallback(c: char) -> &'static str {
    match c {
        '≥' => ">=",
        '≤' => "<=",
        '≠' => "!=",
        '≈' => "~",
        '→' => "->",
        '←' => "<-",
        '−' | '‐' | '‑' | '‒' => "-",
        '\u{2009}' | '\u{2002}' | '\u{2003}' | '\u{2007}' | '\u{2008}' | '\u{200a}' | '\t'
        | '\n' | '\r' => " ",
        '\u{202f}' => "\u{a0}",
        '\u{200b}' | '\u{200c}' | '\u{200d}' | '\u{2060}' | '\u{feff}' | '\u{ad}' => "",
        '′' => "'",
        '″' => "\"",
        '✓' | '✔' => "v",
        _ => "?",
    }
}

/// The text as WinAnsi bytes, characters outside the encoding replaced by [`fallback`].
pub fn encode(s: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(s.len());
    for c in s.chars() {
        match winansi(c) {
            // the soft hyphen (0xAD) is invisible in running text
            Some(0xad) => {}
            Some(b) => out.push(b),
            None => out.extend(fallback(c).chars().filter_map(winansi)),
        }
    }
    out
}

/// Width of one WinAnsi code in 1/1000 em.
fn glyph_width(font: Font, b: u8) -> u16 {
    let table = match font {
        Font::Regular => &metrics::HELVETICA,
        Font::Bold => &metrics::HELVETICA_BOLD,
    };
    let w = usize::from(b)
        .checked_sub(32)
        .and_then(|i| table.get(i).copied())
        .unwrap_or(0);
    // a code without a glyph is drawn by viewers as some box; reserve room for it
    if w == 0 { 556 } else { w }
}

/// The width in points of a text set in `font` at `size`.
pub fn width(s: &str, font: Font, size: f64) -> f64 {
    let units: u32 = encode(s)
        .into_iter()
        .map(|b| u32::from(glyph_width(font, b)))
        .sum();
    f64::from(units) * size / 1000.0
}

/// Width in points of one character (its WinAnsi form, fallback included).
fn char_width(c: char, font: Font, size: f64) -> f64 {
    let mut buf = [0u8; 4];
    width(c.encode_utf8(&mut buf), font, size)
}

/// Splits a text into lines of at most `max` points wide: at spaces, and inside a word only
/// when the word alone is wider than a line. Always at least one line. Linear in the text's
/// length (widths are summed, never re-measured), so a 4,000-character answer without spaces
/// costs no more than one with.
pub fn wrap(s: &str, font: Font, size: f64, max: f64) -> Vec<String> {
    let space = width(" ", font, size);
    let mut lines = Vec::new();
    let mut cur = String::new();
    let mut cur_w = 0.0;
    // a non-breaking space joins, it does not separate
    let breaks = |c: char| c.is_whitespace() && c != '\u{a0}' && c != '\u{202f}';
    for word in s.split(breaks).filter(|w| !w.is_empty()) {
        let word_w = width(word, font, size);
        if cur.is_empty() && word_w <= max {
            word.clone_into(&mut cur);
            cur_w = word_w;
            continue;
        }
        if !cur.is_empty() && cur_w + space + word_w <= max {
            cur.push(' ');
            cur.push_str(word);
            cur_w += space + word_w;
            continue;
        }
        if !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
            cur_w = 0.0;
        }
        if word_w <= max {
            word.clone_into(&mut cur);
            cur_w = word_w;
            continue;
        }
        // a word wider than a line: cut it where it no longer fits
        for c in word.chars() {
            let w = char_width(c, font, size);
            if !cur.is_empty() && cur_w + w > max {
                lines.push(std::mem::take(&mut cur));
                cur_w = 0.0;
            }
            cur.push(c);
            cur_w += w;
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// A PDF string literal of the text's WinAnsi bytes, for a content stream (`Tj`).
pub fn literal(s: &str) -> String {
    let mut out = String::from("(");
    for b in encode(s) {
        match b {
            b'(' | b')' | b'\\' => {
                out.push('\\');
                out.push(char::from(b));
            }
            0x20..=0x7e => out.push(char::from(b)),
            _ => {
                let _ = write!(out, "\\{b:03o}");
            }
        }
    }
    out.push(')');
    out
}

/// A PDF text string (Info dictionary, structure attributes such as `/Alt`): UTF-16BE with a
/// byte order mark, written in hex, so every character survives (PDF 32000-1, 7.9.2.2).
/// PDFDocEncoding would turn "—" into "Š".
pub fn text_string(s: &str) -> String {
    let mut out = String::from("<FEFF");
    for unit in s.encode_utf16() {
        let _ = write!(out, "{unit:04X}");
    }
    out.push('>');
    out
}

/// Text escaped for XML (the XMP metadata).
pub fn xml_escape(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if u32::from(c) < 0x20 && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn winansi_maps_the_dutch_report_characters() {
        assert_eq!(encode("—"), vec![0x97]);
        assert_eq!(
            encode("–€…•‘’“”"),
            vec![0x96, 0x80, 0x85, 0x95, 0x91, 0x92, 0x93, 0x94]
        );
        assert_eq!(encode("ëéï\u{a0}"), vec![0xeb, 0xe9, 0xef, 0xa0]);
        assert_eq!(encode("≥ 5"), b">= 5".to_vec());
        assert_eq!(encode("a\u{200b}b"), b"ab".to_vec());
        assert_eq!(encode("日"), b"?".to_vec());
    }

    #[test]
    fn widths_come_from_the_font_metrics() {
        // Helvetica: "H" 722, "i" 222, em dash 1000
        assert!((width("Hi", Font::Regular, 10.0) - 9.44).abs() < 1e-9);
        assert!((width("—", Font::Bold, 12.0) - 12.0).abs() < 1e-9);
    }

    #[test]
    fn wrap_keeps_every_line_within_the_width() {
        let s = "Een lange zin met woorden en een heel-lang-samengesteld-woord-zonder-spaties-dat-niet-past erin.";
        for max in [30.0, 60.0, 120.0] {
            let lines = wrap(s, Font::Regular, 9.0, max);
            for l in &lines {
                assert!(width(l, Font::Regular, 9.0) <= max, "{l:?} > {max}");
            }
            let joined: String = lines.concat();
            assert_eq!(joined.replace(' ', ""), s.replace(' ', ""));
        }
    }

    #[test]
    fn wrap_never_breaks_at_a_non_breaking_space() {
        let lines = wrap("aaaa bbbb\u{a0}cccc", Font::Regular, 10.0, 60.0);
        assert_eq!(lines, vec!["aaaa".to_owned(), "bbbb\u{a0}cccc".to_owned()]);
    }

    #[test]
    fn strings_are_escaped() {
        assert_eq!(literal("a(b)\\—"), "(a\\(b\\)\\\\\\227)");
        assert_eq!(text_string("A—"), "<FEFF00412014>");
    }
}

#[cfg(test)]
mod perf {
    use super::*;

    #[test]
    fn a_long_unbroken_answer_wraps_quickly() {
        let s = "x".repeat(4000);
        let t = std::time::Instant::now();
        for _ in 0..20 {
            let lines = wrap(&s, Font::Regular, 10.0, 400.0);
            assert!(lines.len() > 40);
        }
        eprintln!("20 × 4000 chars: {:?}", t.elapsed());
    }
}
