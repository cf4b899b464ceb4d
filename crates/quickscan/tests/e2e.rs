//! The Quick Scan in headless Chromium through webkit's e2e harness: a trekker sets up a scan
//! (maatwerkvragen, respondents from a CSV file), respondents answer through personal links
//! and inwoners through the public link (one saves halfway and resumes, one uses only the
//! keyboard), reminders reach only the unfinished, and the trekker closes the scan, reads the
//! report and starts the verbeteragenda.
//!
//! axe-core runs on every page the browser loads (0 violations); the first visit of each kind
//! of page also leaves a screenshot `target/screenshots/quickscan-*.png`, some at phone width.
//!
//! Skips (with a message) when chromium, chromedriver or axe-core is missing, unless `CI=true`.

#![allow(
    clippy::too_many_lines,
    clippy::struct_field_names,
    clippy::format_push_string
)]

use std::collections::BTreeSet;
use std::sync::Mutex;

use fantoccini::Locator;
use fantoccini::key::Key;
use quickscan::model::OrgKind;
use quickscan::store;
use quickscan::web::{Options, module};
use webkit::e2e::Browser;
use webkit::testing::{TEST_PASSWORD, TestApp};
use webkit::{Role, RoleGrant};

/// The browser plus the set of page kinds already photographed.
struct B {
    b: Browser,
    shots: Mutex<BTreeSet<String>>,
    pages_checked: Mutex<usize>,
}

impl B {
    /// axe-core on the current page (0 violations); the first page of each `kind` is also
    /// saved as `quickscan-{kind}.png`.
    async fn check(&self, kind: &str) {
        let first = self.shots.lock().unwrap().insert(kind.to_owned());
        if first {
            self.b.check_page(&format!("quickscan-{kind}")).await;
        } else {
            let v = self.b.axe().await;
            assert!(
                v.is_empty(),
                "axe-core violations on {kind} ({}):\n  {}",
                self.b.path().await,
                v.join("\n  ")
            );
        }
        *self.pages_checked.lock().unwrap() += 1;
    }

    /// A screenshot at phone width (390 px), then back to the desktop size.
    async fn phone_shot(&self, name: &str) {
        self.b.client.set_window_size(390, 844).await.unwrap();
        let v = self.b.axe().await;
        assert!(v.is_empty(), "axe-core at phone width on {name}: {v:?}");
        self.b
            .screenshot(&format!("quickscan-{name}-telefoon"))
            .await;
        self.b.client.set_window_size(1280, 900).await.unwrap();
    }

    /// Clicks something that loads a new page and waits until the new page is there.
    async fn click(&self, css: &str) {
        self.b.click_to_page(css).await;
    }

    /// Presses a key that loads a new page and waits for it.
    async fn press_nav(&self, key: Key) {
        self.b.mark_page().await;
        self.b.press(key).await;
        self.b.wait_new_page().await;
    }

    async fn login(&self, name: &str) {
        self.b.login(name, TEST_PASSWORD).await;
    }

    async fn source(&self) -> String {
        self.b.source().await
    }

    async fn path(&self) -> String {
        self.b.path().await
    }

    async fn goto(&self, path: &str) {
        self.b.goto(path).await;
    }

    /// Clicks option `k` (1-based) of every 5-point question on the page and, when there is
    /// one, types `text` into the open maatwerk question.
    async fn answer_page(&self, k: usize, text: Option<&str>) {
        let radios = self
            .b
            .client
            .find_all(Locator::Css(&format!(
                ".qs-scale > .radio:nth-child({k}) input"
            )))
            .await
            .unwrap();
        for r in radios {
            r.click().await.unwrap();
        }
        if let Some(t) = text
            && let Ok(e) = self
                .b
                .client
                .find(Locator::Css("textarea#maatwerk_2"))
                .await
        {
            e.send_keys(t).await.unwrap();
        }
    }

    /// Presses Tab until the focused element matches `css` (at most 200 times).
    async fn tab_to(&self, css: &str) {
        for _ in 0..200 {
            self.b.press(Key::Tab).await;
            let hit = self
                .b
                .client
                .execute(
                    "return !!document.activeElement && document.activeElement.matches(arguments[0]);",
                    vec![serde_json::json!(css)],
                )
                .await
                .unwrap();
            if hit == serde_json::Value::Bool(true) {
                return;
            }
        }
        panic!("Tab never reached {css} on {}", self.path().await);
    }
}

fn extract(body: &str, prefix: &str) -> String {
    let i = body
        .find(prefix)
        .unwrap_or_else(|| panic!("{prefix} not in page"));
    body[i + prefix.len()..]
        .chars()
        .take_while(|c| c.is_ascii_alphanumeric() || *c == '-')
        .collect()
}

const STEPS: usize = 8;

