//! The election pages, CSV and API through the full router, on the built-in demo.

use axum::http::StatusCode;
use kieswet::{Apportionment, Step};
use webkit::Role;
use webkit::testing::TestApp;

fn app() -> TestApp {
    TestApp::new(vec![web::module()])
}

#[test]
fn gemeente_demo_has_p9_and_a_recorded_lot() {
    let l = web::model::Loaded::new(web::demo::gemeente());
    let Ok(Apportionment::Complete(o)) = &l.outcome else {
        panic!("{:?}", l.outcome)
    };
    assert!(o.steps.iter().any(|s| s.article() == "P 9"), "P 9 step");
    assert!(
        o.steps.iter().any(|s| matches!(s, Step::Lot(_))),
        "lot step"
    );
    assert_eq!(o.lots_used, 1);
    let seats: Vec<u32> = o.parties.iter().map(|p| p.seats).collect();
    assert_eq!(seats.iter().sum::<u32>(), 15);
    assert_eq!(seats[0], 8, "absolute majority gets 8 of 15");
    assert!(
        o.elected
            .iter()
            .any(|e| e.by == kieswet::ElectedBy::Preference && e.position > 8),
        "a preference seat low on the list"
    );
    assert!(
        o.rankings
            .as_deref()
            .expect("the web app asks for the ranking")
            .iter()
            .flat_map(|(_, r)| r)
            .any(|r| r.above_threshold && !r.elected)
    );
}

#[test]
fn tk_demo_is_complete_with_groups() {
    let l = web::model::Loaded::new(web::demo::tweede_kamer());
    let Ok(Apportionment::Complete(o)) = &l.outcome else {
        panic!("{:?}", l.outcome)
    };
    assert_eq!(o.parties.iter().map(|p| p.seats).sum::<u32>(), 150);
    assert_eq!(o.elected.len(), 150);
    assert!(
        o.steps.iter().any(|s| s.article().starts_with("P 12")),
        "lijstengroep split"
    );
    let kieskringen = l
        .units
        .iter()
        .filter(|u| u.data.level == web::model::Level::Kieskring)
        .count();
    assert_eq!(kieskringen, 20);
    assert!(
        l.units
            .iter()
            .filter(|u| u.data.level == web::model::Level::Stembureau)
            .count()
            > 100
    );
    assert!(l.margins().is_ok());
    assert_eq!(l.reform().len(), 3);
}

