//! Kiesraad CSV formats: the long-format uitslag CSV (`TK2025_uitslag.csv`) and the votes per
//! list per stembureau CSV (`TK2025_Stemmen_Per_Lijst_Per_Stembureau.csv`), plus the small
//! `;`-separated CSV tokenizer shared with the OSV4-3 reader.

use std::borrow::Cow;

use serde::Serialize;

use crate::error::{Error, ErrorKind, Result};
use crate::xml::parse_u64;

/// Tokenizer for `;`-separated CSV with optional `"` quoting (`""` escapes a quote), LF or CRLF
/// line ends and an optional UTF-8 BOM.
pub(crate) struct CsvReader<'a> {
    orig: &'a [u8],
    s: &'a str,
    base: usize,
    pos: usize,
    /// Accept badly quoted fields as literal text (see [`CsvReader::lenient`]).
    lenient: bool,
}

/// One field with the byte offset where it starts.
pub(crate) type Field<'a> = (Cow<'a, str>, usize);

impl<'a> CsvReader<'a> {
    pub fn new(orig: &'a [u8]) -> Result<CsvReader<'a>> {
        let (b, base) = match orig.strip_prefix(b"\xEF\xBB\xBF") {
            Some(rest) => (rest, 3),
            None => (orig, 0),
        };
        let s = std::str::from_utf8(b)
            .map_err(|e| Error::at(ErrorKind::NotUtf8, orig, base + e.valid_up_to()))?;
        if let Some((at, c)) = crate::controls::find_forbidden(b) {
            return Err(Error::at(
                ErrorKind::ControlCharacter(u32::from(c)),
                orig,
                base + at,
            ));
        }
        Ok(CsvReader {
            orig,
            s,
            base,
            pos: 0,
            lenient: false,
        })
    }

    /// Lenient mode: a field that starts with `"` but whose closing quote is not followed by
    /// `;` or a line end (e.g. `"Leefbaar 's-Hertogenbosch" Paul Kagie`, written unquoted by
    /// OSV), and an unquoted field containing `"`, are read literally up to the next `;` or
    /// line end instead of being an error.
    pub fn lenient(mut self) -> Self {
        self.lenient = true;
        self
    }

    /// Reads a quoted field at `self.pos`. `Some(true)` at the end of a record, `Some(false)`
    /// if more fields follow, `None` (lenient mode only) if it is badly quoted.
    fn quoted_field(&mut self, fields: &mut Vec<Field<'a>>, fstart: usize) -> Result<Option<bool>> {
        let b = self.s.as_bytes();
        let mut out: Option<String> = None;
        let mut seg = self.pos + 1;
        let mut i = seg;
        loop {
            let rest = b.get(i..).unwrap_or_default();
            let Some(q) = memchr::memchr(b'"', rest) else {
                return if self.lenient {
                    Ok(None)
                } else {
                    Err(self.err(ErrorKind::CsvQuote, fstart))
                };
            };
            i += q;
            if b.get(i + 1) == Some(&b'"') {
                let o = out.get_or_insert_with(String::new);
                o.push_str(self.s.get(seg..=i).unwrap_or_default());
                i += 2;
                seg = i;
                continue;
            }
            break;
        }
        let after = i + 1;
        let done = match b.get(after) {
            Some(b';') => Some((after + 1, false)),
            Some(b'\n') => Some((after + 1, true)),
            Some(b'\r') if b.get(after + 1) == Some(&b'\n') => Some((after + 2, true)),
            None => Some((after, true)),
            Some(_) => None,
        };
        let Some((next, end)) = done else {
            return if self.lenient {
                Ok(None)
            } else {
                Err(self.err(ErrorKind::CsvQuote, after))
            };
        };
        let tail = self.s.get(seg..i).unwrap_or_default();
        let value = match out {
            Some(mut o) => {
                o.push_str(tail);
                Cow::Owned(o)
            }
            None => Cow::Borrowed(tail),
        };
        fields.push((value, fstart));
        self.pos = next;
        Ok(Some(end))
    }

    /// Reads an unquoted field starting at `self.pos`; returns true at the end of a record.
    fn raw_field(&mut self, fields: &mut Vec<Field<'a>>) -> Result<bool> {
        let b = self.s.as_bytes();
        let fstart = self.pos;
        let rest = b.get(self.pos..).unwrap_or_default();
        let end = memchr::memchr2(b';', b'\n', rest).map_or(b.len(), |i| self.pos + i);
        let mut vend = end;
        let at_nl = b.get(end) == Some(&b'\n');
        if at_nl && vend > self.pos && b.get(vend - 1) == Some(&b'\r') {
            vend -= 1;
        }
        let v = self.s.get(self.pos..vend).unwrap_or_default();
        if !self.lenient && v.contains('"') {
            return Err(self.err(ErrorKind::CsvQuote, self.pos));
        }
        fields.push((Cow::Borrowed(v), fstart));
        match b.get(end) {
            Some(b';') => {
                self.pos = end + 1;
                Ok(false)
            }
            Some(_) => {
                self.pos = end + 1;
                Ok(true)
            }
            None => {
                self.pos = b.len();
                Ok(true)
            }
        }
    }

    /// An error at byte `pos` of the BOM-less input.
    pub fn err(&self, kind: ErrorKind, pos: usize) -> Error {
        Error::at(kind, self.orig, pos + self.base)
    }

    /// Reads the next record into `fields`. Returns the record's start offset, or `None` at the
    /// end of the input.
    pub fn next_record(&mut self, fields: &mut Vec<Field<'a>>) -> Result<Option<usize>> {
        fields.clear();
        let b = self.s.as_bytes();
        if self.pos >= b.len() {
            return Ok(None);
        }
        let start = self.pos;
        loop {
            let fstart = self.pos;
            if b.get(self.pos) == Some(&b'"') {
                if let Some(done) = self.quoted_field(fields, fstart)? {
                    if done {
                        return Ok(Some(start));
                    }
                    continue;
                }
                // Lenient fallback: read the field literally.
                self.pos = fstart;
            }
            if self.raw_field(fields)? {
                return Ok(Some(start));
            }
        }
    }
}

fn opt(s: &str) -> Option<String> {
    if s.is_empty() {
        None
    } else {
        Some(s.to_string())
    }
}

fn num_field(r: &CsvReader<'_>, f: &Field<'_>) -> Result<u64> {
    parse_u64(f.0.as_bytes()).map_err(|k| r.err(k, f.1))
}

fn opt_u32(r: &CsvReader<'_>, f: &Field<'_>) -> Result<Option<u32>> {
    if f.0.is_empty() {
        return Ok(None);
    }
    let v = num_field(r, f)?;
    u32::try_from(v)
        .map(Some)
        .map_err(|_| r.err(ErrorKind::NumberOverflow(v.to_string()), f.1))
}

// ---------------------------------------------------------------------------------------------
// uitslag CSV
// ---------------------------------------------------------------------------------------------

/// Header of the Kiesraad uitslag CSV.
pub const UITSLAG_HEADER: [&str; 16] = [
    "Regio",
    "RegioCode",
    "OuderRegioCode",
    "GrootOuderRegioCode",
    "Partij",
    "LijstNummer",
    "LijstNaam",
    "KandidaatNummer",
    "KandidaatInitialen",
    "KandidaatVoornaam",
    "KandidaatTussenvoegsel",
    "KandidaatAchternaam",
    "KandidaatWoonplaats",
    "KandidaatGeslacht",
    "VeldType",
    "Waarde",
];

/// The Kiesraad long-format uitslag CSV (one value per row).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct UitslagCsv {
    /// Rows in file order.
    pub rows: Vec<UitslagRow>,
}

