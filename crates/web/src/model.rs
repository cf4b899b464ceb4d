//! The stored shape of an election (demo or imported) and its loaded, aggregated form.
//!
//! An election is: its definition (body, seats, parties with one list or per-kieskring lists
//! and their candidates), a tree of reporting units (land → kieskring → gemeente →
//! stembureau, or shorter), vote counts per candidate at the lowest level available, the
//! recorded lots, and optionally the official result as published. Higher levels are sums.

use std::collections::{BTreeMap, HashMap};
use std::sync::OnceLock;

use kieswet::{
    Apportionment, Body, Candidate, Election, InputError, List, LotChoice, Margins, Party,
    PersonNumbers, RulesetName,
};
use serde::Serialize;

/// Where an election comes from.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Source {
    Demo,
    Import,
}

impl Source {
    pub fn code(self) -> &'static str {
        match self {
            Source::Demo => "demo",
            Source::Import => "import",
        }
    }
    pub fn parse(s: &str) -> Source {
        if s == "demo" {
            Source::Demo
        } else {
            Source::Import
        }
    }
}

/// The level of a reporting unit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Level {
    Land,
    Kieskring,
    Gemeente,
    Stembureau,
}

impl Level {
    pub fn code(self) -> &'static str {
        match self {
            Level::Land => "land",
            Level::Kieskring => "kieskring",
            Level::Gemeente => "gemeente",
            Level::Stembureau => "stembureau",
        }
    }
    pub fn parse(s: &str) -> Option<Level> {
        [
            Level::Land,
            Level::Kieskring,
            Level::Gemeente,
            Level::Stembureau,
        ]
        .into_iter()
        .find(|l| l.code() == s)
    }
    pub fn name(self, lang: webkit::Lang) -> &'static str {
        match self {
            Level::Land => lang.t("land", "country"),
            Level::Kieskring => lang.t("kieskring", "electoral district"),
            Level::Gemeente => lang.t("gemeente", "municipality"),
            Level::Stembureau => lang.t("stembureau", "polling station"),
        }
    }
    pub fn plural(self, lang: webkit::Lang) -> &'static str {
        match self {
            Level::Land => lang.t("landen", "countries"),
            Level::Kieskring => lang.t("kieskringen", "electoral districts"),
            Level::Gemeente => lang.t("gemeenten", "municipalities"),
            Level::Stembureau => lang.t("stembureaus", "polling stations"),
        }
    }
}

#[derive(Clone, Debug, Serialize)]
pub struct CandidateData {
    pub position: u32,
    pub name: String,
    /// Identity across the lists of a lijstengroep (same person on several lists).
    pub person_id: Option<String>,
    pub locality: Option<String>,
    /// First name (roepnaam) from the candidate list (230b), when given.
    #[serde(default)]
    pub first_name: Option<String>,
    pub deceased: bool,
}

#[derive(Clone, Debug, Serialize)]
pub struct ListData {
    /// Kieskringen where this list stands; empty = everywhere (one list for the party).
    pub kieskringen: Vec<u32>,
    pub candidates: Vec<CandidateData>,
}

#[derive(Clone, Debug, Serialize)]
pub struct PartyData {
    pub number: u32,
    pub name: String,
    pub lists: Vec<ListData>,
}

#[derive(Clone, Debug, Serialize)]
pub struct UnitData {
    pub id: String,
    pub parent: Option<String>,
    pub level: Level,
    pub name: String,
    /// Kieskring number (on kieskring units).
    pub kieskring: Option<u32>,
    /// Kiesgerechtigden.
    pub electorate: Option<u64>,
    pub blank: u64,
    pub invalid: u64,
    /// The unit's votes, blank, invalid and electorate are its own published figures (an
    /// imported count at this level), not the sum of its children. Counts below such a unit
    /// are shown in the drill-down but do not feed the seat calculation.
    pub own_totals: bool,
}

