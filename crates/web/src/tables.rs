//! Every data table of the election pages, built once for both HTML and CSV.

use kieswet::fraction::Fraction;
use kieswet::seats::SeatStep;
use kieswet::{Apportionment, ElectedBy, RulesetName, Step};
use webkit::Lang;
use webkit::fmt;
use webkit::layout::{Cell, Column, Table};

use crate::model::{Level, Loaded, Unit};
use crate::whatif::Answer;

/// A list as shown everywhere: its number and name, or "Lijst 30 (zonder aanduiding)" when
/// the list has no name (a list without an appellation, Kieswet H 5 / I 4).
pub fn list_label(number: u32, name: &str) -> String {
    let name = name.trim();
    if name.is_empty() || !name.chars().any(char::is_alphanumeric) {
        format!("Lijst {number} (zonder aanduiding)")
    } else {
        format!("{number} {name}")
    }
}

/// "1 zetel", "2 zetels" ("1 seat", "2 seats").
pub fn seats_text(lang: Lang, n: u32) -> String {
    let word = if n == 1 {
        lang.t("zetel", "seat")
    } else {
        lang.t("zetels", "seats")
    };
    format!("{} {word}", fmt::int(lang, n))
}

pub fn csv_href(l: &Loaded, table: &str) -> String {
    format!("/verkiezingen/{}/csv/{table}", l.id())
}

/// A sortable table whose CSV download is named after the table's id.
fn csv_table(
    l: &Loaded,
    id: impl Into<String>,
    caption: impl Into<String>,
    columns: Vec<Column>,
) -> Table {
    let id = id.into();
    let href = csv_href(l, &id);
    Table::new(id, caption, columns).sortable().csv(href)
}

/// A fraction as exact value (Kiesraad notation) and rounded decimal.
pub fn fraction_cells(lang: Lang, f: Fraction) -> (Cell, Cell) {
    let exact = Cell::new(f.to_mixed())
        .sort_key(f.to_decimal(6))
        .class("fraction");
    let decimal = match lang {
        Lang::Nl => f.to_dutch_decimal(2),
        Lang::En => f.to_decimal(2),
    };
    (exact, Cell::new(decimal).sort_key(f.to_decimal(6)))
}

/// Lists with votes, share and seats.
pub fn lists(lang: Lang, l: &Loaded) -> Table {
    let mut t = csv_table(
        l,
        "lijsten",
        lang.t("Stemmen en zetels per lijst", "Votes and seats per list"),
        vec![
            Column::num(lang.t("Nr.", "No.")),
            Column::text(lang.t("Lijst", "List")),
            Column::num(lang.t("Stemmen", "Votes")),
            Column::num(lang.t("Percentage", "Share")),
            Column::num(lang.t("Volle zetels", "Full seats")),
            Column::num(lang.t("Zetels", "Seats")),
        ],
    )
    .two_key_columns();
    let total: u64 = l.election.parties.iter().map(kieswet::Party::votes).sum();
    let outcome = l.complete();
    for (i, p) in l.election.parties.iter().enumerate() {
        let seats = outcome.map(|o| &o.parties[i]);
        t.row(vec![
            Cell::int(lang, p.number),
            Cell::new(if p.name.trim().is_empty() {
                lang.t("(zonder aanduiding)", "(no name)").to_string()
            } else {
                p.name.clone()
            }),
            Cell::int(lang, p.votes()),
            pct_cell(lang, p.votes(), total, 2),
            seats.map_or(Cell::new("–"), |s| Cell::int(lang, s.full_seats)),
            seats.map_or(Cell::new("–"), |s| {
                Cell::int(lang, s.seats).class("elected")
            }),
        ]);
    }
    // "Totaal" under the list names (the number column is too narrow to hold it).
    t.foot = Some(vec![
        Cell::new(""),
        Cell::new(lang.t("Totaal", "Total")),
        Cell::int(lang, total),
        Cell::new("100%"),
        outcome.map_or(Cell::new("–"), |o| {
            Cell::int(lang, o.parties.iter().map(|p| p.full_seats).sum::<u32>())
        }),
        Cell::int(lang, l.election.seats),
    ]);
    t
}

#[allow(clippy::cast_precision_loss)]
fn ratio(a: u64, b: u64) -> f64 {
    if b == 0 { 0.0 } else { a as f64 / b as f64 }
}

