//! The uploader: background threads that drain the outbox to the central, with bounded concurrency,
//! exponential backoff with jitter, receipt verification, then purge. It resumes by itself after a
//! restart because everything it needs is in the outbox.

use std::{
    sync::{
        Arc, Condvar, Mutex,
        atomic::{AtomicBool, AtomicI64, AtomicU32, Ordering},
        mpsc::SyncSender,
    },
    thread::JoinHandle,
    time::Duration,
};

use rand::Rng;
use serde::{Deserialize, Serialize};

use super::{CentralClient, Receipt, ReceiptCheck, UplinkError};
use crate::outbox::{Claimed, Outbox, now_ms};

/// How the uploader behaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default, deny_unknown_fields)]
pub struct UploaderSettings {
    /// Records in flight at once (threads), 1..=16.
    pub concurrency: usize,
    /// First retry delay, ms.
    pub initial_backoff_ms: u64,
    /// Longest retry delay, ms (also used for records the central refused).
    pub max_backoff_ms: u64,
    /// How often an idle uploader looks for due records, ms.
    pub idle_poll_ms: u64,
}

impl Default for UploaderSettings {
    fn default() -> Self {
        Self {
            concurrency: 2,
            initial_backoff_ms: 500,
            max_backoff_ms: 300_000,
            idle_poll_ms: 1_000,
        }
    }
}

/// Progress, for the UI and the technician.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum UploadEvent {
    /// The central acknowledged the record; the receipt is stored and the record purged.
    Acknowledged {
        /// Record id.
        record_id: String,
        /// When the central received it.
        received_at: String,
    },
    /// The attempt failed for a passing reason; the record stays queued.
    RetryLater {
        /// Record id.
        record_id: String,
        /// Failed attempts so far.
        attempts: u32,
        /// Why.
        error: String,
        /// When the next attempt may happen.
        retry_in: Duration,
    },
    /// The central refused the record; it stays queued for the technician, retried only at the
    /// longest delay.
    Refused {
        /// Record id.
        record_id: String,
        /// Why.
        error: String,
    },
    /// The central refused the record for the audit checkpoint it carried (this station's audit
    /// log lost entries, or is not signed by its key): every record is refused alike until a
    /// technician looks. The record stays queued at the longest delay; the home screen shows the
    /// alarm.
    CheckpointRefused {
        /// Record id.
        record_id: String,
        /// Why.
        error: String,
    },
    /// The central answered the upload, again, with something that is not a valid receipt: a
    /// misconfigured or hostile central. The record stays queued and is retried soon; the home
    /// screen shows the alarm.
    ReceiptAlarm {
        /// Record id.
        record_id: String,
        /// Failed attempts so far.
        attempts: u32,
        /// The latest reason.
        error: String,
    },
}

/// The longest wait before sending again a record whose answer was not a valid receipt: the
/// central is up (it answered), so the record is not parked at the network's longest backoff.
pub const BAD_RECEIPT_MAX_DELAY: Duration = Duration::from_secs(30);
/// Answers that are not receipts, for one record, before the alarm.
pub const BAD_RECEIPT_ALARM_AFTER: u32 = 3;

/// The running uploader. Dropping it stops and joins its threads.
#[derive(Debug)]
pub struct Uploader {
    shared: Arc<Shared>,
    threads: Vec<JoinHandle<()>>,
}

#[derive(Debug)]
struct Shared {
    outbox: Arc<Outbox>,
    client: CentralClient,
    receipt_key: [u8; 32],
    settings: UploaderSettings,
    events: Option<SyncSender<UploadEvent>>,
    stop: AtomicBool,
    wake: (Mutex<u64>, Condvar),
    /// No claim before this time (ms): the central looked down.
    paused_until_ms: AtomicI64,
    consecutive_failures: AtomicU32,
    /// One thread sends announcements at a time.
    announcing: AtomicBool,
    /// Where the latest audit checkpoint is read for every upload, when the station keeps one.
    checkpoints: Option<crate::audit::CheckpointReader>,
}

impl Uploader {
    /// Starts `settings.concurrency` threads draining `outbox` to `client`, checking receipts with
    /// `receipt_key`. Events go to `events` when given (never blocking: dropped if the channel is
    /// full).
    pub fn start(
        outbox: Arc<Outbox>,
        client: CentralClient,
        receipt_key: [u8; 32],
        settings: UploaderSettings,
        events: Option<SyncSender<UploadEvent>>,
    ) -> Self {
        Self::start_with_checkpoints(outbox, client, receipt_key, settings, events, None)
    }

