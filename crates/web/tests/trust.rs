//! Results people can trust (issue 13): status words that never overstate, turnout that can
//! be believed, imports as versions. Each test is an attack from the issue.

use std::path::PathBuf;

use axum::http::StatusCode;
use serde_json::Value;
use webkit::Role;
use webkit::testing::TestApp;

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

/// The TK2021 files one by one, without the 520 (`Resultaat_TK2021.eml.xml`): the state on
/// election night.
fn tk2021_without_520() -> Option<Vec<PathBuf>> {
    let dir = shared_data("TK2021/eml")?.join("TK2021/eml");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| {
            let n = p.file_name().unwrap().to_string_lossy().into_owned();
            n.ends_with(".eml.xml") && !n.starts_with("Resultaat_")
        })
        .collect();
    files.sort();
    Some(files)
}

fn tk2021_zip() -> Option<PathBuf> {
    const ZIP: &str = "TK2021/EML_bestanden_TK2021_deel_1.zip";
    shared_data(ZIP).map(|d| d.join(ZIP))
}

/// Uploads files in one multipart request as beheer; returns the run's summary.
async fn upload(
    app: &TestApp,
    session: &webkit::testing::Session,
    files: &[(String, Vec<u8>)],
) -> web::import::Summary {
    use axum::body::Body;
    use axum::http::{Method, Request, header};
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
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!(
            "/beheer/verkiezingen/importeren?_csrf={}",
            session.csrf
        ))
        .header(header::COOKIE, &session.cookie)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XYZ")
        .body(Body::from(body))
        .unwrap();
    let r = app.send(req).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let run: i64 = r
        .location()
        .unwrap()
        .strip_prefix("/beheer/importen/")
        .unwrap()
        .parse()
        .unwrap();
    let page = app
        .get(&format!("/beheer/importen/{run}"), Some(session))
        .await;
    assert_eq!(page.status, StatusCode::OK);
    let json: String = app
        .state()
        .db()
        .with(|c| {
            c.query_row(
                "SELECT summary_json FROM web_import_runs WHERE id = ?1",
                [run],
                |r| r.get(0),
            )
        })
        .unwrap();
    serde_json::from_str(&json).unwrap()
}

fn griffier_name(app: &TestApp) -> String {
    app.state()
        .db()
        .with(|c| {
            c.query_row(
                "SELECT user_name FROM web_versions ORDER BY version DESC LIMIT 1",
                [],
                |r| r.get(0),
            )
        })
        .unwrap()
}

async fn json(app: &TestApp, path: &str) -> Value {
    let r = app.get(path, None).await;
    assert_eq!(r.status, StatusCode::OK, "{path}: {}", r.body);
    serde_json::from_str(&r.body).unwrap()
}

