//! Issue 12 in headless Chromium: the trekker plans a scan (opening day, reminders, closing
//! day; first with a mistake), words the invitation for the raad (first with an unknown
//! placeholder), looks at the preview and saves; the scheduler then runs on the opening day (an
//! injected clock) and the dashboard shows what happened, and the invitation in the outbox is the
//! previewed text.
//!
//! axe-core on every page at 1280 and 375 px (0 violations); screenshots
//! `target/screenshots/quickscan-schedule-*.png`. Skips when chromium, chromedriver or axe-core
//! is missing, unless `CI=true`.

#![allow(clippy::too_many_lines)]

use quickscan::mail::MailConfig;
use quickscan::model::{Day, OrgKind};
use quickscan::schedule::{self, Limits};
use quickscan::store;
use quickscan::web::{Options, module};
use webkit::e2e::Browser;
use webkit::testing::{TEST_PASSWORD, TestApp};
use webkit::{Role, RoleGrant};

/// axe-core with 0 violations and a screenshot, at 1280 px and at 375 px.
async fn check(b: &Browser, name: &str) {
    b.window_size(1280, 900).await;
    b.check_page(&format!("quickscan-schedule-{name}")).await;
    b.window_size(375, 812).await;
    b.check_page(&format!("quickscan-schedule-{name}-375"))
        .await;
    b.window_size(1280, 900).await;
}

/// Sets a date field through its value (typing into a date field depends on the browser's
/// locale) and tells the page it changed.
async fn set_date(b: &Browser, id: &str, day: Option<Day>) {
    let v = day.map(|d| d.to_string()).unwrap_or_default();
    b.client
        .execute(
            "const e = document.getElementById(arguments[0]); e.value = arguments[1]; \
             e.dispatchEvent(new Event('change', {bubbles: true})); return e.value;",
            vec![id.into(), v.clone().into()],
        )
        .await
        .unwrap_or_else(|e| panic!("set {id}: {e}"));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn plan_a_scan_and_word_its_invitation() {
    let app = TestApp::new(vec![module(Options {
        public_url: Some(quickscan::links::PublicUrl::parse("https://gemeente.example").unwrap()),
        public_per_minute: 300,
        ..Options::default()
    })]);
    let today = Day::today();
    let scan = app
        .state()
        .db()
        .with(|c| {
            store::upsert_org(c, "1", "Gemeente Een", OrgKind::Gemeente)?;
            let id = store::create_scan(c, "1", "Nulmeting 2026", None, today)?;
            store::import_respondents(
                c,
                id,
                "Anna de Wit;anna@een.nl;raad\nBob;bob@een.nl;college\nCees;cees@een.nl;ambtenaren\n",
            )?;
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
    let scan_path = format!("/qs/1/scans/{scan}");
    b.login(&name, TEST_PASSWORD).await;
    b.goto(&scan_path).await;
    assert!(b.source().await.contains("Er is geen planning"));
    check(&b, "dashboard-leeg").await;

    // --- the plan, first with the closing day before the opening day ---
    b.click_to_page("a[href$='/planning']").await;
    check(&b, "planning").await;
    let (opens, closes) = (today.plus(1), today.plus(15));
    let (r1, r2) = (today.plus(6), today.plus(11));
    set_date(&b, "f-opens_on", Some(opens)).await;
    set_date(&b, "f-closes_on", Some(today)).await;
    set_date(&b, "f-remind1", Some(r1)).await;
    b.click_to_page("form[action$='/planning'] button[type=submit]")
        .await;
    let src = b.source().await;
    assert!(src.contains("Er is een probleem"), "{src}");
    assert!(src.contains("De sluitdatum moet na de openingsdatum liggen."));
    assert!(src.contains("die dag valt na de sluitdatum"));
    assert!(src.contains(&format!("value=\"{opens}\"")), "input kept");
    check(&b, "planning-fouten").await;
    set_date(&b, "f-closes_on", Some(closes)).await;
    set_date(&b, "f-remind2", Some(r2)).await;
    b.click_to_page("form[action$='/planning'] button[type=submit]")
        .await;
    assert!(b.path().await.starts_with(&scan_path));
    let src = b.source().await;
    assert!(
        src.contains(&format!("Opent op {}", opens.long_weekday_nl())),
        "{src}"
    );
    assert!(src.contains("Herinneringen op"));
    check(&b, "dashboard").await;

    // --- the texts ---
    b.click_to_page("a[href$='/teksten']").await;
    check(&b, "teksten").await;
    b.fill("#f-contact", "de griffie, griffie@een.nl").await;
    b.click_to_page("form[action$='/teksten/contact'] button")
        .await;
    b.click_to_page("a[href$='/teksten/raad/uitnodiging']")
        .await;
    check(&b, "tekst").await;
    b.fill("#f-subject", "Doe mee, {naam}").await;
    b.fill("#f-body", "Beste {voornaam},\n\nDoe mee voor {sluitdatum}.")
        .await;
    b.click_to_page("button[value=opslaan]").await;
    let src = b.source().await;
    assert!(src.contains("Onbekend: {voornaam}"), "{src}");
    assert!(src.contains("moet {link} bevatten"));
    assert_eq!(
        b.text("#f-body").await.trim(),
        "Beste {voornaam},\n\nDoe mee voor {sluitdatum}.",
        "input kept"
    );
    check(&b, "tekst-fout").await;
    let own =
        "Beste {naam},\n\nDoe mee voor {sluitdatum}:\n{link}\n\nVragen? {contact}\n\n{organisatie}";
    b.fill("#f-body", own).await;
    b.click_to_page("button[value=voorbeeld]").await;
    let preview = b.text("#voorbeeld-tekst").await;
    assert!(
        preview.starts_with(&format!(
            "Beste Jan de Vries,\n\nDoe mee voor {}:\nhttps://gemeente.example/vragenlijst/i/",
            closes.long_weekday_nl()
        )),
        "{preview}"
    );
    assert!(preview.contains("Vragen? de griffie, griffie@een.nl"));
    assert!(preview.contains("Uw antwoorden zijn anoniem"));
    assert_eq!(
        b.text("#voorbeeld-onderwerp").await,
        "Doe mee, Jan de Vries"
    );
    check(&b, "voorbeeld").await;
    b.click_to_page("button[value=opslaan]").await;
    assert!(b.source().await.contains("De tekst is opgeslagen."));

    // --- the opening day comes: the scheduler opens the scan and invites ---
    let at = opens.0 * 86_400 + 7 * 3600;
    let r = app
        .state()
        .db()
        .with(|c| {
            schedule::run(
                c,
                &MailConfig::Outbox,
                Some(&quickscan::links::PublicUrl::parse("https://gemeente.example").unwrap()),
                at,
                Limits::default(),
            )
        })
        .unwrap();
    assert_eq!((r.opened.len(), r.sent), (1, 3));
    b.goto(&scan_path).await;
    let src = b.source().await;
    assert!(src.contains("vragenlijst geopend"), "{src}");
    assert!(src.contains("uitnodigingen: 3 verstuurd"));
    check(&b, "dashboard-gebeurd").await;
    // Anna's invitation is the text of the preview, for her
    b.goto(&format!("{scan_path}/outbox")).await;
    let outbox = b.source().await;
    assert!(outbox.contains("Doe mee, Anna de Wit"));
    assert!(outbox.contains(&format!(
        "Beste Anna de Wit,\n\nDoe mee voor {}:\nhttps://gemeente.example/vragenlijst/i/",
        closes.long_weekday_nl()
    )));
    b.close().await;
}
