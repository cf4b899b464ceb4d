//! Unit tests of the candidate rules with hand-built seat assignments (P 15–P 19a, U 15 and the
//! proposal). Each test narrates the steps the law takes; each fails if that rule were wrong.

use super::proposal::split;
use super::*;
use crate::model::{Body, Candidate, List, RulesetName, SplitRounding};

// ---------------------------------------------------------------- helpers

fn list_of(votes: &[u64]) -> List {
    List {
        kieskringen: [].into(),
        list_votes: 0,
        candidates: votes
            .iter()
            .enumerate()
            .map(|(i, &v)| Candidate {
                position: to_u32(i + 1),
                name: format!("kandidaat {}", i + 1),
                person: to_u32(i),
                votes: v,
                deceased: false,
            })
            .collect(),
    }
}

fn party(number: u32, votes: &[u64]) -> Party {
    Party {
        number,
        name: format!("Partij {number}"),
        lists: vec![list_of(votes)],
    }
}

fn election(body: Body, seats: u32, parties: Vec<Party>) -> Election {
    Election {
        body,
        seats,
        ruleset: RulesetName::Current,
        split_rounding: SplitRounding::default(),
        preference_threshold_percent: None,
        parties,
        lots: Vec::new(),
    }
}

/// A seat assignment for parties with one list each.
fn seats_of(kiesdeler: Fraction, party_seats: &[u32]) -> SeatAssignment {
    SeatAssignment {
        total_votes: 0,
        kiesdeler,
        full_seats: vec![0; party_seats.len()],
        party_seats: party_seats.to_vec(),
        list_seats: party_seats.iter().map(|&s| vec![s]).collect(),
        group_seat_order: vec![Vec::new(); party_seats.len()],
        empty_seats: 0,
        next_seat: None,
    }
}

struct Run {
    out: CandidateAssignment,
    steps: Vec<Step>,
    lots_used: usize,
}

fn run(e: &Election, seats: &SeatAssignment) -> Result<Run, LotStop> {
    let rules = Rules::for_election(e);
    let mut lots = LotBox::new(&e.lots);
    let mut steps = Vec::new();
    let validated = crate::validate::validate(e).expect("the tests give valid input");
    let out = assign_candidates(e, &validated, &rules, seats, true, &mut lots, &mut steps)?;
    Ok(Run {
        out,
        steps,
        lots_used: lots.used(),
    })
}

fn complete(e: &Election, seats: &SeatAssignment) -> Run {
    match run(e, seats) {
        Ok(r) => r,
        Err(stop) => panic!("expected a complete result, got {stop:?}"),
    }
}

/// Positions of the elected of party `number`, in output (P 19) order, with how.
fn elected_of(out: &CandidateAssignment, number: u32) -> Vec<(u32, ElectedBy)> {
    out.elected
        .iter()
        .filter(|c| c.list == number)
        .map(|c| (c.position, c.by))
        .collect()
}

fn positions(out: &CandidateAssignment, number: u32, by: ElectedBy) -> Vec<u32> {
    elected_of(out, number)
        .into_iter()
        .filter(|(_, b)| *b == by)
        .map(|(p, _)| p)
        .collect()
}

/// Names of the elected of party `number` with the list index they are elected on.
fn names_of(out: &CandidateAssignment, number: u32) -> Vec<(String, usize, ElectedBy)> {
    out.elected
        .iter()
        .filter(|c| c.list == number)
        .map(|c| (c.name.to_string(), c.list_index, c.by))
        .collect()
}

/// The P 19 ranking (positions) of list `li` of party `number`.
fn ranking_of(out: &CandidateAssignment, number: u32, li: usize) -> Vec<u32> {
    let (_, ranked) = out
        .rankings
        .as_deref()
        .expect("the tests ask for the ranking")
        .iter()
        .find(|(n, _)| *n == number)
        .expect("a ranking for every party");
    ranked
        .iter()
        .filter(|r| r.list_index == li)
        .map(|r| r.position)
        .collect()
}

fn candidate_steps(steps: &[Step]) -> Vec<&CandidateStep> {
    steps
        .iter()
        .filter_map(|s| match s {
            Step::Candidate(c) => Some(c),
            _ => None,
        })
        .collect()
}

use ElectedBy::{CandidateSeat, ListOrder, ListSeat, Preference};

// ---------------------------------------------------------------- P 15, P 17, P 19 (one list)

