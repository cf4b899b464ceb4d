//! "Neem over uit de vorige meting": a voortgangsmeting takes over the settings, maatwerkvragen
//! and respondents of the previous wave (see `store::waves`; no answers, statuses or links).

use super::{
    AppError, AppState, Ctx, Fields, Form, Markup, Path, READ_SCAN, Role, ScanStatus, State, actor,
    audit_scan, csrf_field, field, html, on_scan, page, require, store, style,
};

/// The dashboard's pointer to the page below: for the trekker, while a voortgangsmeting is
/// still a concept.
pub(super) fn dashboard_link(ctx: &Ctx, org: &str, s: &store::Scan) -> Markup {
    let trekker = ctx
        .user()
        .is_some_and(|u| u.has_role_in(Role::Trekker, org));
    html! {
        @if trekker && s.previous_scan_id.is_some() && s.status == ScanStatus::Concept {
            div.notice role="note" {
                p { "Dit is een voortgangsmeting. U kunt de instellingen, de eigen vragen en de respondenten van de vorige meting overnemen." }
                p { a href={"/qs/" (org) "/scans/" (s.id) "/overnemen"} { "Neem over uit de vorige meting" } }
            }
        }
    }
}

/// `GET …/overnemen`: what the previous wave still offers, with a choice.
pub(super) async fn copy_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, READ_SCAN)?;
    let (s, src) = on_scan(&st, &org, scan, move |c, s| {
        Ok((s, store::wave_source(c, scan)?))
    })
    .await?;
    let base = format!("/qs/{org}/scans/{scan}");
    Ok(page(
        &ctx,
        "Neem over uit de vorige meting",
        html! {
            (style())
            h1 { "Neem over uit de vorige meting" }
            @match &src {
                None => p { "Deze scan is een nulmeting: er is geen vorige meting." }
                Some(src) => {
                    p { "Vorige meting: " strong { (src.previous_title) } "." }
                    p { "Antwoorden, wie al heeft ingevuld en links nemen we nooit over. Iedereen krijgt bij deze meting een nieuwe uitnodiging met een nieuwe link." }
                    @if s.status != ScanStatus::Concept {
                        p { "De vragenlijst is al geopend. Overnemen kan alleen zolang de scan een concept is." }
                    } @else {
                        form method="post" action={(base) "/overnemen"} {
                            (csrf_field(&ctx))
                            fieldset { legend { "Wat wilt u overnemen?" }
                                div.radio { input #ov-settings type="checkbox" name="instellingen" value="ja" checked; label for="ov-settings" { "Instellingen: kleinste groep " (src.min_group) ", bewaartermijn " (src.retention_days) " dagen, de teksten van de e-mails en het contact daarin" } }
                                div.radio { input #ov-items type="checkbox" name="vragen" value="ja" checked[!src.items.is_empty()] disabled[src.items.is_empty()]; label for="ov-items" {
                                    @if src.items.is_empty() { "Eigen vragen: de vorige meting had er geen" } @else { "Eigen vragen (" (src.items.len()) "): " @for (i, it) in src.items.iter().enumerate() { @if i > 0 { "; " } "‘" (it.text.nl) "’" } }
                                } }
                                div.radio { input #ov-resp type="checkbox" name="respondenten" value="ja" checked[!src.personal_data_deleted] disabled[src.personal_data_deleted]; label for="ov-resp" {
                                    @if src.personal_data_deleted { "Respondenten: niet meer beschikbaar" } @else { "Respondenten (" (src.respondents) " namen en e-mailadressen)" }
                                } }
                            }
                            @if src.personal_data_deleted {
                                p #ov-gone { "De namen en e-mailadressen van de vorige meting zijn gewist, omdat de bewaartermijn voorbij is of op verzoek. Voeg de respondenten opnieuw toe op de pagina van de scan." }
                            }
                            button.button type="submit" { "Neem over uit de vorige meting" }
                        }
                    }
                }
            }
            p { a href=(base) { "Terug naar de scan" } }
        },
    ))
}

/// `POST …/overnemen`.
pub(super) async fn copy_submit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
    Form(f): Form<Fields>,
) -> Result<Markup, AppError> {
    let choice = store::CopyChoice {
        settings: field(&f, "instellingen") == "ja",
        items: field(&f, "vragen") == "ja",
        respondents: field(&f, "respondenten") == "ja",
    };
    let a = actor(&ctx);
    let (rep, gone) = on_scan(&st, &org, scan, move |c, s| {
        let gone = store::wave_source(c, scan)?.is_some_and(|w| w.personal_data_deleted);
        let rep = store::copy_from_previous(c, s.id, choice)?;
        audit_scan(
            c,
            &a,
            &s,
            "overgenomen uit vorige meting",
            &format!(
                "instellingen {}, {} eigen vragen, {} respondenten",
                if rep.settings { "ja" } else { "nee" },
                rep.items,
                rep.respondents
            ),
        )?;
        Ok((rep, gone))
    })
    .await?;
    let base = format!("/qs/{org}/scans/{scan}");
    Ok(page(
        &ctx,
        "Overgenomen uit de vorige meting",
        html! {
            (style())
            h1 { "Overgenomen uit de vorige meting" }
            div.notice role="status" { ul {
                li { "Instellingen: " @if rep.settings { "overgenomen" } @else { "niet overgenomen" } }
                li { "Eigen vragen: " (rep.items) " overgenomen"
                    @if rep.items_skipped > 0 { " (niet overgenomen: deze scan heeft al eigen vragen)" } }
                li { "Respondenten: " (rep.respondents) " overgenomen"
                    @if rep.respondents_skipped > 0 { ", " (rep.respondents_skipped) " stonden er al" }
                    @if choice.respondents && gone { " (de gegevens van de vorige meting zijn gewist)" } }
            } }
            p { "Niemand heeft nog een uitnodiging voor deze meting. Verstuur de uitnodigingen als de vragenlijst open is." }
            p { a href=(base) { "Terug naar de scan" } }
        },
    ))
}
