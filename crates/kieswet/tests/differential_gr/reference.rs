//! A small, independent reference for the gemeenteraad (one list per party, no lijstengroepen):
//! P 5–P 10 for the seats, P 15, P 17 and P 19a for the elected candidates. Written from the
//! law text and the Kiesraad's "Verduidelijkingen zetelverdeling" (repository
//! `kiesraad/abacus-documentatie`, `verkiezingsproces/`), sharing no code with the engine: its
//! own data model (seats held per round, a history of restzetels), its own arithmetic (cross
//! multiplication in `u128`).
//!
//! The rules as read here:
//! - P 5/P 6: kiesdeler Q = T / S; full seats ⌊V·S / T⌋.
//! - From 19 seats (P 7): each restzetel to the largest average V / (seats + 1) among the lists
//!   with votes (the gemeenteraad has no minimum there).
//! - Below 19 seats (P 8): first the largest remainders V − full·Q, one per list, for lists
//!   with V ≥ ¾·Q (lid 1–2; a remainder of 0 still counts); then largest averages with one
//!   seat per list (lid 3, no minimum); then, if seats are left (the Kiesraad: "een logische
//!   gevolgtrekking"), largest averages without that limit.
//! - A tie for fewer seats than tied lists is decided by lot, one seat at a time; otherwise
//!   the tied lists all get a seat (in ballot order).
//! - P 9: a list with more than half of the votes and at most half of the seats gets one more
//!   seat; it is taken from the list that won a restzetel for the smallest value (the last
//!   one given, not one of the majority list), by lot among lists that won one for that same
//!   value.
//! - P 10 (after P 9, deceased candidates left out: the Kiesraad): seats above a list's living
//!   candidates are taken away and given by continuing the restzetel rules among the lists
//!   that still have candidates without a seat. "Return to the situation just before": a list
//!   counts as served in a round only while it holds a seat of that round, so a restzetel
//!   that lapsed under P 9 can come back to its list. A seat nobody can take stays empty.
//! - P 15: candidates with more votes than the threshold (50% of Q below 19 seats, 25% from
//!   19 on), most votes first, ties in list order or by lot when there are fewer seats than
//!   tied candidates; P 17: the other seats in list order. Deceased candidates are skipped.

/// A candidate: votes and whether deceased.
#[derive(Clone, Copy, Debug)]
pub struct Cand {
    pub votes: u64,
    pub deceased: bool,
}

/// Which lot the reference needs.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Lot {
    /// A restzetel (also in P 10's continuation): options are list indices.
    Restzetel,
    /// P 9: which list loses its restzetel; options are list indices.
    Majority,
    /// P 15: options are candidate indices of list `list`.
    Preference { list: usize, seats_left: u32 },
}

/// The outcome: seats per list, empty seats, elected candidates per list (indices, P 15 ones
/// first in order, then P 17 in list order), and whether P 9 and P 10 both applied.
#[derive(Debug)]
pub struct Outcome {
    pub seats: Vec<u32>,
    pub empty: u32,
    pub elected: Vec<Vec<usize>>,
    pub p9_and_p10: bool,
}

/// a/b > c/d for positive denominators.
fn gt(a: u128, b: u128, c: u128, d: u128) -> bool {
    a * d > c * b
}

const ROUNDS: usize = 3;
const REMAINDER: usize = 0;
const ONE_EACH: usize = 1;
const AVERAGE: usize = 2;

struct Given {
    list: usize,
    round: usize,
    /// The value as a fraction.
    num: u128,
    den: u128,
    lapsed: bool,
}

struct State<'a> {
    s: u128,
    t: u128,
    v: Vec<u128>,
    full: Vec<u32>,
    seats: Vec<u32>,
    held: Vec<[u32; ROUNDS]>,
    given: Vec<Given>,
    caps: Option<Vec<u32>>,
    lots: &'a mut dyn FnMut(Lot, Vec<usize>) -> usize,
}

