//! The station's Ed25519 key in a 0600 PKCS#8 file, created at first start: the development
//! station key (`[identity] kind = "file"`). Whoever copies the disk copies it, which is why
//! production keeps the key in a token (`token.rs`).

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
    public: super::StationPublicKey,
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
            crate::files::create_private_dir(dir).map_err(|e| SealError::KeyFile {
                path: path.to_path_buf(),
                source: std::io::Error::other(e),
            })?;
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
            // Someone loosened it: a copy may already be elsewhere. Refuse rather than tighten it
            // quietly, so that a person looks.
            return Err(SealError::LooseKeyFile(path.to_path_buf()));
        }
        let bytes = zeroize::Zeroizing::new(fs::read(path).map_err(io)?);
        let key_pair = Ed25519KeyPair::from_pkcs8(&bytes)
            .map_err(|_| SealError::BadKeyFile(path.to_path_buf()))?;
        let public = super::StationPublicKey {
            algorithm: super::SignatureAlgorithm::Ed25519,
            bytes: key_pair.public_key().as_ref().to_vec(),
        };
        Ok(Self {
            key_pair,
            path: path.to_path_buf(),
            public,
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

impl super::Signer for StationIdentity {
    fn station_key(&self) -> &super::StationPublicKey {
        &self.public
    }

    fn sign_message(&self, message: &[u8]) -> Result<[u8; 64], SealError> {
        Ok(self.sign(message))
    }
}
