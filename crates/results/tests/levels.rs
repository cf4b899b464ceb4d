//! Provinciale Staten and waterschap bundles: every count is keyed by what its file is. A 510b
//! is one gemeente, a 510c one kieskring, a 510d the total with gemeenten or kieskringen as
//! its units (as the 110a's region tree says). Seats come from the total; each count is
//! compared with the same unit one level up, never a gemeente with the province.
//!
//! The bundles are synthetic (fictional names), in the Kiesraad's layout; the last tests use
//! the real PS2023 and AB2023 definitions from `../shared/data/definitions`.

use std::path::PathBuf;

use results::{Level, Report, Status, verify_bundle};

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
#[path = "support/synth.rs"]
mod synth;

use shared_data::shared_data;
use synth::{Election, Party, Votes};

/// One kieskring of the layout: contest id as the files write it, number, gemeenten (code, name).
struct Kieskring {
    contest: String,
    number: u32,
    gemeenten: Vec<(String, String)>,
}

fn election(id: &str, category: &str, subcategory: &str, seats: u32, lists: &[u32]) -> Election {
    Election {
        id: id.into(),
        name: format!("Verkiezing {id}"),
        category: category.into(),
        subcategory: subcategory.into(),
        domain: Some((String::new(), id.split('_').nth(1).unwrap_or(id).into())),
        seats,
        parties: lists
            .iter()
            .enumerate()
            .map(|(i, &n)| Party {
                number: u32::try_from(i + 1).unwrap(),
                name: format!("Partij {}", i + 1),
                candidates: n,
            })
            .collect(),
    }
}

/// Splits each list's total over the gemeenten, unevenly (each gemeente has its own mix, so
/// one gemeente's votes give other seats than the total).
fn split(e: &Election, totals: &[u64], n: usize) -> Vec<Votes> {
    let mut per: Vec<Vec<u64>> = vec![vec![0; totals.len()]; n];
    for (l, &t) in totals.iter().enumerate() {
        let weights: Vec<u64> = (0..n).map(|g| ((g * 7 + l * 3) % 5) as u64 + 1).collect();
        let w: u64 = weights.iter().sum();
        let mut left = t;
        for g in 0..n {
            let v = if g + 1 == n { left } else { t * weights[g] / w };
            per[g][l] = v;
            left -= v;
        }
    }
    per.iter().map(|v| synth::on_first(e, v)).collect()
}

fn halves(v: &Votes) -> (Votes, Votes) {
    let a: Votes = v
        .iter()
        .map(|l| l.iter().map(|c| c / 2).collect())
        .collect();
    let b: Votes = v
        .iter()
        .zip(&a)
        .map(|(l, h)| l.iter().zip(h).map(|(c, x)| c - x).collect())
        .collect();
    (a, b)
}

fn sum(vs: &[&Votes]) -> Votes {
    let mut out = vs[0].clone();
    for v in &vs[1..] {
        out = synth::add(&out, v);
    }
    out
}

/// The 510b of gemeente `(code, name)` with two stembureaus.
fn telling(
    e: &Election,
    gemeente: &(String, String),
    contest: (&str, Option<&str>),
    v: &Votes,
) -> String {
    let (a, b) = halves(v);
    let units = vec![
        (
            format!("{}::SB1", gemeente.0),
            "Stembureau Dorpshuis".to_string(),
            a,
        ),
        (
            format!("{}::SB2", gemeente.0),
            "Stembureau School".to_string(),
            b,
        ),
    ];
    synth::count(e, "510b", (&gemeente.0, &gemeente.1), contest, v, &units)
}

