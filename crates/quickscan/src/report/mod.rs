//! The report model: aggregation, small-group suppression, the ranked summary, one verdict
//! and tip per theme, wave comparison and benchmark. Renderers (HTML, CSV, PDF) only read a
//! [`Report`] and compute nothing themselves, so a suppressed group can never leak into any
//! export and every renderer shows the same figures.
//!
//! **Figures and their n** (also in [`Report::legend`], which every renderer prints):
//! - a **mean** is over the answers 1–5, "weet niet" left out; it is an [`Exact`] whose `den`
//!   is that n. Write it with [`Exact::nl`]`(1)` ("4,3") or [`Exact::dot`] for machines.
//! - **% eens** ([`Dist::agree`]) is over the same answers as the mean (1–5, without "weet
//!   niet"): the share that answered above the midpoint (4 or 5).
//! - **"weet niet"** ([`Dist::dont_know`]) is counted apart; its share
//!   ([`Dist::dont_know_share`]) is of all answers to the question ([`Dist::n`]).
//! - a **choice** share ([`Dist::share`]) is of all answers to the question.
//! - the **previous wave** ([`ItemResult::previous`]) and the **benchmark**
//!   ([`ItemResult::benchmark`]) are means of the same kind, each with its own n (`den`).
//!
//! Rounding: only when written, half away from zero, on the exact fraction ([`exact`]).

pub mod exact;
pub mod findings;
pub mod tips;
pub mod verdict;

pub use exact::{Exact, change_nl};
pub use findings::{Finding, GroupFigure, Kind, SUMMARY_MAX, Signal};
pub use verdict::{ThemeVerdict, Verdict};

use crate::model::{Day, Group, Lang, ScanStatus};
use crate::questionnaire::{ItemKind, MAATWERK_THEME, fill};
use crate::store::{self, Org, Result, Scan};
use rusqlite::Connection;
use std::collections::BTreeMap;

/// A gap between the highest and lowest group mean of at least this (1,0 point) stands out.
/// Fractions are `(numerator, denominator)`: every comparison is exact.
pub const GAP_RULE: (u128, u128) = (1, 1);
/// A share of "weet niet" of at least this much (30 %) in a group stands out.
pub const DONT_KNOW_RULE: (u128, u128) = (3, 10);
/// Means at or below this (2,5) are low…
pub const LOW_RULE: (u128, u128) = (5, 2);
/// …and at or above this (4,0) high.
pub const HIGH_RULE: (u128, u128) = (4, 1);
/// A change since the previous wave of at least this (0,5 point) stands out.
pub const CHANGE_RULE: (u128, u128) = (1, 2);
/// The benchmark is shown only when at least this many other organisations contribute
/// (organisations that opted out never do: [`store::set_benchmark_opt_out`]).
pub const BENCHMARK_MIN_ORGS: usize = 5;

/// The answers of one group to one scale or choice item.
#[derive(Debug, Clone, PartialEq)]
pub struct Dist {
    /// All answers to the question, "weet niet" included.
    pub n: u64,
    /// Count per scale value (index 0 = value 1) or per choice option.
    pub counts: Vec<u64>,
    /// "Weet niet / geen mening" (scale items only), counted apart.
    pub dont_know: u64,
    /// Scale items: the mean of the answers 1–k without "weet niet"; `den` = [`Dist::answered`].
    pub mean: Option<Exact>,
}

impl Dist {
    /// Answers used for the mean and % eens: `n` without "weet niet".
    pub fn answered(&self) -> u64 {
        self.n - self.dont_know
    }
    /// Percentage "weet niet" of all answers (`n`).
    pub fn dont_know_share(&self) -> Option<Exact> {
        Exact::percent(self.dont_know, self.n)
    }
    /// Percentage that agrees (answered above the scale's midpoint: 4 or 5 of 5), of
    /// [`Dist::answered`].
    pub fn agree(&self) -> Option<Exact> {
        let k = self.counts.len();
        let agree: u64 = self
            .counts
            .iter()
            .enumerate()
            .filter(|(i, _)| 2 * (i + 1) > k + 1)
            .map(|(_, c)| c)
            .sum();
        Exact::percent(agree, self.answered())
    }
    /// Percentage of all answers (`n`) for option/value index `k`.
    pub fn share(&self, k: usize) -> Option<Exact> {
        Exact::percent(self.counts.get(k).copied().unwrap_or(0), self.n)
    }
}

