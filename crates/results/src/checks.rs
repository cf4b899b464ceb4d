//! Checks on the counts: arithmetic inside every count, every parent against the sum of its
//! children, the same reporting unit in different files, and plausibility.
//!
//! Codes (stable; `E-` errors, `W-` warnings):
//!
//! | Code | What |
//! |---|---|
//! | `E-LIJST-KANDIDATEN` | votes on a list's candidates do not add up to the list total |
//! | `E-GELDIG-LIJSTEN` | list totals do not add up to the valid votes (`TotalCounted`) |
//! | `E-DUBBELE-LIJST-IN-TELLING` | a list number twice in one count |
//! | `E-DUBBELE-KANDIDAAT-IN-TELLING` | a candidate twice on one list in one count |
//! | `E-SOM-LIJST`, `E-SOM-KANDIDAAT`, `E-SOM-BLANCO`, `E-SOM-ONGELDIG`, `E-SOM-GELDIG` | parent ≠ sum of its children |
//! | `W-SOM-KIESGERECHTIGDEN` | kiesgerechtigden of a parent ≠ sum of its children |
//! | `E-NIVEAU-ONGELIJK` | the same reporting unit has different votes in two files |
//! | `W-NIVEAU-KIESGERECHTIGDEN` | … different kiesgerechtigden in two files |
//! | `W-KIESGERECHTIGDEN-NUL` | kiesgerechtigden 0 while votes were cast |
//! | `W-KIESGERECHTIGDEN-TE-KLEIN` | fewer kiesgerechtigden than ballots |
//! | `W-ONGELDIG-NUL` | no invalid votes at all among ≥ 5 000 valid votes (implausible) |
//! | `W-VERSCHIL-ONVERKLAARD` | ballots − admitted voters ≠ explained differences |

use std::collections::HashMap;
use std::sync::Arc;

use eml::{UncountedReason, VoteTotals};

use crate::model::{ElectionData, Finding, Fragment, Level, Unit};

/// Valid votes from which a count with no invalid vote at all is implausible.
pub const INVALID_ZERO_MIN_VOTES: u64 = 5_000;

/// Runs every check on the counts of `e`.
pub fn check(e: &ElectionData) -> Vec<Finding> {
    let mut out = Vec::new();
    for f in &e.fragments {
        arithmetic(e, &f.parent, &mut out);
        for c in &f.children {
            arithmetic(e, c, &mut out);
        }
        if !f.children.is_empty() {
            sums(e, f, &mut out);
        }
    }
    same_units(e, &mut out);
    out
}

fn unit_label(u: &Unit) -> String {
    format!("{} {}", u.level.name_nl(), u.label())
}

