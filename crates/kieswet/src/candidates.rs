//! Seats to candidates: P 15–P 19a (U 15 for the Eerste Kamer), and the proposal "Met één stem
//! meer keus".
//!
//! Input: the seats per party and per list of a lijstengroep from [`crate::seats`]. Output: the
//! elected candidates per party in P 19 order, the P 19 ranking per list, the list seats after
//! P 16 lid 2, and a [`CandidateStep`] for every decision.
//!
//! Order of work per party (current law, [`current`]):
//! 1. P 19a: deceased candidates are left out of everything below.
//! 2. P 15: candidates whose votes on the joint lists of the party are above the threshold are
//!    elected in order of votes, as far as the party has seats. Equal votes: a lot only when
//!    the tied candidates do not all fit in the seats left.
//! 3. P 16 (lijstengroep): each of them gets the seat on the list with the most votes for
//!    him or her that still has a free seat; if none has one, lid 2.
//! 4. P 17: the other seats of each list go to the next candidates in list order.
//! 5. P 18 (lijstengroep): a candidate elected on several lists keeps the list with the most
//!    votes; the other seats go to the next candidates of those lists; repeat.
//! 6. P 19: the ranking per list (lid 1–4; leden 1, 3 and 4 only for the Eerste Kamer). Lid 5:
//!    from 19 seats on, no ranking for a list without elected candidates outside a lijstengroep
//!    with seats.
//!
//! The proposal ([`proposal`]) replaces steps 2–5 by list seats in list order and candidate
//! seats by candidate votes, per list.

mod current;
mod name;
mod proposal;
mod step;
#[cfg(test)]
mod tests;

pub use name::CandidateName;
pub use step::{
    CandidateRef, CandidateStep, ListRef, PROPOSAL, Placement, ReleasedSeat, Successor,
};
pub(crate) use step::{rounding_en, rounding_nl};

use std::borrow::Cow;
use std::sync::Arc;

use crate::assumption::Assumption;
use crate::fraction::Fraction;
use crate::lots::{LotBox, LotReason, LotStop};
use crate::model::{Candidate, Election, LotChoice, Party};
use crate::rules::{CandidateSelection, Rules};
use crate::seats::SeatAssignment;
use crate::steps::Step;
use crate::validate::Validated;

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
    pub name: CandidateName,
    /// Votes summed over all lists of the party on which the candidate stands.
    pub votes: u64,
    pub by: ElectedBy,
}

/// A candidate in the P 19 ranking of one list.
///
/// A ranking lists every living candidate of every list (thousands for a Tweede Kamer
/// election), so an entry refers to its candidate in the input instead of copying the name:
/// [`RankedCandidate::candidate`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RankedCandidate {
    /// Rank on the list `list_index` (P 19 ranks per list; 1 = first).
    pub rank: u32,
    pub list_index: usize,
    /// Position on that list.
    pub position: u32,
    /// Index of the candidate in that list's candidates as given
    /// (`party.lists[list_index].candidates[candidate_index]`).
    pub candidate_index: u32,
    /// Votes on the joint lists of the party.
    pub votes: u64,
    /// Elected (on this or another list of the party).
    pub elected: bool,
    /// Reached the preference threshold.
    pub above_threshold: bool,
}

impl RankedCandidate {
    /// The candidate in `party`, the party of the ranking (`None` for another party).
    pub fn candidate<'e>(&self, party: &'e Party) -> Option<&'e Candidate> {
        party
            .lists
            .get(self.list_index)?
            .candidates
            .get(self.candidate_index as usize)
    }
}

/// What the candidate part returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CandidateAssignment {
    /// Elected candidates, per party in P 19 order, parties in ballot order.
    pub elected: Vec<ElectedCandidate>,
    /// P 19 ranking per party number: the ranking of each list of the party, lists in order.
    /// Only when asked for ([`crate::apportion_with_ranking`]).
    pub rankings: Option<Vec<(u32, Vec<RankedCandidate>)>>,
    /// Seats per party per list after P 16 lid 2.
    pub list_seats: Vec<Vec<u32>>,
    /// An assumption not fixed by law text (e.g. the proposal's split rounding).
    pub assumption: Option<Assumption>,
    /// Seats that no candidate could take (a list ran out of candidates).
    pub unfilled_seats: u32,
}

