//! Worked examples for P 5–P 13. Unless stated otherwise: body GR, one list per party of 50
//! candidates with all votes on candidate 1. Every test narrates the steps that lead to its
//! expectation, and each would fail if the rule it names were applied wrongly.

mod seats_common;

use kieswet::seats::{EmptyReason, Exclusion, SeatStep, ValueKind};
use kieswet::{Body, Fraction, LotChoice, LotReason, RulesetName, Step};
use seats_common::*;

fn party_seats(e: &kieswet::Election) -> Vec<u32> {
    seats(e).0.party_seats
}

// ---------------------------------------------------------------------------------------
// Fewer than 19 seats: P 8
// ---------------------------------------------------------------------------------------

#[test]
fn s15_all_full_seats_no_restzetels() {
    // Total 1200, kiesdeler 1200/15 = 80. Every stemcijfer is a multiple of 80:
    // 480/80 = 6, 160/80 = 2 (×3), 80/80 = 1 (×3): 15 full seats, no restzetels.
    let (s, steps) = seats(&gr(15, &[480, 160, 160, 160, 80, 80, 80]));
    assert_eq!(s.party_seats, vec![6, 2, 2, 2, 1, 1, 1]);
    assert_eq!(s.full_seats, s.party_seats);
    assert_eq!(s.kiesdeler, Fraction::new(1200, 15));
    assert!(residual_order(&steps).is_empty());
}

