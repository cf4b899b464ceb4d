//! End-to-end tests of `stembus apportion`: the exit codes and the JSON fields other tools
//! depend on.

use std::io::Write;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

fn apportion(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_stembus"))
        .arg("apportion")
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run stembus");
    if let Some(text) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(text.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

/// A GR election with one candidate per party carrying all its votes (and 9 more candidates).
fn gr(seats: u32, votes: &[u64], lots: &str) -> String {
    gr_sized(seats, votes, &vec![10; votes.len()], lots)
}

/// As [`gr`], with `sizes[i]` candidates on list i + 1.
fn gr_sized(seats: u32, votes: &[u64], sizes: &[u32], lots: &str) -> String {
    let lists: Vec<String> = votes
        .iter()
        .zip(sizes)
        .zip(1..)
        .map(|((v, &size), n)| {
            let candidates: Vec<String> = (1..=size)
                .map(|p| {
                    format!(
                        r#"{{"position": {p}, "name": "K{n}.{p}", "votes": {}}}"#,
                        if p == 1 { *v } else { 0 }
                    )
                })
                .collect();
            format!(
                r#"{{"number": {n}, "name": "Lijst {n}", "candidates": [{}]}}"#,
                candidates.join(",")
            )
        })
        .collect();
    format!(
        r#"{{"body": "GR", "seats": {seats}, "lists": [{}], "lots": [{lots}]}}"#,
        lists.join(",")
    )
}

fn json(out: &Output) -> Value {
    serde_json::from_slice(&out.stdout).expect("stdout is JSON")
}

#[test]
fn the_bundled_example_prints_a_dutch_report() {
    let out = apportion(&[], None);
    assert_eq!(out.status.code(), Some(0));
    let text = String::from_utf8(out.stdout).unwrap();
    assert!(
        text.contains("Kiesdeler (art. P 5): 5.104 stemmen / 15 zetels"),
        "{text}"
    );
    assert!(
        text.contains("[art. P 9]"),
        "the example has an absolute majority: {text}"
    );
    assert!(text.contains("Marges"), "{text}");
}

/// The public P 9 example: S15 [2571, 977, 567, 536, 453] → [8, 3, 2, 1, 1].
#[test]
fn json_output_has_the_documented_fields() {
    let out = apportion(
        &["-", "--json"],
        Some(&gr(15, &[2571, 977, 567, 536, 453], "")),
    );
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v = json(&out);
    let seats: Vec<u64> = (1..=5)
        .map(|n| v["seats"][n.to_string()].as_u64().unwrap())
        .collect();
    assert_eq!(seats, [8, 3, 2, 1, 1]);
    assert_eq!(v["kiesdeler"], "5104/15");
    assert_eq!(v["lot_required"], Value::Null);
    assert_eq!(v["elected"].as_array().unwrap().len(), 15);
    assert_eq!(v["elected"][0]["by"], "preference");
    assert!(
        v["steps"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["article"] == "P 9")
    );
    assert!(v["margins"]["4"]["gain"].as_u64().unwrap() > 0);
    // Continued application (as P 10 would continue): list 4, whose restzetel lapsed under
    // P 9, competes again with its remainder 195.73 and comes first (the Kiesraad's reading).
    assert_eq!(v["next_seat"], 4);
    assert_eq!(v["warnings"], serde_json::json!([]));
}

/// Issue 15, Abacus's example: as above, but list 1 has only 7 candidates. P 9 gives list 1
/// an 8th seat, P 10 takes it back, and list 4 gets its restzetel back (the Kiesraad's
/// reading): [7, 3, 2, 2, 1], with a warning that names P 9 and P 10, in JSON and in text.
#[test]
fn p9_with_p10_gives_the_kiesraad_seats_and_warns() {
    let input = gr_sized(15, &[2571, 977, 567, 536, 453], &[7, 10, 10, 10, 10], "");
    let out = apportion(&["-", "--json", "--no-margins"], Some(&input));
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    let seats: Vec<u64> = (1..=5)
        .map(|n| v["seats"][n.to_string()].as_u64().unwrap())
        .collect();
    assert_eq!(seats, [7, 3, 2, 2, 1]);
    let warnings = v["warnings"].as_array().unwrap();
    assert_eq!(warnings.len(), 1);
    assert_eq!(warnings[0]["code"], "W-P9-EN-P10");
    let text = warnings[0]["text"].as_str().unwrap();
    assert!(
        text.contains("artikel P 9") && text.contains("artikel P 10"),
        "{text}"
    );
    assert!(
        text.contains("contact op te nemen met de Kiesraad"),
        "{text}"
    );

    let human = apportion(&["-", "--no-margins"], Some(&input));
    assert_eq!(human.status.code(), Some(0));
    let report = String::from_utf8_lossy(&human.stdout);
    assert!(report.contains("LET OP (W-P9-EN-P10): "), "{report}");
}

/// S15 [2552, 511, 511, 511, 509, 509]: the P 9 retraction needs a lot among lists 2, 3 and 4
/// (exit 3); with list 3 drawn the result is [8, 2, 1, 2, 1, 1] (exit 0).
#[test]
fn a_lot_stops_with_exit_3_and_is_replayed_when_recorded() {
    let votes = [2552, 511, 511, 511, 509, 509];
    let out = apportion(&["-", "--json"], Some(&gr(15, &votes, "")));
    assert_eq!(out.status.code(), Some(3));
    let v = json(&out);
    assert_eq!(v["lot_required"]["options"], serde_json::json!([2, 3, 4]));

    let human = apportion(&["-"], Some(&gr(15, &votes, "")));
    assert_eq!(human.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&human.stdout).contains("LOTING NODIG"));

    let out = apportion(&["-", "--json"], Some(&gr(15, &votes, "3")));
    assert_eq!(out.status.code(), Some(0));
    let v = json(&out);
    let seats: Vec<u64> = (1..=6)
        .map(|n| v["seats"][n.to_string()].as_u64().unwrap())
        .collect();
    assert_eq!(seats, [8, 2, 1, 2, 1, 1]);

    // A recorded lot outside the legal options is invalid input.
    let out = apportion(&["-"], Some(&gr(15, &votes, "5")));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("lots[0]"));
}

#[test]
fn invalid_input_exits_2_naming_the_field() {
    let out = apportion(&["-"], Some(r#"{"body": "GR", "seats": 0, "lists": []}"#));
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("seats"));

    let out = apportion(
        &["-"],
        Some(
            r#"{"body": "GR", "seats": 9, "lists": [{"number": 1, "candidates": [{"position": 1, "votes": "veel"}]}]}"#,
        ),
    );
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("lists[0].candidates[0].votes"), "{err}");

    let out = apportion(&["/nonexistent/verkiezing.json"], None);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("/nonexistent/verkiezing.json"));
}

#[test]
fn a_reader_that_stops_early_is_no_error() {
    // `stembus apportion --json | head -c 1`: the pipe is closed before stembus writes. The
    // rest of the output is dropped; the exit code is still the command's own, no panic.
    let mut child = Command::new(env!("CARGO_BIN_EXE_stembus"))
        .args(["apportion", "--json"])
        .stdin(Stdio::null())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run stembus");
    drop(child.stdout.take());
    let out = child.wait_with_output().unwrap();
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(out.status.code(), Some(0), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
}
