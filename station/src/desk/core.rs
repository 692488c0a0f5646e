//! The core thread: it owns every store and worker, applies one input at a time, and publishes a
//! new view after each. Handlers live next to it, one file per part of the counter's work
//! (`sign_in`, `pre_request`, `photo`, `fingers`, `review`, `queue`).

use std::{
    sync::{
        Arc, Condvar, Mutex,
        mpsc::{Receiver, RecvTimeoutError, SyncSender},
    },
    time::{Duration, Instant},
};

use tracing::{debug, warn};

use super::{
    Command, CounterView, Notice,
    central_link::CentralLink,
    clock::Monotonic,
    desk_session::{DeskSession, Enrolment},
    devices::Devices,
    input::{self, Input},
    report::Reporter,
    stores::Stores,
    technician::Technician,
    texts::{Plain, Texts},
    timings::EnrolmentTimings,
    view::{CentralStatus, SuspendedEnrolment},
};
use crate::{
    audit::AuditEvent, config::StationConfig, enrolment::SessionSettings, operators::SignedIn,
    uplink::UploadEvent,
};

/// How often the outbox counts are refreshed when nothing else happens.
const REFRESH_EVERY: Duration = Duration::from_secs(2);
/// How long the core waits for input before looking at the uploader's events and the clock.
const TICK: Duration = Duration::from_millis(100);

/// What the core and the handle share: the published view and the timings of sealed enrolments.
pub(crate) struct Shared {
    pub view: Mutex<CounterView>,
    pub changed: Condvar,
    pub repaint: Arc<dyn Fn() + Send + Sync>,
    pub timings: Mutex<Vec<EnrolmentTimings>>,
}

/// The core's state: the parts, each owning its own, and what every handler reads (the
/// configuration, the texts, the clock) or writes (the view, the notices).
pub(crate) struct Core {
    pub config: StationConfig,
    pub texts: Texts,
    pub clock: Monotonic,
    inbox: Receiver<Input>,
    events: SyncSender<Input>,
    shared: Arc<Shared>,
    pub view: CounterView,
    /// Notices raised since the core started: each one's [`Notice::serial`].
    notices_raised: u64,
    last_refresh: Instant,
    pub stores: Stores,
    pub devices: Devices,
    pub desk: DeskSession,
    pub central: CentralLink,
    pub technician: Technician,
    /// When the retention last ran (each day the station stays on).
    pub retention: super::retention_run::RetentionRun,
}

impl Core {
    /// The core with its parts, on the channel `(events, inbox)`, publishing to `shared`.
    pub(crate) fn new(
        config: StationConfig,
        (events, inbox): (SyncSender<Input>, Receiver<Input>),
        shared: Arc<Shared>,
        stores: Stores,
        devices: Devices,
        central: CentralLink,
        technician: Technician,
    ) -> Self {
        let view = shared.view.lock().map(|v| v.clone()).unwrap_or_default();
        Self {
            texts: Texts {
                language: config.ui.language,
            },
            clock: Monotonic::start(),
            inbox,
            events,
            shared,
            view,
            notices_raised: 0,
            last_refresh: Instant::now(),
            stores,
            devices,
            desk: DeskSession::default(),
            central,
            technician,
            retention: Default::default(),
            config,
        }
    }

    /// Keeps a sealed enrolment's timings for the handle's readers.
    pub(crate) fn keep_timings(&self, timings: EnrolmentTimings) {
        if let Ok(mut all) = self.shared.timings.lock() {
            all.push(timings);
        }
    }

    /// Runs until a `Shutdown` command or until every handle is gone.
    pub(crate) fn run(mut self) {
        self.tour_list_changed();
        self.refresh();
        self.publish();
        loop {
            let input = match self.inbox.recv_timeout(TICK) {
                Ok(input) => Some(input),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => break,
            };
            let mut changed = false;
            if let Some(input) = input {
                if matches!(input, Input::Command(Command::Shutdown)) {
                    break;
                }
                self.apply(input);
                changed = true;
            }
            while let Ok(event) = self.central.uploads.try_recv() {
                self.upload_event(event);
                changed = true;
            }
            if self.last_refresh.elapsed() >= REFRESH_EVERY {
                changed |= self.refresh();
            }
            self.central.reap();
            self.check_central(false);
            changed |= self.technician_tick();
            changed |= self.countdown_tick();
            changed |= self.qr_tick();
            if changed {
                self.publish();
            }
        }
        self.shutdown();
    }

