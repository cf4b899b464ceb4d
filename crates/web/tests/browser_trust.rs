//! Issue 13 in headless Chromium, with real file choosers and clicks: TK2021 without its 520
//! (41 files in one upload) is a computed result on every page; the zip with the 520 makes
//! version 2 and the history page shows both; the GR2022 bundle gives a table that names the
//! three gemeenten not imported and why; deleting asks first. axe-core 0 violations and a
//! screenshot (under `target/screenshots/`) of every page.

use std::path::PathBuf;

use webkit::e2e::Browser;
use webkit::testing::{TEST_PASSWORD, TestApp};
use webkit::{Role, RoleGrant};

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

fn data(rel: &str) -> Option<PathBuf> {
    let p = shared_data(rel)?.join(rel);
    Some(p.canonicalize().unwrap_or(p))
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn import_without_520_reimport_history_and_bulk_table_in_chromium() {
    let (Some(eml), Some(zip), Some(gr)) = (
        data("TK2021/eml"),
        data("TK2021/EML_bestanden_TK2021_deel_1.zip"),
        data("GR2022/GR2022_shared.zip"),
    ) else {
        return;
    };
    let app = TestApp::new(vec![web::module()]);
    let Some(b) = Browser::start(app.app.router()).await else {
        return;
    };
    let name = app.user_name(&[RoleGrant {
        role: Role::Beheer,
        org: None,
    }]);
    b.login(&name, TEST_PASSWORD).await;

    // Election night: every TK2021 file except the 520, chosen together in one upload.
    let mut files: Vec<String> = std::fs::read_dir(&eml)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.ends_with(".eml.xml") && !n.starts_with("Resultaat_")
        })
        .map(|p| p.display().to_string())
        .collect();
    files.sort();
    assert_eq!(files.len(), 41);
    b.goto("/beheer/verkiezingen").await;
    b.upload("#f-bestand", std::path::Path::new(&files.join("\n")))
        .await;
    b.click("form[enctype] button[type=submit]").await;
    b.wait_for_path("/beheer/importen/").await;
    let src = b.source().await;
    assert!(src.contains("Ja, versie 1"));
    assert!(src.contains("Berekende uitslag — nog geen officiële uitslag"));
    assert!(src.contains("Totaaltelling_TK2021.eml.xml"), "files listed");
    b.check_page("trust-import-zonder-520").await;
    b.click("table#import-resultaat a[href='/verkiezingen/tk2021']")
        .await;
    b.wait_for_path("/verkiezingen/tk2021").await;
    let src = b.source().await;
    assert!(src.contains("Berekende uitslag — nog geen officiële uitslag"));
    assert!(src.contains("13.187.770"), "kiesgerechtigden of the 510d");
    b.check_page("trust-uitslag-zonder-520").await;
    b.click("nav.subnav a[href='/verkiezingen/tk2021/controle']")
        .await;
    b.wait_for_path("/controle").await;
    let src = b.source().await;
    assert!(!src.contains("VERSCHIL") && !src.contains("met een verschil"));
    assert!(src.contains("Zetels per lijst, berekend door Stembus"));
    b.check_page("trust-controle-zonder-520").await;

    // The 520 arrives: the zip makes version 2.
    b.goto("/beheer/verkiezingen").await;
    b.upload("#f-bestand", &zip).await;
    b.click("form[enctype] button[type=submit]").await;
    b.wait_for_path("/beheer/importen/").await;
    let src = b.source().await;
    assert!(src.contains("Ja, versie 2"), "a new version");
    assert!(src.contains("Anders dan versie 1"));
    b.click("table#import-resultaat a[href='/verkiezingen/tk2021/versies']")
        .await;
    b.wait_for_path("/versies").await;
    let src = b.source().await;
    assert!(src.contains("Anders dan versie 1: uitkomst was: Berekende uitslag"));
    assert!(
        src.replace("<wbr>", "")
            .contains(&web::versions::sha256_hex(&std::fs::read(&zip).unwrap()))
    );
    b.check_page("trust-versies").await;
    b.click("nav.subnav a[href='/verkiezingen/tk2021']").await;
    b.wait_for_path("/verkiezingen/tk2021").await;
    let src = b.source().await;
    assert!(src.contains("Gelijk aan de officiële uitslag"));
    assert!(!src.contains("nog geen officiële uitslag"));

    // A kieskring page: never above 100 %; a gemeente that reports 0 says "onbekend".
    b.goto("/verkiezingen/tk2021/gebied/kk10").await;
    let src = b.source().await;
    assert!(src.contains("726.342"), "Haarlem: the 510d's figure");
    b.check_page("trust-kieskring-haarlem").await;
    b.goto("/verkiezingen/tk2021/gebied/g0392").await;
    let src = b.source().await;
    assert!(src.contains("onbekend: het bestand meldt 0 kiesgerechtigden"));
    b.check_page("trust-gemeente-onbekend").await;

    // GR2022: one table for 181 elections; the three not imported are named with the reason.
    b.goto("/beheer/verkiezingen").await;
    b.upload("#f-bestand", &gr).await;
    b.click("form[enctype] button[type=submit]").await;
    b.wait_for_path("/beheer/importen/").await;
    let src = b.source().await;
    assert!(src.contains("Niet alles is ingelezen"));
    for g in ["Bloemendaal", "DeWolden", "Westerwolde"] {
        assert!(src.contains(&format!("GR2022_{g}")), "{g} is named");
    }
    assert!(
        src.contains("maar met fouten in de tellingen"),
        "De Bilt, Zutphen"
    );
    b.check_page("trust-bulk-tabel").await;
    b.goto("/verkiezingen/gr2022-debilt").await;
    assert!(b.source().await.contains("notice status-banner warning"));
    b.check_page("trust-debilt").await;

    // Delete asks first.
    b.goto("/beheer/verkiezingen").await;
    b.click("a[href='/verkiezingen/gr2022-debilt/verwijderen']")
        .await;
    b.wait_for_path("/verkiezingen/gr2022-debilt/verwijderen")
        .await;
    b.check_page("trust-verwijderen-vragen").await;
    b.click("form.form button[type=submit]").await;
    b.wait_for_path("/beheer/verkiezingen").await;
    assert!(!b.source().await.contains("gr2022-debilt/verwijderen"));

    // A phone width: the bulk table scrolls inside its region.
    b.window_size(375, 800).await;
    b.goto("/beheer/importen/3").await;
    b.check_page("trust-bulk-tabel-telefoon").await;
    b.close().await;
}
