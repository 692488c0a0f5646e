//! `central prints purge`: deletes the prints of every refused record whose date has passed — the
//! finger image and minutiae entries of the stored record, and the minutiae kept for the handover
//! — keeps the rest of the record (manifest, photo), and logs what it deleted. Run again, it finds
//! nothing more to do; interrupted, it finishes the same record next time.

use std::path::Path;

use hpke::Deserializable;
use hpke::aead::AesGcm256;
use hpke::kdf::HkdfSha256;
use hpke::kem::X25519HkdfSha256;
use time::OffsetDateTime;
use zeroize::Zeroizing;

use super::remainder::{self, RemainderHeader};
use super::{PrintsSchedule, ScheduledDeletion};
use crate::intake::payload::{self, FINGERS_ENTRY, MANIFEST_ENTRY, MINUTIAE_ENTRY};
use crate::intake::{sealed, sha256_hex};
use crate::keys::CentralKeys;
use crate::storage::{
    Database, DatabaseChoice, DatabaseError, ObjectError, ObjectStoreConfig, RecordStore,
};
use crate::templates::TemplateStore;
use crate::templates::sealing::TemplateKey;

/// The payload entries that hold prints.
pub const PRINT_ENTRIES: [&str; 2] = [FINGERS_ENTRY, MINUTIAE_ENTRY];

/// Why the purge stopped (the records done before stay done).
#[derive(Debug, thiserror::Error)]
pub enum PurgeError {
    /// A database failed.
    #[error(transparent)]
    Database(#[from] DatabaseError),
    /// The record store failed.
    #[error(transparent)]
    Storage(#[from] ObjectError),
    /// The central's keys could not be read.
    #[error(transparent)]
    Keys(#[from] crate::keys::KeyError),
    /// A stored record does not open: it is left as it is, and named.
    #[error("record {record_id}: {reason}")]
    Record {
        /// The record.
        record_id: String,
        /// Why.
        reason: String,
    },
}

/// What one run deleted.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PurgeReport {
    /// The records whose prints were deleted, in order.
    pub purged: Vec<String>,
}

/// What the purge works on.
#[derive(Debug)]
pub struct Purge<'a> {
    /// Opens the sealed records.
    pub keys: &'a CentralKeys,
    /// Seals the remainders.
    pub template_key: &'a TemplateKey,
    /// Where the records are.
    pub store: &'a RecordStore,
    /// The minutiae kept for the handover.
    pub templates: &'a TemplateStore,
    /// What is due.
    pub schedule: &'a PrintsSchedule,
}

impl Purge<'_> {
    /// Deletes the prints of every record due at `now`.
    pub async fn run(&self, now: OffsetDateTime) -> Result<PurgeReport, PurgeError> {
        let mut report = PurgeReport::default();
        for due in self.schedule.due(now)? {
            // Another purge (another replica's, or one started twice) may be on it: each record
            // is rewritten and logged by one purge only.
            if !self.schedule.claim(&due.record_id)? {
                tracing::info!(record_id = %due.record_id, "prints being deleted by another purge, or deleted already");
                continue;
            }
            self.purge_one(&due, now).await?;
            report.purged.push(due.record_id);
        }
        Ok(report)
    }

