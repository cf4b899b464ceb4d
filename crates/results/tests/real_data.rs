//! Acceptance on the Kiesraad's own files (TK2021, TK2025, GR2022, GR2026). The data set lives
//! beside the project (`../shared/data`, or `STEMBUS_SHARED_DATA`); without it these tests say
//! so and pass, except in CI (`CI=true`), where they fail.

use std::path::{Path, PathBuf};

use results::{Report, Status, Verification, verify_paths};

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

fn verify(paths: &[PathBuf]) -> Report {
    verify_paths(paths, &mut |_, _| {})
}

fn only(r: &Report) -> &Verification {
    assert_eq!(r.elections.len(), 1, "one election expected");
    &r.elections[0]
}

/// The gemeenten the Kiesraad lists with kiesgerechtigden 0 in the kieskring files, and Stein.
fn opmerking_kieskring_zero(dir: &Path) -> Vec<String> {
    let text = std::fs::read_to_string(dir.join("TK2021/eml/Opmerking bestanden TK2021.txt"))
        .expect("Opmerking file");
    let start = text
        .find("in het kieskring telling-bestand 0")
        .expect("kieskring section");
    text[start..]
        .lines()
        .skip(1)
        .take_while(|l| !l.trim().is_empty())
        .filter_map(|l| l.split(':').next())
        .map(|s| s.trim().to_string())
        .filter(|s| !s.is_empty())
        .collect()
}

fn check_tk2021(r: &Report, dir: &Path) {
    let v = only(r);
    assert_eq!(v.status, Status::Ok, "{:#?}", v.mismatches);
    assert!(v.matches);
    assert_eq!(r.exit_code(), 0);
    let with_seats: Vec<(u32, u32)> = v
        .lists
        .iter()
        .filter_map(|l| l.official_seats.filter(|s| *s > 0).map(|s| (l.number, s)))
        .collect();
    assert_eq!(with_seats.len(), 17);
    assert!(v.lists.iter().all(|l| l.official_seats == l.computed_seats));
    assert_eq!(
        with_seats.iter().find(|(n, _)| *n == 1),
        Some(&(1, 34)),
        "VVD 34"
    );
    assert_eq!(v.candidates.official, 150);
    assert_eq!(v.candidates.computed, 150);
    assert_eq!(v.candidates.matched, 150);
    assert_eq!(v.candidates.official_by_preference, Some(43));
    assert_eq!(v.candidates.computed_by_preference, 43);
    assert!(v.errors.is_empty(), "{:#?}", v.errors);
    // Every kiesgerechtigden-0 gemeente of the Kiesraad's list for the kieskring files.
    let zero = opmerking_kieskring_zero(dir);
    assert_eq!(zero.len(), 6, "{zero:?}");
    for g in &zero {
        assert!(
            v.warnings.iter().any(|w| w.code == "W-KIESGERECHTIGDEN-NUL"
                && w.unit.as_deref().is_some_and(|u| u.contains(g.as_str()))
                && w.files
                    .iter()
                    .any(|f| f.contains("Telling_TK2021_kieskring_"))),
            "no W-KIESGERECHTIGDEN-NUL for {g}"
        );
    }
    // Stein: 24 invalid votes not taken over by the HSB Maastricht.
    assert!(v.warnings.iter().any(|w| w.code == "W-ONGELDIG-NUL"
        && w.unit.as_deref().is_some_and(|u| u.contains("Stein"))
        && w.files.iter().any(|f| f.contains("kieskring_Maastricht"))));
}

#[test]
fn tk2021_zip_verifies_and_flags_the_kiesraad_known_errors() {
    let Some(dir) = shared_data("TK2021") else {
        return;
    };
    let r = verify(&[dir.join("TK2021/EML_bestanden_TK2021_deel_1.zip")]);
    check_tk2021(&r, &dir);
}

#[test]
fn tk2021_unpacked_directory_verifies() {
    let Some(dir) = shared_data("TK2021") else {
        return;
    };
    let r = verify(&[dir.join("TK2021/eml")]);
    check_tk2021(&r, &dir);
    // P 19 order and flags are compared: the PvdA's Nijboer and Kuiken placed by P 16.
    let v = only(&r);
    let pvda: Vec<&str> = v
        .elected
        .iter()
        .filter(|c| c.list == 7)
        .map(|c| c.person.as_str())
        .collect();
    assert_eq!(&pvda[..4], ["PloumenEMJ", "AribK", "NijboerH", "KuikenAH"]);
}

