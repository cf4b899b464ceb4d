//! Assembling elections from a [`Bundle`]: documents are grouped by election id (the OSV4-3
//! CSV, which has none, by gemeente code and name; the uitslag CSV by the prefix of its file
//! name), counts become [`Fragment`]s keyed by reporting unit, candidate lists become
//! [`ListDef`]s and the 520 or CSV seats and elected become the [`Official`] result.

use std::collections::HashMap;
use std::sync::Arc;

use eml::osv4_3::Osv43Table;
use eml::{
    Bundle, CandidateLists, Count, Document, ElectionDefinition, ElectionResult, ListVotes,
    ReadProblem, RegionKind, SourceRef, UitslagCsv, UitslagField, UncountedReason, VoteTotals,
};
use kieswet::Body;

use crate::model::{
    CandidateDef, ElectionData, Finding, Fragment, Level, ListDef, Official, OfficialCandidate,
    OfficialList, Unit, gemeente_code, name_key,
};
use crate::scope::Scope;

/// The elections found in a bundle, and the problems that belong to none of them.
#[derive(Debug, Clone, Default)]
pub struct Assembled {
    pub elections: Vec<ElectionData>,
    /// Unreadable files that could not be tied to an election, and other global problems.
    pub findings: Vec<Finding>,
}

/// Groups the documents of `bundle` into elections. Consumes the bundle: counts are moved, not
/// copied.
pub fn assemble(bundle: Bundle) -> Assembled {
    let mut b = Builder::default();
    let mut osv: Vec<(SourceRef, Osv43Table)> = Vec::new();
    // Definitions first: their region tree says what the units of a count are.
    let (definitions, documents): (Vec<_>, Vec<_>) = bundle
        .documents
        .into_iter()
        .partition(|(_, d)| matches!(d, Document::ElectionDefinition(_)));
    for (src, doc) in definitions.into_iter().chain(documents) {
        match doc {
            Document::ElectionDefinition(d) => b.definition(&src, &d),
            Document::CandidateLists(c) => b.candidate_lists(&src, c),
            Document::Count(c) => b.count(&src, c),
            Document::Result(r) => b.result(&src, &r),
            Document::UitslagCsv(u) => b.uitslag(&src, &u),
            Document::Osv43(t) => osv.push((src, t)),
            Document::PollingStations(_) | Document::StembureauCsv(_) => {}
        }
    }
    for (src, t) in osv {
        b.osv(&src, &t);
    }
    let mut out = Assembled {
        elections: b.elections,
        findings: Vec::new(),
    };
    for p in bundle.problems {
        attach_problem(&mut out, &p);
    }
    for e in &mut out.elections {
        finish(e);
    }
    out
}

/// The directory part of a source (zip entry folder, or the file's folder).
fn source_dir(s: &SourceRef) -> String {
    match s.entries.last() {
        Some(e) => {
            let dir = e.rsplit_once(['/', '\\']).map_or("", |(d, _)| d);
            format!("{}!{}", s.path.display(), dir)
        }
        None => s
            .path
            .parent()
            .map(|p| p.display().to_string())
            .unwrap_or_default(),
    }
}

fn attach_problem(out: &mut Assembled, p: &ReadProblem) {
    let file = p.source.to_string();
    let dir = source_dir(&p.source);
    let finding = Finding::error(
        "E-BESTAND-ONLEESBAAR",
        format!("bestand kan niet gelezen worden: {}", p.message_nl()),
        format!("file cannot be read: {}", p.message_en()),
    )
    .file(file.clone());
    // Tie the problem to the one election whose files sit in the same folder, if any.
    let mut owners = out
        .elections
        .iter()
        .enumerate()
        .filter(|(_, e)| e.sources_dirs().contains(&dir));
    let first = owners.next().map(|(i, _)| i);
    match (first, owners.next()) {
        (Some(i), None) => {
            let e = &mut out.elections[i];
            e.damaged.push(file);
            e.findings.push(finding);
        }
        _ => out.findings.push(finding),
    }
}

impl ElectionData {
    fn sources_dirs(&self) -> Vec<String> {
        self.files
            .iter()
            .map(|f| match f.rsplit_once('!') {
                Some((zip, entry)) => {
                    let dir = entry.rsplit_once(['/', '\\']).map_or("", |(d, _)| d);
                    format!("{zip}!{dir}")
                }
                None => std::path::Path::new(f)
                    .parent()
                    .map(|p| p.display().to_string())
                    .unwrap_or_default(),
            })
            .collect()
    }
}

