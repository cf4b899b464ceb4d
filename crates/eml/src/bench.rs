//! Parse-throughput measurement, for `stembus bench parse` and `examples/bench_parse.rs`.

use std::collections::BTreeMap;
use std::fmt;
use std::time::Instant;

use serde::Serialize;

use crate::{SourceRef, parse_document};

/// Result of [`parse_throughput`].
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct BenchReport {
    /// Number of files parsed per run.
    pub files: usize,
    /// Total bytes parsed per run.
    pub bytes: usize,
    /// Number of runs.
    pub runs: usize,
    /// Fastest run in seconds.
    pub min_seconds: f64,
    /// Median run in seconds.
    pub median_seconds: f64,
    /// Files that failed to parse (in the first run), with the error.
    pub errors: Vec<String>,
    /// Documents per type (first run).
    pub per_type: BTreeMap<String, usize>,
}

impl BenchReport {
    /// Throughput of the fastest run in MB/s (10^6 bytes per second).
    pub fn mb_per_s_min(&self) -> f64 {
        mb_per_s(self.bytes, self.min_seconds)
    }

    /// Throughput of the median run in MB/s.
    pub fn mb_per_s_median(&self) -> f64 {
        mb_per_s(self.bytes, self.median_seconds)
    }
}

#[allow(clippy::cast_precision_loss)]
fn mb_per_s(bytes: usize, secs: f64) -> f64 {
    if secs > 0.0 {
        bytes as f64 / secs / 1e6
    } else {
        0.0
    }
}

impl fmt::Display for BenchReport {
    #[allow(clippy::cast_precision_loss)]
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        writeln!(
            f,
            "files: {} ({:.1} MB), parse errors: {}",
            self.files,
            self.bytes as f64 / 1e6,
            self.errors.len()
        )?;
        for (k, n) in &self.per_type {
            writeln!(f, "  {k}: {n}")?;
        }
        for e in &self.errors {
            writeln!(f, "  error: {e}")?;
        }
        write!(
            f,
            "runs: {}  min: {:.1} ms  median: {:.1} ms  throughput: {:.0} MB/s (min)  {:.0} MB/s (median)",
            self.runs,
            self.min_seconds * 1e3,
            self.median_seconds * 1e3,
            self.mb_per_s_min(),
            self.mb_per_s_median()
        )
    }
}

/// Parses every input `runs` times (single-threaded) with [`parse_document`] and reports the
/// fastest and median wall time of a complete pass. Inputs come from
/// [`crate::collect_inputs`]; reading and unzipping is not timed.
pub fn parse_throughput(inputs: &[(SourceRef, Vec<u8>)], runs: usize) -> BenchReport {
    let runs = runs.max(1);
    let mut times = Vec::with_capacity(runs);
    let mut errors = Vec::new();
    let mut per_type = BTreeMap::new();
    for run in 0..runs {
        let t = Instant::now();
        for (source, data) in inputs {
            match parse_document(data) {
                Ok(d) => {
                    if run == 0 {
                        *per_type
                            .entry(format!("{:?}", d.document_type()))
                            .or_insert(0) += 1;
                    }
                    std::hint::black_box(&d);
                }
                Err(e) => {
                    if run == 0 {
                        errors.push(format!("{source}: {e}"));
                    }
                }
            }
        }
        times.push(t.elapsed().as_secs_f64());
    }
    times.sort_by(f64::total_cmp);
    BenchReport {
        files: inputs.len(),
        bytes: inputs.iter().map(|(_, b)| b.len()).sum(),
        runs,
        min_seconds: times.first().copied().unwrap_or_default(),
        median_seconds: times.get(times.len() / 2).copied().unwrap_or_default(),
        errors,
        per_type,
    }
}
