//! A scan's plan (issue 12): opening and closing date, up to three reminder days, the contact
//! named in mails, the mail texts per group, and what the scheduler did.
//!
//! What is stored is per scan: "reminder of day D: 12 sent, 1 failed". While a mail round is
//! being sent, each invitation it covers has a *claim* row, written before its mail goes out, so
//! that no invitation gets the same round twice, even when two runs overlap or the process is
//! killed. The claims are deleted when the round is done; only the counts stay.

use super::{
    Cached, Connection, Day, Error, FieldError, Group, OptionalExtension, Result, Scan, ScanStatus,
    now_stamp, params, query_all, scan_questionnaire, write_tx,
};

/// At most this many reminder days per scan.
pub const MAX_REMINDERS: usize = 3;

/// A claim older than this (seconds) whose mail has no recorded outcome belongs to a run that
/// stopped (killed, crashed): its mail may or may not have gone out.
pub const STALE_CLAIM_SECS: i64 = 15 * 60;

/// Invitation or reminder.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum MailKind {
    Invitation,
    Reminder,
}

impl MailKind {
    pub const ALL: [MailKind; 2] = [MailKind::Invitation, MailKind::Reminder];

    pub fn as_str(self) -> &'static str {
        match self {
            MailKind::Invitation => "invitation",
            MailKind::Reminder => "reminder",
        }
    }

    /// The Dutch word used in URLs and on pages.
    pub fn slug(self) -> &'static str {
        match self {
            MailKind::Invitation => "uitnodiging",
            MailKind::Reminder => "herinnering",
        }
    }

    pub fn from_slug(s: &str) -> Option<Self> {
        match s {
            "uitnodiging" | "invitation" => Some(MailKind::Invitation),
            "herinnering" | "reminder" => Some(MailKind::Reminder),
            _ => None,
        }
    }
}

/// The groups that get mail (inwoners get letters or the public link).
pub const MAIL_GROUPS: [Group; 3] = [Group::Raad, Group::College, Group::Ambtenaren];

/// Opening and closing date and reminder days of a scan. All optional.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Plan {
    /// The scheduler opens the scan (if it is ready) and sends the invitations on this day.
    pub opens_on: Option<Day>,
    /// The scan closes at the end of this day.
    pub closes_on: Option<Day>,
    /// Reminder days, ascending, at most [`MAX_REMINDERS`].
    pub reminders: Vec<Day>,
}

impl Plan {
    pub fn is_empty(&self) -> bool {
        self.opens_on.is_none() && self.closes_on.is_none() && self.reminders.is_empty()
    }
}

fn day_of(s: Option<String>) -> Option<Day> {
    s.and_then(|s| Day::parse(&s))
}

pub fn plan(conn: &Connection, scan_id: i64) -> Result<Plan> {
    let row: Option<[Option<String>; 5]> = conn
        .query_row_c(
            "SELECT opens_on, closes_on, remind1_on, remind2_on, remind3_on FROM qs_plan WHERE scan_id = ?1",
            [scan_id],
            |r| Ok([r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?]),
        )
        .optional()?;
    let Some([o, c, r1, r2, r3]) = row else {
        return Ok(Plan::default());
    };
    let mut reminders: Vec<Day> = [r1, r2, r3].into_iter().filter_map(day_of).collect();
    reminders.sort();
    Ok(Plan {
        opens_on: day_of(o),
        closes_on: day_of(c),
        reminders,
    })
}