/// Files of a bundle: 110a (if given), 230b, one 510b per gemeente in `with_510b`, a 510c per
/// kieskring when there are several, the 510d and the 520.
fn files(
    e: &Election,
    definition: Option<String>,
    kieskringen: &[Kieskring],
    totals: &[u64],
    with_510b: &[&str],
) -> Vec<(String, String)> {
    let several = kieskringen.len() > 1;
    let n: usize = kieskringen.iter().map(|k| k.gemeenten.len()).sum();
    let votes = split(e, totals, n);
    let mut out = Vec::new();
    if let Some(d) = definition {
        out.push(("Verkiezingsdefinitie.eml.xml".into(), d));
    }
    let contests: Vec<&str> = if several {
        kieskringen.iter().map(|k| k.contest.as_str()).collect()
    } else {
        vec!["geen"]
    };
    out.push((
        "Kandidatenlijsten.eml.xml".into(),
        synth::candidate_lists(e, &contests),
    ));
    let mut i = 0;
    let mut kk_totals = Vec::new();
    let mut d_units = Vec::new();
    for k in kieskringen {
        let mut units = Vec::new();
        for g in &k.gemeenten {
            let v = &votes[i];
            i += 1;
            if with_510b.contains(&g.0.as_str()) {
                let contest = if several {
                    (k.contest.as_str(), Some("Kieskring"))
                } else {
                    ("geen", None)
                };
                out.push((
                    format!("Telling_{}.eml.xml", g.0),
                    telling(e, g, contest, v),
                ));
            }
            if several {
                units.push((format!("HSB{}::{}", k.number, g.0), g.1.clone(), v.clone()));
            } else {
                d_units.push((g.0.clone(), g.1.clone(), v.clone()));
            }
        }
        if several {
            let total = sum(&units.iter().map(|u| &u.2).collect::<Vec<_>>());
            let hsb = format!("HSB{}", k.number);
            out.push((
                format!("Telling_kieskring_{}.eml.xml", k.number),
                synth::count(
                    e,
                    "510c",
                    (&hsb, "Hoofdstembureau"),
                    (&k.contest, Some("Kieskring")),
                    &total,
                    &units,
                ),
            ));
            d_units.push((hsb, format!("Kieskring {}", k.number), total.clone()));
            kk_totals.push(total);
        }
    }
    let total = sum(&d_units.iter().map(|u| &u.2).collect::<Vec<_>>());
    out.push((
        "Totaaltelling.eml.xml".into(),
        synth::count(
            e,
            "510d",
            ("CSB", "Centraal stembureau"),
            ("geen", None),
            &total,
            &d_units,
        ),
    ));
    // Votes per list are multiples of the kiesdeler 100: only full seats, all on candidate 1
    // first (on preference votes), then in list order.
    let elected: Vec<(u32, Vec<(u32, bool)>)> = e
        .parties
        .iter()
        .zip(totals)
        .map(|(p, t)| synth::first_then_list_order(p.number, u32::try_from(t / 100).unwrap()))
        .collect();
    out.push(("Resultaat.eml.xml".into(), synth::result(e, &elected)));
    out
}

fn verify(dir: &str, files: &[(String, String)]) -> Report {
    verify_bundle(synth::bundle(dir, files), &mut |_, _| {})
}

fn level_findings(r: &Report) -> Vec<String> {
    r.elections
        .iter()
        .flat_map(|v| v.errors.iter().chain(&v.warnings))
        .filter(|f| f.code.contains("NIVEAU") || f.code.starts_with("E-SOM"))
        .map(ToString::to_string)
        .collect()
}

fn assert_ok(r: &Report, seats: &[u32]) {
    assert_eq!(r.elections.len(), 1, "{:#?}", r.errors);
    let v = &r.elections[0];
    assert!(level_findings(r).is_empty(), "{:#?}", level_findings(r));
    assert!(v.errors.is_empty(), "{:#?}", v.errors);
    assert_eq!(v.status, Status::Ok, "{:#?}", v.mismatches);
    assert!(v.matches);
    let computed: Vec<u32> = v
        .lists
        .iter()
        .map(|l| l.computed_seats.unwrap_or(0))
        .collect();
    assert_eq!(computed, seats);
    assert_eq!(r.exit_code(), 0);
}