/// Final checks on an assembled election: lists from the OSV4-3 table when no 230b was given,
/// seats and body from what is there.
fn finish(e: &mut ElectionData) {
    if e.body.is_none() {
        e.body = e
            .identifier
            .category
            .as_deref()
            .and_then(Body::from_code)
            .or_else(|| Body::from_code(e.id.get(..2).unwrap_or_default()));
    }
    if e.seats.is_none()
        && let Some(o) = &e.official
    {
        e.seats = Some(o.seats());
        e.seats_from = "520";
    }
    if e.name.is_empty() {
        e.name.clone_from(&e.id);
    }
    adopt_short_codes(e);
    if let Some(o) = &e.official
        && e.fragments.is_empty()
    {
        let file = e.files[o.file].clone();
        e.findings.push(
            Finding::error(
                "E-UITSLAG-ZONDER-TELLING",
                format!(
                    "de uitslag hoort bij verkiezing {}, maar er is geen telling van die verkiezing (uitslag van een andere verkiezing?)",
                    e.id
                ),
                format!(
                    "the result belongs to election {}, but there is no count of that election (a result of another election?)",
                    e.id
                ),
            )
            .file(file),
        );
    }
}

#[derive(Default)]
struct Builder {
    elections: Vec<ElectionData>,
    index: HashMap<String, usize>,
}

impl Builder {
    fn election(&mut self, id: &str) -> &mut ElectionData {
        let i = if let Some(&i) = self.index.get(id) {
            i
        } else {
            self.elections.push(ElectionData {
                id: id.to_string(),
                ..ElectionData::default()
            });
            self.index.insert(id.to_string(), self.elections.len() - 1);
            self.elections.len() - 1
        };
        &mut self.elections[i]
    }

    fn identify(e: &mut ElectionData, ident: &eml::ElectionIdentifier) {
        if e.identifier.id.is_empty() {
            e.identifier = ident.clone();
        }
        if e.name.is_empty()
            && let Some(n) = &ident.name
        {
            e.name.clone_from(n);
        }
    }

    fn definition(&mut self, src: &SourceRef, d: &ElectionDefinition) {
        let e = self.election(&d.election.id);
        e.add_file(src.to_string());
        Self::identify(e, &d.election);
        e.identifier = d.election.clone();
        if let Ok(s) = u32::try_from(d.number_of_seats)
            && s > 0
        {
            e.seats = Some(s);
            e.seats_from = "110a";
        }
        e.preference_threshold_percent = d.preference_threshold.and_then(|p| u32::try_from(p).ok());
        e.regions.clone_from(&d.regions);
        e.body = d
            .election
            .category
            .as_deref()
            .and_then(Body::from_code)
            .or(e.body);
    }

    fn candidate_lists(&mut self, src: &SourceRef, c: CandidateLists) {
        let file_name = src.to_string();
        let e = self.election(&c.election.id);
        let file = e.add_file(file_name.clone());
        Self::identify(e, &c.election);
        for contest in c.contests {
            for list in contest.lists {
                let def = ListDef {
                    number: list.id,
                    name: list.name.clone().unwrap_or_default(),
                    contest: contest.contest.id.clone(),
                    candidates: list.candidates.into_iter().map(CandidateDef::new).collect(),
                    file,
                };
                let mut seen = std::collections::HashSet::new();
                for cand in &def.candidates {
                    if !seen.insert(cand.candidate.id) {
                        e.findings.push(
                            Finding::error(
                                "E-DUBBELE-KANDIDAAT",
                                format!(
                                    "lijst {} in kieskring {} noemt kandidaat {} meer dan eens",
                                    def.number, def.contest, cand.candidate.id
                                ),
                                format!(
                                    "list {} in contest {} has candidate {} more than once",
                                    def.number, def.contest, cand.candidate.id
                                ),
                            )
                            .file(file_name.clone()),
                        );
                    }
                }
                if let Some(prev) = e
                    .lists
                    .iter()
                    .find(|l| l.contest == def.contest && l.number == def.number)
                {
                    if prev.candidates != def.candidates {
                        e.findings.push(
                            Finding::error(
                                "E-DUBBELE-LIJST",
                                format!(
                                    "lijst {} staat twee keer, verschillend, in kieskring {}",
                                    def.number, def.contest
                                ),
                                format!(
                                    "list {} appears twice, differently, in contest {}",
                                    def.number, def.contest
                                ),
                            )
                            .file(e.files[prev.file].clone())
                            .file(file_name.clone()),
                        );
                    }
                    continue;
                }
                e.lists.push(def);
            }
        }
    }

