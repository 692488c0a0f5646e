//! The applicant's signature at the review: the ink from the applicant's window, the clerk's
//! "effacer", "valider" and "ne peut pas signer", the sentence when what was drawn is not a
//! signature, and what both windows show of it.

use std::sync::Arc;

use rust_i18n::t;
use tracing::info;
use wire::signature::{PenSample, Refusal};

use super::{core::Core, desk_session::Enrolment, texts::Texts};
use crate::{
    audit::AuditEvent,
    enrolment::{SignatureDecision, SignatureProblem, Step},
};

impl Texts {
    /// The sentence the clerk reads (and reads out) when the signature is refused.
    pub(crate) fn signature_problem(&self, problem: SignatureProblem) -> String {
        let l = self.language.code();
        match problem {
            SignatureProblem::Refused(Refusal::Empty) => t!("counter.signature.empty", locale = l),
            SignatureProblem::Refused(Refusal::Dot) => t!("counter.signature.dot", locale = l),
            SignatureProblem::Refused(Refusal::StraightLine) => {
                t!("counter.signature.line", locale = l)
            }
            SignatureProblem::Refused(Refusal::TooFewPoints | Refusal::TooShort) => {
                t!("counter.signature.too_short", locale = l)
            }
            SignatureProblem::Refused(Refusal::TooLong) => {
                t!("counter.signature.too_long", locale = l)
            }
            SignatureProblem::NoReason => t!("counter.signature.no_reason", locale = l),
            SignatureProblem::Exempt => t!("counter.signature.exempt", locale = l),
            SignatureProblem::NotNow => t!("counter.not_now", locale = l),
        }
        .into_owned()
    }
}

impl Enrolment {
    /// The signature's part of the view, from the session.
    pub(crate) fn sync_signature(&mut self) {
        let pad = self.session.signature();
        let view = &mut self.view.signature;
        view.asked = self.session.step() == &Step::Review && !self.session.is_exempt();
        let strokes: Vec<Vec<(u16, u16)>> = pad
            .ink()
            .strokes
            .iter()
            .map(|s| s.iter().map(|p| (p.x, p.y)).collect())
            .collect();
        if *view.strokes != strokes {
            view.strokes = Arc::new(strokes);
        }
        view.validated = matches!(pad.decision(), Some(SignatureDecision::Signed(_)));
        view.cannot_sign = match pad.decision() {
            Some(SignatureDecision::CannotSign(reason)) => Some(reason.clone()),
            _ => None,
        };
    }
}

impl Core {
    /// `Command::SignatureInk`: the applicant's pen on the pad. Quiet: it comes many times a
    /// second while the applicant signs.
    pub(crate) fn signature_ink(&mut self, samples: &[PenSample], pen_up: bool) {
        let Some(enrolment) = self.desk.enrolment.as_mut() else {
            return;
        };
        if enrolment.session.signature_ink(samples, pen_up).is_ok() && !samples.is_empty() {
            enrolment.view.signature.refusal = None;
        }
    }

    /// `Command::ClearSignature`: "effacer".
    pub(crate) fn clear_signature(&mut self) {
        let result = match self.desk.enrolment.as_mut() {
            Some(enrolment) => enrolment.session.clear_signature(),
            None => Err(SignatureProblem::NotNow),
        };
        match result {
            Ok(()) => {
                if let Some(enrolment) = self.desk.enrolment.as_mut() {
                    enrolment.view.signature.refusal = None;
                }
                info!("signature pad cleared");
            }
            Err(problem) => self.signature_refused(problem),
        }
    }

    /// `Command::ValidateSignature`: "valider", refused with a sentence for a dot or a line.
    pub(crate) fn validate_signature(&mut self) {
        let Some(operator) = self.operator() else {
            return;
        };
        let result = match self.desk.enrolment.as_mut() {
            Some(enrolment) => enrolment.session.validate_signature().map(|()| {
                let signature = enrolment.session.signature().ink();
                AuditEvent::SignatureTaken {
                    strokes: u32::try_from(signature.strokes.len()).unwrap_or(u32::MAX),
                    points: u32::try_from(signature.record_points()).unwrap_or(u32::MAX),
                    pressure: signature.has_pressure(),
                }
            }),
            None => Err(SignatureProblem::NotNow),
        };
        match result {
            Ok(event) => {
                if let Some(enrolment) = self.desk.enrolment.as_mut() {
                    enrolment.view.signature.refusal = None;
                }
                self.audit(&operator.name, &event);
                let text = t!(
                    "counter.signature.validated",
                    locale = self.texts.language.code()
                )
                .into_owned();
                self.notice(false, text);
            }
            Err(problem) => self.signature_refused(problem),
        }
    }

    /// `Command::CannotSign`: "le demandeur ne peut pas signer", with the clerk's reason. The
    /// reason goes into the sealed record only; the audit log says that it was recorded.
    pub(crate) fn cannot_sign(&mut self, reason: &str) {
        let Some(operator) = self.operator() else {
            return;
        };
        let result = match self.desk.enrolment.as_mut() {
            Some(enrolment) => enrolment.session.cannot_sign(reason),
            None => Err(SignatureProblem::NotNow),
        };
        match result {
            Ok(()) => {
                if let Some(enrolment) = self.desk.enrolment.as_mut() {
                    enrolment.view.signature.refusal = None;
                }
                self.audit(&operator.name, &AuditEvent::SignatureNotTaken);
            }
            Err(problem) => self.signature_refused(problem),
        }
    }

    fn signature_refused(&mut self, problem: SignatureProblem) {
        info!(%problem, "signature refused");
        let text = self.texts.signature_problem(problem);
        if let Some(enrolment) = self.desk.enrolment.as_mut() {
            enrolment.view.signature.refusal = Some(text.clone());
        }
        self.notice(true, text);
    }
}