/// `part` as a percentage of `whole` with `places` decimals, sorted by its exact value.
fn pct_cell(lang: Lang, part: u64, whole: u64, places: usize) -> Cell {
    Cell::new(fmt::pct(lang, part, whole, places)).sort_key(format!("{:.6}", ratio(part, whole)))
}

/// Seats that differ from `before`: the number with the difference, marked as changed.
fn seats_changed(seats: u32, before: u32) -> Cell {
    let diff = i64::from(seats) - i64::from(before);
    Cell::new(format!("{seats} ({diff:+})"))
        .sort_key(seats.to_string())
        .class("changed")
}

/// The columns of a step table with a fraction: the list, its votes and seats, and the
/// fraction (`value`) exact and rounded.
fn fraction_columns(lang: Lang, list: &str, votes: &str, seats: &str, value: &str) -> Vec<Column> {
    vec![
        Column::text(list),
        Column::num(votes),
        Column::num(seats),
        Column::num(format!("{value} {}", lang.t("(exact)", "(exact)"))),
        Column::num(format!("{value} {}", lang.t("(afgerond)", "(rounded)"))),
    ]
}

/// A row of a table made by [`fraction_columns`].
fn fraction_row(
    lang: Lang,
    list: Cell,
    votes: impl Into<i128>,
    seats: impl Into<i128>,
    value: Fraction,
) -> Vec<Cell> {
    let (exact, dec) = fraction_cells(lang, value);
    vec![
        list,
        Cell::int(lang, votes),
        Cell::int(lang, seats),
        exact,
        dec,
    ]
}

/// Detail table of a seat step with fractions, if it has one.
pub fn step(lang: Lang, l: &Loaded, index: usize, s: &Step) -> Option<Table> {
    let Step::Seat(seat) = s else { return None };
    let id = format!("stap-{}", index + 1);
    let caption = format!("{} {} ({})", lang.t("Stap", "Step"), index + 1, s.article());
    let href = csv_href(l, &id);
    match seat {
        SeatStep::FullSeats { parties, .. } => {
            let mut t = Table::new(
                id,
                caption,
                vec![
                    Column::text(lang.t("Lijst", "List")),
                    Column::num(lang.t("Stemcijfer", "Votes")),
                    Column::num(lang.t("Volle zetels", "Full seats")),
                ],
            )
            .csv(href);
            for r in parties {
                t.row(vec![
                    Cell::new(l.list_label(r.party)),
                    Cell::int(lang, r.votes),
                    Cell::int(lang, r.seats),
                ]);
            }
            Some(t)
        }
        SeatStep::ResidualByAverage(r)
        | SeatStep::ResidualByRemainder(r)
        | SeatStep::AverageRoundMaxOne(r)
        | SeatStep::AverageRoundUnrestricted(r)
        | SeatStep::AverageRoundWithoutMinimum(r) => {
            let value_label = if matches!(seat, SeatStep::ResidualByRemainder(_)) {
                lang.t("Overschot", "Remainder")
            } else {
                lang.t("Gemiddelde", "Average")
            };
            let mut t = Table::new(
                id,
                caption,
                fraction_columns(
                    lang,
                    lang.t("Lijst", "List"),
                    lang.t("Stemcijfer", "Votes"),
                    lang.t("Zetels tot nu", "Seats so far"),
                    value_label,
                ),
            )
            .csv(href);
            let mut standings = r.standings.clone();
            standings.sort_by(|a, b| b.value.cmp(&a.value).then(a.party.cmp(&b.party)));
            for st in &standings {
                let won = st.party == r.party;
                let mut name = Cell::new(l.list_label(st.party));
                if won {
                    name = name
                        .class("changed")
                        .html(maud::html! { (l.list_label(st.party)) " " span.tag { (lang.t("krijgt de zetel", "gets the seat")) } });
                }
                t.row(fraction_row(lang, name, st.votes, st.seats, st.value));
            }
            Some(t)
        }
        SeatStep::GroupFullSeats { lists, .. } => {
            let mut t = Table::new(
                id,
                caption,
                fraction_columns(
                    lang,
                    lang.t("Lijst in kieskring(en)", "List in district(s)"),
                    lang.t("Stemmen", "Votes"),
                    lang.t("Volle zetels", "Full seats"),
                    lang.t("Overschot", "Remainder"),
                ),
            )
            .csv(href);
            for r in lists {
                t.row(fraction_row(
                    lang,
                    Cell::new(kieskringen_label(lang, &r.kieskringen)),
                    r.votes,
                    r.seats,
                    r.remainder,
                ));
            }
            Some(t)
        }
        SeatStep::GroupResidual(g) | SeatStep::GroupAverage(g) => {
            let party = l.election.parties.iter().find(|p| p.number == g.party);
            let mut t = Table::new(
                id,
                caption,
                fraction_columns(
                    lang,
                    lang.t("Lijst in kieskring(en)", "List in district(s)"),
                    lang.t("Stemmen", "Votes"),
                    lang.t("Zetels tot nu", "Seats so far"),
                    lang.t("Waarde", "Value"),
                ),
            )
            .csv(href);
            for st in &g.standings {
                let kk = party.and_then(|p| p.lists.get(st.list)).map_or_else(
                    || format!("{}", st.list + 1),
                    |li| kieskringen_label(lang, &li.kieskringen),
                );
                let mut c = Cell::new(kk);
                if st.list == g.list {
                    c = c.class("changed");
                }
                t.row(fraction_row(lang, c, st.votes, st.seats, st.value));
            }
            Some(t)
        }
        _ => None,
    }
}

