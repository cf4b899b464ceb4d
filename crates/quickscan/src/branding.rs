//! An organisation's own look: its logo (checked before it is stored) and its house colour
//! (made dark enough for white text). Pure functions, no I/O.
//!
//! The logo is an attack surface: anyone with the trekker role uploads bytes that every
//! respondent's browser loads. So only PNG and JPEG are accepted — never SVG, which can carry
//! script —, recognised by their structure, not by the file name or the browser's content type;
//! the whole file must be one well-formed image with nothing after its end and no text chunks
//! or comments (where an HTML or script polyglot would hide); at most [`MAX_LOGO_BYTES`] bytes
//! and [`MAX_LOGO_SIDE`] pixels a side (a small file cannot unpack into a huge bitmap). It is
//! served from its own route with the stored content type, `nosniff` and a sandboxing CSP.

/// Largest logo file: 200 KB.
pub const MAX_LOGO_BYTES: usize = 200 * 1024;
/// Largest width or height of a logo in pixels.
pub const MAX_LOGO_SIDE: u32 = 2000;

/// A logo that passed [`check_logo`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LogoInfo {
    pub content_type: &'static str,
    pub width: u32,
    pub height: u32,
}

/// Checks an uploaded logo. The error is a Dutch sentence for the trekker.
pub fn check_logo(bytes: &[u8]) -> Result<LogoInfo, String> {
    if bytes.is_empty() {
        return Err("Kies een bestand.".into());
    }
    if bytes.len() > MAX_LOGO_BYTES {
        return Err(format!(
            "Het logo is te groot ({} kB). Het mag hoogstens 200 kB zijn.",
            bytes.len().div_ceil(1024)
        ));
    }
    let info = if bytes.starts_with(PNG_SIGNATURE) {
        png(bytes)?
    } else if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        jpeg(bytes)?
    } else {
        return Err(
            "Dit bestand is geen PNG of JPEG. Andere soorten (zoals SVG) nemen we niet aan.".into(),
        );
    };
    if info.width == 0 || info.height == 0 {
        return Err("Het logo heeft geen breedte of hoogte.".into());
    }
    if info.width > MAX_LOGO_SIDE || info.height > MAX_LOGO_SIDE {
        return Err(format!(
            "Het logo is {} × {} pixels. Hoogstens {MAX_LOGO_SIDE} pixels breed en hoog.",
            info.width, info.height
        ));
    }
    if has_markup(bytes) {
        return Err("Het bestand bevat ook HTML- of scriptcode. Sla het logo opnieuw op als gewone PNG of JPEG.".into());
    }
    Ok(info)
}

const PNG_SIGNATURE: &[u8] = b"\x89PNG\r\n\x1a\n";

fn bad(kind: &str) -> String {
    format!("Het bestand is geen geldige {kind}. Sla het logo opnieuw op en probeer het nog eens.")
}

/// Walks every PNG chunk: CRCs must match, the first chunk is IHDR, the file ends exactly
/// after IEND, no text chunks.
fn png(b: &[u8]) -> Result<LogoInfo, String> {
    let mut at = PNG_SIGNATURE.len();
    let mut size = None;
    let mut seen_idat = false;
    loop {
        let head = b.get(at..at + 8).ok_or_else(|| bad("PNG"))?;
        let len = u32::from_be_bytes([head[0], head[1], head[2], head[3]]) as usize;
        let kind = &head[4..8];
        let end = at
            .checked_add(12)
            .and_then(|x| x.checked_add(len))
            .ok_or_else(|| bad("PNG"))?;
        let chunk = b.get(at + 4..end - 4).ok_or_else(|| bad("PNG"))?;
        let crc = b.get(end - 4..end).ok_or_else(|| bad("PNG"))?;
        if crc32(chunk).to_be_bytes() != crc {
            return Err(bad("PNG"));
        }
        let data = &chunk[4..];
        if size.is_none() {
            if kind != b"IHDR" || len != 13 {
                return Err(bad("PNG"));
            }
            let w = u32::from_be_bytes([data[0], data[1], data[2], data[3]]);
            let h = u32::from_be_bytes([data[4], data[5], data[6], data[7]]);
            size = Some((w, h));
        }
        match kind {
            b"tEXt" | b"zTXt" | b"iTXt" => {
                return Err(
                    "Het logo bevat tekstvelden. Sla het opnieuw op zonder extra gegevens.".into(),
                );
            }
            b"IDAT" => seen_idat = true,
            b"IEND" => {
                if end != b.len() {
                    return Err("Na het einde van de afbeelding staan nog gegevens. Sla het logo opnieuw op als gewone PNG.".into());
                }
                if !seen_idat {
                    return Err(bad("PNG"));
                }
                let (width, height) = size.ok_or_else(|| bad("PNG"))?;
                return Ok(LogoInfo {
                    content_type: "image/png",
                    width,
                    height,
                });
            }
            _ => {}
        }
        at = end;
    }
}

