//! `stembus verify` on bundles keyed by level (PS) and with a part missing (no 520, no
//! 230b): synthetic files in the Kiesraad's layout, written to a temporary folder.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

#[path = "../../results/tests/support/synth.rs"]
mod synth;

use synth::{Election, Party};

fn stembus(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stembus"))
        .args(args)
        .output()
        .expect("run stembus")
}

fn folder(name: &str, files: &[(&str, String)]) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("stembus-partial-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).expect("temp dir");
    for (n, text) in files {
        std::fs::write(dir.join(n), text).expect("write");
    }
    dir
}

fn election(id: &str, category: &str, seats: u32) -> Election {
    Election {
        id: id.into(),
        name: format!("Verkiezing {id}"),
        category: category.into(),
        subcategory: format!("{category}1"),
        domain: Some(("0106".into(), "Proefstad".into())),
        seats,
        parties: (1..=3)
            .map(|n| Party {
                number: n,
                name: format!("Partij {n}"),
                candidates: 25,
            })
            .collect(),
    }
}

/// A province with one kieskring: the 510b of gemeente 0106 and the 510d with three
/// gemeenten; 43 seats: 20, 15, 8.
fn ps_files(with_520: bool) -> Vec<(&'static str, String)> {
    let e = election("PS2023_Proefland", "PS", 43);
    let g = |v: &[u64]| synth::on_first(&e, v);
    let units = vec![
        (
            "0106".to_string(),
            "Proefstad".to_string(),
            g(&[100, 300, 50]),
        ),
        (
            "0109".to_string(),
            "Dijkdorp".to_string(),
            g(&[1000, 700, 350]),
        ),
        (
            "0114".to_string(),
            "Veendam".to_string(),
            g(&[900, 500, 400]),
        ),
    ];
    let total = g(&[2000, 1500, 800]);
    let sb = vec![(
        "0106::SB1".to_string(),
        "Stembureau".to_string(),
        g(&[100, 300, 50]),
    )];
    let mut files = vec![
        (
            "Kandidatenlijsten.eml.xml",
            synth::candidate_lists(&e, &["geen"]),
        ),
        (
            "Telling_Proefstad.eml.xml",
            synth::count(
                &e,
                "510b",
                ("0106", "Proefstad"),
                ("geen", None),
                &units[0].2,
                &sb,
            ),
        ),
        (
            "Totaaltelling.eml.xml",
            synth::count(
                &e,
                "510d",
                ("CSB", "Proefland"),
                ("geen", None),
                &total,
                &units,
            ),
        ),
        (
            "Verkiezingsdefinitie.eml.xml",
            synth::definition(
                &e,
                &[
                    (3, "PROVINCIE", "Proefland", None),
                    (1, "KIESKRING", "Proefstad", Some((3, "PROVINCIE"))),
                    (106, "GEMEENTE", "Proefstad", Some((1, "KIESKRING"))),
                    (109, "GEMEENTE", "Dijkdorp", Some((1, "KIESKRING"))),
                    (114, "GEMEENTE", "Veendam", Some((1, "KIESKRING"))),
                ],
            ),
        ),
    ];
    if with_520 {
        let elected = [(1, 20), (2, 15), (3, 8)].map(|(n, s)| synth::first_then_list_order(n, s));
        files.push(("Resultaat.eml.xml", synth::result(&e, &elected)));
    }
    files
}

