//! Unit tests with small hand-written fixtures: every reader and every error kind.

use std::io::Write;

use eml::{
    CountKind, Document, DocumentType, ErrorKind, Gender, InvestigationReason, ListType,
    LoadOptions, Ranking, RegionCategory, ReportingUnitType, SourceRef, UncountedReason, identify,
    load_bytes, parse_candidate_lists, parse_count, parse_document, parse_election_definition,
    parse_polling_stations, parse_result,
};

const NS: &str = r#"xmlns="urn:oasis:names:tc:evs:schema:eml" xmlns:kr="http://www.kiesraad.nl/extensions" xmlns:xnl="urn:oasis:names:tc:ciq:xsdschema:xNL:2.0" xmlns:xal="urn:oasis:names:tc:ciq:xsdschema:xAL:2.0""#;

fn def_110a() -> String {
    format!(
        r#"<?xml version="1.0" encoding="UTF-8" standalone="yes"?>
<EML {NS} Id="110a" SchemaVersion="5">
    <TransactionId>1</TransactionId>
    <IssueDate>2026-02-06</IssueDate>
    <kr:CreationDateTime>2026-02-06T17:12:43.797</kr:CreationDateTime>
    <ElectionEvent>
        <EventIdentifier/>
        <Election>
            <ElectionIdentifier Id="GR2026_Testdorp">
                <ElectionName>Gemeenteraad Testdorp 2026</ElectionName>
                <ElectionCategory>GR</ElectionCategory>
                <kr:ElectionSubcategory>GR1</kr:ElectionSubcategory>
                <kr:ElectionDomain Id="0999">Testdorp</kr:ElectionDomain>
                <kr:ElectionDate>2026-03-18</kr:ElectionDate>
                <kr:NominationDate>2026-02-02</kr:NominationDate>
            </ElectionIdentifier>
            <Contest>
                <ContestIdentifier Id="geen"/>
                <VotingMethod>SPV</VotingMethod>
                <MaxVotes></MaxVotes>
            </Contest>
            <kr:NumberOfSeats>11</kr:NumberOfSeats>
            <kr:PreferenceThreshold>50</kr:PreferenceThreshold>
            <kr:ElectionTree>
                <kr:Region RegionNumber="999" RegionCategory="GEMEENTE" FrysianExportAllowed="true">
                    <kr:RegionName>Testdorp</kr:RegionName>
                    <kr:Committee CommitteeCategory="CSB"/>
                    <kr:Committee CommitteeCategory="HSB" CommitteeName="Hoofdstembureau Testdorp"/>
                </kr:Region>
                <kr:Region RegionNumber="1" RegionCategory="STEMBUREAU" SuperiorRegionNumber="999" SuperiorRegionCategory="GEMEENTE">
                    <kr:RegionName>Stembureau Dorpshuis</kr:RegionName>
                </kr:Region>
            </kr:ElectionTree>
            <kr:RegisteredParties>
                <kr:RegisteredParty><kr:RegisteredAppellation>Partij &amp; Co</kr:RegisteredAppellation></kr:RegisteredParty>
                <kr:RegisteredParty><kr:RegisteredAppellation>Fryske Nasjonale Partij</kr:RegisteredAppellation></kr:RegisteredParty>
            </kr:RegisteredParties>
        </Election>
    </ElectionEvent>
</EML>"#
    )
}

#[test]
fn reads_110a() {
    let d = parse_election_definition(def_110a().as_bytes()).unwrap();
    assert_eq!(d.header.eml_id, "110a");
    assert_eq!(d.election.id, "GR2026_Testdorp");
    assert_eq!(d.election.category.as_deref(), Some("GR"));
    assert_eq!(d.election.subcategory.as_deref(), Some("GR1"));
    assert_eq!(
        d.election.domain.as_ref().unwrap().id.as_deref(),
        Some("0999")
    );
    assert_eq!(d.election.election_date.as_deref(), Some("2026-03-18"));
    assert_eq!(d.number_of_seats, 11);
    assert_eq!(d.preference_threshold, Some(50));
    assert_eq!(d.max_votes, None);
    assert_eq!(d.regions.len(), 2);
    assert!(d.regions[0].frysian_export_allowed);
    assert_eq!(
        d.regions[0].committees[1].name.as_deref(),
        Some("Hoofdstembureau Testdorp")
    );
    let children: Vec<_> = d.children_of(&d.regions[0]).collect();
    assert_eq!(children.len(), 1);
    assert_eq!(children[0].category, RegionCategory::Stembureau);
    assert_eq!(d.registered_parties[0].appellation, "Partij & Co");
    assert_eq!(
        identify(def_110a().as_bytes()).unwrap(),
        DocumentType::Eml110a
    );
}

