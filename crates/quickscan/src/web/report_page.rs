//! The report: HTML, CSV (two forms) and PDF. Every figure comes from the [`report::Report`]
//! model; this file only lays it out.

use super::report_chart::{REPORT_CSS, theme_chart};
use super::{
    AppError, AppState, Ctx, Group, IntoResponse, Markup, Path, READ_REPORT, Response, State,
    header, html, on_scan, page, pdf, report, require, store, style,
};
use crate::csv::{Dialect, report_csv as csv_text};
use crate::report::{Cell, Exact, Finding, ItemResult, Report, ThemeResult, Verdict};

pub(super) async fn build_report(
    st: &AppState,
    ctx: &Ctx,
    org: &str,
    scan: i64,
) -> Result<report::Report, AppError> {
    require(ctx, org, READ_REPORT)?;
    super::review::require_established(st, ctx, org, scan).await?;
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

pub(super) async fn report_css() -> Response {
    super::css_response(REPORT_CSS)
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

/// "4,3 (n = 6)", with non-breaking spaces.
fn mean_n(m: Exact) -> String {
    format!("{} (n\u{a0}=\u{a0}{})", m.nl(1), m.den)
}

fn finding(r: &Report, f: &Finding) -> Markup {
    html! {
        li {
            p.qs-finding-head { (f.theme_title) " — “" (f.item_text) "”" }
            p { strong { (f.signals[0].kind.label_nl()) ": " } (f.signals[0].text) }
            @if f.signals.len() > 1 {
                p { "Ook: "
                    @for (k, s) in f.signals.iter().skip(1).enumerate() {
                        @if k > 0 { ", " }
                        (s.kind.label_nl().to_lowercase())
                    }
                    ". De cijfers per groep:"
                }
            }
            ul { @for g in &f.groups { li {
                (g.label) ": "
                (g.mean.map_or_else(|| "geen gemiddelde".to_owned(), mean_n))
                ", weet niet " (g.dont_know)
                @if let Some(p) = g.previous { ", vorige meting " (mean_n(p)) }
                @if let Some(b) = g.benchmark { ", elders " (mean_n(b)) }
            } } }
            @if r.shown.len() > f.groups.len() { p { "Groepen met minder dan " (r.min_group) " antwoorden op deze vraag staan er niet bij." } }
        }
    }
}

fn summary(r: &Report) -> Markup {
    html! {
        section aria-labelledby="samenvatting" {
            h2 #samenvatting { "Samenvatting: wat valt het meest op" }
            @if r.summary.is_empty() {
                p { "Geen uitspraak valt op volgens de regels van dit rapport." }
            } @else {
                @if r.findings_total > r.summary.len() {
                    p { "De " (r.summary.len()) " sterkste van " (r.findings_total)
                        " opvallende uitspraken, de sterkste eerst. De andere staan bij hun thema. Bij elke uitkomst staan de cijfers per groep." }
                } @else {
                    p { (r.summary.len()) " opvallende uitspraken, de sterkste eerst. Bij elke uitkomst staan de cijfers per groep." }
                }
                ol.qs-summary { @for f in &r.summary { (finding(r, f)) } }
            }
            details { summary { "Hoe bepalen we wat opvalt, en de volgorde?" }
                p { "Elke regel geeft een sterkte in punten op de schaal van 1 tot 5. De sterkste komt bovenaan. Bij gelijke sterkte gaat de regel die hoger in deze lijst staat voor." }
                ul {
                    li { "Groepen verschillen: het hoogste en laagste groepsgemiddelde liggen 1 punt of meer uit elkaar. Sterkte: het verschil." }
                    li { "Lage score: een groep geeft gemiddeld 2,5 of minder. Sterkte: hoe ver onder het midden (3) dat ligt." }
                    li { "Hoge score: een groep geeft gemiddeld 4,0 of meer. Sterkte: hoe ver boven het midden (3) dat ligt." }
                    li { "Veel ‘weet niet’: in een groep zegt 30 % of meer ‘weet niet / geen mening’. Sterkte: dat aandeel maal 4 (de breedte van de schaal), dus 30 % telt als 1,2 punt." }
                    li { "Veranderd: een groep geeft 0,5 punt of meer anders dan in de vorige meting. Sterkte: de verandering." }
                }
            }
        }
    }
}

fn figures_cell(i: &ItemResult, g: Group, min: u32) -> Markup {
    match i.cells.get(&g) {
        Some(Cell::Shown(d)) => html! {
            (d.mean.map_or_else(|| "–".to_owned(), |m| m.nl(1)))
            span { "n\u{a0}=\u{a0}" (d.answered()) }
            span { "weet niet " (d.dont_know) }
            @if let Some(a) = d.agree() { span { (a.nl(0)) " % eens" } }
            @if let Some(p) = i.previous.get(&g) { span { "vorige " (mean_n(*p)) } }
            @if let Some(b) = i.benchmark.get(&g) { span { "elders " (mean_n(b.mean)) } }
        },
        Some(Cell::TooFew) => html! { "minder dan " (min) " antwoorden" },
        None => html! { "–" },
    }
}

fn verdict_class(v: Verdict) -> &'static str {
    match v {
        Verdict::Attention => "qs-verdict qs-verdict-attention",
        Verdict::Good => "qs-verdict qs-verdict-good",
        _ => "qs-verdict",
    }
}

fn theme(r: &Report, t: &ThemeResult, ti: usize, base: &str) -> Markup {
    let id = format!("thema-{}", t.key);
    html! {
        section aria-labelledby=(id) {
            h2 id=(id) { (t.title) }
            (super::agenda::on_agenda(r, t, base))
            @if t.verdict.verdict != Verdict::NoScale { div class=(verdict_class(t.verdict.verdict)) {
                p { strong { "Oordeel: " (t.verdict.verdict.label_nl()) "." } " " (t.verdict.reason) }
                @if !t.scores.is_empty() {
                    p { "Themascore: "
                        @for (k, (g, s)) in t.scores.iter().enumerate() {
                            @if k > 0 { "; " }
                            (r.group_label(*g).to_lowercase()) " "
                            (s.mean.map_or_else(|| "–".to_owned(), mean_n))
                            ", weet niet " (s.dont_know)
                        }
                        "."
                    }
                }
            } }
            (theme_chart(r, t, ti))
            @if t.items.iter().any(|i| i.is_scale) && !r.shown.is_empty() {
                div.table-wrap role="region" aria-label={ (t.title) ": cijfers per uitspraak" } tabindex="0" { table.data.qs-figures {
                    caption { (t.title) ": gemiddelde (1 tot 5), n, ‘weet niet’, % eens"
                        @if r.previous_title.is_some() { ", vorige meting" }
                        @if r.benchmark_orgs > 0 { ", elders" } }
                    thead { tr { th scope="col" { "Uitspraak" } @for g in &r.shown { th scope="col" { (r.group_label(*g)) } } } }
                    tbody { @for i in t.items.iter().filter(|i| i.is_scale) { tr {
                        th scope="row" { (i.text)
                            @if !i.signals.is_empty() {
                                span.qs-flag { "Valt op: "
                                    @for (k, s) in i.signals.iter().enumerate() { @if k > 0 { ", " } (s.kind.label_nl().to_lowercase()) }
                                }
                            }
                        }
                        @for g in &r.shown { td { (figures_cell(i, *g, r.min_group)) } }
                    } } }
                } }
            }
            @for i in t.items.iter().filter(|i| !i.is_scale) {
                div.table-wrap role="region" aria-label=(i.text) tabindex="0" { table.data { caption { (i.text) " (aandeel van alle antwoorden, met n)" }
                    thead { tr { th scope="col" { "Antwoord" } @for g in &r.shown { th scope="col" { (r.group_label(*g)) } } } }
                    tbody {
                        @for (k, l) in i.labels.iter().enumerate() { tr { th scope="row" { (l) }
                            @for g in &r.shown { td { (match i.cells.get(g) {
                                Some(Cell::Shown(d)) => d.share(k).map_or_else(|| "–".to_owned(), |s| format!("{} %", s.nl(0))),
                                Some(Cell::TooFew) => format!("minder dan {} antwoorden", r.min_group),
                                None => "–".into(),
                            }) } }
                        } }
                        tr { th scope="row" { "n" } @for g in &r.shown { td { (match i.cells.get(g) {
                            Some(Cell::Shown(d)) => d.n.to_string(),
                            _ => "–".into(),
                        }) } } }
                    }
                } }
            }
            @for rk in &t.rankings {
                div.table-wrap role="region" aria-label=(rk.text) tabindex="0" { table.data { caption { (rk.text) " — aandeel dat dit koos, met n" }
                    thead { tr { th scope="col" { "Onderwerp" } @for g in &r.shown { th scope="col" { (r.group_label(*g)) } } } }
                    tbody {
                        @for (l, per) in &rk.options { tr { th scope="row" { (l) } @for g in &r.shown { td { (per.get(g).map_or_else(|| "–".to_owned(), |v| format!("{} %", v.nl(0)))) } } } }
                        tr { th scope="row" { "n" } @for g in &r.shown { td { (rk.n.get(g).map_or_else(|| "–".to_owned(), ToString::to_string)) } } }
                    }
                } }
            }
            @if let Some(tip) = &t.verdict.tip {
                div.qs-tip { h3 { "Tip bij " (t.title.to_lowercase()) } p { (tip) } }
            } @else if let Some(other) = &t.verdict.tip_same_as {
                div.qs-tip { h3 { "Tip bij " (t.title.to_lowercase()) } p { "Dezelfde tip als bij " (other) "." } }
            }
            @for o in &t.open {
                h3 { (o.question) }
                @if o.groups.is_empty() { p { "Geen open antwoorden om te tonen." } }
                @for (g, answers) in &o.groups {
                    h4 { (r.group_label(*g)) " (" (answers.len()) " antwoorden, in willekeurige volgorde)" }
                    ul { @for a in answers { li { (a) } } }
                }
                @for note in r.hidden_notes(o) { p { (note) } }
            }
        }
    }
}

/// The report page's content (inside the layout); `base` is the scan's path. Public for the
/// benchmark (`examples/report_bench.rs`).
pub fn report_body(r: &report::Report, base: &str) -> Markup {
    html! {
        (style())
        link rel="stylesheet" href="/qs/static/report.css";
        h1 { "Rapport Quick Scan — " (r.org.name) }
        @if r.established.is_some() { p { (r.status_line()) } } @else { div.qs-suppressed role="note" { p { strong { (r.status_line()) } } } }
        p { (r.scan.title) " (" (r.scan.wave.as_str()) "). Dit is een foto van hoe de groepen naar de democratie kijken, geen representatief onderzoek." }
        (summary(r))
        section.qs-noprint aria-labelledby="downloads" {
            h2 #downloads { "Downloaden" }
            ul {
                li { a href={(base) "/rapport.pdf"} { "Rapport als PDF" } }
                li { a href={(base) "/rapport-excel.csv"} { "Cijfers voor Excel (CSV)" } ": opent goed in Nederlandse Excel (puntkomma's en decimale komma's)." }
                li { a href={(base) "/rapport.csv"} { "Cijfers voor computerprogramma's (CSV)" } ": komma's en decimale punten, voor bijvoorbeeld R, Python of een database." }
                li { a href={(base) "/agenda"} { "Verbeteragenda" } }
            }
        }
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
        @if let Some(note) = r.suppression_note() { div.qs-suppressed role="note" { p { (note) } } }
        @if let Some(p) = &r.previous_title { p { "Vergeleken met de vorige meting: " (p) ". Bij elk cijfer staat het cijfer van toen (‘vorige’)." } }
        @if r.benchmark_orgs > 0 {
            p { "Vergeleken met " (r.benchmark_orgs) " andere organisaties (‘elders’)." }
            @for (g, c) in &r.benchmark_counts { p { "Vergelijking " (r.group_label(*g).to_lowercase()) ": " (c.total) " antwoorden uit andere organisaties, waarvan " (c.paper) " op papier." } }
        } @else {
            p { "Een vergelijking met andere organisaties tonen we pas als minstens " (report::BENCHMARK_MIN_ORGS) " organisaties meedoen." }
        }
        h2 { "Zo leest u de cijfers" }
        ul { @for l in r.legend() { li { (l) } } }
        @for (ti, t) in r.themes.iter().enumerate() { (theme(r, t, ti, base)) }
    }
}

pub(super) async fn report_csv(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let r = build_report(&st, &ctx, &org, scan).await?;
    Ok(csv_download(
        &format!("quickscan-{scan}.csv"),
        csv_text(&r, Dialect::Machine),
    ))
}

pub(super) async fn report_csv_excel(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Response, AppError> {
    let r = build_report(&st, &ctx, &org, scan).await?;
    Ok(csv_download(
        &format!("quickscan-{scan}-excel.csv"),
        csv_text(&r, Dialect::Excel),
    ))
}

fn csv_download(name: &str, body: String) -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/csv; charset=utf-8".to_owned()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
        ],
        body,
    )
        .into_response()
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
