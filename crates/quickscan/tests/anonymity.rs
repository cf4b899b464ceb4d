//! Issue 11, attack 1 and its variants: no sequence of operator actions (inviting, paper forms,
//! settings, opening and closing, waves, comparing report versions) shows anything about fewer
//! than 5 self-submitted answers. Rule S of `THREATS.md`.

#![allow(
    clippy::too_many_lines,
    clippy::cast_possible_truncation,
    clippy::many_single_char_names
)]

use proptest::prelude::*;
use quickscan::model::{Day, Group, OrgKind, ScanStatus};
use quickscan::questionnaire::{AnswerValue, Answers};
use quickscan::report::{self, Cell};
use quickscan::store;
use rusqlite::Connection;
use std::collections::{BTreeMap, BTreeSet};

mod common;
use common::online;

const TODAY: Day = Day(20_100);

fn db() -> Connection {
    let c = Connection::open_in_memory().unwrap();
    store::migrate(&c).unwrap();
    c
}

fn ans(v: u8, text: &str) -> Answers {
    let mut a = Answers::new();
    a.insert("part_weten".into(), AnswerValue::Scale(v));
    a.insert("prio_top3".into(), AnswerValue::Ranking(vec![v % 4]));
    a.insert("prio_tip".into(), AnswerValue::Text(text.into()));
    a
}

/// Everything any export shows, as text: HTML, CSV, PDF and the report data.
fn everything(r: &report::Report) -> String {
    let html = quickscan::web::report_body(r, "/qs/o/scans/1").into_string();
    let pdf = String::from_utf8_lossy(&quickscan::pdf::report_pdf(r)).into_owned();
    format!("{html}\n{}\n{pdf}\n{r:?}", report::to_csv(r))
}

fn college_hidden(r: &report::Report) {
    assert!(!r.shown.contains(&Group::College), "{:?}", r.shown);
    let g = r.groups.iter().find(|g| g.group == Group::College).unwrap();
    assert_eq!((g.n, g.paper), (None, None));
    for t in &r.themes {
        assert!(
            t.items
                .iter()
                .all(|i| !i.cells.contains_key(&Group::College))
        );
        assert!(
            t.rankings
                .iter()
                .all(|k| !k.n.contains_key(&Group::College))
        );
    }
}

/// The attack of the issue: 3 collegeleden invited, one answers; the trekker tries to lower the
/// threshold, pads the group with paper forms of known content (while open, and after closing),
/// and reads the report.
#[test]
fn padding_a_small_group_with_paper_reveals_nothing() {
    let c = db();
    store::upsert_org(&c, "o", "Gemeente O", OrgKind::Gemeente).unwrap();
    let id = store::create_scan(&c, "o", "Nulmeting", None, TODAY).unwrap();
    store::import_respondents(
        &c,
        id,
        "a;a@o.nl;college\nb;b@o.nl;college\nc;c@o.nl;college\n",
    )
    .unwrap();
    store::advance(&c, id, ScanStatus::Open, TODAY).unwrap();
    online(
        &c,
        id,
        Group::College,
        &ans(2, "GEHEIM van de wethouder"),
        TODAY,
    );
    // other groups, so the report has something to show
    for i in 0..5 {
        online(&c, id, Group::Raad, &ans(4, &format!("raad {i}")), TODAY);
    }
    // 1. the threshold cannot go down
    for low in [1, 2, 3, 4] {
        assert!(store::set_settings(&c, id, low, 92).is_err());
    }
    // 2. paper forms with known answers while open: stored, but never count toward the threshold
    for _ in 0..10 {
        store::enter_paper(&c, id, Group::College, &ans(5, "bekend"), TODAY).unwrap();
    }
    store::advance(&c, id, ScanStatus::Closed, TODAY).unwrap();
    // 3. no paper after closing
    assert!(matches!(
        store::enter_paper(&c, id, Group::College, &ans(5, "bekend"), TODAY),
        Err(store::Error::State(_))
    ));
    let r = report::build(&c, id).unwrap();
    college_hidden(&r);
    let all = everything(&r);
    assert!(!all.contains("GEHEIM"));
    assert!(
        !all.contains("bekend"),
        "paper answers of a hidden group are hidden too"
    );
    // the shown group says how many answers came on paper (none here)
    let raad = r.groups.iter().find(|g| g.group == Group::Raad).unwrap();
    assert_eq!((raad.n, raad.paper), (Some(5), Some(0)));
    assert!(report::to_csv(&r).contains("Waarvan op papier"));
    // raising the threshold and lowering it back to 5 gives the same figures
    store::set_settings(&c, id, 6, 92).unwrap();
    let hidden = report::build(&c, id).unwrap();
    assert!(hidden.shown.is_empty());
    store::set_settings(&c, id, 5, 92).unwrap();
    let again = report::build(&c, id).unwrap();
    assert_eq!(canonical(&again), canonical(&r));
}

