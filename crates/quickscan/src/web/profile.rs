//! The organisation's profile (name, return address, colour, contact, privacy statement) and
//! its logo: the trekker's form, and the logo's own public route.

use super::{
    AppError, AppState, Ctx, Fields, Form, IntoResponse, Markup, Path, Redirect, Response, Role,
    State, StatusCode, actor, db, field, header, html, page, require, store, style,
};
use crate::branding::MAX_LOGO_BYTES;
use crate::store::{FieldError, PROFILE_FIELDS, Profile};
use webkit::layout::{Field, csrf_field, error_summary, input, multipart_action};

const TREKKER: &[Role] = &[Role::Trekker];

fn label(name: &str) -> &'static str {
    PROFILE_FIELDS
        .iter()
        .find(|(n, _)| *n == name)
        .map_or("", |(_, l)| l)
}

/// What the form shows besides the fields: a saved notice, the logo's state.
struct FormState<'a> {
    org: &'a store::Org,
    profile: &'a Profile,
    errors: &'a [FieldError],
    logo_error: Option<&'a str>,
    notice: Option<&'a str>,
    has_logo: bool,
}

fn profile_markup(ctx: &Ctx, f: &FormState<'_>) -> Markup {
    let org = &f.org.id;
    let err = |name: &str| {
        f.errors
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, m)| m.as_str())
    };
    let text = |name: &'static str| {
        input(
            ctx.lang,
            &Field::new(name, label(name))
                .value(f.profile.get(name))
                .error(err(name)),
        )
    };
    let area = |name: &'static str, hint: &'static str| {
        let id = format!("f-{name}");
        let e = err(name);
        html! {
            div.field.field-error-state[e.is_some()] {
                label.field-label for=(id) { (label(name)) " " span.optional { "(optioneel)" } }
                p.field-hint id={(id) "-hint"} { (hint) }
                @if let Some(e) = e { p.field-error id={(id) "-error"} { span.visually-hidden { "Fout: " } (e) } }
                textarea.input id=(id) name=(name) rows="4"
                    aria-invalid=[e.is_some().then_some("true")]
                    aria-describedby={(id) "-hint" @if e.is_some() { " " (id) "-error" }} { (f.profile.get(name)) }
            }
        }
    };
    html! {
        (style())
        p { a href={"/qs/" (org)} { "Terug naar " (f.org.name) } }
        h1 { "Profiel van " (f.org.name) }
        p { "Deze gegevens ziet een respondent boven de vragenlijst, in de brief en in de privacyverklaring. Alles is optioneel; wat leeg blijft, laten we weg." }
        @if let Some(n) = f.notice { div.notice role="status" { p { (n) } } }
        (error_summary(ctx.lang, f.errors))
        form.form method="post" action={"/qs/" (org) "/profiel"} novalidate {
            (csrf_field(ctx))
            fieldset.fieldset { legend { "Naam en adres (voor de brief)" }
                (input(ctx.lang, &Field::new("display_name", label("display_name"))
                    .value(f.profile.get("display_name"))
                    .hint("Bijvoorbeeld ‘Gemeente Testdorp’. Leeg: de naam van de organisatie.")
                    .error(err("display_name"))))
                (text("street"))
                (input(ctx.lang, &Field::new("postcode", label("postcode")).value(f.profile.get("postcode")).hint("Bijvoorbeeld 1234 AB.").error(err("postcode")).autocomplete("off")))
                (text("place"))
            }
            fieldset.fieldset { legend { "Huiskleur" }
                (input(ctx.lang, &Field::new("colour", label("colour"))
                    .value(f.profile.get("colour"))
                    .hint("Als #rrggbb, bijvoorbeeld #01689b. Witte tekst moet er goed op te lezen zijn (contrast minstens 4,5:1). Is de kleur te licht, dan maken wij hem donkerder.")
                    .error(err("colour"))))
                @if !f.profile.colour.is_empty() {
                    link rel="stylesheet" href={"/vragenlijst/stijl/" (org)};
                    p { span.qs-swatch.qs-house-swatch aria-hidden="true" {} " Nu: " code { (f.profile.colour) } }
                }
            }
            fieldset.fieldset { legend { "Contact voor respondenten" }
                (text("contact_name"))
                (input(ctx.lang, &Field::new("contact_email", label("contact_email")).kind("email").value(f.profile.get("contact_email")).error(err("contact_email"))))
                (input(ctx.lang, &Field::new("contact_phone", label("contact_phone")).kind("tel").value(f.profile.get("contact_phone")).error(err("contact_phone"))))
            }
            fieldset.fieldset { legend { "Privacyverklaring" }
                p { "De verwerkingsverantwoordelijke is " (f.org.name) ". De bewaartermijn komt uit de instellingen van elke scan." }
                (area("privacy_purpose", "Leeg: ‘Wij willen weten hoe raad, college, ambtenaren en inwoners denken over de lokale democratie, om die te verbeteren.’"))
                (area("privacy_officer", "Bijvoorbeeld: fg@gemeente.nl of een telefoonnummer."))
            }
            button.button type="submit" { "Profiel opslaan" }
        }
        h2 #logo { "Logo" }
        @if f.has_logo {
            p { img.qs-logo-preview src={"/vragenlijst/logo/" (org)} alt={"Logo van " (f.org.name)}; }
            form method="post" action={"/qs/" (org) "/logo/verwijderen"} {
                (csrf_field(ctx))
                button.button.secondary type="submit" { "Logo verwijderen" }
            }
        } @else {
            p { "Er is nog geen logo." }
        }
        form.form method="post" enctype="multipart/form-data" action=(multipart_action(ctx, &format!("/qs/{org}/logo"))) {
            (input(ctx.lang, &Field::new("logo", "Logo uploaden")
                .kind("file")
                .required()
                .hint("Een PNG- of JPEG-bestand van hoogstens 200 kB en 2000 pixels breed of hoog. SVG nemen we niet aan.")
                .error(f.logo_error)))
            button.button type="submit" { "Logo opslaan" }
        }
    }
}

