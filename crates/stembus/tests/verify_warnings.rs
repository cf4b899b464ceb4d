//! `stembus verify` shows the engine's warnings (issue 15): a gemeenteraad where P 9 and P 10
//! both apply gets `W-P9-EN-P10`, in the text report and in `--json`. The bundle is made from
//! the GR2026 Schiermonnikoog files (9 seats, 3 lists, 648 valid votes): list 3 keeps only its
//! first candidate and the votes are set so that P 9 and P 10 meet; without the shared data
//! set the test says so and passes, except in CI.

use std::path::{Path, PathBuf};
use std::process::Command;

use serde_json::Value;

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

/// Keeps only the first candidate of list 3 in the 230b.
fn one_candidate_on_list_3(text: &str) -> String {
    let list = text
        .find(r#"<AffiliationIdentifier Id="3">"#)
        .expect("list 3");
    let first_end =
        list + text[list..].find("</Candidate>").expect("a candidate") + "</Candidate>".len();
    let list_end = first_end
        + text[first_end..]
            .find("</Affiliation>")
            .expect("end of list 3");
    format!("{}{}", &text[..first_end], &text[list_end..])
}

/// Sets the 510 totals: lists 325, 184 and 139 votes, all on candidate 1; drops list 3's
/// other candidates.
fn votes(text: &str) -> String {
    let totals = [325u64, 184, 139];
    let mut parts = text.split("<Selection>");
    let mut out = parts.next().unwrap_or_default().to_string();
    let mut list = 0usize;
    for part in parts {
        let (selection, rest) = part.split_once("</Selection>").expect("a whole selection");
        let affiliation = selection.contains("<AffiliationIdentifier");
        if affiliation {
            list += 1;
        }
        let first = selection.contains(r#"<CandidateIdentifier Id="1">"#);
        if list == 3 && !affiliation && !first {
            out.push_str(rest);
            continue;
        }
        let votes = if affiliation || first {
            totals[list - 1]
        } else {
            0
        };
        let start = selection.find("<ValidVotes>").expect("votes");
        out.push_str("<Selection>");
        out.push_str(&selection[..start]);
        out.push_str("<ValidVotes>");
        out.push_str(&votes.to_string());
        out.push_str("</ValidVotes>");
        out.push_str("</Selection>");
        out.push_str(rest);
    }
    out
}

fn bundle(data: &Path) -> PathBuf {
    let src = data.join("GR2026_Schiermonnikoog");
    let dir = std::env::temp_dir().join(format!("stembus-p9-p10-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    let read = |name: &str| std::fs::read_to_string(src.join(name)).expect("GR2026 file");
    let name = "Verkiezingsdefinitie_GR2026_Schiermonnikoog.eml.xml";
    std::fs::write(dir.join(name), read(name)).unwrap();
    let name = "Kandidatenlijsten_GR2026_Schiermonnikoog.eml.xml";
    std::fs::write(dir.join(name), one_candidate_on_list_3(&read(name))).unwrap();
    let name = "Totaaltelling_GR2026_Schiermonnikoog.eml.xml";
    std::fs::write(dir.join(name), votes(&read(name))).unwrap();
    dir
}

#[test]
fn verify_shows_the_p9_with_p10_warning_in_text_and_json() {
    let Some(data) = shared_data("GR2026_Schiermonnikoog") else {
        return;
    };
    let dir = bundle(&data);
    // Kiesdeler 72: full seats 4, 2, 1; restzetels to list 3 (67) and list 2 (40). P 9: list 1
    // (325 > 324 votes, 4 seats) takes list 2's. P 10: list 3 has one candidate for 2 seats;
    // that seat goes back to list 2 by its remainder (the Kiesraad's reading): 5, 3, 1.
    let run = |json: bool| {
        let mut c = Command::new(env!("CARGO_BIN_EXE_stembus"));
        c.arg("verify").arg(&dir);
        if json {
            c.arg("--json");
        }
        c.output().expect("run stembus")
    };
    let text = run(false);
    let report = String::from_utf8_lossy(&text.stdout);
    assert!(report.contains("W-P9-EN-P10"), "{report}");
    assert!(report.contains("artikel P 9 en artikel P 10"), "{report}");
    let json = run(true);
    let _ = std::fs::remove_dir_all(&dir);
    let v: Value = serde_json::from_slice(&json.stdout).expect("JSON");
    // One election: the document is its verification; several: under "elections".
    let election = if v.get("elections").is_some() {
        &v["elections"][0]
    } else {
        &v
    };
    let warning = election["warnings"]
        .as_array()
        .expect("warnings")
        .iter()
        .find(|w| w["code"] == "W-P9-EN-P10")
        .unwrap_or_else(|| panic!("no W-P9-EN-P10 in {election}"));
    assert!(
        warning["message_nl"]
            .as_str()
            .is_some_and(|t| t.contains("contact op te nemen met de Kiesraad")),
        "{warning}"
    );
    let computed: Vec<u64> = election["lists"]
        .as_array()
        .map(|l| {
            l.iter()
                .filter_map(|x| x["computed_seats"].as_u64())
                .collect()
        })
        .unwrap_or_default();
    if !computed.is_empty() {
        assert_eq!(computed, [5, 3, 1]);
    }
}
