//! What-if: change the votes per list (or move votes from one list to another) and recompute
//! the seats per party. When the changed count needs a lot, the user picks its outcome from
//! the options the law allows.

use kieswet::{Election, LotChoice, LotRequired, Party, SeatsOnly};
use webkit::{Lang, fmt};

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

/// A query parameter that cannot be used, with the reason (Dutch and English).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParamError {
    /// The parameter's name, e.g. `v1`, `aantal`.
    pub param: String,
    pub nl: String,
    pub en: String,
}

impl ParamError {
    fn new(param: &str, nl: impl Into<String>, en: impl Into<String>) -> ParamError {
        ParamError {
            param: param.to_string(),
            nl: nl.into(),
            en: en.into(),
        }
    }

    /// The message for the API: the parameter, then Dutch / English.
    pub fn api_message(errors: &[ParamError]) -> String {
        errors
            .iter()
            .map(|e| format!("Parameter {}: {} / {}", e.param, e.nl, e.en))
            .collect::<Vec<_>>()
            .join("; ")
    }
}

/// A whole number of votes: digits, optionally grouped by thousands with one kind of
/// separator ("2.500", "2,500", "2 500"). Anything else (a sign, a decimal, letters) is `None`.
pub fn parse_count(s: &str) -> Option<u64> {
    let s = s.trim();
    let sep = s.chars().find(|c| matches!(c, '.' | ',' | ' ' | '\u{a0}'));
    let digits: String = match sep {
        None => s.to_string(),
        Some(sep) => {
            let groups: Vec<&str> = s.split(sep).collect();
            let ok = groups.first().is_some_and(|g| (1..=3).contains(&g.len()))
                && groups[1..].iter().all(|g| g.len() == 3);
            if !ok {
                return None;
            }
            groups.concat()
        }
    };
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    digits.parse().ok()
}

fn count_error(param: &str, raw: &str) -> ParamError {
    if raw.trim().is_empty() {
        ParamError::new(
            param,
            "vul een aantal stemmen in",
            "fill in a number of votes",
        )
    } else if raw.trim().starts_with('-') {
        ParamError::new(
            param,
            format!("‘{raw}’ is negatief; een aantal stemmen is 0 of meer"),
            format!("‘{raw}’ is negative; a number of votes is 0 or more"),
        )
    } else {
        ParamError::new(
            param,
            format!("‘{raw}’ is geen heel getal (bijvoorbeeld 2500 of 2.500)"),
            format!("‘{raw}’ is not a whole number (e.g. 2500 or 2,500)"),
        )
    }
}

