//! The demo pages in headless Chromium: axe-core 0 violations on every page, keyboard-only
//! navigation, sorting, what-if with a lot, admin actions.

use webkit::e2e::Browser;
use webkit::testing::{TEST_PASSWORD, TestApp};
use webkit::{Role, RoleGrant};

const GR: &str = web::demo::GR_ID;
const TK: &str = web::demo::TK_ID;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_pages_are_accessible_in_chromium() {
    let app = TestApp::new(vec![web::module()]);
    let Some(b) = Browser::start(app.app.router()).await else {
        return;
    };
    let pages = [
        ("/".to_string(), "web-home".to_string()),
        ("/api".to_string(), "web-api".to_string()),
        (format!("/verkiezingen/{GR}"), "gr-overzicht".into()),
        (
            format!("/verkiezingen/{GR}/berekening"),
            "gr-berekening".into(),
        ),
        (
            format!("/verkiezingen/{GR}/kandidaten"),
            "gr-kandidaten".into(),
        ),
        (
            format!("/verkiezingen/{GR}/wat-als?v2=1699"),
            "gr-wat-als-loting".into(),
        ),
        (format!("/verkiezingen/{GR}/marges"), "gr-marges".into()),
        (
            format!("/verkiezingen/{GR}/hervorming"),
            "gr-hervorming".into(),
        ),
        (
            format!("/verkiezingen/{GR}/gebied/GM"),
            "gr-gemeente".into(),
        ),
        (
            format!("/verkiezingen/{GR}/gebied/SB1"),
            "gr-stembureau".into(),
        ),
        (format!("/verkiezingen/{TK}"), "tk-overzicht".into()),
        (
            format!("/verkiezingen/{TK}/berekening"),
            "tk-berekening".into(),
        ),
        (
            format!("/verkiezingen/{TK}/kandidaten"),
            "tk-kandidaten".into(),
        ),
        (format!("/verkiezingen/{TK}/wat-als"), "tk-wat-als".into()),
        (format!("/verkiezingen/{TK}/marges"), "tk-marges".into()),
        (
            format!("/verkiezingen/{TK}/hervorming"),
            "tk-hervorming".into(),
        ),
        (format!("/verkiezingen/{TK}/gebied/NL"), "tk-land".into()),
        (
            format!("/verkiezingen/{TK}/gebied/KK01"),
            "tk-kieskring".into(),
        ),
        (
            format!("/verkiezingen/{TK}/gebied/KK01-G1"),
            "tk-gemeente".into(),
        ),
        (
            format!("/verkiezingen/{TK}/gebied/KK01-G1-S1"),
            "tk-stembureau".into(),
        ),
        (
            format!("/verkiezingen/{TK}?lang=en"),
            "tk-overview-en".into(),
        ),
        (
            format!("/verkiezingen/{GR}/berekening?lang=en"),
            "gr-proof-en".into(),
        ),
    ];
    for (path, name) in &pages {
        b.goto(path).await;
        b.check_page(name).await;
    }
    b.goto("/?lang=nl").await;

    // Keyboard only: the overview's main actions are reachable and focus is visible.
    b.goto(&format!("/verkiezingen/{GR}")).await;
    b.keyboard_check(&[
        "a[href='/verkiezingen/demo-gr-lindewaarde/berekening']",
        "a[href='/verkiezingen/demo-gr-lindewaarde/wat-als']",
        "a[href='/verkiezingen/demo-gr-lindewaarde/csv/lijsten']",
        "table#lijsten th button.sort",
        "details.chart-data summary",
    ])
    .await;
    b.goto(&format!("/verkiezingen/{GR}/wat-als")).await;
    b.keyboard_check(&[
        "#f-v1",
        "#f-van",
        "#f-aantal",
        "form.form button[type=submit]",
    ])
    .await;

    // Sorting by the votes column (progressive enhancement).
    b.goto(&format!("/verkiezingen/{TK}/gebied/KK01")).await;
    b.click("table#gebied-KK01-partijen th:nth-child(3) button.sort")
        .await;
    let first = b
        .text("table#gebied-KK01-partijen tbody tr:first-child td:nth-child(3)")
        .await;
    let last = b
        .text("table#gebied-KK01-partijen tbody tr:last-child td:nth-child(3)")
        .await;
    let n = |s: &str| s.replace('.', "").parse::<u64>().unwrap();
    assert!(n(&first) <= n(&last), "ascending: {first} .. {last}");
    let sorted = b.source().await;
    assert!(sorted.contains("aria-sort=\"ascending\""));

    // What-if with a lot: choose the outcome by keyboard-operable radio buttons.
    b.goto(&format!("/verkiezingen/{GR}/wat-als?v2=1699")).await;
    b.click("input[name=lot][value='party:5']").await;
    b.click(".notice form button[type=submit]").await;
    b.wait_for_path("lot=party").await;
    let src = b.source().await;
    assert!(!src.contains("Er is een loting nodig"), "lot chosen");
    b.check_page("gr-wat-als-na-loting").await;

    // Admin: log in, manage elections, reset the demo.
    let name = app.user_name(&[RoleGrant {
        role: Role::Beheer,
        org: None,
    }]);
    b.login(&name, TEST_PASSWORD).await;
    b.goto("/beheer/verkiezingen").await;
    b.check_page("web-beheer").await;
    b.click("form[action='/beheer/demo-herstellen'] button")
        .await;
    b.wait_for_path("melding=demo").await;
    b.check_page("web-beheer-na-reset").await;
    b.close().await;
}