#[test]
fn reads_110b() {
    let src = format!(
        r#"<EML {NS} xmlns:sb="http://www.kiesraad.nl/sb-extensions" Id="110b" SchemaVersion="5">
<TransactionId>1</TransactionId>
<ManagingAuthority><AuthorityIdentifier Id="0999">Testdorp</AuthorityIdentifier><AuthorityAddress/></ManagingAuthority>
<ElectionEvent><EventIdentifier/><Election>
<ElectionIdentifier Id="GR2026_Testdorp"><ElectionName>Gemeenteraad Testdorp 2026</ElectionName><ElectionCategory>GR</ElectionCategory><kr:ElectionDate>2026-03-18</kr:ElectionDate></ElectionIdentifier>
<Contest>
  <ContestIdentifier Id="geen"/>
  <ReportingUnit><ReportingUnitIdentifier Id="0999">Testdorp</ReportingUnitIdentifier></ReportingUnit>
  <VotingMethod>SPV</VotingMethod><MaxVotes>1</MaxVotes>
  <PollingPlace Channel="polling"><PhysicalLocation>
    <Address><xal:Locality><xal:LocalityName>Testdorp</xal:LocalityName><xal:PostalCode><xal:PostalCodeNumber>9999 AA</xal:PostalCodeNumber></xal:PostalCode></xal:Locality>
      <sb:Location><sb:StreetName>Dorpsstraat</sb:StreetName><sb:Number>1</sb:Number><sb:OpeningHours><sb:OpenTime>2026-03-18T07:30:00</sb:OpenTime></sb:OpeningHours></sb:Location>
    </Address>
    <PollingStation Id="1">1234</PollingStation>
    <kr:ReportingUnitType>FixedLocation</kr:ReportingUnitType>
    <kr:SharedLocation>false</kr:SharedLocation>
  </PhysicalLocation></PollingPlace>
  <PollingPlace Channel="polling"><PhysicalLocation>
    <Address><xal:Locality><xal:LocalityName>Testdorp</xal:LocalityName></xal:Locality></Address>
    <PollingStation Id="2">567</PollingStation>
    <kr:ReportingUnitType>Mobile</kr:ReportingUnitType>
  </PhysicalLocation></PollingPlace>
</Contest></Election></ElectionEvent></EML>"#
    );
    let p = parse_polling_stations(src.as_bytes()).unwrap();
    let c = &p.contests[0];
    assert_eq!(c.reporting_unit.as_ref().unwrap().id, "0999");
    assert_eq!(c.polling_places.len(), 2);
    let pp = &c.polling_places[0];
    assert_eq!(pp.polling_station_id, "1");
    assert_eq!(pp.polling_station_text.as_deref(), Some("1234"));
    assert_eq!(pp.postal_code.as_deref(), Some("9999 AA"));
    assert_eq!(pp.locality.as_deref(), Some("Testdorp"));
    assert_eq!(pp.unit_type, Some(ReportingUnitType::FixedLocation));
    assert_eq!(pp.shared_location, Some(false));
    assert_eq!(pp.locations[0].get("StreetName"), Some("Dorpsstraat"));
    assert_eq!(
        pp.locations[0].get("OpeningHours/OpenTime"),
        Some("2026-03-18T07:30:00")
    );
    assert_eq!(
        c.polling_places[1].unit_type,
        Some(ReportingUnitType::Mobile)
    );
    // duplicate polling station ids
    let dup = src.replace("<PollingStation Id=\"2\">", "<PollingStation Id=\"1\">");
    assert!(matches!(
        parse_polling_stations(dup.as_bytes()).unwrap_err().kind,
        ErrorKind::DuplicateId { .. }
    ));
}

fn lists_230b() -> String {
    format!(
        r#"<EML {NS} Id="230b" SchemaVersion="5"><TransactionId>1</TransactionId><ManagingAuthority><AuthorityIdentifier Id="CSB">De Kiesraad</AuthorityIdentifier><AuthorityAddress></AuthorityAddress></ManagingAuthority><IssueDate>2021-02-09</IssueDate><CandidateList><Election><ElectionIdentifier Id="TK2021"><ElectionName>Tweede Kamer der Staten-Generaal 2021</ElectionName><ElectionCategory>TK</ElectionCategory><kr:ElectionSubcategory>TK</kr:ElectionSubcategory><kr:ElectionDate>2021-03-17</kr:ElectionDate></ElectionIdentifier><Contest><ContestIdentifier Id="9"><ContestName>Amsterdam</ContestName></ContestIdentifier>
<Affiliation><AffiliationIdentifier Id="1"><RegisteredName>Lijst Één</RegisteredName></AffiliationIdentifier><Type>stel gelijkluidende lijsten</Type><kr:ListData BelongsToSet="1" PublicationLanguage="nl" PublishGender="true"></kr:ListData>
<Candidate><CandidateIdentifier Id="1"></CandidateIdentifier><CandidateFullName><xnl:PersonName><xnl:NameLine NameType="Initials">D.</xnl:NameLine><xnl:FirstName>Dilan</xnl:FirstName><xnl:LastName>Yeşilgöz-Zegerius</xnl:LastName></xnl:PersonName></CandidateFullName><Gender>female</Gender><QualifyingAddress><xal:Locality><xal:LocalityName>Amsterdam</xal:LocalityName></xal:Locality></QualifyingAddress></Candidate>
<Candidate><CandidateIdentifier Id="2" ShortCode="WoutB"></CandidateIdentifier><CandidateFullName><xnl:PersonName><xnl:NameLine NameType="Initials">B.</xnl:NameLine><xnl:NamePrefix>van 't</xnl:NamePrefix><xnl:LastName>Wout</xnl:LastName></xnl:PersonName></CandidateFullName><QualifyingAddress><xal:Country><xal:CountryNameCode>BE</xal:CountryNameCode><xal:Locality><xal:LocalityName>Brussel</xal:LocalityName></xal:Locality></xal:Country></QualifyingAddress></Candidate>
</Affiliation>
<Affiliation><AffiliationIdentifier Id="2"><RegisteredName>ChristenUnie</RegisteredName></AffiliationIdentifier><Type>lijstengroep</Type><kr:ListData PublicationLanguage="nl" PublishGender="false"></kr:ListData>
<Candidate><CandidateIdentifier Id="1"></CandidateIdentifier><CandidateFullName><xnl:PersonName><xnl:NameLine NameType="Initials">G.J.M.</xnl:NameLine><xnl:LastName>Segers</xnl:LastName></xnl:PersonName></CandidateFullName><Gender>male</Gender></Candidate>
</Affiliation></Contest></Election></CandidateList></EML>"#
    )
}

