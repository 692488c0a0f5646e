//! One-time setup: the first supervisor account, created when the station has none.

use eframe::egui::{self, RichText};

use super::{cx::Cx, keys, widgets};
use zeroize::Zeroizing;

use crate::{desk::Command, operators::Pin};

/// The setup screen's fields.
#[derive(Debug, Default)]
pub(crate) struct SetupScreen {
    name: String,
    // Wiped when replaced or dropped: a PIN stays in memory no longer than the screen needs it.
    secret: Zeroizing<String>,
    again: Zeroizing<String>,
    mismatch: bool,
    focused: bool,
}

impl SetupScreen {
    pub(crate) fn show(&mut self, ui: &mut egui::Ui, cx: &mut Cx<'_>) {
        let tr = cx.tr;
        widgets::heading(ui, &tr.t("ui.setup.title"));
        ui.label(tr.t("ui.setup.explain"));
        ui.add_space(8.0);
        let name = widgets::field(
            ui,
            &tr.t("ui.setup.name"),
            &mut self.name,
            false,
            "setup-name",
        );
        if !self.focused {
            name.request_focus();
            self.focused = true;
        }
        let secret = widgets::field(
            ui,
            &tr.t("ui.setup.secret"),
            &mut self.secret,
            true,
            "setup-secret",
        );
        let again = widgets::field(
            ui,
            &tr.t("ui.setup.again"),
            &mut self.again,
            true,
            "setup-again",
        );
        if keys::submitted(ui, &name) {
            secret.request_focus();
        }
        if keys::submitted(ui, &secret) {
            again.request_focus();
        }
        let submit = keys::submitted(ui, &again);
        ui.add_space(8.0);
        let clicked = widgets::button(ui, tr, &tr.t("ui.setup.create"), widgets::ENTER, true);
        if submit || clicked {
            if *self.secret == *self.again {
                self.mismatch = false;
                cx.asks.push(Command::CreateFirstSupervisor {
                    name: self.name.trim().to_owned(),
                    secret: Pin::take(&mut self.secret),
                });
                self.again = Zeroizing::default();
            } else {
                self.mismatch = true;
                self.again = Zeroizing::default();
                again.request_focus();
            }
        }
        if self.mismatch {
            ui.label(RichText::new(tr.t("ui.setup.mismatch")).color(widgets::RED));
        }
        if let Some(error) = &cx.view.sign_in_error {
            ui.label(
                RichText::new(error)
                    .color(widgets::RED)
                    .size(super::theme::BODY),
            );
        }
    }
}
