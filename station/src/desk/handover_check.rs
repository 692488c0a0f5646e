//! The handover check's own part: what the screens show of it, and the short-lived thread that
//! extracts the live finger's minutiae, seals them to the central, which compares them 1:1 with the
//! applicant's and signs its decision, and checks that decision. It knows nothing of the core: it
//! reports through a [`Reporter`].

use std::time::{Duration, Instant};

use tracing::warn;

use super::report::Reporter;
use crate::{
    checks::matching::extract_image,
    seal::{CentralKeys, SharedSigner},
    uplink::{
        CentralClient, PreRequestNumber, UplinkError,
        handover::{HandoverClient, HandoverError, HandoverOutcome, verify},
    },
};

/// The handover check as the screens show it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HandoverView {
    /// The pre-request number (normalised) or as typed when it is malformed.
    pub number: String,
    /// Where the check is.
    pub stage: HandoverStage,
    /// What to tell the clerk now, in the configured language.
    pub message: String,
    /// The finger to lay, once the central said which were enrolled (`None` while asking, or when
    /// the enrolled finger is not one this station takes).
    pub finger: Option<crate::enrolment::FingerPosition>,
}

/// Where a handover check is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum HandoverStage {
    /// The central is asked whether a file arrived for the number and which fingers it holds.
    Asking,
    /// Waiting for the applicant's finger on the sensor.
    PlaceFinger,
    /// The finger is read; the central is asked and the prints compared.
    Checking,
    /// Decided by the central, its signed decision checked. The score is for the technician's eyes
    /// and the log, not the clerk's.
    Done {
        /// The live finger matches one of the applicant's enrolled fingers.
        matched: bool,
        /// The best comparison score.
        score: u32,
        /// The threshold it was compared with.
        threshold: u32,
    },
    /// The check could not be made (the message says why and what to do).
    Failed,
}

impl HandoverStage {
    /// The check is running (a finger is awaited or the central asked).
    pub fn in_progress(self) -> bool {
        matches!(self, Self::Asking | Self::PlaceFinger | Self::Checking)
    }
}

/// Why a check could not be made, for the clerk's sentence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum HandoverProblem {
    /// The central holds no fingerprints for this pre-request.
    NoReference,
    /// The central refused the station.
    Refused,
    /// The central did not answer.
    Unreachable,
    /// No minutiae in the live image.
    NoMinutiae,
    /// The station's key could not be read, or the central's keys are not configured.
    StationKey,
    /// Too many attempts for this number or from this station in the last hour.
    TooManyAttempts,
    /// The document was enrolled at another town hall: it is handed over there.
    OtherTownHall,
    /// The answer was not a decision the central signed for this request (or the central saw the
    /// request before): it may have been tampered with on the way.
    Untrusted,
}

impl HandoverProblem {
    /// A short code for the audit log.
    pub(crate) fn code(self) -> &'static str {
        match self {
            Self::NoReference => "no-reference",
            Self::Refused => "refused",
            Self::Unreachable => "unreachable",
            Self::NoMinutiae => "no-minutiae",
            Self::StationKey => "station-key",
            Self::TooManyAttempts => "too-many-attempts",
            Self::OtherTownHall => "other-town-hall",
            Self::Untrusted => "untrusted-answer",
        }
    }
}

/// The answer of the checking thread.
#[derive(Debug)]
pub(crate) struct HandoverReport {
    pub number: String,
    pub outcome: Result<HandoverOutcome, HandoverProblem>,
    pub elapsed: Duration,
}

/// The central's answer on what it holds for a number, or why there is none.
#[derive(Debug)]
pub(crate) struct SubjectReport {
    pub number: String,
    pub answer: Result<wire::handover::HandoverSubject, HandoverProblem>,
}

/// Asks the central what it holds for `number` (on a short-lived thread) and reports it.
pub(crate) fn ask_subject(
    client: CentralClient,
    number: PreRequestNumber,
    events: Reporter<SubjectReport>,
) {
    let answer = crate::uplink::handover::handover_subject(&client, &number).map_err(|error| {
        warn!(%error, "handover: the central's file not found out");
        match error {
            e if e.is_other_town_hall() => HandoverProblem::OtherTownHall,
            UplinkError::Unauthorized
            | UplinkError::Status {
                status: 400..=499, ..
            } => HandoverProblem::Refused,
            _ => HandoverProblem::Unreachable,
        }
    });
    events.send(SubjectReport {
        number: number.as_str().to_owned(),
        answer,
    });
}

/// What the checking thread needs.
pub(crate) struct Job {
    pub client: CentralClient,
    pub station_id: String,
    /// The station's key, opened once at start (in its token on a production station).
    pub signer: SharedSigner,
    /// The central's keys from the configuration (`None` when they do not read).
    pub central_keys: Option<CentralKeys>,
    /// ISO position of the finger asked for (the first enrolled).
    pub finger: u8,
    pub events: Reporter<HandoverReport>,
}

impl Job {
    /// Checks `image` against the fingerprints enrolled for `number` and reports the answer.
    pub(crate) fn run(self, number: String, mut image: image::GrayImage) {
        let started = Instant::now();
        let outcome = self.check(&number, &image);
        zeroize::Zeroize::zeroize(&mut *image);
        self.events.send(HandoverReport {
            number,
            outcome,
            elapsed: started.elapsed(),
        });
    }

    fn check(
        &self,
        number: &str,
        image: &image::GrayImage,
    ) -> Result<HandoverOutcome, HandoverProblem> {
        let live = extract_image(image).map_err(|error| {
            warn!(%error, "handover: no minutiae in the live finger");
            HandoverProblem::NoMinutiae
        })?;
        let central_keys = self.central_keys.as_ref().ok_or_else(|| {
            warn!("handover: the central's keys are not configured");
            HandoverProblem::StationKey
        })?;
        let number = PreRequestNumber::parse(number).map_err(|_| HandoverProblem::NoReference)?;
        let client = HandoverClient {
            central: &self.client,
            station_id: &self.station_id,
            identity: self.signer.as_ref(),
            central_keys,
        };
        verify(&client, &number, self.finger, &live).map_err(|error| {
            warn!(%error, "handover check not decided");
            match error {
                HandoverError::NoReference => HandoverProblem::NoReference,
                HandoverError::TooManyAttempts(_) => HandoverProblem::TooManyAttempts,
                HandoverError::OtherTownHall(_) => HandoverProblem::OtherTownHall,
                HandoverError::Decision(_) | HandoverError::Replayed => HandoverProblem::Untrusted,
                HandoverError::Uplink(UplinkError::Unauthorized)
                | HandoverError::Uplink(UplinkError::Status {
                    status: 400..=499, ..
                }) => HandoverProblem::Refused,
                HandoverError::Seal(_) => HandoverProblem::StationKey,
                HandoverError::Template(_) => HandoverProblem::NoMinutiae,
                HandoverError::Uplink(_) => HandoverProblem::Unreachable,
            }
        })
    }
}