pub fn kieskringen_label(lang: Lang, kk: &[u32]) -> String {
    if kk.is_empty() {
        return lang.t("alle kieskringen", "all districts").to_string();
    }
    let mut sorted = kk.to_vec();
    sorted.sort_unstable();
    let contiguous = sorted.windows(2).all(|w| w[1] == w[0] + 1);
    if contiguous && sorted.len() > 2 {
        format!(
            "{} {}–{}",
            lang.t("kieskring", "district"),
            sorted[0],
            sorted[sorted.len() - 1]
        )
    } else {
        format!(
            "{} {}",
            lang.t("kieskring", "district"),
            sorted
                .iter()
                .map(ToString::to_string)
                .collect::<Vec<_>>()
                .join(", ")
        )
    }
}

fn elected_by(lang: Lang, by: ElectedBy) -> &'static str {
    match by {
        ElectedBy::Preference => lang.t("voorkeurstemmen", "preference votes"),
        ElectedBy::ListOrder => lang.t("plaats op de lijst", "list order"),
        ElectedBy::ListSeat => lang.t("lijstzetel", "list seat"),
        ElectedBy::CandidateSeat => lang.t("kandidaatszetel", "candidate seat"),
    }
}

/// The note on the candidate pages of an election imported before first names were stored
/// (migration `0004_first_names`): the store keeps only the SHA-256 of the source files, so
/// the names cannot be filled in; the page says so instead of showing initials without a word.
pub fn first_names_note(lang: Lang, l: &Loaded) -> maud::Markup {
    maud::html! {
        @if l.first_names_missing {
            div.notice.first-names-missing {
                p { strong { (lang.t("Voornamen ontbreken. ", "First names are missing. ")) }
                    (lang.t("Deze verkiezing is ingelezen voordat Stembus voornamen bewaarde. Daarom staan hier alleen de voorletters. Lees de bestanden van deze verkiezing opnieuw in, met de kandidatenlijst (230b), dan komen de voornamen erbij.",
                        "This election was imported before Stembus stored first names, so only initials are shown. Import the files of this election again, with the candidate list (230b), to add the first names.")) }
            }
        }
    }
}

/// Elected candidates.
pub fn elected(lang: Lang, l: &Loaded) -> Table {
    let mut t = csv_table(
        l,
        "gekozen",
        lang.t("Gekozen kandidaten", "Elected candidates"),
        vec![
            Column::text(lang.t("Naam", "Name")),
            Column::text(lang.t("Lijst", "List")),
            Column::num(lang.t("Plaats", "Position")),
            Column::num(lang.t("Stemmen", "Votes")),
            Column::text(lang.t("Gekozen door", "Elected by")),
            Column::text(lang.t("Woonplaats", "Place of residence")),
        ],
    );
    if let Some(o) = l.complete() {
        for e in &o.elected {
            let list_label = match l.election.parties.iter().find(|p| p.number == e.list) {
                Some(p) if p.lists.len() > 1 => format!(
                    "{} {} ({})",
                    e.list,
                    p.name,
                    kieskringen_label(lang, &p.lists[e.list_index].kieskringen)
                ),
                _ => l.list_label(e.list),
            };
            let (name, place) = l.full_name(e.list, e.list_index, e.position, e.name.as_ref());
            t.row(vec![
                Cell::new(name),
                Cell::new(list_label).sort_key(format!("{:04}", e.list)),
                Cell::int(lang, e.position),
                Cell::int(lang, e.votes),
                Cell::new(elected_by(lang, e.by)),
                Cell::new(place),
            ]);
        }
    }
    t
}

