//! Private files and directories: created with their mode, checked at start.

use std::{
    fs,
    io::Write,
    os::unix::fs::{DirBuilderExt, MetadataExt, OpenOptionsExt},
    path::{Path, PathBuf},
};

/// The mode of the data directory and of every directory under it.
pub const DIR_MODE: u32 = 0o700;
/// The mode of every file the station writes.
pub const FILE_MODE: u32 = 0o600;
/// How deep the start-up check looks under the data directory (it has two levels today).
const MAX_DEPTH: usize = 4;

/// A file or directory of the station is not private, or could not be made or read.
#[derive(Debug, thiserror::Error)]
pub enum FileModeError {
    /// Its mode lets another user read or write it.
    #[error(
        "{path} has mode {mode:o}, others than the station's user can reach it (expected {expected:o}): \
         the station stops; check who changed it, then restore the mode"
    )]
    Loose {
        /// The file or directory.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
        /// What it should be.
        expected: u32,
    },
    /// It could not be created or read.
    #[error("{path}: {source}")]
    Io {
        /// The file or directory.
        path: PathBuf,
        /// Why.
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> FileModeError + '_ {
    move |source| FileModeError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Creates `dir` and any missing parent as 0700 (existing ones are left as they are, and the
/// start-up check judges them).
pub fn create_private_dir(dir: &Path) -> Result<(), FileModeError> {
    fs::DirBuilder::new()
        .recursive(true)
        .mode(DIR_MODE)
        .create(dir)
        .map_err(io(dir))
}

/// Creates `path` empty as 0600 when it does not exist, so that what opens it next (SQLite, which
/// gives its -wal, -shm and -journal files the database file's mode) finds it private.
pub fn create_private_file(path: &Path) -> Result<(), FileModeError> {
    match fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(path)
    {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(io(path)(e)),
    }
}

/// Writes `bytes` to `path` as a 0600 file: into `path.part` created with that mode, synced, then
/// renamed, so a reader never sees half a file.
pub fn write_private(path: &Path, bytes: &[u8]) -> std::io::Result<()> {
    let Some(name) = path.file_name() else {
        return Err(std::io::Error::new(
            std::io::ErrorKind::InvalidInput,
            "not a file name",
        ));
    };
    let mut part_name = name.to_os_string();
    part_name.push(".part");
    let part = path.with_file_name(part_name);
    let _ = fs::remove_file(&part);
    let written = fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(FILE_MODE)
        .open(&part)
        .and_then(|mut file| {
            file.write_all(bytes)?;
            file.sync_all()
        })
        .and_then(|()| fs::rename(&part, path));
    if written.is_err() {
        let _ = fs::remove_file(&part);
    }
    written
}

/// Checks the data directory and everything under it: directories 0700 or tighter, files 0600 or
/// tighter. The first loose one is named in the error. Symbolic links are judged by themselves
/// (never followed): the data directory has none.
pub fn check_data_dir(dir: &Path) -> Result<(), FileModeError> {
    check(dir, 0)
}

fn check(path: &Path, depth: usize) -> Result<(), FileModeError> {
    let meta = fs::symlink_metadata(path).map_err(io(path))?;
    let mode = meta.mode() & 0o7777;
    let expected = if meta.is_dir() { DIR_MODE } else { FILE_MODE };
    if mode & 0o077 != 0 {
        return Err(FileModeError::Loose {
            path: path.to_path_buf(),
            mode,
            expected,
        });
    }
    if meta.is_dir() && depth < MAX_DEPTH {
        let mut entries = fs::read_dir(path)
            .map_err(io(path))?
            .map(|e| e.map(|e| e.path()))
            .collect::<Result<Vec<_>, _>>()
            .map_err(io(path))?;
        // The same file is named first on every start.
        entries.sort();
        for entry in entries {
            check(&entry, depth + 1)?;
        }
    }
    Ok(())
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use std::os::unix::fs::PermissionsExt;

    use super::*;

    #[test]
    fn created_private_and_a_loose_file_is_named() {
        let dir = tempfile::tempdir().unwrap();
        let data = dir.path().join("data");
        create_private_dir(&data.join("keys")).unwrap();
        create_private_file(&data.join("outbox.sqlite")).unwrap();
        write_private(&data.join("keys").join("k"), b"secret").unwrap();
        check_data_dir(&data).unwrap();
        let loose = data.join("keys").join("k");
        fs::set_permissions(&loose, fs::Permissions::from_mode(0o640)).unwrap();
        match check_data_dir(&data) {
            Err(FileModeError::Loose { path, mode, .. }) => {
                assert_eq!((path, mode), (loose, 0o640));
            }
            other => panic!("{other:?}"),
        }
    }
}
