//! Finding an election: the home page grouped by election type and year, the search page
//! (`/zoeken`) and its JSON twin (`/api/search`), and a page per gemeente across elections.

use std::collections::BTreeMap;

use axum::Json;
use axum::extract::{Path, Query, State};
use maud::{Markup, html};
use webkit::layout::{Cell, Column, Table};
use webkit::{AppError, AppState, Ctx, Lang, page};

use crate::model::Source;
use crate::search::{self, Kind};
use crate::{WebState, store};

/// Groups with more elections than this start folded on the home page.
const OPEN_GROUP_MAX: usize = 12;
/// Results per kind on the search page.
pub(crate) const PAGE_LIMIT: usize = 20;

#[derive(serde::Deserialize, Default)]
pub struct SearchParams {
    q: Option<String>,
    limit: Option<String>,
}

fn year(date: &str) -> &str {
    date.get(..4).unwrap_or(date)
}

/// The body's name as a heading: "Gemeenteraad", "Municipal council"; an unknown code as it is.
fn body_title(lang: Lang, code: &str) -> String {
    kieswet::Body::from_code(code).map_or_else(
        || code.to_string(),
        |b| crate::status::capitalized(&crate::pages::body_name(lang, b)),
    )
}

/// The search form (on the home and the search page).
fn search_form(lang: Lang, q: &str) -> Markup {
    html! {
        form.form.search-form role="search" aria-label=(lang.t("Zoeken in alle verkiezingen", "Search all elections")) method="get" action="/zoeken" {
            div.field {
                label.field-label for="f-q" { (lang.t("Zoek een kandidaat, gemeente, partij of verkiezing", "Find a candidate, municipality, party or election")) }
                p.field-hint #f-q-hint { (lang.t("Het begin van een woord is genoeg, bijvoorbeeld ‘rut’ of ‘zuid’. Hoofdletters en accenten maken niet uit.",
                    "The start of a word is enough, e.g. ‘rut’ or ‘zuid’. Capitals and accents do not matter.")) }
                div.search-row {
                    input.input #f-q type="search" name="q" value=(q) aria-describedby="f-q-hint" autocomplete="off";
                    @if lang == Lang::En { input type="hidden" name="lang" value="en"; }
                    button.button type="submit" { (lang.t("Zoeken", "Search")) }
                }
            }
        }
    }
}

/// Home: the search form, then the elections grouped by type and year, newest first. Read
/// from memory and rendered once per language until the stored elections change
/// ([`crate::Web::elections`]).
pub async fn home(
    ctx: Ctx,
    State(state): State<AppState>,
    axum::Extension(web): WebState,
) -> Result<Markup, AppError> {
    let lang = ctx.lang;
    let elections = web.elections(&state).await?;
    let body = elections.home(lang, || home_body(lang, &elections.list));
    Ok(page(
        &ctx,
        lang.t("Verkiezingsuitslagen", "Election results"),
        html! { (body) },
    ))
}

fn home_body(lang: Lang, list: &[store::Summary]) -> Markup {
    // (year, body order) → elections; newest year first, then the body order of the Kieswet.
    let mut groups: BTreeMap<(std::cmp::Reverse<String>, usize, String), Vec<&store::Summary>> =
        BTreeMap::new();
    for e in list {
        let order = kieswet::Body::from_code(&e.body)
            .and_then(|b| kieswet::Body::ALL.iter().position(|x| *x == b))
            .unwrap_or(usize::MAX);
        groups
            .entry((
                std::cmp::Reverse(year(&e.date).to_string()),
                order,
                e.body.clone(),
            ))
            .or_default()
            .push(e);
    }
    for g in groups.values_mut() {
        g.sort_by(|a, b| a.name.cmp(&b.name));
    }
    html! {
        h1 { (lang.t("Verkiezingsuitslagen", "Election results")) }
        p.lead { (lang.t(
            "Hier ziet u hoe de zetels verdeeld worden. Elke stap staat erbij, met het artikel uit de Kieswet. Zo kunt u alles zelf controleren.",
            "See how the seats are divided. Every step is shown, with its article of the Dutch Elections Act, so you can check everything yourself.")) }
        (search_form(lang, ""))
        @if list.is_empty() {
            p { (lang.t("Er zijn nog geen verkiezingen.", "There are no elections yet.")) }
        }
        @for ((y, _, body), es) in &groups {
            @let title = format!("{} {}", body_title(lang, body), y.0);
            @let count = format!("{} {}", es.len(), if es.len() == 1 { lang.t("verkiezing", "election") } else { lang.t("verkiezingen", "elections") });
            section.election-group aria-label=(title) {
                @if es.len() > OPEN_GROUP_MAX {
                    details {
                        summary { h2 { (title) " " span.muted { "(" (count) ")" } } }
                        (election_list(lang, es))
                    }
                } @else {
                    h2 { (title) " " span.muted { "(" (count) ")" } }
                    (election_list(lang, es))
                }
            }
        }
    }
}

