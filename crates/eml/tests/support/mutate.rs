//! Deterministic input mutation for the stable fuzz test (`tests/fuzz_readers.rs`) and the
//! longer-running driver (`examples/fuzz_readers.rs`). No dependencies: a xorshift PRNG and a
//! handful of structure-aware mutations (truncate, flip, insert markup or numbers, splice).

#![allow(dead_code, clippy::cast_possible_truncation)]

use std::io::Write;
use std::path::PathBuf;

/// xorshift64* PRNG.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }

    pub fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        self.0 = x;
        x.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }

    pub fn below(&mut self, n: usize) -> usize {
        if n == 0 {
            0
        } else {
            (self.next() % n as u64) as usize
        }
    }
}

const SNIPPETS: &[&[u8]] = &[
    b"<",
    b">",
    b"/>",
    b"&",
    b"&amp;",
    b"&#0;",
    b"&#x110000;",
    b"&bogus;",
    b"\"",
    b"'",
    b"-",
    b"-1",
    b"18446744073709551616",
    b"99999999999999999999999",
    b"4294967296",
    b"\xFF",
    b"\xC3",
    b"\xEF\xBB\xBF",
    b"<![CDATA[x]]>",
    b"<!-- c -->",
    b"<!DOCTYPE x>",
    b"<?xml version='1.0' encoding='latin1'?>",
    b"<Selection>",
    b"</Selection>",
    b"<Candidate>",
    b"<CandidateIdentifier Id=\"1\"/>",
    b"<AffiliationIdentifier Id=\"1\"><RegisteredName>X</RegisteredName></AffiliationIdentifier>",
    b"<ValidVotes>7</ValidVotes>",
    b"<Cast>",
    b"</Cast>",
    b"<ReportingUnitVotes>",
    b"kr:",
    b"xmlns=\"urn:x\"",
    b"Id=\"510b\"",
    b"Id=\"520\"",
    b";",
    b"\n",
    b"\r\n",
    b";;;",
    b"\"\"",
    b"PK\x03\x04",
];

/// Returns a mutated copy of `input` (1 to 4 mutations), sometimes spliced with `other`.
pub fn mutate(rng: &mut Rng, input: &[u8], other: &[u8]) -> Vec<u8> {
    let mut v = input.to_vec();
    for _ in 0..=rng.below(4) {
        let len = v.len();
        match rng.below(10) {
            0 => v.truncate(rng.below(len + 1)),
            1 => {
                for _ in 0..=rng.below(8) {
                    if !v.is_empty() {
                        let i = rng.below(v.len());
                        v[i] ^= 1 << rng.below(8);
                    }
                }
            }
            2 | 3 => {
                let s = SNIPPETS[rng.below(SNIPPETS.len())];
                let i = rng.below(len + 1);
                v.splice(i..i, s.iter().copied());
            }
            4 => {
                let i = rng.below(len + 1);
                let j = (i + rng.below(64)).min(len);
                v.drain(i..j);
            }
            5 => {
                // duplicate a range (repeated elements / lines)
                let i = rng.below(len + 1);
                let j = (i + rng.below(256)).min(len);
                let chunk = v[i..j].to_vec();
                for _ in 0..=rng.below(3) {
                    v.splice(j..j, chunk.iter().copied());
                }
            }
            6 => {
                // splice: prefix of this, suffix of the other
                let i = rng.below(len + 1);
                let j = rng.below(other.len() + 1);
                v.truncate(i);
                v.extend_from_slice(&other[j..]);
            }
            7 => {
                // replace a digit run by an extreme value
                if let Some(start) = (0..len)
                    .map(|k| (rng.below(len.max(1)) + k) % len.max(1))
                    .find(|&k| v.get(k).is_some_and(u8::is_ascii_digit))
                {
                    let mut end = start;
                    while v.get(end).is_some_and(u8::is_ascii_digit) {
                        end += 1;
                    }
                    let repl: &[u8] = [
                        &b"-5"[..],
                        b"18446744073709551616",
                        b"0",
                        b"007",
                        b"4294967296",
                        b"",
                    ][rng.below(6)];
                    v.splice(start..end, repl.iter().copied());
                }
            }
            8 => {
                // random bytes
                let i = rng.below(len + 1);
                let n = rng.below(16);
                let bytes: Vec<u8> = (0..n).map(|_| rng.next() as u8).collect();
                v.splice(i..i, bytes);
            }
            _ => {
                // swap two ranges' contents by rotating a window
                if len > 2 {
                    let i = rng.below(len);
                    let j = (i + 1 + rng.below(128)).min(len);
                    let k = rng.below(j - i);
                    v[i..j].rotate_left(k);
                }
            }
        }
    }
    v
}