#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    Shown(Dist),
    /// Fewer answers than the threshold for this item in this group.
    TooFew,
}

/// The benchmark of one item for one group.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Benchmark {
    /// The mean of all answers 1–5 (without "weet niet") of the contributing organisations'
    /// shown cells, each answer counted once; `den` is that number of answers.
    pub mean: Exact,
    /// How many organisations contribute (at least [`BENCHMARK_MIN_ORGS`]).
    pub orgs: usize,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ItemResult {
    pub key: String,
    pub text: String,
    /// Scale or choice labels.
    pub labels: Vec<String>,
    pub is_scale: bool,
    pub cells: BTreeMap<Group, Cell>,
    /// The previous wave's mean per shown group (only where both waves show the cell);
    /// `den` is the previous wave's n.
    pub previous: BTreeMap<Group, Exact>,
    /// The benchmark per shown group (only with enough organisations).
    pub benchmark: BTreeMap<Group, Benchmark>,
    /// The summary's rules that fired on this item, strongest first ([`findings`]).
    pub signals: Vec<Signal>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct RankingResult {
    pub key: String,
    pub text: String,
    /// Per option: label and, per shown group, the percentage of respondents (of `n`) that
    /// put it in their top.
    pub options: Vec<(String, BTreeMap<Group, Exact>)>,
    /// Per shown group: respondents who answered the ranking.
    pub n: BTreeMap<Group, u64>,
}

/// Open answers to one question, per shown group.
#[derive(Debug, Clone, PartialEq)]
pub struct OpenItem {
    /// The item's key (stable across waves).
    pub key: String,
    pub question: String,
    /// Per shown group (group order): the answers, in random order. Groups without answers
    /// are left out.
    pub groups: Vec<(Group, Vec<String>)>,
    /// Per shown group: how many answers the trekker hid in the review (`store::review`);
    /// groups with none are left out. Renderers say so, so no reader takes the shown answers
    /// for all of them.
    pub hidden: BTreeMap<Group, u64>,
}

/// A group's score on a whole theme: all its answers 1–5 to the theme's scale statements
/// together (cells shown only).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ThemeScore {
    /// Mean of those answers; `den` = `n`. `None` when there are none.
    pub mean: Option<Exact>,
    /// Answers 1–5 used.
    pub n: u64,
    /// "Weet niet" answers to the same statements, counted apart.
    pub dont_know: u64,
}

#[derive(Debug, Clone, PartialEq)]
pub struct ThemeResult {
    pub key: String,
    pub title: String,
    pub items: Vec<ItemResult>,
    pub rankings: Vec<RankingResult>,
    pub open: Vec<OpenItem>,
    /// Per shown group with at least one shown scale cell in the theme.
    pub scores: BTreeMap<Group, ThemeScore>,
    /// The theme's verdict, its reason and its tip ([`verdict`]).
    pub verdict: ThemeVerdict,
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
    /// The day the trekker "vastgesteld" the report; `None`: a concept, seen by the trekker
    /// only, marked "Concept — nog niet vastgesteld" in every rendering.
    pub established: Option<Day>,
    pub previous_title: Option<String>,
    pub min_group: u32,
    pub groups: Vec<GroupResponse>,
    pub shown: Vec<Group>,
    pub suppressed: Vec<Group>,
    pub themes: Vec<ThemeResult>,
    /// The ranked summary: at most [`SUMMARY_MAX`] findings, strongest first. Render it first.
    pub summary: Vec<Finding>,
    /// How many statements met a rule in all (the summary shows the first [`SUMMARY_MAX`]).
    pub findings_total: usize,
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

    /// Whether the report is final, in one sentence every rendering shows first.
    pub fn status_line(&self) -> String {
        match self.established {
            Some(d) => format!("Vastgesteld op {}.", d.long_nl()),
            None => "Concept — nog niet vastgesteld. Alleen de trekker ziet dit rapport tot het is vastgesteld.".to_owned(),
        }
    }

