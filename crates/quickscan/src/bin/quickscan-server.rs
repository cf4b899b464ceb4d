//! A Quick Scan server on its own: webkit with only the quickscan module.
//!
//! ```text
//! cargo run -p quickscan --bin quickscan-server -- [--demo] [--public-url URL]
//! ```
//!
//! Configuration comes from the environment as in `webkit::ServeConfig::from_env`
//! (`STEMBUS_DATA`, `STEMBUS_ADDR`, ...) and `quickscan::web::Options::from_env`
//! (`QUICKSCAN_PUBLIC_PER_MINUTE`, mail settings, `STEMBUS_PUBLIC_URL`).
//! `--public-url URL` (over `STEMBUS_PUBLIC_URL`) is the base of every link in e-mails and
//! letters; without it the dashboard warns and no invitations or letters are made.
//!
//! `--demo` makes sure there is an organisation `demo` with an open scan and prints its
//! public link as `public: /vragenlijst/p/CODE` on stdout (used by the durability test and
//! the load test in `crates/quickscan/load/`).

use quickscan::model::{Day, OrgKind, ScanStatus};
use quickscan::store;

fn demo(c: &rusqlite::Connection) -> store::Result<String> {
    store::upsert_org(c, "demo", "Gemeente Demo", OrgKind::Gemeente)?;
    let scans = store::scans_for_org(c, "demo")?;
    let s = if let Some(s) = scans.into_iter().find(|s| s.status == ScanStatus::Open) {
        s
    } else {
        let today = Day::today();
        let id = store::create_scan(c, "demo", "Demoscan", None, today)?;
        store::advance(c, id, ScanStatus::Open, today)?;
        store::scan(c, id)?
    };
    Ok(s.public_code)
}

#[tokio::main]
async fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    if args.iter().any(|a| a == "--help" || a == "-h") {
        println!(
            "quickscan-server [--demo] [--public-url URL]   (see STEMBUS_DATA, STEMBUS_ADDR, STEMBUS_PUBLIC_URL, QUICKSCAN_PUBLIC_PER_MINUTE)"
        );
        return;
    }
    let config = match webkit::ServeConfig::from_env() {
        Ok(c) => c,
        Err(e) => {
            eprintln!("quickscan-server: {e}");
            std::process::exit(2);
        }
    };
    let flag = args
        .iter()
        .position(|a| a == "--public-url")
        .map(|i| args.get(i + 1).cloned().unwrap_or_default())
        .or_else(|| {
            args.iter()
                .find_map(|a| a.strip_prefix("--public-url=").map(str::to_owned))
        });
    let opts = match &flag {
        Some(url) => quickscan::web::Options::from_env_except_url()
            .with_public_url(url)
            .map_err(|e| format!("--public-url: {e}")),
        None => quickscan::web::Options::try_from_env(),
    };
    let opts = match opts {
        Ok(o) => o,
        Err(e) => {
            eprintln!("quickscan-server: {e}");
            std::process::exit(2);
        }
    };
    if opts.public_url.is_none() {
        eprintln!(
            "quickscan-server: let op, geen --public-url of STEMBUS_PUBLIC_URL: links in e-mails en brieven werken dan niet"
        );
    }
    let mut module = quickscan::web::module(opts);
    if args.iter().any(|a| a == "--demo") {
        module = module.on_start(|c| {
            let code = demo(c).map_err(|e| webkit::Error::Config(e.to_string()))?;
            println!("public: /vragenlijst/p/{code}");
            Ok(())
        });
    }
    if let Err(e) = webkit::serve(config, vec![module]).await {
        eprintln!("quickscan-server: {e}");
        std::process::exit(1);
    }
}
