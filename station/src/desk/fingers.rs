//! The fingers: the legal sequence comes from the session; here each capture is asked of the
//! module's worker, shown live to both windows, scored, kept when best, retried, or recorded as
//! an exception.

use std::time::Duration;

use tracing::{info, warn};
use zeroize::Zeroizing;

use super::{
    CapturePrompt, DeviceStatus, LiveCapture,
    core::Core,
    fingerprint_worker::{FingerOrder, FingerReport},
    picture,
    texts::Plain,
};
use crate::{
    audit::AuditEvent,
    checks::quality,
    enrolment::{Event, ExceptionReason, FingerImage, Step},
};

impl Core {
    fn finger_step(&mut self) -> Option<(crate::enrolment::FingerPosition, u32)> {
        let step = self
            .desk
            .enrolment
            .as_ref()
            .filter(|e| e.view.applicant_confirmed)
            .map(|e| e.session.step().clone());
        match step {
            Some(Step::Finger {
                position, attempt, ..
            }) => Some((position, attempt)),
            _ => {
                let text = self.plain(Plain::NotNow);
                self.notice(true, text);
                None
            }
        }
    }

    pub(crate) fn capture_finger(&mut self) {
        let Some(operator) = self.operator() else {
            return;
        };
        let Some((position, attempt)) = self.finger_step() else {
            return;
        };
        if self.desk.enrolment.as_ref().is_some_and(|e| e.capturing)
            || self.handover_waits_for_finger()
        {
            let text = self.plain(Plain::Busy);
            self.notice(true, text);
            return;
        }
        if !self.view.devices.fingerprint.ready {
            let text = self.plain(Plain::FingerprintNotReady);
            self.notice(true, text);
            return;
        }
        let timeout = Duration::from_secs(self.config.counter.finger_timeout_s.max(1));
        if !self.devices.finger.order(FingerOrder::Capture { timeout }) {
            let text = self.plain(Plain::FingerprintNotReady);
            self.notice(true, text);
            return;
        }
        if attempt > 1 {
            self.audit(
                &operator.name,
                &AuditEvent::FingerRetry {
                    finger: position.name().to_owned(),
                },
            );
        }
        let instruction = self.texts.place_finger(position);
        if let Some(e) = self.desk.enrolment.as_mut() {
            e.capturing = true;
            e.view.live = Some(LiveCapture {
                position,
                prompt: CapturePrompt::PlaceFinger,
                instruction,
                progress: 0.0,
                picture: None,
            });
        }
    }

    pub(crate) fn cancel_capture(&mut self) {
        let Some(enrolment) = self.desk.enrolment.as_mut().filter(|e| e.capturing) else {
            return;
        };
        // Noted before the order goes: a capture that finishes before the worker reads the order
        // is dropped all the same when it arrives.
        enrolment.stop_asked = true;
        self.devices.finger.order(FingerOrder::Cancel);
    }

    pub(crate) fn retry_finger(&mut self) {
        let now = self.clock.now_ms();
        let Some(enrolment) = self
            .desk
            .enrolment
            .as_mut()
            .filter(|e| e.view.applicant_confirmed && !e.capturing)
        else {
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
            return;
        };
        match enrolment.session.handle(Event::Retry, now) {
            // The last capture's "lift your finger" is over: the applicant waits for the clerk.
            Ok(_) => enrolment.view.live = None,
            Err(e) => {
                info!(error = %e, "retry refused");
                let text = self.plain(Plain::NoRetry);
                self.notice(true, text);
            }
        }
    }

    /// "Keep and continue": the finger the clerk went back to keeps the capture it had, and the
    /// next finger is asked.
    pub(crate) fn keep_finger(&mut self) {
        let Some(operator) = self.operator() else {
            return;
        };
        let now = self.clock.now_ms();
        let Some(enrolment) = self
            .desk
            .enrolment
            .as_mut()
            .filter(|e| e.view.applicant_confirmed && !e.capturing)
        else {
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
            return;
        };
        let position = enrolment.session.current_finger().map(|t| t.position);
        match enrolment.session.handle(Event::KeepBest, now) {
            Ok(_) => {
                // The earlier capture's result is what both windows show again.
                enrolment.view.live = None;
                if let Some(position) = position {
                    info!(operator = %operator.name, finger = %position, "earlier capture kept");
                }
            }
            Err(e) => {
                info!(error = %e, "keep refused");
                let text = self.plain(Plain::NothingToKeep);
                self.notice(true, text);
            }
        }
    }

    pub(crate) fn finger_exception(&mut self, reason: ExceptionReason) {
        let Some(operator) = self.operator() else {
            return;
        };
        let Some((position, _)) = self.finger_step() else {
            return;
        };
        let now = self.clock.now_ms();
        let Some(enrolment) = self.desk.enrolment.as_mut().filter(|e| !e.capturing) else {
            let text = self.plain(Plain::Busy);
            self.notice(true, text);
            return;
        };
        if enrolment
            .session
            .handle(Event::FingerException(reason), now)
            .is_ok()
        {
            enrolment.extras.remove(&position);
            enrolment.same_finger.forget(position);
            enrolment.view.same_finger_alert = None;
            enrolment.view.live = None;
            self.audit(
                &operator.name,
                &AuditEvent::FingerException {
                    finger: position.name().to_owned(),
                    reason: reason.as_str().to_owned(),
                },
            );
        }
    }

