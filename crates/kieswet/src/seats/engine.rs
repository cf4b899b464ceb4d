//! Seats to parties: P 5–P 10 (U 7–U 10), Pa 25.

use super::{
    AbsoluteMajority, EmptyReason, Excluded, Exclusion, ExhaustedParty, Exhaustion, FullSeatsRow,
    ResidualSeat, SeatStep, Standing, ValueKind,
};
use crate::Fraction;
use crate::lots::{LotBox, LotReason, LotStop};
use crate::model::{Election, LotChoice, Party};
use crate::rules::{Exhaustion as ExhaustionMode, ResidualMethod, Rules};
use crate::steps::Step;
use crate::validate::Validated;

/// The party part of the result.
pub(super) struct PartySeats {
    pub(super) total_votes: u64,
    pub(super) kiesdeler: Fraction,
    pub(super) full: Vec<u32>,
    pub(super) seats: Vec<u32>,
    pub(super) empty: u32,
    pub(super) next_seat: Option<u32>,
    /// Votes and living candidates per list, all parties' lists in a row.
    pub(super) lists: Vec<ListCount>,
    /// Where each party's lists start in `lists` (one extra entry at the end).
    pub(super) list_start: Vec<usize>,
}

/// Votes (stemcijfer) and living candidates of one list, counted in one pass.
#[derive(Clone, Copy, Debug)]
pub(crate) struct ListCount {
    pub(crate) votes: u64,
    pub(crate) living: u32,
}

/// The votes and living candidates of every list, and the living persons of every party.
fn count(parties: &[Party]) -> (Vec<ListCount>, Vec<u32>) {
    let lists: Vec<ListCount> = parties
        .iter()
        .flat_map(|p| &p.lists)
        .map(count_list)
        .collect();
    // A party of one list has as many living persons as living candidates.
    let mut start = 0;
    let caps = parties
        .iter()
        .map(|p| {
            start += p.lists.len();
            match &lists[start - p.lists.len()..start] {
                [one] => one.living,
                _ => p.living_persons(),
            }
        })
        .collect();
    (lists, caps)
}

fn count_list(list: &crate::model::List) -> ListCount {
    let mut votes = list.list_votes;
    let mut living = 0u32;
    for c in &list.candidates {
        votes += c.votes;
        living += u32::from(!c.deceased);
    }
    ListCount { votes, living }
}

/// The method that assigns the next restzetel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Round {
    /// P 7 lid 1 / U 9.
    Averages,
    /// P 8 lid 1–2: one per list.
    Remainders,
    /// P 8 lid 3: at most one per list in this round.
    AveragesMaxOne,
    /// After P 8 lid 3 is used up (the Kiesraad's formal description).
    AveragesUnrestricted,
    /// No list that meets the minimum can take the seat: largest averages among all lists
    /// with votes and candidates left (not in the law; keeps the seat from staying empty).
    AveragesWithoutMinimum,
}

impl Round {
    fn kind(self) -> ValueKind {
        if self == Round::Remainders {
            ValueKind::Remainder
        } else {
            ValueKind::Average
        }
    }

    fn article(self, rules: &Rules) -> &'static str {
        match self {
            Round::Averages | Round::AveragesWithoutMinimum => rules.articles.largest_averages,
            Round::Remainders => rules.articles.largest_remainders,
            Round::AveragesMaxOne | Round::AveragesUnrestricted => {
                rules.articles.remainder_averages
            }
        }
    }

    fn step(self, seat: ResidualSeat) -> SeatStep {
        match self {
            Round::Averages => SeatStep::ResidualByAverage(seat),
            Round::Remainders => SeatStep::ResidualByRemainder(seat),
            Round::AveragesMaxOne => SeatStep::AverageRoundMaxOne(seat),
            Round::AveragesUnrestricted => SeatStep::AverageRoundUnrestricted(seat),
            Round::AveragesWithoutMinimum => SeatStep::AverageRoundWithoutMinimum(seat),
        }
    }
}

/// A restzetel as won, for P 9 ("voor het kleinste gemiddelde of het kleinste overschot").
struct Won {
    party: usize,
    round: Round,
    kind: ValueKind,
    value: Fraction,
    residual: u32,
    lapsed: bool,
}

