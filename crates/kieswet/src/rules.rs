//! Rulesets as data: what each body's election law says, as parameters the algorithms read.
//!
//! Every difference between bodies lives here, not in `if` chains in the algorithms.
//! Sources: Kieswet chapter P (P 5–P 19a), Pa 25 (kiescollege niet-ingezetenen), chapter U
//! (Eerste Kamer: U 7–U 10, U 15), Y 2 and Y 23a (Europees Parlement), Ya 13 (eilandsraad).

use crate::fraction::Fraction;
use crate::model::{Body, Election, RulesetName, SplitRounding};

/// How restzetels are assigned.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum ResidualMethod {
    /// P 7 lid 1 (and U 9): successively to the largest average `votes / (seats + 1)`.
    LargestAverages,
    /// P 8: largest remainders, one per list, for lists reaching the eligibility share of the
    /// kiesdeler (lid 1–2); then largest averages with at most one seat per list (lid 3).
    LargestRemaindersThenAverages,
}

/// What happens to seats a list cannot fill because it has too few living candidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Exhaustion {
    /// P 10 (U 10): the seats pass to other lists by continued application.
    Reassign,
    /// Pa 25: the seats are not assigned and stay empty.
    LeaveEmpty,
}

/// How a party's seats are filled with candidates.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum CandidateSelection {
    /// P 15–P 18: preference votes above the threshold first, then list order.
    PreferenceThenListOrder,
    /// "Met één stem meer keus": list seats in list order, then candidate seats by votes,
    /// no threshold.
    ListSeatsThenCandidateSeats(SplitRounding),
}

/// How P 19 ranks the candidates who were not elected under P 15.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
#[cfg_attr(feature = "serde", serde(rename_all = "snake_case"))]
pub enum Ranking {
    /// P 19 leden 1–4: first those above the preference threshold, by votes; then the rest in
    /// list order.
    AboveThresholdFirst,
    /// U 15 lid 2 (Eerste Kamer): P 19 leden 1, 3 and 4 only, so the rest in list order.
    ListOrder,
}

/// The complete set of parameters for one election.
#[derive(Clone, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Rules {
    pub body: Body,
    pub ruleset: RulesetName,
    pub seats: u32,
    pub residual_method: ResidualMethod,
    /// Share of the kiesdeler a list's stemcijfer must reach to take part in the assignment of
    /// restzetels: P 7 lid 2 (TK; EP via Y 2) 1, P 8 lid 2 3/4, bill 36 641 1, otherwise 0.
    /// With [`ResidualMethod::LargestRemaindersThenAverages`] it applies to the remainder round.
    pub residual_eligibility: (u32, u32),
    /// Whether the bill-36 641 eligibility also applies to the largest-averages round of
    /// P 8 lid 3 (it requires the full kiesdeler for *every* restzetel).
    pub eligibility_in_average_round: bool,
    /// P 9 (absolute majority); not for the Eerste Kamer.
    pub absolute_majority: bool,
    pub exhaustion: Exhaustion,
    /// Preference threshold in percent of the kiesdeler (P 15 lid 1 25, lid 2 50, Y 23a 10,
    /// U 15 100) — or the value given by the election definition.
    pub preference_threshold_percent: u32,
    /// `true`: votes must be *greater than* the threshold (P 15 "groter dan");
    /// `false`: *at least* the threshold (U 15 "groter dan of gelijk aan").
    pub preference_threshold_strict: bool,
    pub candidate_selection: CandidateSelection,
    /// How P 19 ranks the candidates not elected under P 15.
    pub ranking: Ranking,
    /// Article numbers to cite in the steps (they differ for the Eerste Kamer).
    pub articles: Articles,
}

/// The article that carries each rule for this body.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
#[cfg_attr(feature = "serde", derive(serde::Serialize))]
pub struct Articles {
    pub kiesdeler: &'static str,
    pub full_seats: &'static str,
    pub largest_averages: &'static str,
    pub largest_remainders: &'static str,
    pub remainder_averages: &'static str,
    pub absolute_majority: &'static str,
    pub exhaustion: &'static str,
    pub preference: &'static str,
    /// Seats of a lijstengroep to its lists (P 12, U 12).
    pub group_seats: &'static str,
    /// A list of a lijstengroep with too few candidates (P 13, U 13).
    pub group_exhaustion: &'static str,
}

