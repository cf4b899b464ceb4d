//! SQLite storage of elections (module prefix `web`).

use kieswet::{Body, LotChoice};
use webkit::rusqlite::{self, Connection, OptionalExtension, params};

use crate::model::{
    CandidateData, CountData, ElectionData, Level, ListData, PartyData, Source, UnitData,
};

pub const MIGRATION_0001: &str = "
CREATE TABLE web_elections (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    body TEXT NOT NULL,
    election_date TEXT NOT NULL,
    seats INTEGER NOT NULL,
    source TEXT NOT NULL,
    description TEXT NOT NULL DEFAULT '',
    preference_threshold_percent INTEGER,
    lots_json TEXT NOT NULL DEFAULT '[]',
    official_json TEXT,
    created_at INTEGER NOT NULL
);
CREATE TABLE web_parties (
    election_id TEXT NOT NULL REFERENCES web_elections(id) ON DELETE CASCADE,
    number INTEGER NOT NULL,
    name TEXT NOT NULL,
    PRIMARY KEY (election_id, number)
);
CREATE TABLE web_lists (
    election_id TEXT NOT NULL,
    party INTEGER NOT NULL,
    list_index INTEGER NOT NULL,
    kieskringen TEXT NOT NULL DEFAULT '',
    PRIMARY KEY (election_id, party, list_index),
    FOREIGN KEY (election_id, party) REFERENCES web_parties(election_id, number) ON DELETE CASCADE
);
CREATE TABLE web_candidates (
    election_id TEXT NOT NULL,
    party INTEGER NOT NULL,
    list_index INTEGER NOT NULL,
    position INTEGER NOT NULL,
    name TEXT NOT NULL,
    person_id TEXT,
    locality TEXT,
    deceased INTEGER NOT NULL DEFAULT 0,
    PRIMARY KEY (election_id, party, list_index, position),
    FOREIGN KEY (election_id, party, list_index) REFERENCES web_lists(election_id, party, list_index) ON DELETE CASCADE
);
CREATE TABLE web_units (
    election_id TEXT NOT NULL REFERENCES web_elections(id) ON DELETE CASCADE,
    id TEXT NOT NULL,
    parent_id TEXT,
    level TEXT NOT NULL,
    name TEXT NOT NULL,
    kieskring INTEGER,
    electorate INTEGER,
    blank INTEGER NOT NULL DEFAULT 0,
    invalid INTEGER NOT NULL DEFAULT 0,
    sort INTEGER NOT NULL,
    PRIMARY KEY (election_id, id)
);
CREATE TABLE web_counts (
    election_id TEXT NOT NULL,
    unit_id TEXT NOT NULL,
    party INTEGER NOT NULL,
    position INTEGER NOT NULL,
    votes INTEGER NOT NULL,
    PRIMARY KEY (election_id, unit_id, party, position),
    FOREIGN KEY (election_id, unit_id) REFERENCES web_units(election_id, id) ON DELETE CASCADE
) WITHOUT ROWID;
";

/// The candidate's first name from the 230b (pages show it beside the list's initials).
pub const MIGRATION_0004_FIRST_NAMES: &str =
    "ALTER TABLE web_candidates ADD COLUMN first_name TEXT;";

/// Imports: units with their own published totals, and the verification of an import.
pub const MIGRATION_0002: &str = "
ALTER TABLE web_units ADD COLUMN own_totals INTEGER NOT NULL DEFAULT 0;
CREATE TABLE web_verifications (
    election_id TEXT PRIMARY KEY REFERENCES web_elections(id) ON DELETE CASCADE,
    status TEXT NOT NULL,
    matches INTEGER NOT NULL,
    errors INTEGER NOT NULL,
    warnings INTEGER NOT NULL,
    report_json TEXT NOT NULL
);
";

fn lots_json(lots: &[LotChoice]) -> String {
    serde_json::to_string(lots).unwrap_or_else(|_| "[]".into())
}

fn i64_of(n: u64) -> i64 {
    i64::try_from(n).unwrap_or(i64::MAX)
}

fn u64_of(n: i64) -> u64 {
    u64::try_from(n).unwrap_or(0)
}

/// Stores an election, replacing one with the same id, in one transaction.
pub fn save(conn: &mut Connection, e: &ElectionData) -> rusqlite::Result<()> {
    let tx = conn.transaction()?;
    save_in(&tx, e)?;
    tx.commit()
}