    fn count(&mut self, src: &SourceRef, c: Count) {
        let file_name = src.to_string();
        let authority = c
            .header
            .managing_authority
            .as_ref()
            .and_then(|m| m.id.clone())
            .unwrap_or_default();
        let domain = c
            .election
            .domain
            .as_ref()
            .and_then(|d| d.id.clone())
            .unwrap_or_default();
        let authority_name = c
            .header
            .managing_authority
            .as_ref()
            .and_then(|m| m.name.clone());
        let kind = c.kind;
        let e = self.election(&c.election.id);
        let file = e.add_file(file_name.clone());
        Self::identify(e, &c.election);
        let scope = Scope::of(e, &c.election);
        for contest in c.contests {
            let single = matches!(contest.contest.id.as_str(), "geen" | "alle");
            let (level, key, own_id) = scope.parent(kind, &authority, &domain, &contest.contest.id);
            let mut ids = std::collections::HashSet::new();
            let mut children = Vec::with_capacity(contest.reporting_units.len());
            for ru in contest.reporting_units {
                if !ids.insert(ru.id.clone()) {
                    e.findings.push(
                        Finding::error(
                            "E-DUBBELE-EENHEID",
                            format!(
                                "rapportage-eenheid {} staat meer dan eens in het bestand",
                                ru.id
                            ),
                            format!(
                                "reporting unit {} appears more than once in the file",
                                ru.id
                            ),
                        )
                        .file(file_name.clone())
                        .unit(ru.id.clone()),
                    );
                    continue;
                }
                let (level, key) = scope.unit(&ru.id, kind);
                children.push(Unit {
                    level,
                    key,
                    id: ru.id,
                    name: ru.name,
                    file,
                    votes: ru.votes,
                    investigations: ru.investigations,
                });
            }
            let Some(total) = contest.total else {
                e.findings.push(
                    Finding::error(
                        "E-GEEN-TOTAAL",
                        format!(
                            "telling zonder totaal (TotalVotes) voor {}",
                            contest.contest.id
                        ),
                        format!("count without TotalVotes for {}", contest.contest.id),
                    )
                    .file(file_name.clone()),
                );
                continue;
            };
            let parent = Unit {
                level,
                id: own_id.unwrap_or_else(|| {
                    if single {
                        authority.clone()
                    } else {
                        contest.contest.id.clone()
                    }
                }),
                // A gemeente is named by its gemeentelijk stembureau (a TK 510b's contest
                // name is its kieskring's); other totals by their contest.
                name: if level == Level::Gemeente {
                    authority_name
                        .clone()
                        .or_else(|| contest.contest.name.clone())
                } else {
                    contest
                        .contest
                        .name
                        .clone()
                        .or_else(|| authority_name.clone())
                }
                .unwrap_or_default(),
                key,
                file,
                votes: total,
                investigations: None,
            };
            e.fragments.push(Fragment { parent, children });
        }
    }

    fn result(&mut self, src: &SourceRef, r: &ElectionResult) {
        let file_name = src.to_string();
        let e = self.election(&r.election.id);
        let file = e.add_file(file_name.clone());
        Self::identify(e, &r.election);
        let mut lists: Vec<OfficialList> = Vec::new();
        for contest in &r.contests {
            for l in &contest.lists {
                let elected: Vec<OfficialCandidate> = l
                    .candidates
                    .iter()
                    .filter(|c| c.elected)
                    .map(|c| {
                        let name = c.name.list_name();
                        OfficialCandidate {
                            short_code: c.short_code.clone().filter(|s| !s.is_empty()),
                            name_key: name_key(&name),
                            name,
                            ranking: c.ranking,
                            position: None,
                            record: c.clone(),
                        }
                    })
                    .collect();
                match lists.iter_mut().find(|x| x.number == l.id) {
                    Some(x) => {
                        x.seats = x
                            .seats
                            .saturating_add(u32::try_from(elected.len()).unwrap_or(u32::MAX));
                        x.elected.extend(elected);
                    }
                    None => lists.push(OfficialList {
                        number: l.id,
                        name: l.name.clone().unwrap_or_default(),
                        seats: u32::try_from(elected.len()).unwrap_or(u32::MAX),
                        elected,
                    }),
                }
            }
        }
        let official = Official {
            file,
            ordered: true,
            lists,
        };
        set_official(e, official, &file_name);
    }

