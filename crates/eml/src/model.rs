//! Typed model of the EML_NL documents.
//!
//! Conventions:
//! * Text is trimmed; an element that is present but empty (e.g. `<xnl:NamePrefix></xnl:NamePrefix>`
//!   in a 520) is read as `None`.
//! * Dates and date-times are kept as the ISO strings found in the file.
//! * Counts are `u64`; negative or overflowing values are read errors, never silently clamped.
//! * Ids that the schema restricts to positive integers (affiliation and candidate ids) are `u32`;
//!   other ids (contest, reporting unit, authority) are strings as written.

use std::sync::Arc;

use serde::Serialize;

/// Fields found in the head of every EML document.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct EmlHeader {
    /// The EML message type, e.g. `"510b"`.
    pub eml_id: String,
    /// `SchemaVersion` attribute of `<EML>` (always `"5"` so far).
    pub schema_version: Option<String>,
    /// `<TransactionId>`.
    pub transaction_id: Option<String>,
    /// `<ManagingAuthority>`: the body that made the document.
    pub managing_authority: Option<ManagingAuthority>,
    /// `<IssueDate>`.
    pub issue_date: Option<String>,
    /// `<kr:CreationDateTime>`.
    pub creation_date_time: Option<String>,
}

/// `<ManagingAuthority><AuthorityIdentifier Id="0668">West Maas en Waal</AuthorityIdentifier>`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ManagingAuthority {
    /// `Id`: `CSB`, `HSB<n>` or a 4-digit CBS gemeente code.
    pub id: Option<String>,
    /// The authority's name.
    pub name: Option<String>,
}

/// `<ElectionIdentifier>`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ElectionIdentifier {
    /// `Id`, e.g. `TK2021` or `GR2022_WestMaasenWaal`.
    pub id: String,
    /// `<ElectionName>`.
    pub name: Option<String>,
    /// `<ElectionCategory>`: `TK`, `EK`, `EP`, `PS`, `AB`, `GR`, `BC`, `GC`, `ER`, ….
    pub category: Option<String>,
    /// `<kr:ElectionSubcategory>`: `PS1`, `PS2`, `AB1`, `AB2`, `GR1` (< 19 seats), `GR2`, `TK`, ….
    pub subcategory: Option<String>,
    /// `<kr:ElectionDomain>`: the region the election is for (gemeente, provincie, …).
    pub domain: Option<ElectionDomain>,
    /// `<kr:ElectionDate>`.
    pub election_date: Option<String>,
    /// `<kr:NominationDate>` (day of candidate nomination).
    pub nomination_date: Option<String>,
}

/// `<kr:ElectionDomain Id="0088">Schiermonnikoog</kr:ElectionDomain>`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ElectionDomain {
    /// `Id` (CBS code or region number).
    pub id: Option<String>,
    /// Name.
    pub name: Option<String>,
}

/// `<ContestIdentifier Id="9"><ContestName>Amsterdam</ContestName></ContestIdentifier>`.
///
/// The id is a kieskring number, a roman numeral, `geen` (single contest) or `alle`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ContestIdentifier {
    /// `Id`.
    pub id: String,
    /// `<ContestName>`.
    pub name: Option<String>,
}

/// A person's name (`xnl:PersonName`).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PersonName {
    /// `<xnl:NameLine NameType="Initials">`, e.g. `"C.G.H.M."`.
    pub initials: Option<String>,
    /// `<xnl:FirstName>`.
    pub first_name: Option<String>,
    /// `<xnl:NamePrefix>` (tussenvoegsel), e.g. `"van den"`.
    pub prefix: Option<String>,
    /// `<xnl:LastName>`.
    pub last_name: Option<String>,
}

impl PersonName {
    /// `prefix last_name` (e.g. `"van Dreumel"`), without initials.
    pub fn surname(&self) -> String {
        let last = self.last_name.as_deref().unwrap_or_default();
        match self.prefix.as_deref() {
            Some(p) if !p.is_empty() => format!("{p} {last}"),
            _ => last.to_string(),
        }
    }

