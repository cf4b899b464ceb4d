//! # kieswet — the Dutch Kieswet's seat apportionment, exact and explained
//!
//! A pure engine: no I/O, no clock, no randomness, no floats in the rules. One call,
//! [`apportion`], takes an [`Election`] and returns either a complete [`Outcome`] (seats per
//! party and list, elected candidates in P 19 order, and every [`Step`] with its article) or a
//! [`LotRequired`] when the law needs a lot that has not been recorded yet.
//! [`apportion_with_ranking`] adds the P 19 ranking of every candidate.
//!
//! Data flow: [`Election`] → [`Rules::for_election`] → `seats` (P 5–P 13) → `candidates`
//! (P 15–P 19a) → [`Outcome`]. [`margins`] reruns the seat part to find exact vote margins.

mod assumption;
pub mod candidates;
mod fasthash;
pub mod fraction;
mod input_error;
#[cfg(feature = "json")]
pub mod json;
pub mod lots;
pub mod margins;
pub mod model;
pub mod rules;
pub mod seats;
pub mod steps;
mod validate;
pub mod warnings;

pub use assumption::Assumption;
pub use candidates::{CandidateName, ElectedBy, ElectedCandidate, RankedCandidate};
pub use fraction::Fraction;
pub use input_error::{InputError, Problem};
pub use lots::{LotReason, LotRequired};
pub use margins::{Margin, Margins, margins, seat_probe};
pub use model::{
    Body, Candidate, Election, List, LotChoice, Party, PersonNumbers, RulesetName, SplitRounding,
};
pub use rules::Rules;
pub use seats::{SeatsOnly, apportion_seats};
pub use steps::Step;
pub use warnings::{Warning, warnings};

use lots::{LotBox, LotStop};

/// The language of a text the engine writes. Dutch is the law's own language and the
/// default; English is a translation for readers who do not read Dutch. The engine's data
/// (steps, lots, errors, assumptions) is the same in both: only the sentences differ.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Hash)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

impl Lang {
    /// `nl` or `en`, for a `lang` attribute.
    pub fn code(self) -> &'static str {
        match self {
            Lang::Nl => "nl",
            Lang::En => "en",
        }
    }
}

/// "1 zetel" / "2 zetels", "1 seat" / "2 seats": the noun follows the number.
pub(crate) fn count(n: impl Into<u64>, one: &str, many: &str) -> String {
    match n.into() {
        1 => format!("1 {one}"),
        n => format!("{n} {many}"),
    }
}

/// The largest vote count the engine accepts for one candidate, one list or in total.
/// Ten times the Dutch electorate's size in votes would still be far below this; the bound
/// keeps every exact product inside `u128`.
pub const MAX_VOTES: u64 = 1_000_000_000_000;

/// The largest number of seats the engine accepts.
pub const MAX_SEATS: u32 = 10_000;

/// The result of [`apportion`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[allow(clippy::large_enum_variant)]
pub enum Apportionment {
    /// Every seat is assigned (or left empty where the law says so).
    Complete(Outcome),
    /// The law requires a lot; record its outcome in [`Election::lots`] and run again.
    LotRequired(LotRequired),
}

/// Seats for one party.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct PartySeats {
    pub number: u32,
    pub name: String,
    /// Stemcijfer (P 5).
    pub votes: u64,
    /// Full seats (P 6).
    pub full_seats: u32,
    /// All seats after restzetels, P 9 and P 10.
    pub seats: u32,
    /// Seats per list of the party (P 12, P 13, after P 16 lid 2), in the order of
    /// [`Party::lists`]. One entry for a party that is not a lijstengroep.
    pub list_seats: Vec<u32>,
}

