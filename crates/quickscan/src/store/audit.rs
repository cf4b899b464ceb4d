//! The audit log (no answer content).

use super::{Cached, Connection, Day, Result, now_stamp, params, query_all};

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

pub(super) fn audit_at(
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
