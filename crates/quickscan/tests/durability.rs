//! Durability under a hard crash: the Quick Scan server runs as its own process
//! (`quickscan-server --demo`), takes a burst of 1,000 concurrent submissions through the public
//! link, and is killed with SIGKILL halfway. After a restart on the same data directory every
//! submission that got its success answer ("303 → /vragenlijst/bedankt") must be there, none
//! twice, and nothing may be there that was never sent.
//!
//! **How submissions are recognised without weakening anonymity.** Each simulated respondent
//! writes a random 128-bit nonce as its answer to the open question (`prio_tip`) and remembers
//! it; after the restart the test looks the nonces up among the stored open answers. This needs
//! no change to the server: the stored rows are exactly what any respondent's free text gives
//! (random response id, group, date, answers), no identifier is added, and the link between a
//! nonce and a request exists only inside the test client — the same knowledge a real respondent
//! has of their own text. The README already warns that free text can identify its writer.
//!
//! **Durability setting.** webkit opens SQLite in WAL mode with `synchronous=NORMAL`. In WAL
//! mode a transaction is committed once its frames and commit record are written (write(2)) to
//! the `-wal` file; the kernel keeps those pages when the process dies, so committed
//! transactions survive a process kill (this test). They may be lost on power loss or a kernel
//! crash, which would need `synchronous=FULL` (an fsync per commit: about 4 ms on the dev disk,
//! i.e. at most ~250 commits/s).

#![allow(clippy::too_many_lines)]

use std::collections::{HashMap, HashSet};
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Duration;

use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// The anonymous CSRF cookie (any 64 hex characters).
const CSRF: &str = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

/// The form token that belongs to [`CSRF`]: the server secret's MAC of it (the data folder
/// gets the test secret in [`start_server`]).
static TOKEN: std::sync::LazyLock<String> =
    std::sync::LazyLock::new(|| webkit::testing::anonymous_csrf(CSRF));

struct Server {
    child: Child,
    addr: String,
    public: String,
}

fn start_server(data: &std::path::Path) -> Server {
    webkit::testing::write_test_secret(data).expect("test secret");
    let mut child = Command::new(env!("CARGO_BIN_EXE_quickscan-server"))
        .arg("--demo")
        .env("STEMBUS_DATA", data)
        .env("STEMBUS_ADDR", "127.0.0.1:0")
        .env("QUICKSCAN_PUBLIC_PER_MINUTE", "0")
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("start quickscan-server");
    let out = BufReader::new(child.stdout.take().unwrap());
    let err = BufReader::new(child.stderr.take().unwrap());
    let (tx, rx) = std::sync::mpsc::channel();
    let tx2 = tx.clone();
    std::thread::spawn(move || {
        for line in out.lines().map_while(Result::ok) {
            if let Some(p) = line.strip_prefix("public: ") {
                let _ = tx.send(("public", p.to_owned()));
            }
        }
    });
    std::thread::spawn(move || {
        for line in err.lines().map_while(Result::ok) {
            if let Some(a) = line.split("luistert op http://").nth(1) {
                let _ = tx2.send(("addr", a.trim().to_owned()));
            } else if !line.contains("er is nog geen beheerder")
                && !line.trim().is_empty()
                && !line.trim().bytes().all(|b| b.is_ascii_hexdigit())
            {
                eprintln!("server: {line}");
            }
        }
    });
    let (mut addr, mut public) = (None, None);
    while addr.is_none() || public.is_none() {
        let (k, v) = rx
            .recv_timeout(Duration::from_mins(1))
            .expect("server did not start within 60 s");
        if k == "addr" {
            addr = Some(v);
        } else {
            public = Some(v);
        }
    }
    Server {
        child,
        addr: addr.unwrap(),
        public: public.unwrap(),
    }
}

