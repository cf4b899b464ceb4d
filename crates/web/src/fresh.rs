//! Caches that are never stale.
//!
//! The public pages read the stored elections from memory, not from SQLite on every request.
//! What keeps that memory true is one number in the database, the *generation*
//! (`web_generation.n`): triggers raise it in the same transaction as every change to an
//! election or its verification (import, re-import as a new version, delete, demo reset), by
//! this server, by `stembus import` in another process, or by anything else that writes the
//! file. Every cached value is read in one read transaction together with the generation it
//! was read at; a request first reads the current generation (one row on a connection kept
//! for that alone: microseconds, no thread hop, no pool) and uses a cached value only when
//! its generation is the current one. So a value can be reused, never be stale, and a
//! request that raced an import can never store an old value over a new one.

use std::collections::HashMap;
use std::path::Path;
use std::sync::{Arc, Mutex, PoisonError, RwLock};

use webkit::rusqlite::{self, Connection};
use webkit::{AppError, Lang};

use crate::store;

/// The generation counter and the triggers that raise it.
pub const MIGRATION_0005: &str = "
CREATE TABLE web_generation (
    id INTEGER PRIMARY KEY CHECK (id = 1),
    n INTEGER NOT NULL
);
INSERT INTO web_generation (id, n) VALUES (1, 0);
CREATE TRIGGER web_generation_election_insert AFTER INSERT ON web_elections
    BEGIN UPDATE web_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER web_generation_election_update AFTER UPDATE ON web_elections
    BEGIN UPDATE web_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER web_generation_election_delete AFTER DELETE ON web_elections
    BEGIN UPDATE web_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER web_generation_verification_insert AFTER INSERT ON web_verifications
    BEGIN UPDATE web_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER web_generation_verification_update AFTER UPDATE ON web_verifications
    BEGIN UPDATE web_generation SET n = n + 1 WHERE id = 1; END;
CREATE TRIGGER web_generation_verification_delete AFTER DELETE ON web_verifications
    BEGIN UPDATE web_generation SET n = n + 1 WHERE id = 1; END;
";

/// The generation as seen by this connection's current (or next) read.
pub fn generation(conn: &Connection) -> rusqlite::Result<u64> {
    conn.prepare_cached("SELECT n FROM web_generation WHERE id = 1")?
        .query_row([], |r| r.get::<_, i64>(0))
        .map(|n| u64::try_from(n).unwrap_or(0))
}

/// Runs `read` in one read transaction and returns the generation it saw with its value.
pub fn snapshot<T>(
    conn: &mut Connection,
    read: impl FnOnce(&Connection) -> rusqlite::Result<T>,
) -> rusqlite::Result<(u64, T)> {
    let tx = conn.transaction()?;
    let g = generation(&tx)?;
    let value = read(&tx)?;
    tx.commit()?;
    Ok((g, value))
}

/// Connections of their own for reading the generation: a few, so that the request threads
/// do not wait for each other (each takes the first free one).
pub struct Watch([Mutex<Option<Connection>>; WATCH_CONNECTIONS]);

const WATCH_CONNECTIONS: usize = 4;

impl Default for Watch {
    fn default() -> Self {
        Watch(std::array::from_fn(|_| Mutex::new(None)))
    }
}

impl Watch {
    /// The current generation. A read in WAL mode never waits for a writer, so this runs on
    /// the request's own thread (a few microseconds).
    pub fn current(&self, db: &Path) -> Result<u64, AppError> {
        let mut slot = self
            .0
            .iter()
            .find_map(|m| m.try_lock().ok())
            .unwrap_or_else(|| self.0[0].lock().unwrap_or_else(PoisonError::into_inner));
        if slot.is_none() {
            let conn = Connection::open(db)?;
            conn.execute_batch("PRAGMA busy_timeout=2000; PRAGMA query_only=ON;")?;
            *slot = Some(conn);
        }
        let read = slot.as_ref().map(generation);
        match read {
            Some(Ok(g)) => Ok(g),
            Some(Err(e)) => {
                // Open afresh next time (the file may have been replaced).
                *slot = None;
                Err(e.into())
            }
            None => Err(AppError::internal("geen verbinding met de database")),
        }
    }
}

/// Values per key, each with the generation it was read at.
pub struct PerKey<T>(RwLock<HashMap<String, (u64, T)>>);

impl<T> Default for PerKey<T> {
    fn default() -> Self {
        PerKey(RwLock::default())
    }
}

impl<T: Clone> PerKey<T> {
    /// The value of `key` if it was read at generation `now`.
    pub fn get(&self, key: &str, now: u64) -> Option<T> {
        let map = self.0.read().ok()?;
        map.get(key)
            .filter(|(g, _)| *g == now)
            .map(|(_, v)| v.clone())
    }

    /// Keeps `value`, read at generation `g`, unless a value of the same or a newer
    /// generation is there already; returns the value to use (the one kept first for `g`, so
    /// two first requests agree) and whether it is `value` itself. Values of older
    /// generations are dropped.
    pub fn put(&self, key: &str, g: u64, value: T) -> (T, bool) {
        let Ok(mut map) = self.0.write() else {
            return (value, false);
        };
        if let Some((old, kept)) = map.get(key) {
            if *old == g {
                return (kept.clone(), false);
            }
            if *old > g {
                return (value, false);
            }
        }
        map.retain(|_, (old, _)| *old >= g);
        map.insert(key.to_string(), (g, value.clone()));
        (value, true)
    }

    /// Forgets everything (to free memory; correctness does not depend on it).
    pub fn clear(&self) {
        if let Ok(mut map) = self.0.write() {
            map.clear();
        }
    }
}

/// The list of stored elections at one generation, with the home page's body rendered once
/// per language.
pub struct Elections {
    pub generation: u64,
    pub list: Vec<store::Summary>,
    home: RwLock<HashMap<Lang, Arc<str>>>,
}

impl Elections {
    pub fn new(generation: u64, list: Vec<store::Summary>) -> Elections {
        Elections {
            generation,
            list,
            home: RwLock::default(),
        }
    }

    /// The home page's body in `lang`, rendered on first use.
    pub fn home(
        &self,
        lang: Lang,
        render: impl FnOnce() -> maud::Markup,
    ) -> maud::PreEscaped<Arc<str>> {
        if let Some(b) = self.home.read().ok().and_then(|m| m.get(&lang).cloned()) {
            return maud::PreEscaped(b);
        }
        let body: Arc<str> = render().into_string().into();
        if let Ok(mut m) = self.home.write() {
            m.entry(lang).or_insert_with(|| body.clone());
        }
        maud::PreEscaped(body)
    }
}
