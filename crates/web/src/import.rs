//! Importing official results: EML (zip, folder or files) → [`results`] (assemble, check,
//! recompute, compare) → [`ElectionData`] and a [`VerificationReport`] in SQLite.
//!
//! The reporting-unit tree is what the files give: nation → kieskring → gemeente → stembureau,
//! or shorter. Every unit that has a count of its own (a kieskring total from the 510d, a
//! gemeente from a 510c, a stembureau from a 510b) keeps its own published figures
//! ([`UnitData::own_totals`]); the seat calculation uses the top-most of those — the same
//! counts [`results::recompute::engine_input`] uses — so the pages compute exactly what the
//! verification computed. Units above the counts (the nation of a Tweede Kamer election) are
//! sums.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};

use eml::{LoadOptions, SourceRef};
use kieswet::{LotChoice, Step};
use results::{Finding, Severity, Verification};
use serde::{Deserialize, Serialize};
use webkit::rusqlite::{self, Connection, OptionalExtension, params};

use crate::griffier::Figure;
use crate::model::{
    CandidateData, CountData, ElectionData, Level, ListData, PartyData, Source, UnitData,
};
use crate::status::ResultStatus;
use crate::versions::{self, Changes, FileHash, InputFiles, Version};

/// A finding of the checks as stored.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct StoredFinding {
    /// `warning` or `error`.
    pub severity: String,
    pub code: String,
    pub message_nl: String,
    pub message_en: String,
    pub found: Option<u64>,
    pub expected: Option<u64>,
    pub files: Vec<String>,
    pub unit: Option<String>,
    /// The web id of that unit (`/verkiezingen/{id}/gebied/{unit_id}`), where it is one.
    #[serde(default)]
    pub unit_id: Option<String>,
}

/// Seats of one list, official and recomputed.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct StoredListSeats {
    pub number: u32,
    pub name: String,
    pub official_seats: Option<u32>,
    pub computed_seats: Option<u32>,
}

/// An elected candidate, officially and/or recomputed.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct StoredCandidate {
    pub list: u32,
    pub name: String,
    /// Position on the list (where known).
    pub position: Option<u32>,
    /// Elected in the official result; `None` when no official result was imported.
    pub official: Option<bool>,
    pub computed: bool,
    /// Elected on preference votes, in the official result (when it says) …
    pub official_preference: Option<bool>,
    /// … and recomputed.
    pub computed_preference: Option<bool>,
}

impl StoredCandidate {
    /// Both elected, with the same preference flag where the official result gives one.
    pub fn matches(&self) -> bool {
        self.official == Some(true)
            && self.computed
            && self
                .official_preference
                .is_none_or(|p| Some(p) == self.computed_preference)
    }
}

/// A lot the recomputation needed and what it took.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct StoredLot {
    pub reason_nl: String,
    pub options: Vec<String>,
    pub drawn: String,
    pub accepted: bool,
    pub message_nl: String,
    pub message_en: String,
}

/// Whether a stembureau was investigated or corrected (`kr:ReportingUnitInvestigations`).
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct StoredInvestigation {
    /// The web id of the unit (`sb0088-sb1`).
    pub unit: String,
    pub investigated: bool,
    pub corrected: bool,
    pub summary_nl: String,
    pub summary_en: String,
}

/// The verification of an imported election.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct VerificationReport {
    /// The election id in the files (`TK2021`).
    pub election: String,
    /// The status code of [`crate::status::ResultStatus`] (`ok`, `lot`, `count_errors`,
    /// `mismatch`, `no_official`, `incomplete`, `damaged`).
    pub status: String,
    pub matches: bool,
    pub seats: Option<u32>,
    pub lists: Vec<StoredListSeats>,
    pub candidates: Vec<StoredCandidate>,
    pub mismatches: Vec<StoredFinding>,
    pub lots: Vec<StoredLot>,
    pub warnings: Vec<StoredFinding>,
    pub errors: Vec<StoredFinding>,
    pub files: Vec<String>,
    /// Per stembureau, investigated or corrected (2026 format; empty in older reports).
    #[serde(default)]
    pub investigations: Vec<StoredInvestigation>,
}

impl VerificationReport {
    pub fn result_status(&self) -> ResultStatus {
        ResultStatus::of(self)
    }

    pub fn status_label(&self, lang: webkit::Lang) -> &'static str {
        self.result_status().label(lang)
    }

    /// An official result (520 or uitslag CSV) was read and compared.
    pub fn has_official(&self) -> bool {
        self.lists.iter().any(|l| l.official_seats.is_some())
    }
}

