//! The verbeteragenda pages: items added, edited, removed (with confirmation) and linked to
//! the report's findings (theme or item keys, stable across waves).

use super::confirm::{confirm_page, confirmed};
use super::form_errors::{FieldError, error_of, summary, textarea};
use super::{
    AppError, AppState, Ctx, Day, Fields, Form, Markup, Path, READ_REPORT, Redirect, Response,
    Role, ScanStatus, State, StatusCode, actor, audit_scan, csrf_field, field, html, on_scan, page,
    require, store, style, user,
};
use axum::response::IntoResponse;
use webkit::layout::{Field, input};

/// A finding a user can pick: (key, text, is a theme, the theme it belongs to).
struct Choice {
    key: String,
    text: String,
    theme: bool,
    theme_key: String,
}

fn choices(raw: Vec<(String, String, bool)>) -> Vec<Choice> {
    let mut theme_key = String::new();
    raw.into_iter()
        .map(|(key, text, theme)| {
            if theme {
                theme_key.clone_from(&key);
            }
            Choice {
                key,
                text,
                theme,
                theme_key: theme_key.clone(),
            }
        })
        .collect()
}

/// The report's place for a finding: its theme (`#thema-{key}` in the report).
fn finding_link(base: &str, choices: &[Choice], key: &str) -> Markup {
    if let Some(c) = choices.iter().find(|c| c.key == key) {
        html! {
            a href={(base) "/rapport#thema-" (c.theme_key)} {
                @if c.theme { "Thema: " } @else { "Vraag: " } (c.text)
            }
        }
    } else {
        html! { (key) }
    }
}

/// The report's hook: under a theme's heading, the agenda items that name the theme or one of
/// its items ("Op de verbeteragenda: …"), from [`store::agenda_by_finding`] in the report.
/// `base` is the scan's path.
pub(super) fn on_agenda(
    r: &crate::report::Report,
    t: &crate::report::ThemeResult,
    base: &str,
) -> Markup {
    let mut items: Vec<&(i64, String)> = std::iter::once(t.key.as_str())
        .chain(t.items.iter().map(|i| i.key.as_str()))
        .chain(t.rankings.iter().map(|i| i.key.as_str()))
        .filter_map(|k| r.agenda.get(k))
        .flatten()
        .collect();
    items.sort();
    items.dedup();
    html! {
        @if !items.is_empty() {
            p.qs-on-agenda { strong { "Op de verbeteragenda: " }
                @for (i, (id, title)) in items.iter().enumerate() {
                    @if i > 0 { "; " }
                    a href={(base) "/agenda#a-" (id)} { (title) }
                }
            }
        }
    }
}

/// What the item form shows: the values (kept after a refusal) and the errors.
struct ItemForm<'a> {
    f: &'a Fields,
    errors: &'a [FieldError],
}

