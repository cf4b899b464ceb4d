//! Seats to parties and to the lists of a lijstengroep: P 5–P 13 (U 7–U 13 for the EK).
//!
//! Order of work, following the law and the Kiesraad's formal description:
//! 1. P 5 kiesdeler (exact, unreduced) and P 6 full seats;
//! 2. restzetels: P 7 largest averages (19 seats or more, and the EK by U 9), or P 8 largest
//!    remainders with the eligibility share, then largest averages with at most one seat per
//!    list (lid 3), then — only when seats are still left — largest averages without that limit;
//! 3. P 9 absolute majority (not for the EK);
//! 4. P 10 exhaustion: seats above a party's number of living candidates are removed and passed
//!    on by continued application of step 2 (Pa 25: they stay empty);
//! 5. P 12 / P 13: a lijstengroep's seats to its lists.
//!
//! Every decision is recorded as a [`SeatStep`] with its article and the exact deciding values.
//!
//! Interpretations where the law text is silent (each is stated in its step):
//! - after P 8 lid 3, seats still left go by largest averages without the one-per-list limit
//!   (the Kiesraad's formal description);
//! - when no list that meets the restzetel minimum (P 7 lid 2, P 8 lid 2, bill 36 641) can take
//!   a seat any more, it goes by largest averages to the lists that still have candidates
//!   ([`SeatStep::AverageRoundWithoutMinimum`]); a seat stays empty only when every list with
//!   votes has all its candidates elected;
//! - P 9 with P 10, as the Kiesraad decides (Kiesraad, "Verduidelijkingen zetelverdeling",
//!   repository `kiesraad/abacus-documentatie`, `verkiezingsproces/`, questions "Hoe werkt
//!   lijstuitputting in combinatie met art. P 9" and "Kan een lijst die een zetel heeft gekregen
//!   o.b.v. P 9 extra zetels krijgen vanwege lijstuitputting?"; its software Abacus,
//!   `backend/apportionment`, does the same). On exhaustion one returns to the situation just
//!   before it and continues the restzetel method from there. So a restzetel that lapsed under
//!   P 9 no longer counts as served: in the continued application of P 10 its list competes for
//!   it again in the same round with the same value, and gets it back "op basis van dezelfde
//!   berekening" when that value is still the best. A list that gained a seat by P 9 can still
//!   gain seats by P 10. P 10 is not checked while P 9 is applied (P 10 comes after P 9 on
//!   purpose). Whenever both apply the outcome carries a [`crate::Warning`]: the Kiesraad
//!   advises to contact it in such a case. Apart from that, continued application keeps who was
//!   already served in a round (P 8 lid 1 and lid 3: one seat per list);
//! - the lists of a group take part in P 12 and P 13 whatever their votes (no threshold).

pub(crate) mod describe;
mod engine;
mod group;

pub(crate) use engine::ListCount;

use std::sync::Arc;

use crate::Fraction;
use crate::input_error::InputError;
use crate::lots::{LotBox, LotRequired, LotStop};
use crate::model::Election;
use crate::rules::Rules;
use crate::steps::Step;
use crate::validate::{self, Validated};

/// Which value decided a restzetel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ValueKind {
    /// The remainder of the stemcijfer after the full seats (P 8 lid 1, P 12).
    Remainder,
    /// Votes per seat if the list gets this seat: `votes / (seats + 1)` (P 7, P 8 lid 3, U 9).
    Average,
}

/// Why a party (or a list of a group) did not compete for a seat.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum Exclusion {
    /// No votes at all: a list without votes never gets a restzetel.
    NoVotes,
    /// The stemcijfer is lower than `share` of the kiesdeler, i.e. lower than `minimum` votes
    /// (P 7 lid 2, P 8 lid 2, bill 36 641).
    BelowMinimum {
        minimum: Fraction,
        share: (u32, u32),
    },
    /// Already got a seat in this round (P 8 lid 1 and lid 3, P 12: one per list).
    AlreadyServed,
    /// Every living candidate already has a seat (P 10, P 13).
    NoCandidatesLeft,
}

/// A party competing for a restzetel, with the value it competes with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Standing {
    pub party: u32,
    pub votes: u64,
    /// Seats before this restzetel.
    pub seats: u32,
    /// The remainder or the average (see the step's kind).
    pub value: Fraction,
}

/// A party that did not compete for a restzetel, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Excluded {
    pub party: u32,
    pub votes: u64,
    pub reason: Exclusion,
}

