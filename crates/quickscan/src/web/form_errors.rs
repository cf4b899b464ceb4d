//! Form errors shown inline: when the dashboard's forms (maatwerkvraag, settings, respondents)
//! are refused, the server answers 422 with the same form again, the input kept, the error next
//! to its field (`aria-invalid`, `aria-describedby`) and an error summary at the top that links
//! to the field (NL Design System pattern, webkit's `layout::error_summary`).

use super::{
    AppError, AppState, Ctx, Fields, Form, Markup, Path, Response, State, StatusCode, actor,
    audit_scan, back, csrf_field, dashboard, field, html, on_scan, page, store, style,
};
use axum::response::IntoResponse;
use webkit::layout::{Field, error_summary, input, radios};

/// One refused field: its form name (the element's id is `f-{name}`) and the message.
pub(super) type FieldError = (&'static str, String);

/// A `<textarea>` with label, hint and error, with the same ids as webkit's `layout::input`.
pub(super) fn textarea(
    name: &str,
    label: &str,
    value: &str,
    hint: Option<&str>,
    error: Option<&str>,
    rows: u32,
) -> Markup {
    let id = format!("f-{name}");
    let mut described = Vec::new();
    if hint.is_some() {
        described.push(format!("{id}-hint"));
    }
    if error.is_some() {
        described.push(format!("{id}-error"));
    }
    let described = (!described.is_empty()).then(|| described.join(" "));
    html! {
        div.field.field-error-state[error.is_some()] {
            label.field-label for=(id) { (label) }
            @if let Some(h) = hint { p.field-hint id={(id) "-hint"} { (h) } }
            @if let Some(e) = error { p.field-error id={(id) "-error"} { span.visually-hidden { "Fout: " } (e) } }
            textarea.input id=(id) name=(name) rows=(rows)
                aria-invalid=[error.is_some().then_some("true")]
                aria-describedby=[described] { (value) }
        }
    }
}

/// The error of `name` in `errors`, if any.
pub(super) fn error_of<'a>(errors: &'a [FieldError], name: &str) -> Option<&'a str> {
    errors
        .iter()
        .find(|(n, _)| *n == name)
        .map(|(_, m)| m.as_str())
}

/// The summary at the top of a refused form.
pub(super) fn summary(ctx: &Ctx, errors: &[FieldError]) -> Markup {
    let list: Vec<(&str, String)> = errors.iter().map(|(n, m)| (*n, m.clone())).collect();
    error_summary(ctx.lang, &list)
}

/// A page with one refused form, answered with 422.
fn form_page(ctx: &Ctx, title: &str, back_to: &str, body: &Markup) -> Response {
    (
        StatusCode::UNPROCESSABLE_ENTITY,
        page(
            ctx,
            &format!("Fout: {title}"),
            html! {
                (style())
                h1 { (title) }
                (body)
                p { a href=(back_to) { "Terug naar de scan (zonder op te slaan)" } }
            },
        ),
    )
        .into_response()
}

/// Turns a refusal (400) into the form page; other errors pass.
fn refused(e: AppError) -> Result<String, AppError> {
    if e.status == StatusCode::BAD_REQUEST {
        Ok(e.message)
    } else {
        Err(e)
    }
}

/// `POST …/maatwerk`.
pub(super) async fn add_custom(
    st: State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    let kept = f.clone();
    match dashboard::add_custom(st, ctx.clone(), Path((org.clone(), scan)), Form(f)).await {
        Ok(r) => Ok(r.into_response()),
        Err(e) => {
            let msg = refused(e)?;
            let name = if msg.contains("keuzevraag") {
                "options"
            } else {
                "text_nl"
            };
            Ok(custom_form_page(&ctx, &org, scan, &kept, &[(name, msg)]))
        }
    }
}

fn custom_form_page(
    ctx: &Ctx,
    org: &str,
    scan: i64,
    f: &Fields,
    errors: &[FieldError],
) -> Response {
    let base = format!("/qs/{org}/scans/{scan}");
    let kind = match field(f, "kind") {
        k @ ("open" | "choice") => k,
        _ => "scale",
    };
    let kinds = [
        ("scale", "Eens/oneens (5 punten, met ‘weet niet’)"),
        ("open", "Open antwoord"),
        ("choice", "Keuze uit antwoorden"),
    ]
    .map(|(v, t)| (v.to_owned(), t.to_owned()));
    form_page(
        ctx,
        "Eigen vraag toevoegen",
        &format!("{base}#maatwerk"),
        &html! {
            (summary(ctx, errors))
            form method="post" action={(base) "/maatwerk"} {
                (csrf_field(ctx))
                (input(ctx.lang, &Field::new("text_nl", "Vraag (Nederlands, B1)").value(field(f, "text_nl")).hint("Hoogstens 300 tekens.").required().error(error_of(errors, "text_nl"))))
                (input(ctx.lang, &Field::new("text_en", "Vraag in het Engels").value(field(f, "text_en"))))
                (radios(ctx.lang, "kind", "Soort antwoord", &kinds, kind, error_of(errors, "kind")))
                (textarea("options", "Antwoorden bij een keuzevraag (één per regel, 2 tot 10)", field(f, "options"), None, error_of(errors, "options"), 4))
                button.button type="submit" { "Vraag toevoegen" }
            }
        },
    )
}

