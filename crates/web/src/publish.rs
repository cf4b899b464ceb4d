//! # publish — the public site as static files
//!
//! `stembus publish` renders every public page and every read-only JSON API response of every
//! election to files, so any static server, object store or CDN serves the site as the app
//! does. It does not know what the pages show: it crawls the app in-process, like a visitor
//! without a login, starting from `/`, `/api`, the documented API routes ([`api::ENDPOINTS`])
//! of every election with every area, and each election's overview, and follows the same-site
//! `href`, `src` and `action` links of every page it gets.
//!
//! - A page at `/a/b` becomes `a/b/index.html`; a response with another type and no file
//!   extension in its URL gets one (`/api/elections/x` → `api/elections/x.json`, a CSV download
//!   → `….csv`); a URL with an extension keeps its name; `/static/…` files get their content
//!   hash in the name. Links in the pages are rewritten to those names.
//! - What needs the app (forms such as what-if, links with a query such as the language
//!   toggle, login, management, the Quick Scan) points to the live app when a URL for it is
//!   given, and otherwise to one page that says plainly that it needs the app.
//! - Incremental: each election has a key (SHA-256 of its stored data and verification
//!   report, and of the program); only elections whose key changed are crawled again, and a
//!   file is only written when its bytes changed. `publish-manifest.json` lists every file
//!   with its SHA-256.

mod html;
pub mod site;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::Arc;
use std::time::Instant;

use axum::Router;
use axum::body::Body;
use axum::http::{Request, header};
use tower::ServiceExt;
use webkit::App;

use crate::Web;
use crate::api;
use site::{Kind, Manifest, Route};

/// Paths that only work in the live app: never published, links to them go to the app.
pub const LIVE_ONLY: &[&str] = &[
    "/login", "/logout", "/setup", "/account", "/beheer", "/qs", "/healthz",
];

/// The page that says a function needs the live app.
pub const NOTICE_PATH: &str = "/alleen-in-de-app";

/// Said above every form of a published page without a live app.
const FORM_NOTICE: &str = "<p class=\"notice\" role=\"note\">Dit formulier werkt alleen in de app, niet in deze vaste versie van de site. \
     <a href=\"/alleen-in-de-app/\">Meer uitleg</a></p>";

/// At most this many URLs are fetched in one publish (a guard against endless link chains).
pub const MAX_URLS: usize = 2_000_000;

/// What to publish where.
#[derive(Clone, Debug)]
pub struct Options {
    /// The folder of the static site (made if missing).
    pub out: PathBuf,
    /// The public address of the static site (for absolute URLs in `sitemap.xml`).
    pub base_url: Option<String>,
    /// The address of the live app, for forms, language choice, login and the Quick Scan.
    pub live_url: Option<String>,
    /// Fingerprint of the program; when it differs from the last publish, every election is
    /// rendered again. `None`: [`generator_of_current_exe`].
    pub generator: Option<String>,
    /// Print progress to standard error.
    pub progress: bool,
    /// Requests in flight at once.
    pub concurrency: usize,
}

impl Options {
    pub fn new(out: impl Into<PathBuf>) -> Options {
        Options {
            out: out.into(),
            base_url: None,
            live_url: None,
            generator: None,
            progress: false,
            concurrency: 4,
        }
    }
}

/// What a publish did.
#[derive(Debug, Default)]
pub struct Report {
    /// Elections in the store.
    pub elections: usize,
    /// Elections rendered again (their data or the program changed).
    pub rebuilt: Vec<String>,
    /// Files in the site (without the manifest) and their total size.
    pub files: usize,
    pub bytes: u64,
    /// Files written in this run (new or changed) and removed (no longer in the site).
    pub written: usize,
    pub removed: usize,
    /// URLs that were requested in this run.
    pub requested: usize,
    /// Documented API URLs the app answers with a client error for this election (e.g. the
    /// result of a damaged election): (URL, status). Not published, not a failure.
    pub unavailable: Vec<(String, u16)>,
    /// URLs that answered with an error: (URL, status, first page that links to it).
    pub failures: Vec<(String, u16, String)>,
    pub seconds: f64,
}

/// Why a publish stopped.
#[derive(Debug)]
pub enum PublishError {
    Io(PathBuf, std::io::Error),
    App(String),
    TooManyUrls(usize),
}

impl std::fmt::Display for PublishError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            PublishError::Io(p, e) => write!(f, "{}: {e}", p.display()),
            PublishError::App(e) => write!(f, "de app gaf een fout: {e}"),
            PublishError::TooManyUrls(n) => {
                write!(f, "meer dan {n} adressen; gestopt (eindeloze links?)")
            }
        }
    }
}

