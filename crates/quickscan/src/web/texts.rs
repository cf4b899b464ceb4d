//! The invitation and reminder texts per group (issue 12): an overview, an editor with inline
//! errors and a preview that is made by the same function as the mail that is sent.

use super::{
    AppError, AppState, Ctx, Fields, Form, Group, Markup, Path, Redirect, Response, Role, State,
    StatusCode, actor, audit_scan, csrf_field, field, html, on_scan, page, require, store, style,
};
use crate::links::PublicUrl;
use crate::mail::{self, MailText, PLACEHOLDERS, ScanMail, TextErrors};
use crate::store::{MAIL_GROUPS, MailKind};
use axum::Extension;
use axum::response::IntoResponse;
use webkit::layout::{Field, error_summary, input};

fn kind_label(k: MailKind) -> &'static str {
    match k {
        MailKind::Invitation => "Uitnodiging",
        MailKind::Reminder => "Herinnering",
    }
}

fn parse_target(groep: &str, soort: &str) -> Result<(Group, MailKind), AppError> {
    let g = Group::parse(groep)
        .filter(|g| MAIL_GROUPS.contains(g))
        .ok_or_else(AppError::not_found)?;
    let k = MailKind::from_slug(soort).ok_or_else(AppError::not_found)?;
    Ok((g, k))
}

fn placeholder_help() -> Markup {
    html! {
        details.qs-help open {
            summary { "Wat u in de tekst kunt zetten" }
            p { "Deze woorden tussen accolades vullen we per ontvanger in:" }
            dl.qs-placeholders {
                @for (p, what) in PLACEHOLDERS {
                    dt { code { "{" (p) "}" } }
                    dd { (what) }
                }
            }
        }
    }
}

/// The overview: contact, and the six texts (three groups, invitation and reminder).
pub(super) async fn texts_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, &[Role::Trekker])?;
    let o = Overview::load(&st, &org, scan).await?;
    let typed = o.own_contact.clone();
    Ok(page(
        &ctx,
        "E-mailteksten",
        overview(&ctx, &org, &o, &typed, None),
    ))
}

/// What the overview shows.
struct Overview {
    s: store::Scan,
    sm: ScanMail,
    own_contact: String,
    org_contact: String,
}

impl Overview {
    async fn load(st: &AppState, org: &str, scan: i64) -> Result<Overview, AppError> {
        on_scan(st, org, scan, move |c, s| {
            Ok(Overview {
                sm: ScanMail::load(c, s.id)?,
                own_contact: store::contact(c, s.id)?,
                org_contact: mail::profile_contact(&store::profile(c, &s.org_id)?),
                s,
            })
        })
        .await
    }
}

