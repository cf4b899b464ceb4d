//! The request pipeline: language, session, anonymous CSRF cookie, CSRF check on every
//! mutating request, security headers, and error pages in the layout.

use std::fmt::Write;
use std::net::{IpAddr, Ipv4Addr};
use std::sync::Arc;

use axum::body::Body;
use axum::extract::{FromRequestParts, RawPathParams, Request, State};
use axum::http::StatusCode;
use axum::http::header::{self, HeaderMap, HeaderValue};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};

use crate::layout::{self, Lang};
use crate::{
    Access, AppError, AppState, ClientAddr, Ctx, ErrorMessage, auth, is_mutating, random_token,
};

pub(crate) const SESSION_COOKIE: &str = "stembus_session";
pub(crate) const CSRF_COOKIE: &str = "stembus_csrf";
pub(crate) const LANG_COOKIE: &str = "stembus_lang";
/// Header for the CSRF token of JSON (and other script) requests.
pub const CSRF_HEADER: &str = "x-csrf-token";
/// Form field (and, for multipart, query parameter) for the CSRF token.
pub const CSRF_FIELD: &str = "_csrf";

/// The value of cookie `name`.
pub(crate) fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|kv| kv.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v.trim())
}

/// The name of cookie `base` on this server: with secure cookies it gets the `__Host-`
/// prefix, which browsers only accept from this host over HTTPS with `Path=/` and no
/// `Domain`, so a sibling (sub)domain cannot plant or overwrite it.
pub(crate) fn cookie_name(state: &AppState, base: &str) -> String {
    if state.config().secure_cookies {
        format!("__Host-{base}")
    } else {
        base.to_string()
    }
}

/// A `Set-Cookie` value: HttpOnly, SameSite=Strict, Path=/ (and Secure plus the `__Host-`
/// prefix with secure cookies).
#[allow(clippy::needless_pass_by_value)]
pub(crate) fn set_cookie(
    state: &AppState,
    name: &str,
    value: &str,
    max_age: Option<i64>,
) -> String {
    let name = cookie_name(state, name);
    let mut c = format!("{name}={value}; Path=/; HttpOnly; SameSite=Strict");
    if let Some(age) = max_age {
        let _ = write!(c, "; Max-Age={age}");
    }
    if state.config().secure_cookies {
        c.push_str("; Secure");
    }
    c
}

fn query_param<'a>(query: Option<&'a str>, name: &str) -> Option<&'a str> {
    query?
        .split('&')
        .filter_map(|kv| kv.split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The last address in the last `X-Forwarded-For` header (the one the proxy appended).
fn forwarded_for(headers: &HeaderMap) -> Option<IpAddr> {
    headers
        .get_all("x-forwarded-for")
        .iter()
        .next_back()?
        .to_str()
        .ok()?
        .rsplit(',')
        .next()?
        .trim()
        .parse()
        .ok()
}

fn is_token(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| b.is_ascii_hexdigit())
}

