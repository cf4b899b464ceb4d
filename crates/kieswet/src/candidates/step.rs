//! The candidate steps: every decision of P 15–P 19a (U 15) and of the proposal "Met één stem
//! meer keus", with the article and the values that decided it, and a Dutch (B1) sentence.

use std::fmt::Write as _;
use std::sync::Arc;

use crate::count;
use crate::fraction::Fraction;
use crate::model::SplitRounding;
use crate::seats::describe::{join, numbers};

use super::CandidateName;

/// The article cited for the proposal "Met één stem meer keus" (not law).
pub const PROPOSAL: &str = "voorstel Met één stem meer keus";

/// A list as it appears in a step.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ListRef {
    /// Party (list) number on the ballot.
    pub party: u32,
    /// Index of the list within the party ([`crate::Party::lists`]).
    pub index: usize,
    /// Whether the party is a lijstengroep with several lists.
    pub in_group: bool,
    /// Kieskring numbers of this list (empty when there are none). Shared: the steps of a
    /// run name the same lists many times.
    pub kieskringen: Arc<[u32]>,
}

/// A candidate as it appears in a step: on which list and at which position.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct CandidateRef {
    pub list: ListRef,
    /// Position on that list.
    pub position: u32,
    pub name: CandidateName,
}

/// Why a preference-elected candidate of a lijstengroep got the seat on this list (P 16 lid 1).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum Placement {
    /// The list with the most votes for the candidate (ties: lowest kieskring number).
    MostVotes {
        /// Whether another list had the same number of votes (the kieskring number decided).
        tie_by_kieskring: bool,
    },
    /// Lists with more votes for the candidate had no free seat left; this is the next list by
    /// votes that still had one.
    NextList {
        /// The lists passed over, each with the candidate's votes there.
        full: Vec<(ListRef, u64)>,
    },
}

/// A seat that P 18 frees on a list, and who gets it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ReleasedSeat {
    pub list: ListRef,
    /// The candidate's votes on this list.
    pub votes: u64,
    /// The next not-yet-elected candidate of this list who gets the seat; `None` if nobody is
    /// left.
    pub successor: Option<Successor>,
}

/// The candidate who gets a seat that P 18 frees, on the list of that seat.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Successor {
    /// Position on the list of the seat.
    pub position: u32,
    pub name: CandidateName,
}

/// A step of the candidate part.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum CandidateStep {
    /// P 19a: a deceased candidate is left out of everything in this part.
    DeceasedIgnored { candidate: CandidateRef },
    /// P 15 (lid 1 or 2), U 15 or Y 23a: the preference threshold.
    PreferenceThreshold {
        article: &'static str,
        percent: u32,
        kiesdeler: Fraction,
        /// `percent`% of the kiesdeler, exact.
        threshold: Fraction,
        /// The same in Dutch notation with two decimals.
        threshold_decimal: String,
        /// `true`: more than the threshold is needed ("groter dan"); `false`: at least
        /// ("groter dan of gelijk aan", U 15).
        strict: bool,
        /// The smallest whole number of votes that reaches the threshold.
        minimum_votes: u64,
    },
    /// P 15: elected on preference votes, in order of votes.
    PreferenceElected {
        article: &'static str,
        candidate: CandidateRef,
        /// Votes on the joint lists of the party.
        votes: u64,
        /// The seat number within the party (1 = first seat given under P 15).
        seat: u32,
        party_seats: u32,
        /// How many other candidates had exactly as many votes and were still in the running.
        tied: u32,
        /// Whether a lot decided (P 15 lid 1, last sentence).
        by_lot: bool,
    },
    /// P 15: above the threshold, but the party had no seat left (P 19 lid 2 ranks them next).
    AboveThresholdNotElected {
        article: &'static str,
        candidate: CandidateRef,
        votes: u64,
        party_seats: u32,
    },
    /// P 16 lid 1: the list of the group on which a preference-elected candidate gets the seat.
    PlacedOnList {
        candidate: CandidateRef,
        votes_on_list: u64,
        placement: Placement,
    },
    /// P 16 lid 2: none of the candidate's lists had a free seat. The candidate gets a seat on
    /// the list with the most votes for him or her, and the seat last given under P 12/P 13 to
    /// a list of the group lapses.
    GroupSeatLapsed {
        candidate: CandidateRef,
        votes_on_list: u64,
        /// The list that loses a seat.
        lapsed: ListRef,
        /// Seats given later under P 12/P 13 that could not lapse, because a preference-elected
        /// candidate already holds them.
        passed_over: Vec<ListRef>,
    },
    /// P 17: a remaining seat to the next candidate in list order.
    ListOrderElected {
        candidate: CandidateRef,
        /// The seat number on that list.
        seat: u32,
        list_seats: u32,
    },
    /// P 18 (and the proposal's counterpart): a candidate elected on several lists of the group
    /// counts as elected on the list with the most votes for him or her; the other seats go to
    /// the next not-yet-elected candidates of those lists.
    DuplicateResolved {
        article: &'static str,
        /// Round of the repetition (P 18 lid 3), starting at 1.
        round: u32,
        name: CandidateName,
        kept: ListRef,
        kept_votes: u64,
        /// Whether another list had the same number of votes (the kieskring number decided).
        tie_by_kieskring: bool,
        released: Vec<ReleasedSeat>,
    },
    /// A list has more seats than candidates who can take them; the seat stays empty.
    SeatUnfilled {
        article: &'static str,
        list: ListRef,
        list_seats: u32,
        unfilled: u32,
    },
    /// P 19 lid 5: these parties have no elected candidates (and are no lijstengroep with
    /// seats), so their lists are not ranked.
    RankingOmitted { parties: Vec<u32> },
    /// Proposal: the list's seats split into list seats and candidate seats.
    SplitListCandidateSeats {
        list: ListRef,
        rounding: SplitRounding,
        seats: u32,
        list_votes: u64,
        candidate_votes: u64,
        list_seats: u32,
        candidate_seats: u32,
    },
    /// Proposal: a list seat, in list order.
    ListSeatElected {
        candidate: CandidateRef,
        seat: u32,
        list_seats: u32,
    },
    /// Proposal: a candidate seat, by candidate votes (no threshold).
    CandidateSeatElected {
        candidate: CandidateRef,
        votes: u64,
        seat: u32,
        candidate_seats: u32,
        tied: u32,
        by_lot: bool,
    },
}