    async fn purge_one(
        &self,
        due: &ScheduledDeletion,
        now: OffsetDateTime,
    ) -> Result<(), PurgeError> {
        let id = &due.record_id;
        let mut removed: Vec<&str> = Vec::new();
        match self.store.get(id).await? {
            Some(bytes) if remainder::is_remainder(&bytes) => {
                // An earlier run rewrote it and stopped before noting it.
            }
            Some(bytes) => {
                let tar = self.open_sealed(id, &bytes)?;
                let entries = payload::read_entries(&tar).map_err(|e| PurgeError::Record {
                    record_id: id.clone(),
                    reason: e.to_string(),
                })?;
                removed = PRINT_ENTRIES
                    .into_iter()
                    .filter(|name| entries.contains_key(*name))
                    .collect();
                let kept = tar_without_prints(&entries).map_err(|e| PurgeError::Record {
                    record_id: id.clone(),
                    reason: e.to_string(),
                })?;
                let header = RemainderHeader {
                    record_id: id.clone(),
                    pre_request: due.pre_request.clone(),
                    received_sha256: sha256_hex(&bytes),
                    purged_at: crate::announcements::utc_seconds(now),
                    removed: removed.iter().map(|e| (*e).to_owned()).collect(),
                };
                let written = remainder::write(self.template_key, &header, &kept).map_err(|e| {
                    PurgeError::Record {
                        record_id: id.clone(),
                        reason: e.to_string(),
                    }
                })?;
                self.store.put(id, written.into()).await?;
            }
            None => {
                tracing::warn!(record_id = %id, "record to purge is not in the store; its templates are deleted all the same");
            }
        }
        let template_rows = self.templates.delete_record(id)?;
        self.schedule
            .mark_purged(id, now, &removed, template_rows)?;
        tracing::info!(record_id = %id, pre_request = %due.pre_request,
            delete_after = %due.delete_after, entries = removed.join(","), template_rows,
            "prints deleted (the applicant refused storage)");
        Ok(())
    }

    fn open_sealed(&self, id: &str, bytes: &[u8]) -> Result<Zeroizing<Vec<u8>>, PurgeError> {
        let refused = |reason: String| PurgeError::Record {
            record_id: id.to_owned(),
            reason,
        };
        let sealed = sealed::parse(bytes).map_err(|e| refused(e.to_string()))?;
        let enc = <X25519HkdfSha256 as hpke::Kem>::EncappedKey::from_bytes(sealed.enc)
            .map_err(|_| refused("bad encapsulated key".into()))?;
        hpke::single_shot_open::<AesGcm256, HkdfSha256, X25519HkdfSha256>(
            &hpke::OpModeR::Base,
            self.keys.record_private(),
            &enc,
            sealed::HPKE_INFO,
            sealed.ciphertext,
            sealed.aad,
        )
        .map(Zeroizing::new)
        .map_err(|_| refused("does not open with this central's key".into()))
    }
}

/// The payload again, manifest first as the station writes it, without the print entries.
fn tar_without_prints(
    entries: &std::collections::BTreeMap<String, Zeroizing<Vec<u8>>>,
) -> std::io::Result<Zeroizing<Vec<u8>>> {
    let mut names: Vec<&String> = entries
        .keys()
        .filter(|name| !PRINT_ENTRIES.contains(&name.as_str()))
        .collect();
    names.sort_by_key(|name| (name.as_str() != MANIFEST_ENTRY, name.as_str().to_owned()));
    let mut builder = tar::Builder::new(Vec::new());
    for name in names {
        let data = &entries[name];
        let mut header = tar::Header::new_ustar();
        header.set_path(name)?;
        header.set_size(data.len() as u64);
        header.set_mode(0o600);
        header.set_entry_type(tar::EntryType::Regular);
        header.set_cksum();
        builder.append(&header, data.as_slice())?;
    }
    Ok(Zeroizing::new(builder.into_inner()?))
}

/// Runs the purge over a central's data directory with its records there (the default store) and
/// its state in `database`, as `central prints purge` does.
pub async fn purge_data_dir(
    data_dir: &Path,
    database: &DatabaseChoice,
    now: OffsetDateTime,
) -> Result<PurgeReport, PurgeError> {
    let keys = CentralKeys::load(data_dir)?;
    let template_key = TemplateKey::load_or_create(data_dir).map_err(DatabaseError::from)?;
    let store = RecordStore::open(&ObjectStoreConfig::Local(data_dir.to_path_buf()))?;
    let db = std::sync::Arc::new(Database::open_with(data_dir, database)?);
    let templates = TemplateStore::open_beside(std::sync::Arc::clone(&db), data_dir)?;
    let schedule = PrintsSchedule::open_beside(&db, data_dir)?;
    Purge {
        keys: &keys,
        template_key: &template_key,
        store: &store,
        templates: &templates,
        schedule: &schedule,
    }
    .run(now)
    .await
}
