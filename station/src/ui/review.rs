//! Review: the photo and every finger with its score on one screen; confirm seals and queues the
//! record in one step.

use eframe::egui::{self, Key, RichText};

use super::{cx::Cx, fingers, keys, review_signature, widgets};
use crate::desk::{Command, EnrolmentView};

/// Size of each image on the review screen.
const THUMB: egui::Vec2 = egui::vec2(150.0, 190.0);

pub(crate) fn show(ui: &mut egui::Ui, enrolment: &EnrolmentView, cx: &mut Cx<'_>) {
    let tr = cx.tr;
    widgets::heading(ui, &tr.t("ui.review.title"));
    if let Some(pre) = &enrolment.pre_request {
        ui.label(
            RichText::new(format!(
                "{} — {} {}",
                super::pre_request::shown_number(pre, tr),
                pre.applicant.surname,
                pre.applicant.given_names
            ))
            .size(super::theme::BODY),
        );
    }
    if let (Some(cm), Some(colour)) = (enrolment.physical.height_cm, enrolment.physical.eye_colour)
    {
        let colour = tr.t(&format!(
            "ui.eye_colour.{}",
            colour.as_str().replace('-', "_")
        ));
        ui.label(
            RichText::new(tr.with(
                "ui.review.physical",
                &[("cm", &cm.to_string()), ("colour", &colour)],
            ))
            .size(super::theme::BODY),
        );
    }
    if let Some(stamp) = &enrolment.tax_stamp.accepted {
        let key = if stamp.checked {
            "ui.review.tax_stamp"
        } else {
            "ui.review.tax_stamp_unchecked"
        };
        let amount = wire::tax_stamp::euros(stamp.amount_cents);
        ui.label(
            RichText::new(tr.with(
                key,
                &[("number", &stamp.number.grouped()), ("amount", &amount)],
            ))
            .size(super::theme::BODY),
        );
    }
    ui.horizontal_wrapped(|ui| {
        ui.vertical(|ui| {
            ui.label(RichText::new(tr.t("ui.review.photo")).strong());
            if enrolment.photo_on_paper {
                ui.label(tr.t("ui.review.photo_on_paper"));
            } else if let Some(photo) = &enrolment.photo {
                cx.pictures.show(ui, &photo.picture, THUMB);
                let text = if photo.compliant {
                    tr.t("ui.photo.compliant")
                } else {
                    tr.t("ui.photo.not_compliant")
                };
                ui.label(text);
            } else {
                ui.label(RichText::new(tr.t("ui.review.no_photo")).color(widgets::RED));
            }
        });
        for f in &enrolment.fingers {
            ui.vertical(|ui| {
                ui.label(RichText::new(tr.finger(f.position)).strong());
                match &f.best {
                    Some(best) => {
                        cx.pictures.show(ui, best, THUMB);
                    }
                    None => {
                        ui.allocate_space(THUMB);
                    }
                }
                ui.label(fingers::outcome(f, cx.settings.quality_threshold, tr));
            });
        }
        review_signature::column(ui, enrolment, cx);
    });
    if enrolment.exempt {
        ui.label(
            RichText::new(tr.t("ui.review.exempt"))
                .color(widgets::AMBER)
                .size(super::theme::BODY),
        );
    }
    ui.add_space(10.0);
    // No default answer: confirming waits for it.
    let answered = super::storage_question::show(ui, enrolment, cx);
    // Nor without the signature: the central refuses a record that has none.
    let signed = review_signature::settled(ui, enrolment, cx);
    ui.add_space(10.0);
    let busy = cx.view.busy.is_some();
    let can_confirm = answered && signed && !busy;
    ui.horizontal(|ui| {
        if widgets::button(
            ui,
            tr,
            &tr.t("ui.review.confirm"),
            widgets::ENTER,
            can_confirm,
        ) || (can_confirm && keys::enter_for_main_action(ui))
        {
            cx.asks.push(Command::ConfirmReview);
        }
        let any_finger = enrolment.fingers.iter().any(|f| f.settled);
        if widgets::button(
            ui,
            tr,
            &tr.t("ui.review.retake_last"),
            "F6",
            any_finger && !busy,
        ) || (any_finger && !busy && keys::pressed(ui, Key::F6))
        {
            cx.asks.push(Command::RetryFinger);
        }
    });
}
