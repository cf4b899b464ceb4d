//! The trekker's workflow of issue 12 in headless Chromium: taking over a new wave from the
//! previous one, inline form errors with the input kept, the questionnaire preview, the blank
//! paper form, confirmation steps (forgetting a respondent, closing, removing an agenda item)
//! and the verbeteragenda's edit and links to the report.
//!
//! Every page is checked with axe-core (0 violations) at 1280 and at 375 px, with screenshots
//! `target/screenshots/quickscan-workflow-*.png` (`…-telefoon.png` at 375 px).
//!
//! Skips (with a message) when chromium, chromedriver or axe-core is missing, unless `CI=true`.

#![allow(clippy::too_many_lines, clippy::format_push_string)]

use quickscan::model::{Day, Group, OrgKind, ScanStatus};
use quickscan::questionnaire::{AnswerValue, Answers, ItemKind};
use quickscan::store;
use quickscan::web::{Options, module};
use webkit::e2e::Browser;
use webkit::testing::{TEST_PASSWORD, TestApp};
use webkit::{Role, RoleGrant};

/// axe-core with 0 violations and a screenshot, at 1280 px and at 375 px.
async fn check(b: &Browser, name: &str) {
    b.window_size(1280, 900).await;
    b.check_page(&format!("quickscan-workflow-{name}")).await;
    b.window_size(375, 812).await;
    b.check_page(&format!("quickscan-workflow-{name}-telefoon"))
        .await;
    let wide = b
        .client
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth + 1;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        wide,
        serde_json::Value::Bool(false),
        "{name} scrolls sideways at 375 px"
    );
    b.window_size(1280, 900).await;
}

