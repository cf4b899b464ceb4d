//! Paper questionnaires: the printable blank form per group, typing a filled-in form in, and
//! the trekker's preview of the whole questionnaire (nothing is saved).

use super::form_errors::summary;
use super::{
    AppError, AppState, Ctx, Day, Fields, Form, Group, ItemKind, Markup, OrgKind, Path, QLang,
    READ_SCAN, Redirect, Response, Role, ScanStatus, State, StatusCode, actor, csrf_field, field,
    fill, html, item_input, on_scan, page, parse_answers, require, store, style,
};
use crate::questionnaire::{Answers, Questionnaire};
use axum::response::IntoResponse;
use std::collections::HashMap;

/// Print styles for the blank form (A4, no navigation) and the preview.
const PAPER_CSS: &str = "
.qs-paper h2{break-after:avoid}
.qs-paper .qs-q{break-inside:avoid;margin:0 0 1.25rem}
.qs-paper .qs-q p{margin:0 0 .4rem;font-weight:bold}
.qs-boxes{display:flex;flex-wrap:wrap;gap:.35rem 1.25rem;list-style:none;padding:0;margin:0}
.qs-boxes li{display:flex;align-items:center;gap:.4rem}
.qs-box{display:inline-block;width:1rem;height:1rem;border:2px solid #000;flex:none}
.qs-line{border-bottom:1px solid #000;height:2rem}
.qs-rank .qs-box{width:1.6rem;height:1.3rem}
.qs-paper-head{border:2px solid #000;padding:.75rem 1rem;margin:0 0 1.5rem}
.qs-preview-note{border-left:4px solid #01689b;padding:.5rem 1rem;background:#eef6fb}
@page{size:A4;margin:15mm}
@media print{body{font-size:11pt}.qs-paper h1{font-size:18pt}.qs-paper h2{font-size:14pt}main{max-width:none;padding:0}}
";

pub(super) async fn paper_css() -> Response {
    super::css_response(PAPER_CSS)
}

fn paper_style() -> Markup {
    html! { (style()) link rel="stylesheet" href="/qs/static/papier.css"; }
}

/// The dashboard's links to the preview and the blank forms (and, for a voortgangsmeting in
/// concept, to taking over from the previous wave).
pub(super) fn dashboard_links(ctx: &Ctx, org: &str, s: &store::Scan) -> Markup {
    let base = format!("/qs/{org}/scans/{}", s.id);
    html! {
        (super::waves::dashboard_link(ctx, org, s))
        p.qs-noprint { "Vragenlijst: "
            a href={(base) "/voorbeeld/raad"} { "Voorbeeld bekijken" } " · "
            a href={(base) "/papier"} { "Papieren vragenlijsten" } }
    }
}

fn group_of(g: &str) -> Result<Group, AppError> {
    Group::parse(g).ok_or_else(AppError::not_found)
}

async fn load(
    st: &AppState,
    org: &str,
    scan: i64,
) -> Result<(store::Scan, Questionnaire, store::Org), AppError> {
    on_scan(st, org, scan, move |c, s| {
        let q = store::scan_questionnaire(c, &s)?;
        let o = store::org(c, &s.org_id)?;
        Ok((s, q, o))
    })
    .await
}

/// One question on paper: the text in the group's wording, then boxes or lines.
fn paper_item(
    q: &Questionnaire,
    it: &crate::questionnaire::Item,
    group: Group,
    kind: OrgKind,
) -> Markup {
    let text = fill(&it.wording(group).nl, kind, QLang::Nl);
    html! {
        div.qs-q {
            p { (text) }
            @match &it.kind {
                ItemKind::Scale { scale } => {
                    @let sc = q.scale(scale);
                    ul.qs-boxes {
                        @for l in sc.map(|s| s.labels.clone()).unwrap_or_default() { li { span.qs-box aria-hidden="true" {} (l.nl) } }
                        @if let Some(dk) = sc.and_then(|s| s.dont_know.clone()) { li { span.qs-box aria-hidden="true" {} (dk.nl) } }
                    }
                }
                ItemKind::Choice { options } => {
                    ul.qs-boxes { @for o in options { li { span.qs-box aria-hidden="true" {} (fill(&o.nl, kind, QLang::Nl)) } } }
                }
                ItemKind::Ranking { options, pick } => {
                    p.qs-hint { "Zet een 1 bij wat u het belangrijkst vindt, een 2 bij het tweede" @if *pick > 2 { ", een 3 bij het derde" } ". Kies er hoogstens " (pick) "." }
                    ul.qs-boxes.qs-rank { @for o in options { li { span.qs-box aria-hidden="true" {} (fill(&o.nl, kind, QLang::Nl)) } } }
                }
                ItemKind::Open => {
                    @for _ in 0..4 { div.qs-line aria-hidden="true" {} }
                }
            }
        }
    }
}

/// `GET …/papier/{groep}/formulier`: the blank questionnaire to print, for one group. The
/// optional query fields `retour` (where to hand it in) and `uiterlijk` (by when) are printed.
pub(super) async fn blank_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan, group)): Path<(String, i64, String)>,
    axum::extract::Query(query): axum::extract::Query<HashMap<String, String>>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, READ_SCAN)?;
    let group = group_of(&group)?;
    let (s, q, o) = load(&st, &org, scan).await?;
    let retour = query.get("retour").map_or("", |v| v.trim());
    let uiterlijk = query.get("uiterlijk").map_or("", |v| v.trim());
    let glabel = group.label(o.kind, QLang::Nl);
    let base = format!("/qs/{org}/scans/{}", s.id);
    Ok(page(
        &ctx,
        &format!("Papieren vragenlijst voor {}", glabel.to_lowercase()),
        html! {
            (paper_style())
            div.qs-noprint {
                p { a href={(base) "/papier"} { "Terug naar papieren vragenlijsten" } }
                form method="get" action={(base) "/papier/" (group.as_str()) "/formulier"} {
                    div.field { label for="retour" { "Waar levert men het formulier in? (komt op het formulier)" } input #retour name="retour" type="text" value=(retour); }
                    div.field { label for="uiterlijk" { "Uiterlijk inleveren op (komt op het formulier)" } input #uiterlijk name="uiterlijk" type="text" value=(uiterlijk); }
                    button.button.secondary type="submit" { "Formulier bijwerken" }
                }
                p { "Druk deze pagina af (A4). Menu en knoppen komen niet op papier." }
            }
            article.qs-paper {
                h1 { "Quick Scan Lokale Democratie — " (o.name) }
                div.qs-paper-head {
                    p { "Vragenlijst voor " strong { (glabel.to_lowercase()) } ". " (fill("{Overheid} wil weten hoe inwoners, raad, college en ambtenaren denken over meedoen, invloed, informatie en vertrouwen.", o.kind, QLang::Nl)) }
                    p { "Zet bij elke vraag een kruisje in één hokje. Bij een open vraag schrijft u uw antwoord op de lijnen. Alle vragen zijn vrijwillig. Schrijf uw naam niet op het formulier: uw antwoorden zijn anoniem." }
                    p { "Inleveren bij: " @if retour.is_empty() { "……………………………………………………" } @else { strong { (retour) } } }
                    p { "Uiterlijk: " @if uiterlijk.is_empty() { "……………………" } @else { strong { (uiterlijk) } } }
                }
                @for (i, t) in q.themes.iter().enumerate() {
                    section {
                        h2 { (i + 1) ". " (fill(&t.title.nl, o.kind, QLang::Nl)) }
                        p { (fill(&t.intro.nl, o.kind, QLang::Nl)) }
                        @for it in &t.items { (paper_item(&q, it, group, o.kind)) }
                    }
                }
                p { "Dank u wel voor het invullen." }
            }
        },
    ))
}

/// `GET …/voorbeeld/{groep}`: the whole questionnaire as a respondent of the group sees it, all
/// steps on one page. Nothing is saved: the page has no form that posts and writes nothing.
pub(super) async fn preview(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan, group)): Path<(String, i64, String)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, READ_SCAN)?;
    let group = group_of(&group)?;
    let (s, q, o) = load(&st, &org, scan).await?;
    let base = format!("/qs/{org}/scans/{}", s.id);
    let n = q.themes.len();
    Ok(page(
        &ctx,
        &format!(
            "Voorbeeld van de vragenlijst voor {}",
            group.label(o.kind, QLang::Nl).to_lowercase()
        ),
        html! {
            (paper_style())
            h1 { "Voorbeeld van de vragenlijst" }
            div.qs-preview-note role="note" {
                p { "Zo ziet de vragenlijst eruit voor " strong { (group.label(o.kind, QLang::Nl).to_lowercase()) } ". U kunt alles aanklikken; er wordt niets opgeslagen en niets verstuurd." }
            }
            nav aria-label="Voorbeeld per groep" { p { "Bekijk voor: "
                @for (i, g) in Group::ALL.iter().enumerate() {
                    @if i > 0 { " · " }
                    @if *g == group { strong aria-current="page" { (g.label(o.kind, QLang::Nl)) } }
                    @else { a href={(base) "/voorbeeld/" (g.as_str())} { (g.label(o.kind, QLang::Nl)) } }
                }
            } }
            @for (i, t) in q.themes.iter().enumerate() {
                section aria-labelledby={"stap-" (i + 1)} {
                    p.qs-steps { "Stap " (i + 1) " van " (n) }
                    h2 id={"stap-" (i + 1)} { (fill(&t.title.nl, o.kind, QLang::Nl)) }
                    p { (fill(&t.intro.nl, o.kind, QLang::Nl)) }
                    @for it in &t.items { (item_input(&q, it, group, o.kind, None)) }
                }
            }
            p { a href=(base) { "Terug naar de scan" } " · " a href={(base) "/papier/" (group.as_str()) "/formulier"} { "Papieren versie voor deze groep" } }
        },
    ))
}

