//! Home: devices, today's enrolments and the median time per step, the outbox, the freeze rule's
//! message, and the way to a new enrolment or to the queue. Returns true when the clerk starts an
//! enrolment.

use eframe::egui::{self, Key, RichText};

use super::{cx::Cx, keys, texts::Tr, widgets};
use crate::desk::{CentralStatus, Command, CounterView, DeviceStatus};

pub(crate) fn show(ui: &mut egui::Ui, cx: &mut Cx<'_>) -> bool {
    let tr = cx.tr;
    let view = cx.view;
    widgets::heading(ui, &tr.t("ui.home.title"));
    for alarm in &view.alarms {
        ui.label(
            RichText::new(alarm)
                .color(widgets::RED)
                .size(super::theme::BODY)
                .strong(),
        );
    }
    let frozen = view.outbox.frozen.as_ref();
    if let Some(frozen) = frozen {
        ui.label(
            RichText::new(frozen)
                .color(widgets::AMBER)
                .size(super::theme::BODY)
                .strong(),
        );
    }
    if let Some(suspended) = &view.suspended {
        ui.label(
            RichText::new(tr.with("ui.home.suspended", &[("number", &suspended.pre_request)]))
                .color(widgets::AMBER)
                .size(super::theme::BODY),
        );
        if widgets::button(ui, tr, &tr.t("ui.home.resume"), "F4", true)
            || keys::pressed(ui, Key::F4)
        {
            cx.asks.push(Command::ResumeEnrolment);
        }
    }
    let mut start = false;
    ui.horizontal(|ui| {
        let can = frozen.is_none() && view.suspended.is_none();
        if widgets::button(ui, tr, &tr.t("ui.home.new_enrolment"), widgets::ENTER, can)
            || (can && (keys::pressed(ui, Key::F2) || keys::enter_for_main_action(ui)))
        {
            start = true;
        }
        if widgets::button(ui, tr, &tr.t("ui.home.refresh"), "F5", true)
            || keys::pressed(ui, Key::F5)
        {
            cx.asks.push(Command::Refresh);
        }
    });
    ui.add_space(12.0);

    ui.columns(3, |cols| {
        // egui's columns are justified: a line that wraps there is stretched word by word to the
        // column's width. Their text runs left-aligned, as everywhere else on the screens.
        let left = egui::Layout::top_down(egui::Align::Min);
        cols[0].with_layout(left, |ui| devices(ui, tr, view, cx.settings.has_camera));
        cols[1].with_layout(left, |ui| today(ui, tr, view));
        cols[2].with_layout(left, |ui| outbox(ui, tr, view));
    });
    start
}

/// The devices' column: each device's state, and the central's.
fn devices(ui: &mut egui::Ui, tr: Tr, view: &CounterView, has_camera: bool) {
    ui.label(RichText::new(tr.t("ui.home.devices")).strong());
    device(
        ui,
        &tr.t("ui.home.fingerprint"),
        Some(&view.devices.fingerprint),
        tr,
    );
    if has_camera || view.devices.camera.is_some() {
        device(
            ui,
            &tr.t("ui.home.camera"),
            view.devices.camera.as_ref(),
            tr,
        );
    }
    let (text, color) = match view.devices.central {
        CentralStatus::Reachable => (tr.t("ui.home.central_ok"), widgets::GREEN),
        CentralStatus::Unknown => (tr.t("ui.home.central_checking"), widgets::AMBER),
        CentralStatus::Unreachable => (tr.t("ui.home.central_unreachable"), widgets::RED),
    };
    ui.label(RichText::new(text).color(color));
}

/// The day's column: enrolments finished and the median time of each step.
fn today(ui: &mut egui::Ui, tr: Tr, view: &CounterView) {
    ui.label(RichText::new(tr.t("ui.home.today")).strong());
    ui.label(tr.with(
        "ui.home.enrolments",
        &[("count", &view.today.enrolments.to_string())],
    ));
    if view.today.median_ms.is_empty() {
        ui.label(RichText::new(tr.t("ui.home.no_timing")).weak());
    } else {
        egui::Grid::new("home-medians").show(ui, |ui| {
            // The wizard's steps as the clerk lives them, in their order; the machine's own
            // figures (transfers, checks, sealing) are for technicians and `station selftest`.
            for step in CLERK_STEPS {
                if let Some(ms) = view.today.median_ms.get(step) {
                    widgets::row(ui, &tr.t(&format!("ui.step.{step}")), &seconds(tr, *ms));
                }
            }
        });
    }
}

/// The outbox's column: records per state, and those waiting for a supervisor.
fn outbox(ui: &mut egui::Ui, tr: Tr, view: &CounterView) {
    ui.label(RichText::new(tr.t("ui.home.outbox")).strong());
    egui::Grid::new("home-outbox").show(ui, |ui| {
        widgets::row(
            ui,
            &tr.t("ui.outbox.queued"),
            &view.outbox.queued.to_string(),
        );
        widgets::row(
            ui,
            &tr.t("ui.outbox.sending"),
            &view.outbox.sending.to_string(),
        );
        widgets::row(
            ui,
            &tr.t("ui.outbox.acknowledged"),
            &view.outbox.acknowledged.to_string(),
        );
    });
    if !view.outbox.awaiting.is_empty() {
        // Sealed records that leave only once a supervisor approves them (queue screen, F3).
        ui.label(
            RichText::new(tr.counted(
                "ui.home.awaiting_approval_one",
                "ui.home.awaiting_approval_other",
                view.outbox.awaiting.len(),
            ))
            .color(widgets::AMBER)
            .strong(),
        );
    }
}

fn device(ui: &mut egui::Ui, name: &str, status: Option<&DeviceStatus>, tr: Tr) {
    match status {
        Some(s) if s.ready => {
            ui.label(
                RichText::new(format!("{name} : {}", tr.t("ui.home.ready"))).color(widgets::GREEN),
            );
        }
        Some(s) => {
            let why = s
                .problem
                .clone()
                .unwrap_or_else(|| tr.t("ui.home.not_ready"));
            ui.label(RichText::new(format!("{name} : {why}")).color(widgets::RED));
        }
        None => {
            ui.label(RichText::new(format!("{name} : {}", tr.t("ui.home.absent"))).weak());
        }
    }
}

/// The day's medians the clerk sees, each with its `ui.step.*` text.
const CLERK_STEPS: [&str; 4] = ["pre_request", "photo", "fingers", "review"];

/// Milliseconds as seconds with one decimal ("12,3 s" in French, "12.3 s" in English).
fn seconds(tr: super::texts::Tr, ms: u64) -> String {
    let separator = match tr.0 {
        crate::language::Language::French => ',',
        crate::language::Language::English => '.',
    };
    format!("{}{separator}{} s", ms / 1000, (ms % 1000) / 100)
}