/// Seats to candidates for a validated election, with what validation found: the persons of
/// each lijstengroep and which parties have deceased candidates. The P 19 ranking of every
/// candidate is made only `with_ranking`.
pub(crate) fn assign_candidates(
    election: &Election,
    validated: &Validated,
    rules: &Rules,
    seats: &SeatAssignment,
    with_ranking: bool,
    lots: &mut LotBox<'_>,
    steps: &mut Vec<Step>,
) -> Result<CandidateAssignment, LotStop> {
    let n = election.parties.len();
    let mut out = CandidateAssignment {
        elected: Vec::with_capacity(rules.seats as usize),
        // The rankings' room is taken first, before the small allocations of the run: the
        // allocator then serves these large requests without sorting through many freed small
        // blocks each time.
        rankings: with_ranking.then(|| {
            election
                .parties
                .iter()
                .map(|p| {
                    let entries = p.lists.iter().map(|l| l.candidates.len()).sum();
                    (p.number, Vec::with_capacity(entries))
                })
                .collect()
        }),
        list_seats: Vec::with_capacity(n),
        assumption: None,
        unfilled_seats: 0,
    };
    let minimum = if let CandidateSelection::PreferenceThenListOrder = rules.candidate_selection {
        let (step, minimum) = threshold_step(rules, seats.kiesdeler);
        steps.push(step);
        minimum
    } else {
        0
    };
    // One set of working memory for all parties of the run.
    let room = Room::of(election, validated);
    let mut buffers = ViewBuffers::with_room(election, room);
    let mut scratch = current::Scratch::with_room(room);
    let mut unranked = Vec::new();
    for (pi, party) in election.parties.iter().enumerate() {
        if let Some(ranked) = idle_party(rules, validated, seats, pi, minimum, with_ranking) {
            out.list_seats.push(vec![0; party.lists.len()]);
            if !ranked {
                unranked.push(party.number);
            }
            continue;
        }
        let view = PartyView::new((party, pi), seats, validated, steps, buffers);
        let ranking = out.rankings.as_mut().map(|r| &mut r[pi].1);
        let party_out = match rules.candidate_selection {
            CandidateSelection::PreferenceThenListOrder => current::assign_party(
                &view,
                rules,
                minimum,
                (&mut out.elected, ranking),
                &mut scratch,
                lots,
                steps,
            )?,
            CandidateSelection::ListSeatsThenCandidateSeats(rounding) => {
                proposal::assign_party(&view, rounding, (&mut out.elected, ranking), lots, steps)?
            }
        };
        buffers = view.into_buffers();
        out.list_seats.push(party_out.list_seats);
        out.unfilled_seats += party_out.unfilled;
        if !party_out.ranked {
            unranked.push(party.number);
        }
    }
    if !unranked.is_empty() {
        steps.push(Step::Candidate(CandidateStep::RankingOmitted {
            parties: unranked,
        }));
    }
    if let CandidateSelection::ListSeatsThenCandidateSeats(rounding) = rules.candidate_selection {
        let groups = election.parties.iter().any(|p| p.lists.len() > 1);
        out.assumption = Some(Assumption::MetEenStemMeerKeus { rounding, groups });
    }
    Ok(out)
}

/// Whether party `pi` is one the candidate rules have nothing to do for: it has no seats, so
/// nobody is elected; nobody reaches the preference threshold (a step would name him or her),
/// as its stemcijfer is below it; no candidate is deceased (P 19a's step); and no ranking is
/// to be made of it. Its persons are then not worth gathering. Returns whether its lists count
/// as ranked, as the rules would decide (P 19 lid 5 for a list without elected candidates).
fn idle_party(
    rules: &Rules,
    validated: &Validated,
    seats: &SeatAssignment,
    pi: usize,
    minimum: u128,
    with_ranking: bool,
) -> Option<bool> {
    let no_seats = seats.party_seats.get(pi).is_none_or(|&s| s == 0);
    let no_deceased = validated.has_deceased.get(pi) == Some(&false);
    let votes = validated.party_votes.get(pi).copied().unwrap_or(u64::MAX);
    let (below_threshold, ranked) = match rules.candidate_selection {
        CandidateSelection::PreferenceThenListOrder => (
            u128::from(votes) < minimum,
            // Without seats: no group with seats, nobody elected.
            rules.ranks_party(false, false),
        ),
        CandidateSelection::ListSeatsThenCandidateSeats(_) => (true, true),
    };
    (no_seats && no_deceased && below_threshold && !(with_ranking && ranked)).then_some(ranked)
}

