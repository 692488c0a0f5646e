//! The central's signed receipt: checked against what was sent before anything is purged.

use ring::signature;
use serde::{Deserialize, Serialize};

/// A receipt as the central sends it (docs/record-format.md, "Receipt").
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Receipt {
    /// The record's id.
    pub record_id: String,
    /// Hex SHA-256 of the sealed bytes as received.
    pub sha256: String,
    /// RFC 3339 UTC.
    pub received_at: String,
    /// Hex of the 64-byte Ed25519 signature over [`Receipt::canonical_string`].
    pub signature: String,
}

/// Why a receipt was refused.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReceiptError {
    /// Not the agreed JSON.
    #[error("not a receipt: {0}")]
    Malformed(String),
    /// The receipt is for another record.
    #[error("receipt for record {got}, expected {expected}")]
    WrongRecord {
        /// The id sent.
        expected: String,
        /// The id in the receipt.
        got: String,
    },
    /// The central received other bytes than we sent.
    #[error("receipt hash {got} differs from the sealed file's {expected}")]
    WrongHash {
        /// What we sent.
        expected: String,
        /// What the central says it received.
        got: String,
    },
    /// The signature does not verify with the central's receipt key.
    #[error("the receipt signature does not verify")]
    BadSignature,
}

impl Receipt {
    /// Parses a receipt body strictly: fields present, well formed.
    pub fn parse(body: &[u8]) -> Result<Self, ReceiptError> {
        let receipt: Self =
            serde_json::from_slice(body).map_err(|e| ReceiptError::Malformed(e.to_string()))?;
        let hex_of =
            |s: &str, len: usize| s.len() == len && s.bytes().all(|b| b.is_ascii_hexdigit());
        if uuid::Uuid::parse_str(&receipt.record_id).is_err() {
            return Err(ReceiptError::Malformed("record_id is not a UUID".into()));
        }
        if !hex_of(&receipt.sha256, 64) {
            return Err(ReceiptError::Malformed(
                "sha256 is not 64 hex digits".into(),
            ));
        }
        if !hex_of(&receipt.signature, 128) {
            return Err(ReceiptError::Malformed(
                "signature is not 128 hex digits".into(),
            ));
        }
        if time::OffsetDateTime::parse(
            &receipt.received_at,
            &time::format_description::well_known::Rfc3339,
        )
        .is_err()
        {
            return Err(ReceiptError::Malformed(
                "received_at is not RFC 3339".into(),
            ));
        }
        Ok(receipt)
    }

    /// `"dr-central receipt v1\nrecord_id=…\nsha256=…\nreceived_at=…\n"` (docs/central-api.md).
    pub fn canonical_string(&self) -> String {
        format!(
            "dr-central receipt v1\nrecord_id={}\nsha256={}\nreceived_at={}\n",
            self.record_id, self.sha256, self.received_at
        )
    }

    /// Checks the receipt is for `record_id`, states `sha256` (of what we sent) and is signed by
    /// `receipt_key`.
    pub fn verify(
        &self,
        receipt_key: &[u8; 32],
        record_id: &str,
        sha256: &str,
    ) -> Result<(), ReceiptError> {
        if !self.record_id.eq_ignore_ascii_case(record_id) {
            return Err(ReceiptError::WrongRecord {
                expected: record_id.to_owned(),
                got: self.record_id.clone(),
            });
        }
        if !self.sha256.eq_ignore_ascii_case(sha256) {
            return Err(ReceiptError::WrongHash {
                expected: sha256.to_owned(),
                got: self.sha256.clone(),
            });
        }
        let sig = hex::decode(&self.signature).map_err(|_| ReceiptError::BadSignature)?;
        signature::UnparsedPublicKey::new(&signature::ED25519, receipt_key)
            .verify(self.canonical_string().as_bytes(), &sig)
            .map_err(|_| ReceiptError::BadSignature)
    }

    /// The receipt as stored in the outbox.
    pub fn to_json(&self) -> String {
        serde_json::to_string(self).unwrap_or_default()
    }
}
