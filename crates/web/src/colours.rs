//! Chart colours by party, not by list number: the same party gets the same colour in every
//! election (GroenLinks is green in the Tweede Kamer and in Utrecht), and every colour has a
//! contrast of at least 3:1 against the white background (WCAG 2.1, 1.4.11).
//!
//! Well-known national parties have a fixed colour near their own. Any other party gets a
//! colour from [`PALETTE`] chosen by a hash of its name (case and accents ignored), so it is
//! stable across elections. Within one election two parties never share a colour while the
//! palette lasts: on a clash the later party on the ballot takes the next free colour.

use crate::search::fold;

/// Colours for parties without a fixed colour: 24 hues, each ≥ 3:1 against white.
pub const PALETTE: [&str; 24] = [
    "#154273", "#a90061", "#39870c", "#c2291d", "#01689b", "#673327", "#42145f", "#8a5700",
    "#007b5f", "#5c5c5c", "#6b7a00", "#8e2a6b", "#7a4b9c", "#c20ac2", "#380ac2", "#339988",
    "#998833", "#76089b", "#0a38c2", "#060679", "#c2750a", "#089b2d", "#0a94c2", "#206035",
];

/// Fixed colours of national parties (folded name prefix → colour): near the party's own
/// where that stays ≥ 3:1 on white and apart from the others (several parties share a brand
/// green or red; here they differ, e.g. D66 olive beside GroenLinks green and CDA teal).
const KNOWN: &[(&str, &str)] = &[
    ("vvd", "#1d3f8f"),
    ("pvv", "#0d2a47"),
    ("cda", "#007b5f"),
    ("d66", "#6b7a00"),
    ("groenlinks pvda", "#c4006a"),
    ("groenlinks", "#39870c"),
    ("partij van de arbeid", "#c2291d"),
    ("pvda", "#c2291d"),
    ("sp", "#e4003a"),
    ("christenunie", "#0071a5"),
    ("staatkundig gereformeerde partij", "#d25400"),
    ("sgp", "#d25400"),
    ("partij voor de dieren", "#006b2d"),
    ("50plus", "#92107d"),
    ("forum voor democratie", "#841818"),
    ("ja21", "#5c4b8a"),
    ("volt", "#502379"),
    ("bbb", "#3d5a00"),
    ("boerburgerbeweging", "#3d5a00"),
    ("denk", "#2f8f8f"),
    ("bij1", "#5c5c5c"),
    ("nieuw sociaal contract", "#9c6b00"),
    ("nsc", "#9c6b00"),
];

/// The preferred colour of a party by its name.
pub fn preferred(name: &str) -> &'static str {
    let folded = fold(name);
    let words: Vec<&str> = folded.split(' ').filter(|w| !w.is_empty()).collect();
    let joined = words.join(" ");
    for (key, colour) in KNOWN {
        let starts = joined == *key
            || joined
                .strip_prefix(key)
                .is_some_and(|rest| rest.starts_with(' '));
        if starts {
            return colour;
        }
    }
    // FNV-1a over the folded name: stable across runs and platforms.
    let mut h: u32 = 0x811c_9dc5;
    for b in joined.bytes() {
        h ^= u32::from(b);
        h = h.wrapping_mul(0x0100_0193);
    }
    PALETTE[h as usize % PALETTE.len()]
}

/// Colours for the parties of one election, in ballot order. `seated` says which parties
/// won seats: they are served first, so the seat chart's groups differ whenever possible.
pub fn assign(names: &[&str], seated: &[bool]) -> Vec<&'static str> {
    let mut out: Vec<Option<&'static str>> = vec![None; names.len()];
    let mut used: Vec<&'static str> = Vec::new();
    let mut order: Vec<usize> = (0..names.len()).collect();
    order.sort_by_key(|&i| (!seated.get(i).copied().unwrap_or(false), i));
    for i in order {
        let want = preferred(names[i]);
        let colour = if used.contains(&want) {
            let start = PALETTE.iter().position(|c| *c == want).unwrap_or(0);
            (0..PALETTE.len())
                .map(|k| PALETTE[(start + 1 + k) % PALETTE.len()])
                .find(|c| !used.contains(c))
                .unwrap_or(want)
        } else {
            want
        };
        used.push(colour);
        out[i] = Some(colour);
    }
    out.into_iter().map(|c| c.unwrap_or(PALETTE[0])).collect()
}

