//! The webkit core through the full router: setup, login, sessions, CSRF, roles, language,
//! error pages, upload limit, security headers, and the security matrix.

use axum::Form;
use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde::Deserialize;
use webkit::testing::{Session, TEST_PASSWORD, TestApp, TestResponse};
use webkit::{Access, BodyKind, Ctx, Module, Role, RoleGrant};

#[derive(Deserialize)]
struct Echo {
    #[serde(default)]
    text: String,
}

async fn echo(Form(f): Form<Echo>) -> String {
    format!("ok:{}", f.text)
}

async fn json_echo(body: String) -> String {
    format!("json:{body}")
}

async fn upload(body: axum::body::Bytes) -> String {
    format!("bytes:{}", body.len())
}

async fn hello(ctx: Ctx) -> maud::Markup {
    webkit::page(
        &ctx,
        "Hallo",
        maud::html! { h1 { (ctx.t("Hallo", "Hello")) } },
    )
}

fn demo_module() -> Module {
    Module::new("demo")
        .migration("0001_t", "CREATE TABLE demo_t (x INTEGER)")
        .page("/hallo", hello)
        .nav("/hallo", "Hallo", "Hello")
        .action(
            Method::POST,
            "/demo/beheer",
            Access::Role(Role::Beheer),
            echo,
        )
        .action(
            Method::POST,
            "/demo/commissie",
            Access::Role(Role::Commissie),
            echo,
        )
        .action(
            Method::DELETE,
            "/demo/ding/{id}",
            Access::Role(Role::Trekker),
            echo,
        )
        .action(
            Method::POST,
            "/demo/org/{org}/actie",
            Access::OrgRole(Role::Trekker, "org"),
            echo,
        )
        .action(Method::POST, "/demo/open", Access::Public, echo)
        .action(Method::POST, "/demo/ingelogd", Access::LoggedIn, echo)
        .action_with(
            BodyKind::Json,
            Method::POST,
            "/api/demo",
            Access::Role(Role::Beheer),
            json_echo,
        )
        .action_with(
            BodyKind::Multipart,
            Method::POST,
            "/demo/upload",
            Access::Role(Role::Beheer),
            upload,
        )
        .on_start(|c| {
            c.execute("INSERT INTO demo_t VALUES (1)", [])?;
            Ok(())
        })
}

/// The first `Set-Cookie` header of `r`.
fn set_cookie(r: &TestResponse) -> String {
    r.headers
        .get(header::SET_COOKIE)
        .unwrap()
        .to_str()
        .unwrap()
        .to_string()
}

/// Submits the first-admin setup form with `token`.
async fn setup_admin(app: &TestApp, anon: &Session, token: &str) -> TestResponse {
    app.post_form(
        "/setup",
        anon,
        &[
            ("token", token),
            ("name", "admin"),
            ("password", "lang genoeg wachtwoord"),
        ],
    )
    .await
}

/// Logs in as `iemand` with a wrong password.
async fn wrong_login(app: &TestApp, anon: &Session) -> TestResponse {
    app.post_form(
        "/login",
        anon,
        &[("name", "iemand"), ("password", "fout fout fout")],
    )
    .await
}

/// Adds the user `trees`, trekker of organisation 12, with `password`.
async fn add_trees(app: &TestApp, admin: &Session, password: &str) -> TestResponse {
    app.post_form(
        "/beheer/gebruikers",
        admin,
        &[
            ("name", "trees"),
            ("password", password),
            ("role", "trekker"),
            ("org", "12"),
        ],
    )
    .await
}

#[tokio::test]
async fn security_matrix_covers_every_mutating_route() {
    let app = TestApp::new(vec![demo_module()]);
    let n = app.assert_security_matrix().await;
    // 6 webkit routes + 8 demo routes.
    assert_eq!(n, 15); // 7 webkit routes + 8 demo routes
}

