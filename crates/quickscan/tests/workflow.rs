//! The trekker's safe buttons and forms (issue 12): every irreversible action needs a second
//! POST with `bevestigd=ja` (the server refuses without it), and a refused form comes back with
//! the input kept and the error next to its field.

use quickscan::model::{Day, OrgKind, ScanStatus};
use quickscan::store;
use quickscan::web::{Options, module};
use webkit::testing::{Session, TestApp};
use webkit::{Role, RoleGrant};

pub fn app() -> TestApp {
    let app = TestApp::new(vec![module(Options {
        public_url: Some(quickscan::links::PublicUrl::parse("http://test").unwrap()),
        public_per_minute: 1000,
        ..Options::default()
    })]);
    app.state()
        .db()
        .with(|c| store::upsert_org(c, "1", "Gemeente Een", OrgKind::Gemeente))
        .unwrap();
    app
}

fn trekker(app: &TestApp) -> Session {
    app.login(&[RoleGrant {
        role: Role::Trekker,
        org: Some("1".into()),
    }])
}

/// A scan with one maatwerkvraag and two respondents, in `status`.
fn scan(app: &TestApp, open: bool) -> (i64, String) {
    let id = app
        .state()
        .db()
        .with(|c| {
            let id = store::create_scan(c, "1", "Scan", None, Day::today())?;
            store::add_custom_item(
                c,
                id,
                "Ik ken de wijkwethouder.",
                "",
                quickscan::questionnaire::ItemKind::Scale {
                    scale: "eens5".into(),
                },
            )?;
            store::import_respondents(
                c,
                id,
                "Anna de Vries;anna@een.nl;raad\nBert;bert@een.nl;college\n",
            )?;
            if open {
                store::advance(c, id, ScanStatus::Open, Day::today())?;
            }
            Ok::<_, store::Error>(id)
        })
        .unwrap();
    (id, format!("/qs/1/scans/{id}"))
}

fn status(app: &TestApp, id: i64) -> ScanStatus {
    app.state()
        .db()
        .with(|c| store::scan(c, id))
        .unwrap()
        .status
}

