//! The JSON exchange format of `stembus apportion` (feature `json`).
//!
//! Input (minimum; other tools depend on these fields):
//! ```json
//! { "body": "GR", "seats": 15, "ruleset": "current",
//!   "lists": [ { "number": 1, "name": "Lijst A", "list_votes": 0,
//!                "candidates": [ { "position": 1, "name": "A. Jansen", "votes": 1069,
//!                                  "deceased": false } ] } ],
//!   "lots": [] }
//! ```
//! Extensions: `preference_threshold_percent`; `split_rounding` (`largest-remainders`,
//! `largest-averages`, `list-seats-down`); a candidate `id` (identity across lists); and for a
//! lijstengroep or stel, a list entry with `"lists": [{ "kieskringen": [..], "list_votes": 0,
//! "candidates": [..] }, ..]` instead of `candidates`. A lot is a list number (`3`) or a
//! candidate (`{"list": 2, "position": 5}`).

use std::collections::BTreeMap;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::lots::LotRequired;
use crate::margins::Margins;
use crate::model::{
    Body, Candidate, Election, List, LotChoice, Party, PersonNumbers, RulesetName, SplitRounding,
};
use crate::{Apportionment, ElectedBy, InputError, Outcome, Problem, Step};

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ElectionJson {
    body: Body,
    seats: u32,
    #[serde(default)]
    ruleset: RulesetName,
    #[serde(default)]
    split_rounding: SplitRounding,
    #[serde(default)]
    preference_threshold_percent: Option<u32>,
    lists: Vec<PartyJson>,
    #[serde(default)]
    lots: Vec<LotChoice>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct PartyJson {
    number: u32,
    #[serde(default)]
    name: String,
    #[serde(default)]
    list_votes: u64,
    #[serde(default)]
    candidates: Option<Vec<CandidateJson>>,
    #[serde(default)]
    lists: Option<Vec<ListJson>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ListJson {
    #[serde(default)]
    kieskringen: Vec<u32>,
    #[serde(default)]
    list_votes: u64,
    candidates: Vec<CandidateJson>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct CandidateJson {
    position: u32,
    #[serde(default)]
    name: String,
    /// Identifies the person across the lists of a lijstengroep; without it, the name does.
    #[serde(default)]
    id: Option<String>,
    votes: u64,
    #[serde(default)]
    deceased: bool,
}

impl CandidateJson {
    fn into_candidate(self, persons: &mut PersonNumbers) -> Candidate {
        Candidate {
            person: persons.number(self.id.as_deref().unwrap_or(&self.name)),
            position: self.position,
            name: self.name,
            votes: self.votes,
            deceased: self.deceased,
        }
    }
}

/// Reads an election from the JSON format. Errors name the field (as a path) and, for syntax
/// errors, the line and column.
pub fn election_from_json(text: &str) -> Result<Election, InputError> {
    let de = &mut serde_json::Deserializer::from_str(text);
    let parsed: ElectionJson = serde_path_to_error::deserialize(de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        InputError::new(
            if path == "." { String::new() } else { path },
            Problem::Json {
                detail: inner.to_string(),
                line: inner.line(),
                column: inner.column(),
            },
        )
    })?;
    let mut parties = Vec::with_capacity(parsed.lists.len());
    for (i, p) in parsed.lists.into_iter().enumerate() {
        let mut persons = PersonNumbers::default();
        let mut candidates = |cs: Vec<CandidateJson>| -> Vec<Candidate> {
            cs.into_iter()
                .map(|c| c.into_candidate(&mut persons))
                .collect()
        };
        let lists = match (p.candidates, p.lists) {
            (Some(cs), None) => vec![List {
                kieskringen: Arc::default(),
                list_votes: p.list_votes,
                candidates: candidates(cs),
            }],
            (None, Some(lists)) if p.list_votes == 0 => lists
                .into_iter()
                .map(|l| List {
                    kieskringen: l.kieskringen.into(),
                    list_votes: l.list_votes,
                    candidates: candidates(l.candidates),
                })
                .collect(),
            _ => {
                return Err(InputError::new(
                    format!("lists[{i}]"),
                    Problem::CandidatesOrLists,
                ));
            }
        };
        parties.push(Party {
            number: p.number,
            name: p.name,
            lists,
        });
    }
    Ok(Election {
        body: parsed.body,
        seats: parsed.seats,
        ruleset: parsed.ruleset,
        split_rounding: parsed.split_rounding,
        preference_threshold_percent: parsed.preference_threshold_percent,
        parties,
        lots: parsed.lots,
    })
}

/// The JSON output of `stembus apportion --json`.
#[derive(Serialize)]
pub struct ResultJson<'a> {
    pub body: Body,
    pub ruleset: RulesetName,
    pub current_law: bool,
    /// Seats per list number.
    pub seats: BTreeMap<String, u32>,
    pub empty_seats: u32,
    pub elected: Vec<ElectedJson<'a>>,
    /// `"num/den"`, unreduced (P 5).
    pub kiesdeler: Option<String>,
    pub preference_threshold: Option<String>,
    pub next_seat: Option<u32>,
    pub steps: Vec<StepJson<'a>>,
    pub lot_required: Option<LotJson<'a>>,
    pub margins: BTreeMap<String, MarginJson>,
    /// In Dutch (each [`crate::Assumption`] as its text).
    pub assumptions: &'a [crate::Assumption],
    /// What a person should look at before the result is made official (`code`, Dutch
    /// `text`); also while a lot is still needed, for the steps taken so far.
    pub warnings: Vec<WarningJson>,
}

#[derive(Serialize)]
pub struct WarningJson {
    pub code: &'static str,
    pub text: String,
}

fn warnings_json(warnings: &[crate::Warning]) -> Vec<WarningJson> {
    warnings
        .iter()
        .map(|w| WarningJson {
            code: w.code(),
            text: w.text_nl(),
        })
        .collect()
}

#[derive(Serialize)]
pub struct ElectedJson<'a> {
    pub list: u32,
    pub position: u32,
    pub name: &'a str,
    pub votes: u64,
    pub by: ElectedBy,
}

