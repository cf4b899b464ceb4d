//! Invalid input, as data: which field, and a [`Problem`] with its values. The sentence is
//! written only when asked for, in Dutch or English, so no caller parses a message.

use std::fmt;

use crate::lots::LotReason;
use crate::model::LotChoice;
use crate::validate::MAX_CANDIDATES_PER_LIST;
use crate::{Lang, MAX_SEATS, MAX_VOTES};

/// Invalid input: which field, and what is wrong with it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// A path to the field, e.g. `parties[2].lists[0].candidates[4].votes`.
    pub field: String,
    pub problem: Problem,
}

/// What is wrong with a field, with the values that show it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Problem {
    /// The number of seats is 0 or above [`MAX_SEATS`].
    SeatsOutOfRange { seats: u32 },
    /// The preference threshold is not 1–100 percent.
    PreferenceThresholdOutOfRange { percent: u32 },
    /// Two parties have the same list number.
    DuplicateListNumber { number: u32 },
    /// A party without any list of candidates.
    NoCandidateList,
    /// More than [`MAX_CANDIDATES_PER_LIST`] candidates on one list.
    TooManyCandidates,
    /// A position that is 0 or appears twice on one list.
    BadPosition { position: u32 },
    /// A person number at or above the party's number of candidate entries.
    PersonNumberTooHigh { person: u32, entries: usize },
    /// The same person twice on one list (first at `candidates[first]`).
    SamePersonTwice {
        name: String,
        first: usize,
        first_name: String,
    },
    /// A list the quick checks refused without naming why (not expected to happen).
    InvalidList,
    /// The votes add up to more than [`MAX_VOTES`].
    TooManyVotes,
    /// The JSON text could not be read; `detail` is the reader's own (English) message.
    Json {
        detail: String,
        line: usize,
        column: usize,
    },
    /// A JSON list gives both or neither of `candidates` and `lists`.
    CandidatesOrLists,
    /// A recorded lot is not one of the tied options.
    LotNotAnOption {
        recorded: LotChoice,
        options: Vec<LotChoice>,
    },
    /// A lot is recorded, but no lot was needed any more.
    LotNotNeeded { recorded: LotChoice },
    /// Margins need a complete result, but a lot is needed first.
    MarginsNeedLot { reason: LotReason },
    /// A recorded lot does not fit the result the margins start from.
    MarginsLotDoesNotFit { recorded: LotChoice },
}

impl InputError {
    pub fn new(field: impl Into<String>, problem: Problem) -> Self {
        Self {
            field: field.into(),
            problem,
        }
    }

    /// What is wrong, in `lang`, without the field path.
    pub fn message(&self, lang: Lang) -> String {
        self.problem.describe(lang)
    }

    /// What is wrong, in Dutch.
    pub fn message_nl(&self) -> String {
        self.message(Lang::Nl)
    }

    /// What is wrong, in English.
    pub fn message_en(&self) -> String {
        self.message(Lang::En)
    }
}

/// `field: message`, in Dutch.
impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message_nl())
    }
}

impl std::error::Error for InputError {}

fn options(options: &[LotChoice], lang: Lang) -> String {
    let list: Vec<String> = options.iter().map(|o| o.describe(lang)).collect();
    list.join(", ")
}

