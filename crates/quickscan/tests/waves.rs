//! A new wave takes over settings, maatwerkvragen and respondents from the previous one
//! (issue 12) — and nothing of answers, statuses, mail counts, links or letter codes.

mod common;

use quickscan::model::{Day, Group, OrgKind, ScanStatus};
use quickscan::questionnaire::{AnswerValue, Answers, ItemKind};
use quickscan::store::{self, CopyChoice, InvitationStatus};
use rusqlite::Connection;

fn db() -> Connection {
    let c = Connection::open_in_memory().unwrap();
    store::migrate(&c).unwrap();
    store::upsert_org(&c, "1", "Gemeente Een", OrgKind::Gemeente).unwrap();
    c
}

fn answers() -> Answers {
    let mut a = Answers::new();
    a.insert("part_weten".into(), AnswerValue::Scale(4));
    a.insert("maatwerk_1".into(), AnswerValue::Scale(2));
    a.insert(
        "maatwerk_2".into(),
        AnswerValue::Text("Meer buurtavonden".into()),
    );
    a
}

/// Wave 1: two maatwerkvragen, 6 respondents (3 answered through their link, all mailed),
/// letter codes, settings changed, closed.
fn first_wave(c: &Connection) -> i64 {
    let day = Day::parse("2025-03-01").unwrap();
    let w1 = store::create_scan(c, "1", "Nulmeting", None, day).unwrap();
    store::add_custom_item(
        c,
        w1,
        "Ik ken de wijkwethouder.",
        "",
        ItemKind::Scale {
            scale: "eens5".into(),
        },
    )
    .unwrap();
    store::add_custom_item(c, w1, "Wat moet beter?", "", ItemKind::Open).unwrap();
    store::set_settings(c, w1, 7, 120).unwrap();
    store::import_respondents(
        c,
        w1,
        "Anna;anna@een.nl;raad\nBert;bert@een.nl;raad\nCarla;carla@een.nl;college\nDirk;dirk@een.nl;ambtenaren\nEva;eva@een.nl;ambtenaren\nFrits;frits@een.nl;college\n",
    )
    .unwrap();
    store::advance(c, w1, ScanStatus::Open, day).unwrap();
    store::create_letter_codes(c, w1, 3).unwrap();
    let invs = store::invitations(c, w1).unwrap();
    for inv in &invs[..3] {
        let link = store::issue_link(c, inv.id).unwrap();
        store::submit(c, &store::Access::Invitation(link), &answers(), day).unwrap();
    }
    for inv in &invs[3..] {
        store::issue_link(c, inv.id).unwrap();
    }
    store::flush_marks(c).unwrap();
    common::online(c, w1, Group::Inwoners, &answers(), day);
    store::advance(c, w1, ScanStatus::Closed, day).unwrap();
    w1
}

fn count(c: &Connection, sql: &str, scan: i64) -> i64 {
    c.query_row(sql, [scan], |r| r.get(0)).unwrap()
}

