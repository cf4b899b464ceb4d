//! # eml — readers for the Kiesraad's election publications
//!
//! Streaming, typed, never-panicking readers for every format the Kiesraad publishes results
//! in, plus writers for the OSV4-3 table, a tidy long CSV and JSON.
//!
//! | Format | Reader | Type |
//! |---|---|---|
//! | EML_NL 110a election definition | [`parse_election_definition`] | [`ElectionDefinition`] |
//! | EML_NL 110b polling stations | [`parse_polling_stations`] | [`PollingStations`] |
//! | EML_NL 230b candidate lists | [`parse_candidate_lists`] | [`CandidateLists`] |
//! | EML_NL 510a/b/c/d counts | [`parse_count`] | [`Count`] |
//! | EML_NL 520 result | [`parse_result`] | [`ElectionResult`] |
//! | Kiesraad uitslag CSV (long format) | [`parse_uitslag_csv`] | [`UitslagCsv`] |
//! | Votes per list per stembureau CSV | [`parse_stembureau_csv`] | [`StembureauCsv`] |
//! | OSV4-3 CSV (OSV and `eml2csv` dialects) | [`osv4_3::parse_osv4_3_csv`] | [`osv4_3::Osv43Table`] |
//!
//! [`identify`] decides the type by content (the EML `Id`, the CSV header), never by file
//! name; [`parse_document`] identifies and reads. [`load_paths`] reads files, directories and
//! zip bundles exactly as downloaded into a [`Bundle`] of documents and [`ReadProblem`]s.
//!
//! All errors are [`Error`] values with a [`Position`] (line, column, byte offset) and a Dutch
//! and an English message; no input makes these readers panic.

pub mod bench;
mod controls;
mod csv;
mod eml;
mod error;
mod load;
mod model;
pub mod osv4_3;
pub mod tidy;
mod xml;

use serde::Serialize;

pub use crate::controls::{escape_controls, is_forbidden as is_forbidden_control};
pub use crate::csv::{
    RegionCode, RegionKind, STEMBUREAU_HEADER, StembureauCsv, StembureauRow, UITSLAG_HEADER,
    UitslagCandidate, UitslagCsv, UitslagField, UitslagRow, parse_stembureau_csv,
    parse_uitslag_csv,
};
pub use crate::eml::{
    EML_NAMESPACE, parse_candidate_lists, parse_count, parse_election_definition,
    parse_polling_stations, parse_result,
};
pub use crate::error::{Error, ErrorKind, Position, ReadProblem, Result};
pub use crate::load::{
    Bundle, LoadOptions, SourceRef, collect_inputs, load_bytes, load_paths, load_paths_with,
    read_file,
};
pub use crate::model::*;
pub use crate::osv4_3::{Osv43Table, parse_osv4_3_csv};

/// The kind of a document, decided by content.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum DocumentType {
    /// EML 110a: election definition.
    Eml110a,
    /// EML 110b: polling stations.
    Eml110b,
    /// EML 230b: candidate lists.
    Eml230b,
    /// EML 510a/b/c/d (and the q/r/s variants): counts.
    Eml510(CountKind),
    /// EML 520: result.
    Eml520,
    /// Kiesraad uitslag CSV (long format, `Regio;RegioCode;…;VeldType;Waarde`).
    UitslagCsv,
    /// Votes per list per stembureau CSV.
    StembureauCsv,
    /// OSV4-3 CSV table.
    Osv43Csv,
}

/// A document of any supported type.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(tag = "type", content = "document")]
pub enum Document {
    /// EML 110a.
    ElectionDefinition(ElectionDefinition),
    /// EML 110b.
    PollingStations(PollingStations),
    /// EML 230b.
    CandidateLists(CandidateLists),
    /// EML 510a-d.
    Count(Count),
    /// EML 520.
    Result(ElectionResult),
    /// Uitslag CSV.
    UitslagCsv(UitslagCsv),
    /// Stembureau CSV.
    StembureauCsv(StembureauCsv),
    /// OSV4-3 CSV.
    Osv43(Osv43Table),
}

