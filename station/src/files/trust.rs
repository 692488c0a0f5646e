//! The configuration holds the station's trust anchors (the central's URL and public keys, where
//! the signing token is). If the station's own user could rewrite it, whoever takes over the app
//! could point it at another central; so outside development the file, and the directory holding
//! it (a rename replaces a file without writing to it), must not be writable by that user. A
//! technician installs it owned by root, mode 0644, in a root-owned directory.

use std::path::{Path, PathBuf};

use nix::unistd::{AccessFlags, access};

/// The configuration file could be rewritten by the station's own user.
#[derive(Debug, thiserror::Error)]
pub enum ConfigTrustError {
    /// The file or its directory is writable by the user the station runs as.
    #[error(
        "{path} is writable by the station's own user: outside development the configuration must \
         belong to root and be read-only for the station (chown root:root, chmod 0644, in a \
         directory only root writes)"
    )]
    Writable {
        /// The file or directory.
        path: PathBuf,
    },
}

/// Refuses `config_file` when the station's user may write it or replace it.
pub fn check_config_not_writable(config_file: &Path) -> Result<(), ConfigTrustError> {
    let dir = match config_file.parent() {
        Some(p) if !p.as_os_str().is_empty() => p.to_path_buf(),
        _ => PathBuf::from("."),
    };
    for path in [config_file.to_path_buf(), dir] {
        // access(2) answers for the real user, the one the station runs as; root may write anything
        // and is refused too: the station does not run as root.
        if access(&path, AccessFlags::W_OK).is_ok() {
            return Err(ConfigTrustError::Writable { path });
        }
    }
    Ok(())
}
