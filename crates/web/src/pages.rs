//! The HTML pages.

use axum::Extension;
use axum::extract::{Path, Query, State};
use axum::response::{IntoResponse, Redirect, Response};
use kieswet::{Apportionment, LotChoice, Step};
use maud::{Markup, html};
use webkit::layout::{self, Field, breadcrumbs, csrf_field, input};
use webkit::{AppError, AppState, Beheer, Ctx, Lang, RequireRole, fmt, page};

use crate::model::{Level, Loaded, Source};
use crate::tables::{self, fraction_cells};
use crate::text::engine_lang;
use crate::whatif::{self, Question, lot_code};
use crate::{Election, Web, WebState, charts, store};

/// How long a page waits for margins that are being computed in the background.
pub(crate) const MARGIN_WAIT: std::time::Duration = std::time::Duration::from_secs(2);

#[derive(Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tab {
    Overview,
    Verification,
    Proof,
    Candidates,
    WhatIf,
    Margins,
    Reform,
    Area,
    Versions,
}

impl Tab {
    const ALL: [Tab; 9] = [
        Tab::Overview,
        Tab::Verification,
        Tab::Proof,
        Tab::Candidates,
        Tab::Area,
        Tab::WhatIf,
        Tab::Margins,
        Tab::Reform,
        Tab::Versions,
    ];

    fn path(self) -> &'static str {
        match self {
            Tab::Overview => "",
            Tab::Verification => "/controle",
            Tab::Proof => "/berekening",
            Tab::Candidates => "/kandidaten",
            Tab::WhatIf => "/wat-als",
            Tab::Margins => "/marges",
            Tab::Reform => "/hervorming",
            Tab::Area => "/gebied",
            Tab::Versions => "/versies",
        }
    }

    fn title(self, lang: Lang) -> &'static str {
        match self {
            Tab::Overview => lang.t("Uitslag", "Result"),
            Tab::Verification => lang.t("Controle", "Verification"),
            Tab::Proof => lang.t("Berekening", "Calculation"),
            Tab::Candidates => lang.t("Kandidaten", "Candidates"),
            Tab::WhatIf => lang.t("Wat als?", "What if?"),
            Tab::Margins => lang.t("Marges", "Margins"),
            Tab::Reform => lang.t("Andere regels", "Other rules"),
            Tab::Area => lang.t("Per gebied", "By area"),
            Tab::Versions => lang.t("Versies", "Versions"),
        }
    }
}

pub(crate) fn body_name(lang: Lang, b: kieswet::Body) -> String {
    match lang {
        Lang::Nl => b.name_nl().to_string(),
        Lang::En => match b {
            kieswet::Body::TK => "House of Representatives".into(),
            kieswet::Body::EK => "Senate".into(),
            kieswet::Body::PS => "Provincial council".into(),
            kieswet::Body::GR => "Municipal council".into(),
            kieswet::Body::AB => "Water authority board".into(),
            kieswet::Body::EP => "European Parliament".into(),
            _ => b.name_nl().to_string(),
        },
    }
}

pub(crate) fn election_page(
    ctx: &Ctx,
    l: &Loaded,
    tab: Tab,
    extra_crumbs: &[(String, String)],
    body: &Markup,
) -> Markup {
    let title = if tab == Tab::Overview {
        l.meta.name.clone()
    } else {
        format!("{} – {}", tab.title(ctx.lang), l.meta.name)
    };
    election_page_titled(ctx, l, tab, &title, extra_crumbs, body)
}

/// [`election_page`] with its own heading and `<title>` (e.g. the area's name).
pub(crate) fn election_page_titled(
    ctx: &Ctx,
    l: &Loaded,
    tab: Tab,
    title: &str,
    extra_crumbs: &[(String, String)],
    body: &Markup,
) -> Markup {
    let lang = ctx.lang;
    let base = format!("/verkiezingen/{}", l.id());
    let mut crumbs = vec![
        (
            "/".to_string(),
            lang.t("Verkiezingen", "Elections").to_string(),
        ),
        (base.clone(), l.meta.name.clone()),
    ];
    if tab != Tab::Overview {
        crumbs.push((format!("{base}{}", tab.path()), tab.title(lang).to_string()));
    }
    crumbs.extend_from_slice(extra_crumbs);
    page(
        ctx,
        title,
        html! {
            (breadcrumbs(lang, &crumbs))
            h1 { (title) }
            @if l.meta.source == Source::Demo {
                p.notice.warning {
                    strong { (lang.t("Demo: ", "Demo: ")) }
                    (lang.t("dit is een verzonnen verkiezing. Stembus heeft de gegevens zelf gemaakt om te laten zien hoe de berekening werkt.",
                        "this is a made-up election. Stembus generated the data itself to show how the calculation works."))
                }
            }
            (status_banner(lang, l, tab))
            nav.subnav aria-label=(lang.t("Onderdelen van deze verkiezing", "Parts of this election")) {
                ul {
                    @for t in Tab::ALL.into_iter().filter(|t| !matches!(t, Tab::Verification | Tab::Versions) || l.meta.source == Source::Import) {
                        li {
                            @if t == tab {
                                a href={(base) (t.path())} aria-current="page" { (t.title(lang)) }
                            } @else {
                                a href={(base) (t.path())} { (t.title(lang)) }
                            }
                        }
                    }
                }
            }
            (body)
        },
    )
}

