//! In-process test helpers (feature `testing`): an app on a temporary data directory, users
//! per role, requests without a socket, and the security matrix over every declared
//! mutating route.

use std::collections::HashMap;
use std::sync::Mutex;

use axum::body::Body;
use axum::http::{HeaderMap, Method, Request, StatusCode, header};
use tower::ServiceExt;

use crate::auth::{self, Role, RoleGrant};
use crate::middleware::{CSRF_COOKIE, CSRF_FIELD, CSRF_HEADER, SESSION_COOKIE};
use crate::{Access, App, AppState, BodyKind, Module, MutatingRoute, ServeConfig, TempDir};

/// The password of every user made by [`TestApp::user`].
pub const TEST_PASSWORD: &str = "correct horse battery staple";

/// The server secret of every [`TestApp`] (and of data folders prepared with
/// [`write_test_secret`]), so that [`TestApp::anonymous`] and [`anonymous_csrf`] can make
/// valid anonymous CSRF tokens. Never used outside tests.
const TEST_SECRET: [u8; 32] = [0x5e; 32];

/// Puts the test server secret in `data_dir` (for tests that start `stembus serve` on a
/// data folder and send anonymous forms with [`anonymous_csrf`]).
pub fn write_test_secret(data_dir: &std::path::Path) -> std::io::Result<()> {
    std::fs::create_dir_all(data_dir)?;
    std::fs::write(data_dir.join(crate::secret::FILE), crate::hex(&TEST_SECRET))
}

/// The anonymous CSRF token for cookie `stembus_csrf=<nonce>` on a server with the test
/// secret.
pub fn anonymous_csrf(nonce: &str) -> String {
    crate::secret::ServerSecret::from_key(TEST_SECRET).anonymous_csrf(nonce)
}

/// A browser-like identity for requests: cookies plus the CSRF token to send.
#[derive(Clone, Debug)]
pub struct Session {
    /// Value for the `Cookie` header.
    pub cookie: String,
    pub csrf: String,
}

/// A response with its body as text.
#[derive(Debug)]
pub struct TestResponse {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: String,
}

impl TestResponse {
    /// The `Location` header of a redirect.
    pub fn location(&self) -> Option<&str> {
        self.headers
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
    }
}

type GrantKey = Vec<(Role, Option<String>)>;

/// An app on a temporary data directory, removed on drop.
pub struct TestApp {
    pub app: App,
    users: Mutex<HashMap<GrantKey, i64>>,
    dir: TempDir,
}

impl TestApp {
    pub fn new(modules: Vec<Module>) -> TestApp {
        Self::with_config(|_| {}, modules)
    }

    /// Like [`TestApp::new`], with changes to the config (data dir is already set).
    pub fn with_config(f: impl FnOnce(&mut ServeConfig), modules: Vec<Module>) -> TestApp {
        let dir = TempDir::new("test");
        let mut config = ServeConfig {
            data_dir: dir.path().to_path_buf(),
            print_setup_token: false,
            ..ServeConfig::default()
        };
        f(&mut config);
        if !config.data_dir.join(crate::secret::FILE).exists() {
            write_test_secret(&config.data_dir).expect("write test secret");
        }
        let app = App::build(config, modules).expect("build app");
        TestApp {
            app,
            users: Mutex::new(HashMap::new()),
            dir,
        }
    }

    pub fn state(&self) -> &AppState {
        &self.app.state
    }

    pub fn data_dir(&self) -> &std::path::Path {
        self.dir.path()
    }

    /// A user with exactly these grants (made once per distinct set; password [`TEST_PASSWORD`]).
    pub fn user(&self, grants: &[RoleGrant]) -> i64 {
        let key: Vec<(Role, Option<String>)> =
            grants.iter().map(|g| (g.role, g.org.clone())).collect();
        let mut users = self.users.lock().expect("users lock");
        if let Some(id) = users.get(&key) {
            return *id;
        }
        let name = format!("test-{}", &crate::random_token()[..10]);
        let id = self
            .state()
            .db()
            .with(|c| auth::create_user(c, &name, TEST_PASSWORD, grants))
            .expect("create test user");
        users.insert(key, id);
        id
    }

