//! Height and eye colour, which the central file keeps for an identity document and the clerk
//! confirms at the counter: the pre-request carries what the applicant declared, the manifest what
//! the clerk confirmed.

use std::ops::RangeInclusive;

use serde::{Deserialize, Serialize};

/// Heights in whole centimetres that a station accepts and the central keeps. The lower bound is a
/// newborn's (a passport may be asked for a baby, and a premature one measures about 40 cm); the
/// upper bound is above the tallest living people (about 251 cm). Anything outside is a typing
/// mistake, not a person.
pub const HEIGHT_CM: RangeInclusive<u16> = 40..=260;

/// Whether `cm` is a height a person can have (see [`HEIGHT_CM`]).
pub fn is_plausible_height(cm: u16) -> bool {
    HEIGHT_CM.contains(&cm)
}

/// Eye colour, a closed list: the central file holds one of these words, not free text. The list
/// is the one given for the ANTS pre-request form (the counter reference only says that the clerk
/// confirms the colour, it does not list the values).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum EyeColour {
    /// Bleus.
    Bleu,
    /// Bleu-gris.
    BleuGris,
    /// Bleu-vert.
    BleuVert,
    /// Gris.
    Gris,
    /// Marron.
    Marron,
    /// Noirs.
    Noir,
    /// Noisette.
    Noisette,
    /// Verts.
    Vert,
    /// Vairons (each eye a different colour).
    Vairons,
}

impl EyeColour {
    /// Every colour, in the order a clerk's list shows them.
    pub const ALL: [Self; 9] = [
        Self::Bleu,
        Self::BleuGris,
        Self::BleuVert,
        Self::Gris,
        Self::Marron,
        Self::Noir,
        Self::Noisette,
        Self::Vert,
        Self::Vairons,
    ];

    /// The text used on the wire (also the key of its label in the station's locale files).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Bleu => "bleu",
            Self::BleuGris => "bleu-gris",
            Self::BleuVert => "bleu-vert",
            Self::Gris => "gris",
            Self::Marron => "marron",
            Self::Noir => "noir",
            Self::Noisette => "noisette",
            Self::Vert => "vert",
            Self::Vairons => "vairons",
        }
    }

    /// Reads the wire text; `None` for anything not in the list.
    pub fn parse(text: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|c| c.as_str() == text)
    }
}

#[cfg(test)]
mod tests {
    use super::{EyeColour, HEIGHT_CM, is_plausible_height};

    #[test]
    fn every_colour_reads_back_from_its_wire_text_and_its_json() {
        for colour in EyeColour::ALL {
            assert_eq!(EyeColour::parse(colour.as_str()), Some(colour));
            let json = serde_json::to_string(&colour).expect("serialises");
            assert_eq!(json, format!("\"{}\"", colour.as_str()));
        }
        assert_eq!(EyeColour::parse("violet"), None);
        assert!(serde_json::from_str::<EyeColour>("\"violet\"").is_err());
    }

    #[test]
    fn heights_outside_the_range_are_not_plausible() {
        assert!(is_plausible_height(*HEIGHT_CM.start()));
        assert!(is_plausible_height(*HEIGHT_CM.end()));
        assert!(!is_plausible_height(HEIGHT_CM.start() - 1));
        assert!(!is_plausible_height(HEIGHT_CM.end() + 1));
        assert!(!is_plausible_height(0));
    }
}
