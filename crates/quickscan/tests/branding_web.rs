//! Issue 12, the organisation's own look on the web: the profile form (inline errors, input
//! kept), the logo upload and its route, the public URL (warning while unset, never a guessed
//! address), the letters' text, the respondent pages (no Stembus menu, the privacy statement,
//! the closed-scan message, the part count, `lang`).

#![allow(clippy::too_many_lines)]

use axum::body::Body;
use axum::http::{Request, header};
use quickscan::links::PublicUrl;
use quickscan::model::{Day, OrgKind, ScanStatus};
use quickscan::store;
use quickscan::web::{Options, module};
use webkit::testing::{Session, TestApp, TestResponse};
use webkit::{Role, RoleGrant};

const PNG: &[u8] = include_bytes!("fixtures/logo.png");
const URL: &str = "https://stembus.testdorp.nl";

fn app_with(public_url: Option<&str>) -> TestApp {
    let app = TestApp::new(vec![module(Options {
        public_url: public_url.map(|u| PublicUrl::parse(u).unwrap()),
        public_per_minute: 1000,
        ..Options::default()
    })]);
    app.state()
        .db()
        .with(|c| store::upsert_org(c, "1", "Gemeente Testdorp", OrgKind::Gemeente))
        .unwrap();
    app
}

fn trekker(app: &TestApp) -> Session {
    app.login(&[RoleGrant {
        role: Role::Trekker,
        org: Some("1".into()),
    }])
}

fn scan(app: &TestApp, status: &[ScanStatus]) -> i64 {
    app.state()
        .db()
        .with(|c| {
            let id = store::create_scan(c, "1", "Nulmeting", None, Day::today())?;
            for s in status {
                store::advance(c, id, *s, Day::today())?;
            }
            Ok::<_, store::Error>(id)
        })
        .unwrap()
}

fn full_profile() -> Vec<(&'static str, &'static str)> {
    vec![
        ("display_name", "Gemeente Testdorp"),
        ("street", "Raadhuisplein 1"),
        ("postcode", "1234ab"),
        ("place", "Testdorp"),
        ("colour", "#01689b"),
        ("contact_name", "Griffie"),
        ("contact_email", "griffie@testdorp.nl"),
        ("contact_phone", "14 0123"),
        ("privacy_purpose", ""),
        ("privacy_officer", "fg@testdorp.nl"),
    ]
}

