//! Issue 11, attack 4: the public link cannot be stuffed or blocked. 300 requests from one
//! client leave no drafts, do not raise "gestart", and do not lock out anyone else; a start
//! cannot be made up without the server; "gestart" counts only when something is saved.

use axum::body::Body;
use axum::http::{Request, header};
use quickscan::model::{Day, Group, OrgKind, ScanStatus};
use quickscan::store;
use quickscan::web::{Options, module};
use std::net::IpAddr;
use webkit::testing::{Session, TestApp};

const PER_MINUTE: u32 = 20;

fn app() -> (TestApp, i64, String) {
    app_with(false)
}

fn app_with(public_challenge: bool) -> (TestApp, i64, String) {
    let app = TestApp::new(vec![module(Options {
        public_url: Some(quickscan::links::PublicUrl::parse("http://test").unwrap()),
        public_per_minute: PER_MINUTE,
        public_challenge,
        ..Options::default()
    })]);
    let (id, code) = app
        .state()
        .db()
        .with(|c| {
            store::upsert_org(c, "1", "Gemeente Een", OrgKind::Gemeente)?;
            let id = store::create_scan(c, "1", "Scan", None, Day::today())?;
            store::advance(c, id, ScanStatus::Open, Day::today())?;
            Ok::<_, store::Error>((id, store::scan(c, id)?.public_code))
        })
        .unwrap();
    (app, id, code)
}

/// POSTs a form as a client with address `ip`.
async fn post_from(
    app: &TestApp,
    ip: [u8; 4],
    path: &str,
    s: &Session,
    fields: &str,
) -> webkit::testing::TestResponse {
    let mut req = Request::post(path)
        .header(header::COOKIE, &s.cookie)
        .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
        .body(Body::from(format!("_csrf={}{fields}", s.csrf)))
        .unwrap();
    req.extensions_mut()
        .insert(webkit::ClientAddr(IpAddr::from(ip)));
    app.send(req).await
}

fn drafts_and_started(app: &TestApp, id: i64) -> (i64, u64) {
    app.state()
        .db()
        .with(|c| {
            let d: i64 = c.query_row(
                "SELECT COUNT(*) FROM qs_draft WHERE scan_id = ?1",
                [id],
                |r| r.get(0),
            )?;
            let m = store::monitor(c, id).map_err(|_| rusqlite::Error::InvalidQuery)?;
            Ok::<_, rusqlite::Error>((d, m.groups[&Group::Inwoners].started))
        })
        .unwrap()
}

#[tokio::test]
async fn three_hundred_requests_neither_stuff_nor_block() {
    let (app, id, code) = app();
    let attacker = TestApp::anonymous();
    let path = format!("/vragenlijst/p/{code}");
    let mut ok = 0;
    let mut limited = 0;
    for _ in 0..300 {
        let r = post_from(&app, [203, 0, 113, 7], &path, &attacker, "").await;
        match r.status.as_u16() {
            303 => ok += 1,
            429 => limited += 1,
            s => panic!("status {s}"),
        }
    }
    assert_eq!(
        ok, PER_MINUTE as usize,
        "the attacker's own client is limited"
    );
    assert_eq!(limited, 300 - PER_MINUTE as usize);
    // nothing stored, nothing counted as started
    assert_eq!(drafts_and_started(&app, id), (0, 0));
    // a genuine respondent elsewhere is not locked out
    let anna = TestApp::anonymous();
    let r = post_from(&app, [198, 51, 100, 1], &path, &anna, "").await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    let step1 = r.location().unwrap().to_string();
    assert_eq!(
        drafts_and_started(&app, id),
        (0, 0),
        "starting is not 'gestart'"
    );
    // once she saves an answer, there is one draft and one "gestart"
    let r = post_from(
        &app,
        [198, 51, 100, 1],
        &step1,
        &anna,
        "&part_weten=4&ga=volgende",
    )
    .await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    assert_eq!(drafts_and_started(&app, id), (1, 1));
}

#[tokio::test]
async fn a_start_cannot_be_made_up() {
    let (app, id, code) = app();
    let s = TestApp::anonymous();
    for forged in [
        format!("/vragenlijst/d/{code}.ABCD-EFGH-JKLM.00000000000000000000/stap/1"),
        format!("/vragenlijst/d/{code}.ABCD-EFGH-JKLM/stap/1"),
        "/vragenlijst/d/ABCD-EFGH-JKLM/stap/1".to_string(),
    ] {
        let r = post_from(
            &app,
            [192, 0, 2, 1],
            &forged,
            &s,
            "&part_weten=4&ga=volgende",
        )
        .await;
        assert_eq!(r.status.as_u16(), 404, "{forged}: {}", r.body);
    }
    assert_eq!(drafts_and_started(&app, id), (0, 0));
}

#[tokio::test]
async fn the_optional_challenge_asks_a_sum_first() {
    let (app, id, code) = app_with(true);
    let s = TestApp::anonymous();
    let path = format!("/vragenlijst/p/{code}");
    let page = app.get(&path, Some(&s)).await.body;
    assert!(page.contains("hoeveel is"), "{page}");
    let token = page
        .split("name=\"uitdaging\" value=\"")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_owned();
    let mut parts = token.split('.');
    let a: u32 = parts.next().unwrap().parse().unwrap();
    let b: u32 = parts.next().unwrap().parse().unwrap();
    let ip = [192, 0, 2, 9];
    let r = post_from(&app, ip, &path, &s, "").await;
    assert_eq!(r.status.as_u16(), 422, "no answer");
    let wrong = format!("&uitdaging={token}&som={}", a + b + 1);
    assert_eq!(
        post_from(&app, ip, &path, &s, &wrong).await.status.as_u16(),
        422
    );
    let forged = "&uitdaging=1.1.0.00&som=2";
    assert_eq!(
        post_from(&app, ip, &path, &s, forged).await.status.as_u16(),
        422
    );
    let right = format!("&uitdaging={token}&som={}", a + b);
    let r = post_from(&app, ip, &path, &s, &right).await;
    assert_eq!(r.status.as_u16(), 303, "{}", r.body);
    assert_eq!(drafts_and_started(&app, id), (0, 0));
}
