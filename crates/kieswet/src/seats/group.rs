//! Seats of a lijstengroep to its lists: P 12 and P 13 (U 12, U 13).

use std::sync::Arc;

use super::engine::{ListCount, ties, to_u32};
use super::{Exclusion, GroupExcluded, GroupListRow, GroupSeat, GroupStanding, SeatStep};
use crate::Fraction;
use crate::lots::{LotBox, LotReason, LotStop};
use crate::model::{LotChoice, Party};
use crate::rules::Rules;
use crate::steps::Step;

/// The kieskringen of list `j` of `party`, as steps name them.
fn kieskringen(party: &Party, j: usize) -> Arc<[u32]> {
    Arc::clone(&party.lists[j].kieskringen)
}

/// How the lot names list `j` of `party`.
fn choice(party: &Party, j: usize) -> LotChoice {
    let kieskring = party.lists[j]
        .kieskringen
        .first()
        .copied()
        .unwrap_or_else(|| to_u32(j as u128 + 1));
    LotChoice::GroupList {
        party: party.number,
        kieskring,
    }
}

/// P 12 / P 13: divides `seats` over the lists of `party`. Returns the seats per list and
/// the order in which the lists received them.
pub(super) fn distribute(
    party: &Party,
    counts: &[ListCount],
    seats: u32,
    rules: &Rules,
    lots: &mut LotBox<'_>,
    steps: &mut Vec<Step>,
) -> Result<(Vec<u32>, Vec<usize>), LotStop> {
    let m = party.lists.len();
    let mut per_list = vec![0u32; m];
    let mut order = Vec::with_capacity(seats as usize);
    let votes: Vec<u64> = counts.iter().map(|c| c.votes).collect();
    let group_votes: u64 = votes.iter().sum();
    if seats == 0 || group_votes == 0 {
        // A party without votes never gets a seat, so only `seats == 0` happens here.
        return Ok((per_list, order));
    }
    let g = u128::from(seats);
    let gv = u128::from(group_votes);
    let quota = Fraction::new(gv, g);
    let article = rules.articles.group_seats;
    let article_13 = rules.articles.group_exhaustion;
    steps.push(Step::Seat(SeatStep::GroupQuota {
        article,
        party: party.number,
        votes: group_votes,
        seats,
        group_kiesdeler: quota,
    }));

    // P 12 lid 4: full seats per list.
    let full: Vec<u32> = votes
        .iter()
        .map(|&v| to_u32(u128::from(v) * g / gv))
        .collect();
    let remainders: Vec<Fraction> = votes
        .iter()
        .zip(&full)
        .map(|(&v, &f)| Fraction::new(u128::from(v) * g - u128::from(f) * gv, g))
        .collect();
    let assigned_full: u32 = full.iter().sum();
    steps.push(Step::Seat(SeatStep::GroupFullSeats {
        article,
        party: party.number,
        group_kiesdeler: quota,
        lists: (0..m)
            .map(|j| GroupListRow {
                list: j,
                kieskringen: kieskringen(party, j),
                votes: votes[j],
                seats: full[j],
                remainder: remainders[j],
            })
            .collect(),
        assigned: assigned_full,
        remaining: seats - assigned_full,
    }));

    // P 13 lid 1 for the full seats.
    let caps: Vec<u32> = counts.iter().map(|c| c.living).collect();
    for j in 0..m {
        let take = full[j].min(caps[j]);
        per_list[j] = take;
        order.extend(std::iter::repeat_n(j, take as usize));
        if full[j] > caps[j] {
            steps.push(Step::Seat(SeatStep::GroupExhaustion {
                article: article_13,
                party: party.number,
                list: j,
                kieskringen: kieskringen(party, j),
                seats: full[j],
                living_candidates: caps[j],
                removed: full[j] - caps[j],
            }));
        }
    }
    let mut assigned: u32 = per_list.iter().sum();

    // P 12 lid 5 (continued under P 13 lid 1): largest remainders, one per list.
    let original_residuals = seats - assigned_full;
    let mut served = vec![false; m];
    let mut residual = 0u32;
    while assigned < seats {
        let mut standings = Vec::with_capacity(m);
        let mut excluded = Vec::with_capacity(m);
        for j in 0..m {
            let reason = if served[j] {
                Some(Exclusion::AlreadyServed)
            } else if per_list[j] >= caps[j] {
                Some(Exclusion::NoCandidatesLeft)
            } else {
                None
            };
            match reason {
                Some(reason) => excluded.push(GroupExcluded {
                    list: j,
                    votes: votes[j],
                    reason,
                }),
                None => standings.push(GroupStanding {
                    list: j,
                    votes: votes[j],
                    seats: per_list[j],
                    value: remainders[j],
                }),
            }
        }
        let Some(best) = standings.iter().map(|s| s.value).max() else {
            break;
        };
        let passed_on = excluded.iter().any(|x| {
            x.reason == Exclusion::NoCandidatesLeft && !served[x.list] && remainders[x.list] >= best
        });
        residual += 1;
        let continued = residual > original_residuals || passed_on;
        let seat = pick(
            party,
            standings,
            excluded,
            best,
            seats - assigned,
            residual,
            if continued { article_13 } else { article },
            continued,
            lots,
            steps,
        )?;
        per_list[seat.list] += 1;
        served[seat.list] = true;
        order.push(seat.list);
        assigned += 1;
        steps.push(Step::Seat(SeatStep::GroupResidual(seat)));
    }

    // P 13 lid 2: any seats still left by largest averages.
    while assigned < seats {
        let mut standings = Vec::with_capacity(m);
        let mut excluded = Vec::with_capacity(m);
        for j in 0..m {
            if per_list[j] >= caps[j] {
                excluded.push(GroupExcluded {
                    list: j,
                    votes: votes[j],
                    reason: Exclusion::NoCandidatesLeft,
                });
            } else {
                standings.push(GroupStanding {
                    list: j,
                    votes: votes[j],
                    seats: per_list[j],
                    value: Fraction::new(u128::from(votes[j]), u128::from(per_list[j]) + 1),
                });
            }
        }
        // P 10 leaves a party no more seats than it has living persons, and each person
        // stands on at least one list, so some list always has room.
        let Some(best) = standings.iter().map(|s| s.value).max() else {
            break;
        };
        residual += 1;
        let seat = pick(
            party,
            standings,
            excluded,
            best,
            seats - assigned,
            residual,
            article_13,
            true,
            lots,
            steps,
        )?;
        per_list[seat.list] += 1;
        order.push(seat.list);
        assigned += 1;
        steps.push(Step::Seat(SeatStep::GroupAverage(seat)));
    }
    Ok((per_list, order))
}

/// Chooses the list for one group seat among `standings` with value `best` (lot if needed).
#[allow(clippy::too_many_arguments)]
fn pick(
    party: &Party,
    standings: Vec<GroupStanding>,
    excluded: Vec<GroupExcluded>,
    best: Fraction,
    seats_left: u32,
    residual: u32,
    article: &'static str,
    continued: bool,
    lots: &mut LotBox<'_>,
    steps: &mut Vec<Step>,
) -> Result<GroupSeat, LotStop> {
    let (first, tied) = ties(standings.iter().filter(|s| s.value == best).map(|s| s.list));
    let by_lot = tied.len() > seats_left as usize;
    let list = if by_lot {
        let options = tied.iter().map(|&j| choice(party, j)).collect();
        let drawn = lots.draw(
            LotReason::GroupSeat {
                party: party.number,
            },
            options,
            steps,
        )?;
        tied.iter()
            .copied()
            .find(|&j| choice(party, j) == drawn)
            .expect("the lot box only returns one of the options")
    } else {
        first
    };
    Ok(GroupSeat {
        article,
        party: party.number,
        residual,
        list,
        kieskringen: kieskringen(party, list),
        value: best,
        standings,
        excluded,
        tied,
        by_lot,
        continued,
    })
}
