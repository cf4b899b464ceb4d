//! Kiesgerechtigden and turnout that can be believed: a unit's figure is shown only when it
//! is sound, otherwise "onbekend" with the reason. A turnout above 100 % cannot be shown.
//!
//! A unit's figure is the one stated in the highest-level file that states it (the import
//! picks it, see `import::units_and_counts`), or else the sum of its parts. It is unknown when
//! - the file states 0;
//! - it is the sum of its parts and a part states 0 (the zero was added in);
//! - it is a stembureau's and another stembureau of the same gemeente states 0 (the gemeente
//!   did not divide its kiesgerechtigden over its stembureaus; one may carry them all);
//! - it is a sum and a part's figure is unknown, or there are no parts to add up;
//! - more votes were cast than there are kiesgerechtigden.

use webkit::{Lang, fmt};

use crate::model::{Level, Unit};

/// The kiesgerechtigden of a unit, or why they are not known.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Electorate {
    Known(u64),
    Unknown { nl: String, en: String },
}

impl Electorate {
    pub fn known(&self) -> Option<u64> {
        match self {
            Electorate::Known(n) => Some(*n),
            Electorate::Unknown { .. } => None,
        }
    }

    /// Why the figure is unknown (`None` when it is known).
    pub fn reason(&self, lang: Lang) -> Option<&str> {
        match self {
            Electorate::Known(_) => None,
            Electorate::Unknown { nl, en } => Some(lang.t(nl, en)),
        }
    }

    fn unknown(nl: String, en: String) -> Electorate {
        Electorate::Unknown { nl, en }
    }
}

/// The electorate of every unit (same index as `units`); `cast[i]` is the number of votes cast
/// in unit `i` (valid, blank and invalid).
pub fn assess(units: &[Unit], cast: &[u64]) -> Vec<Electorate> {
    let mut out: Vec<Option<Electorate>> = vec![None; units.len()];
    for i in 0..units.len() {
        assess_one(units, cast, i, &mut out);
    }
    out.into_iter()
        .map(|e| e.unwrap_or_else(|| Electorate::unknown("niet bekend".into(), "not known".into())))
        .collect()
}

fn assess_one(units: &[Unit], cast: &[u64], i: usize, out: &mut Vec<Option<Electorate>>) {
    if out[i].is_some() {
        return;
    }
    for &c in &units[i].children {
        assess_one(units, cast, c, out);
    }
    let u = &units[i];
    let zero_parts: Vec<&Unit> = u
        .children
        .iter()
        .map(|&c| &units[c])
        .filter(|c| c.data.electorate == Some(0))
        .collect();
    let e = match u.data.electorate {
        Some(0) => Electorate::unknown(
            "het bestand meldt 0 kiesgerechtigden".into(),
            "the file states 0 eligible voters".into(),
        ),
        Some(n)
            if !zero_parts.is_empty()
                && u.children
                    .iter()
                    .map(|&c| units[c].data.electorate.unwrap_or(0))
                    .fold(0u64, u64::saturating_add)
                    == n =>
        {
            Electorate::unknown(
                format!(
                    "dit aantal is de som van de onderdelen, en {} daarvan melden 0 kiesgerechtigden (bijvoorbeeld {})",
                    zero_parts.len(),
                    zero_parts[0].data.name
                ),
                format!(
                    "this figure is the sum of the parts, and {} of them state 0 eligible voters (e.g. {})",
                    zero_parts.len(),
                    zero_parts[0].data.name
                ),
            )
        }
        Some(n) => match zero_siblings(units, i) {
            Some(k) if u.data.level == Level::Stembureau => Electorate::unknown(
                format!(
                    "{k} stembureaus van deze gemeente melden 0 kiesgerechtigden: de gemeente heeft de kiesgerechtigden niet per stembureau opgegeven"
                ),
                format!(
                    "{k} polling stations of this municipality state 0 eligible voters: the municipality did not give the eligible voters per polling station"
                ),
            ),
            _ => Electorate::Known(n),
        },
        None if u.children.is_empty() => Electorate::unknown(
            "niet opgegeven in de bestanden".into(),
            "not given in the files".into(),
        ),
        None => {
            let unknown: Vec<usize> = u
                .children
                .iter()
                .copied()
                .filter(|&c| out[c].as_ref().and_then(Electorate::known).is_none())
                .collect();
            if let Some(&first) = unknown.first() {
                Electorate::unknown(
                    format!(
                        "niet bekend voor {} onderdelen, bijvoorbeeld {}",
                        unknown.len(),
                        units[first].data.name
                    ),
                    format!(
                        "not known for {} parts, e.g. {}",
                        unknown.len(),
                        units[first].data.name
                    ),
                )
            } else {
                Electorate::Known(
                    u.children
                        .iter()
                        .filter_map(|&c| out[c].as_ref().and_then(Electorate::known))
                        .fold(0u64, u64::saturating_add),
                )
            }
        }
    };
    // More votes than kiesgerechtigden: the figure cannot be right for this unit.
    let e = match e {
        Electorate::Known(n) if cast[i] > n => Electorate::unknown(
            format!(
                "er zijn meer stemmen uitgebracht ({}) dan er kiesgerechtigden zijn ({})",
                fmt::int(Lang::Nl, cast[i]),
                fmt::int(Lang::Nl, n)
            ),
            format!(
                "more votes were cast ({}) than there are eligible voters ({})",
                fmt::int(Lang::En, cast[i]),
                fmt::int(Lang::En, n)
            ),
        ),
        e => e,
    };
    out[i] = Some(e);
}

