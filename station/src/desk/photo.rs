//! The photo step: live preview, capture, compliance verdict with reasons, retake, accept, or the
//! photo supplied on paper.

use tracing::{info, warn};

use super::{
    Busy, DeviceStatus, PhotoResult,
    camera_worker::{CameraOrder, CameraReport},
    core::Core,
    desk_session::Enrolment,
    texts::Plain,
};
use crate::{audit::AuditEvent, enrolment::Event, enrolment::Step};

impl Core {
    fn at_photo_step(&mut self) -> bool {
        let ok = self.desk.enrolment.as_ref().is_some_and(|e| {
            e.view.applicant_confirmed && matches!(e.session.step(), Step::Photo { .. })
        });
        if !ok {
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
        }
        ok
    }

    /// Starts or stops the live preview.
    pub(crate) fn preview(&mut self, on: bool) {
        if self.devices.camera.is_none() {
            return;
        }
        if on {
            if !self.at_photo_step() {
                return;
            }
            if let Some(camera) = self.devices.camera.as_ref() {
                camera.order(CameraOrder::StartPreview);
            }
        } else {
            if let Some(camera) = self.devices.camera.as_ref() {
                camera.order(CameraOrder::StopPreview);
            }
            if let Some(e) = self.desk.enrolment.as_mut() {
                e.view.preview = None;
            }
        }
    }

    pub(crate) fn capture_photo(&mut self) {
        if !self.at_photo_step() {
            return;
        }
        if self.desk.enrolment.as_ref().is_some_and(|e| e.photo_busy) {
            let text = self.plain(Plain::Busy);
            self.notice(true, text);
            return;
        }
        let ordered = self
            .devices
            .camera
            .as_ref()
            .is_some_and(|c| c.order(CameraOrder::Capture));
        if !ordered {
            let text = self.plain(Plain::NoCamera);
            self.notice(true, text);
            return;
        }
        let what = self.plain(Plain::TakingPhoto);
        let now = self.clock.now_ms();
        if let Some(e) = self.desk.enrolment.as_mut() {
            put_photo_away(e, now);
            e.photo_busy = true;
            e.shot_at_ms = Some(now);
            e.view.countdown = Some(super::countdown::FROM);
            e.view.preview = None;
        }
        self.view.busy = Some(Busy {
            what,
            progress: None,
        });
    }

    /// The photo on screen is put away (a compliant one is wiped and counts as an attempt) and
    /// the live preview comes back, so that the applicant can settle before the next shot.
    pub(crate) fn retake_photo(&mut self) {
        let Some(operator) = self.operator() else {
            return;
        };
        if !self.at_photo_step() {
            return;
        }
        let now = self.clock.now_ms();
        let Some(enrolment) = self.desk.enrolment.as_mut().filter(|e| !e.photo_busy) else {
            let text = self.plain(Plain::Busy);
            self.notice(true, text);
            return;
        };
        if enrolment.view.photo.is_none() {
            // Nothing on screen to put away: the preview is already there.
            return;
        }
        put_photo_away(enrolment, now);
        info!(operator = %operator.name, "photo to take again");
    }

    pub(crate) fn accept_photo(&mut self) {
        let Some(operator) = self.operator() else {
            return;
        };
        if !self.at_photo_step() {
            return;
        }
        let now = self.clock.now_ms();
        let Some(enrolment) = self.desk.enrolment.as_mut() else {
            return;
        };
        let Some(photo) = enrolment.pending_photo.take() else {
            let text = self.plain(Plain::PhotoNotCompliant);
            self.notice(true, text);
            return;
        };
        match enrolment.session.handle(Event::PhotoCaptured(photo), now) {
            Ok(step) => info!(next = ?step, "photo accepted"),
            Err(e) => {
                warn!(error = %e, "photo refused by the session");
                let text = self.plain(Plain::NotNow);
                self.notice(true, text);
                return;
            }
        }
        self.audit(
            &operator.name,
            &AuditEvent::PhotoChecked { compliant: true },
        );
    }

    pub(crate) fn photo_on_paper(&mut self) {
        let Some(operator) = self.operator() else {
            return;
        };
        if !self.at_photo_step() {
            return;
        }
        self.preview(false);
        let now = self.clock.now_ms();
        let Some(enrolment) = self.desk.enrolment.as_mut() else {
            return;
        };
        if enrolment.session.handle(Event::PhotoOnPaper, now).is_ok() {
            enrolment.pending_photo = None;
            enrolment.view.photo_on_paper = true;
            self.audit(&operator.name, &AuditEvent::PhotoOnPaper);
        }
    }

