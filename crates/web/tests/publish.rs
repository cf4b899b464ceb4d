//! `publish`: the site as static files, served by a plain static file server on 127.0.0.1:
//! every link of every page works (0 broken), every JSON file equals the live API's answer,
//! and a second publish rewrites only what changed.

#![allow(clippy::many_single_char_names)]
#![allow(clippy::case_sensitive_file_extension_comparisons)]

use std::collections::BTreeSet;
use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Instant;

use webkit::testing::TestApp;

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

/// A plain static file server: `/a/` serves `a/index.html`, `/a` a file or a redirect to `/a/`
/// for a folder, nothing else (no rewriting, no `try_files`).
fn serve_dir(root: PathBuf) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let root = root.clone();
            std::thread::spawn(move || answer(&root, stream));
        }
    });
    addr
}

fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < b.len() {
        if b[i] == b'%'
            && i + 2 < b.len()
            && let Ok(v) = u8::from_str_radix(&s[i + 1..i + 3], 16)
        {
            out.push(v);
            i += 3;
            continue;
        }
        out.push(b[i]);
        i += 1;
    }
    String::from_utf8_lossy(&out).into_owned()
}

fn answer(root: &Path, mut stream: TcpStream) {
    let mut buf = Vec::new();
    let mut chunk = [0u8; 4096];
    while !buf.windows(4).any(|w| w == b"\r\n\r\n") {
        match stream.read(&mut chunk) {
            Ok(0) | Err(_) => return,
            Ok(n) => buf.extend_from_slice(&chunk[..n]),
        }
    }
    let head = String::from_utf8_lossy(&buf).into_owned();
    let target = head.split(' ').nth(1).unwrap_or("/");
    let path = percent_decode(target.split(['?', '#']).next().unwrap_or("/"));
    let file = root.join(path.trim_start_matches('/'));
    let (status, extra, body) = if path.contains("..") {
        ("400 Bad Request", String::new(), Vec::new())
    } else if file.is_dir() && path.ends_with('/') {
        match std::fs::read(file.join("index.html")) {
            Ok(b) => ("200 OK", String::new(), b),
            Err(_) => ("404 Not Found", String::new(), Vec::new()),
        }
    } else if file.is_dir() {
        (
            "301 Moved Permanently",
            format!("Location: {path}/\r\n"),
            Vec::new(),
        )
    } else {
        match std::fs::read(&file) {
            Ok(b) => ("200 OK", String::new(), b),
            Err(_) => ("404 Not Found", String::new(), Vec::new()),
        }
    };
    let _ = write!(
        stream,
        "HTTP/1.0 {status}\r\n{extra}Content-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    let _ = stream.write_all(&body);
}

/// GET over a real socket; follows one redirect. (status, body)
fn get(addr: SocketAddr, path: &str) -> (u16, Vec<u8>) {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(s, "GET {path} HTTP/1.0\r\nHost: localhost\r\n\r\n").unwrap();
    let mut resp = Vec::new();
    s.read_to_end(&mut resp).unwrap();
    let split = resp.windows(4).position(|w| w == b"\r\n\r\n").unwrap();
    let head = String::from_utf8_lossy(&resp[..split]).into_owned();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    if status == 301 {
        let loc = head
            .lines()
            .find_map(|l| l.strip_prefix("Location: "))
            .unwrap();
        return get(addr, loc);
    }
    (status, resp[split + 4..].to_vec())
}

fn html_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for e in std::fs::read_dir(dir).unwrap().flatten() {
        let p = e.path();
        if p.is_dir() {
            html_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "html") {
            out.push(p);
        }
    }
}

/// Every `href`/`src`/`action` value of a page.
fn links(html: &str) -> Vec<String> {
    let mut out = Vec::new();
    for attr in [" href=\"", " src=\"", " action=\""] {
        let mut rest = html;
        while let Some(i) = rest.find(attr) {
            rest = &rest[i + attr.len()..];
            let end = rest.find('"').unwrap();
            out.push(rest[..end].replace("&amp;", "&"));
            rest = &rest[end..];
        }
    }
    out
}

