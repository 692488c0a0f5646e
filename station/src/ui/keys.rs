//! Keyboard shortcuts. A clerk drives the whole enrolment from the keyboard: Enter does the
//! screen's main action, function keys the others (each button shows its key), Tab moves between
//! fields and buttons as egui does by default.

use eframe::egui::{self, Key, Modifiers};

/// True once when `key` was pressed (no modifier) this frame; the press is consumed so that no
/// other widget also acts on it.
pub(crate) fn pressed(ui: &egui::Ui, key: Key) -> bool {
    ui.ctx().input_mut(|i| i.consume_key(Modifiers::NONE, key))
}

/// Enter for the screen's main action: only when no widget has the keyboard focus (a focused
/// button or field handles its own Enter).
pub(crate) fn enter_for_main_action(ui: &egui::Ui) -> bool {
    let focused = ui.ctx().memory(|m| m.focused().is_some());
    !focused && pressed(ui, Key::Enter)
}

/// Enter pressed in the single-line field whose response this is (egui ends the edit on Enter).
pub(crate) fn submitted(ui: &egui::Ui, field: &egui::Response) -> bool {
    field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter))
}
