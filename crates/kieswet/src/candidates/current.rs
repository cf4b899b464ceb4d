//! The law in force: P 15–P 19 (U 15 for the Eerste Kamer) for one party.

use std::collections::HashSet;

use super::{
    CandidateStep, ElectedBy, ElectedCandidate, Entry, Holder, PartyOutcome, PartyView, Placement,
    RankedCandidate, pick_by_votes, report_unfilled, resolve_duplicates, to_u32,
};
use crate::fraction::Fraction;
use crate::lots::{LotBox, LotReason, LotStop};
use crate::rules::{Ranking, Rules};
use crate::steps::Step;

pub(super) fn assign_party(
    view: &PartyView<'_>,
    rules: &Rules,
    kiesdeler: Fraction,
    lots: &mut LotBox<'_>,
    steps: &mut Vec<Step>,
) -> Result<PartyOutcome, LotStop> {
    let article = rules.articles.preference;
    let party_number = view.party.number;
    let above: Vec<bool> = view
        .persons
        .iter()
        .map(|p| rules.reaches_preference_threshold(p.total, kiesdeler))
        .collect();

    // P 15: above the threshold, in order of votes, as far as the party has seats.
    let mut pool: Vec<(usize, u64)> = (0..view.persons.len())
        .filter(|&p| above[p])
        .map(|p| (p, view.persons[p].total))
        .collect();
    pool.sort_by_key(|&(p, v)| (std::cmp::Reverse(v), view.order_key(p)));
    let picks = pick_by_votes(
        &pool,
        view.seats,
        &|left| LotReason::PreferenceSeat {
            party: party_number,
            seats_left: left,
        },
        &|p| view.lot_choice(p),
        &|pick, seat| {
            Some(CandidateStep::PreferenceElected {
                article,
                candidate: view.cand_ref(pick.person, view.first(pick.person).list),
                votes: pick.votes,
                seat,
                party_seats: view.seats,
                tied: pick.tied,
                by_lot: pick.by_lot,
            })
        },
        lots,
        steps,
    )?;
    let preference: Vec<usize> = picks.iter().map(|p| p.person).collect();
    let is_pref: HashSet<usize> = preference.iter().copied().collect();
    for &(p, votes) in &pool {
        if !is_pref.contains(&p) {
            steps.push(Step::Candidate(CandidateStep::AboveThresholdNotElected {
                article,
                candidate: view.cand_ref(p, view.first(p).list),
                votes,
                party_seats: view.seats,
            }));
        }
    }

    // P 16: the list on which each preference-elected candidate gets the seat.
    let mut list_seats = view.list_seats.clone();
    let mut group_order = view.group_order.clone();
    let mut holders: Vec<Vec<Holder>> = vec![Vec::new(); list_seats.len()];
    let mut placed: Vec<(usize, usize)> = Vec::new(); // (person, list) in seat order
    for &p in &preference {
        let li = if view.is_group() {
            place_in_group(view, p, &mut list_seats, &mut group_order, &holders, steps)
        } else {
            0
        };
        holders[li].push(Holder {
            person: p,
            by: ElectedBy::Preference,
        });
        placed.push((p, li));
    }

    // P 17: the remaining seats of each list in list order.
    for (li, hs) in holders.iter_mut().enumerate() {
        let free = list_seats[li].saturating_sub(to_u32(hs.len())) as usize;
        let next: Vec<usize> = view.by_list[li]
            .iter()
            .copied()
            .filter(|p| !is_pref.contains(p))
            .take(free)
            .collect();
        for p in next {
            hs.push(Holder {
                person: p,
                by: ElectedBy::ListOrder,
            });
            steps.push(Step::Candidate(CandidateStep::ListOrderElected {
                candidate: view.cand_ref(p, li),
                seat: to_u32(hs.len()),
                list_seats: list_seats[li],
            }));
        }
    }

    // P 18: candidates elected on several lists of the group.
    if view.is_group() {
        resolve_duplicates(view, &mut holders, "P 18", lots, steps)?;
    }
    let unfilled = report_unfilled(view, &list_seats, &holders, "P 17", steps);

    // The elected in P 19 order: P 15 in seat order, then the others in list order.
    let mut elected: Vec<ElectedCandidate> = placed
        .iter()
        .map(|&(p, li)| elected_candidate(view, p, li, ElectedBy::Preference))
        .collect();
    let mut others: Vec<(u32, usize, usize)> = holders
        .iter()
        .enumerate()
        .flat_map(|(li, hs)| {
            hs.iter()
                .filter(|h| h.by != ElectedBy::Preference)
                .map(move |h| (li, h.person))
        })
        .map(|(li, p)| (view.entry(p, li).map_or(u32::MAX, |e| e.position), li, p))
        .collect();
    others.sort_unstable();
    elected.extend(
        others
            .into_iter()
            .map(|(_, li, p)| elected_candidate(view, p, li, ElectedBy::ListOrder)),
    );

    let elected_set: HashSet<usize> = holders.iter().flatten().map(|h| h.person).collect();
    let ranking = rank(view, rules, &preference, &above, &elected_set);
    Ok(PartyOutcome {
        elected,
        ranking,
        list_seats,
        unfilled,
    })
}

