//! `stembus serve` and `stembus admin create`: the web app (election pages and the Quick Scan)
//! on one server. The web layer lives in the `webkit`, `web` and `quickscan` crates; this only
//! reads the flags and starts it.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

/// Flags shared by `serve` and `admin`.
#[derive(clap::Args)]
pub struct ServerArgs {
    /// Folder for the SQLite database (default: `STEMBUS_DATA` or `stembus-data`).
    #[arg(long)]
    pub data: Option<PathBuf>,
}

fn config(args: &ServerArgs, addr: Option<SocketAddr>) -> Result<webkit::ServeConfig, String> {
    let mut config = webkit::ServeConfig::from_env().map_err(|e| e.to_string())?;
    if let Some(dir) = &args.data {
        config.data_dir.clone_from(dir);
    }
    if let Some(addr) = addr {
        config.addr = addr;
    }
    Ok(config)
}

/// The modules every server mounts: the election pages and the Quick Scan.
pub fn modules() -> Vec<webkit::Module> {
    modules_with(quickscan::web::Options::from_env())
}

/// As [`modules`], with the Quick Scan's options given.
pub fn modules_with(qs: quickscan::web::Options) -> Vec<webkit::Module> {
    vec![web::module(), quickscan::web::module(qs)]
}

/// The Quick Scan's options: from the environment, `--public-url` over `STEMBUS_PUBLIC_URL`.
/// An invalid address is an error (exit 2), never silently replaced.
fn quickscan_options(public_url: Option<&str>) -> Result<quickscan::web::Options, String> {
    let opts = match public_url {
        // the flag wins; the variable is not read then
        Some(_) => quickscan::web::Options::from_env_except_url(),
        None => quickscan::web::Options::try_from_env()?,
    };
    match public_url {
        Some(u) => opts
            .with_public_url(u)
            .map_err(|e| format!("--public-url: {e}")),
        None => Ok(opts),
    }
}

/// The flags for serving over HTTPS behind a reverse proxy (the environment can also switch
/// them on: `STEMBUS_SECURE_COOKIES`, `STEMBUS_BEHIND_PROXY`).
#[derive(Clone, Copy, Debug, Default)]
pub struct Proxy {
    /// `--secure-cookies`: `Secure` cookies with the `__Host-` prefix.
    pub secure_cookies: bool,
    /// `--behind-proxy`: the last `X-Forwarded-For` address is the client.
    pub behind_proxy: bool,
}

pub fn serve(
    args: &ServerArgs,
    addr: Option<&str>,
    proxy: Proxy,
    public_url: Option<&str>,
) -> ExitCode {
    let qs = match quickscan_options(public_url) {
        Ok(o) => o,
        Err(e) => {
            eprintln!("stembus: {e}");
            return ExitCode::from(2);
        }
    };
    if qs.public_url.is_none() {
        eprintln!(
            "stembus: let op, geen --public-url of STEMBUS_PUBLIC_URL: de Quick Scan verstuurt geen uitnodigingen en maakt geen brieven"
        );
    }
    let addr = match addr.map(webkit::config::parse_addr).transpose() {
        Ok(a) => a,
        Err(e) => {
            eprintln!("stembus: ongeldig adres: {e}");
            return ExitCode::from(2);
        }
    };
    let mut config = match config(args, addr) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("stembus: {e}");
            return ExitCode::from(2);
        }
    };
    config.secure_cookies |= proxy.secure_cookies;
    config.behind_proxy |= proxy.behind_proxy;
    if !config.secure_cookies && !config.addr.ip().is_loopback() {
        eprintln!(
            "stembus: let op, cookies zonder Secure; gebruik --secure-cookies als de site via HTTPS (bijvoorbeeld achter een proxy) bereikbaar is"
        );
    }
    let runtime = match tokio::runtime::Runtime::new() {
        Ok(r) => r,
        Err(e) => {
            eprintln!("stembus: kan de server niet starten: {e}");
            return ExitCode::FAILURE;
        }
    };
    eprintln!(
        "stembus: gegevens in {}; stoppen met Ctrl+C",
        config.data_dir.display()
    );
    match runtime.block_on(webkit::serve(config, modules_with(qs))) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("stembus: {e}");
            ExitCode::FAILURE
        }
    }
}

pub fn create_admin(args: &ServerArgs, name: &str) -> ExitCode {
    let config = match config(args, None) {
        Ok(c) => c,
        Err(e) => {
            eprintln!("stembus: {e}");
            return ExitCode::from(2);
        }
    };
    let password = match std::env::var("STEMBUS_ADMIN_PASSWORD") {
        Ok(p) if !p.is_empty() => p,
        _ => match read_password() {
            Ok(p) => p,
            Err(e) => {
                eprintln!("stembus: {e}");
                return ExitCode::from(2);
            }
        },
    };
    let mut config = config;
    config.print_setup_token = false;
    let result = std::fs::create_dir_all(&config.data_dir)
        .map_err(|e| e.to_string())
        .and_then(|()| {
            // Building the app runs every migration, so the user tables exist.
            let app = webkit::App::build(config, modules()).map_err(|e| e.to_string())?;
            webkit::create_admin(app.state.db(), name, &password).map_err(|e| e.to_string())
        });
    match result {
        Ok(_) => {
            outln!("Beheerder ‘{name}’ is aangemaakt.");
            ExitCode::SUCCESS
        }
        Err(e) => {
            eprintln!("stembus: {e}");
            ExitCode::FAILURE
        }
    }
}

/// Reads a password from standard input (one line), so it never appears in the process list.
fn read_password() -> Result<String, String> {
    eprintln!("Wachtwoord (minstens 12 tekens), gevolgd door Enter:");
    let mut line = String::new();
    std::io::stdin()
        .read_line(&mut line)
        .map_err(|e| format!("kan het wachtwoord niet lezen: {e}"))?;
    let password = line.trim_end_matches(['\r', '\n']).to_string();
    if password.is_empty() {
        return Err("geen wachtwoord gegeven".to_string());
    }
    Ok(password)
}