/// Runs every reader on `data`. Only panics (the property under test) can escape.
pub fn run_all(data: &[u8], which: usize) {
    let _ = eml::identify(data);
    let _ = eml::parse_document(data);
    match which % 9 {
        0 => drop(eml::parse_count(data)),
        1 => drop(eml::parse_candidate_lists(data)),
        2 => drop(eml::parse_result(data)),
        3 => drop(eml::parse_election_definition(data)),
        4 => drop(eml::parse_polling_stations(data)),
        5 => drop(eml::parse_uitslag_csv(data)),
        6 => drop(eml::parse_stembureau_csv(data)),
        7 => drop(eml::parse_osv4_3_csv(data)),
        _ => {
            let opts = eml::LoadOptions {
                max_entry_size: 4 << 20,
                max_total_uncompressed: 16 << 20,
                ..eml::LoadOptions::default()
            };
            let b = eml::load_bytes(&eml::SourceRef::file("fuzz"), data, &opts);
            for p in &b.problems {
                let _ = (p.to_string(), p.message_nl());
            }
        }
    }
    if let Ok(eml::Document::Count(c)) = eml::parse_document(data) {
        let lists = eml::CandidateLists::default();
        let _ = eml::osv4_3::write(&c, &lists);
        let _ = eml::tidy::write_count(&c, None);
    }
}

const NS: &str = r#"xmlns="urn:oasis:names:tc:evs:schema:eml" xmlns:kr="http://www.kiesraad.nl/extensions" xmlns:xnl="urn:oasis:names:tc:ciq:xsdschema:xNL:2.0" xmlns:xal="urn:oasis:names:tc:ciq:xsdschema:xAL:2.0""#;

