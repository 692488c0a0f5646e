//! The screens' own texts, from `locales/ui.yml` through rust-i18n (French by default, English by
//! setting). Texts the core publishes come already translated in the view.

use rust_i18n::t;

use crate::{
    enrolment::{ExceptionReason, FingerPosition},
    language::Language,
};

/// The screens' texts in one language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Tr(pub Language);

impl Tr {
    /// The text for `key`.
    pub(crate) fn t(self, key: &str) -> String {
        t!(key, locale = self.0.code()).into_owned()
    }

    /// The text for `key` with `%{name}` placeholders filled.
    pub(crate) fn with(self, key: &str, args: &[(&str, &str)]) -> String {
        let mut text = self.t(key);
        for (name, value) in args {
            text = text.replace(&format!("%{{{name}}}"), value);
        }
        text
    }

    /// The text for a number of things, with `%{count}` filled: `one` for a single thing, `other`
    /// for more, as the language wants it (French says "0 dossier", English "0 records").
    pub(crate) fn counted(self, one: &str, other: &str, count: usize) -> String {
        let singular = match self.0 {
            Language::French => count <= 1,
            Language::English => count == 1,
        };
        let key = if singular { one } else { other };
        self.with(key, &[("count", &count.to_string())])
    }

    /// A finger's name for the clerk ("Index gauche").
    pub(crate) fn finger(self, position: FingerPosition) -> String {
        self.t(match position {
            FingerPosition::LeftIndex => "ui.finger.left_index",
            FingerPosition::LeftMiddle => "ui.finger.left_middle",
            FingerPosition::LeftRing => "ui.finger.left_ring",
            FingerPosition::RightIndex => "ui.finger.right_index",
            FingerPosition::RightMiddle => "ui.finger.right_middle",
            FingerPosition::RightRing => "ui.finger.right_ring",
        })
    }

    /// Why a finger cannot be taken, as the reason chooser shows it.
    pub(crate) fn reason(self, reason: ExceptionReason) -> String {
        self.t(match reason {
            ExceptionReason::Amputated => "ui.reason.amputated",
            ExceptionReason::Bandaged => "ui.reason.bandaged",
            ExceptionReason::Damaged => "ui.reason.damaged",
            ExceptionReason::Other => "ui.reason.other",
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn waiting(tr: Tr, count: usize) -> String {
        tr.counted(
            "ui.home.awaiting_approval_one",
            "ui.home.awaiting_approval_other",
            count,
        )
    }

    #[test]
    fn the_home_screens_waiting_count_agrees_with_its_number() {
        let french = Tr(Language::French);
        assert_eq!(
            waiting(french, 1),
            "1 dossier attend l'approbation d'un superviseur (File d'envoi, F3)"
        );
        assert_eq!(
            waiting(french, 2),
            "2 dossiers attendent l'approbation d'un superviseur (File d'envoi, F3)"
        );
        let english = Tr(Language::English);
        assert_eq!(
            waiting(english, 1),
            "1 record waits for a supervisor's approval (Outbox, F3)"
        );
        assert_eq!(
            waiting(english, 12),
            "12 records wait for a supervisor's approval (Outbox, F3)"
        );
    }
}