fn item_fields(ctx: &Ctx, form: &ItemForm<'_>, choices: &[Choice], prefix: &str) -> Markup {
    let f = form.f;
    let picked: Vec<&str> = f
        .iter()
        .filter(|(k, _)| k == "bevinding")
        .map(|(_, v)| v.as_str())
        .collect();
    let e = |n: &str| error_of(form.errors, n);
    html! {
        (input(ctx.lang, &Field::new("title", "Actiepunt").value(field(f, "title")).required().error(e("title"))))
        (textarea("description", "Toelichting (optioneel)", field(f, "description"), None, e("description"), 3))
        (input(ctx.lang, &Field::new("owner", "Eigenaar").value(field(f, "owner")).hint("Wie zorgt dat het gebeurt, bijvoorbeeld ‘Griffie’ of ‘Presidium’.").required().error(e("owner"))))
        (input(ctx.lang, &Field::new("deadline", "Deadline").kind("date").value(field(f, "deadline")).hint("Als datum, bijvoorbeeld 2026-06-30.").error(e("deadline"))))
        (input(ctx.lang, &Field::new("priority", "Prioriteit (1 = hoogste)").kind("number").min("1").value(field(f, "priority")).required().error(e("priority"))))
        fieldset.field.field-error-state[e("bevinding").is_some()] aria-describedby=[e("bevinding").map(|_| "f-bevinding-error")] {
            legend { "Bij welke uitkomsten van het rapport hoort dit actiepunt? (optioneel)" }
            @if let Some(m) = e("bevinding") { p.field-error #f-bevinding-error { span.visually-hidden { "Fout: " } (m) } }
            @for c in choices.iter().filter(|c| c.theme) {
                @let items: Vec<&Choice> = choices.iter().filter(|i| !i.theme && i.theme_key == c.key).collect();
                @let open = items.iter().any(|i| picked.contains(&i.key.as_str()));
                div.radio { input type="checkbox" id={(prefix) "-" (c.key)} name="bevinding" value=(c.key) checked[picked.contains(&c.key.as_str())]; label for={(prefix) "-" (c.key)} { "Thema: " (c.text) } }
                @if !items.is_empty() {
                    details.qs-findings open[open] { summary { "Losse vragen bij " (c.text) }
                        @for i in &items {
                            div.radio { input type="checkbox" id={(prefix) "-" (i.key)} name="bevinding" value=(i.key) checked[picked.contains(&i.key.as_str())]; label for={(prefix) "-" (i.key)} { (i.text) } }
                        }
                    }
                }
            }
        }
    }
}

/// Reads the item form; field errors for what cannot be read.
fn read_item(f: &Fields) -> (Option<Day>, u32, Vec<FieldError>) {
    let mut errors = Vec::new();
    let deadline = match field(f, "deadline").trim() {
        "" => None,
        d => {
            let day = Day::parse(d);
            if day.is_none() {
                errors.push((
                    "deadline",
                    "Vul de deadline in als datum (jjjj-mm-dd), of laat hem leeg.".into(),
                ));
            }
            day
        }
    };
    let priority = field(f, "priority")
        .trim()
        .parse::<u32>()
        .unwrap_or_else(|_| {
            errors.push(("priority", "Vul als prioriteit een heel getal in.".into()));
            1
        });
    let item = store::NewAgendaItem {
        priority,
        title: field(f, "title"),
        description: field(f, "description"),
        owner: field(f, "owner"),
        deadline,
    };
    for (n, m) in store::agenda_item_errors(&item) {
        if !errors.iter().any(|(e, _)| *e == n) {
            errors.push((n, m));
        }
    }
    (deadline, priority, errors)
}

fn findings_of(f: &Fields) -> Vec<String> {
    f.iter()
        .filter(|(k, _)| k == "bevinding")
        .map(|(_, v)| v.clone())
        .collect()
}

struct AgendaData {
    s: store::Scan,
    items: Vec<store::AgendaItem>,
    choices: Vec<Choice>,
}

async fn load(st: &AppState, org: &str, scan: i64) -> Result<AgendaData, AppError> {
    on_scan(st, org, scan, move |c, s| {
        Ok(AgendaData {
            s,
            items: store::agenda(c, scan)?,
            choices: choices(store::finding_choices(c, scan)?),
        })
    })
    .await
}

fn render(ctx: &Ctx, org: &str, d: &AgendaData, add: &ItemForm<'_>) -> Result<Markup, AppError> {
    let u = user(ctx)?;
    let (trekker, commissie) = (
        u.has_role_in(Role::Trekker, org),
        u.has_role_in(Role::Commissie, org),
    );
    let scan = d.s.id;
    let report = format!("/qs/{org}/scans/{scan}");
    let base = format!("{report}/agenda");
    Ok(page(
        ctx,
        if add.errors.is_empty() {
            "Verbeteragenda"
        } else {
            "Fout: Verbeteragenda"
        },
        html! {
            (style())
            h1 { "Verbeteragenda — " (d.s.title) }
            (summary(ctx, add.errors))
            p.qs-noprint { a href={(base) ".csv"} { "Download als CSV" } " · " a href={(report) "/rapport"} { "Terug naar het rapport" } }
            @if d.items.is_empty() { p { "Er zijn nog geen actiepunten." } }
            @for it in &d.items {
                section aria-labelledby={"a-" (it.id)} {
                    h2 id={"a-" (it.id)} { (it.priority) ". " (it.title) }
                    p { (it.description) }
                    p { "Eigenaar: " (it.owner) " · Deadline: " (it.deadline.map_or_else(|| "geen".into(), |d| d.to_string())) " · Status: " strong { (it.status.label_nl()) } }
                    @if !it.findings.is_empty() {
                        p { "Hoort bij: " @for (i, k) in it.findings.iter().enumerate() { @if i > 0 { " · " } (finding_link(&report, &d.choices, k)) } }
                    }
                    @if !it.notes.is_empty() {
                        ul { @for n in &it.notes { li { (n.at) " — " (n.author) " (" (n.kind) "): " (n.text) } } }
                    }
                    @if trekker {
                        p.qs-noprint { a href={(base) "/" (it.id) "/bewerken"} { "Bewerk of verwijder: " (it.title) } }
                        form method="post" action={(base) "/" (it.id) "/status"} { (csrf_field(ctx))
                            div.field { label for={"st-" (it.id)} { "Status van " (it.title) } select id={"st-" (it.id)} name="status" {
                                @for a in store::AgendaStatus::ALL { option value=(a.as_str()) selected[a == it.status] { (a.label_nl()) } } } }
                            button.button.secondary type="submit" { "Status opslaan" } }
                        form method="post" action={(base) "/" (it.id) "/voortgang"} { (csrf_field(ctx))
                            div.field { label for={"vg-" (it.id)} { "Voortgang bij " (it.title) } textarea id={"vg-" (it.id)} name="note" rows="2" {} }
                            button.button.secondary type="submit" { "Voortgang toevoegen" } }
                    }
                    @if commissie && !trekker {
                        form method="post" action={(base) "/" (it.id) "/commentaar"} { (csrf_field(ctx))
                            div.field { label for={"cm-" (it.id)} { "Commentaar bij " (it.title) } textarea id={"cm-" (it.id)} name="note" rows="2" {} }
                            button.button.secondary type="submit" { "Commentaar plaatsen" } }
                    }
                }
            }
            @if trekker && d.s.status >= ScanStatus::Report {
                h2 #toevoegen { "Actiepunt toevoegen" }
                form method="post" action=(base) {
                    (csrf_field(ctx))
                    (item_fields(ctx, add, &d.choices, "nieuw"))
                    button.button type="submit" { "Actiepunt toevoegen" }
                }
            } @else if trekker {
                p { "Stel eerst het rapport vast; daarna kunt u actiepunten toevoegen." }
            }
        },
    ))
}

pub(super) async fn agenda_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, READ_REPORT)?;
    super::review::require_established(&st, &ctx, &org, scan).await?;
    let d = load(&st, &org, scan).await?;
    let f: Fields = vec![("priority".into(), (d.items.len() + 1).to_string())];
    render(&ctx, &org, &d, &ItemForm { f: &f, errors: &[] })
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

