//! The 2026 count format in the verification: investigated and corrected stembureaus
//! (`kr:ReportingUnitInvestigations`) per stembureau, and a list without a name.

use std::path::PathBuf;

use results::{Status, verify_paths};

#[path = "../../eml/tests/support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

/// The GR2026 Schiermonnikoog files with `edit` applied, in a fresh folder.
fn edited(name: &str, edit: impl Fn(String) -> String) -> Option<PathBuf> {
    let src = shared_data("GR2026_Schiermonnikoog")?.join("GR2026_Schiermonnikoog");
    let dir = std::env::temp_dir().join(format!("stembus-2026-{}-{name}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    for entry in std::fs::read_dir(&src).unwrap() {
        let p = entry.unwrap().path();
        let text = std::fs::read_to_string(&p).unwrap();
        std::fs::write(dir.join(p.file_name().unwrap()), edit(text)).unwrap();
    }
    Some(dir)
}

#[test]
fn investigations_per_stembureau() {
    let Some(dir) = edited("as-is", |t| t) else {
        return;
    };
    let r = verify_paths(std::slice::from_ref(&dir), &mut |_, _| {});
    let v = &r.elections[0];
    assert_eq!(v.investigations.len(), 1);
    let i = &v.investigations[0];
    assert_eq!(i.id, "0088::SB1");
    assert!(!i.investigated && !i.corrected);
    assert!(i.reasons.is_empty());
    assert_eq!(i.not.len(), 3);
    assert_eq!(i.summary_nl(), "niet onderzocht, niet gecorrigeerd");
    let _ = std::fs::remove_dir_all(&dir);

    let Some(dir) = edited("corrected", |t| {
        t.replace(
            r#"<kr:Investigation ReasonCode="uitslag gecorrigeerd">false"#,
            r#"<kr:Investigation ReasonCode="uitslag gecorrigeerd">true"#,
        )
    }) else {
        return;
    };
    let r = verify_paths(std::slice::from_ref(&dir), &mut |_, _| {});
    let i = &r.elections[0].investigations[0];
    assert!(i.corrected && !i.investigated);
    assert_eq!(i.reasons, ["uitslag gecorrigeerd"]);
    assert_eq!(
        i.summary_nl(),
        "niet onderzocht, gecorrigeerd (uitslag gecorrigeerd)"
    );
    let _ = std::fs::remove_dir_all(&dir);
}

#[test]
fn a_list_without_a_name_is_labelled_and_kept_empty_in_the_520() {
    let Some(dir) = edited("nameless", |t| {
        t.replace(
            "<RegisteredName>SAMEN</RegisteredName>",
            "<RegisteredName></RegisteredName>",
        )
    }) else {
        return;
    };
    let r = verify_paths(std::slice::from_ref(&dir), &mut |_, _| {});
    let v = &r.elections[0];
    assert_eq!(v.status, Status::Ok, "{:#?}", v.mismatches);
    let l2 = v.lists.iter().find(|l| l.number == 2).unwrap();
    assert_eq!(l2.name, "Lijst 2 (zonder aanduiding)");
    assert_eq!(l2.computed_seats, Some(3));
    let xml = results::eml520::write(&r.data[0], v, "2026-03-26T10:00:00").unwrap();
    assert!(
        xml.contains(r#"<AffiliationIdentifier Id="2"><RegisteredName></RegisteredName>"#),
        "the 520 keeps the name as the files have it"
    );
    let _ = std::fs::remove_dir_all(&dir);
}
