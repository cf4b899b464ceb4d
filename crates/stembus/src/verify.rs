//! `stembus verify PATH...`: official results in, verified results out. Any mix of zips,
//! directories and files; one report per election (a table for bundles with many).
//! Exit 0 = recomputed equals official (warnings allowed), 1 = a mismatch, 2 = input could not
//! be read.

use std::fmt::Write as _;
use std::io::{IsTerminal as _, Write as _};
use std::path::PathBuf;
use std::process::ExitCode;

use results::{Finding, Report, Status, Verification};
use serde_json::{Value, json};

/// Report language.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum)]
pub enum Lang {
    Nl,
    En,
}

pub fn run(paths: &[PathBuf], json_out: bool, lang: Lang) -> ExitCode {
    let en = lang == Lang::En;
    let report = load_and_verify(paths);
    if json_out {
        outln!(
            "{}",
            serde_json::to_string_pretty(&report_json(&report, en)).unwrap_or_default()
        );
    } else {
        out!("{}", render(&report, en));
    }
    ExitCode::from(report.exit_code())
}

/// Loads and verifies, with a one-line progress on stderr when it is a terminal.
pub fn load_and_verify(paths: &[PathBuf]) -> Report {
    let tty = std::io::stderr().is_terminal();
    if tty {
        eprint!("\rlezen… / reading…");
    }
    let bundle = eml::load_paths(paths);
    let mut progress = |done: usize, total: usize| {
        if tty {
            let width = 30;
            let filled = done * width / total.max(1);
            eprint!(
                "\r[{}{}] {done}/{total} verkiezingen",
                "=".repeat(filled),
                " ".repeat(width - filled)
            );
            if done == total {
                eprint!("\r{}\r", " ".repeat(width + 40));
            }
            let _ = std::io::stderr().flush();
        }
    };
    let report = results::verify_bundle(bundle, &mut progress);
    if tty && report.elections.is_empty() {
        eprint!("\r{}\r", " ".repeat(40));
    }
    report
}

fn finding_json(f: &Finding, en: bool) -> Value {
    json!({
        "code": f.code,
        "severity": f.severity,
        "message": f.message(en),
        "message_nl": f.message_nl,
        "message_en": f.message_en,
        "file": f.files.join(", "),
        "files": f.files,
        "unit": f.unit,
        "found": f.found,
        "expected": f.expected,
    })
}

pub fn verification_json(v: &Verification, en: bool) -> Value {
    let fs = |list: &[Finding]| list.iter().map(|f| finding_json(f, en)).collect::<Vec<_>>();
    json!({
        "election": v.election,
        "name": v.name,
        "status": v.status,
        "matches": v.matches,
        "seats": v.seats,
        "lists": v.lists,
        "candidates": v.candidates,
        "elected": v.elected,
        "investigations": v.investigations.iter().map(|i| json!({
            "unit": i.id,
            "name": i.name,
            "file": i.file,
            "investigated": i.investigated,
            "corrected": i.corrected,
            "reasons": i.reasons,
            "not": i.not,
            "summary": if en { i.summary_en() } else { i.summary_nl() },
        })).collect::<Vec<_>>(),
        "mismatches": fs(&v.mismatches),
        "lots": v.lots,
        "warnings": fs(&v.warnings),
        "errors": fs(&v.errors),
        "files": v.files,
    })
}

pub fn report_json(r: &Report, en: bool) -> Value {
    if r.elections.len() == 1 && r.errors.is_empty() {
        return verification_json(&r.elections[0], en);
    }
    json!({
        "matches": r.elections.iter().all(|v| v.matches) && !r.elections.is_empty(),
        "elections": r.elections.iter().map(|v| verification_json(v, en)).collect::<Vec<_>>(),
        "errors": r.errors.iter().map(|f| finding_json(f, en)).collect::<Vec<_>>(),
    })
}

fn status(s: Status, en: bool) -> &'static str {
    if en { s.label_en() } else { s.label_nl() }
}

fn seats_cell(x: Option<u32>) -> String {
    x.map_or_else(|| "–".to_string(), |s| s.to_string())
}

