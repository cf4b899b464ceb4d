//! Reviewing open answers and "vaststellen" (issue 12). Only the trekker reviews, only while
//! the scan is closed; the commissie and begeleider read the report and the agenda only once
//! it is vastgesteld (see `store::review` and THREATS.md, "Review of open answers").

use super::{
    AppError, AppState, Ctx, Day, Fields, Form, Group, IntoResponse, Markup, Path, QLang, Redirect,
    Response, Role, ScanStatus, State, StatusCode, actor, audit_scan, csrf_field, field, html,
    on_scan, page, require, store, style, user,
};

use axum::extract::Query;

const TREKKER: &[Role] = &[Role::Trekker];

/// The commissie and begeleider may read a scan's report and agenda only once the report is
/// vastgesteld; the trekker (and beheer) reads the concept. Call after the role check.
pub(super) async fn require_established(
    st: &AppState,
    ctx: &Ctx,
    org: &str,
    scan: i64,
) -> Result<(), AppError> {
    if user(ctx)?.has_role_in(Role::Trekker, org) {
        return Ok(());
    }
    let status = on_scan(st, org, scan, |_, s| Ok(s.status)).await?;
    if status >= ScanStatus::Report {
        Ok(())
    } else {
        Err(AppError::forbidden(
            "Het rapport is nog niet vastgesteld. U kunt het rapport en de verbeteragenda lezen zodra de trekker het rapport heeft vastgesteld.",
        ))
    }
}

/// The dashboard's part about the report: review, vaststellen, and where the scan stands.
pub(super) fn dashboard_section(trekker: bool, base: &str, s: &store::Scan) -> Markup {
    html! {
        @if s.status == ScanStatus::Closed {
            h2 #vaststellen { "Rapport vaststellen" }
            p { "Het rapport is nog een concept. Alleen de trekker kan het lezen. Kijk eerst de open antwoorden na; stel daarna het rapport vast. Dan krijgen de commissie en de begeleider toegang." }
            @if trekker {
                p { a.button href={(base) "/open-antwoorden"} { "Open antwoorden nakijken" } " " a.button.secondary href={(base) "/vaststellen"} { "Rapport vaststellen" } }
            }
        } @else if s.status >= ScanStatus::Report {
            p { "Het rapport is vastgesteld. De open antwoorden liggen vast." }
        }
    }
}

fn group_label(kind: crate::model::OrgKind, g: Group) -> &'static str {
    g.label(kind, QLang::Nl)
}

/// Answers per review page: a scan with thousands of open answers stays usable.
const PER_PAGE: usize = 100;

fn page_number(q: &Fields) -> usize {
    field(q, "pagina").parse::<usize>().unwrap_or(1).max(1)
}

