//! The scan's planning (issue 12): the dashboard section with the plan and what happened, and
//! the page where the trekker sets the opening day, closing day and reminder days.

use super::{
    AppError, AppState, Ctx, Day, Fields, Form, Markup, Path, READ_SCAN, Response, Role,
    ScanStatus, State, StatusCode, actor, audit_scan, back, csrf_field, field, html, on_scan, page,
    require, store, style, user,
};
use crate::store::{EventKind, EventState, Plan, PlanEvent};
use axum::response::IntoResponse;
use webkit::layout::{Field, error_summary, input};

/// What the dashboard and the planning page show.
pub(super) struct PlanView {
    pub plan: Plan,
    pub events: Vec<PlanEvent>,
    /// Why the scan cannot open yet (only while it is a concept with an opening day).
    pub blockers: Vec<String>,
    pub status: ScanStatus,
}

pub(super) fn plan_view(c: &rusqlite::Connection, s: &store::Scan) -> store::Result<PlanView> {
    let plan = store::plan(c, s.id)?;
    let blockers = if s.status == ScanStatus::Concept && plan.opens_on.is_some() {
        store::open_blockers(c, s, Day::today())?
    } else {
        Vec::new()
    };
    Ok(PlanView {
        events: store::plan_events(c, s.id)?,
        plan,
        blockers,
        status: s.status,
    })
}

/// "11 december en 15 december 2026".
fn day_list(days: &[Day]) -> String {
    let v: Vec<String> = days.iter().map(|d| d.long_nl()).collect();
    match v.split_last() {
        None => String::new(),
        Some((last, [])) => last.clone(),
        Some((last, rest)) => format!("{} en {last}", rest.join(", ")),
    }
}

/// The plan in one or more plain sentences.
fn plan_sentences(p: &Plan) -> Vec<String> {
    let mut v = Vec::new();
    if let Some(o) = p.opens_on {
        v.push(format!(
            "Opent op {}; de uitnodigingen gaan die ochtend weg.",
            o.long_weekday_nl()
        ));
    }
    if !p.reminders.is_empty() {
        v.push(format!(
            "Herinneringen op {} aan wie nog niet klaar is.",
            day_list(&p.reminders)
        ));
    }
    if let Some(c) = p.closes_on {
        v.push(format!(
            "Sluit op {} aan het eind van de dag.",
            c.long_weekday_nl()
        ));
    }
    v
}

fn counts(e: &PlanEvent) -> String {
    let mut parts = vec![format!("{} verstuurd", e.sent)];
    if e.failed > 0 {
        parts.push(format!("{} mislukt", e.failed));
    }
    if e.unknown > 0 {
        parts.push(format!(
            "van {} niet zeker of ze zijn aangekomen",
            e.unknown
        ));
    }
    parts.join(", ")
}

/// One event in a sentence. `plan` numbers the reminders ("herinnering 2").
fn event_sentence(e: &PlanEvent, plan: &Plan) -> String {
    let d = e.day.long_nl();
    let n = plan
        .reminders
        .iter()
        .position(|r| *r == e.day)
        .map_or_else(String::new, |i| format!(" {}", i + 1));
    let detail = if e.detail.is_empty() {
        String::new()
    } else {
        format!(" {}", e.detail)
    };
    match (e.kind, e.state) {
        (EventKind::Open, EventState::Done) => format!("{d}: vragenlijst geopend."),
        (EventKind::Open, EventState::Waiting) => format!("{d}: nog niet geopend.{detail}"),
        (EventKind::Open, _) => format!("{d}: niet geopend door de planning.{detail}"),
        (EventKind::Invitation, EventState::Busy) => {
            format!("{d}: de uitnodigingen worden verstuurd.")
        }
        (EventKind::Invitation, _) => format!("{d}: uitnodigingen: {}.", counts(e)),
        (EventKind::Reminder, EventState::Busy) => {
            format!("{d}: herinnering{n} wordt verstuurd.")
        }
        (EventKind::Reminder, EventState::Skipped) => {
            format!("{d}: herinnering{n} niet verstuurd.{detail}")
        }
        (EventKind::Reminder, _) => format!("{d}: herinnering{n}: {}.", counts(e)),
        (EventKind::Close, _) => format!("{d}: vragenlijst gesloten."),
    }
}

/// The events and, when needed, what "mislukt" and "niet zeker" mean.
fn events_list(events: &[PlanEvent], plan: &Plan) -> Markup {
    let failed = events.iter().any(|e| e.failed > 0);
    let unknown = events.iter().any(|e| e.unknown > 0);
    html! {
        @if !events.is_empty() {
            ul.qs-events { @for e in events { li { (event_sentence(e, plan)) } } }
            @if failed {
                p { "Mislukt: de e-mailserver nam de e-mail niet aan. Stuur deze mensen later een herinnering met de knop bij Respondenten." }
            }
            @if unknown {
                p { "Niet zeker: de server stopte tijdens het versturen. Die e-mail is misschien niet aangekomen. We sturen hem niet nog een keer, zodat niemand hem twee keer krijgt." }
            }
        }
    }
}

