//! The wording of invitations and reminders (issue 12): a standard text per group in plain Dutch
//! (B1), a scan's own text per group with placeholders, the checks on such a text, and filling it
//! in. One function, [`compose`], makes the mail that is sent and the preview the trekker sees.

use crate::model::{Day, Group, Lang, OrgKind};
use crate::store::MailKind;

/// The placeholders a text may use, with what they stand for (shown next to the editor).
pub const PLACEHOLDERS: [(&str, &str); 5] = [
    ("naam", "de naam van de ontvanger"),
    (
        "link",
        "de persoonlijke link naar de vragenlijst (verplicht)",
    ),
    ("organisatie", "de naam van uw gemeente of provincie"),
    ("sluitdatum", "de laatste dag om mee te doen"),
    ("contact", "bij wie de ontvanger terecht kan met vragen"),
];

/// Longest subject and body (characters).
pub const MAX_SUBJECT: usize = 150;
pub const MAX_BODY: usize = 5_000;

/// A subject and body with placeholders.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MailText {
    pub subject: String,
    pub body: String,
}

/// What is wrong with a text, per field (Dutch, for the page).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TextErrors {
    pub subject: Vec<String>,
    pub body: Vec<String>,
}

impl TextErrors {
    pub fn is_empty(&self) -> bool {
        self.subject.is_empty() && self.body.is_empty()
    }
}

/// The `{…}` names in `text` that look like placeholders (letters and `_` only), in order.
fn placeholder_names(text: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        let after = &rest[open + 1..];
        match after.find(['}', '{']) {
            Some(close) if after[close..].starts_with('}') => {
                let name = &after[..close];
                if !name.is_empty()
                    && name.len() <= 40
                    && name
                        .chars()
                        .all(|c| c.is_alphabetic() || c == '_' || c == '-')
                {
                    out.push(name);
                }
                rest = &after[close + 1..];
            }
            Some(close) => rest = &after[close..],
            None => break,
        }
    }
    out
}

fn unknown_placeholders(text: &str) -> Vec<String> {
    let mut v: Vec<String> = placeholder_names(text)
        .into_iter()
        .filter(|n| !PLACEHOLDERS.iter().any(|(p, _)| p == n))
        .map(|n| format!("{{{n}}}"))
        .collect();
    v.dedup();
    v
}

fn unknown_message(names: &[String]) -> String {
    let known: Vec<String> = PLACEHOLDERS
        .iter()
        .map(|(p, _)| format!("{{{p}}}"))
        .collect();
    format!(
        "Onbekend: {}. U kunt deze gebruiken: {}.",
        names.join(", "),
        known.join(", ")
    )
}

/// Checks a text the trekker wrote. The subject is one line (no line breaks or other control
/// characters: so no extra mail header can be made), without the link; the body contains
/// `{link}`; only the placeholders of [`PLACEHOLDERS`] are used. Returns the text with line
/// ends normalised.
pub fn check_text(subject: &str, body: &str) -> Result<MailText, TextErrors> {
    let mut e = TextErrors::default();
    let subject_t = subject.trim();
    let body_t = body.replace("\r\n", "\n").replace('\r', "\n");
    let body_t = body_t.trim();
    if subject_t.is_empty() {
        e.subject.push("Vul een onderwerp in.".into());
    } else if subject_t.chars().any(char::is_control) {
        e.subject
            .push("Het onderwerp moet op één regel staan, zonder regeleinden of tabs.".into());
    } else if subject_t.chars().count() > MAX_SUBJECT {
        e.subject.push(format!(
            "Het onderwerp is te lang: hoogstens {MAX_SUBJECT} tekens."
        ));
    }
    let unknown = unknown_placeholders(subject_t);
    if !unknown.is_empty() {
        e.subject.push(unknown_message(&unknown));
    }
    if placeholder_names(subject_t).contains(&"link") {
        e.subject
            .push("De link hoort in de tekst van de e-mail, niet in het onderwerp.".into());
    }
    if body_t.is_empty() {
        e.body.push("Vul de tekst van de e-mail in.".into());
    } else if body_t.chars().count() > MAX_BODY {
        e.body
            .push(format!("De tekst is te lang: hoogstens {MAX_BODY} tekens."));
    }
    if body_t
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        e.body
            .push("De tekst bevat onzichtbare stuurtekens.".into());
    }
    let unknown = unknown_placeholders(body_t);
    if !unknown.is_empty() {
        e.body.push(unknown_message(&unknown));
    }
    if !body_t.is_empty() && !placeholder_names(body_t).contains(&"link") {
        e.body.push(
            "De tekst moet {link} bevatten: daar komt de persoonlijke link van de ontvanger."
                .into(),
        );
    }
    if e.is_empty() {
        Ok(MailText {
            subject: subject_t.to_owned(),
            body: body_t.to_owned(),
        })
    } else {
        Err(e)
    }
}

