//! Conformance with the Kiesraad's own software, part 2: the candidate-nomination and whole-run
//! test cases of Abacus (`kiesraad/abacus`, crate `backend/apportionment`,
//! `src/candidate_nomination/mod.rs` and `src/lib.rs`): P 15 (preference threshold, strictly
//! more), P 17 (list order), P 19 (the ranking for later vacancies), deceased candidates (P 19a)
//! and lots among candidates with equal votes (P 15 lid 3). The figures carry over; the tests
//! are written here, one per Abacus test, named after it.
//!
//! Abacus's candidate tests give the kiesdeler and the seats per list as input; Stembus always
//! computes them from the votes. Where Abacus's given figures are those its own seat assignment
//! produces, the election is the same. Where they are not a possible outcome of those votes
//! (said at each test), the election gets lijststemmen (`list_votes`, which count in the
//! stemcijfer only) so that the seats per list — and, where it matters, the kiesdeler — are
//! Abacus's; the candidate votes stay as they are.
//!
//! Abacus gives a list's ranking as "original" when it is the list order; that is compared as
//! the list order. From 19 seats a list without seats and without elected candidates is not
//! ranked at all (P 19 lid 5, "worden niet gerangschikt"), where Abacus keeps its original
//! order: [`unranked_or_list_order`] names that difference.

mod seats_common;

use kieswet::{
    Apportionment, Body, Candidate, ElectedBy, Election, List, LotChoice, LotReason, Outcome,
    Party, apportion_with_ranking,
};
use seats_common::election;

/// A list with Abacus's candidate numbers and votes, in list order (positions 1, 2, …).
fn numbered(number: u32, candidates: &[(u32, u64)], list_votes: u64) -> (Party, Vec<u32>) {
    let list = List {
        kieskringen: [].into(),
        list_votes,
        candidates: candidates
            .iter()
            .zip(1..)
            .map(|(&(n, votes), position)| Candidate {
                position,
                name: format!("Kandidaat {number}.{n}"),
                person: position - 1,
                votes,
                deceased: false,
            })
            .collect(),
    };
    let party = Party {
        number,
        name: format!("Lijst {number}"),
        lists: vec![list],
    };
    (party, candidates.iter().map(|&(n, _)| n).collect())
}

/// Lists 1, 2, … whose candidates are numbered 1, 2, … in list order.
fn plain(lists: &[&[u64]]) -> Vec<(Party, Vec<u32>)> {
    lists
        .iter()
        .zip(1..)
        .map(|(votes, number)| {
            let c: Vec<(u32, u64)> = votes.iter().zip(1..).map(|(&v, n)| (n, v)).collect();
            numbered(number, &c, 0)
        })
        .collect()
}

/// A gemeenteraad election of these lists, and the candidate numbers per list.
fn gr(seats: u32, lists: Vec<(Party, Vec<u32>)>) -> (Election, Vec<Vec<u32>>) {
    let (parties, numbers): (Vec<Party>, Vec<Vec<u32>>) = lists.into_iter().unzip();
    (election(Body::GR, seats, parties), numbers)
}

/// Marks candidate `number` of list `list` (Abacus numbers) as deceased.
fn deceased(e: &mut Election, numbers: &[Vec<u32>], list: u32, number: u32) {
    let li = e.parties.iter().position(|p| p.number == list).unwrap();
    let ci = numbers[li].iter().position(|&n| n == number).unwrap();
    e.parties[li].lists[0].candidates[ci].deceased = true;
}

/// What Abacus reports per list: the candidates nominated by preference (P 15, in order), the
/// others (P 17) and the ranking (P 19), as Abacus candidate numbers.
#[derive(Debug, PartialEq, Eq)]
struct Nomination {
    preference: Vec<u32>,
    other: Vec<u32>,
    ranking: Vec<u32>,
}

struct Done {
    outcome: Outcome,
    /// The lots asked for: reason and options (as (list, Abacus number)).
    asked: Vec<(LotReason, Vec<(u32, u32)>)>,
    numbers: Vec<Vec<u32>>,
}

