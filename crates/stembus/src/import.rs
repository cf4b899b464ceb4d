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
    let summary = match app.state.db().with(|c| web::import::import_paths(c, paths)) {
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
    for e in &summary.elections {
        outln!(
            "{} ({}): {} – {} gebieden, {} tellingen, {} fouten, {} waarschuwingen; pagina /verkiezingen/{}/controle",
            e.name,
            e.id,
            web::import::status_text(webkit::Lang::Nl, &e.status),
            e.units,
            e.counts,
            e.errors,
            e.warnings,
            e.id
        );
    }
    eprintln!(
        "stembus: {} verkiezing(en) ingelezen in {:.2} s",
        summary.elections.len(),
        start.elapsed().as_secs_f64()
    );
    // The same verdict as `stembus verify` of the same files.
    ExitCode::from(summary.exit_code)
}
