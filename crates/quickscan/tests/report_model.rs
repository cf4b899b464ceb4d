//! The report model (issue 12): n per figure with "weet niet" apart, exact rounding, the ranked
//! summary, one verdict and tip per theme, the benchmark opt-out, and both CSV forms.

#![allow(clippy::too_many_lines, clippy::many_single_char_names)]

use quickscan::csv::{Dialect, REPORT_COLUMNS, parse, report_csv};
use quickscan::model::{Day, Group, OrgKind, ScanStatus};
use quickscan::questionnaire::{AnswerValue, Answers};
use quickscan::report::{self, Cell, SUMMARY_MAX, Verdict};
use quickscan::store;
use rusqlite::Connection;

mod common;
use common::online;

const TODAY: Day = Day(20_100);

fn db() -> Connection {
    let c = Connection::open_in_memory().unwrap();
    store::migrate(&c).unwrap();
    c
}

fn one(key: &str, v: Option<u8>) -> Answers {
    let mut a = Answers::new();
    a.insert(
        key.into(),
        v.map_or(AnswerValue::DontKnow, AnswerValue::Scale),
    );
    a
}

/// An organisation's closed scan where each group answers `part_weten` with `values`
/// (`None` = weet niet), plus anything in `extra`.
fn scan(c: &Connection, org: &str, groups: &[(Group, Vec<Answers>)]) -> i64 {
    store::upsert_org(c, org, &format!("Gemeente {org}"), OrgKind::Gemeente).unwrap();
    let id = store::create_scan(c, org, "Nulmeting", None, TODAY).unwrap();
    store::advance(c, id, ScanStatus::Open, TODAY).unwrap();
    for (g, list) in groups {
        for a in list {
            online(c, id, *g, a, TODAY);
        }
    }
    store::advance(c, id, ScanStatus::Closed, TODAY).unwrap();
    id
}

fn values(key: &str, vs: &[Option<u8>]) -> Vec<Answers> {
    vs.iter().map(|v| one(key, *v)).collect()
}

/// The case: a college mean on 4 answers (2 said "weet niet") was labelled n=6, and
/// 17/4 = 4,25 showed as "4,2".
#[test]
fn mean_counts_answers_without_dont_know_and_rounds_half_away_from_zero() {
    let c = db();
    let college = values(
        "part_weten",
        &[Some(5), Some(4), Some(4), Some(4), None, None],
    );
    let id = scan(&c, "a", &[(Group::College, college)]);
    let r = report::build(&c, id).unwrap();
    let item = r.themes[0]
        .items
        .iter()
        .find(|i| i.key == "part_weten")
        .unwrap();
    let Cell::Shown(d) = &item.cells[&Group::College] else {
        panic!("college shown")
    };
    assert_eq!(d.n, 6, "all answers");
    assert_eq!(d.answered(), 4, "answers used for the mean");
    assert_eq!(d.dont_know, 2);
    let m = d.mean.unwrap();
    assert_eq!((m.num, m.den), (17, 4));
    assert_eq!(m.nl(1), "4,3");
    // % eens over the same 4 answers: all four are 4 or 5
    assert_eq!(d.agree().unwrap().nl(0), "100");
    // weet niet share of all 6 answers
    assert_eq!(d.dont_know_share().unwrap().nl(0), "33");
    let html = quickscan::web::report_body(&r, "/qs/a/scans/1").into_string();
    assert!(html.contains("4,3 (n\u{a0}=\u{a0}4)"), "mean with its n");
    assert!(!html.contains("4,2 ("));
    let csv = report_csv(&r, Dialect::Machine);
    let rows = parse(&csv);
    let col = |name: &str| REPORT_COLUMNS.iter().position(|c| *c == name).unwrap();
    let row = rows
        .iter()
        .find(|r| r[col("vraag_id")] == "part_weten" && r[col("soort")] == "schaal")
        .unwrap();
    assert_eq!(row[col("n")], "4");
    assert_eq!(row[col("weet_niet")], "2");
    assert_eq!(row[col("gemiddelde")], "4.25");
    assert!(
        report::Report::legend(&r)
            .iter()
            .any(|l| l.contains("4,25 wordt 4,3"))
    );
}