    fn uitslag(&mut self, src: &SourceRef, u: &UitslagCsv) {
        let file_name = src.to_string();
        let stem = src.file_name();
        let id = stem
            .split(['_', '.'])
            .next()
            .filter(|s| !s.is_empty())
            .unwrap_or("uitslag")
            .to_string();
        let e = self.election(&id);
        let file = e.add_file(file_name.clone());
        if e.name.is_empty() {
            e.name.clone_from(&id);
        }
        if e.body.is_none() {
            e.body = Body::from_code(id.get(..2).unwrap_or_default());
        }
        uitslag_into(e, u, file, &file_name);
    }

    fn osv(&mut self, src: &SourceRef, t: &Osv43Table) {
        let file_name = src.to_string();
        let dir = source_dir(src);
        // Match: same election name, else same gemeente code, else the same folder.
        let by_name = self.elections.iter().position(|e| {
            !t.election_name.is_empty() && e.identifier.name.as_deref() == Some(&t.election_name)
        });
        let by_code = || {
            self.elections.iter().position(|e| {
                e.identifier
                    .domain
                    .as_ref()
                    .and_then(|d| d.id.as_deref())
                    .is_some_and(|d| d == t.area_number)
                    && e.body != Some(Body::TK)
            })
        };
        let by_dir = || {
            self.elections
                .iter()
                .position(|e| e.sources_dirs().contains(&dir))
        };
        let idx = by_name.or_else(by_code).or_else(by_dir);
        let idx = idx.unwrap_or_else(|| {
            let id = format!("osv:{}", t.election_name);
            self.election(&id);
            self.index[&id]
        });
        let e = &mut self.elections[idx];
        let file = e.add_file(file_name);
        if e.name.is_empty() {
            e.name.clone_from(&t.election_name);
        }
        let gemeente_level = !(e.body == Some(Body::GR)
            || e.identifier.category.as_deref() == Some("GR")
            || t.election_name.starts_with("Gemeenteraad"));
        let (level, key) = if gemeente_level {
            (
                Level::Gemeente,
                format!("gemeente:{}", gemeente_code(&t.area_number)),
            )
        } else {
            (Level::Totaal, "totaal".to_string())
        };
        let parent = Unit {
            level,
            key,
            id: t.area_number.clone(),
            name: t.area.clone(),
            file,
            votes: osv_votes(t, None),
            investigations: None,
        };
        let children = t
            .units
            .iter()
            .enumerate()
            .map(|(i, u)| {
                let number = u.number.clone().unwrap_or_else(|| (i + 1).to_string());
                let id = format!("{}::SB{number}", t.area_number);
                Unit {
                    level: Level::Stembureau,
                    key: format!("stembureau:{id}"),
                    id,
                    name: u.name.clone(),
                    file,
                    votes: osv_votes(t, Some(i)),
                    investigations: None,
                }
            })
            .collect();
        e.fragments.push(Fragment { parent, children });
        let lists = t
            .lists
            .iter()
            .map(|l| ListDef {
                number: l.number,
                name: l.name.clone(),
                contest: "geen".to_string(),
                candidates: l
                    .candidates
                    .iter()
                    .map(|c| CandidateDef::new(osv_candidate(c.position, &c.name)))
                    .collect(),
                file,
            })
            .collect();
        // Lists from the OSV4-3 table only where no 230b gave them (all 230b are read first).
        let e = &mut self.elections[idx];
        if e.lists.is_empty() {
            e.lists = lists;
        }
    }
}

/// A 230b-like candidate from an OSV4-3 name `van Dreumel, C.G.H.M.`.
fn osv_candidate(position: u32, name: &str) -> eml::Candidate {
    let (surname, initials) = match name.split_once(", ") {
        Some((s, i)) => (s.trim(), Some(i.trim().to_string())),
        None => (name.trim(), None),
    };
    // The tussenvoegsel is the lowercase words before the last name.
    let words: Vec<&str> = surname.split(' ').collect();
    let split = words
        .iter()
        .position(|w| w.chars().next().is_some_and(|c| !c.is_lowercase()))
        .unwrap_or(0);
    let prefix = words[..split].join(" ");
    let last = words[split..].join(" ");
    eml::Candidate {
        id: position,
        name: eml::PersonName {
            initials: initials.filter(|s| !s.is_empty()),
            first_name: None,
            prefix: (!prefix.is_empty()).then_some(prefix),
            last_name: Some(last),
        },
        ..eml::Candidate::default()
    }
}