/// Checks a new plan against the stored one. A date may not be in the past when it is set or
/// changed (an unchanged date may be: the scan may be under way); the closing date comes after
/// the opening date; reminders lie after the opening date and on or before the closing date.
/// Returns the errors per form field (`opens_on`, `closes_on`, `reminders`).
pub fn check_plan(
    old: &Plan,
    new: &Plan,
    status: ScanStatus,
    today: Day,
) -> std::result::Result<(), Vec<FieldError>> {
    let mut errs: Vec<FieldError> = Vec::new();
    if status.is_closed() && new != old {
        errs.push((
            "opens_on",
            "De scan is gesloten; de planning ligt vast.".into(),
        ));
        return Err(errs);
    }
    if new.opens_on != old.opens_on {
        if status != ScanStatus::Concept {
            errs.push((
                "opens_on",
                "De vragenlijst is al open; de openingsdatum kan niet meer veranderen.".into(),
            ));
        } else if new.opens_on.is_some_and(|d| d < today) {
            errs.push(("opens_on", "De openingsdatum ligt in het verleden.".into()));
        }
    }
    if new.closes_on != old.closes_on && new.closes_on.is_some_and(|d| d < today) {
        errs.push(("closes_on", "De sluitdatum ligt in het verleden.".into()));
    }
    if let (Some(o), Some(c)) = (new.opens_on, new.closes_on)
        && c <= o
    {
        errs.push((
            "closes_on",
            "De sluitdatum moet na de openingsdatum liggen.".into(),
        ));
    }
    if new.reminders.len() > MAX_REMINDERS {
        errs.push((
            "reminders",
            format!("Kies hoogstens {MAX_REMINDERS} herinneringsdagen."),
        ));
    }
    let mut seen = std::collections::BTreeSet::new();
    for d in &new.reminders {
        if !seen.insert(*d) {
            errs.push((
                "reminders",
                "Kies elke herinneringsdag maar één keer.".into(),
            ));
        } else if !old.reminders.contains(d) && *d < today {
            errs.push((
                "reminders",
                format!(
                    "Herinnering op {}: die dag ligt in het verleden.",
                    d.long_nl()
                ),
            ));
        } else if new.opens_on.is_some_and(|o| *d <= o) {
            errs.push((
                "reminders",
                format!(
                    "Herinnering op {}: die dag moet na de openingsdatum liggen.",
                    d.long_nl()
                ),
            ));
        } else if new.closes_on.is_some_and(|c| *d > c) {
            errs.push((
                "reminders",
                format!(
                    "Herinnering op {}: die dag valt na de sluitdatum.",
                    d.long_nl()
                ),
            ));
        }
    }
    if errs.is_empty() { Ok(()) } else { Err(errs) }
}

/// Stores the plan after [`check_plan`]; on errors nothing changes and the messages are joined.
pub fn set_plan(conn: &Connection, scan_id: i64, new: &Plan, today: Day) -> Result<()> {
    let s = super::scan(conn, scan_id)?;
    let tx = write_tx(conn)?;
    let old = plan(&tx, scan_id)?;
    check_plan(&old, new, s.status, today)
        .map_err(|e| Error::Invalid(e.into_iter().map(|(_, m)| m).collect::<Vec<_>>().join(" ")))?;
    let mut r = new.reminders.clone();
    r.sort();
    let r = |i: usize| r.get(i).map(ToString::to_string);
    tx.execute_c(
        "INSERT INTO qs_plan (scan_id, opens_on, closes_on, remind1_on, remind2_on, remind3_on)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (scan_id) DO UPDATE SET opens_on = ?2, closes_on = ?3, remind1_on = ?4,
             remind2_on = ?5, remind3_on = ?6",
        params![
            scan_id,
            new.opens_on.map(|d| d.to_string()),
            new.closes_on.map(|d| d.to_string()),
            r(0),
            r(1),
            r(2)
        ],
    )?;
    tx.commit()?;
    Ok(())
}

/// The contact named in mails (`{contact}`), e.g. "de griffie, griffie@gemeente.nl".
pub fn contact(conn: &Connection, scan_id: i64) -> Result<String> {
    Ok(conn
        .query_row_c(
            "SELECT contact FROM qs_plan WHERE scan_id = ?1",
            [scan_id],
            |r| r.get(0),
        )
        .optional()?
        .unwrap_or_default())
}

