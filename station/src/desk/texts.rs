//! The counter's sentences in the configured language, from `locales/counter.yml` through
//! rust-i18n. Every clerk- or applicant-facing text the core publishes comes from here.

use rust_i18n::t;

use crate::{
    enrolment::{ExceptionReason, FingerPosition},
    language::Language,
    operators::OperatorError,
    outbox::Frozen,
};

use super::lookup::Refusal;

/// Texts in one language.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Texts {
    pub language: Language,
}

impl Texts {
    fn l(&self) -> &'static str {
        self.language.code()
    }

    /// A finger's name ("index gauche").
    pub(crate) fn finger(&self, position: FingerPosition) -> String {
        let l = self.l();
        match position {
            FingerPosition::LeftIndex => t!("counter.finger.left-index", locale = l),
            FingerPosition::LeftMiddle => t!("counter.finger.left-middle", locale = l),
            FingerPosition::LeftRing => t!("counter.finger.left-ring", locale = l),
            FingerPosition::RightIndex => t!("counter.finger.right-index", locale = l),
            FingerPosition::RightMiddle => t!("counter.finger.right-middle", locale = l),
            FingerPosition::RightRing => t!("counter.finger.right-ring", locale = l),
        }
        .into_owned()
    }

    /// Why a finger was not taken, in words.
    pub(crate) fn reason(&self, reason: ExceptionReason) -> String {
        let l = self.l();
        match reason {
            ExceptionReason::Amputated => t!("counter.reason.amputated", locale = l),
            ExceptionReason::Bandaged => t!("counter.reason.bandaged", locale = l),
            ExceptionReason::Damaged => t!("counter.reason.damaged", locale = l),
            ExceptionReason::Other => t!("counter.reason.other", locale = l),
        }
        .into_owned()
    }

    pub(crate) fn place_finger(&self, position: FingerPosition) -> String {
        t!(
            "counter.finger.place",
            locale = self.l(),
            finger = self.finger(position)
        )
        .into_owned()
    }

    pub(crate) fn reading(&self) -> String {
        t!("counter.finger.reading", locale = self.l()).into_owned()
    }

    pub(crate) fn lift(&self) -> String {
        t!("counter.finger.lift", locale = self.l()).into_owned()
    }

    pub(crate) fn below_threshold(&self, position: FingerPosition) -> String {
        t!(
            "counter.finger.below_threshold",
            locale = self.l(),
            finger = self.finger(position)
        )
        .into_owned()
    }

    /// A height typed that no person has.
    pub(crate) fn height_out_of_range(&self, cm: u16) -> String {
        let range = wire::physical::HEIGHT_CM;
        t!(
            "counter.physical.height_out_of_range",
            locale = self.l(),
            cm = cm,
            min = range.start(),
            max = range.end()
        )
        .into_owned()
    }

    /// A refused pre-request's sentence.
    pub(crate) fn refusal(&self, refusal: Refusal) -> String {
        let l = self.l();
        match refusal {
            Refusal::Consumed => t!("counter.prerequest.consumed", locale = l),
            Refusal::Declared => t!("counter.prerequest.declared", locale = l),
            Refusal::Unknown => t!("counter.prerequest.unknown", locale = l),
            Refusal::Expired => t!("counter.prerequest.expired", locale = l),
            Refusal::Unreachable => t!("counter.prerequest.unreachable", locale = l),
            Refusal::RefusedToken => t!("counter.prerequest.refused_token", locale = l),
            Refusal::StationRefused => t!("counter.prerequest.station_refused", locale = l),
            Refusal::Untrusted => t!("counter.prerequest.untrusted", locale = l),
            Refusal::BadNumber => t!("counter.prerequest.bad_number", locale = l),
            Refusal::OtherTownHall => t!("counter.prerequest.other_town_hall", locale = l),
            Refusal::CentralFrozen => t!("counter.prerequest.central_frozen", locale = l),
        }
        .into_owned()
    }

    /// On a mobile kit away from the network, for an applicant missing from the day's list.
    pub(crate) fn off_the_list_offline(&self) -> String {
        t!("counter.prerequest.off_the_list_offline", locale = self.l()).into_owned()
    }

    pub(crate) fn bad_number(&self) -> String {
        self.refusal(Refusal::BadNumber)
    }

    /// The alarm for a retention that could not be applied.
    pub(crate) fn retention_failed(&self) -> String {
        t!("counter.alarm.retention_failed", locale = self.l()).into_owned()
    }

    /// The alarm for accounts gone on a station already set up.
    pub(crate) fn accounts_missing(&self) -> String {
        t!("counter.alarm.accounts_missing", locale = self.l()).into_owned()
    }

    /// The alarm for account rows edited outside the station.
    pub(crate) fn accounts_tampered(&self, tampering: &crate::operators::Tampering) -> String {
        let mut accounts = tampering.accounts.join(", ");
        if tampering.roster_changed {
            if !accounts.is_empty() {
                accounts.push_str(", ");
            }
            accounts.push_str(&t!("counter.alarm.accounts_list", locale = self.l()));
        }
        t!(
            "counter.alarm.accounts_tampered",
            locale = self.l(),
            accounts = accounts
        )
        .into_owned()
    }

    /// The alarm for a record marked received whose receipt proves nothing.
    pub(crate) fn unproven_acknowledgement(&self, record_id: &str) -> String {
        t!(
            "counter.alarm.unproven_acknowledgement",
            locale = self.l(),
            record_id = record_id
        )
        .into_owned()
    }

    /// The alarm for a central whose answers to an upload are not valid receipts.
    pub(crate) fn bad_receipt(&self, record_id: &str, attempts: u32) -> String {
        t!(
            "counter.alarm.bad_receipt",
            locale = self.l(),
            record_id = record_id,
            attempts = attempts
        )
        .into_owned()
    }

    /// The alarm for a central that refuses this station's records for their audit checkpoint.
    pub(crate) fn checkpoint_refused(&self) -> String {
        t!("counter.alarm.checkpoint_refused", locale = self.l()).into_owned()
    }

    /// The freeze rule's message.
    pub(crate) fn frozen(&self, frozen: &Frozen) -> String {
        let l = self.l();
        match frozen {
            Frozen::Backlog { backlog, limit } => {
                t!(
                    "counter.frozen.backlog",
                    locale = l,
                    backlog = backlog,
                    limit = limit
                )
            }
            Frozen::AwaitingApproval { waiting, limit } => {
                t!(
                    "counter.frozen.awaiting_approval",
                    locale = l,
                    waiting = waiting,
                    limit = limit
                )
            }
            Frozen::TooOld { hours, limit } => {
                t!(
                    "counter.frozen.too_old",
                    locale = l,
                    hours = hours,
                    limit = limit
                )
            }
        }
        .into_owned()
    }

    /// Why a sign-in or the setup was refused. `until` is the lock's end, for people.
    pub(crate) fn sign_in_refused(&self, error: &OperatorError, until: &str) -> String {
        let l = self.l();
        match error {
            OperatorError::WrongCredentials { attempts_left: 0 } => {
                t!("counter.sign_in.wrong_plain", locale = l)
            }
            OperatorError::WrongCredentials { attempts_left } => {
                t!("counter.sign_in.wrong", locale = l, left = attempts_left)
            }
            OperatorError::Locked { .. } => t!("counter.sign_in.locked", locale = l, until = until),
            OperatorError::Disabled => t!("counter.sign_in.disabled", locale = l),
            OperatorError::Tampered(_) => t!("counter.sign_in.tampered", locale = l),
            OperatorError::BadName => t!("counter.setup.bad_name", locale = l),
            OperatorError::WeakSecret { min, max } => {
                t!(
                    "counter.setup.weak_secret",
                    locale = l,
                    min = min,
                    max = max
                )
            }
            OperatorError::AlreadySetUp | OperatorError::Exists(_) => {
                t!("counter.setup.already", locale = l)
            }
            _ => t!("counter.sign_in.broken", locale = l),
        }
        .into_owned()
    }

    /// An outbox state for people.
    pub(crate) fn record_state(&self, state: &str) -> String {
        let l = self.l();
        match state {
            "queued" => t!("counter.outbox.queued", locale = l),
            "sending" => t!("counter.outbox.sending", locale = l),
            "awaiting_approval" => t!("counter.outbox.awaiting_approval", locale = l),
            "rejected" => t!("counter.outbox.rejected", locale = l),
            _ => t!("counter.outbox.acknowledged", locale = l),
        }
        .into_owned()
    }

    pub(crate) fn search_none(&self, number: &str) -> String {
        t!("counter.search.none", locale = self.l(), number = number).into_owned()
    }

    pub(crate) fn search_received(&self, date: &str) -> String {
        t!("counter.search.received", locale = self.l(), date = date).into_owned()
    }

    pub(crate) fn search_waiting(&self, date: &str) -> String {
        t!("counter.search.waiting", locale = self.l(), date = date).into_owned()
    }

    pub(crate) fn search_awaiting_approval(&self, date: &str) -> String {
        t!(
            "counter.search.awaiting_approval",
            locale = self.l(),
            date = date
        )
        .into_owned()
    }

    pub(crate) fn search_rejected(&self) -> String {
        t!("counter.search.rejected", locale = self.l()).into_owned()
    }

    pub(crate) fn search_sending(&self) -> String {
        t!("counter.search.sending", locale = self.l()).into_owned()
    }

    pub(crate) fn suspended_waits(&self, number: &str) -> String {
        t!(
            "counter.suspended_waits",
            locale = self.l(),
            number = number
        )
        .into_owned()
    }

    pub(crate) fn receipt_finger(&self, position: FingerPosition, below: bool) -> String {
        let finger = self.finger(position);
        if below {
            t!(
                "counter.receipt.finger_below",
                locale = self.l(),
                finger = finger
            )
        } else {
            t!("counter.receipt.finger", locale = self.l(), finger = finger)
        }
        .into_owned()
    }

    pub(crate) fn receipt_exception(
        &self,
        position: FingerPosition,
        reason: ExceptionReason,
    ) -> String {
        t!(
            "counter.receipt.finger_exception",
            locale = self.l(),
            finger = self.finger(position),
            reason = self.reason(reason)
        )
        .into_owned()
    }

    /// A text without arguments, by key (keys are listed in counter.yml).
    pub(crate) fn plain(&self, key: Plain) -> String {
        let l = self.l();
        match key {
            Plain::SignInFirst => t!("counter.sign_in.first", locale = l),
            Plain::SignedOutIdle => t!("counter.signed_out_idle", locale = l),
            Plain::NotAllowed => t!("counter.not_allowed", locale = l),
            Plain::NotAllowedTechnician => t!("counter.not_allowed_technician", locale = l),
            Plain::NotAllowedSupervisor => t!("counter.not_allowed_supervisor", locale = l),
            Plain::Resumed => t!("counter.resumed", locale = l),
            Plain::NothingSuspended => t!("counter.nothing_suspended", locale = l),
            Plain::NotNow => t!("counter.not_now", locale = l),
            Plain::Busy => t!("counter.busy", locale = l),
            Plain::Cancelled => t!("counter.cancelled", locale = l),
            Plain::Checking => t!("counter.prerequest.checking", locale = l),
            Plain::Validated => t!("counter.prerequest.validated", locale = l),
            Plain::BadBirthDate => t!("counter.prerequest.bad_birth_date", locale = l),
            Plain::HeightNotANumber => t!("counter.physical.height_not_a_number", locale = l),
            Plain::HeightMissing => t!("counter.physical.height_missing", locale = l),
            Plain::EyeColourMissing => t!("counter.physical.eye_colour_missing", locale = l),
            Plain::StorageUnanswered => t!("counter.storage.unanswered", locale = l),
            Plain::StorageNotAsked => t!("counter.storage.not_asked", locale = l),
            Plain::TakingPhoto => t!("counter.photo.taking", locale = l),
            Plain::NoCamera => t!("counter.photo.no_camera", locale = l),
            Plain::PhotoNotCompliant => t!("counter.photo.not_compliant", locale = l),
            Plain::PhotoFailed => t!("counter.photo.failed", locale = l),
            Plain::PhotoIncomplete => t!("counter.photo.incomplete", locale = l),
            Plain::NoFinger => t!("counter.finger.no_finger", locale = l),
            Plain::FingerFailed => t!("counter.finger.failed", locale = l),
            Plain::NoRetry => t!("counter.finger.no_retry", locale = l),
            Plain::NothingToKeep => t!("counter.finger.nothing_to_keep", locale = l),
            Plain::Queued => t!("counter.review.queued", locale = l),
            Plain::AwaitingApproval => t!("counter.review.awaiting_approval", locale = l),
            Plain::ReasonRequired => t!("counter.approval.reason_required", locale = l),
            Plain::NotSupervisorAccount => t!("counter.approval.not_supervisor", locale = l),
            Plain::SupervisorRefused => t!("counter.approval.refused", locale = l),
            Plain::SupervisorLocked => t!("counter.approval.locked", locale = l),
            Plain::NoLongerWaiting => t!("counter.approval.gone", locale = l),
            Plain::DecisionFailed => t!("counter.approval.failed", locale = l),
            Plain::NotSealed => t!("counter.review.not_sealed", locale = l),
            Plain::SignaturePending => t!("counter.signature.pending", locale = l),
            Plain::SignatureMissing => t!("counter.signature.missing", locale = l),
            Plain::NotQueued => t!("counter.review.not_queued", locale = l),
            Plain::PhotoCamera => t!("counter.receipt.photo_camera", locale = l),
            Plain::PhotoPaper => t!("counter.receipt.photo_paper", locale = l),
            Plain::Exempt => t!("counter.receipt.exempt", locale = l),
            Plain::Printed => t!("counter.receipt.printed", locale = l),
            Plain::PrintFailed => t!("counter.receipt.print_failed", locale = l),
            Plain::SentToPrinter => t!("counter.receipt.sent_to_printer", locale = l),
            Plain::PrinterFailed => t!("counter.receipt.printer_failed", locale = l),
            Plain::FingerprintNotConfigured => t!("counter.device.not_configured", locale = l),
            Plain::FingerprintSilent => t!("counter.device.fingerprint_silent", locale = l),
            Plain::CameraSilent => t!("counter.device.camera_silent", locale = l),
            Plain::FingerprintNotReady => t!("counter.device.fingerprint_not_ready", locale = l),
        }
        .into_owned()
    }
}

