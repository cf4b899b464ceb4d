//! Tests against the official Kiesraad files in `../shared/data` (never copied into the repo).
//!
//! The data set is found via `STEMBUS_SHARED_DATA` or `<workspace>/../shared/data`. Without it
//! these tests print that the data set is absent and pass, except under `CI=true`, where a
//! missing data set is a failure.

use std::collections::{BTreeMap, BTreeSet};

use eml::{
    Bundle, CountKind, Document, DocumentType, ErrorKind, Ranking, ReportingUnitType, load_paths,
    osv4_3, parse_candidate_lists, parse_count,
};

#[path = "support/shared_data.rs"]
mod shared_data;
use shared_data::shared_data;

/// Votes of one OSV4-3 list: number, total, per unit, and the same per candidate.
type ListNumbers = (
    u32,
    Option<u64>,
    Vec<Option<u64>>,
    Vec<(u32, Option<u64>, Vec<Option<u64>>)>,
);

fn types(b: &Bundle) -> BTreeMap<String, usize> {
    let mut m = BTreeMap::new();
    for (_, d) in &b.documents {
        *m.entry(format!("{:?}", d.document_type())).or_insert(0) += 1;
    }
    m
}

#[test]
fn tk2021_directory_parses_completely() {
    let Some(d) = shared_data("README.md") else {
        return;
    };
    let b = load_paths(&[d.join("TK2021/eml")]);
    assert!(b.problems.is_empty(), "{:#?}", b.problems);
    let t = types(&b);
    assert_eq!(t["Eml230b"], 20);
    assert_eq!(t["Eml510(C)"], 19);
    assert_eq!(t["Eml510(D)"], 1);
    assert_eq!(t["Eml520"], 1);
    assert_eq!(t["Eml110a"], 1);
    assert_eq!(b.documents.len(), 42);
    assert_eq!(b.skipped.len(), 1, "the Opmerking .txt is skipped");

    let (_, def) = b.definitions().next().unwrap();
    assert_eq!(def.number_of_seats, 150);
    assert_eq!(def.preference_threshold, Some(25));
    assert_eq!(def.regions_of(eml::RegionCategory::Kieskring).count(), 20);

    // 520: 150 elected, 43 on preference votes, official seats per list.
    let (_, res) = b.results().next().unwrap();
    let elected: Vec<_> = res.elected_candidates().collect();
    assert_eq!(elected.len(), 150);
    assert_eq!(
        elected
            .iter()
            .filter(|(_, c)| c.ranking == Some(Ranking::Preference))
            .count(),
        43
    );
    let mut seats: BTreeMap<&str, usize> = BTreeMap::new();
    for (l, _) in &elected {
        *seats.entry(l.name.as_deref().unwrap()).or_default() += 1;
    }
    assert_eq!(seats["VVD"], 34);
    assert_eq!(seats["D66"], 24);
    assert_eq!(seats["PVV (Partij voor de Vrijheid)"], 17);
    assert_eq!(seats.len(), 17);
    assert!(elected.iter().all(|(_, c)| c.short_code.is_some()));

    // 510d: national candidates by ShortCode only, kieskring candidates with both.
    let (_, d510) = b.counts().find(|(_, c)| c.kind == CountKind::D).unwrap();
    let contest = &d510.contests[0];
    let total = contest.total.as_ref().unwrap();
    assert!(
        total
            .lists
            .iter()
            .flat_map(|l| &l.candidates)
            .all(|c| c.id.is_none() && c.short_code.is_some())
    );
    assert_eq!(contest.reporting_units.len(), 20);
    let vvd = total.list(1).unwrap();
    assert_eq!(vvd.valid_votes, 2_279_130);
    assert_eq!(vvd.candidates[0].short_code.as_deref(), Some("RutteM"));
    assert_eq!(vvd.candidates[0].valid_votes, 1_977_651);

    // 230b: list types, diacritics.
    let (_, ams) = b
        .candidate_lists()
        .find(|(_, c)| c.contests[0].contest.name.as_deref() == Some("Amsterdam"))
        .unwrap();
    let vvd = ams.contest("9").unwrap().list(1).unwrap();
    assert_eq!(
        vvd.list_type,
        Some(eml::ListType::StelGelijkluidendeLijsten)
    );
    assert_eq!(
        vvd.candidate(5).unwrap().name.last_name.as_deref(),
        Some("Yeşilgöz-Zegerius")
    );
    let types: BTreeSet<_> = b
        .candidate_lists()
        .flat_map(|(_, c)| {
            c.contests
                .iter()
                .flat_map(|k| k.lists.iter().filter_map(|l| l.list_type))
        })
        .collect();
    assert!(types.contains(&eml::ListType::Lijstengroep));
}

