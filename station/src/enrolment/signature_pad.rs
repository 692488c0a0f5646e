//! The signing pad's state in the enrolment: the ink as the pen lays it, and what was decided.
//! Apart from the session's handling of it, so that the session's state does not depend on the
//! steps that change it.

use wire::signature::{Refusal, Signature, manifest_entry::MAX_REASON_CHARS};

/// What was decided about the signature.
#[derive(Clone, PartialEq, Eq)]
pub enum SignatureDecision {
    /// The clerk validated the signature drawn.
    Signed(Signature),
    /// The applicant cannot sign, for this reason (typed by the clerk).
    CannotSign(String),
}

impl std::fmt::Debug for SignatureDecision {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Self::Signed(signature) => f.debug_tuple("Signed").field(signature).finish(),
            Self::CannotSign(_) => f.write_str("CannotSign"),
        }
    }
}

/// The signing pad of one applicant: the ink so far, and the decision once taken.
#[derive(Debug, Default)]
pub struct SignaturePad {
    /// The ink drawn, or the signature kept.
    pub(super) ink: Signature,
    /// The pen is on the pad: the next samples continue the last stroke.
    pub(super) pen_down: bool,
    /// What the clerk decided, once decided.
    pub(super) decision: Option<SignatureDecision>,
}

impl SignaturePad {
    /// The ink drawn and not yet validated or cleared (after validation, the signature kept).
    pub fn ink(&self) -> &Signature {
        match &self.decision {
            Some(SignatureDecision::Signed(signature)) => signature,
            _ => &self.ink,
        }
    }

    /// The decision taken, if any.
    pub fn decision(&self) -> Option<&SignatureDecision> {
        self.decision.as_ref()
    }

    /// Forgets the ink and the decision.
    pub fn wipe(&mut self) {
        self.ink.clear();
        if let Some(SignatureDecision::Signed(mut signature)) = self.decision.take() {
            signature.clear();
        }
        self.pen_down = false;
    }
}

/// Why the clerk's "valider" or "ne peut pas signer" was not taken.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
pub enum SignatureProblem {
    /// What was drawn is not a signature (see `wire::signature::shape`).
    #[error("not a signature: {}", .0.as_str())]
    Refused(Refusal),
    /// "Ne peut pas signer" without a reason, or with one too long.
    #[error("a reason of 1 to {MAX_REASON_CHARS} characters is needed")]
    NoReason,
    /// The applicant is under 12: there is nothing to sign.
    #[error("an applicant under 12 does not sign")]
    Exempt,
    /// Not at the step where the applicant signs.
    #[error("not at the signature")]
    NotNow,
}
