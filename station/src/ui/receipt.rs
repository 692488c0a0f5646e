//! The applicant's receipt (récépissé) on screen, "Imprimer" to write its PDF, then the next
//! applicant. Returns true when the clerk goes on to the next applicant.

use eframe::egui::{self, Key, RichText};

use super::{cx::Cx, keys, widgets};
use crate::desk::{Command, EnrolmentView};

pub(crate) fn show(ui: &mut egui::Ui, enrolment: &EnrolmentView, cx: &mut Cx<'_>) -> bool {
    let tr = cx.tr;
    widgets::heading(ui, &tr.t("ui.receipt.title"));
    let Some(receipt) = &enrolment.receipt else {
        ui.horizontal(|ui| {
            ui.spinner();
            ui.label(tr.t("ui.receipt.sealing"));
        });
        return false;
    };
    ui.label(
        RichText::new(tr.t("ui.receipt.queued"))
            .color(widgets::GREEN)
            .size(super::theme::BODY)
            .strong(),
    );
    egui::Frame::group(ui.style()).show(ui, |ui| {
        ui.label(
            RichText::new(tr.t("ui.receipt.heading"))
                .size(super::theme::VERDICT)
                .strong(),
        );
        egui::Grid::new("receipt").show(ui, |ui| {
            widgets::row(ui, &tr.t("ui.receipt.town_hall"), &receipt.town_hall);
            widgets::row(ui, &tr.t("ui.receipt.pre_request"), &receipt.pre_request);
            widgets::row(ui, &tr.t("ui.receipt.date"), &receipt.date);
            widgets::row(ui, &tr.t("ui.receipt.record"), &receipt.case_reference);
        });
        ui.label(RichText::new(tr.t("ui.receipt.captured")).strong());
        for line in &receipt.captured {
            ui.label(format!("• {line}"));
        }
    });
    ui.add_space(8.0);
    let mut next = false;
    ui.horizontal(|ui| {
        if widgets::button(ui, tr, &tr.t("ui.receipt.print"), "F9", true)
            || keys::pressed(ui, Key::F9)
        {
            cx.asks.push(Command::PrintReceipt);
        }
        if widgets::button(ui, tr, &tr.t("ui.receipt.next"), widgets::ENTER, true)
            || keys::enter_for_main_action(ui)
        {
            cx.asks.push(Command::NextApplicant);
            next = true;
        }
    });
    // A receipt sent to the printer is said by the notice alone.
    if let Some(pdf) = receipt.pdf.as_ref().filter(|_| receipt.printed.is_none()) {
        // The file's name (the case reference), not its folder: the clerk needs no path.
        let name = pdf.file_name().map_or_else(
            || pdf.display().to_string(),
            |n| n.to_string_lossy().into_owned(),
        );
        ui.label(tr.with("ui.receipt.printed", &[("path", &name)]));
    }
    next
}
