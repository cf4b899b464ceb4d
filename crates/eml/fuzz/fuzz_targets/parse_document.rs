#![no_main]
//! Every reader on arbitrary bytes: must never panic.

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = eml::identify(data);
    if let Ok(eml::Document::Count(c)) = eml::parse_document(data) {
        let _ = eml::osv4_3::write(&c, &eml::CandidateLists::default());
        let _ = eml::tidy::write_count(&c, None);
    }
    let _ = eml::parse_count(data);
    let _ = eml::parse_candidate_lists(data);
    let _ = eml::parse_result(data);
    let _ = eml::parse_election_definition(data);
    let _ = eml::parse_polling_stations(data);
    let _ = eml::parse_uitslag_csv(data);
    let _ = eml::parse_stembureau_csv(data);
    let _ = eml::parse_osv4_3_csv(data);
});
