//! Importing the official TK2021 bundle: the stored election computes exactly what the
//! verification computed, the tree is nation → kieskring → gemeente, the report is stored.

use std::path::PathBuf;
use std::time::Instant;

use kieswet::Apportionment;
use webkit::testing::TestApp;

fn shared_data() -> Option<PathBuf> {
    let dir = std::env::var("STEMBUS_SHARED_DATA").map_or_else(
        |_| PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    if dir.is_dir() {
        Some(dir)
    } else {
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "official data not found at {}",
            dir.display()
        );
        eprintln!("skipped: official data not found at {}", dir.display());
        None
    }
}

pub fn tk2021_zip() -> Option<PathBuf> {
    shared_data().map(|d| d.join("TK2021/EML_bestanden_TK2021_deel_1.zip"))
}

#[test]
fn tk2021_zip_imports_and_recomputes_the_official_result() {
    let Some(zip) = tk2021_zip() else { return };
    let app = TestApp::new(vec![web::module()]);
    let t = Instant::now();
    let summary = app
        .state()
        .db()
        .with(|c| web::import::import_paths(c, std::slice::from_ref(&zip)))
        .unwrap();
    eprintln!("import: {:?} {:?}", t.elapsed(), summary.elections);
    assert_eq!(summary.elections.len(), 1);
    let imp = &summary.elections[0];
    assert_eq!(imp.id, "tk2021");
    assert!(imp.matches, "{imp:?}");
    let data = app
        .state()
        .db()
        .with(|c| web::store::load(c, "tk2021"))
        .unwrap()
        .unwrap();
    let t = Instant::now();
    let l = web::model::Loaded::new(data);
    eprintln!("load+compute: {:?}", t.elapsed());
    let Ok(Apportionment::Complete(o)) = &l.outcome else {
        panic!("{:?}", l.outcome.as_ref().err())
    };
    let seats: Vec<(String, u32)> = o
        .parties
        .iter()
        .filter(|p| p.seats > 0)
        .map(|p| (p.name.clone(), p.seats))
        .collect();
    eprintln!("{seats:?}");
    assert_eq!(o.parties.iter().map(|p| p.seats).sum::<u32>(), 150);
    assert_eq!(o.seats_of(1), 34, "VVD 34");
    assert_eq!(
        o.elected
            .iter()
            .filter(|e| e.by == kieswet::ElectedBy::Preference)
            .count(),
        43
    );
    // Exactly the recomputation of the verification.
    let bundle = eml::load_paths(&[zip]);
    let assembled = results::assemble(bundle);
    let input = results::recompute::engine_input(&assembled.elections[0]).unwrap();
    let mut expected = input.election.clone();
    expected.lots.clone_from(&l.election.lots);
    for (a, b) in l.election.parties.iter().zip(&expected.parties) {
        assert_eq!(a.number, b.number);
        assert_eq!(a.lists.len(), b.lists.len(), "{}", a.name);
        for (x, y) in a.lists.iter().zip(&b.lists) {
            assert_eq!(x.kieskringen, y.kieskringen);
            let xv: Vec<u64> = x.candidates.iter().map(|c| c.votes).collect();
            let yv: Vec<u64> = y.candidates.iter().map(|c| c.votes).collect();
            assert_eq!(xv, yv, "{} list {:?}", a.name, x.kieskringen);
            assert_eq!(x.list_votes, y.list_votes);
        }
    }
    // Tree: nation → 20 kieskringen → gemeenten.
    let root = l.root().unwrap();
    assert_eq!(l.units[root].data.level, web::model::Level::Land);
    let kk: Vec<usize> = l.units[root].children.clone();
    assert_eq!(kk.len(), 20);
    let gemeenten = l
        .units
        .iter()
        .filter(|u| u.data.level == web::model::Level::Gemeente)
        .count();
    assert!(gemeenten > 300, "{gemeenten} gemeenten");
    let report = app
        .state()
        .db()
        .with(|c| web::import::load_report(c, "tk2021"))
        .unwrap()
        .unwrap();
    assert!(report.matches);
    assert_eq!(report.candidates.len(), 150);
    assert!(
        report
            .candidates
            .iter()
            .all(web::import::StoredCandidate::matches)
    );
    assert!(
        report
            .warnings
            .iter()
            .any(|w| w.code.contains("KIESGERECHTIGDEN")),
        "{:?}",
        report.warnings.iter().map(|w| &w.code).collect::<Vec<_>>()
    );
}
