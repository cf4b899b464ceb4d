//! Issue 12: open and close dates with scheduled reminders. The scheduler runs with an injected
//! clock (seconds since 1970), so every test sets the day and the hour itself.

#![allow(clippy::many_single_char_names)]

use quickscan::links::PublicUrl;
use quickscan::mail::{self, MailConfig};
use quickscan::model::{Day, OrgKind, ScanStatus};
use quickscan::questionnaire::{AnswerValue, Answers};
use quickscan::schedule::{self, Limits, RunReport};
use quickscan::store::{self, Access, EventKind, EventState, Plan};
use rusqlite::Connection;
use std::path::{Path, PathBuf};

/// The opening day of the plans below.
const D: Day = Day(20_800);
const HOUR: i64 = 3600;

/// `day` at `hour`:`minute` UTC.
fn at(day: Day, hour: i64, minute: i64) -> i64 {
    day.0 * 86_400 + hour * HOUR + minute * 60
}

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "qs-schedule-{}",
        hex::encode(store::random_bytes::<8>())
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// A file database (so that "finished" marks wait in batches, as in production).
fn open(d: &Path) -> Connection {
    let c = Connection::open(d.join("stembus.sqlite")).unwrap();
    c.execute_batch("PRAGMA busy_timeout = 10000;").unwrap();
    let _: String = c
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .unwrap();
    store::migrate(&c).unwrap();
    c
}

const PEOPLE: &str = "Anna;anna@o.nl;raad\nBob;bob@o.nl;raad\nCees;cees@o.nl;college\nDirk;dirk@o.nl;ambtenaren\nEva;eva@o.nl;ambtenaren\n";

/// A concept scan planned to open on D, remind on D+3 and D+6, close after D+9; created on D-5.
fn planned(c: &Connection, people: &str) -> i64 {
    store::upsert_org(c, "o", "Gemeente O", OrgKind::Gemeente).unwrap();
    let id = store::create_scan(c, "o", "Nulmeting", None, D.plus(-5)).unwrap();
    if !people.is_empty() {
        store::import_respondents(c, id, people).unwrap();
    }
    store::set_plan(
        c,
        id,
        &Plan {
            opens_on: Some(D),
            closes_on: Some(D.plus(9)),
            reminders: vec![D.plus(6), D.plus(3)],
        },
        D.plus(-5),
    )
    .unwrap();
    id
}

fn url() -> PublicUrl {
    PublicUrl::parse("https://qs.example").unwrap()
}

fn run(c: &Connection, now: i64) -> RunReport {
    run_with(c, now, Limits::default())
}

fn run_with(c: &Connection, now: i64, limits: Limits) -> RunReport {
    schedule::run(c, &MailConfig::Outbox, Some(&url()), now, limits).unwrap()
}

/// Outbox mails per address: (invitations, reminders).
fn mails(c: &Connection, id: i64, to: &str) -> (usize, usize) {
    let ob = store::outbox(c, id).unwrap();
    let mine: Vec<_> = ob.iter().filter(|m| m.to == to).collect();
    let rem = mine
        .iter()
        .filter(|m| m.subject.starts_with("Herinnering"))
        .count();
    (mine.len() - rem, rem)
}

fn reminders_total(c: &Connection, id: i64) -> usize {
    store::outbox(c, id)
        .unwrap()
        .iter()
        .filter(|m| m.subject.starts_with("Herinnering"))
        .count()
}

fn event(c: &Connection, id: i64, kind: EventKind, day: Day) -> store::PlanEvent {
    store::plan_event(c, id, kind, day)
        .unwrap()
        .unwrap_or_else(|| panic!("no {kind:?} event on {day}"))
}

/// Anna answers online through a link of her own; her "finished" mark waits in memory (a
/// batch needs 5), as it would in production.
fn anna_finishes(c: &Connection, id: i64, day: Day) {
    let anna = store::invitations(c, id)
        .unwrap()
        .into_iter()
        .find(|i| i.name.as_deref() == Some("Anna"))
        .unwrap();
    let mut a = Answers::new();
    a.insert("part_weten".into(), AnswerValue::Scale(4));
    let link = store::issue_link(c, anna.id).unwrap();
    store::submit(c, &Access::Invitation(link), &a, day).unwrap();
}

