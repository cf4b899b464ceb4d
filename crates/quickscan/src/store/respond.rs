//! Respondent access, drafts and submission (online and on paper).

use super::{
    AnswerValue, Answers, Cached, Channel, Connection, Day, Error, Group, InvitationStatus, Mark,
    OptionalExtension, Questionnaire, Result, Scan, ScanStatus, checkpoint, checkpoint_truncate,
    finish_pending, hash, invitation_by_token, new_code, new_token, normalize_code, open_answers,
    params, queue_marks, scan, scan_by_public_code, scan_questionnaire, write_tx,
};

/// How a respondent reaches the questionnaire. Each variant is a secret from a URL or form.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Access {
    /// Personal single-use invitation link.
    Invitation(String),
    /// Printed single-use letter code (inwoners).
    Letter(String),
    /// Random resume code handed out when someone starts via the public link (inwoners).
    Public(String),
}

/// A public-link secret is `RESUME` (a resume code typed in after saving) or
/// `PUBLICCODE.RESUME` (a fresh start, handed out by [`start_public`]; the web layer signs it
/// so it cannot be made up). Only the resume part is secret and keys the draft.
pub(super) fn public_parts(s: &str) -> (Option<&str>, String) {
    match s.split_once('.') {
        Some((public, rest)) => (
            Some(public),
            normalize_code(rest.split('.').next().unwrap_or("")),
        ),
        None => (None, normalize_code(s)),
    }
}

impl Access {
    fn draft_key(&self) -> String {
        match self {
            Access::Invitation(t) => hash("draft-inv", t),
            Access::Letter(c) => hash("draft-letter", &normalize_code(c)),
            Access::Public(c) => hash("draft-public", &public_parts(c).1),
        }
    }
    /// The respondent's secret itself (the key material of the sealed draft).
    fn secret(&self) -> String {
        match self {
            Access::Invitation(t) => t.clone(),
            Access::Letter(c) => normalize_code(c),
            Access::Public(c) => public_parts(c).1,
        }
    }
    /// The mark that this secret has been used to send answers, stored with the answers. It
    /// cannot be computed from anything else in storage (not from the draft key, nor from the
    /// invitation), only from the secret itself.
    fn spent_tag(&self) -> String {
        match self {
            Access::Invitation(t) => hash("spent-inv", t),
            Access::Letter(c) => hash("spent-letter", &normalize_code(c)),
            Access::Public(c) => hash("spent-public", &public_parts(c).1),
        }
    }
}

/// True when answers were sent with this link or code, or (for a personal link) with another
/// link of the same invitation — also while its marks still wait in a batch.
pub fn is_used(conn: &Connection, access: &Access) -> Result<bool> {
    if is_spent(conn, access)? {
        return Ok(true);
    }
    if let Access::Invitation(t) = access {
        let inv = invitation_by_token(conn, t)?;
        return Ok(inv.status == InvitationStatus::Finished || finish_pending(conn, inv.id));
    }
    Ok(false)
}

pub(super) fn is_spent(conn: &Connection, access: &Access) -> Result<bool> {
    open_answers(conn)?;
    Ok(conn
        .query_row_c(
            "SELECT 1 FROM qa.qs_spent WHERE tag = ?1",
            [access.spent_tag()],
            |_| Ok(true),
        )
        .optional()?
        .unwrap_or(false))
}

/// What a respondent may do now.
#[derive(Debug, Clone)]
pub struct Session {
    pub scan: Scan,
    pub group: Group,
    pub answers: Answers,
}

