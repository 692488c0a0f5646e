//! The diagnostics tab: a self-test per device, its checks, the figures it measured, the error
//! counters, the live command log, and the report to export.

use drivers::diagnostics::{DeviceDiagnosis, Verdict};
use drivers::discovery::DeviceKind;
use eframe::egui::{self, Color32, RichText};

use super::{
    super::cx::Cx, super::widgets, TechnicianCommand, ask, device_name, has_camera, idle,
    one_line_each, technical_detail,
};
use crate::desk::technician_view::texts;

/// Command log lines shown (the newest).
const LOG_SHOWN: usize = 60;

pub(super) fn show(ui: &mut egui::Ui, cx: &mut Cx<'_>) {
    let tr = cx.tr;
    let tech = &cx.view.technician;
    let can = idle(tech);
    let mut asked = None;
    ui.horizontal(|ui| {
        if widgets::button(ui, tr, &tr.t("technician.diagnostics.fingerprint"), "", can) {
            asked = Some(TechnicianCommand::Diagnose {
                device: DeviceKind::Fingerprint,
            });
        }
        if has_camera(cx)
            && widgets::button(ui, tr, &tr.t("technician.diagnostics.camera"), "", can)
        {
            asked = Some(TechnicianCommand::Diagnose {
                device: DeviceKind::Camera,
            });
        }
        if widgets::button(
            ui,
            tr,
            &tr.t("technician.diagnostics.export"),
            "",
            can && !tech.diagnoses.is_empty(),
        ) {
            asked = Some(TechnicianCommand::ExportReport);
        }
    });
    if let Some(command) = asked {
        ask(cx, command);
    }
    let tech = &cx.view.technician;
    if let Some(path) = &tech.report {
        ui.label(
            RichText::new(tr.with(
                "technician.diagnostics.exported",
                &[("path", &path.display().to_string())],
            ))
            .color(widgets::GREEN),
        );
    }
    if tech.diagnoses.is_empty() && tech.log.is_empty() {
        ui.label(RichText::new(tr.t("technician.diagnostics.none")).weak());
    }
    for (i, diagnosis) in tech.diagnoses.iter().enumerate() {
        ui.add_space(8.0);
        device(ui, cx, diagnosis, i);
    }
    ui.add_space(8.0);
    ui.label(RichText::new(tr.t("technician.diagnostics.counters")).strong());
    let c = &tech.counters;
    egui::Grid::new("technician-counters").show(ui, |ui| {
        for (key, value) in [
            ("technician.counter.commands", c.commands),
            ("technician.counter.timeouts", c.timeouts),
            ("technician.counter.checksum_errors", c.checksum_errors),
            ("technician.counter.retries", c.retries),
            ("technician.counter.port_gone", c.port_gone),
        ] {
            ui.label(tr.t(key));
            ui.label(RichText::new(value.to_string()).monospace());
            ui.end_row();
        }
    });
    ui.add_space(8.0);
    ui.label(RichText::new(tr.t("technician.diagnostics.log")).strong());
    egui::ScrollArea::vertical()
        .id_salt("technician-log")
        .max_height(220.0)
        .stick_to_bottom(true)
        .show(ui, |ui| {
            let language = cx.tr.0;
            let bytes = cx.tr.t("technician.log.bytes");
            let skip = tech.log.len().saturating_sub(LOG_SHOWN);
            for e in tech.log.iter().skip(skip) {
                let ok = e.result == "ok";
                let colour = if ok { Color32::GRAY } else { widgets::RED };
                let line = ui.label(
                    RichText::new(format!(
                        "{:>8} ms  {:<26} →{:>5} {bytes}  ←{:>6} {bytes}  {:>7} ms  {}",
                        e.at_ms,
                        texts::log_command(language, &e.command),
                        e.sent_len,
                        e.received_len,
                        texts::decimal(language, e.duration_us as f64 / 1_000.0, 1),
                        texts::log_result(language, &e.result)
                    ))
                    .monospace()
                    .color(colour),
                );
                // The manual's name and code, to compare with the manual or a line trace.
                let mut detail = texts::log_command_on_the_wire(&e.command, e.code);
                if !matches!(
                    e.result.as_str(),
                    "ok" | "timeout" | "checksum error" | "port gone"
                ) {
                    // An input/output error's own words, for whoever needs them.
                    detail.push('\n');
                    detail.push_str(&texts::technical_detail(language, &e.result));
                }
                line.on_hover_text(detail);
            }
        });
}

fn device(ui: &mut egui::Ui, cx: &Cx<'_>, d: &DeviceDiagnosis, index: usize) {
    let tr = cx.tr;
    let name = d.port.kind().map_or_else(
        || tr.t("technician.devices.nothing"),
        |k| device_name(cx, k),
    );
    let verdict = d.verdict();
    ui.horizontal(|ui| {
        ui.label(RichText::new(format!("{name} — {}", d.port.path)).strong());
        ui.label(
            RichText::new(verdict_text(cx, verdict))
                .color(verdict_colour(verdict))
                .strong(),
        );
    });
    egui::Grid::new(("technician-checks", index))
        .striped(true)
        .show(ui, |ui| {
            let language = cx.tr.0;
            for check in &d.checks {
                ui.label(texts::step(language, check.step));
                ui.label(
                    RichText::new(verdict_text(cx, check.verdict))
                        .color(verdict_colour(check.verdict)),
                );
                let said = texts::outcome(language, &check.outcome);
                one_line_each(ui, |ui| {
                    ui.label(said.text);
                    if let Some(detail) = &said.detail {
                        technical_detail(ui, cx, detail);
                    }
                });
                ui.label(format!("{} ms", check.duration_ms));
                ui.end_row();
            }
        });
    if let Some(b) = &d.blank_capture {
        ui.label(tr.with(
            "technician.diagnostics.blank",
            &[
                ("attempts", &b.attempts.to_string()),
                ("no_finger", &b.no_finger.to_string()),
                ("image", &b.image_taken.to_string()),
                ("median", &format!("{:.0}", b.median_ms)),
            ],
        ));
    }
    if let Some(f) = &d.test_frame {
        ui.label(tr.with(
            "technician.diagnostics.frame",
            &[
                ("size", &format!("{}×{}", f.width, f.height)),
                ("bytes", &f.jpeg_bytes.to_string()),
                ("brightness", &format!("{:.0}", f.mean_brightness)),
                ("ms", &f.transfer_ms.to_string()),
            ],
        ));
    }
}

fn verdict_text(cx: &Cx<'_>, verdict: Verdict) -> String {
    cx.tr.t(match verdict {
        Verdict::Pass => "technician.verdict.pass",
        Verdict::Warn => "technician.verdict.warn",
        Verdict::Fail => "technician.verdict.fail",
        Verdict::Skipped => "technician.verdict.skipped",
    })
}

fn verdict_colour(verdict: Verdict) -> Color32 {
    match verdict {
        Verdict::Pass => widgets::GREEN,
        Verdict::Warn => widgets::AMBER,
        Verdict::Fail => widgets::RED,
        Verdict::Skipped => Color32::GRAY,
    }
}
