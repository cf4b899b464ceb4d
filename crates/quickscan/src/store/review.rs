//! Review of open answers before the report is "vastgesteld" (issue 12), and the day it was.
//!
//! Once a scan is closed the trekker reads every open answer of every cell that may be shown
//! (rule S: the group and the cell each have at least the threshold of online answers; answers
//! of a suppressed group or cell are never read here) and may hide one or shorten it. Hiding
//! and shortening *overwrite* the answer in the answers file (`secure_delete` is on, and the
//! WAL is emptied afterwards), so the original text is gone, not kept beside the new one. A
//! hidden answer keeps its row (text NULL): it still counts toward the threshold, because its
//! writer is still one of the cell's respondents.
//!
//! Nothing here ties an answer to a person or a moment: the answers file gets no reviewer and
//! no time; the main database keeps per scan only how many answers were hidden and shortened,
//! and the audit log gets those two numbers once, when the report is vastgesteld.
//!
//! Answers are named in the review page by a *handle*: a hash of the answer's random response
//! id and its question. The handle differs per question, so the page does not show which open
//! answers came from the same respondent.

use super::{
    Cached, Connection, Day, Error, Group, ItemKind, MIN_GROUP, OptionalExtension, Result,
    ScanStatus, checkpoint_truncate, group_counts, hash, open_answers, org, params, scan,
    scan_questionnaire, shuffle, write_tx,
};
use crate::model::Lang;
use crate::questionnaire::fill;
use std::collections::BTreeMap;

/// What replaces the words a trekker removes from an open answer.
pub const REDACTED: &str = "[weggelaten]";

/// The review state of one scan.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ReviewState {
    /// Open answers hidden so far.
    pub hidden: u64,
    /// Open answers shortened so far.
    pub redacted: u64,
    /// The day the report was vastgesteld; `None` while it is a concept.
    pub established_on: Option<Day>,
}

pub fn review_state(conn: &Connection, scan_id: i64) -> Result<ReviewState> {
    Ok(conn
        .query_row_c(
            "SELECT hidden, redacted, established_on FROM qs_review WHERE scan_id = ?1",
            [scan_id],
            |r| {
                Ok(ReviewState {
                    hidden: r.get::<_, i64>(0)?.try_into().unwrap_or(0),
                    redacted: r.get::<_, i64>(1)?.try_into().unwrap_or(0),
                    established_on: super::scans::day_col(r, 2)?,
                })
            },
        )
        .optional()?
        .unwrap_or_default())
}

/// Records the day the report of `scan_id` was vastgesteld (called by [`super::advance`] when
/// the scan moves to [`ScanStatus::Report`]).
pub(super) fn record_established(conn: &Connection, scan_id: i64, today: Day) -> Result<()> {
    conn.execute_c(
        "INSERT INTO qs_review (scan_id, established_on) VALUES (?1, ?2)
         ON CONFLICT (scan_id) DO UPDATE SET established_on = excluded.established_on",
        params![scan_id, today.to_string()],
    )?;
    Ok(())
}

/// The open answers of one question in one group, as the report shows them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenAnswers {
    pub item_key: String,
    pub group: Group,
    /// The (reviewed) texts, in a new random order at every call.
    pub answers: Vec<String>,
    /// How many answers of this cell the trekker hid.
    pub hidden: u64,
}

/// One answer on the review page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewAnswer {
    /// Names the answer in forms; see the module comment.
    pub handle: String,
    pub text: String,
}

/// One question in one group on the review page.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReviewCell {
    pub item_key: String,
    /// The question as respondents read it.
    pub question: String,
    pub group: Group,
    /// In a new random order at every call.
    pub answers: Vec<ReviewAnswer>,
    pub hidden: u64,
}

/// The open questions of a scan: (item key, question text), in questionnaire order.
type OpenQuestions = Vec<(String, String)>;

/// An open answer row of a shown cell.
struct Row {
    response_id: String,
    item_key: String,
    group: Group,
    text: Option<String>,
}

