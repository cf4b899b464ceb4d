//! Search over every stored election: elections, parties, candidates, gemeenten and other
//! areas. Case- and accent-insensitive prefix matching on words ("rut" finds "Rutte", "zuid"
//! finds "Zuid-Holland", "cafe" finds "Café").
//!
//! The index is built once from the tables (no election is computed for it) and kept until an
//! election changes ([`crate::Web::invalidate`]). A query looks up its longest word in a
//! sorted word list (binary search for the prefix range) and checks the other words only on
//! those entries, so its cost follows the number of hits, not the size of the data; queries
//! and answers are bounded ([`MAX_QUERY_CHARS`], [`MAX_WORDS`], `limit`).

use std::collections::{BTreeMap, HashMap};

use serde::Serialize;
use webkit::rusqlite::{self, Connection};

/// Longer queries are cut to this many characters.
pub const MAX_QUERY_CHARS: usize = 100;
/// Words after this many are ignored.
pub const MAX_WORDS: usize = 8;
/// Most results of one kind in an answer.
pub const MAX_LIMIT: usize = 100;

/// What a result is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Kind {
    Election,
    Area,
    Party,
    Candidate,
}

impl Kind {
    pub const ALL: [Kind; 4] = [Kind::Election, Kind::Area, Kind::Party, Kind::Candidate];

    pub fn heading(self, lang: webkit::Lang) -> &'static str {
        match self {
            Kind::Election => lang.t("Verkiezingen", "Elections"),
            Kind::Area => lang.t("Gemeenten en gebieden", "Municipalities and areas"),
            Kind::Party => lang.t("Partijen", "Parties"),
            Kind::Candidate => lang.t("Kandidaten", "Candidates"),
        }
    }
}

/// The election a result belongs to.
#[derive(Clone, Debug, Serialize)]
pub struct ElectionRef {
    pub id: String,
    pub name: String,
    pub date: String,
}

/// One thing that can be found.
#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub kind: Kind,
    pub name: String,
    /// One line that tells this entry apart from others with the same name (Dutch).
    pub detail: String,
    pub href: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub election: Option<ElectionRef>,
    /// List number (parties, candidates).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub list: Option<u32>,
    /// Position on the list (candidates).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub position: Option<u32>,
    /// Level of an area: `gemeente`, `kieskring`, `stembureau`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub level: Option<&'static str>,
    #[serde(skip)]
    folded: String,
    /// The words a query can match: the name's and a few more (body name, "gemeente").
    #[serde(skip)]
    words: Box<[Box<str>]>,
    #[serde(skip)]
    date: String,
}

/// Where a gemeente occurs: as an area of an election, or as the whole of a gemeenteraad
/// election.
#[derive(Clone, Debug, Serialize)]
pub struct GemeenteIn {
    pub election: ElectionRef,
    pub body: String,
    pub unit: String,
    /// The election is this gemeente's own council election.
    pub own_council: bool,
}

/// A gemeente across elections.
#[derive(Clone, Debug, Serialize)]
pub struct Gemeente {
    pub name: String,
    pub slug: String,
    /// Newest election first.
    pub elections: Vec<GemeenteIn>,
}

/// The search index.
#[derive(Debug, Default)]
pub struct Index {
    entries: Vec<Entry>,
    /// (word, entry) sorted by word.
    words: Vec<(Box<str>, u32)>,
    gemeenten: HashMap<String, Gemeente>,
}