/// How many other parts of the same parent state 0 (`None` when none do).
fn zero_siblings(units: &[Unit], i: usize) -> Option<usize> {
    let p = units[i].parent?;
    let k = units[p]
        .children
        .iter()
        .filter(|&&c| c != i && units[c].data.electorate == Some(0))
        .count();
    (k > 0).then_some(k)
}

/// Turnout as a percentage text, or `onbekend`.
pub fn turnout_text(lang: Lang, e: &Electorate, cast: u64) -> String {
    match e.known() {
        Some(n) if n > 0 => fmt::pct(lang, cast, n, 1),
        _ => lang.t("onbekend", "unknown").to_string(),
    }
}

#[cfg(test)]
mod tests {
    use std::collections::BTreeMap;

    use super::*;
    use crate::model::UnitData;

    /// A gemeente (unit 0) with stembureaus: (stated electorate, votes cast) each; the gemeente
    /// states `total` (or nothing).
    fn gemeente(total: Option<u64>, parts: &[(Option<u64>, u64)]) -> (Vec<Unit>, Vec<u64>) {
        let unit = |id: usize, level, electorate, parent: Option<usize>| Unit {
            data: UnitData {
                id: format!("u{id}"),
                parent: parent.map(|p| format!("u{p}")),
                level,
                name: format!("Eenheid {id}"),
                kieskring: None,
                electorate,
                blank: 0,
                invalid: 0,
                own_totals: true,
            },
            parent,
            children: Vec::new(),
            kieskring: None,
            party_votes: Vec::new(),
            candidate_votes: BTreeMap::new(),
        };
        let mut units = vec![unit(0, Level::Gemeente, total, None)];
        let mut cast = vec![parts.iter().map(|p| p.1).sum()];
        for (i, (e, c)) in parts.iter().enumerate() {
            units.push(unit(i + 1, Level::Stembureau, *e, Some(0)));
            units[0].children.push(i + 1);
            cast.push(*c);
        }
        (units, cast)
    }

    #[test]
    fn sound_figures_are_known_and_sums_add_up() {
        let (u, c) = gemeente(None, &[(Some(1000), 700), (Some(800), 500)]);
        let e = assess(&u, &c);
        assert_eq!(e[0], Electorate::Known(1800));
        assert_eq!(e[1], Electorate::Known(1000));
        let (u, c) = gemeente(Some(1800), &[(Some(1000), 700), (Some(800), 500)]);
        assert_eq!(assess(&u, &c)[0], Electorate::Known(1800));
    }

    #[test]
    fn zero_is_unknown_and_so_is_a_sum_that_added_it() {
        // GR2022 Aalten: the stembureaus state 0, one mobile stembureau the whole 21.930.
        let (u, c) = gemeente(Some(21_930), &[(Some(0), 684), (Some(21_930), 22)]);
        let e = assess(&u, &c);
        assert!(
            e[0].reason(Lang::Nl)
                .unwrap()
                .contains("som van de onderdelen")
        );
        assert!(
            e[1].reason(Lang::Nl)
                .unwrap()
                .contains("0 kiesgerechtigden")
        );
        assert!(
            e[2].reason(Lang::Nl)
                .unwrap()
                .contains("1 stembureaus van deze gemeente melden 0")
        );
        // No figure stated above: the sum has unknown parts (the zero, and its neighbour).
        let (u, c) = gemeente(None, &[(Some(0), 684), (Some(900), 22)]);
        assert!(
            assess(&u, &c)[0]
                .reason(Lang::Nl)
                .unwrap()
                .contains("niet bekend voor 2 onderdelen")
        );
    }

    #[test]
    fn a_figure_from_a_higher_file_is_kept_when_it_is_not_the_sum() {
        // TK2021 Kieskring Haarlem: the 510d states 726.342, the gemeenten (510c) sum to
        // 578.393 with three zeros.
        let (mut u, c) = gemeente(
            Some(726_342),
            &[(Some(0), 94_270), (Some(578_393), 491_390)],
        );
        u[0].data.level = Level::Kieskring;
        for x in &mut u[1..] {
            x.data.level = Level::Gemeente;
        }
        let e = assess(&u, &c);
        assert_eq!(e[0], Electorate::Known(726_342));
        assert!(e[1].known().is_none());
        // Gemeenten are not stembureaus: a zero next door says nothing about this one.
        assert_eq!(e[2], Electorate::Known(578_393));
    }

    #[test]
    fn more_votes_than_kiesgerechtigden_is_unknown_never_above_100_percent() {
        // TK2021 Schiermonnikoog: 785 kiesgerechtigden, 904 valid votes.
        let (u, c) = gemeente(None, &[(Some(785), 904)]);
        let e = assess(&u, &c);
        assert!(
            e[1].reason(Lang::Nl)
                .unwrap()
                .contains("meer stemmen uitgebracht (904)")
        );
        assert_eq!(turnout_text(Lang::Nl, &e[1], 904), "onbekend");
        assert!(e[0].known().is_none(), "the sum has an unknown part");
    }
}
