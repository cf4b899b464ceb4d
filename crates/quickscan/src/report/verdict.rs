//! One verdict per theme, from documented rules, and at most one tip per theme chosen by that
//! verdict (so "Dit gaat goed" never stands next to a fix for the same theme).
//!
//! The rules, checked in this order on the shown groups; the first that holds is the verdict:
//!
//! 0. **Geen oordeel** ([`Verdict::NoScale`]) — the theme has no scale statements (e.g. the
//!    priorities); renderers show no verdict for it.
//! 1. **Te weinig antwoorden** — no group has a theme score (no shown answers 1–5).
//! 2. **Aandachtspunt** — a group's theme score is ≤ 2,5, or a statement of the theme scores
//!    ≤ 2,5 in a group ("lage score" in the summary's rules).
//! 3. **Verschil tussen groepen** — the group theme scores differ by ≥ 1,0 point, or a
//!    statement of the theme does ("groepen verschillen").
//! 4. **Weinig bekend** — a group answers "weet niet" to ≥ 30 % of the theme's statements, or
//!    to one statement ("veel ‘weet niet’").
//! 5. **Gaat goed** — every group with a theme score has ≥ 4,0.
//! 6. **Geen uitschieters** — otherwise.
//!
//! A theme score is the mean of all answers 1–5 a group gave to the theme's statements
//! together ("weet niet" left out); its n is the number of those answers.
//!
//! Tips: verdicts 2–5 take the theme's tip from [`super::tips`]; 1 and 6 get none. A tip
//! text already given for an earlier theme is not repeated: that theme is named instead.

use super::exact::Exact;
use super::findings::Kind;
use super::{DONT_KNOW_RULE, GAP_RULE, HIGH_RULE, LOW_RULE, ThemeResult, ThemeScore};
use crate::model::Group;
use std::collections::BTreeMap;

/// A theme's verdict. The order is the order of the rules.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Verdict {
    /// The theme has no scale statements: show no verdict.
    NoScale,
    TooFew,
    Attention,
    GroupGap,
    Unknown,
    Good,
    Neutral,
}

impl Verdict {
    /// The Dutch label shown with the theme.
    pub fn label_nl(self) -> &'static str {
        match self {
            Verdict::NoScale => "Geen oordeel",
            Verdict::TooFew => "Te weinig antwoorden",
            Verdict::Attention => "Aandachtspunt",
            Verdict::GroupGap => "Verschil tussen groepen",
            Verdict::Unknown => "Weinig bekend",
            Verdict::Good => "Gaat goed",
            Verdict::Neutral => "Geen uitschieters",
        }
    }
}

/// A theme's verdict with its reason and tip.
#[derive(Debug, Clone, PartialEq)]
pub struct ThemeVerdict {
    pub verdict: Verdict,
    /// Why, in one Dutch sentence (which rule held).
    pub reason: String,
    /// The tip for this theme, if the verdict calls for one and it was not given before.
    pub tip: Option<String>,
    /// When the same tip was already given: the title of the theme where it stands.
    pub tip_same_as: Option<String>,
}

/// The verdict of one theme (without its tip; see [`assign_tips`]).
pub(super) fn judge(t: &ThemeResult, scores: &BTreeMap<Group, ThemeScore>) -> (Verdict, String) {
    let has = |k: Kind| {
        t.items
            .iter()
            .any(|i| i.signals.iter().any(|s| s.kind == k))
    };
    if !t.items.iter().any(|i| i.is_scale) {
        return (
            Verdict::NoScale,
            "Dit thema heeft geen uitspraken op een schaal.".into(),
        );
    }
    let means: Vec<Exact> = scores.values().filter_map(|s| s.mean).collect();
    if means.is_empty() {
        return (
            Verdict::TooFew,
            "Geen groep heeft genoeg antwoorden op de uitspraken van dit thema.".into(),
        );
    }
    if means.iter().any(|m| m.at_most(LOW_RULE.0, LOW_RULE.1)) || has(Kind::Low) {
        return (
            Verdict::Attention,
            "Een groep geeft dit thema of een uitspraak ervan gemiddeld 2,5 of minder.".into(),
        );
    }
    let hi = means
        .iter()
        .copied()
        .reduce(|a, b| if b.cmp_value(a).is_gt() { b } else { a });
    let lo = means
        .iter()
        .copied()
        .reduce(|a, b| if b.cmp_value(a).is_lt() { b } else { a });
    let gap = match (hi, lo) {
        (Some(h), Some(l)) => h.diff(l).0.at_least(GAP_RULE.0, GAP_RULE.1),
        _ => false,
    };
    if gap || has(Kind::Gap) {
        return (
            Verdict::GroupGap,
            "De groepen verschillen 1 punt of meer, bij het thema of bij een uitspraak.".into(),
        );
    }
    let dk = scores.values().any(|s| {
        Exact::new(u128::from(s.dont_know), u128::from(s.n + s.dont_know))
            .is_some_and(|x| x.at_least(DONT_KNOW_RULE.0, DONT_KNOW_RULE.1))
    });
    if dk || has(Kind::DontKnow) {
        return (
            Verdict::Unknown,
            "In een groep antwoordt 30 % of meer ‘weet niet’, bij het thema of bij een uitspraak."
                .into(),
        );
    }
    if means.iter().all(|m| m.at_least(HIGH_RULE.0, HIGH_RULE.1)) {
        return (
            Verdict::Good,
            "Alle groepen geven dit thema gemiddeld 4,0 of meer.".into(),
        );
    }
    (
        Verdict::Neutral,
        "Geen van de regels voor een aandachtspunt, verschil of hoge score geldt.".into(),
    )
}

/// Chooses each theme's tip from its verdict, never repeating a tip text.
pub(super) fn assign_tips(themes: &mut [ThemeResult], fill: &dyn Fn(&str) -> String) {
    let mut given: Vec<(String, String)> = Vec::new(); // (tip, theme title)
    for t in themes {
        let Some(tip) = super::tips::tip(&t.key, t.verdict.verdict).map(fill) else {
            continue;
        };
        if let Some((_, title)) = given.iter().find(|(g, _)| *g == tip) {
            t.verdict.tip_same_as = Some(title.clone());
        } else {
            given.push((tip.clone(), t.title.clone()));
            t.verdict.tip = Some(tip);
        }
    }
}
