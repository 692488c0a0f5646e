//! What reaches the core thread: the screens' commands and the workers' reports, on one bounded
//! channel (docs/architecture.md, "Threads and channels in the app").

use super::{
    Command, camera_worker::CameraReport, fingerprint_worker::FingerReport, lookup::LookupReport,
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
    Technician(super::technician_jobs::TechnicianReport),
    /// A handover check finished.
    Handover(super::handover::HandoverReport),
    /// A check of the national service finished.
    Health(super::central_health::HealthReport),
}

/// Capacity of the core's channel: commands come at human speed, progress reports are dropped
/// rather than queued when it is full.
pub(crate) const CHANNEL_CAPACITY: usize = 64;
