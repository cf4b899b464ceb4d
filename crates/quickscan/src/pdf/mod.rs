//! The report as PDF: a small pure-Rust PDF writer and the report's layout.
//!
//! - [`text`]: Unicode → WinAnsiEncoding, Helvetica metrics, wrapping, PDF strings;
//! - [`writer`]: objects, streams and the structure tree (tagged PDF);
//! - [`layout`]: flowing pages, headings, lists, tables that wrap and repeat their header;
//! - [`chart`]: the per-group bar charts as vector paths;
//! - [`report`]: the report's content, read from [`crate::report::Report`] only.

pub mod chart;
pub mod layout;
mod metrics;
pub mod report;
pub mod text;
pub mod writer;

pub use report::{render, report_pdf};