async fn load(st: &AppState, org: &str) -> Result<(store::Org, Profile, bool), AppError> {
    let o = org.to_owned();
    db(st, move |c| {
        Ok((
            store::org(c, &o)?,
            store::profile(c, &o)?,
            store::has_logo(c, &o)?,
        ))
    })
    .await
}

fn render(ctx: &Ctx, status: StatusCode, title: &str, f: &FormState<'_>) -> Response {
    (status, page(ctx, title, profile_markup(ctx, f))).into_response()
}

pub(super) async fn profile_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(org): Path<String>,
) -> Result<Response, AppError> {
    require(&ctx, &org, TREKKER)?;
    let (o, p, has_logo) = load(&st, &org).await?;
    let notice = match ctx.query.as_deref() {
        Some(q) if q.contains("opgeslagen=donkerder") => Some(
            "Het profiel is opgeslagen. De huiskleur was te licht voor witte tekst; wij hebben hem donkerder gemaakt.",
        ),
        Some(q) if q.contains("opgeslagen") => Some("Het profiel is opgeslagen."),
        _ => None,
    };
    Ok(render(
        &ctx,
        StatusCode::OK,
        "Profiel",
        &FormState {
            org: &o,
            profile: &p,
            errors: &[],
            logo_error: None,
            notice,
            has_logo,
        },
    ))
}

pub(super) async fn profile_save(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(org): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    let typed = Profile::from_form(|n| field(&f, n));
    if let Err(errors) = typed.clone().validate() {
        let (o, _, has_logo) = load(&st, &org).await?;
        return Ok(render(
            &ctx,
            StatusCode::UNPROCESSABLE_ENTITY,
            "Profiel: controleer de velden",
            &FormState {
                org: &o,
                profile: &typed,
                errors: &errors,
                logo_error: None,
                notice: None,
                has_logo,
            },
        ));
    }
    let a = actor(&ctx);
    let o = org.clone();
    let darkened = db(&st, move |c| {
        let d = store::set_profile(c, &o, typed)?;
        store::audit(c, &a, Some(&o), None, "profiel gewijzigd", "")?;
        Ok(d)
    })
    .await?;
    let q = if darkened { "donkerder" } else { "ja" };
    Ok(Redirect::to(&format!("/qs/{org}/profiel?opgeslagen={q}")).into_response())
}