#[tokio::test]
async fn first_admin_setup_then_login_logout() {
    let app = TestApp::new(vec![demo_module()]);
    let token = app
        .state()
        .setup_token()
        .expect("setup token while no users");
    let anon = TestApp::anonymous();
    let page = app.get("/setup", Some(&anon)).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(page.body.contains("name=\"_csrf\""));

    let bad = setup_admin(&app, &anon, "fout").await;
    assert_eq!(bad.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(bad.body.contains("De code klopt niet"));

    let ok = setup_admin(&app, &anon, &token).await;
    assert_eq!(ok.status, StatusCode::SEE_OTHER, "{}", ok.body);
    let cookie = set_cookie(&ok);
    assert!(cookie.starts_with("stembus_session="));
    assert!(cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"));
    assert!(app.state().setup_token().is_none());
    assert_eq!(
        app.get("/setup", Some(&anon)).await.status,
        StatusCode::NOT_FOUND
    );

    // Log in through the form.
    let wrong = app
        .post_form(
            "/login",
            &anon,
            &[("name", "admin"), ("password", "verkeerd wachtwoord")],
        )
        .await;
    assert_eq!(wrong.status, StatusCode::OK);
    assert!(
        wrong.body.contains("klopt niet") && !wrong.headers.contains_key(header::SET_COOKIE)
            || !wrong.body.contains("stembus_session")
    );
    let login = app
        .post_form(
            "/login",
            &anon,
            &[
                ("name", "ADMIN"),
                ("password", "lang genoeg wachtwoord"),
                ("next", "//evil.example"),
            ],
        )
        .await;
    assert_eq!(login.status, StatusCode::SEE_OTHER);
    assert_eq!(login.location(), Some("/"));
    let sid = set_cookie(&login).split(';').next().unwrap().to_string();
    let home = app
        .get(
            "/",
            Some(&Session {
                cookie: sid.clone(),
                csrf: String::new(),
            }),
        )
        .await;
    assert!(home.body.contains("Ingelogd als"), "{}", home.body);
    assert_eq!(home.headers.get("cache-control").unwrap(), "no-store");
    // The session's CSRF token is in the page.
    let csrf = home.body.split("name=\"_csrf\" value=\"").nth(1).unwrap()[..64].to_string();
    let session = Session { cookie: sid, csrf };
    assert_eq!(
        app.post_form("/demo/beheer", &session, &[("text", "x")])
            .await
            .body,
        "ok:x"
    );
    let out = app.post_form("/logout", &session, &[]).await;
    assert_eq!(out.status, StatusCode::SEE_OTHER);
    // The old session is gone: its token no longer counts, and without login the route is closed.
    assert_eq!(
        app.post_form("/demo/beheer", &session, &[("text", "x")])
            .await
            .status,
        StatusCode::FORBIDDEN
    );
    assert_eq!(
        app.get("/account", Some(&session)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[tokio::test]
async fn login_is_throttled() {
    let app = TestApp::new(vec![]);
    app.user(&[]);
    let anon = TestApp::anonymous();
    for _ in 0..5 {
        let r = wrong_login(&app, &anon).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("klopt niet"));
    }
    let r = wrong_login(&app, &anon).await;
    assert_eq!(r.status, StatusCode::TOO_MANY_REQUESTS);
}

#[tokio::test]
async fn csrf_rules() {
    let app = TestApp::new(vec![demo_module()]);
    let admin = app.login_as(Role::Beheer);
    // Cross-site requests are refused even with a token.
    let req = Request::post("/demo/beheer")
        .header(header::COOKIE, &admin.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .header("sec-fetch-site", "cross-site")
        .body(Body::from(format!("_csrf={}", admin.csrf)))
        .unwrap();
    assert_eq!(app.send(req).await.status, StatusCode::FORBIDDEN);
    // JSON needs the header; a token in the body does not count.
    let req = Request::post("/api/demo")
        .header(header::COOKIE, &admin.cookie)
        .header(header::CONTENT_TYPE, "application/json")
        .body(Body::from(format!("{{\"_csrf\":\"{}\"}}", admin.csrf)))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::FORBIDDEN);
    assert!(
        r.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("application/json")
    );
    assert!(r.body.contains("\"error\""));
    assert_eq!(
        app.post_json("/api/demo", &admin, "{\"a\":1}").await.body,
        "json:{\"a\":1}"
    );
    // The anonymous token does not work for a logged-in session.
    let anon = TestApp::anonymous();
    let mixed = Session {
        cookie: format!("{}; {}", admin.cookie, anon.cookie),
        csrf: anon.csrf.clone(),
    };
    assert_eq!(
        app.post_form("/demo/beheer", &mixed, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    // GET pages set the anonymous CSRF cookie.
    let r = app.get("/login", None).await;
    let cookies: Vec<_> = r
        .headers
        .get_all(header::SET_COOKIE)
        .iter()
        .map(|v| v.to_str().unwrap().to_string())
        .collect();
    assert!(
        cookies
            .iter()
            .any(|c| c.starts_with("stembus_csrf=") && c.contains("HttpOnly")),
        "{cookies:?}"
    );
}

#[tokio::test]
async fn org_scoped_roles() {
    let app = TestApp::new(vec![demo_module()]);
    let t7 = app.login(&[RoleGrant {
        role: Role::Trekker,
        org: Some("7".into()),
    }]);
    assert_eq!(
        app.post_form("/demo/org/7/actie", &t7, &[("text", "a")])
            .await
            .body,
        "ok:a"
    );
    assert_eq!(
        app.post_form("/demo/org/8/actie", &t7, &[]).await.status,
        StatusCode::FORBIDDEN
    );
    let global = app.login_as(Role::Trekker);
    assert_eq!(
        app.post_form("/demo/org/8/actie", &global, &[])
            .await
            .status,
        StatusCode::OK
    );
    let admin = app.login_as(Role::Beheer);
    assert_eq!(
        app.post_form("/demo/commissie", &admin, &[]).await.status,
        StatusCode::OK
    );
}

#[tokio::test]
async fn upload_limit_is_enforced() {
    let app = TestApp::with_config(|c| c.upload_limit = 1024, vec![demo_module()]);
    let admin = app.login_as(Role::Beheer);
    let big = "x".repeat(4096);
    let body =
        format!("--B\r\nContent-Disposition: form-data; name=\"f\"\r\n\r\n{big}\r\n--B--\r\n");
    let req = Request::post(format!("/demo/upload?_csrf={}", admin.csrf))
        .header(header::COOKIE, &admin.cookie)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=B")
        .body(Body::from(body))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    assert!(r.body.contains("Bestand te groot"));
    // Form bodies are limited too.
    let r = app
        .post_form("/demo/beheer", &admin, &[("text", &big)])
        .await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE);
    let r = app
        .post_form("/demo/beheer", &admin, &[("text", "klein")])
        .await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn layout_language_errors_and_headers() {
    let app = TestApp::new(vec![demo_module()]);
    let r = app.get("/hallo", None).await;
    assert_eq!(r.status, StatusCode::OK);
    for needle in [
        "<html lang=\"nl\">",
        "class=\"skip-link\" href=\"#inhoud\"",
        "<main id=\"inhoud\"",
        "<footer",
        "aria-current=\"page\"",
        "/static/stembus.css?v=",
        "hreflang=\"en\"",
    ] {
        assert!(r.body.contains(needle), "missing {needle}");
    }
    let csp = r.headers["content-security-policy"].to_str().unwrap();
    assert!(csp.contains("frame-ancestors 'none'") && csp.contains("script-src 'self'"));
    assert_eq!(r.headers["x-content-type-options"], "nosniff");

    let en = app.get("/hallo?lang=en", None).await;
    assert!(en.body.contains("<html lang=\"en\">") && en.body.contains("<h1>Hello</h1>"));
    assert!(
        en.headers
            .get_all(header::SET_COOKIE)
            .iter()
            .any(|c| c.to_str().unwrap().starts_with("stembus_lang=en"))
    );
    let s = Session {
        cookie: "stembus_lang=en".into(),
        csrf: String::new(),
    };
    assert!(
        app.get("/hallo", Some(&s))
            .await
            .body
            .contains("<h1>Hello</h1>")
    );

    let missing = app.get("/bestaat-niet", None).await;
    assert_eq!(missing.status, StatusCode::NOT_FOUND);
    assert!(missing.body.contains("Pagina niet gevonden") && missing.body.contains("<main"));
    let api_missing = app.get("/api/bestaat-niet", None).await;
    assert_eq!(api_missing.status, StatusCode::NOT_FOUND);
    assert!(api_missing.body.starts_with("{\"error\""));

    let forbidden = app
        .get("/beheer/gebruikers", Some(&app.login_as(Role::Trekker)))
        .await;
    assert_eq!(forbidden.status, StatusCode::FORBIDDEN);
    assert!(forbidden.body.contains("Geen toegang"));
    let anon = app.get("/beheer/gebruikers", None).await;
    assert_eq!(anon.status, StatusCode::UNAUTHORIZED);
    assert!(anon.body.contains("/login?next=/beheer/gebruikers"));

    let css = app.get(webkit::layout::css_href(), None).await;
    assert!(
        css.headers[header::CONTENT_TYPE]
            .to_str()
            .unwrap()
            .starts_with("text/css")
    );
    assert!(css.body.contains("@media print") && css.body.contains(":focus-visible"));
    assert_eq!(app.get("/healthz", None).await.body, "ok");
    assert_eq!(
        app.get("/toegankelijkheid", None).await.status,
        StatusCode::OK
    );
    assert_eq!(app.get("/privacy", None).await.status, StatusCode::OK);
    let n: i64 = app
        .state()
        .db()
        .with(|c| c.query_row("SELECT count(*) FROM demo_t", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(n, 1, "on_start hook ran once");
}

#[tokio::test]
async fn user_management() {
    let app = TestApp::new(vec![]);
    let admin = app.login_as(Role::Beheer);
    let r = add_trees(&app, &admin, "kort").await;
    assert_eq!(r.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(r.body.contains("minstens 12"));
    let r = add_trees(&app, &admin, "lang genoeg wachtwoord").await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let list = app.get("/beheer/gebruikers", Some(&admin)).await;
    assert!(list.body.contains("trees") && list.body.contains("trekker (12)"));
    let id: i64 = app
        .state()
        .db()
        .with(|c| c.query_row("SELECT id FROM users WHERE name='trees'", [], |r| r.get(0)))
        .unwrap();
    let r = app
        .post_form(
            "/beheer/rollen",
            &admin,
            &[
                ("user", &id.to_string()),
                ("role", "commissie"),
                ("org", ""),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let r = app
        .post_form(
            &format!("/beheer/gebruikers/{id}/rol-intrekken"),
            &admin,
            &[("role", "trekker"), ("org", "12")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    let list = app.get("/beheer/gebruikers", Some(&admin)).await;
    assert!(!list.body.contains("trekker (12)") && list.body.contains("commissie"));
    // Own password change ends other sessions.
    let me = app.login_as(Role::Commissie);
    let other = app.login_as(Role::Commissie);
    let r = app
        .post_form(
            "/account/wachtwoord",
            &me,
            &[
                ("current", TEST_PASSWORD),
                ("new", "een nieuw lang wachtwoord"),
            ],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get("/account", Some(&other)).await.status,
        StatusCode::UNAUTHORIZED
    );
}

#[test]
fn create_admin_for_cli() {
    let dir = webkit::TempDir::new("cli");
    let db = webkit::Db::open(dir.path().join("stembus.sqlite")).unwrap();
    let id = webkit::create_admin(&db, "root", "lang genoeg wachtwoord").unwrap();
    assert!(id > 0);
    assert!(webkit::create_admin(&db, "root", "lang genoeg wachtwoord").is_err());
}
