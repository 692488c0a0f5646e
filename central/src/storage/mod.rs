//! Persistence: the SQLite state and the record object store.

pub mod announcements;
pub mod checkpoints;
pub mod database;
pub mod enrolments;
pub mod local_records;
pub mod objects;
pub mod paper_forms;
pub mod private;
pub mod tax_stamps;

pub use announcements::{AnnouncementStored, MissingRecord};
pub use checkpoints::CheckpointVerdict;
pub use database::{Database, DatabaseError};
pub use enrolments::{CertificateRow, CertificateStanding, StationListing, StoredCode};
pub use objects::{ObjectError, ObjectStoreConfig, RecordStore, S3Config};
