//! Taking part in the benchmark: a section on the organisation's page (trekkers can switch it
//! off or on) and its form action. An organisation that opts out is in nobody's benchmark
//! (report::benchmark); it still sees the benchmark of the others.

use super::{
    AppError, AppState, Ctx, Fields, Form, Markup, Path, Redirect, Role, State, actor, csrf_field,
    db, field, html, store, user,
};

/// The benchmark section of the organisation page (`/qs/{org}`).
pub(super) async fn benchmark_section(
    st: &AppState,
    ctx: &Ctx,
    org: &str,
) -> Result<Markup, AppError> {
    let is_trekker = user(ctx)?.has_role_in(Role::Trekker, org);
    let o = org.to_owned();
    let out = db(st, move |c| store::benchmark_opt_out(c, &o)).await?;
    Ok(html! {
        section aria-labelledby="benchmark" {
            h2 #benchmark { "Vergelijken met andere organisaties" }
            p { "Het rapport vergelijkt uw cijfers met die van andere organisaties, als minstens 5 organisaties meedoen. Andere organisaties zien dan een gemiddelde van alle deelnemers samen, zonder namen. Elk cijfer rust op minstens 5 antwoorden per organisatie, dus niemand die de vragenlijst invulde is te herkennen." }
            p { "Let op: wie de vergelijking van vóór en van ná het meedoen van uw organisatie naast elkaar legt, kan de cijfers van uw organisatie terugrekenen." }
            p { @if out { "Uw organisatie doet nu " strong { "niet" } " mee aan de vergelijking." } @else { "Uw organisatie doet nu mee aan de vergelijking." } }
            @if is_trekker {
                form method="post" action={"/qs/" (org) "/benchmark"} {
                    (csrf_field(ctx))
                    input type="hidden" name="sent" value="1";
                    div.radio {
                        input #benchmark-out type="checkbox" name="opt_out" value="1" checked[out];
                        label for="benchmark-out" { "Onze antwoorden niet gebruiken in de vergelijking voor andere organisaties" }
                    }
                    button.button type="submit" { "Keuze opslaan" }
                }
            }
        }
    })
}

/// POST `/qs/{org}/benchmark`: `opt_out=1` to stay out, absent to take part.
pub(super) async fn benchmark_setting(
    State(st): State<AppState>,
    ctx: Ctx,
    Path(org): Path<String>,
    Form(f): Form<Fields>,
) -> Result<Redirect, AppError> {
    let out = field(&f, "opt_out") == "1";
    let a = actor(&ctx);
    let o = org.clone();
    db(&st, move |c| {
        store::set_benchmark_opt_out(c, &o, out)?;
        store::audit(
            c,
            &a,
            Some(&o),
            None,
            "benchmark",
            if out { "doet niet mee" } else { "doet mee" },
        )
    })
    .await?;
    Ok(Redirect::to(&format!("/qs/{org}#benchmark")))
}
