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
//! 6. P 19: the ranking per list (lid 1–4; leden 1, 3 and 4 only for the Eerste Kamer).
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
pub use step::{CandidateRef, CandidateStep, ListRef, Placement, ReleasedSeat};

use std::borrow::Cow;

use crate::fasthash::FastMap;
use crate::fraction::Fraction;
use crate::lots::{LotBox, LotReason, LotStop};
use crate::model::{Candidate, Election, LotChoice, Party, SplitRounding};
use crate::rules::{CandidateSelection, Rules};
use crate::seats::SeatAssignment;
use crate::steps::Step;

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

/// A candidate in the P 19 ranking of one list.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct RankedCandidate {
    /// Rank on the list `list_index` (P 19 ranks per list; 1 = first).
    pub rank: u32,
    pub list_index: usize,
    /// Position on that list.
    pub position: u32,
    /// The name (stored inline when short: a ranking lists every candidate).
    pub name: CandidateName,
    /// Votes on the joint lists of the party.
    pub votes: u64,
    /// Elected (on this or another list of the party).
    pub elected: bool,
    /// Reached the preference threshold.
    pub above_threshold: bool,
}

/// What the candidate part returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CandidateAssignment {
    /// Elected candidates, per party in P 19 order, parties in ballot order.
    pub elected: Vec<ElectedCandidate>,
    /// P 19 ranking per party number: the ranking of each list of the party, lists in order.
    pub rankings: Vec<(u32, Vec<RankedCandidate>)>,
    /// Seats per party per list after P 16 lid 2.
    pub list_seats: Vec<Vec<u32>>,
    /// An assumption not fixed by law text (e.g. the proposal's split rounding).
    pub assumption: Option<String>,
    /// Seats that no candidate could take (a list ran out of candidates).
    pub unfilled_seats: u32,
}

pub(crate) fn assign_candidates(
    election: &Election,
    rules: &Rules,
    seats: &SeatAssignment,
    lots: &mut LotBox<'_>,
    steps: &mut Vec<Step>,
) -> Result<CandidateAssignment, LotStop> {
    let n = election.parties.len();
    let mut out = CandidateAssignment {
        elected: Vec::with_capacity(rules.seats as usize),
        rankings: Vec::with_capacity(n),
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
    let mut buffers = ViewBuffers::default();
    for (pi, party) in election.parties.iter().enumerate() {
        let view = PartyView::new(party, pi, seats, steps, buffers);
        let party_out = match rules.candidate_selection {
            CandidateSelection::PreferenceThenListOrder => {
                current::assign_party(&view, rules, minimum, &mut out.elected, lots, steps)?
            }
            CandidateSelection::ListSeatsThenCandidateSeats(rounding) => {
                proposal::assign_party(&view, rounding, &mut out.elected, lots, steps)?
            }
        };
        buffers = view.into_buffers();
        out.rankings.push((party.number, party_out.ranking));
        out.list_seats.push(party_out.list_seats);
        out.unfilled_seats += party_out.unfilled;
    }
    if let CandidateSelection::ListSeatsThenCandidateSeats(rounding) = rules.candidate_selection {
        let groups = election.parties.iter().any(|p| p.lists.len() > 1);
        out.assumption = Some(proposal_assumption(rounding, groups));
    }
    Ok(out)
}

/// The Dutch statement of what the proposal run assumes.
pub(crate) fn proposal_assumption(rounding: SplitRounding, groups: bool) -> String {
    let mut s = format!(
        "Dit is het wetsvoorstel ‘Met één stem meer keus’; het is geen geldend recht. Binnen \
         elke partij zijn de zetels verdeeld in lijstzetels en kandidaatszetels, naar \
         verhouding van de lijststemmen en de kandidaatsstemmen. Afronding: {}. De lijstzetels \
         gaan naar de kandidaten in de volgorde van de lijst. Daarna gaan de kandidaatszetels \
         naar de overige kandidaten met de meeste kandidaatsstemmen, zonder voorkeurdrempel; \
         bij gelijke aantallen beslist zo nodig het lot.",
        step::rounding_nl(rounding)
    );
    if groups {
        s.push_str(
            " Het voorstel schaft de lijsten per kieskring af. Voor een partij met meer lijsten \
             (een lijstengroep) is de splitsing hier per lijst toegepast, na de verdeling van \
             de zetels over de lijsten volgens artikel P 12. Een kandidaat die zo op meer \
             lijsten is gekozen, blijft gekozen op de lijst met de meeste stemmen, net als in \
             artikel P 18.",
        );
    }
    s.push_str(
        " Het voorstel regelt de volgorde voor latere opvolging niet. De rangschikking hier zet \
         eerst de gekozenen in de volgorde van toewijzing, daarna de overige kandidaten in de \
         volgorde van de lijst.",
    );
    s
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

/// What one party's candidate assignment yields (its elected go straight into the run's list).
pub(crate) struct PartyOutcome {
    pub ranking: Vec<RankedCandidate>,
    pub list_seats: Vec<u32>,
    pub unfilled: u32,
}

/// One entry of a person on a list of the party.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub(crate) struct Entry {
    pub list: usize,
    pub position: u32,
    pub votes: u64,
}

/// A living candidate of the party, with all lists on which he or she stands.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Person<'a> {
    /// The name on the first list (in list order) on which the person stands.
    pub name: &'a str,
    /// Votes on the joint lists of the party (P 15 "op de gezamenlijke lijsten").
    pub total: u64,
    /// The person's entries are `entries[start..start + len]`, by list index.
    start: usize,
    len: usize,
}

