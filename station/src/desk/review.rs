//! The end of the flow: the review confirmed is sealed and queued in one step, the applicant's
//! receipt is shown (and written as PDF on request); and the "has my file been sent?" search.

use std::time::{Duration, Instant};

use tracing::{info, warn};
use uuid::Uuid;

use super::{
    ReceiptView,
    core::Core,
    desk_session::DeskSession,
    stores::Stores,
    texts::{Plain, Texts},
    timings::EnrolmentTimings,
};
use crate::{
    audit::AuditEvent,
    enrolment::{EnrolmentError, PhotoKept, Session, Step},
    outbox::{Outbox, OutboxError, now_ms},
    seal::{SealError, Sealer, now_rfc3339},
};

/// Why a confirmed review was not sealed and queued. The session still holds everything.
#[derive(Debug, thiserror::Error)]
pub(crate) enum ConfirmError {
    /// No enrolment is at the review.
    #[error("no enrolment under review")]
    NotAtReview,
    /// The review could not be turned into a record.
    #[error("record not built: {0}")]
    Build(#[from] EnrolmentError),
    /// The record could not be sealed.
    #[error("record not sealed: {0}")]
    Seal(#[from] SealError),
    /// The outbox did not commit the sealed record.
    #[error("record not queued: {0}")]
    Queue(#[from] OutboxError),
}

impl ConfirmError {
    /// What the clerk reads: not now, the record was not sealed, or sealed but not stored.
    pub(crate) fn clerk_text(&self) -> Plain {
        match self {
            Self::NotAtReview => Plain::NotNow,
            Self::Build(EnrolmentError::SignaturePending) => Plain::SignaturePending,
            Self::Build(EnrolmentError::SignatureMissing) => Plain::SignatureMissing,
            Self::Build(_) | Self::Seal(_) => Plain::NotSealed,
            Self::Queue(_) => Plain::NotQueued,
        }
    }
}

/// What the receipt and the audit need besides the enrolment.
struct ReceiptFacts {
    operator: String,
    texts: Texts,
    town_hall: String,
    now_ms: u64,
}

/// Seals the enrolment under review and commits it to the outbox; only then are the captures
/// wiped, "sealed" and "queued" audited and the receipt put in the view. Takes the desk's
/// session and the stores, nothing else of the core. Also says whether the record waits for a
/// supervisor's approval.
fn seal_review(
    desk: &mut DeskSession,
    stores: &Stores,
    facts: ReceiptFacts,
) -> Result<(EnrolmentTimings, bool), ConfirmError> {
    let enrolment = desk
        .enrolment
        .as_mut()
        .filter(|e| e.session.step() == &Step::Review)
        .ok_or(ConfirmError::NotAtReview)?;
    let texts = facts.texts;
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
    let awaits_approval = !super::approval::exceptions_of(&enrolment.session).is_empty();
    let record_id = Uuid::new_v4().to_string();
    let (seal_time, enqueue_time) = seal_and_queue(
        &enrolment.session,
        &stores.sealer,
        &stores.outbox,
        &record_id,
        &number,
        facts.now_ms,
    )?;
    // Stored safely: only now is the applicant forgotten.
    enrolment.session.sealed(facts.now_ms);
    for event in [
        AuditEvent::Sealed {
            record_id: record_id.clone(),
        },
        AuditEvent::Queued {
            record_id: record_id.clone(),
        },
    ] {
        stores.audit(&facts.operator, &event);
    }
    if let Err(e) = stores.audit.checkpoint() {
        warn!(error = %e, "audit checkpoint after sealing failed");
    }
    enrolment.machine.seal += seal_time;
    enrolment.machine.enqueue += enqueue_time;
    enrolment.view.live = None;
    enrolment.view.preview = None;
    enrolment.view.receipt = Some(ReceiptView {
        // The slip shows words, not the record's "none", when there was no pre-request.
        pre_request: if number == wire::paper_form::NO_PRE_REQUEST {
            texts.no_pre_request()
        } else {
            number
        },
        case_reference: wire::case_reference::case_reference(&record_id),
        record_id: record_id.clone(),
        date: super::clock::for_people(now_ms()),
        town_hall: facts.town_hall,
        captured,
        pdf: None,
        printed: None,
    });
    let timings = EnrolmentTimings {
        record_id,
        steps_ms: enrolment.session.timings_ms().clone(),
        machine: enrolment.machine,
    };
    Ok((timings, awaits_approval))
}

/// Builds the record from the session (borrowed: nothing is wiped), seals it and commits it to
/// the outbox. Returns the time spent sealing and queueing.
fn seal_and_queue(
    session: &Session,
    sealer: &Sealer,
    outbox: &Outbox,
    record_id: &str,
    number: &str,
    now_ms: u64,
) -> Result<(Duration, Duration), ConfirmError> {
    let sealing = Instant::now();
    let payload = session.review_payload(record_id, &now_rfc3339(), now_ms)?;
    let sealed = sealer.seal(&payload)?;
    drop(payload);
    let seal_time = sealing.elapsed();
    let queueing = Instant::now();
    let announcement =
        crate::seal::announce(&sealed, number, &sealer.station_id, sealer.signer.as_ref())?;
    // A record with an exception waits, sealed, for a supervisor's approval.
    outbox.enqueue_for_review(
        &sealed,
        &announcement,
        &super::approval::exceptions_of(session),
    )?;
    Ok((seal_time, queueing.elapsed()))
}

impl Core {
    /// `Command::ConfirmReview`: seals and queues the enrolment under review, then shows the
    /// receipt; on failure the review stays as it was and the clerk reads why.
    pub(crate) fn confirm_review(&mut self) {
        let Some(operator) = self.operator() else {
            return;
        };
        if self.storage_unanswered() {
            let text = self.plain(Plain::StorageUnanswered);
            self.notice(true, text);
            return;
        }
        let facts = ReceiptFacts {
            operator: operator.name,
            texts: self.texts,
            town_hall: self.config.ui.town_hall.clone(),
            now_ms: self.clock.now_ms(),
        };
        let (timings, awaits_approval) = match seal_review(&mut self.desk, &self.stores, facts) {
            Ok(sealed) => sealed,
            Err(error) => {
                if !matches!(error, ConfirmError::NotAtReview) {
                    warn!(%error, "record not sealed and queued");
                }
                let text = self.plain(error.clerk_text());
                self.notice(true, text);
                return;
            }
        };
        self.central.wake_uploader();
        if let Some(number) = self
            .desk
            .enrolment
            .as_ref()
            .and_then(|e| e.view.receipt.as_ref())
            .map(|r| r.pre_request.clone())
        {
            self.tour_sealed(&number);
        }
        info!(record_id = timings.record_id, "{}", timings.line());
        let mut stored = timings.steps_ms.clone();
        stored.extend(timings.machine.steps_ms());
        if let Err(e) =
            self.stores
                .today
                .record(&timings.record_id, &super::clock::today(), &stored)
        {
            warn!(error = %e, "day's figures not recorded");
        }
        self.keep_timings(timings);
        let text = self.plain(if awaits_approval {
            Plain::AwaitingApproval
        } else {
            Plain::Queued
        });
        self.notice(false, text);
        self.refresh();
    }

    pub(crate) fn print_receipt(&mut self) {
        let language = self.texts.language;
        let dir = self.config.data_dir.join("receipts");
        let Some(receipt) = self
            .desk
            .enrolment
            .as_mut()
            .and_then(|e| e.view.receipt.as_mut())
        else {
            let text = self.plain(Plain::NotNow);
            self.notice(true, text);
            return;
        };
        if let Some(queue) = self.config.printer.queue.clone() {
            let sent = crate::receipt_slip::render_pdf(receipt, language)
                .map_err(|e| e.to_string())
                .and_then(|pdf| {
                    let title = crate::receipt_slip::title(receipt, language);
                    crate::receipt_slip::printer::print(&self.config.printer, &queue, &pdf, &title)
                        .map_err(|e| e.to_string())
                });
            match sent {
                Ok(job) => {
                    receipt.printed = Some(job);
                    let text = self.plain(Plain::SentToPrinter);
                    self.notice(false, text);
                }
                Err(detail) => {
                    warn!(%detail, queue, "receipt not printed");
                    let text = self.plain(Plain::PrinterFailed);
                    self.notice(true, text);
                }
            }
            return;
        }
        // Named by the reference the clerk reads on the screen and the slip; the record id only
        // if the reference could not be a file name.
        let reference = &receipt.case_reference;
        let name = if !reference.is_empty()
            && reference
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-')
        {
            reference
        } else {
            &receipt.record_id
        };
        let path = dir.join(format!("{name}.pdf"));
        let written = crate::files::create_private_dir(&dir)
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
        match self.stores.reader.search(typed, &self.texts) {
            Ok(answer) => self.view.search = Some(answer),
            Err(e) => warn!(error = %e, "outbox search failed"),
        }
    }
}
