//! Finds the data set of official Kiesraad files that lives beside the project: the folder in
//! `STEMBUS_SHARED_DATA`, or else `../shared/data` next to the workspace. It is never copied into
//! the repository. The tests of several crates include this file with `#[path]`.

use std::path::PathBuf;

/// The shared data set, if `marker` (a file or folder in it) is there. Without it the test says
/// so and is skipped (`None`), except under `CI=true`, where a missing data set is a failure.
pub fn shared_data(marker: &str) -> Option<PathBuf> {
    let dir = std::env::var_os("STEMBUS_SHARED_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    let path = dir.join(marker);
    if path.exists() {
        return Some(dir);
    }
    assert!(
        std::env::var("CI").as_deref() != Ok("true"),
        "CI=true but the shared data set is missing at {}",
        path.display()
    );
    eprintln!(
        "SKIPPED: shared data set not found at {} (set STEMBUS_SHARED_DATA)",
        path.display()
    );
    None
}
