//! A confirmation step before every irreversible action of the trekker.
//!
//! The dashboard's buttons post to the action as before; without `bevestigd=ja` the server does
//! nothing and answers with a page that says what will happen and asks again. Its button posts
//! the same fields plus `bevestigd=ja`. This works without JavaScript and cannot be skipped by a
//! stray click or a replayed form (the same way the web crate deletes an election).

use super::{
    AppError, AppState, Ctx, Fields, Form, Markup, Path, Response, ScanStatus, Shared, State,
    csrf_field, dashboard, field, html, on_scan, page, style,
};
use axum::response::IntoResponse;

/// True when the form carries the confirmation page's `bevestigd=ja`.
pub(super) fn confirmed(f: &Fields) -> bool {
    field(f, "bevestigd") == "ja"
}

/// The confirmation page: what will happen, then "Ja, …" (posts `keep` + `bevestigd=ja` to
/// `action`) or "Nee, terug" (a link to `back`).
pub(super) fn confirm_page(
    ctx: &Ctx,
    title: &str,
    warning: &Markup,
    action: &str,
    keep: &[(&str, &str)],
    yes: &str,
    back: &str,
) -> Response {
    page(
        ctx,
        title,
        html! {
            (style())
            h1 { (title) }
            div.notice.warning role="note" { (warning) p { strong { "Dit kunt u niet ongedaan maken." } } }
            form method="post" action=(action) {
                (csrf_field(ctx))
                @for (k, v) in keep { input type="hidden" name=(k) value=(v); }
                input type="hidden" name="bevestigd" value="ja";
                div.qs-buttons {
                    button.button.danger type="submit" { (yes) }
                    a href=(back) { "Nee, terug" }
                }
            }
        },
    )
    .into_response()
}

fn scan_url(org: &str, scan: i64) -> String {
    format!("/qs/{org}/scans/{scan}")
}

/// `POST …/status`: closing the questionnaire needs confirmation (nobody can answer after it,
/// unsent drafts are deleted, and a scan never reopens).
pub(super) async fn advance(
    st: State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    if ScanStatus::parse(field(&f, "to")) == Some(ScanStatus::Closed) && !confirmed(&f) {
        let base = scan_url(&org, scan);
        on_scan(&st, &org, scan, |_, _| Ok(())).await?;
        return Ok(confirm_page(
            &ctx,
            "Vragenlijst sluiten?",
            &html! {
                p { "Na het sluiten kan niemand de vragenlijst nog invullen of versturen. Vragenlijsten die begonnen zijn maar niet verstuurd, worden gewist. U kunt de vragenlijst daarna niet opnieuw openen." }
                p { "Daarna kunt u het rapport maken." }
            },
            &format!("{base}/status"),
            &[("to", "closed")],
            "Ja, vragenlijst sluiten",
            &base,
        ));
    }
    dashboard::advance(st, ctx, Path((org, scan)), Form(f))
        .await
        .map(IntoResponse::into_response)
}

/// `POST …/respondenten/{inv}/vergeten`: deleting a person's name and address.
pub(super) async fn forget(
    st: State<AppState>,
    ctx: Ctx,
    Path((org, scan, inv)): Path<(String, i64, i64)>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    if !confirmed(&f) {
        let who = on_scan(&st, &org, scan, move |c, _| {
            super::store::invitations(c, scan)?
                .into_iter()
                .find(|i| i.id == inv)
                .ok_or(super::store::Error::NotFound)
        })
        .await?;
        let name = who.name.unwrap_or_else(|| "deze persoon".into());
        let base = scan_url(&org, scan);
        return Ok(confirm_page(
            &ctx,
            &format!("Gegevens wissen van {name}?"),
            &html! {
                p { "De naam en het e-mailadres van " strong { (name) } " worden gewist, net als de links die deze persoon kreeg. Deze persoon krijgt geen e-mail meer en kan een begonnen vragenlijst niet meer openen." }
                p { "Antwoorden die al verstuurd zijn, blijven anoniem in het onderzoek." }
            },
            &format!("{base}/respondenten/{inv}/vergeten"),
            &[],
            "Ja, gegevens wissen",
            &format!("{base}#respondenten"),
        ));
    }
    dashboard::forget(st, ctx, Path((org, scan, inv)))
        .await
        .map(IntoResponse::into_response)
}

