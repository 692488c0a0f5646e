//! An applicant without a pre-request: the clerk types the paper form (CERFA 12100*03 for the
//! identity card, 12101*03 for the passport). The typed civil status passes the same checks as an
//! online pre-request's ([`wire::civil_status`]); once it does, the enrolment starts as if a
//! pre-request had been confirmed, and the record carries the form instead of a number.

use rust_i18n::t;
use tracing::info;
use wire::{
    civil_status::{self, Problem},
    paper_form::{NO_PRE_REQUEST, PaperForm},
    prerequest::{Applicant, PreRequest, Sex, Status},
};

use super::{
    FormField, PaperFormEntry, PaperFormView, PhysicalView, core::Core, physical::read_height,
    texts::Texts,
};
use crate::audit::AuditEvent;

impl FormField {
    fn of(field: civil_status::Field) -> Self {
        match field {
            civil_status::Field::Surname => Self::Surname,
            civil_status::Field::GivenNames => Self::GivenNames,
            civil_status::Field::BirthDate => Self::BirthDate,
            civil_status::Field::BirthPlace => Self::BirthPlace,
            civil_status::Field::Address => Self::Address,
            civil_status::Field::Height => Self::Height,
        }
    }
}

/// `JJ/MM/AAAA` (as written on the paper form) as `AAAA-MM-JJ`; anything else as typed, for the
/// check to refuse in words.
pub(crate) fn iso_birth_date(typed: &str) -> String {
    let typed = typed.trim();
    let parts: Vec<&str> = typed.split(['/', '.']).collect();
    match parts.as_slice() {
        [d, m, y] if d.len() <= 2 && m.len() <= 2 && y.len() == 4 => {
            format!("{y}-{:0>2}-{:0>2}", m, d)
        }
        _ => typed.to_owned(),
    }
}

impl Texts {
    /// What is wrong with a field, in a sentence.
    pub(crate) fn paper_problem(&self, problem: Problem) -> String {
        let l = self.language.code();
        match problem {
            Problem::Missing => t!("counter.paper.missing", locale = l),
            Problem::TooLong => t!("counter.paper.too_long", locale = l),
            Problem::BadCharacter(c) => {
                t!("counter.paper.bad_character", locale = l, char = c)
            }
            Problem::NotADate => t!("counter.paper.not_a_date", locale = l),
            Problem::InTheFuture => t!("counter.paper.in_the_future", locale = l),
            Problem::TooOld => t!("counter.paper.too_old", locale = l),
            Problem::OutOfRange => t!("counter.paper.out_of_range", locale = l),
        }
        .into_owned()
    }

    fn paper_text(&self, key: PaperText) -> String {
        let l = self.language.code();
        match key {
            PaperText::Choose => t!("counter.paper.choose", locale = l),
            PaperText::Digits => t!("counter.paper.height_digits", locale = l),
            PaperText::HasErrors => t!("counter.paper.has_errors", locale = l),
            PaperText::Started => t!("counter.paper.started", locale = l),
            PaperText::StampDue => t!("counter.paper.stamp_due", locale = l),
        }
        .into_owned()
    }

    /// What the receipt and the review say in place of a pre-request number.
    pub(crate) fn no_pre_request(&self) -> String {
        t!(
            "counter.paper.no_pre_request",
            locale = self.language.code()
        )
        .into_owned()
    }
}

#[derive(Debug, Clone, Copy)]
enum PaperText {
    Choose,
    Digits,
    HasErrors,
    Started,
    /// The form passed and a fee is due: the stamp comes before the capture.
    StampDue,
}

impl Core {
    /// `Command::OpenPaperForm`: the applicant has no pre-request; the form replaces the number.
    pub(crate) fn open_paper_form(&mut self) {
        let Some(operator) = self.operator() else {
            return;
        };
        if !self.may_start_enrolment() {
            return;
        }
        if self.desk.enrolment.is_none() {
            self.desk.enrolment = Some(self.new_enrolment(&operator.name));
        }
        if let Some(enrolment) = self.desk.enrolment.as_mut() {
            enrolment.loaded = None;
            enrolment.view.pre_request = None;
            enrolment.view.pre_request_refusal = None;
            enrolment.view.physical = PhysicalView::default();
            enrolment.view.paper_form = Some(PaperFormView::default());
        }
    }

    /// `Command::ClosePaperForm`: back to the number (what was typed is dropped by the screen).
    pub(crate) fn close_paper_form(&mut self) {
        if let Some(enrolment) = self
            .desk
            .enrolment
            .as_mut()
            .filter(|e| !e.view.applicant_confirmed)
        {
            enrolment.view.paper_form = None;
        }
    }