/// The human report: a one-screen summary, then details.
pub fn render(r: &Report, en: bool) -> String {
    let t = |nl: &'static str, e: &'static str| if en { e } else { nl };
    let mut o = String::new();
    if r.elections.is_empty() {
        let _ = writeln!(
            o,
            "{}",
            t(
                "Geen verkiezing gevonden in de invoer.",
                "No election found in the input."
            )
        );
    } else if r.elections.len() == 1 {
        summary_one(&mut o, &r.elections[0], en);
    } else {
        summary_many(&mut o, r, en);
    }
    if !r.errors.is_empty() {
        let _ = writeln!(o, "\n{}", t("Onleesbare invoer:", "Unreadable input:"));
        for f in &r.errors {
            finding_line(&mut o, f, en);
        }
    }
    // Details.
    for v in &r.elections {
        if r.elections.len() > 1 && v.status == Status::Ok && v.warnings.is_empty() {
            continue;
        }
        details(&mut o, v, en, r.elections.len() > 1);
    }
    o
}

fn summary_one(o: &mut String, v: &Verification, en: bool) {
    let t = |nl: &'static str, e: &'static str| if en { e } else { nl };
    let _ = writeln!(
        o,
        "{} {} — {}",
        t("Verificatie", "Verification"),
        v.election,
        v.name
    );
    let verdict = match v.status {
        Status::Ok => t(
            "OK: de herberekende uitslag is gelijk aan de officiële.",
            "OK: the recomputed result equals the official one.",
        ),
        Status::Lot => t(
            "OK: gelijk aan de officiële uitslag, met loting (zie onder).",
            "OK: equal to the official result, with a lot (see below).",
        ),
        Status::Mismatch => t(
            "VERSCHIL: de herberekende uitslag wijkt af van de officiële.",
            "MISMATCH: the recomputed result differs from the official one.",
        ),
        Status::Damaged if v.matches => t(
            "BESCHADIGD: een bestand kon niet gelezen worden. Zonder dat bestand is de herberekende uitslag gelijk aan de officiële.",
            "DAMAGED: a file could not be read. Without that file the recomputed result equals the official one.",
        ),
        Status::Damaged => t(
            "BESCHADIGD: een bestand kon niet gelezen worden.",
            "DAMAGED: a file could not be read.",
        ),
        Status::Incomplete => t(
            "ONVOLLEDIG: niet alles voor een vergelijking is aanwezig.",
            "INCOMPLETE: not everything needed for a comparison is present.",
        ),
        Status::NoOfficialResult => t(
            "GEEN OFFICIËLE UITSLAG: de zetels zijn herberekend, maar er is geen uitslag (520 of uitslag-CSV) om mee te vergelijken.",
            "NO OFFICIAL RESULT: the seats are recomputed, but there is no result (520 or result CSV) to compare with.",
        ),
    };
    let _ = writeln!(o, "{verdict}");
    // A total only where there is one: `–` when no list has an official (or computed) figure.
    let total = |f: fn(&results::recompute::ListSeats) -> Option<u32>| {
        let known: Vec<u32> = v.lists.iter().filter_map(f).collect();
        if known.is_empty() {
            "–".to_string()
        } else {
            known
                .iter()
                .fold(0u32, |a, &b| a.saturating_add(b))
                .to_string()
        }
    };
    let official = total(|l| l.official_seats);
    let computed = total(|l| l.computed_seats);
    let has_official = v.lists.iter().any(|l| l.official_seats.is_some());
    let with_seats = v
        .lists
        .iter()
        .filter(|l| {
            if has_official {
                l.official_seats.unwrap_or(0) > 0
            } else {
                l.computed_seats.unwrap_or(0) > 0
            }
        })
        .count();
    let _ = writeln!(
        o,
        "{}: {} {official}, {} {computed} ({with_seats} {})",
        t("Zetels", "Seats"),
        t("officieel", "official"),
        t("herberekend", "recomputed"),
        t("lijsten met zetels", "lists with seats"),
    );
    let c = &v.candidates;
    if c.checked {
        candidates_line(o, c, en);
    } else {
        let line = if v.lists.is_empty() {
            format!(
                "{}: {}",
                t("Gekozen kandidaten", "Elected candidates"),
                t("niet herberekend", "not recomputed")
            )
        } else if v.lists.iter().any(|l| l.official_seats.is_some()) {
            format!(
                "{}: {} {}; {}",
                t("Gekozen kandidaten", "Elected candidates"),
                t("officieel", "official"),
                c.official,
                t(
                    "niet te controleren zonder kandidatenlijsten (230b)",
                    "cannot be checked without candidate lists (230b)"
                ),
            )
        } else {
            format!(
                "{}: {} {} ({} {}); {}",
                t("Gekozen kandidaten", "Elected candidates"),
                t("herberekend", "recomputed"),
                c.computed,
                c.computed_by_preference,
                t("met voorkeurstemmen", "on preference votes"),
                t("niet vergeleken", "not compared"),
            )
        };
        let _ = writeln!(o, "{line}");
    }
    let _ = writeln!(
        o,
        "{}: {}, {}: {}, {}: {}, {}: {}",
        t("Verschillen", "Mismatches"),
        v.mismatches.len(),
        t("lotingen", "lots"),
        v.lots.len(),
        t("fouten", "errors"),
        v.errors.len(),
        t("waarschuwingen", "warnings"),
        v.warnings.len()
    );
    let _ = writeln!(
        o,
        "\n{:>4}  {:<44} {:>10} {:>11}",
        t("lijst", "list"),
        t("naam", "name"),
        t("officieel", "official"),
        t("herberekend", "recomputed")
    );
    for l in &v.lists {
        let mark =
            if !has_official || l.official_seats.unwrap_or(0) == l.computed_seats.unwrap_or(0) {
                ""
            } else {
                "  ≠"
            };
        let name: String = l.name.chars().take(44).collect();
        let _ = writeln!(
            o,
            "{:>4}  {:<44} {:>10} {:>11}{mark}",
            l.number,
            name,
            seats_cell(l.official_seats),
            seats_cell(l.computed_seats)
        );
    }
}