/// Wave 1 in report state (5 raadsleden answered online) and wave 2, a concept that names it.
fn two_waves(c: &rusqlite::Connection) -> (i64, i64) {
    let day = Day::today();
    store::upsert_org(c, "1", "Gemeente Een", OrgKind::Gemeente).unwrap();
    let w1 = store::create_scan(c, "1", "Nulmeting 2025", None, day).unwrap();
    store::add_custom_item(
        c,
        w1,
        "Ik ken de wijkwethouder.",
        "",
        ItemKind::Scale {
            scale: "eens5".into(),
        },
    )
    .unwrap();
    let mut csv = String::new();
    for i in 0..5 {
        csv.push_str(&format!("Raadslid {i};r{i}@een.nl;raad\n"));
    }
    csv.push_str("Wethouder Jansen;jansen@een.nl;college\n");
    store::import_respondents(c, w1, &csv).unwrap();
    store::advance(c, w1, ScanStatus::Open, day).unwrap();
    for inv in store::invitations(c, w1).unwrap() {
        if inv.group != Group::Raad {
            continue;
        }
        let link = store::issue_link(c, inv.id).unwrap();
        let mut a = Answers::new();
        a.insert("part_weten".into(), AnswerValue::Scale(4));
        a.insert("maatwerk_1".into(), AnswerValue::Scale(2));
        store::submit(c, &store::Access::Invitation(link), &a, day).unwrap();
    }
    store::advance(c, w1, ScanStatus::Closed, day).unwrap();
    store::advance(c, w1, ScanStatus::Report, day).unwrap();
    let w2 = store::create_scan(c, "1", "Voortgangsmeting 2026", Some(w1), day).unwrap();
    (w1, w2)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trekker_workflow_in_the_browser() {
    let app = TestApp::new(vec![module(Options {
        public_url: Some(quickscan::links::PublicUrl::parse("http://gemeente.example").unwrap()),
        public_per_minute: 300,
        ..Options::default()
    })]);
    let (w1, w2) = app
        .state()
        .db()
        .with(|c| Ok::<_, store::Error>(two_waves(c)))
        .unwrap();
    let name = app.user_name(&[RoleGrant {
        role: Role::Trekker,
        org: Some("1".into()),
    }]);
    let Some(b) = Browser::start(app.app.router()).await else {
        return;
    };
    b.login(&name, TEST_PASSWORD).await;
    let s1 = format!("/qs/1/scans/{w1}");
    let s2 = format!("/qs/1/scans/{w2}");

    // --- wave 2 takes over from wave 1 ---
    b.goto(&s2).await;
    check(&b, "voortgang-concept").await;
    b.click_to_page(&format!("a[href='{s2}/overnemen']")).await;
    check(&b, "overnemen").await;
    assert!(
        b.source()
            .await
            .contains("Respondenten (6 namen en e-mailadressen)")
    );
    b.click_to_page(&format!("form[action='{s2}/overnemen'] button"))
        .await;
    check(&b, "overgenomen").await;
    let src = b.source().await;
    assert!(src.contains("Respondenten: 6 overgenomen"), "{src}");
    assert!(src.contains("Eigen vragen: 1 overgenomen"));
    b.goto(&s2).await;
    let src = b.source().await;
    assert!(src.contains("Wethouder Jansen") && src.contains("Ik ken de wijkwethouder."));
    assert!(!src.contains("<td>Klaar</td>"), "no status crossed over");

    // --- an inline error keeps the input ---
    b.fill("#mw-nl", "In welke wijk woont u?").await;
    b.click("#mk-c").await;
    b.fill("#mw-opt", "Noord").await;
    b.click_to_page("form[action$='/maatwerk'] button[type=submit]")
        .await;
    check(&b, "fout-maatwerk").await;
    let src = b.source().await;
    assert!(src.contains("class=\"error-summary\""));
    assert!(src.contains("value=\"In welke wijk woont u?\""));
    b.fill("#f-options", "Noord\nZuid").await;
    b.click_to_page("form[action$='/maatwerk'] button[type=submit]")
        .await;
    assert!(b.path().await.ends_with(&s2), "{}", b.path().await);
    assert!(b.source().await.contains("In welke wijk woont u?"));

    // --- preview and blank paper form ---
    b.click_to_page(&format!("a[href='{s2}/voorbeeld/raad']"))
        .await;
    check(&b, "voorbeeld").await;
    assert!(b.source().await.contains("er wordt niets opgeslagen"));
    b.click_to_page(&format!("a[href='{s2}/papier/raad/formulier']"))
        .await;
    b.fill("#retour", "de griffie, kamer 2.14").await;
    b.fill("#uiterlijk", "15 maart").await;
    b.click_to_page("form[method='get'] button").await;
    check(&b, "papier-formulier").await;
    assert!(b.source().await.contains("de griffie, kamer 2.14"));
    // the questions with their tick boxes, and the form as printed (A4): no menu, no buttons
    b.client
        .execute(
            "document.querySelector('.qs-paper section').scrollIntoView(); return true;",
            vec![],
        )
        .await
        .unwrap();
    let shot = b.screenshot("quickscan-workflow-papier-vragen").await;
    let pdf = b
        .client
        .print(fantoccini::wd::PrintConfiguration::default())
        .await
        .unwrap();
    let pdf_path = shot.with_file_name("quickscan-workflow-papier-formulier.pdf");
    std::fs::write(&pdf_path, &pdf).unwrap();
    if let Ok(out) = std::process::Command::new("pdftotext")
        .arg(&pdf_path)
        .arg("-")
        .output()
    {
        let text = String::from_utf8_lossy(&out.stdout);
        assert!(
            text.contains("Inleveren bij: de griffie, kamer 2.14"),
            "{text}"
        );
        assert!(text.contains("Ik ken de wijkwethouder."));
        for gone in ["Uitloggen", "Formulier bijwerken", "Terug naar"] {
            assert!(!text.contains(gone), "{gone} printed");
        }
        let _ = std::process::Command::new("pdftoppm")
            .args(["-png", "-r", "60", "-f", "1", "-l", "2"])
            .arg(&pdf_path)
            .arg(shot.with_file_name("quickscan-workflow-papier-afdruk"))
            .status();
    }
    b.goto(&format!("{s2}/papier")).await;
    check(&b, "papier").await;
    let counts = app
        .state()
        .db()
        .with(|c| store::response_counts(c, w2))
        .unwrap();
    assert!(counts.values().all(|n| *n == 0), "preview saved nothing");

    // --- confirmations: forgetting a respondent, closing ---
    b.goto(&s2).await;
    b.click_to_page("form[action$='/vergeten'] button").await;
    check(&b, "wissen-bevestigen").await;
    assert!(b.source().await.contains("Dit kunt u niet ongedaan maken."));
    b.click_to_page("a[href$='#respondenten']").await; // "Nee, terug"
    b.click_to_page("form[action$='/vergeten'] button").await;
    b.click_to_page("form[action$='/vergeten'] button").await; // "Ja, gegevens wissen"
    assert!(b.source().await.contains("(gewist)"));
    b.click_to_page("form[action$='/status'] button").await; // openen
    // a paper form typed in: first "Klopt dit?", then stored
    b.goto(&format!("{s2}/papier")).await;
    b.click("#maatwerk_1-4").await;
    b.click_to_page(&format!("form[action='{s2}/papier'] button[type=submit]"))
        .await;
    check(&b, "papier-controle").await;
    assert!(b.source().await.contains("Klopt dit?"));
    b.click_to_page("button[value='ja']").await;
    assert!(
        b.source()
            .await
            .contains("De papieren vragenlijst is opgeslagen.")
    );
    let paper = app
        .state()
        .db()
        .with(|c| store::response_counts(c, w2))
        .unwrap();
    assert_eq!(paper.values().sum::<u64>(), 1);
    b.goto(&s2).await;
    b.click_to_page("form[action$='/status'] button").await; // sluiten?
    check(&b, "sluiten-bevestigen").await;
    let status = app
        .state()
        .db()
        .with(|c| store::scan(c, w2))
        .unwrap()
        .status;
    assert_eq!(status, ScanStatus::Open, "not closed by one click");
    b.click_to_page("form[action$='/status'] button").await; // "Ja, vragenlijst sluiten"
    let status = app
        .state()
        .db()
        .with(|c| store::scan(c, w2))
        .unwrap()
        .status;
    assert_eq!(status, ScanStatus::Closed);

    // --- verbeteragenda of wave 1: inline error, add with a finding, edit, remove ---
    b.goto(&format!("{s1}/agenda")).await;
    b.fill("#f-title", "Raadsleden op wijkbezoek").await;
    b.click("input[name='bevinding']").await; // the first theme
    b.click_to_page("form[action$='/agenda'] button[type=submit]")
        .await;
    check(&b, "agenda-fout").await;
    let src = b.source().await;
    assert!(src.contains("href=\"#f-owner\""));
    assert!(src.contains("value=\"Raadsleden op wijkbezoek\""));
    b.fill("#f-owner", "Griffie").await;
    b.click_to_page("form[action$='/agenda'] button[type=submit]")
        .await;
    check(&b, "agenda").await;
    let src = b.source().await;
    assert!(src.contains("Hoort bij: "), "linked to a finding");
    b.click_to_page("a[href*='/rapport#thema-']").await;
    let rep = b.source().await;
    assert!(rep.contains("Op de verbeteragenda: "));
    b.goto(&format!("{s1}/agenda")).await;
    b.click_to_page("a[href$='/bewerken']").await;
    check(&b, "agenda-bewerken").await;
    b.fill("#f-title", "Wijkbezoek door raadsleden").await;
    b.click_to_page("form[action$='/bewerken'] button[type=submit]")
        .await;
    assert!(b.source().await.contains("Wijkbezoek door raadsleden"));
    b.click_to_page("a[href$='/bewerken']").await;
    b.click_to_page("form[action$='/verwijderen'] button").await;
    check(&b, "agenda-verwijderen").await;
    b.click_to_page("form[action$='/verwijderen'] button").await;
    assert!(b.source().await.contains("Er zijn nog geen actiepunten."));
    b.close().await;
}
