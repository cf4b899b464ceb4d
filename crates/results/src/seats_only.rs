//! Seats without candidate lists. When the 230b (and an OSV4-3 table) is missing, the seats
//! per list can still be recomputed: P 5–P 9 need only the votes per list, and P 10 (a list
//! cannot get more seats than it has candidates) needs how many candidates each list has,
//! which the count shows (it has a line for every candidate, with or without votes). Who is
//! elected cannot be checked without the names; that is reported as a warning.

use kieswet::{
    Body, Candidate, Election, List, LotChoice, Party, RulesetName, SeatsOnly, SplitRounding,
    apportion_seats,
};

use crate::model::{ElectionData, Finding, Official, list_label};
use crate::recompute::LotReport;

/// The recomputed seats per list (number, name, seats), the lots taken and warnings.
#[derive(Debug, Clone, Default)]
pub struct SeatsOnlyOutcome {
    pub seats: Vec<(u32, String, u32)>,
    pub lots: Vec<LotReport>,
    pub warnings: Vec<Finding>,
}

/// The engine input from the total count: one list per party, its candidates as the count
/// has them (position and votes; names are not known).
fn input(
    e: &ElectionData,
    body: Body,
    seats: u32,
) -> Result<(Election, Vec<Finding>), Box<Finding>> {
    let files = e.files.join(", ");
    let Some(unit) = e.unit("totaal") else {
        return Err(Box::new(
            Finding::error(
                "E-GEEN-TELLING",
                "geen telling gevonden voor totaal",
                "no count found for totaal",
            )
            .file(files),
        ));
    };
    let mut warnings = Vec::new();
    let mut parties: Vec<Party> = Vec::new();
    for lv in &unit.votes.lists {
        if parties.iter().any(|p| p.number == lv.id) {
            continue; // a list twice in one count: E-DUBBELE-LIJST-IN-TELLING already says so
        }
        let mut candidates: Vec<Candidate> = lv
            .candidates
            .iter()
            .enumerate()
            .map(|(i, c)| {
                let position =
                    c.id.unwrap_or_else(|| u32::try_from(i + 1).unwrap_or(u32::MAX));
                Candidate {
                    position,
                    name: format!("kandidaat {position}"),
                    person: u32::try_from(i).unwrap_or(u32::MAX),
                    votes: c.valid_votes,
                    deceased: false,
                }
            })
            .collect();
        candidates.sort_by_key(|c| c.position);
        if candidates.is_empty() {
            // No candidate lines: how many candidates the list has is unknown, so P 10 cannot
            // limit it. Its votes stand on one line; the other places are empty.
            warnings.push(
                Finding::warning(
                    "W-AANTAL-KANDIDATEN-ONBEKEND",
                    format!(
                        "lijst {}: de telling noemt geen kandidaten; zonder kandidatenlijst is niet te zien of de lijst uitgeput raakt (P 10)",
                        lv.id
                    ),
                    format!(
                        "list {}: the count names no candidates; without the candidate list it cannot be seen whether the list is exhausted (P 10)",
                        lv.id
                    ),
                )
                .file(e.files[unit.file].clone())
                .unit(unit.label()),
            );
            candidates = (1..=seats.max(1))
                .map(|p| Candidate {
                    position: p,
                    name: format!("kandidaat {p}"),
                    person: p - 1,
                    votes: if p == 1 { lv.valid_votes } else { 0 },
                    deceased: false,
                })
                .collect();
        }
        parties.push(Party {
            number: lv.id,
            name: list_label(lv.id, &lv.name),
            lists: vec![List {
                kieskringen: Vec::new().into(),
                list_votes: 0,
                candidates,
            }],
        });
    }
    parties.sort_by_key(|p| p.number);
    let election = Election {
        body,
        seats,
        ruleset: RulesetName::Current,
        split_rounding: SplitRounding::default(),
        preference_threshold_percent: e.preference_threshold_percent,
        parties,
        lots: Vec::new(),
    };
    Ok((election, warnings))
}

