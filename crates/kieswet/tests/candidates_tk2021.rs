//! Real data: Tweede Kamer 17 March 2021, from the Kiesraad's official EML files in the shared
//! data set (`TK2021/eml`). The count (510d, votes per candidate per kieskring) gives the input;
//! the result (520) gives the 150 elected candidates in P 19 order, with `Ranking` 1 for
//! elected on preference (P 15) and 2 for list order (P 17/P 18).
//!
//! CDA, D66 and PvdA handed in a list per kieskring and the SP five stellen: these are
//! lijstengroepen, so P 12, P 16 and P 18 all act. Two PvdA candidates (Nijboer, Kuiken) had
//! most votes on a list without seats and are placed by P 16 lid 1 on the next list.
//!
//! The data set lives beside the project (`../shared/data`, or `STEMBUS_SHARED_DATA`). Without
//! it the test says so and passes, except in CI (`CI=true`), where it fails.

use std::collections::BTreeMap;
use std::path::PathBuf;

use kieswet::candidates::{CandidateStep, Placement};
use kieswet::{
    Apportionment, Body, Candidate, ElectedBy, Election, List, Party, PersonNumbers, RulesetName,
    SplitRounding, Step, apportion_with_ranking,
};

fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var_os("STEMBUS_SHARED_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    if dir.join("TK2021/eml").is_dir() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "the shared data set is missing at {}",
        dir.display()
    );
    eprintln!(
        "shared data set not found at {}: TK2021 test skipped",
        dir.display()
    );
    None
}

/// The text between each `open` and the next `close`.
fn blocks<'a>(text: &'a str, open: &'a str, close: &'a str) -> impl Iterator<Item = &'a str> {
    text.split(open)
        .skip(1)
        .map(move |s| s.split(close).next().unwrap_or(""))
}

/// The value of attribute `name` in the first tag where it occurs.
fn attr<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let start = text.find(&format!(" {name}=\""))? + name.len() + 3;
    text[start..].split('"').next()
}

fn element<'a>(text: &'a str, name: &str) -> Option<&'a str> {
    let open = format!("<{name}>");
    let start = text.find(&open)? + open.len();
    text[start..].split('<').next()
}

/// Builds the election from the 510d: per party, the kieskringen with the same candidates in
/// the same order form one list (a stel, P 2); a party with several lists is a lijstengroep.
fn election_from_count(count: &str) -> Election {
    // party -> (name, kieskring -> candidates (position, short code, votes))
    type Lists = BTreeMap<u32, Vec<(u32, String, u64)>>;
    let mut parties: BTreeMap<u32, (String, Lists)> = BTreeMap::new();
    for unit in blocks(count, "<ReportingUnitVotes>", "</ReportingUnitVotes>") {
        let kieskring: u32 = attr(unit, "Id")
            .and_then(|id| id.strip_prefix("HSB"))
            .and_then(|n| n.parse().ok())
            .expect("a kieskring number");
        let mut current = None;
        for sel in blocks(unit, "<Selection>", "</Selection>") {
            let votes: u64 = element(sel, "ValidVotes")
                .and_then(|v| v.parse().ok())
                .expect("votes");
            if sel.contains("<AffiliationIdentifier") {
                let number: u32 = attr(sel, "Id").and_then(|v| v.parse().ok()).expect("id");
                let name = element(sel, "RegisteredName").unwrap_or("").to_string();
                let entry = parties.entry(number).or_insert((name, BTreeMap::new()));
                entry.1.entry(kieskring).or_default();
                current = Some(number);
            } else {
                let position: u32 = attr(sel, "Id").and_then(|v| v.parse().ok()).expect("id");
                let code = attr(sel, "ShortCode").expect("short code").to_string();
                let party = current.expect("a candidate after its party");
                let lists = &mut parties.get_mut(&party).expect("party").1;
                lists
                    .entry(kieskring)
                    .or_default()
                    .push((position, code, votes));
            }
        }
    }
    let parties = parties
        .into_iter()
        .map(|(number, (name, by_kieskring))| {
            // Stellen: kieskringen whose lists name the same persons in the same order.
            let mut stellen: Vec<(Vec<String>, Vec<u32>)> = Vec::new();
            for (kk, cands) in &by_kieskring {
                let mut sorted = cands.clone();
                sorted.sort_by_key(|c| c.0);
                let key: Vec<String> = sorted.into_iter().map(|c| c.1).collect();
                match stellen.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, kks)) => kks.push(*kk),
                    None => stellen.push((key, vec![*kk])),
                }
            }
            let mut persons = PersonNumbers::default();
            let lists = stellen
                .into_iter()
                .map(|(codes, kieskringen)| {
                    let candidates = codes
                        .iter()
                        .zip(1u32..)
                        .map(|(code, position)| Candidate {
                            position,
                            name: code.clone(),
                            person: persons.number(code),
                            // P 2: the votes of a stel are added up.
                            votes: kieskringen
                                .iter()
                                .flat_map(|kk| &by_kieskring[kk])
                                .filter(|c| c.1 == *code)
                                .map(|c| c.2)
                                .sum(),
                            deceased: false,
                        })
                        .collect();
                    List {
                        kieskringen: kieskringen.into(),
                        list_votes: 0,
                        candidates,
                    }
                })
                .collect();
            Party {
                number,
                name,
                lists,
            }
        })
        .collect();
    Election {
        body: Body::TK,
        seats: 150,
        ruleset: RulesetName::Current,
        split_rounding: SplitRounding::default(),
        preference_threshold_percent: None,
        parties,
        lots: Vec::new(),
    }
}

