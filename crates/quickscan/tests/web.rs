//! Web tests on webkit: the full trekker/respondent flow and the route × role matrix.

#![allow(
    clippy::format_push_string,
    clippy::cast_possible_truncation,
    clippy::too_many_lines,
    clippy::unreadable_literal,
    clippy::cast_precision_loss
)]

use quickscan::model::{Day, Group, OrgKind, ScanStatus};
use quickscan::store;
use quickscan::web::{Options, module};
use webkit::testing::{Session, TestApp};
use webkit::{Role, RoleGrant};

fn app() -> TestApp {
    let app = TestApp::new(vec![module(Options {
        public_url: Some(quickscan::links::PublicUrl::parse("http://test").unwrap()),
        public_per_minute: 1000,
        ..Options::default()
    })]);
    app.state()
        .db()
        .with(|c| store::upsert_org(c, "1", "Gemeente Een", OrgKind::Gemeente))
        .unwrap();
    app.state()
        .db()
        .with(|c| store::upsert_org(c, "2", "Provincie Twee", OrgKind::Provincie))
        .unwrap();
    app
}

fn as_role(app: &TestApp, role: Role, org: &str) -> Session {
    app.login(&[RoleGrant {
        role,
        org: Some(org.into()),
    }])
}

#[tokio::test]
async fn mutating_routes_security_matrix() {
    let app = app();
    let n = app.assert_security_matrix().await;
    assert!(n >= 20, "{n} routes");
}