    /// The form used on Kiesraad lists and in OSV4-3: `"van Dreumel, C.G.H.M."`.
    pub fn list_name(&self) -> String {
        match self.initials.as_deref() {
            Some(i) if !i.is_empty() => format!("{}, {i}", self.surname()),
            _ => self.surname(),
        }
    }
}

/// `<Gender>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    /// `male`
    Male,
    /// `female`
    Female,
    /// `unknown`
    Unknown,
}

// ---------------------------------------------------------------------------------------------
// 110a / 110b
// ---------------------------------------------------------------------------------------------

/// EML 110a: the election definition.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ElectionDefinition {
    /// Document header.
    pub header: EmlHeader,
    /// The election.
    pub election: ElectionIdentifier,
    /// `<Contest><ContestIdentifier>` (`alle` / `geen`).
    pub contest: Option<ContestIdentifier>,
    /// `<VotingMethod>` (`SPV`).
    pub voting_method: Option<String>,
    /// `<MaxVotes>` (usually empty).
    pub max_votes: Option<u64>,
    /// `<kr:NumberOfSeats>`.
    pub number_of_seats: u64,
    /// `<kr:PreferenceThreshold>` in percent of the kiesdeler (25 or 50).
    pub preference_threshold: Option<u64>,
    /// `<kr:ElectionTree>`: all regions, in document order.
    pub regions: Vec<Region>,
    /// `<kr:RegisteredParties>`: registered appellations.
    pub registered_parties: Vec<RegisteredParty>,
}

impl ElectionDefinition {
    /// Regions of one category.
    pub fn regions_of(&self, category: RegionCategory) -> impl Iterator<Item = &Region> {
        self.regions.iter().filter(move |r| r.category == category)
    }

    /// Direct sub-regions of `parent`.
    pub fn children_of<'s>(&'s self, parent: &'s Region) -> impl Iterator<Item = &'s Region> {
        self.regions.iter().filter(move |r| {
            r.superior_category == Some(parent.category) && r.superior_number == parent.number
        })
    }
}

/// A region of the election tree (`<kr:Region>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Region {
    /// `RegionNumber` (kieskring number, CBS gemeente code, …).
    pub number: Option<u64>,
    /// `RegionCategory`.
    pub category: RegionCategory,
    /// `<kr:RegionName>`.
    pub name: String,
    /// `SuperiorRegionNumber`.
    pub superior_number: Option<u64>,
    /// `SuperiorRegionCategory`.
    pub superior_category: Option<RegionCategory>,
    /// `RomanNumerals` (kieskring numbered with roman numerals).
    pub roman_numerals: bool,
    /// `FrysianExportAllowed`.
    pub frysian_export_allowed: bool,
    /// `<kr:Committee>` elements: the electoral committees of the region.
    pub committees: Vec<Committee>,
}

/// `RegionCategory` values.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum RegionCategory {
    /// `DEELGEMEENTE`
    Deelgemeente,
    /// `GEMEENTE`
    Gemeente,
    /// `KIESKRING`
    Kieskring,
    /// `PROVINCIE`
    Provincie,
    /// `PROVINCIAAL_KIESKRING`
    ProvinciaalKieskring,
    /// `PROVINCIAAL_STEMBUREAU`
    ProvinciaalStembureau,
    /// `STAAT`
    Staat,
    /// `STEMBUREAU`
    Stembureau,
    /// `WATERSCHAP`
    Waterschap,
    /// `WATERSCHAP_KIESKRING`
    WaterschapKieskring,
    /// `WATERSCHAP_GEMEENTE`
    WaterschapGemeente,
}

impl RegionCategory {
    /// Parses the code used in the XML.
    pub fn from_code(s: &str) -> Option<RegionCategory> {
        Some(match s {
            "DEELGEMEENTE" => RegionCategory::Deelgemeente,
            "GEMEENTE" => RegionCategory::Gemeente,
            "KIESKRING" => RegionCategory::Kieskring,
            "PROVINCIE" => RegionCategory::Provincie,
            "PROVINCIAAL_KIESKRING" => RegionCategory::ProvinciaalKieskring,
            "PROVINCIAAL_STEMBUREAU" => RegionCategory::ProvinciaalStembureau,
            "STAAT" => RegionCategory::Staat,
            "STEMBUREAU" => RegionCategory::Stembureau,
            "WATERSCHAP" => RegionCategory::Waterschap,
            "WATERSCHAP_KIESKRING" => RegionCategory::WaterschapKieskring,
            "WATERSCHAP_GEMEENTE" => RegionCategory::WaterschapGemeente,
            _ => return None,
        })
    }
}