/// The P 15 (U 15, Y 23a) threshold step, and the fewest whole votes that reach the threshold:
/// "groter dan" the threshold is at least its floor plus one, "groter dan of gelijk aan" at least
/// its ceiling. Comparing whole votes with this number is the same as comparing them with the
/// exact threshold ([`Rules::reaches_preference_threshold`]).
fn threshold_step(rules: &Rules, kiesdeler: Fraction) -> (Step, u128) {
    let threshold = rules.preference_threshold(kiesdeler);
    let minimum = if rules.preference_threshold_strict {
        threshold.smallest_integer_above()
    } else {
        threshold.ceil()
    };
    let step = Step::Candidate(CandidateStep::PreferenceThreshold {
        article: rules.articles.preference,
        percent: rules.preference_threshold_percent,
        kiesdeler,
        threshold,
        threshold_decimal: threshold.to_dutch_decimal(2),
        strict: rules.preference_threshold_strict,
        minimum_votes: u64::try_from(minimum).unwrap_or(u64::MAX),
    });
    (step, minimum)
}

/// What one party's candidate assignment yields (its elected and its ranking go straight into
/// the run's lists).
pub(crate) struct PartyOutcome {
    pub list_seats: Vec<u32>,
    pub unfilled: u32,
    /// Whether the party's lists are ranked (not under P 19 lid 5).
    pub ranked: bool,
}

/// One entry of a person on a list of the party.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub list: usize,
    pub position: u32,
    /// Index of the candidate in the list's candidates as given.
    pub index: u32,
    pub votes: u64,
}

/// A living candidate of the party.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Person<'a> {
    /// The name on the first list (in list order) on which the person stands.
    pub name: &'a str,
    /// Votes on the joint lists of the party (P 15 "op de gezamenlijke lijsten").
    pub total: u64,
    /// The first list (in list order) on which the person stands.
    first_list: usize,
}

/// A living person on one list, with his or her position and votes there.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OnList {
    pub person: usize,
    pub position: u32,
    /// Index of the candidate in the list's candidates as given.
    pub index: u32,
    pub votes: u64,
}

/// The working memory of a [`PartyView`]. It passes from one party to the next, so that a run
/// allocates it once rather than once per party.
///
/// A *key* is a person number of the input ([`Candidate::person`]). A *person* is a living
/// key that stands on a list, numbered in key order.
pub(crate) struct ViewBuffers<'a> {
    persons: Vec<Person<'a>>,
    /// Per person: its key.
    person_key: Vec<u32>,
    /// Per key: its person, or [`NO_PERSON`] for a deceased person (P 19a).
    key_person: Vec<u32>,
    /// Per key: its votes on all lists of the party together.
    key_votes: Vec<u64>,
    /// Per key: whether any of its entries is marked deceased (P 19a).
    key_deceased: Vec<bool>,
    /// Per list and key: the index of the key's candidate on that list, or [`NOT_ON_LIST`]
    /// (`slots[li * keys + key]`). A list has at most
    /// [`crate::validate::MAX_CANDIDATES_PER_LIST`] candidates, so 16 bits hold the index.
    slots: Vec<u16>,
    /// 0, 1, 2, …: the candidate indices of a list given in position order.
    identity: Vec<u32>,
    /// Per list not given in position order: where its candidate indices in position order
    /// start in `order` (`None` for a list given in that order).
    order_start: Vec<Option<usize>>,
    order: Vec<u32>,
    /// Per list: its lowest kieskring number (`u32::MAX` without kieskringen).
    lowest_kieskring: Vec<u32>,
}

/// What the largest party of an election needs of the working memory of the candidate part.
#[derive(Clone, Copy)]
pub(crate) struct Room {
    /// Keys (persons, living or not; see [`ViewBuffers`]).
    pub keys: usize,
    pub lists: usize,
    /// Keys times lists.
    pub slots: usize,
}

impl Room {
    fn of(election: &Election, validated: &Validated) -> Room {
        let mut room = Room {
            keys: 0,
            lists: 0,
            slots: 0,
        };
        for (pi, party) in election.parties.iter().enumerate() {
            let keys = validated.person_votes_of(pi).len();
            room.keys = room.keys.max(keys);
            room.lists = room.lists.max(party.lists.len());
            room.slots = room.slots.max(keys * party.lists.len());
        }
        room
    }
}

/// In [`ViewBuffers::slots`]: the key does not stand on the list.
const NOT_ON_LIST: u16 = u16::MAX;
/// In [`ViewBuffers::key_person`]: the key is a deceased person's.
const NO_PERSON: u32 = u32::MAX;

