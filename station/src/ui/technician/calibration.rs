//! The calibration tab: run a calibration with the target prompts, then the measures with their
//! verdicts, the sensor's uniformity map as a picture, the blank and dark targets' histograms, and
//! the history over time.

use drivers::discovery::DeviceKind;
use eframe::egui::{self, RichText};

use super::{super::cx::Cx, super::widgets, TechnicianCommand, ask, has_camera, idle, plots};
use crate::{
    desk::technician_view::{MeasureRow, TargetPrompt, texts},
    language::Language,
};

/// The tab's own state: the grey-card prompt before a camera calibration, the uniformity
/// picture's texture, the measure the history plot shows.
#[derive(Default)]
pub(super) struct CalibrationTab {
    grey_card: bool,
    uniformity: plots::UniformityPicture,
    history_measure: Option<String>,
}

impl CalibrationTab {
    pub(super) fn show(&mut self, ui: &mut egui::Ui, cx: &mut Cx<'_>) {
        let tr = cx.tr;
        let tech = &cx.view.technician;
        let can = idle(tech) && !self.grey_card;
        let mut asked = None;
        ui.horizontal(|ui| {
            if widgets::button(ui, tr, &tr.t("technician.calibration.fingerprint"), "", can) {
                asked = Some(TechnicianCommand::Calibrate {
                    device: DeviceKind::Fingerprint,
                });
            }
            if has_camera(cx)
                && widgets::button(ui, tr, &tr.t("technician.calibration.camera"), "", can)
            {
                self.grey_card = true;
            }
        });
        // The camera measures at once: the card must be there before it starts.
        if self.grey_card {
            prompt(ui, &tr.t("technician.prompt.grey_card"));
            ui.horizontal(|ui| {
                if widgets::button(ui, tr, &tr.t("technician.prompt.done"), "", true) {
                    self.grey_card = false;
                    asked = Some(TechnicianCommand::Calibrate {
                        device: DeviceKind::Camera,
                    });
                }
                if widgets::button(ui, tr, &tr.t("technician.prompt.cancel"), "", true) {
                    self.grey_card = false;
                }
            });
        }
        if let Some(target) = tech.prompt {
            let key = match target {
                TargetPrompt::LayBlankTarget => "technician.prompt.blank",
                TargetPrompt::LayFlatTarget => "technician.prompt.flat",
                TargetPrompt::ShowGreyCard => "technician.prompt.grey_card",
            };
            prompt(ui, &tr.t(key));
            ui.horizontal(|ui| {
                if widgets::button(ui, tr, &tr.t("technician.prompt.done"), "", true) {
                    asked = Some(TechnicianCommand::TargetReady);
                }
                if widgets::button(ui, tr, &tr.t("technician.prompt.cancel"), "", true) {
                    asked = Some(TechnicianCommand::CancelCalibration);
                }
            });
        }
        if let Some(command) = asked {
            ask(cx, command);
        }

        let tech = &cx.view.technician;
        if let Some(sensor) = &tech.fingerprint {
            ui.add_space(10.0);
            ui.label(
                RichText::new(tr.with(
                    "technician.calibration.sensor_result",
                    &[("serial", &sensor.serial)],
                ))
                .strong()
                .size(16.0),
            );
            verdict(ui, cx, sensor.pass);
            measures(ui, cx, "technician-sensor-measures", &sensor.measures);
            ui.label(tr.with(
                "technician.calibration.bad_pixels",
                &[
                    ("bad", &sensor.bad_pixels.to_string()),
                    ("residue", &sensor.residue_regions.to_string()),
                ],
            ));
            ui.columns(2, |cols| {
                cols[0].label(RichText::new(tr.t("technician.calibration.uniformity")).strong());
                self.uniformity.show(&mut cols[0], tr, &sensor.uniformity);
                cols[1].label(RichText::new(tr.t("technician.calibration.histogram")).strong());
                plots::histogram(
                    &mut cols[1],
                    tr,
                    &tr.t("technician.calibration.blank"),
                    &sensor.blank_histogram,
                    &tr.t("technician.calibration.dark"),
                    &sensor.dark_histogram,
                );
            });
        }
        if let Some(camera) = &tech.camera {
            ui.add_space(10.0);
            ui.label(
                RichText::new(tr.with(
                    "technician.calibration.camera_result",
                    &[("serial", &camera.serial)],
                ))
                .strong()
                .size(16.0),
            );
            verdict(ui, cx, camera.pass);
            measures(ui, cx, "technician-camera-measures", &camera.measures);
            ui.label(tr.with(
                "technician.calibration.compression",
                &[
                    ("compression", &camera.compression.to_string()),
                    ("bytes", &camera.portrait_bytes.to_string()),
                    ("target", &camera.target_bytes.to_string()),
                ],
            ));
        }
        if !tech.history.is_empty() {
            ui.add_space(10.0);
            ui.label(RichText::new(tr.t("technician.calibration.history")).strong());
            plots::history(ui, tr, &tech.history, &mut self.history_measure);
        } else if tech.fingerprint.is_none() && tech.camera.is_none() {
            ui.label(RichText::new(tr.t("technician.calibration.none")).weak());
            if widgets::button(
                ui,
                tr,
                &tr.t("technician.calibration.load_history"),
                "",
                true,
            ) {
                ask(cx, TechnicianCommand::LoadHistory);
            }
        }
    }
}

fn prompt(ui: &mut egui::Ui, text: &str) {
    ui.add_space(6.0);
    ui.label(
        RichText::new(text)
            .size(20.0)
            .strong()
            .color(widgets::AMBER),
    );
}

fn verdict(ui: &mut egui::Ui, cx: &Cx<'_>, pass: bool) {
    let (key, colour) = if pass {
        ("technician.calibration.pass", widgets::GREEN)
    } else {
        ("technician.calibration.fail", widgets::RED)
    };
    ui.label(
        RichText::new(cx.tr.t(key))
            .color(colour)
            .strong()
            .size(18.0),
    );
}

fn measures(ui: &mut egui::Ui, cx: &Cx<'_>, id: &str, rows: &[MeasureRow]) {
    let tr = cx.tr;
    egui::Grid::new(id).striped(true).show(ui, |ui| {
        for key in [
            "technician.calibration.measure",
            "technician.calibration.value",
            "technician.calibration.limit",
            "technician.calibration.verdict",
        ] {
            ui.label(RichText::new(tr.t(key)).strong());
        }
        ui.end_row();
        let language = tr.0;
        for row in rows {
            ui.label(texts::measure(language, &row.measure));
            ui.label(RichText::new(texts::decimal(language, row.value, 2)).monospace());
            // The limit as the drivers write it (`≤ 0.05`), with the language's decimal mark.
            ui.label(match language {
                Language::French => row.limit.replace('.', ","),
                Language::English => row.limit.clone(),
            });
            if row.pass {
                ui.label(RichText::new(tr.t("technician.verdict.pass")).color(widgets::GREEN));
            } else {
                ui.label(RichText::new(tr.t("technician.verdict.fail")).color(widgets::RED));
            }
            ui.end_row();
        }
    });
}
