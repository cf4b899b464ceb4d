//! Finding and rewriting the links of a rendered page, without knowing what the page shows:
//! only the `href`, `src` and `action` attributes matter.

/// The attributes that hold a URL.
const URL_ATTRS: [&str; 3] = ["href", "src", "action"];

/// One URL attribute in a page: the byte range of its value (still HTML-escaped).
#[derive(Debug)]
pub struct Attr {
    pub name: &'static str,
    pub start: usize,
    pub end: usize,
}

/// Every `href="…"`, `src="…"` and `action="…"` in `html` (double-quoted, as maud writes
/// them), in order.
pub fn url_attrs(html: &str) -> Vec<Attr> {
    let bytes = html.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while let Some(off) = html[i..].find("=\"") {
        let eq = i + off;
        let value_start = eq + 2;
        let Some(len) = html[value_start..].find('"') else {
            break;
        };
        let value_end = value_start + len;
        // The attribute name directly before `=`, preceded by whitespace.
        let name_start = html[..eq]
            .rfind(|c: char| c.is_ascii_whitespace())
            .map_or(0, |p| p + 1);
        let name = &html[name_start..eq];
        if name_start > 0
            && bytes[name_start - 1].is_ascii_whitespace()
            && let Some(known) = URL_ATTRS.iter().find(|a| name.eq_ignore_ascii_case(a))
        {
            out.push(Attr {
                name: known,
                start: value_start,
                end: value_end,
            });
        }
        i = value_end + 1;
    }
    out
}

/// The attribute value with the escapes maud writes undone.
pub fn unescape(v: &str) -> String {
    v.replace("&quot;", "\"")
        .replace("&lt;", "<")
        .replace("&gt;", ">")
        .replace("&#39;", "'")
        .replace("&amp;", "&")
}