fn arithmetic(e: &ElectionData, u: &Unit, out: &mut Vec<Finding>) {
    let file = &e.files[u.file];
    let v = &u.votes;
    let mut list_sum = 0u64;
    let mut seen_lists: Vec<u32> = Vec::with_capacity(v.lists.len());
    for l in &v.lists {
        if seen_lists.contains(&l.id) {
            out.push(
                Finding::error(
                    "E-DUBBELE-LIJST-IN-TELLING",
                    format!("lijst {} staat meer dan eens in de telling", l.id),
                    format!("list {} appears more than once in the count", l.id),
                )
                .file(file.clone())
                .unit(unit_label(u)),
            );
        }
        seen_lists.push(l.id);
        list_sum = list_sum.saturating_add(l.valid_votes);
        if l.candidates.is_empty() {
            continue;
        }
        let mut cand_sum = 0u64;
        let mut ids: Vec<u32> = Vec::new();
        for c in &l.candidates {
            cand_sum = cand_sum.saturating_add(c.valid_votes);
            if let Some(id) = c.id {
                if ids.contains(&id) {
                    out.push(
                        Finding::error(
                            "E-DUBBELE-KANDIDAAT-IN-TELLING",
                            format!(
                                "kandidaat {id} van lijst {} staat meer dan eens in de telling",
                                l.id
                            ),
                            format!(
                                "candidate {id} of list {} appears more than once in the count",
                                l.id
                            ),
                        )
                        .file(file.clone())
                        .unit(unit_label(u)),
                    );
                }
                ids.push(id);
            }
        }
        if cand_sum != l.valid_votes {
            out.push(
                Finding::error(
                    "E-LIJST-KANDIDATEN",
                    format!(
                        "lijst {}: {} stemmen op de lijst, maar {} op de kandidaten samen",
                        l.id, l.valid_votes, cand_sum
                    ),
                    format!(
                        "list {}: {} votes on the list, but {} on its candidates together",
                        l.id, l.valid_votes, cand_sum
                    ),
                )
                .values(l.valid_votes, cand_sum)
                .file(file.clone())
                .unit(unit_label(u)),
            );
        }
    }
    if !v.lists.is_empty() && list_sum != v.total_counted {
        out.push(
            Finding::error(
                "E-GELDIG-LIJSTEN",
                format!(
                    "{} geldige stemmen (TotalCounted), maar de lijsten hebben samen {}",
                    v.total_counted, list_sum
                ),
                format!(
                    "{} valid votes (TotalCounted), but the lists add up to {}",
                    v.total_counted, list_sum
                ),
            )
            .values(v.total_counted, list_sum)
            .file(file.clone())
            .unit(unit_label(u)),
        );
    }
    if u.level == Level::Stembureau {
        // Kiesgerechtigden are a gemeente figure; stembureaus often leave them 0.
        return;
    }
    let ballots = v.ballots_found().unwrap_or(u64::MAX);
    if v.cast == 0 && ballots > 0 {
        out.push(
            Finding::warning(
                "W-KIESGERECHTIGDEN-NUL",
                format!(
                    "aantal kiesgerechtigden is 0, terwijl er {ballots} stemmen zijn uitgebracht"
                ),
                format!("number of eligible voters is 0, while {ballots} votes were cast"),
            )
            .values(0, ballots)
            .file(file.clone())
            .unit(unit_label(u)),
        );
    } else if v.cast > 0 && v.cast < ballots {
        out.push(
            Finding::warning(
                "W-KIESGERECHTIGDEN-TE-KLEIN",
                format!(
                    "minder kiesgerechtigden ({}) dan uitgebrachte stemmen ({ballots})",
                    v.cast
                ),
                format!(
                    "fewer eligible voters ({}) than votes cast ({ballots})",
                    v.cast
                ),
            )
            .values(v.cast, ballots)
            .file(file.clone())
            .unit(unit_label(u)),
        );
    }
    if v.rejected.invalid == 0 && v.total_counted >= INVALID_ZERO_MIN_VOTES {
        out.push(
            Finding::warning(
                "W-ONGELDIG-NUL",
                format!(
                    "0 ongeldige stemmen bij {} geldige: onwaarschijnlijk, controleer het proces-verbaal",
                    v.total_counted
                ),
                format!(
                    "0 invalid votes among {} valid ones: implausible, check the official report",
                    v.total_counted
                ),
            )
            .values(0, v.total_counted)
            .file(file.clone())
            .unit(unit_label(u)),
        );
    }
    if let Some(admitted) = v.uncounted.get(UncountedReason::ToegelatenKiezers) {
        let more = v.uncounted.get(UncountedReason::MeerGeteldeStembiljetten);
        let less = v.uncounted.get(UncountedReason::MinderGeteldeStembiljetten);
        if let (Some(more), Some(less)) = (more, less) {
            let diff = i128::from(ballots) - i128::from(admitted);
            if diff != i128::from(more) - i128::from(less) {
                out.push(
                    Finding::warning(
                        "W-VERSCHIL-ONVERKLAARD",
                        format!(
                            "{ballots} stembiljetten en {admitted} toegelaten kiezers, maar verklaard is {more} meer en {less} minder"
                        ),
                        format!(
                            "{ballots} ballots and {admitted} admitted voters, but {more} more and {less} fewer are explained"
                        ),
                    )
                    .values(ballots, admitted)
                    .file(file.clone())
                    .unit(unit_label(u)),
                );
            }
        }
    }
}

/// Votes of one list summed over units, candidates by position and by ShortCode.
#[derive(Default)]
struct ListAgg {
    votes: u64,
    by_pos: Vec<u64>,
    by_code: HashMap<Arc<str>, u64>,
}

#[derive(Default)]
struct Agg {
    lists: HashMap<u32, ListAgg>,
    blank: u64,
    invalid: u64,
    counted: u64,
    cast: u64,
}

