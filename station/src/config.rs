//! The station's configuration file (TOML). Other parts of the station add their own sections.

use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

use crate::{
    outbox::FreezeLimits,
    seal::{CentralKeys, SealError, StationIdentity},
    uplink::{CentralClient, HttpSettings, UploaderSettings},
};

/// Everything the station reads at start-up.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StationConfig {
    /// Where the outbox and the station key live.
    pub data_dir: PathBuf,
    /// This station's registered id, e.g. `mairie-lyon-03-p1`.
    pub station_id: String,
    /// The national service.
    pub central: CentralSettings,
    /// When new enrolments are refused.
    #[serde(default)]
    pub freeze: FreezeLimits,
    /// The background uploader.
    #[serde(default)]
    pub uploader: UploaderSettings,
    /// HTTP timeouts.
    #[serde(default)]
    pub http: HttpSettings,
}

/// Where the central is and its public keys (from `central keys`).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CentralSettings {
    /// Base URL, e.g. `http://127.0.0.1:8443`.
    pub url: String,
    /// The `x-rdv-opt-auth-token` value.
    pub token: String,
    /// `record_public_key` hex.
    pub record_public_key: String,
    /// `receipt_public_key` hex.
    pub receipt_public_key: String,
}

/// The configuration could not be read.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// The file could not be read.
    #[error("configuration {path}: {source}")]
    Read {
        /// The file.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
    /// The file is not valid TOML for this structure.
    #[error("configuration {path}: {message}")]
    Parse {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// A key in it is malformed.
    #[error(transparent)]
    Key(#[from] SealError),
}

impl StationConfig {
    /// Reads and checks a TOML file.
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|source| ConfigError::Read {
            path: path.into(),
            source,
        })?;
        let config: Self = toml::from_str(&text).map_err(|e| ConfigError::Parse {
            path: path.into(),
            message: e.to_string(),
        })?;
        config.central_keys()?;
        Ok(config)
    }

    /// The TOML text of this configuration.
    pub fn to_toml(&self) -> String {
        toml::to_string(self).unwrap_or_default()
    }

    /// The outbox database file.
    pub fn outbox_path(&self) -> PathBuf {
        self.data_dir.join("outbox.sqlite")
    }

    /// The station key file.
    pub fn identity_path(&self) -> PathBuf {
        StationIdentity::default_path(&self.data_dir)
    }

    /// The central's public keys.
    pub fn central_keys(&self) -> Result<CentralKeys, SealError> {
        CentralKeys::from_hex(
            &self.central.record_public_key,
            &self.central.receipt_public_key,
        )
    }

    /// An HTTP client for the central.
    pub fn central_client(&self) -> CentralClient {
        CentralClient::new(&self.central.url, &self.central.token, self.http)
    }
}