impl State<'_> {
    fn small(&self) -> bool {
        self.s < 19
    }

    fn can_take(&self, i: usize) -> bool {
        self.v[i] > 0 && self.caps.as_ref().is_none_or(|c| self.seats[i] < c[i])
    }

    /// The round of the next restzetel and the lists in it.
    fn round(&self) -> Option<(usize, Vec<usize>)> {
        let n = self.v.len();
        let take: Vec<usize> = (0..n).filter(|&i| self.can_take(i)).collect();
        if take.is_empty() {
            return None;
        }
        if !self.small() {
            return Some((AVERAGE, take));
        }
        let by_remainder: Vec<usize> = take
            .iter()
            .copied()
            .filter(|&i| 4 * self.v[i] * self.s >= 3 * self.t && self.held[i][REMAINDER] == 0)
            .collect();
        if !by_remainder.is_empty() {
            return Some((REMAINDER, by_remainder));
        }
        let one_each: Vec<usize> = take
            .iter()
            .copied()
            .filter(|&i| self.held[i][ONE_EACH] == 0)
            .collect();
        if !one_each.is_empty() {
            return Some((ONE_EACH, one_each));
        }
        Some((AVERAGE, take))
    }

    fn value(&self, i: usize, round: usize) -> (u128, u128) {
        if round == REMAINDER {
            (
                self.v[i] * self.s - u128::from(self.full[i]) * self.t,
                self.s,
            )
        } else {
            (self.v[i], u128::from(self.seats[i]) + 1)
        }
    }

    /// Gives `count` restzetels; returns how many nobody could take.
    fn give(&mut self, count: u32) -> u32 {
        for k in 0..count {
            let Some((round, lists)) = self.round() else {
                return count - k;
            };
            let mut best = self.value(lists[0], round);
            for &i in &lists[1..] {
                let v = self.value(i, round);
                if gt(v.0, v.1, best.0, best.1) {
                    best = v;
                }
            }
            let tied: Vec<usize> = lists
                .iter()
                .copied()
                .filter(|&i| {
                    let v = self.value(i, round);
                    v.0 * best.1 == best.0 * v.1
                })
                .collect();
            let left = count - k;
            let w = if tied.len() > left as usize {
                (self.lots)(Lot::Restzetel, tied)
            } else {
                tied[0]
            };
            let (num, den) = self.value(w, round);
            self.seats[w] += 1;
            self.held[w][round] += 1;
            self.given.push(Given {
                list: w,
                round,
                num,
                den,
                lapsed: false,
            });
        }
        0
    }

    /// P 9; returns whether it applied.
    fn majority(&mut self) -> bool {
        let n = self.v.len();
        let Some(m) = (0..n).find(|&i| 2 * self.v[i] > self.t) else {
            return false;
        };
        if 2 * u128::from(self.seats[m]) > self.s {
            return false;
        }
        let Some(last) = self.given.iter().rev().find(|g| !g.lapsed && g.list != m) else {
            return false;
        };
        let remainder = last.round == REMAINDER;
        let (num, den) = (last.num, last.den);
        let same = |g: &Given| {
            !g.lapsed
                && g.list != m
                && (g.round == REMAINDER) == remainder
                && g.num * den == num * g.den
        };
        let mut tied: Vec<usize> = self
            .given
            .iter()
            .filter(|g| same(g))
            .map(|g| g.list)
            .collect();
        tied.sort_unstable();
        tied.dedup();
        let loser = if tied.len() > 1 {
            (self.lots)(Lot::Majority, tied)
        } else {
            tied[0]
        };
        let g = self
            .given
            .iter_mut()
            .rev()
            .find(|g| g.list == loser && same(g))
            .expect("the loser won such a seat");
        g.lapsed = true;
        self.held[loser][g.round] -= 1;
        self.seats[loser] -= 1;
        self.seats[m] += 1;
        true
    }
}