/// On every page of an imported election: what the result is (official and equal, or not,
/// or only computed), linked to the verification. Green only for `ok` and `lot`.
fn status_banner(lang: Lang, l: &Loaded, tab: Tab) -> Markup {
    if l.meta.source != Source::Import || tab == Tab::Verification {
        return html! {};
    }
    let status = l.status.unwrap_or(crate::status::ResultStatus::Incomplete);
    html! {
        div.notice.warning[!status.is_good()].status-banner {
            p {
                strong { (crate::status::capitalized(status.label(lang))) "." }
                " "
                a href={"/verkiezingen/" (l.id()) "/controle"} { (lang.t("Bekijk de controle", "See the verification")) }
            }
            @if status == crate::status::ResultStatus::NoOfficial {
                p { (status.explanation(lang)) }
            }
        }
    }
}

/// Kiesgerechtigden and turnout, or "onbekend" with the reason (never above 100 %).
fn electorate_facts(lang: Lang, e: &crate::turnout::Electorate, cast: u64) -> Markup {
    html! {
        dt { (lang.t("Kiesgerechtigden", "Electorate")) }
        @match e.known() {
            Some(n) => { dd { (fmt::int(lang, n)) } }
            None => { dd.unknown { (lang.t("onbekend", "unknown")) ": " (e.reason(lang).unwrap_or_default()) } }
        }
        dt { (lang.t("Opkomst", "Turnout")) }
        dd { (crate::turnout::turnout_text(lang, e, cast)) " (" (fmt::int(lang, cast)) " " (lang.t("kiezers", "voters")) ")" }
    }
}

/// The notices above an election's pages: a lot still needed, data that are not valid, and
/// the engine's warnings (e.g. P 9 and P 10 both applied: the Kiesraad advises contact).
fn lot_notice(lang: Lang, l: &Loaded) -> Markup {
    let warnings = match &l.outcome {
        Ok(Apportionment::Complete(o)) => o.warnings.clone(),
        Ok(Apportionment::LotRequired(r)) => kieswet::warnings(&r.steps),
        Err(_) => Vec::new(),
    };
    html! {
        @for w in &warnings {
            div.notice.warning role="status" data-code=(w.code()) {
                p { strong { (lang.t("Let op: ", "Please note: ")) } (lang.t(&w.text_nl(), &w.text_en())) }
            }
        }
        (lot_or_error_notice(lang, l))
    }
}

fn lot_or_error_notice(lang: Lang, l: &Loaded) -> Markup {
    match &l.outcome {
        Ok(Apportionment::LotRequired(r)) => html! {
            div.notice.warning role="status" {
                p { strong { (lang.t("Er is een loting nodig. ", "A lot is needed. ")) } (crate::text::readable(lang, l, &r.reason.describe(engine_lang(lang)))) }
                p { (lang.t("Mogelijke uitkomsten: ", "Possible outcomes: "))
                    (r.options.iter().map(|o| lot_label(lang, l, o)).collect::<Vec<_>>().join(", ")) }
            }
        },
        Err(e) => html! {
            div.notice.warning role="status" { p { (lang.t("De gegevens kloppen niet: ", "The data are not valid: ")) (crate::text::readable(lang, l, &e.message(engine_lang(lang)))) } }
        },
        _ => html! {},
    }
}

pub async fn overview(ctx: Ctx, Election(l): Election) -> Result<Markup, AppError> {
    let lang = ctx.lang;
    let root = l.root().ok_or_else(AppError::not_found)?;
    let electorate = &l.electorates[root];
    let (blank, invalid) = l.unit_blank_invalid(root);
    let valid = l.units[root].valid();
    let cast = valid + blank + invalid;
    let o = l.complete();
    let body = l.fragment("overview", lang, || html! {
        (lot_notice(lang, &l))
        dl.facts {
            dt { (lang.t("Verkiezing van", "Election of")) } dd { (body_name(lang, l.meta.body)) }
            dt { (lang.t("Datum", "Date")) } dd { (l.meta.date) }
            dt { (lang.t("Aantal zetels", "Number of seats")) } dd { (l.meta.seats) }
            (electorate_facts(lang, electorate, cast))
            dt { (lang.t("Geldige stemmen", "Valid votes")) } dd { (fmt::int(lang, valid)) }
            dt { (lang.t("Blanco / ongeldig", "Blank / invalid")) } dd { (fmt::int(lang, blank)) " / " (fmt::int(lang, invalid)) }
            @if let Some(o) = o {
                dt { (lang.t("Kiesdeler", "Quota")) } dd {
                    span.fraction { (o.kiesdeler.to_mixed()) } " ≈ " (fraction_cells(lang, o.kiesdeler).1.text) " "
                    (lang.t("stemmen per zetel", "votes per seat"))
                }
                dt { (lang.t("Voorkeurdrempel", "Preference threshold")) } dd {
                    span.fraction { (o.preference_threshold.to_mixed()) } " ≈ "
                    (fraction_cells(lang, o.preference_threshold).1.text) " " (lang.t("stemmen", "votes"))
                }
                @if o.lots_used > 0 {
                    dt { (lang.t("Loting", "Lots")) } dd {
                        (lang.t("Er is geloot: ", "Lots were drawn: ")) (o.lots_used) " – "
                        a href={"/verkiezingen/" (l.id()) "/berekening"} { (lang.t("zie de berekening", "see the calculation")) }
                    }
                }
            }
        }
        @if let Some(o) = o {
            (charts::hemicycle(
                lang,
                "zetels",
                lang.t("Zetelverdeling", "Seat distribution"),
                &o.parties.iter().map(|p| charts::SeatGroup { label: l.list_label(p.number), seats: p.seats, color: l.party_color(p.number) }).collect::<Vec<_>>(),
                o.empty_seats,
            ))
        }
        (tables::lists(lang, &l).render(lang))
        h2 { (lang.t("Meer over deze uitslag", "More about this result")) }
        ul {
            li { a href={"/verkiezingen/" (l.id()) "/berekening"} { (lang.t("Hoe zijn de zetels berekend? Elke stap met het artikel.", "How were the seats calculated? Every step with its article.")) } }
            li { a href={"/verkiezingen/" (l.id()) "/kandidaten"} { (lang.t("Wie is er gekozen?", "Who was elected?")) } }
            li { a href={"/verkiezingen/" (l.id()) "/gebied"} { (lang.t("Uitslag per kieskring, gemeente en stembureau", "Results by district, municipality and polling station")) } }
            li { a href={"/verkiezingen/" (l.id()) "/wat-als"} { (lang.t("Wat als de stemmen anders waren?", "What if the votes had been different?")) } }
            li { a href={"/verkiezingen/" (l.id()) "/marges"} { (lang.t("Hoeveel stemmen scheelde het?", "How many votes did it take?")) } }
            li { a href={"/verkiezingen/" (l.id()) "/hervorming"} { (lang.t("Wat als andere regels golden?", "What if other rules applied?")) } }
        }
    });
    Ok(election_page(
        &ctx,
        &l,
        Tab::Overview,
        &[],
        &html! { (body) },
    ))
}

