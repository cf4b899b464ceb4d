//! Migration 0003 also adds `web_unit_figures` ([`crate::griffier`]), and marks elections
//! imported before it that were "ok" with errors in their counts as `count_errors` (and drops
//! "Officiële uitslag" from their description: the status says what they are).
//!
//! Imports as versions: every import of an election adds a version (time, user, the SHA-256 of
//! each file it came from, and what changed against the version before: status, seats per
//! list, elected candidates, counts), and every import run keeps its table of what happened
//! to each election. Nothing is overwritten silently: the history page shows every version.
//!
//! The version row is written in the same transaction as the election and its report
//! ([`crate::import::store_election`]), so a version exists exactly when its election was
//! stored whole.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use webkit::rusqlite::{self, Connection, OptionalExtension, params};

use crate::import::VerificationReport;
use crate::model::ElectionData;

/// Import runs and election versions.
pub const MIGRATION_0003: &str = "
CREATE TABLE web_import_runs (
    id INTEGER PRIMARY KEY,
    started_at INTEGER NOT NULL,
    user_name TEXT NOT NULL,
    files_json TEXT NOT NULL,
    finished INTEGER NOT NULL DEFAULT 0,
    summary_json TEXT NOT NULL DEFAULT '{}'
);
CREATE TABLE web_versions (
    election_id TEXT NOT NULL,
    version INTEGER NOT NULL,
    imported_at INTEGER NOT NULL,
    user_name TEXT NOT NULL,
    run_id INTEGER,
    status TEXT NOT NULL,
    files_json TEXT NOT NULL,
    changes_json TEXT NOT NULL,
    PRIMARY KEY (election_id, version)
);
CREATE TABLE web_unit_figures (
    election_id TEXT NOT NULL REFERENCES web_elections(id) ON DELETE CASCADE,
    unit_id TEXT NOT NULL,
    code TEXT NOT NULL,
    value INTEGER NOT NULL,
    PRIMARY KEY (election_id, unit_id, code)
) WITHOUT ROWID;
UPDATE web_verifications SET status = 'count_errors' WHERE status IN ('ok', 'lot') AND errors > 0;
UPDATE web_elections SET description = replace(description, 'Officiële uitslag, ingelezen uit', 'Ingelezen uit')
    WHERE source = 'import';
";

/// One input file: its name as shown (no folders of the importing computer) and its SHA-256.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct FileHash {
    pub name: String,
    pub sha256: String,
    pub bytes: u64,
}

