//! Parse-throughput benchmark.
//!
//! ```text
//! cargo run --release -p eml --example bench_parse -- [--runs N] PATH...
//! ```
//!
//! PATHs are files or directories (recursive); zip archives are expanded in memory first (not
//! timed). Every file is parsed with `eml::parse_document` N times (default 10); the example
//! prints min and median wall time for the whole set and the throughput in MB/s (10^6 bytes).

#![allow(clippy::cast_precision_loss)]

use std::path::{Path, PathBuf};
use std::time::Instant;

fn collect(p: &Path, out: &mut Vec<(String, Vec<u8>)>) {
    if p.is_dir() {
        let mut entries: Vec<PathBuf> = std::fs::read_dir(p)
            .map(|rd| rd.filter_map(|e| e.ok().map(|e| e.path())).collect())
            .unwrap_or_default();
        entries.sort();
        for e in entries {
            collect(&e, out);
        }
        return;
    }
    let Ok(bytes) = std::fs::read(p) else {
        eprintln!("cannot read {}", p.display());
        return;
    };
    if bytes.starts_with(b"PK\x03\x04") {
        // Expand in memory with the loader's limits; keep only what identifies.
        let bundle_src = eml::SourceRef::file(p);
        let Ok(mut z) = zip::ZipArchive::new(std::io::Cursor::new(&bytes[..])) else {
            eprintln!("bad zip {bundle_src}");
            return;
        };
        for i in 0..z.len() {
            let Ok(mut f) = z.by_index(i) else { continue };
            let name = format!("{}!{}", p.display(), f.name().unwrap_or_default());
            let mut data = Vec::new();
            if std::io::Read::read_to_end(&mut f, &mut data).is_ok() && eml::identify(&data).is_ok()
            {
                out.push((name, data));
            }
        }
    } else if eml::identify(&bytes).is_ok() {
        out.push((p.display().to_string(), bytes));
    }
}

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
    let mut files = Vec::new();
    for a in &args {
        collect(Path::new(a), &mut files);
    }
    let bytes: usize = files.iter().map(|(_, b)| b.len()).sum();
    let mut times = Vec::with_capacity(runs);
    let mut errors = 0;
    let mut kinds = std::collections::BTreeMap::new();
    for run in 0..runs {
        let t = Instant::now();
        for (name, data) in &files {
            match eml::parse_document(data) {
                Ok(d) => {
                    if run == 0 {
                        *kinds.entry(format!("{:?}", d.document_type())).or_insert(0) += 1;
                    }
                    std::hint::black_box(&d);
                }
                Err(e) => {
                    if run == 0 {
                        errors += 1;
                        eprintln!("{name}: {e}");
                    }
                }
            }
        }
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    let min = times[0];
    let median = times[times.len() / 2];
    println!(
        "files: {} ({:.1} MB), parse errors: {errors}",
        files.len(),
        bytes as f64 / 1e6
    );
    for (k, n) in &kinds {
        println!("  {k}: {n}");
    }
    println!(
        "runs: {runs}  min: {:.1} ms  median: {:.1} ms  throughput: {:.0} MB/s (min)  {:.0} MB/s (median)",
        min * 1e3,
        median * 1e3,
        bytes as f64 / min / 1e6,
        bytes as f64 / median / 1e6
    );
}
