//! The static site on disk: where each URL's response is written, the manifest with a
//! SHA-256 per file, and writing only what changed.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

/// The manifest's file name at the root of the site.
pub const MANIFEST: &str = "publish-manifest.json";
/// Bumped when the manifest or the URL mapping changes: everything is then rewritten.
const FORMAT: u32 = 1;

/// Lowercase hex SHA-256.
pub fn sha256(bytes: &[u8]) -> String {
    webkit::hex(&Sha256::digest(bytes))
}

/// What kind of file a URL was written as.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    /// A page: `…/index.html`.
    Html,
    /// A redirect of the app, written as a small page that forwards.
    Redirect,
    /// An API response, CSV download or other file.
    Data,
    /// A style sheet or script, with its content hash in the name.
    Asset,
    /// Made by `publish` itself (sitemap, the page about the live app).
    Generated,
}

/// One published URL.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Route {
    /// The file, relative to the site root, with `/` separators.
    pub file: String,
    pub sha256: String,
    pub bytes: u64,
    pub kind: Kind,
    /// The election this URL belongs to (rewritten only when it changes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub election: Option<String>,
}

impl Route {
    /// The URL under which a static server serves the file of the app URL `path`: the page's
    /// folder (`/a/b/`) for a page, else the file's name beside the path's folder.
    pub fn public_url(&self, path: &str) -> String {
        match self.kind {
            Kind::Html | Kind::Redirect => {
                let p = path.trim_end_matches('/');
                format!("{p}/")
            }
            _ => {
                let dir = path.rfind('/').map_or("/", |i| &path[..=i]);
                let name = self.file.rsplit('/').next().unwrap_or("");
                format!("{dir}{name}")
            }
        }
    }
}

/// `publish-manifest.json`: every file with its hash, and the key of each election's data at
/// the time its files were written.
#[derive(Debug, Default, Serialize, Deserialize)]
pub struct Manifest {
    pub format: u32,
    /// Fingerprint of the program that wrote the site; another program rewrites everything.
    pub generator: String,
    /// Election id → key (SHA-256 of its stored data and verification report).
    pub elections: BTreeMap<String, String>,
    /// App URL (path) → its file.
    pub routes: BTreeMap<String, Route>,
}

impl Manifest {
    /// The manifest of an earlier publish into `out`, if it is there and readable by this
    /// version; otherwise an empty one (everything is written again).
    pub fn read(out: &Path) -> Manifest {
        let Ok(text) = std::fs::read_to_string(out.join(MANIFEST)) else {
            return Manifest::default();
        };
        match serde_json::from_str::<Manifest>(&text) {
            Ok(m) if m.format == FORMAT => m,
            _ => Manifest::default(),
        }
    }

    /// Writes the manifest (to a temporary file first, so a broken run leaves the old one).
    pub fn write(&mut self, out: &Path) -> std::io::Result<()> {
        self.format = FORMAT;
        let text = serde_json::to_string_pretty(self).map_err(std::io::Error::other)?;
        let tmp = out.join(format!("{MANIFEST}.tmp"));
        std::fs::write(&tmp, text)?;
        std::fs::rename(tmp, out.join(MANIFEST))
    }
}