/// The text for a status code (see [`ResultStatus`]).
pub fn status_text(lang: webkit::Lang, status: &str) -> &'static str {
    crate::status::label_of(lang, status)
}

/// One imported election, for the summary.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Imported {
    pub id: String,
    pub name: String,
    /// The status code ([`ResultStatus`]).
    pub status: String,
    pub matches: bool,
    pub errors: usize,
    pub warnings: usize,
    pub units: usize,
    pub counts: usize,
    /// The version this import made (1 for the first import of the election).
    pub version: u32,
    pub changes: Changes,
}

/// An election found in the files that was not imported, and why.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NotImported {
    /// The election id in the files (`GR2022_Westerwolde`).
    pub election: String,
    pub name: String,
    pub reason_nl: String,
    pub reason_en: String,
}

/// What an import did: one row per election found, imported or not.
#[derive(Clone, Debug, Default, Serialize, Deserialize)]
pub struct Summary {
    /// The import run (`/beheer/importen/{run}`).
    pub run: Option<i64>,
    pub elections: Vec<Imported>,
    pub not_imported: Vec<NotImported>,
    /// Problems that belong to no election (e.g. unreadable files).
    pub errors: Vec<StoredFinding>,
    /// Files that were not read (not election data).
    pub skipped: Vec<String>,
    /// The exit code `stembus verify` gives the same files ([`results::Report::exit_code`]):
    /// 0 all equal, 1 a mismatch, 2 input unreadable, damaged or incomplete.
    #[serde(skip)]
    pub exit_code: u8,
    /// The input files with their SHA-256.
    pub files: Vec<FileHash>,
}

impl Summary {
    /// Every election found was imported (and there was at least one).
    pub fn complete(&self) -> bool {
        self.not_imported.is_empty() && !self.elections.is_empty()
    }
}

/// Who imports and which files they gave, for the versions.
#[derive(Clone, Debug, Default)]
pub struct Input {
    /// The beheerder's name, or `opdrachtregel (USER)` for `stembus import`.
    pub user: String,
    pub files: InputFiles,
}

/// `C:/x/TK2021.zip!Telling.eml.xml` → `TK2021.zip!Telling.eml.xml`: the folders on the
/// importing computer are nobody's business.
fn short_file(f: &str) -> String {
    let (path, rest) = match f.split_once('!') {
        Some((p, r)) => (p, Some(r)),
        None => (f, None),
    };
    let name = Path::new(path)
        .file_name()
        .map_or_else(|| path.to_string(), |n| n.to_string_lossy().into_owned());
    match rest {
        Some(r) => format!("{name}!{r}"),
        None => name,
    }
}

fn finding(f: &Finding) -> StoredFinding {
    // Messages may quote a file's full path: keep only its name there too.
    let hide = |m: &str| {
        f.files
            .iter()
            .flat_map(|x| x.split(", "))
            .fold(m.to_string(), |m, x| m.replace(x, &short_file(x)))
    };
    StoredFinding {
        severity: match f.severity {
            Severity::Warning => "warning".into(),
            Severity::Error => "error".into(),
        },
        code: f.code.to_string(),
        message_nl: hide(&f.message_nl),
        message_en: hide(&f.message_en),
        found: f.found,
        expected: f.expected,
        files: f.files.iter().map(|x| short_files(x)).collect(),
        unit: f.unit.clone(),
        unit_id: None,
    }
}

/// A finding's file field may name several files joined by `, `.
fn short_files(s: &str) -> String {
    s.split(", ").map(short_file).collect::<Vec<_>>().join(", ")
}

/// URL-safe id: letters, digits and `-`, lowercase for elections.
fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        if c.is_ascii_alphanumeric() {
            out.push(c);
        } else if !out.ends_with('-') && !out.is_empty() {
            out.push('-');
        }
    }
    while out.ends_with('-') {
        out.pop();
    }
    out
}

/// The web id of an imported election: `TK2021` → `tk2021`.
pub fn election_id(results_id: &str) -> String {
    let s = slug(results_id).to_lowercase();
    if s.is_empty() { "import".into() } else { s }
}

fn level_of(l: results::Level, body: Option<kieswet::Body>) -> Level {
    match l {
        results::Level::Stembureau => Level::Stembureau,
        results::Level::Gemeente => Level::Gemeente,
        results::Level::Kieskring => Level::Kieskring,
        results::Level::Provincie => Level::Land,
        results::Level::Totaal => {
            if body == Some(kieswet::Body::GR) {
                Level::Gemeente
            } else {
                Level::Land
            }
        }
    }
}