fn steps_list(lang: Lang, l: &Loaded, steps: &[Step]) -> Markup {
    html! {
        ol.steps {
            @for (i, s) in steps.iter().enumerate() {
                li id={"stap-" (i + 1)} {
                    p {
                        span.article { (lang.t("Artikel ", "Article ")) (s.article()) }
                        span lang="nl" { (crate::text::readable(Lang::Nl, l, &s.describe_nl())) }
                    }
                    @if let Step::Seat(kieswet::seats::SeatStep::Kiesdeler { kiesdeler, total_votes, seats, .. }) = s {
                        p {
                            (fmt::int(lang, *total_votes)) " / " (seats) " = "
                            span.fraction { (kiesdeler.to_mixed()) } " ≈ " (fraction_cells(lang, *kiesdeler).1.text)
                        }
                    }
                    @if let Some(t) = tables::step(lang, l, i, s) { (t.render(lang)) }
                }
            }
        }
    }
}

pub async fn proof(ctx: Ctx, Election(l): Election) -> Result<Markup, AppError> {
    // The steps are the law's own reasoning in Dutch; there is no English of them, so the
    // page is Dutch only (no language toggle, `lang="nl"`).
    let ctx = ctx.dutch_only();
    let lang = ctx.lang;
    let steps: &[Step] = match &l.outcome {
        Ok(Apportionment::Complete(o)) => &o.steps,
        Ok(Apportionment::LotRequired(r)) => &r.steps,
        Err(_) => &[],
    };
    let body = l.fragment("proof", lang, || html! {
        p { (lang.t(
            "Hieronder staat elke stap van de zetelverdeling, in de volgorde van de wet. Bij elke stap ziet u het artikel uit de Kieswet en de getallen. Breuken staan er exact én afgerond.",
            "Below is every step of the seat apportionment, in the order of the law, with its article of the Elections Act and the numbers. Fractions are shown exactly and rounded.")) }
        p.no-print { (lang.t("U kunt deze pagina afdrukken of als pdf bewaren via het menu van uw browser.", "You can print this page or save it as PDF from your browser menu.")) }
        (lot_notice(lang, &l))
        (steps_list(lang, &l, steps))
    });
    Ok(election_page(&ctx, &l, Tab::Proof, &[], &html! { (body) }))
}

