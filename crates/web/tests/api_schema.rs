//! The OpenAPI document describes every response: real responses of every endpoint (demo
//! elections and an imported one) are validated against the schema of their endpoint; every
//! path parameter is documented; unknown parameters give 400; reads carry ETag and
//! Cache-Control and answer 304 to a matching If-None-Match; a beheerder can import by API.

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use serde_json::Value;
use webkit::Role;
use webkit::testing::{Session, TestApp};

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

fn validate(app_doc: &Value, method: &str, path: &str, body: &Value) {
    let schema = &app_doc["paths"][path][method]["responses"]["200"]["content"]["application/json"]
        ["schema"];
    assert!(schema.get("$ref").is_some(), "{method} {path} has a schema");
    let components = &app_doc["components"]["schemas"];
    if let Err(e) = web::api_schema::validate(schema, body, components) {
        panic!(
            "{method} {path}: {e}\n{}",
            &body.to_string()[..body.to_string().len().min(2000)]
        );
    }
}

async fn get_json(app: &TestApp, url: &str) -> Value {
    let r = app.get(url, None).await;
    assert_eq!(r.status, StatusCode::OK, "{url}: {}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

fn multipart(session: &Session, uri: &str, files: &[(&str, &[u8])]) -> Request<Body> {
    let mut body = Vec::new();
    for (name, bytes) in files {
        body.extend_from_slice(
            format!(
                "--XYZ\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"{name}\"\r\nContent-Type: application/octet-stream\r\n\r\n"
            )
            .as_bytes(),
        );
        body.extend_from_slice(bytes);
        body.extend_from_slice(b"\r\n");
    }
    body.extend_from_slice(b"--XYZ--\r\n");
    Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::COOKIE, &session.cookie)
        .header("x-csrf-token", &session.csrf)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XYZ")
        .body(Body::from(body))
        .unwrap()
}

#[tokio::test]
async fn every_response_matches_its_openapi_schema() {
    let app = TestApp::new(vec![web::module()]);
    let doc = get_json(&app, "/api/openapi.json").await;
    for e in web::api::ENDPOINTS {
        assert!(
            web::api_schema::response_schema(e.method, e.path).is_some(),
            "{} {} has a response schema",
            e.method,
            e.path
        );
        for seg in e.path.split('/').filter(|s| s.starts_with('{')) {
            let name = seg.trim_matches(['{', '}']);
            assert!(
                e.params.iter().any(|p| p.name == name && p.at == "path"),
                "{}: {name} documented",
                e.path
            );
        }
    }
    // An imported election too (verification, versions, griffier figures, findings).
    let beheer = app.login_as(Role::Beheer);
    let mut ids = vec![web::demo::GR_ID.to_string(), web::demo::TK_ID.to_string()];
    if let Some(dir) = shared_data("GR2026_Schiermonnikoog") {
        let dir = dir.join("GR2026_Schiermonnikoog");
        let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
            .unwrap()
            .map(|e| {
                let p = e.unwrap().path();
                (
                    p.file_name().unwrap().to_string_lossy().into_owned(),
                    std::fs::read(&p).unwrap(),
                )
            })
            .collect();
        files.sort();
        let refs: Vec<(&str, &[u8])> = files
            .iter()
            .map(|(n, b)| (n.as_str(), b.as_slice()))
            .collect();
        let r = app
            .send(multipart(&beheer, "/api/elections/import", &refs))
            .await;
        assert_eq!(r.status, StatusCode::OK, "{}", r.body);
        let summary: Value = serde_json::from_str(&r.body).unwrap();
        validate(&doc, "post", "/api/elections/import", &summary);
        let id = summary["elections"][0]["id"].as_str().unwrap().to_string();
        assert_eq!(summary["elections"][0]["status"], "ok");
        // Again: version 2.
        let r = app
            .send(multipart(&beheer, "/api/elections/import", &refs))
            .await;
        let again: Value = serde_json::from_str(&r.body).unwrap();
        assert_eq!(again["elections"][0]["version"], 2);
        let versions = get_json(&app, &format!("/api/elections/{id}/versions")).await;
        validate(&doc, "get", "/api/elections/{id}/versions", &versions);
        assert_eq!(versions["versions"].as_array().unwrap().len(), 2);
        let verification = get_json(&app, &format!("/api/elections/{id}/verification")).await;
        validate(
            &doc,
            "get",
            "/api/elections/{id}/verification",
            &verification,
        );
        ids.push(id);
    }
    let list = get_json(&app, "/api/elections").await;
    validate(&doc, "get", "/api/elections", &list);
    for q in ["a", "schier", "jansen", "utrecht"] {
        let found = get_json(&app, &format!("/api/search?q={q}")).await;
        validate(&doc, "get", "/api/search", &found);
    }
    for id in &ids {
        for (path, url) in [
            ("/api/elections/{id}", format!("/api/elections/{id}")),
            (
                "/api/elections/{id}/result",
                format!("/api/elections/{id}/result"),
            ),
            (
                "/api/elections/{id}/candidates",
                format!("/api/elections/{id}/candidates"),
            ),
            (
                "/api/elections/{id}/reform",
                format!("/api/elections/{id}/reform"),
            ),
            (
                "/api/elections/{id}/what-if",
                format!("/api/elections/{id}/what-if?v1=100"),
            ),
        ] {
            let v = get_json(&app, &url).await;
            validate(&doc, "get", path, &v);
        }
        // Margins are computed in the background; wait for them.
        let mut margins = None;
        for _ in 0..600 {
            let r = app.get(&format!("/api/elections/{id}/margins"), None).await;
            if r.status == StatusCode::OK {
                margins = Some(serde_json::from_str::<Value>(&r.body).unwrap());
                break;
            }
            tokio::time::sleep(std::time::Duration::from_millis(100)).await;
        }
        validate(
            &doc,
            "get",
            "/api/elections/{id}/margins",
            &margins.unwrap(),
        );
        // Every unit of the election.
        let data = app
            .state()
            .db()
            .with(|c| web::store::load(c, id))
            .unwrap()
            .unwrap();
        for u in data.units.iter().take(40) {
            let v = get_json(&app, &format!("/api/elections/{id}/units/{}", u.id)).await;
            validate(&doc, "get", "/api/elections/{id}/units/{unit}", &v);
        }
    }
    let r = app
        .send(
            Request::builder()
                .method(Method::DELETE)
                .uri(format!("/api/elections/{}", web::demo::GR_ID))
                .header(header::COOKIE, &beheer.cookie)
                .header("x-csrf-token", &beheer.csrf)
                .header(header::CONTENT_TYPE, "application/json")
                .body(Body::from("{}"))
                .unwrap(),
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    validate(
        &doc,
        "delete",
        "/api/elections/{id}",
        &serde_json::from_str(&r.body).unwrap(),
    );
    let r = app.post_json("/api/demo/reset", &beheer, "{}").await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    validate(
        &doc,
        "post",
        "/api/demo/reset",
        &serde_json::from_str(&r.body).unwrap(),
    );
}

#[tokio::test]
async fn unknown_parameters_are_400_and_reads_are_cacheable() {
    let app = TestApp::new(vec![web::module()]);
    for url in [
        "/api/elections?foo=1",
        "/api/elections/demo-tk?zetels=3",
        "/api/elections/demo-tk/units/NL?x",
    ] {
        let r = app.get(url, None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{url}");
        assert!(r.body.contains("Onbekende parameter"), "{url}: {}", r.body);
    }
    assert_eq!(
        app.get("/api/elections?lang=en", None).await.status,
        StatusCode::OK
    );
    let r = app.get("/api/elections/demo-tk", None).await;
    let etag = r.headers.get(header::ETAG).unwrap().clone();
    assert_eq!(
        r.headers.get(header::CACHE_CONTROL).unwrap(),
        "public, no-cache"
    );
    let again = app
        .send(
            Request::builder()
                .uri("/api/elections/demo-tk")
                .header(header::IF_NONE_MATCH, etag.clone())
                .body(Body::empty())
                .unwrap(),
        )
        .await;
    assert_eq!(again.status, StatusCode::NOT_MODIFIED);
    assert!(again.body.is_empty());
    assert_eq!(again.headers.get(header::ETAG), Some(&etag));
    // Another election: another tag.
    let gr = app
        .get(&format!("/api/elections/{}", web::demo::GR_ID), None)
        .await;
    assert_ne!(gr.headers.get(header::ETAG), Some(&etag));
    // An anonymous import is refused.
    let anon = TestApp::anonymous();
    let r = app
        .send(multipart(
            &anon,
            "/api/elections/import",
            &[("x.xml", b"<x/>")],
        ))
        .await;
    assert_eq!(r.status, StatusCode::UNAUTHORIZED);
}

/// Every parameter of every endpoint is in the OpenAPI document with a type, and numbers with
/// their bounds; the API accepts what the schema allows and refuses (400, naming the
/// parameter) what it does not. Every documented query parameter has cases here, so a new
/// one cannot be left untested.
#[tokio::test]
async fn every_parameter_is_documented_with_type_and_bounds() {
    use web::api::ParamKind;
    let app = TestApp::new(vec![web::module()]);
    let doc = get_json(&app, "/api/openapi.json").await;
    let gr = web::demo::GR_ID;
    let max = kieswet::MAX_VOTES;
    // (endpoint path, documented parameter) → (query, expected status).
    let what_if = "/api/elections/{id}/what-if";
    let search = "/api/search";
    let cases: Vec<(&str, &str, String, StatusCode)> = vec![
        (what_if, "votes", "v1=0".into(), StatusCode::OK),
        (what_if, "votes", "v1=1000&v2=2.500".into(), StatusCode::OK),
        (
            what_if,
            "votes",
            format!("v1={}", max + 1),
            StatusCode::BAD_REQUEST,
        ),
        (what_if, "votes", "v1=-5".into(), StatusCode::BAD_REQUEST),
        (what_if, "votes", "v1=abc".into(), StatusCode::BAD_REQUEST),
        (what_if, "votes", "v99=5".into(), StatusCode::BAD_REQUEST),
        (what_if, "votes", "votes=5".into(), StatusCode::BAD_REQUEST),
        (
            what_if,
            "van",
            "van=1&naar=2&aantal=1".into(),
            StatusCode::OK,
        ),
        (what_if, "van", "van=&naar=&aantal=".into(), StatusCode::OK),
        (
            what_if,
            "van",
            "van=0&naar=2&aantal=1".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            what_if,
            "naar",
            "van=1&naar=1&aantal=1".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            what_if,
            "aantal",
            "van=1&naar=2&aantal=0".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            what_if,
            "aantal",
            "van=1&naar=2".into(),
            StatusCode::BAD_REQUEST,
        ),
        (what_if, "lot", "v2=1699&lot=party:4".into(), StatusCode::OK),
        (what_if, "lot", "lot=party".into(), StatusCode::BAD_REQUEST),
        (search, "q", "q=lindewaarde".into(), StatusCode::OK),
        (search, "q", "q=".into(), StatusCode::BAD_REQUEST),
        (search, "limit", "q=a&limit=1".into(), StatusCode::OK),
        (search, "limit", "q=a&limit=100".into(), StatusCode::OK),
        (
            search,
            "limit",
            "q=a&limit=0".into(),
            StatusCode::BAD_REQUEST,
        ),
        (
            search,
            "limit",
            "q=a&limit=101".into(),
            StatusCode::BAD_REQUEST,
        ),
    ];
    for e in web::api::ENDPOINTS {
        let op = &doc["paths"][e.path][e.method];
        let listed = op["parameters"].as_array().unwrap();
        for p in e.params {
            let d = listed
                .iter()
                .find(|x| x["name"] == p.name)
                .unwrap_or_else(|| panic!("{} {}: {} in the document", e.method, e.path, p.name));
            assert_eq!(d["in"], p.at);
            assert_eq!(d["required"], p.required || p.at == "path");
            assert!(!d["description"].as_str().unwrap().is_empty());
            let s = &d["schema"];
            assert!(s["type"].is_string(), "{}: {} has a type", e.path, p.name);
            let number = match p.kind {
                ParamKind::VotesPerList => {
                    assert_eq!(
                        (d["style"].as_str(), d["explode"].as_bool()),
                        (Some("form"), Some(true))
                    );
                    &s["additionalProperties"]
                }
                _ => s,
            };
            if number["type"] == "integer" && !matches!(p.kind, ParamKind::ListNumber) {
                assert!(
                    number["minimum"].is_u64() && number["maximum"].is_u64(),
                    "{}: {} bounded",
                    e.path,
                    p.name
                );
            }
            if p.at == "query" {
                assert!(
                    cases
                        .iter()
                        .any(|(path, name, ..)| *path == e.path && *name == p.name),
                    "{}: {} has cases here",
                    e.path,
                    p.name
                );
            }
        }
        if e.method == "get" {
            assert!(
                listed.iter().any(|x| x["name"] == "lang"),
                "{}: lang",
                e.path
            );
        }
    }
    for (path, name, query, status) in &cases {
        let url = format!("{}?{query}", path.replace("{id}", gr));
        let r = app.get(&url, None).await;
        assert_eq!(r.status, *status, "{url}: {}", r.body);
        if *status == StatusCode::BAD_REQUEST {
            let named = match *name {
                "votes" => query.split('=').next().unwrap().to_string(),
                n => n.to_string(),
            };
            assert!(
                r.body.contains(&named),
                "{url}: the error names {named}: {}",
                r.body
            );
        }
    }
    // `lang` is accepted by every read; anything undocumented is not.
    for e in web::api::ENDPOINTS.iter().filter(|e| e.method == "get") {
        let base = e.path.replace("{id}", gr).replace("{unit}", "GM");
        let q = if e.path == search { "q=a&" } else { "" };
        // (The demo has no verification or versions: 404, but not 400.)
        let r = app.get(&format!("{base}?{q}lang=en"), None).await;
        assert!(
            r.status == StatusCode::OK || r.status == StatusCode::NOT_FOUND,
            "{base}: {}",
            r.body
        );
        let r = app.get(&format!("{base}?{q}onbekend=1"), None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{base}");
    }
}