#[tokio::test]
async fn read_routes_role_matrix() {
    let app = app();
    let scan = app
        .state()
        .db()
        .with(|c| {
            let id = store::create_scan(c, "1", "Scan", None, Day::today())?;
            store::advance(c, id, ScanStatus::Open, Day::today())?;
            store::advance(c, id, ScanStatus::Closed, Day::today())?;
            Ok::<_, store::Error>(id)
        })
        .unwrap();
    // a second scan whose report is vastgesteld
    let done = app
        .state()
        .db()
        .with(|c| {
            let id = store::create_scan(c, "1", "Vastgesteld", None, Day::today())?;
            store::advance(c, id, ScanStatus::Open, Day::today())?;
            store::advance(c, id, ScanStatus::Closed, Day::today())?;
            store::advance(c, id, ScanStatus::Report, Day::today())?;
            Ok::<_, store::Error>(id)
        })
        .unwrap();
    let routes = [
        ("/qs/1", [false, true, true, true, true, false]),
        ("/qs/1/logboek", [false, true, true, true, false, false]),
        (
            &*format!("/qs/1/scans/{scan}"),
            [false, true, true, true, false, false],
        ),
        (
            &*format!("/qs/1/scans/{scan}/outbox"),
            [false, true, true, false, false, false],
        ),
        (
            &*format!("/qs/1/scans/{scan}/papier"),
            [false, true, true, false, false, false],
        ),
        (
            &*format!("/qs/1/scans/{scan}/open-antwoorden"),
            [false, true, true, false, false, false],
        ),
        (
            &*format!("/qs/1/scans/{scan}/vaststellen"),
            [false, true, true, false, false, false],
        ),
        (
            &*format!("/qs/1/scans/{scan}/rapport"),
            [false, true, true, false, false, false],
        ),
        (
            &*format!("/qs/1/scans/{done}/rapport"),
            [false, true, true, true, true, false],
        ),
        (
            &*format!("/qs/1/scans/{scan}/rapport.csv"),
            [false, true, true, false, false, false],
        ),
        (
            &*format!("/qs/1/scans/{done}/rapport.csv"),
            [false, true, true, true, true, false],
        ),
        (
            &*format!("/qs/1/scans/{scan}/rapport-excel.csv"),
            [false, true, true, false, false, false],
        ),
        (
            &*format!("/qs/1/scans/{scan}/rapport.pdf"),
            [false, true, true, false, false, false],
        ),
        (
            &*format!("/qs/1/scans/{done}/rapport.pdf"),
            [false, true, true, true, true, false],
        ),
        (
            &*format!("/qs/1/scans/{scan}/agenda"),
            [false, true, true, false, false, false],
        ),
        (
            &*format!("/qs/1/scans/{done}/agenda"),
            [false, true, true, true, true, false],
        ),
        (
            &*format!("/qs/1/scans/{scan}/agenda.csv"),
            [false, true, true, false, false, false],
        ),
        (
            &*format!("/qs/1/scans/{done}/agenda.csv"),
            [false, true, true, true, true, false],
        ),
    ]
    .map(|(p, a)| (p.to_string(), a));
    let who = [
        "anoniem",
        "beheer",
        "trekker",
        "begeleider",
        "commissie",
        "trekker andere org",
    ];
    for (path, allowed) in &routes {
        let sessions = [
            None,
            Some(app.login_as(Role::Beheer)),
            Some(as_role(&app, Role::Trekker, "1")),
            Some(as_role(&app, Role::Begeleider, "1")),
            Some(as_role(&app, Role::Commissie, "1")),
            Some(as_role(&app, Role::Trekker, "2")),
        ];
        for (i, s) in sessions.iter().enumerate() {
            let r = app.get(path, s.as_ref()).await;
            let ok = r.status.is_success();
            assert_eq!(ok, allowed[i], "{path} as {}: {}", who[i], r.status);
        }
    }
    // a trekker of org 2 cannot reach org 1's scan through org 2's path either
    let t2 = as_role(&app, Role::Trekker, "2");
    let r = app.get(&format!("/qs/2/scans/{scan}"), Some(&t2)).await;
    assert_eq!(r.status.as_u16(), 404);
    let r = app
        .post_form(
            &format!("/qs/2/scans/{scan}/status"),
            &t2,
            &[("to", "report")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 404);
}

fn extract(body: &str, prefix: &str) -> String {
    let i = body
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix} not in page"));
    body[i + prefix.len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

async fn answer_all(app: &TestApp, s: &Session, base: &str, value: &str) {
    for step in 1..=8 {
        let page = app.get(&format!("{base}/stap/{step}"), Some(s)).await;
        assert!(
            page.status.is_success(),
            "{base} step {step}: {}",
            page.status
        );
        assert!(page.body.contains(&format!("Stap {step} van 8")));
        let r = app
            .post_form(
                &format!("{base}/stap/{step}"),
                s,
                &[
                    ("part_weten", value),
                    ("inv_raad", value),
                    ("maatwerk_1", "3"),
                    ("maatwerk_2", "Meer buurtavonden"),
                    ("ga", "volgende"),
                ],
            )
            .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    }
    let sum = app.get(&format!("{base}/controle"), Some(s)).await;
    assert!(sum.body.contains("Versturen"));
    let r = app.post_form(&format!("{base}/versturen"), s, &[]).await;
    assert!(
        r.location()
            .is_some_and(|l| l.starts_with("/vragenlijst/bedankt/")),
        "{}",
        r.body
    );
}

#[tokio::test]
async fn full_flow() {
    let app = app();
    let t = as_role(&app, Role::Trekker, "1");
    let r = app
        .post_form("/qs/1/scans", &t, &[("title", "Nulmeting 2025")])
        .await;
    let loc = r.location().unwrap().to_string();
    let scan: i64 = loc.rsplit('/').next().unwrap().parse().unwrap();
    for (text, kind) in [
        ("Ik ken de wijkwethouder.", "scale"),
        ("Wat moet er in uw wijk beter?", "open"),
    ] {
        let r = app
            .post_form(
                &format!("{loc}/maatwerk"),
                &t,
                &[("text_nl", text), ("kind", kind)],
            )
            .await;
        assert_eq!(r.status.as_u16(), 303);
    }
    let mut csv = String::from("naam;email;groep\n");
    for i in 0..5 {
        csv.push_str(&format!("R{i};r{i}@een.nl;raad\n"));
    }
    for i in 0..2 {
        csv.push_str(&format!("C{i};c{i}@een.nl;college\n"));
    }
    for i in 0..5 {
        csv.push_str(&format!("A{i};a{i}@een.nl;ambtenaren\n"));
    }
    let r = app
        .post_form(&format!("{loc}/respondenten"), &t, &[("csv", &csv)])
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    app.post_form(&format!("{loc}/status"), &t, &[("to", "open")])
        .await;
    let r = app
        .post_form(&format!("{loc}/uitnodigen"), &t, &[("bevestigd", "ja")])
        .await;
    assert!(r.body.contains("12 verstuurd"), "{}", r.body);
    let invs = app
        .state()
        .db()
        .with(|c| store::invitations(c, scan))
        .unwrap();
    // raad and ambtenaren answer via personal links; one college member too
    let anon = TestApp::anonymous();
    let mut done = 0;
    for inv in invs
        .iter()
        .filter(|i| i.group != Group::College || i.name.as_deref() == Some("C0"))
    {
        let id = inv.id;
        let token = app.state().db().with(|c| store::issue_link(c, id)).unwrap();
        let base = format!("/vragenlijst/i/{token}");
        answer_all(&app, &anon, &base, "4").await;
        done += 1;
    }
    assert_eq!(done, 11);
    // inwoners via the public link; one saves halfway and resumes with the code
    let public = app
        .state()
        .db()
        .with(|c| store::scan(c, scan))
        .unwrap()
        .public_code;
    for i in 0..6 {
        let r = app
            .post_form(&format!("/vragenlijst/p/{public}"), &anon, &[])
            .await;
        let loc = r.location().unwrap().to_string();
        let base = loc.trim_end_matches("/stap/1").to_string();
        if i == 0 {
            let r = app
                .post_form(
                    &format!("{base}/stap/1"),
                    &anon,
                    &[("part_weten", "2"), ("ga", "opslaan")],
                )
                .await;
            assert!(r.body.contains("Uw antwoorden zijn opgeslagen"));
            let code = extract(&r.body, "<p class=\"qs-code\">");
            let r = app
                .post_form(
                    "/vragenlijst/code",
                    &anon,
                    &[("code", &code.to_lowercase())],
                )
                .await;
            let resumed = r.location().unwrap().to_string();
            let page = app.get(&resumed, Some(&anon)).await;
            assert!(
                page.body.contains("value=\"2\" checked"),
                "saved answer restored"
            );
        }
        answer_all(&app, &anon, &base, "2").await;
    }
    // reminders: only the one unfinished college member
    let r = app
        .post_form(&format!("{loc}/herinneren"), &t, &[("bevestigd", "ja")])
        .await;
    assert!(r.body.contains("1 verstuurd"), "{}", r.body);
    let outbox = app.state().db().with(|c| store::outbox(c, scan)).unwrap();
    let reminders: Vec<_> = outbox
        .iter()
        .filter(|m| m.subject.starts_with("Herinnering"))
        .collect();
    assert_eq!(reminders.len(), 1);
    assert_eq!(reminders[0].to, "c1@een.nl");
    // close and report
    app.post_form(
        &format!("{loc}/status"),
        &t,
        &[("to", "closed"), ("bevestigd", "ja")],
    )
    .await;
    let rep = app.get(&format!("{loc}/rapport"), Some(&t)).await;
    assert!(rep.status.is_success());
    assert!(
        rep.body
            .contains("Van collegeleden vulden minder dan 5 mensen de vragenlijst zelf in")
    );
    assert!(
        rep.body.contains("Groepen verschillen"),
        "raad vs inwoners gap"
    );
    assert!(rep.body.contains("Meer buurtavonden"));
    let csv = app.get(&format!("{loc}/rapport.csv"), Some(&t)).await.body;
    assert!(
        !csv.lines()
            .any(|l| l.contains("Collegeleden") && !l.starts_with("respons"))
    );
    let cm = as_role(&app, Role::Commissie, "1");
    let r = app.get(&format!("{loc}/rapport"), Some(&cm)).await;
    assert_eq!(r.status.as_u16(), 403, "concept: not for the commissie");
    let r = app.post_form(&format!("{loc}/vaststellen"), &t, &[]).await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    for (title, owner) in [
        ("Participatieverordening opstellen", "Griffie"),
        ("Uitleg raadsbesluiten in B1", "Communicatie"),
    ] {
        let r = app
            .post_form(
                &format!("{loc}/agenda"),
                &t,
                &[
                    ("title", title),
                    ("owner", owner),
                    ("priority", "1"),
                    ("deadline", "2026-06-30"),
                ],
            )
            .await;
        assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    }
    let agenda = app.get(&format!("{loc}/agenda"), Some(&cm)).await;
    assert!(
        agenda.body.contains("Participatieverordening opstellen")
            && agenda.body.contains("Commentaar plaatsen")
    );
    let audit = app.get("/qs/1/logboek", Some(&t)).await.body;
    assert!(audit.contains("actiepunt toegevoegd") && !audit.contains("buurtavonden"));
}

/// The menu shows "Quick Scan" only to those for whom it leads somewhere (issue 13: it sent
/// anonymous visitors to a 401 page), and the Dutch-only Quick Scan has no English toggle.
#[tokio::test]
async fn menu_shows_quick_scan_only_to_its_roles_and_pages_stay_dutch() {
    let app = app();
    let link = r#"<a href="/qs">Quick Scan</a>"#;
    let r = app.get("/login", None).await;
    assert!(
        !r.body.contains(link),
        "anonymous: no Quick Scan in the menu"
    );
    assert_eq!(app.get("/qs", None).await.status.as_u16(), 401);
    let trekker = as_role(&app, Role::Trekker, "1");
    assert!(app.get("/login", Some(&trekker)).await.body.contains(link));
    let beheer = app.login_as(Role::Beheer);
    assert!(app.get("/login", Some(&beheer)).await.body.contains(link));

    let r = app.get("/vragenlijst/code?lang=en", None).await;
    assert!(
        r.body.contains(r#"<html lang="nl">"#),
        "Dutch text, Dutch lang"
    );
    assert!(
        !r.body.contains("lang-toggle"),
        "no toggle to an English that is not there"
    );
    // Pages that do have English keep the toggle.
    assert!(app.get("/login", None).await.body.contains("lang-toggle"));
}