/// P 16 for one preference-elected candidate of a lijstengroep; returns the list index.
fn place_in_group(
    view: &PartyView<'_>,
    person: usize,
    list_seats: &mut [u32],
    group_order: &mut Vec<usize>,
    holders: &[Vec<Holder>],
    steps: &mut Vec<Step>,
) -> usize {
    let ranked: Vec<Entry> = view.lists_by_votes(person);
    let has_free = |li: usize| to_u32(holders[li].len()) < list_seats[li];
    // Lid 1: the list with the most votes, as far as it has seats; else the next by votes.
    if let Some(k) = ranked.iter().position(|e| has_free(e.list)) {
        let e = ranked[k];
        let placement = if k == 0 {
            Placement::MostVotes {
                tie_by_kieskring: ranked.get(1).is_some_and(|o| o.votes == e.votes),
            }
        } else {
            Placement::NextList {
                full: ranked[..k]
                    .iter()
                    .map(|o| (view.list_ref(o.list), o.votes))
                    .collect(),
            }
        };
        steps.push(Step::Candidate(CandidateStep::PlacedOnList {
            candidate: view.cand_ref(person, e.list),
            votes_on_list: e.votes,
            placement,
        }));
        return e.list;
    }
    // Lid 2: a seat on the list with the most votes anyway; the seat given last under P 12/P 13
    // lapses. A seat already taken by a preference-elected candidate cannot lapse, so the last
    // one that is still free is taken.
    let best = ranked[0];
    list_seats[best.list] += 1;
    let mut passed_over = Vec::new();
    let mut lapsed = None;
    for k in (0..group_order.len()).rev() {
        let li = group_order[k];
        // After the extra seat, `best.list` is full; it counts its new occupant.
        let occupied = to_u32(holders[li].len()) + u32::from(li == best.list);
        if occupied < list_seats[li] {
            group_order.remove(k);
            lapsed = Some(li);
            break;
        }
        passed_over.push(view.list_ref(li));
    }
    // Safeguard when the seat part gave no order: the last list that still has a free seat.
    let lapsed = lapsed.or_else(|| {
        (0..list_seats.len())
            .rev()
            .find(|&li| to_u32(holders[li].len()) + u32::from(li == best.list) < list_seats[li])
    });
    if let Some(li) = lapsed {
        list_seats[li] -= 1;
        steps.push(Step::Candidate(CandidateStep::GroupSeatLapsed {
            candidate: view.cand_ref(person, best.list),
            votes_on_list: best.votes,
            lapsed: view.list_ref(li),
            passed_over,
        }));
    }
    best.list
}

fn elected_candidate(
    view: &PartyView<'_>,
    person: usize,
    li: usize,
    by: ElectedBy,
) -> ElectedCandidate {
    let p = &view.persons[person];
    ElectedCandidate {
        list: view.party.number,
        list_index: li,
        position: view.entry(person, li).map_or(0, |e| e.position),
        name: p.name.clone(),
        votes: p.total,
        by,
    }
}

/// P 19 per list: lid 1 the P 15-elected in seat order; lid 2 (not for the Eerste Kamer) the
/// others above the threshold by votes, equal votes in list order; lid 3 the rest in list
/// order. Lid 4: P 18 plays no part, so the ranking does not depend on who P 17/P 18 elected.
fn rank(
    view: &PartyView<'_>,
    rules: &Rules,
    preference: &[usize],
    above: &[bool],
    elected: &HashSet<usize>,
) -> Vec<RankedCandidate> {
    let mut out = Vec::new();
    for (li, on_list) in view.by_list.iter().enumerate() {
        let mut order: Vec<usize> = preference
            .iter()
            .copied()
            .filter(|&p| view.entry(p, li).is_some())
            .collect();
        let is_pref: HashSet<usize> = order.iter().copied().collect();
        if rules.ranking == Ranking::AboveThresholdFirst {
            let mut lid2: Vec<usize> = on_list
                .iter()
                .copied()
                .filter(|&p| above[p] && !is_pref.contains(&p))
                .collect();
            // `on_list` is in list order and the sort is stable: equal votes stay in list order.
            lid2.sort_by_key(|&p| std::cmp::Reverse(view.persons[p].total));
            order.extend(lid2);
        }
        let placed: HashSet<usize> = order.iter().copied().collect();
        order.extend(on_list.iter().copied().filter(|p| !placed.contains(p)));
        for (k, p) in order.into_iter().enumerate() {
            let person = &view.persons[p];
            out.push(RankedCandidate {
                rank: to_u32(k + 1),
                list_index: li,
                position: view.entry(p, li).map_or(0, |e| e.position),
                name: person.name.clone(),
                votes: person.total,
                elected: elected.contains(&p),
                above_threshold: above[p],
            });
        }
    }
    out
}
