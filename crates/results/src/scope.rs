//! What each count is: the level and key of its total and of its units, from the kind of 510
//! and the election it belongs to (its category, and the 110a's region tree). A unit's key
//! (`totaal`, `kieskring:N`, `gemeente:CODE`, `stembureau:CODE::SBn`) is its identity across
//! files, so the same unit in two files is compared, and only the same unit.

use eml::CountKind;

use crate::model::{ElectionData, Level, gemeente_code, kieskring_number};

/// What a count's units are, from the election it belongs to: a 510b is one gemeente (the
/// whole election for a gemeenteraad or eilandsraad), a 510c one kieskring, a 510d the
/// total, and a 510d's units are kieskringen or gemeenten as the 110a's region tree says
/// (PS with one kieskring and waterschappen: gemeenten; TK, EP and PS with several
/// kieskringen: kieskringen).
pub(crate) struct Scope {
    /// The election is one gemeente or openbaar lichaam (GR, ER): its 510b is the total.
    one_gemeente: Option<bool>,
    /// Region numbers of the 110a that are gemeenten, and those that are kieskringen.
    gemeenten: Vec<u64>,
    kieskringen: Vec<u64>,
    /// Without a 110a: whether a 510d's plain units are gemeenten (AB, PS1) or not.
    d_units_are_gemeenten: Option<bool>,
}

impl Scope {
    pub(crate) fn of(e: &ElectionData, ident: &eml::ElectionIdentifier) -> Scope {
        use eml::RegionCategory as R;
        let category = ident
            .category
            .as_deref()
            .or(e.identifier.category.as_deref())
            .map(str::to_string)
            .or_else(|| e.body.map(|b| b.code().to_string()));
        let subcategory = ident
            .subcategory
            .as_deref()
            .or(e.identifier.subcategory.as_deref());
        let numbers = |cats: &[R]| -> Vec<u64> {
            e.regions
                .iter()
                .filter(|r| cats.contains(&r.category))
                .filter_map(|r| r.number)
                .collect()
        };
        let gemeenten = numbers(&[R::Gemeente, R::WaterschapGemeente, R::Deelgemeente]);
        let kieskringen = numbers(&[
            R::Kieskring,
            R::ProvinciaalKieskring,
            R::WaterschapKieskring,
        ]);
        let d_units_are_gemeenten = if e.regions.is_empty() {
            match (category.as_deref(), subcategory) {
                (Some("AB"), _) | (Some("PS"), Some("PS1")) => Some(true),
                (Some("TK" | "EP" | "EK"), _) | (Some("PS"), Some("PS2")) => Some(false),
                _ => None,
            }
        } else {
            Some(kieskringen.len() <= 1)
        };
        Scope {
            one_gemeente: category.as_deref().map(|c| matches!(c, "GR" | "ER")),
            gemeenten,
            kieskringen,
            d_units_are_gemeenten,
        }
    }

    /// Level, key and (if not the contest or authority id) the id of a count's total.
    pub(crate) fn parent(
        &self,
        kind: CountKind,
        authority: &str,
        domain: &str,
        contest: &str,
    ) -> (Level, String, Option<String>) {
        let single = matches!(contest, "geen" | "alle");
        let total = || (Level::Totaal, "totaal".to_string(), None);
        match kind {
            CountKind::A => (Level::Stembureau, format!("stembureau:{authority}"), None),
            CountKind::B | CountKind::Q => {
                // A gemeenteraad's gemeente is the whole election; without the category, a
                // count for no kieskring is taken as the total (as GR files are).
                if self.one_gemeente.unwrap_or(single) {
                    return total();
                }
                let code = if authority.is_empty() {
                    domain
                } else {
                    authority
                };
                if code.is_empty() {
                    return total();
                }
                (
                    Level::Gemeente,
                    format!("gemeente:{}", gemeente_code(code)),
                    Some(code.to_string()),
                )
            }
            CountKind::C | CountKind::R => {
                let n = kieskring_number(contest)
                    .or_else(|| authority.strip_prefix("HSB").and_then(kieskring_number));
                match n {
                    Some(n) => (Level::Kieskring, format!("kieskring:{n}"), None),
                    None => total(),
                }
            }
            CountKind::D | CountKind::S => total(),
        }
    }

    /// `HSB9::0363` → gemeente, `HSB9` → kieskring, `0197::SB8` → stembureau; a plain
    /// number by the region tree, else by the kind of count.
    pub(crate) fn unit(&self, id: &str, kind: CountKind) -> (Level, String) {
        let gemeente = |code: &str| (Level::Gemeente, format!("gemeente:{}", gemeente_code(code)));
        let kieskring = |n: u32| (Level::Kieskring, format!("kieskring:{n}"));
        if let Some((head, tail)) = id.split_once("::") {
            if tail.starts_with("SB") {
                return (Level::Stembureau, format!("stembureau:{id}"));
            }
            if head.starts_with("HSB") {
                return gemeente(tail);
            }
        }
        if let Some(n) = id.strip_prefix("HSB").and_then(kieskring_number) {
            return kieskring(n);
        }
        match kind {
            CountKind::A | CountKind::B | CountKind::Q => {
                (Level::Stembureau, format!("stembureau:{id}"))
            }
            CountKind::C | CountKind::R => gemeente(id),
            CountKind::D | CountKind::S => {
                let number = id.parse::<u64>().ok();
                let is_gemeente = number.is_some_and(|n| self.gemeenten.contains(&n));
                let is_kieskring = number.is_some_and(|n| self.kieskringen.contains(&n));
                let looks_like_gemeente = id.len() == 4 && id.bytes().all(|b| b.is_ascii_digit());
                let as_gemeente = match (is_gemeente, is_kieskring) {
                    (true, false) => true,
                    (false, true) => false,
                    _ => self.d_units_are_gemeenten.unwrap_or(looks_like_gemeente),
                };
                match kieskring_number(id) {
                    Some(n) if !as_gemeente => kieskring(n),
                    _ if as_gemeente && number.is_some() => gemeente(id),
                    _ => (Level::Kieskring, format!("kieskring:{id}")),
                }
            }
        }
    }
}