#[test]
fn reads_230b() {
    let cl = parse_candidate_lists(lists_230b().as_bytes()).unwrap();
    let c = cl.contest("9").unwrap();
    assert_eq!(c.contest.name.as_deref(), Some("Amsterdam"));
    assert_eq!(c.lists.len(), 2);
    let l1 = &c.lists[0];
    assert_eq!(l1.name.as_deref(), Some("Lijst Één"));
    assert_eq!(l1.list_type, Some(ListType::StelGelijkluidendeLijsten));
    assert_eq!(l1.list_data.as_ref().unwrap().belongs_to_set, Some(1));
    assert_eq!(l1.list_data.as_ref().unwrap().publish_gender, Some(true));
    let d = l1.candidate(1).unwrap();
    assert_eq!(d.name.last_name.as_deref(), Some("Yeşilgöz-Zegerius"));
    assert_eq!(d.name.first_name.as_deref(), Some("Dilan"));
    assert_eq!(d.gender, Some(Gender::Female));
    assert_eq!(d.locality.as_deref(), Some("Amsterdam"));
    let w = l1.candidate(2).unwrap();
    assert_eq!(w.short_code.as_deref(), Some("WoutB"));
    assert_eq!(w.name.list_name(), "van 't Wout, B.");
    assert_eq!(w.country_code.as_deref(), Some("BE"));
    assert_eq!(w.locality.as_deref(), Some("Brussel"));
    assert_eq!(c.lists[1].list_type, Some(ListType::Lijstengroep));
    assert!(cl.contest("10").is_none());

    let dup = lists_230b().replace(
        "<CandidateIdentifier Id=\"2\" ",
        "<CandidateIdentifier Id=\"1\" ",
    );
    let e = parse_candidate_lists(dup.as_bytes()).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::DuplicateId { .. }), "{e}");
    let dup = lists_230b().replace(
        "<AffiliationIdentifier Id=\"2\">",
        "<AffiliationIdentifier Id=\"1\">",
    );
    assert!(matches!(
        parse_candidate_lists(dup.as_bytes()).unwrap_err().kind,
        ErrorKind::DuplicateId { .. }
    ));
    let bad = lists_230b().replace("<Type>lijstengroep</Type>", "<Type>kartel</Type>");
    assert!(matches!(
        parse_candidate_lists(bad.as_bytes()).unwrap_err().kind,
        ErrorKind::InvalidValue { .. }
    ));
}

fn count_510b() -> String {
    format!(
        r#"<EML {NS} Id="510b" SchemaVersion="5"><TransactionId>1</TransactionId><ManagingAuthority><AuthorityIdentifier Id="0088">Schiermonnikoog</AuthorityIdentifier><AuthorityAddress></AuthorityAddress></ManagingAuthority><kr:CreationDateTime>2026-03-19T10:36:35.759</kr:CreationDateTime><Count><EventIdentifier></EventIdentifier><Election><ElectionIdentifier Id="GR2026_Schiermonnikoog"><ElectionName>Gemeenteraad Schiermonnikoog 2026</ElectionName><ElectionCategory>GR</ElectionCategory><kr:ElectionSubcategory>GR1</kr:ElectionSubcategory><kr:ElectionDomain Id="0088">Schiermonnikoog</kr:ElectionDomain><kr:ElectionDate>2026-03-18</kr:ElectionDate></ElectionIdentifier><Contests><Contest><ContestIdentifier Id="geen"></ContestIdentifier>
<TotalVotes>
  <Selection><AffiliationIdentifier Id="1"><RegisteredName>Ons Belang</RegisteredName></AffiliationIdentifier><ValidVotes>30</ValidVotes></Selection>
  <Selection><Candidate><CandidateIdentifier Id="1"></CandidateIdentifier></Candidate><ValidVotes>20</ValidVotes></Selection>
  <Selection><Candidate><CandidateIdentifier Id="2"/></Candidate><ValidVotes>10</ValidVotes></Selection>
  <Selection><AffiliationIdentifier Id="2"><RegisteredName>Dorp &amp; Duin</RegisteredName></AffiliationIdentifier><ValidVotes>5</ValidVotes></Selection>
  <Selection><Candidate><CandidateIdentifier Id="1"></CandidateIdentifier></Candidate><ValidVotes>5</ValidVotes></Selection>
  <Cast>100</Cast><TotalCounted>35</TotalCounted><RejectedVotes ReasonCode="ongeldig">1</RejectedVotes><RejectedVotes ReasonCode="blanco">2</RejectedVotes>
  <UncountedVotes ReasonCode="geldige stempassen">30</UncountedVotes><UncountedVotes ReasonCode="geldige volmachtbewijzen">8</UncountedVotes><UncountedVotes ReasonCode="toegelaten kiezers">38</UncountedVotes>
</TotalVotes>
<ReportingUnitVotes><ReportingUnitIdentifier Id="0088::SB1">Stembureau Gemeentehuis (postcode: 9166 LX)</ReportingUnitIdentifier>
  <Selection><AffiliationIdentifier Id="1"><RegisteredName>Ons Belang</RegisteredName></AffiliationIdentifier><ValidVotes>30</ValidVotes></Selection>
  <Selection><Candidate><CandidateIdentifier Id="1"></CandidateIdentifier></Candidate><ValidVotes>20</ValidVotes></Selection>
  <Selection><Candidate><CandidateIdentifier Id="2"></CandidateIdentifier></Candidate><ValidVotes>10</ValidVotes></Selection>
  <Selection><AffiliationIdentifier Id="2"><RegisteredName>Dorp &amp; Duin</RegisteredName></AffiliationIdentifier><ValidVotes>5</ValidVotes></Selection>
  <Selection><Candidate><CandidateIdentifier Id="1"></CandidateIdentifier></Candidate><kr:InitialValidVotes>6</kr:InitialValidVotes><ValidVotes>5</ValidVotes></Selection>
  <Cast>100</Cast><TotalCounted>35</TotalCounted><RejectedVotes ReasonCode="ongeldig">1</RejectedVotes><RejectedVotes ReasonCode="blanco">2</RejectedVotes>
  <UncountedVotes ReasonCode="geldige stempassen">30</UncountedVotes><UncountedVotes ReasonCode="geldige volmachtbewijzen">8</UncountedVotes><UncountedVotes ReasonCode="toegelaten kiezers">38</UncountedVotes>
  <kr:ReportingUnitInvestigations><kr:Investigation ReasonCode="onderzocht vanwege onverklaard verschil">false</kr:Investigation><kr:Investigation ReasonCode="uitslag gecorrigeerd">true</kr:Investigation></kr:ReportingUnitInvestigations>
</ReportingUnitVotes>
</Contest></Contests></Election></Count></EML>"#
    )
}

