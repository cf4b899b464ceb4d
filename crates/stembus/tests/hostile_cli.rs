//! The command line under hostile files (issue 14, "Readers and command line"). Each attack
//! once ended in a panic (exit 101), in "OK" with exit 0 for a damaged file, or in a terminal
//! taken over by a file name. Now: no panic, an `E-BESTAND-ONLEESBAAR` and exit 2 from
//! `verify` and `import` alike, and names shown escaped.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};
use std::time::{Duration, Instant};

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

const SCHIER: &str = "GR2026_Schiermonnikoog";

fn stembus(args: &[&std::ffi::OsStr]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_stembus"))
        .args(args)
        .output()
        .expect("run stembus")
}

/// Runs stembus, killing it after `limit` (a FIFO used to block it for ever).
fn stembus_within(args: &[&std::ffi::OsStr], limit: Duration) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stembus"))
        .args(args)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run stembus");
    let start = Instant::now();
    while child.try_wait().expect("wait").is_none() {
        if start.elapsed() > limit {
            let _ = child.kill();
            let _ = child.wait();
            panic!("stembus {args:?} still running after {limit:?}");
        }
        std::thread::sleep(Duration::from_millis(20));
    }
    child.wait_with_output().expect("output")
}

fn os(s: &str) -> &std::ffi::OsStr {
    std::ffi::OsStr::new(s)
}

fn text(o: &Output) -> String {
    format!(
        "{}{}",
        String::from_utf8_lossy(&o.stdout),
        String::from_utf8_lossy(&o.stderr)
    )
}