const S15: [&[u64]; 5] = [
    &[1069, 303, 321, 210, 36, 101, 79, 121, 150, 149, 15, 17],
    &[
        452, 39, 81, 76, 35, 109, 29, 25, 17, 6, 18, 9, 25, 30, 5, 18, 3,
    ],
    &[229, 63, 65, 9, 10, 58, 29, 50, 6, 11, 37],
    &[347, 33, 14, 82, 30, 30],
    &[266, 36, 39, 36, 38, 38],
];

fn s15_election() -> Election {
    let parties = S15
        .iter()
        .enumerate()
        .map(|(i, v)| party(to_u32(i + 1), v))
        .collect();
    election(Body::GR, 15, parties)
}

/// Gemeenteraad with 15 seats (< 19): P 15 lid 2 puts the threshold at half the kiesdeler,
/// 5104/15 × 50% = 170,13, so 171 votes are needed. List 1 has 8 seats: candidates 1 (1069),
/// 3 (321), 2 (303) and 4 (210) pass, in that order of votes; the other 4 seats go in list
/// order to 5, 6, 7, 8 (P 17). Lists 2–5 each have only their lijsttrekker above the threshold.
#[test]
fn s15_preference_in_order_of_votes_then_list_order() {
    let e = s15_election();
    let r = complete(&e, &seats_of(Fraction::new(5104, 15), &[8, 3, 2, 1, 1]));
    assert_eq!(positions(&r.out, 1, Preference), [1, 3, 2, 4]);
    assert_eq!(positions(&r.out, 1, ListOrder), [5, 6, 7, 8]);
    // The output is in P 19 order: preference first, in the order the seats were given.
    assert_eq!(
        elected_of(&r.out, 1)
            .iter()
            .map(|x| x.0)
            .collect::<Vec<_>>(),
        [1, 3, 2, 4, 5, 6, 7, 8]
    );
    assert_eq!(
        elected_of(&r.out, 2),
        [(1, Preference), (2, ListOrder), (3, ListOrder)]
    );
    assert_eq!(elected_of(&r.out, 3), [(1, Preference), (2, ListOrder)]);
    assert_eq!(elected_of(&r.out, 4), [(1, Preference)]);
    assert_eq!(elected_of(&r.out, 5), [(1, Preference)]);
    // P 19: list 1 ranks 1, 3, 2, 4 on top, then the rest in list order.
    assert_eq!(
        ranking_of(&r.out, 1, 0),
        [1, 3, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12]
    );
    // The threshold step states the exact value and the minimum.
    let steps = candidate_steps(&r.steps);
    let CandidateStep::PreferenceThreshold {
        threshold,
        minimum_votes,
        strict,
        percent,
        ..
    } = steps[0]
    else {
        panic!("the threshold comes first")
    };
    assert_eq!(*threshold, Fraction::new(5104, 30));
    assert_eq!((*minimum_votes, *strict, *percent), (171, true, 50));
    assert_eq!(steps[0].article(), "P 15");
    assert!(steps[0].describe_nl().contains("170,13"));
}

/// P 19a: candidate 3 of list 2 has died. He is left out: list 2 elects candidate 1 on
/// preference, then in list order 2 and — skipping 3 — 4.
#[test]
fn s15_deceased_candidate_is_skipped() {
    let mut e = s15_election();
    e.parties[1].lists[0].candidates[2].deceased = true;
    let r = complete(&e, &seats_of(Fraction::new(5104, 15), &[8, 3, 2, 1, 1]));
    assert_eq!(
        elected_of(&r.out, 2),
        [(1, Preference), (2, ListOrder), (4, ListOrder)]
    );
    assert!(!ranking_of(&r.out, 2, 0).contains(&3));
    assert!(candidate_steps(&r.steps).iter().any(|s| matches!(
        s,
        CandidateStep::DeceasedIgnored { candidate } if candidate.position == 3
    )));
}

/// Gemeenteraad < 19 seats, kiesdeler 100, so the threshold is 50 votes and P 15 says "groter
/// dan". The list has 2 seats. Candidate 1 (60) is elected on preference; candidate 2 has
/// exactly 50, which is not more than 50, so is not; the second seat goes in list order
/// (P 17) — to candidate 2 after all, but as a list-order seat.
#[test]
fn exactly_the_threshold_is_not_enough_under_p15() {
    let e = election(
        Body::GR,
        15,
        vec![party(1, &[60, 50, 40, 30, 20]), party(2, &[1300])],
    );
    let r = complete(&e, &seats_of(Fraction::new(1500, 15), &[2, 13]));
    assert_eq!(elected_of(&r.out, 1), [(1, Preference), (2, ListOrder)]);
    let (_, ranked) = &r.out.rankings.as_ref().expect("asked for")[0];
    assert!(ranked[0].above_threshold && !ranked[1].above_threshold);
    assert!(
        !candidate_steps(&r.steps)
            .iter()
            .any(|s| matches!(s, CandidateStep::AboveThresholdNotElected { .. }))
    );
}

