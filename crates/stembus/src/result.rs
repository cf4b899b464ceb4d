//! `stembus result PATH... -o Resultaat.eml.xml`: recompute an election from its counts and
//! candidate lists and write the result as EML 520 (valid against the Kiesraad's strict XSD).
//! Exit 0 = written, 1 = written but it differs from an official result found in the input,
//! 2 = nothing could be computed.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use results::Status;

/// `YYYY-MM-DDThh:mm:ss.mmm` (UTC) for `kr:CreationDateTime`.
pub fn now_utc() -> String {
    let d = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap_or_default();
    let secs = d.as_secs();
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    let (year, month, day) = webkit::fmt::civil_from_days(days);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}.{:03}",
        rem / 3600,
        (rem / 60) % 60,
        rem % 60,
        d.subsec_millis()
    )
}

pub fn run(paths: &[PathBuf], out: &Path, election: Option<&str>) -> ExitCode {
    let report = crate::verify::load_and_verify(paths);
    let candidates: Vec<usize> = report
        .elections
        .iter()
        .enumerate()
        .filter(|(_, v)| v.outcome.is_some())
        .filter(|(_, v)| election.is_none_or(|id| v.election == id))
        .map(|(i, _)| i)
        .collect();
    let i = match candidates.as_slice() {
        [i] => *i,
        [] => {
            eprintln!("stembus: geen verkiezing die herberekend kan worden in de invoer");
            for v in &report.elections {
                for f in &v.errors {
                    let line = format!("  {} {}: {}", v.election, f.code, f.message_nl);
                    eprintln!("{}", crate::terminal_safe(&line));
                }
            }
            for f in &report.errors {
                eprintln!(
                    "{}",
                    crate::terminal_safe(&format!("  {}: {}", f.code, f.message_nl))
                );
            }
            return ExitCode::from(2);
        }
        many => {
            eprintln!(
                "stembus: meer dan één verkiezing in de invoer; kies er één met --election: {}",
                many.iter()
                    .map(|&i| report.elections[i].election.as_str())
                    .collect::<Vec<_>>()
                    .join(", ")
            );
            return ExitCode::from(2);
        }
    };
    let v = &report.elections[i];
    let Some(xml) = results::eml520::write(&report.data[i], v, &now_utc()) else {
        eprintln!(
            "stembus: geen herberekende uitslag met gekozen kandidaten voor {} (ontbreken de kandidatenlijsten of de telling?); zie `stembus verify`",
            v.election
        );
        return ExitCode::from(2);
    };
    if let Err(e) = std::fs::write(out, xml) {
        eprintln!("stembus: kan {} niet schrijven: {e}", out.display());
        return ExitCode::FAILURE;
    }
    eprintln!(
        "{} geschreven: {} zetels, {} gekozen kandidaten ({})",
        out.display(),
        v.lists.iter().filter_map(|l| l.computed_seats).sum::<u32>(),
        v.elected.len(),
        match v.status {
            Status::Ok | Status::Lot => "gelijk aan de officiële uitslag",
            Status::Mismatch => "WIJKT AF van de officiële uitslag",
            Status::Damaged => "let op: een bestand kon niet gelezen worden, zie stembus verify",
            Status::Incomplete | Status::NoOfficialResult => {
                "geen officiële uitslag om mee te vergelijken"
            }
        }
    );
    if v.status == Status::Mismatch {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}
