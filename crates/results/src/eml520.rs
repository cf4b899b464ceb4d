//! Writes a recomputed result as EML 520 in the Kiesraad's layout (one line, the namespaces and
//! element order of the official files), valid against `520-result-kiesraad-strict.xsd`: every
//! list with seats, followed by its elected candidates in P 19 order with `Ranking` 1
//! (preference votes) or 2 (list order). As in the official files, a candidate's `Id` is the
//! elected order within the list.

use std::fmt::Write as _;

use crate::model::ElectionData;
use crate::recompute::Verification;

fn esc(s: &str) -> String {
    let mut o = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => o.push_str("&amp;"),
            '<' => o.push_str("&lt;"),
            '>' => o.push_str("&gt;"),
            '"' => o.push_str("&quot;"),
            _ => o.push(c),
        }
    }
    o
}

fn opt(out: &mut String, tag: &str, v: Option<&str>) {
    let _ = write!(out, "<{tag}>{}</{tag}>", esc(v.unwrap_or_default()));
}

/// The EML 520 of the recomputed outcome in `v` for election `e`. `creation` is the
/// `kr:CreationDateTime` (e.g. `2026-03-26T10:20:16.406`). Returns `None` when nothing was
/// computed.
pub fn write(e: &ElectionData, v: &Verification, creation: &str) -> Option<String> {
    let outcome = v.outcome.as_ref()?;
    let id = &e.identifier;
    let mut o = String::with_capacity(4096 + v.elected.len() * 600);
    o.push_str(
        r#"<?xml version="1.0" encoding="UTF-8"?><EML xmlns="urn:oasis:names:tc:evs:schema:eml" xmlns:ds="http://www.w3.org/2000/09/xmldsig#" xmlns:kr="http://www.kiesraad.nl/extensions" xmlns:xal="urn:oasis:names:tc:ciq:xsdschema:xAL:2.0" xmlns:xnl="urn:oasis:names:tc:ciq:xsdschema:xNL:2.0" Id="520" SchemaVersion="5"><TransactionId>1</TransactionId>"#,
    );
    let domain_name = id.domain.as_ref().and_then(|d| d.name.as_deref());
    let _ = write!(
        o,
        r#"<ManagingAuthority><AuthorityIdentifier Id="CSB">{}</AuthorityIdentifier><AuthorityAddress></AuthorityAddress></ManagingAuthority>"#,
        esc(domain_name.unwrap_or("Nederland"))
    );
    let _ = write!(
        o,
        r#"<kr:CreationDateTime>{}</kr:CreationDateTime><ds:CanonicalizationMethod Algorithm="http://www.w3.org/TR/2001/REC-xml-c14n-20010315#WithComments"></ds:CanonicalizationMethod>"#,
        esc(creation)
    );
    let _ = write!(
        o,
        r#"<Result><Election><ElectionIdentifier Id="{}">"#,
        esc(&e.id)
    );
    if let Some(n) = &id.name {
        opt(&mut o, "ElectionName", Some(n));
    }
    let category = id
        .category
        .clone()
        .or_else(|| e.body.map(|b| b.code().to_string()))
        .unwrap_or_default();
    opt(&mut o, "ElectionCategory", Some(&category));
    if let Some(s) = &id.subcategory {
        opt(&mut o, "kr:ElectionSubcategory", Some(s));
    }
    if let Some(d) = &id.domain {
        match &d.id {
            Some(i) => {
                let _ = write!(o, r#"<kr:ElectionDomain Id="{}">"#, esc(i));
            }
            None => o.push_str("<kr:ElectionDomain>"),
        }
        let _ = write!(
            o,
            "{}</kr:ElectionDomain>",
            esc(d.name.as_deref().unwrap_or_default())
        );
    }
    opt(
        &mut o,
        "kr:ElectionDate",
        Some(id.election_date.as_deref().unwrap_or_default()),
    );
    o.push_str("</ElectionIdentifier>");
    let contest = if e.contests().iter().any(|c| c.parse::<u32>().is_ok()) {
        "alle"
    } else {
        "geen"
    };
    let _ = write!(
        o,
        r#"<Contest><ContestIdentifier Id="{contest}"></ContestIdentifier>"#
    );
    for p in &outcome.parties {
        if p.seats == 0 {
            continue;
        }
        // The name as the candidate lists have it: empty for a list without an aanduiding
        // (the engine's name is then the report label `Lijst N (zonder aanduiding)`).
        let name = e
            .lists
            .iter()
            .find(|l| l.number == p.number)
            .map_or(p.name.as_str(), |l| l.name.as_str());
        let _ = write!(
            o,
            r#"<Selection><AffiliationIdentifier Id="{}"><RegisteredName>{}</RegisteredName></AffiliationIdentifier><Elected>yes</Elected></Selection>"#,
            p.number,
            esc(name)
        );
        for (n, c) in v.elected.iter().filter(|c| c.list == p.number).enumerate() {
            let d = &e.lists[c.def.list].candidates[c.def.candidate].candidate;
            let _ = write!(
                o,
                r#"<Selection><Candidate><CandidateIdentifier Id="{}""#,
                n + 1
            );
            if let Some(s) = d.short_code.as_deref().filter(|s| !s.is_empty()) {
                let _ = write!(o, r#" ShortCode="{}""#, esc(s));
            }
            o.push_str("></CandidateIdentifier><CandidateFullName><xnl:PersonName>");
            let _ = write!(
                o,
                r#"<xnl:NameLine NameType="Initials">{}</xnl:NameLine>"#,
                esc(d.name.initials.as_deref().unwrap_or_default())
            );
            if let Some(f) = &d.name.first_name {
                opt(&mut o, "xnl:FirstName", Some(f));
            }
            opt(&mut o, "xnl:NamePrefix", d.name.prefix.as_deref());
            opt(&mut o, "xnl:LastName", d.name.last_name.as_deref());
            o.push_str("</xnl:PersonName></CandidateFullName>");
            if let Some(g) = d.gender {
                let g = match g {
                    eml::Gender::Male => "male",
                    eml::Gender::Female => "female",
                    eml::Gender::Unknown => "unknown",
                };
                opt(&mut o, "Gender", Some(g));
            }
            let locality = format!(
                "<xal:Locality><xal:LocalityName>{}</xal:LocalityName></xal:Locality>",
                esc(d.locality.as_deref().unwrap_or_default())
            );
            match d
                .country_code
                .as_deref()
                .filter(|c| !c.is_empty() && *c != "NL")
            {
                Some(cc) => {
                    let _ = write!(
                        o,
                        "<QualifyingAddress><xal:Country><xal:CountryNameCode>{}</xal:CountryNameCode>{locality}</xal:Country></QualifyingAddress>",
                        esc(cc)
                    );
                }
                None => {
                    let _ = write!(o, "<QualifyingAddress>{locality}</QualifyingAddress>");
                }
            }
            let _ = write!(
                o,
                "</Candidate><Ranking>{}</Ranking><Elected>yes</Elected></Selection>",
                if c.by_preference { 1 } else { 2 }
            );
        }
    }
    o.push_str("</Contest></Election></Result></EML>");
    Some(o)
}
