//! The import page in headless Chromium with a real file chooser: a whole folder (the
//! `webkitdirectory` field) holding one GR2022 gemeente's files, then several files of two
//! gemeenten chosen at once, then the folder again (a new version). Each upload leads to the
//! run's table and from there to the election. axe-core 0 violations on the import page and
//! on the run table at 1280 and 375 px; screenshots under `target/screenshots/import-*`.
//!
//! The files come from `../shared/data/GR2022/GR2022_shared.zip`, unpacked into a temporary
//! folder for the browser to pick (never into the repository).

use std::path::{Path, PathBuf};

use webkit::TempDir;
use webkit::e2e::Browser;
use webkit::testing::{TEST_PASSWORD, TestApp};
use webkit::{Role, RoleGrant};

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

const ZIP: &str = "GR2022/GR2022_shared.zip";

/// Unpacks the zip's folder `gemeente/` into `into/gemeente/`; the files written.
fn unpack(zip: &Path, gemeente: &str, into: &Path) -> Vec<PathBuf> {
    let mut archive = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let dir = into.join(gemeente);
    std::fs::create_dir_all(&dir).unwrap();
    let mut written = Vec::new();
    for i in 0..archive.len() {
        let mut entry = archive.by_index(i).unwrap();
        let name = entry.name().unwrap().to_string();
        let Some(file) = name.strip_prefix(&format!("{gemeente}/")) else {
            continue;
        };
        if file.is_empty() || file.contains('/') {
            continue;
        }
        let path = dir.join(file);
        let mut out = std::fs::File::create(&path).unwrap();
        std::io::copy(&mut entry, &mut out).unwrap();
        written.push(path);
    }
    written.sort();
    assert_eq!(written.len(), 3, "{gemeente}: 510b, 520 and OSV4-3 table");
    written
}

/// Sets the viewport (not the window) to `width` × `height`.
async fn viewport(b: &Browser, width: u32, height: u32) {
    b.window_size(width, height).await;
    let inner = b
        .client
        .execute("return [window.innerWidth, window.innerHeight];", vec![])
        .await
        .expect("inner size");
    let iw = u32::try_from(inner[0].as_u64().unwrap_or(u64::from(width))).unwrap_or(width);
    let ih = u32::try_from(inner[1].as_u64().unwrap_or(u64::from(height))).unwrap_or(height);
    if iw != width || ih != height {
        b.window_size(
            width + width.saturating_sub(iw),
            height + height.saturating_sub(ih),
        )
        .await;
    }
}

/// How many files the input holds (what the browser will send).
async fn chosen(b: &Browser, css: &str) -> Vec<String> {
    b.client
        .execute(
            "return Array.from(document.querySelector(arguments[0]).files)
                .map(f => f.webkitRelativePath || f.name);",
            vec![serde_json::Value::String(css.to_string())],
        )
        .await
        .expect("files")
        .as_array()
        .map(|a| {
            a.iter()
                .filter_map(|v| v.as_str().map(str::to_string))
                .collect()
        })
        .unwrap_or_default()
}

/// The rows of the run's table: (election, imported, outcome) as the page shows them.
async fn run_rows(b: &Browser) -> Vec<(String, String, String)> {
    let rows = b
        .client
        .execute(
            "return Array.from(document.querySelectorAll('table#import-resultaat tbody tr'))
                .map(tr => Array.from(tr.children).map(c => c.textContent.trim()));",
            vec![],
        )
        .await
        .expect("rows");
    rows.as_array()
        .unwrap()
        .iter()
        .map(|r| {
            let cell = |i: usize| r[i].as_str().unwrap_or_default().to_string();
            (cell(0), cell(1), cell(2))
        })
        .collect()
}

/// The run's table at both widths, with axe-core, the page not wider than the window
/// (only a table may scroll, inside itself) and a second screenshot with the table in view;
/// back at 1280 px after.
async fn check_run_table(b: &Browser, name: &str) {
    for (w, h) in [(375, 800), (1280, 900)] {
        viewport(b, w, h).await;
        b.check_page(&format!("{name}-{w}")).await;
        let wide = b
            .client
            .execute(
                "return document.documentElement.scrollWidth - window.innerWidth;",
                vec![],
            )
            .await
            .expect("page width");
        assert!(
            wide.as_i64().unwrap_or(1) <= 1,
            "{name} at {w} px: the page scrolls sideways by {wide} px"
        );
        b.client
            .execute(
                "document.querySelector('table#import-resultaat').scrollIntoView(); return true;",
                vec![],
            )
            .await
            .expect("scroll");
        b.screenshot(&format!("{name}-{w}-tabel")).await;
    }
}

