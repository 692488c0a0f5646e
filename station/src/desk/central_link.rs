//! The link with the national service, a part of the core that owns its state: the client, the
//! uploader and its events, the short-lived threads that ask the service (lookups, handover
//! checks, health checks), and whether it answers, for the home screen. Its health is asked when
//! the core starts, every half minute, and when the clerk refreshes (F5), on a short-lived thread
//! so that the core keeps answering while the service is slow. Pre-request lookups and uploads
//! say it too, as they come.

use std::{
    sync::mpsc::Receiver,
    thread::JoinHandle,
    time::{Duration, Instant},
};

use tracing::{debug, warn};

use super::{report::Reporter, view::CentralStatus};
use crate::uplink::{CentralClient, UploadEvent, Uploader};

/// How often the service is asked when nothing else has talked to it.
const CHECK_EVERY: Duration = Duration::from_secs(30);

/// The answer to one health check.
#[derive(Debug)]
pub(crate) struct HealthReport {
    /// Whether the service answered as itself.
    pub answered: bool,
}

/// The core's link with the national service.
pub(crate) struct CentralLink {
    /// Asks the service (lookups, handover checks).
    pub client: CentralClient,
    uploader: Option<Uploader>,
    /// What the uploader did.
    pub uploads: Receiver<UploadEvent>,
    health: Reporter<HealthReport>,
    in_flight: bool,
    last_asked: Option<Instant>,
    threads: Vec<JoinHandle<()>>,
    /// The last health check found the service away.
    was_down: bool,
}

impl CentralLink {
    /// The link: health answers go to `health`.
    pub(crate) fn new(
        client: CentralClient,
        uploader: Uploader,
        uploads: Receiver<UploadEvent>,
        health: Reporter<HealthReport>,
    ) -> Self {
        Self {
            client,
            uploader: Some(uploader),
            uploads,
            health,
            in_flight: false,
            last_asked: None,
            threads: Vec::new(),
            was_down: false,
        }
    }

    /// Asks the service when a check is due (or at once with `now`), unless one is under way.
    /// True when a check was started.
    pub(crate) fn check(&mut self, now: bool) -> bool {
        if self.in_flight {
            return false;
        }
        let due = self.last_asked.is_none_or(|t| t.elapsed() >= CHECK_EVERY);
        if !(now || due) {
            return false;
        }
        self.last_asked = Some(Instant::now());
        match start(self.client.clone(), self.health.clone()) {
            Ok(handle) => {
                self.in_flight = true;
                self.threads.push(handle);
                true
            }
            Err(e) => {
                warn!(error = %e, "national service check not started");
                false
            }
        }
    }

    /// A health check answered: what the home screen shows.
    pub(crate) fn answered(&mut self, report: &HealthReport) -> CentralStatus {
        self.in_flight = false;
        // Back after an outage: the records that waited leave now (see `Uploader::resume_now`).
        if report.answered
            && self.was_down
            && let Some(uploader) = &self.uploader
        {
            uploader.resume_now();
        }
        self.was_down = !report.answered;
        CentralStatus::answered(report.answered)
    }

    /// An upload found the service away: the next answer from it resumes the uploader.
    pub(crate) fn seen_down(&mut self) {
        self.was_down = true;
    }

    /// Keeps a thread that asks the service, to be joined at shutdown.
    pub(crate) fn keep(&mut self, thread: JoinHandle<()>) {
        self.threads.push(thread);
    }

    /// Forgets the threads that have finished.
    pub(crate) fn reap(&mut self) {
        self.threads.retain(|h| !h.is_finished());
    }

    /// A record was queued: the uploader looks at the outbox now.
    pub(crate) fn wake_uploader(&self) {
        if let Some(uploader) = &self.uploader {
            uploader.wake();
        }
    }

    /// Stops the uploader and waits for every thread.
    pub(crate) fn stop(&mut self) {
        if let Some(uploader) = self.uploader.take() {
            uploader.stop();
        }
        for thread in self.threads.drain(..) {
            let _ = thread.join();
        }
    }
}

fn start(client: CentralClient, events: Reporter<HealthReport>) -> std::io::Result<JoinHandle<()>> {
    std::thread::Builder::new()
        .name("central-health".into())
        .spawn(move || {
            let answered = match client.health() {
                Ok(()) => true,
                Err(e) => {
                    debug!(error = %e, "national service did not answer");
                    false
                }
            };
            // The core may be gone (shutdown): then nobody needs the answer.
            events.send(HealthReport { answered });
        })
}
