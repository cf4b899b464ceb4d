//! A small, strict, fast pull tokenizer for the XML subset used by EML_NL.
//!
//! Why not a general XML library: the 510 counts are large (TK2021: 62 MB) and consist of very
//! short elements; a general event reader (quick-xml 0.42 measured ~400 MB/s for the bare event
//! loop on the TK2021 files) cannot reach the required ≥ 500 MB/s once the values are parsed.
//! This tokenizer borrows everything from the input, allocates nothing per element, parses numbers
//! straight from bytes and checks what matters for correctness:
//!
//! * the whole input is validated as UTF-8 once, up front (UTF-16 and other encodings are refused);
//! * start and end tags must match, attributes must be quoted and unique, the document must have
//!   exactly one root element and must not end early;
//! * `<!DOCTYPE>` is refused (no entity expansion, no external entities);
//! * only the five predefined entities and numeric character references are accepted.
//!
//! Element names are matched on their *local* name, so any namespace prefix works
//! (`<EML>`, `<eml:EML>`); the reader of each document type checks the namespace of the root.

use std::borrow::Cow;
use std::collections::HashSet;

use crate::error::{Error, ErrorKind, Result};

const MAX_DEPTH: usize = 256;

#[cfg(test)]
thread_local! {
    /// Tests set this to compare the fast path with the general parser.
    pub(crate) static NO_FAST_PATH: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[inline]
fn is_ws(b: u8) -> bool {
    matches!(b, b' ' | b'\t' | b'\n' | b'\r')
}

/// Local part of a qualified name (`kr:Region` → `Region`).
#[inline]
pub(crate) fn local_name(qname: &[u8]) -> &[u8] {
    match qname.iter().rposition(|&c| c == b':') {
        Some(i) => qname.get(i + 1..).unwrap_or_default(),
        None => qname,
    }
}

/// Byte classes for tag scanning.
const C_NAME: u8 = 0;
const C_END: u8 = 1; // whitespace, '>' or '/': ends a name
const C_COLON: u8 = 2;
const C_BAD: u8 = 3;

static CLASS: [u8; 256] = {
    let mut t = [C_NAME; 256];
    let mut i = 0;
    while i < 0x20 {
        t[i] = C_BAD;
        i += 1;
    }
    t[b' ' as usize] = C_END;
    t[b'\t' as usize] = C_END;
    t[b'\n' as usize] = C_END;
    t[b'\r' as usize] = C_END;
    t[b'>' as usize] = C_END;
    t[b'/' as usize] = C_END;
    t[b':' as usize] = C_COLON;
    t[b'<' as usize] = C_BAD;
    t[b'&' as usize] = C_BAD;
    t[b'"' as usize] = C_BAD;
    t[b'\'' as usize] = C_BAD;
    t[b'=' as usize] = C_BAD;
    t[b'!' as usize] = C_BAD;
    t[b'?' as usize] = C_BAD;
    t
};

/// Position of the next `<` at or after `from`: a short manual scan first (text between EML
/// tags is usually empty or a few bytes of indentation), then memchr.
#[inline]
fn find_lt(b: &[u8], from: usize) -> Option<usize> {
    let end = b.len().min(from + 24);
    let mut i = from;
    while i < end {
        if b.get(i) == Some(&b'<') {
            return Some(i);
        }
        i += 1;
    }
    memchr::memchr(b'<', b.get(end..)?).map(|j| end + j)
}

/// A start tag (or empty-element tag).
#[derive(Clone, Copy, Debug)]
pub(crate) struct Tag<'a> {
    /// Qualified name as written.
    pub qname: &'a [u8],
    /// Offset of the local name within `qname` (after the last `:`).
    local_start: usize,
    /// The validated attribute region (between the name and `>` / `/>`).
    attrs: &'a [u8],
    /// Byte offset of attrs in the source.
    attrs_pos: usize,
    /// Byte offset of `<`.
    pub pos: usize,
}

impl<'a> Tag<'a> {
    #[inline]
    pub fn local(&self) -> &'a [u8] {
        self.qname.get(self.local_start..).unwrap_or_default()
    }

    pub fn prefix(&self) -> &'a [u8] {
        match self.local_start {
            0 => b"",
            n => self.qname.get(..n - 1).unwrap_or_default(),
        }
    }

    /// Name as a (lossy) string, for messages.
    pub fn name_string(&self) -> String {
        String::from_utf8_lossy(self.local()).into_owned()
    }

    /// The raw (still escaped) value of attribute `name` (matched on its local name, except
    /// for `xmlns` declarations which are matched in full), and its byte offset.
    pub fn attr_raw(&self, name: &[u8]) -> Option<(&'a [u8], usize)> {
        let a = self.attrs;
        let mut i = 0;
        let exact = name.starts_with(b"xmlns");
        while i < a.len() {
            while a.get(i).is_some_and(|&b| is_ws(b)) {
                i += 1;
            }
            let ns = i;
            while a.get(i).is_some_and(|&b| b != b'=' && !is_ws(b)) {
                i += 1;
            }
            let an = a.get(ns..i)?;
            while a.get(i).is_some_and(|&b| b != b'"' && b != b'\'') {
                i += 1;
            }
            let q = *a.get(i)?;
            let vs = i + 1;
            let ve = vs + memchr::memchr(q, a.get(vs..)?)?;
            i = ve + 1;
            let matches = if exact {
                an == name
            } else {
                !an.starts_with(b"xmlns") && local_name(an) == name
            };
            if matches {
                return Some((a.get(vs..ve)?, self.attrs_pos + vs));
            }
        }
        None
    }
}