/// `<kr:Committee CommitteeCategory="HSB" CommitteeName="..."/>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Committee {
    /// `CommitteeCategory`: `CSB`, `HSB`, `PSB`, ….
    pub category: String,
    /// `CommitteeName` (if absent: the region's name).
    pub name: Option<String>,
    /// `AcceptCentralSubmissions`.
    pub accept_central_submissions: Option<bool>,
}

/// `<kr:RegisteredParty>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RegisteredParty {
    /// `<kr:RegisteredAppellation>`.
    pub appellation: String,
    /// `<kr:RegisteredBy>`.
    pub registered_by: Option<String>,
}

/// EML 110b: the polling stations of a gemeente.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PollingStations {
    /// Document header.
    pub header: EmlHeader,
    /// The election.
    pub election: ElectionIdentifier,
    /// One per `<Contest>` (normally one, `geen`).
    pub contests: Vec<PollingContest>,
}

/// A `<Contest>` of a 110b.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PollingContest {
    /// `<ContestIdentifier>`.
    pub contest: ContestIdentifier,
    /// `<ReportingUnit><ReportingUnitIdentifier>`: the gemeente.
    pub reporting_unit: Option<ReportingUnitIdentifier>,
    /// `<VotingMethod>`.
    pub voting_method: Option<String>,
    /// `<MaxVotes>`.
    pub max_votes: Option<u64>,
    /// `<PollingPlace>` elements.
    pub polling_places: Vec<PollingPlace>,
}

/// `<ReportingUnitIdentifier Id="0668::SB1">name</ReportingUnitIdentifier>`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ReportingUnitIdentifier {
    /// `Id`.
    pub id: String,
    /// Name.
    pub name: String,
}

/// A `<PollingPlace>` of a 110b.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PollingPlace {
    /// `Channel` (`polling` / `postal`).
    pub channel: Option<String>,
    /// `<xal:LocalityName>`.
    pub locality: Option<String>,
    /// `<xal:PostalCode>` / `<xal:PostalCodeNumber>`.
    pub postal_code: Option<String>,
    /// `<PollingStation Id="...">`: the stembureau number.
    pub polling_station_id: String,
    /// Text of `<PollingStation>` (a number in EML_NL).
    pub polling_station_text: Option<String>,
    /// `<kr:ReportingUnitType>`.
    pub unit_type: Option<ReportingUnitType>,
    /// `<kr:SharedLocation>`.
    pub shared_location: Option<bool>,
    /// `<sb:Location>` elements (WIMS polling-station details).
    pub locations: Vec<PollingLocation>,
}

/// `<sb:Location>`: where a polling station is. Leaf elements are kept as `(path, text)` in
/// document order, e.g. `("StreetName", "Dorpsstraat")`, `("OpeningHours/OpenTime", "...")`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct PollingLocation {
    /// Leaf values in document order.
    pub fields: Vec<(String, String)>,
}

impl PollingLocation {
    /// First value of a field by path.
    pub fn get(&self, path: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == path)
            .map(|(_, v)| v.as_str())
    }
}

/// `<kr:ReportingUnitType>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ReportingUnitType {
    /// `FixedLocation`
    FixedLocation,
    /// `Mobile`
    Mobile,
    /// `Special`
    Special,
}

// ---------------------------------------------------------------------------------------------
// 230b
// ---------------------------------------------------------------------------------------------

/// EML 230b: the candidate lists of one contest (kieskring or gemeente).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct CandidateLists {
    /// Document header.
    pub header: EmlHeader,
    /// The election.
    pub election: ElectionIdentifier,
    /// The contests (normally exactly one).
    pub contests: Vec<CandidateContest>,
}

