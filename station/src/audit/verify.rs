//! Checking the audit log: every entry's hash, every link to the previous entry, sequence numbers
//! without gaps, and every checkpoint's signature and place in the chain.

use std::{collections::BTreeMap, path::Path};

use rusqlite::{Connection, OpenFlags};

use super::{AuditError, chain, personal};
use crate::seal::{StationPublicKey, signer};

/// What a verification found.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct VerifyReport {
    /// Entries checked.
    pub entries: u64,
    /// Signed checkpoints checked.
    pub checkpoints: u64,
    /// Entries after the last checkpoint: chained but not yet signed, so a rewrite of these alone
    /// (by someone able to recompute the chain) would not be detected until the next checkpoint.
    pub unsigned_tail: u64,
}

/// Verifies the log at `path` against the station's public key (a raw 32-byte key is Ed25519).
pub fn verify_file(
    path: &Path,
    public_key: impl Into<StationPublicKey>,
) -> Result<VerifyReport, AuditError> {
    let conn = Connection::open_with_flags(path, OpenFlags::SQLITE_OPEN_READ_ONLY)?;
    verify(&conn, public_key)
}

fn broken(seq: u64, reason: &str) -> AuditError {
    AuditError::Broken {
        seq,
        reason: reason.to_owned(),
    }
}

/// Verifies an open log.
pub fn verify(
    conn: &Connection,
    public_key: impl Into<StationPublicKey>,
) -> Result<VerifyReport, AuditError> {
    let key = public_key.into();
    let mut checkpoints = BTreeMap::new();
    {
        let mut stmt =
            conn.prepare("SELECT seq, sha256, signature FROM audit_checkpoints ORDER BY seq")?;
        let rows = stmt.query_map([], |r| {
            Ok((
                u64::try_from(r.get::<_, i64>(0)?).unwrap_or(0),
                r.get::<_, String>(1)?,
                r.get::<_, String>(2)?,
            ))
        })?;
        for row in rows {
            let (seq, hash, signature) = row?;
            let signature = hex::decode(&signature)
                .map_err(|_| broken(seq, "checkpoint signature is not hex"))?;
            signer::verify(&key, &chain::checkpoint_message(seq, &hash), &signature)
                .map_err(|_| broken(seq, "checkpoint signature does not verify"))?;
            checkpoints.insert(seq, hash);
        }
    }
    let mut stmt = conn.prepare(
        "SELECT seq, at_ms, actor, event, prev_sha256, sha256, salt FROM audit ORDER BY seq",
    )?;
    let mut rows = stmt.query([])?;
    let mut expected_seq = 1u64;
    let mut prev = chain::GENESIS.to_owned();
    while let Some(row) = rows.next()? {
        let seq = u64::try_from(row.get::<_, i64>(0)?).unwrap_or(0);
        let at_ms: i64 = row.get(1)?;
        let actor: String = row.get(2)?;
        let event: String = row.get(3)?;
        let stored_prev: String = row.get(4)?;
        let stored_hash: String = row.get(5)?;
        let salt: Option<Vec<u8>> = row.get(6)?;
        if seq != expected_seq {
            return Err(broken(expected_seq, "entry missing"));
        }
        if stored_prev != prev {
            return Err(broken(
                seq,
                "does not follow the previous entry (removed, reordered or edited)",
            ));
        }
        // Personal values are covered through their salted hashes (personal.rs): the same hash
        // before and after the retention forgets them.
        let chained = personal::chained_form(&event, salt.as_deref());
        let hash = chain::entry_hash(seq, at_ms, &actor, &chained, &prev);
        if hash != stored_hash {
            return Err(broken(seq, "entry edited"));
        }
        if let Some(signed) = checkpoints.get(&seq)
            && *signed != hash
        {
            return Err(broken(seq, "entry differs from what was signed"));
        }
        prev = hash;
        expected_seq += 1;
    }
    let entries = expected_seq - 1;
    let last_signed = checkpoints.keys().next_back().copied().unwrap_or(0);
    if last_signed > entries {
        return Err(broken(
            entries + 1,
            "entries removed after a signed checkpoint",
        ));
    }
    Ok(VerifyReport {
        entries,
        checkpoints: checkpoints.len() as u64,
        unsigned_tail: entries - last_signed,
    })
}
