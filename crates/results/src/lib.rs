//! # results — official results in, verified results out
//!
//! One election = definition + candidate lists + counts per reporting unit (stembureau →
//! gemeente → kieskring → nation) + the official result, assembled from an [`eml::Bundle`]
//! (EML files, the Kiesraad uitslag CSV, or GR folders with 510b + 520 + OSV4-3 CSV).
//!
//! Data flow: [`eml::load_paths`] → [`assemble`] (group by election, counts become
//! [`Fragment`]s keyed by reporting unit) → [`verify`] per election: [`checks::check`]
//! (arithmetic, parent = sum of children, same unit in two files, plausibility) →
//! [`recompute::engine_input`] (stellen P 2, lijstengroepen P 3) → [`kieswet::apportion`]
//! (lots only from the official outcome among the tied options) → comparison. [`eml520`]
//! writes a recomputed result as EML 520.

// Short names (`e` election, `v` votes, `o` outcome) keep the arithmetic readable.
#![allow(clippy::many_single_char_names)]

pub mod build;
pub mod checks;
pub mod eml520;
pub mod investigations;
pub mod model;
pub mod recompute;
mod scope;
pub mod seats_only;

use std::path::PathBuf;

pub use build::{Assembled, assemble};
pub use model::{ElectionData, Finding, Fragment, Level, ListDef, Official, Severity, Unit};
pub use recompute::{Status, Verification, verify};
use serde::Serialize;

/// The verification of everything found in a set of paths.
#[derive(Debug, Clone, Serialize)]
pub struct Report {
    pub elections: Vec<Verification>,
    /// Problems that belong to no election (unreadable files outside any election folder).
    pub errors: Vec<Finding>,
    #[serde(skip)]
    pub data: Vec<ElectionData>,
}

impl Report {
    /// 0: every election recomputes to its official result, or is recomputed where there is
    /// no official result to compare with; 1: a mismatch; 2: input could not be read (nothing
    /// to verify, or an election is damaged or incomplete).
    pub fn exit_code(&self) -> u8 {
        if self.elections.iter().any(|v| v.status == Status::Mismatch) {
            1
        } else if self.elections.is_empty()
            || !self.errors.is_empty()
            || self
                .elections
                .iter()
                .any(|v| matches!(v.status, Status::Damaged | Status::Incomplete))
        {
            2
        } else {
            0
        }
    }

    /// How many elections ended in each status.
    pub fn tally(&self, status: Status) -> usize {
        self.elections.iter().filter(|v| v.status == status).count()
    }
}

/// Loads `paths` (files, directories, zips) and verifies every election found.
pub fn verify_paths(paths: &[PathBuf], progress: &mut dyn FnMut(usize, usize)) -> Report {
    verify_bundle(eml::load_paths(paths), progress)
}

/// Verifies every election in a loaded bundle. `progress(done, total)` is called per election.
pub fn verify_bundle(bundle: eml::Bundle, progress: &mut dyn FnMut(usize, usize)) -> Report {
    let assembled = assemble(bundle);
    let n = assembled.elections.len();
    let mut elections = Vec::with_capacity(n);
    for (i, e) in assembled.elections.iter().enumerate() {
        elections.push(verify(e));
        progress(i + 1, n);
    }
    Report {
        elections,
        errors: assembled.findings,
        data: assembled.elections,
    }
}
