//! The public pages read the stored elections from memory, and that memory is never stale:
//! after every import, delete, re-import (a new version) and change made by another
//! connection (as `stembus import` in another process does), the home page, the elections
//! API, the search and the election's own pages show the database as it is.

use std::path::PathBuf;

use axum::http::StatusCode;
use webkit::Role;
use webkit::testing::TestApp;

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

const ID: &str = "gr2026-schiermonnikoog";

fn schiermonnikoog() -> Option<PathBuf> {
    shared_data("GR2026_Schiermonnikoog").map(|d| d.join("GR2026_Schiermonnikoog"))
}

/// Imports on a connection of its own (not through the app, so the app is not told).
fn import_elsewhere(app: &TestApp, dir: &PathBuf) {
    let other = webkit::Db::open(app.state().db().path()).unwrap();
    let summary = other
        .with(|c| web::import::import_paths(c, std::slice::from_ref(dir), "elders"))
        .unwrap();
    assert_eq!(summary.elections.len(), 1, "{summary:?}");
}

/// What the public read paths say about Schiermonnikoog: (home, API list, search, election).
async fn shown(app: &TestApp) -> (bool, bool, bool, StatusCode) {
    let home = app.get("/", None).await;
    assert_eq!(home.status, StatusCode::OK);
    let api = app.get("/api/elections", None).await;
    assert_eq!(api.status, StatusCode::OK);
    let search = app.get("/api/search?q=schiermonnikoog", None).await;
    assert_eq!(search.status, StatusCode::OK);
    let page = app.get(&format!("/verkiezingen/{ID}"), None).await;
    (
        home.body.contains(&format!("/verkiezingen/{ID}\"")),
        api.body.contains(&format!("\"id\":\"{ID}\"")),
        search.body.contains(&format!("/verkiezingen/{ID}\"")),
        page.status,
    )
}

