//! Issue 12 in headless Chromium: the trekker fills in the organisation's profile (an error
//! first, shown inline) and uploads a logo; a respondent sees the gemeente's name, logo and
//! colour and its privacy statement; the trekker prints letters (one A4 per letter, checked
//! by printing to PDF).
//!
//! axe-core (0 violations) at 1280 and 375 px on every page; screenshots
//! `target/screenshots/quickscan-branding-*.png`. Skips when chromium, chromedriver or
//! axe-core is missing, unless `CI=true`.

#![allow(clippy::too_many_lines)]

use fantoccini::wd::{PrintConfiguration, PrintSize};
use quickscan::links::PublicUrl;
use quickscan::model::{Day, OrgKind, ScanStatus};
use quickscan::store;
use quickscan::web::{Options, module};
use webkit::e2e::{Browser, screenshot_dir};
use webkit::testing::{TEST_PASSWORD, TestApp};
use webkit::{Role, RoleGrant};

/// axe at desktop and phone width, with a screenshot of each.
async fn check_both(b: &Browser, name: &str) {
    b.window_size(1280, 900).await;
    b.check_page(&format!("quickscan-branding-{name}")).await;
    b.window_size(375, 812).await;
    b.check_page(&format!("quickscan-branding-{name}-375"))
        .await;
    b.window_size(1280, 900).await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn branding_in_the_browser() {
    let app = TestApp::new(vec![module(Options {
        public_url: Some(PublicUrl::parse("https://stembus.testdorp.nl").unwrap()),
        public_per_minute: 300,
        ..Options::default()
    })]);
    let scan = app
        .state()
        .db()
        .with(|c| {
            store::upsert_org(c, "1", "Gemeente Testdorp", OrgKind::Gemeente)?;
            let id = store::create_scan(c, "1", "Nulmeting 2026", None, Day::today())?;
            store::advance(c, id, ScanStatus::Open, Day::today())?;
            store::scan(c, id)
        })
        .unwrap();
    let name = app.user_name(&[RoleGrant {
        role: Role::Trekker,
        org: Some("1".into()),
    }]);
    let Some(b) = Browser::start(app.app.router()).await else {
        return;
    };
    b.login(&name, TEST_PASSWORD).await;

    // --- the profile form: an error first, shown inline with the input kept ---
    b.goto("/qs/1").await;
    b.click_to_page("a[href='/qs/1/profiel']").await;
    check_both(&b, "profiel").await;
    b.fill("#f-display_name", "Gemeente Testdorp").await;
    b.fill("#f-postcode", "99999").await;
    b.fill("#f-colour", "#ffdd00").await;
    b.click_to_page("form[action='/qs/1/profiel'] button[type=submit]")
        .await;
    let src = b.source().await;
    assert!(src.contains("Vul een postcode in als 1234 AB."));
    assert!(src.contains("value=\"99999\""));
    check_both(&b, "profiel-fout").await;
    for (id, v) in [
        ("#f-street", "Raadhuisplein 1"),
        ("#f-place", "Testdorp"),
        ("#f-contact_name", "Griffie"),
        ("#f-contact_email", "griffie@testdorp.nl"),
        ("#f-contact_phone", "14 0123"),
        ("#f-privacy_officer", "fg@testdorp.nl"),
    ] {
        b.fill(id, v).await;
    }
    b.client
        .find(fantoccini::Locator::Css("#f-postcode"))
        .await
        .unwrap()
        .clear()
        .await
        .unwrap();
    b.fill("#f-postcode", "1234 AB").await;
    b.click_to_page("form[action='/qs/1/profiel'] button[type=submit]")
        .await;
    assert!(b.source().await.contains("donkerder gemaakt"));
    let logo = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/logo.png");
    b.upload("#f-logo", &logo).await;
    b.click_to_page("form[action^='/qs/1/logo'] button[type=submit]")
        .await;
    assert!(b.source().await.contains("src=\"/vragenlijst/logo/1\""));
    check_both(&b, "profiel-opgeslagen").await;

    // --- a respondent: the gemeente's look, the privacy statement ---
    b.goto(&format!("/vragenlijst/p/{}", scan.public_code))
        .await;
    let src = b.source().await;
    assert!(src.contains("Gemeente Testdorp") && !src.contains("Verkiezingen"));
    check_both(&b, "respondent-intro").await;
    b.click_to_page("form[action^='/vragenlijst/p/'] button[type=submit]")
        .await;
    check_both(&b, "respondent-stap").await;
    b.click_to_page(&format!("a[href='/vragenlijst/privacy/{}']", scan.id))
        .await;
    assert!(b.source().await.contains("Autoriteit Persoonsgegevens"));
    check_both(&b, "privacy").await;

    // --- letters: one A4 each ---
    b.goto(&format!("/qs/1/scans/{}", scan.id)).await;
    b.fill("#n-codes", "3").await;
    b.click_to_page("form[action$='/briefcodes'] button[type=submit]")
        .await;
    let src = b.source().await;
    assert!(src.contains("https://stembus.testdorp.nl/vragenlijst/code"));
    check_both(&b, "brief").await;
    let pdf = b
        .client
        .print(
            PrintConfiguration::builder()
                .size(PrintSize::A4)
                .background(true)
                .build()
                .unwrap(),
        )
        .await
        .expect("print to PDF");
    let dir = screenshot_dir();
    let file = dir.join("quickscan-branding-brieven.pdf");
    std::fs::write(&file, &pdf).unwrap();
    // one page per letter, each with the full address and a code
    let text = std::process::Command::new("pdftotext")
        .arg("-layout")
        .arg(&file)
        .arg("-")
        .output();
    if let Ok(out) = text
        && out.status.success()
    {
        let text = String::from_utf8_lossy(&out.stdout);
        let pages: Vec<&str> = text
            .split('\u{c}')
            .filter(|p| !p.trim().is_empty())
            .collect();
        assert_eq!(pages.len(), 3, "{text}");
        for p in &pages {
            assert!(
                p.contains("https://stembus.testdorp.nl/vragenlijst/code"),
                "{p}"
            );
            assert!(p.contains("Aan de bewoners van dit adres"), "{p}");
            assert!(!p.contains("Brieven met codes"), "screen text printed: {p}");
        }
        let _ = std::process::Command::new("pdftoppm")
            .args(["-png", "-r", "60", "-f", "1", "-l", "1"])
            .arg(&file)
            .arg(dir.join("quickscan-branding-brief-afdruk"))
            .status();
    } else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "pdftotext is needed in CI"
        );
    }
    b.close().await;
}

