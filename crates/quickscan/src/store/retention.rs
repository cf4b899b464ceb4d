//! Retention: personal data deleted a fixed time after closing.

use super::{Cached, Connection, Day, Result, params, query_all, write_tx};

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
