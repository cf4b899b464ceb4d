//! The 2026 count format in the web app: a stembureau page says whether the stembureau was
//! investigated or corrected (`kr:ReportingUnitInvestigations`), and a list without a name
//! (empty `RegisteredName`) is shown as "Lijst N (zonder aanduiding)".

use std::io::Write;

use axum::body::Body;
use axum::http::{Method, Request, StatusCode, header};
use webkit::Role;
use webkit::testing::{Session, TestApp, TestResponse};

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

const UPLOAD: &str = "/beheer/verkiezingen/importeren";

fn zip_of(files: &[(String, String)]) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (name, data) in files {
            w.start_file(name.as_str(), opts).unwrap();
            w.write_all(data.as_bytes()).unwrap();
        }
        w.finish().unwrap();
    }
    buf.into_inner()
}

async fn upload(app: &TestApp, session: &Session, bytes: &[u8]) -> TestResponse {
    let mut body = Vec::new();
    body.extend_from_slice(
        b"--XYZ\r\nContent-Disposition: form-data; name=\"bestand\"; filename=\"gr2026.zip\"\r\nContent-Type: application/zip\r\n\r\n",
    );
    body.extend_from_slice(bytes);
    body.extend_from_slice(b"\r\n--XYZ--\r\n");
    let req = Request::builder()
        .method(Method::POST)
        .uri(format!("{UPLOAD}?_csrf={}", session.csrf))
        .header(header::COOKIE, &session.cookie)
        .header(header::CONTENT_TYPE, "multipart/form-data; boundary=XYZ")
        .body(Body::from(body))
        .unwrap();
    app.send(req).await
}

/// GR2026 Schiermonnikoog with its one stembureau marked as investigated for an unexplained
/// difference and corrected, and list 2 (SAMEN) without a name in every file.
fn edited_schiermonnikoog() -> Option<Vec<(String, String)>> {
    let dir = shared_data("GR2026_Schiermonnikoog")?.join("GR2026_Schiermonnikoog");
    let mut files = Vec::new();
    for entry in std::fs::read_dir(&dir).unwrap() {
        let p = entry.unwrap().path();
        let mut text = std::fs::read_to_string(&p).unwrap();
        text = text.replace(
            "<RegisteredName>SAMEN</RegisteredName>",
            "<RegisteredName></RegisteredName>",
        );
        for reason in [
            "onderzocht vanwege onverklaard verschil",
            "uitslag gecorrigeerd",
        ] {
            text = text.replace(
                &format!(r#"<kr:Investigation ReasonCode="{reason}">false"#),
                &format!(r#"<kr:Investigation ReasonCode="{reason}">true"#),
            );
        }
        files.push((p.file_name().unwrap().to_string_lossy().into_owned(), text));
    }
    files.sort();
    Some(files)
}

#[tokio::test]
async fn stembureau_page_shows_investigation_and_nameless_list() {
    let Some(files) = edited_schiermonnikoog() else {
        return;
    };
    let app = TestApp::new(vec![web::module()]);
    let beheer = app.login_as(Role::Beheer);
    let r = upload(&app, &beheer, &zip_of(&files)).await;
    assert_eq!(r.status, StatusCode::SEE_OTHER, "{}", r.body);
    // The upload leads to the run's table; the election's id is made from the file's.
    let run = r.location().unwrap().to_string();
    assert!(run.starts_with("/beheer/importen/"), "{run}");
    let id = "gr2026-schiermonnikoog";
    // The stembureau is linked from the gemeente's page.
    let root = app
        .get(&format!("/verkiezingen/{id}/gebied/totaal"), None)
        .await;
    assert_eq!(root.status, StatusCode::OK);
    let link = root
        .body
        .split("href=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next())
        .find(|h| h.contains("/gebied/sb"))
        .unwrap_or_else(|| panic!("no stembureau link in {}", root.body))
        .to_string();
    let page = app.get(&link, None).await;
    assert_eq!(page.status, StatusCode::OK);
    assert!(
        page.body.contains("Onderzocht / gecorrigeerd"),
        "{}",
        page.body
    );
    assert!(
        page.body.contains(
            "onderzocht, gecorrigeerd (onderzocht vanwege onverklaard verschil; uitslag gecorrigeerd)"
        ),
        "{}",
        page.body
    );
    // The list without a name, on the overview and the verification page.
    for sub in ["", "/controle", "/kandidaten"] {
        let r = app.get(&format!("/verkiezingen/{id}{sub}"), None).await;
        assert_eq!(r.status, StatusCode::OK, "{sub}");
        assert!(
            r.body.contains("Lijst 2 (zonder aanduiding)"),
            "{sub}: {}",
            r.body
        );
    }
}
