//! Persistence: the SQLite state and the record object store.

pub mod database;
pub mod objects;

pub use database::{Database, DatabaseError};
pub use objects::{ObjectError, ObjectStoreConfig, RecordStore, S3Config};
