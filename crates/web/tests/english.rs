//! English where English is offered: every English page of TK2021, of a GR2022 gemeente whose
//! result needed a lot (Beekdaelen, P 15), of the demo gemeente (a lot still to choose in
//! what-if) and of an election the engine refuses (an input error) shows the engine's own
//! texts in English — lot reasons, lot options, input errors, the proposals' assumptions —
//! and every `lang` attribute matches the text it marks: no Dutch engine word outside an
//! element marked `lang="nl"`, and inside one only names (of lists, candidates, areas,
//! elections) and the Dutch-only notes the page says are Dutch.

use std::collections::{BTreeSet, HashSet};
use std::io::Read;

use axum::http::StatusCode;
use webkit::testing::TestApp;

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

/// Words of the engine's Dutch texts; none may stand in the English text of a page.
const DUTCH_ENGINE_WORDS: &[&str] = &[
    "zetel",
    "zetels",
    "restzetel",
    "restzetels",
    "lijst",
    "lijsten",
    "loting",
    "lot viel",
    "stemmen",
    "gelijke",
    "voorkeurstemmen",
    "kandidaatsstemmen",
    "kandidaat",
    "lijstengroep",
    "kiesdeler",
    "overschot",
    "gemiddelde",
    "vastgelegde",
    "geen geldend recht",
    "moet tussen",
    "aantal",
    "niet",
];

/// The text of a page, split into what is marked Dutch (`lang="nl"`, with the element's own
/// text) and the rest; `<script>` and `<style>` are left out. Also every `lang` value.
struct Text {
    english: String,
    dutch: Vec<String>,
    html_lang: Option<String>,
    langs: BTreeSet<String>,
}

fn attr<'a>(tag: &'a str, name: &str) -> Option<&'a str> {
    let key = format!(" {name}=\"");
    let at = tag.find(&key)? + key.len();
    let end = tag[at..].find('"')?;
    Some(&tag[at..at + end])
}

fn text_of(html: &str) -> Text {
    const VOID: &[&str] = &[
        "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr", "!doctype", "!--",
    ];
    let mut out = Text {
        english: String::new(),
        dutch: Vec::new(),
        html_lang: None,
        langs: BTreeSet::new(),
    };
    // Open elements: (name, marked Dutch).
    let mut stack: Vec<(String, bool)> = Vec::new();
    let mut rest = html;
    while !rest.is_empty() {
        let Some(lt) = rest.find('<') else {
            push_text(&mut out, &stack, rest);
            break;
        };
        push_text(&mut out, &stack, &rest[..lt]);
        rest = &rest[lt..];
        if rest.starts_with("<!--") {
            let end = rest.find("-->").map_or(rest.len(), |e| e + 3);
            rest = &rest[end..];
            continue;
        }
        let end = rest.find('>').map_or(rest.len(), |e| e + 1);
        let tag = &rest[..end];
        rest = &rest[end..];
        let name: String = tag[1..]
            .chars()
            .take_while(|c| !c.is_whitespace() && *c != '>' && *c != '/')
            .collect::<String>()
            .to_ascii_lowercase();
        if let Some(closing) = tag.strip_prefix("</") {
            let closing = closing.trim_end_matches('>').trim().to_ascii_lowercase();
            if let Some(pos) = stack.iter().rposition(|(n, _)| *n == closing) {
                stack.truncate(pos);
            }
            continue;
        }
        if name == "script" || name == "style" {
            let close = format!("</{name}>");
            let e = rest.find(&close).map_or(rest.len(), |e| e + close.len());
            rest = &rest[e..];
            continue;
        }
        let lang = attr(tag, "lang");
        if let Some(l) = lang {
            out.langs.insert(l.to_string());
        }
        if name == "html" {
            out.html_lang = lang.map(str::to_string);
        }
        // Attribute texts a person reads.
        for a in ["title", "aria-label", "placeholder", "alt"] {
            if let Some(v) = attr(tag, a) {
                push_text(&mut out, &stack, &format!(" {v} "));
            }
        }
        if VOID.contains(&name.as_str()) || tag.ends_with("/>") {
            continue;
        }
        let parent_nl = stack.last().is_some_and(|(_, nl)| *nl);
        let nl = match lang {
            Some("nl") => {
                if !parent_nl {
                    out.dutch.push(String::new());
                }
                true
            }
            Some(_) => false,
            None => parent_nl,
        };
        stack.push((name, nl));
    }
    out
}

fn push_text(out: &mut Text, stack: &[(String, bool)], s: &str) {
    let s = s
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&quot;", "\"")
        .replace("&#39;", "'");
    if stack.last().is_some_and(|(_, nl)| *nl) {
        if let Some(d) = out.dutch.last_mut() {
            d.push_str(&s);
            d.push(' ');
        }
    } else {
        out.english.push_str(&s);
        out.english.push(' ');
    }
}

