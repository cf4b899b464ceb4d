//! One election as published: definition, candidate lists, counts per reporting unit and the
//! official result, with the files each part came from.

use std::fmt;

use eml::{Candidate as EmlCandidate, Ranking, VoteTotals};
use kieswet::Body;
use serde::Serialize;

/// The level of a reporting unit in the tree stembureau → gemeente → kieskring → nation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Stembureau,
    Gemeente,
    Kieskring,
    Provincie,
    /// The whole election (nation for TK, gemeente for GR).
    Totaal,
}

impl Level {
    pub fn name_nl(self) -> &'static str {
        match self {
            Level::Stembureau => "stembureau",
            Level::Gemeente => "gemeente",
            Level::Kieskring => "kieskring",
            Level::Provincie => "provincie",
            Level::Totaal => "totaal",
        }
    }

    pub fn name_en(self) -> &'static str {
        match self {
            Level::Stembureau => "polling station",
            Level::Gemeente => "municipality",
            Level::Kieskring => "electoral district",
            Level::Provincie => "province",
            Level::Totaal => "total",
        }
    }
}

/// One reporting unit's count as found in one file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unit {
    pub level: Level,
    /// Identity across files: `totaal`, `kieskring:9`, `gemeente:0363`, `stembureau:0363::SB1`.
    pub key: String,
    /// The id as written in the file (`HSB9::0363`, `0197::SB8`, `K1`, …).
    pub id: String,
    pub name: String,
    /// Index into [`ElectionData::files`].
    pub file: usize,
    pub votes: VoteTotals,
    /// `kr:ReportingUnitInvestigations` of a stembureau (2026 format): whether it was
    /// investigated and its result corrected, as the count says.
    pub investigations: Option<Vec<eml::Investigation>>,
}

impl Unit {
    /// `name (id)` for reports.
    pub fn label(&self) -> String {
        if self.name.is_empty() || self.name == self.id {
            self.id.clone()
        } else {
            format!("{} ({})", self.name, self.id)
        }
    }
}

/// A parent unit with its direct children, as found in one file (e.g. the `<TotalVotes>` of a
/// 510c with the gemeenten in its `<ReportingUnitVotes>`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Fragment {
    pub parent: Unit,
    pub children: Vec<Unit>,
}

/// A candidate on one list, with the keys used to recognise the person elsewhere.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CandidateDef {
    pub candidate: EmlCandidate,
    /// Identity of the person across lists: the ShortCode, else the normalised name.
    pub person: String,
    /// Normalised `prefix last, initials`.
    pub name_key: String,
}

impl CandidateDef {
    pub fn new(candidate: EmlCandidate) -> CandidateDef {
        let name_key = name_key(&candidate.name.list_name());
        let person = match candidate.short_code.as_deref() {
            Some(s) if !s.is_empty() => s.to_string(),
            _ => name_key.clone(),
        };
        CandidateDef {
            candidate,
            person,
            name_key,
        }
    }

    pub fn display_name(&self) -> String {
        let n = self.candidate.name.list_name();
        if n.is_empty() {
            format!("kandidaat {}", self.candidate.id)
        } else {
            n
        }
    }
}

/// Lowercase letters and digits of a name only, so `van Dreumel, C.G.H.M.` and
/// `Van  Dreumel, C. G. H. M.` compare equal.
pub fn name_key(name: &str) -> String {
    name.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

/// One candidate list as handed in for one contest (a kieskring, or `geen`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ListDef {
    pub number: u32,
    pub name: String,
    /// The contest id: a kieskring number, or `geen`.
    pub contest: String,
    pub candidates: Vec<CandidateDef>,
    pub file: usize,
}

impl ListDef {
    /// The kieskring number (for P 16/P 18 tie-breaks), if the contest is one.
    pub fn kieskring(&self) -> Option<u32> {
        kieskring_number(&self.contest)
    }
}

/// How reports name a list: its registered name (`RegisteredName`), or `Lijst N (zonder
/// aanduiding)` for a list handed in without an aanduiding, whose name the files leave empty.
pub fn list_label(number: u32, name: &str) -> String {
    if name.trim().is_empty() {
        format!("Lijst {number} (zonder aanduiding)")
    } else {
        name.to_string()
    }
}

