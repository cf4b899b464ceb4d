//! Imported elections: the verification report page and the upload of official results.

use axum::Extension;
use axum::extract::{FromRequest, Multipart, Path, Request, State};
use axum::response::{IntoResponse, Redirect, Response};
use maud::{Markup, html};
use webkit::layout::{Cell, Column, Table};
use webkit::{AppError, AppState, Ctx, Lang, fmt};

use crate::WebState;
use crate::import::{self, StoredFinding, VerificationReport};
use crate::model::Loaded;
use crate::pages::{Tab, election_page};

fn same_cell(lang: Lang, same: bool) -> Cell {
    if same {
        Cell::new(lang.t("gelijk", "equal"))
    } else {
        Cell::new(lang.t("VERSCHIL", "DIFFERENT")).class("changed")
    }
}

fn opt_int(lang: Lang, n: Option<u32>) -> Cell {
    n.map_or(Cell::new("–"), |n| Cell::int(lang, n))
}

/// Seats per list, official and recomputed (only recomputed when there is no official
/// result: nothing to compare, so no "verschil").
pub fn lists_table(lang: Lang, r: &VerificationReport) -> Table {
    let compared = r.has_official();
    let mut columns = vec![
        Column::num(lang.t("Nr.", "No.")),
        Column::text(lang.t("Lijst", "List")),
    ];
    if compared {
        columns.push(Column::num(lang.t("Officieel", "Official")));
    }
    columns.push(Column::num(lang.t("Herberekend", "Recomputed")));
    if compared {
        columns.push(Column::text(lang.t("Vergelijking", "Comparison")));
    }
    let caption = if compared {
        lang.t(
            "Zetels per lijst: officieel en herberekend",
            "Seats per list: official and recomputed",
        )
    } else {
        lang.t(
            "Zetels per lijst, berekend door Stembus",
            "Seats per list, computed by Stembus",
        )
    };
    let mut t = Table::new("controle-lijsten", caption, columns).sortable();
    for l in &r.lists {
        let mut row = vec![Cell::int(lang, l.number), Cell::new(l.name.clone())];
        if compared {
            row.push(opt_int(lang, l.official_seats));
        }
        row.push(opt_int(lang, l.computed_seats));
        if compared {
            row.push(same_cell(
                lang,
                l.official_seats.unwrap_or(0) == l.computed_seats.unwrap_or(0),
            ));
        }
        t.row(row);
    }
    t
}

fn preference_text(lang: Lang, elected: bool, pref: Option<bool>) -> String {
    if !elected {
        return lang.t("niet gekozen", "not elected").into();
    }
    match pref {
        Some(true) => lang
            .t("gekozen (voorkeurstemmen)", "elected (preference votes)")
            .into(),
        Some(false) => lang
            .t("gekozen (lijstvolgorde)", "elected (list order)")
            .into(),
        None => lang.t("gekozen", "elected").into(),
    }
}

/// Elected candidates, official and recomputed (only recomputed without an official result).
pub fn candidates_table(lang: Lang, l: &Loaded, r: &VerificationReport) -> Table {
    let compared = r.has_official();
    let mut columns = vec![
        Column::text(lang.t("Lijst", "List")),
        Column::num(lang.t("Plaats", "Position")),
        Column::text(lang.t("Naam", "Name")),
    ];
    if compared {
        columns.push(Column::text(lang.t("Officieel", "Official")));
    }
    columns.push(Column::text(lang.t("Herberekend", "Recomputed")));
    if compared {
        columns.push(Column::text(lang.t("Vergelijking", "Comparison")));
    }
    let caption = if compared {
        lang.t(
            "Gekozen kandidaten: officieel en herberekend",
            "Elected candidates: official and recomputed",
        )
    } else {
        lang.t(
            "Gekozen kandidaten, berekend door Stembus",
            "Elected candidates, computed by Stembus",
        )
    };
    let mut t = Table::new("controle-kandidaten", caption, columns).sortable();
    for c in &r.candidates {
        let mut row = vec![
            Cell::new(l.list_label(c.list)),
            opt_int(lang, c.position),
            Cell::new(c.name.clone()),
        ];
        if compared {
            row.push(Cell::new(preference_text(
                lang,
                c.official == Some(true),
                c.official_preference,
            )));
        }
        row.push(Cell::new(preference_text(
            lang,
            c.computed,
            c.computed_preference,
        )));
        if compared {
            row.push(same_cell(lang, c.matches()));
        }
        t.row(row);
    }
    t
}