#[test]
fn reads_510b() {
    let c = parse_count(count_510b().as_bytes()).unwrap();
    assert_eq!(c.kind, CountKind::B);
    assert_eq!(
        c.header.managing_authority.as_ref().unwrap().id.as_deref(),
        Some("0088")
    );
    let contest = &c.contests[0];
    let t = contest.total.as_ref().unwrap();
    assert_eq!(t.cast, 100);
    assert_eq!(t.total_counted, 35);
    assert_eq!(t.rejected.invalid, 1);
    assert_eq!(t.rejected.blank, 2);
    assert_eq!(t.ballots_found(), Some(38));
    assert_eq!(
        t.uncounted.get(UncountedReason::ToegelatenKiezers),
        Some(38)
    );
    assert_eq!(t.uncounted.get(UncountedReason::GeldigeKiezerspassen), None);
    assert_eq!(t.lists.len(), 2);
    assert_eq!(&*t.lists[1].name, "Dorp & Duin");
    assert_eq!(t.list(1).unwrap().candidate(2).unwrap().valid_votes, 10);
    let ru = &contest.reporting_units[0];
    assert_eq!(ru.id, "0088::SB1");
    assert_eq!(ru.name, "Stembureau Gemeentehuis (postcode: 9166 LX)");
    assert_eq!(ru.votes.lists[1].candidates[0].initial_valid_votes, Some(6));
    let inv = ru.investigations.as_ref().unwrap();
    assert_eq!(inv.len(), 2);
    assert_eq!(inv[1].reason, InvestigationReason::UitslagGecorrigeerd);
    assert!(inv[1].value);
    // interned names are shared
    assert!(std::sync::Arc::ptr_eq(
        &t.lists[0].name,
        &ru.votes.lists[0].name
    ));
}

#[test]
fn reads_510d_with_short_codes_only() {
    let src = format!(
        r#"<EML {NS} Id="510d" SchemaVersion="5"><TransactionId>1</TransactionId><Count><EventIdentifier/><Election><ElectionIdentifier Id="TK2021"><ElectionCategory>TK</ElectionCategory><kr:ElectionDate>2021-03-17</kr:ElectionDate></ElectionIdentifier><Contests><Contest><ContestIdentifier Id="alle"/>
<TotalVotes>
<Selection>
<AffiliationIdentifier Id="1">
<RegisteredName>VVD</RegisteredName>
</AffiliationIdentifier>
<ValidVotes>2279130</ValidVotes>
</Selection>
<Selection>
<Candidate>
<CandidateIdentifier ShortCode="RutteM">
</CandidateIdentifier>
</Candidate>
<ValidVotes>1977651</ValidVotes>
</Selection>
<Selection><Candidate><CandidateIdentifier ShortCode="YeşilgözZegerD"></CandidateIdentifier></Candidate><ValidVotes>45630</ValidVotes></Selection>
<Cast>13293186</Cast><TotalCounted>10422852</TotalCounted><RejectedVotes ReasonCode="ongeldig">27151</RejectedVotes><RejectedVotes ReasonCode="blanco">16451</RejectedVotes>
</TotalVotes>
<ReportingUnitVotes><ReportingUnitIdentifier Id="HSB1">Kieskring Groningen</ReportingUnitIdentifier>
<Selection><AffiliationIdentifier Id="1"><RegisteredName>VVD</RegisteredName></AffiliationIdentifier><ValidVotes>53539</ValidVotes></Selection>
<Selection><Candidate><CandidateIdentifier Id="1" ShortCode="RutteM"></CandidateIdentifier></Candidate><ValidVotes>40000</ValidVotes></Selection>
<Cast>1</Cast><TotalCounted>1</TotalCounted><RejectedVotes ReasonCode="ongeldig">0</RejectedVotes><RejectedVotes ReasonCode="blanco">0</RejectedVotes>
</ReportingUnitVotes>
</Contest></Contests></Election></Count></EML>"#
    );
    let c = parse_count(src.as_bytes()).unwrap();
    assert_eq!(c.kind, CountKind::D);
    assert_eq!(c.kind.unit_level(), "kieskring");
    let t = c.contests[0].total.as_ref().unwrap();
    let cands = &t.lists[0].candidates;
    assert_eq!(cands[0].id, None);
    assert_eq!(cands[0].short_code.as_deref(), Some("RutteM"));
    assert_eq!(cands[1].short_code.as_deref(), Some("YeşilgözZegerD"));
    let ru = &c.contests[0].reporting_units[0].votes.lists[0].candidates[0];
    assert_eq!((ru.id, ru.short_code.as_deref()), (Some(1), Some("RutteM")));
    // duplicate ShortCode in one list
    let dup = src.replace("YeşilgözZegerD", "RutteM");
    assert!(matches!(
        parse_count(dup.as_bytes()).unwrap_err().kind,
        ErrorKind::DuplicateId { .. }
    ));
}