/// The paper page; `scan` is the scan, its questionnaire and the organisation's kind.
fn entry_page(
    ctx: &Ctx,
    org: &str,
    (s, q, kind): (&store::Scan, &Questionnaire, OrgKind),
    group: Group,
    answers: &Answers,
    error: Option<&str>,
) -> Markup {
    let base = format!("/qs/{org}/scans/{}", s.id);
    let errors: Vec<(&'static str, String)> = error
        .map(|e| vec![("_group", e.to_owned())])
        .unwrap_or_default();
    page(
        ctx,
        if error.is_some() {
            "Fout: papieren vragenlijst invoeren"
        } else {
            "Papieren vragenlijsten"
        },
        html! {
            (style())
            h1 { "Papieren vragenlijsten" }
            (summary(ctx, &errors))
            @if error.is_none() && ctx.query.as_deref().is_some_and(|q| q.split('&').any(|p| p == "opgeslagen=1")) {
                div.notice role="status" { p { "De papieren vragenlijst is opgeslagen. U kunt de volgende invoeren." } }
            }
            h2 { "Lege vragenlijst afdrukken" }
            p { "Per groep een lege vragenlijst om af te drukken, met de vragen zoals die groep ze krijgt en uw eigen vragen." }
            ul { @for g in Group::ALL { li { a href={(base) "/papier/" (g.as_str()) "/formulier"} { "Papieren vragenlijst voor " (g.label(kind, QLang::Nl).to_lowercase()) } } } }
            h2 { "Ingevulde vragenlijst invoeren" }
            @if s.status == ScanStatus::Open {
                p { "Neem de antwoorden van één papieren vragenlijst over. Ze worden opgeslagen als ‘papier’. Dat kan alleen zolang de vragenlijst open is. Papieren antwoorden tellen niet mee voor de kleinste groepsgrootte, en het rapport laat per groep zien hoeveel antwoorden op papier kwamen." }
                form method="post" action={(base) "/papier"} {
                    (csrf_field(ctx))
                    fieldset.field.field-error-state[error.is_some()] #f-_group aria-describedby=[error.map(|_| "f-_group-error")] { legend { "Groep" }
                        @if let Some(e) = error { p.field-error #f-_group-error { span.visually-hidden { "Fout: " } (e) } }
                        @for (i, g) in Group::ALL.iter().enumerate() {
                            div.radio { input id={"pg-" (i)} type="radio" name="_group" value=(g.as_str()) checked[*g == group]; label for={"pg-" (i)} { (g.label(kind, QLang::Nl)) } }
                        }
                    }
                    @for t in &q.themes {
                        h3 { (fill(&t.title.nl, kind, QLang::Nl)) }
                        @for it in &t.items { (item_input(q, it, group, kind, answers.get(&it.key))) }
                    }
                    button.button type="submit" { "Papieren antwoorden opslaan" }
                }
            } @else {
                p { "Invoeren kan alleen zolang de vragenlijst open is." }
            }
            p { a href=(base) { "Terug naar de scan" } }
        },
    )
}

pub(super) async fn paper_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, &[Role::Trekker])?;
    let (s, q, o) = load(&st, &org, scan).await?;
    Ok(entry_page(
        &ctx,
        &org,
        (&s, &q, o.kind),
        Group::Inwoners,
        &Answers::new(),
        None,
    ))
}

