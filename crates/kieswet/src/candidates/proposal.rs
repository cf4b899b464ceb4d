//! Proposal "Met één stem meer keus" (consultations 2020 and 2024; **not law**): within a list,
//! the seats are split into list seats and candidate seats in proportion to lijststemmen and
//! kandidaatsstemmen. List seats go to the candidates in list order; then candidate seats go
//! to the remaining candidates with the most candidate votes, without a threshold.
//!
//! The proposal has one list per party. For a party with several lists (a lijstengroep under
//! current law) the split is applied per list after P 12; a candidate elected on several lists
//! keeps the list with the most votes, as in P 18.

use super::step::PROPOSAL;
use super::{
    CandidateName, CandidateStep, DuplicateScratch, ElectedBy, ElectedCandidate, Holder,
    PartyOutcome, PartyView, RankedCandidate, pick_by_votes, report_unfilled, resolve_duplicates,
    to_u32,
};
use crate::lots::{LotBox, LotReason, LotStop};
use crate::model::SplitRounding;
use crate::steps::Step;

/// The proposal for one party; the elected are added to `elected`, the ranking to `ranking`
/// when there is one.
pub(super) fn assign_party(
    view: &PartyView<'_>,
    rounding: SplitRounding,
    (elected, ranking): (
        &mut Vec<ElectedCandidate>,
        Option<&mut Vec<RankedCandidate>>,
    ),
    lots: &mut LotBox<'_>,
    steps: &mut Vec<Step>,
) -> Result<PartyOutcome, LotStop> {
    let party_number = view.party.number;
    let mut holders: Vec<Vec<Holder>> = vec![Vec::new(); view.list_seats.len()];
    for (li, list) in view.party.lists.iter().enumerate() {
        let seats = view.list_seats[li];
        if seats == 0 {
            continue;
        }
        let list_votes = list.list_votes;
        let candidate_votes: u64 = list.candidates.iter().map(|c| c.votes).sum();
        let (n_list, n_cand) = split(seats, list_votes, candidate_votes, rounding);
        steps.push(Step::Candidate(CandidateStep::SplitListCandidateSeats {
            list: view.list_ref(li),
            rounding,
            seats,
            list_votes,
            candidate_votes,
            list_seats: n_list,
            candidate_seats: n_cand,
        }));

        // List seats: in list order.
        let mut on_list = view.by_list(li);
        for p in on_list.by_ref().take(n_list as usize).map(|x| x.person) {
            holders[li].push(Holder {
                person: p,
                by: ElectedBy::ListSeat,
            });
            steps.push(Step::Candidate(CandidateStep::ListSeatElected {
                candidate: view.cand_ref(p, li),
                seat: to_u32(holders[li].len()),
                list_seats: n_list,
            }));
        }

        // Candidate seats: the others by candidate votes on this list, equal votes in list
        // order; a lot only when the equal ones do not all fit.
        let mut pool: Vec<(usize, u64, u32)> =
            on_list.map(|x| (x.person, x.votes, x.position)).collect();
        pool.sort_by_key(|&(_, v, position)| (std::cmp::Reverse(v), position));
        let pool: Vec<(usize, u64)> = pool.into_iter().map(|(p, v, _)| (p, v)).collect();
        let picks = pick_by_votes(
            &pool,
            n_cand,
            &|left| LotReason::CandidateSeat {
                party: party_number,
                seats_left: left,
            },
            &|p| view.lot_choice(p),
            &|pick, seat| {
                Some(CandidateStep::CandidateSeatElected {
                    candidate: view.cand_ref(pick.person, li),
                    votes: pick.votes,
                    seat,
                    candidate_seats: n_cand,
                    tied: pick.tied,
                    by_lot: pick.by_lot,
                })
            },
            lots,
            steps,
        )?;
        for pick in picks {
            holders[li].push(Holder {
                person: pick.person,
                by: ElectedBy::CandidateSeat,
            });
        }
    }
    if view.is_group() {
        let mut scratch = DuplicateScratch::default();
        resolve_duplicates(view, &mut holders, PROPOSAL, &mut scratch, lots, steps)?;
    }
    let unfilled = report_unfilled(view, &view.list_seats, &holders, PROPOSAL, steps);

    // Elected: list seats first, then candidate seats, each in the order given.
    for kind in [ElectedBy::ListSeat, ElectedBy::CandidateSeat] {
        for (li, hs) in holders.iter().enumerate() {
            for h in hs.iter().filter(|h| h.by == kind) {
                let person = &view.persons()[h.person];
                elected.push(ElectedCandidate {
                    list: party_number,
                    list_index: li,
                    position: view.entry(h.person, li).map_or(0, |e| e.position),
                    name: CandidateName::from(person.name),
                    votes: person.total,
                    by: kind,
                });
            }
        }
    }

    if let Some(ranking) = ranking {
        rank(view, &holders, ranking);
    }
    Ok(PartyOutcome {
        list_seats: view.list_seats.to_vec(),
        unfilled,
        ranked: true,
    })
}

