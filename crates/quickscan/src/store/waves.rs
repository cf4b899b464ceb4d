//! A new wave (voortgangsmeting) takes over what the previous one was set up with: its
//! settings, its maatwerkvragen (same keys, so the report compares them across waves) and its
//! respondents' names and addresses — while those still exist (the retention job deletes them
//! `retention_days` after closing).
//!
//! Nothing of the answers, the invitations' statuses, mail counts, links or letter codes is
//! copied: the new wave's invitations start as "nog niet begonnen" with no link, and new links
//! are made when the invitations are sent. Answers live in another file and are never read here.

use super::{
    Cached, Connection, Error, Item, Result, ScanStatus, custom_items, is_locked, params,
    query_all, scan, write_tx,
};

/// What the previous wave still offers to the scan `scan_id`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WaveSource {
    pub previous_id: i64,
    pub previous_title: String,
    pub min_group: u32,
    pub retention_days: u32,
    pub items: Vec<Item>,
    /// Respondents with name and address still stored.
    pub respondents: usize,
    /// The previous wave's personal data were deleted (retention or per person): then no
    /// respondents can be taken over.
    pub personal_data_deleted: bool,
}

/// What to take over.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CopyChoice {
    pub settings: bool,
    pub items: bool,
    pub respondents: bool,
}

impl CopyChoice {
    pub const ALL: CopyChoice = CopyChoice {
        settings: true,
        items: true,
        respondents: true,
    };
}

/// What was taken over.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct CopyReport {
    pub settings: bool,
    pub items: usize,
    /// Maatwerkvragen not taken over because this scan already has its own.
    pub items_skipped: usize,
    pub respondents: usize,
    /// Respondents whose address this scan already has.
    pub respondents_skipped: usize,
}

/// The previous wave of `scan_id` and what it still offers; `None` for a nulmeting.
pub fn wave_source(conn: &Connection, scan_id: i64) -> Result<Option<WaveSource>> {
    let s = scan(conn, scan_id)?;
    let Some(pid) = s.previous_scan_id else {
        return Ok(None);
    };
    let p = scan(conn, pid)?;
    let respondents: i64 = conn.query_row_c(
        "SELECT COUNT(*) FROM qs_invitation WHERE scan_id = ?1 AND name IS NOT NULL AND email IS NOT NULL",
        [pid],
        |r| r.get(0),
    )?;
    Ok(Some(WaveSource {
        previous_id: p.id,
        previous_title: p.title,
        min_group: p.min_group,
        retention_days: p.retention_days,
        items: custom_items(conn, pid)?,
        respondents: usize::try_from(respondents).unwrap_or(0),
        personal_data_deleted: p.purged_on.is_some() || respondents == 0,
    }))
}

/// Takes over `choice` from the previous wave into `scan_id`, which must still be a concept.
/// Safe to repeat: maatwerkvragen are taken over only into a scan without its own, and a
/// respondent whose address the scan already has is skipped.
pub fn copy_from_previous(
    conn: &Connection,
    scan_id: i64,
    choice: CopyChoice,
) -> Result<CopyReport> {
    let s = scan(conn, scan_id)?;
    if s.status != ScanStatus::Concept {
        return Err(Error::State(
            "Overnemen kan alleen zolang de vragenlijst nog niet open is.".into(),
        ));
    }
    let src = wave_source(conn, scan_id)?.ok_or_else(|| {
        Error::State("Deze scan is een nulmeting: er is geen vorige meting.".into())
    })?;
    // before the transaction: `is_locked` attaches the answers file, which cannot happen in one
    let items_free = custom_items(conn, scan_id)?.is_empty() && !is_locked(conn, scan_id)?;
    let mut rep = CopyReport::default();
    let tx = write_tx(conn)?;
    if choice.settings {
        tx.execute_c(
            "UPDATE qs_scan SET min_group = ?2, retention_days = ?3 WHERE id = ?1",
            params![scan_id, src.min_group, src.retention_days],
        )?;
        // the mail texts per group and the contact named in mails (not the dates: a new wave
        // gets its own planning)
        tx.execute_c(
            "INSERT OR IGNORE INTO qs_mail_text (scan_id, grp, kind, subject, body)
             SELECT ?1, grp, kind, subject, body FROM qs_mail_text WHERE scan_id = ?2",
            params![scan_id, src.previous_id],
        )?;
        tx.execute_c(
            "INSERT INTO qs_plan (scan_id, contact)
             SELECT ?1, contact FROM qs_plan WHERE scan_id = ?2 AND contact <> ''
             ON CONFLICT (scan_id) DO UPDATE SET contact = excluded.contact
             WHERE qs_plan.contact = ''",
            params![scan_id, src.previous_id],
        )?;
        rep.settings = true;
    }
    if choice.items {
        if items_free {
            // same positions, so the same keys (maatwerk_N) as in the previous wave
            let rows: Vec<(i64, String)> = query_all(
                &tx,
                "SELECT position, body FROM qs_custom_item WHERE scan_id = ?1 ORDER BY position",
                [src.previous_id],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )?;
            for (pos, body) in rows {
                tx.execute_c(
                    "INSERT INTO qs_custom_item (scan_id, position, body) VALUES (?1, ?2, ?3)",
                    params![scan_id, pos, body],
                )?;
                rep.items += 1;
            }
        } else {
            rep.items_skipped = src.items.len();
        }
    }
    if choice.respondents {
        // only name, address and group: status, mail count and links start afresh
        let people: Vec<(String, String, String)> = query_all(
            &tx,
            "SELECT grp, name, email FROM qs_invitation WHERE scan_id = ?1 AND name IS NOT NULL AND email IS NOT NULL ORDER BY id",
            [src.previous_id],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )?;
        for (grp, name, email) in people {
            let n = tx.execute_c(
                "INSERT INTO qs_invitation (scan_id, grp, name, email)
                 SELECT ?1, ?2, ?3, ?4 WHERE NOT EXISTS
                   (SELECT 1 FROM qs_invitation WHERE scan_id = ?1 AND email = ?4)",
                params![scan_id, grp, name, email],
            )?;
            if n == 1 {
                rep.respondents += 1;
            } else {
                rep.respondents_skipped += 1;
            }
        }
    }
    tx.commit()?;
    Ok(rep)
}
