//! The organisation's profile and logo (issue 12): what is accepted, what is refused, and how
//! the logo is served.

use quickscan::branding::{check_logo, contrast_with_white, house_colour};
use quickscan::model::OrgKind;
use quickscan::store::{self, Profile};
use rusqlite::Connection;

const PNG: &[u8] = include_bytes!("fixtures/logo.png");
const JPEG: &[u8] = include_bytes!("fixtures/logo.jpg");
const JPEG_PROGRESSIVE: &[u8] = include_bytes!("fixtures/logo-progressive.jpg");

fn db() -> Connection {
    let c = Connection::open_in_memory().unwrap();
    store::migrate(&c).unwrap();
    store::upsert_org(&c, "testdorp", "Gemeente Testdorp", OrgKind::Gemeente).unwrap();
    c
}

fn crc32(data: &[u8]) -> u32 {
    let mut c = 0xFFFF_FFFFu32;
    for &b in data {
        c ^= u32::from(b);
        for _ in 0..8 {
            c = if c & 1 == 1 {
                0xEDB8_8320 ^ (c >> 1)
            } else {
                c >> 1
            };
        }
    }
    !c
}

/// `PNG` with one more chunk inserted before IEND (correct CRC).
fn png_with_chunk(kind: [u8; 4], data: &[u8]) -> Vec<u8> {
    let iend = PNG.len() - 12;
    let mut v = PNG[..iend].to_vec();
    v.extend_from_slice(&u32::try_from(data.len()).unwrap().to_be_bytes());
    let mut body = kind.to_vec();
    body.extend_from_slice(data);
    v.extend_from_slice(&body);
    v.extend_from_slice(&crc32(&body).to_be_bytes());
    v.extend_from_slice(&PNG[iend..]);
    v
}

#[test]
fn real_png_and_jpeg_are_accepted_with_their_size() {
    let p = check_logo(PNG).unwrap();
    assert_eq!((p.content_type, p.width, p.height), ("image/png", 160, 48));
    let j = check_logo(JPEG).unwrap();
    assert_eq!((j.content_type, j.width, j.height), ("image/jpeg", 160, 48));
    let j = check_logo(JPEG_PROGRESSIVE).unwrap();
    assert_eq!((j.content_type, j.width, j.height), ("image/jpeg", 160, 48));
}

#[test]
fn a_png_named_jpg_is_stored_as_png() {
    // The file name and the browser's content type play no part: the bytes decide.
    let c = db();
    let info = store::set_logo(&c, "testdorp", PNG).unwrap();
    assert_eq!(info.content_type, "image/png");
    let l = store::logo(&c, "testdorp").unwrap().unwrap();
    assert_eq!(l.content_type, "image/png");
    assert_eq!(l.data, PNG);
}

#[test]
fn svg_is_refused() {
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>"#;
    let e = check_logo(svg).unwrap_err();
    assert!(e.contains("geen PNG of JPEG"), "{e}");
    let c = db();
    assert!(matches!(
        store::set_logo(&c, "testdorp", svg),
        Err(store::Error::Invalid(_))
    ));
    assert!(store::logo(&c, "testdorp").unwrap().is_none());
}

#[test]
fn a_5_mb_file_is_refused() {
    let mut big = PNG.to_vec();
    big.resize(5 * 1024 * 1024, 0);
    let e = check_logo(&big).unwrap_err();
    assert!(e.contains("200 kB"), "{e}");
}

