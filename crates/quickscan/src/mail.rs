//! Invitations and reminders by e-mail: SMTP through `lettre` (no TLS dependencies), or a
//! development outbox in the database that the trekker can read. The wording (standard texts,
//! a scan's own texts per group, placeholders) is in [`texts`]; the scheduled rounds in
//! [`crate::schedule`].

mod texts;

pub use texts::*;

use crate::links::PublicUrl;
use crate::model::{Day, Group, OrgKind};
use crate::store::{self, Error, Invitation, InvitationStatus, MailKind, Result};
use lettre::message::{Mailbox, header::ContentType};
use lettre::{Message, SmtpTransport, Transport};
use rusqlite::Connection;

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum MailConfig {
    /// Development: messages go to `qs_outbox`, visible to the trekker.
    Outbox,
    /// Plain SMTP (e.g. a local relay that handles TLS and DKIM).
    Smtp {
        host: String,
        port: u16,
        from: String,
    },
}

impl MailConfig {
    /// From the environment: `QUICKSCAN_SMTP_HOST`, `QUICKSCAN_SMTP_PORT` (25) and
    /// `QUICKSCAN_MAIL_FROM`. Without a host: the outbox.
    pub fn from_env() -> Self {
        match std::env::var("QUICKSCAN_SMTP_HOST") {
            Ok(host) if !host.trim().is_empty() => MailConfig::Smtp {
                host,
                port: std::env::var("QUICKSCAN_SMTP_PORT")
                    .ok()
                    .and_then(|p| p.parse().ok())
                    .unwrap_or(25),
                from: std::env::var("QUICKSCAN_MAIL_FROM")
                    .unwrap_or_else(|_| "Quick Scan <noreply@localhost>".into()),
            },
            _ => MailConfig::Outbox,
        }
    }
}

/// The link to the questionnaire for a personal link's secret, on the server's public address
/// ([`PublicUrl::absolute`]). The one place a mail link is built: every mail (invitation,
/// reminder, preview) goes through it.
pub fn respondent_link(url: &PublicUrl, token: &str) -> String {
    url.absolute(&format!("/vragenlijst/i/{token}"))
}

/// The recipient of the preview: a made-up person with a link that opens nothing.
pub const SAMPLE_NAME: &str = "Jan de Vries";
pub const SAMPLE_TOKEN: &str = "voorbeeld-deze-link-werkt-niet";

/// One plain-text message. The subject must be one line; `lettre` encodes it, and a line
/// break in it could otherwise start a new header.
pub fn message(from: &str, to: &str, subject: &str, body: &str) -> Result<Message> {
    if subject.chars().any(char::is_control) {
        return Err(Error::Invalid(
            "Het onderwerp moet op één regel staan.".into(),
        ));
    }
    let from: Mailbox = from
        .parse()
        .map_err(|e| Error::Invalid(format!("afzender: {e}")))?;
    let to_box: Mailbox = to
        .parse()
        .map_err(|e| Error::Invalid(format!("ontvanger: {e}")))?;
    Message::builder()
        .from(from)
        .to(to_box)
        .subject(subject)
        .header(ContentType::TEXT_PLAIN)
        .body(body.to_owned())
        .map_err(|e| Error::Invalid(e.to_string()))
}

/// Sends one message (or writes it to the outbox).
pub fn send(
    conn: &Connection,
    cfg: &MailConfig,
    scan_id: i64,
    to: &str,
    subject: &str,
    body: &str,
) -> Result<()> {
    match cfg {
        MailConfig::Outbox => store::outbox_add(conn, scan_id, to, subject, body),
        MailConfig::Smtp { host, port, from } => {
            let msg = message(from, to, subject, body)?;
            let transport = SmtpTransport::builder_dangerous(host.as_str())
                .port(*port)
                .timeout(Some(std::time::Duration::from_secs(30)))
                .build();
            transport
                .send(&msg)
                .map_err(|e| Error::Invalid(format!("e-mail niet verstuurd: {e}")))?;
            Ok(())
        }
    }
}

/// The contact of an organisation's profile in one line: "de griffie, griffie@x.nl, 010 …".
pub fn profile_contact(p: &store::Profile) -> String {
    [&p.contact_name, &p.contact_email, &p.contact_phone]
        .iter()
        .map(|s| s.trim())
        .filter(|s| !s.is_empty())
        .collect::<Vec<_>>()
        .join(", ")
}

/// Everything a scan's mails need apart from the recipient, read once: the same for the mails
/// that are sent and for the preview.
#[derive(Debug, Clone)]
pub struct ScanMail {
    pub org_name: String,
    pub org_kind: OrgKind,
    pub closes_on: Option<Day>,
    pub contact: String,
    custom: Vec<(Group, MailKind, MailText)>,
}

