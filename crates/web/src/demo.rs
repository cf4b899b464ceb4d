//! The built-in demo: two fictional elections generated deterministically by Stembus itself
//! (integer arithmetic and a fixed-seed generator, so every build makes the same numbers).
//! No official data.
//!
//! - `demo-gr-lindewaarde`: a gemeenteraad of 15 seats where one party has more than half of
//!   the votes but not of the seats (P 9), and two parties tie for the last restzetel (a lot,
//!   recorded here).
//! - `demo-tk`: a Tweede Kamer-like election with 150 seats, 20 kieskringen, lists per
//!   kieskring (two lijstengroepen, one party in only part of the country) and counts per
//!   stembureau.

use kieswet::{Body, LotChoice};

use crate::model::{
    CandidateData, CountData, ElectionData, Level, ListData, PartyData, Source, UnitData,
};

pub const GR_ID: &str = "demo-gr-lindewaarde";
pub const TK_ID: &str = "demo-tk";

/// splitmix64: small, fixed, portable.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    /// Uniform in `lo..=hi`.
    fn range(&mut self, lo: u64, hi: u64) -> u64 {
        lo + self.next() % (hi - lo + 1)
    }
    fn pick<'a>(&mut self, items: &'a [&'a str]) -> &'a str {
        let n = u64::try_from(items.len()).unwrap_or(1);
        items[usize::try_from(self.next() % n).unwrap_or(0)]
    }
}

const INITIALS: &[&str] = &[
    "A.", "B.", "C.", "D.", "E.", "F.", "G.", "H.", "I.", "J.", "K.", "L.", "M.", "N.", "P.", "R.",
    "S.", "T.", "W.", "Y.", "A.M.", "J.P.", "M.L.", "H.J.", "E.C.",
];
const SURNAMES: &[&str] = &[
    "Akkerman",
    "Bosveld",
    "Brinkhorst",
    "Dijkman",
    "Esveld",
    "Geerlings",
    "Hofstede",
    "Jonkers",
    "Kampers",
    "Kooistra",
    "Lindeboom",
    "Meerdink",
    "Nijhof",
    "Oosterling",
    "Pastoors",
    "Reitsma",
    "Schuttel",
    "Terpstra",
    "Uiterwijk",
    "Veldkamp",
    "Wessing",
    "Zandbergen",
    "Alkema",
    "Bruggink",
    "Dekkers",
    "Everaars",
    "Hendriksma",
    "Klaassens",
    "Mulderink",
    "Oldenkamp",
    "Posthuma",
    "Rademaker",
    "Smeenk",
    "Tolsma",
    "Verhulst",
    "Wiersema",
    "Ypma",
    "van Aalst",
    "de Bruin",
    "van Dam",
    "de Groot",
    "van Leeuwen",
    "de Lange",
    "van der Meer",
    "ter Horst",
];
const PLACE_A: &[&str] = &[
    "Ooster", "Wester", "Noorder", "Zuider", "Linde", "Eiken", "Beuken", "Hazel", "Wilgen",
    "Berken", "Hooge", "Lage", "Nieuw", "Oud", "Groot", "Klein", "Mid", "Zand", "Veen", "Water",
];
const PLACE_B: &[&str] = &[
    "veen", "dijk", "wolde", "horst", "broek", "kamp", "dam", "hoven", "woude", "mond", "hem",
    "loo", "rade", "sloot", "meer", "burg",
];
const BUILDINGS: &[&str] = &[
    "Dorpshuis",
    "Bibliotheek",
    "Gemeentehuis",
    "Sporthal",
    "Basisschool De Regenboog",
    "Wijkcentrum",
    "Kerkzaal",
    "Buurthuis",
    "Station",
    "Zorgcentrum",
    "Muziekschool",
    "Brandweerkazerne",
];

/// A name not used before in this election.
fn person(rng: &mut Rng, used: &mut std::collections::HashSet<String>) -> String {
    loop {
        let name = format!("{} {}", rng.pick(INITIALS), rng.pick(SURNAMES));
        if used.insert(name.clone()) {
            return name;
        }
    }
}

fn place(rng: &mut Rng) -> String {
    format!("{}{}", rng.pick(PLACE_A), rng.pick(PLACE_B))
}

