//! The pseudo-terminal pair a simulated device serves on, and the symlink that gives its slave a
//! stable name (`/tmp/fingerprint` → `/dev/pts/7`).

use std::io;
use std::path::{Path, PathBuf};
use std::sync::Mutex;

use serialport::TTYPort;

use super::PtyError;

/// `TTYPort::pair()` is not thread-safe (posix_openpt / grantpt / ptsname race; see the reference,
/// docs/reference/zfm-fingerprint-protocol.md, "serialport-rs"): pairs are created one at a time.
static PAIR_CREATION: Mutex<()> = Mutex::new(());

/// A pseudo-terminal pair: the master is the device's end, the slave path is what a client opens as
/// if it were `/dev/ttyUSB0`.
///
/// The slave is not held open by the simulator, so that the master sees when the client closes the
/// port (hang-up) and opens it again.
#[derive(Debug)]
pub struct Pty {
    master: TTYPort,
    slave_path: PathBuf,
    link: Option<Link>,
}

impl Pty {
    /// Creates a pair.
    pub fn open() -> Result<Self, PtyError> {
        let (master, slave) = {
            let _guard = PAIR_CREATION
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            TTYPort::pair().map_err(PtyError::Create)?
        };
        let slave_path = serialport::SerialPort::name(&slave)
            .map(PathBuf::from)
            .ok_or(PtyError::NoSlaveName)?;
        // Dropping our slave end lets the master see the client's opens and closes.
        drop(slave);
        tracing::debug!(slave = %slave_path.display(), "pseudo-terminal created");
        Ok(Self {
            master,
            slave_path,
            link: None,
        })
    }

    /// Creates a pair and makes `link` a symlink to its slave. A stale symlink left by an earlier run
    /// is replaced; any other file at that path is left alone and reported.
    pub fn open_linked(link: &Path) -> Result<Self, PtyError> {
        let mut pty = Self::open()?;
        pty.link = Some(Link::create(link, &pty.slave_path)?);
        Ok(pty)
    }

    /// The path a client opens (`/dev/pts/N`).
    pub fn slave_path(&self) -> &Path {
        &self.slave_path
    }

    /// The symlink, when there is one.
    pub fn link_path(&self) -> Option<&Path> {
        self.link.as_ref().map(|l| l.path.as_path())
    }

    /// The path to give a client: the symlink if any, else the slave.
    pub fn port_path(&self) -> &Path {
        self.link_path().unwrap_or(&self.slave_path)
    }

    /// The device's end.
    pub fn master(&mut self) -> &mut TTYPort {
        &mut self.master
    }

    /// The device's end, read-only.
    pub fn master_ref(&self) -> &TTYPort {
        &self.master
    }
}

/// A symlink to a slave, removed when dropped if it still points there.
#[derive(Debug)]
struct Link {
    path: PathBuf,
    target: PathBuf,
}

impl Link {
    fn create(path: &Path, target: &Path) -> Result<Self, PtyError> {
        match std::fs::symlink_metadata(path) {
            Ok(meta) if meta.file_type().is_symlink() => {
                tracing::info!(link = %path.display(), "replacing a stale symlink");
                std::fs::remove_file(path).map_err(|e| PtyError::Link(path.to_owned(), e))?;
            }
            Ok(_) => {
                return Err(PtyError::Link(
                    path.to_owned(),
                    io::Error::new(
                        io::ErrorKind::AlreadyExists,
                        "exists and is not a symlink: not replacing it",
                    ),
                ));
            }
            Err(e) if e.kind() == io::ErrorKind::NotFound => {}
            Err(e) => return Err(PtyError::Link(path.to_owned(), e)),
        }
        std::os::unix::fs::symlink(target, path).map_err(|e| PtyError::Link(path.to_owned(), e))?;
        Ok(Self {
            path: path.to_owned(),
            target: target.to_owned(),
        })
    }
}

impl Drop for Link {
    fn drop(&mut self) {
        // Only our own link: another simulator may have taken the name since.
        if std::fs::read_link(&self.path).is_ok_and(|t| t == self.target)
            && let Err(e) = std::fs::remove_file(&self.path)
        {
            tracing::warn!(link = %self.path.display(), error = %e, "could not remove symlink");
        }
    }
}
