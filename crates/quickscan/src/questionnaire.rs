//! The questionnaire as versioned data, and the default Stembus questionnaire.
//!
//! All respondent text is written at B1 level. Placeholders are filled per organisation:
//! `{overheid}` (de gemeente / de provincie), `{onze}` (onze gemeente / onze provincie),
//! `{raad}` and `{college}`.

use crate::model::{Group, Lang, OrgKind, Text};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// An answer scale, as data.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Scale {
    pub key: String,
    /// Labels from low (1) to high.
    pub labels: Vec<Text>,
    /// Label of the "weet niet / geen mening" option, if allowed.
    pub dont_know: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum ItemKind {
    /// A statement answered on a named scale.
    Scale { scale: String },
    /// Pick one option.
    Choice { options: Vec<Text> },
    /// Pick up to `pick` options, in order of priority.
    Ranking { options: Vec<Text>, pick: u8 },
    /// Free text.
    Open,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Item {
    /// Stable key: items with the same key and kind are compared across waves and organisations.
    pub key: String,
    pub text: Text,
    /// Wording for a specific group, where the general wording does not fit.
    #[serde(default, skip_serializing_if = "BTreeMap::is_empty")]
    pub group_text: BTreeMap<Group, Text>,
    pub kind: ItemKind,
}

impl Item {
    pub fn wording(&self, group: Group) -> &Text {
        self.group_text.get(&group).unwrap_or(&self.text)
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Theme {
    pub key: String,
    pub title: Text,
    pub intro: Text,
    pub items: Vec<Item>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Questionnaire {
    pub version: String,
    pub title: Text,
    pub scales: Vec<Scale>,
    pub themes: Vec<Theme>,
}

/// The key of the step that holds the maatwerkvragen.
pub const MAATWERK_THEME: &str = "maatwerk";
/// At most this many maatwerkvragen per scan.
pub const MAX_CUSTOM_ITEMS: usize = 4;

/// A stored answer value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "t", content = "v", rename_all = "lowercase")]
pub enum AnswerValue {
    /// 1 = lowest label … n = highest label.
    Scale(u8),
    DontKnow,
    Choice(u8),
    Ranking(Vec<u8>),
    Text(String),
}

pub type Answers = BTreeMap<String, AnswerValue>;

impl Questionnaire {
    pub fn scale(&self, key: &str) -> Option<&Scale> {
        self.scales.iter().find(|s| s.key == key)
    }

    pub fn item(&self, key: &str) -> Option<(&Theme, &Item)> {
        self.themes
            .iter()
            .find_map(|t| t.items.iter().find(|i| i.key == key).map(|i| (t, i)))
    }

    pub fn items(&self) -> impl Iterator<Item = (&Theme, &Item)> {
        self.themes
            .iter()
            .flat_map(|t| t.items.iter().map(move |i| (t, i)))
    }

    /// Adds the maatwerkvragen as an extra theme before the last theme (verbeterprioriteiten).
    #[must_use]
    pub fn with_custom(&self, custom: &[Item]) -> Questionnaire {
        let mut q = self.clone();
        if !custom.is_empty() {
            let theme = Theme {
                key: MAATWERK_THEME.into(),
                title: Text::new("Vragen van {onze}", "Questions from {onze}"),
                intro: Text::new(
                    "{Overheid} wil graag ook uw mening weten over deze onderwerpen.",
                    "{Overheid} would also like to know your opinion on these topics.",
                ),
                items: custom.to_vec(),
            };
            let at = q.themes.len().saturating_sub(1);
            q.themes.insert(at, theme);
        }
        q
    }

    /// Checks answers against the items. Unknown keys and out-of-range values are errors.
    /// Unanswered items are fine: every question is voluntary.
    pub fn validate(&self, answers: &Answers) -> Result<(), String> {
        for (key, value) in answers {
            let Some((_, item)) = self.item(key) else {
                return Err(format!("onbekende vraag {key}"));
            };
            let ok = match (&item.kind, value) {
                (ItemKind::Scale { scale }, AnswerValue::Scale(v)) => self
                    .scale(scale)
                    .is_some_and(|s| *v >= 1 && usize::from(*v) <= s.labels.len()),
                (ItemKind::Scale { scale }, AnswerValue::DontKnow) => {
                    self.scale(scale).is_some_and(|s| s.dont_know.is_some())
                }
                (ItemKind::Choice { options }, AnswerValue::Choice(v)) => {
                    usize::from(*v) < options.len()
                }
                (ItemKind::Ranking { options, pick }, AnswerValue::Ranking(v)) => {
                    let mut seen = v.clone();
                    seen.sort_unstable();
                    seen.dedup();
                    !v.is_empty()
                        && v.len() <= usize::from(*pick)
                        && seen.len() == v.len()
                        && v.iter().all(|o| usize::from(*o) < options.len())
                }
                (ItemKind::Open, AnswerValue::Text(t)) => {
                    !t.trim().is_empty() && t.chars().count() <= 4000
                }
                _ => false,
            };
            if !ok {
                return Err(format!("ongeldig antwoord bij {key}"));
            }
        }
        Ok(())
    }
}

/// Fills the organisation placeholders.
pub fn fill(text: &str, kind: OrgKind, lang: Lang) -> String {
    let (overheid, onze, raad, college) = match (kind, lang) {
        (OrgKind::Gemeente, Lang::Nl) => (
            "de gemeente",
            "onze gemeente",
            "de gemeenteraad",
            "het college van burgemeester en wethouders",
        ),
        (OrgKind::Provincie, Lang::Nl) => (
            "de provincie",
            "onze provincie",
            "Provinciale Staten",
            "Gedeputeerde Staten",
        ),
        (OrgKind::Gemeente, Lang::En) => (
            "the municipality",
            "our municipality",
            "the municipal council",
            "the mayor and aldermen",
        ),
        (OrgKind::Provincie, Lang::En) => (
            "the province",
            "our province",
            "the Provincial Council",
            "the Provincial Executive",
        ),
    };
    let cap = |s: &str| {
        let mut c = s.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    };
    text.replace("{overheid}", overheid)
        .replace("{Overheid}", &cap(overheid))
        .replace("{onze}", onze)
        .replace("{Onze}", &cap(onze))
        .replace("{raad}", raad)
        .replace("{Raad}", &cap(raad))
        .replace("{college}", college)
        .replace("{College}", &cap(college))
}

fn agree(key: &str, nl: &str, en: &str) -> Item {
    Item {
        key: key.into(),
        text: Text::new(nl, en),
        group_text: BTreeMap::new(),
        kind: ItemKind::Scale {
            scale: "eens5".into(),
        },
    }
}

fn with_group(mut item: Item, group: Group, nl: &str, en: &str) -> Item {
    item.group_text.insert(group, Text::new(nl, en));
    item
}

fn opts(list: &[(&str, &str)]) -> Vec<Text> {
    list.iter().map(|(nl, en)| Text::new(nl, en)).collect()
}

/// The default Stembus questionnaire (version `stembus-2025.1`): 7 themes, about 15 minutes.
pub fn default_questionnaire() -> Questionnaire {
    let ladder = opts(&[
        ("Alleen informatie krijgen", "Only being informed"),
        (
            "Meedenken: ideeën en mening geven",
            "Thinking along: giving ideas and views",
        ),
        ("Meebeslissen: samen kiezen", "Deciding together"),
        (
            "Meewerken: zelf mee uitvoeren",
            "Working along: helping to carry out",
        ),
        ("Weet niet / geen mening", "Don't know / no opinion"),
    ]);
    Questionnaire {
        version: "stembus-2025.1".into(),
        title: Text::new("Quick Scan Lokale Democratie", "Quick Scan Local Democracy"),
        scales: vec![Scale {
            key: "eens5".into(),
            labels: opts(&[
                ("Helemaal oneens", "Strongly disagree"),
                ("Oneens", "Disagree"),
                ("Niet eens, niet oneens", "Neither agree nor disagree"),
                ("Eens", "Agree"),
                ("Helemaal eens", "Strongly agree"),
            ]),
            dont_know: Some(Text::new(
                "Weet niet / geen mening",
                "Don't know / no opinion",
            )),
        }],
        themes: vec![
            Theme {
                key: "participatie".into(),
                title: Text::new("Meedoen van inwoners", "Resident participation"),
                intro: Text::new(
                    "Inwoners kunnen op verschillende manieren meedoen: meedenken, meebeslissen of meewerken. Wat ziet u in {onze}?",
                    "Residents can take part in different ways: thinking along, deciding together or working along. What do you see in {onze}?",
                ),
                items: vec![
                    agree(
                        "part_weten",
                        "Inwoners weten hoe zij kunnen meepraten over plannen van {overheid}.",
                        "Residents know how they can give their views on plans of {overheid}.",
                    ),
                    agree(
                        "part_meedenken",
                        "Inwoners kunnen meedenken over een plan voordat er een besluit valt.",
                        "Residents can think along about a plan before a decision is made.",
                    ),
                    agree(
                        "part_meebeslissen",
                        "Inwoners kunnen soms ook meebeslissen, bijvoorbeeld over geld voor hun buurt.",
                        "Residents can sometimes also decide, for example about money for their neighbourhood.",
                    ),
                    agree(
                        "part_meewerken",
                        "Inwoners kunnen meewerken aan het uitvoeren van plannen.",
                        "Residents can help to carry out plans.",
                    ),
                    agree(
                        "part_terugkoppeling",
                        "{Overheid} laat weten wat er met de inbreng van inwoners is gedaan.",
                        "{Overheid} tells residents what was done with their input.",
                    ),
                    agree(
                        "part_bereik",
                        "Ook mensen die minder snel meedoen, zoals jongeren, worden bereikt.",
                        "People who take part less easily, such as young people, are also reached.",
                    ),
                    Item {
                        key: "part_ladder_nu".into(),
                        text: Text::new(
                            "Hoe ver mogen inwoners nu meestal meedoen bij grote plannen?",
                            "How far can residents usually take part in big plans now?",
                        ),
                        group_text: BTreeMap::new(),
                        kind: ItemKind::Choice {
                            options: ladder.clone(),
                        },
                    },
                    Item {
                        key: "part_ladder_wens".into(),
                        text: Text::new(
                            "Hoe ver zouden inwoners volgens u mogen meedoen bij grote plannen?",
                            "How far should residents be able to take part in big plans, in your view?",
                        ),
                        group_text: BTreeMap::new(),
                        kind: ItemKind::Choice { options: ladder },
                    },
                ],
            },
            Theme {
                key: "initiatieven".into(),
                title: Text::new(
                    "Eigen plannen van inwoners en uitdaagrecht",
                    "Residents' initiatives and right to challenge",
                ),
                intro: Text::new(
                    "Soms komen inwoners zelf met een plan. Met het uitdaagrecht mogen zij ook een taak van {overheid} overnemen.",
                    "Sometimes residents come up with a plan themselves. With the right to challenge they may also take over a task of {overheid}.",
                ),
                items: vec![
                    agree(
                        "init_hulp",
                        "Inwoners met een eigen plan voor hun buurt krijgen hulp van {overheid}.",
                        "Residents with their own plan for their neighbourhood get help from {overheid}.",
                    ),
                    agree(
                        "init_loket",
                        "Het is duidelijk bij wie je terechtkunt met een eigen plan.",
                        "It is clear whom to contact with your own plan.",
                    ),
                    agree(
                        "init_ruimte",
                        "{Overheid} geeft inwoners ruimte om zelf dingen te regelen.",
                        "{Overheid} gives residents room to arrange things themselves.",
                    ),
                    agree(
                        "init_regels",
                        "Regels staan goede plannen van inwoners niet in de weg.",
                        "Rules do not stand in the way of good plans by residents.",
                    ),
                    agree(
                        "init_uitdaagrecht",
                        "Inwoners weten dat zij een taak van {overheid} mogen overnemen als zij die beter kunnen doen (uitdaagrecht).",
                        "Residents know they may take over a task of {overheid} if they can do it better (right to challenge).",
                    ),
                ],
            },
            Theme {
                key: "invloed".into(),
                title: Text::new("Invloed", "Influence"),
                intro: Text::new(
                    "Hebben inwoners echt invloed? Worden zij gehoord?",
                    "Do residents really have influence? Are they heard?",
                ),
                items: vec![
                    agree(
                        "inv_besluiten",
                        "Inwoners hebben echt invloed op besluiten van {overheid}.",
                        "Residents really influence decisions of {overheid}.",
                    ),
                    agree(
                        "inv_raad",
                        "{Raad} luistert naar wat inwoners vinden.",
                        "{Raad} listens to what residents think.",
                    ),
                    agree(
                        "inv_college",
                        "{College} luistert naar wat inwoners vinden.",
                        "{College} listens to what residents think.",
                    ),
                    agree(
                        "inv_ambtenaren",
                        "Ambtenaren nemen ideeën van inwoners serieus.",
                        "Civil servants take residents' ideas seriously.",
                    ),
                    agree(
                        "inv_ruimte",
                        "Als inwoners mogen meedoen, is vooraf duidelijk wat er nog te kiezen valt.",
                        "When residents may take part, it is clear beforehand what can still be chosen.",
                    ),
                ],
            },
            Theme {
                key: "informatie".into(),
                title: Text::new(
                    "Informatie en communicatie",
                    "Information and communication",
                ),
                intro: Text::new(
                    "Goede informatie helpt om mee te doen. Hoe is de informatie van {overheid}?",
                    "Good information helps people take part. How is the information from {overheid}?",
                ),
                items: vec![
                    agree(
                        "info_vinden",
                        "Informatie van {overheid} is makkelijk te vinden.",
                        "Information from {overheid} is easy to find.",
                    ),
                    agree(
                        "info_taal",
                        "Brieven en berichten van {overheid} zijn in gewone, duidelijke taal.",
                        "Letters and messages from {overheid} are in plain, clear language.",
                    ),
                    agree(
                        "info_optijd",
                        "Inwoners horen op tijd over plannen die hen raken.",
                        "Residents hear in time about plans that affect them.",
                    ),
                    agree(
                        "info_raad",
                        "Het is duidelijk wat {raad} doet en besluit.",
                        "It is clear what {raad} does and decides.",
                    ),
                    agree(
                        "info_uitleg",
                        "{Overheid} legt uit waarom een besluit is genomen.",
                        "{Overheid} explains why a decision was made.",
                    ),
                ],
            },
            Theme {
                key: "controle".into(),
                title: Text::new(
                    "Controle door raad en rekenkamer",
                    "Scrutiny by council and audit office",
                ),
                intro: Text::new(
                    "{Raad} controleert {college}. De rekenkamer onderzoekt of geld goed wordt besteed.",
                    "{Raad} scrutinises {college}. The audit office checks whether money is spent well.",
                ),
                items: vec![
                    with_group(
                        with_group(
                            agree(
                                "ctrl_controle",
                                "{Raad} controleert goed of {college} doet wat is afgesproken.",
                                "{Raad} checks well whether {college} does what was agreed.",
                            ),
                            Group::Raad,
                            "Wij als raad controleren goed of {college} doet wat is afgesproken.",
                            "We as the council check well whether {college} does what was agreed.",
                        ),
                        Group::College,
                        "{Raad} controleert goed of wij als college doen wat is afgesproken.",
                        "{Raad} checks well whether we as executive do what was agreed.",
                    ),
                    agree(
                        "ctrl_informatie",
                        "{Raad} krijgt de informatie die nodig is om goed te controleren.",
                        "{Raad} gets the information it needs to scrutinise well.",
                    ),
                    agree(
                        "ctrl_kaders",
                        "{Raad} spreekt vooraf duidelijke doelen af voordat plannen worden uitgewerkt.",
                        "{Raad} agrees clear goals before plans are worked out.",
                    ),
                    agree(
                        "ctrl_rekenkamer",
                        "Het onderzoek van de rekenkamer wordt gebruikt om dingen te verbeteren.",
                        "The audit office's research is used to improve things.",
                    ),
                    agree(
                        "ctrl_rollen",
                        "Raad, college en ambtenaren werken goed samen, ieder in de eigen rol.",
                        "Council, executive and civil servants work well together, each in their own role.",
                    ),
                ],
            },
            Theme {
                key: "kwaliteit".into(),
                title: Text::new(
                    "Democratische kwaliteit en vertrouwen",
                    "Democratic quality and trust",
                ),
                intro: Text::new(
                    "Hoe eerlijk en betrouwbaar vindt u de manier waarop besluiten worden genomen?",
                    "How fair and reliable do you find the way decisions are made?",
                ),
                items: vec![
                    agree(
                        "kwal_vertrouwen_raad",
                        "Ik heb vertrouwen in {raad}.",
                        "I trust {raad}.",
                    ),
                    agree(
                        "kwal_vertrouwen_college",
                        "Ik heb vertrouwen in {college}.",
                        "I trust {college}.",
                    ),
                    agree(
                        "kwal_zorgvuldig",
                        "Besluiten worden eerlijk en zorgvuldig genomen.",
                        "Decisions are made fairly and carefully.",
                    ),
                    agree(
                        "kwal_meningen",
                        "Verschillende meningen krijgen een eerlijke kans.",
                        "Different opinions get a fair chance.",
                    ),
                    agree(
                        "kwal_belofte",
                        "{Overheid} doet wat zij belooft.",
                        "{Overheid} does what it promises.",
                    ),
                    agree(
                        "kwal_algemeen",
                        "De democratie in {onze} werkt goed.",
                        "Democracy in {onze} works well.",
                    ),
                ],
            },
            Theme {
                key: "prioriteiten".into(),
                title: Text::new("Wat moet beter?", "What should improve?"),
                intro: Text::new(
                    "Tot slot: wat vindt u het belangrijkst om te verbeteren?",
                    "Finally: what do you think is most important to improve?",
                ),
                items: vec![
                    Item {
                        key: "prio_top3".into(),
                        text: Text::new(
                            "Wat moet als eerste beter? Kies er hoogstens 3 en geef de volgorde aan.",
                            "What should improve first? Choose up to 3 and put them in order.",
                        ),
                        group_text: BTreeMap::new(),
                        kind: ItemKind::Ranking {
                            pick: 3,
                            options: opts(&[
                                (
                                    "Inwoners eerder laten meedenken",
                                    "Involve residents earlier",
                                ),
                                ("Informatie in gewone taal", "Information in plain language"),
                                (
                                    "Meer ruimte voor eigen plannen van inwoners",
                                    "More room for residents' own plans",
                                ),
                                (
                                    "Betere controle door de raad",
                                    "Better scrutiny by the council",
                                ),
                                (
                                    "Jongeren en nieuwe groepen bereiken",
                                    "Reach young people and new groups",
                                ),
                                (
                                    "Laten zien wat er met inbreng gebeurt",
                                    "Show what happens with input",
                                ),
                                (
                                    "Betere samenwerking tussen raad, college en ambtenaren",
                                    "Better cooperation between council, executive and civil servants",
                                ),
                                (
                                    "Meer manieren om online mee te doen",
                                    "More ways to take part online",
                                ),
                            ]),
                        },
                    },
                    Item {
                        key: "prio_tip".into(),
                        text: Text::new(
                            "Heeft u nog een tip of idee om de democratie in {onze} beter te maken? (optioneel)",
                            "Do you have a tip or idea to make democracy in {onze} better? (optional)",
                        ),
                        group_text: BTreeMap::new(),
                        kind: ItemKind::Open,
                    },
                ],
            },
        ],
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_is_consistent() {
        let q = default_questionnaire();
        assert_eq!(q.themes.len(), 7);
        let mut keys: Vec<_> = q.items().map(|(_, i)| i.key.clone()).collect();
        let n = keys.len();
        assert!((30..=45).contains(&n), "{n} items");
        keys.sort();
        keys.dedup();
        assert_eq!(keys.len(), n, "duplicate keys");
        for (_, i) in q.items() {
            if let ItemKind::Scale { scale } = &i.kind {
                assert!(q.scale(scale).is_some());
            }
            assert!(!i.text.nl.is_empty() && !i.text.en.is_empty());
        }
        // round-trips as data
        let json = serde_json::to_string(&q).unwrap();
        let back: Questionnaire = serde_json::from_str(&json).unwrap();
        assert_eq!(back, q);
    }

    #[test]
    fn placeholders_filled_per_kind() {
        let t = "{Raad} en {college} in {onze}";
        assert_eq!(
            fill(t, OrgKind::Provincie, Lang::Nl),
            "Provinciale Staten en Gedeputeerde Staten in onze provincie"
        );
        assert_eq!(
            fill(t, OrgKind::Gemeente, Lang::Nl),
            "De gemeenteraad en het college van burgemeester en wethouders in onze gemeente"
        );
    }

    #[test]
    fn validation() {
        let q = default_questionnaire();
        let mut a = Answers::new();
        a.insert("part_weten".into(), AnswerValue::Scale(4));
        a.insert("inv_raad".into(), AnswerValue::DontKnow);
        a.insert("prio_top3".into(), AnswerValue::Ranking(vec![2, 0, 5]));
        a.insert(
            "prio_tip".into(),
            AnswerValue::Text("Meer buurtavonden".into()),
        );
        assert!(q.validate(&a).is_ok());
        a.insert("part_weten".into(), AnswerValue::Scale(6));
        assert!(q.validate(&a).is_err());
        a.insert("part_weten".into(), AnswerValue::Scale(3));
        a.insert("prio_top3".into(), AnswerValue::Ranking(vec![1, 1]));
        assert!(q.validate(&a).is_err());
        a.remove("prio_top3");
        a.insert("nope".into(), AnswerValue::Scale(1));
        assert!(q.validate(&a).is_err());
    }
}
