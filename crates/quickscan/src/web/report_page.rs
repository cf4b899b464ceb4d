//! The report: HTML, CSV and PDF.

use super::{
    AppError, AppState, Bar, Cell, Ctx, Group, IntoResponse, Markup, Path, READ_REPORT, Response,
    State, bar_chart, header, html, on_scan, page, pdf, report, require, store, style,
};

pub(super) async fn build_report(
    st: &AppState,
    ctx: &Ctx,
    org: &str,
    scan: i64,
) -> Result<report::Report, AppError> {
    require(ctx, org, READ_REPORT)?;
    on_scan(st, org, scan, move |c, s| {
        if !report::available(&s) {
            return Err(store::Error::State(
                "Het rapport komt beschikbaar als de vragenlijst gesloten is.".into(),
            ));
        }
        report::build(c, scan)
    })
    .await
}

pub(super) fn fmt1(v: f64) -> String {
    format!("{v:.1}").replace('.', ",")
}

pub(super) fn theme_chart(r: &report::Report, t: &report::ThemeResult, idx: usize) -> Markup {
    let bars: Vec<Bar> = r
        .shown
        .iter()
        .filter_map(|g| {
            let means: Vec<f64> = t
                .items
                .iter()
                .filter_map(|i| match i.cells.get(g) {
                    Some(Cell::Shown(d)) => d.mean,
                    _ => None,
                })
                .collect();
            (!means.is_empty()).then(|| {
                #[allow(clippy::cast_precision_loss)]
                let m = means.iter().sum::<f64>() / means.len() as f64;
                Bar {
                    label: r.group_label(*g),
                    value: m,
                    display: fmt1(m),
                    color: None,
                }
            })
        })
        .collect();
    if bars.is_empty() {
        return html! {};
    }
    bar_chart(
        webkit::Lang::Nl,
        &format!("chart-{idx}"),
        &format!("{}: gemiddelde score per groep (1–5)", t.title),
        "Gemiddelde",
        &bars,
    )
}

pub(super) async fn report_page(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    let r = build_report(&st, &ctx, &org, scan).await?;
    let base = format!("/qs/{org}/scans/{scan}");
    Ok(page(
        &ctx,
        &format!("Rapport {}", r.scan.title),
        report_body(&r, &base),
    ))
}

