//! # webkit — the shared web foundation of Stembus
//!
//! One server for the election pages (`web`) and the Quick Scan (`quickscan`): SQLite with
//! per-module migrations, users with Argon2id passwords, server-side sessions, roles (optionally
//! scoped to an organisation), CSRF protection on every mutating request, an accessible
//! NL Design System–like layout with NL/EN, and helpers for forms, tables, charts and CSV.
//!
//! A feature crate hands a [`Module`] to [`serve`] (or [`App::build`] in tests). Every
//! mutating route is declared with [`Module::action`] together with the [`Access`] it needs;
//! the access check is attached to the route from that same declaration, and
//! `testing::TestApp::assert_security_matrix` iterates all of them.

pub mod auth;
pub mod config;
pub mod db;
#[cfg(feature = "e2e")]
pub mod e2e;
pub mod fmt;
pub mod layout;
mod middleware;
mod net;
mod routes;
mod secret;
#[cfg(feature = "testing")]
pub mod testing;
mod throttle;

use std::sync::{Arc, Mutex};

use axum::Router;
use axum::extract::FromRequestParts;
use axum::handler::Handler;
use axum::http::request::Parts;
use axum::http::{Method, StatusCode};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodFilter, MethodRouter};

pub use auth::{Identity, Role, RoleGrant, User};
pub use config::{Limits, ServeConfig};
pub use db::{Db, Migration};
pub use layout::{Lang, page};
pub use maud;
pub use net::{ClientAddr, client_key};
pub use rusqlite;

/// Errors at start-up and in library calls.
#[derive(Debug)]
pub enum Error {
    Db(rusqlite::Error),
    Io(std::io::Error),
    Config(String),
}

impl std::fmt::Display for Error {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Error::Db(e) => write!(f, "database: {e}"),
            Error::Io(e) => write!(f, "{e}"),
            Error::Config(e) => f.write_str(e),
        }
    }
}

impl std::error::Error for Error {}

impl From<rusqlite::Error> for Error {
    fn from(e: rusqlite::Error) -> Self {
        Error::Db(e)
    }
}

impl From<std::io::Error> for Error {
    fn from(e: std::io::Error) -> Self {
        Error::Io(e)
    }
}

/// An error answer of a handler. Rendered as an error page in the layout (or as JSON under
/// `/api/`) by the webkit middleware.
#[derive(Debug, Clone)]
pub struct AppError {
    pub status: StatusCode,
    /// Shown to the user (except for 500, which shows a generic text).
    pub message: String,
}

impl AppError {
    pub fn new(status: StatusCode, message: impl Into<String>) -> Self {
        AppError {
            status,
            message: message.into(),
        }
    }
    pub fn not_found() -> Self {
        AppError::new(StatusCode::NOT_FOUND, "")
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        AppError::new(StatusCode::BAD_REQUEST, message)
    }
    pub fn forbidden(message: impl Into<String>) -> Self {
        AppError::new(StatusCode::FORBIDDEN, message)
    }
    pub fn unauthorized() -> Self {
        AppError::new(StatusCode::UNAUTHORIZED, "")
    }
    pub fn internal(message: impl Into<String>) -> Self {
        AppError::new(StatusCode::INTERNAL_SERVER_ERROR, message)
    }
}

impl std::fmt::Display for AppError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}: {}", self.status, self.message)
    }
}

impl From<rusqlite::Error> for AppError {
    fn from(e: rusqlite::Error) -> Self {
        AppError::internal(format!("database: {e}"))
    }
}

impl From<Error> for AppError {
    fn from(e: Error) -> Self {
        match e {
            Error::Config(m) => AppError::bad_request(m),
            other => AppError::internal(other.to_string()),
        }
    }
}

/// Marks a response as an error to be rendered by the middleware.
#[derive(Clone, Debug)]
pub(crate) struct ErrorMessage(pub String);

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        if self.status.is_server_error() {
            eprintln!("stembus: fout {}: {}", self.status, self.message);
        }
        let mut resp = (self.status, self.message.clone()).into_response();
        resp.extensions_mut().insert(ErrorMessage(self.message));
        resp
    }
}

