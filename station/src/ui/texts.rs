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
