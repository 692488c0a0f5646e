//! The photo defects a test can ask the renderer for: each one is put into the pixels, so that the
//! station's compliance checks have something real to find.

use std::fmt;
use std::str::FromStr;

/// One way a portrait can break the ID photo rules (docs/reference/counter-workflow.md, "Photo").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Defect {
    /// The head is well to the left or right of the frame's centre.
    OffCentre,
    /// The applicant stands too far: the head is too small for a usable 35×45 mm crop.
    HeadTooSmall,
    /// The applicant stands too close: the head is too large for the 35×45 mm crop.
    HeadTooLarge,
    /// The head is rolled 10–20° to one side.
    Tilted,
    /// A pure white background (refused by the rules).
    WhiteBackground,
    /// Objects, shapes and texture behind the applicant.
    ClutteredBackground,
    /// Too much light: highlights clipped.
    OverExposed,
    /// Too little light: a dark photo.
    UnderExposed,
    /// Out of focus.
    Blurred,
    /// A hard side light: one side of the face in shadow.
    SideShadow,
    /// Both eyes closed.
    EyesClosed,
}

impl Defect {
    /// Every defect, in a fixed order (the defect matrix's rows).
    pub const ALL: [Defect; 11] = [
        Defect::OffCentre,
        Defect::HeadTooSmall,
        Defect::HeadTooLarge,
        Defect::Tilted,
        Defect::WhiteBackground,
        Defect::ClutteredBackground,
        Defect::OverExposed,
        Defect::UnderExposed,
        Defect::Blurred,
        Defect::SideShadow,
        Defect::EyesClosed,
    ];

    /// The defect's name on a command line and in tables (`off-centre`, `eyes-closed`, …).
    pub fn name(self) -> &'static str {
        match self {
            Defect::OffCentre => "off-centre",
            Defect::HeadTooSmall => "head-too-small",
            Defect::HeadTooLarge => "head-too-large",
            Defect::Tilted => "tilted",
            Defect::WhiteBackground => "white-background",
            Defect::ClutteredBackground => "cluttered-background",
            Defect::OverExposed => "over-exposed",
            Defect::UnderExposed => "under-exposed",
            Defect::Blurred => "blurred",
            Defect::SideShadow => "side-shadow",
            Defect::EyesClosed => "eyes-closed",
        }
    }

    fn bit(self) -> u16 {
        1 << (self as u16)
    }
}

impl fmt::Display for Defect {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// A defect name that is not one of [`Defect::ALL`].
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "unknown photo defect {0:?} (known: off-centre, head-too-small, head-too-large, tilted, white-background, cluttered-background, over-exposed, under-exposed, blurred, side-shadow, eyes-closed)"
)]
pub struct UnknownDefect(pub String);

impl FromStr for Defect {
    type Err = UnknownDefect;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let wanted = text.trim().to_ascii_lowercase().replace('_', "-");
        Defect::ALL
            .into_iter()
            .find(|defect| {
                defect.name() == wanted || (wanted == "off-center" && *defect == Defect::OffCentre)
            })
            .ok_or_else(|| UnknownDefect(text.to_string()))
    }
}

/// A set of defects (empty: a clean, compliant portrait).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash)]
pub struct Defects(u16);

impl Defects {
    /// No defect: a compliant portrait.
    pub const fn none() -> Self {
        Defects(0)
    }

    /// Just one defect.
    pub fn only(defect: Defect) -> Self {
        Defects(defect.bit())
    }

    /// Adds a defect to the set.
    pub fn insert(&mut self, defect: Defect) {
        self.0 |= defect.bit();
    }

    /// Whether the set holds `defect`.
    pub fn contains(&self, defect: Defect) -> bool {
        self.0 & defect.bit() != 0
    }

    /// Whether the set is empty (a clean portrait).
    pub fn is_empty(&self) -> bool {
        self.0 == 0
    }

    /// The defects in the set, in [`Defect::ALL`] order.
    pub fn iter(&self) -> impl Iterator<Item = Defect> + '_ {
        Defect::ALL
            .into_iter()
            .filter(|defect| self.contains(*defect))
    }
}

impl FromIterator<Defect> for Defects {
    fn from_iter<I: IntoIterator<Item = Defect>>(iter: I) -> Self {
        let mut set = Defects::none();
        for defect in iter {
            set.insert(defect);
        }
        set
    }
}

/// Comma-separated names, `none` for the empty set (the same text as [`FromStr`] reads).
impl fmt::Display for Defects {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.is_empty() {
            return f.write_str("none");
        }
        let names: Vec<&str> = self.iter().map(Defect::name).collect();
        f.write_str(&names.join(","))
    }
}

impl FromStr for Defects {
    type Err = UnknownDefect;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let text = text.trim();
        if text.is_empty() || text.eq_ignore_ascii_case("none") {
            return Ok(Defects::none());
        }
        text.split(',').map(str::parse).collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip() {
        for defect in Defect::ALL {
            assert_eq!(defect.name().parse::<Defect>(), Ok(defect));
        }
        let set: Defects = "blurred, tilted".parse().expect("known names");
        assert!(set.contains(Defect::Blurred) && set.contains(Defect::Tilted));
        assert_eq!(set.to_string().parse::<Defects>(), Ok(set));
        assert_eq!("none".parse::<Defects>(), Ok(Defects::none()));
        assert!("sunglasses".parse::<Defects>().is_err());
    }
}
