#![no_main]
//! Form and multipart bodies through the complete router of the web app (webkit's CSRF
//! check reads form bodies and multipart query strings; axum's `Form` and `Multipart` parse
//! them), and uploads through the real import page. The first byte picks the case:
//!
//! 0. a form with the CSRF header, so the body reaches the `Form` parser;
//! 1. a form without it, so webkit's own scan of the body for `_csrf` reads it;
//! 2. multipart with the boundary from the first line, to a handler that reads every field;
//! 3. the same, to `POST /beheer/verkiezingen/importeren` (the import of an upload);
//! 4. a content type from the first line, the rest as the body.
//!
//! Must never panic and never answer 5xx.

use std::sync::OnceLock;

use axum::body::Body;
use axum::extract::{Form, Multipart};
use axum::http::{Method, Request, header};
use libfuzzer_sys::fuzz_target;
use webkit::testing::{Session, TestApp};
use webkit::{Access, BodyKind, Module, Role};

struct Harness {
    rt: tokio::runtime::Runtime,
    app: TestApp,
    session: Session,
}

async fn form(Form(fields): Form<Vec<(String, String)>>) -> String {
    fields.len().to_string()
}

async fn multipart(mut mp: Multipart) -> String {
    let mut n = 0usize;
    while let Ok(Some(field)) = mp.next_field().await {
        let _ = (field.name(), field.file_name(), field.content_type());
        match field.bytes().await {
            Ok(b) => n += b.len(),
            Err(_) => break,
        }
    }
    n.to_string()
}

fn harness() -> &'static Harness {
    static H: OnceLock<Harness> = OnceLock::new();
    H.get_or_init(|| {
        let rt = tokio::runtime::Builder::new_current_thread()
            .enable_all()
            .build()
            .expect("runtime");
        let fuzz = Module::new("fuzz")
            .action(Method::POST, "/fuzz/formulier", Access::LoggedIn, form)
            .action_with(
                BodyKind::Multipart,
                Method::POST,
                "/fuzz/upload",
                Access::LoggedIn,
                multipart,
            );
        let app = rt.block_on(async {
            TestApp::with_config(|c| c.upload_limit = 1 << 20, vec![web::module(), fuzz])
        });
        let session = app.login_as(Role::Beheer);
        Harness { rt, app, session }
    })
}

fuzz_target!(|data: &[u8]| {
    let Some((&mode, rest)) = data.split_first() else {
        return;
    };
    let h = harness();
    let (first_line, body) = match rest.iter().position(|&b| b == b'\n') {
        Some(i) => (&rest[..i], &rest[i + 1..]),
        None => (&b""[..], rest),
    };
    let first_line = String::from_utf8_lossy(first_line);
    let csrf = &h.session.csrf;
    let (path, content_type, header_token) = match mode % 5 {
        0 => (
            "/fuzz/formulier".to_string(),
            "application/x-www-form-urlencoded".to_string(),
            true,
        ),
        1 => (
            "/fuzz/formulier".to_string(),
            "application/x-www-form-urlencoded".to_string(),
            false,
        ),
        2 => (
            format!("/fuzz/upload?_csrf={csrf}"),
            format!("multipart/form-data; boundary={first_line}"),
            false,
        ),
        3 => (
            format!("/beheer/verkiezingen/importeren?_csrf={csrf}"),
            format!("multipart/form-data; boundary={first_line}"),
            false,
        ),
        _ => ("/fuzz/upload".to_string(), first_line.into_owned(), true),
    };
    let body = if mode % 5 < 2 { rest } else { body };
    let mut req = Request::builder()
        .method(Method::POST)
        .uri(path)
        .header(header::COOKIE, &h.session.cookie);
    if let Ok(v) = header::HeaderValue::from_str(&content_type) {
        req = req.header(header::CONTENT_TYPE, v);
    }
    if header_token {
        req = req.header("x-csrf-token", csrf);
    }
    let Ok(req) = req.body(Body::from(body.to_vec())) else {
        return;
    };
    let resp = h.rt.block_on(h.app.send(req));
    assert!(
        !resp.status.is_server_error(),
        "{} for mode {mode}: {}",
        resp.status,
        resp.body
    );
});
