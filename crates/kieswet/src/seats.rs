//! Seats to parties and to the lists of a lijstengroep: P 5–P 13 (U 7–U 10 for the EK).
//! INTERFACE ONLY — being implemented (see the brief of the seats work).

use crate::Fraction;
use crate::lots::{LotBox, LotStop};
use crate::model::Election;
use crate::rules::Rules;
use crate::steps::Step;

/// A seat step (defined by the seats module).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub enum SeatStep {}

impl SeatStep {
    pub fn article(&self) -> &'static str {
        match *self {}
    }
    pub fn describe_nl(&self) -> String {
        match *self {}
    }
}

/// What the seat part hands to the candidate part.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SeatAssignment {
    pub total_votes: u64,
    pub kiesdeler: Fraction,
    /// Per party (index into `Election::parties`): full seats (P 6).
    pub full_seats: Vec<u32>,
    /// Per party: all seats after P 7/P 8, P 9, P 10.
    pub party_seats: Vec<u32>,
    /// Per party, per list (index into `Party::lists`): seats after P 12/P 13.
    pub list_seats: Vec<Vec<u32>>,
    /// Per party: list indices in the order P 12/P 13 gave them seats (full seats first in
    /// list order, then each restzetel of the group as given). P 16 lid 2 takes back the
    /// last one. Empty for parties with one list.
    pub group_seat_order: Vec<Vec<usize>>,
    pub empty_seats: u32,
    /// Party number that would get seat S + 1.
    pub next_seat: Option<u32>,
}

pub(crate) fn assign_seats(
    _election: &Election,
    _rules: &Rules,
    _lots: &mut LotBox<'_>,
    _steps: &mut Vec<Step>,
) -> Result<SeatAssignment, LotStop> {
    todo!("seats")
}
