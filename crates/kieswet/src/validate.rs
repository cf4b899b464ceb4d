//! Input checks that run before any rule: the engine never panics on input, and every
//! rejection names the field and says why.

use std::collections::HashSet;
use std::fmt;

use crate::model::Election;
use crate::{MAX_SEATS, MAX_VOTES};

/// Invalid input: which field, and why (in Dutch, for the user).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct InputError {
    /// A path to the field, e.g. `parties[2].lists[0].candidates[4].votes`.
    pub field: String,
    pub message: String,
}

impl InputError {
    pub fn new(field: impl Into<String>, message: impl Into<String>) -> Self {
        Self {
            field: field.into(),
            message: message.into(),
        }
    }
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.field, self.message)
    }
}

impl std::error::Error for InputError {}

/// The most candidates on one list the engine accepts (the Kieswet allows at most 80, H 6).
pub const MAX_CANDIDATES_PER_LIST: usize = 1_000;

pub(crate) fn validate(e: &Election) -> Result<(), InputError> {
    if e.seats == 0 || e.seats > MAX_SEATS {
        return Err(InputError::new(
            "seats",
            format!(
                "het aantal zetels moet tussen 1 en {MAX_SEATS} liggen, niet {}",
                e.seats
            ),
        ));
    }
    if let Some(pct) = e.preference_threshold_percent
        && !(1..=100).contains(&pct)
    {
        return Err(InputError::new(
            "preference_threshold_percent",
            format!("de voorkeurdrempel moet tussen 1 en 100 procent liggen, niet {pct}"),
        ));
    }
    let mut numbers = HashSet::new();
    let mut total: u64 = 0;
    for (pi, party) in e.parties.iter().enumerate() {
        let at = format!("parties[{pi}]");
        if !numbers.insert(party.number) {
            return Err(InputError::new(
                format!("{at}.number"),
                format!("lijstnummer {} komt meer dan eens voor", party.number),
            ));
        }
        if party.lists.is_empty() {
            return Err(InputError::new(
                format!("{at}.lists"),
                "een lijst zonder kandidatenlijst",
            ));
        }
        for (li, list) in party.lists.iter().enumerate() {
            let at = format!("{at}.lists[{li}]");
            if list.candidates.len() > MAX_CANDIDATES_PER_LIST {
                return Err(InputError::new(
                    format!("{at}.candidates"),
                    format!("meer dan {MAX_CANDIDATES_PER_LIST} kandidaten op één lijst"),
                ));
            }
            total = add_votes(total, list.list_votes, &format!("{at}.list_votes"))?;
            let mut positions = HashSet::new();
            let mut persons = HashSet::new();
            for (ci, c) in list.candidates.iter().enumerate() {
                let at = format!("{at}.candidates[{ci}]");
                if c.position == 0 || !positions.insert(c.position) {
                    return Err(InputError::new(
                        format!("{at}.position"),
                        format!(
                            "positie {} is 0 of komt dubbel voor op deze lijst",
                            c.position
                        ),
                    ));
                }
                if !persons.insert(c.person_key()) {
                    return Err(InputError::new(
                        format!("{at}.name"),
                        format!(
                            "kandidaat ‘{}’ staat twee keer op dezelfde lijst",
                            c.person_key()
                        ),
                    ));
                }
                total = add_votes(total, c.votes, &format!("{at}.votes"))?;
            }
        }
    }
    Ok(())
}

fn add_votes(total: u64, votes: u64, field: &str) -> Result<u64, InputError> {
    match total.checked_add(votes) {
        Some(t) if t <= MAX_VOTES => Ok(t),
        _ => Err(InputError::new(
            field,
            format!("te veel stemmen: het totaal mag niet boven {MAX_VOTES} komen"),
        )),
    }
}
