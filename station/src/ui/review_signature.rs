//! The signature on the clerk's review: the applicant's ink as it forms, what was decided, and
//! "effacer" (F7), "valider" (F8) and "ne peut pas signer" (F9, then the reason and Enter).

use eframe::egui::{self, Key, RichText};

use super::{cx::Cx, keys, signature_pad, widgets};
use crate::desk::{Command, EnrolmentView};

/// Width of the clerk's copy of the pad (the review's thumbnails are 150 wide).
const PREVIEW_WIDTH: f32 = 320.0;

/// What the clerk typed as the reason, kept in egui's memory for this enrolment only.
#[derive(Debug, Clone, Default)]
struct ReasonField {
    open: bool,
    text: String,
}

fn reason_id(enrolment: &EnrolmentView) -> egui::Id {
    egui::Id::unique(("signature-reason", enrolment.id))
}

/// The pad's copy and its state beside the photo and the fingers, its buttons beside it (the
/// review's row of buttons has no room left at 1280 pixels).
pub(crate) fn column(ui: &mut egui::Ui, enrolment: &EnrolmentView, cx: &mut Cx<'_>) {
    if !enrolment.signature.asked {
        if enrolment.exempt {
            ui.vertical(|ui| {
                ui.label(RichText::new(cx.tr.t("ui.review.signature")).strong());
                ui.label(cx.tr.t("ui.review.signature_exempt"));
            });
        }
        return;
    }
    let busy = cx.view.busy.is_some();
    ui.vertical(|ui| {
        ui.label(RichText::new(cx.tr.t("ui.review.signature")).strong());
        ui.horizontal_top(|ui| {
            state(ui, enrolment, cx);
            ui.vertical(|ui| buttons(ui, enrolment, cx, busy));
        });
    });
}

/// Whether the signature is settled (signed and validated, "cannot sign" with its reason, or not
/// asked: under 12); says in plain words what is missing when it is not.
pub(crate) fn settled(ui: &mut egui::Ui, enrolment: &EnrolmentView, cx: &Cx<'_>) -> bool {
    let signature = &enrolment.signature;
    if !signature.asked || signature.validated || signature.cannot_sign.is_some() {
        return true;
    }
    // The reason field, once opened, says what to do under the buttons; the line would push it
    // below the bottom of a 1280 × 800 screen.
    let reason_open = ui
        .data(|d| d.get_temp::<ReasonField>(reason_id(enrolment)))
        .is_some_and(|field| field.open);
    if reason_open {
        return false;
    }
    // Ink on the pad is a signature waiting for the clerk's decision, not a missing one.
    let key = if signature.strokes.is_empty() {
        "ui.review.signature_missing"
    } else {
        "ui.review.signature_pending"
    };
    ui.label(
        RichText::new(cx.tr.t(key))
            .color(widgets::AMBER)
            .size(super::theme::BODY),
    );
    false
}

/// The pad's copy and what was decided.
fn state(ui: &mut egui::Ui, enrolment: &EnrolmentView, cx: &mut Cx<'_>) {
    let tr = cx.tr;
    let signature = &enrolment.signature;
    ui.vertical(|ui| {
        ui.set_max_width(PREVIEW_WIDTH);
        if let Some(reason) = &signature.cannot_sign {
            ui.label(
                RichText::new(tr.with("ui.review.cannot_sign_recorded", &[("reason", reason)]))
                    .color(widgets::AMBER),
            );
            return;
        }
        // "Ne peut pas signer" pressed: the reason is typed where the pad's copy was, so that it
        // stays inside a 1280 × 800 screen (under the review's buttons it fell below it).
        if reason(ui, enrolment, cx) {
            return;
        }
        signature_pad::preview(ui, signature, PREVIEW_WIDTH);
        let (text, colour) = if signature.validated {
            (tr.t("ui.review.signature_validated"), widgets::GREEN)
        } else if let Some(refusal) = &signature.refusal {
            (refusal.clone(), widgets::RED)
        } else if signature.strokes.is_empty() {
            (tr.t("ui.review.signature_waiting"), super::theme::MUTED)
        } else {
            (tr.t("ui.review.signature_drawing"), super::theme::MUTED)
        };
        ui.label(RichText::new(text).color(colour));
    });
}

/// "Effacer", "Valider", "Ne peut pas signer".
fn buttons(ui: &mut egui::Ui, enrolment: &EnrolmentView, cx: &mut Cx<'_>, busy: bool) {
    let signature = &enrolment.signature;
    if !signature.asked {
        return;
    }
    let tr = cx.tr;
    let inked = !signature.strokes.is_empty();
    let decided = signature.validated || signature.cannot_sign.is_some();
    let can_clear = !busy && (inked || decided);
    if widgets::button(ui, tr, &tr.t("ui.review.signature_clear"), "F7", can_clear)
        || (can_clear && keys::pressed(ui, Key::F7))
    {
        cx.asks.push(Command::ClearSignature);
    }
    let can_validate = !busy && inked && !decided;
    if widgets::button(
        ui,
        tr,
        &tr.t("ui.review.signature_validate"),
        "F8",
        can_validate,
    ) || (can_validate && keys::pressed(ui, Key::F8))
    {
        cx.asks.push(Command::ValidateSignature);
    }
    let can_waive = !busy && !decided;
    if widgets::button(ui, tr, &tr.t("ui.review.cannot_sign"), "F9", can_waive)
        || (can_waive && keys::pressed(ui, Key::F9))
    {
        let id = reason_id(enrolment);
        ui.data_mut(|d| d.get_temp_mut_or_default::<ReasonField>(id).open = true);
    }
}

/// The reason field, once "ne peut pas signer" was pressed: Enter records it. Whether it is
/// shown.
fn reason(ui: &mut egui::Ui, enrolment: &EnrolmentView, cx: &mut Cx<'_>) -> bool {
    let signature = &enrolment.signature;
    let id = reason_id(enrolment);
    let mut field: ReasonField = ui.data(|d| d.get_temp(id)).unwrap_or_default();
    if !field.open || !signature.asked || signature.validated || signature.cannot_sign.is_some() {
        return false;
    }
    let tr = cx.tr;
    let label = ui.label(tr.t("ui.review.cannot_sign_reason"));
    let response = ui
        .add(
            egui::TextEdit::singleline(&mut field.text)
                .id_salt("signature-reason")
                .desired_width(PREVIEW_WIDTH)
                .font(egui::TextStyle::Heading),
        )
        .labelled_by(label.id);
    if !response.has_focus() && field.text.is_empty() && !response.lost_focus() {
        response.request_focus();
    }
    ui.label(RichText::new(tr.t("ui.review.cannot_sign_hint")).color(super::theme::MUTED));
    if keys::submitted(ui, &response) {
        cx.asks.push(Command::CannotSign {
            reason: field.text.clone(),
        });
    }
    ui.data_mut(|d| d.insert_temp(id, field));
    true
}
