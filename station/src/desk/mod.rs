//! The clerk's desk: the core thread, the one place that applies what the screens ask. It owns its
//! parts, each with its own state: the desk's session (the enrolment open and the one put aside),
//! the stores (operators, audit log, outbox, day's figures, sealer), the devices (a worker thread
//! per device), the link with the national service (client, uploader) and the technician's. The
//! UI sends [`Command`]s on a bounded channel and renders the [`CounterView`] the core publishes
//! after every change (docs/architecture.md, "Threads and channels in the app"). No I/O on the UI
//! thread, no lock held across I/O. `station selftest` drives the same core without a screen.

mod approval;
mod awaiting_row;
mod camera_worker;
mod central_link;
pub(crate) mod clock;
pub mod command;
mod core;
mod countdown;
mod desk_session;
mod devices;
mod error;
mod fingerprint_worker;
mod fingers;
mod handle;
mod handover;
mod handover_check;
mod input;
mod lookup;
mod outbox_rows;
mod paper_form;
mod paper_form_view;
mod permission;
mod photo;
mod physical;
mod picture;
mod pre_request;
mod qr_reading;
mod qr_reading_view;
mod report;
mod retention;
mod retention_run;
mod review;
mod same_finger;
mod sign_in;
pub mod signature;
mod signature_view;
mod stamp_check;
mod storage_refusal;
mod stores;
mod tax_stamp;
mod tax_stamp_view;
mod technician;
mod technician_actions;
pub mod technician_command;
mod technician_jobs;
pub mod technician_view;
pub(crate) mod texts;
pub mod timings;
mod today;
mod tour;
mod tour_worker;
pub mod view;

pub use command::Command;
pub use error::CounterError;
pub use handle::Counter;
pub use handover_check::{HandoverStage, HandoverView};
pub use paper_form_view::{FormField, PaperFormEntry, PaperFormView};
pub use permission::{Permission, Refused};
pub use qr_reading_view::QrReadingView;
pub use signature_view::SignatureView;
pub use tax_stamp_view::{AcceptedStamp, TaxStampView};
pub use technician_command::TechnicianCommand;
pub use technician_view::TechnicianView;
pub use timings::{EnrolmentTimings, MachineShare};
pub use today::median;
pub use tour_worker::TourView;
pub use view::{
    AwaitingRow, Busy, CapturePrompt, CentralStatus, CounterView, DeviceStatus, DevicesView,
    EnrolmentView, FingerResult, LiveCapture, Notice, OutboxRow, OutboxView, PhotoResult,
    PhysicalView, Picture, ReceiptView, SearchAnswer, SuspendedEnrolment, TodayView,
};
