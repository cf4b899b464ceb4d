//! Properties of the candidate rules (P 15–P 19a, U 15, the proposal) on random elections,
//! including lijstengroepen whose lists share some persons and differ in others.

use std::collections::{HashMap, HashSet};

use kieswet::candidates::CandidateStep;
use kieswet::{
    Apportionment, Body, Candidate, ElectedBy, Election, Fraction, List, Outcome, Party,
    PersonNumbers, RankedCandidate, RulesetName, SplitRounding, Step, apportion,
    apportion_with_ranking,
};
use proptest::prelude::*;

/// Up to 5 parties; each with 1–4 lists (for TK, PS and EK) drawn from a pool of up to 8
/// persons: each list takes a random subset in a random order, with its own votes.
fn election() -> impl Strategy<Value = Election> {
    let list = prop::collection::vec((0usize..8, 0u64..300), 0..7);
    let party = (
        prop::collection::vec(list, 1..=4),
        prop::collection::vec(prop::bool::weighted(0.1), 8),
        0u64..200,
    );
    (
        prop::sample::select(vec![Body::TK, Body::PS, Body::EK, Body::GR, Body::EP]),
        1u32..=30,
        prop::collection::vec(party, 1..=5),
        prop::bool::weighted(0.25),
        prop::sample::select(vec![
            SplitRounding::LargestRemainders,
            SplitRounding::LargestAverages,
            SplitRounding::ListSeatsDown,
        ]),
    )
        .prop_map(|(body, seats, parties, proposal, split_rounding)| {
            let groups = matches!(body, Body::TK | Body::PS | Body::EK);
            let parties = parties
                .into_iter()
                .zip(1u32..)
                .map(|((lists, deceased, list_votes), number)| {
                    let n = if groups { lists.len() } else { 1 };
                    let mut numbers = PersonNumbers::default();
                    let lists = lists
                        .into_iter()
                        .take(n)
                        .zip(1u32..)
                        .map(|(entries, kieskring)| {
                            let mut seen = HashSet::new();
                            let candidates = entries
                                .into_iter()
                                .filter(|(person, _)| seen.insert(*person))
                                .zip(1u32..)
                                .map(|((person, votes), position)| Candidate {
                                    position,
                                    name: format!("Persoon {number}.{person}"),
                                    person: numbers.number(&person.to_string()),
                                    votes,
                                    deceased: deceased[person],
                                })
                                .collect();
                            List {
                                kieskringen: vec![kieskring].into(),
                                list_votes: if proposal { list_votes } else { 0 },
                                candidates,
                            }
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
                ruleset: if proposal {
                    RulesetName::MetEenStemMeerKeus
                } else {
                    RulesetName::Current
                },
                split_rounding,
                preference_threshold_percent: None,
                parties,
                lots: Vec::new(),
            }
        })
}

/// Runs the election with the P 19 ranking, answering every lot with its first option. The
/// run without the ranking must give the same outcome apart from the ranking, and ask for the
/// same lots: the ranking plays no part in who is elected (P 19 only orders candidates for
/// later vacancies).
fn outcome(e: &Election) -> Outcome {
    let mut e = e.clone();
    for _ in 0..200 {
        let without = apportion(&e).expect("generated input is valid");
        match apportion_with_ranking(&e).expect("generated input is valid") {
            Apportionment::Complete(o) => {
                let Apportionment::Complete(mut without) = without else {
                    panic!("the run without the ranking asked for a lot")
                };
                assert!(without.rankings.is_none());
                without.rankings.clone_from(&o.rankings);
                assert_eq!(without, o);
                return o;
            }
            Apportionment::LotRequired(l) => {
                assert_eq!(without, Apportionment::LotRequired(l.clone()));
                e.lots.push(l.options[0].clone());
            }
        }
    }
    panic!("more than 200 lots")
}

/// The ranking of every party (the runs here always ask for it).
fn rankings(o: &Outcome) -> &[(u32, Vec<RankedCandidate>)] {
    o.rankings.as_deref().expect("the ranking was asked for")
}

fn unfilled(o: &Outcome, party: u32) -> u32 {
    o.steps
        .iter()
        .filter_map(|s| match s {
            Step::Candidate(CandidateStep::SeatUnfilled { list, unfilled, .. })
                if list.party == party =>
            {
                Some(*unfilled)
            }
            _ => None,
        })
        .sum()
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 300, ..ProptestConfig::default() })]

    /// Every seat of every list goes to one living candidate of that list, no person holds two
    /// seats, and a seat stays empty only when it is reported.
    #[test]
    fn seats_go_to_distinct_living_candidates_of_the_list(e in election()) {
        let o = outcome(&e);
        for (party, result) in e.parties.iter().zip(&o.parties) {
            let mine: Vec<_> = o.elected.iter().filter(|c| c.list == party.number).collect();
            prop_assert_eq!(
                u32::try_from(mine.len()).unwrap() + unfilled(&o, party.number),
                result.list_seats.iter().sum::<u32>()
            );
            let mut persons = HashSet::new();
            let mut per_list: HashMap<usize, u32> = HashMap::new();
            for c in &mine {
                prop_assert!(persons.insert(c.name.clone()), "{} twice", c.name);
                *per_list.entry(c.list_index).or_default() += 1;
                let cand = party.lists[c.list_index]
                    .candidates
                    .iter()
                    .find(|x| x.position == c.position)
                    .expect("elected on a list where the candidate stands");
                prop_assert_eq!(&cand.name, &c.name);
                prop_assert!(!cand.deceased, "P 19a: {} is deceased", c.name);
            }
            for (li, n) in per_list {
                prop_assert!(n <= result.list_seats[li]);
            }
        }
    }

    /// P 15: the preference-elected reach the threshold on the joint lists and come first, in
    /// order of votes; nobody with more votes (and above the threshold) is passed over for a
    /// list-order seat.
    #[test]
    fn preference_elected_come_first_in_order_of_votes(e in election()) {
        let o = outcome(&e);
        for party in &e.parties {
            let mine: Vec<_> = o.elected.iter().filter(|c| c.list == party.number).collect();
            let pref: Vec<_> = mine.iter().filter(|c| c.by == ElectedBy::Preference).collect();
            prop_assert!(mine.iter().take(pref.len()).all(|c| c.by == ElectedBy::Preference));
            for w in pref.windows(2) {
                prop_assert!(w[0].votes >= w[1].votes);
            }
            let threshold = o.preference_threshold;
            for c in &pref {
                let v = Fraction::from_int(u128::from(c.votes));
                let reaches = if o.rules.preference_threshold_strict {
                    v > threshold
                } else {
                    v >= threshold
                };
                prop_assert!(reaches, "{} below the threshold", c.name);
            }
        }
    }

    /// P 19: each list's ranking holds each living candidate of that list exactly once;
    /// except (lid 5, from 19 seats on, not for the Eerste Kamer) a party without elected
    /// candidates that is no lijstengroep with seats, which is not ranked and is named in
    /// the step that says so.
    #[test]
    fn ranking_is_a_permutation_of_the_living_candidates(e in election()) {
        let o = outcome(&e);
        let omitted: Vec<u32> = o.steps.iter().find_map(|s| match s {
            Step::Candidate(CandidateStep::RankingOmitted { parties }) => Some(parties.clone()),
            _ => None,
        }).unwrap_or_default();
        for (party, (number, ranking)) in e.parties.iter().zip(rankings(&o)) {
            prop_assert_eq!(party.number, *number);
            let current = e.ruleset != RulesetName::MetEenStemMeerKeus;
            let has_elected = o.elected.iter().any(|c| c.list == party.number);
            let group_with_seats = party.lists.len() > 1 && o.seats_of(party.number) > 0;
            let lid_5 = current && e.body != Body::EK && e.seats >= 19
                && !has_elected && !group_with_seats;
            prop_assert_eq!(omitted.contains(&party.number), lid_5);
            if lid_5 {
                prop_assert!(ranking.is_empty());
                continue;
            }
            for (li, list) in party.lists.iter().enumerate() {
                let dead: HashSet<&str> = party.lists.iter().flat_map(|l| &l.candidates)
                    .filter(|c| c.deceased).map(|c| c.name.as_str()).collect();
                let mut want: Vec<u32> = list.candidates.iter()
                    .filter(|c| !dead.contains(c.name.as_str())).map(|c| c.position).collect();
                let mut got: Vec<u32> = ranking.iter().filter(|r| r.list_index == li)
                    .map(|r| r.position).collect();
                let ranks: Vec<u32> = ranking.iter().filter(|r| r.list_index == li)
                    .map(|r| r.rank).collect();
                prop_assert_eq!(ranks, (1..=u32::try_from(got.len()).unwrap()).collect::<Vec<_>>());
                want.sort_unstable();
                got.sort_unstable();
                prop_assert_eq!(got, want);
            }
            // Each entry refers to its own candidate on its own list.
            for r in ranking {
                let c = r.candidate(party);
                prop_assert_eq!(c.map(|c| c.position), Some(r.position));
                prop_assert_eq!(c.map(|c| c.votes <= r.votes), Some(true));
            }
        }
    }

    /// The order in which the input gives a list's candidates does not matter (their positions
    /// do), and a ranking entry still refers to its own candidate.
    #[test]
    fn candidates_given_out_of_order(e in election()) {
        let o = outcome(&e);
        let mut reversed = e.clone();
        for list in reversed.parties.iter_mut().flat_map(|p| &mut p.lists) {
            list.candidates.reverse();
        }
        let r = outcome(&reversed);
        prop_assert_eq!(&r.elected, &o.elected);
        for (party, ((_, a), (_, b))) in reversed.parties.iter().zip(rankings(&o).iter().zip(rankings(&r))) {
            prop_assert_eq!(a.len(), b.len());
            for (x, y) in a.iter().zip(b) {
                prop_assert_eq!((x.rank, x.list_index, x.position), (y.rank, y.list_index, y.position));
                prop_assert_eq!(y.candidate(party).map(|c| c.position), Some(y.position));
            }
        }
    }

    /// Person numbers only say which entries are one person: numbering the persons of each
    /// party differently (here: from the highest number allowed down) changes nothing at all,
    /// not the steps, not the lots asked for, not the ranking.
    #[test]
    fn person_numbers_only_tie_entries_together(e in election()) {
        let o = outcome(&e);
        let mut renumbered = e.clone();
        for party in &mut renumbered.parties {
            let entries: usize = party.lists.iter().map(|l| l.candidates.len()).sum();
            let highest = u32::try_from(entries).unwrap().saturating_sub(1);
            for c in party.lists.iter_mut().flat_map(|l| &mut l.candidates) {
                c.person = highest - c.person;
            }
        }
        prop_assert_eq!(outcome(&renumbered), o);
    }
}