impl CandidateLists {
    /// The contest with this id (a kieskring number, or `geen` for gemeenteraad elections).
    pub fn contest(&self, id: &str) -> Option<&CandidateContest> {
        self.contests.iter().find(|c| c.contest.id == id)
    }
}

/// The lists of one contest.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct CandidateContest {
    /// `<ContestIdentifier>`.
    pub contest: ContestIdentifier,
    /// `<Affiliation>` elements in document order.
    pub lists: Vec<CandidateList>,
}

impl CandidateContest {
    /// The list with this number.
    pub fn list(&self, id: u32) -> Option<&CandidateList> {
        self.lists.iter().find(|l| l.id == id)
    }
}

/// One candidate list (`<Affiliation>`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateList {
    /// `<AffiliationIdentifier Id>`: the list number.
    pub id: u32,
    /// `<RegisteredName>` (appellation; may be absent for lists without one).
    pub name: Option<String>,
    /// `<Type>`.
    pub list_type: Option<ListType>,
    /// `<kr:ListData>`.
    pub list_data: Option<ListData>,
    /// The candidates in list order.
    pub candidates: Vec<Candidate>,
}

impl CandidateList {
    /// The candidate with this id (list position).
    pub fn candidate(&self, id: u32) -> Option<&Candidate> {
        self.candidates.iter().find(|c| c.id == id)
    }
}

/// `<Type>` of a list.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum ListType {
    /// `stel gelijkluidende lijsten`: the same list in several kieskringen.
    #[serde(rename = "stel gelijkluidende lijsten")]
    StelGelijkluidendeLijsten,
    /// `lijstengroep`: a group of lists that differ per kieskring.
    #[serde(rename = "lijstengroep")]
    Lijstengroep,
    /// `op zichzelf staande lijst`: a single list.
    #[serde(rename = "op zichzelf staande lijst")]
    OpZichzelfStaandeLijst,
}

impl ListType {
    /// Parses the Dutch text used in the XML.
    pub fn from_code(s: &str) -> Option<ListType> {
        Some(match s {
            "stel gelijkluidende lijsten" => ListType::StelGelijkluidendeLijsten,
            "lijstengroep" => ListType::Lijstengroep,
            "op zichzelf staande lijst" => ListType::OpZichzelfStaandeLijst,
            _ => return None,
        })
    }
}

/// `<kr:ListData>`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ListData {
    /// `BelongsToSet`: set number within a lijstengroep.
    pub belongs_to_set: Option<u64>,
    /// `BelongsToCombination`: lijstencombinatie letter.
    pub belongs_to_combination: Option<String>,
    /// `PublicationLanguage` (`nl` / `fy`).
    pub publication_language: Option<String>,
    /// `PublishGender`.
    pub publish_gender: Option<bool>,
    /// `<kr:Contests><kr:Contest Id>`: contests the list is submitted in.
    pub contests: Vec<String>,
}

/// A candidate on a 230b list.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct Candidate {
    /// `<CandidateIdentifier Id>`: position on the list.
    pub id: u32,
    /// `ShortCode` (attribute or element), if given.
    pub short_code: Option<String>,
    /// `<CandidateFullName>`.
    pub name: PersonName,
    /// `<Gender>`.
    pub gender: Option<Gender>,
    /// `<DateOfBirth>`.
    pub date_of_birth: Option<String>,
    /// `<QualifyingAddress>…<xal:LocalityName>`: place of residence.
    pub locality: Option<String>,
    /// `<xal:CountryNameCode>` for candidates living abroad.
    pub country_code: Option<String>,
}

// ---------------------------------------------------------------------------------------------
// 510
// ---------------------------------------------------------------------------------------------

/// Which 510 variant a count is (the letter of the EML `Id`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum CountKind {
    /// `510a`: count of one stembureau.
    A,
    /// `510b`: gemeente; reporting units are stembureaus.
    B,
    /// `510c`: kieskring (HSB); reporting units are gemeenten.
    C,
    /// `510d`: national / CSB; reporting units are kieskringen.
    D,
    /// `510q` (correction variant).
    Q,
    /// `510r` (correction variant).
    R,
    /// `510s` (correction variant).
    S,
}

