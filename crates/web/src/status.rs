//! What the web app may say about an imported election: one status, never more than the data
//! prove.
//!
//! | code | when | shown as |
//! |---|---|---|
//! | `ok` | recomputed = official result, and no error in the files | gelijk aan de officiële uitslag |
//! | `lot` | as `ok`, with a lot taken from the official result among the tied options | … (met loting) |
//! | `count_errors` | recomputed = official, but the checks found errors in the counts | gelijk, maar met fouten in de tellingen |
//! | `mismatch` | recomputed ≠ official | verschil met de officiële uitslag |
//! | `no_official` | no official result (520 or uitslag CSV) was imported | berekende uitslag — nog geen officiële uitslag |
//! | `incomplete` | a part (count, lists, seats) is missing: no result could be computed | onvolledig |
//! | `damaged` | a file could not be read, and the result is not confirmed | beschadigde bestanden |
//!
//! Only `ok` and `lot` are shown as good (green). Demo elections have no status.

use serde::Serialize;
use webkit::Lang;

use crate::import::VerificationReport;

/// The status of an imported election (see the module doc for each state).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResultStatus {
    Ok,
    Lot,
    CountErrors,
    Mismatch,
    NoOfficial,
    Incomplete,
    Damaged,
}

impl ResultStatus {
    pub const ALL: [ResultStatus; 7] = [
        ResultStatus::Ok,
        ResultStatus::Lot,
        ResultStatus::CountErrors,
        ResultStatus::Mismatch,
        ResultStatus::NoOfficial,
        ResultStatus::Incomplete,
        ResultStatus::Damaged,
    ];

    /// The status of a verification report: the comparison of `results` (its `status`),
    /// narrowed by what the report holds (an official result at all, errors in the counts).
    pub fn of(r: &VerificationReport) -> ResultStatus {
        match r.status.as_str() {
            "damaged" => ResultStatus::Damaged,
            "mismatch" => ResultStatus::Mismatch,
            "count_errors" => ResultStatus::CountErrors,
            "no_official" => ResultStatus::NoOfficial,
            _ if !r.has_official() => {
                if r.lists.iter().any(|l| l.computed_seats.is_some()) {
                    ResultStatus::NoOfficial
                } else {
                    ResultStatus::Incomplete
                }
            }
            "incomplete" => ResultStatus::Incomplete,
            _ if !r.errors.is_empty() => ResultStatus::CountErrors,
            "lot" => ResultStatus::Lot,
            "ok" => ResultStatus::Ok,
            _ => ResultStatus::Incomplete,
        }
    }