/// Runs the whole apportionment with the P 19 ranking, drawing the candidates `drawn`
/// ((list, Abacus number)) one at a time whenever the engine stops for a lot.
fn run(e: &Election, numbers: &[Vec<u32>], drawn: &[(u32, u32)]) -> Done {
    let mut e = e.clone();
    let mut asked = Vec::new();
    loop {
        match apportion_with_ranking(&e).expect("valid input") {
            Apportionment::Complete(outcome) => {
                assert_eq!(asked.len(), drawn.len(), "fewer lots needed than drawn");
                return Done {
                    outcome,
                    asked,
                    numbers: numbers.to_vec(),
                };
            }
            Apportionment::LotRequired(l) => {
                let options = l
                    .options
                    .iter()
                    .map(|o| match o {
                        LotChoice::Candidate { list, position } => {
                            let li = e.parties.iter().position(|p| p.number == *list).unwrap();
                            (*list, numbers[li][*position as usize - 1])
                        }
                        other => panic!("a candidate lot, not {other:?}"),
                    })
                    .collect();
                asked.push((l.reason, options));
                let &(list, number) = drawn
                    .get(asked.len() - 1)
                    .unwrap_or_else(|| panic!("more lots needed: {:?}", asked.last()));
                let li = e.parties.iter().position(|p| p.number == list).unwrap();
                let position = numbers[li].iter().position(|&n| n == number).unwrap() + 1;
                e.lots.push(LotChoice::Candidate {
                    list,
                    position: u32::try_from(position).unwrap(),
                });
            }
        }
    }
}

impl Done {
    fn seats(&self) -> Vec<u32> {
        self.outcome.parties.iter().map(|p| p.seats).collect()
    }

    fn list(&self, number: u32) -> Nomination {
        let li = self
            .outcome
            .parties
            .iter()
            .position(|p| p.number == number)
            .unwrap();
        let numbers = &self.numbers[li];
        let of = |position: u32| numbers[position as usize - 1];
        let elected = self.outcome.elected.iter().filter(|c| c.list == number);
        let (preference, other): (Vec<_>, Vec<_>) =
            elected.partition(|c| c.by == ElectedBy::Preference);
        let mut ranked: Vec<_> = self
            .outcome
            .rankings
            .as_ref()
            .expect("asked for the ranking")
            .iter()
            .find(|(p, _)| *p == number)
            .map(|(_, r)| r.clone())
            .unwrap_or_default();
        ranked.sort_by_key(|r| r.rank);
        Nomination {
            preference: preference.iter().map(|c| of(c.position)).collect(),
            other: other.iter().map(|c| of(c.position)).collect(),
            ranking: ranked.iter().map(|r| of(r.position)).collect(),
        }
    }

    /// Checks one list as Abacus's `check_list_candidate_nomination` does; an empty expected
    /// ranking means "unchanged": the list order.
    fn check(&self, number: u32, preference: &[u32], other: &[u32], ranking: &[u32]) {
        let got = self.list(number);
        let li = self
            .outcome
            .parties
            .iter()
            .position(|p| p.number == number)
            .unwrap();
        let ranking = if ranking.is_empty() {
            self.numbers[li].clone()
        } else {
            ranking.to_vec()
        };
        assert_eq!(
            got,
            Nomination {
                preference: preference.to_vec(),
                other: other.to_vec(),
                ranking,
            },
            "list {number}"
        );
    }

    /// A list that P 19 lid 5 leaves unranked (from 19 seats, no seats): Abacus keeps the
    /// list order as its "original" ranking; Stembus gives no ranking. Elected: nobody.
    fn unranked_or_list_order(&self, number: u32) {
        let got = self.list(number);
        assert!(got.preference.is_empty() && got.other.is_empty());
        assert!(
            got.ranking.is_empty(),
            "P 19 lid 5: list {number} is not ranked"
        );
    }
}

// ---------------------------------------------------------------------------------------
// lib.rs: the whole process
// ---------------------------------------------------------------------------------------

fn fifty(votes: &[u64]) -> Vec<(Party, Vec<u32>)> {
    let lists: Vec<Vec<u64>> = votes
        .iter()
        .map(|&v| {
            let mut l = vec![0; 50];
            l[0] = v;
            l
        })
        .collect();
    plain(&lists.iter().map(Vec::as_slice).collect::<Vec<_>>())
}

#[test]
fn lib_test_apportionment_process() {
    let (e, n) = gr(15, fifty(&[540, 160, 160, 80, 80, 80, 60, 40]));
    let d = run(&e, &n, &[]);
    assert_eq!(d.seats(), [7, 2, 2, 1, 1, 1, 1, 0]);
    // Kiesdeler 80, threshold 50% = 40 votes.
    assert_eq!(d.outcome.rules.preference_threshold_percent, 50);
    assert_eq!(
        d.outcome.preference_threshold,
        kieswet::Fraction::from_int(40)
    );
    d.check(1, &[1], &[2, 3, 4, 5, 6, 7], &[]);
    d.check(2, &[1], &[2], &[]);
    d.check(3, &[1], &[2], &[]);
    for list in 4..=7 {
        d.check(list, &[1], &[], &[]);
    }
    // List 8 (40 votes, not above the threshold of 40) has no seat.
    d.check(8, &[], &[], &[]);
}

