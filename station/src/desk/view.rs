//! The plain state the counter core publishes and the screens render. Texts meant for people are
//! already in the configured language; technical detail stays in the logs and technician screens.

use std::{collections::BTreeMap, path::PathBuf, sync::Arc};

use crate::{
    enrolment::{ExceptionReason, FingerPosition, Step},
    operators::SignedIn,
    uplink::PreRequest,
};

/// Everything the screens show. Replaced (not edited in place) by the core after each change;
/// `generation` goes up by one each time.
#[derive(Debug, Clone, Default)]
pub struct CounterView {
    /// Bumped on every change (the UI may cache textures by it).
    pub generation: u64,
    /// True until the first supervisor exists: the UI shows the one-time setup screen.
    pub needs_first_supervisor: bool,
    /// Who is signed in.
    pub operator: Option<SignedIn>,
    /// Why the last sign-in or setup was refused (a sentence for the clerk).
    pub sign_in_error: Option<String>,
    /// An enrolment was kept when the clerk was signed out for inactivity.
    pub suspended: Option<SuspendedEnrolment>,
    /// The applicant being enrolled, when signed in and an enrolment is open.
    pub enrolment: Option<EnrolmentView>,
    /// The devices.
    pub devices: DevicesView,
    /// The outbox.
    pub outbox: OutboxView,
    /// Today's enrolments and their step timings.
    pub today: TodayView,
    /// The answer to the last "has my file been sent?" search.
    pub search: Option<SearchAnswer>,
    /// Something long is going on (the UI shows it with a spinner).
    pub busy: Option<Busy>,
    /// A message for the clerk that is not tied to a field (error or information).
    pub notice: Option<Notice>,
    /// The technician area: discovery, diagnostics, calibration.
    pub technician: super::TechnicianView,
    /// The handover (remise) check, while its screen is open.
    pub handover: Option<super::HandoverView>,
    /// Security alarms found at start-up (a record marked received without the central's proof,
    /// ...): sentences for the clerk, shown on the home screen until the station restarts clean.
    pub alarms: Vec<String>,
    /// The accounts of a station already set up are gone (file removed or emptied): the one-time
    /// setup screen is not offered, a technician must restore them.
    pub accounts_lost: bool,
    /// A mobile kit's tour: the day's list kept, what waits to be sent (none on a counter).
    pub tour: Option<super::TourView>,
}

/// An enrolment put aside by an idle sign-out.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuspendedEnrolment {
    /// Its pre-request number.
    pub pre_request: String,
    /// Who started it.
    pub operator: String,
}

/// One applicant's enrolment as the screens show it.
#[derive(Debug, Clone)]
pub struct EnrolmentView {
    /// Differs from every other enrolment's since the station started: the screens forget what
    /// they held for one applicant (a typed number, a photo attempt) when it changes.
    pub id: u64,
    /// The language of the applicant's window for this applicant (the clerk's stays as set).
    pub applicant_language: crate::language::Language,
    /// Where the wizard is. `Step::PreRequest` until a usable pre-request is confirmed.
    pub step: Step,
    /// The pre-request loaded (usable), for the clerk to confirm against the documents.
    pub pre_request: Option<PreRequest>,
    /// Why the number typed was refused (not found, consumed, expired, ... or the central is
    /// unreachable), in plain words.
    pub pre_request_refusal: Option<String>,
    /// The clerk confirmed the pre-request's content.
    pub applicant_confirmed: bool,
    /// The applicant has no pre-request: the paper form is open (or was typed, once confirmed).
    pub paper_form: Option<super::PaperFormView>,
    /// Height and eye colour as declared in the pre-request, then as the clerk corrected them.
    pub physical: PhysicalView,
    /// The reason of the request, the fee it costs and the tax stamp paying it.
    pub tax_stamp: super::TaxStampView,
    /// The applicant is under 12: no fingerprints.
    pub exempt: bool,
    /// The live camera preview, while it runs.
    pub preview: Option<Picture>,
    /// The pre-request's QR code read by the camera.
    pub qr: super::QrReadingView,
    /// The last photo taken and its verdict.
    pub photo: Option<PhotoResult>,
    /// While the photo is being taken: the seconds the applicant still holds still (3, 2, 1, then 1
    /// until the photo arrives).
    pub countdown: Option<u8>,
    /// The photo was supplied on paper.
    pub photo_on_paper: bool,
    /// Fingers settled or in progress, in the order taken.
    pub fingers: Vec<FingerResult>,
    /// The finger being captured now, with the prompt for the applicant.
    pub live: Option<LiveCapture>,
    /// The finger asked now is one the clerk went back to: its earlier capture may be kept as it
    /// is ("garder et continuer").
    pub can_keep_finger: bool,
    /// Two captures matched as the same finger: the flow is stopped with this message.
    pub same_finger_alert: Option<String>,
    /// At the review of an identity card with prints, the applicant's answer to the storage
    /// question, once given ([`EnrolmentView::storage_question_asked`]).
    pub fingerprint_storage: Option<wire::fingerprint_storage::FingerprintStorage>,
    /// After sealing: what the applicant's receipt says.
    pub receipt: Option<ReceiptView>,
    /// The applicant's signature at the review.
    pub signature: super::SignatureView,
}