fn unit_web_id(key: &str) -> String {
    if key == "totaal" {
        return "totaal".into();
    }
    if let Some(k) = key.strip_prefix("kieskring:") {
        return format!("kk{}", slug(k));
    }
    if let Some(g) = key.strip_prefix("gemeente:") {
        return format!("g{}", slug(g));
    }
    if let Some(s) = key.strip_prefix("stembureau:") {
        return format!("sb{}", slug(s));
    }
    slug(key)
}

fn unit_name(u: &results::Unit, body: Option<kieswet::Body>) -> String {
    let name = if u.name.is_empty() {
        u.id.clone()
    } else {
        u.name.clone()
    };
    match u.level {
        results::Level::Kieskring => {
            let n = u.key.strip_prefix("kieskring:").unwrap_or(&u.id);
            if name == n {
                format!("Kieskring {n}")
            } else {
                format!("Kieskring {n} {name}")
            }
        }
        results::Level::Totaal if name.is_empty() || name == "totaal" => {
            if body == Some(kieswet::Body::TK) {
                "Nederland".into()
            } else {
                "Totaal".into()
            }
        }
        _ => name,
    }
}

/// The party structure: from the engine input (stellen and lijstengroepen exactly as the
/// recomputation sees them) or, when that fails, one list per contest.
fn parties_of(e: &results::ElectionData) -> Vec<PartyData> {
    let locality = |list: usize, cand: usize| {
        e.lists[list].candidates[cand]
            .candidate
            .locality
            .clone()
            .filter(|s| !s.is_empty())
    };
    let first_name = |list: usize, cand: usize| {
        e.lists[list].candidates[cand]
            .candidate
            .name
            .first_name
            .clone()
            .filter(|s| !s.trim().is_empty())
    };
    if let Ok(input) = results::recompute::engine_input(e) {
        return input
            .election
            .parties
            .iter()
            .zip(&input.refs)
            .map(|(p, refs)| PartyData {
                number: p.number,
                name: p.name.clone(),
                lists: p
                    .lists
                    .iter()
                    .zip(refs)
                    .map(|(l, r)| ListData {
                        kieskringen: l.kieskringen.to_vec(),
                        candidates: l
                            .candidates
                            .iter()
                            .zip(r)
                            .map(|(c, d)| CandidateData {
                                position: c.position,
                                name: c.name.clone(),
                                person_id: Some(c.person.to_string()),
                                locality: locality(d.list, d.candidate),
                                first_name: first_name(d.list, d.candidate),
                                deceased: c.deceased,
                            })
                            .collect(),
                    })
                    .collect(),
            })
            .collect();
    }
    let mut parties: Vec<PartyData> = Vec::new();
    for (li, l) in e.lists.iter().enumerate() {
        let list = ListData {
            kieskringen: l.kieskring().into_iter().collect(),
            candidates: l
                .candidates
                .iter()
                .enumerate()
                .map(|(ci, c)| CandidateData {
                    position: u32::try_from(ci + 1).unwrap_or(u32::MAX),
                    name: c.display_name(),
                    person_id: Some(c.person.clone()),
                    locality: locality(li, ci),
                    first_name: first_name(li, ci),
                    deceased: false,
                })
                .collect(),
        };
        match parties.iter_mut().find(|p| p.number == l.number) {
            Some(p) => p.lists.push(list),
            None => parties.push(PartyData {
                number: l.number,
                name: results::model::list_label(l.number, &l.name),
                lists: vec![list],
            }),
        }
    }
    parties.sort_by_key(|p| p.number);
    parties
}

/// The lots the recomputation drew (taken from the official result), in order.
fn lots_of(v: &Verification) -> Vec<LotChoice> {
    v.outcome
        .as_ref()
        .map(|o| {
            o.steps
                .iter()
                .filter_map(|s| match s {
                    Step::Lot(l) => Some(l.drawn.clone()),
                    _ => None,
                })
                .collect()
        })
        .unwrap_or_default()
}

/// Units and counts: every unit found in the files, in tree order (parents first).
/// Units, counts, the griffier's figures per unit, and the web id of each unit by the label
/// the checks give it in a finding (`stembureau Naam (0310::SB7)`), and by its results key
/// (`gemeente:0310::SB7`).
type Tree = (
    Vec<UnitData>,
    Vec<CountData>,
    Vec<Figure>,
    HashMap<String, String>,
    HashMap<String, String>,
);