/// Votes for a candidate (`position` ≥ 1) or for the list itself (`position` 0) in a unit.
#[derive(Clone, Debug, Serialize)]
pub struct CountData {
    pub unit: String,
    pub party: u32,
    pub position: u32,
    pub votes: u64,
}

/// One election as stored.
#[derive(Clone, Debug, Serialize)]
pub struct ElectionData {
    pub id: String,
    pub name: String,
    pub body: Body,
    /// ISO date.
    pub date: String,
    pub seats: u32,
    pub source: Source,
    pub description: String,
    pub preference_threshold_percent: Option<u32>,
    pub lots: Vec<LotChoice>,
    pub parties: Vec<PartyData>,
    pub units: Vec<UnitData>,
    pub counts: Vec<CountData>,
    /// The official result as published (JSON), for imported elections.
    pub official: Option<String>,
}

/// A reporting unit with aggregated votes.
#[derive(Clone, Debug)]
pub struct Unit {
    pub data: UnitData,
    pub parent: Option<usize>,
    pub children: Vec<usize>,
    /// The kieskring this unit lies in (None for the land or when there are no kieskringen).
    pub kieskring: Option<u32>,
    /// Votes per party, in ballot order (same index as `Loaded::election.parties`).
    pub party_votes: Vec<u64>,
    /// Votes per (party number, position) — position 0 is the list vote.
    pub candidate_votes: BTreeMap<(u32, u32), u64>,
}

impl Unit {
    pub fn valid(&self) -> u64 {
        // Saturating: imported files may hold counts up to u64::MAX (flagged by the checks).
        self.party_votes.iter().fold(0, |t, &v| t.saturating_add(v))
    }
    pub fn cast(&self) -> u64 {
        self.valid()
            .saturating_add(self.data.blank)
            .saturating_add(self.data.invalid)
    }
}

/// An election ready for pages: the engine input, the unit tree, the result.
pub struct Loaded {
    pub meta: ElectionData,
    pub election: Election,
    pub units: Vec<Unit>,
    pub unit_index: HashMap<String, usize>,
    pub outcome: Result<Apportionment, InputError>,
    margins: OnceLock<Result<Margins, InputError>>,
    reform: OnceLock<Vec<(RulesetName, Result<Apportionment, InputError>)>>,
    /// Chart colour per party (ballot order), by party name ([`crate::colours`]).
    colors: Vec<&'static str>,
    /// Set once the background computation of margins has been started.
    pub(crate) warming: std::sync::Mutex<bool>,
    /// Rendered page bodies that depend only on the election and the language.
    fragments: std::sync::RwLock<HashMap<(&'static str, webkit::Lang), std::sync::Arc<str>>>,
    /// Kiesgerechtigden per unit (same index as `units`), or why they are unknown.
    pub electorates: Vec<crate::turnout::Electorate>,
    /// The status of an imported election (set by [`crate::Web::get`]; `None` for the demo).
    pub status: Option<crate::status::ResultStatus>,
    /// Imported before first names were stored ([`crate::store::first_names_missing`]).
    pub first_names_missing: bool,
}

impl std::fmt::Debug for Loaded {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Loaded")
            .field("id", &self.meta.id)
            .finish_non_exhaustive()
    }
}

