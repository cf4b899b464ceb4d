//! Issue 12: open answers are reviewed by the trekker before the report is vastgesteld; the
//! commissie and begeleider see nothing before that. Hidden and shortened originals are
//! destroyed, not kept; suppressed groups are never shown, also not in the review.

#![allow(clippy::too_many_lines, clippy::many_single_char_names)]

use quickscan::model::{Day, Group, OrgKind, ScanStatus};
use quickscan::questionnaire::{AnswerValue, Answers};
use quickscan::report;
use quickscan::store;
use quickscan::web::{Options, module};
use rusqlite::Connection;
use webkit::testing::{Session, TestApp};
use webkit::{Role, RoleGrant};

mod common;
use common::online;

const TODAY: Day = Day(20_100);
const IDENTIFYING: &str =
    "Ik ben de voorzitter van dorpsraad Zwartewaterkloosterveen en vind de raad te ver weg";
const SECRET_WORD: &str = "Zwartewaterkloosterveen";
const HIDDEN: &str = "Mijn buurman Hendrikus-Bartholomeus klaagt altijd";

fn tip(t: &str) -> Answers {
    let mut a = Answers::new();
    a.insert("part_weten".into(), AnswerValue::Scale(3));
    a.insert("prio_tip".into(), AnswerValue::Text(t.into()));
    a
}

/// raad 5 online (one identifying, one to hide), college 3 online + 5 on paper (suppressed),
/// ambtenaren 6 of whom only 4 wrote a tip (cell suppressed), inwoners 5.
fn seed(c: &Connection, org: &str) -> i64 {
    store::upsert_org(c, org, "Gemeente Een", OrgKind::Gemeente).unwrap();
    let id = store::create_scan(c, org, "Nulmeting", None, TODAY).unwrap();
    store::advance(c, id, ScanStatus::Open, TODAY).unwrap();
    for t in [
        IDENTIFYING,
        HIDDEN,
        "Meer uitleg",
        "Vaker de wijk in",
        "Goed zo",
    ] {
        online(c, id, Group::Raad, &tip(t), TODAY);
    }
    for _ in 0..3 {
        online(c, id, Group::College, &tip("GEHEIM-COLLEGE"), TODAY);
    }
    for _ in 0..5 {
        store::enter_paper(c, id, Group::College, &tip("GEHEIM-PAPIER"), TODAY).unwrap();
    }
    for i in 0..6 {
        let mut a = tip("GEHEIM-CEL");
        if i >= 4 {
            a.remove("prio_tip");
        }
        online(c, id, Group::Ambtenaren, &a, TODAY);
    }
    for _ in 0..5 {
        online(c, id, Group::Inwoners, &tip("Inwonerstip"), TODAY);
    }
    store::advance(c, id, ScanStatus::Closed, TODAY).unwrap();
    id
}

fn handle_of(c: &Connection, scan: i64, text: &str) -> String {
    store::review_cells(c, scan)
        .unwrap()
        .into_iter()
        .flat_map(|c| c.answers)
        .find(|a| a.text == text)
        .unwrap_or_else(|| panic!("{text} not in review"))
        .handle
}

