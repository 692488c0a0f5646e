//! The wizard's first step: the pre-request number typed or scanned (a QR scanner types like a
//! keyboard, ending with Enter), checked as typed (10 characters `[A-Z0-9]`, upper-cased); then the
//! refusal, or the pre-request's content for the clerk to confirm against the documents.

use eframe::egui::{self, RichText};

use super::{cx::Cx, keys, queue::fold_upper, widgets};
use crate::uplink::prerequest_qr as qr;
use crate::{
    desk::{Command, EnrolmentView},
    uplink::PreRequest,
};
use wire::physical::EyeColour;

/// Width of the number's column, beside the content.
const ENTRY_WIDTH: f32 = 520.0;

/// Characters in a pre-request number (docs/reference/counter-workflow.md, "Number format").
pub(crate) const NUMBER_LEN: usize = 10;

/// The number field.
#[derive(Debug, Default)]
pub(crate) struct PreRequestScreen {
    /// What is typed.
    pub number: String,
    /// Put the keyboard in the number field at the next frame.
    pub focus: bool,
    /// The content was waiting for confirmation at the last frame.
    was_confirming: bool,
    /// The number as it was when Enter was pressed on it while incomplete: Enter is never silent,
    /// the clerk is told what is missing until the number changes.
    entered_incomplete: Option<String>,
    /// The height as the clerk sees and corrects it, filled from the pre-request once.
    height: String,
    /// The eye colour chosen, filled from the pre-request once.
    eye_colour: Option<EyeColour>,
    /// The pre-request the two fields above were filled from: another one (or another
    /// applicant) fills them again, so nobody sees the previous applicant's values.
    physical_from: Option<(u64, String)>,
    /// The paper form, for an applicant without a pre-request.
    paper: super::paper_form::PaperFormScreen,
    /// The paper form was open at the last frame.
    was_paper: bool,
    /// Why the QR code's content a scanner typed gave no number, until the field changes.
    qr_refused: Option<(String, crate::uplink::prerequest_qr::QrProblem)>,
    /// The camera's QR code readings already put in the field ([`crate::desk::QrReadingView::reads`]).
    qr_reads_filled: u64,
    /// The reason, the fee and the tax stamp.
    stamp: super::tax_stamp::TaxStampPanel,
}

/// What is wrong with the number as typed so far (None: well formed).
pub(crate) fn check(number: &str) -> Option<NumberProblem> {
    if let Some(c) = number
        .chars()
        .find(|c| !(c.is_ascii_uppercase() || c.is_ascii_digit()))
    {
        return Some(NumberProblem::BadChar(c));
    }
    let n = number.chars().count();
    if n < NUMBER_LEN {
        Some(NumberProblem::Short(n))
    } else if n > NUMBER_LEN {
        Some(NumberProblem::Long(n))
    } else {
        None
    }
}

/// Why a typed number cannot be sent yet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NumberProblem {
    /// Not a letter or a digit.
    BadChar(char),
    /// Too short: characters so far.
    Short(usize),
    /// Too long.
    Long(usize),
}

impl PreRequestScreen {
    /// Forgets what was typed for the previous applicant; where the keyboard goes is kept.
    pub(crate) fn forget_applicant(&mut self) {
        *self = Self {
            focus: self.focus,
            ..Self::default()
        };
    }

    pub(crate) fn show(&mut self, ui: &mut egui::Ui, enrolment: &EnrolmentView, cx: &mut Cx<'_>) {
        widgets::heading(ui, &cx.tr.t("ui.pre_request.title"));
        let paper = enrolment
            .paper_form
            .as_ref()
            .filter(|_| !enrolment.applicant_confirmed);
        if paper.is_some() != self.was_paper {
            // Opened: the keyboard goes to the form. Closed: what was typed is dropped, and the
            // keyboard goes back to the number, unless the form passed and its content waits
            // for its stamp (the stamp field takes the keyboard then).
            self.was_paper = paper.is_some();
            self.paper = super::paper_form::PaperFormScreen::default();
            self.paper.focus = self.was_paper;
            self.focus = !self.was_paper && enrolment.pre_request.is_none();
        }
        if let Some(form) = paper {
            self.paper.show(ui, form, cx);
            return;
        }
        // The number on the left with, once the content is there, the height, the eye colour and
        // the confirmation under it; the pre-request's content beside them. The content alone
        // fills the right column's height: everything the clerk confirms stays in view at 1280×800.
        ui.horizontal_top(|ui| {
            ui.vertical(|ui| {
                ui.set_max_width(ENTRY_WIDTH);
                self.entry(ui, enrolment, cx);
                if let Some(pre) = &enrolment.pre_request {
                    ui.add_space(8.0);
                    self.confirmation(ui, pre, enrolment, cx);
                }
            });
            if let Some(pre) = &enrolment.pre_request {
                ui.add_space(16.0);
                ui.separator();
                ui.add_space(16.0);
                ui.vertical(|ui| {
                    self.content(ui, pre, enrolment, cx);
                    self.stamp.show(ui, enrolment, cx);
                });
            } else if enrolment.qr.reading {
                ui.add_space(16.0);
                ui.separator();
                ui.add_space(16.0);
                ui.vertical(|ui| super::qr_camera::reading(ui, enrolment, cx));
            }
        });
    }