impl std::error::Error for PublishError {}

/// Fingerprint of the running program: its version, path, size and modification time (cheap,
/// and different for every build), so a new build republishes everything.
pub fn generator_of_current_exe() -> String {
    let exe = std::env::current_exe().ok();
    let meta = exe.as_ref().and_then(|p| std::fs::metadata(p).ok());
    let modified = meta
        .as_ref()
        .and_then(|m| m.modified().ok())
        .and_then(|t| t.duration_since(std::time::UNIX_EPOCH).ok())
        .map_or(0, |d| d.as_nanos());
    site::sha256(
        format!(
            "{} {:?} {} {modified}",
            env!("CARGO_PKG_VERSION"),
            exe,
            meta.map_or(0, |m| m.len())
        )
        .as_bytes(),
    )
}

/// One response of the app.
struct Fetched {
    status: u16,
    content_type: String,
    location: Option<String>,
    body: Vec<u8>,
}

async fn fetch(router: Router, path: String) -> Fetched {
    let Ok(req) = Request::builder().uri(path.as_str()).body(Body::empty()) else {
        return Fetched {
            status: 400,
            content_type: String::new(),
            location: None,
            body: Vec::new(),
        };
    };
    let Ok(resp) = router.oneshot(req).await;
    let (parts, body) = resp.into_parts();
    let head = |name| {
        parts
            .headers
            .get(name)
            .and_then(|v| v.to_str().ok())
            .map(str::to_string)
    };
    let content_type = head(header::CONTENT_TYPE).unwrap_or_default();
    let location = head(header::LOCATION);
    let status = parts.status.as_u16();
    drop(parts);
    let body = axum::body::to_bytes(body, usize::MAX)
        .await
        .map(|b| b.to_vec())
        .unwrap_or_default();
    Fetched {
        status,
        content_type,
        location,
        body,
    }
}

fn is_live_only(path: &str) -> bool {
    LIVE_ONLY
        .iter()
        .any(|p| path == *p || path.strip_prefix(p).is_some_and(|r| r.starts_with('/')))
}

/// The election a URL belongs to: `/verkiezingen/{id}…` and `/api/elections/{id}…`.
fn election_of<'a>(path: &'a str, ids: &HashSet<String>) -> Option<&'a str> {
    ["/verkiezingen/", "/api/elections/"].iter().find_map(|p| {
        let id = path.strip_prefix(p)?.split('/').next()?;
        ids.contains(id).then_some(id)
    })
}

/// The crawl: queues per scope (site-wide or one election), the routes found, the pages
/// waiting for their links to be rewritten.
struct Crawl<'a> {
    router: Router,
    opts: &'a Options,
    old: &'a Manifest,
    ids: HashSet<String>,
    changed: HashSet<String>,
    routes: BTreeMap<String, Route>,
    seen: HashSet<String>,
    queues: HashMap<Option<String>, VecDeque<String>>,
    /// Pages (app path, HTML) not yet written, per scope.
    pages: HashMap<Option<String>, Vec<(String, String)>>,
    referrer: HashMap<String, String>,
    report: Report,
}