/// The outer middleware: builds [`Ctx`], checks CSRF, adds headers and error pages.
pub(crate) async fn context(State(state): State<AppState>, req: Request, next: Next) -> Response {
    let (mut parts, body) = req.into_parts();
    let mut cookies_out: Vec<String> = Vec::new();
    let query = parts.uri.query().map(str::to_string);
    let path = parts.uri.path().to_string();

    // Language: ?lang= wins and is remembered; then the cookie; Dutch by default.
    let lang = match query_param(query.as_deref(), "lang").and_then(Lang::parse) {
        Some(l) => {
            cookies_out.push(set_cookie(
                &state,
                LANG_COOKIE,
                l.code(),
                Some(365 * 24 * 3600),
            ));
            l
        }
        None => cookie(&parts.headers, &cookie_name(&state, LANG_COOKIE))
            .and_then(Lang::parse)
            .unwrap_or_default(),
    };

    // Session.
    let mut identity = None;
    if let Some(sid) =
        cookie(&parts.headers, &cookie_name(&state, SESSION_COOKIE)).map(str::to_string)
    {
        let found = state
            .db()
            .call(move |c| Ok(auth::load_session(c, &sid)?))
            .await;
        match found {
            Ok(Some(i)) => identity = Some(Arc::new(i)),
            Ok(None) => cookies_out.push(set_cookie(&state, SESSION_COOKIE, "", Some(0))),
            Err(e) => {
                return finish(
                    &state,
                    &fallback_ctx(&state, lang, &path),
                    e.into_response(),
                    &path,
                );
            }
        }
    }

    // Behind a trusted proxy the visitor is the address the proxy appended last.
    if state.config().behind_proxy
        && let Some(ip) = forwarded_for(&parts.headers)
    {
        parts.extensions.insert(ClientAddr(ip));
    }
    // Requests that did not come over a socket (tests) count as one client.
    if parts.extensions.get::<ClientAddr>().is_none() {
        parts
            .extensions
            .insert(ClientAddr(IpAddr::V4(Ipv4Addr::UNSPECIFIED)));
    }

    // Anonymous forms (before login): the cookie holds a random nonce and the form token is
    // the server secret's MAC of it, so a cookie planted by someone else gives no token.
    let nonce = if let Some(t) =
        cookie(&parts.headers, &cookie_name(&state, CSRF_COOKIE)).filter(|t| is_token(t))
    {
        t.to_string()
    } else {
        let t = random_token();
        cookies_out.push(set_cookie(&state, CSRF_COOKIE, &t, None));
        t
    };
    let csrf = match &identity {
        Some(i) => i.csrf.clone(),
        None => state.secret().anonymous_csrf(&nonce),
    };

    let ctx = Ctx {
        lang,
        identity,
        csrf,
        path: path.clone(),
        query,
        nav: state.nav().to_vec().into(),
        search: state.search_action(),
        dutch_only: false,
    };

    let mut body = body;
    if is_mutating(&parts.method) {
        match check_csrf(&state, &ctx, &parts, body).await {
            Ok(b) => body = b,
            Err(e) => {
                let resp = e.into_response();
                return finish_with_cookies(&state, &ctx, resp, &path, cookies_out);
            }
        }
    }

    parts.extensions.insert(ctx.clone());
    let resp = next.run(Request::from_parts(parts, body)).await;
    finish_with_cookies(&state, &ctx, resp, &path, cookies_out)
}

fn fallback_ctx(state: &AppState, lang: Lang, path: &str) -> Ctx {
    Ctx {
        lang,
        identity: None,
        csrf: String::new(),
        path: path.to_string(),
        query: None,
        nav: state.nav().to_vec().into(),
        search: state.search_action(),
        dutch_only: false,
    }
}

/// Checks the CSRF token of a mutating request; returns the (re-assembled) body.
async fn check_csrf(
    state: &AppState,
    ctx: &Ctx,
    parts: &axum::http::request::Parts,
    body: Body,
) -> Result<Body, AppError> {
    let denied = || {
        AppError::forbidden(
            ctx.t(
                "Dit formulier is verlopen of komt niet van deze website. Laad de pagina opnieuw en probeer het nog eens.",
                "This form has expired or did not come from this website. Reload the page and try again.",
            ),
        )
    };
    if parts
        .headers
        .get("sec-fetch-site")
        .is_some_and(|v| v.as_bytes() == b"cross-site")
    {
        return Err(denied());
    }
    let content_type = parts
        .headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_ascii_lowercase();
    let is_form = content_type.starts_with("application/x-www-form-urlencoded");
    if let Some(token) = parts.headers.get(CSRF_HEADER).and_then(|v| v.to_str().ok()) {
        if !crate::constant_time_eq(token, &ctx.csrf) {
            return Err(denied());
        }
        // A form keeps the form limit also when its token comes in the header.
        return if is_form {
            Ok(Body::from(read_form(state, ctx, body).await?))
        } else {
            Ok(body)
        };
    }
    if is_form {
        let bytes = read_form(state, ctx, body).await?;
        let ok = bytes
            .split(|b| *b == b'&')
            .filter_map(|kv| {
                let eq = kv.iter().position(|b| *b == b'=')?;
                Some((&kv[..eq], &kv[eq + 1..]))
            })
            .find(|(k, _)| *k == CSRF_FIELD.as_bytes())
            .is_some_and(|(_, v)| {
                std::str::from_utf8(v).is_ok_and(|v| crate::constant_time_eq(v, &ctx.csrf))
            });
        return if ok {
            Ok(Body::from(bytes))
        } else {
            Err(denied())
        };
    }
    if content_type.starts_with("multipart/form-data") {
        let ok = query_param(parts.uri.query(), CSRF_FIELD)
            .is_some_and(|v| crate::constant_time_eq(v, &ctx.csrf));
        return if ok { Ok(body) } else { Err(denied()) };
    }
    Err(denied())
}

