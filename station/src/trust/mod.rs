//! The station's trust in the central and the central's in the station (docs/central-api.md,
//! "Trust"): the national CA the station was provisioned with (the only one it trusts), its TLS
//! client certificate and key, the one-time-code enrolment that gives them, and their renewal.

pub mod client_key;
pub mod enrol;
pub mod files;
pub mod renewal;
pub mod tls_config;
pub mod token_key;
pub mod validity;

pub use client_key::ClientKey;
pub use enrol::{Provisioned, provision};
pub use files::TrustFiles;
pub use tls_config::tls_config;

use std::path::PathBuf;

/// Why the station's TLS trust could not be set up or used.
#[derive(Debug, thiserror::Error)]
pub enum TrustError {
    /// The central's URL is not `https://`: records and lookups never travel in clear.
    #[error("the central's URL {0} is not https:// (plain HTTP is refused)")]
    NotHttps(String),
    /// A trust file is missing or unreadable: the station was not provisioned.
    #[error(
        "TLS file {path}: {source} (provision the station first: station provision --central URL --ca FILE --code CODE)"
    )]
    Missing {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// A trust file holds no usable certificate or key.
    #[error("TLS file {path} is not valid: {reason}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// Why.
        reason: String,
    },
    /// A trust file could not be written.
    #[error("TLS file {path}: {source}")]
    Write {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The key or the CSR could not be made.
    #[error("TLS key: {0}")]
    Key(String),
    /// The central refused the enrolment or the renewal.
    #[error("the central refused: {0}")]
    Refused(String),
    /// The central could not be reached, or did not prove itself with the provisioned CA.
    #[error("central unreachable: {0}")]
    Transport(String),
}
