#![no_main]
//! The zip/file loader on arbitrary bytes (zip bombs, traversal names, corrupt archives).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = eml::LoadOptions {
        max_entry_size: 8 << 20,
        max_total_uncompressed: 32 << 20,
        ..eml::LoadOptions::default()
    };
    let b = eml::load_bytes(&eml::SourceRef::file("fuzz.zip"), data, &opts);
    for p in &b.problems {
        let _ = (p.to_string(), p.message_nl(), p.message_en());
    }
});
