//! Recompute and compare: build the engine's [`Election`] from the candidate lists and the
//! kieskring (or gemeente) counts — identical lists of a party across kieskringen form a stel
//! (P 2), a party with several different lists is a lijstengroep (P 3) — run [`apportion`],
//! resolve lots only with the official outcome and only among the legally tied options, and
//! compare seats per list, the elected candidates, their preference/list-order flag and the
//! P 19 order with the official result.

use std::collections::BTreeMap;

use eml::Ranking;
use kieswet::{
    Apportionment, Body, Candidate, ElectedBy, Election, List, LotChoice, Outcome, Party,
    PersonNumbers, RulesetName, SplitRounding, apportion,
};
use serde::Serialize;

use crate::checks;
use crate::investigations::{self, UnitInvestigation};
use crate::model::{ElectionData, Finding, Official, Severity, kieskring_number, list_label};
use crate::seats_only;

/// Where one engine candidate came from: index into [`ElectionData::lists`] and into its
/// candidates (the first list of the stel).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct DefRef {
    pub list: usize,
    pub candidate: usize,
}

/// The engine input with the way back to the definitions.
#[derive(Debug, Clone)]
pub struct EngineInput {
    pub election: Election,
    /// Per party, per list of the party, per position − 1.
    pub refs: Vec<Vec<Vec<DefRef>>>,
}

/// A party's name and its lists: (index into [`ElectionData::lists`], votes per candidate).
type PartyLists = (String, Vec<(usize, Vec<u64>)>);

/// The kind of election and its number of seats, or the finding that says which is unknown.
fn body_and_seats(e: &ElectionData) -> Result<(Body, u32), Vec<Finding>> {
    let Some(body) = e.body else {
        return Err(vec![Finding::error(
            "E-ORGAAN-ONBEKEND",
            format!("onbekend soort verkiezing ({})", e.id),
            format!("unknown kind of election ({})", e.id),
        )]);
    };
    let Some(seats) = e.seats.filter(|s| *s > 0) else {
        return Err(vec![
            Finding::error(
                "E-ZETELS-ONBEKEND",
                "aantal zetels onbekend: geen verkiezingsdefinitie (110a) en geen uitslag (520)",
                "number of seats unknown: no election definition (110a) and no result (520)",
            )
            .file(e.files.join(", ")),
        ]);
    };
    Ok((body, seats))
}

