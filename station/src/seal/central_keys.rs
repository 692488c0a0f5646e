//! The central's public keys, from provisioning: where records are sealed to, and who signs receipts.

use ring::digest;

use super::SealError;

/// The two public keys the station needs from the central.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CentralKeys {
    /// HPKE X25519 public key records are sealed to.
    pub record_public_key: [u8; 32],
    /// Ed25519 public key that signs receipts.
    pub receipt_public_key: [u8; 32],
}

impl CentralKeys {
    /// Reads the keys from the 64-hex-digit forms `central keys` prints.
    pub fn from_hex(record_public_key: &str, receipt_public_key: &str) -> Result<Self, SealError> {
        Ok(Self {
            record_public_key: parse_key(record_public_key, "record_public_key")?,
            receipt_public_key: parse_key(receipt_public_key, "receipt_public_key")?,
        })
    }

    /// `central_key_id`: hex SHA-256 of the 32-byte X25519 public key (docs/record-format.md).
    pub fn key_id(&self) -> String {
        hex::encode(digest::digest(&digest::SHA256, &self.record_public_key))
    }
}

fn parse_key(text: &str, name: &str) -> Result<[u8; 32], SealError> {
    let bytes = hex::decode(text.trim())
        .map_err(|e| SealError::BadConfiguredKey(format!("{name}: {e}")))?;
    bytes.try_into().map_err(|_| {
        SealError::BadConfiguredKey(format!("{name}: expected 32 bytes (64 hex digits)"))
    })
}