    fn apply(&mut self, input: Input) {
        match input {
            Input::Command(command) => {
                debug!(command = command.name(), "command");
                // A new action replaces the last message; a refresh (sent by the screens on
                // their own) must not hide it before the clerk has read it.
                if !matches!(command, Command::Refresh) {
                    self.view.notice = None;
                }
                self.command(command);
            }
            Input::Finger(report) => self.finger_report(report),
            Input::Camera(report) => self.camera_report(report),
            Input::Lookup(report) => self.lookup_report(report),
            Input::TaxStamp(report) => self.stamp_report(report),
            Input::Technician(report) => self.technician_report(report),
            Input::HandoverSubject(report) => self.handover_subject_report(report),
            Input::Handover(report) => self.handover_report(report),
            Input::Tour(report) => self.tour_report(report),
            Input::Health(report) => {
                self.view.devices.central = self.central.answered(&report);
            }
        }
    }

    fn command(&mut self, command: Command) {
        if let Err(refused) = command.permission().check(self.view.operator.as_ref()) {
            debug!(command = command.name(), ?refused, "command refused");
            let text = self.plain(refused.clerk_text());
            self.notice(true, text);
            return;
        }
        match command {
            Command::CreateFirstSupervisor { name, secret } => {
                self.create_first_supervisor(&name, secret.as_str());
            }
            Command::SignIn { name, secret } => self.sign_in(&name, secret.as_str()),
            Command::SignOut { idle } => self.sign_out(idle),
            Command::ResumeEnrolment => self.resume(),
            Command::LoadPreRequest { number } => self.load_pre_request(&number),
            Command::ConfirmApplicant => self.confirm_applicant(),
            Command::CorrectReason(reason) => self.correct_reason(reason),
            Command::CheckTaxStamp { entry } => self.check_tax_stamp(&entry),
            Command::KeepTaxStampUnchecked => self.keep_stamp_unchecked(),
            Command::CorrectPhysical {
                height_cm,
                eye_colour,
            } => self.correct_physical(&height_cm, eye_colour),
            Command::OpenPaperForm => self.open_paper_form(),
            Command::ClosePaperForm => self.close_paper_form(),
            Command::SubmitPaperForm(entry) => self.submit_paper_form(&entry),
            Command::CancelEnrolment => self.cancel_enrolment(),
            Command::ReadQrCode => self.read_qr_code(),
            Command::StopQrCode => self.stop_qr_code(),
            Command::StartPreview => self.preview(true),
            Command::StopPreview => self.preview(false),
            Command::CapturePhoto => self.capture_photo(),
            Command::RetakePhoto => self.retake_photo(),
            Command::AcceptPhoto => self.accept_photo(),
            Command::PhotoOnPaper => self.photo_on_paper(),
            Command::CaptureFinger => self.capture_finger(),
            Command::CancelCapture => self.cancel_capture(),
            Command::RetryFinger => self.retry_finger(),
            Command::KeepFinger => self.keep_finger(),
            Command::FingerException(reason) => self.finger_exception(reason),
            Command::SignatureInk { samples, pen_up } => self.signature_ink(&samples, pen_up),
            Command::ClearSignature => self.clear_signature(),
            Command::ValidateSignature => self.validate_signature(),
            Command::CannotSign { reason } => self.cannot_sign(&reason),
            Command::AnswerFingerprintStorage(answer) => self.answer_fingerprint_storage(answer),
            Command::ConfirmReview => self.confirm_review(),
            Command::PrintReceipt => self.print_receipt(),
            Command::NextApplicant => self.next_applicant(),
            Command::ApplicantLanguage(language) => {
                if let Some(e) = self.desk.enrolment.as_mut() {
                    e.view.applicant_language = language;
                }
            }
            Command::Search { number } => self.search(&number),
            Command::Handover { number } => self.start_handover(&number),
            Command::CloseHandover => self.close_handover(),
            Command::DecideReview {
                record_id,
                decision,
                supervisor,
                secret,
                reason,
            } => self.decide_review(&record_id, decision, &supervisor, secret.as_str(), &reason),
            Command::Technician(command) => self.technician_command(command),
            Command::PrepareTour { date } => self.prepare_tour(&date),
            Command::Refresh => {
                self.refresh();
                self.check_central(true);
            }
            Command::Shutdown => {}
        }
    }

