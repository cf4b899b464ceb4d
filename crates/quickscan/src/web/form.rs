//! Rendering the questionnaire's items and reading them back.

use super::{
    AnswerValue, Answers, Fields, Group, ItemKind, Markup, OrgKind, QLang, Questionnaire, field,
    fill, html,
};

pub(super) fn item_input(
    q: &Questionnaire,
    it: &crate::questionnaire::Item,
    group: Group,
    kind: OrgKind,
    current: Option<&AnswerValue>,
) -> Markup {
    let text = fill(&it.wording(group).nl, kind, QLang::Nl);
    let id = &it.key;
    html! {
        div.qs-item {
            @match &it.kind {
                ItemKind::Scale { scale } => {
                    @let sc = q.scale(scale);
                    fieldset {
                        legend { (text) }
                        div.qs-scale {
                            @for (i, l) in sc.map(|s| s.labels.clone()).unwrap_or_default().iter().enumerate() {
                                @let v = i + 1;
                                div.radio { input id={(id) "-" (v)} type="radio" name=(id) value=(v) checked[current == Some(&AnswerValue::Scale(u8::try_from(v).unwrap_or(0)))]; label for={(id) "-" (v)} { (l.nl) } }
                            }
                            @if let Some(dk) = sc.and_then(|s| s.dont_know.clone()) {
                                div.radio { input id={(id) "-0"} type="radio" name=(id) value="0" checked[current == Some(&AnswerValue::DontKnow)]; label for={(id) "-0"} { (dk.nl) } }
                            }
                        }
                    }
                }
                ItemKind::Choice { options } => {
                    fieldset {
                        legend { (text) }
                        @for (i, o) in options.iter().enumerate() {
                            div.radio { input id={(id) "-" (i)} type="radio" name=(id) value=(i) checked[current == Some(&AnswerValue::Choice(u8::try_from(i).unwrap_or(0)))]; label for={(id) "-" (i)} { (fill(&o.nl, kind, QLang::Nl)) } }
                        }
                    }
                }
                ItemKind::Ranking { options, pick } => {
                    @let chosen: Vec<u8> = match current { Some(AnswerValue::Ranking(v)) => v.clone(), _ => vec![] };
                    fieldset {
                        legend { (text) }
                        @for p in 0..*pick {
                            div.field {
                                label.field-label for={(id) "__" (p)} { "Keuze " (p + 1) }
                                select.input id={(id) "__" (p)} name={(id) "__" (p)} {
                                    option value="" { "(geen keuze)" }
                                    @for (i, o) in options.iter().enumerate() {
                                        option value=(i) selected[chosen.get(usize::from(p)) == Some(&u8::try_from(i).unwrap_or(0))] { (fill(&o.nl, kind, QLang::Nl)) }
                                    }
                                }
                            }
                        }
                    }
                }
                ItemKind::Open => {
                    div.field {
                        label.field-label for=(id) { (text) }
                        textarea.input id=(id) name=(id) rows="4" maxlength="4000" { (match current { Some(AnswerValue::Text(t)) => t.as_str(), _ => "" }) }
                    }
                }
            }
        }
    }
}

/// Reads answers for `keys` from a form; returns (answers, keys left empty).
pub(super) fn parse_answers(
    q: &Questionnaire,
    keys: &[String],
    f: &Fields,
) -> (Answers, Vec<String>) {
    let mut out = Answers::new();
    let mut cleared = Vec::new();
    for key in keys {
        let Some((_, it)) = q.item(key) else { continue };
        let v = match &it.kind {
            ItemKind::Scale { .. } => match field(f, key).parse::<u8>() {
                Ok(0) => Some(AnswerValue::DontKnow),
                Ok(v) => Some(AnswerValue::Scale(v)),
                Err(_) => None,
            },
            ItemKind::Choice { .. } => field(f, key).parse::<u8>().ok().map(AnswerValue::Choice),
            ItemKind::Ranking { pick, .. } => {
                let mut r: Vec<u8> = Vec::new();
                for p in 0..*pick {
                    if let Ok(v) = field(f, &format!("{key}__{p}")).parse::<u8>()
                        && !r.contains(&v)
                    {
                        r.push(v);
                    }
                }
                (!r.is_empty()).then_some(AnswerValue::Ranking(r))
            }
            ItemKind::Open => {
                let t = field(f, key).trim();
                (!t.is_empty()).then(|| AnswerValue::Text(t.to_owned()))
            }
        };
        match v {
            Some(v) => {
                out.insert(key.clone(), v);
            }
            None => cleared.push(key.clone()),
        }
    }
    (out, cleared)
}

pub(super) fn answer_text(q: &Questionnaire, key: &str, v: &AnswerValue, kind: OrgKind) -> String {
    let Some((_, it)) = q.item(key) else {
        return String::new();
    };
    match (&it.kind, v) {
        (ItemKind::Scale { scale }, AnswerValue::Scale(n)) => q
            .scale(scale)
            .and_then(|s| s.labels.get(usize::from(*n) - 1))
            .map(|l| l.nl.clone())
            .unwrap_or_default(),
        (ItemKind::Scale { scale }, AnswerValue::DontKnow) => q
            .scale(scale)
            .and_then(|s| s.dont_know.clone())
            .map(|l| l.nl)
            .unwrap_or_default(),
        (ItemKind::Choice { options }, AnswerValue::Choice(n)) => options
            .get(usize::from(*n))
            .map(|o| fill(&o.nl, kind, QLang::Nl))
            .unwrap_or_default(),
        (ItemKind::Ranking { options, .. }, AnswerValue::Ranking(r)) => r
            .iter()
            .enumerate()
            .map(|(i, n)| {
                format!(
                    "{}. {}",
                    i + 1,
                    options
                        .get(usize::from(*n))
                        .map(|o| o.nl.clone())
                        .unwrap_or_default()
                )
            })
            .collect::<Vec<_>>()
            .join("; "),
        (_, AnswerValue::Text(t)) => t.clone(),
        _ => String::new(),
    }
}