/// The P 19 ranking of one party.
pub fn ranking(lang: Lang, l: &Loaded, party: u32) -> Option<Table> {
    // Empty for a list that P 19 lid 5 leaves unranked.
    let (_, ranked) = l
        .rankings()
        .iter()
        .find(|(n, r)| *n == party && !r.is_empty())?;
    let p = l.election.parties.iter().find(|p| p.number == party)?;
    let id = format!("ranking-{party}");
    let mut t = csv_table(
        l,
        id,
        format!(
            "{} – {} {}",
            lang.t("Volgorde (artikel P 19)", "Ranking (article P 19)"),
            party,
            p.name
        ),
        vec![
            Column::num(lang.t("Rang", "Rank")),
            Column::text(lang.t("Naam", "Name")),
            Column::num(lang.t("Plaats", "Position")),
            Column::num(lang.t("Stemmen", "Votes")),
            Column::text(lang.t("Gekozen", "Elected")),
            Column::text(lang.t("Boven de voorkeurdrempel", "Above the preference threshold")),
            Column::text(lang.t("Woonplaats", "Place of residence")),
        ],
    );
    if p.lists.len() > 1 {
        t.columns.insert(1, Column::text(lang.t("Lijst", "List")));
    }
    for r in ranked {
        let (name, place) = l.full_name(
            party,
            r.list_index,
            r.position,
            r.candidate(p).map_or("", |c| &c.name),
        );
        let mut row = vec![
            Cell::int(lang, r.rank),
            Cell::new(name),
            Cell::int(lang, r.position),
            Cell::int(lang, r.votes),
            if r.elected {
                Cell::new(lang.t("ja", "yes")).class("elected")
            } else {
                Cell::new(lang.t("nee", "no"))
            },
            Cell::new(if r.above_threshold {
                lang.t("ja", "yes")
            } else {
                lang.t("nee", "no")
            }),
            Cell::new(place),
        ];
        if p.lists.len() > 1 {
            row.insert(
                1,
                Cell::new(kieskringen_label(lang, &p.lists[r.list_index].kieskringen)),
            );
        }
        t.row(row);
    }
    Some(t)
}

/// Candidates above the preference threshold who were not elected.
pub fn above_threshold_not_elected(lang: Lang, l: &Loaded) -> Table {
    let mut t = csv_table(
        l,
        "boven-drempel-niet-gekozen",
        lang.t(
            "Boven de voorkeurdrempel, maar niet gekozen",
            "Above the preference threshold, but not elected",
        ),
        vec![
            Column::text(lang.t("Naam", "Name")),
            Column::text(lang.t("Lijst", "List")),
            Column::num(lang.t("Plaats", "Position")),
            Column::num(lang.t("Stemmen", "Votes")),
            Column::text(lang.t("Woonplaats", "Place of residence")),
        ],
    );
    for (p, (party, ranked)) in l.election.parties.iter().zip(l.rankings()) {
        for r in ranked.iter().filter(|r| r.above_threshold && !r.elected) {
            let (name, place) = l.full_name(
                *party,
                r.list_index,
                r.position,
                r.candidate(p).map_or("", |c| &c.name),
            );
            t.row(vec![
                Cell::new(name),
                Cell::new(l.list_label(*party)),
                Cell::int(lang, r.position),
                Cell::int(lang, r.votes),
                Cell::new(place),
            ]);
        }
    }
    t
}

/// Seat margins per party.
pub fn margins(lang: Lang, l: &Loaded) -> Option<Table> {
    let m = l.margins_ready()?.as_ref().ok()?;
    let mut t = csv_table(
        l,
        "marges",
        lang.t("Marges per lijst", "Margins per list"),
        vec![
            Column::text(lang.t("Lijst", "List")),
            Column::num(lang.t("Stemmen", "Votes")),
            Column::num(lang.t("Zetels", "Seats")),
            Column::num(lang.t(
                "Extra stemmen nodig voor 1 zetel meer",
                "Extra votes needed for 1 more seat",
            )),
            Column::num(lang.t(
                "Zoveel stemmen minder kan zonder zetelverlies",
                "Votes it can lose and keep its seats",
            )),
        ],
    );
    for (p, mg) in l.election.parties.iter().zip(&m.parties) {
        t.row(vec![
            Cell::new(crate::tables::list_label(p.number, &p.name)),
            Cell::int(lang, p.votes()),
            Cell::int(lang, mg.seats),
            mg.gain.map_or_else(
                || {
                    Cell::new(lang.t(
                        "kan niet (te weinig kandidaten)",
                        "impossible (too few candidates)",
                    ))
                    .sort_key("999999999999")
                },
                |g| Cell::int(lang, g),
            ),
            mg.lose
                .map_or_else(|| Cell::new("–").sort_key("-1"), |g| Cell::int(lang, g)),
        ]);
    }
    Some(t)
}

