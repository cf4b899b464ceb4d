//! Real elections, with the official figures written into the tests as facts (Kiesraad result
//! files and publications, as collected in the project's Kieswet dossier §4). Each party's
//! list has enough candidates, with all votes on candidate 1, unless per-list votes are given.

mod seats_common;

use std::time::{Duration, Instant};

use kieswet::seats::{Exclusion, SeatAssignment, SeatStep};
use kieswet::{Apportionment, Body, Election, Fraction, List, Party, Step, apportion};
use seats_common::*;

/// A party with one list of 50 candidates, all votes on candidate 1.
fn single(number: u32, name: &str, votes: u64) -> Party {
    Party {
        number,
        name: name.to_string(),
        lists: vec![list_n(votes, 50)],
    }
}

/// A lijstengroep: one list per entry (kieskring numbers, votes), each with the same 50
/// persons, all votes on candidate 1 of that list.
fn group(number: u32, name: &str, lists: &[(&[u32], u64)]) -> Party {
    Party {
        number,
        name: name.to_string(),
        lists: lists
            .iter()
            .map(|&(kk, votes)| List {
                kieskringen: kk.into(),
                ..list_n(votes, 50)
            })
            .collect(),
    }
}

/// One list per kieskring 1..=n with these votes.
fn per_kieskring(votes: &[u64]) -> Vec<(Vec<u32>, u64)> {
    votes
        .iter()
        .zip(1u32..)
        .map(|(&v, k)| (vec![k], v))
        .collect()
}

fn group_per_kieskring(number: u32, name: &str, votes: &[u64]) -> Party {
    let lists = per_kieskring(votes);
    let refs: Vec<(&[u32], u64)> = lists.iter().map(|(k, v)| (&k[..], *v)).collect();
    group(number, name, &refs)
}

fn seats_by_number(e: &Election, s: &SeatAssignment) -> Vec<(u32, u32)> {
    e.parties
        .iter()
        .zip(&s.party_seats)
        .filter(|(_, n)| **n > 0)
        .map(|(p, &n)| (p.number, n))
        .collect()
}

fn index_of(e: &Election, number: u32) -> usize {
    e.parties.iter().position(|p| p.number == number).unwrap()
}

// ---------------------------------------------------------------------------------------
// Tweede Kamer 17 March 2021 (dossier §4.1; Kiesraad EML 510d/520)
// ---------------------------------------------------------------------------------------

const D66_2021: [u64; 20] = [
    55_182, 49_566, 40_244, 88_560, 27_805, 56_804, 131_977, 156_080, 99_649, 110_563, 92_884,
    56_715, 51_569, 90_562, 120_443, 23_758, 97_098, 132_962, 82_938, 502,
];
const CDA_2021: [u64; 20] = [
    31_758, 60_060, 34_638, 115_736, 18_272, 28_906, 107_737, 69_422, 10_815, 43_673, 55_833,
    16_433, 12_377, 63_246, 69_383, 24_814, 60_249, 92_950, 73_038, 1_261,
];
const PVDA_2021: [u64; 20] = [
    32_535, 36_482, 27_380, 38_640, 11_061, 19_598, 51_668, 40_534, 32_783, 31_781, 36_606, 17_959,
    18_174, 36_714, 35_928, 14_283, 30_996, 37_818, 45_968, 284,
];