pub async fn candidates(ctx: Ctx, Election(l): Election) -> Result<Markup, AppError> {
    let lang = ctx.lang;
    let body = l.fragment("candidates", lang, || html! {
        (lot_notice(lang, &l))
        (tables::first_names_note(lang, &l))
        @if let Some(o) = l.complete() {
            p { (lang.t(
                "Een kandidaat met genoeg stemmen (de voorkeurdrempel) krijgt als eerste een zetel van de lijst. De andere zetels gaan in de volgorde van de lijst.",
                "A candidate with enough votes (the preference threshold) gets a seat of the list first. The other seats go in list order.")) }
            p { (lang.t("De voorkeurdrempel is ", "The preference threshold is ")) strong { span.fraction { (o.preference_threshold.to_mixed()) } " ≈ " (fraction_cells(lang, o.preference_threshold).1.text) } " " (lang.t("stemmen (artikel P 15).", "votes (article P 15).")) }
            (tables::elected(lang, &l).render(lang))
            (tables::above_threshold_not_elected(lang, &l).render(lang))
            h2 { (lang.t("Volgorde per lijst (voor opvolging)", "Order per list (for succession)")) }
            p { (lang.t("Als een gekozen kandidaat stopt, komt de volgende uit deze volgorde in de raad of Kamer (artikel P 19).",
                "If an elected member leaves, the next person in this order takes the seat (article P 19).")) }
            @for p in &l.election.parties {
                @if let Some(t) = tables::ranking(lang, &l, p.number) {
                    details.ranking id={"lijst-" (p.number)} {
                        summary { (crate::tables::list_label(p.number, &p.name)) " – " (crate::tables::seats_text(lang, o.seats_of(p.number))) }
                        (t.render(lang))
                    }
                }
            }
            @let unranked: Vec<String> = l.election.parties.iter().zip(l.rankings())
                .filter(|(_, (_, ranking))| ranking.is_empty())
                .map(|(p, _)| crate::tables::list_label(p.number, &p.name))
                .collect();
            @if !unranked.is_empty() {
                p.unranked { (lang.t("Zonder volgorde, omdat deze lijsten geen gekozen kandidaten hebben (artikel P 19 lid 5): ",
                    "Without a ranking, because these lists have no elected candidates (article P 19, paragraph 5): ")) (unranked.join("; ")) "." }
            }
        }
    });
    Ok(election_page(
        &ctx,
        &l,
        Tab::Candidates,
        &[],
        &html! { (body) },
    ))
}

fn what_if_query(params: &[(String, String)]) -> String {
    params
        .iter()
        .filter(|(k, _)| k != "lang")
        .map(|(k, v)| format!("{}={}", layout::url_encode(k), layout::url_encode(v)))
        .collect::<Vec<_>>()
        .join("&")
}

pub async fn what_if(
    ctx: Ctx,
    Election(l): Election,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Markup, AppError> {
    let lang = ctx.lang;
    // Input that cannot be used is never ignored or capped silently: the page shows the
    // real result with the form, the error summary and each field's message.
    let (q, errors) = match Question::parse(&params, &l) {
        Ok(q) => (q, Vec::new()),
        Err(e) => (Question::default(), e),
    };
    let asked = errors.is_empty() && !params.iter().all(|(k, _)| k == "lang");
    let raw = |name: &str| {
        params
            .iter()
            .rev()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.clone())
    };
    let field_error = |name: &str| {
        errors
            .iter()
            .find(|e| e.param == name)
            .map(|e| lang.t(&e.nl, &e.en).to_string())
    };
    let summary_errors: Vec<(&str, String)> = errors
        .iter()
        .map(|e| {
            (
                e.param.as_str(),
                format!(
                    "{}: {}",
                    param_label(lang, &l, &e.param),
                    lang.t(&e.nl, &e.en)
                ),
            )
        })
        .collect();
    let answer = match whatif::answer(&l, &q) {
        Ok(a) => a,
        // The election itself cannot be computed (e.g. damaged files): say so on the page.
        Err(_) if l.outcome.is_err() => {
            return Ok(election_page(
                &ctx,
                &l,
                Tab::WhatIf,
                &[],
                &lot_notice(lang, &l),
            ));
        }
        Err(e) => return Err(AppError::bad_request(e.message(engine_lang(lang)))),
    };
    let base = format!("/verkiezingen/{}/wat-als", l.id());
    let csv = format!(
        "/verkiezingen/{}/csv/wat-als?{}",
        l.id(),
        what_if_query(&params)
    );
    let party_options: Vec<(String, String)> = std::iter::once((
        String::new(),
        lang.t("Kies een lijst", "Choose a list").to_string(),
    ))
    .chain(l.election.parties.iter().map(|p| {
        (
            p.number.to_string(),
            crate::tables::list_label(p.number, &p.name),
        )
    }))
    .collect();
    let body = html! {
        p { (lang.t(
            "Verander het aantal stemmen van een of meer lijsten, of verschuif stemmen van de ene lijst naar de andere. Stembus rekent de zetels opnieuw uit volgens de wet.",
            "Change the number of votes of one or more lists, or move votes from one list to another. Stembus recalculates the seats according to the law.")) }
        p { (lang.t("Deze berekening gaat alleen over zetels per lijst, niet over kandidaten.", "This calculation is about seats per list only, not about candidates.")) }
        (layout::error_summary(lang, &summary_errors))
        @if asked {
            p.whatif-summary role="status" { strong { (answer.summary(lang, &q)) } }
            @if let Some(r) = &answer.lot_required {
                div.notice.warning role="status" {
                    h2 { (lang.t("Er is een loting nodig", "A lot is needed")) }
                    p { (crate::text::readable(lang, &l, &r.reason.describe(engine_lang(lang)))) }
                    p { (lang.t("Bij een echte verkiezing loot de voorzitter van het centraal stembureau in het openbaar. Kies hier zelf de uitkomst:",
                        "In a real election the chair of the central electoral committee draws lots in public. Choose the outcome yourself:")) }
                    form method="get" action=(base) {
                        @for row in &answer.rows { input type="hidden" name={"v" (row.number)} value=(row.votes); }
                        @for lot in &answer.lots { input type="hidden" name="lot" value=(lot_code(lot)); }
                        (layout::radios(lang, "lot", lang.t("Wie wint de loting?", "Who wins the lot?"),
                            &r.options.iter().map(|o| (lot_code(o), lot_label(lang, &l, o))).collect::<Vec<_>>(),
                            "", None))
                        button.button type="submit" { (lang.t("Verder rekenen", "Continue")) }
                    }
                }
            }
            (tables::what_if(lang, &l, &answer, csv).render(lang))
            @if !answer.lots.is_empty() && !answer.unchanged {
                p { (lang.t("Gekozen lotingen: ", "Lots chosen: ")) (answer.lots.iter().map(|x| lot_label(lang, &l, x)).collect::<Vec<_>>().join("; ")) }
            }
        }
        form.form method="get" action=(base) novalidate {
            h2 { (lang.t("Stemmen aanpassen", "Change votes")) }
            (layout::fieldset(lang.t("Stemmen per lijst", "Votes per list"), &html! {
                @for row in &answer.rows {
                    @let name = format!("v{}", row.number);
                    @let value = if errors.is_empty() { row.votes.to_string() } else { raw(&name).unwrap_or_else(|| row.votes.to_string()) };
                    @let error = field_error(&name);
                    (input(lang, &Field::new(&name, &crate::tables::list_label(row.number, &row.name))
                        .kind("text").value(&value).error(error.as_deref()).inputmode("numeric")))
                }
            }))
            (layout::fieldset(lang.t("Stemmen verschuiven", "Move votes"), &html! {
                @let (van, naar, aantal) = (raw("van").unwrap_or_default(), raw("naar").unwrap_or_default(), raw("aantal").unwrap_or_default());
                @let (ev, en, ea) = (field_error("van"), field_error("naar"), field_error("aantal"));
                (layout::select(lang, &Field::new("van", lang.t("Van lijst", "From list")).value(if errors.is_empty() { "" } else { &van }).error(ev.as_deref()), &party_options))
                (layout::select(lang, &Field::new("naar", lang.t("Naar lijst", "To list")).value(if errors.is_empty() { "" } else { &naar }).error(en.as_deref()), &party_options))
                (input(lang, &Field::new("aantal", lang.t("Aantal stemmen", "Number of votes"))
                    .hint(lang.t("Niet meer dan de lijst heeft waar de stemmen vandaan komen.", "No more than the list the votes come from has."))
                    .kind("text").inputmode("numeric").value(if errors.is_empty() { "" } else { &aantal }).error(ea.as_deref())))
            }))
            button.button type="submit" { (lang.t("Opnieuw berekenen", "Recalculate")) }
            " "
            a href=(base) { (lang.t("Terug naar de echte uitslag", "Back to the real result")) }
        }
    };
    Ok(election_page(&ctx, &l, Tab::WhatIf, &[], &body))
}

