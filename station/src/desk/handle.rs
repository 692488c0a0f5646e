//! The handle the app and `station selftest` hold: start the core, send it commands, read the
//! view it publishes, wait for a state, stop it.

use std::{
    sync::{
        Arc, Condvar, Mutex,
        mpsc::{SyncSender, TrySendError, sync_channel},
    },
    thread::JoinHandle,
    time::{Duration, Instant},
};

use tracing::warn;

use super::{
    Command, CounterError, CounterView, DeviceStatus,
    camera_worker::CameraWorker,
    central_link::CentralLink,
    core::{Core, Shared},
    devices::Devices,
    fingerprint_worker::FingerprintWorker,
    input::{CHANNEL_CAPACITY, Input, reporter},
    outbox_rows::OutboxReader,
    stores::Stores,
    technician::Technician,
    texts::Texts,
    timings::EnrolmentTimings,
    today::Today,
};
use crate::{
    audit::{AuditEvent, AuditLog, CheckpointReader, DEFAULT_CHECKPOINT_EVERY},
    config::StationConfig,
    operators::{LockoutPolicy, Operators},
    outbox::Outbox,
    seal::Sealer,
    uplink::Uploader,
};

/// Upload events waiting for the core at most (the uploader drops events beyond, never blocks).
const UPLOAD_EVENTS: usize = 256;

/// The running counter core. Dropping it stops the core, the device workers and the uploader.
pub struct Counter {
    sender: SyncSender<Input>,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Counter {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Counter")
            .field("running", &self.thread.is_some())
            .finish_non_exhaustive()
    }
}

impl Counter {
    /// Opens the stores under `config.data_dir` (accounts, audit log, outbox, day's figures),
    /// starts the uploader and a worker per configured device, and the core thread. `repaint` is
    /// called after every new view (the app passes egui's `request_repaint`).
    pub fn start(
        config: StationConfig,
        repaint: Arc<dyn Fn() + Send + Sync>,
    ) -> Result<Counter, CounterError> {
        // Made private if new; whatever is there must be private already (a looser mode means
        // someone changed it): checked before any store opens.
        crate::files::create_private_dir(&config.data_dir)?;
        crate::files::check_data_dir(&config.data_dir)?;
        // Read before the accounts file is opened (which creates it empty when missing).
        let was_set_up = crate::audit::history::accounts_were_created(&AuditLog::default_path(
            &config.data_dir,
        ))?;
        // One key, opened once: a token allows one logged-in session per application. Opened
        // first: a station key the configuration may not use is the first thing to say.
        let signer = config.signer()?;
        let counter = &config.counter;
        let operators = Operators::open_station(
            &config,
            LockoutPolicy {
                max_failures: counter.lockout_failures.max(1),
                lockout_ms: counter.lockout_minutes.saturating_mul(60_000),
            },
        )?;
        let audit = AuditLog::open(
            &AuditLog::default_path(&config.data_dir),
            Arc::clone(&signer),
            DEFAULT_CHECKPOINT_EVERY,
        )?;
        let keys = config.central_keys()?;
        let sealer = Sealer {
            signer,
            central: keys.clone(),
            station_id: config.station_id.clone(),
        };
        let outbox = Arc::new(Outbox::open(&config.outbox_path())?);
        // The accounts' secret also hashes pre-request numbers at the receipt (one secret, one
        // token session).
        let number_key: crate::outbox::SharedNumberKey = Arc::new(operators.key());
        outbox.hash_numbers_with(Arc::clone(&number_key))?;
        let unproven = outbox.purge_proven(&keys.receipt_public_key)?;
        // A mobile kit's list is encrypted with the same secret; a day already past is deleted
        // before anything else reads it.
        let day_list = config.mode.mobile.then(|| {
            let list = crate::mobile::DayList::open(&config.data_dir, Arc::clone(&number_key));
            if let Err(e) = list.forget_if_past(&super::clock::today()) {
                warn!(error = %e, "past day list not deleted");
            }
            list
        });
        let reader = OutboxReader::open(&config.outbox_path(), Some(number_key))?;
        let today = Today::open(&Today::default_path(&config.data_dir))?;
        // A certificate with less than a third of its validity left is renewed before the client
        // is built with it (nothing happens, and no network is used, otherwise).
        crate::trust::renewal::renew_if_due(&config.central.url, &config.trust_files());
        let client = config.central_client();

        let (sender, inbox) = sync_channel(CHANNEL_CAPACITY);
        let (upload_sender, uploads) = sync_channel(UPLOAD_EVENTS);
        let thread = |what: &'static str| move |source| CounterError::Thread { what, source };
        let technician = Technician::start(&config);
        let finger = FingerprintWorker::start(
            config.devices.fingerprint.clone(),
            reporter(&sender, Input::Finger),
            technician.flat_field.clone(),
        )
        .map_err(thread("fingerprint"))?;
        let camera = match config.devices.camera.clone() {
            Some(port) => Some(
                CameraWorker::start(port, reporter(&sender, Input::Camera))
                    .map_err(thread("camera"))?,
            ),
            None => None,
        };
        let uploader = Uploader::start_with_checkpoints(
            Arc::clone(&outbox),
            client.clone(),
            keys.receipt_public_key,
            config.uploader,
            Some(upload_sender),
            Some(CheckpointReader::open(&AuditLog::default_path(
                &config.data_dir,
            ))?),
        );

        let no_account = operators.needs_first_supervisor()?;
        // A station that was set up and has no account left lost its accounts file: an alarm,
        // not a first start (which would let anyone make themselves supervisor).
        let accounts_lost = no_account && was_set_up;
        let mut view = CounterView {
            needs_first_supervisor: no_account && !accounts_lost,
            accounts_lost,
            ..CounterView::default()
        };
        let texts = Texts {
            language: config.ui.language,
        };
        if accounts_lost {
            warn!("accounts missing on a station already set up");
            if let Err(e) = audit.append(
                "station",
                &AuditEvent::AccountsMissing,
                crate::outbox::now_ms(),
            ) {
                warn!(error = %e, "alarm not written to the audit log");
            }
            view.alarms.push(texts.accounts_missing());
        }
        let tampering = operators.check()?;
        if !tampering.is_clean() {
            warn!(accounts = ?tampering.accounts, roster_changed = tampering.roster_changed, "account rows do not verify");
            if let Err(e) = audit.append(
                "station",
                &AuditEvent::AccountsTampered {
                    accounts: tampering.accounts.clone(),
                    roster_changed: tampering.roster_changed,
                },
                crate::outbox::now_ms(),
            ) {
                warn!(error = %e, "alarm not written to the audit log");
            }
            view.alarms.push(texts.accounts_tampered(&tampering));
        }
        for u in unproven {
            // A failed audit write must not hide the alarm: it is on screen either way.
            if let Err(e) = audit.append(
                "station",
                &AuditEvent::UnprovenAcknowledgement {
                    record_id: u.record_id.clone(),
                    reason: u.reason,
                },
                crate::outbox::now_ms(),
            ) {
                warn!(error = %e, "alarm not written to the audit log");
            }
            view.alarms
                .push(texts.unproven_acknowledgement(&u.record_id));
        }
        if config.devices.camera.is_some() {
            view.devices.camera = Some(DeviceStatus::default());
        }
        let shared = Arc::new(Shared {
            view: Mutex::new(view),
            changed: Condvar::new(),
            repaint,
            timings: Mutex::new(Vec::new()),
        });
        let stores = Stores {
            operators,
            audit,
            outbox,
            reader,
            today,
            sealer,
            day_list,
        };
        let devices = Devices {
            finger,
            camera,
            fingerprint_device: None,
            camera_device: None,
        };
        let central = CentralLink::new(client, uploader, uploads, reporter(&sender, Input::Health));
        let core = Core::new(
            config,
            (sender.clone(), inbox),
            Arc::clone(&shared),
            stores,
            devices,
            central,
            technician,
        );
        let thread = std::thread::Builder::new()
            .name("counter-core".into())
            .spawn(move || core.run())
            .map_err(thread("counter core"))?;
        Ok(Counter {
            sender,
            shared,
            thread: Some(thread),
        })
    }

