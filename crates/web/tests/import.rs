//! Importing the official TK2021 bundle: the stored election computes exactly what the
//! verification computed, the tree is nation → kieskring → gemeente, the report is stored.

use std::path::PathBuf;
use std::time::Instant;

use kieswet::Apportionment;
use webkit::testing::TestApp;

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

const TK2021_ZIP: &str = "TK2021/EML_bestanden_TK2021_deel_1.zip";

fn tk2021_zip() -> Option<PathBuf> {
    shared_data(TK2021_ZIP).map(|d| d.join(TK2021_ZIP))
}

#[test]
fn tk2021_zip_imports_and_recomputes_the_official_result() {
    let Some(zip) = tk2021_zip() else { return };
    let app = TestApp::new(vec![web::module()]);
    let t = Instant::now();
    let summary = app
        .state()
        .db()
        .with(|c| web::import::import_paths(c, std::slice::from_ref(&zip), "test"))
        .unwrap();
    eprintln!("import: {:?} {:?}", t.elapsed(), summary.elections);
    assert_eq!(summary.elections.len(), 1);
    let imp = &summary.elections[0];
    assert_eq!(imp.id, "tk2021");
    assert!(imp.matches, "{imp:?}");
    let data = app
        .state()
        .db()
        .with(|c| web::store::load(c, "tk2021"))
        .unwrap()
        .unwrap();
    let t = Instant::now();
    let l = web::model::Loaded::new(data);
    eprintln!("load+compute: {:?}", t.elapsed());
    let Ok(Apportionment::Complete(o)) = &l.outcome else {
        panic!("{:?}", l.outcome.as_ref().err())
    };
    let seats: Vec<(String, u32)> = o
        .parties
        .iter()
        .filter(|p| p.seats > 0)
        .map(|p| (p.name.clone(), p.seats))
        .collect();
    eprintln!("{seats:?}");
    assert_eq!(o.parties.iter().map(|p| p.seats).sum::<u32>(), 150);
    assert_eq!(o.seats_of(1), 34, "VVD 34");
    assert_eq!(
        o.elected
            .iter()
            .filter(|e| e.by == kieswet::ElectedBy::Preference)
            .count(),
        43
    );
    // Exactly the recomputation of the verification.
    let bundle = eml::load_paths(&[zip]);
    let assembled = results::assemble(bundle);
    let input = results::recompute::engine_input(&assembled.elections[0]).unwrap();
    let mut expected = input.election.clone();
    expected.lots.clone_from(&l.election.lots);
    for (a, b) in l.election.parties.iter().zip(&expected.parties) {
        assert_eq!(a.number, b.number);
        assert_eq!(a.lists.len(), b.lists.len(), "{}", a.name);
        for (x, y) in a.lists.iter().zip(&b.lists) {
            assert_eq!(x.kieskringen, y.kieskringen);
            let xv: Vec<u64> = x.candidates.iter().map(|c| c.votes).collect();
            let yv: Vec<u64> = y.candidates.iter().map(|c| c.votes).collect();
            assert_eq!(xv, yv, "{} list {:?}", a.name, x.kieskringen);
            assert_eq!(x.list_votes, y.list_votes);
        }
    }
    // Tree: nation → 20 kieskringen → gemeenten.
    let root = l.root().unwrap();
    assert_eq!(l.units[root].data.level, web::model::Level::Land);
    let kk: Vec<usize> = l.units[root].children.clone();
    assert_eq!(kk.len(), 20);
    let gemeenten = l
        .units
        .iter()
        .filter(|u| u.data.level == web::model::Level::Gemeente)
        .count();
    assert!(gemeenten > 300, "{gemeenten} gemeenten");
    let report = app
        .state()
        .db()
        .with(|c| web::import::load_report(c, "tk2021"))
        .unwrap()
        .unwrap();
    assert!(report.matches);
    assert_eq!(report.candidates.len(), 150);
    assert!(
        report
            .candidates
            .iter()
            .all(web::import::StoredCandidate::matches)
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.code.contains("KIESGERECHTIGDEN")),
        "{:?}",
        report.warnings.iter().map(|w| &w.code).collect::<Vec<_>>()
    );
}

// ---------------------------------------------------------------------------------------------
// Upload through the router: beheer only, CSRF, size limit, zip defences
// ---------------------------------------------------------------------------------------------

use std::io::Write;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use webkit::Role;
use webkit::testing::{Session, TestResponse};

