//! SQLite access (system libsqlite3): a small connection pool, WAL, foreign keys, busy
//! timeout, and ordered per-module migrations recorded in `schema_migrations`.

use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};

use rusqlite::Connection;

use crate::{AppError, Error};

/// How many idle connections are kept.
const POOL_SIZE: usize = 8;

/// A handle to the database; cheap to clone.
#[derive(Clone)]
pub struct Db {
    path: Arc<PathBuf>,
    idle: Arc<Mutex<Vec<Connection>>>,
}

impl std::fmt::Debug for Db {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Db")
            .field("path", &self.path)
            .finish_non_exhaustive()
    }
}

impl Db {
    /// Opens (or creates) the database file and switches it to WAL.
    pub fn open(path: impl AsRef<Path>) -> Result<Db, Error> {
        let path = path.as_ref().to_path_buf();
        if let Some(parent) = path.parent().filter(|p| !p.as_os_str().is_empty()) {
            std::fs::create_dir_all(parent)?;
        }
        let db = Db {
            path: Arc::new(path),
            idle: Arc::new(Mutex::new(Vec::new())),
        };
        let conn = db.connect()?;
        // WAL is persistent in the file; set it once.
        let mode: String = conn.query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))?;
        if !mode.eq_ignore_ascii_case("wal") {
            return Err(Error::Config(format!(
                "SQLite kon niet naar WAL (nu: {mode})"
            )));
        }
        db.put_back(conn);
        Ok(db)
    }

    /// The database file.
    pub fn path(&self) -> &Path {
        &self.path
    }

    fn connect(&self) -> rusqlite::Result<Connection> {
        let conn = Connection::open(&*self.path)?;
        // Via PRAGMA: rusqlite's busy_timeout() needs SQLite >= 3.44 (Debian 12 has 3.40).
        conn.execute_batch(
            "PRAGMA busy_timeout=10000; PRAGMA foreign_keys=ON; PRAGMA synchronous=NORMAL; PRAGMA temp_store=MEMORY;",
        )?;
        Ok(conn)
    }

    fn take(&self) -> rusqlite::Result<Connection> {
        let pooled = self.idle.lock().map_or(None, |mut idle| idle.pop());
        match pooled {
            Some(conn) => Ok(conn),
            None => self.connect(),
        }
    }

    fn put_back(&self, conn: Connection) {
        if let Ok(mut idle) = self.idle.lock()
            && idle.len() < POOL_SIZE
        {
            idle.push(conn);
        }
    }

    /// Runs `f` with a connection on the current thread (for start-up, CLI and tests).
    pub fn with<T, E: From<rusqlite::Error>>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, E>,
    ) -> Result<T, E> {
        let mut conn = self.take()?;
        let result = f(&mut conn);
        // A connection left inside a transaction is not reused.
        if conn.is_autocommit() {
            self.put_back(conn);
        }
        result
    }

    /// Runs `f` with a connection on the blocking thread pool (use this in handlers).
    pub async fn call<T: Send + 'static>(
        &self,
        f: impl FnOnce(&mut Connection) -> Result<T, AppError> + Send + 'static,
    ) -> Result<T, AppError> {
        let db = self.clone();
        tokio::task::spawn_blocking(move || db.with(f))
            .await
            .map_err(|e| AppError::internal(format!("databasetaak mislukt: {e}")))?
    }
}

/// One schema change. `module` plus `id` is unique; migrations of a module run in the order
/// they were registered, each once, in a transaction.
#[derive(Clone, Copy, Debug)]
pub struct Migration {
    /// Module prefix, e.g. `webkit`, `web`, `quickscan`.
    pub module: &'static str,
    /// Ordered id within the module, e.g. `0001_users`.
    pub id: &'static str,
    pub sql: &'static str,
}

/// Applies the migrations that have not run yet. Returns how many ran.
pub fn migrate(conn: &mut Connection, migrations: &[Migration]) -> Result<usize, Error> {
    conn.execute_batch(
        "CREATE TABLE IF NOT EXISTS schema_migrations (
            module TEXT NOT NULL,
            id TEXT NOT NULL,
            applied_at INTEGER NOT NULL,
            PRIMARY KEY (module, id)
        )",
    )?;
    let mut seen = std::collections::HashSet::new();
    for m in migrations {
        if !seen.insert((m.module, m.id)) {
            return Err(Error::Config(format!(
                "migratie {}/{} staat twee keer in de lijst",
                m.module, m.id
            )));
        }
    }
    let mut ran = 0;
    for m in migrations {
        let done: bool = conn.query_row(
            "SELECT EXISTS(SELECT 1 FROM schema_migrations WHERE module = ?1 AND id = ?2)",
            (m.module, m.id),
            |r| r.get(0),
        )?;
        if done {
            continue;
        }
        let tx = conn.transaction()?;
        tx.execute_batch(m.sql)
            .map_err(|e| Error::Config(format!("migratie {}/{} mislukt: {e}", m.module, m.id)))?;
        tx.execute(
            "INSERT INTO schema_migrations (module, id, applied_at) VALUES (?1, ?2, ?3)",
            (m.module, m.id, crate::now()),
        )?;
        tx.commit()?;
        ran += 1;
    }
    Ok(ran)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn migrations_run_once_in_order() {
        let dir = crate::TempDir::new("db");
        let db = Db::open(dir.path().join("t.sqlite")).unwrap();
        let ms = [
            Migration {
                module: "a",
                id: "0001",
                sql: "CREATE TABLE t (x INTEGER)",
            },
            Migration {
                module: "a",
                id: "0002",
                sql: "INSERT INTO t VALUES (1)",
            },
            Migration {
                module: "b",
                id: "0001",
                sql: "INSERT INTO t VALUES (2)",
            },
        ];
        db.with(|c| {
            assert_eq!(migrate(c, &ms).unwrap(), 3);
            assert_eq!(migrate(c, &ms).unwrap(), 0);
            let n: i64 = c.query_row("SELECT sum(x) FROM t", [], |r| r.get(0))?;
            assert_eq!(n, 3);
            let fk: i64 = c.query_row("PRAGMA foreign_keys", [], |r| r.get(0))?;
            assert_eq!(fk, 1);
            let mode: String = c.query_row("PRAGMA journal_mode", [], |r| r.get(0))?;
            assert_eq!(mode, "wal");
            Ok::<_, rusqlite::Error>(())
        })
        .unwrap();
        let dup = [ms[0], ms[0]];
        assert!(
            db.with(|c| Ok::<_, rusqlite::Error>(migrate(c, &dup)))
                .unwrap()
                .is_err()
        );
    }
}
