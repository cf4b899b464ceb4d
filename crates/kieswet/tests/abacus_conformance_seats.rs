//! Conformance with the Kiesraad's own software: every seat-assignment test case of Abacus
//! (`kiesraad/abacus`, crate `backend/apportionment`, `src/seat_assignment/mod.rs`), with its
//! input and expected outcome. The figures carry over; the tests are written here. Each test is
//! named after the Abacus test (module path in the name) and checks what that test checks that
//! is not an internal detail of Abacus: seats per list, the order in which restzetels went,
//! P 9 (who lost the seat), P 10 (which lists were exhausted), the lots asked for (options and
//! seats left) with the draws replayed, and the P 9 + P 10 warning.
//!
//! Abacus's `src/seat_assignment/residual_seat_assignment.rs` tests its own step functions
//! (`assign_remainder`, `list_qualifies_for_extra_seat`, `lists_with_highest_average`, …)
//! on hand-made standings: a kiesdeler of 100 whatever the votes, a seat count that only
//! selects P 7 or P 8, earlier steps made up. No election has those inputs, so they have no
//! one-to-one counterpart here; the rules they pin down are checked on whole elections:
//! - largest remainders below 19 seats, averages from 19, the ¾ minimum only for remainders,
//!   lists without votes never served, zero remainders still served: the `lt_19_seats_*` and
//!   `gte_19_seats_*` tests below;
//! - one remainder seat and one P 8 lid 3 seat per list, then unrestricted averages:
//!   `lt_19_seats_test_with_1_list_that_meets_threshold`, the `…2nd_round…` tests;
//! - a list qualifies again after P 9 took its seat (and only that list, and only for the round
//!   it lost): the three `…absolute_majority…and_list_exhaustion…` tests below and
//!   `seats_worked_examples.rs` (`s15_p9_then_p10_…`, `s15_a_list_that_gained_by_p9_…`);
//! - exhausted lists take no seat, seats nobody can take stay empty: the `…exhausted…` tests;
//! - ties: a lot only when more lists tie than seats are left, its options, the drawn list
//!   gets the seat, a draw outside the options is refused (`seats_worked_examples.rs`,
//!   `bad_lot`): the `drawing_of_lots` tests below.
//!
//! The differential test (`differential_gr.rs`) checks the same rules on 100,000 random
//! elections against an independent reference.
//!
//! Abacus's "full seats" after P 10 counts a removed full seat as a restzetel; Stembus keeps
//! P 6's full seats as they were computed, so those counts are not compared. Bodies: GR (Abacus
//! serves the gemeenteraad; below 19 seats P 8, from 19 on P 7).

mod seats_common;

use kieswet::seats::SeatStep;
use kieswet::{Body, Election, LotChoice, LotReason, Step, Warning};
use seats_common::*;

/// Abacus's default fixture: lists 1, 2, … of 50 candidates with all votes on candidate 1.
fn fifty(seats: u32, votes: &[u64]) -> Election {
    gr(seats, votes)
}

/// Lists 1, 2, … with these candidate votes (candidates 1, 2, … in order).
fn cands(seats: u32, lists: &[&[u64]]) -> Election {
    election(
        Body::GR,
        seats,
        parties_with(lists.iter().map(|v| list(v)).collect()),
    )
}

/// What a run gave: the lots asked for (reason, options), seats per list, steps.
struct Run {
    asked: Vec<(LotReason, Vec<u32>)>,
    seats: Vec<u32>,
    empty: u32,
    steps: Vec<Step>,
}

/// Runs the seat part, drawing `drawn` one at a time whenever the engine stops for a lot.
fn run(e: &Election, drawn: &[u32]) -> Run {
    let (asked, s, steps) = seats_with_lots(e, drawn);
    Run {
        asked: asked
            .into_iter()
            .map(|(reason, options)| {
                let parties = options
                    .iter()
                    .map(|o| match o {
                        LotChoice::Party(p) => *p,
                        other => panic!("a list lot, not {other:?}"),
                    })
                    .collect();
                (reason, parties)
            })
            .collect(),
        seats: s.party_seats,
        empty: s.empty_seats,
        steps,
    }
}

impl Run {
    /// Restzetels in the order they went (continued application after P 10 included).
    fn order(&self) -> Vec<u32> {
        residual_order(&self.steps)
    }