    /// The number field, its check as typed, and the refusal when there is one.
    fn entry(&mut self, ui: &mut egui::Ui, enrolment: &EnrolmentView, cx: &mut Cx<'_>) {
        let tr = cx.tr;
        let confirming = enrolment.pre_request.is_some() && !enrolment.applicant_confirmed;
        // A number the camera read goes in the field once; the clerk may change it after.
        if enrolment.qr.reads != self.qr_reads_filled {
            self.qr_reads_filled = enrolment.qr.reads;
            if let Some(read) = &enrolment.qr.read {
                self.number.clone_from(read);
                self.qr_refused = None;
                self.entered_incomplete = None;
            }
        }
        ui.label(tr.t("ui.pre_request.explain"));
        let field = widgets::field(
            ui,
            &tr.t("ui.pre_request.number"),
            &mut self.number,
            false,
            "pre-request-number",
        );
        fold_upper(&mut self.number);
        // Scanners sometimes add spaces; they are not part of the number.
        if self.number.contains(' ') {
            self.number.retain(|c| c != ' ');
        }
        // The field has the keyboard whenever nothing else has it and nothing is being checked
        // or waits for confirmation: the clerk can type or scan at once. When the content
        // arrives, the keyboard leaves the field so that Enter confirms.
        let nothing_focused = ui.ctx().memory(|m| m.focused().is_none());
        let waiting = cx.view.busy.is_some();
        if self.focus || (!confirming && !waiting && nothing_focused && !field.lost_focus()) {
            field.request_focus();
            self.focus = false;
        }
        if confirming && !self.was_confirming && field.has_focus() {
            field.surrender_focus();
        }
        self.was_confirming = confirming;
        let mut submit = keys::submitted(ui, &field);
        // A scanner reading the pre-request's QR code types its whole content, then Enter: the
        // number is taken out of it, or the clerk is told why not.
        let scanned = qr::looks_scanned(&self.number);
        if submit && scanned {
            match qr::number_in(&self.number) {
                Ok(number) => {
                    self.number = number.as_str().to_owned();
                    self.qr_refused = None;
                }
                Err(problem) => {
                    self.qr_refused = Some((self.number.clone(), problem));
                    submit = false;
                }
            }
        }
        let problem = check(&self.number);
        if submit && problem.is_some() {
            self.entered_incomplete = Some(self.number.clone());
        }
        let insisted = self.entered_incomplete.as_ref() == Some(&self.number);
        let qr_refused = self
            .qr_refused
            .as_ref()
            .filter(|(content, _)| *content == self.number)
            .map(|(_, p)| *p);
        let hint = match problem {
            _ if qr_refused.is_some() => RichText::new(tr.t(match qr_refused {
                Some(qr::QrProblem::Ambiguous) => "ui.qr.ambiguous",
                Some(qr::QrProblem::Unreadable) => "ui.qr.unreadable",
                _ => "ui.qr.no_number",
            }))
            .color(widgets::RED),
            Some(_) if qr::looks_scanned(&self.number) => {
                RichText::new(tr.t("ui.qr.scanned")).weak()
            }
            None => RichText::new(tr.t("ui.pre_request.well_formed")).color(widgets::GREEN),
            Some(NumberProblem::BadChar(c)) => {
                RichText::new(tr.with("ui.pre_request.bad_char", &[("char", &c.to_string())]))
                    .color(widgets::RED)
            }
            Some(NumberProblem::Short(n)) if insisted => RichText::new(tr.with(
                "ui.pre_request.missing",
                &[
                    ("missing", &(NUMBER_LEN - n).to_string()),
                    ("max", &NUMBER_LEN.to_string()),
                ],
            ))
            .color(widgets::RED),
            Some(NumberProblem::Short(n)) => RichText::new(tr.with(
                "ui.pre_request.count",
                &[("n", &n.to_string()), ("max", &NUMBER_LEN.to_string())],
            ))
            .weak(),
            Some(NumberProblem::Long(n)) => RichText::new(tr.with(
                "ui.pre_request.too_long",
                &[("n", &n.to_string()), ("max", &NUMBER_LEN.to_string())],
            ))
            .color(widgets::RED),
        };
        ui.label(hint);
        let busy = cx.view.busy.is_some();
        // While the content waits for confirmation, Enter confirms it: this button keeps its
        // click (another number typed) but not the key.
        let key = if confirming { "" } else { widgets::ENTER };
        let clicked = widgets::button(
            ui,
            tr,
            &tr.t("ui.pre_request.check"),
            key,
            problem.is_none() && !busy,
        );
        if (submit || clicked) && problem.is_none() && !busy {
            cx.asks.push(Command::LoadPreRequest {
                number: self.number.clone(),
            });
        }
        // No pre-request: the clerk types the paper form instead (F8, the form's own key).
        if !confirming
            && (widgets::button(ui, tr, &tr.t("ui.paper.open"), "F8", !busy)
                || (!busy && keys::pressed(ui, egui::Key::F8)))
        {
            cx.asks.push(Command::OpenPaperForm);
        }
        if !confirming {
            super::qr_camera::key(ui, enrolment, cx);
        }
        if let Some(refusal) = &enrolment.pre_request_refusal {
            ui.add_space(6.0);
            ui.label(
                RichText::new(refusal)
                    .color(widgets::RED)
                    .size(super::theme::BODY)
                    .strong(),
            );
            ui.label(tr.t("ui.pre_request.try_again"));
        }
    }