/// Builds the engine input. Errors are findings naming the missing part.
pub fn engine_input(e: &ElectionData) -> Result<EngineInput, Vec<Finding>> {
    let mut errors = Vec::new();
    let file_list = || e.files.join(", ");
    let (body, seats) = body_and_seats(e)?;
    if e.lists.is_empty() {
        return Err(vec![
            Finding::error(
                "E-GEEN-KANDIDATENLIJSTEN",
                "geen kandidatenlijsten (230b of OSV4-3) gevonden",
                "no candidate lists (230b or OSV4-3) found",
            )
            .file(file_list()),
        ]);
    }
    // party number → (name, Vec<(list index, votes per candidate)>)
    let mut parties: BTreeMap<u32, PartyLists> = BTreeMap::new();
    for contest in e.contests() {
        let key = kieskring_number(contest)
            .map_or_else(|| "totaal".to_string(), |n| format!("kieskring:{n}"));
        let Some(unit) = e.unit(&key) else {
            errors.push(
                Finding::error(
                    "E-GEEN-TELLING",
                    format!("geen telling gevonden voor {key}"),
                    format!("no count found for {key}"),
                )
                .file(file_list()),
            );
            continue;
        };
        for lv in &unit.votes.lists {
            if !e
                .lists
                .iter()
                .any(|l| l.contest == contest && l.number == lv.id)
                && lv.valid_votes > 0
            {
                errors.push(
                    Finding::error(
                        "E-LIJST-ONBEKEND",
                        format!("de telling heeft stemmen voor lijst {} die niet op de kandidatenlijsten staat", lv.id),
                        format!("the count has votes for list {} that is not among the candidate lists", lv.id),
                    )
                    .file(e.files[unit.file].clone())
                    .unit(unit.label()),
                );
            }
        }
        for (li, l) in e
            .lists
            .iter()
            .enumerate()
            .filter(|(_, l)| l.contest == contest)
        {
            let lv = unit.votes.list(l.number);
            let votes = l
                .candidates
                .iter()
                .map(|c| {
                    lv.and_then(|lv| {
                        lv.candidate(c.candidate.id).or_else(|| {
                            lv.candidates
                                .iter()
                                .find(|x| x.short_code.as_deref() == Some(c.person.as_str()))
                        })
                    })
                    .map_or(0, |x| x.valid_votes)
                })
                .collect();
            parties
                .entry(l.number)
                .or_insert_with(|| (list_label(l.number, &l.name), Vec::new()))
                .1
                .push((li, votes));
        }
    }
    if !errors.is_empty() {
        return Err(errors);
    }
    let mut out_parties = Vec::with_capacity(parties.len());
    let mut refs = Vec::with_capacity(parties.len());
    for (number, (name, members)) in parties {
        // Stellen: lists naming the same persons in the same order (P 2).
        let mut stellen: Vec<(Vec<&str>, Vec<usize>)> = Vec::new();
        for (mi, (li, _)) in members.iter().enumerate() {
            let key: Vec<&str> = e.lists[*li]
                .candidates
                .iter()
                .map(|c| c.person.as_str())
                .collect();
            match stellen.iter_mut().find(|(k, _)| *k == key) {
                Some((_, ms)) => ms.push(mi),
                None => stellen.push((key, vec![mi])),
            }
        }
        // Only a party with several lists needs the person across lists; otherwise the position
        // is the identity (two candidates may share a name).
        let several = stellen.len() > 1;
        let mut persons = PersonNumbers::default();
        let mut lists: Vec<(List, Vec<DefRef>)> = stellen
            .into_iter()
            .map(|(_, ms)| {
                let first = members[ms[0]].0;
                let defs = &e.lists[first].candidates;
                let mut kieskringen: Vec<u32> = ms
                    .iter()
                    .filter_map(|&m| e.lists[members[m].0].kieskring())
                    .collect();
                kieskringen.sort_unstable();
                let candidates = defs
                    .iter()
                    .enumerate()
                    .map(|(ci, d)| Candidate {
                        position: u32::try_from(ci + 1).unwrap_or(u32::MAX),
                        name: d.display_name(),
                        person: if several {
                            persons.number(&d.person)
                        } else {
                            u32::try_from(ci).unwrap_or(u32::MAX)
                        },
                        votes: ms
                            .iter()
                            .map(|&m| members[m].1.get(ci).copied().unwrap_or(0))
                            .sum(),
                        deceased: false,
                    })
                    .collect();
                let r = (0..defs.len())
                    .map(|ci| DefRef {
                        list: first,
                        candidate: ci,
                    })
                    .collect();
                (
                    List {
                        kieskringen: kieskringen.into(),
                        list_votes: 0,
                        candidates,
                    },
                    r,
                )
            })
            .collect();
        lists.sort_by_key(|(l, _)| l.kieskringen.first().copied().unwrap_or(0));
        let (lists, r): (Vec<List>, Vec<Vec<DefRef>>) = lists.into_iter().unzip();
        out_parties.push(Party {
            number,
            name,
            lists,
        });
        refs.push(r);
    }
    Ok(EngineInput {
        election: Election {
            body,
            seats,
            ruleset: RulesetName::Current,
            split_rounding: SplitRounding::default(),
            preference_threshold_percent: e.preference_threshold_percent,
            parties: out_parties,
            lots: Vec::new(),
        },
        refs,
    })
}

/// How the comparison of one election ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Status {
    /// Recomputed equals official.
    Ok,
    /// Equal, with a lot taken from the official result among the tied options.
    Lot,
    /// Recomputed differs from official.
    Mismatch,
    /// A file of this election could not be read.
    Damaged,
    /// A part (count, lists, result) is missing.
    Incomplete,
    /// Recomputed, but there is no official result (520 or uitslag CSV) to compare with.
    #[serde(rename = "no_official_result")]
    NoOfficialResult,
}

impl Status {
    pub fn label_nl(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Lot => "loting",
            Status::Mismatch => "VERSCHIL",
            Status::Damaged => "beschadigd",
            Status::Incomplete => "onvolledig",
            Status::NoOfficialResult => "geen officiële uitslag",
        }
    }

    pub fn label_en(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Lot => "lot",
            Status::Mismatch => "MISMATCH",
            Status::Damaged => "damaged",
            Status::Incomplete => "incomplete",
            Status::NoOfficialResult => "no official result",
        }
    }
}