/// A server on a random port (not 8080) without `--public-url`: the dashboard warns, and no
/// letter is made with a guessed address such as the server's own `http://127.0.0.1:PORT`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn without_public_url_on_another_port() {
    let app = TestApp::new(vec![module(Options::default())]);
    let scan = app
        .state()
        .db()
        .with(|c| {
            store::upsert_org(c, "1", "Gemeente Testdorp", OrgKind::Gemeente)?;
            let id = store::create_scan(c, "1", "Nulmeting 2026", None, Day::today())?;
            store::advance(c, id, ScanStatus::Open, Day::today())?;
            Ok::<_, store::Error>(id)
        })
        .unwrap();
    let name = app.user_name(&[RoleGrant {
        role: Role::Trekker,
        org: Some("1".into()),
    }]);
    let Some(b) = Browser::start(app.app.router()).await else {
        return;
    };
    let own = b.url("");
    assert!(own.starts_with("http://127.0.0.1:") && !own.ends_with(":8080"));
    b.login(&name, TEST_PASSWORD).await;
    b.goto(&format!("/qs/1/scans/{scan}")).await;
    assert!(b.source().await.contains(
        "Het webadres van de server is niet ingesteld; links in e-mails en brieven werken dan niet"
    ));
    check_both(&b, "dashboard-zonder-webadres").await;
    b.fill("#n-codes", "2").await;
    b.click_to_page("form[action$='/briefcodes'] button[type=submit]")
        .await;
    let src = b.source().await;
    assert!(src.contains("--public-url"), "{src}");
    assert!(!src.contains("127.0.0.1"), "{src}");
    assert!(!src.contains("qs-letter"), "a letter was made: {src}");
    b.close().await;
}