    /// Per group, how many answers to `o` the trekker hid in the review, as sentences.
    pub fn hidden_notes(&self, o: &OpenItem) -> Vec<String> {
        o.hidden
            .iter()
            .map(|(g, n)| {
                let (what, verb) = if *n == 1 { ("antwoord", "kon") } else { ("antwoorden", "konden") };
                format!(
                    "{}: {n} {what} verborgen door de trekker, omdat het iemand herkenbaar {verb} maken.",
                    self.group_label(*g)
                )
            })
            .collect()
    }

    /// What the figures mean, in Dutch: every renderer prints these lines as the legend.
    pub fn legend(&self) -> Vec<String> {
        let mut out = vec![
            "Gemiddelde: van de antwoorden 1 (helemaal oneens) tot 5 (helemaal eens). ‘Weet niet / geen mening’ telt niet mee.".to_owned(),
            "n: het aantal antwoorden waarop een cijfer rust, zonder ‘weet niet’. ‘Weet niet’ staat apart, met het aandeel van alle antwoorden op die vraag.".to_owned(),
            "% eens: het deel van dezelfde antwoorden (zonder ‘weet niet’) dat 4 of 5 is.".to_owned(),
            "Themascore: alle antwoorden 1–5 van een groep op de uitspraken van het thema samen.".to_owned(),
            "Afronding: op één decimaal, een 5 wordt naar boven afgerond (4,25 wordt 4,3).".to_owned(),
            format!("Een groep of vraag tonen we alleen als minstens {} mensen zelf online antwoordden.", self.min_group),
        ];
        if let Some(p) = &self.previous_title {
            out.push(format!(
                "Vorige: het gemiddelde van dezelfde groep in de vorige meting ({p}), met de n van toen."
            ));
        }
        if self.benchmark_orgs > 0 {
            out.push(format!(
                "Elders: het gemiddelde van alle antwoorden bij {} andere organisaties (elk antwoord telt één keer), alleen waar minstens {BENCHMARK_MIN_ORGS} organisaties meedoen.",
                self.benchmark_orgs
            ));
        }
        out
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

/// The open answers the report shows, as reviewed by the trekker (hidden ones left out,
/// shortened ones as shortened; `store::review`). The one place they are read.
fn open_texts(conn: &Connection, scan_id: i64) -> Result<Vec<store::OpenAnswers>> {
    store::reviewed_open_answers(conn, scan_id)
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
    if scale {
        d.mean = Exact::new(u128::from(sum), u128::from(d.answered()));
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

/// Per standard scale item and shown group: the mean where the cell is shown (`den` = n).
fn item_means(conn: &Connection, s: &Scan) -> Result<BTreeMap<(String, Group), Exact>> {
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

fn theme_scores(t: &ThemeResult) -> BTreeMap<Group, ThemeScore> {
    let mut out: BTreeMap<Group, ThemeScore> = BTreeMap::new();
    let mut sums: BTreeMap<Group, u128> = BTreeMap::new();
    for i in t.items.iter().filter(|i| i.is_scale) {
        for (g, c) in &i.cells {
            if let Cell::Shown(d) = c {
                let e = out.entry(*g).or_insert(ThemeScore {
                    mean: None,
                    n: 0,
                    dont_know: 0,
                });
                e.n += d.answered();
                e.dont_know += d.dont_know;
                *sums.entry(*g).or_default() += d.mean.map_or(0, |m| m.num);
            }
        }
    }
    for (g, s) in &mut out {
        s.mean = Exact::new(sums[g], u128::from(s.n));
    }
    out
}

/// Builds the report of a closed scan.
#[allow(clippy::too_many_lines)]
pub fn build(conn: &Connection, scan_id: i64) -> Result<Report> {
    let s = store::scan(conn, scan_id)?;
    let org = store::org(conn, &s.org_id)?;
    let kind = org.kind;
    let q = store::scan_questionnaire(conn, &s)?;
    let a = aggregates(conn, scan_id)?;
    let open = open_texts(conn, scan_id)?;
    let established = (s.status >= ScanStatus::Report)
        .then(|| store::review_state(conn, scan_id).map(|r| r.established_on))
        .transpose()?
        .flatten();
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
    let label = |g: Group| g.label(kind, Lang::Nl).to_owned();
    let mut themes = Vec::new();
    for t in &q.themes {
        let mut tr = ThemeResult {
            key: t.key.clone(),
            title: f(&t.title.nl),
            items: vec![],
            rankings: vec![],
            open: vec![],
            scores: BTreeMap::new(),
            verdict: ThemeVerdict {
                verdict: Verdict::TooFew,
                reason: String::new(),
                tip: None,
                tip_same_as: None,
            },
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
                        signals: vec![],
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
                        ir.signals = findings::signals(&ir, &label);
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
                            if let Some(share) =
                                Exact::percent(picks.get(&(*g, i)).copied().unwrap_or(0), *n)
                            {
                                per.insert(*g, share);
                            }
                        }
                        rr.options.push((f(&o.nl), per));
                    }
                    tr.rankings.push(rr);
                }
                ItemKind::Open => {
                    let mut groups = Vec::new();
                    let mut hidden = BTreeMap::new();
                    for g in &shown {
                        if !a.cell_shown(*g, &item.key, min) {
                            continue;
                        }
                        let Some(cell) = open
                            .iter()
                            .find(|o| o.group == *g && o.item_key == item.key)
                        else {
                            continue;
                        };
                        if cell.hidden > 0 {
                            hidden.insert(*g, cell.hidden);
                        }
                        if cell.answers.is_empty() {
                            continue;
                        }
                        let mut texts = cell.answers.clone();
                        store::shuffle(&mut texts);
                        groups.push((*g, texts));
                    }
                    tr.open.push(OpenItem {
                        key: item.key.clone(),
                        question: text,
                        groups,
                        hidden,
                    });
                }
            }
        }
        tr.scores = theme_scores(&tr);
        let (v, reason) = verdict::judge(&tr, &tr.scores);
        tr.verdict.verdict = v;
        tr.verdict.reason = reason;
        themes.push(tr);
    }
    verdict::assign_tips(&mut themes, &f);
    let mut r = Report {
        org,
        established,
        previous_title,
        min_group: min,
        groups,
        shown,
        suppressed,
        themes,
        summary: vec![],
        findings_total: 0,
        benchmark_orgs,
        benchmark_counts,
        agenda: store::agenda_by_finding(conn, scan_id)?,
        scan: s,
    };
    let mut all = findings::rank(&r);
    r.findings_total = all.len();
    all.truncate(SUMMARY_MAX);
    r.summary = all;
    Ok(r)
}

type Benchmarks = BTreeMap<(String, Group), Benchmark>;

type BenchmarkCounts = BTreeMap<Group, store::GroupCount>;

/// Benchmark on shared standard items: per item and group, the mean of all answers of other
/// organisations' latest closed scan, where that cell meets their threshold. Organisations
/// that opted out ([`store::benchmark_opt_out`]) are left out. Returned only when at least
/// [`BENCHMARK_MIN_ORGS`] organisations contribute to a cell.
fn benchmark(conn: &Connection, s: &Scan) -> Result<(Benchmarks, usize, BenchmarkCounts)> {
    let mut st = conn.prepare(
        "SELECT id FROM qs_scan sc WHERE org_id <> ?1 AND status IN ('closed','report','verbeteragenda')
         AND org_id NOT IN (SELECT org_id FROM qs_benchmark_opt_out)
         AND id = (SELECT MAX(id) FROM qs_scan s2 WHERE s2.org_id = sc.org_id AND s2.status IN ('closed','report','verbeteragenda'))",
    )?;
    let ids: Vec<i64> = st
        .query_map([&s.org_id], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    // (sum of answers, number of answers, organisations)
    let mut sums: BTreeMap<(String, Group), (u128, u128, usize)> = BTreeMap::new();
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
            e.0 += m.num;
            e.1 += m.den;
            e.2 += 1;
        }
    }
    let mut orgs = 0;
    let out: Benchmarks = sums
        .into_iter()
        .filter(|(_, (_, _, n))| *n >= BENCHMARK_MIN_ORGS)
        .filter_map(|(k, (sum, n, o))| {
            orgs = orgs.max(o);
            Exact::new(sum, n).map(|mean| (k, Benchmark { mean, orgs: o }))
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

/// The machine CSV ([`crate::csv::report_csv`]); kept for existing callers.
pub fn to_csv(r: &Report) -> String {
    crate::csv::report_csv(r, crate::csv::Dialect::Machine)
}
