//! The chain's arithmetic: each entry's SHA-256 covers its fields and the previous entry's SHA-256;
//! a checkpoint is the station's Ed25519 signature over one entry's SHA-256.

use ring::digest::{SHA256, digest};

/// The previous-entry hash of the first entry.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

/// The bytes an entry's SHA-256 is computed over: a JSON array, so no field can run into the next.
pub fn entry_bytes(seq: u64, at_ms: i64, actor: &str, event_json: &str, prev_hex: &str) -> Vec<u8> {
    let mut out = b"dr-station audit entry v1\n".to_vec();
    // Serialising a tuple of plain values cannot fail; an empty array would not verify anyway.
    out.extend(serde_json::to_vec(&(seq, at_ms, actor, event_json, prev_hex)).unwrap_or_default());
    out
}

/// An entry's SHA-256 in hex.
pub fn entry_hash(seq: u64, at_ms: i64, actor: &str, event_json: &str, prev_hex: &str) -> String {
    hex::encode(digest(
        &SHA256,
        &entry_bytes(seq, at_ms, actor, event_json, prev_hex),
    ))
}

/// The message a checkpoint signs: the wire's, since the central checks the latest checkpoint
/// that every upload carries.
pub use wire::audit_checkpoint::checkpoint_message;