    pub fn code(self) -> &'static str {
        match self {
            ResultStatus::Ok => "ok",
            ResultStatus::Lot => "lot",
            ResultStatus::CountErrors => "count_errors",
            ResultStatus::Mismatch => "mismatch",
            ResultStatus::NoOfficial => "no_official",
            ResultStatus::Incomplete => "incomplete",
            ResultStatus::Damaged => "damaged",
        }
    }

    /// Parses a stored code; the codes of `results` map onto the same names.
    pub fn parse(s: &str) -> Option<ResultStatus> {
        ResultStatus::ALL.into_iter().find(|x| x.code() == s)
    }

    /// Equal to the official result and nothing wrong in the files.
    pub fn is_good(self) -> bool {
        matches!(self, ResultStatus::Ok | ResultStatus::Lot)
    }

    /// An official result was imported and compared.
    pub fn is_compared(self) -> bool {
        matches!(
            self,
            ResultStatus::Ok
                | ResultStatus::Lot
                | ResultStatus::CountErrors
                | ResultStatus::Mismatch
        )
    }

    /// A short label (B1).
    pub fn label(self, lang: Lang) -> &'static str {
        match self {
            ResultStatus::Ok => lang.t(
                "gelijk aan de officiële uitslag",
                "equal to the official result",
            ),
            ResultStatus::Lot => lang.t(
                "gelijk aan de officiële uitslag (met loting)",
                "equal to the official result (with a lot)",
            ),
            ResultStatus::CountErrors => lang.t(
                "zetels gelijk aan de officiële uitslag, maar met fouten in de tellingen",
                "seats equal to the official result, but with errors in the counts",
            ),
            ResultStatus::Mismatch => lang.t(
                "VERSCHIL met de officiële uitslag",
                "DIFFERENT from the official result",
            ),
            ResultStatus::NoOfficial => lang.t(
                "Berekende uitslag — nog geen officiële uitslag",
                "Computed result — no official result yet",
            ),
            ResultStatus::Incomplete => lang.t(
                "onvolledig: er ontbreekt een deel van de gegevens",
                "incomplete: part of the data is missing",
            ),
            ResultStatus::Damaged => lang.t("beschadigde bestanden", "damaged files"),
        }
    }

    /// One sentence that says what the status means.
    pub fn explanation(self, lang: Lang) -> &'static str {
        match self {
            ResultStatus::Ok => lang.t(
                "Stembus kwam op dezelfde zetels en gekozen kandidaten uit als de officiële uitslag, en vond geen fouten in de tellingen.",
                "Stembus arrived at the same seats and elected candidates as the official result, and found no errors in the counts.",
            ),
            ResultStatus::Lot => lang.t(
                "Stembus kwam op dezelfde uitkomst uit als de officiële uitslag. Daarvoor was een loting nodig; de uitkomst van de officiële loting is gebruikt.",
                "Stembus arrived at the same outcome as the official result. This needed a lot; the outcome of the official lot was used.",
            ),
            ResultStatus::CountErrors => lang.t(
                "De zetels en gekozen kandidaten zijn gelijk aan de officiële uitslag. Maar in de tellingen zitten fouten: sommige aantallen kloppen niet met elkaar. Bekijk de fouten hieronder.",
                "The seats and elected candidates equal the official result. But the counts contain errors: some numbers do not agree. See the errors below.",
            ),
            ResultStatus::Mismatch => lang.t(
                "Stembus komt op een andere uitkomst uit dan de officiële uitslag. De verschillen staan hieronder.",
                "Stembus arrives at a different outcome than the official result. The differences are listed below.",
            ),
            ResultStatus::NoOfficial => lang.t(
                "Er is geen officiële uitslag ingelezen (proces-verbaal 520 of uitslag-CSV). Stembus heeft de zetels zelf berekend uit de tellingen. Dit is nog niet de officiële uitslag.",
                "No official result was imported (EML 520 or result CSV). Stembus computed the seats from the counts itself. This is not yet the official result.",
            ),
            ResultStatus::Incomplete => lang.t(
                "Er ontbreekt een deel van de gegevens (tellingen, kandidatenlijsten of het aantal zetels). Stembus kan de uitslag daarom niet berekenen of vergelijken.",
                "Part of the data is missing (counts, candidate lists or the number of seats). Stembus therefore cannot compute or compare the result.",
            ),
            ResultStatus::Damaged => lang.t(
                "Een of meer bestanden konden niet gelezen worden. De uitslag is daarom niet bevestigd.",
                "One or more files could not be read. The result is therefore not confirmed.",
            ),
        }
    }
}

/// Every status with its code, label and meaning (for the `/api` page).
pub fn legend(lang: Lang) -> maud::Markup {
    maud::html! {
        dl.facts.status-legend {
            @for s in ResultStatus::ALL {
                dt { code { (s.code()) } } dd { strong { (s.label(lang)) } ". " (s.explanation(lang)) }
            }
        }
    }
}

/// A label at the start of a sentence: its first letter upper case.
pub fn capitalized(label: &str) -> String {
    let mut c = label.chars();
    c.next()
        .map(|f| f.to_uppercase().chain(c).collect())
        .unwrap_or_default()
}

/// The label for a stored status code (unknown codes are shown as incomplete, never as good).
pub fn label_of(lang: Lang, code: &str) -> &'static str {
    ResultStatus::parse(code)
        .unwrap_or(ResultStatus::Incomplete)
        .label(lang)
}
