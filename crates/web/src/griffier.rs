//! The griffier's figures of a reporting unit, from the `<UncountedVotes>` of its 510 count
//! (the proces-verbaal of the stembureau, model N 10): toegelaten kiezers, stempassen,
//! volmachtbewijzen, kiezerspassen, meer/minder getelde stembiljetten and their explanations;
//! shown with the findings of the checks for that unit (page and API).
//!
//! Stored per unit in `web_unit_figures` (one row per reason code, only the codes the file
//! states), written in the import's transaction together with the election.

use std::collections::HashMap;

use maud::{Markup, html};
use serde_json::{Value, json};
use webkit::rusqlite::{self, Connection, params};
use webkit::{Lang, fmt};

use crate::import::{StoredFinding, VerificationReport};

/// One figure of one unit.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Figure {
    pub unit: String,
    /// The EML `ReasonCode` (`toegelaten kiezers`, `geldige stempassen`, …).
    pub code: String,
    pub value: u64,
}

/// The codes in the order of the proces-verbaal, with a B1 label.
const LABELS: &[(&str, &str, &str)] = &[
    (
        "toegelaten kiezers",
        "Toegelaten kiezers",
        "Admitted voters",
    ),
    (
        "geldige stempassen",
        "Geldige stempassen",
        "Valid voting passes",
    ),
    (
        "geldige volmachtbewijzen",
        "Geldige volmachtbewijzen",
        "Valid proxy certificates",
    ),
    (
        "geldige kiezerspassen",
        "Geldige kiezerspassen",
        "Valid voter passes",
    ),
    (
        "meer getelde stembiljetten",
        "Meer stembiljetten geteld dan kiezers toegelaten",
        "More ballots counted than voters admitted",
    ),
    (
        "minder getelde stembiljetten",
        "Minder stembiljetten geteld dan kiezers toegelaten",
        "Fewer ballots counted than voters admitted",
    ),
    (
        "meegenomen stembiljetten",
        "Verklaring: kiezers namen het stembiljet mee",
        "Explanation: voters took the ballot with them",
    ),
    (
        "te weinig uitgereikte stembiljetten",
        "Verklaring: te weinig stembiljetten uitgereikt",
        "Explanation: too few ballots handed out",
    ),
    (
        "te veel uitgereikte stembiljetten",
        "Verklaring: te veel stembiljetten uitgereikt",
        "Explanation: too many ballots handed out",
    ),
    (
        "geen briefstembiljetten",
        "Verklaring: geen briefstembiljetten",
        "Explanation: no postal ballots",
    ),
    (
        "te veel briefstembiljetten",
        "Verklaring: te veel briefstembiljetten",
        "Explanation: too many postal ballots",
    ),
    (
        "kwijtgeraakte stembiljetten",
        "Verklaring: stembiljetten kwijtgeraakt",
        "Explanation: ballots lost",
    ),
    ("geen verklaring", "Geen verklaring", "No explanation"),
    (
        "andere verklaring",
        "Andere verklaring",
        "Other explanation",
    ),
];

fn label(lang: Lang, code: &str) -> String {
    LABELS.iter().find(|(c, _, _)| *c == code).map_or_else(
        || code.to_string(),
        |(_, nl, en)| lang.t(nl, en).to_string(),
    )
}

fn rank(code: &str) -> usize {
    LABELS
        .iter()
        .position(|(c, _, _)| *c == code)
        .unwrap_or(LABELS.len())
}

/// The figures of a unit as the 510 states them.
pub fn of_votes(unit: &str, votes: &eml::VoteTotals) -> Vec<Figure> {
    votes
        .uncounted
        .iter()
        .map(|(reason, value)| Figure {
            unit: unit.to_string(),
            code: reason.code().to_string(),
            value,
        })
        .collect()
}

/// Stores figures (inside the import's transaction, after the election row).
pub fn save(conn: &Connection, election: &str, figures: &[Figure]) -> rusqlite::Result<()> {
    let mut stmt = conn.prepare(
        "INSERT OR REPLACE INTO web_unit_figures (election_id, unit_id, code, value) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for f in figures {
        stmt.execute(params![
            election,
            f.unit,
            f.code,
            i64::try_from(f.value).unwrap_or(i64::MAX)
        ])?;
    }
    Ok(())
}

