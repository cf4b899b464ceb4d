//! Lots (P 14, P 20): the engine never draws one. When the law needs a lot, the engine stops
//! with [`LotRequired`]; the caller records the outcome drawn in the public session and runs the
//! engine again. Recorded lots are replayed in the order the engine asked for them.

use crate::input_error::{InputError, Problem};
use crate::model::LotChoice;
use crate::steps::Step;
use crate::{Lang, count};

/// Why a lot is needed.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum LotReason {
    /// Equal averages or remainders compete for fewer restzetels than there are tied parties
    /// (P 7 lid 1, P 8 lid 1, P 8 lid 3, U 9). The drawn party gets the seat.
    ResidualSeat {
        article: &'static str,
        seats_left: u32,
    },
    /// P 9: several parties won their seat for the same smallest average or remainder; the
    /// drawn party loses that seat.
    AbsoluteMajorityRetraction,
    /// P 10 / U 10: continued application after exhaustion ties.
    ExhaustionReassignment { article: &'static str },
    /// P 12 / P 13: equal remainders inside a lijstengroep; the drawn list gets the seat.
    GroupSeat { party: u32 },
    /// P 15: candidates with equal votes compete for fewer seats than there are of them; the
    /// drawn candidate is elected first.
    PreferenceSeat { party: u32, seats_left: u32 },
    /// "Met één stem meer keus": equal candidate votes for the last candidate seats.
    CandidateSeat { party: u32, seats_left: u32 },
}

impl LotReason {
    /// The article whose tie this lot decides: each of them ends "… beslist (zo nodig) het
    /// lot" (P 7, P 8, P 9, P 10, P 12, P 15), so a lot step names the same article as its
    /// text. The lot itself is drawn in the public session (P 20).
    pub fn article(&self) -> &'static str {
        match self {
            LotReason::ResidualSeat { article, .. }
            | LotReason::ExhaustionReassignment { article } => article,
            LotReason::AbsoluteMajorityRetraction => "P 9",
            LotReason::GroupSeat { .. } => "P 12",
            LotReason::PreferenceSeat { .. } => "P 15",
            LotReason::CandidateSeat { .. } => crate::candidates::PROPOSAL,
        }
    }

    /// Explanation for reports, in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        match lang {
            Lang::Nl => self.describe_nl(),
            Lang::En => self.describe_en(),
        }
    }

    /// Dutch explanation for reports.
    pub fn describe_nl(&self) -> String {
        match self {
            LotReason::ResidualSeat {
                article,
                seats_left,
            } => format!(
                "gelijke gemiddelden of overschotten voor {} (art. {article})",
                count(*seats_left, "restzetel", "restzetels")
            ),
            LotReason::AbsoluteMajorityRetraction => {
                "welke lijst de zetel verliest bij volstrekte meerderheid (art. P 9)".to_string()
            }
            LotReason::ExhaustionReassignment { article } => {
                format!("gelijke waarden bij toewijzing na lijstuitputting (art. {article})")
            }
            LotReason::GroupSeat { party } => {
                format!("gelijke overschotten binnen lijstengroep {party} (art. P 12)")
            }
            LotReason::PreferenceSeat { party, seats_left } => format!(
                "gelijke voorkeurstemmen op lijst {party} voor {} (art. P 15)",
                count(*seats_left, "zetel", "zetels")
            ),
            LotReason::CandidateSeat { party, seats_left } => format!(
                "gelijke kandidaatsstemmen op lijst {party} voor {}",
                count(*seats_left, "zetel", "zetels")
            ),
        }
    }

    /// English explanation for reports.
    pub fn describe_en(&self) -> String {
        match self {
            LotReason::ResidualSeat {
                article,
                seats_left,
            } => format!(
                "equal averages or remainders for {} (art. {article})",
                count(*seats_left, "residual seat", "residual seats")
            ),
            LotReason::AbsoluteMajorityRetraction => {
                "which list loses the seat for the absolute majority (art. P 9)".to_string()
            }
            LotReason::ExhaustionReassignment { article } => format!(
                "equal values when seats are reassigned after a list ran out of candidates \
                 (art. {article})"
            ),
            LotReason::GroupSeat { party } => {
                format!("equal remainders within group of lists {party} (art. P 12)")
            }
            LotReason::PreferenceSeat { party, seats_left } => format!(
                "equal preference votes on list {party} for {} (art. P 15)",
                count(*seats_left, "seat", "seats")
            ),
            LotReason::CandidateSeat { party, seats_left } => format!(
                "equal candidate votes on list {party} for {}",
                count(*seats_left, "seat", "seats")
            ),
        }
    }
}

