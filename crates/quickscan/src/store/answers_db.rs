//! The answers database: its own file, attached, with random ids and dates only.

use super::{
    Cached, Connection, OptionalExtension, PRAGMAS, Result, hash, params, query_all, write_tx,
};

/// File name of the answers database, beside the main database file.
pub const ANSWERS_FILE: &str = "quickscan-answers.sqlite";

pub(super) const ANSWERS_SCHEMA: &str = "
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
pub(super) fn answers_path(conn: &Connection) -> String {
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
pub(super) fn upgrade_secrets(conn: &Connection) -> Result<()> {
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