/// The figures of every unit of an election, by unit id.
pub type Figures = HashMap<String, Vec<Figure>>;

/// The figures of every unit of an election, each unit's in the order of the proces-verbaal.
pub fn load_all(conn: &Connection, election: &str) -> rusqlite::Result<Figures> {
    let mut all = Figures::new();
    let mut stmt =
        conn.prepare("SELECT unit_id, code, value FROM web_unit_figures WHERE election_id = ?1")?;
    let rows = stmt.query_map(params![election], |r| {
        Ok(Figure {
            unit: r.get(0)?,
            code: r.get(1)?,
            value: u64::try_from(r.get::<_, i64>(2)?).unwrap_or(0),
        })
    })?;
    for f in rows {
        let f = f?;
        all.entry(f.unit.clone()).or_default().push(f);
    }
    for v in all.values_mut() {
        v.sort_by_key(|f| rank(&f.code));
    }
    Ok(all)
}

/// The figures and findings of one unit, for a page or the API (from memory: both are read
/// once per election and generation, [`crate::fresh`]).
pub async fn for_unit(
    state: &webkit::AppState,
    web: &crate::Web,
    election: &str,
    unit: &str,
) -> Result<(Vec<Figure>, Vec<StoredFinding>), webkit::AppError> {
    let figures = web
        .figures(state, election)
        .await?
        .get(unit)
        .cloned()
        .unwrap_or_default();
    let report = web.report(state, election).await?;
    let found = findings(report.as_ref().as_ref(), unit)
        .into_iter()
        .cloned()
        .collect();
    Ok((figures, found))
}

/// The findings of the checks about one unit (errors first).
pub fn findings<'a>(report: Option<&'a VerificationReport>, unit: &str) -> Vec<&'a StoredFinding> {
    report.map_or_else(Vec::new, |r| {
        r.errors
            .iter()
            .chain(&r.warnings)
            .filter(|f| f.unit_id.as_deref() == Some(unit))
            .collect()
    })
}

/// The section on the area page (nothing when the files state no figures and the checks
/// found nothing for this unit).
pub fn section(lang: Lang, figures: &[Figure], findings: &[&StoredFinding]) -> Markup {
    if figures.is_empty() && findings.is_empty() {
        return html! {};
    }
    html! {
        h2 #proces-verbaal { (lang.t("Gegevens uit het proces-verbaal", "Figures from the official report")) }
        @if figures.is_empty() {
            p { (lang.t("De bestanden geven voor dit gebied geen toegelaten kiezers of verklaringen.",
                "The files give no admitted voters or explanations for this area.")) }
        } @else {
            p { (lang.t("Zo staat het in de telling (EML 510) van dit gebied.", "As stated in the count (EML 510) of this area.")) }
            dl.facts.griffier {
                @for f in figures {
                    dt { (label(lang, &f.code)) } dd { (fmt::int(lang, f.value)) }
                }
            }
        }
        h3 { (lang.t("Bevindingen van de controle voor dit gebied", "Findings of the verification for this area")) }
        @if findings.is_empty() {
            p { (lang.t("De controle vond hier geen fouten en geen waarschuwingen.", "The verification found no errors and no warnings here.")) }
        } @else {
            ul.findings {
                @for f in findings {
                    li {
                        code { (f.code) } " "
                        strong { @if f.severity == "error" { (lang.t("Fout: ", "Error: ")) } @else { (lang.t("Waarschuwing: ", "Warning: ")) } }
                        (lang.t(&f.message_nl, &f.message_en))
                        @if let (Some(found), Some(expected)) = (f.found, f.expected) {
                            " (" (lang.t("gevonden ", "found ")) (fmt::int(lang, found)) ", " (lang.t("verwacht ", "expected ")) (fmt::int(lang, expected)) ")"
                        }
                    }
                }
            }
        }
    }
}

/// The same for the API: `{ "toegelaten kiezers": 1234, … }` and the findings.
pub fn json(figures: &[Figure], findings: &[&StoredFinding]) -> (Value, Value) {
    let mut m = serde_json::Map::new();
    for f in figures {
        m.insert(f.code.clone(), json!(f.value));
    }
    (Value::Object(m), json!(findings))
}
