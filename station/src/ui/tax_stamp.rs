//! The fee and its electronic tax stamp on the pre-request step, beside the content: the reason of
//! the request (the clerk corrects it from the applicant's documents), the fee it costs, and the
//! stamp's number, typed by hand (shown in four groups of four as it is typed) or scanned. A 2D
//! code scanner is a keyboard wedge: it types the code's content fast into the field that has the
//! keyboard, then Enter; the desk finds the 16-digit number in it.

use eframe::egui::{self, Key, RichText};
use wire::{
    prerequest::Reason,
    tax_stamp::{NUMBER_DIGITS, euros, group_digits},
};

use super::{cx::Cx, keys, widgets};
use crate::desk::{Command, EnrolmentView};

/// Every reason, in the order of the paper form.
const REASONS: [Reason; 6] = [
    Reason::First,
    Reason::Renewal,
    Reason::Loss,
    Reason::Theft,
    Reason::CivilStatusChange,
    Reason::AddressChange,
];

/// The key of the stamp check (Enter in the field does it too).
const CHECK_KEY: Key = Key::F8;
/// The key of "go on without the check", offered only when the central could not be asked.
const UNCHECKED_KEY: Key = Key::F9;

/// The stamp field, forgotten with the applicant.
#[derive(Debug, Default)]
pub(crate) struct TaxStampPanel {
    /// What the field holds: grouped digits when typed by hand, the raw content when scanned.
    entry: String,
    /// The pre-request the field was opened for: another one empties it.
    from: Option<(u64, String)>,
}

impl TaxStampPanel {
    pub(crate) fn show(&mut self, ui: &mut egui::Ui, enrolment: &EnrolmentView, cx: &mut Cx<'_>) {
        let tr = cx.tr;
        let Some(pre) = &enrolment.pre_request else {
            return;
        };
        let view = &enrolment.tax_stamp;
        let from = (enrolment.id, pre.number.clone());
        let fresh = self.from.as_ref() != Some(&from);
        if fresh {
            self.entry.clear();
            self.from = Some(from);
        }
        let confirmed = enrolment.applicant_confirmed;
        // Compact: at 1280×800 the whole block stays in view under the content.
        ui.add_space(4.0);
        ui.horizontal_wrapped(|ui| {
            ui.label(RichText::new(tr.t("ui.tax_stamp.reason")).strong());
            ui.spacing_mut().button_padding = egui::vec2(6.0, 2.0);
            for reason in REASONS {
                let text = tr.t(&format!(
                    "ui.tax_stamp.reason_short.{}",
                    reason.as_str().replace('-', "_")
                ));
                let chosen = view.reason == Some(reason);
                if ui.selectable_label(chosen, text).clicked() && !chosen && !confirmed {
                    cx.asks.push(Command::CorrectReason(reason));
                }
            }
        });
        if view.due_cents == 0 {
            ui.label(RichText::new(tr.t("ui.tax_stamp.nothing_due")).color(widgets::GREEN));
            return;
        }
        ui.label(
            RichText::new(tr.with("ui.tax_stamp.due", &[("amount", &euros(view.due_cents))]))
                .size(super::theme::BODY)
                .strong(),
        );
        if let Some(accepted) = &view.accepted {
            let (key, colour) = if accepted.checked {
                ("ui.tax_stamp.accepted", widgets::GREEN)
            } else {
                ("ui.tax_stamp.unchecked", widgets::AMBER)
            };
            ui.label(
                RichText::new(tr.with(
                    key,
                    &[
                        ("number", &accepted.number.grouped()),
                        ("amount", &euros(accepted.amount_cents)),
                    ],
                ))
                .color(colour)
                .strong(),
            );
            // The field goes with the stamp accepted, and the keyboard with it: Enter then confirms
            // the content instead of checking the same stamp again.
            return;
        }
        if confirmed {
            return;
        }
        // The field and its check on one row: at 1280×800 both stay in view under the content.
        let row = ui.horizontal(|ui| {
            let label = ui.label(tr.t("ui.tax_stamp.number"));
            let field = ui
                .add(
                    egui::TextEdit::singleline(&mut self.entry)
                        .id_salt("tax-stamp-number")
                        .desired_width(250.0)
                        .font(egui::TextStyle::Heading),
                )
                .labelled_by(label.id);
            let busy = cx.view.busy.is_some();
            let clicked = widgets::button(
                ui,
                tr,
                &tr.t("ui.tax_stamp.check"),
                "F8",
                !busy && !self.entry.trim().is_empty(),
            ) || keys::pressed(ui, CHECK_KEY);
            (field, clicked)
        });
        let (field, clicked) = row.inner;
        if field.changed() {
            regroup(ui.ctx(), field.id, &mut self.entry);
        }
        // The field takes the keyboard when the stamp is first asked for, so that a scan goes
        // into it; the clerk's Tab or click moves it from there.
        let nothing_focused = ui.ctx().memory(|m| m.focused().is_none());
        if fresh && view.accepted.is_none() && nothing_focused {
            field.request_focus();
        }
        let digits = self.entry.chars().filter(char::is_ascii_digit).count();
        let typed_by_hand = self.entry.chars().all(|c| c.is_ascii_digit() || c == ' ');
        let busy = cx.view.busy.is_some();
        let submitted = keys::submitted(ui, &field);
        if (clicked || submitted) && !busy {
            cx.asks.push(Command::CheckTaxStamp {
                entry: self.entry.clone(),
            });
        }
        ui.horizontal_wrapped(|ui| {
            if view.unchecked_offer.is_some()
                && (widgets::button(ui, tr, &tr.t("ui.tax_stamp.go_on"), "F9", !busy)
                    || keys::pressed(ui, UNCHECKED_KEY))
            {
                cx.asks.push(Command::KeepTaxStampUnchecked);
            }
            if !self.entry.is_empty() && typed_by_hand {
                let hint = RichText::new(tr.with(
                    "ui.tax_stamp.count",
                    &[
                        ("n", &digits.to_string()),
                        ("max", &NUMBER_DIGITS.to_string()),
                    ],
                ));
                ui.label(if digits == NUMBER_DIGITS {
                    hint.color(widgets::GREEN)
                } else {
                    hint.weak()
                });
            }
        });
        // A refusal is the core's notice, at the top of the screen: always in view.
    }
}

/// A number typed by hand is shown as printed on the stamp, in groups of four; anything else (a
/// scanner's content) is left as it came, for the desk to read whole. The cursor goes to the end,
/// where the clerk types.
fn regroup(ctx: &egui::Context, id: egui::Id, entry: &mut String) {
    if !entry.chars().all(|c| c.is_ascii_digit() || c == ' ') {
        return;
    }
    let digits: String = entry.chars().filter(char::is_ascii_digit).collect();
    let grouped = group_digits(&digits);
    if grouped == *entry {
        return;
    }
    *entry = grouped;
    if let Some(mut state) = egui::TextEdit::load_state(ctx, id) {
        let end = egui::text::CCursor::new(entry.chars().count());
        state
            .cursor
            .set_char_range(Some(egui::text::CCursorRange::one(end)));
        state.store(ctx, id);
    }
}
