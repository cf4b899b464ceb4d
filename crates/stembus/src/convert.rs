//! `stembus convert --to osv4-3|csv|json COUNT.eml.xml CANDIDATES.eml.xml [-o OUT]`: a 510
//! count (with the 230b candidate lists for the names) as the Kiesraad's OSV4-3 table (byte for
//! byte as `eml2csv`), a tidy long CSV, or JSON. The two files may be given in either order:
//! they are recognised by content. Exit 0 = written, 2 = input unreadable.

use std::io::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use eml::{CandidateLists, Count, Document};

/// Output format.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    /// The OSV4-3 "telling gemeente" table, in the dialect of the Kiesraad's `eml2csv`.
    #[value(name = "osv4-3")]
    Osv43,
    /// Tidy long CSV: one row per unit and list, and per unit, list and candidate.
    Csv,
    /// JSON of the count and the candidate lists.
    Json,
}

const EXIT_INVALID: u8 = 2;

/// A path as shown on the terminal: control characters escaped.
fn shown(path: &Path) -> String {
    eml::escape_controls(&path.display().to_string()).into_owned()
}

fn read(path: &Path) -> Result<Document, String> {
    // Only a regular file, and no larger than a zip entry may be (`/dev/zero` never ends).
    let bytes = eml::read_file(path, eml::LoadOptions::default().max_file_size)
        .map_err(|e| format!("{}: {}", shown(path), e.message_nl()))?;
    eml::parse_document(&bytes).map_err(|e| format!("{}: {}", shown(path), e.message_nl()))
}

/// Converts; the bytes to write, or a message naming the file.
pub fn convert(format: Format, inputs: &[PathBuf]) -> Result<Vec<u8>, String> {
    let mut count: Option<(Count, &Path)> = None;
    let mut lists: Option<(CandidateLists, &Path)> = None;
    for p in inputs {
        match read(p)? {
            Document::Count(c) if count.is_none() => count = Some((c, p)),
            Document::CandidateLists(c) if lists.is_none() => lists = Some((c, p)),
            other => {
                return Err(format!(
                    "{}: verwacht een telling (510) en kandidatenlijsten (230b), niet {:?}",
                    shown(p),
                    other.document_type()
                ));
            }
        }
    }
    let (count, _) = count.ok_or("geen telling (EML 510) opgegeven")?;
    // The names on the votes come from the lists: lists of another election would put the
    // wrong names on them.
    if let Some((l, p)) = &lists
        && l.election.id != count.election.id
    {
        return Err(format!(
            "{}: de kandidatenlijsten zijn van verkiezing {}, de telling van verkiezing {}; geef bestanden van één verkiezing",
            shown(p),
            eml::escape_controls(&l.election.id),
            eml::escape_controls(&count.election.id)
        ));
    }
    let lists = lists.map(|(l, _)| l);
    Ok(match format {
        Format::Osv43 => {
            let lists = lists.ok_or("OSV4-3 heeft de kandidatenlijsten (EML 230b) nodig")?;
            eml::osv4_3::write(&count, &lists)
        }
        Format::Csv => eml::tidy::write_count(&count, lists.as_ref()),
        Format::Json => {
            let doc = serde_json::json!({ "count": count, "candidate_lists": lists });
            let mut s = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
            s.push('\n');
            s.into_bytes()
        }
    })
}

pub fn run(format: Format, inputs: &[PathBuf], out: Option<&Path>) -> ExitCode {
    let bytes = match convert(format, inputs) {
        Ok(b) => b,
        Err(m) => {
            eprintln!("stembus: {m}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let written = match out {
        Some(p) => std::fs::write(p, &bytes).map_err(|e| format!("{}: {e}", p.display())),
        None => {
            crate::closed_pipe_is_ok(std::io::stdout().write_all(&bytes)).map_err(|e| e.to_string())
        }
    };
    match written {
        Ok(()) => ExitCode::SUCCESS,
        Err(m) => {
            eprintln!("stembus: kan niet schrijven: {m}");
            ExitCode::FAILURE
        }
    }
}