/// Eerste Kamer: U 15 says "groter dan of gelijk aan de kiesdeler". Kiesdeler 100; candidate 3
/// has exactly 100 votes and is elected on preference before candidate 2.
#[test]
fn eerste_kamer_threshold_is_inclusive() {
    let e = election(
        Body::EK,
        75,
        vec![party(1, &[150, 99, 100, 10]), party(2, &[7141])],
    );
    let r = complete(&e, &seats_of(Fraction::new(7500, 75), &[2, 73]));
    assert_eq!(elected_of(&r.out, 1), [(1, Preference), (3, Preference)]);
    let steps = candidate_steps(&r.steps);
    assert_eq!(steps[0].article(), "U 15");
    assert!(matches!(
        steps[0],
        CandidateStep::PreferenceThreshold {
            strict: false,
            minimum_votes: 100,
            ..
        }
    ));
}

/// P 19 lid 2 ranks candidates above the threshold who were not elected (no seat left) right
/// after the preference-elected; U 15 lid 2 leaves lid 2 out for the Eerste Kamer. One seat,
/// kiesdeler 100, threshold 100 for both (PS with a 100% override, strict; EK inclusive):
/// candidate 2 (120) takes the seat; candidate 4 (110) is above the threshold too.
#[test]
fn ranking_lid_2_applies_except_for_the_eerste_kamer() {
    let parties = vec![party(1, &[50, 120, 30, 110]), party(2, &[7190])];
    let seats = seats_of(Fraction::new(7500, 75), &[1, 74]);
    let mut ps = election(Body::PS, 75, parties.clone());
    ps.preference_threshold_percent = Some(100);
    let r = complete(&ps, &seats);
    assert_eq!(elected_of(&r.out, 1), [(2, Preference)]);
    assert_eq!(ranking_of(&r.out, 1, 0), [2, 4, 1, 3]);
    assert!(candidate_steps(&r.steps).iter().any(|s| matches!(
        s,
        CandidateStep::AboveThresholdNotElected { candidate, votes: 110, .. }
            if candidate.position == 4
    )));

    let ek = election(Body::EK, 75, parties);
    let r = complete(&ek, &seats);
    assert_eq!(elected_of(&r.out, 1), [(2, Preference)]);
    assert_eq!(ranking_of(&r.out, 1, 0), [2, 1, 3, 4]);
}

/// Lists without seats, through the whole run, with and without the ranking. Gemeenteraad,
/// 2,051 votes: list 1 has 2,000 on its lijsttrekker, list 2 has 41 (40 on candidate 1), list 3
/// has 10. With 19 seats (P 7) list 1 takes all 19 (2000/19 = 105,3 > 41): kiesdeler
/// 2051/19, threshold 25 % = 26,99, so 27 votes. Candidate 1 of list 2 reaches it without a
/// seat for the list, which a step says; nobody on list 3 can (10 votes in all), so it has no
/// step. P 19 lid 5 leaves lists 2 and 3 unranked. With 15 seats (P 8, no lid 5; threshold
/// 50 % of 2051/15 = 68,37) list 2's candidate is below it, and every list is ranked when the
/// ranking is asked for. A run without the ranking takes the same steps either way.
#[test]
fn lists_without_seats_with_and_without_the_ranking() {
    let mut first = vec![0; 20];
    first[0] = 2_000;
    let parties = vec![party(1, &first), party(2, &[40, 1]), party(3, &[5, 5])];
    let run = |seats: u32, with_ranking: bool| {
        let e = election(Body::GR, seats, parties.clone());
        let result = if with_ranking {
            crate::apportion_with_ranking(&e)
        } else {
            crate::apportion(&e)
        };
        match result {
            Ok(crate::Apportionment::Complete(o)) => o,
            other => panic!("expected a complete result, got {other:?}"),
        }
    };
    let named = |o: &crate::Outcome, list: u32| {
        candidate_steps(&o.steps)
            .iter()
            .filter(|s| s.describe_nl().contains(&format!("lijst {list}")))
            .count()
    };

    let large = run(19, true);
    assert_eq!(large.seats_of(1), 19);
    assert!(candidate_steps(&large.steps).iter().any(|s| matches!(
        s,
        CandidateStep::AboveThresholdNotElected { candidate, votes: 40, .. }
            if candidate.list.party == 2 && candidate.position == 1
    )));
    assert!(
        candidate_steps(&large.steps).contains(&&CandidateStep::RankingOmitted {
            parties: vec![2, 3]
        })
    );
    assert_eq!(named(&large, 3), 0);
    let ranked = |o: &crate::Outcome| -> Vec<usize> {
        let rankings = o.rankings.as_ref().expect("asked for");
        rankings.iter().map(|(_, r)| r.len()).collect()
    };
    assert_eq!(ranked(&large), [20, 0, 0]);
    assert_eq!(run(19, false).steps, large.steps);

    let small = run(15, true);
    assert_eq!(small.seats_of(1), 15);
    assert_eq!(ranked(&small), [20, 2, 2]);
    assert_eq!((named(&small, 2), named(&small, 3)), (0, 0));
    assert_eq!(run(15, false).steps, small.steps);
}

