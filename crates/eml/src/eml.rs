//! Readers for the EML_NL documents: 110a, 110b, 230b, 510a-d, 520.

use std::borrow::Cow;
use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use crate::error::{Error, ErrorKind, Result};
use crate::model::{
    Candidate, CandidateContest, CandidateList, CandidateLists, CandidateVotes, Committee,
    ContestIdentifier, Count, CountContest, CountKind, ElectionDefinition, ElectionDomain,
    ElectionIdentifier, ElectionResult, EmlHeader, Gender, Investigation, InvestigationReason,
    ListData, ListType, ListVotes, ManagingAuthority, PersonName, PollingContest, PollingLocation,
    PollingPlace, PollingStations, Ranking, Region, RegionCategory, RegisteredParty,
    ReportingUnitIdentifier, ReportingUnitType, ReportingUnitVotes, ResultCandidate, ResultContest,
    ResultList, UncountedReason, VoteTotals,
};
use crate::xml::{FastSel, Tag, TextOrChild, Xml};

/// The EML namespace the root element must be in.
pub const EML_NAMESPACE: &str = "urn:oasis:names:tc:evs:schema:eml";

// ---------------------------------------------------------------------------------------------
// helpers
// ---------------------------------------------------------------------------------------------

fn lossy(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn missing(x: &Xml<'_>, element: &str, parent: &Tag<'_>) -> Error {
    x.err(
        ErrorKind::MissingElement {
            element: element.to_string(),
            parent: parent.name_string(),
        },
        parent.pos,
    )
}

fn twice(x: &Xml<'_>, tag: &Tag<'_>) -> Error {
    x.err(
        ErrorKind::UnexpectedElement {
            element: tag.name_string(),
            context: "appears more than once".into(),
        },
        tag.pos,
    )
}

fn invalid(x: &Xml<'_>, what: &str, value: &str, pos: usize) -> Error {
    x.err(
        ErrorKind::InvalidValue {
            what: what.to_string(),
            value: value.chars().take(80).collect(),
        },
        pos,
    )
}

fn set_once<T>(x: &Xml<'_>, tag: &Tag<'_>, slot: &mut Option<T>, v: T) -> Result<()> {
    if slot.is_some() {
        return Err(twice(x, tag));
    }
    *slot = Some(v);
    Ok(())
}

fn to_u32(x: &Xml<'_>, v: u64, pos: usize) -> Result<u32> {
    u32::try_from(v).map_err(|_| x.err(ErrorKind::NumberOverflow(v.to_string()), pos))
}

/// Required positive-integer id attribute (`Id` of affiliations and candidates).
fn id_attr(x: &Xml<'_>, tag: &Tag<'_>) -> Result<u32> {
    match x.attr_u64(tag, b"Id")? {
        Some(v) => to_u32(x, v, tag.pos),
        None => Err(x.err(
            ErrorKind::MissingAttribute {
                element: tag.name_string(),
                attribute: "Id".into(),
            },
            tag.pos,
        )),
    }
}

fn parse_bool(x: &Xml<'_>, what: &str, s: &str, pos: usize) -> Result<bool> {
    match s {
        "true" | "1" | "yes" => Ok(true),
        "false" | "0" | "no" => Ok(false),
        _ => Err(invalid(x, what, s, pos)),
    }
}

fn bool_attr(x: &Xml<'_>, tag: &Tag<'_>, name: &str) -> Result<Option<bool>> {
    match x.attr(tag, name.as_bytes())? {
        None => Ok(None),
        Some(v) => parse_bool(x, name, &v, tag.pos).map(Some),
    }
}

fn opt_attr(x: &Xml<'_>, tag: &Tag<'_>, name: &str) -> Result<Option<String>> {
    Ok(x.attr(tag, name.as_bytes())?.map(Cow::into_owned))
}

/// Opens an EML document: checks the root element, its namespace and its `Id`.
fn open<'a>(
    src: &'a [u8],
    expected: &str,
    accept: impl Fn(&str) -> bool,
) -> Result<(Xml<'a>, Tag<'a>, EmlHeader)> {
    let mut x = Xml::new(src)?;
    let root = x.root()?;
    if root.local() != b"EML" {
        return Err(x.err(
            ErrorKind::NotEml {
                root: lossy(root.qname),
            },
            root.pos,
        ));
    }
    check_namespace(&x, &root)?;
    let id = x
        .attr(&root, b"Id")?
        .ok_or_else(|| x.err(ErrorKind::MissingEmlId, root.pos))?;
    if !accept(&id) {
        return Err(x.err(
            ErrorKind::WrongEmlId {
                expected: expected.to_string(),
                found: id.into_owned(),
            },
            root.pos,
        ));
    }
    let header = EmlHeader {
        eml_id: id.into_owned(),
        schema_version: opt_attr(&x, &root, "SchemaVersion")?,
        ..EmlHeader::default()
    };
    Ok((x, root, header))
}

fn check_namespace(x: &Xml<'_>, root: &Tag<'_>) -> Result<()> {
    let prefix = root.prefix();
    let decl = if prefix.is_empty() {
        b"xmlns".to_vec()
    } else {
        let mut d = b"xmlns:".to_vec();
        d.extend_from_slice(prefix);
        d
    };
    let ns = x.attr(root, &decl)?;
    match ns {
        Some(ns) if ns == EML_NAMESPACE => Ok(()),
        other => Err(x.err(
            ErrorKind::WrongNamespace {
                found: other.map(Cow::into_owned).unwrap_or_default(),
            },
            root.pos,
        )),
    }
}

/// Handles the header children of `<EML>`. Returns false if `tag` is not a header element.
fn header_child<'a>(x: &mut Xml<'a>, tag: &Tag<'a>, h: &mut EmlHeader) -> Result<bool> {
    match tag.local() {
        b"TransactionId" => h.transaction_id = x.opt_string()?,
        b"IssueDate" => h.issue_date = x.opt_string()?,
        b"CreationDateTime" => h.creation_date_time = x.opt_string()?,
        b"ManagingAuthority" => {
            let mut ma = ManagingAuthority::default();
            while let Some(t) = x.next_child()? {
                if t.local() == b"AuthorityIdentifier" {
                    ma.id = opt_attr(x, &t, "Id")?;
                    ma.name = x.opt_string()?;
                } else {
                    x.skip()?;
                }
            }
            h.managing_authority = Some(ma);
        }
        _ => return Ok(false),
    }
    Ok(true)
}

