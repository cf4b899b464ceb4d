//! Quick Scan Lokale Democratie: the scan municipalities and provinces run on their local
//! democracy, anonymous by design. See `README.md` for the guarantees.

pub mod csv;
pub mod model;
pub mod questionnaire;
pub mod store;
pub mod report;
pub mod pdf;
pub mod mail;
