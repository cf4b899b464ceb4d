//! Seat margins: for each party the exact number of extra votes (all other parties unchanged)
//! that gives it one more seat, and the number of votes it can lose and still keep all its seats.
//!
//! Exact, not sampled: the seat part of the engine (P 5–P 10) is rerun on changed stemcijfers.
//! A party's seats never fall when only its own votes rise (see the property tests), so the
//! smallest such number is found by a search over integers, started at the value that pure
//! largest averages would need (usually exact, so two runs suffice).
//!
//! Ties: a margin counts a seat only when it is certain. Where a changed count would make a lot
//! decide, every outcome of the lot is tried and the fewest seats count (so a lot between two
//! other parties does not make a seat uncertain, but one the party could lose does). Recorded
//! lots of the real election are not replayed: they belong to the real counts.

use std::collections::BinaryHeap;
use std::sync::Arc;

use crate::fraction::Fraction;
use crate::input_error::{InputError, Problem};
use crate::lots::{LotBox, LotReason, LotStop};
use crate::model::{Candidate, Election, List, LotChoice, Party};
use crate::rules::Rules;
use crate::seats::SeatStep;
use crate::steps::Step;
use crate::validate::validate;
use crate::{MAX_VOTES, seats};

/// How many seat runs one margin probe may spend on trying lot outcomes.
const MAX_LOT_BRANCHES: u32 = 512;

/// The margin of one party.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Margin {
    pub number: u32,
    /// Seats in the real result (with the recorded lots).
    pub seats: u32,
    /// Smallest number of extra votes that certainly gives one more seat; `None` when no number
    /// of votes can (the list has no more living candidates, P 10).
    pub gain: Option<u64>,
    /// Largest number of votes the party can lose and still certainly keep all its seats;
    /// `None` for a party without seats.
    pub lose: Option<u64>,
}

/// Margins for all parties, in ballot order.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Margins {
    pub parties: Vec<Margin>,
    /// The party that would get seat S + 1 by continued application of the restzetel method.
    pub next_seat: Option<u32>,
}

/// Computes the margins of every party. A lot that the real result needs but that is not yet
/// recorded is an error here: margins are relative to a complete result.
pub fn margins(election: &Election) -> Result<Margins, InputError> {
    let validated = validate(election)?;
    let rules = Rules::for_election(election);
    let real = {
        // A lot between the lists of one group (P 12) does not change any party's seats: take
        // any outcome for it, so margins need only the lots that matter between parties.
        let mut drawn = election.lots.clone();
        let result = loop {
            let mut lots = LotBox::new(&drawn);
            let seats = seats::assign_seats(
                election,
                Some(&validated),
                &rules,
                &mut lots,
                &mut Vec::new(),
            );
            match seats {
                Err(LotStop::Required(LotReason::GroupSeat { .. }, options))
                    if drawn.len() == lots.used() && !options.is_empty() =>
                {
                    drawn.push(options[0].clone());
                }
                other => break other,
            }
        };
        result.map_err(|stop| {
            InputError::new(
                "lots",
                match stop {
                    LotStop::Required(reason, _) => Problem::MarginsNeedLot { reason },
                    LotStop::Invalid { recorded, .. } => Problem::MarginsLotDoesNotFit { recorded },
                },
            )
        })?
    };
    let mut probe = Probe::new(election, rules);
    let parties = (0..election.parties.len())
        .map(|i| {
            let seats = real.party_seats[i];
            Margin {
                number: election.parties[i].number,
                seats,
                gain: probe.gain(i, seats),
                lose: probe.lose(i, seats),
            }
        })
        .collect();
    Ok(Margins {
        parties,
        next_seat: real.next_seat,
    })
}

/// The election as the seat part (P 5–P 10) sees it, with stemcijfers `votes` (one per party):
/// each party is one list whose stemcijfer is carried in `list_votes`, with as many nameless
/// candidates as it has living persons, so that P 10 sees the same capacity. No lots are
/// recorded. For fast reruns of the seats alone (margins, what-if); candidates are not kept.
pub fn seat_probe(election: &Election, votes: &[u64]) -> Election {
    let parties = election
        .parties
        .iter()
        .zip(votes)
        .map(|(p, &v)| Party {
            number: p.number,
            name: p.name.clone(),
            lists: vec![List {
                kieskringen: Arc::default(),
                list_votes: v,
                candidates: (1..=p.living_persons())
                    .map(|position| Candidate {
                        position,
                        name: position.to_string(),
                        person: position - 1,
                        votes: 0,
                        deceased: false,
                    })
                    .collect(),
            }],
        })
        .collect();
    Election {
        parties,
        lots: Vec::new(),
        ..election.clone()
    }
}

/// The [`seat_probe`] of the election for fast reruns, with each party's stemcijfer and
/// capacity (living persons, P 10). Only party-level seats are read from the reruns.
struct Probe {
    election: Election,
    rules: Rules,
    votes: Vec<u64>,
    capacity: Vec<u32>,
}

