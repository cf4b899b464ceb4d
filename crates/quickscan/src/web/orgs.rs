//! Overview and organisations.

use super::{
    AppError, AppState, Ctx, Day, Fields, Form, IntoResponse, Markup, OrgKind, Path, READ_REPORT,
    READ_SCAN, Redirect, Response, Role, State, StatusCode, actor, back, csrf_field, db, field,
    html, page, require, store, user,
};
use webkit::layout::{Field, error_summary, input, radios, select};

/// What the "Organisatie toevoegen" form shows: the values typed and the errors per field.
#[derive(Default)]
struct OrgForm {
    id: String,
    name: String,
    kind: String,
    errors: Vec<(&'static str, String)>,
}

fn overview_markup(ctx: &Ctx, visible: &[store::Org], beheer: bool, f: &OrgForm) -> Markup {
    let err = |name: &str| {
        f.errors
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, m)| m.as_str())
    };
    let kind = if f.kind.is_empty() {
        "gemeente"
    } else {
        f.kind.as_str()
    };
    page(
        ctx,
        "Quick Scan Lokale Democratie",
        html! {
            h1 { "Quick Scan Lokale Democratie" }
            p { "Een korte scan van de lokale democratie: raad, college, ambtenaren en inwoners beantwoorden dezelfde vragen. Het rapport laat zien waar zij hetzelfde denken en waar niet." }
            h2 { "Organisaties" }
            @if visible.is_empty() { p { "U heeft nog geen rol bij een organisatie." } }
            ul { @for o in visible { li { a href={"/qs/" (o.id)} { (o.name) } " (" (o.kind.as_str()) ")" } } }
            @if beheer {
                h2 #toevoegen { "Organisatie toevoegen" }
                (error_summary(ctx.lang, &f.errors))
                form.form method="post" action="/qs/organisaties" novalidate {
                    (csrf_field(ctx))
                    (input(ctx.lang, &Field::new("id", "Korte naam (voor rollen en adressen)").required().value(&f.id).hint("Kleine letters, cijfers en -, bijvoorbeeld testdorp.").autocomplete("off").error(err("id"))))
                    (input(ctx.lang, &Field::new("name", "Naam").required().value(&f.name).hint("Bijvoorbeeld Gemeente Testdorp.").error(err("name"))))
                    (radios(ctx.lang, "kind", "Soort", &[("gemeente".into(), "Gemeente".into()), ("provincie".into(), "Provincie".into())], kind, None))
                    button.button type="submit" { "Toevoegen" }
                }
            }
        },
    )
}

async fn visible_orgs(st: &AppState, ctx: &Ctx) -> Result<(Vec<store::Org>, bool), AppError> {
    let u = user(ctx)?.clone();
    let orgs = db(st, store::orgs).await?;
    let visible = orgs
        .into_iter()
        .filter(|o| {
            [Role::Trekker, Role::Begeleider, Role::Commissie]
                .iter()
                .any(|r| u.has_role_in(*r, &o.id))
        })
        .collect();
    Ok((visible, u.is_beheer()))
}

pub(super) async fn overview(State(st): State<AppState>, ctx: Ctx) -> Result<Markup, AppError> {
    let (visible, beheer) = visible_orgs(&st, &ctx).await?;
    Ok(overview_markup(&ctx, &visible, beheer, &OrgForm::default()))
}

pub(super) async fn add_org(
    State(st): State<AppState>,
    ctx: Ctx,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    let mut form = OrgForm {
        id: field(&f, "id").trim().to_lowercase(),
        name: field(&f, "name").trim().to_owned(),
        kind: field(&f, "kind").to_owned(),
        errors: Vec::new(),
    };
    let kind = OrgKind::parse(&form.kind).unwrap_or(OrgKind::Gemeente);
    if form.id.is_empty()
        || form.id.len() > 40
        || !form
            .id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || c == '-')
    {
        form.errors.push((
            "id",
            "Vul een korte naam in van hoogstens 40 kleine letters, cijfers of -.".into(),
        ));
    } else {
        let id = form.id.clone();
        if db(&st, move |c| Ok(store::org(c, &id).is_ok())).await? {
            form.errors
                .push(("id", "Deze korte naam bestaat al. Kies een andere.".into()));
        }
    }
    if form.name.is_empty() || form.name.chars().count() > 200 {
        form.errors
            .push(("name", "Vul de naam in (hoogstens 200 tekens).".into()));
    }
    if !form.errors.is_empty() {
        let (visible, beheer) = visible_orgs(&st, &ctx).await?;
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            overview_markup(&ctx, &visible, beheer, &form),
        )
            .into_response());
    }
    let a = actor(&ctx);
    let (id, name) = (form.id.clone(), form.name.clone());
    db(&st, move |c| {
        store::upsert_org(c, &id, &name, kind)?;
        store::audit(c, &a, Some(&id), None, "organisatie toegevoegd", &name)
    })
    .await?;
    Ok(Redirect::to(&format!("/qs/{}", form.id)).into_response())
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
