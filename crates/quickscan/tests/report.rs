//! Report tests: small groups never appear, in the report data or in any export.

#![allow(
    clippy::format_push_string,
    clippy::cast_possible_truncation,
    clippy::too_many_lines,
    clippy::unreadable_literal,
    clippy::cast_precision_loss
)]

use quickscan::model::{Day, Group, OrgKind, ScanStatus};
use quickscan::questionnaire::{AnswerValue, Answers};
use quickscan::report::{self, Cell, Exact, Kind};
use quickscan::store;
use rusqlite::Connection;

mod common;
use common::online;

const TODAY: Day = Day(20_100);

fn answers(v: u8, dk: bool, tip: &str) -> Answers {
    let mut a = Answers::new();
    a.insert("part_weten".into(), AnswerValue::Scale(v));
    a.insert(
        "inv_raad".into(),
        if dk {
            AnswerValue::DontKnow
        } else {
            AnswerValue::Scale(3)
        },
    );
    a.insert("prio_top3".into(), AnswerValue::Ranking(vec![0, 2]));
    a.insert("prio_tip".into(), AnswerValue::Text(tip.into()));
    a
}

/// raad 6, college 3, ambtenaren 5, inwoners 8 — all answered online (paper never counts
/// toward the threshold).
fn scan_with(c: &Connection, org: &str, raad_score: u8) -> i64 {
    store::upsert_org(c, org, &format!("Gemeente {org}"), OrgKind::Gemeente).unwrap();
    let id = store::create_scan(c, org, "Nulmeting", None, TODAY).unwrap();
    store::advance(c, id, ScanStatus::Open, TODAY).unwrap();
    for i in 0..6 {
        online(
            c,
            id,
            Group::Raad,
            &answers(raad_score, i < 3, "raadtip"),
            TODAY,
        );
    }
    for _ in 0..3 {
        online(
            c,
            id,
            Group::College,
            &answers(1, false, "GEHEIM-COLLEGE"),
            TODAY,
        );
    }
    for _ in 0..5 {
        online(
            c,
            id,
            Group::Ambtenaren,
            &answers(3, false, "ambtenarentip"),
            TODAY,
        );
    }
    for _ in 0..8 {
        online(
            c,
            id,
            Group::Inwoners,
            &answers(1, false, "inwonerstip"),
            TODAY,
        );
    }
    store::advance(c, id, ScanStatus::Closed, TODAY).unwrap();
    id
}

fn db() -> Connection {
    let c = Connection::open_in_memory().unwrap();
    store::migrate(&c).unwrap();
    c
}

#[test]
fn small_group_suppressed_everywhere() {
    let c = db();
    let id = scan_with(&c, "a", 5);
    let r = report::build(&c, id).unwrap();
    assert_eq!(
        r.shown,
        vec![Group::Raad, Group::Ambtenaren, Group::Inwoners]
    );
    assert_eq!(r.suppressed, vec![Group::College]);
    let college = r.groups.iter().find(|g| g.group == Group::College).unwrap();
    assert_eq!(college.n, None, "even the count is not shown");
    assert!(r.suppression_note().unwrap().contains("collegeleden"));
    for t in &r.themes {
        for i in &t.items {
            assert!(!i.cells.contains_key(&Group::College));
        }
        for rk in &t.rankings {
            assert!(!rk.n.contains_key(&Group::College));
        }
        for o in &t.open {
            assert!(!o.groups.iter().any(|(g, _)| *g == Group::College));
            for (_, answers) in &o.groups {
                assert!(!answers.iter().any(|a| a.contains("GEHEIM")));
            }
        }
    }
    let csv = report::to_csv(&r);
    assert!(!csv.contains("GEHEIM"));
    for line in csv.lines().filter(|l| l.contains("Collegeleden")) {
        assert!(
            line.contains("minder dan 5") && line.starts_with("respons"),
            "{line}"
        );
    }
    let pdf = quickscan::pdf::report_pdf(&r);
    let text = String::from_utf8_lossy(&pdf);
    assert!(!text.contains("GEHEIM"));
    // the only mentions of the group are the response table and the explanation
    assert_eq!(
        text.matches("(Collegeleden)").count(),
        1,
        "only the response row"
    );
}

