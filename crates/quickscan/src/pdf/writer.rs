//! PDF objects and serialisation: pages with their content streams, the two standard fonts,
//! and the logical structure that makes the PDF tagged (PDF 32000-1, 14.7–14.8): a structure
//! tree of elements (`Document`, `H1`, `P`, `Table`, `TH`, `Figure`, …) whose content is
//! marked in the streams with `BDC … EMC` and an MCID, and a parent tree from each page's
//! MCIDs back to their elements. Page furniture (footer, rules, backgrounds) is marked as
//! `/Artifact`, so assistive technology skips it.

use super::text::{Font, text_string, xml_escape};
use std::fmt::Write as _;

/// A4 in points.
pub const PAGE_W: f64 = 595.28;
pub const PAGE_H: f64 = 841.89;

/// How a header cell applies (`/Scope` of a `TH`).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Scope {
    Column,
    Row,
}

/// A child of a structure element.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Kid {
    Elem(usize),
    Content { page: usize, mcid: usize },
}

#[derive(Debug, Clone)]
struct Elem {
    role: &'static str,
    parent: Option<usize>,
    kids: Vec<Kid>,
    alt: Option<String>,
    scope: Option<Scope>,
    /// A figure's box on its page (layout attribute `/BBox`, PDF 32000-1, 14.8.5.4.3).
    bbox: Option<[f64; 4]>,
}

#[derive(Debug, Default, Clone)]
struct Page {
    content: String,
    /// Per MCID on this page: the structure element it belongs to.
    parents: Vec<usize>,
}

/// A document under construction. Element 0 is the `Document` root.
#[derive(Debug, Clone)]
pub struct Writer {
    pages: Vec<Page>,
    elems: Vec<Elem>,
    /// Bookmarks: title, page, top of the heading (PDF 32000-1, 12.3.3).
    outline: Vec<(String, usize, f64)>,
}

impl Default for Writer {
    fn default() -> Self {
        Self::new()
    }
}

/// The root structure element.
pub const DOCUMENT: usize = 0;

impl Writer {
    pub fn new() -> Self {
        Writer {
            pages: Vec::new(),
            elems: vec![Elem {
                role: "Document",
                parent: None,
                kids: Vec::new(),
                alt: None,
                scope: None,
                bbox: None,
            }],
            outline: Vec::new(),
        }
    }

    /// A bookmark to `page` at height `top` (a section heading), in document order.
    pub fn add_bookmark(&mut self, title: &str, page: usize, top: f64) {
        self.outline.push((title.to_owned(), page, top));
    }

    /// Starts a new page; returns its index.
    pub fn add_page(&mut self) -> usize {
        self.pages.push(Page::default());
        self.pages.len() - 1
    }

    pub fn page_count(&self) -> usize {
        self.pages.len()
    }

    /// Adds a structure element of type `role` as the last child of `parent`.
    pub fn add_elem(&mut self, parent: usize, role: &'static str) -> usize {
        let id = self.elems.len();
        self.elems.push(Elem {
            role,
            parent: Some(parent),
            kids: Vec::new(),
            alt: None,
            scope: None,
            bbox: None,
        });
        self.elems[parent].kids.push(Kid::Elem(id));
        id
    }

    /// The parent of an element (`None` for the root).
    pub fn parent_of(&self, elem: usize) -> Option<usize> {
        self.elems[elem].parent
    }

    /// The alternative text of an element (a `Figure`'s description).
    pub fn set_alt(&mut self, elem: usize, alt: &str) {
        self.elems[elem].alt = Some(alt.to_owned());
    }

    /// The box a figure occupies: x0, y0, x1, y1 in page points.
    pub fn set_bbox(&mut self, elem: usize, bbox: [f64; 4]) {
        self.elems[elem].bbox = Some(bbox);
    }

    pub fn set_scope(&mut self, elem: usize, scope: Scope) {
        self.elems[elem].scope = Some(scope);
    }

    /// Appends drawing operators to `page` as content of `elem` (one marked-content sequence).
    pub fn marked(&mut self, page: usize, elem: usize, ops: &str) {
        let p = &mut self.pages[page];
        let mcid = p.parents.len();
        p.parents.push(elem);
        let role = self.elems[elem].role;
        let _ = write!(p.content, "/{role} <</MCID {mcid}>> BDC\n{ops}EMC\n");
        self.elems[elem].kids.push(Kid::Content { page, mcid });
    }

    /// Appends drawing operators to `page` that are not content (page furniture).
    pub fn artifact(&mut self, page: usize, ops: &str) {
        let _ = write!(self.pages[page].content, "/Artifact BMC\n{ops}EMC\n");
    }

    /// Like [`Writer::artifact`], but painted before everything else on the page (backgrounds
    /// and rules stay under the text).
    pub fn artifact_first(&mut self, page: usize, ops: &str) {
        let c = &mut self.pages[page].content;
        c.insert_str(0, &format!("/Artifact BMC\n{ops}EMC\n"));
    }

