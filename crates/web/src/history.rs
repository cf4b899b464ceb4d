//! The pages about imports: the table of one import run (`/beheer/importen/{run}`: per
//! election imported with which status and version, or not and why), the versions of an
//! election (`/verkiezingen/{id}/versies`) and the confirmation before deleting one.

use axum::extract::{Path, State};
use maud::{Markup, html};
use webkit::layout::{Cell, Column, Table, breadcrumbs, csrf_field};
use webkit::{AppError, AppState, Beheer, Ctx, Lang, RequireRole, fmt, page};

use crate::import::Summary;
use crate::pages::{Tab, election_page};
use crate::status::ResultStatus;
use crate::versions::{self, FileHash, utc_time};
use crate::{Election, versions::Version};

/// A SHA-256 in groups of 16 digits that may wrap (a 64-digit word would not fit a phone).
fn hash(h: &str) -> Markup {
    html! {
        code.hash {
            @for (i, c) in h.as_bytes().chunks(16).enumerate() {
                @if i > 0 { wbr; }
                (String::from_utf8_lossy(c))
            }
        }
    }
}

/// "1 fout", "2 fouten".
fn count(lang: Lang, n: usize, one: (&str, &str), more: (&str, &str)) -> String {
    let word = if n == 1 {
        lang.t(one.0, one.1)
    } else {
        lang.t(more.0, more.1)
    };
    format!("{} {word}", fmt::int(lang, n as u64))
}

fn files_table(lang: Lang, id: &str, caption: &str, files: &[FileHash]) -> Table {
    let mut t = Table::new(
        id,
        caption,
        vec![
            Column::text(lang.t("Bestand", "File")),
            Column::num(lang.t("Bytes", "Bytes")),
            Column::text("SHA-256"),
        ],
    );
    for f in files {
        t.row(vec![
            Cell::new(f.name.clone()),
            Cell::int(lang, f.bytes),
            Cell::new(f.sha256.clone()).html(hash(&f.sha256)),
        ]);
    }
    t
}

/// The table of an import run: every election found, imported or not.
pub fn summary_table(lang: Lang, s: &Summary) -> Table {
    let mut t = Table::new(
        "import-resultaat",
        lang.t("Wat er is ingelezen", "What was imported"),
        vec![
            Column::text(lang.t("Verkiezing", "Election")),
            Column::text(lang.t("Ingelezen", "Imported")),
            Column::text(lang.t("Uitkomst", "Outcome")),
            Column::text(lang.t("Toelichting", "Details")),
        ],
    )
    .sortable();
    for n in &s.not_imported {
        t.row(vec![
            Cell::new(format!("{} ({})", n.name, n.election)),
            Cell::new(lang.t("Nee", "No")).class("changed"),
            Cell::new("–"),
            Cell::new(lang.t(&n.reason_nl, &n.reason_en).to_string()),
        ]);
    }
    for e in &s.elections {
        let status = ResultStatus::parse(&e.status).unwrap_or(ResultStatus::Incomplete);
        let detail = format!(
            "{}, {}. {}",
            count(lang, e.errors, ("fout", "error"), ("fouten", "errors")),
            count(
                lang,
                e.warnings,
                ("waarschuwing", "warning"),
                ("waarschuwingen", "warnings")
            ),
            e.changes.describe(lang)
        );
        let version = match lang {
            Lang::Nl => format!("Ja, versie {}", e.version),
            Lang::En => format!("Yes, version {}", e.version),
        };
        let status_cell = Cell::new(status.label(lang))
            .html(html! { a href={"/verkiezingen/" (e.id) "/controle"} { (status.label(lang)) } });
        t.row(vec![
            Cell::new(format!("{} ({})", e.name, e.id))
                .html(html! { a href={"/verkiezingen/" (e.id)} { (e.name) } }),
            Cell::new(version.clone())
                .html(html! { a href={"/verkiezingen/" (e.id) "/versies"} { (version) } }),
            if status.is_good() {
                status_cell
            } else {
                status_cell.class("changed")
            },
            Cell::new(detail),
        ]);
    }
    t
}

