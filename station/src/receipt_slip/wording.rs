//! The receipt's fixed sentences in the configured language, from `locales/receipt.yml` through
//! rust-i18n.

use rust_i18n::t;

use crate::language::Language;

/// The fixed texts of a receipt in one language.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wording {
    /// The document's title.
    pub title: String,
    /// Label of the enrolment date.
    pub date: String,
    /// Label of the pre-request number.
    pub pre_request: String,
    /// Label of the case reference.
    pub case_reference: String,
    /// Label of the record id.
    pub record_id: String,
    /// Heading of the list of what was captured.
    pub captured: String,
    /// Said when the list is empty (a reprint: the station keeps no detail of a sealed record).
    pub captured_unknown: String,
    /// Heading of what happens next.
    pub next: String,
    /// What happens next: the national service processes the file, the applicant is told when to
    /// collect the document.
    pub next_text: String,
    /// The closing note.
    pub note: String,
}

/// The texts for `language`.
pub fn wording(language: Language) -> Wording {
    let l = language.code();
    Wording {
        title: t!("receipt.title", locale = l).into_owned(),
        date: t!("receipt.date", locale = l).into_owned(),
        pre_request: t!("receipt.pre_request", locale = l).into_owned(),
        case_reference: t!("receipt.case_reference", locale = l).into_owned(),
        record_id: t!("receipt.record_id", locale = l).into_owned(),
        captured: t!("receipt.captured", locale = l).into_owned(),
        captured_unknown: t!("receipt.captured_unknown", locale = l).into_owned(),
        next: t!("receipt.next", locale = l).into_owned(),
        next_text: t!("receipt.next_text", locale = l).into_owned(),
        note: t!("receipt.note", locale = l).into_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_text_exists_in_both_languages() {
        let fr = wording(Language::French);
        let en = wording(Language::English);
        for (f, e) in [
            (&fr.title, &en.title),
            (&fr.date, &en.date),
            (&fr.pre_request, &en.pre_request),
            (&fr.case_reference, &en.case_reference),
            (&fr.record_id, &en.record_id),
            (&fr.captured, &en.captured),
            (&fr.captured_unknown, &en.captured_unknown),
            (&fr.next, &en.next),
            (&fr.next_text, &en.next_text),
            (&fr.note, &en.note),
        ] {
            // rust-i18n answers a missing key with the key itself.
            assert!(
                !f.starts_with("receipt.") && !e.starts_with("receipt."),
                "{f} / {e}"
            );
            assert_ne!(f, e);
        }
        assert_eq!(fr.title, "Récépissé de dépôt de demande");
    }
}