fn overview(
    ctx: &Ctx,
    org: &str,
    o: &Overview,
    typed_contact: &str,
    contact_err: Option<&str>,
) -> Markup {
    let (s, sm) = (&o.s, &o.sm);
    let base = format!("/qs/{org}/scans/{}", s.id);
    let contact_hint = if o.org_contact.is_empty() {
        "Bijvoorbeeld: de griffie, griffie@gemeente.nl, 010 123 45 67. Dit komt op de plaats van {contact}.".to_owned()
    } else {
        format!(
            "Dit komt op de plaats van {{contact}}. Laat u het leeg, dan gebruiken we het contact uit het profiel van de organisatie: {}.",
            o.org_contact
        )
    };
    let summary: Vec<(&str, String)> = contact_err
        .map(|e| vec![("contact", e.to_owned())])
        .unwrap_or_default();
    html! {
        (style())
        p.qs-noprint { a href=(base) { "Terug naar de scan" } }
        h1 { "E-mailteksten — " (s.title) }
        (error_summary(ctx.lang, &summary))
        p { "Raadsleden, collegeleden en ambtenaren krijgen een uitnodiging per e-mail. Wie nog niet klaar is, krijgt een herinnering. Per groep kunt u de tekst aanpassen. Inwoners krijgen geen e-mail, maar een brief of de openbare link." }
        h2 #contact { "Contact voor vragen" }
        form method="post" action={(base) "/teksten/contact"} {
            (csrf_field(ctx))
            (input(ctx.lang, &Field::new("contact", "Bij wie kunnen ontvangers terecht met vragen?").value(typed_contact).hint(&contact_hint).error(contact_err)))
            button.button.secondary type="submit" { "Contact opslaan" }
        }
        h2 { "Teksten" }
        div.table-wrap role="region" aria-label="E-mailteksten per groep" tabindex="0" {
            table.data {
                caption { "E-mailteksten per groep" }
                thead { tr { th scope="col" { "Groep" } th scope="col" { "Soort" } th scope="col" { "Onderwerp" } th scope="col" { "Tekst" } th scope="col" { "Actie" } } }
                tbody {
                    @for g in MAIL_GROUPS { @for k in MailKind::ALL {
                        @let label = g.label(sm.org_kind, crate::model::Lang::Nl);
                        tr {
                            th scope="row" { (label) }
                            td { (kind_label(k)) }
                            td { (sm.text(g, k).subject) }
                            td { @if sm.custom_text(g, k).is_some() { "Eigen tekst" } @else { "Standaardtekst" } }
                            td { a href={(base) "/teksten/" (g.as_str()) "/" (k.slug())} aria-label={"Aanpassen: " (kind_label(k).to_lowercase()) " voor " (label.to_lowercase())} { "Aanpassen" } }
                        }
                    } }
                }
            }
        }
        (placeholder_help())
    }
}

/// The preview: the mail as a sample respondent would get it.
fn preview(
    sm: &ScanMail,
    text: &MailText,
    kind: MailKind,
    url: Option<&PublicUrl>,
    notice: Option<&str>,
) -> Markup {
    // without a public address no mail is sent; the preview says so in place of the link
    let link = url.map_or_else(
        || "[hier komt de link zodra het webadres van de server is ingesteld]".to_owned(),
        |u| mail::respondent_link(u, mail::SAMPLE_TOKEN),
    );
    let (subject, body) = sm.compose_with(text, kind, mail::SAMPLE_NAME, &link);
    html! {
        section.qs-preview aria-labelledby="voorbeeld" {
            h2 #voorbeeld { "Voorbeeld" }
            @if let Some(n) = notice { div.notice role="status" { p { (n) } } }
            p { "Zo ziet de e-mail eruit voor een verzonnen ontvanger, " (mail::SAMPLE_NAME) ". De link in het voorbeeld werkt niet. Het deel onder de streep (---) staat altijd onder de e-mail: het belooft anonimiteit en legt uit waar opgeslagen antwoorden staan." }
            dl.qs-mailhead {
                dt { "Aan" } dd { (mail::SAMPLE_NAME) }
                dt { "Onderwerp" } dd #voorbeeld-onderwerp { (subject) }
            }
            pre.qs-mail #voorbeeld-tekst { (body) }
        }
    }
}