struct Engine<'a> {
    rules: &'a Rules,
    parties: &'a [Party],
    seats_total: u32,
    total: u64,
    minimum: Fraction,
    votes: Vec<u64>,
    full: Vec<u32>,
    seats: Vec<u32>,
    served_remainder: Vec<bool>,
    served_average: Vec<bool>,
    /// Living persons per party (P 10 with P 19a).
    caps: Vec<u32>,
    /// From P 10 on, a party only takes part while it has candidates without a seat.
    respect_caps: bool,
    won: Vec<Won>,
    residuals: u32,
}

/// P 5–P 10. `counted`: what validation counted (the votes and living candidates of every
/// list, the living persons of every party); without it, they are counted here.
pub(super) fn assign_party_seats(
    election: &Election,
    counted: Option<&Validated>,
    rules: &Rules,
    lots: &mut LotBox<'_>,
    steps: &mut Vec<Step>,
) -> Result<PartySeats, LotStop> {
    let parties = &election.parties[..];
    let n = parties.len();
    let (lists, caps) = counted.map_or_else(
        || count(parties),
        |v| (v.list_counts.clone(), v.living_persons.clone()),
    );
    let mut list_start = Vec::with_capacity(n + 1);
    let mut votes = Vec::with_capacity(n);
    let mut start = 0;
    for party in parties {
        list_start.push(start);
        let v = lists
            .get(start..start + party.lists.len())
            .unwrap_or_default()
            .iter()
            .map(|c| c.votes)
            .sum();
        start += party.lists.len();
        votes.push(v);
    }
    list_start.push(start);
    let total: u64 = votes.iter().sum();
    let seats_total = election.seats;
    let kiesdeler = Fraction::new(u128::from(total), u128::from(seats_total));
    steps.push(Step::Seat(SeatStep::Kiesdeler {
        article: rules.articles.kiesdeler,
        total_votes: total,
        seats: seats_total,
        kiesdeler,
    }));
    if total == 0 {
        steps.push(Step::Seat(SeatStep::EmptySeats {
            article: rules.articles.kiesdeler,
            seats: seats_total,
            reason: EmptyReason::NoVotes,
        }));
        return Ok(PartySeats {
            total_votes: 0,
            kiesdeler,
            full: vec![0; n],
            seats: vec![0; n],
            empty: seats_total,
            next_seat: None,
            lists,
            list_start,
        });
    }
    let mut e = Engine {
        rules,
        parties,
        seats_total,
        total,
        minimum: rules.residual_minimum(kiesdeler),
        full: Vec::with_capacity(n),
        seats: Vec::new(),
        served_remainder: vec![false; n],
        served_average: vec![false; n],
        caps,
        respect_caps: false,
        won: Vec::new(),
        residuals: 0,
        votes,
    };

    // P 6: full seats.
    let s = u128::from(seats_total);
    let t = u128::from(total);
    for &v in &e.votes {
        e.full.push(to_u32(u128::from(v) * s / t));
    }
    e.seats.clone_from(&e.full);
    let assigned: u32 = e.full.iter().sum();
    let remaining = seats_total - assigned;
    steps.push(Step::Seat(SeatStep::FullSeats {
        article: rules.articles.full_seats,
        kiesdeler,
        parties: parties
            .iter()
            .zip(&e.votes)
            .zip(&e.full)
            .map(|((p, &votes), &seats)| FullSeatsRow {
                party: p.number,
                votes,
                seats,
            })
            .collect(),
        assigned,
        remaining,
    }));

    // P 7 / P 8: restzetels.
    let mut empty = e.distribute(remaining, false, lots, steps)?;
    if empty > 0 {
        steps.push(Step::Seat(SeatStep::EmptySeats {
            article: Round::Averages.article(rules),
            seats: empty,
            reason: EmptyReason::NoEligibleList,
        }));
    }

    // P 9: absolute majority.
    if rules.absolute_majority {
        e.absolute_majority(lots, steps)?;
    }

    // P 10: exhaustion.
    empty += e.exhaustion(lots, steps)?;

    let next_seat = e.next_seat();
    Ok(PartySeats {
        total_votes: total,
        kiesdeler,
        full: e.full,
        seats: e.seats,
        empty,
        next_seat,
        lists,
        list_start,
    })
}