    fn content(
        &mut self,
        ui: &mut egui::Ui,
        pre: &PreRequest,
        enrolment: &EnrolmentView,
        cx: &mut Cx<'_>,
    ) {
        let tr = cx.tr;
        ui.label(
            RichText::new(tr.t("ui.pre_request.content_title"))
                .size(super::theme::BODY)
                .strong(),
        );
        ui.label(tr.t("ui.pre_request.content_explain"));
        let a = &pre.applicant;
        egui::Grid::new("pre-request-content")
            .striped(true)
            .show(ui, |ui| {
                widgets::row(ui, &tr.t("ui.pre_request.number"), &shown_number(pre, tr));
                widgets::row(ui, &tr.t("ui.applicant.surname"), &a.surname);
                widgets::row(ui, &tr.t("ui.applicant.given_names"), &a.given_names);
                widgets::row(
                    ui,
                    &tr.t("ui.applicant.birth"),
                    &format!("{} — {}", french_date(&a.birth_date), a.birth_place),
                );
                widgets::row(ui, &tr.t("ui.applicant.sex"), a.sex.as_str());
                widgets::row(ui, &tr.t("ui.applicant.address"), &a.address);
                widgets::row(
                    ui,
                    &tr.t("ui.applicant.document"),
                    &word(tr, "ui.document", pre.document_type.as_str()),
                );
                // The reason is shown (and corrected) with the fee, under this grid.
            });
        if enrolment.exempt {
            ui.label(
                RichText::new(tr.t("ui.pre_request.exempt"))
                    .color(widgets::AMBER)
                    .size(super::theme::BODY),
            );
        }
    }

    /// Height and eye colour to confirm or correct, then the confirmation of the whole.
    fn confirmation(
        &mut self,
        ui: &mut egui::Ui,
        pre: &PreRequest,
        enrolment: &EnrolmentView,
        cx: &mut Cx<'_>,
    ) {
        let tr = cx.tr;
        let typed_enter = self.physical(ui, pre, enrolment, cx);
        ui.add_space(8.0);
        let busy = cx.view.busy.is_some();
        if widgets::button(
            ui,
            tr,
            &tr.t("ui.pre_request.confirm"),
            widgets::ENTER,
            !busy,
        ) || (!busy && (typed_enter || keys::enter_for_main_action(ui)))
        {
            // The values on the screen go with the confirmation: the desk reads the height and
            // refuses the confirmation with a sentence if it is wrong.
            cx.asks.push(Command::CorrectPhysical {
                height_cm: self.height.clone(),
                eye_colour: self.eye_colour,
            });
            cx.asks.push(Command::ConfirmApplicant);
        }
    }