fn election_list(lang: Lang, es: &[&store::Summary]) -> Markup {
    html! {
        ul.election-list {
            @for e in es {
                li {
                    a href={"/verkiezingen/" (e.id)} { (e.name) }
                    span.election-facts {
                        (e.date) " · " (e.seats) " " (if e.seats == 1 { lang.t("zetel", "seat") } else { lang.t("zetels", "seats") }) " · "
                        @if e.source == Source::Demo { (lang.t("demo (verzonnen)", "demo (made up)")) }
                        @else if let Some(v) = &e.verification {
                            a href={"/verkiezingen/" (e.id) "/controle"} { (crate::import::status_text(lang, v)) }
                        } @else { (lang.t("ingelezen", "imported")) }
                    }
                }
            }
        }
    }
}

/// `limit`: 1 to [`search::MAX_LIMIT`]; anything else is an error naming the parameter.
fn parse_limit(s: Option<&str>, default: usize) -> Result<usize, AppError> {
    match s.map(str::trim) {
        None | Some("") => Ok(default),
        Some(v) => v
            .parse::<usize>()
            .ok()
            .filter(|n| (1..=search::MAX_LIMIT).contains(n))
            .ok_or_else(|| {
                AppError::bad_request(format!(
                    "Parameter limit: ‘{v}’ is geen geheel getal van 1 tot en met {} / is not a whole number from 1 to {}",
                    search::MAX_LIMIT,
                    search::MAX_LIMIT
                ))
            }),
    }
}

/// `GET /api/search?q=…&limit=…`.
pub async fn api_search(
    State(state): State<AppState>,
    axum::Extension(web): WebState,
    Query(p): Query<SearchParams>,
) -> Result<Json<serde_json::Value>, AppError> {
    let q = p.q.as_deref().map(str::trim).unwrap_or_default();
    if q.is_empty() {
        return Err(AppError::bad_request(
            "Parameter q: vul een zoekterm in / give a search term",
        ));
    }
    let limit = parse_limit(p.limit.as_deref(), PAGE_LIMIT)?;
    let ix = web.search_index(&state).await?;
    let a = ix.search(q, limit);
    Ok(Json(serde_json::json!({
        "query": a.query,
        "total": a.total(),
        "groups": a.groups,
    })))
}

fn kind_detail(lang: Lang, e: &search::Entry) -> String {
    match (lang, e.kind) {
        (Lang::En, Kind::Candidate) => {
            format!(
                "list {}, number {} – {}",
                e.list.unwrap_or(0),
                e.position.unwrap_or(0),
                e.election.as_ref().map_or("", |x| x.name.as_str())
            )
        }
        _ => e.detail.clone(),
    }
}

