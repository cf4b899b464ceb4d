//! A list handed in without an aanduiding has an empty `RegisteredName` in the 230b, the
//! 510 and the 520 (the Kiesraad's own eml2csv crashes on it). Every reader takes it, and the
//! OSV4-3 writer leaves the Aanduiding cell empty, as the files do; its reader reads it back.

use eml::{Document, osv4_3, parse_document};

#[path = "support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

fn nameless(file: &str) -> Option<String> {
    let dir = shared_data("GR2026_Schiermonnikoog")?.join("GR2026_Schiermonnikoog");
    let text = std::fs::read_to_string(dir.join(file)).unwrap();
    assert!(text.contains("<RegisteredName>SAMEN</RegisteredName>"));
    Some(text.replace(
        "<RegisteredName>SAMEN</RegisteredName>",
        "<RegisteredName></RegisteredName>",
    ))
}

#[test]
fn every_reader_takes_a_list_without_a_name() {
    let (Some(lists), Some(count), Some(total), Some(result)) = (
        nameless("Kandidatenlijsten_GR2026_Schiermonnikoog.eml.xml"),
        nameless("Telling_GR2026_Schiermonnikoog.eml.xml"),
        nameless("Totaaltelling_GR2026_Schiermonnikoog.eml.xml"),
        nameless("Resultaat_GR2026_Schiermonnikoog.eml.xml"),
    ) else {
        return;
    };
    let Ok(Document::CandidateLists(l)) = parse_document(lists.as_bytes()) else {
        panic!("230b");
    };
    let list2 = l.contests[0].list(2).expect("list 2");
    assert!(list2.name.as_deref().unwrap_or_default().is_empty());
    assert_eq!(list2.candidates.len(), 10);
    let Ok(Document::Count(c)) = parse_document(count.as_bytes()) else {
        panic!("510b");
    };
    let lv = c.contests[0]
        .total
        .as_ref()
        .unwrap()
        .list(2)
        .expect("list 2");
    assert!(lv.name.is_empty());
    assert_eq!(lv.valid_votes, 198);
    assert!(matches!(
        parse_document(total.as_bytes()),
        Ok(Document::Count(_))
    ));
    let Ok(Document::Result(r)) = parse_document(result.as_bytes()) else {
        panic!("520");
    };
    assert!(
        r.contests[0]
            .lists
            .iter()
            .any(|x| x.id == 2 && x.name.as_deref().unwrap_or_default().is_empty())
    );
    // OSV4-3: the Aanduiding cell stays empty, and the table reads back.
    let out = osv4_3::write(&c, &l);
    let text = String::from_utf8(out.clone()).unwrap();
    assert!(text.contains("\n\"2\";;;;\"198\";\"198\"\n"), "{text}");
    let t = eml::parse_osv4_3_csv(&out).expect("reads back");
    let back = t.lists.iter().find(|x| x.number == 2).expect("list 2");
    assert!(back.name.is_empty());
    assert_eq!(back.candidates.len(), 10);
}
