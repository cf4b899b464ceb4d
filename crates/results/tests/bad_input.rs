//! A corpus of broken inputs, made from the GR2026 Schiermonnikoog files: each gives a clear
//! finding naming the file (and the reporting unit or position), never a panic.

use std::path::{Path, PathBuf};

use results::{Report, Status, verify_paths};

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

const FILES: [&str; 5] = [
    "Verkiezingsdefinitie_GR2026_Schiermonnikoog.eml.xml",
    "Kandidatenlijsten_GR2026_Schiermonnikoog.eml.xml",
    "Telling_GR2026_Schiermonnikoog.eml.xml",
    "Totaaltelling_GR2026_Schiermonnikoog.eml.xml",
    "Resultaat_GR2026_Schiermonnikoog.eml.xml",
];

/// A fresh directory with the GR2026 files, `edit` applied to each (name, text) → new text
/// (`None` leaves the file out).
fn corpus(data: &Path, name: &str, edit: impl Fn(&str, String) -> Option<String>) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stembus-bad-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for f in FILES {
        let text = std::fs::read_to_string(data.join("GR2026_Schiermonnikoog").join(f))
            .expect("GR2026 file");
        if let Some(t) = edit(f, text) {
            std::fs::write(dir.join(f), t).expect("write");
        }
    }
    dir
}

fn verify(dir: &Path) -> Report {
    let r = verify_paths(&[dir.to_path_buf()], &mut |_, _| {});
    let _ = std::fs::remove_dir_all(dir);
    r
}

fn has(r: &Report, code: &str, file_part: &str) -> bool {
    r.elections
        .iter()
        .flat_map(|v| v.errors.iter().chain(&v.warnings).chain(&v.mismatches))
        .chain(&r.errors)
        .any(|f| f.code == code && f.files.iter().any(|x| x.contains(file_part)))
}

#[test]
fn untouched_corpus_verifies() {
    let Some(data) = shared_data("GR2026_Schiermonnikoog") else {
        return;
    };
    let r = verify(&corpus(&data, "ok", |_, t| Some(t)));
    assert_eq!(r.elections[0].status, Status::Ok);
    assert_eq!(r.exit_code(), 0);
}

#[test]
fn a_520_of_another_election() {
    let Some(data) = shared_data("GR2026_Schiermonnikoog") else {
        return;
    };
    let r = verify(&corpus(&data, "other520", |f, t| {
        Some(if f.starts_with("Resultaat") {
            t.replace("GR2026_Schiermonnikoog", "GR2026_Stadskanaal")
        } else {
            t
        })
    }));
    assert_eq!(r.elections.len(), 2);
    assert!(has(&r, "E-UITSLAG-ZONDER-TELLING", "Resultaat_GR2026"));
    assert!(has(&r, "W-GEEN-UITSLAG", "Telling_GR2026"));
    // The counts are recomputed without anything to compare with; the 520 alone is incomplete.
    let status_of = |id: &str| {
        r.elections
            .iter()
            .find(|v| v.election == id)
            .map(|v| v.status)
    };
    assert_eq!(
        status_of("GR2026_Schiermonnikoog"),
        Some(Status::NoOfficialResult)
    );
    assert_eq!(status_of("GR2026_Stadskanaal"), Some(Status::Incomplete));
    assert_eq!(r.exit_code(), 2);
}

/// Adds `delta` to the votes of candidate 1 of list 1 in stembureau SB1.
fn bump_candidate(t: &str, delta: u64) -> String {
    let unit = t.find("0088::SB1").expect("SB1");
    let pat = "<CandidateIdentifier Id=\"1\"></CandidateIdentifier></Candidate><ValidVotes>";
    let at = unit + t[unit..].find(pat).expect("candidate 1") + pat.len();
    let end = at + t[at..].find('<').expect("end of number");
    let votes: u64 = t[at..end].parse().expect("votes");
    format!("{}{}{}", &t[..at], votes + delta, &t[end..])
}

#[test]
fn counts_that_do_not_add_up() {
    let Some(data) = shared_data("GR2026_Schiermonnikoog") else {
        return;
    };
    let r = verify(&corpus(&data, "sums", |f, t| {
        Some(if f.starts_with("Telling") {
            bump_candidate(&t, 1000)
        } else {
            t
        })
    }));
    let v = &r.elections[0];
    let f = v
        .errors
        .iter()
        .find(|f| f.code == "E-LIJST-KANDIDATEN")
        .expect("list ≠ sum of candidates");
    assert!(
        f.unit.as_deref().is_some_and(|u| u.contains("0088::SB1")),
        "{f:?}"
    );
    assert!(f.files[0].ends_with("Telling_GR2026_Schiermonnikoog.eml.xml"));
    assert_eq!(f.expected, Some(f.found.expect("found") + 1000));
    assert!(has(&r, "E-SOM-KANDIDAAT", "Telling_GR2026"));
    // The totals are untouched, so the result still recomputes.
    assert!(v.matches);
}