/// Seats of one list, official and recomputed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListSeats {
    pub number: u32,
    pub name: String,
    pub official_seats: Option<u32>,
    pub computed_seats: Option<u32>,
}

/// Counts of elected candidates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct CandidateCounts {
    /// Whether the elected candidates were compared with the official ones (false without an
    /// official result, or without candidate lists: then only the seats per list are).
    pub checked: bool,
    pub official: usize,
    pub computed: usize,
    /// Official elected candidates found among the computed ones with the same flag.
    pub matched: usize,
    /// `None` when the official result does not say (the uitslag CSV).
    pub official_by_preference: Option<usize>,
    pub computed_by_preference: usize,
}

/// A lot the engine needed, and what was taken for it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct LotReport {
    pub reason_nl: String,
    pub options: Vec<String>,
    pub drawn: String,
    /// True when the drawn option is the one the official result shows.
    pub accepted: bool,
    pub message_nl: String,
    pub message_en: String,
}

/// A recomputed elected candidate.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ComputedElected {
    pub list: u32,
    pub name: String,
    pub person: String,
    pub position: u32,
    pub by_preference: bool,
    pub votes: u64,
    #[serde(skip)]
    pub def: DefRef,
}

/// The verification of one election.
#[derive(Debug, Clone, Serialize)]
pub struct Verification {
    pub election: String,
    pub name: String,
    pub status: Status,
    pub matches: bool,
    pub seats: Option<u32>,
    pub lists: Vec<ListSeats>,
    pub candidates: CandidateCounts,
    pub mismatches: Vec<Finding>,
    pub lots: Vec<LotReport>,
    pub warnings: Vec<Finding>,
    pub errors: Vec<Finding>,
    pub files: Vec<String>,
    /// Computed elected in P 19 order per list.
    pub elected: Vec<ComputedElected>,
    /// Per stembureau, whether it was investigated or corrected (2026 format).
    pub investigations: Vec<UnitInvestigation>,
    #[serde(skip)]
    pub outcome: Option<Outcome>,
    #[serde(skip)]
    order_notes: Vec<Finding>,
}