/// Official and recomputed elected candidates, with their flags, side by side.
fn candidates_line(o: &mut String, c: &results::recompute::CandidateCounts, en: bool) {
    let t = |nl: &'static str, e: &'static str| if en { e } else { nl };
    let _ = writeln!(
        o,
        "{}: {} {} ({} {}), {} {} ({} {}), {} {}",
        t("Gekozen kandidaten", "Elected candidates"),
        t("officieel", "official"),
        c.official,
        c.official_by_preference
            .map_or_else(|| "?".to_string(), |n| n.to_string()),
        t("met voorkeurstemmen", "on preference votes"),
        t("herberekend", "recomputed"),
        c.computed,
        c.computed_by_preference,
        t("met voorkeurstemmen", "on preference votes"),
        t("overeenkomend", "matching"),
        c.matched,
    );
}

fn summary_many(o: &mut String, r: &Report, en: bool) {
    let t = |nl: &'static str, e: &'static str| if en { e } else { nl };
    let n = r.elections.len();
    let _ = writeln!(
        o,
        "{} {n} {}: {} ok, {} {}, {} {}, {} {}, {} {}",
        t("Verificatie van", "Verification of"),
        t("verkiezingen", "elections"),
        r.tally(Status::Ok),
        r.tally(Status::Lot),
        t("met loting", "with a lot"),
        r.tally(Status::Mismatch),
        t("met verschil", "mismatching"),
        r.tally(Status::Damaged),
        t("beschadigd", "damaged"),
        r.tally(Status::Incomplete),
        t("onvolledig", "incomplete"),
    );
    let unofficial = r.tally(Status::NoOfficialResult);
    if unofficial > 0 {
        let _ = writeln!(
            o,
            "{unofficial} {}",
            t(
                "zonder officiële uitslag (alleen herberekend)",
                "without an official result (recomputed only)"
            )
        );
    }
    let _ = writeln!(
        o,
        "\n{:<40} {:<11} {:>6} {:>11} {:>7} {:>7}",
        t("verkiezing", "election"),
        "status",
        t("zetels", "seats"),
        t("kandidaten", "candidates"),
        t("fouten", "errors"),
        t("waarsch.", "warn."),
    );
    for v in &r.elections {
        let name: String = v.name.chars().take(40).collect();
        let _ = writeln!(
            o,
            "{:<40} {:<11} {:>6} {:>5}/{:<5} {:>7} {:>7}",
            name,
            status(v.status, en),
            seats_cell(v.seats),
            v.candidates.matched,
            v.candidates.official,
            v.errors.len(),
            v.warnings.len()
        );
    }
}

fn finding_line(o: &mut String, f: &Finding, en: bool) {
    let _ = write!(o, "  {} {}", f.code, f.message(en));
    if let Some(u) = &f.unit {
        let _ = write!(o, " [{u}]");
    }
    if !f.files.is_empty() {
        let _ = write!(o, " — {}", f.files.join(", "));
    }
    o.push('\n');
}

