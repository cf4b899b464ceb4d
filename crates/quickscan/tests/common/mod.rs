//! Helpers shared by the test files: answering *online*, as a respondent does, so that the
//! answers count toward the threshold (paper answers never do).

#![allow(dead_code)]

use quickscan::model::{Day, Group};
use quickscan::questionnaire::Answers;
use quickscan::store::{self, Access};
use rusqlite::Connection;
use std::sync::atomic::{AtomicUsize, Ordering};

static NEXT: AtomicUsize = AtomicUsize::new(0);

/// A fresh way in for one respondent of `group`: a letter code for inwoners, a new personal
/// invitation otherwise. The scan must be open (or concept, for invitations).
pub fn access(c: &Connection, scan: i64, group: Group) -> Access {
    if group == Group::Inwoners {
        let code = store::create_letter_codes(c, scan, 1).unwrap().remove(0);
        return Access::Letter(code);
    }
    let n = NEXT.fetch_add(1, Ordering::Relaxed);
    let email = format!("r{n}@voorbeeld.nl");
    let csv = format!(
        "naam;e-mail;groep\nRespondent {n};{email};{}\n",
        group.as_str()
    );
    assert_eq!(store::import_respondents(c, scan, &csv).unwrap(), 1);
    let inv = store::invitations(c, scan)
        .unwrap()
        .into_iter()
        .find(|i| i.email.as_deref() == Some(email.as_str()))
        .unwrap();
    Access::Invitation(store::issue_link(c, inv.id).unwrap())
}

/// One respondent of `group` answers online and sends.
pub fn online(c: &Connection, scan: i64, group: Group, answers: &Answers, today: Day) {
    let a = access(c, scan, group);
    store::submit(c, &a, answers, today).unwrap();
}