    pub(crate) fn finger_report(&mut self, report: FingerReport) {
        let Some(report) = self.handover_finger_report(report) else {
            return;
        };
        match report {
            FingerReport::Ready { port, device } => {
                self.view.devices.fingerprint = DeviceStatus {
                    ready: true,
                    port: Some(port),
                    model: Some(format!("{} (n° {})", device.model, device.serial)),
                    problem: None,
                };
                self.devices.fingerprint_device = Some(device);
            }
            FingerReport::Problem { port, detail } => {
                warn!(device = "fingerprint", %detail, "fingerprint module problem");
                let problem = if port.is_none() {
                    self.plain(Plain::FingerprintNotConfigured)
                } else {
                    self.plain(Plain::FingerprintSilent)
                };
                self.view.devices.fingerprint = DeviceStatus {
                    ready: false,
                    port,
                    model: None,
                    problem: Some(problem),
                };
            }
            FingerReport::Reading => {
                let text = self.texts.reading();
                if let Some(live) = self
                    .desk
                    .working_enrolment(|e| e.capturing)
                    .and_then(|e| e.view.live.as_mut())
                {
                    live.prompt = CapturePrompt::Reading;
                    live.instruction = text;
                }
            }
            FingerReport::Progress { fraction, arrived } => {
                if let Some(live) = self
                    .desk
                    .working_enrolment(|e| e.capturing)
                    .and_then(|e| e.view.live.as_mut())
                {
                    live.progress = fraction.clamp(0.0, 1.0);
                    live.picture = Some(arrived);
                }
            }
            FingerReport::Captured(capture) => self.finger_captured(*capture),
            FingerReport::NoFinger | FingerReport::Cancelled | FingerReport::Failed(_) => {
                let text = match &report {
                    FingerReport::NoFinger => Some(self.plain(Plain::NoFinger)),
                    FingerReport::Failed(detail) => {
                        warn!(device = "fingerprint", %detail, "capture failed");
                        Some(self.plain(Plain::FingerFailed))
                    }
                    _ => None,
                };
                if let Some(e) = self.desk.working_enrolment(|e| e.capturing) {
                    e.capturing = false;
                    e.stop_asked = false;
                    e.view.live = None;
                }
                if let Some(text) = text {
                    self.notice(true, text);
                }
            }
        }
    }

    fn finger_captured(&mut self, mut capture: super::fingerprint_worker::FingerCapture) {
        let texts = self.texts;
        let actor = self.actor();
        let same_finger_check = self.config.counter.same_finger_check;
        let quality_threshold = self.config.counter.quality_threshold;
        let now = self.clock.now_ms();
        let Some(enrolment) = self.desk.working_enrolment(|e| e.capturing) else {
            // Nobody waits for it (cancelled meanwhile): the image is wiped on drop.
            return;
        };
        enrolment.capturing = false;
        if std::mem::take(&mut enrolment.stop_asked) {
            // The clerk stopped it: nothing is recorded, the image is wiped on drop.
            enrolment.view.live = None;
            info!(
                finger = ?enrolment.session.current_finger().map(|t| t.position),
                "capture stopped by the clerk"
            );
            return;
        }
        let Some(take) = enrolment.session.current_finger() else {
            enrolment.view.live = None;
            return;
        };
        let position = take.position;
        // The picture shown follows the session's own choice of the best capture.
        let becomes_best = take
            .best
            .as_ref()
            .is_none_or(|b| b.is_beaten_by(capture.quality, capture.minutiae));
        let attempt = take.attempts + 1;
        enrolment.machine.finger_transfer += capture.transfer;
        enrolment.machine.quality_check += capture.quality_time;
        if same_finger_check
            && let Some(found) =
                super::same_finger::check(enrolment, position, &capture.image, texts)
        {
            // The capture is dropped (its pixels wiped): the clerk captures this finger again.
            found.audit(&self.stores, &actor);
            return;
        }
        let quality = capture.quality;
        let shown = picture::from_grey(&capture.image);
        let image = std::mem::take(&mut capture.image);
        let (width, height) = image.dimensions();
        let image = FingerImage {
            width,
            height,
            pixels: Zeroizing::new(image.into_raw()),
        };
        match enrolment.session.handle(
            Event::FingerCaptured {
                quality,
                minutiae: capture.minutiae,
                image,
            },
            now,
        ) {
            Ok(_) => {}
            Err(e) => {
                warn!(error = %e, "capture refused by the session");
                enrolment.view.live = None;
                return;
            }
        }
        let extra = enrolment.extras.entry(position).or_default();
        extra.last_quality = Some(quality);
        extra.advice = quality::feedback::retry_advice(
            &capture.feedback,
            quality,
            quality_threshold,
            texts.language,
        )
        .map(str::to_owned);
        if becomes_best {
            extra.best_picture = Some(shown);
        }
        let below = enrolment
            .session
            .fingers()
            .iter()
            .any(|f| f.position == position && f.below_threshold);
        enrolment.view.live = Some(LiveCapture {
            position,
            prompt: CapturePrompt::LiftFinger,
            instruction: texts.lift(),
            progress: 1.0,
            picture: None,
        });
        info!(
            finger = %position,
            attempt,
            quality,
            transfer_ms = capture.transfer.as_millis() as u64,
            line_ms = capture.line_time.as_millis() as u64,
            quality_ms = capture.quality_time.as_millis() as u64,
            waited_ms = capture.waited.as_millis() as u64,
            "finger captured"
        );
        self.audit(
            &actor,
            &AuditEvent::FingerCaptured {
                finger: position.name().to_owned(),
                quality,
                attempt,
            },
        );
        if below {
            let text = texts.below_threshold(position);
            self.notice(false, text);
        }
    }
}
