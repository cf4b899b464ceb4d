//! Monitoring: response per group while a scan is open.

use super::{BTreeMap, Connection, Day, Group, Result, open_answers, query_all};

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct GroupProgress {
    /// Invited by name (0 for inwoners).
    pub invited: u64,
    /// Started: invitations opened, or public/letter drafts begun.
    pub started: u64,
    /// Submitted answers (online and paper).
    pub finished: u64,
    pub paper: u64,
}

#[derive(Debug, Clone, Default)]
pub struct Monitor {
    pub groups: BTreeMap<Group, GroupProgress>,
    /// Per day and group: (started, finished).
    pub days: BTreeMap<(Day, Group), (u64, u64)>,
}

pub fn monitor(conn: &Connection, scan_id: i64) -> Result<Monitor> {
    open_answers(conn)?;
    let mut m = Monitor::default();
    for g in Group::ALL {
        m.groups.insert(g, GroupProgress::default());
    }
    let invitations: Vec<(String, String, i64)> = query_all(
        conn,
        "SELECT grp, status, COUNT(*) FROM qs_invitation WHERE scan_id = ?1 GROUP BY grp, status",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    for (g, s, n) in invitations {
        let Some(g) = Group::parse(&g) else { continue };
        let n = u64::try_from(n).unwrap_or(0);
        let e = m.groups.entry(g).or_default();
        e.invited += n;
        if s != "not_started" {
            e.started += n;
        }
    }
    let daily: Vec<(String, String, i64)> = query_all(
        conn,
        "SELECT day, grp, started FROM qs_daily WHERE scan_id = ?1",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    for (d, g, n) in daily {
        let (Some(d), Some(g)) = (Day::parse(&d), Group::parse(&g)) else {
            continue;
        };
        let n = u64::try_from(n).unwrap_or(0);
        m.days.entry((d, g)).or_default().0 += n;
        if g == Group::Inwoners {
            m.groups.entry(g).or_default().started += n;
        }
    }
    let responses: Vec<(String, String, String, i64)> = query_all(
        conn,
        "SELECT submitted_on, grp, channel, COUNT(*) FROM qs_response WHERE scan_id = ?1 GROUP BY submitted_on, grp, channel",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    for (d, g, c, n) in responses {
        let (Some(d), Some(g)) = (Day::parse(&d), Group::parse(&g)) else {
            continue;
        };
        let n = u64::try_from(n).unwrap_or(0);
        let e = m.groups.entry(g).or_default();
        e.finished += n;
        if c == "paper" {
            e.paper += n;
        }
        m.days.entry((d, g)).or_default().1 += n;
    }
    Ok(m)
}