    /// P 9: (the list that lost its restzetel, the list with the majority).
    fn p9(&self) -> Option<(u32, u32)> {
        seat_steps(&self.steps).find_map(|s| match s {
            SeatStep::AbsoluteMajority(a) => Some((a.lapsed_party, a.party)),
            _ => None,
        })
    }

    /// P 10: the exhausted lists with the seats removed from each.
    fn p10(&self) -> Vec<(u32, u32)> {
        seat_steps(&self.steps)
            .filter_map(|s| match s {
                SeatStep::Exhaustion(x) => Some(x.parties.iter().map(|p| (p.party, p.removed))),
                _ => None,
            })
            .flatten()
            .collect()
    }

    fn warned(&self) -> bool {
        kieswet::warnings(&self.steps)
            .iter()
            .any(|w| matches!(w, Warning::AbsoluteMajorityAndExhaustion { .. }))
    }

    /// The option lists of the lots asked for.
    fn options(&self) -> Vec<Vec<u32>> {
        self.asked.iter().map(|(_, o)| o.clone()).collect()
    }

    /// Seats left for each lot asked for a restzetel.
    fn seats_left(&self) -> Vec<u32> {
        self.asked
            .iter()
            .filter_map(|(r, _)| match r {
                LotReason::ResidualSeat { seats_left, .. } => Some(*seats_left),
                _ => None,
            })
            .collect()
    }
}

// ---------------------------------------------------------------------------------------
// seat_assignment::tests::lt_19_seats (P 8)
// ---------------------------------------------------------------------------------------

#[test]
fn lt_19_seats_test_without_remainder_seats() {
    let r = run(&fifty(15, &[480, 160, 160, 160, 80, 80, 80]), &[]);
    assert_eq!(r.seats, [6, 2, 2, 2, 1, 1, 1]);
    assert!(r.order().is_empty());
}

#[test]
fn lt_19_seats_test_with_residual_seats_assigned_with_largest_remainders_method() {
    let r = run(&fifty(15, &[540, 160, 160, 80, 80, 80, 60, 40]), &[]);
    assert_eq!(r.order(), [1, 7]);
    assert_eq!(r.seats, [7, 2, 2, 1, 1, 1, 1, 0]);
}

#[test]
fn lt_19_seats_test_with_1_list_that_meets_threshold() {
    let r = run(&fifty(15, &[808, 59, 58, 57, 56, 55, 54, 53]), &[]);
    assert_eq!(r.order(), [1, 1, 2, 3, 4]);
    assert_eq!(r.seats, [12, 1, 1, 1, 0, 0, 0, 0]);
}

#[test]
fn lt_19_seats_test_with_3_lists_that_meet_threshold_0_remainders() {
    let r = run(&fifty(15, &[480, 240, 240, 55, 50, 45, 45, 45]), &[]);
    assert_eq!(r.order(), [1, 2, 3]);
    assert_eq!(r.seats, [7, 4, 4, 0, 0, 0, 0, 0]);
}

