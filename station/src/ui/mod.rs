//! The clerk's app and the applicant's window, in egui. The screens render the
//! [`CounterView`](crate::desk::CounterView) the desk's core publishes and send it
//! [`Command`](crate::desk::Command)s; they do no I/O (docs/architecture.md, "Threads and
//! channels in the app"). One screen per file; [`StationApp`] picks the screen from the view.

mod app;
mod applicant;
mod approval;
mod cx;
mod fingers;
mod hand_drawing;
mod handover;
mod home;
mod idle;
mod keys;
mod link;
mod paper_form;
mod photo;
mod pictures;
mod pre_request;
mod qr_camera;
mod queue;
mod receipt;
mod review;
mod review_signature;
mod settings;
mod setup;
mod sign_in;
mod sign_in_hints;
mod signature_pad;
mod storage_question;
mod tax_stamp;
mod technician;
mod texts;
mod theme;
mod tour;
mod widgets;

pub use app::{APP_TITLE, StationApp};
pub use applicant::ApplicantScreen;
pub use link::CounterLink;
pub use settings::AppSettings;
pub use sign_in_hints::{SignInHints, Wording};
