//! Issue 12: the scheduler runs by itself, at every start and periodically while the server
//! runs (every 10 minutes by default; here every second). Runs the real `quickscan-server`
//! binary on a data folder and plans scans behind its back.

use quickscan::model::{Day, OrgKind, ScanStatus};
use quickscan::store::{self, Plan};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::time::{Duration, Instant};

struct Server(Child);

impl Drop for Server {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn start(data: &std::path::Path, every_secs: &str) -> Server {
    let mut child = Command::new(env!("CARGO_BIN_EXE_quickscan-server"))
        .env("STEMBUS_DATA", data)
        .env("STEMBUS_ADDR", "127.0.0.1:0")
        .env("STEMBUS_PUBLIC_URL", "https://qs.example")
        .env("QUICKSCAN_SCHEDULE_EVERY_SECS", every_secs)
        .env_remove("QUICKSCAN_SMTP_HOST")
        .stdout(Stdio::null())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start quickscan-server");
    let err = BufReader::new(child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    std::thread::spawn(move || {
        for line in err.lines().map_while(Result::ok) {
            if line.contains("luistert op") {
                let _ = tx.send(());
            }
        }
    });
    rx.recv_timeout(Duration::from_mins(1))
        .expect("server did not start within 60 s");
    Server(child)
}

fn conn(data: &std::path::Path) -> rusqlite::Connection {
    let c = rusqlite::Connection::open(data.join("stembus.sqlite")).unwrap();
    c.execute_batch("PRAGMA busy_timeout = 10000;").unwrap();
    store::open_answers(&c).unwrap();
    c
}

/// A concept scan of `org` with one respondent, planned to open today.
fn planned_for_today(data: &std::path::Path, org: &str) -> i64 {
    let c = conn(data);
    store::upsert_org(&c, org, org, OrgKind::Gemeente).unwrap();
    let today = Day::today();
    let id = store::create_scan(&c, org, "Gepland", None, today).unwrap();
    store::import_respondents(&c, id, "Anna;anna@o.nl;raad\n").unwrap();
    store::set_plan(
        &c,
        id,
        &Plan {
            opens_on: Some(today),
            closes_on: Some(today.plus(14)),
            reminders: vec![],
        },
        today,
    )
    .unwrap();
    id
}

fn status(data: &std::path::Path, id: i64) -> ScanStatus {
    store::scan(&conn(data), id).unwrap().status
}

#[test]
fn the_scheduler_runs_at_start_and_periodically() {
    let data = std::env::temp_dir().join(format!(
        "qs-schedule-server-{}",
        hex::encode(store::random_bytes::<8>())
    ));
    std::fs::create_dir_all(&data).unwrap();
    // the first start makes the database
    drop(start(&data, "600"));

    // 1. at start: a scan whose opening day came while the server was down opens at once
    let a = planned_for_today(&data, "a");
    let server = start(&data, "600");
    assert_eq!(status(&data, a), ScanStatus::Open, "opened at start");
    drop(server);

    // 2. periodically: a scan planned while the server runs opens within seconds
    let server = start(&data, "1");
    let b = planned_for_today(&data, "b");
    let t = Instant::now();
    while status(&data, b) != ScanStatus::Open {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the periodic scheduler did not open the scan"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    let events = store::plan_events(&conn(&data), b).unwrap();
    assert!(
        events
            .iter()
            .any(|e| e.kind == store::EventKind::Open && e.day == Day::today())
    );
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
}
