//! Synthetic EML files for tests: a 110a, 230b, 510b/c/d and 520 of any election, written
//! in the Kiesraad's layout, with votes given per list and candidate. Fictional names.

#![allow(dead_code)]

use std::fmt::Write as _;

/// One list: number, name and how many candidates it has.
#[derive(Clone, Debug)]
pub struct Party {
    pub number: u32,
    pub name: String,
    pub candidates: u32,
}

/// The election the files belong to.
#[derive(Clone, Debug)]
pub struct Election {
    pub id: String,
    pub name: String,
    pub category: String,
    pub subcategory: String,
    /// `kr:ElectionDomain` (`Id`, name).
    pub domain: Option<(String, String)>,
    pub seats: u32,
    pub parties: Vec<Party>,
}

/// Votes per list (index into [`Election::parties`]), per candidate (index = position − 1).
pub type Votes = Vec<Vec<u64>>;

/// A region of the 110a's tree: number, category, name, superior (number, category).
pub type Region<'a> = (u64, &'a str, &'a str, Option<(u64, &'a str)>);

const HEAD: &str = r#"<?xml version="1.0" encoding="UTF-8"?><EML xmlns="urn:oasis:names:tc:evs:schema:eml" xmlns:kr="http://www.kiesraad.nl/extensions" xmlns:xal="urn:oasis:names:tc:ciq:xsdschema:xAL:2.0" xmlns:xnl="urn:oasis:names:tc:ciq:xsdschema:xNL:2.0""#;

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn identifier(e: &Election) -> String {
    let mut s = format!(
        r#"<ElectionIdentifier Id="{}"><ElectionName>{}</ElectionName><ElectionCategory>{}</ElectionCategory><kr:ElectionSubcategory>{}</kr:ElectionSubcategory>"#,
        esc(&e.id),
        esc(&e.name),
        e.category,
        e.subcategory
    );
    if let Some((id, name)) = &e.domain {
        if id.is_empty() {
            let _ = write!(s, "<kr:ElectionDomain>{}</kr:ElectionDomain>", esc(name));
        } else {
            let _ = write!(
                s,
                r#"<kr:ElectionDomain Id="{}">{}</kr:ElectionDomain>"#,
                esc(id),
                esc(name)
            );
        }
    }
    s.push_str("<kr:ElectionDate>2023-03-15</kr:ElectionDate></ElectionIdentifier>");
    s
}

/// Sum of a list's candidate votes.
pub fn list_total(v: &[u64]) -> u64 {
    v.iter().sum()
}

/// `a + b`, list by list and candidate by candidate.
pub fn add(a: &Votes, b: &Votes) -> Votes {
    a.iter()
        .zip(b)
        .map(|(x, y)| x.iter().zip(y).map(|(p, q)| p + q).collect())
        .collect()
}

/// Votes with everything on candidate 1 of each list.
pub fn on_first(e: &Election, per_list: &[u64]) -> Votes {
    e.parties
        .iter()
        .zip(per_list)
        .map(|(p, &v)| {
            let mut c = vec![0; p.candidates as usize];
            if let Some(first) = c.first_mut() {
                *first = v;
            }
            c
        })
        .collect()
}

