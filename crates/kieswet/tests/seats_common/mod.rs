//! Builders shared by the seat tests.
#![allow(dead_code)]

use kieswet::seats::{SeatAssignment, SeatStep};
use kieswet::{
    Body, Candidate, Election, InputError, List, LotChoice, LotReason, Party, RulesetName,
    SeatsOnly, SplitRounding, Step, apportion_seats,
};

/// A list with these candidate votes (candidate 1 first).
pub fn list(votes: &[u64]) -> List {
    List {
        kieskringen: [].into(),
        list_votes: 0,
        candidates: votes
            .iter()
            .enumerate()
            .map(|(i, &v)| candidate(u32::try_from(i).unwrap() + 1, v))
            .collect(),
    }
}

pub fn candidate(position: u32, votes: u64) -> Candidate {
    Candidate {
        position,
        name: format!("Kandidaat {position}"),
        person: position - 1,
        votes,
        deceased: false,
    }
}

/// A list of `n` candidates with all `votes` on candidate 1.
pub fn list_n(votes: u64, n: usize) -> List {
    let mut v = vec![0; n];
    v[0] = votes;
    list(&v)
}

/// Parties numbered 1, 2, … with one list each of 50 candidates, all votes on candidate 1.
pub fn parties(votes: &[u64]) -> Vec<Party> {
    votes
        .iter()
        .enumerate()
        .map(|(i, &v)| party(u32::try_from(i).unwrap() + 1, vec![list_n(v, 50)]))
        .collect()
}

/// Parties numbered 1, 2, … with the given lists.
pub fn parties_with(lists: Vec<List>) -> Vec<Party> {
    lists
        .into_iter()
        .enumerate()
        .map(|(i, l)| party(u32::try_from(i).unwrap() + 1, vec![l]))
        .collect()
}

pub fn party(number: u32, lists: Vec<List>) -> Party {
    Party {
        number,
        name: format!("Lijst {number}"),
        lists,
    }
}

pub fn election(body: Body, seats: u32, parties: Vec<Party>) -> Election {
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

pub fn gr(seats: u32, votes: &[u64]) -> Election {
    election(Body::GR, seats, parties(votes))
}

/// Runs the seat part and expects it to complete.
pub fn seats(e: &Election) -> (SeatAssignment, Vec<Step>) {
    match apportion_seats(e).expect("valid input") {
        SeatsOnly::Complete { seats, steps } => (seats, steps),
        SeatsOnly::LotRequired(l) => {
            panic!("unexpected lot {}: {:?} {:?}", l.index, l.reason, l.options)
        }
    }
}

/// A lot the engine asked for: why, and among which options.
pub type Asked = (LotReason, Vec<LotChoice>);

/// Runs the seat part, drawing `drawn` (party numbers) one at a time whenever the engine asks,
/// and returns the lots it asked for with the final result.
pub fn seats_with_lots(e: &Election, drawn: &[u32]) -> (Vec<Asked>, SeatAssignment, Vec<Step>) {
    let mut e = e.clone();
    let mut asked = Vec::new();
    loop {
        match apportion_seats(&e).expect("valid input") {
            SeatsOnly::Complete { seats, steps } => {
                assert_eq!(asked.len(), drawn.len(), "fewer lots needed than drawn");
                return (asked, seats, steps);
            }
            SeatsOnly::LotRequired(l) => {
                assert_eq!(l.index, asked.len());
                let next = *drawn
                    .get(asked.len())
                    .unwrap_or_else(|| panic!("more lots needed: {:?} {:?}", l.reason, l.options));
                asked.push((l.reason, l.options));
                e.lots.push(LotChoice::Party(next));
            }
        }
    }
}

/// The error for a recorded lot that is not among the options.
pub fn bad_lot(e: &Election, lots: &[LotChoice]) -> InputError {
    let mut e = e.clone();
    e.lots = lots.to_vec();
    apportion_seats(&e).expect_err("a lot outside the options is an input error")
}

pub fn options(parties: &[u32]) -> Vec<LotChoice> {
    parties.iter().map(|&p| LotChoice::Party(p)).collect()
}

pub fn seat_steps(steps: &[Step]) -> impl Iterator<Item = &SeatStep> {
    steps.iter().filter_map(|s| match s {
        Step::Seat(s) => Some(s),
        _ => None,
    })
}

/// The parties that received restzetels, in order.
pub fn residual_order(steps: &[Step]) -> Vec<u32> {
    seat_steps(steps)
        .filter_map(SeatStep::residual_seat)
        .map(|r| r.party)
        .collect()
}
