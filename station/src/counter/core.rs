//! The core thread: it owns every store and worker, applies one input at a time, and publishes a
//! new view after each. Handlers live next to it, one file per part of the counter's work
//! (`sign_in`, `pre_request`, `photo`, `fingers`, `review`, `queue`).

use std::{
    sync::{
        Arc, Condvar, Mutex,
        mpsc::{Receiver, RecvTimeoutError, SyncSender},
    },
    thread::JoinHandle,
    time::{Duration, Instant},
};

use tracing::{debug, warn};

use super::{
    Command, CounterView, EnrolmentView, Notice,
    camera_worker::CameraWorker,
    clock::Monotonic,
    fingerprint_worker::FingerprintWorker,
    input::Input,
    outbox_rows::OutboxReader,
    texts::{Plain, Texts},
    timings::{EnrolmentTimings, MachineShare},
    today::Today,
    view::{CentralStatus, FingerResult, SuspendedEnrolment},
};
use crate::{
    audit::{AuditEvent, AuditLog},
    config::StationConfig,
    enrolment::{CheckedPhoto, FingerPosition, Session, SessionSettings, Step},
    operators::{Operators, SignedIn},
    outbox::{Outbox, now_ms},
    record::manifest::Device,
    seal::Sealer,
    uplink::{CentralClient, PreRequest, UploadEvent, Uploader},
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

/// What a finger's captures showed, besides what the session keeps.
#[derive(Debug, Clone, Default)]
pub(crate) struct FingerExtra {
    pub last_quality: Option<u8>,
    pub advice: Option<String>,
    pub best_picture: Option<super::Picture>,
}

/// One applicant's enrolment at the counter.
pub(crate) struct Enrolment {
    pub session: Session,
    pub view: EnrolmentView,
    /// Who started it.
    pub operator: String,
    /// The pre-request loaded and not yet confirmed (then the session holds its number).
    pub loaded: Option<PreRequest>,
    /// The lookup in flight, if any.
    pub lookup_ticket: Option<u64>,
    /// A compliant photo waiting for the clerk's "accept".
    pub pending_photo: Option<CheckedPhoto>,
    pub photo_attempts: u32,
    pub photo_busy: bool,
    pub capturing: bool,
    /// The clerk stopped the capture under way: whatever it still brings is dropped.
    pub stop_asked: bool,
    pub extras: std::collections::HashMap<FingerPosition, FingerExtra>,
    pub machine: MachineShare,
    /// Minutiae of the fingers taken so far, for the same-finger check (wiped with the enrolment).
    pub same_finger: super::same_finger::TakenTemplates,
}

impl Enrolment {
    /// Nothing typed or captured yet: may be dropped without asking.
    pub(crate) fn is_blank(&self) -> bool {
        self.loaded.is_none()
            && !self.view.applicant_confirmed
            && self.lookup_ticket.is_none()
            && self.view.receipt.is_none()
    }

    /// The pre-request number, for the suspended banner.
    pub(crate) fn number(&self) -> String {
        self.view
            .pre_request
            .as_ref()
            .map(|p| p.number.clone())
            .unwrap_or_default()
    }

    /// Brings the view's step and fingers in line with the session.
    pub(crate) fn sync(&mut self) {
        if self.view.applicant_confirmed {
            self.view.step = self.session.step().clone();
            self.view.exempt = self.session.is_exempt();
        } else {
            self.view.step = Step::PreRequest;
        }
        let mut fingers = Vec::new();
        let current = self
            .session
            .current_finger()
            .into_iter()
            .map(|f| (f, false));
        for (take, settled) in self
            .session
            .fingers()
            .iter()
            .map(|f| (f, true))
            .chain(current)
        {
            let extra = self.extras.get(&take.position).cloned().unwrap_or_default();
            fingers.push(FingerResult {
                position: take.position,
                attempts: take.attempts,
                best: take.best.as_ref().and(extra.best_picture),
                best_quality: take.best.as_ref().map(|b| b.quality),
                last_quality: extra.last_quality,
                advice: extra.advice,
                below_threshold: take.below_threshold,
                exception: take.exception,
                settled,
            });
        }
        self.view.fingers = fingers;
    }
}

/// The core's state.
pub(crate) struct Core {
    pub config: StationConfig,
    pub texts: Texts,
    pub clock: Monotonic,
    pub inbox: Receiver<Input>,
    pub events: SyncSender<Input>,
    pub uploads: Receiver<UploadEvent>,
    pub shared: Arc<Shared>,
    pub view: CounterView,
    pub operators: Operators,
    pub audit: AuditLog,
    pub outbox: Arc<Outbox>,
    pub reader: OutboxReader,
    pub today: Today,
    pub sealer: Sealer,
    pub uploader: Option<Uploader>,
    pub client: CentralClient,
    pub finger: FingerprintWorker,
    pub camera: Option<CameraWorker>,
    pub fingerprint_device: Option<Device>,
    pub camera_device: Option<Device>,
    pub enrolment: Option<Enrolment>,
    pub suspended: Option<Enrolment>,
    pub next_ticket: u64,
    /// Enrolments opened since the core started: each one's [`EnrolmentView::id`].
    pub enrolments_opened: u64,
    /// Notices raised since the core started: each one's [`Notice::serial`].
    pub notices_raised: u64,
    pub lookups: Vec<JoinHandle<()>>,
    pub last_refresh: Instant,
    pub health: super::central_health::HealthChecks,
    pub technician: super::technician::Technician,
}

impl Core {
    /// Runs until a `Shutdown` command or until every handle is gone.
    pub(crate) fn run(mut self) {
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
            while let Ok(event) = self.uploads.try_recv() {
                self.upload_event(event);
                changed = true;
            }
            if self.last_refresh.elapsed() >= REFRESH_EVERY {
                changed |= self.refresh();
            }
            self.lookups.retain(|h| !h.is_finished());
            self.check_central(false);
            changed |= self.technician_tick();
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
            Input::Technician(report) => self.technician_report(report),
            Input::Handover(report) => self.handover_report(report),
            Input::Health(report) => self.health_report(report),
        }
    }

    fn command(&mut self, command: Command) {
        match command {
            Command::CreateFirstSupervisor { name, secret } => {
                self.create_first_supervisor(&name, &secret);
            }
            Command::SignIn { name, secret } => self.sign_in(&name, &secret),
            Command::SignOut { idle } => self.sign_out(idle),
            Command::ResumeEnrolment => self.resume(),
            Command::LoadPreRequest { number } => self.load_pre_request(&number),
            Command::ConfirmApplicant => self.confirm_applicant(),
            Command::CancelEnrolment => self.cancel_enrolment(),
            Command::StartPreview => self.preview(true),
            Command::StopPreview => self.preview(false),
            Command::CapturePhoto => self.capture_photo(),
            Command::RetakePhoto => self.retake_photo(),
            Command::AcceptPhoto => self.accept_photo(),
            Command::PhotoOnPaper => self.photo_on_paper(),
            Command::CaptureFinger => self.capture_finger(),
            Command::CancelCapture => self.cancel_capture(),
            Command::RetryFinger => self.retry_finger(),
            Command::FingerException(reason) => self.finger_exception(reason),
            Command::ConfirmReview => self.confirm_review(),
            Command::PrintReceipt => self.print_receipt(),
            Command::NextApplicant => self.next_applicant(),
            Command::ApplicantLanguage(language) => {
                if let Some(e) = self.enrolment.as_mut() {
                    e.view.applicant_language = language;
                }
            }
            Command::Search { number } => self.search(&number),
            Command::Handover { number } => self.start_handover(&number),
            Command::CloseHandover => self.close_handover(),
            Command::Technician(command) => self.technician_command(command),
            Command::Refresh => {
                self.refresh();
                self.check_central(true);
            }
            Command::Shutdown => {}
        }
    }

    /// Copies the working view out to the screens and wakes them.
    pub(crate) fn publish(&mut self) {
        if let Some(e) = self.enrolment.as_mut() {
            e.sync();
        }
        self.view.enrolment = self.enrolment.as_ref().map(|e| e.view.clone());
        self.view.suspended = self.suspended.as_ref().map(|e| SuspendedEnrolment {
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
        match self
            .reader
            .view(&self.outbox, &self.config.freeze, &self.texts)
        {
            Ok(outbox) => {
                let same = outbox.queued == self.view.outbox.queued
                    && outbox.sending == self.view.outbox.sending
                    && outbox.acknowledged == self.view.outbox.acknowledged
                    && outbox.recent == self.view.outbox.recent
                    && outbox.frozen == self.view.outbox.frozen;
                if !same {
                    self.view.outbox = outbox;
                    changed = true;
                }
            }
            Err(e) => warn!(error = %e, "outbox not readable"),
        }
        match self.today.summary(&super::clock::today()) {
            Ok(today) if today != self.view.today => {
                self.view.today = today;
                changed = true;
            }
            Ok(_) => {}
            Err(e) => warn!(error = %e, "day's figures not readable"),
        }
        changed
    }

    /// Appends to the audit log as `actor`; a failure is logged (the counter goes on: the log's
    /// gap shows at the next verification).
    pub(crate) fn audit(&self, actor: &str, event: &AuditEvent) {
        if let Err(e) = self.audit.append(actor, event, now_ms()) {
            warn!(error = %e, "audit entry not written");
        }
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

    /// The signed-in operator when they may enrol; otherwise a notice and `None`.
    pub(crate) fn enroller(&mut self) -> Option<SignedIn> {
        match self.view.operator.clone() {
            None => {
                let text = self.plain(Plain::SignInFirst);
                self.notice(true, text);
                None
            }
            Some(o) if !o.role.may_enrol() => {
                let text = self.plain(Plain::NotAllowed);
                self.notice(true, text);
                None
            }
            Some(o) => Some(o),
        }
    }

    /// A fresh session for `operator`, started now, with an id no earlier enrolment had.
    pub(crate) fn new_enrolment(&mut self, operator: &str) -> Enrolment {
        let settings = self.session_settings(operator);
        self.enrolments_opened += 1;
        Enrolment {
            session: Session::new(settings, self.clock.now_ms()),
            view: EnrolmentView {
                id: self.enrolments_opened,
                applicant_language: crate::language::Language::French,
                step: Step::PreRequest,
                pre_request: None,
                pre_request_refusal: None,
                applicant_confirmed: false,
                exempt: false,
                preview: None,
                photo: None,
                photo_on_paper: false,
                fingers: Vec::new(),
                live: None,
                same_finger_alert: None,
                receipt: None,
            },
            operator: operator.to_owned(),
            loaded: None,
            lookup_ticket: None,
            pending_photo: None,
            photo_attempts: 0,
            photo_busy: false,
            capturing: false,
            stop_asked: false,
            extras: std::collections::HashMap::new(),
            machine: MachineShare::default(),
            same_finger: super::same_finger::TakenTemplates::default(),
        }
    }

    pub(crate) fn session_settings(&self, operator: &str) -> SessionSettings {
        let counter = &self.config.counter;
        SessionSettings {
            station_id: self.config.station_id.clone(),
            operator: operator.to_owned(),
            devices: self
                .fingerprint_device
                .iter()
                .chain(self.camera_device.iter())
                .cloned()
                .collect(),
            has_camera: self.config.devices.camera.is_some(),
            quality_threshold: counter.quality_threshold,
            max_attempts: counter.max_attempts,
            quality_algorithm: crate::checks::quality::ALGORITHM.to_owned(),
            quality_version: crate::checks::quality::VERSION.to_owned(),
            enrolment_date: super::clock::local_date(),
        }
    }

    /// The enrolment a device report belongs to: the open one, or the one put aside while the
    /// device was working for it (a capture is never lost to an idle sign-out).
    pub(crate) fn working_enrolment(
        &mut self,
        is_working: impl Fn(&Enrolment) -> bool,
    ) -> Option<&mut Enrolment> {
        if self.enrolment.as_ref().is_some_and(&is_working) {
            return self.enrolment.as_mut();
        }
        if self.suspended.as_ref().is_some_and(&is_working) {
            return self.suspended.as_mut();
        }
        None
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
            }
            UploadEvent::Refused { record_id, error } => {
                warn!(record_id, error, "record refused by the central");
            }
        }
        self.refresh();
    }

    fn shutdown(mut self) {
        // Close the inbox first: a worker blocked on a full channel then fails its send and ends.
        let (_, closed) = std::sync::mpsc::sync_channel(0);
        drop(std::mem::replace(&mut self.inbox, closed));
        if let Some(e) = self.enrolment.as_ref().filter(|e| !e.is_blank()) {
            // Closing the app mid-enrolment loses nothing silently: it is in the log.
            warn!(step = ?e.view.step, "app closed during an enrolment: it is wiped");
        }
        self.technician.stop();
        self.finger.stop();
        if let Some(camera) = self.camera.as_mut() {
            camera.stop();
        }
        if let Some(uploader) = self.uploader.take() {
            uploader.stop();
        }
        for lookup in self.lookups.drain(..) {
            let _ = lookup.join();
        }
        if let Err(e) = self.audit.checkpoint() {
            warn!(error = %e, "audit checkpoint at shutdown failed");
        }
        self.enrolment = None;
        self.suspended = None;
        debug!("counter core stopped");
    }
}