/// `GET /zoeken?q=…`.
pub async fn search_page(
    ctx: Ctx,
    State(state): State<AppState>,
    axum::Extension(web): WebState,
    Query(p): Query<SearchParams>,
) -> Result<Markup, AppError> {
    let lang = ctx.lang;
    let q =
        p.q.as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .to_string();
    let answer = if q.is_empty() {
        None
    } else {
        Some(web.search_index(&state).await?.search(&q, PAGE_LIMIT))
    };
    let title = if q.is_empty() {
        lang.t("Zoeken", "Search").to_string()
    } else {
        format!("{} ‘{q}’", lang.t("Zoeken naar", "Search for"))
    };
    Ok(page(
        &ctx,
        &title,
        html! {
            h1 { (title) }
            (search_form(lang, &q))
            @if let Some(a) = &answer {
                p role="status" {
                    @match a.total() {
                        0 => { (lang.t("Niets gevonden. Probeer het begin van een ander woord.", "Nothing found. Try the start of another word.")) }
                        1 => { (lang.t("1 resultaat gevonden.", "1 result found.")) }
                        n => { (webkit::fmt::int(lang, n as u64)) " " (lang.t("resultaten gevonden.", "results found.")) }
                    }
                }
                @for g in a.groups.iter().filter(|g| g.total > 0) {
                    section.search-group {
                        h2 { (g.kind.heading(lang)) " " span.muted { "(" (webkit::fmt::int(lang, g.total as u64)) ")" } }
                        ul.search-results {
                            @for e in &g.results {
                                li {
                                    a href=(e.href) { (e.name) }
                                    " " span.search-detail lang=[(lang == Lang::En && e.kind != Kind::Candidate).then_some("nl")] { (kind_detail(lang, e)) }
                                }
                            }
                        }
                        @if g.total > g.results.len() {
                            p.muted { (lang.t("Alleen de eerste ", "Only the first ")) (g.results.len()) (lang.t(" staan hier. Maak de zoekterm langer om er minder te vinden.", " are shown. Make the search longer to find fewer.")) }
                        }
                    }
                }
            }
        },
    ))
}

/// Seats per party (folded name → (shown name, seats)) of an election that is one
/// gemeente's own council election.
async fn council_seats(
    web: &crate::Web,
    state: &AppState,
    id: &str,
) -> Option<BTreeMap<String, (String, u32)>> {
    let l = web.get(state, id).await.ok()?;
    let o = l.complete()?;
    Some(
        l.election
            .parties
            .iter()
            .zip(&o.parties)
            .map(|(p, s)| {
                let shown = if p.name.trim().is_empty() {
                    crate::tables::list_label(p.number, &p.name)
                } else {
                    p.name.clone()
                };
                (search::fold(&shown).trim().to_string(), (shown, s.seats))
            })
            .collect(),
    )
}

fn signed(lang: Lang, d: i64) -> String {
    match d.cmp(&0) {
        std::cmp::Ordering::Greater => format!("+{}", webkit::fmt::int(lang, d)),
        std::cmp::Ordering::Less => format!("−{}", webkit::fmt::int(lang, -d)),
        std::cmp::Ordering::Equal => "0".into(),
    }
}