/// Warnings or errors with code, message, unit, files and the values compared.
pub fn findings_table(lang: Lang, id: &str, caption: &str, fs: &[StoredFinding]) -> Table {
    let mut t = Table::new(
        id,
        caption,
        vec![
            Column::text(lang.t("Code", "Code")),
            Column::text(lang.t("Melding", "Message")),
            Column::text(lang.t("Gebied", "Area")),
            Column::num(lang.t("Gevonden", "Found")),
            Column::num(lang.t("Verwacht", "Expected")),
            Column::text(lang.t("Bestand(en)", "File(s)")),
        ],
    )
    .sortable();
    for f in fs {
        let message = match lang {
            Lang::Nl => &f.message_nl,
            Lang::En => &f.message_en,
        };
        t.row(vec![
            Cell::new(f.code.clone()).html(html! { code { (f.code) } }),
            Cell::new(message.clone()),
            Cell::new(f.unit.clone().unwrap_or_else(|| "–".into())),
            f.found.map_or(Cell::new("–"), |n| {
                Cell::new(fmt::int(lang, n)).sort_key(n.to_string())
            }),
            f.expected.map_or(Cell::new("–"), |n| {
                Cell::new(fmt::int(lang, n)).sort_key(n.to_string())
            }),
            Cell::new(f.files.join("; ")),
        ]);
    }
    t
}

