//! The scheduler (issue 12): opens a scan on its opening day (only when it is ready) and sends
//! the invitations, sends the planned reminders to whoever has not finished, and closes the scan
//! at the end of its closing day.
//!
//! It runs at every start and then every 10 minutes (`QUICKSCAN_SCHEDULE_EVERY_SECS`), like
//! the retention job. Each run does a bounded amount of work ([`Limits`]); what is left waits
//! for the next run. The clock is a parameter, so tests set the day and time.
//!
//! Safety of a mail round (see `store::claim`): each invitation is *claimed* for the round, in
//! the database, before its mail is sent; a claimed invitation is never mailed again in that
//! round. So two overlapping runs, or a run after a killed one, never send a round twice to
//! the same person. If the process dies between claiming and recording the outcome, that one
//! mail may or may not have gone out: the round reports it as "onbekend" (unknown). A finished
//! respondent never gets a reminder: the same test as the manual reminder ([`crate::mail::due`])
//! decides who is due, and it is checked again just before each mail.

use crate::links::PublicUrl;
use crate::mail::{self, MailConfig, ScanMail};
use crate::model::{Day, ScanStatus};
use crate::store::{self, Error, EventKind, EventState, MailKind, Outcome, Result};
use rusqlite::Connection;

/// Scheduled mails go out from this time of day (UTC seconds: 07:00 UTC is 08:00 or 09:00
/// in the Netherlands), not in the night.
pub const SEND_FROM_SECS: i64 = 7 * 3600;

/// How much one run may do.
#[derive(Debug, Clone, Copy)]
pub struct Limits {
    /// Mails per run (all scans together).
    pub max_mails: usize,
    /// After this many failed mails in a row the run stops mailing (the mail server is
    /// probably down); the rest waits for the next run.
    pub max_failures_in_a_row: usize,
    /// Tests only: stop as if the process were killed right after this many mails were sent,
    /// before their outcome is recorded.
    #[doc(hidden)]
    pub die_after_sends: Option<usize>,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_mails: 500,
            max_failures_in_a_row: 3,
            die_after_sends: None,
        }
    }
}

/// What one run did.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct RunReport {
    pub opened: Vec<i64>,
    /// Scans whose opening day came while they were not ready.
    pub waiting: Vec<i64>,
    pub closed: Vec<i64>,
    pub sent: usize,
    pub failed: usize,
    /// True when the run stopped early (mail limit, failures, or a simulated kill).
    pub stopped_early: bool,
}

const ACTOR: &str = "planning";

fn audit(conn: &Connection, s: &store::Scan, action: &str, detail: &str) -> Result<()> {
    store::audit(conn, ACTOR, Some(&s.org_id), Some(s.id), action, detail)
}

/// The scheduler with the system clock and default limits.
pub fn run_now(
    conn: &Connection,
    cfg: &MailConfig,
    public_url: Option<&PublicUrl>,
) -> Result<RunReport> {
    let now = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(0));
    run(conn, cfg, public_url, now, Limits::default())
}

/// One run of the scheduler at `now` (seconds since 1970, UTC). Safe to call as often as you
/// like and from two processes at once. Without a public address (`public_url` `None`) no mail
/// round starts (its links would lead nowhere); opening and closing go on.
pub fn run(
    conn: &Connection,
    cfg: &MailConfig,
    public_url: Option<&PublicUrl>,
    now: i64,
    limits: Limits,
) -> Result<RunReport> {
    let mut run = Run {
        conn,
        cfg,
        public_url,
        now,
        today: Day(now.div_euclid(86_400)),
        mail_time: now.rem_euclid(86_400) >= SEND_FROM_SECS,
        limits,
        report: RunReport::default(),
        sends: 0,
        failures_in_a_row: 0,
    };
    for id in store::planned_scans(conn)? {
        if run.stop() {
            break;
        }
        run.scan(id)?;
    }
    Ok(run.report)
}

struct Run<'a> {
    conn: &'a Connection,
    cfg: &'a MailConfig,
    public_url: Option<&'a PublicUrl>,
    now: i64,
    today: Day,
    mail_time: bool,
    limits: Limits,
    report: RunReport,
    sends: usize,
    failures_in_a_row: usize,
}