/// 4 real + any number of paper answers is still hidden; 5 real ones show, with the paper count.
#[test]
fn four_online_plus_paper_hidden_five_shown_with_paper_count() {
    let c = db();
    store::upsert_org(&c, "o", "Gemeente O", OrgKind::Gemeente).unwrap();
    let id = store::create_scan(&c, "o", "Nulmeting", None, TODAY).unwrap();
    store::advance(&c, id, ScanStatus::Open, TODAY).unwrap();
    for i in 0..4 {
        online(&c, id, Group::College, &ans(1, &format!("c{i}")), TODAY);
        online(&c, id, Group::Raad, &ans(3, &format!("r{i}")), TODAY);
    }
    online(&c, id, Group::Raad, &ans(3, "r4"), TODAY);
    for _ in 0..20 {
        store::enter_paper(&c, id, Group::College, &ans(5, "p"), TODAY).unwrap();
    }
    for _ in 0..2 {
        store::enter_paper(&c, id, Group::Raad, &ans(5, "p"), TODAY).unwrap();
    }
    store::advance(&c, id, ScanStatus::Closed, TODAY).unwrap();
    let r = report::build(&c, id).unwrap();
    college_hidden(&r);
    let raad = r.groups.iter().find(|g| g.group == Group::Raad).unwrap();
    assert_eq!((raad.n, raad.paper), (Some(7), Some(2)));
    let html = quickscan::web::report_body(&r, "/x").into_string();
    assert!(html.contains("Waarvan op papier"));
}

/// A shown group (≥ 5 online) where only one person answered one question: the trekker pads
/// that one cell with paper. The cell, the ranking and the open answers of it stay hidden.
#[test]
fn padding_a_single_cell_reveals_nothing() {
    let c = db();
    store::upsert_org(&c, "o", "Gemeente O", OrgKind::Gemeente).unwrap();
    let id = store::create_scan(&c, "o", "Nulmeting", None, TODAY).unwrap();
    store::advance(&c, id, ScanStatus::Open, TODAY).unwrap();
    let mut only_one = Answers::new();
    only_one.insert("inv_raad".into(), AnswerValue::Scale(1));
    only_one.insert("prio_top3".into(), AnswerValue::Ranking(vec![7]));
    only_one.insert("prio_tip".into(), AnswerValue::Text("GEHEIM".into()));
    only_one.insert("part_weten".into(), AnswerValue::Scale(2));
    online(&c, id, Group::Raad, &only_one, TODAY);
    for _ in 0..4 {
        let mut a = Answers::new();
        a.insert("part_weten".into(), AnswerValue::Scale(2));
        online(&c, id, Group::Raad, &a, TODAY);
    }
    for _ in 0..6 {
        let mut a = Answers::new();
        a.insert("inv_raad".into(), AnswerValue::Scale(5));
        a.insert("prio_top3".into(), AnswerValue::Ranking(vec![0]));
        a.insert("prio_tip".into(), AnswerValue::Text("papier".into()));
        store::enter_paper(&c, id, Group::Raad, &a, TODAY).unwrap();
    }
    store::advance(&c, id, ScanStatus::Closed, TODAY).unwrap();
    let r = report::build(&c, id).unwrap();
    assert_eq!(r.shown, vec![Group::Raad]);
    let item = |k: &str| {
        r.themes
            .iter()
            .flat_map(|t| &t.items)
            .find(|i| i.key == k)
            .unwrap()
            .clone()
    };
    assert_eq!(item("inv_raad").cells[&Group::Raad], Cell::TooFew);
    assert!(matches!(
        item("part_weten").cells[&Group::Raad],
        Cell::Shown(_)
    ));
    let rk = r
        .themes
        .iter()
        .flat_map(|t| &t.rankings)
        .find(|k| k.key == "prio_top3");
    assert!(rk.unwrap().n.is_empty());
    assert!(
        r.themes
            .iter()
            .all(|t| t.open.iter().all(|o| o.groups.is_empty()))
    );
    assert!(!everything(&r).contains("GEHEIM"));
}