/// The dashboard section: the plan, why the scan cannot open yet, what happened.
pub(super) fn plan_section(base: &str, v: &PlanView, trekker: bool, url_set: bool) -> Markup {
    let sentences = plan_sentences(&v.plan);
    let mails_planned = v.plan.opens_on.is_some() || !v.plan.reminders.is_empty();
    html! {
        section aria-labelledby="planning" {
            h2 #planning { "Planning" }
            @if sentences.is_empty() {
                p { "Er is geen planning. U opent en sluit de vragenlijst zelf, en stuurt zelf herinneringen." }
            } @else {
                @for s in &sentences { p { (s) } }
            }
            @if mails_planned && !url_set {
                div.notice.warning role="note" {
                    p { "Zolang het webadres van de server niet is ingesteld, verstuurt de planning geen e-mail. Openen en sluiten gaan wel door." }
                }
            }
            @if !v.blockers.is_empty() {
                div.notice.warning role="note" {
                    p { strong { "De vragenlijst kan nog niet open:" } }
                    ul { @for b in &v.blockers { li { (b) } } }
                    p { "Zodra dit in orde is, opent de planning de vragenlijst (op of na de openingsdatum)." }
                }
            }
            @if !v.events.is_empty() {
                h3 { "Wat er is gebeurd" }
            }
            (events_list(&v.events, &v.plan))
            @if trekker {
                p.qs-noprint {
                    a href={(base) "/planning"} { "Planning aanpassen" }
                    " · "
                    a href={(base) "/teksten"} { "E-mailteksten aanpassen" }
                }
            }
        }
    }
}

/// The form's input as typed, so it can be shown again with the errors.
#[derive(Default)]
struct PlanInput {
    opens_on: String,
    closes_on: String,
    reminders: [String; 3],
}

impl PlanInput {
    fn of(p: &Plan) -> Self {
        let d = |x: Option<Day>| x.map(|d| d.to_string()).unwrap_or_default();
        PlanInput {
            opens_on: d(p.opens_on),
            closes_on: d(p.closes_on),
            reminders: [0, 1, 2].map(|i| d(p.reminders.get(i).copied())),
        }
    }

    fn from_form(f: &Fields) -> Self {
        PlanInput {
            opens_on: field(f, "opens_on").trim().to_owned(),
            closes_on: field(f, "closes_on").trim().to_owned(),
            reminders: ["remind1", "remind2", "remind3"].map(|n| field(f, n).trim().to_owned()),
        }
    }

    /// The plan, or the fields whose date cannot be read.
    fn parse(&self) -> Result<Plan, Vec<(&'static str, String)>> {
        let mut errs = Vec::new();
        let mut day = |name: &'static str, s: &str| -> Option<Day> {
            if s.is_empty() {
                return None;
            }
            let d = Day::parse(s);
            if d.is_none() {
                errs.push((
                    name,
                    "Deze datum klopt niet. Schrijf hem als jjjj-mm-dd.".into(),
                ));
            }
            d
        };
        let opens_on = day("opens_on", &self.opens_on);
        let closes_on = day("closes_on", &self.closes_on);
        let mut reminders: Vec<Day> = self
            .reminders
            .iter()
            .zip(["remind1", "remind2", "remind3"])
            .filter_map(|(s, n)| day(n, s))
            .collect();
        reminders.sort();
        if errs.is_empty() {
            Ok(Plan {
                opens_on,
                closes_on,
                reminders,
            })
        } else {
            Err(errs)
        }
    }
}