    /// The name of the user with exactly these grants (see [`TestApp::user`]), to log in with
    /// through the login form.
    pub fn user_name(&self, grants: &[RoleGrant]) -> String {
        let id = self.user(grants);
        self.state()
            .db()
            .with(|c| c.query_row("SELECT name FROM users WHERE id=?1", [id], |r| r.get(0)))
            .expect("test user name")
    }

    /// A fresh logged-in session for a user with these grants.
    pub fn login(&self, grants: &[RoleGrant]) -> Session {
        let id = self.user(grants);
        let s = self
            .state()
            .db()
            .with(|c| auth::create_session(c, id, 3600))
            .expect("create session");
        Session {
            cookie: format!("{SESSION_COOKIE}={}", s.cookie_value),
            csrf: s.csrf,
        }
    }

    /// A fresh session for a user with one platform-wide role.
    pub fn login_as(&self, role: Role) -> Session {
        self.login(&[RoleGrant { role, org: None }])
    }

    /// An anonymous visitor with a CSRF cookie and its token (valid on a [`TestApp`]).
    pub fn anonymous() -> Session {
        let nonce = crate::random_token();
        Session {
            cookie: format!("{CSRF_COOKIE}={nonce}"),
            csrf: anonymous_csrf(&nonce),
        }
    }

    /// Sends a request through the complete router.
    pub async fn send(&self, req: Request<Body>) -> TestResponse {
        let resp = self.app.router().oneshot(req).await.expect("infallible");
        let status = resp.status();
        let headers = resp.headers().clone();
        let bytes = axum::body::to_bytes(resp.into_body(), usize::MAX)
            .await
            .expect("body");
        TestResponse {
            status,
            headers,
            body: String::from_utf8_lossy(&bytes).into_owned(),
        }
    }

    pub async fn get(&self, path: &str, session: Option<&Session>) -> TestResponse {
        let mut req = Request::get(path);
        if let Some(s) = session {
            req = req.header(header::COOKIE, &s.cookie);
        }
        self.send(req.body(Body::empty()).expect("request")).await
    }

    /// POSTs a form; the session's CSRF token is added.
    pub async fn post_form(
        &self,
        path: &str,
        session: &Session,
        fields: &[(&str, &str)],
    ) -> TestResponse {
        let mut body = format!("{CSRF_FIELD}={}", session.csrf);
        for (k, v) in fields {
            body.push('&');
            body.push_str(&crate::layout::url_encode(k));
            body.push('=');
            body.push_str(&crate::layout::url_encode(v));
        }
        let req = Request::post(path)
            .header(header::COOKIE, &session.cookie)
            .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
            .body(Body::from(body))
            .expect("request");
        self.send(req).await
    }

    /// POSTs JSON with the CSRF header.
    pub async fn post_json(&self, path: &str, session: &Session, json: &str) -> TestResponse {
        let req = Request::post(path)
            .header(header::COOKIE, &session.cookie)
            .header(header::CONTENT_TYPE, "application/json")
            .header(CSRF_HEADER, &session.csrf)
            .body(Body::from(json.to_string()))
            .expect("request");
        self.send(req).await
    }

    async fn matrix_request(
        &self,
        route: &MutatingRoute,
        path: &str,
        session: &Session,
        with_token: bool,
    ) -> StatusCode {
        self.matrix_request_with(route, path, session, with_token, Tweak::None)
            .await
    }

    async fn matrix_request_with(
        &self,
        route: &MutatingRoute,
        path: &str,
        session: &Session,
        with_token: bool,
        tweak: Tweak,
    ) -> StatusCode {
        let mut uri = path.to_string();
        let mut req = Request::builder().method(route.method.clone());
        req = req.header(header::COOKIE, &session.cookie);
        if tweak == Tweak::CrossSite {
            req = req.header("sec-fetch-site", "cross-site");
        }
        let body = match route.body {
            BodyKind::Form => {
                req = req.header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
                let mut body = if with_token {
                    format!("{CSRF_FIELD}={}", session.csrf)
                } else {
                    String::new()
                };
                if tweak == Tweak::Oversized {
                    let limit = self.state().config().limits.form_limit;
                    body.push_str("&opvulling=");
                    body.push_str(&"x".repeat(limit));
                }
                body
            }
            BodyKind::Json => {
                req = req.header(header::CONTENT_TYPE, "application/json");
                if with_token {
                    req = req.header(CSRF_HEADER, &session.csrf);
                }
                "{}".to_string()
            }
            BodyKind::Multipart => {
                req = req.header(header::CONTENT_TYPE, "multipart/form-data; boundary=XYZ");
                if with_token {
                    uri.push_str(if uri.contains('?') { "&" } else { "?" });
                    uri.push_str(CSRF_FIELD);
                    uri.push('=');
                    uri.push_str(&session.csrf);
                }
                "--XYZ\r\nContent-Disposition: form-data; name=\"x\"\r\n\r\n\r\n--XYZ--\r\n"
                    .to_string()
            }
        };
        let req = req.uri(uri).body(Body::from(body)).expect("request");
        self.send(req).await.status
    }