#[tokio::test]
async fn closing_needs_confirmation() {
    let app = app();
    let t = trekker(&app);
    let (id, loc) = scan(&app, true);
    let r = app
        .post_form(&format!("{loc}/status"), &t, &[("to", "closed")])
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    assert!(r.body.contains("Vragenlijst sluiten?"));
    assert!(r.body.contains(r#"name="bevestigd" value="ja""#));
    assert!(r.body.contains("Ja, vragenlijst sluiten"));
    assert_eq!(
        status(&app, id),
        ScanStatus::Open,
        "not closed on one click"
    );
    // a wrong value is no confirmation either
    app.post_form(
        &format!("{loc}/status"),
        &t,
        &[("to", "closed"), ("bevestigd", "1")],
    )
    .await;
    assert_eq!(status(&app, id), ScanStatus::Open);
    let r = app
        .post_form(
            &format!("{loc}/status"),
            &t,
            &[("to", "closed"), ("bevestigd", "ja")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    assert_eq!(status(&app, id), ScanStatus::Closed);
}

#[tokio::test]
async fn forgetting_and_removing_need_confirmation() {
    let app = app();
    let t = trekker(&app);
    let (id, loc) = scan(&app, false);
    let invs = app
        .state()
        .db()
        .with(|c| store::invitations(c, id))
        .unwrap();
    let anna = invs
        .iter()
        .find(|i| i.name.as_deref() == Some("Anna de Vries"))
        .unwrap()
        .id;
    let path = format!("{loc}/respondenten/{anna}/vergeten");
    let r = app.post_form(&path, &t, &[]).await;
    assert_eq!(r.status.as_u16(), 200);
    assert!(r.body.contains("Gegevens wissen van Anna de Vries?"));
    let still = |app: &TestApp| {
        app.state()
            .db()
            .with(|c| store::invitations(c, id))
            .unwrap()
            .iter()
            .any(|i| i.email.as_deref() == Some("anna@een.nl"))
    };
    assert!(still(&app), "not forgotten on one click");
    let r = app.post_form(&path, &t, &[("bevestigd", "ja")]).await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    assert!(!still(&app));

    let path = format!("{loc}/maatwerk/maatwerk_1/verwijderen");
    let r = app.post_form(&path, &t, &[]).await;
    assert_eq!(r.status.as_u16(), 200);
    assert!(r.body.contains("Ik ken de wijkwethouder."));
    let n = |app: &TestApp| {
        app.state()
            .db()
            .with(|c| store::custom_items(c, id))
            .unwrap()
            .len()
    };
    assert_eq!(n(&app), 1, "not removed on one click");
    app.post_form(&path, &t, &[("bevestigd", "ja")]).await;
    assert_eq!(n(&app), 0);
}

#[tokio::test]
async fn mail_needs_confirmation() {
    let app = app();
    let t = trekker(&app);
    let (id, loc) = scan(&app, true);
    let sent = |app: &TestApp| {
        app.state()
            .db()
            .with(|c| store::outbox(c, id))
            .unwrap()
            .len()
    };
    let r = app.post_form(&format!("{loc}/uitnodigen"), &t, &[]).await;
    assert_eq!(r.status.as_u16(), 200);
    assert!(r.body.contains("uitnodiging aan 2 mensen"), "{}", r.body);
    assert_eq!(sent(&app), 0, "no mail on one click");
    let r = app
        .post_form(&format!("{loc}/uitnodigen"), &t, &[("bevestigd", "ja")])
        .await;
    assert!(r.body.contains("2 verstuurd"), "{}", r.body);
    let r = app.post_form(&format!("{loc}/herinneren"), &t, &[]).await;
    assert!(r.body.contains("herinnering aan 2 mensen"), "{}", r.body);
    assert_eq!(sent(&app), 2);
}

#[tokio::test]
async fn refused_maatwerk_comes_back_inline_with_the_input() {
    let app = app();
    let t = trekker(&app);
    let (id, loc) = scan(&app, false);
    let r = app
        .post_form(
            &format!("{loc}/maatwerk"),
            &t,
            &[
                ("text_nl", "Welke wijk is de uwe?"),
                ("kind", "choice"),
                ("options", "Noord"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    assert!(r.body.contains("class=\"error-summary\""));
    assert!(r.body.contains("href=\"#f-options\""));
    assert!(r.body.contains("aria-invalid=\"true\""));
    assert!(r.body.contains("aria-describedby=\"f-options-error\""));
    assert!(r.body.contains("2 tot 10 antwoorden"));
    assert!(
        r.body.contains("value=\"Welke wijk is de uwe?\""),
        "input kept"
    );
    assert!(r.body.contains(">Noord</textarea>"), "options kept");
    assert!(
        r.body
            .contains(r#"type="radio" id="f-kind-2" name="kind" value="choice" checked"#)
    );
    let n = app
        .state()
        .db()
        .with(|c| store::custom_items(c, id))
        .unwrap()
        .len();
    assert_eq!(n, 1);
    // an empty question names the question field
    let r = app
        .post_form(&format!("{loc}/maatwerk"), &t, &[("kind", "scale")])
        .await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.body.contains("href=\"#f-text_nl\""));
}

#[tokio::test]
async fn refused_settings_come_back_inline() {
    let app = app();
    let t = trekker(&app);
    let (id, loc) = scan(&app, false);
    let r = app
        .post_form(
            &format!("{loc}/instellingen"),
            &t,
            &[("min_group", "3"), ("retention_days", "veel")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    assert!(r.body.contains("href=\"#f-retention_days\""));
    assert!(r.body.contains("value=\"veel\""), "input kept");
    assert!(r.body.contains("value=\"3\""));
    let r = app
        .post_form(
            &format!("{loc}/instellingen"),
            &t,
            &[("min_group", "3"), ("retention_days", "30")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.body.contains("href=\"#f-min_group\""));
    assert!(r.body.contains("tussen 5 en 1000"));
    let s = app.state().db().with(|c| store::scan(c, id)).unwrap();
    assert_eq!((s.min_group, s.retention_days), (5, 92), "nothing changed");
    let r = app
        .post_form(
            &format!("{loc}/instellingen"),
            &t,
            &[("min_group", " 7 "), ("retention_days", "30")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
}

#[tokio::test]
async fn refused_respondents_come_back_in_the_text_field() {
    let app = app();
    let t = trekker(&app);
    let (_, loc) = scan(&app, false);
    let csv = "Carla;carla@een.nl;raad\nDirk;geen-adres;college\n";
    let r = app
        .post_form(&format!("{loc}/respondenten"), &t, &[("csv", csv)])
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    assert!(r.body.contains("regel 2: e-mailadres klopt niet"));
    assert!(r.body.contains("href=\"#f-csv\""));
    assert!(r.body.contains("Dirk;geen-adres;college"), "list kept");
    assert!(r.body.contains("aria-invalid=\"true\""));
}

#[tokio::test]
async fn confirmation_pages_still_check_the_organisation() {
    let app = app();
    app.state()
        .db()
        .with(|c| store::upsert_org(c, "2", "Gemeente Twee", OrgKind::Gemeente))
        .unwrap();
    let (id, _) = scan(&app, true);
    let other = app.login(&[RoleGrant {
        role: Role::Trekker,
        org: Some("2".into()),
    }]);
    let r = app
        .post_form(
            &format!("/qs/2/scans/{id}/status"),
            &other,
            &[("to", "closed")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 404);
    let r = app
        .post_form(
            &format!("/qs/2/scans/{id}/respondenten/1/vergeten"),
            &other,
            &[],
        )
        .await;
    assert_eq!(r.status.as_u16(), 404);
}

fn counts(app: &TestApp, id: i64) -> (i64, i64, i64) {
    app.state()
        .db()
        .with(|c| {
            store::open_answers(c)?;
            let q = |sql: &str| c.query_row(sql, [id], |r| r.get::<_, i64>(0));
            Ok::<_, store::Error>((
                q("SELECT COUNT(*) FROM qa.qs_response WHERE scan_id = ?1")?,
                q("SELECT COUNT(*) FROM qs_draft WHERE scan_id = ?1")?,
                q("SELECT COUNT(*) FROM qs_daily WHERE scan_id = ?1")?,
            ))
        })
        .unwrap()
}

#[tokio::test]
async fn preview_shows_everything_and_saves_nothing() {
    let app = app();
    let t = trekker(&app);
    let (id, loc) = scan(&app, true);
    let q = quickscan::questionnaire::default_questionnaire();
    let dash = app.get(&loc, Some(&t)).await;
    assert!(
        dash.body
            .contains(&format!("href=\"{loc}/voorbeeld/raad\""))
    );
    for g in ["raad", "college", "ambtenaren", "inwoners"] {
        let r = app.get(&format!("{loc}/voorbeeld/{g}"), Some(&t)).await;
        assert_eq!(r.status.as_u16(), 200, "{g}");
        assert!(r.body.contains("er wordt niets opgeslagen"));
        assert!(
            r.body.contains("Ik ken de wijkwethouder."),
            "maatwerk shown"
        );
        let steps = q.themes.len() + 1;
        assert!(r.body.contains(&format!("Stap {steps} van {steps}")), "{g}");
        let main = &r.body[r.body.find("<main").unwrap()..r.body.find("</main>").unwrap()];
        assert!(!main.contains("<form"), "{g}: nothing can be posted");
    }
    // group wording: an item worded for the raad shows that wording
    let (item, text) = q
        .items()
        .find_map(|(_, i)| {
            i.group_text
                .get(&quickscan::model::Group::Raad)
                .map(|t| (i.key.clone(), t.nl.clone()))
        })
        .expect("an item with raad wording");
    let raad = app.get(&format!("{loc}/voorbeeld/raad"), Some(&t)).await;
    let first = text.split('{').next().unwrap();
    assert!(raad.body.contains(first), "{item}: {first}");
    assert_eq!(counts(&app, id), (0, 0, 0), "nothing written");
    let invs = app
        .state()
        .db()
        .with(|c| store::invitations(c, id))
        .unwrap();
    assert!(
        invs.iter()
            .all(|i| i.status == store::InvitationStatus::NotStarted)
    );
    let r = app
        .get(&format!("{loc}/voorbeeld/burgemeester"), Some(&t))
        .await;
    assert_eq!(r.status.as_u16(), 404);
    let commissie = app.login(&[RoleGrant {
        role: Role::Commissie,
        org: Some("1".into()),
    }]);
    let r = app
        .get(&format!("{loc}/voorbeeld/raad"), Some(&commissie))
        .await;
    assert_eq!(r.status.as_u16(), 403);
}

#[tokio::test]
async fn blank_paper_form_per_group() {
    let app = app();
    let t = trekker(&app);
    let (id, loc) = scan(&app, true);
    let r = app
        .get(
            &format!(
                "{loc}/papier/inwoners/formulier?retour=Balie+gemeentehuis&uiterlijk=15+maart"
            ),
            Some(&t),
        )
        .await;
    assert_eq!(r.status.as_u16(), 200);
    for want in [
        "Quick Scan Lokale Democratie — Gemeente Een",
        "Vragenlijst voor <strong>inwoners</strong>",
        "Inleveren bij: <strong>Balie gemeentehuis</strong>",
        "Uiterlijk: <strong>15 maart</strong>",
        "Ik ken de wijkwethouder.",
        "class=\"qs-box\"",
        "class=\"qs-line\"",
        "Schrijf uw naam niet op het formulier",
        "/qs/static/papier.css",
    ] {
        assert!(r.body.contains(want), "{want}");
    }
    let css = app.get("/qs/static/papier.css", None).await;
    assert!(css.body.contains("size:A4"));
    assert!(css.body.contains("@media print"));
    assert_eq!(counts(&app, id), (0, 0, 0));
    let r = app
        .get(&format!("{loc}/papier/iedereen/formulier"), Some(&t))
        .await;
    assert_eq!(r.status.as_u16(), 404);
}

#[tokio::test]
async fn refused_paper_entry_comes_back_with_the_answers() {
    let app = app();
    let t = trekker(&app);
    let (id, loc) = scan(&app, true);
    // nothing filled in
    let r = app
        .post_form(&format!("{loc}/papier"), &t, &[("_group", "ambtenaren")])
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    assert!(r.body.contains("Vul minstens één antwoord in"));
    assert!(r.body.contains("href=\"#f-_group\""));
    assert!(
        r.body
            .contains(r#"type="radio" name="_group" value="ambtenaren" checked"#)
    );
    assert_eq!(counts(&app, id).0, 0);
    // filled in: first a check page, nothing stored yet
    let form = [("_group", "ambtenaren"), ("maatwerk_1", "4")];
    let r = app.post_form(&format!("{loc}/papier"), &t, &form).await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    assert!(r.body.contains("Klopt dit?"));
    assert!(r.body.contains("Ik ken de wijkwethouder."));
    assert!(
        r.body
            .contains(r#"type="hidden" name="maatwerk_1" value="4""#)
    );
    assert_eq!(counts(&app, id).0, 0, "not stored before the check");
    // "Terug en verbeteren": the form again, answers kept, still nothing stored
    let r = app
        .post_form(
            &format!("{loc}/papier"),
            &t,
            &[form[0], form[1], ("bevestigd", "nee")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 200);
    assert!(r.body.contains(r#"name="maatwerk_1" value="4" checked"#));
    assert_eq!(counts(&app, id).0, 0);
    let r = app
        .post_form(
            &format!("{loc}/papier"),
            &t,
            &[form[0], form[1], ("bevestigd", "ja")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    assert_eq!(counts(&app, id).0, 1);
    let r = app.get(r.location().unwrap(), Some(&t)).await;
    assert!(r.body.contains("De papieren vragenlijst is opgeslagen."));
}

#[tokio::test]
async fn new_pages_role_matrix() {
    let app = app();
    app.state()
        .db()
        .with(|c| store::upsert_org(c, "2", "Gemeente Twee", OrgKind::Gemeente))
        .unwrap();
    let (id, loc) = scan(&app, false);
    let login = |role: Role, org: &str| {
        app.login(&[RoleGrant {
            role,
            org: Some(org.into()),
        }])
    };
    // anonymous, trekker, begeleider, commissie, trekker of another organisation
    let sessions = [
        None,
        Some(login(Role::Trekker, "1")),
        Some(login(Role::Begeleider, "1")),
        Some(login(Role::Commissie, "1")),
        Some(login(Role::Trekker, "2")),
    ];
    for (path, allowed) in [
        (
            format!("{loc}/overnemen"),
            [false, true, true, false, false],
        ),
        (
            format!("{loc}/voorbeeld/raad"),
            [false, true, true, false, false],
        ),
        (
            format!("{loc}/papier/inwoners/formulier"),
            [false, true, true, false, false],
        ),
        (format!("{loc}/papier"), [false, true, false, false, false]),
    ] {
        for (i, s) in sessions.iter().enumerate() {
            let r = app.get(&path, s.as_ref()).await;
            assert_eq!(
                r.status.is_success(),
                allowed[i],
                "{path} as {i}: {}",
                r.status
            );
        }
    }
    // another organisation's trekker does not reach the scan through its own path either
    let r = app
        .get(
            &format!("/qs/2/scans/{id}/voorbeeld/raad"),
            sessions[4].as_ref(),
        )
        .await;
    assert_eq!(r.status.as_u16(), 404);
}