/// Level of every unit with `key` in the assembled data.
fn levels_of(r: &Report, key: &str) -> Vec<Level> {
    r.data[0]
        .fragments
        .iter()
        .flat_map(|f| std::iter::once(&f.parent).chain(&f.children))
        .filter(|u| u.key == key)
        .map(|u| u.level)
        .collect()
}

fn drenthe_like() -> Vec<Kieskring> {
    vec![Kieskring {
        contest: "1".into(),
        number: 1,
        gemeenten: [
            ("0106", "Assen"),
            ("0109", "Coevorden"),
            ("0114", "Emmen"),
            ("0118", "Hoogeveen"),
        ]
        .iter()
        .map(|(c, n)| ((*c).to_string(), (*n).to_string()))
        .collect(),
    }]
}

fn ps1_regions() -> Vec<synth::Region<'static>> {
    vec![
        (3, "PROVINCIE", "Provincie", None),
        (1, "KIESKRING", "Assen", Some((3, "PROVINCIE"))),
        (106, "GEMEENTE", "Assen", Some((1, "KIESKRING"))),
        (109, "GEMEENTE", "Coevorden", Some((1, "KIESKRING"))),
        (114, "GEMEENTE", "Emmen", Some((1, "KIESKRING"))),
        (118, "GEMEENTE", "Hoogeveen", Some((1, "KIESKRING"))),
    ]
}

/// The acceptance case of issue 15: a PS bundle with a gemeente's 510b and the province's
/// 510d gives the province's seats (20, 15, 8 of 43), and the gemeente is compared with its
/// own line in the 510d, not with the province.
#[test]
fn ps_one_kieskring_510b_and_510d_give_the_provinces_seats() {
    let e = election("PS2023_Proefland", "PS", "PS1", 43, &[25, 20, 12]);
    let def = synth::definition(&e, &ps1_regions());
    let f = files(
        &e,
        Some(def),
        &drenthe_like(),
        &[2000, 1500, 800],
        &["0106"],
    );
    let r = verify("ps1", &f);
    assert_ok(&r, &[20, 15, 8]);
    assert_eq!(
        levels_of(&r, "gemeente:0106"),
        [Level::Gemeente, Level::Gemeente]
    );
    assert_eq!(levels_of(&r, "totaal"), [Level::Totaal]);
}

/// Without the 110a the 510d's units are still gemeenten (a PS1 election).
#[test]
fn ps_one_kieskring_without_definition() {
    let e = election("PS2023_Proefland", "PS", "PS1", 43, &[25, 20, 12]);
    let f = files(
        &e,
        None,
        &drenthe_like(),
        &[2000, 1500, 800],
        &["0106", "0114"],
    );
    let r = verify("ps1-no-110a", &f);
    assert_ok(&r, &[20, 15, 8]);
    assert_eq!(
        levels_of(&r, "gemeente:0114"),
        [Level::Gemeente, Level::Gemeente]
    );
}

/// A gemeente's 510b alone is not the province: no seats are computed from it.
#[test]
fn a_gemeentes_510b_is_never_the_total() {
    let e = election("PS2023_Proefland", "PS", "PS1", 43, &[25, 20, 12]);
    let def = synth::definition(&e, &ps1_regions());
    let f: Vec<_> = files(
        &e,
        Some(def),
        &drenthe_like(),
        &[2000, 1500, 800],
        &["0106"],
    )
    .into_iter()
    .filter(|(n, _)| !n.starts_with("Totaaltelling"))
    .collect();
    let r = verify("ps1-no-510d", &f);
    let v = &r.elections[0];
    assert!(
        v.lists.iter().all(|l| l.computed_seats.is_none()),
        "{:#?}",
        v.lists
    );
    assert!(
        v.errors.iter().any(|f| f.code == "E-GEEN-TELLING"),
        "{:#?}",
        v.errors
    );
    assert_eq!(v.status, Status::Incomplete);
}