/// A living person on one list, with his or her position and votes there.
#[derive(Clone, Copy, Debug)]
pub(crate) struct OnList {
    pub person: usize,
    pub position: u32,
    pub votes: u64,
}

/// The working memory of a [`PartyView`]. It passes from one party to the next, so that a run
/// allocates it once rather than once per party.
#[derive(Default)]
pub(crate) struct ViewBuffers<'a> {
    persons: Vec<Person<'a>>,
    entries: Vec<Entry>,
    /// Per list, in list order: the living persons on it (`on_list[on_list_start[li]..]`).
    on_list: Vec<OnList>,
    on_list_start: Vec<usize>,
    /// All candidates of the party, list by list, each list in position order.
    ordered: Vec<&'a Candidate>,
    ordered_start: Vec<usize>,
    /// Per entry of `ordered`: the number of its person key.
    key_ids: Vec<usize>,
    /// Per person key: the entry of `ordered` where it first occurs, and whether any entry
    /// with the key is marked deceased (P 19a).
    key_first: Vec<usize>,
    key_deceased: Vec<bool>,
    /// Per person key: the index into `persons`, `None` for a deceased person.
    key_person: Vec<Option<usize>>,
    /// Per list: its lowest kieskring number (`u32::MAX` without kieskringen).
    lowest_kieskring: Vec<u32>,
    keys: FastMap<&'a str, usize>,
}

