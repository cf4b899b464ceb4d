//! Minimal CSV reading (respondent upload) and writing (exports), and the report as CSV in
//! two forms ([`report_csv`]).

use crate::report::{Cell, Exact, Report};

/// Parses CSV text. Accepts `,` or `;` as separator (detected from the first line),
/// double-quoted fields with `""` escapes, and CRLF or LF line ends. Blank lines are skipped.
pub fn parse(text: &str) -> Vec<Vec<String>> {
    let text = text.trim_start_matches('\u{feff}');
    let first = text.lines().next().unwrap_or("");
    let sep = if first.matches(';').count() > first.matches(',').count() {
        ';'
    } else {
        ','
    };
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        if quoted {
            if c == '"' {
                if chars.peek() == Some(&'"') {
                    chars.next();
                    field.push('"');
                } else {
                    quoted = false;
                }
            } else {
                field.push(c);
            }
        } else if c == '"' {
            quoted = true;
        } else if c == sep {
            row.push(std::mem::take(&mut field));
        } else if c == '\n' || c == '\r' {
            if c == '\r' && chars.peek() == Some(&'\n') {
                chars.next();
            }
            row.push(std::mem::take(&mut field));
            if row.iter().any(|f| !f.trim().is_empty()) {
                rows.push(std::mem::take(&mut row));
            } else {
                row.clear();
            }
        } else {
            field.push(c);
        }
    }
    row.push(field);
    if row.iter().any(|f| !f.trim().is_empty()) {
        rows.push(row);
    }
    rows
}

/// Quotes one field for CSV output. Fields starting with a formula character get a leading
/// apostrophe so spreadsheets do not execute them.
pub fn field(s: &str) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains([',', '"', '\n', '\r', ';']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

/// Writes one CSV line (with CRLF).
pub fn line(fields: &[String]) -> String {
    let mut out = fields
        .iter()
        .map(|f| field(f))
        .collect::<Vec<_>>()
        .join(",");
    out.push_str("\r\n");
    out
}

/// The two CSV forms of the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Dialect {
    /// For programs (RFC 4180): `,` between fields, decimal point, UTF-8 without BOM, CRLF.
    Machine,
    /// For Dutch Excel: `;` between fields, decimal comma, UTF-8 with BOM, CRLF.
    Excel,
}

impl Dialect {
    fn sep(self) -> &'static str {
        match self {
            Dialect::Machine => ",",
            Dialect::Excel => ";",
        }
    }
    fn num(self, e: Exact, decimals: u32) -> String {
        match self {
            Dialect::Machine => e.dot(decimals),
            Dialect::Excel => e.nl(decimals),
        }
    }
}

/// The report's CSV columns, in order. One row per shown group × scale item; choice and
/// ranking items get one row per group × option. Means have 2 decimals, percentages 1, both
/// rounded half away from zero on the exact value.
///
/// | column | meaning |
/// |---|---|
/// | `soort` | `respons`, `benchmark_respons`, `schaal`, `keuze` or `rangorde` |
/// | `thema`, `vraag_id`, `vraag` | theme title, item key, statement |
/// | `groep` | group label |
/// | `antwoord` | the option (keuze, rangorde) |
/// | `n` | answers used: schaal = answers 1–5 without "weet niet"; keuze = all answers; rangorde = respondents; respons = completed questionnaires |
/// | `weet_niet` | "weet niet / geen mening" answers (schaal), apart from `n` |
/// | `op_papier` | respons, benchmark_respons: how many of `n` came on paper |
/// | `aantal` | keuze: answers for this option |
/// | `percentage` | keuze: `aantal` of `n`; rangorde: share that put it in their top |
/// | `gemiddelde` | schaal: mean of the answers 1–5 |
/// | `pct_eens` | schaal: share of `n` answering 4 or 5 |
/// | `pct_weet_niet` | schaal: `weet_niet` of all answers (`n` + `weet_niet`) |
/// | `vorige`, `vorige_n` | the previous wave's mean and its n |
/// | `benchmark`, `benchmark_n`, `benchmark_organisaties` | the benchmark mean, its answers and organisations |
/// | `opmerking` | why a figure is missing (e.g. "minder dan 5 antwoorden") |
pub const REPORT_COLUMNS: [&str; 19] = [
    "soort",
    "thema",
    "vraag_id",
    "vraag",
    "groep",
    "antwoord",
    "n",
    "weet_niet",
    "op_papier",
    "aantal",
    "percentage",
    "gemiddelde",
    "pct_eens",
    "pct_weet_niet",
    "vorige",
    "vorige_n",
    "benchmark",
    "benchmark_n",
    "benchmark_organisaties",
];