impl Agg {
    fn add(&mut self, v: &VoteTotals) {
        self.blank = self.blank.saturating_add(v.rejected.blank);
        self.invalid = self.invalid.saturating_add(v.rejected.invalid);
        self.counted = self.counted.saturating_add(v.total_counted);
        self.cast = self.cast.saturating_add(v.cast);
        for l in &v.lists {
            let a = self.lists.entry(l.id).or_default();
            a.votes = a.votes.saturating_add(l.valid_votes);
            for c in &l.candidates {
                if let Some(id) = c.id {
                    let i = id as usize;
                    if i < 100_000 {
                        if a.by_pos.len() <= i {
                            a.by_pos.resize(i + 1, 0);
                        }
                        a.by_pos[i] = a.by_pos[i].saturating_add(c.valid_votes);
                    }
                }
                if let Some(code) = &c.short_code {
                    let x = a.by_code.entry(code.clone()).or_default();
                    *x = x.saturating_add(c.valid_votes);
                }
            }
        }
    }
}

fn sums(e: &ElectionData, f: &Fragment, out: &mut Vec<Finding>) {
    let mut agg = Agg::default();
    for c in &f.children {
        agg.add(&c.votes);
    }
    let p = &f.parent;
    let file = &e.files[p.file];
    let n = f.children.len();
    let label = unit_label(p);
    let mut push = |code: &'static str,
                    what_nl: String,
                    what_en: String,
                    found: u64,
                    sum: u64,
                    warn: bool| {
        let nl = format!(
            "{what_nl}: {found} in {label}, maar de {n} onderliggende eenheden tellen op tot {sum}"
        );
        let en = format!("{what_en}: {found} in {label}, but its {n} parts add up to {sum}");
        let finding = if warn {
            Finding::warning(code, nl, en)
        } else {
            Finding::error(code, nl, en)
        };
        out.push(
            finding
                .values(found, sum)
                .file(file.clone())
                .unit(label.clone()),
        );
    };
    let v = &p.votes;
    for l in &v.lists {
        let a = agg.lists.remove(&l.id).unwrap_or_default();
        if a.votes != l.valid_votes {
            push(
                "E-SOM-LIJST",
                format!("lijst {}", l.id),
                format!("list {}", l.id),
                l.valid_votes,
                a.votes,
                false,
            );
        }
        if a.by_pos.is_empty() && a.by_code.is_empty() {
            // The parts carry list totals only (e.g. gemeenten in the uitslag CSV).
            continue;
        }
        for c in &l.candidates {
            let sum = match (c.id, &c.short_code) {
                (Some(id), _) if !a.by_pos.is_empty() || a.by_code.is_empty() => {
                    a.by_pos.get(id as usize).copied().unwrap_or(0)
                }
                (_, Some(code)) => a.by_code.get(code).copied().unwrap_or(0),
                (Some(id), None) => a.by_pos.get(id as usize).copied().unwrap_or(0),
                (None, None) => continue,
            };
            if sum != c.valid_votes {
                let who = match (c.id, &c.short_code) {
                    (Some(id), _) => id.to_string(),
                    (None, Some(code)) => code.to_string(),
                    (None, None) => String::new(),
                };
                push(
                    "E-SOM-KANDIDAAT",
                    format!("lijst {} kandidaat {who}", l.id),
                    format!("list {} candidate {who}", l.id),
                    c.valid_votes,
                    sum,
                    false,
                );
            }
        }
    }
    for (id, a) in agg.lists {
        if a.votes > 0 {
            push(
                "E-SOM-LIJST",
                format!("lijst {id} (ontbreekt in het totaal)"),
                format!("list {id} (missing from the total)"),
                0,
                a.votes,
                false,
            );
        }
    }
    if v.rejected.blank != agg.blank {
        push(
            "E-SOM-BLANCO",
            "blanco stemmen".into(),
            "blank votes".into(),
            v.rejected.blank,
            agg.blank,
            false,
        );
    }
    if v.rejected.invalid != agg.invalid {
        push(
            "E-SOM-ONGELDIG",
            "ongeldige stemmen".into(),
            "invalid votes".into(),
            v.rejected.invalid,
            agg.invalid,
            false,
        );
    }
    if v.total_counted != agg.counted {
        push(
            "E-SOM-GELDIG",
            "geldige stemmen".into(),
            "valid votes".into(),
            v.total_counted,
            agg.counted,
            false,
        );
    }
    if agg.cast > 0 && v.cast != agg.cast {
        push(
            "W-SOM-KIESGERECHTIGDEN",
            "kiesgerechtigden".into(),
            "eligible voters".into(),
            v.cast,
            agg.cast,
            true,
        );
    }
}

