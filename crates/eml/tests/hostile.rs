//! Hostile input for the readers (issue 14, "Readers and command line"): each attack here once
//! got through — quadratic attribute parsing, a 0-seat definition, control characters in
//! names, special files that block or never end.

use std::fmt::Write as _;
use std::time::{Duration, Instant};

use eml::{
    ErrorKind, LoadOptions, SourceRef, load_bytes, load_paths, parse_candidate_lists,
    parse_document, parse_election_definition, parse_osv4_3_csv, read_file,
};

const NS: &str = r#"xmlns="urn:oasis:names:tc:evs:schema:eml" xmlns:kr="http://www.kiesraad.nl/extensions" xmlns:xnl="urn:oasis:names:tc:ciq:xsdschema:xNL:2.0""#;

fn def_110a(seats: &str) -> String {
    format!(
        r#"<EML {NS} Id="110a" SchemaVersion="5"><TransactionId>1</TransactionId><ElectionEvent><EventIdentifier/><Election><ElectionIdentifier Id="GR2026_Testdorp"><ElectionName>Gemeenteraad Testdorp 2026</ElectionName><ElectionCategory>GR</ElectionCategory><kr:ElectionDate>2026-03-18</kr:ElectionDate></ElectionIdentifier><Contest><ContestIdentifier Id="geen"/></Contest><kr:NumberOfSeats>{seats}</kr:NumberOfSeats></Election></ElectionEvent></EML>"#
    )
}

fn lists_230b(party: &str) -> String {
    format!(
        r#"<EML {NS} Id="230b" SchemaVersion="5"><TransactionId>1</TransactionId><CandidateList><Election><ElectionIdentifier Id="GR2026_Testdorp"><ElectionCategory>GR</ElectionCategory><kr:ElectionDate>2026-03-18</kr:ElectionDate></ElectionIdentifier><Contest><ContestIdentifier Id="geen"/><Affiliation><AffiliationIdentifier Id="1"><RegisteredName>{party}</RegisteredName></AffiliationIdentifier><Type>op zichzelf staande lijst</Type><Candidate><CandidateIdentifier Id="1"/><CandidateFullName><xnl:PersonName><xnl:NameLine NameType="Initials">A.</xnl:NameLine><xnl:LastName>Jansen</xnl:LastName></xnl:PersonName></CandidateFullName></Candidate></Affiliation></Contest></Election></CandidateList></EML>"#
    )
}

/// A 230b whose `<CandidateIdentifier>` carries `n` extra attributes.
fn with_attributes(n: usize) -> String {
    let mut attrs = String::with_capacity(n * 12);
    for i in 0..n {
        let _ = write!(attrs, " a{i}=\"x\"");
    }
    lists_230b("Partij").replace(
        r#"<CandidateIdentifier Id="1"/>"#,
        &format!(r#"<CandidateIdentifier Id="1"{attrs}/>"#),
    )
}

fn fastest_parse(src: &str) -> Duration {
    (0..3)
        .map(|_| {
            let start = Instant::now();
            let r = parse_candidate_lists(src.as_bytes());
            assert!(r.is_ok(), "{:?}", r.err());
            start.elapsed()
        })
        .min()
        .unwrap_or_default()
}

#[test]
fn attributes_are_parsed_in_linear_time() {
    // Before: every attribute was compared with all earlier ones (25k/50k/100k attributes took
    // 0.53/4.3/14.7 s). Eight times the attributes must cost about eight times the time, not
    // sixty-four; the bound is loose because the machine is shared.
    let small = fastest_parse(&with_attributes(12_500));
    let large = fastest_parse(&with_attributes(100_000));
    assert!(
        large < small * 24 + Duration::from_millis(100),
        "12,500 attributes {small:?}, 100,000 attributes {large:?}"
    );
    assert!(large < Duration::from_secs(5), "{large:?}");
    // Duplicates are still found, early and late.
    for dup in [" a3=\"y\"", " a99999=\"y\""] {
        let src = with_attributes(100_000).replace(" a0=\"x\"", &format!(" a0=\"x\"{dup}"));
        let e = parse_candidate_lists(src.as_bytes()).unwrap_err();
        assert!(
            matches!(&e.kind, ErrorKind::MalformedXml(m) if m.contains("duplicate")),
            "{e}"
        );
    }
}

#[test]
fn a_definition_for_zero_or_too_many_seats_is_refused() {
    assert_eq!(
        parse_election_definition(def_110a("11").as_bytes())
            .unwrap()
            .number_of_seats,
        11
    );
    let e = parse_election_definition(def_110a("0").as_bytes()).unwrap_err();
    assert!(
        matches!(&e.kind, ErrorKind::InvalidValue { what, .. } if what == "NumberOfSeats"),
        "{e}"
    );
    assert!(e.position.is_some());
    let e = parse_election_definition(def_110a("100000000000000000000").as_bytes()).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::NumberOverflow(_)), "{e}");
}