/// The open questions of a scan (key, question text) and the rows of every cell that rule S
/// lets us show: the group and the cell each have at least the threshold of online answers.
fn shown_open_rows(conn: &Connection, scan_id: i64) -> Result<(OpenQuestions, Vec<Row>)> {
    open_answers(conn)?;
    let s = scan(conn, scan_id)?;
    let kind = org(conn, &s.org_id)?.kind;
    let q = scan_questionnaire(conn, &s)?;
    let open: OpenQuestions = q
        .items()
        .filter(|(_, i)| matches!(i.kind, ItemKind::Open))
        .map(|(_, i)| (i.key.clone(), fill(&i.text.nl, kind, Lang::Nl)))
        .collect();
    if open.is_empty() {
        return Ok((open, vec![]));
    }
    let min = u64::from(s.min_group.max(MIN_GROUP));
    let counts = group_counts(conn, scan_id)?;
    let group_shown = |g: Group| counts.get(&g).is_some_and(|c| c.online() >= min);
    let marks = vec!["?"; open.len()].join(", ");
    let mut st = conn.prepare(&format!(
        "SELECT a.response_id, a.item_key, r.grp, r.channel, a.txt
         FROM qa.qs_response r JOIN qa.qs_answer a ON a.response_id = r.id
         WHERE r.scan_id = ? AND a.num IS NULL AND a.item_key IN ({marks})"
    ))?;
    let mut args: Vec<rusqlite::types::Value> = vec![scan_id.into()];
    args.extend(open.iter().map(|(k, _)| k.clone().into()));
    let mut rows = Vec::new();
    let mut online: BTreeMap<(Group, String), u64> = BTreeMap::new();
    let mut it = st.query(rusqlite::params_from_iter(args))?;
    while let Some(r) = it.next()? {
        let Some(group) = Group::parse(&r.get::<_, String>(2)?) else {
            continue;
        };
        let item_key: String = r.get(1)?;
        if r.get::<_, String>(3)? == "online" {
            *online.entry((group, item_key.clone())).or_default() += 1;
        }
        rows.push(Row {
            response_id: r.get(0)?,
            item_key,
            group,
            text: r.get(4)?,
        });
    }
    rows.retain(|r| {
        group_shown(r.group)
            && online
                .get(&(r.group, r.item_key.clone()))
                .is_some_and(|n| *n >= min)
    });
    Ok((open, rows))
}

fn handle(response_id: &str, item_key: &str) -> String {
    hash("qs-review", &format!("{response_id}:{item_key}"))[..32].to_owned()
}

/// Per open question (questionnaire order) and shown group (group order): the cells with
/// their answers, for the review page and the report.
fn cells(conn: &Connection, scan_id: i64) -> Result<Vec<ReviewCell>> {
    let (open, rows) = shown_open_rows(conn, scan_id)?;
    let mut by_cell: BTreeMap<(usize, Group), ReviewCell> = BTreeMap::new();
    for r in rows {
        let Some(pos) = open.iter().position(|(k, _)| *k == r.item_key) else {
            continue;
        };
        let cell = by_cell.entry((pos, r.group)).or_insert_with(|| ReviewCell {
            item_key: r.item_key.clone(),
            question: open[pos].1.clone(),
            group: r.group,
            answers: vec![],
            hidden: 0,
        });
        match r.text {
            Some(text) => cell.answers.push(ReviewAnswer {
                handle: handle(&r.response_id, &r.item_key),
                text,
            }),
            None => cell.hidden += 1,
        }
    }
    Ok(by_cell.into_values().collect())
}

/// Every open answer the trekker may review: per question and shown group, ordered by handle.
/// That order is random (a hash of a random id) and unrelated to when answers came in, but
/// stays the same between page loads, so the review can be paged. Never an answer of a group
/// or cell below the threshold.
pub fn review_cells(conn: &Connection, scan_id: i64) -> Result<Vec<ReviewCell>> {
    let mut out = cells(conn, scan_id)?;
    for c in &mut out {
        c.answers.sort_by(|a, b| a.handle.cmp(&b.handle));
    }
    Ok(out)
}