/// Escapes a URL for a double-quoted attribute.
pub fn escape(v: &str) -> String {
    v.replace('&', "&amp;")
        .replace('"', "&quot;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// A same-site reference split in path, query and fragment; `None` for other sites, `mailto:`
/// and the like. Relative references are resolved against `base` (the page's path).
pub fn same_site(url: &str, base: &str) -> Option<(String, Option<String>, Option<String>)> {
    let (rest, fragment) = match url.split_once('#') {
        Some((r, f)) => (r, Some(f.to_string())),
        None => (url, None),
    };
    let (path, query) = match rest.split_once('?') {
        Some((p, q)) => (p, Some(q.to_string())),
        None => (rest, None),
    };
    let path = if path.starts_with("//") || path.contains(':') {
        return None;
    } else if path.starts_with('/') {
        path.to_string()
    } else if path.is_empty() {
        base.to_string()
    } else {
        let dir = base.rfind('/').map_or("/", |p| &base[..=p]);
        format!("{dir}{path}")
    };
    Some((path, query, fragment))
}

/// Replaces the value of each attribute by what `f` returns for it (`None` keeps it).
pub fn rewrite(html: &str, mut f: impl FnMut(&Attr, &str) -> Option<String>) -> String {
    let mut out = String::with_capacity(html.len() + 256);
    let mut last = 0;
    for a in url_attrs(html) {
        let value = unescape(&html[a.start..a.end]);
        if let Some(new) = f(&a, &value) {
            out.push_str(&html[last..a.start]);
            out.push_str(&escape(&new));
            last = a.end;
        }
    }
    out.push_str(&html[last..]);
    out
}

/// The page without the header's quick search (`<form class="site-search" …>…</form>`): on a
/// static site without the live app it could only lead to the page that says so, and a notice
/// in the header would stand on every page. The search on the home page stays, with its notice.
pub fn without_site_search(page: &str) -> String {
    let Some(start) = page.find("<form class=\"site-search\"") else {
        return page.to_string();
    };
    let Some(len) = page[start..].find("</form>") else {
        return page.to_string();
    };
    let end = start + len + "</form>".len();
    format!("{}{}", &page[..start], &page[end..])
}

/// Puts `notice` before every `<form` of the page (forms cannot work on a static site).
pub fn before_forms(page: &str, notice: &str) -> String {
    let mut out = String::with_capacity(page.len());
    let mut rest = page;
    while let Some(i) = rest.find("<form") {
        out.push_str(&rest[..i]);
        out.push_str(notice);
        out.push_str("<form");
        rest = &rest[i + "<form".len()..];
    }
    out.push_str(rest);
    out
}

/// The page with the content of its `<main …>` element replaced by `body` (the layout,
/// header and footer stay), and its `<title>` by `title`.
pub fn replace_main(page: &str, title: &str, body: &str) -> Option<String> {
    let open = page.find("<main")?;
    let open_end = open + page[open..].find('>')? + 1;
    let close = page.rfind("</main>")?;
    let mut out = String::with_capacity(page.len());
    let head = &page[..open_end];
    match (head.find("<title>"), head.find("</title>")) {
        (Some(a), Some(b)) if a < b => {
            out.push_str(&head[..a + "<title>".len()]);
            out.push_str(&escape(title));
            out.push_str(&head[b..]);
        }
        _ => out.push_str(head),
    }
    out.push_str(body);
    out.push_str(&page[close..]);
    Some(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_and_rewrites_url_attributes_only() {
        let html = r#"<a class="x" href="/a?lang=en&amp;b=1">a</a><img src="/s.png" alt="href=&quot;no&quot;"><form action="/f" method="get"></form><p data-href="/no">"#;
        let found: Vec<_> = url_attrs(html)
            .iter()
            .map(|a| (a.name, unescape(&html[a.start..a.end])))
            .collect();
        assert_eq!(
            found,
            [
                ("href", "/a?lang=en&b=1".to_string()),
                ("src", "/s.png".to_string()),
                ("action", "/f".to_string())
            ]
        );
        let out = rewrite(html, |a, v| (a.name == "href").then(|| format!("{v}&c")));
        assert!(out.contains(r#"href="/a?lang=en&amp;b=1&amp;c""#), "{out}");
        assert!(out.contains(r#"src="/s.png""#));
    }

    #[test]
    fn splits_same_site_references() {
        assert_eq!(
            same_site("/a/b?x=1#top", "/"),
            Some(("/a/b".into(), Some("x=1".into()), Some("top".into())))
        );
        assert_eq!(
            same_site("#inhoud", "/p"),
            Some(("/p".into(), None, Some("inhoud".into())))
        );
        assert_eq!(same_site("c", "/a/b"), Some(("/a/c".into(), None, None)));
        assert_eq!(same_site("https://example.org/", "/"), None);
        assert_eq!(same_site("//cdn.example.org/x", "/"), None);
        assert_eq!(same_site("mailto:a@b.nl", "/"), None);
    }

    #[test]
    fn drops_the_header_search_only() {
        let page = r#"<header><form class="site-search" role="search"><input name="q"></form></header><main><form class="x"></form></main>"#;
        assert_eq!(
            without_site_search(page),
            r#"<header></header><main><form class="x"></form></main>"#
        );
        assert_eq!(without_site_search("<p>no form</p>"), "<p>no form</p>");
    }

    #[test]
    fn marks_forms() {
        assert_eq!(
            before_forms("<p>a</p><form x><form>", "<p>!</p>"),
            "<p>a</p><p>!</p><form x><p>!</p><form>"
        );
    }

    #[test]
    fn replaces_the_main_content_and_title() {
        let page = "<html><head><title>Oud – Stembus</title></head><body><header>h</header><main id=\"inhoud\"><div>oud</div></main><footer>f</footer></body></html>";
        let out = replace_main(page, "Nieuw", "<p>nieuw</p>").unwrap();
        assert_eq!(
            out,
            "<html><head><title>Nieuw</title></head><body><header>h</header><main id=\"inhoud\"><p>nieuw</p></main><footer>f</footer></body></html>"
        );
    }
}
