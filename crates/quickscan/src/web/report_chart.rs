//! The report's charts: per statement, one bar per group (mean on the 1–5 scale), each bar
//! labelled with its group, n and "weet niet". Own SVG instead of webkit's `bar_chart`, whose
//! 720-unit-wide drawing shrinks its 14-unit labels to about 6 px on a phone: this one is
//! [`WIDTH`] units wide (about a phone's content width) and its text is [`FONT`] units, so
//! labels render at 12 px or more from 375 px up (the CSS caps the width at 28rem, where text
//! is about 18 px). A light track behind each bar shows the whole scale up to 5.

use crate::report::{Cell, Exact, Report, ThemeResult};
use maud::{Markup, html};

/// Drawing width in SVG units.
pub const WIDTH: f64 = 340.0;
/// Text size in SVG units.
pub const FONT: f64 = 14.0;
const LINE: f64 = 18.0;
const BAR: f64 = 14.0;
const VALUE_W: f64 = 40.0;
/// Characters per line of a statement (at [`FONT`], about 7 units per character).
const WRAP: usize = 34;

fn wrap(s: &str, width: usize) -> Vec<String> {
    let mut lines = Vec::new();
    let mut cur = String::new();
    for w in s.split_whitespace() {
        if !cur.is_empty() && cur.chars().count() + 1 + w.chars().count() > width {
            lines.push(std::mem::take(&mut cur));
        }
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
    }
    if !cur.is_empty() {
        lines.push(cur);
    }
    lines
}

/// One bar: label line, value on the 1–5 scale (or none), value text.
struct Row {
    label: String,
    value: Option<Exact>,
}

/// The chart of a theme's scale statements, or nothing when no group has a mean.
pub fn theme_chart(r: &Report, t: &ThemeResult, idx: usize) -> Markup {
    let mut blocks: Vec<(Vec<String>, Vec<Row>)> = Vec::new();
    for i in t.items.iter().filter(|i| i.is_scale) {
        let rows: Vec<Row> = r
            .shown
            .iter()
            .filter_map(|g| match i.cells.get(g) {
                Some(Cell::Shown(d)) => Some(Row {
                    label: format!(
                        "{} · n = {} · weet niet {}",
                        r.group_label(*g),
                        d.answered(),
                        d.dont_know
                    ),
                    value: d.mean,
                }),
                Some(Cell::TooFew) => Some(Row {
                    label: format!(
                        "{} · minder dan {} antwoorden",
                        r.group_label(*g),
                        r.min_group
                    ),
                    value: None,
                }),
                None => None,
            })
            .collect();
        if rows.iter().any(|r| r.value.is_some()) {
            blocks.push((wrap(&i.text, WRAP), rows));
        }
    }
    if blocks.is_empty() {
        return html! {};
    }
    let bar_w = WIDTH - VALUE_W;
    let mut y = 0.0;
    let mut parts: Vec<Markup> = Vec::new();
    for (lines, rows) in &blocks {
        y += LINE;
        let top = y;
        y += LINE * f64::from(u32::try_from(lines.len()).unwrap_or(1).saturating_sub(1));
        parts.push(html! {
            text.qs-chart-item x="0" y=(top) font-size=(FONT) {
                @for (k, l) in lines.iter().enumerate() {
                    tspan x="0" dy=(if k == 0 { 0.0 } else { LINE }) { (l) }
                }
            }
        });
        for row in rows {
            y += LINE + 2.0;
            let label_y = y;
            let bar_y = y + 4.0;
            y += BAR + 4.0;
            let w = row
                .value
                .map_or(0.0, |v| (v.approx() / 5.0 * bar_w).max(2.0));
            parts.push(html! {
                text.qs-chart-label x="0" y=(label_y) font-size=(FONT) { (row.label) }
                @if let Some(v) = row.value {
                    rect.qs-chart-track x="0" y=(bar_y) width=(format!("{bar_w:.1}")) height=(BAR) {}
                    rect.qs-chart-bar x="0" y=(bar_y) width=(format!("{w:.1}")) height=(BAR) {}
                    text.qs-chart-value x=(format!("{:.1}", w + 4.0)) y=(bar_y + BAR - 2.0) font-size=(FONT) { (v.nl(1)) }
                }
            });
        }
        y += 10.0;
    }
    let height = y;
    let title_id = format!("qs-chart-{idx}-title");
    let desc_id = format!("qs-chart-{idx}-desc");
    html! {
        figure.qs-chart {
            svg.qs-chart-svg role="img" aria-labelledby={(title_id) " " (desc_id)}
                viewBox={"0 0 " (WIDTH) " " (format!("{height:.0}"))} xmlns="http://www.w3.org/2000/svg" {
                title id=(title_id) { (t.title) ": gemiddelde per groep, per uitspraak (1 tot 5)" }
                desc id=(desc_id) { "Staafdiagram. De tabel hieronder heeft dezelfde cijfers, met de vorige meting en de vergelijking met andere organisaties." }
                @for p in &parts { (p) }
            }
            figcaption { (t.title) ": gemiddelde per groep (1 = helemaal oneens, 5 = helemaal eens). Bij elke groep staat op hoeveel antwoorden het cijfer rust (n) en hoeveel mensen ‘weet niet’ zeiden." }
        }
    }
}

/// The report's own styles (served at `/qs/static/report.css`).
pub const REPORT_CSS: &str = "
.qs-chart{margin:1rem 0 1.5rem}
.qs-chart-svg{display:block;width:100%;max-width:28rem;height:auto}
.qs-chart-item{font-weight:bold;fill:#1a1a1a}
.qs-chart-label{fill:#1a1a1a}
.qs-chart-value{fill:#1a1a1a;font-weight:bold}
.qs-chart-bar{fill:#154273}
.qs-chart-track{fill:#ececec}
.qs-summary{padding-left:1.5rem}
.qs-summary>li{margin-bottom:1rem}
.qs-summary ul{margin:.25rem 0 0;padding-left:1.25rem}
.qs-finding-head{font-weight:bold}
.qs-verdict{border-left:4px solid #154273;padding:.25rem 0 .25rem 1rem;margin:1rem 0}
.qs-verdict-attention{border-left-color:#a90061}
.qs-verdict-good{border-left-color:#39870c}
.qs-tip{background:#f3f3f3;padding:.75rem 1rem;margin:1rem 0}
.qs-tip h3{margin-top:0}
.qs-figures td{white-space:nowrap}
.qs-figures td span{display:block;font-size:.9em}
.qs-flag{display:block;font-weight:normal;font-size:.9em;margin-top:.25rem}
.table-wrap caption{position:sticky;left:0;max-width:calc(100vw - 3rem);text-align:left}
@media print{.qs-chart,.qs-tip{break-inside:avoid}}
";
