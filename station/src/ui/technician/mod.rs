//! The technician area (technician and supervisor accounts only): the devices found on the
//! ports, their self-tests with the live command log and error counters, and their calibration
//! with pictures and plots. One tab per file; the screens only send
//! [`TechnicianCommand`](crate::desk::TechnicianCommand)s and render the
//! [`TechnicianView`](crate::desk::TechnicianView) the core publishes.

mod calibration;
mod devices;
mod diagnostics;
mod plots;

use eframe::egui::{self, RichText};

use super::{cx::Cx, widgets};
use crate::desk::{
    Command, TechnicianCommand,
    technician_view::{TechnicianTask, TechnicianView, texts},
};
use drivers::discovery::DeviceKind;

/// The tabs of the technician area.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
enum Tab {
    #[default]
    Devices,
    Diagnostics,
    Calibration,
}

/// The technician area's own UI state.
#[derive(Default)]
pub(crate) struct TechnicianScreen {
    tab: Tab,
    calibration: calibration::CalibrationTab,
}

impl std::fmt::Debug for TechnicianScreen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("TechnicianScreen")
            .field("tab", &self.tab)
            .finish_non_exhaustive()
    }
}

impl TechnicianScreen {
    /// Draws the area; a clerk sees only that it is reserved.
    pub(crate) fn show(&mut self, ui: &mut egui::Ui, cx: &mut Cx<'_>) {
        let tr = cx.tr;
        widgets::heading(ui, &tr.t("technician.title"));
        let allowed = cx
            .view
            .operator
            .as_ref()
            .is_some_and(|o| o.role.may_calibrate());
        if !allowed {
            ui.label(
                RichText::new(tr.t("technician.not_allowed"))
                    .color(widgets::RED)
                    .size(16.0),
            );
            return;
        }
        ui.horizontal(|ui| {
            for (tab, key) in [
                (Tab::Devices, "technician.tab.devices"),
                (Tab::Diagnostics, "technician.tab.diagnostics"),
                (Tab::Calibration, "technician.tab.calibration"),
            ] {
                if ui
                    .selectable_label(self.tab == tab, RichText::new(tr.t(key)).size(16.0))
                    .clicked()
                {
                    self.tab = tab;
                }
            }
        });
        ui.separator();
        let tech = &cx.view.technician;
        if let Some(task) = tech.running {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(RichText::new(running_text(cx, task)).size(16.0));
            });
        }
        if let Some(error) = &tech.error {
            ui.label(
                RichText::new(tr.with("technician.failed", &[("detail", error)]))
                    .color(widgets::RED),
            );
            if let Some(detail) = &tech.error_detail {
                technical_detail(ui, cx, detail);
            }
        }
        match self.tab {
            Tab::Devices => devices::show(ui, cx),
            Tab::Diagnostics => diagnostics::show(ui, cx),
            Tab::Calibration => self.calibration.show(ui, cx),
        }
    }
}

fn running_text(cx: &Cx<'_>, task: TechnicianTask) -> String {
    cx.tr.t(match task {
        TechnicianTask::Discovery => "technician.running.discovery",
        TechnicianTask::Diagnosis(DeviceKind::Fingerprint) => {
            "technician.running.diagnosis_fingerprint"
        }
        TechnicianTask::Diagnosis(DeviceKind::Camera) => "technician.running.diagnosis_camera",
        TechnicianTask::Calibration(DeviceKind::Fingerprint) => {
            "technician.running.calibration_fingerprint"
        }
        TechnicianTask::Calibration(DeviceKind::Camera) => "technician.running.calibration_camera",
    })
}

/// "Capteur d'empreintes", "Appareil photo".
fn device_name(cx: &Cx<'_>, kind: DeviceKind) -> String {
    cx.tr.t(match kind {
        DeviceKind::Fingerprint => "technician.device.fingerprint",
        DeviceKind::Camera => "technician.device.camera",
    })
}

/// The driver's or the system's own words, on a smaller line of their own, labelled as a
/// technical detail (they are English and technical, and only a technician reads them).
fn technical_detail(ui: &mut egui::Ui, cx: &Cx<'_>, detail: &str) {
    ui.label(
        RichText::new(texts::technical_detail(cx.tr.0, detail))
            .small()
            .weak(),
    );
}

/// Lines one under the other in a grid cell, each kept whole: a vertical layout in a grid
/// otherwise takes the narrowest width and wraps its text at every few letters.
fn one_line_each(ui: &mut egui::Ui, add: impl FnOnce(&mut egui::Ui)) {
    ui.vertical(|ui| {
        ui.style_mut().wrap_mode = Some(egui::TextWrapMode::Extend);
        add(ui);
    });
}

/// Sends a technician's command.
fn ask(cx: &mut Cx<'_>, command: TechnicianCommand) {
    cx.asks.push(Command::Technician(command));
}

/// Whether the station has a camera (configured or seen).
fn has_camera(cx: &Cx<'_>) -> bool {
    cx.settings.has_camera || cx.view.devices.camera.is_some()
}

/// Nothing is running: the action buttons are enabled.
fn idle(tech: &TechnicianView) -> bool {
    tech.running.is_none()
}