#[test]
fn count_errors() {
    let base = count_510b();
    let check = |src: &str, pred: fn(&ErrorKind) -> bool| {
        let e = parse_count(src.as_bytes()).unwrap_err();
        assert!(pred(&e.kind), "unexpected {e}");
        assert!(e.position.is_some(), "no position for {e}");
        e
    };
    // negative
    let e = check(
        &base.replacen(
            "<ValidVotes>20</ValidVotes>",
            "<ValidVotes>-20</ValidVotes>",
            1,
        ),
        |k| matches!(k, ErrorKind::NegativeNumber(_)),
    );
    assert_eq!(e.position.unwrap().line, 4);
    check(
        &base.replacen("<Cast>100</Cast>", "<Cast>-1</Cast>", 1),
        |k| matches!(k, ErrorKind::NegativeNumber(_)),
    );
    // overflow of u64
    check(
        &base.replacen("<Cast>100</Cast>", "<Cast>18446744073709551616</Cast>", 1),
        |k| matches!(k, ErrorKind::NumberOverflow(_)),
    );
    // overflow of the u32 id
    check(
        &base.replacen(
            "<CandidateIdentifier Id=\"1\">",
            "<CandidateIdentifier Id=\"4294967296\">",
            1,
        ),
        |k| matches!(k, ErrorKind::NumberOverflow(_)),
    );
    check(
        &base.replacen("<Cast>100</Cast>", "<Cast>1O0</Cast>", 1),
        |k| matches!(k, ErrorKind::InvalidNumber(_)),
    );
    // duplicate ids
    check(
        &base.replacen(
            "<CandidateIdentifier Id=\"2\"/>",
            "<CandidateIdentifier Id=\"1\"/>",
            1,
        ),
        |k| matches!(k, ErrorKind::DuplicateId { .. }),
    );
    check(
        &base.replacen(
            "<AffiliationIdentifier Id=\"2\">",
            "<AffiliationIdentifier Id=\"1\">",
            1,
        ),
        |k| matches!(k, ErrorKind::DuplicateId { .. }),
    );
    let two_units = base.replace(
        "</ReportingUnitVotes>",
        "</ReportingUnitVotes><ReportingUnitVotes><ReportingUnitIdentifier Id=\"0088::SB1\">x</ReportingUnitIdentifier><Cast>0</Cast><TotalCounted>0</TotalCounted><RejectedVotes ReasonCode=\"ongeldig\">0</RejectedVotes><RejectedVotes ReasonCode=\"blanco\">0</RejectedVotes></ReportingUnitVotes>",
    );
    check(&two_units, |k| matches!(k, ErrorKind::DuplicateId { .. }));
    check(
        &base.replacen("<Cast>100</Cast>", "<Cast>100</Cast><Cast>100</Cast>", 1),
        |k| matches!(k, ErrorKind::UnexpectedElement { .. }),
    );
    // missing required element
    check(&base.replacen("<Cast>100</Cast>", "", 1), |k| {
        matches!(k, ErrorKind::MissingElement { .. })
    });
    check(&base.replacen("<ValidVotes>20</ValidVotes>", "", 1), |k| {
        matches!(k, ErrorKind::MissingElement { .. })
    });
    // unknown reason code
    check(
        &base.replacen("geldige stempassen", "gevonden stempassen", 1),
        |k| matches!(k, ErrorKind::InvalidValue { .. }),
    );
    // candidate before any list
    check(
        &base.replacen(
            "<TotalVotes>",
            "<TotalVotes><Selection><Candidate><CandidateIdentifier Id=\"9\"/></Candidate><ValidVotes>1</ValidVotes></Selection>",
            1,
        ),
        |k| matches!(k, ErrorKind::UnexpectedElement { .. }),
    );
    // truncated at every position keeps failing cleanly
    for cut in [10, 200, 1000, base.len() / 2, base.len() - 7] {
        let e = parse_count(&base.as_bytes()[..cut]).unwrap_err();
        assert!(
            matches!(
                e.kind,
                ErrorKind::Truncated { .. } | ErrorKind::NotUtf8 | ErrorKind::MalformedXml(_)
            ),
            "cut {cut}: {e}"
        );
    }
    let e = parse_count(&base.as_bytes()[..base.len() - 7]).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::Truncated { .. }));
    // mismatched end tag
    check(
        &base.replacen("</ValidVotes></Selection>", "</ValidVotes></Selectio>", 1),
        |k| matches!(k, ErrorKind::MismatchedEndTag { .. }),
    );
}