    /// Copies the working view out to the screens and wakes them.
    pub(crate) fn publish(&mut self) {
        if let Some(e) = self.desk.enrolment.as_mut() {
            e.sync();
        }
        self.view.enrolment = self.desk.enrolment.as_ref().map(|e| e.view.clone());
        self.view.suspended = self.desk.suspended.as_ref().map(|e| SuspendedEnrolment {
            pre_request: e.number(),
            operator: e.operator.clone(),
        });
        self.view.generation += 1;
        if let Ok(mut shared) = self.shared.view.lock() {
            *shared = self.view.clone();
        }
        self.shared.changed.notify_all();
        (self.shared.repaint)();
    }

    /// Refreshes the outbox counts and rows and today's figures. True when anything changed.
    pub(crate) fn refresh(&mut self) -> bool {
        self.last_refresh = Instant::now();
        let mut changed = false;
        match self.stores.reader.view(
            &self.stores.outbox,
            &self.config.freeze_limits(),
            &self.texts,
        ) {
            Ok(outbox) => {
                let same = outbox.queued == self.view.outbox.queued
                    && outbox.sending == self.view.outbox.sending
                    && outbox.acknowledged == self.view.outbox.acknowledged
                    && outbox.recent == self.view.outbox.recent
                    && outbox.awaiting == self.view.outbox.awaiting
                    && outbox.frozen == self.view.outbox.frozen;
                if !same {
                    self.view.outbox = outbox;
                    changed = true;
                }
            }
            Err(e) => warn!(error = %e, "outbox not readable"),
        }
        match self.stores.today.summary(&super::clock::today()) {
            Ok(today) if today != self.view.today => {
                self.view.today = today;
                changed = true;
            }
            Ok(_) => {}
            Err(e) => warn!(error = %e, "day's figures not readable"),
        }
        changed |= self.tour_refresh();
        changed |= self.retention_tick();
        changed
    }

    /// Appends to the audit log as `actor`; a failure is logged (the counter goes on: the log's
    /// gap shows at the next verification).
    pub(crate) fn audit(&self, actor: &str, event: &AuditEvent) {
        self.stores.audit(actor, event);
    }

    /// Who is signed in, for actions audited under their name.
    pub(crate) fn actor(&self) -> String {
        self.view
            .operator
            .as_ref()
            .map_or_else(|| "station".to_owned(), |o| o.name.clone())
    }

    pub(crate) fn notice(&mut self, error: bool, text: String) {
        self.notices_raised += 1;
        self.view.notice = Some(Notice {
            serial: self.notices_raised,
            error,
            text,
        });
    }

    pub(crate) fn plain(&self, key: Plain) -> String {
        self.texts.plain(key)
    }

    /// The signed-in operator. Handlers run after [`Command::permission`] was checked, so a
    /// handler that needs someone signed in finds them; `None` only for inner calls.
    pub(crate) fn operator(&self) -> Option<SignedIn> {
        self.view.operator.clone()
    }

