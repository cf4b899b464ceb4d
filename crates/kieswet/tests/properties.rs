//! Properties the law guarantees, checked on random elections (proptest). Each property says
//! which articles make it true. Cases that need a lot are skipped where the property does not
//! hold across lot outcomes (a lot may decide either way).

use kieswet::{
    Apportionment, Body, Candidate, Election, List, Outcome, Party, RulesetName, SplitRounding,
};
use proptest::prelude::*;

const BODIES: [Body; 9] = Body::ALL;

fn candidate(position: u32, votes: u64, deceased: bool, party: u32) -> Candidate {
    Candidate {
        position,
        name: format!("Kandidaat {party}.{position}"),
        person: position - 1,
        votes,
        deceased,
    }
}

/// A random election: up to 9 parties, each with one list (or, for bodies with kieskringen,
/// up to 3 lists of the same persons), 0–8 candidates with 0–400 votes, a few deceased.
fn election() -> impl Strategy<Value = Election> {
    let party = (
        prop::collection::vec((0u64..400, prop::bool::weighted(0.08)), 0..8),
        1usize..=3,
    );
    (
        prop::sample::select(BODIES.to_vec()),
        1u32..=45,
        prop::collection::vec(party, 1..=9),
        prop::sample::select(vec![
            RulesetName::Current,
            RulesetName::Wet36641,
            RulesetName::MetEenStemMeerKeus,
        ]),
    )
        .prop_map(|(body, seats, parties, ruleset)| {
            let groups_allowed = matches!(body, Body::TK | Body::PS | Body::EK);
            let parties = parties
                .into_iter()
                .zip(1u32..)
                .map(|((cands, n_lists), number)| {
                    let n_lists = if groups_allowed { n_lists } else { 1 };
                    let lists = (0..n_lists)
                        .map(|li| List {
                            kieskringen: vec![u32::try_from(li).unwrap() + 1].into(),
                            list_votes: 0,
                            candidates: cands
                                .iter()
                                .zip(1u32..)
                                .map(|(&(v, dead), pos)| {
                                    // The same persons on each list, with votes shifted per list.
                                    let votes = (v + 37 * li as u64) % 400;
                                    candidate(pos, votes, dead, number)
                                })
                                .collect(),
                        })
                        .collect();
                    Party {
                        number,
                        name: format!("Partij {number}"),
                        lists,
                    }
                })
                .collect();
            Election {
                body,
                seats,
                ruleset,
                split_rounding: SplitRounding::default(),
                preference_threshold_percent: None,
                parties,
                lots: Vec::new(),
            }
        })
}

fn complete(e: &Election) -> Option<Outcome> {
    match kieswet::apportion(e).expect("generated input is valid") {
        Apportionment::Complete(o) => Some(o),
        Apportionment::LotRequired(_) => None,
    }
}

/// Full seats (P 6): floor(votes / kiesdeler) = floor(votes · S / total).
fn full_seats(e: &Election, p: &Party) -> u32 {
    let total: u64 = e.parties.iter().map(Party::votes).sum();
    if total == 0 {
        return 0;
    }
    u32::try_from(u128::from(p.votes()) * u128::from(e.seats) / u128::from(total)).unwrap()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 400, ..ProptestConfig::default() })]

    /// P 6–P 10: every seat goes to a party, except seats left over when every party with votes
    /// is exhausted (P 10 has nowhere to send them), under Pa 25 (KCNI), or when no votes were
    /// cast at all. P 10 and P 19a: no party gets more seats than it has living candidates.
    /// P 15–P 18 fill exactly the party's seats with distinct living candidates.
    #[test]
    fn seats_add_up_and_never_exceed_living_candidates(e in election()) {
        let Some(o) = complete(&e) else { return Ok(()) };
        let assigned: u32 = o.parties.iter().map(|p| p.seats).sum();
        prop_assert_eq!(assigned + o.empty_seats, e.seats);
        for (p, r) in e.parties.iter().zip(&o.parties) {
            prop_assert!(r.seats <= p.living_persons(), "party {} has {} seats", p.number, r.seats);
            let elected = o.elected.iter().filter(|c| c.list == p.number).count();
            prop_assert_eq!(elected, r.seats as usize);
            prop_assert_eq!(r.list_seats.iter().sum::<u32>(), r.seats);
        }
        if o.empty_seats > 0 && e.body != Body::KCNI {
            let total: u64 = e.parties.iter().map(Party::votes).sum();
            let all_exhausted = e.parties.iter().zip(&o.parties)
                .filter(|(p, _)| p.votes() > 0)
                .all(|(p, r)| r.seats == p.living_persons());
            prop_assert!(total == 0 || all_exhausted, "empty seats while a party could take one");
        }
        let mut seen = std::collections::HashSet::new();
        for c in &o.elected {
            prop_assert!(seen.insert((c.list, c.name.clone())), "{} elected twice", c.name);
        }
    }

    /// P 5–P 10 name no list order: the ballot position of a list plays no part, so shuffling
    /// the lists gives every list the same seats (when no lot is involved).
    #[test]
    fn list_order_does_not_matter(e in election(), seed in any::<u64>()) {
        let Some(a) = complete(&e) else { return Ok(()) };
        if a.lots_used > 0 { return Ok(()) }
        let mut shuffled = e.clone();
        let n = shuffled.parties.len();
        for i in (1..n).rev() {
            let j = usize::try_from((seed ^ (i as u64).wrapping_mul(0x9e37_79b9_7f4a_7c15)) % (i as u64 + 1)).unwrap();
            shuffled.parties.swap(i, j);
        }
        let Some(b) = complete(&shuffled) else { return Ok(()) };
        for p in &a.parties {
            prop_assert_eq!(p.seats, b.seats_of(p.number), "party {}", p.number);
        }
    }

    /// P 6 gives each list its full seats and P 7–P 9 only add restzetels (P 9 takes back a
    /// restzetel, never a full seat); only P 10 can lower a list below its full seats, and then
    /// only to its number of living candidates.
    #[test]
    fn every_list_keeps_its_full_seats(e in election()) {
        let Some(o) = complete(&e) else { return Ok(()) };
        for (p, r) in e.parties.iter().zip(&o.parties) {
            let full = full_seats(&e, p);
            prop_assert_eq!(r.full_seats, full);
            prop_assert!(r.seats >= full.min(p.living_persons()), "party {}: {} < {}", p.number, r.seats, full);
        }
    }

    /// Largest averages (P 7, U 9) is house-monotone in votes: with the others fixed, more votes
    /// for one list never give it fewer seats. P 7 lid 2 only excludes lists below the
    /// kiesdeler (more votes for a list can only exclude others), and P 9 only adds a seat to a
    /// list that gains votes.
    #[test]
    fn largest_averages_more_votes_never_fewer_seats(
        e in election(), which in any::<prop::sample::Index>(), extra in 1u64..2_000
    ) {
        let mut e = e;
        e.seats = e.seats.max(19);
        e.ruleset = RulesetName::Current;
        let Some(before) = complete(&e) else { return Ok(()) };
        if before.lots_used > 0 { return Ok(()) }
        let i = which.index(e.parties.len());
        let mut more = e.clone();
        let Some(first) = more.parties[i].lists[0].candidates.first_mut() else { return Ok(()) };
        first.votes += extra;
        let Some(after) = complete(&more) else { return Ok(()) };
        prop_assert!(
            after.parties[i].seats >= before.parties[i].seats,
            "party {} went from {} to {} seats with {} more votes",
            e.parties[i].number, before.parties[i].seats, after.parties[i].seats, extra
        );
    }
}