#[test]
fn control_characters_in_names_are_refused() {
    for (name, code) in [
        ("Partij\u{1b}[2J\u{1b}[HOK", 0x1B),
        ("Partij\0", 0),
        ("Partij&#27;", 0x1B),
        ("Partij&#x0;", 0),
        ("Partij&#x9B;", 0x9B),
        ("Partij\u{9b}2J", 0x9B),
        ("Partij\u{7f}", 0x7F),
    ] {
        let e = parse_candidate_lists(lists_230b(name).as_bytes()).unwrap_err();
        assert_eq!(e.kind, ErrorKind::ControlCharacter(code), "{name:?}: {e}");
        assert!(e.position.is_some(), "{name:?}");
    }
    // Tabs and line breaks are whitespace, not control characters to refuse.
    assert!(parse_candidate_lists(lists_230b("Partij\t&#10;A").as_bytes()).is_ok());
    // CSV too: a NUL in a party name of an OSV4-3 table.
    let csv =
        "Lijstnummer;Aanduiding;Volgnummer;Naam kandidaat;Totaal\n1;Partij\0;1;Jansen, A.;10\n";
    let e = parse_osv4_3_csv(csv.as_bytes()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::ControlCharacter(0), "{e}");
}

#[test]
fn zip_entry_names_with_escape_sequences_are_shown_escaped() {
    use std::io::Write as _;
    let evil = "x\u{1b}[2J\u{1b}[1;1HOK: alles klopt\u{7}.eml.xml";
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        w.start_file(evil, zip::write::SimpleFileOptions::default())
            .unwrap();
        w.write_all(b"<EML><kapot").unwrap();
        w.finish().unwrap();
    }
    let b = load_bytes(
        &SourceRef::file("a\u{1b}]0;titel\u{7}.zip"),
        buf.get_ref(),
        &LoadOptions::default(),
    );
    assert_eq!(b.problems.len(), 1, "{:?}", b.problems);
    let p = &b.problems[0];
    for shown in [
        p.source.to_string(),
        p.to_string(),
        p.message_nl(),
        p.message_en(),
    ] {
        assert!(
            !shown.chars().any(char::is_control),
            "control character shown: {shown:?}"
        );
        assert!(shown.contains("\\u{1b}[2J"), "{shown}");
    }
}

#[cfg(unix)]
#[test]
fn special_files_are_refused_instead_of_read() {
    // /dev/zero never ends (it grew to 23 GB), a FIFO blocks for ever.
    let dir = std::env::temp_dir().join(format!("eml-hostile-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let fifo = dir.join("telling.eml.xml");
    let _ = std::fs::remove_file(&fifo);
    let made = std::process::Command::new("mkfifo").arg(&fifo).status();
    let mut paths = vec![std::path::PathBuf::from("/dev/zero")];
    if made.is_ok_and(|s| s.success()) {
        paths.push(fifo.clone());
    }
    let start = Instant::now();
    let b = load_paths(&paths);
    assert!(start.elapsed() < Duration::from_secs(10));
    assert_eq!(b.problems.len(), paths.len(), "{:?}", b.problems);
    for p in &b.problems {
        assert!(
            matches!(p.error.kind, ErrorKind::NotARegularFile(_)),
            "{p:?}"
        );
        assert!(
            p.message_nl().contains("geen gewoon bestand"),
            "{}",
            p.message_nl()
        );
    }
    assert!(read_file(std::path::Path::new("/dev/zero"), 1 << 20).is_err());
    // A regular file over the limit is refused, one under it read.
    let f = dir.join("groot.csv");
    std::fs::write(&f, vec![b'x'; 2048]).unwrap();
    assert!(matches!(
        read_file(&f, 1024).unwrap_err().kind,
        ErrorKind::TooLarge(_)
    ));
    assert_eq!(read_file(&f, 4096).unwrap().len(), 2048);
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn parse_document_refuses_control_characters_anywhere_in_the_text() {
    let src = def_110a("11").replace("Testdorp 2026", "Testdorp\u{1}2026");
    let e = parse_document(src.as_bytes()).unwrap_err();
    assert_eq!(e.kind, ErrorKind::ControlCharacter(1));
}