#[test]
fn copies_settings_questions_and_people_but_no_answer_or_status() {
    let c = db();
    let w1 = first_wave(&c);
    let before = store::invitations(&c, w1).unwrap();
    assert!(
        before
            .iter()
            .any(|i| i.status == InvitationStatus::Finished),
        "wave 1 has finished invitations"
    );
    let w2 = store::create_scan(&c, "1", "Voortgang", Some(w1), Day::today()).unwrap();
    let src = store::wave_source(&c, w2).unwrap().unwrap();
    assert_eq!(src.respondents, 6);
    assert!(!src.personal_data_deleted);
    assert_eq!(src.items.len(), 2);

    let rep = store::copy_from_previous(&c, w2, CopyChoice::ALL).unwrap();
    assert_eq!((rep.settings, rep.items, rep.respondents), (true, 2, 6));

    let s2 = store::scan(&c, w2).unwrap();
    assert_eq!((s2.min_group, s2.retention_days), (7, 120));
    // the same keys and texts, so the report compares them across waves
    assert_eq!(
        store::custom_items(&c, w2).unwrap(),
        store::custom_items(&c, w1).unwrap()
    );
    let after = store::invitations(&c, w2).unwrap();
    let people = |v: &[store::Invitation]| {
        let mut p: Vec<_> = v
            .iter()
            .map(|i| (i.name.clone(), i.email.clone(), i.group))
            .collect();
        p.sort();
        p
    };
    assert_eq!(people(&after), people(&before));
    // nothing crosses over: no status, no mail count, no link, no answer, no letter code
    for i in &after {
        assert_eq!(i.status, InvitationStatus::NotStarted, "{:?}", i.name);
        assert_eq!(i.mails_sent, 0);
    }
    assert_eq!(
        count(
            &c,
            "SELECT COUNT(*) FROM qs_invitation_link l JOIN qs_invitation i ON i.id = l.invitation_id WHERE i.scan_id = ?1",
            w2
        ),
        0
    );
    assert_eq!(
        count(
            &c,
            "SELECT COUNT(*) FROM qs_invitation WHERE scan_id = ?1 AND token IS NOT NULL",
            w2
        ),
        0
    );
    assert_eq!(
        count(
            &c,
            "SELECT COUNT(*) FROM qs_letter_code WHERE scan_id = ?1",
            w2
        ),
        0
    );
    assert_eq!(
        count(&c, "SELECT COUNT(*) FROM qs_draft WHERE scan_id = ?1", w2),
        0
    );
    assert_eq!(
        count(
            &c,
            "SELECT COUNT(*) FROM qa.qs_response WHERE scan_id = ?1",
            w2
        ),
        0
    );
    assert!(
        store::response_counts(&c, w2)
            .unwrap()
            .values()
            .all(|n| *n == 0)
    );
    assert!(
        !store::is_locked(&c, w2).unwrap(),
        "questions still editable"
    );
    assert_eq!(store::outbox(&c, w2).unwrap().len(), 0);
    // wave 1 is untouched
    assert_eq!(
        people(&store::invitations(&c, w1).unwrap()),
        people(&before)
    );
    assert_eq!(
        count(
            &c,
            "SELECT COUNT(*) FROM qa.qs_response WHERE scan_id = ?1",
            w1
        ),
        4
    );

    // repeating takes over nothing twice
    let again = store::copy_from_previous(&c, w2, CopyChoice::ALL).unwrap();
    assert_eq!((again.items, again.items_skipped), (0, 2));
    assert_eq!((again.respondents, again.respondents_skipped), (0, 6));
    assert_eq!(store::invitations(&c, w2).unwrap().len(), 6);
    assert_eq!(store::custom_items(&c, w2).unwrap().len(), 2);
}

#[test]
fn only_what_is_chosen() {
    let c = db();
    let w1 = first_wave(&c);
    let w2 = store::create_scan(&c, "1", "Voortgang", Some(w1), Day::today()).unwrap();
    let rep = store::copy_from_previous(
        &c,
        w2,
        CopyChoice {
            settings: false,
            items: true,
            respondents: false,
        },
    )
    .unwrap();
    assert_eq!((rep.settings, rep.items, rep.respondents), (false, 2, 0));
    let s2 = store::scan(&c, w2).unwrap();
    assert_eq!((s2.min_group, s2.retention_days), (5, 92));
    assert!(store::invitations(&c, w2).unwrap().is_empty());
}

#[test]
fn after_retention_the_people_are_gone_and_that_is_said() {
    let c = db();
    let w1 = first_wave(&c);
    let closed = store::scan(&c, w1).unwrap().closed_on.unwrap();
    store::run_retention(&c, Day(closed.0 + 121)).unwrap();
    let w2 = store::create_scan(&c, "1", "Voortgang", Some(w1), Day::today()).unwrap();
    let src = store::wave_source(&c, w2).unwrap().unwrap();
    assert!(src.personal_data_deleted);
    assert_eq!(src.respondents, 0);
    let rep = store::copy_from_previous(&c, w2, CopyChoice::ALL).unwrap();
    assert_eq!(rep.respondents, 0);
    assert_eq!(rep.items, 2, "the questions are no personal data");
}

