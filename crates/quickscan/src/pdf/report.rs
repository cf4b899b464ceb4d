//! The report's layout: the same content as the HTML report, read from [`Report`] only
//! (suppressed groups are absent from the model, so they cannot leak into the PDF). Nothing
//! is computed here beyond formatting.

use super::chart::{self, AXIS_H, Bar, Block};
use super::layout::{Layout, MARGIN_BOTTOM, MARGIN_TOP, SMALL, Table, TextRun};
use super::text::Font;
use super::writer::PAGE_H;
use crate::model::Group;
use crate::report::{Cell, ItemResult, Report, ThemeResult};
use std::fmt::Write as _;

/// A number with one decimal and a decimal comma, rounded half away from zero (4,25 → 4,3).
fn dec1(v: f64) -> String {
    let r = (v * 10.0).round() / 10.0;
    format!("{r:.1}").replace('.', ",")
}

/// A share as a whole percentage, rounded half away from zero.
fn pct(c: u64, n: u64) -> String {
    if n == 0 {
        return "–".into();
    }
    #[allow(clippy::cast_precision_loss)]
    let v = (c as f64 * 100.0 / n as f64).round();
    format!("{v:.0} %")
}

/// The text of a scale cell: mean, n (answers used) and "weet niet" apart, previous wave
/// and benchmark.
fn scale_cell(r: &Report, i: &ItemResult, g: Group) -> String {
    match i.cells.get(&g) {
        Some(Cell::Shown(d)) => {
            let used = d.n - d.dont_know;
            let mut s = format!(
                "{} (n={used}; weet niet {})",
                d.mean.map_or_else(|| "–".into(), dec1),
                d.dont_know
            );
            if let Some(p) = i.previous.get(&g) {
                let _ = write!(s, "; vorige meting {}", dec1(*p));
            }
            if let Some(b) = i.benchmark.get(&g) {
                let _ = write!(s, "; elders {}", dec1(*b));
            }
            s
        }
        Some(Cell::TooFew) => format!("minder dan {} antwoorden", r.min_group),
        None => "–".into(),
    }
}

fn group_header(r: &Report, first: &str) -> Vec<String> {
    std::iter::once(first.to_owned())
        .chain(r.shown.iter().map(|g| r.group_label(*g)))
        .collect()
}

fn widths(r: &Report, first: f64) -> Vec<f64> {
    #[allow(clippy::cast_precision_loss)]
    let each = (1.0 - first) / r.shown.len().max(1) as f64;
    std::iter::once(first)
        .chain(r.shown.iter().map(|_| each))
        .collect()
}

/// Bars per scale statement of a theme, one per shown group.
fn theme_blocks(r: &Report, t: &ThemeResult) -> Vec<Block> {
    t.items
        .iter()
        .filter(|i| i.is_scale)
        .map(|i| Block {
            title: i.text.clone(),
            bars: r
                .shown
                .iter()
                .enumerate()
                .map(|(k, g)| {
                    let (value, text) = match i.cells.get(g) {
                        Some(Cell::Shown(d)) => (
                            d.mean,
                            d.mean.map_or_else(
                                || format!("geen score (n={})", d.n - d.dont_know),
                                |m| format!("{} (n={})", dec1(m), d.n - d.dont_know),
                            ),
                        ),
                        _ => (None, format!("minder dan {} antwoorden", r.min_group)),
                    };
                    Bar {
                        label: r.group_label(*g),
                        colour: k,
                        value,
                        text,
                    }
                })
                .collect(),
        })
        .collect()
}

/// The alternative text of a chart: what it shows and every value.
fn chart_alt(theme: &str, blocks: &[Block]) -> String {
    let mut s = format!(
        "Staafdiagram {theme}: gemiddelde score per groep op een schaal van 1 (helemaal oneens) tot 5 (helemaal eens)."
    );
    for b in blocks {
        let vals: Vec<String> = b
            .bars
            .iter()
            .map(|bar| format!("{} {}", bar.label.to_lowercase(), bar.text))
            .collect();
        let _ = write!(s, " {}: {}.", b.title, vals.join(", "));
    }
    s
}