    /// The roles of all elements in document order (depth first), for tests.
    pub fn roles(&self) -> Vec<&'static str> {
        let mut out = Vec::new();
        let mut stack = vec![DOCUMENT];
        while let Some(e) = stack.pop() {
            out.push(self.elems[e].role);
            for k in self.elems[e].kids.iter().rev() {
                if let Kid::Elem(c) = k {
                    stack.push(*c);
                }
            }
        }
        out
    }

    /// Serialises the document: PDF 1.7, tagged, with `title` in the Info dictionary and the
    /// XMP metadata, and the document language `lang` (BCP 47, e.g. "nl-NL").
    pub fn finish(mut self, title: &str, lang: &str) -> Vec<u8> {
        if self.pages.is_empty() {
            self.add_page();
        }
        let n = self.pages.len();
        // object numbers
        let catalog = 1;
        let pages_obj = 2;
        let font_obj = |f: Font| match f {
            Font::Regular => 3,
            Font::Bold => 4,
        };
        let info = 5;
        let struct_root = 6;
        let parent_tree = 7;
        let metadata = 8;
        let page_obj = |i: usize| 9 + 2 * i;
        let content_obj = |i: usize| 10 + 2 * i;
        let elem_obj = |e: usize| 9 + 2 * n + e;
        let outlines = 9 + 2 * n + self.elems.len();
        let bookmark_obj = |b: usize| outlines + 1 + b;

        let mut objs: Vec<Vec<u8>> = Vec::new();
        // a BCP 47 tag is ASCII: written as a plain string, as checkers expect `/Lang (nl-NL)`
        let lang_s = super::text::literal(lang);
        objs.push(
            format!(
                "<< /Type /Catalog /Pages {pages_obj} 0 R /Lang {lang_s} \
                 /MarkInfo << /Marked true >> /StructTreeRoot {struct_root} 0 R \
                 /Metadata {metadata} 0 R /ViewerPreferences << /DisplayDocTitle true >> \
                 /Outlines {outlines} 0 R /PageMode /{} >>",
                if self.outline.is_empty() {
                    "UseNone"
                } else {
                    "UseOutlines"
                }
            )
            .into_bytes(),
        );
        let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", page_obj(i))).collect();
        objs.push(format!("<< /Type /Pages /Kids [{}] /Count {n} >>", kids.join(" ")).into_bytes());
        for f in [Font::Regular, Font::Bold] {
            objs.push(
                format!(
                    "<< /Type /Font /Subtype /Type1 /BaseFont /{} /Encoding /WinAnsiEncoding >>",
                    f.base_font()
                )
                .into_bytes(),
            );
        }
        objs.push(
            format!(
                "<< /Title {} /Producer {} >>",
                text_string(title),
                text_string("Stembus quickscan")
            )
            .into_bytes(),
        );
        objs.push(
            format!(
                "<< /Type /StructTreeRoot /K [{} 0 R] /ParentTree {parent_tree} 0 R \
                 /ParentTreeNextKey {n} >>",
                elem_obj(DOCUMENT)
            )
            .into_bytes(),
        );
        let mut nums = String::new();
        for (i, p) in self.pages.iter().enumerate() {
            let refs: Vec<String> = p
                .parents
                .iter()
                .map(|e| format!("{} 0 R", elem_obj(*e)))
                .collect();
            let _ = write!(nums, "{i} [{}] ", refs.join(" "));
        }
        objs.push(format!("<< /Nums [{}] >>", nums.trim_end()).into_bytes());
        let xmp = xmp(title, lang);
        objs.push(stream_obj("/Type /Metadata /Subtype /XML", xmp.as_bytes()));
        let fonts = format!(
            "/Font << /{} {} 0 R /{} {} 0 R >>",
            Font::Regular.resource(),
            font_obj(Font::Regular),
            Font::Bold.resource(),
            font_obj(Font::Bold)
        );
        for (i, p) in self.pages.iter().enumerate() {
            objs.push(
                format!(
                    "<< /Type /Page /Parent {pages_obj} 0 R /MediaBox [0 0 {PAGE_W} {PAGE_H}] \
                     /Resources << {fonts} /ProcSet [/PDF /Text] >> /Contents {} 0 R \
                     /StructParents {i} /Tabs /S >>",
                    content_obj(i)
                )
                .into_bytes(),
            );
            objs.push(stream_obj("", p.content.as_bytes()));
        }
        for e in &self.elems {
            let parent = e.parent.map_or(struct_root, elem_obj);
            let mut d = format!("<< /Type /StructElem /S /{} /P {parent} 0 R", e.role);
            let kids: Vec<String> = e
                .kids
                .iter()
                .map(|k| match k {
                    Kid::Elem(c) => format!("{} 0 R", elem_obj(*c)),
                    Kid::Content { page, mcid } => {
                        format!("<< /Type /MCR /Pg {} 0 R /MCID {mcid} >>", page_obj(*page))
                    }
                })
                .collect();
            let _ = write!(d, " /K [{}]", kids.join(" "));
            if let Some(alt) = &e.alt {
                let _ = write!(d, " /Alt {}", text_string(alt));
            }
            if let Some(s) = e.scope {
                let s = match s {
                    Scope::Column => "Column",
                    Scope::Row => "Row",
                };
                let _ = write!(d, " /A << /O /Table /Scope /{s} >>");
            }
            if let Some([x0, y0, x1, y1]) = e.bbox {
                let _ = write!(
                    d,
                    " /A << /O /Layout /BBox [{x0:.2} {y0:.2} {x1:.2} {y1:.2}] >>"
                );
            }
            d.push_str(" >>");
            objs.push(d.into_bytes());
        }
        let nb = self.outline.len();
        if nb == 0 {
            objs.push(b"<< /Type /Outlines /Count 0 >>".to_vec());
        } else {
            objs.push(
                format!(
                    "<< /Type /Outlines /First {} 0 R /Last {} 0 R /Count {nb} >>",
                    bookmark_obj(0),
                    bookmark_obj(nb - 1)
                )
                .into_bytes(),
            );
        }
        for (b, (title, page, top)) in self.outline.iter().enumerate() {
            let mut d = format!(
                "<< /Title {} /Parent {outlines} 0 R /Dest [{} 0 R /XYZ null {top:.2} null]",
                text_string(title),
                page_obj(*page)
            );
            if b > 0 {
                let _ = write!(d, " /Prev {} 0 R", bookmark_obj(b - 1));
            }
            if b + 1 < nb {
                let _ = write!(d, " /Next {} 0 R", bookmark_obj(b + 1));
            }
            d.push_str(" >>");
            objs.push(d.into_bytes());
        }
        let _ = (catalog, info);

        let mut out: Vec<u8> = b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::with_capacity(objs.len());
        for (i, o) in objs.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n", i + 1).as_bytes());
            out.extend_from_slice(o);
            out.extend_from_slice(b"\nendobj\n");
        }
        let xref = out.len();
        let mut x = format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1);
        for o in offsets {
            let _ = writeln!(x, "{o:010} 00000 n ");
        }
        let _ = write!(
            x,
            "trailer\n<< /Size {} /Root {catalog} 0 R /Info {info} 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        );
        out.extend_from_slice(x.as_bytes());
        out
    }
}

