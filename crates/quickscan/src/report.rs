//! The report: aggregation, small-group suppression, notable results by explicit rules,
//! verbetertips, wave comparison and benchmark. Renderers (HTML, CSV, PDF) only read a
//! [`Report`], so a suppressed group can never leak into any export.

use crate::model::{Group, Lang, OrgKind, ScanStatus};
use crate::questionnaire::{ItemKind, MAATWERK_THEME, fill};
use crate::store::{self, Org, Result, Scan};
use rusqlite::Connection;
use std::collections::BTreeMap;

/// A gap between the highest and lowest group mean of at least this many points is notable.
pub const GAP_RULE: f64 = 1.0;
/// A share of "weet niet" of at least this much in a group is notable.
pub const DONT_KNOW_RULE: f64 = 0.30;
/// Means at or below this are notably low…
pub const LOW_RULE: f64 = 2.5;
/// …and at or above this notably high.
pub const HIGH_RULE: f64 = 4.0;
/// A change since the previous wave of at least this many points is notable.
pub const CHANGE_RULE: f64 = 0.5;
/// The benchmark is shown only when at least this many other organisations contribute.
pub const BENCHMARK_MIN_ORGS: usize = 5;

#[derive(Debug, Clone, PartialEq)]
pub struct Dist {
    /// Answers including "weet niet".
    pub n: u64,
    /// Count per scale value (index 0 = value 1) or per choice option.
    pub counts: Vec<u64>,
    pub dont_know: u64,
    pub mean: Option<f64>,
}

impl Dist {
    pub fn dont_know_share(&self) -> f64 {
        if self.n == 0 {
            0.0
        } else {
            u64_f(self.dont_know) / u64_f(self.n)
        }
    }
}

