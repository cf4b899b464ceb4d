//! The input of the engine: one election to one body, with its lists, candidates and votes.
//!
//! Shape, following chapter P:
//! - a [`Party`] is what P 5–P 10 count as *one list*: a list on its own, a stel gelijkluidende
//!   lijsten (P 2) or a lijstengroep (P 3). In a gemeenteraad election every party has exactly
//!   one [`List`].
//! - a [`List`] is one list as handed in for one or more kieskringen (a stel is one `List` with
//!   several kieskring numbers). P 12 divides a party's seats over its lists.
//! - a [`Candidate`] stands on a list at a position. The same person may stand on several lists
//!   of a group (TK, PS, EK); [`Candidate::person`] ties those entries together (P 15 "op de
//!   gezamenlijke lijsten"). Readers number the persons from whatever identifies them in their
//!   input (an id, the name) with [`PersonNumbers`], so that the rules compare numbers, never
//!   strings.

use std::collections::HashMap;
use std::sync::Arc;

/// The representative body being elected. Each has its own ruleset (see [`crate::Rules`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum Body {
    /// Tweede Kamer (chapter P, P 7 lid 2).
    TK,
    /// Eerste Kamer (chapter U).
    EK,
    /// Provinciale Staten.
    PS,
    /// Gemeenteraad.
    GR,
    /// Algemeen bestuur van een waterschap.
    AB,
    /// Europees Parlement (chapter Y).
    EP,
    /// Eilandsraad (chapter Ya).
    ER,
    /// Kiescollege voor de Eerste Kamer in Caribisch Nederland.
    KC,
    /// Kiescollege niet-ingezetenen (chapter Pa).
    KCNI,
}

impl Body {
    pub const ALL: [Body; 9] = [
        Body::TK,
        Body::EK,
        Body::PS,
        Body::GR,
        Body::AB,
        Body::EP,
        Body::ER,
        Body::KC,
        Body::KCNI,
    ];

    /// The code used in files and on the command line (`TK`, `GR`, …).
    pub fn code(self) -> &'static str {
        match self {
            Body::TK => "TK",
            Body::EK => "EK",
            Body::PS => "PS",
            Body::GR => "GR",
            Body::AB => "AB",
            Body::EP => "EP",
            Body::ER => "ER",
            Body::KC => "KC",
            Body::KCNI => "KCNI",
        }
    }

    /// Parses a body code; also accepts EML subcategories such as `GR1`, `PS2`, `AB1`, `ER1`.
    pub fn from_code(code: &str) -> Option<Body> {
        let upper = code.trim().to_ascii_uppercase();
        let base = upper.trim_end_matches(['1', '2']);
        Body::ALL
            .into_iter()
            .find(|b| b.code() == upper || b.code() == base)
    }

    /// Dutch name of the body, for reports.
    pub fn name_nl(self) -> &'static str {
        match self {
            Body::TK => "Tweede Kamer",
            Body::EK => "Eerste Kamer",
            Body::PS => "Provinciale Staten",
            Body::GR => "gemeenteraad",
            Body::AB => "algemeen bestuur van het waterschap",
            Body::EP => "Europees Parlement",
            Body::ER => "eilandsraad",
            Body::KC => "kiescollege Caribisch Nederland",
            Body::KCNI => "kiescollege niet-ingezetenen",
        }
    }
}

/// Which law to apply. Only [`RulesetName::Current`] is the law in force.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
pub enum RulesetName {
    /// The Kieswet as in force.
    #[default]
    #[cfg_attr(feature = "serde", serde(rename = "current"))]
    Current,
    /// Proposal "Met één stem meer keus" (consultations 2020 and 2024): lijststem or
    /// kandidaatsstem; within a party, list seats and candidate seats. **Not law.**
    #[cfg_attr(feature = "serde", serde(rename = "met-een-stem-meer-keus"))]
    MetEenStemMeerKeus,
    /// Bill 36 641: for PS, GR, AB and ER a restzetel only for a list whose stemcijfer reaches
    /// the kiesdeler. **Not law.**
    #[cfg_attr(feature = "serde", serde(rename = "wet-36641"))]
    Wet36641,
}

