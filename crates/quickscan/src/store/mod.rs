//! Storage on SQLite. Every function takes a connection, so it works with webkit's pool
//! and in plain tests alike.
//!
//! Anonymity rules enforced here (see README): answers live in `qs_response`/`qs_answer`
//! with random ids in `WITHOUT ROWID` tables, a date and a group only; invitations only
//! carry a status; drafts are keyed by a hash of a secret and deleted on submit.

use crate::model::{Channel, Day, Group, OrgKind, ScanStatus, WaveKind};
use crate::questionnaire::{
    AnswerValue, Answers, Item, ItemKind, MAX_CUSTOM_ITEMS, Questionnaire, default_questionnaire,
};
use rusqlite::{Connection, OptionalExtension, params};
use sha2::{Digest, Sha256};
use std::collections::BTreeMap;
use std::fmt;

// One module per concern; what callers use is re-exported here.
mod agenda;
mod answers_db;
mod audit;
mod benchmark;
mod invitations;
mod marks;
mod monitor;
mod orgs;
mod outbox;
mod read;
mod respond;
mod retention;
mod review;
mod scans;
mod schedule;
mod secrets;
mod waves;

pub use agenda::*;
pub use answers_db::*;
pub use audit::*;
pub use benchmark::*;
pub use invitations::*;
pub use marks::*;
pub use monitor::*;
pub use orgs::*;
pub use outbox::*;
pub use read::*;
pub use respond::*;
pub use retention::*;
pub use review::*;
pub use scans::*;
pub use schedule::*;
pub use secrets::*;
pub use waves::*;

/// Migrations, in order: (name, SQL).
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("quickscan_0001_init", include_str!("../schema.sql")),
    (
        "quickscan_0002_min_group_5",
        include_str!("../schema_0002.sql"),
    ),
    (
        "quickscan_0003_link_hashes",
        include_str!("../schema_0003.sql"),
    ),
    ("quickscan_0004_review", include_str!("../schema_0004.sql")),
    (
        "quickscan_0005_org_profile",
        include_str!("../schema_0005.sql"),
    ),
    (
        "quickscan_0006_schedule",
        include_str!("../schema_0006.sql"),
    ),
    (
        "quickscan_0007_waves_agenda",
        include_str!("../schema_0007.sql"),
    ),
    (
        "quickscan_0008_benchmark",
        include_str!("../schema_0008.sql"),
    ),
];

/// The smallest number of *self-submitted* (online) answers a group or a cell needs before any
/// figure of it is shown. Fixed: a scan may set a higher threshold, never a lower one. Paper
/// answers never count toward it, because the person who types them in knows them (see
/// `THREATS.md`, rule S).
pub const MIN_GROUP: u32 = 5;

/// Connection settings this crate relies on. `secure_delete` makes deleted drafts and
/// personal data unrecoverable from free pages.
pub const PRAGMAS: &str = "PRAGMA foreign_keys = ON; PRAGMA secure_delete = ON;";

#[derive(Debug)]
pub enum Error {
    NotFound,
    /// Input not accepted; the message is fit for the user (Dutch).
    Invalid(String),
    /// Not allowed in the current state of the scan.
    State(String),
    Db(rusqlite::Error),
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::NotFound => f.write_str("niet gevonden"),
            Error::Invalid(m) | Error::State(m) => f.write_str(m),
            Error::Db(e) => write!(f, "database: {e}"),
        }
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Db(e)
    }
}

pub type Result<T> = std::result::Result<T, Error>;

/// `query_row` and `execute` through the connection's prepared-statement cache: the
/// respondents' pages run the same dozen statements on every request.
trait Cached {
    fn query_row_c<T, P: rusqlite::Params, F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>>(
        &self,
        sql: &str,
        params: P,
        f: F,
    ) -> rusqlite::Result<T>;
    fn execute_c<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize>;
}

impl Cached for Connection {
    fn query_row_c<T, P: rusqlite::Params, F: FnOnce(&rusqlite::Row<'_>) -> rusqlite::Result<T>>(
        &self,
        sql: &str,
        params: P,
        f: F,
    ) -> rusqlite::Result<T> {
        self.prepare_cached(sql)?.query_row(params, f)
    }
    fn execute_c<P: rusqlite::Params>(&self, sql: &str, params: P) -> rusqlite::Result<usize> {
        self.prepare_cached(sql)?.execute(params)
    }
}

/// All rows of `sql`, each read by `f`.
fn query_all<T, P: rusqlite::Params>(
    conn: &Connection,
    sql: &str,
    params: P,
    f: impl FnMut(&rusqlite::Row<'_>) -> rusqlite::Result<T>,
) -> Result<Vec<T>> {
    let mut st = conn.prepare(sql)?;
    let v = st.query_map(params, f)?.collect::<rusqlite::Result<_>>()?;
    Ok(v)
}

/// A write transaction, started with `BEGIN IMMEDIATE`: it takes the write lock at once (waiting
/// up to the busy timeout), so a transaction that reads first and then writes cannot fail with
/// "database is locked" when another connection wrote in between (WAL snapshot upgrade).
fn write_tx(conn: &Connection) -> rusqlite::Result<rusqlite::Transaction<'_>> {
    rusqlite::Transaction::new_unchecked(conn, rusqlite::TransactionBehavior::Immediate)
}

/// Runs the migrations on a bare connection (tests, tools). Under webkit, webkit runs them
/// and the module's start hook calls [`open_answers`].
pub fn migrate(conn: &Connection) -> Result<()> {
    conn.execute_batch(PRAGMAS)?;
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS qs_migrations (name TEXT PRIMARY KEY) WITHOUT ROWID;",
    )?;
    for (name, sql) in MIGRATIONS {
        let done: bool = conn
            .query_row_c(
                "SELECT 1 FROM qs_migrations WHERE name = ?1",
                [name],
                |_| Ok(true),
            )
            .optional()?
            .unwrap_or(false);
        if !done {
            conn.execute_batch(&format!("BEGIN; {sql}; COMMIT;"))?;
            conn.execute_c("INSERT INTO qs_migrations (name) VALUES (?1)", [name])?;
        }
    }
    open_answers(conn)
}
