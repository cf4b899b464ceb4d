//! webkit's own routes: login, logout, first-admin setup, own password, user management,
//! static files, accessibility and privacy statements, health check.

use axum::extract::{Path, Query, State};
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use axum::{Extension, Form};
use maud::{Markup, html};
use serde::Deserialize;

use crate::auth::{self, Role, RoleGrant};
use crate::layout::{self, Cell, Column, Field, Table, csrf_field, error_summary, input, page};
use crate::middleware::{SESSION_COOKIE, set_cookie};
use crate::{
    Access, AppError, AppState, Beheer, ClientAddr, Ctx, Module, RequireRole, RequireUser,
};

/// The core module. `with_home`: add a simple start page (when no module has `/`).
pub(crate) fn core_module(with_home: bool) -> Module {
    let mut m = Module::new("webkit");
    m.migrations = auth::MIGRATIONS.to_vec();
    let m = m
        .page("/login", login_form)
        .action(Method::POST, "/login", Access::Public, login)
        .action(Method::POST, "/logout", Access::LoggedIn, logout)
        .page("/setup", setup_form)
        .action(Method::POST, "/setup", Access::Public, setup)
        .page("/account", account)
        .action(
            Method::POST,
            "/account/wachtwoord",
            Access::LoggedIn,
            change_password,
        )
        .page("/beheer/gebruikers", users)
        .action(
            Method::POST,
            "/beheer/gebruikers",
            Access::Role(Role::Beheer),
            create_user,
        )
        .action(
            Method::POST,
            "/beheer/rollen",
            Access::Role(Role::Beheer),
            grant_role,
        )
        .action(
            Method::POST,
            "/beheer/gebruikers/{id}/rol-intrekken",
            Access::Role(Role::Beheer),
            revoke_role,
        )
        .page("/static/stembus.css", css)
        .page("/static/stembus.js", js)
        .page("/toegankelijkheid", accessibility)
        .page("/privacy", privacy)
        .page("/healthz", || async { "ok" });
    if with_home { m.page("/", home) } else { m }
}

pub(crate) async fn not_found() -> AppError {
    AppError::not_found()
}

fn static_file(content_type: &'static str, body: &'static str) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type),
            (header::CACHE_CONTROL, "public, max-age=31536000, immutable"),
        ],
        body,
    )
        .into_response()
}

async fn css() -> Response {
    static_file("text/css; charset=utf-8", layout::CSS)
}

async fn js() -> Response {
    static_file("text/javascript; charset=utf-8", layout::JS)
}

async fn home(ctx: Ctx) -> Markup {
    page(
        &ctx,
        "Stembus",
        html! {
            h1 { "Stembus" }
            p.lead { (ctx.t("Open en controleerbare software voor de Nederlandse democratie.",
                "Open and verifiable software for Dutch democracy.")) }
            ul.link-list {
                @for l in ctx.nav.iter().filter(|l| l.visible_to(ctx.user())) { li { a href=(l.href) { (ctx.t(l.nl, l.en)) } } }
            }
        },
    )
}

/// The page to go to after login: only a path on this site. Refused (so `/`): anything not
/// starting with `/`, `//` anywhere (`//host` is another site), backslashes (`/\host`),
/// control characters and white space (browsers drop a tab or newline, so `/<TAB>/host`
/// would become `//host`), and paths longer than 2,000 bytes.
fn safe_next(next: Option<&str>) -> String {
    match next {
        Some(n)
            if n.starts_with('/')
                && n.len() <= 2000
                && !n.contains("//")
                && !n
                    .chars()
                    .any(|c| c == '\\' || c.is_control() || c.is_whitespace()) =>
        {
            n.to_string()
        }
        _ => "/".to_string(),
    }
}

#[derive(Deserialize, Default)]
struct NextQuery {
    next: Option<String>,
}