/// Seats and elected candidates of a gemeenteraad election of `seats` seats.
pub fn apportion(
    seats: u32,
    lists: &[Vec<Cand>],
    lots: &mut dyn FnMut(Lot, Vec<usize>) -> usize,
) -> Outcome {
    let n = lists.len();
    let v: Vec<u128> = lists
        .iter()
        .map(|l| l.iter().map(|c| u128::from(c.votes)).sum())
        .collect();
    let t: u128 = v.iter().sum();
    let s = u128::from(seats);
    if t == 0 {
        return Outcome {
            seats: vec![0; n],
            empty: seats,
            elected: vec![Vec::new(); n],
            p9_and_p10: false,
        };
    }
    let full: Vec<u32> = v
        .iter()
        .map(|&x| u32::try_from(x * s / t).unwrap())
        .collect();
    let mut st = State {
        s,
        t,
        v,
        seats: full.clone(),
        full,
        held: vec![[0; ROUNDS]; n],
        given: Vec::new(),
        caps: None,
        lots,
    };
    let rest = seats - st.seats.iter().sum::<u32>();
    let mut empty = st.give(rest);
    let p9 = st.majority();
    // P 10, deceased candidates left out.
    let caps: Vec<u32> = lists
        .iter()
        .map(|l| u32::try_from(l.iter().filter(|c| !c.deceased).count()).unwrap())
        .collect();
    let mut removed = 0;
    for (seats, &cap) in st.seats.iter_mut().zip(&caps) {
        if *seats > cap {
            removed += *seats - cap;
            *seats = cap;
        }
    }
    st.caps = Some(caps);
    if removed > 0 {
        empty += st.give(removed);
    }
    let seats_per_list = st.seats.clone();
    let mut elected = Vec::with_capacity(n);
    for (i, l) in lists.iter().enumerate() {
        elected.push(elect(i, l, seats_per_list[i], seats, t, &mut *st.lots));
    }
    Outcome {
        seats: seats_per_list,
        empty,
        elected,
        p9_and_p10: p9 && removed > 0,
    }
}

/// P 15, P 17 for one list with `won` seats.
fn elect(
    list: usize,
    cands: &[Cand],
    won: u32,
    seats: u32,
    total: u128,
    lots: &mut dyn FnMut(Lot, Vec<usize>) -> usize,
) -> Vec<usize> {
    let pct: u128 = if seats < 19 { 50 } else { 25 };
    // votes > pct% of T / S  ⇔  votes · 100 · S > pct · T
    let above = |c: &Cand| u128::from(c.votes) * 100 * u128::from(seats) > pct * total;
    let mut ranked: Vec<usize> = (0..cands.len())
        .filter(|&k| !cands[k].deceased && above(&cands[k]))
        .collect();
    ranked.sort_by(|&a, &b| cands[b].votes.cmp(&cands[a].votes)); // stable: list order in ties
    let mut chosen: Vec<usize> = Vec::new();
    let mut k = 0;
    let count = |v: &Vec<usize>| u32::try_from(v.len()).expect("few candidates");
    while k < ranked.len() && count(&chosen) < won {
        let votes = cands[ranked[k]].votes;
        let mut group: Vec<usize> = ranked[k..]
            .iter()
            .copied()
            .take_while(|&c| cands[c].votes == votes)
            .collect();
        k += group.len();
        let mut left = won - count(&chosen);
        if count(&group) <= left {
            chosen.extend(group);
            continue;
        }
        while left > 0 {
            let drawn = lots(
                Lot::Preference {
                    list,
                    seats_left: left,
                },
                group.clone(),
            );
            chosen.push(drawn);
            group.retain(|&c| c != drawn);
            left -= 1;
        }
    }
    let others: Vec<usize> = (0..cands.len())
        .filter(|&c| !cands[c].deceased && !chosen.contains(&c))
        .take(won as usize - chosen.len())
        .collect();
    chosen.extend(others);
    chosen
}