/// The SHA-256 of some bytes, in lower-case hex.
pub fn sha256_hex(bytes: &[u8]) -> String {
    let digest = Sha256::digest(bytes);
    let mut s = String::with_capacity(64);
    for b in digest {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The files given to an import, keyed by the path as the loader writes it (the part of a
/// source before any `!entry`): hashed as they are, folders walked like the loader walks them.
#[derive(Clone, Debug, Default)]
pub struct InputFiles {
    by_path: BTreeMap<String, FileHash>,
}

impl InputFiles {
    /// Adds bytes given under a name (an upload).
    pub fn add(&mut self, path: &str, name: &str, bytes: &[u8]) {
        self.by_path.insert(
            path.to_string(),
            FileHash {
                name: name.to_string(),
                sha256: sha256_hex(bytes),
                bytes: bytes.len() as u64,
            },
        );
    }

    /// Hashes files and folders on disk (folders recursively, symlinked folders skipped, as
    /// the loader does). Unreadable files are left out; the loader reports them.
    pub fn from_paths(paths: &[PathBuf]) -> InputFiles {
        let mut files = InputFiles::default();
        for p in paths {
            files.walk(p);
        }
        files
    }

    fn walk(&mut self, p: &Path) {
        if p.is_dir() {
            let Ok(rd) = std::fs::read_dir(p) else { return };
            let mut entries: Vec<PathBuf> = rd.filter_map(|e| e.ok().map(|e| e.path())).collect();
            entries.sort();
            for e in entries {
                let link = std::fs::symlink_metadata(&e).is_ok_and(|m| m.file_type().is_symlink());
                if !(link && e.is_dir()) {
                    self.walk(&e);
                }
            }
        } else if let Ok(bytes) = std::fs::read(p) {
            let name = p.file_name().map_or_else(
                || p.display().to_string(),
                |n| n.to_string_lossy().into_owned(),
            );
            self.add(&p.display().to_string(), &name, &bytes);
        }
    }

    /// Every file, in path order.
    pub fn all(&self) -> Vec<FileHash> {
        self.by_path.values().cloned().collect()
    }

    /// The input files an election's sources came from (`path!entry` → the file at `path`).
    pub fn of_sources(&self, sources: &[String]) -> Vec<FileHash> {
        let mut out: Vec<FileHash> = Vec::new();
        for s in sources {
            let path = s.split_once('!').map_or(s.as_str(), |(p, _)| p);
            if let Some(f) = self.by_path.get(path)
                && !out.contains(f)
            {
                out.push(f.clone());
            }
        }
        out
    }
}

/// Seats of one list before and after.
#[derive(Clone, Debug, Serialize, Deserialize, PartialEq, Eq)]
pub struct SeatChange {
    pub number: u32,
    pub name: String,
    pub before: Option<u32>,
    pub after: Option<u32>,
}

/// What a version changed against the version before it.
#[derive(Clone, Debug, Default, Serialize, Deserialize, PartialEq, Eq)]
pub struct Changes {
    /// The version this one replaces (`None` for the first).
    pub replaces: Option<u32>,
    /// Status before, when it changed.
    pub status_before: Option<String>,
    /// Lists whose (computed) seats changed.
    pub seats: Vec<SeatChange>,
    /// Elected now and not before (`list: name`) …
    pub elected_in: Vec<String>,
    /// … and elected before, not now.
    pub elected_out: Vec<String>,
    /// Counts (votes per unit, list and candidate) with another number, new, or gone.
    pub counts_changed: u64,
    pub counts_added: u64,
    pub counts_removed: u64,
    /// Reporting units new or gone, and units whose electorate, blank or invalid changed.
    pub units_added: u64,
    pub units_removed: u64,
    pub units_changed: u64,
    /// The input files were byte for byte the same as before.
    pub same_files: bool,
}

impl Changes {
    /// Nothing in the result changed.
    pub fn is_empty(&self) -> bool {
        self.status_before.is_none()
            && self.seats.is_empty()
            && self.elected_in.is_empty()
            && self.elected_out.is_empty()
            && self.counts_changed + self.counts_added + self.counts_removed == 0
            && self.units_added + self.units_removed + self.units_changed == 0
    }

    /// One sentence (Dutch or English) that says what changed.
    pub fn describe(&self, lang: webkit::Lang) -> String {
        let Some(v) = self.replaces else {
            return lang.t("Eerste versie.", "First version.").to_string();
        };
        if self.is_empty() {
            return match lang {
                webkit::Lang::Nl => format!("Niets veranderd ten opzichte van versie {v}."),
                webkit::Lang::En => format!("Nothing changed since version {v}."),
            };
        }
        let mut parts: Vec<String> = Vec::new();
        if let Some(s) = &self.status_before {
            parts.push(match lang {
                webkit::Lang::Nl => format!("uitkomst was: {}", crate::status::label_of(lang, s)),
                webkit::Lang::En => format!("outcome was: {}", crate::status::label_of(lang, s)),
            });
        }
        if !self.seats.is_empty() {
            let list: Vec<String> = self
                .seats
                .iter()
                .map(|s| {
                    let n = |x: Option<u32>| x.map_or_else(|| "–".to_string(), |x| x.to_string());
                    format!("{} {}: {} → {}", s.number, s.name, n(s.before), n(s.after))
                })
                .collect();
            parts.push(format!("{} {}", lang.t("zetels", "seats"), list.join(", ")));
        }
        if !self.elected_in.is_empty() || !self.elected_out.is_empty() {
            parts.push(match lang {
                webkit::Lang::Nl => format!(
                    "{} nieuw gekozen, {} niet meer gekozen",
                    self.elected_in.len(),
                    self.elected_out.len()
                ),
                webkit::Lang::En => format!(
                    "{} newly elected, {} no longer elected",
                    self.elected_in.len(),
                    self.elected_out.len()
                ),
            });
        }
        let counts = self.counts_changed + self.counts_added + self.counts_removed;
        if counts > 0 {
            parts.push(match lang {
                webkit::Lang::Nl => format!(
                    "{} tellingen anders ({} gewijzigd, {} nieuw, {} weg)",
                    webkit::fmt::int(lang, counts),
                    webkit::fmt::int(lang, self.counts_changed),
                    webkit::fmt::int(lang, self.counts_added),
                    webkit::fmt::int(lang, self.counts_removed)
                ),
                webkit::Lang::En => format!(
                    "{} counts differ ({} changed, {} new, {} gone)",
                    webkit::fmt::int(lang, counts),
                    webkit::fmt::int(lang, self.counts_changed),
                    webkit::fmt::int(lang, self.counts_added),
                    webkit::fmt::int(lang, self.counts_removed)
                ),
            });
        }
        let units = self.units_added + self.units_removed + self.units_changed;
        if units > 0 {
            parts.push(match lang {
                webkit::Lang::Nl => format!("{} gebieden anders", webkit::fmt::int(lang, units)),
                webkit::Lang::En => format!("{} areas differ", webkit::fmt::int(lang, units)),
            });
        }
        match lang {
            webkit::Lang::Nl => format!("Anders dan versie {v}: {}.", parts.join("; ")),
            webkit::Lang::En => format!("Different from version {v}: {}.", parts.join("; ")),
        }
    }
}

/// The stored state an import is compared with.
pub struct Previous {
    pub version: u32,
    pub data: Option<ElectionData>,
    pub report: Option<VerificationReport>,
    pub files: Vec<FileHash>,
}

/// The latest version of an election, with what is stored for it now.
pub fn previous(conn: &Connection, id: &str) -> rusqlite::Result<Option<Previous>> {
    let head: Option<(u32, String)> = conn
        .query_row(
            "SELECT version, files_json FROM web_versions WHERE election_id = ?1
             ORDER BY version DESC LIMIT 1",
            [id],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let data = crate::store::load(conn, id)?;
    let (version, files) = match head {
        Some((v, f)) => (v, serde_json::from_str(&f).unwrap_or_default()),
        // Stored before versions existed: it counts as version 1.
        None if data.is_some() => (1, Vec::new()),
        None => return Ok(None),
    };
    Ok(Some(Previous {
        version,
        report: crate::import::load_report(conn, id)?,
        data,
        files,
    }))
}

fn elected_set(r: Option<&VerificationReport>) -> BTreeSet<(u32, String)> {
    r.map(|r| {
        r.candidates
            .iter()
            .filter(|c| c.computed)
            .map(|c| (c.list, c.name.clone()))
            .collect()
    })
    .unwrap_or_default()
}

/// What changed from `prev` to the new data and report.
pub fn changes(
    prev: Option<&Previous>,
    data: &ElectionData,
    report: &VerificationReport,
    files: &[FileHash],
) -> Changes {
    let Some(prev) = prev else {
        return Changes::default();
    };
    let mut c = Changes {
        replaces: Some(prev.version),
        same_files: !files.is_empty() && prev.files == files,
        ..Changes::default()
    };
    if let Some(r) = &prev.report
        && r.status != report.status
    {
        c.status_before = Some(r.status.clone());
    }
    let before_seats: HashMap<u32, Option<u32>> = prev
        .report
        .as_ref()
        .map(|r| {
            r.lists
                .iter()
                .map(|l| (l.number, l.computed_seats))
                .collect()
        })
        .unwrap_or_default();
    let mut numbers: BTreeSet<u32> = before_seats.keys().copied().collect();
    numbers.extend(report.lists.iter().map(|l| l.number));
    for n in numbers {
        let before = before_seats.get(&n).copied().flatten();
        let after_list = report.lists.iter().find(|l| l.number == n);
        let after = after_list.and_then(|l| l.computed_seats);
        // A list without seats may be absent from one report and 0 in the other.
        if before.unwrap_or(0) != after.unwrap_or(0) {
            let name = after_list.map(|l| l.name.clone()).or_else(|| {
                prev.report
                    .as_ref()
                    .and_then(|r| r.lists.iter().find(|l| l.number == n))
                    .map(|l| l.name.clone())
            });
            c.seats.push(SeatChange {
                number: n,
                name: name.unwrap_or_default(),
                before,
                after,
            });
        }
    }
    let (old, new) = (elected_set(prev.report.as_ref()), elected_set(Some(report)));
    let label = |(l, n): &(u32, String)| format!("{l}: {n}");
    c.elected_in = new.difference(&old).map(label).collect();
    c.elected_out = old.difference(&new).map(label).collect();
    if let Some(old) = &prev.data {
        let key = |x: &crate::model::CountData| (x.unit.clone(), x.party, x.position);
        let before: HashMap<(String, u32, u32), u64> =
            old.counts.iter().map(|x| (key(x), x.votes)).collect();
        let mut seen = 0u64;
        for x in &data.counts {
            match before.get(&key(x)) {
                Some(&v) => {
                    seen += 1;
                    if v != x.votes {
                        c.counts_changed += 1;
                    }
                }
                None => c.counts_added += 1,
            }
        }
        c.counts_removed = before.len() as u64 - seen;
        let units: HashMap<&str, &crate::model::UnitData> =
            old.units.iter().map(|u| (u.id.as_str(), u)).collect();
        let mut seen = 0u64;
        for u in &data.units {
            match units.get(u.id.as_str()) {
                Some(o) => {
                    seen += 1;
                    if (o.electorate, o.blank, o.invalid) != (u.electorate, u.blank, u.invalid) {
                        c.units_changed += 1;
                    }
                }
                None => c.units_added += 1,
            }
        }
        c.units_removed = units.len() as u64 - seen;
    }
    c
}

/// One version as stored.
#[derive(Clone, Debug, Serialize)]
pub struct Version {
    pub version: u32,
    /// Unix time (seconds).
    pub imported_at: i64,
    pub user: String,
    pub run: Option<i64>,
    pub status: String,
    pub files: Vec<FileHash>,
    pub changes: Changes,
}

/// Records a version (inside the transaction that stores the election).
pub fn record(conn: &Connection, id: &str, v: &Version) -> rusqlite::Result<()> {
    conn.execute(
        "INSERT INTO web_versions (election_id, version, imported_at, user_name, run_id, status, files_json, changes_json)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            v.version,
            v.imported_at,
            v.user,
            v.run,
            v.status,
            serde_json::to_string(&v.files).unwrap_or_else(|_| "[]".into()),
            serde_json::to_string(&v.changes).unwrap_or_else(|_| "{}".into()),
        ],
    )?;
    Ok(())
}

/// Every version of an election, newest first.
pub fn history(conn: &Connection, id: &str) -> rusqlite::Result<Vec<Version>> {
    conn.prepare(
        "SELECT version, imported_at, user_name, run_id, status, files_json, changes_json
         FROM web_versions WHERE election_id = ?1 ORDER BY version DESC",
    )?
    .query_map([id], |r| {
        Ok(Version {
            version: r.get(0)?,
            imported_at: r.get(1)?,
            user: r.get(2)?,
            run: r.get(3)?,
            status: r.get(4)?,
            files: serde_json::from_str(&r.get::<_, String>(5)?).unwrap_or_default(),
            changes: serde_json::from_str(&r.get::<_, String>(6)?).unwrap_or_default(),
        })
    })?
    .collect()
}

/// Starts an import run (its own small transaction: it exists even if the import is cut off,
/// and then shows as not finished).
pub fn start_run(conn: &Connection, user: &str, files: &[FileHash]) -> rusqlite::Result<i64> {
    conn.execute(
        "INSERT INTO web_import_runs (started_at, user_name, files_json) VALUES (?1, ?2, ?3)",
        params![
            webkit::now(),
            user,
            serde_json::to_string(files).unwrap_or_else(|_| "[]".into())
        ],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Stores the outcome of a run.
pub fn finish_run(conn: &Connection, run: i64, summary_json: &str) -> rusqlite::Result<()> {
    conn.execute(
        "UPDATE web_import_runs SET finished = 1, summary_json = ?2 WHERE id = ?1",
        params![run, summary_json],
    )?;
    Ok(())
}

/// A stored run.
#[derive(Clone, Debug)]
pub struct Run {
    pub id: i64,
    pub started_at: i64,
    pub user: String,
    pub files: Vec<FileHash>,
    pub finished: bool,
    pub summary_json: String,
}

pub fn load_run(conn: &Connection, id: i64) -> rusqlite::Result<Option<Run>> {
    conn.query_row(
        "SELECT id, started_at, user_name, files_json, finished, summary_json FROM web_import_runs WHERE id = ?1",
        [id],
        |r| {
            Ok(Run {
                id: r.get(0)?,
                started_at: r.get(1)?,
                user: r.get(2)?,
                files: serde_json::from_str(&r.get::<_, String>(3)?).unwrap_or_default(),
                finished: r.get(4)?,
                summary_json: r.get(5)?,
            })
        },
    )
    .optional()
}

/// `YYYY-MM-DD HH:MM UTC` for a Unix time.
pub fn utc_time(secs: i64) -> String {
    let rem = secs.rem_euclid(86_400);
    let (y, m, d) = webkit::fmt::civil_from_days(secs.div_euclid(86_400));
    format!(
        "{y:04}-{m:02}-{d:02} {:02}:{:02} UTC",
        rem / 3600,
        (rem % 3600) / 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sha256_of_abc() {
        // FIPS 180-2, appendix B.1.
        assert_eq!(
            sha256_hex(b"abc"),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn utc_times() {
        assert_eq!(utc_time(0), "1970-01-01 00:00 UTC");
        assert_eq!(utc_time(1_615_939_200), "2021-03-17 00:00 UTC");
        assert_eq!(utc_time(951_782_400 + 3_661), "2000-02-29 01:01 UTC");
    }
}
