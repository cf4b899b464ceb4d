//! The report in headless Chromium (issue 12): a scan with answers in 3 groups, a previous
//! wave and a benchmark of 5 other organisations, seeded through `store`. The report page at
//! 1280 and 375 px: axe-core 0 violations, full-page screenshots
//! `target/screenshots/quickscan-report-{1280,375}.png`, the summary first with at most 10
//! findings, chart labels at least 12 px on a phone, both CSV downloads; and the benchmark
//! opt-out on the organisation page.
//!
//! Skips (with a message) when chromium, chromedriver or axe-core is missing, unless `CI=true`.

#![allow(clippy::too_many_lines)]

use quickscan::model::{Day, Group, OrgKind, ScanStatus};
use quickscan::questionnaire::{AnswerValue, Answers};
use quickscan::store;
use quickscan::web::{Options, module};
use rusqlite::Connection;
use serde_json::Value;
use webkit::e2e::Browser;
use webkit::testing::{TEST_PASSWORD, TestApp};
use webkit::{Role, RoleGrant};

mod common;
use common::online;

const TODAY: Day = Day(20_100);

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

/// Answers: value `v` (shifted per item by `i % shift`), "weet niet" on `info_vinden` when
/// `dk`, and an open tip.
fn answers(v: u8, shift: usize, dk: bool, tip: &str) -> Answers {
    let mut a = Answers::new();
    for (i, k) in KEYS.iter().enumerate() {
        let val = (usize::from(v) + i % shift.max(1)).clamp(1, 5);
        a.insert(
            (*k).into(),
            AnswerValue::Scale(u8::try_from(val).unwrap_or(3)),
        );
    }
    if dk {
        a.insert("info_vinden".into(), AnswerValue::DontKnow);
    }
    a.insert("prio_top3".into(), AnswerValue::Ranking(vec![0, 2]));
    a.insert("prio_tip".into(), AnswerValue::Text(tip.into()));
    a
}

fn wave(c: &Connection, org: &str, title: &str, previous: Option<i64>, second: bool) -> i64 {
    let id = store::create_scan(c, org, title, previous, TODAY).unwrap();
    store::advance(c, id, ScanStatus::Open, TODAY).unwrap();
    let raad = if second { 5 } else { 3 };
    for i in 0..6 {
        online(
            c,
            id,
            Group::Raad,
            &answers(raad, 1, i < 3, "Meer uitleg over besluiten"),
            TODAY,
        );
    }
    for i in 0..5 {
        online(
            c,
            id,
            Group::Ambtenaren,
            &answers(3, 2, i == 0, "Eerder betrekken bij plannen"),
            TODAY,
        );
    }
    for i in 0..7 {
        online(
            c,
            id,
            Group::Inwoners,
            &answers(1, 3, i < 4, "Een buurtavond per wijk"),
            TODAY,
        );
    }
    store::advance(c, id, ScanStatus::Closed, TODAY).unwrap();
    id
}

fn seed(c: &Connection) -> i64 {
    store::upsert_org(c, "1", "Gemeente Een", OrgKind::Gemeente).unwrap();
    let first = wave(c, "1", "Nulmeting 2025", None, false);
    store::advance(c, first, ScanStatus::Report, TODAY).unwrap();
    let second = wave(c, "1", "Voortgangsmeting 2026", Some(first), true);
    for o in ["b", "c", "d", "e", "f"] {
        store::upsert_org(c, o, &format!("Gemeente {o}"), OrgKind::Gemeente).unwrap();
        wave(c, o, "Nulmeting", None, false);
    }
    second
}

/// Resizes the window to the page's full height (for a full-page screenshot) and back.
async fn full_page_shot(b: &Browser, width: u32, name: &str) {
    let h = b
        .client
        .execute("return document.documentElement.scrollHeight;", vec![])
        .await
        .unwrap()
        .as_u64()
        .unwrap_or(900);
    b.window_size(width, u32::try_from(h.min(40_000)).unwrap_or(900))
        .await;
    b.screenshot(name).await;
    b.window_size(width, 900).await;
}