/// Reads the `logo` part of a multipart upload, stopping as soon as it passes the limit
/// (so a 5 MB file is never held in memory): `Err` carries the message for the form.
async fn read_logo(
    st: &AppState,
    req: axum::extract::Request,
) -> Result<Result<Vec<u8>, String>, AppError> {
    use axum::extract::FromRequest;
    let bad = |e: axum::extract::multipart::MultipartError| AppError::bad_request(e.body_text());
    let mut mp = axum::extract::Multipart::from_request(req, st)
        .await
        .map_err(|e| AppError::bad_request(e.body_text()))?;
    while let Some(mut part) = mp.next_field().await.map_err(bad)? {
        if part.name() != Some("logo") {
            continue;
        }
        let mut data = Vec::new();
        loop {
            match part.chunk().await {
                Ok(Some(chunk)) => {
                    data.extend_from_slice(&chunk);
                    if data.len() > MAX_LOGO_BYTES {
                        return Ok(Err(
                            "Het logo is te groot. Het mag hoogstens 200 kB zijn.".into()
                        ));
                    }
                }
                Ok(None) => break,
                // The body limit of the server was reached: too large as well.
                Err(e) if e.status() == StatusCode::PAYLOAD_TOO_LARGE => {
                    return Ok(Err(
                        "Het logo is te groot. Het mag hoogstens 200 kB zijn.".into()
                    ));
                }
                Err(e) => return Err(bad(e)),
            }
        }
        return Ok(Ok(data));
    }
    Ok(Err("Kies een bestand.".into()))
}

pub(super) async fn logo_upload(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(org): Path<String>,
    req: axum::extract::Request,
) -> Result<Response, AppError> {
    let data = read_logo(&st, req).await?;
    let a = actor(&ctx);
    let o = org.clone();
    let saved = db(&st, move |c| {
        let data = match data {
            Ok(d) => d,
            Err(m) => return Ok(Err(m)),
        };
        match store::set_logo(c, &o, &data) {
            Ok(info) => {
                store::audit(
                    c,
                    &a,
                    Some(&o),
                    None,
                    "logo gewijzigd",
                    &format!("{} {}×{}", info.content_type, info.width, info.height),
                )?;
                Ok(Ok(()))
            }
            Err(store::Error::Invalid(m)) => Ok(Err(m)),
            Err(e) => Err(e),
        }
    })
    .await?;
    match saved {
        Ok(()) => {
            Ok(Redirect::to(&format!("/qs/{org}/profiel?opgeslagen=logo#logo")).into_response())
        }
        Err(m) => {
            let (o, p, has_logo) = load(&st, &org).await?;
            Ok(render(
                &ctx,
                StatusCode::UNPROCESSABLE_ENTITY,
                "Profiel: logo niet opgeslagen",
                &FormState {
                    org: &o,
                    profile: &p,
                    errors: &[("logo", m.clone())],
                    logo_error: Some(&m),
                    notice: None,
                    has_logo,
                },
            ))
        }
    }
}

pub(super) async fn logo_remove(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(org): Path<String>,
) -> Result<Redirect, AppError> {
    let a = actor(&ctx);
    let o = org.clone();
    db(&st, move |c| {
        store::remove_logo(c, &o)?;
        store::audit(c, &a, Some(&o), None, "logo verwijderd", "")
    })
    .await?;
    Ok(Redirect::to(&format!("/qs/{org}/profiel#logo")))
}

/// The logo, public (respondents' pages and letters show it). Served with the content type
/// checked at upload, `nosniff`, and a CSP that allows nothing should a browser ever render
/// it as a document.
pub(super) async fn logo_serve(
    State(st): State<AppState>,
    Path(org): Path<String>,
) -> Result<Response, AppError> {
    let logo = db(&st, move |c| store::logo(c, &org))
        .await?
        .ok_or_else(AppError::not_found)?;
    Ok((
        [
            (header::CONTENT_TYPE, logo.content_type),
            (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; sandbox".to_owned(),
            ),
            (
                header::CONTENT_DISPOSITION,
                "inline; filename=\"logo\"".to_owned(),
            ),
            (header::CACHE_CONTROL, "no-cache".to_owned()),
        ],
        logo.data,
    )
        .into_response())
}
