//! `stembus bench`: timings of the engine on a Tweede Kamer–size election, min and median over
//! repeated runs. Goals (issue "Kieswet engine"): apportionment with all candidates ≤ 100 µs,
//! margins for all lists ≤ 10 ms.

use std::hint::black_box;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::{Duration, Instant};

use kieswet::{Body, Candidate, Election, List, Party, RulesetName, SplitRounding};

/// The 37 list totals of the Tweede Kamer election of 17 March 2021 (Kiesraad, 510d), in list
/// number order 1–37.
const TK2021_TOTALS: [u64; 37] = [
    2_279_130, 1_124_482, 990_601, 1_565_861, 537_308, 623_371, 597_192, 351_275, 399_750, 106_702,
    215_249, 211_237, 523_083, 87_238, 246_620, 40_731, 252_480, 33_834, 22_816, 5_546, 15_297,
    30_328, 104_319, 8_657, 9_264, 5_449, 5_015, 13_198, 1_880, 8_277, 804, 3_744, 942, 553, 245,
    255, 119,
];

/// Parties that handed in a different list per kieskring in 2021 (a lijstengroep of 20 lists):
/// CDA (3), D66 (4), PvdA (7).
const GROUPS: [u32; 3] = [3, 4, 7];

/// A Tweede Kamer–size election: the TK2021 list totals, 50 candidates per list (80 for lists
/// above 15 seats), votes spread over the candidates deterministically (the lijsttrekker takes
/// most), and three parties as lijstengroepen of 20 kieskring lists.
pub fn tk_size_election() -> Election {
    let parties = TK2021_TOTALS
        .iter()
        .zip(1u32..)
        .map(|(&total, number)| {
            let size = if total > 1_100_000 { 80 } else { 50 };
            let kieskringen = if GROUPS.contains(&number) { 20 } else { 1 };
            let per_list = split(total, kieskringen);
            let lists = per_list
                .iter()
                .zip(1u32..)
                .map(|(&votes, kieskring)| List {
                    kieskringen: vec![kieskring].into(),
                    list_votes: 0,
                    candidates: spread(votes, size)
                        .into_iter()
                        .zip(1u32..)
                        .map(|(v, position)| Candidate {
                            position,
                            name: format!("Kandidaat {number}.{position}"),
                            person: position - 1,
                            votes: v,
                            deceased: false,
                        })
                        .collect(),
                })
                .collect();
            Party {
                number,
                name: format!("Lijst {number}"),
                lists,
            }
        })
        .collect();
    Election {
        body: Body::TK,
        seats: 150,
        ruleset: RulesetName::Current,
        split_rounding: SplitRounding::default(),
        preference_threshold_percent: None,
        parties,
        lots: Vec::new(),
    }
}

/// `total` over `n` parts, unevenly but deterministically, summing to `total`.
fn split(total: u64, n: u64) -> Vec<u64> {
    // Distinct weights, so no two lists of a group tie (P 12 would need a lot).
    let weights: Vec<u64> = (0..n).map(|i| 1_000 + i * i * 37 + (i * 7) % 13).collect();
    let sum: u64 = weights.iter().sum();
    let mut parts: Vec<u64> = weights.iter().map(|w| total * w / sum).collect();
    parts[0] += total - parts.iter().sum::<u64>();
    parts
}

/// `votes` over `candidates`: the first takes 60 %, the rest falls off with the position.
fn spread(votes: u64, candidates: u64) -> Vec<u64> {
    let first = votes * 6 / 10;
    let rest = votes - first;
    let weights: Vec<u64> = (1..candidates).map(|p| 1 + 1000 / (p + 1)).collect();
    let sum: u64 = weights.iter().sum();
    let mut out = vec![first];
    out.extend(weights.iter().map(|w| rest * w / sum));
    out[0] += votes - out.iter().sum::<u64>();
    out
}