/// The same reporting unit in different files must have the same votes.
fn same_units(e: &ElectionData, out: &mut Vec<Finding>) {
    let mut by_key: HashMap<&str, Vec<&Unit>> = HashMap::new();
    for f in &e.fragments {
        for u in std::iter::once(&f.parent).chain(&f.children) {
            by_key.entry(u.key.as_str()).or_default().push(u);
        }
    }
    let mut keys: Vec<&&str> = by_key.keys().collect();
    keys.sort();
    for k in keys {
        let units = &by_key[*k];
        let Some(first) = units.first() else { continue };
        for other in units.iter().skip(1) {
            if other.file == first.file {
                continue;
            }
            compare_units(e, first, other, out);
        }
    }
}

fn compare_units(e: &ElectionData, a: &Unit, b: &Unit, out: &mut Vec<Finding>) {
    let fa = &e.files[a.file];
    let fb = &e.files[b.file];
    let label = unit_label(a);
    let short = |f: &str| {
        let tail = f.rsplit('!').next().unwrap_or(f);
        tail.rsplit(['/', '\\']).next().unwrap_or(tail).to_string()
    };
    let (na, nb) = (short(fa), short(fb));
    let mut push = |what_nl: String, what_en: String, x: u64, y: u64, warn: bool| {
        let nl = format!("{what_nl}: {x} in {na}, maar {y} in {nb}");
        let en = format!("{what_en}: {x} in {na}, but {y} in {nb}");
        let f = if warn {
            Finding::warning("W-NIVEAU-KIESGERECHTIGDEN", nl, en)
        } else {
            Finding::error("E-NIVEAU-ONGELIJK", nl, en)
        };
        out.push(
            f.values(x, y)
                .file(fa.clone())
                .file(fb.clone())
                .unit(label.clone()),
        );
    };
    let (va, vb) = (&a.votes, &b.votes);
    for la in &va.lists {
        let lb = vb.list(la.id);
        let yb = lb.map_or(0, |l| l.valid_votes);
        if la.valid_votes != yb {
            push(
                format!("lijst {}", la.id),
                format!("list {}", la.id),
                la.valid_votes,
                yb,
                false,
            );
        }
        let Some(lb) = lb else { continue };
        if lb.candidates.is_empty() {
            continue;
        }
        for (i, ca) in la.candidates.iter().enumerate() {
            // Same position in both files is the common case.
            let same = |cb: &&eml::CandidateVotes| match (ca.id, cb.id) {
                (Some(x), Some(y)) => x == y,
                _ => ca.short_code.is_some() && ca.short_code == cb.short_code,
            };
            let cb = lb
                .candidates
                .get(i)
                .filter(same)
                .or_else(|| lb.candidates.iter().find(same));
            let y = cb.map_or(0, |c| c.valid_votes);
            if ca.valid_votes != y {
                let who = ca
                    .id
                    .map(|i| i.to_string())
                    .or_else(|| ca.short_code.as_deref().map(str::to_string))
                    .unwrap_or_default();
                push(
                    format!("lijst {} kandidaat {who}", la.id),
                    format!("list {} candidate {who}", la.id),
                    ca.valid_votes,
                    y,
                    false,
                );
            }
        }
    }
    for lb in &vb.lists {
        if va.list(lb.id).is_none() && lb.valid_votes > 0 {
            push(
                format!("lijst {}", lb.id),
                format!("list {}", lb.id),
                0,
                lb.valid_votes,
                false,
            );
        }
    }
    if va.rejected.blank != vb.rejected.blank {
        push(
            "blanco stemmen".into(),
            "blank votes".into(),
            va.rejected.blank,
            vb.rejected.blank,
            false,
        );
    }
    if va.rejected.invalid != vb.rejected.invalid {
        push(
            "ongeldige stemmen".into(),
            "invalid votes".into(),
            va.rejected.invalid,
            vb.rejected.invalid,
            false,
        );
    }
    if va.total_counted != vb.total_counted {
        push(
            "geldige stemmen".into(),
            "valid votes".into(),
            va.total_counted,
            vb.total_counted,
            false,
        );
    }
    if va.cast != vb.cast {
        push(
            "kiesgerechtigden".into(),
            "eligible voters".into(),
            va.cast,
            vb.cast,
            true,
        );
    }
}
