//! Domain and storage tests, including the anonymity guarantees of the README.

#![allow(
    clippy::format_push_string,
    clippy::cast_possible_truncation,
    clippy::too_many_lines,
    clippy::unreadable_literal,
    clippy::cast_precision_loss
)]

use quickscan::model::{Day, Group, OrgKind, ScanStatus};
use quickscan::questionnaire::{AnswerValue, Answers, ItemKind};
use quickscan::store::{self, Access, Error, InvitationStatus};
use rusqlite::Connection;
use rusqlite::types::ValueRef;

const TODAY: Day = Day(20_100);

fn db() -> Connection {
    let c = Connection::open_in_memory().unwrap();
    store::migrate(&c).unwrap();
    store::upsert_org(&c, "testdorp", "Gemeente Testdorp", OrgKind::Gemeente).unwrap();
    c
}

fn csv12() -> String {
    let mut s = String::from("naam;e-mail;groep\n");
    for i in 0..5 {
        s.push_str(&format!("Raadslid {i};raad{i}@testdorp.nl;raad\n"));
    }
    for i in 0..3 {
        s.push_str(&format!("Wethouder {i};college{i}@testdorp.nl;college\n"));
    }
    for i in 0..4 {
        s.push_str(&format!("Ambtenaar {i};amb{i}@testdorp.nl;ambtenaren\n"));
    }
    s
}

fn answers(v: u8) -> Answers {
    let mut a = Answers::new();
    a.insert("part_weten".into(), AnswerValue::Scale(v));
    a.insert("inv_raad".into(), AnswerValue::DontKnow);
    a.insert("prio_top3".into(), AnswerValue::Ranking(vec![1, 4]));
    a.insert(
        "prio_tip".into(),
        AnswerValue::Text("Meer avonden in de wijk".into()),
    );
    a
}

fn open_scan(c: &Connection) -> i64 {
    let id = store::create_scan(c, "testdorp", "Nulmeting 2025", None, TODAY).unwrap();
    store::import_respondents(c, id, &csv12()).unwrap();
    store::advance(c, id, ScanStatus::Open, TODAY).unwrap();
    id
}

#[test]
fn import_validates_whole_file() {
    let c = db();
    let id = store::create_scan(&c, "testdorp", "Scan", None, TODAY).unwrap();
    let err = store::import_respondents(
        &c,
        id,
        "A;a@x.nl;raad\nB;geen-mail;raad\nC;c@x.nl;inwoners\n",
    )
    .unwrap_err();
    let Error::Invalid(m) = err else { panic!() };
    assert!(m.contains("regel 2") && m.contains("regel 3"), "{m}");
    assert!(store::invitations(&c, id).unwrap().is_empty());
    assert_eq!(store::import_respondents(&c, id, &csv12()).unwrap(), 12);
    // duplicates are skipped
    assert_eq!(store::import_respondents(&c, id, &csv12()).unwrap(), 0);
}

#[test]
fn custom_items_limit_and_lock() {
    let c = db();
    let id = store::create_scan(&c, "testdorp", "Scan", None, TODAY).unwrap();
    for i in 0..4 {
        store::add_custom_item(&c, id, &format!("Vraag {i}"), "", ItemKind::Open).unwrap();
    }
    assert!(matches!(
        store::add_custom_item(&c, id, "Vijfde", "", ItemKind::Open),
        Err(Error::Invalid(_))
    ));
    store::remove_custom_item(&c, id, "maatwerk_4").unwrap();
    store::import_respondents(&c, id, &csv12()).unwrap();
    store::advance(&c, id, ScanStatus::Open, TODAY).unwrap();
    let q = store::scan_questionnaire(&c, &store::scan(&c, id).unwrap()).unwrap();
    assert_eq!(q.themes.len(), 8);
    assert_eq!(q.themes[6].key, "maatwerk");
    let public = store::scan(&c, id).unwrap().public_code;
    let (code, _) = store::start_public(&c, &public, TODAY).unwrap();
    let mut a = Answers::new();
    a.insert("maatwerk_1".into(), AnswerValue::Text("Antwoord".into()));
    store::submit(&c, &Access::Public(format!("{public}.{code}")), &a, TODAY).unwrap();
    assert!(store::is_locked(&c, id).unwrap());
    assert!(matches!(
        store::add_custom_item(&c, id, "Te laat", "", ItemKind::Open),
        Err(Error::State(_))
    ));
    assert!(matches!(
        store::remove_custom_item(&c, id, "maatwerk_1"),
        Err(Error::State(_))
    ));
}

