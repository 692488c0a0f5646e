//! Discovery: what is on each serial port, found by a safe handshake.
//!
//! A technician plugs two USB-serial adapters in and does not know which is which, nor at what
//! speed a module was left. [`discover`] opens every port on its own thread and tries, baud by
//! baud, the read-only handshake of each device ([`plan`]): the fingerprint module's VfyPwd at
//! 9,600 × N, the camera's "get version" at its five speeds. Every read has a deadline and the
//! whole discovery has one too, so a mute device or an empty pseudo-terminal cannot hang it.
//! [`DeviceWatch`] then notices a device's port vanishing and coming back.

mod discover;
mod plan;
mod probe;
mod report;
mod watch;

pub use discover::{DiscoveryOptions, PortCandidate, candidate_ports, discover};
pub use plan::{Probe, Step, probe_plan};
pub use probe::probe_port;
pub use report::{CameraIdentity, DeviceKind, FingerprintIdentity, Found, PortReport};
pub use watch::{DeviceEvent, DeviceWatch, WatchOptions, WatchedPort};
