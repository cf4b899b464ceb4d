//! The privacy statement of one scan, in the organisation's look (linked from every
//! respondent page and printed on letters), and the organisation's colour as a stylesheet.

use super::respondent::{Look, look, rpage};
use super::{
    AppError, AppState, Ctx, IntoResponse, Markup, Path, Response, ScanStatus, State, db, header,
    html, store,
};

/// The standard purpose when the organisation wrote none.
const PURPOSE: &str = "Wij willen weten hoe inwoners, raad, college en ambtenaren denken over de lokale democratie: over meedoen, invloed, informatie en vertrouwen. Met de uitkomsten maken wij afspraken om de democratie in onze {kind} te verbeteren.";

pub(super) async fn privacy_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(scan): Path<i64>,
) -> Result<Markup, AppError> {
    let (s, l, p) = db(&st, move |c| {
        let s = store::scan(c, scan)?;
        let l = look(c, &s.org_id, Some(s.id))?;
        let p = store::profile(c, &s.org_id)?;
        Ok((s, l, p))
    })
    .await?;
    Ok(statement(&ctx, &s, &l, &p))
}

fn statement(ctx: &Ctx, s: &store::Scan, l: &Look, p: &store::Profile) -> Markup {
    let kind = l.kind.as_str();
    let purpose = if p.privacy_purpose.is_empty() {
        PURPOSE.replace("{kind}", kind)
    } else {
        p.privacy_purpose.clone()
    };
    let address: Vec<String> = [p.street.clone(), format!("{} {}", p.postcode, p.place)]
        .into_iter()
        .map(|x| x.trim().to_owned())
        .filter(|x| !x.is_empty())
        .collect();
    let purge = s
        .closed_on
        .filter(|_| s.status != ScanStatus::Open)
        .map(|d| d.plus(i64::from(s.retention_days)));
    rpage(
        ctx,
        Some(l),
        "Privacyverklaring",
        html! {
            h1 { "Privacyverklaring" }
            p.lead { "Bij de vragenlijst ‘" (s.title) "’ van " (l.name) " (Quick Scan Lokale Democratie)." }
            h2 { "Wie is verantwoordelijk?" }
            p { (l.name) " is verantwoordelijk voor de gegevens van deze vragenlijst (verwerkingsverantwoordelijke)."
                @if !address.is_empty() { " Adres: " (address.join(", ")) "." } }
            h2 { "Waarom vragen wij dit?" }
            p { (purpose) }
            h2 { "Wat bewaren wij?" }
            ul {
                li { "Bij uw antwoorden bewaren wij alleen uw groep (bijvoorbeeld inwoner of raadslid) en de datum. Geen tijdstip." }
                li { strong { "Wij bewaren nooit uw naam, e-mailadres, code of link bij uw antwoorden." } " Wij bewaren ook geen IP-adressen." }
                li { "Kreeg u een persoonlijke uitnodiging per e-mail? Dan staan uw naam en e-mailadres in een aparte lijst, om u uit te nodigen en een herinnering te sturen. In die lijst staat alleen of u begonnen of klaar bent, niet wat u antwoordde." }
                li { "Opgeslagen antwoorden die u nog niet heeft verstuurd, zijn versleuteld met uw eigen code of link. Ze worden gewist als u ze verstuurt, of kort nadat de vragenlijst sluit." }
                li { "In het rapport staan groepen pas apart als minstens " (s.min_group) " mensen uit die groep de vragenlijst zelf invulden. Schrijf in open antwoorden geen namen of andere dingen waaraan iemand u kan herkennen." }
            }
            h2 { "Hoe lang bewaren wij het?" }
            p { "Namen en e-mailadressen wissen wij " (s.retention_days) " dagen nadat de vragenlijst sluit"
                @if let Some(d) = purge { ", dus uiterlijk op " (d.long_nl()) } "." }
            p { "De antwoorden zelf zijn anoniem. Wij bewaren ze voor het rapport en om ze te vergelijken met een volgende meting." }
            h2 { "Uw rechten" }
            p { "U mag vragen welke gegevens wij van u hebben, en vragen om ze te verbeteren of te wissen. U kunt ook bezwaar maken. Dat gaat over uw naam en e-mailadres in de lijst met uitnodigingen. Uw antwoorden kunnen wij niet aan u koppelen; daarom kunnen wij ze ook niet apart aan u laten zien of wissen." }
            h2 { "Contact" }
            @if p.contact_name.is_empty() && p.contact_email.is_empty() && p.contact_phone.is_empty() && p.privacy_officer.is_empty() {
                p { (l.name) " heeft hier nog geen contactgegevens ingevuld." }
            } @else {
                ul {
                    @if !(p.contact_name.is_empty() && p.contact_email.is_empty() && p.contact_phone.is_empty()) {
                        li { "Vragen over de vragenlijst: "
                            (l.contact.join(", ")) }
                    }
                    @if !p.privacy_officer.is_empty() {
                        li { "Functionaris gegevensbescherming (FG): " (p.privacy_officer) }
                    }
                }
            }
            h2 { "Een klacht indienen" }
            p { "Bent u het niet eens met hoe wij met uw gegevens omgaan? Neem eerst contact met ons op. U mag ook een klacht indienen bij de Autoriteit Persoonsgegevens: "
                a href="https://www.autoriteitpersoonsgegevens.nl" { "autoriteitpersoonsgegevens.nl" } "." }
        },
    )
}

/// The organisation's house colour as a stylesheet for its respondent pages (inline styles
/// are not allowed by the content security policy). The colour was checked when it was
/// saved and is checked again here: only `#rrggbb` reaches the CSS.
pub(super) async fn org_css(
    State(st): State<AppState>,
    Path(org): Path<String>,
) -> Result<Response, AppError> {
    let p = db(&st, move |c| store::profile(c, &org)).await?;
    let colour = crate::branding::house_colour(&p.colour)
        .map(|c| c.hex)
        .map_err(|_| AppError::not_found())?;
    let css = format!(
        ".site-header.branded{{background:{colour}}}\n.site-footer.branded{{border-top-color:{colour}}}\n.qs-house-swatch{{background:{colour}}}\n"
    );
    Ok((
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "no-cache"),
        ],
        css,
    )
        .into_response())
}
