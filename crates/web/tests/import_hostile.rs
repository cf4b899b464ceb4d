//! Imported files that are hostile (issue 14): counts at u64::MAX (the pages add counts up:
//! such an election is reported, not stored) and zip entry names with terminal escape
//! sequences (every page still renders, with the names escaped). Nothing panics.

use std::io::Write as _;

use axum::http::StatusCode;
use webkit::testing::TestApp;

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

const PAGES: [&str; 8] = [
    "",
    "/controle",
    "/berekening",
    "/kandidaten",
    "/wat-als",
    "/marges",
    "/hervorming",
    "/gebied",
];

/// The Schiermonnikoog set as a zip, the 510b edited, plus `extra` entries.
fn schiermonnikoog_zip(edit: impl Fn(&str) -> String, extra: &[(&str, &[u8])]) -> Option<Vec<u8>> {
    let dir = shared_data("GR2026_Schiermonnikoog")?.join("GR2026_Schiermonnikoog");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let name = p.file_name().unwrap().to_string_lossy().into_owned();
            let mut bytes = std::fs::read(&p).unwrap();
            if name.starts_with("Telling_") {
                bytes = edit(&String::from_utf8(bytes).unwrap()).into_bytes();
            }
            (format!("Schiermonnikoog/{name}"), bytes)
        })
        .collect();
    files.sort();
    files.extend(extra.iter().map(|(n, b)| ((*n).to_string(), b.to_vec())));
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default();
        for (name, data) in &files {
            w.start_file(name.as_str(), opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
    }
    Some(buf.into_inner())
}

async fn import_and_render(zip: &[u8]) -> Vec<(String, String)> {
    let app = TestApp::new(vec![web::module()]);
    let summary = app
        .state()
        .db()
        .with(|c| {
            web::import::import_upload(
                c,
                &[("hostile.zip".to_string(), zip.to_vec())],
                "test",
                64 << 20,
            )
        })
        .unwrap();
    assert_eq!(summary.exit_code, 2, "{:?}", summary.elections);
    let mut pages = Vec::new();
    for e in &summary.elections {
        for sub in PAGES {
            let path = format!("/verkiezingen/{}{sub}", e.id);
            let r = app.get(&path, None).await;
            assert!(
                r.status == StatusCode::OK || r.status == StatusCode::SEE_OTHER,
                "{path}: {}",
                r.status
            );
            pages.push((path, r.body));
        }
    }
    assert!(!pages.is_empty(), "{:?}", summary.errors);
    pages
}

#[tokio::test]
async fn counts_at_u64_max_are_reported_not_stored() {
    let Some(zip) = schiermonnikoog_zip(
        |t| {
            t.replacen(
                "<ValidVotes>106</ValidVotes>",
                "<ValidVotes>18446744073709551615</ValidVotes>",
                2,
            )
            .replacen(
                "<ValidVotes>10</ValidVotes>",
                "<ValidVotes>18446744073709551615</ValidVotes>",
                2,
            )
        },
        &[],
    ) else {
        return;
    };
    // Not stored (the pages add counts up), but reported, and no panic.
    let app = TestApp::new(vec![web::module()]);
    let summary = app
        .state()
        .db()
        .with(|c| {
            web::import::import_upload(
                c,
                &[("hostile.zip".to_string(), zip.clone())],
                "test",
                64 << 20,
            )
        })
        .unwrap();
    assert_eq!(summary.exit_code, 2);
    assert!(summary.elections.is_empty(), "{:?}", summary.elections);
    assert!(
        summary.errors.iter().any(|f| f.code == "E-AANTAL-TE-GROOT"),
        "{:?}",
        summary.errors
    );
}

#[tokio::test]
async fn zip_entry_names_with_escape_sequences_are_escaped_on_the_pages() {
    let evil = "Schiermonnikoog/\u{1b}[2J\u{1b}[H\rOK: alles klopt\u{0}.eml.xml";
    let Some(zip) = schiermonnikoog_zip(str::to_string, &[(evil, b"<EML><kapot")]) else {
        return;
    };
    let pages = import_and_render(&zip).await;
    let control = pages
        .iter()
        .find(|(_, body)| body.contains('\u{1b}') || body.contains('\0'));
    assert!(
        control.is_none(),
        "a control character on {:?}",
        control.map(|c| &c.0)
    );
    assert!(
        pages.iter().any(|(_, body)| body.contains("[2J")),
        "the damaged entry is named on a page"
    );
}