pub(super) async fn review_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
    Query(q): Query<Fields>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, TREKKER)?;
    let (s, kind, cells, state) = on_scan(&st, &org, scan, move |c, s| {
        let kind = store::org(c, &s.org_id)?.kind;
        let cells = if s.status.is_closed() {
            store::review_cells(c, scan)?
        } else {
            vec![]
        };
        Ok((s, kind, cells, store::review_state(c, scan)?))
    })
    .await?;
    let base = format!("/qs/{org}/scans/{scan}");
    let editable = s.status == ScanStatus::Closed;
    let total: usize = cells.iter().map(|c| c.answers.len()).sum();
    let pages = total.div_ceil(PER_PAGE).max(1);
    let pagina = page_number(&q).min(pages);
    let range = (pagina - 1) * PER_PAGE..pagina * PER_PAGE;
    // (cell, number of its first answer on the whole list)
    let mut shown: Vec<(&store::ReviewCell, usize)> = Vec::new();
    let mut n = 0;
    for c in &cells {
        if n + c.answers.len() > range.start && n < range.end {
            shown.push((c, n));
        }
        n += c.answers.len();
    }
    let pager = html! {
        @if pages > 1 {
            nav.qs-pager aria-label="Pagina's met antwoorden" {
                ul { @for p in 1..=pages { li {
                    @if p == pagina { a href={(base) "/open-antwoorden?pagina=" (p)} aria-current="page" { strong { "Pagina " (p) } } }
                    @else { a href={(base) "/open-antwoorden?pagina=" (p)} { "Pagina " (p) } }
                } } }
            }
        }
    };
    Ok(page(
        &ctx,
        "Open antwoorden nakijken",
        html! {
            (style())
            h1 { "Open antwoorden nakijken" }
            p { a href=(base) { "Terug naar de scan" } }
            @if !s.status.is_closed() {
                p { "U kunt de open antwoorden nakijken als de vragenlijst gesloten is." }
            } @else {
                p { "Lees alle open antwoorden voordat u het rapport vaststelt. Staat er iets in waardoor iemand herkenbaar is, zoals een naam, een functie of een adres? Verberg dan het antwoord, of haal de woorden weg die iemand herkenbaar maken." }
                p { "U ziet alleen antwoorden van groepen die ook in het rapport staan: groepen waarin minstens " (s.min_group) " mensen de vragenlijst zelf invulden. De volgorde is willekeurig; in het rapport is die elke keer anders." }
                @if editable {
                    div.qs-suppressed role="note" {
                        p { strong { "Dit kan niet ongedaan worden." } " Als u een antwoord verbergt of inkort, wissen we de oorspronkelijke tekst. Niemand kan die daarna nog terughalen, wij ook niet." }
                        p { "Inkorten: haal in het tekstvak de woorden weg die weg moeten en kies ‘Inkorten’. Op die plaats komt " (store::REDACTED) " te staan. U kunt niets toevoegen of veranderen." }
                    }
                } @else {
                    p { "Het rapport is vastgesteld. De open antwoorden liggen vast." }
                }
                p role="status" { (total) " open antwoorden"
                    @if pages > 1 { " op " (pages) " pagina's; dit is pagina " (pagina) }
                    ". Tot nu toe " (state.hidden) " verborgen en " (state.redacted) " ingekort." }
                @if cells.is_empty() { p { "Er zijn geen open antwoorden om na te kijken." } }
                (pager)
                @for (i, (cell, first_no)) in shown.iter().enumerate() {
                    @if i == 0 || shown[i - 1].0.item_key != cell.item_key {
                        h2 { (cell.question) }
                    }
                    // named by question and group: the same group under two questions must not give two
                    // landmarks with the same name (axe landmark-unique)
                    section.qs-review aria-label={(cell.question) " — " (group_label(kind, cell.group))} {
                        h3 id={"cel-" (first_no)} { (group_label(kind, cell.group)) ": " (cell.answers.len()) " antwoorden"
                            @if cell.hidden > 0 { ", " (cell.hidden) " verborgen" } }
                        @for (ai, a) in cell.answers.iter().enumerate() {
                            @let no = first_no + ai;
                            @if range.contains(&no) {
                                @let id = format!("a-{}", no + 1);
                                @let name = format!("antwoord {} ({})", no + 1, group_label(kind, cell.group).to_lowercase());
                                @if editable {
                                    form.qs-answer method="post" action={(base) "/open-antwoorden"} {
                                        (csrf_field(&ctx))
                                        input type="hidden" name="antwoord" value=(a.handle);
                                        input type="hidden" name="pagina" value=(pagina);
                                        div.field {
                                            label for=(id) { "Antwoord " (no + 1) }
                                            textarea id=(id) name="tekst" rows="3" { (a.text) }
                                        }
                                        div.qs-buttons {
                                            button.button.secondary type="submit" name="actie" value="inkorten" { "Inkorten" span.visually-hidden { ": " (name) } }
                                            button.button.secondary type="submit" name="actie" value="verbergen" { "Verbergen" span.visually-hidden { ": " (name) } }
                                        }
                                    }
                                } @else {
                                    blockquote.qs-answer { p { (a.text) } }
                                }
                            }
                        }
                    }
                }
                (pager)
                @if editable {
                    p { a.button href={(base) "/vaststellen"} { "Klaar met nakijken: naar ‘Rapport vaststellen’" } }
                }
            }
        },
    ))
}