/// `POST …/instellingen`.
pub(super) async fn settings(
    st: State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    let mut errors: Vec<FieldError> = Vec::new();
    if field(&f, "min_group").trim().parse::<u32>().is_err() {
        errors.push((
            "min_group",
            "Vul bij de kleinste groep een heel getal in (5 of meer).".into(),
        ));
    }
    if field(&f, "retention_days").trim().parse::<u32>().is_err() {
        errors.push((
            "retention_days",
            "Vul bij de bewaartermijn een aantal dagen in.".into(),
        ));
    }
    if errors.is_empty() {
        let trimmed: Fields = f
            .iter()
            .map(|(k, v)| (k.clone(), v.trim().to_owned()))
            .collect();
        match dashboard::settings(st, ctx.clone(), Path((org.clone(), scan)), Form(trimmed)).await {
            Ok(r) => return Ok(r.into_response()),
            Err(e) => {
                let msg = refused(e)?;
                let name = if msg.contains("bewaartermijn") {
                    "retention_days"
                } else {
                    "min_group"
                };
                errors.push((name, msg));
            }
        }
    }
    let base = format!("/qs/{org}/scans/{scan}");
    Ok(form_page(
        &ctx,
        "Instellingen",
        &base,
        &html! {
            (summary(&ctx, &errors))
            form method="post" action={(base) "/instellingen"} {
                (csrf_field(&ctx))
                (input(ctx.lang, &Field::new("min_group", "Kleinste groep die apart getoond wordt").kind("number").min("5").value(field(&f, "min_group")).hint("Minstens 5 mensen die zelf invulden.").required().error(error_of(&errors, "min_group"))))
                (input(ctx.lang, &Field::new("retention_days", "Namen en e-mailadressen wissen na (dagen na sluiten)").kind("number").min("1").value(field(&f, "retention_days")).hint("Tussen 1 en 3650 dagen.").required().error(error_of(&errors, "retention_days"))))
                button.button type="submit" { "Opslaan" }
            }
        },
    ))
}

/// `POST …/respondenten` (multipart from the page, or form-encoded paste). A refused list comes
/// back in the text field, so nothing typed or uploaded is lost.
pub(super) async fn upload(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
    req: axum::extract::Request,
) -> Result<Response, AppError> {
    let text = dashboard::upload_text(&st, req).await?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned();
    let a = actor(&ctx);
    let kept = text.clone();
    let r = on_scan(&st, &org, scan, move |c, s| {
        let n = store::import_respondents(c, s.id, &text)?;
        audit_scan(
            c,
            &a,
            &s,
            "respondenten toegevoegd",
            &format!("{n} personen"),
        )
    })
    .await;
    let msg = match r {
        Ok(()) => return Ok(back(&org, scan, "#respondenten").into_response()),
        Err(e) => refused(e)?,
    };
    let msg = if kept.trim().is_empty() {
        "Kies een CSV-bestand of plak de regels in het tekstveld.".to_owned()
    } else {
        format!("De lijst is niet opgeslagen. Verbeter deze regels: {msg}.")
    };
    let errors = [("csv", msg)];
    let base = format!("/qs/{org}/scans/{scan}");
    Ok(form_page(
        &ctx,
        "Respondenten toevoegen",
        &format!("{base}#respondenten"),
        &html! {
            (summary(&ctx, &errors))
            form method="post" enctype="multipart/form-data" action=(webkit::layout::multipart_action(&ctx, &format!("{base}/respondenten"))) {
                (textarea("csv", "Respondenten, één per regel: naam; e-mailadres; groep", &kept,
                    Some("Groep is raad, college of ambtenaren. Scheidingsteken komma of puntkomma; een kopregel mag. Uw lijst staat hieronder: verbeter de genoemde regels."),
                    error_of(&errors, "csv"), 12))
                button.button type="submit" { "Respondenten toevoegen" }
            }
        },
    ))
}