/// A party prepared for the candidate rules: its living persons (P 19a) with their votes on
/// all its lists together, where each stands on which list, and the seats per list.
pub(crate) struct PartyView<'a> {
    pub party: &'a Party,
    /// Seats of the party (P 5–P 10).
    pub seats: u32,
    /// Seats per list (P 12/P 13); one entry for a party without a group.
    pub list_seats: Cow<'a, [u32]>,
    /// List indices in the order P 12/P 13 gave them seats (P 16 lid 2).
    pub group_order: &'a [usize],
    b: ViewBuffers<'a>,
}

impl<'a> PartyView<'a> {
    pub(crate) fn new(
        (party, index): (&'a Party, usize),
        seats: &'a SeatAssignment,
        validated: &'a Validated,
        steps: &mut Vec<Step>,
        mut b: ViewBuffers<'a>,
    ) -> Self {
        let party_seats = seats.party_seats.get(index).copied().unwrap_or(0);
        let list_seats = match seats.list_seats.get(index) {
            Some(ls) if ls.len() == party.lists.len() => Cow::Borrowed(ls.as_slice()),
            _ => {
                // One list: it has all the party's seats. For a group the seat part always
                // gives one entry per list; without it, the seats stay on the first list.
                let mut ls = vec![0; party.lists.len()];
                if let Some(first) = ls.first_mut() {
                    *first = party_seats;
                }
                Cow::Owned(ls)
            }
        };
        let group_order = seats
            .group_seat_order
            .get(index)
            .map_or(&[][..], Vec::as_slice);
        let has_deceased = validated.has_deceased.get(index) == Some(&true);
        let in_order = validated.in_position_order.get(index) == Some(&true);
        b.load(
            party,
            validated.person_votes_of(index),
            has_deceased,
            in_order,
        );
        let view = PartyView {
            party,
            seats: party_seats,
            list_seats,
            group_order,
            b,
        };
        if has_deceased {
            view.report_deceased(steps);
        }
        view
    }

    /// P 19a: one step for each deceased person, naming his or her first entry (lists in
    /// order, candidates in position order).
    fn report_deceased(&self, steps: &mut Vec<Step>) {
        let mut reported = vec![false; self.b.key_deceased.len()];
        for (li, list) in self.party.lists.iter().enumerate() {
            for &k in self.in_position_order(li) {
                let c = &list.candidates[k as usize];
                let key = c.person as usize;
                if self.b.key_deceased[key] && !reported[key] {
                    reported[key] = true;
                    steps.push(deceased_step(self.list_ref(li), c));
                }
            }
        }
    }

    /// Gives back the working memory for the next party.
    pub(crate) fn into_buffers(self) -> ViewBuffers<'a> {
        self.b
    }

    pub(crate) fn is_group(&self) -> bool {
        self.party.lists.len() > 1
    }

    /// The living persons of the party.
    pub(crate) fn persons(&self) -> &[Person<'a>] {
        &self.b.persons
    }

    /// The candidate indices of list `li` in position order.
    fn in_position_order(&self, li: usize) -> &[u32] {
        let n = self.party.lists[li].candidates.len();
        match self.b.order_start[li] {
            Some(start) => &self.b.order[start..start + n],
            None => &self.b.identity[..n],
        }
    }