/// Splits `total` over `weights` exactly: floors, then the rest to the largest weights.
fn split(total: u64, weights: &[u64]) -> Vec<u64> {
    let sum: u64 = weights.iter().sum();
    if sum == 0 || weights.is_empty() {
        return vec![0; weights.len()];
    }
    let mut out: Vec<u64> = weights
        .iter()
        .map(|w| u64::try_from(u128::from(total) * u128::from(*w) / u128::from(sum)).unwrap_or(0))
        .collect();
    let mut rest = total - out.iter().sum::<u64>();
    let mut order: Vec<usize> = (0..weights.len()).collect();
    order.sort_by(|&a, &b| weights[b].cmp(&weights[a]).then(a.cmp(&b)));
    let mut k = 0;
    while rest > 0 {
        out[order[k % order.len()]] += 1;
        rest -= 1;
        k += 1;
    }
    out
}

/// Both demo elections.
pub fn all() -> Vec<ElectionData> {
    vec![gemeente(), tweede_kamer()]
}

/// The gemeenteraad demo (15 seats; P 8, a lot, P 9).
pub fn gemeente() -> ElectionData {
    let mut rng = Rng(2026);
    let mut used = std::collections::HashSet::new();
    // Party totals chosen so that (kiesdeler 1000): full seats 7+1+1+1+1+0 = 11, restzetels
    // by remainder go to 6 (750), 2 (700), 3 (680), then 4 and 5 tie at 635: a lot. Party 1
    // has 50.67% of the votes but 7 seats, so P 9 gives it the 15th seat and the restzetel
    // won with the smallest value lapses.
    let parties: [(&str, u64, u32); 6] = [
        ("Lokaal Lindewaarde", 7600, 14),
        ("Groen en Sociaal", 1700, 8),
        ("Dorpsbelang", 1680, 8),
        ("Liberaal Lindewaarde", 1635, 6),
        ("Christelijk Lindewaarde", 1635, 6),
        ("Jong Lindewaarde", 750, 5),
    ];
    // Candidate votes per party, by position; the remainder of the party total goes to 1.
    // The preference threshold is 50% of the kiesdeler here (fewer than 19 seats): 500.
    let specials: &[(usize, u32, u64)] = &[
        (0, 12, 560), // preference seat: elected although low on the list
        (0, 2, 640),
        (0, 3, 600),
        (1, 4, 520), // elected by preference, ahead of number 2
        (4, 3, 540), // above the threshold, but the list gets only one seat
    ];
    let stembureaus = 6usize;
    let mut units = vec![UnitData {
        id: "GM".into(),
        parent: None,
        level: Level::Gemeente,
        name: "Lindewaarde".into(),
        kieskring: None,
        electorate: None,
        blank: 0,
        invalid: 0,
        own_totals: false,
    }];
    for s in 0..stembureaus {
        units.push(UnitData {
            id: format!("SB{}", s + 1),
            parent: Some("GM".into()),
            level: Level::Stembureau,
            name: format!("Stembureau {} – {}", s + 1, BUILDINGS[s % BUILDINGS.len()]),
            kieskring: None,
            electorate: Some(rng.range(3900, 4500)),
            blank: rng.range(8, 30),
            invalid: rng.range(4, 20),
            own_totals: false,
        });
    }
    let sb_weights: Vec<u64> = (0..stembureaus).map(|_| rng.range(80, 120)).collect();
    let mut party_data = Vec::new();
    let mut counts = Vec::new();
    for (pi, (name, total, n)) in parties.iter().enumerate() {
        let number = u32::try_from(pi + 1).unwrap_or(0);
        let candidates: Vec<CandidateData> = (1..=*n)
            .map(|position| CandidateData {
                position,
                name: person(&mut rng, &mut used),
                person_id: None,
                locality: Some("Lindewaarde".into()),
                first_name: None,
                deceased: false,
            })
            .collect();
        let mut votes: Vec<u64> = (1..=*n)
            .map(|p| {
                if p == 1 {
                    0
                } else {
                    rng.range(15, 110) / u64::from(p).max(1) + 5
                }
            })
            .collect();
        for &(sp, pos, v) in specials {
            if sp == pi {
                votes[pos as usize - 1] = v;
            }
        }
        let others: u64 = votes.iter().sum();
        votes[0] = total - others;
        for (ci, v) in votes.iter().enumerate() {
            // Each stembureau a slightly different mix.
            let w: Vec<u64> = sb_weights.iter().map(|w| w * rng.range(85, 115)).collect();
            for (s, sv) in split(*v, &w).into_iter().enumerate() {
                if sv > 0 {
                    counts.push(CountData {
                        unit: format!("SB{}", s + 1),
                        party: number,
                        position: u32::try_from(ci + 1).unwrap_or(0),
                        votes: sv,
                    });
                }
            }
        }
        party_data.push(PartyData {
            number,
            name: (*name).to_string(),
            lists: vec![ListData {
                kieskringen: Vec::new(),
                candidates,
            }],
        });
    }
    ElectionData {
        id: GR_ID.into(),
        name: "Gemeenteraad Lindewaarde (demo)".into(),
        body: Body::GR,
        date: "2026-03-18".into(),
        seats: 15,
        source: Source::Demo,
        description: "Verzonnen gemeente met 15 zetels. Eén partij heeft meer dan de helft van de stemmen (artikel P 9) en er is geloot om een restzetel.".into(),
        preference_threshold_percent: None,
        lots: vec![LotChoice::Party(4)],
        parties: party_data,
        units,
        counts,
        official: None,
    }
}

