//! Input checks that run before any rule: the engine never panics on input, and every
//! rejection names the field and says why.

use std::fmt;
use std::hash::BuildHasherDefault;

use crate::fasthash::{FastSet, HashSeen, KeySet, same_key};
use crate::model::{Candidate, Election, List, Party};
use crate::seats::ListCount;
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
    /// The persons of every lijstengroep ([`PersonNumbering`]): per candidate entry, the
    /// groups and their lists in a row as given, the number of its person within the group.
    /// (A party with one list has none: its candidates are its persons.)
    pub(crate) person_ids: Vec<u32>,
    /// Per party: where its entries start in `person_ids` (one more entry at the end).
    pub(crate) entries_start: Vec<usize>,
    /// Per person of every lijstengroep, the groups in a row: the votes on all the lists of
    /// the group together (P 15 "op de gezamenlijke lijsten").
    pub(crate) person_votes: Vec<u64>,
    /// Per party: where its persons start in `person_votes` (one more entry at the end).
    pub(crate) persons_start: Vec<usize>,
    /// Per party: whether any of its candidates is marked deceased.
    pub(crate) has_deceased: Vec<bool>,
    /// Per party: whether every list gives its candidates in position order 1, 2, 3, ….
    pub(crate) in_position_order: Vec<bool>,
    /// Per party: its stemcijfer ([`crate::Party::votes`]).
    pub(crate) party_votes: Vec<u64>,
    /// Per list, all parties' lists in a row: its votes and living candidates (for P 5–P 13).
    pub(crate) list_counts: Vec<ListCount>,
}

/// The persons of one lijstengroep, as validation numbers them.
#[derive(Clone, Copy, Debug)]
pub(crate) struct GroupPersons<'v> {
    /// Per candidate entry, its lists in a row as given: the number of its person.
    pub(crate) ids: &'v [u32],
    /// Per person: the votes on all lists of the group together.
    pub(crate) votes: &'v [u64],
}

impl Validated {
    /// The persons of party `pi` (none for a party with one list).
    pub(crate) fn persons_of(&self, pi: usize) -> Option<GroupPersons<'_>> {
        let range = |starts: &[usize]| Some(*starts.get(pi)?..*starts.get(pi + 1)?);
        Some(GroupPersons {
            ids: self.person_ids.get(range(&self.entries_start)?)?,
            votes: self.person_votes.get(range(&self.persons_start)?)?,
        })
    }
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
    let parties = e.parties.len();
    let lists = e.parties.iter().map(|p| p.lists.len()).sum();
    // Only lijstengroepen have person numbers; their persons are at most their entries.
    let group_entries = e
        .parties
        .iter()
        .filter(|p| p.lists.len() > 1)
        .flat_map(|p| &p.lists)
        .map(|l| l.candidates.len())
        .sum();
    let mut out = Validated {
        person_ids: Vec::with_capacity(group_entries),
        entries_start: Vec::with_capacity(parties + 1),
        person_votes: Vec::with_capacity(group_entries),
        persons_start: Vec::with_capacity(parties + 1),
        has_deceased: Vec::with_capacity(parties),
        in_position_order: Vec::with_capacity(parties),
        party_votes: Vec::with_capacity(parties),
        list_counts: Vec::with_capacity(lists),
    };
    let mut numbers: FastSet<u32> =
        FastSet::with_capacity_and_hasher(parties, BuildHasherDefault::default());
    let mut sets = Sets::default();
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
        out.entries_start.push(out.person_ids.len());
        out.persons_start.push(out.person_votes.len());
        sets.numbering.start_party(party);
        let mut deceased = false;
        let mut in_order = true;
        let before = total;
        for (li, list) in party.lists.iter().enumerate() {
            let at = || format!("parties[{pi}].lists[{li}]");
            if list.candidates.len() > MAX_CANDIDATES_PER_LIST {
                return Err(InputError::new(
                    format!("{}.candidates", at()),
                    format!("meer dan {MAX_CANDIDATES_PER_LIST} kandidaten op één lijst"),
                ));
            }
            let before_list = total;
            total = add_votes(total, list.list_votes, || format!("{}.list_votes", at()))?;
            let persons = (&mut out.person_ids, &mut out.person_votes);
            let checked = sets
                .quick_check(party, li, persons, total)
                .ok_or_else(|| sets.first_error(list, total, pi, li))?;
            total = checked.total;
            deceased |= checked.deceased > 0;
            in_order &= checked.in_order;
            out.list_counts.push(ListCount {
                votes: total - before_list,
                living: u32::try_from(list.candidates.len() - checked.deceased).unwrap_or(u32::MAX),
            });
        }
        out.has_deceased.push(deceased);
        out.in_position_order.push(in_order);
        out.party_votes.push(total - before);
    }
    out.entries_start.push(out.person_ids.len());
    out.persons_start.push(out.person_votes.len());
    Ok(out)
}

