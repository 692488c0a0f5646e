//! Signed receipts: the central's acknowledgement that a record was stored. The receipt and the
//! canonical string its signature covers are the shared wire types; signing and checking with the
//! receipt key stay here.

pub use wire::receipt::{RECEIPT_DOMAIN, Receipt, canonical_string};

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

/// Builds and signs a receipt with the central's receipt key.
pub(crate) fn issue(
    keys: &crate::keys::CentralKeys,
    record_id: &str,
    sha256: &str,
    received_at: &str,
) -> Receipt {
    let signature = keys.sign_receipt(canonical_string(record_id, sha256, received_at).as_bytes());
    Receipt {
        record_id: record_id.to_owned(),
        sha256: sha256.to_owned(),
        received_at: received_at.to_owned(),
        signature: hex::encode(signature),
    }
}

/// Checking a receipt's signature: a trait because the receipt type is the wire crate's, which
/// holds no crypto.
pub trait VerifyReceipt {
    /// Checks the signature against the central's receipt public key.
    fn verify(&self, receipt_public_key: &[u8; 32]) -> Result<(), ReceiptError>;
}

impl VerifyReceipt for Receipt {
    fn verify(&self, receipt_public_key: &[u8; 32]) -> Result<(), ReceiptError> {
        let sig = hex::decode(&self.signature).map_err(|_| ReceiptError::MalformedSignature)?;
        if sig.len() != 64 {
            return Err(ReceiptError::MalformedSignature);
        }
        ring::signature::UnparsedPublicKey::new(&ring::signature::ED25519, receipt_public_key)
            .verify(self.canonical_string().as_bytes(), &sig)
            .map_err(|_| ReceiptError::BadSignature)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use wire::golden;

    /// PKCS#8 v1 of an Ed25519 seed (RFC 8410): the fixed prefix, then the 32-byte seed.
    fn pkcs8_v1(seed: &[u8; 32]) -> Vec<u8> {
        let mut doc = hex::decode("302e020100300506032b657004220420").unwrap_or_default();
        doc.extend_from_slice(seed);
        doc
    }

    #[test]
    fn the_central_issues_the_golden_receipt() -> Result<(), Box<dyn std::error::Error>> {
        let dir = tempfile::tempdir()?;
        std::fs::create_dir_all(dir.path().join("keys"))?;
        std::fs::write(dir.path().join("keys/record.x25519"), [7u8; 32])?;
        std::fs::write(
            dir.path().join("keys/receipt.ed25519.p8"),
            pkcs8_v1(&golden::RECEIPT_KEY_SEED),
        )?;
        let keys = crate::keys::CentralKeys::load(dir.path())?;
        assert_eq!(
            hex::encode(keys.public().receipt_public_key),
            golden::RECEIPT_PUBLIC_KEY
        );
        let expected = golden::receipt();
        let receipt = issue(
            &keys,
            &expected.record_id,
            &expected.sha256,
            &expected.received_at,
        );
        // What the handler answers (`axum::Json` is `serde_json::to_vec`).
        assert_eq!(
            String::from_utf8(serde_json::to_vec(&receipt)?)?,
            String::from_utf8(golden::RECEIPT_JSON.to_vec())?
        );
        assert_eq!(
            canonical_string(&receipt.record_id, &receipt.sha256, &receipt.received_at).as_bytes(),
            golden::RECEIPT_CANONICAL
        );
        receipt.verify(&keys.public().receipt_public_key)?;
        Ok(())
    }
}