impl RulesetName {
    pub fn code(self) -> &'static str {
        match self {
            RulesetName::Current => "current",
            RulesetName::MetEenStemMeerKeus => "met-een-stem-meer-keus",
            RulesetName::Wet36641 => "wet-36641",
        }
    }

    pub fn from_code(code: &str) -> Option<RulesetName> {
        [
            RulesetName::Current,
            RulesetName::MetEenStemMeerKeus,
            RulesetName::Wet36641,
        ]
        .into_iter()
        .find(|r| r.code() == code)
    }

    /// Whether this ruleset is the law in force (false for the proposals).
    pub fn is_current_law(self) -> bool {
        self == RulesetName::Current
    }
}

/// How "Met één stem meer keus" rounds a party's split into list seats and candidate seats.
/// No published text fixes this; the output always states which was used.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "kebab-case"))]
pub enum SplitRounding {
    /// Largest remainders over the two shares; a tie goes to the list seats.
    #[default]
    LargestRemainders,
    /// Largest averages (D'Hondt) over the two shares; a tie goes to the list seats.
    LargestAverages,
    /// List seats rounded down; the rest are candidate seats.
    ListSeatsDown,
}

/// One election to one body: everything the engine needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Election {
    pub body: Body,
    /// Number of seats to fill (S).
    pub seats: u32,
    pub ruleset: RulesetName,
    /// Only for [`RulesetName::MetEenStemMeerKeus`].
    pub split_rounding: SplitRounding,
    /// The preference threshold in percent of the kiesdeler when it differs from the law's
    /// default for this body, e.g. `PreferenceThreshold` in an EML 110a.
    pub preference_threshold_percent: Option<u32>,
    /// The parties (lists or lijstengroepen as counted by P 3), in ballot order.
    pub parties: Vec<Party>,
    /// Outcomes of lots drawn in the public session (P 14, P 20), in the order the engine asked
    /// for them. The engine never draws a lot itself.
    pub lots: Vec<LotChoice>,
}

/// What P 5–P 10 count as one list: a list, a stel (P 2) or a lijstengroep (P 3).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Party {
    /// The list number on the ballot (the same in every kieskring for a group).
    pub number: u32,
    /// The aanduiding (registered name), or a description when there is none.
    pub name: String,
    /// The lists of this party. Exactly one for a list standing alone or a stel; one per list
    /// of the group for a lijstengroep. Ordered by their first kieskring number.
    pub lists: Vec<List>,
}

/// One list (or stel gelijkluidende lijsten) as handed in.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct List {
    /// The kieskringen this list was handed in for (empty when there are no kieskringen).
    /// P 16 and P 18 break ties by the lowest kieskring number. Shared with the steps that
    /// name the list.
    pub kieskringen: Arc<[u32]>,
    /// Lijststemmen: only under "Met één stem meer keus"; 0 under current law.
    pub list_votes: u64,
    /// Candidates in list order.
    pub candidates: Vec<Candidate>,
}

/// A candidate on one list.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Candidate {
    /// Position on this list (1 = lijsttrekker).
    pub position: u32,
    pub name: String,
    /// The person within the party: entries with the same number on different lists of a
    /// lijstengroep are one person (P 15 "op de gezamenlijke lijsten"), and nobody stands twice
    /// on one list. Numbers are below the party's number of candidate entries (all its lists
    /// together); [`PersonNumbers`] gives them out as 0, 1, 2, ….
    pub person: u32,
    /// Votes cast on this candidate on this list.
    pub votes: u64,
    /// Deceased candidates are left out of everything in chapter P § 3 (P 19a).
    pub deceased: bool,
}

/// Numbers the persons of one party ([`Candidate::person`]) from the key that identifies a
/// person across its lists in the input, such as the EML ShortCode or the name: equal keys get
/// equal numbers, 0, 1, 2, … in the order they first appear. One per party.
#[derive(Debug, Default)]
pub struct PersonNumbers {
    numbers: HashMap<String, u32>,
}

impl PersonNumbers {
    /// The number of the person with `key`.
    pub fn number(&mut self, key: &str) -> u32 {
        if let Some(&n) = self.numbers.get(key) {
            return n;
        }
        let n = u32::try_from(self.numbers.len()).unwrap_or(u32::MAX);
        self.numbers.insert(key.to_owned(), n);
        n
    }
}