fn election_identifier<'a>(x: &mut Xml<'a>, tag: &Tag<'a>) -> Result<ElectionIdentifier> {
    let mut e = ElectionIdentifier {
        id: x.req_attr(tag, "Id")?.into_owned(),
        ..ElectionIdentifier::default()
    };
    while let Some(t) = x.next_child()? {
        match t.local() {
            b"ElectionName" => e.name = x.opt_string()?,
            b"ElectionCategory" => e.category = x.opt_string()?,
            b"ElectionSubcategory" => e.subcategory = x.opt_string()?,
            b"ElectionDate" => e.election_date = x.opt_string()?,
            b"NominationDate" => e.nomination_date = x.opt_string()?,
            b"ElectionDomain" => {
                e.domain = Some(ElectionDomain {
                    id: opt_attr(x, &t, "Id")?,
                    name: x.opt_string()?,
                });
            }
            _ => x.skip()?,
        }
    }
    Ok(e)
}

fn contest_identifier<'a>(x: &mut Xml<'a>, tag: &Tag<'a>) -> Result<ContestIdentifier> {
    let mut c = ContestIdentifier {
        id: x.req_attr(tag, "Id")?.into_owned(),
        name: None,
    };
    while let Some(t) = x.next_child()? {
        if t.local() == b"ContestName" {
            c.name = x.opt_string()?;
        } else {
            x.skip()?;
        }
    }
    Ok(c)
}

/// `<CandidateFullName>` (containing `<xnl:PersonName>`) or `<xnl:PersonName>` itself.
fn person_name(x: &mut Xml<'_>, name: &mut PersonName) -> Result<()> {
    while let Some(t) = x.next_child()? {
        match t.local() {
            b"PersonName" => person_name(x, name)?,
            b"NameLine" => {
                let kind = x.attr(&t, b"NameType")?;
                let v = x.opt_string()?;
                if kind.as_deref() == Some("Initials") {
                    name.initials = v;
                }
            }
            b"FirstName" => name.first_name = x.opt_string()?,
            b"NamePrefix" => name.prefix = x.opt_string()?,
            b"LastName" => name.last_name = x.opt_string()?,
            _ => x.skip()?,
        }
    }
    Ok(())
}

/// Walks an address structure collecting the locality name and country code.
fn address(
    x: &mut Xml<'_>,
    locality: &mut Option<String>,
    country: &mut Option<String>,
) -> Result<()> {
    while let Some(t) = x.next_child()? {
        match t.local() {
            b"LocalityName" => *locality = x.opt_string()?,
            b"CountryNameCode" => *country = x.opt_string()?,
            _ => address(x, locality, country)?,
        }
    }
    Ok(())
}

fn gender(x: &mut Xml<'_>, tag: &Tag<'_>) -> Result<Option<Gender>> {
    let v = x.text()?;
    Ok(match &*v {
        "" => None,
        "male" => Some(Gender::Male),
        "female" => Some(Gender::Female),
        "unknown" => Some(Gender::Unknown),
        other => return Err(invalid(x, "Gender", other, tag.pos)),
    })
}

/// Fields of a `<Candidate>` element shared by 230b and 520.
#[derive(Default)]
struct CandidateFields {
    id: Option<u32>,
    short_code: Option<String>,
    name: PersonName,
    gender: Option<Gender>,
    date_of_birth: Option<String>,
    locality: Option<String>,
    country_code: Option<String>,
}

fn candidate_fields(x: &mut Xml<'_>) -> Result<CandidateFields> {
    let mut c = CandidateFields::default();
    while let Some(t) = x.next_child()? {
        match t.local() {
            b"CandidateIdentifier" => {
                if let Some(v) = x.attr_u64(&t, b"Id")? {
                    c.id = Some(to_u32(x, v, t.pos)?);
                }
                c.short_code = opt_attr(x, &t, "ShortCode")?;
                while let Some(s) = x.next_child()? {
                    if s.local() == b"ShortCode" {
                        if let Some(v) = x.opt_string()? {
                            c.short_code = Some(v);
                        }
                    } else {
                        x.skip()?;
                    }
                }
            }
            b"CandidateFullName" => person_name(x, &mut c.name)?,
            b"Gender" => c.gender = gender(x, &t)?,
            b"DateOfBirth" => c.date_of_birth = x.opt_string()?,
            b"QualifyingAddress" => address(x, &mut c.locality, &mut c.country_code)?,
            _ => x.skip()?,
        }
    }
    Ok(c)
}

/// Reads the children of `<EML>` (header elements and one payload element).
fn eml_body<'a, T>(
    x: &mut Xml<'a>,
    root: &Tag<'a>,
    header: &mut EmlHeader,
    payload_name: &str,
    mut payload: impl FnMut(&mut Xml<'a>, &Tag<'a>) -> Result<T>,
) -> Result<T> {
    let mut out = None;
    while let Some(t) = x.next_child()? {
        if header_child(x, &t, header)? {
            continue;
        }
        if t.local() == payload_name.as_bytes() {
            let v = payload(x, &t)?;
            set_once(x, &t, &mut out, v)?;
        } else {
            x.skip()?;
        }
    }
    x.finish()?;
    out.ok_or_else(|| missing(x, payload_name, root))
}

/// Reads the one `<Election>` below `parent`: its `ElectionIdentifier` and its `<Contest>`s, each
/// read by `contest`.
fn election_contests<'a, C>(
    x: &mut Xml<'a>,
    parent: &Tag<'a>,
    mut contest: impl FnMut(&mut Xml<'a>, &Tag<'a>) -> Result<C>,
) -> Result<(ElectionIdentifier, Vec<C>)> {
    let mut out = None;
    while let Some(t) = x.next_child()? {
        if t.local() == b"Election" {
            let mut election = None;
            let mut contests = Vec::new();
            while let Some(c) = x.next_child()? {
                match c.local() {
                    b"ElectionIdentifier" => {
                        let e = election_identifier(x, &c)?;
                        set_once(x, &c, &mut election, e)?;
                    }
                    b"Contest" => contests.push(contest(x, &c)?),
                    _ => x.skip()?,
                }
            }
            let election = election.ok_or_else(|| missing(x, "ElectionIdentifier", &t))?;
            set_once(x, &t, &mut out, (election, contests))?;
        } else {
            x.skip()?;
        }
    }
    out.ok_or_else(|| missing(x, "Election", parent))
}

// ---------------------------------------------------------------------------------------------
// 110a / 110b
// ---------------------------------------------------------------------------------------------

