//! What the screens ask the counter core to do. The UI never does I/O: it sends one of these and
//! renders the [`CounterView`](super::CounterView) the core publishes.

use crate::{enrolment::ExceptionReason, language::Language};

/// One request from the UI (clerk's window, applicant's window or technician screens).
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Command {
    /// One-time setup screen: create the first supervisor account.
    CreateFirstSupervisor {
        /// Account name.
        name: String,
        /// PIN or passphrase (checked for strength).
        secret: crate::operators::Pin,
    },
    /// Sign in.
    SignIn {
        /// Account name.
        name: String,
        /// PIN or passphrase.
        secret: crate::operators::Pin,
    },
    /// Sign out. `idle` is true when the UI's idle timer fired: an enrolment in progress is kept
    /// (suspended) and offered back at the next sign-in, never discarded.
    SignOut {
        /// Signed out by the idle timer rather than by the clerk.
        idle: bool,
    },
    /// Resume the enrolment that was suspended by an idle sign-out.
    ResumeEnrolment,
    /// Look up a pre-request typed or scanned by the clerk (10 characters `[A-Z0-9]`).
    LoadPreRequest {
        /// The number as typed.
        number: String,
    },
    /// The clerk corrected the applicant's height or eye colour before confirming the content.
    /// The height comes as typed: the desk reads it and answers a wrong one with a sentence.
    CorrectPhysical {
        /// Height in centimetres, as typed (`172`, `172 cm`).
        height_cm: String,
        /// Eye colour chosen, if any.
        eye_colour: Option<wire::physical::EyeColour>,
    },
    /// The clerk corrected the reason of the request (the fee depends on it: an identity card
    /// costs only after loss or theft).
    CorrectReason(wire::prerequest::Reason),
    /// Check the tax stamp typed or scanned (the field's content as it is: 16 digits, grouped or
    /// not, or the content of the stamp's 2D code).
    CheckTaxStamp {
        /// What the field holds.
        entry: String,
    },
    /// The central could not be reached to check the stamp: go on with it unchecked (the central
    /// checks it when the record arrives, and refuses the record if it is not good).
    KeepTaxStampUnchecked,
    /// The clerk checked the pre-request's content against the applicant's documents; the height
    /// and eye colour on the screen are confirmed with it.
    ConfirmApplicant,
    /// The applicant has no pre-request: open the form for the paper form (CERFA) instead of the
    /// number.
    OpenPaperForm,
    /// Close the paper form and go back to the number.
    ClosePaperForm,
    /// The paper form as typed: checked, and the enrolment started with it when it passes.
    SubmitPaperForm(Box<super::PaperFormEntry>),
    /// Abandon the current enrolment (asked twice by the UI); everything captured is wiped.
    CancelEnrolment,
    /// The camera looks for the pre-request's QR code in its preview ("Lire le QR code").
    ReadQrCode,
    /// Stop looking for the QR code (Échap); nothing is filled.
    StopQrCode,
    /// Start the camera's live preview (frames arrive in the view).
    StartPreview,
    /// Stop the live preview.
    StopPreview,
    /// Take the photo and check it.
    CapturePhoto,
    /// Keep the photo just checked (compliant) and go on to the fingers.
    AcceptPhoto,
    /// Put the photo on screen away and go back to the live preview for another attempt.
    RetakePhoto,
    /// The applicant brought a paper photo.
    PhotoOnPaper,
    /// Capture the current finger (waits for it on the sensor, then reads and scores it).
    CaptureFinger,
    /// Stop the capture under way (waiting for the finger or reading its image): nothing of it is
    /// kept.
    CancelCapture,
    /// Take the current finger again (its best capture is kept).
    RetryFinger,
    /// After going back to a finger already taken, keep the capture it had and go on without
    /// taking it again.
    KeepFinger,
    /// The current finger cannot be taken.
    FingerException(ExceptionReason),
    /// The applicant's pen on the signing pad (from the applicant's window): `samples` laid since
    /// the last of these, then `pen_up` when the pen left the pad.
    SignatureInk {
        /// Pad coordinates, time and force as the window read them.
        samples: Vec<wire::signature::PenSample>,
        /// The pen left the pad after these samples.
        pen_up: bool,
    },
    /// "Effacer": the applicant signs again.
    ClearSignature,
    /// "Valider": keep what was drawn as the signature (refused for a dot or a line).
    ValidateSignature,
    /// "Le demandeur ne peut pas signer", with the reason the clerk gives.
    CannotSign {
        /// As typed.
        reason: String,
    },
    /// At the review of an identity card, the applicant's answer to "do you refuse that your
    /// fingerprints be kept in the central file?" (`Refused`) or not (`Kept`).
    AnswerFingerprintStorage(wire::fingerprint_storage::FingerprintStorage),
    /// Review confirmed: seal and queue in one step, then show the receipt.
    ConfirmReview,
    /// Write the applicant's receipt (récépissé) as a PDF; its path arrives in the view.
    PrintReceipt,
    /// Start with the next applicant: the previous applicant's data is wiped from memory.
    NextApplicant,
    /// The applicant's window speaks this language for the applicant at the counter (the next
    /// applicant starts in French again).
    ApplicantLanguage(Language),
    /// "Has my file been sent?": look a pre-request number up in the outbox and receipts.
    Search {
        /// The number as typed.
        number: String,
    },
    /// Handover (remise): check the applicant's live finger against the fingerprints enrolled for
    /// this pre-request (the result arrives in the view's `handover`).
    Handover {
        /// The pre-request number as typed.
        number: String,
    },
    /// Leave the handover screen (a wait for a finger is cancelled).
    CloseHandover,
    /// A supervisor's decision on a record waiting for approval. The supervisor's name and PIN
    /// are typed at the moment of the decision, whoever is signed in: the clerk's session alone
    /// never decides, and a supervisor who is signed in confirms with their PIN too.
    DecideReview {
        /// The record.
        record_id: String,
        /// Approve or reject.
        decision: crate::outbox::review::Decision,
        /// The supervisor's account name.
        supervisor: String,
        /// Their PIN or passphrase.
        secret: crate::operators::Pin,
        /// Why (required for a rejection).
        reason: String,
    },
    /// A technician's action (technician and supervisor accounts only).
    Technician(super::TechnicianCommand),
    /// A mobile kit: fetch the day's appointments of this station's town hall and keep them,
    /// encrypted, to enrol offline ("Préparer la tournée").
    PrepareTour {
        /// The day of the visits, `YYYY-MM-DD`.
        date: String,
    },
    /// Refresh device, outbox and today's figures now (they also refresh by themselves).
    Refresh,
    /// Stop the core (the app is closing): devices and uploader are stopped cleanly.
    Shutdown,
}