/// One HTTP/1.1 request over a fresh connection; returns (status, Location, body).
async fn http(
    addr: &str,
    method: &str,
    path: &str,
    body: &str,
) -> std::io::Result<(u16, String, String)> {
    let mut s = TcpStream::connect(addr).await?;
    let req = format!(
        "{method} {path} HTTP/1.1\r\nHost: {addr}\r\nCookie: stembus_csrf={CSRF}\r\n\
         Content-Type: application/x-www-form-urlencoded\r\nContent-Length: {}\r\n\
         Connection: close\r\n\r\n{body}",
        body.len()
    );
    s.write_all(req.as_bytes()).await?;
    let mut buf = Vec::new();
    s.read_to_end(&mut buf).await?;
    let text = String::from_utf8_lossy(&buf).into_owned();
    let (head, body) = text.split_once("\r\n\r\n").unwrap_or((&text, ""));
    let status = head
        .split(' ')
        .nth(1)
        .and_then(|c| c.parse().ok())
        .ok_or_else(|| std::io::Error::other(format!("no HTTP answer: {head:?}")))?;
    let location = head
        .lines()
        .find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case("location")
                .then(|| v.trim().to_owned())
        })
        .unwrap_or_default();
    Ok((status, location, body.to_owned()))
}

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Outcome {
    /// Never reached the final "Versturen".
    NotSent,
    /// "Versturen" was sent but no answer came back (killed in between): may or may not be stored.
    Unknown,
    /// The server answered "303 → /vragenlijst/bedankt".
    Stored,
}

/// One respondent through the public link: start, answer the open question (with the nonce)
/// and one 5-point question, send.
async fn respondent(addr: &str, public: &str, nonce: &str) -> Outcome {
    let Ok((303, loc, _)) = http(addr, "POST", public, &format!("_csrf={}", *TOKEN)).await else {
        return Outcome::NotSent;
    };
    let Some(base) = loc.strip_suffix("/stap/1") else {
        return Outcome::NotSent;
    };
    let r = http(
        addr,
        "POST",
        &format!("{base}/stap/1"),
        &format!("_csrf={}&part_weten=4&ga=volgende", *TOKEN),
    )
    .await;
    if !matches!(r, Ok((303, _, _))) {
        return Outcome::NotSent;
    }
    let r = http(
        addr,
        "POST",
        &format!("{base}/stap/7"),
        &format!("_csrf={}&prio_tip={nonce}&ga=volgende", *TOKEN),
    )
    .await;
    if !matches!(r, Ok((303, _, _))) {
        return Outcome::NotSent;
    }
    match http(
        addr,
        "POST",
        &format!("{base}/versturen"),
        &format!("_csrf={}", *TOKEN),
    )
    .await
    {
        Ok((303, loc, _)) if loc.starts_with("/vragenlijst/bedankt") => Outcome::Stored,
        Ok((status, _, body)) => panic!("versturen answered {status}: {body}"),
        Err(_) => Outcome::Unknown,
    }
}

fn nonce() -> String {
    let b = quickscan::store::random_bytes::<16>();
    format!("nonce{}", hex::encode(b))
}

/// Runs `n` respondents, `concurrency` at a time; calls `on_stored` after each success.
async fn burst(
    addr: &str,
    public: &str,
    n: usize,
    concurrency: usize,
    stored: &Arc<AtomicUsize>,
) -> Vec<(String, Outcome)> {
    let sem = Arc::new(tokio::sync::Semaphore::new(concurrency));
    let mut tasks = Vec::new();
    for _ in 0..n {
        let (addr, public, sem, stored) = (
            addr.to_owned(),
            public.to_owned(),
            sem.clone(),
            stored.clone(),
        );
        tasks.push(tokio::spawn(async move {
            let _permit = sem.acquire_owned().await.unwrap();
            let nonce = nonce();
            let o = respondent(&addr, &public, &nonce).await;
            if o == Outcome::Stored {
                stored.fetch_add(1, Ordering::SeqCst);
            }
            (nonce, o)
        }));
    }
    let mut out = Vec::new();
    for t in tasks {
        out.push(t.await.unwrap());
    }
    out
}