fn login_page(ctx: &Ctx, name: &str, next: &str, error: Option<&str>) -> Markup {
    let l = ctx.lang;
    let errors: Vec<(&str, String)> = error.iter().map(|e| ("name", (*e).to_string())).collect();
    page(
        ctx,
        l.t("Inloggen", "Log in"),
        html! {
            h1 { (l.t("Inloggen", "Log in")) }
            p { (l.t("Inloggen is alleen nodig voor beheerders en deelnemers aan de Quick Scan. Uitslagen kunt u zonder inloggen bekijken.",
                "Only administrators and Quick Scan participants need to log in. You can view results without logging in.")) }
            (error_summary(l, &errors))
            form.form method="post" action="/login" novalidate {
                (csrf_field(ctx))
                input type="hidden" name="next" value=(next);
                (input(l, &Field::new("name", l.t("Gebruikersnaam", "User name")).value(name).required().autocomplete("username").error(error)))
                (input(l, &Field::new("password", l.t("Wachtwoord", "Password")).kind("password").required().autocomplete("current-password")))
                button.button type="submit" { (l.t("Inloggen", "Log in")) }
            }
        },
    )
}

async fn login_form(ctx: Ctx, Query(q): Query<NextQuery>) -> Markup {
    login_page(&ctx, "", &safe_next(q.next.as_deref()), None)
}

#[derive(Deserialize)]
struct LoginForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    next: Option<String>,
}

fn session_response(state: &AppState, cookie_value: &str, to: &str) -> Response {
    let mut resp = Redirect::to(to).into_response();
    let c = set_cookie(
        state,
        SESSION_COOKIE,
        cookie_value,
        Some(state.config().session_ttl_secs),
    );
    if let Ok(v) = HeaderValue::from_str(&c) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    resp
}

/// The answer when the server is too busy to check a password now (503).
fn busy(ctx: &Ctx) -> Response {
    let mut resp = AppError::new(
        StatusCode::SERVICE_UNAVAILABLE,
        ctx.t(
            "Het is nu erg druk. Probeer het over een minuut opnieuw.",
            "The server is very busy. Please try again in a minute.",
        ),
    )
    .into_response();
    resp.headers_mut()
        .insert(header::RETRY_AFTER, HeaderValue::from_static("30"));
    resp
}

/// Logs in. Failed attempts slow down the client that makes them (see `throttle`), never
/// the account: nobody can lock someone else out. A name no account can have is wrong
/// without a password check.
async fn login(
    State(state): State<AppState>,
    ctx: Ctx,
    Extension(ClientAddr(peer)): Extension<ClientAddr>,
    Form(f): Form<LoginForm>,
) -> Result<Response, AppError> {
    let next = safe_next(f.next.as_deref());
    let client = crate::client_key(peer);
    // The name is only echoed into the form; cap it before anything else.
    let shown: String = f.name.chars().take(auth::MAX_NAME_CHARS).collect();
    let wrong = ctx.t(
        "De gebruikersnaam of het wachtwoord klopt niet.",
        "The user name or password is not correct.",
    );
    if let Err(wait) = state.logins().begin(client) {
        let secs = wait.as_secs() + 1;
        let msg = if ctx.lang == crate::Lang::En {
            format!(
                "Too many wrong attempts from your connection. Wait {secs} seconds and try again."
            )
        } else {
            format!(
                "Te veel verkeerde pogingen vanaf uw verbinding. Wacht {secs} seconden en probeer het dan opnieuw."
            )
        };
        let mut resp = (
            StatusCode::TOO_MANY_REQUESTS,
            login_page(&ctx, &shown, &next, Some(&msg)),
        )
            .into_response();
        if let Ok(v) = HeaderValue::from_str(&secs.to_string()) {
            resp.headers_mut().insert(header::RETRY_AFTER, v);
        }
        return Ok(resp);
    }
    let session = if auth::check_name(&f.name).is_ok() {
        let Some(permit) = state.passwords().acquire().await else {
            state.logins().refund(client);
            return Ok(busy(&ctx));
        };
        let ttl = state.config().session_ttl_secs;
        let (name, password) = (f.name, f.password);
        state
            .db()
            .call(move |c| {
                // Held until the check is done, also when the client has gone.
                let mut slot = permit;
                Ok(
                    match auth::authenticate_in(c, &name, &password, slot.memory())? {
                        Some(id) => Some(auth::create_session(c, id, ttl)?),
                        None => None,
                    },
                )
            })
            .await?
    } else {
        None
    };
    if let Some(s) = session {
        state.logins().succeeded(client);
        Ok(session_response(&state, &s.cookie_value, &next))
    } else {
        Ok(login_page(&ctx, &shown, &next, Some(wrong)).into_response())
    }
}

