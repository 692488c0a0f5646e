//! The language the station speaks to people: French at the counter, English on request.

use serde::{Deserialize, Serialize};

/// The language of clerk- and applicant-facing texts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub enum Language {
    /// French (the counter's working language; the default).
    #[default]
    #[serde(rename = "fr")]
    French,
    /// English (support, documentation).
    #[serde(rename = "en")]
    English,
}

impl Language {
    /// The locale code used by the translation files: `fr` or `en`.
    pub fn code(self) -> &'static str {
        match self {
            Self::French => "fr",
            Self::English => "en",
        }
    }
}
