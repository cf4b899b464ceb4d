//! Input checks that run before any rule: the engine never panics on input, and every
//! rejection names the field and says why.

use std::collections::HashMap;
use std::hash::BuildHasherDefault;

use crate::fasthash::FastSet;
use crate::input_error::{InputError, Problem};
use crate::model::{Election, List, Party};
use crate::seats::ListCount;
use crate::{MAX_SEATS, MAX_VOTES};

/// The most candidates on one list the engine accepts (the Kieswet allows at most 80, H 6).
pub const MAX_CANDIDATES_PER_LIST: usize = 1_000;

/// What validation found out on the way, for the rules that follow.
#[derive(Clone, Debug, Default)]
pub(crate) struct Validated {
    /// Per person ([`crate::Candidate::person`]) of every party, the parties in a row: the
    /// votes on all the lists of the party together (P 15 "op de gezamenlijke lijsten").
    pub(crate) person_votes: Vec<u64>,
    /// Per party: where its persons start in `person_votes` (one more entry at the end).
    pub(crate) persons_start: Vec<usize>,
    /// Per party: its distinct living persons, a person being deceased when any of his or her
    /// entries says so (P 10 with P 19a).
    pub(crate) living_persons: Vec<u32>,
    /// Per party: whether any of its candidates is marked deceased.
    pub(crate) has_deceased: Vec<bool>,
    /// Per party: whether every list gives its candidates in position order 1, 2, 3, ….
    pub(crate) in_position_order: Vec<bool>,
    /// Per party: its stemcijfer ([`crate::Party::votes`]).
    pub(crate) party_votes: Vec<u64>,
    /// Per list, all parties' lists in a row: its votes and living candidates (for P 5–P 13).
    pub(crate) list_counts: Vec<ListCount>,
}

impl Validated {
    /// Per person of party `pi`: the votes on all its lists together. A number that no entry
    /// uses has none.
    pub(crate) fn person_votes_of(&self, pi: usize) -> &[u64] {
        let range = self
            .persons_start
            .get(pi)
            .zip(self.persons_start.get(pi + 1));
        range
            .and_then(|(&from, &to)| self.person_votes.get(from..to))
            .unwrap_or_default()
    }
}

pub(crate) fn validate(e: &Election) -> Result<Validated, InputError> {
    if e.seats == 0 || e.seats > MAX_SEATS {
        return Err(InputError::new(
            "seats",
            Problem::SeatsOutOfRange { seats: e.seats },
        ));
    }
    if let Some(pct) = e.preference_threshold_percent
        && !(1..=100).contains(&pct)
    {
        return Err(InputError::new(
            "preference_threshold_percent",
            Problem::PreferenceThresholdOutOfRange { percent: pct },
        ));
    }
    let parties = e.parties.len();
    let lists = e.parties.iter().map(|p| p.lists.len()).sum();
    // A party has at most as many persons as entries.
    let entries = e
        .parties
        .iter()
        .flat_map(|p| &p.lists)
        .map(|l| l.candidates.len())
        .sum();
    let mut out = Validated {
        person_votes: Vec::with_capacity(entries),
        persons_start: Vec::with_capacity(parties + 1),
        living_persons: Vec::with_capacity(parties),
        has_deceased: Vec::with_capacity(parties),
        in_position_order: Vec::with_capacity(parties),
        party_votes: Vec::with_capacity(parties),
        list_counts: Vec::with_capacity(lists),
    };
    let mut numbers: FastSet<u32> =
        FastSet::with_capacity_and_hasher(parties, BuildHasherDefault::default());
    let mut checks = ListChecks::default();
    let mut total: u64 = 0;
    for (pi, party) in e.parties.iter().enumerate() {
        let at = || format!("parties[{pi}]");
        if !numbers.insert(party.number) {
            return Err(InputError::new(
                format!("{}.number", at()),
                Problem::DuplicateListNumber {
                    number: party.number,
                },
            ));
        }
        if party.lists.is_empty() {
            return Err(InputError::new(
                format!("{}.lists", at()),
                Problem::NoCandidateList,
            ));
        }
        checks.start_party(party);
        out.persons_start.push(out.person_votes.len());
        let mut deceased = false;
        let mut in_order = true;
        let before = total;
        for (li, list) in party.lists.iter().enumerate() {
            let at = || format!("parties[{pi}].lists[{li}]");
            if list.candidates.len() > MAX_CANDIDATES_PER_LIST {
                return Err(InputError::new(
                    format!("{}.candidates", at()),
                    Problem::TooManyCandidates,
                ));
            }
            let before_list = total;
            total = add_votes(total, list.list_votes, || format!("{}.list_votes", at()))?;
            let checked = checks
                .quick_check(list, &mut out.person_votes, total)
                .ok_or_else(|| checks.first_error(list, total, pi, li))?;
            total = checked.total;
            deceased |= checked.deceased > 0;
            in_order &= checked.in_order;
            out.list_counts.push(ListCount {
                votes: total - before_list,
                living: u32::try_from(list.candidates.len() - checked.deceased).unwrap_or(u32::MAX),
            });
        }
        if deceased {
            // A person marked deceased on one list is deceased on all (P 19a): the lists
            // count only the living persons.
            let counts = out.list_counts.len() - party.lists.len();
            for (count, list) in out.list_counts[counts..].iter_mut().zip(&party.lists) {
                count.living = checks.living_on(list);
            }
        }
        out.living_persons.push(checks.living_persons());
        out.has_deceased.push(deceased);
        out.in_position_order.push(in_order);
        out.party_votes.push(total - before);
    }
    out.persons_start.push(out.person_votes.len());
    Ok(out)
}