/// Saves an item (new when `id` is `None`) with its findings; field errors when refused.
async fn save(
    st: &AppState,
    ctx: &Ctx,
    org: &str,
    scan: i64,
    id: Option<i64>,
    f: &Fields,
) -> Result<Result<i64, Vec<FieldError>>, AppError> {
    let (deadline, priority, errors) = read_item(f);
    if !errors.is_empty() {
        return Ok(Err(errors));
    }
    let a = actor(ctx);
    let f = f.clone();
    let is_new = id.is_none();
    let r = on_scan(st, org, scan, move |c, s| {
        // the findings are checked first, so a refused one leaves no half-saved item
        let known = store::finding_choices(c, s.id)?;
        if let Some(k) = findings_of(&f)
            .iter()
            .find(|k| !known.iter().any(|(c, _, _)| c == *k))
        {
            return Err(store::Error::Invalid(format!(
                "‘{k}’ is geen thema of vraag van deze scan."
            )));
        }
        let item = store::NewAgendaItem {
            priority,
            title: field(&f, "title"),
            description: field(&f, "description"),
            owner: field(&f, "owner"),
            deadline,
        };
        let id = match id {
            Some(id) => {
                store::update_agenda_item(c, s.id, id, &item)?;
                id
            }
            None => store::add_agenda_item(c, s.id, &item)?,
        };
        store::set_agenda_findings(c, s.id, id, &findings_of(&f))?;
        if s.status == ScanStatus::Report {
            store::advance(c, s.id, ScanStatus::Verbeteragenda, Day::today())?;
        }
        audit_scan(
            c,
            &a,
            &s,
            if is_new {
                "actiepunt toegevoegd"
            } else {
                "actiepunt gewijzigd"
            },
            field(&f, "title"),
        )?;
        Ok(id)
    })
    .await;
    match r {
        Ok(id) => Ok(Ok(id)),
        Err(e) if e.status == StatusCode::BAD_REQUEST => Ok(Err(vec![("bevinding", e.message)])),
        Err(e) => Err(e),
    }
}

