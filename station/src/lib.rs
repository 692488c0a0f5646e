//! The enrolment station's core: enrolment flow, quality checks, records, sealing, outbox, uploader.

pub mod audit;
pub mod calibration;
pub mod checks;
pub mod cli;
pub mod config;
pub mod desk;
pub mod enrolment;
pub mod files;
pub mod language;
pub mod mobile;
pub mod operators;
pub mod outbox;
pub mod receipt_slip;
pub mod record;
pub mod retention;
pub mod seal;
pub mod trust;
pub mod ui;
pub mod uplink;

// Clerk- and applicant-facing texts (station/locales/*.yml), French unless a text is missing.
rust_i18n::i18n!("locales", fallback = "fr");
