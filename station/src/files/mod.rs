//! The station's files on disk: the data directory is 0700 and every file in it 0600, made so at
//! creation (an explicit mode, never a chmod afterwards, which would leave a window in which the
//! file is readable), and checked at every start: a looser mode stops the station naming the file,
//! because it means someone changed it or the disk was set up by hand.
//!
//! The configuration file is the other way round: it holds the trust anchors (the central's URL and
//! keys, the token's place), so outside development the station refuses one it could rewrite
//! itself (`trust.rs`).

pub mod private;
pub mod trust;

pub use private::{
    FileModeError, check_data_dir, create_private_dir, create_private_file, write_private,
};
pub use trust::{ConfigTrustError, check_config_not_writable};
