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
mod proposal;
mod step;
#[cfg(test)]
mod tests;

pub use step::{CandidateRef, CandidateStep, ListRef, Placement, ReleasedSeat};

use std::collections::{BTreeMap, HashMap, HashSet};

use crate::fraction::Fraction;
use crate::lots::{LotBox, LotReason, LotStop};
use crate::model::{Election, LotChoice, Party, SplitRounding};
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
    pub name: String,
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
    let mut out = CandidateAssignment {
        elected: Vec::new(),
        rankings: Vec::new(),
        list_seats: Vec::new(),
        assumption: None,
        unfilled_seats: 0,
    };
    if let CandidateSelection::PreferenceThenListOrder = rules.candidate_selection {
        steps.push(threshold_step(rules, seats.kiesdeler));
    }
    for (pi, party) in election.parties.iter().enumerate() {
        let view = PartyView::new(party, pi, seats, steps);
        let party_out = match rules.candidate_selection {
            CandidateSelection::PreferenceThenListOrder => {
                current::assign_party(&view, rules, seats.kiesdeler, lots, steps)?
            }
            CandidateSelection::ListSeatsThenCandidateSeats(rounding) => {
                proposal::assign_party(&view, rounding, lots, steps)?
            }
        };
        out.elected.extend(party_out.elected);
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

fn threshold_step(rules: &Rules, kiesdeler: Fraction) -> Step {
    let threshold = rules.preference_threshold(kiesdeler);
    let minimum = if rules.preference_threshold_strict {
        threshold.smallest_integer_above()
    } else {
        threshold.ceil()
    };
    Step::Candidate(CandidateStep::PreferenceThreshold {
        article: rules.articles.preference,
        percent: rules.preference_threshold_percent,
        kiesdeler,
        threshold,
        threshold_decimal: threshold.to_dutch_decimal(2),
        strict: rules.preference_threshold_strict,
        minimum_votes: u64::try_from(minimum).unwrap_or(u64::MAX),
    })
}

/// What one party's candidate assignment yields.
pub(crate) struct PartyOutcome {
    pub elected: Vec<ElectedCandidate>,
    pub ranking: Vec<RankedCandidate>,
    pub list_seats: Vec<u32>,
    pub unfilled: u32,
}

/// One entry of a person on a list of the party.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Entry {
    pub list: usize,
    pub position: u32,
    pub votes: u64,
}

/// A living candidate of the party, with all lists on which he or she stands.
#[derive(Clone, Debug)]
pub(crate) struct Person {
    pub name: String,
    /// Votes on the joint lists of the party (P 15 "op de gezamenlijke lijsten").
    pub total: u64,
    /// Entries by list index.
    pub entries: Vec<Entry>,
}

/// A party prepared for the candidate rules: persons (identity = `person_key`), deceased left
/// out (P 19a), and the seats per list.
pub(crate) struct PartyView<'a> {
    pub party: &'a Party,
    pub persons: Vec<Person>,
    /// Per list: the living persons on it, in list order.
    pub by_list: Vec<Vec<usize>>,
    /// Seats of the party (P 5–P 10).
    pub seats: u32,
    /// Seats per list (P 12/P 13); one entry for a party without a group.
    pub list_seats: Vec<u32>,
    /// List indices in the order P 12/P 13 gave them seats (P 16 lid 2).
    pub group_order: Vec<usize>,
}