impl CountKind {
    /// From the EML id (`"510b"` → `B`).
    pub fn from_eml_id(id: &str) -> Option<CountKind> {
        Some(match id {
            "510a" => CountKind::A,
            "510b" => CountKind::B,
            "510c" => CountKind::C,
            "510d" => CountKind::D,
            "510q" => CountKind::Q,
            "510r" => CountKind::R,
            "510s" => CountKind::S,
            _ => return None,
        })
    }

    /// The EML id.
    pub fn eml_id(self) -> &'static str {
        match self {
            CountKind::A => "510a",
            CountKind::B => "510b",
            CountKind::C => "510c",
            CountKind::D => "510d",
            CountKind::Q => "510q",
            CountKind::R => "510r",
            CountKind::S => "510s",
        }
    }

    /// Level name of the `<TotalVotes>` of such a count.
    pub fn total_level(self) -> &'static str {
        match self {
            CountKind::A => "stembureau",
            CountKind::B | CountKind::Q => "gemeente",
            CountKind::C | CountKind::R => "kieskring",
            CountKind::D | CountKind::S => "nationaal",
        }
    }

    /// Level name of the `<ReportingUnitVotes>` of such a count.
    pub fn unit_level(self) -> &'static str {
        match self {
            CountKind::A | CountKind::B | CountKind::Q => "stembureau",
            CountKind::C | CountKind::R => "gemeente",
            CountKind::D | CountKind::S => "kieskring",
        }
    }
}

/// EML 510a/b/c/d: a count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Count {
    /// Document header.
    pub header: EmlHeader,
    /// Which 510.
    pub kind: CountKind,
    /// `<kr:CountingMethod MethodCode>` (`centrale stemopneming` / `decentrale stemopneming`).
    pub counting_method: Option<String>,
    /// `<kr:Phase PhaseCode>` (`eerste zitting` / `corrigendum`).
    pub phase: Option<String>,
    /// The election.
    pub election: ElectionIdentifier,
    /// The contests (kieskringen; one for most files).
    pub contests: Vec<CountContest>,
}

/// A `<Contest>` of a count.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CountContest {
    /// `<ContestIdentifier>`.
    pub contest: ContestIdentifier,
    /// `<TotalVotes>`: the total of this document's level.
    pub total: Option<VoteTotals>,
    /// `<ReportingUnitVotes>`: the parts (stembureaus, gemeenten or kieskringen).
    pub reporting_units: Vec<ReportingUnitVotes>,
}

/// `<ReportingUnitVotes>`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ReportingUnitVotes {
    /// `<ReportingUnitIdentifier Id>`, e.g. `0668::SB1`, `HSB9::0363`, `HSB1`.
    pub id: String,
    /// Its name, e.g. `Stembureau Gemeentehuis (postcode: 9166 LX)`.
    pub name: String,
    /// `<kr:ReportingUnitType>`.
    pub unit_type: Option<ReportingUnitType>,
    /// `<kr:SharedLocation>`.
    pub shared_location: Option<bool>,
    /// The votes.
    pub votes: VoteTotals,
    /// `<kr:ReportingUnitInvestigations>` (from 2026 on), if present.
    pub investigations: Option<Vec<Investigation>>,
}

/// The vote group of `<TotalVotes>` or `<ReportingUnitVotes>`.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct VoteTotals {
    /// Votes per list, each with its candidates, in document order.
    pub lists: Vec<ListVotes>,
    /// `<Cast>`: the number of eligible voters (kiesgerechtigden / opgeroepenen).
    pub cast: u64,
    /// `<kr:InitialCast>` in correction files.
    pub initial_cast: Option<u64>,
    /// `<TotalCounted>`: valid votes on lists (geldige stemmen).
    pub total_counted: u64,
    /// `<kr:InitialTotalCounted>`.
    pub initial_total_counted: Option<u64>,
    /// `<RejectedVotes>`: invalid and blank.
    pub rejected: RejectedVotes,
    /// `<kr:InitialRejectedVotes>`.
    pub initial_rejected: InitialRejectedVotes,
    /// `<UncountedVotes>`: admitted voters and explained differences.
    pub uncounted: UncountedVotes,
    /// `<kr:InitialUncountedVotes>`.
    pub initial_uncounted: UncountedVotes,
}

