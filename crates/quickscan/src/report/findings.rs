//! The ranked summary: which results stand out, and how strongly.
//!
//! Per scale item, five rules are checked on the shown groups (thresholds in
//! [`super`]: [`GAP_RULE`], [`LOW_RULE`], [`HIGH_RULE`], [`DONT_KNOW_RULE`], [`CHANGE_RULE`]).
//! Every rule that fires gets a **score in scale points**, so different rules can be ranked on
//! one line:
//!
//! | rule | fires when | score |
//! |---|---|---|
//! | groepen verschillen | highest − lowest group mean ≥ 1,0 | that gap |
//! | lage score | a group mean ≤ 2,5 | 3 (the midpoint) − the lowest mean |
//! | hoge score | a group mean ≥ 4,0 | the highest mean − 3 |
//! | veel ‘weet niet’ | a group answers ‘weet niet’ in ≥ 30 % | that share × 4 (the scale's width): 30 % = 1,2 |
//! | veranderd | a group mean moved ≥ 0,5 since the previous wave | that change |
//!
//! An item becomes one [`Finding`] with all rules that fired (strongest first); its score is
//! the strongest. Findings are ranked by score (exact), then by rule (the order above), then in
//! questionnaire order. The summary keeps the first [`SUMMARY_MAX`].

use super::exact::Exact;
use super::{CHANGE_RULE, Cell, DONT_KNOW_RULE, GAP_RULE, HIGH_RULE, ItemResult, LOW_RULE, Report};
use crate::model::Group;
use std::cmp::Ordering;

/// The summary shows at most this many findings.
pub const SUMMARY_MAX: usize = 10;

/// What makes a result stand out. The order is the tie-break order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Kind {
    Gap,
    Low,
    High,
    DontKnow,
    Change,
}

impl Kind {
    /// Short Dutch label ("Groepen verschillen").
    pub fn label_nl(self) -> &'static str {
        match self {
            Kind::Gap => "Groepen verschillen",
            Kind::Low => "Lage score",
            Kind::High => "Hoge score",
            Kind::DontKnow => "Veel ‘weet niet’",
            Kind::Change => "Veranderd sinds vorige meting",
        }
    }
}

/// One rule that fired on one item: its score and a Dutch sentence with the rounded figures.
#[derive(Debug, Clone, PartialEq)]
pub struct Signal {
    pub kind: Kind,
    /// Strength in scale points (see the module's table).
    pub score: Exact,
    /// E.g. "Raadsleden geven gemiddeld 4,5 (n = 6), inwoners 1,0 (n = 8): 3,5 punt verschil."
    pub text: String,
}

/// The figures of one shown group behind a finding.
#[derive(Debug, Clone, PartialEq)]
pub struct GroupFigure {
    pub group: Group,
    /// Plural Dutch label ("Raadsleden").
    pub label: String,
    /// Mean of the answers 1–5 ("weet niet" left out); `den` is the number of those answers.
    pub mean: Option<Exact>,
    /// Answers used for the mean (1–5, without "weet niet").
    pub n: u64,
    /// "Weet niet / geen mening" answers, counted apart from `n`.
    pub dont_know: u64,
    /// The same group's mean in the previous wave, where shown there.
    pub previous: Option<Exact>,
    /// The benchmark mean for this group, where shown.
    pub benchmark: Option<Exact>,
}

/// One item of the ranked summary.
#[derive(Debug, Clone, PartialEq)]
pub struct Finding {
    /// 1 = strongest.
    pub rank: usize,
    /// Theme key and title.
    pub theme: String,
    pub theme_title: String,
    /// Item key and statement.
    pub item: String,
    pub item_text: String,
    /// Every rule that fired, strongest first; the first one is the headline.
    pub signals: Vec<Signal>,
    /// The strongest signal's score, in scale points.
    pub score: Exact,
    /// Per shown group with an answer: the figures behind the finding, in group order.
    pub groups: Vec<GroupFigure>,
}

fn fmt_mean(label: &str, m: Exact) -> String {
    // non-breaking spaces keep "n = 6" on one line
    format!("{label} {} (n\u{a0}=\u{a0}{})", m.nl(1), m.den)
}