/// Runs the checks, recomputes and compares one election.
pub fn verify(e: &ElectionData) -> Verification {
    let mut findings: Vec<Finding> = e.findings.clone();
    findings.extend(checks::check(e));
    let mut v = Verification {
        election: e.id.clone(),
        name: e.name.clone(),
        status: Status::Ok,
        matches: false,
        seats: e.seats,
        lists: Vec::new(),
        candidates: CandidateCounts::default(),
        mismatches: Vec::new(),
        lots: Vec::new(),
        warnings: Vec::new(),
        errors: Vec::new(),
        files: e.files.clone(),
        elected: Vec::new(),
        investigations: investigations::of(e),
        outcome: None,
        order_notes: Vec::new(),
    };
    let official = e.official.as_ref();
    if official.is_none() {
        // Not an error: the seats are still recomputed and shown, with nothing to compare.
        findings.push(
            Finding::warning(
                "W-GEEN-UITSLAG",
                "geen (leesbare) officiële uitslag (520 of uitslag-CSV) voor deze verkiezing: niets om de herberekening mee te vergelijken",
                "no (readable) official result (520 or result CSV) for this election: nothing to compare the recomputation with",
            )
            .file(e.files.join(", ")),
        );
    }
    // Without candidate lists: the seats per list only (see `seats_only`).
    let mut seats_only: Option<Vec<(u32, String, u32)>> = None;
    let input = if e.lists.is_empty() && !e.fragments.is_empty() {
        match body_and_seats(e)
            .map_err(|mut f| Box::new(f.remove(0)))
            .and_then(|(body, seats)| seats_only::recompute(e, body, seats, official))
        {
            Ok(r) => {
                findings.extend(r.warnings);
                v.lots = r.lots;
                seats_only = Some(r.seats);
            }
            Err(f) => {
                // Neither candidates nor seats: say both what is missing and what stopped it.
                findings.push(
                    Finding::error(
                        "E-GEEN-KANDIDATENLIJSTEN",
                        "geen kandidatenlijsten (230b of OSV4-3) gevonden",
                        "no candidate lists (230b or OSV4-3) found",
                    )
                    .file(e.files.join(", ")),
                );
                findings.push(*f);
            }
        }
        None
    } else {
        match engine_input(e) {
            Ok(i) => Some(i),
            Err(errs) => {
                findings.extend(errs);
                None
            }
        }
    };
    if let Some(input) = input {
        match solve(&input, official, e) {
            Ok((outcome, lots)) => {
                v.lots = lots;
                // What the engine says a person should look at (e.g. W-P9-EN-P10).
                findings.extend(
                    outcome
                        .warnings
                        .iter()
                        .map(|w| Finding::warning(w.code(), w.text_nl(), w.text_en())),
                );
                v.elected = outcome
                    .elected
                    .iter()
                    .map(|c| {
                        let pi = input
                            .election
                            .parties
                            .iter()
                            .position(|p| p.number == c.list)
                            .unwrap_or(0);
                        let def = input.refs[pi][c.list_index][c.position as usize - 1];
                        ComputedElected {
                            list: c.list,
                            name: c.name.to_string(),
                            person: e.lists[def.list].candidates[def.candidate].person.clone(),
                            position: c.position,
                            by_preference: c.by == ElectedBy::Preference,
                            votes: c.votes,
                            def,
                        }
                    })
                    .collect();
                v.outcome = Some(outcome);
            }
            Err(f) => findings.push(*f),
        }
    }
    let computed: Option<Vec<(u32, String, u32)>> = seats_only.or_else(|| {
        v.outcome.as_ref().map(|o| {
            o.parties
                .iter()
                .map(|p| (p.number, p.name.clone(), p.seats))
                .collect()
        })
    });
    match (&computed, official) {
        (Some(c), Some(off)) => {
            compare_seats(e, c, off, &mut v);
            if v.outcome.is_some() {
                compare(e, off, &mut v);
            } else {
                v.candidates.official = off.lists.iter().map(|l| l.elected.len()).sum();
            }
        }
        (Some(c), None) => {
            v.lists = c
                .iter()
                .map(|(number, name, seats)| ListSeats {
                    number: *number,
                    name: name.clone(),
                    official_seats: None,
                    computed_seats: Some(*seats),
                })
                .collect();
            v.candidates.computed = v.elected.len();
            v.candidates.computed_by_preference =
                v.elected.iter().filter(|c| c.by_preference).count();
        }
        (None, _) => {}
    }
    findings.append(&mut v.order_notes);
    for f in findings {
        match f.severity {
            Severity::Warning => v.warnings.push(f),
            Severity::Error => v.errors.push(f),
        }
    }
    v.matches = computed.is_some() && official.is_some() && v.mismatches.is_empty();
    // A file that could not be read is never "fine", even when the other files still
    // recompute to the official result: what the unreadable file said is unknown.
    v.status = if !e.damaged.is_empty() {
        Status::Damaged
    } else if computed.is_none() {
        Status::Incomplete
    } else if official.is_none() {
        Status::NoOfficialResult
    } else if !v.mismatches.is_empty() {
        Status::Mismatch
    } else if !v.lots.is_empty() {
        Status::Lot
    } else {
        Status::Ok
    };
    v
}

/// Runs the engine; when it needs a lot, takes the option the official result shows, trying
/// the tied options (those the official result elected first) and keeping the first whose
/// whole outcome agrees with the official result.
fn solve(
    input: &EngineInput,
    official: Option<&Official>,
    e: &ElectionData,
) -> Result<(Outcome, Vec<LotReport>), Box<Finding>> {
    let mut budget = 64usize;
    let mut election = input.election.clone();
    let mut reports = Vec::new();
    let outcome = solve_rec(input, official, e, &mut election, &mut reports, &mut budget)?;
    Ok((outcome, reports))
}

fn describe_option(
    input: &EngineInput,
    e: &ElectionData,
    c: &LotChoice,
    lang: kieswet::Lang,
) -> String {
    match c {
        LotChoice::Candidate { list, position } => candidate_at(input, *list, *position)
            .map_or_else(
                || c.describe(lang),
                |d| {
                    format!(
                        "{} ({})",
                        c.describe(lang),
                        e.lists[d.list].candidates[d.candidate].display_name()
                    )
                },
            ),
        _ => c.describe(lang),
    }
}

/// The candidate a lot option names: position on the first list of the party on which the
/// candidate stands.
fn candidate_at(input: &EngineInput, list: u32, position: u32) -> Option<DefRef> {
    let pi = input
        .election
        .parties
        .iter()
        .position(|p| p.number == list)?;
    let party = &input.election.parties[pi];
    let mut seen = std::collections::HashSet::new();
    for (li, l) in party.lists.iter().enumerate() {
        for (ci, c) in l.candidates.iter().enumerate() {
            if seen.insert(c.person) && c.position == position {
                return Some(input.refs[pi][li][ci]);
            }
        }
    }
    None
}