/// Placeholders used in `text` for which the scan has no value yet (e.g. `sluitdatum` without a
/// closing date): a warning for the editor, not an error.
pub fn missing_values(text: &MailText, closes_on: Option<Day>, contact: &str) -> Vec<&'static str> {
    let used: Vec<&str> = placeholder_names(&text.subject)
        .into_iter()
        .chain(placeholder_names(&text.body))
        .collect();
    let mut v = Vec::new();
    if closes_on.is_none() && used.contains(&"sluitdatum") {
        v.push("sluitdatum");
    }
    if contact.trim().is_empty() && used.contains(&"contact") {
        v.push("contact");
    }
    v
}

/// The values put into a text for one recipient.
#[derive(Debug, Clone)]
pub struct Values<'a> {
    pub naam: &'a str,
    pub link: &'a str,
    pub organisatie: &'a str,
    pub sluitdatum: Option<Day>,
    pub contact: &'a str,
}

/// One line: control characters (line breaks, tabs) become spaces, so a name or organisation
/// can neither add lines to a mail nor a header to its subject.
fn one_line(s: &str) -> String {
    let s: String = s
        .chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect();
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn fill(text: &str, v: &Values<'_>) -> String {
    let mut out = String::with_capacity(text.len() + 100);
    let mut rest = text;
    while let Some(open) = rest.find('{') {
        out.push_str(&rest[..open]);
        let after = &rest[open + 1..];
        let value = after.find('}').and_then(|close| {
            let value = match &after[..close] {
                "naam" => one_line(v.naam),
                "link" => v.link.to_owned(),
                "organisatie" => one_line(v.organisatie),
                "sluitdatum" => v
                    .sluitdatum
                    .map_or_else(|| "(nog geen sluitdatum)".to_owned(), Day::long_weekday_nl),
                "contact" => {
                    let c = one_line(v.contact);
                    if c.is_empty() {
                        "(geen contact opgegeven)".to_owned()
                    } else {
                        c
                    }
                }
                _ => return None,
            };
            Some((value, close))
        });
        if let Some((value, close)) = value {
            out.push_str(&value);
            rest = &after[close + 1..];
        } else {
            out.push('{');
            rest = after;
        }
    }
    out.push_str(rest);
    out
}

/// The part under every mail that the trekker cannot change: the promise of anonymity and, in a
/// reminder, where saved answers are (a reminder's new link does not open a draft saved with the
/// first link; see THREATS.md, rule D).
pub fn fixed_footer(kind: MailKind) -> &'static str {
    match kind {
        MailKind::Invitation => {
            "---\nUw antwoorden zijn anoniem. We bewaren ze zonder uw naam of e-mailadres. Wij zien alleen óf u de vragenlijst hebt ingevuld, niet wat u hebt geantwoord. Groepen met weinig deelnemers tonen we niet apart.\n\nDeel uw persoonlijke link niet: hij werkt maar één keer.\n"
        }
        MailKind::Reminder => {
            "---\nHebt u al antwoorden opgeslagen? Gebruik dan de link uit uw eerste e-mail: alleen met die link kunt u ze weer zien, want niemand anders kan ze lezen, ook wij niet. Met de nieuwe link in deze e-mail begint u opnieuw.\n\nUw antwoorden zijn anoniem. We bewaren ze zonder uw naam of e-mailadres. Wij zien alleen óf u de vragenlijst hebt ingevuld, niet wat u hebt geantwoord. Groepen met weinig deelnemers tonen we niet apart.\n\nDeel uw persoonlijke link niet: hij werkt maar één keer.\n"
        }
    }
}

/// The mail as it is sent: the text filled in for one recipient, with the fixed footer. Plain
/// text; the subject is always one line.
pub fn compose(text: &MailText, kind: MailKind, v: &Values<'_>) -> (String, String) {
    let subject = one_line(&fill(&text.subject, v));
    let body = format!(
        "{}\n\n{}",
        fill(&text.body, v).trim_end(),
        fixed_footer(kind)
    );
    (subject, body)
}