#[allow(clippy::too_many_arguments)]
fn editor(
    ctx: &Ctx,
    org: &str,
    s: &store::Scan,
    sm: &ScanMail,
    group: Group,
    kind: MailKind,
    text: &MailText,
    errors: &TextErrors,
    shown: Option<&MailText>,
    notice: Option<&str>,
    url: Option<&PublicUrl>,
) -> Markup {
    let base = format!("/qs/{org}/scans/{}", s.id);
    let action = format!("{base}/teksten/{}/{}", group.as_str(), kind.slug());
    let label = group.label(sm.org_kind, crate::model::Lang::Nl);
    let title = format!("{} voor {}", kind_label(kind), label.to_lowercase());
    let subj_err = (!errors.subject.is_empty()).then(|| errors.subject.join(" "));
    let body_err = (!errors.body.is_empty()).then(|| errors.body.join(" "));
    let mut summary: Vec<(&str, String)> = Vec::new();
    summary.extend(errors.subject.iter().map(|m| ("subject", m.clone())));
    summary.extend(errors.body.iter().map(|m| ("body", m.clone())));
    let missing = shown.map_or_else(Vec::new, |t| {
        mail::missing_values(t, sm.closes_on, &sm.contact)
    });
    html! {
        (style())
        p.qs-noprint { a href={(base) "/teksten"} { "Terug naar de e-mailteksten" } }
        @if url.is_none() {
            div.notice.warning role="note" {
                p { strong { (crate::links::UNSET_WARNING) } }
                p { (crate::links::UNSET_HELP) }
            }
        }
        h1 { (title) }
        (error_summary(ctx.lang, &summary))
        p { "Schrijf in eenvoudige taal. " code { "{link}" } " is verplicht: daar komt de persoonlijke link. De e-mail is gewone tekst, zonder opmaak." }
        // "#voorbeeld": after either button the browser scrolls to the preview (a redirect
        // keeps the fragment); on errors there is none and the page stays at the top
        form method="post" action={(action) "#voorbeeld"} novalidate {
            (csrf_field(ctx))
            (input(ctx.lang, &Field::new("subject", "Onderwerp").value(&text.subject).error(subj_err.as_deref()).required()))
            div.field.field-error-state[body_err.is_some()] {
                label.field-label for="f-body" { "Tekst van de e-mail" }
                p.field-hint #f-body-hint { "Het deel over anonimiteit zetten we er altijd zelf onder." }
                @if let Some(e) = &body_err {
                    p.field-error #f-body-error { span.visually-hidden { "Fout: " } (e) }
                }
                textarea.input.qs-body #f-body name="body" rows="18" aria-required="true"
                    aria-invalid=[body_err.is_some().then_some("true")]
                    aria-describedby={"f-body-hint" @if body_err.is_some() { " f-body-error" }} { (text.body) }
            }
            div.qs-buttons {
                button.button.secondary type="submit" name="actie" value="voorbeeld" { "Voorbeeld bekijken" }
                button.button type="submit" name="actie" value="opslaan" { "Tekst opslaan" }
            }
        }
        @if sm.custom_text(group, kind).is_some() {
            form method="post" action={(action) "/standaard"} {
                (csrf_field(ctx))
                button.button.secondary type="submit" { "Standaardtekst terugzetten" }
            }
        }
        @if !missing.is_empty() {
            div.notice.warning role="note" {
                @for m in &missing {
                    p { @if *m == "sluitdatum" {
                        "U gebruikt {sluitdatum}, maar de scan heeft nog geen sluitdatum. In de e-mail staat dan ‘(nog geen sluitdatum)’. Kies een sluitdatum bij Planning."
                    } @else {
                        "U gebruikt {contact}, maar er is nog geen contact ingevuld. In de e-mail staat dan ‘(geen contact opgegeven)’."
                    } }
                }
            }
        }
        @if let Some(t) = shown { (preview(sm, t, kind, url, notice)) }
        (placeholder_help())
    }
}

pub(super) async fn text_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Extension(sh): Extension<super::Shared>,
    Path((org, scan, groep, soort)): Path<(String, i64, String, String)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, &[Role::Trekker])?;
    let (group, kind) = parse_target(&groep, &soort)?;
    let (s, sm) = on_scan(&st, &org, scan, move |c, s| {
        Ok((s.clone(), ScanMail::load(c, s.id)?))
    })
    .await?;
    let text = sm.text(group, kind);
    let notice = ctx
        .query
        .as_deref()
        .is_some_and(|q| q.split('&').any(|p| p == "opgeslagen=1"))
        .then_some("De tekst is opgeslagen.");
    Ok(page(
        &ctx,
        "E-mailtekst",
        editor(
            &ctx,
            &org,
            &s,
            &sm,
            group,
            kind,
            &text,
            &TextErrors::default(),
            Some(&text),
            notice,
            sh.public_url.as_ref(),
        ),
    ))
}