impl Probe {
    fn new(election: &Election, rules: Rules) -> Self {
        let votes: Vec<u64> = election.parties.iter().map(Party::votes).collect();
        let election = seat_probe(election, &votes);
        // The probe has one candidate per living person.
        let capacity = election
            .parties
            .iter()
            .map(|p| u32::try_from(p.lists[0].candidates.len()).unwrap_or(u32::MAX))
            .collect();
        Self {
            election,
            rules,
            votes,
            capacity,
        }
    }

    /// Seats of party `i` when its stemcijfer is `votes` (others unchanged) that are certain
    /// whatever any lot brings: the fewest over every outcome of every lot the law would need.
    fn worst_seats(&mut self, i: usize, votes: u64) -> u32 {
        self.election.parties[i].lists[0].list_votes = votes;
        let mut budget = MAX_LOT_BRANCHES;
        let seats = self.fewest_over_lots(i, &mut Vec::new(), &mut budget);
        self.election.parties[i].lists[0].list_votes = self.votes[i];
        seats
    }

    /// P 5–P 13 on the probe's election as it stands (its steps are only looked into, so
    /// the kieskringen are not shared).
    fn assign_seats(
        &self,
        lots: &mut LotBox<'_>,
        steps: &mut Vec<Step>,
    ) -> Result<seats::SeatAssignment, LotStop> {
        seats::assign_seats(&self.election, None, &self.rules, lots, steps)
    }

    fn fewest_over_lots(&self, i: usize, drawn: &mut Vec<LotChoice>, budget: &mut u32) -> u32 {
        if *budget == 0 {
            // Too many lot outcomes to try them all: count nothing as certain.
            return 0;
        }
        *budget -= 1;
        let mut lots = LotBox::new(drawn);
        match self.assign_seats(&mut lots, &mut Vec::new()) {
            Ok(result) => result.party_seats[i],
            Err(LotStop::Required(_, options)) => {
                let mut fewest = u32::MAX;
                for option in options {
                    drawn.push(option);
                    fewest = fewest.min(self.fewest_over_lots(i, drawn, budget));
                    drawn.pop();
                }
                if fewest == u32::MAX { 0 } else { fewest }
            }
            // Options come from the engine itself; an invalid draw cannot happen.
            Err(LotStop::Invalid { .. }) => 0,
        }
    }

    fn total(&self) -> u64 {
        self.votes.iter().sum()
    }

    fn gain(&mut self, i: usize, seats: u32) -> Option<u64> {
        if seats >= self.capacity[i] {
            return None;
        }
        let v = self.votes[i];
        let total = self.total();
        let ceiling = MAX_VOTES
            .saturating_sub(total)
            .min((total + 1).saturating_mul(u64::from(self.election.seats) + 1));
        let guess = self
            .dhondt_bar(i, self.election.seats.saturating_sub(seats))
            .map_or(1, |q| {
                u64::try_from(q.mul_int(u128::from(seats) + 1).floor() + 1)
                    .unwrap_or(u64::MAX)
                    .saturating_sub(v)
            })
            .max(self.eligibility_gap(i))
            .clamp(1, ceiling.max(1));
        let gained = |probe: &mut Self, x: u64| probe.worst_seats(i, v + x) > seats;
        let found = smallest_true(1, ceiling, guess, |x| gained(self, x))?;
        Some(
            if self.exhaustion_at(i, v) || self.exhaustion_at(i, v + found) {
                (1..found).find(|&x| gained(self, x)).unwrap_or(found)
            } else {
                found
            },
        )
    }

    fn lose(&mut self, i: usize, seats: u32) -> Option<u64> {
        if seats == 0 {
            return None;
        }
        let v = self.votes[i];
        let guess = self
            .dhondt_bar(i, self.election.seats + 1 - seats)
            .map_or(v, |q| {
                v.saturating_sub(
                    u64::try_from(q.mul_int(u128::from(seats)).floor()).unwrap_or(u64::MAX),
                )
            })
            .min(v);
        let lost = |probe: &mut Self, y: u64| probe.worst_seats(i, v - y) < seats;
        let found = smallest_true(0, v, guess, |y| lost(self, y));
        let weakest = v - found.unwrap_or(v).min(v);
        let first = if self.exhaustion_at(i, weakest) || self.exhaustion_at(i, v) {
            (0..found.unwrap_or(v + 1).min(v + 1))
                .find(|&y| lost(self, y))
                .or(found)
        } else {
            found
        };
        // The first loss that costs a seat, minus one.
        Some(first.map_or(v, |y| y.saturating_sub(1)))
    }

