//! Issue 11, attack 3: a saved draft is readable only with the respondent's own link or code,
//! not from the database files, not from the mail outbox, not by the operator.

use quickscan::mail::{self, MailConfig};
use quickscan::model::{Day, OrgKind, ScanStatus};
use quickscan::questionnaire::{AnswerValue, Answers};
use quickscan::store::{self, Access};
use rusqlite::Connection;
use std::path::PathBuf;

const TODAY: Day = Day(20_100);
const SECRET: &str = "GEHEIM-CONCEPT-VAN-ANNA";

fn dir() -> PathBuf {
    let d = std::env::temp_dir().join(format!(
        "qs-drafts-{}",
        hex::encode(store::random_bytes::<8>())
    ));
    std::fs::create_dir_all(&d).unwrap();
    d
}

fn setup(d: &std::path::Path) -> (Connection, i64) {
    let c = Connection::open(d.join("stembus.sqlite")).unwrap();
    let _: String = c
        .query_row("PRAGMA journal_mode=WAL", [], |r| r.get(0))
        .unwrap();
    store::migrate(&c).unwrap();
    store::upsert_org(&c, "o", "Gemeente O", OrgKind::Gemeente).unwrap();
    let id = store::create_scan(&c, "o", "Nulmeting", None, TODAY).unwrap();
    store::import_respondents(&c, id, "Anna;anna@o.nl;raad\nBob;bob@o.nl;raad\n").unwrap();
    store::advance(&c, id, ScanStatus::Open, TODAY).unwrap();
    (c, id)
}

fn draft() -> Answers {
    let mut a = Answers::new();
    a.insert("part_weten".into(), AnswerValue::Scale(1));
    a.insert("prio_tip".into(), AnswerValue::Text(SECRET.into()));
    a
}

/// Every byte of every file in the data folder.
fn all_bytes(d: &std::path::Path) -> Vec<u8> {
    let mut out = Vec::new();
    for e in std::fs::read_dir(d).unwrap().flatten() {
        out.extend(std::fs::read(e.path()).unwrap_or_default());
    }
    out
}

fn contains(hay: &[u8], needle: &str) -> bool {
    hay.windows(needle.len()).any(|w| w == needle.as_bytes())
}

fn link_in(body: &str) -> String {
    let i = body.find("/vragenlijst/i/").unwrap() + "/vragenlijst/i/".len();
    body[i..]
        .chars()
        .take_while(char::is_ascii_hexdigit)
        .collect()
}

#[test]
fn neither_the_files_nor_the_outbox_open_a_draft() {
    let d = dir();
    let (c, id) = setup(&d);
    mail::send_invitations(&c, &MailConfig::Outbox, id, "http://x", false).unwrap();
    let anna_mail = store::outbox(&c, id)
        .unwrap()
        .into_iter()
        .find(|m| m.to == "anna@o.nl")
        .unwrap();
    let token = link_in(&anna_mail.body);
    assert_eq!(token.len(), 32);
    // Anna opens her link and saves half her answers
    let acc = Access::Invitation(token.clone());
    store::open_session(&c, &acc, TODAY).unwrap();
    store::save_draft(&c, &acc, &draft(), &[], TODAY).unwrap();
    // she can read them back with her link
    let back = store::open_session(&c, &acc, TODAY).unwrap();
    assert_eq!(back.answers, draft());

    // 1. the data files (database, WAL, answers file) hold neither her answers nor her link
    let bytes = all_bytes(&d);
    assert!(
        !contains(&bytes, SECRET),
        "draft readable in the data files"
    );
    assert!(
        !contains(&bytes, &token),
        "the link is stored in plain text"
    );
    // 2. the outbox no longer holds a working link once she opened it
    let outbox = store::outbox(&c, id).unwrap();
    assert!(outbox.iter().all(|m| !m.body.contains(&token)));
    let anna_now = outbox.iter().find(|m| m.to == "anna@o.nl").unwrap();
    assert!(anna_now.body.contains("[link geopend door de ontvanger]"));
    // 3. what the operator can find in storage does not open it: the stored hashes used as
    //    links, or any value stored anywhere
    let stored: Vec<String> = c
        .prepare("SELECT token_hash FROM qs_invitation_link UNION ALL SELECT key_hash FROM qs_draft UNION ALL SELECT answers FROM qs_draft")
        .unwrap()
        .query_map([], |r| r.get(0))
        .unwrap()
        .map(Result::unwrap)
        .collect();
    assert!(!stored.is_empty());
    for v in &stored {
        assert!(!v.contains(SECRET));
        if let Ok(s) = store::open_session(&c, &Access::Invitation(v.clone()), TODAY) {
            assert!(s.answers.is_empty());
        }
    }
    // 4. a reminder brings a new link: it opens the questionnaire but not the draft
    let inv = store::invitations(&c, id).unwrap();
    let anna = inv
        .iter()
        .find(|i| i.name.as_deref() == Some("Anna"))
        .unwrap();
    let fresh = store::issue_link(&c, anna.id).unwrap();
    let s = store::open_session(&c, &Access::Invitation(fresh), TODAY).unwrap();
    assert!(s.answers.is_empty(), "a new link cannot read the old draft");
    let s = store::open_session(&c, &acc, TODAY).unwrap();
    assert_eq!(s.answers, draft(), "her own link still can");
    drop(c);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn reminder_text_explains_where_the_draft_is() {
    let d = dir();
    let (c, id) = setup(&d);
    mail::send_invitations(&c, &MailConfig::Outbox, id, "http://x", false).unwrap();
    mail::send_invitations(&c, &MailConfig::Outbox, id, "http://x", true).unwrap();
    let reminders: Vec<_> = store::outbox(&c, id)
        .unwrap()
        .into_iter()
        .filter(|m| m.subject.starts_with("Herinnering"))
        .collect();
    assert_eq!(reminders.len(), 2);
    assert!(reminders[0].body.contains("link uit uw eerste e-mail"));
    // every mail has its own link
    let links: std::collections::BTreeSet<String> = store::outbox(&c, id)
        .unwrap()
        .iter()
        .map(|m| link_in(&m.body))
        .collect();
    assert_eq!(links.len(), 4);
    drop(c);
    let _ = std::fs::remove_dir_all(&d);
}

#[test]
fn letter_and_public_drafts_are_sealed_too() {
    let d = dir();
    let (c, id) = setup(&d);
    let code = store::create_letter_codes(&c, id, 1).unwrap().remove(0);
    let acc = Access::Letter(code.to_lowercase());
    store::save_draft(&c, &acc, &draft(), &[], TODAY).unwrap();
    let s = store::scan(&c, id).unwrap();
    let (resume, _) = store::start_public(&c, &s.public_code, TODAY).unwrap();
    // a fresh start carries the public code (the web layer signs it); after saving, the
    // resume code alone opens the draft
    let pacc = Access::Public(format!("{}.{resume}", s.public_code));
    store::save_draft(&c, &pacc, &draft(), &[], TODAY).unwrap();
    assert!(!contains(&all_bytes(&d), SECRET));
    assert_eq!(
        store::open_session(&c, &Access::Letter(code), TODAY)
            .unwrap()
            .answers,
        draft()
    );
    assert_eq!(
        store::open_session(&c, &pacc, TODAY).unwrap().answers,
        draft()
    );
    drop(c);
    let _ = std::fs::remove_dir_all(&d);
}