fn consistent(
    input: &EngineInput,
    official: Option<&Official>,
    e: &ElectionData,
    c: &LotChoice,
) -> bool {
    let Some(off) = official else { return false };
    match c {
        LotChoice::Candidate { list, position } => {
            let Some(d) = candidate_at(input, *list, *position) else {
                return false;
            };
            let def = &e.lists[d.list].candidates[d.candidate];
            off.lists
                .iter()
                .filter(|l| l.number == *list)
                .flat_map(|l| &l.elected)
                .any(|o| o.matches_loosely(def))
        }
        LotChoice::Party(n) | LotChoice::GroupList { party: n, .. } => {
            off.lists.iter().any(|l| l.number == *n && l.seats > 0)
        }
    }
}

fn solve_rec(
    input: &EngineInput,
    official: Option<&Official>,
    e: &ElectionData,
    election: &mut Election,
    reports: &mut Vec<LotReport>,
    budget: &mut usize,
) -> Result<Outcome, Box<Finding>> {
    let engine_error = |err: kieswet::InputError| {
        Box::new(Finding::error(
            "E-REKENEN",
            format!("de zetelverdeling kan niet berekend worden: {err}"),
            format!(
                "the apportionment cannot be computed: {}: {}",
                err.field,
                err.message_en()
            ),
        ))
    };
    *budget = budget.saturating_sub(1);
    match apportion(election).map_err(engine_error)? {
        Apportionment::Complete(o) => Ok(o),
        Apportionment::LotRequired(l) => {
            let mut options = l.options.clone();
            options.sort_by_key(|c| !consistent(input, official, e, c));
            let described: Vec<String> = l
                .options
                .iter()
                .map(|c| describe_option(input, e, c, kieswet::Lang::Nl))
                .collect();
            let mut first: Option<(Outcome, Vec<LotReport>, Election, bool)> = None;
            for opt in options {
                let accepted = consistent(input, official, e, &opt);
                let mut trial = election.clone();
                trial.lots.push(opt.clone());
                let mut sub = Vec::new();
                let drawn = describe_option(input, e, &opt, kieswet::Lang::Nl);
                let drawn_en = describe_option(input, e, &opt, kieswet::Lang::En);
                let report = LotReport {
                    reason_nl: l.reason.describe_nl(),
                    options: described.clone(),
                    drawn: drawn.clone(),
                    accepted,
                    message_nl: if accepted {
                        format!(
                            "loting nodig ({}); de officiële uitslag toont {drawn}, een van de gelijk geëindigde mogelijkheden: als getrokken aangenomen",
                            l.reason.describe_nl()
                        )
                    } else {
                        format!(
                            "loting nodig ({}); de officiële uitslag past bij geen van de gelijk geëindigde mogelijkheden",
                            l.reason.describe_nl()
                        )
                    },
                    message_en: if accepted {
                        format!(
                            "a lot was needed ({}); the official result shows {drawn_en}, one of the tied options: accepted as the recorded draw",
                            l.reason.describe_en()
                        )
                    } else {
                        format!(
                            "a lot was needed ({}); the official result matches none of the tied options",
                            l.reason.describe_en()
                        )
                    },
                };
                sub.push(report);
                let outcome = solve_rec(input, official, e, &mut trial, &mut sub, budget)?;
                let ok = accepted && official.is_some_and(|off| agrees(input, e, &outcome, off));
                if ok || *budget == 0 {
                    *election = trial;
                    reports.extend(sub);
                    return Ok(outcome);
                }
                if first.is_none() {
                    first = Some((outcome, sub, trial, ok));
                }
            }
            let (outcome, sub, trial, _) = first.ok_or_else(|| {
                Box::new(Finding::error(
                    "E-LOTING",
                    "loting zonder mogelijkheden",
                    "lot without options",
                ))
            })?;
            *election = trial;
            reports.extend(sub);
            Ok(outcome)
        }
    }
}