    /// Whether P 10 takes seats from a list (it has more seats than living candidates) when
    /// party `i` has `votes`. Seats freed by an exhausted list go round again, which can make a
    /// party's seats go up and down as its votes move one way. The fast search assumes they
    /// move one way, so where exhaustion happens at either end of the searched range, the
    /// range is scanned vote by vote up to the boundary the search found. Without exhaustion
    /// a party's seats only rise with its votes (P 6–P 9; checked against a brute-force scan in
    /// the tests).
    fn exhaustion_at(&mut self, i: usize, votes: u64) -> bool {
        self.election.parties[i].lists[0].list_votes = votes;
        // Any outcome of a lot will do here: it moves at most one seat.
        let mut drawn = Vec::new();
        let exhausted = loop {
            let mut lots = LotBox::new(&drawn);
            let mut steps = Vec::new();
            match self.assign_seats(&mut lots, &mut steps) {
                Ok(_) => {
                    break steps
                        .iter()
                        .any(|s| matches!(s, Step::Seat(SeatStep::Exhaustion(_))));
                }
                Err(LotStop::Required(_, options)) if !options.is_empty() => {
                    drawn.push(options[0].clone());
                }
                Err(_) => break true,
            }
        };
        self.election.parties[i].lists[0].list_votes = self.votes[i];
        exhausted
    }

    /// Extra votes party `i` needs before its stemcijfer reaches the share of the kiesdeler
    /// that restzetels require (P 7 lid 2, P 8 lid 2); its own votes raise the kiesdeler too.
    /// A guess only.
    fn eligibility_gap(&self, i: usize) -> u64 {
        let (p, q) = self.rules.residual_eligibility;
        let (p, q) = (u128::from(p), u128::from(q));
        let seats = u128::from(self.election.seats);
        let (v, total) = (u128::from(self.votes[i]), u128::from(self.total()));
        // q·S·(v + x) ≥ p·(T + x)  ⇔  x·(q·S − p) ≥ p·T − q·S·v
        let need = (p * total).saturating_sub(q * seats * v);
        match q * seats - p.min(q * seats) {
            0 => 0,
            per_vote => u64::try_from(need.div_ceil(per_vote)).unwrap_or(u64::MAX),
        }
    }

    /// The `rank`-th largest quotient `votes / k` (k = 1, 2, …) among the other parties: the
    /// value party `i` must beat under pure largest averages. A guess only.
    fn dhondt_bar(&self, i: usize, rank: u32) -> Option<Fraction> {
        let mut heap: BinaryHeap<(Fraction, usize, u128)> = self
            .votes
            .iter()
            .enumerate()
            .filter(|&(j, &v)| j != i && v > 0 && self.capacity[j] > 0)
            .map(|(j, &v)| (Fraction::from_int(u128::from(v)), j, 1))
            .collect();
        let mut last = None;
        for _ in 0..rank {
            let (q, j, k) = heap.pop()?;
            last = Some(q);
            if k < u128::from(self.capacity[j]) {
                heap.push((Fraction::new(u128::from(self.votes[j]), k + 1), j, k + 1));
            }
        }
        last
    }
}

/// The smallest `x` in `lo..=hi` for which the monotone predicate holds (false below some
/// point, true from there on), searching outward from `guess`; `None` if it never holds.
fn smallest_true(lo: u64, hi: u64, guess: u64, mut holds: impl FnMut(u64) -> bool) -> Option<u64> {
    if lo > hi {
        return None;
    }
    let guess = guess.clamp(lo, hi);
    // Find a bracket (below, above] with holds(above) and !holds(below) (or below < lo).
    let (mut below, mut above);
    if holds(guess) {
        above = guess;
        let mut step = 1;
        loop {
            if above == lo {
                return Some(lo);
            }
            let probe = above.saturating_sub(step).max(lo);
            if holds(probe) {
                above = probe;
                step = step.saturating_mul(2);
            } else {
                below = probe;
                break;
            }
        }
    } else {
        below = guess;
        let mut step = 1;
        loop {
            if below == hi {
                return None;
            }
            let probe = below.saturating_add(step).min(hi);
            if holds(probe) {
                above = probe;
                break;
            }
            below = probe;
            step = step.saturating_mul(2);
        }
    }
    while above - below > 1 {
        let mid = below + (above - below) / 2;
        if holds(mid) {
            above = mid;
        } else {
            below = mid;
        }
    }
    Some(above)
}

#[cfg(test)]
mod tests {
    use super::smallest_true;

    #[test]
    fn search_finds_the_boundary_from_any_guess() {
        for boundary in [0u64, 1, 2, 7, 100, 1_000] {
            for guess in [0u64, 1, 5, 99, 100, 101, 5_000] {
                assert_eq!(
                    smallest_true(0, 5_000, guess, |x| x >= boundary),
                    Some(boundary),
                    "boundary {boundary}, guess {guess}"
                );
            }
        }
        assert_eq!(smallest_true(0, 10, 3, |_| false), None);
        assert_eq!(smallest_true(5, 4, 3, |_| true), None);
    }
}