fn tk2021() -> Election {
    let parties = vec![
        single(1, "VVD", 2_279_130),
        single(2, "PVV (Partij voor de Vrijheid)", 1_124_482),
        group_per_kieskring(3, "CDA", &CDA_2021),
        group_per_kieskring(4, "D66", &D66_2021),
        single(5, "GROENLINKS", 537_308),
        group(
            6,
            "SP (Socialistische Partij)",
            &[
                (&[1, 2, 3, 4], 127_530),
                (&[5, 6, 7, 8], 121_542),
                (&[9, 10, 11], 88_076),
                (&[12, 13, 14, 15, 20], 105_965),
                (&[16, 17, 18, 19], 180_258),
            ],
        ),
        group_per_kieskring(7, "Partij van de Arbeid (P.v.d.A.)", &PVDA_2021),
        single(8, "ChristenUnie", 351_275),
        single(9, "Partij voor de Dieren", 399_750),
        single(10, "50PLUS", 106_702),
        single(11, "Staatkundig Gereformeerde Partij (SGP)", 215_249),
        single(12, "DENK", 211_237),
        single(13, "Forum voor Democratie", 523_083),
        single(14, "BIJ1", 87_238),
        single(15, "JA21", 246_620),
        single(16, "CODE ORANJE", 40_731),
        single(17, "Volt", 252_480),
        single(18, "NIDA", 33_834),
        single(19, "Piratenpartij", 22_816),
        single(20, "LP (Libertaire Partij)", 5_546),
        single(21, "JONG", 15_297),
        single(22, "Splinter", 30_328),
        single(23, "BBB", 104_319),
        single(24, "NLBeter", 8_657),
        single(25, "Lijst Henk Krol", 9_264),
        single(26, "OPRECHT", 5_449),
        single(27, "JEZUS LEEFT", 5_015),
        single(28, "Trots op Nederland (TROTS)", 13_198),
        single(29, "U-Buntu Connected Front", 1_880),
        single(30, "Blanco (Zeven, A.J.L.B.)", 8_277),
        single(31, "Partij van de Eenheid", 804),
        single(32, "DE FEESTPARTIJ (DFP)", 3_744),
        single(33, "Vrij en Sociaal Nederland", 942),
        single(34, "Wij zijn Nederland", 553),
        single(35, "Modern Nederland", 245),
        single(36, "De Groenen", 119),
        single(37, "Partij voor de Republiek", 255),
    ];
    election(Body::TK, 150, parties)
}

#[test]
fn tk2021_seats_kiesdeler_and_restzetel_order() {
    // Kiesdeler 10.422.852 / 150 = 69.485 102/150. 139 full seats; 11 restzetels by largest
    // averages among the 17 lists that reach the kiesdeler (P 7 lid 2 excludes Code Oranje
    // and the 19 others below it — it changed nothing: Code Oranje's 40.731 is below the last
    // winning average 65.244). Order: SP 623371/9, VVD 759710/11, D66 1565861/23,
    // GL 134327/2, VVD 1139565/17, PvdD 66625, PvdA 199064/3, PVV 66146, CDA 990601/15,
    // FvD 523083/8, D66 1565861/24. The 151st seat would go to VVD (65.118).
    let e = tk2021();
    let (s, steps) = seats(&e);
    assert_eq!(s.total_votes, 10_422_852);
    assert_eq!(s.kiesdeler, Fraction::new(10_422_852, 150));
    assert_eq!(s.kiesdeler.to_mixed(), "69.485 102/150");
    assert_eq!(s.full_seats.iter().sum::<u32>(), 139);
    assert_eq!(
        seats_by_number(&e, &s),
        vec![
            (1, 34),
            (2, 17),
            (3, 15),
            (4, 24),
            (5, 8),
            (6, 9),
            (7, 9),
            (8, 5),
            (9, 6),
            (10, 1),
            (11, 3),
            (12, 3),
            (13, 8),
            (14, 1),
            (15, 3),
            (17, 3),
            (23, 1)
        ]
    );
    assert_eq!(s.empty_seats, 0);
    assert_eq!(
        residual_order(&steps),
        vec![6, 1, 4, 5, 1, 9, 7, 2, 3, 13, 4]
    );
    let averages: Vec<Fraction> = seat_steps(&steps)
        .filter_map(SeatStep::residual_seat)
        .map(|r| r.value)
        .collect();
    assert_eq!(
        averages,
        vec![
            Fraction::new(623_371, 9),
            Fraction::new(759_710, 11),
            Fraction::new(1_565_861, 23),
            Fraction::new(134_327, 2),
            Fraction::new(1_139_565, 17),
            Fraction::from_int(66_625),
            Fraction::new(199_064, 3),
            Fraction::from_int(66_146),
            Fraction::new(990_601, 15),
            Fraction::new(523_083, 8),
            Fraction::new(1_565_861, 24),
        ]
    );
    assert_eq!(s.next_seat, Some(1));
    for r in seat_steps(&steps).filter_map(SeatStep::residual_seat) {
        assert_eq!(r.article, "P 7");
        assert_eq!(r.standings.len(), 17);
        assert_eq!(r.excluded.len(), 20);
        let code_oranje = r.excluded.iter().find(|x| x.party == 16).unwrap();
        assert!(matches!(
            code_oranje.reason,
            Exclusion::BelowMinimum { share: (1, 1), .. }
        ));
    }
    assert!(!seat_steps(&steps).any(|s| matches!(s, SeatStep::AbsoluteMajority(_))));
}

