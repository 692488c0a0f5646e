//! The wire format between the enrolment station and the national service, defined once.
//!
//! Both sides build against these types, so a field cannot drift between the writer and the reader.
//! Each message has golden bytes in `wire/golden/` (see `wire/golden/README.md`): the station's writer must
//! produce them and the central's reader must accept them, and a changed golden file fails a test.
//!
//! Only serde types, constants and the sealed record's framing live here. Sealing, opening and
//! signatures (HPKE, Ed25519) stay in each side, so that neither trusts the other's crypto code; the
//! only hash here derives the case reference, which both sides must compute alike.

pub mod announcement;
pub mod appointments;
pub mod audit_checkpoint;
pub mod case_reference;
pub mod civil_status;
pub mod error_body;
pub mod fingerprint_storage;
pub mod handover;
pub mod headers;
pub mod manifest;
pub mod paper_form;
pub mod paths;
pub mod payload_entries;
pub mod physical;
pub mod prerequest;
pub mod provisioning;
pub mod receipt;
pub mod sealed;
pub mod signature;
pub mod station_id;
pub mod tax_stamp;
pub mod town_hall;

#[cfg(feature = "golden")]
pub mod golden;

pub use error_body::ErrorBody;
pub use manifest::Manifest;
pub use prerequest::PreRequest;
pub use receipt::Receipt;
pub use sealed::RecordHeader;
