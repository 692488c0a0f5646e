//! After the outboxes drained: what the centrals hold against what the stations sent. A record is
//! lost when it was sealed and never receipted, or receipted and then missing from the database or
//! the store (or stored with other bytes); duplicated when the database's receipt is not the one
//! the station verified (a second intake), or its pre-request was consumed by another record;
//! orphaned when an object has no receipt row (a staging file left over counts too), or a receipt
//! row has no object or belongs to no record the fleet sent.

use std::collections::HashMap;
use std::path::Path;

use anyhow::Context;

use super::day::Outcome;

/// The three counts, each with its causes.
#[derive(Debug, Default)]
pub struct Audit {
    /// Sealed, never receipted.
    pub never_receipted: usize,
    /// Of those, refused for good by the central, with the first cause seen.
    pub refused: usize,
    /// The first refusal's cause.
    pub first_refusal: Option<String>,
    /// Receipted, with no receipt row in the database.
    pub receipt_row_missing: usize,
    /// Receipted, no object in the store.
    pub object_missing: usize,
    /// Receipted, the object's SHA-256 is not the receipt's.
    pub object_altered: usize,
    /// The database's receipt differs from the one the station verified.
    pub receipt_differs: usize,
    /// The record's pre-request was consumed by another record (or by none).
    pub consumed_by_other: usize,
    /// Objects in the store without a receipt row.
    pub objects_without_receipt: usize,
    /// Staging files left in the store.
    pub staging_left: usize,
    /// Receipt rows of records the fleet never sent.
    pub receipts_unknown: u64,
}

impl Audit {
    /// Lost records.
    pub fn lost(&self) -> usize {
        self.never_receipted + self.receipt_row_missing + self.object_missing + self.object_altered
    }

    /// Duplicated records.
    pub fn duplicated(&self) -> usize {
        self.receipt_differs + self.consumed_by_other
    }

    /// Orphaned objects and receipts (a receipt without its object also counts as lost).
    pub fn orphaned(&self) -> u64 {
        (self.objects_without_receipt + self.staging_left + self.object_missing) as u64
            + self.receipts_unknown
    }
}

/// Audits `outcomes` against the database `db` and the local store under `data`.
pub fn audit(
    outcomes: &[Outcome],
    db: &central::storage::Database,
    data: &Path,
) -> anyhow::Result<Audit> {
    let mut audit = Audit::default();
    let records = data.join("records");
    let mut in_database = 0u64;
    let mut receipted: HashMap<&str, &Outcome> = HashMap::new();
    for outcome in outcomes {
        let Some(mine) = &outcome.receipt else {
            audit.never_receipted += 1;
            if let Some(cause) = &outcome.refused {
                audit.refused += 1;
                audit.first_refusal.get_or_insert_with(|| cause.clone());
            }
            continue;
        };
        receipted.insert(&outcome.record_id, outcome);
        match db.receipt(&outcome.record_id)? {
            None => audit.receipt_row_missing += 1,
            Some(theirs) => {
                in_database += 1;
                if theirs != *mine {
                    audit.receipt_differs += 1;
                }
            }
        }
        if db.consumed_by(&outcome.pre_request)?.as_deref() != Some(outcome.record_id.as_str()) {
            audit.consumed_by_other += 1;
        }
        match std::fs::read(records.join(format!("{}.drrec", outcome.record_id))) {
            Ok(bytes) => {
                let sha = hex::encode(ring::digest::digest(&ring::digest::SHA256, &bytes));
                if sha != outcome.sha256 {
                    audit.object_altered += 1;
                }
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => audit.object_missing += 1,
            Err(e) => return Err(e).context("reading a stored record"),
        }
    }
    audit.receipts_unknown = db.receipt_count()?.saturating_sub(in_database);
    for entry in std::fs::read_dir(&records).with_context(|| format!("{}", records.display()))? {
        let name = entry?.file_name();
        let name = name.to_string_lossy();
        match name.strip_suffix(".drrec") {
            Some(id) if !receipted.contains_key(id) && db.receipt(id)?.is_none() => {
                audit.objects_without_receipt += 1;
            }
            Some(_) => {}
            None if name.contains(".drrec#") => audit.staging_left += 1,
            None => {}
        }
    }
    Ok(audit)
}