/// Reads an EML 110a election definition.
pub fn parse_election_definition(src: &[u8]) -> Result<ElectionDefinition> {
    let (mut x, root, mut header) = open(src, "110a", |id| id == "110a")?;
    let mut def = eml_body(&mut x, &root, &mut header, "ElectionEvent", |x, ev| {
        let mut def = None;
        while let Some(t) = x.next_child()? {
            if t.local() == b"Election" {
                let d = definition_election(x, &t)?;
                set_once(x, &t, &mut def, d)?;
            } else {
                x.skip()?;
            }
        }
        def.ok_or_else(|| missing(x, "Election", ev))
    })?;
    def.header = header;
    Ok(def)
}

fn definition_election<'a>(x: &mut Xml<'a>, el: &Tag<'a>) -> Result<ElectionDefinition> {
    let mut election = None;
    let mut seats = None;
    let mut def = ElectionDefinition::default();
    let mut seen_regions = HashSet::new();
    while let Some(t) = x.next_child()? {
        match t.local() {
            b"ElectionIdentifier" => {
                let e = election_identifier(x, &t)?;
                set_once(x, &t, &mut election, e)?;
            }
            b"Contest" => {
                while let Some(c) = x.next_child()? {
                    match c.local() {
                        b"ContestIdentifier" => def.contest = Some(contest_identifier(x, &c)?),
                        b"VotingMethod" => def.voting_method = x.opt_string()?,
                        b"MaxVotes" => def.max_votes = x.opt_number()?,
                        _ => x.skip()?,
                    }
                }
            }
            b"NumberOfSeats" => {
                let v = x.number()?;
                // An election for no seats is no election: the file is damaged.
                if v == 0 {
                    return Err(x.err(
                        ErrorKind::InvalidValue {
                            what: "NumberOfSeats".into(),
                            value: "0".into(),
                        },
                        t.pos,
                    ));
                }
                set_once(x, &t, &mut seats, v)?;
            }
            b"PreferenceThreshold" => def.preference_threshold = x.opt_number()?,
            b"ElectionTree" => {
                while let Some(r) = x.next_child()? {
                    if r.local() == b"Region" {
                        let region = region(x, &r)?;
                        if !seen_regions.insert((region.category, region.number)) {
                            return Err(x.err(
                                ErrorKind::DuplicateId {
                                    what: "region".into(),
                                    id: format!(
                                        "{:?} {}",
                                        region.category,
                                        region.number.unwrap_or_default()
                                    ),
                                },
                                r.pos,
                            ));
                        }
                        def.regions.push(region);
                    } else {
                        x.skip()?;
                    }
                }
            }
            b"RegisteredParties" => {
                while let Some(p) = x.next_child()? {
                    if p.local() == b"RegisteredParty" {
                        let mut appellation = None;
                        let mut registered_by = None;
                        while let Some(c) = x.next_child()? {
                            match c.local() {
                                b"RegisteredAppellation" => appellation = x.opt_string()?,
                                b"RegisteredBy" => registered_by = x.opt_string()?,
                                _ => x.skip()?,
                            }
                        }
                        def.registered_parties.push(RegisteredParty {
                            appellation: appellation.unwrap_or_default(),
                            registered_by,
                        });
                    } else {
                        x.skip()?;
                    }
                }
            }
            _ => x.skip()?,
        }
    }
    def.election = election.ok_or_else(|| missing(x, "ElectionIdentifier", el))?;
    def.number_of_seats = seats.ok_or_else(|| missing(x, "NumberOfSeats", el))?;
    Ok(def)
}

fn region_category(x: &Xml<'_>, tag: &Tag<'_>, name: &str) -> Result<Option<RegionCategory>> {
    match x.attr(tag, name.as_bytes())? {
        None => Ok(None),
        Some(v) => RegionCategory::from_code(&v)
            .map(Some)
            .ok_or_else(|| invalid(x, name, &v, tag.pos)),
    }
}

fn region<'a>(x: &mut Xml<'a>, tag: &Tag<'a>) -> Result<Region> {
    let category = region_category(x, tag, "RegionCategory")?.ok_or_else(|| {
        x.err(
            ErrorKind::MissingAttribute {
                element: tag.name_string(),
                attribute: "RegionCategory".into(),
            },
            tag.pos,
        )
    })?;
    let mut r = Region {
        number: x.attr_u64(tag, b"RegionNumber")?,
        category,
        name: String::new(),
        superior_number: x.attr_u64(tag, b"SuperiorRegionNumber")?,
        superior_category: region_category(x, tag, "SuperiorRegionCategory")?,
        roman_numerals: bool_attr(x, tag, "RomanNumerals")?.unwrap_or(false),
        frysian_export_allowed: bool_attr(x, tag, "FrysianExportAllowed")?.unwrap_or(false),
        committees: Vec::new(),
    };
    while let Some(t) = x.next_child()? {
        match t.local() {
            b"RegionName" => r.name = x.text()?.into_owned(),
            b"Committee" => {
                r.committees.push(Committee {
                    category: x.req_attr(&t, "CommitteeCategory")?.into_owned(),
                    name: opt_attr(x, &t, "CommitteeName")?,
                    accept_central_submissions: bool_attr(x, &t, "AcceptCentralSubmissions")?,
                });
                x.skip()?;
            }
            _ => x.skip()?,
        }
    }
    Ok(r)
}

/// Reads an EML 110b polling-station list.
pub fn parse_polling_stations(src: &[u8]) -> Result<PollingStations> {
    let (mut x, root, mut header) = open(src, "110b", |id| id == "110b")?;
    let (election, contests) = eml_body(&mut x, &root, &mut header, "ElectionEvent", |x, ev| {
        election_contests(x, ev, |x, _| polling_contest(x))
    })?;
    Ok(PollingStations {
        header,
        election,
        contests,
    })
}

fn polling_contest(x: &mut Xml<'_>) -> Result<PollingContest> {
    let mut pc = PollingContest::default();
    let mut seen = HashSet::new();
    while let Some(t) = x.next_child()? {
        match t.local() {
            b"ContestIdentifier" => pc.contest = contest_identifier(x, &t)?,
            b"ReportingUnit" => {
                while let Some(r) = x.next_child()? {
                    if r.local() == b"ReportingUnitIdentifier" {
                        pc.reporting_unit = Some(ReportingUnitIdentifier {
                            id: x.req_attr(&r, "Id")?.into_owned(),
                            name: x.text()?.into_owned(),
                        });
                    } else {
                        x.skip()?;
                    }
                }
            }
            b"VotingMethod" => pc.voting_method = x.opt_string()?,
            b"MaxVotes" => pc.max_votes = x.opt_number()?,
            b"PollingPlace" => {
                let mut p = PollingPlace {
                    channel: opt_attr(x, &t, "Channel")?,
                    ..PollingPlace::default()
                };
                let mut station_pos = None;
                polling_place(x, &mut p, &mut station_pos)?;
                let pos = station_pos.ok_or_else(|| missing(x, "PollingStation", &t))?;
                if !seen.insert(p.polling_station_id.clone()) {
                    return Err(x.err(
                        ErrorKind::DuplicateId {
                            what: "polling station".into(),
                            id: p.polling_station_id.clone(),
                        },
                        pos,
                    ));
                }
                pc.polling_places.push(p);
            }
            _ => x.skip()?,
        }
    }
    Ok(pc)
}

