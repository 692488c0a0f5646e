//! The counter core: the one place that applies what the screens ask. It owns the enrolment session,
//! the operators, the audit log, the outbox, the sealer, the uploader and a worker thread per
//! device; the UI sends [`Command`]s on a bounded channel and renders the [`CounterView`] the core
//! publishes after every change (ARCHITECTURE.md, "Threads and channels in the app"). No I/O on the
//! UI thread, no lock held across I/O. `station selftest` drives the same core without a screen.

pub mod command;
pub mod view;

pub use command::Command;
pub use view::{
    Busy, CapturePrompt, CounterView, DeviceStatus, DevicesView, EnrolmentView, FingerResult,
    LiveCapture, Notice, OutboxRow, OutboxView, PhotoResult, Picture, ReceiptView, SearchAnswer,
    SuspendedEnrolment, TodayView,
};
