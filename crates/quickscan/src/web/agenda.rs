//! The verbeteragenda pages.

use super::{
    AppError, AppState, Ctx, Day, Fields, Form, Markup, Path, READ_REPORT, Redirect, Response,
    Role, ScanStatus, State, actor, audit_scan, csrf_field, field, html, on_scan, page, require,
    store, style, user,
};

pub(super) async fn agenda_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, READ_REPORT)?;
    super::review::require_established(&st, &ctx, &org, scan).await?;
    let u = user(&ctx)?.clone();
    let (trekker, commissie) = (
        u.has_role_in(Role::Trekker, &org),
        u.has_role_in(Role::Commissie, &org),
    );
    let (s, items) = on_scan(&st, &org, scan, move |c, s| {
        Ok((s, store::agenda(c, scan)?))
    })
    .await?;
    let base = format!("/qs/{org}/scans/{scan}/agenda");
    Ok(page(
        &ctx,
        "Verbeteragenda",
        html! {
            (style())
            h1 { "Verbeteragenda — " (s.title) }
            p.qs-noprint { a href={(base) ".csv"} { "Download als CSV" } " · " a href={"/qs/" (org) "/scans/" (scan) "/rapport"} { "Terug naar het rapport" } }
            @if items.is_empty() { p { "Er zijn nog geen actiepunten." } }
            @for it in &items {
                section aria-labelledby={"a-" (it.id)} {
                    h2 id={"a-" (it.id)} { (it.priority) ". " (it.title) }
                    p { (it.description) }
                    p { "Eigenaar: " (it.owner) " · Deadline: " (it.deadline.map_or_else(|| "geen".into(), |d| d.to_string())) " · Status: " strong { (it.status.label_nl()) } }
                    @if !it.notes.is_empty() {
                        ul { @for n in &it.notes { li { (n.at) " — " (n.author) " (" (n.kind) "): " (n.text) } } }
                    }
                    @if trekker {
                        form method="post" action={(base) "/" (it.id) "/status"} { (csrf_field(&ctx))
                            div.field { label for={"st-" (it.id)} { "Status van " (it.title) } select id={"st-" (it.id)} name="status" {
                                @for a in store::AgendaStatus::ALL { option value=(a.as_str()) selected[a == it.status] { (a.label_nl()) } } } }
                            button.button.secondary type="submit" { "Status opslaan" } }
                        form method="post" action={(base) "/" (it.id) "/voortgang"} { (csrf_field(&ctx))
                            div.field { label for={"vg-" (it.id)} { "Voortgang bij " (it.title) } textarea id={"vg-" (it.id)} name="note" rows="2" {} }
                            button.button.secondary type="submit" { "Voortgang toevoegen" } }
                    }
                    @if commissie && !trekker {
                        form method="post" action={(base) "/" (it.id) "/commentaar"} { (csrf_field(&ctx))
                            div.field { label for={"cm-" (it.id)} { "Commentaar bij " (it.title) } textarea id={"cm-" (it.id)} name="note" rows="2" {} }
                            button.button.secondary type="submit" { "Commentaar plaatsen" } }
                    }
                }
            }
            @if trekker && s.status >= ScanStatus::Report {
                h2 { "Actiepunt toevoegen" }
                form method="post" action=(base) {
                    (csrf_field(&ctx))
                    div.field { label for="ag-title" { "Actiepunt" } input #ag-title name="title" type="text" aria-required="true"; }
                    div.field { label for="ag-desc" { "Toelichting (optioneel)" } textarea #ag-desc name="description" rows="3" {} }
                    div.field { label for="ag-owner" { "Eigenaar" } input #ag-owner name="owner" type="text" aria-required="true"; }
                    div.field { label for="ag-deadline" { "Deadline (optioneel, jjjj-mm-dd)" } input #ag-deadline name="deadline" type="date"; }
                    div.field { label for="ag-prio" { "Prioriteit (1 = hoogste)" } input #ag-prio name="priority" type="number" min="1" value=(items.len() + 1); }
                    button.button type="submit" { "Actiepunt toevoegen" }
                }
            } @else if trekker {
                p { "Stel eerst het rapport vast; daarna kunt u actiepunten toevoegen." }
            }
        },
    ))
}

pub(super) async fn agenda_csv(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    require(&ctx, &org, READ_REPORT)?;
    super::review::require_established(&st, &ctx, &org, scan).await?;
    let csv = on_scan(&st, &org, scan, move |c, _| store::agenda_csv(c, scan)).await?;
    Ok(webkit::layout::csv_response(
        &format!("verbeteragenda-{scan}.csv"),
        csv,
    ))
}

pub(super) async fn agenda_add(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let a = actor(&ctx);
    on_scan(&st, &org, scan, move |c, s| {
        let deadline = match field(&f, "deadline").trim() {
            "" => None,
            d => Some(Day::parse(d).ok_or(store::Error::Invalid(
                "De deadline klopt niet (jjjj-mm-dd).".into(),
            ))?),
        };
        let item = store::NewAgendaItem {
            priority: field(&f, "priority").parse().unwrap_or(1),
            title: field(&f, "title"),
            description: field(&f, "description"),
            owner: field(&f, "owner"),
            deadline,
        };
        store::add_agenda_item(c, s.id, &item)?;
        if s.status == ScanStatus::Report {
            store::advance(c, s.id, ScanStatus::Verbeteragenda, Day::today())?;
        }
        audit_scan(c, &a, &s, "actiepunt toegevoegd", field(&f, "title"))
    })
    .await?;
    Ok(Redirect::to(&format!("/qs/{org}/scans/{scan}/agenda")))
}

pub(super) async fn agenda_status(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan, item)): Path<(String, i64, i64)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let a = actor(&ctx);
    on_scan(&st, &org, scan, move |c, s| {
        let status = store::AgendaStatus::parse(field(&f, "status"))
            .ok_or(store::Error::Invalid("Onbekende status.".into()))?;
        store::set_agenda_status(c, s.id, item, status)?;
        audit_scan(
            c,
            &a,
            &s,
            "actiepunt status",
            &format!("{item}: {}", status.as_str()),
        )
    })
    .await?;
    Ok(Redirect::to(&format!("/qs/{org}/scans/{scan}/agenda")))
}

pub(super) async fn note(
    st: AppState,
    ctx: Ctx,
    org: String,
    scan: i64,
    item: i64,
    f: Fields,
    kind: &'static str,
) -> Result<Redirect, AppError> {
    let a = actor(&ctx);
    on_scan(&st, &org, scan, move |c, s| {
        store::add_agenda_note(c, s.id, item, &a, kind, field(&f, "note"))?;
        audit_scan(
            c,
            &a,
            &s,
            if kind == "voortgang" {
                "voortgang toegevoegd"
            } else {
                "commentaar geplaatst"
            },
            &format!("actiepunt {item}"),
        )
    })
    .await?;
    Ok(Redirect::to(&format!("/qs/{org}/scans/{scan}/agenda")))
}

pub(super) async fn agenda_progress(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan, item)): Path<(String, i64, i64)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    note(st, ctx, org, scan, item, f, "voortgang").await
}

pub(super) async fn agenda_comment(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan, item)): Path<(String, i64, i64)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    note(st, ctx, org, scan, item, f, "commentaar").await
}