/// Whether an outcome agrees with the official result in seats and elected persons.
fn agrees(input: &EngineInput, e: &ElectionData, o: &Outcome, off: &Official) -> bool {
    for p in &o.parties {
        let s = off
            .lists
            .iter()
            .find(|l| l.number == p.number)
            .map_or(0, |l| l.seats);
        if s != p.seats {
            return false;
        }
    }
    o.elected.iter().all(|c| {
        let Some(pi) = input
            .election
            .parties
            .iter()
            .position(|p| p.number == c.list)
        else {
            return false;
        };
        let d = input.refs[pi][c.list_index][c.position as usize - 1];
        let def = &e.lists[d.list].candidates[d.candidate];
        off.lists
            .iter()
            .filter(|l| l.number == c.list)
            .flat_map(|l| &l.elected)
            .any(|x| x.matches_loosely(def))
    })
}

/// Seats per list: official against recomputed (`number`, name, seats).
fn compare_seats(
    e: &ElectionData,
    computed: &[(u32, String, u32)],
    off: &Official,
    v: &mut Verification,
) {
    let off_file = e.files[off.file].clone();
    let mut numbers: Vec<u32> = computed.iter().map(|p| p.0).collect();
    for l in &off.lists {
        if !numbers.contains(&l.number) {
            numbers.push(l.number);
        }
    }
    numbers.sort_unstable();
    for n in numbers {
        let p = computed.iter().find(|p| p.0 == n);
        let ol = off.lists.iter().find(|l| l.number == n);
        let name = ol
            .map(|l| l.name.clone())
            .filter(|s| !s.trim().is_empty())
            .or_else(|| p.map(|p| p.1.clone()))
            .unwrap_or_default();
        let name = list_label(n, &name);
        let official_seats = ol.map(|l| l.seats);
        let computed_seats = p.map(|p| p.2);
        if official_seats.unwrap_or(0) != computed_seats.unwrap_or(0) {
            let (a, b) = (official_seats.unwrap_or(0), computed_seats.unwrap_or(0));
            v.mismatches.push(
                Finding::error(
                    "M-ZETELS",
                    format!("lijst {n} ({name}): officieel {a} zetels, herberekend {b}"),
                    format!("list {n} ({name}): {a} seats officially, {b} recomputed"),
                )
                .values(u64::from(a), u64::from(b))
                .file(off_file.clone()),
            );
        }
        // Only lists that take part in the comparison.
        if official_seats.unwrap_or(0) > 0 || computed_seats.unwrap_or(0) > 0 || ol.is_some() {
            v.lists.push(ListSeats {
                number: n,
                name,
                official_seats,
                computed_seats,
            });
        }
    }
}