/// Who may call a mutating route. CSRF is checked for every mutating route regardless.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Access {
    /// Anyone, also anonymous (login, setup, Quick Scan answers).
    Public,
    /// Any logged-in user.
    LoggedIn,
    /// A platform-wide assignment of the role (beheer always passes).
    Role(Role),
    /// The role for the organisation named by the path parameter (e.g. `"org"` in
    /// `/qs/{org}/...`): scoped to that organisation or platform-wide; beheer passes.
    OrgRole(Role, &'static str),
}

/// How the body of a mutating route is sent, so the security matrix can send a token.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum BodyKind {
    /// `application/x-www-form-urlencoded`, token in the `_csrf` field (or the header).
    Form,
    /// `multipart/form-data`, token in the `_csrf` query parameter (or the header).
    Multipart,
    /// JSON, token in the `X-CSRF-Token` header.
    Json,
}

/// One declared mutating route.
#[derive(Clone, Debug)]
pub struct MutatingRoute {
    pub module: &'static str,
    pub method: Method,
    /// The axum path pattern, e.g. `/verkiezingen/{id}/verwijderen`.
    pub path: String,
    pub access: Access,
    pub body: BodyKind,
}

impl MutatingRoute {
    /// The path with every `{param}` replaced by `value` (for tests).
    pub fn example_path(&self, value: &str) -> String {
        let mut out = String::new();
        let mut rest = self.path.as_str();
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let end = rest[start..]
                .find('}')
                .map_or(rest.len(), |e| start + e + 1);
            out.push_str(value);
            rest = &rest[end..];
        }
        out.push_str(rest);
        out
    }

    /// The path parameter that names the organisation, if access is scoped.
    pub fn org_param(&self) -> Option<&'static str> {
        match self.access {
            Access::OrgRole(_, p) => Some(p),
            _ => None,
        }
    }
}

/// A navigation entry in the header.
#[derive(Clone, Debug)]
pub struct NavLink {
    pub href: &'static str,
    pub nl: &'static str,
    pub en: &'static str,
    /// Shown only to users with one of these roles (empty: to everyone).
    pub roles: &'static [Role],
}

impl NavLink {
    /// Whether the link leads somewhere for this visitor (no link to a page they may not
    /// see): a beheerder, or a user with one of the roles, for any organisation.
    pub fn visible_to(&self, user: Option<&User>) -> bool {
        self.roles.is_empty()
            || user.is_some_and(|u| {
                u.is_beheer() || u.roles.iter().any(|g| self.roles.contains(&g.role))
            })
    }
}

type StartHook = Box<dyn FnOnce(&mut rusqlite::Connection) -> Result<(), Error> + Send>;
type PeriodicHook = Arc<dyn Fn(&mut rusqlite::Connection) -> Result<(), Error> + Send + Sync>;

/// A feature crate's contribution: routes, migrations, mutating-route table, navigation and
/// start-up hooks.
pub struct Module {
    name: &'static str,
    migrations: Vec<Migration>,
    router: Router<AppState>,
    actions: Vec<MutatingRoute>,
    nav: Vec<NavLink>,
    search: Option<&'static str>,
    pages: Vec<String>,
    on_start: Vec<StartHook>,
    every: Vec<(std::time::Duration, PeriodicHook)>,
}

impl Module {
    /// A new module; `name` is its migration prefix and must be unique.
    pub fn new(name: &'static str) -> Self {
        Module {
            name,
            migrations: Vec::new(),
            router: Router::new(),
            actions: Vec::new(),
            nav: Vec::new(),
            search: None,
            pages: Vec::new(),
            on_start: Vec::new(),
            every: Vec::new(),
        }
    }