fn planning_page(
    ctx: &Ctx,
    s: &store::Scan,
    org: &str,
    v: &PlanView,
    typed: &PlanInput,
    errors: &[(&'static str, String)],
) -> Markup {
    let base = format!("/qs/{org}/scans/{}", s.id);
    let trekker = ctx
        .user()
        .is_some_and(|u| u.has_role_in(Role::Trekker, org));
    let err = |name: &str| {
        let v: Vec<&str> = errors
            .iter()
            .filter(|(n, _)| *n == name)
            .map(|(_, m)| m.as_str())
            .collect();
        (!v.is_empty()).then(|| v.join(" "))
    };
    let (e_open, e_close, e_rem) = (err("opens_on"), err("closes_on"), err("reminders"));
    let e_r: [Option<String>; 3] = ["remind1", "remind2", "remind3"].map(err);
    let summary: Vec<(&str, String)> = errors
        .iter()
        .map(|(n, m)| (if *n == "reminders" { "remind1" } else { *n }, m.clone()))
        .collect();
    let locked = s.status.is_closed();
    html! {
        (style())
        p.qs-noprint { a href=(base) { "Terug naar de scan" } }
        h1 { "Planning — " (s.title) }
        (error_summary(ctx.lang, &summary))
        @let sentences = plan_sentences(&v.plan);
        @if sentences.is_empty() {
            p { "Er is nog geen planning." }
        } @else {
            @for t in &sentences { p { (t) } }
        }
        @if !v.blockers.is_empty() {
            div.notice.warning role="note" {
                p { strong { "De vragenlijst kan nog niet open:" } }
                ul { @for b in &v.blockers { li { (b) } } }
            }
        }
        @if trekker && !locked {
            h2 { "Datums kiezen" }
            ul {
                li { "Op de openingsdatum gaat de vragenlijst open, als er vragen en respondenten zijn. Die ochtend (vanaf 8 uur, in de zomer 9 uur) krijgen de respondenten hun uitnodiging." }
                li { "Op een herinneringsdag krijgt iedereen die nog niet klaar is een herinnering. Wie klaar is, krijgt niets." }
                li { "Na de sluitdatum gaat de vragenlijst in de nacht dicht." }
                li { "Alle datums zijn niet verplicht. Laat een veld leeg als u dat zelf wilt doen." }
            }
            form method="post" action={(base) "/planning"} novalidate {
                (csrf_field(ctx))
                @if v.status == ScanStatus::Concept {
                    (input(ctx.lang, &Field::new("opens_on", "Openingsdatum").kind("date").value(&typed.opens_on).error(e_open.as_deref())))
                } @else {
                    p { "De vragenlijst is al open." }
                    input type="hidden" name="opens_on" value=(typed.opens_on);
                }
                (input(ctx.lang, &Field::new("closes_on", "Sluitdatum (de laatste dag om mee te doen)").kind("date").value(&typed.closes_on).error(e_close.as_deref())))
                fieldset.field.field-error-state[e_rem.is_some()] aria-describedby=[e_rem.as_ref().map(|_| "f-reminders-error")] {
                    legend { "Herinneringen (hoogstens 3)" }
                    @if let Some(e) = &e_rem {
                        p.field-error #f-reminders-error { span.visually-hidden { "Fout: " } (e) }
                    }
                    @for (i, name) in ["remind1", "remind2", "remind3"].iter().enumerate() {
                        (input(ctx.lang, &Field::new(name, ["Eerste herinnering", "Tweede herinnering", "Derde herinnering"][i]).kind("date").value(&typed.reminders[i]).error(e_r[i].as_deref())))
                    }
                }
                button.button type="submit" { "Planning opslaan" }
            }
        }
        h2 { "Wat er is gebeurd" }
        @if v.events.is_empty() {
            p { "Nog niets." }
        }
        (events_list(&v.events, &v.plan))
    }
}

pub(super) async fn planning(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, READ_SCAN)?;
    let (s, v) = on_scan(&st, &org, scan, move |c, s| {
        let v = plan_view(c, &s)?;
        Ok((s, v))
    })
    .await?;
    let input = PlanInput::of(&v.plan);
    Ok(page(
        &ctx,
        "Planning",
        planning_page(&ctx, &s, &org, &v, &input, &[]),
    ))
}

pub(super) async fn planning_save(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
    Form(f): Form<Fields>,
) -> Result<Response, AppError> {
    user(&ctx)?;
    let a = actor(&ctx);
    let input = PlanInput::from_form(&f);
    let parsed = input.parse();
    let (s, v, errors) = on_scan(&st, &org, scan, move |c, s| {
        let today = Day::today();
        let old = store::plan(c, s.id)?;
        let errors = match parsed {
            Err(e) => e,
            Ok(new) => {
                if let Err(e) = store::check_plan(&old, &new, s.status, today) {
                    e
                } else {
                    store::set_plan(c, s.id, &new, today)?;
                    let text = plan_sentences(&new).join(" ");
                    audit_scan(c, &a, &s, "planning gewijzigd", &text)?;
                    Vec::new()
                }
            }
        };
        let v = plan_view(c, &s)?;
        Ok((s, v, errors))
    })
    .await?;
    if errors.is_empty() {
        return Ok(back(&org, scan, "#planning").into_response());
    }
    let body = page(
        &ctx,
        "Planning",
        planning_page(&ctx, &s, &org, &v, &input, &errors),
    );
    Ok((StatusCode::UNPROCESSABLE_ENTITY, body).into_response())
}