/// 19 seats (25%; kiesdeler 9600/19, threshold 126,3). List 1 has 6 seats and six candidates
/// with 500 votes each: the tie fits in the seats, so no lot; list order decides. List 2 has 3
/// seats: candidate 1 (500) first, then five candidates with 400 votes for 2 seats. The law
/// needs a lot, one seat at a time: first among 2–6 (candidate 5 drawn), then among 2, 3, 4, 6
/// for the last seat (candidate 3 drawn).
#[test]
fn s19_tied_preference_candidates_for_the_last_seats_need_lots() {
    let mut e = election(
        Body::GR,
        19,
        vec![
            party(1, &[500, 500, 500, 500, 500, 500]),
            party(2, &[500, 400, 400, 400, 400, 400]),
        ],
    );
    let seats = seats_of(Fraction::new(9600, 19), &[6, 3]);
    let cand = |position| LotChoice::Candidate { list: 2, position };

    let Err(LotStop::Required(reason, options)) = run(&e, &seats) else {
        panic!("a lot is needed")
    };
    assert_eq!(
        reason,
        LotReason::PreferenceSeat {
            party: 2,
            seats_left: 2
        }
    );
    assert_eq!(options, [cand(2), cand(3), cand(4), cand(5), cand(6)]);

    e.lots = vec![cand(5)];
    let Err(LotStop::Required(reason, options)) = run(&e, &seats) else {
        panic!("a second lot is needed")
    };
    assert_eq!(
        reason,
        LotReason::PreferenceSeat {
            party: 2,
            seats_left: 1
        }
    );
    assert_eq!(options, [cand(2), cand(3), cand(4), cand(6)]);

    e.lots = vec![cand(5), cand(3)];
    let r = complete(&e, &seats);
    assert_eq!(r.lots_used, 2);
    assert_eq!(positions(&r.out, 1, Preference), [1, 2, 3, 4, 5, 6]);
    assert_eq!(
        elected_of(&r.out, 2),
        [(1, Preference), (5, Preference), (3, Preference)]
    );
    // P 19: 1, 5, 3 in seat order; then 2, 4, 6 (above the threshold, equal votes: list order).
    assert_eq!(ranking_of(&r.out, 2, 0), [1, 5, 3, 2, 4, 6]);
    let lot_steps = r.steps.iter().filter(|s| matches!(s, Step::Lot(_))).count();
    assert_eq!(lot_steps, 2);
}

/// GR2026 Schiermonnikoog (dossier §4.11), 9 seats, kiesdeler 72, threshold > 36.
#[test]
fn schiermonnikoog_2026() {
    let e = election(
        Body::GR,
        9,
        vec![
            party(1, &[106, 10, 30, 18, 22, 53, 3]),
            party(2, &[43, 8, 75, 26, 20, 2, 8, 5, 4, 7]),
            party(3, &[83, 17, 29, 8, 5, 3, 7, 56]),
        ],
    );
    let r = complete(&e, &seats_of(Fraction::new(648, 9), &[3, 3, 3]));
    assert_eq!(
        elected_of(&r.out, 1),
        [(1, Preference), (6, Preference), (2, ListOrder)]
    );
    assert_eq!(
        elected_of(&r.out, 2),
        [(3, Preference), (1, Preference), (2, ListOrder)]
    );
    assert_eq!(
        elected_of(&r.out, 3),
        [(1, Preference), (8, Preference), (2, ListOrder)]
    );
}