/// Walks the JPEG segments up to the image data: a frame header (SOF) gives the size, no
/// comments (COM); the file ends exactly at the end-of-image marker.
fn jpeg(b: &[u8]) -> Result<LogoInfo, String> {
    let mut at = 2;
    let mut size = None;
    loop {
        if b.get(at) != Some(&0xFF) {
            return Err(bad("JPEG"));
        }
        // fill bytes
        while b.get(at + 1) == Some(&0xFF) {
            at += 1;
        }
        let marker = *b.get(at + 1).ok_or_else(|| bad("JPEG"))?;
        if (0xD0..=0xD7).contains(&marker) || marker == 0x01 {
            at += 2;
            continue;
        }
        if marker == 0xD9 || marker == 0xD8 {
            return Err(bad("JPEG"));
        }
        let len = usize::from(u16::from_be_bytes([
            *b.get(at + 2).ok_or_else(|| bad("JPEG"))?,
            *b.get(at + 3).ok_or_else(|| bad("JPEG"))?,
        ]));
        if len < 2 {
            return Err(bad("JPEG"));
        }
        let seg = b.get(at + 4..at + 2 + len).ok_or_else(|| bad("JPEG"))?;
        match marker {
            0xFE => {
                return Err(
                    "Het logo bevat een commentaarveld. Sla het opnieuw op zonder extra gegevens."
                        .into(),
                );
            }
            0xC0..=0xCF if !matches!(marker, 0xC4 | 0xC8 | 0xCC) => {
                if seg.len() < 5 {
                    return Err(bad("JPEG"));
                }
                let h = u32::from(u16::from_be_bytes([seg[1], seg[2]]));
                let w = u32::from(u16::from_be_bytes([seg[3], seg[4]]));
                size = Some((w, h));
            }
            0xDA => {
                // Entropy-coded data: every 0xFF in it is followed by 0x00 or a restart
                // marker, until the end-of-image marker, which must be the last two bytes.
                let mut i = at + 2 + len;
                while i + 1 < b.len() {
                    if b[i] == 0xFF {
                        match b[i + 1] {
                            0x00 | 0xD0..=0xD7 | 0xFF => {}
                            0xD9 => {
                                if i + 2 != b.len() {
                                    return Err("Na het einde van de afbeelding staan nog gegevens. Sla het logo opnieuw op als gewone JPEG.".into());
                                }
                                let (width, height) = size.ok_or_else(|| bad("JPEG"))?;
                                return Ok(LogoInfo {
                                    content_type: "image/jpeg",
                                    width,
                                    height,
                                });
                            }
                            // another scan (progressive JPEG): walk its header
                            _ => break,
                        }
                    }
                    i += 1;
                }
                if i + 1 >= b.len() {
                    return Err(bad("JPEG"));
                }
                at = i;
                continue;
            }
            _ => {}
        }
        at += 2 + len;
    }
}

/// Markup a browser could run if it ever sniffed the file as HTML or SVG. Each needle is at
/// least 5 bytes, so compressed image data matches one by chance about once in 10^5 logos
/// (the trekker is then asked to save the logo again).
fn has_markup(b: &[u8]) -> bool {
    const NEEDLES: [&[u8]; 11] = [
        b"<script",
        b"<html",
        b"<iframe",
        b"<!doctype",
        b"<?xml",
        b"<body",
        b"<svg ",
        b"<svg>",
        b"<svg/",
        b"<svg\n",
        b"<svg\t",
    ];
    (0..b.len()).any(|i| {
        NEEDLES
            .iter()
            .any(|n| b.len() - i >= n.len() && b[i..i + n.len()].eq_ignore_ascii_case(n))
    })
}

