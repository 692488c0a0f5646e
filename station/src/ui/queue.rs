//! The queue: the outbox's counts, its latest records with their receipt times, and "has my file
//! been sent?" by pre-request number.

use eframe::egui::{self, RichText};

use super::{cx::Cx, keys, widgets};
use crate::desk::{Command, OutboxRow};

/// The queue screen's search field.
#[derive(Debug, Default)]
pub(crate) struct QueueScreen {
    number: String,
    approval: super::approval::ApprovalPanel,
    /// Put the keyboard in the search field at the next frame.
    pub focus: bool,
}

impl QueueScreen {
    pub(crate) fn show(&mut self, ui: &mut egui::Ui, cx: &mut Cx<'_>) {
        let tr = cx.tr;
        let view = cx.view;
        widgets::heading(ui, &tr.t("ui.queue.title"));
        ui.label(tr.with(
            "ui.queue.counts",
            &[
                ("queued", &view.outbox.queued.to_string()),
                ("sending", &view.outbox.sending.to_string()),
                ("acknowledged", &view.outbox.acknowledged.to_string()),
            ],
        ));
        if let Some(frozen) = &view.outbox.frozen {
            ui.label(RichText::new(frozen).color(widgets::AMBER).strong());
        }
        ui.add_space(8.0);
        self.approval.show(ui, cx);
        ui.add_space(8.0);
        ui.label(RichText::new(tr.t("ui.queue.search_title")).strong());
        let field = widgets::field(
            ui,
            &tr.t("ui.queue.search"),
            &mut self.number,
            false,
            "queue-search",
        );
        fold_upper(&mut self.number);
        if self.focus {
            field.request_focus();
            self.focus = false;
        }
        let submit = keys::submitted(ui, &field);
        let clicked = widgets::button(
            ui,
            tr,
            &tr.t("ui.queue.search_button"),
            widgets::ENTER,
            true,
        );
        if (submit || clicked) && !self.number.trim().is_empty() {
            cx.asks.push(Command::Search {
                number: self.number.trim().to_owned(),
            });
        }
        if let Some(answer) = &view.search {
            ui.add_space(4.0);
            ui.label(
                RichText::new(&answer.answer)
                    .size(super::theme::BODY)
                    .strong(),
            );
            if !answer.rows.is_empty() {
                rows(ui, &answer.rows, cx, "queue-search-rows");
            }
        }
        ui.add_space(12.0);
        ui.label(RichText::new(tr.t("ui.queue.recent")).strong());
        if view.outbox.recent.is_empty() {
            ui.label(RichText::new(tr.t("ui.queue.empty")).weak());
        } else {
            rows(ui, &view.outbox.recent, cx, "queue-rows");
        }
    }
}

fn rows(ui: &mut egui::Ui, rows: &[OutboxRow], cx: &Cx<'_>, id: &str) {
    let tr = cx.tr;
    egui::Grid::new(id)
        .striped(true)
        .num_columns(5)
        .show(ui, |ui| {
            for head in [
                "ui.queue.col_number",
                "ui.queue.col_state",
                "ui.queue.col_queued",
                "ui.queue.col_receipt",
                "ui.queue.col_record",
            ] {
                ui.label(RichText::new(tr.t(head)).strong());
            }
            ui.end_row();
            for row in rows {
                ui.label(row.pre_request.as_deref().unwrap_or("—"));
                ui.label(&row.state);
                ui.label(&row.queued_at);
                ui.label(row.receipt_at.as_deref().unwrap_or("—"));
                // The reference the applicant holds on the receipt, not the record's internal id.
                let reference = wire::case_reference::case_reference(&row.record_id);
                ui.label(RichText::new(reference).monospace());
                ui.end_row();
            }
        });
}

/// Pre-request numbers are upper case: fold as typed.
pub(crate) fn fold_upper(text: &mut String) {
    if text.chars().any(|c| c.is_ascii_lowercase()) {
        *text = text.to_ascii_uppercase();
    }
}