async fn logout(
    State(state): State<AppState>,
    headers: axum::http::HeaderMap,
) -> Result<Response, AppError> {
    let name = crate::middleware::cookie_name(&state, SESSION_COOKIE);
    if let Some(sid) = crate::middleware::cookie(&headers, &name).map(str::to_string) {
        state
            .db()
            .call(move |c| Ok(auth::delete_session(c, &sid)?))
            .await?;
    }
    let mut resp = Redirect::to("/").into_response();
    if let Ok(v) = HeaderValue::from_str(&set_cookie(&state, SESSION_COOKIE, "", Some(0))) {
        resp.headers_mut().append(header::SET_COOKIE, v);
    }
    Ok(resp)
}

fn setup_page(ctx: &Ctx, name: &str, errors: &[(&str, String)]) -> Markup {
    let l = ctx.lang;
    let err = |f: &str| {
        errors
            .iter()
            .find(|(n, _)| *n == f)
            .map(|(_, m)| m.as_str())
    };
    page(
        ctx,
        l.t(
            "Eerste beheerder aanmaken",
            "Create the first administrator",
        ),
        html! {
            h1 { (l.t("Eerste beheerder aanmaken", "Create the first administrator")) }
            p { (l.t("Er is nog geen beheerder. Bij het starten van de server staat een eenmalige code in het logboek (stderr). Vul die code hieronder in.",
                "There is no administrator yet. When the server started, it printed a one-time code to its log (stderr). Enter that code below.")) }
            (error_summary(l, errors))
            form.form method="post" action="/setup" novalidate {
                (csrf_field(ctx))
                (input(l, &Field::new("token", l.t("Eenmalige code", "One-time code")).required().autocomplete("off").error(err("token"))))
                (input(l, &Field::new("name", l.t("Gebruikersnaam", "User name")).value(name).required().autocomplete("username").error(err("name"))))
                (input(l, &Field::new("password", l.t("Wachtwoord", "Password")).kind("password").required().autocomplete("new-password")
                    .hint(l.t("Minstens 12 tekens.", "At least 12 characters.")).error(err("password"))))
                button.button type="submit" { (l.t("Beheerder aanmaken", "Create administrator")) }
            }
        },
    )
}

async fn setup_form(State(state): State<AppState>, ctx: Ctx) -> Result<Markup, AppError> {
    if state.setup_token().is_none() {
        return Err(AppError::not_found());
    }
    Ok(setup_page(&ctx, "", &[]))
}

#[derive(Deserialize)]
struct SetupForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
}

async fn setup(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<SetupForm>,
) -> Result<Response, AppError> {
    let Some(expected) = state.setup_token() else {
        return Err(AppError::not_found());
    };
    let mut errors = Vec::new();
    if !crate::constant_time_eq(f.token.trim(), &expected) {
        errors.push((
            "token",
            ctx.t("De code klopt niet.", "The code is not correct.")
                .to_string(),
        ));
    }
    if let Err(e) = auth::check_new_account(&f.name, &f.password) {
        let field = if e.contains("wachtwoord") {
            "password"
        } else {
            "name"
        };
        errors.push((field, e));
    }
    if !errors.is_empty() {
        return Ok((
            StatusCode::UNPROCESSABLE_ENTITY,
            setup_page(&ctx, &f.name, &errors),
        )
            .into_response());
    }
    let Some(permit) = state.passwords().acquire().await else {
        return Ok(busy(&ctx));
    };
    let ttl = state.config().session_ttl_secs;
    let session = state
        .db()
        .call(move |c| {
            let _permit = permit;
            if auth::user_count(c)? > 0 {
                return Err(AppError::not_found());
            }
            let id = auth::create_user(
                c,
                &f.name,
                &f.password,
                &[RoleGrant {
                    role: Role::Beheer,
                    org: None,
                }],
            )?;
            Ok(auth::create_session(c, id, ttl)?)
        })
        .await?;
    state.clear_setup_token();
    Ok(session_response(&state, &session.cookie_value, "/"))
}