fn set_official(e: &mut ElectionData, official: Official, file_name: &str) {
    match &e.official {
        Some(prev) if prev.lists == official.lists => {}
        Some(prev) => {
            let prev_file = e.files[prev.file].clone();
            e.findings.push(
                Finding::error(
                    "E-TWEE-UITSLAGEN",
                    "twee verschillende officiële uitslagen voor dezelfde verkiezing",
                    "two different official results for the same election",
                )
                .file(prev_file)
                .file(file_name),
            );
        }
        None => e.official = Some(official),
    }
}

/// The votes of one column of an OSV4-3 table (`None`: the `Totaal` column).
fn osv_votes(t: &Osv43Table, col: Option<usize>) -> VoteTotals {
    use UncountedReason as U;
    let pick = |total: Option<u64>, values: &[Option<u64>]| match col {
        None => total,
        Some(i) => values.get(i).copied().flatten(),
    };
    let mut v = VoteTotals::default();
    for (i, label) in eml::osv4_3::METADATA_ROWS.iter().enumerate() {
        let Some(row) = t.metadata_row(label) else {
            continue;
        };
        let Some(x) = pick(row.total, &row.values) else {
            continue;
        };
        match i {
            0 => v.cast = x,
            1 => _ = v.uncounted.set(U::GeldigeStempassen, x),
            2 => _ = v.uncounted.set(U::GeldigeVolmachtbewijzen, x),
            3 => _ = v.uncounted.set(U::GeldigeKiezerspassen, x),
            4 => _ = v.uncounted.set(U::ToegelatenKiezers, x),
            5 => v.total_counted = x,
            6 => v.rejected.blank = x,
            7 => v.rejected.invalid = x,
            9 => _ = v.uncounted.set(U::MeerGeteldeStembiljetten, x),
            10 => _ = v.uncounted.set(U::MinderGeteldeStembiljetten, x),
            11 => _ = v.uncounted.set(U::MeegenomenStembiljetten, x),
            12 => _ = v.uncounted.set(U::TeWeinigUitgereikteStembiljetten, x),
            13 => _ = v.uncounted.set(U::TeVeelUitgereikteStembiljetten, x),
            14 => _ = v.uncounted.set(U::GeenVerklaring, x),
            15 => _ = v.uncounted.set(U::AndereVerklaring, x),
            _ => {}
        }
    }
    v.lists = t
        .lists
        .iter()
        .map(|l| {
            let name: Arc<str> = Arc::from(l.name.as_str());
            ListVotes {
                id: l.number,
                name,
                valid_votes: pick(l.total, &l.values).unwrap_or(0),
                initial_valid_votes: None,
                candidates: l
                    .candidates
                    .iter()
                    .map(|c| eml::CandidateVotes {
                        id: Some(c.position),
                        short_code: None,
                        valid_votes: pick(c.total, &c.values).unwrap_or(0),
                        initial_valid_votes: None,
                    })
                    .collect(),
            }
        })
        .collect();
    v
}

/// Person key for a candidate of the uitslag CSV: all name parts and the place of residence.
fn csv_person(c: &eml::UitslagCandidate) -> String {
    name_key(&format!(
        "{}|{}|{}|{}|{}",
        c.initials.as_deref().unwrap_or_default(),
        c.first_name.as_deref().unwrap_or_default(),
        c.prefix.as_deref().unwrap_or_default(),
        c.last_name.as_deref().unwrap_or_default(),
        c.locality.as_deref().unwrap_or_default()
    ))
}

fn csv_candidate(c: &eml::UitslagCandidate) -> eml::Candidate {
    eml::Candidate {
        id: c.number.unwrap_or(0),
        name: eml::PersonName {
            initials: c.initials.clone(),
            first_name: c.first_name.clone(),
            prefix: c.prefix.clone(),
            last_name: c.last_name.clone(),
        },
        gender: match c.gender.as_deref() {
            Some("m") => Some(eml::Gender::Male),
            Some("v") => Some(eml::Gender::Female),
            _ => None,
        },
        locality: c.locality.clone(),
        ..eml::Candidate::default()
    }
}

