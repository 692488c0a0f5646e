//! The devices tab: what the station uses now, and a discovery of every port.

use drivers::discovery::{DeviceKind, Found};
use eframe::egui::{self, RichText};

use super::{
    super::cx::Cx, super::widgets, TechnicianCommand, ask, device_name, has_camera, idle,
    one_line_each, technical_detail,
};
use crate::{config::devices_file::SavedPort, desk::DeviceStatus};

pub(super) fn show(ui: &mut egui::Ui, cx: &mut Cx<'_>) {
    let tr = cx.tr;
    let view = cx.view;
    ui.label(RichText::new(tr.t("technician.devices.in_use")).strong());
    egui::Grid::new("technician-in-use")
        .striped(true)
        .show(ui, |ui| {
            status_row(
                ui,
                cx,
                DeviceKind::Fingerprint,
                Some(&view.devices.fingerprint),
            );
            if has_camera(cx) {
                status_row(ui, cx, DeviceKind::Camera, view.devices.camera.as_ref());
            }
        });
    ui.label(if view.technician.flat_field_in_force {
        RichText::new(tr.t("technician.devices.flat_field_on")).color(widgets::GREEN)
    } else {
        RichText::new(tr.t("technician.devices.flat_field_off")).weak()
    });
    ui.add_space(10.0);
    if widgets::button(
        ui,
        tr,
        &tr.t("technician.devices.discover"),
        "",
        idle(&view.technician),
    ) {
        ask(cx, TechnicianCommand::Discover);
    }
    match &view.technician.discovery {
        None => {
            ui.label(RichText::new(tr.t("technician.devices.not_yet")).weak());
        }
        Some(rows) if rows.is_empty() && view.technician.running.is_none() => {
            ui.label(tr.t("technician.devices.no_port"));
        }
        Some(rows) => {
            egui::Grid::new("technician-discovery")
                .striped(true)
                .num_columns(7)
                .show(ui, |ui| {
                    for key in [
                        "technician.devices.port",
                        "technician.devices.found",
                        "technician.devices.model",
                        "technician.devices.serial",
                        "technician.devices.baud",
                        "technician.devices.packet",
                        "technician.devices.detail",
                    ] {
                        ui.label(RichText::new(tr.t(key)).strong());
                    }
                    ui.end_row();
                    for row in rows {
                        let r = &row.report;
                        ui.label(RichText::new(&r.path).monospace());
                        // The detail column: what a person reads, then the system's own words.
                        let (found, model, serial, packet, (detail, technical)) = match &r.found {
                            Found::Fingerprint(f) => (
                                device_name(cx, DeviceKind::Fingerprint),
                                f.model.clone(),
                                f.serial_number.clone().unwrap_or_default(),
                                f.packet_size.to_string(),
                                (
                                    f.hardware_version
                                        .as_ref()
                                        .map(|v| format!("v{v}"))
                                        .unwrap_or_default(),
                                    None,
                                ),
                            ),
                            Found::Camera(c) => (
                                device_name(cx, DeviceKind::Camera),
                                format!("{} {}", c.model, c.firmware),
                                String::new(),
                                String::new(),
                                (c.image_size.clone().unwrap_or_default(), None),
                            ),
                            Found::Nothing => (
                                tr.t("technician.devices.nothing"),
                                String::new(),
                                String::new(),
                                String::new(),
                                (String::new(), None),
                            ),
                            Found::NotAnswering {
                                bytes_heard,
                                detail,
                            } => (
                                tr.t("technician.devices.not_answering"),
                                String::new(),
                                String::new(),
                                String::new(),
                                (
                                    tr.with(
                                        "technician.devices.heard",
                                        &[("bytes", &bytes_heard.to_string())],
                                    ),
                                    Some(detail.as_str()),
                                ),
                            ),
                            Found::CannotOpen { reason } => (
                                tr.t("technician.devices.cannot_open"),
                                String::new(),
                                String::new(),
                                String::new(),
                                (
                                    tr.t("technician.devices.cannot_open_why"),
                                    Some(reason.as_str()),
                                ),
                            ),
                        };
                        let colour = if r.kind().is_some() {
                            widgets::GREEN
                        } else {
                            widgets::AMBER
                        };
                        ui.label(RichText::new(found).color(colour));
                        ui.label(model);
                        ui.label(serial);
                        ui.label(r.baud().map(|b| b.to_string()).unwrap_or_default());
                        ui.label(packet);
                        one_line_each(ui, |ui| {
                            ui.label(detail);
                            if let Some(technical) = technical {
                                technical_detail(ui, cx, technical);
                            }
                        });
                        ui.end_row();
                    }
                });
        }
    }
    let found_some = view
        .technician
        .discovery
        .as_ref()
        .is_some_and(|rows| rows.iter().any(|r| r.report.kind().is_some()));
    if found_some {
        ui.add_space(6.0);
        if widgets::button(
            ui,
            tr,
            &tr.t("technician.devices.save"),
            "",
            idle(&view.technician),
        ) {
            ask(cx, TechnicianCommand::SaveDevices);
        }
    }
    if let Some(saved) = &view.technician.devices_saved {
        ui.label(RichText::new(tr.t("technician.devices.saved")).color(widgets::GREEN));
        ui.label(tr.with(
            "technician.devices.saved_in",
            &[("file", &saved.file.display().to_string())],
        ));
        for device in &saved.devices {
            let name = device_name(cx, device.kind);
            match &device.port {
                SavedPort::Written { path, baud, found } => {
                    ui.label(tr.with(
                        "technician.devices.saved_port",
                        &[
                            ("device", &name),
                            ("path", path),
                            ("baud", &baud.to_string()),
                        ],
                    ));
                    if *found > 1 {
                        ui.label(tr.with(
                            "technician.devices.saved_first",
                            &[("count", &found.to_string())],
                        ));
                    }
                }
                SavedPort::Kept { path } => {
                    let path = path.as_ref().map_or_else(
                        || tr.t("technician.devices.saved_none"),
                        |p| p.display().to_string(),
                    );
                    ui.label(tr.with(
                        "technician.devices.saved_kept",
                        &[("device", &name), ("path", &path)],
                    ));
                }
            }
        }
    }
    if !view.technician.port_events.is_empty() {
        ui.add_space(10.0);
        ui.label(RichText::new(tr.t("technician.devices.events")).strong());
        for line in view.technician.port_events.iter().rev().take(10) {
            ui.label(RichText::new(line).monospace());
        }
    }
}

fn status_row(ui: &mut egui::Ui, cx: &Cx<'_>, kind: DeviceKind, status: Option<&DeviceStatus>) {
    let tr = cx.tr;
    ui.label(device_name(cx, kind));
    match status {
        Some(s) if s.ready => {
            ui.label(RichText::new(tr.t("technician.devices.ready")).color(widgets::GREEN));
        }
        Some(s) => {
            ui.label(RichText::new(s.problem.clone().unwrap_or_default()).color(widgets::RED));
        }
        None => {
            ui.label(RichText::new(tr.t("technician.devices.not_configured")).weak());
        }
    }
    let port = status
        .and_then(|s| s.port.as_ref())
        .map(|p| p.display().to_string())
        .unwrap_or_default();
    ui.label(RichText::new(port).monospace());
    ui.label(status.and_then(|s| s.model.clone()).unwrap_or_default());
    ui.end_row();
}
