//! One applicant's enrolment as a state machine: it is told what happened (events) and says what
//! comes next (steps). No I/O, no clock, no device: the caller passes the time of each event in
//! milliseconds on any monotonic clock, which is what the per-step timings are measured with.

use std::collections::BTreeMap;

use time::Date;
use tracing::{debug, info};
use zeroize::Zeroizing;

use super::{
    EnrolmentError,
    exemption::{is_under_12, parse_date},
    finger::{ExceptionReason, FingerPosition},
    sequence::{FingerOutcome, next_finger},
};
use crate::record::{Payload, manifest::Device};
use crate::uplink::prerequest::PreRequestNumber;
use wire::paper_form::NO_PRE_REQUEST;

/// What a session needs to know that does not come from the applicant.
#[derive(Debug, Clone)]
pub struct SessionSettings {
    /// This station's id (goes into the manifest).
    pub station_id: String,
    /// The signed-in clerk's account name.
    pub operator: String,
    /// The capture devices as they reported themselves.
    pub devices: Vec<Device>,
    /// Whether the station has a camera; without one, only "photo supplied on paper" is accepted.
    pub has_camera: bool,
    /// A finger capture at or above this quality is accepted straight away
    /// (`checks::quality::USABLE_THRESHOLD`, docs/reference/counter-workflow.md: MOSIP uses
    /// 40/100).
    pub quality_threshold: u8,
    /// Captures allowed per finger, the first one included (1 + retries; MOSIP: 3 retries). At least 1.
    pub max_attempts: u32,
    /// The quality algorithm's name, for the manifest.
    pub quality_algorithm: String,
    /// The quality algorithm's version, for the manifest.
    pub quality_version: String,
    /// The day of the enrolment, for the under-12 exemption.
    pub enrolment_date: Date,
}

/// An 8-bit greyscale finger image as the sensor gave it, wiped on drop. Its `Debug` shows the size
/// only, so that a log line can never carry the pixels.
#[derive(Clone)]
pub struct FingerImage {
    /// Width in pixels.
    pub width: u32,
    /// Height in pixels.
    pub height: u32,
    /// Row-major pixels, `width × height` bytes.
    pub pixels: Zeroizing<Vec<u8>>,
}

/// A portrait taken with the camera, with the compliance verdict the photo checks gave. Its `Debug`
/// leaves the JPEG out.
#[derive(Clone)]
pub struct CheckedPhoto {
    /// The JPEG file, wiped on drop.
    pub jpeg: Zeroizing<Vec<u8>>,
    /// Width in pixels.
    pub width: u16,
    /// Height in pixels.
    pub height: u16,
    /// Colour space code for the face record: 1 RGB24, 3 greyscale.
    pub colour_space: u8,
    /// Whether every compliance check passed.
    pub compliant: bool,
    /// Each check's result, as the manifest records it.
    pub checks: Vec<serde_json::Value>,
}

impl std::fmt::Debug for FingerImage {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FingerImage")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("bytes", &self.pixels.len())
            .finish()
    }
}

impl std::fmt::Debug for CheckedPhoto {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CheckedPhoto")
            .field("width", &self.width)
            .field("height", &self.height)
            .field("jpeg_bytes", &self.jpeg.len())
            .field("compliant", &self.compliant)
            .field("checks", &self.checks)
            .finish()
    }
}

/// Where the portrait comes from, once settled.
#[derive(Debug, Clone)]
pub enum PhotoKept {
    /// Taken here and compliant.
    Camera(CheckedPhoto),
    /// The applicant brought a paper photo; nothing goes into the record but the fact.
    Paper,
}

/// What happened at the counter.
#[derive(Debug)]
pub enum Event {
    /// The pre-request was checked as usable and its content loaded.
    PreRequestLoaded {
        /// The 10-character number.
        number: String,
        /// `cni`, `passport` or `cni+passport`.
        document_type: String,
        /// The applicant's birth date, `YYYY-MM-DD`.
        birth_date: String,
    },
    /// A photo was taken and checked.
    PhotoCaptured(CheckedPhoto),
    /// The clerk had a compliant photo taken again: it is dropped (wiped) and the next capture is
    /// a new attempt.
    PhotoSetAside,
    /// The applicant supplied a paper photo.
    PhotoOnPaper,
    /// The current finger was captured and scored.
    FingerCaptured {
        /// Quality 0..=100.
        quality: u8,
        /// Minutiae the quality check found: breaks ties between captures of the same quality.
        minutiae: u32,
        /// The image.
        image: FingerImage,
    },
    /// The current finger cannot be taken.
    FingerException(ExceptionReason),
    /// The clerk wants the finger just accepted taken again (its best capture is kept).
    Retry,
    /// After going back to a finger (`Retry`), the clerk keeps the capture it already had and goes
    /// on without taking it again.
    KeepBest,
}