/// The label of a what-if parameter as the form shows it.
fn param_label(lang: Lang, l: &Loaded, param: &str) -> String {
    match param {
        "van" => lang.t("Van lijst", "From list").to_string(),
        "naar" => lang.t("Naar lijst", "To list").to_string(),
        "aantal" => lang.t("Aantal stemmen", "Number of votes").to_string(),
        "lot" => lang.t("Loting", "Lot").to_string(),
        p => match p.strip_prefix('v').and_then(|n| n.parse::<u32>().ok()) {
            Some(n) if l.election.parties.iter().any(|x| x.number == n) => l.list_label(n),
            _ => p.to_string(),
        },
    }
}

/// A lot's outcome in `lang`: a party by its label ("Lijst 3 (VVD)"), the others in the
/// engine's words with the list's name.
fn lot_label(lang: Lang, l: &Loaded, o: &LotChoice) -> String {
    match o {
        LotChoice::Party(n) => l.list_label(*n),
        other => crate::text::readable(lang, l, &other.describe(engine_lang(lang))),
    }
}

pub async fn margins(ctx: Ctx, Election(l): Election) -> Result<Markup, AppError> {
    let lang = ctx.lang;
    let m = Web::margins(&l, MARGIN_WAIT).await;
    let render = || {
        html! {
            p { (lang.t(
                "Hoeveel stemmen scheelde het? Per lijst ziet u hoeveel stemmen er extra nodig waren voor één zetel meer, en hoeveel stemmen de lijst kon missen zonder een zetel te verliezen. De andere lijsten houden daarbij hun stemmen.",
                "How close was it? For each list: how many extra votes it needed for one more seat, and how many votes it could lose without losing a seat. The other lists keep their votes.")) }
            p { (lang.t("Als er bij zo'n aantal geloot zou moeten worden, rekenen we met de uitkomst die slecht is voor de lijst.",
                "If such a count would need a lot, we assume the outcome that is bad for the list.")) }
            @match m {
                None => {
                    div.notice role="status" {
                        p { strong { (lang.t("De marges worden nog berekend. ", "The margins are still being computed. ")) }
                            (lang.t("Bij een grote verkiezing kan dat even duren. Laad de pagina over een minuut opnieuw.",
                                "For a large election this can take a while. Reload the page in a minute.")) }
                        p { a href={"/verkiezingen/" (l.id()) "/marges"} { (lang.t("Opnieuw laden", "Reload")) } }
                    }
                }
                Some(Ok(m)) => {
                    @if let Some(t) = tables::margins(lang, &l) { (t.render(lang)) }
                    @if let Some(n) = m.next_seat {
                        p { (lang.t("Als er één zetel meer was, ging die naar ", "If there were one more seat, it would go to ")) strong { (l.list_label(n)) } "." }
                    }
                }
                Some(Err(e)) => { div.notice.warning { p { (crate::text::readable(lang, &l, &e.message(engine_lang(lang)))) } } }
            }
        }
    };
    let body = if m.is_some() {
        html! { (l.fragment("margins", lang, render)) }
    } else {
        render()
    };
    Ok(election_page(&ctx, &l, Tab::Margins, &[], &body))
}

