//! The enrolment station's core: enrolment flow, quality checks, records, sealing, outbox, uploader.

pub mod checks;
pub mod cli;
