//! Parse-throughput benchmark (what `stembus bench parse` will call).
//!
//! ```text
//! cargo run --release -p eml --example bench_parse -- [--runs N] PATH...
//! ```
//!
//! PATHs are files, directories (recursive) or zip archives (expanded in memory first, not
//! timed). Every identified document is parsed with `eml::parse_document` N times (default 10),
//! single-threaded; the example prints min and median wall time for the whole set and the
//! throughput in MB/s (10^6 bytes per second).

use std::path::PathBuf;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 10usize;
    if let Some(i) = args.iter().position(|a| a == "--runs") {
        runs = args
            .get(i + 1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(10)
            .max(1);
        args.drain(i..(i + 2).min(args.len()));
    }
    if args.is_empty() {
        eprintln!("usage: bench_parse [--runs N] PATH...");
        std::process::exit(2);
    }
    let paths: Vec<PathBuf> = args.iter().map(PathBuf::from).collect();
    let (inputs, problems) = eml::collect_inputs(&paths, &eml::LoadOptions::default());
    for p in &problems {
        eprintln!("{p}");
    }
    let report = eml::bench::parse_throughput(&inputs, runs);
    println!("{report}");
}
