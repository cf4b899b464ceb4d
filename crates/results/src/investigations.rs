//! Investigated and corrected stembureaus: the 2026 count format says per stembureau
//! (`kr:ReportingUnitInvestigations`) whether the gemeentelijk stembureau investigated its
//! count (an unexplained difference, another error, another reason), corrected its result,
//! established the admitted voters again or partly recounted the ballots. Shown as the file
//! says it, one entry per stembureau; nothing is derived from it.

use eml::InvestigationReason as R;
use serde::Serialize;

use crate::model::{ElectionData, Level};

/// What one stembureau's count says about investigation and correction.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UnitInvestigation {
    /// `stembureau:0088::SB1`.
    pub key: String,
    /// The id as written in the file (`0088::SB1`).
    pub id: String,
    pub name: String,
    pub file: String,
    /// Investigated for any reason.
    pub investigated: bool,
    /// Result corrected, admitted voters established again or ballots partly recounted.
    pub corrected: bool,
    /// The reasons the file marks `true`, in its own words (`uitslag gecorrigeerd`, …).
    pub reasons: Vec<&'static str>,
    /// The reasons the file marks `false`.
    pub not: Vec<&'static str>,
}

impl UnitInvestigation {
    /// One line in Dutch, e.g. `onderzocht, gecorrigeerd (onderzocht vanwege onverklaard
    /// verschil; uitslag gecorrigeerd)` or `niet onderzocht, niet gecorrigeerd`.
    pub fn summary_nl(&self) -> String {
        self.summary(["onderzocht", "gecorrigeerd", "niet"])
    }

    /// The same in English (the reasons stay in the file's Dutch words).
    pub fn summary_en(&self) -> String {
        self.summary(["investigated", "corrected", "not"])
    }

    fn summary(&self, [investigated, corrected, not]: [&str; 3]) -> String {
        let what = |yes: bool, word: &str| {
            if yes {
                word.to_string()
            } else {
                format!("{not} {word}")
            }
        };
        let mut s = format!(
            "{}, {}",
            what(self.investigated, investigated),
            what(self.corrected, corrected)
        );
        if !self.reasons.is_empty() {
            s = format!("{s} ({})", self.reasons.join("; "));
        }
        s
    }
}

/// Every stembureau whose count has `kr:ReportingUnitInvestigations`, in file order, once
/// (the first file that has it).
pub fn of(e: &ElectionData) -> Vec<UnitInvestigation> {
    let mut out: Vec<UnitInvestigation> = Vec::new();
    for u in e.fragments.iter().flat_map(|f| &f.children) {
        let Some(list) = &u.investigations else {
            continue;
        };
        if u.level != Level::Stembureau || out.iter().any(|x| x.key == u.key) {
            continue;
        }
        let marked = |yes: bool| -> Vec<&'static str> {
            list.iter()
                .filter(|i| i.value == yes)
                .map(|i| i.reason.code())
                .collect()
        };
        let has = |r: &[R]| list.iter().any(|i| i.value && r.contains(&i.reason));
        out.push(UnitInvestigation {
            key: u.key.clone(),
            id: u.id.clone(),
            name: u.name.clone(),
            file: e.files[u.file].clone(),
            investigated: has(&[R::OnverklaardVerschil, R::AndereFout, R::AndereReden]),
            corrected: has(&[
                R::UitslagGecorrigeerd,
                R::ToegelatenKiezersOpnieuwVastgesteld,
                R::StembiljettenDeelsHerteld,
            ]),
            reasons: marked(true),
            not: marked(false),
        });
    }
    out
}