    /// A reporter putting a worker's reports on the core's channel as `wrap(report)`.
    pub(crate) fn reporter<R: 'static>(&self, wrap: fn(R) -> Input) -> Reporter<R> {
        input::reporter(&self.events, wrap)
    }

    /// Asks the national service whether it answers when a check is due (or at once with `now`).
    pub(crate) fn check_central(&mut self, now: bool) -> bool {
        self.central.check(now)
    }

    /// A fresh session for `operator`, started now, with an id no earlier enrolment had; the
    /// applicant's window starts in the station's language (F10 turns it for this applicant).
    pub(crate) fn new_enrolment(&mut self, operator: &str) -> Enrolment {
        let settings = self.session_settings(operator);
        let language = self.texts.language;
        self.desk
            .open(settings, operator, language, self.clock.now_ms())
    }

    pub(crate) fn session_settings(&self, operator: &str) -> SessionSettings {
        let counter = &self.config.counter;
        SessionSettings {
            station_id: self.config.station_id.clone(),
            operator: operator.to_owned(),
            devices: self.devices.described(),
            has_camera: self.config.devices.camera.is_some(),
            quality_threshold: counter.quality_threshold,
            max_attempts: counter.max_attempts,
            quality_algorithm: crate::checks::quality::ALGORITHM.to_owned(),
            quality_version: crate::checks::quality::VERSION.to_owned(),
            enrolment_date: super::clock::local_date(),
        }
    }

    fn upload_event(&mut self, event: UploadEvent) {
        match event {
            UploadEvent::Acknowledged {
                record_id,
                received_at,
            } => {
                debug!(record_id, received_at, "record acknowledged");
                self.view.devices.central = CentralStatus::Reachable;
                for event in [
                    AuditEvent::Uploaded {
                        record_id: record_id.clone(),
                    },
                    AuditEvent::ReceiptVerified {
                        record_id: record_id.clone(),
                    },
                    AuditEvent::Purged { record_id },
                ] {
                    self.audit("station", &event);
                }
            }
            UploadEvent::RetryLater {
                record_id, error, ..
            } => {
                debug!(record_id, error, "upload to retry");
                self.view.devices.central = CentralStatus::Unreachable;
                self.central.seen_down();
            }
            UploadEvent::Refused { record_id, error } => {
                warn!(record_id, error, "record refused by the central");
            }
            UploadEvent::CheckpointRefused { record_id, error } => {
                warn!(
                    record_id,
                    error, "record refused by the central for its audit checkpoint"
                );
                // About the station, not the record: one alarm however many records follow.
                let alarm = self.texts.checkpoint_refused();
                if !self.view.alarms.contains(&alarm) {
                    self.view.alarms.push(alarm);
                }
            }
            UploadEvent::ReceiptAlarm {
                record_id,
                attempts,
                error,
            } => {
                warn!(
                    record_id,
                    attempts, error, "the central's answers are not receipts"
                );
                // One alarm per record on the home screen, with the latest count.
                let head = self.texts.bad_receipt(&record_id, 0);
                let head = head.split(record_id.as_str()).next().unwrap_or_default();
                self.view
                    .alarms
                    .retain(|a| !(a.starts_with(head) && a.contains(record_id.as_str())));
                let alarm = self.texts.bad_receipt(&record_id, attempts);
                self.view.alarms.push(alarm);
            }
        }
        self.refresh();
    }

    fn shutdown(mut self) {
        // Close the inbox first: a worker blocked on a full channel then fails its send and ends.
        let (_, closed) = std::sync::mpsc::sync_channel(0);
        drop(std::mem::replace(&mut self.inbox, closed));
        if let Some(e) = self.desk.enrolment.as_ref().filter(|e| !e.is_blank()) {
            // Closing the app mid-enrolment loses nothing silently: it is in the log.
            warn!(step = ?e.view.step, "app closed during an enrolment: it is wiped");
        }
        self.technician.stop();
        self.devices.stop();
        self.central.stop();
        if let Err(e) = self.stores.audit.checkpoint() {
            warn!(error = %e, "audit checkpoint at shutdown failed");
        }
        self.desk.enrolment = None;
        self.desk.suspended = None;
        debug!("counter core stopped");
    }
}
