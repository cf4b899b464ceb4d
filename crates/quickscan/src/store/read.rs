//! Reading answers for the report: counts and aggregated data, never a link to a person.

use super::{BTreeMap, Connection, Group, Result, open_answers, query_all};

/// Counts of scale/choice values: (group, item_key, value) → count.
pub type Counts = BTreeMap<(Group, String, i64), u64>;

pub fn response_counts(conn: &Connection, scan_id: i64) -> Result<BTreeMap<Group, u64>> {
    open_answers(conn)?;
    let rows: Vec<(String, i64)> = query_all(
        conn,
        "SELECT grp, COUNT(*) FROM qs_response WHERE scan_id = ?1 GROUP BY grp",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    let mut out = BTreeMap::new();
    for (g, n) in rows {
        if let Some(g) = Group::parse(&g) {
            out.insert(g, u64::try_from(n).unwrap_or(0));
        }
    }
    Ok(out)
}

pub fn answer_counts(conn: &Connection, scan_id: i64) -> Result<Counts> {
    open_answers(conn)?;
    let rows: Vec<(String, String, i64, i64)> = query_all(
        conn,
        "SELECT r.grp, a.item_key, a.num, COUNT(*) FROM qs_response r JOIN qs_answer a ON a.response_id = r.id
         WHERE r.scan_id = ?1 AND a.num IS NOT NULL GROUP BY r.grp, a.item_key, a.num",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?;
    let mut out = Counts::new();
    for (g, k, v, n) in rows {
        if let Some(g) = Group::parse(&g) {
            out.insert((g, k, v), u64::try_from(n).unwrap_or(0));
        }
    }
    Ok(out)
}

/// Text answers: (group, item key, text).
pub type TextAnswers = Vec<(Group, String, String)>;

/// Per group: all answers and how many of them came on paper.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct GroupCount {
    pub total: u64,
    pub paper: u64,
}

impl GroupCount {
    /// Self-submitted (online) answers: the only ones that count toward [`MIN_GROUP`].
    pub fn online(self) -> u64 {
        self.total - self.paper
    }
}

/// Per group: submitted questionnaires, total and on paper.
pub fn group_counts(conn: &Connection, scan_id: i64) -> Result<BTreeMap<Group, GroupCount>> {
    open_answers(conn)?;
    let rows: Vec<(String, String, i64)> = query_all(
        conn,
        "SELECT grp, channel, COUNT(*) FROM qs_response WHERE scan_id = ?1 GROUP BY grp, channel",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut out: BTreeMap<Group, GroupCount> = BTreeMap::new();
    for (g, c, n) in rows {
        if let Some(g) = Group::parse(&g) {
            let n = u64::try_from(n).unwrap_or(0);
            let e = out.entry(g).or_default();
            e.total += n;
            if c == "paper" {
                e.paper += n;
            }
        }
    }
    Ok(out)
}

/// Everything the report reads from the answers.
#[derive(Debug, Clone, Default)]
pub struct AnswerData {
    pub counts: Counts,
    pub texts: TextAnswers,
    /// Self-submitted (online) answers per (group, item): a cell is shown only when this is at
    /// least the threshold.
    pub online: BTreeMap<(Group, String), u64>,
}

/// [`answer_counts`], [`text_answers`] and the online answers per cell in one pass over the
/// answers, counted in memory (no sort for a GROUP BY): for 10,000 responses this is the bulk
/// of the report's time.
pub fn answer_data(conn: &Connection, scan_id: i64) -> Result<AnswerData> {
    open_answers(conn)?;
    let mut st = conn.prepare(
        "SELECT r.grp, a.item_key, a.num, a.txt, r.channel FROM qs_response r JOIN qs_answer a ON a.response_id = r.id
         WHERE r.scan_id = ?1",
    )?;
    let mut counts: std::collections::HashMap<(Group, String, i64), u64> =
        std::collections::HashMap::new();
    let mut online: std::collections::HashMap<(Group, String), u64> =
        std::collections::HashMap::new();
    let mut texts = Vec::new();
    let mut rows = st.query([scan_id])?;
    while let Some(r) = rows.next()? {
        let Some(g) = Group::parse(r.get_ref(0)?.as_str().unwrap_or("")) else {
            continue;
        };
        let key = r.get_ref(1)?.as_str().unwrap_or("");
        if r.get_ref(4)?.as_str().unwrap_or("") == "online" {
            if let Some(n) = online.get_mut(&(g, key.to_owned())) {
                *n += 1;
            } else {
                online.insert((g, key.to_owned()), 1);
            }
        }
        if let Some(v) = r.get::<_, Option<i64>>(2)? {
            if let Some(n) = counts.get_mut(&(g, key.to_owned(), v)) {
                *n += 1;
            } else {
                counts.insert((g, key.to_owned(), v), 1);
            }
        } else if let Some(t) = r.get::<_, Option<String>>(3)? {
            texts.push((g, key.to_owned(), t));
        }
    }
    Ok(AnswerData {
        counts: counts.into_iter().collect(),
        texts,
        online: online.into_iter().collect(),
    })
}

/// Text answers (open and ranking) per group and item.
pub fn text_answers(conn: &Connection, scan_id: i64) -> Result<Vec<(Group, String, String)>> {
    open_answers(conn)?;
    let rows: Vec<(String, String, String)> = query_all(
        conn,
        "SELECT r.grp, a.item_key, a.txt FROM qs_response r JOIN qs_answer a ON a.response_id = r.id
         WHERE r.scan_id = ?1 AND a.txt IS NOT NULL",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
    )?;
    let mut out = Vec::new();
    for (g, k, t) in rows {
        if let Some(g) = Group::parse(&g) {
            out.push((g, k, t));
        }
    }
    Ok(out)
}