    /// The living persons on list `li`, in list order.
    pub(crate) fn by_list(&self, li: usize) -> impl Iterator<Item = OnList> + '_ {
        let candidates = &self.party.lists[li].candidates;
        self.in_position_order(li).iter().filter_map(move |&k| {
            let c = &candidates[k as usize];
            let person = self.b.key_person[c.person as usize];
            (person != NO_PERSON).then_some(OnList {
                person: person as usize,
                position: c.position,
                index: k,
                votes: c.votes,
            })
        })
    }

    /// The number of candidate entries on all lists together, the deceased included.
    pub(crate) fn entry_count(&self) -> usize {
        self.party.lists.iter().map(|l| l.candidates.len()).sum()
    }

    /// List `li` as steps name it.
    pub(crate) fn list_ref(&self, li: usize) -> ListRef {
        ListRef {
            party: self.party.number,
            index: li,
            in_group: self.is_group(),
            kieskringen: Arc::clone(&self.party.lists[li].kieskringen),
        }
    }

    /// The person's entry on list `li`, if he or she stands on it.
    pub(crate) fn entry(&self, person: usize, li: usize) -> Option<Entry> {
        let key = *self.b.person_key.get(person)? as usize;
        let k = *self.b.slots.get(li * self.b.key_votes.len() + key)?;
        let c = self.party.lists[li].candidates.get(usize::from(k))?;
        Some(Entry {
            list: li,
            position: c.position,
            index: u32::from(k),
            votes: c.votes,
        })
    }

    /// The person's entry on the first list of the party on which he or she stands.
    pub(crate) fn first(&self, person: usize) -> Entry {
        self.entry(person, self.b.persons[person].first_list)
            .expect("a person stands on his or her first list")
    }

    /// List order across the party: first list on which the person stands, then position.
    pub(crate) fn order_key(&self, person: usize) -> (usize, u32) {
        let e = self.first(person);
        (e.list, e.position)
    }

    /// The candidate on list `li` (or on the first list where he or she stands).
    pub(crate) fn cand_ref(&self, person: usize, li: usize) -> CandidateRef {
        let e = self.entry(person, li).unwrap_or_else(|| self.first(person));
        CandidateRef {
            list: self.list_ref(e.list),
            position: e.position,
            name: CandidateName::from(self.b.persons[person].name),
        }
    }

    /// How a lot names this person: party number and position on the first list.
    pub(crate) fn lot_choice(&self, person: usize) -> LotChoice {
        LotChoice::Candidate {
            list: self.party.number,
            position: self.first(person).position,
        }
    }

    /// The person's entries on the lists `li` with `keep(li)` into `es`, in list order.
    pub(crate) fn entries_into(
        &self,
        person: usize,
        keep: impl Fn(usize) -> bool,
        es: &mut Vec<Entry>,
    ) {
        es.clear();
        es.extend(
            (0..self.party.lists.len())
                .filter(|&li| keep(li))
                .filter_map(|li| self.entry(person, li)),
        );
    }

    /// The order of a person's entries in P 16 and P 18: from most votes to fewest; equal
    /// votes: lowest kieskring number, then list index.
    pub(crate) fn by_votes(&self, e: &Entry) -> (std::cmp::Reverse<u64>, u32, usize) {
        (
            std::cmp::Reverse(e.votes),
            self.b
                .lowest_kieskring
                .get(e.list)
                .copied()
                .unwrap_or(u32::MAX),
            e.list,
        )
    }

    /// [`PartyView::entries_into`], in the order of [`PartyView::by_votes`].
    pub(crate) fn lists_by_votes_into(
        &self,
        person: usize,
        keep: impl Fn(usize) -> bool,
        es: &mut Vec<Entry>,
    ) {
        self.entries_into(person, keep, es);
        es.sort_by_key(|e| self.by_votes(e));
    }
}

/// P 19a: the step that leaves a deceased candidate (on list `list`) out.
fn deceased_step(list: ListRef, c: &Candidate) -> Step {
    Step::Candidate(CandidateStep::DeceasedIgnored {
        candidate: CandidateRef {
            list,
            position: c.position,
            name: CandidateName::from(c.name.as_str()),
        },
    })
}

impl<'a> ViewBuffers<'a> {
    /// Working memory with room for the largest party of `election`, so that it does not grow
    /// during the run.
    fn with_room(election: &Election, room: Room) -> Self {
        let longest = election
            .parties
            .iter()
            .flat_map(|p| &p.lists)
            .map(|l| l.candidates.len())
            .max()
            .unwrap_or(0);
        ViewBuffers {
            persons: Vec::with_capacity(room.keys),
            person_key: Vec::with_capacity(room.keys),
            key_person: Vec::with_capacity(room.keys),
            key_votes: Vec::with_capacity(room.keys),
            key_deceased: Vec::with_capacity(room.keys),
            slots: Vec::with_capacity(room.slots),
            identity: (0..to_u32(longest)).collect(),
            order_start: Vec::with_capacity(room.lists),
            order: Vec::new(),
            lowest_kieskring: Vec::with_capacity(room.lists),
        }
    }

