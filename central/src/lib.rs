//! The reference national service the station talks to (docs/central-api.md): pre-request lookup
//! shaped like the ANTS coordination API, intake of sealed records, signed receipts, and the
//! handover decision (the reference templates never leave it).
//!
//! Library use (tests, the station's demo), as `station/tests/local_station_env` does:
//! ```text
//! let config = central::CentralConfig::new("/tmp/central-data");
//! let running = central::Central::start(config)?;
//! println!("central at {}", running.url());
//! ```

pub mod announcements;
pub mod audit_checkpoints;
pub mod enrolment;
pub mod handover;
pub mod intake;
pub mod keys;
pub mod prerequests;
pub mod prints;
pub mod receipts;
pub mod running;
pub mod server;
pub mod stations;
pub mod storage;
pub mod tax_stamps;
pub mod templates;
pub mod trust;

pub use keys::{PublicKeys, public_keys};
pub use prerequests::Catalogue;
pub use receipts::{Receipt, VerifyReceipt};
pub use running::{Central, CentralConfig, CentralError, PreRequestSource, RunningCentral};
pub use storage::{ObjectStoreConfig, S3Config};
