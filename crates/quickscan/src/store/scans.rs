//! Questionnaires and scans: settings, maatwerkvragen, the scan's lifecycle.

use super::{
    BTreeMap, Cached, Connection, Day, Error, Item, ItemKind, MAX_CUSTOM_ITEMS, MIN_GROUP,
    OptionalExtension, Questionnaire, Result, ScanStatus, WaveKind, checkpoint_truncate,
    default_questionnaire, flush_marks, new_token, open_answers, org, params, query_all,
};

/// Stores a questionnaire version (idempotent) and returns its id.
pub fn store_questionnaire(conn: &Connection, q: &Questionnaire) -> Result<i64> {
    if let Some(id) = conn
        .query_row_c(
            "SELECT id FROM qs_questionnaire WHERE version = ?1",
            [&q.version],
            |r| r.get(0),
        )
        .optional()?
    {
        return Ok(id);
    }
    let body = serde_json::to_string(q).map_err(|e| Error::Invalid(e.to_string()))?;
    conn.execute_c(
        "INSERT INTO qs_questionnaire (version, body) VALUES (?1, ?2)",
        params![q.version, body],
    )?;
    Ok(conn.last_insert_rowid())
}

pub(super) type QuestionnaireCache =
    std::sync::Mutex<std::collections::HashMap<(String, i64), std::sync::Arc<Questionnaire>>>;

/// Parsed questionnaires per (database file, id). A stored questionnaire is never changed
/// (a new version gets a new row), so the parsed form can be kept; respondents' pages need it
/// on every request.
pub(super) fn questionnaire_cache() -> &'static QuestionnaireCache {
    static CACHE: std::sync::OnceLock<QuestionnaireCache> = std::sync::OnceLock::new();
    CACHE.get_or_init(Default::default)
}

pub fn questionnaire(conn: &Connection, id: i64) -> Result<Questionnaire> {
    let file = conn.path().filter(|p| !p.is_empty()).map(str::to_owned);
    if let Some(f) = &file
        && let Some(q) = questionnaire_cache()
            .lock()
            .ok()
            .and_then(|c| c.get(&(f.clone(), id)).cloned())
    {
        return Ok((*q).clone());
    }
    let q = questionnaire_uncached(conn, id)?;
    if let (Some(f), Ok(mut c)) = (file, questionnaire_cache().lock()) {
        if c.len() > 1000 {
            c.clear();
        }
        c.insert((f, id), std::sync::Arc::new(q.clone()));
    }
    Ok(q)
}