#[test]
fn lifecycle_only_forward() {
    let c = db();
    let id = store::create_scan(&c, "testdorp", "Scan", None, TODAY).unwrap();
    assert!(store::advance(&c, id, ScanStatus::Closed, TODAY).is_err());
    for s in [
        ScanStatus::Open,
        ScanStatus::Closed,
        ScanStatus::Report,
        ScanStatus::Verbeteragenda,
    ] {
        store::advance(&c, id, s, TODAY).unwrap();
    }
    assert!(store::advance(&c, id, ScanStatus::Open, TODAY).is_err());
    // a second wave points back to the first
    let next = store::create_scan(&c, "testdorp", "Voortgangsmeting", Some(id), TODAY).unwrap();
    let s = store::scan(&c, next).unwrap();
    assert_eq!(s.previous_scan_id, Some(id));
    assert_eq!(s.wave, quickscan::model::WaveKind::Voortgangsmeting);
}

#[test]
fn invitation_single_use_and_resume() {
    let c = db();
    let id = open_scan(&c);
    let inv = store::invitations(&c, id).unwrap();
    let token = store::issue_link(&c, inv[0].id).unwrap();
    let acc = Access::Invitation(token.clone());
    let s = store::open_session(&c, &acc, TODAY).unwrap();
    assert_eq!(s.group, inv[0].group);
    assert!(s.answers.is_empty());
    let mut part = Answers::new();
    part.insert("part_weten".into(), AnswerValue::Scale(2));
    store::save_draft(&c, &acc, &part, &[], TODAY).unwrap();
    // resume later
    let s = store::open_session(&c, &acc, TODAY).unwrap();
    assert_eq!(s.answers.get("part_weten"), Some(&AnswerValue::Scale(2)));
    assert_eq!(
        store::invitation_by_token(&c, &token).unwrap().status,
        InvitationStatus::Started
    );
    store::submit(&c, &acc, &answers(4), TODAY).unwrap();
    assert!(store::submit(&c, &acc, &answers(4), TODAY).is_err());
    assert!(store::open_session(&c, &acc, TODAY).is_err());
    let n: i64 = c
        .query_row("SELECT COUNT(*) FROM qs_draft", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0, "draft deleted on submit");
    assert_eq!(store::response_counts(&c, id).unwrap()[&inv[0].group], 1);
}

#[test]
fn public_and_letter_codes() {
    let c = db();
    let id = open_scan(&c);
    let scan = store::scan(&c, id).unwrap();
    let (code, _) = store::start_public(&c, &scan.public_code, TODAY).unwrap();
    // a fresh start carries the public code (signed by the web layer)
    let acc = Access::Public(format!(
        "{}.{}",
        scan.public_code,
        code.to_lowercase().replace('-', " ")
    ));
    let s = store::open_session(&c, &acc, TODAY).unwrap();
    assert_eq!(s.group, Group::Inwoners);
    store::submit(&c, &acc, &answers(3), TODAY).unwrap();
    assert!(store::submit(&c, &acc, &answers(3), TODAY).is_err());

    let codes = store::create_letter_codes(&c, id, 3).unwrap();
    assert_eq!(codes.len(), 3);
    let acc = Access::Letter(codes[0].clone());
    store::open_session(&c, &acc, TODAY).unwrap();
    store::submit(&c, &acc, &answers(5), TODAY).unwrap();
    assert!(store::open_session(&c, &acc, TODAY).is_err());
    assert!(store::open_session(&c, &Access::Letter("AAAA-BBBB-CCCC".into()), TODAY).is_err());
    assert_eq!(store::response_counts(&c, id).unwrap()[&Group::Inwoners], 2);
}