#[test]
fn only_into_a_concept_voortgangsmeting() {
    let c = db();
    let w1 = first_wave(&c);
    assert!(matches!(
        store::copy_from_previous(&c, w1, CopyChoice::ALL),
        Err(store::Error::State(_))
    ));
    let nul = store::create_scan(&c, "1", "Nog een nulmeting", None, Day::today()).unwrap();
    assert!(store::wave_source(&c, nul).unwrap().is_none());
    assert!(matches!(
        store::copy_from_previous(&c, nul, CopyChoice::ALL),
        Err(store::Error::State(_))
    ));
    let w2 = store::create_scan(&c, "1", "Voortgang", Some(w1), Day::today()).unwrap();
    store::advance(&c, w2, ScanStatus::Open, Day::today()).unwrap();
    assert!(matches!(
        store::copy_from_previous(&c, w2, CopyChoice::ALL),
        Err(store::Error::State(_))
    ));
    assert!(store::invitations(&c, w2).unwrap().is_empty());
}

#[tokio::test]
async fn the_trekker_takes_over_through_the_page() {
    use webkit::testing::TestApp;
    use webkit::{Role, RoleGrant};
    let app = TestApp::new(vec![quickscan::web::module(quickscan::web::Options {
        public_url: Some(quickscan::links::PublicUrl::parse("http://test").unwrap()),
        public_per_minute: 1000,
        ..quickscan::web::Options::default()
    })]);
    let (w1, w2) = app
        .state()
        .db()
        .with(|c| {
            store::upsert_org(c, "1", "Gemeente Een", OrgKind::Gemeente)?;
            let w1 = first_wave(c);
            let w2 = store::create_scan(c, "1", "Voortgang", Some(w1), Day::today())?;
            Ok::<_, store::Error>((w1, w2))
        })
        .unwrap();
    let t = app.login(&[RoleGrant {
        role: Role::Trekker,
        org: Some("1".into()),
    }]);
    let dash = app.get(&format!("/qs/1/scans/{w2}"), Some(&t)).await;
    assert!(dash.body.contains("Neem over uit de vorige meting"));
    let w1_page = app.get(&format!("/qs/1/scans/{w1}"), Some(&t)).await;
    assert!(!w1_page.body.contains("Neem over uit de vorige meting"));
    let p = app
        .get(&format!("/qs/1/scans/{w2}/overnemen"), Some(&t))
        .await;
    assert!(p.status.is_success());
    assert!(p.body.contains("Respondenten (6 namen en e-mailadressen)"));
    let r = app
        .post_form(
            &format!("/qs/1/scans/{w2}/overnemen"),
            &t,
            &[
                ("instellingen", "ja"),
                ("vragen", "ja"),
                ("respondenten", "ja"),
            ],
        )
        .await;
    assert!(r.status.is_success(), "{}", r.body);
    assert!(r.body.contains("Respondenten: 6 overgenomen"));
    assert!(r.body.contains("Eigen vragen: 2 overgenomen"));
    let n = app
        .state()
        .db()
        .with(|c| store::invitations(c, w2))
        .unwrap()
        .len();
    assert_eq!(n, 6);
}

#[test]
fn mail_texts_and_contact_come_along_with_the_settings_but_not_the_dates() {
    let c = db();
    let w1 = first_wave(&c);
    let text = (
        "Uw mening over de raad".to_owned(),
        "Beste {naam},\n\nVul de vragenlijst in: {link}\n\nVragen? {contact}".to_owned(),
    );
    store::set_mail_text(
        &c,
        w1,
        Group::Raad,
        store::MailKind::Reminder,
        &text.0,
        &text.1,
    )
    .unwrap();
    store::set_contact(&c, w1, "de griffie, griffie@een.nl").unwrap();
    let w2 = store::create_scan(&c, "1", "Voortgangsmeting", Some(w1), Day::today()).unwrap();
    store::copy_from_previous(&c, w2, CopyChoice::ALL).unwrap();
    assert_eq!(
        store::mail_text(&c, w2, Group::Raad, store::MailKind::Reminder).unwrap(),
        Some(text)
    );
    assert_eq!(
        store::mail_text(&c, w2, Group::College, store::MailKind::Invitation).unwrap(),
        None,
        "only texts the trekker wrote are copied; others stay the standard text"
    );
    assert_eq!(
        store::contact(&c, w2).unwrap(),
        "de griffie, griffie@een.nl"
    );
    let plan = store::plan(&c, w2).unwrap();
    assert!(plan.opens_on.is_none() && plan.closes_on.is_none() && plan.reminders.is_empty());
}
