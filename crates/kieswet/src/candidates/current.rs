//! The law in force: P 15–P 19 (U 15 for the Eerste Kamer) for one party.

use super::{
    CandidateName, CandidateStep, DuplicateScratch, ElectedBy, ElectedCandidate, Entry, Holder,
    OnList, PartyOutcome, PartyView, Person, Placement, RankedCandidate, Room, pick_by_votes,
    report_unfilled, resolve_duplicates, to_u32,
};
use crate::lots::{LotBox, LotReason, LotStop};
use crate::rules::{Ranking, Rules};
use crate::steps::Step;

/// Working memory of [`assign_party`], reused from party to party.
pub(super) struct Scratch {
    /// Per person: above the preference threshold, elected under P 15, elected at all.
    above: Vec<bool>,
    preference: Vec<bool>,
    elected: Vec<bool>,
    pool: Vec<(usize, u64)>,
    /// Per list: who holds its seats.
    holders: Vec<Vec<Holder>>,
    /// (person, list) in seat order.
    placed: Vec<(usize, usize)>,
    /// (position, list, person) of those elected in list order.
    others: Vec<(u32, usize, usize)>,
    lid_2: Vec<OnList>,
    /// One person's entries by votes (P 16).
    entries: Vec<Entry>,
    duplicates: DuplicateScratch,
}

impl Scratch {
    /// Working memory with room for the largest party, so that it does not grow during the
    /// run.
    pub(super) fn with_room(room: Room) -> Self {
        Scratch {
            above: Vec::with_capacity(room.keys),
            preference: Vec::with_capacity(room.keys),
            elected: Vec::with_capacity(room.keys),
            pool: Vec::new(),
            holders: Vec::with_capacity(room.lists),
            placed: Vec::new(),
            others: Vec::new(),
            lid_2: Vec::new(),
            entries: Vec::with_capacity(room.lists),
            duplicates: DuplicateScratch::with_room(room),
        }
    }
}

/// Empties `v` and fills it with `n` times `false`.
fn reset(v: &mut Vec<bool>, n: usize) {
    v.clear();
    v.resize(n, false);
}