impl EnrolmentView {
    /// Whether the review asks the applicant the storage question: an identity card and at least
    /// one print taken (the session applies the same rule to the record).
    pub fn storage_question_asked(&self) -> bool {
        let has_prints = self
            .fingers
            .iter()
            .any(|f| f.settled && f.exception.is_none() && f.best_quality.is_some());
        self.pre_request.as_ref().is_some_and(|pre| {
            wire::fingerprint_storage::is_asked(pre.document_type.as_str(), has_prints)
        })
    }
}

/// The applicant's height and eye colour on the screens: what the clerk is to confirm, and why
/// the last correction was refused. Empty for a pre-request that declared neither.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PhysicalView {
    /// Whole centimetres, within `wire::physical::HEIGHT_CM`.
    pub height_cm: Option<u16>,
    /// Eye colour.
    pub eye_colour: Option<wire::physical::EyeColour>,
    /// The sentence saying why the last value typed was refused.
    pub refusal: Option<String>,
}

/// An image ready to draw: 8-bit RGBA (photo, preview) or grey (fingerprint) pixels.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Picture {
    /// Changes when the pixels change (texture cache key).
    pub id: u64,
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Bytes per pixel: 1 (grey) or 4 (RGBA).
    pub channels: u8,
    /// The pixels, row by row.
    pub pixels: Arc<Vec<u8>>,
}

/// A photo and its compliance verdict.
#[derive(Debug, Clone)]
pub struct PhotoResult {
    /// The photo: the camera's whole frame.
    pub picture: Picture,
    /// The portrait as the record keeps it (cut to 35×45 mm, read back from the record's JPEG),
    /// when the photo is compliant.
    pub kept: Option<Picture>,
    /// All rules respected.
    pub compliant: bool,
    /// One sentence per rule not respected ("Le visage est trop petit ...").
    pub reasons: Vec<String>,
    /// Every rule checked, by its short name, and whether the photo respects it.
    pub checks: Vec<(String, bool)>,
    /// 1-based attempt.
    pub attempt: u32,
}

/// One finger's state.
#[derive(Debug, Clone)]
pub struct FingerResult {
    /// Which finger.
    pub position: FingerPosition,
    /// Captures taken.
    pub attempts: u32,
    /// The best capture so far.
    pub best: Option<Picture>,
    /// Its quality score (0..=100).
    pub best_quality: Option<u8>,
    /// The last capture's score (may be below the best).
    pub last_quality: Option<u8>,
    /// Advice from the last capture's quality check ("appuyez plus fort", ...).
    pub advice: Option<String>,
    /// Kept below the threshold after the last allowed retry.
    pub below_threshold: bool,
    /// Could not be taken, and why.
    pub exception: Option<ExceptionReason>,
    /// Settled (accepted, kept below threshold, or exception).
    pub settled: bool,
}

/// The capture in progress, for both windows.
#[derive(Debug, Clone)]
pub struct LiveCapture {
    /// Which finger.
    pub position: FingerPosition,
    /// What the applicant should do now.
    pub prompt: CapturePrompt,
    /// The sentence for the applicant's screen ("Posez votre index gauche à plat sur le capteur").
    pub instruction: String,
    /// Image transfer progress 0.0..=1.0 while the image is read from the module.
    pub progress: f32,
    /// The image as far as it has arrived (the rest white), while it is read: clerk and applicant
    /// see the print appear rather than a percentage.
    pub picture: Option<Picture>,
}

/// The phases of one finger capture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CapturePrompt {
    /// Waiting for the finger on the sensor.
    PlaceFinger,
    /// The image is being read and checked; keep still.
    Reading,
    /// Done; lift the finger.
    LiftFinger,
}