/// The engine stopped because the law requires a lot.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LotRequired {
    /// Which lot this is (0 = the first the engine asked for); equals the number of lots
    /// that were recorded and used.
    pub index: usize,
    pub reason: LotReason,
    /// The legal options; the drawn one must be one of these.
    pub options: Vec<LotChoice>,
    /// The steps taken until the engine had to stop.
    pub steps: Vec<Step>,
}

/// Replays recorded lots in order.
#[derive(Debug)]
pub(crate) struct LotBox<'a> {
    recorded: &'a [LotChoice],
    used: usize,
}

/// Why a lot could not be taken from the recorded ones.
#[derive(Debug)]
pub(crate) enum LotStop {
    /// No recorded outcome left: ask the caller.
    Required(LotReason, Vec<LotChoice>),
    /// The recorded outcome is not among the options.
    Invalid {
        index: usize,
        recorded: LotChoice,
        options: Vec<LotChoice>,
    },
}

/// The input error for a recorded lot (`lots[index]`) that is not among the legal options.
pub(crate) fn invalid_lot(index: usize, recorded: &LotChoice, options: &[LotChoice]) -> InputError {
    InputError::new(
        format!("lots[{index}]"),
        Problem::LotNotAnOption {
            recorded: recorded.clone(),
            options: options.to_vec(),
        },
    )
}

impl<'a> LotBox<'a> {
    pub(crate) fn new(recorded: &'a [LotChoice]) -> Self {
        Self { recorded, used: 0 }
    }

    /// Takes the next recorded lot for a tie between `options`. Call only when the law needs
    /// a lot ("zo nodig"): when more options are tied than there are seats left for them.
    /// Records the draw as a step.
    pub(crate) fn draw(
        &mut self,
        reason: LotReason,
        options: Vec<LotChoice>,
        steps: &mut Vec<Step>,
    ) -> Result<LotChoice, LotStop> {
        let Some(recorded) = self.recorded.get(self.used) else {
            return Err(LotStop::Required(reason, options));
        };
        if !options.contains(recorded) {
            return Err(LotStop::Invalid {
                index: self.used,
                recorded: recorded.clone(),
                options,
            });
        }
        self.used += 1;
        steps.push(Step::Lot(crate::steps::LotStep {
            index: self.used - 1,
            reason,
            options,
            drawn: recorded.clone(),
        }));
        Ok(recorded.clone())
    }

    /// How many recorded lots were used.
    pub(crate) fn used(&self) -> usize {
        self.used
    }

    /// Recorded lots that were never needed.
    pub(crate) fn unused(&self) -> &'a [LotChoice] {
        &self.recorded[self.used..]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lot_reasons_have_plurals_that_follow_the_number_in_both_languages() {
        let one = LotReason::ResidualSeat {
            article: "P 7",
            seats_left: 1,
        };
        let two = LotReason::PreferenceSeat {
            party: 3,
            seats_left: 2,
        };
        assert!(one.describe_nl().contains("voor 1 restzetel (art. P 7)"));
        assert!(one.describe_en().contains("for 1 residual seat (art. P 7)"));
        assert!(two.describe_nl().contains("op lijst 3 voor 2 zetels"));
        assert!(two.describe_en().contains("on list 3 for 2 seats"));
        let reasons = [
            one,
            two,
            LotReason::AbsoluteMajorityRetraction,
            LotReason::ExhaustionReassignment { article: "P 10" },
            LotReason::GroupSeat { party: 1 },
            LotReason::CandidateSeat {
                party: 1,
                seats_left: 1,
            },
        ];
        for r in reasons {
            assert!(!r.describe_nl().contains("(s)"), "{r:?}");
            assert_eq!(r.describe(Lang::En), r.describe_en());
            let en = r.describe_en();
            for dutch in ["zetel", "lijst ", "loting", "stemmen", "gelijke"] {
                assert!(!en.contains(dutch), "{en}");
            }
        }
    }
}