/// The open answers as they stand after the review, per question and shown group, each in
/// random order (the report's open answers).
pub fn reviewed_open_answers(conn: &Connection, scan_id: i64) -> Result<Vec<OpenAnswers>> {
    Ok(cells(conn, scan_id)?
        .into_iter()
        .map(|c| {
            let mut answers: Vec<String> = c.answers.into_iter().map(|a| a.text).collect();
            shuffle(&mut answers);
            OpenAnswers {
                item_key: c.item_key,
                group: c.group,
                answers,
                hidden: c.hidden,
            }
        })
        .collect())
}

/// The row of the answer named by `handle`, if it is one the trekker may review now.
fn find(conn: &Connection, scan_id: i64, handle_: &str) -> Result<Row> {
    reviewable(conn, scan_id)?;
    let (_, rows) = shown_open_rows(conn, scan_id)?;
    rows.into_iter()
        .find(|r| r.text.is_some() && handle(&r.response_id, &r.item_key) == handle_)
        .ok_or_else(|| {
            Error::State(
                "Dit antwoord is er niet (meer): misschien is het al verborgen of ingekort.".into(),
            )
        })
}

/// The text of the answer named by `handle`, if it is one the trekker may review now.
pub fn review_answer(conn: &Connection, scan_id: i64, handle_: &str) -> Result<String> {
    Ok(find(conn, scan_id, handle_)?.text.unwrap_or_default())
}

/// Review is possible only while the scan is closed and its report not yet vastgesteld.
fn reviewable(conn: &Connection, scan_id: i64) -> Result<()> {
    match scan(conn, scan_id)?.status {
        ScanStatus::Closed => Ok(()),
        s if s < ScanStatus::Closed => Err(Error::State(
            "Open antwoorden kunt u nakijken als de vragenlijst gesloten is.".into(),
        )),
        _ => Err(Error::State(
            "Het rapport is vastgesteld: de open antwoorden liggen vast.".into(),
        )),
    }
}

/// Overwrites the answer named by `handle` with what `new` makes of its text (`None`:
/// hidden) and counts it. State, answer and check are read inside the write transaction, so
/// a concurrent vaststellen or edit cannot slip in between.
fn overwrite(
    conn: &Connection,
    scan_id: i64,
    handle_: &str,
    new: impl FnOnce(&str) -> Result<Option<String>>,
) -> Result<Option<String>> {
    let tx = write_tx(conn)?;
    let row = find(&tx, scan_id, handle_)?;
    let new = new(row.text.as_deref().unwrap_or_default())?;
    tx.execute_c(
        "UPDATE qa.qs_answer SET txt = ?3 WHERE response_id = ?1 AND item_key = ?2",
        params![row.response_id, row.item_key, new],
    )?;
    let col = if new.is_some() { "redacted" } else { "hidden" };
    tx.execute_c(
        &format!(
            "INSERT INTO qs_review (scan_id, {col}) VALUES (?1, 1)
             ON CONFLICT (scan_id) DO UPDATE SET {col} = {col} + 1"
        ),
        [scan_id],
    )?;
    tx.commit()?;
    wipe_old_pages(conn);
    Ok(new)
}

/// Until a checkpoint copies the new page into the answers file, that file still holds the
/// page with the old text. A TRUNCATE checkpoint copies and empties the WAL; it cannot finish
/// while another connection reads, so it is tried for up to about two seconds. Should it still
/// not finish, the next checkpoint (after the next write, or at start) completes it.
fn wipe_old_pages(conn: &Connection) {
    for _ in 0..40 {
        let busy: i64 = conn
            .query_row("PRAGMA qa.wal_checkpoint(TRUNCATE)", [], |r| r.get(0))
            .unwrap_or(1);
        if busy == 0 {
            return;
        }
        std::thread::sleep(std::time::Duration::from_millis(50));
    }
    checkpoint_truncate(conn, "qa");
}

/// Hides an open answer: its text is overwritten (destroyed), the row stays so the cell's
/// count does not change.
pub fn hide_answer(conn: &Connection, scan_id: i64, handle: &str) -> Result<()> {
    overwrite(conn, scan_id, handle, |_| Ok(None)).map(drop)
}

