//! The queue screen's records waiting for a supervisor: reference, what the exception is, how long
//! it has waited (no biometric image: the station cannot open a sealed record, and a clerk has no
//! business seeing one), and the supervisor's decision. The supervisor comes to the counter and
//! types their name and PIN here, whoever is signed in: the clerk's session is not ended for it,
//! and a supervisor signed in confirms with their PIN as well.

use eframe::egui::{self, Key, RichText};

use super::{cx::Cx, keys, widgets};
use crate::{
    desk::Command,
    operators::{Pin, Role},
    outbox::review::Decision,
};

/// The decision form's state.
#[derive(Debug, Default)]
pub(crate) struct ApprovalPanel {
    /// Index of the chosen row.
    chosen: usize,
    supervisor: String,
    secret: zeroize::Zeroizing<String>,
    reason: String,
    /// The record the reason was typed for: another record starts with an empty reason.
    reason_for: String,
    /// The signed-in supervisor's name was put in the field once (then the field is theirs to
    /// clear or change).
    prefilled: bool,
}

impl ApprovalPanel {
    pub(crate) fn show(&mut self, ui: &mut egui::Ui, cx: &mut Cx<'_>) {
        let tr = cx.tr;
        let waiting = &cx.view.outbox.awaiting;
        ui.label(
            RichText::new(tr.with(
                "ui.approval.title",
                &[("count", &waiting.len().to_string())],
            ))
            .strong(),
        );
        if waiting.is_empty() {
            ui.label(RichText::new(tr.t("ui.approval.none")).weak());
            return;
        }
        if self.chosen >= waiting.len() {
            self.chosen = 0;
        }
        egui::Grid::new("approval-rows")
            .striped(true)
            .num_columns(4)
            .show(ui, |ui| {
                for head in [
                    "ui.approval.col_chosen",
                    "ui.approval.col_reference",
                    "ui.approval.col_exception",
                    "ui.approval.col_waited",
                ] {
                    ui.label(RichText::new(tr.t(head)).strong());
                }
                ui.end_row();
                for (i, row) in waiting.iter().enumerate() {
                    // A word, not an arrow: the counter's fonts have no arrow glyph.
                    if i == self.chosen {
                        ui.label(RichText::new(tr.t("ui.approval.chosen")).strong());
                    } else {
                        ui.label("");
                    }
                    ui.label(RichText::new(&row.case_reference).monospace());
                    ui.label(&row.exceptions);
                    ui.label(&row.waited);
                    ui.end_row();
                }
            });
        if waiting.len() > 1
            && (widgets::button(ui, tr, &tr.t("ui.approval.next"), "F2", true)
                || keys::pressed(ui, Key::F2))
        {
            self.chosen = (self.chosen + 1) % waiting.len();
        }
        let Some(row) = waiting.get(self.chosen) else {
            return;
        };
        if self.reason_for != row.record_id {
            self.reason.clear();
            self.reason_for = row.record_id.clone();
        }
        ui.label(tr.with(
            "ui.approval.deciding",
            &[("reference", &row.case_reference)],
        ));
        // A supervisor signed in has their name there already; they still type their PIN.
        if !self.prefilled {
            self.prefilled = true;
            if let Some(op) = cx
                .view
                .operator
                .as_ref()
                .filter(|o| o.role == Role::Supervisor)
            {
                self.supervisor = op.name.clone();
            }
        }
        widgets::field(
            ui,
            &tr.t("ui.approval.supervisor"),
            &mut self.supervisor,
            false,
            "approval-supervisor",
        );
        widgets::field(
            ui,
            &tr.t("ui.approval.secret"),
            &mut self.secret,
            true,
            "approval-secret",
        );
        widgets::field(
            ui,
            &tr.t("ui.approval.reason"),
            &mut self.reason,
            false,
            "approval-reason",
        );
        let ready = !self.supervisor.trim().is_empty() && !self.secret.is_empty();
        let mut decision = None;
        ui.horizontal(|ui| {
            if widgets::button(ui, tr, &tr.t("ui.approval.approve"), "F8", ready)
                || (ready && keys::pressed(ui, Key::F8))
            {
                decision = Some(Decision::Approve);
            }
            let can_reject = ready && !self.reason.trim().is_empty();
            if widgets::button(ui, tr, &tr.t("ui.approval.reject"), "F9", can_reject)
                || (can_reject && keys::pressed(ui, Key::F9))
            {
                decision = Some(Decision::Reject);
            }
        });
        if self.reason.trim().is_empty() {
            ui.label(RichText::new(tr.t("ui.approval.reason_hint")).weak());
        }
        self.ask(decision, row.record_id.clone(), cx);
    }

    fn ask(&mut self, decision: Option<Decision>, record_id: String, cx: &mut Cx<'_>) {
        let Some(decision) = decision else {
            return;
        };
        cx.asks.push(Command::DecideReview {
            record_id,
            decision,
            supervisor: self.supervisor.trim().to_owned(),
            secret: Pin::take(&mut self.secret),
            // Kept on the screen: a refused PIN does not make the supervisor type it again.
            reason: self.reason.clone(),
        });
    }
}
