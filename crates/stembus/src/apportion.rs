//! `stembus apportion`: JSON in, a proces-verbaal–like Dutch report (or JSON) out.

use std::fmt::Write as _;
use std::io::Read as _;
use std::path::Path;
use std::process::ExitCode;

use kieswet::json::{election_from_json, result_json};
use kieswet::{Apportionment, ElectedBy, Election, LotRequired, Margins, Outcome};

/// The bundled example: a fictional gemeente with 15 seats (the public P 15 worked example).
pub const EXAMPLE: &str = include_str!("../data/voorbeeld-gemeente.json");

pub const EXIT_INVALID: u8 = 2;
pub const EXIT_LOT_REQUIRED: u8 = 3;

pub fn run(file: Option<&Path>, json: bool, with_margins: bool) -> ExitCode {
    let (label, text) = match read_input(file) {
        Ok(v) => v,
        Err(message) => {
            eprintln!("stembus: {message}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let election = match election_from_json(&text) {
        Ok(e) => e,
        Err(e) => {
            eprintln!("stembus: ongeldige invoer in {label}: {e}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let result = match kieswet::apportion(&election) {
        Ok(r) => r,
        Err(e) => {
            eprintln!("stembus: ongeldige invoer in {label}: {e}");
            return ExitCode::from(EXIT_INVALID);
        }
    };
    let margins = match (&result, with_margins) {
        (Apportionment::Complete(_), true) => kieswet::margins(&election).ok(),
        _ => None,
    };
    if json {
        let doc = result_json(&election, &result, margins.as_ref());
        match serde_json::to_string_pretty(&doc) {
            Ok(s) => outln!("{s}"),
            Err(e) => {
                eprintln!("stembus: kan JSON niet schrijven: {e}");
                return ExitCode::FAILURE;
            }
        }
    } else {
        out!("{}", render(&election, &result, margins.as_ref()));
    }
    match result {
        Apportionment::Complete(_) => ExitCode::SUCCESS,
        Apportionment::LotRequired(_) => ExitCode::from(EXIT_LOT_REQUIRED),
    }
}

fn read_input(file: Option<&Path>) -> Result<(String, String), String> {
    match file {
        None => Ok(("het ingebouwde voorbeeld".to_string(), EXAMPLE.to_string())),
        Some(p) if p.as_os_str() == "-" => {
            let mut s = String::new();
            std::io::stdin()
                .read_to_string(&mut s)
                .map_err(|e| format!("kan standaardinvoer niet lezen: {e}"))?;
            Ok(("standaardinvoer".to_string(), s))
        }
        Some(p) => {
            let bytes =
                std::fs::read(p).map_err(|e| format!("kan {} niet lezen: {e}", p.display()))?;
            let text = String::from_utf8(bytes).map_err(|e| {
                format!(
                    "{} is geen UTF-8 (byte {}): {e}",
                    p.display(),
                    e.utf8_error().valid_up_to()
                )
            })?;
            Ok((p.display().to_string(), text))
        }
    }
}

/// The Dutch report, readable like a proces-verbaal.
pub fn render(election: &Election, result: &Apportionment, margins: Option<&Margins>) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "Verkiezing van de {} — {} zetels",
        election.body.name_nl(),
        election.seats
    );
    let _ = writeln!(
        out,
        "Regels: {}",
        if election.ruleset.is_current_law() {
            "de Kieswet zoals die nu geldt".to_string()
        } else {
            format!("{} (voorstel, GEEN geldend recht)", election.ruleset.code())
        }
    );
    out.push('\n');
    match result {
        Apportionment::Complete(o) => render_warnings(&mut out, &o.warnings),
        Apportionment::LotRequired(lot) => {
            render_warnings(&mut out, &kieswet::warnings(&lot.steps));
        }
    }
    match result {
        Apportionment::Complete(o) => render_outcome(&mut out, election, o, margins),
        Apportionment::LotRequired(lot) => render_lot(&mut out, lot),
    }
    out
}

/// Warnings first, so that nobody reads the seats without them.
fn render_warnings(out: &mut String, warnings: &[kieswet::Warning]) {
    for w in warnings {
        let _ = writeln!(out, "LET OP ({}): {}", w.code(), w.text_nl());
    }
    if !warnings.is_empty() {
        out.push('\n');
    }
}

fn render_steps(out: &mut String, steps: &[kieswet::Step]) {
    let _ = writeln!(out, "Stappen");
    for (i, s) in steps.iter().enumerate() {
        let _ = writeln!(
            out,
            "{:>4}. [art. {}] {}",
            i + 1,
            s.article(),
            s.describe_nl()
        );
    }
    out.push('\n');
}

fn render_outcome(out: &mut String, election: &Election, o: &Outcome, margins: Option<&Margins>) {
    let _ = writeln!(
        out,
        "Kiesdeler (art. {}): {} stemmen / {} zetels = {} (≈ {})",
        o.rules.articles.kiesdeler,
        thousands(o.total_votes),
        election.seats,
        o.kiesdeler.to_mixed(),
        o.kiesdeler.to_dutch_decimal(2)
    );
    let _ = writeln!(
        out,
        "Voorkeurdrempel (art. {}): {} {} stemmen ({} % van de kiesdeler)",
        o.rules.articles.preference,
        if o.rules.preference_threshold_strict {
            "meer dan"
        } else {
            "ten minste"
        },
        o.preference_threshold.to_dutch_decimal(2),
        o.rules.preference_threshold_percent
    );
    out.push('\n');
    render_steps(out, &o.steps);

    let _ = writeln!(out, "Zetelverdeling");
    let width = o
        .parties
        .iter()
        .map(|p| p.name.chars().count())
        .max()
        .unwrap_or(5)
        .max(5);
    let _ = writeln!(
        out,
        "  {:>4}  {:<width$}  {:>12}  {:>12}  {:>6}",
        "Nr", "Lijst", "Stemmen", "Volle zetels", "Zetels"
    );
    for p in &o.parties {
        let _ = writeln!(
            out,
            "  {:>4}  {:<width$}  {:>12}  {:>12}  {:>6}",
            p.number,
            p.name,
            thousands(p.votes),
            p.full_seats,
            p.seats
        );
    }
    if o.empty_seats > 0 {
        let _ = writeln!(out, "  Niet toegewezen (leeg): {}", o.empty_seats);
    }
    if let Some(next) = o.next_seat {
        let _ = writeln!(
            out,
            "  De volgende zetel (zetel {}) zou naar lijst {next} gaan.",
            election.seats + 1
        );
    }
    out.push('\n');

    let _ = writeln!(
        out,
        "Gekozen kandidaten (per lijst in de volgorde van art. P 19)"
    );
    let mut current = None;
    for e in &o.elected {
        if current != Some(e.list) {
            current = Some(e.list);
            let name = o
                .parties
                .iter()
                .find(|p| p.number == e.list)
                .map_or("", |p| p.name.as_str());
            let _ = writeln!(out, "  Lijst {} {}", e.list, name);
        }
        let how = match e.by {
            ElectedBy::Preference => "met voorkeurstemmen",
            ElectedBy::ListOrder => "op volgorde van de lijst",
            ElectedBy::ListSeat => "lijstzetel",
            ElectedBy::CandidateSeat => "kandidaatszetel",
        };
        let _ = writeln!(
            out,
            "    {:>3}. {} ({} stemmen) — {how}",
            e.position,
            e.name,
            thousands(e.votes)
        );
    }
    out.push('\n');

    if let Some(m) = margins {
        let _ = writeln!(out, "Marges (andere lijsten gelijk)");
        let _ = writeln!(
            out,
            "  {:>4}  {:>6}  {:>28}  {:>34}",
            "Nr", "Zetels", "Extra stemmen voor +1 zetel", "Kan verliezen zonder zetelverlies"
        );
        for p in &m.parties {
            let _ = writeln!(
                out,
                "  {:>4}  {:>6}  {:>28}  {:>34}",
                p.number,
                p.seats,
                p.gain.map_or("—".to_string(), thousands),
                p.lose.map_or("—".to_string(), thousands)
            );
        }
        out.push('\n');
    }
    for a in &o.assumptions {
        let _ = writeln!(out, "Aanname: {a}");
    }
}

fn render_lot(out: &mut String, lot: &LotRequired) {
    render_steps(out, &lot.steps);
    let options: Vec<String> = lot.options.iter().map(ToString::to_string).collect();
    let _ = writeln!(
        out,
        "LOTING NODIG (art. P 14): {}.",
        lot.reason.describe_nl()
    );
    let _ = writeln!(out, "Mogelijke uitkomsten: {}.", options.join(", "));
    let _ = writeln!(
        out,
        "Leg de uitkomst van de loting vast als element {} van \"lots\" in het invoerbestand \
         (een lijstnummer, of {{\"list\": L, \"position\": P}} voor een kandidaat) en voer de \
         berekening opnieuw uit.",
        lot.index + 1
    );
}

/// `1234567` → `1.234.567`.
pub fn thousands(n: u64) -> String {
    kieswet::Fraction::from_int(u128::from(n)).to_dutch_decimal(0)
}