    /// Gathers the persons of `party` with their `votes` on all its lists together (as
    /// validation summed them, "op de gezamenlijke lijsten", P 15): entries with the same
    /// person number are one person, deceased when any entry says so (P 19a). `in_order`:
    /// validation found every list in position order.
    fn load(&mut self, party: &'a Party, votes: &[u64], has_deceased: bool, in_order: bool) {
        let lists = party.lists.len();
        self.lowest_kieskring.clear();
        self.lowest_kieskring.extend(
            party
                .lists
                .iter()
                .map(|l| l.kieskringen.iter().copied().min().unwrap_or(u32::MAX)),
        );
        self.key_votes.clear();
        self.key_votes.extend_from_slice(votes);
        let key_count = self.key_votes.len();
        self.slots.clear();
        self.slots.resize(key_count * lists, NOT_ON_LIST);
        self.key_deceased.clear();
        self.key_deceased.resize(key_count, false);
        self.order_start.clear();
        self.order.clear();
        for (li, list) in party.lists.iter().enumerate() {
            // Where each key stands on this list.
            let slots = &mut self.slots[li * key_count..(li + 1) * key_count];
            for (c, k) in list.candidates.iter().zip(0..) {
                if let Some(slot) = slots.get_mut(c.person as usize) {
                    *slot = k;
                }
            }
            if has_deceased {
                for c in &list.candidates {
                    if let Some(dead) = self.key_deceased.get_mut(c.person as usize) {
                        *dead |= c.deceased;
                    }
                }
            }
            if in_order || list.candidates.is_sorted_by_key(|c| c.position) {
                self.order_start.push(None);
            } else {
                let start = self.order.len();
                self.order.extend(0..to_u32(list.candidates.len()));
                self.order[start..].sort_by_key(|&k| list.candidates[k as usize].position);
                self.order_start.push(Some(start));
            }
        }

        // The living persons, in key order, each named as on the first list where they stand.
        self.persons.clear();
        self.person_key.clear();
        self.key_person.clear();
        self.key_person.resize(key_count, NO_PERSON);
        for key in 0..key_count {
            let on_lists = self.slots[key..].iter().step_by(key_count.max(1));
            let Some((first_list, &k)) = on_lists.enumerate().find(|(_, k)| **k != NOT_ON_LIST)
            else {
                continue;
            };
            if self.key_deceased[key] {
                continue;
            }
            self.key_person[key] = to_u32(self.persons.len());
            self.person_key.push(to_u32(key));
            self.persons.push(Person {
                name: &party.lists[first_list].candidates[usize::from(k)].name,
                total: self.key_votes[key],
                first_list,
            });
        }
    }
}

pub(crate) fn to_u32(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// One candidate chosen by [`pick_by_votes`].
#[derive(Clone, Copy, Debug)]
pub(crate) struct Pick {
    pub person: usize,
    pub votes: u64,
    /// Other candidates with the same votes that were still in the running.
    pub tied: u32,
    pub by_lot: bool,
}

/// Chooses up to `seats` persons from `pool` (sorted by votes, most first; equal votes in list
/// order). A group with equal votes that fits in the seats left is taken whole in list order;
/// one that does not fit needs the lot, drawn one seat at a time. `emit` makes the step (if
/// any) for each pick, with its 1-based seat number, right after any lot that decided it.
pub(crate) fn pick_by_votes(
    pool: &[(usize, u64)],
    seats: u32,
    reason: &dyn Fn(u32) -> LotReason,
    choice: &dyn Fn(usize) -> LotChoice,
    emit: &dyn Fn(&Pick, u32) -> Option<CandidateStep>,
    lots: &mut LotBox<'_>,
    steps: &mut Vec<Step>,
) -> Result<Vec<Pick>, LotStop> {
    let mut picks: Vec<Pick> = Vec::with_capacity(pool.len().min(seats as usize));
    let mut left = seats;
    let mut i = 0;
    while i < pool.len() && left > 0 {
        let votes = pool[i].1;
        let j = i + pool[i..].iter().take_while(|x| x.1 == votes).count();
        if j - i <= left as usize {
            let tied = to_u32(j - i - 1);
            for &(person, _) in &pool[i..j] {
                let pick = Pick {
                    person,
                    votes,
                    tied,
                    by_lot: false,
                };
                picks.push(pick);
                if let Some(step) = emit(&pick, to_u32(picks.len())) {
                    steps.push(Step::Candidate(step));
                }
                left -= 1;
            }
        } else {
            // More candidates with equal votes than seats left: the lot decides, one seat at a
            // time (P 15 lid 1, last sentence).
            let mut group: Vec<usize> = pool[i..j].iter().map(|x| x.0).collect();
            while left > 0 {
                let options: Vec<LotChoice> = group.iter().map(|&p| choice(p)).collect();
                let drawn = lots.draw(reason(left), options, steps)?;
                let k = group
                    .iter()
                    .position(|&p| choice(p) == drawn)
                    .expect("the lot box only returns one of the options");
                let person = group.remove(k);
                let pick = Pick {
                    person,
                    votes,
                    tied: to_u32(group.len()),
                    by_lot: true,
                };
                picks.push(pick);
                if let Some(step) = emit(&pick, to_u32(picks.len())) {
                    steps.push(Step::Candidate(step));
                }
                left -= 1;
            }
        }
        i = j;
    }
    Ok(picks)
}

/// A seat on a list held by a person.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Holder {
    pub person: usize,
    pub by: ElectedBy,
}