/// Index of a column of [`REPORT_COLUMNS`] plus the trailing `opmerking`.
fn col(name: &str) -> usize {
    REPORT_COLUMNS
        .iter()
        .position(|c| *c == name)
        .unwrap_or(REPORT_COLUMNS.len())
}

/// Like [`field`], but quotes only for this dialect's separator, so "4,3" stays a number in
/// Dutch Excel.
fn field_in(s: &str, d: Dialect) -> String {
    let s = if s.starts_with(['=', '+', '-', '@']) && s.parse::<f64>().is_err() {
        format!("'{s}")
    } else {
        s.to_owned()
    };
    if s.contains(['"', '\n', '\r']) || s.contains(d.sep()) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s
    }
}

fn write_row(out: &mut String, d: Dialect, fields: &[String]) {
    let line = fields
        .iter()
        .map(|f| field_in(f, d))
        .collect::<Vec<_>>()
        .join(d.sep());
    out.push_str(&line);
    out.push_str("\r\n");
}

/// The report as CSV in the given form. Reads only the [`Report`], so suppressed groups are
/// absent; a cell below the threshold has an empty `n` and says so in `opmerking`.
#[allow(clippy::too_many_lines)]
pub fn report_csv(r: &Report, d: Dialect) -> String {
    let width = REPORT_COLUMNS.len() + 1;
    let mut out = String::new();
    if d == Dialect::Excel {
        out.push('\u{feff}');
    }
    let mut header: Vec<String> = REPORT_COLUMNS.iter().map(|c| (*c).to_owned()).collect();
    header.push("opmerking".into());
    write_row(&mut out, d, &header);
    let row = |pairs: &[(&str, String)]| {
        let mut v = vec![String::new(); width];
        for (k, val) in pairs {
            v[col(k)].clone_from(val);
        }
        v
    };
    // first row: concept or vastgesteld (v12), so a CSV never passes for the final figures
    write_row(
        &mut out,
        d,
        &row(&[("soort", "status".into()), ("opmerking", r.status_line())]),
    );
    let too_few = format!("minder dan {} antwoorden", r.min_group);
    for g in &r.groups {
        let mut pairs = vec![("soort", "respons".into()), ("groep", g.label.clone())];
        match g.n {
            Some(n) => {
                pairs.push(("n", n.to_string()));
                let paper = g.paper.unwrap_or(0);
                pairs.push(("op_papier", paper.to_string()));
                pairs.push(("opmerking", format!("Waarvan op papier: {paper}")));
            }
            None => pairs.push(("opmerking", format!("minder dan {}", r.min_group))),
        }
        write_row(&mut out, d, &row(&pairs));
    }
    for (g, c) in &r.benchmark_counts {
        write_row(
            &mut out,
            d,
            &row(&[
                ("soort", "benchmark_respons".into()),
                ("groep", r.group_label(*g)),
                ("n", c.total.to_string()),
                ("op_papier", c.paper.to_string()),
                ("benchmark_organisaties", r.benchmark_orgs.to_string()),
                ("opmerking", format!("Waarvan op papier: {}", c.paper)),
            ]),
        );
    }
    for t in &r.themes {
        for it in &t.items {
            for (g, c) in &it.cells {
                let base = vec![
                    ("thema", t.title.clone()),
                    ("vraag_id", it.key.clone()),
                    ("vraag", it.text.clone()),
                    ("groep", r.group_label(*g)),
                ];
                let soort = if it.is_scale { "schaal" } else { "keuze" };
                match c {
                    Cell::TooFew => {
                        let mut p = base.clone();
                        p.push(("soort", soort.into()));
                        p.push(("opmerking", too_few.clone()));
                        write_row(&mut out, d, &row(&p));
                    }
                    Cell::Shown(dist) if it.is_scale => {
                        let mut p = base.clone();
                        p.push(("soort", soort.into()));
                        p.push(("n", dist.answered().to_string()));
                        p.push(("weet_niet", dist.dont_know.to_string()));
                        if let Some(m) = dist.mean {
                            p.push(("gemiddelde", d.num(m, 2)));
                        }
                        if let Some(a) = dist.agree() {
                            p.push(("pct_eens", d.num(a, 1)));
                        }
                        if let Some(s) = dist.dont_know_share() {
                            p.push(("pct_weet_niet", d.num(s, 1)));
                        }
                        if let Some(m) = it.previous.get(g) {
                            p.push(("vorige", d.num(*m, 2)));
                            p.push(("vorige_n", m.den.to_string()));
                        }
                        if let Some(b) = it.benchmark.get(g) {
                            p.push(("benchmark", d.num(b.mean, 2)));
                            p.push(("benchmark_n", b.mean.den.to_string()));
                            p.push(("benchmark_organisaties", b.orgs.to_string()));
                        }
                        write_row(&mut out, d, &row(&p));
                    }
                    Cell::Shown(dist) => {
                        for (k, label) in it.labels.iter().enumerate() {
                            let mut p = base.clone();
                            p.push(("soort", soort.into()));
                            p.push(("antwoord", label.clone()));
                            p.push(("n", dist.n.to_string()));
                            p.push(("aantal", dist.counts[k].to_string()));
                            if let Some(s) = dist.share(k) {
                                p.push(("percentage", d.num(s, 1)));
                            }
                            write_row(&mut out, d, &row(&p));
                        }
                    }
                }
            }
        }
        for rk in &t.rankings {
            for (label, per) in &rk.options {
                for (g, share) in per {
                    write_row(
                        &mut out,
                        d,
                        &row(&[
                            ("soort", "rangorde".into()),
                            ("thema", t.title.clone()),
                            ("vraag_id", rk.key.clone()),
                            ("vraag", rk.text.clone()),
                            ("groep", r.group_label(*g)),
                            ("antwoord", label.clone()),
                            ("n", rk.n.get(g).copied().unwrap_or(0).to_string()),
                            ("percentage", d.num(*share, 1)),
                        ]),
                    );
                }
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_quotes_and_separators() {
        let rows = parse(
            "naam;email;groep\r\n\"Jansen; P.\";p@x.nl;raad\n\n\"A \"\"B\"\"\";a@b.nl;college",
        );
        assert_eq!(rows.len(), 3);
        assert_eq!(rows[1][0], "Jansen; P.");
        assert_eq!(rows[2][0], "A \"B\"");
        let rows = parse("a,b,c\nd,e,f\n");
        assert_eq!(rows, vec![vec!["a", "b", "c"], vec!["d", "e", "f"]]);
    }

    #[test]
    fn report_fields_quote_only_their_own_separator() {
        assert_eq!(field_in("4,3", Dialect::Excel), "4,3");
        assert_eq!(field_in("a;b", Dialect::Excel), "\"a;b\"");
        assert_eq!(field_in("a,b", Dialect::Machine), "\"a,b\"");
        assert_eq!(field_in("a;b", Dialect::Machine), "a;b");
        assert_eq!(field_in("=1+1", Dialect::Excel), "'=1+1");
        assert_eq!(field_in("@SUM(A1)", Dialect::Machine), "'@SUM(A1)");
        assert_eq!(field_in("zeg \"ja\"", Dialect::Excel), "\"zeg \"\"ja\"\"\"");
    }

    #[test]
    fn escapes_formulas() {
        assert_eq!(field("=SUM(A1)"), "'=SUM(A1)");
        assert_eq!(field("-1.5"), "-1.5");
        assert_eq!(field("a,b"), "\"a,b\"");
    }
}
