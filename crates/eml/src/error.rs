//! Typed errors with a position and a Dutch and an English message.
//!
//! Every reader in this crate returns [`Error`] instead of panicking. An error carries an
//! [`ErrorKind`] (what went wrong), an optional [`Position`] (where, as a byte offset and a
//! 1-based line and column) and can be wrapped in a [`ReadProblem`] that also names the file
//! (and the zip entry) it came from.

use std::fmt;

use serde::Serialize;

use crate::load::SourceRef;

/// Where in a file an error was found.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Position {
    /// Byte offset from the start of the file (0-based).
    pub byte_offset: u64,
    /// Line number (1-based).
    pub line: u64,
    /// Column in characters (1-based).
    pub column: u64,
}

impl Position {
    /// Computes line and column of `offset` in `src`. Offsets past the end are clamped.
    pub fn from_offset(src: &[u8], offset: usize) -> Position {
        let offset = offset.min(src.len());
        let before = src.get(..offset).unwrap_or_default();
        let line = memchr::memchr_iter(b'\n', before).count() as u64 + 1;
        let line_start = memchr::memrchr(b'\n', before).map_or(0, |i| i + 1);
        let line_bytes = before.get(line_start..).unwrap_or_default();
        // Count characters, not bytes: every byte that is not a UTF-8 continuation byte.
        let column = line_bytes.iter().filter(|&&b| (b & 0xC0) != 0x80).count() as u64 + 1;
        Position {
            byte_offset: offset as u64,
            line,
            column,
        }
    }
}

impl fmt::Display for Position {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.line, self.column)
    }
}

/// What went wrong while reading a file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[non_exhaustive]
pub enum ErrorKind {
    /// The bytes are not valid UTF-8.
    NotUtf8,
    /// The file declares or is in an encoding other than UTF-8 (e.g. UTF-16 or ISO-8859-1).
    UnsupportedEncoding(String),
    /// The file ended in the middle of the document (e.g. an element was never closed).
    Truncated {
        /// What was still open or expected.
        open: String,
    },
    /// The XML is not well-formed.
    MalformedXml(String),
    /// An end tag does not match the open start tag.
    MismatchedEndTag {
        /// The open element.
        expected: String,
        /// The end tag that was found.
        found: String,
    },
    /// A `<!DOCTYPE>` declaration; refused to rule out entity-expansion attacks.
    DoctypeNotAllowed,
    /// Elements nested deeper than the reader accepts.
    TooDeep,
    /// The root element is not `<EML>`.
    NotEml {
        /// Name of the root element that was found.
        root: String,
    },
    /// The root element is not in the EML namespace `urn:oasis:names:tc:evs:schema:eml`.
    WrongNamespace {
        /// The namespace found, empty if none.
        found: String,
    },
    /// The `<EML Id="...">` attribute is missing.
    MissingEmlId,
    /// The EML `Id` is not one this crate reads (e.g. `630`).
    UnsupportedEmlId(String),
    /// The EML `Id` is not what the called reader expects (e.g. a 520 given to the 510 reader).
    WrongEmlId {
        /// What the reader expects, e.g. `510a-d`.
        expected: String,
        /// What the document says.
        found: String,
    },
    /// The content is neither EML nor one of the known CSV formats.
    UnknownFormat,
    /// A required element is missing.
    MissingElement {
        /// The missing element.
        element: String,
        /// The element it should be in.
        parent: String,
    },
    /// A required attribute is missing.
    MissingAttribute {
        /// The element.
        element: String,
        /// The missing attribute.
        attribute: String,
    },
    /// An element appears where it is not allowed (e.g. a candidate before any list).
    UnexpectedElement {
        /// The element.
        element: String,
        /// Why it is not allowed.
        context: String,
    },
    /// A count or number is negative.
    NegativeNumber(String),
    /// A number does not fit in 64 bits (or the smaller type used for ids).
    NumberOverflow(String),
    /// Text that should be a number is not.
    InvalidNumber(String),
    /// A value is not one of the allowed values.
    InvalidValue {
        /// What the value is for.
        what: String,
        /// The value found.
        value: String,
    },
    /// The same id occurs twice where ids must be unique.
    DuplicateId {
        /// What kind of id.
        what: String,
        /// The duplicated id.
        id: String,
    },
    /// A CSV row has the wrong number of fields.
    CsvFieldCount {
        /// Fields expected.
        expected: usize,
        /// Fields found.
        found: usize,
    },
    /// A CSV quoted field is not closed or is followed by garbage.
    CsvQuote,
    /// A zip entry name would escape the archive (`../`, absolute path, drive letter).
    ZipPathTraversal(String),
    /// A zip entry is encrypted; encrypted entries are not read.
    ZipEncrypted(String),
    /// A size limit (file, entry, total uncompressed size or compression ratio) was exceeded.
    TooLarge(String),
    /// The zip archive is damaged or uses an unsupported feature.
    ZipCorrupt(String),
    /// The file could not be read.
    Io(String),
    /// A control character (U+0000–U+001F except tab, LF and CR; DEL; U+0080–U+009F) in the
    /// text, where XML 1.0 and our CSV readers allow none.
    ControlCharacter(u32),
    /// The path is not a regular file (a FIFO, a device such as `/dev/zero`, a socket).
    NotARegularFile(String),
}

