//! What the camera tests share: a simulated camera on a real pseudo-terminal and the driver on
//! the other end, the way the station opens a real camera.

use std::time::Duration;

use drivers::transport::SerialTransport;
use drivers::vc0706::{Camera, CameraOptions};
use firmware_sim::pty::FaultSpec;
use firmware_sim::vc0706_firmware::{CameraSim, CameraSimConfig};

/// A camera simulator, unpaced (fast), with this applicant seed and these faults.
pub fn config(seed: u64, faults: &str) -> CameraSimConfig {
    CameraSimConfig {
        seed,
        faults: faults
            .parse::<FaultSpec>()
            .unwrap_or_else(|e| panic!("fault spec {faults:?}: {e}")),
        paced: false,
        ..CameraSimConfig::default()
    }
}

/// Starts `config` and opens the driver on its port at `baud`.
pub fn start_with(
    config: CameraSimConfig,
    baud: u32,
    options: CameraOptions,
) -> (CameraSim, Camera<SerialTransport>) {
    let sim = CameraSim::start(config).unwrap_or_else(|e| panic!("start the simulator: {e}"));
    let path = sim.port_path().to_string_lossy().into_owned();
    let line = SerialTransport::open(&path, baud).unwrap_or_else(|e| panic!("open {path}: {e}"));
    (sim, Camera::with_options(line, options))
}

/// Starts an unpaced camera at its default 38,400 baud with the driver's default options.
pub fn start(seed: u64, faults: &str) -> (CameraSim, Camera<SerialTransport>) {
    start_with(config(seed, faults), 38_400, CameraOptions::default())
}

/// Generous bound on calls that must fail fast (a command's own deadline plus slack).
pub const SHORT_CALL: Duration = Duration::from_secs(3);