#[test]
fn closed_scan_rejects_answers_and_drops_drafts() {
    let c = db();
    let id = open_scan(&c);
    let inv1 = store::invitations(&c, id).unwrap()[1].id;
    let token = store::issue_link(&c, inv1).unwrap();
    let acc = Access::Invitation(token);
    let mut part = Answers::new();
    part.insert("part_weten".into(), AnswerValue::Scale(2));
    store::save_draft(&c, &acc, &part, &[], TODAY).unwrap();
    store::advance(&c, id, ScanStatus::Closed, TODAY).unwrap();
    assert!(matches!(
        store::submit(&c, &acc, &answers(1), TODAY),
        Err(Error::State(_))
    ));
    let n: i64 = c
        .query_row("SELECT COUNT(*) FROM qs_draft", [], |r| r.get(0))
        .unwrap();
    assert_eq!(n, 0);
}

#[test]
fn paper_answers_are_tagged() {
    let c = db();
    let id = open_scan(&c);
    store::enter_paper(&c, id, Group::Inwoners, &answers(2), TODAY).unwrap();
    let m = store::monitor(&c, id).unwrap();
    assert_eq!(m.groups[&Group::Inwoners].paper, 1);
    assert_eq!(m.groups[&Group::Inwoners].finished, 1);
}

#[test]
fn monitoring_counts() {
    let c = db();
    let id = open_scan(&c);
    let inv = store::invitations(&c, id).unwrap();
    store::open_session(
        &c,
        &Access::Invitation(store::issue_link(&c, inv[0].id).unwrap()),
        TODAY,
    )
    .unwrap();
    store::submit(
        &c,
        &Access::Invitation(store::issue_link(&c, inv[1].id).unwrap()),
        &answers(3),
        TODAY.plus(1),
    )
    .unwrap();
    let m = store::monitor(&c, id).unwrap();
    let total_started: u64 = Group::INTERNAL.iter().map(|g| m.groups[g].started).sum();
    let total_invited: u64 = Group::INTERNAL.iter().map(|g| m.groups[g].invited).sum();
    assert_eq!(total_invited, 12);
    assert_eq!(total_started, 2);
    assert_eq!(m.days[&(TODAY.plus(1), inv[1].group)], (1, 1));
}

/// Every cell of every row of every table, as text.
/// Every table of the main and the answers database, with columns and rows.
fn dump(c: &Connection) -> Vec<(String, Vec<String>, Vec<Vec<String>>)> {
    let mut tables: Vec<(String, String)> = Vec::new();
    for schema in ["main", "qa"] {
        let names: Vec<String> = c
            .prepare(&format!(
                "SELECT name FROM {schema}.sqlite_master WHERE type = 'table' ORDER BY name"
            ))
            .unwrap()
            .query_map([], |r| r.get(0))
            .unwrap()
            .map(Result::unwrap)
            .collect();
        tables.extend(names.into_iter().map(|n| (schema.to_owned(), n)));
    }
    tables
        .into_iter()
        .map(|(schema, t)| {
            let mut st = c
                .prepare(&format!("SELECT * FROM {schema}.\"{t}\""))
                .unwrap();
            let cols: Vec<String> = st.column_names().map(str::to_string).collect();
            let n = cols.len();
            let rows = st
                .query_map([], |r| {
                    Ok((0..n)
                        .map(|i| match r.get_ref(i).unwrap() {
                            ValueRef::Null => String::new(),
                            ValueRef::Integer(v) => v.to_string(),
                            ValueRef::Real(v) => v.to_string(),
                            ValueRef::Text(v) | ValueRef::Blob(v) => {
                                String::from_utf8_lossy(v).into_owned()
                            }
                        })
                        .collect::<Vec<_>>())
                })
                .unwrap()
                .map(Result::unwrap)
                .collect();
            (t, cols, rows)
        })
        .collect()
}

