//! A small PDF writer (text and tables, built-in Helvetica, A4) and the report as PDF.
//! Pure Rust, no external programs.

use crate::report::{Cell, Report};
use std::fmt::Write as _;

const W: f64 = 595.0;
const H: f64 = 842.0;
const MARGIN: f64 = 50.0;

/// Encodes text as WinAnsi bytes inside a PDF string literal.
fn pdf_string(s: &str) -> String {
    let mut out = String::from("(");
    for c in s.chars() {
        let b: u32 = match c {
            '(' | ')' | '\\' => {
                out.push('\\');
                u32::from(c)
            }
            '\u{20}'..='\u{7e}' | '\u{a0}'..='\u{ff}' => u32::from(c),
            '€' => 0x80,
            '…' => 0x85,
            '‘' => 0x91,
            '’' => 0x92,
            '“' => 0x93,
            '”' => 0x94,
            '•' => 0x95,
            '–' => 0x96,
            '—' => 0x97,
            _ => u32::from('?'),
        };
        if b < 0x80 {
            out.push(char::from_u32(b).unwrap_or('?'));
        } else {
            let _ = write!(out, "\\{b:03o}");
        }
    }
    out.push(')');
    out
}

/// Rough Helvetica width of a text in points.
#[allow(clippy::cast_precision_loss)]
fn text_width(s: &str, size: f64) -> f64 {
    s.chars()
        .map(|c| match c {
            'i' | 'j' | 'l' | '.' | ',' | '\'' | '|' | '!' | ':' | ';' | ' ' | 'f' | 't' | 'r' => {
                0.3
            }
            'm' | 'w' | 'M' | 'W' => 0.85,
            'A'..='Z' => 0.67,
            _ => 0.55,
        })
        .sum::<f64>()
        * size
}

fn wrap(s: &str, size: f64, width: f64) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for word in s.split_whitespace() {
        let candidate = if cur.is_empty() {
            word.to_owned()
        } else {
            format!("{cur} {word}")
        };
        if text_width(&candidate, size) > width && !cur.is_empty() {
            lines.push(std::mem::take(&mut cur));
            word.clone_into(&mut cur);
        } else {
            cur = candidate;
        }
    }
    if !cur.is_empty() || lines.is_empty() {
        lines.push(cur);
    }
    lines
}

/// A document being written: pages of content streams.
pub struct Pdf {
    pages: Vec<String>,
    cur: String,
    y: f64,
}

impl Default for Pdf {
    fn default() -> Self {
        Self::new()
    }
}

impl Pdf {
    pub fn new() -> Self {
        Pdf {
            pages: Vec::new(),
            cur: String::new(),
            y: H - MARGIN,
        }
    }

    fn new_page(&mut self) {
        self.pages.push(std::mem::take(&mut self.cur));
        self.y = H - MARGIN;
    }

    fn need(&mut self, h: f64) {
        if self.y - h < MARGIN {
            self.new_page();
        }
    }

    fn text_at(&mut self, x: f64, size: f64, bold: bool, s: &str) {
        let font = if bold { "F2" } else { "F1" };
        let _ = writeln!(
            self.cur,
            "BT /{font} {size} Tf {x:.1} {:.1} Td {} Tj ET",
            self.y,
            pdf_string(s)
        );
    }

    pub fn heading(&mut self, s: &str, size: f64) {
        self.need(size * 2.5);
        self.y -= size * 0.6;
        for l in wrap(s, size, W - 2.0 * MARGIN) {
            self.y -= size * 1.2;
            self.text_at(MARGIN, size, true, &l);
        }
        self.y -= size * 0.3;
    }

    pub fn para(&mut self, s: &str) {
        let size = 10.0;
        for l in wrap(s, size, W - 2.0 * MARGIN) {
            self.need(size * 1.4);
            self.y -= size * 1.4;
            self.text_at(MARGIN, size, false, &l);
        }
        self.y -= 4.0;
    }

    /// A table; `widths` are fractions of the text width. Long cells wrap.
    pub fn table(&mut self, header: &[String], rows: &[Vec<String>], widths: &[f64]) {
        let size = 8.5;
        let total = W - 2.0 * MARGIN;
        let draw_row = |pdf: &mut Pdf, cells: &[String], bold: bool| {
            let wrapped: Vec<Vec<String>> = cells
                .iter()
                .zip(widths)
                .map(|(c, w)| wrap(c, size, w * total - 4.0))
                .collect();
            let lines = wrapped.iter().map(Vec::len).max().unwrap_or(1);
            #[allow(clippy::cast_precision_loss)]
            let h = lines as f64 * size * 1.25 + 4.0;
            pdf.need(h);
            let top = pdf.y;
            let mut x = MARGIN;
            for (cell, w) in wrapped.iter().zip(widths) {
                for (i, l) in cell.iter().enumerate() {
                    #[allow(clippy::cast_precision_loss)]
                    let yy = top - size * 1.25 * (i as f64 + 1.0);
                    let font = if bold { "F2" } else { "F1" };
                    let _ = writeln!(
                        pdf.cur,
                        "BT /{font} {size} Tf {:.1} {yy:.1} Td {} Tj ET",
                        x + 2.0,
                        pdf_string(l)
                    );
                }
                x += w * total;
            }
            pdf.y = top - h;
            let _ = writeln!(
                pdf.cur,
                "0.6 G 0.5 w {MARGIN} {:.1} m {:.1} {:.1} l S 0 G",
                pdf.y + 1.0,
                W - MARGIN,
                pdf.y + 1.0
            );
        };
        draw_row(self, header, true);
        for r in rows {
            draw_row(self, r, false);
        }
        self.y -= 8.0;
    }