/// `text` with one vote more for the first candidate 1 after byte `from`.
fn bump_first_candidate(text: &str, from: usize) -> String {
    let pat = r#"<CandidateIdentifier Id="1"></CandidateIdentifier></Candidate><ValidVotes>"#;
    let at = from + text[from..].find(pat).unwrap() + pat.len();
    let end = at + text[at..].find('<').unwrap();
    let votes: u64 = text[at..end].parse().unwrap();
    format!("{}{}{}", &text[..at], votes + 1, &text[end..])
}

/// A real difference between a gemeente's 510b and its line in the 510d is still found.
#[test]
fn a_gemeente_that_differs_from_its_line_in_the_510d_is_flagged() {
    let e = election("PS2023_Proefland", "PS", "PS1", 43, &[25, 20, 12]);
    let def = synth::definition(&e, &ps1_regions());
    let mut f = files(
        &e,
        Some(def),
        &drenthe_like(),
        &[2000, 1500, 800],
        &["0106"],
    );
    let totaal = f
        .iter_mut()
        .find(|(n, _)| n == "Totaaltelling.eml.xml")
        .unwrap();
    // The 510d's line for Assen (its first unit) gets one vote more on list 1, candidate 1.
    let unit = totaal.1.find("<ReportingUnitVotes>").unwrap();
    totaal.1 = bump_first_candidate(&totaal.1, unit);
    let r = verify("ps1-diff", &f);
    let v = &r.elections[0];
    assert!(
        v.errors.iter().any(|f| f.code == "E-NIVEAU-ONGELIJK"
            && f.unit
                .as_deref()
                .is_some_and(|u| u.contains("gemeente") && u.contains("0106"))),
        "{:#?}",
        v.errors
    );
}

fn two_kieskringen(roman: bool) -> Vec<Kieskring> {
    let g = |v: &[(&str, &str)]| {
        v.iter()
            .map(|(c, n)| ((*c).to_string(), (*n).to_string()))
            .collect()
    };
    vec![
        Kieskring {
            contest: if roman { "I".into() } else { "1".into() },
            number: 1,
            gemeenten: g(&[
                ("0202", "Rivierstad"),
                ("0200", "Heuvelrug"),
                ("0203", "Bosdorp"),
            ]),
        },
        Kieskring {
            contest: if roman { "II".into() } else { "2".into() },
            number: 2,
            gemeenten: g(&[("0268", "Brugstad"), ("0209", "Polderwijk")]),
        },
    ]
}

fn ps2_regions() -> Vec<synth::Region<'static>> {
    vec![
        (6, "PROVINCIE", "Provincie", None),
        (1, "KIESKRING", "Rivierstad", Some((6, "PROVINCIE"))),
        (2, "KIESKRING", "Brugstad", Some((6, "PROVINCIE"))),
        (202, "GEMEENTE", "Rivierstad", Some((1, "KIESKRING"))),
        (200, "GEMEENTE", "Heuvelrug", Some((1, "KIESKRING"))),
        (203, "GEMEENTE", "Bosdorp", Some((1, "KIESKRING"))),
        (268, "GEMEENTE", "Brugstad", Some((2, "KIESKRING"))),
        (209, "GEMEENTE", "Polderwijk", Some((2, "KIESKRING"))),
    ]
}

/// A province with two kieskringen: 510b files of gemeenten, a 510c per kieskring, the 510d
/// with the kieskringen as units. Each 510b is compared with its line in the 510c, each
/// 510c with its line in the 510d.
#[test]
fn ps_several_kieskringen_with_510c_files() {
    let e = election("PS2023_Rivierland", "PS", "PS2", 55, &[30, 25, 12]);
    let def = synth::definition(&e, &ps2_regions());
    let f = files(
        &e,
        Some(def),
        &two_kieskringen(false),
        &[2500, 2000, 1000],
        &["0202", "0268"],
    );
    let r = verify("ps2", &f);
    assert_ok(&r, &[25, 20, 10]);
    assert_eq!(
        levels_of(&r, "gemeente:0268"),
        [Level::Gemeente, Level::Gemeente]
    );
    // The 510b's gemeente has the gemeente's name, not its kieskring's (the contest name).
    let names: Vec<&str> = r.data[0]
        .fragments
        .iter()
        .map(|f| &f.parent)
        .filter(|u| u.key == "gemeente:0268")
        .map(|u| u.name.as_str())
        .collect();
    assert_eq!(names, ["Brugstad"]);
    assert_eq!(
        levels_of(&r, "kieskring:2"),
        [Level::Kieskring, Level::Kieskring]
    );
}