/// Shortens an open answer to `edited`, which must be the old text with words removed (see
/// [`redaction`]); returns the text now stored. The old text is overwritten (destroyed).
pub fn redact_answer(
    conn: &Connection,
    scan_id: i64,
    handle: &str,
    edited: &str,
) -> Result<String> {
    let new = overwrite(conn, scan_id, handle, |old| {
        redaction(old, edited).map(Some)
    })?;
    Ok(new.unwrap_or_default())
}

/// Checks that `edited` is `old` with words removed, and returns the text to store: `old`'s
/// words, with every run of removed words replaced by one [`REDACTED`]. The trekker may write
/// [`REDACTED`] where words go, or just delete them; either way a removed run is marked, so a
/// removal can never silently change what the respondent said ("niet tevreden" → "tevreden"
/// becomes "[weggelaten] tevreden"). Any word that is not in `old` at that place is refused:
/// nobody can put words in a respondent's mouth. Words are separated by white space; line
/// breaks become spaces.
pub fn redaction(old: &str, edited: &str) -> Result<String> {
    let old_words: Vec<&str> = old.split_whitespace().collect();
    let mut kept = vec![false; old_words.len()];
    let mut i = 0; // next old word that may be kept
    let mut must_skip = false; // a marker was written: at least one word goes here
    for w in edited.split_whitespace() {
        if w == REDACTED {
            must_skip = true;
            continue;
        }
        let from = i + usize::from(must_skip);
        let Some(k) = (from..old_words.len()).find(|k| old_words[*k] == w) else {
            return Err(Error::Invalid(format!(
                "“{w}” staat niet (op die plaats) in het oorspronkelijke antwoord. U kunt alleen woorden weghalen, niets toevoegen of veranderen."
            )));
        };
        kept[k] = true;
        i = k + 1;
        must_skip = false;
    }
    if must_skip && i >= old_words.len() {
        return Err(Error::Invalid(format!(
            "Aan het eind staat {REDACTED}, maar daar is niets weggehaald."
        )));
    }
    if kept.iter().all(|k| *k) {
        return Err(Error::Invalid(
            "Er is niets weggehaald. Haal in het tekstvak de woorden weg die iemand herkenbaar maken."
                .into(),
        ));
    }
    if !kept.iter().any(|k| *k) {
        return Err(Error::Invalid(
            "Alles is weggehaald. Kies dan ‘Verbergen’.".into(),
        ));
    }
    let mut out: Vec<&str> = Vec::new();
    for (w, k) in old_words.iter().zip(&kept) {
        if *k {
            out.push(w);
        } else if out.last() != Some(&REDACTED) {
            out.push(REDACTED);
        }
    }
    Ok(out.join(" "))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn removed_words_are_marked() {
        let old = "Ik ben de voorzitter van de dorpsraad en vind het goed";
        assert_eq!(
            redaction(old, "Ik ben de vind het goed").unwrap(),
            "Ik ben de [weggelaten] vind het goed"
        );
        assert_eq!(
            redaction(old, "Ik ben [weggelaten] en vind het goed").unwrap(),
            "Ik ben [weggelaten] en vind het goed"
        );
        // a marker says where the removal was: "de" is the second one
        assert_eq!(
            redaction(old, "Ik ben [weggelaten] de dorpsraad en vind het goed").unwrap(),
            "Ik ben [weggelaten] de dorpsraad en vind het goed"
        );
        assert_eq!(
            redaction("niet tevreden", "tevreden").unwrap(),
            "[weggelaten] tevreden"
        );
        assert_eq!(redaction("a\r\nb  c", "a c").unwrap(), "a [weggelaten] c");
        assert_eq!(redaction("a b c", "a").unwrap(), "a [weggelaten]");
    }

    #[test]
    fn additions_and_changes_are_refused() {
        let old = "De raad luistert niet";
        for bad in [
            "De raad luistert goed",
            "De raad luistert niet echt",
            "luistert De raad",
            "De Raad luistert",
            "De raad luistert niet",
            "",
            "[weggelaten]",
            "De raad luistert niet [weggelaten]",
        ] {
            assert!(redaction(old, bad).is_err(), "{bad:?}");
        }
    }
}
