//! A record's sealed bytes are deleted only on proof that the central holds them: the stored
//! receipt must be signed by the central's receipt key, name this record and state the SHA-256 of
//! the very bytes about to be deleted. Anyone able to write to the database could otherwise make a
//! queued record vanish by setting its state to `acknowledged`.

use crate::{
    seal::sha256_hex,
    uplink::receipt::{Receipt, ReceiptCheck},
};

/// An `acknowledged` (or `purged`) row whose receipt does not prove the central holds the record:
/// its sealed bytes are kept and the station raises an alarm.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UnprovenAcknowledgement {
    /// The record.
    pub record_id: String,
    /// Why the receipt proves nothing (for the log and the technician).
    pub reason: String,
}

/// Checks that `receipt_json` is the central's signed receipt for `record_id` and for exactly
/// `sealed` (the hash is computed here from the bytes, never taken from the row).
pub fn check(
    receipt_key: &[u8; 32],
    record_id: &str,
    receipt_json: Option<&str>,
    sealed: &[u8],
) -> Result<(), String> {
    let receipt_json = receipt_json.ok_or_else(|| "no receipt stored".to_owned())?;
    let receipt = Receipt::parse(receipt_json.as_bytes()).map_err(|e| e.to_string())?;
    receipt
        .verify(receipt_key, record_id, &sha256_hex(sealed))
        .map_err(|e| e.to_string())
}