/// The draft of this secret: scan, group and the answers, opened with the secret. A draft
/// that does not open (written before drafts were sealed, or changed) counts as empty.
pub(super) fn draft_answers(
    conn: &Connection,
    access: &Access,
) -> Result<Option<(i64, Group, Answers)>> {
    let row: Option<(i64, String, String)> = conn
        .query_row_c(
            "SELECT scan_id, grp, answers FROM qs_draft WHERE key_hash = ?1",
            [access.draft_key()],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    Ok(row.map(|(s, g, a)| {
        let answers = crate::seal::open(&access.secret(), &a)
            .and_then(|b| serde_json::from_slice(&b).ok())
            .unwrap_or_default();
        (s, Group::parse(&g).unwrap_or(Group::Inwoners), answers)
    }))
}

pub(super) fn bump_started(
    conn: &Connection,
    scan_id: i64,
    group: Group,
    today: Day,
) -> Result<()> {
    conn.execute_c(
        "INSERT INTO qs_daily (scan_id, day, grp, started) VALUES (?1, ?2, ?3, 1)
         ON CONFLICT(scan_id, day, grp) DO UPDATE SET started = started + 1",
        params![scan_id, today.to_string(), group.as_str()],
    )?;
    Ok(())
}

pub(super) fn require_open(s: &Scan) -> Result<()> {
    if s.status == ScanStatus::Open {
        Ok(())
    } else if s.status == ScanStatus::Concept {
        Err(Error::State("De vragenlijst is nog niet open.".into()))
    } else if let Some(d) = s.closed_on {
        Err(Error::State(format!(
            "Deze vragenlijst is gesloten op {}. Antwoorden kunnen niet meer worden verstuurd.",
            d.long_nl()
        )))
    } else {
        Err(Error::State("Deze vragenlijst is gesloten.".into()))
    }
}

/// Starts a questionnaire through the public link: returns a fresh resume code. Nothing is
/// written.
pub fn start_public(conn: &Connection, public_code: &str, _today: Day) -> Result<(String, Scan)> {
    let s = scan_by_public_code(conn, public_code)?;
    require_open(&s)?;
    // Nothing is stored until the respondent saves something: starting costs no storage and
    // does not count as "gestart".
    Ok((new_code(), s))
}

/// The most unfinished questionnaires (drafts) a scan keeps; beyond it new drafts are refused
/// (existing ones can still be saved and sent). A bound on storage, far above any real scan.
pub const MAX_DRAFTS_PER_SCAN: i64 = 50_000;

/// Opens a session for a link or code: checks it is valid and unused, marks an invitation
/// as started, and returns any saved answers.
pub fn open_session(conn: &Connection, access: &Access, today: Day) -> Result<Session> {
    if is_spent(conn, access)? {
        return Err(Error::State(
            "Deze link of code is al gebruikt. Bedankt voor uw antwoorden!".into(),
        ));
    }
    match access {
        Access::Invitation(token) => {
            let inv = invitation_by_token(conn, token)?;
            let s = scan(conn, inv.scan_id)?;
            if inv.status == InvitationStatus::Finished || finish_pending(conn, inv.id) {
                return Err(Error::State(
                    "Deze link is al gebruikt. Bedankt voor uw antwoorden!".into(),
                ));
            }
            require_open(&s)?;
            // Development outbox: once the link is opened, the stored copy of the mail no
            // longer holds a working link, so whoever reads the outbox cannot open the draft.
            let redacted = conn.execute_c(
                "UPDATE qs_outbox SET body = replace(body, ?1, '[link geopend door de ontvanger]') WHERE scan_id = ?2 AND instr(body, ?1) > 0",
                params![token, s.id],
            )?;
            if redacted > 0 {
                // no earlier version of the page may keep the link (secure_delete + checkpoint)
                checkpoint_truncate(conn, "main");
            }
            if inv.status == InvitationStatus::NotStarted {
                // written later, in a shuffled batch with other respondents' marks
                queue_marks(
                    conn,
                    vec![Mark::Started {
                        invitation: inv.id,
                        scan: s.id,
                        group: inv.group,
                        day: today,
                    }],
                )?;
            }
            let answers = draft_answers(conn, access)?
                .map(|d| d.2)
                .unwrap_or_default();
            Ok(Session {
                scan: s,
                group: inv.group,
                answers,
            })
        }
        Access::Letter(code) => {
            let h = hash("letter", &normalize_code(code));
            let row: Option<(i64, bool)> = conn
                .query_row_c(
                    "SELECT scan_id, used FROM qs_letter_code WHERE code_hash = ?1",
                    [&h],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?;
            let (scan_id, used) = row.ok_or(Error::NotFound)?;
            if used {
                return Err(Error::State("Deze code is al gebruikt.".into()));
            }
            let s = scan(conn, scan_id)?;
            require_open(&s)?;
            // nothing is written until something is saved (see save_draft_in)
            let answers = draft_answers(conn, access)?
                .map(|d| d.2)
                .unwrap_or_default();
            Ok(Session {
                scan: s,
                group: Group::Inwoners,
                answers,
            })
        }
        Access::Public(secret) => {
            let (s, group, answers) = match draft_answers(conn, access)? {
                Some((scan_id, group, answers)) => (scan(conn, scan_id)?, group, answers),
                None => match public_parts(secret).0 {
                    Some(public) => (
                        scan_by_public_code(conn, public)?,
                        Group::Inwoners,
                        Answers::new(),
                    ),
                    None => return Err(Error::NotFound),
                },
            };
            require_open(&s)?;
            Ok(Session {
                scan: s,
                group,
                answers,
            })
        }
    }
}

/// Saves answers given so far (merging into the draft). Keys present in `clear` are removed
/// (questions the respondent emptied on this page).
pub fn save_draft(
    conn: &Connection,
    access: &Access,
    update: &Answers,
    clear: &[String],
    today: Day,
) -> Result<Session> {
    let session = open_session(conn, access, today)?;
    let q = scan_questionnaire(conn, &session.scan)?;
    save_draft_in(conn, access, session, &q, update, clear, today)
}

/// [`save_draft`] for a session already opened with [`open_session`] and its questionnaire.
pub fn save_draft_in(
    conn: &Connection,
    access: &Access,
    mut session: Session,
    q: &Questionnaire,
    update: &Answers,
    clear: &[String],
    today: Day,
) -> Result<Session> {
    for k in clear {
        session.answers.remove(k);
    }
    session
        .answers
        .extend(update.iter().map(|(k, v)| (k.clone(), v.clone())));
    q.validate(&session.answers).map_err(Error::Invalid)?;
    let json =
        serde_json::to_string(&session.answers).map_err(|e| Error::Invalid(e.to_string()))?;
    // sealed with the respondent's secret: the database holds no readable draft
    let body = crate::seal::seal(&access.secret(), json.as_bytes());
    let key = access.draft_key();
    let tx = write_tx(conn)?;
    let exists: bool = tx
        .query_row_c("SELECT 1 FROM qs_draft WHERE key_hash = ?1", [&key], |_| {
            Ok(true)
        })
        .optional()?
        .unwrap_or(false);
    if !exists {
        let n: i64 = tx.query_row_c(
            "SELECT COUNT(*) FROM qs_draft WHERE scan_id = ?1",
            [session.scan.id],
            |r| r.get(0),
        )?;
        if n >= MAX_DRAFTS_PER_SCAN {
            return Err(Error::State(
                "Er staan nu te veel onafgemaakte vragenlijsten open. Vul de vragenlijst in één keer in, of probeer het later opnieuw.".into(),
            ));
        }
        // letter codes and the public link count as "gestart" only once something is saved
        if !matches!(access, Access::Invitation(_)) {
            bump_started(&tx, session.scan.id, session.group, today)?;
        }
    }
    tx.execute_c(
        "INSERT INTO qs_draft (key_hash, scan_id, grp, answers) VALUES (?1, ?2, ?3, ?4)
         ON CONFLICT(key_hash) DO UPDATE SET answers = excluded.answers",
        params![key, session.scan.id, session.group.as_str(), body],
    )?;
    tx.commit()?;
    Ok(session)
}

pub(super) fn insert_response(
    tx: &Connection,
    scan_id: i64,
    group: Group,
    channel: Channel,
    answers: &Answers,
    today: Day,
) -> Result<()> {
    let id = new_token();
    tx.execute_c(
        "INSERT INTO qa.qs_response (id, scan_id, grp, channel, submitted_on) VALUES (?1, ?2, ?3, ?4, ?5)",
        params![id, scan_id, group.as_str(), channel.as_str(), today.to_string()],
    )?;
    let mut st = tx.prepare_cached(
        "INSERT INTO qa.qs_answer (response_id, item_key, num, txt) VALUES (?1, ?2, ?3, ?4)",
    )?;
    for (key, v) in answers {
        let (num, txt): (Option<i64>, Option<String>) = match v {
            AnswerValue::Scale(n) | AnswerValue::Choice(n) => (Some(i64::from(*n)), None),
            AnswerValue::DontKnow => (Some(0), None),
            AnswerValue::Ranking(r) => (
                None,
                Some(
                    r.iter()
                        .map(ToString::to_string)
                        .collect::<Vec<_>>()
                        .join(","),
                ),
            ),
            AnswerValue::Text(t) => (None, Some(t.trim().to_owned())),
        };
        st.execute(params![id, key, num, txt])?;
    }
    Ok(())
}

/// Submits the answers saved in the draft of this link or code (see [`submit`]); the draft is
/// read inside the submit transaction.
pub fn submit_draft(conn: &Connection, access: &Access, today: Day) -> Result<()> {
    submit_inner(conn, access, None, today).map(drop)
}

/// As [`submit_draft`], returning the scan's id (for the thanks page in the scan's look).
pub fn submit_draft_in_scan(conn: &Connection, access: &Access, today: Day) -> Result<i64> {
    submit_inner(conn, access, None, today)
}

/// Submits the final answers. In one transaction: the answers are stored with a random id,
/// the date and the group only; the invitation or letter code is marked used; the draft is
/// deleted. A second submit with the same link fails.
pub fn submit(conn: &Connection, access: &Access, answers: &Answers, today: Day) -> Result<()> {
    submit_inner(conn, access, Some(answers), today).map(drop)
}

pub(super) fn submit_inner(
    conn: &Connection,
    access: &Access,
    answers: Option<&Answers>,
    today: Day,
) -> Result<i64> {
    open_answers(conn)?;
    let key = access.draft_key();
    let used = || Error::State("Deze link of code is al gebruikt.".into());
    let tx = write_tx(conn)?;
    if is_spent(&tx, access)? {
        return Err(used());
    }
    // Marks outside the answers database: queued, written later in a shuffled batch.
    let mut marks = vec![Mark::DraftDone { key: key.clone() }];
    let (s, group) = match access {
        Access::Invitation(token) => {
            let inv = invitation_by_token(&tx, token)?;
            if inv.status == InvitationStatus::Finished || finish_pending(conn, inv.id) {
                return Err(used());
            }
            marks.push(Mark::Finished {
                invitation: inv.id,
                scan: inv.scan_id,
                group: inv.group,
                day: today,
            });
            (scan(&tx, inv.scan_id)?, inv.group)
        }
        Access::Letter(code) => {
            let h = hash("letter", &normalize_code(code));
            let (scan_id, was_used): (i64, bool) = tx
                .query_row_c(
                    "SELECT scan_id, used FROM qs_letter_code WHERE code_hash = ?1",
                    [&h],
                    |r| Ok((r.get(0)?, r.get(1)?)),
                )
                .optional()?
                .ok_or(Error::NotFound)?;
            if was_used {
                return Err(used());
            }
            marks.push(Mark::LetterUsed { code_hash: h });
            (scan(&tx, scan_id)?, Group::Inwoners)
        }
        Access::Public(secret) => match draft_answers(&tx, access)? {
            Some((scan_id, group, _)) => (scan(&tx, scan_id)?, group),
            None => match public_parts(secret).0 {
                Some(public) => (scan_by_public_code(&tx, public)?, Group::Inwoners),
                None => {
                    return Err(Error::State(
                        "Bij deze code vinden we geen opgeslagen antwoorden. Ze zijn al verstuurd, of de vragenlijst is gesloten en antwoorden die nog niet verstuurd waren, zijn gewist."
                            .into(),
                    ));
                }
            },
        },
    };
    require_open(&s)?;
    let drafted;
    let answers = if let Some(a) = answers {
        a
    } else {
        drafted = draft_answers(&tx, access)?.map(|d| d.2).unwrap_or_default();
        &drafted
    };
    let q = scan_questionnaire(&tx, &s)?;
    q.validate(answers).map_err(Error::Invalid)?;
    // This transaction writes to the answers database only.
    insert_response(&tx, s.id, group, Channel::Online, answers, today)?;
    tx.execute_c(
        "INSERT INTO qa.qs_spent (tag, scan_id) VALUES (?1, ?2)",
        params![access.spent_tag(), s.id],
    )?;
    tx.commit()?;
    checkpoint(conn, "qa");
    queue_marks(conn, marks)?;
    Ok(s.id)
}

/// A paper questionnaire typed in by the trekker: tagged as paper. Allowed only while the scan
/// is open, so that no answer can be added once a report (or any figure of it) can be seen.
pub fn enter_paper(
    conn: &Connection,
    scan_id: i64,
    group: Group,
    answers: &Answers,
    today: Day,
) -> Result<()> {
    let s = scan(conn, scan_id)?;
    if s.status != ScanStatus::Open {
        return Err(Error::State(
            "Papieren antwoorden kunnen alleen worden ingevoerd zolang de vragenlijst open is."
                .into(),
        ));
    }
    if answers.is_empty() {
        return Err(Error::Invalid("Vul minstens één antwoord in.".into()));
    }
    let q = scan_questionnaire(conn, &s)?;
    q.validate(answers).map_err(Error::Invalid)?;
    open_answers(conn)?;
    let tx = write_tx(conn)?;
    insert_response(&tx, scan_id, group, Channel::Paper, answers, today)?;
    tx.commit()?;
    checkpoint(conn, "qa");
    Ok(())
}