/// Stores an election, replacing one with the same id, inside the caller's transaction (an
/// import stores the election, its report and its version together).
pub fn save_in(tx: &Connection, e: &ElectionData) -> rusqlite::Result<()> {
    tx.execute("DELETE FROM web_elections WHERE id = ?1", [&e.id])?;
    tx.execute(
        "INSERT INTO web_elections (id, name, body, election_date, seats, source, description,
            preference_threshold_percent, lots_json, official_json, created_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        params![
            e.id,
            e.name,
            e.body.code(),
            e.date,
            e.seats,
            e.source.code(),
            e.description,
            e.preference_threshold_percent,
            lots_json(&e.lots),
            e.official,
            webkit::now()
        ],
    )?;
    {
        let mut party =
            tx.prepare("INSERT INTO web_parties (election_id, number, name) VALUES (?1, ?2, ?3)")?;
        let mut list = tx.prepare(
            "INSERT INTO web_lists (election_id, party, list_index, kieskringen) VALUES (?1, ?2, ?3, ?4)",
        )?;
        let mut cand = tx.prepare(
            "INSERT INTO web_candidates (election_id, party, list_index, position, name, person_id, locality, deceased, first_name)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9)",
        )?;
        for p in &e.parties {
            party.execute(params![e.id, p.number, p.name])?;
            for (li, l) in (0i64..).zip(&p.lists) {
                let kk: Vec<String> = l.kieskringen.iter().map(ToString::to_string).collect();
                list.execute(params![e.id, p.number, li, kk.join(",")])?;
                for c in &l.candidates {
                    cand.execute(params![
                        e.id,
                        p.number,
                        li,
                        c.position,
                        c.name,
                        c.person_id,
                        c.locality,
                        c.deceased,
                        c.first_name
                    ])?;
                }
            }
        }
        let mut unit = tx.prepare(
            "INSERT INTO web_units (election_id, id, parent_id, level, name, kieskring, electorate, blank, invalid, sort, own_totals)
             VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)",
        )?;
        for (i, u) in (0i64..).zip(&e.units) {
            unit.execute(params![
                e.id,
                u.id,
                u.parent,
                u.level.code(),
                u.name,
                u.kieskring,
                u.electorate.map(i64_of),
                i64_of(u.blank),
                i64_of(u.invalid),
                i,
                u.own_totals
            ])?;
        }
        let mut count = tx.prepare(
            "INSERT INTO web_counts (election_id, unit_id, party, position, votes) VALUES (?1, ?2, ?3, ?4, ?5)",
        )?;
        for c in &e.counts {
            count.execute(params![e.id, c.unit, c.party, c.position, i64_of(c.votes)])?;
        }
    }
    Ok(())
}

/// A row of the elections list.
#[derive(Clone, Debug, serde::Serialize)]
pub struct Summary {
    pub id: String,
    pub name: String,
    pub body: String,
    pub date: String,
    pub seats: u32,
    pub source: Source,
    pub description: String,
    /// Status of an import ([`crate::status::ResultStatus`] code: `ok`, `lot`, `count_errors`,
    /// `mismatch`, `no_official`, `incomplete`, `damaged`); `None` for the demo.
    pub verification: Option<String>,
}

pub fn list(conn: &Connection) -> rusqlite::Result<Vec<Summary>> {
    let mut stmt = conn.prepare(
        "SELECT e.id, e.name, e.body, e.election_date, e.seats, e.source, e.description, v.status
         FROM web_elections e LEFT JOIN web_verifications v ON v.election_id = e.id
         ORDER BY e.election_date DESC, e.name",
    )?;
    stmt.query_map([], |r| {
        Ok(Summary {
            id: r.get(0)?,
            name: r.get(1)?,
            body: r.get(2)?,
            date: r.get(3)?,
            seats: r.get(4)?,
            source: Source::parse(&r.get::<_, String>(5)?),
            description: r.get(6)?,
            verification: r.get(7)?,
        })
    })?
    .collect()
}