/// The elected candidates: official against recomputed (after [`compare_seats`]).
fn compare(e: &ElectionData, off: &Official, v: &mut Verification) {
    let off_file = e.files[off.file].clone();
    v.candidates.checked = true;
    v.candidates.official = off.lists.iter().map(|l| l.elected.len()).sum();
    v.candidates.computed = v.elected.len();
    let flags: Vec<Option<Ranking>> = off
        .lists
        .iter()
        .flat_map(|l| &l.elected)
        .map(|c| c.ranking)
        .collect();
    v.candidates.official_by_preference = flags.iter().any(Option::is_some).then(|| {
        flags
            .iter()
            .filter(|r| **r == Some(Ranking::Preference))
            .count()
    });
    v.candidates.computed_by_preference = v.elected.iter().filter(|c| c.by_preference).count();
    for ol in &off.lists {
        let computed: Vec<&ComputedElected> =
            v.elected.iter().filter(|c| c.list == ol.number).collect();
        let mut used = vec![false; computed.len()];
        let def_of = |c: &ComputedElected| &e.lists[c.def.list].candidates[c.def.candidate];
        // First exact matches, then loose ones for what is left.
        let mut pairs: Vec<Option<usize>> = ol
            .elected
            .iter()
            .map(|oc| {
                let i = computed
                    .iter()
                    .enumerate()
                    .position(|(i, c)| !used[i] && oc.matches(def_of(c)))?;
                used[i] = true;
                Some(i)
            })
            .collect();
        for (k, oc) in ol.elected.iter().enumerate() {
            if pairs[k].is_none() {
                pairs[k] = computed
                    .iter()
                    .enumerate()
                    .position(|(i, c)| !used[i] && oc.matches_loosely(def_of(c)));
                if let Some(i) = pairs[k] {
                    used[i] = true;
                }
            }
        }
        let mut order_off = Vec::new();
        for (k, oc) in ol.elected.iter().enumerate() {
            let hit = pairs[k].map(|i| (i, computed[i]));
            let Some((i, c)) = hit else {
                v.mismatches.push(
                    Finding::error(
                        "M-KANDIDAAT-NIET-HERBEREKEND",
                        format!(
                            "lijst {}: {} is officieel gekozen, maar niet volgens de herberekening",
                            ol.number, oc.name
                        ),
                        format!(
                            "list {}: {} is elected officially, but not in the recomputation",
                            ol.number, oc.name
                        ),
                    )
                    .file(off_file.clone()),
                );
                continue;
            };
            order_off.push(i);
            let flag_ok = match oc.ranking {
                Some(Ranking::Preference) => c.by_preference,
                Some(Ranking::ListOrder) => !c.by_preference,
                None => true,
            };
            if flag_ok {
                v.candidates.matched += 1;
            } else {
                let (how_off, how_comp) = if c.by_preference {
                    ("in lijstvolgorde", "met voorkeurstemmen")
                } else {
                    ("met voorkeurstemmen", "in lijstvolgorde")
                };
                v.mismatches.push(
                    Finding::error(
                        "M-VOORKEUR",
                        format!(
                            "lijst {}: {} officieel gekozen {how_off}, herberekend {how_comp}",
                            ol.number, oc.name
                        ),
                        format!(
                            "list {}: {} elected officially {}, recomputed {}",
                            ol.number,
                            oc.name,
                            if c.by_preference {
                                "in list order"
                            } else {
                                "on preference votes"
                            },
                            if c.by_preference {
                                "on preference votes"
                            } else {
                                "in list order"
                            }
                        ),
                    )
                    .file(off_file.clone()),
                );
            }
        }
        for (i, c) in computed.iter().enumerate() {
            if !used[i] {
                v.mismatches.push(
                    Finding::error(
                        "M-KANDIDAAT-EXTRA",
                        format!(
                            "lijst {}: {} is volgens de herberekening gekozen, maar niet officieel",
                            ol.number, c.name
                        ),
                        format!(
                            "list {}: {} is elected in the recomputation, but not officially",
                            ol.number, c.name
                        ),
                    )
                    .file(off_file.clone()),
                );
            }
        }
        // P 19 order: the official order must be the computed order, except among candidates
        // elected on preference with equal votes (the law does not order those; the official
        // order then reflects a draw).
        if off.ordered && order_off.len() == computed.len() {
            let mut tie_swapped = false;
            let mut wrong = false;
            for (k, &i) in order_off.iter().enumerate() {
                if i == k {
                    continue;
                }
                let (a, b) = (computed[i], computed[k]);
                if a.by_preference && b.by_preference && a.votes == b.votes {
                    tie_swapped = true;
                } else {
                    wrong = true;
                }
            }
            if wrong {
                v.mismatches.push(
                    Finding::error(
                        "M-VOLGORDE",
                        format!(
                            "lijst {}: de volgorde van de gekozenen wijkt af van P 19",
                            ol.number
                        ),
                        format!(
                            "list {}: the order of the elected differs from P 19",
                            ol.number
                        ),
                    )
                    .file(off_file.clone()),
                );
            } else if tie_swapped {
                v.order_notes.push(
                    Finding::warning(
                        "W-VOLGORDE-GELIJKE-STEMMEN",
                        format!(
                            "lijst {}: kandidaten met evenveel voorkeurstemmen staan officieel in een andere volgorde dan op de lijst; de wet regelt die volgorde niet (loting)",
                            ol.number
                        ),
                        format!(
                            "list {}: candidates with equal preference votes are ordered differently from the list officially; the law does not fix that order (a lot)",
                            ol.number
                        ),
                    )
                    .file(off_file.clone()),
                );
            }
        }
    }
    for c in &v.elected {
        if !off.lists.iter().any(|l| l.number == c.list) {
            v.mismatches.push(
                Finding::error(
                    "M-KANDIDAAT-EXTRA",
                    format!(
                        "lijst {}: {} is volgens de herberekening gekozen; de lijst staat niet in de officiële uitslag",
                        c.list, c.name
                    ),
                    format!(
                        "list {}: {} is elected in the recomputation; the list is not in the official result",
                        c.list, c.name
                    ),
                )
                .file(off_file.clone()),
            );
        }
    }
}

/// The body of an election, for reports.
pub fn body_name(b: Option<Body>) -> &'static str {
    b.map_or("?", Body::name_nl)
}