impl UitslagCsv {
    /// Rows of one field type.
    pub fn rows_of(&self, field: UitslagField) -> impl Iterator<Item = &UitslagRow> {
        self.rows.iter().filter(move |r| r.field == field)
    }

    /// Seats per list at national level (`LijstAantalZetels`), as `(list name, seats)`.
    /// Note: in this file the national seat rows have an empty list number; join on name.
    pub fn seats_per_list(&self) -> Vec<(&str, u64)> {
        self.rows_of(UitslagField::LijstAantalZetels)
            .map(|r| (r.list_name.as_deref().unwrap_or_default(), r.value))
            .collect()
    }

    /// Elected candidates (`KandidaatGekozen` with value 1).
    pub fn elected(&self) -> impl Iterator<Item = &UitslagRow> {
        self.rows_of(UitslagField::KandidaatGekozen)
            .filter(|r| r.value == 1)
    }
}

/// One row of the uitslag CSV.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct UitslagRow {
    /// `Regio`: region name.
    pub region: String,
    /// `RegioCode`.
    pub region_code: RegionCode,
    /// `OuderRegioCode`.
    pub parent_code: Option<RegionCode>,
    /// `GrootOuderRegioCode`.
    pub grandparent_code: Option<RegionCode>,
    /// `Partij` (always empty in practice).
    pub party: Option<String>,
    /// `LijstNummer`.
    pub list_number: Option<u32>,
    /// `LijstNaam`.
    pub list_name: Option<String>,
    /// Candidate columns, if the row is about a candidate.
    pub candidate: Option<UitslagCandidate>,
    /// `VeldType`.
    pub field: UitslagField,
    /// `Waarde`.
    pub value: u64,
}

