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

/// Migrations, in order: (name, SQL).
pub const MIGRATIONS: &[(&str, &str)] = &[
    ("quickscan_0001_init", include_str!("schema.sql")),
    (
        "quickscan_0002_min_group_5",
        include_str!("schema_0002.sql"),
    ),
    (
        "quickscan_0003_link_hashes",
        include_str!("schema_0003.sql"),
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

// ---------- the answers database ----------

/// File name of the answers database, beside the main database file.
pub const ANSWERS_FILE: &str = "quickscan-answers.sqlite";

const ANSWERS_SCHEMA: &str = "
CREATE TABLE IF NOT EXISTS qa.qs_response (
    id TEXT PRIMARY KEY,
    scan_id INTEGER NOT NULL,
    grp TEXT NOT NULL CHECK (grp IN ('raad', 'college', 'ambtenaren', 'inwoners')),
    channel TEXT NOT NULL CHECK (channel IN ('online', 'paper')),
    submitted_on TEXT NOT NULL CHECK (length(submitted_on) = 10)
) WITHOUT ROWID;
CREATE INDEX IF NOT EXISTS qa.qs_response_scan ON qs_response(scan_id, grp);
CREATE TABLE IF NOT EXISTS qa.qs_answer (
    response_id TEXT NOT NULL,
    item_key TEXT NOT NULL,
    num INTEGER,
    txt TEXT,
    PRIMARY KEY (response_id, item_key)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS qa.qs_spent (
    tag TEXT PRIMARY KEY,
    scan_id INTEGER NOT NULL
) WITHOUT ROWID;
";

/// Where the answers database of this connection lives: beside the main file, or in memory
/// for an in-memory main database (tests).
fn answers_path(conn: &Connection) -> String {
    match conn.path().filter(|p| !p.is_empty()) {
        Some(main) => std::path::Path::new(main)
            .with_file_name(ANSWERS_FILE)
            .to_string_lossy()
            .into_owned(),
        None => ":memory:".into(),
    }
}

/// Makes a connection ready for this crate: `secure_delete` on every database of the
/// connection, and the answers database attached as `qa` (created, in WAL mode and readable
/// by the server's user only, on first use). Cheap when already done; every store function
/// that touches answers calls it.
///
/// Answers live in their own file so that writing an answer never shares a transaction, a
/// WAL file or a page with anything that names a person (THREATS.md, "no link in storage").
pub fn open_answers(conn: &Connection) -> Result<()> {
    let attached: bool = conn
        .query_row_c(
            "SELECT 1 FROM pragma_database_list WHERE name = 'qa'",
            [],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if attached {
        return Ok(());
    }
    // set before ATTACH: a newly attached database takes main's secure_delete setting
    conn.execute_batch(PRAGMAS)?;
    let path = answers_path(conn);
    if path != ":memory:" {
        private_file(std::path::Path::new(&path));
    }
    conn.execute("ATTACH DATABASE ?1 AS qa", [&path])?;
    conn.execute_batch(
        "PRAGMA qa.secure_delete = ON; PRAGMA qa.journal_size_limit = 0; PRAGMA main.journal_size_limit = 0;",
    )?;
    // Only the first connection sets the file up; later ones only read (no write lock taken
    // while other connections are busy).
    let ready: bool = conn
        .query_row(
            "SELECT 1 FROM qa.sqlite_master WHERE name = 'qs_spent'",
            [],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if !ready {
        if path != ":memory:" {
            let _: String = conn.query_row("PRAGMA qa.journal_mode = WAL", [], |r| r.get(0))?;
        }
        conn.execute_batch(ANSWERS_SCHEMA)?;
    }
    // answers stored by an older version in the main file move here, once
    let old: bool = conn
        .query_row_c(
            "SELECT 1 FROM main.sqlite_master WHERE name = 'qs_response'",
            [],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if old {
        conn.execute_batch(
            "BEGIN IMMEDIATE;
             INSERT OR IGNORE INTO qa.qs_response SELECT id, scan_id, grp, channel, submitted_on FROM main.qs_response;
             INSERT OR IGNORE INTO qa.qs_answer SELECT response_id, item_key, num, txt FROM main.qs_answer;
             DROP TABLE main.qs_answer;
             DROP TABLE main.qs_response;
             COMMIT;",
        )?;
        checkpoint(conn, "main");
    }
    checkpoint(conn, "qa");
    upgrade_secrets(conn)
}

/// Data written before links were hashed and drafts sealed: plain personal links move, hashed,
/// to `qs_invitation_link`; drafts that are not sealed are deleted (they cannot be sealed
/// without the respondent's secret, and must not stay readable).
fn upgrade_secrets(conn: &Connection) -> Result<()> {
    let has_links: bool = conn
        .query_row_c(
            "SELECT 1 FROM main.sqlite_master WHERE name = 'qs_invitation_link'",
            [],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if !has_links {
        return Ok(()); // migrations not run yet (webkit runs them before the start hook)
    }
    let plain: Vec<(i64, String)> = query_all(
        conn,
        "SELECT id, token FROM qs_invitation WHERE token IS NOT NULL",
        [],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let stale: bool = conn
        .query_row_c(
            "SELECT 1 FROM qs_draft WHERE answers <> '{}' AND answers NOT LIKE 's1:%' LIMIT 1",
            [],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if plain.is_empty() && !stale {
        return Ok(());
    }
    let tx = write_tx(conn)?;
    for (id, token) in plain {
        tx.execute_c(
            "INSERT OR IGNORE INTO qs_invitation_link (token_hash, invitation_id) VALUES (?1, ?2)",
            params![hash("link", &token), id],
        )?;
        tx.execute_c("UPDATE qs_invitation SET token = NULL WHERE id = ?1", [id])?;
    }
    tx.execute_c(
        "DELETE FROM qs_draft WHERE answers <> '{}' AND answers NOT LIKE 's1:%'",
        [],
    )?;
    tx.commit()?;
    checkpoint(conn, "main");
    Ok(())
}

/// Copies the WAL of `db` into its main file (`wal_checkpoint(PASSIVE)`: never waits, never
/// blocks a writer). With `journal_size_limit = 0` (set on every connection), the next write
/// after a complete checkpoint starts the WAL afresh and truncates it, so earlier frames (and
/// the order of earlier writes) do not stay behind in the file. A TRUNCATE checkpoint here
/// would block every writer while it waits, which failed under load ("database is locked").
pub fn checkpoint(conn: &Connection, db: &str) {
    let sql = format!("PRAGMA {db}.wal_checkpoint(PASSIVE)");
    let _ = conn.query_row(&sql, [], |_| Ok(()));
}

/// `wal_checkpoint(TRUNCATE)`, for quiet moments (closing a scan, start-up): empties the WAL
/// file at once. Waits at most the busy timeout; a failure is harmless.
pub fn checkpoint_truncate(conn: &Connection, db: &str) {
    let sql = format!("PRAGMA {db}.wal_checkpoint(TRUNCATE)");
    let _ = conn.query_row(&sql, [], |_| Ok(()));
}

/// Makes a data file readable and writable by the server's user only (mode 0600), creating it
/// empty when missing. Not on Windows.
pub fn private_file(path: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
        let _ = std::fs::OpenOptions::new()
            .create(true)
            .append(true)
            .mode(0o600)
            .open(path);
        let _ = std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o600));
    }
    #[cfg(not(unix))]
    let _ = path;
}

/// Restricts the data folder (0700) and every SQLite file in it (0600): copies of the
/// database are for the server's user only. SQLite gives new `-wal`/`-shm` files the mode of
/// their database file.
pub fn private_data_dir(dir: &std::path::Path) {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
        if let Ok(entries) = std::fs::read_dir(dir) {
            for e in entries.flatten() {
                let name = e.file_name().to_string_lossy().into_owned();
                if name.contains(".sqlite") {
                    let _ =
                        std::fs::set_permissions(e.path(), std::fs::Permissions::from_mode(0o600));
                }
            }
        }
    }
    #[cfg(not(unix))]
    let _ = dir;
}

// ---------- marks written apart from the answers ----------

/// How many respondents' marks (invitation started/finished, letter code used, draft deleted)
/// are collected before they are written, together and in random order.
pub const MARK_BATCH: usize = 5;

static BATCH: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(MARK_BATCH);

/// For the storage-linking test only: a batch of 1 writes every mark at once, in order, to
/// show that the linker does find links when marks are not batched.
#[doc(hidden)]
pub fn set_mark_batch_for_tests(n: usize) {
    BATCH.store(n.max(1), std::sync::atomic::Ordering::Relaxed);
}

/// What a submission changes outside the answers database. Kept in memory and written in
/// batches of [`MARK_BATCH`], shuffled, so that neither the time nor the order of writing
/// ties an invitation to an answer.
#[derive(Debug, Clone, PartialEq, Eq)]
enum Mark {
    Started {
        invitation: i64,
        scan: i64,
        group: Group,
        day: Day,
    },
    Finished {
        invitation: i64,
        scan: i64,
        group: Group,
        day: Day,
    },
    LetterUsed {
        code_hash: String,
    },
    DraftDone {
        key: String,
    },
}

type Marks = std::sync::Mutex<std::collections::HashMap<String, Vec<Vec<Mark>>>>;

/// Pending marks per database file (one entry per respondent, each a list of marks).
fn marks() -> &'static Marks {
    static M: std::sync::OnceLock<Marks> = std::sync::OnceLock::new();
    M.get_or_init(Default::default)
}

fn marks_key(conn: &Connection) -> Option<String> {
    conn.path().filter(|p| !p.is_empty()).map(str::to_owned)
}

/// Queues one respondent's marks; writes the batch when it is full. An in-memory database
/// (tests) writes at once.
fn queue_marks(conn: &Connection, respondent: Vec<Mark>) -> Result<()> {
    let Some(key) = marks_key(conn) else {
        return write_marks(conn, vec![respondent]);
    };
    let batch = {
        let Ok(mut m) = marks().lock() else {
            return write_marks(conn, vec![respondent]);
        };
        let q = m.entry(key).or_default();
        if !q.contains(&respondent) {
            q.push(respondent);
        }
        // only submissions count: the batch must hide each answer among MARK_BATCH others
        let submissions = q
            .iter()
            .filter(|r| r.iter().any(|k| !matches!(k, Mark::Started { .. })))
            .count();
        if submissions < BATCH.load(std::sync::atomic::Ordering::Relaxed) {
            return Ok(());
        }
        std::mem::take(q)
    };
    write_marks(conn, batch)
}

/// Writes every pending mark of this database now (at closing a scan, daily, in tests).
pub fn flush_marks(conn: &Connection) -> Result<()> {
    let Some(key) = marks_key(conn) else {
        return Ok(());
    };
    let batch = marks()
        .lock()
        .map(|mut m| m.remove(&key).unwrap_or_default())
        .unwrap_or_default();
    if batch.is_empty() {
        return Ok(());
    }
    write_marks(conn, batch)
}

/// True while a submission by this invitation waits in the batch (reminders skip it).
pub fn finish_pending(conn: &Connection, invitation: i64) -> bool {
    pending_finish(conn, invitation)
}

fn pending_finish(conn: &Connection, id: i64) -> bool {
    let Some(key) = marks_key(conn) else {
        return false;
    };
    marks().lock().is_ok_and(|m| {
        m.get(&key).is_some_and(|q| {
            q.iter()
                .flatten()
                .any(|k| matches!(k, Mark::Finished { invitation, .. } if *invitation == id))
        })
    })
}

fn write_marks(conn: &Connection, batch: Vec<Vec<Mark>>) -> Result<()> {
    let mut all: Vec<Mark> = batch.into_iter().flatten().collect();
    shuffle(&mut all);
    let tx = write_tx(conn)?;
    for m in &all {
        match m {
            Mark::Started {
                invitation,
                scan,
                group,
                day,
            } => {
                let n = tx.execute_c(
                    "UPDATE qs_invitation SET status = 'started' WHERE id = ?1 AND status = 'not_started'",
                    [invitation],
                )?;
                if n == 1 {
                    bump_started(&tx, *scan, *group, *day)?;
                }
            }
            Mark::Finished {
                invitation,
                scan,
                group,
                day,
            } => {
                let before: Option<String> = tx
                    .query_row_c(
                        "SELECT status FROM qs_invitation WHERE id = ?1",
                        [invitation],
                        |r| r.get(0),
                    )
                    .optional()?;
                tx.execute_c(
                    "UPDATE qs_invitation SET status = 'finished' WHERE id = ?1",
                    [invitation],
                )?;
                if before.as_deref() == Some("not_started") {
                    bump_started(&tx, *scan, *group, *day)?;
                }
            }
            Mark::LetterUsed { code_hash } => {
                tx.execute_c(
                    "UPDATE qs_letter_code SET used = 1 WHERE code_hash = ?1",
                    [code_hash],
                )?;
            }
            Mark::DraftDone { key } => {
                tx.execute_c("DELETE FROM qs_draft WHERE key_hash = ?1", [key])?;
            }
        }
    }
    tx.commit()?;
    checkpoint(conn, "main");
    Ok(())
}

// ---------- secrets ----------

const CODE_ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZ23456789";

/// Random bytes from the operating system.
pub fn random_bytes<const N: usize>() -> [u8; N] {
    let mut b = [0u8; N];
    getrandom::fill(&mut b).expect("operating system randomness");
    b
}

/// A 128-bit random token for links (lowercase hex).
pub fn new_token() -> String {
    hex::encode(random_bytes::<16>())
}

/// A human-typeable code of 12 characters (60 bits), shown as `XXXX-XXXX-XXXX`.
pub fn new_code() -> String {
    let b = random_bytes::<12>();
    let s: String = b
        .iter()
        .map(|x| char::from(CODE_ALPHABET[usize::from(x % 32)]))
        .collect();
    format!("{}-{}-{}", &s[0..4], &s[4..8], &s[8..12])
}

/// Normalises a typed code: upper case, no spaces or dashes, confusable characters mapped.
pub fn normalize_code(s: &str) -> String {
    s.chars()
        .filter(char::is_ascii_alphanumeric)
        .map(|c| match c.to_ascii_uppercase() {
            'O' => '0',
            'I' => '1',
            c => c,
        })
        .collect()
}

fn hash(domain: &str, secret: &str) -> String {
    let mut h = Sha256::new();
    h.update(domain.as_bytes());
    h.update(b":");
    h.update(secret.as_bytes());
    hex::encode(h.finalize())
}

/// Unbiased random index below `n` (n > 0).
pub fn random_below(n: usize) -> usize {
    let n64 = n as u64;
    let zone = u64::MAX - (u64::MAX % n64);
    loop {
        let v = u64::from_le_bytes(random_bytes::<8>());
        if v < zone {
            return usize::try_from(v % n64).unwrap_or(0);
        }
    }
}

/// Fisher–Yates shuffle with OS randomness (used for open answers).
pub fn shuffle<T>(v: &mut [T]) {
    for i in (1..v.len()).rev() {
        v.swap(i, random_below(i + 1));
    }
}

/// Time stamp for the audit log (UTC, seconds).
pub fn now_stamp() -> String {
    let secs = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    let day = Day(i64::try_from(secs / 86_400).unwrap_or(0));
    let s = secs % 86_400;
    format!(
        "{day}T{:02}:{:02}:{:02}Z",
        s / 3600,
        (s % 3600) / 60,
        s % 60
    )
}

// ---------- organisations ----------

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    /// The webkit organisation key (e.g. `testdorp`), used in URLs and role grants.
    pub id: String,
    pub name: String,
    pub kind: OrgKind,
}

/// Registers (or renames) an organisation. `id` is the webkit organisation key.
pub fn upsert_org(conn: &Connection, id: &str, name: &str, kind: OrgKind) -> Result<()> {
    conn.execute_c(
        "INSERT INTO qs_org (org_id, name, kind) VALUES (?1, ?2, ?3)
         ON CONFLICT(org_id) DO UPDATE SET name = excluded.name, kind = excluded.kind",
        params![id, name, kind.as_str()],
    )?;
    Ok(())
}

pub fn org(conn: &Connection, id: &str) -> Result<Org> {
    conn.query_row_c(
        "SELECT org_id, name, kind FROM qs_org WHERE org_id = ?1",
        [id],
        |r| {
            Ok(Org {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: OrgKind::parse(&r.get::<_, String>(2)?).unwrap_or(OrgKind::Gemeente),
            })
        },
    )
    .optional()?
    .ok_or(Error::NotFound)
}

pub fn orgs(conn: &Connection) -> Result<Vec<Org>> {
    let ids: Vec<String> = query_all(conn, "SELECT org_id FROM qs_org ORDER BY name", [], |r| {
        r.get(0)
    })?;
    ids.iter().map(|id| org(conn, id)).collect()
}

// ---------- questionnaires and scans ----------

/// Stores a questionnaire version (idempotent) and returns its id.
pub fn store_questionnaire(conn: &Connection, q: &Questionnaire) -> Result<i64> {
    if let Some(id) = conn
        .query_row_c(
            "SELECT id FROM qs_questionnaire WHERE version = ?1",
            [&q.version],
            |r| r.get(0),
        )
        .optional()?
    {
        return Ok(id);
    }
    let body = serde_json::to_string(q).map_err(|e| Error::Invalid(e.to_string()))?;
    conn.execute_c(
        "INSERT INTO qs_questionnaire (version, body) VALUES (?1, ?2)",
        params![q.version, body],
    )?;
    Ok(conn.last_insert_rowid())
}

type QuestionnaireCache =
    std::sync::Mutex<std::collections::HashMap<(String, i64), std::sync::Arc<Questionnaire>>>;

/// Parsed questionnaires per (database file, id). A stored questionnaire is never changed
/// (a new version gets a new row), so the parsed form can be kept; respondents' pages need it
/// on every request.
fn questionnaire_cache() -> &'static QuestionnaireCache {
    static CACHE: std::sync::OnceLock<QuestionnaireCache> = std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

pub fn questionnaire(conn: &Connection, id: i64) -> Result<Questionnaire> {
    let file = conn.path().filter(|p| !p.is_empty()).map(str::to_owned);
    if let Some(f) = &file
        && let Some(q) = questionnaire_cache()
            .lock()
            .ok()
            .and_then(|c| c.get(&(f.clone(), id)).cloned())
    {
        return Ok((*q).clone());
    }
    let q = questionnaire_uncached(conn, id)?;
    if let (Some(f), Ok(mut c)) = (file, questionnaire_cache().lock()) {
        if c.len() > 1000 {
            c.clear();
        }
        c.insert((f, id), std::sync::Arc::new(q.clone()));
    }
    Ok(q)
}

fn questionnaire_uncached(conn: &Connection, id: i64) -> Result<Questionnaire> {
    let body: String = conn
        .query_row_c(
            "SELECT body FROM qs_questionnaire WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::NotFound)?;
    serde_json::from_str(&body).map_err(|e| Error::Invalid(e.to_string()))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    pub id: i64,
    pub org_id: String,
    pub title: String,
    pub wave: WaveKind,
    pub previous_scan_id: Option<i64>,
    pub questionnaire_id: i64,
    pub status: ScanStatus,
    /// The code in the public link for inwoners.
    pub public_code: String,
    /// Groups with fewer respondents are not shown separately (≥ 3, default 5).
    pub min_group: u32,
    /// Days after closing until names and e-mail addresses are deleted.
    pub retention_days: u32,
    pub created_on: Day,
    pub opened_on: Option<Day>,
    pub closed_on: Option<Day>,
    pub purged_on: Option<Day>,
}

const SCAN_COLS: &str = "id, org_id, title, wave, previous_scan_id, questionnaire_id, status, public_code, min_group, retention_days, created_on, opened_on, closed_on, purged_on";

fn day_col(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<Day>> {
    Ok(r.get::<_, Option<String>>(i)?.and_then(|s| Day::parse(&s)))
}

fn scan_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Scan> {
    Ok(Scan {
        id: r.get(0)?,
        org_id: r.get(1)?,
        title: r.get(2)?,
        wave: WaveKind::parse(&r.get::<_, String>(3)?).unwrap_or(WaveKind::Nulmeting),
        previous_scan_id: r.get(4)?,
        questionnaire_id: r.get(5)?,
        status: ScanStatus::parse(&r.get::<_, String>(6)?).unwrap_or(ScanStatus::Concept),
        public_code: r.get(7)?,
        min_group: r.get::<_, u32>(8)?.max(MIN_GROUP),
        retention_days: r.get(9)?,
        created_on: day_col(r, 10)?.unwrap_or(Day(0)),
        opened_on: day_col(r, 11)?,
        closed_on: day_col(r, 12)?,
        purged_on: day_col(r, 13)?,
    })
}

/// Creates a scan (a wave) with the default questionnaire. A voortgangsmeting refers to
/// the previous wave of the same organisation.
pub fn create_scan(
    conn: &Connection,
    org_id: &str,
    title: &str,
    previous_scan_id: Option<i64>,
    today: Day,
) -> Result<i64> {
    org(conn, org_id)?;
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(Error::Invalid(
            "Geef de scan een naam (hoogstens 200 tekens).".into(),
        ));
    }
    if let Some(p) = previous_scan_id {
        let prev = scan(conn, p)?;
        if prev.org_id != org_id {
            return Err(Error::Invalid(
                "De vorige meting hoort bij een andere organisatie.".into(),
            ));
        }
    }
    let qid = store_questionnaire(conn, &default_questionnaire())?;
    let wave = if previous_scan_id.is_some() {
        WaveKind::Voortgangsmeting
    } else {
        WaveKind::Nulmeting
    };
    let code = new_token()[..12].to_owned();
    conn.execute_c(
        "INSERT INTO qs_scan (org_id, title, wave, previous_scan_id, questionnaire_id, public_code, created_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![org_id, title, wave.as_str(), previous_scan_id, qid, code, today.to_string()],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn scan(conn: &Connection, id: i64) -> Result<Scan> {
    conn.query_row_c(
        &format!("SELECT {SCAN_COLS} FROM qs_scan WHERE id = ?1"),
        [id],
        scan_row,
    )
    .optional()?
    .ok_or(Error::NotFound)
}

pub fn scan_by_public_code(conn: &Connection, code: &str) -> Result<Scan> {
    conn.query_row_c(
        &format!("SELECT {SCAN_COLS} FROM qs_scan WHERE public_code = ?1"),
        [code],
        scan_row,
    )
    .optional()?
    .ok_or(Error::NotFound)
}

pub fn scans_for_org(conn: &Connection, org_id: &str) -> Result<Vec<Scan>> {
    query_all(
        conn,
        &format!("SELECT {SCAN_COLS} FROM qs_scan WHERE org_id = ?1 ORDER BY id DESC"),
        [org_id],
        scan_row,
    )
}

/// Changes the report threshold and the retention period.
pub fn set_settings(
    conn: &Connection,
    scan_id: i64,
    min_group: u32,
    retention_days: u32,
) -> Result<()> {
    if !(MIN_GROUP..=1000).contains(&min_group) {
        return Err(Error::Invalid(format!(
            "De kleinste groepsgrootte ligt tussen {MIN_GROUP} en 1000."
        )));
    }
    if !(1..=3650).contains(&retention_days) {
        return Err(Error::Invalid(
            "De bewaartermijn ligt tussen 1 en 3650 dagen.".into(),
        ));
    }
    conn.execute_c(
        "UPDATE qs_scan SET min_group = ?2, retention_days = ?3 WHERE id = ?1",
        params![scan_id, min_group, retention_days],
    )?;
    Ok(())
}

/// True once any answer (submitted or draft) exists: then items can no longer change.
pub fn is_locked(conn: &Connection, scan_id: i64) -> Result<bool> {
    open_answers(conn)?;
    let n: i64 = conn.query_row_c(
        "SELECT (SELECT COUNT(*) FROM qs_response WHERE scan_id = ?1) + (SELECT COUNT(*) FROM qs_draft WHERE scan_id = ?1 AND answers <> '{}')",
        [scan_id],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

pub fn custom_items(conn: &Connection, scan_id: i64) -> Result<Vec<Item>> {
    let mut st = conn
        .prepare_cached("SELECT body FROM qs_custom_item WHERE scan_id = ?1 ORDER BY position")?;
    let rows: Vec<String> = st
        .query_map([scan_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    rows.iter()
        .map(|b| serde_json::from_str(b).map_err(|e| Error::Invalid(e.to_string())))
        .collect()
}

/// Adds a maatwerkvraag (at most 4; only while no answer exists).
pub fn add_custom_item(
    conn: &Connection,
    scan_id: i64,
    text_nl: &str,
    text_en: &str,
    kind: ItemKind,
) -> Result<String> {
    let s = scan(conn, scan_id)?;
    if s.status > ScanStatus::Open || is_locked(conn, scan_id)? {
        return Err(Error::State(
            "De vragen liggen vast: er zijn al antwoorden binnen.".into(),
        ));
    }
    let existing = custom_items(conn, scan_id)?;
    if existing.len() >= MAX_CUSTOM_ITEMS {
        return Err(Error::Invalid(
            "U kunt hoogstens 4 eigen vragen toevoegen.".into(),
        ));
    }
    let text_nl = text_nl.trim();
    if text_nl.is_empty() || text_nl.chars().count() > 300 {
        return Err(Error::Invalid(
            "Schrijf de vraag in hoogstens 300 tekens.".into(),
        ));
    }
    match &kind {
        ItemKind::Choice { options } if options.len() < 2 || options.len() > 10 => {
            return Err(Error::Invalid(
                "Een keuzevraag heeft 2 tot 10 antwoorden.".into(),
            ));
        }
        ItemKind::Ranking { .. } => {
            return Err(Error::Invalid(
                "Eigen vragen kunnen geen rangorde zijn.".into(),
            ));
        }
        ItemKind::Scale { scale } if scale != "eens5" => {
            return Err(Error::Invalid("Onbekende schaal.".into()));
        }
        _ => {}
    }
    let position: i64 = conn.query_row_c(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM qs_custom_item WHERE scan_id = ?1",
        [scan_id],
        |r| r.get(0),
    )?;
    let key = format!("maatwerk_{position}");
    let en = if text_en.trim().is_empty() {
        text_nl
    } else {
        text_en.trim()
    };
    let item = Item {
        key: key.clone(),
        text: crate::model::Text::new(text_nl, en),
        group_text: BTreeMap::new(),
        kind,
    };
    conn.execute_c(
        "INSERT INTO qs_custom_item (scan_id, position, body) VALUES (?1, ?2, ?3)",
        params![
            scan_id,
            position,
            serde_json::to_string(&item).map_err(|e| Error::Invalid(e.to_string()))?
        ],
    )?;
    Ok(key)
}

pub fn remove_custom_item(conn: &Connection, scan_id: i64, key: &str) -> Result<()> {
    if is_locked(conn, scan_id)? {
        return Err(Error::State(
            "De vragen liggen vast: er zijn al antwoorden binnen.".into(),
        ));
    }
    let pos: i64 = key
        .strip_prefix("maatwerk_")
        .and_then(|p| p.parse().ok())
        .ok_or(Error::NotFound)?;
    let n = conn.execute_c(
        "DELETE FROM qs_custom_item WHERE scan_id = ?1 AND position = ?2",
        params![scan_id, pos],
    )?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// The questionnaire as respondents of this scan see it (standard items + maatwerk).
pub fn scan_questionnaire(conn: &Connection, s: &Scan) -> Result<Questionnaire> {
    Ok(questionnaire(conn, s.questionnaire_id)?.with_custom(&custom_items(conn, s.id)?))
}

/// Moves a scan to its next state. Closing discards unfinished drafts.
pub fn advance(conn: &Connection, scan_id: i64, to: ScanStatus, today: Day) -> Result<()> {
    let s = scan(conn, scan_id)?;
    if s.status.next() != Some(to) {
        return Err(Error::State(format!(
            "Van {} kan de scan niet naar {}.",
            s.status.label_nl(),
            to.label_nl()
        )));
    }
    let d = today.to_string();
    match to {
        ScanStatus::Open => conn.execute_c(
            "UPDATE qs_scan SET status = 'open', opened_on = ?2 WHERE id = ?1",
            params![scan_id, d],
        )?,
        ScanStatus::Closed => {
            // the last marks (possibly fewer than a batch) are written before closing
            flush_marks(conn)?;
            open_answers(conn)?;
            conn.execute_c("DELETE FROM qa.qs_spent WHERE scan_id = ?1", [scan_id])?;
            checkpoint_truncate(conn, "qa");
            conn.execute_c("DELETE FROM qs_draft WHERE scan_id = ?1", [scan_id])?;
            conn.execute_c(
                "UPDATE qs_scan SET status = 'closed', closed_on = ?2 WHERE id = ?1",
                params![scan_id, d],
            )?
        }
        other => conn.execute_c(
            "UPDATE qs_scan SET status = ?2 WHERE id = ?1",
            params![scan_id, other.as_str()],
        )?,
    };
    Ok(())
}

// ---------- invitations ----------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationStatus {
    NotStarted,
    Started,
    Finished,
}

impl InvitationStatus {
    fn parse(s: &str) -> Self {
        match s {
            "started" => Self::Started,
            "finished" => Self::Finished,
            _ => Self::NotStarted,
        }
    }
    pub fn label_nl(self) -> &'static str {
        match self {
            Self::NotStarted => "Nog niet begonnen",
            Self::Started => "Begonnen",
            Self::Finished => "Klaar",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub scan_id: i64,
    pub group: Group,
    /// `None` after the personal data were deleted.
    pub name: Option<String>,
    pub email: Option<String>,
    pub status: InvitationStatus,
    pub mails_sent: u32,
}

fn invitation_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Invitation> {
    Ok(Invitation {
        id: r.get(0)?,
        scan_id: r.get(1)?,
        group: Group::parse(&r.get::<_, String>(2)?).unwrap_or(Group::Ambtenaren),
        name: r.get(3)?,
        email: r.get(4)?,
        status: InvitationStatus::parse(&r.get::<_, String>(5)?),
        mails_sent: r.get(6)?,
    })
}

const INV_COLS: &str = "i.id, i.scan_id, i.grp, i.name, i.email, i.status, i.mails_sent";

fn plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
        && s.len() <= 254
}

/// Imports respondents from CSV (name, e-mail, group). Returns how many were added.
/// The whole file is rejected if one line is wrong, with the line numbers in the message.
pub fn import_respondents(conn: &Connection, scan_id: i64, text: &str) -> Result<usize> {
    let s = scan(conn, scan_id)?;
    if s.status.is_closed() {
        return Err(Error::State("De scan is gesloten.".into()));
    }
    let mut rows = crate::csv::parse(text);
    if rows.first().is_some_and(|r| {
        r.iter().any(|f| {
            matches!(
                f.trim().to_lowercase().as_str(),
                "naam" | "name" | "e-mail" | "email" | "groep" | "group"
            )
        })
    }) {
        rows.remove(0);
    }
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let line = i + 1;
        if r.len() < 3 {
            errors.push(format!("regel {line}: verwacht naam, e-mail en groep"));
            continue;
        }
        let (name, email) = (r[0].trim(), r[1].trim().to_lowercase());
        let group = Group::parse(&r[2]);
        if name.is_empty() {
            errors.push(format!("regel {line}: naam ontbreekt"));
        } else if !plausible_email(&email) {
            errors.push(format!("regel {line}: e-mailadres klopt niet"));
        } else {
            match group {
                Some(g) if g != Group::Inwoners => parsed.push((name.to_owned(), email, g)),
                _ => errors.push(format!(
                    "regel {line}: groep moet raad, college of ambtenaren zijn"
                )),
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors.join("; ")));
    }
    let tx = write_tx(conn)?;
    let mut added = 0;
    for (name, email, g) in parsed {
        let exists: bool = tx
            .query_row_c(
                "SELECT 1 FROM qs_invitation WHERE scan_id = ?1 AND email = ?2",
                params![scan_id, email],
                |_| Ok(true),
            )
            .optional()?
            .unwrap_or(false);
        if exists {
            continue;
        }
        tx.execute_c(
            "INSERT INTO qs_invitation (scan_id, grp, name, email) VALUES (?1, ?2, ?3, ?4)",
            params![scan_id, g.as_str(), name, email],
        )?;
        added += 1;
    }
    tx.commit()?;
    Ok(added)
}

pub fn invitations(conn: &Connection, scan_id: i64) -> Result<Vec<Invitation>> {
    query_all(
        conn,
        &format!(
            "SELECT {INV_COLS} FROM qs_invitation i WHERE scan_id = ?1 ORDER BY grp, name, id"
        ),
        [scan_id],
        invitation_row,
    )
}

/// The invitation of a personal link. Only a hash of the link's secret is stored.
pub fn invitation_by_token(conn: &Connection, token: &str) -> Result<Invitation> {
    conn.query_row_c(
        &format!(
            "SELECT {INV_COLS} FROM qs_invitation_link l JOIN qs_invitation i ON i.id = l.invitation_id WHERE l.token_hash = ?1"
        ),
        [hash("link", token)],
        invitation_row,
    )
    .optional()?
    .ok_or(Error::NotFound)
}

/// A new personal link for an invitation, to put in a mail: the secret is returned once and
/// only its hash is stored. Every mail (invitation, reminder) gets its own link; earlier links
/// keep working, and a draft opens only with the link it was saved with.
pub fn issue_link(conn: &Connection, invitation_id: i64) -> Result<String> {
    let exists: bool = conn
        .query_row_c(
            "SELECT 1 FROM qs_invitation WHERE id = ?1 AND email IS NOT NULL",
            [invitation_id],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if !exists {
        return Err(Error::NotFound);
    }
    let token = new_token();
    conn.execute_c(
        "INSERT INTO qs_invitation_link (token_hash, invitation_id) VALUES (?1, ?2)",
        params![hash("link", &token), invitation_id],
    )?;
    Ok(token)
}

pub fn mark_mailed(conn: &Connection, invitation_id: i64) -> Result<()> {
    conn.execute_c(
        "UPDATE qs_invitation SET mails_sent = mails_sent + 1 WHERE id = ?1",
        [invitation_id],
    )?;
    Ok(())
}

/// Deletes one person's name, e-mail address and link (on request). Their status stays,
/// so the response counts remain right.
pub fn forget_invitation(conn: &Connection, scan_id: i64, invitation_id: i64) -> Result<()> {
    let email: Option<String> = conn
        .query_row_c(
            "SELECT email FROM qs_invitation WHERE id = ?1 AND scan_id = ?2",
            params![invitation_id, scan_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::NotFound)?;
    let tx = write_tx(conn)?;
    if let Some(e) = email {
        tx.execute_c(
            "DELETE FROM qs_outbox WHERE scan_id = ?1 AND to_addr = ?2",
            params![scan_id, e],
        )?;
    }
    tx.execute_c(
        "UPDATE qs_invitation SET name = NULL, email = NULL, token = NULL WHERE id = ?1",
        [invitation_id],
    )?;
    tx.execute_c(
        "DELETE FROM qs_invitation_link WHERE invitation_id = ?1",
        [invitation_id],
    )?;
    tx.commit()?;
    Ok(())
}

// ---------- letter codes ----------

/// Creates `n` single-use letter codes for inwoners. The codes are returned once (to print)
/// and stored only as hashes.
pub fn create_letter_codes(conn: &Connection, scan_id: i64, n: usize) -> Result<Vec<String>> {
    if n == 0 || n > 20_000 {
        return Err(Error::Invalid("Kies tussen 1 en 20.000 codes.".into()));
    }
    let s = scan(conn, scan_id)?;
    if s.status.is_closed() {
        return Err(Error::State("De scan is gesloten.".into()));
    }
    let tx = write_tx(conn)?;
    let mut out = Vec::with_capacity(n);
    {
        let mut st = tx
            .prepare("INSERT OR IGNORE INTO qs_letter_code (code_hash, scan_id) VALUES (?1, ?2)")?;
        while out.len() < n {
            let code = new_code();
            if st.execute(params![hash("letter", &normalize_code(&code)), scan_id])? == 1 {
                out.push(code);
            }
        }
    }
    tx.commit()?;
    Ok(out)
}

// ---------- respondent access, drafts, submission ----------

/// How a respondent reaches the questionnaire. Each variant is a secret from a URL or form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Personal single-use invitation link.
    Invitation(String),
    /// Printed single-use letter code (inwoners).
    Letter(String),
    /// Random resume code handed out when someone starts via the public link (inwoners).
    Public(String),
}

/// A public-link secret is `RESUME` (a resume code typed in after saving) or
/// `PUBLICCODE.RESUME` (a fresh start, handed out by [`start_public`]; the web layer signs it
/// so it cannot be made up). Only the resume part is secret and keys the draft.
fn public_parts(s: &str) -> (Option<&str>, String) {
    match s.split_once('.') {
        Some((public, rest)) => (
            Some(public),
            normalize_code(rest.split('.').next().unwrap_or("")),
        ),
        None => (None, normalize_code(s)),
    }
}

impl Access {
    fn draft_key(&self) -> String {
        match self {
            Access::Invitation(t) => hash("draft-inv", t),
            Access::Letter(c) => hash("draft-letter", &normalize_code(c)),
            Access::Public(c) => hash("draft-public", &public_parts(c).1),
        }
    }
    /// The respondent's secret itself (the key material of the sealed draft).
    fn secret(&self) -> String {
        match self {
            Access::Invitation(t) => t.clone(),
            Access::Letter(c) => normalize_code(c),
            Access::Public(c) => public_parts(c).1,
        }
    }
    /// The mark that this secret has been used to send answers, stored with the answers. It
    /// cannot be computed from anything else in storage (not from the draft key, nor from the
    /// invitation), only from the secret itself.
    fn spent_tag(&self) -> String {
        match self {
            Access::Invitation(t) => hash("spent-inv", t),
            Access::Letter(c) => hash("spent-letter", &normalize_code(c)),
            Access::Public(c) => hash("spent-public", &public_parts(c).1),
        }
    }
}

/// True when answers were sent with this link or code, or (for a personal link) with another
/// link of the same invitation — also while its marks still wait in a batch.
pub fn is_used(conn: &Connection, access: &Access) -> Result<bool> {
    if is_spent(conn, access)? {
        return Ok(true);
    }
    if let Access::Invitation(t) = access {
        let inv = invitation_by_token(conn, t)?;
        return Ok(inv.status == InvitationStatus::Finished || finish_pending(conn, inv.id));
    }
    Ok(false)
}

fn is_spent(conn: &Connection, access: &Access) -> Result<bool> {
    open_answers(conn)?;
    Ok(conn
        .query_row_c(
            "SELECT 1 FROM qa.qs_spent WHERE tag = ?1",
            [access.spent_tag()],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false))
}

/// What a respondent may do now.
#[derive(Debug, Clone)]
pub struct Session {
    pub scan: Scan,
    pub group: Group,
    pub answers: Answers,
}

/// The draft of this secret: scan, group and the answers, opened with the secret. A draft
/// that does not open (written before drafts were sealed, or changed) counts as empty.
fn draft_answers(conn: &Connection, access: &Access) -> Result<Option<(i64, Group, Answers)>> {
    let row: Option<(i64, String, String)> = conn
        .query_row_c(
            "SELECT scan_id, grp, answers FROM qs_draft WHERE key_hash = ?1",
            [access.draft_key()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(row.map(|(s, g, a)| {
        let answers = crate::seal::open(&access.secret(), &a)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        (s, Group::parse(&g).unwrap_or(Group::Inwoners), answers)
    }))
}

fn bump_started(conn: &Connection, scan_id: i64, group: Group, today: Day) -> Result<()> {
    conn.execute_c(
        "INSERT INTO qs_daily (scan_id, day, grp, started) VALUES (?1, ?2, ?3, 1)
         ON CONFLICT(scan_id, day, grp) DO UPDATE SET started = started + 1",
        params![scan_id, today.to_string(), group.as_str()],
    )?;
    Ok(())
}

fn require_open(s: &Scan) -> Result<()> {
    if s.status == ScanStatus::Open {
        Ok(())
    } else if s.status == ScanStatus::Concept {
        Err(Error::State("De vragenlijst is nog niet open.".into()))
    } else {
        Err(Error::State(
            "De vragenlijst is gesloten. Bedankt voor uw interesse.".into(),
        ))
    }
}

/// Starts a questionnaire through the public link: returns a fresh resume code. Nothing is
/// written.
pub fn start_public(conn: &Connection, public_code: &str, _today: Day) -> Result<(String, Scan)> {
    let s = scan_by_public_code(conn, public_code)?;
    require_open(&s)?;
    // Nothing is stored until the respondent saves something: starting costs no storage and
    // does not count as "gestart".
    Ok((new_code(), s))
}

/// The most unfinished questionnaires (drafts) a scan keeps; beyond it new drafts are refused
/// (existing ones can still be saved and sent). A bound on storage, far above any real scan.
pub const MAX_DRAFTS_PER_SCAN: i64 = 50_000;

/// Opens a session for a link or code: checks it is valid and unused, marks an invitation
/// as started, and returns any saved answers.
pub fn open_session(conn: &Connection, access: &Access, today: Day) -> Result<Session> {
    if is_spent(conn, access)? {
        return Err(Error::State(
            "Deze link of code is al gebruikt. Bedankt voor uw antwoorden!".into(),
        ));
    }
    match access {
        Access::Invitation(token) => {
            let inv = invitation_by_token(conn, token)?;
            let s = scan(conn, inv.scan_id)?;
            if inv.status == InvitationStatus::Finished || finish_pending(conn, inv.id) {
                return Err(Error::State(
                    "Deze link is al gebruikt. Bedankt voor uw antwoorden!".into(),
                ));
            }
            require_open(&s)?;
            // Development outbox: once the link is opened, the stored copy of the mail no
            // longer holds a working link, so whoever reads the outbox cannot open the draft.
            let redacted = conn.execute_c(
                "UPDATE qs_outbox SET body = replace(body, ?1, '[link geopend door de ontvanger]') WHERE scan_id = ?2 AND instr(body, ?1) > 0",
                params![token, s.id],
            )?;
            if redacted > 0 {
                // no earlier version of the page may keep the link (secure_delete + checkpoint)
                checkpoint_truncate(conn, "main");
            }
            if inv.status == InvitationStatus::NotStarted {
                // written later, in a shuffled batch with other respondents' marks
                queue_marks(
                    conn,
                    vec![Mark::Started {
                        invitation: inv.id,
                        scan: s.id,
                        group: inv.group,
                        day: today,
                    }],
                )?;
            }
            let answers = draft_answers(conn, access)?
                .map(|d| d.2)
                .unwrap_or_default();
            Ok(Session {
                scan: s,
                group: inv.group,
                answers,
            })
        }
        Access::Letter(code) => {
            let h = hash("letter", &normalize_code(code));
            let row: Option<(i64, bool)> = conn
                .query_row_c(
                    "SELECT scan_id, used FROM qs_letter_code WHERE code_hash = ?1",
                    [&h],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (scan_id, used) = row.ok_or(Error::NotFound)?;
            if used {
                return Err(Error::State("Deze code is al gebruikt.".into()));
            }
            let s = scan(conn, scan_id)?;
            require_open(&s)?;
            // nothing is written until something is saved (see save_draft_in)
            let answers = draft_answers(conn, access)?
                .map(|d| d.2)
                .unwrap_or_default();
            Ok(Session {
                scan: s,
                group: Group::Inwoners,
                answers,
            })
        }
        Access::Public(secret) => {
            let (s, group, answers) = match draft_answers(conn, access)? {
                Some((scan_id, group, answers)) => (scan(conn, scan_id)?, group, answers),
                None => match public_parts(secret).0 {
                    Some(public) => (
                        scan_by_public_code(conn, public)?,
                        Group::Inwoners,
                        Answers::new(),
                    ),
                    None => return Err(Error::NotFound),
                },
            };
            require_open(&s)?;
            Ok(Session {
                scan: s,
                group,
                answers,
            })
        }
    }
}

/// Saves answers given so far (merging into the draft). Keys present in `clear` are removed
/// (questions the respondent emptied on this page).
pub fn save_draft(
    conn: &Connection,
    access: &Access,
    update: &Answers,
    clear: &[String],
    today: Day,
) -> Result<Session> {
    let session = open_session(conn, access, today)?;
    let q = scan_questionnaire(conn, &session.scan)?;
    save_draft_in(conn, access, session, &q, update, clear, today)
}

/// [`save_draft`] for a session already opened with [`open_session`] and its questionnaire.
pub fn save_draft_in(
    conn: &Connection,
    access: &Access,
    mut session: Session,
    q: &Questionnaire,
    update: &Answers,
    clear: &[String],
    today: Day,
) -> Result<Session> {
    for k in clear {
        session.answers.remove(k);
    }
    session
        .answers
        .extend(update.iter().map(|(k, v)| (k.clone(), v.clone())));
    q.validate(&session.answers).map_err(Error::Invalid)?;
    let json =
        serde_json::to_string(&session.answers).map_err(|e| Error::Invalid(e.to_string()))?;
    // sealed with the respondent's secret: the database holds no readable draft
    let body = crate::seal::seal(&access.secret(), json.as_bytes());
    let key = access.draft_key();
    let tx = write_tx(conn)?;
    let exists: bool = tx
        .query_row_c("SELECT 1 FROM qs_draft WHERE key_hash = ?1", [&key], |_| {
            Ok(true)
        })
        .optional()?
        .unwrap_or(false);
    if !exists {
        let n: i64 = tx.query_row_c(
            "SELECT COUNT(*) FROM qs_draft WHERE scan_id = ?1",
            [session.scan.id],
            |r| r.get(0),
        )?;
        if n >= MAX_DRAFTS_PER_SCAN {
            return Err(Error::State(
                "Er staan nu te veel onafgemaakte vragenlijsten open. Vul de vragenlijst in één keer in, of probeer het later opnieuw.".into(),
            ));
        }
        // letter codes and the public link count as "gestart" only once something is saved
        if !matches!(access, Access::Invitation(_)) {
            bump_started(&tx, session.scan.id, session.group, today)?;
        }
    }
    tx.execute_c(
        "INSERT INTO qs_draft (key_hash, scan_id, grp, answers) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(key_hash) DO UPDATE SET answers = excluded.answers",
        params![key, session.scan.id, session.group.as_str(), body],
    )?;
    tx.commit()?;
    Ok(session)
}

fn insert_response(
    tx: &Connection,
    scan_id: i64,
    group: Group,
    channel: Channel,
    answers: &Answers,
    today: Day,
) -> Result<()> {
    let id = new_token();
    tx.execute_c(
        "INSERT INTO qa.qs_response (id, scan_id, grp, channel, submitted_on) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, scan_id, group.as_str(), channel.as_str(), today.to_string()],
    )?;
    let mut st = tx.prepare_cached(
        "INSERT INTO qa.qs_answer (response_id, item_key, num, txt) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (key, v) in answers {
        let (num, txt): (Option<i64>, Option<String>) = match v {
            AnswerValue::Scale(n) | AnswerValue::Choice(n) => (Some(i64::from(*n)), None),
            AnswerValue::DontKnow => (Some(0), None),
            AnswerValue::Ranking(r) => (
                None,
                Some(
                    r.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(","),
                ),
            ),
            AnswerValue::Text(t) => (None, Some(t.trim().to_owned())),
        };
        st.execute(params![id, key, num, txt])?;
    }
    Ok(())
}

/// Submits the answers saved in the draft of this link or code (see [`submit`]); the draft is
/// read inside the submit transaction.
pub fn submit_draft(conn: &Connection, access: &Access, today: Day) -> Result<()> {
    submit_inner(conn, access, None, today)
}

/// Submits the final answers. In one transaction: the answers are stored with a random id,
/// the date and the group only; the invitation or letter code is marked used; the draft is
/// deleted. A second submit with the same link fails.
pub fn submit(conn: &Connection, access: &Access, answers: &Answers, today: Day) -> Result<()> {
    submit_inner(conn, access, Some(answers), today)
}

fn submit_inner(
    conn: &Connection,
    access: &Access,
    answers: Option<&Answers>,
    today: Day,
) -> Result<()> {
    open_answers(conn)?;
    let key = access.draft_key();
    let used = || Error::State("Deze link of code is al gebruikt.".into());
    let tx = write_tx(conn)?;
    if is_spent(&tx, access)? {
        return Err(used());
    }
    // Marks outside the answers database: queued, written later in a shuffled batch.
    let mut marks = vec![Mark::DraftDone { key: key.clone() }];
    let (s, group) = match access {
        Access::Invitation(token) => {
            let inv = invitation_by_token(&tx, token)?;
            if inv.status == InvitationStatus::Finished || finish_pending(conn, inv.id) {
                return Err(used());
            }
            marks.push(Mark::Finished {
                invitation: inv.id,
                scan: inv.scan_id,
                group: inv.group,
                day: today,
            });
            (scan(&tx, inv.scan_id)?, inv.group)
        }
        Access::Letter(code) => {
            let h = hash("letter", &normalize_code(code));
            let (scan_id, was_used): (i64, bool) = tx
                .query_row_c(
                    "SELECT scan_id, used FROM qs_letter_code WHERE code_hash = ?1",
                    [&h],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?
                .ok_or(Error::NotFound)?;
            if was_used {
                return Err(used());
            }
            marks.push(Mark::LetterUsed { code_hash: h });
            (scan(&tx, scan_id)?, Group::Inwoners)
        }
        Access::Public(secret) => match draft_answers(&tx, access)? {
            Some((scan_id, group, _)) => (scan(&tx, scan_id)?, group),
            None => match public_parts(secret).0 {
                Some(public) => (scan_by_public_code(&tx, public)?, Group::Inwoners),
                None => {
                    return Err(Error::State(
                        "Deze antwoorden zijn al verstuurd, of de code klopt niet.".into(),
                    ));
                }
            },
        },
    };
    require_open(&s)?;
    let drafted;
    let answers = if let Some(a) = answers {
        a
    } else {
        drafted = draft_answers(&tx, access)?.map(|d| d.2).unwrap_or_default();
        &drafted
    };
    let q = scan_questionnaire(&tx, &s)?;
    q.validate(answers).map_err(Error::Invalid)?;
    // This transaction writes to the answers database only.
    insert_response(&tx, s.id, group, Channel::Online, answers, today)?;
    tx.execute_c(
        "INSERT INTO qa.qs_spent (tag, scan_id) VALUES (?1, ?2)",
        params![access.spent_tag(), s.id],
    )?;
    tx.commit()?;
    checkpoint(conn, "qa");
    queue_marks(conn, marks)
}

/// A paper questionnaire typed in by the trekker: tagged as paper. Allowed only while the scan
/// is open, so that no answer can be added once a report (or any figure of it) can be seen.
pub fn enter_paper(
    conn: &Connection,
    scan_id: i64,
    group: Group,
    answers: &Answers,
    today: Day,
) -> Result<()> {
    let s = scan(conn, scan_id)?;
    if s.status != ScanStatus::Open {
        return Err(Error::State(
            "Papieren antwoorden kunnen alleen worden ingevoerd zolang de vragenlijst open is."
                .into(),
        ));
    }
    if answers.is_empty() {
        return Err(Error::Invalid("Vul minstens één antwoord in.".into()));
    }
    let q = scan_questionnaire(conn, &s)?;
    q.validate(answers).map_err(Error::Invalid)?;
    open_answers(conn)?;
    let tx = write_tx(conn)?;
    insert_response(&tx, scan_id, group, Channel::Paper, answers, today)?;
    tx.commit()?;
    checkpoint(conn, "qa");
    Ok(())
}

// ---------- reading answers (for the report) ----------

/// Counts of scale/choice values: (group, item_key, value) → count.
pub type Counts = BTreeMap<(Group, String, i64), u64>;

pub fn response_counts(conn: &Connection, scan_id: i64) -> Result<BTreeMap<Group, u64>> {
    open_answers(conn)?;
    let rows: Vec<(String, i64)> = query_all(
        conn,
        "SELECT grp, COUNT(*) FROM qs_response WHERE scan_id = ?1 GROUP BY grp",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut out = BTreeMap::new();
    for (g, n) in rows {
        if let Some(g) = Group::parse(&g) {
            out.insert(g, u64::try_from(n).unwrap_or(0));
        }
    }
    Ok(out)
}

pub fn answer_counts(conn: &Connection, scan_id: i64) -> Result<Counts> {
    open_answers(conn)?;
    let rows: Vec<(String, String, i64, i64)> = query_all(
        conn,
        "SELECT r.grp, a.item_key, a.num, COUNT(*) FROM qs_response r JOIN qs_answer a ON a.response_id = r.id
         WHERE r.scan_id = ?1 AND a.num IS NOT NULL GROUP BY r.grp, a.item_key, a.num",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let mut out = Counts::new();
    for (g, k, v, n) in rows {
        if let Some(g) = Group::parse(&g) {
            out.insert((g, k, v), u64::try_from(n).unwrap_or(0));
        }
    }
    Ok(out)
}

/// Text answers: (group, item key, text).
pub type TextAnswers = Vec<(Group, String, String)>;

/// Per group: all answers and how many of them came on paper.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupCount {
    pub total: u64,
    pub paper: u64,
}

impl GroupCount {
    /// Self-submitted (online) answers: the only ones that count toward [`MIN_GROUP`].
    pub fn online(self) -> u64 {
        self.total - self.paper
    }
}

/// Per group: submitted questionnaires, total and on paper.
pub fn group_counts(conn: &Connection, scan_id: i64) -> Result<BTreeMap<Group, GroupCount>> {
    open_answers(conn)?;
    let rows: Vec<(String, String, i64)> = query_all(
        conn,
        "SELECT grp, channel, COUNT(*) FROM qs_response WHERE scan_id = ?1 GROUP BY grp, channel",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut out: BTreeMap<Group, GroupCount> = BTreeMap::new();
    for (g, c, n) in rows {
        if let Some(g) = Group::parse(&g) {
            let n = u64::try_from(n).unwrap_or(0);
            let e = out.entry(g).or_default();
            e.total += n;
            if c == "paper" {
                e.paper += n;
            }
        }
    }
    Ok(out)
}

/// Everything the report reads from the answers.
#[derive(Debug, Clone, Default)]
pub struct AnswerData {
    pub counts: Counts,
    pub texts: TextAnswers,
    /// Self-submitted (online) answers per (group, item): a cell is shown only when this is at
    /// least the threshold.
    pub online: BTreeMap<(Group, String), u64>,
}

/// [`answer_counts`], [`text_answers`] and the online answers per cell in one pass over the
/// answers, counted in memory (no sort for a GROUP BY): for 10,000 responses this is the bulk
/// of the report's time.
pub fn answer_data(conn: &Connection, scan_id: i64) -> Result<AnswerData> {
    open_answers(conn)?;
    let mut st = conn.prepare(
        "SELECT r.grp, a.item_key, a.num, a.txt, r.channel FROM qs_response r JOIN qs_answer a ON a.response_id = r.id
         WHERE r.scan_id = ?1",
    )?;
    let mut counts: std::collections::HashMap<(Group, String, i64), u64> =
        std::collections::HashMap::new();
    let mut online: std::collections::HashMap<(Group, String), u64> =
        std::collections::HashMap::new();
    let mut texts = Vec::new();
    let mut rows = st.query([scan_id])?;
    while let Some(r) = rows.next()? {
        let Some(g) = Group::parse(r.get_ref(0)?.as_str().unwrap_or("")) else {
            continue;
        };
        let key = r.get_ref(1)?.as_str().unwrap_or("");
        if r.get_ref(4)?.as_str().unwrap_or("") == "online" {
            if let Some(n) = online.get_mut(&(g, key.to_owned())) {
                *n += 1;
            } else {
                online.insert((g, key.to_owned()), 1);
            }
        }
        if let Some(v) = r.get::<_, Option<i64>>(2)? {
            if let Some(n) = counts.get_mut(&(g, key.to_owned(), v)) {
                *n += 1;
            } else {
                counts.insert((g, key.to_owned(), v), 1);
            }
        } else if let Some(t) = r.get::<_, Option<String>>(3)? {
            texts.push((g, key.to_owned(), t));
        }
    }
    Ok(AnswerData {
        counts: counts.into_iter().collect(),
        texts,
        online: online.into_iter().collect(),
    })
}

/// Text answers (open and ranking) per group and item.
pub fn text_answers(conn: &Connection, scan_id: i64) -> Result<Vec<(Group, String, String)>> {
    open_answers(conn)?;
    let rows: Vec<(String, String, String)> = query_all(
        conn,
        "SELECT r.grp, a.item_key, a.txt FROM qs_response r JOIN qs_answer a ON a.response_id = r.id
         WHERE r.scan_id = ?1 AND a.txt IS NOT NULL",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut out = Vec::new();
    for (g, k, t) in rows {
        if let Some(g) = Group::parse(&g) {
            out.push((g, k, t));
        }
    }
    Ok(out)
}

// ---------- monitoring ----------

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupProgress {
    /// Invited by name (0 for inwoners).
    pub invited: u64,
    /// Started: invitations opened, or public/letter drafts begun.
    pub started: u64,
    /// Submitted answers (online and paper).
    pub finished: u64,
    pub paper: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Monitor {
    pub groups: BTreeMap<Group, GroupProgress>,
    /// Per day and group: (started, finished).
    pub days: BTreeMap<(Day, Group), (u64, u64)>,
}

pub fn monitor(conn: &Connection, scan_id: i64) -> Result<Monitor> {
    open_answers(conn)?;
    let mut m = Monitor::default();
    for g in Group::ALL {
        m.groups.insert(g, GroupProgress::default());
    }
    let invitations: Vec<(String, String, i64)> = query_all(
        conn,
        "SELECT grp, status, COUNT(*) FROM qs_invitation WHERE scan_id = ?1 GROUP BY grp, status",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    for (g, s, n) in invitations {
        let Some(g) = Group::parse(&g) else { continue };
        let n = u64::try_from(n).unwrap_or(0);
        let e = m.groups.entry(g).or_default();
        e.invited += n;
        if s != "not_started" {
            e.started += n;
        }
    }
    let daily: Vec<(String, String, i64)> = query_all(
        conn,
        "SELECT day, grp, started FROM qs_daily WHERE scan_id = ?1",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    for (d, g, n) in daily {
        let (Some(d), Some(g)) = (Day::parse(&d), Group::parse(&g)) else {
            continue;
        };
        let n = u64::try_from(n).unwrap_or(0);
        m.days.entry((d, g)).or_default().0 += n;
        if g == Group::Inwoners {
            m.groups.entry(g).or_default().started += n;
        }
    }
    let responses: Vec<(String, String, String, i64)> = query_all(
        conn,
        "SELECT submitted_on, grp, channel, COUNT(*) FROM qs_response WHERE scan_id = ?1 GROUP BY submitted_on, grp, channel",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    for (d, g, c, n) in responses {
        let (Some(d), Some(g)) = (Day::parse(&d), Group::parse(&g)) else {
            continue;
        };
        let n = u64::try_from(n).unwrap_or(0);
        let e = m.groups.entry(g).or_default();
        e.finished += n;
        if c == "paper" {
            e.paper += n;
        }
        m.days.entry((d, g)).or_default().1 += n;
    }
    Ok(m)
}

// ---------- retention ----------

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RetentionReport {
    pub scans_purged: Vec<i64>,
    pub invitations_cleared: usize,
    pub drafts_deleted: usize,
    pub mails_deleted: usize,
}

/// Deletes personal data whose retention period has passed: names, e-mail addresses and
/// links of invitations, the mail outbox and unused letter codes, for every scan closed at
/// least `retention_days` ago. Also deletes drafts of scans that are no longer open.
pub fn run_retention(conn: &Connection, today: Day) -> Result<RetentionReport> {
    let mut rep = RetentionReport::default();
    let tx = write_tx(conn)?;
    rep.drafts_deleted = tx.execute_c(
        "DELETE FROM qs_draft WHERE scan_id IN (SELECT id FROM qs_scan WHERE status <> 'open')",
        [],
    )?;
    let due: Vec<(i64, String, i64)> = query_all(
        &tx,
        "SELECT id, closed_on, retention_days FROM qs_scan WHERE closed_on IS NOT NULL AND purged_on IS NULL",
        [],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    for (id, closed, days) in due {
        let Some(closed) = Day::parse(&closed) else {
            continue;
        };
        if closed.plus(days) > today {
            continue;
        }
        rep.invitations_cleared += tx.execute_c(
            "UPDATE qs_invitation SET name = NULL, email = NULL, token = NULL WHERE scan_id = ?1",
            [id],
        )?;
        tx.execute_c(
            "DELETE FROM qs_invitation_link WHERE invitation_id IN (SELECT id FROM qs_invitation WHERE scan_id = ?1)",
            [id],
        )?;
        rep.mails_deleted += tx.execute_c("DELETE FROM qs_outbox WHERE scan_id = ?1", [id])?;
        tx.execute_c("DELETE FROM qs_letter_code WHERE scan_id = ?1", [id])?;
        tx.execute_c(
            "UPDATE qs_scan SET purged_on = ?2 WHERE id = ?1",
            params![id, today.to_string()],
        )?;
        rep.scans_purged.push(id);
    }
    tx.commit()?;
    Ok(rep)
}

// ---------- outbox ----------

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxMail {
    pub id: i64,
    pub to: String,
    pub subject: String,
    pub body: String,
    pub created_at: String,
}

pub fn outbox_add(
    conn: &Connection,
    scan_id: i64,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<()> {
    conn.execute_c(
        "INSERT INTO qs_outbox (scan_id, to_addr, subject, body, created_at) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![scan_id, to, subject, body, now_stamp()],
    )?;
    Ok(())
}

pub fn outbox(conn: &Connection, scan_id: i64) -> Result<Vec<OutboxMail>> {
    query_all(
        conn,
        "SELECT id, to_addr, subject, body, created_at FROM qs_outbox WHERE scan_id = ?1 ORDER BY id DESC",
        [scan_id],
        |r| {
            Ok(OutboxMail {
                id: r.get(0)?,
                to: r.get(1)?,
                subject: r.get(2)?,
                body: r.get(3)?,
                created_at: r.get(4)?,
            })
        },
    )
}

// ---------- audit ----------

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditEntry {
    pub at: String,
    pub actor: String,
    pub org_id: Option<String>,
    pub scan_id: Option<i64>,
    pub action: String,
    pub detail: String,
}

/// Records an administrative action. Never pass answer content in `detail`.
pub fn audit(
    conn: &Connection,
    actor: &str,
    org_id: Option<&str>,
    scan_id: Option<i64>,
    action: &str,
    detail: &str,
) -> Result<()> {
    audit_at(conn, &now_stamp(), actor, org_id, scan_id, action, detail)
}

/// Records an action with only the date, for actions close to answers (paper entry), so the
/// log cannot tie an answer to a moment.
pub fn audit_day(
    conn: &Connection,
    today: Day,
    actor: &str,
    org_id: Option<&str>,
    scan_id: Option<i64>,
    action: &str,
    detail: &str,
) -> Result<()> {
    audit_at(
        conn,
        &today.to_string(),
        actor,
        org_id,
        scan_id,
        action,
        detail,
    )
}

fn audit_at(
    conn: &Connection,
    at: &str,
    actor: &str,
    org_id: Option<&str>,
    scan_id: Option<i64>,
    action: &str,
    detail: &str,
) -> Result<()> {
    conn.execute_c(
        "INSERT INTO qs_audit (at, actor, org_id, scan_id, action, detail) VALUES (?1, ?2, ?3, ?4, ?5, ?6)",
        params![at, actor, org_id, scan_id, action, detail],
    )?;
    Ok(())
}

pub fn audit_log(conn: &Connection, org_id: Option<&str>, limit: u32) -> Result<Vec<AuditEntry>> {
    query_all(
        conn,
        "SELECT at, actor, org_id, scan_id, action, detail FROM qs_audit
         WHERE (?1 IS NULL OR org_id = ?1) ORDER BY id DESC LIMIT ?2",
        params![org_id, limit],
        |r| {
            Ok(AuditEntry {
                at: r.get(0)?,
                actor: r.get(1)?,
                org_id: r.get(2)?,
                scan_id: r.get(3)?,
                action: r.get(4)?,
                detail: r.get(5)?,
            })
        },
    )
}

// ---------- verbeteragenda ----------

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgendaStatus {
    Gepland,
    Bezig,
    Klaar,
    Gestopt,
}

impl AgendaStatus {
    pub const ALL: [AgendaStatus; 4] = [Self::Gepland, Self::Bezig, Self::Klaar, Self::Gestopt];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gepland => "gepland",
            Self::Bezig => "bezig",
            Self::Klaar => "klaar",
            Self::Gestopt => "gestopt",
        }
    }
    pub fn label_nl(self) -> &'static str {
        match self {
            Self::Gepland => "Gepland",
            Self::Bezig => "Bezig",
            Self::Klaar => "Klaar",
            Self::Gestopt => "Gestopt",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub id: i64,
    pub scan_id: i64,
    pub priority: u32,
    pub title: String,
    pub description: String,
    pub owner: String,
    pub deadline: Option<Day>,
    pub status: AgendaStatus,
    pub notes: Vec<AgendaNote>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaNote {
    pub author: String,
    pub at: String,
    /// "voortgang" (progress by the trekker) or "commentaar" (by the commissie).
    pub kind: String,
    pub text: String,
}

pub struct NewAgendaItem<'a> {
    pub priority: u32,
    pub title: &'a str,
    pub description: &'a str,
    pub owner: &'a str,
    pub deadline: Option<Day>,
}

pub fn add_agenda_item(conn: &Connection, scan_id: i64, item: &NewAgendaItem<'_>) -> Result<i64> {
    let s = scan(conn, scan_id)?;
    if s.status < ScanStatus::Report {
        return Err(Error::State(
            "Maak eerst het rapport; daarna volgt de verbeteragenda.".into(),
        ));
    }
    if item.title.trim().is_empty() || item.title.chars().count() > 200 {
        return Err(Error::Invalid(
            "Geef het actiepunt een titel (hoogstens 200 tekens).".into(),
        ));
    }
    if item.owner.trim().is_empty() {
        return Err(Error::Invalid("Vul in wie eigenaar is.".into()));
    }
    conn.execute_c(
        "INSERT INTO qs_agenda (scan_id, priority, title, description, owner, deadline, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'gepland')",
        params![scan_id, item.priority, item.title.trim(), item.description.trim(), item.owner.trim(), item.deadline.map(|d| d.to_string())],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn set_agenda_status(
    conn: &Connection,
    scan_id: i64,
    id: i64,
    status: AgendaStatus,
) -> Result<()> {
    let n = conn.execute_c(
        "UPDATE qs_agenda SET status = ?3 WHERE id = ?1 AND scan_id = ?2",
        params![id, scan_id, status.as_str()],
    )?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

pub fn add_agenda_note(
    conn: &Connection,
    scan_id: i64,
    id: i64,
    author: &str,
    kind: &str,
    text: &str,
) -> Result<()> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 2000 {
        return Err(Error::Invalid(
            "Schrijf een notitie van hoogstens 2000 tekens.".into(),
        ));
    }
    let exists: bool = conn
        .query_row_c(
            "SELECT 1 FROM qs_agenda WHERE id = ?1 AND scan_id = ?2",
            params![id, scan_id],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if !exists {
        return Err(Error::NotFound);
    }
    conn.execute_c(
        "INSERT INTO qs_agenda_note (agenda_id, author, at, kind, note) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, author, now_stamp(), kind, text],
    )?;
    Ok(())
}

pub fn agenda(conn: &Connection, scan_id: i64) -> Result<Vec<AgendaItem>> {
    let mut items: Vec<AgendaItem> = query_all(
        conn,
        "SELECT id, scan_id, priority, title, description, owner, deadline, status FROM qs_agenda WHERE scan_id = ?1 ORDER BY priority, id",
        [scan_id],
        |r| {
            Ok(AgendaItem {
                id: r.get(0)?,
                scan_id: r.get(1)?,
                priority: r.get(2)?,
                title: r.get(3)?,
                description: r.get(4)?,
                owner: r.get(5)?,
                deadline: day_col(r, 6)?,
                status: AgendaStatus::parse(&r.get::<_, String>(7)?)
                    .unwrap_or(AgendaStatus::Gepland),
                notes: Vec::new(),
            })
        },
    )?;
    let mut st = conn.prepare(
        "SELECT author, at, kind, note FROM qs_agenda_note WHERE agenda_id = ?1 ORDER BY id",
    )?;
    for it in &mut items {
        it.notes = st
            .query_map([it.id], |r| {
                Ok(AgendaNote {
                    author: r.get(0)?,
                    at: r.get(1)?,
                    kind: r.get(2)?,
                    text: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(items)
}

/// The verbeteragenda as CSV.
pub fn agenda_csv(conn: &Connection, scan_id: i64) -> Result<String> {
    use crate::csv::line;
    let mut out = line(
        &[
            "prioriteit",
            "actiepunt",
            "toelichting",
            "eigenaar",
            "deadline",
            "status",
            "laatste voortgang",
        ]
        .map(String::from),
    );
    for it in agenda(conn, scan_id)? {
        let last = it
            .notes
            .iter()
            .rev()
            .find(|n| n.kind == "voortgang")
            .map(|n| n.text.clone())
            .unwrap_or_default();
        out.push_str(&line(&[
            it.priority.to_string(),
            it.title,
            it.description,
            it.owner,
            it.deadline.map(|d| d.to_string()).unwrap_or_default(),
            it.status.label_nl().to_owned(),
            last,
        ]));
    }
    Ok(out)
}