pub(super) async fn agenda_add(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    match save(&st, &ctx, &org, scan, None, &f).await? {
        Ok(id) => {
            Ok(Redirect::to(&format!("/qs/{org}/scans/{scan}/agenda#a-{id}")).into_response())
        }
        Err(errors) => {
            let d = load(&st, &org, scan).await?;
            let body = render(
                &ctx,
                &org,
                &d,
                &ItemForm {
                    f: &f,
                    errors: &errors,
                },
            )?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

fn edit_page(
    ctx: &Ctx,
    org: &str,
    d: &AgendaData,
    id: i64,
    form: &ItemForm<'_>,
) -> Result<Markup, AppError> {
    let it = d
        .items
        .iter()
        .find(|i| i.id == id)
        .ok_or_else(AppError::not_found)?;
    let base = format!("/qs/{org}/scans/{}/agenda", d.s.id);
    Ok(page(
        ctx,
        &format!(
            "{}Actiepunt bewerken: {}",
            if form.errors.is_empty() { "" } else { "Fout: " },
            it.title
        ),
        html! {
            (style())
            h1 { "Actiepunt bewerken" }
            (summary(ctx, form.errors))
            form method="post" action={(base) "/" (id) "/bewerken"} {
                (csrf_field(ctx))
                (item_fields(ctx, form, &d.choices, "bewerk"))
                div.qs-buttons {
                    button.button type="submit" { "Wijzigingen opslaan" }
                    a href={(base) "#a-" (id)} { "Terug zonder op te slaan" }
                }
            }
            h2 { "Actiepunt verwijderen" }
            p { "Het actiepunt verdwijnt met alle voortgang en commentaar van de verbeteragenda." }
            form method="post" action={(base) "/" (id) "/verwijderen"} {
                (csrf_field(ctx))
                button.button.secondary type="submit" { "Verwijder actiepunt: " (it.title) }
            }
        },
    ))
}

fn item_fields_of(it: &store::AgendaItem) -> Fields {
    let mut f: Fields = vec![
        ("title".into(), it.title.clone()),
        ("description".into(), it.description.clone()),
        ("owner".into(), it.owner.clone()),
        (
            "deadline".into(),
            it.deadline.map(|d| d.to_string()).unwrap_or_default(),
        ),
        ("priority".into(), it.priority.to_string()),
    ];
    f.extend(it.findings.iter().map(|k| ("bevinding".into(), k.clone())));
    f
}

/// `GET …/agenda/{item}/bewerken`.
pub(super) async fn agenda_edit_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan, id)): Path<(String, i64, i64)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, &[Role::Trekker])?;
    let d = load(&st, &org, scan).await?;
    let it = d
        .items
        .iter()
        .find(|i| i.id == id)
        .ok_or_else(AppError::not_found)?;
    let f = item_fields_of(it);
    edit_page(&ctx, &org, &d, id, &ItemForm { f: &f, errors: &[] })
}

/// `POST …/agenda/{item}/bewerken`.
pub(super) async fn agenda_edit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan, id)): Path<(String, i64, i64)>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    match save(&st, &ctx, &org, scan, Some(id), &f).await? {
        Ok(id) => {
            Ok(Redirect::to(&format!("/qs/{org}/scans/{scan}/agenda#a-{id}")).into_response())
        }
        Err(errors) => {
            let d = load(&st, &org, scan).await?;
            let body = edit_page(
                &ctx,
                &org,
                &d,
                id,
                &ItemForm {
                    f: &f,
                    errors: &errors,
                },
            )?;
            Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
        }
    }
}

/// `POST …/agenda/{item}/verwijderen`: only with `bevestigd=ja`.
pub(super) async fn agenda_delete(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan, id)): Path<(String, i64, i64)>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    let base = format!("/qs/{org}/scans/{scan}/agenda");
    if !confirmed(&f) {
        let d = load(&st, &org, scan).await?;
        let it = d
            .items
            .iter()
            .find(|i| i.id == id)
            .ok_or_else(AppError::not_found)?;
        return Ok(confirm_page(
            &ctx,
            "Actiepunt verwijderen?",
            &html! {
                p { "Dit actiepunt verdwijnt van de verbeteragenda, met alle voortgang en commentaar:" }
                p { strong { (it.title) } }
            },
            &format!("{base}/{id}/verwijderen"),
            &[],
            "Ja, actiepunt verwijderen",
            &format!("{base}#a-{id}"),
        ));
    }
    let a = actor(&ctx);
    on_scan(&st, &org, scan, move |c, s| {
        store::delete_agenda_item(c, s.id, id)?;
        audit_scan(
            c,
            &a,
            &s,
            "actiepunt verwijderd",
            &format!("actiepunt {id}"),
        )
    })
    .await?;
    Ok(Redirect::to(&base).into_response())
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
    Ok(Redirect::to(&format!(
        "/qs/{org}/scans/{scan}/agenda#a-{item}"
    )))
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
    Ok(Redirect::to(&format!(
        "/qs/{org}/scans/{scan}/agenda#a-{item}"
    )))
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