impl ScanMail {
    pub fn load(conn: &Connection, scan_id: i64) -> Result<ScanMail> {
        let s = store::scan(conn, scan_id)?;
        let org = store::org(conn, &s.org_id)?;
        let mut custom = Vec::new();
        for g in store::MAIL_GROUPS {
            for k in MailKind::ALL {
                if let Some((subject, body)) = store::mail_text(conn, scan_id, g, k)? {
                    custom.push((g, k, MailText { subject, body }));
                }
            }
        }
        // the organisation's profile (name for respondents, contact) unless the scan has its own
        let profile = store::profile(conn, &s.org_id)?;
        let org_name = if profile.display_name.trim().is_empty() {
            org.name
        } else {
            profile.display_name.clone()
        };
        let mut contact = store::contact(conn, scan_id)?;
        if contact.trim().is_empty() {
            contact = profile_contact(&profile);
        }
        Ok(ScanMail {
            org_name,
            org_kind: org.kind,
            closes_on: store::plan(conn, scan_id)?.closes_on,
            contact,
            custom,
        })
    }

    /// The scan's own text for this group and kind, if it has one.
    pub fn custom_text(&self, group: Group, kind: MailKind) -> Option<&MailText> {
        self.custom
            .iter()
            .find(|(g, k, _)| *g == group && *k == kind)
            .map(|(_, _, t)| t)
    }

    /// The text used: the scan's own, else the standard text.
    pub fn text(&self, group: Group, kind: MailKind) -> MailText {
        self.custom_text(group, kind).cloned().unwrap_or_else(|| {
            default_text(
                self.org_kind,
                group,
                kind,
                self.closes_on.is_some(),
                !self.contact.trim().is_empty(),
            )
        })
    }

    /// The mail for one recipient with `text` (usually [`ScanMail::text`]).
    pub fn compose_with(
        &self,
        text: &MailText,
        kind: MailKind,
        name: &str,
        link: &str,
    ) -> (String, String) {
        compose(
            text,
            kind,
            &Values {
                naam: name,
                link,
                organisatie: &self.org_name,
                sluitdatum: self.closes_on,
                contact: &self.contact,
            },
        )
    }

    /// The mail as it is sent to a member of `group`.
    pub fn compose(
        &self,
        group: Group,
        kind: MailKind,
        name: &str,
        link: &str,
    ) -> (String, String) {
        self.compose_with(&self.text(group, kind), kind, name, link)
    }
}

/// Whether an invitation is due for a mail of this kind: an invitation goes to whoever has not
/// had one; a reminder only to whoever was invited and has not finished (also not while their
/// "finished" mark waits to be written). The manual and the scheduled reminder use this.
pub fn due(conn: &Connection, inv: &Invitation, kind: MailKind) -> bool {
    inv.email.is_some()
        && match kind {
            MailKind::Invitation => inv.mails_sent == 0,
            MailKind::Reminder => inv.mails_sent > 0 && !finished(conn, inv),
        }
}

/// Finished, or finished and not yet written (see `store::finish_pending`).
pub fn finished(conn: &Connection, inv: &Invitation) -> bool {
    inv.status == InvitationStatus::Finished || store::finish_pending(conn, inv.id)
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub sent: usize,
    pub failed: usize,
}

/// Sends invitations to everyone not yet mailed, or (with `reminder`) reminders to everyone
/// invited who has not finished. `base_url` is the server's public address, e.g.
/// `https://stembus.example` (checked as [`PublicUrl::parse`]).
pub fn send_invitations(
    conn: &Connection,
    cfg: &MailConfig,
    scan_id: i64,
    base_url: &str,
    reminder: bool,
) -> Result<Sent> {
    let kind = if reminder {
        MailKind::Reminder
    } else {
        MailKind::Invitation
    };
    let url = PublicUrl::parse(base_url).map_err(Error::Invalid)?;
    let texts = ScanMail::load(conn, scan_id)?;
    let mut out = Sent::default();
    for inv in store::invitations(conn, scan_id)? {
        if !due(conn, &inv, kind) {
            continue;
        }
        let Some(email) = &inv.email else {
            continue;
        };
        // an invitation is taken atomically before it is sent: the scheduler may be sending
        // the same round at this moment
        if kind == MailKind::Invitation && !store::take_first_mail(conn, inv.id)? {
            continue;
        }
        // a fresh link for every mail; only its hash is stored
        let token = store::issue_link(conn, inv.id)?;
        let link = respondent_link(&url, &token);
        let name = inv.name.as_deref().unwrap_or_default();
        let (subject, body) = texts.compose(inv.group, kind, name, &link);
        match send(conn, cfg, scan_id, email, &subject, &body) {
            Ok(()) => {
                if kind == MailKind::Reminder {
                    store::mark_mailed(conn, inv.id)?;
                }
                out.sent += 1;
            }
            Err(e) => {
                eprintln!("quickscan: uitnodiging niet verstuurd: {e}");
                if kind == MailKind::Invitation {
                    store::unmark_mailed(conn, inv.id)?;
                }
                out.failed += 1;
            }
        }
    }
    Ok(out)
}