/// Small built-in seeds (work without the shared data set).
pub fn builtin_seeds() -> Vec<Vec<u8>> {
    let count = format!(
        r#"<EML {NS} Id="510b" SchemaVersion="5"><TransactionId>1</TransactionId><ManagingAuthority><AuthorityIdentifier Id="0088">Dorp</AuthorityIdentifier></ManagingAuthority><Count><EventIdentifier/><Election><ElectionIdentifier Id="GR2026_Dorp"><ElectionName>Gemeenteraad Dorp 2026</ElectionName><ElectionCategory>GR</ElectionCategory><kr:ElectionDate>2026-03-18</kr:ElectionDate></ElectionIdentifier><Contests><Contest><ContestIdentifier Id="geen"/><TotalVotes><Selection><AffiliationIdentifier Id="1"><RegisteredName>A &amp; B</RegisteredName></AffiliationIdentifier><ValidVotes>30</ValidVotes></Selection><Selection><Candidate><CandidateIdentifier Id="1"></CandidateIdentifier></Candidate><ValidVotes>20</ValidVotes></Selection><Selection><Candidate><CandidateIdentifier Id="2" ShortCode="X"/></Candidate><ValidVotes>10</ValidVotes></Selection><Cast>100</Cast><TotalCounted>30</TotalCounted><RejectedVotes ReasonCode="ongeldig">1</RejectedVotes><RejectedVotes ReasonCode="blanco">2</RejectedVotes><UncountedVotes ReasonCode="toegelaten kiezers">33</UncountedVotes></TotalVotes><ReportingUnitVotes><ReportingUnitIdentifier Id="0088::SB1">Stembureau Huis (postcode: 1234 AB)</ReportingUnitIdentifier><Selection><AffiliationIdentifier Id="1"><RegisteredName>A &amp; B</RegisteredName></AffiliationIdentifier><ValidVotes>30</ValidVotes></Selection><Selection><Candidate><CandidateIdentifier Id="1"></CandidateIdentifier></Candidate><kr:InitialValidVotes>3</kr:InitialValidVotes><ValidVotes>20</ValidVotes></Selection><Cast>100</Cast><TotalCounted>30</TotalCounted><RejectedVotes ReasonCode="ongeldig">1</RejectedVotes><RejectedVotes ReasonCode="blanco">2</RejectedVotes><kr:ReportingUnitInvestigations><kr:Investigation ReasonCode="uitslag gecorrigeerd">true</kr:Investigation></kr:ReportingUnitInvestigations></ReportingUnitVotes></Contest></Contests></Election></Count></EML>"#
    );
    let lists = format!(
        r#"<EML {NS} Id="230b" SchemaVersion="5"><CandidateList><Election><ElectionIdentifier Id="GR2026_Dorp"><ElectionCategory>GR</ElectionCategory></ElectionIdentifier><Contest><ContestIdentifier Id="geen"/><Affiliation><AffiliationIdentifier Id="1"><RegisteredName>A &amp; B</RegisteredName></AffiliationIdentifier><Type>op zichzelf staande lijst</Type><kr:ListData PublishGender="true"><kr:Contests><kr:Contest Id="1"/></kr:Contests></kr:ListData><Candidate><CandidateIdentifier Id="1"/><CandidateFullName><xnl:PersonName><xnl:NameLine NameType="Initials">É.</xnl:NameLine><xnl:NamePrefix>van</xnl:NamePrefix><xnl:LastName>Ölçer</xnl:LastName></xnl:PersonName></CandidateFullName><Gender>male</Gender><QualifyingAddress><xal:Country><xal:CountryNameCode>BE</xal:CountryNameCode><xal:Locality><xal:LocalityName>Gent</xal:LocalityName></xal:Locality></xal:Country></QualifyingAddress></Candidate></Affiliation></Contest></Election></CandidateList></EML>"#
    );
    let result = format!(
        r#"<EML {NS} Id="520"><Result><Election><ElectionIdentifier Id="GR2026_Dorp"/><Contest><ContestIdentifier Id="geen"/><Selection><AffiliationIdentifier Id="1"><RegisteredName>A</RegisteredName></AffiliationIdentifier><Elected>yes</Elected></Selection><Selection><Candidate><CandidateIdentifier Id="1" ShortCode="AB"/><CandidateFullName><xnl:PersonName><xnl:LastName>A</xnl:LastName></xnl:PersonName></CandidateFullName></Candidate><Ranking>1</Ranking><Elected>yes</Elected></Selection></Contest></Election></Result></EML>"#
    );
    let def = format!(
        r#"<?xml version="1.0" encoding="UTF-8"?><EML {NS} Id="110a"><ElectionEvent><Election><ElectionIdentifier Id="TK2021"><ElectionName>TK</ElectionName></ElectionIdentifier><Contest><ContestIdentifier Id="alle"/><MaxVotes></MaxVotes></Contest><kr:NumberOfSeats>150</kr:NumberOfSeats><kr:PreferenceThreshold>25</kr:PreferenceThreshold><kr:ElectionTree><kr:Region RegionNumber="1" RegionCategory="STAAT"><kr:RegionName>NL</kr:RegionName><kr:Committee CommitteeCategory="CSB"/></kr:Region><kr:Region RegionNumber="1" RegionCategory="KIESKRING" SuperiorRegionNumber="1" SuperiorRegionCategory="STAAT"><kr:RegionName>Groningen</kr:RegionName></kr:Region></kr:ElectionTree><kr:RegisteredParties><kr:RegisteredParty><kr:RegisteredAppellation>X</kr:RegisteredAppellation></kr:RegisteredParty></kr:RegisteredParties></Election></ElectionEvent></EML>"#
    );
    let polling = format!(
        r#"<EML {NS} xmlns:sb="http://www.kiesraad.nl/sb-extensions" Id="110b"><ElectionEvent><Election><ElectionIdentifier Id="GR2026_Dorp"/><Contest><ContestIdentifier Id="geen"/><PollingPlace Channel="polling"><PhysicalLocation><Address><xal:Locality><xal:LocalityName>Dorp</xal:LocalityName><xal:PostalCode>1234 AB</xal:PostalCode></xal:Locality><sb:Location><sb:StreetName>Straat</sb:StreetName></sb:Location></Address><PollingStation Id="1">12</PollingStation><kr:SharedLocation>true</kr:SharedLocation></PhysicalLocation></PollingPlace></Contest></Election></ElectionEvent></EML>"#
    );
    let uitslag = "Regio;RegioCode;OuderRegioCode;GrootOuderRegioCode;Partij;LijstNummer;LijstNaam;KandidaatNummer;KandidaatInitialen;KandidaatVoornaam;KandidaatTussenvoegsel;KandidaatAchternaam;KandidaatWoonplaats;KandidaatGeslacht;VeldType;Waarde\nNederland;L528;;;;;A;;;;;;;;LijstAantalZetels;2\nNederland;L528;;;;1;A;1;A.;Ans;van;B;C;v;KandidaatGekozen;1\nDorp;G0014;K1;P20;;1;A;;;;;;;;LijstAantalStemmen;12\n".to_string();
    let sb = "\"GemeenteCode\";\"GemeenteNaam\";\"Postcode\";\"StembureauNaam\";\"StembureauCode\";\"PartijNaam\";\"AantalStemmen\"\r\n14;Groningen;\"9712HN\";Stembureau X;SB100;\"A\";1\r\n".to_string();
    let osv = "\u{feff}\"Verkiezing\";;\"GR\"\n\"Datum\";;\"2022-03-16\"\n\"Gebied\";;\"Gemeente X\"\n\"Nummer\";;\"0001\"\n\n\"Lijstnummer\";\"Aanduiding\";\"Volgnummer\";\"Naam kandidaat\";\"Totaal\";\"A\"\n\"Gebiednummer\";;;;;\"1\"\n\"Postcode\";;;;;\"1234 AB\"\n;\"opgeroepenen\";;;\"9\";\"9\"\n\"1\";\"P\";;;\"3\";\"3\"\n;;\"1\";\"J, J.\";\"3\";\"3\"".to_string();
    let mut seeds: Vec<Vec<u8>> = vec![
        count.into_bytes(),
        lists.into_bytes(),
        result.into_bytes(),
        def.into_bytes(),
        polling.into_bytes(),
        uitslag.into_bytes(),
        sb.into_bytes(),
        osv.into_bytes(),
    ];
    // A zip holding two of them.
    let mut buf = std::io::Cursor::new(Vec::new());
    {
        let mut w = zip::ZipWriter::new(&mut buf);
        let opts = zip::write::SimpleFileOptions::default()
            .compression_method(zip::CompressionMethod::Deflated);
        for (i, s) in seeds.iter().take(3).enumerate() {
            if w.start_file(format!("d/{i}.xml"), opts).is_ok() {
                let _ = w.write_all(s);
            }
        }
        let _ = w.finish();
    }
    seeds.push(buf.into_inner());
    seeds
}

