//! Warnings in an outcome: results that follow the law (and the Kiesraad's reading of it) but
//! that a person should look at before they are made official.
//!
//! A warning never changes a result; it is read from the steps the engine recorded, so a
//! [`crate::LotRequired`] or a seats-only run ([`crate::apportion_seats`]) can show the same
//! warnings as a complete [`crate::Outcome`].

use crate::seats::SeatStep;
use crate::steps::Step;

/// Something in an outcome that needs a person's attention.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum Warning {
    /// Both P 9 (a seat to the party with an absolute majority of the votes) and P 10 (seats
    /// passed on from a party with too few living candidates) were applied. The law does not
    /// say how the two work together; the engine follows the Kiesraad's reading
    /// ("Verduidelijkingen zetelverdeling", see `seats.rs`), and the Kiesraad advises to
    /// contact it in such a case (its own software, Abacus, warns too).
    AbsoluteMajorityAndExhaustion {
        /// The party that got the extra seat under P 9.
        majority_party: u32,
        /// The parties whose seats P 10 passed on, in ballot order.
        exhausted_parties: Vec<u32>,
    },
}

impl Warning {
    /// A stable code, as the codes of `stembus verify` findings.
    pub fn code(&self) -> &'static str {
        match self {
            Warning::AbsoluteMajorityAndExhaustion { .. } => "W-P9-EN-P10",
        }
    }

    /// The warning in plain Dutch (B1).
    pub fn text_nl(&self) -> String {
        match self {
            Warning::AbsoluteMajorityAndExhaustion {
                majority_party,
                exhausted_parties,
            } => format!(
                "Bij deze zetelverdeling zijn artikel P 9 en artikel P 10 van de Kieswet allebei \
                 toegepast. Door artikel P 9 (volstrekte meerderheid) kreeg lijst {majority_party} \
                 een extra zetel. Door artikel P 10 (lijstuitputting) zijn zetels weggehaald bij \
                 {}, omdat er te weinig kandidaten waren. De wet zegt niet precies hoe \
                 deze twee artikelen samengaan. Stembus volgt de uitleg van de Kiesraad. De \
                 Kiesraad raadt aan om in zo'n geval contact op te nemen met de Kiesraad, om te \
                 overleggen of extra controles nodig zijn.",
                lists_nl(exhausted_parties)
            ),
        }
    }

    /// The warning in English.
    pub fn text_en(&self) -> String {
        match self {
            Warning::AbsoluteMajorityAndExhaustion {
                majority_party,
                exhausted_parties,
            } => format!(
                "Both article P 9 and article P 10 of the Kieswet were applied in this seat \
                 apportionment. Under P 9 (absolute majority) list {majority_party} got an extra \
                 seat. Under P 10 (list exhaustion) seats were taken away from {} because there were \
                 too few candidates. The law does not say exactly how the two articles work \
                 together; Stembus follows the Kiesraad's reading. The Kiesraad advises to \
                 contact it in such a case, to discuss whether extra checks are needed.",
                lists_en(exhausted_parties)
            ),
        }
    }
}

fn lists_nl(parties: &[u32]) -> String {
    match parties {
        [one] => format!("lijst {one}"),
        _ => format!("de lijsten {}", join(parties, "en")),
    }
}

fn lists_en(parties: &[u32]) -> String {
    match parties {
        [one] => format!("list {one}"),
        _ => format!("lists {}", join(parties, "and")),
    }
}

fn join(parties: &[u32], and: &str) -> String {
    let names: Vec<String> = parties.iter().map(u32::to_string).collect();
    match names.split_last() {
        Some((last, rest)) if !rest.is_empty() => format!("{} {and} {last}", rest.join(", ")),
        _ => names.concat(),
    }
}

/// The warnings that the recorded steps call for, in a fixed order.
///
/// P 9 and P 10 together: an [`SeatStep::AbsoluteMajority`] step and an
/// [`SeatStep::Exhaustion`] step that passes seats on (P 10, U 10). Seats that Pa 25 leaves
/// empty are not passed on, so there is nothing of P 10 to combine with.
pub fn warnings(steps: &[Step]) -> Vec<Warning> {
    let mut majority = None;
    let mut exhausted = None;
    for step in steps {
        match step {
            Step::Seat(SeatStep::AbsoluteMajority(a)) => majority = Some(a.party),
            Step::Seat(SeatStep::Exhaustion(x)) if !x.leave_empty_by_law => {
                exhausted = Some(x.parties.iter().map(|p| p.party).collect());
            }
            _ => {}
        }
    }
    match (majority, exhausted) {
        (Some(majority_party), Some(exhausted_parties)) => {
            vec![Warning::AbsoluteMajorityAndExhaustion {
                majority_party,
                exhausted_parties,
            }]
        }
        _ => Vec::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn texts_name_both_articles_and_advise_contact() {
        let w = Warning::AbsoluteMajorityAndExhaustion {
            majority_party: 1,
            exhausted_parties: vec![1, 3],
        };
        assert_eq!(w.code(), "W-P9-EN-P10");
        let nl = w.text_nl();
        for part in [
            "artikel P 9",
            "artikel P 10",
            "lijst 1",
            "de lijsten 1 en 3",
        ] {
            assert!(nl.contains(part), "{part} in {nl}");
        }
        assert!(nl.contains("contact op te nemen met de Kiesraad"));
        assert!(w.text_en().contains("lists 1 and 3"));
        assert_eq!(join(&[1, 2, 3], "en"), "1, 2 en 3");
    }
}
