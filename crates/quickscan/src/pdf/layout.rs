//! Flowing layout on A4 pages: headings, paragraphs, lists, tables whose cells wrap with
//! measured widths (a row is as high as its longest cell; a page break repeats the header
//! row), and figures drawn with vector paths. Every piece of text is tagged through the
//! [`Writer`]'s structure tree, and every text run is logged with its box so tests can prove
//! that no two runs overlap.

use super::text::{Font, literal, width, wrap};
use super::writer::{DOCUMENT, PAGE_H, PAGE_W, Scope, Writer};
use std::fmt::Write as _;

pub const MARGIN_X: f64 = 56.0;
pub const MARGIN_TOP: f64 = 56.0;
/// Room below the text for the footer.
pub const MARGIN_BOTTOM: f64 = 60.0;
pub const BODY: f64 = 10.0;
pub const SMALL: f64 = 9.0;
/// Line height as a multiple of the font size.
pub const LEADING: f64 = 1.3;
const CELL_PAD: f64 = 3.0;

/// The usable width between the margins.
pub fn text_width() -> f64 {
    PAGE_W - 2.0 * MARGIN_X
}

/// One line of text as placed on a page (for the overlap test and debugging).
#[derive(Debug, Clone, PartialEq)]
pub struct TextRun {
    pub page: usize,
    pub x: f64,
    /// Baseline.
    pub y: f64,
    pub width: f64,
    pub size: f64,
    pub text: String,
}

impl TextRun {
    /// The run's box: from the descender to the ascender of Helvetica (−0.207 … 0.718 em).
    pub fn bbox(&self) -> (f64, f64, f64, f64) {
        (
            self.x,
            self.y - 0.207 * self.size,
            self.x + self.width,
            self.y + 0.718 * self.size,
        )
    }
}

/// An RGB colour, components 0–1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f64, pub f64, pub f64);

/// Drawing inside a figure: coordinates are absolute page points; all operators become the
/// figure's content.
pub struct Canvas {
    ops: String,
    runs: Vec<TextRun>,
    page: usize,
}

impl Canvas {
    pub fn rect(&mut self, x: f64, y: f64, w: f64, h: f64, fill: Rgb) {
        let _ = writeln!(
            self.ops,
            "{:.3} {:.3} {:.3} rg {x:.2} {y:.2} {w:.2} {h:.2} re f 0 g",
            fill.0, fill.1, fill.2
        );
    }
    pub fn line(&mut self, x0: f64, y0: f64, x1: f64, y1: f64, gray: f64, lw: f64) {
        let _ = writeln!(
            self.ops,
            "{gray:.2} G {lw:.2} w {x0:.2} {y0:.2} m {x1:.2} {y1:.2} l S 0 G"
        );
    }
    /// Text with its left edge at `x` and baseline `y`.
    pub fn text(&mut self, x: f64, y: f64, font: Font, size: f64, s: &str) {
        let w = width(s, font, size);
        self.ops.push_str(&text_op(x, y, font, size, s));
        self.runs.push(TextRun {
            page: self.page,
            x,
            y,
            width: w,
            size,
            text: s.to_owned(),
        });
    }
    /// Text with its right edge at `x`.
    pub fn text_right(&mut self, x: f64, y: f64, font: Font, size: f64, s: &str) {
        let w = width(s, font, size);
        self.text(x - w, y, font, size, s);
    }
}

fn text_op(x: f64, y: f64, font: Font, size: f64, s: &str) -> String {
    format!(
        "BT /{} {size} Tf 1 0 0 1 {x:.2} {y:.2} Tm {} Tj ET\n",
        font.resource(),
        literal(s)
    )
}

/// A table to lay out.
pub struct Table<'a> {
    /// Shown above the table in bold and tagged as its `Caption`; kept with the header.
    pub caption: Option<&'a str>,
    pub header: &'a [String],
    pub rows: &'a [Vec<String>],
    /// Column widths as fractions of the text width.
    pub widths: &'a [f64],
    /// Whether the first cell of each body row heads that row (`TH` with `/Scope /Row`).
    pub row_headers: bool,
}

/// The document being laid out.
pub struct Layout {
    w: Writer,
    page: usize,
    /// The baseline cursor: the next line's top is here.
    y: f64,
    runs: Vec<TextRun>,
    /// The element new content goes into (`Document` or a section such as `Sect`).
    parent: usize,
}

