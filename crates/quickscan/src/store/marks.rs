//! Marks written apart from the answers: invitation status, used letter codes and draft deletion, batched and shuffled.

use super::{
    Cached, Connection, Day, Group, OptionalExtension, Result, bump_started, checkpoint, shuffle,
    write_tx,
};

/// How many respondents' marks (invitation started/finished, letter code used, draft deleted)
/// are collected before they are written, together and in random order.
pub const MARK_BATCH: usize = 5;

pub(super) static BATCH: std::sync::atomic::AtomicUsize =
    std::sync::atomic::AtomicUsize::new(MARK_BATCH);

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
pub(super) enum Mark {
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

pub(super) type Marks = std::sync::Mutex<std::collections::HashMap<String, Vec<Vec<Mark>>>>;

/// Pending marks per database file (one entry per respondent, each a list of marks).
pub(super) fn marks() -> &'static Marks {
    static M: std::sync::OnceLock<Marks> = std::sync::OnceLock::new();
    M.get_or_init(Default::default)
}

pub(super) fn marks_key(conn: &Connection) -> Option<String> {
    conn.path().filter(|p| !p.is_empty()).map(str::to_owned)
}

/// Queues one respondent's marks; writes the batch when it is full. An in-memory database
/// (tests) writes at once.
pub(super) fn queue_marks(conn: &Connection, respondent: Vec<Mark>) -> Result<()> {
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

pub(super) fn pending_finish(conn: &Connection, id: i64) -> bool {
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

pub(super) fn write_marks(conn: &Connection, batch: Vec<Vec<Mark>>) -> Result<()> {
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
