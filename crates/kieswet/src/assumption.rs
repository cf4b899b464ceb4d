//! Assumptions a run makes that no law text fixes (always set for the proposals), as data
//! that renders in Dutch or English.

use std::fmt;

use crate::Lang;
use crate::candidates::{rounding_en, rounding_nl};
use crate::model::SplitRounding;

/// An assumption not fixed by law text.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Assumption {
    /// The bill ‘Met één stem meer keus’: how its split into list seats and candidate seats
    /// is rounded, and whether it was applied per list of a lijstengroep (`groups`).
    MetEenStemMeerKeus {
        rounding: SplitRounding,
        groups: bool,
    },
}

impl Assumption {
    /// The assumption in words, in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        match lang {
            Lang::Nl => self.describe_nl(),
            Lang::En => self.describe_en(),
        }
    }

    /// The assumption in Dutch.
    pub fn describe_nl(&self) -> String {
        let Assumption::MetEenStemMeerKeus { rounding, groups } = *self;
        let mut s = format!(
            "Dit is het wetsvoorstel ‘Met één stem meer keus’; het is geen geldend recht. Binnen \
             elke partij zijn de zetels verdeeld in lijstzetels en kandidaatszetels, naar \
             verhouding van de lijststemmen en de kandidaatsstemmen. Afronding: {}. De \
             lijstzetels gaan naar de kandidaten in de volgorde van de lijst. Daarna gaan de \
             kandidaatszetels naar de overige kandidaten met de meeste kandidaatsstemmen, zonder \
             voorkeurdrempel; bij gelijke aantallen beslist zo nodig het lot.",
            rounding_nl(rounding)
        );
        if groups {
            s.push_str(
                " Het voorstel schaft de lijsten per kieskring af. Voor een partij met meer \
                 lijsten (een lijstengroep) is de splitsing hier per lijst toegepast, na de \
                 verdeling van de zetels over de lijsten volgens artikel P 12. Een kandidaat die \
                 zo op meer lijsten is gekozen, blijft gekozen op de lijst met de meeste \
                 stemmen, net als in artikel P 18.",
            );
        }
        s.push_str(
            " Het voorstel regelt de volgorde voor latere opvolging niet. De rangschikking hier \
             zet eerst de gekozenen in de volgorde van toewijzing, daarna de overige kandidaten \
             in de volgorde van de lijst.",
        );
        s
    }

    /// The assumption in English.
    pub fn describe_en(&self) -> String {
        let Assumption::MetEenStemMeerKeus { rounding, groups } = *self;
        let mut s = format!(
            "This is the bill ‘Met één stem meer keus’ (one vote, more choice); it is not law. \
             Within each party the seats are split into list seats and candidate seats, in \
             proportion to the list votes and the candidate votes. Rounding: {}. The list seats \
             go to the candidates in the order of the list. Then the candidate seats go to the \
             other candidates with the most candidate votes, without a preference threshold; \
             equal numbers are decided by lot where needed.",
            rounding_en(rounding)
        );
        if groups {
            s.push_str(
                " The bill abolishes the lists per electoral district. For a party with several \
                 lists (a group of lists) the split is applied here per list, after the seats \
                 are divided over the lists under article P 12. A candidate elected on several \
                 lists this way stays elected on the list with the most votes, as in article \
                 P 18.",
            );
        }
        s.push_str(
            " The bill does not set the order for later vacancies. The ranking here first puts \
             the elected candidates in the order they were assigned, then the other candidates \
             in the order of the list.",
        );
        s
    }
}

/// In Dutch ([`Assumption::describe_nl`]).
impl fmt::Display for Assumption {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.describe_nl())
    }
}

/// As its Dutch text, as before assumptions were data.
#[cfg(feature = "serde")]
impl serde::Serialize for Assumption {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&self.describe_nl())
    }
}
