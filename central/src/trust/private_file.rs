//! Key and certificate files readable by their owner only (mode 0600), replaced whole: a crash while
//! writing leaves the old file, never half a key.

use std::io::Write;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

/// Sets the staging names of one process's writes apart.
static PARTIAL: AtomicU64 = AtomicU64::new(0);

pub(crate) fn write(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    // A staging name of this process and write: replicas sharing one keys directory each write
    // their server certificate at start, and with one shared name the first rename took the
    // other's file away (its own rename then failed, and that replica did not start).
    let partial = path.with_extension(format!(
        "{}.{}.partial",
        std::process::id(),
        PARTIAL.fetch_add(1, Ordering::Relaxed)
    ));
    let mut options = std::fs::OpenOptions::new();
    options.write(true).create(true).truncate(true);
    #[cfg(unix)]
    {
        use std::os::unix::fs::OpenOptionsExt;
        options.mode(0o600);
    }
    let mut file = options.open(&partial)?;
    file.write_all(bytes)?;
    file.sync_all()?;
    std::fs::rename(&partial, path)
}