async fn axe_clean(b: &Browser, what: &str) {
    let v = b.axe().await;
    assert!(v.is_empty(), "axe-core on {what}:\n  {}", v.join("\n  "));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn report_in_the_browser() {
    let app = TestApp::new(vec![module(Options {
        public_url: Some(quickscan::links::PublicUrl::parse("http://gemeente.example").unwrap()),
        public_per_minute: 300,
        ..Options::default()
    })]);
    let scan = app
        .state()
        .db()
        .with(|c| Ok::<_, rusqlite::Error>(seed(c)))
        .unwrap();
    let name = app.user_name(&[RoleGrant {
        role: Role::Trekker,
        org: Some("1".into()),
    }]);
    let Some(b) = Browser::start(app.app.router()).await else {
        return;
    };
    b.login(&name, TEST_PASSWORD).await;
    let path = format!("/qs/1/scans/{scan}/rapport");

    // --- desktop ---
    b.window_size(1280, 900).await;
    b.goto(&path).await;
    axe_clean(&b, "report at 1280 px").await;
    full_page_shot(&b, 1280, "quickscan-report-1280").await;
    // the summary comes first: the first h2 in main, before any theme
    let first_h2 = b
        .client
        .execute("return document.querySelector('main h2').id;", vec![])
        .await
        .unwrap();
    assert_eq!(first_h2, Value::String("samenvatting".into()));
    let findings = b
        .client
        .execute(
            "return document.querySelectorAll('ol.qs-summary > li').length;",
            vec![],
        )
        .await
        .unwrap()
        .as_u64()
        .unwrap();
    assert!((1..=10).contains(&findings), "{findings} findings");
    let src = b.source().await;
    assert!(src.contains("vorige meting"), "previous wave shown");
    assert!(src.contains("elders"), "benchmark shown");
    assert!(src.contains("Oordeel:"));
    assert!(src.contains("Een buurtavond per wijk"));
    // open answers per group
    assert!(
        src.contains("Inwoners (7 antwoorden"),
        "open answers per group"
    );

    // both CSV downloads, fetched by the page itself
    let base = format!("/qs/1/scans/{scan}");
    let csv = |href: &str| {
        format!(
            "var done = arguments[arguments.length - 1];
             fetch('{base}{href}').then(r => r.arrayBuffer()).then(b => {{
               var u = new Uint8Array(b);
               done([u[0], u[1], u[2], new TextDecoder().decode(b).split('\\r\\n')[0]]);
             }});",
        )
    };
    let excel = b
        .client
        .execute_async(&csv("/rapport-excel.csv"), vec![])
        .await
        .unwrap();
    assert_eq!(excel[0], 0xEF, "UTF-8 BOM");
    assert!(excel[3].as_str().unwrap().contains("soort;thema"));
    let machine = b
        .client
        .execute_async(&csv("/rapport.csv"), vec![])
        .await
        .unwrap();
    assert_eq!(machine[0], u64::from(b's'), "no BOM");
    assert!(machine[3].as_str().unwrap().starts_with("soort,thema"));

    // --- phone ---
    b.window_size(375, 900).await;
    b.goto(&path).await;
    axe_clean(&b, "report at 375 px").await;
    let sizes = b
        .client
        .execute(
            "var out = [];
             document.querySelectorAll('svg.qs-chart-svg').forEach(function (svg) {
               var scale = svg.getBoundingClientRect().width / svg.viewBox.baseVal.width;
               svg.querySelectorAll('text').forEach(function (t) {
                 out.push(parseFloat(getComputedStyle(t).fontSize) * scale);
               });
             });
             return out;",
            vec![],
        )
        .await
        .unwrap();
    let sizes: Vec<f64> = sizes
        .as_array()
        .unwrap()
        .iter()
        .filter_map(Value::as_f64)
        .collect();
    assert!(!sizes.is_empty(), "charts with text");
    let min = sizes.iter().copied().fold(f64::MAX, f64::min);
    assert!(min >= 12.0, "chart text {min:.1} px at 375 px");
    let overflow = b
        .client
        .execute(
            "return document.documentElement.scrollWidth > window.innerWidth + 1;",
            vec![],
        )
        .await
        .unwrap();
    assert_eq!(
        overflow,
        Value::Bool(false),
        "no sideways scrolling at 375 px"
    );
    full_page_shot(&b, 375, "quickscan-report-375").await;

    // --- the benchmark opt-out on the organisation page ---
    b.window_size(1280, 900).await;
    b.goto("/qs/1").await;
    axe_clean(&b, "organisation page").await;
    assert!(b.source().await.contains("doet nu mee"));
    b.click("#benchmark-out").await;
    b.click_to_page("form[action='/qs/1/benchmark'] button[type=submit]")
        .await;
    assert!(b.source().await.contains("niet</strong> mee"));
    axe_clean(&b, "organisation page after opting out").await;
    b.screenshot("quickscan-report-benchmark-1280").await;
    b.window_size(375, 900).await;
    axe_clean(&b, "organisation page at 375 px").await;
    b.screenshot("quickscan-report-benchmark-375").await;
    let out = app
        .state()
        .db()
        .with(|c| {
            store::benchmark_opt_out(c, "1")
                .map_err(|e| rusqlite::Error::InvalidParameterName(e.to_string()))
        })
        .unwrap();
    assert!(out);
    b.close().await;
}
