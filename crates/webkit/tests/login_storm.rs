//! 200 concurrent logins against the real server loop, in a process of its own so that the
//! resident memory it measures is this test's alone.

use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

use webkit::testing::TestApp;
use webkit::{Limits, Role, RoleGrant};

mod loopback;
use loopback::{Server, exchange, get};

/// Resident memory of this process in bytes.
fn rss() -> u64 {
    let status = std::fs::read_to_string("/proc/self/status").unwrap_or_default();
    status
        .lines()
        .find_map(|l| l.strip_prefix("VmRSS:"))
        .and_then(|v| v.trim().trim_end_matches("kB").trim().parse::<u64>().ok())
        .map_or(0, |kb| kb * 1024)
}

/// Attack: 100 concurrent `POST /login` took resident memory from 107 MB to 2.09 GB (about
/// 19 MiB per Argon2 check, unbounded); 200: 3.6 GB. Now the checks wait for a few slots
/// (503 beyond the queue), memory stays low and other pages keep answering. The per-client
/// guessing limit is lifted here, so every login reaches the password check.
#[tokio::test(flavor = "multi_thread", worker_threads = 4)]
async fn two_hundred_concurrent_logins_stay_bounded() {
    let server = Server::start(Limits {
        login_free_attempts: 100_000,
        password_wait: Duration::from_secs(5),
        max_connections_per_client: 1000,
        ..Limits::default()
    })
    .await;
    let addr = server.addr;
    let admin = server.app.user_name(&[RoleGrant {
        role: Role::Beheer,
        org: None,
    }]);
    let before = rss();
    let peak = Arc::new(AtomicU64::new(before));
    let done = Arc::new(AtomicBool::new(false));
    let sampler = {
        let (peak, done) = (peak.clone(), done.clone());
        std::thread::spawn(move || {
            while !done.load(Ordering::SeqCst) {
                peak.fetch_max(rss(), Ordering::SeqCst);
                std::thread::sleep(Duration::from_millis(10));
            }
        })
    };
    let anon = TestApp::anonymous();
    let logins: Vec<_> = (0..200)
        .map(|i| {
            let body = format!("_csrf={}&name={admin}&password=fout{i}fout{i}", anon.csrf);
            let raw = format!(
                "POST /login HTTP/1.1\r\nHost: t\r\nCookie: {}\r\nConnection: close\r\n\
                 Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\r\n{body}",
                anon.cookie,
                body.len()
            );
            tokio::spawn(async move { exchange(addr, "127.0.0.1", raw.as_bytes()).await.0 })
        })
        .collect();
    // Other requests keep answering meanwhile.
    let mut slowest = Duration::ZERO;
    for _ in 0..10 {
        let t = Instant::now();
        assert_eq!(exchange(addr, "127.0.0.2", &get("/healthz")).await.0, 200);
        slowest = slowest.max(t.elapsed());
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let mut statuses = std::collections::BTreeMap::new();
    for l in logins {
        *statuses.entry(l.await.unwrap()).or_insert(0) += 1;
    }
    done.store(true, Ordering::SeqCst);
    sampler.join().unwrap();
    let peak = peak.load(Ordering::SeqCst);
    eprintln!(
        "200 concurrent logins: answers {statuses:?}; RSS {} MB before, peak {} MB; slowest other request {slowest:?}",
        before / 1_000_000,
        peak / 1_000_000
    );
    assert!(peak < 400_000_000, "peak RSS {peak}");
    assert!(slowest < Duration::from_secs(2), "{slowest:?}");
    assert!(
        statuses.keys().all(|s| *s == 200 || *s == 503),
        "{statuses:?}"
    );
    assert!(
        statuses.get(&200).copied().unwrap_or(0) >= 2,
        "{statuses:?}"
    );
    server.stop().await;
}