/// Follows the run table's link to the election's verification, then to its overview, which
/// names the gemeente and shows the seats per list.
async fn open_election(b: &Browser, id: &str, gemeente: &str) {
    b.click(&format!(
        "table#import-resultaat a[href='/verkiezingen/{id}/controle']"
    ))
    .await;
    b.wait_for_path(&format!("/verkiezingen/{id}/controle"))
        .await;
    b.click(&format!("nav.subnav a[href='/verkiezingen/{id}']"))
        .await;
    b.wait_for_path(&format!("/verkiezingen/{id}")).await;
    assert!(b.text("h1").await.contains(gemeente), "{id}");
    assert!(
        b.source().await.contains("id=\"lijsten\""),
        "{id}: the seats per list"
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn folder_and_several_files_upload_in_chromium() {
    let Some(data) = shared_data(ZIP) else { return };
    let zip = data.join(ZIP);
    let tmp = TempDir::new("gr2022-folder");
    let root = tmp.path().canonicalize().unwrap();
    unpack(&zip, "Vlieland", &root);
    let mut several = unpack(&zip, "Rozendaal", &root);
    several.extend(unpack(&zip, "Terschelling", &root));

    let app = TestApp::new(vec![web::module()]);
    let Some(b) = Browser::start(app.app.router()).await else {
        return;
    };
    let name = app.user_name(&[RoleGrant {
        role: Role::Beheer,
        org: None,
    }]);
    b.login(&name, TEST_PASSWORD).await;

    // The import page itself, at both widths.
    b.goto("/beheer/verkiezingen").await;
    for (w, h) in [(375, 800), (1280, 900)] {
        viewport(&b, w, h).await;
        b.check_page(&format!("import-pagina-{w}")).await;
    }

    // 1. A whole folder, in the folder field.
    b.upload("#f-map", &root.join("Vlieland")).await;
    let files = chosen(&b, "#f-map").await;
    assert_eq!(
        files.len(),
        3,
        "the browser took the folder's files: {files:?}"
    );
    assert!(
        files.iter().all(|f| f.starts_with("Vlieland/")),
        "{files:?}"
    );
    b.click("form[enctype] button[type=submit]").await;
    b.wait_for_path("/beheer/importen/").await;
    let rows = run_rows(&b).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].0.contains("Vlieland"), "{rows:?}");
    assert_eq!(rows[0].1, "Ja, versie 1", "{rows:?}");
    let src = b.source().await;
    for f in [
        "Telling_GR2022_Vlieland.eml.xml",
        "Resultaat_GR2022_Vlieland.eml.xml",
        "osv4-3_telling_gr2022_vlieland.csv",
    ] {
        assert!(src.contains(f), "{f} listed with its hash");
    }
    let status = app
        .state()
        .db()
        .with(|c| {
            c.query_row(
                "SELECT status FROM web_verifications WHERE election_id = 'gr2022-vlieland'",
                [],
                |r| r.get::<_, String>(0),
            )
        })
        .unwrap();
    assert_eq!(
        rows[0].2,
        web::import::status_text(webkit::Lang::Nl, &status),
        "the outcome column says the stored status"
    );
    check_run_table(&b, "import-folder").await;
    open_election(&b, "gr2022-vlieland", "Vlieland").await;
    b.check_page("import-folder-verkiezing").await;

    // 2. Several files of two gemeenten, chosen at once in the files field.
    b.goto("/beheer/verkiezingen").await;
    let list: Vec<String> = several
        .iter()
        .map(|p| p.to_string_lossy().into_owned())
        .collect();
    b.upload("#f-bestand", Path::new(&list.join("\n"))).await;
    assert_eq!(chosen(&b, "#f-bestand").await.len(), 6);
    b.click("form[enctype] button[type=submit]").await;
    b.wait_for_path("/beheer/importen/").await;
    let mut rows = run_rows(&b).await;
    rows.sort();
    assert_eq!(rows.len(), 2, "{rows:?}");
    assert!(rows[0].0.contains("Rozendaal"), "{rows:?}");
    assert!(rows[1].0.contains("Terschelling"), "{rows:?}");
    for r in &rows {
        assert_eq!(r.1, "Ja, versie 1", "{rows:?}");
    }
    check_run_table(&b, "import-bestanden").await;
    open_election(&b, "gr2022-terschelling", "Terschelling").await;

    // 3. The same folder again: a new version, said so in the table.
    b.goto("/beheer/verkiezingen").await;
    b.upload("#f-map", &root.join("Vlieland")).await;
    b.click("form[enctype] button[type=submit]").await;
    b.wait_for_path("/beheer/importen/").await;
    let rows = run_rows(&b).await;
    assert_eq!(rows.len(), 1, "{rows:?}");
    assert!(rows[0].1.starts_with("Ja, versie 2"), "{rows:?}");

    // The home page lists all three, from memory, without a restart.
    b.goto("/").await;
    let src = b.source().await;
    for id in ["gr2022-vlieland", "gr2022-rozendaal", "gr2022-terschelling"] {
        assert!(src.contains(&format!("/verkiezingen/{id}\"")), "{id} on /");
    }
    b.close().await;
}
