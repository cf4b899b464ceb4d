//! Overview and organisations.

use super::{
    AppError, AppState, Ctx, Day, Fields, Form, Markup, OrgKind, Path, READ_REPORT, READ_SCAN,
    Redirect, Role, State, actor, back, csrf_field, db, field, html, page, require, store, user,
};
use webkit::layout::{Field, input, radios, select};

pub(super) async fn overview(State(st): State<AppState>, ctx: Ctx) -> Result<Markup, AppError> {
    let u = user(&ctx)?.clone();
    let orgs = db(&st, store::orgs).await?;
    let visible: Vec<_> = orgs
        .into_iter()
        .filter(|o| {
            [Role::Trekker, Role::Begeleider, Role::Commissie]
                .iter()
                .any(|r| u.has_role_in(*r, &o.id))
        })
        .collect();
    Ok(page(
        &ctx,
        "Quick Scan Lokale Democratie",
        html! {
            h1 { "Quick Scan Lokale Democratie" }
            p { "Een korte scan van de lokale democratie: raad, college, ambtenaren en inwoners beantwoorden dezelfde vragen. Het rapport laat zien waar zij hetzelfde denken en waar niet." }
            h2 { "Organisaties" }
            @if visible.is_empty() { p { "U heeft nog geen rol bij een organisatie." } }
            ul { @for o in &visible { li { a href={"/qs/" (o.id)} { (o.name) } " (" (o.kind.as_str()) ")" } } }
            @if u.is_beheer() {
                h2 { "Organisatie toevoegen" }
                form.form method="post" action="/qs/organisaties" {
                    (csrf_field(&ctx))
                    (input(ctx.lang, &Field::new("id", "Korte naam (voor rollen en adressen)").required().hint("Kleine letters, cijfers en -, bijvoorbeeld testdorp.").autocomplete("off")))
                    (input(ctx.lang, &Field::new("name", "Naam").required().hint("Bijvoorbeeld Gemeente Testdorp.")))
                    (radios(ctx.lang, "kind", "Soort", &[("gemeente".into(), "Gemeente".into()), ("provincie".into(), "Provincie".into())], "gemeente", None))
                    button.button type="submit" { "Toevoegen" }
                }
            }
        },
    ))
}

pub(super) async fn add_org(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let id = field(&f, "id").trim().to_lowercase();
    let name = field(&f, "name").trim().to_owned();
    let kind = OrgKind::parse(field(&f, "kind")).unwrap_or(OrgKind::Gemeente);
    if id.is_empty()
        || !id.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        || name.is_empty()
    {
        return Err(AppError::bad_request(
            "Vul een korte naam (letters, cijfers, -) en een naam in.",
        ));
    }
    let a = actor(&ctx);
    let id2 = id.clone();
    db(&st, move |c| {
        store::upsert_org(c, &id2, &name, kind)?;
        store::audit(c, &a, Some(&id2), None, "organisatie toegevoegd", &name)
    })
    .await?;
    Ok(Redirect::to(&format!("/qs/{id}")))
}

pub(super) async fn org_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(org): Path<String>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, READ_REPORT)?;
    let is_trekker = user(&ctx)?.has_role_in(Role::Trekker, &org);
    let o = org.clone();
    let (o, scans) = db(&st, move |c| {
        Ok((store::org(c, &o)?, store::scans_for_org(c, &o)?))
    })
    .await?;
    let prev_options: Vec<(String, String)> =
        std::iter::once((String::new(), "Geen: dit is een nulmeting".to_owned()))
            .chain(scans.iter().map(|s| (s.id.to_string(), s.title.clone())))
            .collect();
    Ok(page(
        &ctx,
        &o.name,
        html! {
            h1 { "Quick Scan — " (o.name) }
            h2 { "Scans" }
            @if scans.is_empty() { p { "Er is nog geen scan." } }
            ul {
                @for s in &scans {
                    li { a href={"/qs/" (org) "/scans/" (s.id)} { (s.title) } " — " (s.wave.as_str()) ", " (s.status.label_nl()) }
                }
            }
            @if is_trekker {
                h2 { "Nieuwe scan" }
                form.form method="post" action={"/qs/" (org) "/scans"} {
                    (csrf_field(&ctx))
                    (input(ctx.lang, &Field::new("title", "Naam van de scan").value("Quick Scan").required()))
                    @if !scans.is_empty() {
                        (select(ctx.lang, &Field::new("previous", "Vorige meting (voor een voortgangsmeting)"), &prev_options))
                    }
                    button.button type="submit" { "Scan aanmaken" }
                }
            }
            h2 { "Organisatie" }
            ul {
                @if is_trekker { li { a href={"/qs/" (org) "/profiel"} { "Profiel: naam, adres, logo, huiskleur, contact en privacyverklaring" } } }
                li { a href={"/qs/" (org) "/logboek"} { "Logboek" } }
            }
        },
    ))
}

pub(super) async fn create_scan(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(org): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let title = field(&f, "title").to_owned();
    let prev = field(&f, "previous").parse::<i64>().ok();
    let a = actor(&ctx);
    let o = org.clone();
    let id = db(&st, move |c| {
        let id = store::create_scan(c, &o, &title, prev, Day::today())?;
        store::audit(c, &a, Some(&o), Some(id), "scan aangemaakt", &title)?;
        Ok(id)
    })
    .await?;
    Ok(back(&org, id, ""))
}

pub(super) async fn audit_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(org): Path<String>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, READ_SCAN)?;
    let o = org.clone();
    let log = db(&st, move |c| store::audit_log(c, Some(&o), 500)).await?;
    Ok(page(
        &ctx,
        "Logboek",
        html! {
            h1 { "Logboek" }
            p { "Alle beheeracties: wie, wat en wanneer. Antwoorden staan hier nooit in." }
            div.table-wrap role="region" aria-label="Laatste 500 acties" tabindex="0" { table.data { caption { "Laatste 500 acties" }
                thead { tr { th scope="col" { "Wanneer" } th scope="col" { "Wie" } th scope="col" { "Scan" } th scope="col" { "Wat" } th scope="col" { "Toelichting" } } }
                tbody { @for e in &log { tr { td { (e.at) } td { (e.actor) } td { (e.scan_id.map(|s| s.to_string()).unwrap_or_default()) } td { (e.action) } td { (e.detail) } } } }
            } }
        },
    ))
}