impl Default for Layout {
    fn default() -> Self {
        Self::new()
    }
}

impl Layout {
    pub fn new() -> Self {
        let mut w = Writer::new();
        let page = w.add_page();
        Layout {
            w,
            page,
            y: PAGE_H - MARGIN_TOP,
            runs: Vec::new(),
            parent: DOCUMENT,
        }
    }

    fn new_page(&mut self) {
        self.page = self.w.add_page();
        self.y = PAGE_H - MARGIN_TOP;
    }

    /// Room left on this page above the bottom margin.
    fn room(&self) -> f64 {
        self.y - MARGIN_BOTTOM
    }

    /// Starts a new page unless `h` points fit on this one.
    pub fn need(&mut self, h: f64) {
        if self.room() < h && self.y < PAGE_H - MARGIN_TOP {
            self.new_page();
        }
    }

    /// Starts a section (`Sect`): what follows, up to [`Layout::end_section`], goes into it.
    pub fn begin_section(&mut self) {
        self.parent = self.w.add_elem(self.parent, "Sect");
    }

    /// Ends the section begun last.
    pub fn end_section(&mut self) {
        self.parent = self.w.parent_of(self.parent).unwrap_or(DOCUMENT);
    }

    /// Vertical space.
    pub fn gap(&mut self, h: f64) {
        self.y -= h;
    }

    /// Draws one line of text as content of `elem` at the cursor's next line.
    fn line(&mut self, elem: usize, x: f64, font: Font, size: f64, s: &str) {
        self.line_in(Some(elem), x, font, size, s);
    }

    /// Like [`Layout::line`]; without an element the line is an artifact (a repeated header).
    fn line_in(&mut self, elem: Option<usize>, x: f64, font: Font, size: f64, s: &str) {
        let lead = size * LEADING;
        self.y -= lead;
        let base = self.y + (lead - size) / 2.0 + 0.207 * size;
        let op = text_op(x, base, font, size, s);
        match elem {
            Some(e) => self.w.marked(self.page, e, &op),
            None => self.w.artifact(self.page, &op),
        }
        self.runs.push(TextRun {
            page: self.page,
            x,
            y: base,
            width: width(s, font, size),
            size,
            text: s.to_owned(),
        });
    }

    /// Wrapped text in one element, starting a new page between lines where needed.
    fn lines(&mut self, elem: usize, x: f64, max: f64, font: Font, size: f64, s: &str) {
        for l in wrap(s, font, size, max) {
            self.need(size * LEADING);
            self.line(elem, x, font, size, &l);
        }
    }

    /// A heading, level 1–4; kept on a page with at least three lines after it.
    pub fn heading(&mut self, level: u8, s: &str) {
        self.heading_keep(level, s, 3.0 * BODY * LEADING);
    }

    /// A heading kept on one page with the `keep` points of content that follow it (as far
    /// as they fit on a page at all).
    pub fn heading_keep(&mut self, level: u8, s: &str, keep: f64) {
        let (role, size) = match level {
            1 => ("H1", 18.0),
            2 => ("H2", 14.0),
            3 => ("H3", 11.5),
            _ => ("H4", 10.0),
        };
        let lines = wrap(s, Font::Bold, size, text_width());
        #[allow(clippy::cast_precision_loss)]
        let own = lines.len() as f64 * size * LEADING + size * 0.6;
        let full = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM;
        self.need((own + keep).min(full));
        self.gap(size * 0.6);
        if level <= 2 {
            self.w.add_bookmark(s, self.page, self.y);
        }
        let e = self.w.add_elem(self.parent, role);
        for l in lines {
            self.line(e, MARGIN_X, Font::Bold, size, &l);
        }
        self.gap(2.0);
    }

    /// The height [`Layout::para_styled`] will take.
    pub fn para_height(s: &str, font: Font, size: f64) -> f64 {
        #[allow(clippy::cast_precision_loss)]
        let n = wrap(s, font, size, text_width()).len() as f64;
        n * size * LEADING + size * 0.5
    }

    /// A paragraph in the body font.
    pub fn para(&mut self, s: &str) {
        self.para_styled(s, Font::Regular, BODY);
    }

    /// A paragraph in the given face and size.
    pub fn para_styled(&mut self, s: &str, font: Font, size: f64) {
        let e = self.w.add_elem(self.parent, "P");
        self.lines(e, MARGIN_X, text_width(), font, size, s);
        self.gap(size * 0.5);
    }