/// A party prepared for the candidate rules: persons (identity = `person_key`), deceased left
/// out (P 19a), and the seats per list.
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
        party: &'a Party,
        index: usize,
        seats: &'a SeatAssignment,
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

        b.persons.clear();
        b.entries.clear();
        b.on_list.clear();
        b.on_list_start.clear();
        b.lowest_kieskring.clear();
        b.lowest_kieskring.extend(
            party
                .lists
                .iter()
                .map(|l| l.kieskringen.iter().copied().min().unwrap_or(u32::MAX)),
        );
        if party.lists.len() == 1 {
            b.load_single_list(party, steps);
        } else {
            b.load_group(party, steps);
        }
        PartyView {
            party,
            seats: party_seats,
            list_seats,
            group_order,
            b,
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

    /// The living persons on list `li`, in list order.
    pub(crate) fn by_list(&self, li: usize) -> &[OnList] {
        &self.b.on_list[self.b.on_list_start[li]..self.b.on_list_start[li + 1]]
    }

    /// The number of entries of living persons on all lists together.
    pub(crate) fn entry_count(&self) -> usize {
        self.b.on_list.len()
    }

    /// The person's entries, by list index.
    pub(crate) fn entries(&self, person: usize) -> &[Entry] {
        let p = &self.b.persons[person];
        &self.b.entries[p.start..p.start + p.len]
    }

    pub(crate) fn list_ref(&self, li: usize) -> ListRef {
        list_ref(self.party, li)
    }

    /// The person's entry on list `li`, if he or she stands on it.
    pub(crate) fn entry(&self, person: usize, li: usize) -> Option<Entry> {
        self.entries(person).iter().find(|e| e.list == li).copied()
    }

    /// The person's entry on the first list of the party on which he or she stands.
    pub(crate) fn first(&self, person: usize) -> Entry {
        self.entries(person)[0]
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
            name: self.b.persons[person].name.to_string(),
        }
    }

    /// How a lot names this person: party number and position on the first list.
    pub(crate) fn lot_choice(&self, person: usize) -> LotChoice {
        LotChoice::Candidate {
            list: self.party.number,
            position: self.first(person).position,
        }
    }

    /// The person's entries from most votes to fewest; equal votes: lowest kieskring number
    /// (P 16, P 18), then list index.
    pub(crate) fn lists_by_votes(&self, person: usize) -> Vec<Entry> {
        let mut es = self.entries(person).to_vec();
        es.sort_by_key(|e| {
            (
                std::cmp::Reverse(e.votes),
                self.b.lowest_kieskring[e.list],
                e.list,
            )
        });
        es
    }
}

/// P 19a: the step that leaves a deceased candidate out.
fn deceased_step(party: &Party, li: usize, c: &Candidate) -> Step {
    Step::Candidate(CandidateStep::DeceasedIgnored {
        candidate: CandidateRef {
            list: list_ref(party, li),
            position: c.position,
            name: c.name.clone(),
        },
    })
}

impl<'a> ViewBuffers<'a> {
    /// A party with one list: each living candidate is a person, because validation makes the
    /// person keys on one list distinct.
    fn load_single_list(&mut self, party: &'a Party, steps: &mut Vec<Step>) {
        let list = &party.lists[0];
        self.on_list_start.push(0);
        self.persons.reserve(list.candidates.len());
        self.entries.reserve(list.candidates.len());
        self.on_list.reserve(list.candidates.len());
        if list.candidates.is_sorted_by_key(|c| c.position) {
            for c in &list.candidates {
                self.add_single(party, c, steps);
            }
        } else {
            let mut sorted: Vec<&Candidate> = list.candidates.iter().collect();
            sorted.sort_by_key(|c| c.position);
            for c in sorted {
                self.add_single(party, c, steps);
            }
        }
        self.on_list_start.push(self.on_list.len());
    }

    fn add_single(&mut self, party: &Party, c: &'a Candidate, steps: &mut Vec<Step>) {
        if c.deceased {
            steps.push(deceased_step(party, 0, c));
            return;
        }
        let p = self.persons.len();
        self.persons.push(Person {
            name: &c.name,
            total: c.votes,
            start: p,
            len: 1,
        });
        self.entries.push(Entry {
            list: 0,
            position: c.position,
            votes: c.votes,
        });
        self.on_list.push(OnList {
            person: p,
            position: c.position,
            votes: c.votes,
        });
    }