/// A fresh folder; unique per call, as the tests run in parallel.
fn tmp(name: &str) -> PathBuf {
    static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
    let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
    let d = std::env::temp_dir().join(format!("stembus-hostile-{}-{n}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&d);
    std::fs::create_dir_all(&d).expect("temp dir");
    d
}

/// A copy of the Schiermonnikoog set with `edit` applied to the files whose name starts
/// with `prefix`.
fn schier_with(data: &Path, name: &str, prefix: &str, edit: impl Fn(&str) -> String) -> PathBuf {
    let dir = tmp(name);
    for f in std::fs::read_dir(data.join(SCHIER)).expect("data") {
        let f = f.expect("entry").path();
        let file = f.file_name().expect("name").to_string_lossy().into_owned();
        let t = std::fs::read_to_string(&f).expect("read");
        let t = if file.starts_with(prefix) {
            edit(&t)
        } else {
            t
        };
        std::fs::write(dir.join(&file), t).expect("write");
    }
    dir
}

/// `verify` and `import` of `dir` both exit 2, name the damaged file and do not panic.
fn both_refuse(dir: &Path, damaged: &str) {
    let v = stembus(&[os("verify"), dir.as_os_str()]);
    assert_eq!(
        v.status.code(),
        Some(2),
        "verify {}:\n{}",
        dir.display(),
        text(&v)
    );
    let out = text(&v);
    assert!(out.contains("E-BESTAND-ONLEESBAAR"), "{out}");
    assert!(out.contains(damaged), "{out}");
    let db = tmp("db");
    let i = stembus(&[os("import"), dir.as_os_str(), os("--data"), db.as_os_str()]);
    assert_eq!(
        i.status.code(),
        Some(2),
        "import {}:\n{}",
        dir.display(),
        text(&i)
    );
    let _ = std::fs::remove_dir_all(&db);
}

#[test]
fn damaged_counts_are_unreadable_not_ok() {
    let Some(data) = shared_data(SCHIER) else {
        return;
    };
    // The 510d still carries the totals, so the result used to recompute and say "OK".
    for (name, value) in [
        ("negatief", "-242"),
        ("te-groot", "100000000000000000000"),
        ("leeg", ""),
        ("decimaal", "24.2"),
    ] {
        let dir = schier_with(&data, name, "Telling_", |t| {
            t.replacen(
                "<ValidVotes>242</ValidVotes>",
                &format!("<ValidVotes>{value}</ValidVotes>"),
                1,
            )
        });
        both_refuse(&dir, "Telling_GR2026_Schiermonnikoog.eml.xml");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn a_definition_for_zero_or_1e20_seats_is_unreadable() {
    let Some(data) = shared_data(SCHIER) else {
        return;
    };
    for (name, seats) in [("nul", "0"), ("te-veel", "100000000000000000000")] {
        let dir = schier_with(&data, name, "Verkiezingsdefinitie_", |t| {
            t.replacen("NumberOfSeats>9<", &format!("NumberOfSeats>{seats}<"), 1)
        });
        both_refuse(&dir, "Verkiezingsdefinitie_GR2026_Schiermonnikoog.eml.xml");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn counts_at_u64_max_do_not_panic_import() {
    let Some(data) = shared_data(SCHIER) else {
        return;
    };
    // Two candidate counts of u64::MAX: their sum overflowed in `stembus import`.
    let dir = schier_with(&data, "u64max", "Telling_", |t| {
        t.replacen(
            "<ValidVotes>106</ValidVotes>",
            "<ValidVotes>18446744073709551615</ValidVotes>",
            1,
        )
        .replacen(
            "<ValidVotes>10</ValidVotes>",
            "<ValidVotes>18446744073709551615</ValidVotes>",
            1,
        )
    });
    let v = stembus(&[os("verify"), dir.as_os_str()]);
    assert_eq!(v.status.code(), Some(2), "{}", text(&v));
    let db = tmp("db-u64");
    let i = stembus(&[os("import"), dir.as_os_str(), os("--data"), db.as_os_str()]);
    assert_eq!(i.status.code(), v.status.code(), "{}", text(&i));
    let _ = std::fs::remove_dir_all(&db);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn seats_at_u32_max_in_the_uitslag_csv_do_not_panic() {
    let Some(data) = shared_data("TK2025/TK2025_uitslag.csv") else {
        return;
    };
    let csv = std::fs::read_to_string(data.join("TK2025/TK2025_uitslag.csv")).expect("read");
    let dir = tmp("zetels");
    std::fs::write(
        dir.join("TK2025_uitslag.csv"),
        csv.replacen(
            ";BBB;;;;;;;;LijstAantalZetels;4\n",
            ";BBB;;;;;;;;LijstAantalZetels;4294967295\n",
            1,
        ),
    )
    .expect("write");
    let v = stembus(&[os("verify"), dir.as_os_str()]);
    assert_ne!(v.status.code(), Some(101), "{}", text(&v));
    assert_ne!(v.status.code(), Some(0), "{}", text(&v));
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn gr2022_import_exits_like_verify() {
    let Some(data) = shared_data("GR2022/GR2022_shared.zip") else {
        return;
    };
    let zip = data.join("GR2022/GR2022_shared.zip");
    let v = stembus(&[os("verify"), zip.as_os_str()]);
    // Three 520s in the bundle are damaged.
    assert_eq!(v.status.code(), Some(2));
    let db = tmp("db-gr2022");
    let i = stembus(&[os("import"), zip.as_os_str(), os("--data"), db.as_os_str()]);
    assert_eq!(i.status.code(), v.status.code(), "{}", text(&i));
    let _ = std::fs::remove_dir_all(&db);
}

#[test]
fn convert_refuses_lists_of_another_election() {
    let Some(data) = shared_data("definitions/Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml")
    else {
        return;
    };
    let count = data
        .join(SCHIER)
        .join("Telling_GR2026_Schiermonnikoog.eml.xml");
    let lists = data.join("definitions/Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml");
    let out = stembus(&[
        os("convert"),
        os("--to"),
        os("osv4-3"),
        count.as_os_str(),
        lists.as_os_str(),
    ]);
    assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    assert!(out.stdout.is_empty());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("GR2022_WestMaasenWaal") && err.contains("GR2026_Schiermonnikoog"),
        "{err}"
    );
    // The right lists still convert.
    let own = data
        .join(SCHIER)
        .join("Kandidatenlijsten_GR2026_Schiermonnikoog.eml.xml");
    let ok = stembus(&[
        os("convert"),
        os("--to"),
        os("osv4-3"),
        count.as_os_str(),
        own.as_os_str(),
    ]);
    assert_eq!(ok.status.code(), Some(0), "{}", text(&ok));
}

#[test]
fn a_nul_in_a_party_name_never_reaches_the_osv4_3_output() {
    let Some(data) = shared_data(SCHIER) else {
        return;
    };
    for (name, party) in [("nul", "Ons\0Belang"), ("nul-ref", "Ons&#0;Belang")] {
        let dir = schier_with(&data, name, "Kandidatenlijsten_", |t| {
            t.replace(
                "<RegisteredName>Ons Belang</RegisteredName>",
                &format!("<RegisteredName>{party}</RegisteredName>"),
            )
        });
        let out = stembus(&[
            os("convert"),
            os("--to"),
            os("osv4-3"),
            dir.join("Telling_GR2026_Schiermonnikoog.eml.xml")
                .as_os_str(),
            dir.join("Kandidatenlijsten_GR2026_Schiermonnikoog.eml.xml")
                .as_os_str(),
        ]);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert!(!out.stdout.contains(&0), "NUL copied into the output");
        let _ = std::fs::remove_dir_all(&dir);
    }
}

#[test]
fn zip_entries_that_are_damaged_encrypted_or_named_to_fool_the_terminal() {
    let Some(data) = shared_data(SCHIER) else {
        return;
    };
    let files: Vec<(String, Vec<u8>)> = std::fs::read_dir(data.join(SCHIER))
        .expect("data")
        .map(|f| {
            let p = f.expect("entry").path();
            let name = p.file_name().expect("name").to_string_lossy().into_owned();
            (
                format!("Schiermonnikoog/{name}"),
                std::fs::read(&p).expect("read"),
            )
        })
        .collect();
    let dir = tmp("zips");
    // A bit flipped in the stored 510b: the CRC-32 no longer matches.
    let mut z = make_zip(&files, zip::CompressionMethod::Stored);
    let at = find(&z, b"<ValidVotes>242<").expect("count in the zip") + 13;
    z[at] ^= 0x01;
    let flipped = dir.join("bitfout.zip");
    std::fs::write(&flipped, &z).expect("write");
    both_refuse(&flipped, "Telling_GR2026_Schiermonnikoog.eml.xml");
    // The 510b marked as encrypted (general-purpose flag bit 0, local and central header).
    let mut z = make_zip(&files, zip::CompressionMethod::Deflated);
    let name = b"Schiermonnikoog/Telling_GR2026_Schiermonnikoog.eml.xml";
    for (sig, flags, name_at) in [(&b"PK\x03\x04"[..], 6, 30), (&b"PK\x01\x02"[..], 8, 46)] {
        let mut from = 0;
        while let Some(i) = find(&z[from..], sig).map(|i| i + from) {
            if z.get(i + name_at..i + name_at + name.len()) == Some(&name[..]) {
                z[i + flags] |= 1;
            }
            from = i + 4;
        }
    }
    let encrypted = dir.join("versleuteld.zip");
    std::fs::write(&encrypted, &z).expect("write");
    both_refuse(&encrypted, "Telling_GR2026_Schiermonnikoog.eml.xml");
    // An entry name that clears the screen and prints a fake verdict.
    let mut evil = files.clone();
    evil.push((
        "Schiermonnikoog/\u{1b}[2J\u{1b}[H\rOK: alles klopt\u{1b}[8m.eml.xml".into(),
        b"<EML><kapot".to_vec(),
    ));
    let zip_path = dir.join("naam.zip");
    std::fs::write(&zip_path, make_zip(&evil, zip::CompressionMethod::Deflated)).expect("w");
    for json in [false, true] {
        let mut args = vec![os("verify"), zip_path.as_os_str()];
        if json {
            args.push(os("--json"));
        }
        let out = stembus(&args);
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        let shown = text(&out);
        assert!(
            !shown.contains('\u{1b}') && !shown.contains('\r'),
            "a control character reached the terminal: {shown:?}"
        );
        assert!(shown.contains("[2J"), "the entry is still named: {shown}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

#[cfg(unix)]
#[test]
fn special_files_are_refused_at_once() {
    // `verify /dev/zero` grew without limit; a FIFO blocked for ever.
    let dir = tmp("fifo");
    let fifo = dir.join("Telling.eml.xml");
    let made = Command::new("mkfifo").arg(&fifo).status();
    let mut paths = vec![PathBuf::from("/dev/zero")];
    if made.is_ok_and(|s| s.success()) {
        paths.push(fifo);
    }
    for p in &paths {
        let out = stembus_within(&[os("verify"), p.as_os_str()], Duration::from_secs(30));
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
        assert!(text(&out).contains("geen gewoon bestand"), "{}", text(&out));
        let out = stembus_within(
            &[os("convert"), os("--to"), os("json"), p.as_os_str()],
            Duration::from_secs(30),
        );
        assert_eq!(out.status.code(), Some(2), "{}", text(&out));
    }
    let _ = std::fs::remove_dir_all(&dir);
}

fn find(hay: &[u8], needle: &[u8]) -> Option<usize> {
    hay.windows(needle.len()).position(|w| w == needle)
}

fn make_zip(entries: &[(String, Vec<u8>)], method: zip::CompressionMethod) -> Vec<u8> {
    use std::io::Write as _;
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, data) in entries {
            w.start_file(name.as_str(), opts).expect("entry");
            w.write_all(data).expect("write");
        }
        w.finish().expect("finish");
    }
    buf.into_inner()
}