pub async fn reform(ctx: Ctx, Election(l): Election) -> Result<Markup, AppError> {
    let lang = ctx.lang;
    let results = l.reform();
    let current_elected: Vec<(u32, kieswet::CandidateName)> = match &results[0].1 {
        Ok(Apportionment::Complete(o)) => {
            o.elected.iter().map(|e| (e.list, e.name.clone())).collect()
        }
        _ => Vec::new(),
    };
    let body = l.fragment("reform", lang, || html! {
        p { (lang.t(
            "Wat als andere regels golden? Stembus rekent dezelfde stemmen uit met de huidige wet en met twee voorstellen om de wet te veranderen.",
            "What if other rules applied? Stembus calculates the same votes under the current law and under two proposals to change it.")) }
        ul {
            li { strong { (tables::ruleset_label(lang, kieswet::RulesetName::MetEenStemMeerKeus)) } ": "
                (lang.t("kiezers kunnen op een lijst stemmen of op een kandidaat. Een deel van de zetels gaat in de volgorde van de lijst, de rest naar de kandidaten met de meeste stemmen.",
                    "voters can vote for a list or for a candidate. Part of the seats go in list order, the rest to the candidates with most votes.")) }
            li { strong { (tables::ruleset_label(lang, kieswet::RulesetName::Wet36641)) } ": "
                (lang.t("alleen lijsten met genoeg stemmen doen mee voor restzetels.", "only lists with enough votes take part for residual seats.")) }
        }
        div.notice {
            p { strong { (lang.t("Aanname: ", "Assumption: ")) }
                (lang.t("bij het voorstel ‘Met één stem meer keus’ tellen we de stemmen op de lijsttrekker (nummer 1) als stemmen op de lijst. De echte stembiljetten hadden dat vakje nog niet.",
                    "for the proposal ‘Met één stem meer keus’ we count the votes for the list leader (number 1) as votes for the list. The real ballots did not have that box yet.")) }
            p { (lang.t("Lotingen van de echte uitslag gelden alleen voor de huidige wet.", "Lots of the real result only apply to the current law.")) }
        }
        (tables::reform(lang, &l).render(lang))
        @for (r, res) in results.iter().skip(1) {
            h2 { (tables::ruleset_label(lang, *r)) }
            @match res {
                Ok(Apportionment::Complete(o)) => {
                    @let new: Vec<&kieswet::ElectedCandidate> = o.elected.iter().filter(|e| !current_elected.contains(&(e.list, e.name.clone()))).collect();
                    @let gone: Vec<&(u32, kieswet::CandidateName)> = current_elected.iter().filter(|(list, name)| !o.elected.iter().any(|e| e.list == *list && &e.name == name)).collect();
                    @for a in &o.assumptions { p { (a.describe(engine_lang(lang))) } }
                    @if new.is_empty() && gone.is_empty() {
                        p { (lang.t("Dezelfde kandidaten zijn gekozen.", "The same candidates are elected.")) }
                    } @else {
                        h3 { (lang.t("Nu wel gekozen", "Now elected")) }
                        ul { @for e in &new { li { (e.name) " (" (l.list_label(e.list)) ")" } } @if new.is_empty() { li { "–" } } }
                        h3 { (lang.t("Nu niet meer gekozen", "No longer elected")) }
                        ul { @for (list, name) in &gone { li { (name) " (" (l.list_label(*list)) ")" } } @if gone.is_empty() { li { "–" } } }
                    }
                }
                Ok(Apportionment::LotRequired(lr)) => { p { (lang.t("Hier is een loting nodig: ", "A lot is needed here: ")) (crate::text::readable(lang, &l, &lr.reason.describe(engine_lang(lang)))) } }
                Err(e) => { p { (crate::text::readable(lang, &l, &e.message(engine_lang(lang)))) } }
            }
        }
    });
    Ok(election_page(&ctx, &l, Tab::Reform, &[], &html! { (body) }))
}

/// 503 while margins are being computed.
pub(crate) fn still_computing() -> AppError {
    AppError::new(
        axum::http::StatusCode::SERVICE_UNAVAILABLE,
        "De marges worden nog berekend; probeer het over een minuut opnieuw. / The margins are still being computed; try again in a minute.",
    )
}

pub async fn area_root(Election(l): Election) -> Result<Response, AppError> {
    let root = l.root().ok_or_else(AppError::not_found)?;
    Ok(Redirect::to(&format!(
        "/verkiezingen/{}/gebied/{}",
        l.id(),
        l.units[root].data.id
    ))
    .into_response())
}