/// `POST …/maatwerk/{key}/verwijderen`: removing an own question.
pub(super) async fn remove_custom(
    st: State<AppState>,
    ctx: Ctx,
    Path((org, scan, key)): Path<(String, i64, String)>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    if !confirmed(&f) {
        let k = key.clone();
        let text = on_scan(&st, &org, scan, move |c, _| {
            super::store::custom_items(c, scan)?
                .into_iter()
                .find(|i| i.key == k)
                .map(|i| i.text.nl)
                .ok_or(super::store::Error::NotFound)
        })
        .await?;
        let base = scan_url(&org, scan);
        return Ok(confirm_page(
            &ctx,
            "Eigen vraag verwijderen?",
            &html! {
                p { "Deze vraag verdwijnt uit de vragenlijst:" }
                blockquote { (text) }
                p { "U kunt daarna wel een nieuwe vraag toevoegen, zolang er nog geen antwoorden zijn." }
            },
            &format!("{base}/maatwerk/{key}/verwijderen"),
            &[],
            "Ja, vraag verwijderen",
            &format!("{base}#maatwerk"),
        ));
    }
    dashboard::remove_custom(st, ctx, Path((org, scan, key)))
        .await
        .map(IntoResponse::into_response)
}

/// `POST …/uitnodigen` and `…/herinneren`: sent e-mail cannot be called back.
async fn mail(
    st: State<AppState>,
    ctx: Ctx,
    sh: axum::Extension<Shared>,
    Path((org, scan)): Path<(String, i64)>,
    f: &Fields,
    reminder: bool,
) -> Result<Response, AppError> {
    if !confirmed(f) {
        let n = on_scan(&st, &org, scan, move |c, _| {
            Ok(super::store::invitations(c, scan)?
                .into_iter()
                .filter(|i| {
                    i.email.is_some()
                        && if reminder {
                            i.mails_sent > 0 && i.status != super::store::InvitationStatus::Finished
                        } else {
                            i.mails_sent == 0
                        }
                })
                .count())
        })
        .await?;
        let base = scan_url(&org, scan);
        let (title, what, yes, path) = if reminder {
            (
                "Herinnering sturen?",
                format!(
                    "We sturen een herinnering aan {n} mensen die de vragenlijst nog niet verstuurd hebben. Elke herinnering heeft een nieuwe link."
                ),
                "Ja, herinnering sturen",
                "herinneren",
            )
        } else {
            (
                "Uitnodigingen versturen?",
                format!(
                    "We sturen een uitnodiging aan {n} mensen die er nog geen kregen. Wie al een uitnodiging kreeg, krijgt geen tweede."
                ),
                "Ja, uitnodigingen versturen",
                "uitnodigen",
            )
        };
        return Ok(confirm_page(
            &ctx,
            title,
            &html! { p { (what) } p { "Een verstuurde e-mail kunt u niet terughalen." } },
            &format!("{base}/{path}"),
            &[],
            yes,
            &format!("{base}#respondenten"),
        ));
    }
    let r = if reminder {
        dashboard::remind(st, ctx, sh, Path((org, scan))).await
    } else {
        dashboard::invite(st, ctx, sh, Path((org, scan))).await
    };
    r.map(IntoResponse::into_response)
}

pub(super) async fn invite(
    st: State<AppState>,
    ctx: Ctx,
    sh: axum::Extension<Shared>,
    p: Path<(String, i64)>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    mail(st, ctx, sh, p, &f, false).await
}

pub(super) async fn remind(
    st: State<AppState>,
    ctx: Ctx,
    sh: axum::Extension<Shared>,
    p: Path<(String, i64)>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    mail(st, ctx, sh, p, &f, true).await
}