/// `GET /beheer/importen/{run}`.
pub async fn run(
    ctx: Ctx,
    State(state): State<AppState>,
    _: RequireRole<Beheer>,
    Path(run): Path<i64>,
) -> Result<Markup, AppError> {
    let lang = ctx.lang;
    let r = state
        .db()
        .call(move |c| Ok(versions::load_run(c, run)?))
        .await?
        .ok_or_else(AppError::not_found)?;
    let s: Summary = serde_json::from_str(&r.summary_json).unwrap_or_default();
    let title = match lang {
        Lang::Nl => format!("Inlezen {}", r.id),
        Lang::En => format!("Import {}", r.id),
    };
    let all = r.finished && s.complete();
    // Versions that lost what the version before had (e.g. the 520 is missing this time).
    let worse: Vec<&crate::import::Imported> = s
        .elections
        .iter()
        .filter(|e| {
            e.changes
                .status_before
                .as_deref()
                .and_then(ResultStatus::parse)
                .is_some_and(|b| {
                    b.is_good()
                        && !ResultStatus::parse(&e.status).is_some_and(ResultStatus::is_good)
                })
        })
        .collect();
    Ok(page(
        &ctx,
        &title,
        html! {
            (breadcrumbs(lang, &[
                ("/beheer/verkiezingen".into(), lang.t("Beheer verkiezingen", "Manage elections").into()),
                (format!("/beheer/importen/{}", r.id), title.clone()),
            ]))
            h1 { (title) }
            dl.facts {
                dt { (lang.t("Tijd", "Time")) } dd { (utc_time(r.started_at)) }
                dt { (lang.t("Door", "By")) } dd { (r.user) }
                dt { (lang.t("Ingelezen", "Imported")) } dd { (count(lang, s.elections.len(), ("verkiezing", "election"), ("verkiezingen", "elections"))) }
                dt { (lang.t("Niet ingelezen", "Not imported")) } dd { (fmt::int(lang, s.not_imported.len() as u64)) }
            }
            @if !r.finished {
                div.notice.warning role="status" { p { strong { (lang.t("Dit inlezen is niet afgemaakt. ", "This import did not finish. ")) }
                    (lang.t("Alleen verkiezingen die helemaal zijn opgeslagen staan in de lijst met verkiezingen.", "Only elections that were stored completely are in the list of elections.")) } }
            } @else if all {
                div.notice role="status" { p { (lang.t("Alle verkiezingen in de bestanden zijn ingelezen. Hieronder staat per verkiezing de uitkomst van de controle.",
                    "Every election in the files was imported. The outcome of the verification of each is below.")) } }
            } @else {
                div.notice.warning role="status" { p { strong { (lang.t("Niet alles is ingelezen. ", "Not everything was imported. ")) }
                    (lang.t("Hieronder staat per verkiezing of die is ingelezen, en zo niet, waarom niet.", "Below, for each election: imported or not, and why not.")) } }
            }
            @if !worse.is_empty() {
                div.notice.warning role="alert" {
                    p { strong { (lang.t("Let op: ", "Note: ")) }
                        (lang.t("deze versie is minder zeker dan de vorige. De vorige versie was gelijk aan de officiële uitslag, deze niet: ",
                            "this version is less certain than the one before. The previous version equalled the official result, this one does not: "))
                        @for (i, e) in worse.iter().enumerate() {
                            @if i > 0 { ", " }
                            a href={"/verkiezingen/" (e.id) "/versies"} { (e.name) }
                        }
                        "." }
                }
            }
            (summary_table(lang, &s).render(lang))
            @if !s.errors.is_empty() {
                (crate::verification::findings_table(lang, "import-fouten", lang.t("Fouten die bij geen verkiezing horen", "Errors that belong to no election"), &s.errors).render(lang))
            }
            @if !s.skipped.is_empty() {
                h2 { (lang.t("Niet gelezen (geen verkiezingsgegevens)", "Not read (no election data)")) }
                ul.files { @for f in &s.skipped { li { code { (f) } } } }
            }
            (files_table(lang, "import-bestanden", lang.t("Ingelezen bestanden", "Files imported"), &r.files).render(lang))
        },
    ))
}