/// Importing TK2021 without its 520 gives a computed result that says so everywhere: no
/// "verschil", no "Officiële uitslag", `official: null` in the API. Importing the full zip
/// afterwards makes version 2, which says what changed; the history page shows both.
#[tokio::test]
async fn tk2021_without_520_is_a_computed_result_and_reimport_is_a_new_version() {
    let (Some(files), Some(zip)) = (tk2021_without_520(), tk2021_zip()) else {
        return;
    };
    let app = TestApp::new(vec![web::module()]);
    let griffier = app.login_as(Role::Beheer);
    // All 41 files in one upload.
    let uploads: Vec<(String, Vec<u8>)> = files
        .iter()
        .map(|p| {
            (
                format!("eml/{}", p.file_name().unwrap().to_string_lossy()),
                std::fs::read(p).unwrap(),
            )
        })
        .collect();
    let s = upload(&app, &griffier, &uploads).await;
    assert_eq!(s.elections.len(), 1, "{:?}", s.not_imported);
    assert!(s.complete());
    let e = &s.elections[0];
    assert_eq!(
        (e.id.as_str(), e.status.as_str()),
        ("tk2021", "no_official")
    );
    assert_eq!(e.version, 1);

    for path in [
        "/",
        "/verkiezingen/tk2021",
        "/verkiezingen/tk2021/controle",
        "/verkiezingen/tk2021/kandidaten",
    ] {
        let body = app.get(path, None).await.body;
        assert!(
            body.contains("Berekende uitslag — nog geen officiële uitslag"),
            "{path} says it is computed"
        );
        assert!(!body.contains("Officiële uitslag,"), "{path}");
        assert!(!body.contains("VERSCHIL"), "{path}");
        assert!(!body.contains("met een verschil"), "{path}");
    }
    let check = app.get("/verkiezingen/tk2021/controle", None).await.body;
    assert!(!check.contains(">Officieel<"), "no official column");
    assert!(!check.contains("niet gekozen"), "no official 'not elected'");
    let v = json(&app, "/api/elections/tk2021/verification").await;
    assert_eq!(v["status"], "no_official");
    let cands = v["candidates"].as_array().unwrap();
    assert_eq!(cands.len(), 150);
    assert!(
        cands.iter().all(|c| c["official"].is_null()),
        "official: null"
    );
    assert!(
        v["lists"]
            .as_array()
            .unwrap()
            .iter()
            .all(|l| l["official_seats"].is_null())
    );
    let api = json(&app, "/api/elections/tk2021").await;
    assert_eq!(api["verification"], "no_official");

    // The 520 arrives: import the whole zip. A new version, not a silent overwrite.
    let zip_name = zip.file_name().unwrap().to_string_lossy().into_owned();
    let s2 = upload(&app, &griffier, &[(zip_name, std::fs::read(&zip).unwrap())]).await;
    let e2 = &s2.elections[0];
    assert_eq!((e2.status.as_str(), e2.version), ("ok", 2));
    assert_eq!(e2.changes.replaces, Some(1));
    assert_eq!(e2.changes.status_before.as_deref(), Some("no_official"));
    assert!(e2.changes.seats.is_empty(), "same seats: {:?}", e2.changes);
    assert_eq!(e2.changes.counts_changed, 0, "same counts");
    // (Hashes are shown in groups of 16 digits with a line-break opportunity between.)
    let history = app
        .get("/verkiezingen/tk2021/versies", None)
        .await
        .body
        .replace("<wbr>", "");
    assert!(history.contains("Anders dan versie 1"), "{history}");
    assert!(history.contains("EML_bestanden_TK2021_deel_1.zip"));
    assert!(history.contains(&web::versions::sha256_hex(&std::fs::read(&zip).unwrap())));
    assert!(history.contains(&griffier_name(&app)));
    let overview = app.get("/verkiezingen/tk2021", None).await.body;
    assert!(overview.contains("Gelijk aan de officiële uitslag"));
    assert!(!overview.contains("nog geen officiële uitslag"));

    // Election night again (the 520 left out): version 3, and the run says it got worse.
    let s3 = upload(&app, &griffier, &uploads).await;
    assert_eq!(s3.elections[0].version, 3);
    assert_eq!(s3.elections[0].status, "no_official");
    let run = app
        .get(
            &format!("/beheer/importen/{}", s3.run.unwrap()),
            Some(&griffier),
        )
        .await
        .body;
    assert!(
        run.contains("deze versie is minder zeker dan de vorige"),
        "{run}"
    );

    // The same zip twice: the second is version 5, nothing changed, same files.
    app.state()
        .db()
        .with(|c| web::import::import_paths(c, std::slice::from_ref(&zip), "griffier"))
        .unwrap();
    let s5 = app
        .state()
        .db()
        .with(|c| web::import::import_paths(c, std::slice::from_ref(&zip), "griffier"))
        .unwrap();
    let e5 = &s5.elections[0];
    assert_eq!(e5.version, 5);
    assert!(
        e5.changes.is_empty() && e5.changes.same_files,
        "{:?}",
        e5.changes
    );
}

/// Turnout: kiesgerechtigden from the 510d (13.187.770), Kieskring Haarlem no longer above
/// 100 %, a gemeente that reports 0 is "onbekend" with the reason and `electorate: null`.
#[tokio::test]
async fn tk2021_turnout_is_never_above_100_percent() {
    let Some(zip) = tk2021_zip() else { return };
    let app = TestApp::new(vec![web::module()]);
    app.state()
        .db()
        .with(|c| web::import::import_paths(c, std::slice::from_ref(&zip), "test"))
        .unwrap();
    let e = json(&app, "/api/elections/tk2021").await;
    assert_eq!(e["electorate"], 13_187_770);
    let overview = app.get("/verkiezingen/tk2021", None).await.body;
    assert!(overview.contains("13.187.770"));
    let haarlem = json(&app, "/api/elections/tk2021/units/kk10").await;
    assert_eq!(haarlem["electorate"], 726_342, "the 510d's figure");
    let mut over = Vec::new();
    let data = app
        .state()
        .db()
        .with(|c| web::store::load(c, "tk2021"))
        .unwrap()
        .unwrap();
    let l = web::model::Loaded::new(data);
    let mut unknown = 0;
    for (i, u) in l.units.iter().enumerate() {
        let (b, inv) = l.unit_blank_invalid(i);
        let cast = u.valid() + b + inv;
        match l.unit_electorate(i) {
            Some(n) if cast > n => over.push(u.data.name.clone()),
            Some(_) => {}
            None => unknown += 1,
        }
    }
    assert!(over.is_empty(), "above 100 %: {over:?}");
    // Six gemeenten report 0 in the 510c (the Kiesraad's own note), Schiermonnikoog and
    // Vlieland have more voters than kiesgerechtigden.
    assert!((6..20).contains(&unknown), "{unknown} unknown");
    let g = l
        .units
        .iter()
        .position(|u| u.data.name == "Haarlem")
        .unwrap();
    let id = &l.units[g].data.id;
    let api = json(&app, &format!("/api/elections/tk2021/units/{id}")).await;
    assert!(api["electorate"].is_null(), "{api}");
    assert!(
        api["electorate_unknown_reason"]
            .as_str()
            .unwrap()
            .contains("0 kiesgerechtigden")
    );
    let page = app
        .get(&format!("/verkiezingen/tk2021/gebied/{id}"), None)
        .await
        .body;
    assert!(page.contains("onbekend: het bestand meldt 0 kiesgerechtigden"));
}