/// Candidate columns of the uitslag CSV.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct UitslagCandidate {
    /// `KandidaatNummer`: position on the list.
    pub number: Option<u32>,
    /// `KandidaatInitialen`.
    pub initials: Option<String>,
    /// `KandidaatVoornaam`.
    pub first_name: Option<String>,
    /// `KandidaatTussenvoegsel`.
    pub prefix: Option<String>,
    /// `KandidaatAchternaam`.
    pub last_name: Option<String>,
    /// `KandidaatWoonplaats`.
    pub locality: Option<String>,
    /// `KandidaatGeslacht` (`m` / `v`).
    pub gender: Option<String>,
}

/// `RegioCode` such as `L528`, `P20`, `K1`, `G0014`, `O9001`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
pub struct RegionCode {
    /// Kind, from the prefix letter.
    pub kind: RegionKind,
    /// The number after the prefix.
    pub number: u32,
    /// The code as written.
    pub code: String,
}

/// Prefix letter of a [`RegionCode`].
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum RegionKind {
    /// `L`: land (national).
    Land,
    /// `P`: provincie.
    Provincie,
    /// `K`: kieskring.
    Kieskring,
    /// `G`: gemeente.
    Gemeente,
    /// `O`: openbaar lichaam (Bonaire, Sint Eustatius, Saba).
    OpenbaarLichaam,
}

/// `VeldType` of the uitslag CSV.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum UitslagField {
    /// `AantalBlancoStemmen`
    AantalBlancoStemmen,
    /// `AantalGeldigeStemmen`
    AantalGeldigeStemmen,
    /// `AantalOngeldigeStemmen`
    AantalOngeldigeStemmen,
    /// `KandidaatAantalStemmen`
    KandidaatAantalStemmen,
    /// `KandidaatGekozen`
    KandidaatGekozen,
    /// `Kiesgerechtigden`
    Kiesgerechtigden,
    /// `LijstAantalStemmen`
    LijstAantalStemmen,
    /// `LijstAantalZetels`
    LijstAantalZetels,
    /// `Opkomst`
    Opkomst,
}

impl UitslagField {
    fn from_code(s: &str) -> Option<UitslagField> {
        Some(match s {
            "AantalBlancoStemmen" => UitslagField::AantalBlancoStemmen,
            "AantalGeldigeStemmen" => UitslagField::AantalGeldigeStemmen,
            "AantalOngeldigeStemmen" => UitslagField::AantalOngeldigeStemmen,
            "KandidaatAantalStemmen" => UitslagField::KandidaatAantalStemmen,
            "KandidaatGekozen" => UitslagField::KandidaatGekozen,
            "Kiesgerechtigden" => UitslagField::Kiesgerechtigden,
            "LijstAantalStemmen" => UitslagField::LijstAantalStemmen,
            "LijstAantalZetels" => UitslagField::LijstAantalZetels,
            "Opkomst" => UitslagField::Opkomst,
            _ => return None,
        })
    }
}

