//! Pre-request numbers after the central's receipt: the outbox keeps a keyed hash of the number
//! (HMAC-SHA256 with the station's secret, in the token in production) instead of the number, so
//! that a copy of `outbox.sqlite` no longer says whose files this station sent, while the clerk's
//! "has my file been sent?" still finds a record by hashing the number typed.

use std::sync::Arc;

use rusqlite::{Connection, params};

use super::OutboxError;

/// What is hashed: a domain of its own, apart from the PIN hashes made with the same secret.
const DOMAIN: &[u8] = b"station outbox pre-request v1\n";

/// Computes the tag of a pre-request number with a key the caller never sees.
pub trait NumberKey: Send + Sync + std::fmt::Debug {
    /// HMAC-SHA256 of `message` with the station's secret.
    fn mac(&self, message: &[u8]) -> Result<[u8; 32], String>;
}

/// A shared [`NumberKey`].
pub type SharedNumberKey = Arc<dyn NumberKey>;

/// The stored tag (hex) of `number`, as the clerk would type it (trimmed, upper case).
pub fn tag(key: &dyn NumberKey, number: &str) -> Result<String, OutboxError> {
    let mut message = DOMAIN.to_vec();
    message.extend_from_slice(number.trim().to_ascii_uppercase().as_bytes());
    key.mac(&message)
        .map(hex::encode)
        .map_err(OutboxError::NumberKey)
}

/// Replaces the numbers still in clear on acknowledged or purged rows (written before the tags
/// existed) by their tags; returns how many.
pub(crate) fn tag_acknowledged(
    conn: &mut Connection,
    key: &dyn NumberKey,
) -> Result<usize, OutboxError> {
    let tx = conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)?;
    let rows = tx
        .prepare_cached(
            "SELECT seq, pre_request FROM records
             WHERE state IN ('acknowledged', 'purged') AND pre_request IS NOT NULL",
        )?
        .query_map([], |r| Ok((r.get::<_, i64>(0)?, r.get::<_, String>(1)?)))?
        .collect::<Result<Vec<_>, _>>()?;
    for (seq, number) in &rows {
        tx.prepare_cached(
            "UPDATE records SET pre_request = NULL, pre_request_mac = ?2 WHERE seq = ?1",
        )?
        .execute(params![seq, tag(key, number)?])?;
    }
    tx.commit()?;
    Ok(rows.len())
}