/// Open answers to `prio_tip` in the database file, with how often each occurs, plus the
/// number of stored responses.
fn stored_tips(db: &std::path::Path) -> (HashMap<String, usize>, usize) {
    let c = rusqlite::Connection::open(db).unwrap();
    let mode: String = c
        .query_row("PRAGMA journal_mode", [], |r| r.get(0))
        .unwrap();
    assert_eq!(mode, "wal");
    let ok: String = c
        .query_row("PRAGMA integrity_check", [], |r| r.get(0))
        .unwrap();
    assert_eq!(ok, "ok");
    let mut tips = HashMap::new();
    let mut st = c
        .prepare("SELECT txt FROM qs_answer WHERE item_key = 'prio_tip'")
        .unwrap();
    for t in st.query_map([], |r| r.get::<_, String>(0)).unwrap() {
        *tips.entry(t.unwrap()).or_insert(0) += 1;
    }
    let n: i64 = c
        .query_row("SELECT count(*) FROM qs_response", [], |r| r.get(0))
        .unwrap();
    (tips, usize::try_from(n).unwrap())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_submissions_survive_sigkill() {
    let dir = webkit::TempDir::new("qs-durability");
    let mut server = start_server(dir.path());
    let public_before = server.public.clone();
    // The open question is on step 7 of the default questionnaire.
    let first = http(
        &server.addr,
        "POST",
        &server.public,
        &format!("_csrf={}", *TOKEN),
    )
    .await
    .unwrap();
    assert_eq!(first.0, 303, "public start: {}", first.2);
    let step7 = http(
        &server.addr,
        "GET",
        &first.1.replace("/stap/1", "/stap/7"),
        "",
    )
    .await
    .unwrap();
    assert!(step7.2.contains("name=\"prio_tip\""), "prio_tip on step 7");

    // The burst, with SIGKILL once 300 submissions have been acknowledged.
    let stored = Arc::new(AtomicUsize::new(0));
    let (addr, public) = (server.addr.clone(), server.public.clone());
    let run = {
        let stored = stored.clone();
        tokio::spawn(async move { burst(&addr, &public, 1000, 64, &stored).await })
    };
    while stored.load(Ordering::SeqCst) < 300 {
        assert!(!run.is_finished(), "burst ended before the kill");
        tokio::time::sleep(Duration::from_millis(2)).await;
    }
    server.child.kill().expect("SIGKILL"); // Child::kill is SIGKILL on Unix
    let _ = server.child.wait();
    let outcomes = run.await.unwrap();
    let acked: Vec<&String> = outcomes
        .iter()
        .filter(|(_, o)| *o == Outcome::Stored)
        .map(|(n, _)| n)
        .collect();
    let unknown: HashSet<&String> = outcomes
        .iter()
        .filter(|(_, o)| *o == Outcome::Unknown)
        .map(|(n, _)| n)
        .collect();
    let not_sent = outcomes
        .iter()
        .filter(|(_, o)| *o == Outcome::NotSent)
        .count();
    assert!(acked.len() >= 300 && acked.len() < 1000, "{}", acked.len());
    assert!(not_sent > 0, "the kill came after the burst had finished");

    // Restart on the same data directory; the server must come up and keep working.
    let mut server = start_server(dir.path());
    assert_eq!(server.public, public_before, "same scan after the restart");
    let after = burst(
        &server.addr,
        &server.public,
        50,
        16,
        &Arc::new(AtomicUsize::new(0)),
    )
    .await;
    assert!(after.iter().all(|(_, o)| *o == Outcome::Stored));

    let (tips, responses) = stored_tips(&dir.path().join(quickscan::store::ANSWERS_FILE));
    for n in &acked {
        assert_eq!(
            tips.get(*n),
            Some(&1),
            "acknowledged submission {n} lost or doubled"
        );
    }
    for (n, _) in &after {
        assert_eq!(tips.get(n), Some(&1));
    }
    assert!(
        tips.values().all(|&c| c == 1),
        "a submission was stored twice"
    );
    let known: HashSet<&String> = acked
        .iter()
        .copied()
        .chain(unknown.iter().copied())
        .chain(after.iter().map(|(n, _)| n))
        .collect();
    for t in tips.keys() {
        assert!(known.contains(t), "stored {t} that was never sent");
    }
    assert_eq!(responses, tips.len(), "every response carries its nonce");
    eprintln!(
        "durability: {} acknowledged before SIGKILL, {} in flight (of which {} stored), {} not sent; \
         {} after restart; {} responses in the database",
        acked.len(),
        unknown.len(),
        unknown.iter().filter(|n| tips.contains_key(**n)).count(),
        not_sent,
        after.len(),
        responses
    );
    server.child.kill().unwrap();
    let _ = server.child.wait();
}
