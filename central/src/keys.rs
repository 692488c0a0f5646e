//! The central's two keys: the HPKE X25519 key records are sealed to, and the Ed25519 key that signs
//! receipts. Both are created on first start in `DIR/keys/` with mode 0600 (file names as in
//! docs/central-api.md, "Running it").

use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

use hpke::kem::{Kem as _, X25519HkdfSha256};
use hpke::{Deserializable, Serializable};
use ring::rand::{SecureRandom, SystemRandom};
use ring::signature::{Ed25519KeyPair, KeyPair};

/// File holding the HPKE X25519 private key as 32 raw bytes.
pub const RECORD_KEY_FILE: &str = "record.x25519";
/// File holding the receipt-signing Ed25519 key as PKCS#8.
pub const RECEIPT_KEY_FILE: &str = "receipt.ed25519.p8";

/// What went wrong reading or creating the keys.
#[derive(Debug, thiserror::Error)]
pub enum KeyError {
    /// The key directory or a key file could not be read or written.
    #[error("key file {path}: {source}")]
    Io {
        /// The file or directory concerned.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
    /// A key file exists but does not hold a usable key.
    #[error("key file {path} is not a valid key: {reason}")]
    Invalid {
        /// The file concerned.
        path: PathBuf,
        /// Why it was refused.
        reason: String,
    },
    /// The system random source failed.
    #[error("the system random source failed")]
    Random,
}

/// The public halves, as a station is provisioned with them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PublicKeys {
    /// The HPKE X25519 public key records are sealed to.
    pub record_public_key: [u8; 32],
    /// The Ed25519 public key that verifies receipts.
    pub receipt_public_key: [u8; 32],
    /// Hex SHA-256 of `record_public_key`: the `central_key_id` in a record header.
    pub central_key_id: String,
}

impl PublicKeys {
    /// The two lines `central keys` prints.
    pub fn to_lines(&self) -> String {
        format!(
            "record_public_key={}\nreceipt_public_key={}\n",
            hex::encode(self.record_public_key),
            hex::encode(self.receipt_public_key)
        )
    }
}

/// Hex SHA-256 of an HPKE public key: the `central_key_id` of the record header
/// (docs/record-format.md).
pub fn central_key_id(record_public_key: &[u8; 32]) -> String {
    hex::encode(ring::digest::digest(
        &ring::digest::SHA256,
        record_public_key,
    ))
}

/// The central's private keys, loaded in memory.
pub struct CentralKeys {
    record_private: <X25519HkdfSha256 as hpke::Kem>::PrivateKey,
    receipt: Ed25519KeyPair,
    public: PublicKeys,
}

impl std::fmt::Debug for CentralKeys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CentralKeys")
            .field("public", &self.public)
            .finish_non_exhaustive()
    }
}

impl CentralKeys {
    /// Loads the keys from `DATA/keys/`, creating any that are missing (mode 0600).
    pub fn load_or_create(data_dir: &Path) -> Result<Self, KeyError> {
        let dir = data_dir.join("keys");
        fs::create_dir_all(&dir).map_err(|source| KeyError::Io {
            path: dir.clone(),
            source,
        })?;
        restrict_dir(&dir)?;
        let rng = SystemRandom::new();

        let record_path = dir.join(RECORD_KEY_FILE);
        if !record_path.exists() {
            let mut raw = [0u8; 32];
            rng.fill(&mut raw).map_err(|_| KeyError::Random)?;
            // Store the clamped form, which is what RFC 9180's SerializePrivateKey gives.
            let key =
                <X25519HkdfSha256 as hpke::Kem>::PrivateKey::from_bytes(&raw).map_err(|e| {
                    KeyError::Invalid {
                        path: record_path.clone(),
                        reason: e.to_string(),
                    }
                })?;
            write_private(&record_path, &key.to_bytes())?;
            tracing::info!(path = %record_path.display(), "created the record (HPKE) key");
        }
        let receipt_path = dir.join(RECEIPT_KEY_FILE);
        if !receipt_path.exists() {
            let doc = Ed25519KeyPair::generate_pkcs8(&rng).map_err(|_| KeyError::Random)?;
            write_private(&receipt_path, doc.as_ref())?;
            tracing::info!(path = %receipt_path.display(), "created the receipt (Ed25519) key");
        }
        Self::load(data_dir)
    }

    /// Loads existing keys from `DATA/keys/`.
    pub fn load(data_dir: &Path) -> Result<Self, KeyError> {
        let dir = data_dir.join("keys");
        let record_path = dir.join(RECORD_KEY_FILE);
        let raw = read(&record_path)?;
        let record_private = <X25519HkdfSha256 as hpke::Kem>::PrivateKey::from_bytes(&raw)
            .map_err(|e| KeyError::Invalid {
                path: record_path.clone(),
                reason: format!("{e} (expected 32 raw bytes)"),
            })?;
        let record_public_bytes = X25519HkdfSha256::sk_to_pk(&record_private).to_bytes();
        let mut record_public_key = [0u8; 32];
        record_public_key.copy_from_slice(&record_public_bytes);

        let receipt_path = dir.join(RECEIPT_KEY_FILE);
        let p8 = read(&receipt_path)?;
        let receipt =
            Ed25519KeyPair::from_pkcs8_maybe_unchecked(&p8).map_err(|e| KeyError::Invalid {
                path: receipt_path.clone(),
                reason: e.to_string(),
            })?;
        let mut receipt_public_key = [0u8; 32];
        receipt_public_key.copy_from_slice(receipt.public_key().as_ref());

        Ok(Self {
            record_private,
            receipt,
            public: PublicKeys {
                central_key_id: central_key_id(&record_public_key),
                record_public_key,
                receipt_public_key,
            },
        })
    }

    /// The public halves.
    pub fn public(&self) -> &PublicKeys {
        &self.public
    }

    /// The HPKE private key records are opened with.
    pub(crate) fn record_private(&self) -> &<X25519HkdfSha256 as hpke::Kem>::PrivateKey {
        &self.record_private
    }

    /// Signs `message` with the receipt key.
    pub(crate) fn sign_receipt(&self, message: &[u8]) -> [u8; 64] {
        let sig = self.receipt.sign(message);
        let mut out = [0u8; 64];
        out.copy_from_slice(sig.as_ref());
        out
    }
}

/// The public keys of the central whose data directory is `data_dir` (creating the keys if needed).
pub fn public_keys(data_dir: &Path) -> Result<PublicKeys, KeyError> {
    Ok(CentralKeys::load_or_create(data_dir)?.public)
}

fn read(path: &Path) -> Result<Vec<u8>, KeyError> {
    fs::read(path).map_err(|source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    })
}

fn write_private(path: &Path, bytes: &[u8]) -> Result<(), KeyError> {
    let io = |source| KeyError::Io {
        path: path.to_path_buf(),
        source,
    };
    let mut options = fs::OpenOptions::new();
    options.write(true).create_new(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(path).map_err(io)?;
    file.write_all(bytes).map_err(io)?;
    file.sync_all().map_err(io)?;
    Ok(())
}

fn restrict_dir(dir: &Path) -> Result<(), KeyError> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        fs::set_permissions(dir, fs::Permissions::from_mode(0o700)).map_err(|source| {
            KeyError::Io {
                path: dir.to_path_buf(),
                source,
            }
        })?;
    }
    Ok(())
}