impl Document {
    /// The type of this document.
    pub fn document_type(&self) -> DocumentType {
        match self {
            Document::ElectionDefinition(_) => DocumentType::Eml110a,
            Document::PollingStations(_) => DocumentType::Eml110b,
            Document::CandidateLists(_) => DocumentType::Eml230b,
            Document::Count(c) => DocumentType::Eml510(c.kind),
            Document::Result(_) => DocumentType::Eml520,
            Document::UitslagCsv(_) => DocumentType::UitslagCsv,
            Document::StembureauCsv(_) => DocumentType::StembureauCsv,
            Document::Osv43(_) => DocumentType::Osv43Csv,
        }
    }
}

/// Decides the document type from the content: for XML the root element must be `<EML>` in the
/// EML namespace and its `Id` (`110a`, `230b`, `510d`, `520`, …) gives the type; for CSV the
/// header row does. Only the start of the input is examined.
pub fn identify(bytes: &[u8]) -> Result<DocumentType> {
    let body = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let first = body.iter().position(|b| !b.is_ascii_whitespace());
    let is_xml = first.and_then(|i| body.get(i)) == Some(&b'<')
        || body.starts_with(b"\xFE\xFF")
        || body.starts_with(b"\xFF\xFE");
    if is_xml {
        let (root, id) = eml::peek_root(bytes)?;
        if root != "EML" {
            return Err(Error::at(
                ErrorKind::NotEml { root },
                bytes,
                first.unwrap_or(0),
            ));
        }
        let id = id.ok_or_else(|| Error::at(ErrorKind::MissingEmlId, bytes, first.unwrap_or(0)))?;
        return match id.as_str() {
            "110a" => Ok(DocumentType::Eml110a),
            "110b" => Ok(DocumentType::Eml110b),
            "230b" => Ok(DocumentType::Eml230b),
            "520" => Ok(DocumentType::Eml520),
            other => match CountKind::from_eml_id(other) {
                Some(k) => Ok(DocumentType::Eml510(k)),
                None => Err(Error::at(
                    ErrorKind::UnsupportedEmlId(id),
                    bytes,
                    first.unwrap_or(0),
                )),
            },
        };
    }
    let line_end = memchr::memchr(b'\n', bytes).unwrap_or(bytes.len());
    if let Err(e) = std::str::from_utf8(bytes.get(..line_end).unwrap_or_default()) {
        return Err(Error::at(ErrorKind::NotUtf8, bytes, e.valid_up_to()));
    }
    let Some(header) = csv::first_record(bytes) else {
        return Err(Error::at(ErrorKind::UnknownFormat, bytes, 0));
    };
    if header.iter().map(String::as_str).eq(UITSLAG_HEADER) {
        Ok(DocumentType::UitslagCsv)
    } else if header.iter().map(String::as_str).eq(STEMBUREAU_HEADER) {
        Ok(DocumentType::StembureauCsv)
    } else if header.first().map(String::as_str) == Some("Verkiezing") && header.len() >= 3 {
        Ok(DocumentType::Osv43Csv)
    } else {
        Err(Error::at(ErrorKind::UnknownFormat, bytes, 0))
    }
}

/// Identifies and reads a document.
pub fn parse_document(bytes: &[u8]) -> Result<Document> {
    Ok(match identify(bytes)? {
        DocumentType::Eml110a => Document::ElectionDefinition(parse_election_definition(bytes)?),
        DocumentType::Eml110b => Document::PollingStations(parse_polling_stations(bytes)?),
        DocumentType::Eml230b => Document::CandidateLists(parse_candidate_lists(bytes)?),
        DocumentType::Eml510(_) => Document::Count(parse_count(bytes)?),
        DocumentType::Eml520 => Document::Result(parse_result(bytes)?),
        DocumentType::UitslagCsv => Document::UitslagCsv(parse_uitslag_csv(bytes)?),
        DocumentType::StembureauCsv => Document::StembureauCsv(parse_stembureau_csv(bytes)?),
        DocumentType::Osv43Csv => Document::Osv43(parse_osv4_3_csv(bytes)?),
    })
}

/// Serializes any model value (e.g. a [`Document`] or a [`Bundle`]) as JSON.
pub fn to_json<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
}

/// Like [`to_json`], indented.
pub fn to_json_pretty<T: Serialize + ?Sized>(value: &T) -> String {
    serde_json::to_string_pretty(value)
        .unwrap_or_else(|e| format!("{{\"error\":{:?}}}", e.to_string()))
}
