//! Signed receipts: the central's acknowledgement that a record was stored
//! (format in docs/central-api.md and docs/record-format.md, "Receipt").

use serde::{Deserialize, Serialize};

/// First line of the canonical string a receipt signature covers.
pub const RECEIPT_DOMAIN: &str = "dr-central receipt v1";

/// A receipt as sent to the station and kept by the central.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The record's UUID, as in the request path and the record header.
    pub record_id: String,
    /// Hex SHA-256 of the sealed bytes exactly as received.
    pub sha256: String,
    /// When the central stored the record, RFC 3339 UTC to the second.
    pub received_at: String,
    /// Hex of the 64-byte Ed25519 signature over [`Receipt::canonical_string`].
    pub signature: String,
}

/// Why a receipt does not verify.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    /// The signature field is not 64 bytes of hex.
    #[error("the receipt signature is not 64 bytes of hex")]
    MalformedSignature,
    /// The signature does not match the receipt's fields under the given key.
    #[error("the receipt signature does not verify")]
    BadSignature,
}

/// The UTF-8 string the receipt key signs.
pub fn canonical_string(record_id: &str, sha256: &str, received_at: &str) -> String {
    format!("{RECEIPT_DOMAIN}\nrecord_id={record_id}\nsha256={sha256}\nreceived_at={received_at}\n")
}

impl Receipt {
    /// The canonical string of this receipt's fields.
    pub fn canonical_string(&self) -> String {
        canonical_string(&self.record_id, &self.sha256, &self.received_at)
    }

    /// Builds and signs a receipt with the central's receipt key.
    pub(crate) fn issue(
        keys: &crate::keys::CentralKeys,
        record_id: &str,
        sha256: &str,
        received_at: &str,
    ) -> Self {
        let signature =
            keys.sign_receipt(canonical_string(record_id, sha256, received_at).as_bytes());
        Self {
            record_id: record_id.to_owned(),
            sha256: sha256.to_owned(),
            received_at: received_at.to_owned(),
            signature: hex::encode(signature),
        }
    }

    /// Checks the signature against the central's receipt public key.
    pub fn verify(&self, receipt_public_key: &[u8; 32]) -> Result<(), ReceiptError> {
        let sig = hex::decode(&self.signature).map_err(|_| ReceiptError::MalformedSignature)?;
        if sig.len() != 64 {
            return Err(ReceiptError::MalformedSignature);
        }
        ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, receipt_public_key)
            .verify(self.canonical_string().as_bytes(), &sig)
            .map_err(|_| ReceiptError::BadSignature)
    }
}