#[test]
fn tk2021_zip_loads_identically_to_directory() {
    let Some(d) = shared_data("README.md") else {
        return;
    };
    let dir = load_paths(&[d.join("TK2021/eml")]);
    let zip = load_paths(&[d.join("TK2021/EML_bestanden_TK2021_deel_1.zip")]);
    assert!(zip.problems.is_empty(), "{:#?}", zip.problems);
    let by_name = |b: &Bundle| -> BTreeMap<String, Document> {
        b.documents
            .iter()
            .map(|(s, d)| (s.file_name(), d.clone()))
            .collect()
    };
    let a = by_name(&dir);
    let z = by_name(&zip);
    assert_eq!(a.len(), 42);
    assert_eq!(a.keys().collect::<Vec<_>>(), z.keys().collect::<Vec<_>>());
    for (k, v) in &a {
        assert!(z[k] == *v, "{k} differs between zip and directory");
    }
    assert!(zip.documents[0].0.to_string().contains(".zip!"));
}

/// The Kiesraad's own list of errors (`Opmerking bestanden TK2021.txt`) names six gemeenten
/// whose number of eligible voters is 0 in the kieskring count files, and Stein whose 24
/// invalid votes were not carried over. Check that the files show exactly that.
#[test]
fn tk2021_known_errors_are_visible() {
    let Some(d) = shared_data("README.md") else {
        return;
    };
    let b = load_paths(&[d.join("TK2021/eml")]);
    let mut zero_cast = BTreeSet::new();
    let mut stein_invalid = None;
    for (_, c) in b.counts().filter(|(_, c)| c.kind == CountKind::C) {
        for ru in &c.contests[0].reporting_units {
            if ru.votes.cast == 0 {
                zero_cast.insert(ru.name.clone());
            }
            if ru.name == "Stein" {
                stein_invalid = Some(ru.votes.rejected.invalid);
            }
        }
    }
    let expected: BTreeSet<String> = [
        "Berg en Dal",
        "Bloemendaal",
        "Haarlem",
        "Leidschendam-Voorburg",
        "Weststellingwerf",
        "Zandvoort",
    ]
    .into_iter()
    .map(String::from)
    .collect();
    assert_eq!(zero_cast, expected);
    assert_eq!(stein_invalid, Some(0));
    // The wrong kiesgerechtigden the Kiesraad lists for gemeente files are already correct in
    // the kieskring files of this bundle.
    let cast: BTreeMap<String, u64> = b
        .counts()
        .filter(|(_, c)| c.kind == CountKind::C)
        .flat_map(|(_, c)| {
            c.contests[0]
                .reporting_units
                .iter()
                .map(|ru| (ru.name.clone(), ru.votes.cast))
        })
        .collect();
    for (gemeente, correct) in [
        ("Coevorden", 28_398),
        ("Diemen", 22_280),
        ("Doetinchem", 46_245),
        ("Kapelle", 9_840),
        ("Rotterdam", 460_271),
        ("Vijfheerenlanden", 44_353),
        ("Weert", 39_345),
        ("Zwolle", 99_879),
    ] {
        assert_eq!(cast[gemeente], correct, "{gemeente}");
    }
}