    /// As [`Uploader::start`], every upload carrying the latest checkpoint read by `checkpoints`.
    pub fn start_with_checkpoints(
        outbox: Arc<Outbox>,
        client: CentralClient,
        receipt_key: [u8; 32],
        settings: UploaderSettings,
        events: Option<SyncSender<UploadEvent>>,
        checkpoints: Option<crate::audit::CheckpointReader>,
    ) -> Self {
        let shared = Arc::new(Shared {
            outbox,
            client,
            receipt_key,
            settings,
            events,
            stop: AtomicBool::new(false),
            wake: (Mutex::new(0), Condvar::new()),
            paused_until_ms: AtomicI64::new(0),
            consecutive_failures: AtomicU32::new(0),
            announcing: AtomicBool::new(false),
            checkpoints,
        });
        let threads = (0..settings.concurrency.clamp(1, 16))
            .filter_map(|i| {
                let shared = Arc::clone(&shared);
                std::thread::Builder::new()
                    .name(format!("uploader-{i}"))
                    .spawn(move || shared.run())
                    .map_err(|e| tracing::error!(error = %e, "cannot start an uploader thread"))
                    .ok()
            })
            .collect();
        Self { shared, threads }
    }

    /// Tells the uploader a record was just queued (it would find it at the next poll anyway).
    pub fn wake(&self) {
        self.shared.wake_all();
    }

    /// The central answers again after an outage: the pause and every record's wait are lifted, so
    /// that what waited all day leaves now rather than at the end of the longest backoff.
    pub fn resume_now(&self) {
        self.shared.paused_until_ms.store(0, Ordering::SeqCst);
        self.shared.consecutive_failures.store(0, Ordering::SeqCst);
        match self.shared.outbox.retry_now(now_ms()) {
            Ok(n) => tracing::info!(records = n, "central back: queued records retried now"),
            Err(e) => tracing::warn!(error = %e, "queued records not made due"),
        }
        self.shared.wake_all();
    }

    /// Stops the threads after their current upload and waits for them.
    pub fn stop(mut self) {
        self.stop_and_join();
    }

    fn stop_and_join(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        self.shared.wake_all();
        for t in self.threads.drain(..) {
            let _ = t.join();
        }
    }
}

impl Drop for Uploader {
    fn drop(&mut self) {
        self.stop_and_join();
    }
}

impl Shared {
    fn wake_all(&self) {
        if let Ok(mut n) = self.wake.0.lock() {
            *n = n.wrapping_add(1);
        }
        self.wake.1.notify_all();
    }

    fn sleep(&self, how_long: Duration) {
        let Ok(guard) = self.wake.0.lock() else {
            return;
        };
        let seen = *guard;
        let _ = self.wake.1.wait_timeout_while(guard, how_long, |n| {
            *n == seen && !self.stop.load(Ordering::SeqCst)
        });
    }

    fn run(&self) {
        let idle = Duration::from_millis(self.settings.idle_poll_ms.max(1));
        while !self.stop.load(Ordering::SeqCst) {
            let paused = self.paused_until_ms.load(Ordering::SeqCst) - now_ms();
            if paused > 0 {
                self.sleep(Duration::from_millis(paused.unsigned_abs()).min(idle));
                continue;
            }
            self.announce();
            match self.outbox.claim_due(1) {
                Ok(mut claimed) => match claimed.pop() {
                    Some(record) => self.upload(record),
                    None => self.sleep(idle),
                },
                Err(e) => {
                    tracing::error!(error = %e, "outbox unavailable to the uploader");
                    self.sleep(idle);
                }
            }
        }
    }

    /// Sends the announcements waiting, ahead of the records: the central learns of a record
    /// before it can be lost. A failure leaves them for the next round (records go on).
    fn announce(&self) {
        if self.announcing.swap(true, Ordering::SeqCst) {
            return;
        }
        if let Err(error) = super::announcements::send_unsent(&self.outbox, &self.client) {
            tracing::warn!(%error, "announcements not sent; will retry");
        }
        self.announcing.store(false, Ordering::SeqCst);
    }

    fn backoff(&self, attempts: u32) -> Duration {
        let base = self.settings.initial_backoff_ms.max(1);
        let max = self.settings.max_backoff_ms.max(base);
        let full = base.saturating_mul(1u64 << attempts.min(30)).min(max);
        // "Equal jitter": between half and all of the delay, so stations do not retry in step.
        Duration::from_millis(rand::rng().random_range(full / 2..=full))
    }

    fn emit(&self, event: UploadEvent) {
        if let Some(tx) = &self.events {
            let _ = tx.try_send(event);
        }
    }

