//! The photo step: live preview, capture, the compliance verdict with its reasons, retake, or the
//! photo supplied on paper. A station without a camera only records the paper photo.

use eframe::egui::{self, Key, RichText};

use super::{cx::Cx, keys, widgets};
use crate::desk::{Command, EnrolmentView};

/// Size the preview and the photo are drawn at most.
const PHOTO_BOX: egui::Vec2 = egui::vec2(360.0, 460.0);

/// Size the portrait as kept is drawn at most: 35×45 mm at about 4.4 px a millimetre.
pub(crate) const KEPT_BOX: egui::Vec2 = egui::vec2(154.0, 198.0);

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
                    let drawn = cx.pictures.show(ui, preview, PHOTO_BOX);
                    face_guide(ui.painter(), drawn);
                    ui.label(RichText::new(tr.t("ui.photo.live")).weak());
                } else if let Some(n) = enrolment.countdown {
                    // The preview stops while the camera takes and sends the shot: the clerk
                    // counts with the applicant instead.
                    ui.allocate_ui(PHOTO_BOX, |ui| {
                        ui.label(
                            RichText::new(tr.with("ui.photo.countdown", &[("n", &n.to_string())]))
                                .size(super::theme::VERDICT)
                                .strong()
                                .color(super::theme::PRIMARY),
                        );
                    });
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
                        && (widgets::button(
                            ui,
                            tr,
                            &tr.t("ui.photo.accept"),
                            widgets::ENTER,
                            !busy,
                        ) || (!busy && keys::enter_for_main_action(ui)))
                    {
                        cx.asks.push(Command::AcceptPhoto);
                    }
                    let retake_main = !photo.compliant && !busy && keys::enter_for_main_action(ui);
                    let retake_key = if photo.compliant {
                        "F6"
                    } else {
                        widgets::ENTER
                    };
                    if widgets::button(ui, tr, &tr.t("ui.photo.retake"), retake_key, !busy)
                        || retake_main
                        || keys::pressed(ui, Key::F6)
                    {
                        cx.asks.push(Command::RetakePhoto);
                    }
                } else if has_camera
                    && (widgets::button(ui, tr, &tr.t("ui.photo.capture"), widgets::ENTER, !busy)
                        || (!busy && keys::enter_for_main_action(ui)))
                {
                    cx.asks.push(Command::CapturePhoto);
                }
                ui.add_space(8.0);
                let paper_key = if has_camera { "F7" } else { widgets::ENTER };
                if widgets::button(ui, tr, &tr.t("ui.photo.on_paper"), paper_key, !busy)
                    || (!busy && keys::pressed(ui, Key::F7))
                    || (!has_camera && !busy && keys::enter_for_main_action(ui))
                {
                    cx.asks.push(Command::PhotoOnPaper);
                }
                ui.add_space(8.0);
                match taken {
                    // Below the actions, so that they stay in view at 1280×800; the portrait as
                    // the record keeps it beside the checks it passed.
                    Some(photo) => {
                        ui.horizontal_top(|ui| {
                            if let Some(kept) = &photo.kept {
                                ui.vertical(|ui| {
                                    cx.pictures.show_named(
                                        ui,
                                        kept,
                                        KEPT_BOX,
                                        Some(&tr.t("ui.photo.kept_name")),
                                    );
                                    ui.label(
                                        RichText::new(tr.t("ui.photo.kept"))
                                            .size(super::theme::SMALL),
                                    );
                                });
                            }
                            ui.vertical(|ui| checks_list(ui, &photo.checks, tr));
                        });
                    }
                    None => {
                        ui.label(RichText::new(tr.t("ui.photo.rules")).weak());
                    }
                }
            });
        });
    }
}

/// Where the face should be in the live frame: an oval from crown to chin, the eye line, and marks
/// at the crown and the chin. The portrait kept is cut around the face to 35×45 mm with the head
/// 32–36 mm high, which in the camera's frame is about two thirds of its height, centred.
fn face_guide(painter: &egui::Painter, frame: egui::Rect) {
    let h = frame.height();
    let centre = egui::pos2(frame.center().x, frame.top() + 0.5 * h);
    let half_height = 0.32 * h;
    let half_width = 0.75 * half_height;
    // White on a dark outline: seen on a light background and on a dark coat alike.
    for stroke in [
        egui::Stroke::new(4.0, egui::Color32::from_black_alpha(140)),
        egui::Stroke::new(2.0, egui::Color32::WHITE),
    ] {
        painter.add(egui::Shape::ellipse_stroke(
            centre,
            egui::vec2(half_width, half_height),
            stroke,
        ));
        let eyes = centre.y - 0.08 * h;
        painter.line_segment(
            [
                egui::pos2(centre.x - 1.2 * half_width, eyes),
                egui::pos2(centre.x + 1.2 * half_width, eyes),
            ],
            stroke,
        );
        for y in [centre.y - half_height, centre.y + half_height] {
            painter.line_segment(
                [
                    egui::pos2(centre.x - 0.4 * half_width, y),
                    egui::pos2(centre.x + 0.4 * half_width, y),
                ],
                stroke,
            );
        }
    }
}

/// Every rule the photo was checked against, with its result in words (not by colour alone).
fn checks_list(ui: &mut egui::Ui, checks: &[(String, bool)], tr: super::texts::Tr) {
    // Two checks a row: thirteen checks fit beside the photo.
    egui::Grid::new("photo-checks")
        .num_columns(4)
        .spacing(egui::vec2(16.0, 2.0))
        .show(ui, |ui| {
            for pair in checks.chunks(2) {
                for (name, passed) in pair {
                    ui.label(RichText::new(name).size(super::theme::SMALL));
                    let (key, colour) = if *passed {
                        ("ui.photo.check_passed", widgets::GREEN)
                    } else {
                        ("ui.photo.check_failed", widgets::RED)
                    };
                    ui.label(
                        RichText::new(tr.t(key))
                            .color(colour)
                            .size(super::theme::SMALL),
                    );
                }
                ui.end_row();
            }
        });
}
