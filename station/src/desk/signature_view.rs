//! What the screens show of the applicant's signature. Apart from the core's handling of it, so
//! that the view (which every screen reads) does not depend on the core.

use std::sync::Arc;

/// The signature as the screens show it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct SignatureView {
    /// The pad is offered: at the review, for an applicant of 12 or more.
    pub asked: bool,
    /// The ink on the pad, or the signature kept: strokes of pad coordinates
    /// (`wire::signature::PAD_WIDTH` × `PAD_HEIGHT`).
    pub strokes: Arc<Vec<Vec<(u16, u16)>>>,
    /// The clerk validated it.
    pub validated: bool,
    /// The clerk recorded that the applicant cannot sign, with this reason.
    pub cannot_sign: Option<String>,
    /// Why the last "valider" was refused, in plain words (cleared by new ink or "effacer").
    pub refusal: Option<String>,
}