impl VoteTotals {
    /// The list with this number.
    pub fn list(&self, id: u32) -> Option<&ListVotes> {
        self.lists.iter().find(|l| l.id == id)
    }

    /// Ballots found: `total_counted + blank + invalid`.
    pub fn ballots_found(&self) -> Option<u64> {
        self.total_counted
            .checked_add(self.rejected.blank)?
            .checked_add(self.rejected.invalid)
    }
}

/// Votes for one list and its candidates.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ListVotes {
    /// `<AffiliationIdentifier Id>`: the list number.
    pub id: u32,
    /// `<RegisteredName>` (interned: shared between reporting units).
    pub name: Arc<str>,
    /// `<ValidVotes>`: all votes for the list.
    pub valid_votes: u64,
    /// `<kr:InitialValidVotes>`.
    pub initial_valid_votes: Option<u64>,
    /// Candidate votes, in document order.
    pub candidates: Vec<CandidateVotes>,
}

impl ListVotes {
    /// Votes for the candidate with this id.
    pub fn candidate(&self, id: u32) -> Option<&CandidateVotes> {
        self.candidates.iter().find(|c| c.id == Some(id))
    }
}

/// Votes for one candidate. Candidates are identified by `Id` (list position) or, in the
/// national totals of a 510d, only by `ShortCode`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct CandidateVotes {
    /// `<CandidateIdentifier Id>`: position on the list.
    pub id: Option<u32>,
    /// `ShortCode` (attribute or element), e.g. `RutteM`.
    pub short_code: Option<Arc<str>>,
    /// `<ValidVotes>`.
    pub valid_votes: u64,
    /// `<kr:InitialValidVotes>`.
    pub initial_valid_votes: Option<u64>,
}

/// `<RejectedVotes ReasonCode="ongeldig|blanco">`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct RejectedVotes {
    /// `ongeldig`: invalid ballots.
    pub invalid: u64,
    /// `blanco`: blank ballots.
    pub blank: u64,
}

/// `<kr:InitialRejectedVotes>` in correction files.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct InitialRejectedVotes {
    /// `ongeldig`.
    pub invalid: Option<u64>,
    /// `blanco`.
    pub blank: Option<u64>,
}

/// `<UncountedVotes ReasonCode="...">`: one optional value per reason code. Serializes as a
/// map from reason code to value (only present values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct UncountedVotes {
    /// Values indexed by [`UncountedReason`] (`reason as usize`).
    values: [Option<u64>; UncountedReason::ALL.len()],
}

impl UncountedVotes {
    /// Value for a reason.
    pub fn get(&self, reason: UncountedReason) -> Option<u64> {
        self.values.get(reason as usize).copied().flatten()
    }

    /// Sets the value for a reason; returns the previous value.
    pub fn set(&mut self, reason: UncountedReason, value: u64) -> Option<u64> {
        self.values
            .get_mut(reason as usize)
            .and_then(|v| v.replace(value))
    }

    /// Present values in reason order.
    pub fn iter(&self) -> impl Iterator<Item = (UncountedReason, u64)> + '_ {
        UncountedReason::ALL
            .iter()
            .filter_map(|&r| self.get(r).map(|v| (r, v)))
    }

    /// True if no value is present.
    pub fn is_empty(&self) -> bool {
        self.values.iter().all(Option::is_none)
    }
}

impl Serialize for UncountedVotes {
    fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeMap;
        let mut map = serializer.serialize_map(None)?;
        for (reason, value) in self.iter() {
            map.serialize_entry(reason.code(), &value)?;
        }
        map.end()
    }
}

