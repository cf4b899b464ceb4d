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

/// Elections stored so far (0 while the database or its tables do not exist yet).
fn stored(db: &Path) -> i64 {
    Connection::open_with_flags(db, webkit::rusqlite::OpenFlags::SQLITE_OPEN_READ_ONLY)
        .and_then(|c| {
            c.query_row(
                "SELECT count(*) FROM web_elections WHERE source = 'import'",
                [],
                |r| r.get(0),
            )
        })
        .unwrap_or(0)
}

#[test]
fn killing_an_import_leaves_only_complete_elections() {
    let Some(gr) = data("GR2022/GR2022_shared.zip") else {
        return;
    };
    let dir = tmp("kill");
    let db = dir.join("stembus.sqlite");
    // Kill the process (SIGKILL) while it is storing: as soon as the database holds at least
    // `at` elections of this run. Each run adds to the same database (re-imports are new
    // versions), so the thresholds grow.
    let mut mid_import = 0;
    for at in [1, 60, 150] {
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
        let start = Instant::now();
        let mut killed_running = false;
        while start.elapsed().as_secs() < 300 {
            if child.try_wait().unwrap().is_some() {
                break;
            }
            if db.exists() && stored(&db) >= at {
                killed_running = child.try_wait().unwrap().is_none();
                child.kill().unwrap();
                break;
            }
            std::thread::sleep(std::time::Duration::from_millis(20));
        }
        let _ = child.kill();
        child.wait().unwrap();
        let n = assert_complete(&db);
        eprintln!("killed at {at}+ stored (running: {killed_running}): {n} elections, all whole");
        if killed_running && n < 179 {
            mid_import += 1;
        }
    }
    assert!(
        mid_import > 0,
        "at least one kill landed in the middle of an import"
    );
    // A whole run afterwards completes the database: 179 elections, each whole.
    let (code, _, err) = import(&dir, &[&gr]);
    assert_eq!(code, 2, "{err}");
    assert_eq!(assert_complete(&db), 179);
    let _ = std::fs::remove_dir_all(&dir);
}