/// CRC-32 (ISO-HDLC) as PNG uses it.
fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &byte in data {
        c ^= u32::from(byte);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    c ^ 0xFFFF_FFFF
}

/// A house colour fit for white text (WCAG 2.1 AA: contrast at least 4.5:1).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HouseColour {
    /// `#rrggbb`, lower case.
    pub hex: String,
    /// The colour given was too light and was made darker to reach 4.5:1.
    pub darkened: bool,
}

/// The minimum contrast ratio for white text on the house colour.
pub const MIN_CONTRAST: f64 = 4.5;

/// Parses `#rrggbb` (or `rrggbb`, or `#rgb`) and, if white text on it would have less than
/// 4.5:1 contrast, derives the same hue dark enough (and says so in `darkened`).
pub fn house_colour(input: &str) -> Result<HouseColour, String> {
    let rgb = parse_hex(input.trim()).ok_or_else(|| {
        "Vul een kleur in als #rrggbb, bijvoorbeeld #01689b (zes tekens 0-9 of a-f).".to_owned()
    })?;
    let mut c = rgb;
    let mut darkened = false;
    let mut factor = 1.0_f64;
    while contrast_with_white(c) < MIN_CONTRAST {
        darkened = true;
        factor -= 0.02;
        c = rgb.map(|v| scale(v, factor));
    }
    Ok(HouseColour {
        hex: format!("#{:02x}{:02x}{:02x}", c[0], c[1], c[2]),
        darkened,
    })
}

#[allow(
    clippy::cast_possible_truncation,
    clippy::cast_sign_loss,
    clippy::cast_lossless
)]
fn scale(v: u8, factor: f64) -> u8 {
    (f64::from(v) * factor.max(0.0)).floor() as u8
}

fn parse_hex(s: &str) -> Option<[u8; 3]> {
    let s = s.strip_prefix('#').unwrap_or(s);
    if !s.chars().all(|c| c.is_ascii_hexdigit()) {
        return None;
    }
    match s.len() {
        6 => Some([
            u8::from_str_radix(&s[0..2], 16).ok()?,
            u8::from_str_radix(&s[2..4], 16).ok()?,
            u8::from_str_radix(&s[4..6], 16).ok()?,
        ]),
        3 => {
            let d = |i: usize| u8::from_str_radix(&s[i..=i], 16).ok().map(|v| v * 17);
            Some([d(0)?, d(1)?, d(2)?])
        }
        _ => None,
    }
}

/// WCAG 2.1 relative luminance.
fn luminance(c: [u8; 3]) -> f64 {
    let ch = |v: u8| {
        let s = f64::from(v) / 255.0;
        if s <= 0.039_28 {
            s / 12.92
        } else {
            ((s + 0.055) / 1.055).powf(2.4)
        }
    };
    0.2126 * ch(c[0]) + 0.7152 * ch(c[1]) + 0.0722 * ch(c[2])
}

/// Contrast ratio of white text on `c`.
pub fn contrast_with_white(c: [u8; 3]) -> f64 {
    1.05 / (luminance(c) + 0.05)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn colours() {
        // Rijkshuisstijl-blauw is dark enough
        let c = house_colour("#01689B").unwrap();
        assert_eq!(c.hex, "#01689b");
        assert!(!c.darkened);
        // yellow is not: darkened until 4.5:1
        let c = house_colour("#ffdd00").unwrap();
        assert!(c.darkened);
        let rgb = parse_hex(&c.hex).unwrap();
        assert!(contrast_with_white(rgb) >= 4.5, "{}", c.hex);
        // white becomes a grey that passes
        let c = house_colour("fff").unwrap();
        assert!(c.darkened);
        assert!(contrast_with_white(parse_hex(&c.hex).unwrap()) >= 4.5);
        assert!(house_colour("red; background:url(x)").is_err());
        assert!(house_colour("#12345").is_err());
        assert!(house_colour("").is_err());
    }

    #[test]
    fn crc() {
        assert_eq!(crc32(b"IEND"), 0xAE42_6082);
    }
}