#[allow(clippy::cast_precision_loss)]
fn u64_f(v: u64) -> f64 {
    v as f64
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Shown(Dist),
    /// Fewer answers than the threshold for this item in this group.
    TooFew,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemResult {
    pub key: String,
    pub text: String,
    /// Scale or choice labels.
    pub labels: Vec<String>,
    pub is_scale: bool,
    pub cells: BTreeMap<Group, Cell>,
    /// Means of the previous wave per shown group (only where both waves have enough answers).
    pub previous: BTreeMap<Group, f64>,
    /// Mean of organisation means elsewhere, per group (only with enough organisations).
    pub benchmark: BTreeMap<Group, f64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RankingResult {
    pub key: String,
    pub text: String,
    /// Per option: label and, per shown group, the share of respondents that put it in their top.
    pub options: Vec<(String, BTreeMap<Group, f64>)>,
    pub n: BTreeMap<Group, u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ThemeResult {
    pub key: String,
    pub title: String,
    pub items: Vec<ItemResult>,
    pub rankings: Vec<RankingResult>,
    /// Open answers per item: (question, answers in random order).
    pub open: Vec<(String, Vec<String>)>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum Rule {
    Gap,
    DontKnow,
    Low,
    High,
    Change,
}

impl Rule {
    pub fn label_nl(self) -> &'static str {
        match self {
            Rule::Gap => "Groepen verschillen",
            Rule::DontKnow => "Veel ‘weet niet’",
            Rule::Low => "Lage score",
            Rule::High => "Hoge score",
            Rule::Change => "Veranderd sinds vorige meting",
        }
    }
}

#[derive(Debug, Clone, PartialEq)]
pub struct Notable {
    pub rule: Rule,
    pub theme: String,
    pub item: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct GroupResponse {
    pub group: Group,
    pub label: String,
    /// Invited by name (internal groups).
    pub invited: u64,
    /// `None` when the group is below the threshold: then it is not shown separately.
    pub n: Option<u64>,
    /// How many of `n` came on paper (typed in by the trekker); `None` with `n`.
    pub paper: Option<u64>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Report {
    pub org: Org,
    pub scan: Scan,
    pub previous_title: Option<String>,
    pub min_group: u32,
    pub groups: Vec<GroupResponse>,
    pub shown: Vec<Group>,
    pub suppressed: Vec<Group>,
    pub themes: Vec<ThemeResult>,
    pub notable: Vec<Notable>,
    /// (theme title, rule, tip text)
    pub tips: Vec<(String, Rule, String)>,
    /// How many organisations contributed to the benchmark (0 = not shown).
    pub benchmark_orgs: usize,
    /// Per group, the answers behind the benchmark (all contributing organisations' shown
    /// groups): total and on paper. Empty when no benchmark is shown.
    pub benchmark_counts: BTreeMap<Group, store::GroupCount>,
    /// Verbeteragenda items per finding (theme or item key): (item id, title).
    pub agenda: BTreeMap<String, Vec<(i64, String)>>,
}

impl Report {
    pub fn group_label(&self, g: Group) -> String {
        g.label(self.org.kind, Lang::Nl).to_owned()
    }
    pub fn suppression_note(&self) -> Option<String> {
        if self.suppressed.is_empty() {
            return None;
        }
        let names: Vec<String> = self
            .suppressed
            .iter()
            .map(|g| self.group_label(*g).to_lowercase())
            .collect();
        Some(format!(
            "Van {} vulden minder dan {} mensen de vragenlijst zelf in (papieren vragenlijsten tellen hiervoor niet mee). Om de anonimiteit te beschermen tonen we die groep niet apart. Hun antwoorden tellen ook niet mee in de vergelijkingen en open antwoorden.",
            names.join(" en "),
            self.min_group
        ))
    }
}

struct Aggregates {
    n: BTreeMap<Group, store::GroupCount>,
    counts: store::Counts,
    texts: Vec<(Group, String, String)>,
    online: BTreeMap<(Group, String), u64>,
}

impl Aggregates {
    /// Rule S (THREATS.md): a cell is shown only with at least `min` self-submitted answers.
    fn cell_shown(&self, g: Group, key: &str, min: u32) -> bool {
        self.online.get(&(g, key.to_owned())).copied().unwrap_or(0) >= u64::from(min)
    }
}

fn aggregates(conn: &Connection, scan_id: i64) -> Result<Aggregates> {
    let d = store::answer_data(conn, scan_id)?;
    Ok(Aggregates {
        n: store::group_counts(conn, scan_id)?,
        counts: d.counts,
        texts: d.texts,
        online: d.online,
    })
}

/// The threshold of a scan: its setting, never below [`store::MIN_GROUP`].
fn threshold(s: &Scan) -> u32 {
    s.min_group.max(store::MIN_GROUP)
}

fn dist(counts: &store::Counts, g: Group, key: &str, k: usize, scale: bool) -> Dist {
    let mut d = Dist {
        n: 0,
        counts: vec![0; k],
        dont_know: 0,
        mean: None,
    };
    let mut sum = 0u64;
    for v in 0..=i64::try_from(k).unwrap_or(0) {
        let c = counts.get(&(g, key.to_owned(), v)).copied().unwrap_or(0);
        if c == 0 {
            continue;
        }
        d.n += c;
        if scale {
            if v == 0 {
                d.dont_know += c;
            } else {
                d.counts[usize::try_from(v - 1).unwrap_or(0)] += c;
                sum += c * u64::try_from(v).unwrap_or(0);
            }
        } else if let Ok(i) = usize::try_from(v)
            && i < k
        {
            d.counts[i] += c;
        }
    }
    let valid = d.n - d.dont_know;
    if scale && valid > 0 {
        d.mean = Some(u64_f(sum) / u64_f(valid));
    }
    d
}

/// Rule S (THREATS.md): a group is shown only with at least `min` self-submitted answers;
/// paper answers never count toward it.
fn shown_groups(n: &BTreeMap<Group, store::GroupCount>, min: u32) -> Vec<Group> {
    Group::ALL
        .into_iter()
        .filter(|g| n.get(g).copied().unwrap_or_default().online() >= u64::from(min))
        .collect()
}

/// Per item and shown group: the mean of a scale item, where the cell has enough answers.
fn item_means(conn: &Connection, s: &Scan) -> Result<BTreeMap<(String, Group), f64>> {
    let q = store::scan_questionnaire(conn, s)?;
    let a = aggregates(conn, s.id)?;
    let min = threshold(s);
    let shown = shown_groups(&a.n, min);
    let mut out = BTreeMap::new();
    for (t, item) in q.items() {
        if t.key == MAATWERK_THEME {
            continue;
        }
        if let ItemKind::Scale { scale } = &item.kind {
            let k = q.scale(scale).map_or(5, |s| s.labels.len());
            for g in &shown {
                let d = dist(&a.counts, *g, &item.key, k, true);
                if a.cell_shown(*g, &item.key, min)
                    && let Some(m) = d.mean
                {
                    out.insert((item.key.clone(), *g), m);
                }
            }
        }
    }
    Ok(out)
}

/// Builds the report of a closed scan.
#[allow(clippy::too_many_lines)]
pub fn build(conn: &Connection, scan_id: i64) -> Result<Report> {
    let s = store::scan(conn, scan_id)?;
    let org = store::org(conn, &s.org_id)?;
    let kind = org.kind;
    let q = store::scan_questionnaire(conn, &s)?;
    let a = aggregates(conn, scan_id)?;
    let min = threshold(&s);
    let shown = shown_groups(&a.n, min);
    let suppressed: Vec<Group> = Group::ALL
        .into_iter()
        .filter(|g| !shown.contains(g) && a.n.get(g).copied().unwrap_or_default().total > 0)
        .collect();
    let mon = store::monitor(conn, scan_id)?;
    let groups = Group::ALL
        .into_iter()
        .map(|g| {
            let p = mon.groups.get(&g).cloned().unwrap_or_default();
            let show = shown.contains(&g);
            let c = a.n.get(&g).copied().unwrap_or_default();
            GroupResponse {
                group: g,
                label: g.label(kind, Lang::Nl).to_owned(),
                invited: p.invited,
                n: show.then_some(c.total),
                paper: show.then_some(c.paper),
            }
        })
        .collect();

    // previous wave and benchmark means
    let (previous, previous_title) = match s.previous_scan_id {
        Some(p) => {
            let ps = store::scan(conn, p)?;
            (item_means(conn, &ps)?, Some(ps.title))
        }
        None => (BTreeMap::new(), None),
    };
    let (benchmark, benchmark_orgs, benchmark_counts) = benchmark(conn, &s)?;

    let f = |t: &str| fill(t, kind, Lang::Nl);
    let mut themes = Vec::new();
    let mut notable = Vec::new();
    for t in &q.themes {
        let mut tr = ThemeResult {
            key: t.key.clone(),
            title: f(&t.title.nl),
            items: vec![],
            rankings: vec![],
            open: vec![],
        };
        for item in &t.items {
            let text = f(&item.text.nl);
            match &item.kind {
                ItemKind::Scale { .. } | ItemKind::Choice { .. } => {
                    let (labels, is_scale) = match &item.kind {
                        ItemKind::Scale { scale } => (
                            q.scale(scale)
                                .map(|s| s.labels.iter().map(|l| l.nl.clone()).collect())
                                .unwrap_or_default(),
                            true,
                        ),
                        ItemKind::Choice { options } => {
                            (options.iter().map(|o| f(&o.nl)).collect::<Vec<_>>(), false)
                        }
                        _ => unreachable!(),
                    };
                    let mut ir = ItemResult {
                        key: item.key.clone(),
                        text: text.clone(),
                        labels: labels.clone(),
                        is_scale,
                        cells: BTreeMap::new(),
                        previous: BTreeMap::new(),
                        benchmark: BTreeMap::new(),
                    };
                    for g in &shown {
                        let d = dist(&a.counts, *g, &item.key, labels.len(), is_scale);
                        if a.cell_shown(*g, &item.key, min) {
                            if let Some(p) = previous.get(&(item.key.clone(), *g)) {
                                ir.previous.insert(*g, *p);
                            }
                            if let Some(b) = benchmark.get(&(item.key.clone(), *g)) {
                                ir.benchmark.insert(*g, *b);
                            }
                            ir.cells.insert(*g, Cell::Shown(d));
                        } else {
                            ir.cells.insert(*g, Cell::TooFew);
                        }
                    }
                    if is_scale {
                        notable.extend(rules(&ir, &t.key, &tr.title, kind));
                    }
                    tr.items.push(ir);
                }
                ItemKind::Ranking { options, .. } => {
                    let mut rr = RankingResult {
                        key: item.key.clone(),
                        text,
                        options: vec![],
                        n: BTreeMap::new(),
                    };
                    let mut picks: BTreeMap<(Group, usize), u64> = BTreeMap::new();
                    for (g, key, txt) in &a.texts {
                        if key == &item.key && shown.contains(g) {
                            *rr.n.entry(*g).or_default() += 1;
                            for o in txt.split(',').filter_map(|x| x.parse::<usize>().ok()) {
                                *picks.entry((*g, o)).or_default() += 1;
                            }
                        }
                    }
                    rr.n.retain(|g, _| a.cell_shown(*g, &item.key, min));
                    for (i, o) in options.iter().enumerate() {
                        let mut per = BTreeMap::new();
                        for (g, n) in &rr.n {
                            per.insert(
                                *g,
                                u64_f(picks.get(&(*g, i)).copied().unwrap_or(0)) / u64_f(*n),
                            );
                        }
                        rr.options.push((f(&o.nl), per));
                    }
                    tr.rankings.push(rr);
                }
                ItemKind::Open => {
                    let mut texts: Vec<String> = a
                        .texts
                        .iter()
                        .filter(|(g, k, _)| {
                            k == &item.key && shown.contains(g) && a.cell_shown(*g, k, min)
                        })
                        .map(|(_, _, t)| t.clone())
                        .collect();
                    store::shuffle(&mut texts);
                    tr.open.push((text, texts));
                }
            }
        }
        themes.push(tr);
    }
    let mut tips = Vec::new();
    for t in &themes {
        let mut rules_here: Vec<Rule> = notable
            .iter()
            .filter(|n| n.theme == t.key)
            .map(|n| n.rule)
            .collect();
        rules_here.sort();
        rules_here.dedup();
        for r in rules_here {
            if let Some(tip) = tip(&t.key, r) {
                tips.push((t.title.clone(), r, f(tip)));
            }
        }
    }
    Ok(Report {
        org,
        previous_title,
        min_group: min,
        groups,
        shown,
        suppressed,
        themes,
        notable,
        tips,
        benchmark_orgs,
        benchmark_counts,
        agenda: store::agenda_by_finding(conn, scan_id)?,
        scan: s,
    })
}

fn fmt1(v: f64) -> String {
    format!("{v:.1}").replace('.', ",")
}

fn rules(ir: &ItemResult, theme: &str, theme_title: &str, kind: OrgKind) -> Vec<Notable> {
    let label = |g: Group| g.label(kind, Lang::Nl).to_owned();
    let mut out = Vec::new();
    let means: Vec<(Group, f64)> = ir
        .cells
        .iter()
        .filter_map(|(g, c)| match c {
            Cell::Shown(d) => d.mean.map(|m| (*g, m)),
            Cell::TooFew => None,
        })
        .collect();
    let mk = |rule, text: String| Notable {
        rule,
        theme: theme.to_owned(),
        item: ir.key.clone(),
        text: format!("{theme_title} — “{}”: {text}", ir.text),
    };
    if means.len() >= 2 {
        let hi = means.iter().copied().fold(
            (Group::Raad, f64::MIN),
            |a, b| if b.1 > a.1 { b } else { a },
        );
        let lo = means.iter().copied().fold(
            (Group::Raad, f64::MAX),
            |a, b| if b.1 < a.1 { b } else { a },
        );
        if hi.1 - lo.1 >= GAP_RULE {
            out.push(mk(
                Rule::Gap,
                format!(
                    "{} geven gemiddeld {}, {} {} (verschil {} punt).",
                    label(hi.0),
                    fmt1(hi.1),
                    label(lo.0).to_lowercase(),
                    fmt1(lo.1),
                    fmt1(hi.1 - lo.1)
                ),
            ));
        }
    }
    for (g, c) in &ir.cells {
        if let Cell::Shown(d) = c
            && d.dont_know_share() >= DONT_KNOW_RULE
        {
            out.push(mk(
                Rule::DontKnow,
                format!(
                    "{} % van de {} weet het niet of heeft geen mening.",
                    (d.dont_know_share() * 100.0).round(),
                    label(*g).to_lowercase()
                ),
            ));
        }
    }
    for (g, m) in &means {
        if *m <= LOW_RULE {
            out.push(mk(
                Rule::Low,
                format!("{} geven gemiddeld maar {}.", label(*g), fmt1(*m)),
            ));
        } else if *m >= HIGH_RULE {
            out.push(mk(
                Rule::High,
                format!("{} geven gemiddeld {}.", label(*g), fmt1(*m)),
            ));
        }
        if let Some(p) = ir.previous.get(g)
            && (m - p).abs() >= CHANGE_RULE
        {
            out.push(mk(
                Rule::Change,
                format!("{}: van {} naar {}.", label(*g), fmt1(*p), fmt1(*m)),
            ));
        }
    }
    out
}

/// The tip library: advice per theme for each rule that fired there. Written for Stembus.
pub fn tip(theme: &str, rule: Rule) -> Option<&'static str> {
    Some(match (theme, rule) {
        ("participatie", Rule::Gap) => {
            "Bespreek met raad, college, ambtenaren en inwoners samen wat ‘meedoen’ bij u betekent. Leg afspraken vast in de participatieverordening."
        }
        ("participatie", Rule::Low) => {
            "Maak bij elk groot plan vooraf een kort participatieplan: wie doet mee, hoe, en over welke keuzes. Laat achteraf zien wat er met de inbreng is gebeurd."
        }
        ("participatie", Rule::DontKnow) => {
            "Veel mensen weten niet hoe meedoen werkt. Maak één vaste plek (online en op papier) waar alle mogelijkheden om mee te doen staan."
        }
        ("initiatieven", Rule::Gap | Rule::Low) => {
            "Geef inwoners met een eigen plan één vast aanspreekpunt. Kijk samen welke regels in de weg zitten en of die anders kunnen."
        }
        ("initiatieven", Rule::DontKnow) => {
            "Het uitdaagrecht is nog onbekend. Leg in gewone taal uit hoe het werkt en deel voorbeelden van plannen die gelukt zijn."
        }
        ("invloed", Rule::Gap | Rule::Low) => {
            "Vertel aan het begin van een traject eerlijk wat er nog te kiezen valt. Koppel na het besluit terug wat inwoners hebben veranderd."
        }
        ("informatie", Rule::Gap | Rule::Low) => {
            "Schrijf brieven en webteksten op B1-niveau en test ze met inwoners. Publiceer raadsvoorstellen met een korte samenvatting."
        }
        ("informatie", Rule::DontKnow) => {
            "Inwoners zien weinig van het werk van de raad. Denk aan een raadsspreekuur, een nieuwsbrief of uitleg na elke raadsvergadering."
        }
        ("controle", Rule::Gap | Rule::Low) => {
            "Maak met raad en college afspraken over welke informatie de raad wanneer krijgt. Bespreek jaarlijks hoe de rekenkamer-aanbevelingen zijn opgevolgd."
        }
        ("controle", Rule::DontKnow) => {
            "Veel mensen kennen de rol van de raad en de rekenkamer niet. Laat in voorbeelden zien wat controle heeft opgeleverd."
        }
        ("kwaliteit", Rule::Gap | Rule::Low) => {
            "Vertrouwen groeit als afspraken worden nagekomen. Maak zichtbaar wat er met beloftes is gebeurd, en wees open als iets niet lukt."
        }
        (_, Rule::High) => {
            "Dit gaat goed. Deel wat werkt met andere afdelingen of organisaties, en houd het vast."
        }
        (_, Rule::Change) => {
            "Er is iets veranderd sinds de vorige meting. Bespreek in de begeleidingscommissie wat de oorzaak kan zijn."
        }
        (_, Rule::Gap) => {
            "De groepen kijken verschillend tegen dit onderwerp aan. Organiseer een gesprek waarin ze elkaars beeld horen."
        }
        (_, Rule::Low) => "Dit scoort laag. Kies dit als mogelijk punt voor de verbeteragenda.",
        (_, Rule::DontKnow) => {
            "Veel mensen hebben hier geen beeld van. Betere informatie is een eerste stap."
        }
    })
}

/// Benchmark on shared standard items: per item and group, the mean of organisation means of
/// other organisations' latest closed scan, where that cell meets their threshold. Returned
/// only when at least [`BENCHMARK_MIN_ORGS`] organisations contribute to a cell.
type Means = BTreeMap<(String, Group), f64>;

type BenchmarkCounts = BTreeMap<Group, store::GroupCount>;

fn benchmark(conn: &Connection, s: &Scan) -> Result<(Means, usize, BenchmarkCounts)> {
    let mut st = conn.prepare(
        "SELECT id FROM qs_scan sc WHERE org_id <> ?1 AND status IN ('closed','report','verbeteragenda')
         AND id = (SELECT MAX(id) FROM qs_scan s2 WHERE s2.org_id = sc.org_id AND s2.status IN ('closed','report','verbeteragenda'))",
    )?;
    let ids: Vec<i64> = st
        .query_map([&s.org_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let mut sums: BTreeMap<(String, Group), (f64, usize)> = BTreeMap::new();
    let mut counts: BenchmarkCounts = BTreeMap::new();
    for id in &ids {
        let other = store::scan(conn, *id)?;
        let means = item_means(conn, &other)?;
        let groups: std::collections::BTreeSet<Group> = means.keys().map(|(_, g)| *g).collect();
        let n = store::group_counts(conn, other.id)?;
        for g in groups {
            let c = n.get(&g).copied().unwrap_or_default();
            let e = counts.entry(g).or_default();
            e.total += c.total;
            e.paper += c.paper;
        }
        for (k, m) in means {
            let e = sums.entry(k).or_default();
            e.0 += m;
            e.1 += 1;
        }
    }
    let mut orgs = 0;
    let out: Means = sums
        .into_iter()
        .filter(|(_, (_, n))| *n >= BENCHMARK_MIN_ORGS)
        .map(|(k, (sum, n))| {
            orgs = orgs.max(n);
            #[allow(clippy::cast_precision_loss)]
            let mean = sum / n as f64;
            (k, mean)
        })
        .collect();
    if out.is_empty() {
        counts.clear();
    }
    counts.retain(|g, _| out.keys().any(|(_, h)| h == g));
    Ok((out, orgs, counts))
}

/// Whether the report may be made (fieldwork has ended).
pub fn available(s: &Scan) -> bool {
    s.status >= ScanStatus::Closed
}

/// Aggregated results as CSV: one line per item, group and answer. Suppressed groups are
/// absent; cells below the threshold say so.
pub fn to_csv(r: &Report) -> String {
    use crate::csv::line;
    let mut out = line(
        &[
            "thema",
            "vraag_id",
            "vraag",
            "groep",
            "n",
            "antwoord",
            "aantal",
            "percentage",
            "gemiddelde",
            "vorige_meting",
            "benchmark",
        ]
        .map(String::from),
    );
    for g in &r.groups {
        out.push_str(&line(&[
            "respons".into(),
            String::new(),
            "Aantal respondenten".into(),
            g.label.clone(),
            g.n.map_or_else(|| format!("minder dan {}", r.min_group), |n| n.to_string()),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]));
        if let Some(p) = g.paper {
            out.push_str(&line(&[
                "respons".into(),
                String::new(),
                "Waarvan op papier".into(),
                g.label.clone(),
                p.to_string(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
                String::new(),
            ]));
        }
    }
    for (g, c) in &r.benchmark_counts {
        out.push_str(&line(&[
            "benchmark".into(),
            String::new(),
            format!(
                "Antwoorden in de benchmark ({} organisaties), waarvan op papier: {}",
                r.benchmark_orgs, c.paper
            ),
            r.group_label(*g),
            c.total.to_string(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
            String::new(),
        ]));
    }
    for t in &r.themes {
        for it in &t.items {
            for (g, c) in &it.cells {
                let gl = r.group_label(*g);
                match c {
                    Cell::TooFew => out.push_str(&line(&[
                        t.title.clone(),
                        it.key.clone(),
                        it.text.clone(),
                        gl,
                        format!("minder dan {}", r.min_group),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                        String::new(),
                    ])),
                    Cell::Shown(d) => {
                        let mut rows: Vec<(String, u64)> = it
                            .labels
                            .iter()
                            .cloned()
                            .zip(d.counts.iter().copied())
                            .collect();
                        if it.is_scale {
                            rows.push(("Weet niet / geen mening".into(), d.dont_know));
                        }
                        for (label, count) in rows {
                            out.push_str(&line(&[
                                t.title.clone(),
                                it.key.clone(),
                                it.text.clone(),
                                gl.clone(),
                                d.n.to_string(),
                                label,
                                count.to_string(),
                                format!("{:.1}", u64_f(count) * 100.0 / u64_f(d.n.max(1))),
                                d.mean.map(|m| format!("{m:.2}")).unwrap_or_default(),
                                it.previous
                                    .get(g)
                                    .map(|m| format!("{m:.2}"))
                                    .unwrap_or_default(),
                                it.benchmark
                                    .get(g)
                                    .map(|m| format!("{m:.2}"))
                                    .unwrap_or_default(),
                            ]));
                        }
                    }
                }
            }
        }
        for rk in &t.rankings {
            for (label, per) in &rk.options {
                for (g, share) in per {
                    out.push_str(&line(&[
                        t.title.clone(),
                        rk.key.clone(),
                        rk.text.clone(),
                        r.group_label(*g),
                        rk.n[g].to_string(),
                        label.clone(),
                        String::new(),
                        format!("{:.1}", share * 100.0),
                        String::new(),
                        String::new(),
                        String::new(),
                    ]));
                }
            }
        }
    }
    out
}
