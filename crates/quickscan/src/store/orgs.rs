//! Organisations.

use super::{Cached, Connection, Error, OptionalExtension, OrgKind, Result, params, query_all};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Org {
    /// The webkit organisation key (e.g. `testdorp`), used in URLs and role grants.
    pub id: String,
    pub name: String,
    pub kind: OrgKind,
}

/// Registers (or renames) an organisation. `id` is the webkit organisation key.
pub fn upsert_org(conn: &Connection, id: &str, name: &str, kind: OrgKind) -> Result<()> {
    conn.execute_c(
        "INSERT INTO qs_org (org_id, name, kind) VALUES (?1, ?2, ?3)
         ON CONFLICT(org_id) DO UPDATE SET name = excluded.name, kind = excluded.kind",
        params![id, name, kind.as_str()],
    )?;
    Ok(())
}

pub fn org(conn: &Connection, id: &str) -> Result<Org> {
    conn.query_row_c(
        "SELECT org_id, name, kind FROM qs_org WHERE org_id = ?1",
        [id],
        |r| {
            Ok(Org {
                id: r.get(0)?,
                name: r.get(1)?,
                kind: OrgKind::parse(&r.get::<_, String>(2)?).unwrap_or(OrgKind::Gemeente),
            })
        },
    )
    .optional()?
    .ok_or(Error::NotFound)
}

pub fn orgs(conn: &Connection) -> Result<Vec<Org>> {
    let ids: Vec<String> = query_all(conn, "SELECT org_id FROM qs_org ORDER BY name", [], |r| {
        r.get(0)
    })?;
    ids.iter().map(|id| org(conn, id)).collect()
}

/// The organisation's own profile: what respondents see in the header, on letters and in the
/// privacy statement. Every field may be empty; the pages then fall back (the display name to
/// [`Org::name`], no colour to the Stembus look) and say what is missing.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Profile {
    /// The name respondents see, e.g. "Gemeente Testdorp".
    pub display_name: String,
    pub street: String,
    pub postcode: String,
    pub place: String,
    /// `#rrggbb`, dark enough for white text (see `branding::house_colour`), or empty.
    pub colour: String,
    /// Contact for respondents: name or department.
    pub contact_name: String,
    pub contact_email: String,
    pub contact_phone: String,
    /// Purpose of the processing, in the privacy statement; empty: the standard text.
    pub privacy_purpose: String,
    /// How to reach the privacy officer (functionaris gegevensbescherming, FG).
    pub privacy_officer: String,
}

