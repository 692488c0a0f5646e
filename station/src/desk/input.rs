//! What reaches the core thread: the screens' commands and the workers' reports, on one bounded
//! channel (docs/architecture.md, "Threads and channels in the app"). The workers never see the
//! channel: each gets a [`Reporter`] of its own report type made here.

use std::sync::mpsc::{SyncSender, TrySendError};

use super::{
    Command,
    camera_worker::CameraReport,
    central_link::HealthReport,
    fingerprint_worker::FingerReport,
    handover_check::{HandoverReport, SubjectReport},
    lookup::LookupReport,
    report::{Delivery, Reporter},
    stamp_check::StampReport,
    technician_jobs::TechnicianReport,
};

/// One message for the core thread.
#[derive(Debug)]
pub(crate) enum Input {
    /// From the screens (or selftest).
    Command(Command),
    /// From the fingerprint module's worker.
    Finger(FingerReport),
    /// From the camera's worker.
    Camera(CameraReport),
    /// A pre-request lookup finished.
    Lookup(LookupReport),
    /// A technician's routine reports.
    Technician(TechnicianReport),
    /// The central said what it holds for a handover's number.
    HandoverSubject(SubjectReport),
    /// A handover check finished.
    Handover(HandoverReport),
    /// A check of the national service finished.
    Health(HealthReport),
    /// A mobile kit's tour was prepared, or not.
    Tour(super::tour_worker::TourReport),
    /// A tax stamp check finished.
    TaxStamp(StampReport),
}

/// Capacity of the core's channel: commands come at human speed, progress reports are dropped
/// rather than queued when it is full.
pub(crate) const CHANNEL_CAPACITY: usize = 64;

/// A reporter that puts each report on the core's channel as `wrap(report)`.
pub(crate) fn reporter<R: 'static>(
    sender: &SyncSender<Input>,
    wrap: fn(R) -> Input,
) -> Reporter<R> {
    let sender = sender.clone();
    Reporter::new(move |report, wait| {
        let input = wrap(report);
        if wait {
            match sender.send(input) {
                Ok(()) => Delivery::Taken,
                Err(_) => Delivery::CoreGone,
            }
        } else {
            match sender.try_send(input) {
                Ok(()) => Delivery::Taken,
                Err(TrySendError::Full(_)) => Delivery::Skipped,
                Err(TrySendError::Disconnected(_)) => Delivery::CoreGone,
            }
        }
    })
}
