//! Sign-in: account name and PIN. Offers back an enrolment put aside by an idle sign-out, and shows
//! the hints the app was started with, if any (the demo's accounts and pre-request numbers).

use eframe::egui::{self, RichText};

use super::{cx::Cx, keys, widgets};
use zeroize::Zeroizing;

use crate::{desk::Command, operators::Pin};

/// The sign-in screen's fields.
#[derive(Debug, Default)]
pub(crate) struct SignInScreen {
    name: String,
    // Wiped when taken or dropped: a PIN stays in memory no longer than the screen needs it.
    secret: Zeroizing<String>,
    focused: bool,
}

impl SignInScreen {
    pub(crate) fn show(&mut self, ui: &mut egui::Ui, cx: &mut Cx<'_>) {
        let tr = cx.tr;
        widgets::heading(ui, &tr.t("ui.sign_in.title"));
        if let Some(notice) = &cx.view.notice {
            widgets::notice(ui, notice);
        }
        if let Some(suspended) = &cx.view.suspended {
            ui.label(
                RichText::new(tr.with(
                    "ui.sign_in.suspended",
                    &[
                        ("number", &suspended.pre_request),
                        ("operator", &suspended.operator),
                    ],
                ))
                .color(widgets::AMBER)
                .size(super::theme::BODY),
            );
        }
        ui.add_space(8.0);
        let name = widgets::field(
            ui,
            &tr.t("ui.sign_in.name"),
            &mut self.name,
            false,
            "sign-in-name",
        );
        if !self.focused {
            name.request_focus();
            self.focused = true;
        }
        let secret = widgets::field(
            ui,
            &tr.t("ui.sign_in.secret"),
            &mut self.secret,
            true,
            "sign-in-secret",
        );
        if keys::submitted(ui, &name) {
            secret.request_focus();
        }
        let submit = keys::submitted(ui, &secret);
        ui.add_space(8.0);
        let clicked = widgets::button(ui, tr, &tr.t("ui.sign_in.submit"), widgets::ENTER, true);
        if (submit || clicked) && !self.name.trim().is_empty() {
            cx.asks.push(Command::SignIn {
                name: self.name.trim().to_owned(),
                secret: Pin::take(&mut self.secret),
            });
            // After a refusal, the PIN field is ready for the next try.
            secret.request_focus();
        }
        if let Some(error) = &cx.view.sign_in_error {
            ui.label(
                RichText::new(error)
                    .color(widgets::RED)
                    .size(super::theme::BODY),
            );
        }
        if let Some(hints) = &cx.settings.sign_in_hints {
            ui.add_space(16.0);
            ui.separator();
            ui.label(RichText::new(hints.title.in_language(tr.0)).strong());
            egui::Grid::new("sign-in-hints")
                .striped(true)
                .show(ui, |ui| {
                    for (what, value) in &hints.rows {
                        widgets::row(ui, what.in_language(tr.0), value);
                    }
                });
        }
    }
}