const UPLOAD: &str = "/beheer/verkiezingen/importeren";

fn make_zip(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
    }
    buf.into_inner()
}

async fn upload(
    app: &TestApp,
    session: &Session,
    token: bool,
    file_name: &str,
    bytes: &[u8],
) -> TestResponse {
    let mut body = Vec::new();
    body.extend_from_slice(
        format!(
            "--XYZ\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"{file_name}\"\r\nContent-Type: application/zip\r\n\r\n"
        )
        .as_bytes(),
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(b"\r\n--XYZ--\r\n");
    let uri = if token {
        format!("{UPLOAD}?_csrf={}", session.csrf)
    } else {
        UPLOAD.to_string()
    };
    let req = Request::builder()
        .method(Method::POST)
        .uri(uri)
        .header(header::COOKIE, &session.cookie)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XYZ")
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

fn schiermonnikoog_zip(prefix: &str) -> Option<Vec<u8>> {
    let dir = shared_data("GR2026_Schiermonnikoog")?.join("GR2026_Schiermonnikoog");
    let mut files: Vec<(String, Vec<u8>)> = std::fs::read_dir(&dir)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            (
                format!("{prefix}{}", p.file_name().unwrap().to_string_lossy()),
                std::fs::read(&p).unwrap(),
            )
        })
        .collect();
    files.sort();
    let entries: Vec<(&str, &[u8])> = files
        .iter()
        .map(|(n, b)| (n.as_str(), b.as_slice()))
        .collect();
    Some(make_zip(&entries, zip::CompressionMethod::Deflated))
}