/// The number of a kieskring as a contest or unit id writes it: `7`, or in Roman numerals
/// (`I`, `II`, `III`: PS Limburg numbers its kieskringen so). `geen`, `alle` and anything else
/// are no kieskring.
pub fn kieskring_number(id: &str) -> Option<u32> {
    if let Ok(n) = id.parse::<u32>() {
        return Some(n);
    }
    if id.is_empty() || id.len() > 12 {
        return None;
    }
    let value = |c: char| match c {
        'I' => Some(1),
        'V' => Some(5),
        'X' => Some(10),
        'L' => Some(50),
        _ => None,
    };
    let digits: Option<Vec<i64>> = id.chars().map(value).collect();
    let digits = digits?;
    let mut n = 0i64;
    for (i, d) in digits.iter().enumerate() {
        match digits.get(i + 1) {
            Some(next) if next > d => n -= d,
            _ => n += d,
        }
    }
    // Only the canonical spelling (so `IIII` or `IL` are not numbers).
    let n = u32::try_from(n).ok().filter(|n| *n > 0)?;
    (to_roman(n) == id).then_some(n)
}

fn to_roman(mut n: u32) -> String {
    let mut s = String::new();
    for (v, r) in [
        (50, "L"),
        (40, "XL"),
        (10, "X"),
        (9, "IX"),
        (5, "V"),
        (4, "IV"),
        (1, "I"),
    ] {
        while n >= v {
            s.push_str(r);
            n -= v;
        }
    }
    s
}

/// A gemeente code as a key: digits padded to the CBS's four (`106` and `0106` are Assen), any
/// other code as written.
pub fn gemeente_code(code: &str) -> String {
    match code.parse::<u32>() {
        Ok(n) if code.bytes().all(|b| b.is_ascii_digit()) => format!("{n:04}"),
        _ => code.to_string(),
    }
}

/// An elected candidate in the official result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialCandidate {
    pub short_code: Option<String>,
    pub name: String,
    pub name_key: String,
    /// `Ranking` of the 520 (absent in the CSV).
    pub ranking: Option<Ranking>,
    /// Position on the list, where the source gives it (CSV).
    pub position: Option<u32>,
    /// Full record for writing a 520.
    pub record: eml::ResultCandidate,
}

impl OfficialCandidate {
    /// Whether this is candidate `d`: the same ShortCode where both have one, else the same
    /// normalised name (or person).
    pub fn matches(&self, d: &CandidateDef) -> bool {
        match (&self.short_code, &d.candidate.short_code) {
            (Some(a), Some(b)) => a == b,
            _ => self.name_key == d.name_key || self.name_key == d.person,
        }
    }

    /// The looser match used when [`matches`](Self::matches) fails: one name contains the
    /// other (the OSV4-3 export writes e.g. `van Koehorst - van Dijk, C.J.` where the 520 has
    /// `Koehorst - van Dijk`, or `Pas, M.A. Pas`).
    pub fn matches_loosely(&self, d: &CandidateDef) -> bool {
        if self.matches(d) {
            return true;
        }
        if self.short_code.is_some() && d.candidate.short_code.is_some() {
            return false;
        }
        let (a, b) = (&self.name_key, &d.name_key);
        a.len() >= 4 && b.len() >= 4 && (a.contains(b.as_str()) || b.contains(a.as_str()))
    }
}

/// One list in the official result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OfficialList {
    pub number: u32,
    pub name: String,
    pub seats: u32,
    /// Elected candidates in the order of the source (P 19 order in a 520).
    pub elected: Vec<OfficialCandidate>,
}

/// The official result (EML 520 or the uitslag CSV).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Official {
    pub file: usize,
    /// Whether the order of elected candidates is the P 19 order (true for a 520).
    pub ordered: bool,
    pub lists: Vec<OfficialList>,
}

impl Official {
    pub fn seats(&self) -> u32 {
        self.lists.iter().fold(0, |t, l| t.saturating_add(l.seats))
    }
}

/// Warning or error.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Warning,
    Error,
}

/// One finding of the checks: stable code, messages in Dutch and English, the values compared,
/// the files and the reporting unit.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// Stable code, e.g. `W-KIESGERECHTIGDEN-NUL`.
    pub code: &'static str,
    pub message_nl: String,
    pub message_en: String,
    /// The value found (e.g. in the parent) …
    #[serde(skip_serializing_if = "Option::is_none")]
    pub found: Option<u64>,
    /// … and the value expected (e.g. the sum of the children).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expected: Option<u64>,
    pub files: Vec<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
}

impl Finding {
    pub fn new(
        severity: Severity,
        code: &'static str,
        message_nl: impl Into<String>,
        message_en: impl Into<String>,
    ) -> Finding {
        Finding {
            severity,
            code,
            message_nl: message_nl.into(),
            message_en: message_en.into(),
            found: None,
            expected: None,
            files: Vec::new(),
            unit: None,
        }
    }