/// Serves the site and checks every same-site link of every page; returns the number of
/// distinct links checked.
fn check_links(site: &Path, addr: SocketAddr) -> usize {
    let mut pages = Vec::new();
    html_files(site, &mut pages);
    let mut targets = BTreeSet::new();
    for p in &pages {
        let html = std::fs::read_to_string(p).unwrap();
        let page_url = format!(
            "/{}",
            p.strip_prefix(site)
                .unwrap()
                .to_string_lossy()
                .trim_end_matches("index.html")
        );
        for l in links(&html) {
            if l.starts_with('/') && !l.starts_with("//") {
                let path = l.split('#').next().unwrap().to_string();
                assert!(
                    !path.contains('?'),
                    "{page_url}: a link with a query cannot work on a static server: {l}"
                );
                targets.insert((path, page_url.clone()));
            } else {
                assert!(
                    l.starts_with('#') || l.starts_with("http"),
                    "{page_url}: unexpected link {l}"
                );
            }
        }
    }
    let mut checked = BTreeSet::new();
    let mut broken = Vec::new();
    for (path, from) in &targets {
        if !checked.insert(path.clone()) {
            continue;
        }
        let (status, _) = get(addr, path);
        if status != 200 {
            broken.push(format!("{path} ({status}) on {from}"));
        }
    }
    assert!(broken.is_empty(), "broken links: {broken:#?}");
    checked.len()
}

/// Every JSON file of the site equals the live API's answer for the same URL.
async fn check_json(app: &TestApp, site: &Path, addr: SocketAddr) -> usize {
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(site.join("publish-manifest.json")).unwrap())
            .unwrap();
    let mut n = 0;
    for (url, r) in manifest["routes"].as_object().unwrap() {
        let file = r["file"].as_str().unwrap();
        if !file.ends_with(".json") || !url.starts_with("/api/") {
            continue;
        }
        let live = app.get(url, None).await;
        assert_eq!(live.status, 200, "{url}");
        let (status, body) = get(addr, &format!("/{file}"));
        assert_eq!(status, 200, "{file}");
        assert_eq!(
            String::from_utf8_lossy(&body),
            live.body,
            "{url}: static and live differ"
        );
        // The manifest's hash is the file's.
        assert_eq!(
            r["sha256"].as_str().unwrap(),
            web::publish::site::sha256(&body)
        );
        n += 1;
    }
    n
}

fn app_with_web() -> (TestApp, Arc<web::Web>) {
    let state = Arc::new(web::Web::default());
    (TestApp::new(vec![web::module_with(state.clone())]), state)
}

