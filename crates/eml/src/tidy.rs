//! A tidy long CSV of a count: one row per (unit, list) and per (unit, list, candidate).
//!
//! Columns: `level,unit_id,unit_name,list_number,list_name,candidate_position,candidate_name,votes`.
//! Comma-separated, UTF-8 without BOM, LF line ends, RFC 4180 quoting where needed.
//! `level` is the level of the unit (`gemeente`, `stembureau`, `kieskring`, `nationaal`, see
//! [`crate::CountKind::total_level`]); list rows have empty candidate columns.

use crate::model::{CandidateLists, Count, VoteTotals};

/// The header row.
pub const TIDY_HEADER: &str =
    "level,unit_id,unit_name,list_number,list_name,candidate_position,candidate_name,votes";

fn field(out: &mut String, v: &str) {
    if v.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&v.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(v);
    }
}

/// Writes the tidy CSV. Candidate names are taken from `candidates` (230b) when given
/// (`prefix last, initials`); otherwise, and for candidates known only by `ShortCode`, the
/// ShortCode is used as the name.
pub fn write_count(count: &Count, candidates: Option<&CandidateLists>) -> Vec<u8> {
    let mut out = String::with_capacity(1 << 16);
    out.push_str(TIDY_HEADER);
    out.push('\n');
    let ma = count.header.managing_authority.clone().unwrap_or_default();
    for contest in &count.contests {
        let names = candidates.and_then(|c| c.contest(&contest.contest.id));
        let mut unit = |level: &str, id: &str, name: &str, v: &VoteTotals| {
            for list in &v.lists {
                let head = |out: &mut String| {
                    field(out, level);
                    out.push(',');
                    field(out, id);
                    out.push(',');
                    field(out, name);
                    out.push(',');
                    out.push_str(&list.id.to_string());
                    out.push(',');
                    field(out, &list.name);
                    out.push(',');
                };
                head(&mut out);
                out.push(',');
                out.push(',');
                out.push_str(&list.valid_votes.to_string());
                out.push('\n');
                let list230 = names.and_then(|c| c.list(list.id));
                for c in &list.candidates {
                    head(&mut out);
                    if let Some(i) = c.id {
                        out.push_str(&i.to_string());
                    }
                    out.push(',');
                    let name = match (list230, c.id) {
                        (Some(l), Some(i)) => l.candidate(i).map(|c| c.name.list_name()),
                        _ => None,
                    }
                    .or_else(|| c.short_code.as_deref().map(str::to_string))
                    .unwrap_or_default();
                    field(&mut out, &name);
                    out.push(',');
                    out.push_str(&c.valid_votes.to_string());
                    out.push('\n');
                }
            }
        };
        if let Some(t) = &contest.total {
            unit(
                count.kind.total_level(),
                ma.id.as_deref().unwrap_or(&contest.contest.id),
                ma.name.as_deref().unwrap_or_default(),
                t,
            );
        }
        for ru in &contest.reporting_units {
            unit(count.kind.unit_level(), &ru.id, &ru.name, &ru.votes);
        }
    }
    out.into_bytes()
}