    pub fn name(&self) -> &'static str {
        self.name
    }

    /// Adds a migration; they run in the order added, once each.
    #[must_use]
    pub fn migration(mut self, id: &'static str, sql: &'static str) -> Self {
        self.migrations.push(Migration {
            module: self.name,
            id,
            sql,
        });
        self
    }

    /// Adds a read-only route (GET). Use [`Module::action`] for anything that changes state.
    #[must_use]
    pub fn page<H, T>(mut self, path: &str, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.pages.push(path.to_string());
        self.router = self.router.route(path, axum::routing::get(handler));
        self
    }

    /// Adds a mutating route with form body; the [`Access`] check is attached to it.
    #[must_use]
    pub fn action<H, T>(self, method: Method, path: &str, access: Access, handler: H) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        self.action_with(BodyKind::Form, method, path, access, handler)
    }

    /// Adds a mutating route with the given body kind.
    #[must_use]
    pub fn action_with<H, T>(
        mut self,
        body: BodyKind,
        method: Method,
        path: &str,
        access: Access,
        handler: H,
    ) -> Self
    where
        H: Handler<T, AppState>,
        T: 'static,
    {
        assert!(
            is_mutating(&method),
            "{method} {path}: use Module::page for read-only routes"
        );
        let filter = MethodFilter::try_from(method.clone())
            .unwrap_or_else(|_| panic!("{method} {path}: unsupported method"));
        let route: MethodRouter<AppState> = axum::routing::on(filter, handler).route_layer(
            axum::middleware::from_fn_with_state(access.clone(), middleware::check_access),
        );
        self.router = self.router.route(path, route);
        self.actions.push(MutatingRoute {
            module: self.name,
            method,
            path: path.to_string(),
            access,
            body,
        });
        self
    }

    /// Adds a navigation link to the header.
    #[must_use]
    pub fn nav(mut self, href: &'static str, nl: &'static str, en: &'static str) -> Self {
        self.nav.push(NavLink {
            href,
            nl,
            en,
            roles: &[],
        });
        self
    }

    /// Adds a navigation link shown only to users with `role`.
    #[must_use]
    pub fn nav_for(
        self,
        role: Role,
        href: &'static str,
        nl: &'static str,
        en: &'static str,
    ) -> Self {
        let roles: &'static [Role] = match role {
            Role::Beheer => &[Role::Beheer],
            Role::Trekker => &[Role::Trekker],
            Role::Begeleider => &[Role::Begeleider],
            Role::Commissie => &[Role::Commissie],
        };
        self.nav_for_any(roles, href, nl, en)
    }

    /// Adds a navigation link shown only to users with one of `roles`.
    #[must_use]
    pub fn nav_for_any(
        mut self,
        roles: &'static [Role],
        href: &'static str,
        nl: &'static str,
        en: &'static str,
    ) -> Self {
        self.nav.push(NavLink {
            href,
            nl,
            en,
            roles,
        });
        self
    }

    /// Puts a search box in the header of every page that sends `q` to `action` (GET).
    #[must_use]
    pub fn search_box(mut self, action: &'static str) -> Self {
        self.search = Some(action);
        self
    }

    /// Runs after all migrations at start-up (e.g. to seed demo data).
    #[must_use]
    pub fn on_start(
        mut self,
        hook: impl FnOnce(&mut rusqlite::Connection) -> Result<(), Error> + Send + 'static,
    ) -> Self {
        self.on_start.push(Box::new(hook));
        self
    }

    /// Runs `hook` every `period` while [`serve`] runs (first run one period after start), on
    /// the blocking pool; errors are printed. [`App::build`] alone never runs it, so tests
    /// call the job directly. Use [`Module::on_start`] too if it should also run at start-up.
    #[must_use]
    pub fn every(
        mut self,
        period: std::time::Duration,
        hook: impl Fn(&mut rusqlite::Connection) -> Result<(), Error> + Send + Sync + 'static,
    ) -> Self {
        self.every.push((period, Arc::new(hook)));
        self
    }

    /// Applies `f` to the module's router, e.g. to add an `Extension` layer with module state.
    /// Do not add mutating routes this way: they would escape the security matrix.
    #[must_use]
    pub fn map_router(mut self, f: impl FnOnce(Router<AppState>) -> Router<AppState>) -> Self {
        self.router = f(self.router);
        self
    }
}

pub(crate) fn is_mutating(method: &Method) -> bool {
    !matches!(
        *method,
        Method::GET | Method::HEAD | Method::OPTIONS | Method::TRACE
    )
}

/// Shared state of the running app.
#[derive(Clone)]
pub struct AppState {
    inner: Arc<Inner>,
}

