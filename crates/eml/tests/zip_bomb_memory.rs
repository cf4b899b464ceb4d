//! Peak memory while a zip bomb is refused (issue 14): a 0.5 MB zip that inflates to 500 MB
//! was unpacked completely before the ratio check (530 MB peak). The limits now hold while
//! inflating. One test in this binary, so that the process's high-water mark is its own.

use std::io::Write as _;

use eml::{ErrorKind, LoadOptions, SourceRef, load_bytes};

/// Peak resident memory of this process so far (Linux `VmHWM`), in bytes.
fn peak_rss() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    let kb: u64 = line.split_whitespace().nth(1)?.parse().ok()?;
    Some(kb * 1024)
}

#[test]
fn a_500_mb_zip_bomb_is_refused_while_inflating() {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated)
            .large_file(true);
        w.start_file("Telling_bom.eml.xml", opts).unwrap();
        let block = vec![b' '; 1 << 20];
        for _ in 0..500 {
            w.write_all(&block).unwrap();
        }
        w.finish().unwrap();
    }
    let zip = buf.into_inner();
    assert!(
        zip.len() < 1 << 20,
        "the bomb is small: {} bytes",
        zip.len()
    );
    let Some(before) = peak_rss() else {
        eprintln!("no /proc/self/status: peak memory not measured");
        return;
    };
    let b = load_bytes(&SourceRef::file("bom.zip"), &zip, &LoadOptions::default());
    assert!(b.documents.is_empty());
    assert!(
        matches!(&b.problems[0].error.kind, ErrorKind::TooLarge(m) if m.contains("ratio")),
        "{:?}",
        b.problems
    );
    let after = peak_rss().unwrap_or(0);
    eprintln!(
        "peak RSS before {} MB, after {} MB",
        before >> 20,
        after >> 20
    );
    assert!(
        after < 150 << 20,
        "peak resident memory {} MB while refusing a 500 MB bomb",
        after >> 20
    );
}
