//! End-to-end tests of `stembus verify`, `stembus convert` and `stembus result` on the
//! Kiesraad's files. Without the shared data set they say so and pass, except in CI.

use std::path::PathBuf;
use std::process::{Command, Output};

use serde_json::Value;

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

fn stembus(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stembus"))
        .args(args)
        .output()
        .expect("run stembus")
}

/// Runs `stembus` with `args` and asserts that it succeeded, showing its standard error if not.
fn stembus_ok(args: &[&std::ffi::OsStr]) -> Output {
    let out = stembus(args);
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

fn tmp(name: &str) -> PathBuf {
    std::env::temp_dir().join(format!("stembus-cli-{}-{name}", std::process::id()))
}

#[test]
fn verify_tk2021_zip_json() {
    let Some(d) = shared_data("TK2021") else {
        return;
    };
    let zip = d.join("TK2021/EML_bestanden_TK2021_deel_1.zip");
    let out = stembus_ok(&[os("verify"), zip.as_os_str(), os("--json")]);
    let j: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(j["election"], "TK2021");
    assert_eq!(j["matches"], true);
    let lists = j["lists"].as_array().expect("lists");
    let with_seats = lists
        .iter()
        .filter(|l| l["official_seats"].as_u64().unwrap_or(0) > 0)
        .count();
    assert_eq!(with_seats, 17);
    assert!(
        lists
            .iter()
            .all(|l| l["official_seats"] == l["computed_seats"])
    );
    assert_eq!(j["candidates"]["official"], 150);
    assert_eq!(j["candidates"]["computed"], 150);
    assert_eq!(j["candidates"]["matched"], 150);
    assert_eq!(j["candidates"]["computed_by_preference"], 43);
    assert_eq!(j["mismatches"].as_array().map(Vec::len), Some(0));
    let warnings = j["warnings"].as_array().expect("warnings");
    assert!(warnings.iter().any(|w| {
        w["code"] == "W-KIESGERECHTIGDEN-NUL"
            && w["file"]
                .as_str()
                .is_some_and(|f| f.contains("Telling_TK2021_kieskring_Haarlem"))
            && w["message"]
                .as_str()
                .is_some_and(|m| m.contains("kiesgerechtigden"))
    }));
}

#[test]
fn verify_tk2021_directory_human_report() {
    let Some(d) = shared_data("TK2021") else {
        return;
    };
    let out = stembus(&[os("verify"), d.join("TK2021/eml").as_os_str()]);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8_lossy(&out.stdout);
    let first: Vec<&str> = text.lines().take(5).collect();
    assert!(first[1].starts_with("OK"), "{first:?}");
    assert!(text.contains("overeenkomend 150"));
    assert!(text.contains("W-KIESGERECHTIGDEN-NUL"));
}

#[test]
fn verify_tk2025_csv_bundle() {
    let Some(d) = shared_data("TK2021") else {
        return;
    };
    let out = stembus(&[
        os("verify"),
        d.join("TK2025/TK2025_CSV.zip").as_os_str(),
        os("--json"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    let j: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    assert_eq!(j["matches"], true);
    assert_eq!(j["candidates"]["matched"], 150);
}

#[test]
fn verify_gr2022_zip_table_and_json() {
    let Some(d) = shared_data("TK2021") else {
        return;
    };
    let zip = d.join("GR2022/GR2022_shared.zip");
    let out = stembus(&[os("verify"), zip.as_os_str()]);
    // Three 520s are damaged: input could not be read completely.
    assert_eq!(out.status.code(), Some(2));
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.starts_with("Verificatie van 182 verkiezingen: 178 ok, 1 met loting"),
        "{}",
        &text[..200]
    );
    let row = |name: &str| {
        text.lines()
            .find(|l| l.starts_with(name))
            .unwrap_or_default()
            .to_string()
    };
    assert!(row("Gemeenteraad Beekdaelen 2022").contains("loting"));
    assert!(row("Gemeenteraad Bloemendaal 2022").contains("beschadigd"));
    assert!(text.contains("Bloemendaal/Resultaat_GR2022_Bloemendaal.eml.xml"));
    let out = stembus(&[
        os("verify"),
        zip.as_os_str(),
        os("--json"),
        os("--lang"),
        os("en"),
    ]);
    let j: Value = serde_json::from_slice(&out.stdout).expect("JSON");
    let elections = j["elections"].as_array().expect("elections");
    assert_eq!(elections.len(), 182);
    let westerwolde = elections
        .iter()
        .find(|e| e["election"] == "GR2022_Westerwolde")
        .expect("Westerwolde");
    assert_eq!(westerwolde["status"], "damaged");
    assert!(
        westerwolde["errors"][0]["file"]
            .as_str()
            .is_some_and(|f| f.ends_with("Resultaat_GR2022_Westerwolde.eml.xml"))
    );
}

#[test]
fn verify_english_and_unreadable_input() {
    let Some(d) = shared_data("TK2021") else {
        return;
    };
    let out = stembus(&[
        os("verify"),
        d.join("GR2026_Schiermonnikoog").as_os_str(),
        os("--lang"),
        os("en"),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&out.stdout).contains("OK: the recomputed result equals"));
    let out = stembus(&[os("verify"), os("/nonexistent/stembus/path.zip")]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stdout).contains("/nonexistent/stembus/path.zip"));
}

#[test]
fn convert_reproduces_the_eml2csv_oracles() {
    let Some(d) = shared_data("TK2021") else {
        return;
    };
    let o = d.join("eml2csv-oracles");
    for (count, lists, oracle) in [
        (
            "Telling_GR2022_WestMaasenWaal.eml.xml",
            "Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml",
            "osv4-3_telling_gr2022_westmaasenwaal.csv",
        ),
        (
            "Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml",
            "Kandidatenlijsten_TK2025_Nijmegen.eml.xml",
            "osv4-3_telling_tk2025_gemeente_westmaasenwaal.csv",
        ),
        // The 2026 count format, which leaves counts out (eml2csv of 2026).
        (
            "../GR2026_Schiermonnikoog/Telling_GR2026_Schiermonnikoog.eml.xml",
            "../GR2026_Schiermonnikoog/Kandidatenlijsten_GR2026_Schiermonnikoog.eml.xml",
            "osv4-3_telling_gr2026_schiermonnikoog.csv",
        ),
    ] {
        let out_file = tmp(oracle);
        stembus_ok(&[
            os("convert"),
            os("--to"),
            os("osv4-3"),
            o.join(count).as_os_str(),
            o.join(lists).as_os_str(),
            os("-o"),
            out_file.as_os_str(),
        ]);
        let ours = std::fs::read(&out_file).expect("written");
        let _ = std::fs::remove_file(&out_file);
        assert!(
            ours == std::fs::read(o.join(oracle)).expect("oracle"),
            "{oracle} differs"
        );
        // Standard output, files in the other order.
        let out = stembus(&[
            os("convert"),
            os("--to"),
            os("osv4-3"),
            o.join(lists).as_os_str(),
            o.join(count).as_os_str(),
        ]);
        assert_eq!(out.stdout, ours);
    }
    let out = stembus(&[
        os("convert"),
        os("--to"),
        os("csv"),
        o.join("Telling_GR2022_WestMaasenWaal.eml.xml").as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(0));
    assert!(out.stdout.starts_with(b"level,unit_id"));
    // A reader that has gone (`stembus convert … | head -c 1`) is no error.
    let mut child = Command::new(env!("CARGO_BIN_EXE_stembus"))
        .args([os("convert"), os("--to"), os("csv")])
        .arg(o.join("Telling_GR2022_WestMaasenWaal.eml.xml"))
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .expect("run stembus");
    drop(child.stdout.take());
    let out = child.wait_with_output().expect("stembus ends");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = stembus(&[
        os("convert"),
        os("--to"),
        os("json"),
        os("/nonexistent.xml"),
    ]);
    assert_eq!(out.status.code(), Some(2));
}

fn xmllint() -> bool {
    let ok = Command::new("xmllint").arg("--version").output().is_ok();
    if !ok {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "xmllint is missing (apt-get install libxml2-utils)"
        );
        eprintln!("xmllint not found: schema validation skipped (apt-get install libxml2-utils)");
    }
    ok
}

#[test]
fn result_writes_a_valid_520() {
    let Some(d) = shared_data("TK2021") else {
        return;
    };
    let xsd = d.join("schemas/xsd/520-result-kiesraad-strict.xsd");
    for (name, input) in [
        ("gr2026", d.join("GR2026_Schiermonnikoog")),
        ("tk2021", d.join("TK2021/EML_bestanden_TK2021_deel_1.zip")),
    ] {
        let out_file = tmp(&format!("{name}.eml.xml"));
        stembus_ok(&[
            os("result"),
            input.as_os_str(),
            os("-o"),
            out_file.as_os_str(),
        ]);
        let written = std::fs::read(&out_file).expect("written");
        let ours = eml::parse_result(&written).expect("our 520 reads");
        if name == "gr2026" {
            let official = eml::parse_result(
                &std::fs::read(input.join("Resultaat_GR2026_Schiermonnikoog.eml.xml"))
                    .expect("official"),
            )
            .expect("official reads");
            assert_eq!(ours.election, official.election);
            assert_eq!(ours.contests, official.contests);
        } else {
            assert_eq!(ours.elected_candidates().count(), 150);
        }
        if xmllint() {
            let v = Command::new("xmllint")
                .arg("--noout")
                .arg("--schema")
                .arg(&xsd)
                .arg(&out_file)
                .output()
                .expect("xmllint");
            assert!(v.status.success(), "{}", String::from_utf8_lossy(&v.stderr));
        }
        let _ = std::fs::remove_file(&out_file);
    }
}