struct Inner {
    db: Db,
    config: ServeConfig,
    nav: Vec<NavLink>,
    search: Option<&'static str>,
    actions: Vec<MutatingRoute>,
    setup_token: Mutex<Option<String>>,
    logins: throttle::LoginThrottle,
    passwords: throttle::PasswordGate,
    secret: secret::ServerSecret,
}

impl AppState {
    pub fn db(&self) -> &Db {
        &self.inner.db
    }
    pub fn config(&self) -> &ServeConfig {
        &self.inner.config
    }
    pub fn nav(&self) -> &[NavLink] {
        &self.inner.nav
    }
    /// The action of the header's search box, if a module set one.
    pub fn search_action(&self) -> Option<&'static str> {
        self.inner.search
    }
    /// Every declared mutating route of every module (the security matrix iterates it).
    pub fn mutating_routes(&self) -> &[MutatingRoute] {
        &self.inner.actions
    }
    /// The one-time setup token while no user exists.
    pub fn setup_token(&self) -> Option<String> {
        self.inner.setup_token.lock().ok().and_then(|t| t.clone())
    }
    pub(crate) fn clear_setup_token(&self) {
        if let Ok(mut t) = self.inner.setup_token.lock() {
            *t = None;
        }
    }
    pub(crate) fn logins(&self) -> &throttle::LoginThrottle {
        &self.inner.logins
    }
    pub(crate) fn passwords(&self) -> &throttle::PasswordGate {
        &self.inner.passwords
    }
    pub(crate) fn secret(&self) -> &secret::ServerSecret {
        &self.inner.secret
    }
    /// How many clients the failed-login bookkeeping remembers (bounded by
    /// [`Limits::login_clients`]; it holds addresses only, never user names).
    pub fn login_clients_remembered(&self) -> usize {
        self.inner.logins.clients()
    }
}

/// A built app: state plus the complete router (with all layers).
pub struct App {
    pub state: AppState,
    router: Router,
    every: Vec<(std::time::Duration, PeriodicHook)>,
}

impl App {
    /// Opens the database, runs the migrations of webkit and of every module (in that order),
    /// runs the modules' start hooks, prepares first-admin setup, and builds the router.
    pub fn build(config: ServeConfig, modules: Vec<Module>) -> Result<App, Error> {
        let db = Db::open(config.db_path())?;
        let mut names = std::collections::HashSet::new();
        for m in &modules {
            if m.name == "webkit" || !names.insert(m.name) {
                return Err(Error::Config(format!(
                    "modulenaam ‘{}’ is niet uniek",
                    m.name
                )));
            }
        }
        let has_home = modules.iter().any(|m| m.pages.iter().any(|p| p == "/"));
        let mut migrations: Vec<Migration> = Vec::new();
        let mut nav = Vec::new();
        let mut search = None;
        let mut actions = Vec::new();
        let mut router = Router::new();
        let mut hooks = Vec::new();
        let mut every = Vec::new();
        for m in std::iter::once(routes::core_module(!has_home)).chain(modules) {
            migrations.extend(m.migrations);
            nav.extend(m.nav);
            search = search.or(m.search);
            actions.extend(m.actions);
            router = router.merge(m.router);
            hooks.extend(m.on_start);
            every.extend(m.every);
        }
        let users = db.with(|c| {
            db::migrate(c, &migrations)?;
            for hook in hooks {
                hook(c)?;
            }
            Ok::<_, Error>(auth::user_count(c)?)
        })?;
        let secret = secret::ServerSecret::load_or_create(&config.data_dir)?;
        let setup_token = (users == 0).then(random_token);
        if let (Some(token), true) = (&setup_token, config.print_setup_token) {
            eprintln!(
                "stembus: er is nog geen beheerder. Open /setup en gebruik deze eenmalige code:\n  {token}"
            );
        }
        let state = AppState {
            inner: Arc::new(Inner {
                db,
                nav,
                search,
                actions,
                setup_token: Mutex::new(setup_token),
                logins: throttle::LoginThrottle::new(&config.limits),
                passwords: throttle::PasswordGate::new(&config.limits),
                secret,
                config,
            }),
        };
        let router = router
            .fallback(routes::not_found)
            .layer(axum::middleware::from_fn_with_state(
                state.clone(),
                middleware::context,
            ))
            .layer(axum::extract::DefaultBodyLimit::max(
                state.config().upload_limit,
            ))
            .with_state(state.clone());
        Ok(App {
            state,
            router,
            every,
        })
    }