#[test]
fn tk2021_group_seats_by_p12() {
    // P 12 inside the four lijstengroepen (dossier §4.1):
    // D66: groepskiesdeler 1565861/24 ≈ 65.244,21; 14 full seats + 10 by largest remainder.
    // CDA: 990601/15 ≈ 66.040,07; 6 full + 9. SP (5 stellen): 623371/9 ≈ 69.263,44; 6 + 3.
    // PvdA: 199064/3 ≈ 66.354,67; no list reaches it: 0 full + 9 by largest remainder.
    let e = tk2021();
    let (s, steps) = seats(&e);
    let d66 = index_of(&e, 4);
    assert_eq!(
        s.list_seats[d66],
        vec![1, 1, 1, 1, 0, 1, 2, 2, 2, 2, 1, 1, 1, 1, 2, 0, 2, 2, 1, 0]
    );
    assert_eq!(
        s.list_seats[index_of(&e, 3)],
        vec![1, 1, 1, 2, 0, 0, 2, 1, 0, 1, 1, 0, 0, 1, 1, 0, 1, 1, 1, 0]
    );
    assert_eq!(s.list_seats[index_of(&e, 6)], vec![2, 2, 1, 1, 3]);
    assert_eq!(
        s.list_seats[index_of(&e, 7)],
        vec![0, 1, 0, 1, 0, 0, 1, 1, 0, 0, 1, 0, 0, 1, 1, 0, 0, 1, 1, 0]
    );
    assert_eq!(s.list_seats[index_of(&e, 1)], vec![34]);
    let full: Vec<(u32, u32, u32)> = seat_steps(&steps)
        .filter_map(|s| match s {
            SeatStep::GroupFullSeats {
                party,
                assigned,
                remaining,
                ..
            } => Some((*party, *assigned, *remaining)),
            _ => None,
        })
        .collect();
    assert_eq!(full, vec![(3, 6, 9), (4, 14, 10), (6, 6, 3), (7, 0, 9)]);
    let quota = seat_steps(&steps)
        .find_map(|s| match s {
            SeatStep::GroupQuota {
                party: 4,
                group_kiesdeler,
                ..
            } => Some(*group_kiesdeler),
            _ => None,
        })
        .unwrap();
    assert_eq!(quota, Fraction::new(1_565_861, 24));
    assert_eq!(quota.to_dutch_decimal(2), "65.244,21");
    // D66's first group restzetel: kieskring 6 (remainder 56.804) beats kieskring 12 (56.715).
    let first = seat_steps(&steps)
        .find_map(|s| match s {
            SeatStep::GroupResidual(g) if g.party == 4 => Some(g.clone()),
            _ => None,
        })
        .unwrap();
    assert_eq!(*first.kieskringen, [6]);
    assert_eq!(first.value, Fraction::from_int(56_804));
    // The seat order: full seats in list order, then the restzetels as given.
    assert_eq!(s.group_seat_order[d66].len(), 24);
    assert_eq!(s.group_seat_order[d66][14], 5);
    assert!(s.group_seat_order[index_of(&e, 1)].is_empty());
}