    /// A lijstengroep: entries with equal person keys are one person ("op de gezamenlijke
    /// lijsten", P 15), deceased when any entry says so (P 19a).
    fn load_group(&mut self, party: &'a Party, steps: &mut Vec<Step>) {
        let lists = party.lists.len();
        // Every candidate in list order: list by list, each list by position.
        self.ordered.clear();
        self.ordered_start.clear();
        for list in &party.lists {
            let from = self.ordered.len();
            self.ordered_start.push(from);
            self.ordered.extend(&list.candidates);
            let on_this = &mut self.ordered[from..];
            if !on_this.is_sorted_by_key(|c| c.position) {
                on_this.sort_by_key(|c| c.position);
            }
        }
        self.ordered_start.push(self.ordered.len());

        // Number the person keys.
        self.key_ids.clear();
        self.key_first.clear();
        self.key_deceased.clear();
        self.keys.clear();
        for li in 0..lists {
            let from = self.ordered_start[li];
            let previous = if li == 0 {
                0..0
            } else {
                self.ordered_start[li - 1]..from
            };
            for k in from..self.ordered_start[li + 1] {
                let c = self.ordered[k];
                let key = c.person_key();
                // The lists of a group mostly repeat the same persons in the same order: the
                // entry at the same place on the list before is tried first, without hashing.
                let twin = previous.start + (k - from);
                let id = if twin < previous.end && self.ordered[twin].person_key() == key {
                    self.key_ids[twin]
                } else {
                    let next = self.key_first.len();
                    let id = *self.keys.entry(key).or_insert(next);
                    if id == next {
                        self.key_first.push(k);
                        self.key_deceased.push(false);
                    }
                    id
                };
                self.key_deceased[id] |= c.deceased;
                self.key_ids.push(id);
            }
        }

        // The living persons, numbered in order of their first entry.
        self.key_person.clear();
        let any_deceased = self.key_deceased.contains(&true);
        let mut reported = vec![
            false;
            if any_deceased {
                self.key_first.len()
            } else {
                0
            }
        ];
        for (&first, &deceased) in self.key_first.iter().zip(&self.key_deceased) {
            if deceased {
                self.key_person.push(None);
            } else {
                self.key_person.push(Some(self.persons.len()));
                self.persons.push(Person {
                    name: &self.ordered[first].name,
                    total: 0,
                    start: 0,
                    len: 0,
                });
            }
        }
        // Each list's living persons in list order, with totals and entry counts per person;
        // P 19a's step names a deceased person's first entry.
        for li in 0..lists {
            self.on_list_start.push(self.on_list.len());
            for k in self.ordered_start[li]..self.ordered_start[li + 1] {
                let c = self.ordered[k];
                let key = self.key_ids[k];
                let Some(p) = self.key_person[key] else {
                    if !reported[key] {
                        reported[key] = true;
                        steps.push(deceased_step(party, li, c));
                    }
                    continue;
                };
                let person = &mut self.persons[p];
                person.total += c.votes;
                person.len += 1;
                self.on_list.push(OnList {
                    person: p,
                    position: c.position,
                    votes: c.votes,
                });
            }
        }
        self.on_list_start.push(self.on_list.len());

        // The entries person by person, each person's by list.
        let mut start = 0;
        for person in &mut self.persons {
            person.start = start;
            start += person.len;
            person.len = 0;
        }
        self.entries.resize(self.on_list.len(), Entry::default());
        for li in 0..lists {
            for x in &self.on_list[self.on_list_start[li]..self.on_list_start[li + 1]] {
                let person = &mut self.persons[x.person];
                self.entries[person.start + person.len] = Entry {
                    list: li,
                    position: x.position,
                    votes: x.votes,
                };
                person.len += 1;
            }
        }
    }
}