#[test]
fn tk2025_csv_bundle_verifies() {
    let Some(dir) = shared_data("TK2021") else {
        return;
    };
    let r = verify(&[dir.join("TK2025/TK2025_CSV.zip")]);
    let v = only(&r);
    assert_eq!(v.status, Status::Ok, "{:#?}", v.mismatches);
    assert_eq!(r.exit_code(), 0);
    assert_eq!(v.seats, Some(150));
    assert_eq!(v.candidates.official, 150);
    assert_eq!(v.candidates.matched, 150);
    let seats = |n: u32| {
        v.lists
            .iter()
            .find(|l| l.number == n)
            .and_then(|l| l.computed_seats)
    };
    assert_eq!(seats(1), Some(26), "PVV");
    assert_eq!(seats(5), Some(26), "D66");
    assert!(
        v.errors.is_empty(),
        "{:#?}",
        &v.errors[..v.errors.len().min(5)]
    );
}

#[test]
fn gr2022_every_gemeente_with_count_and_result_verifies() {
    let Some(dir) = shared_data("TK2021") else {
        return;
    };
    let r = verify(&[dir.join("GR2022/GR2022_shared.zip")]);
    assert_eq!(r.elections.len(), 182);
    let damaged: Vec<&str> = r
        .elections
        .iter()
        .filter(|v| v.status == Status::Damaged)
        .map(|v| v.election.as_str())
        .collect();
    assert_eq!(
        damaged,
        [
            "GR2022_Bloemendaal",
            "GR2022_DeWolden",
            "GR2022_Westerwolde"
        ]
    );
    for v in &r.elections {
        match v.status {
            Status::Ok | Status::Lot => {
                assert_eq!(
                    v.candidates.matched, v.candidates.official,
                    "{}",
                    v.election
                );
                assert!(
                    v.lists
                        .iter()
                        .all(|l| l.official_seats.unwrap_or(0) == l.computed_seats.unwrap_or(0))
                );
            }
            Status::Damaged => {
                let f = v
                    .errors
                    .iter()
                    .find(|f| f.code == "E-BESTAND-ONLEESBAAR")
                    .expect("the damaged file is named");
                assert!(f.files[0].contains("Resultaat_GR2022_"), "{f:?}");
            }
            s => panic!("{}: {s:?} {:#?}", v.election, v.mismatches),
        }
    }
    // Lots only among the tied options, and said so.
    let lots: Vec<&Verification> = r
        .elections
        .iter()
        .filter(|v| v.status == Status::Lot)
        .collect();
    assert!(!lots.is_empty());
    for v in lots {
        assert!(
            v.lots
                .iter()
                .all(|l| l.accepted && l.options.len() > 1 && l.options.contains(&l.drawn))
        );
    }
    assert_eq!(r.exit_code(), 2, "damaged input");
}

#[test]
fn gr2026_schiermonnikoog_verifies_and_its_520_is_regenerated() {
    let Some(dir) = shared_data("TK2021") else {
        return;
    };
    let r = verify(&[dir.join("GR2026_Schiermonnikoog")]);
    let v = only(&r);
    assert_eq!(v.status, Status::Ok);
    assert_eq!(v.candidates.matched, 9);
    let xml = results::eml520::write(&r.data[0], v, "2026-03-26T10:20:16.406").expect("520");
    let ours = eml::parse_result(xml.as_bytes()).expect("our 520 reads");
    let official = eml::parse_result(
        &std::fs::read(dir.join("GR2026_Schiermonnikoog/Resultaat_GR2026_Schiermonnikoog.eml.xml"))
            .expect("official 520"),
    )
    .expect("official 520 reads");
    assert_eq!(ours.election, official.election);
    assert_eq!(ours.contests, official.contests);
    assert_eq!(
        ours.header.managing_authority,
        official.header.managing_authority
    );
}