impl Event {
    fn name(&self) -> &'static str {
        match self {
            Self::PreRequestLoaded { .. } => "pre-request loaded",
            Self::PhotoCaptured(_) => "photo captured",
            Self::PhotoSetAside => "photo set aside",
            Self::PhotoOnPaper => "photo on paper",
            Self::FingerCaptured { .. } => "finger captured",
            Self::FingerException(_) => "finger exception",
            Self::Retry => "retry",
            Self::KeepBest => "keep best",
        }
    }
}

/// What the counter should do next.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Step {
    /// Enter or scan the pre-request number.
    PreRequest,
    /// Take the photo (or record that it was supplied on paper).
    Photo {
        /// 1-based number of the capture about to be taken.
        attempt: u32,
    },
    /// Capture this finger.
    Finger {
        /// Which finger.
        position: FingerPosition,
        /// 1-based number of the capture about to be taken.
        attempt: u32,
        /// Captures allowed for this finger.
        max_attempts: u32,
        /// Best quality so far, if any capture was taken.
        best_quality: Option<u8>,
    },
    /// Show everything for the clerk to confirm.
    Review,
    /// Confirmed: the payload was handed over for sealing. The session holds nothing more.
    Sealed,
}

impl Step {
    pub(super) fn name(&self) -> &'static str {
        match self {
            Self::PreRequest => "pre-request",
            Self::Photo { .. } => "photo",
            Self::Finger { .. } => "finger",
            Self::Review => "review",
            Self::Sealed => "sealed",
        }
    }
}

/// The best capture of a finger so far.
#[derive(Debug, Clone)]
pub struct BestCapture {
    /// Its quality.
    pub quality: u8,
    /// Minutiae the quality check found in it.
    pub minutiae: u32,
    /// Its image.
    pub image: FingerImage,
}

impl BestCapture {
    /// Whether a new capture should replace this one: a higher score, or the same score with
    /// more minutiae (more for the matcher to work with). An equal capture keeps the earlier one.
    pub fn is_beaten_by(&self, quality: u8, minutiae: u32) -> bool {
        (quality, minutiae) > (self.quality, self.minutiae)
    }
}

/// One finger of the sequence: its captures or its exception.
#[derive(Debug, Clone)]
pub struct FingerTake {
    /// Which finger.
    pub position: FingerPosition,
    /// Captures taken.
    pub attempts: u32,
    /// The best capture, if any.
    pub best: Option<BestCapture>,
    /// Why it could not be taken, if so.
    pub exception: Option<ExceptionReason>,
    /// Kept although below the threshold after the last allowed attempt.
    pub below_threshold: bool,
}

impl FingerTake {
    fn new(position: FingerPosition) -> Self {
        Self {
            position,
            attempts: 0,
            best: None,
            exception: None,
            below_threshold: false,
        }
    }

    fn outcome(&self) -> FingerOutcome {
        if self.exception.is_some() {
            FingerOutcome::Exception
        } else {
            FingerOutcome::Captured
        }
    }
}

/// The applicant's height and eye colour as the clerk confirmed them at the counter.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Physical {
    /// Whole centimetres, within `wire::physical::HEIGHT_CM`.
    pub height_cm: u16,
    /// One of the closed list.
    pub eye_colour: wire::physical::EyeColour,
}

/// Per-step names in the manifest's `timings_ms`.
pub const TIMING_STEPS: [&str; 4] = ["pre_request", "photo", "fingers", "review"];

/// One applicant's enrolment. Everything about the applicant it holds is wiped when it is dropped.
/// Its `Debug` shows the step and counts only: no pre-request number, no image.
pub struct Session {
    pub(super) settings: SessionSettings,
    pub(super) step: Step,
    pub(super) number: Zeroizing<String>,
    pub(super) document_type: String,
    pub(super) exempt: bool,
    pub(super) physical: Option<Physical>,
    pub(super) fingerprint_storage: Option<wire::fingerprint_storage::FingerprintStorage>,
    /// The paper form typed at the counter, when the applicant came without a pre-request.
    pub(super) paper_form: Option<wire::paper_form::PaperForm>,
    pub(super) fee: Option<super::Fee>,
    photo_attempts: u32,
    pub(super) photo: Option<PhotoKept>,
    pub(super) settled: Vec<FingerTake>,
    current: Option<FingerTake>,
    pub(super) step_started_ms: u64,
    pub(super) timings_ms: BTreeMap<String, u64>,
    pub(super) signature: super::signature_pad::SignaturePad,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("step", &self.step)
            .field("exempt", &self.exempt)
            .field("fingers_settled", &self.settled.len())
            .field("timings_ms", &self.timings_ms)
            .finish_non_exhaustive()
    }
}