impl CandidateStep {
    /// The article this step applies.
    pub fn article(&self) -> &'static str {
        match self {
            CandidateStep::DeceasedIgnored { .. } => "P 19a",
            CandidateStep::PreferenceThreshold { article, .. }
            | CandidateStep::PreferenceElected { article, .. }
            | CandidateStep::AboveThresholdNotElected { article, .. }
            | CandidateStep::DuplicateResolved { article, .. }
            | CandidateStep::SeatUnfilled { article, .. } => article,
            CandidateStep::PlacedOnList { .. } => "P 16 lid 1",
            CandidateStep::GroupSeatLapsed { .. } => "P 16 lid 2",
            CandidateStep::ListOrderElected { .. } => "P 17",
            CandidateStep::RankingOmitted { .. } => "P 19 lid 5",
            CandidateStep::SplitListCandidateSeats { .. }
            | CandidateStep::ListSeatElected { .. }
            | CandidateStep::CandidateSeatElected { .. } => PROPOSAL,
        }
    }

    /// What happened and why, in Dutch (B1).
    pub fn describe_nl(&self) -> String {
        match self {
            CandidateStep::DeceasedIgnored { candidate } => format!(
                "{} is overleden. Deze kandidaat telt niet mee bij het toewijzen van de zetels \
                 aan kandidaten.",
                cand(candidate)
            ),
            CandidateStep::PreferenceThreshold {
                percent,
                kiesdeler,
                threshold,
                threshold_decimal,
                strict,
                minimum_votes,
                ..
            } => {
                let rule = if *strict {
                    "meer stemmen dan de drempel"
                } else {
                    "evenveel stemmen als de drempel of meer"
                };
                format!(
                    "De voorkeurdrempel is {percent}% van de kiesdeler ({}): {threshold_decimal} \
                     stemmen (precies {}). Een kandidaat is met voorkeurstemmen gekozen als hij \
                     of zij {rule} heeft, dus ten minste {minimum_votes} stemmen.",
                    kiesdeler.to_mixed(),
                    threshold.reduced()
                )
            }
            CandidateStep::PreferenceElected {
                candidate,
                votes,
                seat,
                party_seats,
                tied,
                by_lot,
                ..
            } => {
                let mut s = format!(
                    "{} heeft {votes} stemmen; dat is boven de voorkeurdrempel. Deze kandidaat \
                     krijgt zetel {seat} van de {party_seats} zetels van lijst {}.",
                    cand(candidate),
                    candidate.list.party
                );
                s.push_str(&tie_sentence(*tied, *by_lot));
                s
            }
            CandidateStep::AboveThresholdNotElected {
                candidate,
                votes,
                party_seats,
                ..
            } => {
                let why = if *party_seats == 0 {
                    format!("lijst {} heeft geen zetels", candidate.list.party)
                } else {
                    format!(
                        "alle {party_seats} zetels van lijst {} zijn al toegewezen aan \
                         kandidaten met meer stemmen (of door loting)",
                        candidate.list.party
                    )
                };
                format!(
                    "{} heeft {votes} stemmen; dat is boven de voorkeurdrempel. Toch is deze \
                     kandidaat niet met voorkeurstemmen gekozen: {why}.",
                    cand(candidate)
                )
            }
            CandidateStep::PlacedOnList {
                candidate,
                votes_on_list,
                placement,
            } => match placement {
                Placement::MostVotes { tie_by_kieskring } => {
                    let tie = if *tie_by_kieskring {
                        " Op een andere lijst had deze kandidaat evenveel stemmen; dan telt de \
                         lijst van de kieskring met het laagste nummer."
                    } else {
                        ""
                    };
                    format!(
                        "{} krijgt de zetel op {}: daar kreeg deze kandidaat de meeste stemmen \
                         ({votes_on_list}).{tie}",
                        candidate.name,
                        list_label(&candidate.list)
                    )
                }
                Placement::NextList { full } => {
                    let passed: Vec<String> = full
                        .iter()
                        .map(|(l, v)| format!("{} ({v} stemmen)", list_label(l)))
                        .collect();
                    format!(
                        "{} kreeg meer stemmen op {}, maar daar zijn geen zetels meer vrij. \
                         Daarom krijgt deze kandidaat de zetel op {} ({votes_on_list} stemmen): \
                         de lijst met de meeste stemmen die nog een vrije zetel heeft.",
                        candidate.name,
                        passed.join(", "),
                        list_label(&candidate.list)
                    )
                }
            },
            CandidateStep::GroupSeatLapsed {
                candidate,
                votes_on_list,
                lapsed,
                passed_over,
            } => {
                let mut s = format!(
                    "Geen van de lijsten waarop {} staat, heeft nog een vrije zetel. Toch krijgt \
                     deze kandidaat een zetel, op {} ({votes_on_list} stemmen, de meeste). \
                     Daartegenover vervalt de zetel die bij de verdeling binnen de lijstengroep \
                     (artikel P 12 of P 13) het laatst was toegewezen: een zetel van {}.",
                    candidate.name,
                    list_label(&candidate.list),
                    list_label(lapsed)
                );
                if !passed_over.is_empty() {
                    let names: Vec<String> = passed_over.iter().map(list_label).collect();
                    let _ = write!(
                        s,
                        " Zetels die later waren toegewezen aan {}, zijn al bezet door een \
                         kandidaat die met voorkeurstemmen is gekozen; die kunnen niet vervallen.",
                        names.join(", ")
                    );
                }
                s
            }
            CandidateStep::ListOrderElected {
                candidate,
                seat,
                list_seats,
            } => format!(
                "{} krijgt zetel {seat} van de {list_seats} zetels van {}: de volgende nog niet \
                 gekozen kandidaat in de volgorde van de lijst.",
                cand(candidate),
                list_label(&candidate.list)
            ),
            CandidateStep::DuplicateResolved {
                name,
                kept,
                kept_votes,
                tie_by_kieskring,
                released,
                round,
                ..
            } => {
                let tie = if *tie_by_kieskring {
                    " (bij een gelijk aantal stemmen telt de lijst van de kieskring met het \
                     laagste nummer)"
                } else {
                    ""
                };
                let mut s = format!(
                    "Ronde {round}: {name} is gekozen op meer dan één lijst van de groep. Deze \
                     kandidaat geldt als gekozen op {}, waar de meeste stemmen op hem of haar \
                     zijn uitgebracht ({kept_votes}){tie}.",
                    list_label(kept)
                );
                for r in released {
                    match &r.successor {
                        Some(c) => {
                            let _ = write!(
                                s,
                                " De zetel op {} ({} stemmen) gaat naar {} (nr. {}), de \
                                 volgende nog niet gekozen kandidaat van die lijst.",
                                list_label(&r.list),
                                r.votes,
                                c.name,
                                c.position
                            );
                        }
                        None => {
                            let _ = write!(
                                s,
                                " De zetel op {} ({} stemmen) blijft leeg: er is geen kandidaat \
                                 meer over.",
                                list_label(&r.list),
                                r.votes
                            );
                        }
                    }
                }
                s
            }
            CandidateStep::SeatUnfilled {
                list,
                list_seats,
                unfilled,
                ..
            } => format!(
                "{} heeft {}, maar te weinig kandidaten die nog een zetel kunnen krijgen. {} \
                 daarom leeg.",
                capitalise(&list_label(list)),
                count(*list_seats, "zetel", "zetels"),
                if *unfilled == 1 {
                    "1 zetel blijft".to_string()
                } else {
                    format!("{unfilled} zetels blijven")
                }
            ),
            CandidateStep::RankingOmitted { parties } => format!(
                "{} {} geen gekozen kandidaten. De kandidaten op {} krijgen daarom geen \
                 volgorde voor latere opvolging.",
                if parties.len() == 1 {
                    format!("Lijst {}", parties[0])
                } else {
                    format!("Lijsten {}", join(&numbers(parties)))
                },
                if parties.len() == 1 {
                    "heeft"
                } else {
                    "hebben"
                },
                if parties.len() == 1 {
                    "die lijst"
                } else {
                    "die lijsten"
                },
            ),
            CandidateStep::SplitListCandidateSeats {
                list,
                rounding,
                seats,
                list_votes,
                candidate_votes,
                list_seats,
                candidate_seats,
            } => format!(
                "Voorstel ‘Met één stem meer keus’ (geen geldend recht): {} heeft {}, {} en {}. \
                 Naar verhouding zijn dat {} en {}. Afronding: {}.",
                list_label(list),
                count(*seats, "zetel", "zetels"),
                count(*list_votes, "lijststem", "lijststemmen"),
                count(*candidate_votes, "kandidaatsstem", "kandidaatsstemmen"),
                count(*list_seats, "lijstzetel", "lijstzetels"),
                count(*candidate_seats, "kandidaatszetel", "kandidaatszetels"),
                rounding_nl(*rounding)
            ),
            CandidateStep::ListSeatElected {
                candidate,
                seat,
                list_seats,
            } => format!(
                "{} krijgt lijstzetel {seat} van {list_seats}: de lijstzetels gaan naar de \
                 kandidaten in de volgorde van de lijst.",
                cand(candidate)
            ),
            CandidateStep::CandidateSeatElected {
                candidate,
                votes,
                seat,
                candidate_seats,
                tied,
                by_lot,
            } => {
                let mut s = format!(
                    "{} krijgt kandidaatszetel {seat} van {candidate_seats}: met {votes} \
                     kandidaatsstemmen de meeste van de kandidaten die nog geen zetel hebben. \
                     Er is geen drempel.",
                    cand(candidate)
                );
                s.push_str(&tie_sentence(*tied, *by_lot));
                s
            }
        }
    }
}

