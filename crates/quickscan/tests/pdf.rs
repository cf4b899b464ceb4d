//! The report as PDF, checked with poppler's tools (`pdfinfo`, `pdftotext`, `pdftoppm`):
//! correct glyphs, no overlapping text, tagged structure, charts, the previous wave and the
//! benchmark. Every page is also rendered to `target/screenshots/quickscan-pdf-page-N.png`.
//! Without poppler-utils the tool checks are skipped locally; with `CI=true` they must run.

#![allow(
    clippy::cast_possible_truncation,
    clippy::too_many_lines,
    clippy::type_complexity
)]

use quickscan::model::{Day, Group, OrgKind, ScanStatus};
use quickscan::pdf::layout::overlaps;
use quickscan::questionnaire::{AnswerValue, Answers, ItemKind, default_questionnaire};
use quickscan::report;
use quickscan::store;
use rusqlite::Connection;
use std::path::PathBuf;
use std::process::Command;

mod common;
use common::online;

const TODAY: Day = Day(20_100);

/// Every character the report may contain that is not plain ASCII.
const SPECIAL: &str = "ë é ï ’ ‘ “ ” — – € • … ≥ x\u{a0}y";

/// An open answer that tries to break out of a PDF string and stream.
const HOSTILE: &str = "Einde) Tj ET BT /F2 40 Tf (x) Tj ET endstream endobj %%EOF \\ (open";

/// Answers for every item of the default questionnaire, varied by `seed`.
fn answers(seed: usize, open: &str) -> Answers {
    let q = default_questionnaire();
    let mut a = Answers::new();
    for (i, (_, item)) in q.items().enumerate() {
        let v = (seed * 7 + i * 3) % 6;
        let value = match &item.kind {
            ItemKind::Scale { .. } if v == 0 => AnswerValue::DontKnow,
            ItemKind::Scale { .. } => AnswerValue::Scale(v as u8),
            ItemKind::Choice { options } => AnswerValue::Choice((v % options.len()) as u8),
            ItemKind::Ranking { options, .. } => {
                AnswerValue::Ranking(vec![(v % options.len()) as u8])
            }
            ItemKind::Open => AnswerValue::Text(open.to_owned()),
        };
        a.insert(item.key.clone(), value);
    }
    a
}

fn wave(c: &Connection, org: &str, title: &str, previous: Option<i64>, shift: usize) -> i64 {
    let id = store::create_scan(c, org, title, previous, TODAY).unwrap();
    store::advance(c, id, ScanStatus::Open, TODAY).unwrap();
    let long = format!(
        "Een lang open antwoord met bijzondere tekens ({SPECIAL}), dat over meerdere regels loopt omdat de inwoner veel te zeggen heeft over de gemeenteraad, de wijkraad en het college. "
    )
    .repeat(2);
    for (g, n) in [
        (Group::Raad, 6),
        (Group::College, 3),
        (Group::Ambtenaren, 5),
        (Group::Inwoners, 9),
    ] {
        for i in 0..n {
            let open = if i == 0 {
                long.clone()
            } else if i == 1 {
                HOSTILE.to_owned()
            } else {
                format!("Antwoord {i} van {}", g.as_str())
            };
            online(c, id, g, &answers(i + shift + g as usize, &open), TODAY);
        }
    }
    store::advance(c, id, ScanStatus::Closed, TODAY).unwrap();
    id
}

/// Wave 2 of "Gemeente Ëxample-Sûdwest" with wave 1 before it and five other organisations.
fn realistic_report() -> report::Report {
    let c = Connection::open_in_memory().unwrap();
    store::migrate(&c).unwrap();
    store::upsert_org(&c, "zw", "Gemeente Ëxample-Sûdwest", OrgKind::Gemeente).unwrap();
    let first = wave(&c, "zw", "Nulmeting 2026", None, 0);
    store::advance(&c, first, ScanStatus::Report, TODAY).unwrap();
    for o in ["b", "c", "d", "e", "f"] {
        store::upsert_org(&c, o, &format!("Gemeente {o}"), OrgKind::Gemeente).unwrap();
        wave(&c, o, "Nulmeting", None, 2);
    }
    let second = wave(
        &c,
        "zw",
        "Voortgangsmeting 2027 — na de raadsvergadering",
        Some(first),
        1,
    );
    let r = report::build(&c, second).unwrap();
    assert_eq!(r.shown.len(), 3, "three groups shown");
    assert!(r.previous_title.is_some());
    assert_eq!(r.benchmark_orgs, 5);
    r
}