    pub fn error(code: &'static str, nl: impl Into<String>, en: impl Into<String>) -> Finding {
        Finding::new(Severity::Error, code, nl, en)
    }

    pub fn warning(code: &'static str, nl: impl Into<String>, en: impl Into<String>) -> Finding {
        Finding::new(Severity::Warning, code, nl, en)
    }

    #[must_use]
    pub fn values(mut self, found: u64, expected: u64) -> Finding {
        self.found = Some(found);
        self.expected = Some(expected);
        self
    }

    #[must_use]
    pub fn file(mut self, file: impl Into<String>) -> Finding {
        let f = file.into();
        if !self.files.contains(&f) {
            self.files.push(f);
        }
        self
    }

    #[must_use]
    pub fn unit(mut self, unit: impl Into<String>) -> Finding {
        self.unit = Some(unit.into());
        self
    }

    /// The message in the chosen language.
    pub fn message(&self, english: bool) -> &str {
        if english {
            &self.message_en
        } else {
            &self.message_nl
        }
    }
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}: {}", self.code, self.message_nl)?;
        if let Some(u) = &self.unit {
            write!(f, " [{u}]")?;
        }
        if !self.files.is_empty() {
            write!(f, " ({})", self.files.join(", "))?;
        }
        Ok(())
    }
}

/// Everything known about one election.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ElectionData {
    /// `TK2021`, `GR2022_Aalten`, …
    pub id: String,
    pub name: String,
    pub body: Option<Body>,
    /// The `ElectionIdentifier` as found (for writing a 520).
    pub identifier: eml::ElectionIdentifier,
    /// Number of seats and where it came from.
    pub seats: Option<u32>,
    pub seats_from: &'static str,
    /// Preference threshold in percent from the 110a; `None`: by law.
    pub preference_threshold_percent: Option<u32>,
    /// The 110a's region tree (empty without a 110a): says whether a unit of a 510d is a
    /// gemeente or a kieskring.
    pub regions: Vec<eml::Region>,
    /// The candidate lists, per contest.
    pub lists: Vec<ListDef>,
    /// Counts, per file and level.
    pub fragments: Vec<Fragment>,
    pub official: Option<Official>,
    /// Files that contributed (display form).
    pub files: Vec<String>,
    /// Problems found while assembling (missing parts, duplicates, unreadable files).
    pub findings: Vec<Finding>,
    /// Files of this election that could not be read.
    pub damaged: Vec<String>,
}

impl ElectionData {
    /// Registers a file and returns its index.
    pub fn add_file(&mut self, name: String) -> usize {
        if let Some(i) = self.files.iter().position(|f| *f == name) {
            return i;
        }
        self.files.push(name);
        self.files.len() - 1
    }

    /// The count of the unit with `key` to use for the engine: the first one found, preferring
    /// one whose candidates carry list positions.
    pub fn unit(&self, key: &str) -> Option<&Unit> {
        let all = self
            .fragments
            .iter()
            .flat_map(|f| std::iter::once(&f.parent).chain(&f.children))
            .filter(|u| u.key == key);
        let mut first = None;
        for u in all {
            let with_ids = u
                .votes
                .lists
                .iter()
                .all(|l| l.candidates.iter().all(|c| c.id.is_some()));
            if with_ids {
                return Some(u);
            }
            first.get_or_insert(u);
        }
        first
    }

    /// The contests of the candidate lists, in order of first appearance.
    pub fn contests(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for l in &self.lists {
            if !out.contains(&l.contest.as_str()) {
                out.push(&l.contest);
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn kieskring_numbers_plain_and_roman() {
        assert_eq!(kieskring_number("7"), Some(7));
        assert_eq!(kieskring_number("I"), Some(1));
        assert_eq!(kieskring_number("II"), Some(2));
        assert_eq!(kieskring_number("IV"), Some(4));
        assert_eq!(kieskring_number("XIX"), Some(19));
        for no in ["geen", "alle", "", "IIII", "IL", "i", "HSB1"] {
            assert_eq!(kieskring_number(no), None, "{no}");
        }
    }

    #[test]
    fn gemeente_codes_have_four_digits() {
        assert_eq!(gemeente_code("106"), "0106");
        assert_eq!(gemeente_code("0106"), "0106");
        assert_eq!(gemeente_code("1680"), "1680");
        assert_eq!(gemeente_code("GM0106"), "GM0106");
        assert_eq!(list_label(2, " "), "Lijst 2 (zonder aanduiding)");
        assert_eq!(list_label(2, "SAMEN"), "SAMEN");
    }
}