impl Command {
    /// The command's name for the log (never its content: numbers and secrets stay out of logs).
    pub fn name(&self) -> &'static str {
        match self {
            Command::CreateFirstSupervisor { .. } => "create-first-supervisor",
            Command::SignIn { .. } => "sign-in",
            Command::SignOut { .. } => "sign-out",
            Command::ResumeEnrolment => "resume-enrolment",
            Command::LoadPreRequest { .. } => "load-pre-request",
            Command::ConfirmApplicant => "confirm-applicant",
            Command::CorrectPhysical { .. } => "correct-physical",
            Command::OpenPaperForm => "open-paper-form",
            Command::ClosePaperForm => "close-paper-form",
            Command::SubmitPaperForm(_) => "submit-paper-form",
            Command::CorrectReason(_) => "correct-reason",
            Command::CheckTaxStamp { .. } => "check-tax-stamp",
            Command::KeepTaxStampUnchecked => "keep-tax-stamp-unchecked",
            Command::CancelEnrolment => "cancel-enrolment",
            Command::ReadQrCode => "read-qr-code",
            Command::StopQrCode => "stop-qr-code",
            Command::StartPreview => "start-preview",
            Command::StopPreview => "stop-preview",
            Command::CapturePhoto => "capture-photo",
            Command::AcceptPhoto => "accept-photo",
            Command::RetakePhoto => "retake-photo",
            Command::PhotoOnPaper => "photo-on-paper",
            Command::CaptureFinger => "capture-finger",
            Command::CancelCapture => "cancel-capture",
            Command::RetryFinger => "retry-finger",
            Command::KeepFinger => "keep-finger",
            Command::FingerException(_) => "finger-exception",
            Command::SignatureInk { .. } => "signature-ink",
            Command::ClearSignature => "clear-signature",
            Command::ValidateSignature => "validate-signature",
            Command::CannotSign { .. } => "cannot-sign",
            Command::AnswerFingerprintStorage(_) => "answer-fingerprint-storage",
            Command::ConfirmReview => "confirm-review",
            Command::PrintReceipt => "print-receipt",
            Command::NextApplicant => "next-applicant",
            Command::ApplicantLanguage(_) => "applicant-language",
            Command::Search { .. } => "search",
            Command::Handover { .. } => "handover",
            Command::CloseHandover => "close-handover",
            Command::DecideReview { .. } => "decide-review",
            Command::Technician(_) => "technician",
            Command::PrepareTour { .. } => "prepare-tour",
            Command::Refresh => "refresh",
            Command::Shutdown => "shutdown",
        }
    }
}