/// Waves and benchmark: a group padded with paper in an earlier wave or in other organisations
/// never feeds the comparison columns.
#[test]
fn padded_groups_feed_neither_previous_wave_nor_benchmark() {
    let c = db();
    let padded = |c: &Connection, org: &str, prev: Option<i64>| {
        store::upsert_org(c, org, org, OrgKind::Gemeente).unwrap();
        let id = store::create_scan(c, org, "Meting", prev, TODAY).unwrap();
        store::advance(c, id, ScanStatus::Open, TODAY).unwrap();
        online(c, id, Group::College, &ans(1, "x"), TODAY);
        for _ in 0..6 {
            store::enter_paper(c, id, Group::College, &ans(5, "x"), TODAY).unwrap();
        }
        for _ in 0..5 {
            online(c, id, Group::Raad, &ans(3, "x"), TODAY);
        }
        store::advance(c, id, ScanStatus::Closed, TODAY).unwrap();
        id
    };
    let first = padded(&c, "a", None);
    for o in ["b", "c", "d", "e", "f"] {
        padded(&c, o, None);
    }
    store::upsert_org(&c, "a", "a", OrgKind::Gemeente).unwrap();
    let second = store::create_scan(&c, "a", "Tweede", Some(first), TODAY).unwrap();
    store::advance(&c, second, ScanStatus::Open, TODAY).unwrap();
    for _ in 0..5 {
        online(&c, second, Group::College, &ans(2, "y"), TODAY);
        online(&c, second, Group::Raad, &ans(2, "y"), TODAY);
    }
    store::advance(&c, second, ScanStatus::Closed, TODAY).unwrap();
    let r = report::build(&c, second).unwrap();
    let it = r.themes[0]
        .items
        .iter()
        .find(|i| i.key == "part_weten")
        .unwrap();
    assert!(it.previous.contains_key(&Group::Raad));
    assert!(!it.previous.contains_key(&Group::College));
    assert_eq!(r.benchmark_orgs, 5);
    assert!(it.benchmark.contains_key(&Group::Raad));
    assert!(!it.benchmark.contains_key(&Group::College));
    assert_eq!(r.benchmark_counts[&Group::Raad].total, 25);
    assert!(!r.benchmark_counts.contains_key(&Group::College));
}

/// Scans made before this rule with a threshold of 3 or 4 are raised to 5 by the migration.
#[test]
fn old_thresholds_are_migrated_to_five() {
    let c = Connection::open_in_memory().unwrap();
    c.execute_batch(
        "CREATE TABLE qs_migrations (name TEXT PRIMARY KEY) WITHOUT ROWID;
         INSERT INTO qs_migrations VALUES ('quickscan_0001_init');",
    )
    .unwrap();
    c.execute_batch(store::MIGRATIONS[0].1).unwrap();
    store::upsert_org(&c, "o", "O", OrgKind::Gemeente).unwrap();
    let id = store::create_scan(&c, "o", "Oud", None, TODAY).unwrap();
    c.execute("UPDATE qs_scan SET min_group = 3 WHERE id = ?1", [id])
        .unwrap();
    store::migrate(&c).unwrap();
    let m: u32 = c
        .query_row("SELECT min_group FROM qs_scan WHERE id = ?1", [id], |r| {
            r.get(0)
        })
        .unwrap();
    assert_eq!(m, 5);
    assert_eq!(store::scan(&c, id).unwrap().min_group, 5);
}

// ---------- property: random sequences of operator actions ----------

/// One respondent's answers, from a seed: questions may be skipped, "weet niet" occurs.
fn seeded(seed: u64, n: usize) -> Answers {
    let mut a = Answers::new();
    let x = seed
        .wrapping_mul(6_364_136_223_846_793_005)
        .wrapping_add((n as u64).wrapping_mul(1_442_695_040_888_963_407));
    let pick = |shift: u32, m: u64| ((x >> shift) % m) as u8;
    if pick(3, 5) != 0 {
        let v = pick(7, 6);
        a.insert(
            "part_weten".into(),
            if v == 0 {
                AnswerValue::DontKnow
            } else {
                AnswerValue::Scale(v)
            },
        );
    }
    if pick(11, 3) != 0 {
        a.insert("inv_raad".into(), AnswerValue::Scale(pick(13, 5) + 1));
    }
    if pick(17, 3) == 0 {
        a.insert("prio_top3".into(), AnswerValue::Ranking(vec![pick(19, 4)]));
    }
    if pick(23, 3) == 0 {
        a.insert(
            "prio_tip".into(),
            AnswerValue::Text(format!("tekst {}", pick(29, 50))),
        );
    }
    a
}