pub fn set_contact(conn: &Connection, scan_id: i64, contact: &str) -> Result<()> {
    let contact = contact.trim();
    if contact.chars().count() > 200 || contact.chars().any(char::is_control) {
        return Err(Error::Invalid(
            "Schrijf het contact op één regel, in hoogstens 200 tekens.".into(),
        ));
    }
    conn.execute_c(
        "INSERT INTO qs_plan (scan_id, contact) VALUES (?1, ?2)
         ON CONFLICT (scan_id) DO UPDATE SET contact = ?2",
        params![scan_id, contact],
    )?;
    Ok(())
}

// ---------- mail texts ----------

/// A scan's own text for one group and kind of mail, if the trekker wrote one.
pub fn mail_text(
    conn: &Connection,
    scan_id: i64,
    group: Group,
    kind: MailKind,
) -> Result<Option<(String, String)>> {
    Ok(conn
        .query_row_c(
            "SELECT subject, body FROM qs_mail_text WHERE scan_id = ?1 AND grp = ?2 AND kind = ?3",
            params![scan_id, group.as_str(), kind.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?)
}

/// Stores a text; the caller has checked it (`mail::check_text`).
pub fn set_mail_text(
    conn: &Connection,
    scan_id: i64,
    group: Group,
    kind: MailKind,
    subject: &str,
    body: &str,
) -> Result<()> {
    if !MAIL_GROUPS.contains(&group) {
        return Err(Error::Invalid(
            "Inwoners krijgen geen e-mail, maar een brief of de openbare link.".into(),
        ));
    }
    conn.execute_c(
        "INSERT INTO qs_mail_text (scan_id, grp, kind, subject, body) VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT (scan_id, grp, kind) DO UPDATE SET subject = ?4, body = ?5",
        params![scan_id, group.as_str(), kind.as_str(), subject, body],
    )?;
    Ok(())
}

/// Back to the standard text.
pub fn reset_mail_text(
    conn: &Connection,
    scan_id: i64,
    group: Group,
    kind: MailKind,
) -> Result<()> {
    conn.execute_c(
        "DELETE FROM qs_mail_text WHERE scan_id = ?1 AND grp = ?2 AND kind = ?3",
        params![scan_id, group.as_str(), kind.as_str()],
    )?;
    Ok(())
}

/// One invitation by id.
pub fn invitation(conn: &Connection, id: i64) -> Result<super::Invitation> {
    use super::invitations::{INV_COLS, invitation_row};
    conn.query_row_c(
        &format!("SELECT {INV_COLS} FROM qs_invitation i WHERE i.id = ?1"),
        [id],
        invitation_row,
    )
    .optional()?
    .ok_or(Error::NotFound)
}

/// Takes an invitation's *first* mail, atomically: true (and `mails_sent` becomes 1) only if
/// it had none, so the button and the scheduler never both send someone an invitation.
pub fn take_first_mail(conn: &Connection, invitation_id: i64) -> Result<bool> {
    Ok(conn.execute_c(
        "UPDATE qs_invitation SET mails_sent = 1 WHERE id = ?1 AND mails_sent = 0 AND email IS NOT NULL",
        [invitation_id],
    )? == 1)
}

/// Gives back a mail taken with [`take_first_mail`] or [`claim`] that could not be sent.
pub fn unmark_mailed(conn: &Connection, invitation_id: i64) -> Result<()> {
    conn.execute_c(
        "UPDATE qs_invitation SET mails_sent = max(mails_sent - 1, 0) WHERE id = ?1",
        [invitation_id],
    )?;
    Ok(())
}

// ---------- readiness ----------

/// Why the scan cannot open yet (empty: it can). Checked by the scheduler on the opening day
/// and shown on the dashboard.
pub fn open_blockers(conn: &Connection, s: &Scan, today: Day) -> Result<Vec<String>> {
    let mut why = Vec::new();
    if s.status != ScanStatus::Concept {
        return Ok(why);
    }
    match scan_questionnaire(conn, s) {
        Ok(q) if q.items().next().is_some() => {}
        Ok(_) => why.push("De vragenlijst heeft geen vragen.".to_owned()),
        Err(_) => why.push("De vragenlijst kan niet worden gelezen.".to_owned()),
    }
    let (mailable, letters): (i64, i64) = conn.query_row_c(
        "SELECT (SELECT COUNT(*) FROM qs_invitation WHERE scan_id = ?1 AND email IS NOT NULL),
                (SELECT COUNT(*) FROM qs_letter_code WHERE scan_id = ?1)",
        [s.id],
        |r| Ok((r.get(0)?, r.get(1)?)),
    )?;
    if mailable == 0 && letters == 0 {
        why.push(
            "Er zijn nog geen respondenten: voeg respondenten toe of maak brieven met codes."
                .to_owned(),
        );
    }
    if plan(conn, s.id)?.closes_on.is_some_and(|c| c < today) {
        why.push("De sluitdatum is al voorbij.".to_owned());
    }
    Ok(why)
}

// ---------- what the scheduler did ----------

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum EventKind {
    Open,
    Invitation,
    Reminder,
    Close,
}

impl EventKind {
    pub fn as_str(self) -> &'static str {
        match self {
            EventKind::Open => "open",
            EventKind::Invitation => "invitation",
            EventKind::Reminder => "reminder",
            EventKind::Close => "close",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "open" => EventKind::Open,
            "invitation" => EventKind::Invitation,
            "reminder" => EventKind::Reminder,
            _ => EventKind::Close,
        }
    }
}

impl From<MailKind> for EventKind {
    fn from(k: MailKind) -> Self {
        match k {
            MailKind::Invitation => EventKind::Invitation,
            MailKind::Reminder => EventKind::Reminder,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventState {
    /// A mail round is being sent.
    Busy,
    Done,
    /// The opening day came but the scan was not ready (the detail says why).
    Waiting,
    /// Not done, on purpose (the detail says why).
    Skipped,
}

impl EventState {
    pub fn as_str(self) -> &'static str {
        match self {
            EventState::Busy => "busy",
            EventState::Done => "done",
            EventState::Waiting => "waiting",
            EventState::Skipped => "skipped",
        }
    }
    fn parse(s: &str) -> Self {
        match s {
            "busy" => EventState::Busy,
            "waiting" => EventState::Waiting,
            "skipped" => EventState::Skipped,
            _ => EventState::Done,
        }
    }
}

/// One thing the scheduler did (or could not do) for a scan on a planned day.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PlanEvent {
    pub kind: EventKind,
    /// The planned day it belongs to.
    pub day: Day,
    pub state: EventState,
    /// Mails sent, failed, and of unknown outcome (the run stopped between claiming and
    /// recording). Zero for opening and closing.
    pub sent: u32,
    pub failed: u32,
    pub unknown: u32,
    pub detail: String,
    /// When it was last updated (UTC).
    pub at: String,
}

pub fn plan_events(conn: &Connection, scan_id: i64) -> Result<Vec<PlanEvent>> {
    query_all(
        conn,
        "SELECT kind, day, state, sent, failed, unknown, detail, at FROM qs_plan_event
         WHERE scan_id = ?1 ORDER BY day, CASE kind WHEN 'open' THEN 0 WHEN 'invitation' THEN 1
         WHEN 'reminder' THEN 2 ELSE 3 END",
        [scan_id],
        |r| {
            Ok(PlanEvent {
                kind: EventKind::parse(&r.get::<_, String>(0)?),
                day: day_of(r.get(1)?).unwrap_or(Day(0)),
                state: EventState::parse(&r.get::<_, String>(2)?),
                sent: r.get(3)?,
                failed: r.get(4)?,
                unknown: r.get(5)?,
                detail: r.get(6)?,
                at: r.get(7)?,
            })
        },
    )
}

pub fn plan_event(
    conn: &Connection,
    scan_id: i64,
    kind: EventKind,
    day: Day,
) -> Result<Option<PlanEvent>> {
    Ok(plan_events(conn, scan_id)?
        .into_iter()
        .find(|e| e.kind == kind && e.day == day))
}

/// Records the state of an event (creates it or updates state and detail).
pub fn set_plan_event(
    conn: &Connection,
    scan_id: i64,
    kind: EventKind,
    day: Day,
    state: EventState,
    detail: &str,
) -> Result<()> {
    conn.execute_c(
        "INSERT INTO qs_plan_event (scan_id, kind, day, state, detail, at) VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (scan_id, kind, day) DO UPDATE SET state = ?4, detail = ?5, at = ?6",
        params![
            scan_id,
            kind.as_str(),
            day.to_string(),
            state.as_str(),
            detail,
            now_stamp()
        ],
    )?;
    Ok(())
}

/// Marks a mail round as begun, unless it already exists (another run may have begun or even
/// ended it meanwhile: its state is never set back).
pub fn begin_round(conn: &Connection, scan_id: i64, kind: MailKind, day: Day) -> Result<()> {
    conn.execute_c(
        "INSERT OR IGNORE INTO qs_plan_event (scan_id, kind, day, state, at) VALUES (?1, ?2, ?3, 'busy', ?4)",
        params![
            scan_id,
            EventKind::from(kind).as_str(),
            day.to_string(),
            now_stamp()
        ],
    )?;
    Ok(())
}

/// Scans with a plan that may still need the scheduler (not closed; or closed but with a mail
/// round still marked busy).
pub fn planned_scans(conn: &Connection) -> Result<Vec<i64>> {
    query_all(
        conn,
        "SELECT p.scan_id FROM qs_plan p JOIN qs_scan s ON s.id = p.scan_id
         WHERE s.status IN ('concept', 'open')
            OR EXISTS (SELECT 1 FROM qs_plan_event e WHERE e.scan_id = p.scan_id AND e.state = 'busy')
         ORDER BY p.scan_id",
        [],
        |r| r.get(0),
    )
}

// ---------- claims: at most one mail per invitation per round ----------

/// Claims the given invitations for a mail round, in one write transaction: only those not yet
/// claimed for this round get a claim (none once the round is done: its claims are deleted
/// then; for invitations, none for whoever has had a mail), and each claim counts as a mail
/// (`mails_sent + 1`) from that moment. Returns the invitations claimed now; the caller sends them their mail and then
/// calls [`record_claim`]. A claim is written *before* the mail goes out, so a run that is
/// killed in between never sends the round twice to anyone; at worst one mail is lost.
pub fn claim(
    conn: &Connection,
    scan_id: i64,
    kind: MailKind,
    day: Day,
    candidates: &[i64],
    now_secs: i64,
) -> Result<Vec<i64>> {
    let tx = write_tx(conn)?;
    let mut got = Vec::new();
    for inv in candidates {
        let n = tx.execute_c(
            "INSERT OR IGNORE INTO qs_plan_claim (scan_id, kind, day, invitation_id, claimed_at)
             SELECT ?1, ?2, ?3, id, ?5 FROM qs_invitation
             WHERE id = ?4 AND scan_id = ?1 AND email IS NOT NULL
               AND (?6 <> 'invitation' OR mails_sent = 0)
               AND NOT EXISTS (SELECT 1 FROM qs_plan_event WHERE scan_id = ?1 AND kind = ?6
                   AND day = ?3 AND state IN ('done', 'skipped'))",
            params![
                scan_id,
                kind.as_str(),
                day.to_string(),
                inv,
                now_secs,
                EventKind::from(kind).as_str()
            ],
        )?;
        if n == 1 {
            tx.execute_c(
                "UPDATE qs_invitation SET mails_sent = mails_sent + 1 WHERE id = ?1",
                [inv],
            )?;
            got.push(*inv);
        }
    }
    tx.commit()?;
    Ok(got)
}

/// The invitations already claimed for a round (any outcome).
pub fn claimed(conn: &Connection, scan_id: i64, kind: MailKind, day: Day) -> Result<Vec<i64>> {
    query_all(
        conn,
        "SELECT invitation_id FROM qs_plan_claim WHERE scan_id = ?1 AND kind = ?2 AND day = ?3",
        params![scan_id, kind.as_str(), day.to_string()],
        |r| r.get(0),
    )
}

/// What happened to one claimed invitation's mail.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Outcome {
    Sent,
    /// The mail server refused: the mail is not counted as sent.
    Failed,
    /// No longer due (finished in the meantime, or personal data deleted): not sent.
    Skipped,
}

pub fn record_claim(
    conn: &Connection,
    scan_id: i64,
    kind: MailKind,
    day: Day,
    invitation: i64,
    outcome: Outcome,
) -> Result<()> {
    let tx = write_tx(conn)?;
    let o = match outcome {
        Outcome::Sent => "sent",
        Outcome::Failed => "failed",
        Outcome::Skipped => "skipped",
    };
    let n = tx.execute_c(
        "UPDATE qs_plan_claim SET outcome = ?5
         WHERE scan_id = ?1 AND kind = ?2 AND day = ?3 AND invitation_id = ?4 AND outcome = 'claimed'",
        params![scan_id, kind.as_str(), day.to_string(), invitation, o],
    )?;
    if n == 1 && outcome != Outcome::Sent {
        tx.execute_c(
            "UPDATE qs_invitation SET mails_sent = max(mails_sent - 1, 0) WHERE id = ?1",
            [invitation],
        )?;
    }
    tx.commit()?;
    Ok(())
}

/// Counts of a round's claims: (sent, failed, claimed without outcome and older than
/// [`STALE_CLAIM_SECS`], claimed without outcome and recent).
pub fn claim_counts(
    conn: &Connection,
    scan_id: i64,
    kind: MailKind,
    day: Day,
    now_secs: i64,
) -> Result<(u32, u32, u32, u32)> {
    Ok(conn.query_row_c(
        "SELECT COALESCE(SUM(outcome = 'sent'), 0), COALESCE(SUM(outcome = 'failed'), 0),
                COALESCE(SUM(outcome = 'claimed' AND claimed_at <= ?4 - ?5), 0),
                COALESCE(SUM(outcome = 'claimed' AND claimed_at > ?4 - ?5), 0)
         FROM qs_plan_claim WHERE scan_id = ?1 AND kind = ?2 AND day = ?3",
        params![
            scan_id,
            kind.as_str(),
            day.to_string(),
            now_secs,
            STALE_CLAIM_SECS
        ],
        |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
    )?)
}

/// Ends a round: unless another run still has recent claims without outcome (and `force` is
/// false), stores the counts on the event, marks it done and deletes the round's claims.
/// Returns whether this call ended the round.
pub fn finish_round(
    conn: &Connection,
    scan_id: i64,
    kind: MailKind,
    day: Day,
    now_secs: i64,
    force: bool,
) -> Result<bool> {
    let tx = write_tx(conn)?;
    let state: Option<String> = tx
        .query_row_c(
            "SELECT state FROM qs_plan_event WHERE scan_id = ?1 AND kind = ?2 AND day = ?3",
            params![scan_id, EventKind::from(kind).as_str(), day.to_string()],
            |r| r.get(0),
        )
        .optional()?;
    if state.as_deref() == Some("done") {
        return Ok(false); // another run ended it
    }
    let (sent, failed, stale, fresh) = claim_counts(&tx, scan_id, kind, day, now_secs)?;
    if fresh > 0 && !force {
        return Ok(false);
    }
    let unknown = stale + fresh;
    tx.execute_c(
        "INSERT INTO qs_plan_event (scan_id, kind, day, state, sent, failed, unknown, at)
         VALUES (?1, ?2, ?3, 'done', ?4, ?5, ?6, ?7)
         ON CONFLICT (scan_id, kind, day) DO UPDATE SET state = 'done', sent = ?4, failed = ?5,
             unknown = ?6, at = ?7",
        params![
            scan_id,
            EventKind::from(kind).as_str(),
            day.to_string(),
            sent,
            failed,
            unknown,
            now_stamp()
        ],
    )?;
    tx.execute_c(
        "DELETE FROM qs_plan_claim WHERE scan_id = ?1 AND kind = ?2 AND day = ?3",
        params![scan_id, kind.as_str(), day.to_string()],
    )?;
    tx.commit()?;
    Ok(true)
}
