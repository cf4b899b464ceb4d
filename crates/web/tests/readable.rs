//! Names and words on the pages: lists without a name, plurals, the area's name in the
//! title, unit names without repeated prefixes, thousands separators and list names in the
//! proof, error texts without field names, and the CSV in Dutch Excel form.

use axum::http::StatusCode;
use webkit::testing::TestApp;

/// The demo gemeente with a list without a name and a stembureau named twice over, stored
/// under its own id.
fn odd_gemeente(app: &TestApp) -> (String, u32) {
    let mut e = web::demo::gemeente();
    e.id = "gr-leesbaar".into();
    e.source = web::model::Source::Import;
    let nameless = e.parties.last().unwrap().number;
    e.parties.last_mut().unwrap().name = String::new();
    let sb = e
        .units
        .iter_mut()
        .find(|u| u.level == web::model::Level::Stembureau)
        .unwrap();
    sb.name = "Stembureau Stembureau Stembureau Jagtlust".into();
    app.state().db().with(|c| web::store::save(c, &e)).unwrap();
    (e.id, nameless)
}

#[tokio::test]
async fn names_and_words_read_well() {
    let app = TestApp::new(vec![web::module()]);
    let (id, nameless) = odd_gemeente(&app);
    let r = app.get(&format!("/verkiezingen/{id}"), None).await;
    assert_eq!(r.status, StatusCode::OK);
    let label = format!("Lijst {nameless} (zonder aanduiding)");
    assert!(r.body.contains("(zonder aanduiding)"), "lists table");
    assert!(!r.body.contains(&format!("{nameless} ;")));
    let r = app
        .get(&format!("/verkiezingen/{id}/kandidaten"), None)
        .await;
    assert!(r.body.contains(&label), "candidates page names the list");
    assert!(
        r.body.contains("– 1 zetel<") || r.body.contains("– 1 zetel "),
        "1 zetel, not 1 zetels"
    );
    assert!(!r.body.contains(" 1 zetels"));
    assert!(
        !r.body.contains("voorkeursdrempel"),
        "one word: voorkeurdrempel"
    );

    // A stembureau page: its name once, in heading and title.
    let l = web::model::Loaded::new(web::demo::gemeente());
    let sb = l
        .units
        .iter()
        .find(|u| u.data.level == web::model::Level::Stembureau)
        .unwrap();
    let r = app
        .get(&format!("/verkiezingen/{id}/gebied/{}", sb.data.id), None)
        .await;
    assert!(
        r.body.contains(
            "<title>Stembureau Jagtlust – Gemeenteraad Lindewaarde (demo) – Stembus</title>"
        ),
        "{}",
        &r.body[..400]
    );
    assert!(r.body.contains("<h1>Stembureau Jagtlust – "));
    assert!(!r.body.contains("Stembureau Stembureau"));
    assert!(!r.body.contains("<title>Per gebied"));
}

#[tokio::test]
async fn proof_has_thousands_separators_and_list_names_and_is_dutch_only() {
    let app = TestApp::new(vec![web::module()]);
    let tk = web::model::Loaded::new(web::demo::tweede_kamer());
    let total: u64 = tk.election.parties.iter().map(kieswet::Party::votes).sum();
    let r = app
        .get(
            &format!("/verkiezingen/{}/berekening", web::demo::TK_ID),
            None,
        )
        .await;
    let grouped = webkit::fmt::int(webkit::Lang::Nl, total);
    assert!(
        r.body.contains(&grouped),
        "total votes {grouped} in the proof"
    );
    assert!(
        !r.body.contains(&format!(" {total} ")),
        "no ungrouped {total}"
    );
    // The English toggle is not offered for the Dutch-only proof, and ?lang=en stays Dutch.
    let r = app
        .get(
            &format!("/verkiezingen/{}/berekening?lang=en", web::demo::TK_ID),
            None,
        )
        .await;
    assert!(r.body.contains("<html lang=\"nl\">"));
    assert!(!r.body.contains("lang-toggle"));
    assert!(r.body.contains("Berekening"));
}

#[tokio::test]
async fn csv_in_dutch_excel_form_beside_the_machine_form() {
    let app = TestApp::new(vec![web::module()]);
    let gr = web::demo::GR_ID;
    let page = app.get(&format!("/verkiezingen/{gr}"), None).await;
    assert!(page.body.contains(&format!(
        "href=\"/verkiezingen/{gr}/csv/lijsten?vorm=excel\""
    )));
    let machine = app
        .get(&format!("/verkiezingen/{gr}/csv/lijsten"), None)
        .await;
    let excel = app
        .get(&format!("/verkiezingen/{gr}/csv/lijsten?vorm=excel"), None)
        .await;
    assert_eq!(excel.status, StatusCode::OK);
    assert!(excel.body.starts_with('\u{feff}'), "BOM");
    let header = excel.body.lines().next().unwrap();
    assert!(header.contains(';') && !header.contains(','), "{header}");
    // The machine form has a decimal point, the Excel form a decimal comma, same figures.
    let share = |csv: &str, sep: char| -> String {
        csv.lines()
            .nth(1)
            .unwrap()
            .split(sep)
            .nth(3)
            .unwrap()
            .to_string()
    };
    let m = share(&machine.body, ',');
    let x = share(&excel.body, ';');
    assert!(m.contains('.'), "{m}");
    assert_eq!(x, m.replace('.', ","));
    // What-if CSV keeps its question; an unknown form is refused.
    let r = app
        .get(
            &format!("/verkiezingen/{gr}/csv/wat-als?v1=7600&vorm=excel"),
            None,
        )
        .await;
    assert_eq!(r.status, StatusCode::OK, "{}", r.body);
    let r = app
        .get(&format!("/verkiezingen/{gr}/csv/lijsten?vorm=pdf"), None)
        .await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST);
}

/// The badge of a lot step names the article its text cites (it said "P 14" for every lot).
#[tokio::test]
async fn lot_badge_matches_the_article_in_its_text() {
    let app = TestApp::new(vec![web::module()]);
    let r = app
        .get(
            &format!("/verkiezingen/{}/berekening", web::demo::GR_ID),
            None,
        )
        .await;
    let at = r
        .body
        .find("Loting 1 over")
        .expect("the demo has a recorded lot");
    let badge_start =
        r.body[..at].rfind("class=\"article\">").unwrap() + "class=\"article\">".len();
    let badge = &r.body[badge_start..at];
    let article = badge
        .trim_start_matches("Artikel ")
        .split('<')
        .next()
        .unwrap()
        .to_string();
    let text_end = at + r.body[at..].find("</span>").unwrap();
    let text = &r.body[at..text_end];
    assert!(
        text.contains(&format!("(art. {article})")),
        "badge {article}, text {text}"
    );
}
