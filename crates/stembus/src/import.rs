//! `stembus import PATH... [--data DIR]`: reads official results (zips, folders, EML or CSV
//! files), verifies them and stores them in the web app's database, so `stembus serve` shows
//! them with their verification report.

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use crate::serve::ServerArgs;

pub fn run(paths: &[PathBuf], server: &ServerArgs) -> ExitCode {
    let mut config = match webkit::ServeConfig::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("stembus: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(dir) = &server.data {
        config.data_dir.clone_from(dir);
    }
    config.print_setup_token = false;
    if let Err(e) = std::fs::create_dir_all(&config.data_dir) {
        eprintln!("stembus: kan {} niet maken: {e}", config.data_dir.display());
        return ExitCode::FAILURE;
    }
    let start = Instant::now();
    // Building the app runs every migration, so the tables exist.
    let app = match webkit::App::build(config, crate::serve::modules()) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("stembus: {e}");
            return ExitCode::FAILURE;
        }
    };
    let user = format!(
        "opdrachtregel ({})",
        std::env::var("USER")
            .or_else(|_| std::env::var("USERNAME"))
            .unwrap_or_else(|_| "?".into())
    );
    let summary = match app
        .state
        .db()
        .with(|c| web::import::import_paths(c, paths, &user))
    {
        Ok(s) => s,
        Err(e) => {
            eprintln!("stembus: opslaan mislukt: {e}");
            return ExitCode::FAILURE;
        }
    };
    for f in &summary.errors {
        let line = format!("fout {}: {} ({})", f.code, f.message_nl, f.files.join(", "));
        eprintln!("{}", crate::terminal_safe(&line));
    }
    outln!("{}", table(&summary));
    eprintln!(
        "stembus: {} verkiezing(en) ingelezen, {} niet ingelezen, in {:.2} s",
        summary.elections.len(),
        summary.not_imported.len(),
        start.elapsed().as_secs_f64()
    );
    exit_code(&summary)
}

/// 2 when an election could not be imported (or none was found), or when `stembus verify` of
/// the same files says 2 (a file unreadable, an election damaged or incomplete); 1 when one
/// differs from its official result; else 0.
fn exit_code(summary: &web::import::Summary) -> ExitCode {
    let own = if summary.complete() {
        u8::from(summary.elections.iter().any(|e| e.status == "mismatch"))
    } else {
        2
    };
    // Never milder than `stembus verify` of the same files.
    ExitCode::from(own.max(summary.exit_code))
}

/// One row per election: imported (version, status, what changed) or not, and why.
fn table(summary: &web::import::Summary) -> String {
    let lang = webkit::Lang::Nl;
    let mut rows: Vec<[String; 4]> = vec![[
        "verkiezing".into(),
        "ingelezen".into(),
        "status".into(),
        "toelichting".into(),
    ]];
    for e in &summary.elections {
        rows.push([
            format!("{} ({})", e.name, e.id),
            format!("ja, versie {}", e.version),
            web::import::status_text(lang, &e.status).to_string(),
            format!(
                "{} fouten, {} waarschuwingen; {} /verkiezingen/{}/controle",
                e.errors,
                e.warnings,
                e.changes.describe(lang),
                e.id
            ),
        ]);
    }
    for n in &summary.not_imported {
        rows.push([
            format!("{} ({})", n.name, n.election),
            "NEE".into(),
            "–".into(),
            n.reason_nl.clone(),
        ]);
    }
    let widths: Vec<usize> = (0..3)
        .map(|i| rows.iter().map(|r| r[i].chars().count()).max().unwrap_or(0))
        .collect();
    let mut out = String::new();
    for r in &rows {
        for (i, w) in widths.iter().enumerate() {
            out.push_str(&r[i]);
            out.push_str(&" ".repeat(w - r[i].chars().count() + 2));
        }
        out.push_str(&r[3]);
        out.push('\n');
    }
    if let Some(run) = summary.run {
        out.push_str("overzicht: /beheer/importen/");
        out.push_str(&run.to_string());
    }
    out.truncate(out.trim_end().len());
    out
}