/// A stream object with extra dictionary entries `dict`.
fn stream_obj(dict: &str, data: &[u8]) -> Vec<u8> {
    let mut o = format!("<< {dict} /Length {} >>\nstream\n", data.len()).into_bytes();
    o.extend_from_slice(data);
    o.extend_from_slice(b"\nendstream");
    o
}

/// XMP metadata with the title and language (PDF/UA wants `dc:title`). No conformance claim:
/// the standard fonts are not embedded, so this is not PDF/UA.
fn xmp(title: &str, lang: &str) -> String {
    let t = xml_escape(title);
    let l = xml_escape(lang);
    format!(
        "<?xpacket begin=\"\u{feff}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n\
         <x:xmpmeta xmlns:x=\"adobe:ns:meta/\">\n\
         <rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\">\n\
         <rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" \
         xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\">\n\
         <dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{t}</rdf:li></rdf:Alt></dc:title>\n\
         <dc:language><rdf:Bag><rdf:li>{l}</rdf:li></rdf:Bag></dc:language>\n\
         <dc:format>application/pdf</dc:format>\n\
         <pdf:Producer>Stembus quickscan</pdf:Producer>\n\
         </rdf:Description>\n</rdf:RDF>\n</x:xmpmeta>\n<?xpacket end=\"w\"?>"
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xref_offsets_point_at_objects_and_structure_is_linked() {
        let mut w = Writer::new();
        let p = w.add_page();
        let h = w.add_elem(DOCUMENT, "H1");
        w.marked(p, h, "BT /F1 12 Tf 50 800 Td (Kop) Tj ET\n");
        w.artifact(p, "0 0 m 10 10 l S\n");
        let bytes = w.finish("Titel — test", "nl-NL");
        let s = String::from_utf8_lossy(&bytes);
        assert!(s.starts_with("%PDF-1.7"));
        assert!(s.trim_end().ends_with("%%EOF"));
        assert!(s.contains("/MarkInfo << /Marked true >>"));
        assert!(s.contains("/Lang (nl-NL)"));
        assert!(s.contains("/H1 <</MCID 0>> BDC"));
        assert!(s.contains("/Nums [0 [12 0 R]]"), "{s}");
        let xref_at: usize = s
            .rsplit("startxref\n")
            .next()
            .unwrap()
            .lines()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(bytes[xref_at..].starts_with(b"xref"));
        let table = String::from_utf8_lossy(&bytes[xref_at..]);
        for (i, line) in table.lines().skip(3).take(12).enumerate() {
            let off: usize = line[..10].parse().unwrap();
            assert!(bytes[off..].starts_with(format!("{} 0 obj", i + 1).as_bytes()));
        }
    }
}
