//! Dutch (B1) descriptions of the seat steps, with exact and rounded values.

use std::fmt::Write as _;

use super::{
    AbsoluteMajority, EmptyReason, Exclusion, Exhaustion, GroupSeat, ResidualSeat, SeatStep,
    ValueKind,
};
use crate::Fraction;

pub(super) fn describe(step: &SeatStep) -> String {
    match step {
        SeatStep::Kiesdeler {
            total_votes,
            seats,
            kiesdeler,
            ..
        } => format!(
            "De kiesdeler is de som van de stemcijfers van alle lijsten gedeeld door het aantal \
             zetels: {} / {} = {}.",
            int(*total_votes),
            int(u64::from(*seats)),
            exact(*kiesdeler)
        ),
        SeatStep::FullSeats {
            kiesdeler,
            parties,
            assigned,
            remaining,
            ..
        } => {
            let mut s = format!(
                "Een lijst krijgt een volle zetel voor elke keer dat de kiesdeler ({}) in haar \
                 stemcijfer past.",
                short(*kiesdeler)
            );
            let with: Vec<String> = parties
                .iter()
                .filter(|p| p.seats > 0)
                .map(|p| format!("lijst {}: {}", p.party, p.seats))
                .collect();
            if !with.is_empty() {
                let _ = write!(s, " Volle zetels: {}.", join(&with));
            }
            if with.len() < parties.len() && !with.is_empty() {
                s.push_str(" De andere lijsten krijgen geen volle zetel.");
            }
            let _ = write!(
                s,
                " Samen {}; er {} over.",
                count(*assigned, "volle zetel", "volle zetels"),
                match remaining {
                    0 => "blijven geen restzetels".to_string(),
                    1 => "blijft 1 restzetel".to_string(),
                    n => format!("blijven {n} restzetels"),
                }
            );
            s
        }
        SeatStep::ResidualByAverage(r) => residual(r, Kind::Averages),
        SeatStep::ResidualByRemainder(r) => residual(r, Kind::Remainders),
        SeatStep::AverageRoundMaxOne(r) => residual(r, Kind::MaxOne),
        SeatStep::AverageRoundUnrestricted(r) => residual(r, Kind::Unrestricted),
        SeatStep::AverageRoundWithoutMinimum(r) => residual(r, Kind::WithoutMinimum),
        SeatStep::AbsoluteMajority(a) => absolute_majority(a),
        SeatStep::Exhaustion(x) => exhaustion(x),
        SeatStep::EmptySeats { seats, reason, .. } => match reason {
            EmptyReason::NoVotes => format!(
                "Er zijn geen geldige stemmen op lijsten uitgebracht. Er valt niets te verdelen: \
                 alle {} blijven onbezet.",
                count(*seats, "zetel", "zetels")
            ),
            EmptyReason::NoEligibleList => format!(
                "{} {} onbezet: geen enkele lijst mag nog meedoen aan de verdeling van de \
                 restzetels.",
                capital(&count(*seats, "zetel", "zetels")),
                if *seats == 1 { "blijft" } else { "blijven" }
            ),
        },
        SeatStep::GroupQuota {
            article,
            party,
            votes,
            seats,
            group_kiesdeler,
        } => format!(
            "Lijst {party} is een lijstengroep met {}. Die zetels worden verdeeld over de lijsten \
             van de groep (art. {article}). De groepskiesdeler is het stemcijfer van de groep \
             gedeeld door het aantal zetels van de groep: {} / {} = {}.",
            count(*seats, "zetel", "zetels"),
            int(*votes),
            seats,
            exact(*group_kiesdeler)
        ),
        SeatStep::GroupFullSeats {
            party,
            group_kiesdeler,
            lists,
            assigned,
            remaining,
            ..
        } => {
            let rows: Vec<String> = lists
                .iter()
                .map(|l| {
                    format!(
                        "{}: {} stemmen, {} (overschot {})",
                        list_label(&l.kieskringen, l.list),
                        int(l.votes),
                        count(l.seats, "zetel", "zetels"),
                        exact(l.remainder)
                    )
                })
                .collect();
            format!(
                "Binnen lijstengroep {party} krijgt elke lijst een zetel voor elke keer dat de \
                 groepskiesdeler ({}) in haar stemcijfer past. {}. Samen {}; {}.",
                short(*group_kiesdeler),
                capital(&rows.join("; ")),
                count(*assigned, "volle zetel", "volle zetels"),
                match remaining {
                    0 => "er zijn geen restzetels".to_string(),
                    1 => "1 restzetel gaat naar de lijst met het grootste overschot".to_string(),
                    n =>
                        format!("{n} restzetels gaan naar de lijsten met de grootste overschotten"),
                },
            )
        }
        SeatStep::GroupResidual(g) => group_seat(g, false),
        SeatStep::GroupAverage(g) => group_seat(g, true),
        SeatStep::GroupExhaustion {
            article,
            party,
            list,
            kieskringen,
            seats,
            living_candidates,
            removed,
        } => format!(
            "{} van lijstengroep {party} zou {} krijgen, maar heeft maar {}. {} {} naar andere \
             lijsten van de groep (art. {article} lid 1).",
            capital(&list_label(kieskringen, *list)),
            count(*seats, "volle zetel", "volle zetels"),
            count(*living_candidates, "kandidaat", "kandidaten"),
            capital(&count(*removed, "zetel", "zetels")),
            if *removed == 1 { "gaat" } else { "gaan" },
        ),
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Averages,
    Remainders,
    MaxOne,
    Unrestricted,
    WithoutMinimum,
}

fn residual(r: &ResidualSeat, kind: Kind) -> String {
    let winner = r.standings.iter().find(|s| s.party == r.party);
    let value = match (kind, winner) {
        (Kind::Remainders, _) | (_, None) => exact(r.value),
        (_, Some(w)) => average(w.votes, w.seats, r.value),
    };
    let mut s = format!("Restzetel {}", r.residual);
    if r.continued {
        s.push_str(
            " (voortgezette toepassing, omdat een lijst meer zetels kreeg dan zij kandidaten heeft)",
        );
    }
    match kind {
        Kind::Averages => {
            let _ = write!(
                s,
                ": lijst {} krijgt deze zetel. Die lijst heeft het grootste gemiddelde aantal \
                 stemmen per zetel als zij er deze zetel bij krijgt: {value} (art. {}).",
                r.party, r.article
            );
        }
        Kind::Remainders => {
            let _ = write!(
                s,
                ": lijst {} krijgt deze zetel, want die lijst heeft het grootste overschot: \
                 {value} (art. {}). Het overschot is het stemcijfer min de volle zetels maal de \
                 kiesdeler. In deze ronde krijgt elke lijst hoogstens één restzetel.",
                r.party, r.article
            );
            if r.value == Fraction::ZERO {
                s.push_str(
                    " Deze lijst heeft geen overschot; lijsten zonder overschot komen als \
                     laatste aan de beurt.",
                );
            }
        }
        Kind::MaxOne => {
            let _ = write!(
                s,
                ": alle lijsten die meedoen aan de verdeling op overschot, hebben al een \
                 restzetel. Deze zetel gaat daarom volgens het stelsel van de grootste \
                 gemiddelden naar lijst {}: {value} (art. {}). In deze ronde krijgt elke lijst \
                 hoogstens één zetel.",
                r.party, r.article
            );
        }
        Kind::Unrestricted => {
            let _ = write!(
                s,
                ": elke lijst die mag meedoen, heeft in de ronde van art. {} al een zetel \
                 gekregen, maar er zijn nog zetels over. Deze zetel gaat volgens de grootste \
                 gemiddelden, nu zonder de grens van één zetel per lijst, naar lijst {}: \
                 {value}. Dit staat niet letterlijk in de Kieswet; de Kiesraad doet het zo in \
                 zijn formele beschrijving van de zetelverdeling.",
                r.article, r.party
            );
        }
        Kind::WithoutMinimum => {
            let _ = write!(
                s,
                ": geen lijst die aan de eis voor een restzetel voldoet, kan deze zetel nog \
                 krijgen, omdat al haar kandidaten al een zetel hebben. De wet zegt niet wat er \
                 dan gebeurt. Wij laten de zetel niet leeg zolang er lijsten zijn met kandidaten \
                 zonder zetel (art. P 10): de zetel gaat volgens de grootste gemiddelden (art. \
                 {}) naar lijst {}: {value}. Alle lijsten met stemmen en met kandidaten zonder \
                 zetel doen mee. Dit is een uitleg van de wet, geen letterlijke regel.",
                r.article, r.party
            );
        }
    }
    let noun = if kind == Kind::Remainders {
        "overschot"
    } else {
        "gemiddelde"
    };
    // The runner-up: the highest value below the winning one (first in ballot order).
    let mut next: Option<&super::Standing> = None;
    for x in r.standings.iter().filter(|x| x.value < r.value) {
        if next.is_none_or(|n| x.value > n.value) {
            next = Some(x);
        }
    }
    if let Some(next) = next {
        let _ = write!(
            s,
            " Het volgende {noun} was van lijst {}: {}.",
            next.party,
            short(next.value)
        );
    }
    tie_sentence(&mut s, &numbers(&r.tied), noun, r.by_lot);
    exclusions(&mut s, r, kind);
    s
}

fn tie_sentence(s: &mut String, tied: &[String], noun: &str, by_lot: bool) {
    if tied.len() < 2 {
        return;
    }
    if by_lot {
        let _ = write!(
            s,
            " Lijsten {} hadden precies hetzelfde {noun}, en er waren minder zetels dan lijsten: \
             het lot heeft beslist (zie de loting hiervoor).",
            join(tied)
        );
    } else {
        let _ = write!(
            s,
            " Lijsten {} hadden precies hetzelfde {noun}; er waren genoeg zetels voor elk van \
             hen, dus een loting was niet nodig.",
            join(tied)
        );
    }
}

fn exclusions(s: &mut String, r: &ResidualSeat, kind: Kind) {
    let mut below = Vec::new();
    let mut minimum = None;
    let mut none = Vec::new();
    let mut served = Vec::new();
    let mut full = Vec::new();
    for x in &r.excluded {
        let n = x.party.to_string();
        match x.reason {
            Exclusion::BelowMinimum { minimum: m, share } => {
                below.push(n);
                minimum = Some((m, share));
            }
            Exclusion::NoVotes => none.push(n),
            Exclusion::AlreadyServed => served.push(n),
            Exclusion::NoCandidatesLeft => full.push(n),
        }
    }
    if let Some((m, share)) = minimum {
        let _ = write!(
            s,
            " Niet mee deden: {} {}, omdat het stemcijfer lager is dan {} ({} stemmen).",
            if below.len() == 1 { "lijst" } else { "lijsten" },
            join(&below),
            share_text(share),
            short(m)
        );
    }
    if !served.is_empty() {
        let round = if kind == Kind::Remainders {
            "een restzetel op overschot"
        } else {
            "een zetel in deze ronde"
        };
        let _ = write!(
            s,
            " Al {round} hadden: {} {}.",
            if served.len() == 1 {
                "lijst"
            } else {
                "lijsten"
            },
            join(&served)
        );
    }
    if !full.is_empty() {
        let _ = write!(
            s,
            " Geen kandidaten meer zonder zetel: {} {}.",
            if full.len() == 1 { "lijst" } else { "lijsten" },
            join(&full)
        );
    }
    if !none.is_empty() {
        let _ = write!(
            s,
            " Zonder stemmen (dus zonder restzetel): {} {}.",
            if none.len() == 1 { "lijst" } else { "lijsten" },
            join(&none)
        );
    }
}

fn absolute_majority(a: &AbsoluteMajority) -> String {
    let noun = match a.lapsed_kind {
        ValueKind::Remainder => "overschot",
        ValueKind::Average => "gemiddelde",
    };
    let mut s = format!(
        "Lijst {} kreeg meer dan de helft van alle stemmen ({} van {}), maar niet meer dan de \
         helft van de zetels ({} van {}). Daarom krijgt lijst {} er één zetel bij (art. {}). \
         Daartegenover vervalt restzetel {} van lijst {}: die zetel was gewonnen voor het \
         kleinste {noun}, {}.",
        a.party,
        int(a.votes),
        int(a.total_votes),
        a.seats_before,
        a.seats,
        a.party,
        a.article,
        a.lapsed_residual,
        a.lapsed_party,
        exact(a.lapsed_value)
    );
    if a.by_lot {
        let _ = write!(
            s,
            " Lijsten {} wonnen een restzetel voor ditzelfde kleinste {noun}; het lot heeft \
             bepaald dat lijst {} de zetel verliest.",
            join(&numbers(&a.tied)),
            a.lapsed_party
        );
    }
    s
}

fn exhaustion(x: &Exhaustion) -> String {
    let mut s = String::new();
    for p in &x.parties {
        let _ = write!(
            s,
            "Lijst {} kreeg {}, maar heeft maar {} (overleden kandidaten tellen niet mee); {} \
             {} daar. ",
            p.party,
            count(p.seats, "zetel", "zetels"),
            count(p.living_candidates, "kandidaat", "kandidaten"),
            count(p.removed, "zetel", "zetels"),
            if p.removed == 1 {
                "vervalt"
            } else {
                "vervallen"
            },
        );
    }
    if x.leave_empty_by_law {
        let _ = write!(
            s,
            "Deze {} niet aan andere lijsten toegewezen en {} onbezet (art. {}).",
            if x.removed == 1 {
                "zetel wordt"
            } else {
                "zetels worden"
            },
            if x.removed == 1 { "blijft" } else { "blijven" },
            x.article
        );
        return s;
    }
    if let Some(lapsed) = x.p9_lapsed_party {
        let _ = write!(
            s,
            "Lijst {lapsed} verloor eerder een restzetel door art. P 9. Volgens de uitleg van de \
             Kiesraad gaan we terug naar de situatie net daarvoor: lijst {lapsed} doet weer mee \
             voor die restzetel, met dezelfde berekening als eerst. "
        );
    }
    let _ = write!(
        s,
        "{} door voortgezette toepassing van dezelfde regels naar lijsten die nog kandidaten \
         zonder zetel hebben (art. {})",
        if x.removed == 1 {
            "Deze zetel gaat"
        } else {
            "Deze zetels gaan"
        },
        x.article
    );
    if x.reassigned_to.is_empty() {
        s.push('.');
    } else {
        let _ = write!(
            s,
            ": naar {} {}.",
            if x.reassigned_to.len() == 1 {
                "lijst"
            } else {
                "lijsten"
            },
            join(&numbers(&x.reassigned_to))
        );
    }
    if x.left_empty > 0 {
        let _ = write!(
            s,
            " {} {} onbezet, omdat geen lijst die mag meedoen nog kandidaten zonder zetel heeft.",
            capital(&count(x.left_empty, "zetel", "zetels")),
            if x.left_empty == 1 {
                "blijft"
            } else {
                "blijven"
            }
        );
    }
    s
}

fn group_seat(g: &GroupSeat, by_average: bool) -> String {
    let label = list_label(&g.kieskringen, g.list);
    let mut s = if by_average {
        let value = g
            .standings
            .iter()
            .find(|x| x.list == g.list)
            .map_or_else(|| exact(g.value), |w| average(w.votes, w.seats, g.value));
        format!(
            "Er is geen lijst meer die op grond van haar overschot een zetel kan krijgen. \
             Restzetel {} van lijstengroep {} gaat daarom volgens het stelsel van de grootste \
             gemiddelden naar {label}: {value} (art. {} lid 2).",
            g.residual, g.party, g.article
        )
    } else {
        let mut s = format!(
            "Restzetel {} van lijstengroep {} gaat naar {label}, want die lijst heeft het \
             grootste overschot: {} (art. {}).",
            g.residual,
            g.party,
            exact(g.value),
            g.article
        );
        if g.continued {
            s.push_str(
                " Deze zetel is doorgeschoven: een lijst die eerder aan de beurt was, heeft geen \
                 kandidaten meer zonder zetel.",
            );
        }
        s
    };
    if g.tied.len() > 1 {
        let noun = if by_average {
            "gemiddelde"
        } else {
            "overschot"
        };
        let _ = write!(
            s,
            " {} lijsten van de groep hadden precies hetzelfde {noun}; {}",
            g.tied.len(),
            if g.by_lot {
                "er waren minder zetels dan lijsten, dus het lot heeft beslist."
            } else {
                "er waren genoeg zetels voor elk van hen, dus een loting was niet nodig."
            }
        );
    }
    s
}

/// "de lijst in kieskring 3" / "de lijst in kieskringen 1, 2 en 4" / "lijst 2 van de groep".
fn list_label(kieskringen: &[u32], list: usize) -> String {
    match kieskringen {
        [] => format!("lijst {} van de groep", list + 1),
        [k] => format!("de lijst in kieskring {k}"),
        more => format!("de lijst in kieskringen {}", join(&numbers(more))),
    }
}

fn share_text(share: (u32, u32)) -> String {
    let (p, q) = share;
    if p == q {
        "de kiesdeler".to_string()
    } else if (100 * p) % q == 0 {
        format!("{}% van de kiesdeler", 100 * p / q)
    } else {
        format!("{p}/{q} van de kiesdeler")
    }
}

/// `votes / (seats + 1) = exact (afgerond …)`.
fn average(votes: u64, seats: u32, value: Fraction) -> String {
    format!(
        "{} / {} = {}",
        int(votes),
        int(u64::from(seats) + 1),
        exact(value)
    )
}

/// Exact value, with a rounded decimal when it is not whole: `69.485 102/150 (afgerond 69.485,68)`.
fn exact(f: Fraction) -> String {
    if f.numerator().is_multiple_of(f.denominator()) {
        f.to_mixed()
    } else {
        format!("{} (afgerond {})", f.to_mixed(), f.to_dutch_decimal(2))
    }
}

/// A whole number as is, otherwise rounded to two decimals: `80`, `65.244,21`.
fn short(f: Fraction) -> String {
    if f.numerator().is_multiple_of(f.denominator()) {
        f.to_mixed()
    } else {
        f.to_dutch_decimal(2)
    }
}

fn int(n: u64) -> String {
    Fraction::from_int(u128::from(n)).to_mixed()
}

fn count(n: u32, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

pub(crate) fn numbers<T: ToString>(xs: &[T]) -> Vec<String> {
    xs.iter().map(ToString::to_string).collect()
}

/// "1", "1 en 2", "1, 2 en 3".
pub(crate) fn join(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} en {last}", init.join(", ")),
    }
}

fn capital(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().collect::<String>() + c.as_str(),
        None => String::new(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn joins_like_dutch_prose() {
        assert_eq!(join(&numbers(&[1, 2, 3])), "1, 2 en 3");
        assert_eq!(join(&numbers(&[4])), "4");
        assert_eq!(
            list_label(&[1, 2, 3, 4], 0),
            "de lijst in kieskringen 1, 2, 3 en 4"
        );
        assert_eq!(share_text((3, 4)), "75% van de kiesdeler");
        assert_eq!(share_text((1, 1)), "de kiesdeler");
    }

    #[test]
    fn values_are_exact_with_a_rounded_decimal() {
        assert_eq!(
            exact(Fraction::new(10_422_852, 150)),
            "69.485 102/150 (afgerond 69.485,68)"
        );
        assert_eq!(exact(Fraction::new(66_625, 1)), "66.625");
        assert_eq!(
            average(623_371, 8, Fraction::new(623_371, 9)),
            "623.371 / 9 = 69.263 4/9 (afgerond 69.263,44)"
        );
    }
}