#[test]
fn lib_test_apportionment_process_with_deceased_candidates() {
    let (mut e, n) = gr(15, fifty(&[540, 160, 160, 80, 80, 80, 60, 40]));
    deceased(&mut e, &n, 1, 1);
    deceased(&mut e, &n, 1, 50);
    let d = run(&e, &n, &[]);
    // The deceased candidate's votes still count: the seats do not change.
    assert_eq!(d.seats(), [7, 2, 2, 1, 1, 1, 1, 0]);
    d.check(
        1,
        &[],
        &[2, 3, 4, 5, 6, 7, 8],
        &(2..=49).collect::<Vec<_>>(),
    );
    d.check(2, &[1], &[2], &[]);
    d.check(3, &[1], &[2], &[]);
    for list in 4..=7 {
        d.check(list, &[1], &[], &[]);
    }
    d.check(8, &[], &[], &[]);
}

#[test]
fn lib_test_apportionment_process_with_deceased_scenarios() {
    // 5 seats, kiesdeler 96, 75% = 72: full seats 3, 1, 0; list 3's remainder 80 takes the
    // restzetel: 3, 1, 1.
    /// Name, deceased (list, candidate), seats, whether P 10 applies.
    type Case<'a> = (&'a str, &'a [(u32, u32)], [u32; 3], bool);
    let cases: [Case; 5] = [
        ("no deceased -> initial distribution", &[], [3, 1, 1], false),
        (
            "deceased on a list whose alive count still covers its seats",
            &[(2, 2)],
            [3, 1, 1],
            false,
        ),
        (
            "single-seat exhaustion on list 1 -> reassigns to list 2",
            &[(1, 3)],
            [2, 2, 1],
            true,
        ),
        (
            "two-seat exhaustion on list 1 -> list 2 gets LR, list 3 gets UHA",
            &[(1, 2), (1, 3)],
            [1, 2, 2],
            true,
        ),
        (
            "all of list 3 deceased -> list 2 absorbs the retracted seat",
            &[(3, 1), (3, 2)],
            [3, 2, 0],
            true,
        ),
    ];
    for (name, dead, seats, exhaustion) in cases {
        let (mut e, n) = gr(5, plain(&[&[300, 0, 0], &[100, 0], &[80, 0]]));
        for &(list, number) in dead {
            deceased(&mut e, &n, list, number);
        }
        let d = run(&e, &n, &[]);
        assert_eq!(d.seats(), seats, "{name}");
        let p10 = d.outcome.steps.iter().any(|s| {
            matches!(
                s,
                kieswet::Step::Seat(kieswet::seats::SeatStep::Exhaustion(_))
            )
        });
        assert_eq!(p10, exhaustion, "{name}");
    }
}

/// Abacus refuses lists that are not in ascending order of their numbers. Stembus takes the
/// lists in the order given (the ballot order) and needs no sorting; a difference kept on
/// purpose (the Kieswet orders the ballot by list number, P 5 counts per list whatever the
/// order): the outcome is the same as in list-number order.
#[test]
fn lib_test_apportionment_process_unsorted_list_number_fails() {
    let (e, n) = gr(15, fifty(&[540, 160, 160, 80, 80, 80, 60, 40]));
    let mut reversed = e.clone();
    reversed.parties.reverse();
    let numbers: Vec<Vec<u32>> = n.iter().rev().cloned().collect();
    let a = run(&e, &n, &[]);
    let b = run(&reversed, &numbers, &[]);
    for list in 1..=8 {
        assert_eq!(a.outcome.seats_of(list), b.outcome.seats_of(list));
        assert_eq!(a.list(list), b.list(list));
    }
}

