//! The verbeteragenda.

use super::{
    BTreeMap, Cached, Connection, Day, Error, OptionalExtension, Result, ScanStatus, day_col,
    now_stamp, params, query_all, scan, scan_questionnaire, write_tx,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AgendaStatus {
    Gepland,
    Bezig,
    Klaar,
    Gestopt,
}

impl AgendaStatus {
    pub const ALL: [AgendaStatus; 4] = [Self::Gepland, Self::Bezig, Self::Klaar, Self::Gestopt];
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Gepland => "gepland",
            Self::Bezig => "bezig",
            Self::Klaar => "klaar",
            Self::Gestopt => "gestopt",
        }
    }
    pub fn label_nl(self) -> &'static str {
        match self {
            Self::Gepland => "Gepland",
            Self::Bezig => "Bezig",
            Self::Klaar => "Klaar",
            Self::Gestopt => "Gestopt",
        }
    }
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|x| x.as_str() == s)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaItem {
    pub id: i64,
    pub scan_id: i64,
    pub priority: u32,
    pub title: String,
    pub description: String,
    pub owner: String,
    pub deadline: Option<Day>,
    pub status: AgendaStatus,
    pub notes: Vec<AgendaNote>,
    /// Report findings this item answers: theme or item keys of the questionnaire (stable
    /// across waves), in the questionnaire's order.
    pub findings: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AgendaNote {
    pub author: String,
    pub at: String,
    /// "voortgang" (progress by the trekker) or "commentaar" (by the commissie).
    pub kind: String,
    pub text: String,
}

pub struct NewAgendaItem<'a> {
    pub priority: u32,
    pub title: &'a str,
    pub description: &'a str,
    pub owner: &'a str,
    pub deadline: Option<Day>,
}

/// The fields of an agenda item that are not acceptable, as (form field, message).
pub fn agenda_item_errors(item: &NewAgendaItem<'_>) -> Vec<(&'static str, String)> {
    let mut errors = Vec::new();
    if item.title.trim().is_empty() || item.title.trim().chars().count() > 200 {
        errors.push((
            "title",
            "Geef het actiepunt een titel (hoogstens 200 tekens).".into(),
        ));
    }
    if item.description.trim().chars().count() > 4000 {
        errors.push((
            "description",
            "Schrijf de toelichting in hoogstens 4000 tekens.".into(),
        ));
    }
    if item.owner.trim().is_empty() || item.owner.trim().chars().count() > 200 {
        errors.push(("owner", "Vul in wie eigenaar is.".into()));
    }
    if !(1..=999).contains(&item.priority) {
        errors.push(("priority", "Kies een prioriteit van 1 tot 999.".into()));
    }
    errors
}

fn check_item(conn: &Connection, scan_id: i64, item: &NewAgendaItem<'_>) -> Result<()> {
    let s = scan(conn, scan_id)?;
    if s.status < ScanStatus::Report {
        return Err(Error::State(
            "Maak eerst het rapport; daarna volgt de verbeteragenda.".into(),
        ));
    }
    if let Some((_, m)) = agenda_item_errors(item).into_iter().next() {
        return Err(Error::Invalid(m));
    }
    Ok(())
}

pub fn add_agenda_item(conn: &Connection, scan_id: i64, item: &NewAgendaItem<'_>) -> Result<i64> {
    check_item(conn, scan_id, item)?;
    conn.execute_c(
        "INSERT INTO qs_agenda (scan_id, priority, title, description, owner, deadline, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'gepland')",
        params![scan_id, item.priority, item.title.trim(), item.description.trim(), item.owner.trim(), item.deadline.map(|d| d.to_string())],
    )?;
    Ok(conn.last_insert_rowid())
}

