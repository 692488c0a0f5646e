//! What the screens show of the pre-request's QR code read by the camera. Apart from the core's
//! handling of it, so that the view does not depend on the core.

/// The QR code's reading on the pre-request screen.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct QrReadingView {
    /// The camera is looking for the code: the preview is on the screens and the applicant is
    /// asked to show the code.
    pub reading: bool,
    /// The number the last reading found, for the number field.
    pub read: Option<String>,
    /// Readings that found a number since the enrolment opened: the field takes [`Self::read`]
    /// once for each, and the clerk may change it afterwards.
    pub reads: u64,
    /// Why the last reading gave no number (a code that is not the pre-request's, no code seen
    /// in time, no camera), in plain words.
    pub problem: Option<String>,
    /// When the reading started, on the core's clock (for its time limit).
    pub(crate) started_ms: Option<u64>,
}