/// Loads one election with all its counts.
pub fn load(conn: &Connection, id: &str) -> rusqlite::Result<Option<ElectionData>> {
    let head = conn
        .query_row(
            "SELECT name, body, election_date, seats, source, description, preference_threshold_percent,
                    lots_json, official_json
             FROM web_elections WHERE id = ?1",
            [id],
            |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, String>(2)?,
                    r.get::<_, u32>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, String>(5)?,
                    r.get::<_, Option<u32>>(6)?,
                    r.get::<_, String>(7)?,
                    r.get::<_, Option<String>>(8)?,
                ))
            },
        )
        .optional()?;
    let Some((name, body, date, seats, source, description, threshold, lots, official)) = head
    else {
        return Ok(None);
    };
    let mut parties: Vec<PartyData> = conn
        .prepare("SELECT number, name FROM web_parties WHERE election_id = ?1 ORDER BY number")?
        .query_map([id], |r| {
            Ok(PartyData {
                number: r.get(0)?,
                name: r.get(1)?,
                lists: Vec::new(),
            })
        })?
        .collect::<Result<_, _>>()?;
    {
        let mut lists = conn.prepare(
            "SELECT list_index, kieskringen FROM web_lists WHERE election_id = ?1 AND party = ?2 ORDER BY list_index",
        )?;
        let mut cands = conn.prepare(
            "SELECT position, name, person_id, locality, deceased, first_name FROM web_candidates
             WHERE election_id = ?1 AND party = ?2 AND list_index = ?3 ORDER BY position",
        )?;
        for p in &mut parties {
            let ls: Vec<(i64, String)> = lists
                .query_map(params![id, p.number], |r| Ok((r.get(0)?, r.get(1)?)))?
                .collect::<Result<_, _>>()?;
            for (li, kk) in ls {
                let candidates = cands
                    .query_map(params![id, p.number, li], |r| {
                        Ok(CandidateData {
                            position: r.get(0)?,
                            name: r.get(1)?,
                            person_id: r.get(2)?,
                            locality: r.get(3)?,
                            deceased: r.get(4)?,
                            first_name: r.get(5)?,
                        })
                    })?
                    .collect::<Result<_, _>>()?;
                p.lists.push(ListData {
                    kieskringen: kk
                        .split(',')
                        .filter_map(|s| s.trim().parse().ok())
                        .collect(),
                    candidates,
                });
            }
        }
    }
    let units = conn
        .prepare(
            "SELECT id, parent_id, level, name, kieskring, electorate, blank, invalid, own_totals FROM web_units
             WHERE election_id = ?1 ORDER BY sort",
        )?
        .query_map([id], |r| {
            Ok(UnitData {
                id: r.get(0)?,
                parent: r.get(1)?,
                level: Level::parse(&r.get::<_, String>(2)?).unwrap_or(Level::Stembureau),
                name: r.get(3)?,
                kieskring: r.get(4)?,
                electorate: r.get::<_, Option<i64>>(5)?.map(u64_of),
                blank: u64_of(r.get(6)?),
                invalid: u64_of(r.get(7)?),
                own_totals: r.get(8)?,
            })
        })?
        .collect::<Result<_, _>>()?;
    let counts = conn
        .prepare("SELECT unit_id, party, position, votes FROM web_counts WHERE election_id = ?1")?
        .query_map([id], |r| {
            Ok(CountData {
                unit: r.get(0)?,
                party: r.get(1)?,
                position: r.get(2)?,
                votes: u64_of(r.get(3)?),
            })
        })?
        .collect::<Result<_, _>>()?;
    Ok(Some(ElectionData {
        id: id.to_string(),
        name,
        body: Body::from_code(&body).unwrap_or(Body::GR),
        date,
        seats,
        source: Source::parse(&source),
        description,
        preference_threshold_percent: threshold,
        lots: serde_json::from_str(&lots).unwrap_or_default(),
        parties,
        units,
        counts,
        official,
    }))
}

/// The status of an imported election (`None` for the demo, or without a verification).
pub fn status(
    conn: &Connection,
    id: &str,
) -> rusqlite::Result<Option<crate::status::ResultStatus>> {
    let code: Option<String> = conn
        .query_row(
            "SELECT status FROM web_verifications WHERE election_id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?;
    Ok(code.map(|c| {
        crate::status::ResultStatus::parse(&c).unwrap_or(crate::status::ResultStatus::Incomplete)
    }))
}

/// True for an election imported before migration `0004_first_names`: its candidates were
/// stored without the first names of the 230b, and the store does not keep the source files
/// (only their SHA-256), so they cannot be filled in afterwards; reading the candidate list in
/// again does. An election imported (or imported again) since then is `false`, also when its
/// files simply have no first names.
pub fn first_names_missing(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    conn.query_row(
        "SELECT EXISTS(SELECT 1 FROM web_elections e
             WHERE e.id = ?1 AND e.source = 'import'
               AND e.created_at < (SELECT applied_at FROM schema_migrations
                                   WHERE module = 'web' AND id = '0004_first_names'))",
        [id],
        |r| r.get(0),
    )
}

/// Deletes an election; true when it existed.
pub fn delete(conn: &Connection, id: &str) -> rusqlite::Result<bool> {
    Ok(conn.execute("DELETE FROM web_elections WHERE id = ?1", [id])? > 0)
}

/// Removes all demo elections and stores fresh ones.
pub fn reset_demo(conn: &mut Connection) -> rusqlite::Result<()> {
    conn.execute("DELETE FROM web_elections WHERE source = 'demo'", [])?;
    for e in crate::demo::all() {
        save(conn, &e)?;
    }
    Ok(())
}

/// Seeds the demo when the database has no elections at all (first start).
pub fn seed_if_empty(conn: &mut Connection) -> rusqlite::Result<()> {
    let n: i64 = conn.query_row("SELECT count(*) FROM web_elections", [], |r| r.get(0))?;
    if n == 0 { reset_demo(conn) } else { Ok(()) }
}