#[test]
fn gr2022_zip_loads_and_reports_the_damaged_files() {
    let Some(d) = shared_data("README.md") else {
        return;
    };
    let b = load_paths(&[d.join("GR2022/GR2022_shared.zip")]);
    let t = types(&b);
    assert_eq!(t["Eml510(B)"], 171);
    assert_eq!(t["Eml520"], 179);
    assert_eq!(t["Osv43Csv"], 181);
    // 's-Hertogenbosch's OSV export writes the list name `"Leefbaar 's-Hertogenbosch" Paul
    // Kagie` unquoted; the lenient OSV reader keeps it literally.
    let bosch = b
        .documents
        .iter()
        .find_map(|(s, d)| match d {
            Document::Osv43(t) if s.file_name() == "osv4-3_telling_gr2022_shertogenbosch.csv" => {
                Some(t)
            }
            _ => None,
        })
        .unwrap();
    assert!(
        bosch
            .lists
            .iter()
            .any(|l| l.name == "\"Leefbaar 's-Hertogenbosch\" Paul Kagie")
    );
    let damaged: BTreeSet<String> = b.problems.iter().map(|p| p.source.file_name()).collect();
    assert_eq!(
        damaged,
        [
            "Resultaat_GR2022_Bloemendaal.eml.xml",
            "Resultaat_GR2022_DeWolden.eml.xml",
            "Resultaat_GR2022_Westerwolde.eml.xml"
        ]
        .into_iter()
        .map(String::from)
        .collect()
    );
    for p in &b.problems {
        assert!(
            matches!(&p.error.kind, ErrorKind::NotEml { root } if root == "Candidate"),
            "{p}"
        );
        assert_eq!(p.error.position.unwrap().line, 1);
        assert!(p.to_string().contains("GR2022_shared.zip!"), "{p}");
    }
    // Every 520 has elected candidates; seats = number of elected candidates.
    for (s, r) in b.results() {
        assert!(r.elected_candidates().count() > 0, "{s}");
    }
}

/// Cross-check: the OSV4-3 CSVs exported by OSV (in the GR2022 zip) against our OSV4-3 rendering
/// of the 510b of the same gemeente. All numbers must agree; names are not compared (the 230b
/// lists are not in the bundle).
#[test]
fn gr2022_osv_exports_agree_with_the_510b_counts() {
    let Some(d) = shared_data("README.md") else {
        return;
    };
    let b = load_paths(&[d.join("GR2022/GR2022_shared.zip")]);
    let mut osv = BTreeMap::new();
    for (s, doc) in &b.documents {
        if let Document::Osv43(t) = doc {
            osv.insert(s.entries[0].split('/').next().unwrap().to_string(), t);
        }
    }
    let empty = eml::CandidateLists::default();
    let mut compared = 0;
    let mut mismatches = Vec::new();
    for (s, count) in b.counts() {
        let folder = s.entries[0].split('/').next().unwrap().to_string();
        let Some(genuine) = osv.get(&folder) else {
            continue;
        };
        let ours = eml::parse_osv4_3_csv(&osv4_3::write(count, &empty)).unwrap();
        compared += 1;
        if ours.metadata != genuine.metadata {
            for (a, g) in ours.metadata.iter().zip(&genuine.metadata) {
                if a != g {
                    mismatches.push(format!(
                        "{folder}: {} ours {:?} osv {:?}",
                        a.label, a.total, g.total
                    ));
                }
            }
        }
        let strip = |t: &eml::Osv43Table| -> Vec<ListNumbers> {
            t.lists
                .iter()
                .map(|l| {
                    (
                        l.number,
                        l.total,
                        l.values.clone(),
                        l.candidates
                            .iter()
                            .map(|c| (c.position, c.total, c.values.clone()))
                            .collect(),
                    )
                })
                .collect()
        };
        if strip(&ours) != strip(genuine) {
            mismatches.push(format!("{folder}: list or candidate votes differ"));
        }
        let units = |t: &eml::Osv43Table| -> Vec<(Option<String>, Option<String>)> {
            t.units
                .iter()
                .map(|u| (u.number.clone(), u.postcode.clone()))
                .collect()
        };
        let gu = units(genuine);
        let ou = units(&ours);
        // Some OSV exports have no Postcode row at all.
        let same_units = gu.len() == ou.len()
            && gu
                .iter()
                .zip(&ou)
                .all(|(g, o)| g.0 == o.0 && (g.1.is_none() || g.1 == o.1));
        if !same_units {
            mismatches.push(format!("{folder}: stembureau numbers/postcodes differ"));
        }
    }
    // Westerwolde has a 510b but no OSV4-3 export in the bundle.
    assert_eq!(compared, 170);
    // Known quirk: for De Bilt and Zutphen the OSV4-3 export holds a different version of the
    // count than the 510b (admitted voters, blank/invalid ballots and votes all differ).
    let differing: BTreeSet<&str> = mismatches
        .iter()
        .map(|m| m.split(':').next().unwrap())
        .collect();
    assert_eq!(
        differing,
        BTreeSet::from(["DeBilt", "Zutphen"]),
        "{mismatches:#?}"
    );
}