/// The tokenizer state.
pub(crate) struct Xml<'a> {
    /// Whole input (after BOM), validated UTF-8.
    s: &'a str,
    b: &'a [u8],
    /// Offset of `b` in the original input (BOM length), for positions.
    base: usize,
    /// Original input, for computing line/column on errors.
    orig: &'a [u8],
    pos: usize,
    stack: Vec<&'a [u8]>,
    pending_empty: bool,
    /// The attribute names of the start tag being read, for the duplicate check: a short list
    /// scanned linearly, and a hash set once a tag has more than [`ATTRS_SCANNED`] (so that a
    /// tag with 100,000 attributes costs linear time, not quadratic).
    attr_names: Vec<&'a [u8]>,
    attr_set: HashSet<&'a [u8]>,
}

/// Up to this many attributes per start tag, duplicates are found by scanning a list.
const ATTRS_SCANNED: usize = 16;

impl<'a> Xml<'a> {
    /// Validates the encoding and prepares to read.
    pub fn new(orig: &'a [u8]) -> Result<Xml<'a>> {
        let (b, base) = strip_bom(orig)?;
        let s = match std::str::from_utf8(b) {
            Ok(s) => s,
            Err(e) => return Err(Error::at(ErrorKind::NotUtf8, orig, base + e.valid_up_to())),
        };
        if let Some((at, c)) = crate::controls::find_forbidden(b) {
            return Err(Error::at(
                ErrorKind::ControlCharacter(u32::from(c)),
                orig,
                base + at,
            ));
        }
        Ok(Xml {
            s,
            b,
            base,
            orig,
            pos: 0,
            stack: Vec::with_capacity(16),
            pending_empty: false,
            attr_names: Vec::new(),
            attr_set: HashSet::new(),
        })
    }

    /// An error at byte offset `pos` of the (BOM-less) input.
    pub fn err(&self, kind: ErrorKind, pos: usize) -> Error {
        Error::at(kind, self.orig, pos + self.base)
    }

    fn truncated(&self) -> Error {
        let open = match self.stack.last() {
            Some(n) => format!("<{}>", String::from_utf8_lossy(n)),
            None => "document".to_string(),
        };
        self.err(ErrorKind::Truncated { open }, self.b.len())
    }

    fn malformed(&self, msg: &str, pos: usize) -> Error {
        self.err(ErrorKind::MalformedXml(msg.to_string()), pos)
    }

    #[inline]
    fn at(&self, i: usize) -> Option<u8> {
        self.b.get(i).copied()
    }

    /// String slice of the input; never panics (returns an error on a bad boundary).
    pub fn slice(&self, start: usize, end: usize) -> Result<&'a str> {
        self.s
            .get(start..end)
            .ok_or_else(|| self.malformed("internal: bad slice boundary", start))
    }