/// A profile field with the problem found in it (Dutch, for the form).
pub type FieldError = (&'static str, String);

/// The profile fields in form order: (form name, label).
pub const PROFILE_FIELDS: [(&str, &str); 10] = [
    ("display_name", "Naam voor respondenten"),
    ("street", "Straat en huisnummer (of postbus)"),
    ("postcode", "Postcode"),
    ("place", "Plaats"),
    ("colour", "Huiskleur"),
    ("contact_name", "Naam of afdeling"),
    ("contact_email", "E-mailadres"),
    ("contact_phone", "Telefoonnummer"),
    ("privacy_purpose", "Doel van de scan"),
    (
        "privacy_officer",
        "Contact functionaris gegevensbescherming (FG)",
    ),
];

impl Profile {
    /// The value of the form field `name`.
    pub fn get(&self, name: &str) -> &str {
        match name {
            "display_name" => &self.display_name,
            "street" => &self.street,
            "postcode" => &self.postcode,
            "place" => &self.place,
            "colour" => &self.colour,
            "contact_name" => &self.contact_name,
            "contact_email" => &self.contact_email,
            "contact_phone" => &self.contact_phone,
            "privacy_purpose" => &self.privacy_purpose,
            "privacy_officer" => &self.privacy_officer,
            _ => "",
        }
    }

    fn set(&mut self, name: &str, v: String) {
        match name {
            "display_name" => self.display_name = v,
            "street" => self.street = v,
            "postcode" => self.postcode = v,
            "place" => self.place = v,
            "colour" => self.colour = v,
            "contact_name" => self.contact_name = v,
            "contact_email" => self.contact_email = v,
            "contact_phone" => self.contact_phone = v,
            "privacy_purpose" => self.privacy_purpose = v,
            "privacy_officer" => self.privacy_officer = v,
            _ => {}
        }
    }

    /// The profile as typed in a form (`field` reads one form value), trimmed, not checked.
    pub fn from_form<'a>(field: impl Fn(&str) -> &'a str) -> Profile {
        let mut p = Profile::default();
        for (name, _) in PROFILE_FIELDS {
            p.set(name, field(name).trim().to_owned());
        }
        p
    }

    /// Checks the profile. On success returns it normalised (postcode `1234 AB`, colour
    /// lower-case and, if it was too light, darkened: the second value says so).
    pub fn validate(mut self) -> std::result::Result<(Profile, bool), Vec<FieldError>> {
        let mut errs: Vec<FieldError> = Vec::new();
        for (name, _) in PROFILE_FIELDS {
            let max = if name == "privacy_purpose" || name == "privacy_officer" {
                1000
            } else {
                200
            };
            if self.get(name).chars().count() > max {
                errs.push((name, format!("Hoogstens {max} tekens.")));
            }
            if self.get(name).chars().any(char::is_control) && name != "privacy_purpose" {
                errs.push((name, "Gebruik geen regeleinden of tabs.".into()));
            }
        }
        if !self.postcode.is_empty() {
            let compact: String = self.postcode.split_whitespace().collect();
            let ok = compact.len() == 6
                && compact[..4].chars().all(|c| c.is_ascii_digit())
                && !compact.starts_with('0')
                && compact[4..].chars().all(|c| c.is_ascii_alphabetic());
            if ok {
                self.postcode = format!("{} {}", &compact[..4], compact[4..].to_uppercase());
            } else {
                errs.push(("postcode", "Vul een postcode in als 1234 AB.".into()));
            }
        }
        if !self.contact_email.is_empty() && !plausible_email(&self.contact_email) {
            errs.push((
                "contact_email",
                "Vul een e-mailadres in als naam@gemeente.nl.".into(),
            ));
        }
        if !self.contact_phone.is_empty()
            && (!self
                .contact_phone
                .chars()
                .all(|c| c.is_ascii_digit() || " +-()".contains(c))
                || self
                    .contact_phone
                    .chars()
                    .filter(char::is_ascii_digit)
                    .count()
                    < 3)
        {
            errs.push((
                "contact_phone",
                "Vul een telefoonnummer in met cijfers, bijvoorbeeld 14 0123 of 010 123 45 67."
                    .into(),
            ));
        }
        let mut darkened = false;
        if !self.colour.is_empty() {
            match crate::branding::house_colour(&self.colour) {
                Ok(c) => {
                    darkened = c.darkened;
                    self.colour = c.hex;
                }
                Err(m) => errs.push(("colour", m)),
            }
        }
        if errs.is_empty() {
            Ok((self, darkened))
        } else {
            Err(errs)
        }
    }
}

fn plausible_email(s: &str) -> bool {
    let Some((local, domain)) = s.split_once('@') else {
        return false;
    };
    !local.is_empty()
        && domain.contains('.')
        && !domain.starts_with('.')
        && !domain.ends_with('.')
        && !s
            .chars()
            .any(|c| c.is_whitespace() || "<>\"',;".contains(c))
}

