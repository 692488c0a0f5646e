//! The pre-request's QR code read by the camera, on the pre-request screen: the key that starts
//! the reading (F4) and stops it (Échap), the preview while the camera looks for the code, and
//! why the last reading filled nothing.

use eframe::egui::{self, Key, RichText};

use super::{cx::Cx, keys, widgets};
use crate::desk::{Command, EnrolmentView};

/// The reading's key: free on the pre-request screen (F8 is the paper form's, F10 the applicant's
/// language, the top bar's are F1, F3, F6, F7 and F12).
const READ_KEY: Key = Key::F4;

/// Size of the preview on the clerk's screen (the camera's 320×240 while it reads).
const PREVIEW_BOX: egui::Vec2 = egui::vec2(320.0, 240.0);

/// "Lire le QR code [F4]", or while the camera reads "Arrêter la lecture [Échap]"; then the
/// sentence saying why the last reading filled nothing.
pub(crate) fn key(ui: &mut egui::Ui, enrolment: &EnrolmentView, cx: &mut Cx<'_>) {
    let tr = cx.tr;
    let busy = cx.view.busy.is_some();
    if enrolment.qr.reading {
        if widgets::button(ui, tr, &tr.t("ui.qr_camera.stop"), widgets::ESCAPE, true)
            || keys::pressed(ui, Key::Escape)
        {
            cx.asks.push(Command::StopQrCode);
        }
    } else if widgets::button(ui, tr, &tr.t("ui.qr_camera.read"), READ_KEY.name(), !busy)
        || (!busy && keys::pressed(ui, READ_KEY))
    {
        cx.asks.push(Command::ReadQrCode);
    }
    if let Some(problem) = enrolment
        .qr
        .problem
        .as_ref()
        .filter(|_| !enrolment.qr.reading)
    {
        ui.add_space(6.0);
        ui.label(
            RichText::new(problem)
                .color(widgets::RED)
                .size(super::theme::BODY)
                .strong(),
        );
    }
}

/// While the camera reads: what the clerk asks of the applicant, and what the camera sees.
pub(crate) fn reading(ui: &mut egui::Ui, enrolment: &EnrolmentView, cx: &mut Cx<'_>) {
    let tr = cx.tr;
    ui.label(
        RichText::new(tr.t("ui.qr_camera.title"))
            .size(super::theme::BODY)
            .strong(),
    );
    ui.label(tr.t("ui.qr_camera.explain"));
    ui.add_space(6.0);
    match &enrolment.preview {
        Some(preview) => {
            cx.pictures.show(ui, preview, PREVIEW_BOX);
        }
        None => {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(tr.t("ui.qr_camera.waiting"));
            });
        }
    }
}
