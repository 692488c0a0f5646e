//! The photo step: live preview, capture, the compliance verdict with its reasons, retake, or the
//! photo supplied on paper. A station without a camera only records the paper photo.

use eframe::egui::{self, Key, RichText};

use super::{app::Cx, keys, widgets};
use crate::counter::{Command, EnrolmentView};

/// Size the preview and the photo are drawn at most.
const PHOTO_BOX: egui::Vec2 = egui::vec2(360.0, 460.0);

/// The photo screen's own state.
#[derive(Debug, Default)]
pub(crate) struct PhotoScreen {
    /// The attempt for which the preview was asked (asked once per attempt).
    preview_asked_for: Option<u32>,
}

impl PhotoScreen {
    pub(crate) fn show(
        &mut self,
        ui: &mut egui::Ui,
        enrolment: &EnrolmentView,
        attempt: u32,
        cx: &mut Cx<'_>,
    ) {
        let tr = cx.tr;
        // The photo just taken, if any: its verdict waits for the clerk (accept or retake).
        let taken = enrolment.photo.as_ref();
        // A refused photo has already moved the session to the next attempt: the title speaks of
        // the photo on screen.
        let shown_attempt = taken.map_or(attempt, |p| p.attempt);
        widgets::heading(
            ui,
            &tr.with("ui.photo.title", &[("attempt", &shown_attempt.to_string())]),
        );
        let has_camera = cx.settings.has_camera;
        let busy = cx.view.busy.is_some();

        if has_camera
            && !busy
            && taken.is_none()
            && enrolment.preview.is_none()
            && self.preview_asked_for != Some(attempt)
        {
            self.preview_asked_for = Some(attempt);
            cx.asks.push(Command::StartPreview);
        }

        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                if let Some(photo) = taken {
                    cx.pictures.show(ui, &photo.picture, PHOTO_BOX);
                } else if let Some(preview) = &enrolment.preview {
                    cx.pictures.show(ui, preview, PHOTO_BOX);
                    ui.label(RichText::new(tr.t("ui.photo.live")).weak());
                } else if has_camera {
                    ui.allocate_ui(PHOTO_BOX, |ui| {
                        ui.spinner();
                        ui.label(tr.t("ui.photo.waiting_preview"));
                    });
                } else {
                    ui.label(tr.t("ui.photo.no_camera"));
                }
            });
            ui.add_space(16.0);
            ui.vertical(|ui| {
                if let Some(photo) = taken {
                    if photo.compliant {
                        ui.label(
                            RichText::new(tr.t("ui.photo.compliant"))
                                .color(widgets::GREEN)
                                .size(super::theme::VERDICT)
                                .strong(),
                        );
                    } else {
                        ui.label(
                            RichText::new(tr.t("ui.photo.not_compliant"))
                                .color(widgets::RED)
                                .size(super::theme::VERDICT)
                                .strong(),
                        );
                        for reason in &photo.reasons {
                            ui.label(RichText::new(format!("• {reason}")).color(widgets::RED));
                        }
                    }
                    ui.add_space(8.0);
                    if photo.compliant
                        && (widgets::button(ui, &tr.t("ui.photo.accept"), "Entrée", !busy)
                            || (!busy && keys::enter_for_main_action(ui)))
                    {
                        cx.asks.push(Command::AcceptPhoto);
                    }
                    let retake_main = !photo.compliant && !busy && keys::enter_for_main_action(ui);
                    let retake_key = if photo.compliant { "F6" } else { "Entrée" };
                    if widgets::button(ui, &tr.t("ui.photo.retake"), retake_key, !busy)
                        || retake_main
                        || keys::pressed(ui, Key::F6)
                    {
                        cx.asks.push(Command::RetakePhoto);
                    }
                } else if has_camera
                    && (widgets::button(ui, &tr.t("ui.photo.capture"), "Entrée", !busy)
                        || (!busy && keys::enter_for_main_action(ui)))
                {
                    cx.asks.push(Command::CapturePhoto);
                }
                ui.add_space(8.0);
                let paper_key = if has_camera { "F7" } else { "Entrée" };
                if widgets::button(ui, &tr.t("ui.photo.on_paper"), paper_key, !busy)
                    || (!busy && keys::pressed(ui, Key::F7))
                    || (!has_camera && !busy && keys::enter_for_main_action(ui))
                {
                    cx.asks.push(Command::PhotoOnPaper);
                }
                ui.add_space(8.0);
                ui.label(RichText::new(tr.t("ui.photo.rules")).weak());
            });
        });
    }
}