impl Crawl<'_> {
    fn io(&self, file: &str, e: std::io::Error) -> PublishError {
        PublishError::Io(self.opts.out.join(file), e)
    }

    /// Queues a URL in its scope, once; URLs of unchanged elections and live-only URLs are
    /// not fetched.
    fn enqueue(&mut self, path: String, from: &str) {
        if is_live_only(&path) || self.seen.contains(&path) {
            return;
        }
        let scope = election_of(&path, &self.ids).map(str::to_string);
        if scope.as_ref().is_some_and(|id| !self.changed.contains(id)) {
            return;
        }
        self.seen.insert(path.clone());
        self.referrer.insert(path.clone(), from.to_string());
        self.queues.entry(scope).or_default().push_back(path);
    }

    /// Fetches everything queued in `scope`, following links.
    async fn run(&mut self, scope: Option<&str>) -> Result<(), PublishError> {
        let mut set = tokio::task::JoinSet::new();
        loop {
            while set.len() < self.opts.concurrency.max(1) {
                let Some(path) = self
                    .queues
                    .get_mut(&scope.map(str::to_string))
                    .and_then(VecDeque::pop_front)
                else {
                    break;
                };
                self.report.requested += 1;
                if self.report.requested > MAX_URLS {
                    return Err(PublishError::TooManyUrls(MAX_URLS));
                }
                let router = self.router.clone();
                set.spawn(async move {
                    let f = fetch(router, path.clone()).await;
                    (path, f)
                });
            }
            let Some(done) = set.join_next().await else {
                return Ok(());
            };
            let (path, f) = done.map_err(|e| PublishError::App(e.to_string()))?;
            self.handle(scope, path, &f)?;
        }
    }

    fn handle(
        &mut self,
        scope: Option<&str>,
        path: String,
        f: &Fetched,
    ) -> Result<(), PublishError> {
        // A documented API route the app refuses for an election (404: the verification of
        // an election that was not imported; 400: no result of a damaged election) is not
        // published (a static server cannot answer with that status); a link that does not
        // work is a failure.
        let fail = |c: &mut Self, status: u16| {
            let from = c.referrer.get(&path).cloned().unwrap_or_default();
            if from.is_empty() && (400..500).contains(&status) {
                c.report.unavailable.push((path.clone(), status));
            } else {
                c.report.failures.push((path.clone(), status, from));
            }
        };
        if (300..400).contains(&f.status) {
            let Some(target) = f
                .location
                .as_deref()
                .and_then(|l| html::same_site(l, &path))
            else {
                fail(self, f.status);
                return Ok(());
            };
            let page = redirect_page(&target.0);
            self.plan(&path, Kind::Redirect, "text/html", &[], scope);
            self.pages
                .entry(scope.map(str::to_string))
                .or_default()
                .push((path.clone(), page));
            self.enqueue(target.0, &path);
            return Ok(());
        }
        if f.status != 200 {
            fail(self, f.status);
            return Ok(());
        }
        if f.content_type.starts_with("text/html") {
            let text = String::from_utf8_lossy(&f.body).into_owned();
            for a in html::url_attrs(&text) {
                let value = html::unescape(&text[a.start..a.end]);
                if let Some((p, _, _)) = html::same_site(&value, &path) {
                    self.enqueue(p, &path);
                }
            }
            if self.plan(&path, Kind::Html, &f.content_type, &[], scope) {
                self.pages
                    .entry(scope.map(str::to_string))
                    .or_default()
                    .push((path, text));
            }
            return Ok(());
        }
        let kind = if path.starts_with("/static/") {
            Kind::Asset
        } else {
            Kind::Data
        };
        if self.plan(&path, kind, &f.content_type, &f.body, scope) {
            self.store(&path, &f.body)?;
        }
        Ok(())
    }

    /// Adds the route for `path` (its hash follows when it is written); false when the path
    /// cannot be a file.
    fn plan(
        &mut self,
        path: &str,
        kind: Kind,
        content_type: &str,
        body: &[u8],
        scope: Option<&str>,
    ) -> bool {
        let Some(file) = site::file_for(path, kind, content_type, body) else {
            let from = self.referrer.get(path).cloned().unwrap_or_default();
            self.report.failures.push((path.to_string(), 0, from));
            return false;
        };
        self.routes.insert(
            path.to_string(),
            Route {
                file,
                sha256: String::new(),
                bytes: 0,
                kind,
                election: scope.map(str::to_string),
            },
        );
        true
    }

    /// Writes the bytes of a planned route (only if they changed) and records their hash.
    fn store(&mut self, path: &str, bytes: &[u8]) -> Result<(), PublishError> {
        let sha = site::sha256(bytes);
        let Some(route) = self.routes.get_mut(path) else {
            return Ok(());
        };
        let file = route.file.clone();
        let wrote = site::write_if_changed(
            &self.opts.out,
            &file,
            bytes,
            &sha,
            self.old.routes.get(path),
        )
        .map_err(|e| self.io(&file, e))?;
        let route = self.routes.get_mut(path).expect("planned");
        route.sha256 = sha;
        route.bytes = bytes.len() as u64;
        self.report.written += usize::from(wrote);
        Ok(())
    }

    /// Where a reference that needs the app goes: the live app, or the notice page.
    fn live_target(&self, path: &str, query: Option<&str>) -> String {
        match &self.opts.live_url {
            Some(live) => match query {
                Some(q) => format!("{}{path}?{q}", live.trim_end_matches('/')),
                None => format!("{}{path}", live.trim_end_matches('/')),
            },
            None => format!("{NOTICE_PATH}/"),
        }
    }

    /// The page with every same-site reference pointing at the published file.
    fn rewrite(&self, page_path: &str, text: &str) -> String {
        html::rewrite(text, |attr, value| {
            if value.starts_with('#') {
                return None;
            }
            let (path, query, fragment) = html::same_site(value, page_path)?;
            let route = self.routes.get(&path);
            let needs_app = is_live_only(&path)
                || attr.name == "action"
                || (query.is_some() && route.is_none_or(|r| r.kind != Kind::Asset));
            let mut url = if needs_app {
                self.live_target(&path, query.as_deref())
            } else {
                route?.public_url(&path)
            };
            if let (Some(f), false) = (fragment, needs_app) {
                url.push('#');
                url.push_str(&f);
            }
            (url != value).then_some(url)
        })
    }

    /// Rewrites and writes the pages of a scope.
    fn write_pages(&mut self, scope: Option<&str>) -> Result<(), PublishError> {
        for (path, text) in self
            .pages
            .remove(&scope.map(str::to_string))
            .unwrap_or_default()
        {
            let mut out = self.rewrite(&path, &text);
            if self.opts.live_url.is_none() && out.contains("<form") {
                out = html::before_forms(&html::without_site_search(&out), FORM_NOTICE);
            }
            self.store(&path, out.as_bytes())?;
        }
        Ok(())
    }
}

