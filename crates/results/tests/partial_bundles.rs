//! Bundles with a part missing. Without an official result the seats are still recomputed
//! (`official_seats: None`, status `NoOfficialResult`); without candidate lists the seats per
//! list are still verified, and the elected candidates are reported as not checkable.

use std::path::PathBuf;

use results::{Report, Status, verify_bundle, verify_paths};

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
#[path = "support/synth.rs"]
mod synth;

use shared_data::shared_data;
use synth::{Election, Party};

fn verify(dir: &str, files: &[(String, String)]) -> Report {
    verify_bundle(synth::bundle(dir, files), &mut |_, _| {})
}

fn codes(r: &Report) -> Vec<&'static str> {
    r.elections
        .iter()
        .flat_map(|v| v.errors.iter().chain(&v.warnings).chain(&v.mismatches))
        .map(|f| f.code)
        .collect()
}

/// A gemeenteraad of `seats` with lists of `candidates`, and its 510b with `votes` per list
/// (all on candidate 1) over two stembureaus.
fn gemeenteraad(seats: u32, candidates: &[u32], votes: &[u64]) -> (Election, String) {
    let e = Election {
        id: "GR2026_Proefdorp".into(),
        name: "Gemeenteraad Proefdorp 2026".into(),
        category: "GR".into(),
        subcategory: "GR1".into(),
        domain: Some(("9999".into(), "Proefdorp".into())),
        seats,
        parties: candidates
            .iter()
            .enumerate()
            .map(|(i, &n)| Party {
                number: u32::try_from(i + 1).unwrap(),
                name: format!("Partij {}", i + 1),
                candidates: n,
            })
            .collect(),
    };
    let total = synth::on_first(&e, votes);
    let half: Vec<u64> = votes.iter().map(|v| v / 2).collect();
    let rest: Vec<u64> = votes.iter().zip(&half).map(|(v, h)| v - h).collect();
    let units = vec![
        (
            "9999::SB1".to_string(),
            "Stembureau Dorpshuis".to_string(),
            synth::on_first(&e, &half),
        ),
        (
            "9999::SB2".to_string(),
            "Stembureau School".to_string(),
            synth::on_first(&e, &rest),
        ),
    ];
    let count = synth::count(
        &e,
        "510b",
        ("9999", "Proefdorp"),
        ("geen", None),
        &total,
        &units,
    );
    (e, count)
}

fn named(name: &str, text: String) -> (String, String) {
    (name.to_string(), text)
}

/// Issue 15, 3: without a 520 the seats are recomputed and listed with `official_seats:
/// None`; the status says there is no official result, and nothing else being wrong, the exit
/// code is 0.
#[test]
fn without_an_official_result_the_seats_are_still_computed() {
    let (e, count) = gemeenteraad(9, &[6, 6, 6], &[400, 300, 200]);
    let files = vec![
        named("Verkiezingsdefinitie.eml.xml", synth::definition(&e, &[])),
        named(
            "Kandidatenlijsten.eml.xml",
            synth::candidate_lists(&e, &["geen"]),
        ),
        named("Telling.eml.xml", count),
    ];
    let r = verify("no-520", &files);
    let v = &r.elections[0];
    assert_eq!(v.status, Status::NoOfficialResult, "{:#?}", v.errors);
    assert!(!v.matches);
    assert!(v.errors.is_empty(), "{:#?}", v.errors);
    assert!(codes(&r).contains(&"W-GEEN-UITSLAG"));
    let seats: Vec<(u32, Option<u32>, Option<u32>)> = v
        .lists
        .iter()
        .map(|l| (l.number, l.official_seats, l.computed_seats))
        .collect();
    assert_eq!(
        seats,
        [(1, None, Some(4)), (2, None, Some(3)), (3, None, Some(2))]
    );
    assert_eq!(v.elected.len(), 9);
    assert_eq!(v.candidates.computed, 9);
    assert!(!v.candidates.checked);
    assert_eq!(r.exit_code(), 0);
}

/// The same on the real GR2026 Schiermonnikoog files without their 520.
#[test]
fn gr2026_without_its_520() {
    let Some(d) = shared_data("GR2026_Schiermonnikoog") else {
        return;
    };
    let dir = d.join("GR2026_Schiermonnikoog");
    let paths: Vec<PathBuf> = [
        "Verkiezingsdefinitie",
        "Kandidatenlijsten",
        "Telling",
        "Totaaltelling",
    ]
    .iter()
    .map(|p| dir.join(format!("{p}_GR2026_Schiermonnikoog.eml.xml")))
    .collect();
    let r = verify_paths(&paths, &mut |_, _| {});
    let v = &r.elections[0];
    assert_eq!(v.status, Status::NoOfficialResult);
    let total: u32 = v.lists.iter().filter_map(|l| l.computed_seats).sum();
    assert_eq!(total, 9);
    assert!(v.lists.iter().all(|l| l.official_seats.is_none()));
    assert_eq!(r.exit_code(), 0);
}

