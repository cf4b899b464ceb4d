//! The report's layout: the same content as the HTML report (`web/report_page.rs`), in the
//! same order, read from [`Report`] only. Suppressed groups are absent from the model, so
//! they cannot leak into the PDF; every figure and its rounding comes from the model
//! ([`Exact::nl`]), nothing is computed here.

use super::chart::{self, AXIS_H, Bar, Block};
use super::layout::{BODY, LEADING, Layout, MARGIN_BOTTOM, MARGIN_TOP, SMALL, Table, TextRun};
use super::text::Font;
use super::writer::PAGE_H;
use crate::model::Group;
use crate::report::{
    self as model, Cell, Exact, Finding, ItemResult, Report, ThemeResult, Verdict,
};
use std::fmt::Write as _;

/// "4,3 (n = 6)".
fn mean_n(m: Exact) -> String {
    format!("{}\u{a0}(n\u{a0}=\u{a0}{})", m.nl(1), m.den)
}

/// A scale statement's figures for one group: mean, n, "weet niet" apart, % eens, previous
/// wave and benchmark — as the HTML table.
fn figures_cell(r: &Report, i: &ItemResult, g: Group) -> String {
    match i.cells.get(&g) {
        Some(Cell::Shown(d)) => {
            let mut s = format!(
                "{} · n\u{a0}=\u{a0}{} · weet niet\u{a0}{}",
                d.mean.map_or_else(|| "–".to_owned(), |m| m.nl(1)),
                d.answered(),
                d.dont_know
            );
            if let Some(a) = d.agree() {
                let _ = write!(s, " · {}\u{a0}% eens", a.nl(0));
            }
            if let Some(p) = i.previous.get(&g) {
                let _ = write!(s, " · vorige {}", mean_n(*p));
            }
            if let Some(b) = i.benchmark.get(&g) {
                let _ = write!(s, " · elders {}", mean_n(b.mean));
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

/// Bars per scale statement of a theme, one per shown group (as the HTML chart).
fn theme_blocks(r: &Report, t: &ThemeResult) -> Vec<Block> {
    t.items
        .iter()
        .filter(|i| i.is_scale)
        .filter_map(|i| {
            let bars: Vec<Bar> = r
                .shown
                .iter()
                .enumerate()
                .filter_map(|(k, g)| {
                    let (value, text) = match i.cells.get(g)? {
                        Cell::Shown(d) => (
                            d.mean,
                            format!(
                                "{} (n = {}; weet niet {})",
                                d.mean.map_or_else(|| "–".to_owned(), |m| m.nl(1)),
                                d.answered(),
                                d.dont_know
                            ),
                        ),
                        Cell::TooFew => (None, format!("minder dan {} antwoorden", r.min_group)),
                    };
                    Some(Bar {
                        label: r.group_label(*g),
                        colour: k,
                        value: value.map(Exact::approx),
                        text,
                    })
                })
                .collect();
            bars.iter().any(|b| b.value.is_some()).then(|| Block {
                title: i.text.clone(),
                bars,
            })
        })
        .collect()
}

/// The alternative text of a chart: what it shows and every value.
fn chart_alt(theme: &str, blocks: &[Block]) -> String {
    let mut s = format!(
        "Staafdiagram {theme}: gemiddelde per groep, per uitspraak, van 1 (helemaal oneens) tot 5 (helemaal eens)."
    );
    for b in blocks {
        let vals: Vec<String> = b
            .bars
            .iter()
            .map(|bar| format!("{} {}", bar.label.to_lowercase(), bar.text))
            .collect();
        let _ = write!(
            s,
            " {}: {}.",
            b.title.trim_end_matches('.'),
            vals.join(", ")
        );
    }
    s
}

/// The theme's charts, split into as few figures as fit on pages (usually one); `keep` is
/// the height of the first, for keeping the theme's heading with it.
fn chart_chunks(r: &Report, t: &ThemeResult) -> Vec<Vec<Block>> {
    let blocks = theme_blocks(r, t);
    let page_body = PAGE_H - MARGIN_TOP - MARGIN_BOTTOM - 60.0;
    let mut chunks: Vec<Vec<Block>> = Vec::new();
    let mut h = 0.0;
    for b in blocks {
        let bh = chart::block_height(&b);
        match chunks.last_mut() {
            Some(last) if h + bh <= page_body => {
                h += bh;
                last.push(b);
            }
            _ => {
                h = AXIS_H + bh;
                chunks.push(vec![b]);
            }
        }
    }
    chunks
}

fn chunk_height(chunk: &[Block]) -> f64 {
    chunk.iter().map(chart::block_height).sum::<f64>() + AXIS_H
}

fn charts(p: &mut Layout, t: &ThemeResult, chunks: Vec<Vec<Block>>) {
    for chunk in chunks {
        p.figure(
            &chart_alt(&t.title, &chunk),
            chunk_height(&chunk),
            |c, top| {
                let mut y = top;
                for b in &chunk {
                    chart::draw_block(c, y, b);
                    y -= chart::block_height(b);
                }
                chart::draw_axis(c, y);
            },
        );
    }
}

/// One finding of the summary: the statement, the headline rule, the other rules, and the
/// figures per group.
fn finding(r: &Report, f: &Finding) -> Vec<(Font, String)> {
    let mut out = vec![
        (Font::Bold, format!("{} — “{}”", f.theme_title, f.item_text)),
        (
            Font::Regular,
            format!("{}: {}", f.signals[0].kind.label_nl(), f.signals[0].text),
        ),
    ];
    if f.signals.len() > 1 {
        let also: Vec<String> = f
            .signals
            .iter()
            .skip(1)
            .map(|s| s.kind.label_nl().to_lowercase())
            .collect();
        out.push((
            Font::Regular,
            format!("Ook: {}. De cijfers per groep:", also.join(", ")),
        ));
    }
    for g in &f.groups {
        let mut s = format!(
            "{}: {}, weet niet {}",
            g.label,
            g.mean.map_or_else(|| "geen gemiddelde".to_owned(), mean_n),
            g.dont_know
        );
        if let Some(p) = g.previous {
            let _ = write!(s, ", vorige meting {}", mean_n(p));
        }
        if let Some(b) = g.benchmark {
            let _ = write!(s, ", elders {}", mean_n(b));
        }
        out.push((Font::Regular, format!("– {s}")));
    }
    if r.shown.len() > f.groups.len() {
        out.push((
            Font::Regular,
            format!(
                "Groepen met minder dan {} antwoorden op deze vraag staan er niet bij.",
                r.min_group
            ),
        ));
    }
    out
}

fn summary(p: &mut Layout, r: &Report) {
    p.heading(2, "Samenvatting: wat valt het meest op");
    if r.summary.is_empty() {
        p.para("Geen uitspraak valt op volgens de regels van dit rapport.");
    } else {
        if r.findings_total > r.summary.len() {
            p.para(&format!(
                "De {} sterkste van {} opvallende uitspraken, de sterkste eerst. De andere staan bij hun thema. Bij elke uitkomst staan de cijfers per groep.",
                r.summary.len(),
                r.findings_total
            ));
        } else {
            p.para(&format!(
                "{} opvallende uitspraken, de sterkste eerst. Bij elke uitkomst staan de cijfers per groep.",
                r.summary.len()
            ));
        }
        let items: Vec<Vec<(Font, String)>> = r.summary.iter().map(|f| finding(r, f)).collect();
        p.rich_list(&items, true);
    }
    p.heading(3, "Hoe bepalen we wat opvalt, en de volgorde?");
    p.para("Elke regel geeft een sterkte in punten op de schaal van 1 tot 5. De sterkste komt bovenaan. Bij gelijke sterkte gaat de regel die hoger in deze lijst staat voor.");
    p.list(&[
        "Groepen verschillen: het hoogste en laagste groepsgemiddelde liggen 1 punt of meer uit elkaar. Sterkte: het verschil.".into(),
        "Lage score: een groep geeft gemiddeld 2,5 of minder. Sterkte: hoe ver onder het midden (3) dat ligt.".into(),
        "Hoge score: een groep geeft gemiddeld 4,0 of meer. Sterkte: hoe ver boven het midden (3) dat ligt.".into(),
        "Veel ‘weet niet’: in een groep zegt 30 % of meer ‘weet niet / geen mening’. Sterkte: dat aandeel maal 4 (de breedte van de schaal), dus 30 % telt als 1,2 punt.".into(),
        "Veranderd: een groep geeft 0,5 punt of meer anders dan in de vorige meting. Sterkte: de verandering.".into(),
    ]);
}

fn response(p: &mut Layout, r: &Report) {
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
        caption: Some("Respons per groep"),
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
        "Een groep wordt alleen apart getoond als minstens {} mensen de vragenlijst zelf invulden. Papieren vragenlijsten tellen daarvoor niet mee: wie ze invoert, kent de antwoorden.",
        r.min_group
    ));
    if let Some(n) = r.suppression_note() {
        p.para(&n);
    }
    if let Some(t) = &r.previous_title {
        p.para(&format!(
            "Vergeleken met de vorige meting: {t}. Bij elk cijfer staat het cijfer van toen (‘vorige’)."
        ));
    }
    if r.benchmark_orgs > 0 {
        p.para(&format!(
            "Vergeleken met {} andere organisaties (‘elders’).",
            r.benchmark_orgs
        ));
        for (g, c) in &r.benchmark_counts {
            p.para(&format!(
                "Vergelijking {}: {} antwoorden uit andere organisaties, waarvan {} op papier.",
                r.group_label(*g).to_lowercase(),
                c.total,
                c.paper
            ));
        }
    } else {
        p.para(&format!(
            "Een vergelijking met andere organisaties tonen we pas als minstens {} organisaties meedoen.",
            model::BENCHMARK_MIN_ORGS
        ));
    }
}

#[allow(clippy::too_many_lines)]
fn theme(p: &mut Layout, r: &Report, t: &ThemeResult) {
    let verdict = format!("Oordeel: {}.", t.verdict.verdict.label_nl());
    let chunks = chart_chunks(r, t);
    // the heading stays with the verdict and the chart (or, without one, the first table)
    let keep = Layout::para_height(&verdict, Font::Bold, BODY)
        + Layout::para_height(&t.verdict.reason, Font::Regular, BODY)
        + chunks.first().map_or(8.0 * BODY, |c| chunk_height(c));
    p.heading_keep(2, &t.title, keep);
    // a theme without scale statements (the priorities) has no verdict
    let judged = t.verdict.verdict != Verdict::NoScale;
    if judged {
        p.para_styled(&verdict, Font::Bold, BODY);
        p.para(&t.verdict.reason);
    }
    if judged && !t.scores.is_empty() {
        let scores: Vec<String> = t
            .scores
            .iter()
            .map(|(g, s)| {
                format!(
                    "{} {}, weet niet {}",
                    r.group_label(*g).to_lowercase(),
                    s.mean.map_or_else(|| "–".to_owned(), mean_n),
                    s.dont_know
                )
            })
            .collect();
        p.para(&format!("Themascore: {}.", scores.join("; ")));
    }
    let has_chart = !chunks.is_empty();
    charts(p, t, chunks);
    if has_chart {
        p.para_styled(
            &format!("{}: gemiddelde per groep (1 = helemaal oneens, 5 = helemaal eens). Bij elke groep staat op hoeveel antwoorden het cijfer rust (n) en hoeveel mensen ‘weet niet’ zeiden.", t.title),
            Font::Regular,
            SMALL,
        );
    }
    let w = widths(r, 0.31);
    if t.items.iter().any(|i| i.is_scale) && !r.shown.is_empty() {
        let mut caption = format!("{}: gemiddelde (1 tot 5), n, ‘weet niet’, % eens", t.title);
        if r.previous_title.is_some() {
            caption.push_str(", vorige meting");
        }
        if r.benchmark_orgs > 0 {
            caption.push_str(", elders");
        }
        let rows: Vec<Vec<String>> = t
            .items
            .iter()
            .filter(|i| i.is_scale)
            .map(|i| {
                let mut head = i.text.clone();
                if !i.signals.is_empty() {
                    let kinds: Vec<String> = i
                        .signals
                        .iter()
                        .map(|s| s.kind.label_nl().to_lowercase())
                        .collect();
                    let _ = write!(head, " Valt op: {}.", kinds.join(", "));
                }
                std::iter::once(head)
                    .chain(r.shown.iter().map(|g| figures_cell(r, i, *g)))
                    .collect()
            })
            .collect();
        p.table(&Table {
            caption: Some(&caption),
            header: &group_header(r, "Uitspraak"),
            rows: &rows,
            widths: &w,
            row_headers: true,
        });
    }
    // without a shown group, a table would hold labels only
    let tables = !r.shown.is_empty();
    for i in t.items.iter().filter(|i| tables && !i.is_scale) {
        let mut rows: Vec<Vec<String>> = i
            .labels
            .iter()
            .enumerate()
            .map(|(k, l)| {
                std::iter::once(l.clone())
                    .chain(r.shown.iter().map(|g| {
                        match i.cells.get(g) {
                            Some(Cell::Shown(d)) => d
                                .share(k)
                                .map_or_else(|| "–".into(), |s| format!("{}\u{a0}%", s.nl(0))),
                            Some(Cell::TooFew) => format!("minder dan {} antwoorden", r.min_group),
                            None => "–".into(),
                        }
                    }))
                    .collect()
            })
            .collect();
        rows.push(
            std::iter::once("n".to_owned())
                .chain(r.shown.iter().map(|g| match i.cells.get(g) {
                    Some(Cell::Shown(d)) => d.n.to_string(),
                    _ => "–".into(),
                }))
                .collect(),
        );
        p.table(&Table {
            caption: Some(&format!("{} (aandeel van alle antwoorden, met n)", i.text)),
            header: &group_header(r, "Antwoord"),
            rows: &rows,
            widths: &w,
            row_headers: true,
        });
    }
    for rk in t.rankings.iter().filter(|_| tables) {
        let mut rows: Vec<Vec<String>> = rk
            .options
            .iter()
            .map(|(l, per)| {
                std::iter::once(l.clone())
                    .chain(r.shown.iter().map(|g| {
                        per.get(g)
                            .map_or_else(|| "–".into(), |v| format!("{}\u{a0}%", v.nl(0)))
                    }))
                    .collect()
            })
            .collect();
        rows.push(
            std::iter::once("n".to_owned())
                .chain(
                    r.shown
                        .iter()
                        .map(|g| rk.n.get(g).map_or_else(|| "–".into(), u64::to_string)),
                )
                .collect(),
        );
        p.table(&Table {
            caption: Some(&format!("{} — aandeel dat dit koos, met n", rk.text)),
            header: &group_header(r, "Onderwerp"),
            rows: &rows,
            widths: &w,
            row_headers: true,
        });
    }
    if let Some(tip) = &t.verdict.tip {
        p.heading(3, &format!("Tip bij {}", t.title.to_lowercase()));
        p.para(tip);
    } else if let Some(other) = &t.verdict.tip_same_as {
        p.heading(3, &format!("Tip bij {}", t.title.to_lowercase()));
        p.para(&format!("Dezelfde tip als bij {other}."));
    }
    for o in &t.open {
        // kept with the first group's heading and answers
        p.heading_keep(3, &o.question, 6.0 * BODY * LEADING);
        if o.groups.is_empty() {
            p.para("Geen open antwoorden om te tonen.");
        }
        for (g, answers) in &o.groups {
            p.heading(
                4,
                &format!(
                    "{} ({} antwoorden, in willekeurige volgorde)",
                    r.group_label(*g),
                    answers.len()
                ),
            );
            p.list(answers);
        }
        for note in r.hidden_notes(o) {
            p.para(&note);
        }
    }
}

/// The appendix: per scale statement the share of every answer per group, with n.
fn appendix(p: &mut Layout, r: &Report) {
    p.heading(2, "Bijlage: verdeling van de antwoorden");
    if r.shown.is_empty() {
        p.para("Geen groep heeft genoeg antwoorden om de verdeling te tonen.");
        return;
    }
    p.para("Per uitspraak het aandeel van elk antwoord per groep, van alle antwoorden op die vraag (n, ‘weet niet’ meegeteld).");
    let w = widths(r, 0.31);
    for t in &r.themes {
        for i in t.items.iter().filter(|i| i.is_scale) {
            let mut labels = i.labels.clone();
            labels.push("Weet niet / geen mening".into());
            let mut rows: Vec<Vec<String>> = labels
                .iter()
                .enumerate()
                .map(|(k, l)| {
                    std::iter::once(l.clone())
                        .chain(r.shown.iter().map(|g| match i.cells.get(g) {
                            Some(Cell::Shown(d)) => {
                                let share = if k < d.counts.len() {
                                    d.share(k)
                                } else {
                                    d.dont_know_share()
                                };
                                share.map_or_else(|| "–".into(), |s| format!("{}\u{a0}%", s.nl(0)))
                            }
                            Some(Cell::TooFew) => format!("minder dan {}", r.min_group),
                            None => "–".into(),
                        }))
                        .collect()
                })
                .collect();
            rows.push(
                std::iter::once("n".to_owned())
                    .chain(r.shown.iter().map(|g| match i.cells.get(g) {
                        Some(Cell::Shown(d)) => d.n.to_string(),
                        _ => "–".into(),
                    }))
                    .collect(),
            );
            p.table(&Table {
                caption: Some(&format!("{} — {}", t.title, i.text)),
                header: &group_header(r, "Antwoord"),
                rows: &rows,
                widths: &w,
                row_headers: true,
            });
        }
    }
}

/// The report as PDF bytes.
pub fn report_pdf(r: &Report) -> Vec<u8> {
    render(r).0
}

/// The report as PDF bytes, with every text run as laid out (for tests).
pub fn render(r: &Report) -> (Vec<u8>, Vec<TextRun>) {
    let mut p = Layout::new();
    let title = format!("Rapport Quick Scan — {}", r.org.name);
    p.heading(1, &title);
    p.para(&r.status_line());
    p.para(&format!(
        "{} ({}). Dit is een foto van hoe de groepen naar de democratie kijken, geen representatief onderzoek.",
        r.scan.title,
        r.scan.wave.as_str()
    ));
    summary(&mut p, r);
    response(&mut p, r);
    p.heading(2, "Zo leest u de cijfers");
    p.list(&r.legend());
    for t in &r.themes {
        p.begin_section();
        theme(&mut p, r, t);
        p.end_section();
    }
    p.begin_section();
    appendix(&mut p, r);
    p.end_section();
    p.para_styled(
        "Gemaakt met Stembus Quick Scan. De cijfers in dit rapport zijn dezelfde als in het rapport op de website en in de CSV-bestanden.",
        Font::Regular,
        SMALL,
    );
    p.finish(&title)
}
