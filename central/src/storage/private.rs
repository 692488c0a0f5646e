//! The data directory is the central's alone: directories 0700, files 0600, created so (not
//! tightened afterwards, which would leave a window) and checked at every start, since a mode
//! loosened by hand or by a restore would otherwise go unnoticed. The records are sealed and the
//! templates encrypted, but the keys, the list of stations and the receipts are not.

use std::fs::{DirBuilder, File, OpenOptions};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt, PermissionsExt};
use std::path::{Path, PathBuf};

/// Mode of every directory the central creates.
pub const DIR_MODE: u32 = 0o700;
/// Mode of every file the central creates.
pub const FILE_MODE: u32 = 0o600;

/// An entry of the data directory that others than its owner may read or enter.
#[derive(Debug, thiserror::Error)]
pub enum PrivacyError {
    /// Mode too loose.
    #[error(
        "{path} has mode {mode:04o}: the central's data must be its owner's alone (directories \
         0700, files 0600); run `chmod {want:o} {path}` after checking who could read it"
    )]
    Loose {
        /// The entry.
        path: PathBuf,
        /// Its permission bits.
        mode: u32,
        /// The mode expected.
        want: u32,
    },
    /// It could not be read.
    #[error("{path}: {source}")]
    Io {
        /// The entry.
        path: PathBuf,
        /// The underlying error.
        source: std::io::Error,
    },
}

fn io(path: &Path) -> impl FnOnce(std::io::Error) -> PrivacyError + '_ {
    move |source| PrivacyError::Io {
        path: path.to_path_buf(),
        source,
    }
}

/// Creates `dir` and any missing parent with mode 0700 (existing ones are left as they are).
pub fn create_dir(dir: &Path) -> std::io::Result<()> {
    DirBuilder::new().recursive(true).mode(DIR_MODE).create(dir)
}

/// Opens options that create a file with mode 0600.
pub fn file_options() -> OpenOptions {
    let mut options = OpenOptions::new();
    options.mode(FILE_MODE);
    options
}

/// Creates `path` empty with mode 0600 if it does not exist, so that SQLite, which creates a
/// database with the process's default mode and gives its journals the database's mode, finds a
/// private file.
pub fn precreate(path: &Path) -> std::io::Result<()> {
    match file_options().write(true).create_new(true).open(path) {
        Ok(_) => Ok(()),
        Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => Ok(()),
        Err(e) => Err(e),
    }
}

/// Creates `path` (which must not exist) with mode 0600, for writing.
pub fn create_new(path: &Path) -> std::io::Result<File> {
    file_options().write(true).create_new(true).open(path)
}

/// Refuses `dir` if it, or anything under it, lets others than its owner in. Symbolic links are
/// judged by what they point to and not followed further.
pub fn check_tree(dir: &Path) -> Result<(), PrivacyError> {
    let mut stack = vec![(dir.to_path_buf(), true)];
    while let Some((path, descend)) = stack.pop() {
        let meta = match std::fs::metadata(&path) {
            Ok(meta) => meta,
            // Gone between the listing and this look: another replica sharing the directory
            // renamed its staging file into place. What is no longer there lets nobody in; a
            // dangling link (still there, pointing nowhere) is still refused.
            Err(e)
                if e.kind() == std::io::ErrorKind::NotFound
                    && path != dir
                    && std::fs::symlink_metadata(&path).is_err() =>
            {
                continue;
            }
            Err(e) => return Err(io(&path)(e)),
        };
        let mode = meta.permissions().mode() & 0o7777;
        let want = if meta.is_dir() { DIR_MODE } else { FILE_MODE };
        if mode & 0o077 != 0 {
            return Err(PrivacyError::Loose { path, mode, want });
        }
        if meta.is_dir() && descend {
            for entry in std::fs::read_dir(&path).map_err(io(&path))? {
                let entry = entry.map_err(io(&path))?;
                let is_link = entry.file_type().map_err(io(&path))?.is_symlink();
                stack.push((entry.path(), !is_link));
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn created_private_and_a_loose_file_is_named() -> Result<(), Box<dyn std::error::Error>> {
        let root = tempfile::tempdir()?;
        let data = root.path().join("data");
        create_dir(&data.join("records"))?;
        precreate(&data.join("central.sqlite"))?;
        check_tree(&data)?;
        std::fs::set_permissions(
            data.join("central.sqlite"),
            std::fs::Permissions::from_mode(0o640),
        )?;
        let error = check_tree(&data).err().map(|e| e.to_string());
        assert!(
            error
                .as_deref()
                .is_some_and(|e| e.contains("central.sqlite") && e.contains("0640")),
            "{error:?}"
        );
        Ok(())
    }
}