fn units_and_counts(e: &results::ElectionData, body: Option<kieswet::Body>) -> Tree {
    // Parent of each key, first unit seen per key, in order of appearance.
    let mut keys: Vec<&str> = Vec::new();
    let mut parent: HashMap<&str, &str> = HashMap::new();
    let mut seen: HashSet<&str> = HashSet::new();
    for f in &e.fragments {
        if seen.insert(&f.parent.key) {
            keys.push(&f.parent.key);
        }
        for c in &f.children {
            if seen.insert(&c.key) {
                keys.push(&c.key);
            }
            parent.entry(&c.key).or_insert(&f.parent.key);
        }
    }
    // Kiesgerechtigden from the highest-level file that states them: a kieskring's figure in
    // the 510d (what the centraal stembureau established) over the one in the kieskring's
    // own 510c, the nation's in the 510d over the sum of its parts.
    let mut stated: HashMap<&str, (results::Level, u64)> = HashMap::new();
    for f in &e.fragments {
        let level = f.parent.level;
        for u in std::iter::once(&f.parent).chain(&f.children) {
            let entry = stated.entry(&u.key).or_insert((level, u.votes.cast));
            if level > entry.0 {
                *entry = (level, u.votes.cast);
            }
        }
    }
    let kieskring_contests = e
        .contests()
        .iter()
        .any(|c| results::model::kieskring_number(c).is_some());
    let single_contest = e.contests().first().map(ToString::to_string);
    let root = keys
        .iter()
        .copied()
        .find(|k| *k == "totaal")
        .or_else(|| keys.iter().copied().find(|k| !parent.contains_key(k)));
    // Children in order of appearance.
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for &k in &keys {
        let p = parent.get(k).copied().or_else(|| root.filter(|r| *r != k));
        if let Some(p) = p {
            children.entry(p).or_default().push(k);
        }
    }
    let mut order: Vec<(&str, Option<&str>)> = Vec::new();
    let mut stack: Vec<(&str, Option<&str>)> = Vec::new();
    if let Some(r) = root {
        stack.push((r, None));
    }
    let mut placed: HashSet<&str> = HashSet::new();
    while let Some((k, p)) = stack.pop() {
        if !placed.insert(k) {
            continue;
        }
        order.push((k, p));
        if let Some(cs) = children.get(k) {
            for c in cs.iter().rev() {
                stack.push((c, Some(k)));
            }
        }
    }
    // Unique URL ids.
    let mut ids: HashMap<&str, String> = HashMap::new();
    let mut used: HashSet<String> = HashSet::new();
    for &(k, _) in &order {
        let base = unit_web_id(k);
        let mut id = if base.is_empty() {
            "u".to_string()
        } else {
            base
        };
        let mut n = 2;
        while used.contains(&id) {
            id = format!("{}-{n}", unit_web_id(k));
            n += 1;
        }
        used.insert(id.clone());
        ids.insert(k, id);
    }
    // Lists per contest, for mapping candidate votes to positions.
    let mut units = Vec::with_capacity(order.len());
    let mut counts = Vec::new();
    let mut kieskring_of: HashMap<&str, Option<u32>> = HashMap::new();
    let mut figures = Vec::new();
    let mut labels = HashMap::new();
    for &(k, p) in &order {
        let Some(u) = e.unit(k) else { continue };
        // The label `results::checks` puts in a finding's `unit`.
        labels.insert(
            format!("{} {}", u.level.name_nl(), u.label()),
            ids[k].clone(),
        );
        figures.extend(crate::griffier::of_votes(&ids[k], &u.votes));
        let own_kk = k.strip_prefix("kieskring:").and_then(|n| n.parse().ok());
        let kk = own_kk.or_else(|| p.and_then(|p| kieskring_of.get(p).copied().flatten()));
        kieskring_of.insert(k, kk);
        // The contest as the candidate lists write it (`7`, or `I` in PS Limburg).
        let contest = if kieskring_contests {
            kk.and_then(|n| {
                e.lists
                    .iter()
                    .find(|l| l.kieskring() == Some(n))
                    .map_or_else(|| Some(n.to_string()), |l| Some(l.contest.clone()))
            })
        } else {
            single_contest.clone()
        };
        let id = ids[k].clone();
        let own = contest.is_some();
        if let Some(contest) = &contest {
            for l in e.lists.iter().filter(|l| &l.contest == contest) {
                let Some(lv) = u.votes.list(l.number) else {
                    continue;
                };
                let mut candidate_sum = 0u64;
                for (ci, c) in l.candidates.iter().enumerate() {
                    let v = lv
                        .candidate(c.candidate.id)
                        .or_else(|| {
                            lv.candidates
                                .iter()
                                .find(|x| x.short_code.as_deref() == Some(c.person.as_str()))
                        })
                        .map_or(0, |x| x.valid_votes);
                    candidate_sum = candidate_sum.saturating_add(v);
                    if v > 0 {
                        counts.push(CountData {
                            unit: id.clone(),
                            party: l.number,
                            position: u32::try_from(ci + 1).unwrap_or(u32::MAX),
                            votes: v,
                        });
                    }
                }
                let list_votes = lv.valid_votes.saturating_sub(candidate_sum);
                if list_votes > 0 {
                    counts.push(CountData {
                        unit: id.clone(),
                        party: l.number,
                        position: 0,
                        votes: list_votes,
                    });
                }
            }
        }
        units.push(UnitData {
            id,
            parent: p.map(|p| ids[p].clone()),
            level: level_of(u.level, body),
            name: unit_name(u, body),
            kieskring: own_kk,
            electorate: stated.get(k).map(|x| x.1),
            blank: if own { u.votes.rejected.blank } else { 0 },
            invalid: if own { u.votes.rejected.invalid } else { 0 },
            own_totals: own,
        });
    }
    let ids = ids.into_iter().map(|(k, id)| (k.to_string(), id)).collect();
    (units, counts, figures, labels, ids)
}

