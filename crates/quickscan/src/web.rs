//! Web routes on webkit: the trekker's dashboard, monitoring, report and verbeteragenda,
//! and the respondent's questionnaire (one theme per page, save and resume, summary).

use crate::model::{Day, Group, Lang as QLang, OrgKind, ScanStatus};
use crate::questionnaire::{AnswerValue, Answers, ItemKind, Questionnaire, fill};
use crate::report::{self, Cell};
use crate::store::{self, Access as RAccess};
use crate::{mail, pdf};
use axum::Form;
use axum::extract::{Path, State};
use axum::http::{Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use webkit::layout::{Bar, bar_chart, csrf_field};
use webkit::{Access, AppError, AppState, BodyKind, Ctx, Module, Role, User, page};

type Fields = Vec<(String, String)>;

fn err(e: store::Error) -> AppError {
    match e {
        store::Error::NotFound => AppError::not_found(),
        store::Error::Invalid(m) => AppError::bad_request(m),
        store::Error::State(m) => AppError::new(StatusCode::CONFLICT, m),
        store::Error::Db(e) => AppError::internal(e.to_string()),
    }
}

async fn db<T: Send + 'static>(
    state: &AppState,
    f: impl FnOnce(&rusqlite::Connection) -> store::Result<T> + Send + 'static,
) -> Result<T, AppError> {
    state
        .db()
        .call(move |c| {
            c.set_prepared_statement_cache_capacity(64);
            store::open_answers(c).map_err(err)?;
            f(c).map_err(err)
        })
        .await
}

fn field<'a>(f: &'a Fields, name: &str) -> &'a str {
    f.iter()
        .find(|(k, _)| k == name)
        .map_or("", |(_, v)| v.as_str())
}

/// In-memory rate limit for new public-link sessions, per client (a keyed hash of the address,
/// in memory only): no addresses are kept.
#[derive(Default)]
struct Limiter {
    windows: Mutex<HashMap<String, (i64, u32)>>,
}

impl Limiter {
    /// `per_minute == 0` switches the limit off.
    fn allow(&self, key: &str, per_minute: u32) -> bool {
        if per_minute == 0 {
            return true;
        }
        let now = webkit::now() / 60;
        let Ok(mut m) = self.windows.lock() else {
            return true;
        };
        if m.len() > 10_000 {
            m.retain(|_, (w, _)| *w == now);
        }
        let e = m.entry(key.to_owned()).or_insert((now, 0));
        if e.0 != now {
            *e = (now, 0);
        }
        e.1 += 1;
        e.1 <= per_minute
    }
}

#[derive(Clone)]
struct Shared {
    public_challenge: bool,
    limiter: Arc<Limiter>,
    mail: mail::MailConfig,
    base_url: String,
    public_per_minute: u32,
}

/// Options for the module.
#[derive(Clone, Debug)]
pub struct Options {
    pub mail: mail::MailConfig,
    /// Absolute base URL for links in e-mails.
    pub base_url: String,
    /// New public-link sessions allowed per client per minute (0: no limit).
    pub public_per_minute: u32,
    /// How often the retention job runs while the server is up (it also runs at every start).
    pub retention_every: std::time::Duration,
    /// Ask a simple sum before a public start (against naive scripts; off by default).
    pub public_challenge: bool,
}

impl Options {
    /// From the environment: mail as in [`mail::MailConfig::from_env`], `STEMBUS_BASE_URL`,
    /// `QUICKSCAN_PUBLIC_PER_MINUTE` (per client, default 30; 0 switches the limit off),
    /// `QUICKSCAN_RETENTION_EVERY_SECS` (default 86400: daily), `QUICKSCAN_PUBLIC_CHALLENGE`
    /// (`1`: a simple sum before a public start).
    pub fn from_env() -> Self {
        Options {
            mail: mail::MailConfig::from_env(),
            base_url: std::env::var("STEMBUS_BASE_URL")
                .unwrap_or_else(|_| "http://127.0.0.1:8080".into()),
            public_per_minute: std::env::var("QUICKSCAN_PUBLIC_PER_MINUTE")
                .ok()
                .and_then(|v| v.parse().ok())
                .unwrap_or(30),
            retention_every: std::time::Duration::from_secs(
                std::env::var("QUICKSCAN_RETENTION_EVERY_SECS")
                    .ok()
                    .and_then(|v| v.parse().ok())
                    .filter(|v| *v > 0)
                    .unwrap_or(86_400),
            ),
            public_challenge: std::env::var("QUICKSCAN_PUBLIC_CHALLENGE").is_ok_and(|v| v == "1"),
        }
    }
}

const T: Access = Access::OrgRole(Role::Trekker, "org");

/// The Quick Scan module for webkit.
pub fn module(opts: Options) -> Module {
    let shared = Shared {
        limiter: Arc::new(Limiter::default()),
        mail: opts.mail,
        base_url: opts.base_url,
        public_per_minute: opts.public_per_minute,
        public_challenge: opts.public_challenge,
    };
    let mut m = Module::new("quickscan");
    for (id, sql) in store::MIGRATIONS {
        m = m.migration(id, sql);
    }
    m.on_start(|c| {
        c.execute_batch(store::PRAGMAS)?;
        if let Some(dir) = c
            .path()
            .filter(|p| !p.is_empty())
            .and_then(|p| std::path::Path::new(p).parent())
        {
            store::private_data_dir(dir);
        }
        store::open_answers(c).map_err(|e| webkit::Error::Config(format!("quickscan: {e}")))?;
        if let Err(e) = crate::retention_job(c) {
            eprintln!("quickscan: bewaartermijn-taak mislukt: {e}");
        }
        Ok(())
    })
    .every(opts.retention_every, |c| {
        crate::retention_job(c)
            .map(drop)
            .map_err(|e| webkit::Error::Config(format!("quickscan: bewaartermijn-taak: {e}")))
    })
    // Only for those for whom /qs leads somewhere (anonymous visitors would get a 401).
    .nav_for_any(
        &[
            Role::Beheer,
            Role::Trekker,
            Role::Begeleider,
            Role::Commissie,
        ],
        "/qs",
        "Quick Scan",
        "Quick Scan",
    )
    .page("/qs", overview)
    .page("/qs/static/quickscan.css", css)
    .action(
        Method::POST,
        "/qs/organisaties",
        Access::Role(Role::Beheer),
        add_org,
    )
    .page("/qs/{org}", org_page)
    .action(Method::POST, "/qs/{org}/scans", T, create_scan)
    .page("/qs/{org}/logboek", audit_page)
    .page("/qs/{org}/scans/{scan}", scan_page)
    .action(Method::POST, "/qs/{org}/scans/{scan}/status", T, advance)
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/instellingen",
        T,
        settings,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/maatwerk",
        T,
        add_custom,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/maatwerk/{key}/verwijderen",
        T,
        remove_custom,
    )
    .action_with(
        BodyKind::Multipart,
        Method::POST,
        "/qs/{org}/scans/{scan}/respondenten",
        T,
        upload,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/respondenten/{inv}/vergeten",
        T,
        forget,
    )
    .action(Method::POST, "/qs/{org}/scans/{scan}/uitnodigen", T, invite)
    .action(Method::POST, "/qs/{org}/scans/{scan}/herinneren", T, remind)
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/briefcodes",
        T,
        letter_codes,
    )
    .page("/qs/{org}/scans/{scan}/papier", paper_form)
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/papier",
        T,
        paper_submit,
    )
    .page("/qs/{org}/scans/{scan}/outbox", outbox_page)
    .page("/qs/{org}/scans/{scan}/rapport", report_page)
    .page("/qs/{org}/scans/{scan}/rapport.csv", report_csv)
    .page("/qs/{org}/scans/{scan}/rapport.pdf", report_pdf)
    .page("/qs/{org}/scans/{scan}/agenda", agenda_page)
    .page("/qs/{org}/scans/{scan}/agenda.csv", agenda_csv)
    .action(Method::POST, "/qs/{org}/scans/{scan}/agenda", T, agenda_add)
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/agenda/{item}/status",
        T,
        agenda_status,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/agenda/{item}/voortgang",
        T,
        agenda_progress,
    )
    .action(
        Method::POST,
        "/qs/{org}/scans/{scan}/agenda/{item}/commentaar",
        Access::OrgRole(Role::Commissie, "org"),
        agenda_comment,
    )
    // respondents
    .page("/vragenlijst/p/{code}", public_intro)
    .action(
        Method::POST,
        "/vragenlijst/p/{code}",
        Access::Public,
        public_start,
    )
    .page("/vragenlijst/i/{token}", invitation_intro)
    .page("/vragenlijst/code", code_form)
    .action(
        Method::POST,
        "/vragenlijst/code",
        Access::Public,
        code_submit,
    )
    .page("/vragenlijst/{kind}/{secret}/stap/{step}", step_page)
    .action(
        Method::POST,
        "/vragenlijst/{kind}/{secret}/stap/{step}",
        Access::Public,
        step_save,
    )
    .page("/vragenlijst/{kind}/{secret}/controle", summary_page)
    .action(
        Method::POST,
        "/vragenlijst/{kind}/{secret}/versturen",
        Access::Public,
        submit,
    )
    .page("/vragenlijst/bedankt", thanks)
    .map_router(move |r| {
        r.layer(axum::Extension(shared))
            // The Quick Scan exists in Dutch only: no English toggle, `lang="nl"` always.
            .layer(axum::middleware::map_request(
                |mut req: axum::extract::Request| async move {
                    if let Some(c) = req.extensions_mut().get_mut::<Ctx>() {
                        *c = c.clone().dutch_only();
                    }
                    req
                },
            ))
    })
}