fn version_rows(lang: Lang, vs: &[Version]) -> Table {
    let mut t = Table::new(
        "versies",
        lang.t("Alle versies, nieuwste eerst", "All versions, newest first"),
        vec![
            Column::num(lang.t("Versie", "Version")),
            Column::text(lang.t("Tijd", "Time")),
            Column::text(lang.t("Door", "By")),
            Column::text(lang.t("Uitkomst", "Outcome")),
            Column::text(lang.t("Wat is er anders", "What changed")),
            Column::text(lang.t("Bestanden (SHA-256)", "Files (SHA-256)")),
        ],
    );
    for v in vs {
        let files: Vec<String> = v
            .files
            .iter()
            .map(|f| format!("{} {}", f.name, f.sha256))
            .collect();
        t.row(vec![
            Cell::int(lang, v.version),
            Cell::new(utc_time(v.imported_at)),
            Cell::new(v.user.clone()),
            Cell::new(crate::status::label_of(lang, &v.status)),
            Cell::new(v.changes.describe(lang)),
            Cell::new(files.join("; ")).html(html! {
                @for f in &v.files { span.file { (f.name) " " (hash(&f.sha256)) } br; }
                @if v.files.is_empty() { "–" }
            }),
        ]);
    }
    t
}

/// `GET /verkiezingen/{id}/versies`.
pub async fn election_versions(
    ctx: Ctx,
    State(state): State<AppState>,
    Election(l): Election,
) -> Result<Markup, AppError> {
    let lang = ctx.lang;
    let id = l.id().to_string();
    let vs = state
        .db()
        .call(move |c| Ok(versions::history(c, &id)?))
        .await?;
    let body = html! {
        p { (lang.t(
            "Elke keer dat de bestanden van deze verkiezing worden ingelezen, ontstaat een nieuwe versie. De pagina's tonen de nieuwste versie. Hier ziet u wanneer elke versie is ingelezen, door wie, uit welke bestanden (met hun SHA-256-controlegetal) en wat er anders werd.",
            "Every import of this election's files makes a new version. The pages show the newest version. Here you see when each version was imported, by whom, from which files (with their SHA-256 checksum) and what changed.")) }
        @if vs.is_empty() {
            p { (lang.t("Er zijn geen versies vastgelegd voor deze verkiezing.", "No versions were recorded for this election.")) }
        } @else {
            (version_rows(lang, &vs).render(lang))
        }
    };
    Ok(election_page(&ctx, &l, Tab::Versions, &[], &body))
}

/// `GET /verkiezingen/{id}/verwijderen`: asks before deleting.
pub async fn confirm_delete(
    ctx: Ctx,
    _: RequireRole<Beheer>,
    Election(l): Election,
) -> Result<Markup, AppError> {
    let lang = ctx.lang;
    let title = lang.t("Verkiezing verwijderen?", "Delete election?");
    Ok(page(
        &ctx,
        title,
        html! {
            h1 { (title) }
            div.notice.warning role="alert" {
                p { strong { (l.meta.name) } }
                p { (lang.t(
                    "Als u deze verkiezing verwijdert, zijn de uitslag, de tellingen en de controle weg. De lijst met versies blijft bewaard. U kunt dit niet ongedaan maken; u kunt de bestanden wel opnieuw inlezen.",
                    "Deleting this election removes the result, the counts and the verification. The list of versions is kept. This cannot be undone; you can import the files again.")) }
            }
            form.form method="post" action={"/verkiezingen/" (l.id()) "/verwijderen"} {
                (csrf_field(&ctx))
                input type="hidden" name="bevestigd" value="ja";
                button.button.danger type="submit" { (lang.t("Ja, verwijderen", "Yes, delete")) }
                " "
                a href="/beheer/verkiezingen" { (lang.t("Nee, terug", "No, go back")) }
            }
        },
    ))
}