fn official_json(e: &results::ElectionData) -> Option<String> {
    let o = e.official.as_ref()?;
    let lists: Vec<serde_json::Value> = o
        .lists
        .iter()
        .map(|l| {
            serde_json::json!({
                "number": l.number,
                "name": l.name,
                "seats": l.seats,
                "elected": l.elected.iter().map(|c| serde_json::json!({
                    "name": c.name,
                    "short_code": c.short_code,
                    "preference": c.ranking.map(|r| r == eml::Ranking::Preference),
                })).collect::<Vec<_>>(),
            })
        })
        .collect();
    serde_json::to_string(&serde_json::json!({
        "file": short_files(&e.files[o.file]),
        "lists": lists,
    }))
    .ok()
}

/// Official and recomputed elected candidates side by side.
fn candidate_rows(e: &results::ElectionData, v: &Verification) -> Vec<StoredCandidate> {
    let mut rows: Vec<StoredCandidate> = Vec::new();
    let mut used = vec![false; v.elected.len()];
    if let Some(off) = &e.official {
        for l in &off.lists {
            for oc in &l.elected {
                let hit = (0..v.elected.len())
                    .filter(|&i| !used[i] && v.elected[i].list == l.number)
                    .find(|&i| {
                        let d = v.elected[i].def;
                        oc.matches(&e.lists[d.list].candidates[d.candidate])
                    })
                    .or_else(|| {
                        (0..v.elected.len())
                            .filter(|&i| !used[i] && v.elected[i].list == l.number)
                            .find(|&i| {
                                let d = v.elected[i].def;
                                oc.matches_loosely(&e.lists[d.list].candidates[d.candidate])
                            })
                    });
                let official_preference = oc.ranking.map(|r| r == eml::Ranking::Preference);
                if let Some(i) = hit {
                    used[i] = true;
                    let c = &v.elected[i];
                    rows.push(StoredCandidate {
                        list: l.number,
                        name: c.name.clone(),
                        position: Some(c.position),
                        official: Some(true),
                        computed: true,
                        official_preference,
                        computed_preference: Some(c.by_preference),
                    });
                } else {
                    let position = oc.position.or_else(|| {
                        e.lists
                            .iter()
                            .filter(|d| d.number == l.number)
                            .find_map(|d| {
                                d.candidates
                                    .iter()
                                    .position(|c| oc.matches_loosely(c))
                                    .and_then(|p| u32::try_from(p + 1).ok())
                            })
                    });
                    rows.push(StoredCandidate {
                        list: l.number,
                        name: oc.name.clone(),
                        position,
                        official: Some(true),
                        computed: false,
                        official_preference,
                        computed_preference: None,
                    });
                }
            }
        }
    }
    for (i, c) in v.elected.iter().enumerate() {
        if !used[i] {
            rows.push(StoredCandidate {
                list: c.list,
                name: c.name.clone(),
                position: Some(c.position),
                official: e.official.as_ref().map(|_| false),
                computed: true,
                official_preference: None,
                computed_preference: Some(c.by_preference),
            });
        }
    }
    rows.sort_by_key(|r| (r.list, r.position.unwrap_or(u32::MAX)));
    rows
}