#[test]
fn namespace_and_eml_id_checks() {
    let base = count_510b();
    let wrong_ns = base.replace("urn:oasis:names:tc:evs:schema:eml", "urn:example:not-eml");
    let e = parse_count(wrong_ns.as_bytes()).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::WrongNamespace { .. }), "{e}");
    assert!(identify(wrong_ns.as_bytes()).is_err());
    let no_ns = base.replace("xmlns=\"urn:oasis:names:tc:evs:schema:eml\"", "");
    assert!(matches!(
        parse_count(no_ns.as_bytes()).unwrap_err().kind,
        ErrorKind::WrongNamespace { .. }
    ));
    // a prefixed root and prefixed elements are fine
    let prefixed = base
        .replace("xmlns=\"urn:oasis", "xmlns:eml=\"urn:oasis")
        .replace("<EML ", "<eml:EML ")
        .replace("</EML>", "</eml:EML>")
        .replace("<Selection>", "<eml:Selection>")
        .replace("</Selection>", "</eml:Selection>");
    let c = parse_count(prefixed.as_bytes()).unwrap();
    assert_eq!(c, parse_count(base.as_bytes()).unwrap());
    // wrong EML id for the reader
    let e = parse_count(lists_230b().as_bytes()).unwrap_err();
    assert!(matches!(e.kind, ErrorKind::WrongEmlId { .. }), "{e}");
    assert!(matches!(
        parse_result(base.as_bytes()).unwrap_err().kind,
        ErrorKind::WrongEmlId { .. }
    ));
    let unknown = base.replace("Id=\"510b\"", "Id=\"630\"");
    assert!(matches!(
        identify(unknown.as_bytes()).unwrap_err().kind,
        ErrorKind::UnsupportedEmlId(_)
    ));
    let missing = base.replace("Id=\"510b\" ", "");
    assert!(matches!(
        parse_count(missing.as_bytes()).unwrap_err().kind,
        ErrorKind::MissingEmlId
    ));
    // not EML at all
    let e = parse_document(b"<Candidate>\n<Candidate>\n").unwrap_err();
    assert!(matches!(e.kind, ErrorKind::NotEml { .. }), "{e}");
    assert_eq!(e.position.unwrap().line, 1);
}

#[test]
fn encoding_errors() {
    let mut bytes = count_510b().into_bytes();
    let i = bytes.windows(10).position(|w| w == b"Ons Belang").unwrap();
    bytes[i] = 0xFF;
    let e = parse_count(&bytes).unwrap_err();
    assert_eq!(e.kind, ErrorKind::NotUtf8);
    assert_eq!(e.position.unwrap().byte_offset, i as u64);
    let e = parse_document(b"\xFF\xFE<\0E\0").unwrap_err();
    assert!(matches!(e.kind, ErrorKind::UnsupportedEncoding(_)), "{e}");
    let latin = count_510b().replacen(
        "<EML",
        "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><EML",
        1,
    );
    assert!(matches!(
        parse_count(latin.as_bytes()).unwrap_err().kind,
        ErrorKind::UnsupportedEncoding(_)
    ));
    // BOM is fine
    let bom = format!("\u{feff}{}", count_510b());
    assert!(parse_count(bom.as_bytes()).is_ok());
    let doctype = format!("<!DOCTYPE EML [<!ENTITY x \"y\">]>{}", count_510b());
    assert_eq!(
        parse_count(doctype.as_bytes()).unwrap_err().kind,
        ErrorKind::DoctypeNotAllowed
    );
}

fn result_520() -> String {
    format!(
        r#"<EML {NS} Id="520" SchemaVersion="5"><TransactionId>1</TransactionId><ManagingAuthority><AuthorityIdentifier Id="CSB">Nederland</AuthorityIdentifier></ManagingAuthority><Result><Election><ElectionIdentifier Id="TK2021"><ElectionName>Tweede Kamer der Staten-Generaal 2021</ElectionName><ElectionCategory>TK</ElectionCategory><kr:ElectionDate>2021-03-17</kr:ElectionDate></ElectionIdentifier><Contest><ContestIdentifier Id="alle"></ContestIdentifier>
<Selection><AffiliationIdentifier Id="1"><RegisteredName>VVD</RegisteredName></AffiliationIdentifier><Elected>yes</Elected></Selection>
<Selection><Candidate><CandidateIdentifier Id="1" ShortCode="RutteM"></CandidateIdentifier><CandidateFullName><xnl:PersonName><xnl:NameLine NameType="Initials">M.</xnl:NameLine><xnl:FirstName>Mark</xnl:FirstName><xnl:NamePrefix></xnl:NamePrefix><xnl:LastName>Rutte</xnl:LastName></xnl:PersonName></CandidateFullName><Gender>male</Gender><QualifyingAddress><xal:Locality><xal:LocalityName>'s-Gravenhage</xal:LocalityName></xal:Locality></QualifyingAddress></Candidate><Ranking>1</Ranking><Elected>yes</Elected></Selection>
<Selection><Candidate><CandidateIdentifier Id="2"></CandidateIdentifier><CandidateFullName><xnl:PersonName><xnl:NameLine NameType="Initials">T.</xnl:NameLine><xnl:NamePrefix>van</xnl:NamePrefix><xnl:LastName>Ark</xnl:LastName></xnl:PersonName></CandidateFullName></Candidate><Ranking>2</Ranking><Elected>yes</Elected></Selection>
<Selection><AffiliationIdentifier Id="2"><RegisteredName>Klein</RegisteredName></AffiliationIdentifier><Elected>no</Elected></Selection>
</Contest></Election></Result></EML>"#
    )
}