/// Min and median time of one call of `f`, each timing also counting the drop of one result.
///
/// The drop of the previous result is timed right after the call, not the drop of the call's
/// own result: dropping everything a run allocated before the next run starts lets glibc give
/// the freed top of the heap back to the kernel, and the next run then pays a page fault for
/// every 4 KiB it touches again (about 2 µs each on a virtual machine). A process that keeps a
/// result while it computes the next, like a server, never pays that; with this order the
/// loop measures the same work without it.
fn measure<T>(runs: usize, mut f: impl FnMut() -> T) -> (Duration, Duration) {
    let mut previous = Some(f());
    let mut times: Vec<Duration> = (0..runs.max(1))
        .map(|_| {
            let start = Instant::now();
            let result = black_box(f());
            drop(previous.replace(result));
            start.elapsed()
        })
        .collect();
    times.sort();
    (times[0], times[times.len() / 2])
}

pub fn run(runs: usize) -> ExitCode {
    let election = tk_size_election();
    match kieswet::apportion(&election) {
        Ok(kieswet::Apportionment::Complete(_)) => {}
        other => {
            eprintln!("stembus: the benchmark election gives no complete result: {other:?}");
            return ExitCode::FAILURE;
        }
    }
    let candidates = candidate_entries(&election);
    outln!(
        "Tweede Kamer–size election: {} lists, {} seats, {} candidate entries{}",
        election.parties.len(),
        election.seats,
        candidates,
        if cfg!(debug_assertions) {
            " (DEBUG BUILD: use --release for real figures)"
        } else {
            ""
        }
    );
    report(
        "seats only (P 5–P 13)",
        measure(runs, || kieswet::apportion_seats(&election)),
        Some(Duration::from_micros(100)),
    );
    report(
        "apportionment with all candidates",
        measure(runs, || kieswet::apportion(&election)),
        Some(Duration::from_micros(100)),
    );
    report(
        "  and the P 19 ranking of every candidate",
        measure(runs, || kieswet::apportion_with_ranking(&election)),
        None,
    );
    report(
        "margins for all lists",
        measure(runs.div_ceil(10), || kieswet::margins(&election)),
        Some(Duration::from_millis(10)),
    );
    ExitCode::SUCCESS
}

/// The candidates on all lists together (a person on 20 lists of a group counts 20 times).
fn candidate_entries(election: &Election) -> usize {
    election
        .parties
        .iter()
        .flat_map(|p| &p.lists)
        .map(|l| l.candidates.len())
        .sum()
}

/// One timing, with its goal from the issue if it has one.
fn report(what: &str, (min, median): (Duration, Duration), goal: Option<Duration>) {
    let goal = goal.map_or(String::new(), |g| format!("   goal ≤ {} µs", g.as_micros()));
    outln!(
        "{what:<42} min {:>10.1} µs   median {:>10.1} µs{goal}",
        min.as_secs_f64() * 1e6,
        median.as_secs_f64() * 1e6,
    );
}

/// `stembus bench official PATH...`: the engine timings on each election found in official
/// files (the input built as `stembus verify` builds it).
pub fn official(paths: &[PathBuf], runs: usize) -> ExitCode {
    let assembled = results::assemble(eml::load_paths(paths));
    let mut measured = 0;
    for data in &assembled.elections {
        let Ok(input) = results::recompute::engine_input(data) else {
            outln!("{}: no engine input (see `stembus verify`)", data.id);
            continue;
        };
        let election = &input.election;
        let entries = candidate_entries(election);
        outln!(
            "{}: {} lists, {} seats, {entries} candidate entries",
            data.id,
            election.parties.len(),
            election.seats
        );
        report(
            "apportionment with all candidates",
            measure(runs, || kieswet::apportion(election)),
            Some(Duration::from_micros(100)),
        );
        report(
            "  and the P 19 ranking of every candidate",
            measure(runs, || kieswet::apportion_with_ranking(election)),
            None,
        );
        report(
            "margins for all lists",
            measure(runs.div_ceil(10), || kieswet::margins(election)),
            Some(Duration::from_millis(10)),
        );
        measured += 1;
    }
    if measured == 0 {
        eprintln!("stembus: no election in the given files could be measured");
        return ExitCode::FAILURE;
    }
    ExitCode::SUCCESS
}