impl<'a> PartyView<'a> {
    pub(crate) fn new(
        party: &'a Party,
        index: usize,
        seats: &SeatAssignment,
        steps: &mut Vec<Step>,
    ) -> Self {
        let party_seats = seats.party_seats.get(index).copied().unwrap_or(0);
        let list_seats = match seats.list_seats.get(index) {
            Some(ls) if ls.len() == party.lists.len() => ls.clone(),
            _ => {
                // One list: it has all the party's seats. For a group the seat part always
                // gives one entry per list; without it, the seats stay on the first list.
                let mut ls = vec![0; party.lists.len()];
                if let Some(first) = ls.first_mut() {
                    *first = party_seats;
                }
                ls
            }
        };
        let group_order = seats
            .group_seat_order
            .get(index)
            .cloned()
            .unwrap_or_default();

        // P 19a: a person is deceased when any of his or her entries says so.
        let deceased: HashSet<&str> = party
            .lists
            .iter()
            .flat_map(|l| &l.candidates)
            .filter(|c| c.deceased)
            .map(crate::Candidate::person_key)
            .collect();
        let mut persons: Vec<Person> = Vec::new();
        let mut ids: HashMap<&str, usize> = HashMap::new();
        let mut by_list = vec![Vec::new(); party.lists.len()];
        let mut reported: HashSet<&str> = HashSet::new();
        for (li, list) in party.lists.iter().enumerate() {
            let mut cands: Vec<&crate::Candidate> = list.candidates.iter().collect();
            cands.sort_by_key(|c| c.position);
            for c in cands {
                let key = c.person_key();
                if deceased.contains(key) {
                    if reported.insert(key) {
                        steps.push(Step::Candidate(CandidateStep::DeceasedIgnored {
                            candidate: CandidateRef {
                                list: list_ref(party, li),
                                position: c.position,
                                name: c.name.clone(),
                            },
                        }));
                    }
                    continue;
                }
                let entry = Entry {
                    list: li,
                    position: c.position,
                    votes: c.votes,
                };
                let pi = *ids.entry(key).or_insert_with(|| {
                    persons.push(Person {
                        name: c.name.clone(),
                        total: 0,
                        entries: Vec::new(),
                    });
                    persons.len() - 1
                });
                persons[pi].total += c.votes;
                persons[pi].entries.push(entry);
                by_list[li].push(pi);
            }
        }
        PartyView {
            party,
            persons,
            by_list,
            seats: party_seats,
            list_seats,
            group_order,
        }
    }

    pub(crate) fn is_group(&self) -> bool {
        self.party.lists.len() > 1
    }

    pub(crate) fn list_ref(&self, li: usize) -> ListRef {
        list_ref(self.party, li)
    }

    /// The person's entry on list `li`, if he or she stands on it.
    pub(crate) fn entry(&self, person: usize, li: usize) -> Option<Entry> {
        self.persons[person]
            .entries
            .iter()
            .find(|e| e.list == li)
            .copied()
    }