fn polling_place(
    x: &mut Xml<'_>,
    p: &mut PollingPlace,
    station_pos: &mut Option<usize>,
) -> Result<()> {
    while let Some(t) = x.next_child()? {
        match t.local() {
            b"PollingStation" => {
                p.polling_station_id = x.req_attr(&t, "Id")?.into_owned();
                p.polling_station_text = x.opt_string()?;
                *station_pos = Some(t.pos);
            }
            b"LocalityName" => p.locality = x.opt_string()?,
            b"PostalCode" | b"PostalCodeNumber" => {
                // xal:PostalCode may hold the code as text or wrap xal:PostalCodeNumber.
                let mut fields = Vec::new();
                leaf(x, t, String::new(), &mut fields)?;
                p.postal_code = fields.into_iter().map(|(_, v)| v).find(|v| !v.is_empty());
            }
            b"ReportingUnitType" => {
                let v = x.text()?;
                p.unit_type = Some(match &*v {
                    "FixedLocation" => ReportingUnitType::FixedLocation,
                    "Mobile" => ReportingUnitType::Mobile,
                    "Special" => ReportingUnitType::Special,
                    other => return Err(invalid(x, "ReportingUnitType", other, t.pos)),
                });
            }
            b"SharedLocation" => {
                let v = x.text()?;
                p.shared_location = Some(parse_bool(x, "SharedLocation", &v, t.pos)?);
            }
            b"Location" => {
                let mut loc = PollingLocation::default();
                while let Some(c) = x.next_child()? {
                    let name = lossy(c.local());
                    leaf(x, c, name, &mut loc.fields)?;
                }
                p.locations.push(loc);
            }
            _ => polling_place(x, p, station_pos)?,
        }
    }
    Ok(())
}

/// Collects the leaf elements below `tag` as `(path, text)`.
fn leaf<'a>(
    x: &mut Xml<'a>,
    tag: Tag<'a>,
    path: String,
    out: &mut Vec<(String, String)>,
) -> Result<()> {
    let child_path = |c: &Tag<'_>| {
        let name = lossy(c.local());
        if path.is_empty() {
            name
        } else {
            format!("{path}/{name}")
        }
    };
    match x.text_or_child()? {
        TextOrChild::Text(s) => out.push((path, s)),
        TextOrChild::Child(first) => {
            let p = child_path(&first);
            leaf(x, first, p, out)?;
            while let Some(c) = x.next_child()? {
                let p = child_path(&c);
                leaf(x, c, p, out)?;
            }
        }
    }
    let _ = tag;
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 230b
// ---------------------------------------------------------------------------------------------

/// Reads an EML 230b candidate-list document.
pub fn parse_candidate_lists(src: &[u8]) -> Result<CandidateLists> {
    let (mut x, root, mut header) = open(src, "230b", |id| id == "230b")?;
    let (election, contests) = eml_body(&mut x, &root, &mut header, "CandidateList", |x, cl| {
        election_contests(x, cl, candidate_contest)
    })?;
    Ok(CandidateLists {
        header,
        election,
        contests,
    })
}

fn candidate_contest<'a>(x: &mut Xml<'a>, tag: &Tag<'a>) -> Result<CandidateContest> {
    let mut contest = None;
    let mut lists: Vec<CandidateList> = Vec::new();
    while let Some(t) = x.next_child()? {
        match t.local() {
            b"ContestIdentifier" => {
                let c = contest_identifier(x, &t)?;
                set_once(x, &t, &mut contest, c)?;
            }
            b"Affiliation" => {
                let list = affiliation(x, &t)?;
                if lists.iter().any(|l| l.id == list.id) {
                    return Err(x.err(
                        ErrorKind::DuplicateId {
                            what: "list (affiliation) id".into(),
                            id: list.id.to_string(),
                        },
                        t.pos,
                    ));
                }
                lists.push(list);
            }
            _ => x.skip()?,
        }
    }
    Ok(CandidateContest {
        contest: contest.ok_or_else(|| missing(x, "ContestIdentifier", tag))?,
        lists,
    })
}

fn affiliation<'a>(x: &mut Xml<'a>, tag: &Tag<'a>) -> Result<CandidateList> {
    let mut id = None;
    let mut list = CandidateList {
        id: 0,
        name: None,
        list_type: None,
        list_data: None,
        candidates: Vec::new(),
    };
    while let Some(t) = x.next_child()? {
        match t.local() {
            b"AffiliationIdentifier" => {
                let v = id_attr(x, &t)?;
                set_once(x, &t, &mut id, v)?;
                while let Some(c) = x.next_child()? {
                    if c.local() == b"RegisteredName" {
                        list.name = x.opt_string()?;
                    } else {
                        x.skip()?;
                    }
                }
            }
            b"Type" => {
                let v = x.text()?;
                list.list_type = Some(
                    ListType::from_code(&v).ok_or_else(|| invalid(x, "list Type", &v, t.pos))?,
                );
            }
            b"ListData" => {
                let mut ld = ListData {
                    belongs_to_set: x.attr_u64(&t, b"BelongsToSet")?,
                    belongs_to_combination: opt_attr(x, &t, "BelongsToCombination")?,
                    publication_language: opt_attr(x, &t, "PublicationLanguage")?,
                    publish_gender: bool_attr(x, &t, "PublishGender")?,
                    contests: Vec::new(),
                };
                while let Some(c) = x.next_child()? {
                    if c.local() == b"Contests" {
                        while let Some(k) = x.next_child()? {
                            if k.local() == b"Contest" {
                                ld.contests.push(x.req_attr(&k, "Id")?.into_owned());
                            }
                            x.skip()?;
                        }
                    } else {
                        x.skip()?;
                    }
                }
                list.list_data = Some(ld);
            }
            b"Candidate" => {
                let f = candidate_fields(x)?;
                let cid =
                    f.id.ok_or_else(|| missing(x, "CandidateIdentifier Id", &t))?;
                if list.candidates.iter().any(|c| c.id == cid) {
                    return Err(x.err(
                        ErrorKind::DuplicateId {
                            what: "candidate id".into(),
                            id: cid.to_string(),
                        },
                        t.pos,
                    ));
                }
                list.candidates.push(Candidate {
                    id: cid,
                    short_code: f.short_code,
                    name: f.name,
                    gender: f.gender,
                    date_of_birth: f.date_of_birth,
                    locality: f.locality,
                    country_code: f.country_code,
                });
            }
            _ => x.skip()?,
        }
    }
    list.id = id.ok_or_else(|| missing(x, "AffiliationIdentifier", tag))?;
    Ok(list)
}

