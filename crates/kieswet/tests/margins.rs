//! Seat margins are exact: checked against a brute-force scan over every vote count, and on
//! the Tweede Kamer 2021 totals against hand-computed largest-averages bars.

use kieswet::seats::SeatsOnly;
use kieswet::{Body, Candidate, Election, List, Party, RulesetName, SplitRounding};
use proptest::prelude::*;

fn election(body: Body, seats: u32, votes: &[u64], candidates: u32) -> Election {
    Election {
        body,
        seats,
        ruleset: RulesetName::Current,
        split_rounding: SplitRounding::default(),
        preference_threshold_percent: None,
        parties: votes
            .iter()
            .zip(1u32..)
            .map(|(&v, number)| Party {
                number,
                name: format!("Lijst {number}"),
                lists: vec![List {
                    kieskringen: [].into(),
                    list_votes: 0,
                    candidates: (1..=candidates)
                        .map(|position| Candidate {
                            position,
                            name: format!("K{number}.{position}"),
                            person: position - 1,
                            votes: if position == 1 { v } else { 0 },
                            deceased: false,
                        })
                        .collect(),
                }],
            })
            .collect(),
        lots: Vec::new(),
    }
}

/// Seats of party `i` with `votes` that are certain: the fewest over all lot outcomes.
fn certain_seats(e: &Election, i: usize, votes: u64) -> u32 {
    let mut e = e.clone();
    e.parties[i].lists[0].candidates[0].votes = votes;
    fewest(&mut e, i)
}

fn fewest(e: &mut Election, i: usize) -> u32 {
    match kieswet::apportion_seats(e).unwrap() {
        SeatsOnly::Complete { seats, .. } => seats.party_seats[i],
        SeatsOnly::LotRequired(lot) => lot
            .options
            .into_iter()
            .map(|option| {
                e.lots.push(option);
                let seats = fewest(e, i);
                e.lots.pop();
                seats
            })
            .min()
            .unwrap_or(0),
    }
}

/// Brute force: the first extra vote count at which the seat is certain, scanning one by one.
fn brute_gain(e: &Election, i: usize, seats: u32, limit: u64) -> Option<u64> {
    let v = e.parties[i].votes();
    (1..=limit).find(|&x| certain_seats(e, i, v + x) > seats)
}

/// Brute force: the largest loss after which all seats are still certain.
fn brute_lose(e: &Election, i: usize, seats: u32) -> u64 {
    let v = e.parties[i].votes();
    (0..=v)
        .find(|&y| certain_seats(e, i, v - y) < seats)
        .map_or(v, |y| y.saturating_sub(1))
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 60, ..ProptestConfig::default() })]

    /// The search agrees with trying every vote count, for both restzetel systems (P 7, P 8),
    /// with P 7 lid 2 (TK), without P 9 (EK), with Pa 25 (KCNI), and with P 9 and P 10 in play
    /// (few candidates, large lists).
    #[test]
    fn margins_equal_a_brute_force_scan(
        votes in prop::collection::vec(0u64..300, 2..6),
        seats in prop::sample::select(vec![5u32, 9, 15, 19, 23]),
        candidates in 3u32..12,
        body in prop::sample::select(vec![Body::GR, Body::TK, Body::EK, Body::KCNI]),
    ) {
        let e = election(body, seats, &votes, candidates);
        let Ok(m) = kieswet::margins(&e) else { return Ok(()) }; // the real result needs a lot
        let total: u64 = votes.iter().sum();
        for (i, margin) in m.parties.iter().enumerate() {
            if margin.seats >= candidates {
                prop_assert_eq!(margin.gain, None);
            } else {
                let brute = brute_gain(&e, i, margin.seats, (total + 1) * 2 * u64::from(seats));
                prop_assert_eq!(margin.gain, brute, "gain of list {}", i + 1);
            }
            if margin.seats == 0 {
                prop_assert_eq!(margin.lose, None);
            } else {
                prop_assert_eq!(margin.lose, Some(brute_lose(&e, i, margin.seats)), "lose of list {}", i + 1);
            }
        }
    }
}

/// TK2021 (list totals from the Kiesraad's 510d; 150 seats, P 7 with P 7 lid 2). Under
/// largest averages a list with s seats gains seat s+1 once votes/(s+1) beats the last
/// average that won a seat; that was D66's 1.565.861/24 (seat 150). The SP, which won the first
/// restzetel with 623.371/9, keeps its 9 seats as long as 623.371−y over 9 stays above the
/// average of the first list not elected (VVD 2.279.130/35 = 65.118, seat 151).
#[test]
fn tweede_kamer_2021_margins_follow_the_last_and_next_averages() {
    let totals = [
        2_279_130, 1_124_482, 990_601, 1_565_861, 537_308, 623_371, 597_192, 351_275, 399_750,
        106_702, 215_249, 211_237, 523_083, 87_238, 246_620, 40_731, 252_480, 33_834, 22_816,
        5_546, 15_297, 30_328, 104_319, 8_657, 9_264, 5_449, 5_015, 13_198, 1_880, 8_277, 804,
        3_744, 942, 553, 245, 255, 119,
    ];
    let e = election(Body::TK, 150, &totals, 50);
    let m = kieswet::margins(&e).unwrap();
    assert_eq!(m.next_seat, Some(1), "seat 151 goes to the VVD");
    // SP (list 6): 9 seats. Gain: (623.371 + x)/10 > 1.565.861/24 = 65.244,21 → x = 29.072.
    let sp = &m.parties[5];
    assert_eq!(sp.seats, 9);
    assert_eq!(sp.gain, Some(652_443 - 623_371));
    // Lose: (623.371 − y)/9 > 65.118 (VVD's average for seat 151) → 623.371 − y > 586.062,
    // so y ≤ 37.308.
    assert_eq!(sp.lose, Some(37_308));
    // BIJ1 (list 14) has 1 seat (a full seat), 87.238 votes. Its average would stay above
    // VVD's 65.118 down to 65.119 votes, but P 6 and P 7 lid 2 bite first: below the kiesdeler
    // it has no full seat and may not take a restzetel. With y votes fewer the kiesdeler is
    // (10.422.852 − y)/150, so it keeps the seat while 150·(87.238 − y) ≥ 10.422.852 − y,
    // i.e. y ≤ 2.662.848/149 = 17.871,4.
    let bij1 = &m.parties[13];
    assert_eq!(bij1.seats, 1);
    assert_eq!(bij1.lose, Some(17_871));
}