pub(crate) fn list_ref(party: &Party, li: usize) -> ListRef {
    ListRef {
        party: party.number,
        index: li,
        in_group: party.lists.len() > 1,
        kieskringen: party.lists[li].kieskringen.clone(),
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
    lots: &mut LotBox<'_>,
    steps: &mut Vec<Step>,
) -> Result<(), LotStop> {
    struct Resolved {
        person: usize,
        kept: Entry,
        tie: bool,
        freed: Vec<(Entry, ElectedBy)>,
    }
    /// The successors on one list, in the order the seats were freed, per kind of seat
    /// (list order, candidate votes); kept back to front, so the next one is popped.
    #[derive(Clone, Default)]
    struct Successors {
        by_order: Vec<Option<usize>>,
        by_votes: Vec<Option<usize>>,
    }
    let party_number = view.party.number;
    let persons = view.persons().len();
    // Per person: seats held (on any list), and whether elected after lid 1 of a round.
    let mut held = vec![0u32; persons];
    let mut elected = vec![false; persons];
    let mut successors: Vec<Successors> = vec![Successors::default(); holders.len()];
    let mut round = 0u32;
    loop {
        held.fill(0);
        for h in holders.iter().flatten() {
            held[h.person] += 1;
        }
        let mut dups: Vec<usize> = (0..persons).filter(|&p| held[p] > 1).collect();
        // Each round elects at least one new person, so this ends; the bound is a safeguard.
        if dups.is_empty() || round as usize > persons {
            return Ok(());
        }
        // The order of the list (order keys are distinct).
        dups.sort_unstable_by_key(|&p| view.order_key(p));
        round += 1;

        // Lid 1: keep the list with the most votes; free the other seats.
        let mut resolved: Vec<Resolved> = Vec::with_capacity(dups.len());
        let mut freed_on: Vec<Vec<ElectedBy>> = vec![Vec::new(); holders.len()];
        for person in dups {
            // The lists on which the person holds a seat (freeing another person's seats
            // before does not change them).
            let ranked: Vec<Entry> = view
                .lists_by_votes(person)
                .into_iter()
                .filter(|e| holders[e.list].iter().any(|h| h.person == person))
                .collect();
            let kept = ranked[0];
            let tie = ranked.get(1).is_some_and(|e| e.votes == kept.votes);
            let mut freed = Vec::new();
            for e in &ranked[1..] {
                let hs = &mut holders[e.list];
                if let Some(k) = hs.iter().position(|h| h.person == person) {
                    let h = hs.remove(k);
                    freed_on[e.list].push(h.by);
                    freed.push((*e, h.by));
                }
            }
            resolved.push(Resolved {
                person,
                kept,
                tie,
                freed,
            });
        }

        // Lid 2: refill every freed seat from the candidates not elected on any list now.
        elected.fill(false);
        for h in holders.iter().flatten() {
            elected[h.person] = true;
        }
        for (li, kinds) in freed_on.iter().enumerate() {
            let queue = &mut successors[li];
            queue.by_order.clear();
            queue.by_votes.clear();
            if kinds.is_empty() {
                continue;
            }
            let n_vote = kinds
                .iter()
                .filter(|k| **k == ElectedBy::CandidateSeat)
                .count();
            let n_order = kinds.len() - n_vote;
            // Who is not elected now, in list order; `elected` stays as it was after lid 1
            // while the freed seats of this round are refilled.
            let mut avail = view
                .by_list(li)
                .iter()
                .filter(|x| !elected[x.person])
                .map(|x| (x.person, x.votes));
            let order_kind = kinds
                .iter()
                .copied()
                .find(|k| *k != ElectedBy::CandidateSeat)
                .unwrap_or(ElectedBy::ListOrder);
            let mut taken = Vec::new();
            for (p, _) in avail.by_ref().take(n_order) {
                holders[li].push(Holder {
                    person: p,
                    by: order_kind,
                });
                taken.push(Some(p));
            }
            queue.by_order.resize(n_order - taken.len(), None);
            queue.by_order.extend(taken.iter().rev());
            if n_vote > 0 {
                let mut pool: Vec<(usize, u64)> = avail.collect();
                pool.sort_by_key(|&(p, v)| (std::cmp::Reverse(v), view.order_key(p)));
                let picks = pick_by_votes(
                    &pool,
                    to_u32(n_vote),
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
                }
                let queue = &mut successors[li];
                queue.by_votes.resize(n_vote - picks.len(), None);
                queue
                    .by_votes
                    .extend(picks.iter().rev().map(|pick| Some(pick.person)));
            }
        }

        for r in resolved {
            let released = r
                .freed
                .iter()
                .map(|(e, by)| {
                    let queue = &mut successors[e.list];
                    let queue = if *by == ElectedBy::CandidateSeat {
                        &mut queue.by_votes
                    } else {
                        &mut queue.by_order
                    };
                    ReleasedSeat {
                        list: view.list_ref(e.list),
                        votes: e.votes,
                        successor: queue.pop().flatten().map(|p| view.cand_ref(p, e.list)),
                    }
                })
                .collect();
            steps.push(Step::Candidate(CandidateStep::DuplicateResolved {
                article,
                round,
                name: view.persons()[r.person].name.to_string(),
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
