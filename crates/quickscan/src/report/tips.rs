//! The tip library: advice per theme for each verdict that calls for action. Written for
//! Stembus. Only [`super::verdict`] chooses from it, one tip per theme at most.

use super::Verdict;

/// The tip for a theme with this verdict, or `None` when the verdict calls for no tip
/// ("geen oordeel", "geen uitschieters", "te weinig antwoorden").
pub fn tip(theme: &str, verdict: Verdict) -> Option<&'static str> {
    Some(match (theme, verdict) {
        (_, Verdict::NoScale | Verdict::TooFew | Verdict::Neutral) => return None,
        ("participatie", Verdict::GroupGap) => {
            "Bespreek met raad, college, ambtenaren en inwoners samen wat ‘meedoen’ bij u betekent. Leg afspraken vast in de participatieverordening."
        }
        ("participatie", Verdict::Attention) => {
            "Maak bij elk groot plan vooraf een kort participatieplan: wie doet mee, hoe, en over welke keuzes. Laat achteraf zien wat er met de inbreng is gebeurd."
        }
        ("participatie", Verdict::Unknown) => {
            "Veel mensen weten niet hoe meedoen werkt. Maak één vaste plek (online en op papier) waar alle mogelijkheden om mee te doen staan."
        }
        ("initiatieven", Verdict::GroupGap | Verdict::Attention) => {
            "Geef inwoners met een eigen plan één vast aanspreekpunt. Kijk samen welke regels in de weg zitten en of die anders kunnen."
        }
        ("initiatieven", Verdict::Unknown) => {
            "Het uitdaagrecht is nog onbekend. Leg in gewone taal uit hoe het werkt en deel voorbeelden van plannen die gelukt zijn."
        }
        ("invloed", Verdict::GroupGap | Verdict::Attention) => {
            "Vertel aan het begin van een traject eerlijk wat er nog te kiezen valt. Koppel na het besluit terug wat inwoners hebben veranderd."
        }
        ("informatie", Verdict::GroupGap | Verdict::Attention) => {
            "Schrijf brieven en webteksten op B1-niveau en test ze met inwoners. Publiceer raadsvoorstellen met een korte samenvatting."
        }
        ("informatie", Verdict::Unknown) => {
            "Inwoners zien weinig van het werk van de raad. Denk aan een raadsspreekuur, een nieuwsbrief of uitleg na elke raadsvergadering."
        }
        ("controle", Verdict::GroupGap | Verdict::Attention) => {
            "Maak met raad en college afspraken over welke informatie de raad wanneer krijgt. Bespreek jaarlijks hoe de rekenkamer-aanbevelingen zijn opgevolgd."
        }
        ("controle", Verdict::Unknown) => {
            "Veel mensen kennen de rol van de raad en de rekenkamer niet. Laat in voorbeelden zien wat controle heeft opgeleverd."
        }
        ("kwaliteit", Verdict::GroupGap | Verdict::Attention) => {
            "Vertrouwen groeit als afspraken worden nagekomen. Maak zichtbaar wat er met beloftes is gebeurd, en wees open als iets niet lukt."
        }
        (_, Verdict::Good) => {
            "Dit gaat goed. Deel wat werkt met andere afdelingen of organisaties, en houd het vast."
        }
        (_, Verdict::GroupGap) => {
            "De groepen kijken verschillend tegen dit onderwerp aan. Organiseer een gesprek waarin ze elkaars beeld horen."
        }
        (_, Verdict::Attention) => {
            "Dit scoort laag. Kies dit als mogelijk punt voor de verbeteragenda."
        }
        (_, Verdict::Unknown) => {
            "Veel mensen hebben hier geen beeld van. Betere informatie is een eerste stap."
        }
    })
}