impl Session {
    /// Starts a session at `now_ms`; the first step is the pre-request.
    pub fn new(settings: SessionSettings, now_ms: u64) -> Self {
        Self {
            settings,
            step: Step::PreRequest,
            number: Zeroizing::new(String::new()),
            document_type: String::new(),
            exempt: false,
            physical: None,
            fingerprint_storage: None,
            paper_form: None,
            fee: None,
            photo_attempts: 0,
            photo: None,
            settled: Vec::new(),
            current: None,
            step_started_ms: now_ms,
            timings_ms: BTreeMap::new(),
            signature: super::signature_pad::SignaturePad::default(),
        }
    }

    /// What comes next.
    pub fn step(&self) -> &Step {
        &self.step
    }

    /// Whether the applicant is exempt from fingerprints (under 12 on the enrolment date).
    pub fn is_exempt(&self) -> bool {
        self.exempt
    }

    /// The height and eye colour confirmed, if they were.
    pub fn physical(&self) -> Option<Physical> {
        self.physical
    }

    /// The clerk confirmed (or corrected) the applicant's height and eye colour: kept for the
    /// manifest. A height no person has is refused and changes nothing; so does any change once
    /// the record is sealed.
    pub fn confirm_physical(&mut self, physical: Physical) -> Result<(), EnrolmentError> {
        if self.step == Step::Sealed {
            return Err(EnrolmentError::AlreadySealed);
        }
        if !wire::physical::is_plausible_height(physical.height_cm) {
            return Err(EnrolmentError::HeightOutOfRange(physical.height_cm));
        }
        self.physical = Some(physical);
        Ok(())
    }

    /// The applicant came without a pre-request: the typed paper form goes into the manifest and
    /// the pre-request loaded next must be [`wire::paper_form::NO_PRE_REQUEST`]. Only before the
    /// pre-request step is over.
    pub fn attach_paper_form(
        &mut self,
        form: wire::paper_form::PaperForm,
    ) -> Result<(), EnrolmentError> {
        if self.step != Step::PreRequest {
            return Err(EnrolmentError::Unexpected {
                event: "paper form",
                step: self.step.name(),
            });
        }
        self.paper_form = Some(form);
        Ok(())
    }

    /// Whether the enrolment was started from the paper form, without a pre-request.
    pub fn is_paper_form(&self) -> bool {
        self.paper_form.is_some()
    }

    /// The reason and the tax stamp confirmed, if they were.
    pub fn fee(&self) -> Option<&super::Fee> {
        self.fee.as_ref()
    }

    /// The clerk confirmed the reason of the request and, when a fee is due, the stamp paying it:
    /// kept for the manifest. Nothing changes once the record is sealed.
    pub fn confirm_fee(&mut self, fee: super::Fee) -> Result<(), EnrolmentError> {
        if self.step == Step::Sealed {
            return Err(EnrolmentError::AlreadySealed);
        }
        self.fee = Some(fee);
        Ok(())
    }

    /// The portrait settled so far.
    pub fn photo(&self) -> Option<&PhotoKept> {
        self.photo.as_ref()
    }

    /// Fingers settled so far, in the order they were asked for.
    pub fn fingers(&self) -> &[FingerTake] {
        &self.settled
    }

    /// The finger being captured now, with its captures so far.
    pub fn current_finger(&self) -> Option<&FingerTake> {
        self.current.as_ref()
    }

    /// Step durations measured so far, in milliseconds, keyed as in [`TIMING_STEPS`].
    pub fn timings_ms(&self) -> &BTreeMap<String, u64> {
        &self.timings_ms
    }