#[test]
fn threshold_can_be_raised_but_never_below_five() {
    let c = db();
    let id = scan_with(&c, "a", 5);
    for low in [0, 2, 3, 4] {
        assert!(store::set_settings(&c, id, low, 92).is_err(), "{low}");
    }
    // not even behind the application's back
    assert!(
        c.execute("UPDATE qs_scan SET min_group = 3 WHERE id = ?1", [id])
            .is_err()
    );
    store::set_settings(&c, id, 6, 92).unwrap();
    let r = report::build(&c, id).unwrap();
    assert_eq!(r.shown, vec![Group::Raad, Group::Inwoners]);
    assert_eq!(r.suppressed, vec![Group::College, Group::Ambtenaren]);
}

#[test]
fn rules_fire() {
    let c = db();
    let id = scan_with(&c, "a", 5);
    let r = report::build(&c, id).unwrap();
    let has = |kind: Kind, item: &str| {
        r.summary
            .iter()
            .any(|f| f.item == item && f.signals.iter().any(|s| s.kind == kind))
    };
    assert!(has(Kind::Gap, "part_weten"), "{:#?}", r.summary);
    assert!(has(Kind::High, "part_weten"));
    assert!(has(Kind::Low, "part_weten"));
    assert!(has(Kind::DontKnow, "inv_raad"));
    assert!(r.themes.iter().any(|t| t.verdict.tip.is_some()));
    let item = r.themes[0]
        .items
        .iter()
        .find(|i| i.key == "part_weten")
        .unwrap();
    let Cell::Shown(d) = &item.cells[&Group::Raad] else {
        panic!()
    };
    assert_eq!(d.n, 6);
    assert_eq!(d.mean, Exact::new(30, 6));
    // ranking shares (percentages)
    let rk = &r.themes.last().unwrap().rankings[0];
    assert_eq!(rk.options[0].1[&Group::Inwoners].nl(0), "100");
}

#[test]
fn waves_compare_and_benchmark_needs_five_orgs() {
    let c = db();
    let first = scan_with(&c, "a", 2);
    store::advance(&c, first, ScanStatus::Report, TODAY).unwrap();
    // second wave of the same org
    let second = store::create_scan(&c, "a", "Voortgangsmeting", Some(first), TODAY).unwrap();
    store::advance(&c, second, ScanStatus::Open, TODAY).unwrap();
    for _ in 0..6 {
        online(&c, second, Group::Raad, &answers(4, false, "x"), TODAY);
    }
    store::advance(&c, second, ScanStatus::Closed, TODAY).unwrap();
    let r = report::build(&c, second).unwrap();
    let item = r.themes[0]
        .items
        .iter()
        .find(|i| i.key == "part_weten")
        .unwrap();
    assert_eq!(item.previous[&Group::Raad].nl(1), "2,0");
    assert!(
        r.summary
            .iter()
            .any(|f| f.signals.iter().any(|s| s.kind == Kind::Change))
    );
    assert_eq!(r.benchmark_orgs, 0);
    // four other organisations: still no benchmark
    for o in ["b", "c", "d", "e"] {
        scan_with(&c, o, 3);
    }
    let r = report::build(&c, second).unwrap();
    assert_eq!(r.benchmark_orgs, 0);
    assert!(r.themes[0].items[0].benchmark.is_empty());
    scan_with(&c, "f", 3);
    let r = report::build(&c, second).unwrap();
    assert_eq!(r.benchmark_orgs, 5);
    let item = r.themes[0]
        .items
        .iter()
        .find(|i| i.key == "part_weten")
        .unwrap();
    assert_eq!(item.benchmark[&Group::Raad].mean.nl(2), "3,00");
    assert_eq!(item.benchmark[&Group::Raad].orgs, 5);
}