impl ErrorKind {
    /// English description.
    pub fn message_en(&self) -> String {
        match self {
            ErrorKind::NotUtf8 => "the file is not valid UTF-8".into(),
            ErrorKind::UnsupportedEncoding(e) => {
                format!("unsupported encoding {e}; only UTF-8 is read")
            }
            ErrorKind::Truncated { open } => format!("the file ends too early ({open} not closed)"),
            ErrorKind::MalformedXml(m) => format!("malformed XML: {m}"),
            ErrorKind::MismatchedEndTag { expected, found } => {
                format!("end tag </{found}> does not match open element <{expected}>")
            }
            ErrorKind::DoctypeNotAllowed => "a DOCTYPE declaration is not allowed".into(),
            ErrorKind::TooDeep => "elements are nested too deeply".into(),
            ErrorKind::NotEml { root } => {
                format!("not an EML document: the root element is <{root}>, expected <EML>")
            }
            ErrorKind::WrongNamespace { found } => format!(
                "wrong namespace {found:?} for <EML>, expected urn:oasis:names:tc:evs:schema:eml"
            ),
            ErrorKind::MissingEmlId => "the <EML> element has no Id attribute".into(),
            ErrorKind::UnsupportedEmlId(id) => format!("EML document type {id:?} is not supported"),
            ErrorKind::WrongEmlId { expected, found } => {
                format!("wrong EML document type {found:?}, expected {expected}")
            }
            ErrorKind::UnknownFormat => {
                "unknown file format (neither EML nor a known Kiesraad CSV)".into()
            }
            ErrorKind::MissingElement { element, parent } => {
                format!("required element <{element}> is missing in <{parent}>")
            }
            ErrorKind::MissingAttribute { element, attribute } => {
                format!("required attribute {attribute} is missing on <{element}>")
            }
            ErrorKind::UnexpectedElement { element, context } => {
                format!("unexpected element <{element}>: {context}")
            }
            ErrorKind::NegativeNumber(v) => {
                format!("negative number {v:?} where a count is required")
            }
            ErrorKind::NumberOverflow(v) => format!("number {v:?} is too large"),
            ErrorKind::InvalidNumber(v) => format!("{v:?} is not a number"),
            ErrorKind::InvalidValue { what, value } => format!("invalid {what}: {value:?}"),
            ErrorKind::DuplicateId { what, id } => format!("duplicate {what} {id:?}"),
            ErrorKind::CsvFieldCount { expected, found } => {
                format!("CSV row has {found} fields, expected {expected}")
            }
            ErrorKind::CsvQuote => "badly quoted CSV field".into(),
            ErrorKind::ZipPathTraversal(n) => {
                format!("zip entry name {n:?} points outside the archive; entry refused")
            }
            ErrorKind::ZipEncrypted(n) => format!("zip entry {n:?} is encrypted; not read"),
            ErrorKind::TooLarge(m) => format!("size limit exceeded: {m}"),
            ErrorKind::ZipCorrupt(m) => format!("damaged or unsupported zip archive: {m}"),
            ErrorKind::Io(m) => format!("cannot read file: {m}"),
            ErrorKind::ControlCharacter(c) => {
                format!("control character U+{c:04X} is not allowed in the text")
            }
            ErrorKind::NotARegularFile(what) => {
                format!("not a regular file ({what}); only regular files are read")
            }
        }
    }