/// A list with more seats than living candidates: the seat cannot be filled and is reported.
#[test]
fn a_seat_without_candidates_is_reported_not_a_panic() {
    let mut e = election(Body::GR, 9, vec![party(1, &[10, 5]), party(2, &[60])]);
    e.parties[0].lists[0].candidates[1].deceased = true;
    let r = complete(&e, &seats_of(Fraction::new(75, 9), &[2, 7]));
    assert_eq!(r.out.unfilled_seats, 7);
    assert!(candidate_steps(&r.steps).iter().any(|s| matches!(
        s,
        CandidateStep::SeatUnfilled {
            unfilled: 1,
            list,
            ..
        } if list.party == 1
    )));
}

// ---------------------------------------------------------------- lijstengroepen: P 16, P 18

/// A member list with kieskring `kk` and candidates `(name, votes)` in list order; the group
/// ([`group_election`]) numbers the persons by name.
fn member(kk: u32, cands: &[(&str, u64)]) -> List {
    List {
        kieskringen: vec![kk].into(),
        list_votes: 0,
        candidates: cands
            .iter()
            .enumerate()
            .map(|(i, &(id, v))| Candidate {
                position: to_u32(i + 1),
                name: id.to_string(),
                person: 0,
                votes: v,
                deceased: false,
            })
            .collect(),
    }
}

fn group_seats(kiesdeler: Fraction, list_seats: Vec<u32>, order: Vec<usize>) -> SeatAssignment {
    SeatAssignment {
        total_votes: 0,
        kiesdeler,
        full_seats: vec![0],
        party_seats: vec![list_seats.iter().sum()],
        list_seats: vec![list_seats],
        group_seat_order: vec![order],
        empty_seats: 0,
        next_seat: None,
    }
}

fn group_election(mut lists: Vec<List>) -> Election {
    let mut persons = crate::PersonNumbers::default();
    for c in lists.iter_mut().flat_map(|l| &mut l.candidates) {
        c.person = persons.number(&c.name);
    }
    election(
        Body::TK,
        150,
        vec![Party {
            number: 1,
            name: "Groep".into(),
            lists,
        }],
    )
}

/// TK-like group of three lists (kieskringen 1, 2, 3), seats [1, 2, 2] after P 12; kiesdeler
/// 100, threshold > 25.
/// - P 15: A has 30 + 10 + 5 = 45 votes, B 20 + 3 + 4 = 27: both elected on preference.
/// - P 16 lid 1: A gets the seat on list 1 (kk 1, 30 votes), which fills it. B also has most
///   votes there (20), but it is full; the next list by B's votes is list 3 (4 votes, over 3 on
///   list 2), which has a free seat: B is placed there.
/// - P 17: list 2's two seats go to C and E (A and B skipped); list 3's remaining seat to C.
/// - P 18: C is elected on lists 2 and 3; C has 8 votes on list 2 and 6 on list 3, so counts
///   as elected on list 2. List 3's seat goes to the next not-yet-elected candidate there: E is
///   elected already, so F.
#[test]
fn group_p16_fallback_and_p18() {
    let e = group_election(vec![
        member(1, &[("A", 30), ("B", 20), ("C", 1), ("D", 1)]),
        member(2, &[("A", 10), ("C", 8), ("B", 3), ("E", 2)]),
        member(3, &[("A", 5), ("B", 4), ("C", 6), ("E", 1), ("F", 1)]),
    ]);
    let seats = group_seats(
        Fraction::new(15000, 150),
        vec![1, 2, 2],
        vec![1, 2, 0, 1, 2],
    );
    let r = complete(&e, &seats);
    assert_eq!(
        names_of(&r.out, 1),
        [
            ("A".into(), 0, Preference),
            ("B".into(), 2, Preference),
            ("C".into(), 1, ListOrder),
            ("E".into(), 1, ListOrder),
            ("F".into(), 2, ListOrder),
        ]
    );
    assert_eq!(r.out.list_seats, [vec![1, 2, 2]]);
    let steps = candidate_steps(&r.steps);
    assert!(steps.iter().any(|s| matches!(
        s,
        CandidateStep::PlacedOnList { candidate, placement: Placement::NextList { full }, .. }
            if candidate.name == "B" && candidate.list.index == 2 && full.len() == 1
    )));
    let dup = steps
        .iter()
        .find(|s| matches!(s, CandidateStep::DuplicateResolved { .. }))
        .expect("P 18 applied");
    let CandidateStep::DuplicateResolved {
        name,
        kept,
        released,
        round,
        ..
    } = dup
    else {
        unreachable!()
    };
    assert_eq!((name.as_str(), kept.index, *round), ("C", 1, 1));
    assert_eq!(released.len(), 1);
    assert_eq!(released[0].list.index, 2);
    assert_eq!(
        released[0]
            .successor
            .as_ref()
            .map(|c| (c.name.as_str(), c.position)),
        Some(("F", 5))
    );
    let text = dup.describe_nl();
    assert!(
        text.contains(
            "De zetel op de lijst voor kieskring 3 van lijst 1 (6 stemmen) gaat naar F (nr. 5),"
        ),
        "{text}"
    );
    assert_eq!(dup.article(), "P 18");
    assert!(dup.describe_nl().contains("F (nr. 5"));
    // P 19 per list, P 18 ignored: list 3 ranks A, B (P 15) then C, E, F in list order.
    assert_eq!(ranking_of(&r.out, 1, 2), [1, 2, 3, 4, 5]);
}