impl Loaded {
    /// Aggregates the counts and runs the engine.
    pub fn new(mut meta: ElectionData) -> Loaded {
        let counts = std::mem::take(&mut meta.counts);
        let unit_index: HashMap<String, usize> = meta
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| (u.id.clone(), i))
            .collect();
        let party_index: HashMap<u32, usize> = meta
            .parties
            .iter()
            .enumerate()
            .map(|(i, p)| (p.number, i))
            .collect();
        let mut units: Vec<Unit> = meta
            .units
            .iter()
            .map(|u| Unit {
                // Shown without the repeated prefix of some files ("Stembureau Stembureau
                // Jagtlust"); the id and every figure stay as published.
                data: UnitData {
                    name: crate::search::tidy_unit_name(&u.name),
                    ..u.clone()
                },
                parent: u.parent.as_ref().and_then(|p| unit_index.get(p).copied()),
                children: Vec::new(),
                kieskring: None,
                party_votes: vec![0; meta.parties.len()],
                candidate_votes: BTreeMap::new(),
            })
            .collect();
        for i in 0..units.len() {
            if let Some(p) = units[i].parent {
                units[p].children.push(i);
            }
        }
        // Kieskring of each unit: its own number or the nearest ancestor's.
        for i in 0..units.len() {
            let mut j = Some(i);
            while let Some(k) = j {
                if let Some(n) = units[k].data.kieskring {
                    units[i].kieskring = Some(n);
                    break;
                }
                j = units[k].parent;
            }
        }
        // Engine input: candidate votes per list, by the kieskring of the counting unit.
        let mut parties: Vec<Party> = meta
            .parties
            .iter()
            .map(|p| {
                // The person's id ties the entries of a lijstengroep together; without one,
                // the name does.
                let mut persons = PersonNumbers::default();
                let lists = p
                    .lists
                    .iter()
                    .map(|l| List {
                        kieskringen: l.kieskringen.as_slice().into(),
                        list_votes: 0,
                        candidates: l
                            .candidates
                            .iter()
                            .map(|c| Candidate {
                                position: c.position,
                                name: c.name.clone(),
                                person: persons.number(c.person_id.as_deref().unwrap_or(&c.name)),
                                votes: 0,
                                deceased: c.deceased,
                            })
                            .collect(),
                    })
                    .collect();
                Party {
                    number: p.number,
                    name: p.name.clone(),
                    lists,
                }
            })
            .collect();
        // Which units feed the engine: those without an ancestor that has its own totals.
        let feeds_engine: Vec<bool> = (0..units.len())
            .map(|i| {
                let mut j = units[i].parent;
                while let Some(k) = j {
                    if units[k].data.own_totals {
                        return false;
                    }
                    j = units[k].parent;
                }
                true
            })
            .collect();
        for c in &counts {
            let (Some(&u), Some(&pi)) = (unit_index.get(&c.unit), party_index.get(&c.party)) else {
                continue;
            };
            let pv = &mut units[u].party_votes[pi];
            *pv = pv.saturating_add(c.votes);
            let cv = units[u]
                .candidate_votes
                .entry((c.party, c.position))
                .or_insert(0);
            *cv = cv.saturating_add(c.votes);
            if !feeds_engine[u] {
                continue;
            }
            let kk = units[u].kieskring;
            let party = &mut parties[pi];
            let li = party
                .lists
                .iter()
                .position(|l| {
                    l.kieskringen.is_empty() || kk.is_some_and(|k| l.kieskringen.contains(&k))
                })
                .unwrap_or(0);
            if let Some(list) = party.lists.get_mut(li) {
                if c.position == 0 {
                    list.list_votes = list.list_votes.saturating_add(c.votes);
                } else if let Some(cand) = list
                    .candidates
                    .iter_mut()
                    .find(|x| x.position == c.position)
                {
                    cand.votes = cand.votes.saturating_add(c.votes);
                }
            }
        }
        // Higher levels: the sum of their children, unless they have their own totals.
        let mut depth = vec![0usize; units.len()];
        for (i, d) in depth.iter_mut().enumerate() {
            let mut j = units[i].parent;
            while let Some(k) = j {
                *d += 1;
                j = units[k].parent;
            }
        }
        let mut order: Vec<usize> = (0..units.len()).collect();
        order.sort_by_key(|&i| std::cmp::Reverse(depth[i]));
        for i in order {
            let Some(p) = units[i].parent else { continue };
            if units[p].data.own_totals {
                continue;
            }
            let (pv, cv) = (
                units[i].party_votes.clone(),
                units[i].candidate_votes.clone(),
            );
            for (a, b) in units[p].party_votes.iter_mut().zip(pv) {
                *a = a.saturating_add(b);
            }
            for (k, v) in cv {
                let x = units[p].candidate_votes.entry(k).or_insert(0);
                *x = x.saturating_add(v);
            }
        }
        let election = Election {
            body: meta.body,
            seats: meta.seats,
            ruleset: RulesetName::Current,
            split_rounding: kieswet::SplitRounding::default(),
            preference_threshold_percent: meta.preference_threshold_percent,
            parties,
            lots: meta.lots.clone(),
        };
        // The candidates page and the API show the P 19 ranking.
        let outcome = kieswet::apportion_with_ranking(&election);
        let colors = party_colors(&meta.parties, &outcome);
        let mut loaded = Loaded {
            electorates: Vec::new(),
            status: None,
            first_names_missing: false,
            colors,
            fragments: std::sync::RwLock::default(),
            warming: std::sync::Mutex::new(false),
            meta,
            election,
            units,
            unit_index,
            outcome,
            margins: OnceLock::new(),
            reform: OnceLock::new(),
        };
        let cast: Vec<u64> = (0..loaded.units.len())
            .map(|i| {
                let (b, inv) = loaded.unit_blank_invalid(i);
                loaded.units[i].valid() + b + inv
            })
            .collect();
        loaded.electorates = crate::turnout::assess(&loaded.units, &cast);
        loaded
    }

    pub fn id(&self) -> &str {
        &self.meta.id
    }

    /// The complete outcome, if there is one.
    pub fn complete(&self) -> Option<&kieswet::Outcome> {
        match &self.outcome {
            Ok(Apportionment::Complete(o)) => Some(o),
            _ => None,
        }
    }

    /// The P 19 ranking of every party, in ballot order (empty without a complete result).
    pub fn rankings(&self) -> &[(u32, Vec<kieswet::RankedCandidate>)] {
        self.complete()
            .and_then(|o| o.rankings.as_deref())
            .unwrap_or_default()
    }

    /// The root unit (the first unit without parent).
    pub fn root(&self) -> Option<usize> {
        self.units.iter().position(|u| u.parent.is_none())
    }

    pub fn unit(&self, id: &str) -> Option<&Unit> {
        self.unit_index.get(id).map(|&i| &self.units[i])
    }

    /// Kiesgerechtigden of the root, when known and sound ([`crate::turnout`]).
    pub fn electorate(&self) -> Option<u64> {
        self.root().and_then(|r| self.unit_electorate(r))
    }

    /// Kiesgerechtigden of a unit, when known and sound.
    pub fn unit_electorate(&self, i: usize) -> Option<u64> {
        self.electorates
            .get(i)
            .and_then(crate::turnout::Electorate::known)
    }

    /// Blank + invalid of a unit including its descendants.
    pub fn unit_blank_invalid(&self, i: usize) -> (u64, u64) {
        let u = &self.units[i];
        let mut b = u.data.blank;
        let mut inv = u.data.invalid;
        if u.data.own_totals {
            return (b, inv);
        }
        for &c in &u.children {
            let (cb, ci) = self.unit_blank_invalid(c);
            b = b.saturating_add(cb);
            inv = inv.saturating_add(ci);
        }
        (b, inv)
    }

    /// Party name by number.
    pub fn party_name(&self, number: u32) -> &str {
        self.meta
            .parties
            .iter()
            .find(|p| p.number == number)
            .map_or("?", |p| p.name.as_str())
    }

    /// The stored data of the candidate at `position` on list `list_index` of `party`.
    pub fn candidate_data(
        &self,
        party: u32,
        list_index: usize,
        position: u32,
    ) -> Option<&CandidateData> {
        self.meta
            .parties
            .iter()
            .find(|p| p.number == party)?
            .lists
            .get(list_index)?
            .candidates
            .iter()
            .find(|c| c.position == position)
    }

    /// A candidate's name as on the list with the first name from the 230b, e.g.
    /// "Rutte, M. (Mark)", and the woonplaats (empty when unknown).
    pub fn full_name(
        &self,
        party: u32,
        list_index: usize,
        position: u32,
        name: &str,
    ) -> (String, String) {
        let c = self.candidate_data(party, list_index, position);
        let first = c
            .and_then(|c| c.first_name.as_deref())
            .filter(|f| !f.trim().is_empty());
        let shown = match first {
            Some(f) if !name.contains(f) => format!("{name} ({f})"),
            _ => name.to_string(),
        };
        let place = c.and_then(|c| c.locality.clone()).unwrap_or_default();
        (shown, place)
    }

    /// The list's number and name as shown ([`crate::tables::list_label`]).
    pub fn list_label(&self, number: u32) -> String {
        crate::tables::list_label(number, self.party_name(number))
    }

    /// Chart colour of a party.
    pub fn party_color(&self, number: u32) -> &'static str {
        self.meta
            .parties
            .iter()
            .position(|p| p.number == number)
            .and_then(|i| self.colors.get(i).copied())
            .unwrap_or(crate::colours::PALETTE[0])
    }

    /// A page body that depends only on this election and the language, rendered once.
    pub fn fragment(
        &self,
        page: &'static str,
        lang: webkit::Lang,
        render: impl FnOnce() -> maud::Markup,
    ) -> maud::PreEscaped<std::sync::Arc<str>> {
        if let Some(f) = self
            .fragments
            .read()
            .ok()
            .and_then(|c| c.get(&(page, lang)).cloned())
        {
            return maud::PreEscaped(f);
        }
        let f: std::sync::Arc<str> = render().into_string().into();
        if let Ok(mut c) = self.fragments.write() {
            c.insert((page, lang), f.clone());
        }
        maud::PreEscaped(f)
    }

    /// Margins if they have been computed already (never blocks).
    pub fn margins_ready(&self) -> Option<&Result<Margins, InputError>> {
        self.margins.get()
    }

    /// Margins (computed once; this blocks while they are computed — from async code use
    /// [`crate::Web::margins`]).
    pub fn margins(&self) -> &Result<Margins, InputError> {
        self.margins
            .get_or_init(|| kieswet::margins(&self.election))
    }

    /// The election under each ruleset (computed once). For the proposal "Met één stem meer
    /// keus" the votes on the lijsttrekker (position 1) count as list votes.
    pub fn reform(&self) -> &[(RulesetName, Result<Apportionment, InputError>)] {
        self.reform.get_or_init(|| {
            [
                RulesetName::Current,
                RulesetName::MetEenStemMeerKeus,
                RulesetName::Wet36641,
            ]
            .into_iter()
            .map(|r| (r, kieswet::apportion(&under_ruleset(&self.election, r))))
            .collect()
        })
    }
}

