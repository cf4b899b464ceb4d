//! `stembus`: the command line. Thin: each subcommand parses its arguments, calls a library
//! crate and prints. Exit codes: 0 result, 1 mismatch (verify), 2 invalid input, 3 lot required.

/// `print!` to standard output that does not panic when the reader has gone (`stembus verify
/// … | head`): the rest of the output is dropped and the command ends with its own exit code.
macro_rules! out {
    ($($arg:tt)*) => { $crate::write_stdout(format_args!($($arg)*)) };
}

/// `println!` in the manner of [`out!`].
macro_rules! outln {
    () => { $crate::write_stdout(format_args!("\n")) };
    ($($arg:tt)*) => { $crate::write_stdout(format_args!("{}\n", format_args!($($arg)*))) };
}

mod apportion;
mod bench;
mod convert;
mod import;
mod publish;
mod result;
mod serve;
mod verify;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Writes to standard output. A closed pipe is not an error of the command (see [`out!`]); any
/// other write error ends the process with exit code 2.
fn write_stdout(args: std::fmt::Arguments<'_>) {
    use std::io::Write;
    let text = args.to_string();
    if let Err(e) = closed_pipe_is_ok(
        std::io::stdout()
            .lock()
            .write_all(terminal_safe(&text).as_bytes()),
    ) {
        eprintln!("stembus: kan niet schrijven naar standaarduitvoer: {e}");
        std::process::exit(2);
    }
}

/// Text as it may reach a terminal: every control character except the line feed is written
/// as `\u{1b}`, so that no name from a file or a zip entry can clear the screen, move the
/// cursor or overwrite a line with a fake "OK" (issue 14). Readers refuse control characters
/// in file contents; this is the last line of defence for everything printed.
fn terminal_safe(s: &str) -> std::borrow::Cow<'_, str> {
    if !s.chars().any(|c| c.is_control() && c != '\n') {
        return std::borrow::Cow::Borrowed(s);
    }
    std::borrow::Cow::Owned(
        s.split('\n')
            .map(eml::escape_controls)
            .collect::<Vec<_>>()
            .join("\n"),
    )
}

/// A write to standard output whose reader has gone counts as done: the reader wanted no more.
fn closed_pipe_is_ok(written: std::io::Result<()>) -> std::io::Result<()> {
    match written {
        Err(e) if e.kind() == std::io::ErrorKind::BrokenPipe => Ok(()),
        other => other,
    }
}