#[test]
fn opens_on_its_day_only_when_ready_and_invites_in_the_morning() {
    let d = dir();
    let c = open(&d);
    let id = planned(&c, "");
    // the day before: nothing
    assert_eq!(run(&c, at(D.plus(-1), 12, 0)), RunReport::default());
    assert_eq!(store::scan(&c, id).unwrap().status, ScanStatus::Concept);
    // the opening day, but no respondents: not opened, and the dashboard can say why
    let r = run(&c, at(D, 0, 5));
    assert_eq!(r.waiting, vec![id]);
    assert_eq!(store::scan(&c, id).unwrap().status, ScanStatus::Concept);
    let e = event(&c, id, EventKind::Open, D);
    assert_eq!(e.state, EventState::Waiting);
    assert!(e.detail.contains("nog geen respondenten"), "{}", e.detail);
    // respondents added: the next run opens it, but sends nothing in the night
    store::import_respondents(&c, id, PEOPLE).unwrap();
    let r = run(&c, at(D, 0, 15));
    assert_eq!(r.opened, vec![id]);
    assert_eq!(r.sent, 0);
    let s = store::scan(&c, id).unwrap();
    assert_eq!((s.status, s.opened_on), (ScanStatus::Open, Some(D)));
    assert_eq!(event(&c, id, EventKind::Open, D).state, EventState::Done);
    // from 07:00 UTC the invitations go out, once
    assert_eq!(run(&c, at(D, 7, 0)).sent, 5);
    assert_eq!(run(&c, at(D, 7, 10)).sent, 0);
    assert_eq!(run(&c, at(D.plus(1), 7, 10)).sent, 0);
    for who in [
        "anna@o.nl",
        "bob@o.nl",
        "cees@o.nl",
        "dirk@o.nl",
        "eva@o.nl",
    ] {
        assert_eq!(mails(&c, id, who), (1, 0), "{who}");
    }
    let e = event(&c, id, EventKind::Invitation, D);
    assert_eq!(
        (e.state, e.sent, e.failed, e.unknown),
        (EventState::Done, 5, 0, 0)
    );
    // the mails carry the public base URL and the closing date
    let ob = store::outbox(&c, id).unwrap();
    assert!(ob[0].body.contains("https://qs.example/vragenlijst/i/"));
    assert!(ob[0].body.contains(&D.plus(9).long_weekday_nl()));
    // the audit log says the planning did it
    let log = store::audit_log(&c, Some("o"), 100).unwrap();
    assert!(
        log.iter()
            .any(|a| a.actor == "planning" && a.detail.contains("open"))
    );
    drop(c);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_scan_whose_closing_day_passed_is_not_opened() {
    let d = dir();
    let c = open(&d);
    let id = planned(&c, PEOPLE);
    // the server did not run from before the opening day until after the closing day
    run(&c, at(D.plus(12), 8, 0));
    let s = store::scan(&c, id).unwrap();
    assert_eq!(s.status, ScanStatus::Concept);
    let e = event(&c, id, EventKind::Open, D);
    assert_eq!(e.state, EventState::Skipped);
    assert!(
        e.detail.contains("sluitdatum is al voorbij"),
        "{}",
        e.detail
    );
    assert!(store::outbox(&c, id).unwrap().is_empty());
    drop(c);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn reminds_the_unfinished_once_even_when_runs_overlap() {
    let d = dir();
    let c = open(&d);
    let id = planned(&c, PEOPLE);
    run(&c, at(D, 7, 0));
    anna_finishes(&c, id, D.plus(1));
    // Anna's "finished" mark is still pending (batch of 5): she must be skipped anyway
    let anna = store::invitations(&c, id)
        .unwrap()
        .into_iter()
        .find(|i| i.name.as_deref() == Some("Anna"))
        .unwrap();
    assert_eq!(anna.status, store::InvitationStatus::NotStarted);
    assert!(store::finish_pending(&c, anna.id));
    // before the reminder day, and on it before 07:00: nothing
    assert_eq!(run(&c, at(D.plus(2), 23, 59)).sent, 0);
    assert_eq!(run(&c, at(D.plus(3), 6, 59)).sent, 0);
    // two runs at the same moment on two connections (two processes, or a slow run and the next)
    let path = d.join("stembus.sqlite");
    let now = at(D.plus(3), 7, 0);
    let handles: Vec<_> = (0..2)
        .map(|_| {
            let path = path.clone();
            std::thread::spawn(move || {
                let c2 = Connection::open(path).unwrap();
                c2.execute_batch("PRAGMA busy_timeout = 10000;").unwrap();
                store::open_answers(&c2).unwrap();
                run(&c2, now).sent
            })
        })
        .collect();
    let sent: usize = handles.into_iter().map(|h| h.join().unwrap()).sum();
    // and once more, later that day and the next
    let again = run(&c, at(D.plus(3), 9, 0)).sent + run(&c, at(D.plus(4), 9, 0)).sent;
    // (pending marks are kept per database file in the process, so the threads see Anna's)
    assert_eq!(sent + again, 4, "4 unfinished, one reminder each");
    assert_eq!(
        mails(&c, id, "anna@o.nl"),
        (1, 0),
        "Anna finished: no reminder"
    );
    for who in ["bob@o.nl", "cees@o.nl", "dirk@o.nl", "eva@o.nl"] {
        assert_eq!(mails(&c, id, who), (1, 1), "{who}");
    }
    let e = event(&c, id, EventKind::Reminder, D.plus(3));
    assert_eq!((e.state, e.sent, e.unknown), (EventState::Done, 4, 0));
    // no per-invitation record of the round is kept once it is done
    let claims: i64 = c
        .query_row("SELECT COUNT(*) FROM qs_plan_claim", [], |r| r.get(0))
        .unwrap();
    assert_eq!(claims, 0);
    // the second reminder day: again only the unfinished
    assert_eq!(run(&c, at(D.plus(6), 8, 0)).sent, 4);
    assert_eq!(reminders_total(&c, id), 8);
    assert_eq!(mails(&c, id, "anna@o.nl"), (1, 0));
    drop(c);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn killed_between_send_and_record_never_mails_twice() {
    let d = dir();
    let c = open(&d);
    let id = planned(&c, PEOPLE);
    run(&c, at(D, 7, 0));
    anna_finishes(&c, id, D.plus(1));
    // the run "dies" right after its first reminder went out, before recording it
    let r = run_with(
        &c,
        at(D.plus(3), 7, 0),
        Limits {
            die_after_sends: Some(1),
            ..Limits::default()
        },
    );
    assert!(r.stopped_early);
    assert_eq!(reminders_total(&c, id), 1);
    let first = store::outbox(&c, id)
        .unwrap()
        .into_iter()
        .find(|m| m.subject.starts_with("Herinnering"))
        .unwrap()
        .to;
    // the process restarts a minute later: the others get theirs, the first not again, and
    // the round stays open while the dead run's claim is recent
    assert_eq!(run(&c, at(D.plus(3), 7, 1)).sent, 3);
    assert_eq!(reminders_total(&c, id), 4);
    assert_eq!(mails(&c, id, &first).1, 1, "{first} once");
    assert_eq!(
        event(&c, id, EventKind::Reminder, D.plus(3)).state,
        EventState::Busy
    );
    // 20 minutes later the claim is stale: the round is done, with one outcome unknown
    assert_eq!(run(&c, at(D.plus(3), 7, 21)).sent, 0);
    let e = event(&c, id, EventKind::Reminder, D.plus(3));
    assert_eq!(
        (e.state, e.sent, e.failed, e.unknown),
        (EventState::Done, 3, 0, 1)
    );
    // nobody got two reminders, and Anna (finished) none
    assert_eq!(mails(&c, id, "anna@o.nl"), (1, 0));
    for who in ["bob@o.nl", "cees@o.nl", "dirk@o.nl", "eva@o.nl"] {
        assert_eq!(mails(&c, id, who), (1, 1), "{who}");
    }
    drop(c);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn killed_between_claim_and_send_loses_one_mail_and_never_sends_it_twice() {
    let d = dir();
    let c = open(&d);
    let id = planned(&c, PEOPLE);
    run(&c, at(D, 7, 0));
    // a run claimed Bob for the reminder round and died before sending
    let bob = store::invitations(&c, id)
        .unwrap()
        .into_iter()
        .find(|i| i.name.as_deref() == Some("Bob"))
        .unwrap();
    let now = at(D.plus(3), 7, 0);
    store::set_plan_event(&c, id, EventKind::Reminder, D.plus(3), EventState::Busy, "").unwrap();
    assert_eq!(
        store::claim(&c, id, store::MailKind::Reminder, D.plus(3), &[bob.id], now).unwrap(),
        vec![bob.id]
    );
    assert_eq!(run(&c, now + 60).sent, 4);
    assert_eq!(run(&c, now + 20 * 60).sent, 0);
    assert_eq!(
        mails(&c, id, "bob@o.nl"),
        (1, 0),
        "Bob's reminder is lost, not doubled"
    );
    let e = event(&c, id, EventKind::Reminder, D.plus(3));
    assert_eq!((e.state, e.sent, e.unknown), (EventState::Done, 4, 1));
    // his claim counted as a mail, so the next reminder reaches him
    assert_eq!(run(&c, at(D.plus(6), 7, 0)).sent, 5);
    assert_eq!(mails(&c, id, "bob@o.nl"), (1, 1));
    drop(c);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn closes_at_the_end_of_the_closing_day() {
    let d = dir();
    let c = open(&d);
    let id = planned(&c, PEOPLE);
    run(&c, at(D, 7, 0));
    run(&c, at(D.plus(9), 23, 59));
    assert_eq!(store::scan(&c, id).unwrap().status, ScanStatus::Open);
    let r = run(&c, at(D.plus(10), 0, 0));
    assert_eq!(r.closed, vec![id]);
    let s = store::scan(&c, id).unwrap();
    assert_eq!(
        (s.status, s.closed_on),
        (ScanStatus::Closed, Some(D.plus(10)))
    );
    assert_eq!(
        event(&c, id, EventKind::Close, D.plus(9)).state,
        EventState::Done
    );
    // the second reminder day passed while the server was down: skipped, not sent late
    // (it ran on D and D+9 only; D+3 was passed over when D+6 was due, D+6 was sent on D+9)
    assert_eq!(
        event(&c, id, EventKind::Reminder, D.plus(3)).state,
        EventState::Skipped
    );
    assert_eq!(event(&c, id, EventKind::Reminder, D.plus(6)).sent, 5);
    assert_eq!(
        reminders_total(&c, id),
        5,
        "one reminder each, not two at once"
    );
    // after closing the scheduler leaves it alone
    assert_eq!(run(&c, at(D.plus(11), 8, 0)), RunReport::default());
    drop(c);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn work_per_run_is_bounded() {
    let d = dir();
    let c = open(&d);
    let id = planned(&c, PEOPLE);
    let small = Limits {
        max_mails: 2,
        ..Limits::default()
    };
    let now = at(D, 7, 0);
    let sent: Vec<usize> = (0..4)
        .map(|i| run_with(&c, now + i * 600, small).sent)
        .collect();
    assert_eq!(sent, vec![2, 2, 1, 0]);
    let e = event(&c, id, EventKind::Invitation, D);
    assert_eq!((e.state, e.sent), (EventState::Done, 5));
    drop(c);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn a_mail_server_that_is_down_stops_the_run_and_failures_are_counted() {
    let d = dir();
    let c = open(&d);
    let id = planned(&c, PEOPLE);
    // a port nobody listens on
    let port = {
        let l = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
        l.local_addr().unwrap().port()
    };
    let down = MailConfig::Smtp {
        host: "127.0.0.1".into(),
        port,
        from: "Quick Scan <qs@o.nl>".into(),
    };
    let r = schedule::run(&c, &down, Some(&url()), at(D, 7, 0), Limits::default()).unwrap();
    assert_eq!((r.sent, r.failed, r.stopped_early), (0, 3, true));
    // failed mails do not count as sent
    let mailed: u32 = store::invitations(&c, id)
        .unwrap()
        .iter()
        .map(|i| i.mails_sent)
        .sum();
    assert_eq!(mailed, 0);
    // the next run (mail server back) sends the two that were not tried; the round reports
    // the three failures, which the trekker can send again by hand
    assert_eq!(run(&c, at(D, 7, 10)).sent, 2);
    let e = event(&c, id, EventKind::Invitation, D);
    assert_eq!((e.state, e.sent, e.failed), (EventState::Done, 2, 3));
    let r =
        mail::send_invitations(&c, &MailConfig::Outbox, id, "https://qs.example", false).unwrap();
    assert_eq!(r.sent, 3);
    drop(c);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn the_plan_is_checked() {
    let c = Connection::open_in_memory().unwrap();
    store::migrate(&c).unwrap();
    store::upsert_org(&c, "o", "Gemeente O", OrgKind::Gemeente).unwrap();
    let id = store::create_scan(&c, "o", "Nulmeting", None, D).unwrap();
    let today = D;
    let plan = |o: Option<i64>, cl: Option<i64>, r: &[i64]| Plan {
        opens_on: o.map(|x| D.plus(x)),
        closes_on: cl.map(|x| D.plus(x)),
        reminders: r.iter().map(|x| D.plus(*x)).collect(),
    };
    let err = |p: Plan| match store::set_plan(&c, id, &p, today) {
        Err(store::Error::Invalid(m)) => m,
        other => panic!("{other:?}"),
    };
    assert!(err(plan(Some(-1), None, &[])).contains("openingsdatum ligt in het verleden"));
    assert!(err(plan(Some(5), Some(5), &[])).contains("sluitdatum moet na de openingsdatum"));
    assert!(err(plan(Some(1), Some(9), &[1])).contains("na de openingsdatum"));
    assert!(err(plan(Some(1), Some(9), &[10])).contains("na de sluitdatum"));
    assert!(err(plan(Some(1), Some(9), &[2, 3, 4, 5])).contains("hoogstens 3"));
    assert!(err(plan(Some(1), Some(9), &[2, 2])).contains("maar één keer"));
    assert!(err(plan(None, Some(-2), &[])).contains("sluitdatum ligt in het verleden"));
    // a good plan; on the closing day itself a reminder is allowed
    store::set_plan(&c, id, &plan(Some(1), Some(9), &[9, 4]), today).unwrap();
    assert_eq!(
        store::plan(&c, id).unwrap(),
        plan(Some(1), Some(9), &[4, 9])
    );
    // later, with the dates passed: unchanged dates stay, a new past date is refused
    let later = D.plus(5);
    store::advance(&c, id, ScanStatus::Open, D.plus(1)).unwrap();
    store::set_plan(&c, id, &plan(Some(1), Some(12), &[4, 9]), later).unwrap();
    assert!(
        store::set_plan(&c, id, &plan(Some(1), Some(12), &[3, 9]), later)
            .is_err_and(|e| e.to_string().contains("verleden"))
    );
    assert!(
        store::set_plan(&c, id, &plan(Some(2), Some(12), &[4, 9]), later)
            .is_err_and(|e| e.to_string().contains("al open"))
    );
    // closed: the plan is fixed
    store::advance(&c, id, ScanStatus::Closed, later).unwrap();
    assert!(store::set_plan(&c, id, &plan(Some(1), Some(13), &[4, 9]), later).is_err());
}

#[test]
fn without_a_public_address_no_mail_goes_out() {
    let d = dir();
    let c = open(&d);
    let id = planned(&c, PEOPLE);
    let r = schedule::run(
        &c,
        &MailConfig::Outbox,
        None,
        at(D, 7, 0),
        Limits::default(),
    )
    .unwrap();
    assert_eq!((r.opened.clone(), r.sent), (vec![id], 0));
    assert!(store::outbox(&c, id).unwrap().is_empty());
    assert_eq!(
        store::plan_event(&c, id, EventKind::Invitation, D).unwrap(),
        None
    );
    // once the address is set, the next run sends the invitations with it
    assert_eq!(run(&c, at(D, 9, 0)).sent, 5);
    assert!(
        store::outbox(&c, id)
            .unwrap()
            .iter()
            .all(|m| m.body.contains("https://qs.example/vragenlijst/i/"))
    );
    drop(c);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn the_button_and_the_scheduler_never_both_invite_someone() {
    let d = dir();
    let c = open(&d);
    let id = planned(&c, PEOPLE);
    store::advance(&c, id, ScanStatus::Open, D).unwrap();
    let invs = store::invitations(&c, id).unwrap();
    // the scheduler has claimed the first invitation of its round and is about to send it
    let now = at(D, 7, 0);
    store::begin_round(&c, id, store::MailKind::Invitation, D).unwrap();
    assert_eq!(
        store::claim(&c, id, store::MailKind::Invitation, D, &[invs[0].id], now).unwrap(),
        vec![invs[0].id]
    );
    // the trekker presses "Uitnodigingen versturen": everyone else
    let r =
        mail::send_invitations(&c, &MailConfig::Outbox, id, "https://qs.example", false).unwrap();
    assert_eq!(r.sent, 4);
    // the scheduler may not claim an invitation the button sent
    assert!(
        store::claim(&c, id, store::MailKind::Invitation, D, &[invs[1].id], now)
            .unwrap()
            .is_empty()
    );
    // the scheduler's round sends nobody a second invitation
    assert_eq!(run(&c, now + 60).sent, 0);
    for i in &invs[1..] {
        assert_eq!(mails(&c, id, i.email.as_deref().unwrap()), (1, 0));
    }
    assert_eq!(mails(&c, id, invs[0].email.as_deref().unwrap()), (0, 0));
    drop(c);
    let _ = std::fs::remove_dir_all(&d);
}
