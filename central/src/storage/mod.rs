//! Persistence: the central's state (SQLite by default, or PostgreSQL) and the record object
//! store. Handlers call [`Database`] and never see which database answers.

pub mod announcements;
pub mod checkpoints;
pub mod database;
pub mod enrolments;
pub mod local_records;
pub mod objects;
pub mod paper_forms;
pub mod postgres;
pub mod private;
pub mod tax_stamps;

pub use announcements::{AnnouncementStored, MissingRecord};
pub use checkpoints::CheckpointVerdict;
pub use database::{Database, DatabaseChoice, DatabaseError};
pub use enrolments::{CertificateRow, CertificateStanding, StationListing, StoredCode};
pub use objects::{ObjectError, ObjectStoreConfig, RecordStore, S3Config};