/// Whole-word, case-insensitive.
fn has_word(text: &str, word: &str) -> bool {
    let lower = text.to_lowercase();
    let mut from = 0;
    while let Some(i) = lower[from..].find(word) {
        let at = from + i;
        let before = lower[..at].chars().next_back();
        let after = lower[at + word.len()..].chars().next();
        if !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric) {
            return true;
        }
        from = at + word.len();
    }
    false
}

/// Names the pages may show in Dutch: lists, candidates, areas and the election itself.
fn names(app: &TestApp, id: &str) -> Vec<String> {
    let data = app
        .state()
        .db()
        .with(|c| web::store::load(c, id))
        .unwrap()
        .unwrap_or_else(|| panic!("{id} stored"));
    let mut names: HashSet<String> = HashSet::new();
    names.insert(data.name.clone());
    for p in &data.parties {
        names.insert(p.name.clone());
        for l in &p.lists {
            for c in &l.candidates {
                names.insert(c.name.clone());
            }
        }
    }
    for u in &data.units {
        names.insert(u.name.clone());
    }
    let mut v: Vec<String> = names.into_iter().filter(|n| n.trim().len() > 1).collect();
    // Longest first, so a name is removed before a shorter one inside it.
    v.sort_by_key(|n| std::cmp::Reverse(n.len()));
    v
}

/// Checks one English page; returns its links to other pages of the election.
fn check_page(path: &str, body: &str, names: &[String]) -> Vec<String> {
    let t = text_of(body);
    assert_eq!(t.html_lang.as_deref(), Some("en"), "{path}: <html lang>");
    assert!(
        t.langs.iter().all(|l| l == "en" || l == "nl"),
        "{path}: {:?}",
        t.langs
    );
    let mut english = t.english;
    for n in names {
        english = english.replace(n.as_str(), " ");
    }
    // Codes such as W-VOLGORDE-GELIJKE-STEMMEN are identifiers, the same in both languages.
    let english: String = english
        .split(' ')
        .filter(|w| {
            !(w.contains('-')
                && w.chars()
                    .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit() || c == '-'))
        })
        .collect::<Vec<_>>()
        .join(" ");
    for w in DUTCH_ENGINE_WORDS {
        if has_word(&english, w) {
            let i = english.to_lowercase().find(w).unwrap_or(0);
            let from = english.floor_char_boundary(i.saturating_sub(120));
            let to = english.ceil_char_boundary((i + 120).min(english.len()));
            panic!(
                "{path}: Dutch ‘{w}’ in English text: …{}…",
                &english[from..to]
            );
        }
    }
    // What is marked Dutch is a name, or a word the page explains (e.g. the bill's name).
    for d in &t.dutch {
        let mut rest = d.clone();
        for n in names {
            rest = rest.replace(n.as_str(), " ");
        }
        for allowed in [
            "Met één stem meer keus",
            "Wet 36 641",
            "Wetsvoorstel 36 641",
        ] {
            rest = rest.replace(allowed, " ");
        }
        let rest = rest.trim_matches(|c: char| !c.is_alphabetic());
        assert!(
            rest.split_whitespace().count() <= 3,
            "{path}: lang=\"nl\" marks more than a name: {d:?}"
        );
    }
    let mut links = Vec::new();
    let mut rest = body;
    while let Some(i) = rest.find("href=\"") {
        rest = &rest[i + 6..];
        let end = rest.find('"').unwrap_or(0);
        links.push(rest[..end].replace("&amp;", "&"));
    }
    links
}

/// `link` asking for English (the test client keeps no language cookie).
fn english(link: &str) -> String {
    if link.contains("lang=en") {
        link.to_string()
    } else if link.contains('?') {
        format!("{link}&lang=en")
    } else {
        format!("{link}?lang=en")
    }
}

/// Crawls the English pages of election `id` from its overview (at most `limit` pages, area
/// pages included), plus `extra` paths; every page is checked.
async fn crawl(app: &TestApp, id: &str, extra: &[String], limit: usize) -> usize {
    let names = names(app, id);
    let prefix = format!("/verkiezingen/{id}");
    let mut seen: HashSet<String> = HashSet::new();
    let mut queue: Vec<String> = vec![format!("{prefix}?lang=en")];
    queue.extend(extra.iter().cloned());
    let mut checked = 0;
    while let Some(path) = queue.pop() {
        if checked >= limit || !seen.insert(path.clone()) {
            continue;
        }
        let r = app.get(&path, None).await;
        if r.status == StatusCode::SEE_OTHER {
            if let Some(to) = r.location() {
                queue.push(english(to));
            }
            continue;
        }
        if !r
            .headers
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("text/html"))
        {
            continue;
        }
        // The proof is Dutch only (no English offered): its <html lang> is "nl".
        if path.contains("/berekening") {
            assert!(r.body.contains("<html lang=\"nl\">"), "{path}");
            assert!(!r.body.contains("lang-toggle"), "{path}");
            continue;
        }
        // Some pages answer 400 with a page of their own (a what-if that cannot be computed).
        assert!(
            r.status == StatusCode::OK || r.status == StatusCode::BAD_REQUEST,
            "{path}: {}",
            r.status
        );
        checked += 1;
        for link in check_page(&path, &r.body, &names) {
            let link = link.split('#').next().unwrap_or_default().to_string();
            // The language is kept in a cookie; ask for English on every link.
            if link.starts_with(&prefix)
                && !link.contains("/csv/")
                && !link.contains("/verwijderen")
                && !link.contains("lang=nl")
            {
                queue.push(english(&link));
            }
        }
    }
    checked
}