fn out_dir() -> PathBuf {
    let target = std::env::var_os("CARGO_TARGET_DIR").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../target"),
        PathBuf::from,
    );
    let d = target.join("screenshots");
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// Whether poppler's tools are here; in CI they must be.
fn poppler() -> bool {
    let ok = Command::new("pdfinfo").arg("-v").output().is_ok();
    assert!(
        ok || std::env::var("CI").as_deref() != Ok("true"),
        "poppler-utils missing in CI"
    );
    ok
}

fn run(cmd: &str, args: &[&str]) -> String {
    let o = Command::new(cmd).args(args).output().unwrap();
    assert!(
        o.status.success(),
        "{cmd} {args:?}: {}",
        String::from_utf8_lossy(&o.stderr)
    );
    // poppler reports damaged files on stderr and goes on: a clean file gives no complaint
    let err = String::from_utf8_lossy(&o.stderr);
    assert!(!err.contains("Error"), "{cmd} {args:?}: {err}");
    String::from_utf8(o.stdout).unwrap()
}

#[test]
fn layout_log_has_no_overlapping_text() {
    let r = realistic_report();
    let (_, runs) = quickscan::pdf::render(&r);
    for (i, a) in runs.iter().enumerate() {
        for b in &runs[i + 1..] {
            assert!(
                a.page != b.page || !overlaps(a.bbox(), b.bbox(), 0.01),
                "{a:?} overlaps {b:?}"
            );
        }
    }
}

/// The file's own bookkeeping, which poppler silently repairs: every xref offset points at
/// its object, every stream is exactly `/Length` bytes long.
#[test]
fn xref_and_stream_lengths_are_exact() {
    let bytes = quickscan::pdf::report_pdf(&realistic_report());
    let find = |hay: &[u8], needle: &[u8], from: usize| {
        hay[from..]
            .windows(needle.len())
            .position(|w| w == needle)
            .map(|p| p + from)
    };
    let sx = find(&bytes, b"startxref\n", 0).unwrap();
    let tail = String::from_utf8_lossy(&bytes[sx + 10..]).into_owned();
    let xref: usize = tail.lines().next().unwrap().parse().unwrap();
    let table = String::from_utf8_lossy(&bytes[xref..]).into_owned();
    let count: usize = table.lines().nth(1).unwrap()[2..].parse().unwrap();
    for (i, line) in table.lines().skip(3).take(count - 1).enumerate() {
        let off: usize = line[..10].parse().unwrap();
        assert!(
            bytes[off..].starts_with(format!("{} 0 obj", i + 1).as_bytes()),
            "object {}",
            i + 1
        );
    }
    let mut at = 0;
    let mut streams = 0;
    while let Some(p) = find(&bytes, b"/Length ", at) {
        let rest = &bytes[p + 8..];
        let digits = rest.iter().take_while(|b| b.is_ascii_digit()).count();
        let len: usize = std::str::from_utf8(&rest[..digits])
            .unwrap()
            .parse()
            .unwrap();
        let start = find(&bytes, b"stream\n", p).unwrap() + 7;
        assert!(
            bytes[start + len..].starts_with(b"\nendstream"),
            "stream at {start}"
        );
        streams += 1;
        at = start + len;
    }
    assert!(streams > 3);
}