#[derive(Deserialize, Default)]
struct Notice {
    melding: Option<String>,
}

fn notice(ctx: &Ctx, code: Option<&str>) -> Markup {
    let text = match code {
        Some("wachtwoord") => ctx.t(
            "Uw wachtwoord is gewijzigd.",
            "Your password has been changed.",
        ),
        Some("aangemaakt") => ctx.t("De gebruiker is aangemaakt.", "The user has been created."),
        Some("rol") => ctx.t("De rollen zijn bijgewerkt.", "The roles have been updated."),
        _ => return html! {},
    };
    html! { div.notice role="status" { p { (text) } } }
}

fn account_page(
    ctx: &Ctx,
    user: &crate::User,
    code: Option<&str>,
    errors: &[(&str, String)],
) -> Markup {
    let l = ctx.lang;
    let err = |f: &str| {
        errors
            .iter()
            .find(|(n, _)| *n == f)
            .map(|(_, m)| m.as_str())
    };
    page(
        ctx,
        l.t("Mijn account", "My account"),
        html! {
            h1 { (l.t("Mijn account", "My account")) }
            (notice(ctx, code))
            p { (l.t("Gebruikersnaam: ", "User name: ")) strong { (user.name) } }
            h2 { (l.t("Rollen", "Roles")) }
            ul {
                @for g in &user.roles {
                    li { (g.role.as_str()) @if let Some(o) = &g.org { " (" (l.t("organisatie ", "organisation ")) (o) ")" } }
                }
            }
            h2 { (l.t("Wachtwoord wijzigen", "Change password")) }
            (error_summary(l, errors))
            form.form method="post" action="/account/wachtwoord" novalidate {
                (csrf_field(ctx))
                (input(l, &Field::new("current", l.t("Huidig wachtwoord", "Current password")).kind("password").required().autocomplete("current-password").error(err("current"))))
                (input(l, &Field::new("new", l.t("Nieuw wachtwoord", "New password")).kind("password").required().autocomplete("new-password")
                    .hint(l.t("Minstens 12 tekens.", "At least 12 characters.")).error(err("new"))))
                button.button type="submit" { (l.t("Wachtwoord wijzigen", "Change password")) }
            }
        },
    )
}

async fn account(ctx: Ctx, RequireUser(user): RequireUser, Query(n): Query<Notice>) -> Markup {
    account_page(&ctx, &user, n.melding.as_deref(), &[])
}

#[derive(Deserialize)]
struct PasswordForm {
    #[serde(default)]
    current: String,
    #[serde(default)]
    new: String,
}

async fn change_password(
    State(state): State<AppState>,
    ctx: Ctx,
    RequireUser(user): RequireUser,
    Form(f): Form<PasswordForm>,
) -> Result<Response, AppError> {
    let Some(permit) = state.passwords().acquire().await else {
        return Ok(busy(&ctx));
    };
    let ttl = state.config().session_ttl_secs;
    let (id, name) = (user.id, user.name.clone());
    let result = state
        .db()
        .call(move |c| {
            let mut slot = permit;
            if auth::authenticate_in(c, &name, &f.current, slot.memory())? != Some(id) {
                return Ok(Err(("current", "wrong")));
            }
            if f.new.chars().count() < auth::MIN_PASSWORD_LEN {
                return Ok(Err(("new", "short")));
            }
            auth::set_password(c, id, &f.new)?;
            Ok(Ok(auth::create_session(c, id, ttl)?))
        })
        .await?;
    match result {
        Ok(s) => Ok(session_response(
            &state,
            &s.cookie_value,
            "/account?melding=wachtwoord",
        )),
        Err((field, kind)) => {
            let msg = if kind == "wrong" {
                ctx.t(
                    "Het huidige wachtwoord klopt niet.",
                    "The current password is not correct.",
                )
            } else {
                ctx.t(
                    "Het nieuwe wachtwoord moet minstens 12 tekens lang zijn.",
                    "The new password must be at least 12 characters long.",
                )
            };
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                account_page(&ctx, &user, None, &[(field, msg.to_string())]),
            )
                .into_response())
        }
    }
}

