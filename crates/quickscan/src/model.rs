//! Core vocabulary: organisations, respondent groups, roles, scan states, days.

use serde::{Deserialize, Serialize};
use std::fmt;

/// A text in Dutch (B1) with an English translation.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Text {
    pub nl: String,
    pub en: String,
}

impl Text {
    pub fn new(nl: &str, en: &str) -> Self {
        Self {
            nl: nl.to_owned(),
            en: en.to_owned(),
        }
    }
    pub fn get(&self, lang: Lang) -> &str {
        match lang {
            Lang::Nl => &self.nl,
            Lang::En => &self.en,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Lang {
    #[default]
    Nl,
    En,
}

/// The kind of government body that runs a scan.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum OrgKind {
    Gemeente,
    Provincie,
}

impl OrgKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OrgKind::Gemeente => "gemeente",
            OrgKind::Provincie => "provincie",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "gemeente" => Some(OrgKind::Gemeente),
            "provincie" => Some(OrgKind::Provincie),
            _ => None,
        }
    }
}

/// The four respondent groups. The first three are invited by name; inwoners come in
/// through the public link or a letter code.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Group {
    Raad,
    College,
    Ambtenaren,
    Inwoners,
}

impl Group {
    pub const ALL: [Group; 4] = [
        Group::Raad,
        Group::College,
        Group::Ambtenaren,
        Group::Inwoners,
    ];
    pub const INTERNAL: [Group; 3] = [Group::Raad, Group::College, Group::Ambtenaren];

    pub fn as_str(self) -> &'static str {
        match self {
            Group::Raad => "raad",
            Group::College => "college",
            Group::Ambtenaren => "ambtenaren",
            Group::Inwoners => "inwoners",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        match s.trim().to_lowercase().as_str() {
            "raad" | "raadslid" | "raadsleden" | "staten" | "statenlid" | "statenleden" => {
                Some(Group::Raad)
            }
            "college" | "collegelid" | "collegeleden" | "gedeputeerde" | "gedeputeerden" | "gs" => {
                Some(Group::College)
            }
            "ambtenaren" | "ambtenaar" | "medewerker" | "medewerkers" | "organisatie" => {
                Some(Group::Ambtenaren)
            }
            "inwoners" | "inwoner" => Some(Group::Inwoners),
            _ => None,
        }
    }

    /// Plural label for a group, depending on the kind of organisation.
    pub fn label(self, kind: OrgKind, lang: Lang) -> &'static str {
        match (self, kind, lang) {
            (Group::Raad, OrgKind::Gemeente, Lang::Nl) => "Raadsleden",
            (Group::Raad, OrgKind::Gemeente, Lang::En) => "Council members",
            (Group::Raad, OrgKind::Provincie, Lang::Nl) => "Statenleden",
            (Group::Raad, OrgKind::Provincie, Lang::En) => "Members of the Provincial Council",
            (Group::College, OrgKind::Gemeente, Lang::Nl) => "Collegeleden",
            (Group::College, OrgKind::Gemeente, Lang::En) => "Mayor and aldermen",
            (Group::College, OrgKind::Provincie, Lang::Nl) => "Gedeputeerden",
            (Group::College, OrgKind::Provincie, Lang::En) => "Provincial executive",
            (Group::Ambtenaren, _, Lang::Nl) => "Ambtenaren",
            (Group::Ambtenaren, _, Lang::En) => "Civil servants",
            (Group::Inwoners, _, Lang::Nl) => "Inwoners",
            (Group::Inwoners, _, Lang::En) => "Residents",
        }
    }
}

impl fmt::Display for Group {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Roles on the platform: webkit's roles.
pub use webkit::Role;

/// The lifecycle of one scan (one wave).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ScanStatus {
    Concept,
    Open,
    Closed,
    Report,
    Verbeteragenda,
}

impl ScanStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ScanStatus::Concept => "concept",
            ScanStatus::Open => "open",
            ScanStatus::Closed => "closed",
            ScanStatus::Report => "report",
            ScanStatus::Verbeteragenda => "verbeteragenda",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        [
            ScanStatus::Concept,
            ScanStatus::Open,
            ScanStatus::Closed,
            ScanStatus::Report,
            ScanStatus::Verbeteragenda,
        ]
        .into_iter()
        .find(|x| x.as_str() == s)
    }
    /// The only allowed next state.
    pub fn next(self) -> Option<Self> {
        match self {
            ScanStatus::Concept => Some(ScanStatus::Open),
            ScanStatus::Open => Some(ScanStatus::Closed),
            ScanStatus::Closed => Some(ScanStatus::Report),
            ScanStatus::Report => Some(ScanStatus::Verbeteragenda),
            ScanStatus::Verbeteragenda => None,
        }
    }
    pub fn label_nl(self) -> &'static str {
        match self {
            ScanStatus::Concept => "Concept",
            ScanStatus::Open => "Open",
            ScanStatus::Closed => "Gesloten",
            ScanStatus::Report => "Rapport vastgesteld",
            ScanStatus::Verbeteragenda => "Verbeteragenda",
        }
    }
    /// Has the fieldwork ended (report data is final)?
    pub fn is_closed(self) -> bool {
        self >= ScanStatus::Closed
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum WaveKind {
    Nulmeting,
    Voortgangsmeting,
}

impl WaveKind {
    pub fn as_str(self) -> &'static str {
        match self {
            WaveKind::Nulmeting => "nulmeting",
            WaveKind::Voortgangsmeting => "voortgangsmeting",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "nulmeting" => Some(WaveKind::Nulmeting),
            "voortgangsmeting" => Some(WaveKind::Voortgangsmeting),
            _ => None,
        }
    }
}