/// Hide or shorten one answer. Without `bevestigd=ja` nothing changes: the page shows what
/// will happen and asks to confirm (it cannot be undone).
pub(super) async fn review_action(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    require(&ctx, &org, TREKKER)?;
    let handle = field(&f, "antwoord").to_owned();
    let edited = field(&f, "tekst").to_owned();
    let hide = match field(&f, "actie") {
        "verbergen" => true,
        "inkorten" => false,
        _ => return Err(AppError::bad_request("Kies ‘Inkorten’ of ‘Verbergen’.")),
    };
    let confirmed = field(&f, "bevestigd") == "ja";
    let pagina = page_number(&f);
    let base = format!("/qs/{org}/scans/{scan}");
    let back = format!("{base}/open-antwoorden?pagina={pagina}");
    let h = handle.clone();
    let e = edited.clone();
    // (old text, new text or refusal)
    let (old, outcome) = on_scan(&st, &org, scan, move |c, s| {
        let old = store::review_answer(c, s.id, &h)?;
        let new = if hide {
            Ok(None)
        } else {
            store::redaction(&old, &e).map(Some)
        };
        if confirmed && let Ok(new) = &new {
            match new {
                None => store::hide_answer(c, s.id, &h)?,
                Some(_) => {
                    store::redact_answer(c, s.id, &h, &e)?;
                }
            }
            // no audit entry per answer: the counts go to the log once, at vaststellen
        }
        Ok((old, new))
    })
    .await?;
    if confirmed && outcome.is_ok() {
        return Ok(Redirect::to(&back).into_response());
    }
    let title = if hide {
        "Antwoord verbergen?"
    } else {
        "Antwoord inkorten?"
    };
    let body = html! {
        (style())
        @match &outcome {
            Ok(new) => {
                h1 { (title) }
                h2 { "Het antwoord nu" }
                blockquote.qs-answer { p { (old) } }
                h2 { "Straks" }
                @match new {
                    None => p { "Het antwoord staat niet in het rapport. Het telt wel mee bij het aantal antwoorden van deze groep." },
                    Some(t) => blockquote.qs-answer { p { (t) } },
                }
                div.qs-suppressed role="note" { p { strong { "Dit kan niet ongedaan worden." } " De oorspronkelijke tekst wordt gewist." } }
                form method="post" action={(base) "/open-antwoorden"} {
                    (csrf_field(&ctx))
                    input type="hidden" name="antwoord" value=(handle);
                    input type="hidden" name="actie" value=(if hide { "verbergen" } else { "inkorten" });
                    input type="hidden" name="tekst" value=(new.clone().unwrap_or_default());
                    input type="hidden" name="bevestigd" value="ja";
                    input type="hidden" name="pagina" value=(pagina);
                    div.qs-buttons {
                        button.button type="submit" { @if hide { "Ja, antwoord verbergen" } @else { "Ja, antwoord inkorten" } }
                        a.button.secondary href=(back) { "Nee, terug naar de antwoorden" }
                    }
                }
            }
            Err(err) => {
                h1 { "Inkorten lukt zo niet" }
                div.error-summary role="alert" { p { (err.to_string()) } }
                h2 { "Het oorspronkelijke antwoord" }
                blockquote.qs-answer { p { (old) } }
                form method="post" action={(base) "/open-antwoorden"} {
                    (csrf_field(&ctx))
                    input type="hidden" name="antwoord" value=(handle);
                    input type="hidden" name="pagina" value=(pagina);
                    div.field {
                        label for="tekst" { "Uw ingekorte tekst (haal alleen woorden weg)" }
                        textarea #tekst name="tekst" rows="4" aria-invalid="true" { (edited) }
                    }
                    div.qs-buttons {
                        button.button type="submit" name="actie" value="inkorten" { "Inkorten" }
                        a.button.secondary href=(back) { "Terug naar de antwoorden" }
                    }
                }
            }
        }
    };
    let status = if outcome.is_ok() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    Ok((status, page(&ctx, title, body)).into_response())
}

pub(super) async fn establish_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, TREKKER)?;
    let (s, state) = on_scan(&st, &org, scan, move |c, s| {
        Ok((s, store::review_state(c, scan)?))
    })
    .await?;
    let base = format!("/qs/{org}/scans/{scan}");
    Ok(page(
        &ctx,
        "Rapport vaststellen",
        html! {
            (style())
            h1 { "Rapport vaststellen" }
            @match s.status {
                ScanStatus::Closed => {
                    p { "Als u het rapport vaststelt:" }
                    ul {
                        li { "krijgen de commissie en de begeleider toegang tot het rapport (ook als PDF en CSV) en tot de verbeteragenda;" }
                        li { "kunt u de open antwoorden niet meer verbergen of inkorten;" }
                        li { "staat er niet langer ‘Concept’ op het rapport;" }
                        li { "kunt u daarna de verbeteragenda starten." }
                    }
                    p { "Heeft u alle open antwoorden nagekeken? Tot nu toe " (state.hidden) " verborgen en " (state.redacted) " ingekort. " a href={(base) "/open-antwoorden"} { "Open antwoorden nakijken" } }
                    div.qs-suppressed role="note" { p { strong { "Dit kan niet ongedaan worden." } } }
                    form method="post" action={(base) "/vaststellen"} {
                        (csrf_field(&ctx))
                        div.qs-buttons {
                            button.button type="submit" { "Ja, rapport vaststellen" }
                            a.button.secondary href=(base) { "Nee, terug naar de scan" }
                        }
                    }
                }
                st if st < ScanStatus::Closed => {
                    p { "Het rapport kunt u vaststellen als de vragenlijst gesloten is." }
                    p { a href=(base) { "Terug naar de scan" } }
                }
                _ => {
                    p { "Het rapport is vastgesteld"
                        @if let Some(d) = state.established_on { " op " (d) } "." }
                    p { a href={(base) "/rapport"} { "Naar het rapport" } " · " a href=(base) { "Terug naar de scan" } }
                }
            }
        },
    ))
}

pub(super) async fn establish(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Redirect, AppError> {
    require(&ctx, &org, TREKKER)?;
    let a = actor(&ctx);
    on_scan(&st, &org, scan, move |c, s| {
        store::advance(c, s.id, ScanStatus::Report, Day::today())?;
        let r = store::review_state(c, s.id)?;
        // counts only: the log never says which answer, or when it was reviewed
        audit_scan(
            c,
            &a,
            &s,
            "rapport vastgesteld",
            &format!("{} antwoorden verborgen, {} ingekort", r.hidden, r.redacted),
        )
    })
    .await?;
    Ok(Redirect::to(&format!("/qs/{org}/scans/{scan}")))
}