/// Changes an item's text, owner, deadline and priority (status and notes stay).
pub fn update_agenda_item(
    conn: &Connection,
    scan_id: i64,
    id: i64,
    item: &NewAgendaItem<'_>,
) -> Result<()> {
    check_item(conn, scan_id, item)?;
    let n = conn.execute_c(
        "UPDATE qs_agenda SET priority = ?3, title = ?4, description = ?5, owner = ?6, deadline = ?7 WHERE id = ?1 AND scan_id = ?2",
        params![id, scan_id, item.priority, item.title.trim(), item.description.trim(), item.owner.trim(), item.deadline.map(|d| d.to_string())],
    )?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// Removes an item with its notes and links.
pub fn delete_agenda_item(conn: &Connection, scan_id: i64, id: i64) -> Result<()> {
    let tx = write_tx(conn)?;
    require_item(&tx, scan_id, id)?;
    tx.execute_c("DELETE FROM qs_agenda_note WHERE agenda_id = ?1", [id])?;
    tx.execute_c("DELETE FROM qs_agenda_finding WHERE agenda_id = ?1", [id])?;
    tx.execute_c("DELETE FROM qs_agenda WHERE id = ?1", [id])?;
    tx.commit()?;
    Ok(())
}

/// The findings an item may name: every theme and item key of the scan's questionnaire
/// (maatwerkvragen included), as (key, theme title or item text, is a theme), in order.
pub fn finding_choices(conn: &Connection, scan_id: i64) -> Result<Vec<(String, String, bool)>> {
    let s = scan(conn, scan_id)?;
    let q = scan_questionnaire(conn, &s)?;
    let mut out = Vec::new();
    for t in &q.themes {
        out.push((t.key.clone(), t.title.nl.clone(), true));
        for i in &t.items {
            out.push((i.key.clone(), i.text.nl.clone(), false));
        }
    }
    Ok(out)
}

/// Replaces the findings item `id` names. Unknown keys are refused.
pub fn set_agenda_findings(
    conn: &Connection,
    scan_id: i64,
    id: i64,
    keys: &[String],
) -> Result<()> {
    let choices = finding_choices(conn, scan_id)?;
    if let Some(k) = keys
        .iter()
        .find(|k| !choices.iter().any(|(c, _, _)| c == *k))
    {
        return Err(Error::Invalid(format!(
            "‘{k}’ is geen thema of vraag van deze scan."
        )));
    }
    let tx = write_tx(conn)?;
    require_item(&tx, scan_id, id)?;
    tx.execute_c("DELETE FROM qs_agenda_finding WHERE agenda_id = ?1", [id])?;
    for k in keys {
        tx.execute_c(
            "INSERT OR IGNORE INTO qs_agenda_finding (agenda_id, finding) VALUES (?1, ?2)",
            params![id, k],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Per agenda item of the scan: the findings it names, in the questionnaire's order.
fn agenda_findings(conn: &Connection, scan_id: i64) -> Result<BTreeMap<i64, Vec<String>>> {
    let rows: Vec<(i64, String)> = query_all(
        conn,
        "SELECT f.agenda_id, f.finding FROM qs_agenda_finding f JOIN qs_agenda a ON a.id = f.agenda_id WHERE a.scan_id = ?1",
        [scan_id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if rows.is_empty() {
        return Ok(BTreeMap::new());
    }
    let order: Vec<String> = finding_choices(conn, scan_id)?
        .into_iter()
        .map(|(k, _, _)| k)
        .collect();
    let mut out: BTreeMap<i64, Vec<String>> = BTreeMap::new();
    for (id, k) in rows {
        out.entry(id).or_default().push(k);
    }
    for v in out.values_mut() {
        v.sort_by_key(|k| order.iter().position(|o| o == k).unwrap_or(usize::MAX));
    }
    Ok(out)
}

/// For the report: per finding key, the agenda items that name it, as (id, title).
pub fn agenda_by_finding(
    conn: &Connection,
    scan_id: i64,
) -> Result<BTreeMap<String, Vec<(i64, String)>>> {
    let mut out: BTreeMap<String, Vec<(i64, String)>> = BTreeMap::new();
    for it in agenda(conn, scan_id)? {
        for f in it.findings {
            out.entry(f).or_default().push((it.id, it.title.clone()));
        }
    }
    Ok(out)
}

pub fn set_agenda_status(
    conn: &Connection,
    scan_id: i64,
    id: i64,
    status: AgendaStatus,
) -> Result<()> {
    let n = conn.execute_c(
        "UPDATE qs_agenda SET status = ?3 WHERE id = ?1 AND scan_id = ?2",
        params![id, scan_id, status.as_str()],
    )?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

pub fn add_agenda_note(
    conn: &Connection,
    scan_id: i64,
    id: i64,
    author: &str,
    kind: &str,
    text: &str,
) -> Result<()> {
    let text = text.trim();
    if text.is_empty() || text.chars().count() > 2000 {
        return Err(Error::Invalid(
            "Schrijf een notitie van hoogstens 2000 tekens.".into(),
        ));
    }
    require_item(conn, scan_id, id)?;
    conn.execute_c(
        "INSERT INTO qs_agenda_note (agenda_id, author, at, kind, note) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, author, now_stamp(), kind, text],
    )?;
    Ok(())
}

pub fn agenda(conn: &Connection, scan_id: i64) -> Result<Vec<AgendaItem>> {
    let mut items: Vec<AgendaItem> = query_all(
        conn,
        "SELECT id, scan_id, priority, title, description, owner, deadline, status FROM qs_agenda WHERE scan_id = ?1 ORDER BY priority, id",
        [scan_id],
        |r| {
            Ok(AgendaItem {
                id: r.get(0)?,
                scan_id: r.get(1)?,
                priority: r.get(2)?,
                title: r.get(3)?,
                description: r.get(4)?,
                owner: r.get(5)?,
                deadline: day_col(r, 6)?,
                status: AgendaStatus::parse(&r.get::<_, String>(7)?)
                    .unwrap_or(AgendaStatus::Gepland),
                notes: Vec::new(),
                findings: Vec::new(),
            })
        },
    )?;
    let mut st = conn.prepare(
        "SELECT author, at, kind, note FROM qs_agenda_note WHERE agenda_id = ?1 ORDER BY id",
    )?;
    let mut links = agenda_findings(conn, scan_id)?;
    for it in &mut items {
        it.findings = links.remove(&it.id).unwrap_or_default();
        it.notes = st
            .query_map([it.id], |r| {
                Ok(AgendaNote {
                    author: r.get(0)?,
                    at: r.get(1)?,
                    kind: r.get(2)?,
                    text: r.get(3)?,
                })
            })?
            .collect::<rusqlite::Result<_>>()?;
    }
    Ok(items)
}

/// The verbeteragenda as CSV.
pub fn agenda_csv(conn: &Connection, scan_id: i64) -> Result<String> {
    use crate::csv::line;
    let mut out = line(
        &[
            "prioriteit",
            "actiepunt",
            "toelichting",
            "eigenaar",
            "deadline",
            "status",
            "laatste voortgang",
            "hoort bij (thema's en vragen)",
        ]
        .map(String::from),
    );
    for it in agenda(conn, scan_id)? {
        let last = it
            .notes
            .iter()
            .rev()
            .find(|n| n.kind == "voortgang")
            .map(|n| n.text.clone())
            .unwrap_or_default();
        out.push_str(&line(&[
            it.priority.to_string(),
            it.title,
            it.description,
            it.owner,
            it.deadline.map(|d| d.to_string()).unwrap_or_default(),
            it.status.label_nl().to_owned(),
            last,
            it.findings.join(" "),
        ]));
    }
    Ok(out)
}

/// Agenda item `id` must exist and belong to scan `scan_id` (else `NotFound`, so an item of
/// another scan is never touched).
fn require_item(conn: &Connection, scan_id: i64, id: i64) -> Result<()> {
    conn.query_row_c(
        "SELECT 1 FROM qs_agenda WHERE id = ?1 AND scan_id = ?2",
        params![id, scan_id],
        |_| Ok(()),
    )
    .optional()?
    .ok_or(Error::NotFound)
}