/// A page that forwards to `target` (for a redirect of the app).
fn redirect_page(target: &str) -> String {
    let t = html::escape(target);
    format!(
        "<!DOCTYPE html>\n<html lang=\"nl\"><head><meta charset=\"utf-8\"><title>Doorverwijzing – Stembus</title>\
         <meta http-equiv=\"refresh\" content=\"0; url={t}\"><link rel=\"canonical\" href=\"{t}\"></head>\
         <body><p><a href=\"{t}\">Ga verder naar de pagina</a></p></body></html>\n"
    )
}

/// The content of the page that says a function needs the live app.
fn notice_body(live: Option<&str>) -> String {
    let link = live.map_or_else(String::new, |l| {
        format!(
            "<p><a class=\"button\" href=\"{}/\">Open de app</a></p>",
            html::escape(l.trim_end_matches('/'))
        )
    });
    format!(
        "<div class=\"container\"><h1>Dit kan alleen in de app</h1>\
         <p class=\"lead\">U bekijkt een vaste versie van Stembus. Die bestaat alleen uit pagina's en bestanden. \
         Zelf rekenen met andere stemmen (wat als), zoeken, een andere taal kiezen, inloggen, uitslagen inlezen en de Quick Scan \
         werken alleen in de app.</p>{link}\
         <p>Alle uitslagen, berekeningen, CSV-bestanden en gegevens (API) staan wel in deze versie. \
         <a href=\"/\">Naar de startpagina</a></p>\
         <p lang=\"en\">This is a static copy of Stembus: what-if calculations, search, English, login, imports and the Quick Scan need the live app.</p></div>"
    )
}