/// P 15–P 19 for one party. `minimum` is the fewest votes that reach the preference threshold
/// (see `threshold_step`); the elected are added to `elected_out` in P 19 order, the P 19
/// ranking to `ranking` when there is one.
pub(super) fn assign_party(
    view: &PartyView<'_>,
    rules: &Rules,
    minimum: u128,
    (elected_out, ranking): (
        &mut Vec<ElectedCandidate>,
        Option<&mut Vec<RankedCandidate>>,
    ),
    scratch: &mut Scratch,
    lots: &mut LotBox<'_>,
    steps: &mut Vec<Step>,
) -> Result<PartyOutcome, LotStop> {
    let article = rules.articles.preference;
    let party_number = view.party.number;
    let persons = view.persons();
    let Scratch {
        above,
        preference: is_pref,
        elected,
        pool,
        holders,
        placed,
        others,
        lid_2,
        entries,
        duplicates,
    } = scratch;
    above.clear();
    above.extend(persons.iter().map(|p| u128::from(p.total) >= minimum));

    // P 15: above the threshold, in order of votes, as far as the party has seats.
    pool.clear();
    pool.extend(
        persons
            .iter()
            .enumerate()
            .filter(|&(p, _)| above[p])
            .map(|(p, person)| (p, person.total)),
    );
    pool.sort_by_key(|&(p, v)| (std::cmp::Reverse(v), view.order_key(p)));
    let picks = pick_by_votes(
        pool,
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
    reset(is_pref, persons.len());
    for &p in &preference {
        is_pref[p] = true;
    }
    for &(p, votes) in pool.iter() {
        if !is_pref[p] {
            steps.push(Step::Candidate(CandidateStep::AboveThresholdNotElected {
                article,
                candidate: view.cand_ref(p, view.first(p).list),
                votes,
                party_seats: view.seats,
            }));
        }
    }

    // P 16: the list on which each preference-elected candidate gets the seat.
    let mut list_seats = view.list_seats.to_vec();
    let mut group_order = view.group_order.to_vec();
    // The holders of a party with fewer lists than one before keep their room for later.
    if holders.len() < list_seats.len() {
        holders.resize_with(list_seats.len(), Vec::new);
    }
    let holders = &mut holders[..list_seats.len()];
    for hs in holders.iter_mut() {
        hs.clear();
    }
    placed.clear();
    for &p in &preference {
        let li = if view.is_group() {
            place_in_group(
                view,
                p,
                (&mut list_seats, &mut group_order),
                holders,
                entries,
                steps,
            )
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
        let next = view.by_list(li).filter(|x| !is_pref[x.person]).take(free);
        for x in next {
            hs.push(Holder {
                person: x.person,
                by: ElectedBy::ListOrder,
            });
            steps.push(Step::Candidate(CandidateStep::ListOrderElected {
                candidate: view.cand_ref(x.person, li),
                seat: to_u32(hs.len()),
                list_seats: list_seats[li],
            }));
        }
    }

    // P 18: candidates elected on several lists of the group.
    if view.is_group() {
        resolve_duplicates(view, holders, "P 18", duplicates, lots, steps)?;
    }
    let unfilled = report_unfilled(view, &list_seats, holders, "P 17", steps);

    // The elected in P 19 order: P 15 in seat order, then the others in list order.
    elected_out.extend(
        placed
            .iter()
            .map(|&(p, li)| elected_candidate(view, p, li, ElectedBy::Preference)),
    );
    others.clear();
    others.extend(
        holders
            .iter()
            .enumerate()
            .flat_map(|(li, hs)| {
                hs.iter()
                    .filter(|h| h.by != ElectedBy::Preference)
                    .map(move |h| (li, h.person))
            })
            .map(|(li, p)| (view.entry(p, li).map_or(u32::MAX, |e| e.position), li, p)),
    );
    others.sort_unstable();
    elected_out.extend(
        others
            .iter()
            .map(|&(_, li, p)| elected_candidate(view, p, li, ElectedBy::ListOrder)),
    );

    // P 19 lid 5: no ranking for a party without elected candidates, unless it is a
    // lijstengroep with seats.
    let ranked = rules.ranks_party(
        view.is_group() && view.seats > 0,
        holders.iter().any(|hs| !hs.is_empty()),
    );
    if let Some(ranking) = ranking.filter(|_| ranked) {
        reset(elected, persons.len());
        for h in holders.iter().flatten() {
            elected[h.person] = true;
        }
        let marks = Marks {
            above,
            preference: is_pref,
            elected,
        };
        rank(view, rules, &preference, &marks, lid_2, ranking);
    }
    Ok(PartyOutcome {
        list_seats,
        unfilled,
        ranked,
    })
}

/// P 16 for one preference-elected candidate of a lijstengroep; returns the list index.
fn place_in_group(
    view: &PartyView<'_>,
    person: usize,
    (list_seats, group_order): (&mut [u32], &mut Vec<usize>),
    holders: &[Vec<Holder>],
    ranked: &mut Vec<Entry>,
    steps: &mut Vec<Step>,
) -> usize {
    let has_free = |li: usize| to_u32(holders[li].len()) < list_seats[li];
    // The person's lists by votes. Mostly the first has a free seat: then finding it is enough,
    // and the others are only put in order when it has none.
    view.entries_into(person, |_| true, ranked);
    if let Some(best) = (0..ranked.len()).min_by_key(|&i| view.by_votes(&ranked[i])) {
        ranked.swap(0, best);
        if !has_free(ranked[0].list) {
            ranked[1..].sort_by_key(|e| view.by_votes(e));
        }
    }
    // Lid 1: the list with the most votes, as far as it has seats; else the next by votes.
    if let Some(k) = ranked.iter().position(|e| has_free(e.list)) {
        let e = ranked[k];
        let placement = if k == 0 {
            Placement::MostVotes {
                tie_by_kieskring: ranked[1..].iter().any(|o| o.votes == e.votes),
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
    let p = &view.persons()[person];
    ElectedCandidate {
        list: view.party.number,
        list_index: li,
        position: view.entry(person, li).map_or(0, |e| e.position),
        name: CandidateName::from(p.name),
        votes: p.total,
        by,
    }
}

/// Per person: above the preference threshold, elected under P 15, elected at all.
struct Marks<'m> {
    above: &'m [bool],
    preference: &'m [bool],
    elected: &'m [bool],
}

/// P 19 per list: lid 1 the P 15-elected in seat order; lid 2 (not for the Eerste Kamer) the
/// others above the threshold by votes, equal votes in list order; lid 3 the rest in list
/// order. Lid 4: P 18 plays no part, so the ranking does not depend on who P 17/P 18 elected.
fn rank(
    view: &PartyView<'_>,
    rules: &Rules,
    preference: &[usize],
    marks: &Marks<'_>,
    above_threshold: &mut Vec<OnList>,
    out: &mut Vec<RankedCandidate>,
) {
    let persons = view.persons();
    let lid_2 = rules.ranking == Ranking::AboveThresholdFirst;
    out.reserve(view.entry_count());
    for li in 0..view.party.lists.len() {
        let mut rank = 0u32;
        // Lid 1: the P 15-elected who stand on this list, in seat order.
        for &p in preference {
            if let Some(e) = view.entry(p, li) {
                rank += 1;
                let x = OnList {
                    person: p,
                    position: e.position,
                    index: e.index,
                    votes: e.votes,
                };
                push_ranked(out, persons, marks, li, rank, x);
            }
        }
        // Lid 2: the others above the threshold; the sort is stable, so equal votes stay in
        // list order.
        if lid_2 {
            above_threshold.clear();
            above_threshold.extend(
                view.by_list(li)
                    .filter(|x| marks.above[x.person] && !marks.preference[x.person]),
            );
            above_threshold.sort_by_key(|x| std::cmp::Reverse(persons[x.person].total));
            for x in above_threshold.iter() {
                rank += 1;
                push_ranked(out, persons, marks, li, rank, *x);
            }
        }
        // Lid 3: everyone else, in list order.
        for x in view.by_list(li) {
            let ranked_before = marks.preference[x.person] || (lid_2 && marks.above[x.person]);
            if !ranked_before {
                rank += 1;
                push_ranked(out, persons, marks, li, rank, x);
            }
        }
    }
}

/// Adds the person of entry `x` at `rank` on list `li` to a ranking.
#[inline]
fn push_ranked(
    out: &mut Vec<RankedCandidate>,
    persons: &[Person<'_>],
    marks: &Marks<'_>,
    li: usize,
    rank: u32,
    x: OnList,
) {
    out.push(RankedCandidate {
        rank,
        list_index: li,
        position: x.position,
        candidate_index: x.index,
        votes: persons[x.person].total,
        elected: marks.elected[x.person],
        above_threshold: marks.above[x.person],
    });
}