pub async fn report(
    ctx: Ctx,
    State(state): State<AppState>,
    Extension(web): WebState,
    Path(id): Path<String>,
) -> Result<Markup, AppError> {
    let l = web.get(&state, &id).await?;
    let r = web.report(&state, &id).await?;
    let lang = ctx.lang;
    let Some(r) = r.as_ref() else {
        return Err(AppError::not_found());
    };
    let status = r.result_status();
    let list_diffs = r
        .lists
        .iter()
        .filter(|x| x.official_seats.unwrap_or(0) != x.computed_seats.unwrap_or(0))
        .count();
    let cand_diffs = r.candidates.iter().filter(|c| !c.matches()).count();
    let body = l.fragment("verification", lang, || html! {
        @if status.is_compared() {
            p { (lang.t(
                "Stembus heeft de zetels en de gekozen kandidaten opnieuw berekend uit de tellingen in de officiële bestanden, en vergeleken met de officiële uitslag. Daarnaast is elke telling gecontroleerd: klopt de som van de onderdelen, en kloppen de aantallen met elkaar?",
                "Stembus recomputed the seats and the elected candidates from the counts in the official files and compared them with the official result. Every count was also checked: do the parts add up, and do the numbers agree?")) }
        } @else {
            p { (lang.t(
                "Stembus heeft de zetels en de gekozen kandidaten berekend uit de tellingen in de ingelezen bestanden. Daarnaast is elke telling gecontroleerd: klopt de som van de onderdelen, en kloppen de aantallen met elkaar?",
                "Stembus computed the seats and the elected candidates from the counts in the imported files. Every count was also checked: do the parts add up, and do the numbers agree?")) }
        }
        div.notice.warning[!status.is_good()] role="status" {
            p { strong { (lang.t("Uitkomst: ", "Outcome: ")) (status.label(lang)) "." } }
            p { (status.explanation(lang)) }
            @if status.is_compared() {
                p {
                    (fmt::int(lang, r.lists.len() as u64)) " " (lang.t("lijsten vergeleken, ", "lists compared, "))
                    (fmt::int(lang, list_diffs as u64)) " " (lang.t("met een verschil; ", "with a difference; "))
                    (fmt::int(lang, r.candidates.len() as u64)) " " (lang.t("gekozen kandidaten vergeleken, ", "elected candidates compared, "))
                    (fmt::int(lang, cand_diffs as u64)) " " (lang.t("met een verschil.", "with a difference."))
                }
            }
            @if !r.errors.is_empty() {
                p { a href="#fouten" { (fmt::int(lang, r.errors.len() as u64)) " "
                    @if r.errors.len() == 1 { (lang.t("fout in de bestanden", "error in the files")) } @else { (lang.t("fouten in de bestanden", "errors in the files")) } } }
            }
        }
        dl.facts {
            dt { (lang.t("Verkiezing in de bestanden", "Election in the files")) } dd { code { (r.election) } }
            dt { (lang.t("Fouten", "Errors")) } dd { (fmt::int(lang, r.errors.len() as u64)) }
            dt { (lang.t("Waarschuwingen", "Warnings")) } dd { (fmt::int(lang, r.warnings.len() as u64)) }
            dt { (lang.t("Lotingen", "Lots")) } dd { (fmt::int(lang, r.lots.len() as u64)) }
            dt { (lang.t("Bestanden", "Files")) } dd { (fmt::int(lang, r.files.len() as u64)) }
        }
        @if !r.mismatches.is_empty() {
            (findings_table(lang, "controle-verschillen", lang.t("Verschillen met de officiële uitslag", "Differences from the official result"), &r.mismatches).render(lang))
        }
        (lists_table(lang, r).render(lang))
        (candidates_table(lang, &l, r).render(lang))
        h2 { (lang.t("Lotingen", "Lots")) }
        @if r.lots.is_empty() {
            p { (lang.t("Voor deze uitslag was geen loting nodig.", "No lot was needed for this result.")) }
        } @else {
            ul {
                @for lot in &r.lots {
                    li { @match lang { Lang::Nl => (lot.message_nl), Lang::En => (lot.message_en) } }
                }
            }
        }
        h2 #fouten { (lang.t("Fouten", "Errors")) }
        @if r.errors.is_empty() {
            p { (lang.t("Er zijn geen fouten gevonden.", "No errors were found.")) }
        } @else {
            (findings_table(lang, "controle-fouten", lang.t("Fouten in de bestanden", "Errors in the files"), &r.errors).render(lang))
        }
        h2 { (lang.t("Waarschuwingen", "Warnings")) }
        @if r.warnings.is_empty() {
            p { (lang.t("Er zijn geen waarschuwingen.", "There are no warnings.")) }
        } @else {
            p { (lang.t("Een waarschuwing verandert de uitslag niet, maar verdient aandacht: bijvoorbeeld een gemeente met 0 kiesgerechtigden.",
                "A warning does not change the result but deserves attention: for example a municipality with 0 eligible voters.")) }
            (findings_table(lang, "controle-waarschuwingen", lang.t("Waarschuwingen bij de bestanden", "Warnings about the files"), &r.warnings).render(lang))
        }
        h2 { (lang.t("Ingelezen bestanden", "Files read")) }
        ul.files { @for f in &r.files { li { code { (f) } } } }
    });
    Ok(election_page(
        &ctx,
        &l,
        Tab::Verification,
        &[],
        &html! { (body) },
    ))
}