fn region_code(r: &CsvReader<'_>, f: &Field<'_>) -> Result<Option<RegionCode>> {
    let s = &*f.0;
    if s.is_empty() {
        return Ok(None);
    }
    let bad = || {
        r.err(
            ErrorKind::InvalidValue {
                what: "RegioCode".into(),
                value: s.chars().take(40).collect(),
            },
            f.1,
        )
    };
    let mut chars = s.chars();
    let kind = match chars.next() {
        Some('L') => RegionKind::Land,
        Some('P') => RegionKind::Provincie,
        Some('K') => RegionKind::Kieskring,
        Some('G') => RegionKind::Gemeente,
        Some('O') => RegionKind::OpenbaarLichaam,
        _ => return Err(bad()),
    };
    let digits = chars.as_str();
    if digits.is_empty() || !digits.bytes().all(|b| b.is_ascii_digit()) {
        return Err(bad());
    }
    let number = parse_u64(digits.as_bytes())
        .ok()
        .and_then(|v| u32::try_from(v).ok())
        .ok_or_else(|| r.err(ErrorKind::NumberOverflow(digits.to_string()), f.1))?;
    Ok(Some(RegionCode {
        kind,
        number,
        code: s.to_string(),
    }))
}

fn check_header(r: &CsvReader<'_>, fields: &[Field<'_>], expected: &[&str]) -> Result<()> {
    if fields.len() != expected.len() {
        return Err(r.err(
            ErrorKind::CsvFieldCount {
                expected: expected.len(),
                found: fields.len(),
            },
            0,
        ));
    }
    for (f, e) in fields.iter().zip(expected) {
        if f.0 != *e {
            return Err(r.err(
                ErrorKind::InvalidValue {
                    what: "CSV header".into(),
                    value: f.0.to_string(),
                },
                f.1,
            ));
        }
    }
    Ok(())
}

/// Reads the Kiesraad uitslag CSV.
pub fn parse_uitslag_csv(src: &[u8]) -> Result<UitslagCsv> {
    let mut r = CsvReader::new(src)?;
    let mut f = Vec::with_capacity(16);
    if r.next_record(&mut f)?.is_none() {
        return Err(Error::new(ErrorKind::Truncated {
            open: "CSV header".into(),
        }));
    }
    check_header(&r, &f, &UITSLAG_HEADER)?;
    let mut rows = Vec::new();
    while let Some(start) = r.next_record(&mut f)? {
        if f.len() == 1 && f.first().is_some_and(|x| x.0.is_empty()) {
            continue; // blank line
        }
        let [
            region,
            code,
            parent,
            grandparent,
            party,
            list_number,
            list_name,
            cand_number,
            initials,
            first,
            prefix,
            last,
            locality,
            gender,
            field,
            value,
        ] = f.as_slice()
        else {
            return Err(r.err(
                ErrorKind::CsvFieldCount {
                    expected: 16,
                    found: f.len(),
                },
                start,
            ));
        };
        let region_code = region_code(&r, code)?.ok_or_else(|| {
            r.err(
                ErrorKind::InvalidValue {
                    what: "RegioCode".into(),
                    value: String::new(),
                },
                code.1,
            )
        })?;
        let field_type = UitslagField::from_code(&field.0).ok_or_else(|| {
            r.err(
                ErrorKind::InvalidValue {
                    what: "VeldType".into(),
                    value: field.0.chars().take(40).collect(),
                },
                field.1,
            )
        })?;
        let number = opt_u32(&r, cand_number)?;
        let cand = UitslagCandidate {
            number,
            initials: opt(&initials.0),
            first_name: opt(&first.0),
            prefix: opt(&prefix.0),
            last_name: opt(&last.0),
            locality: opt(&locality.0),
            gender: opt(&gender.0),
        };
        let candidate = if cand == UitslagCandidate::default() {
            None
        } else {
            Some(cand)
        };
        rows.push(UitslagRow {
            region: region.0.to_string(),
            region_code,
            parent_code: region_code_opt(&r, parent)?,
            grandparent_code: region_code_opt(&r, grandparent)?,
            party: opt(&party.0),
            list_number: opt_u32(&r, list_number)?,
            list_name: opt(&list_name.0),
            candidate,
            field: field_type,
            value: num_field(&r, value)?,
        });
    }
    Ok(UitslagCsv { rows })
}

