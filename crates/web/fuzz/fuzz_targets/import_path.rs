#![no_main]
//! The import path without the database: an uploaded file (zip or EML/CSV) through the
//! loader with the upload limits, the checks and recomputation, the conversion to the web
//! model and the model's sums, as `stembus import` and the upload page run them. Must never
//! panic (issue 14: a u64 sum overflowed here).

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let opts = web::import::upload_options(1 << 20);
    let bundle = eml::load_bytes(&eml::SourceRef::file("upload.zip"), data, &opts);
    let report = results::verify_bundle(bundle, &mut |_, _| {});
    let _ = report.exit_code();
    for (e, v) in report.data.iter().zip(&report.elections) {
        let (election, _report, _figures) = web::import::convert(e, v);
        let loaded = web::model::Loaded::new(election);
        let _ = loaded.electorate();
        for i in 0..loaded.units.len() {
            let _ = loaded.unit_electorate(i);
            let _ = loaded.unit_blank_invalid(i);
            let _ = loaded.units[i].cast();
        }
    }
});