#[tokio::test]
async fn every_page_renders() {
    let app = app();
    let home = app.get("/", None).await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(
        home.body.contains("Gemeenteraad Lindewaarde (demo)")
            && home.body.contains("Tweede Kamer (demo)")
    );
    for id in [web::demo::GR_ID, web::demo::TK_ID] {
        for sub in [
            "",
            "/berekening",
            "/kandidaten",
            "/wat-als",
            "/marges",
            "/hervorming",
            "/wat-als?v1=1000&van=2&naar=3&aantal=50",
        ] {
            let path = format!("/verkiezingen/{id}{sub}");
            let r = app.get(&path, None).await;
            assert_eq!(
                r.status,
                StatusCode::OK,
                "{path}: {}",
                &r.body[..r.body.len().min(500)]
            );
            assert!(r.body.contains("<main"), "{path}");
        }
        let r = app.get(&format!("/verkiezingen/{id}/gebied"), None).await;
        assert_eq!(r.status, StatusCode::SEE_OTHER);
        let root = r.location().unwrap().to_string();
        let r = app.get(&root, None).await;
        assert_eq!(r.status, StatusCode::OK);
        assert!(r.body.contains("data-sortable"));
    }
    let en = app
        .get(&format!("/verkiezingen/{}?lang=en", web::demo::GR_ID), None)
        .await;
    assert!(en.body.contains("Seat distribution"));
    assert_eq!(
        app.get("/verkiezingen/bestaat-niet", None).await.status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn proof_shows_articles_and_fractions() {
    let app = app();
    let r = app
        .get(
            &format!("/verkiezingen/{}/berekening", web::demo::GR_ID),
            None,
        )
        .await;
    // (The lot's badge names the article its text cites: tests/readable.rs.)
    for needle in ["P 5", "P 6", "P 8", "P 9", "1.000"] {
        assert!(r.body.contains(needle), "missing {needle}");
    }
    // Remainders with exact and rounded values.
    assert!(r.body.contains("635"));
}

#[tokio::test]
async fn drill_down_and_csv() {
    let app = app();
    let id = web::demo::TK_ID;
    let kk = app
        .get(&format!("/verkiezingen/{id}/gebied/KK01"), None)
        .await;
    assert_eq!(kk.status, StatusCode::OK);
    assert!(kk.body.contains("KK01-G1"), "links to gemeenten");
    let sb = app
        .get(&format!("/verkiezingen/{id}/gebied/KK01-G1-S1"), None)
        .await;
    assert!(sb.body.contains("Stemmen per kandidaat"));
    let csv = app
        .get(&format!("/verkiezingen/{id}/csv/lijsten"), None)
        .await;
    assert_eq!(csv.status, StatusCode::OK);
    assert!(
        csv.headers["content-type"]
            .to_str()
            .unwrap()
            .starts_with("text/csv")
    );
    assert!(csv.body.contains("Partij voor de Polder"));
    for t in [
        "gekozen",
        "marges",
        "hervorming",
        "ranking-1",
        "stap-2",
        "gebied-NL-onderdelen",
        "gebied-KK01-partijen",
        "gebied-KK01-G1-S1-kandidaten",
    ] {
        let r = app.get(&format!("/verkiezingen/{id}/csv/{t}"), None).await;
        assert_eq!(r.status, StatusCode::OK, "{t}");
        assert!(r.body.lines().count() > 1, "{t}");
    }
    let r = app
        .get(
            &format!("/verkiezingen/{id}/csv/boven-drempel-niet-gekozen"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    let r = app
        .get(&format!("/verkiezingen/{id}/csv/wat-als?v1=0"), None)
        .await;
    assert!(r.body.contains("Partij voor de Polder,"));
    // Every table on a page links a CSV that works.
    let page = app
        .get(&format!("/verkiezingen/{id}/gebied/KK01-G1"), None)
        .await;
    for href in page
        .body
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .filter(|h| h.contains("/csv/"))
    {
        let href = href.replace("&amp;", "&");
        assert_eq!(app.get(&href, None).await.status, StatusCode::OK, "{href}");
    }
}

#[tokio::test]
async fn what_if_asks_for_a_lot_and_highlights_changes() {
    let app = app();
    let id = web::demo::GR_ID;
    // Unchanged votes use the recorded lot.
    let r = app
        .get(&format!("/verkiezingen/{id}/wat-als?v1=7600"), None)
        .await;
    assert!(!r.body.contains("Er is een loting nodig"));
    // Changing an unrelated list keeps the tie between 4 and 5: the user must choose.
    let r = app
        .get(&format!("/verkiezingen/{id}/wat-als?v2=1699"), None)
        .await;
    assert!(r.body.contains("Er is een loting nodig"), "lot needed");
    assert!(r.body.contains("value=\"party:4\"") && r.body.contains("value=\"party:5\""));
    let r = app
        .get(
            &format!("/verkiezingen/{id}/wat-als?v2=1699&lot=party:5"),
            None,
        )
        .await;
    assert!(!r.body.contains("Er is een loting nodig"));
    // Taking votes from the majority list changes seats.
    let r = app
        .get(
            &format!("/verkiezingen/{id}/wat-als?van=1&naar=2&aantal=1000"),
            None,
        )
        .await;
    assert!(
        r.body.contains("class=\"num changed\""),
        "changed seats highlighted"
    );
    let api = app
        .get(&format!("/api/elections/{id}/what-if?v2=1699"), None)
        .await;
    let v: serde_json::Value = serde_json::from_str(&api.body).unwrap();
    assert_eq!(v["lot_required"]["options"].as_array().unwrap().len(), 2);
}

#[tokio::test]
async fn api_and_openapi() {
    let app = app();
    let r = app.get("/api/openapi.json", None).await;
    let doc: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    assert_eq!(doc["openapi"], "3.0.3");
    for e in web::api::ENDPOINTS {
        assert!(
            doc["paths"][e.path][e.method].is_object(),
            "{} {}",
            e.method,
            e.path
        );
    }
    let list: serde_json::Value =
        serde_json::from_str(&app.get("/api/elections", None).await.body).unwrap();
    assert_eq!(list["elections"].as_array().unwrap().len(), 2);
    for path in [
        "",
        "/result",
        "/candidates",
        "/margins",
        "/reform",
        "/what-if",
        "/units/GM",
    ] {
        let r = app
            .get(&format!("/api/elections/{}{path}", web::demo::GR_ID), None)
            .await;
        assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
        let _: serde_json::Value = serde_json::from_str(&r.body).unwrap();
    }
    let e: serde_json::Value = serde_json::from_str(
        &app.get(&format!("/api/elections/{}", web::demo::GR_ID), None)
            .await
            .body,
    )
    .unwrap();
    assert_eq!(e["lists"][0]["seats"], 8);
    // The P 19 ranking names each candidate; the first of list 1 is its first elected.
    let c: serde_json::Value = serde_json::from_str(
        &app.get(
            &format!("/api/elections/{}/candidates", web::demo::GR_ID),
            None,
        )
        .await
        .body,
    )
    .unwrap();
    let ranking = c["rankings"][0]["ranking"].as_array().unwrap();
    assert!(
        ranking
            .iter()
            .all(|r| r["name"].as_str().is_some_and(|n| !n.is_empty()))
    );
    assert_eq!(ranking[0]["name"], c["elected"][0]["name"]);
    assert_eq!(e["kiesdeler"], "15000/15");
    for path in [
        "/api/elections/nope",
        "/api/elections/nope/units/GM",
        "/verkiezingen/nope/gebied/GM",
        "/verkiezingen/nope/csv/lijsten",
    ] {
        assert_eq!(
            app.get(path, None).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    assert!(
        app.get("/api", None)
            .await
            .body
            .contains("/api/openapi.json")
    );
}

#[tokio::test]
async fn beheer_can_delete_and_reset_demo() {
    let app = app();
    let admin = app.login_as(Role::Beheer);
    let page = app.get("/beheer/verkiezingen", Some(&admin)).await;
    assert_eq!(page.status, StatusCode::OK);
    // The admin page links to a confirmation; only its button (bevestigd=ja) deletes.
    let confirm = format!("/verkiezingen/{}/verwijderen", web::demo::GR_ID);
    assert!(page.body.contains(&format!("href=\"{confirm}\"")));
    let ask = app.get(&confirm, Some(&admin)).await;
    assert_eq!(ask.status, StatusCode::OK);
    assert!(ask.body.contains("Ja, verwijderen"));
    let r = app.post_form(&confirm, &admin, &[]).await;
    assert_eq!(r.location(), Some(confirm.as_str()), "asks first");
    assert_eq!(
        app.get(&format!("/verkiezingen/{}", web::demo::GR_ID), None)
            .await
            .status,
        StatusCode::OK
    );
    let r = app
        .post_form(&confirm, &admin, &[("bevestigd", "ja")])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("/verkiezingen/{}", web::demo::GR_ID), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
    let r = app.post_form("/beheer/demo-herstellen", &admin, &[]).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        app.get(&format!("/verkiezingen/{}", web::demo::GR_ID), None)
            .await
            .status,
        StatusCode::OK
    );
    let r = app
        .post_json(
            &format!("/api/elections/{}", web::demo::TK_ID),
            &admin,
            "{}",
        )
        .await;
    assert_eq!(r.status, StatusCode::METHOD_NOT_ALLOWED);
    let trekker = app.login_as(Role::Trekker);
    assert_eq!(
        app.get("/beheer/verkiezingen", Some(&trekker)).await.status,
        StatusCode::FORBIDDEN
    );
}

#[tokio::test]
async fn security_matrix() {
    let app = app();
    let n = app.assert_security_matrix().await;
    assert!(n >= 11, "webkit + web mutating routes: {n}");
}

/// Issue 15: when P 9 and P 10 both apply, the result page says so plainly (the Kiesraad
/// advises contact in such a case). The demo gemeente with only 7 candidates on list 1: P 9
/// gives it an 8th seat, P 10 passes that seat on again.
#[tokio::test]
async fn p9_with_p10_shows_a_notice_on_the_result_page() {
    let app = app();
    let mut data = web::demo::gemeente();
    data.id = "demo-gr-p9-p10".into();
    data.parties[0].lists[0].candidates.truncate(7);
    // Their votes go to candidate 1 of the same stembureau, so the list keeps its votes.
    let moved: Vec<(String, u64)> = data
        .counts
        .iter()
        .filter(|c| c.party == 1 && c.position > 7)
        .map(|c| (c.unit.clone(), c.votes))
        .collect();
    data.counts.retain(|c| c.party != 1 || c.position <= 7);
    for (unit, votes) in moved {
        let first = data
            .counts
            .iter_mut()
            .find(|c| c.party == 1 && c.position == 1 && c.unit == unit)
            .expect("candidate 1 has votes in every stembureau");
        first.votes += votes;
    }
    // The lot between lists 4 and 5 (equal remainders) is drawn again when list 4's lapsed
    // restzetel is passed on by P 10.
    data.lots = vec![kieswet::LotChoice::Party(4), kieswet::LotChoice::Party(4)];
    let l = web::model::Loaded::new(data.clone());
    let Ok(Apportionment::Complete(o)) = &l.outcome else {
        panic!("{:?}", l.outcome)
    };
    assert_eq!(o.warnings.len(), 1);
    assert_eq!(o.parties[0].seats, 7);
    app.state()
        .db()
        .with(|conn| web::store::save(conn, &data))
        .unwrap();
    let page = app.get("/verkiezingen/demo-gr-p9-p10", None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains(r#"data-code="W-P9-EN-P10""#),
        "{}",
        page.body
    );
    assert!(page.body.contains("artikel P 9 en artikel P 10"));
    assert!(page.body.contains("contact op te nemen met de Kiesraad"));
    // The plain demo has P 9 without P 10: no such notice.
    let demo = app
        .get(&format!("/verkiezingen/{}", web::demo::GR_ID), None)
        .await;
    assert!(!demo.body.contains("W-P9-EN-P10"));
}