    /// Reads the prolog and the root start tag.
    pub fn root(&mut self) -> Result<Tag<'a>> {
        loop {
            while self.at(self.pos).is_some_and(is_ws) {
                self.pos += 1;
            }
            let rest = self.b.get(self.pos..).unwrap_or_default();
            if rest.is_empty() {
                return Err(self.truncated());
            }
            if rest.starts_with(b"<?") {
                let end = memchr::memmem::find(rest, b"?>").ok_or_else(|| self.truncated())?;
                let body = rest.get(2..end).unwrap_or_default();
                if body.starts_with(b"xml") && body.get(3).is_none_or(|&b| is_ws(b)) {
                    check_declared_encoding(body).map_err(|k| self.err(k, self.pos))?;
                }
                self.pos += end + 2;
            } else if rest.starts_with(b"<!--") {
                self.skip_comment()?;
            } else if rest.starts_with(b"<!") {
                if rest.starts_with(b"<!DOCTYPE") {
                    return Err(self.err(ErrorKind::DoctypeNotAllowed, self.pos));
                }
                return Err(self.malformed("unexpected markup before the root element", self.pos));
            } else if rest.first() == Some(&b'<') {
                let tag = self.start_tag()?;
                return Ok(tag);
            } else {
                return Err(self.malformed("text before the root element", self.pos));
            }
        }
    }

    /// After the root element is closed: only whitespace, comments and PIs may follow.
    pub fn finish(&mut self) -> Result<()> {
        if !self.stack.is_empty() {
            return Err(self.truncated());
        }
        loop {
            while self.at(self.pos).is_some_and(is_ws) {
                self.pos += 1;
            }
            let rest = self.b.get(self.pos..).unwrap_or_default();
            if rest.is_empty() {
                return Ok(());
            }
            if rest.starts_with(b"<!--") {
                self.skip_comment()?;
            } else if rest.starts_with(b"<?") {
                let end = memchr::memmem::find(rest, b"?>").ok_or_else(|| self.truncated())?;
                self.pos += end + 2;
            } else {
                return Err(self.malformed("content after the root element", self.pos));
            }
        }
    }

    fn skip_comment(&mut self) -> Result<()> {
        let rest = self.b.get(self.pos + 4..).unwrap_or_default();
        let end = memchr::memmem::find(rest, b"-->").ok_or_else(|| self.truncated())?;
        self.pos += 4 + end + 3;
        Ok(())
    }

    /// Parses a start tag at `self.pos` (which is at `<`). Pushes it unless it is empty.
    fn start_tag(&mut self) -> Result<Tag<'a>> {
        let lt = self.pos;
        let b = self.b;
        let mut i = lt + 1;
        let mut colon = 0;
        // name
        loop {
            let Some(&c) = b.get(i) else {
                return Err(self.truncated());
            };
            match CLASS[c as usize] {
                C_NAME => i += 1,
                C_END => break,
                C_COLON => {
                    i += 1;
                    colon = i - (lt + 1);
                }
                _ => return Err(self.malformed("invalid character in element name", i)),
            }
        }
        let qname = b.get(lt + 1..i).unwrap_or_default();
        if qname.is_empty() || !is_name_start(qname.first().copied().unwrap_or(b'0')) {
            return Err(self.malformed("invalid element name", lt));
        }
        let attrs_start = i;
        // Fast path: no attributes.
        if b.get(i) == Some(&b'>') {
            if self.stack.len() >= MAX_DEPTH {
                return Err(self.err(ErrorKind::TooDeep, lt));
            }
            self.stack.push(qname);
            self.pos = i + 1;
            return Ok(Tag {
                qname,
                local_start: colon,
                attrs: b"",
                attrs_pos: i,
                pos: lt,
            });
        }
        self.attr_names.clear();
        self.attr_set.clear();
        let empty;
        loop {
            let had_ws = b.get(i).is_some_and(|&c| is_ws(c));
            while b.get(i).is_some_and(|&c| is_ws(c)) {
                i += 1;
            }
            match b.get(i) {
                None => return Err(self.truncated()),
                Some(b'>') => {
                    empty = false;
                    break;
                }
                Some(b'/') => {
                    if b.get(i + 1) == Some(&b'>') {
                        empty = true;
                        break;
                    }
                    return Err(self.malformed("expected '>' after '/'", i));
                }
                Some(_) => {
                    if !had_ws {
                        return Err(self.malformed("missing whitespace before attribute", i));
                    }
                    let ns = i;
                    while b
                        .get(i)
                        .is_some_and(|&c| c != b'=' && !is_ws(c) && !is_name_stop(c))
                    {
                        i += 1;
                    }
                    if i == ns {
                        return Err(self.malformed("invalid attribute name", i));
                    }
                    let name = (ns, i);
                    while b.get(i).is_some_and(|&c| is_ws(c)) {
                        i += 1;
                    }
                    if b.get(i) != Some(&b'=') {
                        return match b.get(i) {
                            None => Err(self.truncated()),
                            Some(_) => Err(self.malformed("expected '=' after attribute name", i)),
                        };
                    }
                    i += 1;
                    while b.get(i).is_some_and(|&c| is_ws(c)) {
                        i += 1;
                    }
                    let q = match b.get(i) {
                        Some(&q @ (b'"' | b'\'')) => q,
                        None => return Err(self.truncated()),
                        Some(_) => return Err(self.malformed("attribute value must be quoted", i)),
                    };
                    let vs = i + 1;
                    let rest = b.get(vs..).unwrap_or_default();
                    let Some(len) = memchr::memchr(q, rest) else {
                        return Err(self.truncated());
                    };
                    let value = rest.get(..len).unwrap_or_default();
                    if memchr::memchr(b'<', value).is_some() {
                        return Err(self.malformed("'<' in attribute value", vs));
                    }
                    if memchr::memchr(b'&', value).is_some() {
                        decode_entities(value).map_err(|(k, off)| self.err(k, vs + off))?;
                    }
                    let this = b.get(name.0..name.1).unwrap_or_default();
                    let duplicate = if self.attr_names.len() < ATTRS_SCANNED {
                        let seen = self.attr_names.contains(&this);
                        self.attr_names.push(this);
                        seen
                    } else {
                        if self.attr_set.is_empty() {
                            self.attr_set.extend(self.attr_names.iter().copied());
                        }
                        !self.attr_set.insert(this)
                    };
                    if duplicate {
                        return Err(self.malformed("duplicate attribute", name.0));
                    }
                    i = vs + len + 1;
                }
            }
        }
        let tag = Tag {
            qname,
            local_start: colon,
            attrs: b.get(attrs_start..i).unwrap_or_default(),
            attrs_pos: attrs_start,
            pos: lt,
        };
        if empty {
            self.pos = i + 2;
            self.pending_empty = true;
        } else {
            self.pos = i + 1;
            if self.stack.len() >= MAX_DEPTH {
                return Err(self.err(ErrorKind::TooDeep, lt));
            }
            self.stack.push(qname);
        }
        Ok(tag)
    }

    /// Parses an end tag at `self.pos` (at `</`) and pops the stack.
    fn end_tag(&mut self) -> Result<()> {
        let lt = self.pos;
        let b = self.b;
        // Fast path: `</` + open name + `>`.
        if let Some(&open) = self.stack.last() {
            let after = lt + 2 + open.len();
            if b.get(after) == Some(&b'>') && b.get(lt + 2..after) == Some(open) {
                self.stack.pop();
                self.pos = after + 1;
                return Ok(());
            }
        }
        let mut i = lt + 2;
        while b.get(i).is_some_and(|&c| !is_ws(c) && c != b'>') {
            i += 1;
        }
        let name = b.get(lt + 2..i).unwrap_or_default();
        while b.get(i).is_some_and(|&c| is_ws(c)) {
            i += 1;
        }
        match b.get(i) {
            None => return Err(self.truncated()),
            Some(b'>') => {}
            Some(_) => return Err(self.malformed("invalid end tag", i)),
        }
        match self.stack.pop() {
            Some(open) if open == name => {}
            Some(open) => {
                return Err(self.err(
                    ErrorKind::MismatchedEndTag {
                        expected: String::from_utf8_lossy(open).into_owned(),
                        found: String::from_utf8_lossy(name).into_owned(),
                    },
                    lt,
                ));
            }
            None => return Err(self.malformed("end tag without start tag", lt)),
        }
        self.pos = i + 1;
        Ok(())
    }

    /// Handles `<!...` and `<?...` at `self.pos` inside an element. Returns the text of a CDATA
    /// section, if that is what it was.
    fn markup(&mut self) -> Result<Option<(usize, usize)>> {
        let rest = self.b.get(self.pos..).unwrap_or_default();
        if rest.starts_with(b"<!--") {
            self.skip_comment()?;
            Ok(None)
        } else if rest.starts_with(b"<![CDATA[") {
            let body = rest.get(9..).unwrap_or_default();
            let end = memchr::memmem::find(body, b"]]>").ok_or_else(|| self.truncated())?;
            let start = self.pos + 9;
            self.pos = start + end + 3;
            Ok(Some((start, start + end)))
        } else if rest.starts_with(b"<?") {
            let end = memchr::memmem::find(rest, b"?>").ok_or_else(|| self.truncated())?;
            self.pos += end + 2;
            Ok(None)
        } else if rest.starts_with(b"<!DOCTYPE") {
            Err(self.err(ErrorKind::DoctypeNotAllowed, self.pos))
        } else if rest.len() < 9 && (b"<![CDATA[".starts_with(rest) || b"<!--".starts_with(rest)) {
            Err(self.truncated())
        } else {
            Err(self.malformed("unexpected markup", self.pos))
        }
    }

    /// Next child element of the current element, or `None` after consuming the current
    /// element's end tag. Text between children is ignored.
    ///
    /// Protocol: after `Some(tag)` the caller must consume the child with exactly one of
    /// [`Xml::next_child`] (until `None`), [`Xml::text`], [`Xml::number`] or [`Xml::skip`].
    pub fn next_child(&mut self) -> Result<Option<Tag<'a>>> {
        if self.pending_empty {
            self.pending_empty = false;
            return Ok(None);
        }
        if self.stack.is_empty() {
            return Ok(None);
        }
        loop {
            let Some(lt) = find_lt(self.b, self.pos) else {
                self.pos = self.b.len();
                return Err(self.truncated());
            };
            self.pos = lt;
            match self.at(self.pos + 1) {
                Some(b'/') => {
                    self.end_tag()?;
                    return Ok(None);
                }
                Some(b'!' | b'?') => {
                    self.markup()?;
                }
                Some(_) => return self.start_tag().map(Some),
                None => return Err(self.truncated()),
            }
        }
    }

    /// Skips the rest of the current element (the one last returned by `next_child`).
    pub fn skip(&mut self) -> Result<()> {
        if self.pending_empty {
            self.pending_empty = false;
            return Ok(());
        }
        let depth = self.stack.len();
        loop {
            if self.next_child()?.is_none() && self.stack.len() < depth {
                return Ok(());
            }
        }
    }

    /// Raw text content of the current element (start, end offsets), consuming its end tag.
    /// Returns `Err` if the element has child elements. Comments are skipped; CDATA is
    /// returned only in the slow path (see [`Xml::text`]).
    fn raw_text(&mut self) -> Result<RawText> {
        if self.pending_empty {
            self.pending_empty = false;
            return Ok(RawText::Span(self.pos, self.pos));
        }
        let start = self.pos;
        let Some(lt) = find_lt(self.b, self.pos) else {
            self.pos = self.b.len();
            return Err(self.truncated());
        };
        self.pos = lt;
        if self.at(self.pos + 1) == Some(b'/') {
            let end = self.pos;
            self.end_tag()?;
            return Ok(RawText::Span(start, end));
        }
        // Slow path: comments, CDATA or PIs inside the text.
        let mut out = String::new();
        let mut seg = start;
        loop {
            let piece = self.slice(seg, self.pos)?;
            out.push_str(
                &decode_entities(piece.as_bytes()).map_err(|(k, o)| self.err(k, seg + o))?,
            );
            match self.at(self.pos + 1) {
                Some(b'/') => {
                    self.end_tag()?;
                    return Ok(RawText::Owned(out, start));
                }
                Some(b'!' | b'?') => {
                    if let Some((cs, ce)) = self.markup()? {
                        out.push_str(self.slice(cs, ce)?);
                    }
                }
                Some(_) => {
                    let name = self.stack.last().map_or_else(String::new, |n| {
                        String::from_utf8_lossy(local_name(n)).into_owned()
                    });
                    return Err(self.err(
                        ErrorKind::UnexpectedElement {
                            element: name,
                            context: "child elements where text is expected".into(),
                        },
                        self.pos,
                    ));
                }
                None => return Err(self.truncated()),
            }
            seg = self.pos;
            let rest = self.b.get(self.pos..).unwrap_or_default();
            let Some(lt) = memchr::memchr(b'<', rest) else {
                self.pos = self.b.len();
                return Err(self.truncated());
            };
            self.pos += lt;
        }
    }

    /// Text content of the current element with entities decoded and surrounding whitespace
    /// trimmed. Consumes the end tag.
    #[allow(clippy::many_single_char_names)]
    pub fn text(&mut self) -> Result<Cow<'a, str>> {
        match self.raw_text()? {
            RawText::Span(s, e) => {
                let raw = self.slice(s, e)?;
                let t = trim(raw);
                if memchr::memchr(b'&', t.as_bytes()).is_none() {
                    return Ok(Cow::Borrowed(t));
                }
                let off = s + (t.as_ptr() as usize - raw.as_ptr() as usize);
                match decode_entities(t.as_bytes()) {
                    Ok(c) => Ok(Cow::Owned(trim(&c).to_string())),
                    Err((k, o)) => Err(self.err(k, off + o)),
                }
            }
            RawText::Owned(s, _) => Ok(Cow::Owned(trim(&s).to_string())),
        }
    }

    /// Text content as an owned string; `None` if empty.
    pub fn opt_string(&mut self) -> Result<Option<String>> {
        let t = self.text()?;
        Ok(if t.is_empty() {
            None
        } else {
            Some(t.into_owned())
        })
    }

    /// Text content parsed as a non-negative integer.
    pub fn number(&mut self) -> Result<u64> {
        match self.raw_text()? {
            RawText::Span(s, e) => {
                let raw = self.b.get(s..e).unwrap_or_default();
                parse_u64(raw).map_err(|k| self.err(k, s))
            }
            RawText::Owned(t, pos) => parse_u64(t.as_bytes()).map_err(|k| self.err(k, pos)),
        }
    }

    /// Text content parsed as a number; an empty element gives `None`.
    pub fn opt_number(&mut self) -> Result<Option<u64>> {
        let (bytes, pos): (Cow<'a, [u8]>, usize) = match self.raw_text()? {
            RawText::Span(s, e) => (Cow::Borrowed(self.b.get(s..e).unwrap_or_default()), s),
            RawText::Owned(t, pos) => (Cow::Owned(t.into_bytes()), pos),
        };
        if bytes.iter().all(|&c| is_ws(c)) {
            return Ok(None);
        }
        parse_u64(&bytes).map(Some).map_err(|k| self.err(k, pos))
    }

    /// For elements that may hold either text or child elements: returns the (trimmed) text and
    /// consumes the end tag, or returns the first child start tag (the caller then continues
    /// with the child and [`Xml::next_child`] as usual). Comments and PIs are skipped; CDATA
    /// counts as text.
    pub fn text_or_child(&mut self) -> Result<TextOrChild<'a>> {
        if self.pending_empty {
            self.pending_empty = false;
            return Ok(TextOrChild::Text(String::new()));
        }
        let mut out = String::new();
        loop {
            let seg = self.pos;
            let rest = self.b.get(self.pos..).unwrap_or_default();
            let Some(lt) = memchr::memchr(b'<', rest) else {
                self.pos = self.b.len();
                return Err(self.truncated());
            };
            self.pos += lt;
            let piece = self.slice(seg, self.pos)?;
            out.push_str(
                &decode_entities(piece.as_bytes()).map_err(|(k, o)| self.err(k, seg + o))?,
            );
            match self.at(self.pos + 1) {
                Some(b'/') => {
                    self.end_tag()?;
                    return Ok(TextOrChild::Text(trim(&out).to_string()));
                }
                Some(b'!' | b'?') => {
                    if let Some((cs, ce)) = self.markup()? {
                        out.push_str(self.slice(cs, ce)?);
                    }
                }
                Some(_) => return self.start_tag().map(TextOrChild::Child),
                None => return Err(self.truncated()),
            }
        }
    }

    /// Fast path for the body of a 510 `<Selection>` whose start tag was just returned: matches
    /// the exact unprefixed forms written by the Kiesraad software (any whitespace between
    /// tags) and consumes everything up to and including `</Selection>`. Returns `None`
    /// without consuming anything if the input deviates in any way; the caller then uses the
    /// general parser, which gives the same result or the proper error.
    #[allow(clippy::many_single_char_names)]
    pub fn fast_selection(&mut self) -> Option<FastSel<'a>> {
        #[cfg(test)]
        if NO_FAST_PATH.with(std::cell::Cell::get) {
            return None;
        }
        if self.pending_empty || self.stack.last() != Some(&&b"Selection"[..]) {
            return None;
        }
        let mut c = Cur {
            b: self.b,
            i: self.pos,
        };
        c.ws();
        let sel = if c.lit(b"<Candidate>").is_some() {
            c.ws();
            c.lit(b"<CandidateIdentifier")?;
            let mut id = None;
            let mut short = None;
            loop {
                let had_ws = c.b.get(c.i).is_some_and(|&x| is_ws(x));
                c.ws();
                if c.lit(b"/>").is_some() {
                    break;
                }
                if c.lit(b">").is_some() {
                    c.ws();
                    c.lit(b"</CandidateIdentifier>")?;
                    break;
                }
                if !had_ws {
                    return None;
                }
                if c.lit(b"Id=").is_some() {
                    if id.is_some() {
                        return None;
                    }
                    let (s, e) = c.quoted()?;
                    let mut d = Cur {
                        b: c.b.get(..e)?,
                        i: s,
                    };
                    let v = d.digits()?;
                    if d.i != e {
                        return None;
                    }
                    id = Some(u32::try_from(v).ok()?);
                } else if c.lit(b"ShortCode=").is_some() {
                    if short.is_some() {
                        return None;
                    }
                    let (s, e) = c.quoted()?;
                    short = Some(self.s.get(s..e)?);
                } else {
                    return None;
                }
            }
            if id.is_none() && short.is_none() {
                return None;
            }
            c.ws();
            c.lit(b"</Candidate>")?;
            c.ws();
            c.lit(b"<ValidVotes>")?;
            let votes = c.digits()?;
            c.lit(b"</ValidVotes>")?;
            FastSel::Candidate {
                id,
                short_code: short,
                votes,
            }
        } else {
            c.lit(b"<AffiliationIdentifier Id=")?;
            let (s, e) = c.quoted()?;
            let mut d = Cur {
                b: c.b.get(..e)?,
                i: s,
            };
            let v = d.digits()?;
            if d.i != e {
                return None;
            }
            let id = u32::try_from(v).ok()?;
            c.lit(b">")?;
            c.ws();
            c.lit(b"<RegisteredName>")?;
            let ns = c.i;
            let rest = c.b.get(ns..)?;
            let len = memchr::memchr2(b'<', b'&', rest)?;
            c.i = ns + len;
            c.lit(b"</RegisteredName>")?;
            let name = trim(self.s.get(ns..ns + len)?);
            c.ws();
            c.lit(b"</AffiliationIdentifier>")?;
            c.ws();
            c.lit(b"<ValidVotes>")?;
            let votes = c.digits()?;
            c.lit(b"</ValidVotes>")?;
            FastSel::List { id, name, votes }
        };
        c.ws();
        c.lit(b"</Selection>")?;
        self.pos = c.i;
        self.stack.pop();
        Some(sel)
    }

    /// Decoded value of attribute `name` of `tag`, if present.
    pub fn attr(&self, tag: &Tag<'a>, name: &[u8]) -> Result<Option<Cow<'a, str>>> {
        let Some((raw, pos)) = tag.attr_raw(name) else {
            return Ok(None);
        };
        let s = self.slice(pos, pos + raw.len())?;
        if memchr::memchr(b'&', raw).is_none() {
            return Ok(Some(Cow::Borrowed(s)));
        }
        decode_entities(raw)
            .map(|c| Some(Cow::Owned(c.into_owned())))
            .map_err(|(k, o)| self.err(k, pos + o))
    }

    /// Like [`Xml::attr`] but required.
    pub fn req_attr(&self, tag: &Tag<'a>, name: &str) -> Result<Cow<'a, str>> {
        self.attr(tag, name.as_bytes())?.ok_or_else(|| {
            self.err(
                ErrorKind::MissingAttribute {
                    element: tag.name_string(),
                    attribute: name.to_string(),
                },
                tag.pos,
            )
        })
    }

    /// Attribute parsed as a non-negative integer.
    pub fn attr_u64(&self, tag: &Tag<'a>, name: &[u8]) -> Result<Option<u64>> {
        match tag.attr_raw(name) {
            None => Ok(None),
            Some((raw, pos)) => parse_u64(raw).map(Some).map_err(|k| self.err(k, pos)),
        }
    }
}

/// What [`Xml::fast_selection`] recognised.
pub(crate) enum FastSel<'a> {
    /// `<Candidate><CandidateIdentifier Id=".." ShortCode=".."/></Candidate><ValidVotes>..`
    Candidate {
        id: Option<u32>,
        short_code: Option<&'a str>,
        votes: u64,
    },
    /// `<AffiliationIdentifier Id=".."><RegisteredName>..</RegisteredName>…<ValidVotes>..`
    List { id: u32, name: &'a str, votes: u64 },
}

/// A byte cursor for the fast paths: every method returns `None` on anything unexpected and
/// the caller then falls back to the general parser.
struct Cur<'a> {
    b: &'a [u8],
    i: usize,
}