/// Anonymity: after submission, nothing in the database ties an answer to an invitation,
/// e-mail address, IP address, or a time finer than a day.
#[test]
fn anonymity_no_link_between_answers_and_invitations() {
    let c = db();
    let id = open_scan(&c);
    let invs = store::invitations(&c, id).unwrap();
    for (i, inv) in invs.iter().enumerate().take(6) {
        let acc = Access::Invitation(store::issue_link(&c, inv.id).unwrap());
        store::open_session(&c, &acc, TODAY).unwrap();
        store::submit(&c, &acc, &answers(u8::try_from(i % 5).unwrap() + 1), TODAY).unwrap();
        store::audit(
            &c,
            "trekker",
            Some("testdorp"),
            Some(id),
            "herinnering verstuurd",
            "",
        )
        .unwrap();
    }
    let secrets: Vec<String> = invs
        .iter()
        .flat_map(|i| {
            [
                store::issue_link(&c, i.id).unwrap(),
                i.email.clone().unwrap(),
                i.name.clone().unwrap(),
            ]
        })
        .collect();
    let dump = dump(&c);
    let answer_tables = ["qs_response", "qs_answer"];
    for (t, cols, rows) in &dump {
        if answer_tables.contains(&t.as_str()) {
            // answer tables: no column that names a person, invitation, address or time
            for col in cols {
                assert!(
                    ![
                        "invitation",
                        "token",
                        "email",
                        "ip",
                        "name",
                        "user",
                        "time",
                        "created",
                        "at",
                        "rowid"
                    ]
                    .iter()
                    .any(|bad| col.contains(bad) && col != "txt"),
                    "{t}.{col} looks like a link"
                );
            }
            for row in rows {
                for cell in row {
                    assert!(
                        !secrets.contains(cell),
                        "{t} contains an invitation value {cell}"
                    );
                    assert!(
                        !cell.contains(':') || t == "qs_answer",
                        "{t} has a time: {cell}"
                    );
                }
            }
        }
        // no table anywhere has an IP column
        assert!(!cols.iter().any(|c| c == "ip" || c.contains("ip_")), "{t}");
        // no table references qs_response except qs_answer
        if t != "qs_answer" {
            assert!(
                !cols.iter().any(|c| c.contains("response")),
                "{t} references responses"
            );
        }
    }
    // WITHOUT ROWID: the answer tables have no hidden insertion counter
    for t in answer_tables {
        assert!(
            c.prepare(&format!("SELECT rowid FROM {t}")).is_err(),
            "{t} has a rowid"
        );
        let sql: String = c
            .query_row(
                "SELECT sql FROM qa.sqlite_master WHERE name = ?1",
                [t],
                |r| r.get(0),
            )
            .unwrap();
        // answers live in their own database, not beside the invitations
        assert!(
            c.query_row(
                "SELECT 1 FROM main.sqlite_master WHERE name = ?1",
                [t],
                |_| Ok(())
            )
            .is_err(),
            "{t} in the main database"
        );
        assert!(!sql.to_lowercase().contains("references qs_invitation"));
    }
    // response ids are random and not ordered like the invitations
    let ids: Vec<String> = c
        .prepare("SELECT id FROM qs_response")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert_eq!(ids.len(), 6);
    assert!(ids.iter().all(|i| i.len() == 32));
    // dates only
    let dates: Vec<String> = c
        .prepare("SELECT submitted_on FROM qs_response")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(dates.iter().all(|d| d == &TODAY.to_string()));
    // the invitation knows only its status
    let inv_cols = &dump
        .iter()
        .find(|(t, _, _)| t == "qs_invitation")
        .unwrap()
        .1;
    assert_eq!(
        inv_cols,
        &[
            "id",
            "scan_id",
            "grp",
            "name",
            "email",
            "token",
            "status",
            "mails_sent"
        ]
    );
    // the audit log has no answer content
    for (t, _, rows) in &dump {
        if t == "qs_audit" {
            for row in rows {
                assert!(!row.iter().any(|c| c.contains("avonden")));
            }
        }
    }
}