impl Run<'_> {
    fn stop(&self) -> bool {
        self.report.stopped_early
    }

    fn scan(&mut self, id: i64) -> Result<()> {
        let c = self.conn;
        let p = store::plan(c, id)?;
        let s = store::scan(c, id)?;
        if s.status == ScanStatus::Concept
            && let Some(o) = p.opens_on
            && o <= self.today
        {
            self.open(&s, o, p.closes_on)?;
        }
        let s = store::scan(c, id)?;
        if s.status != ScanStatus::Concept
            && let Some(o) = p.opens_on
            && store::plan_event(c, id, EventKind::Open, o)?
                .is_some_and(|e| e.state == EventState::Waiting)
        {
            store::set_plan_event(
                c,
                id,
                EventKind::Open,
                o,
                EventState::Skipped,
                "Met de hand geopend.",
            )?;
        }
        if s.status == ScanStatus::Open {
            if let Some(o) = p.opens_on
                && o <= self.today
            {
                self.round(&s, MailKind::Invitation, o)?;
            }
            let due: Vec<Day> = p
                .reminders
                .iter()
                .copied()
                .filter(|d| *d <= self.today)
                .collect();
            if let Some((last, earlier)) = due.split_last() {
                for d in earlier {
                    self.pass_over(&s, *d)?;
                }
                self.round(&s, MailKind::Reminder, *last)?;
            }
            if p.closes_on.is_some_and(|c| c < self.today) && !self.stop() {
                self.close(&s, p.closes_on.unwrap_or(self.today))?;
            }
        }
        // a round left busy when the scan closed (by hand or above) is ended as it stands
        if store::scan(c, id)?.status.is_closed() {
            for e in store::plan_events(c, id)? {
                if e.state == EventState::Busy {
                    let kind = match e.kind {
                        EventKind::Invitation => MailKind::Invitation,
                        _ => MailKind::Reminder,
                    };
                    store::finish_round(c, id, kind, e.day, self.now, true)?;
                }
            }
        }
        Ok(())
    }

    /// Opening day reached: open if ready, else record why not (again at every run, so the
    /// dashboard shows the current reasons; it opens as soon as it is ready).
    fn open(&mut self, s: &store::Scan, day: Day, closes_on: Option<Day>) -> Result<()> {
        let c = self.conn;
        let why = store::open_blockers(c, s, self.today)?;
        if why.is_empty() {
            match store::advance(c, s.id, ScanStatus::Open, self.today) {
                Ok(()) => {
                    store::set_plan_event(c, s.id, EventKind::Open, day, EventState::Done, "")?;
                    audit(c, s, "status gewijzigd", "open (planning)")?;
                    self.report.opened.push(s.id);
                }
                // another run opened it just now
                Err(Error::State(_)) => {}
                Err(e) => return Err(e),
            }
        } else {
            let state = if closes_on.is_some_and(|x| x < self.today) {
                EventState::Skipped
            } else {
                self.report.waiting.push(s.id);
                EventState::Waiting
            };
            store::set_plan_event(c, s.id, EventKind::Open, day, state, &why.join(" "))?;
        }
        Ok(())
    }

    /// A reminder day that passed while a later one is already due (the server did not run on
    /// it): not sent, so nobody gets two reminders at once.
    fn pass_over(&mut self, s: &store::Scan, day: Day) -> Result<()> {
        let c = self.conn;
        match store::plan_event(c, s.id, EventKind::Reminder, day)? {
            Some(e) if e.state == EventState::Busy => {
                store::finish_round(c, s.id, MailKind::Reminder, day, self.now, false)?;
            }
            Some(_) => {}
            None => store::set_plan_event(
                c,
                s.id,
                EventKind::Reminder,
                day,
                EventState::Skipped,
                "Niet verstuurd: op die dag draaide de planning niet, en een latere herinnering was al aan de beurt.",
            )?,
        }
        Ok(())
    }

    /// Sends (the rest of) a mail round, within the run's limits.
    fn round(&mut self, s: &store::Scan, kind: MailKind, day: Day) -> Result<()> {
        let c = self.conn;
        let event = store::plan_event(c, s.id, kind.into(), day)?;
        if event
            .as_ref()
            .is_some_and(|e| matches!(e.state, EventState::Done | EventState::Skipped))
            || !self.mail_time
            || self.public_url.is_none()
            || self.stop()
        {
            return Ok(());
        }
        store::begin_round(c, s.id, kind, day)?;
        let texts = ScanMail::load(c, s.id)?;
        let already: std::collections::HashSet<i64> =
            store::claimed(c, s.id, kind, day)?.into_iter().collect();
        let candidates: Vec<i64> = store::invitations(c, s.id)?
            .iter()
            .filter(|i| !already.contains(&i.id) && mail::due(c, i, kind))
            .map(|i| i.id)
            .collect();
        // one claim at a time: a run killed between claiming and sending loses at most one mail
        for inv_id in candidates {
            if self.sends >= self.limits.max_mails {
                self.report.stopped_early = true;
            }
            if self.stop() {
                return Ok(());
            }
            if store::claim(c, s.id, kind, day, &[inv_id], self.now)?.is_empty() {
                continue; // another run has it
            }
            self.send_one(s, &texts, kind, day, inv_id)?;
        }
        if self.stop() {
            return Ok(());
        }
        if store::finish_round(c, s.id, kind, day, self.now, false)? {
            let e = store::plan_event(c, s.id, kind.into(), day)?;
            if let Some(e) = e {
                let what = match kind {
                    MailKind::Invitation => "uitnodigingen verstuurd",
                    MailKind::Reminder => "herinneringen verstuurd",
                };
                audit(
                    c,
                    s,
                    what,
                    &format!(
                        "{} verstuurd, {} mislukt, {} onbekend (planning, {})",
                        e.sent, e.failed, e.unknown, day
                    ),
                )?;
            }
        }
        Ok(())
    }

    fn send_one(
        &mut self,
        s: &store::Scan,
        texts: &ScanMail,
        kind: MailKind,
        day: Day,
        inv_id: i64,
    ) -> Result<()> {
        let c = self.conn;
        let inv = store::invitation(c, inv_id)?;
        // checked again: the respondent may have finished since the list was made
        let still_due = match kind {
            MailKind::Invitation => inv.email.is_some(),
            MailKind::Reminder => inv.email.is_some() && !mail::finished(c, &inv),
        };
        let Some(email) = inv.email.as_deref().filter(|_| still_due) else {
            return store::record_claim(c, s.id, kind, day, inv_id, Outcome::Skipped);
        };
        let Some(url) = self.public_url else {
            return store::record_claim(c, s.id, kind, day, inv_id, Outcome::Skipped);
        };
        let token = store::issue_link(c, inv_id)?;
        let link = mail::respondent_link(url, &token);
        let name = inv.name.as_deref().unwrap_or_default();
        let (subject, body) = texts.compose(inv.group, kind, name, &link);
        let sent = mail::send(c, self.cfg, s.id, email, &subject, &body);
        self.sends += 1;
        if self.limits.die_after_sends == Some(self.sends) {
            // as if the process were killed here: nothing more is written
            self.report.stopped_early = true;
            return Ok(());
        }
        match sent {
            Ok(()) => {
                self.failures_in_a_row = 0;
                self.report.sent += 1;
                store::record_claim(c, s.id, kind, day, inv_id, Outcome::Sent)
            }
            Err(e) => {
                eprintln!("quickscan: geplande e-mail niet verstuurd: {e}");
                self.failures_in_a_row += 1;
                self.report.failed += 1;
                if self.failures_in_a_row >= self.limits.max_failures_in_a_row {
                    self.report.stopped_early = true;
                }
                store::record_claim(c, s.id, kind, day, inv_id, Outcome::Failed)
            }
        }
    }

    fn close(&mut self, s: &store::Scan, day: Day) -> Result<()> {
        let c = self.conn;
        match store::advance(c, s.id, ScanStatus::Closed, self.today) {
            Ok(()) => {
                store::set_plan_event(c, s.id, EventKind::Close, day, EventState::Done, "")?;
                audit(c, s, "status gewijzigd", "closed (planning)")?;
                self.report.closed.push(s.id);
            }
            Err(Error::State(_)) => {}
            Err(e) => return Err(e),
        }
        Ok(())
    }
}