/// Answers the whole questionnaire from the start page (`.../stap/1`) with option `k`.
async fn answer_all(b: &B, k: usize, text: &str, kind: &str) {
    for step in 1..=STEPS {
        assert!(b.path().await.ends_with(&format!("/stap/{step}")));
        b.check(&format!("{kind}-stap-{step}")).await;
        b.answer_page(k, Some(text)).await;
        b.click("button[value=volgende]").await;
    }
    assert!(b.path().await.ends_with("/controle"), "{}", b.path().await);
    b.check(&format!("{kind}-controle")).await;
    assert!(b.source().await.contains(text));
    b.click("form[action$='/versturen'] button").await;
    assert!(b.path().await.starts_with("/vragenlijst/bedankt/"));
    b.check("bedankt").await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn quick_scan_in_the_browser() {
    let app = TestApp::new(vec![module(Options {
        public_url: Some(quickscan::links::PublicUrl::parse("http://gemeente.example").unwrap()),
        public_per_minute: 300,
        ..Options::default()
    })]);
    app.state()
        .db()
        .with(|c| store::upsert_org(c, "1", "Gemeente Een", OrgKind::Gemeente))
        .unwrap();
    let name = app.user_name(&[RoleGrant {
        role: Role::Trekker,
        org: Some("1".into()),
    }]);
    let Some(browser) = Browser::start(app.app.router()).await else {
        return;
    };
    let b = B {
        b: browser,
        shots: Mutex::new(BTreeSet::new()),
        pages_checked: Mutex::new(0),
    };

    // --- the trekker sets up the scan ---
    b.login(&name).await;
    b.goto("/qs").await;
    b.check("overzicht").await;
    b.click("a[href='/qs/1']").await;
    b.check("organisatie").await;
    b.b.fill("#f-title", "Nulmeting 2025").await;
    b.click("form[action='/qs/1/scans'] button[type=submit]")
        .await;
    let scan_path = b.path().await;
    assert!(scan_path.starts_with("/qs/1/scans/"), "{scan_path}");
    b.check("scan-concept").await;
    for (text, radio) in [
        ("Ik ken de wijkwethouder.", "#mk-s"),
        ("Wat moet er in uw wijk beter?", "#mk-o"),
    ] {
        b.b.fill("#mw-nl", text).await;
        b.b.click(radio).await;
        b.click("form[action$='/maatwerk'] button[type=submit]")
            .await;
        assert!(b.source().await.contains(text));
        b.check("scan-maatwerk").await;
    }
    // 12 respondents in 3 groups, uploaded as a file
    let dir = webkit::TempDir::new("qs-e2e");
    let file = dir.path().join("respondenten.csv");
    let mut csv = String::from("\u{feff}naam;e-mail;groep\n");
    for i in 0..5 {
        csv.push_str(&format!("Raadslid {i};r{i}@een.nl;raad\n"));
    }
    for i in 0..2 {
        csv.push_str(&format!("Wethouder {i};c{i}@een.nl;college\n"));
    }
    for i in 0..5 {
        csv.push_str(&format!("Ambtenaar {i};a{i}@een.nl;ambtenaren\n"));
    }
    std::fs::write(&file, csv).unwrap();
    b.b.client
        .find(Locator::Css("input#bestand[type=file]"))
        .await
        .unwrap()
        .send_keys(&file.to_string_lossy())
        .await
        .unwrap();
    b.click("form[enctype='multipart/form-data'] button[type=submit]")
        .await;
    let src = b.source().await;
    assert!(
        src.contains("Raadslid 4") && src.contains("Wethouder 1") && src.contains("a4@een.nl"),
        "upload did not add the respondents"
    );
    b.check("scan-respondenten").await;
    let public = extract(&src, "/vragenlijst/p/");
    // open and invite
    b.click("form[action$='/status'] button").await;
    b.check("scan-open").await;
    b.click("form[action$='/uitnodigen'] button").await;
    b.check("uitnodigen-bevestigen").await;
    b.click("form[action$='/uitnodigen'] button").await; // "Ja, uitnodigingen versturen"
    let src = b.source().await;
    assert!(src.contains("12 verstuurd"), "{src}");
    b.check("uitnodigingen-verstuurd").await;
    b.goto(&format!("{scan_path}/outbox")).await;
    b.check("outbox").await;
    let outbox = b.source().await;
    let mut links: Vec<(String, String)> = Vec::new(); // (address, token)
    for article in outbox.split("<article>").skip(1) {
        let to = article[article.find("Aan: ").unwrap() + 5..]
            .split(' ')
            .next()
            .unwrap_or_default()
            .to_owned();
        links.push((to, extract(article, "/vragenlijst/i/")));
    }
    assert_eq!(links.len(), 12, "12 invitations in the outbox");
    b.click("form[action='/logout'] button").await;

    // --- respondents with a personal link: raad, ambtenaren and one college member ---
    let mut first = true;
    for (to, token) in &links {
        if to.starts_with("c1@") {
            continue; // this one never answers: only they get a reminder
        }
        b.goto(&format!("/vragenlijst/i/{token}")).await;
        b.check("uitnodiging").await;
        b.click("a.button[href$='/stap/1']").await;
        let k = if to.starts_with('r') { 4 } else { 3 };
        answer_all(&b, k, "Meer buurtavonden", "persoonlijk").await;
        if first {
            // the link cannot be used twice
            b.goto(&format!("/vragenlijst/i/{token}")).await;
            assert!(b.source().await.contains("al ingevuld"));
            b.check("link-gebruikt").await;
            first = false;
        }
    }

    // --- inwoners through the public link ---
    for i in 0..6 {
        b.goto(&format!("/vragenlijst/p/{public}")).await;
        b.check("publiek-start").await;
        b.click(&format!("form[action='/vragenlijst/p/{public}'] button"))
            .await;
        match i {
            0 => {
                // saves halfway and resumes with the code
                for step in 1..=3 {
                    b.check(&format!("publiek-stap-{step}")).await;
                    b.answer_page(2, None).await;
                    b.click("button[value=volgende]").await;
                }
                b.check("publiek-stap-4").await;
                b.answer_page(2, None).await;
                b.click("button[value=opslaan]").await;
                b.check("opgeslagen").await;
                let code = b.b.text(".qs-code").await;
                assert_eq!(code.len(), 14, "{code}");
                b.goto("/vragenlijst/code").await;
                b.check("code").await;
                b.b.fill("#code", &code.to_lowercase().replace('-', " "))
                    .await;
                b.click("form[action='/vragenlijst/code'] button").await;
                assert!(b.path().await.ends_with("/stap/1"));
                b.goto(&b.path().await.replace("/stap/1", "/stap/4")).await;
                let checked =
                    b.b.client
                        .find_all(Locator::Css(
                            ".qs-scale > .radio:nth-child(2) input:checked",
                        ))
                        .await
                        .unwrap();
                assert!(!checked.is_empty(), "saved answers are restored");
                b.goto(&b.path().await.replace("/stap/4", "/stap/1")).await;
                answer_all(&b, 2, "Een speeltuin in de wijk", "publiek").await;
            }
            1 => {
                // keyboard only: Tab, Space and Enter, no mouse
                assert!(b.path().await.ends_with("/stap/1"));
                b.b.keyboard_check(&[
                    ".qs-scale input[type=radio]",
                    "button[value=volgende]",
                    "button[value=opslaan]",
                ])
                .await;
                for step in 1..=STEPS {
                    b.check(&format!("publiek-stap-{step}")).await;
                    b.b.client.refresh().await.unwrap();
                    if b.b
                        .client
                        .find(Locator::Css(".qs-scale input[type=radio]"))
                        .await
                        .is_ok()
                    {
                        // first question: Tab into the radio group, Space picks the first
                        // option, the arrow key moves to the second
                        b.tab_to(".qs-scale input[type=radio]").await;
                        b.b.press(Key::Space).await;
                        b.b.press(Key::Right).await;
                    }
                    if b.b
                        .client
                        .find(Locator::Css("textarea#maatwerk_2"))
                        .await
                        .is_ok()
                    {
                        b.tab_to("textarea#maatwerk_2").await;
                        b.b.client
                            .active_element()
                            .await
                            .unwrap()
                            .send_keys("Met het toetsenbord ingevuld")
                            .await
                            .unwrap();
                    }
                    b.tab_to("button[value=volgende]").await;
                    b.press_nav(Key::Enter).await;
                    wait_path(
                        &b,
                        &if step < STEPS {
                            format!("/stap/{}", step + 1)
                        } else {
                            "/controle".into()
                        },
                    )
                    .await;
                }
                b.check("publiek-controle").await;
                let src = b.source().await;
                assert!(src.contains("Met het toetsenbord ingevuld"));
                b.tab_to("form[action$='/versturen'] button").await;
                b.press_nav(Key::Enter).await;
                b.b.wait_for_path("/vragenlijst/bedankt/").await;
                b.check("bedankt").await;
            }
            _ => answer_all(&b, 2, "Een speeltuin in de wijk", "publiek").await,
        }
    }

    // --- reminders only to the unfinished ---
    b.login(&name).await;
    b.goto(&scan_path).await;
    b.check("scan-open").await;
    b.click("form[action$='/herinneren'] button").await;
    b.click("form[action$='/herinneren'] button").await; // "Ja, herinnering sturen"
    assert!(b.source().await.contains("1 verstuurd"));
    b.goto(&format!("{scan_path}/outbox")).await;
    b.check("outbox").await;
    let outbox = b.source().await;
    let reminders: Vec<&str> = outbox
        .split("<article>")
        .skip(1)
        .filter(|a| a.contains("Herinnering"))
        .collect();
    assert_eq!(reminders.len(), 1, "one reminder");
    assert!(reminders[0].contains("c1@een.nl"));

    // --- close, report, verbeteragenda ---
    b.goto(&scan_path).await;
    b.click("form[action$='/status'] button").await; // sluiten
    b.check("sluiten-bevestigen").await;
    b.click("form[action$='/status'] button").await; // "Ja, vragenlijst sluiten"
    b.check("scan-gesloten").await;
    b.click("a[href$='/rapport']").await;
    b.check("rapport").await;
    let rep = b.source().await;
    assert!(
        rep.contains("Van collegeleden vulden minder dan 5 mensen de vragenlijst zelf in"),
        "college suppressed"
    );
    for g in ["Raadsleden", "Ambtenaren", "Inwoners"] {
        assert!(
            rep.contains(&format!("<th scope=\"col\">{g}</th>")),
            "{g} compared"
        );
    }
    assert!(!rep.contains("<th scope=\"col\">Collegeleden</th>"));
    assert!(rep.contains("Groepen verschillen"));
    assert!(rep.contains("Meer buurtavonden") && rep.contains("Met het toetsenbord ingevuld"));
    b.phone_shot("rapport").await;
    b.goto(&scan_path).await;
    b.goto(&format!("{scan_path}/vaststellen")).await; // issue 12: with a confirmation
    b.click("form[action$='/vaststellen'] button[type=submit]")
        .await; // rapport vaststellen
    b.check("scan-rapport").await;
    b.goto(&format!("{scan_path}/agenda")).await;
    b.check("agenda-leeg").await;
    for (title, owner) in [
        ("Participatieverordening opstellen", "Griffie"),
        ("Uitleg raadsbesluiten in B1", "Communicatie"),
    ] {
        b.b.fill("#f-title", title).await;
        b.b.fill("#f-owner", owner).await;
        b.click("form[action$='/agenda'] button[type=submit]").await;
        assert!(b.source().await.contains(title));
        b.check("agenda").await;
    }
    b.phone_shot("agenda").await;
    b.goto(&format!("/vragenlijst/p/{public}")).await;
    assert!(b.source().await.contains("Deze vragenlijst is gesloten op"));
    b.check("publiek-gesloten").await;

    let n = *b.pages_checked.lock().unwrap();
    eprintln!(
        "quickscan e2e: {n} page loads checked with axe-core, {} kinds photographed",
        b.shots.lock().unwrap().len()
    );
    b.b.close().await;
    drop(dir);
}

async fn wait_path(b: &B, suffix: &str) {
    for _ in 0..50 {
        if b.path().await.ends_with(suffix) {
            return;
        }
        tokio::time::sleep(std::time::Duration::from_millis(100)).await;
    }
    panic!("expected a page ending in {suffix}, at {}", b.path().await);
}

/// Phone-width pictures of the questionnaire (separate so a failure points at the layout).
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn questionnaire_at_phone_width() {
    let app = TestApp::new(vec![module(Options {
        public_url: Some(quickscan::links::PublicUrl::parse("http://gemeente.example").unwrap()),
        public_per_minute: 300,
        ..Options::default()
    })]);
    let public = app
        .state()
        .db()
        .with(|c| {
            store::upsert_org(c, "1", "Gemeente Een", OrgKind::Gemeente)?;
            let today = quickscan::model::Day::today();
            let id = store::create_scan(c, "1", "Scan", None, today)?;
            store::advance(c, id, quickscan::model::ScanStatus::Open, today)?;
            Ok::<_, store::Error>(store::scan(c, id)?.public_code)
        })
        .unwrap();
    let Some(browser) = Browser::start(app.app.router()).await else {
        return;
    };
    let b = B {
        b: browser,
        shots: Mutex::new(BTreeSet::new()),
        pages_checked: Mutex::new(0),
    };
    b.b.client.set_window_size(390, 844).await.unwrap();
    b.goto(&format!("/vragenlijst/p/{public}")).await;
    b.b.screenshot("quickscan-publiek-start-telefoon").await;
    assert!(b.b.axe().await.is_empty());
    b.click(&format!("form[action='/vragenlijst/p/{public}'] button"))
        .await;
    b.b.screenshot("quickscan-stap-1-telefoon").await;
    assert!(b.b.axe().await.is_empty(), "{:?}", b.b.axe().await);
    // no horizontal scrolling at 390 px
    let wide =
        b.b.client
            .execute(
                "return document.documentElement.scrollWidth > window.innerWidth + 1;",
                vec![],
            )
            .await
            .unwrap();
    assert_eq!(
        wide,
        serde_json::Value::Bool(false),
        "page scrolls sideways"
    );
    b.b.close().await;
}