/// P 16 lid 2. Group of three lists; P 12 gave [2, 1, 0] in the order list 1, list 2, list 1
/// (the last restzetel went to list 1). X stands only on list 3, which has no seat, and has 40
/// votes (> 25): X gets a seat on list 3 anyway, and the seat given last under P 12 — list 1's
/// second — lapses. Final list seats [1, 1, 1]; P 17 fills list 1 with P and list 2 with Q.
#[test]
fn group_p16_lid_2_last_group_seat_lapses() {
    let e = group_election(vec![
        member(1, &[("P", 10), ("R", 5)]),
        member(2, &[("Q", 10), ("S", 5)]),
        member(3, &[("X", 40), ("T", 1)]),
    ]);
    let seats = group_seats(Fraction::new(15000, 150), vec![2, 1, 0], vec![0, 1, 0]);
    let r = complete(&e, &seats);
    assert_eq!(r.out.list_seats, [vec![1, 1, 1]]);
    assert_eq!(
        names_of(&r.out, 1),
        [
            ("X".into(), 2, Preference),
            ("P".into(), 0, ListOrder),
            ("Q".into(), 1, ListOrder),
        ]
    );
    let steps = candidate_steps(&r.steps);
    let lapse = steps
        .iter()
        .find(|s| matches!(s, CandidateStep::GroupSeatLapsed { .. }))
        .expect("P 16 lid 2 applied");
    assert!(matches!(
        lapse,
        CandidateStep::GroupSeatLapsed { lapsed, passed_over, .. }
            if lapsed.index == 0 && passed_over.is_empty()
    ));
    assert_eq!(lapse.article(), "P 16 lid 2");
}

/// P 16 lid 2 when the seat given last is already taken. P 12 gave [1, 1, 0], list 2 first and
/// list 1 last. P (50 votes, only on list 1) is elected first on preference and fills list 1.
/// X (40, only on list 3 without seats) then gets a seat on list 3. The last P 12 seat (list
/// 1's) is held by P and cannot lapse; the one before it (list 2's) lapses. Final [1, 0, 1].
#[test]
fn group_p16_lid_2_skips_a_seat_held_by_a_preference_candidate() {
    let e = group_election(vec![
        member(1, &[("P", 50), ("R", 5)]),
        member(2, &[("Q", 10), ("S", 5)]),
        member(3, &[("X", 40), ("T", 1)]),
    ]);
    let seats = group_seats(Fraction::new(15000, 150), vec![1, 1, 0], vec![1, 0]);
    let r = complete(&e, &seats);
    assert_eq!(r.out.list_seats, [vec![1, 0, 1]]);
    assert_eq!(
        names_of(&r.out, 1),
        [("P".into(), 0, Preference), ("X".into(), 2, Preference)]
    );
    assert!(candidate_steps(&r.steps).iter().any(|s| matches!(
        s,
        CandidateStep::GroupSeatLapsed { lapsed, passed_over, .. }
            if lapsed.index == 1 && passed_over.len() == 1 && passed_over[0].index == 0
    )));
}