/// One restzetel to a party.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ResidualSeat {
    pub article: &'static str,
    /// Number of this restzetel (1 = first restzetel); seats passed on under P 10 continue
    /// the count.
    pub residual: u32,
    /// The party (list number) that gets the seat.
    pub party: u32,
    /// The winning remainder or average.
    pub value: Fraction,
    /// Every party that competed, in ballot order.
    pub standings: Vec<Standing>,
    /// Every party that did not compete, in ballot order.
    pub excluded: Vec<Excluded>,
    /// Parties with the same winning value (including the winner) when there was more than
    /// one; empty otherwise.
    pub tied: Vec<u32>,
    /// The tie was decided by the lot drawn just before this step.
    pub by_lot: bool,
    /// Assigned by continued application after exhaustion (P 10).
    pub continued: bool,
}

/// P 9: the extra seat for a party with an absolute majority of the votes.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct AbsoluteMajority {
    pub article: &'static str,
    /// The party with more than half of the votes.
    pub party: u32,
    pub votes: u64,
    pub total_votes: u64,
    /// Its seats before P 9 (at most half of all seats).
    pub seats_before: u32,
    /// All seats to fill.
    pub seats: u32,
    /// The party whose seat lapses.
    pub lapsed_party: u32,
    /// The number of the restzetel that lapses.
    pub lapsed_residual: u32,
    /// The smallest value for which a restzetel was won.
    pub lapsed_value: Fraction,
    pub lapsed_kind: ValueKind,
    /// Parties that won a restzetel for that same smallest value, when more than one.
    pub tied: Vec<u32>,
    /// The losing party was drawn by lot.
    pub by_lot: bool,
}

/// A party with more seats than living candidates (P 10, U 10, Pa 25).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct ExhaustedParty {
    pub party: u32,
    pub seats: u32,
    /// Living candidates (distinct persons over the lists of a group, P 19a).
    pub living_candidates: u32,
    pub removed: u32,
}

/// P 10: seats removed from exhausted parties and what happened to them.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Exhaustion {
    pub article: &'static str,
    pub parties: Vec<ExhaustedParty>,
    /// Seats removed in total.
    pub removed: u32,
    /// Parties that received the removed seats, in order (see the following steps).
    pub reassigned_to: Vec<u32>,
    /// Seats that stay empty: by law (Pa 25) or because no party had candidates left.
    pub left_empty: u32,
    /// The law leaves these seats empty (Pa 25) instead of passing them on.
    pub leave_empty_by_law: bool,
    /// The party whose restzetel lapsed under P 9, if P 9 applied: it competes again for the
    /// seats passed on, with the value it had (the Kiesraad's reading; see the module doc).
    pub p9_lapsed_party: Option<u32>,
}

/// Why seats stay empty.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum EmptyReason {
    /// No valid votes on any list: there is nothing to divide.
    NoVotes,
    /// No party may take part in the assignment of the remaining restzetels.
    NoEligibleList,
}

/// Full seats of one party (P 6).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct FullSeatsRow {
    pub party: u32,
    pub votes: u64,
    pub seats: u32,
}

/// Full seats of one list of a group (P 12 lid 4).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GroupListRow {
    /// Index into [`crate::Party::lists`].
    pub list: usize,
    pub kieskringen: Arc<[u32]>,
    pub votes: u64,
    pub seats: u32,
    /// Stemcijfer minus full seats times the groepskiesdeler.
    pub remainder: Fraction,
}

/// A list of a group competing for a group restzetel.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GroupStanding {
    pub list: usize,
    pub votes: u64,
    pub seats: u32,
    pub value: Fraction,
}

/// A list of a group that did not compete, and why.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GroupExcluded {
    pub list: usize,
    pub votes: u64,
    pub reason: Exclusion,
}

/// One restzetel of a lijstengroep to one of its lists (P 12 lid 5, P 13).
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct GroupSeat {
    pub article: &'static str,
    /// The group (party number).
    pub party: u32,
    /// Number of this restzetel within the group (1 = first).
    pub residual: u32,
    /// The list that gets the seat (index into [`crate::Party::lists`]).
    pub list: usize,
    pub kieskringen: Arc<[u32]>,
    pub value: Fraction,
    pub standings: Vec<GroupStanding>,
    pub excluded: Vec<GroupExcluded>,
    /// Lists with the same winning value (including the winner), when more than one.
    pub tied: Vec<usize>,
    pub by_lot: bool,
    /// Passed on from a list without candidates left (P 13 lid 1).
    pub continued: bool,
}