fn data_dir(name: &str) -> std::path::PathBuf {
    let d = std::env::temp_dir().join(format!("qs-review-{name}-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).unwrap();
    d
}

/// All bytes of every file in `dir` (database, WAL, shared memory).
fn all_bytes(dir: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        out.extend(std::fs::read(e.path()).unwrap_or_default());
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

#[test]
fn hidden_and_redacted_originals_are_destroyed_in_the_files() {
    let dir = data_dir("destroy");
    let c = Connection::open(dir.join("stembus.sqlite")).unwrap();
    let _: String = c
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .unwrap();
    store::migrate(&c).unwrap();
    let scan = seed(&c, "o");
    store::checkpoint_truncate(&c, "qa");
    let before = all_bytes(&dir);
    assert!(
        contains(&before, SECRET_WORD) && contains(&before, HIDDEN),
        "the test can see text in the files"
    );

    let h = handle_of(&c, scan, HIDDEN);
    store::hide_answer(&c, scan, &h).unwrap();
    let r = handle_of(&c, scan, IDENTIFYING);
    let edited = IDENTIFYING.replace(&format!("dorpsraad {SECRET_WORD} "), "");
    let stored = store::redact_answer(&c, scan, &r, &edited).unwrap();
    assert_eq!(
        stored,
        "Ik ben de voorzitter van [weggelaten] en vind de raad te ver weg"
    );

    let after = all_bytes(&dir);
    assert!(
        !contains(&after, SECRET_WORD),
        "redacted words still in the files"
    );
    assert!(
        !contains(&after, "Hendrikus-Bartholomeus"),
        "hidden answer still in the files"
    );
    assert!(contains(&after, "[weggelaten]"));

    // the report: the shortened text, one hidden, the cell still counts 5 (so it is shown)
    let rep = report::build(&c, scan).unwrap();
    let q = rep
        .themes
        .iter()
        .flat_map(|t| &t.open)
        .find(|q| q.key == "prio_tip")
        .unwrap();
    let (_, raad) = q.groups.iter().find(|(g, _)| *g == Group::Raad).unwrap();
    assert_eq!(q.hidden.get(&Group::Raad), Some(&1));
    assert_eq!(raad.len(), 4);
    assert!(raad.contains(&stored));
    let s = store::review_state(&c, scan).unwrap();
    assert_eq!((s.hidden, s.redacted, s.established_on), (1, 1, None));
    assert_eq!(rep.established, None, "a concept until vastgesteld");

    // after vaststellen nothing can change any more
    store::advance(&c, scan, ScanStatus::Report, TODAY.plus(1)).unwrap();
    let rep = report::build(&c, scan).unwrap();
    assert_eq!(rep.established, Some(TODAY.plus(1)));
    let h = handle_of(&c, scan, "Goed zo");
    assert!(matches!(
        store::hide_answer(&c, scan, &h),
        Err(store::Error::State(_))
    ));
    drop(c);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_trekker_cannot_put_words_in_a_mouth() {
    let c = Connection::open_in_memory().unwrap();
    store::migrate(&c).unwrap();
    let scan = seed(&c, "o");
    let h = handle_of(&c, scan, "Vaker de wijk in");
    for bad in [
        "Vaker de wijk in en zo", // added
        "Nooit de wijk in",       // changed
        "wijk Vaker de in",       // reordered
        "Vaker de wijk in",       // nothing removed
        "",                       // everything: that is hiding
    ] {
        assert!(
            matches!(
                store::redact_answer(&c, scan, &h, bad),
                Err(store::Error::Invalid(_))
            ),
            "{bad:?}"
        );
    }
    // nothing changed, nothing counted
    assert_eq!(handle_of(&c, scan, "Vaker de wijk in"), h);
    assert_eq!(store::review_state(&c, scan).unwrap().redacted, 0);
    // removing "de" is fine and marked
    assert_eq!(
        store::redact_answer(&c, scan, &h, "Vaker wijk in").unwrap(),
        "Vaker [weggelaten] wijk in"
    );
    // a made-up handle reaches nothing
    assert!(store::hide_answer(&c, scan, "0123456789abcdef0123456789abcdef").is_err());
}

#[test]
fn suppressed_groups_and_cells_are_never_reviewed() {
    let c = Connection::open_in_memory().unwrap();
    store::migrate(&c).unwrap();
    let scan = seed(&c, "o");
    let cells = store::review_cells(&c, scan).unwrap();
    let groups: Vec<Group> = cells.iter().map(|c| c.group).collect();
    assert_eq!(groups, vec![Group::Raad, Group::Inwoners], "{cells:?}");
    let all = format!(
        "{cells:?}{:?}",
        store::reviewed_open_answers(&c, scan).unwrap()
    );
    assert!(!all.contains("GEHEIM"), "{all}");
    // and not before closing either, nor through a handle: the review refuses an open scan
    let open = store::create_scan(&c, "o", "Tweede", Some(scan), TODAY).unwrap();
    store::advance(&c, open, ScanStatus::Open, TODAY).unwrap();
    for _ in 0..5 {
        online(&c, open, Group::Raad, &tip("Nog open"), TODAY);
    }
    let h = handle_of(&c, open, "Nog open");
    assert!(matches!(
        store::hide_answer(&c, open, &h),
        Err(store::Error::State(_))
    ));
}

// ---- the web: who sees what, and when ----

fn app() -> TestApp {
    TestApp::new(vec![module(Options {
        mail: quickscan::mail::MailConfig::Outbox,
        public_url: Some(quickscan::links::PublicUrl::parse("http://test").unwrap()),
        public_per_minute: 1000,
        retention_every: std::time::Duration::from_hours(24),
        schedule_every: std::time::Duration::from_mins(10),
        public_challenge: false,
    })])
}

fn as_role(app: &TestApp, role: Role, org: &str) -> Session {
    app.login(&[RoleGrant {
        role,
        org: Some(org.into()),
    }])
}

#[tokio::test]
async fn commissie_and_begeleider_wait_for_vaststellen() {
    let app = app();
    let scan = app
        .state()
        .db()
        .with(|c| Ok::<_, store::Error>(seed(c, "1")))
        .unwrap();
    let base = format!("/qs/1/scans/{scan}");
    let t = as_role(&app, Role::Trekker, "1");
    let cm = as_role(&app, Role::Commissie, "1");
    let bg = as_role(&app, Role::Begeleider, "1");
    let reads = [
        "/rapport",
        "/rapport.csv",
        "/rapport.pdf",
        "/agenda",
        "/agenda.csv",
    ];
    for who in [&cm, &bg] {
        for p in reads {
            let r = app.get(&format!("{base}{p}"), Some(who)).await;
            assert_eq!(r.status.as_u16(), 403, "{p}");
            assert!(
                r.body.contains("Het rapport is nog niet vastgesteld"),
                "{p}: {}",
                r.body
            );
        }
        for p in ["/open-antwoorden", "/vaststellen"] {
            assert_eq!(
                app.get(&format!("{base}{p}"), Some(who))
                    .await
                    .status
                    .as_u16(),
                403
            );
        }
    }
    // the trekker reads the concept, marked as such
    let rep = app.get(&format!("{base}/rapport"), Some(&t)).await;
    assert!(rep.status.is_success());
    assert!(rep.body.contains("Concept — nog niet vastgesteld"));

    // the review page: raad and inwoners, never college (3 online) or the ambtenaren cell (4)
    let page = app.get(&format!("{base}/open-antwoorden"), Some(&t)).await;
    assert!(page.status.is_success());
    assert!(page.body.contains("Dit kan niet ongedaan worden"));
    assert!(page.body.contains("Hendrikus-Bartholomeus") && !page.body.contains("GEHEIM"));

    // hide: first a confirmation, nothing changes yet
    let h = app
        .state()
        .db()
        .with(|c| Ok::<_, store::Error>(handle_of(c, scan, HIDDEN)))
        .unwrap();
    let r = app
        .post_form(
            &format!("{base}/open-antwoorden"),
            &t,
            &[("antwoord", &h), ("actie", "verbergen"), ("tekst", HIDDEN)],
        )
        .await;
    assert!(r.status.is_success(), "{}", r.status);
    assert!(
        r.body.contains("Ja, antwoord verbergen")
            && r.body.contains("Dit kan niet ongedaan worden")
    );
    assert_eq!(
        app.state()
            .db()
            .with(|c| store::review_state(c, scan))
            .unwrap()
            .hidden,
        0
    );
    let r = app
        .post_form(
            &format!("{base}/open-antwoorden"),
            &t,
            &[
                ("antwoord", &h),
                ("actie", "verbergen"),
                ("bevestigd", "ja"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    // shorten: an addition is refused with the input kept
    let h = app
        .state()
        .db()
        .with(|c| Ok::<_, store::Error>(handle_of(c, scan, IDENTIFYING)))
        .unwrap();
    let added = format!("{IDENTIFYING} heel erg");
    let r = app
        .post_form(
            &format!("{base}/open-antwoorden"),
            &t,
            &[
                ("antwoord", &h),
                ("actie", "inkorten"),
                ("tekst", &added),
                ("bevestigd", "ja"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.body.contains("niets toevoegen") && r.body.contains("heel erg"));
    let edited = IDENTIFYING.replace(SECRET_WORD, "");
    let r = app
        .post_form(
            &format!("{base}/open-antwoorden"),
            &t,
            &[
                ("antwoord", &h),
                ("actie", "inkorten"),
                ("tekst", &edited),
                ("bevestigd", "ja"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);

    // only through the confirmation page: the dashboard's status route refuses "report"
    let r = app
        .post_form(&format!("{base}/status"), &t, &[("to", "report")])
        .await;
    assert_eq!(r.status.as_u16(), 409);
    assert!(
        app.get(&format!("{base}/vaststellen"), Some(&t))
            .await
            .body
            .contains("Ja, rapport vaststellen")
    );
    let r = app.post_form(&format!("{base}/vaststellen"), &t, &[]).await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);

    for who in [&cm, &bg] {
        for p in reads {
            let r = app.get(&format!("{base}{p}"), Some(who)).await;
            assert!(r.status.is_success(), "{p}: {}", r.status);
        }
    }
    let rep = app.get(&format!("{base}/rapport"), Some(&cm)).await.body;
    assert!(!rep.contains("Concept — nog niet vastgesteld"));
    assert!(rep.contains(&format!("Vastgesteld op {}.", Day::today().long_nl())));
    assert!(rep.contains("dorpsraad [weggelaten] en vind"), "{rep}");
    assert!(!rep.contains(SECRET_WORD) && !rep.contains("Hendrikus"));
    assert!(rep.contains("1 antwoord verborgen door de trekker"));
    // the review is closed now
    let r = app
        .post_form(
            &format!("{base}/open-antwoorden"),
            &t,
            &[
                ("antwoord", &h),
                ("actie", "verbergen"),
                ("bevestigd", "ja"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 409);
    // the audit log: counts only, once
    let log = app.get("/qs/1/logboek", Some(&t)).await.body;
    assert!(log.contains("1 antwoorden verborgen, 1 ingekort"), "{log}");
    assert!(!log.contains("dorpsraad") && !log.contains("Goed zo"));
    let entries = app
        .state()
        .db()
        .with(|c| store::audit_log(c, Some("1"), 100))
        .unwrap();
    assert_eq!(
        entries
            .iter()
            .filter(|e| e.action.contains("vastgesteld"))
            .count(),
        1
    );
    assert!(!entries.iter().any(|e| e.detail.contains("weggelaten")));
}

#[tokio::test]
async fn a_long_review_is_paged_in_a_stable_order() {
    let app = app();
    let scan = app
        .state()
        .db()
        .with(|c| {
            store::upsert_org(c, "1", "Gemeente Een", OrgKind::Gemeente)?;
            let id = store::create_scan(c, "1", "Groot", None, TODAY)?;
            store::advance(c, id, ScanStatus::Open, TODAY)?;
            for i in 0..105 {
                online(c, id, Group::Inwoners, &tip(&format!("tip-{i:03}")), TODAY);
            }
            store::advance(c, id, ScanStatus::Closed, TODAY)?;
            Ok::<_, store::Error>(id)
        })
        .unwrap();
    let t = as_role(&app, Role::Trekker, "1");
    let base = format!("/qs/1/scans/{scan}/open-antwoorden");
    let tips = |body: &str| -> Vec<String> {
        body.match_indices(">tip-")
            .map(|(i, _)| body[i + 1..i + 8].to_owned())
            .collect()
    };
    let p1 = app.get(&base, Some(&t)).await.body;
    let p2 = app.get(&format!("{base}?pagina=2"), Some(&t)).await.body;
    assert!(p1.contains("105 open antwoorden op 2 pagina's") && p1.contains("?pagina=2"));
    let (a, b) = (tips(&p1), tips(&p2));
    assert_eq!((a.len(), b.len()), (100, 5));
    assert_eq!(
        tips(&app.get(&base, Some(&t)).await.body),
        a,
        "same order again"
    );
    let mut all: Vec<String> = a.into_iter().chain(b).collect();
    all.sort();
    all.dedup();
    assert_eq!(all.len(), 105, "every answer on exactly one page");
    // an action on page 2 returns to page 2
    let h = app
        .state()
        .db()
        .with(|c| Ok::<_, store::Error>(handle_of(c, scan, &tips(&p2)[0])))
        .unwrap();
    let r = app
        .post_form(
            &base,
            &t,
            &[
                ("antwoord", &h),
                ("actie", "verbergen"),
                ("bevestigd", "ja"),
                ("pagina", "2"),
            ],
        )
        .await;
    assert_eq!(r.location(), Some(&*format!("{base}?pagina=2")));
}

/// Scans that were past "Rapport vaststellen" before migration 0004 stay readable by the
/// commissie: their day is taken as the closing day (the earliest it can have been).
#[test]
fn migration_keeps_earlier_vastgestelde_reports() {
    let c = Connection::open_in_memory().unwrap();
    store::migrate(&c).unwrap();
    store::upsert_org(&c, "o", "Gemeente O", OrgKind::Gemeente).unwrap();
    let old = store::create_scan(&c, "o", "Oud", None, TODAY).unwrap();
    store::advance(&c, old, ScanStatus::Open, TODAY).unwrap();
    store::advance(&c, old, ScanStatus::Closed, TODAY.plus(3)).unwrap();
    store::advance(&c, old, ScanStatus::Report, TODAY.plus(9)).unwrap();
    let closed = store::create_scan(&c, "o", "Dicht", None, TODAY).unwrap();
    store::advance(&c, closed, ScanStatus::Open, TODAY).unwrap();
    store::advance(&c, closed, ScanStatus::Closed, TODAY).unwrap();
    // back to the state before 0004
    c.execute_batch(
        "DROP TABLE qs_review; DELETE FROM qs_migrations WHERE name = 'quickscan_0004_review';",
    )
    .unwrap();
    store::migrate(&c).unwrap();
    assert_eq!(
        store::review_state(&c, old).unwrap().established_on,
        Some(TODAY.plus(3))
    );
    assert_eq!(
        store::review_state(&c, closed).unwrap().established_on,
        None
    );
}
