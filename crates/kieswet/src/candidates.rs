//! Seats to candidates: P 15–P 19a (U 15), and the proposal "Met één stem meer keus".
//! INTERFACE ONLY — being implemented (see the brief of the candidates work).

use crate::lots::{LotBox, LotStop};
use crate::model::Election;
use crate::rules::Rules;
use crate::seats::SeatAssignment;
use crate::steps::Step;

/// A candidate step (defined by the candidates module).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum CandidateStep {}

impl CandidateStep {
    pub fn article(&self) -> &'static str {
        match *self {}
    }
    pub fn describe_nl(&self) -> String {
        match *self {}
    }
}

/// How a candidate got the seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ElectedBy {
    /// P 15: preference votes above the threshold.
    Preference,
    /// P 17 / P 18: list order.
    ListOrder,
    /// "Met één stem meer keus": a list seat, in list order.
    ListSeat,
    /// "Met één stem meer keus": a candidate seat, by candidate votes.
    CandidateSeat,
}

/// An elected candidate.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ElectedCandidate {
    /// Party (list) number.
    pub list: u32,
    /// Index of the list within the party on which the candidate is elected (P 16, P 18).
    pub list_index: usize,
    /// Position on that list.
    pub position: u32,
    pub name: String,
    /// Votes summed over all lists of the party on which the candidate stands.
    pub votes: u64,
    pub by: ElectedBy,
}

/// A candidate in the P 19 ranking.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RankedCandidate {
    pub rank: u32,
    pub list_index: usize,
    pub position: u32,
    pub name: String,
    pub votes: u64,
    pub elected: bool,
    /// Reached the preference threshold.
    pub above_threshold: bool,
}

/// What the candidate part returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CandidateAssignment {
    /// Elected candidates, per party in P 19 order, parties in ballot order.
    pub elected: Vec<ElectedCandidate>,
    /// P 19 ranking per party number.
    pub rankings: Vec<(u32, Vec<RankedCandidate>)>,
    /// Seats per party per list after P 16 lid 2.
    pub list_seats: Vec<Vec<u32>>,
    /// An assumption not fixed by law text (e.g. the proposal's split rounding).
    pub assumption: Option<String>,
}

pub(crate) fn assign_candidates(
    _election: &Election,
    _rules: &Rules,
    _seats: &SeatAssignment,
    _lots: &mut LotBox<'_>,
    _steps: &mut Vec<Step>,
) -> Result<CandidateAssignment, LotStop> {
    todo!("candidates")
}
