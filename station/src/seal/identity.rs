//! The station's Ed25519 identity: created at first start, kept in a 0600 PKCS#8 file, used to
//! sign every sealed record.

use std::{
    fs,
    io::Write,
    os::unix::fs::{OpenOptionsExt, PermissionsExt},
    path::{Path, PathBuf},
};

use ring::{
    rand::SystemRandom,
    signature::{Ed25519KeyPair, KeyPair},
};

use super::SealError;

/// The station's signing key.
pub struct StationIdentity {
    key_pair: Ed25519KeyPair,
    path: PathBuf,
}

impl std::fmt::Debug for StationIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("StationIdentity")
            .field("path", &self.path)
            .field("public_key", &self.public_key_hex())
            .finish()
    }
}

impl StationIdentity {
    /// The key file's usual place under the data directory.
    pub fn default_path(data_dir: &Path) -> PathBuf {
        data_dir.join("keys").join("station.ed25519.p8")
    }

    /// Loads the key, or creates it (mode 0600, written to a temporary file, synced, then renamed,
    /// so a crash never leaves half a key behind). A key file readable by others is tightened.
    pub fn load_or_create(path: &Path) -> Result<Self, SealError> {
        let io = |source| SealError::KeyFile {
            path: path.to_path_buf(),
            source,
        };
        if !path.exists() {
            let dir = path.parent().unwrap_or(Path::new("."));
            fs::create_dir_all(dir).map_err(io)?;
            let _ = fs::set_permissions(dir, fs::Permissions::from_mode(0o700));
            let pkcs8 = Ed25519KeyPair::generate_pkcs8(&SystemRandom::new())
                .map_err(|_| SealError::Crypto("Ed25519 key generation"))?;
            let tmp = path.with_extension("p8.tmp");
            let _ = fs::remove_file(&tmp);
            let mut file = fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(&tmp)
                .map_err(io)?;
            file.write_all(pkcs8.as_ref()).map_err(io)?;
            file.sync_all().map_err(io)?;
            fs::rename(&tmp, path).map_err(io)?;
            fs::File::open(dir).and_then(|d| d.sync_all()).map_err(io)?;
            tracing::info!(path = %path.display(), "station identity created");
        }
        let meta = fs::metadata(path).map_err(io)?;
        if meta.permissions().mode() & 0o077 != 0 {
            tracing::warn!(path = %path.display(), "station key was readable by others; set to 0600");
            fs::set_permissions(path, fs::Permissions::from_mode(0o600)).map_err(io)?;
        }
        let bytes = zeroize::Zeroizing::new(fs::read(path).map_err(io)?);
        let key_pair = Ed25519KeyPair::from_pkcs8(&bytes)
            .map_err(|_| SealError::BadKeyFile(path.to_path_buf()))?;
        Ok(Self {
            key_pair,
            path: path.to_path_buf(),
        })
    }

    /// The raw 32-byte public key, as registered with the central.
    pub fn public_key(&self) -> [u8; 32] {
        let mut out = [0u8; 32];
        out.copy_from_slice(self.key_pair.public_key().as_ref());
        out
    }

    /// The public key in hex (sent to the central at enrolment, `station provision`).
    pub fn public_key_hex(&self) -> String {
        hex::encode(self.public_key())
    }

    /// Signs `message` (Ed25519, 64 bytes).
    pub fn sign(&self, message: &[u8]) -> [u8; 64] {
        let mut out = [0u8; 64];
        out.copy_from_slice(self.key_pair.sign(message).as_ref());
        out
    }
}