/// The elected of the 520, in file order: (party, short code, ranking).
fn elected_from_result(result: &str) -> Vec<(u32, String, u32)> {
    let mut out = Vec::new();
    let mut party = 0;
    for sel in blocks(result, "<Selection>", "</Selection>") {
        if sel.contains("<AffiliationIdentifier") {
            party = attr(sel, "Id").and_then(|v| v.parse().ok()).expect("id");
        } else if element(sel, "Elected") == Some("yes") {
            let code = attr(sel, "ShortCode").expect("short code").to_string();
            let ranking = element(sel, "Ranking")
                .and_then(|v| v.parse().ok())
                .expect("ranking");
            out.push((party, code, ranking));
        }
    }
    out
}

#[test]
fn tk2021_all_150_elected_in_p19_order() {
    let Some(dir) = shared_data() else { return };
    let read = |f: &str| std::fs::read_to_string(dir.join("TK2021/eml").join(f)).expect(f);
    let e = election_from_count(&read("Totaaltelling_TK2021.eml.xml"));
    let expected = elected_from_result(&read("Resultaat_TK2021.eml.xml"));
    assert_eq!(expected.len(), 150);
    let groups: Vec<(u32, usize)> = e
        .parties
        .iter()
        .filter(|p| p.lists.len() > 1)
        .map(|p| (p.number, p.lists.len()))
        .collect();
    assert_eq!(groups, [(3, 20), (4, 20), (6, 5), (7, 20), (16, 20)]);

    let Apportionment::Complete(o) = apportion_with_ranking(&e).expect("valid input") else {
        panic!("no lot was needed in TK2021")
    };
    // Threshold: 25% of 10.422.852/150 = 17.371,42, so 17.372 votes.
    assert_eq!(o.preference_threshold.smallest_integer_above(), 17_372);
    let got: Vec<(u32, String, u32)> = o
        .elected
        .iter()
        .map(|c| {
            let ranking = if c.by == ElectedBy::Preference { 1 } else { 2 };
            (c.list, c.name.to_string(), ranking)
        })
        .collect();
    assert_eq!(got, expected, "elected, how, and P 19 order as in the 520");

    // P 19 lid 5 (150 seats): the 20 lists without a seat are not ranked, among them the
    // lijstengroep 16 (20 lists, no seat); the 17 with seats rank every candidate of every
    // list.
    let omitted = o.steps.iter().find_map(|s| match s {
        Step::Candidate(CandidateStep::RankingOmitted { parties }) => Some(parties.clone()),
        _ => None,
    });
    let mut without_seats: Vec<u32> = (16..=37).filter(|&n| n != 17 && n != 23).collect();
    assert_eq!(omitted.as_ref(), Some(&without_seats));
    without_seats.retain(|&n| o.seats_of(n) == 0);
    assert_eq!(without_seats.len(), 20);
    for (party, (number, ranking)) in e
        .parties
        .iter()
        .zip(o.rankings.as_deref().expect("asked for"))
    {
        let entries: usize = party.lists.iter().map(|l| l.candidates.len()).sum();
        let want = if without_seats.contains(number) {
            0
        } else {
            entries
        };
        assert_eq!(ranking.len(), want, "ranking of list {number}");
    }

    // P 12 as in the dossier (§4.1): PvdA's lists 1 (Groningen) and 17 (Tilburg) got no seat.
    let pvda = o.parties.iter().find(|p| p.number == 7).expect("PvdA");
    assert_eq!(
        pvda.list_seats,
        [0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0]
    );
    // P 16 lid 1: Nijboer (most votes in Groningen) on the Zwolle list, Kuiken (most votes in
    // Tilburg) on the 's-Hertogenbosch list.
    let placed: BTreeMap<String, Vec<u32>> = o
        .steps
        .iter()
        .filter_map(|s| match s {
            Step::Candidate(CandidateStep::PlacedOnList {
                candidate,
                placement: Placement::NextList { .. },
                ..
            }) => Some((
                candidate.name.to_string(),
                candidate.list.kieskringen.to_vec(),
            )),
            _ => None,
        })
        .collect();
    assert_eq!(
        placed,
        BTreeMap::from([
            ("KuikenAH".to_string(), vec![18]),
            ("NijboerH".to_string(), vec![4])
        ])
    );
    // P 18 was needed in the groups.
    assert!(o.steps.iter().any(|s| s.article() == "P 18"));
}
