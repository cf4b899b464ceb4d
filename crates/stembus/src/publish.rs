//! `stembus publish --data DIR --out SITE [--base-url URL] [--live-url URL]`: the public
//! election pages and the read-only JSON API of every stored election as static files, for any
//! static server, object store or CDN. The work is done by `web::publish`; this reads the
//! flags, prints progress and the figures.

use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use crate::serve::ServerArgs;

/// Flags of `stembus publish`.
#[derive(clap::Args)]
pub struct PublishArgs {
    /// Folder of the static site (made if missing; an earlier publish there is updated).
    #[arg(long)]
    pub out: PathBuf,
    /// Public address of the static site, e.g. https://uitslagen.example.nl (absolute URLs in
    /// sitemap.xml).
    #[arg(long)]
    pub base_url: Option<String>,
    /// Address of the live app (`stembus serve`): forms such as what-if, the language choice,
    /// login and the Quick Scan link there. Without it they lead to a page that says they need
    /// the app.
    #[arg(long)]
    pub live_url: Option<String>,
    /// No progress lines, only the figures at the end.
    #[arg(long)]
    pub quiet: bool,
    #[command(flatten)]
    pub server: ServerArgs,
}

fn check_url(flag: &str, url: Option<&String>) -> Result<(), String> {
    match url {
        Some(u) if !(u.starts_with("https://") || u.starts_with("http://")) => Err(format!(
            "--{flag} moet beginnen met https:// of http:// (gekregen: {u})"
        )),
        _ => Ok(()),
    }
}

pub fn run(args: &PublishArgs) -> ExitCode {
    if let Err(e) = check_url("base-url", args.base_url.as_ref())
        .and_then(|()| check_url("live-url", args.live_url.as_ref()))
    {
        eprintln!("stembus: {e}");
        return ExitCode::from(2);
    }
    let mut config = match webkit::ServeConfig::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("stembus: {e}");
            return ExitCode::from(2);
        }
    };
    if let Some(dir) = &args.server.data {
        config.data_dir.clone_from(dir);
    }
    config.print_setup_token = false;
    if !config.data_dir.is_dir() {
        eprintln!(
            "stembus: de map {} bestaat niet (gebruik eerst stembus import)",
            config.data_dir.display()
        );
        return ExitCode::from(2);
    }
    // The same modules as `stembus serve`, so every page looks exactly as in the app.
    let web_state = Arc::new(web::Web::default());
    let modules = vec![
        web::module_with(web_state.clone()),
        quickscan::web::module(quickscan::web::Options::from_env()),
    ];
    let app = match webkit::App::build(config, modules) {
        Ok(a) => a,
        Err(e) => {
            eprintln!("stembus: {e}");
            return ExitCode::FAILURE;
        }
    };
    let mut opts = web::publish::Options::new(&args.out);
    opts.base_url.clone_from(&args.base_url);
    opts.live_url.clone_from(&args.live_url);
    opts.progress = !args.quiet;
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("stembus: {e}");
            return ExitCode::FAILURE;
        }
    };
    let report = match runtime.block_on(web::publish::publish(&app, &web_state, &opts)) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("stembus: publiceren mislukt: {e}");
            return ExitCode::FAILURE;
        }
    };
    for (url, status, from) in &report.failures {
        if from.is_empty() {
            eprintln!("fout: {url} gaf {status}");
        } else {
            eprintln!("fout: {url} gaf {status} (link op {from})");
        }
    }
    if !report.unavailable.is_empty() {
        eprintln!(
            "stembus: {} API-adressen niet gepubliceerd, omdat de app er voor die verkiezing een fout op geeft (bijvoorbeeld geen uitslag bij beschadigde bestanden); eerste: {} ({})",
            report.unavailable.len(),
            report.unavailable[0].0,
            report.unavailable[0].1
        );
    }
    outln!(
        "{} verkiezingen, {} opnieuw gemaakt; {} bestanden, {}.{} MB; {} geschreven, {} verwijderd; {} adressen opgevraagd; {:.1} s",
        report.elections,
        report.rebuilt.len(),
        report.files,
        report.bytes / 1_000_000,
        report.bytes % 1_000_000 / 100_000,
        report.written,
        report.removed,
        report.requested,
        report.seconds
    );
    outln!("Site in {}", args.out.display());
    if args.base_url.is_none() {
        eprintln!(
            "stembus: sitemap.xml heeft adressen zonder domein; geef --base-url voor zoekmachines"
        );
    }
    if report.failures.is_empty() {
        ExitCode::SUCCESS
    } else {
        eprintln!(
            "stembus: {} adressen gaven een fout; de site is geschreven maar niet compleet",
            report.failures.len()
        );
        ExitCode::from(1)
    }
}