/// Small real files from the shared data set, if present (first 64 KiB of larger ones).
pub fn shared_seeds() -> Vec<Vec<u8>> {
    let dir = std::env::var_os("STEMBUS_SHARED_DATA").map_or_else(
        || PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../../shared/data"),
        PathBuf::from,
    );
    let files = [
        "GR2026_Schiermonnikoog/Telling_GR2026_Schiermonnikoog.eml.xml",
        "GR2026_Schiermonnikoog/Totaaltelling_GR2026_Schiermonnikoog.eml.xml",
        "GR2026_Schiermonnikoog/Resultaat_GR2026_Schiermonnikoog.eml.xml",
        "GR2026_Schiermonnikoog/Kandidatenlijsten_GR2026_Schiermonnikoog.eml.xml",
        "GR2026_Schiermonnikoog/Verkiezingsdefinitie_GR2026_Schiermonnikoog.eml.xml",
        "TK2021/eml/Totaaltelling_TK2021.eml.xml",
        "TK2021/eml/Resultaat_TK2021.eml.xml",
        "TK2025/TK2025_uitslag.csv",
        "eml2csv-oracles/osv4-3_telling_gr2022_westmaasenwaal.csv",
    ];
    files
        .iter()
        .filter_map(|f| std::fs::read(dir.join(f)).ok())
        .map(|mut b| {
            b.truncate(64 << 10);
            b
        })
        .collect()
}