/// Decodes `%XX` escapes of a URL path (invalid ones are kept).
fn percent_decode(s: &str) -> String {
    let b = s.as_bytes();
    let mut out = Vec::with_capacity(b.len());
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

/// The file (relative to the site root) for a response at `path` (see the README section
/// "Publiceren als statische site" for the mapping). `None` for a path that cannot be a file
/// name safely (`..`, empty segments inside the path).
pub fn file_for(path: &str, kind: Kind, content_type: &str, body: &[u8]) -> Option<String> {
    let decoded = percent_decode(path);
    let rel = decoded.trim_start_matches('/');
    if rel
        .split('/')
        .any(|s| s == ".." || s == "." || s.contains('\\'))
        || rel.contains("//")
        || rel.contains('\0')
    {
        return None;
    }
    let last = rel.rsplit('/').next().unwrap_or("");
    Some(match kind {
        Kind::Html | Kind::Redirect => {
            if rel.is_empty() || rel.ends_with('/') {
                format!("{rel}index.html")
            } else {
                format!("{rel}/index.html")
            }
        }
        Kind::Asset => {
            let hash = &sha256(body)[..16];
            match last.rsplit_once('.') {
                Some((stem, ext)) => {
                    let dir = &rel[..rel.len() - last.len()];
                    format!("{dir}{stem}.{hash}.{ext}")
                }
                None => format!("{rel}.{hash}"),
            }
        }
        Kind::Data | Kind::Generated => {
            if last.contains('.') {
                rel.to_string()
            } else {
                let ext = extension_for(content_type);
                let rel = rel.trim_end_matches('/');
                format!("{rel}.{ext}")
            }
        }
    })
}

/// The file extension for a content type without one in the URL.
fn extension_for(content_type: &str) -> &'static str {
    let ct = content_type.split(';').next().unwrap_or("").trim();
    match ct {
        "application/json" => "json",
        "text/csv" => "csv",
        "text/css" => "css",
        "text/javascript" | "application/javascript" => "js",
        "image/svg+xml" => "svg",
        "application/xml" | "text/xml" => "xml",
        _ => "txt",
    }
}

/// Writes `bytes` to `out/file` unless the manifest says the same bytes are there already.
/// Returns whether it wrote.
pub fn write_if_changed(
    out: &Path,
    file: &str,
    bytes: &[u8],
    sha: &str,
    old: Option<&Route>,
) -> std::io::Result<bool> {
    let path = out.join(file);
    if old.is_some_and(|r| r.file == file && r.sha256 == sha) && path.is_file() {
        return Ok(false);
    }
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir)?;
    }
    std::fs::write(&path, bytes)?;
    Ok(true)
}

/// Removes a file the new site no longer has, and its folders once they are empty.
pub fn remove(out: &Path, file: &str) {
    let path: PathBuf = out.join(file);
    if std::fs::remove_file(&path).is_ok() {
        let mut dir = path.parent();
        while let Some(d) = dir {
            if d == out || std::fs::remove_dir(d).is_err() {
                break;
            }
            dir = d.parent();
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn maps_urls_to_files() {
        let f = |p, k, ct| file_for(p, k, ct, b"x").unwrap();
        assert_eq!(f("/", Kind::Html, "text/html"), "index.html");
        assert_eq!(
            f("/verkiezingen/tk2021", Kind::Html, "text/html"),
            "verkiezingen/tk2021/index.html"
        );
        assert_eq!(
            f("/api/elections/tk2021", Kind::Data, "application/json"),
            "api/elections/tk2021.json"
        );
        assert_eq!(
            f("/api/openapi.json", Kind::Data, "application/json"),
            "api/openapi.json"
        );
        assert_eq!(
            f("/verkiezingen/x/csv/lijsten", Kind::Data, "text/csv"),
            "verkiezingen/x/csv/lijsten.csv"
        );
        let css = f("/static/stembus.css", Kind::Asset, "text/css");
        assert!(
            css.starts_with("static/stembus.") && css.len() == 35,
            "{css}"
        );
        assert_eq!(&css[css.len() - 4..], ".css");
        assert_eq!(
            f("/gebied/a%20b", Kind::Html, "text/html"),
            "gebied/a b/index.html"
        );
        assert_eq!(file_for("/a/../b", Kind::Html, "text/html", b""), None);
        assert_eq!(file_for("/a/%2e%2e/b", Kind::Html, "text/html", b""), None);
    }

    #[test]
    fn public_urls() {
        let r = |file: &str, kind| Route {
            file: file.into(),
            sha256: String::new(),
            bytes: 0,
            kind,
            election: None,
        };
        assert_eq!(r("index.html", Kind::Html).public_url("/"), "/");
        assert_eq!(r("a/b/index.html", Kind::Html).public_url("/a/b"), "/a/b/");
        assert_eq!(
            r("api/x.json", Kind::Data).public_url("/api/x"),
            "/api/x.json"
        );
        assert_eq!(
            r("static/s.0123.css", Kind::Asset).public_url("/static/s.css"),
            "/static/s.0123.css"
        );
    }
}