fn role_options(ctx: &Ctx) -> Vec<(String, String)> {
    Role::ALL
        .iter()
        .map(|r| {
            let text = match r {
                Role::Beheer => ctx.t(
                    "beheer (platformbeheerder)",
                    "beheer (platform administrator)",
                ),
                Role::Trekker => ctx.t(
                    "trekker (voert de Quick Scan uit)",
                    "trekker (runs the Quick Scan)",
                ),
                Role::Begeleider => ctx.t("begeleider (ondersteunt)", "begeleider (supports)"),
                Role::Commissie => ctx.t(
                    "commissie (lid van de commissie)",
                    "commissie (committee member)",
                ),
            };
            (r.as_str().to_string(), text.to_string())
        })
        .collect()
}

fn users_page(
    ctx: &Ctx,
    users: &[crate::User],
    code: Option<&str>,
    errors: &[(&str, String)],
) -> Markup {
    let l = ctx.lang;
    let err = |f: &str| {
        errors
            .iter()
            .find(|(n, _)| *n == f)
            .map(|(_, m)| m.as_str())
    };
    let mut table = Table::new(
        "gebruikers",
        l.t("Alle gebruikers", "All users"),
        vec![
            Column::text(l.t("Naam", "Name")),
            Column::text(l.t("Rollen", "Roles")),
            Column::text(l.t("Rol intrekken", "Revoke role")),
        ],
    );
    for u in users {
        let roles = u
            .roles
            .iter()
            .map(|g| match &g.org {
                Some(o) => format!("{} ({o})", g.role),
                None => g.role.to_string(),
            })
            .collect::<Vec<_>>()
            .join(", ");
        let forms = html! {
            @for g in &u.roles {
                form.inline method="post" action={"/beheer/gebruikers/" (u.id) "/rol-intrekken"} {
                    (csrf_field(ctx))
                    input type="hidden" name="role" value=(g.role.as_str());
                    input type="hidden" name="org" value=(g.org.clone().unwrap_or_default());
                    button.link-button type="submit" {
                        (l.t("Intrekken: ", "Revoke: ")) (g.role.as_str())
                        @if let Some(o) = &g.org { " (" (o) ")" }
                        span.visually-hidden { " – " (u.name) }
                    }
                }
            }
        };
        table.row(vec![
            Cell::new(u.name.clone()),
            Cell::new(roles),
            Cell::new("").html(forms),
        ]);
    }
    page(
        ctx,
        l.t("Gebruikers", "Users"),
        html! {
            h1 { (l.t("Gebruikers", "Users")) }
            (notice(ctx, code))
            (table.render(l))
            h2 { (l.t("Nieuwe gebruiker", "New user")) }
            (error_summary(l, errors))
            form.form method="post" action="/beheer/gebruikers" novalidate {
                (csrf_field(ctx))
                (input(l, &Field::new("name", l.t("Gebruikersnaam", "User name")).required().autocomplete("off").error(err("name"))))
                (input(l, &Field::new("password", l.t("Eerste wachtwoord", "Initial password")).kind("password").required().autocomplete("new-password")
                    .hint(l.t("Minstens 12 tekens. Geef het veilig door; de gebruiker kan het daarna zelf wijzigen.",
                        "At least 12 characters. Share it safely; the user can change it afterwards.")).error(err("password"))))
                (layout::select(l, &Field::new("role", l.t("Rol", "Role")).required(), &role_options(ctx)))
                (input(l, &Field::new("org", l.t("Organisatie", "Organisation")).hint(l.t("Laat leeg voor het hele platform.", "Leave empty for the whole platform."))))
                button.button type="submit" { (l.t("Gebruiker aanmaken", "Create user")) }
            }
            h2 { (l.t("Rol toevoegen", "Add a role")) }
            form.form method="post" action="/beheer/rollen" novalidate id="rol-toevoegen" {
                (csrf_field(ctx))
                (layout::select(l, &Field::new("user", l.t("Gebruiker", "User")).required(),
                    &users.iter().map(|u| (u.id.to_string(), u.name.clone())).collect::<Vec<_>>()))
                (layout::select(l, &Field::new("role", l.t("Rol", "Role")).required(), &role_options(ctx)))
                (input(l, &Field::new("org", l.t("Organisatie", "Organisation")).hint(l.t("Laat leeg voor het hele platform.", "Leave empty for the whole platform."))))
                button.button type="submit" { (l.t("Rol toevoegen", "Add role")) }
            }
        },
    )
}