/// Reason codes of `<UncountedVotes>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum UncountedReason {
    /// `geldige stempassen`
    GeldigeStempassen,
    /// `geldige volmachtbewijzen`
    GeldigeVolmachtbewijzen,
    /// `geldige kiezerspassen`
    GeldigeKiezerspassen,
    /// `toegelaten kiezers`: admitted voters.
    ToegelatenKiezers,
    /// `meer getelde stembiljetten`
    MeerGeteldeStembiljetten,
    /// `minder getelde stembiljetten`
    MinderGeteldeStembiljetten,
    /// `meegenomen stembiljetten`
    MeegenomenStembiljetten,
    /// `te weinig uitgereikte stembiljetten`
    TeWeinigUitgereikteStembiljetten,
    /// `te veel uitgereikte stembiljetten`
    TeVeelUitgereikteStembiljetten,
    /// `geen briefstembiljetten`
    GeenBriefstembiljetten,
    /// `te veel briefstembiljetten`
    TeVeelBriefstembiljetten,
    /// `kwijtgeraakte stembiljetten`
    KwijtgeraakteStembiljetten,
    /// `geen verklaring`
    GeenVerklaring,
    /// `andere verklaring`
    AndereVerklaring,
}

impl UncountedReason {
    /// All reasons in schema order.
    pub const ALL: [UncountedReason; 14] = [
        UncountedReason::GeldigeStempassen,
        UncountedReason::GeldigeVolmachtbewijzen,
        UncountedReason::GeldigeKiezerspassen,
        UncountedReason::ToegelatenKiezers,
        UncountedReason::MeerGeteldeStembiljetten,
        UncountedReason::MinderGeteldeStembiljetten,
        UncountedReason::MeegenomenStembiljetten,
        UncountedReason::TeWeinigUitgereikteStembiljetten,
        UncountedReason::TeVeelUitgereikteStembiljetten,
        UncountedReason::GeenBriefstembiljetten,
        UncountedReason::TeVeelBriefstembiljetten,
        UncountedReason::KwijtgeraakteStembiljetten,
        UncountedReason::GeenVerklaring,
        UncountedReason::AndereVerklaring,
    ];

    /// The `ReasonCode` text.
    pub fn code(self) -> &'static str {
        match self {
            UncountedReason::GeldigeStempassen => "geldige stempassen",
            UncountedReason::GeldigeVolmachtbewijzen => "geldige volmachtbewijzen",
            UncountedReason::GeldigeKiezerspassen => "geldige kiezerspassen",
            UncountedReason::ToegelatenKiezers => "toegelaten kiezers",
            UncountedReason::MeerGeteldeStembiljetten => "meer getelde stembiljetten",
            UncountedReason::MinderGeteldeStembiljetten => "minder getelde stembiljetten",
            UncountedReason::MeegenomenStembiljetten => "meegenomen stembiljetten",
            UncountedReason::TeWeinigUitgereikteStembiljetten => {
                "te weinig uitgereikte stembiljetten"
            }
            UncountedReason::TeVeelUitgereikteStembiljetten => "te veel uitgereikte stembiljetten",
            UncountedReason::GeenBriefstembiljetten => "geen briefstembiljetten",
            UncountedReason::TeVeelBriefstembiljetten => "te veel briefstembiljetten",
            UncountedReason::KwijtgeraakteStembiljetten => "kwijtgeraakte stembiljetten",
            UncountedReason::GeenVerklaring => "geen verklaring",
            UncountedReason::AndereVerklaring => "andere verklaring",
        }
    }

    /// Parses a `ReasonCode`.
    pub fn from_code(s: &str) -> Option<UncountedReason> {
        UncountedReason::ALL.iter().copied().find(|r| r.code() == s)
    }
}

/// `<kr:Investigation ReasonCode="...">true|false</kr:Investigation>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Investigation {
    /// The reason.
    pub reason: InvestigationReason,
    /// Whether it applies.
    pub value: bool,
}

/// `ReasonCode` of `<kr:Investigation>`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum InvestigationReason {
    /// `onderzocht vanwege onverklaard verschil` (DSO)
    OnverklaardVerschil,
    /// `onderzocht vanwege andere fout` (DSO)
    AndereFout,
    /// `uitslag gecorrigeerd` (DSO)
    UitslagGecorrigeerd,
    /// `toegelaten kiezers opnieuw vastgesteld` (CSO)
    ToegelatenKiezersOpnieuwVastgesteld,
    /// `onderzocht vanwege andere reden` (CSO)
    AndereReden,
    /// `stembiljetten deels herteld` (CSO)
    StembiljettenDeelsHerteld,
}

