//! The applicant's signature in the enrolment: the ink as the pen lays it (strokes from the
//! applicant's window), the clerk's "effacer" and "valider", or the clerk's "ne peut pas signer"
//! with a reason. An applicant under 12 does not sign. Only the sealed record keeps the signature:
//! it is wiped with the rest of the applicant.

use tracing::info;
use wire::signature::{
    MAX_POINTS, PenSample, SignatureEntry, assess, manifest_entry::MAX_REASON_CHARS,
};

use super::{
    EnrolmentError, SignatureDecision, SignaturePad, SignatureProblem, session::Session,
    session::Step,
};

impl Session {
    /// The signing pad.
    pub fn signature(&self) -> &SignaturePad {
        &self.signature
    }

    /// Whether the applicant has ink on the pad that the clerk has neither validated nor cleared.
    pub fn signature_pending(&self) -> bool {
        self.signature.decision.is_none() && self.signature.ink.samples() > 0
    }

    fn signature_open(&self) -> Result<(), SignatureProblem> {
        if self.step != Step::Review {
            return Err(SignatureProblem::NotNow);
        }
        if self.exempt {
            return Err(SignatureProblem::Exempt);
        }
        Ok(())
    }

    /// The pen laid `samples` on the pad; `pen_up` when it left the pad after them. Ignored once
    /// the signature is decided (the applicant's pad is then shown as it was kept) or past
    /// [`MAX_POINTS`] (the shape check then refuses it as too long).
    pub fn signature_ink(
        &mut self,
        samples: &[PenSample],
        pen_up: bool,
    ) -> Result<(), EnrolmentError> {
        self.signature_open()
            .map_err(|_| EnrolmentError::Unexpected {
                event: "signature ink",
                step: self.step.name(),
            })?;
        let pad = &mut self.signature;
        if pad.decision.is_some() {
            return Ok(());
        }
        if !samples.is_empty() {
            if !pad.pen_down || pad.ink.strokes.is_empty() {
                pad.ink.strokes.push(Vec::new());
            }
            pad.pen_down = true;
            let room = (MAX_POINTS + 1).saturating_sub(pad.ink.samples());
            if let Some(stroke) = pad.ink.strokes.last_mut() {
                stroke.extend(samples.iter().take(room).copied());
            }
        }
        if pen_up {
            pad.pen_down = false;
        }
        Ok(())
    }

    /// The clerk's "effacer": the ink and any decision are forgotten; the applicant signs again.
    pub fn clear_signature(&mut self) -> Result<(), SignatureProblem> {
        self.signature_open()?;
        self.signature.wipe();
        Ok(())
    }

    /// The clerk's "valider": the ink is kept as the signature if it can be one.
    pub fn validate_signature(&mut self) -> Result<(), SignatureProblem> {
        self.signature_open()?;
        let pad = &mut self.signature;
        if matches!(pad.decision, Some(SignatureDecision::Signed(_))) {
            return Ok(());
        }
        assess(&pad.ink).map_err(SignatureProblem::Refused)?;
        let signature = std::mem::take(&mut pad.ink);
        info!(
            strokes = signature.strokes.len(),
            samples = signature.samples(),
            duration_ms = signature.duration_ms(),
            pressure = signature.has_pressure(),
            "signature validated"
        );
        pad.decision = Some(SignatureDecision::Signed(signature));
        pad.pen_down = false;
        Ok(())
    }

    /// The clerk's "le demandeur ne peut pas signer", with the reason the clerk gives.
    pub fn cannot_sign(&mut self, reason: &str) -> Result<(), SignatureProblem> {
        self.signature_open()?;
        let reason = reason.trim();
        if reason.is_empty() || reason.chars().count() > MAX_REASON_CHARS {
            return Err(SignatureProblem::NoReason);
        }
        self.signature.wipe();
        info!("applicant cannot sign");
        self.signature.decision = Some(SignatureDecision::CannotSign(reason.to_owned()));
        Ok(())
    }

    /// The manifest's `signature` entry: under 12, signed, cannot sign, or nothing decided.
    pub(super) fn signature_entry(&self) -> Option<SignatureEntry> {
        if self.exempt {
            return Some(SignatureEntry::under_12());
        }
        match &self.signature.decision {
            Some(SignatureDecision::Signed(signature)) => Some(SignatureEntry::signed(signature)),
            Some(SignatureDecision::CannotSign(reason)) => {
                Some(SignatureEntry::cannot_sign(reason))
            }
            None => None,
        }
    }
}