/// `GET /gemeenten/{slug}`: a gemeente across the stored elections, with the seat changes of
/// its council against the previous council election where both are stored.
pub async fn gemeente(
    ctx: Ctx,
    State(state): State<AppState>,
    axum::Extension(web): WebState,
    Path(slug): Path<String>,
) -> Result<Markup, AppError> {
    let lang = ctx.lang;
    let ix = web.search_index(&state).await?;
    let g = ix.gemeente(&slug).ok_or_else(AppError::not_found)?.clone();
    let councils: Vec<&search::GemeenteIn> = g.elections.iter().filter(|e| e.own_council).collect();
    let mut council = None;
    if let Some(now) = councils.first() {
        let seats_now = council_seats(&web, &state, &now.election.id).await;
        let before = match councils.get(1) {
            Some(b) => council_seats(&web, &state, &b.election.id)
                .await
                .map(|s| (*b, s)),
            None => None,
        };
        council = seats_now.map(|s| (*now, s, before));
    }
    let mut elections = Table::new(
        "gemeente-verkiezingen",
        format!("{} {}", lang.t("Verkiezingen in", "Elections in"), g.name),
        vec![
            Column::text(lang.t("Verkiezing", "Election")),
            Column::text(lang.t("Datum", "Date")),
            Column::text(lang.t("Uitslag in deze gemeente", "Result in this municipality")),
        ],
    );
    for e in &g.elections {
        elections.row(vec![
            Cell::new(e.election.name.clone()).link(format!("/verkiezingen/{}", e.election.id)),
            Cell::new(e.election.date.clone()),
            Cell::new(lang.t("stemmen per lijst", "votes per list"))
                .link(format!("/verkiezingen/{}/gebied/{}", e.election.id, e.unit)),
        ]);
    }
    let title = format!("{} {}", lang.t("Gemeente", "Municipality"), g.name);
    Ok(page(
        &ctx,
        &title,
        html! {
            (webkit::layout::breadcrumbs(lang, &[
                ("/".to_string(), lang.t("Verkiezingen", "Elections").to_string()),
                (format!("/gemeenten/{slug}"), g.name.clone()),
            ]))
            h1 { (title) }
            @if let Some((now, seats, before)) = &council {
                h2 { (lang.t("Gemeenteraad", "Municipal council")) }
                @match before {
                    Some((b, old)) => {
                        p { (lang.t("Zetels in de gemeenteraad bij ", "Seats in the council at ")) (now.election.name)
                            (lang.t(", vergeleken met ", ", compared with ")) (b.election.name) "." }
                        (change_table(lang, &now.election, seats, &b.election, old).render(lang))
                        p.muted { (lang.t("Partijen zijn gekoppeld op hun naam zoals op de kandidatenlijst. Een partij die een andere naam kreeg, staat er twee keer.",
                            "Parties are matched by their name on the candidate list. A party that changed its name appears twice.")) }
                    }
                    None => {
                        p { (lang.t("Er is geen eerdere gemeenteraadsverkiezing van deze gemeente opgeslagen, dus er is geen vergelijking.",
                            "No earlier council election of this municipality is stored, so there is no comparison.")) }
                        (change_table(lang, &now.election, seats, &now.election, &BTreeMap::new()).render(lang))
                    }
                }
            }
            (elections.render(lang))
        },
    ))
}

fn change_table(
    lang: Lang,
    now: &search::ElectionRef,
    seats: &BTreeMap<String, (String, u32)>,
    before: &search::ElectionRef,
    old: &BTreeMap<String, (String, u32)>,
) -> Table {
    let compare = !old.is_empty();
    let mut cols = vec![
        Column::text(lang.t("Partij", "Party")),
        Column::num(format!("{} {}", lang.t("Zetels", "Seats"), year(&now.date))),
    ];
    if compare {
        cols.push(Column::num(format!(
            "{} {}",
            lang.t("Zetels", "Seats"),
            year(&before.date)
        )));
        cols.push(Column::num(lang.t("Verschil", "Change")));
    }
    let mut t = Table::new(
        "gemeente-zetels",
        if compare {
            lang.t(
                "Zetels per partij en verschil",
                "Seats per party and change",
            )
        } else {
            lang.t("Zetels per partij", "Seats per party")
        },
        cols,
    );
    let mut keys: Vec<&String> = seats.keys().chain(old.keys()).collect();
    keys.sort();
    keys.dedup();
    let mut rows: Vec<(u32, u32, String)> = keys
        .into_iter()
        .map(|k| {
            let (name_now, n) = seats.get(k).cloned().unwrap_or_default();
            let (name_old, o) = old.get(k).cloned().unwrap_or_default();
            (
                n,
                o,
                if name_now.is_empty() {
                    name_old
                } else {
                    name_now
                },
            )
        })
        .filter(|(n, o, _)| *n > 0 || *o > 0)
        .collect();
    rows.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)).then(a.2.cmp(&b.2)));
    for (n, o, name) in rows {
        let mut r = vec![Cell::new(name), Cell::int(lang, n)];
        if compare {
            let d = i64::from(n) - i64::from(o);
            r.push(Cell::int(lang, o));
            r.push(Cell::new(signed(lang, d)).sort_key(d.to_string()));
        }
        t.row(r);
    }
    t
}
