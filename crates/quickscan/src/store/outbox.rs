//! The development outbox.

use super::{Cached, Connection, Result, now_stamp, params, query_all};

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