/// P 18 lid 3: repeat until no candidate holds seats on two lists. Four lists with one seat
/// each, nobody above the threshold (kiesdeler 1000, > 250).
/// - P 17: lists 1 and 2 elect A, lists 3 and 4 elect B.
/// - Round 1: A has most votes on list 2, B on list 4; lists 1 and 3 free their seats, and
///   both give it to their next not-yet-elected candidate: X.
/// - Round 2: X is elected on lists 1 and 3 with 3 votes on each; equal, so the list of the
///   lowest kieskring (1) counts. List 3's seat goes to Z.
#[test]
fn group_p18_repeats_until_no_duplicates() {
    let e = group_election(vec![
        member(1, &[("A", 5), ("X", 3), ("Y", 1)]),
        member(2, &[("A", 9), ("C", 1)]),
        member(3, &[("B", 4), ("X", 3), ("Z", 1)]),
        member(4, &[("B", 7), ("D", 1)]),
    ]);
    let seats = group_seats(
        Fraction::new(150_000, 150),
        vec![1, 1, 1, 1],
        vec![0, 1, 2, 3],
    );
    let r = complete(&e, &seats);
    let mut got = names_of(&r.out, 1);
    got.sort_by_key(|x| x.1);
    assert_eq!(
        got,
        [
            ("X".into(), 0, ListOrder),
            ("A".into(), 1, ListOrder),
            ("Z".into(), 2, ListOrder),
            ("B".into(), 3, ListOrder),
        ]
    );
    let dups: Vec<(u32, String, usize, bool)> = candidate_steps(&r.steps)
        .into_iter()
        .filter_map(|s| match s {
            CandidateStep::DuplicateResolved {
                round,
                name,
                kept,
                tie_by_kieskring,
                ..
            } => Some((*round, name.to_string(), kept.index, *tie_by_kieskring)),
            _ => None,
        })
        .collect();
    assert_eq!(
        dups,
        [
            (1, "A".into(), 1, false),
            (1, "B".into(), 3, false),
            (2, "X".into(), 0, true),
        ]
    );
}

/// P 15 counts votes "op de gezamenlijke lijsten": G has 20 + 20 = 40 votes over two lists of
/// the group, above 25 while neither list alone is; H has 30 on one list. Order of votes: G
/// (40) before H (30). G's votes are equal on both lists, so the list of kieskring 1 counts
/// (P 16 lid 1, last sentence).
#[test]
fn group_votes_are_summed_over_the_lists() {
    let e = group_election(vec![
        member(1, &[("H", 30), ("G", 20), ("K", 1)]),
        member(2, &[("G", 20), ("L", 1)]),
    ]);
    let seats = group_seats(Fraction::new(15000, 150), vec![2, 1], vec![0, 1, 0]);
    let r = complete(&e, &seats);
    assert_eq!(
        names_of(&r.out, 1),
        [
            ("G".into(), 0, Preference),
            ("H".into(), 0, Preference),
            ("L".into(), 1, ListOrder),
        ]
    );
    assert_eq!(r.out.elected[0].votes, 40);
    assert!(candidate_steps(&r.steps).iter().any(|s| matches!(
        s,
        CandidateStep::PlacedOnList {
            placement: Placement::MostVotes {
                tie_by_kieskring: true
            },
            ..
        }
    )));
}

// ---------------------------------------------------------------- proposal

fn proposal(seats: u32, parties: Vec<Party>) -> Election {
    let mut e = election(Body::GR, seats, parties);
    e.ruleset = RulesetName::MetEenStemMeerKeus;
    e
}

#[test]
fn split_rounds_as_stated_and_ties_go_to_list_seats() {
    use SplitRounding::{LargestAverages, LargestRemainders, ListSeatsDown};
    // The WBGL example: 10 seats, 60% list votes.
    assert_eq!(split(10, 600, 400, LargestRemainders), (6, 4));
    assert_eq!(split(10, 600, 400, LargestAverages), (6, 4));
    assert_eq!(split(10, 600, 400, ListSeatsDown), (6, 4));
    // 5 seats, half and half: the remainders (and averages) tie, the list seats get it.
    assert_eq!(split(5, 100, 100, LargestRemainders), (3, 2));
    assert_eq!(split(5, 100, 100, LargestAverages), (3, 2));
    assert_eq!(split(5, 100, 100, ListSeatsDown), (2, 3));
    // 3 seats, 70% list votes: quotas 2,1 and 0,9, so the larger remainder (0,9) gives the
    // candidates the third seat. D'Hondt: 70, 35, then 30 beats 70/3 = 23,3: the same.
    assert_eq!(split(3, 70, 30, LargestRemainders), (2, 1));
    assert_eq!(split(3, 70, 30, LargestAverages), (2, 1));
    assert_eq!(split(7, 70, 30, LargestAverages), (5, 2));
    assert_eq!(split(7, 70, 30, LargestRemainders), (5, 2));
    assert_eq!(split(4, 0, 0, LargestRemainders), (4, 0));
}