pub(super) fn questionnaire_uncached(conn: &Connection, id: i64) -> Result<Questionnaire> {
    let body: String = conn
        .query_row_c(
            "SELECT body FROM qs_questionnaire WHERE id = ?1",
            [id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::NotFound)?;
    serde_json::from_str(&body).map_err(|e| Error::Invalid(e.to_string()))
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scan {
    pub id: i64,
    pub org_id: String,
    pub title: String,
    pub wave: WaveKind,
    pub previous_scan_id: Option<i64>,
    pub questionnaire_id: i64,
    pub status: ScanStatus,
    /// The code in the public link for inwoners.
    pub public_code: String,
    /// Groups with fewer respondents are not shown separately (≥ 3, default 5).
    pub min_group: u32,
    /// Days after closing until names and e-mail addresses are deleted.
    pub retention_days: u32,
    pub created_on: Day,
    pub opened_on: Option<Day>,
    pub closed_on: Option<Day>,
    pub purged_on: Option<Day>,
}

pub(super) const SCAN_COLS: &str = "id, org_id, title, wave, previous_scan_id, questionnaire_id, status, public_code, min_group, retention_days, created_on, opened_on, closed_on, purged_on";

pub(super) fn day_col(r: &rusqlite::Row<'_>, i: usize) -> rusqlite::Result<Option<Day>> {
    Ok(r.get::<_, Option<String>>(i)?.and_then(|s| Day::parse(&s)))
}

pub(super) fn scan_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Scan> {
    Ok(Scan {
        id: r.get(0)?,
        org_id: r.get(1)?,
        title: r.get(2)?,
        wave: WaveKind::parse(&r.get::<_, String>(3)?).unwrap_or(WaveKind::Nulmeting),
        previous_scan_id: r.get(4)?,
        questionnaire_id: r.get(5)?,
        status: ScanStatus::parse(&r.get::<_, String>(6)?).unwrap_or(ScanStatus::Concept),
        public_code: r.get(7)?,
        min_group: r.get::<_, u32>(8)?.max(MIN_GROUP),
        retention_days: r.get(9)?,
        created_on: day_col(r, 10)?.unwrap_or(Day(0)),
        opened_on: day_col(r, 11)?,
        closed_on: day_col(r, 12)?,
        purged_on: day_col(r, 13)?,
    })
}

/// Creates a scan (a wave) with the default questionnaire. A voortgangsmeting refers to
/// the previous wave of the same organisation.
pub fn create_scan(
    conn: &Connection,
    org_id: &str,
    title: &str,
    previous_scan_id: Option<i64>,
    today: Day,
) -> Result<i64> {
    org(conn, org_id)?;
    let title = title.trim();
    if title.is_empty() || title.chars().count() > 200 {
        return Err(Error::Invalid(
            "Geef de scan een naam (hoogstens 200 tekens).".into(),
        ));
    }
    if let Some(p) = previous_scan_id {
        let prev = scan(conn, p)?;
        if prev.org_id != org_id {
            return Err(Error::Invalid(
                "De vorige meting hoort bij een andere organisatie.".into(),
            ));
        }
    }
    let qid = store_questionnaire(conn, &default_questionnaire())?;
    let wave = if previous_scan_id.is_some() {
        WaveKind::Voortgangsmeting
    } else {
        WaveKind::Nulmeting
    };
    let code = new_token()[..12].to_owned();
    conn.execute_c(
        "INSERT INTO qs_scan (org_id, title, wave, previous_scan_id, questionnaire_id, public_code, created_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
        params![org_id, title, wave.as_str(), previous_scan_id, qid, code, today.to_string()],
    )?;
    Ok(conn.last_insert_rowid())
}

pub fn scan(conn: &Connection, id: i64) -> Result<Scan> {
    conn.query_row_c(
        &format!("SELECT {SCAN_COLS} FROM qs_scan WHERE id = ?1"),
        [id],
        scan_row,
    )
    .optional()?
    .ok_or(Error::NotFound)
}

pub fn scan_by_public_code(conn: &Connection, code: &str) -> Result<Scan> {
    conn.query_row_c(
        &format!("SELECT {SCAN_COLS} FROM qs_scan WHERE public_code = ?1"),
        [code],
        scan_row,
    )
    .optional()?
    .ok_or(Error::NotFound)
}

pub fn scans_for_org(conn: &Connection, org_id: &str) -> Result<Vec<Scan>> {
    query_all(
        conn,
        &format!("SELECT {SCAN_COLS} FROM qs_scan WHERE org_id = ?1 ORDER BY id DESC"),
        [org_id],
        scan_row,
    )
}

/// Changes the report threshold and the retention period.
pub fn set_settings(
    conn: &Connection,
    scan_id: i64,
    min_group: u32,
    retention_days: u32,
) -> Result<()> {
    if !(MIN_GROUP..=1000).contains(&min_group) {
        return Err(Error::Invalid(format!(
            "De kleinste groepsgrootte ligt tussen {MIN_GROUP} en 1000."
        )));
    }
    if !(1..=3650).contains(&retention_days) {
        return Err(Error::Invalid(
            "De bewaartermijn ligt tussen 1 en 3650 dagen.".into(),
        ));
    }
    conn.execute_c(
        "UPDATE qs_scan SET min_group = ?2, retention_days = ?3 WHERE id = ?1",
        params![scan_id, min_group, retention_days],
    )?;
    Ok(())
}

/// True once any answer (submitted or draft) exists: then items can no longer change.
pub fn is_locked(conn: &Connection, scan_id: i64) -> Result<bool> {
    open_answers(conn)?;
    let n: i64 = conn.query_row_c(
        "SELECT (SELECT COUNT(*) FROM qs_response WHERE scan_id = ?1) + (SELECT COUNT(*) FROM qs_draft WHERE scan_id = ?1 AND answers <> '{}')",
        [scan_id],
        |r| r.get(0),
    )?;
    Ok(n > 0)
}

pub fn custom_items(conn: &Connection, scan_id: i64) -> Result<Vec<Item>> {
    let mut st = conn
        .prepare_cached("SELECT body FROM qs_custom_item WHERE scan_id = ?1 ORDER BY position")?;
    let rows: Vec<String> = st
        .query_map([scan_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    rows.iter()
        .map(|b| serde_json::from_str(b).map_err(|e| Error::Invalid(e.to_string())))
        .collect()
}

/// Adds a maatwerkvraag (at most 4; only while no answer exists).
pub fn add_custom_item(
    conn: &Connection,
    scan_id: i64,
    text_nl: &str,
    text_en: &str,
    kind: ItemKind,
) -> Result<String> {
    let s = scan(conn, scan_id)?;
    if s.status > ScanStatus::Open || is_locked(conn, scan_id)? {
        return Err(Error::State(
            "De vragen liggen vast: er zijn al antwoorden binnen.".into(),
        ));
    }
    let existing = custom_items(conn, scan_id)?;
    if existing.len() >= MAX_CUSTOM_ITEMS {
        return Err(Error::Invalid(
            "U kunt hoogstens 4 eigen vragen toevoegen.".into(),
        ));
    }
    let text_nl = text_nl.trim();
    if text_nl.is_empty() || text_nl.chars().count() > 300 {
        return Err(Error::Invalid(
            "Schrijf de vraag in hoogstens 300 tekens.".into(),
        ));
    }
    match &kind {
        ItemKind::Choice { options } if options.len() < 2 || options.len() > 10 => {
            return Err(Error::Invalid(
                "Een keuzevraag heeft 2 tot 10 antwoorden.".into(),
            ));
        }
        ItemKind::Ranking { .. } => {
            return Err(Error::Invalid(
                "Eigen vragen kunnen geen rangorde zijn.".into(),
            ));
        }
        ItemKind::Scale { scale } if scale != "eens5" => {
            return Err(Error::Invalid("Onbekende schaal.".into()));
        }
        _ => {}
    }
    let position: i64 = conn.query_row_c(
        "SELECT COALESCE(MAX(position), 0) + 1 FROM qs_custom_item WHERE scan_id = ?1",
        [scan_id],
        |r| r.get(0),
    )?;
    let key = format!("maatwerk_{position}");
    let en = if text_en.trim().is_empty() {
        text_nl
    } else {
        text_en.trim()
    };
    let item = Item {
        key: key.clone(),
        text: crate::model::Text::new(text_nl, en),
        group_text: BTreeMap::new(),
        kind,
    };
    conn.execute_c(
        "INSERT INTO qs_custom_item (scan_id, position, body) VALUES (?1, ?2, ?3)",
        params![
            scan_id,
            position,
            serde_json::to_string(&item).map_err(|e| Error::Invalid(e.to_string()))?
        ],
    )?;
    Ok(key)
}

pub fn remove_custom_item(conn: &Connection, scan_id: i64, key: &str) -> Result<()> {
    if is_locked(conn, scan_id)? {
        return Err(Error::State(
            "De vragen liggen vast: er zijn al antwoorden binnen.".into(),
        ));
    }
    let pos: i64 = key
        .strip_prefix("maatwerk_")
        .and_then(|p| p.parse().ok())
        .ok_or(Error::NotFound)?;
    let n = conn.execute_c(
        "DELETE FROM qs_custom_item WHERE scan_id = ?1 AND position = ?2",
        params![scan_id, pos],
    )?;
    if n == 0 {
        return Err(Error::NotFound);
    }
    Ok(())
}

/// The questionnaire as respondents of this scan see it (standard items + maatwerk).
pub fn scan_questionnaire(conn: &Connection, s: &Scan) -> Result<Questionnaire> {
    Ok(questionnaire(conn, s.questionnaire_id)?.with_custom(&custom_items(conn, s.id)?))
}

/// Moves a scan to its next state. Closing discards unfinished drafts.
pub fn advance(conn: &Connection, scan_id: i64, to: ScanStatus, today: Day) -> Result<()> {
    let s = scan(conn, scan_id)?;
    if s.status.next() != Some(to) {
        return Err(Error::State(format!(
            "Van {} kan de scan niet naar {}.",
            s.status.label_nl(),
            to.label_nl()
        )));
    }
    let d = today.to_string();
    match to {
        ScanStatus::Open => conn.execute_c(
            "UPDATE qs_scan SET status = 'open', opened_on = ?2 WHERE id = ?1",
            params![scan_id, d],
        )?,
        ScanStatus::Closed => {
            // the last marks (possibly fewer than a batch) are written before closing
            flush_marks(conn)?;
            open_answers(conn)?;
            conn.execute_c("DELETE FROM qa.qs_spent WHERE scan_id = ?1", [scan_id])?;
            checkpoint_truncate(conn, "qa");
            conn.execute_c("DELETE FROM qs_draft WHERE scan_id = ?1", [scan_id])?;
            conn.execute_c(
                "UPDATE qs_scan SET status = 'closed', closed_on = ?2 WHERE id = ?1",
                params![scan_id, d],
            )?
        }
        ScanStatus::Report => {
            // "vaststellen": from now on the commissie and begeleider read the report
            super::review::record_established(conn, scan_id, today)?;
            conn.execute_c(
                "UPDATE qs_scan SET status = 'report' WHERE id = ?1",
                [scan_id],
            )?
        }
        other => conn.execute_c(
            "UPDATE qs_scan SET status = ?2 WHERE id = ?1",
            params![scan_id, other.as_str()],
        )?,
    };
    Ok(())
}