#[test]
fn report_pdf_checked_with_poppler() {
    if !poppler() {
        eprintln!("skipped: poppler-utils (pdfinfo) not installed");
        return;
    }
    let r = realistic_report();
    let bytes = quickscan::pdf::report_pdf(&r);
    let dir = out_dir();
    let file = dir.join("quickscan-report.pdf");
    std::fs::write(&file, &bytes).unwrap();
    let f = file.to_str().unwrap();

    // tagged, titled
    let info = run("pdfinfo", &[f]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("Title:           Rapport Quick Scan — Gemeente Ëxample-Sûdwest"),
        "{info}"
    );
    let pages: usize = info
        .lines()
        .find_map(|l| l.strip_prefix("Pages:"))
        .unwrap()
        .trim()
        .parse()
        .unwrap();
    assert!(pages > 2);

    // qpdf, where installed, checks the syntax and every stream (not part of CI's packages)
    if Command::new("qpdf").arg("--version").output().is_ok() {
        let o = Command::new("qpdf").args(["--check", f]).output().unwrap();
        let out = String::from_utf8_lossy(&o.stdout);
        assert!(
            o.status.success() && out.contains("No syntax or stream encoding errors"),
            "qpdf --check: {out}{}",
            String::from_utf8_lossy(&o.stderr)
        );
    }

    // bookmarks: the title and every section, in order, each to its page
    let xml = run("pdftohtml", &["-q", "-xml", "-i", "-stdout", f]);
    let outline: Vec<&str> = xml
        .lines()
        .filter(|l| l.starts_with("<item page="))
        .collect();
    assert_eq!(outline.len(), r.themes.len() + 5, "{outline:#?}");
    assert!(outline[1].ends_with(">Samenvatting: wat valt het meest op</item>"));
    assert!(outline[outline.len() - 1].ends_with(">Bijlage: verdeling van de antwoorden</item>"));

    // glyphs come back as written
    let text = run("pdftotext", &["-enc", "UTF-8", f, "-"]);
    assert!(
        text.contains("Rapport Quick Scan — Gemeente Ëxample-Sûdwest"),
        "title with an em dash"
    );
    for c in SPECIAL.split(' ') {
        // ≥ is outside WinAnsiEncoding and written as ">="; the non-breaking space is drawn
        // with the space glyph, which poppler gives back as a plain space
        let want = match c {
            "≥" => ">=",
            "x\u{a0}y" => "x y",
            c => c,
        };
        assert!(
            text.contains(want) || text.contains(c),
            "{c:?} missing from the text"
        );
    }
    for s in [
        "Samenvatting: wat valt het meest op",
        "Respons",
        "Zo leest u de cijfers",
        "Oordeel: ",
        "Themascore: ",
        "Uitspraak",
        "Raadsleden",
        "Voortgangsmeting 2027 — na de raadsvergadering",
        "Vergeleken met de vorige meting: Nulmeting 2026",
        "Vergeleken met 5 andere organisaties",
        "vorige ",
        "elders ",
        "weet niet",
        "% eens",
        "Bijlage: verdeling van de antwoorden",
    ] {
        assert!(text.contains(s), "{s:?} missing");
    }
    assert!(!text.contains("Antwoord 2 van college"), "suppressed group");
    // a hostile answer is text, nothing more (the page count proves the file still parses)
    assert!(
        text.contains(HOSTILE),
        "hostile answer given back as written"
    );

    // no two words overlap on any page (poppler's own boxes)
    let bbox = run("pdftotext", &["-bbox", f, "-"]);
    let mut page = 0;
    let mut words: Vec<(usize, (f64, f64, f64, f64), String)> = Vec::new();
    for line in bbox.lines() {
        let l = line.trim();
        if l.starts_with("<page") {
            page += 1;
        } else if let Some(rest) = l.strip_prefix("<word ") {
            let attr = |k: &str| -> f64 {
                let s = rest.split(&format!("{k}=\"")).nth(1).unwrap();
                s[..s.find('"').unwrap()].parse().unwrap()
            };
            let w = rest.split('>').nth(1).unwrap_or("").replace("</word", "");
            words.push((
                page,
                (attr("xMin"), attr("yMin"), attr("xMax"), attr("yMax")),
                w,
            ));
        }
    }
    assert!(words.len() > 500);
    for (i, a) in words.iter().enumerate() {
        for b in words[i + 1..].iter().take_while(|b| b.0 == a.0) {
            assert!(
                !overlaps(a.1, b.1, 0.5),
                "page {}: {:?} overlaps {:?}",
                a.0,
                a,
                b
            );
        }
    }

    // structure: headings, table headers and figure alt texts in reading order
    let st = run("pdfinfo", &["-struct-text", f]);
    let pos = |s: &str| {
        st.find(s)
            .unwrap_or_else(|| panic!("{s:?} not in the structure:\n{st}"))
    };
    assert!(pos("Document") < pos("H1"));
    assert!(pos("H1") < pos("Respons"));
    assert!(pos("H1") < pos("Samenvatting"));
    assert!(pos("Samenvatting") < pos("Respons"));
    assert!(
        st.contains("TH (block)") || st.contains("TH"),
        "table headers"
    );
    assert!(st.contains("Scope") || st.contains("Column"), "{st}");
    assert!(pos("Figure") < pos("Bijlage"));
    // the model's content is all there, each text within its own structure element
    let tagged: String = st
        .lines()
        .filter_map(|l| {
            let l = l.trim();
            l.strip_prefix('"').and_then(|l| l.strip_suffix('"'))
        })
        .collect::<Vec<_>>()
        .join(" ");
    let norm = |s: &str| {
        s.replace('\u{a0}', " ")
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ")
    };
    let tagged = norm(&tagged);
    let mut wanted: Vec<String> = Vec::new();
    for f in &r.summary {
        wanted.push(f.item_text.clone());
        wanted.push(f.signals[0].text.clone());
    }
    for t in &r.themes {
        wanted.push(t.title.clone());
        if t.verdict.verdict != report::Verdict::NoScale {
            wanted.push(t.verdict.reason.clone());
        }
        wanted.extend(t.verdict.tip.clone());
        wanted.extend(t.items.iter().map(|i| i.text.clone()));
        wanted.extend(t.rankings.iter().map(|k| k.text.clone()));
        for o in &t.open {
            wanted.push(o.question.clone());
            for (_, answers) in &o.groups {
                wanted.extend(answers.iter().filter(|a| a.len() < 100).cloned());
            }
        }
    }
    wanted.extend(r.legend());
    for w in &wanted {
        assert!(tagged.contains(&norm(w)), "{w:?} not in the tagged text");
    }

    // every theme and the appendix is a section of its own
    assert_eq!(st.matches("\n  Sect").count(), r.themes.len() + 1, "{st}");
    // poppler does not print /Alt: read it from the figures' structure elements
    let raw = String::from_utf8_lossy(&bytes);
    let alts: Vec<String> = raw
        .split("/S /Figure")
        .skip(1)
        .map(|f| {
            let f = &f[..f.find("endobj").unwrap()];
            assert!(
                f.contains("/A << /O /Layout /BBox ["),
                "figure without /BBox"
            );
            let hex = f.split("/Alt <FEFF").nth(1).expect("every figure has /Alt");
            let hex = &hex[..hex.find('>').unwrap()];
            let units: Vec<u16> = (0..hex.len())
                .step_by(4)
                .map(|i| u16::from_str_radix(&hex[i..i + 4], 16).unwrap())
                .collect();
            String::from_utf16(&units).unwrap()
        })
        .collect();
    assert_eq!(alts.len(), st.matches("Figure").count());
    assert!(!alts.is_empty());
    for a in &alts {
        assert!(a.starts_with("Staafdiagram "), "{a}");
        assert!(a.contains("raadsleden ") && a.contains("(n = "), "{a}");
    }

    // every page as PNG, to look at
    let prefix = dir.join("quickscan-pdf-page");
    for old in std::fs::read_dir(&dir).unwrap().flatten() {
        let n = old.file_name().to_string_lossy().into_owned();
        if n.starts_with("quickscan-pdf-page-") {
            std::fs::remove_file(old.path()).unwrap();
        }
    }
    run(
        "pdftoppm",
        &["-r", "60", "-png", f, prefix.to_str().unwrap()],
    );
    let pngs = std::fs::read_dir(&dir)
        .unwrap()
        .flatten()
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("quickscan-pdf-page-")
        })
        .count();
    assert_eq!(pngs, pages);
}