    /// A bulleted list (`L` › `LI` › `Lbl` + `LBody`) of plain items.
    pub fn list(&mut self, items: &[String]) {
        let rich: Vec<Vec<(Font, String)>> = items
            .iter()
            .map(|i| vec![(Font::Regular, i.clone())])
            .collect();
        self.rich_list(&rich, false);
    }

    /// A list whose items are one or more blocks of text, each in its own face; numbered
    /// ("1.") or bulleted.
    pub fn rich_list(&mut self, items: &[Vec<(Font, String)>], numbered: bool) {
        if items.is_empty() {
            return;
        }
        let l = self.w.add_elem(self.parent, "L");
        let indent = if numbered { 20.0 } else { 14.0 };
        for (n, blocks) in items.iter().enumerate() {
            let li = self.w.add_elem(l, "LI");
            self.need(2.0 * BODY * LEADING);
            let lbl = self.w.add_elem(li, "Lbl");
            let body = self.w.add_elem(li, "LBody");
            let top = self.y;
            let label = if numbered {
                format!("{}.", n + 1)
            } else {
                "•".to_owned()
            };
            self.line(lbl, MARGIN_X + 2.0, Font::Regular, BODY, &label);
            self.y = top;
            let mut first = true;
            for (font, text) in blocks {
                let p = self.w.add_elem(body, "P");
                for (i, s) in wrap(text, *font, BODY, text_width() - indent)
                    .iter()
                    .enumerate()
                {
                    if !first || i > 0 {
                        self.need(BODY * LEADING);
                    }
                    first = false;
                    self.line(p, MARGIN_X + indent, *font, BODY, s);
                }
            }
            self.gap(3.0);
        }
        self.gap(BODY * 0.5);
    }

    /// A table: the header row is repeated (as an artifact) at the top of every further page
    /// the table runs onto; a row too tall for a whole page continues line by line.
    pub fn table(&mut self, t: &Table) {
        let size = SMALL;
        let lead = size * LEADING;
        let total = text_width();
        // one width per column; widths that do not match the header are split evenly, so no
        // cell is ever dropped
        let cols = t
            .rows
            .iter()
            .map(Vec::len)
            .chain([t.header.len(), 1])
            .max()
            .unwrap_or(1);
        let col_w: Vec<f64> = if t.widths.len() == cols {
            t.widths.iter().map(|f| f * total).collect()
        } else {
            #[allow(clippy::cast_precision_loss)]
            let even = total / cols as f64;
            vec![even; cols]
        };
        let wrap_row = |cells: &[String], font: Font| -> Vec<Vec<String>> {
            cells
                .iter()
                .zip(&col_w)
                .map(|(c, w)| wrap(c, font, size, w - 2.0 * CELL_PAD))
                .collect()
        };
        let header = wrap_row(t.header, Font::Bold);
        let row_h = |cells: &[Vec<String>]| {
            #[allow(clippy::cast_precision_loss)]
            let n = cells.iter().map(Vec::len).max().unwrap_or(1) as f64;
            n * lead + 2.0 * CELL_PAD
        };
        let header_h = row_h(&header);
        let first_row_h = t
            .rows
            .first()
            .map_or(0.0, |r| row_h(&wrap_row(r, Font::Regular)));
        let caption = t.caption.map(|c| wrap(c, Font::Bold, size, total));
        #[allow(clippy::cast_precision_loss)]
        let caption_h = caption
            .as_ref()
            .map_or(0.0, |c| c.len() as f64 * lead + 2.0);
        self.need(caption_h + header_h + first_row_h);
        let table = self.w.add_elem(self.parent, "Table");
        if let Some(lines) = caption {
            let c = self.w.add_elem(table, "Caption");
            for l in lines {
                self.line(c, MARGIN_X, Font::Bold, size, &l);
            }
            self.gap(2.0);
        }
        // header row, tagged
        let thead = self.w.add_elem(table, "THead");
        let tr = self.w.add_elem(thead, "TR");
        let cells: Vec<usize> = (0..header.len())
            .map(|_| {
                let th = self.w.add_elem(tr, "TH");
                self.w.set_scope(th, Scope::Column);
                th
            })
            .collect();
        self.draw_row(&header, &col_w, Font::Bold, Some(&cells), None);
        let tbody = self.w.add_elem(table, "TBody");
        for r in t.rows {
            let wrapped = wrap_row(r, Font::Regular);
            let h = row_h(&wrapped);
            let full = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - header_h;
            if self.room() < h.min(full) {
                self.new_page();
                self.draw_row(&header, &col_w, Font::Bold, None, None);
            }
            let tr = self.w.add_elem(tbody, "TR");
            let cells: Vec<usize> = (0..wrapped.len())
                .map(|i| {
                    if i == 0 && t.row_headers {
                        let th = self.w.add_elem(tr, "TH");
                        self.w.set_scope(th, Scope::Row);
                        th
                    } else {
                        self.w.add_elem(tr, "TD")
                    }
                })
                .collect();
            self.draw_row(&wrapped, &col_w, Font::Regular, Some(&cells), Some(&header));
        }
        self.gap(BODY);
    }