// ---------------------------------------------------------------------------------------------
// 510
// ---------------------------------------------------------------------------------------------

/// String interner for names repeated in every reporting unit.
#[derive(Default)]
struct Interner<'a> {
    map: HashMap<Cow<'a, str>, Arc<str>>,
    /// Candidate count per list id seen last, to pre-size the next unit's vectors.
    cap_hint: Vec<usize>,
}

impl<'a> Interner<'a> {
    fn get(&mut self, s: Cow<'a, str>) -> Arc<str> {
        if let Some(a) = self.map.get(&*s) {
            return Arc::clone(a);
        }
        let a: Arc<str> = Arc::from(&*s);
        self.map.insert(s, Arc::clone(&a));
        a
    }
}

/// Reads an EML 510a/b/c/d count.
pub fn parse_count(src: &[u8]) -> Result<Count> {
    let (mut x, root, mut header) = open(src, "510a, 510b, 510c or 510d", |id| {
        CountKind::from_eml_id(id).is_some()
    })?;
    let kind = CountKind::from_eml_id(&header.eml_id).unwrap_or(CountKind::B);
    let mut interner = Interner::default();
    let mut count = eml_body(&mut x, &root, &mut header, "Count", |x, ct| {
        count_body(x, ct, kind, &mut interner)
    })?;
    count.header = header;
    Ok(count)
}

fn count_body<'a>(
    x: &mut Xml<'a>,
    ct: &Tag<'a>,
    kind: CountKind,
    interner: &mut Interner<'a>,
) -> Result<Count> {
    let mut counting_method = None;
    let mut phase = None;
    let mut election = None;
    let mut contests = Vec::new();
    while let Some(t) = x.next_child()? {
        match t.local() {
            b"CountingMethod" => {
                counting_method = opt_attr(x, &t, "MethodCode")?;
                x.skip()?;
            }
            b"Phase" => {
                phase = opt_attr(x, &t, "PhaseCode")?;
                x.skip()?;
            }
            b"Election" => {
                while let Some(e) = x.next_child()? {
                    match e.local() {
                        b"ElectionIdentifier" => {
                            let v = election_identifier(x, &e)?;
                            set_once(x, &e, &mut election, v)?;
                        }
                        b"Contests" => {
                            while let Some(c) = x.next_child()? {
                                if c.local() == b"Contest" {
                                    contests.push(count_contest(x, &c, interner)?);
                                } else {
                                    x.skip()?;
                                }
                            }
                        }
                        _ => x.skip()?,
                    }
                }
            }
            _ => x.skip()?,
        }
    }
    let election = election.ok_or_else(|| missing(x, "Election", ct))?;
    if contests.is_empty() {
        return Err(missing(x, "Contest", ct));
    }
    Ok(Count {
        header: EmlHeader::default(),
        kind,
        counting_method,
        phase,
        election,
        contests,
    })
}

fn count_contest<'a>(
    x: &mut Xml<'a>,
    tag: &Tag<'a>,
    interner: &mut Interner<'a>,
) -> Result<CountContest> {
    let mut contest = None;
    let mut total = None;
    let mut units: Vec<ReportingUnitVotes> = Vec::new();
    let mut seen: HashSet<String> = HashSet::new();
    while let Some(t) = x.next_child()? {
        match t.local() {
            b"ContestIdentifier" => {
                let c = contest_identifier(x, &t)?;
                set_once(x, &t, &mut contest, c)?;
            }
            b"TotalVotes" => {
                let mut vt = VoteTotals::default();
                vote_group(x, &t, &mut vt, interner, None)?;
                set_once(x, &t, &mut total, vt)?;
            }
            b"ReportingUnitVotes" => {
                let mut vt = VoteTotals::default();
                let mut ru = RuExtra::default();
                vote_group(x, &t, &mut vt, interner, Some(&mut ru))?;
                let (id, name) = ru
                    .id
                    .ok_or_else(|| missing(x, "ReportingUnitIdentifier", &t))?;
                if !seen.insert(id.clone()) {
                    return Err(x.err(
                        ErrorKind::DuplicateId {
                            what: "reporting unit id".into(),
                            id,
                        },
                        t.pos,
                    ));
                }
                units.push(ReportingUnitVotes {
                    id,
                    name,
                    unit_type: ru.unit_type,
                    shared_location: ru.shared_location,
                    votes: vt,
                    investigations: ru.investigations,
                });
            }
            _ => x.skip()?,
        }
    }
    Ok(CountContest {
        contest: contest.ok_or_else(|| missing(x, "ContestIdentifier", tag))?,
        total,
        reporting_units: units,
    })
}

#[derive(Default)]
struct RuExtra {
    id: Option<(String, String)>,
    unit_type: Option<ReportingUnitType>,
    shared_location: Option<bool>,
    investigations: Option<Vec<Investigation>>,
}

