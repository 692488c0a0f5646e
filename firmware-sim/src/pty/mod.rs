//! The serial line of a simulated device, over a real pseudo-terminal: the pair and its symlink
//! ([`Pty`]), the device's end with pacing at the baud, fault injection and client detection
//! ([`SimLine`]), and the fault specification shared by the command line and the tests
//! ([`FaultSpec`]). Shared by every simulated device (fingerprint module, camera).

mod faults;
mod injector;
mod line;
mod pacing;
mod pair;
mod stats;

pub use faults::{FaultSpec, FaultSpecError, parse_duration};
pub use injector::FaultSwitch;
pub use line::{CommandFate, LineError, LineSettings, Received, SimLine};
pub use pacing::{BITS_PER_BYTE, line_time};
pub use pair::Pty;
pub use stats::{LineCounters, LineStats};

/// Why a pseudo-terminal could not be set up.
#[derive(Debug, thiserror::Error)]
pub enum PtyError {
    /// The pair could not be created.
    #[error("cannot create a pseudo-terminal pair: {0}")]
    Create(#[source] serialport::Error),
    /// The slave has no path.
    #[error("the pseudo-terminal's slave has no path")]
    NoSlaveName,
    /// The symlink could not be made.
    #[error("cannot make the symlink {0}: {1}")]
    Link(std::path::PathBuf, #[source] std::io::Error),
}