pub fn ruleset_label(lang: Lang, r: RulesetName) -> &'static str {
    match r {
        RulesetName::Current => lang.t("Huidige Kieswet", "Current law"),
        RulesetName::MetEenStemMeerKeus => lang.t(
            "Voorstel ‘Met één stem meer keus’",
            "Proposal ‘Met één stem meer keus’",
        ),
        RulesetName::Wet36641 => lang.t(
            "Wetsvoorstel 36 641 (restzetels)",
            "Bill 36 641 (residual seats)",
        ),
    }
}

/// Seats per party under each ruleset.
pub fn reform(lang: Lang, l: &Loaded) -> Table {
    let results = l.reform();
    let mut columns = vec![
        Column::text(lang.t("Lijst", "List")),
        Column::num(lang.t("Stemmen", "Votes")),
    ];
    for (r, _) in results {
        columns.push(Column::num(ruleset_label(lang, *r)));
    }
    let mut t = csv_table(
        l,
        "hervorming",
        lang.t(
            "Zetels per lijst onder elke regeling",
            "Seats per list under each rule set",
        ),
        columns,
    );
    for (i, p) in l.election.parties.iter().enumerate() {
        let mut row = vec![
            Cell::new(crate::tables::list_label(p.number, &p.name)),
            Cell::int(lang, p.votes()),
        ];
        let current = match &results[0].1 {
            Ok(Apportionment::Complete(o)) => Some(o.parties[i].seats),
            _ => None,
        };
        for (_, res) in results {
            row.push(match res {
                Ok(Apportionment::Complete(o)) => {
                    let s = o.parties[i].seats;
                    match current.filter(|c| *c != s) {
                        Some(cur) => seats_changed(s, cur),
                        None => Cell::int(lang, s),
                    }
                }
                Ok(Apportionment::LotRequired(_)) => {
                    Cell::new(lang.t("loting nodig", "lot needed"))
                }
                Err(_) => Cell::new(lang.t("fout", "error")),
            });
        }
        t.row(row);
    }
    t
}

/// The what-if answer.
pub fn what_if(lang: Lang, l: &Loaded, a: &Answer, href: String) -> Table {
    let mut t = Table::new(
        "wat-als",
        lang.t("Uitkomst van uw berekening", "Outcome of your calculation"),
        vec![
            Column::text(lang.t("Lijst", "List")),
            Column::num(lang.t("Stemmen (echt)", "Votes (real)")),
            Column::num(lang.t("Stemmen (wat als)", "Votes (what if)")),
            Column::num(lang.t("Zetels (echt)", "Seats (real)")),
            Column::num(lang.t("Zetels (wat als)", "Seats (what if)")),
        ],
    )
    .sortable()
    .csv(href);
    let _ = l;
    for r in &a.rows {
        let mut votes = Cell::int(lang, r.votes);
        if r.votes != r.votes_before {
            votes = votes.class("changed");
        }
        let seats = if a.lot_required.is_some() {
            Cell::new("?")
        } else if r.seats == r.seats_before {
            Cell::int(lang, r.seats)
        } else {
            seats_changed(r.seats, r.seats_before)
        };
        t.row(vec![
            Cell::new(format!("{} {}", r.number, r.name)),
            Cell::int(lang, r.votes_before),
            votes,
            Cell::int(lang, r.seats_before),
            seats,
        ]);
    }
    t
}

/// A table about unit `u` with id `gebied-<unit>-<part>`, captioned `<title> – <unit name>`.
fn unit_table(l: &Loaded, u: &Unit, part: &str, title: &str, columns: Vec<Column>) -> Table {
    csv_table(
        l,
        format!("gebied-{}-{part}", u.data.id),
        format!("{title} – {}", u.data.name),
        columns,
    )
}