impl Cur<'_> {
    #[inline]
    fn ws(&mut self) {
        while self.b.get(self.i).is_some_and(|&c| is_ws(c)) {
            self.i += 1;
        }
    }

    #[inline]
    fn lit(&mut self, s: &[u8]) -> Option<()> {
        if self.b.get(self.i..self.i + s.len()) == Some(s) {
            self.i += s.len();
            Some(())
        } else {
            None
        }
    }

    /// `[0-9]+` without overflow.
    #[inline]
    fn digits(&mut self) -> Option<u64> {
        let start = self.i;
        let mut v: u64 = 0;
        while let Some(&c) = self.b.get(self.i) {
            if !c.is_ascii_digit() {
                break;
            }
            v = v.checked_mul(10)?.checked_add(u64::from(c - b'0'))?;
            self.i += 1;
        }
        if self.i == start { None } else { Some(v) }
    }

    /// A double-quoted attribute value without `&`, `<` or `"`; returns (start, end).
    #[inline]
    fn quoted(&mut self) -> Option<(usize, usize)> {
        self.lit(b"\"")?;
        let start = self.i;
        while let Some(&c) = self.b.get(self.i) {
            match c {
                b'"' => {
                    let end = self.i;
                    self.i += 1;
                    return Some((start, end));
                }
                b'&' | b'<' => return None,
                _ => self.i += 1,
            }
        }
        None
    }
}