/// The recorded outcome of one lot.
#[derive(Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
#[cfg_attr(feature = "serde", derive(serde::Serialize, serde::Deserialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum LotChoice {
    /// The party (by list number) that the lot fell on.
    Party(u32),
    /// The candidate that the lot fell on: party number and the candidate's position on the
    /// first list of that party on which the candidate stands.
    Candidate { list: u32, position: u32 },
    /// The list of a lijstengroep that the lot fell on (P 12, P 13): the party number and the
    /// list's first kieskring number (its 1-based place in [`Party::lists`] when it has none).
    GroupList { party: u32, kieskring: u32 },
}

impl LotChoice {
    /// The choice in words: "lijst 3", "lijst 3 kandidaat 5", "lijst 3 in kieskring 2" (or
    /// "list 3", "list 3 candidate 5", "list 3 in electoral district 2").
    pub fn describe(&self, lang: crate::Lang) -> String {
        let (list, candidate, district) = match lang {
            crate::Lang::Nl => ("lijst", "kandidaat", "kieskring"),
            crate::Lang::En => ("list", "candidate", "electoral district"),
        };
        match self {
            LotChoice::Party(n) => format!("{list} {n}"),
            LotChoice::Candidate { list: l, position } => {
                format!("{list} {l} {candidate} {position}")
            }
            LotChoice::GroupList { party, kieskring } => {
                format!("{list} {party} in {district} {kieskring}")
            }
        }
    }
}

/// In Dutch ([`LotChoice::describe`]).
impl std::fmt::Display for LotChoice {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(crate::Lang::Nl))
    }
}

impl Party {
    /// Stemcijfer (P 2, P 3, P 5): the votes on all candidates of all lists of the party,
    /// plus lijststemmen.
    pub fn votes(&self) -> u64 {
        self.lists.iter().map(List::votes).sum()
    }

    /// The number of distinct living persons on the lists of the party (P 10 with P 19a): a
    /// person stands once on each list of a lijstengroep, and is deceased when any of those
    /// entries says so (as in the candidate part).
    pub fn living_persons(&self) -> u32 {
        let mut keys: Vec<(u32, bool)> = self
            .lists
            .iter()
            .flat_map(|l| &l.candidates)
            .map(|c| (c.person, c.deceased))
            .collect();
        keys.sort_unstable();
        keys.dedup_by(|later, kept| {
            let same = later.0 == kept.0;
            kept.1 |= same && later.1;
            same
        });
        let living = keys.iter().filter(|(_, deceased)| !deceased).count();
        u32::try_from(living).unwrap_or(u32::MAX)
    }
}

impl List {
    /// The stemcijfer of this list: candidate votes plus lijststemmen.
    pub fn votes(&self) -> u64 {
        self.list_votes + self.candidates.iter().map(|c| c.votes).sum::<u64>()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn candidate(position: u32, name: &str, deceased: bool) -> Candidate {
        Candidate {
            position,
            name: name.into(),
            person: u32::from(name.as_bytes()[0] - b'A'),
            votes: 1,
            deceased,
        }
    }

    #[test]
    fn living_persons_counts_each_person_once_over_the_lists_of_a_group() {
        // A and B stand on both lists, C only on the second; B is marked deceased on one of
        // them, which is enough (P 19a): the group can fill at most 2 seats (P 10).
        let list = |cands: Vec<Candidate>| List {
            kieskringen: [].into(),
            list_votes: 0,
            candidates: cands,
        };
        let party = Party {
            number: 1,
            name: "P".into(),
            lists: vec![
                list(vec![candidate(1, "A", false), candidate(2, "B", true)]),
                list(vec![
                    candidate(1, "A", false),
                    candidate(2, "B", false),
                    candidate(3, "C", false),
                ]),
            ],
        };
        assert_eq!(party.living_persons(), 2);
        let mut alive = party.clone();
        alive.lists[0].candidates[1].deceased = false;
        assert_eq!(alive.living_persons(), 3);
    }

    #[test]
    fn person_numbers_follow_first_appearance() {
        let mut numbers = PersonNumbers::default();
        let got: Vec<u32> = ["B", "A", "B", "C", "A"]
            .iter()
            .map(|k| numbers.number(k))
            .collect();
        assert_eq!(got, [0, 1, 0, 2, 1]);
    }
}