/// A seat step: one decision of P 5–P 13 with its article and the exact values behind it.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(tag = "kind", rename_all = "snake_case"))]
pub enum SeatStep {
    /// P 5 / U 7: the kiesdeler, exact and unreduced.
    Kiesdeler {
        article: &'static str,
        total_votes: u64,
        seats: u32,
        kiesdeler: Fraction,
    },
    /// P 6 / U 8: full seats per party.
    FullSeats {
        article: &'static str,
        kiesdeler: Fraction,
        parties: Vec<FullSeatsRow>,
        /// Full seats in total.
        assigned: u32,
        /// Restzetels left.
        remaining: u32,
    },
    /// P 7 / U 9: a restzetel by largest averages.
    ResidualByAverage(ResidualSeat),
    /// P 8 lid 1–2: a restzetel by largest remainders, one per list.
    ResidualByRemainder(ResidualSeat),
    /// P 8 lid 3: a restzetel by largest averages, at most one per list in this round.
    AverageRoundMaxOne(ResidualSeat),
    /// After P 8 lid 3, when every list had its seat in that round and seats are still left:
    /// largest averages without the limit (the Kiesraad's formal description; not in the law).
    AverageRoundUnrestricted(ResidualSeat),
    /// No list that meets the minimum for restzetels (P 7 lid 2, P 8 lid 2, bill 36 641) can
    /// take the seat any more, because each has all its candidates elected (or, in a freak
    /// result, none reaches the minimum at all). The law does not say what then; so that the
    /// seat does not stay empty while lists still have candidates (P 10), it goes by largest
    /// averages among all lists with votes. An interpretation, stated in the step.
    AverageRoundWithoutMinimum(ResidualSeat),
    /// P 9: one extra seat for an absolute majority; the seat won for the smallest value lapses.
    AbsoluteMajority(AbsoluteMajority),
    /// P 10 / U 10 / Pa 25: exhausted parties.
    Exhaustion(Exhaustion),
    /// Seats that cannot be assigned at all.
    EmptySeats {
        article: &'static str,
        seats: u32,
        reason: EmptyReason,
    },
    /// P 12 lid 2–3: the groepskiesdeler of a lijstengroep.
    GroupQuota {
        article: &'static str,
        party: u32,
        votes: u64,
        seats: u32,
        group_kiesdeler: Fraction,
    },
    /// P 12 lid 4: full seats per list of a group.
    GroupFullSeats {
        article: &'static str,
        party: u32,
        group_kiesdeler: Fraction,
        lists: Vec<GroupListRow>,
        assigned: u32,
        remaining: u32,
    },
    /// P 12 lid 5 (and P 13 lid 1): a group restzetel by largest remainders.
    GroupResidual(GroupSeat),
    /// P 13 lid 2: a group seat by largest averages after the remainders are used up.
    GroupAverage(GroupSeat),
    /// P 13 lid 1: a list of a group would get more seats than it has living candidates.
    GroupExhaustion {
        article: &'static str,
        party: u32,
        list: usize,
        kieskringen: Arc<[u32]>,
        seats: u32,
        living_candidates: u32,
        removed: u32,
    },
}

impl SeatStep {
    /// The article this step applies.
    pub fn article(&self) -> &'static str {
        match self {
            SeatStep::Kiesdeler { article, .. }
            | SeatStep::FullSeats { article, .. }
            | SeatStep::EmptySeats { article, .. }
            | SeatStep::GroupQuota { article, .. }
            | SeatStep::GroupFullSeats { article, .. }
            | SeatStep::GroupExhaustion { article, .. } => article,
            SeatStep::ResidualByAverage(r)
            | SeatStep::ResidualByRemainder(r)
            | SeatStep::AverageRoundMaxOne(r)
            | SeatStep::AverageRoundUnrestricted(r)
            | SeatStep::AverageRoundWithoutMinimum(r) => r.article,
            SeatStep::AbsoluteMajority(a) => a.article,
            SeatStep::Exhaustion(e) => e.article,
            SeatStep::GroupResidual(g) | SeatStep::GroupAverage(g) => g.article,
        }
    }

    /// Dutch sentences (B1) saying what was decided and why, with exact and rounded values.
    pub fn describe_nl(&self) -> String {
        describe::describe(self)
    }

    /// The restzetel to a party, if this step assigns one.
    pub fn residual_seat(&self) -> Option<&ResidualSeat> {
        match self {
            SeatStep::ResidualByAverage(r)
            | SeatStep::ResidualByRemainder(r)
            | SeatStep::AverageRoundMaxOne(r)
            | SeatStep::AverageRoundUnrestricted(r)
            | SeatStep::AverageRoundWithoutMinimum(r) => Some(r),
            _ => None,
        }
    }
}