    /// Draws one row. `elems` are the cells' structure elements (`None`: an artifact, the
    /// repeated header). With `header`, a row that runs off the page continues on the next
    /// one below a repeated header.
    fn draw_row(
        &mut self,
        cells: &[Vec<String>],
        col_w: &[f64],
        font: Font,
        elems: Option<&[usize]>,
        header: Option<&[Vec<String>]>,
    ) {
        let size = SMALL;
        let lead = size * LEADING;
        let n = cells.iter().map(Vec::len).max().unwrap_or(1);
        let is_header = font == Font::Bold;
        self.y -= CELL_PAD;
        let mut top = self.y + CELL_PAD;
        for k in 0..n {
            if self.room() < lead + CELL_PAD
                && let Some(h) = header
            {
                self.rule_and_background(top, is_header);
                self.new_page();
                self.draw_row(h, col_w, Font::Bold, None, None);
                self.y -= CELL_PAD;
                top = self.y + CELL_PAD;
            }
            let line_top = self.y;
            let mut x = MARGIN_X;
            for (c, (lines, w)) in cells.iter().zip(col_w).enumerate() {
                if let Some(l) = lines.get(k) {
                    self.y = line_top;
                    let px = x + CELL_PAD;
                    self.line_in(elems.map(|es| es[c]), px, font, size, l);
                }
                x += w;
            }
            self.y = line_top - lead;
        }
        // an empty cell still gets (empty) content, so its element is never empty
        if let Some(es) = elems {
            for (c, lines) in cells.iter().enumerate() {
                if lines.iter().all(String::is_empty) {
                    self.w.marked(self.page, es[c], "");
                }
            }
        }
        self.y -= CELL_PAD;
        self.rule_and_background(top, is_header);
    }

    /// The rule under a row (and the header's background), as an artifact behind the text.
    fn rule_and_background(&mut self, top: f64, header: bool) {
        let mut ops = String::new();
        if header {
            let _ = writeln!(
                ops,
                "q 0.92 g {MARGIN_X:.2} {:.2} {:.2} {:.2} re f Q",
                self.y,
                text_width(),
                top - self.y
            );
        }
        let _ = writeln!(
            ops,
            "q 0.6 G 0.5 w {MARGIN_X:.2} {y:.2} m {:.2} {y:.2} l S Q",
            MARGIN_X + text_width(),
            y = self.y
        );
        // the background goes first in the stream so the text is painted over it
        self.w.artifact_first(self.page, &ops);
    }

    /// A figure of height `h` with alternative text `alt`, drawn by `draw` inside the box
    /// whose top-left corner is (`MARGIN_X`, top) and which spans the text width.
    pub fn figure(&mut self, alt: &str, h: f64, draw: impl FnOnce(&mut Canvas, f64)) {
        self.need(h);
        let e = self.w.add_elem(self.parent, "Figure");
        self.w.set_alt(e, alt);
        self.w
            .set_bbox(e, [MARGIN_X, self.y - h, MARGIN_X + text_width(), self.y]);
        let mut c = Canvas {
            ops: String::new(),
            runs: Vec::new(),
            page: self.page,
        };
        draw(&mut c, self.y);
        self.w.marked(self.page, e, &c.ops);
        self.runs.extend(c.runs);
        self.y -= h;
    }

    /// Finishes: a footer with the title and page number on every page (an artifact).
    pub fn finish(mut self, title: &str) -> (Vec<u8>, Vec<TextRun>) {
        let n = self.w.page_count();
        for p in 0..n {
            let s = format!("{title} — pagina {} van {n}", p + 1);
            let size = 8.0;
            let max = text_width();
            let s = fit(&s, Font::Regular, size, max);
            let y = 30.0;
            self.w
                .artifact(p, &text_op(MARGIN_X, y, Font::Regular, size, &s));
            self.runs.push(TextRun {
                page: p,
                x: MARGIN_X,
                y,
                width: width(&s, Font::Regular, size),
                size,
                text: s,
            });
        }
        (self.w.finish(title, "nl-NL"), self.runs)
    }