    /// Hands a command to the core without blocking. False (and logged) when the core is busy
    /// with too many inputs or stopped.
    pub fn send(&self, command: Command) -> bool {
        match self.sender.try_send(Input::Command(command)) {
            Ok(()) => true,
            Err(TrySendError::Full(_)) => {
                warn!("counter core busy: command dropped");
                false
            }
            Err(TrySendError::Disconnected(_)) => {
                warn!("counter core stopped: command dropped");
                false
            }
        }
    }

    /// The latest view (a cheap clone: pictures are shared).
    pub fn view(&self) -> CounterView {
        self.shared
            .view
            .lock()
            .map(|v| v.clone())
            .unwrap_or_default()
    }

    /// Waits until the published view satisfies `ready`, or `timeout` passes (`None`).
    pub fn wait_for(
        &self,
        ready: impl Fn(&CounterView) -> bool,
        timeout: Duration,
    ) -> Option<CounterView> {
        let deadline = Instant::now() + timeout;
        let mut view = self.shared.view.lock().ok()?;
        loop {
            if ready(&view) {
                return Some(view.clone());
            }
            let left = deadline.checked_duration_since(Instant::now())?;
            view = self.shared.changed.wait_timeout(view, left).ok()?.0;
        }
    }

    /// The timings of every enrolment sealed since the core started, oldest first.
    pub fn timings(&self) -> Vec<EnrolmentTimings> {
        self.shared
            .timings
            .lock()
            .map(|t| t.clone())
            .unwrap_or_default()
    }

    /// Stops the core: devices and uploader stopped cleanly, every thread joined.
    pub fn stop(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        let Some(thread) = self.thread.take() else {
            return;
        };
        // A blocking send: the core drains its inbox all the time.
        let _ = self.sender.send(Input::Command(Command::Shutdown));
        let _ = thread.join();
    }
}

impl Drop for Counter {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}