/// The rules of the module's table, on one item.
pub(super) fn signals(ir: &ItemResult, label: &dyn Fn(Group) -> String) -> Vec<Signal> {
    let means: Vec<(Group, Exact)> = ir
        .cells
        .iter()
        .filter_map(|(g, c)| match c {
            Cell::Shown(d) => d.mean.map(|m| (*g, m)),
            Cell::TooFew => None,
        })
        .collect();
    let mut out = Vec::new();
    let hi = means.iter().copied().reduce(|a, b| {
        if b.1.cmp_value(a.1) == Ordering::Greater {
            b
        } else {
            a
        }
    });
    let lo = means.iter().copied().reduce(|a, b| {
        if b.1.cmp_value(a.1) == Ordering::Less {
            b
        } else {
            a
        }
    });
    if let (Some(hi), Some(lo)) = (hi, lo)
        && means.len() >= 2
    {
        let (gap, _) = hi.1.diff(lo.1);
        if gap.at_least(GAP_RULE.0, GAP_RULE.1) {
            out.push(Signal {
                kind: Kind::Gap,
                score: gap,
                text: format!(
                    "{}, {}: {} punt verschil.",
                    fmt_mean(&format!("{} geven gemiddeld", label(hi.0)), hi.1),
                    fmt_mean(&label(lo.0).to_lowercase(), lo.1),
                    gap.nl(1)
                ),
            });
        }
    }
    let three = Exact::int(3);
    if let Some(lo) = lo
        && lo.1.at_most(LOW_RULE.0, LOW_RULE.1)
    {
        out.push(Signal {
            kind: Kind::Low,
            score: three.diff(lo.1).0,
            text: format!(
                "{}.",
                fmt_mean(&format!("{} geven gemiddeld maar", label(lo.0)), lo.1)
            ),
        });
    }
    if let Some(hi) = hi
        && hi.1.at_least(HIGH_RULE.0, HIGH_RULE.1)
    {
        out.push(Signal {
            kind: Kind::High,
            score: hi.1.diff(three).0,
            text: format!(
                "{}.",
                fmt_mean(&format!("{} geven gemiddeld", label(hi.0)), hi.1)
            ),
        });
    }
    let mut dk: Option<(Group, Exact, u64, u64)> = None;
    for (g, c) in &ir.cells {
        if let Cell::Shown(d) = c
            && let Some(share) = Exact::new(u128::from(d.dont_know), u128::from(d.n))
            && share.at_least(DONT_KNOW_RULE.0, DONT_KNOW_RULE.1)
            && dk.is_none_or(|(_, s, _, _)| share.cmp_value(s) == Ordering::Greater)
        {
            dk = Some((*g, share, d.dont_know, d.n));
        }
    }
    if let Some((g, share, k, n)) = dk {
        out.push(Signal {
            kind: Kind::DontKnow,
            score: share.times(4),
            text: format!(
                "{} % van de {} ({k} van {n}) weet het niet of heeft geen mening.",
                share.times(100).nl(0),
                label(g).to_lowercase()
            ),
        });
    }
    let mut change: Option<(Group, Exact, Exact, Exact)> = None;
    for (g, m) in &means {
        if let Some(p) = ir.previous.get(g) {
            let (d, _) = m.diff(*p);
            if d.at_least(CHANGE_RULE.0, CHANGE_RULE.1)
                && change.is_none_or(|(_, c, _, _)| d.cmp_value(c) == Ordering::Greater)
            {
                change = Some((*g, d, *p, *m));
            }
        }
    }
    if let Some((g, d, p, m)) = change {
        out.push(Signal {
            kind: Kind::Change,
            score: d,
            text: format!(
                "{}: van {} (n\u{a0}=\u{a0}{}) in de vorige meting naar {} (n\u{a0}=\u{a0}{}).",
                label(g),
                p.nl(1),
                p.den,
                m.nl(1),
                m.den
            ),
        });
    }
    out.sort_by(|a, b| b.score.cmp_value(a.score).then(a.kind.cmp(&b.kind)));
    out
}

/// All findings of a report in rank order (the caller keeps the first [`SUMMARY_MAX`]).
pub(super) fn rank(r: &Report) -> Vec<Finding> {
    let mut out: Vec<Finding> = Vec::new();
    for t in &r.themes {
        for it in &t.items {
            if it.signals.is_empty() {
                continue;
            }
            let groups = it
                .cells
                .iter()
                .filter_map(|(g, c)| match c {
                    Cell::Shown(d) => Some(GroupFigure {
                        group: *g,
                        label: r.group_label(*g),
                        mean: d.mean,
                        n: d.answered(),
                        dont_know: d.dont_know,
                        previous: it.previous.get(g).copied(),
                        benchmark: it.benchmark.get(g).map(|b| b.mean),
                    }),
                    Cell::TooFew => None,
                })
                .collect();
            out.push(Finding {
                rank: 0,
                theme: t.key.clone(),
                theme_title: t.title.clone(),
                item: it.key.clone(),
                item_text: it.text.clone(),
                score: it.signals[0].score,
                signals: it.signals.clone(),
                groups,
            });
        }
    }
    // stable: equal scores and rules keep questionnaire order
    out.sort_by(|a, b| {
        b.score
            .cmp_value(a.score)
            .then(a.signals[0].kind.cmp(&b.signals[0].kind))
    });
    for (i, f) in out.iter_mut().enumerate() {
        f.rank = i + 1;
    }
    out
}