/// Result of [`Xml::text_or_child`].
pub(crate) enum TextOrChild<'a> {
    /// The element held text only.
    Text(String),
    /// The element has children; this is the first.
    Child(Tag<'a>),
}

enum RawText {
    Span(usize, usize),
    Owned(String, usize),
}

fn is_name_stop(c: u8) -> bool {
    matches!(
        c,
        b'<' | b'>' | b'&' | b'"' | b'\'' | b'=' | b'/' | b'!' | b'?'
    ) || c < 0x20
}

fn is_name_start(c: u8) -> bool {
    c.is_ascii_alphabetic() || c == b'_' || c == b':' || c >= 0x80
}

/// Trims XML whitespace.
pub(crate) fn trim(s: &str) -> &str {
    s.trim_matches(|c: char| matches!(c, ' ' | '\t' | '\n' | '\r'))
}

fn strip_bom(orig: &[u8]) -> Result<(&[u8], usize)> {
    if let Some(rest) = orig.strip_prefix(b"\xEF\xBB\xBF") {
        return Ok((rest, 3));
    }
    if orig.starts_with(b"\xFE\xFF")
        || orig.starts_with(b"\xFF\xFE")
        || orig.starts_with(b"\x00<")
        || orig.starts_with(b"<\x00")
    {
        return Err(Error::at(
            ErrorKind::UnsupportedEncoding("UTF-16".into()),
            orig,
            0,
        ));
    }
    Ok((orig, 0))
}