fn status_code(s: results::Status) -> &'static str {
    match s {
        results::Status::Ok => "ok",
        results::Status::Lot => "lot",
        results::Status::Mismatch => "mismatch",
        results::Status::Damaged => "damaged",
        results::Status::Incomplete => "incomplete",
        results::Status::NoOfficialResult => "no_official",
    }
}

/// Converts one assembled and verified election.
pub fn convert(
    e: &results::ElectionData,
    v: &Verification,
) -> (ElectionData, VerificationReport, Vec<Figure>) {
    let body = e.body;
    let (units, counts, figures, labels, unit_ids) = units_and_counts(e, body);
    let finding = |f: &Finding| {
        let mut s = finding(f);
        s.unit_id = s.unit.as_ref().and_then(|u| labels.get(u).cloned());
        s
    };
    let mut files: Vec<String> = e.files.iter().map(|f| short_file(f)).collect();
    files.dedup();
    let description = format!(
        "Ingelezen uit {} bestand{}.",
        files.len(),
        if files.len() == 1 { "" } else { "en" }
    );
    let date = e
        .identifier
        .election_date
        .clone()
        .filter(|d| !d.is_empty())
        .unwrap_or_default();
    let data = ElectionData {
        id: election_id(&e.id),
        name: if e.name.is_empty() {
            e.id.clone()
        } else {
            e.name.clone()
        },
        body: body.unwrap_or(kieswet::Body::GR),
        date,
        seats: e.seats.unwrap_or(0),
        source: Source::Import,
        description,
        preference_threshold_percent: e.preference_threshold_percent,
        lots: lots_of(v),
        parties: parties_of(e),
        units,
        counts,
        official: official_json(e),
    };
    let mut report = VerificationReport {
        election: e.id.clone(),
        status: status_code(v.status).into(),
        matches: v.matches,
        seats: v.seats,
        lists: v
            .lists
            .iter()
            .map(|l| StoredListSeats {
                number: l.number,
                name: l.name.clone(),
                official_seats: l.official_seats,
                computed_seats: l.computed_seats,
            })
            .collect(),
        candidates: candidate_rows(e, v),
        mismatches: v.mismatches.iter().map(finding).collect(),
        lots: v
            .lots
            .iter()
            .map(|l| StoredLot {
                reason_nl: l.reason_nl.clone(),
                options: l.options.clone(),
                drawn: l.drawn.clone(),
                accepted: l.accepted,
                message_nl: l.message_nl.clone(),
                message_en: l.message_en.clone(),
            })
            .collect(),
        warnings: v.warnings.iter().map(finding).collect(),
        errors: v.errors.iter().map(finding).collect(),
        files,
        investigations: v
            .investigations
            .iter()
            .filter_map(|i| {
                Some(StoredInvestigation {
                    unit: unit_ids.get(&i.key)?.clone(),
                    investigated: i.investigated,
                    corrected: i.corrected,
                    summary_nl: i.summary_nl(),
                    summary_en: i.summary_en(),
                })
            })
            .collect(),
    };
    // The web app's status, narrowed from the comparison's: `ok` only without errors,
    // `no_official` when there is nothing official to compare with.
    report.status = report.result_status().code().into();
    (data, report, figures)
}

/// Stores the verification of an election (after [`crate::store::save`]).
pub fn save_report(conn: &Connection, id: &str, r: &VerificationReport) -> rusqlite::Result<()> {
    let json = serde_json::to_string(r).unwrap_or_else(|_| "{}".into());
    conn.execute(
        "INSERT OR REPLACE INTO web_verifications (election_id, status, matches, errors, warnings, report_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![
            id,
            r.status,
            r.matches,
            i64::try_from(r.errors.len()).unwrap_or(i64::MAX),
            i64::try_from(r.warnings.len()).unwrap_or(i64::MAX),
            json
        ],
    )?;
    Ok(())
}