    fn upload(&self, record: Claimed) {
        let id = record.record_id.as_str();
        let checkpoint = self.checkpoints.as_ref().and_then(|reader| {
            reader
                .latest()
                .map_err(|e| tracing::error!(error = %e, "audit checkpoint not read"))
                .ok()
                .flatten()
        });
        let outcome = self
            .client
            .put_record_with_checkpoint(id, &record.sealed, checkpoint.as_ref())
            .and_then(|body| {
                let receipt = Receipt::parse(&body)?;
                receipt.verify(&self.receipt_key, id, &record.sha256)?;
                Ok(receipt)
            });
        match outcome {
            Ok(receipt) => {
                self.consecutive_failures.store(0, Ordering::SeqCst);
                let stored = self
                    .outbox
                    .acknowledge(id, &receipt.to_json())
                    .and_then(|()| self.outbox.purge(id, &self.receipt_key));
                match stored {
                    Ok(()) => {
                        tracing::info!(record_id = id, received_at = %receipt.received_at, "record acknowledged and purged");
                        self.emit(UploadEvent::Acknowledged {
                            record_id: id.to_owned(),
                            received_at: receipt.received_at,
                        });
                    }
                    Err(e) => {
                        // The central has it; sending again later gets the same receipt.
                        tracing::error!(record_id = id, error = %e, "receipt could not be stored");
                        let _ = self.outbox.release_failed(id, &e.to_string(), now_ms());
                    }
                }
            }
            Err(error) if error.is_transient() => {
                let failures = self.consecutive_failures.fetch_add(1, Ordering::SeqCst) + 1;
                let delay = self.backoff(record.attempts.max(failures.saturating_sub(1)));
                let retry_at =
                    now_ms().saturating_add(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX));
                // The central (or the line) looks down: every thread waits, not just this record.
                self.paused_until_ms.fetch_max(retry_at, Ordering::SeqCst);
                tracing::warn!(record_id = id, error = %error, retry_in_ms = delay.as_millis() as u64, "upload failed, will retry");
                if let Err(e) = self.outbox.release_failed(id, &error.to_string(), retry_at) {
                    tracing::error!(record_id = id, error = %e, "could not requeue the record");
                }
                self.emit(UploadEvent::RetryLater {
                    record_id: id.to_owned(),
                    attempts: record.attempts + 1,
                    error: error.to_string(),
                    retry_in: delay,
                });
            }
            Err(error @ UplinkError::Receipt(_)) => self.bad_receipt(&record, &error),
            Err(error) => self.refused(&record, &error),
        }
    }

    /// A 200 whose body is not a valid receipt for what was sent. Not the network (no pause of the
    /// other threads), not a refusal of the record: retried soon with the usual growth but at most
    /// [`BAD_RECEIPT_MAX_DELAY`], and alarmed from the [`BAD_RECEIPT_ALARM_AFTER`]th time on.
    fn bad_receipt(&self, record: &Claimed, error: &UplinkError) {
        let id = record.record_id.as_str();
        let attempts = record.attempts + 1;
        let delay = self.backoff(record.attempts).min(BAD_RECEIPT_MAX_DELAY);
        let retry_at =
            now_ms().saturating_add(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX));
        if let Err(e) = self.outbox.release_failed(id, &error.to_string(), retry_at) {
            tracing::error!(record_id = id, error = %e, "could not requeue the record");
        }
        if attempts >= BAD_RECEIPT_ALARM_AFTER {
            tracing::error!(record_id = id, attempts, error = %error, "the central's answers are not receipts");
            self.emit(UploadEvent::ReceiptAlarm {
                record_id: id.to_owned(),
                attempts,
                error: error.to_string(),
            });
        } else {
            tracing::warn!(record_id = id, attempts, error = %error, retry_in_ms = delay.as_millis() as u64, "the answer is not a receipt, will retry");
            self.emit(UploadEvent::RetryLater {
                record_id: id.to_owned(),
                attempts,
                error: error.to_string(),
                retry_in: delay,
            });
        }
    }

    fn refused(&self, record: &Claimed, error: &UplinkError) {
        let id = record.record_id.as_str();
        let delay = Duration::from_millis(self.settings.max_backoff_ms);
        let retry_at =
            now_ms().saturating_add(i64::try_from(delay.as_millis()).unwrap_or(i64::MAX));
        tracing::error!(record_id = id, error = %error, "upload refused; the record stays queued");
        if let Err(e) = self.outbox.release_failed(id, &error.to_string(), retry_at) {
            tracing::error!(record_id = id, error = %e, "could not requeue the record");
        }
        let record_id = id.to_owned();
        let error_text = error.to_string();
        self.emit(if error.is_audit_checkpoint_refused() {
            UploadEvent::CheckpointRefused {
                record_id,
                error: error_text,
            }
        } else {
            UploadEvent::Refused {
                record_id,
                error: error_text,
            }
        });
    }
}
