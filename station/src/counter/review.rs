//! The end of the flow: the review confirmed is sealed and queued in one step, the applicant's
//! receipt is shown (and written as PDF on request); and the "has my file been sent?" search.

use std::time::Instant;

use tracing::{info, warn};
use uuid::Uuid;

use super::{ReceiptView, core::Core, texts::Plain, timings::EnrolmentTimings};
use crate::{
    audit::AuditEvent,
    enrolment::{PhotoKept, Step},
    outbox::now_ms,
    seal::now_rfc3339,
};

impl Core {
    pub(crate) fn confirm_review(&mut self) {
        let Some(operator) = self.enroller() else {
            return;
        };
        let now = self.clock.now_ms();
        let texts = self.texts;
        let town_hall = self.config.ui.town_hall.clone();
        let Some(enrolment) = self
            .enrolment
            .as_mut()
            .filter(|e| e.session.step() == &Step::Review)
        else {
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
            return;
        };
        // What the receipt lists, read before the session forgets the applicant.
        let mut captured = Vec::new();
        match enrolment.session.photo() {
            Some(PhotoKept::Camera(_)) => captured.push(texts.plain(Plain::PhotoCamera)),
            Some(PhotoKept::Paper) => captured.push(texts.plain(Plain::PhotoPaper)),
            None => {}
        }
        if enrolment.session.is_exempt() {
            captured.push(texts.plain(Plain::Exempt));
        }
        for take in enrolment.session.fingers() {
            match take.exception {
                Some(reason) => captured.push(texts.receipt_exception(take.position, reason)),
                None => captured.push(texts.receipt_finger(take.position, take.below_threshold)),
            }
        }
        let number = enrolment.number();
        let record_id = Uuid::new_v4().to_string();
        let created_at = now_rfc3339();
        let sealing = Instant::now();
        let sealed = enrolment
            .session
            .confirm(&record_id, &created_at, now)
            .map_err(|e| e.to_string())
            .and_then(|payload| self.sealer.seal(&payload).map_err(|e| e.to_string()));
        let seal_time = sealing.elapsed();
        let sealed = match sealed {
            Ok(sealed) => sealed,
            Err(detail) => {
                warn!(record_id, %detail, "record not sealed");
                let text = self.plain(Plain::SealFailed);
                self.notice(true, text);
                return;
            }
        };
        self.audit(
            &operator.name,
            &AuditEvent::Sealed {
                record_id: record_id.clone(),
            },
        );
        let queueing = Instant::now();
        if let Err(e) = self.outbox.enqueue(&sealed, Some(&number)) {
            // The session has forgotten the applicant; the sealed record is still in memory:
            // one retry, then the clerk is told (the capture must be taken again).
            warn!(record_id, error = %e, "record not queued, retrying once");
            if let Err(e) = self.outbox.enqueue(&sealed, Some(&number)) {
                warn!(record_id, error = %e, "record not queued");
                let text = self.plain(Plain::SealFailed);
                self.notice(true, text);
                return;
            }
        }
        let enqueue_time = queueing.elapsed();
        drop(sealed);
        self.audit(
            &operator.name,
            &AuditEvent::Queued {
                record_id: record_id.clone(),
            },
        );
        if let Err(e) = self.audit.checkpoint() {
            warn!(error = %e, "audit checkpoint after sealing failed");
        }
        if let Some(uploader) = &self.uploader {
            uploader.wake();
        }
        let Some(enrolment) = self.enrolment.as_mut() else {
            return;
        };
        enrolment.machine.seal += seal_time;
        enrolment.machine.enqueue += enqueue_time;
        enrolment.view.live = None;
        enrolment.view.preview = None;
        enrolment.view.receipt = Some(ReceiptView {
            pre_request: number,
            case_reference: crate::record::case_reference::case_reference(&record_id),
            record_id: record_id.clone(),
            date: super::clock::for_people(now_ms()),
            town_hall,
            captured,
            pdf: None,
        });
        let timings = EnrolmentTimings {
            record_id: record_id.clone(),
            steps_ms: enrolment.session.timings_ms().clone(),
            machine: enrolment.machine,
        };
        info!(record_id, "{}", timings.line());
        let mut stored = timings.steps_ms.clone();
        stored.extend(timings.machine.steps_ms());
        if let Err(e) = self
            .today
            .record(&record_id, &super::clock::today(), &stored)
        {
            warn!(error = %e, "day's figures not recorded");
        }
        if let Ok(mut all) = self.shared.timings.lock() {
            all.push(timings);
        }
        let text = self.plain(Plain::Queued);
        self.notice(false, text);
        self.refresh();
    }

    pub(crate) fn print_receipt(&mut self) {
        if self.enroller().is_none() {
            return;
        }
        let language = self.texts.language;
        let dir = self.config.data_dir.join("receipts");
        let Some(receipt) = self
            .enrolment
            .as_mut()
            .and_then(|e| e.view.receipt.as_mut())
        else {
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
            return;
        };
        let path = dir.join(format!("{}.pdf", receipt.record_id));
        let written = std::fs::create_dir_all(&dir)
            .map_err(|e| e.to_string())
            .and_then(|()| {
                crate::receipt_slip::write_pdf(receipt, language, &path).map_err(|e| e.to_string())
            });
        match written {
            Ok(()) => {
                info!(path = %path.display(), "receipt written");
                receipt.pdf = Some(path);
                let text = self.plain(Plain::Printed);
                self.notice(false, text);
            }
            Err(detail) => {
                warn!(%detail, "receipt not written");
                let text = self.plain(Plain::PrintFailed);
                self.notice(true, text);
            }
        }
    }

    pub(crate) fn search(&mut self, typed: &str) {
        if self.view.operator.is_none() {
            let text = self.plain(Plain::SignInFirst);
            self.notice(true, text);
            return;
        }
        match self.reader.search(typed, &self.texts) {
            Ok(answer) => self.view.search = Some(answer),
            Err(e) => warn!(error = %e, "outbox search failed"),
        }
    }
}
