//! The mobile kit's panel on the home screen: the day's list kept (its day and how many
//! appointments are left), how many records wait to be sent and since when, and "Préparer la
//! tournée" for a day (today by default). Shown only on a kit.

use eframe::egui::{self, Key, RichText};

use super::{cx::Cx, keys, widgets};
use crate::desk::Command;

/// The panel's own state: the day typed.
#[derive(Debug, Default)]
pub(crate) struct TourPanel {
    date: Option<String>,
}

impl TourPanel {
    pub(crate) fn show(&mut self, ui: &mut egui::Ui, cx: &mut Cx<'_>) {
        let Some(tour) = cx.view.tour.as_ref() else {
            return;
        };
        let tr = cx.tr;
        ui.add_space(12.0);
        ui.separator();
        ui.label(RichText::new(tr.t("mobile.ui.title")).strong());
        match &tour.day {
            Some(day) => ui.label(tr.with(
                "mobile.ui.list",
                &[("date", day), ("count", &tour.appointments.to_string())],
            )),
            None => ui.label(RichText::new(tr.t("mobile.ui.no_list")).color(widgets::AMBER)),
        };
        let waiting = match &tour.waiting_since {
            Some(since) if tour.waiting > 0 => RichText::new(tr.with(
                "mobile.ui.waiting",
                &[("count", &tour.waiting.to_string()), ("since", since)],
            ))
            .color(widgets::AMBER)
            .strong(),
            _ => RichText::new(tr.t("mobile.ui.nothing_waiting")).color(widgets::GREEN),
        };
        ui.label(waiting);
        let date = self.date.get_or_insert_with(crate::desk::clock::today);
        let field = widgets::field(ui, &tr.t("mobile.ui.date"), date, false, "tour-date");
        let submit = keys::submitted(ui, &field);
        let clicked = widgets::button(ui, tr, &tr.t("mobile.ui.prepare"), "F11", !tour.preparing)
            || (!tour.preparing && keys::pressed(ui, Key::F11));
        if submit || clicked {
            cx.asks.push(Command::PrepareTour {
                date: date.trim().to_owned(),
            });
        }
    }
}