fn zip_folder(zip: &std::path::Path, folder: &str) -> Vec<(String, Vec<u8>)> {
    let mut a = zip::ZipArchive::new(std::fs::File::open(zip).unwrap()).unwrap();
    let mut out = Vec::new();
    for i in 0..a.len() {
        let mut f = a.by_index(i).unwrap();
        let name = f.name().unwrap().to_string();
        if name.starts_with(&format!("{folder}/")) && f.is_file() {
            let mut bytes = Vec::new();
            f.read_to_end(&mut bytes).unwrap();
            out.push((name, bytes));
        }
    }
    out
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn english_pages_show_english_only() {
    let app = TestApp::new(vec![web::module()]);

    // The demo gemeente: a recorded lot; changing list 2 keeps the tie, so a lot is asked.
    let gr = web::demo::GR_ID;
    let lot_page = format!("/verkiezingen/{gr}/wat-als?v2=1699&lang=en");
    let r = app.get(&lot_page, None).await;
    assert!(r.body.contains("A lot is needed"), "lot asked");
    assert!(
        r.body
            .contains("equal averages or remainders for 1 residual seat"),
        "the engine's reason in English"
    );
    let n = crawl(
        &app,
        gr,
        &[
            lot_page,
            format!("/verkiezingen/{gr}/hervorming?lang=en"),
            format!("/verkiezingen/{gr}/wat-als?van=1&naar=2&aantal=1000&lang=en"),
        ],
        200,
    )
    .await;
    assert!(n >= 8, "{n} pages");

    // An election the engine refuses: no seats.
    let mut bad = web::demo::gemeente();
    bad.id = "gr-zonder-zetels".into();
    bad.seats = 0;
    app.state()
        .db()
        .with(|c| web::store::save(c, &bad))
        .unwrap();
    let r = app
        .get("/verkiezingen/gr-zonder-zetels?lang=en", None)
        .await;
    assert!(
        r.body
            .contains("the number of seats must be between 1 and 10,000, not 0"),
        "{}",
        &r.body[r.body.find("<main").unwrap_or(0)..][..2000.min(r.body.len() / 2)]
    );
    crawl(
        &app,
        "gr-zonder-zetels",
        &["/verkiezingen/gr-zonder-zetels/hervorming?lang=en".to_string()],
        60,
    )
    .await;

    // Official data: TK2021 and a GR2022 gemeente whose result needed a lot.
    let Some(dir) = shared_data("GR2022/GR2022_shared.zip") else {
        return;
    };
    let files = zip_folder(&dir.join("GR2022/GR2022_shared.zip"), "Beekdaelen");
    assert!(!files.is_empty());
    let summary = app
        .state()
        .db()
        .with(|c| web::import::import_upload(c, &files, "test", 1 << 30))
        .unwrap();
    let id = summary.elections[0].id.clone();
    let n = crawl(
        &app,
        &id,
        &[
            format!("/verkiezingen/{id}/hervorming?lang=en"),
            format!("/verkiezingen/{id}/controle?lang=en"),
        ],
        80,
    )
    .await;
    assert!(n >= 8, "{n} pages");

    let Some(dir) = shared_data("TK2021/EML_bestanden_TK2021_deel_1.zip") else {
        return;
    };
    let zip = dir.join("TK2021/EML_bestanden_TK2021_deel_1.zip");
    app.state()
        .db()
        .with(|c| web::import::import_paths(c, std::slice::from_ref(&zip), "test"))
        .unwrap();
    let n = crawl(
        &app,
        "tk2021",
        &[
            "/verkiezingen/tk2021/hervorming?lang=en".to_string(),
            "/verkiezingen/tk2021/controle?lang=en".to_string(),
            "/verkiezingen/tk2021/wat-als?v1=0&lang=en".to_string(),
        ],
        60,
    )
    .await;
    assert!(n >= 8, "{n} pages");
}
