//! Loading files, directories and zip bundles as downloaded.
//!
//! Zip archives are read in memory (nothing is unpacked to disk). Entries whose names would
//! escape the archive (`../x`, `/etc/x`, `C:\x`) and encrypted entries are refused; the
//! uncompressed size per entry and in total, the compression ratio, the number of entries and
//! the nesting depth of zips inside zips are capped ([`LoadOptions`]). A file that cannot be
//! read becomes a [`ReadProblem`] naming the file (and entry) and the position; everything
//! else still loads.

use std::fmt;
use std::io::{Cursor, Read};
use std::path::{Path, PathBuf};

use serde::Serialize;

use crate::controls::escape_controls;
use crate::error::{Error, ErrorKind, ReadProblem};
use crate::{Document, identify, parse_document};

/// Where a document came from: a file, or an entry inside a zip (possibly nested).
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub struct SourceRef {
    /// The file on disk (or the name given to [`load_bytes`]).
    pub path: PathBuf,
    /// Entry names inside zip archives, outermost first (empty for a plain file).
    pub entries: Vec<String>,
}

impl SourceRef {
    /// A plain file.
    pub fn file(path: impl Into<PathBuf>) -> SourceRef {
        SourceRef {
            path: path.into(),
            entries: Vec::new(),
        }
    }

    /// This source with one more zip entry level.
    #[must_use]
    pub fn entry(&self, name: &str) -> SourceRef {
        let mut s = self.clone();
        s.entries.push(name.to_string());
        s
    }

    /// The last path component: the entry's file name, or the file's name.
    pub fn file_name(&self) -> String {
        match self.entries.last() {
            Some(e) => e.rsplit(['/', '\\']).next().unwrap_or(e).to_string(),
            None => self
                .path
                .file_name()
                .map(|n| n.to_string_lossy().into_owned())
                .unwrap_or_default(),
        }
    }
}

/// `file.zip!folder/entry.xml`, with control characters in the names escaped
/// ([`escape_controls`]): a name is shown to people, and must not move their cursor.
impl fmt::Display for SourceRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", escape_controls(&self.path.display().to_string()))?;
        for e in &self.entries {
            write!(f, "!{}", escape_controls(e))?;
        }
        Ok(())
    }
}

/// Limits applied while loading.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct LoadOptions {
    /// Largest file read from disk (checked before and while reading: the file may grow).
    pub max_file_size: u64,
    /// Largest uncompressed zip entry.
    pub max_entry_size: u64,
    /// Largest total uncompressed size of all zip entries in one call.
    pub max_total_uncompressed: u64,
    /// Largest compression ratio (uncompressed / compressed) of an entry larger than
    /// [`LoadOptions::ratio_min_size`].
    pub max_ratio: u64,
    /// Entries smaller than this are not ratio-checked.
    pub ratio_min_size: u64,
    /// Most entries in one archive.
    pub max_entries: usize,
    /// Deepest nesting of zips inside zips (1 = a zip in a zip is read, its zips are not).
    pub max_zip_depth: usize,
}

impl Default for LoadOptions {
    fn default() -> LoadOptions {
        LoadOptions {
            // A file on disk gets the same limit as a zip entry.
            max_file_size: 512 << 20,
            max_entry_size: 512 << 20,
            max_total_uncompressed: 2 << 30,
            max_ratio: 200,
            ratio_min_size: 1 << 20,
            max_entries: 100_000,
            max_zip_depth: 2,
        }
    }
}

/// Everything loaded from a set of paths.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct Bundle {
    /// The documents read, in path order (directories sorted by name, zip entries in archive
    /// order).
    pub documents: Vec<(SourceRef, Document)>,
    /// Files that look like election data (XML, `.xml`, `.csv`) but could not be read.
    pub problems: Vec<ReadProblem>,
    /// Other files (e.g. `.txt`, `.pdf`), not read.
    pub skipped: Vec<SourceRef>,
}

impl Bundle {
    /// The 510 counts.
    pub fn counts(&self) -> impl Iterator<Item = (&SourceRef, &crate::Count)> {
        self.documents.iter().filter_map(|(s, d)| match d {
            Document::Count(c) => Some((s, c)),
            _ => None,
        })
    }

