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
        mail: quickscan::mail::MailConfig::Outbox,
        base_url: "http://test".into(),
        public_per_minute: 1000,
        retention_every: std::time::Duration::from_hours(24),
        public_challenge: false,
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
