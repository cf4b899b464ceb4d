//! Differential test: the engine against a small, independent reference for the gemeenteraad
//! (`differential_gr/reference.rs`, written from the law text and the Kiesraad's
//! clarifications, sharing no code with the engine), on random elections: 1–10 lists, up to 45
//! seats, short lists, deceased candidates, lists with an absolute majority, equal votes (so
//! lots). Both must give the same seats per list, the same empty seats, the same elected
//! candidates in the same order, ask for the same lots (reason and options, replayed with
//! the same draw), and the engine must warn exactly when P 9 and P 10 both applied.
//!
//! 100,000 elections per run, in two halves of 50,000 (two tests, so two cores share them).
//! `KIESWET_DIFF_CASES` (per half, default 50,000) and `KIESWET_DIFF_SEED` (default 15; the
//! halves use it and the next; fixed so that CI is repeatable, any other seed explores other
//! elections) steer it. A failure prints the seed and the case number to replay it.

// Counts in these tests are small (at most 45 seats, a dozen lists or candidates).
#![allow(clippy::cast_possible_truncation)]

#[path = "differential_gr/reference.rs"]
mod reference;
mod seats_common;

use kieswet::{Apportionment, Body, Election, LotChoice, LotReason, Warning, apportion};
use reference::{Cand, Lot};
use seats_common::{candidate, election, party};

/// splitmix64: small, fast, good enough to spread test cases.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }

    fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// A random gemeenteraad election as the reference sees it: seats and candidates per list.
fn generate(rng: &mut Rng) -> (u32, Vec<Vec<Cand>>) {
    // Mostly councils below 19 seats (P 8, where P 9 and P 10 interact most), some from 19 on.
    let seats = u32::try_from(if rng.chance(75) {
        rng.range(1, 18)
    } else {
        rng.range(19, 45)
    })
    .unwrap();
    let n = rng.range(1, 10) as usize;
    // Small vote counts make ties (and lots) common; large ones are the usual case.
    let scale = match rng.range(0, 3) {
        0 => 12,
        1 => 120,
        _ => 3000,
    };
    let mut totals: Vec<u64> = (0..n).map(|_| rng.range(0, scale)).collect();
    if rng.chance(10) {
        totals[rng.range(0, n as u64 - 1) as usize] = 0;
    }
    // An absolute majority in about half of the elections, often just above half.
    let majority = n > 1 && rng.chance(50);
    let m = rng.range(0, n as u64 - 1) as usize;
    if majority {
        let others: u64 = totals
            .iter()
            .enumerate()
            .filter(|&(i, _)| i != m)
            .map(|(_, v)| v)
            .sum();
        totals[m] = others + 1 + rng.range(0, others / 20 + 1);
    }
    let total: u64 = totals.iter().sum::<u64>().max(1);
    let lists = totals
        .iter()
        .enumerate()
        .map(|(i, &votes)| {
            // About the seats the list wins: short lists (P 10) are common, and the majority
            // list is often cut just at its seats (P 9 then P 10).
            let share = u64::from(seats) * votes / total;
            let len = if majority && i == m && rng.chance(80) {
                share.max(1)
            } else if rng.chance(30) {
                rng.range(1, share.max(1) + 1)
            } else {
                rng.range(1, 12)
            };
            split(rng, votes, len as usize)
        })
        .collect();
    (seats, lists)
}

/// `votes` over `len` candidates: most on number 1, the rest spread, some equal.
fn split(rng: &mut Rng, votes: u64, len: usize) -> Vec<Cand> {
    let mut v = vec![0u64; len];
    let mut left = votes;
    for (k, slot) in v.iter_mut().enumerate().skip(1) {
        if left == 0 {
            break;
        }
        let part = if rng.chance(20) && k > 1 {
            0
        } else {
            rng.range(0, left / 3)
        };
        *slot = part;
        left -= part;
    }
    v[0] = left;
    if len > 2 && rng.chance(25) {
        // Equal preference votes: two candidates after number 1 get the lower of their two
        // counts, number 1 the difference (the list keeps its votes).
        let a = rng.range(1, len as u64 - 1) as usize;
        let b = rng.range(1, len as u64 - 1) as usize;
        let low = v[a].min(v[b]);
        v[0] += v[a] + v[b] - 2 * low;
        v[a] = low;
        v[b] = low;
    }
    v.into_iter()
        .map(|votes| Cand {
            votes,
            deceased: rng.chance(8),
        })
        .collect()
}

fn to_election(seats: u32, lists: &[Vec<Cand>]) -> Election {
    let parties = lists
        .iter()
        .zip(1u32..)
        .map(|(cands, number)| {
            let mut l = seats_common::list(&[]);
            l.candidates = cands
                .iter()
                .zip(1u32..)
                .map(|(c, position)| {
                    let mut k = candidate(position, c.votes);
                    k.deceased = c.deceased;
                    k
                })
                .collect();
            party(number, vec![l])
        })
        .collect();
    election(Body::GR, seats, parties)
}