/// A duplicate resolved in a round of P 18: the entry kept, whether another list had as many
/// votes, and its freed seats (`freed[seats]`).
struct Resolved {
    person: usize,
    kept: Entry,
    tie: bool,
    seats: std::ops::Range<usize>,
}

/// Per list, for one round of P 18: the seats freed of each kind (list order, candidate votes),
/// the kind of the first list-order seat freed, and the successors in the order the seats were
/// freed, kept back to front so that the next one is popped.
#[derive(Clone, Default)]
struct Refill {
    order_seats: usize,
    vote_seats: usize,
    order_kind: Option<ElectedBy>,
    by_order: Vec<Option<usize>>,
    by_votes: Vec<Option<usize>>,
}

/// The working memory of [`resolve_duplicates`], reused from party to party.
#[derive(Default)]
pub(crate) struct DuplicateScratch {
    /// Per person: seats held (on any list), and whether elected after lid 1 of a round.
    held: Vec<u32>,
    elected: Vec<bool>,
    refills: Vec<Refill>,
    dups: Vec<usize>,
    resolved: Vec<Resolved>,
    freed: Vec<(Entry, ElectedBy)>,
    ranked: Vec<Entry>,
}

impl DuplicateScratch {
    pub(crate) fn with_room(room: Room) -> Self {
        DuplicateScratch {
            held: Vec::with_capacity(room.keys),
            elected: Vec::with_capacity(room.keys),
            refills: Vec::with_capacity(room.lists),
            dups: Vec::new(),
            resolved: Vec::new(),
            freed: Vec::new(),
            ranked: Vec::with_capacity(room.lists),
        }
    }
}

