//! Every decision the engine takes, recorded as data: the article, the exact values that
//! decided it and what it changed. Reports (the proces-verbaal, the web app's proof page)
//! render these; nothing is recomputed there.

use crate::lots::LotReason;
use crate::model::LotChoice;

pub use crate::candidates::CandidateStep;
pub use crate::seats::SeatStep;

/// One step of the apportionment, in the order the engine took it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(untagged))]
pub enum Step {
    /// Seats to parties and lists (P 5–P 13, U 7–U 10).
    Seat(SeatStep),
    /// Seats to candidates (P 15–P 19a, U 15) or the proposal's list/candidate seats.
    Candidate(CandidateStep),
    /// A recorded lot was applied.
    Lot(LotStep),
}

/// A lot that was drawn in the public session and replayed here.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct LotStep {
    pub index: usize,
    pub reason: LotReason,
    pub options: Vec<LotChoice>,
    pub drawn: LotChoice,
}

impl Step {
    /// The article of the Kieswet this step applies, e.g. `"P 7"`.
    pub fn article(&self) -> &'static str {
        match self {
            Step::Seat(s) => s.article(),
            Step::Candidate(c) => c.article(),
            Step::Lot(l) => l.reason.article(),
        }
    }

    /// One or more sentences in Dutch (B1) that say what happened and why.
    pub fn describe_nl(&self) -> String {
        match self {
            Step::Seat(s) => s.describe_nl(),
            Step::Candidate(c) => c.describe_nl(),
            Step::Lot(l) => {
                let options: Vec<String> = l.options.iter().map(ToString::to_string).collect();
                format!(
                    "Loting {} over {}: mogelijk waren {}; het lot viel op {}.",
                    l.index + 1,
                    l.reason.describe_nl(),
                    options.join(", "),
                    l.drawn
                )
            }
        }
    }
}