#[derive(Serialize)]
pub struct StepJson<'a> {
    pub article: &'static str,
    pub text: String,
    pub detail: &'a Step,
}

#[derive(Serialize)]
pub struct LotJson<'a> {
    pub index: usize,
    pub reason: &'a crate::LotReason,
    pub description: String,
    pub options: &'a [LotChoice],
}

#[derive(Serialize)]
pub struct MarginJson {
    pub gain: Option<u64>,
    pub lose: Option<u64>,
}

fn steps_json(steps: &[Step]) -> Vec<StepJson<'_>> {
    steps
        .iter()
        .map(|s| StepJson {
            article: s.article(),
            text: s.describe_nl(),
            detail: s,
        })
        .collect()
}

/// Builds the output document for a result (and its margins, when computed).
pub fn result_json<'a>(
    election: &Election,
    result: &'a Apportionment,
    margins: Option<&Margins>,
) -> ResultJson<'a> {
    let margins = margins
        .map(|m| {
            m.parties
                .iter()
                .map(|p| {
                    (
                        p.number.to_string(),
                        MarginJson {
                            gain: p.gain,
                            lose: p.lose,
                        },
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    match result {
        Apportionment::Complete(o) => outcome_json(election, o, margins),
        Apportionment::LotRequired(lot) => lot_json(election, lot, margins),
    }
}

fn outcome_json<'a>(
    election: &Election,
    o: &'a Outcome,
    margins: BTreeMap<String, MarginJson>,
) -> ResultJson<'a> {
    ResultJson {
        body: election.body,
        ruleset: election.ruleset,
        current_law: election.ruleset.is_current_law(),
        seats: o
            .parties
            .iter()
            .map(|p| (p.number.to_string(), p.seats))
            .collect(),
        empty_seats: o.empty_seats,
        elected: o
            .elected
            .iter()
            .map(|e| ElectedJson {
                list: e.list,
                position: e.position,
                name: &e.name,
                votes: e.votes,
                by: e.by,
            })
            .collect(),
        kiesdeler: Some(o.kiesdeler.to_ratio_string()),
        preference_threshold: Some(o.preference_threshold.to_ratio_string()),
        next_seat: o.next_seat,
        steps: steps_json(&o.steps),
        lot_required: None,
        margins,
        assumptions: &o.assumptions,
        warnings: warnings_json(&o.warnings),
    }
}

fn lot_json<'a>(
    election: &Election,
    lot: &'a LotRequired,
    margins: BTreeMap<String, MarginJson>,
) -> ResultJson<'a> {
    ResultJson {
        body: election.body,
        ruleset: election.ruleset,
        current_law: election.ruleset.is_current_law(),
        seats: BTreeMap::new(),
        empty_seats: 0,
        elected: Vec::new(),
        kiesdeler: None,
        preference_threshold: None,
        next_seat: None,
        steps: steps_json(&lot.steps),
        lot_required: Some(LotJson {
            index: lot.index,
            reason: &lot.reason,
            description: lot.reason.describe_nl(),
            options: &lot.options,
        }),
        margins,
        assumptions: &[],
        warnings: warnings_json(&crate::warnings(&lot.steps)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_the_minimal_format() {
        let e = election_from_json(
            r#"{ "body": "GR", "seats": 15, "ruleset": "current",
                 "lists": [ { "number": 1, "name": "Lijst A", "list_votes": 0,
                   "candidates": [ { "position": 1, "name": "A. Jansen", "votes": 1069,
                                     "deceased": false } ] } ],
                 "lots": [3, {"list": 2, "position": 5}] }"#,
        )
        .unwrap();
        assert_eq!(e.body, Body::GR);
        assert_eq!(e.parties[0].votes(), 1069);
        assert_eq!(
            e.lots,
            vec![
                LotChoice::Party(3),
                LotChoice::Candidate {
                    list: 2,
                    position: 5
                }
            ]
        );
    }

    #[test]
    fn reads_a_lijstengroep() {
        let e = election_from_json(
            r#"{ "body": "TK", "seats": 150,
                 "lists": [ { "number": 4, "name": "D66", "lists": [
                   { "kieskringen": [1], "candidates": [ { "position": 1, "name": "K", "votes": 7 } ] },
                   { "kieskringen": [2, 3], "candidates": [ { "position": 1, "name": "K", "votes": 5 } ] } ] } ] }"#,
        )
        .unwrap();
        assert_eq!(e.ruleset, RulesetName::Current);
        assert_eq!(e.parties[0].lists.len(), 2);
        assert_eq!(e.parties[0].votes(), 12);
    }

    #[test]
    fn the_id_or_else_the_name_says_who_is_the_same_person() {
        // Across the lists of a party: "K" by name on both lists; the two entries named
        // "Jansen" are different persons by their ids. Persons are numbered per party.
        let e = election_from_json(
            r#"{ "body": "TK", "seats": 150,
                 "lists": [ { "number": 4, "lists": [
                   { "candidates": [ { "position": 1, "name": "K", "votes": 7 },
                                     { "position": 2, "name": "Jansen", "id": "J1", "votes": 1 } ] },
                   { "candidates": [ { "position": 1, "name": "Jansen", "id": "J2", "votes": 1 },
                                     { "position": 2, "name": "K", "votes": 5 } ] } ] },
                   { "number": 5, "candidates": [ { "position": 1, "name": "K", "votes": 3 } ] } ] }"#,
        )
        .unwrap();
        let persons = |p: &Party| -> Vec<Vec<u32>> {
            p.lists
                .iter()
                .map(|l| l.candidates.iter().map(|c| c.person).collect())
                .collect()
        };
        assert_eq!(persons(&e.parties[0]), [[0, 1], [2, 0]]);
        assert_eq!(persons(&e.parties[1]), [[0]]);
    }

    #[test]
    fn errors_name_the_field() {
        let err = election_from_json(r#"{ "body": "XX", "seats": 15, "lists": [] }"#).unwrap_err();
        assert_eq!(err.field, "body");
        let err = election_from_json(
            r#"{ "body": "GR", "seats": 15, "lists": [ { "number": 1, "candidates": [ { "position": 1, "votes": -3 } ] } ] }"#,
        )
        .unwrap_err();
        assert_eq!(err.field, "lists[0].candidates[0].votes");
        assert!(err.message_nl().contains("regel 1"), "{}", err.message_nl());
        let err =
            election_from_json(r#"{ "body": "GR", "seats": 15, "lists": [ { "number": 1 } ] }"#)
                .unwrap_err();
        assert_eq!(err.field, "lists[0]");
    }
}