#[test]
fn ps_bundle_with_510b_and_510d_gives_the_provinces_seats() {
    let dir = folder("ps", &ps_files(true));
    let out = stembus(&["verify", "--json", dir.to_str().unwrap()]);
    let j: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(out.status.code(), Some(0), "{j:#}");
    assert_eq!(j["matches"], true);
    assert_eq!(j["status"], "ok");
    let computed: Vec<u64> = j["lists"]
        .as_array()
        .unwrap()
        .iter()
        .map(|l| l["computed_seats"].as_u64().unwrap())
        .collect();
    assert_eq!(computed, [20, 15, 8]);
    let text = j.to_string();
    assert!(!text.contains("E-NIVEAU-ONGELIJK"), "{j:#}");
    let human = stembus(&["verify", dir.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&human.stdout);
    assert!(
        report.contains("Zetels: officieel 43, herberekend 43"),
        "{report}"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// No 520: the JSON lists the computed seats with `official_seats: null`, the status says
/// there is no official result, and the exit code is 0.
#[test]
fn without_a_520_the_json_has_computed_seats() {
    let dir = folder("no520", &ps_files(false));
    let out = stembus(&["verify", "--json", dir.to_str().unwrap()]);
    let j: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(out.status.code(), Some(0), "{j:#}");
    assert_eq!(j["status"], "no_official_result");
    let lists = j["lists"].as_array().unwrap();
    assert_eq!(lists.len(), 3);
    assert!(lists.iter().all(|l| l["official_seats"].is_null()));
    let computed: Vec<u64> = lists
        .iter()
        .map(|l| l["computed_seats"].as_u64().unwrap())
        .collect();
    assert_eq!(computed, [20, 15, 8]);
    assert_eq!(j["elected"].as_array().unwrap().len(), 43);
    let human = stembus(&["verify", dir.to_str().unwrap()]);
    let report = String::from_utf8_lossy(&human.stdout);
    assert!(report.contains("GEEN OFFICIËLE UITSLAG"), "{report}");
    assert!(
        report.contains("Zetels: officieel –, herberekend 43"),
        "{report}"
    );
    assert!(!report.contains("officieel 0"), "{report}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// No 230b: the seats per list are compared (`matches: true`), the candidates are a warning.
#[test]
fn without_candidate_lists_the_seats_are_verified() {
    let files: Vec<_> = ps_files(true)
        .into_iter()
        .filter(|(n, _)| !n.starts_with("Kandidatenlijsten"))
        .collect();
    let dir = folder("no230", &files);
    let out = stembus(&["verify", "--json", dir.to_str().unwrap()]);
    let j: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(out.status.code(), Some(0), "{j:#}");
    assert_eq!(j["matches"], true);
    assert_eq!(j["candidates"]["checked"], false);
    assert!(j["errors"].as_array().unwrap().is_empty(), "{j:#}");
    assert!(
        j["warnings"]
            .as_array()
            .unwrap()
            .iter()
            .any(|w| w["code"] == "W-KANDIDATEN-NIET-TE-CONTROLEREN")
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;

/// The 2026 format: the investigated and corrected stembureau is named in the report and in
/// the JSON; the list without a name reads "Lijst 2 (zonder aanduiding)".
#[test]
fn investigations_and_a_nameless_list_in_the_report() {
    let Some(d) = shared_data::shared_data("GR2026_Schiermonnikoog") else {
        return;
    };
    let src = d.join("GR2026_Schiermonnikoog");
    let files: Vec<(String, String)> = std::fs::read_dir(&src)
        .unwrap()
        .map(|e| {
            let p = e.unwrap().path();
            let text = std::fs::read_to_string(&p)
                .unwrap()
                .replace(
                    "<RegisteredName>SAMEN</RegisteredName>",
                    "<RegisteredName></RegisteredName>",
                )
                .replace(
                    r#"<kr:Investigation ReasonCode="onderzocht vanwege andere fout">false"#,
                    r#"<kr:Investigation ReasonCode="onderzocht vanwege andere fout">true"#,
                );
            (p.file_name().unwrap().to_string_lossy().into_owned(), text)
        })
        .collect();
    let named: Vec<(&str, String)> = files.iter().map(|(n, t)| (n.as_str(), t.clone())).collect();
    let dir = folder("2026", &named);
    let human = stembus(&["verify", dir.to_str().unwrap()]);
    assert_eq!(human.status.code(), Some(0));
    let report = String::from_utf8_lossy(&human.stdout);
    assert!(
        report.contains(
            "(0088::SB1): onderzocht, niet gecorrigeerd (onderzocht vanwege andere fout)"
        ),
        "{report}"
    );
    assert!(report.contains("Lijst 2 (zonder aanduiding)"), "{report}");
    let out = stembus(&["verify", "--json", dir.to_str().unwrap()]);
    let j: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let i = &j["investigations"][0];
    assert_eq!(i["unit"], "0088::SB1");
    assert_eq!(i["investigated"], true);
    assert_eq!(i["corrected"], false);
    assert_eq!(i["reasons"][0], "onderzocht vanwege andere fout");
    let _ = std::fs::remove_dir_all(&dir);
}