/// After sealing: what the receipt (récépissé) shows.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ReceiptView {
    /// Pre-request number.
    pub pre_request: String,
    /// Record id (UUID): the key, for the technician and the logs.
    pub record_id: String,
    /// The reference the applicant and the clerk read (`KXH7-3MPA-RTW9`).
    pub case_reference: String,
    /// Date and time of the enrolment, local, for people.
    pub date: String,
    /// Town hall.
    pub town_hall: String,
    /// What was captured, one line each ("Photo prise à la mairie", "Index gauche", ...).
    pub captured: Vec<String>,
    /// The PDF once written by [`Command::PrintReceipt`](super::Command::PrintReceipt).
    pub pdf: Option<PathBuf>,
    /// The print job CUPS took the receipt as, once sent to the counter's printer.
    pub printed: Option<String>,
}

/// One device as the clerk and the technician see it.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DeviceStatus {
    /// Found and answering.
    pub ready: bool,
    /// Port path.
    pub port: Option<PathBuf>,
    /// Model and firmware (technician detail).
    pub model: Option<String>,
    /// A sentence for the clerk when not ready ("Le capteur d'empreintes ne répond pas").
    pub problem: Option<String>,
}

/// The devices.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct DevicesView {
    /// Fingerprint module.
    pub fingerprint: DeviceStatus,
    /// Camera; `None` when the station is configured without one.
    pub camera: Option<DeviceStatus>,
    /// Whether the national service answered the last request or health check.
    pub central: CentralStatus,
}

/// What the station knows of the national service.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum CentralStatus {
    /// Not asked yet (the first check is under way).
    #[default]
    Unknown,
    /// It answered.
    Reachable,
    /// It did not answer, or not as the national service.
    Unreachable,
}

impl CentralStatus {
    /// From whether the last request was answered.
    pub fn answered(answered: bool) -> Self {
        if answered {
            Self::Reachable
        } else {
            Self::Unreachable
        }
    }
}

/// The outbox.
#[derive(Debug, Clone, Default)]
pub struct OutboxView {
    /// Waiting to be sent.
    pub queued: u64,
    /// Being sent.
    pub sending: u64,
    /// Acknowledged by the central (receipt kept, biometric data purged).
    pub acknowledged: u64,
    /// The most recent records, newest first (at most 50).
    pub recent: Vec<OutboxRow>,
    /// The freeze rule's message when new enrolments are refused.
    pub frozen: Option<String>,
    /// Records sealed with an exception, waiting for a supervisor's decision, oldest first.
    pub awaiting: Vec<AwaitingRow>,
}

/// A record waiting for a supervisor, as the queue screen lists it: what the exception is and
/// how long it has waited, never a biometric image.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AwaitingRow {
    /// Record id (what the decision names).
    pub record_id: String,
    /// The reference on the applicant's receipt.
    pub case_reference: String,
    /// What needs a look, in the configured language (`photo papier, doigt manquant`).
    pub exceptions: String,
    /// How long it has waited, for people (`2 h`, `3 j`).
    pub waited: String,
}

/// One record in the outbox list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OutboxRow {
    /// Record id.
    pub record_id: String,
    /// Pre-request number.
    pub pre_request: Option<String>,
    /// `en attente`, `en cours d'envoi`, `reçu` ... in the configured language.
    pub state: String,
    /// When it was queued, local time for people.
    pub queued_at: String,
    /// When the central signed for it.
    pub receipt_at: Option<String>,
}

/// Today's enrolments.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct TodayView {
    /// Enrolments sealed today.
    pub enrolments: u32,
    /// Median milliseconds per step (`pre_request`, `photo`, `fingers`, `review`, `seal`, ...).
    pub median_ms: BTreeMap<String, u64>,
}

/// The answer to "has my file been sent?".
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SearchAnswer {
    /// The number searched.
    pub pre_request: String,
    /// The answer in plain words ("Dossier reçu par le service national le 27/11 à 10:42").
    pub answer: String,
    /// The matching rows.
    pub rows: Vec<OutboxRow>,
}

/// Something long in progress.
#[derive(Debug, Clone, PartialEq)]
pub struct Busy {
    /// What ("Recherche de la pré-demande…").
    pub what: String,
    /// 0.0..=1.0 when known.
    pub progress: Option<f32>,
}

/// A message for the clerk.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Notice {
    /// Differs from every earlier notice's: the screens show a notice where it was raised and
    /// not on the screens the clerk goes to afterwards.
    pub serial: u64,
    /// An error (red) or information.
    pub error: bool,
    /// The sentence.
    pub text: String,
}
