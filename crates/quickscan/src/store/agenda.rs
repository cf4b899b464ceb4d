//! The verbeteragenda.

use super::{
    Cached, Connection, Day, Error, OptionalExtension, Result, ScanStatus, day_col, now_stamp,
    params, query_all, scan,
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

pub fn add_agenda_item(conn: &Connection, scan_id: i64, item: &NewAgendaItem<'_>) -> Result<i64> {
    let s = scan(conn, scan_id)?;
    if s.status < ScanStatus::Report {
        return Err(Error::State(
            "Maak eerst het rapport; daarna volgt de verbeteragenda.".into(),
        ));
    }
    if item.title.trim().is_empty() || item.title.chars().count() > 200 {
        return Err(Error::Invalid(
            "Geef het actiepunt een titel (hoogstens 200 tekens).".into(),
        ));
    }
    if item.owner.trim().is_empty() {
        return Err(Error::Invalid("Vul in wie eigenaar is.".into()));
    }
    conn.execute_c(
        "INSERT INTO qs_agenda (scan_id, priority, title, description, owner, deadline, status) VALUES (?1, ?2, ?3, ?4, ?5, ?6, 'gepland')",
        params![scan_id, item.priority, item.title.trim(), item.description.trim(), item.owner.trim(), item.deadline.map(|d| d.to_string())],
    )?;
    Ok(conn.last_insert_rowid())
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
    let exists: bool = conn
        .query_row_c(
            "SELECT 1 FROM qs_agenda WHERE id = ?1 AND scan_id = ?2",
            params![id, scan_id],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if !exists {
        return Err(Error::NotFound);
    }
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
            })
        },
    )?;
    let mut st = conn.prepare(
        "SELECT author, at, kind, note FROM qs_agenda_note WHERE agenda_id = ?1 ORDER BY id",
    )?;
    for it in &mut items {
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
        ]));
    }
    Ok(out)
}
