//! JSON text → election → apportionment (with the P 19 ranking, which takes every path of the
//! run without it too) and margins: must never panic, whatever the bytes.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let Ok(text) = std::str::from_utf8(data) else {
        return;
    };
    let Ok(election) = kieswet::json::election_from_json(text) else {
        return;
    };
    if let Ok(kieswet::Apportionment::Complete(_)) = kieswet::apportion_with_ranking(&election) {
        let _ = kieswet::margins(&election);
    }
});
