//! Search speed with real data: imports the official files (default: TK2021 "deel 1" and the
//! GR2022 bundle from `../shared/data`), builds the search index, then asks a mix of queries
//! — short prefixes that hit thousands of entries, names, gemeenten — through the full router
//! (`/api/search`, JSON included) and directly on the index, and prints p50, p99 and max.
//!
//! `cargo run --release -p web --example search_bench [PATH...]`

use std::path::PathBuf;
use std::time::{Duration, Instant};

use webkit::testing::TestApp;

const QUERIES: &[&str] = &[
    "a",
    "de",
    "van",
    "rutte",
    "rutte m",
    "jan",
    "jansen",
    "de vries",
    "groen",
    "cda",
    "vvd",
    "lokaal",
    "zuid",
    "s-hert",
    "hertogenbosch",
    "amsterdam",
    "sudwest fryslan",
    "stembureau",
    "stembureau school",
    "gemeenteraad 2022",
    "tweede kamer",
    "k",
    "bakker",
    "ijssel",
    "kieskring",
    "partij voor de dieren",
    "xyzzy",
];
const ROUNDS: usize = 40;

fn percentile(sorted: &[Duration], p: f64) -> Duration {
    #[allow(
        clippy::cast_possible_truncation,
        clippy::cast_sign_loss,
        clippy::cast_precision_loss
    )]
    let i = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[i.min(sorted.len() - 1)]
}

fn report(what: &str, mut times: Vec<Duration>) {
    times.sort();
    println!(
        "{what}: {} queries, p50 {:.2} ms, p99 {:.2} ms, max {:.2} ms",
        times.len(),
        percentile(&times, 0.5).as_secs_f64() * 1e3,
        percentile(&times, 0.99).as_secs_f64() * 1e3,
        times.last().map_or(0.0, |t| t.as_secs_f64() * 1e3),
    );
}

#[tokio::main(flavor = "current_thread")]
async fn main() {
    let mut paths: Vec<PathBuf> = std::env::args().skip(1).map(PathBuf::from).collect();
    if paths.is_empty() {
        let base = std::env::var("STEMBUS_SHARED_DATA").unwrap_or_else(|_| "../shared/data".into());
        paths = vec![
            PathBuf::from(&base).join("TK2021/EML_bestanden_TK2021_deel_1.zip"),
            PathBuf::from(&base).join("GR2022/GR2022_shared.zip"),
        ];
    }
    let app = TestApp::new(vec![web::module()]);
    let t = Instant::now();
    let summary = app
        .state()
        .db()
        .with(|c| web::import::import_paths(c, &paths, "bench"))
        .expect("import");
    println!(
        "imported {} elections in {:.1} s",
        summary.elections.len(),
        t.elapsed().as_secs_f64()
    );
    let t = Instant::now();
    let ix = app
        .state()
        .db()
        .with(|c| web::search::Index::build(c))
        .expect("index");
    println!(
        "index: {} entries, built in {:.0} ms",
        ix.len(),
        t.elapsed().as_secs_f64() * 1e3
    );
    // Warm the server's own index.
    let _ = app.get("/api/search?q=a", None).await;
    let mut direct = Vec::new();
    let mut http = Vec::new();
    let mut hits = Vec::new();
    for _ in 0..ROUNDS {
        for q in QUERIES {
            let t = Instant::now();
            let a = ix.search(q, 20);
            direct.push(t.elapsed());
            if hits.len() < QUERIES.len() {
                hits.push((*q, a.total()));
            }
            let url = format!("/api/search?q={}", webkit::layout::url_encode(q));
            let t = Instant::now();
            let r = app.get(&url, None).await;
            http.push(t.elapsed());
            assert_eq!(r.status.as_u16(), 200, "{q}");
        }
    }
    for (q, n) in hits {
        println!("  {q:?}: {n} found");
    }
    report("index only", direct);
    report("GET /api/search (router + JSON)", http);
}