/// Abacus refuses candidates that are not in ascending order of their numbers. In Stembus
/// every candidate carries its position on the list, so the order of the entries does not
/// matter; a difference kept on purpose (P 17 and P 19 follow the list order, which is the
/// positions): the outcome is the same as with the entries in order.
#[test]
fn lib_test_apportionment_process_unsorted_list_candidate_number_fails() {
    let (e, n) = gr(15, fifty(&[540, 160, 160, 80, 80, 80, 60, 40]));
    let mut reversed = e.clone();
    reversed.parties[1].lists[0].candidates.reverse();
    let a = kieswet::apportion(&e).expect("valid");
    let b = kieswet::apportion(&reversed).expect("entries in any order are valid");
    let (Apportionment::Complete(a), Apportionment::Complete(b)) = (a, b) else {
        panic!("no lot is needed")
    };
    let elected = |o: &Outcome| -> Vec<(u32, u32)> {
        o.elected.iter().map(|c| (c.list, c.position)).collect()
    };
    assert_eq!(elected(&a), elected(&b));
    assert_eq!(n[1].len(), 50);
}

// ---------------------------------------------------------------------------------------
// candidate_nomination::tests::lt_19_seats (P 15 lid 2: 50%)
// ---------------------------------------------------------------------------------------

/// The GR2022 case behind Abacus's P 9 example (list totals 2571, 977, 567, 536, 453).
fn gr2022() -> Vec<&'static [u64]> {
    vec![
        &[1069, 303, 321, 210, 36, 101, 79, 121, 150, 149, 15, 17],
        &[
            452, 39, 81, 76, 35, 109, 29, 25, 17, 6, 18, 9, 25, 30, 5, 18, 3,
        ],
        &[229, 63, 65, 9, 10, 58, 29, 50, 6, 11, 37],
        &[347, 33, 14, 82, 30, 30],
        &[266, 36, 39, 36, 38, 38],
    ]
}

#[test]
fn lt_19_seats_test_with_lt_19_seats_and_non_consecutive_list_and_candidate_numbers() {
    let lists = vec![
        numbered(
            1,
            &[
                (1, 1069),
                (3, 303),
                (4, 321),
                (5, 210),
                (7, 36),
                (8, 101),
                (9, 79),
                (10, 121),
                (11, 150),
                (12, 181),
            ],
            0,
        ),
        numbered(2, &[(2, 452), (3, 39), (4, 81), (6, 274), (7, 131)], 0),
        numbered(4, &[(1, 229), (2, 147), (4, 191)], 0),
        numbered(5, &[(1, 347), (3, 189)], 0),
        numbered(7, &[(3, 266), (2, 187)], 0),
    ];
    let (e, n) = gr(15, lists);
    let d = run(&e, &n, &[]);
    assert_eq!(d.seats(), [8, 3, 2, 1, 1]);
    assert_eq!(d.outcome.kiesdeler, kieswet::Fraction::new(5104, 15));
    d.check(
        1,
        &[1, 4, 3, 5, 12],
        &[7, 8, 9],
        &[1, 4, 3, 5, 12, 7, 8, 9, 10, 11],
    );
    d.check(2, &[2, 6], &[3], &[2, 6, 3, 4, 7]);
    d.check(4, &[1, 4], &[], &[1, 4, 2]);
    d.check(5, &[1], &[], &[]);
    d.check(7, &[3], &[], &[]);
}

#[test]
fn lt_19_seats_test_with_lt_19_seats_and_preferential_candidate_nomination_and_updated_candidate_ranking()
 {
    let (e, n) = gr(15, plain(&gr2022()));
    let d = run(&e, &n, &[]);
    assert_eq!(d.seats(), [8, 3, 2, 1, 1]);
    d.check(
        1,
        &[1, 3, 2, 4],
        &[5, 6, 7, 8],
        &[1, 3, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    );
    d.check(2, &[1], &[2, 3], &[]);
    d.check(3, &[1], &[2], &[]);
    d.check(4, &[1], &[], &[]);
    d.check(5, &[1], &[], &[]);
}

#[test]
fn lt_19_seats_test_with_lt_19_seats_and_preferential_candidate_nomination_and_deceased_candidates()
{
    let (mut e, n) = gr(15, plain(&gr2022()));
    deceased(&mut e, &n, 2, 3);
    let d = run(&e, &n, &[]);
    assert_eq!(d.seats(), [8, 3, 2, 1, 1]);
    d.check(
        1,
        &[1, 3, 2, 4],
        &[5, 6, 7, 8],
        &[1, 3, 2, 4, 5, 6, 7, 8, 9, 10, 11, 12],
    );
    let mut ranking = vec![1, 2];
    ranking.extend(4..=17);
    d.check(2, &[1], &[2, 4], &ranking);
    d.check(3, &[1], &[2], &[]);
    d.check(4, &[1], &[], &[]);
    d.check(5, &[1], &[], &[]);
}

fn no_preference() -> Vec<&'static [u64]> {
    vec![
        &[5, 4, 4, 4, 4],
        &[4, 5, 4, 4, 4],
        &[4, 4, 5, 4, 4],
        &[4, 4, 4, 5, 4],
        &[4, 4, 4, 4, 5],
    ]
}