fn options(out: &Path) -> web::publish::Options {
    let mut o = web::publish::Options::new(out);
    o.generator = Some("test".into());
    o
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn demo_site_has_no_broken_links_equal_json_and_republishes_incrementally() {
    let (app, web) = app_with_web();
    let out = webkit::TempDir::new("publish-demo");
    let site = out.path().join("site");
    let r = web::publish::publish(&app.app, &web, &options(&site))
        .await
        .unwrap();
    assert!(r.failures.is_empty(), "{:?}", r.failures);
    assert!(r.elections >= 2, "the demo elections");
    assert_eq!(r.rebuilt.len(), r.elections);
    assert_eq!(r.written, r.files, "first publish writes everything");
    // Pages, API, CSV, hashed assets, sitemap and the notice page.
    for f in [
        "index.html",
        "api/index.html",
        "api/openapi.json",
        "api/elections.json",
        "sitemap.xml",
        "alleen-in-de-app/index.html",
        "privacy/index.html",
    ] {
        assert!(site.join(f).is_file(), "{f}");
    }
    let ids: Vec<String> = app
        .state()
        .db()
        .with(|c| web::store::list(c))
        .unwrap()
        .into_iter()
        .map(|s| s.id)
        .collect();
    for id in &ids {
        for f in [
            format!("verkiezingen/{id}/index.html"),
            format!("verkiezingen/{id}/marges/index.html"),
            format!("verkiezingen/{id}/wat-als/index.html"),
            format!("verkiezingen/{id}/csv/lijsten.csv"),
            format!("api/elections/{id}.json"),
            format!("api/elections/{id}/margins.json"),
            format!("api/elections/{id}/result.json"),
        ] {
            assert!(site.join(&f).is_file(), "{f}");
        }
        let margins =
            std::fs::read_to_string(site.join(format!("verkiezingen/{id}/marges/index.html")))
                .unwrap();
        assert!(
            !margins.contains("nog berekend"),
            "margins are computed before they are published"
        );
    }
    // What needs the app is never published.
    for live_only in ["qs", "login", "beheer", "setup", "account", "healthz"] {
        assert!(!site.join(live_only).exists(), "{live_only}");
    }
    let statics: Vec<String> = std::fs::read_dir(site.join("static"))
        .unwrap()
        .flatten()
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    assert!(
        statics
            .iter()
            .any(|n| n.starts_with("stembus.") && n.ends_with(".css") && n.len() == 28),
        "{statics:?}"
    );
    let home = std::fs::read_to_string(site.join("index.html")).unwrap();
    assert!(
        !home.contains("/static/stembus.css?"),
        "asset references are rewritten"
    );
    assert!(!home.contains("href=\"/login\""), "login needs the app");
    assert!(home.contains("href=\"/alleen-in-de-app/\""));
    let what_if =
        std::fs::read_to_string(site.join(format!("verkiezingen/{}/wat-als/index.html", ids[0])))
            .unwrap();
    assert!(
        what_if.contains("action=\"/alleen-in-de-app/\""),
        "forms need the app"
    );
    assert!(
        what_if.contains("Dit formulier werkt alleen in de app"),
        "and say so"
    );
    let notice = std::fs::read_to_string(site.join("alleen-in-de-app/index.html")).unwrap();
    assert!(notice.contains("<h1>Dit kan alleen in de app</h1>"));
    assert!(
        !notice.contains("aria-current"),
        "no menu item is this page"
    );
    let sitemap = std::fs::read_to_string(site.join("sitemap.xml")).unwrap();
    assert!(sitemap.contains(&format!("<loc>/verkiezingen/{}/</loc>", ids[0])));

    let addr = serve_dir(site.clone());
    let n = check_links(&site, addr);
    let j = check_json(&app, &site, addr).await;
    eprintln!(
        "demo: {} files, {} bytes, {n} links, {j} JSON files",
        r.files, r.bytes
    );
    assert!(j > 10);

    // Again without changes: nothing is rendered again, nothing written.
    let again = web::publish::publish(&app.app, &web, &options(&site))
        .await
        .unwrap();
    assert!(again.rebuilt.is_empty(), "{:?}", again.rebuilt);
    assert_eq!(again.written, 0, "unchanged files are not written again");
    assert_eq!(again.files, r.files);
    assert_eq!(again.removed, 0);

    // One election changes: only it is rendered again; a deleted one disappears.
    let mut data = app
        .state()
        .db()
        .with(|c| web::store::load(c, &ids[0]))
        .unwrap()
        .unwrap();
    data.description.push_str(" (bijgewerkt)");
    app.state()
        .db()
        .with(|c| web::store::save(c, &data))
        .unwrap();
    let third = web::publish::publish(&app.app, &web, &options(&site))
        .await
        .unwrap();
    assert_eq!(third.rebuilt, vec![ids[0].clone()]);
    assert!(third.failures.is_empty(), "{:?}", third.failures);
    assert!(
        third.written > 0 && third.written < r.files / 2,
        "{third:?}"
    );
    check_links(&site, addr);

    app.state()
        .db()
        .with(|c| web::store::delete(c, &ids[1]))
        .unwrap();
    let fourth = web::publish::publish(&app.app, &web, &options(&site))
        .await
        .unwrap();
    assert!(fourth.removed > 0);
    assert!(fourth.failures.is_empty(), "{:?}", fourth.failures);
    assert!(!site.join(format!("verkiezingen/{}", ids[1])).exists());
    check_links(&site, addr);

    // A new program version renders everything again.
    let mut o = options(&site);
    o.generator = Some("test-2".into());
    let fifth = web::publish::publish(&app.app, &web, &o).await.unwrap();
    assert_eq!(fifth.rebuilt.len(), fifth.elections);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn live_url_sends_forms_and_language_to_the_app() {
    let (app, web) = app_with_web();
    let out = webkit::TempDir::new("publish-live");
    let mut o = options(out.path());
    o.live_url = Some("https://app.example.org/".into());
    o.base_url = Some("https://uitslagen.example.org".into());
    let r = web::publish::publish(&app.app, &web, &o).await.unwrap();
    assert!(r.failures.is_empty(), "{:?}", r.failures);
    let home = std::fs::read_to_string(out.path().join("index.html")).unwrap();
    assert!(
        home.contains("href=\"https://app.example.org/login\""),
        "{home}"
    );
    assert!(home.contains("href=\"https://app.example.org/?lang=en\""));
    let sitemap = std::fs::read_to_string(out.path().join("sitemap.xml")).unwrap();
    assert!(sitemap.contains("<loc>https://uitslagen.example.org/</loc>"));
    assert!(sitemap.contains("<loc>https://uitslagen.example.org/api/</loc>"));
}

/// The acceptance test of issue 16: TK2021 and GR2022 (183 elections with the demo ones).
/// Slow in a debug build (several minutes); run it in release:
/// `cargo test --release -p web --test publish -- --ignored`.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
#[ignore = "slow in debug: publishes 180+ elections; run with --release -- --ignored"]
async fn tk2021_and_gr2022_publish_with_no_broken_links_and_equal_json() {
    let (Some(tk), Some(gr)) = (
        shared_data("TK2021/EML_bestanden_TK2021_deel_1.zip"),
        shared_data("GR2022/GR2022_shared.zip"),
    ) else {
        return;
    };
    let (app, web) = app_with_web();
    app.state()
        .db()
        .with(|c| {
            web::import::import_paths(
                c,
                &[
                    tk.join("TK2021/EML_bestanden_TK2021_deel_1.zip"),
                    gr.join("GR2022/GR2022_shared.zip"),
                ],
                "test",
            )
        })
        .unwrap();
    let out = webkit::TempDir::new("publish-real");
    let site = out.path().join("site");
    let mut o = options(&site);
    o.progress = true;
    let t = Instant::now();
    let r = web::publish::publish(&app.app, &web, &o).await.unwrap();
    let full = t.elapsed();
    assert!(r.failures.is_empty(), "{:?}", r.failures);
    eprintln!(
        "full publish: {} elections, {} files, {} MB, {:.1} s",
        r.elections,
        r.files,
        r.bytes / 1_000_000,
        full.as_secs_f64()
    );
    let mut data = app
        .state()
        .db()
        .with(|c| web::store::load(c, "tk2021"))
        .unwrap()
        .unwrap();
    let report = app
        .state()
        .db()
        .with(|c| web::import::load_report(c, "tk2021"))
        .unwrap()
        .unwrap();
    data.description.push_str(" (bijgewerkt)");
    // Saving replaces the election (and, by cascade, its report): store both, as an import does.
    app.state()
        .db()
        .with(|c| {
            web::store::save(c, &data)?;
            web::import::save_report(c, "tk2021", &report)
        })
        .unwrap();
    o.progress = false;
    let t = Instant::now();
    let again = web::publish::publish(&app.app, &web, &o).await.unwrap();
    eprintln!(
        "republish after one changed election: {} written, {:.2} s",
        again.written,
        t.elapsed().as_secs_f64()
    );
    assert_eq!(again.rebuilt, vec!["tk2021".to_string()]);
    assert!(again.failures.is_empty(), "{:?}", again.failures);
    let addr = serve_dir(site.clone());
    let t = Instant::now();
    let n = check_links(&site, addr);
    let j = check_json(&app, &site, addr).await;
    eprintln!(
        "checked {n} links and {j} JSON files in {:.1} s",
        t.elapsed().as_secs_f64()
    );
}