#[tokio::test]
async fn home_api_and_search_follow_every_import_delete_and_reimport() {
    let Some(dir) = schiermonnikoog() else { return };
    let app = TestApp::new(vec![web::module()]);
    let beheer = app.login_as(Role::Beheer);
    // Warm every cache on the demo alone, twice (the second answer comes from memory).
    for _ in 0..2 {
        assert_eq!(
            shown(&app).await,
            (false, false, false, StatusCode::NOT_FOUND)
        );
    }
    let home_en = app.get("/?lang=en", None).await;
    assert!(home_en.body.contains("Election results"));

    // 1. Import by another connection: every page follows at once.
    import_elsewhere(&app, &dir);
    assert_eq!(shown(&app).await, (true, true, true, StatusCode::OK));
    assert!(app.get("/?lang=en", None).await.body.contains(ID));

    // 2. Delete through the app.
    let r = app
        .post_form(
            &format!("/verkiezingen/{ID}/verwijderen"),
            &beheer,
            &[("bevestigd", "ja")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    assert_eq!(
        shown(&app).await,
        (false, false, false, StatusCode::NOT_FOUND)
    );

    // 3. Import again, then again (version 2 of the same election), elsewhere.
    import_elsewhere(&app, &dir);
    assert_eq!(shown(&app).await, (true, true, true, StatusCode::OK));
    let before = app.get(&format!("/verkiezingen/{ID}"), None).await.body;
    import_elsewhere(&app, &dir);
    assert_eq!(shown(&app).await, (true, true, true, StatusCode::OK));
    let versions = app
        .get(&format!("/api/elections/{ID}/versions"), None)
        .await;
    assert!(versions.body.contains("\"version\":3"), "{}", versions.body);
    assert_eq!(
        app.get(&format!("/verkiezingen/{ID}"), None).await.body,
        before,
        "same files, same page"
    );

    // 4. A change to the stored status by another connection shows on the home page.
    let other = webkit::Db::open(app.state().db().path()).unwrap();
    other
        .with(|c| {
            c.execute(
                "UPDATE web_verifications SET status = 'mismatch' WHERE election_id = ?1",
                [ID],
            )
        })
        .unwrap();
    let home = app.get("/", None).await.body;
    let line = home
        .split("<li>")
        .find(|l| l.contains(ID))
        .unwrap_or_else(|| panic!("{home}"));
    assert!(
        line.contains(web::import::status_text(webkit::Lang::Nl, "mismatch")),
        "{line}"
    );

    // 5. Delete by another connection.
    other.with(|c| web::store::delete(c, ID)).unwrap();
    assert_eq!(
        shown(&app).await,
        (false, false, false, StatusCode::NOT_FOUND)
    );
}

#[tokio::test]
async fn demo_reset_and_area_figures_are_fresh() {
    let Some(dir) = schiermonnikoog() else { return };
    let app = TestApp::new(vec![web::module()]);
    let beheer = app.login_as(Role::Beheer);
    import_elsewhere(&app, &dir);
    // The griffier's figures of the gemeente come from memory after the first read.
    let unit = format!("/api/elections/{ID}/units/totaal");
    let first = app.get(&unit, None).await;
    assert_eq!(first.status, StatusCode::OK, "{}", first.body);
    assert_eq!(app.get(&unit, None).await.body, first.body);
    // Another connection changes a figure: the next read shows it.
    let other = webkit::Db::open(app.state().db().path()).unwrap();
    let changed = other
        .with(|c| {
            c.execute(
                "UPDATE web_unit_figures SET value = 424242 WHERE election_id = ?1 AND unit_id = 'totaal' AND code = 'toegelaten kiezers'",
                [ID],
            )?;
            // Figures are only ever written with their election; a real import raises the
            // generation through the election row, as this does.
            c.execute(
                "UPDATE web_elections SET description = description WHERE id = ?1",
                [ID],
            )
        })
        .unwrap();
    assert_eq!(changed, 1);
    let after = app.get(&unit, None).await.body;
    assert!(after.contains("424242"), "{after}");
    // Demo reset (through the app) keeps the import and recreates the demo.
    let home = app.get("/", None).await.body;
    assert!(home.contains("/verkiezingen/demo-tk\""), "{home}");
    other
        .with(|c| c.execute("DELETE FROM web_elections WHERE source = 'demo'", []))
        .unwrap();
    let home = app.get("/", None).await.body;
    assert!(!home.contains("/verkiezingen/demo-tk\""), "{home}");
    let r = app.post_form("/beheer/demo-herstellen", &beheer, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let home = app.get("/", None).await.body;
    assert!(home.contains("/verkiezingen/demo-tk\""), "{home}");
    assert!(home.contains(&format!("/verkiezingen/{ID}\"")), "{home}");
}

/// Elections imported before migration 0004 have no first names, and the store keeps no
/// source files to fill them in from: the candidate page says so, until a re-import.
#[tokio::test]
async fn candidates_page_says_first_names_are_missing_until_reimport() {
    let Some(dir) = schiermonnikoog() else { return };
    let app = TestApp::new(vec![web::module()]);
    import_elsewhere(&app, &dir);
    let page = format!("/verkiezingen/{ID}/kandidaten");
    let now = app.get(&page, None).await.body;
    assert!(now.contains("(Atze)"), "first names shown: {now}");
    assert!(!now.contains("Voornamen ontbreken"), "{now}");
    // As an import from before migration 0004 left it: no first names, imported earlier.
    let other = webkit::Db::open(app.state().db().path()).unwrap();
    other
        .with(|c| {
            c.execute(
                "UPDATE web_candidates SET first_name = NULL WHERE election_id = ?1",
                [ID],
            )?;
            c.execute(
                "UPDATE web_elections SET created_at = (SELECT applied_at - 86400 FROM schema_migrations
                     WHERE module = 'web' AND id = '0004_first_names') WHERE id = ?1",
                [ID],
            )
        })
        .unwrap();
    let old = app.get(&page, None).await.body;
    assert!(old.contains("Voornamen ontbreken"), "{old}");
    assert!(old.contains("kandidatenlijst (230b)"), "{old}");
    assert!(!old.contains("(Atze)"), "{old}");
    let en = app.get(&format!("{page}?lang=en"), None).await.body;
    assert!(en.contains("First names are missing"), "{en}");
    // The demo never carries the note.
    let demo = app.get("/verkiezingen/demo-tk/kandidaten", None).await.body;
    assert!(!demo.contains("Voornamen ontbreken"));
    // Reading the files in again brings the first names back, and the note goes.
    import_elsewhere(&app, &dir);
    let again = app.get(&page, None).await.body;
    assert!(again.contains("(Atze)"), "{again}");
    assert!(!again.contains("Voornamen ontbreken"), "{again}");
}