#[test]
fn lt_19_seats_test_with_lt_19_seats_and_no_preferential_candidate_nomination() {
    // Kiesdeler 105/5 = 21, threshold 10.5: nobody is above it.
    let (e, n) = gr(5, plain(&no_preference()));
    let d = run(&e, &n, &[]);
    assert_eq!(d.seats(), [1, 1, 1, 1, 1]);
    assert_eq!(d.outcome.kiesdeler, kieswet::Fraction::new(105, 5));
    for list in 1..=5 {
        d.check(list, &[], &[1], &[]);
    }
}

#[test]
fn lt_19_seats_test_with_lt_19_seats_and_no_preferential_candidate_nomination_and_deceased_candidates()
 {
    let (mut e, n) = gr(5, plain(&no_preference()));
    deceased(&mut e, &n, 1, 1);
    let d = run(&e, &n, &[]);
    assert_eq!(d.seats(), [1, 1, 1, 1, 1]);
    d.check(1, &[], &[2], &[2, 3, 4, 5]);
    for list in 2..=5 {
        d.check(list, &[], &[1], &[]);
    }
}

#[test]
fn lt_19_seats_test_with_lt_19_seats_and_candidate_votes_meeting_preference_threshold_but_no_seat()
{
    // Kiesdeler 570/18 = 31.67, threshold 15.83. List 3's candidate 5 (16 votes) is above it
    // but the list has no seat; below 19 seats the list is still ranked, with candidate 5
    // first.
    let (e, n) = gr(
        18,
        plain(&[
            &[80, 70, 60, 50, 40, 30, 20, 0, 0, 0, 0, 0],
            &[80, 60, 40, 20, 4, 0, 0],
            &[0, 0, 0, 0, 16],
        ]),
    );
    let d = run(&e, &n, &[]);
    assert_eq!(d.seats(), [11, 7, 0]);
    d.check(1, &[1, 2, 3, 4, 5, 6, 7], &[8, 9, 10, 11], &[]);
    d.check(2, &[1, 2, 3, 4], &[5, 6, 7], &[]);
    d.check(3, &[], &[], &[5, 1, 2, 3, 4]);
}

#[test]
fn lt_19_seats_test_lt_19_seats_candidate_votes_equals_threshold() {
    // As Abacus's figures say: 2 seats, 200 votes, kiesdeler 100, threshold 50. Candidate 2
    // has exactly 50: not more than the threshold (P 15 "meer dan"), so elected in list order.
    let (e, n) = gr(2, plain(&[&[60, 50, 40, 30, 20]]));
    let d = run(&e, &n, &[]);
    assert_eq!(d.seats(), [2]);
    d.check(1, &[1], &[2], &[]);
}

// ---------------------------------------------------------------------------------------
// candidate_nomination::tests::gte_19_seats (P 15 lid 1: 25%)
// ---------------------------------------------------------------------------------------

#[test]
fn gte_19_seats_test_with_gte_19_seats_and_candidate_votes_meeting_preference_threshold_but_no_seat()
 {
    // Kiesdeler 960/19, threshold 12.63. List 5's candidate 5 (15 votes) is above it, but the
    // list has no seat.
    let (e, n) = gr(
        19,
        plain(&[
            &[80, 70, 60, 50, 40, 0],
            &[80, 70, 60, 50, 5, 0],
            &[80, 70, 60, 50, 0, 0],
            &[80, 40, 0, 0, 0],
            &[0, 0, 0, 0, 15],
        ]),
    );
    let d = run(&e, &n, &[]);
    assert_eq!(d.seats(), [6, 6, 5, 2, 0]);
    assert_eq!(d.outcome.kiesdeler, kieswet::Fraction::new(960, 19));
    d.check(1, &[1, 2, 3, 4, 5], &[6], &[]);
    d.check(2, &[1, 2, 3, 4], &[5, 6], &[]);
    d.check(3, &[1, 2, 3, 4], &[5], &[]);
    d.check(4, &[1, 2], &[], &[]);
    d.unranked_or_list_order(5);
}