const CHAPTER_P: Articles = Articles {
    kiesdeler: "P 5",
    full_seats: "P 6",
    largest_averages: "P 7",
    largest_remainders: "P 8",
    remainder_averages: "P 8 lid 3",
    absolute_majority: "P 9",
    exhaustion: "P 10",
    preference: "P 15",
    group_seats: "P 12",
    group_exhaustion: "P 13",
};

const CHAPTER_U: Articles = Articles {
    kiesdeler: "U 7",
    full_seats: "U 8",
    largest_averages: "U 9",
    largest_remainders: "U 9",
    remainder_averages: "U 9",
    absolute_majority: "P 9",
    exhaustion: "U 10",
    preference: "U 15",
    group_seats: "U 12",
    group_exhaustion: "U 13",
};

/// P 7 and P 8: the split between largest averages and largest remainders.
pub const LARGE_BODY_SEATS: u32 = 19;

impl Rules {
    /// P 19 lid 5: whether the lists of a party are ranked. Lists without elected candidates
    /// that are not part of a lijstengroep with seats are left unranked, but only from 19
    /// seats on ("behoudens bij verkiezingen waarbij het aantal te verdelen zetels minder dan
    /// negentien bedraagt"; an older text said thirteen, the Kiesraad's Abacus uses nineteen),
    /// and not for the Eerste Kamer, for which U 15 lid 2 applies only leden 1, 3 and 4
    /// ([`Ranking::ListOrder`]).
    pub fn ranks_party(&self, group_with_seats: bool, has_elected: bool) -> bool {
        let lid_5 = self.ranking == Ranking::AboveThresholdFirst && self.seats >= LARGE_BODY_SEATS;
        !lid_5 || group_with_seats || has_elected
    }

    /// The rules for an election, from its body, seat count and ruleset.
    pub fn for_election(election: &Election) -> Rules {
        let mut rules = Rules::new(election.body, election.seats, election.ruleset);
        if let Some(pct) = election.preference_threshold_percent {
            rules.preference_threshold_percent = pct;
        }
        if election.ruleset == RulesetName::MetEenStemMeerKeus {
            rules.candidate_selection =
                CandidateSelection::ListSeatsThenCandidateSeats(election.split_rounding);
        }
        rules
    }

    /// The rules for `body` with `seats` seats under `ruleset` (default threshold and rounding).
    pub fn new(body: Body, seats: u32, ruleset: RulesetName) -> Rules {
        let large = seats >= LARGE_BODY_SEATS;
        // U 9: the Eerste Kamer always uses largest averages; chapter P splits at 19 seats.
        let residual_method = if body == Body::EK || large {
            ResidualMethod::LargestAverages
        } else {
            ResidualMethod::LargestRemaindersThenAverages
        };
        let decentral = matches!(body, Body::PS | Body::GR | Body::AB | Body::ER);
        let bill_36641 = ruleset == RulesetName::Wet36641 && decentral;
        let residual_eligibility = match (body, residual_method) {
            _ if bill_36641 => (1, 1),
            // P 7 lid 2 (TK) and, through Y 2, the EP.
            (Body::TK | Body::EP, ResidualMethod::LargestAverages) => (1, 1),
            (_, ResidualMethod::LargestRemaindersThenAverages) => (3, 4),
            (_, ResidualMethod::LargestAverages) => (0, 1),
        };
        let (preference_threshold_percent, preference_threshold_strict) = match body {
            Body::EK => (100, false), // U 15 lid 1
            Body::EP => (10, true),   // Y 23a
            // P 15 lid 2; the ER and KC through Ya 13.
            Body::GR | Body::ER | Body::KC if !large => (50, true),
            _ => (25, true), // P 15 lid 1
        };
        Rules {
            body,
            ruleset,
            seats,
            residual_method,
            residual_eligibility,
            eligibility_in_average_round: bill_36641,
            absolute_majority: body != Body::EK,
            exhaustion: if body == Body::KCNI {
                Exhaustion::LeaveEmpty
            } else {
                Exhaustion::Reassign
            },
            preference_threshold_percent,
            preference_threshold_strict,
            candidate_selection: CandidateSelection::PreferenceThenListOrder,
            ranking: if body == Body::EK {
                Ranking::ListOrder
            } else {
                Ranking::AboveThresholdFirst
            },
            articles: if body == Body::EK {
                CHAPTER_U
            } else {
                CHAPTER_P
            },
        }
    }

    /// The stemcijfer a list needs to take part in the restzetels, as a fraction of votes.
    pub fn residual_minimum(&self, kiesdeler: Fraction) -> Fraction {
        let (p, q) = self.residual_eligibility;
        kiesdeler.scale(u128::from(p), u128::from(q))
    }