/// The checks of the lists of one party, with their working memory, reused from party to
/// party.
#[derive(Default)]
struct ListChecks {
    positions: FastSet<u32>,
    /// The party's number of candidate entries: every person number is below it.
    entries: usize,
    /// Lists of the party checked so far.
    lists: u32,
    /// Per person number of the party.
    seen: Vec<Seen>,
    /// Where the persons of the party start in the votes per person.
    votes_start: usize,
}

/// What the checks have seen of one person number of a party.
#[derive(Clone, Copy, Default)]
struct Seen {
    /// The last list (1, 2, …) on which it stands; 0 for none yet.
    last_list: u32,
    /// Whether any of its entries is marked deceased.
    deceased: bool,
}

/// What [`ListChecks::quick_check`] found for a valid list.
struct CheckedList {
    /// The vote total with this list.
    total: u64,
    /// How many of its candidates are marked deceased.
    deceased: usize,
    /// Whether its positions are 1, 2, 3, … in the order given.
    in_order: bool,
}

impl ListChecks {
    fn start_party(&mut self, party: &Party) {
        self.entries = party.lists.iter().map(|l| l.candidates.len()).sum();
        self.lists = 0;
        self.seen.clear();
        self.seen.reserve(self.entries);
        self.votes_start = usize::MAX;
    }

    /// The party's distinct living persons (P 10 with P 19a), once all its lists are checked.
    fn living_persons(&self) -> u32 {
        let living = self
            .seen
            .iter()
            .filter(|s| s.last_list > 0 && !s.deceased)
            .count();
        u32::try_from(living).unwrap_or(u32::MAX)
    }

    /// The candidates of `list`, a checked list of the party, whose persons are living.
    fn living_on(&self, list: &List) -> u32 {
        let living = list
            .candidates
            .iter()
            .filter(|c| !self.seen[c.person as usize].deceased)
            .count();
        u32::try_from(living).unwrap_or(u32::MAX)
    }

    /// The checks of the candidates of the next list of the party, without the field paths
    /// of an error, or `None` when anything is wrong: positions, votes, person numbers (below
    /// the party's entries, nobody twice on one list). Adds the list's votes to those of its
    /// persons in `votes`. On an error, [`ListChecks::first_error`] finds the first one in
    /// list order.
    fn quick_check(
        &mut self,
        list: &List,
        votes: &mut Vec<u64>,
        total: u64,
    ) -> Option<CheckedList> {
        if self.lists == 0 {
            self.votes_start = votes.len();
        }
        self.lists += 1;
        let candidates = &list.candidates[..];
        // Two passes: the first adds up what the list says, the second its persons.
        // Positions are usually 1, 2, 3, …: those are unique without a set.
        let mut in_order = true;
        let mut sum = u128::from(total);
        let mut deceased = 0usize;
        let mut highest = 0;
        // At most MAX_CANDIDATES_PER_LIST votes of 64 bits each: the sums cannot overflow.
        for (c, position) in candidates.iter().zip(1..) {
            in_order &= c.position == position;
            sum = sum.wrapping_add(u128::from(c.votes));
            deceased = deceased.wrapping_add(usize::from(c.deceased));
            highest = highest.max(c.person as usize);
        }
        if !in_order && !self.unique_positions(list) {
            return None;
        }
        let total = u64::try_from(sum).ok().filter(|&t| t <= MAX_VOTES)?;
        if highest >= self.seen.len() && !candidates.is_empty() {
            if highest >= self.entries {
                return None;
            }
            self.seen.resize(highest + 1, Seen::default());
            votes.resize(self.votes_start + highest + 1, 0);
        }
        let votes = &mut votes[self.votes_start..];
        let (seen, list) = (&mut self.seen[..], self.lists);
        for c in candidates {
            let person = c.person as usize;
            let seen = &mut seen[person];
            // Seen on this list before: twice on one list.
            if seen.last_list == list {
                return None;
            }
            seen.last_list = list;
            seen.deceased |= c.deceased;
            // The total is not too high (checked above), so neither is this.
            votes[person] = votes[person].wrapping_add(c.votes);
        }
        Some(CheckedList {
            total,
            deceased,
            in_order,
        })
    }

