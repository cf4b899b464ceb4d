//! Issue 12's acceptance test: the whole Quick Scan flow in headless Chromium, as a griffier
//! does it. Wave 1 (nulmeting): the trekker fills the organisation profile, creates the scan,
//! adds an open maatwerkvraag, uploads 15 respondents (5 raad, 5 college, 5 ambtenaren),
//! opens the scan and sends the invitations (each after its confirmation page). One raadslid
//! answers through the browser with an open answer that identifies them; the other 14 answer
//! through `store::submit` with their *real* links taken from the outbox page (to keep the
//! test short). The trekker closes the scan (confirmation), sees the concept report (the
//! commissie gets 403), hides the identifying answer and shortens another, and vaststelt the
//! report; the commissie then reads it, and the hidden words appear in none of HTML, CSV or
//! PDF. Wave 2 (voortgangsmeting naming wave 1) takes over respondents and maatwerkvraag,
//! gets other answers (one through the browser again), is closed, reviewed and vastgesteld;
//! its report compares with wave 1 in HTML and PDF (poppler: tagged, titled, text, pages as
//! PNG), and both CSV forms download.
//!
//! axe-core: 0 violations on every page visited at 1280 px, and also at 375 px for the report,
//! the review, vaststellen and a respondent page. Screenshots
//! `target/screenshots/quickscan-acceptance-*.png`.
//!
//! Skips (with a message) when chromium, chromedriver, axe-core or poppler is missing, unless
//! `CI=true`.

#![allow(clippy::too_many_lines, clippy::format_push_string)]

use std::process::Command;

use fantoccini::Locator;
use quickscan::questionnaire::{AnswerValue, Answers};
use quickscan::store;
use quickscan::web::{Options, module};
use serde_json::{Value, json};
use webkit::e2e::Browser;
use webkit::testing::{TEST_PASSWORD, TestApp};
use webkit::{Role, RoleGrant};

const IDENTIFYING: &str =
    "Ik ben de voorzitter van de dorpsraad Zwartewaterkloosterveen en mis de raad in ons dorp";
const LONG: &str = "De stoep bij bakkerij Wolterink-Oosterhuis is al jaren slecht";
const SHORT: &str = "De stoep is al jaren slecht";

const KEYS: [&str; 12] = [
    "part_weten",
    "part_meedenken",
    "part_terugkoppeling",
    "init_hulp",
    "init_uitdaagrecht",
    "inv_raad",
    "inv_college",
    "info_taal",
    "info_vinden",
    "ctrl_rollen",
    "kwal_algemeen",
    "kwal_belofte",
];

fn answers(v: u8, open: &str) -> Answers {
    let mut a = Answers::new();
    for k in KEYS {
        a.insert(k.into(), AnswerValue::Scale(v));
    }
    a.insert("maatwerk_1".into(), AnswerValue::Text(open.into()));
    a.insert("prio_tip".into(), AnswerValue::Text("Meer uitleg".into()));
    a
}

/// axe-core with 0 violations at 1280 px (with a screenshot).
async fn check(b: &Browser, name: &str) {
    b.window_size(1280, 900).await;
    b.check_page(&format!("quickscan-acceptance-{name}")).await;
}

/// As `check`, and also at 375 px (with a screenshot).
async fn check_both(b: &Browser, name: &str) {
    check(b, name).await;
    b.window_size(375, 812).await;
    b.check_page(&format!("quickscan-acceptance-{name}-375"))
        .await;
    b.window_size(1280, 900).await;
}

/// A full-page screenshot at `width`.
async fn full_page_shot(b: &Browser, width: u32, name: &str) {
    b.window_size(width, 900).await;
    let h = b
        .client
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(900);
    b.window_size(width, u32::try_from(h.min(30_000)).unwrap_or(900))
        .await;
    b.screenshot(name).await;
    b.window_size(1280, 900).await;
}

async fn logout(b: &Browser) {
    b.click_to_page("form[action='/logout'] button").await;
}

/// Status and bytes of `path`, fetched by the page itself (with the session's cookie).
async fn fetch(b: &Browser, path: &str) -> (u64, Vec<u8>) {
    let v = b
        .client
        .execute_async(
            "var done = arguments[arguments.length - 1];
             fetch(arguments[0]).then(r => r.arrayBuffer().then(b => done([r.status, Array.from(new Uint8Array(b))])));",
            vec![json!(path)],
        )
        .await
        .unwrap();
    let bytes = v[1]
        .as_array()
        .unwrap()
        .iter()
        .map(|x| u8::try_from(x.as_u64().unwrap()).unwrap())
        .collect();
    (v[0].as_u64().unwrap(), bytes)
}