    /// The 230b candidate lists.
    pub fn candidate_lists(&self) -> impl Iterator<Item = (&SourceRef, &crate::CandidateLists)> {
        self.documents.iter().filter_map(|(s, d)| match d {
            Document::CandidateLists(c) => Some((s, c)),
            _ => None,
        })
    }

    /// The 520 results.
    pub fn results(&self) -> impl Iterator<Item = (&SourceRef, &crate::ElectionResult)> {
        self.documents.iter().filter_map(|(s, d)| match d {
            Document::Result(c) => Some((s, c)),
            _ => None,
        })
    }

    /// The 110a definitions.
    pub fn definitions(&self) -> impl Iterator<Item = (&SourceRef, &crate::ElectionDefinition)> {
        self.documents.iter().filter_map(|(s, d)| match d {
            Document::ElectionDefinition(c) => Some((s, c)),
            _ => None,
        })
    }
}

/// Loads files, directories (recursively) and zip archives with default limits.
pub fn load_paths(paths: &[PathBuf]) -> Bundle {
    load_paths_with(paths, &LoadOptions::default())
}

/// Loads files, directories (recursively) and zip archives.
pub fn load_paths_with(paths: &[PathBuf], opts: &LoadOptions) -> Bundle {
    let mut l = Loader {
        opts,
        bundle: Bundle::default(),
        total: 0,
        raw: None,
    };
    for p in paths {
        l.path(p);
    }
    l.bundle
}

/// Loads one file (or zip archive) given as bytes; `source` names it in problems.
pub fn load_bytes(source: &SourceRef, bytes: &[u8], opts: &LoadOptions) -> Bundle {
    let mut l = Loader {
        opts,
        bundle: Bundle::default(),
        total: 0,
        raw: None,
    };
    l.bytes(source, bytes, 0);
    l.bundle
}

/// Reads a file from disk: only a regular file (a FIFO would block, `/dev/zero` never ends),
/// and at most `max_size` bytes, checked on the file's size and again while reading (a file
/// that grows is stopped at the limit).
pub fn read_file(path: &Path, max_size: u64) -> Result<Vec<u8>, Error> {
    let io = |e: std::io::Error| Error::new(ErrorKind::Io(e.to_string()));
    let meta = std::fs::metadata(path).map_err(io)?;
    check_regular(&meta)?;
    let too_large = |len: u64| {
        Error::new(ErrorKind::TooLarge(format!(
            "file of {len} bytes exceeds {max_size} bytes"
        )))
    };
    if meta.len() > max_size {
        return Err(too_large(meta.len()));
    }
    let file = std::fs::File::open(path).map_err(io)?;
    // The path may have been replaced between the two looks: check what was opened.
    check_regular(&file.metadata().map_err(io)?)?;
    let mut data = Vec::with_capacity(usize::try_from(meta.len()).unwrap_or(0));
    file.take(max_size.saturating_add(1))
        .read_to_end(&mut data)
        .map_err(io)?;
    let len = data.len() as u64;
    if len > max_size {
        return Err(too_large(len));
    }
    Ok(data)
}

fn check_regular(meta: &std::fs::Metadata) -> Result<(), Error> {
    let t = meta.file_type();
    if t.is_file() {
        return Ok(());
    }
    let what = if t.is_dir() {
        "a directory"
    } else {
        special_file_kind(t)
    };
    Err(Error::new(ErrorKind::NotARegularFile(what.into())))
}

#[cfg(unix)]
fn special_file_kind(t: std::fs::FileType) -> &'static str {
    use std::os::unix::fs::FileTypeExt as _;
    if t.is_fifo() {
        "a FIFO"
    } else if t.is_char_device() || t.is_block_device() {
        "a device"
    } else if t.is_socket() {
        "a socket"
    } else {
        "a special file"
    }
}

#[cfg(not(unix))]
fn special_file_kind(_: std::fs::FileType) -> &'static str {
    "a special file"
}

struct Loader<'o> {
    opts: &'o LoadOptions,
    bundle: Bundle,
    total: u64,
    /// When set, identified files are collected as bytes instead of being parsed.
    raw: Option<Vec<(SourceRef, Vec<u8>)>>,
}

/// Collects the bytes of every file that identifies as a supported document, from files,
/// directories and zip archives (with the same limits and checks as [`load_paths_with`]),
/// without parsing them. Used by the parse benchmark.
pub fn collect_inputs(
    paths: &[PathBuf],
    opts: &LoadOptions,
) -> (Vec<(SourceRef, Vec<u8>)>, Vec<ReadProblem>) {
    let mut l = Loader {
        opts,
        bundle: Bundle::default(),
        total: 0,
        raw: Some(Vec::new()),
    };
    for p in paths {
        l.path(p);
    }
    (l.raw.unwrap_or_default(), l.bundle.problems)
}