#[test]
fn tk2021_seats_only_is_fast() {
    // TK2021 size with all four lijstengroepen (about 3.300 candidates), validation included.
    // Measured in an optimised build: about 75 µs on a loaded 2-core machine, of which the
    // seat engine itself is about 15 µs (the rest is validating every candidate). The bounds
    // are generous (debug builds are some 15× slower); the minimum over many runs filters out
    // noise from other processes.
    let e = tk2021();
    let mut best = Duration::MAX;
    for _ in 0..200 {
        let t = Instant::now();
        let r = kieswet::apportion_seats(&e).unwrap();
        best = best.min(t.elapsed());
        std::hint::black_box(r);
    }
    eprintln!("TK2021 apportion_seats: best of 200 runs {best:?}");
    let bound = if cfg!(debug_assertions) {
        Duration::from_millis(5)
    } else {
        Duration::from_micros(250)
    };
    assert!(best < bound, "took {best:?}");
}

// ---------------------------------------------------------------------------------------
// Tweede Kamer 29 October 2025 (dossier §4.3; Kiesraad CSV)
// ---------------------------------------------------------------------------------------

#[test]
fn tk2025_seats_and_restzetel_order() {
    // Kiesdeler 10.571.990 / 150 = 70.479 140/150. 139 full seats; restzetels: PVV, BBB, JA21,
    // CDA, D66, FvD, VVD, PVV, GL/PvdA, CU, SP. Next in line: D66 (66.319,78).
    let data: [(&str, u64, u32); 27] = [
        ("D66", 1_790_634, 26),
        ("PVV (Partij voor de Vrijheid)", 1_760_966, 26),
        ("VVD", 1_505_829, 22),
        ("GROENLINKS / Partij van de Arbeid (PvdA)", 1_352_163, 20),
        ("CDA", 1_246_874, 18),
        ("JA21", 628_517, 9),
        ("Forum voor Democratie", 480_393, 7),
        ("BBB", 279_916, 4),
        ("DENK", 250_368, 3),
        ("Staatkundig Gereformeerde Partij (SGP)", 238_093, 3),
        ("Partij voor de Dieren", 219_371, 3),
        ("ChristenUnie", 201_361, 3),
        ("SP (Socialistische Partij)", 199_585, 3),
        ("50PLUS", 151_053, 2),
        ("Volt", 116_468, 1),
        ("BIJ1", 40_360, 0),
        ("Nieuw Sociaal Contract (NSC)", 39_408, 0),
        ("Belang Van Nederland (BVNL)", 18_477, 0),
        ("Vrede voor Dieren", 16_819, 0),
        ("Piratenpartij", 10_575, 0),
        ("FNP", 9_331, 0),
        ("LP (Libertaire Partij)", 8_248, 0),
        ("DE LINIE", 3_478, 0),
        ("NL PLAN", 2_299, 0),
        ("Vrij Verbond", 1_048, 0),
        ("ELLECT", 205, 0),
        ("Partij voor de Rechtsstaat", 151, 0),
    ];
    let parties = data
        .iter()
        .zip(1u32..)
        .map(|(&(name, votes, _), n)| single(n, name, votes))
        .collect();
    let e = election(Body::TK, 150, parties);
    let (s, steps) = seats(&e);
    assert_eq!(s.total_votes, 10_571_990);
    assert_eq!(s.kiesdeler.to_mixed(), "70.479 140/150");
    let expected: Vec<u32> = data.iter().map(|d| d.2).collect();
    assert_eq!(s.party_seats, expected);
    assert_eq!(s.full_seats.iter().sum::<u32>(), 139);
    assert_eq!(
        residual_order(&steps),
        vec![2, 8, 6, 5, 1, 7, 3, 2, 4, 12, 13]
    );
    let first = seat_steps(&steps)
        .find_map(SeatStep::residual_seat)
        .unwrap();
    assert_eq!(first.value, Fraction::new(1_760_966, 25));
    assert_eq!(s.next_seat, Some(1));
}

