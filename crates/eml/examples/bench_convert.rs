//! OSV4-3 conversion benchmark: read a 510 count and a 230b candidate list from disk, parse
//! both and write the OSV4-3 CSV, N times.
//!
//! ```text
//! cargo run --release -p eml --example bench_convert -- [--runs N] COUNT_510.xml LISTS_230b.xml [ORACLE.csv]
//! ```
//!
//! Prints min and median time per conversion (read + parse + write) and, if an oracle CSV is
//! given, whether the output matches it byte for byte.

use std::time::Instant;

fn main() {
    let mut args: Vec<String> = std::env::args().skip(1).collect();
    let mut runs = 50usize;
    if let Some(i) = args.iter().position(|a| a == "--runs") {
        runs = args
            .get(i + 1)
            .and_then(|s| s.parse().ok())
            .unwrap_or(50)
            .max(1);
        args.drain(i..(i + 2).min(args.len()));
    }
    let (Some(count_path), Some(lists_path)) = (args.first(), args.get(1)) else {
        eprintln!("usage: bench_convert [--runs N] COUNT_510.xml LISTS_230b.xml [ORACLE.csv]");
        std::process::exit(2);
    };
    let mut times = Vec::with_capacity(runs);
    let mut out = Vec::new();
    for _ in 0..runs {
        let t = Instant::now();
        let (Ok(cb), Ok(lb)) = (std::fs::read(count_path), std::fs::read(lists_path)) else {
            eprintln!("cannot read input files");
            std::process::exit(1);
        };
        let count = match eml::parse_count(&cb) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{count_path}: {e}");
                std::process::exit(1);
            }
        };
        let lists = match eml::parse_candidate_lists(&lb) {
            Ok(c) => c,
            Err(e) => {
                eprintln!("{lists_path}: {e}");
                std::process::exit(1);
            }
        };
        out = eml::osv4_3::write(&count, &lists);
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    println!(
        "runs: {runs}  min: {:.2} ms  median: {:.2} ms  (read + parse 510 + parse 230b + write OSV4-3, {} bytes out)",
        times[0] * 1e3,
        times[times.len() / 2] * 1e3,
        out.len()
    );
    if let Some(oracle) = args.get(2) {
        match std::fs::read(oracle) {
            Ok(o) if o == out => println!("output matches {oracle} byte for byte"),
            Ok(_) => {
                println!("output DIFFERS from {oracle}");
                std::process::exit(1);
            }
            Err(e) => eprintln!("{oracle}: {e}"),
        }
    }
}