async fn upload(app: &TestApp, s: &Session, name: &str, bytes: &[u8]) -> TestResponse {
    let boundary = "XyZbOuNdArY";
    let mut body = format!(
        "--{boundary}\r\nContent-Disposition: form-data; name=\"logo\"; filename=\"{name}\"\r\nContent-Type: image/jpeg\r\n\r\n"
    )
    .into_bytes();
    body.extend_from_slice(bytes);
    body.extend_from_slice(format!("\r\n--{boundary}--\r\n").as_bytes());
    let req = Request::post(format!("/qs/1/logo?_csrf={}", s.csrf))
        .header(header::COOKIE, &s.cookie)
        .header(
            header::CONTENT_TYPE,
            format!("multipart/form-data; boundary={boundary}"),
        )
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

#[tokio::test]
async fn profile_form_keeps_input_and_shows_errors_inline() {
    let app = app_with(Some(URL));
    let t = trekker(&app);
    let r = app.get("/qs/1", Some(&t)).await;
    assert!(r.body.contains("href=\"/qs/1/profiel\""), "{}", r.body);
    let r = app.get("/qs/1/profiel", Some(&t)).await;
    assert_eq!(r.status.as_u16(), 200);
    assert!(r.body.contains("id=\"f-postcode\""));
    let r = app
        .post_form(
            "/qs/1/profiel",
            &t,
            &[
                ("display_name", "Gemeente Testdorp"),
                ("postcode", "99999"),
                ("contact_email", "griffie-at-testdorp"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.body.contains("error-summary"));
    assert!(r.body.contains("Vul een postcode in als 1234 AB."));
    assert!(r.body.contains("aria-invalid=\"true\""));
    // the input is kept, also the valid fields
    assert!(r.body.contains("value=\"99999\""));
    assert!(r.body.contains("value=\"griffie-at-testdorp\""));
    assert!(r.body.contains("value=\"Gemeente Testdorp\""));
    // nothing was stored
    let p = app.state().db().with(|c| store::profile(c, "1")).unwrap();
    assert_eq!(p, store::Profile::default());
    // a too light colour is darkened, and the trekker is told
    let mut fields = full_profile();
    fields[4] = ("colour", "#ffdd00");
    let r = app.post_form("/qs/1/profiel", &t, &fields).await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    let r = app.get(r.location().unwrap(), Some(&t)).await;
    assert!(r.body.contains("donkerder gemaakt"), "{}", r.body);
    let p = app.state().db().with(|c| store::profile(c, "1")).unwrap();
    assert_eq!(p.postcode, "1234 AB");
    assert_ne!(p.colour, "#ffdd00");
    // the colour reaches the respondent pages as a stylesheet, nothing else
    let css = app.get("/vragenlijst/stijl/1", None).await;
    assert_eq!(css.status.as_u16(), 200);
    assert!(css.body.contains(&p.colour));
    assert_eq!(css.headers[header::CONTENT_TYPE], "text/css; charset=utf-8");
    // another organisation's trekker cannot read or change it
    let other = app.login(&[RoleGrant {
        role: Role::Trekker,
        org: Some("2".into()),
    }]);
    assert_eq!(
        app.get("/qs/1/profiel", Some(&other)).await.status.as_u16(),
        403
    );
    assert_eq!(
        app.post_form("/qs/1/profiel", &other, &fields)
            .await
            .status
            .as_u16(),
        403
    );
}

#[tokio::test]
async fn logo_upload_is_checked_and_served_safely() {
    let app = app_with(Some(URL));
    let t = trekker(&app);
    // SVG with script: refused inline, nothing stored
    let svg = br#"<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"/>"#;
    let r = upload(&app, &t, "logo.svg", svg).await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.body.contains("geen PNG of JPEG"), "{}", r.body);
    assert!(r.body.contains("id=\"f-logo-error\""));
    assert_eq!(
        app.get("/vragenlijst/logo/1", None).await.status.as_u16(),
        404
    );
    // 5 MB: refused without reading it all
    let big = vec![0u8; 5 * 1024 * 1024];
    let r = upload(&app, &t, "groot.png", &big).await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.body.contains("200 kB"), "{}", r.body);
    // a PNG named .jpg and sent as image/jpeg is stored and served as PNG
    let r = upload(&app, &t, "logo.jpg", PNG).await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    let r = app.get("/vragenlijst/logo/1", None).await;
    assert_eq!(r.status.as_u16(), 200);
    assert_eq!(r.headers[header::CONTENT_TYPE], "image/png");
    assert_eq!(r.headers[header::X_CONTENT_TYPE_OPTIONS], "nosniff");
    assert!(
        r.headers[header::CONTENT_SECURITY_POLICY]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    // a polyglot: PNG with HTML after its end
    let mut poly = PNG.to_vec();
    poly.extend_from_slice(b"<html><script>alert(1)</script>");
    let r = upload(&app, &t, "logo.png", &poly).await;
    assert_eq!(r.status.as_u16(), 422);
    // the earlier logo stays
    assert_eq!(
        app.get("/vragenlijst/logo/1", None).await.status.as_u16(),
        200
    );
    let r = app.post_form("/qs/1/logo/verwijderen", &t, &[]).await;
    assert_eq!(r.status.as_u16(), 303);
    assert_eq!(
        app.get("/vragenlijst/logo/1", None).await.status.as_u16(),
        404
    );
}

#[tokio::test]
async fn without_public_url_the_dashboard_warns_and_nothing_guesses_an_address() {
    let app = app_with(None);
    let t = trekker(&app);
    let id = scan(&app, &[ScanStatus::Open]);
    let base = format!("/qs/1/scans/{id}");
    let r = app.get(&base, Some(&t)).await;
    assert!(
        r.body
            .contains("Het webadres van de server is niet ingesteld; links in e-mails en brieven werken dan niet"),
        "{}",
        r.body
    );
    let r = app
        .post_form(&format!("{base}/briefcodes"), &t, &[("n", "2")])
        .await;
    assert_eq!(r.status.as_u16(), 409);
    assert!(!r.body.contains("127.0.0.1"));
    assert!(!r.body.contains("localhost"));
    assert!(r.body.contains("--public-url"));
    app.state()
        .db()
        .with(|c| {
            store::import_respondents(c, id, "naam;email;groep\nA;a@testdorp.nl;raad\n").map(drop)
        })
        .unwrap();
    let r = app
        .post_form(&format!("{base}/uitnodigen"), &t, &[("bevestigd", "ja")])
        .await;
    assert_eq!(r.status.as_u16(), 409, "{}", r.body);
    let outbox = app.state().db().with(|c| store::outbox(c, id)).unwrap();
    assert!(outbox.is_empty(), "no mail without a public address");
    // with the address set there is no warning
    let app = app_with(Some(URL));
    let t = trekker(&app);
    let id = scan(&app, &[ScanStatus::Open]);
    let r = app.get(&format!("/qs/1/scans/{id}"), Some(&t)).await;
    assert!(!r.body.contains("niet ingesteld"));
}

#[tokio::test]
async fn letters_carry_the_full_address_logo_date_contact_and_privacy_line() {
    let app = app_with(Some(URL));
    let t = trekker(&app);
    let r = app.post_form("/qs/1/profiel", &t, &full_profile()).await;
    assert_eq!(r.status.as_u16(), 303);
    assert_eq!(upload(&app, &t, "logo.png", PNG).await.status.as_u16(), 303);
    let id = scan(&app, &[ScanStatus::Open]);
    let r = app
        .post_form(&format!("/qs/1/scans/{id}/briefcodes"), &t, &[("n", "3")])
        .await;
    assert_eq!(r.status.as_u16(), 200, "{}", r.body);
    let b = &r.body;
    assert_eq!(b.matches("class=\"qs-letter\"").count(), 3);
    for want in [
        "https://stembus.testdorp.nl/vragenlijst/code",
        &format!("https://stembus.testdorp.nl/vragenlijst/privacy/{id}"),
        "src=\"/vragenlijst/logo/1\"",
        "Gemeente Testdorp",
        "Raadhuisplein 1",
        "1234 AB Testdorp",
        &Day::today().long_nl(),
        "griffie@testdorp.nl",
        "14 0123",
    ] {
        assert!(b.contains(want), "{want} not in letter");
    }
    assert!(!b.contains("127.0.0.1"));
    // no deadline is invented while the scan has no closing date
    assert!(b.contains("geen uiterste datum"));
}

#[tokio::test]
async fn respondent_pages_show_the_organisation_not_stembus() {
    let app = app_with(Some(URL));
    let t = trekker(&app);
    app.post_form("/qs/1/profiel", &t, &full_profile()).await;
    upload(&app, &t, "logo.png", PNG).await;
    let id = scan(&app, &[]);
    app.post_form(
        &format!("/qs/1/scans/{id}/maatwerk"),
        &t,
        &[("text_nl", "Ik ken de wijkwethouder."), ("kind", "scale")],
    )
    .await;
    app.state()
        .db()
        .with(|c| store::advance(c, id, ScanStatus::Open, Day::today()))
        .unwrap();
    let (public, parts) = app
        .state()
        .db()
        .with(|c| {
            let s = store::scan(c, id)?;
            let q = store::scan_questionnaire(c, &s)?;
            Ok::<_, store::Error>((s.public_code, q.themes.len()))
        })
        .unwrap();
    let r = app
        .get(&format!("/vragenlijst/p/{public}?lang=en"), None)
        .await;
    assert_eq!(r.status.as_u16(), 200);
    let b = &r.body;
    // the part count comes from the questionnaire (8 with a maatwerk part)
    assert_eq!(parts, 8);
    assert!(b.contains(&format!("Er zijn {parts} onderdelen.")), "{b}");
    // the organisation's look, not Stembus's navigation
    assert!(b.contains("<html lang=\"nl\">"));
    assert!(b.contains("src=\"/vragenlijst/logo/1\""));
    assert!(b.contains("href=\"/vragenlijst/stijl/1\""));
    assert!(b.contains(&format!("href=\"/vragenlijst/privacy/{id}\"")));
    assert!(b.contains("griffie@testdorp.nl"));
    for absent in [
        "Verkiezingen",
        "Gegevens voor ontwikkelaars",
        "English",
        "Inloggen",
        "lang=\"en\"",
    ] {
        assert!(!b.contains(absent), "{absent} on the respondent page");
    }
    // a step page too
    let r = app
        .post_form(
            &format!("/vragenlijst/p/{public}"),
            &TestApp::anonymous(),
            &[],
        )
        .await;
    let step = app.get(r.location().unwrap(), None).await;
    assert!(step.body.contains(&format!("Stap 1 van {parts}")));
    assert!(step.body.contains("src=\"/vragenlijst/logo/1\""));
    assert!(!step.body.contains("Verkiezingen"));
    // the code form and the thanks page: no Stembus menu either
    for path in ["/vragenlijst/code", "/vragenlijst/bedankt"] {
        let r = app.get(path, None).await;
        assert!(!r.body.contains("Verkiezingen"), "{path}");
        assert!(r.body.contains("<html lang=\"nl\">"), "{path}");
    }
    // the thanks page after sending carries the scan's look
    let r = app.get(&format!("/vragenlijst/bedankt/{id}"), None).await;
    assert!(r.body.contains("src=\"/vragenlijst/logo/1\""));
    assert!(r.body.contains("Bedankt voor uw antwoorden"));
    // the trekker's pages are Dutch only: no toggle, lang="nl" whatever is asked
    let r = app.get("/qs/1?lang=en", Some(&t)).await;
    assert!(r.body.contains("<html lang=\"nl\">"));
    assert!(!r.body.contains("class=\"lang-toggle\""));
}

#[tokio::test]
async fn privacy_statement_names_controller_purpose_retention_rights_and_ap() {
    let app = app_with(Some(URL));
    let t = trekker(&app);
    let id = scan(&app, &[]);
    // without a profile: says the contact is missing, invents nothing
    let r = app.get(&format!("/vragenlijst/privacy/{id}"), None).await;
    assert_eq!(r.status.as_u16(), 200);
    assert!(r.body.contains("nog geen contactgegevens"));
    app.post_form("/qs/1/profiel", &t, &full_profile()).await;
    let r = app.get(&format!("/vragenlijst/privacy/{id}"), None).await;
    let b = &r.body;
    for want in [
        "Gemeente Testdorp is verantwoordelijk",
        "Raadhuisplein 1, 1234 AB Testdorp",
        "Waarom vragen wij dit?",
        "geen IP-adressen",
        "nooit uw naam, e-mailadres",
        "92 dagen nadat de vragenlijst sluit",
        "fg@testdorp.nl",
        "griffie@testdorp.nl",
        "Autoriteit Persoonsgegevens",
        "https://www.autoriteitpersoonsgegevens.nl",
    ] {
        assert!(b.contains(want), "{want} not in the privacy statement");
    }
    assert!(!b.contains("Verkiezingen"));
    assert_eq!(
        app.get("/vragenlijst/privacy/999", None)
            .await
            .status
            .as_u16(),
        404
    );
}

#[tokio::test]
async fn a_closed_scan_says_so_with_its_date_used_and_unknown_codes_keep_their_messages() {
    let app = app_with(Some(URL));
    let id = scan(&app, &[ScanStatus::Open]);
    let (letter, used, token) = app
        .state()
        .db()
        .with(|c| {
            let codes = store::create_letter_codes(c, id, 2)?;
            store::import_respondents(c, id, "naam;email;groep\nA;a@testdorp.nl;raad\n")?;
            let inv = store::invitations(c, id)?.remove(0);
            let token = store::issue_link(c, inv.id)?;
            store::submit(
                c,
                &store::Access::Letter(codes[1].clone()),
                &quickscan::questionnaire::Answers::new(),
                Day::today(),
            )?;
            Ok::<_, store::Error>((codes[0].clone(), codes[1].clone(), token))
        })
        .unwrap();
    let anon = TestApp::anonymous();
    // a used code
    let r = app
        .post_form("/vragenlijst/code", &anon, &[("code", &used)])
        .await;
    assert!(r.body.contains("al gebruikt"), "{}", r.body);
    // an unknown code
    let r = app
        .post_form("/vragenlijst/code", &anon, &[("code", "AAAA-BBBB-CCCC")])
        .await;
    assert!(r.body.contains("kennen we niet"), "{}", r.body);
    app.state()
        .db()
        .with(|c| store::advance(c, id, ScanStatus::Closed, Day::today()))
        .unwrap();
    let closed = format!("Deze vragenlijst is gesloten op {}", Day::today().long_nl());
    let r = app
        .post_form("/vragenlijst/code", &anon, &[("code", &letter)])
        .await;
    assert!(r.body.contains(&closed), "{}", r.body);
    assert!(!r.body.contains("al verstuurd"));
    let r = app.get(&format!("/vragenlijst/i/{token}"), None).await;
    assert!(r.body.contains(&closed), "{}", r.body);
    let r = app
        .get(&format!("/vragenlijst/i/{token}/stap/1"), None)
        .await;
    assert!(r.body.contains(&closed), "{}", r.body);
    let public = app
        .state()
        .db()
        .with(|c| store::scan(c, id).map(|s| s.public_code))
        .unwrap();
    let r = app.get(&format!("/vragenlijst/p/{public}"), None).await;
    assert!(r.body.contains(&closed), "{}", r.body);
}

#[tokio::test]
async fn adding_an_organisation_shows_errors_inline_and_never_renames_one() {
    let app = app_with(Some(URL));
    let beheer = app.login_as(Role::Beheer);
    let r = app
        .post_form(
            "/qs/organisaties",
            &beheer,
            &[
                ("id", "Test dorp!"),
                ("name", "Gemeente Nieuw"),
                ("kind", "provincie"),
            ],
        )
        .await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.body.contains("error-summary"));
    assert!(r.body.contains("value=\"test dorp!\""));
    assert!(r.body.contains("value=\"Gemeente Nieuw\""));
    assert!(r.body.contains("value=\"provincie\" checked"));
    // an existing short name is refused, not silently renamed
    let r = app
        .post_form(
            "/qs/organisaties",
            &beheer,
            &[("id", "1"), ("name", "Overgenomen"), ("kind", "gemeente")],
        )
        .await;
    assert_eq!(r.status.as_u16(), 422);
    assert!(r.body.contains("bestaat al"));
    let o = app.state().db().with(|c| store::org(c, "1")).unwrap();
    assert_eq!(o.name, "Gemeente Testdorp");
    let r = app
        .post_form(
            "/qs/organisaties",
            &beheer,
            &[
                ("id", "nieuw"),
                ("name", "Gemeente Nieuw"),
                ("kind", "gemeente"),
            ],
        )
        .await;
    assert_eq!(r.location(), Some("/qs/nieuw"));
}