/// A scan where every group stayed below the threshold still gives a valid, overlap-free PDF
/// that shows no group's figures.
#[test]
fn all_groups_suppressed_gives_a_valid_pdf() {
    let c = Connection::open_in_memory().unwrap();
    store::migrate(&c).unwrap();
    store::upsert_org(&c, "p", "Provincie Klein", OrgKind::Provincie).unwrap();
    let id = store::create_scan(&c, "p", "Nulmeting", None, TODAY).unwrap();
    store::advance(&c, id, ScanStatus::Open, TODAY).unwrap();
    for g in Group::ALL {
        for i in 0..2 {
            online(&c, id, g, &answers(i, "GEHEIM"), TODAY);
        }
    }
    store::advance(&c, id, ScanStatus::Closed, TODAY).unwrap();
    let r = report::build(&c, id).unwrap();
    assert!(r.shown.is_empty());
    let (bytes, runs) = quickscan::pdf::render(&r);
    for (i, a) in runs.iter().enumerate() {
        for b in &runs[i + 1..] {
            assert!(a.page != b.page || !overlaps(a.bbox(), b.bbox(), 0.01));
        }
    }
    assert!(!runs.iter().any(|t| t.text.contains("GEHEIM")));
    assert!(!String::from_utf8_lossy(&bytes).contains("GEHEIM"));
    if poppler() {
        let file = out_dir().join("quickscan-report-suppressed.pdf");
        std::fs::write(&file, &bytes).unwrap();
        let info = run("pdfinfo", &[file.to_str().unwrap()]);
        assert!(info.contains("Tagged:          yes"), "{info}");
        let text = run("pdftotext", &[file.to_str().unwrap(), "-"]);
        assert!(text.contains("Geen groep heeft genoeg antwoorden om de verdeling te tonen."));
        assert!(
            !text.contains("Alleen informatie krijgen"),
            "no empty tables"
        );
    }
}