async fn users(
    State(state): State<AppState>,
    ctx: Ctx,
    _: RequireRole<Beheer>,
    Query(n): Query<Notice>,
) -> Result<Markup, AppError> {
    let list = state.db().call(|c| Ok(auth::list_users(c)?)).await?;
    Ok(users_page(&ctx, &list, n.melding.as_deref(), &[]))
}

#[derive(Deserialize)]
struct NewUserForm {
    #[serde(default)]
    name: String,
    #[serde(default)]
    password: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    org: String,
}

fn grant_from(role: &str, org: &str) -> Result<RoleGrant, AppError> {
    let role = Role::parse(role).ok_or_else(|| AppError::bad_request("onbekende rol"))?;
    let org = org.trim();
    Ok(RoleGrant {
        role,
        org: (!org.is_empty()).then(|| org.to_string()),
    })
}

async fn create_user(
    State(state): State<AppState>,
    ctx: Ctx,
    Form(f): Form<NewUserForm>,
) -> Result<Response, AppError> {
    let grant = grant_from(&f.role, &f.org)?;
    let Some(permit) = state.passwords().acquire().await else {
        return Ok(busy(&ctx));
    };
    let result = state
        .db()
        .call(move |c| {
            let _permit = permit;
            Ok(auth::create_user(c, &f.name, &f.password, &[grant]))
        })
        .await?;
    match result {
        Ok(_) => Ok(Redirect::to("/beheer/gebruikers?melding=aangemaakt").into_response()),
        Err(e) => {
            let msg = e.to_string();
            let field = if msg.contains("wachtwoord") {
                "password"
            } else {
                "name"
            };
            let list = state.db().call(|c| Ok(auth::list_users(c)?)).await?;
            Ok((
                StatusCode::UNPROCESSABLE_ENTITY,
                users_page(&ctx, &list, None, &[(field, msg)]),
            )
                .into_response())
        }
    }
}

#[derive(Deserialize)]
struct GrantForm {
    #[serde(default)]
    user: i64,
    #[serde(default)]
    role: String,
    #[serde(default)]
    org: String,
}

#[derive(Deserialize)]
struct RoleForm {
    #[serde(default)]
    role: String,
    #[serde(default)]
    org: String,
}

async fn grant_role(
    State(state): State<AppState>,
    Form(f): Form<GrantForm>,
) -> Result<Response, AppError> {
    let grant = grant_from(&f.role, &f.org)?;
    let id = f.user;
    state
        .db()
        .call(move |c| {
            let exists: bool = c.query_row(
                "SELECT EXISTS(SELECT 1 FROM users WHERE id = ?1)",
                [id],
                |r| r.get(0),
            )?;
            if !exists {
                return Err(AppError::not_found());
            }
            Ok(auth::grant_role(c, id, &grant)?)
        })
        .await?;
    Ok(Redirect::to("/beheer/gebruikers?melding=rol").into_response())
}

async fn revoke_role(
    State(state): State<AppState>,
    RequireUser(me): RequireUser,
    Path(id): Path<i64>,
    Form(f): Form<RoleForm>,
) -> Result<Response, AppError> {
    let grant = grant_from(&f.role, &f.org)?;
    if id == me.id && grant.role == Role::Beheer && grant.org.is_none() {
        return Err(AppError::bad_request(
            "U kunt uw eigen beheerrol niet intrekken.",
        ));
    }
    state
        .db()
        .call(move |c| Ok(auth::revoke_role(c, id, &grant)?))
        .await?;
    Ok(Redirect::to("/beheer/gebruikers?melding=rol").into_response())
}