/// Numbers the persons of one party, list by list: entries with equal person keys
/// ([`crate::Candidate::person_key`]) get the same number, counting 0, 1, … in order of first
/// appearance (lists in order, candidates as given). Finds a person who stands twice on one
/// list on the way.
#[derive(Default)]
struct PersonNumbering<'e> {
    keys: KeySet<'e>,
    hashes: HashSeen,
    /// Per person: 1 + the index of the last list on which he or she was seen.
    last_list: Vec<u32>,
}

impl<'e> PersonNumbering<'e> {
    /// Empties the numbering for the lists of `party`.
    fn start_party(&mut self, party: &Party) {
        let longest = party.lists.iter().map(|l| l.candidates.len()).max();
        self.keys.reset(longest.unwrap_or(0));
        self.last_list.clear();
    }

    /// How many persons are numbered.
    fn persons(&self) -> u32 {
        u32::try_from(self.last_list.len()).unwrap_or(u32::MAX)
    }

    /// Numbers the persons of list `li` of `party` onto `ids`, which holds the numbers of the
    /// lists before it (those of list `li - 1` from `previous_start` on); `false` when a
    /// person stands on this list twice. A party with one list needs no numbers (its
    /// candidates are its persons): only that check is made.
    fn number_list(
        &mut self,
        party: &'e Party,
        li: usize,
        previous_start: Option<usize>,
        ids: &mut Vec<u32>,
    ) -> bool {
        let candidates = &party.lists[li].candidates;
        if party.lists.len() == 1 {
            // Keys are compared only when two of their hashes are equal.
            return self
                .hashes
                .all_different(candidates.iter().map(Candidate::person_key))
                || candidates.iter().all(|c| self.keys.insert(c.person_key()));
        }
        let (before, before_start) = match (li.checked_sub(1), previous_start) {
            (Some(b), Some(start)) => (&party.lists[b].candidates[..], start),
            _ => (&[][..], 0),
        };
        // The lists of a group mostly repeat the same persons in the same order: as far as
        // they do, the numbers of the list before are taken over without hashing. A list that
        // repeats the one before whole has nobody twice, as that list had not.
        let common = before
            .iter()
            .zip(candidates)
            .take_while(|(a, b)| same_key(a.person_key(), b.person_key()))
            .count();
        ids.extend_from_within(before_start..before_start + common);
        if common == candidates.len() {
            return true;
        }
        let list = u32::try_from(li + 1).unwrap_or(u32::MAX);
        for &id in &ids[ids.len() - common..] {
            self.last_list[id as usize] = list;
        }
        for (k, c) in candidates.iter().enumerate().skip(common) {
            let key = c.person_key();
            // After the first difference, the entry at the same place is still tried first.
            let id = match before.get(k) {
                Some(twin) if same_key(twin.person_key(), key) => ids[before_start + k],
                _ => {
                    let (id, new) = self.keys.intern(key);
                    if new {
                        self.last_list.push(0);
                    }
                    id
                }
            };
            let seen = &mut self.last_list[id as usize];
            if *seen == list {
                return false;
            }
            *seen = list;
            ids.push(id);
        }
        true
    }
}

/// The sets for the checks of one list, reused from list to list.
#[derive(Default)]
struct Sets<'e> {
    positions: FastSet<u32>,
    persons: KeySet<'e>,
    numbering: PersonNumbering<'e>,
    /// Where the person numbers of the list before start in the party's `ids`.
    previous_start: Option<usize>,
    /// Where the persons of the party start in the votes per person.
    votes_start: usize,
}

/// What [`Sets::quick_check`] found for a valid list.
struct CheckedList {
    /// The vote total with this list.
    total: u64,
    /// How many of its candidates are marked deceased.
    deceased: usize,
    /// Whether its positions are 1, 2, 3, … in the order given.
    in_order: bool,
}