impl Loader<'_> {
    fn problem(&mut self, source: SourceRef, error: Error) {
        self.bundle.problems.push(ReadProblem { source, error });
    }

    fn path(&mut self, p: &Path) {
        let meta = match std::fs::metadata(p) {
            Ok(m) => m,
            Err(e) => {
                return self.problem(SourceRef::file(p), Error::new(ErrorKind::Io(e.to_string())));
            }
        };
        if meta.is_dir() {
            let mut entries: Vec<PathBuf> = match std::fs::read_dir(p) {
                Ok(rd) => rd.filter_map(|e| e.ok().map(|e| e.path())).collect(),
                Err(e) => {
                    return self
                        .problem(SourceRef::file(p), Error::new(ErrorKind::Io(e.to_string())));
                }
            };
            entries.sort();
            for e in entries {
                // Do not follow symlinked directories (avoids cycles).
                let is_link_dir = std::fs::symlink_metadata(&e)
                    .is_ok_and(|m| m.file_type().is_symlink())
                    && e.is_dir();
                if !is_link_dir {
                    self.path(&e);
                }
            }
            return;
        }
        let source = SourceRef::file(p);
        match read_file(p, self.opts.max_file_size) {
            Ok(bytes) => self.bytes(&source, &bytes, 0),
            Err(e) => self.problem(source, e),
        }
    }

    fn bytes(&mut self, source: &SourceRef, bytes: &[u8], depth: usize) {
        if bytes.starts_with(b"PK\x03\x04") || bytes.starts_with(b"PK\x05\x06") {
            if depth > self.opts.max_zip_depth {
                return self.problem(
                    source.clone(),
                    Error::new(ErrorKind::TooLarge(format!(
                        "zip archives nested deeper than {}",
                        self.opts.max_zip_depth
                    ))),
                );
            }
            return self.zip(source, bytes, depth);
        }
        match identify(bytes) {
            Ok(_) if self.raw.is_some() => {
                if let Some(raw) = self.raw.as_mut() {
                    raw.push((source.clone(), bytes.to_vec()));
                }
            }
            Ok(_) => match parse_document(bytes) {
                Ok(doc) => self.bundle.documents.push((source.clone(), doc)),
                Err(e) => self.problem(source.clone(), e),
            },
            Err(e) => {
                let name = source.file_name();
                let ext = Path::new(&name).extension().unwrap_or_default();
                let looks_like_data = ext.eq_ignore_ascii_case("xml")
                    || ext.eq_ignore_ascii_case("csv")
                    || bytes
                        .iter()
                        .find(|b| !b.is_ascii_whitespace())
                        .is_some_and(|&b| b == b'<')
                    || bytes.starts_with(b"\xEF\xBB\xBF<");
                if looks_like_data {
                    self.problem(source.clone(), e);
                } else {
                    self.bundle.skipped.push(source.clone());
                }
            }
        }
    }

    fn zip(&mut self, source: &SourceRef, bytes: &[u8], depth: usize) {
        let mut archive = match zip::ZipArchive::new(Cursor::new(bytes)) {
            Ok(a) => a,
            Err(e) => {
                return self.problem(
                    source.clone(),
                    Error::new(ErrorKind::ZipCorrupt(e.to_string())),
                );
            }
        };
        if archive.len() > self.opts.max_entries {
            return self.problem(
                source.clone(),
                Error::new(ErrorKind::TooLarge(format!(
                    "{} entries exceed the limit of {}",
                    archive.len(),
                    self.opts.max_entries
                ))),
            );
        }
        for i in 0..archive.len() {
            let (name, encrypted, is_dir, declared, compressed, safe) =
                match archive.by_index_raw(i) {
                    Ok(f) => {
                        let name = f.name().map_or_else(
                            |_| String::from_utf8_lossy(f.name_raw()).into_owned(),
                            std::borrow::Cow::into_owned,
                        );
                        let safe = f.enclosed_name().is_some() && is_safe_entry_name(&name);
                        (
                            name,
                            f.encrypted(),
                            f.is_dir(),
                            f.size(),
                            f.compressed_size(),
                            safe,
                        )
                    }
                    Err(e) => {
                        self.problem(
                            source.entry(&format!("#{i}")),
                            Error::new(ErrorKind::ZipCorrupt(e.to_string())),
                        );
                        continue;
                    }
                };
            let entry_src = source.entry(&name);
            if !safe {
                self.problem(entry_src, Error::new(ErrorKind::ZipPathTraversal(name)));
                continue;
            }
            if is_dir {
                continue;
            }
            if encrypted {
                self.problem(entry_src, Error::new(ErrorKind::ZipEncrypted(name)));
                continue;
            }
            let limit = self.opts.max_entry_size;
            if declared > limit {
                self.problem(
                    entry_src,
                    Error::new(ErrorKind::TooLarge(format!(
                        "entry of {declared} bytes exceeds {limit} bytes"
                    ))),
                );
                continue;
            }
            // Every limit is enforced while inflating: the entry is read as a stream and
            // stopped one byte past the smallest of the entry limit, what is left of the total,
            // and the ratio limit (the compressed size times `max_ratio`; small entries are
            // exempt). A bomb is never unpacked further than that.
            let remaining = self.opts.max_total_uncompressed.saturating_sub(self.total);
            let ratio_cap = compressed
                .saturating_mul(self.opts.max_ratio)
                .max(self.opts.ratio_min_size);
            let cap = limit.min(remaining).min(ratio_cap);
            // Trust the declared size only as a first allocation, never beyond the cap.
            let mut data = Vec::with_capacity(usize::try_from(declared.min(cap)).unwrap_or(0));
            let read = match archive.by_index(i) {
                // Read to the end of the entry (when within the cap): the zip reader checks
                // the CRC-32 there, so a flipped bit is an error, not different data.
                Ok(f) => f.take(cap.saturating_add(1)).read_to_end(&mut data),
                Err(e) => {
                    self.problem(entry_src, Error::new(ErrorKind::ZipCorrupt(e.to_string())));
                    continue;
                }
            };
            if let Err(e) = read {
                self.problem(entry_src, Error::new(ErrorKind::ZipCorrupt(e.to_string())));
                continue;
            }
            let len = data.len() as u64;
            if len > cap {
                let what = if cap == ratio_cap && ratio_cap < limit.min(remaining) {
                    format!(
                        "compression ratio over {}:1 (zip bomb?): more than {ratio_cap} bytes from {compressed} compressed",
                        self.opts.max_ratio
                    )
                } else if cap < limit {
                    format!(
                        "total uncompressed size of zip entries exceeds {} bytes",
                        self.opts.max_total_uncompressed
                    )
                } else {
                    format!("entry exceeds {limit} bytes when decompressed")
                };
                self.problem(entry_src, Error::new(ErrorKind::TooLarge(what)));
                self.total = self.total.saturating_add(len);
                continue;
            }
            self.total = self.total.saturating_add(len);
            self.bytes(&entry_src, &data, depth + 1);
        }
    }
}