/// The other possible world: every value changed, keys (which questions were answered) kept.
fn altered(a: &Answers) -> Answers {
    a.iter()
        .map(|(k, v)| {
            let v = match v {
                AnswerValue::Scale(x) => AnswerValue::Scale(x % 5 + 1),
                AnswerValue::DontKnow => AnswerValue::Scale(3),
                AnswerValue::Choice(x) => AnswerValue::Choice(*x),
                AnswerValue::Ranking(r) => AnswerValue::Ranking(r.iter().map(|o| o + 4).collect()),
                AnswerValue::Text(t) => AnswerValue::Text(format!("ANDERS {t}")),
            };
            (k.clone(), v)
        })
        .collect()
}

#[derive(Debug, Clone)]
enum Op {
    /// `count` respondents of `group` answer online.
    Online {
        org: usize,
        group: usize,
        count: usize,
        seed: u64,
    },
    /// The trekker types in `count` paper forms.
    Paper {
        org: usize,
        group: usize,
        count: usize,
        seed: u64,
    },
    Settings {
        org: usize,
        min: u32,
    },
    Advance {
        org: usize,
    },
    NewWave {
        org: usize,
    },
    /// Read every report that can be read now (all versions are compared).
    Report,
}

const ORGS: usize = 7;

fn op() -> impl Strategy<Value = Op> {
    // organisation 0 is the one under attack; 1–6 make a benchmark possible
    let org = prop_oneof![3 => Just(0usize), 2 => 0..ORGS];
    prop_oneof![
        6 => (org.clone(), 0..4usize, 1..10usize, any::<u64>())
            .prop_map(|(org, group, count, seed)| Op::Online { org, group, count, seed }),
        3 => (org.clone(), 0..4usize, 1..5usize, any::<u64>())
            .prop_map(|(org, group, count, seed)| Op::Paper { org, group, count, seed }),
        1 => (org.clone(), 0..9u32).prop_map(|(org, min)| Op::Settings { org, min }),
        2 => org.clone().prop_map(|org| Op::Advance { org }),
        1 => org.prop_map(|org| Op::NewWave { org }),
        2 => Just(Op::Report),
    ]
}

/// A report with its open answers sorted (they are shuffled at every build).
fn canonical(r: &report::Report) -> String {
    let mut r = r.clone();
    r.scan.public_code.clear(); // random per world, never shown in a report
    for t in &mut r.themes {
        for o in &mut t.open {
            for (_, v) in &mut o.groups {
                v.sort();
            }
        }
    }
    format!("{r:?}\n{}", report::to_csv(&r))
}

/// Which online answers of a world are protected: those in a (scan, group) with fewer than 5
/// online answers, or in a (scan, group, question) cell with fewer than 5.
#[derive(Default, Clone)]
struct Online {
    /// Test of the test: alter every online answer, protected or not.
    alter_all: bool,
    /// (scan, group) → online answers
    group: BTreeMap<(i64, Group), u64>,
    /// (scan, group, item) → online answers
    cell: BTreeMap<(i64, Group, String), u64>,
}

impl Online {
    fn protected(&self, scan: i64, g: Group, key: &str) -> bool {
        self.group.get(&(scan, g)).copied().unwrap_or(0) < 5
            || self
                .cell
                .get(&(scan, g, key.to_owned()))
                .copied()
                .unwrap_or(0)
                < 5
    }
}

struct World {
    /// Every report version read, in order: (scan, canonical text).
    reports: Vec<(i64, String)>,
    online: Online,
}