#[test]
fn retention_deletes_personal_data() {
    let c = db();
    let id = open_scan(&c);
    store::outbox_add(&c, id, "raad0@testdorp.nl", "Uitnodiging", "link").unwrap();
    let codes = store::create_letter_codes(&c, id, 2).unwrap();
    assert_eq!(codes.len(), 2);
    store::advance(&c, id, ScanStatus::Closed, TODAY).unwrap();
    // not yet due
    let r = store::run_retention(&c, TODAY.plus(91)).unwrap();
    assert!(r.scans_purged.is_empty());
    let r = store::run_retention(&c, TODAY.plus(92)).unwrap();
    assert_eq!(r.scans_purged, vec![id]);
    assert_eq!(r.invitations_cleared, 12);
    for (t, _, rows) in dump(&c) {
        for row in rows {
            for cell in row {
                assert!(
                    !cell.contains("@testdorp.nl"),
                    "{t} still has an e-mail address"
                );
                assert!(!cell.contains("Raadslid"), "{t} still has a name");
            }
        }
    }
    // counts stay for the report
    assert_eq!(
        store::monitor(&c, id).unwrap().groups[&Group::Raad].invited,
        5
    );
    // idempotent
    assert!(
        store::run_retention(&c, TODAY.plus(200))
            .unwrap()
            .scans_purged
            .is_empty()
    );
}

#[test]
fn forget_on_request() {
    let c = db();
    let id = open_scan(&c);
    let inv = store::invitations(&c, id).unwrap()[0].clone();
    store::outbox_add(&c, id, inv.email.as_deref().unwrap(), "Uitnodiging", "x").unwrap();
    store::forget_invitation(&c, id, inv.id).unwrap();
    let after = store::invitations(&c, id)
        .unwrap()
        .into_iter()
        .find(|i| i.id == inv.id)
        .unwrap();
    assert!(after.name.is_none() && after.email.is_none());
    assert!(store::outbox(&c, id).unwrap().is_empty());
}

#[test]
fn agenda_roundtrip_and_csv() {
    let c = db();
    let id = open_scan(&c);
    let item = store::NewAgendaItem {
        priority: 1,
        title: "Participatieverordening",
        description: "Samen met inwoners schrijven",
        owner: "Griffie",
        deadline: Some(TODAY.plus(90)),
    };
    assert!(
        store::add_agenda_item(&c, id, &item).is_err(),
        "only after the report"
    );
    store::advance(&c, id, ScanStatus::Closed, TODAY).unwrap();
    store::advance(&c, id, ScanStatus::Report, TODAY).unwrap();
    let a = store::add_agenda_item(&c, id, &item).unwrap();
    store::set_agenda_status(&c, id, a, store::AgendaStatus::Bezig).unwrap();
    store::add_agenda_note(&c, id, a, "trekker", "voortgang", "Eerste sessie gehouden").unwrap();
    store::add_agenda_note(&c, id, a, "commissie", "commentaar", "Betrek ook jongeren").unwrap();
    let items = store::agenda(&c, id).unwrap();
    assert_eq!(items[0].notes.len(), 2);
    let csv = store::agenda_csv(&c, id).unwrap();
    assert!(
        csv.contains("Participatieverordening")
            && csv.contains("Eerste sessie gehouden")
            && csv.contains("Bezig")
    );
}