/// Checks the `encoding="..."` of an XML declaration body.
fn check_declared_encoding(body: &[u8]) -> std::result::Result<(), ErrorKind> {
    let Some(i) = memchr::memmem::find(body, b"encoding") else {
        return Ok(());
    };
    let rest = body.get(i + 8..).unwrap_or_default();
    let Some(q) = rest.iter().position(|&c| c == b'"' || c == b'\'') else {
        return Ok(());
    };
    let quote = rest.get(q).copied().unwrap_or(b'"');
    let after = rest.get(q + 1..).unwrap_or_default();
    let end = memchr::memchr(quote, after).unwrap_or(after.len());
    let enc = after.get(..end).unwrap_or_default();
    if enc.eq_ignore_ascii_case(b"utf-8") || enc.eq_ignore_ascii_case(b"utf8") {
        Ok(())
    } else {
        Err(ErrorKind::UnsupportedEncoding(
            String::from_utf8_lossy(enc).into_owned(),
        ))
    }
}

/// Decodes `&lt; &gt; &amp; &apos; &quot; &#NN; &#xHH;`. On error returns the kind and the
/// offset of the bad reference within `raw`.
pub(crate) fn decode_entities(raw: &[u8]) -> std::result::Result<Cow<'_, str>, (ErrorKind, usize)> {
    let s = std::str::from_utf8(raw).map_err(|e| (ErrorKind::NotUtf8, e.valid_up_to()))?;
    if memchr::memchr(b'&', raw).is_none() {
        return Ok(Cow::Borrowed(s));
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    let mut offset = 0;
    while let Some(amp) = rest.find('&') {
        out.push_str(rest.get(..amp).unwrap_or_default());
        let after = rest.get(amp + 1..).unwrap_or_default();
        let bad = |m: &str| (ErrorKind::MalformedXml(m.to_string()), offset + amp);
        let semi = after.find(';').ok_or_else(|| bad("'&' without ';'"))?;
        let name = after.get(..semi).unwrap_or_default();
        let ch = match name {
            "lt" => '<',
            "gt" => '>',
            "amp" => '&',
            "apos" => '\'',
            "quot" => '"',
            _ => {
                let code = if let Some(hex) = name.strip_prefix("#x") {
                    u32::from_str_radix(hex, 16).ok()
                } else if let Some(dec) = name.strip_prefix('#') {
                    dec.parse::<u32>().ok()
                } else {
                    return Err(bad("unknown entity reference"));
                };
                match code.and_then(char::from_u32) {
                    Some(c) if crate::controls::is_forbidden(c) => {
                        return Err((ErrorKind::ControlCharacter(u32::from(c)), offset + amp));
                    }
                    Some(c) => c,
                    None => return Err(bad("invalid character reference")),
                }
            }
        };
        out.push(ch);
        let consumed = amp + 1 + semi + 1;
        rest = rest.get(consumed..).unwrap_or_default();
        offset += consumed;
    }
    out.push_str(rest);
    Ok(Cow::Owned(out))
}