#[test]
fn polyglots_are_refused() {
    // HTML after the end of the image
    let mut tail = PNG.to_vec();
    tail.extend_from_slice(b"<html><script>alert(1)</script></html>");
    assert!(check_logo(&tail).is_err());
    let mut tail = JPEG.to_vec();
    tail.extend_from_slice(b"<script>alert(1)</script>");
    assert!(check_logo(&tail).is_err());
    // script in a text chunk, with a correct CRC
    let text = png_with_chunk(*b"tEXt", b"Comment\0<script>alert(1)</script>");
    assert!(check_logo(&text).is_err());
    // script in a private chunk: not a text chunk, but markup is refused anywhere
    let private = png_with_chunk(*b"prVt", b"<ScRiPt>alert(1)</script>");
    let e = check_logo(&private).unwrap_err();
    assert!(e.contains("HTML"), "{e}");
    let svg = png_with_chunk(*b"prVt", b"<svg onload=alert(1)>");
    assert!(check_logo(&svg).is_err());
    // a harmless private chunk passes
    assert!(check_logo(&png_with_chunk(*b"prVt", b"hello")).is_ok());
    // a JPEG comment segment
    let mut com = JPEG[..2].to_vec();
    com.extend_from_slice(&[0xFF, 0xFE, 0x00, 0x07]);
    com.extend_from_slice(b"hello");
    com.extend_from_slice(&JPEG[2..]);
    assert!(check_logo(&com).is_err());
    // GIF, a broken CRC, a truncated file
    assert!(check_logo(b"GIF89a\x01\x00\x01\x00").is_err());
    let mut crc = PNG.to_vec();
    crc[30] ^= 1;
    assert!(check_logo(&crc).is_err());
    assert!(check_logo(&PNG[..PNG.len() - 5]).is_err());
    assert!(check_logo(&JPEG[..JPEG.len() / 2]).is_err());
    assert!(check_logo(&[]).is_err());
}

#[test]
fn a_huge_bitmap_in_a_small_file_is_refused() {
    // IHDR says 20000 × 20000: refused before anything is decoded
    let mut v = PNG.to_vec();
    v[16..20].copy_from_slice(&20_000u32.to_be_bytes());
    v[20..24].copy_from_slice(&20_000u32.to_be_bytes());
    let crc = crc32(&v[12..29]);
    v[29..33].copy_from_slice(&crc.to_be_bytes());
    let e = check_logo(&v).unwrap_err();
    assert!(e.contains("20000"), "{e}");
}

#[test]
fn colour_contrast() {
    assert!(!house_colour("#01689b").unwrap().darkened);
    let c = house_colour("#FFFF00").unwrap();
    assert!(c.darkened);
    let rgb = [
        u8::from_str_radix(&c.hex[1..3], 16).unwrap(),
        u8::from_str_radix(&c.hex[3..5], 16).unwrap(),
        u8::from_str_radix(&c.hex[5..7], 16).unwrap(),
    ];
    assert!(contrast_with_white(rgb) >= 4.5);
    assert!(house_colour("javascript:alert(1)").is_err());
}

#[test]
fn profile_is_validated_per_field_and_stored_normalised() {
    let c = db();
    assert_eq!(store::profile(&c, "testdorp").unwrap(), Profile::default());
    let bad = Profile {
        postcode: "12345".into(),
        contact_email: "geen-adres".into(),
        contact_phone: "bel ons".into(),
        colour: "rood".into(),
        ..Profile::default()
    };
    let errs = bad.clone().validate().unwrap_err();
    let fields: Vec<_> = errs.iter().map(|(f, _)| *f).collect();
    assert_eq!(
        fields,
        ["postcode", "contact_email", "contact_phone", "colour"]
    );
    assert!(store::set_profile(&c, "testdorp", bad).is_err());
    let good = Profile {
        display_name: "Gemeente Testdorp".into(),
        street: "Raadhuisplein 1".into(),
        postcode: "1234ab".into(),
        place: "Testdorp".into(),
        colour: "#FFDD00".into(),
        contact_name: "Griffie".into(),
        contact_email: "griffie@testdorp.nl".into(),
        contact_phone: "14 0123".into(),
        privacy_purpose: String::new(),
        privacy_officer: "fg@testdorp.nl".into(),
    };
    let darkened = store::set_profile(&c, "testdorp", good).unwrap();
    assert!(darkened);
    let p = store::profile(&c, "testdorp").unwrap();
    assert_eq!(p.postcode, "1234 AB");
    assert_ne!(p.colour, "#ffdd00");
    assert!(p.colour.starts_with('#') && p.colour.len() == 7);
    assert!(matches!(
        store::set_profile(&c, "onbekend", Profile::default()),
        Err(store::Error::NotFound)
    ));
}