// ---------------------------------------------------------------------------------------
// Provinciale Staten Drenthe 2023 (dossier §4.8)
// ---------------------------------------------------------------------------------------

#[test]
fn ps2023_drenthe_largest_averages_without_threshold() {
    // 43 seats, kiesdeler 263.882 / 43 = 6.136,79; 37 full seats. Restzetels by averages with
    // no minimum (PS): BBB 88176/15, PvdD 11167/2, BBB, CDA, BBB, VVD.
    let data: [(&str, u64, u32); 19] = [
        ("BBB", 88_176, 17),
        ("PvdA", 24_861, 4),
        ("VVD", 20_434, 4),
        ("CDA", 15_563, 3),
        ("GROENLINKS", 14_756, 2),
        ("PVV", 13_681, 2),
        ("ChristenUnie", 12_803, 2),
        ("SP", 12_534, 2),
        ("Partij voor de Dieren", 11_167, 2),
        ("D66", 9_981, 1),
        ("Forum voor Democratie", 7_888, 1),
        ("Volt", 7_734, 1),
        ("Sterk Lokaal Drenthe", 7_485, 1),
        ("JA21", 6_368, 1),
        ("50PLUS", 3_446, 0),
        ("BVNL", 3_257, 0),
        ("SGP", 2_611, 0),
        ("Alliantie", 839, 0),
        ("JEZUS LEEFT", 298, 0),
    ];
    let parties = data
        .iter()
        .zip(1u32..)
        .map(|(&(name, votes, _), n)| single(n, name, votes))
        .collect();
    let e = election(Body::PS, 43, parties);
    let (s, steps) = seats(&e);
    assert_eq!(s.total_votes, 263_882);
    assert_eq!(s.kiesdeler.to_dutch_decimal(2), "6.136,79");
    assert_eq!(s.full_seats.iter().sum::<u32>(), 37);
    let expected: Vec<u32> = data.iter().map(|d| d.2).collect();
    assert_eq!(s.party_seats, expected);
    assert_eq!(residual_order(&steps), vec![1, 9, 1, 4, 1, 3]);
    let first = seat_steps(&steps)
        .find_map(SeatStep::residual_seat)
        .unwrap();
    assert_eq!(first.value, Fraction::new(88_176, 15));
    assert!(first.excluded.is_empty(), "no minimum for PS");
}

// ---------------------------------------------------------------------------------------
// Eerste Kamer 2015 (dossier §4.4)
// ---------------------------------------------------------------------------------------

#[test]
fn ek2015_u9_largest_averages_without_threshold() {
    // Weighted stemcijfers; kiesdeler 169.056 / 75 = 2.254,08 (U 7); 68 full seats (U 8);
    // 7 restzetels by largest averages, no threshold (U 9): PVV, SP, PvdA, D66, VVD, 50PLUS,
    // CDA.
    let data: [(&str, u64, u32); 12] = [
        ("VVD", 28_523, 13),
        ("CDA", 25_145, 12),
        ("D66", 21_997, 10),
        ("PVV", 20_235, 9),
        ("SP", 20_038, 9),
        ("PvdA", 17_651, 8),
        ("GL", 9_520, 4),
        ("CU", 7_979, 3),
        ("PvdD", 6_073, 2),
        ("SGP", 4_855, 2),
        ("50PLUS", 4_388, 2),
        ("OSF", 2_652, 1),
    ];
    let parties = data
        .iter()
        .zip(1u32..)
        .map(|(&(name, votes, _), n)| single(n, name, votes))
        .collect();
    let e = election(Body::EK, 75, parties);
    let (s, steps) = seats(&e);
    assert_eq!(s.kiesdeler, Fraction::new(169_056, 75));
    assert_eq!(s.kiesdeler.to_dutch_decimal(2), "2.254,08");
    assert_eq!(s.full_seats.iter().sum::<u32>(), 68);
    let expected: Vec<u32> = data.iter().map(|d| d.2).collect();
    assert_eq!(s.party_seats, expected);
    assert_eq!(residual_order(&steps), vec![4, 5, 6, 3, 1, 11, 2]);
    let articles: Vec<&str> = seat_steps(&steps).map(SeatStep::article).collect();
    assert_eq!(&articles[..3], &["U 7", "U 8", "U 9"]);
}