#[test]
fn reads_520() {
    let r = parse_result(result_520().as_bytes()).unwrap();
    let c = &r.contests[0];
    assert_eq!(c.lists.len(), 2);
    let l = &c.lists[0];
    assert!(l.elected);
    assert_eq!(l.candidates.len(), 2);
    let m = &l.candidates[0];
    assert_eq!(m.short_code.as_deref(), Some("RutteM"));
    assert_eq!(m.name.prefix, None, "empty NamePrefix reads as None");
    assert_eq!(m.ranking, Some(Ranking::Preference));
    assert_eq!(l.candidates[1].ranking, Some(Ranking::ListOrder));
    assert_eq!(l.candidates[1].name.list_name(), "van Ark, T.");
    assert!(!c.lists[1].elected);
    assert_eq!(r.elected_candidates().count(), 2);
    let bad = result_520().replace("<Ranking>2</Ranking>", "<Ranking>3</Ranking>");
    assert!(matches!(
        parse_result(bad.as_bytes()).unwrap_err().kind,
        ErrorKind::InvalidValue { .. }
    ));
    let dup = result_520().replace(
        "<CandidateIdentifier Id=\"2\">",
        "<CandidateIdentifier Id=\"1\">",
    );
    assert!(matches!(
        parse_result(dup.as_bytes()).unwrap_err().kind,
        ErrorKind::DuplicateId { .. }
    ));
    let no_elected = result_520().replacen("<Elected>yes</Elected>", "", 1);
    assert!(matches!(
        parse_result(no_elected.as_bytes()).unwrap_err().kind,
        ErrorKind::MissingElement { .. }
    ));
}

#[test]
fn identify_by_content_not_name() {
    assert_eq!(
        identify(count_510b().as_bytes()).unwrap(),
        DocumentType::Eml510(CountKind::B)
    );
    assert_eq!(
        identify(lists_230b().as_bytes()).unwrap(),
        DocumentType::Eml230b
    );
    assert_eq!(
        identify(result_520().as_bytes()).unwrap(),
        DocumentType::Eml520
    );
    assert!(matches!(
        identify(b"hello world").unwrap_err().kind,
        ErrorKind::UnknownFormat
    ));
    assert!(matches!(
        parse_document(result_520().as_bytes()).unwrap(),
        Document::Result(_)
    ));
    // A 520 named like a count is still a 520.
    let b = load_bytes(
        &SourceRef::file("Telling_x.eml.xml"),
        result_520().as_bytes(),
        &LoadOptions::default(),
    );
    assert!(matches!(b.documents[0].1, Document::Result(_)));
}

// ---------------------------------------------------------------------------------------------
// zip handling
// ---------------------------------------------------------------------------------------------

fn make_zip(entries: &[(&str, &[u8])], method: zip::CompressionMethod) -> Vec<u8> {
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default().compression_method(method);
        for (name, data) in entries {
            w.start_file(*name, opts).unwrap();
            w.write_all(data).unwrap();
        }
        w.finish().unwrap();
    }
    buf.into_inner()
}

#[test]
fn zip_bundle_loads_and_reports_problems() {
    let good = count_510b();
    let bad = good.replacen("<Cast>100</Cast>", "<Cast>-1</Cast>", 1);
    let z = make_zip(
        &[
            ("dir/Telling.eml.xml", good.as_bytes()),
            ("dir/Kapot.eml.xml", bad.as_bytes()),
            ("leesmij.txt", b"hallo"),
            ("dir/Kandidaten.eml.xml", lists_230b().as_bytes()),
        ],
        zip::CompressionMethod::Deflated,
    );
    let b = load_bytes(&SourceRef::file("bundle.zip"), &z, &LoadOptions::default());
    assert_eq!(b.documents.len(), 2);
    assert_eq!(
        b.documents[0].0.to_string(),
        "bundle.zip!dir/Telling.eml.xml"
    );
    assert_eq!(b.problems.len(), 1);
    let p = &b.problems[0];
    assert_eq!(p.source.to_string(), "bundle.zip!dir/Kapot.eml.xml");
    assert!(matches!(p.error.kind, ErrorKind::NegativeNumber(_)));
    let msg = p.to_string();
    assert!(msg.starts_with("bundle.zip!dir/Kapot.eml.xml:"), "{msg}");
    assert!(p.message_nl().contains("negatief"), "{}", p.message_nl());
    assert!(p.message_en().contains("negative"), "{}", p.message_en());
    assert_eq!(b.skipped.len(), 1);
    // nested zip
    let outer = make_zip(&[("inner.zip", &z)], zip::CompressionMethod::Stored);
    let b2 = load_bytes(
        &SourceRef::file("outer.zip"),
        &outer,
        &LoadOptions::default(),
    );
    assert_eq!(b2.documents.len(), 2);
    assert_eq!(
        b2.documents[0].0.to_string(),
        "outer.zip!inner.zip!dir/Telling.eml.xml"
    );
    // corrupt zip
    let mut broken = z.clone();
    broken.truncate(z.len() / 2);
    let b3 = load_bytes(
        &SourceRef::file("broken.zip"),
        &broken,
        &LoadOptions::default(),
    );
    assert!(b3.documents.is_empty());
    assert!(matches!(
        b3.problems[0].error.kind,
        ErrorKind::ZipCorrupt(_)
    ));
}