fn details(o: &mut String, v: &Verification, en: bool, heading: bool) {
    let t = |nl: &'static str, e: &'static str| if en { e } else { nl };
    if heading {
        let _ = writeln!(
            o,
            "\n== {} ({}) — {}",
            v.name,
            v.election,
            status(v.status, en)
        );
    }
    if !v.mismatches.is_empty() {
        let _ = writeln!(o, "\n{}", t("Verschillen:", "Mismatches:"));
        for f in &v.mismatches {
            finding_line(o, f, en);
        }
    }
    if !v.lots.is_empty() {
        let _ = writeln!(o, "\n{}", t("Lotingen:", "Lots:"));
        for l in &v.lots {
            let _ = writeln!(
                o,
                "  {}\n    {}: {}",
                if en { &l.message_en } else { &l.message_nl },
                t("gelijk geëindigd", "tied"),
                l.options.join("; ")
            );
        }
    }
    if !v.errors.is_empty() {
        let _ = writeln!(o, "\n{}", t("Fouten:", "Errors:"));
        for f in &v.errors {
            finding_line(o, f, en);
        }
    }
    if !v.warnings.is_empty() {
        let _ = writeln!(o, "\n{}", t("Waarschuwingen:", "Warnings:"));
        for f in &v.warnings {
            finding_line(o, f, en);
        }
    }
    investigations(o, v, en);
    if !heading && !v.elected.is_empty() {
        let _ = writeln!(
            o,
            "\n{}",
            t(
                "Gekozen (herberekend, P 19-volgorde; * = met voorkeurstemmen):",
                "Elected (recomputed, P 19 order; * = on preference votes):"
            )
        );
        let mut list = 0;
        for c in &v.elected {
            if c.list != list {
                list = c.list;
                let _ = write!(o, "\n  {list}:");
            }
            let _ = write!(o, " {}{};", c.name, if c.by_preference { "*" } else { "" });
        }
        o.push('\n');
    }
}

/// Investigated and corrected stembureaus (`kr:ReportingUnitInvestigations`): each one that
/// was, by name; the others counted (named when few).
fn investigations(o: &mut String, v: &Verification, en: bool) {
    let t = |nl: &'static str, e: &'static str| if en { e } else { nl };
    if v.investigations.is_empty() {
        return;
    }
    let _ = writeln!(
        o,
        "\n{}",
        t(
            "Onderzoek en correctie per stembureau (kr:ReportingUnitInvestigations):",
            "Investigation and correction per polling station (kr:ReportingUnitInvestigations):"
        )
    );
    let (marked, quiet): (Vec<_>, Vec<_>) = v
        .investigations
        .iter()
        .partition(|i| i.investigated || i.corrected || !i.reasons.is_empty());
    for i in &marked {
        let summary = if en { i.summary_en() } else { i.summary_nl() };
        let _ = writeln!(o, "  {} ({}): {summary}", i.name, i.id);
    }
    if !quiet.is_empty() {
        let names = if quiet.len() <= 10 {
            format!(
                ": {}",
                quiet
                    .iter()
                    .map(|i| format!("{} ({})", i.name, i.id))
                    .collect::<Vec<_>>()
                    .join("; ")
            )
        } else {
            String::new()
        };
        let _ = writeln!(
            o,
            "  {} {} {}{names}",
            t(
                "niet onderzocht en niet gecorrigeerd:",
                "not investigated and not corrected:"
            ),
            quiet.len(),
            if quiet.len() == 1 {
                t("stembureau", "polling station")
            } else {
                t("stembureaus", "polling stations")
            }
        );
    }
}

/// `stembus bench verify PATH...`: wall time of the whole verification (load, assemble,
/// check, recompute, compare), min and median over `runs`.
pub fn bench(paths: &[PathBuf], runs: usize) -> ExitCode {
    let runs = runs.max(1);
    let mut times = Vec::with_capacity(runs);
    let mut last = None;
    for _ in 0..runs {
        let start = std::time::Instant::now();
        let r = results::verify_paths(paths, &mut |_, _| {});
        times.push(start.elapsed());
        last = Some(r);
    }
    times.sort();
    let r = last.expect("at least one run");
    outln!(
        "verify {} : {} elections ({} ok, {} lot, {} mismatch, {} damaged), runs: {runs}, min: {:.1} ms, median: {:.1} ms",
        paths
            .iter()
            .map(|p| p.display().to_string())
            .collect::<Vec<_>>()
            .join(" "),
        r.elections.len(),
        r.tally(Status::Ok),
        r.tally(Status::Lot),
        r.tally(Status::Mismatch),
        r.tally(Status::Damaged),
        times[0].as_secs_f64() * 1e3,
        times[times.len() / 2].as_secs_f64() * 1e3
    );
    ExitCode::SUCCESS
}
