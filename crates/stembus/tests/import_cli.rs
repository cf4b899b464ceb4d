//! `stembus import`: a table per election (imported with which status and version, or not
//! and why), exit 2 when any election could not be imported, and each election stored whole
//! or not at all — tested by killing the process mid-import.

use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::time::Instant;

use webkit::rusqlite::Connection;

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

fn tmp(name: &str) -> PathBuf {
    let d = std::env::temp_dir().join(format!("stembus-import-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    d
}

fn data(rel: &str) -> Option<PathBuf> {
    shared_data(rel).map(|d| d.join(rel))
}

fn import(data_dir: &Path, paths: &[&Path]) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_stembus"))
        .arg("import")
        .args(paths)
        .arg("--data")
        .arg(data_dir)
        .env_remove("STEMBUS_DATA")
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn import_prints_a_table_and_exits_2_when_an_election_is_not_imported() {
    let (Some(gr), Some(tk)) = (
        data("GR2022/GR2022_shared.zip"),
        data("TK2021/EML_bestanden_TK2021_deel_1.zip"),
    ) else {
        return;
    };
    let dir = tmp("table");
    let (code, out, err) = import(&dir, &[&tk]);
    assert_eq!(code, 0, "{out}\n{err}");
    assert!(out.contains("(tk2021)"), "{out}");
    assert!(out.contains("ja, versie 1"), "{out}");
    assert!(out.contains("gelijk aan de officiële uitslag"), "{out}");
    let (code, out, _) = import(&dir, &[&tk]);
    assert_eq!(code, 0);
    assert!(out.contains("ja, versie 2"), "{out}");
    assert!(
        out.contains("Niets veranderd ten opzichte van versie 1"),
        "{out}"
    );

    let (code, out, err) = import(&dir, &[&gr]);
    assert_eq!(code, 2, "three gemeenten were not imported: {err}");
    for g in ["Bloemendaal", "DeWolden", "Westerwolde"] {
        let row = out
            .lines()
            .find(|l| l.contains(&format!("(GR2022_{g})")))
            .unwrap_or_else(|| panic!("{g} has a row:\n{out}"));
        assert!(row.contains("NEE"), "{row}");
        assert!(
            row.contains("Onleesbaar: ") && row.contains("Resultaat_GR2022_"),
            "{row}"
        );
    }
    let debilt = out.lines().find(|l| l.contains("(gr2022-debilt)")).unwrap();
    assert!(
        debilt.contains("maar met fouten in de tellingen"),
        "{debilt}"
    );
    assert!(debilt.contains("198 fouten"), "{debilt}");
    let _ = std::fs::remove_dir_all(&dir);
}

/// Every election in the database is whole: its units and counts, its report and its version.
fn assert_complete(db: &Path) -> i64 {
    let c = Connection::open(db).unwrap();
    let bad: i64 = c
        .query_row(
            "SELECT count(*) FROM web_elections e WHERE e.source = 'import' AND (
                NOT EXISTS (SELECT 1 FROM web_verifications v WHERE v.election_id = e.id)
             OR NOT EXISTS (SELECT 1 FROM web_units u WHERE u.election_id = e.id)
             OR NOT EXISTS (SELECT 1 FROM web_counts n WHERE n.election_id = e.id)
             OR NOT EXISTS (SELECT 1 FROM web_versions w WHERE w.election_id = e.id)
             OR (SELECT v.status FROM web_verifications v WHERE v.election_id = e.id)
                 <> (SELECT w.status FROM web_versions w WHERE w.election_id = e.id
                     ORDER BY w.version DESC LIMIT 1))",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(bad, 0, "elections stored in part");
    let orphans: i64 = c
        .query_row(
            "SELECT count(*) FROM web_verifications v
             WHERE NOT EXISTS (SELECT 1 FROM web_elections e WHERE e.id = v.election_id)",
            [],
            |r| r.get(0),
        )
        .unwrap();
    assert_eq!(orphans, 0, "reports without their election");
    c.query_row(
        "SELECT count(*) FROM web_elections WHERE source = 'import'",
        [],
        |r| r.get(0),
    )
    .unwrap()
}

#[test]
fn killing_an_import_leaves_only_complete_elections() {
    let Some(gr) = data("GR2022/GR2022_shared.zip") else {
        return;
    };
    let dir = tmp("kill");
    let db = dir.join("stembus.sqlite");
    // Find how long a whole import takes here, then kill at points spread over it.
    let start = Instant::now();
    let (code, _, err) = import(&dir, &[&gr]);
    assert_eq!(code, 2, "{err}");
    let whole = start.elapsed();
    let total = assert_complete(&db);
    assert_eq!(total, 179);
    let _ = std::fs::remove_dir_all(&dir);
    let mut mid_import = 0;
    for step in 1..=4u32 {
        let at = whole * step / 5;
        let mut child = Command::new(env!("CARGO_BIN_EXE_stembus"))
            .arg("import")
            .arg(&gr)
            .arg("--data")
            .arg(&dir)
            .env_remove("STEMBUS_DATA")
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .spawn()
            .unwrap();
        std::thread::sleep(at);
        let still_running = child.try_wait().unwrap().is_none();
        child.kill().unwrap();
        child.wait().unwrap();
        if !db.exists() {
            continue;
        }
        let n = assert_complete(&db);
        eprintln!("killed after {at:?} (running: {still_running}): {n} elections stored");
        if still_running && n > 0 && n < total {
            mid_import += 1;
        }
    }
    // The loop re-imports into the same database: killed runs leave versions behind that
    // the next run builds on; still every election is whole.
    assert!(
        mid_import > 0,
        "at least one kill landed in the middle of an import"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