pub async fn area(
    ctx: Ctx,
    State(state): State<AppState>,
    Extension(web): WebState,
    Election(l): Election,
    Path((_, unit)): Path<(String, String)>,
) -> Result<Markup, AppError> {
    let lang = ctx.lang;
    let ui = *l.unit_index.get(&unit).ok_or_else(AppError::not_found)?;
    // An imported stembureau: whether it was investigated or corrected, as its count says.
    let investigation = if l.meta.source == Source::Import {
        web.report(&state, l.id())
            .await?
            .as_ref()
            .as_ref()
            .and_then(|r| r.investigations.iter().find(|i| i.unit == unit).cloned())
    } else {
        None
    };
    let griffier = crate::griffier::for_unit(&state, &web, l.id(), &unit).await?;
    let u = &l.units[ui];
    let mut chain = Vec::new();
    let mut j = Some(ui);
    while let Some(k) = j {
        chain.push(k);
        j = l.units[k].parent;
    }
    chain.reverse();
    let crumbs: Vec<(String, String)> = chain
        .iter()
        .map(|&k| {
            (
                format!("/verkiezingen/{}/gebied/{}", l.id(), l.units[k].data.id),
                l.units[k].data.name.clone(),
            )
        })
        .collect();
    let electorate = &l.electorates[ui];
    let (blank, invalid) = l.unit_blank_invalid(ui);
    let cast = u.valid() + blank + invalid;
    let bars: Vec<layout::Bar> = l
        .meta
        .parties
        .iter()
        .zip(&u.party_votes)
        .map(|(p, v)| layout::Bar {
            label: crate::tables::list_label(p.number, &p.name),
            #[allow(clippy::cast_precision_loss)]
            value: *v as f64,
            display: fmt::int(lang, *v),
            color: Some(l.party_color(p.number).to_string()),
        })
        .collect();
    let body = html! {
        h2 { (u.data.name) " (" (u.data.level.name(lang)) ")" }
        dl.facts {
            (electorate_facts(lang, electorate, cast))
            dt { (lang.t("Geldige stemmen", "Valid votes")) } dd { (fmt::int(lang, u.valid())) }
            dt { (lang.t("Blanco / ongeldig", "Blank / invalid")) } dd { (fmt::int(lang, blank)) " / " (fmt::int(lang, invalid)) }
            @if let Some(i) = &investigation {
                dt { (lang.t("Onderzocht / gecorrigeerd", "Investigated / corrected")) }
                dd { (lang.t(&i.summary_nl, &i.summary_en)) }
            }
        }
        (crate::griffier::section(lang, &griffier.0, &griffier.1.iter().collect::<Vec<_>>()))
        @if let Some(t) = tables::unit_children(lang, &l, ui) { (t.render(lang)) }
        (layout::bar_chart(lang, "stemmen-grafiek", &format!("{} – {}", lang.t("Stemmen per lijst", "Votes per list"), u.data.name), lang.t("Stemmen", "Votes"), &bars))
        (tables::unit_parties(lang, &l, ui).render(lang))
        @if u.data.level >= Level::Gemeente || l.units.iter().all(|x| x.data.level != Level::Kieskring) {
            @if let Some(t) = tables::unit_candidates(lang, &l, ui) { (t.render(lang)) }
        }
    };
    // The area's name in the heading and the `<title>`, not "Per gebied".
    let title = format!("{} – {}", u.data.name, l.meta.name);
    Ok(election_page_titled(
        &ctx,
        &l,
        Tab::Area,
        &title,
        &crumbs[1..],
        &body,
    ))
}

pub async fn csv(
    ctx: Ctx,
    Election(l): Election,
    Path((_, table)): Path<(String, String)>,
    Query(params): Query<Vec<(String, String)>>,
) -> Result<Response, AppError> {
    let lang = ctx.lang;
    let table_name = table.trim_end_matches(".csv");
    // `vorm=excel`: the Dutch Excel form (semicolons, decimal comma) beside the machine form.
    let excel = match params
        .iter()
        .rev()
        .find(|(k, _)| k == layout::EXCEL_PARAM.0)
    {
        None => false,
        Some((_, v)) if v == layout::EXCEL_PARAM.1 => true,
        Some((_, v)) => {
            return Err(AppError::bad_request(format!(
                "Parameter vorm: ‘{v}’ kan niet; alleen ‘excel’ / only ‘excel’ is allowed"
            )));
        }
    };
    let params: Vec<(String, String)> = params
        .into_iter()
        .filter(|(k, _)| k != layout::EXCEL_PARAM.0)
        .collect();
    let t = if table_name == "lijsten" {
        Some(tables::lists(lang, &l))
    } else if table_name == "gekozen" {
        Some(tables::elected(lang, &l))
    } else if table_name == "boven-drempel-niet-gekozen" {
        Some(tables::above_threshold_not_elected(lang, &l))
    } else if table_name == "marges" {
        if Web::margins(&l, MARGIN_WAIT).await.is_none() {
            return Err(still_computing());
        }
        tables::margins(lang, &l)
    } else if table_name == "hervorming" {
        Some(tables::reform(lang, &l))
    } else if table_name == "wat-als" {
        let q = Question::parse(&params, &l).map_err(|e| {
            AppError::bad_request(
                e.iter()
                    .map(|x| lang.t(&x.nl, &x.en).to_string())
                    .collect::<Vec<_>>()
                    .join("; "),
            )
        })?;
        let a = whatif::answer(&l, &q).map_err(|e| AppError::bad_request(e.message_nl()))?;
        Some(tables::what_if(lang, &l, &a, String::new()))
    } else if let Some(n) = table_name
        .strip_prefix("ranking-")
        .and_then(|n| n.parse().ok())
    {
        tables::ranking(lang, &l, n)
    } else if let Some(i) = table_name
        .strip_prefix("stap-")
        .and_then(|n| n.parse::<usize>().ok())
    {
        let steps: &[Step] = match &l.outcome {
            Ok(Apportionment::Complete(o)) => &o.steps,
            Ok(Apportionment::LotRequired(r)) => &r.steps,
            Err(_) => &[],
        };
        i.checked_sub(1)
            .and_then(|k| steps.get(k).and_then(|s| tables::step(lang, &l, k, s)))
    } else if let Some(rest) = table_name.strip_prefix("gebied-") {
        let (unit, kind) = rest.rsplit_once('-').ok_or_else(AppError::not_found)?;
        let ui = *l.unit_index.get(unit).ok_or_else(AppError::not_found)?;
        match kind {
            "partijen" => Some(tables::unit_parties(lang, &l, ui)),
            "onderdelen" => tables::unit_children(lang, &l, ui),
            "kandidaten" => tables::unit_candidates(lang, &l, ui),
            _ => None,
        }
    } else {
        None
    };
    let t = t.ok_or_else(AppError::not_found)?;
    Ok(if excel {
        layout::csv_response(
            &format!("{}-{table_name}-excel.csv", l.id()),
            t.to_csv_excel(),
        )
    } else {
        layout::csv_response(&format!("{}-{table_name}.csv", l.id()), t.to_csv())
    })
}

