//! Small pieces the screens share: headings, buttons that show their shortcut, labelled fields,
//! the notice and busy lines, one row of a two-column table.

use eframe::egui::{self, Color32, RichText};

use crate::counter::{Busy, Notice};

/// Red for refusals and errors.
pub(crate) const RED: Color32 = Color32::from_rgb(0xc0, 0x20, 0x20);
/// Green for what went well.
pub(crate) const GREEN: Color32 = Color32::from_rgb(0x1a, 0x7f, 0x37);
/// Amber for warnings (below threshold, frozen).
pub(crate) const AMBER: Color32 = Color32::from_rgb(0xb3, 0x6b, 0x00);

/// A screen's title.
pub(crate) fn heading(ui: &mut egui::Ui, text: &str) {
    ui.add_space(4.0);
    ui.heading(RichText::new(text).strong());
    ui.add_space(8.0);
}

/// A button labelled with its shortcut ("Prendre la photo  [Entrée]"); `enabled` greys it out.
pub(crate) fn button(ui: &mut egui::Ui, text: &str, key: &str, enabled: bool) -> bool {
    let label = if key.is_empty() {
        text.to_owned()
    } else {
        format!("{text}  [{key}]")
    };
    ui.add_enabled(
        enabled,
        egui::Button::new(RichText::new(label).size(16.0)).min_size(egui::vec2(0.0, 32.0)),
    )
    .clicked()
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

/// The core's message for the clerk, in red when it is an error.
pub(crate) fn notice(ui: &mut egui::Ui, notice: &Notice) {
    let color = if notice.error { RED } else { GREEN };
    ui.label(RichText::new(&notice.text).color(color).size(16.0));
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