/// The organisation's profile (all empty when none was saved).
pub fn profile(conn: &Connection, org_id: &str) -> Result<Profile> {
    let p = conn
        .query_row_c(
            "SELECT display_name, street, postcode, place, colour, contact_name, contact_email,
                    contact_phone, privacy_purpose, privacy_officer
             FROM qs_org_profile WHERE org_id = ?1",
            [org_id],
            |r| {
                Ok(Profile {
                    display_name: r.get(0)?,
                    street: r.get(1)?,
                    postcode: r.get(2)?,
                    place: r.get(3)?,
                    colour: r.get(4)?,
                    contact_name: r.get(5)?,
                    contact_email: r.get(6)?,
                    contact_phone: r.get(7)?,
                    privacy_purpose: r.get(8)?,
                    privacy_officer: r.get(9)?,
                })
            },
        )
        .optional()?;
    Ok(p.unwrap_or_default())
}

/// Saves a profile; checks it first ([`Profile::validate`]). Returns whether the colour was
/// darkened. Field errors come back as `Error::Invalid` with all messages joined; the web
/// form calls `validate` itself to show them per field.
pub fn set_profile(conn: &Connection, org_id: &str, p: Profile) -> Result<bool> {
    org(conn, org_id)?;
    let (p, darkened) = p.validate().map_err(|errs| {
        Error::Invalid(
            errs.into_iter()
                .map(|(_, m)| m)
                .collect::<Vec<_>>()
                .join(" "),
        )
    })?;
    conn.execute_c(
        "INSERT INTO qs_org_profile (org_id, display_name, street, postcode, place, colour,
             contact_name, contact_email, contact_phone, privacy_purpose, privacy_officer)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)
         ON CONFLICT(org_id) DO UPDATE SET display_name = excluded.display_name,
             street = excluded.street, postcode = excluded.postcode, place = excluded.place,
             colour = excluded.colour, contact_name = excluded.contact_name,
             contact_email = excluded.contact_email, contact_phone = excluded.contact_phone,
             privacy_purpose = excluded.privacy_purpose,
             privacy_officer = excluded.privacy_officer",
        params![
            org_id,
            p.display_name,
            p.street,
            p.postcode,
            p.place,
            p.colour,
            p.contact_name,
            p.contact_email,
            p.contact_phone,
            p.privacy_purpose,
            p.privacy_officer
        ],
    )?;
    Ok(darkened)
}

/// A stored logo.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Logo {
    pub content_type: String,
    pub data: Vec<u8>,
    pub width: u32,
    pub height: u32,
}

/// Stores the organisation's logo after [`crate::branding::check_logo`] accepted it.
pub fn set_logo(conn: &Connection, org_id: &str, data: &[u8]) -> Result<crate::branding::LogoInfo> {
    org(conn, org_id)?;
    let info = crate::branding::check_logo(data).map_err(Error::Invalid)?;
    conn.execute_c(
        "INSERT INTO qs_org_logo (org_id, content_type, data, width, height)
         VALUES (?1, ?2, ?3, ?4, ?5)
         ON CONFLICT(org_id) DO UPDATE SET content_type = excluded.content_type,
             data = excluded.data, width = excluded.width, height = excluded.height",
        params![org_id, info.content_type, data, info.width, info.height],
    )?;
    Ok(info)
}

pub fn remove_logo(conn: &Connection, org_id: &str) -> Result<()> {
    conn.execute_c("DELETE FROM qs_org_logo WHERE org_id = ?1", [org_id])?;
    Ok(())
}

/// The organisation's logo, if it has one.
pub fn logo(conn: &Connection, org_id: &str) -> Result<Option<Logo>> {
    Ok(conn
        .query_row_c(
            "SELECT content_type, data, width, height FROM qs_org_logo WHERE org_id = ?1",
            [org_id],
            |r| {
                Ok(Logo {
                    content_type: r.get(0)?,
                    data: r.get(1)?,
                    width: r.get(2)?,
                    height: r.get(3)?,
                })
            },
        )
        .optional()?)
}

/// Whether the organisation has a logo (without reading it).
pub fn has_logo(conn: &Connection, org_id: &str) -> Result<bool> {
    Ok(conn
        .query_row_c(
            "SELECT 1 FROM qs_org_logo WHERE org_id = ?1",
            [org_id],
            |_| Ok(()),
        )
        .optional()?
        .is_some())
}