/// Stembus: open, verifiable software for Dutch elections.
#[derive(Parser)]
#[command(name = "stembus", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Start the web app (election results and the Quick Scan Lokale Democratie) on
    /// 127.0.0.1:8080, with a built-in demo. Open the address in a browser.
    Serve {
        /// Address to listen on (default `STEMBUS_ADDR` or 127.0.0.1:8080). Only a loopback
        /// address is private to this computer.
        #[arg(long)]
        addr: Option<String>,
        /// Mark cookies `Secure` (with the `__Host-` prefix): use this when the site is served
        /// over HTTPS, e.g. behind a reverse proxy (also `STEMBUS_SECURE_COOKIES=1`).
        #[arg(long)]
        secure_cookies: bool,
        /// Only reachable through a reverse proxy that appends the visitor's address to
        /// `X-Forwarded-For`: count that address as the client (also `STEMBUS_BEHIND_PROXY=1`).
        #[arg(long)]
        behind_proxy: bool,
        /// The public web address of this server, e.g. `https://stembus.gemeente.nl`: the base
        /// of every link in the Quick Scan's e-mails and letters (also `STEMBUS_PUBLIC_URL`).
        /// Unset: the Quick Scan warns and sends no invitations.
        #[arg(long)]
        public_url: Option<String>,
        #[command(flatten)]
        server: serve::ServerArgs,
    },
    /// Import official results (the Kiesraad's EML zips, folders or files) into the web app:
    /// each election is verified and stored with its report. Exit 0 = imported and equal to
    /// the official result, 1 = a mismatch, 2 = nothing importable.
    Import {
        /// EML files, Kiesraad CSV files, directories or zip bundles.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        #[command(flatten)]
        server: serve::ServerArgs,
    },
    /// Publish the election pages and the read-only JSON API of every stored election as a
    /// static site (any static server, object store or CDN). Only elections that changed
    /// since the last publish into SITE are rendered again. Exit 0 = complete, 1 = some
    /// addresses failed, 2 = wrong flags.
    Publish(publish::PublishArgs),
    /// Manage the web app's users.
    Admin {
        #[command(subcommand)]
        what: AdminCommand,
    },
    /// Compute seats per list and elected candidates for an election in JSON (see README),
    /// with every step and its article. Exit 0 = result, 2 = invalid input, 3 = lot required.
    Apportion {
        /// The election as JSON; `-` reads standard input. Without FILE: the bundled example.
        file: Option<PathBuf>,
        /// Print JSON instead of the Dutch report.
        #[arg(long)]
        json: bool,
        /// Leave out the seat margins (they take a few milliseconds more).
        #[arg(long)]
        no_margins: bool,
    },
    /// Measure the engine on a Tweede Kamer–size election (release build recommended:
    /// `cargo run --release -p stembus -- bench`).
    Bench {
        /// How many timed runs per measurement.
        #[arg(long, default_value_t = 200)]
        runs: usize,
        /// Measure something else than the engine.
        #[command(subcommand)]
        what: Option<BenchWhat>,
    },
    /// Verify official results: recompute seats and elected candidates from the counts and
    /// compare with the official result; check every count against its parts. Any mix of
    /// zips, directories and files. Exit 0 = equal, 1 = a mismatch, 2 = input unreadable.
    Verify {
        /// EML files, Kiesraad CSV files, directories or zip bundles.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// Print JSON instead of the report.
        #[arg(long)]
        json: bool,
        /// Language of the report.
        #[arg(long, value_enum, default_value = "nl")]
        lang: verify::Lang,
    },
    /// Convert a count (EML 510) with its candidate lists (EML 230b) to the OSV4-3 table
    /// (byte for byte as the Kiesraad's eml2csv), a tidy CSV or JSON.
    Convert {
        /// Output format.
        #[arg(long, value_enum)]
        to: convert::Format,
        /// The count and the candidate lists (any order; recognised by content).
        #[arg(required = true, num_args = 1..=2)]
        inputs: Vec<PathBuf>,
        /// Output file (default: standard output).
        #[arg(short, long)]
        output: Option<PathBuf>,
    },
    /// Recompute an election from its counts and candidate lists and write the result as
    /// EML 520.
    Result {
        /// EML files, directories or zip bundles of one election.
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// The EML 520 to write.
        #[arg(short, long)]
        output: PathBuf,
        /// Which election, when the input holds several (e.g. `GR2022_Aalten`).
        #[arg(long)]
        election: Option<String>,
    },
}

#[derive(Subcommand)]
enum BenchWhat {
    /// Time `stembus verify PATH...` (load, check, recompute, compare): min and median.
    Verify {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// How many timed runs.
        #[arg(long, default_value_t = 10)]
        runs: usize,
    },
    /// Time the engine (apportionment with all candidates, margins) on the elections in
    /// official files, e.g. the Tweede Kamer 2021 zip: min and median.
    Official {
        #[arg(required = true)]
        paths: Vec<PathBuf>,
        /// How many timed runs per measurement.
        #[arg(long, default_value_t = 200)]
        runs: usize,
    },
}

#[derive(Subcommand)]
enum AdminCommand {
    /// Create a beheerder (platform administrator). The password is read from standard input
    /// or from `STEMBUS_ADMIN_PASSWORD`.
    Create {
        /// The login name.
        name: String,
        #[command(flatten)]
        server: serve::ServerArgs,
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Serve {
            addr,
            secure_cookies,
            behind_proxy,
            public_url,
            server,
        } => serve::serve(
            &server,
            addr.as_deref(),
            serve::Proxy {
                secure_cookies,
                behind_proxy,
            },
            public_url.as_deref(),
        ),
        Command::Import { paths, server } => import::run(&paths, &server),
        Command::Publish(args) => publish::run(&args),
        Command::Admin {
            what: AdminCommand::Create { name, server },
        } => serve::create_admin(&server, &name),
        Command::Apportion {
            file,
            json,
            no_margins,
        } => apportion::run(file.as_deref(), json, !no_margins),
        Command::Bench { runs, what: None } => bench::run(runs),
        Command::Bench {
            what: Some(BenchWhat::Verify { paths, runs }),
            ..
        } => verify::bench(&paths, runs),
        Command::Bench {
            what: Some(BenchWhat::Official { paths, runs }),
            ..
        } => bench::official(&paths, runs),
        Command::Verify { paths, json, lang } => verify::run(&paths, json, lang),
        Command::Convert { to, inputs, output } => convert::run(to, &inputs, output.as_deref()),
        Command::Result {
            paths,
            output,
            election,
        } => result::run(&paths, &output, election.as_deref()),
    }
}
