//! Issue 12 in headless Chromium: the commissie cannot read the concept report; the trekker
//! reviews the open answers (hides one, shortens one, each after a confirmation page) and
//! vaststelt the report; then the commissie reads it, without the hidden and removed words.
//!
//! axe-core on every page at 1280 and 375 px (0 violations); screenshots
//! `target/screenshots/quickscan-review-*.png`. Skips (with a message) when chromium,
//! chromedriver or axe-core is missing, unless `CI=true`.

use quickscan::model::{Day, Group, OrgKind, ScanStatus};
use quickscan::questionnaire::{AnswerValue, Answers};
use quickscan::store;
use quickscan::web::{Options, module};
use webkit::e2e::Browser;
use webkit::testing::{TEST_PASSWORD, TestApp};
use webkit::{Role, RoleGrant};

mod common;

const IDENTIFYING: &str =
    "Als voorzitter van dorpsraad Zwartewaterkloosterveen mis ik de raad in ons dorp";
const HIDDEN: &str = "Mijn buurman Hendrikus-Bartholomeus weet hier alles van";

fn tip(t: &str) -> Answers {
    let mut a = Answers::new();
    a.insert("part_weten".into(), AnswerValue::Scale(3));
    a.insert("prio_tip".into(), AnswerValue::Text(t.into()));
    a
}

/// axe-core with 0 violations at 1280 and at 375 px, and a screenshot at both widths.
async fn check(b: &Browser, name: &str) {
    b.check_page(&format!("quickscan-review-{name}")).await;
    b.window_size(375, 812).await;
    let v = b.axe().await;
    assert!(v.is_empty(), "axe-core at 375 px on {name}: {v:?}");
    b.screenshot(&format!("quickscan-review-{name}-telefoon"))
        .await;
    b.window_size(1280, 900).await;
}

/// The id of the textarea that holds `text` on the review page.
async fn textarea_with(b: &Browser, text: &str) -> String {
    let v = b
        .client
        .execute(
            "for (const t of document.querySelectorAll('textarea')) { if (t.value === arguments[0]) return t.id; } return '';",
            vec![serde_json::json!(text)],
        )
        .await
        .unwrap();
    let id = v.as_str().unwrap_or_default().to_owned();
    assert!(!id.is_empty(), "{text} not on the review page");
    id
}