/// PS Limburg numbers its kieskringen in Roman numerals (`I`, `II`) in the contests.
#[test]
fn ps_kieskringen_in_roman_numerals() {
    let e = election("PS2023_Rivierland", "PS", "PS2", 55, &[30, 25, 12]);
    let f = files(
        &e,
        None,
        &two_kieskringen(true),
        &[2500, 2000, 1000],
        &["0200", "0209"],
    );
    let r = verify("ps2-roman", &f);
    assert_ok(&r, &[25, 20, 10]);
    assert_eq!(
        levels_of(&r, "kieskring:1"),
        [Level::Kieskring, Level::Kieskring]
    );
    assert_eq!(
        levels_of(&r, "gemeente:0209"),
        [Level::Gemeente, Level::Gemeente]
    );
}

fn waterschap() -> (Election, Vec<Kieskring>, Vec<synth::Region<'static>>) {
    let mut e = election("AB2023_Proefwaard", "AB", "AB2", 26, &[16, 10, 7]);
    e.domain = Some(("25".into(), "Proefwaard".into()));
    let kk = vec![Kieskring {
        contest: "1".into(),
        number: 1,
        gemeenten: [
            ("0882", "Heuvelland"),
            ("0888", "Beekdal"),
            ("0889", "Maasoever"),
        ]
        .iter()
        .map(|(c, n)| ((*c).to_string(), (*n).to_string()))
        .collect(),
    }];
    let regions = vec![
        (25, "WATERSCHAP", "Proefwaard", None),
        (1, "KIESKRING", "Proefwaard", Some((25, "WATERSCHAP"))),
        (882, "GEMEENTE", "Heuvelland", Some((1, "KIESKRING"))),
        (888, "GEMEENTE", "Beekdal", Some((1, "KIESKRING"))),
        (889, "GEMEENTE", "Maasoever", Some((1, "KIESKRING"))),
    ];
    (e, kk, regions)
}

/// A waterschap: the 510d's units are gemeenten (not kieskringen), each compared with the
/// gemeente's 510b.
#[test]
fn waterschap_units_are_gemeenten() {
    let (e, kk, regions) = waterschap();
    let def = synth::definition(&e, &regions);
    let f = files(
        &e,
        Some(def),
        &kk,
        &[1300, 800, 500],
        &["0882", "0888", "0889"],
    );
    let r = verify("ab", &f);
    assert_ok(&r, &[13, 8, 5]);
    assert_eq!(
        levels_of(&r, "gemeente:0888"),
        [Level::Gemeente, Level::Gemeente]
    );
    assert!(levels_of(&r, "kieskring:0888").is_empty());
    // Without the 110a too.
    let f = files(&e, None, &kk, &[1300, 800, 500], &["0882"]);
    let r = verify("ab-no-110a", &f);
    assert_ok(&r, &[13, 8, 5]);
    assert_eq!(
        levels_of(&r, "gemeente:0882"),
        [Level::Gemeente, Level::Gemeente]
    );
}

/// The gemeenten (code, name) of kieskring `number` in a real 110a.
fn gemeenten_of(def: &eml::ElectionDefinition, number: u64, take: usize) -> Vec<(String, String)> {
    def.regions
        .iter()
        .filter(|r| {
            r.category == eml::RegionCategory::Gemeente
                && r.superior_category == Some(eml::RegionCategory::Kieskring)
                && r.superior_number == Some(number)
        })
        .take(take)
        .map(|r| (format!("{:04}", r.number.unwrap()), r.name.clone()))
        .collect()
}

