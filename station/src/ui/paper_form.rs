//! The paper form (CERFA 12100*03 / 12101*03) typed by the clerk when the applicant has no
//! pre-request: one row per field in the form's order (which is also the Tab order), the reason a
//! field was refused beside it, Enter in any field or on the screen sends the whole form.

use eframe::egui::{self, RichText};
use wire::{
    physical::EyeColour,
    prerequest::{DocumentType, Reason, Sex},
};

use super::{cx::Cx, keys, texts::Tr, widgets};
use crate::desk::{Command, FormField, PaperFormEntry, PaperFormView};

/// Width of a text field.
const TEXT_WIDTH: f32 = 210.0;
/// Height of a text field.
const TEXT_HEIGHT: f32 = 32.0;

/// What the clerk typed so far. Held by the pre-request screen, and dropped with it when the
/// next applicant comes (the form is wiped like the captures).
#[derive(Default)]
pub(crate) struct PaperFormScreen {
    entry: PaperFormEntry,
    /// The problems shown last: when they change, the keyboard goes to the first refused field.
    shown_problems: Vec<FormField>,
    /// Put the keyboard in the first field at the next frame.
    pub focus: bool,
}

impl std::fmt::Debug for PaperFormScreen {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("PaperFormScreen").finish_non_exhaustive()
    }
}

const DOCUMENTS: [DocumentType; 3] = [
    DocumentType::Cni,
    DocumentType::Passport,
    DocumentType::CniAndPassport,
];
const REASONS: [Reason; 6] = [
    Reason::First,
    Reason::Renewal,
    Reason::Loss,
    Reason::Theft,
    Reason::CivilStatusChange,
    Reason::AddressChange,
];
const SEXES: [Sex; 3] = [Sex::F, Sex::M, Sex::X];

impl PaperFormScreen {
    /// Shows the form; sends it on Enter or "Valider", goes back to the number on F8.
    pub(crate) fn show(&mut self, ui: &mut egui::Ui, view: &PaperFormView, cx: &mut Cx<'_>) {
        let tr = cx.tr;
        let refused: Vec<FormField> = view.problems.iter().map(|(f, _)| *f).collect();
        let refocus = if refused != self.shown_problems {
            self.shown_problems.clone_from(&refused);
            refused.first().copied()
        } else {
            None
        };
        let mut entered = false;
        let first = std::mem::take(&mut self.focus);
        let e = &mut self.entry;
        // The typed fields on the left (each refusal beside its field), the choices on the right:
        // one column would not fit above the fold of a 1280×800 counter screen.
        ui.horizontal_top(|ui| {
            egui::Grid::new("paper-form-typed")
                .num_columns(3)
                .spacing(egui::vec2(10.0, 4.0))
                .show(ui, |ui| {
                    for (field, text) in [
                        (FormField::Surname, &mut e.surname),
                        (FormField::GivenNames, &mut e.given_names),
                        (FormField::BirthDate, &mut e.birth_date),
                        (FormField::BirthPlace, &mut e.birth_place),
                        (FormField::Address, &mut e.address),
                        (FormField::Height, &mut e.height_cm),
                    ] {
                        let focus =
                            refocus == Some(field) || (first && field == FormField::Surname);
                        entered |= text_row(ui, tr, field, text, focus, view);
                    }
                });
            ui.add_space(16.0);
            ui.vertical(|ui| {
                choices(
                    ui,
                    tr,
                    FormField::Document,
                    &DOCUMENTS,
                    &mut e.document_type,
                    |d| document_word(tr, *d),
                    refocus == Some(FormField::Document),
                    view,
                );
                choices(
                    ui,
                    tr,
                    FormField::Reason,
                    &REASONS,
                    &mut e.reason,
                    |r| reason_word(tr, *r),
                    refocus == Some(FormField::Reason),
                    view,
                );
                choices(
                    ui,
                    tr,
                    FormField::Sex,
                    &SEXES,
                    &mut e.sex,
                    |s| sex_word(tr, *s),
                    refocus == Some(FormField::Sex),
                    view,
                );
                choices(
                    ui,
                    tr,
                    FormField::EyeColour,
                    &EyeColour::ALL,
                    &mut e.eye_colour,
                    |c| tr.t(&format!("ui.eye_colour.{}", c.as_str().replace('-', "_"))),
                    refocus == Some(FormField::EyeColour),
                    view,
                );
            });
        });
        ui.add_space(4.0);
        let busy = cx.view.busy.is_some();
        ui.horizontal(|ui| {
            let send = widgets::button(ui, tr, &tr.t("ui.paper.submit"), widgets::ENTER, !busy)
                || (!busy && (entered || keys::enter_for_main_action(ui)));
            if send {
                cx.asks
                    .push(Command::SubmitPaperForm(Box::new(self.entry.clone())));
            }
            if widgets::button(ui, tr, &tr.t("ui.paper.back"), "F8", true)
                || keys::pressed(ui, egui::Key::F8)
            {
                cx.asks.push(Command::ClosePaperForm);
            }
            // Which form, and how to move in it, beside the buttons: a line of its own above the
            // form would push the buttons below the fold of a 1280×800 screen.
            ui.label(RichText::new(tr.t("ui.paper.explain")).weak());
        });
    }
}