/// Many statements stand out: the summary keeps at most 10, strongest first, each with the
/// group figures behind it.
#[test]
fn summary_is_ranked_and_capped() {
    let c = db();
    let keys = [
        "part_weten",
        "part_meedenken",
        "part_meewerken",
        "init_hulp",
        "init_loket",
        "init_regels",
        "inv_raad",
        "inv_college",
        "info_taal",
        "info_vinden",
        "ctrl_rollen",
        "ctrl_kaders",
        "kwal_algemeen",
    ];
    // raad: high everywhere; inwoners: low everywhere, with growing gaps per key
    let make = |hi: bool, k: usize| {
        let mut a = Answers::new();
        for (i, key) in keys.iter().enumerate() {
            let v = if hi { 5 } else { 1 + u8::from(i < k) };
            a.insert((*key).into(), AnswerValue::Scale(v));
        }
        a
    };
    let raad: Vec<Answers> = (0..5).map(|_| make(true, 0)).collect();
    let inwoners: Vec<Answers> = (0..6).map(|i| make(false, i)).collect();
    let id = scan(&c, "a", &[(Group::Raad, raad), (Group::Inwoners, inwoners)]);
    let r = report::build(&c, id).unwrap();
    assert_eq!(r.findings_total, keys.len());
    assert_eq!(r.summary.len(), SUMMARY_MAX);
    for w in r.summary.windows(2) {
        assert!(
            w[0].score.cmp_value(w[1].score).is_ge(),
            "{} before {}",
            w[0].item,
            w[1].item
        );
    }
    assert_eq!(r.summary[0].rank, 1);
    for f in &r.summary {
        assert_eq!(f.groups.len(), 2, "both groups' figures");
        assert!(f.groups.iter().all(|g| g.mean.is_some() && g.n >= 5));
    }
    // the strongest gap: raad 5, inwoners 1 → 4 points
    assert_eq!(r.summary[0].score.nl(1), "4,0");
    let html = quickscan::web::report_body(&r, "/qs/a/scans/1").into_string();
    let summary_at = html.find("Samenvatting").unwrap();
    let theme_at = html.find("thema-participatie").unwrap();
    assert!(summary_at < theme_at, "the summary comes first");
    assert_eq!(
        html.matches("class=\"qs-finding-head\"").count(),
        SUMMARY_MAX
    );
}

