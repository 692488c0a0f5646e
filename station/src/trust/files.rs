//! Where the station keeps its TLS trust, under the data directory's `keys/` (mode 0600, the
//! directory 0700): the national CA, its client certificate, and its client key.

use std::io::Write;
use std::path::{Path, PathBuf};

use super::TrustError;

/// The three trust files of a station.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TrustFiles {
    /// The national CA certificate (PEM): the only issuer the station trusts for the central.
    pub ca: PathBuf,
    /// The station's client certificate (PEM), issued by the national CA.
    pub certificate: PathBuf,
    /// The station's TLS private key (ECDSA P-256): the label of the key in the token, or in
    /// development the key itself (PKCS#8 PEM).
    pub key: PathBuf,
    /// The token the TLS key is made in and used from (the station key's, from `[identity]`);
    /// none in development.
    pub token: Option<crate::seal::TokenSettings>,
}

impl TrustFiles {
    /// The usual places under the data directory.
    pub fn under(data_dir: &Path) -> Self {
        let keys = data_dir.join("keys");
        Self {
            ca: keys.join("central-ca.pem"),
            certificate: keys.join("tls-client.pem"),
            key: keys.join("tls-client.key.pem"),
            token: None,
        }
    }

    /// The same files, the TLS key in `token`.
    pub fn in_token(self, token: Option<crate::seal::TokenSettings>) -> Self {
        Self { token, ..self }
    }

    /// Reads a trust file.
    pub fn read(path: &Path) -> Result<Vec<u8>, TrustError> {
        std::fs::read(path).map_err(|source| TrustError::Missing {
            path: path.to_path_buf(),
            source,
        })
    }
}

/// Writes a file readable by its owner only, whole (temporary file, sync, rename), so that a crash
/// never leaves half a key or certificate.
pub(crate) fn write_private(path: &Path, bytes: &[u8]) -> Result<(), TrustError> {
    use std::os::unix::fs::{OpenOptionsExt, PermissionsExt};
    let error = |source| TrustError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dir = path.parent().unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir).map_err(error)?;
    let _ = std::fs::set_permissions(dir, std::fs::Permissions::from_mode(0o700));
    let partial = path.with_extension("partial");
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create(true)
        .truncate(true)
        .mode(0o600)
        .open(&partial)
        .map_err(error)?;
    file.write_all(bytes).map_err(error)?;
    file.sync_all().map_err(error)?;
    std::fs::rename(&partial, path).map_err(error)?;
    Ok(())
}