async fn logout(b: &Browser) {
    b.click_to_page("form[action='/logout'] button").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn trekker_reviews_and_vaststelt_then_commissie_reads() {
    let app = TestApp::new(vec![module(Options {
        mail: quickscan::mail::MailConfig::Outbox,
        public_url: Some(quickscan::links::PublicUrl::parse("http://gemeente.example").unwrap()),
        public_per_minute: 300,
        retention_every: std::time::Duration::from_hours(24),
        schedule_every: std::time::Duration::from_mins(10),
        public_challenge: false,
    })]);
    let today = Day::today();
    let scan = app
        .state()
        .db()
        .with(|c| {
            store::upsert_org(c, "1", "Gemeente Een", OrgKind::Gemeente)?;
            let id = store::create_scan(c, "1", "Nulmeting 2026", None, today)?;
            store::advance(c, id, ScanStatus::Open, today)?;
            for t in [
                IDENTIFYING,
                HIDDEN,
                "Meer uitleg over besluiten",
                "Vaker de wijk in",
                "Goed zo",
            ] {
                common::online(c, id, Group::Raad, &tip(t), today);
            }
            for i in 0..5 {
                common::online(
                    c,
                    id,
                    Group::Inwoners,
                    &tip(&format!("Inwonerstip {i}")),
                    today,
                );
            }
            for _ in 0..3 {
                common::online(c, id, Group::College, &tip("GEHEIM-COLLEGE"), today);
            }
            store::advance(c, id, ScanStatus::Closed, today)?;
            Ok::<_, store::Error>(id)
        })
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
    let base = format!("/qs/1/scans/{scan}");

    // the commissie: not yet
    b.login(&commissie, TEST_PASSWORD).await;
    b.goto(&format!("{base}/rapport")).await;
    assert!(
        b.source()
            .await
            .contains("Het rapport is nog niet vastgesteld")
    );
    check(&b, "nog-niet-vastgesteld").await;
    logout(&b).await;

    // the trekker: the concept report, the review
    b.login(&trekker, TEST_PASSWORD).await;
    b.goto(&base).await;
    check(&b, "scan-gesloten").await;
    b.goto(&format!("{base}/rapport")).await;
    assert!(b.source().await.contains("Concept — nog niet vastgesteld"));
    b.goto(&base).await;
    b.click_to_page("a[href$='/open-antwoorden']").await;
    let page = b.source().await;
    assert!(page.contains("Dit kan niet ongedaan worden"));
    assert!(!page.contains("GEHEIM"), "suppressed college never shown");
    check(&b, "nakijken").await;
    b.client
        .execute(
            "document.querySelector('h3').scrollIntoView(); return true;",
            vec![],
        )
        .await
        .unwrap();
    b.screenshot("quickscan-review-nakijken-antwoorden").await;

    // hide one
    let id = textarea_with(&b, HIDDEN).await;
    b.click_to_page(&format!("form:has(#{id}) button[value=verbergen]"))
        .await;
    assert!(b.source().await.contains("Ja, antwoord verbergen"));
    check(&b, "verbergen-bevestigen").await;
    b.click_to_page("form[action$='/open-antwoorden'] button[type=submit]")
        .await;
    assert!(!b.source().await.contains("Hendrikus-Bartholomeus"));

    // shorten one: first an addition, refused with the text kept
    let id = textarea_with(&b, IDENTIFYING).await;
    b.fill(&format!("#{id}"), &format!("{IDENTIFYING} en meer"))
        .await;
    b.click_to_page(&format!("form:has(#{id}) button[value=inkorten]"))
        .await;
    let refused = b.source().await;
    assert!(refused.contains("niets toevoegen") && refused.contains("en meer"));
    check(&b, "inkorten-fout").await;
    b.fill(
        "#tekst",
        "Als voorzitter van dorpsraad mis ik de raad in ons dorp",
    )
    .await;
    b.click_to_page("button[value=inkorten]").await;
    let confirm = b.source().await;
    assert!(
        confirm.contains("dorpsraad [weggelaten] mis ik"),
        "{confirm}"
    );
    check(&b, "inkorten-bevestigen").await;
    b.click_to_page("form[action$='/open-antwoorden'] button[type=submit]")
        .await;
    let page = b.source().await;
    assert!(!page.contains("Zwartewaterkloosterveen"));
    assert!(page.contains("1 verborgen en 1 ingekort"));

    // vaststellen
    b.click_to_page("a[href$='/vaststellen']").await;
    check(&b, "vaststellen").await;
    b.click_to_page("form[action$='/vaststellen'] button[type=submit]")
        .await;
    assert!(b.path().await.ends_with(&base));
    assert!(b.source().await.contains("Het rapport is vastgesteld"));
    check(&b, "scan-vastgesteld").await;
    logout(&b).await;

    // the commissie reads the result
    b.login(&commissie, TEST_PASSWORD).await;
    b.goto(&format!("{base}/rapport")).await;
    let rep = b.source().await;
    assert!(!rep.contains("Concept — nog niet vastgesteld"));
    assert!(rep.contains("dorpsraad [weggelaten] mis ik"));
    assert!(!rep.contains("Zwartewaterkloosterveen") && !rep.contains("Hendrikus"));
    assert!(rep.contains("1 antwoord verborgen door de trekker"));
    check(&b, "rapport-commissie").await;
    b.client
        .execute(
            "const h = [...document.querySelectorAll('h3')].find(e => e.textContent.includes('tip of idee')); h.scrollIntoView(); return true;",
            vec![],
        )
        .await
        .unwrap();
    b.screenshot("quickscan-review-rapport-open-antwoorden")
        .await;
    b.close().await;
}