#[test]
fn gte_19_seats_test_with_gte_19_seats_and_more_candidates_eligible_for_preferential_nomination_than_seats()
 {
    // Stemcijfers 3000, 2399, 1797, 1190, 1114 (kiesdeler 500): full seats 6, 4, 3, 2, 2 and
    // restzetels to list 2 (479.8) and list 3 (449.25). Threshold 125: only list 5's
    // candidate 7 (119) is below it; six candidates of list 1 tie at 500 for six seats (no
    // lot: enough seats).
    let lists = vec![
        numbered(
            1,
            &[
                (1, 500),
                (2, 0),
                (3, 500),
                (4, 500),
                (5, 500),
                (6, 500),
                (7, 500),
            ],
            0,
        ),
        numbered(
            2,
            &[
                (1, 400),
                (2, 400),
                (3, 0),
                (4, 400),
                (5, 400),
                (6, 400),
                (7, 399),
            ],
            0,
        ),
        numbered(
            3,
            &[
                (1, 300),
                (2, 300),
                (3, 300),
                (4, 0),
                (5, 300),
                (6, 299),
                (7, 298),
            ],
            0,
        ),
        numbered(
            4,
            &[
                (1, 200),
                (2, 200),
                (3, 199),
                (4, 198),
                (5, 0),
                (6, 197),
                (7, 196),
            ],
            0,
        ),
        numbered(
            5,
            &[
                (1, 200),
                (2, 200),
                (3, 199),
                (4, 198),
                (5, 198),
                (6, 0),
                (7, 119),
            ],
            0,
        ),
    ];
    let (e, n) = gr(19, lists);
    let d = run(&e, &n, &[]);
    assert_eq!(d.seats(), [6, 5, 4, 2, 2]);
    assert_eq!(d.outcome.kiesdeler, kieswet::Fraction::new(9500, 19));
    d.check(1, &[1, 3, 4, 5, 6, 7], &[], &[1, 3, 4, 5, 6, 7, 2]);
    d.check(2, &[1, 2, 4, 5, 6], &[], &[1, 2, 4, 5, 6, 7, 3]);
    d.check(3, &[1, 2, 3, 5], &[], &[1, 2, 3, 5, 6, 7, 4]);
    d.check(4, &[1, 2], &[], &[1, 2, 3, 4, 6, 7, 5]);
    // Abacus: list 5 ranks 1, 2, 3, 4, 5 (above the threshold), then 6 and 7 in list order.
    d.check(5, &[1, 2], &[], &[1, 2, 3, 4, 5, 6, 7]);
}

#[test]
fn gte_19_seats_test_with_gte_19_seats_and_preferential_candidate_nomination_and_updated_candidate_ranking()
 {
    // The GR2026 case of the seat tests (the lot for the last restzetel drew list 9).
    let (mut e, n) = gr(
        33,
        plain(&[
            &[
                1596, 870, 1023, 298, 477, 86, 118, 714, 283, 133, 286, 256, 104, 45, 17, 41, 126,
                18, 144, 89, 11, 64, 30, 22, 188, 1229,
            ],
            &[
                3104, 310, 280, 110, 280, 137, 166, 68, 20, 124, 34, 12, 11, 22, 33, 6, 6, 6, 14,
                12, 14, 16, 1, 1, 4, 6, 8, 3, 3, 5, 4, 2, 6, 5, 2, 1, 7, 1, 1, 3, 6, 3, 9, 9, 17,
            ],
            &[
                547, 123, 165, 224, 93, 14, 8, 228, 17, 23, 109, 2, 27, 40, 3, 8, 44, 13, 25, 10,
                8, 10, 13, 14, 7, 34, 42,
            ],
            &[
                730, 288, 218, 84, 159, 144, 37, 62, 109, 27, 41, 52, 16, 39, 34, 43, 33, 18, 38,
                14, 31, 14, 17, 22, 50, 17, 34, 7, 51, 157,
            ],
            &[
                631, 58, 99, 19, 31, 25, 11, 13, 14, 23, 8, 1, 23, 3, 14, 15, 86,
            ],
            &[
                628, 181, 212, 75, 69, 86, 65, 68, 13, 30, 80, 67, 5, 16, 14, 19, 11, 22, 33, 14,
                5, 34, 19, 24, 4, 11, 47,
            ],
            &[882, 91, 106, 21, 80, 43, 19, 8, 5, 36, 9, 1, 13, 23],
            &[
                264, 134, 27, 29, 5, 19, 25, 6, 8, 16, 5, 2, 2, 0, 5, 5, 6, 3, 3, 9,
            ],
            &[
                242, 21, 140, 44, 5, 15, 5, 30, 60, 7, 10, 20, 3, 6, 0, 2, 0, 7,
            ],
        ]),
    );
    e.lots.push(LotChoice::Party(9));
    let d = run(&e, &n, &[]);
    assert_eq!(d.seats(), [13, 7, 2, 4, 1, 3, 2, 0, 1]);
    assert_eq!(d.outcome.kiesdeler, kieswet::Fraction::new(23050, 33));
    let mut r1 = vec![1, 26, 3, 2, 8, 5, 4, 11, 9, 12, 25, 6, 7, 10];
    r1.extend(13..=24);
    d.check(1, &[1, 26, 3, 2, 8, 5, 4, 11, 9, 12, 25], &[6, 7], &r1);
    let mut r2 = vec![1, 2, 3, 5, 4];
    r2.extend(6..=45);
    d.check(2, &[1, 2, 3, 5], &[4, 6, 7], &r2);
    let mut r3 = vec![1, 8, 4, 2, 3, 5, 6, 7];
    r3.extend(9..=27);
    d.check(3, &[1, 8], &[], &r3);
    d.check(4, &[1, 2, 3], &[4], &[]);
    d.check(5, &[1], &[], &[]);
    let mut r6 = vec![1, 3, 2];
    r6.extend(4..=27);
    d.check(6, &[1, 3, 2], &[], &r6);
    d.check(7, &[1], &[2], &[]);
    d.unranked_or_list_order(8);
    d.check(9, &[1], &[], &[]);
}