/// The VoteGroup of `<TotalVotes>` / `<ReportingUnitVotes>` (and the extra children of the
/// latter when `ru` is given).
fn vote_group<'a>(
    x: &mut Xml<'a>,
    group: &Tag<'a>,
    vt: &mut VoteTotals,
    interner: &mut Interner<'a>,
    mut ru: Option<&mut RuExtra>,
) -> Result<()> {
    let mut cast = None;
    let mut total_counted = None;
    let mut invalid_votes = None;
    let mut blank = None;
    while let Some(t) = x.next_child()? {
        match t.local() {
            b"Selection" => selection(x, &t, vt, interner)?,
            b"Cast" => {
                let v = x.number()?;
                set_once(x, &t, &mut cast, v)?;
            }
            b"TotalCounted" => {
                let v = x.number()?;
                set_once(x, &t, &mut total_counted, v)?;
            }
            b"RejectedVotes" | b"InitialRejectedVotes" => {
                let code = x.req_attr(&t, "ReasonCode")?;
                let initial = t.local() == b"InitialRejectedVotes";
                let v = x.number()?;
                let slot = match (&*code, initial) {
                    ("ongeldig", false) => &mut invalid_votes,
                    ("blanco", false) => &mut blank,
                    ("ongeldig", true) => &mut vt.initial_rejected.invalid,
                    ("blanco", true) => &mut vt.initial_rejected.blank,
                    (other, _) => return Err(invalid(x, "RejectedVotes ReasonCode", other, t.pos)),
                };
                set_once(x, &t, slot, v)?;
            }
            b"UncountedVotes" | b"InitialUncountedVotes" => {
                let code = x.req_attr(&t, "ReasonCode")?;
                let reason = UncountedReason::from_code(&code)
                    .ok_or_else(|| invalid(x, "UncountedVotes ReasonCode", &code, t.pos))?;
                let v = x.number()?;
                let target = if t.local() == b"UncountedVotes" {
                    &mut vt.uncounted
                } else {
                    &mut vt.initial_uncounted
                };
                if target.set(reason, v).is_some() {
                    return Err(x.err(
                        ErrorKind::DuplicateId {
                            what: "UncountedVotes ReasonCode".into(),
                            id: code.into_owned(),
                        },
                        t.pos,
                    ));
                }
            }
            b"InitialCast" => {
                let v = x.number()?;
                set_once(x, &t, &mut vt.initial_cast, v)?;
            }
            b"InitialTotalCounted" => {
                let v = x.number()?;
                set_once(x, &t, &mut vt.initial_total_counted, v)?;
            }
            local => match (ru.as_deref_mut(), local) {
                (Some(ru), b"ReportingUnitIdentifier") => {
                    let id = x.req_attr(&t, "Id")?.into_owned();
                    let name = x.text()?.into_owned();
                    let v = (id, name);
                    set_once(x, &t, &mut ru.id, v)?;
                }
                (Some(ru), b"ReportingUnitType") => {
                    let v = x.text()?;
                    ru.unit_type = Some(match &*v {
                        "FixedLocation" => ReportingUnitType::FixedLocation,
                        "Mobile" => ReportingUnitType::Mobile,
                        "Special" => ReportingUnitType::Special,
                        other => return Err(invalid(x, "ReportingUnitType", other, t.pos)),
                    });
                }
                (Some(ru), b"SharedLocation") => {
                    let v = x.text()?;
                    ru.shared_location = Some(parse_bool(x, "SharedLocation", &v, t.pos)?);
                }
                (Some(ru), b"ReportingUnitInvestigations") => {
                    let mut list: Vec<Investigation> = Vec::new();
                    while let Some(i) = x.next_child()? {
                        if i.local() == b"Investigation" {
                            let code = x.req_attr(&i, "ReasonCode")?;
                            let reason =
                                InvestigationReason::from_code(&code).ok_or_else(|| {
                                    invalid(x, "Investigation ReasonCode", &code, i.pos)
                                })?;
                            if list.iter().any(|e| e.reason == reason) {
                                return Err(x.err(
                                    ErrorKind::DuplicateId {
                                        what: "Investigation ReasonCode".into(),
                                        id: code.into_owned(),
                                    },
                                    i.pos,
                                ));
                            }
                            let v = x.text()?;
                            let value = parse_bool(x, "Investigation", &v, i.pos)?;
                            list.push(Investigation { reason, value });
                        } else {
                            x.skip()?;
                        }
                    }
                    ru.investigations = Some(list);
                }
                _ => x.skip()?,
            },
        }
    }
    vt.cast = cast.ok_or_else(|| missing(x, "Cast", group))?;
    vt.total_counted = total_counted.ok_or_else(|| missing(x, "TotalCounted", group))?;
    vt.rejected.invalid =
        invalid_votes.ok_or_else(|| missing(x, "RejectedVotes ReasonCode=\"ongeldig\"", group))?;
    vt.rejected.blank =
        blank.ok_or_else(|| missing(x, "RejectedVotes ReasonCode=\"blanco\"", group))?;
    Ok(())
}

fn remember_cap(interner: &mut Interner<'_>, id: u32, n: usize) {
    let i = id as usize;
    if i < 1024 {
        if interner.cap_hint.len() <= i {
            interner.cap_hint.resize(i + 1, 0);
        }
        if let Some(slot) = interner.cap_hint.get_mut(i) {
            *slot = n;
        }
    }
}

enum Sel {
    List(u32, Arc<str>),
    Candidate(Option<u32>, Option<Arc<str>>),
    Other,
}

fn selection<'a>(
    x: &mut Xml<'a>,
    tag: &Tag<'a>,
    vt: &mut VoteTotals,
    interner: &mut Interner<'a>,
) -> Result<()> {
    if let Some(fast) = x.fast_selection() {
        return match fast {
            FastSel::Candidate {
                id,
                short_code,
                votes,
            } => {
                let short = short_code.map(|s| interner.get(Cow::Borrowed(s)));
                push_selection(x, tag, vt, interner, Sel::Candidate(id, short), votes, None)
            }
            FastSel::List { id, name, votes } => {
                let name = interner.get(Cow::Borrowed(name));
                push_selection(x, tag, vt, interner, Sel::List(id, name), votes, None)
            }
        };
    }
    let mut what = None;
    let mut votes = None;
    let mut initial = None;
    while let Some(t) = x.next_child()? {
        match t.local() {
            b"Candidate" => {
                let mut id = None;
                let mut short: Option<Arc<str>> = None;
                while let Some(c) = x.next_child()? {
                    if c.local() == b"CandidateIdentifier" {
                        if let Some(v) = x.attr_u64(&c, b"Id")? {
                            id = Some(to_u32(x, v, c.pos)?);
                        }
                        if let Some(s) = x.attr(&c, b"ShortCode")? {
                            short = Some(interner.get(s));
                        }
                        while let Some(s) = x.next_child()? {
                            if s.local() == b"ShortCode" {
                                let v = x.text()?;
                                if !v.is_empty() {
                                    short = Some(interner.get(v));
                                }
                            } else {
                                x.skip()?;
                            }
                        }
                    } else {
                        x.skip()?;
                    }
                }
                if id.is_none() && short.is_none() {
                    return Err(missing(x, "CandidateIdentifier Id or ShortCode", &t));
                }
                set_once(x, &t, &mut what, Sel::Candidate(id, short))?;
            }
            b"AffiliationIdentifier" => {
                let id = id_attr(x, &t)?;
                let mut name = None;
                while let Some(c) = x.next_child()? {
                    if c.local() == b"RegisteredName" {
                        name = Some(interner.get(x.text()?));
                    } else {
                        x.skip()?;
                    }
                }
                let name = name.unwrap_or_else(|| interner.get(Cow::Borrowed("")));
                set_once(x, &t, &mut what, Sel::List(id, name))?;
            }
            b"ReferendumOptionIdentifier" => {
                x.skip()?;
                set_once(x, &t, &mut what, Sel::Other)?;
            }
            b"ValidVotes" => {
                let v = x.number()?;
                set_once(x, &t, &mut votes, v)?;
            }
            b"InitialValidVotes" => {
                let v = x.number()?;
                set_once(x, &t, &mut initial, v)?;
            }
            _ => x.skip()?,
        }
    }
    let valid_votes = votes.ok_or_else(|| missing(x, "ValidVotes", tag))?;
    let what = what.ok_or_else(|| missing(x, "Candidate or AffiliationIdentifier", tag))?;
    push_selection(x, tag, vt, interner, what, valid_votes, initial)
}