fn real_definition(name: &str) -> Option<(String, eml::ElectionDefinition)> {
    let dir: PathBuf = shared_data("definitions")?;
    let text = std::fs::read_to_string(dir.join("definitions").join(name)).expect("definition");
    let def = eml::parse_election_definition(text.as_bytes()).expect("110a");
    Some((text, def))
}

fn like(def: &eml::ElectionDefinition, lists: &[u32]) -> Election {
    let ident = &def.election;
    let mut e = election(
        &ident.id,
        ident.category.as_deref().unwrap(),
        ident.subcategory.as_deref().unwrap(),
        u32::try_from(def.number_of_seats).unwrap(),
        lists,
    );
    e.name = ident.name.clone().unwrap_or_default();
    e.domain = ident.domain.as_ref().map(|d| {
        (
            d.id.clone().unwrap_or_default(),
            d.name.clone().unwrap_or_default(),
        )
    });
    e
}

/// PS2023 Drenthe (43 seats, one kieskring): the real 110a with synthetic counts.
#[test]
fn real_ps2023_drenthe_definition() {
    let Some((text, def)) = real_definition("Verkiezingsdefinitie_PS2023_Drenthe.eml.xml") else {
        return;
    };
    let e = like(&def, &[25, 20, 12]);
    let kk = vec![Kieskring {
        contest: "1".into(),
        number: 1,
        gemeenten: gemeenten_of(&def, 1, 12),
    }];
    assert_eq!(kk[0].gemeenten.len(), 12);
    let first = kk[0].gemeenten[0].0.clone();
    let f = files(&e, Some(text), &kk, &[2000, 1500, 800], &[&first]);
    let r = verify("ps2023-drenthe", &f);
    assert_ok(&r, &[20, 15, 8]);
}

/// PS2023 Gelderland (55 seats, several kieskringen): 510b, 510c and 510d.
#[test]
fn real_ps2023_gelderland_definition() {
    let Some((text, def)) = real_definition("Verkiezingsdefinitie_PS2023_Gelderland.eml.xml")
    else {
        return;
    };
    let e = like(&def, &[30, 25, 12]);
    let kk: Vec<Kieskring> = (1..=2)
        .map(|n| Kieskring {
            contest: n.to_string(),
            number: u32::try_from(n).unwrap(),
            gemeenten: gemeenten_of(&def, n, 3),
        })
        .collect();
    let g = kk[1].gemeenten[0].0.clone();
    let f = files(&e, Some(text), &kk, &[2500, 2000, 1000], &[&g]);
    let r = verify("ps2023-gelderland", &f);
    assert_ok(&r, &[25, 20, 10]);
}

/// PS2023 Limburg (47 seats, kieskringen in Roman numerals).
#[test]
fn real_ps2023_limburg_definition() {
    let Some((text, def)) = real_definition("Verkiezingsdefinitie_PS2023_Limburg.eml.xml") else {
        return;
    };
    let e = like(&def, &[25, 20, 15]);
    let kk: Vec<Kieskring> = [(1, "I"), (2, "II")]
        .iter()
        .map(|&(n, c)| Kieskring {
            contest: c.into(),
            number: n,
            gemeenten: gemeenten_of(&def, u64::from(n), 3),
        })
        .collect();
    let g = kk[0].gemeenten[1].0.clone();
    let f = files(&e, Some(text), &kk, &[2000, 1500, 1200], &[&g]);
    let r = verify("ps2023-limburg", &f);
    assert_ok(&r, &[20, 15, 12]);
}