// ---------------------------------------------------------------------------------------
// candidate_nomination::tests: lots (P 15 lid 3) and the scenario tables
// ---------------------------------------------------------------------------------------

#[test]
fn test_with_drawing_of_lots_multiple_lots_drawn() {
    // Abacus gives 19 seats with seats 6 and 3 for lists with 3000 and 2500 votes, which no
    // election gives. Here a third list takes the other 10 seats and list 1 has 1300
    // lijststemmen: stemcijfers 4300, 2500, 6500 (kiesdeler 700): full seats 6, 3, 9 and the
    // restzetel to list 3 (650). Threshold 175: every candidate with votes is above it.
    // List 2: candidate 1 (500) first, then five candidates with 400 votes for two seats:
    // a lot for the second seat (5 drawn), then four for the last (3 drawn).
    let mut lists = vec![
        numbered(
            1,
            &[(1, 500), (2, 500), (3, 500), (4, 500), (5, 500), (6, 500)],
            1300,
        ),
        numbered(
            2,
            &[(1, 500), (2, 400), (3, 400), (4, 400), (5, 400), (6, 400)],
            0,
        ),
    ];
    let mut third = vec![(1, 6500)];
    third.extend((2..=12).map(|n| (n, 0)));
    lists.push(numbered(3, &third, 0));
    let (e, n) = gr(19, lists);
    let d = run(&e, &n, &[(2, 5), (2, 3)]);
    assert_eq!(d.seats(), [6, 3, 10]);
    assert_eq!(
        d.asked,
        [
            (
                LotReason::PreferenceSeat {
                    party: 2,
                    seats_left: 2
                },
                vec![(2, 2), (2, 3), (2, 4), (2, 5), (2, 6)]
            ),
            (
                LotReason::PreferenceSeat {
                    party: 2,
                    seats_left: 1
                },
                vec![(2, 2), (2, 3), (2, 4), (2, 6)]
            ),
        ]
    );
    d.check(1, &[1, 2, 3, 4, 5, 6], &[], &[]);
    d.check(2, &[1, 5, 3], &[], &[1, 5, 3, 2, 4, 6]);
}

/// One list with these (number, votes) and `seats` seats, a second list with the other seats
/// of 19: the kiesdeler K is the list's votes per seat (rounded up; lijststemmen make its
/// stemcijfer exactly `seats` × K), so the list gets exactly `seats` full seats, and the
/// threshold (25% of K) is below every listed candidate's votes in these tables.
fn one_list(candidates: &[(u32, u64)], seats: u32) -> (Election, Vec<Vec<u32>>) {
    let own: u64 = candidates.iter().map(|c| c.1).sum();
    let k = own.div_ceil(u64::from(seats));
    let fill = u64::from(seats) * k - own;
    let mut other = vec![(1, u64::from(19 - seats) * k)];
    other.extend((2..=20).map(|n| (n, 0)));
    gr(
        19,
        vec![numbered(1, candidates, fill), numbered(2, &other, 0)],
    )
}