/// What a paper form's POST leads to.
enum Outcome {
    Saved,
    /// The check page ("Klopt dit?") before saving.
    Check(Entry),
    /// Back to the entry page with the answers, to correct them.
    Back(Entry),
    Refused(Entry, String),
}

struct Entry {
    s: store::Scan,
    q: Questionnaire,
    kind: OrgKind,
    answers: Answers,
}

/// `POST …/papier`: a typed-in paper form is saved only after a check page (a paper answer can
/// never be taken out again: nothing links it to its form). Without `bevestigd=ja` the server
/// shows what it read; `bevestigd=nee` goes back to the form with the answers kept.
pub(super) async fn paper_submit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    let a = actor(&ctx);
    let group = Group::parse(field(&f, "_group")).unwrap_or(Group::Inwoners);
    let step = field(&f, "bevestigd").to_owned();
    let kept: Fields = f
        .iter()
        .filter(|(k, _)| k != "bevestigd" && k != "_csrf")
        .cloned()
        .collect();
    let r = on_scan(&st, &org, scan, move |c, s| {
        let q = store::scan_questionnaire(c, &s)?;
        let keys: Vec<String> = q.items().map(|(_, i)| i.key.clone()).collect();
        let (answers, _) = parse_answers(&q, &keys, &f);
        let kind = store::org(c, &s.org_id)?.kind;
        if s.status != ScanStatus::Open {
            return Err(store::Error::State(
                "Papieren antwoorden kunnen alleen worden ingevoerd zolang de vragenlijst open is."
                    .into(),
            ));
        }
        let refusal = if answers.is_empty() {
            Some("Vul minstens één antwoord in.".to_owned())
        } else {
            q.validate(&answers).err()
        };
        let entry = Entry {
            s,
            q,
            kind,
            answers,
        };
        if let Some(m) = refusal {
            return Ok(Outcome::Refused(entry, m));
        }
        match step.as_str() {
            "ja" => {}
            "nee" => return Ok(Outcome::Back(entry)),
            _ => return Ok(Outcome::Check(entry)),
        }
        let today = Day::today();
        match store::enter_paper(c, entry.s.id, group, &entry.answers, today) {
            Ok(()) => {}
            Err(store::Error::Invalid(m)) => return Ok(Outcome::Refused(entry, m)),
            Err(e) => return Err(e),
        }
        store::audit_day(
            c,
            today,
            &a,
            Some(&entry.s.org_id),
            Some(entry.s.id),
            "papieren vragenlijst ingevoerd",
            "",
        )?;
        Ok(Outcome::Saved)
    })
    .await?;
    Ok(match r {
        Outcome::Saved => {
            Redirect::to(&format!("/qs/{org}/scans/{scan}/papier?opgeslagen=1")).into_response()
        }
        Outcome::Back(e) => {
            entry_page(&ctx, &org, (&e.s, &e.q, e.kind), group, &e.answers, None).into_response()
        }
        Outcome::Refused(e, m) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            entry_page(
                &ctx,
                &org,
                (&e.s, &e.q, e.kind),
                group,
                &e.answers,
                Some(&m),
            ),
        )
            .into_response(),
        Outcome::Check(e) => check_page(&ctx, &org, &e, group, &kept).into_response(),
    })
}