#[test]
fn tk2025_csv_zip_loads() {
    let Some(d) = shared_data("README.md") else {
        return;
    };
    let b = load_paths(&[d.join("TK2025/TK2025_CSV.zip")]);
    assert!(b.problems.is_empty(), "{:#?}", b.problems);
    assert_eq!(b.skipped.len(), 1, "README is skipped");
    let uitslag = b
        .documents
        .iter()
        .find_map(|(_, d)| match d {
            Document::UitslagCsv(u) => Some(u),
            _ => None,
        })
        .unwrap();
    assert_eq!(uitslag.rows.len(), 47_609);
    assert_eq!(uitslag.elected().count(), 150);
    let seats = uitslag.seats_per_list();
    assert_eq!(seats.iter().map(|(_, s)| s).sum::<u64>(), 150);
    assert_eq!(seats.iter().find(|(n, _)| *n == "D66").unwrap().1, 26);
    let per_sb = b
        .documents
        .iter()
        .find_map(|(_, d)| match d {
            Document::StembureauCsv(s) => Some(s),
            _ => None,
        })
        .unwrap();
    assert_eq!(per_sb.rows.len(), 240_562);
    // The unpacked file reads the same.
    let plain = load_paths(&[d.join("TK2025/TK2025_uitslag.csv")]);
    assert!(matches!(&plain.documents[0].1, Document::UitslagCsv(u) if u == uitslag));
}

#[test]
fn definitions_and_schiermonnikoog_load() {
    let Some(d) = shared_data("README.md") else {
        return;
    };
    let b = load_paths(&[d.join("definitions"), d.join("GR2026_Schiermonnikoog")]);
    assert!(b.problems.is_empty(), "{:#?}", b.problems);
    assert_eq!(b.documents.len(), 11);
    let seats: BTreeMap<String, u64> = b
        .definitions()
        .map(|(s, d)| (s.file_name(), d.number_of_seats))
        .collect();
    assert_eq!(seats["Verkiezingsdefinitie_PS2023_Drenthe.eml.xml"], 43);
    assert_eq!(seats["Verkiezingsdefinitie_PS2023_Gelderland.eml.xml"], 55);
    assert_eq!(seats["Verkiezingsdefinitie_PS2023_Limburg.eml.xml"], 47);
    assert_eq!(seats["Verkiezingsdefinitie_AB2023_Limburg.eml.xml"], 26);
    assert_eq!(seats["Verkiezingsdefinitie_GR2026_Stadskanaal.eml.xml"], 23);
    assert_eq!(
        seats["Verkiezingsdefinitie_GR2026_Schiermonnikoog.eml.xml"],
        9
    );

    let (_, b510) = b.counts().find(|(_, c)| c.kind == CountKind::B).unwrap();
    let ru = &b510.contests[0].reporting_units[0];
    let inv = ru.investigations.as_ref().unwrap();
    assert_eq!(inv.len(), 3);
    assert!(inv.iter().all(|i| !i.value));
    assert_eq!(b510.contests[0].total.as_ref().unwrap().lists.len(), 3);
    let (_, d510) = b.counts().find(|(_, c)| c.kind == CountKind::D).unwrap();
    assert_eq!(d510.contests[0].total.as_ref().unwrap().lists.len(), 3);
    let (_, r) = b.results().next().unwrap();
    assert_eq!(r.elected_candidates().count(), 9);
    let _ = ReportingUnitType::FixedLocation;
}