/// A complete result.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Outcome {
    pub rules: Rules,
    /// Sum of the stemcijfers of all parties (P 5).
    pub total_votes: u64,
    /// P 5: total votes / seats, unreduced.
    pub kiesdeler: Fraction,
    /// The preference threshold in votes (P 15, U 15, Y 23a).
    pub preference_threshold: Fraction,
    pub parties: Vec<PartySeats>,
    /// Seats that stay empty (Pa 25, or when every list is exhausted).
    pub empty_seats: u32,
    /// Elected candidates, per party in P 19 order, parties in ballot order.
    pub elected: Vec<ElectedCandidate>,
    /// The P 19 ranking per party (for later vacancies), in ballot order of parties; empty
    /// for a party that P 19 lid 5 leaves unranked. Only from [`apportion_with_ranking`]:
    /// it has an entry for every candidate (thousands for a Tweede Kamer election), which
    /// most callers do not need.
    pub rankings: Option<Vec<(u32, Vec<RankedCandidate>)>>,
    /// The party (by number) that would get seat S + 1 by continued application of the
    /// restzetel method, if any.
    pub next_seat: Option<u32>,
    pub steps: Vec<Step>,
    /// Assumptions that are not fixed by law text (always set for the proposals).
    pub assumptions: Vec<Assumption>,
    /// What a person should look at before the result is made official, e.g. P 9 and P 10
    /// both applied ([`warnings()`] reads them from the steps).
    pub warnings: Vec<Warning>,
    /// How many recorded lots were used.
    pub lots_used: usize,
}

impl Outcome {
    /// Seats of the party with list number `number` (0 if there is no such party).
    pub fn seats_of(&self, number: u32) -> u32 {
        self.parties
            .iter()
            .find(|p| p.number == number)
            .map_or(0, |p| p.seats)
    }
}

/// Computes the outcome of an election: seats per party and list, elected candidates, steps.
/// The P 19 ranking of all candidates is left out ([`Outcome::rankings`] is `None`).
pub fn apportion(election: &Election) -> Result<Apportionment, InputError> {
    apportion_run(election, false)
}

/// [`apportion`], and the P 19 ranking of every candidate for later vacancies
/// ([`Outcome::rankings`]).
pub fn apportion_with_ranking(election: &Election) -> Result<Apportionment, InputError> {
    apportion_run(election, true)
}

fn apportion_run(election: &Election, with_ranking: bool) -> Result<Apportionment, InputError> {
    let validated = validate::validate(election)?;
    let rules = Rules::for_election(election);
    let mut lots = LotBox::new(&election.lots);
    // Room for the usual number of steps (a few per party, about two per seat), so that the
    // list is not copied as it grows.
    let mut steps = Vec::with_capacity(16 + election.parties.len() + 2 * election.seats as usize);
    match run(
        election,
        &validated,
        &rules,
        with_ranking,
        &mut lots,
        &mut steps,
    ) {
        Ok(mut outcome) => {
            if let Some(extra) = lots.unused().first() {
                return Err(InputError::new(
                    format!("lots[{}]", lots.used()),
                    Problem::LotNotNeeded {
                        recorded: extra.clone(),
                    },
                ));
            }
            outcome.lots_used = lots.used();
            Ok(Apportionment::Complete(outcome))
        }
        Err(LotStop::Required(reason, options)) => Ok(Apportionment::LotRequired(LotRequired {
            index: lots.used(),
            reason,
            options,
            steps,
        })),
        Err(LotStop::Invalid {
            index,
            recorded,
            options,
        }) => Err(crate::lots::invalid_lot(index, &recorded, &options)),
    }
}

fn run(
    election: &Election,
    validated: &validate::Validated,
    rules: &Rules,
    with_ranking: bool,
    lots: &mut LotBox<'_>,
    steps: &mut Vec<Step>,
) -> Result<Outcome, LotStop> {
    let seats = seats::assign_seats(election, Some(validated), rules, lots, steps)?;
    let candidates = candidates::assign_candidates(
        election,
        validated,
        rules,
        &seats,
        with_ranking,
        lots,
        steps,
    )?;
    let mut assumptions = Vec::new();
    if let Some(a) = candidates.assumption {
        assumptions.push(a);
    }
    let parties = election
        .parties
        .iter()
        .zip(candidates.list_seats)
        .enumerate()
        .map(|(i, (p, list_seats))| PartySeats {
            number: p.number,
            name: p.name.clone(),
            votes: validated.party_votes[i],
            full_seats: seats.full_seats[i],
            seats: seats.party_seats[i],
            list_seats,
        })
        .collect();
    Ok(Outcome {
        rules: rules.clone(),
        total_votes: seats.total_votes,
        kiesdeler: seats.kiesdeler,
        preference_threshold: rules.preference_threshold(seats.kiesdeler),
        parties,
        empty_seats: seats.empty_seats,
        elected: candidates.elected,
        rankings: candidates.rankings,
        next_seat: seats.next_seat,
        warnings: warnings::warnings(steps),
        steps: std::mem::take(steps),
        assumptions,
        lots_used: 0,
    })
}
