//! What the audit log records: typed events whose fields are names, ids, scores and reasons, never
//! an image, a template or free text: no biometric data goes into the log.

use serde::{Deserialize, Serialize};

/// One audited action.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "kebab-case")]
pub enum AuditEvent {
    /// An operator signed in.
    SignIn {
        /// Account name.
        operator: String,
    },
    /// A sign-in was refused (unknown name or wrong PIN).
    SignInRefused {
        /// Name typed.
        operator: String,
    },
    /// An account was locked after too many failures.
    AccountLocked {
        /// Account name.
        operator: String,
    },
    /// An operator signed out (or was signed out when idle).
    SignOut {
        /// Account name.
        operator: String,
    },
    /// An account was created.
    AccountCreated {
        /// Account name.
        operator: String,
        /// Its role.
        role: String,
    },
    /// An enrolment started with a pre-request.
    EnrolmentStarted {
        /// Pre-request number.
        pre_request: String,
    },
    /// An enrolment started without a pre-request, from the paper form the clerk typed (the
    /// civil status itself stays out of the log).
    EnrolmentWithoutPreRequest {
        /// The form: `12100*03` (identity card) or `12101*03` (passport).
        cerfa: String,
        /// The document asked for.
        document_type: String,
    },
    /// The pre-request's number was read from its QR code by the camera (the number only: the
    /// frames and the rest of the code are never kept).
    QrCodeRead {
        /// Pre-request number.
        pre_request: String,
    },
    /// The camera read a QR code that names no pre-request: nothing was filled (the code's
    /// content stays out of the log).
    QrCodeRefused {
        /// `unreadable`, `no-number` or `ambiguous`.
        reason: String,
    },
    /// The camera saw no QR code within its time limit: nothing was filled.
    QrCodeTimedOut {
        /// The time limit, in seconds (`counter.qr_reading_s`).
        seconds: u64,
    },
    /// The central confirmed a tax stamp at the counter: known, unused, worth the fee.
    TaxStampChecked {
        /// Pre-request number.
        pre_request: String,
        /// The stamp's 16 digits.
        number: String,
        /// Its value in euro cents.
        amount_cents: u32,
    },
    /// A tax stamp was refused at the counter.
    TaxStampRefused {
        /// Pre-request number.
        pre_request: String,
        /// The stamp's 16 digits.
        number: String,
        /// `unknown`, `used` or `too-low`.
        reason: String,
    },
    /// The central could not be reached and the clerk went on with the stamp unchecked (the
    /// central checks it at intake).
    TaxStampUnchecked {
        /// Pre-request number.
        pre_request: String,
        /// The stamp's 16 digits.
        number: String,
    },
    /// An enrolment was abandoned before it was sealed; what had been captured was wiped.
    EnrolmentCancelled {
        /// Pre-request number, when one had been loaded.
        pre_request: Option<String>,
        /// The step it was at: `pre-request`, `photo`, `finger` or `review`.
        step: String,
    },
    /// The clerk corrected what the pre-request declared before confirming it: which of the two
    /// changed, never the values (they are the applicant's, and the record holds them).
    PhysicalCorrected {
        /// The height differs from the declared one (or none was declared).
        height: bool,
        /// The eye colour differs from the declared one (or none was declared).
        eye_colour: bool,
    },
    /// The applicant answered the storage question at the review (identity card): `kept` or
    /// `refused`.
    FingerprintStorageAnswered {
        /// `kept` or `refused`.
        answer: String,
    },
    /// A photo was taken and checked.
    PhotoChecked {
        /// Whether it passed.
        compliant: bool,
    },
    /// The photo was supplied on paper.
    PhotoOnPaper,
    /// A finger was captured.
    FingerCaptured {
        /// E.g. `left-index`.
        finger: String,
        /// Its quality score.
        quality: u8,
        /// 1-based attempt.
        attempt: u32,
    },
    /// A finger was taken again.
    FingerRetry {
        /// E.g. `left-index`.
        finger: String,
    },
    /// A finger was recorded as not takeable.
    FingerException {
        /// E.g. `left-index`.
        finger: String,
        /// `amputated`, `bandaged`, `damaged` or `other`.
        reason: String,
    },
    /// A record was sealed.
    Sealed {
        /// Record id.
        record_id: String,
    },
    /// A sealed record was queued in the outbox.
    Queued {
        /// Record id.
        record_id: String,
    },
    /// A record was uploaded.
    Uploaded {
        /// Record id.
        record_id: String,
    },
    /// The central's receipt was verified and stored.
    ReceiptVerified {
        /// Record id.
        record_id: String,
    },
    /// A supervisor approved a record sealed with an exception: it joins the queue.
    ReviewApproved {
        /// Record id.
        record_id: String,
        /// The supervisor's account name (signed in with their PIN for this decision).
        supervisor: String,
        /// The reason given, if any (bounded, control characters dropped).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        reason: Option<String>,
    },
    /// A supervisor rejected a record sealed with an exception: its sealed bytes were deleted,
    /// never sent; the applicant must come back.
    ReviewRejected {
        /// Record id.
        record_id: String,
        /// The supervisor's account name (signed in with their PIN for this decision).
        supervisor: String,
        /// Why (required; bounded, control characters dropped).
        reason: String,
    },
    /// A record's sealed bytes were purged.
    Purged {
        /// Record id.
        record_id: String,
    },
    /// A record was found marked received but its stored receipt does not prove the central holds
    /// it (forged or damaged row): its sealed bytes were kept.
    UnprovenAcknowledgement {
        /// Record id.
        record_id: String,
        /// Why the receipt proves nothing.
        reason: String,
    },
    /// The station was set up (the log records accounts) but no account is left: the accounts
    /// file was removed or emptied. No first-supervisor setup is offered.
    AccountsMissing,
    /// Account rows, or the list of accounts, do not verify with the accounts' key in the token:
    /// edited (a failure count reset, a lock lifted), added or deleted outside the station. The
    /// rows concerned are refused at sign-in.
    AccountsTampered {
        /// The accounts whose row does not verify.
        accounts: Vec<String>,
        /// The list of accounts does not verify (an account deleted or added).
        roster_changed: bool,
    },
    /// A command-line command that touches biometric data was run by a signed-in operator.
    CommandRun {
        /// Account name.
        operator: String,
        /// The command (`fingerprint capture`, ...).
        command: String,
        /// The record it reads or sends (a record id, a pre-request number), if any.
        #[serde(default, skip_serializing_if = "Option::is_none")]
        record: Option<String>,
    },
    /// An operator signed in but their role may not run the command.
    CommandRefused {
        /// Account name.
        operator: String,
        /// The command.
        command: String,
    },
    /// A biometric image was written to a file by a command-line command.
    BiometricExport {
        /// Account name.
        operator: String,
        /// The command.
        command: String,
        /// Sealed to the national service (false: written in clear with `--plain`).
        encrypted: bool,
    },
    /// A device was calibrated.
    Calibration {
        /// `fingerprint` or `camera`.
        device: String,
    },
    /// A setting was changed.
    ConfigurationChanged {
        /// The setting's name (not its value: it may be a secret).
        setting: String,
    },
    /// A self-test enrolment ran.
    SelfTest {
        /// Whether it passed.
        passed: bool,
    },
    /// A new capture matched a finger already taken for the same applicant: it was not kept.
    SameFingerTwice {
        /// The finger being taken (`right-index`, ...).
        finger: String,
        /// The finger already taken that it matched.
        earlier: String,
        /// The comparison score (the threshold is `SAME_FINGER_THRESHOLD`).
        score: u32,
    },
    /// A fingerprint check at handover (remise), decided by the central and its signed decision
    /// checked.
    HandoverCheck {
        /// The pre-request number.
        pre_request: String,
        /// The live finger matched one of the applicant's enrolled fingers.
        matched: bool,
        /// The central's comparison score (the threshold is `MATCH_THRESHOLD`).
        score: u32,
        /// ISO position of the enrolled finger the central compared with (absent in entries
        /// written before the central decided).
        #[serde(default, skip_serializing_if = "Option::is_none")]
        compared_finger: Option<u8>,
    },
    /// A mobile kit fetched and kept a day's appointments (personal data leaving the town hall on
    /// the kit: who did it, for which day, how many; no number or name).
    TourPrepared {
        /// The day, `YYYY-MM-DD`.
        date: String,
        /// How many pre-requests were kept.
        appointments: usize,
    },
    /// The clerk validated the applicant's signature (it goes into the sealed record only).
    SignatureTaken {
        /// Strokes drawn.
        strokes: u32,
        /// Sample points in its ISO/IEC 19794-7 record.
        points: u32,
        /// Whether the pen reported its force.
        pressure: bool,
    },
    /// The clerk recorded that the applicant cannot sign (the reason is in the sealed record, not
    /// in the log: the log holds no free text).
    SignatureNotTaken,
    /// A handover check that was attempted but not decided: refused by the central (too many
    /// attempts, a replay, no fingerprints), an answer the station could not trust, or no answer.
    HandoverNotDecided {
        /// The pre-request number.
        pre_request: String,
        /// Why, as a short code (`too-many-attempts`, `untrusted-answer`, `unreachable`, ...).
        reason: String,
    },
}