/// The route serves the PDF to the trekker, as a PDF download named after the scan.
#[tokio::test]
async fn route_serves_the_pdf() {
    use quickscan::web::{Options, module};
    use webkit::testing::TestApp;
    use webkit::{Role, RoleGrant};
    let app = TestApp::new(vec![module(Options {
        public_url: Some(quickscan::links::PublicUrl::parse("http://test").unwrap()),
        public_per_minute: 1000,
        ..Options::default()
    })]);
    let scan = app
        .state()
        .db()
        .with(|c| {
            store::upsert_org(c, "1", "Gemeente Een", OrgKind::Gemeente)?;
            let id = store::create_scan(c, "1", "Nulmeting — 2026", None, TODAY)?;
            store::advance(c, id, ScanStatus::Open, TODAY)?;
            for i in 0..5 {
                online(c, id, Group::Raad, &answers(i, "Meer overleg"), TODAY);
            }
            store::advance(c, id, ScanStatus::Closed, TODAY)?;
            Ok::<_, store::Error>(id)
        })
        .unwrap();
    let t = app.login(&[RoleGrant {
        role: Role::Trekker,
        org: Some("1".into()),
    }]);
    let r = app
        .get(&format!("/qs/1/scans/{scan}/rapport.pdf"), Some(&t))
        .await;
    assert!(r.status.is_success(), "{}", r.status);
    assert_eq!(r.headers["content-type"], "application/pdf");
    assert!(
        r.headers["content-disposition"]
            .to_str()
            .unwrap()
            .contains(&format!("quickscan-{scan}.pdf"))
    );
    assert!(r.body.starts_with("%PDF-1.7"));
    assert!(r.body.contains("/StructTreeRoot"));
}
