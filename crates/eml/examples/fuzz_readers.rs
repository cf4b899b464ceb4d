//! Long-running stable fuzz driver (no nightly needed): mutates seed documents and runs every
//! reader on each result, counting panics.
//!
//! ```text
//! cargo run --release -p eml --example fuzz_readers -- N [SEED]
//! ```
//!
//! Seeds are the built-in fixtures plus small real files from the shared data set when present.
//! A crashing input is written to `fuzz-crash-<seed>-<case>.bin` in the current directory and
//! can be replayed with the same N and SEED.

#![allow(clippy::cast_precision_loss)]

#[path = "../tests/support/mutate.rs"]
mod mutate;

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let cases: usize = args
        .first()
        .and_then(|s| s.parse().ok())
        .unwrap_or(1_000_000);
    let seed: u64 = args
        .get(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_2026);
    let mut seeds = mutate::builtin_seeds();
    seeds.extend(mutate::shared_seeds());
    // Silence the default panic message; crashes are reported below.
    std::panic::set_hook(Box::new(|_| {}));
    let mut rng = mutate::Rng::new(seed);
    let mut crashes = 0usize;
    let mut bytes = 0usize;
    let t = std::time::Instant::now();
    for case in 0..cases {
        let a = &seeds[rng.below(seeds.len())];
        let b = &seeds[rng.below(seeds.len())];
        let input = mutate::mutate(&mut rng, a, b);
        let which = rng.below(1000);
        bytes += input.len();
        if std::panic::catch_unwind(|| mutate::run_all(&input, which)).is_err() {
            crashes += 1;
            let name = format!("fuzz-crash-{seed}-{case}.bin");
            let _ = std::fs::write(&name, &input);
            eprintln!("case {case}: PANIC, input written to {name}");
        }
        if case > 0 && case % 100_000 == 0 {
            eprintln!(
                "{case} cases, {crashes} crashes, {:.0} execs/s",
                case as f64 / t.elapsed().as_secs_f64()
            );
        }
    }
    let secs = t.elapsed().as_secs_f64();
    println!(
        "fuzz_readers: {cases} executions ({:.1} MB of input) from {} seeds, seed {seed}, {crashes} crashes, {secs:.1} s ({:.0} execs/s)",
        bytes as f64 / 1e6,
        seeds.len(),
        cases as f64 / secs
    );
    if crashes > 0 {
        std::process::exit(1);
    }
}