    /// Whether the positions on `list` are all different and none is 0.
    fn unique_positions(&mut self, list: &List) -> bool {
        self.positions.clear();
        list.candidates
            .iter()
            .all(|c| c.position > 0 && self.positions.insert(c.position))
    }

    /// The first error of [`ListChecks::quick_check`], checking candidate by candidate in
    /// list order, with its field path.
    fn first_error(&mut self, list: &List, mut total: u64, pi: usize, li: usize) -> InputError {
        self.positions.clear();
        let mut on_list: HashMap<u32, usize> = HashMap::new();
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
                    Problem::BadPosition {
                        position: c.position,
                    },
                );
            }
            if c.person as usize >= self.entries {
                return InputError::new(
                    format!("{}.person", at()),
                    Problem::PersonNumberTooHigh {
                        person: c.person,
                        entries: self.entries,
                    },
                );
            }
            if let Some(first) = on_list.insert(c.person, ci) {
                return InputError::new(
                    format!("{}.person", at()),
                    Problem::SamePersonTwice {
                        name: c.name.clone(),
                        first,
                        first_name: list.candidates[first].name.clone(),
                    },
                );
            }
            total = match add_votes(total, c.votes, || format!("{}.votes", at())) {
                Ok(t) => t,
                Err(e) => return e,
            };
        }
        // Not reached: the quick check fails only on one of the errors above.
        InputError::new(format!("parties[{pi}].lists[{li}]"), Problem::InvalidList)
    }
}

fn add_votes(total: u64, votes: u64, field: impl FnOnce() -> String) -> Result<u64, InputError> {
    match total.checked_add(votes) {
        Some(t) if t <= MAX_VOTES => Ok(t),
        _ => Err(InputError::new(field(), Problem::TooManyVotes)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Candidate;

    /// One party whose lists name persons by number; every entry has one vote more than the
    /// one before it (1, 2, 3, … over all lists), the entries in `deceased` are marked so.
    fn election(lists: &[&[u32]], deceased: &[(usize, usize)]) -> Election {
        let mut votes = 0;
        let lists = lists
            .iter()
            .enumerate()
            .map(|(li, persons)| List {
                kieskringen: [].into(),
                list_votes: 0,
                candidates: persons
                    .iter()
                    .zip(1..)
                    .enumerate()
                    .map(|(ci, (&person, position))| {
                        votes += 1;
                        Candidate {
                            position,
                            name: format!("Kandidaat {person}"),
                            person,
                            votes,
                            deceased: deceased.contains(&(li, ci)),
                        }
                    })
                    .collect(),
            })
            .collect();
        Election {
            body: crate::Body::TK,
            seats: 1,
            ruleset: crate::RulesetName::Current,
            split_rounding: crate::SplitRounding::default(),
            preference_threshold_percent: None,
            parties: vec![Party {
                number: 1,
                name: "P".into(),
                lists,
            }],
            lots: Vec::new(),
        }
    }

    #[test]
    fn a_persons_votes_are_summed_over_the_lists_of_the_party() {
        // Person 2 stands only on the second list, person 3 on no list; person 1 is marked
        // deceased on one of the two lists, which is enough (P 19a).
        let e = election(&[&[0, 1], &[1, 0, 2], &[4]], &[(1, 0)]);
        let v = validate(&e).expect("valid");
        assert_eq!(v.person_votes_of(0), [1 + 4, 2 + 3, 5, 0, 6]);
        assert_eq!(v.living_persons, [3]);
        assert_eq!(v.party_votes, [21]);
        assert!(v.has_deceased[0]);
    }

    #[test]
    fn a_person_twice_on_one_list_is_an_error_naming_the_second_entry() {
        let err = validate(&election(&[&[0, 1], &[1, 2, 1]], &[])).unwrap_err();
        assert_eq!(err.field, "parties[0].lists[1].candidates[2].person");
        assert!(
            err.message_nl().contains("candidates[0]"),
            "{}",
            err.message_nl()
        );
        // The same persons on every list, in any order, is no error.
        assert!(validate(&election(&[&[0, 1], &[1, 0], &[0, 1]], &[])).is_ok());
    }

    #[test]
    fn person_numbers_stay_below_the_partys_entries() {
        // Four entries: numbers 0–3 are allowed, 4 is not.
        assert!(validate(&election(&[&[3, 1], &[0, 2]], &[])).is_ok());
        let err = validate(&election(&[&[3, 1], &[0, 4]], &[])).unwrap_err();
        assert_eq!(err.field, "parties[0].lists[1].candidates[1].person");
    }
}
