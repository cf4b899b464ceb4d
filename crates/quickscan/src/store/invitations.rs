//! Invitations, respondent lists, links and letter codes.

use super::{
    Cached, Connection, Error, Group, OptionalExtension, Result, hash, new_code, new_token,
    normalize_code, params, query_all, scan, write_tx,
};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InvitationStatus {
    NotStarted,
    Started,
    Finished,
}

impl InvitationStatus {
    fn parse(s: &str) -> Self {
        match s {
            "started" => Self::Started,
            "finished" => Self::Finished,
            _ => Self::NotStarted,
        }
    }
    pub fn label_nl(self) -> &'static str {
        match self {
            Self::NotStarted => "Nog niet begonnen",
            Self::Started => "Begonnen",
            Self::Finished => "Klaar",
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Invitation {
    pub id: i64,
    pub scan_id: i64,
    pub group: Group,
    /// `None` after the personal data were deleted.
    pub name: Option<String>,
    pub email: Option<String>,
    pub status: InvitationStatus,
    pub mails_sent: u32,
}

pub(super) fn invitation_row(r: &rusqlite::Row<'_>) -> rusqlite::Result<Invitation> {
    Ok(Invitation {
        id: r.get(0)?,
        scan_id: r.get(1)?,
        group: Group::parse(&r.get::<_, String>(2)?).unwrap_or(Group::Ambtenaren),
        name: r.get(3)?,
        email: r.get(4)?,
        status: InvitationStatus::parse(&r.get::<_, String>(5)?),
        mails_sent: r.get(6)?,
    })
}

pub(super) const INV_COLS: &str = "i.id, i.scan_id, i.grp, i.name, i.email, i.status, i.mails_sent";

pub(super) fn plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s.contains(char::is_whitespace)
        && s.len() <= 254
}

/// Imports respondents from CSV (name, e-mail, group). Returns how many were added.
/// The whole file is rejected if one line is wrong, with the line numbers in the message.
pub fn import_respondents(conn: &Connection, scan_id: i64, text: &str) -> Result<usize> {
    let s = scan(conn, scan_id)?;
    if s.status.is_closed() {
        return Err(Error::State("De scan is gesloten.".into()));
    }
    let mut rows = crate::csv::parse(text);
    if rows.first().is_some_and(|r| {
        r.iter().any(|f| {
            matches!(
                f.trim().to_lowercase().as_str(),
                "naam" | "name" | "e-mail" | "email" | "groep" | "group"
            )
        })
    }) {
        rows.remove(0);
    }
    let mut errors = Vec::new();
    let mut parsed = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let line = i + 1;
        if r.len() < 3 {
            errors.push(format!("regel {line}: verwacht naam, e-mail en groep"));
            continue;
        }
        let (name, email) = (r[0].trim(), r[1].trim().to_lowercase());
        let group = Group::parse(&r[2]);
        if name.is_empty() {
            errors.push(format!("regel {line}: naam ontbreekt"));
        } else if !plausible_email(&email) {
            errors.push(format!("regel {line}: e-mailadres klopt niet"));
        } else {
            match group {
                Some(g) if g != Group::Inwoners => parsed.push((name.to_owned(), email, g)),
                _ => errors.push(format!(
                    "regel {line}: groep moet raad, college of ambtenaren zijn"
                )),
            }
        }
    }
    if !errors.is_empty() {
        return Err(Error::Invalid(errors.join("; ")));
    }
    let tx = write_tx(conn)?;
    let mut added = 0;
    for (name, email, g) in parsed {
        let exists: bool = tx
            .query_row_c(
                "SELECT 1 FROM qs_invitation WHERE scan_id = ?1 AND email = ?2",
                params![scan_id, email],
                |_| Ok(true),
            )
            .optional()?
            .unwrap_or(false);
        if exists {
            continue;
        }
        tx.execute_c(
            "INSERT INTO qs_invitation (scan_id, grp, name, email) VALUES (?1, ?2, ?3, ?4)",
            params![scan_id, g.as_str(), name, email],
        )?;
        added += 1;
    }
    tx.commit()?;
    Ok(added)
}