fn election_count(app: &TestApp) -> i64 {
    app.state()
        .db()
        .with(|c| {
            c.query_row(
                "SELECT count(*) FROM web_elections WHERE source = 'import'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap()
}

#[tokio::test]
async fn upload_is_for_beheer_with_csrf_only() {
    let app = TestApp::new(vec![web::module()]);
    assert!(
        app.state()
            .mutating_routes()
            .iter()
            .any(|r| r.path == UPLOAD && r.method == Method::POST),
        "the upload is a declared action (so the security matrix covers it)"
    );
    let n = app.assert_security_matrix().await;
    assert!(n >= 12, "{n} routes");
    let Some(zip) = schiermonnikoog_zip("") else {
        return;
    };
    let anon = TestApp::anonymous();
    assert_eq!(
        upload(&app, &anon, true, "s.zip", &zip).await.status,
        StatusCode::UNAUTHORIZED
    );
    let trekker = app.login_as(Role::Trekker);
    assert_eq!(
        upload(&app, &trekker, true, "s.zip", &zip).await.status,
        StatusCode::FORBIDDEN
    );
    let beheer = app.login_as(Role::Beheer);
    assert_eq!(
        upload(&app, &beheer, false, "s.zip", &zip).await.status,
        StatusCode::FORBIDDEN,
        "missing CSRF token"
    );
    assert_eq!(election_count(&app), 0);
    let r = upload(&app, &beheer, true, "s.zip", &zip).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    let run = r.location().unwrap().to_string();
    assert!(run.starts_with("/beheer/importen/"), "{run}");
    assert_eq!(election_count(&app), 1);
    // The run's table: one row, imported as version 1, linked to its verification.
    assert_eq!(app.get(&run, None).await.status, StatusCode::UNAUTHORIZED);
    let table = app.get(&run, Some(&beheer)).await;
    assert_eq!(table.status, StatusCode::OK);
    assert!(table.body.contains("Ja, versie 1"), "{}", table.body);
    let to = table
        .body
        .split("href=\"")
        .map(|x| &x[..x.find('"').unwrap()])
        .find(|h| h.ends_with("/controle"))
        .unwrap()
        .to_string();
    let page = app.get(&to, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("gelijk aan de officiële uitslag"),
        "{}",
        page.body
    );
    let id = to.split('/').nth(2).unwrap().to_string();
    for sub in [
        "",
        "/berekening",
        "/kandidaten",
        "/wat-als",
        "/marges",
        "/hervorming",
        "/gebied",
    ] {
        let r = app.get(&format!("/verkiezingen/{id}{sub}"), None).await;
        assert!(
            r.status == StatusCode::OK || r.status == StatusCode::SEE_OTHER,
            "{sub}: {}",
            r.status
        );
    }
    let api = app
        .get(&format!("/api/elections/{id}/verification"), None)
        .await;
    assert_eq!(api.status, StatusCode::OK);
    assert!(api.body.contains("\"matches\":true"), "{}", api.body);
    // Delete: beheer with token only; the report goes with the election.
    let anon_delete = app
        .post_form(&format!("/verkiezingen/{id}/verwijderen"), &anon, &[])
        .await;
    assert_eq!(anon_delete.status, StatusCode::UNAUTHORIZED);
    // Without the confirmation the POST only leads to the question.
    let r = app
        .post_form(&format!("/verkiezingen/{id}/verwijderen"), &beheer, &[])
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(
        r.location(),
        Some(format!("/verkiezingen/{id}/verwijderen").as_str())
    );
    assert_eq!(election_count(&app), 1, "not deleted without confirmation");
    let ask = app
        .get(&format!("/verkiezingen/{id}/verwijderen"), Some(&beheer))
        .await;
    assert!(ask.body.contains("name=\"bevestigd\""), "{}", ask.body);
    let r = app
        .post_form(
            &format!("/verkiezingen/{id}/verwijderen"),
            &beheer,
            &[("bevestigd", "ja")],
        )
        .await;
    assert_eq!(r.status, StatusCode::SEE_OTHER);
    assert_eq!(election_count(&app), 0);
    let left: i64 = app
        .state()
        .db()
        .with(|c| c.query_row("SELECT count(*) FROM web_verifications", [], |r| r.get(0)))
        .unwrap();
    assert_eq!(left, 0);
    assert_eq!(
        app.get(&format!("/verkiezingen/{id}/controle"), None)
            .await
            .status,
        StatusCode::NOT_FOUND
    );
}

#[tokio::test]
async fn upload_size_limit_and_zip_defences() {
    let app = TestApp::with_config(|c| c.upload_limit = 256 << 10, vec![web::module()]);
    let beheer = app.login_as(Role::Beheer);
    // Too large for the configured limit.
    let big = vec![b'x'; 300 << 10];
    let r = upload(&app, &beheer, true, "groot.zip", &big).await;
    assert_eq!(r.status, StatusCode::PAYLOAD_TOO_LARGE, "{}", r.body);
    // A zip bomb: 4 MiB of zeros in a few KiB.
    let zeros = vec![b'0'; 4 << 20];
    let bomb = make_zip(&[("bom.csv", &zeros)], zip::CompressionMethod::Deflated);
    assert!(bomb.len() < 64 << 10);
    let r = upload(&app, &beheer, true, "bom.zip", &bomb).await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert!(r.body.contains("E-BESTAND-ONLEESBAAR"), "{}", r.body);
    // Entries that would escape the archive are refused: nothing is imported.
    if let Some(evil) = schiermonnikoog_zip("../../") {
        let r = upload(&app, &beheer, true, "evil.zip", &evil).await;
        assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    }
    // Not a zip at all.
    let r = upload(&app, &beheer, true, "rommel.zip", b"PK\x03\x04rommel").await;
    assert_eq!(r.status, StatusCode::BAD_REQUEST, "{}", r.body);
    assert_eq!(election_count(&app), 0);
}

/// GR2022: every gemeente with a seat count is imported; the three whose 520 is damaged (and
/// so have no seat count: GR2022 has no 110a) are listed as not imported, naming the
/// unreadable file; De Bilt (198 errors) and Zutphen (168) equal the official result but are
/// not "ok": their counts have errors.
#[tokio::test]
async fn gr2022_zip_imports_every_gemeente_and_says_which_not_and_why() {
    let Some(zip) =
        shared_data("GR2022/GR2022_shared.zip").map(|d| d.join("GR2022/GR2022_shared.zip"))
    else {
        return;
    };
    let app = TestApp::new(vec![web::module()]);
    let summary = app
        .state()
        .db()
        .with(|c| web::import::import_paths(c, std::slice::from_ref(&zip), "test"))
        .unwrap();
    assert!(summary.elections.len() > 170, "{}", summary.elections.len());
    assert!(
        summary.elections.iter().all(|e| e.status != "mismatch"),
        "no mismatch"
    );
    let not: Vec<&str> = summary
        .not_imported
        .iter()
        .map(|n| n.election.as_str())
        .collect();
    assert_eq!(
        not,
        [
            "GR2022_Bloemendaal",
            "GR2022_DeWolden",
            "GR2022_Westerwolde"
        ]
    );
    for n in &summary.not_imported {
        assert!(
            (n.reason_nl.contains("aantal zetels is onbekend")
                || n.reason_nl.contains("geen kandidatenlijsten"))
                && n.reason_nl.contains("Onleesbaar: ")
                && n.reason_nl.contains("Resultaat_GR2022_"),
            "{n:?}"
        );
        assert!(!n.reason_nl.contains("shared/data"), "no folders: {n:?}");
    }
    assert!(!summary.complete(), "not everything was imported");
    let status = |id: &str| {
        summary
            .elections
            .iter()
            .find(|e| e.id == id)
            .map(|e| (e.status.as_str(), e.errors))
    };
    assert_eq!(status("gr2022-debilt"), Some(("count_errors", 198)));
    assert_eq!(status("gr2022-zutphen"), Some(("count_errors", 168)));
    assert_eq!(status("gr2022-aalten"), Some(("ok", 0)));
    // Not green anywhere: home, overview banner, verification page, API.
    let home = app.get("/", None).await.body;
    assert!(home.contains("maar met fouten in de tellingen"));
    let overview = app.get("/verkiezingen/gr2022-debilt", None).await.body;
    assert!(
        overview.contains("notice status-banner warning"),
        "{overview}"
    );
    let check = app
        .get("/verkiezingen/gr2022-debilt/controle", None)
        .await
        .body;
    assert!(check.contains("notice warning"), "{check}");
    assert!(check.contains("maar met fouten in de tellingen"));
    let api = app.get("/api/elections", None).await.body;
    let v: serde_json::Value = serde_json::from_str(&api).unwrap();
    let verification = |id: &str| {
        v["elections"]
            .as_array()
            .unwrap()
            .iter()
            .find(|e| e["id"] == id)
            .map(|e| e["verification"].clone())
    };
    assert_eq!(
        verification("gr2022-debilt"),
        Some(serde_json::json!("count_errors"))
    );
    assert_eq!(
        verification("gr2022-zutphen"),
        Some(serde_json::json!("count_errors"))
    );
    assert_eq!(verification("gr2022-aalten"), Some(serde_json::json!("ok")));
    let lot = summary.elections.iter().find(|e| e.status == "lot");
    if let Some(e) = lot {
        for sub in [
            "",
            "/controle",
            "/berekening",
            "/kandidaten",
            "/wat-als",
            "/marges",
            "/hervorming",
            "/gebied",
            "/versies",
        ] {
            let r = app.get(&format!("/verkiezingen/{}{sub}", e.id), None).await;
            assert!(
                r.status == StatusCode::OK || r.status == StatusCode::SEE_OTHER,
                "{}{sub}: {}",
                e.id,
                r.status
            );
        }
        let r = app
            .get(&format!("/verkiezingen/{}/controle", e.id), None)
            .await;
        assert!(r.body.contains("met loting"), "{}", e.id);
    }
    // The run page lists the three with their reason.
    let beheer = app.login_as(Role::Beheer);
    let run = app
        .get(
            &format!("/beheer/importen/{}", summary.run.unwrap()),
            Some(&beheer),
        )
        .await
        .body;
    assert!(run.contains("Niet alles is ingelezen"), "{run}");
    assert!(run.contains("GR2022_Westerwolde"));
}

/// P 19 lid 5 on the candidates page of TK2021: the 20 lists without elected candidates are
/// named once, with the article, instead of an empty ranking; the 17 others have theirs.
#[tokio::test]
async fn candidates_page_names_the_lists_p19_lid_5_leaves_unranked() {
    let Some(zip) = tk2021_zip() else { return };
    let app = TestApp::new(vec![web::module()]);
    app.state()
        .db()
        .with(|c| web::import::import_paths(c, std::slice::from_ref(&zip), "test"))
        .unwrap();
    let page = app.get("/verkiezingen/tk2021/kandidaten", None).await;
    assert_eq!(page.status, StatusCode::OK);
    let (_, unranked) = page
        .body
        .split_once("(artikel P 19 lid 5): ")
        .expect("the unranked lists are named");
    let unranked = &unranked[..unranked.find('<').unwrap()];
    assert_eq!(unranked.split("; ").count(), 20, "{unranked}");
    assert!(unranked.starts_with("16 "), "{unranked}");
    assert_eq!(page.body.matches("<details class=\"ranking\"").count(), 17);
}
