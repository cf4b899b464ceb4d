//! End-to-end test of `stembus publish`: the demo site is written with its figures, a second
//! run renders nothing again, and wrong flags or a missing data folder exit 2.

use std::path::Path;
use std::process::{Command, Output};

fn stembus(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stembus"))
        .args(args)
        .env_remove("STEMBUS_DATA")
        .output()
        .expect("run stembus")
}

fn temp(name: &str) -> std::path::PathBuf {
    let dir =
        std::env::temp_dir().join(format!("stembus-publish-cli-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    dir
}

#[test]
fn publishes_the_demo_and_then_only_what_changed() {
    let data = temp("data");
    let site = temp("site");
    std::fs::create_dir_all(&data).unwrap();
    let (d, s) = (data.to_str().unwrap(), site.to_str().unwrap());
    let first = stembus(&[
        "publish",
        "--data",
        d,
        "--out",
        s,
        "--base-url",
        "https://uitslagen.example.nl",
    ]);
    let out = String::from_utf8_lossy(&first.stdout);
    let err = String::from_utf8_lossy(&first.stderr);
    assert_eq!(first.status.code(), Some(0), "{out}\n{err}");
    assert!(out.contains("2 verkiezingen, 2 opnieuw gemaakt"), "{out}");
    assert!(err.contains("[1/2]"), "progress: {err}");
    for f in [
        "index.html",
        "sitemap.xml",
        "publish-manifest.json",
        "api/elections.json",
    ] {
        assert!(Path::new(s).join(f).is_file(), "{f}");
    }
    let again = stembus(&[
        "publish",
        "--data",
        d,
        "--out",
        s,
        "--base-url",
        "https://uitslagen.example.nl",
        "--quiet",
    ]);
    let out = String::from_utf8_lossy(&again.stdout);
    assert_eq!(again.status.code(), Some(0));
    assert!(
        out.contains("0 opnieuw gemaakt") && out.contains("0 geschreven"),
        "{out}"
    );
    let _ = std::fs::remove_dir_all(&data);
    let _ = std::fs::remove_dir_all(&site);
}

#[test]
fn wrong_flags_and_missing_data_exit_2() {
    let site = temp("bad");
    let s = site.to_str().unwrap();
    let bad = stembus(&["publish", "--out", s, "--base-url", "uitslagen.example.nl"]);
    assert_eq!(bad.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&bad.stderr).contains("--base-url"));
    let missing = stembus(&["publish", "--data", "/bestaat/niet", "--out", s]);
    assert_eq!(missing.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&missing.stderr).contains("/bestaat/niet"));
    assert!(!site.exists(), "nothing written");
}