fn region_code_opt(r: &CsvReader<'_>, f: &Field<'_>) -> Result<Option<RegionCode>> {
    region_code(r, f)
}

// ---------------------------------------------------------------------------------------------
// votes per list per stembureau CSV
// ---------------------------------------------------------------------------------------------

/// Header of the "stemmen per lijst per stembureau" CSV.
pub const STEMBUREAU_HEADER: [&str; 7] = [
    "GemeenteCode",
    "GemeenteNaam",
    "Postcode",
    "StembureauNaam",
    "StembureauCode",
    "PartijNaam",
    "AantalStemmen",
];

/// The Kiesraad CSV with votes per list per stembureau.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct StembureauCsv {
    /// Rows in file order.
    pub rows: Vec<StembureauRow>,
}

/// One row: votes for one party at one stembureau.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StembureauRow {
    /// `GemeenteCode` (CBS code without leading zeros).
    pub gemeente_code: u32,
    /// `GemeenteNaam`.
    pub gemeente_name: String,
    /// `Postcode` of the stembureau, if given.
    pub postcode: Option<String>,
    /// `StembureauNaam`.
    pub stembureau_name: String,
    /// `StembureauCode` (`SB` + number).
    pub stembureau_code: String,
    /// `PartijNaam`.
    pub party: String,
    /// `AantalStemmen`.
    pub votes: u64,
}

/// Reads the votes-per-list-per-stembureau CSV.
pub fn parse_stembureau_csv(src: &[u8]) -> Result<StembureauCsv> {
    let mut r = CsvReader::new(src)?;
    let mut f = Vec::with_capacity(8);
    if r.next_record(&mut f)?.is_none() {
        return Err(Error::new(ErrorKind::Truncated {
            open: "CSV header".into(),
        }));
    }
    check_header(&r, &f, &STEMBUREAU_HEADER)?;
    let mut rows = Vec::new();
    while let Some(start) = r.next_record(&mut f)? {
        if f.len() == 1 && f.first().is_some_and(|x| x.0.is_empty()) {
            continue;
        }
        let [code, gname, postcode, sname, scode, party, votes] = f.as_slice() else {
            return Err(r.err(
                ErrorKind::CsvFieldCount {
                    expected: 7,
                    found: f.len(),
                },
                start,
            ));
        };
        let gemeente_code = opt_u32(&r, code)?
            .ok_or_else(|| r.err(ErrorKind::InvalidNumber(String::new()), code.1))?;
        rows.push(StembureauRow {
            gemeente_code,
            gemeente_name: gname.0.to_string(),
            postcode: opt(&postcode.0),
            stembureau_name: sname.0.to_string(),
            stembureau_code: scode.0.to_string(),
            party: party.0.to_string(),
            votes: num_field(&r, votes)?,
        });
    }
    Ok(StembureauCsv { rows })
}

