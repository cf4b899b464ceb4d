//! Seat margins: for each party the exact number of extra votes (others unchanged) that gives
//! it one more seat, and how many votes it can lose and keep its seats.
//! INTERFACE ONLY — being implemented.

use crate::model::Election;
use crate::validate::InputError;

/// The margin of one party.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Margin {
    pub number: u32,
    pub seats: u32,
    /// Smallest number of extra votes that gives one more seat; `None` if no number can.
    pub gain: Option<u64>,
    /// Largest number of votes the party can lose and keep all its seats; `None` without seats.
    pub lose: Option<u64>,
}

/// Margins for all parties.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Margins {
    pub parties: Vec<Margin>,
    /// The party that would get seat S + 1.
    pub next_seat: Option<u32>,
}

pub fn margins(_election: &Election) -> Result<Margins, InputError> {
    todo!("margins")
}