/// "Voorbeeld bekijken" shows the typed text filled in, without saving; "Tekst opslaan" checks
/// and saves. Errors are shown next to the fields, with the input kept.
pub(super) async fn text_save(
    State(st): State<AppState>,
    ctx: Ctx,
    Extension(sh): Extension<super::Shared>,
    Path((org, scan, groep, soort)): Path<(String, i64, String, String)>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    let (group, kind) = parse_target(&groep, &soort)?;
    let save = field(&f, "actie") != "voorbeeld";
    let typed = MailText {
        subject: field(&f, "subject").to_owned(),
        body: field(&f, "body").to_owned(),
    };
    let checked = mail::check_text(&typed.subject, &typed.body);
    let a = actor(&ctx);
    let checked2 = checked.clone();
    let (s, sm) = on_scan(&st, &org, scan, move |c, s| {
        if save && let Ok(t) = &checked2 {
            store::set_mail_text(c, s.id, group, kind, &t.subject, &t.body)?;
            audit_scan(
                c,
                &a,
                &s,
                "e-mailtekst gewijzigd",
                &format!("{} {}", group.as_str(), kind.slug()),
            )?;
        }
        Ok((s.clone(), ScanMail::load(c, s.id)?))
    })
    .await?;
    let base = format!(
        "/qs/{org}/scans/{scan}/teksten/{}/{}",
        group.as_str(),
        kind.slug()
    );
    match checked {
        Ok(_) if save => Ok(Redirect::to(&format!("{base}?opgeslagen=1")).into_response()),
        Ok(t) => Ok(page(
            &ctx,
            "E-mailtekst",
            editor(
                &ctx,
                &org,
                &s,
                &sm,
                group,
                kind,
                &t,
                &TextErrors::default(),
                Some(&t),
                Some("Dit is een voorbeeld; de tekst is nog niet opgeslagen."),
                sh.public_url.as_ref(),
            ),
        )
        .into_response()),
        Err(errors) => Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            page(
                &ctx,
                "E-mailtekst",
                editor(
                    &ctx,
                    &org,
                    &s,
                    &sm,
                    group,
                    kind,
                    &typed,
                    &errors,
                    None,
                    None,
                    sh.public_url.as_ref(),
                ),
            ),
        )
            .into_response()),
    }
}

pub(super) async fn text_reset(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan, groep, soort)): Path<(String, i64, String, String)>,
) -> Result<Redirect, AppError> {
    let (group, kind) = parse_target(&groep, &soort)?;
    let a = actor(&ctx);
    on_scan(&st, &org, scan, move |c, s| {
        store::reset_mail_text(c, s.id, group, kind)?;
        audit_scan(
            c,
            &a,
            &s,
            "e-mailtekst teruggezet",
            &format!("{} {}", group.as_str(), kind.slug()),
        )
    })
    .await?;
    Ok(Redirect::to(&format!(
        "/qs/{org}/scans/{scan}/teksten/{}/{}",
        group.as_str(),
        kind.slug()
    )))
}

pub(super) async fn contact_save(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    let contact = field(&f, "contact").to_owned();
    let a = actor(&ctx);
    let typed = contact.clone();
    let saved = on_scan(&st, &org, scan, move |c, s| {
        match store::set_contact(c, s.id, &contact) {
            Err(store::Error::Invalid(m)) => return Ok(Some(m)),
            other => other?,
        }
        audit_scan(c, &a, &s, "contact voor e-mails gewijzigd", "")?;
        Ok(None)
    })
    .await?;
    let Some(err) = saved else {
        return Ok(
            Redirect::to(&format!("/qs/{org}/scans/{scan}/teksten#contact")).into_response(),
        );
    };
    let o = Overview::load(&st, &org, scan).await?;
    Ok((
        StatusCode::UNPROCESSABLE_ENTITY,
        page(
            &ctx,
            "E-mailteksten",
            overview(&ctx, &org, &o, &typed, Some(&err)),
        ),
    )
        .into_response())
}