/// The first of the equal best values, and all of them when there are several (none when it
/// is alone, as steps record them). The best value always has a first.
pub(super) fn ties<T: Copy + Default>(mut best: impl Iterator<Item = T>) -> (T, Vec<T>) {
    let first = best.next().unwrap_or_default();
    let tied = match best.next() {
        Some(second) => [first, second].into_iter().chain(best).collect(),
        None => Vec::new(),
    };
    (first, tied)
}

/// Converts a count that validation guarantees to be small.
pub(super) fn to_u32(n: u128) -> u32 {
    u32::try_from(n).expect("seat and candidate counts fit in u32 after validation")
}

impl Engine<'_> {
    fn number(&self, i: usize) -> u32 {
        self.parties[i].number
    }

    fn meets_minimum(&self, i: usize) -> bool {
        Fraction::from_int(u128::from(self.votes[i])) >= self.minimum
    }

    /// Whether party `i` may still get a seat as far as its candidates go.
    fn has_room(&self, i: usize) -> bool {
        !self.respect_caps || self.seats[i] < self.caps[i]
    }

    /// Why party `i` does not take part in `round`, if it does not.
    fn exclusion(&mut self, i: usize, round: Round) -> Option<Exclusion> {
        if self.votes[i] == 0 {
            return Some(Exclusion::NoVotes);
        }
        let below = Exclusion::BelowMinimum {
            minimum: self.minimum,
            share: self.rules.residual_eligibility,
        };
        let in_average_round = self.rules.eligibility_in_average_round;
        match round {
            Round::Averages | Round::Remainders if !self.meets_minimum(i) => return Some(below),
            Round::AveragesMaxOne | Round::AveragesUnrestricted
                if in_average_round && !self.meets_minimum(i) =>
            {
                return Some(below);
            }
            Round::Remainders if self.served_remainder[i] => {
                return Some(Exclusion::AlreadyServed);
            }
            Round::AveragesMaxOne if self.served_average[i] => {
                return Some(Exclusion::AlreadyServed);
            }
            _ => {}
        }
        if self.has_room(i) {
            None
        } else {
            Some(Exclusion::NoCandidatesLeft)
        }
    }

    fn any_takes_part(&mut self, round: Round) -> bool {
        (0..self.parties.len()).any(|i| self.exclusion(i, round).is_none())
    }

    /// The method for the next restzetel, or `None` when no party may take part.
    fn round(&mut self) -> Option<Round> {
        let order: &[Round] = match self.rules.residual_method {
            ResidualMethod::LargestAverages => &[Round::Averages, Round::AveragesWithoutMinimum],
            ResidualMethod::LargestRemaindersThenAverages => &[
                Round::Remainders,
                Round::AveragesMaxOne,
                Round::AveragesUnrestricted,
                Round::AveragesWithoutMinimum,
            ],
        };
        order.iter().copied().find(|&r| self.any_takes_part(r))
    }

    /// P 8 lid 1: stemcijfer minus full seats times the kiesdeler, exact.
    fn remainder(&self, i: usize) -> Fraction {
        let s = u128::from(self.seats_total);
        let num = u128::from(self.votes[i]) * s - u128::from(self.full[i]) * u128::from(self.total);
        Fraction::new(num, s)
    }

    fn value(&self, i: usize, round: Round) -> Fraction {
        if round == Round::Remainders {
            self.remainder(i)
        } else {
            Fraction::new(u128::from(self.votes[i]), u128::from(self.seats[i]) + 1)
        }
    }

    /// Assigns up to `count` restzetels; returns how many could not be assigned.
    fn distribute(
        &mut self,
        count: u32,
        continued: bool,
        lots: &mut LotBox<'_>,
        steps: &mut Vec<Step>,
    ) -> Result<u32, LotStop> {
        for done in 0..count {
            let Some(round) = self.round() else {
                return Ok(count - done);
            };
            self.assign_one(round, count - done, continued, lots, steps)?;
        }
        Ok(0)
    }

    fn assign_one(
        &mut self,
        round: Round,
        seats_left: u32,
        continued: bool,
        lots: &mut LotBox<'_>,
        steps: &mut Vec<Step>,
    ) -> Result<(), LotStop> {
        let n = self.parties.len();
        let mut standings = Vec::with_capacity(n);
        let mut excluded = Vec::with_capacity(n);
        let mut best: Option<Fraction> = None;
        for i in 0..n {
            if let Some(reason) = self.exclusion(i, round) {
                excluded.push(Excluded {
                    party: self.number(i),
                    votes: self.votes[i],
                    reason,
                });
            } else {
                let value = self.value(i, round);
                if best.is_none_or(|b| value > b) {
                    best = Some(value);
                }
                standings.push(Standing {
                    party: self.number(i),
                    votes: self.votes[i],
                    seats: self.seats[i],
                    value,
                });
            }
        }
        let best = best.expect("a round is only chosen when some party takes part");
        let (first, tied) = ties(
            standings
                .iter()
                .filter(|s| s.value == best)
                .map(|s| s.party),
        );
        let article = round.article(self.rules);
        let by_lot = tied.len() > seats_left as usize;
        let winner_number = if by_lot {
            let reason = if continued {
                LotReason::ExhaustionReassignment {
                    article: self.rules.articles.exhaustion,
                }
            } else {
                LotReason::ResidualSeat {
                    article,
                    seats_left,
                }
            };
            let options = tied.iter().map(|&p| LotChoice::Party(p)).collect();
            match lots.draw(reason, options, steps)? {
                LotChoice::Party(p) => p,
                _ => unreachable!("the lot box only returns one of the options"),
            }
        } else {
            first
        };
        let w = self
            .parties
            .iter()
            .position(|p| p.number == winner_number)
            .expect("the winner is one of the parties");
        self.seats[w] += 1;
        match round {
            Round::Remainders => self.served_remainder[w] = true,
            Round::AveragesMaxOne => self.served_average[w] = true,
            Round::Averages | Round::AveragesUnrestricted | Round::AveragesWithoutMinimum => {}
        }
        self.residuals += 1;
        self.won.push(Won {
            party: w,
            round,
            kind: round.kind(),
            value: best,
            residual: self.residuals,
            lapsed: false,
        });
        steps.push(Step::Seat(round.step(ResidualSeat {
            article,
            residual: self.residuals,
            party: winner_number,
            value: best,
            standings,
            excluded,
            tied,
            by_lot,
            continued,
        })));
        Ok(())
    }

    /// P 9. The seat won for the smallest value is the last restzetel assigned; the party
    /// with the majority never holds it (it would have more than half of the seats).
    fn absolute_majority(
        &mut self,
        lots: &mut LotBox<'_>,
        steps: &mut Vec<Step>,
    ) -> Result<(), LotStop> {
        let total = u128::from(self.total);
        let s = u128::from(self.seats_total);
        let Some(m) = (0..self.parties.len())
            .find(|&i| 2 * u128::from(self.votes[i]) > total && 2 * u128::from(self.seats[i]) <= s)
        else {
            return Ok(());
        };
        let Some(last) = self.won.iter().rev().find(|w| !w.lapsed && w.party != m) else {
            return Ok(());
        };
        let (kind, value) = (last.kind, last.value);
        let mut tied: Vec<usize> = self
            .won
            .iter()
            .filter(|w| !w.lapsed && w.party != m && w.kind == kind && w.value == value)
            .map(|w| w.party)
            .collect();
        tied.sort_unstable();
        tied.dedup();
        let by_lot = tied.len() > 1;
        let loser = if by_lot {
            let options = tied
                .iter()
                .map(|&i| LotChoice::Party(self.number(i)))
                .collect();
            match lots.draw(LotReason::AbsoluteMajorityRetraction, options, steps)? {
                LotChoice::Party(p) => tied
                    .iter()
                    .copied()
                    .find(|&i| self.number(i) == p)
                    .expect("the drawn party is one of the options"),
                _ => unreachable!("the lot box only returns one of the options"),
            }
        } else {
            tied[0]
        };
        let lapsed = self
            .won
            .iter_mut()
            .rev()
            .find(|w| !w.lapsed && w.party == loser && w.kind == kind && w.value == value)
            .expect("the loser won a seat for this value");
        lapsed.lapsed = true;
        let lapsed_residual = lapsed.residual;
        // The loser no longer holds a seat of that round: should P 10 continue the
        // distribution, it competes for it again with the same value (see `seats.rs`).
        match lapsed.round {
            Round::Remainders => self.served_remainder[loser] = false,
            Round::AveragesMaxOne => self.served_average[loser] = false,
            Round::Averages | Round::AveragesUnrestricted | Round::AveragesWithoutMinimum => {}
        }
        let seats_before = self.seats[m];
        self.seats[m] += 1;
        self.seats[loser] -= 1;
        steps.push(Step::Seat(SeatStep::AbsoluteMajority(AbsoluteMajority {
            article: self.rules.articles.absolute_majority,
            party: self.number(m),
            votes: self.votes[m],
            total_votes: self.total,
            seats_before,
            seats: self.seats_total,
            lapsed_party: self.number(loser),
            lapsed_residual,
            lapsed_value: value,
            lapsed_kind: kind,
            tied: if by_lot {
                tied.iter().map(|&i| self.number(i)).collect()
            } else {
                Vec::new()
            },
            by_lot,
        })));
        Ok(())
    }

    /// P 10 (U 10) and Pa 25. Returns the number of seats that stay empty.
    fn exhaustion(&mut self, lots: &mut LotBox<'_>, steps: &mut Vec<Step>) -> Result<u32, LotStop> {
        let mut exhausted = Vec::new();
        for i in 0..self.parties.len() {
            if self.seats[i] > self.caps[i] {
                exhausted.push(ExhaustedParty {
                    party: self.number(i),
                    seats: self.seats[i],
                    living_candidates: self.caps[i],
                    removed: self.seats[i] - self.caps[i],
                });
                self.seats[i] = self.caps[i];
            }
        }
        self.respect_caps = true;
        if exhausted.is_empty() {
            return Ok(0);
        }
        let removed: u32 = exhausted.iter().map(|x| x.removed).sum();
        let leave_empty = self.rules.exhaustion == ExhaustionMode::LeaveEmpty;
        steps.push(Step::Seat(SeatStep::Exhaustion(Exhaustion {
            article: if leave_empty {
                "Pa 25"
            } else {
                self.rules.articles.exhaustion
            },
            parties: exhausted,
            removed,
            reassigned_to: Vec::new(),
            left_empty: if leave_empty { removed } else { 0 },
            leave_empty_by_law: leave_empty,
            p9_lapsed_party: self
                .won
                .iter()
                .find(|w| w.lapsed)
                .map(|w| self.number(w.party)),
        })));
        if leave_empty {
            return Ok(removed);
        }
        let at = steps.len() - 1;
        let first = self.won.len();
        let unassigned = self.distribute(removed, true, lots, steps)?;
        let reassigned: Vec<u32> = self.won[first..]
            .iter()
            .map(|w| self.parties[w.party].number)
            .collect();
        if let Step::Seat(SeatStep::Exhaustion(x)) = &mut steps[at] {
            x.reassigned_to = reassigned;
            x.left_empty = unassigned;
        }
        Ok(unassigned)
    }

    /// The party that would get seat S + 1 by one more step of the restzetel method; `None`
    /// when no party could or when several tie.
    fn next_seat(&mut self) -> Option<u32> {
        self.respect_caps = true;
        let round = self.round()?;
        let mut best: Option<(Fraction, usize)> = None;
        let mut tie = false;
        for i in 0..self.parties.len() {
            if self.exclusion(i, round).is_some() {
                continue;
            }
            let v = self.value(i, round);
            match best {
                Some((b, _)) if v < b => {}
                Some((b, _)) if v == b => tie = true,
                _ => {
                    best = Some((v, i));
                    tie = false;
                }
            }
        }
        match best {
            Some((_, i)) if !tie => Some(self.number(i)),
            _ => None,
        }
    }
}