/// Issue 15, 4: a gemeente whose bundle holds only the 510b and the 520 (GR2026
/// Schiermonnikoog): the seats per list are compared and match; the candidates are reported
/// as not checkable, with a warning, not an error that blocks everything.
#[test]
fn seats_only_when_the_candidate_lists_are_missing() {
    let Some(d) = shared_data("GR2026_Schiermonnikoog") else {
        return;
    };
    let dir = d.join("GR2026_Schiermonnikoog");
    let paths = vec![
        dir.join("Telling_GR2026_Schiermonnikoog.eml.xml"),
        dir.join("Resultaat_GR2026_Schiermonnikoog.eml.xml"),
    ];
    let r = verify_paths(&paths, &mut |_, _| {});
    let v = &r.elections[0];
    assert!(v.errors.is_empty(), "{:#?}", v.errors);
    assert!(!codes(&r).contains(&"E-GEEN-KANDIDATENLIJSTEN"));
    assert!(codes(&r).contains(&"W-KANDIDATEN-NIET-TE-CONTROLEREN"));
    assert!(v.matches);
    assert_eq!(v.status, Status::Ok);
    let seats: Vec<(u32, Option<u32>, Option<u32>)> = v
        .lists
        .iter()
        .map(|l| (l.number, l.official_seats, l.computed_seats))
        .collect();
    assert_eq!(
        seats,
        [
            (1, Some(3), Some(3)),
            (2, Some(3), Some(3)),
            (3, Some(3), Some(3))
        ]
    );
    assert!(!v.candidates.checked);
    assert!(v.elected.is_empty());
    assert_eq!(v.candidates.official, 9);
    assert_eq!(r.exit_code(), 0);
}

/// Seats only: a seat count that differs from the official one is a mismatch.
#[test]
fn seats_only_finds_a_seat_mismatch() {
    let (e, count) = gemeenteraad(9, &[6, 6, 6], &[400, 300, 200]);
    let wrong = synth::result(
        &e,
        &[
            synth::first_then_list_order(1, 3),
            synth::first_then_list_order(2, 4),
            synth::first_then_list_order(3, 2),
        ],
    );
    let r = verify(
        "seats-only-wrong",
        &[
            named("Telling.eml.xml", count),
            named("Resultaat.eml.xml", wrong),
        ],
    );
    let v = &r.elections[0];
    assert_eq!(v.status, Status::Mismatch);
    assert!(codes(&r).contains(&"M-ZETELS"));
    assert_eq!(r.exit_code(), 1);
}

/// Seats only still applies P 10: the count has a line for each candidate, so a list with
/// three candidates gets three seats at most, exactly as with the candidate lists.
#[test]
fn seats_only_applies_list_exhaustion_from_the_count() {
    let (e, count) = gemeenteraad(10, &[3, 10, 10], &[600, 270, 130]);
    let official = synth::result(
        &e,
        &[
            synth::first_then_list_order(1, 3),
            synth::first_then_list_order(2, 4),
            synth::first_then_list_order(3, 3),
        ],
    );
    let with_lists = verify(
        "p10-lists",
        &[
            named(
                "Kandidatenlijsten.eml.xml",
                synth::candidate_lists(&e, &["geen"]),
            ),
            named("Telling.eml.xml", count.clone()),
            named("Resultaat.eml.xml", official.clone()),
        ],
    );
    let seats_only = verify(
        "p10-seats-only",
        &[
            named("Telling.eml.xml", count),
            named("Resultaat.eml.xml", official),
        ],
    );
    let seats = |r: &Report| -> Vec<Option<u32>> {
        r.elections[0]
            .lists
            .iter()
            .map(|l| l.computed_seats)
            .collect()
    };
    assert_eq!(seats(&with_lists), seats(&seats_only));
    assert_eq!(seats(&seats_only), [Some(3), Some(4), Some(3)]);
    assert_eq!(
        seats_only.elections[0].status,
        Status::Ok,
        "{:#?}",
        seats_only.elections[0].mismatches
    );
}

/// Seats only with a lot: two lists tie for the last seat; the official result shows which
/// one drew it, and that is accepted because it is one of the tied options.
#[test]
fn seats_only_takes_a_lot_from_the_official_result() {
    let (e, count) = gemeenteraad(3, &[5, 5], &[100, 100]);
    let official = synth::result(
        &e,
        &[
            synth::first_then_list_order(1, 1),
            synth::first_then_list_order(2, 2),
        ],
    );
    let r = verify(
        "seats-only-lot",
        &[
            named("Telling.eml.xml", count),
            named("Resultaat.eml.xml", official),
        ],
    );
    let v = &r.elections[0];
    assert_eq!(v.status, Status::Lot, "{:#?}", v.mismatches);
    assert!(v.matches);
    assert_eq!(v.lots.len(), 1);
    assert!(v.lots[0].accepted);
    let seats: Vec<Option<u32>> = v.lists.iter().map(|l| l.computed_seats).collect();
    assert_eq!(seats, [Some(1), Some(2)]);
}