/// The answer to a query: per kind the best `limit` results and how many there were.
#[derive(Clone, Debug, Serialize)]
pub struct Answer {
    pub query: String,
    pub groups: Vec<Group>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Group {
    pub kind: Kind,
    pub total: usize,
    pub results: Vec<Entry>,
}

impl Answer {
    pub fn total(&self) -> usize {
        self.groups.iter().map(|g| g.total).sum()
    }
}

/// Lower case without accents; every character that is not a letter or digit becomes a space
/// (so "'s-Hertogenbosch" is the words "s" and "hertogenbosch").
pub fn fold(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        let base = match c {
            'à' | 'á' | 'â' | 'ã' | 'ä' | 'å' | 'À' | 'Á' | 'Â' | 'Ã' | 'Ä' | 'Å' => {
                'a'
            }
            'ç' | 'Ç' | 'ć' | 'č' | 'Ć' | 'Č' => 'c',
            'è' | 'é' | 'ê' | 'ë' | 'È' | 'É' | 'Ê' | 'Ë' | 'ę' | 'ě' => 'e',
            'ì' | 'í' | 'î' | 'ï' | 'Ì' | 'Í' | 'Î' | 'Ï' => 'i',
            'ñ' | 'Ñ' | 'ń' | 'ň' => 'n',
            'ò' | 'ó' | 'ô' | 'õ' | 'ö' | 'ø' | 'Ò' | 'Ó' | 'Ô' | 'Õ' | 'Ö' | 'Ø' => {
                'o'
            }
            'ù' | 'ú' | 'û' | 'ü' | 'Ù' | 'Ú' | 'Û' | 'Ü' => 'u',
            'ý' | 'ÿ' | 'Ý' => 'y',
            'š' | 'Š' | 'ś' | 'ş' => 's',
            'ž' | 'Ž' | 'ź' | 'ż' => 'z',
            'ł' | 'Ł' => 'l',
            'ř' => 'r',
            'ğ' => 'g',
            'ß' => {
                out.push_str("ss");
                continue;
            }
            'ĳ' | 'Ĳ' => {
                out.push_str("ij");
                continue;
            }
            c if c.is_alphanumeric() => {
                out.extend(c.to_lowercase());
                continue;
            }
            _ => ' ',
        };
        out.push(base);
    }
    out
}

/// The words of a folded text.
fn words(folded: &str) -> impl Iterator<Item = &str> {
    folded.split(' ').filter(|w| !w.is_empty())
}

/// The address part for a gemeente: folded name, words joined by `-`.
pub fn slug(name: &str) -> String {
    words(&fold(name)).collect::<Vec<_>>().join("-")
}

/// A unit name without the prefix the files repeat ("Stembureau Stembureau Jagtlust" →
/// "Stembureau Jagtlust"). Official names are otherwise shown as published.
pub fn tidy_unit_name(name: &str) -> String {
    let mut words: Vec<&str> = name.split_whitespace().collect();
    while words.len() > 2 && words[0].eq_ignore_ascii_case(words[1]) {
        words.remove(0);
    }
    words.join(" ")
}

impl Index {
    fn push(&mut self, mut e: Entry, extra: &str) {
        // The name's words joined by one space: compared whole for exact matches.
        e.folded = words(&fold(&e.name)).collect::<Vec<_>>().join(" ");
        let mut seen: Vec<Box<str>> = Vec::new();
        let extra = fold(extra);
        for w in words(&e.folded).chain(words(&extra)) {
            if !seen.iter().any(|s| &**s == w) {
                seen.push(w.into());
            }
        }
        e.words = seen.into();
        self.entries.push(e);
    }

    /// Puts the entries in answer order (kind, level, newest election, name) and builds the sorted
    /// word list, so a query needs no sorting beyond its own hits' positions.
    fn finish(&mut self) {
        // Areas: a gemeente (its page across elections) before kieskringen and stembureaus.
        let level = |e: &Entry| match e.level {
            Some("gemeente") => 0,
            Some("kieskring") => 1,
            _ => 2,
        };
        self.entries.sort_by(|a, b| {
            a.kind
                .cmp(&b.kind)
                .then_with(|| level(a).cmp(&level(b)))
                .then_with(|| b.date.cmp(&a.date))
                .then_with(|| a.folded.cmp(&b.folded))
                .then_with(|| a.detail.cmp(&b.detail))
        });
        self.words = self
            .entries
            .iter()
            .enumerate()
            .flat_map(|(i, e)| {
                let id = u32::try_from(i).unwrap_or(u32::MAX);
                e.words.iter().map(move |w| (w.clone(), id))
            })
            .collect();
        self.words.sort_unstable();
    }