/// The ranking per list (not fixed by the proposal): the elected on that list in the order
/// given, then the others in list order.
fn rank(view: &PartyView<'_>, holders: &[Vec<Holder>], ranking: &mut Vec<RankedCandidate>) {
    let persons = view.persons();
    let mut elected_set = vec![false; persons.len()];
    for h in holders.iter().flatten() {
        elected_set[h.person] = true;
    }
    ranking.reserve(view.entry_count());
    let mut top = vec![false; persons.len()];
    for (li, hs) in holders.iter().enumerate() {
        let mut order: Vec<usize> = Vec::new();
        for kind in [ElectedBy::ListSeat, ElectedBy::CandidateSeat] {
            order.extend(hs.iter().filter(|h| h.by == kind).map(|h| h.person));
        }
        for &p in &order {
            top[p] = true;
        }
        order.extend(view.by_list(li).map(|x| x.person).filter(|&p| !top[p]));
        for (k, p) in order.into_iter().enumerate() {
            let person = &persons[p];
            let entry = view.entry(p, li);
            ranking.push(RankedCandidate {
                rank: to_u32(k + 1),
                list_index: li,
                position: entry.map_or(0, |e| e.position),
                candidate_index: entry.map_or(0, |e| e.index),
                votes: person.total,
                elected: elected_set[p],
                above_threshold: false,
            });
        }
        for h in hs {
            top[h.person] = false;
        }
    }
}

/// Splits `seats` into (list seats, candidate seats) in proportion to `list_votes` and
/// `candidate_votes`. Ties go to the list seats. Without any votes all seats are list seats.
pub(crate) fn split(
    seats: u32,
    list_votes: u64,
    candidate_votes: u64,
    rounding: SplitRounding,
) -> (u32, u32) {
    let seats_wide = u128::from(seats);
    let list_wide = u128::from(list_votes);
    let cand_wide = u128::from(candidate_votes);
    let total = list_wide + cand_wide;
    if total == 0 {
        return (seats, 0);
    }
    let n_list = match rounding {
        SplitRounding::LargestRemainders => {
            let list_share = seats_wide * list_wide;
            let cand_share = seats_wide * cand_wide;
            let (list_full, list_rest) = (list_share / total, list_share % total);
            let (cand_full, cand_rest) = (cand_share / total, cand_share % total);
            // At most one seat is left; the larger remainder gets it, a tie the list seats.
            if list_full + cand_full < seats_wide && list_rest >= cand_rest {
                list_full + 1
            } else {
                list_full
            }
        }
        SplitRounding::LargestAverages => {
            let (mut to_list, mut to_cand) = (0u128, 0u128);
            for _ in 0..seats {
                // list / (to_list + 1) >= cand / (to_cand + 1), cross-multiplied.
                if list_wide * (to_cand + 1) >= cand_wide * (to_list + 1) {
                    to_list += 1;
                } else {
                    to_cand += 1;
                }
            }
            to_list
        }
        SplitRounding::ListSeatsDown => (seats_wide * list_wide) / total,
    };
    let n_list = u32::try_from(n_list).unwrap_or(seats).min(seats);
    (n_list, seats - n_list)
}