    /// The preference threshold in votes (exact).
    pub fn preference_threshold(&self, kiesdeler: Fraction) -> Fraction {
        kiesdeler.scale(u128::from(self.preference_threshold_percent), 100)
    }

    /// Whether `votes` reach the preference threshold (strictly or not, per the body).
    pub fn reaches_preference_threshold(&self, votes: u64, kiesdeler: Fraction) -> bool {
        let threshold = self.preference_threshold(kiesdeler);
        let v = Fraction::from_int(u128::from(votes));
        if self.preference_threshold_strict {
            v > threshold
        } else {
            v >= threshold
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tweede_kamer_uses_largest_averages_with_the_kiesdeler_as_minimum() {
        let r = Rules::new(Body::TK, 150, RulesetName::Current);
        assert_eq!(r.residual_method, ResidualMethod::LargestAverages);
        assert_eq!(r.residual_eligibility, (1, 1));
        assert!(r.absolute_majority);
        assert_eq!(
            (
                r.preference_threshold_percent,
                r.preference_threshold_strict
            ),
            (25, true)
        );
    }

    #[test]
    fn small_councils_use_remainders_with_75_percent_and_a_50_percent_threshold() {
        let r = Rules::new(Body::GR, 15, RulesetName::Current);
        assert_eq!(
            r.residual_method,
            ResidualMethod::LargestRemaindersThenAverages
        );
        assert_eq!(r.residual_eligibility, (3, 4));
        assert_eq!(r.preference_threshold_percent, 50);
        let large = Rules::new(Body::GR, 19, RulesetName::Current);
        assert_eq!(large.residual_method, ResidualMethod::LargestAverages);
        assert_eq!(large.residual_eligibility, (0, 1));
        assert_eq!(large.preference_threshold_percent, 25);
    }

    #[test]
    fn eerste_kamer_has_no_p9_and_an_inclusive_full_kiesdeler_threshold() {
        let r = Rules::new(Body::EK, 75, RulesetName::Current);
        assert!(!r.absolute_majority);
        assert_eq!(r.residual_eligibility, (0, 1));
        assert_eq!(
            (
                r.preference_threshold_percent,
                r.preference_threshold_strict
            ),
            (100, false)
        );
        assert_eq!(r.articles.largest_averages, "U 9");
        // U 9 applies whatever the size.
        assert_eq!(
            Rules::new(Body::EK, 13, RulesetName::Current).residual_method,
            ResidualMethod::LargestAverages
        );
    }

    #[test]
    fn europees_parlement_threshold_is_ten_percent() {
        let r = Rules::new(Body::EP, 31, RulesetName::Current);
        assert_eq!(r.preference_threshold_percent, 10);
        assert_eq!(r.residual_eligibility, (1, 1));
    }

    #[test]
    fn kiescollege_niet_ingezetenen_leaves_exhausted_seats_empty() {
        assert_eq!(
            Rules::new(Body::KCNI, 25, RulesetName::Current).exhaustion,
            Exhaustion::LeaveEmpty
        );
        assert_eq!(
            Rules::new(Body::GR, 25, RulesetName::Current).exhaustion,
            Exhaustion::Reassign
        );
    }

    #[test]
    fn bill_36641_requires_the_full_kiesdeler_for_decentral_bodies_only() {
        let gr = Rules::new(Body::GR, 15, RulesetName::Wet36641);
        assert_eq!(gr.residual_eligibility, (1, 1));
        assert!(gr.eligibility_in_average_round);
        let ps = Rules::new(Body::PS, 43, RulesetName::Wet36641);
        assert_eq!(ps.residual_eligibility, (1, 1));
        let ek = Rules::new(Body::EK, 75, RulesetName::Wet36641);
        assert_eq!(ek.residual_eligibility, (0, 1));
    }

    #[test]
    fn thresholds_compare_strictly_except_for_the_eerste_kamer() {
        let q = Fraction::new(200, 2); // kiesdeler 100
        let gr = Rules::new(Body::GR, 15, RulesetName::Current);
        assert!(!gr.reaches_preference_threshold(50, q));
        assert!(gr.reaches_preference_threshold(51, q));
        let ek = Rules::new(Body::EK, 75, RulesetName::Current);
        assert!(ek.reaches_preference_threshold(100, q));
        assert!(!ek.reaches_preference_threshold(99, q));
    }
}
