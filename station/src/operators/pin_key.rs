//! The key every stored PIN hash and every account row is bound to: an HMAC-SHA256 secret in the
//! station's token (production), so that a copy of `operators.sqlite` tests no PIN guess offline
//! and an edited row (a failure count put back to zero, a role raised) no longer verifies. In
//! development (`[identity] kind = "file"`) the secret is a 0600 file beside the file key, which
//! a copy of the disk copies too.

use std::{
    io::Write,
    os::unix::fs::{OpenOptionsExt, PermissionsExt},
    path::{Path, PathBuf},
    sync::Arc,
};

use ring::{
    hmac,
    rand::{SecureRandom, SystemRandom},
};
use zeroize::Zeroizing;

use super::OperatorError;
use crate::seal::{IdentitySettings, TokenSecret};

/// Length of a tag.
pub const TAG_LENGTH: usize = 32;

/// Computes and checks HMAC-SHA256 tags with a key the caller never sees.
pub trait PinMac: Send + Sync + std::fmt::Debug {
    /// The tag of `message`.
    fn mac(&self, message: &[u8]) -> Result<[u8; TAG_LENGTH], OperatorError>;
    /// Whether `tag` is the tag of `message` (compared in constant time).
    fn verify(&self, message: &[u8], tag: &[u8]) -> Result<bool, OperatorError>;
}

/// The accounts' key, and whether it was made just now (only then may rows from before it be
/// adopted: see [`super::Operators::open`]).
#[derive(Debug, Clone)]
pub struct PinKey {
    mac: Arc<dyn PinMac>,
    /// The key did not exist before this opening.
    pub created: bool,
}

impl PinKey {
    /// The label of the accounts' secret in the token, beside the station key's.
    pub fn token_label(station_key_label: &str) -> String {
        format!("{station_key_label}.operators")
    }

    /// The development key file's usual place under the data directory.
    pub fn default_file(data_dir: &Path) -> PathBuf {
        data_dir.join("keys").join("operators.hmac")
    }

    /// Opens the key `[identity]` names: the token's secret (created in it the first time), or
    /// the development file. A file key outside development mode is refused, as for the
    /// station key.
    pub fn open(
        identity: &IdentitySettings,
        data_dir: &Path,
        development: bool,
    ) -> Result<Self, OperatorError> {
        match identity {
            IdentitySettings::File if !development => Err(OperatorError::Key(
                crate::seal::SealError::FileKeyInProduction.to_string(),
            )),
            IdentitySettings::File => Self::from_file(&Self::default_file(data_dir)),
            IdentitySettings::Pkcs11(token) => {
                let (secret, created) =
                    TokenSecret::open_or_create(token, &Self::token_label(&token.key_label))
                        .map_err(|e| OperatorError::Key(e.to_string()))?;
                Ok(Self {
                    mac: Arc::new(InToken(secret)),
                    created,
                })
            }
        }
    }

    /// A development key in a 0600 file, created when missing. A file others can read is
    /// refused.
    pub fn from_file(path: &Path) -> Result<Self, OperatorError> {
        let io = |e: std::io::Error| OperatorError::Key(format!("{}: {e}", path.display()));
        let mut created = false;
        if !path.exists() {
            let dir = path.parent().unwrap_or(Path::new("."));
            crate::files::create_private_dir(dir)
                .map_err(|e| OperatorError::Key(format!("{}: {e}", dir.display())))?;
            let mut key = Zeroizing::new([0u8; TAG_LENGTH]);
            SystemRandom::new()
                .fill(key.as_mut())
                .map_err(|_| OperatorError::Random)?;
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create_new(true)
                .mode(0o600)
                .open(path)
                .map_err(io)?;
            file.write_all(key.as_ref()).map_err(io)?;
            file.sync_all().map_err(io)?;
            created = true;
        }
        let meta = std::fs::metadata(path).map_err(io)?;
        if meta.permissions().mode() & 0o077 != 0 {
            return Err(OperatorError::Key(format!(
                "{} is readable by others than the station's user (expected mode 0600)",
                path.display()
            )));
        }
        let bytes = Zeroizing::new(std::fs::read(path).map_err(io)?);
        if bytes.len() != TAG_LENGTH {
            return Err(OperatorError::Key(format!(
                "{} does not hold a key",
                path.display()
            )));
        }
        Ok(Self {
            mac: Arc::new(InMemory(hmac::Key::new(hmac::HMAC_SHA256, &bytes))),
            created,
        })
    }

    /// The tag of `message`.
    pub fn mac(&self, message: &[u8]) -> Result<[u8; TAG_LENGTH], OperatorError> {
        self.mac.mac(message)
    }

    /// Whether `tag` is the tag of `message`.
    pub fn verify(&self, message: &[u8], tag: &[u8]) -> Result<bool, OperatorError> {
        self.mac.verify(message, tag)
    }
}

/// The token's secret.
#[derive(Debug)]
struct InToken(TokenSecret);

impl PinMac for InToken {
    fn mac(&self, message: &[u8]) -> Result<[u8; TAG_LENGTH], OperatorError> {
        self.0
            .mac(message)
            .map_err(|e| OperatorError::Key(e.to_string()))
    }

    fn verify(&self, message: &[u8], tag: &[u8]) -> Result<bool, OperatorError> {
        self.0
            .verify(message, tag)
            .map_err(|e| OperatorError::Key(e.to_string()))
    }
}

/// The development file's secret, in memory.
struct InMemory(hmac::Key);

impl std::fmt::Debug for InMemory {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("InMemory")
    }
}

impl PinMac for InMemory {
    fn mac(&self, message: &[u8]) -> Result<[u8; TAG_LENGTH], OperatorError> {
        let tag = hmac::sign(&self.0, message);
        <[u8; TAG_LENGTH]>::try_from(tag.as_ref()).map_err(|_| OperatorError::BadStoredHash)
    }

    fn verify(&self, message: &[u8], tag: &[u8]) -> Result<bool, OperatorError> {
        Ok(hmac::verify(&self.0, message, tag).is_ok())
    }
}

/// The same secret hashes pre-request numbers in the outbox (under a domain of their own).
impl crate::outbox::NumberKey for PinKey {
    fn mac(&self, message: &[u8]) -> Result<[u8; TAG_LENGTH], String> {
        self.mac.mac(message).map_err(|e| e.to_string())
    }
}