impl Problem {
    /// One sentence (without the field path) in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        match lang {
            Lang::Nl => self.describe_nl(),
            Lang::En => self.describe_en(),
        }
    }

    fn describe_nl(&self) -> String {
        match self {
            Problem::SeatsOutOfRange { seats } => {
                format!("het aantal zetels moet tussen 1 en {MAX_SEATS} liggen, niet {seats}")
            }
            Problem::PreferenceThresholdOutOfRange { percent } => {
                format!("de voorkeurdrempel moet tussen 1 en 100 procent liggen, niet {percent}")
            }
            Problem::DuplicateListNumber { number } => {
                format!("lijstnummer {number} komt meer dan eens voor")
            }
            Problem::NoCandidateList => "een lijst zonder kandidatenlijst".to_string(),
            Problem::TooManyCandidates => {
                format!("meer dan {MAX_CANDIDATES_PER_LIST} kandidaten op één lijst")
            }
            Problem::BadPosition { position } => {
                format!("positie {position} is 0 of komt dubbel voor op deze lijst")
            }
            Problem::PersonNumberTooHigh { person, entries } => format!(
                "persoonsnummer {person} is te hoog: de nummers van de personen van een partij \
                 liggen onder het aantal kandidaten op al haar lijsten ({entries})"
            ),
            Problem::SamePersonTwice {
                name,
                first,
                first_name,
            } => format!(
                "kandidaat ‘{name}’ is dezelfde persoon als candidates[{first}] (‘{first_name}’): \
                 niemand mag twee keer op één lijst staan"
            ),
            Problem::InvalidList => "deze lijst is ongeldig".to_string(),
            Problem::TooManyVotes => {
                format!("te veel stemmen: het totaal mag niet boven {MAX_VOTES} komen")
            }
            Problem::Json {
                detail,
                line,
                column,
            } => format!("{detail} (regel {line}, kolom {column})"),
            Problem::CandidatesOrLists => "geef óf `candidates` (één lijst) óf `lists` (een \
                                           lijstengroep of stel), en `list_votes` dan per lijst"
                .to_string(),
            Problem::LotNotAnOption {
                recorded,
                options: o,
            } => format!(
                "vastgelegde loting ‘{recorded}’ hoort niet bij de mogelijke uitkomsten ({})",
                options(o, Lang::Nl)
            ),
            Problem::LotNotNeeded { recorded } => {
                format!("loting ‘{recorded}’ is vastgelegd, maar er was geen loting meer nodig")
            }
            Problem::MarginsNeedLot { reason } => format!(
                "marges vragen een volledige uitslag, maar er is eerst een loting nodig: {}",
                reason.describe_nl()
            ),
            Problem::MarginsLotDoesNotFit { recorded } => {
                format!("vastgelegde loting ‘{recorded}’ past niet bij deze uitslag")
            }
        }
    }

    fn describe_en(&self) -> String {
        match self {
            Problem::SeatsOutOfRange { seats } => {
                format!("the number of seats must be between 1 and {MAX_SEATS}, not {seats}")
            }
            Problem::PreferenceThresholdOutOfRange { percent } => {
                format!("the preference threshold must be between 1 and 100 percent, not {percent}")
            }
            Problem::DuplicateListNumber { number } => {
                format!("list number {number} occurs more than once")
            }
            Problem::NoCandidateList => "a party without a list of candidates".to_string(),
            Problem::TooManyCandidates => {
                format!("more than {MAX_CANDIDATES_PER_LIST} candidates on one list")
            }
            Problem::BadPosition { position } => {
                format!("position {position} is 0 or occurs twice on this list")
            }
            Problem::PersonNumberTooHigh { person, entries } => format!(
                "person number {person} is too high: the numbers of a party's persons are below \
                 the number of candidates on all its lists ({entries})"
            ),
            Problem::SamePersonTwice {
                name,
                first,
                first_name,
            } => format!(
                "candidate ‘{name}’ is the same person as candidates[{first}] (‘{first_name}’): \
                 nobody may stand twice on one list"
            ),
            Problem::InvalidList => "this list is not valid".to_string(),
            Problem::TooManyVotes => {
                format!("too many votes: the total may not exceed {MAX_VOTES}")
            }
            Problem::Json { detail, .. } => detail.clone(),
            Problem::CandidatesOrLists => "give either `candidates` (one list) or `lists` (a \
                                           group of lists or a combination), and then \
                                           `list_votes` per list"
                .to_string(),
            Problem::LotNotAnOption {
                recorded,
                options: o,
            } => format!(
                "the recorded lot ‘{}’ is not one of the possible outcomes ({})",
                recorded.describe(Lang::En),
                options(o, Lang::En)
            ),
            Problem::LotNotNeeded { recorded } => format!(
                "the lot ‘{}’ is recorded, but no lot was needed any more",
                recorded.describe(Lang::En)
            ),
            Problem::MarginsNeedLot { reason } => format!(
                "margins need a complete result, but a lot is needed first: {}",
                reason.describe_en()
            ),
            Problem::MarginsLotDoesNotFit { recorded } => format!(
                "the recorded lot ‘{}’ does not fit this result",
                recorded.describe(Lang::En)
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_problem_reads_in_both_languages() {
        let lot = LotChoice::Party(3);
        let problems = [
            Problem::SeatsOutOfRange { seats: 0 },
            Problem::PreferenceThresholdOutOfRange { percent: 0 },
            Problem::DuplicateListNumber { number: 2 },
            Problem::NoCandidateList,
            Problem::TooManyCandidates,
            Problem::BadPosition { position: 0 },
            Problem::PersonNumberTooHigh {
                person: 9,
                entries: 4,
            },
            Problem::SamePersonTwice {
                name: "A".into(),
                first: 0,
                first_name: "B".into(),
            },
            Problem::InvalidList,
            Problem::TooManyVotes,
            Problem::CandidatesOrLists,
            Problem::LotNotAnOption {
                recorded: lot.clone(),
                options: vec![LotChoice::Party(1), LotChoice::Party(2)],
            },
            Problem::LotNotNeeded {
                recorded: lot.clone(),
            },
            Problem::MarginsNeedLot {
                reason: LotReason::PreferenceSeat {
                    party: 1,
                    seats_left: 1,
                },
            },
            Problem::MarginsLotDoesNotFit { recorded: lot },
        ];
        for p in problems {
            let (nl, en) = (p.describe(Lang::Nl), p.describe(Lang::En));
            assert!(!nl.is_empty() && !en.is_empty() && nl != en, "{p:?}");
            for dutch in ["zetel", "lijst ", "loting", "stemmen", "kandidaat "] {
                assert!(!en.contains(dutch), "{en}");
            }
        }
    }
}