/// The uitslag CSV: region rows become units (L → P → K → G/O), kieskring candidate rows the
/// candidate lists, `LijstAantalZetels` and `KandidaatGekozen` the official result.
fn uitslag_into(e: &mut ElectionData, u: &UitslagCsv, file: usize, file_name: &str) {
    struct Node {
        level: Level,
        name: String,
        parent: Option<String>,
        votes: VoteTotals,
    }
    let mut nodes: HashMap<String, Node> = HashMap::new();
    let mut order: Vec<String> = Vec::new();
    let mut seats: Vec<(String, u32)> = Vec::new();
    let mut elected: Vec<(u32, OfficialCandidate)> = Vec::new();
    let mut list_names: HashMap<u32, String> = HashMap::new();
    // kieskring → list number → candidates
    let mut defs: Vec<(u32, u32, String, Vec<CandidateDef>)> = Vec::new();
    for r in &u.rows {
        if let (Some(n), Some(name)) = (r.list_number, &r.list_name) {
            list_names.entry(n).or_insert_with(|| name.clone());
        }
        let code = &r.region_code;
        let level = match code.kind {
            RegionKind::Land => Level::Totaal,
            RegionKind::Provincie => Level::Provincie,
            RegionKind::Kieskring => Level::Kieskring,
            RegionKind::Gemeente | RegionKind::OpenbaarLichaam => Level::Gemeente,
        };
        let key = match level {
            Level::Totaal => "totaal".to_string(),
            Level::Provincie => format!("provincie:{}", code.number),
            Level::Kieskring => format!("kieskring:{}", code.number),
            _ => format!("gemeente:{}", code.code),
        };
        match r.field {
            UitslagField::LijstAantalZetels => {
                seats.push((
                    r.list_name.clone().unwrap_or_default(),
                    u32::try_from(r.value).unwrap_or(u32::MAX),
                ));
                continue;
            }
            UitslagField::KandidaatGekozen => {
                if r.value == 1
                    && let (Some(n), Some(c)) = (r.list_number, &r.candidate)
                {
                    let rec = csv_candidate(c);
                    let name = rec.name.list_name();
                    elected.push((
                        n,
                        OfficialCandidate {
                            short_code: None,
                            name_key: csv_person(c),
                            name,
                            ranking: None,
                            position: c.number,
                            record: eml::ResultCandidate {
                                id: c.number,
                                name: rec.name,
                                gender: rec.gender,
                                locality: rec.locality,
                                elected: true,
                                ..eml::ResultCandidate::default()
                            },
                        },
                    ));
                }
                continue;
            }
            _ => {}
        }
        let node = nodes.entry(key.clone()).or_insert_with(|| {
            order.push(key.clone());
            let parent = r.parent_code.as_ref().map(|p| match p.kind {
                RegionKind::Land => "totaal".to_string(),
                RegionKind::Provincie => format!("provincie:{}", p.number),
                RegionKind::Kieskring => format!("kieskring:{}", p.number),
                _ => format!("gemeente:{}", p.code),
            });
            Node {
                level,
                name: r.region.clone(),
                parent,
                votes: VoteTotals::default(),
            }
        });
        let v = &mut node.votes;
        match r.field {
            UitslagField::AantalBlancoStemmen => v.rejected.blank = r.value,
            UitslagField::AantalOngeldigeStemmen => v.rejected.invalid = r.value,
            UitslagField::AantalGeldigeStemmen => v.total_counted = r.value,
            UitslagField::Kiesgerechtigden => v.cast = r.value,
            UitslagField::LijstAantalStemmen | UitslagField::KandidaatAantalStemmen => {
                let Some(n) = r.list_number else { continue };
                let i = if let Some(i) = v.lists.iter().rposition(|l| l.id == n) {
                    i
                } else {
                    v.lists.push(ListVotes {
                        id: n,
                        name: Arc::from(r.list_name.as_deref().unwrap_or_default()),
                        valid_votes: 0,
                        initial_valid_votes: None,
                        candidates: Vec::new(),
                    });
                    v.lists.len() - 1
                };
                if r.field == UitslagField::LijstAantalStemmen {
                    v.lists[i].valid_votes = r.value;
                } else if let Some(c) = &r.candidate {
                    let person = csv_person(c);
                    let kk = level == Level::Kieskring;
                    v.lists[i].candidates.push(eml::CandidateVotes {
                        id: if kk { c.number } else { None },
                        short_code: Some(Arc::from(person.as_str())),
                        valid_votes: r.value,
                        initial_valid_votes: None,
                    });
                    if kk {
                        let def = CandidateDef {
                            candidate: csv_candidate(c),
                            name_key: name_key(&csv_candidate(c).name.list_name()),
                            person,
                        };
                        match defs.iter_mut().rfind(|d| d.0 == code.number && d.1 == n) {
                            Some(d) => d.3.push(def),
                            None => defs.push((
                                code.number,
                                n,
                                r.list_name.clone().unwrap_or_default(),
                                vec![def],
                            )),
                        }
                    }
                }
            }
            _ => {}
        }
    }
    // Fragments: every node with children.
    let mut children: HashMap<&str, Vec<&str>> = HashMap::new();
    for k in &order {
        if let Some(p) = nodes[k].parent.as_deref() {
            children.entry(p).or_default().push(k);
        }
    }
    let unit = |k: &str| {
        let n = &nodes[k];
        Unit {
            level: n.level,
            key: k.to_string(),
            id: k.rsplit(':').next().unwrap_or(k).to_string(),
            name: n.name.clone(),
            file,
            votes: n.votes.clone(),
            investigations: None,
        }
    };
    for k in &order {
        if let Some(ch) = children.get(k.as_str()) {
            e.fragments.push(Fragment {
                parent: unit(k),
                children: ch.iter().map(|c| unit(c)).collect(),
            });
        }
    }
    for (kk, n, name, candidates) in defs {
        e.lists.push(ListDef {
            number: n,
            name,
            contest: kk.to_string(),
            candidates,
            file,
        });
    }
    if !seats.is_empty() {
        let mut lists: Vec<OfficialList> = Vec::new();
        for (name, s) in seats {
            let number = list_names
                .iter()
                .find(|(_, n)| **n == name)
                .map_or(0, |(k, _)| *k);
            lists.push(OfficialList {
                number,
                name,
                seats: s,
                elected: elected
                    .iter()
                    .filter(|(n, _)| *n == number)
                    .map(|(_, c)| c.clone())
                    .collect(),
            });
        }
        lists.sort_by_key(|l| l.number);
        // Checked: a damaged file may claim up to u32::MAX seats per list.
        let total = lists
            .iter()
            .try_fold(0u32, |t, l| t.checked_add(l.seats))
            .unwrap_or(0);
        if e.seats.is_none() && total > 0 {
            e.seats = Some(total);
            e.seats_from = "CSV";
        }
        set_official(
            e,
            Official {
                file,
                ordered: false,
                lists,
            },
            file_name,
        );
    }
}