/// Rejects names that are absolute, have a drive letter, contain `..` components (with `/` or
/// `\` separators) or NUL bytes.
fn is_safe_entry_name(name: &str) -> bool {
    if name.is_empty() || name.contains('\0') || name.starts_with(['/', '\\']) {
        return false;
    }
    let b = name.as_bytes();
    if b.len() >= 2 && b[1] == b':' && b[0].is_ascii_alphabetic() {
        return false;
    }
    !name.split(['/', '\\']).any(|c| c == "..")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn entry_names() {
        assert!(is_safe_entry_name("a/b.xml"));
        assert!(is_safe_entry_name("Telling_GR2022_Bergen (L).eml.xml"));
        assert!(!is_safe_entry_name("../evil.xml"));
        assert!(!is_safe_entry_name("a/../../evil.xml"));
        assert!(!is_safe_entry_name("a\\..\\evil.xml"));
        assert!(!is_safe_entry_name("/etc/passwd"));
        assert!(!is_safe_entry_name("C:\\x.xml"));
        assert!(!is_safe_entry_name(""));
    }

    #[test]
    fn source_display() {
        let s = SourceRef::file("/d/x.zip").entry("a/b.xml");
        assert_eq!(s.to_string(), "/d/x.zip!a/b.xml");
        assert_eq!(s.file_name(), "b.xml");
    }
}