#[test]
fn test_preferential_candidate_nomination_scenarios() {
    // Abacus's table, where the list's seats are at most its candidates (the engine needs an
    // election; "all candidates nominated" with 5 seats for 3 candidates is P 10 in a whole
    // run, see the seat conformance tests).
    type Scenario<'a> = (&'a str, &'a [(u32, u64)], u32, &'a [(u32, u32)], &'a [u32]);
    let cases: [Scenario; 5] = [
        (
            "first two candidates nominated because of total seats",
            &[(1, 1000), (3, 900), (4, 800)],
            2,
            &[],
            &[1, 3],
        ),
        (
            "drawing of lots for candidates with same votes (not enough seats)",
            &[(1, 1000), (3, 900), (4, 900)],
            2,
            &[(1, 4)],
            &[1, 4],
        ),
        (
            "no drawing of lots for candidates with same votes (enough seats)",
            &[(1, 1000), (3, 1000), (4, 900)],
            2,
            &[],
            &[1, 3],
        ),
        (
            "first three candidates nominated with drawing lots twice",
            &[(1, 1000), (3, 900), (4, 900), (5, 900)],
            3,
            &[(1, 4), (1, 3)],
            &[1, 4, 3],
        ),
        (
            "no need for drawing of lots if all candidates can be nominated",
            &[(1, 1000), (3, 900), (4, 900), (5, 900)],
            4,
            &[],
            &[1, 3, 4, 5],
        ),
    ];
    for (name, candidates, seats, drawn, expected) in cases {
        let (e, n) = one_list(candidates, seats);
        let d = run(&e, &n, drawn);
        assert_eq!(d.seats()[0], seats, "{name}");
        assert_eq!(d.list(1).preference, expected, "{name}");
    }
    // The lots asked in the two-lot scenario: options 3, 4, 5 for 2 seats, then 3, 5 for 1.
    let (e, n) = one_list(&[(1, 1000), (3, 900), (4, 900), (5, 900)], 3);
    let d = run(&e, &n, &[(1, 4), (1, 3)]);
    let asked: Vec<Vec<(u32, u32)>> = d.asked.iter().map(|(_, o)| o.clone()).collect();
    assert_eq!(asked, [vec![(1, 3), (1, 4), (1, 5)], vec![(1, 3), (1, 5)]]);
}

#[test]
fn test_update_candidate_ranking_scenarios() {
    // Abacus's ranking table, each as a whole run where the nominated candidates are exactly
    // those of the table: 19 seats, kiesdeler 1000, threshold 250 (votes scaled where the
    // table's votes are below it).
    // 1. Nobody above the threshold, one seat: the list order stays.
    let (e, n) = gr(
        19,
        vec![
            numbered(1, &[(1, 50), (2, 40), (3, 30)], 880),
            numbered(
                2,
                &[
                    (1, 18000),
                    (2, 0),
                    (3, 0),
                    (4, 0),
                    (5, 0),
                    (6, 0),
                    (7, 0),
                    (8, 0),
                    (9, 0),
                    (10, 0),
                    (11, 0),
                    (12, 0),
                    (13, 0),
                    (14, 0),
                    (15, 0),
                    (16, 0),
                    (17, 0),
                    (18, 0),
                ],
                0,
            ),
        ],
    );
    let d = run(&e, &n, &[]);
    assert_eq!(d.list(1).ranking, [1, 2, 3]);
    // 2. Preference-nominated candidates move to the top in vote order: 3 (500), 1 (100…),
    //    then 2 and 4 in list order. Votes ×5 so that 1 is above the threshold of 250.
    let (e, n) = one_list(&[(1, 500), (2, 100), (3, 2500), (4, 150)], 2);
    let d = run(&e, &n, &[]);
    assert_eq!(d.list(1).ranking, [3, 1, 2, 4]);
    // 3. Above the threshold but not nominated (5, 2) come after the nominated (9), then the
    //    rest (11) in list order. Votes ×5 (11 stays below the threshold).
    let (e, n) = one_list(&[(2, 400), (5, 450), (9, 500), (11, 25)], 1);
    let d = run(&e, &n, &[]);
    assert_eq!(d.list(1).ranking, [9, 5, 2, 11]);
    // 4. Nominated 1, 5, 3 (after lots), then 2 and 4 (above the threshold), then 6.
    let (e, n) = one_list(
        &[(1, 500), (2, 400), (3, 400), (4, 400), (5, 400), (6, 300)],
        3,
    );
    let d = run(&e, &n, &[(1, 5), (1, 3)]);
    assert_eq!(d.list(1).ranking, [1, 5, 3, 2, 4, 6]);
}
