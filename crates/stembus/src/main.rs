//! `stembus`: the command line. Thin: each subcommand parses its arguments, calls a library
//! crate and prints. Exit codes: 0 result, 1 mismatch (verify), 2 invalid input, 3 lot required.

mod apportion;
mod bench;

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Stembus: open, verifiable software for Dutch elections.
#[derive(Parser)]
#[command(name = "stembus", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
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
    },
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    match cli.command {
        Command::Apportion {
            file,
            json,
            no_margins,
        } => apportion::run(file.as_deref(), json, !no_margins),
        Command::Bench { runs } => bench::run(runs),
    }
}