    pub(crate) fn camera_report(&mut self, report: CameraReport) {
        match report {
            CameraReport::Ready { port, device } => {
                self.devices.camera_device = Some(device.clone());
                self.view.devices.camera = Some(DeviceStatus {
                    ready: true,
                    port: Some(port),
                    model: Some(format!("{} {}", device.model, device.firmware)),
                    problem: None,
                });
            }
            CameraReport::Problem { port, fault } => {
                warn!(device = "vc0706", %fault, "camera problem");
                self.view.devices.camera = Some(DeviceStatus {
                    ready: false,
                    port: Some(port),
                    model: None,
                    problem: Some(self.plain(Plain::CameraSilent)),
                });
            }
            CameraReport::Frame(picture) => {
                // Kept for the screens only while someone looks at it: a frame still on the line
                // when the QR code's reading stopped is dropped.
                if let Some(e) = self.desk.enrolment.as_mut().filter(|e| {
                    !e.photo_busy
                        && (e.view.qr.reading || matches!(e.session.step(), Step::Photo { .. }))
                }) {
                    e.view.preview = Some(picture);
                }
            }
            CameraReport::QrCode(read) => self.qr_code_read(read),
            CameraReport::Photo(taken) => {
                self.view.busy = None;
                let texts = self.texts;
                let actor = self.actor();
                let now = self.clock.now_ms();
                let Some(enrolment) = self.desk.working_enrolment(|e| e.photo_busy) else {
                    return;
                };
                enrolment.photo_busy = false;
                enrolment.shot_at_ms = None;
                enrolment.view.countdown = None;
                enrolment.photo_attempts += 1;
                enrolment.machine.photo_transfer += taken.transfer;
                enrolment.machine.photo_checks += taken.checks_time;
                let taken = *taken;
                let compliant = taken.checked.compliant;
                let reasons = taken
                    .report
                    .failures()
                    .map(|c| c.id.reason(texts.language).to_owned())
                    .collect();
                let checks = taken
                    .report
                    .checks
                    .iter()
                    .map(|c| (c.id.label(texts.language).to_owned(), c.passed))
                    .collect();
                enrolment.view.photo = Some(PhotoResult {
                    picture: taken.picture,
                    kept: taken.kept,
                    compliant,
                    reasons,
                    checks,
                    attempt: enrolment.photo_attempts,
                });
                if compliant {
                    enrolment.pending_photo = Some(taken.checked);
                } else {
                    // A refused photo counts as an attempt in the session; it keeps nothing.
                    let _ = enrolment
                        .session
                        .handle(Event::PhotoCaptured(taken.checked), now);
                }
                info!(
                    compliant,
                    transfer_ms = taken.transfer.as_millis() as u64,
                    line_ms = taken.line_time.as_millis() as u64,
                    checks_ms = taken.checks_time.as_millis() as u64,
                    "photo taken"
                );
                if !compliant {
                    self.audit(&actor, &AuditEvent::PhotoChecked { compliant: false });
                }
            }
            CameraReport::Failed(fault) => {
                warn!(device = "vc0706", device_fault = fault.is_device(), %fault, "photo failed");
                self.view.busy = None;
                if let Some(e) = self.desk.working_enrolment(|e| e.photo_busy) {
                    e.photo_busy = false;
                    e.shot_at_ms = None;
                    e.view.countdown = None;
                }
                let text = self.plain(if fault.is_incomplete_picture() {
                    Plain::PhotoIncomplete
                } else {
                    Plain::PhotoFailed
                });
                self.notice(true, text);
            }
        }
    }
}

/// Takes the photo on screen away; a compliant one waiting for the clerk's "accept" is wiped and
/// counted by the session, so that the next capture is the next attempt on every screen.
fn put_photo_away(enrolment: &mut Enrolment, now_ms: u64) {
    if enrolment.pending_photo.take().is_some()
        && let Err(e) = enrolment.session.handle(Event::PhotoSetAside, now_ms)
    {
        warn!(error = %e, "photo not set aside by the session");
    }
    enrolment.view.photo = None;
}
