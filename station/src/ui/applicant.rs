//! The window facing the applicant: large French instructions, the live image, the progress and
//! the result. A second egui viewport; it shows nothing personal beyond the applicant's own images.

use eframe::egui::{self, RichText, ViewportBuilder, ViewportId};

use super::{fingers::FINGER_BOX, pictures::Pictures, texts::Tr};
use crate::{
    counter::{CapturePrompt, CounterView},
    enrolment::Step,
};

/// Size of the instruction text (read from a metre away).
const BIG: f32 = 40.0;

/// Shows (or keeps) the applicant's window for this frame.
pub(crate) fn show(ctx: &egui::Context, view: &CounterView, tr: Tr, pictures: &mut Pictures) {
    let id = ViewportId::from_hash_of("applicant-window");
    let builder = ViewportBuilder::default()
        .with_title(tr.t("ui.applicant.window_title"))
        .with_inner_size([800.0, 600.0]);
    ctx.show_viewport_immediate(id, builder, |ui, _class| {
        egui::CentralPanel::default().show(ui, |ui| {
            ui.vertical_centered(|ui| content(ui, view, tr, pictures));
        });
    });
}

fn content(ui: &mut egui::Ui, view: &CounterView, tr: Tr, pictures: &mut Pictures) {
    let Some(enrolment) = view.enrolment.as_ref().filter(|_| view.operator.is_some()) else {
        ui.label(RichText::new(tr.t("ui.applicant.welcome")).size(BIG));
        return;
    };
    match &enrolment.step {
        Step::PreRequest => {
            ui.label(RichText::new(tr.t("ui.applicant.welcome")).size(BIG));
        }
        Step::Photo { .. } => {
            ui.label(RichText::new(tr.t("ui.applicant.photo")).size(BIG));
            if let Some(preview) = &enrolment.preview {
                pictures.show(ui, preview, egui::vec2(360.0, 460.0));
            } else if let Some(photo) = &enrolment.photo {
                pictures.show(ui, &photo.picture, egui::vec2(360.0, 460.0));
            }
        }
        Step::Finger { position, .. } => {
            match enrolment.live.as_ref().filter(|l| l.position == *position) {
                Some(live) => {
                    ui.label(RichText::new(&live.instruction).size(BIG).strong());
                    if live.prompt == CapturePrompt::Reading {
                        ui.add(egui::ProgressBar::new(live.progress).desired_width(500.0));
                    }
                }
                None => {
                    ui.label(
                        RichText::new(tr.with(
                            "ui.applicant.wait_finger",
                            &[("finger", &tr.finger(*position).to_lowercase())],
                        ))
                        .size(BIG),
                    );
                }
            }
            let result = enrolment
                .fingers
                .iter()
                .rev()
                .find(|f| f.position == *position);
            if let Some(best) = result.and_then(|r| r.best.as_ref()) {
                pictures.show(ui, best, FINGER_BOX);
            }
        }
        Step::Review => {
            ui.label(RichText::new(tr.t("ui.applicant.review")).size(BIG));
        }
        Step::Sealed => {
            ui.label(RichText::new(tr.t("ui.applicant.done")).size(BIG).strong());
        }
    }
}