/// The standard text for a group: today's wording, plus a sentence with the closing date and
/// one with the contact when the scan has them.
pub fn default_text(
    org_kind: OrgKind,
    group: Group,
    kind: MailKind,
    has_close: bool,
    has_contact: bool,
) -> MailText {
    let groep = group.label(org_kind, Lang::Nl).to_lowercase();
    let all = [Group::Raad, Group::College, Group::Ambtenaren]
        .map(|g| g.label(org_kind, Lang::Nl).to_lowercase())
        .join(", ");
    let until = if has_close {
        " U kunt meedoen tot en met {sluitdatum}."
    } else {
        ""
    };
    let contact = if has_contact {
        "Hebt u vragen? Neem contact op met {contact}.\n\n"
    } else {
        ""
    };
    let (subject, opening, link_label) = match kind {
        MailKind::Invitation => (
            "Uw mening over de democratie in {organisatie}",
            "Wij vragen u mee te doen aan de Quick Scan Lokale Democratie.",
            "Uw persoonlijke link:",
        ),
        MailKind::Reminder => (
            "Herinnering: uw mening over de democratie in {organisatie}",
            "U heeft onze vragenlijst nog niet afgemaakt. Dat kan nog steeds.",
            "Uw nieuwe persoonlijke link:",
        ),
    };
    let body = format!(
        "Beste deelnemer,\n\n{opening}{until}\n\nWe stellen dezelfde vragen aan {all} en inwoners. U doet mee in de groep {groep}. Zo zien we waar we hetzelfde over denken en waar niet.\n\nHet invullen duurt ongeveer 15 minuten. U kunt tussendoor stoppen en later verder gaan met dezelfde link.\n\n{link_label}\n{{link}}\n\n{contact}Met vriendelijke groet,\n{{organisatie}}\n\nEnglish: you are invited to the Quick Scan of local democracy in {{organisatie}}. It takes about 15 minutes and your answers are anonymous. Use the personal link above."
    );
    MailText {
        subject: subject.to_owned(),
        body,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(naam: &str) -> Values<'_> {
        Values {
            naam,
            link: "https://x/vragenlijst/i/abc",
            organisatie: "Gemeente Een",
            sluitdatum: Some(Day::from_ymd(2026, 12, 18)),
            contact: "de griffie, 010-1234567",
        }
    }

    #[test]
    fn placeholders_are_found_and_checked() {
        assert_eq!(
            placeholder_names("a {naam} {x y} {} {{link}} {Naam}"),
            vec!["naam", "link", "Naam"]
        );
        let e = check_text("Hallo {voornaam}", "Tekst {groet} en {naam}").unwrap_err();
        assert!(e.subject[0].contains("{voornaam}"), "{e:?}");
        assert!(e.body.iter().any(|m| m.contains("{groet}")), "{e:?}");
        assert!(e.body.iter().any(|m| m.contains("{link}")), "{e:?}");
        let e = check_text("Twee\r\nBcc: x@y.nl", "{link}").unwrap_err();
        assert!(e.subject[0].contains("één regel"));
        let e = check_text("Link {link}", "{link}").unwrap_err();
        assert!(e.subject[0].contains("niet in het onderwerp"));
        let ok = check_text(" Onderwerp ", "Beste {naam},\r\n\r\n{link}\r\n").unwrap();
        assert_eq!(ok.body, "Beste {naam},\n\n{link}");
        assert_eq!(ok.subject, "Onderwerp");
    }

    #[test]
    fn filling_keeps_one_line_values_and_literal_braces() {
        let t = MailText {
            subject: "Voor {naam}".into(),
            body: "Beste {naam}, {tot} {link} tot {sluitdatum}; {contact} {".into(),
        };
        let (s, b) = compose(&t, MailKind::Invitation, &v("Anna\r\nBcc: evil@x.nl"));
        assert_eq!(s, "Voor Anna Bcc: evil@x.nl");
        assert!(b.starts_with(
            "Beste Anna Bcc: evil@x.nl, {tot} https://x/vragenlijst/i/abc tot vrijdag 18 december 2026; de griffie, 010-1234567 {"
        ));
        assert!(b.contains("Uw antwoorden zijn anoniem"));
    }

    #[test]
    fn defaults_pass_their_own_check() {
        for kind in [OrgKind::Gemeente, OrgKind::Provincie] {
            for g in [Group::Raad, Group::College, Group::Ambtenaren] {
                for k in MailKind::ALL {
                    for (c, ct) in [(false, false), (true, true)] {
                        let t = default_text(kind, g, k, c, ct);
                        assert_eq!(check_text(&t.subject, &t.body), Ok(t.clone()));
                        assert_eq!(t.body.contains("{sluitdatum}"), c);
                    }
                }
            }
        }
        assert_eq!(
            (Day::from_ymd(2026, 12, 4)).long_weekday_nl(),
            "vrijdag 4 december 2026"
        );
        assert_eq!(Day(0).long_weekday_nl(), "donderdag 1 januari 1970");
    }
}
