//! Small pieces the screens share: headings, buttons that show their shortcut, labelled fields,
//! the notice and busy lines, one row of a two-column table.

use eframe::egui::{self, Color32, RichText};

use super::{texts::Tr, theme};
use crate::desk::{Busy, Notice};

/// Red for refusals and errors.
pub(crate) const RED: Color32 = theme::ERROR;
/// Green for what went well.
pub(crate) const GREEN: Color32 = theme::SUCCESS;
/// Amber for warnings (below threshold, frozen).
pub(crate) const AMBER: Color32 = theme::WARNING;

/// The key of every screen's main action, as [`button`] takes it.
pub(crate) const ENTER: &str = "enter";
/// The key that goes back or stops, as [`button`] takes it.
pub(crate) const ESCAPE: &str = "escape";

/// A screen's title.
pub(crate) fn heading(ui: &mut egui::Ui, text: &str) {
    ui.add_space(4.0);
    ui.heading(RichText::new(text).color(theme::TEXT));
    ui.add_space(8.0);
}

/// A button labelled with its shortcut in the screen's language ("Prendre la photo  [Entrée]",
/// "Take the photo  [Enter]"); `key` is [`ENTER`], [`ESCAPE`], a function key as written on the
/// keyboard ("F7"), or empty for none; `enabled` greys it out. The one that Enter triggers is the
/// screen's main action: it alone is filled in the primary colour, so the clerk finds it at a glance.
pub(crate) fn button(ui: &mut egui::Ui, tr: Tr, text: &str, key: &str, enabled: bool) -> bool {
    let shown = match key {
        ENTER => tr.t("ui.key.enter"),
        ESCAPE => tr.t("ui.key.escape"),
        other => other.to_owned(),
    };
    let label = if shown.is_empty() {
        text.to_owned()
    } else {
        format!("{text}  [{shown}]")
    };
    let main = key == ENTER;
    let text = if main {
        RichText::new(label).color(Color32::WHITE)
    } else {
        RichText::new(label).color(theme::PRIMARY)
    };
    let mut button = egui::Button::new(text).min_size(egui::vec2(0.0, theme::TARGET));
    button = if main {
        button.fill(theme::PRIMARY)
    } else {
        button
            .fill(Color32::WHITE)
            .stroke(egui::Stroke::new(1.0, theme::PRIMARY))
    };
    ui.add_enabled(enabled, button).clicked()
}

/// A labelled single-line field (the label names it for screen readers and for the UI tests).
pub(crate) fn field(
    ui: &mut egui::Ui,
    label: &str,
    text: &mut String,
    secret: bool,
    id: &str,
) -> egui::Response {
    ui.horizontal(|ui| {
        let label = ui
            .allocate_ui_with_layout(
                egui::vec2(200.0, 24.0),
                egui::Layout::left_to_right(egui::Align::Center),
                |ui| {
                    ui.set_min_width(200.0);
                    ui.label(label)
                },
            )
            .inner;
        ui.add(
            egui::TextEdit::singleline(text)
                .id_salt(id)
                .password(secret)
                .desired_width(260.0)
                .font(egui::TextStyle::Heading),
        )
        .labelled_by(label.id)
    })
    .inner
}

/// The core's message for the clerk, as an alert: a coloured bar on the left, red for an error,
/// green for information.
pub(crate) fn notice(ui: &mut egui::Ui, notice: &Notice) {
    let color = if notice.error { RED } else { GREEN };
    egui::Frame::new()
        .fill(theme::SURFACE)
        .inner_margin(egui::Margin {
            left: 16,
            right: 12,
            top: 8,
            bottom: 8,
        })
        .show(ui, |ui| {
            let rect = ui.max_rect();
            ui.label(RichText::new(&notice.text).color(color));
            let bar = egui::Rect::from_min_max(
                egui::pos2(rect.left() - 16.0, rect.top() - 8.0),
                egui::pos2(rect.left() - 11.0, ui.min_rect().bottom() + 8.0),
            );
            ui.painter().rect_filled(bar, 0.0, color);
        });
}

/// Something long going on, with a spinner and its progress when known.
pub(crate) fn busy(ui: &mut egui::Ui, busy: &Busy) {
    ui.horizontal(|ui| {
        ui.spinner();
        ui.label(&busy.what);
        if let Some(p) = busy.progress {
            ui.add(
                egui::ProgressBar::new(p)
                    .desired_width(200.0)
                    .show_percentage(),
            );
        }
    });
}

/// One "name: value" row of a grid.
pub(crate) fn row(ui: &mut egui::Ui, name: &str, value: &str) {
    ui.label(RichText::new(name).weak());
    ui.label(RichText::new(value).strong());
    ui.end_row();
}