/// Publishes the site of `app` (built with `web` as its election module state) into
/// `opts.out`. Awaits on the current Tokio runtime (multi-threaded, for the margins).
pub async fn publish(app: &App, web: &Arc<Web>, opts: &Options) -> Result<Report, PublishError> {
    let start = Instant::now();
    std::fs::create_dir_all(&opts.out).map_err(|e| PublishError::Io(opts.out.clone(), e))?;
    let old = Manifest::read(&opts.out);
    let state = app.state.clone();
    let generator = opts
        .generator
        .clone()
        .unwrap_or_else(generator_of_current_exe);
    let program = generator.clone();
    // The key of each election: its stored data and verification report, and the program.
    let keys: Vec<(String, String)> = state
        .db()
        .call(move |c| {
            let mut out = Vec::new();
            for s in crate::store::list(c)? {
                let data = crate::store::load(c, &s.id)?;
                let report = crate::import::load_report(c, &s.id)?;
                let json = serde_json::to_vec(&(&generator, &data, &report))
                    .map_err(|e| webkit::AppError::internal(e.to_string()))?;
                out.push((s.id, site::sha256(&json)));
            }
            Ok(out)
        })
        .await
        .map_err(|e| PublishError::App(e.to_string()))?;
    let same_program = old.generator == program;
    let changed: Vec<String> = keys
        .iter()
        .filter(|(id, key)| !same_program || old.elections.get(id) != Some(key))
        .map(|(id, _)| id.clone())
        .collect();
    let mut crawl = Crawl {
        router: app.router(),
        opts,
        old: &old,
        ids: keys.iter().map(|(id, _)| id.clone()).collect(),
        changed: changed.iter().cloned().collect(),
        routes: BTreeMap::new(),
        seen: HashSet::new(),
        queues: HashMap::new(),
        pages: HashMap::new(),
        referrer: HashMap::new(),
        report: Report {
            elections: keys.len(),
            rebuilt: changed.clone(),
            ..Report::default()
        },
    };
    // Unchanged elections keep their files.
    for (path, r) in &old.routes {
        if r.election
            .as_ref()
            .is_some_and(|id| crawl.ids.contains(id) && !crawl.changed.contains(id))
        {
            crawl.routes.insert(path.clone(), r.clone());
        }
    }
    for seed in ["/", "/api", "/api/openapi.json", "/api/elections"] {
        crawl.enqueue(seed.to_string(), "");
    }
    crawl.run(None).await?;
    let total = changed.len();
    for (n, id) in changed.iter().enumerate() {
        let t = Instant::now();
        // Margins and the reform comparison are computed before their pages are asked for.
        let loaded = web
            .get(&state, id)
            .await
            .map_err(|e| PublishError::App(format!("{id}: {e}")))?;
        let units: Vec<String> = loaded.units.iter().map(|u| u.data.id.clone()).collect();
        let warm = loaded.clone();
        tokio::task::spawn_blocking(move || {
            let _ = warm.reform();
            let _ = warm.margins();
        })
        .await
        .map_err(|e| PublishError::App(e.to_string()))?;
        drop(loaded);
        crawl.enqueue(format!("/verkiezingen/{id}"), "");
        for e in api::ENDPOINTS
            .iter()
            .filter(|e| e.method == "get" && !e.beheer)
        {
            let path = e.path.replace("{id}", id);
            if path.contains("{unit}") {
                for u in &units {
                    crawl.enqueue(path.replace("{unit}", u), "");
                }
            } else if !path.contains('{') {
                crawl.enqueue(path, "");
            }
        }
        let scope = Some(id.as_str());
        let before = crawl.routes.len();
        crawl.run(scope).await?;
        crawl.write_pages(scope)?;
        web.invalidate();
        if opts.progress {
            eprintln!(
                "[{}/{total}] {id}: {} bestanden, {:.1} s (totaal {:.1} s)",
                n + 1,
                crawl.routes.len() - before,
                t.elapsed().as_secs_f64(),
                start.elapsed().as_secs_f64()
            );
        }
        // Links from an election to site-wide URLs not seen yet.
        crawl.run(None).await?;
    }
    // The page about the live app, in the layout of the home page.
    let home = crawl
        .pages
        .get(&None)
        .and_then(|p| p.iter().find(|(path, _)| path == "/"))
        .map(|(_, text)| text.clone());
    if let Some(notice) = home.and_then(|h| {
        html::replace_main(
            &h,
            "Dit kan alleen in de app – Stembus",
            &notice_body(opts.live_url.as_deref()),
        )
        // No menu item is the current page here.
        .map(|p| p.replace(" aria-current=\"page\"", ""))
    }) && crawl.plan(NOTICE_PATH, Kind::Html, "text/html", &[], None)
    {
        crawl
            .pages
            .entry(None)
            .or_default()
            .push((NOTICE_PATH.to_string(), notice));
    }
    crawl.write_pages(None)?;
    // The sitemap: every page, absolute with the base URL.
    let base = opts
        .base_url
        .as_deref()
        .unwrap_or("")
        .trim_end_matches('/')
        .to_string();
    let mut sitemap = String::from(
        "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n",
    );
    for (path, r) in &crawl.routes {
        if r.kind == Kind::Html && path != NOTICE_PATH {
            let _ = writeln!(
                sitemap,
                "<url><loc>{}{}</loc></url>",
                html::escape(&base),
                html::escape(&r.public_url(path))
            );
        }
    }
    sitemap.push_str("</urlset>\n");
    crawl.plan(
        "/sitemap.xml",
        Kind::Generated,
        "application/xml",
        &[],
        None,
    );
    crawl.store("/sitemap.xml", sitemap.as_bytes())?;
    // Files the site no longer has.
    let files: HashSet<&str> = crawl.routes.values().map(|r| r.file.as_str()).collect();
    for r in old.routes.values() {
        if !files.contains(r.file.as_str()) {
            site::remove(&opts.out, &r.file);
            crawl.report.removed += 1;
        }
    }
    let mut manifest = Manifest {
        format: 0,
        generator: program,
        elections: keys.into_iter().collect(),
        routes: std::mem::take(&mut crawl.routes),
    };
    manifest
        .write(&opts.out)
        .map_err(|e| PublishError::Io(opts.out.join(site::MANIFEST), e))?;
    let mut report = crawl.report;
    report.files = manifest.routes.len();
    report.bytes = manifest.routes.values().map(|r| r.bytes).sum();
    report.seconds = start.elapsed().as_secs_f64();
    Ok(report)
}
