//! Builds and renders the report for a scan with 10,000 responses and prints the timings.
//! `cargo run --release -p quickscan --example report_bench`

#![allow(
    clippy::many_single_char_names,
    clippy::format_push_string,
    clippy::cast_possible_truncation,
    clippy::too_many_lines,
    clippy::unreadable_literal,
    clippy::cast_precision_loss
)]

use quickscan::model::{Day, Group, OrgKind, ScanStatus};
use quickscan::questionnaire::{AnswerValue, Answers, ItemKind};
use quickscan::{pdf, report, store};
use std::time::Instant;

fn main() {
    let dir = std::env::temp_dir().join(format!("qs-bench-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let conn = rusqlite::Connection::open(dir.join("bench.db")).unwrap();
    conn.execute_batch("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;")
        .unwrap();
    store::migrate(&conn).unwrap();
    store::upsert_org(&conn, "bench", "Gemeente Bench", OrgKind::Gemeente).unwrap();
    let today = Day::today();
    let id = store::create_scan(&conn, "bench", "Bench", None, today).unwrap();
    store::add_custom_item(
        &conn,
        id,
        "Eigen vraag",
        "",
        ItemKind::Scale {
            scale: "eens5".into(),
        },
    )
    .unwrap();
    store::advance(&conn, id, ScanStatus::Open, today).unwrap();
    let q = store::scan_questionnaire(&conn, &store::scan(&conn, id).unwrap()).unwrap();
    let t = Instant::now();
    let mut seed = 0x2545_f491_4f6c_dd1d_u64;
    let mut next = |n: u64| {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed % n
    };
    for i in 0..10_000u32 {
        let g = [
            Group::Raad,
            Group::College,
            Group::Ambtenaren,
            Group::Inwoners,
        ][usize::try_from(if i % 10 == 0 { next(3) } else { 3 }).unwrap()];
        let mut a = Answers::new();
        for (_, item) in q.items() {
            let v = match &item.kind {
                ItemKind::Scale { .. } => {
                    if next(8) == 0 {
                        AnswerValue::DontKnow
                    } else {
                        AnswerValue::Scale(u8::try_from(next(5) + 1).unwrap())
                    }
                }
                ItemKind::Choice { options } => {
                    AnswerValue::Choice(u8::try_from(next(options.len() as u64)).unwrap())
                }
                ItemKind::Ranking { .. } => AnswerValue::Ranking(vec![
                    u8::try_from(next(4)).unwrap(),
                    u8::try_from(4 + next(4)).unwrap(),
                ]),
                ItemKind::Open => {
                    if next(4) == 0 {
                        AnswerValue::Text(format!("Idee nummer {i}"))
                    } else {
                        continue;
                    }
                }
            };
            a.insert(item.key.clone(), v);
        }
        store::enter_paper(&conn, id, g, &a, today).unwrap();
    }
    // Seeded as paper for speed, then counted as online: paper answers never count toward the
    // threshold, and the benchmark should time a report that shows every group.
    conn.execute(
        "UPDATE qa.qs_response SET channel = 'online' WHERE scan_id = ?1",
        [id],
    )
    .unwrap();
    store::advance(&conn, id, ScanStatus::Closed, today).unwrap();
    println!("seeded 10000 responses in {:?}", t.elapsed());
    for round in 0..3 {
        let t = Instant::now();
        let r = report::build(&conn, id).unwrap();
        let built = t.elapsed();
        let html = quickscan::web::report_body(&r, "/qs/bench/scans/1").into_string();
        let page = t.elapsed();
        let csv = report::to_csv(&r);
        let pdf = pdf::report_pdf(&r);
        println!(
            "round {round}: build {built:?}, build+HTML {page:?}, build+HTML+csv+pdf {:?} (html {} B, csv {} B, pdf {} B, n = {:?})",
            t.elapsed(),
            html.len(),
            csv.len(),
            pdf.len(),
            r.groups.iter().map(|g| g.n).collect::<Vec<_>>()
        );
    }
    drop(conn);
    let _ = std::fs::remove_dir_all(&dir);
}