    /// Dutch description.
    pub fn message_nl(&self) -> String {
        match self {
            ErrorKind::NotUtf8 => "het bestand is geen geldige UTF-8".into(),
            ErrorKind::UnsupportedEncoding(e) => {
                format!("tekencodering {e} wordt niet ondersteund; alleen UTF-8 wordt gelezen")
            }
            ErrorKind::Truncated { open } => {
                format!("het bestand houdt te vroeg op ({open} niet afgesloten)")
            }
            ErrorKind::MalformedXml(m) => format!("ongeldige XML: {m}"),
            ErrorKind::MismatchedEndTag { expected, found } => {
                format!("sluittag </{found}> past niet bij open element <{expected}>")
            }
            ErrorKind::DoctypeNotAllowed => "een DOCTYPE-declaratie is niet toegestaan".into(),
            ErrorKind::TooDeep => "elementen zijn te diep genest".into(),
            ErrorKind::NotEml { root } => {
                format!("geen EML-document: het hoofdelement is <{root}>, verwacht <EML>")
            }
            ErrorKind::WrongNamespace { found } => format!(
                "verkeerde namespace {found:?} voor <EML>, verwacht urn:oasis:names:tc:evs:schema:eml"
            ),
            ErrorKind::MissingEmlId => "het <EML>-element heeft geen Id-attribuut".into(),
            ErrorKind::UnsupportedEmlId(id) => {
                format!("EML-documentsoort {id:?} wordt niet ondersteund")
            }
            ErrorKind::WrongEmlId { expected, found } => {
                format!("verkeerde EML-documentsoort {found:?}, verwacht {expected}")
            }
            ErrorKind::UnknownFormat => {
                "onbekend bestandsformaat (geen EML en geen bekend Kiesraad-CSV)".into()
            }
            ErrorKind::MissingElement { element, parent } => {
                format!("verplicht element <{element}> ontbreekt in <{parent}>")
            }
            ErrorKind::MissingAttribute { element, attribute } => {
                format!("verplicht attribuut {attribute} ontbreekt bij <{element}>")
            }
            ErrorKind::UnexpectedElement { element, context } => {
                format!("onverwacht element <{element}>: {context}")
            }
            ErrorKind::NegativeNumber(v) => {
                format!("negatief getal {v:?} waar een aantal verwacht wordt")
            }
            ErrorKind::NumberOverflow(v) => format!("getal {v:?} is te groot"),
            ErrorKind::InvalidNumber(v) => format!("{v:?} is geen getal"),
            ErrorKind::InvalidValue { what, value } => {
                format!("ongeldige waarde voor {what}: {value:?}")
            }
            ErrorKind::DuplicateId { what, id } => format!("dubbele {what} {id:?}"),
            ErrorKind::CsvFieldCount { expected, found } => {
                format!("CSV-regel heeft {found} velden, verwacht {expected}")
            }
            ErrorKind::CsvQuote => "verkeerd geciteerd CSV-veld".into(),
            ErrorKind::ZipPathTraversal(n) => {
                format!("naam {n:?} in zip-bestand wijst buiten het archief; niet gelezen")
            }
            ErrorKind::ZipEncrypted(n) => {
                format!("bestand {n:?} in zip is versleuteld; niet gelezen")
            }
            ErrorKind::TooLarge(m) => format!("groottegrens overschreden: {m}"),
            ErrorKind::ZipCorrupt(m) => format!("beschadigd of niet-ondersteund zip-bestand: {m}"),
            ErrorKind::Io(m) => format!("bestand kan niet gelezen worden: {m}"),
            ErrorKind::ControlCharacter(c) => {
                format!("stuurteken U+{c:04X} is niet toegestaan in de tekst")
            }
            ErrorKind::NotARegularFile(what) => {
                format!("geen gewoon bestand ({what}); alleen gewone bestanden worden gelezen")
            }
        }
    }
}

/// A reading error: what went wrong and where.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Error {
    /// What went wrong.
    pub kind: ErrorKind,
    /// Where, if known.
    pub position: Option<Position>,
}

impl Error {
    /// An error without a position.
    pub fn new(kind: ErrorKind) -> Error {
        Error {
            kind,
            position: None,
        }
    }

    /// An error at byte `offset` of `src` (line and column are computed from it).
    pub fn at(kind: ErrorKind, src: &[u8], offset: usize) -> Error {
        Error {
            kind,
            position: Some(Position::from_offset(src, offset)),
        }
    }

    /// English message including the position.
    pub fn message_en(&self) -> String {
        match &self.position {
            Some(p) => format!(
                "line {}, column {}: {}",
                p.line,
                p.column,
                self.kind.message_en()
            ),
            None => self.kind.message_en(),
        }
    }

    /// Dutch message including the position.
    pub fn message_nl(&self) -> String {
        match &self.position {
            Some(p) => format!(
                "regel {}, kolom {}: {}",
                p.line,
                p.column,
                self.kind.message_nl()
            ),
            None => self.kind.message_nl(),
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(p) = &self.position {
            write!(f, "{p}: ")?;
        }
        write!(f, "{} / {}", self.kind.message_en(), self.kind.message_nl())
    }
}

impl std::error::Error for Error {}

/// A file (or zip entry) that could not be read, with the reason.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReadProblem {
    /// The file, and the entry inside a zip archive if any.
    pub source: SourceRef,
    /// What went wrong and where.
    pub error: Error,
}

impl ReadProblem {
    /// English message: `file[!entry]:line:column: message`.
    pub fn message_en(&self) -> String {
        format!("{}: {}", self.location(), self.error.kind.message_en())
    }

    /// Dutch message: `bestand[!entry]:regel:kolom: melding`.
    pub fn message_nl(&self) -> String {
        format!("{}: {}", self.location(), self.error.kind.message_nl())
    }

    fn location(&self) -> String {
        match &self.error.position {
            Some(p) => format!("{}:{}:{}", self.source, p.line, p.column),
            None => self.source.to_string(),
        }
    }
}

impl fmt::Display for ReadProblem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}: {} / {}",
            self.location(),
            self.error.kind.message_en(),
            self.error.kind.message_nl()
        )
    }
}

impl std::error::Error for ReadProblem {}

/// Shorthand result type.
pub type Result<T> = std::result::Result<T, Error>;
