//! Worked examples of the candidate rules (P 15–P 19a, U 15, and the proposal "Met één stem
//! meer keus") through the public `apportion()`: seats first (P 5–P 13), then candidates. Each
//! test narrates what the law does and fails if a rule were wrong.

use kieswet::candidates::CandidateStep;
use kieswet::{
    Apportionment, Body, Candidate, ElectedBy, Election, List, LotChoice, LotReason, Outcome,
    Party, RankedCandidate, RulesetName, SplitRounding, Step, apportion, apportion_with_ranking,
};

use ElectedBy::{CandidateSeat, ListOrder, ListSeat, Preference};

fn party(number: u32, votes: &[u64]) -> Party {
    Party {
        number,
        name: format!("Lijst {number}"),
        lists: vec![List {
            kieskringen: [].into(),
            list_votes: 0,
            candidates: votes
                .iter()
                .zip(1u32..)
                .map(|(&votes, position)| Candidate {
                    position,
                    name: format!("Kandidaat {number}.{position}"),
                    person: position - 1,
                    votes,
                    deceased: false,
                })
                .collect(),
        }],
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

/// The outcome, with the P 19 ranking.
fn complete(e: &Election) -> Outcome {
    match apportion_with_ranking(e).expect("valid input") {
        Apportionment::Complete(o) => o,
        Apportionment::LotRequired(l) => panic!("unexpected lot: {:?}", l.reason),
    }
}

fn rankings(o: &Outcome) -> &[(u32, Vec<RankedCandidate>)] {
    o.rankings.as_deref().expect("the ranking was asked for")
}

/// (position, how) of the elected of party `number`, in output (P 19) order.
fn elected(o: &Outcome, number: u32) -> Vec<(u32, ElectedBy)> {
    o.elected
        .iter()
        .filter(|c| c.list == number)
        .map(|c| (c.position, c.by))
        .collect()
}

fn positions(o: &Outcome, number: u32, by: ElectedBy) -> Vec<u32> {
    elected(o, number)
        .into_iter()
        .filter(|(_, b)| *b == by)
        .map(|(p, _)| p)
        .collect()
}

fn candidate_steps(o: &Outcome) -> impl Iterator<Item = &CandidateStep> {
    o.steps.iter().filter_map(|s| match s {
        Step::Candidate(c) => Some(c),
        _ => None,
    })
}

/// GR2026 Schiermonnikoog (dossier §4.11; matches the official EML 520). 9 seats, votes 242,
/// 198, 208: kiesdeler 72, seats [3, 3, 3]. Threshold: more than half the kiesdeler (P 15
/// lid 2), > 36 votes.
/// - Ons Belang: #1 (106) and #6 (53) on preference, then #2 in list order.
/// - SAMEN: #3 (75) before #1 (43) — order of votes, not of the list — then #2.
/// - Schiermonnikoogs Belang: #1 (83), #8 (56), then #2.
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
    let o = complete(&e);
    assert_eq!(
        o.parties.iter().map(|p| p.seats).collect::<Vec<_>>(),
        [3, 3, 3]
    );
    assert_eq!(o.preference_threshold.reduced().to_string(), "36");
    assert_eq!(
        elected(&o, 1),
        [(1, Preference), (6, Preference), (2, ListOrder)]
    );
    assert_eq!(
        elected(&o, 2),
        [(3, Preference), (1, Preference), (2, ListOrder)]
    );
    assert_eq!(
        elected(&o, 3),
        [(1, Preference), (8, Preference), (2, ListOrder)]
    );
    // Every candidate step cites an article and says something.
    for s in candidate_steps(&o) {
        assert!(!s.article().is_empty() && !s.describe_nl().is_empty());
    }
}

const GR2026_33: [&[u64]; 9] = [
    &[
        1596, 870, 1023, 298, 477, 86, 118, 714, 283, 133, 286, 256, 104, 45, 17, 41, 126, 18, 144,
        89, 11, 64, 30, 22, 188, 1229,
    ],
    &[
        3104, 310, 280, 110, 280, 137, 166, 68, 20, 124, 34, 12, 11, 22, 33, 6, 6, 6, 14, 12, 14,
        16, 1, 1, 4, 6, 8, 3, 3, 5, 4, 2, 6, 5, 2, 1, 7, 1, 1, 3, 6, 3, 9, 9, 17,
    ],
    &[
        547, 123, 165, 224, 93, 14, 8, 228, 17, 23, 109, 2, 27, 40, 3, 8, 44, 13, 25, 10, 8, 10,
        13, 14, 7, 34, 42,
    ],
    &[
        730, 288, 218, 84, 159, 144, 37, 62, 109, 27, 41, 52, 16, 39, 34, 43, 33, 18, 38, 14, 31,
        14, 17, 22, 50, 17, 34, 7, 51, 157,
    ],
    &[
        631, 58, 99, 19, 31, 25, 11, 13, 14, 23, 8, 1, 23, 3, 14, 15, 86,
    ],
    &[
        628, 181, 212, 75, 69, 86, 65, 68, 13, 30, 80, 67, 5, 16, 14, 19, 11, 22, 33, 14, 5, 34,
        19, 24, 4, 11, 47,
    ],
    &[882, 91, 106, 21, 80, 43, 19, 8, 5, 36, 9, 1, 13, 23],
    &[
        264, 134, 27, 29, 5, 19, 25, 6, 8, 16, 5, 2, 2, 0, 5, 5, 6, 3, 3, 9,
    ],
    &[
        242, 21, 140, 44, 5, 15, 5, 30, 60, 7, 10, 20, 3, 6, 0, 2, 0, 7,
    ],
];

/// The real GR2026 case of dossier §4.7: 33 seats, kiesdeler 23050/33. The last restzetel is
/// tied between lists 3 and 9 (both average 617) and the lot fell on list 9: seats
/// [13, 7, 2, 4, 1, 3, 2, 0, 1]. Threshold 25% (P 15 lid 1): 11525/66 = 174,62.
/// List 1 has 11 candidates above it, elected in order of votes (1, 26, 3, 2, 8, 5, 4, 11, 9,
/// 12, 25); its 2 remaining seats go in list order to 6 and 7. List 3's #4 (224) is above the
/// threshold too, but its 2 seats went to #1 (547) and #8 (228).
#[test]
fn gr2026_33_seats_with_a_lot_for_the_last_restzetel() {
    let parties = GR2026_33
        .iter()
        .zip(1u32..)
        .map(|(v, n)| party(n, v))
        .collect();
    let mut e = election(Body::GR, 33, parties);
    let Apportionment::LotRequired(lot) = apportion(&e).expect("valid") else {
        panic!("the last restzetel needs a lot")
    };
    assert!(matches!(lot.reason, LotReason::ResidualSeat { .. }));
    e.lots = vec![LotChoice::Party(9)];
    let o = complete(&e);
    assert_eq!(
        o.parties.iter().map(|p| p.seats).collect::<Vec<_>>(),
        [13, 7, 2, 4, 1, 3, 2, 0, 1]
    );
    let expected: [(&[u32], &[u32]); 9] = [
        (&[1, 26, 3, 2, 8, 5, 4, 11, 9, 12, 25], &[6, 7]),
        (&[1, 2, 3, 5], &[4, 6, 7]),
        (&[1, 8], &[]),
        (&[1, 2, 3], &[4]),
        (&[1], &[]),
        (&[1, 3, 2], &[]),
        (&[1], &[2]),
        (&[], &[]),
        (&[1], &[]),
    ];
    for ((pref, order), n) in expected.iter().zip(1u32..) {
        assert_eq!(positions(&o, n, Preference), *pref, "list {n}");
        assert_eq!(positions(&o, n, ListOrder), *order, "list {n}");
    }
    let (_, ranking) = &rankings(&o)[2];
    let top: Vec<u32> = ranking.iter().take(4).map(|r| r.position).collect();
    assert_eq!(top, [1, 8, 4, 2], "P 19 lid 2 ranks list 3's #4 third");
    assert!(candidate_steps(&o).any(|s| matches!(
        s,
        CandidateStep::AboveThresholdNotElected { votes: 224, .. }
    )));
}

/// Eerste Kamer (U 15): "groter dan of gelijk aan de kiesdeler". 5 seats, votes 300 and 200:
/// kiesdeler 100, seats [3, 2]. List 1: #1 (150) and #3 (exactly 100) are elected on
/// preference, then #2 in list order. Under a strict rule #3 would be elected in list order
/// after #2.
#[test]
fn eerste_kamer_exactly_the_kiesdeler_is_enough() {
    let e = election(
        Body::EK,
        5,
        vec![party(1, &[150, 40, 100, 10]), party(2, &[120, 80])],
    );
    let o = complete(&e);
    assert_eq!(o.parties[0].seats, 3);
    assert_eq!(
        elected(&o, 1),
        [(1, Preference), (3, Preference), (2, ListOrder)]
    );
    assert_eq!(elected(&o, 2), [(1, Preference), (2, ListOrder)]);
}

/// Proposal "Met één stem meer keus" (not law): list 1 has 600 lijststemmen and 400
/// kandidaatsstemmen and wins 10 of 11 seats (kiesdeler 100). Its seats split 6 : 4. The 6
/// list seats go to #1–#6 in list order; the 4 candidate seats to the others with the most
/// candidate votes: #8 (80), #9 (60), #10 (50), #11 (40). No threshold applies. The outcome
/// states that this is a proposal and which rounding was used.
#[test]
fn proposal_ten_seats_sixty_percent_list_votes() {
    let mut p = party(1, &[100, 5, 5, 5, 5, 5, 10, 80, 60, 50, 40, 35]);
    p.lists[0].list_votes = 600;
    let mut e = election(Body::GR, 11, vec![p, party(2, &[100, 0])]);
    e.ruleset = RulesetName::MetEenStemMeerKeus;
    let o = complete(&e);
    assert_eq!(o.parties[0].seats, 10);
    assert_eq!(positions(&o, 1, ListSeat), [1, 2, 3, 4, 5, 6]);
    assert_eq!(positions(&o, 1, CandidateSeat), [8, 9, 10, 11]);
    assert!(
        o.assumptions
            .iter()
            .map(kieswet::Assumption::describe_nl)
            .any(|a| a.contains("geen geldend recht") && a.contains("grootste overschotten"))
    );
}

/// Proposal with largest averages for the split: 3 seats, 70 list votes, 30 candidate votes:
/// D'Hondt gives 70, 35, then 30 beats 23,3, so 2 list seats and 1 candidate seat. The
/// candidate seat goes to #5 (15 votes), far below any preference threshold.
#[test]
fn proposal_candidate_seat_for_a_low_placed_candidate() {
    let mut p = party(1, &[5, 2, 3, 5, 15]);
    p.lists[0].list_votes = 70;
    let mut e = election(Body::GR, 3, vec![p]);
    e.ruleset = RulesetName::MetEenStemMeerKeus;
    e.split_rounding = SplitRounding::LargestAverages;
    let o = complete(&e);
    assert_eq!(
        elected(&o, 1),
        [(1, ListSeat), (2, ListSeat), (5, CandidateSeat)]
    );
    assert!(
        o.assumptions
            .iter()
            .map(kieswet::Assumption::describe_nl)
            .any(|a| a.contains("grootste gemiddelden"))
    );
}

/// P 19 lid 5: from 19 seats on, a list without elected candidates gets no ranking for later
/// vacancies; below 19 seats, and for the Eerste Kamer (U 15 lid 2 names only leden 1, 3 and
/// 4), every list is ranked. List 2 (10 votes against 1,029) gets no seat in each case.
#[test]
fn p19_lid_5_leaves_lists_without_elected_candidates_unranked_from_19_seats() {
    let with_seats = |body: Body, seats: u32| {
        let mut votes = [1; 30];
        votes[0] = 1_000;
        let o = complete(&election(
            body,
            seats,
            vec![party(1, &votes), party(2, &[10, 0])],
        ));
        assert_eq!(o.seats_of(2), 0);
        let omitted = o.steps.iter().find_map(|s| match s {
            Step::Candidate(CandidateStep::RankingOmitted { parties }) => Some(parties.clone()),
            _ => None,
        });
        (rankings(&o)[0].1.len(), rankings(&o)[1].1.len(), omitted)
    };
    assert_eq!(with_seats(Body::GR, 19), (30, 0, Some(vec![2])));
    assert_eq!(with_seats(Body::GR, 18), (30, 2, None));
    assert_eq!(with_seats(Body::EK, 19), (30, 2, None));
}