const CSS: &str = "
.qs-steps{font-weight:bold}
.qs-scale{display:flex;flex-wrap:wrap;gap:.25rem 1rem}
.qs-item{margin-bottom:1.5rem}
.qs-item fieldset{border:0;padding:0;margin:0}
.qs-item legend{font-weight:bold;margin-bottom:.5rem}
.qs-buttons{display:flex;flex-wrap:wrap;gap:.75rem;margin:1.5rem 0}
main form{margin-bottom:1rem}
.field label{display:block;font-weight:bold;margin-bottom:.25rem}
.field input:not([type=radio]):not([type=checkbox]),.field select,.field textarea{font:inherit;width:100%;max-width:30rem;padding:.45rem .5rem;border:2px solid #5a5a5a;border-radius:0;background:#fff;min-height:44px;box-sizing:border-box}
.field input[type=number]:not([type=radio]){max-width:10rem}
.field input[type=file]{border-style:dashed}
.qs-code{font-family:monospace;font-size:1.4rem;letter-spacing:.1em}
.qs-letter{border:1px dashed #333;padding:1rem;margin:1rem 0;break-inside:avoid}
.qs-suppressed{border-left:4px solid #8a5700;padding-left:1rem}
.qs-mail{white-space:pre-wrap;overflow-wrap:anywhere}
@media (max-width:40rem){.qs-scale{flex-direction:column;gap:.25rem}}
@media print{header,footer,nav,form,.skip-link,.qs-noprint{display:none!important}
.qs-letter{page-break-after:always;border:none}
a{color:#000;text-decoration:none}}
";

async fn css() -> Response {
    ([(header::CONTENT_TYPE, "text/css; charset=utf-8")], CSS).into_response()
}

fn style() -> Markup {
    html! { link rel="stylesheet" href="/qs/static/quickscan.css"; }
}

// ---------- access ----------

fn user(ctx: &Ctx) -> Result<&User, AppError> {
    ctx.user().ok_or_else(AppError::unauthorized)
}

/// The user must have one of `roles` for `org`.
fn require(ctx: &Ctx, org: &str, roles: &[Role]) -> Result<String, AppError> {
    let u = user(ctx)?;
    if roles.iter().any(|r| u.has_role_in(*r, org)) {
        Ok(u.name.clone())
    } else {
        Err(AppError::forbidden(
            "U heeft geen toegang tot deze organisatie.",
        ))
    }
}

const READ_SCAN: &[Role] = &[Role::Trekker, Role::Begeleider];
const READ_REPORT: &[Role] = &[Role::Trekker, Role::Begeleider, Role::Commissie];

fn actor(ctx: &Ctx) -> String {
    ctx.user()
        .map_or_else(|| "anoniem".into(), |u| u.name.clone())
}

/// Loads the scan and checks it belongs to `org` (so a role for one organisation never
/// reaches another organisation's scan).
fn scan_of(c: &rusqlite::Connection, org: &str, scan: i64) -> store::Result<store::Scan> {
    let s = store::scan(c, scan)?;
    if s.org_id == org {
        Ok(s)
    } else {
        Err(store::Error::NotFound)
    }
}

/// Runs `f` in the database on the scan `scan` of `org` (see [`scan_of`]).
async fn on_scan<T: Send + 'static>(
    st: &AppState,
    org: &str,
    scan: i64,
    f: impl FnOnce(&rusqlite::Connection, store::Scan) -> store::Result<T> + Send + 'static,
) -> Result<T, AppError> {
    let org = org.to_owned();
    db(st, move |c| {
        let s = scan_of(c, &org, scan)?;
        f(c, s)
    })
    .await
}

/// Records in the audit log what `actor` did to scan `s`.
fn audit_scan(
    c: &rusqlite::Connection,
    actor: &str,
    s: &store::Scan,
    action: &str,
    detail: &str,
) -> store::Result<()> {
    store::audit(c, actor, Some(&s.org_id), Some(s.id), action, detail)
}

fn back(org: &str, scan: i64, anchor: &str) -> Redirect {
    Redirect::to(&format!("/qs/{org}/scans/{scan}{anchor}"))
}

// ---------- overview and organisations ----------

async fn overview(State(st): State<AppState>, ctx: Ctx) -> Result<Markup, AppError> {
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
                form method="post" action="/qs/organisaties" {
                    (csrf_field(&ctx))
                    div.field { label for="org-id" { "Korte naam (voor rollen en adressen)" } input #org-id name="id" type="text" aria-required="true"; }
                    div.field { label for="org-name" { "Naam" } input #org-name name="name" type="text" aria-required="true"; }
                    fieldset { legend { "Soort" }
                        div.radio { input #k-g type="radio" name="kind" value="gemeente" checked; label for="k-g" { "Gemeente" } }
                        div.radio { input #k-p type="radio" name="kind" value="provincie"; label for="k-p" { "Provincie" } }
                    }
                    button.button type="submit" { "Toevoegen" }
                }
            }
        },
    ))
}

async fn add_org(
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

async fn org_page(
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
                form method="post" action={"/qs/" (org) "/scans"} {
                    (csrf_field(&ctx))
                    div.field { label for="title" { "Naam van de scan" } input #title name="title" type="text" aria-required="true" value="Quick Scan"; }
                    @if !scans.is_empty() {
                        div.field { label for="prev" { "Vorige meting (voor een voortgangsmeting)" }
                            select #prev name="previous" {
                                option value="" { "Geen: dit is een nulmeting" }
                                @for s in &scans { option value=(s.id) { (s.title) } }
                            }
                        }
                    }
                    button.button type="submit" { "Scan aanmaken" }
                }
            }
            p { a href={"/qs/" (org) "/logboek"} { "Logboek" } }
        },
    ))
}

async fn create_scan(
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

async fn audit_page(
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

// ---------- scan dashboard ----------

async fn scan_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, READ_SCAN)?;
    let trekker = user(&ctx)?.has_role_in(Role::Trekker, &org);
    let (s, o, custom, invs, mon, locked) = on_scan(&st, &org, scan, move |c, s| {
        Ok((
            s.clone(),
            store::org(c, &s.org_id)?,
            store::custom_items(c, scan)?,
            store::invitations(c, scan)?,
            store::monitor(c, scan)?,
            store::is_locked(c, scan)?,
        ))
    })
    .await?;
    let base = format!("/qs/{org}/scans/{scan}");
    let label = |g: Group| g.label(o.kind, QLang::Nl);
    Ok(page(
        &ctx,
        &s.title,
        html! {
            (style())
            h1 { (s.title) }
            p { "Status: " strong { (s.status.label_nl()) } " · " (s.wave.as_str()) " · " (o.name) }
            @if trekker {
                @if let Some(next) = s.status.next() {
                    form method="post" action={(base) "/status"} {
                        (csrf_field(&ctx))
                        input type="hidden" name="to" value=(next.as_str());
                        button.button type="submit" { (match next {
                            ScanStatus::Open => "Vragenlijst openen",
                            ScanStatus::Closed => "Vragenlijst sluiten",
                            ScanStatus::Report => "Rapport vaststellen",
                            _ => "Verbeteragenda starten",
                        }) }
                    }
                }
            }
            @if s.status.is_closed() {
                p { a href={(base) "/rapport"} { "Rapport bekijken" } " · " a href={(base) "/agenda"} { "Verbeteragenda" } }
            }
            h2 #respons { "Respons" }
            div.table-wrap role="region" aria-label="Respons per groep" tabindex="0" { table.data { caption { "Respons per groep" }
                thead { tr { th scope="col" { "Groep" } th scope="col" { "Uitgenodigd" } th scope="col" { "Begonnen" } th scope="col" { "Klaar" } th scope="col" { "Waarvan papier" } } }
                tbody { @for (g, p) in &mon.groups { tr { th scope="row" { (label(*g)) } td { (p.invited) } td { (p.started) } td { (p.finished) } td { (p.paper) } } } }
            } }
            @if !mon.days.is_empty() {
                div.table-wrap role="region" aria-label="Per dag" tabindex="0" { table.data { caption { "Per dag" }
                    thead { tr { th scope="col" { "Dag" } th scope="col" { "Groep" } th scope="col" { "Begonnen" } th scope="col" { "Klaar" } } }
                    tbody { @for ((d, g), (a, b)) in &mon.days { tr { td { (d) } td { (label(*g)) } td { (a) } td { (b) } } } }
                } }
            }
            h2 { "Links" }
            p { "Publieke link voor inwoners: " code { "/vragenlijst/p/" (s.public_code) } }
            p { "Inwoners met een briefcode of bewaarcode gaan naar " code { "/vragenlijst/code" } "." }
            @if trekker {
                h2 #maatwerk { "Eigen vragen (maatwerk)" }
                p { "U kunt hoogstens 4 eigen vragen toevoegen. Zodra er antwoorden zijn, liggen de vragen vast." }
                ol { @for it in &custom {
                    li { (it.text.nl) " "
                        @if !locked { form method="post" action={(base) "/maatwerk/" (it.key) "/verwijderen"} { (csrf_field(&ctx)) button.button.secondary type="submit" { "Verwijder vraag: " (it.text.nl) } } }
                    }
                } }
                @if !locked && custom.len() < 4 && s.status <= ScanStatus::Open {
                    form method="post" action={(base) "/maatwerk"} {
                        (csrf_field(&ctx))
                        div.field { label for="mw-nl" { "Vraag (Nederlands, B1)" } input #mw-nl name="text_nl" type="text" aria-required="true"; }
                        div.field { label for="mw-en" { "Vraag in het Engels (optioneel)" } input #mw-en name="text_en" type="text"; }
                        fieldset { legend { "Soort antwoord" }
                            div.radio { input #mk-s type="radio" name="kind" value="scale" checked; label for="mk-s" { "Eens/oneens (5 punten, met ‘weet niet’)" } }
                            div.radio { input #mk-o type="radio" name="kind" value="open"; label for="mk-o" { "Open antwoord" } }
                            div.radio { input #mk-c type="radio" name="kind" value="choice"; label for="mk-c" { "Keuze uit antwoorden" } }
                        }
                        div.field { label for="mw-opt" { "Antwoorden bij een keuzevraag (één per regel, optioneel)" } textarea #mw-opt name="options" rows="3" {} }
                        button.button type="submit" { "Vraag toevoegen" }
                    }
                }
                h2 #respondenten { "Respondenten" }
                @if !s.status.is_closed() {
                    form method="post" enctype="multipart/form-data" action=(webkit::layout::multipart_action(&ctx, &format!("{base}/respondenten"))) {
                        p #csv-hint { "Een CSV-bestand met per regel naam, e-mailadres en groep (raad, college of ambtenaren). Scheidingsteken komma of puntkomma; een kopregel mag." }
                        div.field { label.field-label for="bestand" { "CSV-bestand met respondenten" }
                            input.input #bestand name="bestand" type="file" accept=".csv,text/csv,text/plain" aria-describedby="csv-hint"; }
                        div.field { label.field-label for="csv" { "Of plak de regels hier (optioneel)" }
                            textarea.input #csv name="csv" rows="4" aria-describedby="csv-hint" {} }
                        button.button type="submit" { "Respondenten toevoegen" }
                    }
                    div.qs-noprint {
                        form method="post" action={(base) "/uitnodigen"} { (csrf_field(&ctx)) button.button type="submit" { "Uitnodigingen versturen" } }
                        form method="post" action={(base) "/herinneren"} { (csrf_field(&ctx)) button.button.secondary type="submit" { "Herinnering sturen aan wie nog niet klaar is" } }
                        form method="post" action={(base) "/briefcodes"} { (csrf_field(&ctx))
                            div.field { label for="n-codes" { "Aantal brieven ‘aan de bewoners van dit adres’" } input #n-codes name="n" type="number" min="1" max="20000" value="10"; }
                            button.button.secondary type="submit" { "Brieven met codes maken" } }
                        p { a href={(base) "/papier"} { "Papieren vragenlijst invoeren" } " · " a href={(base) "/outbox"} { "Verstuurde e-mail (ontwikkelmodus)" } }
                    }
                }
                div.table-wrap role="region" aria-label="Uitgenodigde personen" tabindex="0" { table.data { caption { "Uitgenodigde personen" }
                    thead { tr { th scope="col" { "Naam" } th scope="col" { "E-mail" } th scope="col" { "Groep" } th scope="col" { "Status" } th scope="col" { "Mails" } th scope="col" { "Actie" } } }
                    tbody { @for i in &invs { tr {
                        td { (i.name.clone().unwrap_or_else(|| "(gewist)".into())) }
                        td { (i.email.clone().unwrap_or_default()) }
                        td { (label(i.group)) }
                        td { (i.status.label_nl()) }
                        td { (i.mails_sent) }
                        td { @if i.email.is_some() { form method="post" action={(base) "/respondenten/" (i.id) "/vergeten"} { (csrf_field(&ctx)) button.button.secondary type="submit" { "Gegevens wissen van " (i.name.clone().unwrap_or_default()) } } } }
                    } } }
                } }
                h2 { "Instellingen" }
                form method="post" action={(base) "/instellingen"} {
                    (csrf_field(&ctx))
                    div.field { label for="min" { "Kleinste groep die apart getoond wordt (minstens 5 mensen die zelf invulden)" } input #min name="min_group" type="number" min="5" max="1000" value=(s.min_group); }
                    div.field { label for="ret" { "Namen en e-mailadressen wissen na (dagen na sluiten)" } input #ret name="retention_days" type="number" min="1" value=(s.retention_days); }
                    button.button type="submit" { "Opslaan" }
                }
            } @else {
                p { "U kunt de voortgang bekijken. Alleen de trekker kan de scan wijzigen." }
            }
        },
    ))
}

macro_rules! scan_action {
    ($name:ident, |$c:ident, $s:ident, $f:ident, $actor:ident| $body:block, $anchor:expr) => {
        async fn $name(
            State(st): State<AppState>,
            ctx: Ctx,
            Path((org, scan)): Path<(String, i64)>,
            Form($f): Form<Fields>,
        ) -> Result<Redirect, AppError> {
            let $actor = actor(&ctx);
            on_scan(&st, &org, scan, move |$c, $s| $body).await?;
            Ok(back(&org, scan, $anchor))
        }
    };
}

scan_action!(
    advance,
    |c, s, f, a| {
        let to = ScanStatus::parse(field(&f, "to"))
            .ok_or(store::Error::Invalid("Onbekende status.".into()))?;
        store::advance(c, s.id, to, Day::today())?;
        audit_scan(c, &a, &s, "status gewijzigd", to.as_str())
    },
    ""
);

scan_action!(
    settings,
    |c, s, f, a| {
        let min = field(&f, "min_group")
            .parse()
            .map_err(|_| store::Error::Invalid("Vul een getal in.".into()))?;
        let ret = field(&f, "retention_days")
            .parse()
            .map_err(|_| store::Error::Invalid("Vul een getal in.".into()))?;
        store::set_settings(c, s.id, min, ret)?;
        audit_scan(
            c,
            &a,
            &s,
            "instellingen gewijzigd",
            &format!("kleinste groep {min}, bewaren {ret} dagen"),
        )
    },
    ""
);

scan_action!(
    add_custom,
    |c, s, f, a| {
        let kind = match field(&f, "kind") {
            "open" => ItemKind::Open,
            "choice" => ItemKind::Choice {
                options: field(&f, "options")
                    .lines()
                    .map(str::trim)
                    .filter(|l| !l.is_empty())
                    .map(|l| crate::model::Text::new(l, l))
                    .collect(),
            },
            _ => ItemKind::Scale {
                scale: "eens5".into(),
            },
        };
        let key =
            store::add_custom_item(c, s.id, field(&f, "text_nl"), field(&f, "text_en"), kind)?;
        audit_scan(c, &a, &s, "maatwerkvraag toegevoegd", &key)
    },
    "#maatwerk"
);

/// Reads the respondents' CSV from the upload form: the file (`bestand`) if one was chosen,
/// else the pasted text (`csv`). Accepts `multipart/form-data` (the page's form) and
/// `application/x-www-form-urlencoded` (paste only; scripts and tests).
async fn upload_text(st: &AppState, req: axum::extract::Request) -> Result<String, AppError> {
    use axum::extract::FromRequest;
    let multipart = req
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        let Form(f) = Form::<Fields>::from_request(req, st)
            .await
            .map_err(|e| AppError::bad_request(e.body_text()))?;
        return Ok(field(&f, "csv").to_owned());
    }
    let bad = |e: axum::extract::multipart::MultipartError| AppError::bad_request(e.body_text());
    let mut mp = axum::extract::Multipart::from_request(req, st)
        .await
        .map_err(|e| AppError::bad_request(e.body_text()))?;
    let (mut file, mut pasted) = (String::new(), String::new());
    while let Some(part) = mp.next_field().await.map_err(bad)? {
        let name = part.name().unwrap_or("").to_owned();
        let bytes = part.bytes().await.map_err(bad)?;
        let text = String::from_utf8(bytes.to_vec()).map_err(|_| {
            AppError::bad_request("Het bestand is geen tekst in UTF-8. Sla het op als ‘CSV UTF-8’.")
        })?;
        match name.as_str() {
            "bestand" => file = text,
            "csv" => pasted = text,
            _ => {}
        }
    }
    Ok(if file.trim().is_empty() { pasted } else { file })
}

async fn upload(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
    req: axum::extract::Request,
) -> Result<Redirect, AppError> {
    let text = upload_text(&st, req).await?;
    let text = text.strip_prefix('\u{feff}').unwrap_or(&text).to_owned();
    let a = actor(&ctx);
    on_scan(&st, &org, scan, move |c, s| {
        let n = store::import_respondents(c, s.id, &text)?;
        audit_scan(
            c,
            &a,
            &s,
            "respondenten toegevoegd",
            &format!("{n} personen"),
        )
    })
    .await?;
    Ok(back(&org, scan, "#respondenten"))
}

async fn remove_custom(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan, key)): Path<(String, i64, String)>,
) -> Result<Redirect, AppError> {
    let a = actor(&ctx);
    on_scan(&st, &org, scan, move |c, s| {
        store::remove_custom_item(c, s.id, &key)?;
        audit_scan(c, &a, &s, "maatwerkvraag verwijderd", &key)
    })
    .await?;
    Ok(back(&org, scan, "#maatwerk"))
}

async fn forget(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan, inv)): Path<(String, i64, i64)>,
) -> Result<Redirect, AppError> {
    let a = actor(&ctx);
    on_scan(&st, &org, scan, move |c, s| {
        store::forget_invitation(c, s.id, inv)?;
        audit_scan(
            c,
            &a,
            &s,
            "persoonsgegevens gewist op verzoek",
            &format!("uitnodiging {inv}"),
        )
    })
    .await?;
    Ok(back(&org, scan, "#respondenten"))
}

async fn send_mail(
    st: AppState,
    ctx: Ctx,
    org: String,
    scan: i64,
    shared: Shared,
    reminder: bool,
) -> Result<Markup, AppError> {
    let a = actor(&ctx);
    let sent = on_scan(&st, &org, scan, move |c, s| {
        if s.status != ScanStatus::Open {
            return Err(store::Error::State("Open eerst de vragenlijst.".into()));
        }
        let r = mail::send_invitations(c, &shared.mail, s.id, &shared.base_url, reminder)?;
        audit_scan(
            c,
            &a,
            &s,
            if reminder {
                "herinneringen verstuurd"
            } else {
                "uitnodigingen verstuurd"
            },
            &format!("{} verstuurd, {} mislukt", r.sent, r.failed),
        )?;
        Ok(r)
    })
    .await?;
    Ok(page(
        &ctx,
        "E-mail verstuurd",
        html! {
            h1 { @if reminder { "Herinneringen verstuurd" } @else { "Uitnodigingen verstuurd" } }
            div.notice role="status" { p { (sent.sent) " verstuurd, " (sent.failed) " mislukt." } }
            p { a href={"/qs/" (org) "/scans/" (scan)} { "Terug naar de scan" } }
        },
    ))
}

async fn invite(
    State(st): State<AppState>,
    ctx: Ctx,
    axum::Extension(sh): axum::Extension<Shared>,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    send_mail(st, ctx, org, scan, sh, false).await
}

async fn remind(
    State(st): State<AppState>,
    ctx: Ctx,
    axum::Extension(sh): axum::Extension<Shared>,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    send_mail(st, ctx, org, scan, sh, true).await
}

async fn letter_codes(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
    Form(f): Form<Fields>,
) -> Result<Markup, AppError> {
    let n: usize = field(&f, "n")
        .parse()
        .map_err(|_| AppError::bad_request("Vul een aantal in."))?;
    let a = actor(&ctx);
    let (codes, oo) = on_scan(&st, &org, scan, move |c, s| {
        let codes = store::create_letter_codes(c, s.id, n)?;
        audit_scan(c, &a, &s, "briefcodes gemaakt", &format!("{n} codes"))?;
        Ok((codes, store::org(c, &s.org_id)?))
    })
    .await?;
    Ok(page(
        &ctx,
        "Brieven met codes",
        html! {
            (style())
            h1 { "Brieven met codes" }
            p.qs-noprint { "Druk deze pagina af. Elke code werkt één keer. De codes worden niet opnieuw getoond." }
            @for code in &codes {
                section.qs-letter aria-label="Brief" {
                    p { "Aan de bewoners van dit adres" }
                    p { (oo.name) " wil graag weten hoe u denkt over de democratie in onze " (oo.kind.as_str()) ". Het invullen duurt ongeveer 15 minuten. Uw antwoorden zijn anoniem." }
                    p { "Ga naar " strong { "/vragenlijst/code" } " en vul deze code in:" }
                    p.qs-code { (code) }
                }
            }
        },
    ))
}

async fn outbox_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, &[Role::Trekker])?;
    let mails = on_scan(&st, &org, scan, move |c, _| store::outbox(c, scan)).await?;
    Ok(page(
        &ctx,
        "Verstuurde e-mail",
        html! {
            (style())
            h1 { "Verstuurde e-mail (ontwikkelmodus)" }
            p { "Zonder SMTP-server komen berichten hier terecht in plaats van bij de ontvanger." }
            div.qs-suppressed role="note" { p { "Alleen voor testen. Zolang een ontvanger zijn link nog niet heeft geopend, kan wie deze pagina leest die link gebruiken. Zodra de ontvanger de link opent, halen we hem hier weg. Gebruik voor een echte scan een SMTP-server: dan bewaren we de e-mails niet." } }
            @for m in &mails {
                article { h2 { (m.subject) } p { "Aan: " (m.to) " · " (m.created_at) } pre.qs-mail { (m.body) } }
            }
        },
    ))
}

// ---------- paper entry ----------

async fn paper_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, &[Role::Trekker])?;
    let (s, q, kind) = on_scan(&st, &org, scan, move |c, s| {
        let q = store::scan_questionnaire(c, &s)?;
        let kind = store::org(c, &s.org_id)?.kind;
        Ok((s, q, kind))
    })
    .await?;
    Ok(page(
        &ctx,
        "Papieren vragenlijst invoeren",
        html! {
            (style())
            h1 { "Papieren vragenlijst invoeren" }
            p { "Neem de antwoorden van één papieren vragenlijst over. Ze worden opgeslagen als ‘papier’. Dat kan alleen zolang de vragenlijst open is. Papieren antwoorden tellen niet mee voor de kleinste groepsgrootte, en het rapport laat per groep zien hoeveel antwoorden op papier kwamen." }
            form method="post" action={"/qs/" (org) "/scans/" (s.id) "/papier"} {
                (csrf_field(&ctx))
                fieldset { legend { "Groep" }
                    @for (i, g) in Group::ALL.iter().enumerate() {
                        div.radio { input id={"pg-" (i)} type="radio" name="_group" value=(g.as_str()) checked[*g == Group::Inwoners]; label for={"pg-" (i)} { (g.label(kind, QLang::Nl)) } }
                    }
                }
                @for t in &q.themes {
                    h2 { (fill(&t.title.nl, kind, QLang::Nl)) }
                    @for it in &t.items { (item_input(&q, it, Group::Inwoners, kind, None)) }
                }
                button.button type="submit" { "Papieren antwoorden opslaan" }
            }
        },
    ))
}

async fn paper_submit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let a = actor(&ctx);
    on_scan(&st, &org, scan, move |c, s| {
        let q = store::scan_questionnaire(c, &s)?;
        let group = Group::parse(field(&f, "_group")).unwrap_or(Group::Inwoners);
        let keys: Vec<String> = q.items().map(|(_, i)| i.key.clone()).collect();
        let (answers, _) = parse_answers(&q, &keys, &f);
        let today = Day::today();
        store::enter_paper(c, s.id, group, &answers, today)?;
        store::audit_day(
            c,
            today,
            &a,
            Some(&s.org_id),
            Some(s.id),
            "papieren vragenlijst ingevoerd",
            "",
        )
    })
    .await?;
    Ok(Redirect::to(&format!("/qs/{org}/scans/{scan}/papier")))
}

// ---------- questionnaire rendering ----------

fn item_input(
    q: &Questionnaire,
    it: &crate::questionnaire::Item,
    group: Group,
    kind: OrgKind,
    current: Option<&AnswerValue>,
) -> Markup {
    let text = fill(&it.wording(group).nl, kind, QLang::Nl);
    let id = &it.key;
    html! {
        div.qs-item {
            @match &it.kind {
                ItemKind::Scale { scale } => {
                    @let sc = q.scale(scale);
                    fieldset {
                        legend { (text) }
                        div.qs-scale {
                            @for (i, l) in sc.map(|s| s.labels.clone()).unwrap_or_default().iter().enumerate() {
                                @let v = i + 1;
                                div.radio { input id={(id) "-" (v)} type="radio" name=(id) value=(v) checked[current == Some(&AnswerValue::Scale(u8::try_from(v).unwrap_or(0)))]; label for={(id) "-" (v)} { (l.nl) } }
                            }
                            @if let Some(dk) = sc.and_then(|s| s.dont_know.clone()) {
                                div.radio { input id={(id) "-0"} type="radio" name=(id) value="0" checked[current == Some(&AnswerValue::DontKnow)]; label for={(id) "-0"} { (dk.nl) } }
                            }
                        }
                    }
                }
                ItemKind::Choice { options } => {
                    fieldset {
                        legend { (text) }
                        @for (i, o) in options.iter().enumerate() {
                            div.radio { input id={(id) "-" (i)} type="radio" name=(id) value=(i) checked[current == Some(&AnswerValue::Choice(u8::try_from(i).unwrap_or(0)))]; label for={(id) "-" (i)} { (fill(&o.nl, kind, QLang::Nl)) } }
                        }
                    }
                }
                ItemKind::Ranking { options, pick } => {
                    @let chosen: Vec<u8> = match current { Some(AnswerValue::Ranking(v)) => v.clone(), _ => vec![] };
                    fieldset {
                        legend { (text) }
                        @for p in 0..*pick {
                            div.field {
                                label.field-label for={(id) "__" (p)} { "Keuze " (p + 1) }
                                select.input id={(id) "__" (p)} name={(id) "__" (p)} {
                                    option value="" { "(geen keuze)" }
                                    @for (i, o) in options.iter().enumerate() {
                                        option value=(i) selected[chosen.get(usize::from(p)) == Some(&u8::try_from(i).unwrap_or(0))] { (fill(&o.nl, kind, QLang::Nl)) }
                                    }
                                }
                            }
                        }
                    }
                }
                ItemKind::Open => {
                    div.field {
                        label.field-label for=(id) { (text) }
                        textarea.input id=(id) name=(id) rows="4" maxlength="4000" { (match current { Some(AnswerValue::Text(t)) => t.as_str(), _ => "" }) }
                    }
                }
            }
        }
    }
}

/// Reads answers for `keys` from a form; returns (answers, keys left empty).
fn parse_answers(q: &Questionnaire, keys: &[String], f: &Fields) -> (Answers, Vec<String>) {
    let mut out = Answers::new();
    let mut cleared = Vec::new();
    for key in keys {
        let Some((_, it)) = q.item(key) else { continue };
        let v = match &it.kind {
            ItemKind::Scale { .. } => match field(f, key).parse::<u8>() {
                Ok(0) => Some(AnswerValue::DontKnow),
                Ok(v) => Some(AnswerValue::Scale(v)),
                Err(_) => None,
            },
            ItemKind::Choice { .. } => field(f, key).parse::<u8>().ok().map(AnswerValue::Choice),
            ItemKind::Ranking { pick, .. } => {
                let mut r: Vec<u8> = Vec::new();
                for p in 0..*pick {
                    if let Ok(v) = field(f, &format!("{key}__{p}")).parse::<u8>()
                        && !r.contains(&v)
                    {
                        r.push(v);
                    }
                }
                (!r.is_empty()).then_some(AnswerValue::Ranking(r))
            }
            ItemKind::Open => {
                let t = field(f, key).trim();
                (!t.is_empty()).then(|| AnswerValue::Text(t.to_owned()))
            }
        };
        match v {
            Some(v) => {
                out.insert(key.clone(), v);
            }
            None => cleared.push(key.clone()),
        }
    }
    (out, cleared)
}

fn answer_text(q: &Questionnaire, key: &str, v: &AnswerValue, kind: OrgKind) -> String {
    let Some((_, it)) = q.item(key) else {
        return String::new();
    };
    match (&it.kind, v) {
        (ItemKind::Scale { scale }, AnswerValue::Scale(n)) => q
            .scale(scale)
            .and_then(|s| s.labels.get(usize::from(*n) - 1))
            .map(|l| l.nl.clone())
            .unwrap_or_default(),
        (ItemKind::Scale { scale }, AnswerValue::DontKnow) => q
            .scale(scale)
            .and_then(|s| s.dont_know.clone())
            .map(|l| l.nl)
            .unwrap_or_default(),
        (ItemKind::Choice { options }, AnswerValue::Choice(n)) => options
            .get(usize::from(*n))
            .map(|o| fill(&o.nl, kind, QLang::Nl))
            .unwrap_or_default(),
        (ItemKind::Ranking { options, .. }, AnswerValue::Ranking(r)) => r
            .iter()
            .enumerate()
            .map(|(i, n)| {
                format!(
                    "{}. {}",
                    i + 1,
                    options
                        .get(usize::from(*n))
                        .map(|o| o.nl.clone())
                        .unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        (_, AnswerValue::Text(t)) => t.clone(),
        _ => String::new(),
    }
}

// ---------- respondent pages ----------

/// The key that signs fresh public starts (`PUBLICCODE.RESUME.SIGNATURE`): random per
/// process, so only this server can hand out a start that may create a draft. A restart makes
/// unsaved starts invalid; saved drafts continue with their resume code.
fn start_key() -> &'static [u8; 32] {
    static KEY: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    KEY.get_or_init(store::random_bytes::<32>)
}

fn start_signature(public: &str, resume: &str) -> String {
    let mac = crate::seal::hmac(start_key(), &[public.as_bytes(), b".", resume.as_bytes()]);
    hex::encode(&mac[..10])
}

/// A simple sum for the optional public-link challenge: the question and a signed token
/// `a.b.minute.signature`, valid for 60 minutes. It stops naive scripts, not a determined
/// attacker (a solved token can be replayed within the hour; the per-client limit still holds).
fn challenge() -> (u32, u32, String) {
    let r = store::random_bytes::<2>();
    let (a, b) = (u32::from(r[0] % 9) + 1, u32::from(r[1] % 9) + 1);
    let minute = webkit::now() / 60;
    let sig = hex::encode(
        &crate::seal::hmac(
            start_key(),
            &[format!("challenge.{a}.{b}.{minute}").as_bytes()],
        )[..10],
    );
    (a, b, format!("{a}.{b}.{minute}.{sig}"))
}

fn challenge_ok(token: &str, answer: &str) -> bool {
    let parts: Vec<&str> = token.split('.').collect();
    let [a, b, minute, sig] = parts.as_slice() else {
        return false;
    };
    let (Ok(na), Ok(nb), Ok(m)) = (a.parse::<u32>(), b.parse::<u32>(), minute.parse::<i64>())
    else {
        return false;
    };
    let want = hex::encode(
        &crate::seal::hmac(
            start_key(),
            &[format!("challenge.{na}.{nb}.{m}").as_bytes()],
        )[..10],
    );
    let fresh = (0..=60).contains(&(webkit::now() / 60 - m));
    want == *sig && fresh && answer.trim().parse::<u32>().ok() == Some(na + nb)
}

/// The URL secret of a fresh public start.
fn signed_start(public: &str, resume: &str) -> String {
    format!("{public}.{resume}.{}", start_signature(public, resume))
}

/// The code a respondent writes down: the resume part of a public start.
fn shown_code(secret: &str) -> &str {
    secret.split('.').nth(1).unwrap_or(secret)
}

fn access(kind: &str, secret: &str) -> Result<RAccess, AppError> {
    match kind {
        "i" => Ok(RAccess::Invitation(secret.to_owned())),
        "l" => Ok(RAccess::Letter(secret.to_owned())),
        "d" => {
            let parts: Vec<&str> = secret.split('.').collect();
            match parts.as_slice() {
                [_] => Ok(RAccess::Public(secret.to_owned())),
                [public, resume, sig] if start_signature(public, resume) == *sig => {
                    Ok(RAccess::Public(format!("{public}.{resume}")))
                }
                _ => Err(AppError::not_found()),
            }
        }
        _ => Err(AppError::not_found()),
    }
}

fn respondent_error(ctx: &Ctx, e: AppError) -> Response {
    if e.status == StatusCode::CONFLICT || e.status == StatusCode::NOT_FOUND {
        let msg = if e.status == StatusCode::NOT_FOUND {
            "Deze link of code kennen we niet. Controleer of u hem goed heeft overgenomen."
                .to_owned()
        } else {
            e.message.clone()
        };
        let body = page(
            ctx,
            "Vragenlijst",
            html! { h1 { "Vragenlijst" } div.notice role="status" { p { (msg) } } p { a href="/vragenlijst/code" { "Een code invullen" } } },
        );
        (e.status, body).into_response()
    } else {
        e.into_response()
    }
}

fn intro(ctx: &Ctx, org_name: &str, kind: OrgKind, start: &Markup) -> Markup {
    page(
        ctx,
        "Quick Scan Lokale Democratie",
        html! {
            h1 { "Wat vindt u van de democratie in " (org_name) "?" }
            p { (fill("{Overheid} wil weten hoe inwoners, raad, college en ambtenaren denken over meedoen, invloed, informatie en vertrouwen.", kind, QLang::Nl)) }
            ul {
                li { "Het invullen duurt ongeveer 15 minuten. Er zijn 7 onderdelen." }
                li { "Er zijn geen goede of foute antwoorden. Alle vragen zijn vrijwillig." }
                li { "U kunt tussendoor opslaan en later verder gaan." }
                li { "Uw antwoorden zijn anoniem: we bewaren geen naam, e-mailadres, IP-adres of tijdstip bij uw antwoorden." }
            }
            (start)
        },
    )
}

async fn public_intro(
    State(st): State<AppState>,
    ctx: Ctx,
    axum::Extension(sh): axum::Extension<Shared>,
    Path(code): Path<String>,
) -> Result<Markup, AppError> {
    let (s, o) = db(&st, move |c| {
        let s = store::scan_by_public_code(c, &code)?;
        let o = store::org(c, &s.org_id)?;
        Ok((s, o))
    })
    .await?;
    let start = if s.status == ScanStatus::Open {
        let sum = sh.public_challenge.then(challenge);
        html! { form method="post" action={"/vragenlijst/p/" (s.public_code)} {
            (csrf_field(&ctx))
            @if let Some((a, b, token)) = &sum {
                input type="hidden" name="uitdaging" value=(token);
                div.field { label for="som" { "Om misbruik te voorkomen: hoeveel is " (a) " plus " (b) "? Vul het antwoord in cijfers in." }
                    input #som name="som" type="text" inputmode="numeric" autocomplete="off" aria-required="true" required; }
            }
            button.button type="submit" { "Beginnen" }
        } p { "Heeft u al een code? " a href="/vragenlijst/code" { "Vul uw code in" } } }
    } else {
        html! { div.notice role="status" { p { "De vragenlijst is nu niet open." } } }
    };
    Ok(intro(&ctx, &o.name, o.kind, &start))
}

/// A client, for rate limits: a hash of its address (IPv6: its /64) with a key that exists
/// only in this process's memory. Addresses are never stored or logged. Without a peer
/// address (behind some proxies, in tests) all clients share one key.
fn client_key(ext: &axum::http::Extensions) -> String {
    static SALT: std::sync::OnceLock<[u8; 32]> = std::sync::OnceLock::new();
    let salt = SALT.get_or_init(store::random_bytes::<32>);
    // webkit's server puts the peer in the extensions; its key folds IPv6 to the /64
    let ip = ext
        .get::<webkit::ClientAddr>()
        .map(|c| match webkit::client_key(c.0) {
            std::net::IpAddr::V4(v4) => v4.octets().to_vec(),
            std::net::IpAddr::V6(v6) => v6.octets().to_vec(),
        })
        .unwrap_or_default();
    hex::encode(&crate::seal::hmac(salt, &[&ip])[..8])
}

async fn public_start(
    State(st): State<AppState>,
    ctx: Ctx,
    axum::Extension(sh): axum::Extension<Shared>,
    ext: axum::http::Extensions,
    Path(code): Path<String>,
    Form(f): Form<Fields>,
) -> Response {
    // per client, so that one client cannot lock others out
    if !sh
        .limiter
        .allow(&format!("start:{}", client_key(&ext)), sh.public_per_minute)
    {
        return (StatusCode::TOO_MANY_REQUESTS, page(&ctx, "Even geduld", html! { h1 { "Even geduld" } p { "U bent in korte tijd heel vaak begonnen. Probeer het over een minuut opnieuw." } })).into_response();
    }
    if sh.public_challenge && !challenge_ok(field(&f, "uitdaging"), field(&f, "som")) {
        return (
            StatusCode::UNPROCESSABLE_ENTITY,
            page(
                &ctx,
                "Controle",
                html! { h1 { "Dat antwoord klopt niet" } p { "Reken de som opnieuw uit en probeer het nog eens." } p { a href={"/vragenlijst/p/" (code)} { "Terug naar het begin" } } },
            ),
        )
            .into_response();
    }
    let public = code.clone();
    match db(&st, move |c| store::start_public(c, &code, Day::today())).await {
        Ok((resume, _)) => Redirect::to(&format!(
            "/vragenlijst/d/{}/stap/1",
            signed_start(&public, &resume)
        ))
        .into_response(),
        Err(e) => respondent_error(&ctx, e),
    }
}

async fn invitation_intro(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(token): Path<String>,
) -> Response {
    let t = token.clone();
    let r = db(&st, move |c| {
        let inv = store::invitation_by_token(c, &t)?;
        let s = store::scan(c, inv.scan_id)?;
        // the status may still wait in a batch: the link's own spent mark says it is used
        let used = store::is_used(c, &RAccess::Invitation(t.clone()))?;
        Ok((store::org(c, &s.org_id)?, used))
    })
    .await;
    match r {
        Ok((o, false)) => intro(
            &ctx,
            &o.name,
            o.kind,
            &html! { p { a.button href={"/vragenlijst/i/" (token) "/stap/1"} { "Beginnen" } } },
        )
        .into_response(),
        Ok(_) => respondent_error(
            &ctx,
            AppError::new(
                StatusCode::CONFLICT,
                "U heeft de vragenlijst al ingevuld. Bedankt!",
            ),
        ),
        Err(e) => respondent_error(&ctx, e),
    }
}

async fn code_form(ctx: Ctx) -> Markup {
    page(
        &ctx,
        "Code invullen",
        html! {
            h1 { "Code invullen" }
            p { "Heeft u een brief met een code gekregen, of een code om verder te gaan? Vul die hier in." }
            form method="post" action="/vragenlijst/code" {
                (csrf_field(&ctx))
                div.field { label for="code" { "Uw code" } p.hint id="code-hint" { "Bijvoorbeeld ABCD-EFGH-JKLM. Hoofdletters en streepjes zijn niet nodig." }
                    input #code name="code" type="text" autocomplete="off" aria-describedby="code-hint" aria-required="true"; }
                button.button type="submit" { "Verder" }
            }
        },
    )
}

async fn code_submit(State(st): State<AppState>, ctx: Ctx, Form(f): Form<Fields>) -> Response {
    let code = store::normalize_code(field(&f, "code"));
    if code.len() != 12 {
        return respondent_error(&ctx, AppError::not_found());
    }
    let pretty = format!("{}-{}-{}", &code[0..4], &code[4..8], &code[8..12]);
    let p2 = pretty.clone();
    let r = db(&st, move |c| {
        let today = Day::today();
        if store::open_session(c, &RAccess::Public(p2.clone()), today).is_ok() {
            return Ok("d");
        }
        store::open_session(c, &RAccess::Letter(p2), today).map(|_| "l")
    })
    .await;
    match r {
        Ok(kind) => Redirect::to(&format!("/vragenlijst/{kind}/{pretty}/stap/1")).into_response(),
        Err(e) => respondent_error(&ctx, e),
    }
}

fn steps(q: &Questionnaire) -> usize {
    q.themes.len()
}

async fn load_session(
    st: &AppState,
    acc: RAccess,
) -> Result<(store::Session, Questionnaire, OrgKind, String), AppError> {
    db(st, move |c| {
        let s = store::open_session(c, &acc, Day::today())?;
        let q = store::scan_questionnaire(c, &s.scan)?;
        let o = store::org(c, &s.scan.org_id)?;
        Ok((s, q, o.kind, o.name))
    })
    .await
}

async fn step_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((kind, secret, step)): Path<(String, String, usize)>,
) -> Response {
    let acc = match access(&kind, &secret) {
        Ok(a) => a,
        Err(e) => return respondent_error(&ctx, e),
    };
    match load_session(&st, acc).await {
        Ok((s, q, ok, name)) => {
            step_markup(&ctx, &kind, &secret, step, &s, &q, ok, &name, None).into_response()
        }
        Err(e) => respondent_error(&ctx, e),
    }
}

#[allow(clippy::too_many_arguments)]
fn step_markup(
    ctx: &Ctx,
    kind: &str,
    secret: &str,
    step: usize,
    s: &store::Session,
    q: &Questionnaire,
    ok: OrgKind,
    org_name: &str,
    error: Option<&str>,
) -> Response {
    let n = steps(q);
    if step == 0 || step > n {
        return AppError::not_found().into_response();
    }
    let theme = &q.themes[step - 1];
    let title = fill(&theme.title.nl, ok, QLang::Nl);
    let base = format!("/vragenlijst/{kind}/{secret}");
    let page_title = format!("Stap {step} van {n}: {title}");
    page(ctx, &page_title, html! {
        (style())
        p.qs-steps { "Stap " (step) " van " (n) }
        h1 { (title) }
        p { (fill(&theme.intro.nl, ok, QLang::Nl)) }
        @if let Some(e) = error {
            div.error-summary role="alert" tabindex="-1" { h2 { "Er ging iets mis" } p { (e) } }
        }
        form method="post" action={(base) "/stap/" (step)} {
            (csrf_field(ctx))
            @for it in &theme.items { (item_input(q, it, s.group, ok, s.answers.get(&it.key))) }
            div.qs-buttons {
                @if step > 1 { button.button.secondary type="submit" name="ga" value="vorige" { "Vorige stap" } }
                button.button type="submit" name="ga" value="volgende" { @if step < n { "Volgende stap" } @else { "Naar de controle" } }
                button.button.secondary type="submit" name="ga" value="opslaan" { "Opslaan en later verder" }
            }
        }
        p { "Vragenlijst van " (org_name) ". Uw antwoorden zijn anoniem." }
    })
    .into_response()
}

async fn step_save(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((kind, secret, step)): Path<(String, String, usize)>,
    Form(f): Form<Fields>,
) -> Response {
    let acc = match access(&kind, &secret) {
        Ok(a) => a,
        Err(e) => return respondent_error(&ctx, e),
    };
    // One database round: open the session, read this step's answers, save the draft.
    let f2 = f.clone();
    let saved = db(&st, move |c| {
        let s = store::open_session(c, &acc, Day::today())?;
        let q = store::scan_questionnaire(c, &s.scan)?;
        let o = store::org(c, &s.scan.org_id)?;
        let Some(theme) = step.checked_sub(1).and_then(|i| q.themes.get(i)) else {
            return Ok(Err(None));
        };
        let keys: Vec<String> = theme.items.iter().map(|i| i.key.clone()).collect();
        let (answers, cleared) = parse_answers(&q, &keys, &f2);
        match store::save_draft_in(c, &acc, s.clone(), &q, &answers, &cleared, Day::today()) {
            Ok(_) => Ok(Ok(steps(&q))),
            Err(store::Error::Invalid(m)) => Ok(Err(Some((s, q, o.kind, o.name, m)))),
            Err(e) => Err(e),
        }
    })
    .await;
    let n = match saved {
        Ok(Ok(n)) => n,
        Ok(Err(None)) => return AppError::not_found().into_response(),
        Ok(Err(Some((s, q, ok, name, message)))) => {
            return (
                StatusCode::UNPROCESSABLE_ENTITY,
                step_markup(
                    &ctx,
                    &kind,
                    &secret,
                    step,
                    &s,
                    &q,
                    ok,
                    &name,
                    Some(&message),
                ),
            )
                .into_response();
        }
        Err(e) => return respondent_error(&ctx, e),
    };
    let base = format!("/vragenlijst/{kind}/{secret}");
    match field(&f, "ga") {
        "vorige" => {
            Redirect::to(&format!("{base}/stap/{}", step.saturating_sub(1).max(1))).into_response()
        }
        "opslaan" => page(
            &ctx,
            "Opgeslagen",
            html! {
                (style())
                h1 { "Uw antwoorden zijn opgeslagen" }
                @if kind == "i" {
                    p { "Ga later verder met de link uit uw e-mail." }
                } @else {
                    p { "Ga later verder met deze code op " strong { "/vragenlijst/code" } ":" }
                    p.qs-code { (shown_code(&secret)) }
                    p { "Schrijf de code op. Wij kunnen hem niet voor u terugvinden." }
                }
                p { "Opgeslagen antwoorden worden gewist als de vragenlijst sluit." }
                p { a href={(base) "/stap/" (step)} { "Toch nu verder gaan" } }
            },
        )
        .into_response(),
        _ if step < n => Redirect::to(&format!("{base}/stap/{}", step + 1)).into_response(),
        _ => Redirect::to(&format!("{base}/controle")).into_response(),
    }
}

async fn summary_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((kind, secret)): Path<(String, String)>,
) -> Response {
    let acc = match access(&kind, &secret) {
        Ok(a) => a,
        Err(e) => return respondent_error(&ctx, e),
    };
    let (s, q, ok, _) = match load_session(&st, acc).await {
        Ok(v) => v,
        Err(e) => return respondent_error(&ctx, e),
    };
    let base = format!("/vragenlijst/{kind}/{secret}");
    page(&ctx, "Controleren en versturen", html! {
        h1 { "Controleren en versturen" }
        p { "Kijk uw antwoorden na. Wilt u iets veranderen? Kies dan ‘Wijzigen’. Uw antwoorden zijn pas verstuurd als u op ‘Versturen’ drukt." }
        @for (i, t) in q.themes.iter().enumerate() {
            h2 { (fill(&t.title.nl, ok, QLang::Nl)) }
            dl {
                @for it in &t.items {
                    dt { (fill(&it.wording(s.group).nl, ok, QLang::Nl)) }
                    dd { (s.answers.get(&it.key).map_or_else(|| "Niet beantwoord".to_owned(), |v| answer_text(&q, &it.key, v, ok))) }
                }
            }
            p { a href={(base) "/stap/" (i + 1)} { "Wijzigen: " (fill(&t.title.nl, ok, QLang::Nl)) } }
        }
        form method="post" action={(base) "/versturen"} {
            (csrf_field(&ctx))
            button.button type="submit" { "Versturen" }
        }
    })
    .into_response()
}

async fn submit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((kind, secret)): Path<(String, String)>,
) -> Response {
    let acc = match access(&kind, &secret) {
        Ok(a) => a,
        Err(e) => return respondent_error(&ctx, e),
    };
    let r = db(&st, move |c| store::submit_draft(c, &acc, Day::today())).await;
    match r {
        Ok(()) => Redirect::to("/vragenlijst/bedankt").into_response(),
        Err(e) => respondent_error(&ctx, e),
    }
}

async fn thanks(ctx: Ctx) -> Markup {
    page(
        &ctx,
        "Bedankt",
        html! {
            h1 { "Bedankt voor uw antwoorden!" }
            p { "Uw antwoorden zijn verstuurd. Ze worden anoniem verwerkt in een rapport. De uitkomsten worden besproken door raad, college, ambtenaren en inwoners." }
        },
    )
}

// ---------- report ----------

async fn build_report(
    st: &AppState,
    ctx: &Ctx,
    org: &str,
    scan: i64,
) -> Result<report::Report, AppError> {
    require(ctx, org, READ_REPORT)?;
    on_scan(st, org, scan, move |c, s| {
        if !report::available(&s) {
            return Err(store::Error::State(
                "Het rapport komt beschikbaar als de vragenlijst gesloten is.".into(),
            ));
        }
        report::build(c, scan)
    })
    .await
}

fn fmt1(v: f64) -> String {
    format!("{v:.1}").replace('.', ",")
}

fn theme_chart(r: &report::Report, t: &report::ThemeResult, idx: usize) -> Markup {
    let bars: Vec<Bar> = r
        .shown
        .iter()
        .filter_map(|g| {
            let means: Vec<f64> = t
                .items
                .iter()
                .filter_map(|i| match i.cells.get(g) {
                    Some(Cell::Shown(d)) => d.mean,
                    _ => None,
                })
                .collect();
            (!means.is_empty()).then(|| {
                #[allow(clippy::cast_precision_loss)]
                let m = means.iter().sum::<f64>() / means.len() as f64;
                Bar {
                    label: r.group_label(*g),
                    value: m,
                    display: fmt1(m),
                    color: None,
                }
            })
        })
        .collect();
    if bars.is_empty() {
        return html! {};
    }
    bar_chart(
        webkit::Lang::Nl,
        &format!("chart-{idx}"),
        &format!("{}: gemiddelde score per groep (1–5)", t.title),
        "Gemiddelde",
        &bars,
    )
}

async fn report_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    let r = build_report(&st, &ctx, &org, scan).await?;
    let base = format!("/qs/{org}/scans/{scan}");
    Ok(page(
        &ctx,
        &format!("Rapport {}", r.scan.title),
        report_body(&r, &base),
    ))
}

/// The report page's content (inside the layout); `base` is the scan's path. Public for the
/// benchmark (`examples/report_bench.rs`).
pub fn report_body(r: &report::Report, base: &str) -> Markup {
    html! {
            (style())
            h1 { "Rapport Quick Scan — " (r.org.name) }
            p { (r.scan.title) " (" (r.scan.wave.as_str()) "). Dit is een foto van hoe de groepen naar de democratie kijken, geen representatief onderzoek." }
            p.qs-noprint { a href={(base) "/rapport.pdf"} { "Download als PDF" } " · " a href={(base) "/rapport.csv"} { "Download de cijfers (CSV)" } " · " a href={(base) "/agenda"} { "Verbeteragenda" } }
            h2 { "Respons" }
            div.table-wrap role="region" aria-label="Respons per groep" tabindex="0" { table.data { caption { "Respons per groep" }
                thead { tr { th scope="col" { "Groep" } th scope="col" { "Uitgenodigd" } th scope="col" { "Ingevuld" } th scope="col" { "Waarvan op papier" } } }
                tbody { @for g in &r.groups { tr {
                    th scope="row" { (g.label) }
                    td { @if g.invited > 0 { (g.invited) } @else { "–" } }
                    td { (g.n.map_or_else(|| format!("minder dan {}", r.min_group), |n| n.to_string())) }
                    td { (g.paper.map_or_else(|| "–".to_owned(), |n| n.to_string())) }
                } } }
            } }
            p { "Een groep wordt alleen apart getoond als minstens " (r.min_group) " mensen de vragenlijst zelf invulden. Papieren vragenlijsten tellen daarvoor niet mee: wie ze invoert, kent de antwoorden." }
            @for (g, c) in &r.benchmark_counts { p { "Benchmark " (r.group_label(*g).to_lowercase()) ": " (c.total) " antwoorden uit " (r.benchmark_orgs) " organisaties, waarvan " (c.paper) " op papier." } }
            @if let Some(note) = r.suppression_note() { div.qs-suppressed role="note" { p { (note) } } }
            h2 { "Opvallende resultaten" }
            @if r.notable.is_empty() { p { "Geen opvallende resultaten volgens de regels van dit rapport." } }
            ul { @for n in &r.notable { li { strong { (n.rule.label_nl()) ": " } (n.text) } } }
            details { summary { "Hoe bepalen we wat opvalt?" }
                ul {
                    li { "Verschil tussen groepen van 1 punt of meer op de schaal van 1 tot 5." }
                    li { "30% of meer ‘weet niet / geen mening’ in een groep." }
                    li { "Gemiddelde van 2,5 of lager (laag) of 4,0 of hoger (hoog)." }
                    li { "Verschil van 0,5 punt of meer met de vorige meting." }
                }
            }
            h2 { "Verbetertips" }
            ul { @for (theme, _, tip) in &r.tips { li { strong { (theme) ": " } (tip) } } }
            @for (ti, t) in r.themes.iter().enumerate() {
                h2 { (t.title) }
                (theme_chart(r, t, ti))
                @if t.items.iter().any(|i| i.is_scale) && !r.shown.is_empty() {
                    div.table-wrap role="region" aria-label=(t.title) tabindex="0" { table.data {
                        caption { (t.title) ": gemiddelde (1 = helemaal oneens, 5 = helemaal eens), % eens, en n" }
                        thead { tr { th scope="col" { "Uitspraak" } @for g in &r.shown { th scope="col" { (r.group_label(*g)) } } } }
                        tbody { @for i in t.items.iter().filter(|i| i.is_scale) { tr {
                            th scope="row" { (i.text) }
                            @for g in &r.shown { td { (cell_text(i, *g, r.min_group)) } }
                        } } }
                    } }
                }
                @for i in t.items.iter().filter(|i| !i.is_scale) {
                    div.table-wrap role="region" aria-label=(i.text) tabindex="0" { table.data { caption { (i.text) }
                        thead { tr { th scope="col" { "Antwoord" } @for g in &r.shown { th scope="col" { (r.group_label(*g)) } } } }
                        tbody { @for (k, l) in i.labels.iter().enumerate() { tr { th scope="row" { (l) }
                            @for g in &r.shown { td { (match i.cells.get(g) {
                                Some(Cell::Shown(d)) => format!("{} %", (pct(d.counts[k], d.n)).round()),
                                Some(Cell::TooFew) => format!("< {}", r.min_group),
                                None => "–".into(),
                            }) } }
                        } } }
                    } }
                }
                @for rk in &t.rankings {
                    div.table-wrap role="region" aria-label=(rk.text) tabindex="0" { table.data { caption { (rk.text) " — aandeel dat dit koos" }
                        thead { tr { th scope="col" { "Onderwerp" } @for g in &r.shown { th scope="col" { (r.group_label(*g)) } } } }
                        tbody { @for (l, per) in &rk.options { tr { th scope="row" { (l) } @for g in &r.shown { td { (per.get(g).map_or("–".into(), |v| format!("{:.0} %", v * 100.0))) } } } } }
                    } }
                }
                @for (qt, answers) in &t.open {
                    h3 { (qt) }
                    p { (answers.len()) " antwoorden, in willekeurige volgorde." }
                    ul { @for a in answers { li { (a) } } }
                }
            }
            @if r.previous_title.is_some() { p { "Vergeleken met de vorige meting: " (r.previous_title.clone().unwrap_or_default()) ". Zie de CSV voor de cijfers per uitspraak." } }
            @if r.benchmark_orgs > 0 { p { "Vergelijking met " (r.benchmark_orgs) " andere organisaties staat in de CSV (kolom benchmark)." } }
            @else { p { "Een vergelijking met andere organisaties tonen we pas als minstens 5 organisaties meedoen." } }
    }
}

fn pct(c: u64, n: u64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let v = c as f64 * 100.0 / n.max(1) as f64;
    v
}

fn cell_text(i: &report::ItemResult, g: Group, min: u32) -> String {
    match i.cells.get(&g) {
        Some(Cell::Shown(d)) => {
            let agree = pct(d.counts.iter().skip(3).sum(), d.n);
            let mut s = format!(
                "{} · {:.0} % eens · n={}",
                d.mean.map_or("–".into(), fmt1),
                agree,
                d.n
            );
            if let Some(p) = i.previous.get(&g) {
                s.push_str(" · vorige ");
                s.push_str(&fmt1(*p));
            }
            if let Some(b) = i.benchmark.get(&g) {
                s.push_str(" · elders ");
                s.push_str(&fmt1(*b));
            }
            s
        }
        Some(Cell::TooFew) => format!("< {min} antwoorden"),
        None => "–".into(),
    }
}

async fn report_csv(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let r = build_report(&st, &ctx, &org, scan).await?;
    Ok(webkit::layout::csv_response(
        &format!("quickscan-{scan}.csv"),
        report::to_csv(&r),
    ))
}

async fn report_pdf(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let r = build_report(&st, &ctx, &org, scan).await?;
    let bytes = pdf::report_pdf(&r);
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"quickscan-{scan}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}

// ---------- verbeteragenda ----------

async fn agenda_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, READ_REPORT)?;
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

async fn agenda_csv(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    require(&ctx, &org, READ_REPORT)?;
    let csv = on_scan(&st, &org, scan, move |c, _| store::agenda_csv(c, scan)).await?;
    Ok(webkit::layout::csv_response(
        &format!("verbeteragenda-{scan}.csv"),
        csv,
    ))
}

async fn agenda_add(
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

async fn agenda_status(
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

async fn note(
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

async fn agenda_progress(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan, item)): Path<(String, i64, i64)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    note(st, ctx, org, scan, item, f, "voortgang").await
}

async fn agenda_comment(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan, item)): Path<(String, i64, i64)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    note(st, ctx, org, scan, item, f, "commentaar").await
}