impl<'e> Sets<'e> {
    /// The checks of the candidates of list `li` of `party`, without the field paths of an
    /// error, or `None` when anything is wrong. Pushes the person numbers of the list on
    /// `ids` and adds its votes to those of its persons in `votes` (for a lijstengroep, whose
    /// persons start at `votes_start`). Votes are summed without a check per candidate; a sum
    /// that ends too high (or an error after the total was already too high) is left to
    /// [`Sets::first_error`], which finds the first error in list order.
    fn quick_check(
        &mut self,
        party: &'e Party,
        li: usize,
        (ids, votes): (&mut Vec<u32>, &mut Vec<u64>),
        total: u64,
    ) -> Option<CheckedList> {
        let list = &party.lists[li];
        if li == 0 {
            self.previous_start = None;
            self.votes_start = votes.len();
        }
        let start = ids.len();
        if !self
            .numbering
            .number_list(party, li, self.previous_start, ids)
        {
            return None;
        }
        self.previous_start = Some(start);
        // A party with one list has no person numbers: its candidates are its persons.
        let ids = &ids[start..];
        votes.resize(self.votes_start + self.numbering.persons() as usize, 0);
        let votes = &mut votes[self.votes_start..];

        self.positions.clear();
        // Positions are usually 1, 2, 3, …: those are unique without a set. From the first
        // position out of that order on, the set holds every position seen.
        let mut in_order = true;
        let mut sum = u128::from(total);
        let mut deceased = 0;
        for (ci, c) in list.candidates.iter().enumerate() {
            let next = u32::try_from(ci + 1).ok();
            if in_order && Some(c.position) != next {
                in_order = false;
                self.positions.extend(1..next.unwrap_or(u32::MAX));
            }
            if !in_order && (c.position == 0 || !self.positions.insert(c.position)) {
                return None;
            }
            sum += u128::from(c.votes);
            deceased += usize::from(c.deceased);
            if let Some(person) = ids.get(ci).and_then(|&id| votes.get_mut(id as usize)) {
                // Too many votes in all is an error found below; until then, no overflow.
                *person = person.saturating_add(c.votes);
            }
        }
        let total = u64::try_from(sum).ok().filter(|&t| t <= MAX_VOTES)?;
        Some(CheckedList {
            total,
            deceased,
            in_order,
        })
    }

    /// The first error of [`Sets::quick_check`], checking candidate by candidate in list
    /// order, with its field path.
    fn first_error(&mut self, list: &'e List, mut total: u64, pi: usize, li: usize) -> InputError {
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
                return InputError::new(
                    format!("{}.position", at()),
                    format!(
                        "positie {} is 0 of komt dubbel voor op deze lijst",
                        c.position
                    ),
                );
            }
            if !self.persons.insert(c.person_key()) {
                return InputError::new(
                    format!("{}.name", at()),
                    format!(
                        "kandidaat ‘{}’ staat twee keer op dezelfde lijst",
                        c.person_key()
                    ),
                );
            }
            total = match add_votes(total, c.votes, || format!("{}.votes", at())) {
                Ok(t) => t,
                Err(e) => return e,
            };
        }
        // Not reached: the quick check fails only on one of the errors above.
        InputError::new(
            format!("parties[{pi}].lists[{li}]"),
            "deze lijst is ongeldig",
        )
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Candidate;

    fn party(lists: &[&[&str]]) -> Party {
        let list = |names: &[&str]| List {
            kieskringen: Vec::new(),
            list_votes: 0,
            candidates: names
                .iter()
                .zip(1..)
                .map(|(name, position)| Candidate {
                    position,
                    name: (*name).into(),
                    id: None,
                    votes: 1,
                    deceased: false,
                })
                .collect(),
        };
        Party {
            number: 1,
            name: "P".into(),
            lists: lists.iter().map(|names| list(names)).collect(),
        }
    }

    /// The person numbers of one lijstengroep as validation makes them, or `None` when it
    /// finds a person twice on one list.
    fn numbers(lists: &[&[&str]]) -> Option<(Vec<u32>, u32)> {
        let election = Election {
            body: crate::Body::TK,
            seats: 1,
            ruleset: crate::RulesetName::Current,
            split_rounding: crate::SplitRounding::default(),
            preference_threshold_percent: None,
            parties: vec![party(lists)],
            lots: Vec::new(),
        };
        let validated = validate(&election).ok()?;
        let persons = validated.persons_of(0)?;
        Some((
            persons.ids.to_vec(),
            u32::try_from(persons.votes.len()).ok()?,
        ))
    }

    #[test]
    fn persons_are_numbered_across_the_lists_of_a_group() {
        // A whole repeat, a repeat up to a regional candidate, a shift and a shorter list.
        let (ids, count) = numbers(&[
            &["A", "B", "C"],
            &["A", "B", "C"],
            &["A", "B", "D", "C"],
            &["B", "A", "C"],
            &["E"],
        ])
        .expect("nobody stands twice on one list");
        assert_eq!(ids, [0, 1, 2, 0, 1, 2, 0, 1, 3, 2, 1, 0, 2, 4]);
        assert_eq!(count, 5);
    }

    #[test]
    fn a_person_twice_on_one_list_is_found_before_and_after_the_common_part() {
        assert!(numbers(&[&["A", "B"], &["A", "B", "A"]]).is_none());
        assert!(numbers(&[&["A", "B"], &["C", "C"]]).is_none());
        assert!(numbers(&[&["A", "B", "C"], &["A", "C", "C"]]).is_none());
        assert!(numbers(&[&["A", "A"], &["B"]]).is_none());
        // The same persons on every list is no error.
        assert!(numbers(&[&["A", "B"], &["B", "A"], &["A", "B"]]).is_some());
    }
}
