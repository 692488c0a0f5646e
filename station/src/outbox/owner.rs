//! Which process owns the outbox: the one holding an exclusive `flock` on `outbox.sqlite.lock`,
//! with its pid written inside for the technician. Only the owner runs crash recovery (a claim left
//! `sending` goes back to the queue): a second process opening the outbox while the station runs
//! would otherwise take back the record the station is sending, and send it twice at once. The
//! kernel releases the lock when its process dies, however it dies, so the next owner recovers.

use std::{
    fs::File,
    io::{Read, Seek, Write},
    os::unix::fs::OpenOptionsExt,
    path::{Path, PathBuf},
};

use nix::fcntl::{Flock, FlockArg};

/// The held lock; dropping it (or the process ending) releases the outbox.
#[derive(Debug)]
pub struct OwnerLock {
    _lock: Flock<File>,
}

/// Another process owns the outbox.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OwnedElsewhere {
    /// The owner's pid as it wrote it (absent if unreadable).
    pub pid: Option<u32>,
}

impl std::fmt::Display for OwnedElsewhere {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self.pid {
            Some(pid) => write!(f, "the outbox is in use by process {pid}"),
            None => f.write_str("the outbox is in use by another process"),
        }
    }
}

/// The lock file of the outbox at `database`.
pub fn lock_path(database: &Path) -> PathBuf {
    let mut name = database.as_os_str().to_owned();
    name.push(".lock");
    PathBuf::from(name)
}

impl OwnerLock {
    /// Takes ownership of the outbox at `database`, or says who has it.
    pub fn take(database: &Path) -> std::io::Result<Result<Self, OwnedElsewhere>> {
        let path = lock_path(database);
        let file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .mode(0o600)
            .open(&path)?;
        match Flock::lock(file, FlockArg::LockExclusiveNonblock) {
            Ok(mut lock) => {
                lock.set_len(0)?;
                lock.rewind()?;
                writeln!(lock, "{}", std::process::id())?;
                lock.sync_data()?;
                Ok(Ok(Self { _lock: lock }))
            }
            Err((mut file, nix::errno::Errno::EWOULDBLOCK)) => {
                let mut text = String::new();
                let pid = file
                    .read_to_string(&mut text)
                    .ok()
                    .and_then(|_| text.trim().parse().ok());
                Ok(Err(OwnedElsewhere { pid }))
            }
            Err((_, errno)) => Err(std::io::Error::from(errno)),
        }
    }
}