/// How an answer reached us.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Channel {
    Online,
    Paper,
}

impl Channel {
    pub fn as_str(self) -> &'static str {
        match self {
            Channel::Online => "online",
            Channel::Paper => "paper",
        }
    }
}

/// A calendar day (days since 1970-01-01, UTC). Answers carry only this, never a time.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub struct Day(pub i64);

impl Day {
    pub fn today() -> Self {
        let secs = std::time::SystemTime::now()
            .duration_since(std::time::UNIX_EPOCH)
            .map_or(0, |d| d.as_secs());
        Day(i64::try_from(secs / 86_400).unwrap_or(0))
    }

    #[must_use]
    pub fn plus(self, days: i64) -> Self {
        Day(self.0 + days)
    }

    /// Civil date (year, month, day) from days since the epoch (proleptic Gregorian).
    pub fn ymd(self) -> (i64, u32, u32) {
        webkit::fmt::civil_from_days(self.0)
    }

    /// The day as Dutch text: `4 december 2026`.
    pub fn long_nl(self) -> String {
        let (y, m, d) = self.ymd();
        format!("{d} {} {y}", MONTHS_NL[(m.clamp(1, 12) - 1) as usize])
    }

    /// The day with its weekday, in Dutch: `vrijdag 4 december 2026`.
    pub fn long_weekday_nl(self) -> String {
        // 1970-01-01 was a Thursday (index 3 from Monday)
        let wd = usize::try_from((self.0 + 3).rem_euclid(7)).unwrap_or(0);
        format!("{} {}", WEEKDAYS_NL[wd], self.long_nl())
    }

    pub fn from_ymd(y: i64, m: u32, d: u32) -> Self {
        let y = if m <= 2 { y - 1 } else { y };
        let era = y.div_euclid(400);
        let yoe = y.rem_euclid(400);
        let m = i64::from(m);
        let mp = if m > 2 { m - 3 } else { m + 9 };
        let doy = (153 * mp + 2) / 5 + i64::from(d) - 1;
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
        Day(era * 146_097 + doe - 719_468)
    }

    pub fn parse(s: &str) -> Option<Self> {
        let mut it = s.trim().splitn(3, '-');
        let y = it.next()?.parse().ok()?;
        let m: u32 = it.next()?.parse().ok()?;
        let d: u32 = it.next()?.parse().ok()?;
        if !(1..=12).contains(&m) || !(1..=31).contains(&d) {
            return None;
        }
        let day = Self::from_ymd(y, m, d);
        (day.ymd() == (y, m, d)).then_some(day)
    }
}

impl fmt::Display for Day {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (y, m, d) = self.ymd();
        write!(f, "{y:04}-{m:02}-{d:02}")
    }
}

const MONTHS_NL: [&str; 12] = [
    "januari",
    "februari",
    "maart",
    "april",
    "mei",
    "juni",
    "juli",
    "augustus",
    "september",
    "oktober",
    "november",
    "december",
];

const WEEKDAYS_NL: [&str; 7] = [
    "maandag",
    "dinsdag",
    "woensdag",
    "donderdag",
    "vrijdag",
    "zaterdag",
    "zondag",
];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn day_roundtrip() {
        for n in [-1000, 0, 1, 59, 365, 11_016, 20_000, 20_454] {
            let d = Day(n);
            assert_eq!(Day::parse(&d.to_string()), Some(d), "{d}");
        }
        assert_eq!(Day(0).to_string(), "1970-01-01");
        assert_eq!(Day::from_ymd(2024, 2, 29).to_string(), "2024-02-29");
        assert_eq!(Day::parse("2023-02-29"), None);
    }

    #[test]
    fn provincie_labels() {
        assert_eq!(
            Group::Raad.label(OrgKind::Provincie, Lang::Nl),
            "Statenleden"
        );
        assert_eq!(
            Group::College.label(OrgKind::Provincie, Lang::Nl),
            "Gedeputeerden"
        );
        assert_eq!(Group::Raad.label(OrgKind::Gemeente, Lang::Nl), "Raadsleden");
        assert_eq!(Group::parse(" Statenleden "), Some(Group::Raad));
    }

    #[test]
    fn lifecycle_is_linear() {
        let mut s = ScanStatus::Concept;
        let mut seen = vec![s];
        while let Some(n) = s.next() {
            seen.push(n);
            s = n;
        }
        assert_eq!(seen.len(), 5);
        assert!(ScanStatus::Report.is_closed());
        assert!(!ScanStatus::Open.is_closed());
    }
}
