//! Stable, deterministic fuzz test: mutates small seed documents (built-in fixtures and, when
//! present, small real files) and runs every reader on the result. The property: no input makes
//! a reader panic. `FUZZ_CASES` (default 20 000) and `FUZZ_SEED` tune the run; for long runs use
//! `cargo run --release -p eml --example fuzz_readers -- N`.

#[path = "support/mutate.rs"]
mod mutate;

#[test]
fn readers_never_panic_on_mutated_input() {
    let cases: usize = std::env::var("FUZZ_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(20_000);
    let seed: u64 = std::env::var("FUZZ_SEED")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(0x5EED_2026);
    let mut seeds = mutate::builtin_seeds();
    seeds.extend(mutate::shared_seeds());
    let mut rng = mutate::Rng::new(seed);
    let mut crashes = Vec::new();
    let t = std::time::Instant::now();
    for case in 0..cases {
        let a = &seeds[rng.below(seeds.len())];
        let b = &seeds[rng.below(seeds.len())];
        let input = mutate::mutate(&mut rng, a, b);
        let which = rng.below(1000);
        let r = std::panic::catch_unwind(|| mutate::run_all(&input, which));
        if r.is_err() {
            crashes.push((case, input));
        }
    }
    eprintln!(
        "fuzz: {cases} cases from {} seeds, seed {seed:#x}, {} crashes, {:.1} s",
        seeds.len(),
        crashes.len(),
        t.elapsed().as_secs_f64()
    );
    if let Some((case, input)) = crashes.first() {
        panic!(
            "case {case} panicked; input ({} bytes): {:?}",
            input.len(),
            String::from_utf8_lossy(&input[..input.len().min(400)])
        );
    }
}