/// The Tweede Kamer-like demo (150 seats, 20 kieskringen).
pub fn tweede_kamer() -> ElectionData {
    let mut rng = Rng(150);
    let mut used = std::collections::HashSet::new();
    // (name, national share in per mille, number of candidates, lists: kieskring ranges)
    let parties: [(&str, u64, u32); 12] = [
        ("Partij voor de Polder", 205, 50),
        ("Groen Perspectief", 160, 40),
        ("Sociaal Verbond", 130, 36),
        ("Vrije Burgers", 105, 30),
        ("Christen Unie van Morgen", 85, 26),
        ("Liberaal Forum", 75, 24),
        ("Boeren en Buitenlui", 65, 22),
        ("Dierenwelzijn Nu", 50, 18),
        ("Ouderen Appèl", 45, 16),
        ("Digitale Partij", 35, 14),
        ("Eilanden Alliantie", 25, 12),
        ("Regio Zuid", 20, 12),
    ];
    let kieskring_names = [
        "Noorderveld",
        "Waddenland",
        "Drentse Heide",
        "IJsselvallei",
        "Sallandse Heuvels",
        "Veluwezoom",
        "Betuwe",
        "Utrechtse Heuvelrug",
        "Zaanstreek",
        "Amstelland",
        "Kennemerland",
        "Hollands Midden",
        "Haaglanden",
        "Rijnmond",
        "Dordtse Waard",
        "Zeeuwse Delta",
        "Brabantse Wal",
        "Kempenland",
        "Peelland",
        "Heuvelland",
    ];
    let mut units = vec![UnitData {
        id: "NL".into(),
        parent: None,
        level: Level::Land,
        name: "Nederland (demo)".into(),
        kieskring: None,
        electorate: None,
        blank: 0,
        invalid: 0,
        own_totals: false,
    }];
    // Lists: party 2 and 4 are lijstengroepen (north 1–10, south 11–20); party 12 stands only in 15–20.
    let list_ranges = |pi: usize| -> Vec<Vec<u32>> {
        match pi {
            1 | 3 => vec![(1..=10).collect(), (11..=20).collect()],
            11 => vec![(15..=20).collect()],
            _ => vec![Vec::new()],
        }
    };
    let mut party_data = Vec::new();
    for (pi, (name, _, n)) in parties.iter().enumerate() {
        let number = u32::try_from(pi + 1).unwrap_or(0);
        let ranges = list_ranges(pi);
        let leader = person(&mut rng, &mut used);
        let leader_id = format!("p{number}-1");
        let lists = ranges
            .into_iter()
            .map(|kk| ListData {
                kieskringen: kk,
                candidates: (1..=*n)
                    .map(|position| {
                        let (name, id) = if position == 1 {
                            (leader.clone(), Some(leader_id.clone()))
                        } else {
                            (person(&mut rng, &mut used), None)
                        };
                        CandidateData {
                            position,
                            name,
                            person_id: id,
                            locality: Some(place(&mut rng)),
                            first_name: None,
                            deceased: false,
                        }
                    })
                    .collect(),
            })
            .collect();
        party_data.push(PartyData {
            number,
            name: (*name).to_string(),
            lists,
        });
    }
    // Candidate weights per list: the lijsttrekker far ahead, then falling, a few local stars.
    let weights: Vec<Vec<Vec<u64>>> = party_data
        .iter()
        .enumerate()
        .map(|(pi, p)| {
            p.lists
                .iter()
                .enumerate()
                .map(|(li, l)| {
                    l.candidates
                        .iter()
                        .map(|c| {
                            let k = u64::from(c.position);
                            let star = (pi + li) % 3 == 0
                                && (k == 9 + u64::try_from(pi).unwrap_or(0) % 7 || k == 20);
                            match k {
                                1 => 6000,
                                _ if star => 420,
                                _ => 2200 / (k + 1) + 12,
                            }
                        })
                        .collect()
                })
                .collect()
        })
        .collect();
    let mut counts = Vec::new();
    for (ki, kname) in kieskring_names.iter().enumerate() {
        let kk = u32::try_from(ki + 1).unwrap_or(0);
        let kid = format!("KK{kk:02}");
        units.push(UnitData {
            id: kid.clone(),
            parent: Some("NL".into()),
            level: Level::Kieskring,
            name: format!("Kieskring {kk} – {kname}"),
            kieskring: Some(kk),
            electorate: None,
            blank: 0,
            invalid: 0,
            own_totals: false,
        });
        // Regional preferences.
        let local: Vec<u64> = parties
            .iter()
            .enumerate()
            .map(|(pi, (_, share, _))| {
                let stands = list_ranges(pi)
                    .iter()
                    .any(|r| r.is_empty() || r.contains(&kk));
                if !stands {
                    return 0;
                }
                let boost = if pi == 11 { 4 } else { 1 };
                share * rng.range(70, 130) * boost
            })
            .collect();
        let gemeenten = rng.range(2, 4);
        for g in 1..=gemeenten {
            let gid = format!("{kid}-G{g}");
            units.push(UnitData {
                id: gid.clone(),
                parent: Some(kid.clone()),
                level: Level::Gemeente,
                name: place(&mut rng),
                kieskring: None,
                electorate: None,
                blank: 0,
                invalid: 0,
                own_totals: false,
            });
            let stembureaus = rng.range(2, 4);
            for s in 1..=stembureaus {
                let sid = format!("{gid}-S{s}");
                let electorate = rng.range(1800, 3200);
                let turnout = rng.range(70, 86);
                let cast = electorate * turnout / 100;
                let blank = rng.range(3, 15);
                let invalid = rng.range(2, 10);
                units.push(UnitData {
                    id: sid.clone(),
                    parent: Some(gid.clone()),
                    level: Level::Stembureau,
                    name: format!(
                        "Stembureau {s} – {}",
                        BUILDINGS[usize::try_from(rng.next() % 12).unwrap_or(0)]
                    ),
                    kieskring: None,
                    electorate: Some(electorate),
                    blank,
                    invalid,
                    own_totals: false,
                });
                let mix: Vec<u64> = local.iter().map(|w| w * rng.range(80, 120)).collect();
                let per_party = split(cast - blank - invalid, &mix);
                for (pi, pv) in per_party.into_iter().enumerate() {
                    if pv == 0 {
                        continue;
                    }
                    let li = party_data[pi]
                        .lists
                        .iter()
                        .position(|l| l.kieskringen.is_empty() || l.kieskringen.contains(&kk))
                        .unwrap_or(0);
                    let w: Vec<u64> = weights[pi][li]
                        .iter()
                        .map(|w| w * rng.range(85, 115))
                        .collect();
                    for (ci, cv) in split(pv, &w).into_iter().enumerate() {
                        if cv > 0 {
                            counts.push(CountData {
                                unit: sid.clone(),
                                party: party_data[pi].number,
                                position: u32::try_from(ci + 1).unwrap_or(0),
                                votes: cv,
                            });
                        }
                    }
                }
            }
        }
    }
    ElectionData {
        id: TK_ID.into(),
        name: "Tweede Kamer (demo)".into(),
        body: Body::TK,
        date: "2027-03-17".into(),
        seats: 150,
        source: Source::Demo,
        description: "Verzonnen landelijke verkiezing met 150 zetels en 20 kieskringen, met uitslagen per gemeente en per stembureau. Twee partijen hebben verschillende lijsten in het noorden en het zuiden (lijstengroep).".into(),
        preference_threshold_percent: None,
        lots: Vec::new(),
        parties: party_data,
        units,
        counts,
        official: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn split_is_exact() {
        assert_eq!(split(10, &[1, 1, 1]), vec![4, 3, 3]);
        assert_eq!(split(7, &[0, 5]), vec![0, 7]);
        assert_eq!(split(5, &[]), Vec::<u64>::new());
    }

    #[test]
    fn demo_is_deterministic() {
        let a = tweede_kamer();
        let b = tweede_kamer();
        assert_eq!(a.counts.len(), b.counts.len());
        assert!(
            a.counts
                .iter()
                .zip(&b.counts)
                .all(|(x, y)| x.votes == y.votes && x.unit == y.unit)
        );
        let g = gemeente();
        let total: u64 = g.counts.iter().map(|c| c.votes).sum();
        assert_eq!(total, 15_000);
    }
}
