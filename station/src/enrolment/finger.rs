//! Fingers as the counter names them, with their ISO/IEC 19794-4 position codes, and the reasons a
//! finger can be recorded as not taken.

use serde::{Deserialize, Serialize};

/// A hand.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Hand {
    /// Left hand.
    Left,
    /// Right hand.
    Right,
}

impl Hand {
    /// The other hand.
    pub fn other(self) -> Self {
        match self {
            Self::Left => Self::Right,
            Self::Right => Self::Left,
        }
    }
}

/// The fingers the legal sequence may ask for: index, middle and ring of either hand
/// (docs/reference/counter-workflow.md §"The flow at the counter", item 4). Thumbs and little
/// fingers are never asked for.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FingerPosition {
    /// Left index (ISO code 7).
    LeftIndex,
    /// Left middle (ISO code 8).
    LeftMiddle,
    /// Left ring (ISO code 9).
    LeftRing,
    /// Right index (ISO code 2).
    RightIndex,
    /// Right middle (ISO code 3).
    RightMiddle,
    /// Right ring (ISO code 4).
    RightRing,
}

impl FingerPosition {
    /// The fingers of `hand` in the order the sequence tries them: index, middle, ring.
    pub fn of_hand(hand: Hand) -> [Self; 3] {
        match hand {
            Hand::Left => [Self::LeftIndex, Self::LeftMiddle, Self::LeftRing],
            Hand::Right => [Self::RightIndex, Self::RightMiddle, Self::RightRing],
        }
    }

    /// The hand this finger belongs to.
    pub fn hand(self) -> Hand {
        match self {
            Self::LeftIndex | Self::LeftMiddle | Self::LeftRing => Hand::Left,
            Self::RightIndex | Self::RightMiddle | Self::RightRing => Hand::Right,
        }
    }

    /// ISO/IEC 19794-4 finger position code (docs/reference/iso19794-records.md §1: 2 = right
    /// index, 7 = left index).
    pub fn iso_code(self) -> u8 {
        match self {
            Self::RightIndex => 2,
            Self::RightMiddle => 3,
            Self::RightRing => 4,
            Self::LeftIndex => 7,
            Self::LeftMiddle => 8,
            Self::LeftRing => 9,
        }
    }

    /// The finger of ISO/IEC 19794-4 position `code`, when it is one this station takes.
    pub fn from_iso_code(code: u8) -> Option<Self> {
        [
            Self::RightIndex,
            Self::RightMiddle,
            Self::RightRing,
            Self::LeftIndex,
            Self::LeftMiddle,
            Self::LeftRing,
        ]
        .into_iter()
        .find(|finger| finger.iso_code() == code)
    }

    /// The manifest's name, e.g. `left-index`.
    pub fn name(self) -> &'static str {
        match self {
            Self::LeftIndex => "left-index",
            Self::LeftMiddle => "left-middle",
            Self::LeftRing => "left-ring",
            Self::RightIndex => "right-index",
            Self::RightMiddle => "right-middle",
            Self::RightRing => "right-ring",
        }
    }
}

impl std::fmt::Display for FingerPosition {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// Why a finger could not be taken (docs/reference/counter-workflow.md: "recorded with a reason").
/// Deliberately no free text: a note typed at the counter could carry health details.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum ExceptionReason {
    /// The finger is missing.
    Amputated,
    /// The finger is bandaged or in a cast.
    Bandaged,
    /// The skin is too damaged to give ridges (burn, scar, wear).
    Damaged,
    /// Any other reason the clerk judged.
    Other,
}

impl ExceptionReason {
    /// The manifest's word for it.
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Amputated => "amputated",
            Self::Bandaged => "bandaged",
            Self::Damaged => "damaged",
            Self::Other => "other",
        }
    }
}