/// AB2023 Limburg (26 seats): the 510d's units are the gemeenten of the waterschap.
#[test]
fn real_ab2023_limburg_definition() {
    let Some((text, def)) = real_definition("Verkiezingsdefinitie_AB2023_Limburg.eml.xml") else {
        return;
    };
    let e = like(&def, &[16, 10, 7]);
    let kk = vec![Kieskring {
        contest: "1".into(),
        number: 1,
        gemeenten: gemeenten_of(&def, 1, 31),
    }];
    assert_eq!(kk[0].gemeenten.len(), 31);
    let codes: Vec<String> = kk[0]
        .gemeenten
        .iter()
        .take(3)
        .map(|g| g.0.clone())
        .collect();
    let codes: Vec<&str> = codes.iter().map(String::as_str).collect();
    let f = files(&e, Some(text), &kk, &[1300, 800, 500], &codes);
    let r = verify("ab2023-limburg", &f);
    assert_ok(&r, &[13, 8, 5]);
    assert_eq!(
        levels_of(&r, &format!("gemeente:{}", codes[0])),
        [Level::Gemeente, Level::Gemeente]
    );
}

/// Europees Parlement: one contest (`alle`) for the whole country, but hoofdstembureaus as
/// for the Tweede Kamer. The 510c's kieskring comes from its authority (`HSB3`), its units
/// (`HSB3::0106`) are gemeenten, the 510d's units (`HSB3`) kieskringen.
#[test]
fn europees_parlement_hoofdstembureaus_without_kieskring_contests() {
    let e = election("EP2024", "EP", "EP", 31, &[20, 15, 10]);
    let g = |v: &[u64]| synth::on_first(&e, v);
    let gemeenten = [
        ("0106", "Assen", g(&[500, 400, 100])),
        ("0114", "Emmen", g(&[500, 300, 200])),
    ];
    let hsb4 = g(&[1000, 800, 100]);
    let kk3 = sum(&[&gemeenten[0].2, &gemeenten[1].2]);
    let total = sum(&[&kk3, &hsb4]);
    let units_c: Vec<synth::UnitVotes> = gemeenten
        .iter()
        .map(|(c, n, v)| (format!("HSB3::{c}"), (*n).to_string(), v.clone()))
        .collect();
    let units_d = vec![
        ("HSB3".to_string(), "Assen".to_string(), kk3.clone()),
        ("HSB4".to_string(), "Zwolle".to_string(), hsb4),
    ];
    let gemeente = ("0106".to_string(), "Assen".to_string());
    let files = vec![
        (
            "Verkiezingsdefinitie.eml.xml".to_string(),
            synth::definition(&e, &[]),
        ),
        (
            "Kandidatenlijsten.eml.xml".to_string(),
            synth::candidate_lists(&e, &["alle"]),
        ),
        (
            "Telling_Assen.eml.xml".to_string(),
            telling(&e, &gemeente, ("alle", None), &gemeenten[0].2),
        ),
        (
            "Telling_HSB3.eml.xml".to_string(),
            synth::count(
                &e,
                "510c",
                ("HSB3", "Assen"),
                ("alle", None),
                &kk3,
                &units_c,
            ),
        ),
        (
            "Totaaltelling.eml.xml".to_string(),
            synth::count(
                &e,
                "510d",
                ("CSB", "Nederland"),
                ("alle", None),
                &total,
                &units_d,
            ),
        ),
    ];
    // No 520: what matters here is the keying, and that the seats come from the total.
    let r = verify("ep", &files);
    assert!(level_findings(&r).is_empty(), "{:#?}", level_findings(&r));
    assert_eq!(
        levels_of(&r, "gemeente:0106"),
        [Level::Gemeente, Level::Gemeente]
    );
    assert_eq!(
        levels_of(&r, "kieskring:3"),
        [Level::Kieskring, Level::Kieskring]
    );
    assert_eq!(levels_of(&r, "totaal"), [Level::Totaal]);
    let v = &r.elections[0];
    assert_eq!(v.status, Status::NoOfficialResult, "{:#?}", v.errors);
    let computed: u32 = v.lists.iter().filter_map(|l| l.computed_seats).sum();
    assert_eq!(computed, 31);
}