/// EML 110a with `regions` as its election tree.
pub fn definition(e: &Election, regions: &[Region<'_>]) -> String {
    let mut s = format!(
        r#"{HEAD} Id="110a" SchemaVersion="5"><TransactionId>1</TransactionId><IssueDate>2023-02-03</IssueDate><ElectionEvent><EventIdentifier/><Election>{}<Contest><ContestIdentifier Id="geen"/><VotingMethod>SPV</VotingMethod><MaxVotes></MaxVotes></Contest><kr:NumberOfSeats>{}</kr:NumberOfSeats><kr:PreferenceThreshold>25</kr:PreferenceThreshold><kr:ElectionTree>"#,
        identifier(e),
        e.seats
    );
    for (number, category, name, superior) in regions {
        let sup = superior.map_or(String::new(), |(n, c)| {
            format!(r#" SuperiorRegionNumber="{n}" SuperiorRegionCategory="{c}""#)
        });
        let _ = write!(
            s,
            r#"<kr:Region RegionNumber="{number}" RegionCategory="{category}"{sup}><kr:RegionName>{}</kr:RegionName></kr:Region>"#,
            esc(name)
        );
    }
    s.push_str("</kr:ElectionTree></Election></ElectionEvent></EML>");
    s
}

fn candidate_name(list: u32, position: u32) -> String {
    format!(
        r#"<CandidateFullName><xnl:PersonName><xnl:NameLine NameType="Initials">A.</xnl:NameLine><xnl:LastName>Kandidaat{list}x{position}</xnl:LastName></xnl:PersonName></CandidateFullName>"#
    )
}

/// EML 230b with the same lists in every contest of `contests` (`geen`, or kieskringen).
pub fn candidate_lists(e: &Election, contests: &[&str]) -> String {
    let mut s = format!(
        r#"{HEAD} Id="230b" SchemaVersion="5"><TransactionId>1</TransactionId><ManagingAuthority><AuthorityIdentifier Id="CSB">Centraal stembureau</AuthorityIdentifier><AuthorityAddress></AuthorityAddress></ManagingAuthority><IssueDate>2023-02-03</IssueDate><CandidateList><Election>{}"#,
        identifier(e)
    );
    for contest in contests {
        let _ = write!(
            s,
            r#"<Contest><ContestIdentifier Id="{contest}"></ContestIdentifier>"#
        );
        for p in &e.parties {
            let _ = write!(
                s,
                r#"<Affiliation><AffiliationIdentifier Id="{}"><RegisteredName>{}</RegisteredName></AffiliationIdentifier><Type>op zichzelf staande lijst</Type>"#,
                p.number,
                esc(&p.name)
            );
            for c in 1..=p.candidates {
                let _ = write!(
                    s,
                    r#"<Candidate><CandidateIdentifier Id="{c}"></CandidateIdentifier>{}<QualifyingAddress><xal:Locality><xal:LocalityName>Ergens</xal:LocalityName></xal:Locality></QualifyingAddress></Candidate>"#,
                    candidate_name(p.number, c)
                );
            }
            s.push_str("</Affiliation>");
        }
        s.push_str("</Contest>");
    }
    s.push_str("</Election></CandidateList></EML>");
    s
}

fn selections(e: &Election, v: &Votes, out: &mut String) {
    let mut counted = 0;
    for (p, cands) in e.parties.iter().zip(v) {
        let total = list_total(cands);
        counted += total;
        let _ = write!(
            out,
            r#"<Selection><AffiliationIdentifier Id="{}"><RegisteredName>{}</RegisteredName></AffiliationIdentifier><ValidVotes>{total}</ValidVotes></Selection>"#,
            p.number,
            esc(&p.name)
        );
        for (i, c) in cands.iter().enumerate() {
            let _ = write!(
                out,
                r#"<Selection><Candidate><CandidateIdentifier Id="{}"></CandidateIdentifier></Candidate><ValidVotes>{c}</ValidVotes></Selection>"#,
                i + 1
            );
        }
    }
    // Kiesgerechtigden = valid votes, no blank or invalid votes: nothing to warn about.
    let _ = write!(
        out,
        r#"<Cast>{counted}</Cast><TotalCounted>{counted}</TotalCounted><RejectedVotes ReasonCode="ongeldig">0</RejectedVotes><RejectedVotes ReasonCode="blanco">0</RejectedVotes>"#
    );
}

/// A reporting unit of a count: id, name, votes.
pub type UnitVotes = (String, String, Votes);

/// EML 510 (`eml_id` 510b, 510c or 510d) of `authority` (`Id`, name) for `contest`.
pub fn count(
    e: &Election,
    eml_id: &str,
    authority: (&str, &str),
    contest: (&str, Option<&str>),
    total: &Votes,
    units: &[UnitVotes],
) -> String {
    let contest_name = contest.1.map_or(String::new(), |n| {
        format!("<ContestName>{}</ContestName>", esc(n))
    });
    let mut s = format!(
        r#"{HEAD} Id="{eml_id}" SchemaVersion="5"><TransactionId>1</TransactionId><ManagingAuthority><AuthorityIdentifier Id="{}">{}</AuthorityIdentifier><AuthorityAddress></AuthorityAddress></ManagingAuthority><Count><EventIdentifier></EventIdentifier><Election>{}<Contests><Contest><ContestIdentifier Id="{}">{contest_name}</ContestIdentifier><TotalVotes>"#,
        esc(authority.0),
        esc(authority.1),
        identifier(e),
        contest.0
    );
    selections(e, total, &mut s);
    s.push_str("</TotalVotes>");
    for (id, name, v) in units {
        let _ = write!(
            s,
            r#"<ReportingUnitVotes><ReportingUnitIdentifier Id="{}">{}</ReportingUnitIdentifier>"#,
            esc(id),
            esc(name)
        );
        selections(e, v, &mut s);
        s.push_str("</ReportingUnitVotes>");
    }
    s.push_str("</Contest></Contests></Election></Count></EML>");
    s
}

/// EML 520: per list number, the elected positions in P 19 order with `true` for elected on
/// preference votes.
pub fn result(e: &Election, elected: &[(u32, Vec<(u32, bool)>)]) -> String {
    let mut s = format!(
        r#"{HEAD} Id="520" SchemaVersion="5"><TransactionId>1</TransactionId><ManagingAuthority><AuthorityIdentifier Id="CSB">Centraal stembureau</AuthorityIdentifier><AuthorityAddress></AuthorityAddress></ManagingAuthority><Result><Election>{}<Contest><ContestIdentifier Id="geen"></ContestIdentifier>"#,
        identifier(e)
    );
    for (number, cands) in elected {
        let p = e
            .parties
            .iter()
            .find(|p| p.number == *number)
            .expect("list in the election");
        let _ = write!(
            s,
            r#"<Selection><AffiliationIdentifier Id="{number}"><RegisteredName>{}</RegisteredName></AffiliationIdentifier><Elected>yes</Elected></Selection>"#,
            esc(&p.name)
        );
        for (position, preference) in cands {
            let _ = write!(
                s,
                r#"<Selection><Candidate><CandidateIdentifier Id="{position}"></CandidateIdentifier>{}</Candidate><Ranking>{}</Ranking><Elected>yes</Elected></Selection>"#,
                candidate_name(*number, *position),
                if *preference { 1 } else { 2 }
            );
        }
    }
    s.push_str("</Contest></Election></Result></EML>");
    s
}

/// The elected of a list whose votes are all on candidate 1: candidate 1 on preference votes,
/// the next ones in list order.
pub fn first_then_list_order(number: u32, seats: u32) -> (u32, Vec<(u32, bool)>) {
    (number, (1..=seats).map(|p| (p, p == 1)).collect())
}

/// Reads named texts into one bundle, as `load_paths` would from a folder `dir`.
pub fn bundle(dir: &str, files: &[(String, String)]) -> eml::Bundle {
    let mut b = eml::Bundle::default();
    for (name, text) in files {
        let src = eml::SourceRef::file(format!("{dir}/{name}"));
        let one = eml::load_bytes(&src, text.as_bytes(), &eml::LoadOptions::default());
        b.documents.extend(one.documents);
        b.problems.extend(one.problems);
    }
    b
}