/// A 230b without ShortCodes (TK2021) gets them from the kieskring count, where candidates
/// carry both their position and ShortCode: the ShortCode then identifies the person across
/// the lists of a group and matches the 520.
fn adopt_short_codes(e: &mut ElectionData) {
    let mut updates: Vec<(usize, usize, String)> = Vec::new();
    for (li, l) in e.lists.iter().enumerate() {
        if l.candidates
            .iter()
            .all(|c| c.candidate.short_code.is_some())
        {
            continue;
        }
        let key = if l.contest.parse::<u32>().is_ok() {
            format!("kieskring:{}", l.contest)
        } else {
            "totaal".to_string()
        };
        let counts = e
            .fragments
            .iter()
            .flat_map(|f| std::iter::once(&f.parent).chain(&f.children))
            .filter(|u| u.key == key)
            .filter_map(|u| u.votes.list(l.number))
            .find(|lv| {
                lv.candidates
                    .iter()
                    .any(|c| c.id.is_some() && c.short_code.is_some())
            });
        let Some(lv) = counts else { continue };
        for (ci, c) in l.candidates.iter().enumerate() {
            if c.candidate.short_code.is_none()
                && let Some(code) = lv
                    .candidate(c.candidate.id)
                    .and_then(|x| x.short_code.as_deref())
                && !code.is_empty()
            {
                updates.push((li, ci, code.to_string()));
            }
        }
    }
    for (li, ci, code) in updates {
        let c = &mut e.lists[li].candidates[ci];
        c.person.clone_from(&code);
        c.candidate.short_code = Some(code);
    }
}