impl Question {
    /// Reads `v{number}=votes`, `van`, `naar`, `aantal` and repeated `lot` parameters of the
    /// election `l`; `lang` is allowed and ignored. Every parameter that cannot be used is an
    /// error naming it: unknown lists or parameters, counts that are not whole numbers of 0 or
    /// more, counts above the engine's maximum, a move to the same list, a move of more votes
    /// than the list has (no silent cap).
    pub fn parse(params: &[(String, String)], l: &Loaded) -> Result<Question, Vec<ParamError>> {
        let mut q = Question::default();
        let mut errors = Vec::new();
        let list_exists = |n: u32| l.election.parties.iter().any(|p| p.number == n);
        let list_param = |k: &str, v: &str, errors: &mut Vec<ParamError>| -> Option<u32> {
            let v = v.trim();
            if v.is_empty() {
                return None;
            }
            match v.parse::<u32>() {
                Ok(n) if list_exists(n) => Some(n),
                _ => {
                    errors.push(ParamError::new(
                        k,
                        format!("er is geen lijst ‘{v}’ in deze verkiezing"),
                        format!("there is no list ‘{v}’ in this election"),
                    ));
                    None
                }
            }
        };
        let (mut from, mut to, mut count) = (None, None, None);
        let mut move_asked = false;
        for (k, v) in params {
            match k.as_str() {
                "lang" => {}
                "van" => {
                    move_asked |= !v.trim().is_empty();
                    from = list_param(k, v, &mut errors);
                }
                "naar" => {
                    move_asked |= !v.trim().is_empty();
                    to = list_param(k, v, &mut errors);
                }
                "aantal" => {
                    if v.trim().is_empty() {
                        continue;
                    }
                    move_asked = true;
                    match parse_count(v) {
                        Some(0) => errors.push(ParamError::new(
                            k,
                            "verschuif 1 stem of meer",
                            "move 1 vote or more",
                        )),
                        Some(c) => count = Some(c),
                        None => errors.push(count_error(k, v)),
                    }
                }
                "lot" => match parse_lot(v.trim()) {
                    Some(x) => q.lots.push(x),
                    None => errors.push(ParamError::new(
                        k,
                        format!("‘{v}’ is geen uitkomst van een loting (party:4, cand:2:5 of group:3:11)"),
                        format!("‘{v}’ is not a lot outcome (party:4, cand:2:5 or group:3:11)"),
                    )),
                },
                _ => {
                    let Some(n) = k.strip_prefix('v').and_then(|n| n.parse::<u32>().ok()) else {
                        errors.push(ParamError::new(
                            k,
                            "deze parameter bestaat niet (wel: v1, v2, …, van, naar, aantal, lot)",
                            "unknown parameter (known: v1, v2, …, van, naar, aantal, lot)",
                        ));
                        continue;
                    };
                    if !list_exists(n) {
                        errors.push(ParamError::new(
                            k,
                            format!("er is geen lijst {n} in deze verkiezing"),
                            format!("there is no list {n} in this election"),
                        ));
                        continue;
                    }
                    match parse_count(v) {
                        Some(votes) if votes > kieswet::MAX_VOTES => {
                            errors.push(ParamError::new(
                                k,
                                format!("meer dan het maximum van {} stemmen dat Stembus rekent", webkit::fmt::int(webkit::Lang::Nl, kieswet::MAX_VOTES)),
                                format!("more than the maximum of {} votes Stembus computes with", webkit::fmt::int(webkit::Lang::En, kieswet::MAX_VOTES)),
                            ));
                        }
                        Some(votes) => q.votes.push((n, votes)),
                        None => errors.push(count_error(k, v)),
                    }
                }
            }
        }
        if move_asked {
            match (from, to, count) {
                (Some(f), Some(t), _) if f == t => errors.push(ParamError::new(
                    "naar",
                    "kies een andere lijst dan de lijst waar de stemmen vandaan komen",
                    "choose another list than the one the votes come from",
                )),
                (Some(f), Some(t), Some(c)) => {
                    // The votes of `van` after the changes asked for in the same question.
                    let has = q
                        .votes
                        .iter()
                        .rev()
                        .find(|(n, _)| *n == f)
                        .map(|(_, v)| *v)
                        .or_else(|| {
                            l.election
                                .parties
                                .iter()
                                .find(|p| p.number == f)
                                .map(Party::votes)
                        })
                        .unwrap_or(0);
                    if c > has {
                        errors.push(ParamError::new(
                            "aantal",
                            format!(
                                "{} heeft {} stemmen; meer kunt u niet verschuiven",
                                l.list_label(f),
                                webkit::fmt::int(webkit::Lang::Nl, has)
                            ),
                            format!(
                                "{} has {} votes; you cannot move more",
                                l.list_label(f),
                                webkit::fmt::int(webkit::Lang::En, has)
                            ),
                        ));
                    } else {
                        q.moves = Some((f, t, c));
                    }
                }
                _ => {
                    for (name, missing) in [
                        ("van", from.is_none()),
                        ("naar", to.is_none()),
                        ("aantal", count.is_none()),
                    ] {
                        if missing && !errors.iter().any(|e| e.param == name) {
                            errors.push(ParamError::new(
                                name,
                                "vul van, naar en aantal alle drie in om stemmen te verschuiven",
                                "fill in van (from), naar (to) and aantal (count) to move votes",
                            ));
                        }
                    }
                }
            }
        }
        if errors.is_empty() {
            Ok(q)
        } else {
            Err(errors)
        }
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
            // `Question::parse` refuses a count above the list's votes; never go below 0.
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

fn short_name(r: &Row) -> String {
    if r.name.trim().is_empty() {
        format!("Lijst {}", r.number)
    } else {
        r.name.clone()
    }
}

impl Answer {
    /// One sentence saying what was changed and what that did to the seats, e.g.
    /// "2.500 stemmen van D66 naar VVD: VVD +1, D66 −1."
    pub fn summary(&self, lang: Lang, q: &Question) -> String {
        if self.unchanged {
            return lang
                .t(
                    "Dit is de echte uitslag: er is niets veranderd.",
                    "This is the real result: nothing has changed.",
                )
                .to_string();
        }
        let row = |n: u32| self.rows.iter().find(|r| r.number == n);
        let mut changes: Vec<String> = Vec::new();
        let mut seen = Vec::new();
        for (n, _) in q.votes.iter().rev() {
            if seen.contains(n) {
                continue;
            }
            seen.push(*n);
            let Some(r) = row(*n) else { continue };
            let after = q
                .votes
                .iter()
                .rev()
                .find(|(m, _)| m == n)
                .map_or(r.votes, |(_, v)| *v);
            if after != r.votes_before {
                changes.push(match lang {
                    Lang::Nl => format!(
                        "{} van {} naar {} stemmen",
                        short_name(r),
                        fmt::int(lang, r.votes_before),
                        fmt::int(lang, after)
                    ),
                    Lang::En => format!(
                        "{} from {} to {} votes",
                        short_name(r),
                        fmt::int(lang, r.votes_before),
                        fmt::int(lang, after)
                    ),
                });
            }
        }
        changes.reverse();
        if let Some((f, t, c)) = q.moves
            && let (Some(from), Some(to)) = (row(f), row(t))
        {
            let votes = if c == 1 {
                lang.t("stem", "vote")
            } else {
                lang.t("stemmen", "votes")
            };
            changes.push(match lang {
                Lang::Nl => format!(
                    "{} {votes} van {} naar {}",
                    fmt::int(lang, c),
                    short_name(from),
                    short_name(to)
                ),
                Lang::En => format!(
                    "{} {votes} from {} to {}",
                    fmt::int(lang, c),
                    short_name(from),
                    short_name(to)
                ),
            });
        }
        let effect = if self.lot_required.is_some() {
            lang.t(
                "er is een loting nodig om de zetels te verdelen",
                "a lot is needed to divide the seats",
            )
            .to_string()
        } else {
            let mut diffs: Vec<(i64, &Row)> = self
                .rows
                .iter()
                .map(|r| (i64::from(r.seats) - i64::from(r.seats_before), r))
                .filter(|(d, _)| *d != 0)
                .collect();
            diffs.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.number.cmp(&b.1.number)));
            if diffs.is_empty() {
                lang.t("de zetels blijven gelijk", "the seats stay the same")
                    .to_string()
            } else {
                diffs
                    .iter()
                    .map(|(d, r)| {
                        let sign = if *d > 0 { "+" } else { "−" };
                        format!("{} {sign}{}", short_name(r), d.unsigned_abs())
                    })
                    .collect::<Vec<_>>()
                    .join(", ")
            }
        };
        let mut s = format!("{}: {effect}.", changes.join("; "));
        if let Some(first) = s.get(..1) {
            s = first.to_uppercase() + &s[1..];
        }
        s
    }
}

#[cfg(test)]
mod tests {
    use super::parse_count;

    #[test]
    fn counts_are_whole_numbers_with_optional_thousands() {
        assert_eq!(parse_count("2500"), Some(2500));
        assert_eq!(parse_count(" 2.500 "), Some(2500));
        assert_eq!(parse_count("1,234,567"), Some(1_234_567));
        assert_eq!(parse_count("2 500"), Some(2500));
        for bad in [
            "", "-5", "abc", "1,5", "2.50", "1.2345", "+3", "1e3", "2.500,5",
        ] {
            assert_eq!(parse_count(bad), None, "{bad}");
        }
    }
}