impl InvestigationReason {
    /// The `ReasonCode` text.
    pub fn code(self) -> &'static str {
        match self {
            InvestigationReason::OnverklaardVerschil => "onderzocht vanwege onverklaard verschil",
            InvestigationReason::AndereFout => "onderzocht vanwege andere fout",
            InvestigationReason::UitslagGecorrigeerd => "uitslag gecorrigeerd",
            InvestigationReason::ToegelatenKiezersOpnieuwVastgesteld => {
                "toegelaten kiezers opnieuw vastgesteld"
            }
            InvestigationReason::AndereReden => "onderzocht vanwege andere reden",
            InvestigationReason::StembiljettenDeelsHerteld => "stembiljetten deels herteld",
        }
    }

    /// Parses a `ReasonCode`.
    pub fn from_code(s: &str) -> Option<InvestigationReason> {
        [
            InvestigationReason::OnverklaardVerschil,
            InvestigationReason::AndereFout,
            InvestigationReason::UitslagGecorrigeerd,
            InvestigationReason::ToegelatenKiezersOpnieuwVastgesteld,
            InvestigationReason::AndereReden,
            InvestigationReason::StembiljettenDeelsHerteld,
        ]
        .into_iter()
        .find(|r| r.code() == s)
    }
}

// ---------------------------------------------------------------------------------------------
// 520
// ---------------------------------------------------------------------------------------------

/// EML 520: the official result (elected lists and candidates).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ElectionResult {
    /// Document header.
    pub header: EmlHeader,
    /// The election.
    pub election: ElectionIdentifier,
    /// Contests (one: `alle` or `geen`).
    pub contests: Vec<ResultContest>,
}

impl ElectionResult {
    /// All elected candidates over all contests and lists.
    pub fn elected_candidates(&self) -> impl Iterator<Item = (&ResultList, &ResultCandidate)> {
        self.contests.iter().flat_map(|c| {
            c.lists.iter().flat_map(|l| {
                l.candidates
                    .iter()
                    .filter(|c| c.elected)
                    .map(move |c| (l, c))
            })
        })
    }
}

/// A `<Contest>` of a 520.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ResultContest {
    /// `<ContestIdentifier>`.
    pub contest: ContestIdentifier,
    /// Lists in document order, each with the candidates that follow it.
    pub lists: Vec<ResultList>,
}

/// A list in a 520.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct ResultList {
    /// `<AffiliationIdentifier Id>`: list number.
    pub id: u32,
    /// `<RegisteredName>`.
    pub name: Option<String>,
    /// `<Votes>`, if given.
    pub votes: Option<u64>,
    /// `<Elected>`.
    pub elected: bool,
    /// Candidates following the list.
    pub candidates: Vec<ResultCandidate>,
}

/// A candidate in a 520. **Careful:** in the 520 the candidate `Id` is the *elected order*
/// within the list, not the position on the candidate list; match candidates by name
/// (or `ShortCode` where given).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize)]
pub struct ResultCandidate {
    /// `<CandidateIdentifier Id>` (elected order, not list position).
    pub id: Option<u32>,
    /// `ShortCode`.
    pub short_code: Option<String>,
    /// `<CandidateFullName>`.
    pub name: PersonName,
    /// `<Gender>`.
    pub gender: Option<Gender>,
    /// `<QualifyingAddress>` locality.
    pub locality: Option<String>,
    /// `<xal:CountryNameCode>`.
    pub country_code: Option<String>,
    /// `<Votes>`, if given.
    pub votes: Option<u64>,
    /// `<Ranking>`.
    pub ranking: Option<Ranking>,
    /// `<Elected>`.
    pub elected: bool,
}

/// `<Ranking>` in a 520.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
pub enum Ranking {
    /// `1`: elected on preference votes (voorkeurstemmen).
    Preference,
    /// `2`: elected in list order.
    ListOrder,
}