#[test]
fn duplicate_ids() {
    let Some(data) = shared_data("GR2026_Schiermonnikoog") else {
        return;
    };
    let r = verify(&corpus(&data, "dups", |f, t| {
        Some(if f.starts_with("Telling") {
            let start = t.find("<ReportingUnitVotes>").expect("unit");
            let end = t[start..].find("</ReportingUnitVotes>").expect("end") + start + 21;
            format!("{}{}{}", &t[..end], &t[start..end], &t[end..])
        } else if f.starts_with("Kandidatenlijsten") {
            t.replacen(
                "<CandidateIdentifier Id=\"2\">",
                "<CandidateIdentifier Id=\"1\">",
                1,
            )
        } else {
            t
        })
    }));
    // The reader refuses a count with a reporting unit twice, naming it and the position.
    let dup = r
        .elections
        .iter()
        .flat_map(|v| &v.errors)
        .find(|f| {
            matches!(f.code, "E-DUBBELE-EENHEID" | "E-BESTAND-ONLEESBAAR")
                && f.files[0].contains("Telling_GR2026")
        })
        .expect("duplicate reporting unit reported");
    assert!(dup.message_nl.contains("0088::SB1"), "{dup:?}");
    assert!(
        has(&r, "E-DUBBELE-KANDIDAAT", "Kandidatenlijsten_GR2026")
            || has(&r, "E-BESTAND-ONLEESBAAR", "Kandidatenlijsten_GR2026")
    );
}

#[test]
fn truncated_and_garbage_files_are_named_with_their_position() {
    let Some(data) = shared_data("GR2026_Schiermonnikoog") else {
        return;
    };
    let dir = corpus(&data, "trunc", |f, t| {
        Some(if f.starts_with("Telling") {
            t[..t.len() / 2].to_string()
        } else {
            t
        })
    });
    std::fs::write(dir.join("leeg.eml.xml"), "").expect("write");
    std::fs::write(dir.join("onzin.xml"), "<EML Id=\"510b\"><<<\u{0}").expect("write");
    std::fs::write(dir.join("binair.csv"), [0xFFu8, 0xFE, 0x00, 0x41]).expect("write");
    let r = verify(&dir);
    let damaged = r
        .elections
        .iter()
        .flat_map(|v| &v.errors)
        .chain(&r.errors)
        .find(|f| f.code == "E-BESTAND-ONLEESBAAR" && f.files[0].contains("Telling_GR2026"))
        .expect("the truncated count is named");
    assert!(damaged.message_nl.contains(':'), "{damaged:?}");
    for name in ["leeg.eml.xml", "onzin.xml", "binair.csv"] {
        assert!(has(&r, "E-BESTAND-ONLEESBAAR", name), "{name}");
    }
    // The 510d still carries the totals: the result recomputes.
    assert!(r.elections[0].matches);
}

#[test]
fn a_different_official_result_is_a_mismatch() {
    let Some(data) = shared_data("GR2026_Schiermonnikoog") else {
        return;
    };
    let r = verify(&corpus(&data, "mismatch", |f, t| {
        Some(if f.starts_with("Resultaat") {
            // Postma was elected on preference votes; claim list order.
            t.replacen("<Ranking>1</Ranking>", "<Ranking>2</Ranking>", 1)
        } else {
            t
        })
    }));
    let v = &r.elections[0];
    assert_eq!(v.status, Status::Mismatch);
    assert!(has(&r, "M-VOORKEUR", "Resultaat_GR2026"));
    assert_eq!(r.exit_code(), 1);
}

#[test]
fn missing_candidate_lists_and_count() {
    let Some(data) = shared_data("GR2026_Schiermonnikoog") else {
        return;
    };
    let r = verify(&corpus(&data, "missing", |f, t| {
        (f.starts_with("Resultaat") || f.starts_with("Verkiezingsdefinitie")).then_some(t)
    }));
    let v = &r.elections[0];
    assert_eq!(v.status, Status::Incomplete);
    assert!(
        v.errors
            .iter()
            .any(|f| f.code == "E-GEEN-KANDIDATENLIJSTEN")
    );
    assert_eq!(r.exit_code(), 2);
}