/// Parses a non-negative integer from bytes, allowing surrounding whitespace and a leading `+`.
pub(crate) fn parse_u64(raw: &[u8]) -> std::result::Result<u64, ErrorKind> {
    let mut s = raw;
    while let [first, rest @ ..] = s {
        if is_ws(*first) {
            s = rest;
        } else {
            break;
        }
    }
    while let [rest @ .., last] = s {
        if is_ws(*last) {
            s = rest;
        } else {
            break;
        }
    }
    let shown = || {
        String::from_utf8_lossy(s)
            .chars()
            .take(40)
            .collect::<String>()
    };
    let digits = match s {
        [b'-', rest @ ..] => {
            if !rest.is_empty() && rest.iter().all(u8::is_ascii_digit) {
                if rest.iter().all(|&d| d == b'0') {
                    return Ok(0);
                }
                return Err(ErrorKind::NegativeNumber(shown()));
            }
            return Err(ErrorKind::InvalidNumber(shown()));
        }
        [b'+', rest @ ..] => rest,
        _ => s,
    };
    if digits.is_empty() {
        return Err(ErrorKind::InvalidNumber(shown()));
    }
    let mut v: u64 = 0;
    for &d in digits {
        if !d.is_ascii_digit() {
            return Err(ErrorKind::InvalidNumber(shown()));
        }
        v = match v
            .checked_mul(10)
            .and_then(|v| v.checked_add(u64::from(d - b'0')))
        {
            Some(v) => v,
            None => return Err(ErrorKind::NumberOverflow(shown())),
        };
    }
    Ok(v)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn collect(src: &str) -> Result<Vec<String>> {
        let mut x = Xml::new(src.as_bytes())?;
        let root = x.root()?;
        let mut out = vec![String::from_utf8_lossy(root.qname).into_owned()];
        walk(&mut x, &mut out)?;
        x.finish()?;
        Ok(out)
    }

    fn walk(x: &mut Xml<'_>, out: &mut Vec<String>) -> Result<()> {
        while let Some(t) = x.next_child()? {
            out.push(String::from_utf8_lossy(t.local()).into_owned());
            if t.local() == b"v" {
                out.push(x.text()?.into_owned());
            } else {
                walk(x, out)?;
            }
        }
        Ok(())
    }

    #[test]
    fn basic_walk_and_entities() {
        let v = collect(
            "\u{feff}<?xml version=\"1.0\" encoding=\"UTF-8\"?><!-- c --><a:r x='1'><b><v> A &amp; B&#x41;&#66; </v></b><c/><v><![CDATA[<x>]]></v></a:r>\n<!-- end -->",
        )
        .unwrap();
        assert_eq!(v, ["a:r", "b", "v", "A & BAB", "c", "v", "<x>"]);
    }

    #[test]
    fn errors() {
        assert!(matches!(
            collect("<a><b></a>").unwrap_err().kind,
            ErrorKind::MismatchedEndTag { .. }
        ));
        assert!(matches!(
            collect("<a><b>").unwrap_err().kind,
            ErrorKind::Truncated { .. }
        ));
        assert!(matches!(
            collect("<a x=1></a>").unwrap_err().kind,
            ErrorKind::MalformedXml(_)
        ));
        assert!(matches!(
            collect("<a x='1' x='2'></a>").unwrap_err().kind,
            ErrorKind::MalformedXml(_)
        ));
        assert!(matches!(
            collect("<!DOCTYPE a><a></a>").unwrap_err().kind,
            ErrorKind::DoctypeNotAllowed
        ));
        assert!(matches!(
            collect("<a></a><b></b>").unwrap_err().kind,
            ErrorKind::MalformedXml(_)
        ));
        assert!(matches!(
            collect("<a><v>&bogus;</v></a>").unwrap_err().kind,
            ErrorKind::MalformedXml(_)
        ));
        assert!(matches!(
            Xml::new(b"<a>\xff</a>").err().unwrap().kind,
            ErrorKind::NotUtf8
        ));
        assert!(matches!(
            collect("<?xml version='1.0' encoding='ISO-8859-1'?><a/>")
                .unwrap_err()
                .kind,
            ErrorKind::UnsupportedEncoding(_)
        ));
        assert!(matches!(
            collect("").unwrap_err().kind,
            ErrorKind::Truncated { .. }
        ));
    }

    #[test]
    fn deep_nesting_is_refused() {
        let src = "<a>".repeat(1000);
        assert!(matches!(
            collect(&src).unwrap_err().kind,
            ErrorKind::TooDeep
        ));
    }

    #[test]
    fn numbers() {
        assert_eq!(parse_u64(b" 42 "), Ok(42));
        assert_eq!(parse_u64(b"+7"), Ok(7));
        assert_eq!(parse_u64(b"-0"), Ok(0));
        assert!(matches!(
            parse_u64(b"-3"),
            Err(ErrorKind::NegativeNumber(_))
        ));
        assert!(matches!(
            parse_u64(b"18446744073709551616"),
            Err(ErrorKind::NumberOverflow(_))
        ));
        assert_eq!(parse_u64(b"18446744073709551615"), Ok(u64::MAX));
        assert!(matches!(parse_u64(b""), Err(ErrorKind::InvalidNumber(_))));
        assert!(matches!(
            parse_u64(b"1e3"),
            Err(ErrorKind::InvalidNumber(_))
        ));
    }

    #[test]
    fn positions() {
        let e = collect("<a>\n  <b>\n</c></a>").unwrap_err();
        let p = e.position.unwrap();
        assert_eq!((p.line, p.column), (3, 1));
    }
}
