//! The applicant's answer to "do you refuse that your fingerprints be kept in the central file?",
//! asked for an identity card since 2021. The prints are taken either way (they go on the card's
//! chip); a refusal only decides how long the central keeps them.

use serde::{Deserialize, Serialize};

/// What the applicant answered at review.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FingerprintStorage {
    /// The prints stay in the central file with the rest of the record.
    Kept,
    /// The central deletes the prints at most 90 days after the card is issued or refused; the
    /// rest of the record stays.
    Refused,
}

impl FingerprintStorage {
    /// The word written in the manifest (`kept`, `refused`).
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Kept => "kept",
            Self::Refused => "refused",
        }
    }
}

/// Whether the question is asked for a record of `document_type` (`cni`, `passport`,
/// `cni+passport`) that holds prints: only an identity card gives the choice (a passport's prints
/// are kept by law), and an applicant who gave no prints has nothing to keep.
pub fn is_asked(document_type: &str, has_prints: bool) -> bool {
    has_prints && document_type.split('+').any(|d| d == "cni")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn asked_for_an_identity_card_with_prints_only() {
        assert!(is_asked("cni", true));
        assert!(is_asked("cni+passport", true));
        assert!(!is_asked("passport", true));
        assert!(!is_asked("cni", false));
    }

    #[test]
    fn words_on_the_wire() {
        for (value, word) in [
            (FingerprintStorage::Kept, "kept"),
            (FingerprintStorage::Refused, "refused"),
        ] {
            assert_eq!(value.as_str(), word);
            let json = serde_json::to_string(&value).expect("serialises");
            assert_eq!(json, format!("\"{word}\""));
            let read: FingerprintStorage = serde_json::from_str(&json).expect("parses");
            assert_eq!(read, value);
        }
    }
}