    /// A session that passes the access check of `route` (organisation `org`).
    fn allowed_session(&self, route: &MutatingRoute, org: &str) -> Session {
        match &route.access {
            Access::Public => Self::anonymous(),
            Access::LoggedIn => self.login(&[]),
            Access::Role(role) => self.login_as(*role),
            Access::OrgRole(role, _) => self.login(&[RoleGrant {
                role: *role,
                org: Some(org.into()),
            }]),
        }
    }

    /// For every declared mutating route: anonymous → 401, wrong role → 403, right role
    /// without CSRF token → 403, right role with token → allowed (not 401/403/405).
    /// Public routes: without token → 403, with token → allowed, with a planted anonymous
    /// cookie (its own value as token) → 403. Org-scoped routes also deny the right role for
    /// another organisation. For every route, a cross-site request with the right session
    /// and token → 403, and a form over the form limit (64 KiB) → 413 before the handler.
    /// Returns the number of routes checked.
    pub async fn assert_security_matrix(&self) -> usize {
        let routes: Vec<MutatingRoute> = self.state().mutating_routes().to_vec();
        let mut failures = Vec::new();
        let org = "1";
        for route in &routes {
            let path = route.example_path(org);
            let right = self.allowed_session(route, org);
            let s = self
                .matrix_request_with(route, &path, &right, true, Tweak::CrossSite)
                .await;
            if s != StatusCode::FORBIDDEN {
                failures.push(format!(
                    "{} {} [{}] cross-site with token: got {s}, wanted 403",
                    route.method, route.path, route.module
                ));
            }
            if route.body == BodyKind::Form {
                let right = self.allowed_session(route, org);
                let s = self
                    .matrix_request_with(route, &path, &right, true, Tweak::Oversized)
                    .await;
                if s != StatusCode::PAYLOAD_TOO_LARGE {
                    failures.push(format!(
                        "{} {} [{}] form over the form limit: got {s}, wanted 413",
                        route.method, route.path, route.module
                    ));
                }
            }
            if route.access == Access::Public {
                let nonce = crate::random_token();
                let planted = Session {
                    cookie: format!("{CSRF_COOKIE}={nonce}"),
                    csrf: nonce,
                };
                let s = self.matrix_request(route, &path, &planted, true).await;
                if s != StatusCode::FORBIDDEN {
                    failures.push(format!(
                        "{} {} [{}] planted anonymous cookie: got {s}, wanted 403",
                        route.method, route.path, route.module
                    ));
                }
            }
        }
        for route in &routes {
            let path = route.example_path(org);
            let mut expect =
                |who: &str, got: StatusCode, want_allow: bool, want: Option<StatusCode>| {
                    let ok = if want_allow {
                        !matches!(
                            got,
                            StatusCode::UNAUTHORIZED
                                | StatusCode::FORBIDDEN
                                | StatusCode::METHOD_NOT_ALLOWED
                        )
                    } else {
                        want.map_or(
                            got == StatusCode::UNAUTHORIZED || got == StatusCode::FORBIDDEN,
                            |w| got == w,
                        )
                    };
                    if !ok {
                        failures.push(format!(
                            "{} {} [{}] {who}: got {got}, wanted {}",
                            route.method,
                            route.path,
                            route.module,
                            if want_allow {
                                "allowed".to_string()
                            } else {
                                want.map_or("deny".into(), |w| w.to_string())
                            }
                        ));
                    }
                };
            let anon = Self::anonymous();
            match &route.access {
                Access::Public => {
                    let s = self.matrix_request(route, &path, &anon, false).await;
                    expect(
                        "anonymous without token",
                        s,
                        false,
                        Some(StatusCode::FORBIDDEN),
                    );
                    let s = self.matrix_request(route, &path, &anon, true).await;
                    expect("anonymous with token", s, true, None);
                }
                Access::LoggedIn => {
                    let s = self.matrix_request(route, &path, &anon, true).await;
                    expect("anonymous", s, false, Some(StatusCode::UNAUTHORIZED));
                    let user = self.login(&[]);
                    let s = self.matrix_request(route, &path, &user, false).await;
                    expect(
                        "logged in without token",
                        s,
                        false,
                        Some(StatusCode::FORBIDDEN),
                    );
                    let user = self.login(&[]);
                    let s = self.matrix_request(route, &path, &user, true).await;
                    expect("logged in with token", s, true, None);
                }
                Access::Role(role) => {
                    let s = self.matrix_request(route, &path, &anon, true).await;
                    expect("anonymous", s, false, Some(StatusCode::UNAUTHORIZED));
                    let wrong = self.login_as(other_role(*role));
                    let s = self.matrix_request(route, &path, &wrong, true).await;
                    expect("wrong role", s, false, Some(StatusCode::FORBIDDEN));
                    if *role != Role::Beheer {
                        let scoped = self.login(&[RoleGrant {
                            role: *role,
                            org: Some(org.into()),
                        }]);
                        let s = self.matrix_request(route, &path, &scoped, true).await;
                        expect(
                            "role only for one organisation",
                            s,
                            false,
                            Some(StatusCode::FORBIDDEN),
                        );
                    }
                    let right = self.login_as(*role);
                    let s = self.matrix_request(route, &path, &right, false).await;
                    expect(
                        "right role without token",
                        s,
                        false,
                        Some(StatusCode::FORBIDDEN),
                    );
                    let wrong_token = Session {
                        csrf: crate::random_token(),
                        ..self.login_as(*role)
                    };
                    let s = self.matrix_request(route, &path, &wrong_token, true).await;
                    expect(
                        "right role with another token",
                        s,
                        false,
                        Some(StatusCode::FORBIDDEN),
                    );
                    let right = self.login_as(*role);
                    let s = self.matrix_request(route, &path, &right, true).await;
                    expect("right role with token", s, true, None);
                }
                Access::OrgRole(role, _) => {
                    let s = self.matrix_request(route, &path, &anon, true).await;
                    expect("anonymous", s, false, Some(StatusCode::UNAUTHORIZED));
                    let wrong = self.login(&[RoleGrant {
                        role: other_role(*role),
                        org: Some(org.into()),
                    }]);
                    let s = self.matrix_request(route, &path, &wrong, true).await;
                    expect("wrong role", s, false, Some(StatusCode::FORBIDDEN));
                    let other_org = self.login(&[RoleGrant {
                        role: *role,
                        org: Some("2".into()),
                    }]);
                    let s = self.matrix_request(route, &path, &other_org, true).await;
                    expect(
                        "right role, other organisation",
                        s,
                        false,
                        Some(StatusCode::FORBIDDEN),
                    );
                    let grant = [RoleGrant {
                        role: *role,
                        org: Some(org.into()),
                    }];
                    let right = self.login(&grant);
                    let s = self.matrix_request(route, &path, &right, false).await;
                    expect(
                        "right role without token",
                        s,
                        false,
                        Some(StatusCode::FORBIDDEN),
                    );
                    let right = self.login(&grant);
                    let s = self.matrix_request(route, &path, &right, true).await;
                    expect("right role with token", s, true, None);
                }
            }
        }
        assert!(
            failures.is_empty(),
            "security matrix failures:\n  {}",
            failures.join("\n  ")
        );
        routes.len()
    }
}

/// A variation of a security-matrix request.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Tweak {
    None,
    /// `Sec-Fetch-Site: cross-site`.
    CrossSite,
    /// A form body one field over the form limit.
    Oversized,
}

/// A role that is not `role` and not beheer.
fn other_role(role: Role) -> Role {
    match role {
        Role::Trekker => Role::Commissie,
        _ => Role::Trekker,
    }
}

/// Builds a request with a method and path (for custom tests).
pub fn request(method: Method, path: &str) -> axum::http::request::Builder {
    Request::builder().method(method).uri(path)
}