fn push_selection<'a>(
    x: &Xml<'a>,
    tag: &Tag<'a>,
    vt: &mut VoteTotals,
    interner: &mut Interner<'a>,
    what: Sel,
    valid_votes: u64,
    initial: Option<u64>,
) -> Result<()> {
    match what {
        Sel::List(id, name) => {
            if vt.lists.iter().any(|l| l.id == id) {
                return Err(x.err(
                    ErrorKind::DuplicateId {
                        what: "list (affiliation) id".into(),
                        id: id.to_string(),
                    },
                    tag.pos,
                ));
            }
            let hint = interner.cap_hint.get(id as usize).copied().unwrap_or(0);
            if let Some(prev) = vt.lists.last() {
                remember_cap(interner, prev.id, prev.candidates.len());
            }
            vt.lists.push(ListVotes {
                id,
                name,
                valid_votes,
                initial_valid_votes: initial,
                candidates: Vec::with_capacity(hint),
            });
        }
        Sel::Candidate(id, short_code) => {
            let Some(list) = vt.lists.last_mut() else {
                return Err(x.err(
                    ErrorKind::UnexpectedElement {
                        element: "Candidate".into(),
                        context: "candidate votes before any list (AffiliationIdentifier)".into(),
                    },
                    tag.pos,
                ));
            };
            let dup = match (id, list.candidates.last()) {
                // Fast path: ids normally ascend.
                (Some(i), Some(CandidateVotes { id: Some(prev), .. })) if i > *prev => false,
                (_, None) => false,
                (Some(i), _) => list.candidates.iter().any(|c| c.id == Some(i)),
                (None, _) => list
                    .candidates
                    .iter()
                    .any(|c| c.id.is_none() && c.short_code == short_code),
            };
            if dup {
                let shown = id.map_or_else(
                    || short_code.as_deref().unwrap_or_default().to_string(),
                    |i| i.to_string(),
                );
                return Err(x.err(
                    ErrorKind::DuplicateId {
                        what: format!("candidate in list {}", list.id),
                        id: shown,
                    },
                    tag.pos,
                ));
            }
            list.candidates.push(CandidateVotes {
                id,
                short_code,
                valid_votes,
                initial_valid_votes: initial,
            });
        }
        Sel::Other => {}
    }
    Ok(())
}

// ---------------------------------------------------------------------------------------------
// 520
// ---------------------------------------------------------------------------------------------

/// Reads an EML 520 result.
pub fn parse_result(src: &[u8]) -> Result<ElectionResult> {
    let (mut x, root, mut header) = open(src, "520", |id| id == "520")?;
    let (election, contests) = eml_body(&mut x, &root, &mut header, "Result", |x, rt| {
        election_contests(x, rt, result_contest)
    })?;
    Ok(ElectionResult {
        header,
        election,
        contests,
    })
}

fn result_contest<'a>(x: &mut Xml<'a>, tag: &Tag<'a>) -> Result<ResultContest> {
    let mut contest = None;
    let mut lists: Vec<ResultList> = Vec::new();
    while let Some(t) = x.next_child()? {
        match t.local() {
            b"ContestIdentifier" => {
                let c = contest_identifier(x, &t)?;
                set_once(x, &t, &mut contest, c)?;
            }
            b"Selection" => result_selection(x, &t, &mut lists)?,
            _ => x.skip()?,
        }
    }
    Ok(ResultContest {
        contest: contest.ok_or_else(|| missing(x, "ContestIdentifier", tag))?,
        lists,
    })
}

fn result_selection<'a>(x: &mut Xml<'a>, tag: &Tag<'a>, lists: &mut Vec<ResultList>) -> Result<()> {
    let mut cand: Option<CandidateFields> = None;
    let mut list: Option<(u32, Option<String>)> = None;
    let mut votes = None;
    let mut ranking = None;
    let mut elected = None;
    while let Some(t) = x.next_child()? {
        match t.local() {
            b"Candidate" => {
                let f = candidate_fields(x)?;
                set_once(x, &t, &mut cand, f)?;
            }
            b"AffiliationIdentifier" => {
                let id = id_attr(x, &t)?;
                let mut name = None;
                while let Some(c) = x.next_child()? {
                    if c.local() == b"RegisteredName" {
                        name = x.opt_string()?;
                    } else {
                        x.skip()?;
                    }
                }
                set_once(x, &t, &mut list, (id, name))?;
            }
            b"Votes" => {
                let v = x.number()?;
                set_once(x, &t, &mut votes, v)?;
            }
            b"Ranking" => {
                let v = x.number()?;
                let r = match v {
                    1 => Ranking::Preference,
                    2 => Ranking::ListOrder,
                    other => return Err(invalid(x, "Ranking", &other.to_string(), t.pos)),
                };
                set_once(x, &t, &mut ranking, r)?;
            }
            b"Elected" => {
                let v = x.text()?;
                let b = parse_bool(x, "Elected", &v, t.pos)?;
                set_once(x, &t, &mut elected, b)?;
            }
            _ => x.skip()?,
        }
    }
    let elected = elected.ok_or_else(|| missing(x, "Elected", tag))?;
    match (list, cand) {
        (Some(_), Some(_)) => Err(x.err(
            ErrorKind::UnexpectedElement {
                element: "Candidate".into(),
                context: "a Selection has both a list and a candidate".into(),
            },
            tag.pos,
        )),
        (Some((id, name)), None) => {
            if lists.iter().any(|l| l.id == id) {
                return Err(x.err(
                    ErrorKind::DuplicateId {
                        what: "list (affiliation) id".into(),
                        id: id.to_string(),
                    },
                    tag.pos,
                ));
            }
            lists.push(ResultList {
                id,
                name,
                votes,
                elected,
                candidates: Vec::new(),
            });
            Ok(())
        }
        (None, Some(f)) => {
            let Some(l) = lists.last_mut() else {
                return Err(x.err(
                    ErrorKind::UnexpectedElement {
                        element: "Candidate".into(),
                        context: "candidate before any list (AffiliationIdentifier)".into(),
                    },
                    tag.pos,
                ));
            };
            if f.id.is_none() && f.short_code.is_none() && f.name.last_name.is_none() {
                return Err(missing(x, "CandidateIdentifier Id", tag));
            }
            if let Some(id) = f.id
                && l.candidates.iter().any(|c| c.id == Some(id))
            {
                return Err(x.err(
                    ErrorKind::DuplicateId {
                        what: format!("candidate in list {}", l.id),
                        id: id.to_string(),
                    },
                    tag.pos,
                ));
            }
            l.candidates.push(ResultCandidate {
                id: f.id,
                short_code: f.short_code,
                name: f.name,
                gender: f.gender,
                locality: f.locality,
                country_code: f.country_code,
                votes,
                ranking,
                elected,
            });
            Ok(())
        }
        (None, None) => Err(missing(x, "Candidate or AffiliationIdentifier", tag)),
    }
}

