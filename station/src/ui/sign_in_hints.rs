//! Lines shown under the sign-in form, given by whoever starts the app. The demo puts its accounts
//! and pre-request numbers there; a real station starts with none, so nothing of the demo (no PIN,
//! no test number) is in the clerk's app or its configuration.

use crate::language::Language;

/// A text in both of the screens' languages.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Wording {
    /// In French (the counter's language).
    pub fr: String,
    /// In English.
    pub en: String,
}

impl Wording {
    /// The text in `language`.
    pub fn in_language(&self, language: Language) -> &str {
        match language {
            Language::French => &self.fr,
            Language::English => &self.en,
        }
    }
}

/// A titled table of (what, value) rows under the sign-in form.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct SignInHints {
    /// The table's title.
    pub title: Wording,
    /// Each row: what it is, and the value to type.
    pub rows: Vec<(Wording, String)>,
}
