//! Invitations and reminders by e-mail: SMTP through `lettre` (no TLS dependencies), or a
//! development outbox in the database that the trekker can read.

use crate::model::{Group, Lang, OrgKind};
use crate::store::{self, Error, InvitationStatus, Result};
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
            let from: Mailbox = from
                .parse()
                .map_err(|e| Error::Invalid(format!("afzender: {e}")))?;
            let to_box: Mailbox = to
                .parse()
                .map_err(|e| Error::Invalid(format!("ontvanger: {e}")))?;
            let msg = Message::builder()
                .from(from)
                .to(to_box)
                .subject(subject)
                .header(ContentType::TEXT_PLAIN)
                .body(body.to_owned())
                .map_err(|e| Error::Invalid(e.to_string()))?;
            let transport = SmtpTransport::builder_dangerous(host.as_str())
                .port(*port)
                .build();
            transport
                .send(&msg)
                .map_err(|e| Error::Invalid(format!("e-mail niet verstuurd: {e}")))?;
            Ok(())
        }
    }
}

fn invitation_text(
    org_name: &str,
    kind: OrgKind,
    group: Group,
    link: &str,
    reminder: bool,
) -> (String, String) {
    let groep = group.label(kind, Lang::Nl).to_lowercase();
    let subject = if reminder {
        format!("Herinnering: uw mening over de democratie in {org_name}")
    } else {
        format!("Uw mening over de democratie in {org_name}")
    };
    let opening = if reminder {
        "U heeft onze vragenlijst nog niet afgemaakt. Dat kan nog steeds.\n\nHebt u al antwoorden opgeslagen? Gebruik dan de link uit uw eerste e-mail: alleen met die link kunt u ze weer zien, want niemand anders kan ze lezen, ook wij niet. Met de nieuwe link hieronder begint u opnieuw."
    } else {
        "Wij vragen u mee te doen aan de Quick Scan Lokale Democratie."
    };
    let body = format!(
        "Beste deelnemer,\n\n{opening}\n\nWe stellen dezelfde vragen aan raad, college, ambtenaren en inwoners. U doet mee in de groep {groep}. Zo zien we waar we hetzelfde over denken en waar niet.\n\nHet invullen duurt ongeveer 15 minuten. U kunt tussendoor stoppen en later verder gaan met dezelfde link.\n\nUw persoonlijke link:\n{link}\n\nUw antwoorden zijn anoniem. We bewaren ze zonder uw naam of e-mailadres. Wij zien alleen óf u de vragenlijst hebt ingevuld, niet wat u hebt geantwoord. Groepen met weinig deelnemers tonen we niet apart.\n\nDeel deze link niet: hij werkt maar één keer.\n\nMet vriendelijke groet,\n{org_name}\n\n---\nEnglish: you are invited to the Quick Scan of local democracy in {org_name}. It takes about 15 minutes and your answers are anonymous. Use the personal link above.\n"
    );
    (subject, body)
}

#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct Sent {
    pub sent: usize,
    pub failed: usize,
}

/// Sends invitations to everyone not yet mailed, or (with `reminder`) reminders to everyone
/// invited who has not finished. `base_url` is e.g. `https://stembus.example/`.
pub fn send_invitations(
    conn: &Connection,
    cfg: &MailConfig,
    scan_id: i64,
    base_url: &str,
    reminder: bool,
) -> Result<Sent> {
    let s = store::scan(conn, scan_id)?;
    let org = store::org(conn, &s.org_id)?;
    let mut out = Sent::default();
    for inv in store::invitations(conn, scan_id)? {
        let Some(email) = &inv.email else {
            continue;
        };
        let due = if reminder {
            inv.mails_sent > 0
                && inv.status != InvitationStatus::Finished
                && !store::finish_pending(conn, inv.id)
        } else {
            inv.mails_sent == 0
        };
        if !due {
            continue;
        }
        // a fresh link for every mail; only its hash is stored
        let token = store::issue_link(conn, inv.id)?;
        let link = format!("{}/vragenlijst/i/{token}", base_url.trim_end_matches('/'));
        let (subject, body) = invitation_text(&org.name, org.kind, inv.group, &link, reminder);
        match send(conn, cfg, scan_id, email, &subject, &body) {
            Ok(()) => {
                store::mark_mailed(conn, inv.id)?;
                out.sent += 1;
            }
            Err(e) => {
                eprintln!("quickscan: uitnodiging niet verstuurd: {e}");
                out.failed += 1;
            }
        }
    }
    Ok(out)
}
