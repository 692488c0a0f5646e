//! One applicant's enrolment, from the pre-request to the payload to seal: the legal finger
//! sequence, the under-12 exemption, retries keeping the best capture, exceptions with reasons and
//! per-step timings. Pure logic, no I/O: the app and `station selftest` drive it with events.

pub mod exemption;
pub mod fee;
pub mod finger;
mod review;
pub mod sequence;
pub mod session;
pub mod signature;
mod signature_pad;
mod storage_refusal;

pub use exemption::{is_under_12, parse_date};
pub use fee::Fee;
pub use finger::{ExceptionReason, FingerPosition, Hand};
pub use sequence::{FingerOutcome, next_finger};
pub use session::{
    BestCapture, CheckedPhoto, Event, FingerImage, FingerTake, PhotoKept, Physical, Session,
    SessionSettings, Step,
};
pub use signature_pad::{SignatureDecision, SignaturePad, SignatureProblem};

/// Why an event was refused or the review could not be turned into a payload.
#[derive(Debug, thiserror::Error)]
pub enum EnrolmentError {
    /// The event does not fit the current step.
    #[error("{event} is not expected at the {step} step")]
    Unexpected {
        /// The event.
        event: &'static str,
        /// The step the session was at.
        step: &'static str,
    },
    /// The pre-request number is malformed.
    #[error("malformed pre-request number: {0}")]
    BadPreRequest(String),
    /// The birth date is missing, malformed or in the future.
    #[error("the pre-request's birth date is not a valid past date")]
    BadBirthDate,
    /// The height confirmed is not one a person has (`wire::physical::HEIGHT_CM`).
    #[error("height {0} cm is out of range")]
    HeightOutOfRange(u16),
    /// The storage question was answered where it is not asked (a passport alone, no prints), or
    /// away from the review.
    #[error("the fingerprint storage question is not asked for this enrolment now")]
    StorageNotAsked,
    /// The review was confirmed before the applicant answered the storage question.
    #[error("the applicant has not answered the fingerprint storage question")]
    StorageUnanswered,
    /// Everything is sealed: nothing about the applicant can be changed any more.
    #[error("the enrolment is sealed")]
    AlreadySealed,
    /// A photo was captured on a station configured without a camera.
    #[error("this station has no camera: record the photo as supplied on paper")]
    NoCamera,
    /// A quality score above 100.
    #[error("quality score {0} is out of 0..=100")]
    BadQuality(u8),
    /// A finger image whose size does not match its pixels.
    #[error("finger image {width}x{height} with {bytes} bytes")]
    BadImage {
        /// Width.
        width: u32,
        /// Height.
        height: u32,
        /// Bytes given.
        bytes: usize,
    },
    /// Retry asked when no finger can be taken again.
    #[error("no finger to take again")]
    NothingToRetry,
    /// "Keep and continue" asked when the finger asked now has no capture good enough to keep.
    #[error("no earlier capture to keep")]
    NothingToKeep,
    /// Ink on the signing pad was neither validated nor cleared: the clerk must decide.
    #[error("the signature on the pad is neither validated nor cleared")]
    SignaturePending,
    /// An applicant of 12 or more neither signed nor was recorded as unable to sign: the record
    /// would lack what the central requires.
    #[error("the applicant has neither signed nor been recorded as unable to sign")]
    SignatureMissing,
    /// The records could not be encoded.
    #[error(transparent)]
    Record(#[from] crate::record::RecordError),
}