async fn accessibility(ctx: Ctx) -> Markup {
    let l = ctx.lang;
    page(
        &ctx,
        l.t("Toegankelijkheid", "Accessibility"),
        html! {
            h1 { (l.t("Toegankelijkheid", "Accessibility")) }
            p { (l.t("Stembus wil dat iedereen de website kan gebruiken. We bouwen volgens WCAG 2.1 niveau A en AA (EN 301 549).",
                "Stembus wants everyone to be able to use this website. We build to WCAG 2.1 level A and AA (EN 301 549).")) }
            h2 { (l.t("Wat we doen", "What we do")) }
            ul {
                li { (l.t("Elke pagina werkt met alleen een toetsenbord. U ziet altijd waar u bent.", "Every page works with a keyboard only. You can always see where you are.")) }
                li { (l.t("Grafieken hebben dezelfde gegevens ook als tabel.", "Charts also have their data as a table.")) }
                li { (l.t("Kleuren hebben genoeg contrast. De tekst kan groter worden zonder dat er iets verdwijnt.", "Colours have enough contrast. Text can be enlarged without losing content.")) }
                li { (l.t("Elke pagina wordt automatisch getest met axe-core, in een echte browser.", "Every page is tested automatically with axe-core, in a real browser.")) }
            }
            h2 { (l.t("Status", "Status")) }
            p { (l.t("Er is nog geen volledig onderzoek volgens WCAG-EM gedaan. Automatische tests alleen zijn niet genoeg voor een volledige verklaring. De verklaring volgt na dat onderzoek.",
                "A full WCAG-EM evaluation has not been done yet. Automatic tests alone are not enough for a full statement. The statement will follow that evaluation.")) }
            h2 { (l.t("Werkt iets niet?", "Something not working?")) }
            p { (l.t("Laat het ons weten via de organisatie die deze website beheert. We reageren binnen 5 werkdagen.",
                "Please tell the organisation that runs this website. We respond within 5 working days.")) }
        },
    )
}

async fn privacy(ctx: Ctx) -> Markup {
    let l = ctx.lang;
    page(
        &ctx,
        l.t("Privacy", "Privacy"),
        html! {
            h1 { (l.t("Privacy", "Privacy")) }
            p { (l.t("U kunt uitslagen bekijken zonder in te loggen. We bewaren dan geen gegevens over u.",
                "You can view results without logging in. We then keep no data about you.")) }
            h2 { (l.t("Cookies", "Cookies")) }
            ul {
                li { code { "stembus_lang" } " – " (l.t("onthoudt uw taal.", "remembers your language.")) }
                li { code { "stembus_csrf" } " – " (l.t("beveiligt formulieren tegen misbruik.", "protects forms against misuse.")) }
                li { code { "stembus_session" } " – " (l.t("houdt u ingelogd (alleen als u inlogt).", "keeps you logged in (only when you log in).")) }
            }
            p { (l.t("We gebruiken geen cookies om u te volgen en geen diensten van anderen.",
                "We use no tracking cookies and no third-party services.")) }
            h2 { (l.t("Accounts", "Accounts")) }
            p { (l.t("Voor een account bewaren we uw gebruikersnaam, een versleutelde vorm van uw wachtwoord en uw rollen. Uw wachtwoord zelf bewaren we nooit.",
                "For an account we keep your user name, an encrypted form of your password and your roles. We never store your password itself.")) }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::safe_next;

    #[test]
    fn next_is_local_only() {
        assert_eq!(safe_next(Some("/a?b")), "/a?b");
        assert_eq!(safe_next(Some("//evil")), "/");
        assert_eq!(safe_next(Some("/\\evil")), "/");
        assert_eq!(safe_next(Some("https://evil")), "/");
        assert_eq!(safe_next(None), "/");
        // Browsers drop tabs and newlines: `/\t/evil` would become `//evil`.
        for bad in [
            "/\t/evil.example",
            "/\n/evil.example",
            "/\r\n/evil.example",
            "/ /evil.example",
            "/a//evil",
            "/\u{85}/evil",
            "/x\\y",
            "javascript:alert(1)",
            "",
        ] {
            assert_eq!(safe_next(Some(bad)), "/", "{bad:?}");
        }
        assert_eq!(safe_next(Some(&format!("/{}", "a".repeat(3000)))), "/");
        assert_eq!(safe_next(Some("/qs/12?tab=golf")), "/qs/12?tab=golf");
    }
}
