//! Finding things: `/zoeken`, `/api/search`, the search box on every page, the home page
//! grouped by election type and year, and the page per gemeente with seat changes.

use axum::http::StatusCode;
use webkit::testing::TestApp;

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

fn app() -> TestApp {
    TestApp::new(vec![web::module()])
}

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

fn group<'a>(v: &'a serde_json::Value, kind: &str) -> &'a serde_json::Value {
    v["groups"]
        .as_array()
        .expect("groups")
        .iter()
        .find(|g| g["kind"] == kind)
        .unwrap_or_else(|| panic!("no {kind} group in {v}"))
}

#[tokio::test]
async fn search_finds_gemeenten_candidates_parties_without_case_or_accents() {
    let app = app();
    let gr = web::demo::gemeente();
    let cand = &gr.parties[1].lists[0].candidates[2];
    let surname = cand.name.split_whitespace().last().unwrap().to_string();
    // The surname's first three letters, in capitals: prefix and case-insensitive.
    let prefix: String = surname.chars().take(3).collect::<String>().to_uppercase();

    let r = app
        .get(
            &format!("/api/search?q={}", webkit::layout::url_encode(&prefix)),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = json(&r.body);
    let hits = group(&v, "candidate")["results"]
        .as_array()
        .unwrap()
        .clone();
    let hit = hits
        .iter()
        .find(|h| h["name"] == cand.name.as_str() && h["election"]["id"] == web::demo::GR_ID)
        .unwrap_or_else(|| panic!("{} not in {hits:?}", cand.name));
    assert_eq!(hit["list"], gr.parties[1].number);
    assert_eq!(hit["position"], cand.position);
    assert!(
        hit["href"]
            .as_str()
            .unwrap()
            .starts_with("/verkiezingen/demo-gr-lindewaarde/kandidaten")
    );

    // Accents and case do not matter: "LÎNDÉ" finds the gemeente Lindewaarde.
    let r = app.get("/api/search?q=L%C3%8END%C3%89", None).await;
    let v = json(&r.body);
    let areas = group(&v, "area");
    assert!(
        areas["results"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a["href"] == "/gemeenten/lindewaarde" && a["level"] == "gemeente"),
        "{areas}"
    );
    // Elections by a word of their name, parties by theirs.
    let r = app.get("/api/search?q=gemeenteraad+linde", None).await;
    let v = json(&r.body);
    assert_eq!(
        group(&v, "election")["results"][0]["href"],
        "/verkiezingen/demo-gr-lindewaarde"
    );
    let party = &gr.parties[0].name;
    let first_word = party.split_whitespace().next().unwrap();
    let r = app
        .get(
            &format!("/api/search?q={}", webkit::layout::url_encode(first_word)),
            None,
        )
        .await;
    let v = json(&r.body);
    assert!(group(&v, "party")["total"].as_u64().unwrap() >= 1, "{v}");

    // The page shows the same, grouped, with links.
    let r = app
        .get(
            &format!("/zoeken?q={}", webkit::layout::url_encode(&prefix)),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains(&cand.name), "{}", r.body);
    assert!(r.body.contains("<h2>Kandidaten"), "grouped by kind");
    assert!(
        r.body.contains("role=\"status\""),
        "the number found is announced"
    );
    let r = app.get("/zoeken?q=qqqzzz", None).await;
    assert!(r.body.contains("Niets gevonden"));
    let r = app.get("/zoeken", None).await;
    assert_eq!(r.status, StatusCode::OK);
}

#[tokio::test]
async fn search_api_names_bad_parameters() {
    let app = app();
    for (q, param) in [
        ("/api/search", "q"),
        ("/api/search?q=+", "q"),
        ("/api/search?q=a&limit=0", "limit"),
        ("/api/search?q=a&limit=abc", "limit"),
        ("/api/search?q=a&limit=101", "limit"),
    ] {
        let r = app.get(q, None).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{q}");
        let v = json(&r.body);
        assert!(
            v["error"]
                .as_str()
                .unwrap()
                .starts_with(&format!("Parameter {param}:")),
            "{q}: {v}"
        );
    }
    // A very long query is cut, not refused; it finds nothing and costs little.
    let long = "a".repeat(10_000);
    let r = app.get(&format!("/api/search?q={long}"), None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert_eq!(json(&r.body)["total"], 0);
}

#[tokio::test]
async fn every_page_has_the_search_box_and_home_is_grouped() {
    let app = app();
    for path in [
        "/",
        "/verkiezingen/demo-tk",
        "/api",
        "/login",
        "/zoeken?q=x",
    ] {
        let r = app.get(path, None).await;
        assert!(
            r.body.contains(
                r#"<form class="site-search" role="search" aria-label="Snel zoeken" method="get" action="/zoeken">"#
            ),
            "{path}"
        );
    }
    let r = app.get("/", None).await;
    // Newest first: the demo Tweede Kamer (2027) before the demo gemeenteraad (2026).
    let tk = r.body.find("<h2>Tweede Kamer 2027").expect("TK group");
    let gr = r.body.find("<h2>Gemeenteraad 2026").expect("GR group");
    assert!(tk < gr);
    let r = app.get("/?lang=en", None).await;
    assert!(r.body.contains("<h2>Municipal council 2026"), "{}", r.body);
}

/// The gemeente page compares the council with the previous council election of the same
/// gemeente: here a copy of the demo, four years earlier, with other votes.
#[tokio::test]
async fn gemeente_page_shows_seat_changes_against_the_previous_council() {
    let app = app();
    let r = app.get("/gemeenten/lindewaarde", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(
        r.body.contains("geen eerdere gemeenteraadsverkiezing"),
        "{}",
        r.body
    );
    assert!(!r.body.contains("Verschil"));

    let mut old = web::demo::gemeente();
    old.id = "gr2022-lindewaarde".into();
    old.name = "Gemeenteraad Lindewaarde 2022".into();
    old.date = "2022-03-16".into();
    old.lots.clear();
    old.source = web::model::Source::Import;
    // In "2022" the first list had a third of its votes, so it gained seats since.
    let first = old.parties[0].number;
    for c in old.counts.iter_mut().filter(|c| c.party == first) {
        c.votes /= 3;
    }
    app.state()
        .db()
        .with(|c| web::store::save(c, &old))
        .unwrap();
    // The app forgets what it knows on import, delete or demo reset (written behind its
    // back here): reset the demo.
    let r = app
        .post_form(
            "/beheer/demo-herstellen",
            &app.login_as(webkit::Role::Beheer),
            &[],
        )
        .await;
    assert!(r.status.is_redirection(), "{}", r.status);
    let r = app.get("/gemeenten/lindewaarde", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Verschil"), "{}", r.body);
    assert!(r.body.contains("Zetels 2026"));
    assert!(r.body.contains("Zetels 2022"));
    assert!(r.body.contains(">+"), "a party gained");
    assert!(r.body.contains(">−"), "a party lost");
    assert!(r.body.contains("/verkiezingen/gr2022-lindewaarde/gebied/"));
    assert!(app.get("/gemeenten/nergensdorp", None).await.status == StatusCode::NOT_FOUND);
}

/// With the official TK2021 bundle: a candidate on the lists of all 20 kieskringen is found
/// once, with list, position and woonplaats; gemeenten with accents and apostrophes.
#[tokio::test]
async fn tk2021_search_finds_rutte_once_and_gemeenten() {
    const ZIP: &str = "TK2021/EML_bestanden_TK2021_deel_1.zip";
    let Some(zip) = shared_data(ZIP).map(|d| d.join(ZIP)) else {
        return;
    };
    let app = app();
    app.state()
        .db()
        .with(|c| web::import::import_paths(c, std::slice::from_ref(&zip), "test"))
        .unwrap();
    let v = json(&app.get("/api/search?q=rutte+m", None).await.body);
    let c = group(&v, "candidate");
    let ruttes: Vec<&serde_json::Value> = c["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["election"]["id"] == "tk2021" && r["name"] == "Rutte, M.")
        .collect();
    assert_eq!(ruttes.len(), 1, "{c}");
    assert_eq!(ruttes[0]["list"], 1);
    assert_eq!(ruttes[0]["position"], 1);
    assert!(
        ruttes[0]["detail"]
            .as_str()
            .unwrap()
            .contains("'s-Gravenhage")
    );
    assert!(ruttes[0]["detail"].as_str().unwrap().contains("1 VVD"));

    for (q, name) in [
        ("sudwest fryslan", "Súdwest-Fryslân"),
        ("s-hertogenbosch", "'s-Hertogenbosch"),
        ("HERTOGENBOSCH", "'s-Hertogenbosch"),
    ] {
        let v = json(
            &app.get(
                &format!("/api/search?q={}", webkit::layout::url_encode(q)),
                None,
            )
            .await
            .body,
        );
        assert_eq!(group(&v, "area")["results"][0]["name"], name, "{q}: {v}");
    }
    // The candidates page names them in full: the list's initials with the first name from
    // the 230b, and the woonplaats.
    let r = app.get("/verkiezingen/tk2021/kandidaten", None).await;
    assert!(
        r.body.contains("Rutte, M. (Mark)"),
        "first name from the 230b"
    );
    assert!(r.body.contains("&#39;s-Gravenhage") || r.body.contains("'s-Gravenhage"));
    let r = app.get("/gemeenten/sudwest-fryslan", None).await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("Tweede Kamer der Staten-Generaal 2021"));
}