/// "Met één stem meer keus": 10 seats, 600 list votes and 400 candidate votes, so 6 list seats
/// and 4 candidate seats. List seats: candidates 1–6 in list order. Candidate seats: of the
/// rest, 8 (80), 9 (60), 10 (50), 11 (40); candidate 12 (35) and 7 (10) miss out.
#[test]
fn proposal_ten_seats_sixty_percent_list_votes() {
    let mut p = party(1, &[100, 5, 5, 5, 5, 5, 10, 80, 60, 50, 40, 35]);
    p.lists[0].list_votes = 600;
    let e = proposal(11, vec![p, party(2, &[100])]);
    let r = complete(&e, &seats_of(Fraction::new(1100, 11), &[10, 1]));
    assert_eq!(positions(&r.out, 1, ListSeat), [1, 2, 3, 4, 5, 6]);
    assert_eq!(positions(&r.out, 1, CandidateSeat), [8, 9, 10, 11]);
    let steps = candidate_steps(&r.steps);
    assert!(steps.iter().any(|s| matches!(
        s,
        CandidateStep::SplitListCandidateSeats {
            list_seats: 6,
            candidate_seats: 4,
            ..
        }
    )));
    assert!(
        !steps
            .iter()
            .any(|s| matches!(s, CandidateStep::PreferenceThreshold { .. }))
    );
    let a = r
        .out
        .assumption
        .expect("the proposal states its assumption");
    let a = a.describe_nl();
    assert!(a.contains("geen geldend recht") && a.contains("grootste overschotten"));
    assert!(steps.iter().all(|s| !s.describe_nl().is_empty()));
}

/// Without a threshold, candidate 10 (40 votes, far below half the kiesdeler of 100) takes the
/// candidate seat of a 3-seat list (200 list votes, 100 candidate votes: 2 list seats, 1
/// candidate seat). Under current law the same list (all 300 as candidate votes) elects 1, 2, 3.
#[test]
fn proposal_candidate_seat_without_threshold() {
    let votes = [30, 5, 5, 5, 5, 3, 3, 2, 2, 40];
    let mut p = party(1, &votes);
    p.lists[0].list_votes = 200;
    let e = proposal(15, vec![p, party(2, &[1200])]);
    let seats = seats_of(Fraction::new(1500, 15), &[3, 12]);
    let r = complete(&e, &seats);
    assert_eq!(
        elected_of(&r.out, 1),
        [(1, ListSeat), (2, ListSeat), (10, CandidateSeat)]
    );

    let mut current = election(Body::GR, 15, vec![party(1, &votes), party(2, &[1200])]);
    current.parties[0].lists[0].candidates[0].votes = 230; // 200 list votes as votes on #1
    let r = complete(&current, &seats);
    assert_eq!(
        elected_of(&r.out, 1),
        [(1, Preference), (2, ListOrder), (3, ListOrder)]
    );
}

/// Equal candidate votes for the last candidate seat need a lot (reason CandidateSeat).
#[test]
fn proposal_tie_for_the_last_candidate_seat_needs_a_lot() {
    let mut p = party(1, &[10, 10, 30, 30]);
    p.lists[0].list_votes = 80;
    let mut e = proposal(5, vec![p, party(2, &[100])]);
    let seats = seats_of(Fraction::new(260, 5), &[2, 3]);
    // 2 seats, 80 list votes and 80 candidate votes: 1 list seat (tie to the list), 1
    // candidate seat; 3 and 4 both have 30.
    let Err(LotStop::Required(reason, options)) = run(&e, &seats) else {
        panic!("a lot is needed")
    };
    assert_eq!(
        reason,
        LotReason::CandidateSeat {
            party: 1,
            seats_left: 1
        }
    );
    assert_eq!(options.len(), 2);
    e.lots = vec![LotChoice::Candidate {
        list: 1,
        position: 4,
    }];
    let r = complete(&e, &seats);
    assert_eq!(elected_of(&r.out, 1), [(1, ListSeat), (4, CandidateSeat)]);
}