/// Quick look at an XML document: root element local name and EML `Id`, without parsing the
/// rest. Used by [`crate::identify`].
pub(crate) fn peek_root(src: &[u8]) -> Result<(String, Option<String>)> {
    // Only the start of the file is needed: validate (and scan) at most 1 MiB, cutting an
    // incomplete UTF-8 sequence at the cut-off point.
    let mut prefix = src.get(..src.len().min(1 << 20)).unwrap_or(src);
    if prefix.len() < src.len()
        && let Err(e) = std::str::from_utf8(prefix)
        && e.error_len().is_none()
    {
        prefix = prefix.get(..e.valid_up_to()).unwrap_or(prefix);
    }
    let mut x = Xml::new(prefix)?;
    let root = x.root()?;
    let local = lossy(root.local());
    if root.local() == b"EML" {
        check_namespace(&x, &root)?;
    }
    let id = x.attr(&root, b"Id")?.map(Cow::into_owned);
    Ok((local, id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::xml::NO_FAST_PATH;

    fn shared_data() -> Option<std::path::PathBuf> {
        let dir = std::env::var_os("STEMBUS_SHARED_DATA").map_or_else(
            || std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
            std::path::PathBuf::from,
        );
        if dir.join("README.md").exists() {
            return Some(dir);
        }
        assert!(
            std::env::var("CI").as_deref() != Ok("true"),
            "CI=true but the shared data set is absent at {}",
            dir.display()
        );
        eprintln!("SKIPPED: shared data set absent at {}", dir.display());
        None
    }

    /// The 510 fast path must give exactly what the general parser gives.
    #[test]
    fn fast_path_equals_general_parser_on_real_counts() {
        let Some(d) = shared_data() else { return };
        for f in [
            "TK2021/eml/Totaaltelling_TK2021.eml.xml",
            "TK2021/eml/Telling_TK2021_kieskring_Amsterdam.eml.xml",
            "TK2021/eml/Telling_TK2021_kieskring_Lelystad.eml.xml",
            "GR2026_Schiermonnikoog/Telling_GR2026_Schiermonnikoog.eml.xml",
            "GR2026_Schiermonnikoog/Totaaltelling_GR2026_Schiermonnikoog.eml.xml",
            "eml2csv-oracles/Telling_TK2025_gemeente_West_Maas_en_Waal.eml.xml",
            "eml2csv-oracles/Telling_GR2022_WestMaasenWaal.eml.xml",
        ] {
            let bytes = std::fs::read(d.join(f)).unwrap();
            let fast = parse_count(&bytes).unwrap();
            NO_FAST_PATH.with(|c| c.set(true));
            let slow = parse_count(&bytes);
            NO_FAST_PATH.with(|c| c.set(false));
            assert_eq!(fast, slow.unwrap(), "{f}");
        }
    }

    /// And on variations the fast path must decline or agree: whitespace, self-closing tags,
    /// attribute order, entities.
    #[test]
    fn fast_path_equals_general_parser_on_variations() {
        let ns = r#"xmlns="urn:oasis:names:tc:evs:schema:eml" xmlns:kr="http://www.kiesraad.nl/extensions""#;
        let body = |sel: &str| {
            format!(
                r#"<EML {ns} Id="510d"><Count><Election><ElectionIdentifier Id="X"/><Contests><Contest><ContestIdentifier Id="alle"/><TotalVotes>{sel}<Cast>1</Cast><TotalCounted>1</TotalCounted><RejectedVotes ReasonCode="ongeldig">0</RejectedVotes><RejectedVotes ReasonCode="blanco">0</RejectedVotes></TotalVotes></Contest></Contests></Election></Count></EML>"#
            )
        };
        let variants = [
            r#"<Selection><AffiliationIdentifier Id="1"><RegisteredName> A </RegisteredName></AffiliationIdentifier><ValidVotes>5</ValidVotes></Selection><Selection><Candidate><CandidateIdentifier Id="1"/></Candidate><ValidVotes>3</ValidVotes></Selection>"#,
            "<Selection>\n <AffiliationIdentifier Id=\"1\">\n  <RegisteredName>A&amp;B</RegisteredName>\n </AffiliationIdentifier>\n <ValidVotes>5</ValidVotes>\n</Selection>\n<Selection>\n <Candidate>\n  <CandidateIdentifier ShortCode=\"X\" Id=\"2\">\n  </CandidateIdentifier>\n </Candidate>\n <ValidVotes> 3 </ValidVotes>\n</Selection>",
            r#"<Selection><AffiliationIdentifier Id='1'><RegisteredName>A</RegisteredName></AffiliationIdentifier><ValidVotes>+5</ValidVotes></Selection><Selection><Candidate><CandidateIdentifier Id="01" ShortCode="Y&#228;"></CandidateIdentifier></Candidate><ValidVotes>0003</ValidVotes></Selection>"#,
            r#"<Selection><AffiliationIdentifier Id="1"><RegisteredName>A</RegisteredName></AffiliationIdentifier><ValidVotes>5</ValidVotes></Selection><Selection><Candidate><CandidateIdentifier Id="1" ShortCode="Z"/></Candidate><ValidVotes>3</ValidVotes></Selection><Selection><Candidate><CandidateIdentifier ShortCode="Q"/></Candidate><ValidVotes>1</ValidVotes></Selection>"#,
        ];
        for v in variants {
            let src = body(v);
            let fast = parse_count(src.as_bytes());
            NO_FAST_PATH.with(|c| c.set(true));
            let slow = parse_count(src.as_bytes());
            NO_FAST_PATH.with(|c| c.set(false));
            assert_eq!(fast, slow, "{v}");
            assert!(fast.is_ok(), "{v}: {fast:?}");
        }
    }
}