    /// The structure roles in document order (for tests).
    pub fn roles(&self) -> Vec<&'static str> {
        self.w.roles()
    }
}

/// The text shortened with "…" to fit `max` points.
fn fit(s: &str, font: Font, size: f64, max: f64) -> String {
    if width(s, font, size) <= max {
        return s.to_owned();
    }
    let mut out = String::new();
    for c in s.chars() {
        let mut next = out.clone();
        next.push(c);
        next.push('…');
        if width(&next, font, size) > max {
            break;
        }
        out.push(c);
    }
    out.push('…');
    out
}

/// Whether two boxes (x0, y0, x1, y1) overlap by more than `eps` in both directions.
pub fn overlaps(a: (f64, f64, f64, f64), b: (f64, f64, f64, f64), eps: f64) -> bool {
    a.0 < b.2 - eps && b.0 < a.2 - eps && a.1 < b.3 - eps && b.1 < a.3 - eps
}

#[cfg(test)]
mod tests {
    use super::*;

    fn no_overlap(runs: &[TextRun]) {
        for (i, a) in runs.iter().enumerate() {
            for b in &runs[i + 1..] {
                assert!(
                    a.page != b.page || !overlaps(a.bbox(), b.bbox(), 0.01),
                    "overlap on page {}: {a:?} and {b:?}",
                    a.page
                );
            }
        }
    }

    #[test]
    fn long_tables_wrap_break_and_never_overlap() {
        let mut l = Layout::new();
        l.heading(
            1,
            "Een titel — met een lange tekst die over twee regels moet lopen omdat hij zo lang is",
        );
        let header: Vec<String> = [
            "Uitspraak met een lange kop",
            "Raadsleden",
            "Collegeleden",
            "Ambtenaren",
            "Inwoners",
        ]
        .map(String::from)
        .to_vec();
        let long = "Een heel lange uitspraak over de lokale democratie die in de cel moet worden afgebroken, en nog eens en nog eens. ".repeat(3);
        let rows: Vec<Vec<String>> = (0..60)
            .map(|i| {
                vec![
                    if i % 3 == 0 {
                        long.clone()
                    } else {
                        format!("Uitspraak {i}")
                    },
                    "3,8 · 50 % eens · n=12 · vorige 3,1 · elders 3,4".into(),
                    "< 5 antwoorden".into(),
                    String::new(),
                    "4,3".into(),
                ]
            })
            .collect();
        l.table(&Table {
            caption: Some("Een bijschrift"),
            header: &header,
            rows: &rows,
            widths: &[0.4, 0.15, 0.15, 0.15, 0.15],
            row_headers: true,
        });
        // widths that do not fit the header: still every cell
        l.table(&Table {
            caption: None,
            header: &header[..3],
            rows: &[vec![
                "een".into(),
                "twee".into(),
                "drie".into(),
                "vier".into(),
            ]],
            widths: &[1.0],
            row_headers: false,
        });
        // a row taller than a page
        let huge = vec![vec!["woord ".repeat(3000), "x".into()]];
        l.table(&Table {
            caption: Some("Een bijschrift"),
            header: &header[..2],
            rows: &huge,
            widths: &[0.5, 0.5],
            row_headers: false,
        });
        let (_, runs) = l.finish("Test");
        assert!(runs.iter().map(|r| r.page).max().unwrap() >= 3);
        no_overlap(&runs);
        for r in &runs {
            let (x0, y0, x1, y1) = r.bbox();
            assert!(
                x0 >= MARGIN_X - 0.01 && x1 <= PAGE_W - MARGIN_X + 0.01,
                "{r:?}"
            );
            assert!(y0 >= 20.0 && y1 <= PAGE_H - MARGIN_TOP + 0.01, "{r:?}");
        }
        assert!(runs.iter().any(|r| r.text == "drie"));
        assert!(runs.iter().any(|r| r.text == "vier"));
        // the header is repeated on later pages
        let heads = runs.iter().filter(|r| r.text == "Raadsleden").count();
        assert!(heads >= 3, "{heads}");
    }
}