    /// Builds the index from the stored elections.
    pub fn build(conn: &Connection) -> rusqlite::Result<Index> {
        let mut ix = Index::default();
        let mut elections: HashMap<String, (ElectionRef, String)> = HashMap::new();
        let mut stmt = conn.prepare("SELECT id, name, election_date, body FROM web_elections")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
            ))
        })?;
        for row in rows {
            let (id, name, date, body) = row?;
            let body_name = kieswet::Body::from_code(&body).map_or("", |b| b.name_nl());
            ix.push(
                Entry {
                    kind: Kind::Election,
                    detail: format!("{body_name}, {date}"),
                    href: format!("/verkiezingen/{id}"),
                    name: name.clone(),
                    election: None,
                    list: None,
                    position: None,
                    level: None,
                    folded: String::new(),
                    words: Box::default(),
                    date: date.clone(),
                },
                body_name,
            );
            elections.insert(id.clone(), (ElectionRef { id, name, date }, body));
        }
        let eref = |id: &str| elections.get(id).map(|(e, _)| e.clone());

        // Parties: one entry per list number per election.
        let mut party_names: HashMap<(String, u32), String> = HashMap::new();
        let mut stmt = conn.prepare("SELECT election_id, number, name FROM web_parties")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (eid, number, name) = row?;
            let Some(er) = eref(&eid) else { continue };
            let shown = crate::tables::list_label(number, &name);
            party_names.insert((eid.clone(), number), shown.clone());
            ix.push(
                Entry {
                    kind: Kind::Party,
                    detail: er.name.clone(),
                    href: format!("/verkiezingen/{eid}#lijsten"),
                    name: shown,
                    list: Some(number),
                    position: None,
                    level: None,
                    folded: String::new(),
                    words: Box::default(),
                    date: er.date.clone(),
                    election: Some(er),
                },
                "",
            );
        }

        // Candidates: one entry per person per list number (a lijstengroep repeats the person
        // on the list of every kieskring).
        let mut stmt = conn.prepare(
            "SELECT election_id, party, position, name, person_id, locality FROM web_candidates
             ORDER BY election_id, party, list_index, position",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, u32>(1)?,
                r.get::<_, u32>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        let mut seen: std::collections::HashSet<(String, u32, String)> =
            std::collections::HashSet::new();
        for row in rows {
            let (eid, party, position, name, person, locality) = row?;
            let key = (eid.clone(), party, person.unwrap_or_else(|| name.clone()));
            if !seen.insert(key) {
                continue;
            }
            let Some(er) = eref(&eid) else { continue };
            let list = party_names
                .get(&(eid.clone(), party))
                .cloned()
                .unwrap_or_else(|| format!("Lijst {party}"));
            let mut detail = format!("{list}, nummer {position} – {}", er.name);
            if let Some(w) = locality.as_deref().filter(|w| !w.is_empty()) {
                detail = format!("{detail} – {w}");
            }
            ix.push(
                Entry {
                    kind: Kind::Candidate,
                    detail,
                    href: format!("/verkiezingen/{eid}/kandidaten#lijst-{party}"),
                    name,
                    list: Some(party),
                    position: Some(position),
                    level: None,
                    folded: String::new(),
                    words: Box::default(),
                    date: er.date.clone(),
                    election: Some(er),
                },
                "",
            );
        }

        // Areas: gemeenten once across elections (their own page), kieskringen and
        // stembureaus per election.
        let mut stmt = conn.prepare(
            "SELECT election_id, id, name, level, parent_id IS NULL FROM web_units
             WHERE level IN ('gemeente', 'kieskring', 'stembureau')",
        )?;
        let rows = stmt.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, bool>(4)?,
            ))
        })?;
        let mut gemeenten: BTreeMap<String, Gemeente> = BTreeMap::new();
        for row in rows {
            let (eid, unit, name, level, root) = row?;
            let Some((er, body)) = elections.get(&eid).cloned() else {
                continue;
            };
            if level == "gemeente" {
                let slug = slug(&name);
                if slug.is_empty() {
                    continue;
                }
                let g = gemeenten.entry(slug.clone()).or_insert_with(|| Gemeente {
                    name: name.clone(),
                    slug,
                    elections: Vec::new(),
                });
                g.elections.push(GemeenteIn {
                    own_council: root && body == "GR",
                    election: er,
                    body,
                    unit,
                });
                continue;
            }
            let level = if level == "kieskring" {
                "kieskring"
            } else {
                "stembureau"
            };
            let name = tidy_unit_name(&name);
            ix.push(
                Entry {
                    kind: Kind::Area,
                    detail: format!("{level} – {}", er.name),
                    href: format!("/verkiezingen/{eid}/gebied/{unit}"),
                    name,
                    list: None,
                    position: None,
                    level: Some(level),
                    folded: String::new(),
                    words: Box::default(),
                    date: er.date.clone(),
                    election: Some(er),
                },
                "",
            );
        }
        for (slug, mut g) in gemeenten {
            g.elections.sort_by(|a, b| {
                b.election
                    .date
                    .cmp(&a.election.date)
                    .then_with(|| a.election.name.cmp(&b.election.name))
            });
            let n = g.elections.len();
            ix.push(
                Entry {
                    kind: Kind::Area,
                    detail: format!(
                        "gemeente – {n} {}",
                        if n == 1 { "verkiezing" } else { "verkiezingen" }
                    ),
                    href: format!("/gemeenten/{slug}"),
                    name: g.name.clone(),
                    list: None,
                    position: None,
                    level: Some("gemeente"),
                    folded: String::new(),
                    words: Box::default(),
                    date: g
                        .elections
                        .first()
                        .map(|e| e.election.date.clone())
                        .unwrap_or_default(),
                    election: None,
                },
                "gemeente",
            );
            ix.gemeenten.insert(slug, g);
        }
        ix.finish();
        Ok(ix)
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.entries.is_empty()
    }

    /// A gemeente by its slug.
    pub fn gemeente(&self, slug: &str) -> Option<&Gemeente> {
        self.gemeenten.get(slug)
    }

    /// Entries whose words start with every word of `query`; per kind at most `limit`,
    /// best first: whole-name matches, then newest election, then name.
    pub fn search(&self, query: &str, limit: usize) -> Answer {
        let limit = limit.clamp(1, MAX_LIMIT);
        let query: String = query.chars().take(MAX_QUERY_CHARS).collect();
        let folded = fold(&query);
        let mut q: Vec<&str> = words(&folded).take(MAX_WORDS).collect();
        q.sort_unstable();
        q.dedup();
        // The longest word picks the fewest entries; the others only filter those.
        q.sort_by_key(|w| std::cmp::Reverse(w.len()));
        let mut groups: Vec<Group> = Kind::ALL
            .iter()
            .map(|&kind| Group {
                kind,
                total: 0,
                results: Vec::new(),
            })
            .collect();
        let Some(first) = q.first().copied() else {
            return Answer {
                query: query.trim().to_string(),
                groups,
            };
        };
        let start = self.words.partition_point(|(w, _)| &**w < first);
        let mut hits: Vec<u32> = self.words[start..]
            .iter()
            .take_while(|(w, _)| w.starts_with(first))
            .map(|&(_, id)| id)
            .collect();
        hits.sort_unstable();
        hits.dedup();
        // Entries are stored in answer order; whole-name matches go first within their kind.
        let whole = {
            let mut w: Vec<&str> = words(&folded).take(MAX_WORDS).collect();
            w.dedup();
            w.join(" ")
        };
        let matching = hits
            .into_iter()
            .filter_map(|id| self.entries.get(id as usize))
            .filter(|e| {
                q[1..]
                    .iter()
                    .all(|w| e.words.iter().any(|ew| ew.starts_with(w)))
            });
        let mut exact: Vec<Vec<&Entry>> = vec![Vec::new(); Kind::ALL.len()];
        let mut rest: Vec<Vec<&Entry>> = vec![Vec::new(); Kind::ALL.len()];
        for e in matching {
            let k = Kind::ALL.iter().position(|k| *k == e.kind).unwrap_or(0);
            groups[k].total += 1;
            if e.folded == whole {
                if exact[k].len() < limit {
                    exact[k].push(e);
                }
            } else if rest[k].len() < limit {
                rest[k].push(e);
            }
        }
        for (k, g) in groups.iter_mut().enumerate() {
            g.results = exact[k]
                .iter()
                .chain(&rest[k])
                .take(limit)
                .map(|e| (*e).clone())
                .collect();
        }
        Answer {
            query: query.trim().to_string(),
            groups,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fold_removes_case_accents_and_punctuation() {
        assert_eq!(fold("Café Zuid-Holland"), "cafe zuid holland");
        assert_eq!(fold("'s-Hertogenbosch"), " s hertogenbosch");
        assert_eq!(fold("Ĳsselstein Weiß"), "ijsselstein weiss");
        assert_eq!(slug("Súdwest-Fryslân"), "sudwest-fryslan");
    }

    #[test]
    fn repeated_unit_prefixes_go() {
        assert_eq!(
            tidy_unit_name("Stembureau Stembureau Stembureau Jagtlust"),
            "Stembureau Jagtlust"
        );
        assert_eq!(tidy_unit_name("Stembureau Jagtlust"), "Stembureau Jagtlust");
        assert_eq!(tidy_unit_name("Den Den"), "Den Den");
    }
}