    /// The person's entry on the first list of the party on which he or she stands.
    pub(crate) fn first(&self, person: usize) -> Entry {
        self.persons[person].entries[0]
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
            name: self.persons[person].name.clone(),
        }
    }

    /// How a lot names this person: party number and position on the first list.
    pub(crate) fn lot_choice(&self, person: usize) -> LotChoice {
        LotChoice::Candidate {
            list: self.party.number,
            position: self.first(person).position,
        }
    }

    /// The lowest kieskring number of a list (P 16, P 18 tie-break), then its index.
    fn kieskring_key(&self, li: usize) -> (u32, usize) {
        let lowest = self.party.lists[li]
            .kieskringen
            .iter()
            .copied()
            .min()
            .unwrap_or(u32::MAX);
        (lowest, li)
    }

    /// The person's entries from most votes to fewest; equal votes: lowest kieskring number.
    pub(crate) fn lists_by_votes(&self, person: usize) -> Vec<Entry> {
        let mut es = self.persons[person].entries.clone();
        es.sort_by_key(|e| (std::cmp::Reverse(e.votes), self.kieskring_key(e.list)));
        es
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
    let mut picks: Vec<Pick> = Vec::new();
    let mut left = seats;
    let mut i = 0;
    while i < pool.len() && left > 0 {
        let votes = pool[i].1;
        let j = i + pool[i..].iter().take_while(|x| x.1 == votes).count();
        let mut group: Vec<usize> = pool[i..j].iter().map(|x| x.0).collect();
        if group.len() <= left as usize {
            let tied = to_u32(group.len() - 1);
            for person in group {
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
    let party_number = view.party.number;
    let mut round = 0u32;
    loop {
        let mut on: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (li, hs) in holders.iter().enumerate() {
            for h in hs {
                on.entry(h.person).or_default().push(li);
            }
        }
        let mut dups: Vec<(usize, Vec<usize>)> =
            on.into_iter().filter(|(_, ls)| ls.len() > 1).collect();
        // Each round elects at least one new person, so this ends; the bound is a safeguard.
        if dups.is_empty() || round as usize > view.persons.len() {
            return Ok(());
        }
        dups.sort_by_key(|(p, _)| view.order_key(*p));
        round += 1;

        // Lid 1: keep the list with the most votes; free the other seats.
        let mut resolved: Vec<Resolved> = Vec::new();
        let mut freed_on: Vec<Vec<ElectedBy>> = vec![Vec::new(); holders.len()];
        for (person, lists) in dups {
            let ranked: Vec<Entry> = view
                .lists_by_votes(person)
                .into_iter()
                .filter(|e| lists.contains(&e.list))
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
        let elected: HashSet<usize> = holders.iter().flatten().map(|h| h.person).collect();
        // Per list and kind: the successors, in the order the seats were freed.
        let mut successors: Vec<HashMap<bool, Vec<Option<usize>>>> =
            vec![HashMap::new(); holders.len()];
        for (li, kinds) in freed_on.iter().enumerate() {
            if kinds.is_empty() {
                continue;
            }
            let by_votes = |k: &&ElectedBy| **k == ElectedBy::CandidateSeat;
            let n_vote = kinds.iter().filter(by_votes).count();
            let n_order = kinds.len() - n_vote;
            let avail: Vec<usize> = view.by_list[li]
                .iter()
                .copied()
                .filter(|p| !elected.contains(p))
                .collect();
            let order_picks: Vec<usize> = avail.iter().copied().take(n_order).collect();
            let order_kind = kinds
                .iter()
                .copied()
                .find(|k| *k != ElectedBy::CandidateSeat)
                .unwrap_or(ElectedBy::ListOrder);
            for &p in &order_picks {
                holders[li].push(Holder {
                    person: p,
                    by: order_kind,
                });
            }
            let mut list_succ: Vec<Option<usize>> = order_picks.iter().copied().map(Some).collect();
            list_succ.resize(n_order, None);
            successors[li].insert(false, list_succ);
            if n_vote > 0 {
                let mut pool: Vec<(usize, u64)> = avail
                    .iter()
                    .copied()
                    .filter(|p| !order_picks.contains(p))
                    .filter_map(|p| view.entry(p, li).map(|e| (p, e.votes)))
                    .collect();
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
                let mut vote_succ: Vec<Option<usize>> = Vec::new();
                for pick in picks {
                    holders[li].push(Holder {
                        person: pick.person,
                        by: ElectedBy::CandidateSeat,
                    });
                    vote_succ.push(Some(pick.person));
                }
                vote_succ.resize(n_vote, None);
                successors[li].insert(true, vote_succ);
            }
        }

        for r in resolved {
            let released = r
                .freed
                .iter()
                .map(|(e, by)| {
                    let queue = successors[e.list]
                        .get_mut(&(*by == ElectedBy::CandidateSeat))
                        .expect("a queue exists for every freed kind");
                    let successor = if queue.is_empty() {
                        None
                    } else {
                        queue.remove(0)
                    };
                    ReleasedSeat {
                        list: view.list_ref(e.list),
                        votes: e.votes,
                        successor: successor.map(|p| view.cand_ref(p, e.list)),
                    }
                })
                .collect();
            steps.push(Step::Candidate(CandidateStep::DuplicateResolved {
                article,
                round,
                name: view.persons[r.person].name.clone(),
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