/// Texts without arguments.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Plain {
    SignInFirst,
    SignedOutIdle,
    NotAllowed,
    NotAllowedTechnician,
    NotAllowedSupervisor,
    Resumed,
    NothingSuspended,
    NotNow,
    Busy,
    Cancelled,
    Checking,
    Validated,
    BadBirthDate,
    HeightNotANumber,
    HeightMissing,
    EyeColourMissing,
    StorageUnanswered,
    StorageNotAsked,
    TakingPhoto,
    NoCamera,
    PhotoNotCompliant,
    PhotoFailed,
    PhotoIncomplete,
    NoFinger,
    FingerFailed,
    NoRetry,
    NothingToKeep,
    Queued,
    /// Sealed with an exception: waits for a supervisor before it is sent.
    AwaitingApproval,
    /// A rejection without a reason.
    ReasonRequired,
    /// The name and PIN typed for a decision are not a supervisor's.
    NotSupervisorAccount,
    /// The supervisor's name or PIN is wrong.
    SupervisorRefused,
    /// The supervisor's account is locked.
    SupervisorLocked,
    /// The record was decided already.
    NoLongerWaiting,
    /// The outbox did not record the decision.
    DecisionFailed,
    NotSealed,
    /// Ink on the signing pad is neither validated nor cleared.
    SignaturePending,
    /// Neither a validated signature nor "cannot sign" with its reason.
    SignatureMissing,
    NotQueued,
    PhotoCamera,
    PhotoPaper,
    Exempt,
    Printed,
    PrintFailed,
    SentToPrinter,
    PrinterFailed,
    FingerprintNotConfigured,
    FingerprintSilent,
    CameraSilent,
    FingerprintNotReady,
}