    /// `Command::SubmitPaperForm`: checks the typed form; refused, each wrong field gets its
    /// sentence; accepted, the enrolment starts with it (height and eye colour confirmed as typed,
    /// since the clerk typed them from the applicant in front of them).
    pub(crate) fn submit_paper_form(&mut self, entry: &PaperFormEntry) {
        let Some(operator) = self.operator() else {
            return;
        };
        let open = self
            .desk
            .enrolment
            .as_ref()
            .is_some_and(|e| e.view.paper_form.is_some() && !e.view.applicant_confirmed);
        if !open {
            let text = self.plain(super::texts::Plain::NotNow);
            self.notice(true, text);
            return;
        }
        let (form, problems) = self.read_form(entry);
        let Some(form) = form.filter(|_| problems.is_empty()) else {
            info!(
                problems = problems.len(),
                "paper form refused, the clerk corrects it"
            );
            let text = self.texts.paper_text(PaperText::HasErrors);
            if let Some(view) = self
                .desk
                .enrolment
                .as_mut()
                .and_then(|e| e.view.paper_form.as_mut())
            {
                view.problems = problems;
            }
            self.notice(true, text);
            return;
        };
        let settings = self.session_settings(&operator.name);
        let now = self.clock.now_ms();
        let physical = PhysicalView {
            height_cm: form.applicant.height_cm,
            eye_colour: form.applicant.eye_colour,
            refusal: None,
        };
        let pre = PreRequest {
            number: NO_PRE_REQUEST.to_owned(),
            status: Status::Validated,
            document_type: form.document_type,
            reason: form.reason,
            applicant: form.applicant.clone(),
            appointments: Vec::new(),
        };
        // The fee follows the form's document, reason and birth date, as a pre-request's does.
        let fee = self.declared_fee(&pre);
        let audited = AuditEvent::EnrolmentWithoutPreRequest {
            cerfa: form.cerfa.clone(),
            document_type: form.document_type.as_str().to_owned(),
        };
        let Some(enrolment) = self.desk.enrolment.as_mut() else {
            return;
        };
        enrolment.session = crate::enrolment::Session::new(settings, now);
        if let Err(e) = enrolment.session.attach_paper_form(form) {
            tracing::warn!(error = %e, "paper form refused by the session");
            return;
        }
        enrolment.view.exempt = crate::enrolment::parse_date(&pre.applicant.birth_date)
            .is_some_and(|b| crate::enrolment::is_under_12(b, super::clock::local_date()));
        enrolment.view.physical = physical;
        enrolment.view.pre_request = Some(pre.clone());
        enrolment.view.pre_request_refusal = None;
        if let Some(view) = enrolment.view.paper_form.as_mut() {
            view.problems.clear();
        }
        let due = fee.due_cents;
        enrolment.view.tax_stamp = fee;
        enrolment.loaded = Some(pre);
        self.audit(&operator.name, &audited);
        info!(
            due_cents = due,
            "enrolment without pre-request: paper form typed and checked"
        );
        if due > 0 {
            // A fee is due: the typed content is shown as a pre-request's, with the stamp to
            // check, and confirmed the same way (nothing is taken before the stamp is good).
            if let Some(enrolment) = self.desk.enrolment.as_mut() {
                enrolment.view.paper_form = None;
            }
            let text = self.texts.paper_text(PaperText::StampDue);
            self.notice(false, text);
            return;
        }
        self.confirm_applicant();
        let started = self
            .desk
            .enrolment
            .as_ref()
            .is_some_and(|e| e.view.applicant_confirmed);
        if started {
            let text = self.texts.paper_text(PaperText::Started);
            self.notice(false, text);
        }
    }

    /// The typed form read into a [`PaperForm`] (when every choice was made) and every problem,
    /// each with its sentence, in the form's order.
    fn read_form(&self, entry: &PaperFormEntry) -> (Option<PaperForm>, Vec<(FormField, String)>) {
        let choose = || self.texts.paper_text(PaperText::Choose);
        let mut problems = Vec::new();
        let height = match read_height(&entry.height_cm) {
            Ok(cm) => Some(cm),
            // An empty height reads like every other empty field of the form.
            Err(super::physical::HeightProblem::Missing) => {
                problems.push((
                    FormField::Height,
                    self.texts.paper_problem(Problem::Missing),
                ));
                None
            }
            // The form's sentences are short: they stand on one line beside the field.
            Err(super::physical::HeightProblem::NotANumber) => {
                problems.push((FormField::Height, self.texts.paper_text(PaperText::Digits)));
                None
            }
            Err(super::physical::HeightProblem::OutOfRange(_)) => {
                problems.push((
                    FormField::Height,
                    self.texts.paper_problem(Problem::OutOfRange),
                ));
                None
            }
        };
        let applicant = Applicant {
            surname: entry.surname.trim().to_owned(),
            given_names: entry.given_names.trim().to_owned(),
            birth_date: iso_birth_date(&entry.birth_date),
            birth_place: entry.birth_place.trim().to_owned(),
            sex: entry.sex.unwrap_or(Sex::X),
            address: entry.address.trim().to_owned(),
            parents: Vec::new(),
            height_cm: height,
            eye_colour: entry.eye_colour,
        };
        for problem in civil_status::check(&applicant, &super::clock::today()) {
            problems.push((
                FormField::of(problem.field),
                self.texts.paper_problem(problem.problem),
            ));
        }
        for (missing, field) in [
            (entry.document_type.is_none(), FormField::Document),
            (entry.reason.is_none(), FormField::Reason),
            (entry.sex.is_none(), FormField::Sex),
            (entry.eye_colour.is_none(), FormField::EyeColour),
        ] {
            if missing {
                problems.push((field, choose()));
            }
        }
        problems.sort_by_key(|(field, _)| *field);
        let (Some(document_type), Some(reason), Some(_), Some(_)) = (
            entry.document_type,
            entry.reason,
            entry.sex,
            entry.eye_colour,
        ) else {
            return (None, problems);
        };
        let form = PaperForm {
            cerfa: wire::paper_form::cerfa_for(document_type).to_owned(),
            document_type,
            reason,
            applicant,
        };
        (Some(form), problems)
    }
}

#[cfg(test)]
mod tests {
    use super::iso_birth_date;

    #[test]
    fn birth_dates_are_read_as_written_on_the_paper_form() {
        assert_eq!(iso_birth_date("12/03/1984"), "1984-03-12");
        assert_eq!(iso_birth_date(" 2/3/1984 "), "1984-03-02");
        assert_eq!(iso_birth_date("12.03.1984"), "1984-03-12");
        assert_eq!(iso_birth_date("1984-03-12"), "1984-03-12");
        assert_eq!(iso_birth_date("12/03/84"), "12/03/84");
        assert_eq!(iso_birth_date(""), "");
    }
}