#[test]
fn lt_19_seats_test_with_0_lists_that_meet_threshold() {
    let r = run(&fifty(3, &[8, 7, 6, 5, 4, 3, 2, 1, 1, 1]), &[]);
    assert_eq!(r.order(), [1, 2, 3]);
    assert_eq!(r.seats, [1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn lt_19_seats_test_1st_round_unique_highest_averages_method_regression() {
    let r = run(&fifty(10, &[0, 3, 5, 6, 7, 79]), &[]);
    assert_eq!(r.order(), [6, 6, 5]);
    assert_eq!(r.seats, [0, 0, 0, 0, 1, 9]);
}

#[test]
fn lt_19_seats_test_with_0_votes() {
    // Abacus leaves every seat unassigned; so does Stembus (the seats stay empty).
    let r = run(&fifty(10, &[0, 0, 0, 0, 0]), &[]);
    assert_eq!(r.seats, [0, 0, 0, 0, 0]);
    assert_eq!(r.empty, 10);
    assert!(r.order().is_empty());
}

#[test]
fn lt_19_seats_test_with_absolute_majority_of_votes_but_not_seats() {
    let r = run(&fifty(15, &[2571, 977, 567, 536, 453]), &[]);
    assert_eq!(r.order(), [2, 3, 4]);
    assert_eq!(r.p9(), Some((4, 1)));
    assert_eq!(r.seats, [8, 3, 2, 1, 1]);
    assert!(!r.warned());
}

#[test]
fn lt_19_seats_test_exactly_half_of_votes_should_not_trigger_absolute_majority_reassignment() {
    let r = run(&fifty(15, &[2552, 987, 570, 539, 456]), &[]);
    assert_eq!(r.order(), [2, 3, 4]);
    assert_eq!(r.p9(), None);
    assert_eq!(r.seats, [7, 3, 2, 2, 1]);
}

#[test]
fn lt_19_seats_drawing_of_lots_test_with_absolute_majority_of_votes_but_not_seats_with_drawing_of_lots_required()
 {
    let r = run(&fifty(15, &[2552, 511, 511, 511, 509, 509]), &[3]);
    assert_eq!(
        r.asked,
        [(LotReason::AbsoluteMajorityRetraction, vec![2, 3, 4])]
    );
    assert_eq!(r.order(), [2, 3, 4]);
    assert_eq!(r.p9(), Some((3, 1)));
    assert_eq!(r.seats, [8, 2, 1, 2, 1, 1]);
}

#[test]
fn lt_19_seats_drawing_of_lots_test_with_0_remainders_drawing_of_lots_one_list_drawn() {
    let r = run(&fifty(15, &[540, 160, 160, 80, 80, 80, 55, 45]), &[6]);
    assert_eq!(r.options(), [vec![2, 3, 4, 5, 6]]);
    assert_eq!(r.seats_left(), [1]);
    assert_eq!(r.order(), [1, 6]);
    assert_eq!(r.seats, [7, 2, 2, 1, 1, 2, 0, 0]);
}

#[test]
fn lt_19_seats_drawing_of_lots_test_with_drawing_of_lots_multiple_lists_drawn() {
    let r = run(&fifty(15, &[500, 140, 140, 140, 140, 140]), &[4, 2, 5, 6]);
    assert_eq!(
        r.options(),
        [
            vec![2, 3, 4, 5, 6],
            vec![2, 3, 5, 6],
            vec![3, 5, 6],
            vec![3, 6]
        ]
    );
    assert_eq!(r.seats_left(), [4, 3, 2, 1]);
    assert_eq!(r.order(), [4, 2, 5, 6]);
    assert_eq!(r.seats, [6, 2, 1, 2, 2, 2]);
}

#[test]
fn lt_19_seats_drawing_of_lots_test_triggering_1st_round_unique_highest_average_assignment_with_same_averages()
 {
    // 3 seats, five lists of one candidate with 2000 votes: nobody reaches 75% of the
    // kiesdeler (2500), so P 8 lid 3 decides, one lot at a time.
    let r = run(
        &cands(3, &[&[2000], &[2000], &[2000], &[2000], &[2000]]),
        &[3, 4, 2],
    );
    assert_eq!(
        r.options(),
        [vec![1, 2, 3, 4, 5], vec![1, 2, 4, 5], vec![1, 2, 5]]
    );
    assert_eq!(r.seats_left(), [3, 2, 1]);
    assert_eq!(r.seats, [0, 1, 1, 1, 0]);
}

#[test]
fn lt_19_seats_drawing_of_lots_test_with_list_exhaustion_triggering_2nd_round_highest_average_assignment_with_same_averages()
 {
    let r = run(&cands(5, &[&[3, 2], &[3, 2], &[25, 25]]), &[2]);
    assert_eq!(
        r.asked,
        [(
            LotReason::ExhaustionReassignment { article: "P 10" },
            vec![1, 2]
        )]
    );
    assert_eq!(r.p10(), [(3, 3)]);
    assert_eq!(r.seats, [1, 2, 2]);
}

#[test]
fn lt_19_seats_list_exhaustion_test_with_list_exhaustion_during_full_seats_assignment() {
    let r = run(
        &cands(
            15,
            &[
                &[500, 500, 500, 500],
                &[400, 400, 400, 400],
                &[400, 400, 400],
                &[400, 400],
                &[200, 200],
            ],
        ),
        &[],
    );
    assert_eq!(r.p10(), [(1, 1)]);
    assert_eq!(r.order(), [5]);
    assert_eq!(r.seats, [4, 4, 3, 2, 2]);
    assert!(!r.warned());
}

#[test]
fn lt_19_seats_list_exhaustion_test_with_list_exhaustion_during_residual_seats_assignment_with_largest_remainders_method()
 {
    // A real case from GR2022.
    let r = run(
        &cands(
            17,
            &[
                &[754, 85, 84, 40, 31, 15, 2, 38, 3, 4, 8, 8, 4, 17, 5, 3, 15],
                &[274, 48, 11, 76, 10, 66],
                &[470, 47, 53, 131, 31, 62, 10, 4, 1, 10, 13],
                &[382, 109, 55, 12, 29, 29, 9, 2, 6, 13, 12],
                &[323, 46, 106, 16, 6, 31, 20, 34, 6, 13],
                &[253, 221, 93, 9, 18, 7, 12, 36],
                &[169, 123, 26, 209, 3, 11, 11, 3, 22, 6, 7, 1, 15],
                &[189, 17, 7, 40, 4, 7, 3, 9, 2, 23, 9, 9, 4, 3],
                &[439, 64, 78, 22, 71, 21, 37, 9, 20, 7, 38, 378],
                &[716],
                &[221, 53, 15, 7, 27, 57],
            ],
        ),
        &[],
    );
    assert_eq!(r.order(), [3, 11, 9, 10, 1, 4, 6]);
    assert_eq!(r.p10(), [(10, 1)]);
    assert_eq!(r.seats, [3, 1, 2, 2, 1, 2, 1, 0, 3, 1, 1]);
    assert!(!r.warned());
}

#[test]
fn lt_19_seats_list_exhaustion_test_with_list_exhaustion_during_residual_seats_assignment_with_unique_highest_averages_method()
 {
    let r = run(
        &cands(
            10,
            &[
                &[0],
                &[3],
                &[5],
                &[6],
                &[7],
                &[10, 10, 10, 10, 10, 10, 10, 9],
            ],
        ),
        &[],
    );
    assert_eq!(r.order(), [6, 6, 5, 4]);
    assert_eq!(r.p10(), [(6, 1)]);
    assert_eq!(r.seats, [0, 0, 0, 1, 1, 8]);
}

#[test]
fn lt_19_seats_list_exhaustion_test_with_list_exhaustion_triggering_2nd_round_highest_average_assignment_with_same_averages()
 {
    let r = run(&cands(6, &[&[3, 2], &[3, 2], &[25, 25]]), &[]);
    assert_eq!(r.order(), [3, 1, 2, 1, 2]);
    assert_eq!(r.p10(), [(3, 4)]);
    assert_eq!(r.seats, [2, 2, 2]);
}

#[test]
fn lt_19_seats_list_exhaustion_test_with_list_exhaustion_triggering_2nd_round_highest_average_assignment_with_different_averages()
 {
    let r = run(&cands(6, &[&[3, 3], &[2, 2], &[25, 25]]), &[]);
    assert_eq!(r.order(), [3, 1, 2, 1, 2]);
    assert_eq!(r.p10(), [(3, 4)]);
    assert_eq!(r.seats, [2, 2, 2]);
}

/// Issue 15's example: P 9 gives list 1 an 8th seat; P 10 takes it back (7 candidates) and
/// list 4, whose restzetel lapsed, gets it back by the same remainder.
#[test]
fn lt_19_seats_list_exhaustion_test_with_absolute_majority_of_votes_but_not_seats_and_list_exhaustion()
 {
    let r = run(
        &cands(
            15,
            &[
                &[2571, 0, 0, 0, 0, 0, 0],
                &[977, 0, 0, 0],
                &[567, 0],
                &[536, 0],
                &[453, 0],
            ],
        ),
        &[],
    );
    assert_eq!(r.order(), [2, 3, 4, 4]);
    assert_eq!(r.p9(), Some((4, 1)));
    assert_eq!(r.p10(), [(1, 1)]);
    assert_eq!(r.seats, [7, 3, 2, 2, 1]);
    assert!(r.warned());
}

#[test]
fn lt_19_seats_list_exhaustion_test_with_absolute_majority_of_votes_but_not_seats_and_list_exhaustion_triggering_unique_highest_averages_assignment()
 {
    // Kiesdeler 10, 75% = 7.5. Full 3, 4, 0; the restzetel goes to list 1 (remainder 2);
    // P 9 moves it to list 2 (41 > 40 votes, 4 seats); P 10 takes 2 seats from list 2 (3
    // candidates). List 1 competes again for its remainder seat and gets it back; then P 8
    // lid 3: list 3 (7) before list 1 (32/5).
    let r = run(&cands(8, &[&[32, 0, 0, 0, 0], &[41, 0, 0], &[7]]), &[]);
    assert_eq!(r.order(), [1, 1, 3]);
    assert_eq!(r.p9(), Some((1, 2)));
    assert_eq!(r.p10(), [(2, 2)]);
    assert_eq!(r.seats, [4, 3, 1]);
    assert!(r.warned());
}

#[test]
fn lt_19_seats_list_exhaustion_test_with_absolute_majority_of_votes_but_not_seats_and_list_exhaustion_triggering_multiple_unique_highest_averages_assignment()
 {
    let r = run(&cands(8, &[&[537, 0], &[10], &[426, 0, 0, 0, 0, 0]]), &[]);
    assert_eq!(r.order(), [3, 3, 3, 2]);
    assert_eq!(r.p9(), Some((3, 1)));
    assert_eq!(r.p10(), [(1, 3)]);
    assert_eq!(r.seats, [2, 1, 5]);
    assert!(r.warned());
}

#[test]
fn lt_19_seats_list_exhaustion_test_with_all_lists_exhausted_leaves_seat_empty() {
    let r = run(
        &cands(
            15,
            &[
                &[500, 500, 500, 500],
                &[400, 400, 400, 400],
                &[400, 400, 400],
                &[400, 400],
                &[400],
            ],
        ),
        &[],
    );
    assert_eq!(r.p10(), [(1, 1)]);
    assert_eq!(r.seats, [4, 4, 3, 2, 1]);
    assert_eq!(r.empty, 1);
}

#[test]
fn lt_19_seats_list_exhaustion_test_with_2_exhausted_lists_leaves_seat_unassigned() {
    let r = run(
        &cands(
            15,
            &[
                &[500, 500, 500, 500],
                &[500, 500, 500, 500],
                &[400, 400, 400],
                &[400, 0],
                &[400],
            ],
        ),
        &[],
    );
    assert_eq!(r.p10(), [(1, 1), (2, 1)]);
    assert_eq!(r.order(), [4]);
    assert_eq!(r.seats, [4, 4, 3, 2, 1]);
    assert_eq!(r.empty, 1);
}

#[test]
fn lt_19_seats_list_exhaustion_test_with_list_exhaustion_due_to_deceased_candidates() {
    let mut e = cands(
        15,
        &[
            &[610, 0, 0, 0, 0, 0],
            &[520, 0, 0, 0, 0, 0, 0],
            &[370, 0, 0, 0, 0],
        ],
    );
    e.parties[0].lists[0].candidates[5].deceased = true;
    let r = run(&e, &[]);
    assert_eq!(r.order(), [3, 2]);
    assert_eq!(r.p10(), [(1, 1)]);
    assert_eq!(r.seats, [5, 6, 4]);
}

// ---------------------------------------------------------------------------------------
// seat_assignment::tests::gte_19_seats (P 7)
// ---------------------------------------------------------------------------------------

#[test]
fn gte_19_seats_test_without_remainder_seats() {
    let r = run(&fifty(25, &[576, 288, 96, 96, 96, 48]), &[]);
    assert_eq!(r.seats, [12, 6, 2, 2, 2, 1]);
    assert!(r.order().is_empty());
}

#[test]
fn gte_19_seats_test_with_non_consecutive_list_numbers() {
    let lists: [(u32, &[u64]); 5] = [
        (1, &[50; 12]),
        (3, &[52, 50, 50, 50, 50, 50]),
        (4, &[98]),
        (6, &[50, 49]),
        (7, &[51, 50]),
    ];
    let e = election(
        Body::GR,
        23,
        lists
            .iter()
            .map(|(n, v)| party(*n, vec![list(v)]))
            .collect(),
    );
    let r = run(&e, &[]);
    assert_eq!(r.order(), [7, 3, 1, 6]);
    assert_eq!(r.seats, [12, 6, 1, 2, 2]);
}

#[test]
fn gte_19_seats_test_with_remainder_seats() {
    let r = run(&fifty(23, &[600, 302, 98, 99, 101]), &[]);
    assert_eq!(r.order(), [5, 2, 1, 4]);
    assert_eq!(r.seats, [12, 6, 1, 2, 2]);
}

#[test]
fn gte_19_seats_test_with_multiple_remainder_seats_assigned_to_one_list() {
    let r = run(&fifty(19, &[808, 57, 56, 55, 54, 53, 52, 51, 14]), &[]);
    assert_eq!(r.order(), [1, 1, 2, 3, 4, 5, 1]);
    assert_eq!(r.seats, [15, 1, 1, 1, 1, 0, 0, 0, 0]);
}

#[test]
fn gte_19_seats_test_with_0_votes() {
    let r = run(&fifty(19, &[0]), &[]);
    assert_eq!(r.seats, [0]);
    assert_eq!(r.empty, 19);
}

#[test]
fn gte_19_seats_test_with_absolute_majority_of_votes_but_not_seats() {
    let r = run(
        &fifty(24, &[7501, 1249, 1249, 1249, 1249, 1249, 1248, 7]),
        &[],
    );
    assert_eq!(r.order(), [2, 3, 4, 5, 6, 7]);
    assert_eq!(r.p9(), Some((7, 1)));
    assert_eq!(r.seats, [13, 2, 2, 2, 2, 2, 1, 0]);
    assert!(!r.warned());
}

#[test]
fn gte_19_seats_drawing_of_lots_test_with_absolute_majority_of_votes_but_not_seats_with_drawing_of_lots_required()
 {
    let r = run(
        &fifty(24, &[7501, 1249, 1249, 1249, 1249, 1248, 1248, 8]),
        &[6],
    );
    assert_eq!(
        r.asked,
        [(LotReason::AbsoluteMajorityRetraction, vec![6, 7])]
    );
    assert_eq!(r.p9(), Some((6, 1)));
    assert_eq!(r.seats, [13, 2, 2, 2, 2, 1, 2, 0]);
}

#[test]
fn gte_19_seats_drawing_of_lots_test_with_drawing_of_lots_multiple_lists_drawn() {
    let r = run(&fifty(23, &[500, 140, 140, 140, 140, 140]), &[4, 2, 5]);
    assert_eq!(
        r.options(),
        [vec![2, 3, 4, 5, 6], vec![2, 3, 5, 6], vec![3, 5, 6]]
    );
    assert_eq!(r.seats_left(), [3, 2, 1]);
    assert_eq!(r.order(), [1, 4, 2, 5]);
    assert_eq!(r.seats, [10, 3, 2, 3, 3, 2]);
}

#[test]
fn gte_19_seats_drawing_of_lots_test_with_drawing_of_lots_one_list_drawn() {
    // A real case from GR2026: a lot for the last restzetel between lists 3 and 9.
    let r = run(
        &cands(
            33,
            &[
                &[
                    1596, 870, 1023, 298, 477, 86, 118, 714, 283, 133, 286, 256, 104, 45, 17, 41,
                    126, 18, 144, 89, 11, 64, 30, 22, 188, 1229,
                ],
                &[
                    3104, 310, 280, 110, 280, 137, 166, 68, 20, 124, 34, 12, 11, 22, 33, 6, 6, 6,
                    14, 12, 14, 16, 1, 1, 4, 6, 8, 3, 3, 5, 4, 2, 6, 5, 2, 1, 7, 1, 1, 3, 6, 3, 9,
                    9, 17,
                ],
                &[
                    547, 123, 165, 224, 93, 14, 8, 228, 17, 23, 109, 2, 27, 40, 3, 8, 44, 13, 25,
                    10, 8, 10, 13, 14, 7, 34, 42,
                ],
                &[
                    730, 288, 218, 84, 159, 144, 37, 62, 109, 27, 41, 52, 16, 39, 34, 43, 33, 18,
                    38, 14, 31, 14, 17, 22, 50, 17, 34, 7, 51, 157,
                ],
                &[
                    631, 58, 99, 19, 31, 25, 11, 13, 14, 23, 8, 1, 23, 3, 14, 15, 86,
                ],
                &[
                    628, 181, 212, 75, 69, 86, 65, 68, 13, 30, 80, 67, 5, 16, 14, 19, 11, 22, 33,
                    14, 5, 34, 19, 24, 4, 11, 47,
                ],
                &[882, 91, 106, 21, 80, 43, 19, 8, 5, 36, 9, 1, 13, 23],
                &[
                    264, 134, 27, 29, 5, 19, 25, 6, 8, 16, 5, 2, 2, 0, 5, 5, 6, 3, 3, 9,
                ],
                &[
                    242, 21, 140, 44, 5, 15, 5, 30, 60, 7, 10, 20, 3, 6, 0, 2, 0, 7,
                ],
            ],
        ),
        &[9],
    );
    assert_eq!(r.options(), [vec![3, 9]]);
    assert_eq!(r.seats_left(), [1]);
    assert_eq!(r.order(), [1, 7, 4, 1, 6, 9]);
    assert_eq!(r.seats, [13, 7, 2, 4, 1, 3, 2, 0, 1]);
}

#[test]
fn gte_19_seats_list_exhaustion_test_with_list_exhaustion_during_full_seats_assignment() {
    let r = run(
        &cands(
            20,
            &[
                &[500, 500, 500, 500],
                &[400, 400, 400, 400, 400],
                &[400, 400, 400, 400],
                &[400, 400, 400, 400],
                &[400, 400, 0],
            ],
        ),
        &[],
    );
    assert_eq!(r.p10(), [(1, 1)]);
    assert_eq!(r.order(), [5]);
    assert_eq!(r.seats, [4, 5, 4, 4, 3]);
    assert!(!r.warned());
}

#[test]
fn gte_19_seats_list_exhaustion_test_with_list_exhaustion_during_residual_seats_assignment() {
    let r = run(
        &cands(
            19,
            &[
                &[400, 400, 400, 399, 0],
                &[400, 400, 400, 398, 0],
                &[400, 400, 400, 398, 0],
                &[400, 400, 400, 398, 0],
                &[502, 502],
            ],
        ),
        &[],
    );
    assert_eq!(r.order(), [5, 1]);
    assert_eq!(r.p10(), [(5, 1)]);
    assert_eq!(r.seats, [5, 4, 4, 4, 2]);
    assert!(!r.warned());
}

#[test]
fn gte_19_seats_list_exhaustion_test_with_absolute_majority_of_votes_but_not_seats_and_list_exhaustion()
 {
    let r = run(
        &cands(
            24,
            &[
                &[7501, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0],
                &[1249, 0],
                &[1249, 0],
                &[1249, 0],
                &[1249, 0],
                &[1249, 0],
                &[1248, 0],
                &[7],
            ],
        ),
        &[],
    );
    assert_eq!(r.order(), [2, 3, 4, 5, 6, 7, 7]);
    assert_eq!(r.p9(), Some((7, 1)));
    assert_eq!(r.p10(), [(1, 1)]);
    assert_eq!(r.seats, [12, 2, 2, 2, 2, 2, 2, 0]);
    assert!(r.warned());
}

#[test]
fn gte_19_seats_list_exhaustion_test_with_all_lists_exhausted_leaves_seat_unassigned() {
    let r = run(
        &cands(
            20,
            &[
                &[500, 500, 500, 500],
                &[400, 400, 400, 400, 400],
                &[400, 400, 400, 400],
                &[400, 400, 400, 400],
                &[400, 400],
            ],
        ),
        &[],
    );
    assert_eq!(r.p10(), [(1, 1)]);
    assert_eq!(r.seats, [4, 5, 4, 4, 2]);
    assert_eq!(r.empty, 1);
}

#[test]
fn gte_19_seats_list_exhaustion_test_with_2_exhausted_lists_leaves_seat_unassigned() {
    let r = run(
        &cands(
            20,
            &[
                &[500, 500, 500, 500],
                &[500, 500, 500, 500],
                &[400, 400, 400, 400],
                &[400, 400, 400, 400],
                &[400, 400, 0],
            ],
        ),
        &[],
    );
    assert_eq!(r.p10(), [(1, 1), (2, 1)]);
    assert_eq!(r.order(), [5]);
    assert_eq!(r.seats, [4, 4, 4, 4, 3]);
    assert_eq!(r.empty, 1);
}

#[test]
fn gte_19_seats_list_exhaustion_test_lists_with_zero_vote_not_assigned_seats() {
    // 10 seats (P 8 here, as in Abacus's test): list 1 has all 500 votes but 5 candidates;
    // the lists without votes take no seat, so 5 seats stay empty.
    let r = run(
        &cands(10, &[&[500, 0, 0, 0, 0], &[0], &[0], &[0], &[0]]),
        &[],
    );
    assert_eq!(r.p10(), [(1, 5)]);
    assert_eq!(r.seats, [5, 0, 0, 0, 0]);
    assert_eq!(r.empty, 5);
}

#[test]
fn gte_19_seats_list_exhaustion_test_with_list_exhaustion_due_to_deceased_candidates() {
    let mut e = cands(
        20,
        &[
            &[810, 0, 0, 0, 0, 0, 0, 0],
            &[620, 0, 0, 0, 0, 0, 0],
            &[570, 0, 0, 0, 0, 0, 0],
        ],
    );
    e.parties[0].lists[0].candidates[7].deceased = true;
    let r = run(&e, &[]);
    assert_eq!(r.order(), [3, 2]);
    assert_eq!(r.p10(), [(1, 1)]);
    assert_eq!(r.seats, [7, 7, 6]);
}

// ---------------------------------------------------------------------------------------
// structs::tests: a recorded lot must be one of the options, and of the kind asked for
// ---------------------------------------------------------------------------------------

#[test]
fn structs_test_list_drawing_lots_variant_validate() {
    // The P 9 lot of `gte_19_seats_drawing_of_lots_…` (options 6 and 7).
    let mut e = fifty(24, &[7501, 1249, 1249, 1249, 1249, 1248, 1248, 8]);
    // "Invalid number drawn": a list that is not an option.
    e.lots = vec![LotChoice::Party(9)];
    let err = kieswet::apportion_seats(&e).expect_err("not an option");
    assert_eq!(err.field, "lots[0]");
    // "Variant mismatch": a candidate where a list is drawn.
    e.lots = vec![LotChoice::Candidate {
        list: 6,
        position: 1,
    }];
    let err = kieswet::apportion_seats(&e).expect_err("not a list");
    assert_eq!(err.field, "lots[0]");
    // One of the options is replayed.
    e.lots = vec![LotChoice::Party(6)];
    assert!(matches!(
        kieswet::apportion_seats(&e),
        Ok(kieswet::SeatsOnly::Complete { .. })
    ));
}

#[test]
fn structs_test_candidate_drawing_lots_variant_validate() {
    // Five candidates of list 2 with equal votes for two seats (the candidate lot test of
    // `abacus_conformance_candidates.rs`): options are candidates 2–6 of list 2.
    let mut third = vec![6500];
    third.extend([0; 11]);
    let mut e = election(
        Body::GR,
        19,
        parties_with(vec![
            list(&[500; 6]),
            list(&[500, 400, 400, 400, 400, 400]),
            list(&third),
        ]),
    );
    e.parties[0].lists[0].list_votes = 1300;
    // "Invalid number drawn": a candidate that is not an option.
    e.lots = vec![LotChoice::Candidate {
        list: 2,
        position: 1,
    }];
    assert_eq!(
        kieswet::apportion(&e).expect_err("not an option").field,
        "lots[0]"
    );
    // "Variant mismatch": a candidate of another list, or a list.
    e.lots = vec![LotChoice::Candidate {
        list: 1,
        position: 3,
    }];
    assert_eq!(
        kieswet::apportion(&e).expect_err("other list").field,
        "lots[0]"
    );
    e.lots = vec![LotChoice::Party(2)];
    assert_eq!(
        kieswet::apportion(&e).expect_err("not a candidate").field,
        "lots[0]"
    );
    // Candidate 5 is an option; the engine then asks for the second lot.
    e.lots = vec![LotChoice::Candidate {
        list: 2,
        position: 5,
    }];
    let Ok(kieswet::Apportionment::LotRequired(l)) = kieswet::apportion(&e) else {
        panic!("a second lot is needed")
    };
    assert_eq!(l.index, 1);
    assert_eq!(
        l.reason,
        LotReason::PreferenceSeat {
            party: 2,
            seats_left: 1
        }
    );
}
