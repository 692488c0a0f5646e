//! Which algorithm signed a sealed record, and a station's public key with its algorithm.
//!
//! Records sealed before the header named its algorithm were signed with Ed25519 (a key in a file);
//! a station whose key lives in a token (a TPM 2.0 chip, a smart-card HSM, SoftHSM2 in tests) signs
//! with ECDSA P-256, which those tokens all implement. The central keeps each station's key with its
//! algorithm and verifies a record with the algorithm it registered, never one the header chooses
//! alone.

use serde::{Deserialize, Serialize};

/// A station signature algorithm. Both give 64-byte signatures (ECDSA as r ‖ s, 32 bytes each).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum SignatureAlgorithm {
    /// Ed25519 (RFC 8032) over the signed bytes; the public key is 32 raw bytes.
    #[serde(rename = "Ed25519")]
    Ed25519,
    /// ECDSA on P-256 over SHA-256 of the signed bytes, signature r ‖ s (64 bytes); the public
    /// key is the uncompressed SEC 1 point (65 bytes, `04` ‖ x ‖ y).
    #[serde(rename = "ECDSA-P256-SHA256")]
    EcdsaP256Sha256,
}

impl SignatureAlgorithm {
    /// The name in the header and on the command lines.
    pub fn name(self) -> &'static str {
        match self {
            Self::Ed25519 => "Ed25519",
            Self::EcdsaP256Sha256 => "ECDSA-P256-SHA256",
        }
    }

    /// The algorithm called `name` ([`SignatureAlgorithm::name`]).
    pub fn from_name(name: &str) -> Option<Self> {
        [Self::Ed25519, Self::EcdsaP256Sha256]
            .into_iter()
            .find(|a| a.name() == name)
    }

    /// The length of a public key of this algorithm, in bytes.
    pub fn public_key_length(self) -> usize {
        match self {
            Self::Ed25519 => 32,
            Self::EcdsaP256Sha256 => 65,
        }
    }
}

impl std::fmt::Display for SignatureAlgorithm {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.name())
    }
}

/// A station's public key and the algorithm it is for.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct StationPublicKey {
    /// The algorithm.
    pub algorithm: SignatureAlgorithm,
    /// The key: 32 bytes for Ed25519, the 65-byte uncompressed point for ECDSA P-256.
    pub bytes: Vec<u8>,
}

/// A public key does not fit its algorithm.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{algorithm} public key: {reason}")]
pub struct BadPublicKey {
    /// The algorithm it was given for.
    pub algorithm: SignatureAlgorithm,
    /// What is wrong.
    pub reason: String,
}

impl StationPublicKey {
    /// A key of `algorithm`, checked for its length (and, for P-256, the uncompressed form).
    pub fn new(algorithm: SignatureAlgorithm, bytes: Vec<u8>) -> Result<Self, BadPublicKey> {
        let bad = |reason: String| BadPublicKey { algorithm, reason };
        if bytes.len() != algorithm.public_key_length() {
            return Err(bad(format!(
                "{} bytes, expected {}",
                bytes.len(),
                algorithm.public_key_length()
            )));
        }
        if algorithm == SignatureAlgorithm::EcdsaP256Sha256 && bytes.first() != Some(&0x04) {
            return Err(bad("not an uncompressed point (04 ‖ x ‖ y)".into()));
        }
        Ok(Self { algorithm, bytes })
    }

    /// A key of `algorithm` given in hex.
    pub fn from_hex(algorithm: SignatureAlgorithm, text: &str) -> Result<Self, BadPublicKey> {
        let bytes = hex::decode(text.trim()).map_err(|e| BadPublicKey {
            algorithm,
            reason: e.to_string(),
        })?;
        Self::new(algorithm, bytes)
    }

    /// The key in hex.
    pub fn to_hex(&self) -> String {
        hex::encode(&self.bytes)
    }
}

/// A raw 32-byte key is an Ed25519 key: how stations were registered before keys had algorithms.
impl From<&[u8; 32]> for StationPublicKey {
    fn from(key: &[u8; 32]) -> Self {
        Self {
            algorithm: SignatureAlgorithm::Ed25519,
            bytes: key.to_vec(),
        }
    }
}

impl From<&StationPublicKey> for StationPublicKey {
    fn from(key: &StationPublicKey) -> Self {
        key.clone()
    }
}

impl From<[u8; 32]> for StationPublicKey {
    fn from(key: [u8; 32]) -> Self {
        Self::from(&key)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_round_trip_and_keys_are_checked() {
        for a in [
            SignatureAlgorithm::Ed25519,
            SignatureAlgorithm::EcdsaP256Sha256,
        ] {
            assert_eq!(SignatureAlgorithm::from_name(a.name()), Some(a));
        }
        assert!(StationPublicKey::new(SignatureAlgorithm::EcdsaP256Sha256, vec![4; 65]).is_ok());
        assert!(StationPublicKey::new(SignatureAlgorithm::EcdsaP256Sha256, vec![2; 65]).is_err());
        assert!(StationPublicKey::new(SignatureAlgorithm::Ed25519, vec![0; 33]).is_err());
    }
}