/// Votes per party in a unit.
pub fn unit_parties(lang: Lang, l: &Loaded, ui: usize) -> Table {
    let u = &l.units[ui];
    let mut t = unit_table(
        l,
        u,
        "partijen",
        lang.t("Stemmen per lijst", "Votes per list"),
        vec![
            Column::num(lang.t("Nr.", "No.")),
            Column::text(lang.t("Lijst", "List")),
            Column::num(lang.t("Stemmen", "Votes")),
            Column::num(lang.t("Percentage", "Share")),
        ],
    )
    .two_key_columns();
    let valid = u.valid();
    for (p, v) in l.meta.parties.iter().zip(&u.party_votes) {
        t.row(vec![
            Cell::int(lang, p.number),
            Cell::new(if p.name.trim().is_empty() {
                lang.t("(zonder aanduiding)", "(no name)").to_string()
            } else {
                p.name.clone()
            }),
            Cell::int(lang, *v),
            pct_cell(lang, *v, valid, 2),
        ]);
    }
    t
}

/// The parts of a unit (children) with turnout and the largest list.
pub fn unit_children(lang: Lang, l: &Loaded, ui: usize) -> Option<Table> {
    let u = &l.units[ui];
    let first = *u.children.first()?;
    let level = l.units[first].data.level;
    let id = format!("gebied-{}-onderdelen", u.data.id);
    let mut t = csv_table(
        l,
        id,
        format!(
            "{} {} {}",
            capitalize(level.plural(lang)),
            lang.t("in", "in"),
            u.data.name
        ),
        vec![
            Column::text(lang.t("Naam", "Name")),
            Column::num(lang.t("Kiesgerechtigden", "Electorate")),
            Column::num(lang.t("Opkomst", "Turnout")),
            Column::num(lang.t("Geldige stemmen", "Valid votes")),
            Column::text(lang.t("Grootste lijst", "Largest list")),
        ],
    );
    for &c in &u.children {
        let cu = &l.units[c];
        let electorate = l.unit_electorate(c);
        let (b, inv) = l.unit_blank_invalid(c);
        let cast = cu.valid() + b + inv;
        let largest = cu
            .party_votes
            .iter()
            .enumerate()
            .max_by_key(|(i, v)| (**v, std::cmp::Reverse(*i)))
            .filter(|(_, v)| **v > 0)
            .map_or_else(String::new, |(i, _)| l.meta.parties[i].name.clone());
        t.row(vec![
            Cell::new(cu.data.name.clone()).link(format!(
                "/verkiezingen/{}/gebied/{}",
                l.id(),
                cu.data.id
            )),
            electorate.map_or(Cell::new("–"), |e| Cell::int(lang, e)),
            electorate.map_or(Cell::new("–"), |e| pct_cell(lang, cast, e, 1)),
            Cell::int(lang, cu.valid()),
            Cell::new(largest),
        ]);
    }
    Some(t)
}

/// Candidate votes in a unit that lies within one kieskring (or an election without them).
pub fn unit_candidates(lang: Lang, l: &Loaded, ui: usize) -> Option<Table> {
    let u = &l.units[ui];
    let has_kieskringen = l.units.iter().any(|x| x.data.level == Level::Kieskring);
    if has_kieskringen && u.kieskring.is_none() {
        return None;
    }
    let mut t = unit_table(
        l,
        u,
        "kandidaten",
        lang.t("Stemmen per kandidaat", "Votes per candidate"),
        vec![
            Column::text(lang.t("Lijst", "List")),
            Column::num(lang.t("Plaats", "Position")),
            Column::text(lang.t("Naam", "Name")),
            Column::num(lang.t("Stemmen", "Votes")),
        ],
    );
    for p in &l.meta.parties {
        let list = p.lists.iter().find(|li| {
            li.kieskringen.is_empty() || u.kieskring.is_some_and(|k| li.kieskringen.contains(&k))
        });
        let Some(list) = list else { continue };
        for c in &list.candidates {
            let v = u
                .candidate_votes
                .get(&(p.number, c.position))
                .copied()
                .unwrap_or(0);
            t.row(vec![
                Cell::new(crate::tables::list_label(p.number, &p.name))
                    .sort_key(format!("{:04}", p.number)),
                Cell::int(lang, c.position),
                Cell::new(c.name.clone()),
                Cell::int(lang, v),
            ]);
        }
    }
    Some(t)
}

fn capitalize(s: &str) -> String {
    let mut c = s.chars();
    c.next().map_or_else(String::new, |f| {
        f.to_uppercase().collect::<String>() + c.as_str()
    })
}