/// A lot the engine asked for, in the reference's terms, and what was drawn.
#[derive(Debug, PartialEq, Eq)]
struct Asked {
    lot: Lot,
    options: Vec<usize>,
    drawn: usize,
}

fn reference_lot(reason: &LotReason) -> Lot {
    match reason {
        LotReason::ResidualSeat { .. } | LotReason::ExhaustionReassignment { .. } => Lot::Restzetel,
        LotReason::AbsoluteMajorityRetraction => Lot::Majority,
        LotReason::PreferenceSeat { party, seats_left } => Lot::Preference {
            list: *party as usize - 1,
            seats_left: *seats_left,
        },
        other => panic!("a lot the gemeenteraad does not have: {other:?}"),
    }
}

/// Runs the engine, drawing a random option whenever it asks for a lot.
fn engine(e: &mut Election, rng: &mut Rng) -> (kieswet::Outcome, Vec<Asked>) {
    let mut asked = Vec::new();
    loop {
        match apportion(e).expect("valid input") {
            Apportionment::Complete(o) => return (o, asked),
            Apportionment::LotRequired(l) => {
                let pick = rng.range(0, l.options.len() as u64 - 1) as usize;
                let chosen = l.options[pick].clone();
                let index = |c: &LotChoice| match c {
                    LotChoice::Party(p) => *p as usize - 1,
                    LotChoice::Candidate { position, .. } => *position as usize - 1,
                    other @ LotChoice::GroupList { .. } => panic!("{other:?}"),
                };
                asked.push(Asked {
                    lot: reference_lot(&l.reason),
                    options: l.options.iter().map(index).collect(),
                    drawn: index(&chosen),
                });
                e.lots.push(chosen);
            }
        }
    }
}

struct Tally {
    cases: usize,
    p9_p10: usize,
    lots: usize,
    empty: usize,
}

fn check(seed: u64, case: usize, rng: &mut Rng, tally: &mut Tally) {
    let (seats, lists) = generate(rng);
    let mut e = to_election(seats, &lists);
    let (o, asked) = engine(&mut e, rng);
    let mut replay = asked.iter();
    let mut reference_asked = Vec::new();
    let r = reference::apportion(seats, &lists, &mut |lot, options| {
        let a = replay.next();
        let drawn = a.map_or(options[0], |a| a.drawn);
        reference_asked.push(Asked {
            lot,
            options,
            drawn,
        });
        drawn
    });
    let context = || format!("seed {seed}, case {case}: {seats} seats, lists {lists:?}");
    assert_eq!(reference_asked, asked, "lots differ; {}", context());
    let engine_seats: Vec<u32> = o.parties.iter().map(|p| p.seats).collect();
    assert_eq!(engine_seats, r.seats, "seats differ; {}", context());
    assert_eq!(o.empty_seats, r.empty, "empty seats differ; {}", context());
    for (i, want) in r.elected.iter().enumerate() {
        let got: Vec<usize> = o
            .elected
            .iter()
            .filter(|c| c.list as usize == i + 1)
            .map(|c| c.position as usize - 1)
            .collect();
        assert_eq!(
            &got,
            want,
            "elected of list {} differ; {}",
            i + 1,
            context()
        );
    }
    let warned = o
        .warnings
        .iter()
        .any(|w| matches!(w, Warning::AbsoluteMajorityAndExhaustion { .. }));
    assert_eq!(
        warned,
        r.p9_and_p10,
        "P 9 + P 10 warning differs; {}",
        context()
    );
    tally.cases += 1;
    tally.p9_p10 += usize::from(r.p9_and_p10);
    tally.lots += usize::from(!asked.is_empty());
    tally.empty += usize::from(r.empty > 0);
}

fn env(name: &str, default: u64) -> u64 {
    std::env::var(name)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

/// Runs the random elections of one half (seed + `half`) and checks the generator's reach.
fn shard(half: u64) {
    let seed = env("KIESWET_DIFF_SEED", 15) + half;
    let cases = env("KIESWET_DIFF_CASES", 50_000) as usize;
    let mut rng = Rng(seed);
    let mut tally = Tally {
        cases: 0,
        p9_p10: 0,
        lots: 0,
        empty: 0,
    };
    for case in 0..cases {
        check(seed, case, &mut rng, &mut tally);
    }
    eprintln!(
        "differential_gr: {} elections (seed {seed}): P 9 + P 10 in {}, lots in {}, empty seats in {}",
        tally.cases, tally.p9_p10, tally.lots, tally.empty
    );
    // The generator must keep hitting the hard cases.
    assert!(
        tally.p9_p10 * 20 >= tally.cases,
        "P 9 + P 10 in fewer than 5% of the elections"
    );
    assert!(
        tally.lots * 20 >= tally.cases,
        "lots in fewer than 5% of the elections"
    );
}

// 100,000 elections per run, in two halves so that the two cores share them.

#[test]
fn engine_agrees_with_the_independent_reference_on_random_gemeenteraad_elections_1() {
    shard(0);
}

#[test]
fn engine_agrees_with_the_independent_reference_on_random_gemeenteraad_elections_2() {
    shard(1);
}