/// The theme's charts: as few figures as fit on pages (usually one).
fn charts(p: &mut Layout, r: &Report, t: &ThemeResult) {
    let blocks = theme_blocks(r, t);
    if blocks.is_empty() || r.shown.is_empty() {
        return;
    }
    let page_body = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 40.0;
    let mut chunks: Vec<Vec<Block>> = vec![Vec::new()];
    let mut h = AXIS_H;
    for b in blocks {
        let bh = chart::block_height(&b);
        let last = chunks.last_mut().expect("one chunk");
        if !last.is_empty() && h + bh > page_body {
            chunks.push(vec![b]);
            h = AXIS_H + bh;
        } else {
            h += bh;
            last.push(b);
        }
    }
    for chunk in chunks {
        let height: f64 = chunk.iter().map(chart::block_height).sum::<f64>() + AXIS_H;
        p.figure(&chart_alt(&t.title, &chunk), height, |c, top| {
            let mut y = top;
            for b in &chunk {
                chart::draw_block(c, y, b);
                y -= chart::block_height(b);
            }
            chart::draw_axis(c, y, top);
        });
    }
}

/// The report as PDF bytes.
pub fn report_pdf(r: &Report) -> Vec<u8> {
    render(r).0
}

/// The report as PDF bytes, with every text run as laid out (for tests).
#[allow(clippy::too_many_lines)]
pub fn render(r: &Report) -> (Vec<u8>, Vec<TextRun>) {
    let mut p = Layout::new();
    let title = format!("Quick Scan Lokale Democratie — {}", r.org.name);
    p.heading(1, &title);
    p.para(&format!(
        "{} ({}). Dit rapport is een foto van hoe raad, college, ambtenaren en inwoners naar de lokale democratie kijken. Het is geen representatief onderzoek.",
        r.scan.title,
        r.scan.wave.as_str()
    ));

    p.heading(2, "Respons");
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
    p.table(&Table {
        header: &[
            "Groep".into(),
            "Uitgenodigd".into(),
            "Ingevuld".into(),
            "Waarvan op papier".into(),
        ],
        rows: &rows,
        widths: &[0.4, 0.2, 0.2, 0.2],
        row_headers: true,
    });
    p.para(&format!(
        "Een groep wordt alleen apart getoond als minstens {} mensen de vragenlijst zelf invulden. Papieren vragenlijsten tellen daarvoor niet mee.",
        r.min_group
    ));
    if let Some(n) = r.suppression_note() {
        p.para(&n);
    }

    p.heading(2, "Opvallende resultaten");
    if r.notable.is_empty() {
        p.para("Er zijn geen opvallende resultaten volgens de regels van dit rapport.");
    }
    let items: Vec<String> = r
        .notable
        .iter()
        .map(|n| format!("{}: {}", n.rule.label_nl(), n.text))
        .collect();
    p.list(&items);

    p.heading(2, "Verbetertips");
    let tips: Vec<String> = r
        .tips
        .iter()
        .map(|(theme, _, tip)| format!("{theme}: {tip}"))
        .collect();
    if tips.is_empty() {
        p.para("Er zijn geen verbetertips volgens de regels van dit rapport.");
    }
    p.list(&tips);

    p.heading(2, "Vorige meting en vergelijking met andere organisaties");
    match &r.previous_title {
        Some(t) => p.para(&format!(
            "Vergeleken met de vorige meting: {t}. Per uitspraak staat de score van de vorige meting in de tabellen (‘vorige meting’), waar beide metingen genoeg antwoorden hebben."
        )),
        None => p.para("Dit is de eerste meting; er is geen vorige meting om mee te vergelijken."),
    }
    if r.benchmark_orgs > 0 {
        p.para(&format!(
            "Vergelijking met {} andere organisaties: hun gemiddelde staat in de tabellen als ‘elders’.",
            r.benchmark_orgs
        ));
        for (g, c) in &r.benchmark_counts {
            p.para(&format!(
                "Benchmark {}: {} antwoorden uit {} organisaties, waarvan {} op papier.",
                r.group_label(*g).to_lowercase(),
                c.total,
                r.benchmark_orgs,
                c.paper
            ));
        }
    } else {
        p.para("Een vergelijking met andere organisaties tonen we pas als minstens 5 organisaties meedoen.");
    }

    let header = group_header(r, "Uitspraak");
    let w = widths(r, 0.36);
    for t in &r.themes {
        p.heading(2, &t.title);
        charts(&mut p, r, t);
        let rows: Vec<Vec<String>> = t
            .items
            .iter()
            .filter(|i| i.is_scale)
            .map(|i| {
                std::iter::once(i.text.clone())
                    .chain(r.shown.iter().map(|g| scale_cell(r, i, *g)))
                    .collect()
            })
            .collect();
        if !rows.is_empty() && !r.shown.is_empty() {
            p.para_styled(
                "Gemiddelde score van 1 (helemaal oneens) tot 5 (helemaal eens). n is het aantal antwoorden waarop het gemiddelde rust; ‘weet niet’ staat daar apart naast.",
                Font::Regular,
                SMALL,
            );
            p.table(&Table {
                header: &header,
                rows: &rows,
                widths: &w,
                row_headers: true,
            });
        }
        for i in t.items.iter().filter(|i| !i.is_scale) {
            p.para_styled(&i.text, Font::Bold, SMALL);
            let rows: Vec<Vec<String>> = i
                .labels
                .iter()
                .enumerate()
                .map(|(k, l)| {
                    std::iter::once(l.clone())
                        .chain(r.shown.iter().map(|g| match i.cells.get(g) {
                            Some(Cell::Shown(d)) => format!(
                                "{} ({} van {})",
                                pct(d.counts.get(k).copied().unwrap_or(0), d.n),
                                d.counts.get(k).copied().unwrap_or(0),
                                d.n
                            ),
                            Some(Cell::TooFew) => format!("minder dan {} antwoorden", r.min_group),
                            None => "–".into(),
                        }))
                        .collect()
                })
                .collect();
            p.table(&Table {
                header: &group_header(r, "Antwoord"),
                rows: &rows,
                widths: &w,
                row_headers: true,
            });
        }
        for rk in &t.rankings {
            p.para_styled(
                &format!("{} — aandeel dat dit koos", rk.text),
                Font::Bold,
                SMALL,
            );
            let mut rows: Vec<Vec<String>> = rk
                .options
                .iter()
                .map(|(l, per)| {
                    std::iter::once(l.clone())
                        .chain(r.shown.iter().map(|g| {
                            per.get(g).map_or_else(
                                || "–".into(),
                                |v| format!("{:.0} %", (v * 100.0).round()),
                            )
                        }))
                        .collect()
                })
                .collect();
            rows.push(
                std::iter::once("Aantal antwoorden (n)".to_owned())
                    .chain(
                        r.shown
                            .iter()
                            .map(|g| rk.n.get(g).map_or_else(|| "–".into(), u64::to_string)),
                    )
                    .collect(),
            );
            p.table(&Table {
                header: &group_header(r, "Onderwerp"),
                rows: &rows,
                widths: &w,
                row_headers: true,
            });
        }
        for (q, answers) in &t.open {
            p.heading(3, q);
            p.para(&format!(
                "{} antwoorden, in willekeurige volgorde.",
                answers.len()
            ));
            p.list(answers);
        }
    }

    p.heading(2, "Bijlage: verdeling van de antwoorden");
    p.para("Per uitspraak het aandeel van de antwoorden per groep, met het aantal.");
    for t in &r.themes {
        for i in t.items.iter().filter(|i| i.is_scale) {
            p.para_styled(&i.text, Font::Bold, SMALL);
            let mut labels = i.labels.clone();
            labels.push("Weet niet / geen mening".into());
            let rows: Vec<Vec<String>> = labels
                .iter()
                .enumerate()
                .map(|(k, l)| {
                    std::iter::once(l.clone())
                        .chain(r.shown.iter().map(|g| match i.cells.get(g) {
                            Some(Cell::Shown(d)) => {
                                let c = d.counts.get(k).copied().unwrap_or(d.dont_know);
                                format!("{} ({c} van {})", pct(c, d.n), d.n)
                            }
                            Some(Cell::TooFew) => format!("minder dan {}", r.min_group),
                            None => "–".into(),
                        }))
                        .collect()
                })
                .collect();
            p.table(&Table {
                header: &group_header(r, "Antwoord"),
                rows: &rows,
                widths: &w,
                row_headers: true,
            });
        }
    }
    p.finish(&title)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn decimals_round_half_away_from_zero() {
        assert_eq!(dec1(4.25), "4,3");
        assert_eq!(dec1(3.0), "3,0");
        assert_eq!(dec1(2.04), "2,0");
        assert_eq!(pct(1, 8), "13 %");
        assert_eq!(pct(0, 0), "–");
    }
}
