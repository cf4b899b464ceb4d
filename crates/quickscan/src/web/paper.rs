//! Typing in paper questionnaires.

use super::{
    AppError, AppState, Ctx, Day, Fields, Form, Group, Markup, Path, QLang, Redirect, Role, State,
    actor, csrf_field, field, fill, html, item_input, on_scan, page, parse_answers, require, store,
    style,
};

pub(super) async fn paper_form(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
) -> Result<Markup, AppError> {
    require(&ctx, &org, &[Role::Trekker])?;
    let (s, q, kind) = on_scan(&st, &org, scan, move |c, s| {
        let q = store::scan_questionnaire(c, &s)?;
        let kind = store::org(c, &s.org_id)?.kind;
        Ok((s, q, kind))
    })
    .await?;
    Ok(page(
        &ctx,
        "Papieren vragenlijst invoeren",
        html! {
            (style())
            h1 { "Papieren vragenlijst invoeren" }
            p { "Neem de antwoorden van één papieren vragenlijst over. Ze worden opgeslagen als ‘papier’. Dat kan alleen zolang de vragenlijst open is. Papieren antwoorden tellen niet mee voor de kleinste groepsgrootte, en het rapport laat per groep zien hoeveel antwoorden op papier kwamen." }
            form method="post" action={"/qs/" (org) "/scans/" (s.id) "/papier"} {
                (csrf_field(&ctx))
                fieldset { legend { "Groep" }
                    @for (i, g) in Group::ALL.iter().enumerate() {
                        div.radio { input id={"pg-" (i)} type="radio" name="_group" value=(g.as_str()) checked[*g == Group::Inwoners]; label for={"pg-" (i)} { (g.label(kind, QLang::Nl)) } }
                    }
                }
                @for t in &q.themes {
                    h2 { (fill(&t.title.nl, kind, QLang::Nl)) }
                    @for it in &t.items { (item_input(&q, it, Group::Inwoners, kind, None)) }
                }
                button.button type="submit" { "Papieren antwoorden opslaan" }
            }
        },
    ))
}

pub(super) async fn paper_submit(
    State(st): State<AppState>,
    ctx: Ctx,
    Path((org, scan)): Path<(String, i64)>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let a = actor(&ctx);
    on_scan(&st, &org, scan, move |c, s| {
        let q = store::scan_questionnaire(c, &s)?;
        let group = Group::parse(field(&f, "_group")).unwrap_or(Group::Inwoners);
        let keys: Vec<String> = q.items().map(|(_, i)| i.key.clone()).collect();
        let (answers, _) = parse_answers(&q, &keys, &f);
        let today = Day::today();
        store::enter_paper(c, s.id, group, &answers, today)?;
        store::audit_day(
            c,
            today,
            &a,
            Some(&s.org_id),
            Some(s.id),
            "papieren vragenlijst ingevoerd",
            "",
        )
    })
    .await?;
    Ok(Redirect::to(&format!("/qs/{org}/scans/{scan}/papier")))
}