/// Plays `ops`. With `protect`, every online answer in a protected cell of that (first) world
/// gets other values.
fn play(ops: &[Op], protect: Option<&Online>) -> World {
    let c = db();
    let mut current: Vec<Option<i64>> = vec![None; ORGS];
    for (i, slot) in current.iter_mut().enumerate() {
        let o = format!("org{i}");
        store::upsert_org(&c, &o, &o, OrgKind::Gemeente).unwrap();
        *slot = Some(store::create_scan(&c, &o, "Nulmeting", None, TODAY).unwrap());
    }
    let mut world = World {
        reports: Vec::new(),
        online: Online::default(),
    };
    let mut frozen: BTreeMap<i64, String> = BTreeMap::new();
    let mut n = 0usize;
    for op in ops {
        match op {
            Op::Online {
                org,
                group,
                count,
                seed,
            }
            | Op::Paper {
                org,
                group,
                count,
                seed,
            } => {
                let scan = current[*org].unwrap();
                let s = store::scan(&c, scan).unwrap();
                let g = Group::ALL[*group];
                for _ in 0..*count {
                    n += 1;
                    let a = seeded(*seed, n);
                    if matches!(op, Op::Paper { .. }) {
                        let r = store::enter_paper(&c, scan, g, &a, TODAY);
                        assert_eq!(r.is_ok(), s.status == ScanStatus::Open && !a.is_empty());
                        continue;
                    }
                    if s.status != ScanStatus::Open {
                        continue;
                    }
                    let a = match protect {
                        Some(p) if p.alter_all => altered(&a),
                        Some(p) => a
                            .iter()
                            .map(|(k, v)| (k.clone(), v.clone()))
                            .map(|(k, v)| {
                                if p.protected(scan, g, &k) {
                                    let one: Answers = [(k.clone(), v)].into_iter().collect();
                                    altered(&one).into_iter().next().unwrap()
                                } else {
                                    (k, v)
                                }
                            })
                            .collect(),
                        None => a,
                    };
                    online(&c, scan, g, &a, TODAY);
                    *world.online.group.entry((scan, g)).or_default() += 1;
                    for k in a.keys() {
                        *world.online.cell.entry((scan, g, k.clone())).or_default() += 1;
                    }
                }
            }
            Op::Settings { org, min } => {
                let r = store::set_settings(&c, current[*org].unwrap(), *min, 92);
                assert_eq!(r.is_ok(), *min >= 5);
            }
            Op::Advance { org } => {
                let scan = current[*org].unwrap();
                let s = store::scan(&c, scan).unwrap();
                if let Some(next) = s.status.next() {
                    store::advance(&c, scan, next, TODAY).unwrap();
                }
            }
            Op::NewWave { org } => {
                let scan = current[*org].unwrap();
                if store::scan(&c, scan).unwrap().status >= ScanStatus::Closed {
                    current[*org] = Some(
                        store::create_scan(&c, &format!("org{org}"), "Vervolg", Some(scan), TODAY)
                            .unwrap(),
                    );
                }
            }
            Op::Report => {
                let ids: Vec<i64> = c
                    .prepare("SELECT id FROM qs_scan ORDER BY id")
                    .unwrap()
                    .query_map([], |r| r.get(0))
                    .unwrap()
                    .collect::<Result<_, _>>()
                    .unwrap();
                for id in ids {
                    let s = store::scan(&c, id).unwrap();
                    if !report::available(&s) {
                        continue;
                    }
                    // the answers of a scan whose report can be read never change again
                    let data = format!(
                        "{:?} {:?}",
                        store::group_counts(&c, id).unwrap(),
                        store::answer_data(&c, id).unwrap().counts
                    );
                    assert_eq!(frozen.entry(id).or_insert_with(|| data.clone()), &data);
                    let r = report::build(&c, id).unwrap();
                    // directly: every shown group has ≥ 5 online answers
                    for g in &r.groups {
                        if g.n.is_some() {
                            assert!(
                                world.online.group.get(&(id, g.group)).copied().unwrap_or(0) >= 5
                            );
                        }
                    }
                    world.reports.push((id, canonical(&r)));
                }
            }
        }
    }
    world
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 40, ..ProptestConfig::default() })]

    /// Non-interference: two worlds that differ only in the values of protected online answers
    /// (those in a group or cell with fewer than 5 online answers) give identical reports, in
    /// every version read at any moment. So no figure, and no comparison of two versions,
    /// depends on them.
    #[test]
    fn no_figure_depends_on_fewer_than_five_online_answers(ops in proptest::collection::vec(op(), 10..90)) {
        let a = play(&ops, None);
        let b = play(&ops, Some(&a.online));
        prop_assert_eq!(a.reports.len(), b.reports.len());
        for ((ia, ra), (ib, rb)) in a.reports.iter().zip(&b.reports) {
            prop_assert_eq!(ia, ib);
            prop_assert!(ra == rb, "report of scan {} differs between the worlds:\n{}\n----\n{}", ia, ra, rb);
        }
    }
}

/// The comparison is not vacuous: altering answers that are *not* protected does change the
/// report, and the protected ones (one raadslid next to six collegeleden) do not.
#[test]
fn property_is_sensitive() {
    let ops = vec![
        Op::Advance { org: 0 },
        Op::Online {
            org: 0,
            group: 1,
            count: 12,
            seed: 1,
        },
        Op::Online {
            org: 0,
            group: 0,
            count: 1,
            seed: 2,
        },
        Op::Paper {
            org: 0,
            group: 0,
            count: 4,
            seed: 3,
        },
        Op::Advance { org: 0 },
        Op::Report,
    ];
    let a = play(&ops, None);
    let b = play(&ops, Some(&a.online));
    assert_eq!(a.reports, b.reports);
    let scans: BTreeSet<_> = a.reports.iter().map(|(id, _)| *id).collect();
    assert_eq!(scans.len(), 1);
    let all = Online {
        alter_all: true,
        ..Online::default()
    };
    let c = play(&ops, Some(&all));
    assert_ne!(a.reports, c.reports);
}