/// GR2022 Aalten: the stembureaus report 0 kiesgerechtigden but one (a mobile stembureau)
/// carries the whole gemeente's 21.930: no stembureau shows a turnout (it showed 0,1 %).
#[tokio::test]
async fn gr2022_aalten_stembureau_turnout_is_unknown() {
    let Some(zip) =
        shared_data("GR2022/GR2022_shared.zip").map(|d| d.join("GR2022/GR2022_shared.zip"))
    else {
        return;
    };
    let app = TestApp::new(vec![web::module()]);
    app.state()
        .db()
        .with(|c| web::import::import_paths(c, std::slice::from_ref(&zip), "test"))
        .unwrap();
    let data = app
        .state()
        .db()
        .with(|c| web::store::load(c, "gr2022-aalten"))
        .unwrap()
        .unwrap();
    let l = web::model::Loaded::new(data);
    for (i, u) in l.units.iter().enumerate() {
        assert_eq!(l.unit_electorate(i), None, "{}", u.data.name);
    }
    let mobile = l
        .units
        .iter()
        .find(|u| u.data.electorate == Some(21_930) && u.parent.is_some())
        .unwrap();
    let api = json(
        &app,
        &format!("/api/elections/gr2022-aalten/units/{}", mobile.data.id),
    )
    .await;
    assert!(api["electorate"].is_null());
    assert!(
        api["electorate_unknown_reason"]
            .as_str()
            .unwrap()
            .contains("stembureaus van deze gemeente melden 0")
    );
}

/// Per stembureau the griffier's figures from the 510 (toegelaten kiezers, stempassen,
/// volmachten, kiezerspassen, meer/minder getelde stembiljetten and the explanations) with
/// the findings of the checks for that stembureau, on the page and in the API.
#[tokio::test]
async fn gr2022_debilt_stembureau_has_the_griffiers_figures_and_its_findings() {
    let Some(zip) =
        shared_data("GR2022/GR2022_shared.zip").map(|d| d.join("GR2022/GR2022_shared.zip"))
    else {
        return;
    };
    let app = TestApp::new(vec![web::module()]);
    app.state()
        .db()
        .with(|c| web::import::import_paths(c, std::slice::from_ref(&zip), "test"))
        .unwrap();
    let sb1 = json(&app, "/api/elections/gr2022-debilt/units/sb0310-SB1").await;
    let g = &sb1["griffier"];
    for code in [
        "toegelaten kiezers",
        "geldige stempassen",
        "geldige volmachtbewijzen",
        "geldige kiezerspassen",
        "meer getelde stembiljetten",
        "minder getelde stembiljetten",
        "geen verklaring",
    ] {
        assert!(g[code].is_u64(), "{code}: {g}");
    }
    let findings = sb1["findings"].as_array().unwrap();
    assert_eq!(findings.len(), 16, "{findings:?}");
    assert!(
        findings
            .iter()
            .all(|f| f["code"] == "E-NIVEAU-ONGELIJK" && f["unit_id"] == "sb0310-SB1")
    );
    assert!(
        sb1["candidates"].as_array().unwrap().len() > 10,
        "candidate votes"
    );
    let page = app
        .get("/verkiezingen/gr2022-debilt/gebied/sb0310-SB1", None)
        .await
        .body;
    assert!(page.contains("Gegevens uit het proces-verbaal"));
    assert!(page.contains("Toegelaten kiezers"));
    assert!(page.contains("E-NIVEAU-ONGELIJK"));
    // A stembureau without findings says so.
    let aalten = json(&app, "/api/elections/gr2022-aalten/units/sb0197-SB8").await;
    assert!(aalten["findings"].as_array().unwrap().is_empty());
    assert!(aalten["griffier"]["toegelaten kiezers"].is_u64());
}

/// An OSV4-3 CSV on its own (no seat count, no result) is not imported as an election with 0
/// seats: the run says why, and nothing is stored.
#[tokio::test]
async fn osv4_3_csv_alone_is_not_an_election() {
    let Some(dir) = shared_data("eml2csv-oracles").map(|d| d.join("eml2csv-oracles")) else {
        return;
    };
    let csv = dir.join("osv4-3_telling_gr2022_westmaasenwaal.csv");
    let app = TestApp::new(vec![web::module()]);
    let s = app
        .state()
        .db()
        .with(|c| web::import::import_paths(c, std::slice::from_ref(&csv), "test"))
        .unwrap();
    assert!(s.elections.is_empty(), "{:?}", s.elections);
    assert_eq!(s.not_imported.len(), 1, "{s:?}");
    assert!(
        s.not_imported[0]
            .reason_nl
            .contains("aantal zetels is onbekend")
    );
    assert!(!s.complete());
    let n: i64 = app
        .state()
        .db()
        .with(|c| {
            c.query_row(
                "SELECT count(*) FROM web_elections WHERE source = 'import'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap();
    assert_eq!(n, 0);
    // Through the upload: the run page names the election and the reason.
    let beheer = app.login_as(Role::Beheer);
    let _ = beheer;
}