/// "Klopt dit?": the answers as read, to compare with the paper before they are stored.
fn check_page(ctx: &Ctx, org: &str, e: &Entry, group: Group, kept: &Fields) -> Markup {
    let base = format!("/qs/{org}/scans/{}", e.s.id);
    page(
        ctx,
        "Klopt dit? Papieren vragenlijst controleren",
        html! {
            (style())
            h1 { "Klopt dit?" }
            div.notice.warning role="note" {
                p { "Vergelijk deze antwoorden met het papieren formulier. Na het opslaan kunt u ze niet meer veranderen of weghalen: niets in de opslag wijst nog naar dit formulier." }
            }
            p { "Groep: " strong { (group.label(e.kind, QLang::Nl)) } " · " (e.answers.len()) @if e.answers.len() == 1 { " vraag" } @else { " vragen" } " beantwoord" }
            @for t in &e.q.themes {
                @let answered: Vec<_> = t.items.iter().filter_map(|it| e.answers.get(&it.key).map(|v| (it, v))).collect();
                @if !answered.is_empty() {
                    h2 { (fill(&t.title.nl, e.kind, QLang::Nl)) }
                    dl { @for (it, v) in &answered {
                        dt { (fill(&it.wording(group).nl, e.kind, QLang::Nl)) }
                        dd { (super::answer_text(&e.q, &it.key, v, e.kind)) }
                    } }
                }
            }
            form method="post" action={(base) "/papier"} {
                (csrf_field(ctx))
                @for (k, v) in kept { input type="hidden" name=(k) value=(v); }
                div.qs-buttons {
                    button.button type="submit" name="bevestigd" value="ja" { "Ja, papieren antwoorden opslaan" }
                    button.button.secondary type="submit" name="bevestigd" value="nee" { "Terug en verbeteren" }
                }
            }
        },
    )
}