/// The report page's content (inside the layout); `base` is the scan's path. Public for the
/// benchmark (`examples/report_bench.rs`).
pub fn report_body(r: &report::Report, base: &str) -> Markup {
    html! {
            (style())
            h1 { "Rapport Quick Scan — " (r.org.name) }
            p { (r.scan.title) " (" (r.scan.wave.as_str()) "). Dit is een foto van hoe de groepen naar de democratie kijken, geen representatief onderzoek." }
            p.qs-noprint { a href={(base) "/rapport.pdf"} { "Download als PDF" } " · " a href={(base) "/rapport.csv"} { "Download de cijfers (CSV)" } " · " a href={(base) "/agenda"} { "Verbeteragenda" } }
            h2 { "Respons" }
            div.table-wrap role="region" aria-label="Respons per groep" tabindex="0" { table.data { caption { "Respons per groep" }
                thead { tr { th scope="col" { "Groep" } th scope="col" { "Uitgenodigd" } th scope="col" { "Ingevuld" } th scope="col" { "Waarvan op papier" } } }
                tbody { @for g in &r.groups { tr {
                    th scope="row" { (g.label) }
                    td { @if g.invited > 0 { (g.invited) } @else { "–" } }
                    td { (g.n.map_or_else(|| format!("minder dan {}", r.min_group), |n| n.to_string())) }
                    td { (g.paper.map_or_else(|| "–".to_owned(), |n| n.to_string())) }
                } } }
            } }
            p { "Een groep wordt alleen apart getoond als minstens " (r.min_group) " mensen de vragenlijst zelf invulden. Papieren vragenlijsten tellen daarvoor niet mee: wie ze invoert, kent de antwoorden." }
            @for (g, c) in &r.benchmark_counts { p { "Benchmark " (r.group_label(*g).to_lowercase()) ": " (c.total) " antwoorden uit " (r.benchmark_orgs) " organisaties, waarvan " (c.paper) " op papier." } }
            @if let Some(note) = r.suppression_note() { div.qs-suppressed role="note" { p { (note) } } }
            h2 { "Opvallende resultaten" }
            @if r.notable.is_empty() { p { "Geen opvallende resultaten volgens de regels van dit rapport." } }
            ul { @for n in &r.notable { li { strong { (n.rule.label_nl()) ": " } (n.text) } } }
            details { summary { "Hoe bepalen we wat opvalt?" }
                ul {
                    li { "Verschil tussen groepen van 1 punt of meer op de schaal van 1 tot 5." }
                    li { "30% of meer ‘weet niet / geen mening’ in een groep." }
                    li { "Gemiddelde van 2,5 of lager (laag) of 4,0 of hoger (hoog)." }
                    li { "Verschil van 0,5 punt of meer met de vorige meting." }
                }
            }
            h2 { "Verbetertips" }
            ul { @for (theme, _, tip) in &r.tips { li { strong { (theme) ": " } (tip) } } }
            @for (ti, t) in r.themes.iter().enumerate() {
                h2 id={"thema-" (t.key)} { (t.title) }
                (super::agenda::on_agenda(r, t, base))
                (theme_chart(r, t, ti))
                @if t.items.iter().any(|i| i.is_scale) && !r.shown.is_empty() {
                    div.table-wrap role="region" aria-label=(t.title) tabindex="0" { table.data {
                        caption { (t.title) ": gemiddelde (1 = helemaal oneens, 5 = helemaal eens), % eens, en n" }
                        thead { tr { th scope="col" { "Uitspraak" } @for g in &r.shown { th scope="col" { (r.group_label(*g)) } } } }
                        tbody { @for i in t.items.iter().filter(|i| i.is_scale) { tr {
                            th scope="row" { (i.text) }
                            @for g in &r.shown { td { (cell_text(i, *g, r.min_group)) } }
                        } } }
                    } }
                }
                @for i in t.items.iter().filter(|i| !i.is_scale) {
                    div.table-wrap role="region" aria-label=(i.text) tabindex="0" { table.data { caption { (i.text) }
                        thead { tr { th scope="col" { "Antwoord" } @for g in &r.shown { th scope="col" { (r.group_label(*g)) } } } }
                        tbody { @for (k, l) in i.labels.iter().enumerate() { tr { th scope="row" { (l) }
                            @for g in &r.shown { td { (match i.cells.get(g) {
                                Some(Cell::Shown(d)) => format!("{} %", (pct(d.counts[k], d.n)).round()),
                                Some(Cell::TooFew) => format!("< {}", r.min_group),
                                None => "–".into(),
                            }) } }
                        } } }
                    } }
                }
                @for rk in &t.rankings {
                    div.table-wrap role="region" aria-label=(rk.text) tabindex="0" { table.data { caption { (rk.text) " — aandeel dat dit koos" }
                        thead { tr { th scope="col" { "Onderwerp" } @for g in &r.shown { th scope="col" { (r.group_label(*g)) } } } }
                        tbody { @for (l, per) in &rk.options { tr { th scope="row" { (l) } @for g in &r.shown { td { (per.get(g).map_or("–".into(), |v| format!("{:.0} %", v * 100.0))) } } } } }
                    } }
                }
                @for (qt, answers) in &t.open {
                    h3 { (qt) }
                    p { (answers.len()) " antwoorden, in willekeurige volgorde." }
                    ul { @for a in answers { li { (a) } } }
                }
            }
            @if r.previous_title.is_some() { p { "Vergeleken met de vorige meting: " (r.previous_title.clone().unwrap_or_default()) ". Zie de CSV voor de cijfers per uitspraak." } }
            @if r.benchmark_orgs > 0 { p { "Vergelijking met " (r.benchmark_orgs) " andere organisaties staat in de CSV (kolom benchmark)." } }
            @else { p { "Een vergelijking met andere organisaties tonen we pas als minstens 5 organisaties meedoen." } }
    }
}

pub(super) fn pct(c: u64, n: u64) -> f64 {
    #[allow(clippy::cast_precision_loss)]
    let v = c as f64 * 100.0 / n.max(1) as f64;
    v
}

pub(super) fn cell_text(i: &report::ItemResult, g: Group, min: u32) -> String {
    match i.cells.get(&g) {
        Some(Cell::Shown(d)) => {
            let agree = pct(d.counts.iter().skip(3).sum(), d.n);
            let mut s = format!(
                "{} · {:.0} % eens · n={}",
                d.mean.map_or("–".into(), fmt1),
                agree,
                d.n
            );
            if let Some(p) = i.previous.get(&g) {
                s.push_str(" · vorige ");
                s.push_str(&fmt1(*p));
            }
            if let Some(b) = i.benchmark.get(&g) {
                s.push_str(" · elders ");
                s.push_str(&fmt1(*b));
            }
            s
        }
        Some(Cell::TooFew) => format!("< {min} antwoorden"),
        None => "–".into(),
    }
}

pub(super) async fn report_csv(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let r = build_report(&st, &ctx, &org, scan).await?;
    Ok(webkit::layout::csv_response(
        &format!("quickscan-{scan}.csv"),
        report::to_csv(&r),
    ))
}

pub(super) async fn report_pdf(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let r = build_report(&st, &ctx, &org, scan).await?;
    let bytes = pdf::report_pdf(&r);
    Ok((
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"quickscan-{scan}.pdf\""),
            ),
        ],
        bytes,
    )
        .into_response())
}