/// What the seat part hands to the candidate part.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct SeatAssignment {
    pub total_votes: u64,
    pub kiesdeler: Fraction,
    /// Per party (index into `Election::parties`): full seats (P 6).
    pub full_seats: Vec<u32>,
    /// Per party: all seats after P 7/P 8, P 9, P 10.
    pub party_seats: Vec<u32>,
    /// Per party, per list (index into `Party::lists`): seats after P 12/P 13.
    pub list_seats: Vec<Vec<u32>>,
    /// Per party: list indices in the order P 12/P 13 gave them seats (full seats first in
    /// list order, then each restzetel of the group as given). P 16 lid 2 takes back the
    /// last one. Empty for parties with one list.
    pub group_seat_order: Vec<Vec<usize>>,
    pub empty_seats: u32,
    /// Party number that would get seat S + 1 by continued application of the restzetel
    /// method. `None` when no party could, or when parties tie for it (a lot would decide).
    /// As in P 10, a list whose restzetel lapsed under P 9 competes again for it.
    pub next_seat: Option<u32>,
}

/// The result of [`apportion_seats`].
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[allow(clippy::large_enum_variant)]
pub enum SeatsOnly {
    /// Every seat is assigned to a party and list (or left empty where the law says so).
    Complete {
        seats: SeatAssignment,
        steps: Vec<Step>,
    },
    /// The law requires a lot; record it in [`Election::lots`] and run again.
    LotRequired(LotRequired),
}

/// Seats only (P 5–P 13), without candidates: fast, for what-if questions and margins.
///
/// Recorded lots are replayed in order. Lots left over are not an error here: they may belong
/// to the candidate part, which this function does not run.
pub fn apportion_seats(election: &Election) -> Result<SeatsOnly, InputError> {
    let validated = validate::validate(election)?;
    let rules = Rules::for_election(election);
    let mut lots = LotBox::new(&election.lots);
    let mut steps = Vec::new();
    match assign_seats(election, Some(&validated), &rules, &mut lots, &mut steps) {
        Ok(seats) => Ok(SeatsOnly::Complete { seats, steps }),
        Err(LotStop::Required(reason, options)) => Ok(SeatsOnly::LotRequired(LotRequired {
            index: lots.used(),
            reason,
            options,
            steps,
        })),
        Err(LotStop::Invalid {
            index,
            recorded,
            options,
        }) => Err(crate::lots::invalid_lot(index, &recorded, &options)),
    }
}

/// P 5–P 13 for a validated election; `counted` as for [`engine::assign_party_seats`].
pub(crate) fn assign_seats(
    election: &Election,
    counted: Option<&Validated>,
    rules: &Rules,
    lots: &mut LotBox<'_>,
    steps: &mut Vec<Step>,
) -> Result<SeatAssignment, LotStop> {
    let parties = engine::assign_party_seats(election, counted, rules, lots, steps)?;
    let mut list_seats = Vec::with_capacity(election.parties.len());
    let mut group_seat_order = Vec::with_capacity(election.parties.len());
    for (i, party) in election.parties.iter().enumerate() {
        let seats = parties.seats[i];
        if party.lists.len() == 1 {
            list_seats.push(vec![seats]);
            group_seat_order.push(Vec::new());
        } else {
            let counts = &parties.lists[parties.list_start[i]..parties.list_start[i + 1]];
            let (per_list, order) = group::distribute(party, counts, seats, rules, lots, steps)?;
            list_seats.push(per_list);
            group_seat_order.push(order);
        }
    }
    Ok(SeatAssignment {
        total_votes: parties.total_votes,
        kiesdeler: parties.kiesdeler,
        full_seats: parties.full,
        party_seats: parties.seats,
        list_seats,
        group_seat_order,
        empty_seats: parties.empty,
        next_seat: parties.next_seat,
    })
}
