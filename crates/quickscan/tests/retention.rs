//! Issue 11: deletion after the retention period runs by itself, at every start and
//! periodically while the server runs (daily by default; here every second). Runs the real
//! `quickscan-server` binary on a data folder and changes that folder behind its back.

use quickscan::model::{Day, OrgKind, ScanStatus};
use quickscan::store;
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
        .env("QUICKSCAN_RETENTION_EVERY_SECS", every_secs)
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

/// A scan of organisation `org`, closed `days_ago` days ago, with two named invitations.
fn old_closed_scan(data: &std::path::Path, org: &str, days_ago: i64) -> i64 {
    let c = rusqlite::Connection::open(data.join("stembus.sqlite")).unwrap();
    c.execute_batch("PRAGMA busy_timeout = 10000;").unwrap();
    store::open_answers(&c).unwrap();
    store::upsert_org(&c, org, org, OrgKind::Gemeente).unwrap();
    let today = Day::today();
    let id = store::create_scan(&c, org, "Oud", None, today).unwrap();
    store::import_respondents(&c, id, "Anna;anna@o.nl;raad\nBob;bob@o.nl;college\n").unwrap();
    store::advance(&c, id, ScanStatus::Open, today).unwrap();
    store::advance(&c, id, ScanStatus::Closed, today).unwrap();
    c.execute(
        "UPDATE qs_scan SET closed_on = ?2 WHERE id = ?1",
        rusqlite::params![id, today.plus(-days_ago).to_string()],
    )
    .unwrap();
    id
}

fn names_left(data: &std::path::Path, id: i64) -> i64 {
    let c = rusqlite::Connection::open(data.join("stembus.sqlite")).unwrap();
    c.execute_batch("PRAGMA busy_timeout = 10000;").unwrap();
    c.query_row(
        "SELECT COUNT(*) FROM qs_invitation WHERE scan_id = ?1 AND (name IS NOT NULL OR email IS NOT NULL)",
        [id],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn retention_runs_at_start_and_periodically() {
    let data = std::env::temp_dir().join(format!(
        "qs-retention-{}",
        hex::encode(store::random_bytes::<8>())
    ));
    std::fs::create_dir_all(&data).unwrap();

    // 1. periodically, while the server runs
    let server = start(&data, "1");
    let recent = old_closed_scan(&data, "a", 10);
    let old = old_closed_scan(&data, "b", 100);
    assert_eq!(names_left(&data, old), 2);
    let t = Instant::now();
    while names_left(&data, old) > 0 {
        assert!(
            t.elapsed() < Duration::from_secs(30),
            "the periodic job did not purge"
        );
        std::thread::sleep(Duration::from_millis(200));
    }
    assert_eq!(names_left(&data, recent), 2, "within its period: kept");
    drop(server);

    // 2. at start: a scan that expired while the server was down is purged on the next start,
    //    even when the periodic job would only run a day later
    let expired = old_closed_scan(&data, "c", 93);
    assert_eq!(names_left(&data, expired), 2);
    let server = start(&data, "86400");
    assert_eq!(names_left(&data, expired), 0, "purged at start");
    assert_eq!(names_left(&data, recent), 2);
    drop(server);
    let _ = std::fs::remove_dir_all(&data);
}
