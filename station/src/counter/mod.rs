//! The counter core: the one place that applies what the screens ask. It owns the enrolment session,
//! the operators, the audit log, the outbox, the sealer, the uploader and a worker thread per
//! device; the UI sends [`Command`]s on a bounded channel and renders the [`CounterView`] the core
//! publishes after every change (docs/architecture.md, "Threads and channels in the app"). No I/O
//! on the UI thread, no lock held across I/O. `station selftest` drives the same core without a
//! screen.

mod camera_worker;
mod central_health;
pub(crate) mod clock;
pub mod command;
mod core;
mod error;
mod fingerprint_worker;
mod fingers;
mod handle;
mod handover;
mod input;
mod lookup;
mod outbox_rows;
mod photo;
mod picture;
mod pre_request;
mod review;
mod same_finger;
mod sign_in;
mod technician;
pub mod technician_command;
mod technician_jobs;
pub mod technician_view;
pub(crate) mod texts;
pub mod timings;
mod today;
pub mod view;

pub use command::Command;
pub use error::CounterError;
pub use handle::Counter;
pub use handover::{HandoverStage, HandoverView};
pub use technician_command::TechnicianCommand;
pub use technician_view::TechnicianView;
pub use timings::{EnrolmentTimings, MachineShare};
pub use today::median;
pub use view::{
    Busy, CapturePrompt, CentralStatus, CounterView, DeviceStatus, DevicesView, EnrolmentView,
    FingerResult, LiveCapture, Notice, OutboxRow, OutboxView, PhotoResult, Picture, ReceiptView,
    SearchAnswer, SuspendedEnrolment, TodayView,
};