/// Recomputes the seats per list from the total count of `e`, taking lots only from the
/// official result among the tied options.
pub fn recompute(
    e: &ElectionData,
    body: Body,
    seats: u32,
    official: Option<&Official>,
) -> Result<SeatsOnlyOutcome, Box<Finding>> {
    let (mut election, mut warnings) = input(e, body, seats)?;
    warnings.push(
        Finding::warning(
            "W-KANDIDATEN-NIET-TE-CONTROLEREN",
            "geen kandidatenlijsten (230b of OSV4-3): alleen de zetels per lijst zijn herberekend; wie gekozen is, is niet te controleren",
            "no candidate lists (230b or OSV4-3): only the seats per list are recomputed; who is elected cannot be checked",
        )
        .file(e.files.join(", ")),
    );
    let mut lots = Vec::new();
    let mut budget = 64usize;
    let party_seats = solve(&mut election, official, &mut lots, &mut budget)?;
    let seats = election
        .parties
        .iter()
        .zip(party_seats)
        .map(|(p, s)| (p.number, p.name.clone(), s))
        .collect();
    Ok(SeatsOnlyOutcome {
        seats,
        lots,
        warnings,
    })
}

fn official_seats(off: &Official, number: u32) -> u32 {
    off.lists
        .iter()
        .filter(|l| l.number == number)
        .map(|l| l.seats)
        .sum()
}

fn solve(
    election: &mut Election,
    official: Option<&Official>,
    reports: &mut Vec<LotReport>,
    budget: &mut usize,
) -> Result<Vec<u32>, Box<Finding>> {
    *budget = budget.saturating_sub(1);
    let run = apportion_seats(election).map_err(|err| {
        Box::new(Finding::error(
            "E-REKENEN",
            format!("de zetelverdeling kan niet berekend worden: {err}"),
            format!("the apportionment cannot be computed: {err}"),
        ))
    })?;
    let l = match run {
        SeatsOnly::Complete { seats, .. } => return Ok(seats.party_seats),
        SeatsOnly::LotRequired(l) => l,
    };
    // A tied list is consistent with the official result when it has a seat there.
    let consistent = |c: &LotChoice| match (c, official) {
        (LotChoice::Party(n) | LotChoice::GroupList { party: n, .. }, Some(off)) => {
            official_seats(off, *n) > 0
        }
        _ => false,
    };
    let mut options = l.options.clone();
    options.sort_by_key(|c| !consistent(c));
    let described: Vec<String> = l.options.iter().map(ToString::to_string).collect();
    let mut first: Option<(Vec<u32>, Vec<LotReport>, Election)> = None;
    for opt in options {
        let accepted = consistent(&opt);
        let drawn = opt.to_string();
        let reason = l.reason.describe_nl();
        let mut sub = vec![LotReport {
            reason_nl: reason.clone(),
            options: described.clone(),
            drawn: drawn.clone(),
            accepted,
            message_nl: if accepted {
                format!(
                    "loting nodig ({reason}); de officiële uitslag toont {drawn}, een van de gelijk geëindigde mogelijkheden: als getrokken aangenomen"
                )
            } else {
                format!(
                    "loting nodig ({reason}); de officiële uitslag past bij geen van de gelijk geëindigde mogelijkheden"
                )
            },
            message_en: if accepted {
                format!(
                    "a lot was needed ({}); the official result shows {}, one of the tied options: accepted as the recorded draw",
                    l.reason.describe_en(),
                    opt.describe(kieswet::Lang::En)
                )
            } else {
                format!(
                    "a lot was needed ({}); the official result matches none of the tied options",
                    l.reason.describe_en()
                )
            },
        }];
        let mut trial = election.clone();
        trial.lots.push(opt);
        let seats = solve(&mut trial, official, &mut sub, budget)?;
        let agrees = official.is_some_and(|off| {
            trial
                .parties
                .iter()
                .zip(&seats)
                .all(|(p, s)| official_seats(off, p.number) == *s)
        });
        if (accepted && agrees) || *budget == 0 {
            *election = trial;
            reports.extend(sub);
            return Ok(seats);
        }
        if first.is_none() {
            first = Some((seats, sub, trial));
        }
    }
    let (seats, sub, trial) = first.ok_or_else(|| {
        Finding::error(
            "E-LOTING",
            "loting zonder mogelijkheden",
            "lot without options",
        )
    })?;
    *election = trial;
    reports.extend(sub);
    Ok(seats)
}