    /// Serialises the document.
    pub fn finish(mut self, title: &str) -> Vec<u8> {
        if !self.cur.is_empty() || self.pages.is_empty() {
            self.new_page();
        }
        let n = self.pages.len();
        let mut objs: Vec<String> = Vec::new();
        // 1 catalog, 2 pages, 3 font regular, 4 font bold, 5 info, then (page, content) pairs
        let kids: Vec<String> = (0..n).map(|i| format!("{} 0 R", 6 + 2 * i)).collect();
        objs.push("<< /Type /Catalog /Pages 2 0 R /Lang (nl-NL) >>".into());
        objs.push(format!(
            "<< /Type /Pages /Kids [{}] /Count {n} >>",
            kids.join(" ")
        ));
        objs.push(
            "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>"
                .into(),
        );
        objs.push("<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica-Bold /Encoding /WinAnsiEncoding >>".into());
        objs.push(format!(
            "<< /Title {} /Producer (Stembus quickscan) >>",
            pdf_string(title)
        ));
        for (i, content) in self.pages.iter().enumerate() {
            let footer = format!(
                "BT /F1 8 Tf {MARGIN} 25 Td {} Tj ET\n",
                pdf_string(&format!("{title} — pagina {} van {n}", i + 1))
            );
            let stream = format!("{content}{footer}");
            objs.push(format!(
                "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 {W} {H}] /Resources << /Font << /F1 3 0 R /F2 4 0 R >> >> /Contents {} 0 R >>",
                7 + 2 * i
            ));
            objs.push(format!(
                "<< /Length {} >>\nstream\n{stream}endstream",
                stream.len()
            ));
        }
        let mut out: Vec<u8> = b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n".to_vec();
        let mut offsets = Vec::new();
        for (i, o) in objs.iter().enumerate() {
            offsets.push(out.len());
            out.extend_from_slice(format!("{} 0 obj\n{o}\nendobj\n", i + 1).as_bytes());
        }
        let xref = out.len();
        let mut x = format!("xref\n0 {}\n0000000000 65535 f \n", objs.len() + 1);
        for o in offsets {
            let _ = writeln!(x, "{o:010} 00000 n ");
        }
        let _ = write!(
            x,
            "trailer\n<< /Size {} /Root 1 0 R /Info 5 0 R >>\nstartxref\n{xref}\n%%EOF\n",
            objs.len() + 1
        );
        out.extend_from_slice(x.as_bytes());
        out
    }
}

fn mean_cell(c: Option<&Cell>, min: u32) -> String {
    match c {
        Some(Cell::Shown(d)) => match d.mean {
            Some(m) => format!("{} (n={})", format!("{m:.1}").replace('.', ","), d.n),
            None => format!("– (n={})", d.n),
        },
        Some(Cell::TooFew) => format!("< {min}"),
        None => "–".into(),
    }
}