    /// The router, ready for `axum::serve` or `tower::ServiceExt::oneshot`.
    pub fn router(&self) -> Router {
        self.router.clone()
    }
}

/// Builds the app and serves it until Ctrl-C. Binds `config.addr` (default 127.0.0.1:8080).
pub async fn serve(mut config: ServeConfig, modules: Vec<Module>) -> Result<(), Error> {
    let addr = config.addr;
    if let Some(fds) = net::open_files_limit() {
        let room = usize::try_from(fds.saturating_sub(64))
            .unwrap_or(usize::MAX)
            .max(16);
        if config.limits.max_connections > room {
            eprintln!(
                "stembus: hoogstens {room} verbindingen tegelijk (de limiet op open bestanden is {fds})"
            );
            config.limits.max_connections = room;
        }
    }
    let app = App::build(config, modules)?;
    let listener = tokio::net::TcpListener::bind(addr).await?;
    if !addr.ip().is_loopback() {
        eprintln!("stembus: let op, de server is bereikbaar buiten deze computer ({addr})");
    }
    eprintln!("stembus: luistert op http://{}", listener.local_addr()?);
    for (period, hook) in app.every.clone() {
        let db = app.state.db().clone();
        tokio::spawn(async move {
            let start = tokio::time::Instant::now() + period;
            let mut tick = tokio::time::interval_at(start, period);
            loop {
                tick.tick().await;
                let hook = hook.clone();
                if let Err(e) = db.call(move |c| hook(c).map_err(AppError::from)).await {
                    eprintln!("stembus: periodieke taak mislukt: {e}");
                }
            }
        });
    }
    serve_app(&app, listener, async {
        let _ = tokio::signal::ctrl_c().await;
    })
    .await
}

/// Serves a built app on `listener` until `shutdown` completes, with the connection limits
/// and timeouts of its [`Limits`] (tests bind `127.0.0.1:0` and pass short limits).
/// Periodic jobs ([`Module::every`]) are not started here; [`serve`] does that.
pub async fn serve_app(
    app: &App,
    listener: tokio::net::TcpListener,
    shutdown: impl std::future::Future<Output = ()> + Send,
) -> Result<(), Error> {
    net::serve(
        app.router(),
        listener,
        app.state.config().limits.clone(),
        shutdown,
    )
    .await?;
    Ok(())
}

/// Creates a platform admin (`beheer`) — for `stembus admin create`. Runs webkit's
/// migrations first, so it works on a fresh data directory.
pub fn create_admin(db: &Db, name: &str, password: &str) -> Result<i64, Error> {
    db.with(|c| {
        db::migrate(c, auth::MIGRATIONS)?;
        auth::create_user(
            c,
            name,
            password,
            &[RoleGrant {
                role: Role::Beheer,
                org: None,
            }],
        )
    })
}

/// The request context every page needs: language, user, CSRF token for forms, path.
/// Extract it in handlers: `async fn h(ctx: Ctx) -> Markup`.
#[derive(Clone, Debug)]
pub struct Ctx {
    pub lang: Lang,
    pub identity: Option<Arc<Identity>>,
    /// The CSRF token to put in forms (session-bound, or the anonymous cookie's).
    pub csrf: String,
    /// The request path (without query).
    pub path: String,
    /// The raw query string (without `?`), if any.
    pub query: Option<String>,
    pub(crate) nav: Arc<[NavLink]>,
    /// Action of the header's search box ([`Module::search_box`]).
    pub(crate) search: Option<&'static str>,
    /// The page exists in Dutch only: no language toggle ([`Ctx::dutch_only`]).
    pub(crate) dutch_only: bool,
}