fn tie_sentence(tied: u32, by_lot: bool) -> String {
    if by_lot {
        " Meer kandidaten hadden evenveel stemmen dan er zetels over waren; het lot heeft \
         beslist."
            .to_string()
    } else if tied > 0 {
        format!(
            " {tied} andere kandidaat/kandidaten hadden evenveel stemmen. Er zijn genoeg zetels \
             voor hen allemaal, dus loting is niet nodig; de volgorde van de lijst bepaalt de \
             volgorde."
        )
    } else {
        String::new()
    }
}

/// "de lijst voor kieskring 3, 4 van lijst 2" or "lijst 2".
pub(crate) fn list_label(l: &ListRef) -> String {
    if !l.in_group {
        return format!("lijst {}", l.party);
    }
    if l.kieskringen.is_empty() {
        return format!("deellijst {} van lijstengroep {}", l.index + 1, l.party);
    }
    let kk: Vec<String> = l.kieskringen.iter().map(ToString::to_string).collect();
    let word = if l.kieskringen.len() == 1 {
        "kieskring"
    } else {
        "kieskringen"
    };
    format!(
        "de lijst voor {word} {} van lijst {}",
        kk.join(", "),
        l.party
    )
}

fn cand(c: &CandidateRef) -> String {
    format!("{} (nr. {} op {})", c.name, c.position, list_label(&c.list))
}

fn capitalise(s: &str) -> String {
    let mut chars = s.chars();
    match chars.next() {
        Some(f) => f.to_uppercase().chain(chars).collect(),
        None => String::new(),
    }
}

/// The rounding of the proposal's split, in Dutch.
pub(crate) fn rounding_nl(r: SplitRounding) -> &'static str {
    match r {
        SplitRounding::LargestRemainders => {
            "grootste overschotten; bij gelijke overschotten gaat de zetel naar de lijstzetels"
        }
        SplitRounding::LargestAverages => {
            "grootste gemiddelden; bij gelijke gemiddelden gaat de zetel naar de lijstzetels"
        }
        SplitRounding::ListSeatsDown => {
            "lijstzetels naar beneden afgerond; de overige zetels zijn kandidaatszetels"
        }
    }
}

pub(crate) fn rounding_en(r: SplitRounding) -> &'static str {
    match r {
        SplitRounding::LargestRemainders => {
            "largest remainders; with equal remainders the seat goes to the list seats"
        }
        SplitRounding::LargestAverages => {
            "largest averages; with equal averages the seat goes to the list seats"
        }
        SplitRounding::ListSeatsDown => {
            "list seats rounded down; the other seats are candidate seats"
        }
    }
}
