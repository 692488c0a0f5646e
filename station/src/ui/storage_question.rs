//! The storage question on the review screen: asked for an identity card with prints, answered
//! with a key for each answer (F4 accepts storage, F5 refuses it); no answer is preselected, and
//! the review cannot be confirmed until one is given.

use eframe::egui::{self, Key, RichText};
use wire::fingerprint_storage::FingerprintStorage;

use super::{cx::Cx, keys, widgets};
use crate::desk::{Command, EnrolmentView};

/// Draws the question and its answer so far; true once it is answered (or not asked), which is
/// when the review may be confirmed.
pub(crate) fn show(ui: &mut egui::Ui, enrolment: &EnrolmentView, cx: &mut Cx<'_>) -> bool {
    if !enrolment.storage_question_asked() {
        return true;
    }
    let tr = cx.tr;
    let busy = cx.view.busy.is_some();
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(
            RichText::new(tr.t("ui.review.storage.question"))
                .strong()
                .size(super::theme::BODY),
        );
        // The answer so far on the buttons' row: one line less keeps the seal key on a
        // 1280×800 screen with the signature pad above.
        let (said, colour) = match enrolment.fingerprint_storage {
            Some(FingerprintStorage::Kept) => {
                (tr.t("ui.review.storage.answer_kept"), widgets::GREEN)
            }
            Some(FingerprintStorage::Refused) => {
                (tr.t("ui.review.storage.answer_refused"), widgets::AMBER)
            }
            None => (tr.t("ui.review.storage.waiting"), widgets::RED),
        };
        ui.horizontal_wrapped(|ui| {
            let answers = [
                (
                    FingerprintStorage::Kept,
                    "ui.review.storage.kept",
                    "F4",
                    Key::F4,
                ),
                (
                    FingerprintStorage::Refused,
                    "ui.review.storage.refused",
                    "F5",
                    Key::F5,
                ),
            ];
            for (answer, label, key_name, key) in answers {
                if widgets::button(ui, tr, &tr.t(label), key_name, !busy)
                    || (!busy && keys::pressed(ui, key))
                {
                    cx.asks.push(Command::AnswerFingerprintStorage(answer));
                }
            }
            ui.label(RichText::new(said).color(colour).size(super::theme::BODY));
        });
    });
    enrolment.fingerprint_storage.is_some()
}

/// What the applicant's window says at the review about the question, if it is asked.
pub(crate) fn for_applicant(enrolment: &EnrolmentView, tr: super::texts::Tr) -> Option<String> {
    if !enrolment.storage_question_asked() {
        return None;
    }
    Some(match enrolment.fingerprint_storage {
        None => tr.t("ui.applicant.storage.question"),
        Some(FingerprintStorage::Kept) => tr.t("ui.applicant.storage.kept"),
        Some(FingerprintStorage::Refused) => tr.t("ui.applicant.storage.refused"),
    })
}
