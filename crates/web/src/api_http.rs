//! HTTP rules for the JSON API, from the endpoint table ([`crate::api::ENDPOINTS`]):
//! - a query parameter a read endpoint does not document is refused with 400 naming it (the
//!   what-if checks its own parameters);
//! - every successful read (`GET`) carries an `ETag` (SHA-256 of the body) and
//!   `Cache-Control: public, no-cache` (keep it, but ask again: an import can change it);
//!   `If-None-Match` with the same tag gives 304 without a body.

use axum::body::Body;
use axum::extract::Request;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use webkit::AppError;

use crate::api::{ENDPOINTS, Endpoint};

/// Largest API body the ETag is computed for (larger ones go out without one).
const MAX_ETAG_BODY: usize = 64 << 20;

/// The endpoint whose path template matches `path` (`/api/elections/{id}` …).
pub fn endpoint(method: &Method, path: &str) -> Option<&'static Endpoint> {
    let segs: Vec<&str> = path.trim_end_matches('/').split('/').collect();
    ENDPOINTS.iter().find(|e| {
        e.method.eq_ignore_ascii_case(method.as_str()) && {
            let t: Vec<&str> = e.path.split('/').collect();
            t.len() == segs.len()
                && t.iter()
                    .zip(&segs)
                    .all(|(a, b)| (a.starts_with('{') && !b.is_empty()) || a == b)
        }
    })
}

/// A query parameter the endpoint does not document (`lang` is always allowed).
fn unknown_param(e: &Endpoint, query: Option<&str>) -> Option<String> {
    if e.path.ends_with("/what-if") {
        return None;
    }
    let q = query?;
    q.split('&')
        .filter(|p| !p.is_empty())
        .map(|p| p.split_once('=').map_or(p, |(k, _)| k))
        .find(|k| *k != "lang" && !e.params.iter().any(|p| p.at == "query" && p.names(k)))
        .map(|k| k.chars().take(50).collect())
}

/// The middleware (mounted on the module's router; acts only on `/api/…` paths).
pub async fn layer(req: Request, next: Next) -> Response {
    let path = req.uri().path().to_string();
    if !path.starts_with("/api/") {
        return next.run(req).await;
    }
    let method = req.method().clone();
    let e = endpoint(&method, &path);
    // Reads only: a write's query may carry the CSRF token (`_csrf`), and its input is the body.
    if let Some(e) = e
        && method == Method::GET
        && let Some(k) = unknown_param(e, req.uri().query())
    {
        return AppError::bad_request(format!(
            "Onbekende parameter: {k}. Zie /api/openapi.json voor de parameters van {}. / Unknown parameter: {k}.",
            e.path
        ))
        .into_response();
    }
    let if_none_match = req.headers().get(header::IF_NONE_MATCH).cloned();
    let resp = next.run(req).await;
    if method != Method::GET || resp.status() != StatusCode::OK {
        return resp;
    }
    let (mut parts, body) = resp.into_parts();
    let Ok(bytes) = axum::body::to_bytes(body, MAX_ETAG_BODY).await else {
        return (StatusCode::INTERNAL_SERVER_ERROR, "body too large").into_response();
    };
    let tag = format!("\"{}\"", &crate::versions::sha256_hex(&bytes)[..32]);
    let Ok(tag_value) = HeaderValue::from_str(&tag) else {
        return Response::from_parts(parts, Body::from(bytes));
    };
    parts.headers.insert(header::ETAG, tag_value.clone());
    parts.headers.insert(
        header::CACHE_CONTROL,
        HeaderValue::from_static("public, no-cache"),
    );
    let matches = if_none_match
        .as_ref()
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.split(',').any(|t| t.trim() == tag || t.trim() == "*"));
    if matches {
        let mut r = StatusCode::NOT_MODIFIED.into_response();
        r.headers_mut().insert(header::ETAG, tag_value);
        r.headers_mut().insert(
            header::CACHE_CONTROL,
            HeaderValue::from_static("public, no-cache"),
        );
        return r;
    }
    Response::from_parts(parts, Body::from(bytes))
}