/// The report as PDF. Uses only what the [`Report`] holds, so suppressed groups are absent.
pub fn report_pdf(r: &Report) -> Vec<u8> {
    let mut p = Pdf::new();
    let title = format!("Quick Scan Lokale Democratie — {}", r.org.name);
    p.heading(&title, 18.0);
    p.para(&format!("{} ({}). Dit rapport is een foto van hoe raad, college, ambtenaren en inwoners naar de lokale democratie kijken. Het is geen representatief onderzoek.", r.scan.title, r.scan.wave.as_str()));
    p.heading("Respons", 13.0);
    let rows: Vec<Vec<String>> = r
        .groups
        .iter()
        .map(|g| {
            vec![
                g.label.clone(),
                if g.invited > 0 {
                    g.invited.to_string()
                } else {
                    "–".into()
                },
                g.n.map_or_else(|| format!("minder dan {}", r.min_group), |n| n.to_string()),
                g.paper.map_or_else(|| "–".into(), |n| n.to_string()),
            ]
        })
        .collect();
    p.table(
        &[
            "Groep".into(),
            "Uitgenodigd".into(),
            "Ingevuld".into(),
            "Waarvan op papier".into(),
        ],
        &rows,
        &[0.4, 0.2, 0.2, 0.2],
    );
    for (g, c) in &r.benchmark_counts {
        p.para(&format!(
            "Benchmark {}: {} antwoorden uit {} organisaties, waarvan {} op papier.",
            r.group_label(*g).to_lowercase(),
            c.total,
            r.benchmark_orgs,
            c.paper
        ));
    }
    if let Some(n) = r.suppression_note() {
        p.para(&n);
    }
    p.heading("Opvallende resultaten", 13.0);
    if r.notable.is_empty() {
        p.para("Er zijn geen opvallende resultaten volgens de regels van dit rapport.");
    }
    for n in &r.notable {
        p.para(&format!("• {}: {}", n.rule.label_nl(), n.text));
    }
    p.heading("Verbetertips", 13.0);
    for (theme, _, tip) in &r.tips {
        p.para(&format!("• {theme}: {tip}"));
    }
    let mut header = vec!["Vraag".to_string()];
    header.extend(r.shown.iter().map(|g| r.group_label(*g)));
    let widths: Vec<f64> = std::iter::once(0.44)
        .chain(
            r.shown
                .iter()
                .map(|_| 0.56 / f64::from(u32::try_from(r.shown.len().max(1)).unwrap_or(1))),
        )
        .collect();
    for t in &r.themes {
        p.heading(&t.title, 13.0);
        let rows: Vec<Vec<String>> = t
            .items
            .iter()
            .filter(|i| i.is_scale)
            .map(|i| {
                let mut row = vec![i.text.clone()];
                row.extend(
                    r.shown
                        .iter()
                        .map(|g| mean_cell(i.cells.get(g), r.min_group)),
                );
                row
            })
            .collect();
        if !rows.is_empty() && !r.shown.is_empty() {
            p.para("Gemiddelde score van 1 (helemaal oneens) tot 5 (helemaal eens), met het aantal antwoorden (n).");
            p.table(&header, &rows, &widths);
        }
        for rk in &t.rankings {
            p.para(&format!("{} (aandeel dat dit in de top koos)", rk.text));
            let rows: Vec<Vec<String>> = rk
                .options
                .iter()
                .map(|(l, per)| {
                    let mut row = vec![l.clone()];
                    row.extend(r.shown.iter().map(|g| {
                        per.get(g)
                            .map_or("–".into(), |v| format!("{:.0} %", v * 100.0))
                    }));
                    row
                })
                .collect();
            p.table(&header, &rows, &widths);
        }
        for q in &t.open {
            for o in &q.groups {
                p.para(&format!(
                    "{} — {} ({} antwoorden, in willekeurige volgorde)",
                    q.text,
                    r.group_label(o.group),
                    o.answers.len()
                ));
                for a in o.answers.iter().take(50) {
                    p.para(&format!("– {a}"));
                }
            }
        }
    }
    p.heading("Bijlage: verdeling van de antwoorden", 13.0);
    for t in &r.themes {
        for i in &t.items {
            let mut hdr = vec![i.text.clone()];
            hdr.extend(r.shown.iter().map(|g| r.group_label(*g)));
            let mut labels = i.labels.clone();
            if i.is_scale {
                labels.push("Weet niet / geen mening".into());
            }
            let rows: Vec<Vec<String>> = labels
                .iter()
                .enumerate()
                .map(|(k, l)| {
                    let mut row = vec![l.clone()];
                    row.extend(r.shown.iter().map(|g| match i.cells.get(g) {
                        Some(Cell::Shown(d)) => {
                            let c = if k < d.counts.len() {
                                d.counts[k]
                            } else {
                                d.dont_know
                            };
                            #[allow(clippy::cast_precision_loss)]
                            let pct = c as f64 * 100.0 / d.n.max(1) as f64;
                            format!("{pct:.0} %")
                        }
                        Some(Cell::TooFew) => format!("< {}", r.min_group),
                        None => "–".into(),
                    }));
                    row
                })
                .collect();
            p.table(&hdr, &rows, &widths);
        }
    }
    p.finish(&title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn writes_valid_structure() {
        let mut p = Pdf::new();
        p.heading("Tëst (1)", 16.0);
        for i in 0..200 {
            p.para(&format!("Regel {i} – “café” met een lange tekst die moet worden afgebroken als hij te lang wordt voor de regel."));
        }
        p.table(
            &["a".into(), "b".into()],
            &[vec!["x".into(), "y".into()]],
            &[0.5, 0.5],
        );
        let bytes = p.finish("Test");
        let s = String::from_utf8_lossy(&bytes);
        assert!(s.starts_with("%PDF-1.4"));
        assert!(s.trim_end().ends_with("%%EOF"));
        assert!(s.contains("/Count "));
        assert!(s.contains("(T\\353st \\(1\\))"));
        // xref offsets point at objects
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
    }
}
