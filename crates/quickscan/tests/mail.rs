//! Invitations and reminders against a real SMTP listener on loopback.

#![allow(
    clippy::format_push_string,
    clippy::cast_possible_truncation,
    clippy::too_many_lines,
    clippy::unreadable_literal,
    clippy::cast_precision_loss
)]

use quickscan::mail::{self, MailConfig};
use quickscan::model::{Day, OrgKind, ScanStatus};
use quickscan::questionnaire::{AnswerValue, Answers};
use quickscan::store::{self, Access};
use rusqlite::Connection;
use std::sync::{Arc, Mutex};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

#[derive(Debug, Clone, Default)]
struct Recorded {
    rcpt: Vec<String>,
    data: String,
}

/// A tiny SMTP server: accepts everything and records each message.
async fn smtp_server() -> (u16, Arc<Mutex<Vec<Recorded>>>) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let store = Arc::new(Mutex::new(Vec::new()));
    let st = store.clone();
    tokio::spawn(async move {
        loop {
            let Ok((sock, _)) = listener.accept().await else {
                return;
            };
            let st = st.clone();
            tokio::spawn(async move {
                let (r, mut w) = sock.into_split();
                let mut lines = BufReader::new(r).lines();
                w.write_all(b"220 test ESMTP\r\n").await.unwrap();
                let mut cur = Recorded::default();
                while let Ok(Some(line)) = lines.next_line().await {
                    let up = line.to_uppercase();
                    if up.starts_with("EHLO") || up.starts_with("HELO") {
                        w.write_all(b"250-test\r\n250 8BITMIME\r\n").await.unwrap();
                    } else if up.starts_with("MAIL FROM") {
                        cur = Recorded::default();
                        w.write_all(b"250 ok\r\n").await.unwrap();
                    } else if up.starts_with("RCPT TO") {
                        cur.rcpt
                            .push(line[8..].trim().trim_matches(['<', '>']).to_string());
                        w.write_all(b"250 ok\r\n").await.unwrap();
                    } else if up == "DATA" {
                        w.write_all(b"354 go\r\n").await.unwrap();
                        while let Ok(Some(l)) = lines.next_line().await {
                            if l == "." {
                                break;
                            }
                            cur.data.push_str(&l);
                            cur.data.push('\n');
                        }
                        st.lock().unwrap().push(std::mem::take(&mut cur));
                        w.write_all(b"250 queued\r\n").await.unwrap();
                    } else if up == "QUIT" {
                        w.write_all(b"221 bye\r\n").await.unwrap();
                        return;
                    } else {
                        w.write_all(b"250 ok\r\n").await.unwrap();
                    }
                }
            });
        }
    });
    (port, store)
}

fn setup() -> (Connection, i64) {
    let c = Connection::open_in_memory().unwrap();
    store::migrate(&c).unwrap();
    store::upsert_org(&c, "zuid", "Provincie Zuid", OrgKind::Provincie).unwrap();
    let id = store::create_scan(&c, "zuid", "Nulmeting", None, Day(20_000)).unwrap();
    store::import_respondents(
        &c,
        id,
        "Anna;anna@zuid.nl;staten\nBram;bram@zuid.nl;gedeputeerden\nCees;cees@zuid.nl;ambtenaren\n",
    )
    .unwrap();
    store::advance(&c, id, ScanStatus::Open, Day(20_000)).unwrap();
    (c, id)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn invitations_and_reminders_over_smtp() {
    let (port, recorded) = smtp_server().await;
    let cfg = MailConfig::Smtp {
        host: "127.0.0.1".into(),
        port,
        from: "Quick Scan <qs@stembus.test>".into(),
    };
    let sent = tokio::task::spawn_blocking(move || {
        let (c, id) = setup();
        let first = mail::send_invitations(&c, &cfg, id, "http://localhost:8080", false).unwrap();
        // a second run sends nothing new
        let again = mail::send_invitations(&c, &cfg, id, "http://localhost:8080", false).unwrap();
        // Anna finishes
        let anna = store::invitations(&c, id)
            .unwrap()
            .into_iter()
            .find(|i| i.name.as_deref() == Some("Anna"))
            .unwrap();
        let mut a = Answers::new();
        a.insert("part_weten".into(), AnswerValue::Scale(4));
        store::submit(
            &c,
            &Access::Invitation(store::issue_link(&c, anna.id).unwrap()),
            &a,
            Day(20_001),
        )
        .unwrap();
        let rem = mail::send_invitations(&c, &cfg, id, "http://localhost:8080", true).unwrap();
        (first, again, rem)
    })
    .await
    .unwrap();
    assert_eq!(sent.0.sent, 3);
    assert_eq!(sent.1.sent, 0);
    assert_eq!(sent.2.sent, 2, "reminders only to the unfinished");
    let msgs = recorded.lock().unwrap().clone();
    assert_eq!(msgs.len(), 5);
    let reminders: Vec<_> = msgs
        .iter()
        .filter(|m| m.data.contains("Herinnering"))
        .collect();
    assert_eq!(reminders.len(), 2);
    assert!(
        reminders
            .iter()
            .all(|m| !m.rcpt.contains(&"anna@zuid.nl".to_string()))
    );
    assert!(msgs[0].data.contains("/vragenlijst/i/"));
    assert!(
        msgs.iter().any(|m| m.data.contains("statenleden")),
        "provincie labels"
    );
}

#[test]
fn outbox_mode() {
    let (c, id) = setup();
    let s = mail::send_invitations(&c, &MailConfig::Outbox, id, "http://x", false).unwrap();
    assert_eq!(s.sent, 3);
    let ob = store::outbox(&c, id).unwrap();
    assert_eq!(ob.len(), 3);
    assert!(
        ob.iter()
            .all(|m| m.body.contains("http://x/vragenlijst/i/"))
    );
}