/// Relative luminance of `#rrggbb` (WCAG 2.1).
pub fn luminance(hex: &str) -> f64 {
    let v = u32::from_str_radix(hex.trim_start_matches('#'), 16).unwrap_or(0);
    let channel = |shift: u32| {
        let c = f64::from((v >> shift) & 0xff) / 255.0;
        if c <= 0.039_28 {
            c / 12.92
        } else {
            ((c + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * channel(16) + 0.7152 * channel(8) + 0.0722 * channel(0)
}

/// Contrast ratio of `hex` against white.
pub fn contrast_on_white(hex: &str) -> f64 {
    1.05 / (luminance(hex) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_colour_has_3_to_1_against_white() {
        for c in PALETTE.iter().chain(KNOWN.iter().map(|(_, c)| c)) {
            assert!(
                contrast_on_white(c) >= 3.0,
                "{c}: {:.2}",
                contrast_on_white(c)
            );
        }
    }

    #[test]
    fn palette_colours_differ() {
        let rgb = |h: &str| {
            let v = u32::from_str_radix(&h[1..], 16).unwrap();
            [(v >> 16) & 255, (v >> 8) & 255, v & 255].map(f64::from)
        };
        for (i, a) in PALETTE.iter().enumerate() {
            for b in &PALETTE[i + 1..] {
                let (x, y) = (rgb(a), rgb(b));
                let d =
                    ((x[0] - y[0]).powi(2) + (x[1] - y[1]).powi(2) + (x[2] - y[2]).powi(2)).sqrt();
                assert!(d > 40.0, "{a} and {b} are too alike ({d:.0})");
            }
        }
    }

    #[test]
    fn national_parties_are_told_apart() {
        let rgb = |h: &str| {
            let v = u32::from_str_radix(&h[1..], 16).unwrap();
            [(v >> 16) & 255, (v >> 8) & 255, v & 255].map(f64::from)
        };
        let mut colours: Vec<&str> = KNOWN.iter().map(|(_, c)| *c).collect();
        colours.sort_unstable();
        colours.dedup();
        for (i, a) in colours.iter().enumerate() {
            for b in &colours[i + 1..] {
                let (x, y) = (rgb(a), rgb(b));
                let d =
                    ((x[0] - y[0]).powi(2) + (x[1] - y[1]).powi(2) + (x[2] - y[2]).powi(2)).sqrt();
                assert!(d >= 45.0, "{a} and {b} are too alike ({d:.0})");
            }
        }
    }

    #[test]
    fn same_party_same_colour_across_elections() {
        // GroenLinks as on the TK2021 ballot and on a gemeenteraad ballot.
        assert_eq!(preferred("GROENLINKS"), preferred("GroenLinks"));
        assert_eq!(preferred("GROENLINKS"), "#39870c");
        assert_eq!(preferred("SP (Socialistische Partij)"), preferred("SP"));
        assert_eq!(
            preferred("Partij van de Arbeid (P.v.d.A.)"),
            preferred("PvdA")
        );
        assert_eq!(preferred("Lokaal Belang"), preferred("lokaal  belang"));
        assert_ne!(preferred("GROENLINKS / PvdA"), preferred("GROENLINKS"));
        // "SPA" is not the SP.
        assert_ne!(preferred("SPA"), "#e4003a");
    }

    #[test]
    fn no_two_seated_parties_share_a_colour_while_the_palette_lasts() {
        let names: Vec<String> = (0..30).map(|i| format!("Lokale Partij {i}")).collect();
        let refs: Vec<&str> = names.iter().map(String::as_str).collect();
        let colours = assign(&refs, &[true; 30]);
        let distinct: std::collections::HashSet<&&str> = colours.iter().collect();
        assert!(distinct.len() >= PALETTE.len(), "{colours:?}");
        assert_eq!(colours[0], preferred(refs[0]));
    }
}