#[test]
fn zip_path_traversal_is_refused() {
    let good = count_510b();
    let z = make_zip(
        &[
            ("../../evil.eml.xml", good.as_bytes()),
            ("/abs.eml.xml", good.as_bytes()),
            ("ok/../../x.eml.xml", good.as_bytes()),
            ("fine.eml.xml", good.as_bytes()),
        ],
        zip::CompressionMethod::Stored,
    );
    let b = load_bytes(&SourceRef::file("t.zip"), &z, &LoadOptions::default());
    assert_eq!(b.documents.len(), 1);
    assert_eq!(b.problems.len(), 3);
    assert!(
        b.problems
            .iter()
            .all(|p| matches!(p.error.kind, ErrorKind::ZipPathTraversal(_)))
    );
}

#[test]
fn zip_bomb_is_capped() {
    let zeros = vec![b'0'; 4 << 20];
    let z = make_zip(&[("bomb.csv", &zeros)], zip::CompressionMethod::Deflated);
    assert!(
        z.len() < 64 << 10,
        "deflated zeros compress well: {}",
        z.len()
    );
    // ratio limit
    let b = load_bytes(&SourceRef::file("bomb.zip"), &z, &LoadOptions::default());
    assert!(b.documents.is_empty());
    assert!(
        matches!(&b.problems[0].error.kind, ErrorKind::TooLarge(m) if m.contains("ratio")),
        "{:?}",
        b.problems
    );
    // entry size limit (also when the declared size lies: the reader stops at the cap)
    let opts = LoadOptions {
        max_entry_size: 1 << 20,
        ..LoadOptions::default()
    };
    let b = load_bytes(&SourceRef::file("bomb.zip"), &z, &opts);
    assert!(matches!(&b.problems[0].error.kind, ErrorKind::TooLarge(_)));
    // total limit over several entries
    let small = vec![b'1'; 600 << 10];
    let z2 = make_zip(
        &[("a.txt", &small), ("b.txt", &small), ("c.txt", &small)],
        zip::CompressionMethod::Stored,
    );
    let opts = LoadOptions {
        max_total_uncompressed: 1 << 20,
        ..LoadOptions::default()
    };
    let b = load_bytes(&SourceRef::file("many.zip"), &z2, &opts);
    assert!(
        b.problems
            .iter()
            .any(|p| matches!(&p.error.kind, ErrorKind::TooLarge(m) if m.contains("total")))
    );
    // too many entries
    let opts = LoadOptions {
        max_entries: 2,
        ..LoadOptions::default()
    };
    let b = load_bytes(&SourceRef::file("many.zip"), &z2, &opts);
    assert!(matches!(&b.problems[0].error.kind, ErrorKind::TooLarge(_)));
}

#[test]
fn encrypted_zip_entry_is_refused() {
    let good = count_510b();
    let mut z = make_zip(
        &[("secret.eml.xml", good.as_bytes())],
        zip::CompressionMethod::Stored,
    );
    // Set the "encrypted" general-purpose flag (bit 0) in the local and central headers.
    for sig in [&b"PK\x03\x04"[..], &b"PK\x01\x02"[..]] {
        let i = z.windows(4).position(|w| w == sig).unwrap();
        let off = if sig[2] == 3 { 6 } else { 8 };
        z[i + off] |= 1;
    }
    let b = load_bytes(&SourceRef::file("enc.zip"), &z, &LoadOptions::default());
    assert!(b.documents.is_empty());
    assert!(
        matches!(b.problems[0].error.kind, ErrorKind::ZipEncrypted(_)),
        "{:?}",
        b.problems
    );
}

#[test]
fn writers_produce_csv_and_json() {
    let count = parse_count(count_510b().as_bytes()).unwrap();
    let tidy = String::from_utf8(eml::tidy::write_count(&count, None)).unwrap();
    let lines: Vec<&str> = tidy.lines().collect();
    assert_eq!(lines[0], eml::tidy::TIDY_HEADER);
    assert_eq!(lines[1], "gemeente,0088,Schiermonnikoog,1,Ons Belang,,,30");
    assert_eq!(lines[2], "gemeente,0088,Schiermonnikoog,1,Ons Belang,1,,20");
    assert!(lines.contains(
        &"stembureau,0088::SB1,Stembureau Gemeentehuis (postcode: 9166 LX),2,Dorp & Duin,1,,5"
    ));
    assert_eq!(lines.len(), 1 + 5 + 5);
    let json = eml::to_json(&Document::Count(count));
    assert!(
        json.starts_with("{\"type\":\"Count\",\"document\":{"),
        "{}",
        &json[..60]
    );
    assert!(json.contains("\"Dorp & Duin\""));
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["document"]["contests"][0]["total"]["cast"], 100);
    assert_eq!(
        v["document"]["contests"][0]["total"]["uncounted"]["toegelaten kiezers"],
        38
    );
}

#[test]
fn deep_nesting_in_tolerant_places_does_not_overflow() {
    let deep = format!("{}{}", "<xal:X>".repeat(200), "</xal:X>".repeat(200));
    let src = lists_230b().replace(
        "<xal:Locality><xal:LocalityName>Amsterdam</xal:LocalityName></xal:Locality>",
        &format!(
            "<xal:Locality>{deep}<xal:LocalityName>Amsterdam</xal:LocalityName></xal:Locality>"
        ),
    );
    assert!(parse_candidate_lists(src.as_bytes()).is_ok());
    let deeper = format!("{}{}", "<xal:X>".repeat(400), "</xal:X>".repeat(400));
    let src = lists_230b().replace("<xal:LocalityName>Amsterdam</xal:LocalityName>", &deeper);
    assert_eq!(
        parse_candidate_lists(src.as_bytes()).unwrap_err().kind,
        ErrorKind::TooDeep
    );
}
