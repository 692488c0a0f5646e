//! An enrolment without a pre-request: the applicant filled the paper form (CERFA 12100*03 for the
//! identity card, 12101*03 for the passport) and the clerk typed it at the counter. The record then
//! carries the typed civil status in its manifest ([`crate::manifest::Manifest::paper_form`]) and
//! names no pre-request ([`NO_PRE_REQUEST`]).

use serde::{Deserialize, Serialize};

use crate::prerequest::{Applicant, DocumentType, Reason};

/// The manifest's `pre_request` when there is none. Not a pre-request number (those are exactly 10
/// letters or digits), so a central that predates the paper form refuses the record as malformed
/// instead of looking up, consuming or misreading a number.
pub const NO_PRE_REQUEST: &str = "none";

/// The paper form the clerk typed: what a pre-request would have said.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PaperForm {
    /// Which CERFA form: `12100*03` (identity card) or `12101*03` (passport).
    pub cerfa: String,
    /// The document asked for, the same as the manifest's `document_type`.
    pub document_type: DocumentType,
    /// Why.
    pub reason: Reason,
    /// The civil status as typed, checked with [`crate::civil_status::check`].
    pub applicant: Applicant,
}

/// The CERFA number of the identity card's form.
pub const CERFA_CNI: &str = "12100*03";
/// The CERFA number of the passport's form (also used for a request of both documents).
pub const CERFA_PASSPORT: &str = "12101*03";

/// The CERFA form a document is asked for with.
pub fn cerfa_for(document_type: DocumentType) -> &'static str {
    match document_type {
        DocumentType::Cni => CERFA_CNI,
        DocumentType::Passport | DocumentType::CniAndPassport => CERFA_PASSPORT,
    }
}
