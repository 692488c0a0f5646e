//! The pre-request's QR code read from the camera's preview: the photo step's preview, larger,
//! with each frame searched for a code on the camera's thread. The first code naming a pre-request
//! fills the number and loads it as a typed or scanned number is; a code naming none is refused
//! with a sentence; no code within the time limit (`counter.qr_reading_s`) stops the camera with a
//! sentence. Frames are only ever in memory and the preview is dropped when the reading stops.
//! Each outcome is audited under the clerk's name: the number read, or why none was (never the
//! frames, never the rest of the code).

use rust_i18n::t;
use tracing::info;

use super::{camera_worker::CameraOrder, core::Core, texts::Plain};
use crate::{
    audit::AuditEvent,
    enrolment::Step,
    uplink::{PreRequestNumber, prerequest_qr::QrProblem},
};

impl Core {
    /// "Lire le QR code": the camera looks for the pre-request's code, at the pre-request step
    /// before any content is waiting for confirmation.
    pub(crate) fn read_qr_code(&mut self) {
        let now = self.clock.now_ms();
        let at_number = self.desk.enrolment.as_ref().is_some_and(|e| {
            e.session.step() == &Step::PreRequest
                && e.view.pre_request.is_none()
                && e.view.paper_form.is_none()
                && e.lookup_ticket.is_none()
        });
        if !at_number {
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
            return;
        }
        let ordered = self
            .devices
            .camera
            .as_ref()
            .is_some_and(|c| c.order(CameraOrder::ReadQrCode));
        let language = self.texts.language.code();
        let Some(e) = self.desk.enrolment.as_mut() else {
            return;
        };
        e.view.pre_request_refusal = None;
        if !ordered {
            e.view.qr.reading = false;
            e.view.qr.problem = Some(t!("counter.qr_camera.no_camera", locale = language).into());
            return;
        }
        e.view.qr.reading = true;
        e.view.qr.problem = None;
        e.view.qr.started_ms = Some(now);
        info!(device = "vc0706", "reading the pre-request's QR code");
    }

    /// Échap: the camera stops looking; nothing is filled.
    pub(crate) fn stop_qr_code(&mut self) {
        if self.qr_reading() {
            self.end_qr_reading(None);
        }
    }

    /// A code decoded in a preview frame.
    pub(crate) fn qr_code_read(&mut self, read: Result<PreRequestNumber, QrProblem>) {
        if !self.qr_reading() {
            // A frame that was on the line when the reading stopped.
            return;
        }
        let language = self.texts.language.code();
        match read {
            Ok(number) => {
                info!(
                    device = "vc0706",
                    "pre-request's QR code read by the camera"
                );
                self.audit(
                    &self.actor(),
                    &AuditEvent::QrCodeRead {
                        pre_request: number.as_str().to_owned(),
                    },
                );
                self.end_qr_reading(None);
                if let Some(e) = self.desk.enrolment.as_mut() {
                    e.view.qr.read = Some(number.as_str().to_owned());
                    e.view.qr.reads += 1;
                }
                self.load_pre_request(number.as_str());
            }
            Err(problem) => {
                info!(
                    device = "vc0706",
                    ?problem,
                    "a QR code that names no pre-request"
                );
                let (key, reason) = match problem {
                    QrProblem::Ambiguous => ("counter.qr_camera.ambiguous", "ambiguous"),
                    QrProblem::NoNumber => ("counter.qr_camera.no_number", "no-number"),
                    QrProblem::Unreadable => ("counter.qr_camera.no_number", "unreadable"),
                };
                self.audit(
                    &self.actor(),
                    &AuditEvent::QrCodeRefused {
                        reason: reason.to_owned(),
                    },
                );
                self.end_qr_reading(Some(t!(key, locale = language).into()));
            }
        }
    }

    /// Stops the reading once its time is up, or once the clerk went on without it; true when it
    /// did (the view is then published).
    pub(crate) fn qr_tick(&mut self) -> bool {
        let now = self.clock.now_ms();
        let limit_s = self.config.counter.qr_reading_s;
        // The clerk went on without the code (typed a number, opened the paper form): the camera
        // stops, with nothing to say.
        let left = self.desk.enrolment.as_ref().is_some_and(|e| {
            e.view.qr.reading
                && (e.view.pre_request.is_some()
                    || e.view.paper_form.is_some()
                    || e.lookup_ticket.is_some())
        });
        if left {
            self.end_qr_reading(None);
            return true;
        }
        let due = self.desk.enrolment.as_ref().is_some_and(|e| {
            e.view.qr.reading
                && e.view
                    .qr
                    .started_ms
                    .is_some_and(|at| now.saturating_sub(at) >= limit_s.saturating_mul(1_000))
        });
        if due {
            info!(device = "vc0706", "no QR code seen in time");
            self.audit(
                &self.actor(),
                &AuditEvent::QrCodeTimedOut { seconds: limit_s },
            );
            let seconds = limit_s.to_string();
            let text = t!(
                "counter.qr_camera.timeout",
                locale = self.texts.language.code(),
                seconds = seconds
            );
            self.end_qr_reading(Some(text.into()));
        }
        due
    }

    fn qr_reading(&self) -> bool {
        self.desk
            .enrolment
            .as_ref()
            .is_some_and(|e| e.view.qr.reading)
    }

    /// The camera stops and the preview is dropped; `problem` says why nothing was read.
    fn end_qr_reading(&mut self, problem: Option<String>) {
        self.preview(false);
        if let Some(e) = self.desk.enrolment.as_mut() {
            e.view.qr.reading = false;
            e.view.qr.started_ms = None;
            e.view.qr.problem = problem;
        }
    }
}