    /// Applies one event at `now_ms` and says what comes next. An event that does not fit the
    /// current step is refused and changes nothing.
    pub fn handle(&mut self, event: Event, now_ms: u64) -> Result<Step, EnrolmentError> {
        let unexpected = |step: &Step, event: &Event| EnrolmentError::Unexpected {
            event: event.name(),
            step: step.name(),
        };
        match (&self.step, event) {
            (
                Step::PreRequest,
                Event::PreRequestLoaded {
                    number,
                    document_type,
                    birth_date,
                },
            ) => {
                let number = Zeroizing::new(number);
                // Without a pre-request the number says so, and only with the form attached.
                let parsed = if self.paper_form.is_some() && number.as_str() == NO_PRE_REQUEST {
                    NO_PRE_REQUEST.to_owned()
                } else {
                    PreRequestNumber::parse(&number)
                        .map_err(|e| EnrolmentError::BadPreRequest(e.0))?
                        .as_str()
                        .to_owned()
                };
                let birth = parse_date(&birth_date).ok_or(EnrolmentError::BadBirthDate)?;
                if birth > self.settings.enrolment_date {
                    return Err(EnrolmentError::BadBirthDate);
                }
                self.exempt = is_under_12(birth, self.settings.enrolment_date);
                self.number = Zeroizing::new(parsed);
                self.document_type = document_type;
                self.close_step("pre_request", now_ms);
                debug!(exempt = self.exempt, "pre-request loaded");
                self.step = Step::Photo { attempt: 1 };
            }
            (Step::Photo { .. }, Event::PhotoCaptured(photo)) => {
                if !self.settings.has_camera {
                    return Err(EnrolmentError::NoCamera);
                }
                self.photo_attempts = self.photo_attempts.saturating_add(1);
                debug!(
                    attempt = self.photo_attempts,
                    compliant = photo.compliant,
                    "photo checked"
                );
                if photo.compliant {
                    self.photo = Some(PhotoKept::Camera(photo));
                    self.close_step("photo", now_ms);
                    self.enter_fingers(now_ms);
                } else {
                    self.step = Step::Photo {
                        attempt: self.photo_attempts.saturating_add(1),
                    };
                }
            }
            (Step::Photo { .. }, Event::PhotoSetAside) => {
                self.photo_attempts = self.photo_attempts.saturating_add(1);
                debug!(attempt = self.photo_attempts, "compliant photo set aside");
                self.step = Step::Photo {
                    attempt: self.photo_attempts.saturating_add(1),
                };
            }
            (Step::Photo { .. }, Event::PhotoOnPaper) => {
                self.photo = Some(PhotoKept::Paper);
                self.close_step("photo", now_ms);
                self.enter_fingers(now_ms);
            }
            (
                Step::Finger { .. },
                Event::FingerCaptured {
                    quality,
                    minutiae,
                    image,
                },
            ) => {
                if quality > 100 {
                    return Err(EnrolmentError::BadQuality(quality));
                }
                let expected = u64::from(image.width) * u64::from(image.height);
                if expected == 0 || image.pixels.len() as u64 != expected {
                    return Err(EnrolmentError::BadImage {
                        width: image.width,
                        height: image.height,
                        bytes: image.pixels.len(),
                    });
                }
                let threshold = self.settings.quality_threshold;
                let max = self.max_attempts();
                let Some(current) = self.current.as_mut() else {
                    return Err(EnrolmentError::Unexpected {
                        event: "finger captured",
                        step: "finger",
                    });
                };
                current.attempts = current.attempts.saturating_add(1);
                // Keep the best: a later, poorer capture never replaces a better one.
                if current
                    .best
                    .as_ref()
                    .is_none_or(|b| b.is_beaten_by(quality, minutiae))
                {
                    current.best = Some(BestCapture {
                        quality,
                        minutiae,
                        image,
                    });
                }
                let best = current.best.as_ref().map_or(0, |b| b.quality);
                debug!(finger = %current.position, attempt = current.attempts, quality, best, "finger captured");
                if best >= threshold {
                    current.below_threshold = false;
                    self.settle_current(now_ms);
                } else if current.attempts >= max {
                    current.below_threshold = true;
                    info!(finger = %current.position, best, threshold, "finger accepted below threshold");
                    self.settle_current(now_ms);
                } else {
                    self.step = self.finger_step();
                }
            }
            (Step::Finger { .. }, Event::FingerException(reason)) => {
                if let Some(current) = self.current.as_mut() {
                    // Any capture taken is dropped (and wiped): the finger is recorded as not taken.
                    current.best = None;
                    current.below_threshold = false;
                    current.exception = Some(reason);
                    info!(finger = %current.position, reason = reason.as_str(), "finger exception");
                }
                self.settle_current(now_ms);
            }
            (Step::Finger { .. } | Step::Review, Event::Retry) => self.reopen_last(now_ms)?,
            (Step::Finger { .. }, Event::KeepBest) => self.keep_best(now_ms)?,
            (step, event) => return Err(unexpected(step, &event)),
        }
        Ok(self.step.clone())
    }