pub fn invitations(conn: &Connection, scan_id: i64) -> Result<Vec<Invitation>> {
    query_all(
        conn,
        &format!(
            "SELECT {INV_COLS} FROM qs_invitation i WHERE scan_id = ?1 ORDER BY grp, name, id"
        ),
        [scan_id],
        invitation_row,
    )
}

/// The invitation of a personal link. Only a hash of the link's secret is stored.
pub fn invitation_by_token(conn: &Connection, token: &str) -> Result<Invitation> {
    conn.query_row_c(
        &format!(
            "SELECT {INV_COLS} FROM qs_invitation_link l JOIN qs_invitation i ON i.id = l.invitation_id WHERE l.token_hash = ?1"
        ),
        [hash("link", token)],
        invitation_row,
    )
    .optional()?
    .ok_or(Error::NotFound)
}

/// A new personal link for an invitation, to put in a mail: the secret is returned once and
/// only its hash is stored. Every mail (invitation, reminder) gets its own link; earlier links
/// keep working, and a draft opens only with the link it was saved with.
pub fn issue_link(conn: &Connection, invitation_id: i64) -> Result<String> {
    let exists: bool = conn
        .query_row_c(
            "SELECT 1 FROM qs_invitation WHERE id = ?1 AND email IS NOT NULL",
            [invitation_id],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false);
    if !exists {
        return Err(Error::NotFound);
    }
    let token = new_token();
    conn.execute_c(
        "INSERT INTO qs_invitation_link (token_hash, invitation_id) VALUES (?1, ?2)",
        params![hash("link", &token), invitation_id],
    )?;
    Ok(token)
}

pub fn mark_mailed(conn: &Connection, invitation_id: i64) -> Result<()> {
    conn.execute_c(
        "UPDATE qs_invitation SET mails_sent = mails_sent + 1 WHERE id = ?1",
        [invitation_id],
    )?;
    Ok(())
}

/// Deletes one person's name, e-mail address and link (on request). Their status stays,
/// so the response counts remain right.
pub fn forget_invitation(conn: &Connection, scan_id: i64, invitation_id: i64) -> Result<()> {
    let email: Option<String> = conn
        .query_row_c(
            "SELECT email FROM qs_invitation WHERE id = ?1 AND scan_id = ?2",
            params![invitation_id, scan_id],
            |r| r.get(0),
        )
        .optional()?
        .ok_or(Error::NotFound)?;
    let tx = write_tx(conn)?;
    if let Some(e) = email {
        tx.execute_c(
            "DELETE FROM qs_outbox WHERE scan_id = ?1 AND to_addr = ?2",
            params![scan_id, e],
        )?;
    }
    tx.execute_c(
        "UPDATE qs_invitation SET name = NULL, email = NULL, token = NULL WHERE id = ?1",
        [invitation_id],
    )?;
    tx.execute_c(
        "DELETE FROM qs_invitation_link WHERE invitation_id = ?1",
        [invitation_id],
    )?;
    tx.commit()?;
    Ok(())
}

// ---------- letter codes ----------

/// Creates `n` single-use letter codes for inwoners. The codes are returned once (to print)
/// and stored only as hashes.
pub fn create_letter_codes(conn: &Connection, scan_id: i64, n: usize) -> Result<Vec<String>> {
    if n == 0 || n > 20_000 {
        return Err(Error::Invalid("Kies tussen 1 en 20.000 codes.".into()));
    }
    let s = scan(conn, scan_id)?;
    if s.status.is_closed() {
        return Err(Error::State("De scan is gesloten.".into()));
    }
    let tx = write_tx(conn)?;
    let mut out = Vec::with_capacity(n);
    {
        let mut st = tx
            .prepare("INSERT OR IGNORE INTO qs_letter_code (code_hash, scan_id) VALUES (?1, ?2)")?;
        while out.len() < n {
            let code = new_code();
            if st.execute(params![hash("letter", &normalize_code(&code)), scan_id])? == 1 {
                out.push(code);
            }
        }
    }
    tx.commit()?;
    Ok(out)
}
