//! Printed letters with a one-time code for inwoners ("aan de bewoners van dit adres"), and
//! the warning while the server's public address is unset (without it a letter could only
//! print a path, which leads nowhere).

use super::{
    AppError, AppState, Ctx, Day, Fields, Form, Markup, Path, Shared, State, StatusCode, actor,
    audit_scan, field, html, on_scan, page, store, style,
};
use crate::links::{UNSET_HELP, UNSET_WARNING};

/// A date as Dutch text: `4 december 2026`.
pub(super) fn long_date(d: Day) -> String {
    d.long_nl()
}

/// The dashboard's warning while no public address is set (one line in `scan_page`).
pub(super) fn public_url_warning(sh: &Shared) -> Markup {
    html! {
        @if sh.public_url.is_none() {
            div.notice.warning.qs-noprint role="alert" {
                p { strong { (UNSET_WARNING) } }
                p { (UNSET_HELP) " Tot dan versturen wij geen uitnodigingen en maken wij geen brieven." }
            }
        }
    }
}

/// A link as the trekker should pass it on: the full address, or (while the public address
/// is unset) the bare path, never a guessed host.
pub(super) fn shown_url(sh: &Shared, path: &str) -> String {
    sh.public_url
        .as_ref()
        .map_or_else(|| path.to_owned(), |u| u.absolute(path))
}

/// The error for actions that need the public address.
pub(super) fn url_unset() -> AppError {
    AppError::new(
        StatusCode::CONFLICT,
        format!("{UNSET_WARNING} {UNSET_HELP}"),
    )
}

/// Everything a letter shows besides its code.
struct LetterHead {
    org_id: String,
    name: String,
    kind: &'static str,
    profile: store::Profile,
    has_logo: bool,
    today: Day,
    deadline: Option<Day>,
    code_url: String,
    privacy_url: String,
}

fn letter(h: &LetterHead, code: &str) -> Markup {
    let p = &h.profile;
    let address: Vec<String> = [p.street.clone(), format!("{} {}", p.postcode, p.place)]
        .into_iter()
        .map(|l| l.trim().to_owned())
        .filter(|l| !l.is_empty())
        .collect();
    let contact: Vec<String> = [
        p.contact_name.clone(),
        p.contact_email.clone(),
        p.contact_phone.clone(),
    ]
    .into_iter()
    .filter(|s| !s.is_empty())
    .collect();
    html! {
        article.qs-letter aria-label="Brief" {
            div.qs-letter-head {
                @if h.has_logo {
                    img.qs-letter-logo src={"/vragenlijst/logo/" (h.org_id)} alt={"Logo van " (h.name)};
                }
                div.qs-letter-from {
                    strong { (h.name) }
                    @for l in &address { br; (l) }
                }
            }
            p.qs-letter-to { "Aan de bewoners van dit adres" }
            p { (long_date(h.today)) }
            p { strong { "Onderwerp: uw mening over de democratie in onze " (h.kind) } }
            p { "Beste bewoner," }
            p { (h.name) " wil graag weten hoe u denkt over de democratie in onze " (h.kind) ". Het invullen duurt ongeveer 15 minuten. Uw antwoorden zijn anoniem: wij weten niet wie welke antwoorden gaf." }
            p { "Ga naar dit webadres:" }
            p.qs-letter-url { (h.code_url) }
            p { "en vul daar deze code in:" }
            p.qs-code { (code) }
            p { "De code werkt één keer." }
            @if let Some(d) = h.deadline {
                p { "Vul de vragenlijst in vóór " strong { (long_date(d)) } "." }
            }
            @if !contact.is_empty() {
                p { "Vragen? Neem contact op met " (contact.join(", ")) "." }
            }
            p.qs-letter-privacy { "Hoe wij met uw gegevens omgaan, leest u op " (h.privacy_url) "." }
        }
    }
}

pub(super) async fn letter_codes(
    State(st): State<AppState>,
    ctx: Ctx,
    axum::Extension(sh): axum::Extension<Shared>,
    Path((org, scan)): Path<(String, i64)>,
    Form(f): Form<Fields>,
) -> Result<Markup, AppError> {
    let Some(url) = sh.public_url.clone() else {
        return Err(url_unset());
    };
    let n: usize = field(&f, "n")
        .parse()
        .map_err(|_| AppError::bad_request("Vul een aantal in."))?;
    let a = actor(&ctx);
    let (codes, head) = on_scan(&st, &org, scan, move |c, s| {
        let codes = store::create_letter_codes(c, s.id, n)?;
        audit_scan(c, &a, &s, "briefcodes gemaakt", &format!("{n} codes"))?;
        let o = store::org(c, &s.org_id)?;
        let profile = store::profile(c, &s.org_id)?;
        let head = LetterHead {
            name: if profile.display_name.is_empty() {
                o.name.clone()
            } else {
                profile.display_name.clone()
            },
            kind: o.kind.as_str(),
            has_logo: store::has_logo(c, &s.org_id)?,
            org_id: o.id,
            profile,
            today: Day::today(),
            // the planned closing day; without one the letter names no deadline rather
            // than invent one
            deadline: store::plan(c, s.id)?.closes_on,
            code_url: url.absolute("/vragenlijst/code"),
            privacy_url: url.absolute(&format!("/vragenlijst/privacy/{}", s.id)),
        };
        Ok((codes, head))
    })
    .await?;
    Ok(page(
        &ctx,
        "Brieven met codes",
        html! {
            (style())
            div.qs-noprint {
                h1 { "Brieven met codes" }
                p { "Druk deze pagina af: elke brief komt op een eigen A4. Elke code werkt één keer. De codes worden niet opnieuw getoond." }
                @if deadline_missing(&head) {
                    p { "In de brief staat geen uiterste datum, omdat de scan nog geen sluitingsdatum heeft." }
                }
                p { "Afdrukken: kies ‘Afdrukken’ in het menu van uw browser (Ctrl+P of Cmd+P)." }
            }
            div.qs-letters {
                @for code in &codes { (letter(&head, code)) }
            }
        },
    ))
}

fn deadline_missing(h: &LetterHead) -> bool {
    h.deadline.is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn dates_in_dutch() {
        assert_eq!(long_date(Day::from_ymd(2026, 12, 4)), "4 december 2026");
        assert_eq!(long_date(Day::from_ymd(2027, 1, 31)), "31 januari 2027");
    }
}