/// The verification of an imported election.
pub fn load_report(conn: &Connection, id: &str) -> rusqlite::Result<Option<VerificationReport>> {
    let json: Option<String> = conn
        .query_row(
            "SELECT report_json FROM web_verifications WHERE election_id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(json.and_then(|j| serde_json::from_str(&j).ok()))
}

/// Why an election cannot be imported, if it cannot: without candidate lists there is
/// nothing to show, without a seat count nothing to compute (an OSV4-3 table on its own has
/// neither seats nor a result), without counts no votes.
fn not_importable(
    e: &results::ElectionData,
    v: &Verification,
    data: &ElectionData,
) -> Option<(String, String)> {
    let unreadable: Vec<String> = v
        .errors
        .iter()
        .filter(|f| f.code == "E-BESTAND-ONLEESBAAR")
        .map(|f| {
            // Only the file's own name, so the sentence stays short.
            f.files
                .iter()
                .flat_map(|x| x.split(", "))
                .fold(f.message_nl.clone(), |m, x| {
                    let base = x.rsplit(['/', '\\', '!']).next().unwrap_or(x);
                    m.replace(x, base)
                })
        })
        .collect();
    let damaged = if unreadable.is_empty() {
        (String::new(), String::new())
    } else {
        (
            format!(" Onleesbaar: {}.", unreadable.join("; ")),
            format!(" Unreadable: {}.", unreadable.join("; ")),
        )
    };
    let (nl, en) = if e.lists.is_empty() {
        (
            "Er zijn geen kandidatenlijsten (EML 230b of OSV4-3) voor deze verkiezing.",
            "There are no candidate lists (EML 230b or OSV4-3) for this election.",
        )
    } else if data.seats == 0 {
        (
            "Het aantal zetels is onbekend. Lees de verkiezingsdefinitie (EML 110a) of de uitslag (EML 520) mee in.",
            "The number of seats is unknown. Import the election definition (EML 110a) or the result (EML 520) with it.",
        )
    } else if data.units.is_empty() {
        (
            "Er zijn geen tellingen (EML 510 of CSV) voor deze verkiezing.",
            "There are no counts (EML 510 or CSV) for this election.",
        )
    } else {
        return None;
    };
    Some((format!("{nl}{}", damaged.0), format!("{en}{}", damaged.1)))
}

/// Stores one election with its report and a new version in one transaction: after a crash
/// the database holds either the whole new version or the old one.
fn store_election(
    conn: &mut Connection,
    data: &ElectionData,
    report: &VerificationReport,
    figures: &[Figure],
    files: Vec<FileHash>,
    user: &str,
    run: Option<i64>,
) -> rusqlite::Result<(u32, Changes)> {
    let tx = conn.transaction()?;
    let prev = versions::previous(&tx, &data.id)?;
    let changes = versions::changes(prev.as_ref(), data, report, &files);
    let version = prev.as_ref().map_or(1, |p| p.version + 1);
    crate::store::save_in(&tx, data)?;
    save_report(&tx, &data.id, report)?;
    crate::griffier::save(&tx, &data.id, figures)?;
    versions::record(
        &tx,
        &data.id,
        &Version {
            version,
            imported_at: webkit::now(),
            user: user.to_string(),
            run,
            status: report.status.clone(),
            files,
            changes: changes.clone(),
        },
    )?;
    tx.commit()?;
    Ok((version, changes))
}

/// Verifies and stores every election in a loaded bundle, each in its own transaction, as a
/// new version; an election that cannot be shown or computed is listed with the reason.
pub fn import_bundle(
    conn: &mut Connection,
    bundle: eml::Bundle,
    input: &Input,
) -> rusqlite::Result<Summary> {
    let files = input.files.all();
    let run = versions::start_run(conn, &input.user, &files)?;
    let skipped = bundle
        .skipped
        .iter()
        .map(|s| short_file(&s.to_string()))
        .collect();
    let report = results::verify_bundle(bundle, &mut |_, _| {});
    let mut summary = Summary {
        run: Some(run),
        errors: report.errors.iter().map(finding).collect(),
        skipped,
        exit_code: report.exit_code(),
        files,
        ..Summary::default()
    };
    for (e, v) in report.data.iter().zip(&report.elections) {
        let (data, rep, figures) = convert(e, v);
        // Not stored, with the reason: nothing to show (no candidate lists, no seat count, no
        // counts), or a number no real election has (the pages add counts up over units).
        let too_large = beyond_limits(&data);
        let refusal = not_importable(e, v, &data).or_else(|| {
            too_large
                .as_ref()
                .map(|f| (f.message_nl.clone(), f.message_en.clone()))
        });
        summary.errors.extend(too_large);
        if let Some((reason_nl, reason_en)) = refusal {
            summary.not_imported.push(NotImported {
                election: e.id.clone(),
                name: data.name.clone(),
                reason_nl,
                reason_en,
            });
            continue;
        }
        let files = input.files.of_sources(&e.files);
        let (version, changes) =
            store_election(conn, &data, &rep, &figures, files, &input.user, Some(run))?;
        summary.elections.push(Imported {
            id: data.id.clone(),
            name: data.name.clone(),
            status: rep.status.clone(),
            matches: rep.matches,
            errors: rep.errors.len(),
            warnings: rep.warnings.len(),
            units: data.units.len(),
            counts: data.counts.len(),
            version,
            changes,
        });
    }
    versions::finish_run(
        conn,
        run,
        &serde_json::to_string(&summary).unwrap_or_else(|_| "{}".into()),
    )?;
    Ok(summary)
}

/// A finding when an election holds a number no real election has: a count above
/// [`kieswet::MAX_VOTES`] (the engine's bound for all votes together) or more seats than
/// [`kieswet::MAX_SEATS`]. Such an election is reported but not stored, so that the pages,
/// which add counts up over units, only ever see numbers whose sums fit (issue 14: two counts
/// of u64::MAX made a page panic).
fn beyond_limits(data: &ElectionData) -> Option<StoredFinding> {
    let largest = data
        .counts
        .iter()
        .map(|c| c.votes)
        .chain(
            data.units
                .iter()
                .flat_map(|u| [u.electorate.unwrap_or(0), u.blank, u.invalid]),
        )
        .max()
        .unwrap_or(0);
    if largest <= kieswet::MAX_VOTES && data.seats <= kieswet::MAX_SEATS {
        return None;
    }
    let (nl, en) = if data.seats > kieswet::MAX_SEATS {
        (
            format!(
                "{}: {} zetels is meer dan de {} die Stembus aankan; de verkiezing is niet opgeslagen",
                data.id,
                data.seats,
                kieswet::MAX_SEATS
            ),
            format!(
                "{}: {} seats is more than the {} Stembus handles; the election was not stored",
                data.id,
                data.seats,
                kieswet::MAX_SEATS
            ),
        )
    } else {
        (
            format!(
                "{}: een aantal van {largest} is groter dan {} (meer dan alle stemmen samen kunnen zijn); de verkiezing is niet opgeslagen",
                data.id,
                kieswet::MAX_VOTES
            ),
            format!(
                "{}: a count of {largest} is larger than {} (more than all votes together can be); the election was not stored",
                data.id,
                kieswet::MAX_VOTES
            ),
        )
    };
    Some(StoredFinding {
        severity: "error".into(),
        code: "E-AANTAL-TE-GROOT".into(),
        message_nl: nl,
        message_en: en,
        found: Some(largest),
        expected: Some(kieswet::MAX_VOTES),
        files: Vec::new(),
        unit: None,
        unit_id: None,
    })
}

/// Imports files, folders and zips from disk.
pub fn import_paths(
    conn: &mut Connection,
    paths: &[PathBuf],
    user: &str,
) -> rusqlite::Result<Summary> {
    let input = Input {
        user: user.to_string(),
        files: InputFiles::from_paths(paths),
    };
    import_bundle(conn, eml::load_paths(paths), &input)
}

/// Imports uploaded files (zips, EML or CSV files, or the files of a folder) with the zip
/// defences of the `eml` loader; `max_size` caps every file and every uncompressed entry.
pub fn import_upload(
    conn: &mut Connection,
    uploads: &[(String, Vec<u8>)],
    user: &str,
    max_size: u64,
) -> rusqlite::Result<Summary> {
    let opts = upload_options(max_size);
    let mut bundle = eml::Bundle::default();
    let mut input = Input {
        user: user.to_string(),
        files: InputFiles::default(),
    };
    for (i, (file_name, bytes)) in uploads.iter().enumerate() {
        // A folder upload names files `folder/sub/file.xml`: keep the path (for grouping
        // OSV4-3 files by folder), never anything above it.
        let name: String = file_name
            .split(['/', '\\'])
            .filter(|p| !p.is_empty() && *p != "." && *p != "..")
            .collect::<Vec<_>>()
            .join("/");
        let name = if name.is_empty() {
            format!("upload-{}", i + 1)
        } else {
            name
        };
        let short = name.rsplit('/').next().unwrap_or(&name).to_string();
        input.files.add(&name, &short, bytes);
        let b = eml::load_bytes(&SourceRef::file(name), bytes, &opts);
        bundle.documents.extend(b.documents);
        bundle.problems.extend(b.problems);
        bundle.skipped.extend(b.skipped);
    }
    import_bundle(conn, bundle, &input)
}

/// Load limits for uploads: the defaults, tightened to the upload size (uncompressed at most
/// 16× the limit, 512 MiB per entry at most).
pub fn upload_options(max_size: u64) -> LoadOptions {
    let d = LoadOptions::default();
    LoadOptions {
        max_file_size: max_size,
        max_entry_size: d.max_entry_size.min(max_size.saturating_mul(16)),
        max_total_uncompressed: d.max_total_uncompressed.min(max_size.saturating_mul(16)),
        max_entries: 10_000,
        ..d
    }
}