#[test]
fn s15_list_below_75_percent_gets_no_remainder_seat() {
    // Kiesdeler 80, 75% = 60. Full seats 6,2,2,1,1,1,0,0 (13); remainders 60,0,0,0,0,0,60,40.
    // List 8 (40 < 60) is excluded by P 8 lid 2. Lists 1 and 7 tie on 60 for the 2 restzetels:
    // two tied lists, two seats, so no lot. List 7 reaches exactly 75% and qualifies.
    let (s, steps) = seats(&gr(15, &[540, 160, 160, 80, 80, 80, 60, 40]));
    assert_eq!(s.party_seats, vec![7, 2, 2, 1, 1, 1, 1, 0]);
    assert_eq!(residual_order(&steps), vec![1, 7]);
    let first = seat_steps(&steps)
        .find_map(|s| match s {
            SeatStep::ResidualByRemainder(r) => Some(r.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(first.article, "P 8");
    assert_eq!(first.value, Fraction::from_int(60));
    assert_eq!(first.tied, vec![1, 7]);
    assert!(!first.by_lot);
    let list8 = first.excluded.iter().find(|x| x.party == 8).unwrap();
    assert_eq!(
        list8.reason,
        Exclusion::BelowMinimum {
            minimum: Fraction::new(3600, 60),
            share: (3, 4)
        }
    );
    assert!(first.standings.iter().any(|s| s.party == 7));
}

#[test]
fn s15_average_round_gives_at_most_one_seat_per_list_and_includes_small_lists() {
    // Kiesdeler 80, 75% = 60. Full seats 10,0,…; only list 1 (808) reaches 60, so it takes the
    // one remainder seat (remainder 8). 4 seats left go by P 8 lid 3: averages 808/12 = 67.33,
    // then 59, 58, 57 (lists below 75% take part; list 1 already had its lid-3 seat, so its
    // 808/13 = 62.15 does not count in this round). Without the one-per-list limit list 1
    // would have taken a second seat before list 4.
    let (s, steps) = seats(&gr(15, &[808, 59, 58, 57, 56, 55, 54, 53]));
    assert_eq!(s.party_seats, vec![12, 1, 1, 1, 0, 0, 0, 0]);
    assert_eq!(residual_order(&steps), vec![1, 1, 2, 3, 4]);
    let lid3: Vec<_> = seat_steps(&steps)
        .filter_map(|s| match s {
            SeatStep::AverageRoundMaxOne(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(lid3.len(), 4);
    assert_eq!(lid3[0].article, "P 8 lid 3");
    assert_eq!(lid3[0].value, Fraction::new(808, 12));
    assert!(
        lid3[1]
            .excluded
            .iter()
            .any(|x| x.party == 1 && x.reason == Exclusion::AlreadyServed)
    );
}

#[test]
fn s15_zero_remainder_still_qualifies_but_ranks_last() {
    // Kiesdeler 80, 75% = 60. Full seats 6,3,3,0,… (12); remainders 0,0,0,55,50,45,45,45.
    // Only lists 1–3 reach 60; their remainders are 0, so they rank last — but they are the
    // only qualifying lists and there are 3 seats for 3 tied lists: no lot.
    let (s, steps) = seats(&gr(15, &[480, 240, 240, 55, 50, 45, 45, 45]));
    assert_eq!(s.party_seats, vec![7, 4, 4, 0, 0, 0, 0, 0]);
    assert_eq!(residual_order(&steps), vec![1, 2, 3]);
}

#[test]
fn s3_no_list_reaches_75_percent_so_all_seats_go_by_averages() {
    // Total 38, kiesdeler 38/3 = 12.67, 75% = 9.5: no list qualifies for a remainder seat.
    // P 8 lid 3: averages 8, 7, 6 → lists 1, 2, 3, one each.
    let (s, steps) = seats(&gr(3, &[8, 7, 6, 5, 4, 3, 2, 1, 1, 1]));
    assert_eq!(s.party_seats, vec![1, 1, 1, 0, 0, 0, 0, 0, 0, 0]);
    assert!(
        seat_steps(&steps)
            .filter_map(SeatStep::residual_seat)
            .count()
            == 3
    );
    assert!(
        seat_steps(&steps).all(|s| !matches!(s, SeatStep::ResidualByRemainder(_))),
        "no remainder seats"
    );
}

#[test]
fn s10_list_without_votes_never_gets_a_seat() {
    // Total 100, kiesdeler 10, 75% = 7.5. Full seats: list 6 (79) 7. Only list 6 qualifies:
    // remainder seat (9). Lid 3 for 2 seats: 79/9 = 8.78 (list 6), then 7 (list 5). List 1
    // has no votes and is never considered.
    let (s, steps) = seats(&gr(10, &[0, 3, 5, 6, 7, 79]));
    assert_eq!(s.party_seats, vec![0, 0, 0, 0, 1, 9]);
    let r = seat_steps(&steps)
        .filter_map(SeatStep::residual_seat)
        .last()
        .unwrap();
    assert!(
        r.excluded
            .iter()
            .any(|x| x.party == 1 && x.reason == Exclusion::NoVotes)
    );
}

#[test]
fn s10_no_votes_at_all_leaves_every_seat_empty() {
    // No votes: kiesdeler 0/10; nothing to divide, no error, all 10 seats stay empty.
    let (s, steps) = seats(&gr(10, &[0, 0, 0]));
    assert_eq!(s.party_seats, vec![0, 0, 0]);
    assert_eq!(s.empty_seats, 10);
    assert_eq!(s.total_votes, 0);
    assert_eq!(s.next_seat, None);
    assert!(seat_steps(&steps).any(|s| matches!(
        s,
        SeatStep::EmptySeats {
            seats: 10,
            reason: EmptyReason::NoVotes,
            ..
        }
    )));
}

#[test]
fn s15_absolute_majority_takes_the_last_remainder_seat() {
    // Total 5104, kiesdeler 340.27. Full seats 7,2,1,1,1 (12). Remainders: list 2 296.47,
    // list 3 226.73, list 4 195.73, list 1 189.13, list 5 112.73 → restzetels to 2, 3, 4.
    // List 1 has 2571 > 5104/2 votes but 7 ≤ 15/2 seats: P 9 gives it a seat, and the seat
    // won for the smallest remainder (list 4, restzetel 3) lapses.
    let (s, steps) = seats(&gr(15, &[2571, 977, 567, 536, 453]));
    assert_eq!(s.party_seats, vec![8, 3, 2, 1, 1]);
    let p9 = seat_steps(&steps)
        .find_map(|s| match s {
            SeatStep::AbsoluteMajority(a) => Some(a.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(p9.article, "P 9");
    assert_eq!((p9.party, p9.seats_before), (1, 7));
    assert_eq!((p9.lapsed_party, p9.lapsed_residual), (4, 3));
    assert_eq!(p9.lapsed_kind, ValueKind::Remainder);
    assert_eq!(p9.lapsed_value, Fraction::new(536 * 15 - 5104, 15));
    assert!(!p9.by_lot);
}

#[test]
fn s15_p9_then_p10_gives_the_lapsed_restzetel_back_to_its_list() {
    // The example above (Abacus's own test), but list 1 has only 7 candidates. P 9 gives
    // list 1 an 8th seat and list 4's restzetel (smallest remainder 195.73) lapses. P 10: list
    // 1 has 7 candidates, so that seat is passed on by continued P 8. The Kiesraad
    // ("Verduidelijkingen zetelverdeling"): return to the situation just before and continue
    // from there, so list 4 competes for a remainder seat again and gets it back "op basis
    // van dezelfde berekening" (195.73 beats list 5's 112.73). Result 7, 3, 2, 2, 1 — not
    // 7, 3, 2, 1, 2 (list 4 counted as already served).
    let mut e = gr(15, &[2571, 977, 567, 536, 453]);
    e.parties[0].lists[0] = list_n(2571, 7);
    let (s, steps) = seats(&e);
    assert_eq!(s.party_seats, vec![7, 3, 2, 2, 1]);
    assert_eq!(residual_order(&steps), vec![2, 3, 4, 4]);
    let x = seat_steps(&steps)
        .find(|s| matches!(s, SeatStep::Exhaustion(_)))
        .unwrap();
    let SeatStep::Exhaustion(xd) = x else {
        unreachable!()
    };
    assert_eq!(xd.article, "P 10");
    assert_eq!((xd.removed, xd.reassigned_to.clone()), (1, vec![4]));
    assert_eq!(xd.p9_lapsed_party, Some(4));
    assert!(
        x.describe_nl()
            .contains("Lijst 4 verloor eerder een restzetel door art. P 9")
    );
    let back = seat_steps(&steps)
        .filter_map(SeatStep::residual_seat)
        .last()
        .unwrap();
    assert!(back.continued);
    assert_eq!(back.value, Fraction::new(536 * 15 - 5104, 15));
    assert!(matches!(
        seat_steps(&steps).last(),
        Some(SeatStep::ResidualByRemainder(_))
    ));
    // Both articles applied: the outcome warns.
    let w = kieswet::warnings(&steps);
    assert_eq!(
        w,
        vec![kieswet::Warning::AbsoluteMajorityAndExhaustion {
            majority_party: 1,
            exhausted_parties: vec![1],
        }]
    );
    // Without P 9 (list 1 below half the votes) there is no warning even with P 10.
    assert!(kieswet::warnings(&seats(&gr(15, &[2552, 987, 570, 539, 456])).1).is_empty());
}

#[test]
fn s15_a_list_that_gained_by_p9_can_gain_again_by_p10() {
    // Kiesraad: a list that gained a seat by P 9 can still gain seats by P 10. Votes 752, 290,
    // 158, 300 (list 4 has one candidate). Total 1500, kiesdeler 100, 75% = 75. Full seats
    // 7, 2, 1, 3 (13); remainders 52, 90, 58, 0 → restzetels to list 2 (90) and list 3 (58).
    // P 9: list 1 has 752 > 750 votes and 7 ≤ 7.5 seats: it gets a seat, list 3's restzetel
    // (58) lapses: 8, 3, 1, 3. P 10: list 4 has one candidate for 3 seats; 2 seats pass on by
    // continued P 8. List 3 competes again (58) and gets its seat back; then list 1, which
    // never had a remainder seat, takes the next for 52. Final 9, 3, 2, 1.
    let e = election(
        Body::GR,
        15,
        parties_with(vec![
            list_n(752, 20),
            list_n(290, 20),
            list_n(158, 20),
            list_n(300, 1),
        ]),
    );
    let (s, steps) = seats(&e);
    assert_eq!(s.party_seats, vec![9, 3, 2, 1]);
    assert_eq!(residual_order(&steps), vec![2, 3, 3, 1]);
    assert_eq!(
        kieswet::warnings(&steps),
        vec![kieswet::Warning::AbsoluteMajorityAndExhaustion {
            majority_party: 1,
            exhausted_parties: vec![4],
        }]
    );
}

#[test]
fn s15_exactly_half_of_the_votes_is_no_absolute_majority() {
    // Total 5104; list 1 has 2552 = exactly half, not more: P 9 does not apply.
    // Full 7,2,1,1,1; remainders 170.13, 306.47, 229.73, 198.73, 115.73 → lists 2, 3, 4.
    let (s, steps) = seats(&gr(15, &[2552, 987, 570, 539, 456]));
    assert_eq!(s.party_seats, vec![7, 3, 2, 2, 1]);
    assert!(!seat_steps(&steps).any(|s| matches!(s, SeatStep::AbsoluteMajority(_))));
}

#[test]
fn s15_absolute_majority_retraction_tie_is_decided_by_lot() {
    // Total 5103; list 1 has 2552 > 5103/2. Kiesdeler 340.2: full 7,1,1,1,1,1 (12).
    // Remainders: lists 2–4 170.8, list 1 170.6, lists 5–6 168.8 → three tied lists for three
    // restzetels: no lot, lists 2, 3, 4. P 9: list 1 (7 ≤ 7.5 seats) gets a seat; lists 2, 3, 4
    // all won theirs for the same smallest remainder, so a lot decides who loses it.
    let e = gr(15, &[2552, 511, 511, 511, 509, 509]);
    let (asked, s, steps) = seats_with_lots(&e, &[3]);
    assert_eq!(
        asked,
        vec![(LotReason::AbsoluteMajorityRetraction, options(&[2, 3, 4]))]
    );
    assert_eq!(s.party_seats, vec![8, 2, 1, 2, 1, 1]);
    let p9 = seat_steps(&steps)
        .find_map(|s| match s {
            SeatStep::AbsoluteMajority(a) => Some(a.clone()),
            _ => None,
        })
        .unwrap();
    assert!(p9.by_lot);
    assert_eq!(p9.tied, vec![2, 3, 4]);
    assert_eq!(p9.lapsed_party, 3);
    let err = bad_lot(&e, &[LotChoice::Party(1)]);
    assert_eq!(err.field, "lots[0]");
}

#[test]
fn s15_remainder_tie_for_the_last_seat_is_decided_by_lot() {
    // Kiesdeler 80, 75% = 60. Full 6,2,2,1,1,1,0,0 (13); remainders 60,0,0,0,0,0,55,45.
    // Lists 7 (55) and 8 (45) are below 60. Restzetel 1: list 1 (60). Restzetel 2: lists 2–6
    // all have remainder 0 — five tied lists for one seat: lot. List 6 drawn.
    let e = gr(15, &[540, 160, 160, 80, 80, 80, 55, 45]);
    let (asked, s, _) = seats_with_lots(&e, &[6]);
    assert_eq!(
        asked,
        vec![(
            LotReason::ResidualSeat {
                article: "P 8",
                seats_left: 1
            },
            options(&[2, 3, 4, 5, 6])
        )]
    );
    assert_eq!(s.party_seats, vec![7, 2, 2, 1, 1, 2, 0, 0]);
    assert!(
        bad_lot(&e, &[LotChoice::Party(7)])
            .message_nl()
            .contains("lijst 7")
    );
}

#[test]
fn s15_four_successive_lots_one_at_a_time() {
    // Kiesdeler 80. Full 6,1,1,1,1,1 (11); remainders 20,60,60,60,60,60. Four restzetels for
    // five lists tied on 60: draw one at a time — 5 tied for 4 seats (4 drawn), 4 for 3
    // (2 drawn), 3 for 2 (5 drawn), 2 for 1 (6 drawn). List 3 is left out.
    let e = gr(15, &[500, 140, 140, 140, 140, 140]);
    let (asked, s, steps) = seats_with_lots(&e, &[4, 2, 5, 6]);
    let opts: Vec<_> = asked.iter().map(|(_, o)| o.clone()).collect();
    assert_eq!(
        opts,
        vec![
            options(&[2, 3, 4, 5, 6]),
            options(&[2, 3, 5, 6]),
            options(&[3, 5, 6]),
            options(&[3, 6])
        ]
    );
    let left: Vec<_> = asked
        .iter()
        .map(|(r, _)| match r {
            LotReason::ResidualSeat { seats_left, .. } => *seats_left,
            other => panic!("{other:?}"),
        })
        .collect();
    assert_eq!(left, vec![4, 3, 2, 1]);
    assert_eq!(s.party_seats, vec![6, 2, 1, 2, 2, 2]);
    assert_eq!(residual_order(&steps), vec![4, 2, 5, 6]);
    // A second lot for a list that already won the first is outside the options.
    let err = bad_lot(&e, &[LotChoice::Party(4), LotChoice::Party(4)]);
    assert_eq!(err.field, "lots[1]");
}

#[test]
fn s5_exhaustion_passes_seats_on_and_ends_in_a_lot() {
    // Votes 5, 5, 50 (list 3 has 2 candidates with 25 each). Total 60, kiesdeler 12, 75% = 9.
    // Full 0,0,4; remainder seat to list 3 (the only list ≥ 9) → 0,0,5. P 10: list 3 has 2
    // candidates, so 3 seats pass on. Continued P 8: no qualifying list left for remainders;
    // lid 3: lists 1 and 2 (average 5 each) — two tied lists, three seats: both get one.
    // One seat left, both have had their lid-3 seat: unrestricted averages 5/2 = 5/2 tie for
    // one seat → lot between lists 1 and 2.
    let e = election(
        Body::GR,
        5,
        parties_with(vec![list(&[3, 2]), list(&[3, 2]), list(&[25, 25])]),
    );
    let (asked, s, steps) = seats_with_lots(&e, &[2]);
    assert_eq!(
        asked,
        vec![(
            LotReason::ExhaustionReassignment { article: "P 10" },
            options(&[1, 2])
        )]
    );
    assert_eq!(s.party_seats, vec![1, 2, 2]);
    let x = seat_steps(&steps)
        .find_map(|s| match s {
            SeatStep::Exhaustion(x) => Some(x.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(x.removed, 3);
    assert_eq!(x.reassigned_to, vec![1, 2, 2]);
    assert!(seat_steps(&steps).any(|s| matches!(s, SeatStep::AverageRoundUnrestricted(_))));
    assert!(
        bad_lot(&e, &[LotChoice::Party(3)])
            .message_nl()
            .contains("lijst 3")
    );
}

#[test]
fn s15_exhaustion_in_the_full_seats() {
    // Lists of 4×500, 4×400, 3×400, 2×400, 2×200 votes: stemcijfers 2000, 1600, 1200, 800, 400;
    // kiesdeler 400; full seats 5,4,3,2,1 = 15. List 1 has only 4 candidates: one seat passes
    // on. Lists 2–4 have no candidates left either; list 5 (1 seat, 2 candidates) is the only
    // list that can take it (remainder 0, qualifies).
    let e = election(
        Body::GR,
        15,
        parties_with(vec![
            list(&[500; 4]),
            list(&[400; 4]),
            list(&[400; 3]),
            list(&[400; 2]),
            list(&[200; 2]),
        ]),
    );
    let (s, _) = seats(&e);
    assert_eq!(s.party_seats, vec![4, 4, 3, 2, 2]);
    assert_eq!(s.full_seats, vec![5, 4, 3, 2, 1]);
    assert_eq!(s.empty_seats, 0);
}

#[test]
fn s17_exhaustion_after_remainder_seats_with_75_percent_exclusion() {
    // Total 7553, kiesdeler 444.29, 75% = 333.22. Full 2,1,1,1,1,1,1,0,2,1,0 (11).
    // Remainders: 3: 387.71, 11: 380, 9: 295.41, 10: 271.71, 1: 227.41, 4: 213.71,
    // 6: 204.71, … List 8 (326) is below 75% despite its large remainder 326.
    // Six restzetels: 3, 11, 9, 10, 1, 4. List 10 has one candidate but 2 seats: P 10 passes
    // one seat on by continuing the remainder ranking: list 6 (204.71).
    let votes = [1116, 485, 832, 658, 601, 649, 606, 326, 1184, 716, 380];
    let counts = [17, 6, 11, 11, 10, 8, 13, 14, 12, 1, 6];
    let e = election(
        Body::GR,
        17,
        parties_with(
            votes
                .iter()
                .zip(counts)
                .map(|(&v, n)| list_n(v, n))
                .collect(),
        ),
    );
    let (s, steps) = seats(&e);
    assert_eq!(s.party_seats, vec![3, 1, 2, 2, 1, 2, 1, 0, 3, 1, 1]);
    assert_eq!(residual_order(&steps), vec![3, 11, 9, 10, 1, 4, 6]);
    let r = seat_steps(&steps)
        .find_map(SeatStep::residual_seat)
        .unwrap();
    assert!(
        r.excluded
            .iter()
            .any(|x| x.party == 8
                && matches!(x.reason, Exclusion::BelowMinimum { share: (3, 4), .. }))
    );
    let last = seat_steps(&steps)
        .filter_map(SeatStep::residual_seat)
        .last()
        .unwrap();
    assert!(last.continued);
}

#[test]
fn s15_all_lists_exhausted_leaves_a_seat_empty() {
    // As the full-seats exhaustion case, but list 5 has one candidate with 400 votes: full
    // seats 5,4,3,2,1 and every list has all its candidates elected. The seat list 1 cannot
    // fill has nowhere to go: it stays empty.
    let e = election(
        Body::GR,
        15,
        parties_with(vec![
            list(&[500; 4]),
            list(&[400; 4]),
            list(&[400; 3]),
            list(&[400; 2]),
            list(&[400]),
        ]),
    );
    let (s, steps) = seats(&e);
    assert_eq!(s.party_seats, vec![4, 4, 3, 2, 1]);
    assert_eq!(s.empty_seats, 1);
    assert_eq!(s.next_seat, None);
    let x = seat_steps(&steps)
        .find_map(|s| match s {
            SeatStep::Exhaustion(x) => Some(x.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!((x.removed, x.left_empty), (1, 1));
}

#[test]
fn s15_deceased_candidate_does_not_count_for_exhaustion() {
    // Total 1500, kiesdeler 100. Full 6,5,3 (14); remainders 10, 20, 70 → restzetel to list 3:
    // 6,5,4. With candidate 6 of list 1 deceased, list 1 has 5 living candidates for 6 seats:
    // one seat passes on by the remainder ranking to list 2 (20). The deceased candidate's
    // votes still count in the stemcijfer.
    let make = |deceased: bool| {
        let mut l1 = list_n(600, 6);
        l1.candidates[5].votes = 10;
        l1.candidates[5].deceased = deceased;
        election(
            Body::GR,
            15,
            parties_with(vec![l1, list_n(520, 7), list_n(370, 5)]),
        )
    };
    assert_eq!(party_seats(&make(false)), vec![6, 5, 4]);
    assert_eq!(party_seats(&make(true)), vec![5, 6, 4]);
}

// ---------------------------------------------------------------------------------------
// 19 seats or more: P 7
// ---------------------------------------------------------------------------------------

#[test]
fn s25_all_full_seats() {
    // Total 1200, kiesdeler 48: 576/48 = 12, 288/48 = 6, 96/48 = 2 (×3), 48/48 = 1.
    assert_eq!(
        party_seats(&gr(25, &[576, 288, 96, 96, 96, 48])),
        vec![12, 6, 2, 2, 2, 1]
    );
}

#[test]
fn s23_largest_averages() {
    // Total 1200, kiesdeler 52.17. Full 11,5,1,1,1 (19). Four restzetels by averages:
    // list 5 101/2 = 50.5, list 2 302/6 = 50.33, list 1 600/12 = 50, list 4 99/2 = 49.5.
    let (s, steps) = seats(&gr(23, &[600, 302, 98, 99, 101]));
    assert_eq!(s.party_seats, vec![12, 6, 1, 2, 2]);
    assert_eq!(residual_order(&steps), vec![5, 2, 1, 4]);
    let r = seat_steps(&steps)
        .find_map(SeatStep::residual_seat)
        .unwrap();
    assert_eq!(r.article, "P 7");
    assert_eq!(r.value, Fraction::new(101, 2));
    assert_eq!(
        r.standings.len(),
        5,
        "all lists compete in GR (no P 7 lid 2)"
    );
}

#[test]
fn s19_largest_averages_can_give_a_list_several_restzetels() {
    // Total 1200, kiesdeler 63.16. Full 12,0,… Seven restzetels: list 1 808/13 = 62.15,
    // list 1 808/14 = 57.71, list 2 57, list 3 56, list 4 55, list 5 54, list 1 808/15 = 53.87.
    let (s, steps) = seats(&gr(19, &[808, 57, 56, 55, 54, 53, 52, 51, 14]));
    assert_eq!(s.party_seats, vec![15, 1, 1, 1, 1, 0, 0, 0, 0]);
    assert_eq!(residual_order(&steps), vec![1, 1, 2, 3, 4, 5, 1]);
}

#[test]
fn s24_absolute_majority_by_largest_averages() {
    // Total 15001, list 1 has 7501 > half. Kiesdeler 625.04: full 12,1,1,1,1,1,1,0 (18).
    // Restzetels: lists 2–6 at 1249/2 = 624.5 (five tied, six seats: no lot), then list 7
    // 1248/2 = 624. List 1 has 12 ≤ 24/2: P 9 gives it a seat; list 7's seat (smallest
    // average 624) lapses.
    let (s, steps) = seats(&gr(24, &[7501, 1249, 1249, 1249, 1249, 1249, 1248, 7]));
    assert_eq!(s.party_seats, vec![13, 2, 2, 2, 2, 2, 1, 0]);
    let p9 = seat_steps(&steps)
        .find_map(|s| match s {
            SeatStep::AbsoluteMajority(a) => Some(a.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!((p9.lapsed_party, p9.lapsed_residual), (7, 6));
    assert_eq!(p9.lapsed_kind, ValueKind::Average);
    assert_eq!(p9.lapsed_value, Fraction::from_int(624));
}

#[test]
fn s24_absolute_majority_tie_between_two_smallest_averages() {
    // Total 15001; full 12,1,…,1,0. Restzetels: lists 2–5 at 624.5, lists 6–7 at 624 (two
    // tied, two seats: no lot). P 9: lists 6 and 7 both won a seat for the smallest average
    // 624 → lot; list 6 drawn loses its seat.
    let e = gr(24, &[7501, 1249, 1249, 1249, 1249, 1248, 1248, 8]);
    let (asked, s, _) = seats_with_lots(&e, &[6]);
    assert_eq!(
        asked,
        vec![(LotReason::AbsoluteMajorityRetraction, options(&[6, 7]))]
    );
    assert_eq!(s.party_seats, vec![13, 2, 2, 2, 2, 1, 2, 0]);
    assert!(
        bad_lot(&e, &[LotChoice::Party(5)])
            .message_nl()
            .contains("lijst 5")
    );
}

#[test]
fn s23_successive_lots_for_equal_averages() {
    // Total 1200, kiesdeler 52.17. Full 9,2,2,2,2,2 (19). Restzetel 1: list 1 500/10 = 50.
    // Then lists 2–6 tie at 140/3 = 46.67 (list 1 now 500/11 = 45.45) for three seats:
    // 5 tied for 3 (4 drawn), 4 for 2 (2 drawn), 3 for 1 (5 drawn).
    let e = gr(23, &[500, 140, 140, 140, 140, 140]);
    let (asked, s, _) = seats_with_lots(&e, &[4, 2, 5]);
    let opts: Vec<_> = asked.iter().map(|(_, o)| o.clone()).collect();
    assert_eq!(
        opts,
        vec![
            options(&[2, 3, 4, 5, 6]),
            options(&[2, 3, 5, 6]),
            options(&[3, 5, 6])
        ]
    );
    assert_eq!(
        asked[0].0,
        LotReason::ResidualSeat {
            article: "P 7",
            seats_left: 3
        }
    );
    assert_eq!(s.party_seats, vec![10, 3, 2, 3, 3, 2]);
    assert_eq!(bad_lot(&e, &[LotChoice::Party(1)]).field, "lots[0]");
}

#[test]
fn s33_gr2026_tie_for_the_last_restzetel() {
    // Real GR2026 case. Total 23050, kiesdeler 698.48. Full 11,7,2,3,1,2,1,0,0 (27).
    // Restzetels: L1 689, L7 668.5, L4 646.5, L1 636, L6 617.33, then L3 1851/3 = 617 and
    // L9 617/1 = 617 tie for the last seat → lot; L9 drawn.
    let e = gr(33, &[8268, 4892, 1851, 2586, 1074, 1852, 1337, 573, 617]);
    let (asked, s, steps) = seats_with_lots(&e, &[9]);
    assert_eq!(
        asked,
        vec![(
            LotReason::ResidualSeat {
                article: "P 7",
                seats_left: 1
            },
            options(&[3, 9])
        )]
    );
    assert_eq!(s.party_seats, vec![13, 7, 2, 4, 1, 3, 2, 0, 1]);
    assert_eq!(residual_order(&steps), vec![1, 7, 4, 1, 6, 9]);
    let last = seat_steps(&steps)
        .filter_map(SeatStep::residual_seat)
        .last()
        .unwrap();
    assert!(last.by_lot);
    assert_eq!(last.tied, vec![3, 9]);
    assert_eq!(last.value, Fraction::from_int(617));
    // The lot is recorded as a step just before the seat.
    assert!(steps.iter().any(|s| matches!(s, Step::Lot(_))));
    // With list 3 drawn instead, list 3 gets the seat.
    let (_, s3, _) = seats_with_lots(&e, &[3]);
    assert_eq!(s3.party_seats, vec![13, 7, 3, 4, 1, 3, 2, 0, 0]);
    assert!(
        bad_lot(&e, &[LotChoice::Party(6)])
            .message_nl()
            .contains("lijst 6")
    );
}

#[test]
fn s20_exhaustion_with_every_list_full_leaves_a_seat_empty() {
    // Stemcijfers 2000 (4 candidates), 2000 (5), 1600 (4), 1600 (4), 800 (2); kiesdeler 400:
    // full seats 5,5,4,4,2 = 20. List 1 can fill only 4; every other list has all its
    // candidates elected, so the seat stays empty.
    let e = election(
        Body::GR,
        20,
        parties_with(vec![
            list(&[500; 4]),
            list(&[400; 5]),
            list(&[400; 4]),
            list(&[400; 4]),
            list(&[400, 400]),
        ]),
    );
    let (s, _) = seats(&e);
    assert_eq!(s.party_seats, vec![4, 5, 4, 4, 2]);
    assert_eq!(s.empty_seats, 1);
}

// ---------------------------------------------------------------------------------------
// Lijstengroepen: P 12 / P 13
// ---------------------------------------------------------------------------------------

fn kk(mut l: kieswet::List, kieskringen: &[u32]) -> kieswet::List {
    l.kieskringen = kieskringen.into();
    l
}

#[test]
fn group_full_seats_then_largest_remainders_and_seat_order() {
    // PS, 43 seats. Party 1 is a group of three lists (5000, 3000, 2000 = 10000 votes),
    // party 2 a single list with 10001. Kiesdeler 20001/43: full seats 21 and 21; the one
    // restzetel by averages goes to party 2 (10001/22 > 10000/22) → 21, 22.
    // P 12 for party 1: groepskiesdeler 10000/21 = 476.19; full seats 10, 6, 4 (20);
    // remainders 238.10, 142.86, 95.24 → the group's one restzetel goes to the first list.
    // Seat order: full seats in list order, then the restzetel.
    let e = election(
        Body::PS,
        43,
        vec![
            party(
                1,
                vec![
                    kk(list_n(5000, 30), &[1]),
                    kk(list_n(3000, 30), &[2]),
                    kk(list_n(2000, 30), &[3]),
                ],
            ),
            party(2, vec![list_n(10001, 50)]),
        ],
    );
    let (s, steps) = seats(&e);
    assert_eq!(s.party_seats, vec![21, 22]);
    assert_eq!(s.list_seats, vec![vec![11, 6, 4], vec![22]]);
    let mut order = vec![0; 10];
    order.extend([1; 6]);
    order.extend([2; 4]);
    order.push(0);
    assert_eq!(s.group_seat_order[0], order);
    assert!(s.group_seat_order[1].is_empty());
    assert!(seat_steps(&steps).any(|s| matches!(
        s,
        SeatStep::GroupQuota {
            party: 1,
            seats: 21,
            article: "P 12",
            ..
        }
    )));
}

#[test]
fn group_list_with_too_few_candidates_passes_its_seat_on() {
    // Group of three lists: 6000 (2 candidates), 3000, 1000, with 10 group seats (the group
    // is the only party). Groepskiesdeler 1000: full seats 6, 3, 1 = 10, no restzetels.
    // P 13 lid 1: list 1 can fill only 2 seats; 4 seats pass on by continued P 12: the
    // remainder ranking (all remainders 0; lists 2 and 3 tied for 4 seats — no lot) gives
    // one each to lists 2 and 3; then P 13 lid 2, largest averages: list 2 3000/5 = 600,
    // list 3 1000/3 = 333.33 → list 2 twice (600, then 3000/6 = 500).
    let e = election(
        Body::PS,
        10,
        vec![party(
            1,
            vec![
                kk(list_n(6000, 2), &[1]),
                kk(list_n(3000, 30), &[2]),
                kk(list_n(1000, 30), &[3]),
            ],
        )],
    );
    let (s, steps) = seats(&e);
    assert_eq!(s.party_seats, vec![10]);
    assert_eq!(s.list_seats[0], vec![2, 6, 2]);
    assert!(seat_steps(&steps).any(|s| matches!(
        s,
        SeatStep::GroupExhaustion {
            list: 0,
            seats: 6,
            living_candidates: 2,
            removed: 4,
            article: "P 13",
            ..
        }
    )));
    let averages = seat_steps(&steps)
        .filter(|s| matches!(s, SeatStep::GroupAverage(_)))
        .count();
    assert_eq!(averages, 2);
    assert_eq!(s.group_seat_order[0], vec![0, 0, 1, 1, 1, 2, 1, 2, 1, 1]);
}

#[test]
fn group_remainder_tie_is_decided_by_lot_between_lists() {
    // A group of two lists with 150 votes each and 3 seats (the only party): groepskiesdeler
    // 100; full 1, 1; remainders 50, 50 tie for one restzetel → lot between the lists, named
    // by party and first kieskring.
    let e = election(
        Body::PS,
        3,
        vec![party(
            7,
            vec![kk(list_n(150, 10), &[4]), kk(list_n(150, 10), &[9])],
        )],
    );
    let mut with = e.clone();
    with.lots = vec![LotChoice::GroupList {
        party: 7,
        kieskring: 9,
    }];
    match kieswet::apportion_seats(&e).unwrap() {
        kieswet::SeatsOnly::LotRequired(l) => {
            assert_eq!(l.reason, LotReason::GroupSeat { party: 7 });
            assert_eq!(
                l.options,
                vec![
                    LotChoice::GroupList {
                        party: 7,
                        kieskring: 4
                    },
                    LotChoice::GroupList {
                        party: 7,
                        kieskring: 9
                    }
                ]
            );
        }
        kieswet::SeatsOnly::Complete { .. } => panic!("a lot is needed"),
    }
    let (s, _) = seats(&with);
    assert_eq!(s.list_seats[0], vec![1, 2]);
    // A party number is not a list of the group.
    assert_eq!(bad_lot(&e, &[LotChoice::Party(7)]).field, "lots[0]");
}

#[test]
fn group_exhaustion_counts_distinct_living_persons_across_lists() {
    // Party 1 is a group of two lists with the same 3 persons on both (numbers 0, 1, 2): 3
    // distinct persons, although the lists have 6 entries. With 10 seats and votes 900 vs
    // 100 it would get 9 seats; P 10 leaves it 3 and passes 6 on to party 2 (50 candidates).
    // P 12 then divides the 3 seats: groepskiesdeler 300, full 1 and 1, restzetel to the
    // first list (remainder 160 against 140).
    let persons = |votes: u64, k: u32| kk(list(&[votes, 0, 0]), &[k]);
    let e = election(
        Body::PS,
        10,
        vec![
            party(1, vec![persons(460, 1), persons(440, 2)]),
            party(2, vec![list_n(100, 50)]),
        ],
    );
    let (s, _) = seats(&e);
    assert_eq!(s.party_seats, vec![3, 7]);
    assert_eq!(s.list_seats[0], vec![2, 1]);
}

#[test]
fn a_person_marked_deceased_on_one_list_of_a_group_is_deceased_on_all() {
    // Party 1 is a group: list 1 names persons 0–3, list 2 persons 0–2; person 1 is marked
    // deceased on list 1 only, which is enough (P 19a): the group has 3 living persons (0, 2,
    // 3), and list 2 only 2 (0 and 2). With 10 seats and votes 900 vs 100 the group would
    // get 9 seats; P 10 leaves it 3. P 12: groepskiesdeler 900/3 = 300, list 2 (890 votes)
    // gets 2 full seats and the restzetel (remainder 290 against 10): 3 seats for 2 living
    // persons, so P 13 passes one on to list 1.
    let mut first = kk(list(&[10, 0, 0, 0]), &[1]);
    first.candidates[1].deceased = true;
    let e = election(
        Body::PS,
        10,
        vec![
            party(1, vec![first, kk(list(&[890, 0, 0]), &[2])]),
            party(2, vec![list_n(100, 50)]),
        ],
    );
    let (s, _) = seats(&e);
    assert_eq!(s.party_seats, vec![3, 7]);
    assert_eq!(s.list_seats[0], vec![1, 2]);
    // The candidate part leaves person 1 out on both lists (P 19a).
    let Ok(kieswet::Apportionment::Complete(o)) = kieswet::apportion(&e) else {
        panic!("no lot needed")
    };
    assert!(
        o.elected
            .iter()
            .all(|c| c.list != 1 || c.name.as_str() != "Kandidaat 2")
    );
}

// ---------------------------------------------------------------------------------------
// Other rulesets and bodies
// ---------------------------------------------------------------------------------------

#[test]
fn wet_36641_list_between_75_and_100_percent_loses_its_restzetel() {
    // Total 1500, kiesdeler 100. Full 6,3,2,0,0 (11); remainders 50,80,90,90,90.
    // Current law (75% = 75 votes): all lists qualify; restzetels to lists 3, 4, 5 (90, three
    // tied for four seats: no lot) and 2 (80) → 6,4,3,1,1.
    // Bill 36 641: only lists with ≥ 100 votes take part, also in the averages round. Lists 4
    // and 5 (90 votes, 90% of the kiesdeler) get nothing: remainders to 3, 2, 1; the fourth
    // seat by P 8 lid 3 among lists 1–3: list 1 650/8 = 81.25 → 8,4,3,0,0.
    let mut e = gr(15, &[650, 380, 290, 90, 90]);
    assert_eq!(party_seats(&e), vec![6, 4, 3, 1, 1]);
    e.ruleset = RulesetName::Wet36641;
    let (s, steps) = seats(&e);
    assert_eq!(s.party_seats, vec![8, 4, 3, 0, 0]);
    let lid3 = seat_steps(&steps)
        .find_map(|s| match s {
            SeatStep::AverageRoundMaxOne(r) => Some(r.clone()),
            _ => None,
        })
        .unwrap();
    assert!(
        lid3.excluded
            .iter()
            .any(|x| x.party == 4
                && matches!(x.reason, Exclusion::BelowMinimum { share: (1, 1), .. }))
    );
}

#[test]
fn wet_36641_applies_to_large_councils_too() {
    // 19 seats, kiesdeler 63.16: under the bill only list 1 (808) reaches it, so all seven
    // restzetels go to list 1; under current law lists 2–5 get one each (see s19 case).
    let mut e = gr(19, &[808, 57, 56, 55, 54, 53, 52, 51, 14]);
    e.ruleset = RulesetName::Wet36641;
    assert_eq!(party_seats(&e), vec![19, 0, 0, 0, 0, 0, 0, 0, 0]);
}

#[test]
fn kcni_leaves_exhausted_seats_empty() {
    // 25 seats, total 2500, kiesdeler 100: full seats 5, 12, 8 = 25. Party 1 has 4
    // candidates. Pa 25: its fifth seat stays empty. Under P 10 (a gemeenteraad of the same
    // size) the seat passes on by largest averages: 1200/13 = 92.3 beats 800/9 = 88.9.
    let make = |body| {
        election(
            body,
            25,
            parties_with(vec![list_n(500, 4), list_n(1200, 50), list_n(800, 50)]),
        )
    };
    let (s, steps) = seats(&make(Body::KCNI));
    assert_eq!(s.party_seats, vec![4, 12, 8]);
    assert_eq!(s.empty_seats, 1);
    let x = seat_steps(&steps)
        .find_map(|s| match s {
            SeatStep::Exhaustion(x) => Some(x.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(x.article, "Pa 25");
    assert!(x.leave_empty_by_law);
    assert!(x.reassigned_to.is_empty());
    let (g, _) = seats(&make(Body::GR));
    assert_eq!(g.party_seats, vec![4, 13, 8]);
    assert_eq!(g.empty_seats, 0);
}

#[test]
fn eerste_kamer_has_no_absolute_majority_rule() {
    // The P 9 case of 24 seats (list 1: 7501 of 15001 votes, 12 seats) under U 9: no extra
    // seat, because chapter U has no P 9. The restzetels cite U 9.
    let votes = [7501, 1249, 1249, 1249, 1249, 1249, 1248, 7];
    let e = election(Body::EK, 24, parties(&votes));
    let (s, steps) = seats(&e);
    assert_eq!(s.party_seats, vec![12, 2, 2, 2, 2, 2, 2, 0]);
    assert!(!seat_steps(&steps).any(|s| matches!(s, SeatStep::AbsoluteMajority(_))));
    assert!(
        seat_steps(&steps)
            .filter_map(SeatStep::residual_seat)
            .all(|r| r.article == "U 9")
    );
    assert_eq!(seat_steps(&steps).next().unwrap().article(), "U 7");
}

#[test]
fn leftover_lots_are_not_an_error_for_seats_only() {
    // The seat part may be run with lots recorded for the candidate part.
    let mut e = gr(15, &[480, 160, 160, 160, 80, 80, 80]);
    e.lots = vec![LotChoice::Candidate {
        list: 1,
        position: 2,
    }];
    let (s, _) = seats(&e);
    assert_eq!(s.party_seats, vec![6, 2, 2, 2, 1, 1, 1]);
}

#[test]
fn every_seat_step_describes_itself_in_dutch_with_its_article() {
    // Smoke test over cases that produce every kind of party step.
    let cases = [
        gr(15, &[2571, 977, 567, 536, 453]),
        gr(15, &[808, 59, 58, 57, 56, 55, 54, 53]),
        gr(10, &[0, 0]),
        election(
            Body::GR,
            5,
            parties_with(vec![list(&[3, 2]), list(&[3, 2]), list(&[25, 25])]),
        ),
    ];
    for (i, e) in cases.iter().enumerate() {
        let mut e = e.clone();
        if i == 3 {
            e.lots = vec![LotChoice::Party(2)];
        }
        let (_, steps) = seats(&e);
        for s in seat_steps(&steps) {
            let text = s.describe_nl();
            assert!(!text.is_empty());
            assert!(!s.article().is_empty());
        }
    }
    let (_, steps) = seats(&gr(15, &[2571, 977, 567, 536, 453]));
    let all: Vec<String> = seat_steps(&steps).map(SeatStep::describe_nl).collect();
    assert!(
        all[0].contains("5.104 / 15 = 340 4/15 (afgerond 340,27)"),
        "{}",
        all[0]
    );
    assert!(
        all.iter()
            .any(|t| t.contains("vervalt restzetel 3 van lijst 4"))
    );
}

#[test]
fn tk_seats_go_below_the_kiesdeler_only_when_no_eligible_list_has_candidates_left() {
    // TK rules with 23 seats. Votes 3000 (6 candidates), 610 (5), 100 (50); total 3710,
    // kiesdeler 161.30. Full 18, 3, 0; restzetels by averages among lists reaching the
    // kiesdeler (P 7 lid 2): 3000/19 = 157.9 (list 1), then 610/4 = 152.5 (list 2) → 19, 4, 0.
    // P 10: list 1 has 6 candidates, 13 seats pass on. Continued P 7: list 2 takes one
    // (610/5 = 122) and then has all 5 candidates elected. List 3 (100 < kiesdeler) may not
    // take part under P 7 lid 2 — but no other list has candidates left. Interpretation:
    // rather than leaving 12 seats empty, they go by largest averages to the lists that still
    // have candidates (only list 3), recorded as AverageRoundWithoutMinimum.
    let e = election(
        Body::TK,
        23,
        parties_with(vec![list_n(3000, 6), list_n(610, 5), list_n(100, 50)]),
    );
    let (s, steps) = seats(&e);
    assert_eq!(s.party_seats, vec![6, 5, 12]);
    assert_eq!(s.empty_seats, 0);
    let fallback: Vec<_> = seat_steps(&steps)
        .filter_map(|s| match s {
            SeatStep::AverageRoundWithoutMinimum(r) => Some(r),
            _ => None,
        })
        .collect();
    assert_eq!(fallback.len(), 12);
    assert!(fallback.iter().all(|r| r.party == 3 && r.continued));
    // Before that, list 3 was excluded for being below the kiesdeler.
    let p7 = seat_steps(&steps)
        .filter_map(|s| match s {
            SeatStep::ResidualByAverage(r) => Some(r),
            _ => None,
        })
        .last()
        .unwrap();
    assert_eq!(p7.party, 2);
    assert!(
        p7.excluded
            .iter()
            .any(|x| x.party == 3
                && matches!(x.reason, Exclusion::BelowMinimum { share: (1, 1), .. }))
    );
}

#[test]
fn validation_still_catches_bad_positions_and_persons_after_in_order_ones() {
    // validate() checks positions 1, 2, 3, … without a set and switches to a set at the first
    // position out of that order: a duplicate after the switch must still be found, and so
    // must a position 0 and a person twice on one list.
    let mut e = gr(9, &[100, 50]);
    for (i, pos) in [1, 2, 5, 2].into_iter().enumerate() {
        e.parties[0].lists[0].candidates[i].position = pos;
    }
    let err = kieswet::apportion_seats(&e).unwrap_err();
    assert_eq!(err.field, "parties[0].lists[0].candidates[3].position");
    let mut e = gr(9, &[100, 50]);
    e.parties[1].lists[0].candidates[0].position = 0;
    let err = kieswet::apportion_seats(&e).unwrap_err();
    assert_eq!(err.field, "parties[1].lists[0].candidates[0].position");
    let mut e = gr(9, &[100, 50]);
    e.parties[1].lists[0].candidates[7].person = 2;
    let err = kieswet::apportion_seats(&e).unwrap_err();
    assert_eq!(err.field, "parties[1].lists[0].candidates[7].person");
    // Positions out of order but unique are fine.
    let mut e = gr(9, &[100, 50]);
    e.parties[0].lists[0].candidates.swap(0, 1);
    assert!(kieswet::apportion_seats(&e).is_ok());
}

#[test]
fn validation_finds_a_person_twice_on_one_list_of_a_lijstengroep() {
    // A lijstengroep of three lists with the same persons 0 … 7 (as [`list`] numbers them):
    // standing on several lists of the group is normal (P 3, P 15 "op de gezamenlijke
    // lijsten"), standing twice on one list is not. List 2 is list 0 reversed.
    let group = || {
        let mut lists = vec![list(&[40; 8]), list(&[30; 8]), list(&[20; 8])];
        lists[2].candidates.reverse();
        for (k, c) in lists[2].candidates.iter_mut().enumerate() {
            c.position = u32::try_from(k).unwrap() + 1;
        }
        lists
    };
    let ok = election(
        Body::TK,
        19,
        vec![party(1, group()), party(2, vec![list(&[300; 8])])],
    );
    assert!(kieswet::apportion(&ok).is_ok());

    let mut e = ok.clone();
    e.parties[0].lists[1].candidates[5].person = 1;
    let err = kieswet::apportion(&e).unwrap_err();
    assert_eq!(err.field, "parties[0].lists[1].candidates[5].person");
    assert!(
        err.message_nl().contains("candidates[1]"),
        "{}",
        err.message_nl()
    );

    // On the reversed list, person 7 comes first: giving its candidate 6 that number too.
    let mut e = ok.clone();
    e.parties[0].lists[2].candidates[6].person = 7;
    let err = kieswet::apportion(&e).unwrap_err();
    assert_eq!(err.field, "parties[0].lists[2].candidates[6].person");

    // The person number, not the name, is the person: equal names are no error.
    let mut e = ok.clone();
    for c in &mut e.parties[0].lists[2].candidates {
        c.name = "Jansen".into();
    }
    assert!(kieswet::apportion(&e).is_ok());
}

#[test]
fn apportion_gives_the_same_seats_as_apportion_seats() {
    // The full engine (with the candidate part) on the worked examples, with the seat lots
    // recorded: the same seats per party and per list, the same empty seats and next seat,
    // and the seat steps first, unchanged.
    let with_lots = |mut e: kieswet::Election, lots: &[u32]| {
        e.lots = lots.iter().map(|&p| LotChoice::Party(p)).collect();
        e
    };
    let cases = vec![
        gr(15, &[540, 160, 160, 80, 80, 80, 60, 40]),
        gr(15, &[808, 59, 58, 57, 56, 55, 54, 53]),
        gr(10, &[0, 3, 5, 6, 7, 79]),
        gr(10, &[0, 0, 0]),
        gr(15, &[2571, 977, 567, 536, 453]),
        with_lots(gr(15, &[2552, 511, 511, 511, 509, 509]), &[3]),
        with_lots(gr(15, &[500, 140, 140, 140, 140, 140]), &[4, 2, 5, 6]),
        with_lots(
            election(
                Body::GR,
                5,
                parties_with(vec![list(&[3, 2]), list(&[3, 2]), list(&[25, 25])]),
            ),
            &[2],
        ),
        gr(23, &[600, 302, 98, 99, 101]),
        with_lots(
            gr(33, &[8268, 4892, 1851, 2586, 1074, 1852, 1337, 573, 617]),
            &[9],
        ),
        with_lots(gr(24, &[7501, 1249, 1249, 1249, 1249, 1248, 1248, 8]), &[6]),
        election(
            Body::TK,
            23,
            parties_with(vec![list_n(3000, 6), list_n(610, 5), list_n(100, 50)]),
        ),
    ];
    for e in &cases {
        let (s, steps) = seats(e);
        let out = match kieswet::apportion(e).expect("valid input") {
            kieswet::Apportionment::Complete(o) => o,
            kieswet::Apportionment::LotRequired(l) => panic!("{:?} {:?}", l.reason, l.options),
        };
        let got: Vec<u32> = out.parties.iter().map(|p| p.seats).collect();
        assert_eq!(got, s.party_seats);
        let lists: Vec<Vec<u32>> = out.parties.iter().map(|p| p.list_seats.clone()).collect();
        assert_eq!(lists, s.list_seats);
        assert_eq!(out.empty_seats, s.empty_seats);
        assert_eq!(out.next_seat, s.next_seat);
        assert_eq!(&out.steps[..steps.len()], &steps[..]);
        assert_eq!(
            u32::try_from(out.elected.len()).unwrap() + out.empty_seats,
            e.seats,
            "every seat filled or empty"
        );
    }
}
