//! Quick Scan Lokale Democratie: the scan municipalities and provinces run on their local
//! democracy, anonymous by design. See `README.md` for the guarantees.

#![allow(clippy::many_single_char_names)]

pub mod branding;
pub mod csv;
pub mod links;
pub mod mail;
pub mod model;
pub mod pdf;
pub mod questionnaire;
pub mod report;
pub mod schedule;
pub mod seal;
pub mod store;

pub use store::{MIGRATIONS, RetentionReport};

/// The retention job: deletes names, e-mail addresses, personal links, sent mail and letter
/// codes of every scan closed longer ago than its retention period (default 92 days), and
/// unfinished drafts of scans that are no longer open. Safe to run as often as you like;
/// run it at least daily (`stembus quickscan retention`). The migrations must have run.
pub fn retention_job(conn: &rusqlite::Connection) -> store::Result<RetentionReport> {
    let report = store::run_retention(conn, model::Day::today())?;
    for id in &report.scans_purged {
        store::audit(
            conn,
            "systeem",
            None,
            Some(*id),
            "persoonsgegevens gewist",
            "bewaartermijn verlopen",
        )?;
    }
    Ok(report)
}
pub mod web;
