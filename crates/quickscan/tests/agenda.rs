//! The verbeteragenda (issue 12): items edited, removed only after confirmation, linked to the
//! report's findings (theme or item keys), and the report's theme shows "Op de verbeteragenda".

use quickscan::model::{Day, OrgKind, ScanStatus};
use quickscan::store::{self, NewAgendaItem};
use rusqlite::Connection;
use webkit::testing::{Session, TestApp};
use webkit::{Role, RoleGrant};

fn report_scan(c: &Connection) -> i64 {
    let id = store::create_scan(c, "1", "Nulmeting", None, Day::today()).unwrap();
    for to in [ScanStatus::Open, ScanStatus::Closed, ScanStatus::Report] {
        store::advance(c, id, to, Day::today()).unwrap();
    }
    id
}

fn item<'a>(title: &'a str, owner: &'a str) -> NewAgendaItem<'a> {
    NewAgendaItem {
        priority: 1,
        title,
        description: "",
        owner,
        deadline: None,
    }
}

#[test]
fn items_are_edited_linked_and_removed() {
    let c = Connection::open_in_memory().unwrap();
    store::migrate(&c).unwrap();
    store::upsert_org(&c, "1", "Gemeente Een", OrgKind::Gemeente).unwrap();
    let scan = report_scan(&c);
    let choices = store::finding_choices(&c, scan).unwrap();
    let themes: Vec<&str> = choices
        .iter()
        .filter(|c| c.2)
        .map(|c| c.0.as_str())
        .collect();
    assert!(themes.len() >= 7, "{themes:?}");
    let first_item = choices.iter().find(|c| !c.2).unwrap().0.clone();

    let id = store::add_agenda_item(&c, scan, &item("Spreekuur", "Griffie")).unwrap();
    store::add_agenda_note(&c, scan, id, "T", "voortgang", "Gestart").unwrap();
    // findings kept in the questionnaire's order, whatever order they came in
    store::set_agenda_findings(
        &c,
        scan,
        id,
        &[
            themes[2].to_owned(),
            first_item.clone(),
            themes[0].to_owned(),
        ],
    )
    .unwrap();
    let it = &store::agenda(&c, scan).unwrap()[0];
    assert_eq!(
        it.findings,
        vec![
            themes[0].to_owned(),
            first_item.clone(),
            themes[2].to_owned()
        ]
    );
    let by = store::agenda_by_finding(&c, scan).unwrap();
    assert_eq!(by[themes[2]], vec![(id, "Spreekuur".to_owned())]);
    // unknown keys are refused and change nothing
    assert!(matches!(
        store::set_agenda_findings(&c, scan, id, &["bestaat_niet".into()]),
        Err(store::Error::Invalid(_))
    ));
    assert_eq!(store::agenda(&c, scan).unwrap()[0].findings.len(), 3);

    let mut new = item("Spreekuur in de wijk", "Presidium");
    new.priority = 2;
    new.deadline = Day::parse("2026-06-30");
    store::update_agenda_item(&c, scan, id, &new).unwrap();
    let it = &store::agenda(&c, scan).unwrap()[0];
    assert_eq!(
        (it.title.as_str(), it.owner.as_str(), it.priority),
        ("Spreekuur in de wijk", "Presidium", 2)
    );
    assert_eq!(it.deadline, Day::parse("2026-06-30"));
    assert_eq!(it.notes.len(), 1, "notes stay after an edit");
    assert!(matches!(
        store::update_agenda_item(&c, scan, id, &item("", "Griffie")),
        Err(store::Error::Invalid(_))
    ));
    assert!(matches!(
        store::update_agenda_item(&c, scan, 999, &item("X", "Y")),
        Err(store::Error::NotFound)
    ));
    // another scan's item cannot be changed or removed through this scan
    let other = report_scan(&c);
    assert!(matches!(
        store::delete_agenda_item(&c, other, id),
        Err(store::Error::NotFound)
    ));

    store::delete_agenda_item(&c, scan, id).unwrap();
    assert!(store::agenda(&c, scan).unwrap().is_empty());
    let left: i64 = c
        .query_row(
            "SELECT (SELECT COUNT(*) FROM qs_agenda_note) + (SELECT COUNT(*) FROM qs_agenda_finding)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(left, 0, "notes and links removed with the item");
}

fn app() -> (TestApp, Session, i64) {
    let app = TestApp::new(vec![quickscan::web::module(quickscan::web::Options {
        public_url: Some(quickscan::links::PublicUrl::parse("http://test").unwrap()),
        public_per_minute: 1000,
        ..quickscan::web::Options::default()
    })]);
    let scan = app
        .state()
        .db()
        .with(|c| {
            store::upsert_org(c, "1", "Gemeente Een", OrgKind::Gemeente)?;
            Ok::<_, store::Error>(report_scan(c))
        })
        .unwrap();
    let t = app.login(&[RoleGrant {
        role: Role::Trekker,
        org: Some("1".into()),
    }]);
    (app, t, scan)
}

fn first_theme(app: &TestApp, scan: i64) -> (String, String) {
    let ch = app
        .state()
        .db()
        .with(|c| store::finding_choices(c, scan))
        .unwrap();
    (ch[0].0.clone(), ch[0].1.clone())
}

#[tokio::test]
async fn refused_item_comes_back_inline_with_the_input() {
    let (app, t, scan) = app();
    let (theme, _) = first_theme(&app, scan);
    let base = format!("/qs/1/scans/{scan}/agenda");
    let r = app
        .post_form(
            &base,
            &t,
            &[
                ("title", "Raadsleden op wijkbezoek"),
                ("owner", ""),
                ("deadline", "31-12-2026"),
                ("priority", "1"),
                ("bevinding", &theme),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 422, "{}", r.body);
    assert!(r.body.contains("class=\"error-summary\""));
    assert!(r.body.contains("href=\"#f-owner\""));
    assert!(r.body.contains("href=\"#f-deadline\""));
    assert!(
        r.body
            .contains("aria-describedby=\"f-owner-hint f-owner-error\"")
    );
    assert!(
        r.body.contains("value=\"Raadsleden op wijkbezoek\""),
        "title kept"
    );
    assert!(r.body.contains("value=\"31-12-2026\""), "deadline kept");
    assert!(
        r.body.contains(&format!(
            "id=\"nieuw-{theme}\" name=\"bevinding\" value=\"{theme}\" checked"
        )),
        "finding kept"
    );
    let n = app
        .state()
        .db()
        .with(|c| store::agenda(c, scan))
        .unwrap()
        .len();
    assert_eq!(n, 0);
}

#[tokio::test]
async fn linked_item_shows_in_the_report_and_is_removed_only_when_confirmed() {
    let (app, t, scan) = app();
    let (theme, theme_title) = first_theme(&app, scan);
    let base = format!("/qs/1/scans/{scan}/agenda");
    let r = app
        .post_form(
            &base,
            &t,
            &[
                ("title", "Raadsleden op wijkbezoek"),
                ("owner", "Griffie"),
                ("deadline", ""),
                ("priority", "1"),
                ("bevinding", &theme),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    let id = app.state().db().with(|c| store::agenda(c, scan)).unwrap()[0].id;
    let page = app.get(&base, Some(&t)).await;
    assert!(page.body.contains(&format!(
        "href=\"/qs/1/scans/{scan}/rapport#thema-{theme}\""
    )));
    assert!(page.body.contains(&format!("Thema: {theme_title}")));
    let rep = app
        .get(&format!("/qs/1/scans/{scan}/rapport"), Some(&t))
        .await;
    assert!(rep.body.contains(&format!("id=\"thema-{theme}\"")));
    assert!(rep.body.contains("Op de verbeteragenda: "));
    assert!(rep.body.contains(&format!("href=\"{base}#a-{id}\"")));

    // edit: the form shows the stored values; a bad priority comes back inline
    let edit = app.get(&format!("{base}/{id}/bewerken"), Some(&t)).await;
    assert!(edit.status.is_success());
    assert!(edit.body.contains("value=\"Griffie\""));
    let r = app
        .post_form(
            &format!("{base}/{id}/bewerken"),
            &t,
            &[
                ("title", "Wijkbezoek"),
                ("owner", "Presidium"),
                ("priority", "nul"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.body.contains("value=\"nul\"") && r.body.contains("href=\"#f-priority\""));
    let r = app
        .post_form(
            &format!("{base}/{id}/bewerken"),
            &t,
            &[
                ("title", "Wijkbezoek"),
                ("owner", "Presidium"),
                ("priority", "2"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    let it = app
        .state()
        .db()
        .with(|c| store::agenda(c, scan))
        .unwrap()
        .remove(0);
    assert_eq!((it.title.as_str(), it.priority), ("Wijkbezoek", 2));
    assert!(it.findings.is_empty(), "unticked findings are unlinked");

    // remove: one click only asks
    let r = app
        .post_form(&format!("{base}/{id}/verwijderen"), &t, &[])
        .await;
    assert_eq!(r.status.as_u16(), 200);
    assert!(r.body.contains("Actiepunt verwijderen?") && r.body.contains("Wijkbezoek"));
    assert_eq!(
        app.state()
            .db()
            .with(|c| store::agenda(c, scan))
            .unwrap()
            .len(),
        1
    );
    let r = app
        .post_form(
            &format!("{base}/{id}/verwijderen"),
            &t,
            &[("bevestigd", "ja")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303);
    assert!(
        app.state()
            .db()
            .with(|c| store::agenda(c, scan))
            .unwrap()
            .is_empty()
    );
    // a begeleider can neither edit nor remove
    let b = app.login(&[RoleGrant {
        role: Role::Begeleider,
        org: Some("1".into()),
    }]);
    let r = app.get(&format!("{base}/{id}/bewerken"), Some(&b)).await;
    assert_eq!(r.status.as_u16(), 403);
}
