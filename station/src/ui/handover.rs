//! The handover (remise) screen: the clerk types or scans the pre-request number, the applicant
//! places an enrolled finger, and the result is said in plain French (the core's sentence). The
//! score is shown to supervisors and technicians only; the clerk needs the decision.

use eframe::egui::{self, Key, RichText};

use super::{
    cx::Cx,
    keys,
    pre_request::{NumberProblem, check},
    queue::fold_upper,
    widgets,
};
use crate::desk::{Command, HandoverStage};

/// The handover screen's own state: the number being typed.
#[derive(Debug, Default)]
pub(crate) struct HandoverScreen {
    /// What is typed.
    pub number: String,
    /// Put the keyboard in the number field at the next frame.
    pub focus: bool,
}

impl HandoverScreen {
    /// Draws the screen; true when the clerk leaves it.
    pub(crate) fn show(&mut self, ui: &mut egui::Ui, cx: &mut Cx<'_>) -> bool {
        let tr = cx.tr;
        let view = cx.view;
        let handover = view.handover.as_ref();
        let running = handover.is_some_and(|h| h.stage.in_progress());
        widgets::heading(ui, &tr.t("handover.ui.title"));
        ui.label(tr.t("handover.ui.explain"));
        let field = widgets::field(
            ui,
            &tr.t("handover.ui.number"),
            &mut self.number,
            false,
            "handover-number",
        );
        fold_upper(&mut self.number);
        self.number.retain(|c| c != ' ');
        if self.focus {
            field.request_focus();
            self.focus = false;
        }
        let problem = check(&self.number);
        let hint = match problem {
            None => RichText::new(tr.t("handover.ui.well_formed")).color(widgets::GREEN),
            Some(NumberProblem::BadChar(c)) => {
                RichText::new(tr.with("handover.ui.bad_char", &[("char", &c.to_string())]))
                    .color(widgets::RED)
            }
            Some(NumberProblem::Short(_) | NumberProblem::Long(_)) => {
                RichText::new(tr.t("handover.ui.ten_characters")).weak()
            }
        };
        ui.label(hint);
        let mut leave = false;
        ui.horizontal(|ui| {
            let can = problem.is_none() && !running && view.devices.fingerprint.ready;
            let enter = field.lost_focus() && ui.input(|i| i.key_pressed(Key::Enter));
            if widgets::button(ui, tr, &tr.t("handover.ui.check"), widgets::ENTER, can)
                || (can && enter)
            {
                cx.asks.push(Command::Handover {
                    number: self.number.clone(),
                });
            }
            if widgets::button(ui, tr, &tr.t("handover.ui.back"), widgets::ESCAPE, true)
                || keys::pressed(ui, Key::Escape)
            {
                cx.asks.push(Command::CloseHandover);
                self.number.clear();
                leave = true;
            }
        });
        if !view.devices.fingerprint.ready {
            ui.label(RichText::new(tr.t("handover.ui.no_module")).color(widgets::AMBER));
        }
        ui.add_space(12.0);
        if let Some(h) = handover {
            let (color, size) = match h.stage {
                HandoverStage::Done { matched: true, .. } => (widgets::GREEN, 22.0),
                HandoverStage::Done { matched: false, .. } => (widgets::RED, 22.0),
                HandoverStage::Failed => (widgets::AMBER, 18.0),
                HandoverStage::Asking | HandoverStage::PlaceFinger | HandoverStage::Checking => {
                    (ui.visuals().text_color(), 18.0)
                }
            };
            ui.horizontal(|ui| {
                if running {
                    ui.spinner();
                }
                ui.label(RichText::new(&h.message).color(color).size(size).strong());
            });
            let sees_score = view
                .operator
                .as_ref()
                .is_some_and(|o| o.role.may_calibrate());
            if let HandoverStage::Done {
                score, threshold, ..
            } = h.stage
                && sees_score
            {
                ui.label(
                    RichText::new(tr.with(
                        "handover.ui.score",
                        &[
                            ("score", &score.to_string()),
                            ("threshold", &threshold.to_string()),
                        ],
                    ))
                    .weak(),
                );
            }
        }
        leave
    }
}
