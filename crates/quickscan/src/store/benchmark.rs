//! Taking part in the benchmark: every organisation may opt out; its answers then count in no
//! other organisation's benchmark.

use super::{Cached, Connection, OptionalExtension, Result, params};

/// Sets whether an organisation stays out of the benchmark.
pub fn set_benchmark_opt_out(conn: &Connection, org_id: &str, out: bool) -> Result<()> {
    if out {
        conn.execute_c(
            "INSERT OR IGNORE INTO qs_benchmark_opt_out (org_id) VALUES (?1)",
            params![org_id],
        )?;
    } else {
        conn.execute_c(
            "DELETE FROM qs_benchmark_opt_out WHERE org_id = ?1",
            params![org_id],
        )?;
    }
    Ok(())
}

/// Whether an organisation stays out of the benchmark.
pub fn benchmark_opt_out(conn: &Connection, org_id: &str) -> Result<bool> {
    Ok(conn
        .query_row_c(
            "SELECT 1 FROM qs_benchmark_opt_out WHERE org_id = ?1",
            [org_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}