/// P 18 (and its counterpart in the proposal): while a person holds seats on several lists of
/// the group, he or she keeps the one on the list with the most votes for him or her (equal:
/// lowest kieskring number); each other seat goes to the next candidate of that list who is not
/// elected yet — in list order for a list-order seat, by votes for a candidate seat. All
/// duplicates of a round are resolved together; new duplicates start the next round (P 18
/// lid 3).
pub(crate) fn resolve_duplicates(
    view: &PartyView<'_>,
    holders: &mut [Vec<Holder>],
    article: &'static str,
    scratch: &mut DuplicateScratch,
    lots: &mut LotBox<'_>,
    steps: &mut Vec<Step>,
) -> Result<(), LotStop> {
    let party_number = view.party.number;
    let persons = view.persons().len();
    let DuplicateScratch {
        held,
        elected,
        refills,
        dups,
        resolved,
        freed,
        ranked,
    } = scratch;
    // Both stay all zero between rounds: each round resets what it set.
    held.clear();
    held.resize(persons, 0);
    elected.clear();
    elected.resize(persons, false);
    if refills.len() < holders.len() {
        refills.resize_with(holders.len(), Refill::default);
    }
    let refills = &mut refills[..holders.len()];
    let mut round = 0u32;
    loop {
        // Those who hold more than one seat, found among the holders (a few per list) rather
        // than among all persons.
        dups.clear();
        for h in holders.iter().flatten() {
            held[h.person] += 1;
            if held[h.person] == 2 {
                dups.push(h.person);
            }
        }
        for h in holders.iter().flatten() {
            held[h.person] = 0;
        }
        // Each round elects at least one new person, so this ends; the bound is a safeguard.
        if dups.is_empty() || round as usize > persons {
            return Ok(());
        }
        // The order of the list (order keys are distinct).
        dups.sort_unstable_by_key(|&p| view.order_key(p));
        round += 1;

        // Lid 1: keep the list with the most votes; free the other seats.
        resolved.clear();
        freed.clear();
        for refill in refills.iter_mut() {
            refill.order_seats = 0;
            refill.vote_seats = 0;
            refill.order_kind = None;
        }
        for &person in dups.iter() {
            // The lists on which the person holds a seat (freeing another person's seats
            // before does not change them).
            view.lists_by_votes_into(
                person,
                |li| holders[li].iter().any(|h| h.person == person),
                ranked,
            );
            let kept = ranked[0];
            let tie = ranked.get(1).is_some_and(|e| e.votes == kept.votes);
            let from = freed.len();
            for e in &ranked[1..] {
                let hs = &mut holders[e.list];
                if let Some(k) = hs.iter().position(|h| h.person == person) {
                    let h = hs.remove(k);
                    let refill = &mut refills[e.list];
                    if h.by == ElectedBy::CandidateSeat {
                        refill.vote_seats += 1;
                    } else {
                        refill.order_seats += 1;
                        refill.order_kind.get_or_insert(h.by);
                    }
                    freed.push((*e, h.by));
                }
            }
            resolved.push(Resolved {
                person,
                kept,
                tie,
                seats: from..freed.len(),
            });
        }

        // Lid 2: refill every freed seat from the candidates not elected on any list now.
        for h in holders.iter().flatten() {
            elected[h.person] = true;
        }
        for (li, refill) in refills.iter_mut().enumerate() {
            refill.by_order.clear();
            refill.by_votes.clear();
            if refill.order_seats + refill.vote_seats == 0 {
                continue;
            }
            // Who is not elected now, in list order; `elected` stays as it was after lid 1
            // while the freed seats of this round are refilled.
            let mut avail = view
                .by_list(li)
                .filter(|x| !elected[x.person])
                .map(|x| (x.person, x.votes));
            let order_kind = refill.order_kind.unwrap_or(ElectedBy::ListOrder);
            for (p, _) in avail.by_ref().take(refill.order_seats) {
                holders[li].push(Holder {
                    person: p,
                    by: order_kind,
                });
                refill.by_order.push(Some(p));
            }
            let missing = refill.order_seats - refill.by_order.len();
            refill.by_order.extend(std::iter::repeat_n(None, missing));
            refill.by_order.reverse();
            if refill.vote_seats > 0 {
                let mut pool: Vec<(usize, u64)> = avail.collect();
                pool.sort_by_key(|&(p, v)| (std::cmp::Reverse(v), view.order_key(p)));
                let picks = pick_by_votes(
                    &pool,
                    to_u32(refill.vote_seats),
                    &|left| LotReason::CandidateSeat {
                        party: party_number,
                        seats_left: left,
                    },
                    &|p| view.lot_choice(p),
                    // The step that resolves the duplicate names the successor.
                    &|_, _| None,
                    lots,
                    steps,
                )?;
                for pick in &picks {
                    holders[li].push(Holder {
                        person: pick.person,
                        by: ElectedBy::CandidateSeat,
                    });
                    refill.by_votes.push(Some(pick.person));
                }
                let missing = refill.vote_seats - refill.by_votes.len();
                refill.by_votes.extend(std::iter::repeat_n(None, missing));
                refill.by_votes.reverse();
            }
        }

        // Those marked are holders still (the refill only added holders).
        for h in holders.iter().flatten() {
            elected[h.person] = false;
        }

        for r in resolved.iter() {
            let released = freed[r.seats.clone()]
                .iter()
                .map(|(e, by)| {
                    let refill = &mut refills[e.list];
                    let queue = if *by == ElectedBy::CandidateSeat {
                        &mut refill.by_votes
                    } else {
                        &mut refill.by_order
                    };
                    ReleasedSeat {
                        list: view.list_ref(e.list),
                        votes: e.votes,
                        successor: queue.pop().flatten().map(|p| Successor {
                            position: view.entry(p, e.list).map_or(0, |x| x.position),
                            name: CandidateName::from(view.persons()[p].name),
                        }),
                    }
                })
                .collect();
            steps.push(Step::Candidate(CandidateStep::DuplicateResolved {
                article,
                round,
                name: CandidateName::from(view.persons()[r.person].name),
                kept: view.list_ref(r.kept.list),
                kept_votes: r.kept.votes,
                tie_by_kieskring: r.tie,
                released,
            }));
        }
    }
}

/// Reports seats that no candidate could take; returns how many.
pub(crate) fn report_unfilled(
    view: &PartyView<'_>,
    list_seats: &[u32],
    holders: &[Vec<Holder>],
    article: &'static str,
    steps: &mut Vec<Step>,
) -> u32 {
    let mut total = 0;
    for (li, hs) in holders.iter().enumerate() {
        let seats = list_seats[li];
        let unfilled = seats.saturating_sub(to_u32(hs.len()));
        if unfilled > 0 {
            total += unfilled;
            steps.push(Step::Candidate(CandidateStep::SeatUnfilled {
                article,
                list: view.list_ref(li),
                list_seats: seats,
                unfilled,
            }));
        }
    }
    total
}
