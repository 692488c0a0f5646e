//! Which station key the configuration names (`[identity]` in station.toml) and opening it.
//!
//! ```toml
//! [identity]
//! kind = "pkcs11"                          # production: the key in a token
//! module = "/usr/lib/x86_64-linux-gnu/pkcs11/libtpm2_pkcs11.so"
//! token_label = "station"
//! key_label = "station-signing"
//! pin_file = "/etc/dr-station/token.pin"   # or STATION_TOKEN_PIN in the environment
//! ```
//!
//! `kind = "file"` (an Ed25519 key in `keys/station.ed25519.p8` under the data directory) is for
//! development only: refused unless the station runs in development mode.

use std::{path::Path, sync::Arc};

use serde::{Deserialize, Serialize};

use super::{
    SealError, StationIdentity,
    signer::SharedSigner,
    token::{TokenKey, TokenSettings},
};

/// Where the station's signing key is.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "lowercase", deny_unknown_fields)]
pub enum IdentitySettings {
    /// An Ed25519 key in a file of the data directory, created at first start: development only
    /// (a copy of the disk is a copy of the key).
    #[default]
    File,
    /// An ECDSA P-256 key in a PKCS#11 token, which never leaves it.
    Pkcs11(TokenSettings),
}

/// Opens the configured key. A file key outside development mode is refused.
pub fn open_signer(
    settings: &IdentitySettings,
    data_dir: &Path,
    development: bool,
) -> Result<SharedSigner, SealError> {
    match settings {
        IdentitySettings::File if !development => Err(SealError::FileKeyInProduction),
        IdentitySettings::File => Ok(Arc::new(StationIdentity::load_or_create(
            &StationIdentity::default_path(data_dir),
        )?)),
        IdentitySettings::Pkcs11(token) => Ok(Arc::new(
            TokenKey::open(token).map_err(|e| SealError::Token(Box::new(e)))?,
        )),
    }
}
