//! Records on the local filesystem: `records/{record_id}.drrec`, mode 0600 in a 0700 directory.
//! Each is written whole to a staging file beside it (`{record_id}.drrec#{n}`, the name
//! `object_store` used for the same purpose), fsynced, renamed into place and the directory
//! fsynced, before a receipt is issued. A process killed mid-write leaves its staging file: those
//! are removed at start once they are older than any write could take, since replicas share the
//! directory and another one may be writing while this one starts.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use bytes::Bytes;

use super::private;

/// Sets staging names apart within one process; the process's own start (below) sets them apart
/// from another replica's writing the same record at the same moment.
static STAGING: AtomicU64 = AtomicU64::new(1);

/// Where this process's staging numbers start: random, so that two replicas writing the same
/// record id into one shared directory never open the same staging file.
fn staging_base() -> u64 {
    static BASE: std::sync::OnceLock<u64> = std::sync::OnceLock::new();
    *BASE.get_or_init(|| {
        let mut bytes = [0u8; 4];
        // Without randomness the names still differ within this process; only the unlikely
        // meeting of two replicas on one record at one moment loses its guard.
        let _ = ring::rand::SecureRandom::fill(&ring::rand::SystemRandom::new(), &mut bytes);
        u64::from(u32::from_le_bytes(bytes)) << 32
    })
}

/// A staging file untouched for this long belongs to no write in flight (a record is a few
/// hundred kilobytes written in one go): it was left by a killed process.
const STALE_STAGING: Duration = Duration::from_secs(10 * 60);

/// The records directory of a local store.
#[derive(Debug, Clone)]
pub struct LocalRecords {
    /// `DATA/records`.
    dir: PathBuf,
}

fn is_staging(name: &str) -> bool {
    name.split_once(".drrec#")
        .is_some_and(|(_, n)| !n.is_empty() && n.bytes().all(|b| b.is_ascii_digit()))
}

impl LocalRecords {
    /// Opens `root/records`, creating it (0700), and removes the staging files a killed process
    /// left there (those older than [`STALE_STAGING`]).
    pub fn open(root: &Path) -> std::io::Result<Self> {
        let dir = root.join("records");
        private::create_dir(&dir)?;
        let this = Self { dir };
        this.remove_staging()?;
        Ok(this)
    }

    fn remove_staging(&self) -> std::io::Result<usize> {
        let mut removed = 0;
        for entry in std::fs::read_dir(&self.dir)? {
            let entry = entry?;
            let name = entry.file_name();
            let Some(name) = name.to_str() else { continue };
            let stale = entry
                .metadata()?
                .modified()
                .ok()
                .and_then(|at| SystemTime::now().duration_since(at).ok())
                .is_some_and(|age| age >= STALE_STAGING);
            if is_staging(name) && entry.file_type()?.is_file() && stale {
                std::fs::remove_file(entry.path())?;
                tracing::warn!(file = %entry.path().display(),
                    "removed a staging file left by an interrupted store (no receipt was issued for it)");
                removed += 1;
            }
        }
        Ok(removed)
    }

    fn path(&self, record_id: &str) -> PathBuf {
        self.dir.join(format!("{record_id}.drrec"))
    }

    /// Stores `bytes` as the record, replacing an earlier copy that got no receipt.
    pub fn put(&self, record_id: &str, bytes: &Bytes) -> std::io::Result<()> {
        let target = self.path(record_id);
        let staging = self.dir.join(format!(
            "{record_id}.drrec#{}",
            staging_base() | STAGING.fetch_add(1, Ordering::Relaxed)
        ));
        let written = (|| {
            let mut file = private::create_new(&staging)?;
            file.write_all(bytes)?;
            file.sync_all()?;
            std::fs::rename(&staging, &target)?;
            std::fs::File::open(&self.dir)?.sync_all()
        })();
        if written.is_err() {
            let _ = std::fs::remove_file(&staging);
        }
        written
    }

    /// Removes a record's file, if present, and makes the removal durable.
    pub fn remove(&self, record_id: &str) -> std::io::Result<()> {
        match std::fs::remove_file(self.path(record_id)) {
            Ok(()) => std::fs::File::open(&self.dir)?.sync_all(),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(()),
            Err(e) => Err(e),
        }
    }

    /// The stored bytes of a record, if present.
    pub fn get(&self, record_id: &str) -> std::io::Result<Option<Bytes>> {
        match std::fs::read(self.path(record_id)) {
            Ok(bytes) => Ok(Some(Bytes::from(bytes))),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(e),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::is_staging;

    #[test]
    fn staging_names() {
        assert!(is_staging("0f6d7c1e-0000-4000-8000-000000000000.drrec#1"));
        assert!(is_staging("x.drrec#123"));
        assert!(!is_staging("0f6d7c1e-0000-4000-8000-000000000000.drrec"));
        assert!(!is_staging("x.drrec#"));
        assert!(!is_staging("x.drrec#1a"));
    }
}