/// First record of a CSV (for identification), or `None` if it is not CSV-like.
pub(crate) fn first_record(src: &[u8]) -> Option<Vec<String>> {
    // Only look at the first line, so identification stays cheap.
    let end = memchr::memchr(b'\n', src).map_or(src.len(), |i| i + 1);
    let mut r = CsvReader::new(src.get(..end)?).ok()?;
    let mut f = Vec::new();
    r.next_record(&mut f).ok()??;
    Some(f.into_iter().map(|(s, _)| s.into_owned()).collect())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn records(s: &str) -> Result<Vec<Vec<String>>> {
        let mut r = CsvReader::new(s.as_bytes())?;
        let mut f = Vec::new();
        let mut out = Vec::new();
        while r.next_record(&mut f)?.is_some() {
            out.push(f.iter().map(|(s, _)| s.to_string()).collect());
        }
        Ok(out)
    }

    #[test]
    fn tokenizer() {
        assert_eq!(
            records("\u{feff}a;\"b;\"\"c\"\"\";\r\n;x\n\"\"").unwrap(),
            vec![
                vec!["a".to_string(), "b;\"c\"".into(), String::new()],
                vec![String::new(), "x".into()],
                vec![String::new()],
            ]
        );
        assert_eq!(records("a\n").unwrap(), vec![vec!["a".to_string()]]);
        assert!(matches!(
            records("\"abc").unwrap_err().kind,
            ErrorKind::CsvQuote
        ));
        assert!(matches!(
            records("\"a\"b").unwrap_err().kind,
            ErrorKind::CsvQuote
        ));
        assert!(matches!(
            records("a\"b").unwrap_err().kind,
            ErrorKind::CsvQuote
        ));
    }

    const UITSLAG: &str = "Regio;RegioCode;OuderRegioCode;GrootOuderRegioCode;Partij;LijstNummer;LijstNaam;KandidaatNummer;KandidaatInitialen;KandidaatVoornaam;KandidaatTussenvoegsel;KandidaatAchternaam;KandidaatWoonplaats;KandidaatGeslacht;VeldType;Waarde\n\
Nederland;L528;;;;;Alpha;;;;;;;;LijstAantalZetels;2\n\
Nederland;L528;;;;1;Alpha;1;A.;Ans;van;Échard;Zwolle;v;KandidaatGekozen;1\n\
Groningen;G0014;K1;P20;;1;Alpha;;;;;;;;LijstAantalStemmen;12369\n";

    #[test]
    fn uitslag() {
        let u = parse_uitslag_csv(UITSLAG.as_bytes()).unwrap();
        assert_eq!(u.rows.len(), 3);
        assert_eq!(u.seats_per_list(), vec![("Alpha", 2)]);
        let e: Vec<_> = u.elected().collect();
        assert_eq!(e.len(), 1);
        let c = e[0].candidate.as_ref().unwrap();
        assert_eq!(c.last_name.as_deref(), Some("Échard"));
        assert_eq!(u.rows[2].region_code.kind, RegionKind::Gemeente);
        assert_eq!(u.rows[2].region_code.number, 14);
        assert_eq!(u.rows[2].parent_code.as_ref().unwrap().code, "K1");
    }

    #[test]
    fn uitslag_errors() {
        let neg = UITSLAG.replace(";12369", ";-5");
        let e = parse_uitslag_csv(neg.as_bytes()).unwrap_err();
        assert!(matches!(e.kind, ErrorKind::NegativeNumber(_)));
        assert_eq!(e.position.unwrap().line, 4);
        let big = UITSLAG.replace(";12369", ";99999999999999999999");
        assert!(matches!(
            parse_uitslag_csv(big.as_bytes()).unwrap_err().kind,
            ErrorKind::NumberOverflow(_)
        ));
        let short = UITSLAG.replace(";LijstAantalStemmen;12369", ";12369");
        assert!(matches!(
            parse_uitslag_csv(short.as_bytes()).unwrap_err().kind,
            ErrorKind::CsvFieldCount { .. }
        ));
        let bad = UITSLAG.replace("LijstAantalStemmen", "Onzin");
        assert!(matches!(
            parse_uitslag_csv(bad.as_bytes()).unwrap_err().kind,
            ErrorKind::InvalidValue { .. }
        ));
        assert!(matches!(
            parse_uitslag_csv(b"Regio;\xff\n").unwrap_err().kind,
            ErrorKind::NotUtf8
        ));
    }

    #[test]
    fn stembureau() {
        let s = "\"GemeenteCode\";\"GemeenteNaam\";\"Postcode\";\"StembureauNaam\";\"StembureauCode\";\"PartijNaam\";\"AantalStemmen\"\r\n14;Groningen;\"9712HN\";Stembureau Stadhuis (postcode: 9712 HN);SB100;\"50PLUS\";1\r\n";
        let c = parse_stembureau_csv(s.as_bytes()).unwrap();
        assert_eq!(c.rows.len(), 1);
        assert_eq!(c.rows[0].gemeente_code, 14);
        assert_eq!(c.rows[0].postcode.as_deref(), Some("9712HN"));
        assert_eq!(c.rows[0].votes, 1);
    }
}
