//! Input checks that run before any rule: the engine never panics on input, and every
//! rejection names the field and says why.

use std::fmt;

use crate::fasthash::{FastSet, KeySet, same_key};
use crate::model::{Election, List};
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

/// What validation found out on the way, for the rules that follow.
#[derive(Clone, Debug, Default)]
pub(crate) struct Validated {
    /// Per list, the lists of all parties in a row: whether the list holds exactly the person
    /// keys of the list before it in the same party, in the same order (usual for the lists of
    /// a lijstengroep).
    pub(crate) repeats_previous: Vec<bool>,
    /// Per party: whether any of its candidates is marked deceased.
    pub(crate) has_deceased: Vec<bool>,
    /// Per party: its stemcijfer ([`crate::Party::votes`]).
    pub(crate) party_votes: Vec<u64>,
}

pub(crate) fn validate(e: &Election) -> Result<Validated, InputError> {
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
    let mut numbers: FastSet<u32> = FastSet::default();
    let mut sets = Sets::default();
    let mut repeats_previous = Vec::with_capacity(e.parties.len());
    let mut has_deceased = Vec::with_capacity(e.parties.len());
    let mut party_votes = Vec::with_capacity(e.parties.len());
    let mut total: u64 = 0;
    for (pi, party) in e.parties.iter().enumerate() {
        let at = || format!("parties[{pi}]");
        if !numbers.insert(party.number) {
            return Err(InputError::new(
                format!("{}.number", at()),
                format!("lijstnummer {} komt meer dan eens voor", party.number),
            ));
        }
        if party.lists.is_empty() {
            return Err(InputError::new(
                format!("{}.lists", at()),
                "een lijst zonder kandidatenlijst",
            ));
        }
        let mut deceased = false;
        let before = total;
        for (li, list) in party.lists.iter().enumerate() {
            let at = || format!("parties[{pi}].lists[{li}]");
            if list.candidates.len() > MAX_CANDIDATES_PER_LIST {
                return Err(InputError::new(
                    format!("{}.candidates", at()),
                    format!("meer dan {MAX_CANDIDATES_PER_LIST} kandidaten op één lijst"),
                ));
            }
            total = add_votes(total, list.list_votes, || format!("{}.list_votes", at()))?;
            // A list whose person keys are those of the list before it (which passed the check
            // below) has no key twice.
            let repeats = li > 0 && same_person_keys(&party.lists[li - 1], list);
            repeats_previous.push(repeats);
            total = match sets.quick_check(list, repeats, total, &mut deceased) {
                Some(total) => total,
                None => sets.exact_check(list, repeats, total, pi, li)?,
            };
        }
        has_deceased.push(deceased);
        party_votes.push(total - before);
    }
    Ok(Validated {
        repeats_previous,
        has_deceased,
        party_votes,
    })
}

/// Whether `b` has exactly the person keys of `a`, in the same order.
fn same_person_keys(a: &List, b: &List) -> bool {
    a.candidates.len() == b.candidates.len()
        && a.candidates
            .iter()
            .zip(&b.candidates)
            .all(|(x, y)| same_key(x.person_key(), y.person_key()))
}

/// The sets for the checks of one list, reused from list to list.
#[derive(Default)]
struct Sets<'e> {
    positions: FastSet<u32>,
    persons: KeySet<'e>,
}

impl<'e> Sets<'e> {
    /// The checks of the candidates of one list, without the field paths of an error: the new
    /// vote total, or `None` when anything is wrong. Votes are summed without a check per
    /// candidate; a sum that ends too high (or an error after the total was already too
    /// high) is left to [`Sets::exact_check`], which finds the first error in list order.
    /// Sets `deceased` when a candidate is marked deceased.
    fn quick_check(
        &mut self,
        list: &'e List,
        repeats: bool,
        total: u64,
        deceased: &mut bool,
    ) -> Option<u64> {
        self.positions.clear();
        self.persons.reset(list.candidates.len());
        // Positions are usually 1, 2, 3, …: those are unique without a set. From the first
        // position out of that order on, the set holds every position seen.
        let mut in_order = true;
        let mut sum = u128::from(total);
        for (ci, c) in list.candidates.iter().enumerate() {
            let next = u32::try_from(ci + 1).ok();
            if in_order && Some(c.position) != next {
                in_order = false;
                self.positions.extend(1..next.unwrap_or(u32::MAX));
            }
            if !in_order && (c.position == 0 || !self.positions.insert(c.position)) {
                return None;
            }
            if !repeats && !self.persons.insert(c.person_key()) {
                return None;
            }
            sum += u128::from(c.votes);
            *deceased |= c.deceased;
        }
        u64::try_from(sum).ok().filter(|&t| t <= MAX_VOTES)
    }

    /// The checks of [`Sets::quick_check`], candidate by candidate in list order: the first
    /// error with its field path.
    fn exact_check(
        &mut self,
        list: &'e List,
        repeats: bool,
        mut total: u64,
        pi: usize,
        li: usize,
    ) -> Result<u64, InputError> {
        self.positions.clear();
        self.persons.reset(list.candidates.len());
        let mut in_order = true;
        for (ci, c) in list.candidates.iter().enumerate() {
            let at = || format!("parties[{pi}].lists[{li}].candidates[{ci}]");
            let next = u32::try_from(ci + 1).ok();
            if in_order && Some(c.position) != next {
                in_order = false;
                self.positions.extend(1..next.unwrap_or(u32::MAX));
            }
            if !in_order && (c.position == 0 || !self.positions.insert(c.position)) {
                return Err(InputError::new(
                    format!("{}.position", at()),
                    format!(
                        "positie {} is 0 of komt dubbel voor op deze lijst",
                        c.position
                    ),
                ));
            }
            if !repeats && !self.persons.insert(c.person_key()) {
                return Err(InputError::new(
                    format!("{}.name", at()),
                    format!(
                        "kandidaat ‘{}’ staat twee keer op dezelfde lijst",
                        c.person_key()
                    ),
                ));
            }
            total = add_votes(total, c.votes, || format!("{}.votes", at()))?;
        }
        Ok(total)
    }
}

fn add_votes(total: u64, votes: u64, field: impl FnOnce() -> String) -> Result<u64, InputError> {
    match total.checked_add(votes) {
        Some(t) if t <= MAX_VOTES => Ok(t),
        _ => Err(InputError::new(
            field(),
            format!("te veel stemmen: het totaal mag niet boven {MAX_VOTES} komen"),
        )),
    }
}