/// Reads an urlencoded form body of at most [`crate::Limits::form_limit`] bytes (uploads are
/// multipart and keep the larger upload limit).
async fn read_form(state: &AppState, ctx: &Ctx, body: Body) -> Result<axum::body::Bytes, AppError> {
    let limit = state.config().limits.form_limit;
    match axum::body::to_bytes(body, limit).await {
        Ok(b) => Ok(b),
        Err(e) => {
            let mut source: Option<&(dyn std::error::Error + 'static)> = Some(&e);
            while let Some(err) = source {
                if err.is::<http_body_util::LengthLimitError>() {
                    let kib = limit / 1024;
                    return Err(AppError::new(
                        StatusCode::PAYLOAD_TOO_LARGE,
                        if ctx.lang == Lang::En {
                            format!("This form is too large (at most {kib} KiB).")
                        } else {
                            format!("Dit formulier is te groot (hoogstens {kib} KiB).")
                        },
                    ));
                }
                source = err.source();
            }
            Err(AppError::new(
                StatusCode::REQUEST_TIMEOUT,
                ctx.t(
                    "Het formulier kwam niet (op tijd) binnen. Probeer het opnieuw.",
                    "The form did not arrive (in time). Please try again.",
                ),
            ))
        }
    }
}

fn finish_with_cookies(
    state: &AppState,
    ctx: &Ctx,
    resp: Response,
    path: &str,
    cookies: Vec<String>,
) -> Response {
    let mut resp = finish(state, ctx, resp, path);
    for c in cookies {
        if let Ok(v) = HeaderValue::from_str(&c) {
            resp.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    resp
}

/// Error pages and security headers.
fn finish(_state: &AppState, ctx: &Ctx, resp: Response, path: &str) -> Response {
    let status = resp.status();
    let content_type = resp
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_string();
    let mut resp = if (status.is_client_error() || status.is_server_error())
        && !content_type.starts_with("text/html")
        && !content_type.starts_with("application/json")
    {
        let message = resp
            .extensions()
            .get::<ErrorMessage>()
            .map(|m| m.0.clone())
            .unwrap_or_default();
        let mut headers = resp.headers().clone();
        headers.remove(header::CONTENT_TYPE);
        headers.remove(header::CONTENT_LENGTH);
        let mut new = if path.starts_with("/api/") {
            let msg = if status.is_server_error() || message.is_empty() {
                status.canonical_reason().unwrap_or("error").to_string()
            } else {
                message
            };
            let body = format!("{{\"error\":{}}}", json_string(&msg));
            (status, [(header::CONTENT_TYPE, "application/json")], body).into_response()
        } else {
            (status, layout::error_page(ctx, status, &message)).into_response()
        };
        for (k, v) in &headers {
            if k != header::CONTENT_TYPE {
                new.headers_mut().append(k, v.clone());
            }
        }
        new
    } else {
        resp
    };
    let h = resp.headers_mut();
    let set = |h: &mut HeaderMap, k: &'static str, v: &'static str| {
        if !h.contains_key(k) {
            h.insert(k, HeaderValue::from_static(v));
        }
    };
    set(
        h,
        "content-security-policy",
        "default-src 'self'; img-src 'self' data:; style-src 'self'; script-src 'self'; \
         object-src 'none'; base-uri 'none'; form-action 'self'; frame-ancestors 'none'",
    );
    set(h, "x-content-type-options", "nosniff");
    set(h, "referrer-policy", "same-origin");
    set(h, "x-frame-options", "DENY");
    set(h, "cross-origin-opener-policy", "same-origin");
    if ctx.identity.is_some() {
        set(h, "cache-control", "no-store");
    }
    resp
}

/// Minimal JSON string escaping (avoids a serde_json dependency in the core).
pub(crate) fn json_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// The per-route access check attached by [`crate::Module::action`].
pub(crate) async fn check_access(
    State(access): State<Access>,
    req: Request,
    next: Next,
) -> Response {
    let (mut parts, body) = req.into_parts();
    let Some(ctx) = parts.extensions.get::<Ctx>().cloned() else {
        return AppError::internal("webkit context ontbreekt").into_response();
    };
    let allowed = match &access {
        Access::Public => true,
        Access::LoggedIn => ctx.user().is_some(),
        Access::Role(role) => ctx.user().is_some_and(|u| u.has_role(*role)),
        Access::OrgRole(role, param) => {
            let org = RawPathParams::from_request_parts(&mut parts, &())
                .await
                .ok()
                .and_then(|p| {
                    p.iter()
                        .find(|(k, _)| k == param)
                        .map(|(_, v)| v.to_string())
                });
            match (ctx.user(), org) {
                (Some(u), Some(org)) => u.has_role_in(*role, &org),
                _ => false,
            }
        }
    };
    if allowed {
        next.run(Request::from_parts(parts, body)).await
    } else if ctx.user().is_none() {
        AppError::unauthorized().into_response()
    } else {
        AppError::forbidden("").into_response()
    }
}
