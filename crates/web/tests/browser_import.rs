//! The official TK2021 bundle in headless Chromium, with real clicks: upload as beheer, the
//! verification report, overview → kieskring → gemeente, the proof with the 11 restzetels in
//! order, a what-if that moves 200 votes from D66 to SP, margins and the reform comparison.
//! axe-core 0 violations on every page, keyboard-only checks, screenshots.

use std::path::PathBuf;

use webkit::e2e::Browser;
use webkit::testing::{TEST_PASSWORD, TestApp};
use webkit::{Role, RoleGrant};

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

fn tk2021_zip() -> Option<PathBuf> {
    const ZIP: &str = "TK2021/EML_bestanden_TK2021_deel_1.zip";
    let zip = shared_data(ZIP)?.join(ZIP);
    Some(zip.canonicalize().unwrap_or(zip))
}

const ID: &str = "tk2021";

/// Party numbers of TK2021 on the ballot.
const VVD: u32 = 1;
const D66: u32 = 4;
const SP: u32 = 6;

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn tk2021_upload_and_pages_in_chromium() {
    let Some(zip) = tk2021_zip() else { return };
    let app = TestApp::new(vec![web::module()]);
    let Some(b) = Browser::start(app.app.router()).await else {
        return;
    };
    let name = app.user_name(&[RoleGrant {
        role: Role::Beheer,
        org: None,
    }]);
    b.login(&name, TEST_PASSWORD).await;

    // Upload the zip as beheer (real file chooser and submit button).
    b.goto("/beheer/verkiezingen").await;
    b.check_page("import-beheer").await;
    b.keyboard_check(&["#f-bestand", "form[enctype] button[type=submit]"])
        .await;
    b.upload("#f-bestand", &zip).await;
    b.click("form[enctype] button[type=submit]").await;
    // The run's table: one row per election, linked to its verification.
    b.wait_for_path("/beheer/importen/").await;
    let src = b.source().await;
    assert!(src.contains("Ja, versie 1"), "imported as version 1");
    assert!(
        src.contains("EML_bestanden_TK2021_deel_1.zip"),
        "file with its hash"
    );
    b.check_page("import-tabel").await;
    b.click(&format!(
        "table#import-resultaat a[href='/verkiezingen/{ID}/controle']"
    ))
    .await;
    b.wait_for_path(&format!("/verkiezingen/{ID}/controle"))
        .await;
    let src = b.source().await;
    assert!(
        src.contains("gelijk aan de officiële uitslag"),
        "verification outcome"
    );
    assert!(src.contains("W-"), "warnings with codes are listed");
    assert!(src.contains("Telling_TK2021_kieskring_"), "files are named");
    b.check_page("tk2021-controle").await;
    b.goto("/").await;
    assert!(b.source().await.contains("/verkiezingen/tk2021/controle"));
    b.check_page("import-verkiezingen").await;
    b.goto(&format!("/verkiezingen/{ID}/controle")).await;

    // Overview → Per gebied → a kieskring → a gemeente.
    b.click(&format!("nav.subnav a[href='/verkiezingen/{ID}']"))
        .await;
    b.wait_for_path(&format!("/verkiezingen/{ID}")).await;
    let src = b.source().await;
    assert!(
        src.contains("VVD: <strong>34</strong>"),
        "seat chart legend"
    );
    b.check_page("tk2021-uitslag").await;
    b.keyboard_check(&[
        &format!("a[href='/verkiezingen/{ID}/berekening']"),
        &format!("a[href='/verkiezingen/{ID}/csv/lijsten']"),
        "table#lijsten th button.sort",
        "details.chart-data summary",
    ])
    .await;
    b.click(&format!("nav.subnav a[href='/verkiezingen/{ID}/gebied']"))
        .await;
    b.wait_for_path("/gebied/totaal").await;
    b.check_page("tk2021-land").await;
    b.click(&format!("a[href='/verkiezingen/{ID}/gebied/kk3']"))
        .await;
    b.wait_for_path("/gebied/kk3").await;
    assert!(b.source().await.contains("Kieskring 3"));
    b.check_page("tk2021-kieskring").await;
    b.click("table#gebied-kk3-onderdelen tbody tr:first-child a")
        .await;
    b.wait_for_path("/gebied/g").await;
    let src = b.source().await;
    assert!(src.contains("(gemeente)"), "a gemeente page");
    b.check_page("tk2021-gemeente").await;

    // The proof: the 11 restzetels in order.
    b.click(&format!(
        "nav.subnav a[href='/verkiezingen/{ID}/berekening']"
    ))
    .await;
    b.wait_for_path("/berekening").await;
    let winners = b
        .client
        .execute(
            r"return Array.from(document.querySelectorAll('ol.steps > li'))
                .filter(li => li.querySelector('.article').textContent.trim() === 'Artikel P 7')
                .map(li => li.querySelector('table .changed').textContent.trim());",
            vec![],
        )
        .await
        .expect("restzetels");
    let winners: Vec<String> = winners
        .as_array()
        .expect("array")
        .iter()
        .map(|v| v.as_str().unwrap_or_default().to_string())
        .collect();
    let expected = [
        (6, "SP"),
        (1, "VVD"),
        (4, "D66"),
        (5, "GROENLINKS"),
        (1, "VVD"),
        (9, "Partij voor de Dieren"),
        (7, "Partij van de Arbeid"),
        (2, "PVV"),
        (3, "CDA"),
        (13, "Forum voor Democratie"),
        (4, "D66"),
    ];
    assert_eq!(winners.len(), 11, "{winners:?}");
    for (w, (n, party)) in winners.iter().zip(expected) {
        assert!(
            w.starts_with(&format!("{n} {party}")),
            "restzetel: {w} is not {n} {party} ({winners:?})"
        );
    }
    b.check_page("tk2021-berekening").await;

    // What-if: move 200 votes from D66 to SP with the form.
    let loaded = web::model::Loaded::new(
        app.state()
            .db()
            .with(|c| web::store::load(c, ID))
            .unwrap()
            .unwrap(),
    );
    let answer = web::whatif::answer(
        &loaded,
        &web::whatif::Question {
            moves: Some((D66, SP, 200)),
            ..Default::default()
        },
    )
    .unwrap();
    let row = |n: u32| answer.rows.iter().find(|r| r.number == n).unwrap();
    eprintln!(
        "what-if: D66 {} → {}, SP {} → {}, VVD {} → {}",
        row(D66).seats_before,
        row(D66).seats,
        row(SP).seats_before,
        row(SP).seats,
        row(VVD).seats_before,
        row(VVD).seats
    );
    assert_eq!(row(D66).seats_before, 24);
    assert_eq!(row(SP).seats_before, 9);
    b.click(&format!("nav.subnav a[href='/verkiezingen/{ID}/wat-als']"))
        .await;
    b.wait_for_path("/wat-als").await;
    b.keyboard_check(&[
        "#f-v1",
        "#f-van",
        "#f-aantal",
        "form.form button[type=submit]",
    ])
    .await;
    b.select("#f-van", &D66.to_string()).await;
    b.select("#f-naar", &SP.to_string()).await;
    b.fill("#f-aantal", "200").await;
    b.click("form.form button[type=submit]").await;
    b.wait_for_path("aantal=200").await;
    let cell = |n: u32, col: usize| {
        format!(
            "table#wat-als tbody tr:nth-child({}) td:nth-child({col})",
            {
                loaded
                    .election
                    .parties
                    .iter()
                    .position(|p| p.number == n)
                    .unwrap()
                    + 1
            }
        )
    };
    let n = |s: &str| -> u64 {
        s.split_whitespace()
            .next()
            .unwrap_or_default()
            .replace('.', "")
            .parse()
            .unwrap()
    };
    for p in [D66, SP, VVD] {
        let votes = b.text(&cell(p, 3)).await;
        let seats = b.text(&cell(p, 5)).await;
        assert_eq!(n(&votes), row(p).votes, "votes of list {p}");
        assert_eq!(n(&seats), u64::from(row(p).seats), "seats of list {p}");
    }
    assert_eq!(row(D66).votes + 200, row(D66).votes_before);
    let changed = b
        .client
        .execute(
            "return document.querySelectorAll('table#wat-als .changed').length;",
            vec![],
        )
        .await
        .unwrap();
    let expected_changes = 2 + answer
        .rows
        .iter()
        .filter(|r| r.seats != r.seats_before)
        .count();
    assert_eq!(
        changed.as_u64(),
        Some(expected_changes as u64),
        "the page highlights the changed votes and seats"
    );
    b.check_page("tk2021-wat-als").await;

    // 200 votes change no seat (the engine says so, above); 30.000 do: the page shows it.
    let big = web::whatif::answer(
        &loaded,
        &web::whatif::Question {
            moves: Some((D66, SP, 30_000)),
            ..Default::default()
        },
    )
    .unwrap();
    let big_row = |n: u32| big.rows.iter().find(|r| r.number == n).unwrap();
    eprintln!(
        "what-if 30.000: D66 24 → {}, SP 9 → {}, VVD 34 → {}",
        big_row(D66).seats,
        big_row(SP).seats,
        big_row(VVD).seats
    );
    assert!(
        big.rows.iter().any(|r| r.seats != r.seats_before),
        "30.000 votes change a seat"
    );
    b.select("#f-van", &D66.to_string()).await;
    b.select("#f-naar", &SP.to_string()).await;
    b.fill("#f-aantal", "30000").await;
    b.click("form.form button[type=submit]").await;
    b.wait_for_path("aantal=30000").await;
    for p in [D66, SP, VVD] {
        let seats = b.text(&cell(p, 5)).await;
        assert_eq!(n(&seats), u64::from(big_row(p).seats), "seats of list {p}");
        if big_row(p).seats != big_row(p).seats_before {
            assert!(seats.contains('('), "the change is shown: {seats}");
        }
    }
    b.check_page("tk2021-wat-als-zetels").await;

    // Margins and the reform comparison.
    b.click(&format!("nav.subnav a[href='/verkiezingen/{ID}/marges']"))
        .await;
    b.wait_for_path("/marges").await;
    // Margins are computed in the background after the first load; the page says so until
    // they are ready (seconds in a release build, minutes in a debug build).
    let mut ready = false;
    for _ in 0..20 {
        let src = b.source().await;
        if src.contains("id=\"marges\"") {
            ready = true;
            break;
        }
        assert!(src.contains("worden nog berekend"), "margins notice");
        tokio::time::sleep(std::time::Duration::from_secs(3)).await;
        b.click(".notice a[href$='/marges']").await;
    }
    if !ready {
        eprintln!("margins still being computed (debug build): checked the notice only");
    }
    b.check_page("tk2021-marges").await;
    b.click(&format!(
        "nav.subnav a[href='/verkiezingen/{ID}/hervorming']"
    ))
    .await;
    b.wait_for_path("/hervorming").await;
    b.check_page("tk2021-hervorming").await;
    b.click(&format!(
        "nav.subnav a[href='/verkiezingen/{ID}/kandidaten']"
    ))
    .await;
    b.wait_for_path("/kandidaten").await;
    b.check_page("tk2021-kandidaten").await;

    // English.
    b.goto(&format!("/verkiezingen/{ID}/controle?lang=en"))
        .await;
    assert!(b.source().await.contains("equal to the official result"));
    b.check_page("tk2021-verification-en").await;
    b.goto(&format!("/verkiezingen/{ID}?lang=nl")).await;

    // A phone width.
    b.window_size(390, 844).await;
    b.goto(&format!("/verkiezingen/{ID}")).await;
    b.check_page("tk2021-uitslag-telefoon").await;
    b.goto(&format!("/verkiezingen/{ID}/controle")).await;
    b.check_page("tk2021-controle-telefoon").await;
    b.close().await;
}