/// One verdict per theme; tips follow the verdict; no tip text twice; no "gaat goed" with a fix.
#[test]
fn one_verdict_and_consistent_tips_per_theme() {
    let c = db();
    let mut hi = Answers::new();
    let mut lo = Answers::new();
    for key in ["part_weten", "part_meedenken", "part_meewerken"] {
        hi.insert(key.into(), AnswerValue::Scale(5));
        lo.insert(key.into(), AnswerValue::Scale(5));
    }
    // invloed: everyone low; kwaliteit: everyone high; informatie: half weet niet
    for key in ["inv_raad", "inv_college"] {
        hi.insert(key.into(), AnswerValue::Scale(1));
        lo.insert(key.into(), AnswerValue::Scale(2));
    }
    for key in ["kwal_algemeen", "kwal_belofte"] {
        hi.insert(key.into(), AnswerValue::Scale(4));
        lo.insert(key.into(), AnswerValue::Scale(4));
    }
    // initiatieven: raad 4, inwoners 3 → 1 point apart
    hi.insert("init_hulp".into(), AnswerValue::Scale(4));
    lo.insert("init_hulp".into(), AnswerValue::Scale(3));
    hi.insert("info_taal".into(), AnswerValue::DontKnow);
    lo.insert("info_taal".into(), AnswerValue::Scale(3));
    let raad: Vec<Answers> = (0..6).map(|_| hi.clone()).collect();
    let inw: Vec<Answers> = (0..6).map(|_| lo.clone()).collect();
    let id = scan(&c, "a", &[(Group::Raad, raad), (Group::Inwoners, inw)]);
    let r = report::build(&c, id).unwrap();
    let v = |k: &str| {
        r.themes
            .iter()
            .find(|t| t.key == k)
            .unwrap()
            .verdict
            .clone()
    };
    assert_eq!(v("invloed").verdict, Verdict::Attention);
    assert_eq!(v("kwaliteit").verdict, Verdict::Good);
    assert_eq!(v("participatie").verdict, Verdict::Good);
    assert_eq!(v("informatie").verdict, Verdict::Unknown);
    assert_eq!(v("initiatieven").verdict, Verdict::GroupGap);
    assert!(
        v("initiatieven")
            .tip
            .unwrap()
            .contains("één vast aanspreekpunt")
    );
    assert_eq!(v("controle").verdict, Verdict::TooFew);
    assert_eq!(v("prioriteiten").verdict, Verdict::NoScale);
    assert!(v("prioriteiten").tip.is_none());
    assert!(v("controle").tip.is_none());
    assert!(
        v("invloed")
            .tip
            .unwrap()
            .contains("Koppel na het besluit terug")
    );
    // "Dit gaat goed" once; the second good theme points at the first
    assert!(v("participatie").tip.unwrap().starts_with("Dit gaat goed"));
    assert!(v("kwaliteit").tip.is_none());
    assert_eq!(
        v("kwaliteit").tip_same_as.as_deref(),
        Some(r.themes[0].title.as_str())
    );
    let mut tips: Vec<&String> = r
        .themes
        .iter()
        .filter_map(|t| t.verdict.tip.as_ref())
        .collect();
    let before = tips.len();
    tips.sort();
    tips.dedup();
    assert_eq!(tips.len(), before, "no tip twice");
    for t in &r.themes {
        if t.verdict.verdict == Verdict::Good {
            assert!(
                t.verdict
                    .tip
                    .as_ref()
                    .is_none_or(|s| s.starts_with("Dit gaat goed"))
            );
        }
    }
}

/// Middling answers everywhere: "geen uitschieters", no tip, nothing in the summary.
#[test]
fn middling_theme_gets_no_tip() {
    let c = db();
    let mk = |v: u8| {
        let mut a = Answers::new();
        a.insert("ctrl_rollen".into(), AnswerValue::Scale(v));
        a
    };
    let id = scan(
        &c,
        "a",
        &[
            (Group::Raad, (0..5).map(|_| mk(3)).collect()),
            (
                Group::Ambtenaren,
                (0..5).map(|i| mk(3 + u8::from(i % 2 == 1))).collect(),
            ),
        ],
    );
    let r = report::build(&c, id).unwrap();
    let t = r.themes.iter().find(|t| t.key == "controle").unwrap();
    assert_eq!(t.verdict.verdict, Verdict::Neutral);
    assert!(t.verdict.tip.is_none() && t.verdict.tip_same_as.is_none());
    assert!(r.summary.is_empty(), "{:#?}", r.summary);
    assert_eq!(r.findings_total, 0);
    let s = t.scores[&Group::Raad];
    assert_eq!(
        (s.mean.unwrap().nl(1), s.n, s.dont_know),
        ("3,0".into(), 5, 0)
    );
}