    /// Confirms the review: builds the manifest and the payload to seal, then forgets the
    /// applicant. `record_id` (UUID v4) and `created_at` (RFC 3339 UTC, also the tar entries' mtime
    /// as `created_unix`) come from the caller. A caller that must keep the applicant until the
    /// record is stored safely uses [`Session::review_payload`] and [`Session::sealed`] instead.
    pub fn confirm(
        &mut self,
        record_id: &str,
        created_at: &str,
        now_ms: u64,
    ) -> Result<Payload, EnrolmentError> {
        let payload = self.review_payload(record_id, created_at, now_ms)?;
        self.sealed(now_ms);
        Ok(payload)
    }

    /// The record built by [`Session::review_payload`] is stored safely: the review's time is
    /// closed at `now_ms` and the applicant forgotten. Nothing happens outside the review.
    pub fn sealed(&mut self, now_ms: u64) {
        if self.step != Step::Review {
            return;
        }
        self.close_step("review", now_ms);
        self.wipe();
        self.step = Step::Sealed;
    }

    /// Forgets everything about the applicant now (images, number, photo). Also done on drop.
    pub fn wipe(&mut self) {
        // Every buffer is `Zeroizing`: dropping it overwrites it.
        self.photo = None;
        self.physical = None;
        self.signature.wipe();
        self.fingerprint_storage = None;
        self.paper_form = None;
        self.fee = None;
        self.settled.clear();
        self.current = None;
        self.number = Zeroizing::new(String::new());
        self.document_type.clear();
    }

    fn max_attempts(&self) -> u32 {
        self.settings.max_attempts.max(1)
    }

    fn close_step(&mut self, name: &str, now_ms: u64) {
        let took = now_ms.saturating_sub(self.step_started_ms);
        *self.timings_ms.entry(name.to_owned()).or_insert(0) += took;
        self.step_started_ms = now_ms;
    }

    fn enter_fingers(&mut self, now_ms: u64) {
        if self.exempt {
            self.close_step("fingers", now_ms);
            self.step = Step::Review;
            return;
        }
        self.ask_next_finger(now_ms);
    }

    fn ask_next_finger(&mut self, now_ms: u64) {
        let settled: Vec<_> = self
            .settled
            .iter()
            .map(|f| (f.position, f.outcome()))
            .collect();
        match next_finger(&settled) {
            Some(position) => {
                self.current = Some(FingerTake::new(position));
                self.step = self.finger_step();
            }
            None => {
                self.current = None;
                self.close_step("fingers", now_ms);
                self.step = Step::Review;
            }
        }
    }

    fn finger_step(&self) -> Step {
        match &self.current {
            Some(f) => Step::Finger {
                position: f.position,
                attempt: f.attempts.saturating_add(1),
                max_attempts: self.max_attempts(),
                best_quality: f.best.as_ref().map(|b| b.quality),
            },
            None => Step::Review,
        }
    }

    fn settle_current(&mut self, now_ms: u64) {
        if let Some(current) = self.current.take() {
            self.settled.push(current);
        }
        self.ask_next_finger(now_ms);
    }

    /// Reopens the finger settled last, if it was captured and has attempts left and nothing was
    /// captured of the finger asked after it.
    fn reopen_last(&mut self, now_ms: u64) -> Result<(), EnrolmentError> {
        if self.current.as_ref().is_some_and(|c| c.attempts > 0) {
            return Err(EnrolmentError::NothingToRetry);
        }
        let max = self.max_attempts();
        let reopenable = self
            .settled
            .last()
            .is_some_and(|f| f.exception.is_none() && f.attempts < max);
        if !reopenable {
            return Err(EnrolmentError::NothingToRetry);
        }
        if self.step == Step::Review {
            // Time spent on the review so far counts as review; the finger's new captures add to
            // `fingers` when they settle (timings accumulate).
            self.close_step("review", now_ms);
        }
        self.current = self.settled.pop();
        self.step = self.finger_step();
        Ok(())
    }
}

impl Session {
    /// Whether the finger asked now already holds a capture good enough to be kept as it is: only
    /// a finger the clerk went back to does (a capture that reaches the threshold settles its
    /// finger at once), so a finger never gets past the threshold rule this way.
    pub fn can_keep_best(&self) -> bool {
        self.current.as_ref().is_some_and(|c| {
            c.exception.is_none()
                && c.best
                    .as_ref()
                    .is_some_and(|b| b.quality >= self.settings.quality_threshold)
        })
    }

    fn keep_best(&mut self, now_ms: u64) -> Result<(), EnrolmentError> {
        if !self.can_keep_best() {
            return Err(EnrolmentError::NothingToKeep);
        }
        if let Some(current) = self.current.as_mut() {
            current.below_threshold = false;
            info!(finger = %current.position, attempts = current.attempts, "earlier capture kept");
        }
        self.settle_current(now_ms);
        Ok(())
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        self.wipe();
    }
}