// ---------------------------------------------------------------------------------------
// Gemeenteraad Schiermonnikoog 2026 (dossier §4.11; official 520)
// ---------------------------------------------------------------------------------------

fn schiermonnikoog() -> Election {
    let parties = vec![
        Party {
            number: 1,
            name: "Ons Belang".into(),
            lists: vec![list(&[106, 10, 30, 18, 22, 53, 3])],
        },
        Party {
            number: 2,
            name: "SAMEN".into(),
            lists: vec![list(&[43, 8, 75, 26, 20, 2, 8, 5, 4, 7])],
        },
        Party {
            number: 3,
            name: "Schiermonnikoogs Belang".into(),
            lists: vec![list(&[83, 17, 29, 8, 5, 3, 7, 56])],
        },
    ];
    election(Body::GR, 9, parties)
}

#[test]
fn gr2026_schiermonnikoog_largest_remainders() {
    // 9 seats: P 8. Votes 242, 198, 208; kiesdeler 648/9 = 72, 75% = 54: all lists qualify.
    // Full 3, 2, 2; remainders 26, 54, 64 → restzetels to list 3 (64) and list 2 (54);
    // list 2 exactly reaches 75% of the kiesdeler with its 198 votes anyway.
    let (s, steps) = seats(&schiermonnikoog());
    assert_eq!(s.kiesdeler, Fraction::from_int(72));
    assert_eq!(s.full_seats, vec![3, 2, 2]);
    assert_eq!(s.party_seats, vec![3, 3, 3]);
    assert_eq!(residual_order(&steps), vec![3, 2]);
    let values: Vec<Fraction> = seat_steps(&steps)
        .filter_map(SeatStep::residual_seat)
        .map(|r| r.value)
        .collect();
    assert_eq!(values, vec![Fraction::from_int(64), Fraction::from_int(54)]);
}

// ---------------------------------------------------------------------------------------
// The full engine on the same data
// ---------------------------------------------------------------------------------------

#[test]
fn apportion_agrees_with_apportion_seats_on_real_elections() {
    // The complete engine (seats and candidates) gives the same seats per party and per list
    // as the seats-only entry point, and starts its steps with the same seat steps.
    for e in [tk2021(), schiermonnikoog()] {
        let (s, steps) = seats(&e);
        let Apportionment::Complete(o) = apportion(&e).expect("valid") else {
            panic!("no lot expected");
        };
        let seats: Vec<u32> = o.parties.iter().map(|p| p.seats).collect();
        assert_eq!(seats, s.party_seats);
        let full: Vec<u32> = o.parties.iter().map(|p| p.full_seats).collect();
        assert_eq!(full, s.full_seats);
        let lists: Vec<Vec<u32>> = o.parties.iter().map(|p| p.list_seats.clone()).collect();
        assert_eq!(lists, s.list_seats);
        assert_eq!(o.next_seat, s.next_seat);
        assert_eq!(o.kiesdeler, s.kiesdeler);
        let seat_part: Vec<&Step> = o
            .steps
            .iter()
            .filter(|st| matches!(st, Step::Seat(_)))
            .collect();
        assert_eq!(seat_part, steps.iter().collect::<Vec<_>>());
        assert_eq!(o.elected.len(), 150.min(e.seats as usize));
    }
}