/// An organisation that opts out is in nobody's benchmark: with it, 5 organisations; without
/// it, 4, and no benchmark is shown.
#[test]
fn benchmark_opt_out_is_honoured() {
    let c = db();
    let own = scan(
        &c,
        "eigen",
        &[(Group::Raad, values("part_weten", &[Some(3); 5]))],
    );
    for (o, v) in [("b", 1), ("c", 2), ("d", 3), ("e", 4), ("f", 5)] {
        scan(&c, o, &[(Group::Raad, values("part_weten", &[Some(v); 5]))]);
    }
    let item = |r: &report::Report| {
        r.themes[0]
            .items
            .iter()
            .find(|i| i.key == "part_weten")
            .unwrap()
            .clone()
    };
    let r = report::build(&c, own).unwrap();
    assert_eq!(r.benchmark_orgs, 5);
    let b = item(&r).benchmark[&Group::Raad];
    assert_eq!((b.mean.num, b.mean.den, b.orgs), (75, 25, 5));
    assert!(!store::benchmark_opt_out(&c, "f").unwrap());
    store::set_benchmark_opt_out(&c, "f", true).unwrap();
    assert!(store::benchmark_opt_out(&c, "f").unwrap());
    let r = report::build(&c, own).unwrap();
    assert_eq!(r.benchmark_orgs, 0, "4 organisations left: no benchmark");
    assert!(item(&r).benchmark.is_empty());
    assert!(r.benchmark_counts.is_empty());
    // with a sixth organisation the benchmark is back, still without f's answers (5 × 5)
    scan(
        &c,
        "g",
        &[(Group::Raad, values("part_weten", &[Some(1); 5]))],
    );
    let r = report::build(&c, own).unwrap();
    let b = item(&r).benchmark[&Group::Raad];
    assert_eq!((b.mean.num, b.mean.den, b.orgs), (55, 25, 5));
    assert_eq!(r.benchmark_counts[&Group::Raad].total, 25);
    // opting back in
    store::set_benchmark_opt_out(&c, "f", false).unwrap();
    let r = report::build(&c, own).unwrap();
    assert_eq!(item(&r).benchmark[&Group::Raad].orgs, 6);
}

/// Both CSV forms parse back to the same table; the Excel form has BOM, `;`, decimal commas and
/// CRLF; the machine form none of the first three.
#[test]
fn csv_in_two_forms() {
    let c = db();
    let id = scan(
        &c,
        "a",
        &[
            (
                Group::Raad,
                values(
                    "part_weten",
                    &[Some(5), Some(4), Some(4), Some(4), None, Some(3)],
                ),
            ),
            (Group::Inwoners, values("part_weten", &[Some(2); 5])),
        ],
    );
    let r = report::build(&c, id).unwrap();
    let machine = report_csv(&r, Dialect::Machine);
    let excel = report_csv(&r, Dialect::Excel);
    assert!(!machine.starts_with('\u{feff}'));
    assert!(excel.starts_with('\u{feff}'));
    assert!(excel.ends_with("\r\n") && !excel.replace("\r\n", "").contains('\n'));
    let header = machine.lines().next().unwrap();
    assert!(header.starts_with("soort,thema,vraag_id"));
    let excel_header = excel.trim_start_matches('\u{feff}').lines().next().unwrap();
    assert!(excel_header.starts_with("soort;thema;vraag_id"));
    let m = parse(&machine);
    let e = parse(&excel);
    assert_eq!(m.len(), e.len());
    assert_eq!(m[0].len(), REPORT_COLUMNS.len() + 1);
    for (a, b) in m.iter().zip(&e) {
        assert_eq!(a.len(), b.len());
        for (x, y) in a.iter().zip(b) {
            // numbers differ only in the decimal sign
            if x.parse::<f64>().is_ok() {
                assert_eq!(x.replace('.', ","), *y);
            }
        }
    }
    let col = |name: &str| REPORT_COLUMNS.iter().position(|c| *c == name).unwrap();
    let raad = m
        .iter()
        .find(|r| r[col("vraag_id")] == "part_weten" && r[col("groep")] == "Raadsleden")
        .unwrap();
    // 5+4+4+4+3 = 20 over 5 answers; 1 weet niet of 6
    assert_eq!(raad[col("gemiddelde")], "4.00");
    assert_eq!(raad[col("n")], "5");
    assert_eq!(raad[col("weet_niet")], "1");
    assert_eq!(raad[col("pct_eens")], "80.0");
    assert_eq!(raad[col("pct_weet_niet")], "16.7");
    let raad_x = e
        .iter()
        .find(|r| r[col("vraag_id")] == "part_weten" && r[col("groep")] == "Raadsleden")
        .unwrap();
    assert_eq!(raad_x[col("gemiddelde")], "4,00");
    assert_eq!(raad_x[col("pct_weet_niet")], "16,7");
    // one row per group × scale item
    let n = m
        .iter()
        .filter(|r| r[col("soort")] == "schaal" && r[col("vraag_id")] == "part_weten")
        .count();
    assert_eq!(n, 2);
    // the machine form is plain: no `;` as separator, decimals with a point
    assert!(!header.contains(';'));
}