fn extract(body: &str, prefix: &str) -> String {
    let i = body
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix} not in page"));
    body[i + prefix.len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

/// The (address, token) of every invitation on the scan's outbox page.
async fn outbox_links(b: &Browser, scan_path: &str) -> Vec<(String, String)> {
    b.goto(&format!("{scan_path}/outbox")).await;
    check(b, "outbox").await;
    let outbox = b.source().await;
    let mut links = Vec::new();
    for article in outbox.split("<article>").skip(1) {
        if !article.contains("/vragenlijst/i/") {
            continue;
        }
        let to = article[article.find("Aan: ").unwrap() + 5..]
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_owned();
        links.push((to, extract(article, "/vragenlijst/i/")));
    }
    links
}

/// One respondent answers the whole questionnaire in the browser: option `k` on every
/// 5-point question and `open` in the open maatwerkvraag.
async fn answer_in_browser(b: &Browser, token: &str, k: usize, open: &str, name: &str) {
    b.goto(&format!("/vragenlijst/i/{token}")).await;
    check(b, &format!("{name}-uitnodiging")).await;
    b.click_to_page("a.button[href$='/stap/1']").await;
    let mut step = 0;
    while !b.path().await.ends_with("/controle") {
        step += 1;
        assert!(step <= 15, "no end to the questionnaire");
        if step == 1 {
            check_both(b, &format!("{name}-stap-1")).await;
        } else {
            let v = b.axe().await;
            assert!(v.is_empty(), "axe-core on step {step}: {v:?}");
        }
        for r in b
            .client
            .find_all(Locator::Css(&format!(
                ".qs-scale > .radio:nth-child({k}) input"
            )))
            .await
            .unwrap()
        {
            r.click().await.unwrap();
        }
        if let Ok(e) = b.client.find(Locator::Css("textarea#maatwerk_1")).await {
            e.send_keys(open).await.unwrap();
        }
        b.click_to_page("button[value=volgende]").await;
    }
    check(b, &format!("{name}-controle")).await;
    assert!(
        b.source().await.contains(open),
        "open answer on the check page"
    );
    b.click_to_page("form[action$='/versturen'] button").await;
    assert!(b.path().await.starts_with("/vragenlijst/bedankt/"));
    check(b, &format!("{name}-bedankt")).await;
}

/// The id of the textarea that holds `text` on the review page.
async fn textarea_with(b: &Browser, text: &str) -> String {
    let v = b
        .client
        .execute(
            "for (const t of document.querySelectorAll('textarea')) { if (t.value === arguments[0]) return t.id; } return '';",
            vec![json!(text)],
        )
        .await
        .unwrap();
    let id = v.as_str().unwrap_or_default().to_owned();
    assert!(!id.is_empty(), "{text} not on the review page");
    id
}

/// Closes the open scan through its confirmation page.
async fn close_scan(b: &Browser, scan_path: &str) {
    b.goto(scan_path).await;
    b.click_to_page("form[action$='/status'] button").await; // sluiten
    check(b, "sluiten-bevestigen").await;
    b.click_to_page("form[action$='/status'] button").await; // "Ja, vragenlijst sluiten"
    let src = b.source().await;
    assert!(src.contains("Gesloten"), "scan closed: {src}");
}

/// Vaststellen through the confirmation page.
async fn vaststellen(b: &Browser, scan_path: &str, name: &str) {
    b.goto(scan_path).await;
    b.click_to_page("a[href$='/vaststellen']").await;
    assert!(b.source().await.contains("Ja, rapport vaststellen"));
    check_both(b, name).await;
    b.click_to_page("form[action$='/vaststellen'] button[type=submit]")
        .await;
    assert!(b.source().await.contains("Het rapport is vastgesteld"));
}

/// Opens the scan and sends the invitations, each through its confirmation page.
async fn open_and_invite(b: &Browser, n: usize) {
    b.click_to_page("form[action$='/status'] button").await;
    check(b, "scan-open").await;
    b.click_to_page("form[action$='/uitnodigen'] button").await;
    check(b, "uitnodigen-bevestigen").await;
    b.click_to_page("form[action$='/uitnodigen'] button").await; // "Ja, uitnodigingen versturen"
    let src = b.source().await;
    assert!(src.contains(&format!("{n} verstuurd")), "{src}");
}

fn run(tool: &str, args: &[&str]) -> String {
    let o = Command::new(tool).args(args).output().unwrap();
    assert!(o.status.success(), "{tool} failed");
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn whole_quick_scan_in_the_browser() {
    if Command::new("pdfinfo").arg("-v").output().is_err() {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "poppler-utils (pdfinfo) missing on CI"
        );
        eprintln!("skipped: poppler-utils (pdfinfo) not installed");
        return;
    }
    let app = TestApp::new(vec![module(Options {
        mail: quickscan::mail::MailConfig::Outbox,
        public_url: Some(quickscan::links::PublicUrl::parse("http://gemeente.example").unwrap()),
        public_per_minute: 300,
        retention_every: std::time::Duration::from_hours(24),
        schedule_every: std::time::Duration::from_mins(10),
        public_challenge: false,
    })]);
    app.state()
        .db()
        .with(|c| store::upsert_org(c, "1", "Gemeente Een", quickscan::model::OrgKind::Gemeente))
        .unwrap();
    let trekker = app.user_name(&[RoleGrant {
        role: Role::Trekker,
        org: Some("1".into()),
    }]);
    let commissie = app.user_name(&[RoleGrant {
        role: Role::Commissie,
        org: Some("1".into()),
    }]);
    let Some(b) = Browser::start(app.app.router()).await else {
        return;
    };
    let submit = |token: &str, a: &Answers| {
        app.state()
            .db()
            .with(|c| {
                store::submit(
                    c,
                    &store::Access::Invitation(token.to_owned()),
                    a,
                    quickscan::model::Day::today(),
                )
            })
            .unwrap();
    };

    // ===== wave 1: the trekker sets everything up =====
    b.login(&trekker, TEST_PASSWORD).await;
    b.goto("/qs/1/profiel").await;
    check(&b, "profiel").await;
    for (id, v) in [
        ("#f-display_name", "Gemeente Testdorp"),
        ("#f-street", "Raadhuisplein 1"),
        ("#f-postcode", "1234 AB"),
        ("#f-place", "Testdorp"),
        ("#f-contact_name", "Griffie"),
        ("#f-contact_email", "griffie@testdorp.nl"),
        ("#f-contact_phone", "14 0123"),
        ("#f-privacy_officer", "fg@testdorp.nl"),
    ] {
        b.client
            .find(Locator::Css(id))
            .await
            .unwrap()
            .clear()
            .await
            .unwrap();
        b.fill(id, v).await;
    }
    b.client
        .execute(
            "document.querySelector('#f-colour').value = '#01689b'; return true;",
            vec![],
        )
        .await
        .unwrap();
    b.click_to_page("form[action='/qs/1/profiel'] button[type=submit]")
        .await;
    assert!(!b.source().await.contains("error-summary"), "profile saved");
    check(&b, "profiel-opgeslagen").await;

    b.goto("/qs/1").await;
    check(&b, "organisatie").await;
    b.fill("#f-title", "Nulmeting 2025").await;
    b.click_to_page("form[action='/qs/1/scans'] button[type=submit]")
        .await;
    let s1 = b.path().await;
    assert!(s1.starts_with("/qs/1/scans/"), "{s1}");
    check(&b, "scan-concept").await;
    b.fill("#mw-nl", "Wat moet er in uw wijk beter?").await;
    b.click("#mk-o").await;
    b.click_to_page("form[action$='/maatwerk'] button[type=submit]")
        .await;
    assert!(b.source().await.contains("Wat moet er in uw wijk beter?"));
    let dir = webkit::TempDir::new("qs-acceptance");
    let file = dir.path().join("respondenten.csv");
    let mut csv = String::from("naam;e-mail;groep\n");
    for (g, p) in [("raad", 'r'), ("college", 'c'), ("ambtenaren", 'a')] {
        for i in 0..5 {
            csv.push_str(&format!("Persoon {p}{i};{p}{i}@testdorp.nl;{g}\n"));
        }
    }
    std::fs::write(&file, csv).unwrap();
    b.client
        .find(Locator::Css("input#bestand[type=file]"))
        .await
        .unwrap()
        .send_keys(&file.to_string_lossy())
        .await
        .unwrap();
    b.click_to_page("form[enctype='multipart/form-data'] button[type=submit]")
        .await;
    assert!(b.source().await.contains("a4@testdorp.nl"), "upload");
    check(&b, "scan-respondenten").await;
    open_and_invite(&b, 15).await;
    let links = outbox_links(&b, &s1).await;
    assert_eq!(links.len(), 15, "15 invitations");
    logout(&b).await;

    // ===== wave 1: respondents =====
    let mut browser_done = false;
    for (i, (to, token)) in links.iter().enumerate() {
        if to.starts_with('r') && !browser_done {
            answer_in_browser(&b, token, 4, IDENTIFYING, "w1").await;
            browser_done = true;
            continue;
        }
        let open = match i {
            1 => LONG.to_owned(),
            _ => format!("Vaker de wijk in {i}"),
        };
        submit(token, &answers(2, &open));
    }

    // ===== close, concept report, commissie refused =====
    b.login(&trekker, TEST_PASSWORD).await;
    close_scan(&b, &s1).await;
    b.goto(&format!("{s1}/rapport")).await;
    assert!(b.source().await.contains("Concept — nog niet vastgesteld"));
    check(&b, "concept-rapport").await;
    logout(&b).await;
    b.login(&commissie, TEST_PASSWORD).await;
    b.goto("/qs/1").await;
    let (status, _) = fetch(&b, &format!("{s1}/rapport")).await;
    assert_eq!(status, 403, "commissie reads no concept");
    b.goto(&format!("{s1}/rapport")).await;
    check(&b, "commissie-nog-niet").await;
    logout(&b).await;

    // ===== review =====
    b.login(&trekker, TEST_PASSWORD).await;
    b.goto(&format!("{s1}/open-antwoorden")).await;
    check_both(&b, "nakijken").await;
    let id = textarea_with(&b, IDENTIFYING).await;
    b.click_to_page(&format!("form:has(#{id}) button[value=verbergen]"))
        .await;
    assert!(b.source().await.contains("Ja, antwoord verbergen"));
    check(&b, "verbergen-bevestigen").await;
    b.click_to_page("form[action$='/open-antwoorden'] button[type=submit]")
        .await;
    assert!(!b.source().await.contains("Zwartewaterkloosterveen"));
    let id = textarea_with(&b, LONG).await;
    b.client
        .find(Locator::Css(&format!("#{id}")))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
    b.fill(&format!("#{id}"), SHORT).await;
    b.click_to_page(&format!("form:has(#{id}) button[value=inkorten]"))
        .await;
    let confirm = b.source().await;
    assert!(confirm.contains("Ja, antwoord inkorten"), "{confirm}");
    assert!(confirm.contains("[weggelaten]"));
    check(&b, "inkorten-bevestigen").await;
    b.click_to_page("form[action$='/open-antwoorden'] button[type=submit]")
        .await;
    let page = b.source().await;
    assert!(page.contains("1 verborgen en 1 ingekort"), "{page}");
    vaststellen(&b, &s1, "vaststellen").await;
    logout(&b).await;

    // ===== the commissie reads wave 1; the hidden words are nowhere =====
    b.login(&commissie, TEST_PASSWORD).await;
    b.goto(&format!("{s1}/rapport")).await;
    let rep = b.source().await;
    assert!(!rep.contains("Concept — nog niet vastgesteld"));
    assert!(rep.contains("[weggelaten]"));
    assert!(
        rep.contains("1 antwoord verborgen door de trekker"),
        "the hiding is told"
    );
    check(&b, "rapport-commissie").await;
    let (st, pdf1) = fetch(&b, &format!("{s1}/rapport.pdf")).await;
    assert_eq!(st, 200);
    let pdf1_file = dir.path().join("w1.pdf");
    std::fs::write(&pdf1_file, &pdf1).unwrap();
    let text1 = run(
        "pdftotext",
        &["-enc", "UTF-8", pdf1_file.to_str().unwrap(), "-"],
    );
    let mut all = vec![rep, text1, String::from_utf8_lossy(&pdf1).into_owned()];
    for f in ["rapport.csv", "rapport-excel.csv"] {
        let (st, body) = fetch(&b, &format!("{s1}/{f}")).await;
        assert_eq!(st, 200, "{f}");
        all.push(String::from_utf8_lossy(&body).into_owned());
    }
    for (n, text) in all.iter().enumerate() {
        for gone in [
            "Zwartewaterkloosterveen",
            "Wolterink",
            "voorzitter van de dorpsraad",
        ] {
            assert!(!text.contains(gone), "{gone} in output {n}");
        }
    }
    logout(&b).await;

    // ===== wave 2: a voortgangsmeting that takes over from wave 1 =====
    b.login(&trekker, TEST_PASSWORD).await;
    b.goto("/qs/1").await;
    let w1 = s1.rsplit('/').next().unwrap().to_owned();
    b.fill("#f-title", "Voortgangsmeting 2026").await;
    b.client
        .execute(
            "document.querySelector('#f-previous').value = arguments[0]; return true;",
            vec![json!(w1)],
        )
        .await
        .unwrap();
    b.click_to_page("form[action='/qs/1/scans'] button[type=submit]")
        .await;
    let s2 = b.path().await;
    assert!(s2.starts_with("/qs/1/scans/") && s2 != s1, "{s2}");
    check(&b, "voortgang-concept").await;
    b.click_to_page(&format!("a[href='{s2}/overnemen']")).await;
    check(&b, "overnemen").await;
    b.click_to_page(&format!("form[action='{s2}/overnemen'] button"))
        .await;
    let src = b.source().await;
    assert!(src.contains("Respondenten: 15 overgenomen"), "{src}");
    assert!(src.contains("Eigen vragen: 1 overgenomen"), "{src}");
    check(&b, "overgenomen").await;
    b.goto(&s2).await;
    let src = b.source().await;
    assert!(src.contains("Persoon c3") && src.contains("Wat moet er in uw wijk beter?"));
    open_and_invite(&b, 15).await;
    let links = outbox_links(&b, &s2).await;
    assert_eq!(links.len(), 15, "15 invitations in wave 2");
    logout(&b).await;
    for (i, (_, token)) in links.iter().enumerate() {
        if i == 0 {
            answer_in_browser(&b, token, 5, "Het gaat beter", "w2").await;
        } else {
            submit(token, &answers(4, "Het gaat beter"));
        }
    }
    b.login(&trekker, TEST_PASSWORD).await;
    close_scan(&b, &s2).await;
    b.goto(&format!("{s2}/open-antwoorden")).await;
    check(&b, "nakijken-2").await;
    vaststellen(&b, &s2, "vaststellen-2").await;

    // ===== wave 2's report compares with wave 1 =====
    let r2 = format!("{s2}/rapport");
    b.goto(&r2).await;
    let html = b.source().await;
    assert!(html.contains("vorige"), "previous wave in the report");
    assert!(html.contains("Nulmeting 2025"));
    check_both(&b, "rapport").await;
    let first_h2 = b
        .client
        .execute("return document.querySelector('main h2').id;", vec![])
        .await
        .unwrap();
    assert_eq!(first_h2, Value::String("samenvatting".into()));
    full_page_shot(&b, 1280, "quickscan-acceptance-rapport-volledig-1280").await;
    full_page_shot(&b, 375, "quickscan-acceptance-rapport-volledig-375").await;

    // CSV in both forms
    let (st, machine) = fetch(&b, &format!("{s2}/rapport.csv")).await;
    assert_eq!(st, 200);
    assert!(machine.starts_with(b"soort,thema"), "no BOM, commas");
    let (st, excel) = fetch(&b, &format!("{s2}/rapport-excel.csv")).await;
    assert_eq!(st, 200);
    assert!(excel.starts_with(b"\xEF\xBB\xBFsoort;thema"), "BOM and ;");

    // the PDF
    let (st, pdf) = fetch(&b, &format!("{s2}/rapport.pdf")).await;
    assert_eq!(st, 200);
    let pdf_file = dir.path().join("w2.pdf");
    std::fs::write(&pdf_file, &pdf).unwrap();
    let f = pdf_file.to_str().unwrap();
    let info = run("pdfinfo", &[f]);
    assert!(info.contains("Tagged:          yes"), "{info}");
    assert!(
        info.contains("Title:           Rapport Quick Scan — "),
        "{info}"
    );
    let text = run("pdftotext", &["-enc", "UTF-8", f, "-"]);
    let summary = text
        .find("Samenvatting: wat valt het meest op")
        .expect("summary heading in the PDF");
    let compared = text
        .find("Vergeleken met de vorige meting: Nulmeting 2025")
        .expect("the previous wave in the PDF");
    assert!(summary < compared, "the summary comes first");
    assert!(text.contains("vorige "), "previous figures in the PDF");
    assert!(text.contains("Uitspraak"), "a table header in the PDF");
    let shot = b.screenshot("quickscan-acceptance-rapport-einde").await;
    let prefix = shot.with_file_name("quickscan-acceptance-pdf");
    let ok = Command::new("pdftoppm")
        .args(["-r", "60", "-png", f])
        .arg(&prefix)
        .status()
        .unwrap();
    assert!(ok.success(), "pdftoppm");
    b.close().await;
}