impl Ctx {
    pub fn user(&self) -> Option<&User> {
        self.identity.as_ref().map(|i| &i.user)
    }
    /// Picks the Dutch or English text.
    pub fn t<'a>(&self, nl: &'a str, en: &'a str) -> &'a str {
        self.lang.t(nl, en)
    }
    pub fn is_beheer(&self) -> bool {
        self.user().is_some_and(User::is_beheer)
    }
    /// This context for a page that exists in Dutch only: Dutch text with `lang="nl"` and no
    /// language toggle, whatever the visitor chose.
    #[must_use]
    pub fn dutch_only(mut self) -> Ctx {
        self.lang = Lang::Nl;
        self.dutch_only = true;
        self
    }
}

impl<S: Send + Sync> FromRequestParts<S> for Ctx {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        parts
            .extensions
            .get::<Ctx>()
            .cloned()
            .ok_or_else(|| AppError::internal("webkit context ontbreekt"))
    }
}

/// Extractor: a logged-in user (401 otherwise).
pub struct RequireUser(pub User);

impl<S: Send + Sync> FromRequestParts<S> for RequireUser {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let ctx = Ctx::from_request_parts(parts, state).await?;
        ctx.user()
            .cloned()
            .map(RequireUser)
            .ok_or_else(AppError::unauthorized)
    }
}

/// A role as a type, for [`RequireRole`].
pub trait RoleMarker {
    const ROLE: Role;
}
/// Marker for [`Role::Beheer`].
pub struct Beheer;
impl RoleMarker for Beheer {
    const ROLE: Role = Role::Beheer;
}
/// Marker for [`Role::Trekker`].
pub struct Trekker;
impl RoleMarker for Trekker {
    const ROLE: Role = Role::Trekker;
}
/// Marker for [`Role::Begeleider`].
pub struct Begeleider;
impl RoleMarker for Begeleider {
    const ROLE: Role = Role::Begeleider;
}
/// Marker for [`Role::Commissie`].
pub struct Commissie;
impl RoleMarker for Commissie {
    const ROLE: Role = Role::Commissie;
}

/// Extractor: a user with a platform-wide role `R` (or beheer); 401/403 otherwise.
/// Use it on read-only pages that are not public; mutating routes get their check from
/// [`Module::action`].
pub struct RequireRole<R: RoleMarker>(pub User, std::marker::PhantomData<R>);

impl<R: RoleMarker> RequireRole<R> {
    pub fn user(&self) -> &User {
        &self.0
    }
}

impl<S: Send + Sync, R: RoleMarker> FromRequestParts<S> for RequireRole<R> {
    type Rejection = AppError;
    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        let RequireUser(user) = RequireUser::from_request_parts(parts, state).await?;
        if user.has_role(R::ROLE) {
            Ok(RequireRole(user, std::marker::PhantomData))
        } else {
            Err(AppError::forbidden(""))
        }
    }
}

/// Seconds since the Unix epoch.
pub fn now() -> i64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_secs()).unwrap_or(i64::MAX))
}

/// 256 random bits as 64 lowercase hex characters.
pub fn random_token() -> String {
    let mut bytes = [0u8; 32];
    rand::Rng::fill_bytes(&mut rand::rng(), &mut bytes);
    hex(&bytes)
}

/// Lowercase hex.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// Compares in time independent of where the strings differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// A temporary directory removed on drop (tests, demo tools).
#[derive(Debug)]
pub struct TempDir(std::path::PathBuf);

impl TempDir {
    pub fn new(prefix: &str) -> TempDir {
        let path = std::env::temp_dir().join(format!(
            "stembus-{prefix}-{}-{}",
            std::process::id(),
            &random_token()[..12]
        ));
        std::fs::create_dir_all(&path).expect("create temp dir");
        TempDir(path)
    }
    pub fn path(&self) -> &std::path::Path {
        &self.0
    }
}

impl Drop for TempDir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn example_paths() {
        let r = MutatingRoute {
            module: "m",
            method: Method::POST,
            path: "/a/{org}/b/{id}".into(),
            access: Access::Public,
            body: BodyKind::Form,
        };
        assert_eq!(r.example_path("1"), "/a/1/b/1");
        assert!(constant_time_eq("abc", "abc"));
        assert!(!constant_time_eq("abc", "abd"));
        assert!(!constant_time_eq("abc", "ab"));
        assert_eq!(random_token().len(), 64);
    }
}
