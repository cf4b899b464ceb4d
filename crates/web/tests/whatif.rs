//! What-if input: every parameter that cannot be used is a 400 in the API naming it, and an
//! error on the page with the field marked; nothing is capped or ignored silently; the answer
//! says in one sentence what changed.

#![allow(clippy::many_single_char_names)]

use axum::http::StatusCode;
use webkit::testing::TestApp;

const GR: &str = web::demo::GR_ID;

fn json(body: &str) -> serde_json::Value {
    serde_json::from_str(body).unwrap_or_else(|e| panic!("{e}: {body}"))
}

#[tokio::test]
async fn api_refuses_bad_what_if_input_naming_the_parameter() {
    let app = TestApp::new(vec![web::module()]);
    let gr = web::demo::gemeente();
    let votes_1: u64 = gr
        .counts
        .iter()
        .filter(|c| c.party == 1 && c.position > 0)
        .map(|c| c.votes)
        .sum();
    for (query, param, words) in [
        ("v1=abc", "v1", "geen heel getal"),
        ("v1=-5", "v1", "negatief"),
        ("v1=", "v1", "vul een aantal"),
        ("v1=1,5", "v1", "geen heel getal"),
        ("v1=2000000000000", "v1", "maximum"),
        ("v99=5", "v99", "geen lijst 99"),
        ("vx=5", "vx", "bestaat niet"),
        ("foo=1", "foo", "bestaat niet"),
        ("van=1&naar=1&aantal=5", "naar", "andere lijst"),
        ("van=1&naar=2", "aantal", "alle drie"),
        ("van=1&naar=2&aantal=0", "aantal", "1 stem of meer"),
        (
            "van=1&naar=2&aantal=99999999",
            "aantal",
            "meer kunt u niet verschuiven",
        ),
        ("van=x&naar=2&aantal=5", "van", "geen lijst"),
        ("lot=dobbelsteen", "lot", "loting"),
    ] {
        let r = app
            .get(&format!("/api/elections/{GR}/what-if?{query}"), None)
            .await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{query}: {}", r.body);
        let e = json(&r.body)["error"].as_str().unwrap().to_string();
        assert!(
            e.starts_with(&format!("Parameter {param}: ")),
            "{query}: {e}"
        );
        assert!(e.contains(words), "{query}: {e}");
    }
    // The cap is explained with the list's own number of votes.
    let r = app
        .get(
            &format!("/api/elections/{GR}/what-if?van=1&naar=2&aantal=99999999"),
            None,
        )
        .await;
    let e = json(&r.body)["error"].as_str().unwrap().to_string();
    assert!(
        e.contains(&webkit::fmt::int(webkit::Lang::Nl, votes_1)),
        "{e} names the {votes_1} votes of list 1"
    );
    // Thousands separators are fine; `lang` is allowed.
    let r = app
        .get(
            &format!("/api/elections/{GR}/what-if?v3=2.500&lang=en"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let v = json(&r.body);
    let row = v["lists"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["number"] == 3)
        .unwrap();
    assert_eq!(row["votes"], 2500);
}

#[tokio::test]
async fn what_if_says_in_one_sentence_what_changed() {
    let app = TestApp::new(vec![web::module()]);
    // The demo Tweede Kamer has no tie, so moving a quarter of list 1's votes moves seats.
    let tk = web::model::Loaded::new(web::demo::tweede_kamer());
    let (a, b) = (&tk.election.parties[0].name, &tk.election.parties[1].name);
    let count = tk.election.parties[0].votes() / 4;
    let nl = webkit::fmt::int(webkit::Lang::Nl, count);
    let en = webkit::fmt::int(webkit::Lang::En, count);
    let tk_id = web::demo::TK_ID;
    let r = app
        .get(
            &format!("/api/elections/{tk_id}/what-if?van=1&naar=2&aantal={count}"),
            None,
        )
        .await;
    let v = json(&r.body);
    let s = v["summary"].as_str().unwrap();
    assert!(
        s.starts_with(&format!("{nl} stemmen van {a} naar {b}: ")),
        "{s}"
    );
    let gained: Vec<String> = v["lists"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r["seats"].as_u64() != r["seats_before"].as_u64())
        .map(|r| {
            let d = r["seats"].as_i64().unwrap() - r["seats_before"].as_i64().unwrap();
            format!(
                "{} {}{}",
                r["name"].as_str().unwrap(),
                if d > 0 { "+" } else { "−" },
                d.abs()
            )
        })
        .collect();
    assert!(!gained.is_empty(), "a quarter of list 1 moves a seat");
    for g in &gained {
        assert!(s.contains(g.as_str()), "{s} has {g}");
    }
    assert!(
        v["summary_en"]
            .as_str()
            .unwrap()
            .starts_with(&format!("{en} votes from {a} to {b}: ")),
        "{v}"
    );

    // The page shows the same sentence.
    let r = app
        .get(
            &format!("/verkiezingen/{tk_id}/wat-als?van=1&naar=2&aantal={count}"),
            None,
        )
        .await;
    assert!(
        r.body.contains(&format!("{nl} stemmen van {a} naar {b}: ")),
        "page sentence"
    );
    // With a tie the sentence says a lot is needed.
    let r = app
        .get(&format!("/api/elections/{GR}/what-if?v2=1699"), None)
        .await;
    let s = json(&r.body)["summary"].as_str().unwrap().to_string();
    assert!(
        s.ends_with("er is een loting nodig om de zetels te verdelen."),
        "{s}"
    );
    // Changing one list's votes, with no seat change.
    let r = app
        .get(&format!("/api/elections/{GR}/what-if?v6=1"), None)
        .await;
    let s = json(&r.body)["summary"].as_str().unwrap().to_string();
    assert!(
        s.contains(" naar 1 stemmen") || s.contains("de zetels blijven gelijk"),
        "{s}"
    );
    let r = app.get(&format!("/api/elections/{GR}/what-if"), None).await;
    assert!(
        json(&r.body)["summary"]
            .as_str()
            .unwrap()
            .starts_with("Dit is de echte uitslag")
    );
}

#[tokio::test]
async fn page_shows_errors_at_the_fields_and_keeps_what_was_typed() {
    let app = TestApp::new(vec![web::module()]);
    let r = app
        .get(
            &format!("/verkiezingen/{GR}/wat-als?v1=abc&van=2&naar=2&aantal=5"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK);
    assert!(r.body.contains("class=\"error-summary\""), "error summary");
    assert!(
        r.body.contains("href=\"#f-v1\""),
        "the summary links to the field"
    );
    assert!(r.body.contains("href=\"#f-naar\""));
    assert!(r.body.contains("value=\"abc\""), "what was typed stays");
    assert!(r.body.contains("id=\"f-v1-error\""));
    assert!(
        !r.body.contains("table class=\"data\" id=\"wat-als\""),
        "no answer to a bad question"
    );
    // The CSV of a bad question is a 400, not the real result.
    let r = app
        .get(&format!("/verkiezingen/{GR}/csv/wat-als?v1=abc"), None)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}
