//! Whether the national service answers, for the home screen: asked when the core starts, every
//! half minute, and when the clerk refreshes (F5), on a short-lived thread so that the core keeps
//! answering while the service is slow. Pre-request lookups and uploads say it too, as they come.

use std::{
    sync::mpsc::SyncSender,
    time::{Duration, Instant},
};

use tracing::{debug, warn};

use super::{core::Core, input::Input, view::CentralStatus};

/// How often the service is asked when nothing else has talked to it.
const CHECK_EVERY: Duration = Duration::from_secs(30);

/// The answer to one health check.
#[derive(Debug)]
pub(crate) struct HealthReport {
    /// Whether the service answered as itself.
    pub answered: bool,
}

impl Core {
    /// Asks the service when a check is due (or at once with `now`), unless one is under way.
    /// True when a check was started.
    pub(crate) fn check_central(&mut self, now: bool) -> bool {
        if self.health.in_flight {
            return false;
        }
        let due = self
            .health
            .last_asked
            .is_none_or(|t| t.elapsed() >= CHECK_EVERY);
        if !(now || due) {
            return false;
        }
        self.health.last_asked = Some(Instant::now());
        match start(self.client.clone(), self.events.clone()) {
            Ok(handle) => {
                self.health.in_flight = true;
                self.lookups.push(handle);
                true
            }
            Err(e) => {
                warn!(error = %e, "national service check not started");
                false
            }
        }
    }

    pub(crate) fn health_report(&mut self, report: HealthReport) {
        self.health.in_flight = false;
        self.view.devices.central = CentralStatus::answered(report.answered);
    }
}

/// The core's memory of its checks.
#[derive(Debug, Default)]
pub(crate) struct HealthChecks {
    in_flight: bool,
    last_asked: Option<Instant>,
}

fn start(
    client: crate::uplink::CentralClient,
    events: SyncSender<Input>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
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
            let _ = events.send(Input::Health(HealthReport { answered }));
        })
}