/// The upload form on the admin page: any number of files, or a whole folder.
pub fn upload_form(ctx: &Ctx) -> Markup {
    let lang = ctx.lang;
    html! {
        h2 #importeren { (lang.t("Officiële uitslag inlezen", "Import an official result")) }
        p { (lang.t(
            "Kies de zip-bestanden met EML-bestanden zoals de Kiesraad ze publiceert, losse EML- of CSV-bestanden, of een hele map. Stembus leest de verkiezingsdefinitie, de kandidatenlijsten, de tellingen en de uitslag, controleert alles en rekent de uitslag na. Daarna ziet u per verkiezing of die is ingelezen, met welke uitkomst.",
            "Choose the zip files with EML files as published by the Kiesraad, single EML or CSV files, or a whole folder. Stembus reads the election definition, the candidate lists, the counts and the result, checks everything and recomputes the result. Then you see for each election whether it was imported, and with which outcome.")) }
        p { (lang.t(
            "Leest u een verkiezing opnieuw in, dan wordt dat een nieuwe versie. De vorige versies blijven zichtbaar op de pagina Versies van de verkiezing.",
            "Importing an election again makes a new version. The earlier versions stay visible on the election's Versions page.")) }
        form.form method="post" enctype="multipart/form-data" action=(webkit::layout::multipart_action(ctx, "/beheer/verkiezingen/importeren")) {
            div.field {
                label.field-label for="f-bestand" { (lang.t("Bestanden (zip, EML of CSV)", "Files (zip, EML or CSV)")) }
                p.field-hint #f-bestand-hint { (lang.t("Bijvoorbeeld EML_bestanden_TK2021_deel_1.zip. U kunt meer bestanden tegelijk kiezen.", "For example EML_bestanden_TK2021_deel_1.zip. You can choose several files at once.")) }
                input.input #f-bestand type="file" name="bestand" multiple accept=".zip,.xml,.csv,application/zip,text/xml,text/csv" aria-describedby="f-bestand-hint";
            }
            div.field {
                label.field-label for="f-map" { (lang.t("Of een hele map", "Or a whole folder")) }
                p.field-hint #f-map-hint { (lang.t("Alle bestanden in de map en de mappen daarin.", "Every file in the folder and its subfolders.")) }
                input.input #f-map type="file" name="map" webkitdirectory multiple aria-describedby="f-map-hint";
            }
            button.button type="submit" { (lang.t("Inlezen en controleren", "Import and verify")) }
        }
    }
}

/// Most files in one upload (a folder of GR2022 has 550).
pub const MAX_UPLOAD_FILES: usize = 2_000;

/// `POST /beheer/verkiezingen/importeren` (multipart, fields `bestand` and `map`, each any
/// number of files): imports them together and shows the table of the run.
pub async fn upload(
    ctx: Ctx,
    State(state): State<AppState>,
    Extension(web): WebState,
    req: Request,
) -> Result<Response, AppError> {
    let summary = import_request(&ctx, &state, &web, req).await?;
    let run = summary.run.unwrap_or(0);
    Ok(Redirect::to(&format!("/beheer/importen/{run}")).into_response())
}

/// Reads the files of a multipart request (fields `bestand` and `map`) and imports them;
/// 400 when nothing in them is an election.
pub async fn import_request(
    ctx: &Ctx,
    state: &AppState,
    web: &crate::Web,
    req: Request,
) -> Result<import::Summary, AppError> {
    // Keeps the status of the multipart error: 413 when the upload exceeds the limit.
    let bad =
        |e: axum::extract::multipart::MultipartError| AppError::new(e.status(), e.body_text());
    let mut mp = Multipart::from_request(req, state)
        .await
        .map_err(|e| AppError::bad_request(e.body_text()))?;
    let mut files: Vec<(String, Vec<u8>)> = Vec::new();
    while let Some(part) = mp.next_field().await.map_err(bad)? {
        if matches!(part.name(), Some("bestand" | "map")) {
            let name = part.file_name().unwrap_or("upload").to_string();
            let bytes = part.bytes().await.map_err(bad)?;
            if !bytes.is_empty() {
                if files.len() == MAX_UPLOAD_FILES {
                    return Err(AppError::bad_request(format!(
                        "Te veel bestanden in één keer (meer dan {MAX_UPLOAD_FILES}). / Too many files at once."
                    )));
                }
                files.push((name, bytes.to_vec()));
            }
        }
    }
    if files.is_empty() {
        return Err(AppError::bad_request(
            "Kies een bestand om in te lezen. / Choose a file to import.",
        ));
    }
    let user = ctx
        .user()
        .map_or_else(|| "?".to_string(), |u| u.name.clone());
    let limit = u64::try_from(state.config().upload_limit).unwrap_or(u64::MAX);
    let summary = state
        .db()
        .call(move |c| Ok(import::import_upload(c, &files, &user, limit)?))
        .await?;
    web.invalidate();
    if summary.elections.is_empty() && summary.not_imported.is_empty() {
        let why: Vec<String> = summary
            .errors
            .iter()
            .take(5)
            .map(|f| format!("{}: {}", f.code, f.message_nl))
            .collect();
        return Err(AppError::bad_request(format!(
            "Er staat geen verkiezing in dit bestand die Stembus kan lezen. {}",
            why.join(" ")
        )));
    }
    Ok(summary)
}