#[derive(serde::Deserialize, Default)]
pub struct Notice {
    melding: Option<String>,
}

pub async fn admin(
    ctx: Ctx,
    State(state): State<AppState>,
    _: RequireRole<Beheer>,
    Query(n): Query<Notice>,
) -> Result<Markup, AppError> {
    let lang = ctx.lang;
    let list = state.db().call(|c| Ok(store::list(c)?)).await?;
    let notice = match n.melding.as_deref() {
        Some("verwijderd") => Some(lang.t(
            "De verkiezing is verwijderd.",
            "The election has been deleted.",
        )),
        Some("demo") => Some(lang.t(
            "De demo is opnieuw gemaakt.",
            "The demo has been recreated.",
        )),
        _ => None,
    };
    Ok(page(
        &ctx,
        lang.t("Beheer verkiezingen", "Manage elections"),
        html! {
            h1 { (lang.t("Beheer verkiezingen", "Manage elections")) }
            @if let Some(t) = notice { div.notice role="status" { p { (t) } } }
            div.table-wrap role="region" aria-labelledby="beheer-caption" tabindex="0" {
                table.data {
                    caption #beheer-caption { (lang.t("Verkiezingen", "Elections")) }
                    thead { tr {
                        th scope="col" { (lang.t("Naam", "Name")) }
                        th scope="col" { (lang.t("Bron", "Source")) }
                        th scope="col" { (lang.t("Actie", "Action")) }
                    } }
                    tbody {
                        @for e in &list {
                            tr {
                                th scope="row" { a href={"/verkiezingen/" (e.id)} { (e.name) } }
                                td { (e.source.code()) }
                                td {
                                    a href={"/verkiezingen/" (e.id) "/verwijderen"} { (lang.t("Verwijderen…", "Delete…")) span.visually-hidden { ": " (e.name) } }
                                }
                            }
                        }
                    }
                }
            }
            h2 { (lang.t("Demo opnieuw maken", "Recreate the demo")) }
            p { (lang.t("Dit verwijdert de demoverkiezingen en maakt ze opnieuw. Andere verkiezingen blijven staan.",
                "This deletes the demo elections and creates them again. Other elections stay.")) }
            form method="post" action="/beheer/demo-herstellen" {
                (csrf_field(&ctx))
                button.button.secondary type="submit" { (lang.t("Demo opnieuw maken", "Recreate demo")) }
            }
            (crate::verification::upload_form(&ctx))
        },
    ))
}

#[derive(serde::Deserialize, Default)]
pub struct DeleteForm {
    bevestigd: Option<String>,
}

/// `POST /verkiezingen/{id}/verwijderen`: deletes only with `bevestigd=ja` (the confirmation
/// page's button); otherwise it sends the user to that page.
pub async fn delete(
    State(state): State<AppState>,
    Extension(web): WebState,
    Path(id): Path<String>,
    axum::Form(form): axum::Form<DeleteForm>,
) -> Result<Response, AppError> {
    if form.bevestigd.as_deref() != Some("ja") {
        return Ok(Redirect::to(&format!("/verkiezingen/{id}/verwijderen")).into_response());
    }
    let found = state.db().call(move |c| Ok(store::delete(c, &id)?)).await?;
    web.invalidate();
    if !found {
        return Err(AppError::not_found());
    }
    Ok(Redirect::to("/beheer/verkiezingen?melding=verwijderd").into_response())
}

pub async fn reset_demo(
    State(state): State<AppState>,
    Extension(web): WebState,
) -> Result<Response, AppError> {
    state.db().call(|c| Ok(store::reset_demo(c)?)).await?;
    web.invalidate();
    Ok(Redirect::to("/beheer/verkiezingen?melding=demo").into_response())
}