/// Colours in ballot order, by party name ([`crate::colours`]): the same party has the same
/// colour in every election; parties that won seats are served first on a clash.
fn party_colors(
    parties: &[PartyData],
    outcome: &Result<Apportionment, InputError>,
) -> Vec<&'static str> {
    let seated: Vec<bool> = (0..parties.len())
        .map(|i| match outcome {
            Ok(Apportionment::Complete(o)) => o.parties.get(i).is_some_and(|p| p.seats > 0),
            _ => false,
        })
        .collect();
    let names: Vec<&str> = parties.iter().map(|p| p.name.as_str()).collect();
    crate::colours::assign(&names, &seated)
}

/// The election under another ruleset. Recorded lots belong to the current law and are
/// dropped for the proposals (a needed lot is then shown as such).
pub fn under_ruleset(election: &Election, ruleset: RulesetName) -> Election {
    let mut e = election.clone();
    e.ruleset = ruleset;
    if ruleset != RulesetName::Current {
        e.lots.clear();
    }
    if ruleset == RulesetName::MetEenStemMeerKeus {
        for p in &mut e.parties {
            for l in &mut p.lists {
                if let Some(first) = l.candidates.iter_mut().find(|c| c.position == 1) {
                    l.list_votes = l.list_votes.saturating_add(first.votes);
                    first.votes = 0;
                }
            }
        }
    }
    e
}
