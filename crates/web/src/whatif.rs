//! What-if: change the votes per list (or move votes from one list to another) and recompute
//! the seats per party. When the changed count needs a lot, the user picks its outcome from
//! the options the law allows.

use kieswet::{Election, LotChoice, LotRequired, Party, SeatsOnly};

use crate::model::Loaded;

/// A what-if question.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Question {
    /// New stemcijfer per party number (missing: unchanged).
    pub votes: Vec<(u32, u64)>,
    /// Move `count` votes from party `from` to party `to` (after `votes`).
    pub moves: Option<(u32, u32, u64)>,
    /// Lots chosen by the user, in order.
    pub lots: Vec<LotChoice>,
}

/// One party in the answer.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Row {
    pub number: u32,
    pub name: String,
    pub votes_before: u64,
    pub votes: u64,
    pub seats_before: u32,
    pub seats: u32,
}

/// The answer.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Answer {
    pub rows: Vec<Row>,
    /// Set when the law needs a lot that the user has not chosen yet.
    pub lot_required: Option<LotRequired>,
    pub lots: Vec<LotChoice>,
    /// The changed count equals the real one (then the recorded lots are used).
    pub unchanged: bool,
}

impl Question {
    /// Reads `v{number}=votes`, `van`, `naar`, `aantal` and repeated `lot` parameters.
    pub fn from_query(params: &[(String, String)]) -> Question {
        let mut q = Question::default();
        let mut from = None;
        let mut to = None;
        let mut count = None;
        for (k, v) in params {
            let v = v.trim();
            if let Some(n) = k.strip_prefix('v').and_then(|n| n.parse::<u32>().ok()) {
                if let Ok(votes) = v.replace(['.', ' '], "").parse::<u64>() {
                    q.votes.push((n, votes));
                }
            } else if k == "van" {
                from = v.parse().ok();
            } else if k == "naar" {
                to = v.parse().ok();
            } else if k == "aantal" {
                count = v.replace(['.', ' '], "").parse().ok();
            } else if k == "lot"
                && let Some(l) = parse_lot(v)
            {
                q.lots.push(l);
            }
        }
        if let (Some(f), Some(t), Some(c)) = (from, to, count)
            && f != t
            && c > 0
        {
            q.moves = Some((f, t, c));
        }
        q
    }
}

/// `party:4`, `cand:2:5` or `group:3:11`.
pub fn parse_lot(s: &str) -> Option<LotChoice> {
    let parts: Vec<&str> = s.split(':').collect();
    match parts.as_slice() {
        ["party", n] => Some(LotChoice::Party(n.parse().ok()?)),
        ["cand", l, p] => Some(LotChoice::Candidate {
            list: l.parse().ok()?,
            position: p.parse().ok()?,
        }),
        ["group", p, k] => Some(LotChoice::GroupList {
            party: p.parse().ok()?,
            kieskring: k.parse().ok()?,
        }),
        _ => None,
    }
}

/// The inverse of [`parse_lot`].
pub fn lot_code(l: &LotChoice) -> String {
    match l {
        LotChoice::Party(n) => format!("party:{n}"),
        LotChoice::Candidate { list, position } => format!("cand:{list}:{position}"),
        LotChoice::GroupList { party, kieskring } => format!("group:{party}:{kieskring}"),
    }
}

/// Computes the answer.
pub fn answer(l: &Loaded, q: &Question) -> Result<Answer, kieswet::InputError> {
    let before: Vec<u64> = l.election.parties.iter().map(Party::votes).collect();
    let mut votes = before.clone();
    for (n, v) in &q.votes {
        if let Some(i) = l.election.parties.iter().position(|p| p.number == *n) {
            votes[i] = (*v).min(kieswet::MAX_VOTES);
        }
    }
    if let Some((from, to, count)) = q.moves {
        let fi = l.election.parties.iter().position(|p| p.number == from);
        let ti = l.election.parties.iter().position(|p| p.number == to);
        if let (Some(fi), Some(ti)) = (fi, ti) {
            let c = count.min(votes[fi]);
            votes[fi] -= c;
            votes[ti] += c;
        }
    }
    let unchanged = votes == before;
    let lots = if unchanged && q.lots.is_empty() {
        l.election.lots.clone()
    } else {
        q.lots.clone()
    };
    let seats_before: Vec<u32> = match l.complete() {
        Some(o) => o.parties.iter().map(|p| p.seats).collect(),
        None => vec![0; before.len()],
    };
    let probe = Election {
        lots: lots.clone(),
        ..kieswet::seat_probe(&l.election, &votes)
    };
    let result = kieswet::apportion_seats(&probe)?;
    let (seats, lot_required) = match result {
        SeatsOnly::Complete { seats, .. } => (seats.party_seats.clone(), None),
        SeatsOnly::LotRequired(r) => (vec![0; before.len()], Some(r)),
    };
    let rows = l
        .election
        .parties
        .iter()
        .enumerate()
        .map(|(i, p)| Row {
            number: p.number,
            name: p.name.clone(),
            votes_before: before[i],
            votes: votes[i],
            seats_before: seats_before.get(i).copied().unwrap_or(0),
            seats: seats.get(i).copied().unwrap_or(0),
        })
        .collect();
    Ok(Answer {
        rows,
        lot_required,
        lots,
        unchanged,
    })
}