    /// Height and eye colour, filled from the pre-request, for the clerk to confirm or correct:
    /// a text field (Tab reaches it, Enter confirms from it) and the colours as buttons (Tab and
    /// Space). Returns whether Enter was pressed in the height field.
    fn physical(
        &mut self,
        ui: &mut egui::Ui,
        pre: &PreRequest,
        enrolment: &EnrolmentView,
        cx: &mut Cx<'_>,
    ) -> bool {
        let tr = cx.tr;
        let from = (enrolment.id, pre.number.clone());
        if self.physical_from.as_ref() != Some(&from) {
            self.height = enrolment
                .physical
                .height_cm
                .or(pre.applicant.height_cm)
                .map(|cm| cm.to_string())
                .unwrap_or_default();
            self.eye_colour = enrolment.physical.eye_colour;
            self.physical_from = Some(from);
        }
        ui.label(tr.t("ui.physical.explain"));
        let field = widgets::field(
            ui,
            &tr.t("ui.physical.height"),
            &mut self.height,
            false,
            "physical-height",
        );
        let entered = field.lost_focus() && ui.input(|i| i.key_pressed(egui::Key::Enter));
        ui.label(tr.t("ui.physical.eye_colour"));
        ui.horizontal_wrapped(|ui| {
            // Slimmer than the action buttons: the nine colours take two rows, so the
            // confirmation under them stays in view at 1280×800.
            ui.spacing_mut().button_padding = egui::vec2(8.0, 4.0);
            // Each button keeps its own name: a screen reader (and a test) finds a colour by it.
            for colour in EyeColour::ALL {
                let text = tr.t(&format!(
                    "ui.eye_colour.{}",
                    colour.as_str().replace('-', "_")
                ));
                let chosen = self.eye_colour == Some(colour);
                if ui.selectable_label(chosen, text).clicked() {
                    self.eye_colour = Some(colour);
                }
            }
        });
        if let Some(refusal) = &enrolment.physical.refusal {
            ui.label(
                RichText::new(refusal)
                    .color(widgets::RED)
                    .size(super::theme::BODY)
                    .strong(),
            );
        }
        entered
    }
}

/// A word of the pre-request (document type, reason) for people; unknown words are shown as they are.
fn word(tr: super::texts::Tr, prefix: &str, value: &str) -> String {
    let key = format!("{prefix}.{}", value.replace(['-', '+'], "_"));
    let text = tr.t(&key);
    if text == key { value.to_owned() } else { text }
}

/// `YYYY-MM-DD` as `DD/MM/YYYY`; anything else unchanged.
pub(crate) fn french_date(iso: &str) -> String {
    let parts: Vec<&str> = iso.split('-').collect();
    match parts.as_slice() {
        [y, m, d] if y.len() == 4 && m.len() == 2 && d.len() == 2 => format!("{d}/{m}/{y}"),
        _ => iso.to_owned(),
    }
}

/// The pre-request's number as the clerk reads it: in words for an applicant enrolled from the
/// paper form, whose record names no pre-request.
pub(crate) fn shown_number(pre: &PreRequest, tr: super::texts::Tr) -> String {
    if pre.number == wire::paper_form::NO_PRE_REQUEST {
        tr.t("ui.pre_request.no_pre_request")
    } else {
        pre.number.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_number_is_checked_as_typed() {
        assert_eq!(check(""), Some(NumberProblem::Short(0)));
        assert_eq!(check("DEMO00"), Some(NumberProblem::Short(6)));
        assert_eq!(check("DEMO000001"), None);
        assert_eq!(check("DEMO0000012"), Some(NumberProblem::Long(11)));
        assert_eq!(check("DEMO-00001"), Some(NumberProblem::BadChar('-')));
        assert_eq!(check("demo000001"), Some(NumberProblem::BadChar('d')));
        assert_eq!(check("DÉMO00001"), Some(NumberProblem::BadChar('É')));
    }

    #[test]
    fn dates_are_shown_the_french_way() {
        assert_eq!(french_date("1984-03-12"), "12/03/1984");
        assert_eq!(french_date("inconnue"), "inconnue");
    }
}