#[test]
#[allow(clippy::many_single_char_names)]
fn osv4_3_oracles_are_reproduced_byte_for_byte() {
    let Some(d) = shared_data("README.md") else {
        return;
    };
    let o = d.join("eml2csv-oracles");
    for (count, lists, oracle) in [
        (
            "Telling_GR2022_WestMaasenWaal.eml.xml",
            "Kandidatenlijsten_GR2022_WestMaasenWaal.eml.xml",
            "osv4-3_telling_gr2022_westmaasenwaal.csv",
        ),
        (
            "Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml",
            "Kandidatenlijsten_TK2025_Nijmegen.eml.xml",
            "osv4-3_telling_tk2025_gemeente_westmaasenwaal.csv",
        ),
        // The 2026 count format, which leaves counts out (eml2csv of 2026).
        (
            "../GR2026_Schiermonnikoog/Telling_GR2026_Schiermonnikoog.eml.xml",
            "../GR2026_Schiermonnikoog/Kandidatenlijsten_GR2026_Schiermonnikoog.eml.xml",
            "osv4-3_telling_gr2026_schiermonnikoog.csv",
        ),
    ] {
        let c = parse_count(&std::fs::read(o.join(count)).unwrap()).unwrap();
        let l = parse_candidate_lists(&std::fs::read(o.join(lists)).unwrap()).unwrap();
        let expected = std::fs::read(o.join(oracle)).unwrap();
        let got = osv4_3::write(&c, &l);
        if got != expected {
            let g = String::from_utf8_lossy(&got);
            let e = String::from_utf8_lossy(&expected);
            let line = g.lines().zip(e.lines()).position(|(a, b)| a != b);
            panic!(
                "{oracle}: output differs (len {} vs {}), first differing line {:?}:\n ours: {:?}\n want: {:?}",
                got.len(),
                expected.len(),
                line.map(|i| i + 1),
                line.and_then(|i| g.lines().nth(i)),
                line.and_then(|i| e.lines().nth(i)),
            );
        }
        // and the reader reads its own output back
        let t = eml::parse_osv4_3_csv(&got).unwrap();
        assert_eq!(
            t.lists.len(),
            c.contests[0].total.as_ref().unwrap().lists.len()
        );
    }
    // The wrong kieskring's lists give no names rather than wrong ones.
    let c = parse_count(
        &std::fs::read(o.join("Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml")).unwrap(),
    )
    .unwrap();
    let haarlem = parse_candidate_lists(
        &std::fs::read(o.join("Kandidatenlijsten_TK2025_Haarlem.eml.xml")).unwrap(),
    )
    .unwrap();
    let t = eml::parse_osv4_3_csv(&osv4_3::write(&c, &haarlem)).unwrap();
    assert!(
        t.lists
            .iter()
            .flat_map(|l| &l.candidates)
            .all(|c| c.name.is_empty())
    );
}

#[test]
fn every_document_type_is_identified_by_content() {
    let Some(d) = shared_data("README.md") else {
        return;
    };
    let b = load_paths(&[d.join("eml2csv-oracles")]);
    assert!(b.problems.is_empty(), "{:#?}", b.problems);
    let t: BTreeSet<DocumentType> = b.documents.iter().map(|(_, d)| d.document_type()).collect();
    assert!(t.contains(&DocumentType::Osv43Csv));
    assert!(t.contains(&DocumentType::Eml230b));
    assert!(t.contains(&DocumentType::Eml510(CountKind::B)));
}
