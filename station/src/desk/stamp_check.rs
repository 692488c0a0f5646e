//! The tax stamp check, on a short-lived thread as the pre-request lookup, so that the core keeps
//! answering while the national service is asked.

use std::time::Instant;

use wire::tax_stamp::StampNumber;

use super::report::Reporter;
use crate::uplink::{CentralClient, UplinkError, tax_stamp::StampAnswer};

/// The answer to one check.
#[derive(Debug)]
pub(crate) struct StampReport {
    /// Which check this answers (a newer one, or another applicant, makes it stale).
    pub ticket: u64,
    /// The number asked about.
    pub number: StampNumber,
    /// What the central said, or why it could not be asked.
    pub outcome: Result<StampAnswer, UplinkError>,
}

/// Starts a check; its report arrives on `events`.
pub(crate) fn start(
    client: CentralClient,
    number: StampNumber,
    ticket: u64,
    events: Reporter<StampReport>,
) -> std::io::Result<std::thread::JoinHandle<()>> {
    std::thread::Builder::new()
        .name("tax-stamp".into())
        .spawn(move || {
            let started = Instant::now();
            let outcome = client.tax_stamp(&number);
            tracing::debug!(
                elapsed_ms = started.elapsed().as_millis() as u64,
                ok = outcome.is_ok(),
                "tax stamp asked"
            );
            events.send(StampReport {
                ticket,
                number,
                outcome,
            });
        })
}