/// Why the field was refused, beside it (an empty cell otherwise).
fn problem(ui: &mut egui::Ui, field: FormField, view: &PaperFormView) {
    match view.problem(field) {
        Some(text) => {
            // One short line (the sentences are written for it): a wrapped one would spill over
            // the next row of the grid.
            ui.add(egui::Label::new(RichText::new(text).color(widgets::RED).strong()).extend());
        }
        None => {
            ui.label("");
        }
    }
}

/// A one-line text field; returns whether Enter was pressed in it.
fn text_row(
    ui: &mut egui::Ui,
    tr: Tr,
    field: FormField,
    text: &mut String,
    focus: bool,
    view: &PaperFormView,
) -> bool {
    let name = ui.label(tr.t(&format!("ui.paper.field.{}", field_key(field))));
    let hint = match field {
        FormField::BirthDate => tr.t("ui.paper.date_hint"),
        FormField::BirthPlace => tr.t("ui.paper.place_hint"),
        _ => String::new(),
    };
    // Sized explicitly: a grid cell would otherwise shrink the field to its content.
    let response = ui
        .add_sized(
            egui::vec2(TEXT_WIDTH, TEXT_HEIGHT),
            egui::TextEdit::singleline(text)
                .id_salt(format!("paper-{}", field_key(field)))
                .hint_text(hint),
        )
        .labelled_by(name.id);
    if focus {
        response.request_focus();
    }
    problem(ui, field, view);
    ui.end_row();
    keys::submitted(ui, &response)
}

/// A closed list as buttons under its label (Tab reaches each, Space or Enter picks it), and why
/// it was refused beside the label.
#[allow(clippy::too_many_arguments)]
fn choices<T: Copy + PartialEq>(
    ui: &mut egui::Ui,
    tr: Tr,
    field: FormField,
    values: &[T],
    chosen: &mut Option<T>,
    word: impl Fn(&T) -> String,
    focus: bool,
    view: &PaperFormView,
) {
    // The refusal on the label's line: under the buttons it would push the form's own buttons
    // below the fold of a 1280×800 screen.
    ui.horizontal(|ui| {
        ui.label(tr.t(&format!("ui.paper.field.{}", field_key(field))));
        if view.problem(field).is_some() {
            problem(ui, field, view);
        }
    });
    ui.horizontal_wrapped(|ui| {
        ui.spacing_mut().button_padding = egui::vec2(6.0, 2.0);
        ui.spacing_mut().item_spacing.y = 2.0;
        for (i, value) in values.iter().enumerate() {
            let response = ui.selectable_label(*chosen == Some(*value), word(value));
            if focus && i == 0 {
                response.request_focus();
            }
            if response.clicked() {
                *chosen = Some(*value);
            }
        }
    });
}

fn field_key(field: FormField) -> &'static str {
    match field {
        FormField::Document => "document",
        FormField::Reason => "reason",
        FormField::Surname => "surname",
        FormField::GivenNames => "given_names",
        FormField::Sex => "sex",
        FormField::BirthDate => "birth_date",
        FormField::BirthPlace => "birth_place",
        FormField::Address => "address",
        FormField::Height => "height",
        FormField::EyeColour => "eye_colour",
    }
}

fn document_word(tr: Tr, document: DocumentType) -> String {
    tr.t(&format!(
        "ui.document.{}",
        document.as_str().replace(['-', '+'], "_")
    ))
}

fn reason_word(tr: Tr, reason: Reason) -> String {
    tr.t(&format!(
        "ui.request_reason.{}",
        reason.as_str().replace('-', "_")
    ))
}

fn sex_word(tr: Tr, sex: Sex) -> String {
    tr.t(&format!(
        "ui.paper.sex.{}",
        sex.as_str().to_ascii_lowercase()
    ))
}
